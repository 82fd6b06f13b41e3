//! A large Parquet table validated slice by slice. Held whole, a table's raw text
//! columns and their typed copies take about 150 bytes a row while it is validated: two
//! hundred million events (a national extract at ten times today's volume) would need
//! some 30 GB. A table whose rows do not depend on one another (`events`, `outcomes`,
//! `suspects`; or `offences`, `staff` and `feedback` when their key column has no value
//! twice, so that no row can be a duplicate) is instead read a few row groups at a time, each slice
//! validated by the same rules and written to the validated copy as it goes; the
//! command then reads the copy, as every later run does. Rows read = loaded +
//! quarantined, the quarantine's row numbers and the quality account are those that
//! validating the whole table at once gives.
use super::mapping::Mapping;
use super::read::{FileFormat, RawTable, ReadRepairs};
use super::validate::{self, OffenceKeys, TableQuality, ValidatedTable};
use crate::error::{Result, SoteriaError};
use crate::schema::TableName;
use polars::prelude::*;
use std::path::{Path, PathBuf};

/// Rows from which a table is validated in slices, and about the rows of a slice. A
/// slice of four million events holds some 600 MB while it is validated, and is large
/// enough that each keeps both cores busy. `SOTERIA_SLICE_ROWS` sets another size.
pub const SLICE_ROWS: usize = 4 << 20;

pub fn slice_rows() -> usize {
    std::env::var("SOTERIA_SLICE_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(SLICE_ROWS)
}

/// One Parquet file of a table, with the hive keys of its folders.
struct Part {
    path: PathBuf,
    /// Relative to the table's folder (empty for a table held in one file).
    rel: String,
    hive: Vec<(String, String)>,
    row_groups: Vec<usize>,
}

/// A table held in Parquet (one file or a folder of files), known from the files'
/// footers only.
pub struct ParquetTable {
    pub path: PathBuf,
    parts: Vec<Part>,
    sha256: std::sync::OnceLock<String>,
}

impl ParquetTable {
    /// The table at `path` when it is held in Parquet; `None` for another format.
    pub fn open(path: &Path) -> Result<Option<ParquetTable>> {
        let files: Vec<(String, PathBuf)> = if path.is_dir() {
            super::folder::parquet_files(path)?
        } else {
            let parquet = match FileFormat::from_path(path) {
                Some(f) => f == FileFormat::Parquet,
                None => {
                    use std::io::Read;
                    let mut magic = [0u8; 4];
                    let mut f = std::fs::File::open(path).map_err(|e| SoteriaError::io(path, e))?;
                    f.read_exact(&mut magic).is_ok() && &magic == b"PAR1"
                }
            };
            if !parquet {
                return Ok(None);
            }
            vec![(String::new(), path.to_path_buf())]
        };
        let mut parts = Vec::with_capacity(files.len());
        for (rel, file) in files {
            let f = std::fs::File::open(&file).map_err(|e| SoteriaError::io(&file, e))?;
            // A file whose footer cannot be read is left to the whole-table reader, which
            // says what is wrong with it.
            let Ok(metadata) = super::read::without_panics(|| {
                let mut reader = ParquetReader::new(f);
                let metadata = reader.get_metadata()?.clone();
                Ok(metadata)
            }) else {
                return Ok(None);
            };
            let row_groups = metadata.row_groups.iter().map(|g| g.num_rows()).collect();
            parts.push(Part {
                hive: super::folder::hive_keys(&rel),
                path: file,
                rel,
                row_groups,
            });
        }
        Ok(Some(ParquetTable {
            path: path.to_path_buf(),
            parts,
            sha256: std::sync::OnceLock::new(),
        }))
    }

    /// Whether `column` is in every file and no two rows share a value (nor are both
    /// empty). Then no row can be a duplicate, whichever slice it is in, and a table with
    /// a unique key can be validated in slices too; otherwise it is validated whole.
    pub fn is_unique(&self, column: &str) -> Result<bool> {
        let mut all: Option<Series> = None;
        for part in &self.parts {
            let file =
                std::fs::File::open(&part.path).map_err(|e| SoteriaError::io(&part.path, e))?;
            let read = super::read::without_panics(|| {
                ParquetReader::new(file)
                    .with_columns(Some(vec![column.to_string()]))
                    .finish()
            });
            let Ok(frame) = read else {
                return Ok(false);
            };
            let values = frame.column(column)?.as_materialized_series().clone();
            match &mut all {
                None => all = Some(values),
                Some(a) if a.dtype() == values.dtype() => {
                    a.append(&values)?;
                }
                Some(_) => return Ok(false),
            }
        }
        Ok(all.is_some_and(|a| a.n_unique().is_ok_and(|n| n == a.len())))
    }

    pub fn rows(&self) -> usize {
        self.parts.iter().flat_map(|p| &p.row_groups).sum()
    }

    /// The SHA-256 that reading the table's bytes whole gives (of the file, or of a
    /// folder's paths and files' digests), read in blocks.
    pub fn sha256(&self) -> Result<String> {
        if let Some(sha) = self.sha256.get() {
            return Ok(sha.clone());
        }
        let sha = if self.parts.len() == 1 && self.parts[0].rel.is_empty() {
            file_sha256(&self.parts[0].path)?
        } else {
            let mut summary = String::new();
            for part in &self.parts {
                summary.push_str(&format!("{}\t{}\n", part.rel, file_sha256(&part.path)?));
            }
            super::read::sha256_hex(summary.as_bytes())
        };
        Ok(self.sha256.get_or_init(|| sha).clone())
    }

    /// Validates the table slice by slice, handing each slice's validation to `keep` in
    /// row order. `sha256` is the table's ([`ParquetTable::sha256`]).
    pub fn validate_in_slices(
        &self,
        table: TableName,
        mapping: &Mapping,
        offence_keys: Option<&OffenceKeys>,
        sha256: &str,
        target: usize,
        mut keep: impl FnMut(ValidatedTable) -> Result<()>,
    ) -> Result<()> {
        let mut first_row = 0;
        let mut first_schema: Option<(String, Schema)> = None;
        for part in &self.parts {
            for (start, len) in slice_ranges(&part.row_groups, target) {
                let frame = self.read_slice(part, start, len)?;
                let schema = frame.schema().as_ref().clone();
                match &first_schema {
                    None => first_schema = Some((part.rel.clone(), schema)),
                    Some((first, expected)) if *expected != schema => {
                        return Err(SoteriaError::Unreadable {
                            path: part.path.clone(),
                            format: "Parquet",
                            message: format!(
                                "its columns ({}) differ from those of {first} ({}): every file of a table folder has the same columns and types",
                                super::folder::describe_schema(&schema),
                                super::folder::describe_schema(expected)
                            ),
                        });
                    }
                    Some(_) => {}
                }
                let raw = RawTable {
                    path: self.path.clone(),
                    format: FileFormat::Parquet,
                    frame,
                    repairs: ReadRepairs::default(),
                    sha256: sha256.to_string(),
                    rejected: Vec::new(),
                    first_row,
                };
                let started = std::time::Instant::now();
                keep(validate::validate(table, raw, mapping, offence_keys)?)?;
                crate::util::trace(|| {
                    format!(
                        "{table}: rows {} to {} validated in {:.2?}",
                        first_row + 1,
                        first_row + len,
                        started.elapsed()
                    )
                });
                first_row += len;
            }
        }
        Ok(())
    }

    fn read_slice(&self, part: &Part, start: usize, len: usize) -> Result<DataFrame> {
        let unreadable = |message: String| SoteriaError::Unreadable {
            path: part.path.clone(),
            format: "Parquet",
            message,
        };
        let file = std::fs::File::open(&part.path).map_err(|e| SoteriaError::io(&part.path, e))?;
        let mut frame = super::read::without_panics(|| {
            ParquetReader::new(file)
                .with_slice(Some((start, len)))
                .finish()
        })
        .map_err(unreadable)?;
        super::folder::add_hive_columns(&mut frame, &part.hive).map_err(unreadable)?;
        frame.rechunk_mut();
        Ok(frame)
    }
}

/// The (first row, rows) of each slice of a file with row groups of `row_groups` rows:
/// whole row groups gathered up to `target` rows, so that none is decoded twice, and a
/// row group larger than that cut into slices of `target` rows.
fn slice_ranges(row_groups: &[usize], target: usize) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let (mut start, mut len) = (0, 0);
    for &rows in row_groups {
        if rows > target {
            if len > 0 {
                ranges.push((start, len));
                start += len;
                len = 0;
            }
            let end = start + rows;
            while start < end {
                let n = target.min(end - start);
                ranges.push((start, n));
                start += n;
            }
            continue;
        }
        if len + rows > target && len > 0 {
            ranges.push((start, len));
            start += len;
            len = 0;
        }
        len += rows;
    }
    if len > 0 {
        ranges.push((start, len));
    }
    ranges
}

/// A file's SHA-256, read in blocks.
fn file_sha256(path: &Path) -> Result<String> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut f = std::fs::File::open(path).map_err(|e| SoteriaError::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut block = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut block).map_err(|e| SoteriaError::io(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&block[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// The account of a table validated in slices: the first slice's, with each later one's
/// added ([`TableQuality::absorb`]).
pub fn add_quality(sum: &mut Option<TableQuality>, next: TableQuality) {
    match sum {
        Some(q) => q.absorb(next),
        None => *sum = Some(next),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_gather_whole_row_groups_and_cut_only_large_ones() {
        assert_eq!(slice_ranges(&[3, 3, 3, 3], 7), [(0, 6), (6, 6)]);
        assert_eq!(
            slice_ranges(&[3, 20, 2], 7),
            [(0, 3), (3, 7), (10, 7), (17, 6), (23, 2)]
        );
        assert_eq!(slice_ranges(&[7, 7], 7), [(0, 7), (7, 7)]);
        assert_eq!(slice_ranges(&[], 7), []);
        let ranges = slice_ranges(&[5, 1, 9, 4, 4, 30, 1], 8);
        let rows: usize = ranges.iter().map(|r| r.1).sum();
        assert_eq!(rows, 54);
        assert!(ranges.windows(2).all(|w| w[0].0 + w[0].1 == w[1].0));
        assert!(ranges.iter().all(|r| r.1 > 0 && r.1 <= 8));
    }

    /// Slices validated one by one add up to the table validated whole: the same rows
    /// loaded, the same quarantine with the file's row numbers, the same account.
    #[test]
    fn slices_add_up_to_the_whole_table() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("events.parquet");
        let n = 50usize;
        let mut frame = df!(
            "event_id" => (0..n).map(|i| format!("E{i}")).collect::<Vec<_>>(),
            "crime_id" => (0..n).map(|i| if i % 7 == 3 { "X".to_string() } else { format!("C{}", i % 5) }).collect::<Vec<_>>(),
            "event_type" => (0..n).map(|i| if i % 11 == 4 { "NOPE" } else { "ARREST" }).collect::<Vec<_>>(),
            "event_date" => (0..n).map(|i| if i % 13 == 6 { None } else { Some(format!("2024-01-{:02}", 1 + i % 28)) }).collect::<Vec<_>>(),
            "detail" => (0..n).map(|i| (i % 3 == 0).then(|| "x".to_string())).collect::<Vec<_>>(),
        )
        .unwrap();
        let file = std::fs::File::create(&path).unwrap();
        ParquetWriter::new(file)
            .with_row_group_size(Some(8))
            .finish(&mut frame)
            .unwrap();
        let keys = OffenceKeys::new(
            df!(
                "crime_id" => ["C0", "C1", "C2", "C3", "C4"],
                "recorded_date" => [Some(19_000i32); 5],
            )
            .unwrap()
            .lazy()
            .with_column(col("recorded_date").cast(DataType::Date))
            .collect()
            .unwrap(),
        );
        let mapping = Mapping::default();
        let whole = validate::validate(
            TableName::Events,
            super::super::read::read_table_file(&path).unwrap(),
            &mapping,
            Some(&keys),
        )
        .unwrap();
        assert!(whole.quarantined.height() > 5, "the example has bad rows");

        let table = ParquetTable::open(&path).unwrap().unwrap();
        assert_eq!(table.rows(), n);
        let sha = table.sha256().unwrap();
        assert_eq!(sha, whole.quality.sha256);
        let mut slices = Vec::new();
        table
            .validate_in_slices(TableName::Events, &mapping, Some(&keys), &sha, 10, |v| {
                slices.push(v);
                Ok(())
            })
            .unwrap();
        // Row groups of 8, 8, 8, 8, 8, 8 and 2 rows in slices of at most 10: the last
        // two gathered.
        assert_eq!(slices.len(), 6);
        let mut quality = None;
        let (mut loaded, mut quarantined, mut keys_kept) = (Vec::new(), Vec::new(), Vec::new());
        for v in slices {
            add_quality(&mut quality, v.quality);
            loaded.push(v.loaded);
            quarantined.push(v.quarantined);
            keys_kept.push(v.keys);
        }
        let stack = |frames: Vec<DataFrame>| {
            let mut frames = frames.into_iter();
            let mut all = frames.next().unwrap();
            for f in frames {
                all.vstack_mut(&f).unwrap();
            }
            all
        };
        assert!(stack(loaded).equals_missing(&whole.loaded));
        assert!(stack(quarantined).equals_missing(&whole.quarantined));
        assert!(stack(keys_kept).equals_missing(&whole.keys));
        let json = |q: &TableQuality| serde_json::to_string(q).unwrap();
        assert_eq!(json(&quality.unwrap()), json(&whole.quality));
    }
}
