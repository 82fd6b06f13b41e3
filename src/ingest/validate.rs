//! Validation: every rule of the standard, applied in one lazy pass per table. Each row
//! either loads with standard types or goes to quarantine with the first rule it broke,
//! the column and the value, so rows read = rows loaded + rows quarantined.
use super::mapping::Mapping;
use super::read::{FileFormat, RawTable};
use crate::error::{Result, SoteriaError};
use crate::schema::{Column, ColumnType, Domain, TableName, TableSpec};
use crate::util::is_one_of;
use polars::prelude::*;
use std::collections::BTreeMap;

/// Rule ids, in the order in which a row's first broken rule is chosen.
pub const RULES: &[&str] = &[
    "too_many_fields",
    "nul_byte",
    "empty_row",
    "missing_value",
    "bad_type",
    "unknown_code",
    "out_of_range",
    "date_out_of_range",
    "date_order",
    "duplicate_crime_id",
    "duplicate_officer_id",
    "duplicate_response_id",
    "orphan_crime_id",
];

/// Dates outside 1900-01-01 to 2099-12-31 are `date_out_of_range` (extract standard 1.1):
/// `9999-12-31` is a common "unknown", and no RASSO record is that old or that new.
fn date_bounds() -> (i32, i32) {
    use crate::util::chrono_lite::Date;
    (Date::new(1900, 1, 1).days(), Date::new(2099, 12, 31).days())
}

/// The key that must be unique in a table, and the rule a repeat breaks.
pub(super) fn unique_key(table: TableName) -> Option<(&'static str, &'static str)> {
    match table {
        TableName::Offences => Some(("crime_id", "duplicate_crime_id")),
        TableName::Staff => Some(("officer_id", "duplicate_officer_id")),
        TableName::Feedback => Some(("response_id", "duplicate_response_id")),
        _ => None,
    }
}

/// A raw value as text for a quarantine file: a column that holds dates the calendar
/// code cannot print (year 273,000) is read from its `__text_` column, made in Rust.
fn value_text(name: &str, unprintable: &[String]) -> Expr {
    if unprintable.iter().any(|n| n == name) {
        col(format!("{TEXT_PREFIX}{name}"))
    } else {
        col(name).cast(DataType::String)
    }
}

/// Text of every value of a date or timestamp column whose range passes what polars can
/// print, with such values given as day numbers; `None` when every value prints (the
/// usual case, checked from the column's minimum and maximum).
fn unprintable_dates(column: &polars::prelude::Column) -> Result<Option<Vec<Option<String>>>> {
    let per_day: i64 = match column.dtype() {
        DataType::Date => 1,
        DataType::Datetime(TimeUnit::Nanoseconds, _) => 86_400_000_000_000,
        DataType::Datetime(TimeUnit::Microseconds, _) => 86_400_000_000,
        DataType::Datetime(TimeUnit::Milliseconds, _) => 86_400_000,
        _ => return Ok(None),
    };
    let raw = column.cast(&DataType::Int64)?;
    let raw = raw.i64()?;
    let days = |v: i64| v.div_euclid(per_day);
    // Well inside the calendar polars prints (about +/- 262,000 years).
    let printable = |d: i64| (-2_000_000..=2_000_000).contains(&d);
    if raw.min().is_none_or(|m| printable(days(m))) && raw.max().is_none_or(|m| printable(days(m)))
    {
        return Ok(None);
    }
    Ok(Some(
        raw.iter()
            .map(|v| {
                v.map(|v| {
                    let d = days(v);
                    if printable(d) {
                        crate::util::chrono_lite::Date::from_days(d as i32).to_string()
                    } else {
                        format!("day {d} after 1970-01-01")
                    }
                })
            })
            .collect(),
    ))
}

pub const ROW_COL: &str = "source_row";
/// The rule and excerpt of a row the reader could not take whole.
const READ_RULE: &str = "__read_rule";
const READ_VALUE: &str = "__read_value";
/// The printed text of a date column whose values polars cannot print.
const TEXT_PREFIX: &str = "__text_";
const RULE_COL: &str = "rule";
const COLUMN_COL: &str = "column";
const VALUE_COL: &str = "value";
const RECORDED_KEY: &str = "__offence_recorded_date";
/// The row breaks one of the row rules.
const ROW_BAD: &str = "__row_bad";
/// The row breaks any rule.
const BAD: &str = "__bad";

/// The data-quality account of one table.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TableQuality {
    pub table: String,
    pub file: String,
    pub format: String,
    pub sha256: String,
    pub rows_read: usize,
    pub rows_loaded: usize,
    pub rows_quarantined: usize,
    /// Quarantined rows by rule (every rule listed, zero included).
    pub rules: BTreeMap<String, usize>,
    /// Repairs made while loading, by kind.
    pub repairs: BTreeMap<String, usize>,
    /// Share of loaded rows with a value, for each nullable column.
    pub completeness: BTreeMap<String, Option<f64>>,
    /// Columns of the standard absent from the file (nullable ones, loaded as null).
    pub absent_columns: Vec<String>,
    /// Columns in the file that the standard does not have (kept, ignored by indicators).
    pub extra_columns: Vec<String>,
    pub date_column: Option<String>,
    pub date_min: Option<String>,
    pub date_max: Option<String>,
    /// Loaded rows with a date after the day of the run: a warning, not a rule.
    pub future_dated_rows: usize,
}

impl TableQuality {
    /// Adds the account of the table's next slice (validated on its own, rows after this
    /// one's) so that the sum is the account validating both at once gives.
    pub fn absorb(&mut self, next: TableQuality) {
        let nulls = |q: &TableQuality, share: Option<f64>| -> f64 {
            // A share is 1 - nulls / rows of whole counts: the count comes back exactly.
            share.map_or(0.0, |s| ((1.0 - s) * q.rows_loaded as f64).round())
        };
        let shares: BTreeMap<String, Option<f64>> = self
            .completeness
            .iter()
            .map(|(column, share)| {
                let theirs = next.completeness.get(column).copied().flatten();
                let null_rows = nulls(self, *share) + nulls(&next, theirs);
                let rows = self.rows_loaded + next.rows_loaded;
                let share = (rows > 0).then(|| 1.0 - null_rows / rows as f64);
                (column.clone(), share)
            })
            .collect();
        self.completeness = shares;
        self.rows_read += next.rows_read;
        self.rows_loaded += next.rows_loaded;
        self.rows_quarantined += next.rows_quarantined;
        for (rule, n) in next.rules {
            *self.rules.entry(rule).or_default() += n;
        }
        for (kind, n) in next.repairs {
            *self.repairs.entry(kind).or_default() += n;
        }
        self.date_min = [self.date_min.take(), next.date_min]
            .into_iter()
            .flatten()
            .min();
        self.date_max = [self.date_max.take(), next.date_max]
            .into_iter()
            .flatten()
            .max();
        self.future_dated_rows += next.future_dated_rows;
    }
}

#[derive(Clone)]
pub struct ValidatedTable {
    pub loaded: DataFrame,
    pub quarantined: DataFrame,
    pub quality: TableQuality,
    /// Integer keys of the loaded rows worked out while validating, so that no command
    /// has to look them up again: [`CRIME_ROW`] (the row of each row's crime among the
    /// loaded offences) for the tables that join `offences`, and [`EVENT_CODE`] (the
    /// position of the event type in its code list) for `events`. Kept beside the
    /// validated copy; never part of the table a user sees.
    pub keys: DataFrame,
}

/// The row of a row's crime among the loaded offences.
pub const CRIME_ROW: &str = "__crime_row";
/// The position of an event's type in the code list.
pub const EVENT_CODE: &str = "__event_code";

impl ValidatedTable {
    /// Splits the integer keys off a frame that holds them (a validated copy read back).
    pub fn split_keys(mut loaded: DataFrame) -> Result<(DataFrame, DataFrame)> {
        let mut keys = Vec::new();
        for name in [CRIME_ROW, EVENT_CODE] {
            if loaded.get_column_index(name).is_some() {
                keys.push(loaded.drop_in_place(name)?);
            }
        }
        let keys = DataFrame::new(loaded.height(), keys)?;
        Ok((loaded, keys))
    }
}

fn typed_name(c: &str) -> String {
    format!("__t_{c}")
}

/// The loaded offences' ids and recorded dates, which every child table is checked
/// against, and a map from id to row built once however many tables or slices use it.
pub struct OffenceKeys {
    /// `crime_id` and `recorded_date` of the loaded offences.
    pub frame: DataFrame,
    rows: std::sync::OnceLock<std::sync::Arc<CrimeRowMap>>,
}

/// The row of each offence by its id. Keyed by a 64-bit hash of the id, each hit checked
/// against the id itself, rather than by the ids: twenty million ids as strings took
/// 20 s and 1.3 GB to map (an allocation each). Ids whose hashes collide are kept by
/// their text as well, so a lookup is exact whatever the hash does.
pub struct CrimeRowMap {
    hash: fn(&str) -> u64,
    ids: StringChunked,
    by_hash: rustc_hash::FxHashMap<u64, IdxSize>,
    colliding: rustc_hash::FxHashMap<String, IdxSize>,
}

fn id_hash(id: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(id)
}

impl CrimeRowMap {
    pub fn new(ids: &StringChunked) -> CrimeRowMap {
        CrimeRowMap::with_hash(ids, id_hash)
    }

    fn with_hash(ids: &StringChunked, hash: fn(&str) -> u64) -> CrimeRowMap {
        let ids = ids.rechunk().into_owned();
        let mut by_hash =
            rustc_hash::FxHashMap::with_capacity_and_hasher(ids.len(), Default::default());
        let mut colliding = rustc_hash::FxHashMap::default();
        for (row, id) in ids.iter().enumerate() {
            let Some(id) = id else { continue };
            let row = row as IdxSize;
            match by_hash.entry(hash(id)) {
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(row);
                }
                std::collections::hash_map::Entry::Occupied(e) => {
                    // Equal ids, or a collision: both kept by text; the later row wins,
                    // as a map of the ids would have it.
                    let first = *e.get();
                    if let Some(other) = ids.get(first as usize) {
                        colliding.entry(other.to_string()).or_insert(first);
                    }
                    colliding.insert(id.to_string(), row);
                }
            }
        }
        CrimeRowMap {
            hash,
            ids,
            by_hash,
            colliding,
        }
    }

    pub fn get(&self, id: &str) -> Option<IdxSize> {
        if !self.colliding.is_empty()
            && let Some(row) = self.colliding.get(id)
        {
            return Some(*row);
        }
        let row = *self.by_hash.get(&(self.hash)(id))?;
        (self.ids.get(row as usize) == Some(id)).then_some(row)
    }
}

impl OffenceKeys {
    pub fn new(frame: DataFrame) -> OffenceKeys {
        OffenceKeys {
            frame,
            rows: std::sync::OnceLock::new(),
        }
    }

    fn rows(&self) -> Result<std::sync::Arc<CrimeRowMap>> {
        if let Some(rows) = self.rows.get() {
            return Ok(rows.clone());
        }
        let rows = CrimeRowMap::new(self.frame.column("crime_id")?.str()?);
        Ok(self.rows.get_or_init(|| std::sync::Arc::new(rows)).clone())
    }
}

/// Validates one raw table. `offence_keys` is given for child tables, after `offences`
/// itself has been validated.
pub fn validate(
    table: TableName,
    raw: RawTable,
    mapping: &Mapping,
    offence_keys: Option<&OffenceKeys>,
) -> Result<ValidatedTable> {
    let spec = table.spec();
    let RawTable {
        path,
        format,
        frame,
        repairs: read_repairs,
        sha256,
        rejected,
        first_row,
    } = raw;
    let mut frame = rename_to_standard(frame, spec, mapping)?;
    let mut absent = Vec::new();
    for c in spec.columns {
        if frame.column(c.name).is_err() {
            if !c.nullable {
                let names: Vec<String> = frame
                    .get_column_names()
                    .iter()
                    .map(|s| s.to_string())
                    .collect();
                let hint = crate::util::nearest(mapping.source_name(c.name), &names)
                    .map(|n| format!(" (found `{n}`: a typo, or a column to map with --mapping?)"))
                    .unwrap_or_default();
                let shown = if mapping.source_name(c.name) != c.name {
                    format!("{} (mapped from `{}`)", c.name, mapping.source_name(c.name))
                } else {
                    c.name.to_string()
                };
                return Err(SoteriaError::MissingColumn {
                    path,
                    table: table.to_string(),
                    column: shown,
                    hint,
                });
            }
            absent.push(c.name.to_string());
            frame.with_column(polars::prelude::Column::full_null(
                c.name.into(),
                frame.height(),
                &DataType::String,
            ))?;
        }
    }
    let raw_columns: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    let extra_columns: Vec<String> = raw_columns
        .iter()
        .filter(|n| spec.column(n).is_none())
        .cloned()
        .collect();
    let rows_read = frame.height();
    let trim = format == FileFormat::Csv;

    // Rows the reader blanked (too many fields, a NUL byte): their rule and an excerpt.
    let mut frame = frame;
    if !rejected.is_empty() {
        let mut rule: Vec<Option<&str>> = vec![None; rows_read];
        let mut value: Vec<Option<String>> = vec![None; rows_read];
        for (row, r, excerpt) in &rejected {
            if let Some(slot) = rule.get_mut(row - 1) {
                *slot = Some(r);
                value[row - 1] = Some(excerpt.clone());
            }
        }
        frame.with_column(polars::prelude::Column::new(READ_RULE.into(), rule))?;
        frame.with_column(polars::prelude::Column::new(READ_VALUE.into(), value))?;
    }
    let mut unprintable: Vec<String> = Vec::new();
    for name in &raw_columns {
        if let Some(text) = unprintable_dates(frame.column(name)?)? {
            frame.with_column(polars::prelude::Column::new(
                format!("{TEXT_PREFIX}{name}").into(),
                text,
            ))?;
            unprintable.push(name.clone());
        }
    }
    let first_row = IdxSize::try_from(first_row + 1).map_err(|_| {
        SoteriaError::Other(format!(
            "{}: more rows than this build can number ({})",
            path.display(),
            IdxSize::MAX
        ))
    })?;
    let mut lf = frame.lazy().with_row_index(ROW_COL, Some(first_row));
    let mut typed_exprs = Vec::new();
    let mut repair_exprs = Vec::new();
    let mut cannot_fail = Vec::new();
    let schema = lf.collect_schema()?;
    for c in spec.columns {
        let dtype = schema.get(c.name).cloned().unwrap_or(DataType::String);
        let typed = typed_expr(c, &dtype, trim, mapping)?;
        typed_exprs.push(typed.expr.alias(typed_name(c.name)));
        if let Some((kind, e)) = typed.repair {
            repair_exprs.push(e.alias(format!("{kind}:{}", c.name)));
        }
        if typed.cannot_fail {
            cannot_fail.push(c.name);
        }
    }
    lf = lf.with_columns(typed_exprs);

    // (rule, column, condition) in order of precedence.
    let mut checks: Vec<(&str, Option<&str>, Expr)> = Vec::new();
    if !rejected.is_empty() {
        for rule in ["too_many_fields", "nul_byte"] {
            checks.push((
                rule,
                Some(READ_VALUE),
                col(READ_RULE).eq(lit(rule)).fill_null(lit(false)),
            ));
        }
    }
    let all_null: Vec<Expr> = raw_columns
        .iter()
        .map(|n| col(n.as_str()).is_null())
        .collect();
    checks.push(("empty_row", None, all_horizontal(all_null)?));
    for c in spec.columns.iter().filter(|c| !c.nullable) {
        checks.push(("missing_value", Some(c.name), col(c.name).is_null()));
    }
    for c in spec
        .columns
        .iter()
        .filter(|c| !cannot_fail.contains(&c.name))
    {
        checks.push((
            "bad_type",
            Some(c.name),
            col(c.name)
                .is_not_null()
                .and(col(typed_name(c.name)).is_null()),
        ));
    }
    for c in spec.columns {
        if let Domain::Codes(list) = c.domain {
            checks.push((
                "unknown_code",
                Some(c.name),
                col(typed_name(c.name))
                    .is_not_null()
                    .and(is_one_of(col(typed_name(c.name)), &list.codes()).not()),
            ));
        }
    }
    for c in spec.columns {
        if let Domain::Range(lo, hi) = c.domain {
            let t = col(typed_name(c.name));
            checks.push((
                "out_of_range",
                Some(c.name),
                t.clone()
                    .is_not_null()
                    .and(t.clone().lt(lit(lo)).or(t.gt(lit(hi)))),
            ));
        }
    }
    let (first_day, last_day) = date_bounds();
    for c in spec.columns.iter().filter(|c| c.ty == ColumnType::Date) {
        let days = col(typed_name(c.name)).cast(DataType::Int32);
        checks.push((
            "date_out_of_range",
            Some(c.name),
            days.clone()
                .is_not_null()
                .and(days.clone().lt(lit(first_day)).or(days.gt(lit(last_day)))),
        ));
    }
    if table == TableName::Offences {
        let od = col(typed_name("offence_date"));
        let rep = col(typed_name("reported_date"));
        let rec = col(typed_name("recorded_date"));
        checks.push((
            "date_order",
            Some("offence_date"),
            od.gt(rep.clone()).fill_null(lit(false)),
        ));
        checks.push((
            "date_order",
            Some("recorded_date"),
            rep.gt(rec).fill_null(lit(false)),
        ));
    }
    // One flag over every row; which rule, column and value are worked out afterwards
    // for the (few) flagged rows only.
    let conditions: Vec<Expr> = checks.iter().map(|c| c.2.clone()).collect();
    lf = lf.with_column(any_horizontal(conditions)?.alias(ROW_BAD));

    // Rules that need other rows or other tables come after the row rules, and apply
    // only to rows that passed them, so the first clean row of a duplicated crime loads.
    let mut later_rules: Vec<(&str, &str, &str)> = Vec::new();
    // Without a repeated crime_id in the file (the usual case) the duplicate rule cannot
    // fire; trimming can only create duplicates in text files, so they always check.
    if let Some((key, rule)) = unique_key(table) {
        let may_repeat =
            trim || schema.get(key).is_none() || frame_n_unique(&lf, key)? != rows_read;
        if may_repeat {
            let ok = col(ROW_BAD).not();
            let nth_clean = ok
                .clone()
                .cast(DataType::Int32)
                .cum_sum(false)
                .over([col(typed_name(key))])?;
            lf = lf.with_column(
                ok.and(col(typed_name(key)).is_not_null())
                    .and(nth_clean.gt(lit(1)))
                    .alias("__dup"),
            );
            later_rules.push(("__dup", rule, key));
        }
    }
    if let Some(keys) = offence_keys.filter(|_| table.is_child_of_offences()) {
        let crime = col(typed_name("crime_id"));
        // Each row's crime is looked up once: its row among the offences is kept as an
        // integer key, and a row whose crime is not found is an orphan. A map of the
        // offences' ids, looked up in slices on every core: a `replace_strict` with two
        // million values took twice the time and memory, and a join as much per slice of
        // a table validated in slices.
        let known = keys.rows()?;
        lf = lf.with_column(
            crime
                .clone()
                .map(
                    move |c| Ok(crime_rows(c.str()?, &known).into_column()),
                    |_, f| Ok(Field::new(f.name().clone(), IDX_DTYPE)),
                )
                .alias(CRIME_ROW),
        );
        let orphan = col(ROW_BAD)
            .not()
            .and(crime.is_not_null())
            .and(col(CRIME_ROW).is_null());
        lf = lf.with_column(orphan.alias("__orphan"));
        later_rules.push(("__orphan", "orphan_crime_id", "crime_id"));
        if table == TableName::Outcomes {
            // Outcomes need their crime's recorded date as well as its existence.
            let recorded = keys
                .frame
                .column("recorded_date")?
                .as_materialized_series()
                .clone();
            lf = lf.with_column(
                col(CRIME_ROW)
                    .map(
                        move |rows| Ok(recorded.take(rows.idx()?)?.into_column()),
                        |_, f| Ok(Field::new(f.name().clone(), DataType::Date)),
                    )
                    .alias(RECORDED_KEY),
            );
            let early = col(ROW_BAD)
                .not()
                .and(col(RECORDED_KEY).is_not_null())
                .and(col(typed_name("outcome_date")).lt(col(RECORDED_KEY)))
                .fill_null(lit(false));
            lf = lf.with_column(early.alias("__early"));
            later_rules.push(("__early", "date_order", "outcome_date"));
        }
    }
    let bad = later_rules
        .iter()
        .fold(col(ROW_BAD), |acc, (flag, _, _)| acc.or(col(*flag)));
    let all = lf.with_column(bad.alias(BAD)).collect()?;
    let repairs_row = if repair_exprs.is_empty() {
        None
    } else {
        Some(all.clone().lazy().select(repair_exprs).collect()?)
    };
    let n_bad = all.column(BAD)?.bool()?.sum().unwrap_or(0);

    let mut key_cols: Vec<Expr> = Vec::new();
    if all.get_column_index(CRIME_ROW).is_some() {
        key_cols.push(col(CRIME_ROW));
    }
    if table == TableName::Events {
        // A lookup per row in Rust: `replace_strict` joined twenty million rows to the
        // code list and doubled the peak memory of a first validation.
        key_cols.push(
            col(typed_name("event_type"))
                .map(
                    |c| Ok(event_codes(c.str()?).into_column()),
                    |_, f| Ok(Field::new(f.name().clone(), DataType::UInt8)),
                )
                .alias(EVENT_CODE),
        );
    }
    let loaded_cols: Vec<Expr> = spec
        .columns
        .iter()
        .map(|c| col(typed_name(c.name)).alias(c.name))
        .chain(extra_columns.iter().map(|n| col(n.as_str())))
        .chain(key_cols)
        .collect();
    let loaded = if n_bad == 0 {
        all.clone().lazy().select(loaded_cols).collect()?
    } else {
        all.clone()
            .lazy()
            .filter(col(BAD).not())
            .select(loaded_cols)
            .collect()?
    };

    let rule = nested_first(&checks, |(r, _, _)| lit(*r));
    let column = nested_first(&checks, |(_, c, _)| match c {
        Some(c) if *c != READ_VALUE => lit(*c),
        _ => lit(NULL).cast(DataType::String),
    });
    let value = nested_first(&checks, |(_, c, _)| match c {
        Some(c) => value_text(c, &unprintable),
        None => lit(NULL).cast(DataType::String),
    });
    let mut q = all.lazy().filter(col(BAD)).with_columns([
        rule.alias(RULE_COL),
        column.alias(COLUMN_COL),
        value.alias(VALUE_COL),
    ]);
    for (flag, rule, column) in later_rules {
        q = set_rule(q, col(flag), rule, column, &unprintable);
    }
    let quarantine_cols: Vec<Expr> = [ROW_COL, RULE_COL, COLUMN_COL, VALUE_COL]
        .iter()
        .map(|n| col(*n))
        .chain(raw_columns.iter().map(|n| value_text(n, &unprintable)))
        .collect();
    let quarantined = q.select(quarantine_cols).collect()?;
    let (loaded, keys) = ValidatedTable::split_keys(loaded)?;

    let quality = quality(
        table,
        spec,
        &path,
        format,
        sha256,
        rows_read,
        &loaded,
        &quarantined,
        repairs_row.as_ref(),
        &read_repairs,
        absent,
        extra_columns,
    )?;
    Ok(ValidatedTable {
        loaded,
        quarantined,
        quality,
        keys,
    })
}

/// The position of each event type in the code list, null when not in it.
fn event_codes(types: &StringChunked) -> UInt8Chunked {
    let codes: rustc_hash::FxHashMap<&str, u8> = crate::schema::codes::EVENT_TYPES
        .iter()
        .enumerate()
        .map(|(i, e)| (e.code, i as u8))
        .collect();
    types
        .iter()
        .map(|t| t.and_then(|t| codes.get(t).copied()))
        .collect::<UInt8Chunked>()
        .with_name(types.name().clone())
}

/// The row of each id among the offences (`known`), null when absent.
fn crime_rows(ids: &StringChunked, known: &CrimeRowMap) -> IdxCa {
    use rayon::prelude::*;
    let parts = rayon::current_num_threads().max(1) * 4;
    let step = ids.len().div_ceil(parts).max(1);
    let pieces: Vec<Vec<Option<IdxSize>>> = (0..ids.len())
        .step_by(step)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|start| {
            ids.slice(start as i64, step)
                .iter()
                .map(|id| id.and_then(|id| known.get(id)))
                .collect()
        })
        .collect();
    pieces
        .into_iter()
        .flatten()
        .collect::<IdxCa>()
        .with_name(ids.name().clone())
}

fn frame_n_unique(lf: &LazyFrame, column: &str) -> Result<usize> {
    let n = lf.clone().select([col(column).n_unique()]).collect()?;
    Ok(n.column(column)?.get(0)?.extract::<u64>().unwrap_or(0) as usize)
}

/// `when(c0).then(v0).otherwise(when(c1).then(v1).otherwise(...))`: the value of the
/// first check that holds, or null.
fn nested_first<T>(checks: &[T], value: impl Fn(&T) -> Expr) -> Expr
where
    T: CheckCondition,
{
    checks
        .iter()
        .rev()
        .fold(lit(NULL).cast(DataType::String), |acc, check| {
            when(check.condition()).then(value(check)).otherwise(acc)
        })
}

trait CheckCondition {
    fn condition(&self) -> Expr;
}

impl CheckCondition for (&str, Option<&str>, Expr) {
    fn condition(&self) -> Expr {
        self.2.clone()
    }
}

fn set_rule(
    lf: LazyFrame,
    condition: Expr,
    rule: &str,
    column: &str,
    unprintable: &[String],
) -> LazyFrame {
    lf.with_columns([
        when(condition.clone())
            .then(lit(rule))
            .otherwise(col(RULE_COL))
            .alias(RULE_COL),
        when(condition.clone())
            .then(lit(column))
            .otherwise(col(COLUMN_COL))
            .alias(COLUMN_COL),
        when(condition)
            .then(value_text(column, unprintable))
            .otherwise(col(VALUE_COL))
            .alias(VALUE_COL),
    ])
}

/// Renames a force export's columns to the standard's, trimming stray spaces in headers.
fn rename_to_standard(
    mut frame: DataFrame,
    spec: &TableSpec,
    mapping: &Mapping,
) -> Result<DataFrame> {
    let names: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    for name in &names {
        let trimmed = name.trim();
        if trimmed != name {
            frame.rename(name, trimmed.into())?;
        }
    }
    for c in spec.columns {
        let source = mapping.source_name(c.name);
        if source != c.name && frame.column(source).is_ok() && frame.column(c.name).is_err() {
            frame.rename(source, c.name.into())?;
        }
    }
    Ok(frame)
}

const TRUE_SPELLINGS: &[&str] = &[
    "true", "TRUE", "True", "1", "t", "T", "yes", "Yes", "YES", "Y", "y",
];
const FALSE_SPELLINGS: &[&str] = &[
    "false", "FALSE", "False", "0", "f", "F", "no", "No", "NO", "N", "n",
];

struct Typed {
    /// The column in its standard type, null where a value cannot be converted.
    expr: Expr,
    /// A count of the repairs the conversion made, by kind.
    repair: Option<(&'static str, Expr)>,
    /// The conversion cannot fail (the file already has the type), so no row can break
    /// `bad_type` on this column and the check is skipped.
    cannot_fail: bool,
}

fn typed_expr(c: &Column, dtype: &DataType, trim: bool, mapping: &Mapping) -> Result<Typed> {
    let mut e = col(c.name);
    let mut repair = None;
    let recode = mapping.values.get(c.name);
    let textual = dtype == &DataType::String || recode.is_some();
    if textual && dtype != &DataType::String {
        e = e.cast(DataType::String);
    }
    if textual && trim {
        let trimmed = e.clone().str().strip_chars(lit(NULL));
        repair = Some((
            "whitespace_trimmed",
            e.clone().neq(trimmed.clone()).fill_null(lit(false)).sum(),
        ));
        e = trimmed;
    }
    if let Some(values) = recode {
        let old: Vec<&str> = values.keys().map(String::as_str).collect();
        let new: Vec<&str> = values.values().map(String::as_str).collect();
        e = e.replace(
            lit(Series::new("old".into(), old)),
            lit(Series::new("new".into(), new)),
        );
    }
    let typed = match (c.ty, textual) {
        (ColumnType::Str, true) => e,
        (ColumnType::Str, false) => e.cast(DataType::String),
        (ColumnType::Date, true) => e.str().to_date(StrptimeOptions {
            format: Some(mapping.dates.format.as_str().into()),
            strict: false,
            exact: true,
            cache: true,
        }),
        (ColumnType::Date, false) => match dtype {
            DataType::Date => e,
            DataType::Datetime(_, _) => e.cast(DataType::Date),
            _ => lit(NULL).cast(DataType::Date),
        },
        // An integral number written as a float (`30.0`, as pandas writes an integer
        // column with nulls) is that integer; `30.5` stays a bad type.
        (ColumnType::Int, true) => {
            let float = e.clone().cast(DataType::Float64);
            coalesce(&[
                e.cast(DataType::Int64),
                when(
                    float
                        .clone()
                        .eq(float.clone().floor())
                        .and(float.clone().abs().lt_eq(lit(9.007_199_254_740_992e15))),
                )
                .then(float.cast(DataType::Int64))
                .otherwise(lit(NULL).cast(DataType::Int64)),
            ])
        }
        (ColumnType::Int, false) => match dtype {
            d if d.is_integer() => e.cast(DataType::Int64),
            d if d.is_float() => when(
                e.clone()
                    .eq(e.clone().floor())
                    .and(e.clone().abs().lt_eq(lit(9.007_199_254_740_992e15))),
            )
            .then(e.cast(DataType::Int64))
            .otherwise(lit(NULL).cast(DataType::Int64)),
            _ => lit(NULL).cast(DataType::Int64),
        },
        (ColumnType::Bool, true) => {
            repair = Some((
                "boolean_spelling",
                e.clone()
                    .is_not_null()
                    .and(is_one_of(e.clone(), &["true", "false"]).not())
                    .and(
                        is_one_of(e.clone(), TRUE_SPELLINGS)
                            .or(is_one_of(e.clone(), FALSE_SPELLINGS)),
                    )
                    .sum(),
            ));
            when(is_one_of(e.clone(), TRUE_SPELLINGS))
                .then(lit(true))
                .when(is_one_of(e, FALSE_SPELLINGS))
                .then(lit(false))
                .otherwise(lit(NULL).cast(DataType::Boolean))
        }
        (ColumnType::Bool, false) => match dtype {
            DataType::Boolean => e,
            d if d.is_integer() => when(e.clone().eq(lit(1)))
                .then(lit(true))
                .when(e.eq(lit(0)))
                .then(lit(false))
                .otherwise(lit(NULL).cast(DataType::Boolean)),
            _ => lit(NULL).cast(DataType::Boolean),
        },
    };
    // A conversion that can lose a value (a uint64 beyond i64, a timestamp beyond the
    // calendar) is checked, so the value is quarantined as a bad type, never a null.
    let cannot_fail = !textual
        && match c.ty {
            ColumnType::Str => true,
            ColumnType::Date => dtype == &DataType::Date,
            ColumnType::Int => dtype.is_integer() && dtype != &DataType::UInt64,
            ColumnType::Bool => dtype == &DataType::Boolean,
        };
    Ok(Typed {
        expr: typed,
        repair,
        cannot_fail,
    })
}

#[allow(clippy::too_many_arguments)]
fn quality(
    table: TableName,
    spec: &TableSpec,
    path: &std::path::Path,
    format: FileFormat,
    sha256: String,
    rows_read: usize,
    loaded: &DataFrame,
    quarantined: &DataFrame,
    repairs_row: Option<&DataFrame>,
    read_repairs: &super::read::ReadRepairs,
    absent_columns: Vec<String>,
    extra_columns: Vec<String>,
) -> Result<TableQuality> {
    let mut rules: BTreeMap<String, usize> = RULES.iter().map(|r| (r.to_string(), 0)).collect();
    if quarantined.height() > 0 {
        for r in quarantined.column(RULE_COL)?.str()?.iter().flatten() {
            *rules.entry(r.to_string()).or_default() += 1;
        }
    }
    let mut repairs = BTreeMap::new();
    if read_repairs.bom_removed {
        repairs.insert("utf8_bom_removed".to_string(), 1);
    }
    if read_repairs.decoded_windows_1252 {
        repairs.insert("decoded_as_windows_1252".to_string(), 1);
    }
    if let Some(row) = repairs_row {
        for c in row.columns() {
            let n = c.get(0).ok().and_then(|v| v.extract::<u64>()).unwrap_or(0) as usize;
            if n > 0 {
                let kind = c.name().split(':').next().unwrap_or("repair").to_string();
                *repairs.entry(kind).or_default() += n;
            }
        }
    }
    let completeness = completeness(spec, loaded)?;
    let date_column = spec
        .columns
        .iter()
        .find(|c| c.ty == ColumnType::Date && !c.nullable)
        .map(|c| c.name);
    let (mut date_min, mut date_max) = (None, None);
    if let Some(dc) = date_column {
        let s = loaded.column(dc)?.as_materialized_series().clone();
        let fmt = |v: Option<i32>| v.map(|d| crate::util::date_from_days(d).to_string());
        let days = s.cast(&DataType::Int32)?;
        let days = days.i32()?;
        date_min = fmt(days.min());
        date_max = fmt(days.max());
    }
    let _ = table;
    // Rows dated after the day of the run load (an extract may be taken ahead of a
    // clock), but are a warning: a typo for a past date is the usual cause.
    let future_dated_rows = future_dated_rows(spec, loaded)?;
    Ok(TableQuality {
        future_dated_rows,
        table: spec.name.to_string(),
        file: path.display().to_string(),
        format: format.as_str().to_string(),
        sha256,
        rows_read,
        rows_loaded: loaded.height(),
        rows_quarantined: quarantined.height(),
        rules,
        repairs,
        completeness,
        absent_columns,
        extra_columns,
        date_column: date_column.map(str::to_string),
        date_min,
        date_max,
    })
}

/// Loaded rows with any date after the day of the run (a warning, not a rule).
pub fn future_dated_rows(spec: &TableSpec, loaded: &DataFrame) -> Result<usize> {
    let today = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(i64::MAX, |d| (d.as_secs() / 86_400) as i64);
    let mut future: Vec<bool> = Vec::new();
    for c in spec.columns.iter().filter(|c| c.ty == ColumnType::Date) {
        if let Ok(column) = loaded.column(c.name) {
            // Every command on a validated copy counts these again: a column's latest
            // date settles it without a pass over each row in the usual case.
            // A date's physical value is its day number: no copy.
            let days = column.cast(&DataType::Int32)?;
            if days.i32()?.max().is_none_or(|d| i64::from(d) <= today) {
                continue;
            }
            future.resize(loaded.height(), false);
            for (flag, d) in future.iter_mut().zip(days.i32()?.iter()) {
                *flag |= d.is_some_and(|d| i64::from(d) > today);
            }
        }
    }
    Ok(future.iter().filter(|f| **f).count())
}

/// Share of loaded rows with a value, for each nullable column the frame holds (a
/// command that read only some columns of a validated copy has not the others).
pub fn completeness(spec: &TableSpec, loaded: &DataFrame) -> Result<BTreeMap<String, Option<f64>>> {
    let mut completeness = BTreeMap::new();
    for c in spec.columns.iter().filter(|c| c.nullable) {
        let Ok(s) = loaded.column(c.name) else {
            continue;
        };
        let share = if loaded.height() == 0 {
            None
        } else {
            Some(1.0 - s.null_count() as f64 / loaded.height() as f64)
        };
        completeness.insert(c.name.to_string(), share);
    }
    Ok(completeness)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lookups are exact whatever the hash: with one that gives every id of a length the
    /// same value, each id still finds its own row, an absent id none, and a repeated id
    /// its later row (as a map of the ids would).
    #[test]
    fn crime_rows_are_exact_when_hashes_collide() {
        let ids: StringChunked = [Some("C1"), Some("C2"), None, Some("C33"), Some("C1")]
            .into_iter()
            .collect();
        for map in [
            CrimeRowMap::new(&ids),
            CrimeRowMap::with_hash(&ids, |s| s.len() as u64),
        ] {
            assert_eq!(map.get("C1"), Some(4));
            assert_eq!(map.get("C2"), Some(1));
            assert_eq!(map.get("C33"), Some(3));
            assert_eq!(map.get("C3"), None);
            assert_eq!(map.get("C9"), None);
            assert_eq!(map.get(""), None);
        }
    }
}
