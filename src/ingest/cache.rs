//! Validated tables kept between runs. Validating a national extract (25 million rows)
//! takes seconds every command; its result depends only on the file's bytes, the mapping,
//! the offences it was checked against and the engine. So a large table, once validated,
//! is kept as Parquet beside its quality account under a key of all four, and a later
//! run with the same inputs reads it back instead of validating again. A changed input
//! has another key: a stale copy is never used. The folder is the user's to move
//! (`SOTERIA_CACHE=DIR`), switch off (`SOTERIA_CACHE=off`) or delete at any time.
use super::validate::{TableQuality, ValidatedTable};
use crate::error::{Result, SoteriaError};
use polars::prelude::*;
use std::path::{Path, PathBuf};

/// Tables read from files smaller than this (with, for a table checked against the
/// offences, the offences' ids) are validated every time: it takes milliseconds, and
/// keeping them would only fill the folder. `SOTERIA_CACHE_MIN_BYTES` sets another size.
pub const MIN_CACHED_BYTES: u64 = 4 * 1024 * 1024;

/// The size from which a table's validation is kept.
pub fn min_cached_bytes() -> u64 {
    std::env::var("SOTERIA_CACHE_MIN_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(MIN_CACHED_BYTES)
}

/// Bumped whenever what validation produces changes shape.
const CACHE_FORMAT: &str = "2";

#[derive(Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// `SOTERIA_CACHE` (a folder, or `off`), else `$XDG_CACHE_HOME/soteria`, else
    /// `$HOME/.cache/soteria`; `None` when switched off or there is no home.
    pub fn from_env() -> Option<Cache> {
        let dir = match std::env::var_os("SOTERIA_CACHE") {
            Some(v) if v == "off" || v.is_empty() => return None,
            Some(v) => PathBuf::from(v),
            None => match std::env::var_os("XDG_CACHE_HOME") {
                Some(x) if !x.is_empty() => PathBuf::from(x).join("soteria"),
                _ => PathBuf::from(std::env::var_os("HOME")?).join(".cache/soteria"),
            },
        };
        Some(Cache { dir })
    }

    /// The key of a table's validation: everything its result depends on.
    pub fn key(table: &str, file_sha256: &str, mapping: &str, offences_sha256: &str) -> String {
        crate::ingest::read::sha256_hex(
            format!(
                "soteria {} cache {CACHE_FORMAT}\n{table}\n{file_sha256}\n{mapping}\n{offences_sha256}",
                env!("CARGO_PKG_VERSION")
            )
            .as_bytes(),
        )
    }

    fn paths(&self, key: &str) -> [PathBuf; 3] {
        [
            self.dir.join(format!("{key}.loaded.parquet")),
            self.dir.join(format!("{key}.quarantined.parquet")),
            self.dir.join(format!("{key}.quality.json")),
        ]
    }

    /// The validated table under `key`, if a complete copy is there. A copy that cannot
    /// be read is ignored (the table is validated again and the copy rewritten).
    /// With `columns`, only those of the table's columns are read (with its keys).
    pub fn get(
        &self,
        key: &str,
        file: &Path,
        columns: Option<&[String]>,
    ) -> Option<ValidatedTable> {
        let [loaded, quarantined, quality] = self.paths(key);
        let mut quality: TableQuality =
            serde_json::from_slice(&std::fs::read(quality).ok()?).ok()?;
        let read = |p: &Path, columns: Option<Vec<String>>| -> Option<DataFrame> {
            let f = std::fs::File::open(p).ok()?;
            ParquetReader::new(f).with_columns(columns).finish().ok()
        };
        let columns = columns.map(|c| {
            let mut with_keys = c.to_vec();
            let file_columns = ParquetReader::new(std::fs::File::open(&loaded).ok()?)
                .schema()
                .ok()?;
            for k in [super::validate::CRIME_ROW, super::validate::EVENT_CODE] {
                if file_columns.contains(k) {
                    with_keys.push(k.to_string());
                }
            }
            Some(with_keys)
        });
        let columns = match columns {
            Some(c) => Some(c?),
            None => None,
        };
        let (loaded, quarantined) = (read(&loaded, columns)?, read(&quarantined, None)?);
        let (loaded, keys) = ValidatedTable::split_keys(loaded).ok()?;
        if loaded.height() != quality.rows_loaded
            || quarantined.height() != quality.rows_quarantined
        {
            return None;
        }
        quality.file = file.display().to_string();
        Some(ValidatedTable {
            loaded,
            quarantined,
            quality,
            keys,
        })
    }

    /// Of the validated copy under `key` (of `events`), `column` at the rows whose type
    /// code is one of `codes` only: the scan filters each row group as it reads it, so
    /// the column is never held whole (`detail` of twenty million events is 400 MB).
    /// `None` when the copy cannot be read.
    pub fn sparse_column(
        &self,
        key: &str,
        column: &str,
        codes: &[u8],
    ) -> Option<super::SparseColumn> {
        let [loaded, ..] = self.paths(key);
        let path = PlRefPath::try_from_path(&loaded).ok()?;
        let args = ScanArgsParquet {
            glob: false,
            ..Default::default()
        };
        let codes = Series::new("codes".into(), codes);
        let kept = LazyFrame::scan_parquet(path, args)
            .ok()?
            .with_row_index("row", None)
            .filter(col(super::validate::EVENT_CODE).is_in(lit(codes).implode(false), false))
            .select([col("row"), col(column)])
            .collect()
            .ok()?;
        let rows = kept.column("row").ok()?.idx().ok()?;
        let rows: Vec<IdxSize> = rows.into_no_null_iter().collect();
        let values = kept.column(column).ok()?.as_materialized_series().clone();
        Some(super::SparseColumn { rows, values })
    }

    /// Keeps a validated table under `key`; the quality account is written last, so a
    /// copy interrupted half-way is never read.
    pub fn put(&self, key: &str, v: &ValidatedTable) -> Result<()> {
        std::fs::create_dir_all(&self.dir).map_err(|e| SoteriaError::io(&self.dir, e))?;
        let [loaded, ..] = self.paths(key);
        // The integer keys are kept in the same file, beside the table's columns.
        let with_keys = v.loaded.hstack(v.keys.columns())?;
        crate::output::write_atomic_with(&loaded, |f| {
            ParquetWriter::new(f)
                .finish(&mut with_keys.clone())
                .map(|_| ())
                .map_err(std::io::Error::other)
        })?;
        self.put_account(key, &v.quarantined, &v.quality)
    }

    /// The quarantine, then the quality account that makes a copy complete.
    fn put_account(&self, key: &str, quarantine: &DataFrame, quality: &TableQuality) -> Result<()> {
        let [_, quarantined, account] = self.paths(key);
        crate::output::write_atomic_with(&quarantined, |f| {
            ParquetWriter::new(f)
                .finish(&mut quarantine.clone())
                .map(|_| ())
                .map_err(std::io::Error::other)
        })?;
        let json = serde_json::to_vec(quality).expect("the quality account serialises");
        crate::output::write_atomic(&account, &json)
    }

    /// Keeps under `key` a table validated slice by slice: `validate` hands each slice's
    /// validation, in row order, to the sink it is given, which appends it to the copy;
    /// no more than a slice is held at a time (and the quarantine, usually small).
    pub fn put_slices(
        &self,
        key: &str,
        validate: impl FnOnce(&mut dyn FnMut(ValidatedTable) -> Result<()>) -> Result<()>,
    ) -> Result<()> {
        std::fs::create_dir_all(&self.dir).map_err(|e| SoteriaError::io(&self.dir, e))?;
        // As `write_atomic_with` does: a link is written through, never replaced, and the
        // temporary file (named as it names them, so a stale one is cleared) sits beside
        // what it becomes.
        let [loaded, ..] = self.paths(key);
        let loaded = crate::output::resolve_links(&loaded)?;
        let dir = loaded.parent().unwrap_or(&self.dir);
        let tmp = dir.join(format!(
            ".{}.tmp-{}",
            loaded.file_name().unwrap_or_default().to_string_lossy(),
            std::process::id()
        ));
        let mut writer: Option<polars::io::parquet::write::BatchedWriter<std::fs::File>> = None;
        let mut quality: Option<TableQuality> = None;
        let mut quarantine: Option<DataFrame> = None;
        let written = validate(&mut |v: ValidatedTable| {
            let with_keys = v.loaded.hstack(v.keys.columns())?;
            let w = match &mut writer {
                Some(w) => w,
                None => {
                    let file =
                        std::fs::File::create(&tmp).map_err(|e| SoteriaError::io(&tmp, e))?;
                    writer.insert(ParquetWriter::new(file).batched(with_keys.schema())?)
                }
            };
            w.write_batch(&with_keys)?;
            super::slices::add_quality(&mut quality, v.quality);
            match &mut quarantine {
                Some(q) => {
                    q.vstack_mut(&v.quarantined)?;
                }
                None => quarantine = Some(v.quarantined),
            }
            Ok(())
        })
        .and_then(|()| {
            if let Some(w) = writer.take() {
                w.finish()?;
            }
            std::fs::rename(&tmp, &loaded).map_err(|e| SoteriaError::io(&loaded, e))
        });
        if let Err(e) = written {
            drop(writer);
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        match (quarantine, quality) {
            (Some(mut quarantine), Some(quality)) => {
                quarantine.rechunk_mut();
                self.put_account(key, &quarantine, &quality)
            }
            _ => Err(SoteriaError::Other(
                "a table validated in slices had no slice".into(),
            )),
        }
    }
}
