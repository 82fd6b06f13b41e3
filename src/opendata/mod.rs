//! Home Office "Police recorded crime and outcomes open data tables": the outcomes table
//! read as published (Title Case headers) or as commonly converted (snake_case), headers
//! matched by meaning, and every force's outcome rates on both count bases, with an
//! `England and Wales` row, for placing a force among its peers ([`compare`]).
pub mod compare;

use crate::error::{Result, SoteriaError};
use crate::ingest::read::read_plain_csv;
use crate::schema::OffenceGroup;
use crate::schema::codes::{OFFENCE_CODES, OUTCOME_TYPES};
use crate::stats::intervals::{poisson_phe, rate, wilson};
use polars::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub const ENGLAND_AND_WALES: &str = "England and Wales";
const LEVEL: f64 = 0.95;

/// The columns the reader needs, with the header names (normalised: lower case, runs of
/// other characters as `_`) that mean each one across years and conversions.
const HEADERS: &[(&str, &[&str])] = &[
    ("year", &["financial_year", "year", "fy"]),
    ("quarter", &["financial_quarter", "quarter", "qtr"]),
    (
        "force",
        &["force_name", "force", "police_force", "force_area", "pfa"],
    ),
    (
        "code",
        &["offence_code", "ho_offence_code", "offence_code_new"],
    ),
    ("group", &["offence_group"]),
    ("subgroup", &["offence_subgroup", "offence_sub_group"]),
    (
        "outcome",
        &["outcome_type", "outcome_type_code", "outcome_code"],
    ),
    (
        "recorded",
        &[
            "offences",
            "force_outcomes_for_offences_recorded_in_quarter",
            "force_outcomes_for_offences_recorded_in_the_quarter",
            "outcomes_for_offences_recorded_in_quarter",
            "outcomes_for_offences_recorded_in_the_quarter",
            "number_of_offences",
        ],
    ),
    (
        "closed",
        &[
            "force_outcomes_recorded_in_quarter",
            "force_outcomes_recorded_in_the_quarter",
            "outcomes_recorded_in_quarter",
            "outcomes_recorded_in_the_quarter",
            "force_outcomes_recorded",
        ],
    ),
];

const REQUIRED: &[&str] = &["year", "force", "code", "outcome"];

pub fn normalise_header(h: &str) -> String {
    let mut out = String::new();
    for c in h.trim().trim_start_matches('\u{feff}').chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    /// Financial year, April to March (`2017/18`).
    Year,
    /// Financial quarter (`2017/18 Q1` is April to June 2017).
    Quarter,
}

/// What the reader saw besides the counts: said, never dropped silently.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct ReadNotes {
    pub files: Vec<String>,
    pub rows: usize,
    /// Rows of other offence groups (not sexual offences), left out.
    pub other_offence_rows: usize,
    /// Rows with neither force nor offence code (blank lines, notes), skipped.
    pub blank_rows: usize,
    /// Sexual-offence rows whose code is not in the standard's code list, counted by the
    /// group their subgroup column gives.
    pub unknown_offence_codes: BTreeMap<String, usize>,
    /// Outcome types outside the Home Office list (they count in the denominators).
    pub unknown_outcome_types: BTreeMap<String, usize>,
    /// Count cells that were not numbers (taken as missing).
    pub unreadable_counts: usize,
    /// Negative counts: the Home Office's net adjustments for reclassified outcomes.
    pub negative_counts: usize,
    /// Force names not in the reference list of forces (kept as they are).
    pub unknown_forces: BTreeSet<String>,
    /// Header of each column used, by file.
    pub columns: BTreeMap<String, BTreeMap<String, String>>,
}

/// Counts by (force, period, group, outcome type): (recorded basis, closed basis).
pub type Counts = BTreeMap<(String, String, String, String), (f64, f64)>;

fn find_columns(df: &DataFrame, path: &Path) -> Result<BTreeMap<&'static str, String>> {
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let mut found = BTreeMap::new();
    for (meaning, aliases) in HEADERS {
        if let Some(actual) = names
            .iter()
            .find(|n| aliases.contains(&normalise_header(n).as_str()))
        {
            found.insert(*meaning, actual.clone());
        }
    }
    for meaning in REQUIRED {
        if !found.contains_key(meaning) {
            let aliases = HEADERS
                .iter()
                .find(|(m, _)| m == meaning)
                .map(|(_, a)| a.join(", "))
                .unwrap_or_default();
            return Err(SoteriaError::MissingColumn {
                path: path.to_path_buf(),
                table: "Home Office outcomes".into(),
                column: meaning.to_string(),
                hint: format!(" (looked for a header meaning one of: {aliases})"),
            });
        }
    }
    if !found.contains_key("recorded") && !found.contains_key("closed") {
        return Err(SoteriaError::MissingColumn {
            path: path.to_path_buf(),
            table: "Home Office outcomes".into(),
            column: "a count column".into(),
            hint: " (\"Force outcomes for offences recorded in quarter\" or \"Force outcomes recorded in quarter\")".into(),
        });
    }
    Ok(found)
}

/// A count cell: spaces and thousands separators removed; `NA`, empty and `-` missing.
fn count_expr(column: Option<&String>) -> Expr {
    match column {
        Some(c) => col(c.as_str())
            .str()
            .replace_all(lit(" "), lit(""), true)
            .str()
            .replace_all(lit(","), lit(""), true)
            .str()
            .replace_all(lit("\u{a0}"), lit(""), true),
        None => lit(NULL).cast(DataType::String),
    }
}

fn text_expr(column: Option<&String>) -> Expr {
    match column {
        Some(c) => col(c.as_str()).str().strip_chars(lit(NULL)),
        None => lit(NULL).cast(DataType::String),
    }
}

/// `2017/18`, `2017-18`, `2017/2018` and `FY 2017/18` all as `2017/18`.
pub fn financial_year(s: &str) -> Option<String> {
    let digits: Vec<u32> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .collect();
    match digits.as_slice() {
        [y, next, ..] if *y >= 1990 && (*next == (y + 1) % 100 || *next == y + 1) => {
            Some(format!("{y}/{:02}", (y + 1) % 100))
        }
        [y] if *y >= 1990 => Some(format!("{y}/{:02}", (y + 1) % 100)),
        _ => None,
    }
}

/// A spreadsheet cell as the text a CSV would hold.
fn cell_text(c: &calamine::Data) -> Option<String> {
    use calamine::Data;
    match c {
        Data::Empty => None,
        Data::String(s) => Some(s.clone()),
        Data::Int(i) => Some(i.to_string()),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Some(format!("{}", *f as i64)),
        Data::Float(f) => Some(f.to_string()),
        Data::Bool(b) => Some(b.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Some(s.clone()),
        Data::DateTime(d) => Some(d.as_f64().to_string()),
        Data::Error(e) => Some(format!("#{e:?}")),
    }
}

/// The outcomes table of a workbook (`.ods`, `.xlsx`, `.xls`): the first sheet with a row,
/// among its first 30, whose cells name the columns the reader needs (published sheets
/// often have title rows above the header), as text columns.
fn read_spreadsheet(path: &Path) -> Result<DataFrame> {
    use calamine::Reader;
    let unreadable = |m: String| SoteriaError::Unreadable {
        path: path.to_path_buf(),
        format: "spreadsheet",
        message: m,
    };
    let mut wb = calamine::open_workbook_auto(path).map_err(|e| unreadable(e.to_string()))?;
    let needed: Vec<&[&str]> = HEADERS
        .iter()
        .filter(|(m, _)| REQUIRED.contains(m))
        .map(|(_, a)| *a)
        .collect();
    for name in wb.sheet_names() {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| unreadable(format!("sheet `{name}`: {e}")))?;
        let rows: Vec<Vec<Option<String>>> = range
            .rows()
            .map(|r| r.iter().map(cell_text).collect())
            .collect();
        let header_at = rows.iter().take(30).position(|r| {
            let names: Vec<String> = r.iter().flatten().map(|c| normalise_header(c)).collect();
            needed
                .iter()
                .all(|aliases| names.iter().any(|n| aliases.contains(&n.as_str())))
        });
        let Some(h) = header_at else { continue };
        let header = &rows[h];
        let mut columns = Vec::new();
        for (j, name) in header.iter().enumerate() {
            let Some(name) = name.as_deref().filter(|n| !n.trim().is_empty()) else {
                continue;
            };
            let values: Vec<Option<String>> = rows[h + 1..]
                .iter()
                .map(|r| r.get(j).cloned().flatten())
                .collect();
            columns.push(Column::new(name.trim().into(), values));
        }
        // Trailing notes and blank rows have no force: keep the table's rows only.
        let df = DataFrame::new_infer_height(columns)?;
        return Ok(df);
    }
    Err(unreadable(
        "no sheet has a header row with the financial year, force, offence code and outcome type"
            .into(),
    ))
}

/// A CSV (plain or gzipped) or a workbook, by its name.
fn read_table(path: &Path) -> Result<DataFrame> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("ods" | "xlsx" | "xlsm" | "xls") => read_spreadsheet(path),
        _ => read_plain_csv(path),
    }
}

/// Reads outcomes files into counts by force, period, offence group and outcome type.
pub fn read_outcomes(paths: &[PathBuf], by: By) -> Result<(Counts, ReadNotes)> {
    let mut notes = ReadNotes::default();
    let mut counts: Counts = BTreeMap::new();
    let known_codes: Vec<&str> = OFFENCE_CODES.iter().map(|c| c.code).collect();
    let groups: Vec<&str> = OFFENCE_CODES.iter().map(|c| c.group.as_str()).collect();
    for path in paths {
        let df = read_table(path)?;
        let cols = find_columns(&df, path)?;
        let name = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        notes.files.push(name.clone());
        notes.columns.insert(
            name,
            cols.iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        );
        notes.rows += df.height();
        let code = text_expr(cols.get("code")).str().to_uppercase();
        let by_code = code.clone().replace_strict(
            lit(Series::new("codes".into(), known_codes.clone())),
            lit(Series::new("groups".into(), groups.clone())),
            Some(lit(NULL).cast(DataType::String)),
            Some(DataType::String),
        );
        let subgroup = text_expr(cols.get("subgroup")).str().to_lowercase();
        let ogroup = text_expr(cols.get("group")).str().to_lowercase();
        // The code decides; an unknown code falls back on the subgroup and group columns.
        let group = when(by_code.clone().is_not_null())
            .then(by_code.clone())
            .when(subgroup.clone().eq(lit("rape")))
            .then(lit(OffenceGroup::Rape.id()))
            .when(
                subgroup
                    .clone()
                    .str()
                    .contains_literal(lit("sexual"))
                    .or(ogroup.clone().str().contains_literal(lit("sexual"))),
            )
            .then(lit(OffenceGroup::OtherSexual.id()))
            .otherwise(lit(NULL).cast(DataType::String));
        let recorded_text = count_expr(cols.get("recorded"));
        let closed_text = count_expr(cols.get("closed"));
        let parsed = df
            .lazy()
            .select([
                text_expr(cols.get("force")).alias("force"),
                text_expr(cols.get("year")).alias("year"),
                text_expr(cols.get("quarter")).alias("quarter"),
                code.alias("code"),
                by_code.is_null().alias("unknown_code"),
                group.alias("grp"),
                text_expr(cols.get("outcome"))
                    .str()
                    .to_uppercase()
                    .alias("outcome"),
                recorded_text.clone().alias("recorded_text"),
                recorded_text.cast(DataType::Float64).alias("recorded"),
                closed_text.clone().alias("closed_text"),
                closed_text.cast(DataType::Float64).alias("closed"),
            ])
            .collect()?;
        // Cells that held text but not a number.
        for (text, number) in [("recorded_text", "recorded"), ("closed_text", "closed")] {
            let t = parsed.column(text)?.str()?;
            let n = parsed.column(number)?.f64()?;
            notes.unreadable_counts += t
                .iter()
                .zip(n.iter())
                .filter(|(t, n)| t.is_some_and(|t| !t.is_empty() && t != "-") && n.is_none())
                .count();
        }
        let col_str = |c: &str| -> Result<Vec<Option<String>>> {
            Ok(parsed
                .column(c)?
                .str()?
                .iter()
                .map(|v| v.map(str::to_string))
                .collect())
        };
        let (force, year, quarter, code, grp, outcome) = (
            col_str("force")?,
            col_str("year")?,
            col_str("quarter")?,
            col_str("code")?,
            col_str("grp")?,
            col_str("outcome")?,
        );
        let unknown_code = parsed.column("unknown_code")?.bool()?.clone();
        let recorded: Vec<Option<f64>> = parsed.column("recorded")?.f64()?.iter().collect();
        let closed: Vec<Option<f64>> = parsed.column("closed")?.f64()?.iter().collect();
        // A count is a whole number: a fraction, NaN or infinity means a broken table,
        // named rather than summed. A negative count is the Home Office's own: a row of
        // outcomes recorded in a quarter nets off outcomes reclassified from earlier
        // quarters (394 such rows in 2017/18), so it is kept, and counted in the notes.
        for (what, values) in [("recorded", &recorded), ("closed", &closed)] {
            if let Some((i, v)) = values.iter().enumerate().find_map(|(i, v)| {
                v.filter(|v| !(v.is_finite() && v.fract() == 0.0))
                    .map(|v| (i, v))
            }) {
                return Err(SoteriaError::Other(format!(
                    "{}: data row {}: the {what} count {v} is not a whole number",
                    path.display(),
                    i + 1
                )));
            }
            notes.negative_counts += values.iter().flatten().filter(|v| **v < 0.0).count();
        }
        let known_outcomes: BTreeSet<&str> = OUTCOME_TYPES
            .iter()
            .map(|o| o.code)
            .chain(std::iter::once("0"))
            .collect();
        for i in 0..parsed.height() {
            // Blank lines and notes under a published table have neither force nor code.
            if force[i].is_none() && code[i].is_none() {
                notes.blank_rows += 1;
                continue;
            }
            let Some(g) = &grp[i] else {
                notes.other_offence_rows += 1;
                continue;
            };
            if unknown_code.get(i) == Some(true) {
                *notes
                    .unknown_offence_codes
                    .entry(code[i].clone().unwrap_or_default())
                    .or_default() += 1;
            }
            let raw_force = force[i].clone().unwrap_or_default();
            let force_name = match crate::synth::reference::canonical_force_name(&raw_force) {
                Some(f) => f.to_string(),
                None => {
                    if raw_force != "British Transport Police" {
                        notes.unknown_forces.insert(raw_force.clone());
                    }
                    raw_force
                }
            };
            let Some(fy) = year[i].as_deref().and_then(financial_year) else {
                return Err(SoteriaError::Other(format!(
                    "{}: row {}, column {}: `{}` is not a financial year",
                    path.display(),
                    i + 2,
                    cols["year"],
                    year[i].clone().unwrap_or_default()
                )));
            };
            let period = match by {
                By::Year => fy,
                By::Quarter => {
                    let q = quarter[i]
                        .as_deref()
                        .map(|q| q.trim_start_matches(['Q', 'q']).trim().to_string())
                        .filter(|q| ["1", "2", "3", "4"].contains(&q.as_str()))
                        .ok_or_else(|| {
                            SoteriaError::Other(format!(
                                "{}: row {}: quarters need a quarter column with 1-4 (found `{}`)",
                                path.display(),
                                i + 2,
                                quarter[i].clone().unwrap_or_default()
                            ))
                        })?;
                    format!("{fy} Q{q}")
                }
            };
            let outcome_type = outcome[i].clone().unwrap_or_default();
            if !known_outcomes.contains(outcome_type.as_str()) {
                *notes
                    .unknown_outcome_types
                    .entry(outcome_type.clone())
                    .or_default() += 1;
            }
            let e = counts
                .entry((force_name, period, g.clone(), outcome_type))
                .or_default();
            e.0 += recorded[i].unwrap_or(0.0);
            e.1 += closed[i].unwrap_or(0.0);
        }
    }
    Ok((counts, notes))
}

/// Mid-year population by (force, year), from `pfa_code,force,year,population`.
pub fn read_population(path: &Path) -> Result<BTreeMap<(String, i32), f64>> {
    let df = read_plain_csv(path)?;
    let force = crate::ingest::read::text_column(&df, path, "force")?;
    let year = crate::ingest::read::numeric_column(&df, path, "year")?;
    let population = crate::ingest::read::numeric_column(&df, path, "population")?;
    let mut out = BTreeMap::new();
    for ((f, y), p) in force.iter().zip(&year).zip(&population) {
        if let (Some(f), Some(y), Some(p)) = (f, y, p) {
            let name =
                crate::synth::reference::canonical_force_name(f).map_or(f.clone(), str::to_string);
            out.insert((name, *y as i32), *p);
        }
    }
    Ok(out)
}

/// The indicators of the issue, in output order, with the outcome types counted.
pub const INDICATORS: &[(&str, &[&str])] = &[
    ("charge_rate", crate::schema::codes::CHARGE_OUTCOMES),
    ("outcome14_share", &["14"]),
    ("outcome15_share", &["15"]),
    ("outcome16_share", &["16"]),
    ("outcome18_share", &["18"]),
    (
        "victim_withdrawal_rate",
        crate::schema::codes::VICTIM_WITHDRAWAL_OUTCOMES,
    ),
];

/// One row of the output table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub force: String,
    pub period: String,
    pub group: String,
    pub basis: &'static str,
    pub indicator: &'static str,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub value: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

/// The long table: both bases for every force, `England and Wales` (every row of the
/// input, British Transport Police included) and offence group (`all` is rape plus
/// other sexual offences).
pub fn indicators(
    counts: &Counts,
    population: Option<&BTreeMap<(String, i32), f64>>,
    only_group: Option<OffenceGroup>,
) -> Vec<Row> {
    // Sums by (force, period, group) of each outcome type, with `all` and E&W added.
    type Cell = BTreeMap<String, (f64, f64)>;
    let mut cells: BTreeMap<(String, String, String), Cell> = BTreeMap::new();
    for ((force, period, group, outcome), (r, c)) in counts {
        for f in [force.as_str(), ENGLAND_AND_WALES] {
            for g in [group.as_str(), OffenceGroup::All.id()] {
                let e = cells
                    .entry((f.to_string(), period.clone(), g.to_string()))
                    .or_default()
                    .entry(outcome.clone())
                    .or_default();
                e.0 += r;
                e.1 += c;
            }
        }
    }
    // Population of England and Wales: the sum of the force areas.
    let mut pop = population.cloned().unwrap_or_default();
    let mut ew: BTreeMap<i32, f64> = BTreeMap::new();
    for ((f, y), p) in &pop {
        if f != ENGLAND_AND_WALES {
            *ew.entry(*y).or_default() += p;
        }
    }
    for (y, p) in ew {
        pop.entry((ENGLAND_AND_WALES.to_string(), y)).or_insert(p);
    }
    let group_rank = crate::schema::group_rank;
    let mut keys: Vec<&(String, String, String)> = cells.keys().collect();
    keys.sort_by(|a, b| {
        ((a.0 == ENGLAND_AND_WALES), &a.0, &a.1, group_rank(&a.2)).cmp(&(
            (b.0 == ENGLAND_AND_WALES),
            &b.0,
            &b.1,
            group_rank(&b.2),
        ))
    });
    let mut rows = Vec::new();
    for key in keys {
        let (force, period, group) = key;
        if only_group.is_some_and(|g| g.id() != group) {
            continue;
        }
        let cell = &cells[key];
        let sum = |types: &[&str], closed: bool| -> f64 {
            cell.iter()
                .filter(|(t, _)| types.contains(&t.as_str()))
                .map(|(_, v)| if closed { v.1 } else { v.0 })
                .sum()
        };
        let total =
            |closed: bool| -> f64 { cell.values().map(|v| if closed { v.1 } else { v.0 }).sum() };
        let row = |basis,
                   indicator,
                   numerator: Option<f64>,
                   denominator: Option<f64>,
                   est: Option<(f64, f64, f64)>| Row {
            force: force.clone(),
            period: period.clone(),
            group: group.clone(),
            basis,
            indicator,
            numerator,
            denominator,
            value: est.map(|e| e.0),
            ci_low: est.map(|e| e.1),
            ci_high: est.map(|e| e.2),
        };
        for (basis, closed) in [("recorded", false), ("closed", true)] {
            let n = total(closed);
            if basis == "recorded" {
                let ci = poisson_phe(n, LEVEL).map(|i| (n, i.lower, i.upper));
                rows.push(row(basis, "recorded", Some(n), None, ci));
                let year: Option<i32> = period.get(..4).and_then(|y| y.parse().ok());
                let p = year.and_then(|y| pop.get(&(force.clone(), y)).copied());
                let est = p
                    .and_then(|p| rate(n, p, 1000.0, LEVEL))
                    .map(|i| (i.estimate, i.lower, i.upper));
                rows.push(row(basis, "recorded_per_1000", Some(n), p, est));
            }
            for (indicator, types) in INDICATORS {
                let x = sum(types, closed);
                let est = wilson(x, n, LEVEL).map(|i| (i.estimate, i.lower, i.upper));
                rows.push(row(basis, indicator, Some(x), Some(n), est));
            }
        }
    }
    rows
}

pub fn to_frame(rows: &[Row]) -> Result<DataFrame> {
    let s = |f: fn(&Row) -> String| rows.iter().map(f).collect::<Vec<_>>();
    let n = |f: fn(&Row) -> Option<f64>| rows.iter().map(f).collect::<Vec<_>>();
    Ok(DataFrame::new_infer_height(vec![
        Column::new("force".into(), s(|r| r.force.clone())),
        Column::new("period".into(), s(|r| r.period.clone())),
        Column::new("offence_group".into(), s(|r| r.group.clone())),
        Column::new("basis".into(), s(|r| r.basis.to_string())),
        Column::new("indicator".into(), s(|r| r.indicator.to_string())),
        Column::new("numerator".into(), n(|r| r.numerator)),
        Column::new("denominator".into(), n(|r| r.denominator)),
        Column::new("value".into(), n(|r| r.value)),
        Column::new("ci_low".into(), n(|r| r.ci_low)),
        Column::new("ci_high".into(), n(|r| r.ci_high)),
    ])?)
}

/// The notes as lines for stderr.
pub fn describe_notes(notes: &ReadNotes) -> Vec<String> {
    let mut out = vec![format!(
        "read {} rows from {}",
        notes.rows,
        notes.files.join(", ")
    )];
    if notes.blank_rows > 0 {
        out.push(format!(
            "{} rows with neither force nor offence code (blank lines or notes) skipped",
            notes.blank_rows
        ));
    }
    if notes.other_offence_rows > 0 {
        out.push(format!(
            "{} rows of other offence groups (not sexual offences) left out",
            notes.other_offence_rows
        ));
    }
    for (code, n) in &notes.unknown_offence_codes {
        out.push(format!(
            "offence code `{code}` is not in the standard's list: {n} rows counted by their subgroup"
        ));
    }
    for (t, n) in &notes.unknown_outcome_types {
        out.push(format!(
            "outcome type `{t}` is not in the Home Office list: {n} rows (in the denominators only)"
        ));
    }
    if notes.unreadable_counts > 0 {
        out.push(format!(
            "{} count cells were not numbers and were taken as missing",
            notes.unreadable_counts
        ));
    }
    if notes.negative_counts > 0 {
        out.push(format!(
            "{} count cells are negative: the Home Office's net adjustments for outcomes reclassified from earlier periods; kept in the sums",
            notes.negative_counts
        ));
    }
    for f in &notes.unknown_forces {
        out.push(format!(
            "force `{f}` is not in the reference list; kept as named"
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_years_are_matched_by_meaning() {
        assert_eq!(
            normalise_header("Force outcomes for offences recorded in quarter"),
            "force_outcomes_for_offences_recorded_in_quarter"
        );
        assert_eq!(normalise_header("\u{feff}Force Name "), "force_name");
        assert_eq!(financial_year("2017/18").as_deref(), Some("2017/18"));
        assert_eq!(financial_year("2017-18").as_deref(), Some("2017/18"));
        assert_eq!(financial_year("FY 2019/2020").as_deref(), Some("2019/20"));
        assert_eq!(financial_year("1999/00").as_deref(), Some("1999/00"));
        assert_eq!(financial_year("Q1"), None);
    }
}
