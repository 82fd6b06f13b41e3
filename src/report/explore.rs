//! The flight deck explorer (`soteria explore`, and `explore.html` beside the report): one
//! self-contained HTML page a RASSO lead can open from an email, with the flight deck of
//! one force by month, unit (the force, each area, each team) and offence group embedded
//! as columnar arrays, the SPC columns and the summary computed here by the engine (the
//! page never computes a limit or a rule), and a small dependency-free script that draws
//! the views. `--publish` applies disclosure control to the embedded data itself.
use super::disclosure;
use super::table::{Cell, Kind, Table};
use crate::charts::icons;
use crate::error::Result;
use crate::format::{escape_xml, month_long};
use crate::indicators::registry::{CATALOGUE, PILLARS};
use crate::indicators::{FlightDeckOptions, Targets, flight_deck, summary_of};
use crate::ingest::Dataset;
use crate::model::{ALL_AREAS, SplitBy};
use crate::stats::spc::{Polarity, SpcOptions};
use crate::util::Month;
use crate::util::chrono_lite::Date;
use polars::prelude::*;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

const SCRIPT: &str = include_str!("explore.js");
const STYLE: &str = include_str!("explore.css");

#[derive(Debug, Clone)]
pub struct ExploreOptions {
    pub month: Month,
    pub force: Option<String>,
    pub publish: bool,
    pub suppress_below: u32,
    pub targets: Targets,
    pub as_at: Option<Date>,
    pub coverage_from: Option<Month>,
    /// Months of history, ending at `month` (the report's charts show 36).
    pub months: i32,
}

/// The columns of a series row, in the order of `soteria flightdeck --spc --format csv`.
const ROW_COLUMNS: &[&str] = &[
    "period",
    "offence_group",
    "indicator",
    "numerator",
    "denominator",
    "value",
    "ci_low",
    "ci_high",
    "status",
    "mean",
    "lpl",
    "upl",
    "rule",
    "point_type",
];

const SUMMARY_COLUMNS: &[&str] = &[
    "offence_group",
    "indicator",
    "status",
    "value_period",
    "numerator",
    "denominator",
    "value",
    "ci_low",
    "ci_high",
    "variation",
    "target",
    "assurance",
];

/// One unit of the page: the force (`All`), an area or a team.
struct Unit {
    kind: &'static str,
    name: String,
    rows: Table,
    summary: Table,
}

/// Ten significant figures: what a reader or a recomputation can use, in about half the
/// characters of the shortest exact form.
fn rounded(v: f64) -> Value {
    let r: f64 = format!("{v:.9e}").parse().unwrap_or(v);
    json!(r)
}

fn cell_json(c: &Cell) -> Value {
    match c {
        Cell::Empty => Value::Null,
        Cell::Text(s) | Cell::Suppressed(s) => Value::String(s.clone()),
        Cell::Num(v, _) => rounded(*v),
    }
}

/// A table as `{column: [values]}`, the compact form the page reads. A column of text
/// (periods, ids, codes) is a dictionary and one index per row: `{"values": [..],
/// "codes": [..]}`.
fn columnar(t: &Table, columns: &[&str]) -> Value {
    let mut out = serde_json::Map::new();
    for c in columns {
        let i = t.column(c).expect("a column of the table");
        let text = t
            .rows
            .iter()
            .all(|r| matches!(r[i], Cell::Text(_) | Cell::Empty));
        let column = if text {
            let mut values: Vec<Value> = Vec::new();
            let mut index: BTreeMap<String, usize> = BTreeMap::new();
            let codes: Vec<Value> = t
                .rows
                .iter()
                .map(|r| match &r[i] {
                    Cell::Text(s) => {
                        let k = *index.entry(s.clone()).or_insert_with(|| {
                            values.push(Value::String(s.clone()));
                            values.len() - 1
                        });
                        json!(k)
                    }
                    _ => Value::Null,
                })
                .collect();
            json!({"values": values, "codes": codes})
        } else {
            Value::Array(t.rows.iter().map(|r| cell_json(&r[i])).collect())
        };
        out.insert(c.to_string(), column);
    }
    Value::Object(out)
}

fn select(frame: &DataFrame, area: &str, columns: &[&str]) -> Result<DataFrame> {
    Ok(frame
        .clone()
        .lazy()
        .filter(col("area").eq(lit(area.to_string())))
        .select(columns.iter().map(|c| col(*c)).collect::<Vec<_>>())
        .collect()?)
}

/// Withholds, in a published page, the SPC of every series that holds a withheld value:
/// the mean of the other points would give the withheld one away.
fn withhold_spc(rows: &mut Table, withheld: &BTreeSet<disclosure::DeckKey>) {
    let series: BTreeSet<(String, String)> = withheld
        .iter()
        .map(|(_, g, i)| (g.clone(), i.clone()))
        .collect();
    let c = |n: &str| rows.column(n).expect("a series column");
    let (group, indicator) = (c("offence_group"), c("indicator"));
    let spc: Vec<usize> = ["mean", "lpl", "upl", "rule", "point_type"]
        .iter()
        .map(|n| c(n))
        .collect();
    for row in &mut rows.rows {
        if series.contains(&(row[group].display(), row[indicator].display())) {
            for &k in &spc {
                row[k] = Cell::Suppressed("[c]".into());
            }
        }
    }
}

fn unit(
    kind: &'static str,
    name: &str,
    frame: &DataFrame,
    options: &ExploreOptions,
) -> Result<Unit> {
    let mut columns: Vec<&str> = ROW_COLUMNS.to_vec();
    columns.push("area");
    let rows_frame = select(frame, name, &columns)?;
    let kind_of = |c: &str| match c {
        "numerator" | "denominator" => Kind::Count,
        _ => Kind::Decimal,
    };
    let mut rows = Table::from_frame(&rows_frame, |_, c| kind_of(c))?;
    // The target in force each month (a dated target applies from its month).
    let force = options.force.clone().unwrap_or_default();
    let (p, g, i) = (
        rows.column("period").expect("period"),
        rows.column("offence_group").expect("group"),
        rows.column("indicator").expect("indicator"),
    );
    rows.columns.push("target".into());
    for row in &mut rows.rows {
        let target = match (
            Month::parse(&row[p].display()),
            crate::schema::OffenceGroup::parse(&row[g].display()).ok(),
        ) {
            (Some(m), Some(group)) => options.targets.get_at(&force, group, &row[i].display(), m),
            _ => None,
        };
        row.push(Cell::num(target, Kind::Decimal));
    }
    // The summary reads the unit's rows as the force's (`All`) rows.
    let as_force = rows_frame
        .clone()
        .lazy()
        .with_column(lit(ALL_AREAS).alias("area"))
        .with_column(lit(force.clone()).alias("force"))
        .collect()?;
    let summary_frame = summary_of(&as_force, options.month, &options.targets, None)?;
    let summary_frame = summary_frame
        .lazy()
        .select(SUMMARY_COLUMNS.iter().map(|c| col(*c)).collect::<Vec<_>>())
        .collect()?;
    let mut summary = Table::from_frame(&summary_frame, |_, c| kind_of(c))?;
    if options.publish {
        let threshold = options.suppress_below as f64;
        let withheld = disclosure::flight_deck(&mut rows, threshold);
        withhold_spc(&mut rows, &withheld);
        // A summary value is its series' value at `value_period`: shown as the series
        // shows it.
        let index: BTreeMap<(String, String, String), usize> = {
            let c = |n: &str| rows.column(n).expect("a series column");
            let (p, g, i) = (c("period"), c("offence_group"), c("indicator"));
            rows.rows
                .iter()
                .enumerate()
                .map(|(k, r)| ((r[p].display(), r[g].display(), r[i].display()), k))
                .collect()
        };
        let s = |n: &str| summary.column(n).expect("a summary column");
        let (vp, g, i) = (s("value_period"), s("offence_group"), s("indicator"));
        let copied: Vec<usize> = ["numerator", "denominator", "value", "ci_low", "ci_high"]
            .iter()
            .map(|n| s(n))
            .collect();
        let r = |n: &str| rows.column(n).expect("a series column");
        let from: Vec<usize> = ["numerator", "denominator", "value", "ci_low", "ci_high"]
            .iter()
            .map(|n| r(n))
            .collect();
        for row in &mut summary.rows {
            let key = (row[vp].display(), row[g].display(), row[i].display());
            if let Some(&k) = index.get(&key) {
                for (to, from) in copied.iter().zip(&from) {
                    if matches!(rows.rows[k][*from], Cell::Suppressed(_)) {
                        row[*to] = rows.rows[k][*from].clone();
                    }
                }
            }
        }
    }
    Ok(Unit {
        kind,
        name: name.to_string(),
        rows,
        summary,
    })
}

/// The page's HTML.
pub fn build(dataset: &Dataset, options: &ExploreOptions) -> Result<String> {
    let month = options.month;
    let (force, as_at) = super::resolve_edition(
        dataset,
        options.force.as_deref(),
        options.as_at,
        month,
        options.publish,
        options.suppress_below,
    )?;
    let options = &ExploreOptions {
        force: Some(force.clone()),
        ..options.clone()
    };
    let deck_options = |split| FlightDeckOptions {
        as_at: Some(as_at),
        from: Some(month.plus(1 - options.months)),
        to: Some(month),
        force: Some(force.clone()),
        split: Some(split),
        spc: Some(SpcOptions {
            baseline: None,
            screen: true,
            polarity: Polarity::Neutral,
            target: None,
        }),
        coverage_from: options.coverage_from,
        windows: options.targets.windows.clone(),
        process_changes: options.targets.process_changes.clone(),
        ..FlightDeckOptions::default()
    };
    let by_area = flight_deck(dataset, &deck_options(SplitBy::Area))?;
    let by_team = flight_deck(dataset, &deck_options(SplitBy::Team))?;
    let names = |frame: &DataFrame| -> Result<Vec<String>> {
        // A set: each unit once, in name order.
        Ok(frame
            .column("area")?
            .str()?
            .iter()
            .flatten()
            .filter(|a| *a != ALL_AREAS)
            .map(String::from)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect())
    };
    let mut units = vec![unit("all", ALL_AREAS, &by_area.table, options)?];
    for a in names(&by_area.table)? {
        units.push(unit("area", &a, &by_area.table, options)?);
    }
    for t in names(&by_team.table)? {
        units.push(unit("team", &t, &by_team.table, options)?);
    }
    // Targets are embedded only when a targets file sets one.
    let mut row_columns: Vec<&str> = ROW_COLUMNS.to_vec();
    if units.iter().any(|u| {
        let t = u.rows.column("target").expect("target");
        u.rows.rows.iter().any(|r| r[t].value().is_some())
    }) {
        row_columns.push("target");
    }
    let data = json!({
        "force": force,
        "month": month.to_string(),
        "from": by_area.from.to_string(),
        "as_at": as_at.to_string(),
        "published": options.publish,
        "suppress_below": options.suppress_below,
        "pillars": PILLARS,
        "indicators": CATALOGUE.iter().map(|i| json!({
            "id": i.id,
            "title": i.title,
            "pillar": i.pillar,
            "unit": i.unit.as_str(),
            "polarity": i.polarity.as_str(),
            "definition": i.definition,
        })).collect::<Vec<_>>(),
        "groups": crate::schema::OffenceGroup::ORDER.iter().map(|g| json!({"id": g.id(), "label": g.label()})).collect::<Vec<_>>(),
        // Process changes rebase the limits: the chart marks them as the static charts do.
        "rebases": options.targets.process_changes.iter()
            .filter(|c| c.force.as_deref().is_none_or(|f| f == force))
            .map(|c| json!({
                "month": c.month.to_string(),
                "label": c.label,
                "indicators": c.indicators,
            }))
            .collect::<Vec<_>>(),
        "icons": icons::ALL.iter().map(|i| json!({"stem": i.stem(), "name": i.name()})).collect::<Vec<_>>(),
        "units": units.iter().map(|u| json!({
            "kind": u.kind,
            "name": u.name,
            "rows": columnar(&u.rows, &row_columns),
            "summary": columnar(&u.summary, SUMMARY_COLUMNS),
        })).collect::<Vec<_>>(),
    });
    // Inside a script element, `</` would end it early.
    let data = serde_json::to_string(&data)
        .expect("the explorer's data serialises")
        .replace("</", "<\\/");
    let title = format!(
        "RASSO flight deck explorer: {force}, {}",
        month_long(&month.to_string())
    );
    let edition = if options.publish {
        format!(
            "Published version: counts below {} are suppressed, and the SPC of a series holding one is withheld.",
            options.suppress_below
        )
    } else {
        "Internal version: not for publication.".to_string()
    };
    Ok(format!(
        include_str!("explore.html"),
        title = escape_xml(&title),
        edition = escape_xml(&edition),
        as_at = as_at,
        style = STYLE,
        icons = super::html::icon_symbols(),
        data = data,
        script = SCRIPT,
    ))
}
