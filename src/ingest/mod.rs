//! Loading a dataset: find each table's file, read it, map it, validate it. Every
//! command loads through [`Dataset::load`], so every command sees the same rows.
pub mod cache;
pub mod folder;
pub mod mapping;
pub mod read;
pub mod slices;
pub mod validate;

pub use mapping::Mapping;
pub use validate::{RULES, TableQuality};

use crate::error::{Result, SoteriaError};
use crate::schema::TableName;
use crate::util::chrono_lite::Date;
use polars::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub struct Dataset {
    pub dir: PathBuf,
    tables: BTreeMap<TableName, DataFrame>,
    /// Each table's integer keys ([`validate::ValidatedTable::keys`]).
    keys: BTreeMap<TableName, DataFrame>,
    pub quarantine: BTreeMap<TableName, DataFrame>,
    pub quality: Vec<TableQuality>,
    /// Validated copies being written while the command works on (see [`Drop`]).
    copies: Vec<(TableName, std::thread::JoinHandle<Result<()>>)>,
    /// Columns of `events` kept only for the rows of some event types
    /// ([`Dataset::keep_event_column_for`]), by name.
    sparse_events: BTreeMap<String, std::sync::Arc<SparseColumn>>,
}

/// A column kept for some rows only: the rows, ascending, and their values.
pub struct SparseColumn {
    rows: Vec<IdxSize>,
    values: Series,
}

/// The positions of `types` in the event-type code list: the codes validation keeps.
fn event_type_codes(types: &[&str]) -> Vec<u8> {
    crate::schema::codes::EVENT_TYPES
        .iter()
        .enumerate()
        .filter(|(_, t)| types.contains(&t.code))
        .map(|(i, _)| i as u8)
        .collect()
}

/// One column of `events`, whole or kept for some rows; cheap to clone into a plan.
#[derive(Clone)]
pub enum EventColumn {
    Whole(Series),
    Sparse(std::sync::Arc<SparseColumn>),
}

impl EventColumn {
    /// Calls `each` with the text value at each of `rows` (ascending; null where a
    /// sparse column has none), in order, by one walk beside the column: no column of
    /// the values is made (for twenty million rows, 320 MB of string views).
    pub fn for_each_text_at<'a>(
        &'a self,
        rows: &[IdxSize],
        mut each: impl FnMut(usize, Option<&'a str>),
    ) -> PolarsResult<()> {
        debug_assert!(rows.windows(2).all(|w| w[0] <= w[1]), "rows are ascending");
        let (at, values): (Box<dyn Iterator<Item = IdxSize> + 'a>, &'a Series) = match self {
            EventColumn::Whole(s) => (Box::new(0..s.len() as IdxSize), s),
            EventColumn::Sparse(c) => (Box::new(c.rows.iter().copied()), &c.values),
        };
        let mut column = at.zip(values.str()?.iter()).peekable();
        for (i, row) in rows.iter().enumerate() {
            while column.next_if(|(r, _)| r < row).is_some() {}
            match column.peek() {
                Some((r, value)) if r == row => each(i, *value),
                _ => each(i, None),
            }
        }
        Ok(())
    }

    /// The values at `rows` of the table (null where a sparse column has none).
    pub fn at(&self, rows: &IdxCa) -> PolarsResult<Series> {
        match self {
            EventColumn::Whole(s) => s.take(rows),
            EventColumn::Sparse(c) => {
                let at: IdxCa = rows
                    .iter()
                    .map(|r| r.and_then(|r| c.rows.binary_search(&r).ok().map(|i| i as IdxSize)))
                    .collect();
                c.values.take(&at)
            }
        }
    }
}

/// A command does not wait for its validated copies before it starts work: they are
/// written on their own threads (compressing them took 3.5 s of a national first run),
/// and finished when the dataset goes, at the end of the command. A copy cut short (the
/// process killed) is never read, because its quality account is written last.
impl Drop for Dataset {
    fn drop(&mut self) {
        for (table, handle) in self.copies.drain(..) {
            match handle.join() {
                Ok(Ok(())) => {}
                Ok(Err(e)) => {
                    eprintln!("soteria: could not keep a validated copy of {table}: {e}")
                }
                Err(_) => eprintln!("soteria: could not keep a validated copy of {table}"),
            }
        }
    }
}

impl Dataset {
    /// Loads every table present in `dir`. `offences` must be there; the others are
    /// optional. Fails only for input that cannot be loaded at all.
    pub fn load(dir: &Path, mapping: Option<&Mapping>) -> Result<Dataset> {
        Dataset::load_tables(dir, mapping, |_| true)
    }

    /// Loads `offences` (always: every other table is checked against it) and the other
    /// tables for which `wanted` holds; a query over one table need not validate all.
    pub fn load_tables(
        dir: &Path,
        mapping: Option<&Mapping>,
        wanted: impl Fn(TableName) -> bool,
    ) -> Result<Dataset> {
        Dataset::load_columns(dir, mapping, wanted, |_| None)
    }

    /// Like [`Dataset::load_tables`], keeping of each table only the columns `columns`
    /// names (all when `None`). Every row and column is still validated (or was, for a
    /// validated copy, of which only those columns are read): a command that reads two
    /// columns of twenty million events need not hold five.
    pub fn load_columns(
        dir: &Path,
        mapping: Option<&Mapping>,
        wanted: impl Fn(TableName) -> bool,
        columns: impl Fn(TableName) -> Option<Vec<String>>,
    ) -> Result<Dataset> {
        Dataset::load_sparse(dir, mapping, wanted, columns, &[])
    }

    /// Like [`Dataset::load_columns`], keeping each `(column, event types)` of `sparse`
    /// (when `columns` asks for it) only for the events of those types, as
    /// [`Dataset::keep_event_column_for`] does; read from a validated copy, such a
    /// column is never held whole.
    pub fn load_sparse(
        dir: &Path,
        mapping: Option<&Mapping>,
        wanted: impl Fn(TableName) -> bool,
        columns: impl Fn(TableName) -> Option<Vec<String>>,
        sparse: &[(&str, Vec<&str>)],
    ) -> Result<Dataset> {
        let default_mapping = Mapping::default();
        let mapping = mapping.unwrap_or(&default_mapping);
        if !dir.is_dir() {
            return Err(SoteriaError::io(
                dir,
                std::io::Error::new(std::io::ErrorKind::NotFound, "dataset folder not found"),
            ));
        }
        let mut dataset = Dataset {
            dir: dir.to_path_buf(),
            tables: BTreeMap::new(),
            keys: BTreeMap::new(),
            quarantine: BTreeMap::new(),
            quality: Vec::new(),
            copies: Vec::new(),
            sparse_events: BTreeMap::new(),
        };
        let mapped = |t: TableName| mapping.files.get(t.as_str()).map(String::as_str);
        let offences_path =
            read::find_table_file(dir, TableName::Offences, mapped(TableName::Offences))?
                .ok_or_else(|| SoteriaError::NoOffences {
                    dir: dir.to_path_buf(),
                })?;
        // Every other table is checked against the offences' ids: read even when the
        // command itself does not ask for them, and let go once the others are loaded.
        let offence_columns = columns(TableName::Offences);
        let ids_unasked = offence_columns
            .as_ref()
            .is_some_and(|c| !c.iter().any(|c| c == "crime_id"));
        let offence_columns = offence_columns.map(|mut c| {
            if ids_unasked {
                c.push("crime_id".to_string());
            }
            c
        });
        dataset.add(
            TableName::Offences,
            &offences_path,
            mapping,
            None,
            offence_columns.as_deref(),
            &[],
        )?;
        let keys = validate::OffenceKeys::new(
            dataset.tables[&TableName::Offences].select(["crime_id", "recorded_date"])?,
        );
        for table in TableName::ALL.into_iter().skip(1).filter(|t| wanted(*t)) {
            if let Some(path) = read::find_table_file(dir, table, mapped(table))? {
                let sparse = if table == TableName::Events {
                    sparse
                } else {
                    &[]
                };
                dataset.add(
                    table,
                    &path,
                    mapping,
                    Some(&keys),
                    columns(table).as_deref(),
                    sparse,
                )?;
            }
        }
        if ids_unasked {
            drop(keys);
            let offences = dataset
                .tables
                .get_mut(&TableName::Offences)
                .expect("offences were loaded");
            offences.drop_in_place("crime_id")?;
        }
        Ok(dataset)
    }

    fn add(
        &mut self,
        table: TableName,
        path: &Path,
        mapping: &Mapping,
        keys: Option<&validate::OffenceKeys>,
        columns: Option<&[String]>,
        sparse: &[(&str, Vec<&str>)],
    ) -> Result<()> {
        let started = std::time::Instant::now();
        // Only the sparse columns the command reads.
        let sparse: Vec<&(&str, Vec<&str>)> = sparse
            .iter()
            .filter(|(c, _)| columns.is_none_or(|cs| cs.iter().any(|x| x == c)))
            .collect();
        // A table's dates are always kept: rows dated after the day of the run are
        // counted again on every load.
        let columns: Option<Vec<String>> = columns.map(|c| {
            let mut c = c.to_vec();
            let dates = table.spec().columns.iter();
            for d in dates.filter(|d| d.ty == crate::schema::ColumnType::Date) {
                if !c.iter().any(|x| x == d.name) {
                    c.push(d.name.to_string());
                }
            }
            c
        });
        let columns = columns.as_deref();
        // Of a validated copy, the dense columns are read whole and the sparse ones by
        // a filtered scan; a copy missing either is validated again.
        let dense: Option<Vec<String>> = if sparse.is_empty() {
            columns.map(<[String]>::to_vec)
        } else {
            let all: Vec<String> = match columns {
                Some(c) => c.to_vec(),
                None => table
                    .spec()
                    .columns
                    .iter()
                    .map(|c| c.name.to_string())
                    .collect(),
            };
            Some(
                all.into_iter()
                    .filter(|c| !sparse.iter().any(|(s, _)| s == c))
                    .collect(),
            )
        };
        let dense = dense.as_deref();
        let offences_sha = self
            .quality
            .first()
            .map_or(String::new(), |q| q.sha256.clone());
        let cache_key = |sha256: &str| {
            cache::Cache::key(
                table.as_str(),
                sha256,
                &format!("{mapping:?}"),
                &offences_sha,
            )
        };
        // A large Parquet table whose rows do not depend on one another is validated a
        // slice at a time into its copy, then read from the copy ([`slices`]).
        let slice_rows = slices::slice_rows();
        if let Some(c) = cache::Cache::from_env()
            && let Some(parquet) = slices::ParquetTable::open(path)?
            && parquet.rows() > slice_rows
        {
            let sha256 = parquet.sha256()?;
            let key = cache_key(&sha256);
            if self.read_copy(table, &c, &key, path, dense, &sparse)? {
                crate::util::trace(|| {
                    format!("{table}: validated copy read in {:.2?}", started.elapsed())
                });
                return Ok(());
            }
            let sliceable = match validate::unique_key(table) {
                Some((column, _)) => parquet.is_unique(mapping.source_name(column))?,
                None => true,
            };
            if sliceable {
                self.validate_in_slices(table, &c, &key, &parquet, mapping, keys, dense, &sparse)?;
                crate::util::trace(|| {
                    format!(
                        "{table}: validated in slices and read back in {:.2?}",
                        started.elapsed()
                    )
                });
                return Ok(());
            }
        }
        // A file's bytes, or a folder's files', with one SHA-256 over what was read.
        let (source, sha256, size) = if path.is_dir() {
            let (parts, sha) = folder::read_folder(path)?;
            let size = parts.iter().map(|(_, b)| b.len() as u64).sum();
            (Err(parts), sha, size)
        } else {
            let bytes = std::fs::read(path).map_err(|e| SoteriaError::io(path, e))?;
            let sha = read::sha256_hex(&bytes);
            let size = bytes.len() as u64;
            (Ok(bytes), sha, size)
        };
        // A large table's validation is kept; it rests on the offences it was checked
        // against, so a child table's key holds theirs. Looking a small table's crimes up
        // among millions of offences takes as long as validating a large one, so their
        // size counts too.
        let checked_against = keys
            .filter(|_| table.is_child_of_offences())
            .map_or(0, |k| k.frame.estimated_size() as u64);
        let cache = cache::Cache::from_env()
            .filter(|_| size + checked_against >= cache::min_cached_bytes())
            .map(|c| (c, cache_key(&sha256)));
        if let Some((c, key)) = &cache
            && self.read_copy(table, c, key, path, dense, &sparse)?
        {
            crate::util::trace(|| {
                format!("{table}: validated copy read in {:.2?}", started.elapsed())
            });
            return Ok(());
        }
        let raw = match source {
            Ok(bytes) => read::parse_table_bytes(path, bytes, sha256)?,
            Err(parts) => folder::parse_folder(path, parts, sha256)?,
        };
        let read_time = started.elapsed();
        let v = validate::validate(table, raw, mapping, keys)?;
        crate::util::trace(|| {
            format!(
                "{table}: read {:.2?}, validated {:.2?}, {} MB in memory",
                read_time,
                started.elapsed() - read_time,
                v.loaded.estimated_size() / 1_000_000
            )
        });
        if let Some((c, key)) = cache {
            // The run goes on whatever becomes of the copy: it only saves time next time.
            let copy = v.clone();
            let writer = std::thread::Builder::new()
                .name(format!("copy-{table}"))
                .spawn(move || c.put(&key, &copy));
            match writer {
                Ok(handle) => self.copies.push((table, handle)),
                Err(e) => eprintln!("soteria: could not keep a validated copy of {table}: {e}"),
            }
        }
        let mut v = v;
        if let Some(columns) = columns {
            v.loaded = v.loaded.select(columns.iter().map(String::as_str))?;
        }
        self.insert(table, v);
        for (column, types) in sparse {
            self.keep_event_column_for(column, types)?;
        }
        Ok(())
    }

    /// Validates `table` a slice at a time into its copy under `key`, then reads it back.
    #[allow(clippy::too_many_arguments)]
    fn validate_in_slices(
        &mut self,
        table: TableName,
        c: &cache::Cache,
        key: &str,
        parquet: &slices::ParquetTable,
        mapping: &Mapping,
        keys: Option<&validate::OffenceKeys>,
        dense: Option<&[String]>,
        sparse: &[&(&str, Vec<&str>)],
    ) -> Result<()> {
        let sha256 = parquet.sha256()?;
        c.put_slices(key, |keep| {
            parquet.validate_in_slices(table, mapping, keys, &sha256, slices::slice_rows(), keep)
        })?;
        if !self.read_copy(table, c, key, &parquet.path, dense, sparse)? {
            return Err(SoteriaError::Other(format!(
                "{}: the validated copy of table `{table}` just written to the cache folder could not be read back (SOTERIA_CACHE=off validates it in memory)",
                parquet.path.display()
            )));
        }
        Ok(())
    }

    /// Reads `table` from its validated copy under `key`, if a complete one is there:
    /// the `dense` columns whole, each of `sparse` for its event types only.
    fn read_copy(
        &mut self,
        table: TableName,
        c: &cache::Cache,
        key: &str,
        path: &Path,
        dense: Option<&[String]>,
        sparse: &[&(&str, Vec<&str>)],
    ) -> Result<bool> {
        let Some(mut v) = c.get(key, path, dense) else {
            return Ok(false);
        };
        let mut kept = Vec::with_capacity(sparse.len());
        for (column, types) in sparse {
            let Some(values) = c.sparse_column(key, column, &event_type_codes(types)) else {
                return Ok(false);
            };
            kept.push((column.to_string(), values));
        }
        for (column, values) in kept {
            self.sparse_events
                .insert(column, std::sync::Arc::new(values));
        }
        // What depends on the day of the run is counted again, and the shares of the
        // dense columns read are computed again rather than read back from decimal
        // text (a sparse column's share stays as validation worked it out).
        v.quality.future_dated_rows = validate::future_dated_rows(table.spec(), &v.loaded)?;
        let shares = validate::completeness(table.spec(), &v.loaded)?;
        v.quality.completeness.extend(shares);
        self.insert(table, v);
        Ok(true)
    }

    fn insert(&mut self, table: TableName, v: validate::ValidatedTable) {
        self.tables.insert(table, v.loaded);
        self.keys.insert(table, v.keys);
        self.quarantine.insert(table, v.quarantined);
        self.quality.push(v.quality);
    }

    pub fn table(&self, table: TableName) -> Option<&DataFrame> {
        self.tables.get(&table)
    }

    pub fn lazy(&self, table: TableName) -> Option<LazyFrame> {
        self.tables.get(&table).map(|df| df.clone().lazy())
    }

    /// The row of each loaded row's crime among the loaded offences (null for a row
    /// without a crime), for a table that joins `offences`.
    pub fn crime_rows(&self, table: TableName) -> Option<&IdxCa> {
        let column = self.keys.get(&table)?.column(validate::CRIME_ROW).ok()?;
        column.idx().ok()
    }

    /// Keeps `column` of `events` only for the rows whose type is one of `types` (codes
    /// of the code list); [`Dataset::event_column`] reads null for the others. A flight
    /// deck reads `detail` and `suspect_id` of a few types among twenty million events:
    /// held whole, the two took 640 MB. The table no longer shows the column.
    fn keep_event_column_for(&mut self, column: &str, types: &[&str]) -> Result<()> {
        let codes = event_type_codes(types);
        let (Some(events), Some(keys)) = (
            self.tables.get_mut(&TableName::Events),
            self.keys.get(&TableName::Events),
        ) else {
            return Ok(());
        };
        if events.column(column).is_err() {
            return Ok(());
        }
        let rows: Vec<IdxSize> = keys
            .column(validate::EVENT_CODE)?
            .u8()?
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_some_and(|c| codes.contains(&c)))
            .map(|(i, _)| i as IdxSize)
            .collect();
        let whole = events.drop_in_place(column)?;
        let values = whole.as_materialized_series().take_slice(&rows)?;
        self.sparse_events.insert(
            column.to_string(),
            std::sync::Arc::new(SparseColumn { rows, values }),
        );
        Ok(())
    }

    /// A column of `events`, whole or as kept by [`Dataset::keep_event_column_for`].
    pub fn event_column(&self, column: &str) -> Option<EventColumn> {
        if let Some(c) = self.sparse_events.get(column) {
            return Some(EventColumn::Sparse(c.clone()));
        }
        let c = self.table(TableName::Events)?.column(column).ok()?;
        Some(EventColumn::Whole(c.as_materialized_series().clone()))
    }

    /// The position of each loaded event's type in the code list.
    pub fn event_codes(&self) -> Option<&UInt8Chunked> {
        let keys = self.keys.get(&TableName::Events)?;
        keys.column(validate::EVENT_CODE).ok()?.u8().ok()
    }

    pub fn offences(&self) -> &DataFrame {
        &self.tables[&TableName::Offences]
    }

    pub fn has(&self, table: TableName) -> bool {
        self.tables.contains_key(&table)
    }

    /// The table is loaded and its file had the column (an absent nullable column is
    /// loaded as nulls, which is not the same as having it).
    pub fn has_column(&self, table: TableName, column: &str) -> bool {
        self.has(table)
            && self
                .quality
                .iter()
                .find(|q| q.table == table.as_str())
                .is_none_or(|q| !q.absent_columns.iter().any(|c| c == column))
    }

    pub fn rows_quarantined(&self) -> usize {
        self.quality.iter().map(|q| q.rows_quarantined).sum()
    }

    /// The line every command prints on stderr after loading.
    pub fn summary_line(&self) -> String {
        let read: usize = self.quality.iter().map(|q| q.rows_read).sum();
        let quarantined = self.rows_quarantined();
        if quarantined == 0 {
            format!(
                "soteria: loaded {} tables from {} ({read} rows, none quarantined)",
                self.quality.len(),
                self.dir.display()
            )
        } else {
            let by_table: Vec<String> = self
                .quality
                .iter()
                .filter(|q| q.rows_quarantined > 0)
                .map(|q| format!("{} {}", q.table, q.rows_quarantined))
                .collect();
            format!(
                "soteria: loaded {} tables from {} ({read} rows); {quarantined} rows quarantined ({}); run `soteria validate --data {}` for details",
                self.quality.len(),
                self.dir.display(),
                by_table.join(", "),
                self.dir.display()
            )
        }
    }

    /// The spec's default as-at date: the latest recorded, outcome or event date.
    pub fn default_as_at(&self) -> Option<Date> {
        let mut latest: Option<i32> = None;
        for (table, column) in [
            (TableName::Offences, "recorded_date"),
            (TableName::Outcomes, "outcome_date"),
            (TableName::Events, "event_date"),
        ] {
            if let Some(df) = self.table(table) {
                let days = df
                    .column(column)
                    .ok()?
                    .as_materialized_series()
                    .cast(&DataType::Int32)
                    .ok()?;
                if let Some(max) = days.i32().ok()?.max() {
                    latest = Some(latest.map_or(max, |l| l.max(max)));
                }
            }
        }
        latest.map(Date::from_days)
    }

    /// The first month of `offences.recorded_date`: where the extract's coverage starts
    /// unless the user says otherwise (flight-deck spec, version 2).
    pub fn first_recorded_month(&self) -> Option<crate::util::Month> {
        let days = self
            .offences()
            .column("recorded_date")
            .ok()?
            .as_materialized_series()
            .cast(&DataType::Int32)
            .ok()?;
        let first = days.i32().ok()?.min()?;
        Some(crate::util::Month::of(Date::from_days(first)))
    }

    /// The forces of the offences table, sorted.
    pub fn forces(&self) -> Result<Vec<String>> {
        let df = self
            .offences()
            .clone()
            .lazy()
            .select([col("force")])
            .unique(None, UniqueKeepStrategy::Any)
            .sort(["force"], SortMultipleOptions::default())
            .collect()?;
        Ok(df
            .column("force")?
            .str()?
            .iter()
            .flatten()
            .map(str::to_string)
            .collect())
    }

    /// The as-at date asked for, or the spec's default.
    pub fn as_at(&self, asked: Option<Date>) -> Result<Date> {
        asked
            .or_else(|| self.default_as_at())
            .ok_or_else(|| SoteriaError::Other("the dataset has no dated rows".into()))
    }

    /// Writes each table's quarantined rows to `dir/<table>.csv`, after clearing the
    /// quarantine files an earlier run left there. A folder that holds an input table (the
    /// dataset's own folder, say) is refused: its tables would be overwritten.
    pub fn write_quarantine(&self, dir: &Path) -> Result<Vec<PathBuf>> {
        let same = |a: &Path, b: &Path| matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y);
        if same(dir, &self.dir) {
            return Err(SoteriaError::Usage(format!(
                "--quarantine {}: that is the dataset's folder, and quarantine files would replace its tables",
                dir.display()
            )));
        }
        let mut earlier = Vec::new();
        for table in TableName::ALL {
            for ext in ["csv", "parquet", "arrow", "ipc"] {
                let path = dir.join(format!("{table}.{ext}"));
                let Ok(meta) = std::fs::symlink_metadata(&path) else {
                    continue;
                };
                // Only a plain file Soteria wrote is replaced; a link would be written
                // through to whatever it points at.
                if ext == "csv" && meta.is_file() && is_quarantine_file(&path) {
                    earlier.push(path);
                } else {
                    return Err(SoteriaError::Usage(format!(
                        "--quarantine {}: it holds the table {}, which quarantine files would replace; choose another folder",
                        dir.display(),
                        path.display()
                    )));
                }
            }
        }
        for path in earlier {
            std::fs::remove_file(&path).map_err(|e| SoteriaError::io(&path, e))?;
        }
        let mut written = Vec::new();
        for (table, df) in &self.quarantine {
            let path = dir.join(format!("{table}.csv"));
            crate::output::write_frame(df, crate::output::OutputFormat::Csv, Some(&path))?;
            written.push(path);
        }
        Ok(written)
    }
}

/// A quarantine file Soteria wrote: its header starts with the quarantine's own columns.
fn is_quarantine_file(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 64];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    head[..n].starts_with(QUARANTINE_HEADER.as_bytes())
}

/// The first columns of every quarantine file.
pub const QUARANTINE_HEADER: &str = "source_row,rule,column,value";

#[cfg(test)]
mod sparse_tests {
    use super::*;

    /// A column kept for some rows reads their values, and null for every other row and
    /// for a null row index, as the whole column would with those rows' values blanked.
    #[test]
    fn a_sparse_column_reads_its_rows_and_null_elsewhere() {
        let whole = Series::new("detail".into(), ["a", "b", "c", "d", "e", "f"]);
        let rows: Vec<IdxSize> = vec![1, 4, 5];
        let sparse = EventColumn::Sparse(std::sync::Arc::new(SparseColumn {
            values: whole.take_slice(&rows).unwrap(),
            rows,
        }));
        let texts_at = |column: &EventColumn, at: &IdxCa| -> Vec<Option<String>> {
            let values = column.at(at).unwrap();
            let texts = values.str().unwrap().iter();
            texts.map(|v| v.map(str::to_string)).collect()
        };
        let at: IdxCa = [Some(5), Some(0), None, Some(4), Some(1), Some(1)]
            .into_iter()
            .collect();
        let got = texts_at(&sparse, &at);
        let expected = [Some("f"), None, None, Some("e"), Some("b"), Some("b")];
        assert_eq!(got, expected.map(|v| v.map(str::to_string)));
        // Walked at ascending rows, the same values, whole or sparse.
        let rows: Vec<IdxSize> = vec![0, 1, 1, 3, 4, 5];
        for column in [&sparse, &EventColumn::Whole(whole.clone())] {
            let mut got: Vec<Option<String>> = Vec::new();
            column
                .for_each_text_at(&rows, |i, v| {
                    assert_eq!(i, got.len());
                    got.push(v.map(str::to_string));
                })
                .unwrap();
            assert_eq!(
                got,
                texts_at(column, &IdxCa::from_vec("r".into(), rows.clone()))
            );
        }
        let from_whole = EventColumn::Whole(whole).at(&at).unwrap();
        assert_eq!(from_whole.str().unwrap().get(0), Some("f"));
        assert_eq!(from_whole.str().unwrap().get(2), None);
    }
}
