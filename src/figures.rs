//! Charts of a dataset: each kind from the flight deck or the problem profile, with the
//! title, subtitle and source line the issue asks of every chart.
use crate::charts::attrition::AttritionChart;
use crate::charts::bars::{Bar, BarsChart};
use crate::charts::funnel::FunnelChart;
use crate::charts::heatmap::{HeatmapChart, WEEKDAYS};
use crate::charts::multiples::MultiplesChart;
use crate::charts::outcomes::{OUTCOME_GROUPS, OutcomesChart, outcome_group};
use crate::charts::pyramid::PyramidChart;
use crate::charts::spc::{Annotation, SpcChart};
use crate::charts::trend::{TrendChart, rolling_12};
use crate::charts::{Chart, ChartError, Labels};
use crate::error::{Result, SoteriaError};
use crate::format::{ValueFormat, month_long};
use crate::indicators::registry::{self, CATALOGUE, PILLARS, Unit};
use crate::indicators::targets::rebase_indices;
use crate::indicators::{FlightDeckOptions, ProcessChange, SplitBy, Targets, flight_deck};
use crate::ingest::Dataset;
use crate::model::Base;
use crate::profile::{ProfileOptions, profile};
use crate::schema::OffenceGroup;
use crate::stats::funnel::funnel;
use crate::stats::spc::{SpcOptions, xmr_series};
use crate::util::Month;
use crate::util::chrono_lite::Date;
use crate::util::lower_first;
use polars::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Spc,
    Trend,
    Outcomes,
    Funnel,
    Heatmap,
    Pyramid,
    Attrition,
    Bars,
    Multiples,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Spc,
        Kind::Trend,
        Kind::Outcomes,
        Kind::Funnel,
        Kind::Heatmap,
        Kind::Pyramid,
        Kind::Attrition,
        Kind::Bars,
        Kind::Multiples,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Spc => "spc",
            Kind::Trend => "trend",
            Kind::Outcomes => "outcomes",
            Kind::Funnel => "funnel",
            Kind::Heatmap => "heatmap",
            Kind::Pyramid => "pyramid",
            Kind::Attrition => "attrition",
            Kind::Bars => "bars",
            Kind::Multiples => "multiples",
        }
    }
}

/// What to chart. Unset fields take the defaults each kind documents.
#[derive(Debug, Clone)]
pub struct ChartRequest {
    pub kind: Kind,
    /// spc, trend, funnel: default `charge_rate_closed`.
    pub indicator: Option<String>,
    pub force: Option<String>,
    pub group: OffenceGroup,
    pub from: Option<Month>,
    pub to: Option<Month>,
    /// bars: a profile dimension; pyramid: victims or suspects; funnel: area or force;
    /// outcomes: month or quarter; multiples: the pillar number.
    pub dimension: Option<String>,
    pub target: Option<f64>,
    pub annotations: Vec<(Month, String)>,
    /// Targets (when `target` is not given), process changes and window overrides.
    pub targets: Targets,
    pub as_at: Option<Date>,
    /// outcomes: shares of each period rather than counts.
    pub shares: bool,
    /// funnel: widen the limits for overdispersion.
    pub overdispersion: bool,
    /// trend: leave out the rolling 12-month line.
    pub no_rolling: bool,
    /// trend: leave out the interval band.
    pub no_interval: bool,
}

impl ChartRequest {
    pub fn new(kind: Kind) -> ChartRequest {
        ChartRequest {
            kind,
            indicator: None,
            force: None,
            group: OffenceGroup::All,
            from: None,
            to: None,
            dimension: None,
            target: None,
            annotations: Vec::new(),
            targets: Targets::default(),
            as_at: None,
            shares: false,
            overdispersion: false,
            no_rolling: false,
            no_interval: false,
        }
    }
}

/// The one rule that puts a note on a chart: on the first period of its month (a period
/// `YYYY-MM`, or a date in that month). Notes whose month the chart does not show are
/// returned apart, for the caller to warn about.
pub fn place_annotations(
    periods: &[String],
    notes: &[(Month, String)],
) -> (Vec<Annotation>, Vec<(Month, String)>) {
    let mut placed = Vec::new();
    let mut outside = Vec::new();
    for (month, label) in notes {
        let m = month.to_string();
        match periods
            .iter()
            .position(|p| *p == m || p.strip_prefix(&m).is_some_and(|r| r.starts_with('-')))
        {
            Some(index) => placed.push(Annotation {
                index,
                label: label.clone(),
            }),
            None => outside.push((*month, label.clone())),
        }
    }
    (placed, outside)
}

/// Reads a CSV of `date,label` (date as `YYYY-MM-DD` or `YYYY-MM`) for chart annotations.
pub fn read_annotations(path: &Path) -> Result<Vec<(Month, String)>> {
    // The same decoding as an extract: UTF-8, with or without a BOM, or Windows-1252.
    let bytes = std::fs::read(path).map_err(|e| SoteriaError::io(path, e))?;
    let mut repairs = crate::ingest::read::ReadRepairs::default();
    let bytes = crate::ingest::read::decode_csv_bytes(bytes, &mut repairs).map_err(|m| {
        SoteriaError::Unreadable {
            path: path.to_path_buf(),
            format: "CSV",
            message: m.to_string(),
        }
    })?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let mut notes = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_start_matches('\u{feff}').trim();
        if line.is_empty() || (i == 0 && line.to_ascii_lowercase().starts_with("date")) {
            continue;
        }
        let (date, label) = line.split_once(',').ok_or_else(|| {
            SoteriaError::Other(format!(
                "{}: row {}: expected `date,label`, got `{line}`",
                path.display(),
                i + 1
            ))
        })?;
        let date = date.trim();
        let month = Date::parse(date)
            .map(Month::of)
            .or_else(|| Month::parse(date))
            .ok_or_else(|| {
                SoteriaError::Other(format!(
                    "{}: row {}, column date: `{date}` is not a date (YYYY-MM-DD or YYYY-MM)",
                    path.display(),
                    i + 1
                ))
            })?;
        notes.push((month, label.trim().trim_matches('"').to_string()));
    }
    Ok(notes)
}

/// The one force a chart is about: the one asked for, or the dataset's only force.
pub fn resolve_force(dataset: &Dataset, asked: Option<&str>) -> Result<String> {
    let forces = dataset.forces()?;
    match asked {
        Some(f) if forces.iter().any(|x| x == f) => Ok(f.to_string()),
        Some(f) => Err(SoteriaError::Usage(format!(
            "--force {f}: not in the dataset (it has {})",
            forces.join(", ")
        ))),
        None if forces.len() == 1 => Ok(forces[0].clone()),
        None => Err(SoteriaError::Usage(format!(
            "the dataset has {} forces: choose one with --force ({})",
            forces.len(),
            forces.join(", ")
        ))),
    }
}

/// The force, as-at date and months a chart is about.
pub struct Context {
    pub force: String,
    pub as_at: Date,
    pub from: Month,
    pub to: Month,
}

impl Context {
    pub fn labels(&self, title: String, group: OffenceGroup, basis: &str) -> Labels {
        let period = if self.from == self.to {
            month_long(&self.from.to_string())
        } else {
            format!(
                "{} to {}",
                month_long(&self.from.to_string()),
                month_long(&self.to.to_string())
            )
        };
        let mut subtitle = format!("{}, {}, {period}", self.force, group.words());
        if !basis.is_empty() {
            subtitle.push_str(&format!("; {basis}"));
        }
        Labels {
            title,
            subtitle,
            source: format!(
                "Source: {} extract as at {}; Soteria flight deck definitions v2",
                self.force, self.as_at
            ),
        }
    }
}

fn context(dataset: &Dataset, req: &ChartRequest, default_months: i32) -> Result<Context> {
    let force = resolve_force(dataset, req.force.as_deref())?;
    let as_at = dataset.as_at(req.as_at)?;
    let to = req.to.unwrap_or_else(|| Month::of(as_at));
    let from = req.from.unwrap_or_else(|| to.plus(1 - default_months));
    if from > to {
        return Err(SoteriaError::Usage(format!(
            "--from {from} is after --to {to}"
        )));
    }
    Ok(Context {
        force,
        as_at,
        from,
        to,
    })
}

fn indicator(id: Option<&str>, group: OffenceGroup) -> Result<&'static registry::Indicator> {
    let id = id.unwrap_or("charge_rate_closed");
    let ind = registry::find(id).ok_or_else(|| {
        SoteriaError::Usage(format!(
            "--indicator {id}: not in the catalogue (`soteria indicators` lists them)"
        ))
    })?;
    if ind.all_groups_only && group != OffenceGroup::All {
        return Err(SoteriaError::Usage(format!(
            "{id} is computed for --group all only"
        )));
    }
    Ok(ind)
}

/// One monthly series of the flight deck.
pub struct Series {
    pub periods: Vec<String>,
    pub numerator: Vec<Option<f64>>,
    pub denominator: Vec<Option<f64>>,
    pub value: Vec<Option<f64>>,
    pub low: Vec<Option<f64>>,
    pub high: Vec<Option<f64>>,
    /// Each month's status: `final`, `provisional` or `truncated`.
    pub status: Vec<String>,
}

fn f64s(df: &DataFrame, name: &str) -> Result<Vec<Option<f64>>> {
    Ok(df
        .column(name)?
        .cast(&DataType::Float64)?
        .f64()?
        .iter()
        .collect())
}

fn strings(df: &DataFrame, name: &str) -> Result<Vec<String>> {
    Ok(df
        .column(name)?
        .cast(&DataType::String)?
        .str()?
        .iter()
        .map(|s| s.unwrap_or_default().to_string())
        .collect())
}

fn deck(
    dataset: &Dataset,
    ctx: &Context,
    req: &ChartRequest,
    ids: Vec<String>,
    split: Option<SplitBy>,
    force: Option<String>,
) -> Result<DataFrame> {
    let deck = flight_deck(
        dataset,
        &FlightDeckOptions {
            as_at: Some(ctx.as_at),
            from: Some(ctx.from),
            to: Some(ctx.to),
            force,
            split,
            group: Some(req.group),
            indicators: Some(ids),
            windows: req.targets.windows.clone(),
            ..FlightDeckOptions::default()
        },
    )?;
    Ok(deck.table)
}

/// The area-`All` series of one indicator and offence group of a force.
pub fn series(table: &DataFrame, id: &str, group: OffenceGroup, force: &str) -> Result<Series> {
    let df = table
        .clone()
        .lazy()
        .filter(
            col("indicator")
                .eq(lit(id.to_string()))
                .and(col("force").eq(lit(force.to_string())))
                .and(col("offence_group").eq(lit(group.id())))
                .and(col("area").eq(lit("All"))),
        )
        .sort(["period"], SortMultipleOptions::default())
        .collect()?;
    Ok(Series {
        periods: strings(&df, "period")?,
        numerator: f64s(&df, "numerator")?,
        denominator: f64s(&df, "denominator")?,
        value: f64s(&df, "value")?,
        low: f64s(&df, "ci_low")?,
        high: f64s(&df, "ci_high")?,
        status: strings(&df, "status")?,
    })
}

pub fn measure(ind: &registry::Indicator, group: OffenceGroup) -> String {
    format!("{} for {}", lower_first(ind.title), group.words())
}

/// The SPC chart of one indicator's monthly series: a month with no value is a gap, a
/// month that is not final is drawn but not counted, and each process change starts a
/// new segment, labelled on the chart.
pub fn spc_of(
    s: &Series,
    ind: &registry::Indicator,
    group: OffenceGroup,
    target: Option<f64>,
    annotations: &[(Month, String)],
    changes: &[&ProcessChange],
) -> Option<SpcChart> {
    let months: Vec<Month> = s
        .periods
        .iter()
        .map(|p| Month::parse(p).unwrap_or(Month::new(1900, 1)))
        .collect();
    let counted: Vec<bool> = s
        .status
        .iter()
        .map(|st| st.is_empty() || st == "final")
        .collect();
    let rebase = rebase_indices(&months, changes.iter().copied());
    let options = SpcOptions {
        polarity: ind.polarity,
        target,
        ..SpcOptions::default()
    };
    let result = xmr_series(&s.value, Some(&counted), &rebase, &options)?;
    let mut chart = SpcChart {
        periods: s.periods.clone(),
        result,
        polarity: ind.polarity,
        target,
        annotations: Vec::new(),
        format: ind.unit.value_format(),
        measure: measure(ind, group),
    };
    chart.annotations = changes
        .iter()
        .filter_map(|c| months.iter().position(|m| *m >= c.month).map(|i| (c, i)))
        .filter(|(_, index)| *index > 0)
        .map(|(change, index)| Annotation {
            index,
            label: change.label.clone(),
        })
        .collect();
    annotate(&mut chart, annotations);
    Some(chart)
}

/// Adds an analyst's notes to an SPC chart; a note takes the place of a process change's
/// label on the same month.
pub fn annotate(chart: &mut SpcChart, annotations: &[(Month, String)]) {
    let (mut notes, _outside) = place_annotations(&chart.periods, annotations);
    for change in &chart.annotations {
        if !notes.iter().any(|n| n.index == change.index) {
            notes.push(change.clone());
        }
    }
    notes.sort_by_key(|n| n.index);
    chart.annotations = notes;
}

fn no_values(what: &str) -> SoteriaError {
    ChartError::NoData(format!(
        "{what}: no values in the period to chart (is a table it needs missing?)"
    ))
    .into()
}

/// Builds a chart of the dataset.
pub fn chart(dataset: &Dataset, req: &ChartRequest) -> Result<(Chart, Labels)> {
    match req.kind {
        Kind::Spc | Kind::Trend => series_chart(dataset, req),
        Kind::Multiples => multiples_chart(dataset, req),
        Kind::Funnel => funnel_chart(dataset, req),
        Kind::Outcomes => outcomes_chart(dataset, req),
        Kind::Heatmap | Kind::Pyramid | Kind::Attrition | Kind::Bars => {
            profile_kind_chart(dataset, req)
        }
    }
}

/// An SPC or trend chart of one indicator of a force.
fn series_chart(dataset: &Dataset, req: &ChartRequest) -> Result<(Chart, Labels)> {
    let group = req.group;
    let ind = indicator(req.indicator.as_deref(), group)?;
    let ctx = context(dataset, req, 36)?;
    let table = deck(
        dataset,
        &ctx,
        req,
        vec![ind.id.to_string()],
        None,
        Some(ctx.force.clone()),
    )?;
    let s = series(&table, ind.id, group, &ctx.force)?;
    if req.kind == Kind::Spc {
        let target = req
            .target
            .or_else(|| req.targets.get_at(&ctx.force, group, ind.id, ctx.to));
        let changes: Vec<&ProcessChange> = req.targets.rebase_for(&ctx.force, ind.id).collect();
        let chart = spc_of(&s, ind, group, target, &req.annotations, &changes)
            .ok_or_else(|| no_values(ind.id))?;
        let labels = ctx.labels(
            ind.title.to_string(),
            group,
            "monthly XmR chart (Making Data Count rules)",
        );
        Ok((Chart::Spc(chart), labels))
    } else {
        if s.value.iter().all(Option::is_none) {
            return Err(no_values(ind.id));
        }
        let rolling = match ind.unit {
            Unit::Proportion => Some(rolling_12(&s.numerator, Some(&s.denominator))),
            Unit::Count => Some(rolling_12(&s.numerator, None)),
            // A median of medians is not a median: no rolling line.
            Unit::MedianDays | Unit::Ratio => None,
        };
        let (low, high) = if req.no_interval {
            (Vec::new(), Vec::new())
        } else {
            (s.low, s.high)
        };
        let chart = TrendChart {
            periods: s.periods,
            values: s.value,
            low,
            high,
            rolling: rolling.filter(|r| !req.no_rolling && r.iter().any(Option::is_some)),
            format: ind.unit.value_format(),
            measure: measure(ind, group),
        };
        let labels = ctx.labels(
            ind.title.to_string(),
            group,
            if req.no_interval {
                "monthly"
            } else {
                "monthly, with 95% intervals"
            },
        );
        Ok((Chart::Trend(chart), labels))
    }
}

/// Small multiples: an SPC chart per indicator of a pillar.
fn multiples_chart(dataset: &Dataset, req: &ChartRequest) -> Result<(Chart, Labels)> {
    let group = req.group;
    let pillar: u8 = match req.dimension.as_deref() {
        None => 1,
        Some(p) => p
            .parse()
            .ok()
            .filter(|p| (1..=6).contains(p))
            .ok_or_else(|| {
                SoteriaError::Usage(format!(
                    "--dimension {p}: multiples take a pillar number, 1 to 6"
                ))
            })?,
    };
    let ctx = context(dataset, req, 36)?;
    let inds: Vec<&registry::Indicator> = CATALOGUE
        .iter()
        .filter(|i| i.pillar == pillar && (group == OffenceGroup::All || !i.all_groups_only))
        .collect();
    let table = deck(
        dataset,
        &ctx,
        req,
        inds.iter().map(|i| i.id.to_string()).collect(),
        None,
        Some(ctx.force.clone()),
    )?;
    let mut panels = Vec::new();
    for ind in inds {
        let s = series(&table, ind.id, group, &ctx.force)?;
        let target = req.targets.get_at(&ctx.force, group, ind.id, ctx.to);
        let changes: Vec<&ProcessChange> = req.targets.rebase_for(&ctx.force, ind.id).collect();
        if let Some(c) = spc_of(&s, ind, group, target, &[], &changes) {
            panels.push((ind.title.to_string(), c));
        }
    }
    if panels.is_empty() {
        return Err(no_values(&format!("pillar {pillar}")));
    }
    let columns = if panels.len() > 4 { 3 } else { 2 };
    let labels = ctx.labels(
        format!("Pillar {pillar}: {}", PILLARS[pillar as usize - 1]),
        group,
        "monthly XmR charts",
    );
    Ok((Chart::Multiples(MultiplesChart { panels, columns }), labels))
}

/// A funnel plot of one indicator across the areas of a force, or across forces.
fn funnel_chart(dataset: &Dataset, req: &ChartRequest) -> Result<(Chart, Labels)> {
    let group = req.group;
    let ind = indicator(req.indicator.as_deref(), group)?;
    if ind.unit != Unit::Proportion {
        return Err(SoteriaError::Usage(format!(
            "--indicator {}: a funnel plot needs a proportion",
            ind.id
        )));
    }
    let ctx = context(dataset, req, 12)?;
    let by_force = match req.dimension.as_deref() {
        Some("force") => true,
        None | Some("area") => false,
        Some(d) => {
            return Err(SoteriaError::Usage(format!(
                "--dimension {d}: a funnel compares areas (area) or forces (force)"
            )));
        }
    };
    let table = deck(
        dataset,
        &ctx,
        req,
        vec![ind.id.to_string()],
        (!by_force).then_some(SplitBy::Area),
        (!by_force).then(|| ctx.force.clone()),
    )?;
    let unit_col = if by_force { "force" } else { "area" };
    let mut filter = col("indicator").eq(lit(ind.id));
    filter = if by_force {
        filter.and(col("area").eq(lit("All")))
    } else {
        filter.and(col("area").neq(lit("All")))
    };
    let sums = table
        .lazy()
        .filter(filter)
        .group_by([col(unit_col)])
        .agg([col("numerator").sum(), col("denominator").sum()])
        .sort([unit_col], SortMultipleOptions::default())
        .collect()?;
    let labels_col = strings(&sums, unit_col)?;
    let num = f64s(&sums, "numerator")?;
    let den = f64s(&sums, "denominator")?;
    let units: Vec<(String, f64, f64)> = labels_col
        .into_iter()
        .zip(num.into_iter().zip(den))
        .filter_map(|(l, (x, n))| match (x, n) {
            (Some(x), Some(n)) if n > 0.0 => Some((l, x, n)),
            _ => None,
        })
        .collect();
    let result = funnel(&units, req.target, req.overdispersion).ok_or_else(|| no_values(ind.id))?;
    let chart = FunnelChart {
        result,
        highlight: by_force.then(|| ctx.force.clone()),
        measure: measure(ind, group),
        units: if by_force { "forces" } else { "areas" }.into(),
        denominator: lower_first(denominator_words(ind.id)),
        target_label: if req.target.is_some() {
            "Target"
        } else {
            "Pooled proportion"
        }
        .into(),
    };
    let mut labels = ctx.labels(
        format!(
            "{} by {}",
            ind.title,
            if by_force { "force" } else { "area" }
        ),
        group,
        "months pooled",
    );
    if by_force {
        labels.subtitle = labels.subtitle.replacen(&ctx.force, "All forces", 1);
    }
    Ok((Chart::Funnel(chart), labels))
}

/// Outcomes of crimes closed in each month or quarter, by outcome group.
fn outcomes_chart(dataset: &Dataset, req: &ChartRequest) -> Result<(Chart, Labels)> {
    let group = req.group;
    let ctx = context(dataset, req, 24)?;
    let quarterly = match req.dimension.as_deref() {
        None | Some("month") => false,
        Some("quarter") => true,
        Some(d) => {
            return Err(SoteriaError::Usage(format!(
                "--dimension {d}: outcomes go by month or quarter"
            )));
        }
    };
    // Current outcomes only: no event is attached.
    let base =
        Base::build_with_events(dataset, ctx.as_at.days(), Some(&ctx.force), None, Some(&[]))?;
    let mut crimes = base.crimes().filter(col("cur_date").is_not_null()).filter(
        col("cur_date")
            .gt_eq(lit(ctx.from.first_day().days()))
            .and(col("cur_date").lt_eq(lit(ctx.to.last_day().days()))),
    );
    if group != OffenceGroup::All {
        crimes = crimes.filter(col("grp").eq(lit(group.id())));
    }
    let closed = crimes
        .select([col("cur_date"), col("cur_type")])
        .collect()?;
    let period_of = |m: Month| {
        if quarterly {
            format!("{} Q{}", m.year, (m.month - 1) / 3 + 1)
        } else {
            m.to_string()
        }
    };
    let mut periods: Vec<String> = Vec::new();
    let mut m = ctx.from;
    while m <= ctx.to {
        let p = period_of(m);
        if periods.last() != Some(&p) {
            periods.push(p);
        }
        m = m.plus(1);
    }
    let mut counts = vec![vec![0.0; periods.len()]; OUTCOME_GROUPS.len()];
    let dates = closed.column("cur_date")?.i32()?;
    let types = closed.column("cur_type")?.str()?;
    for (d, t) in dates.iter().zip(types.iter()) {
        let (Some(d), Some(t)) = (d, t) else { continue };
        let p = period_of(Month::of(Date::from_days(d)));
        if let Some(i) = periods.iter().position(|x| *x == p) {
            counts[outcome_group(t)][i] += 1.0;
        }
    }
    let chart = OutcomesChart {
        periods,
        groups: OUTCOME_GROUPS.iter().map(|g| g.0.to_string()).collect(),
        counts,
        shares: req.shares,
    };
    let labels = ctx.labels(
        "Outcomes of crimes closed".into(),
        group,
        &format!(
            "crimes by the {} of their current outcome{}",
            if quarterly { "quarter" } else { "month" },
            if req.shares { ", shares" } else { ", counts" }
        ),
    );
    Ok((Chart::Outcomes(chart), labels))
}

/// A heatmap, pyramid, attrition or bars chart from the problem profile.
fn profile_kind_chart(dataset: &Dataset, req: &ChartRequest) -> Result<(Chart, Labels)> {
    let group = req.group;
    let ctx = context(dataset, req, 12)?;
    let table = profile(
        dataset,
        &ProfileOptions {
            from: ctx.from,
            to: ctx.to,
            force: Some(ctx.force.clone()),
            group,
            compare: false,
            as_at: Some(ctx.as_at),
            repeat_window_days: crate::indicators::DEFAULT_REPEAT_WINDOW_DAYS,
        },
    )?;
    let rows = ProfileRows::of(&table)?;
    profile_chart(req.kind, req.dimension.as_deref(), &ctx, group, &rows)
}

fn denominator_words(id: &str) -> &'static str {
    if id.ends_with("_closed") || id.starts_with("outcome") || id.contains("withdrawal") {
        "Crimes closed"
    } else {
        "Crimes in the denominator"
    }
}

/// The profile table's columns that charts use; `withheld` marks counts suppressed by
/// disclosure control (their count and shares are `None`).
pub struct ProfileRows {
    pub section: Vec<String>,
    pub dimension: Vec<String>,
    pub category: Vec<String>,
    pub count: Vec<Option<f64>>,
    pub withheld: Vec<bool>,
    pub share: Vec<Option<f64>>,
    pub low: Vec<Option<f64>>,
    pub high: Vec<Option<f64>>,
    pub rate: Vec<Option<f64>>,
    pub rate_low: Vec<Option<f64>>,
    pub rate_high: Vec<Option<f64>>,
    /// The `<N` of suppressed counts, when there are any.
    pub threshold: Option<f64>,
}

impl ProfileRows {
    pub fn of(df: &DataFrame) -> Result<ProfileRows> {
        Ok(ProfileRows {
            section: strings(df, "section")?,
            dimension: strings(df, "dimension")?,
            category: strings(df, "category")?,
            withheld: vec![false; df.height()],
            threshold: None,
            count: f64s(df, "count")?,
            share: f64s(df, "share")?,
            low: f64s(df, "ci_low")?,
            high: f64s(df, "ci_high")?,
            rate: f64s(df, "rate_per_1000")?,
            rate_low: f64s(df, "rate_ci_low")?,
            rate_high: f64s(df, "rate_ci_high")?,
        })
    }

    /// Rows of a dimension other than the `_all` total.
    fn of_dimension(&self, section: &str, dimension: &str) -> Vec<usize> {
        (0..self.section.len())
            .filter(|&i| {
                self.section[i] == section
                    && self.dimension[i] == dimension
                    && self.category[i] != "_all"
            })
            .collect()
    }
}

/// A heatmap, pyramid, attrition or bars chart from profile rows.
pub fn profile_chart(
    kind: Kind,
    dimension: Option<&str>,
    ctx: &Context,
    group: OffenceGroup,
    rows: &ProfileRows,
) -> Result<(Chart, Labels)> {
    let basis = "offences recorded in the period";
    match kind {
        Kind::Heatmap => {
            let mut counts = [[0.0; 24]; 7];
            let mut hidden = [[false; 24]; 7];
            let mut unknown = Some(0.0);
            for i in rows.of_dimension("time", "weekday_hour") {
                let c = rows.count[i].unwrap_or(0.0);
                let withheld = rows.withheld[i];
                let parsed = rows.category[i].split_once(' ').and_then(|(d, h)| {
                    let d = WEEKDAYS.iter().position(|w| *w == d)?;
                    let h: usize = h.parse().ok().filter(|h| *h < 24)?;
                    Some((d, h))
                });
                match parsed {
                    Some((d, h)) => {
                        counts[d][h] += c;
                        hidden[d][h] |= withheld;
                    }
                    None if withheld => unknown = None,
                    None => unknown = unknown.map(|u| u + c),
                }
            }
            let chart = HeatmapChart {
                counts,
                hidden,
                threshold: rows.threshold,
                unknown,
                what: "offences".into(),
            };
            Ok((
                Chart::Heatmap(chart),
                ctx.labels(
                    "When offences happen: weekday and hour".into(),
                    group,
                    basis,
                ),
            ))
        }
        Kind::Pyramid => {
            let who = dimension.unwrap_or("victims");
            if who != "victims" && who != "suspects" {
                return Err(SoteriaError::Usage(format!(
                    "--dimension {who}: a pyramid is of victims or suspects"
                )));
            }
            let bands = [
                "0-12", "13-15", "16-17", "18-24", "25-34", "35-44", "45-54", "55+",
            ];
            let mut female = vec![0.0; bands.len()];
            let mut male = vec![0.0; bands.len()];
            let mut hidden = vec![(false, false); bands.len()];
            let mut other = Some(0.0);
            for i in rows.of_dimension(who, "sex_age_band") {
                let c = rows.count[i].unwrap_or(0.0);
                let withheld = rows.withheld[i];
                let (sex, band) = rows.category[i].split_once(' ').unwrap_or(("", ""));
                match (sex, bands.iter().position(|b| *b == band)) {
                    ("F", Some(b)) => {
                        female[b] += c;
                        hidden[b].0 |= withheld;
                    }
                    ("M", Some(b)) => {
                        male[b] += c;
                        hidden[b].1 |= withheld;
                    }
                    _ if withheld => other = None,
                    _ => other = other.map(|o| o + c),
                }
            }
            let chart = PyramidChart {
                bands: bands.iter().map(|b| b.to_string()).collect(),
                female,
                male,
                hidden,
                threshold: rows.threshold,
                other,
                who: who.to_string(),
            };
            let basis = if who == "suspects" {
                "distinct suspects linked to offences recorded in the period"
            } else {
                "victims of offences recorded in the period"
            };
            let title = format!(
                "{} by age and sex",
                if who == "suspects" {
                    "Suspects"
                } else {
                    "Victims"
                }
            );
            Ok((Chart::Pyramid(chart), ctx.labels(title, group, basis)))
        }
        Kind::Attrition => {
            let names: BTreeMap<&str, &str> = [
                ("recorded", "Recorded"),
                ("suspect_identified", "Suspect identified"),
                ("arrested_or_interviewed", "Arrested or interviewed"),
                ("cps_file", "File to CPS"),
                ("charged", "Charged"),
            ]
            .into_iter()
            .collect();
            if rows
                .of_dimension("attrition", "stage")
                .iter()
                .any(|&i| rows.withheld[i])
            {
                return Err(ChartError::Withheld("a stage has a suppressed count".into()).into());
            }
            let mut stages: Vec<(String, f64)> = rows
                .of_dimension("attrition", "stage")
                .into_iter()
                .map(|i| {
                    let c = rows.category[i].as_str();
                    (
                        names.get(c).map_or(c.to_string(), |n| n.to_string()),
                        rows.count[i].unwrap_or(0.0),
                    )
                })
                .collect();
            let order: Vec<&str> = names.values().copied().collect();
            let rank = |s: &str| match s {
                "Recorded" => 0,
                "Suspect identified" => 1,
                "Arrested or interviewed" => 2,
                "File to CPS" => 3,
                "Charged" => 4,
                _ => 5 + order.len(),
            };
            stages.sort_by_key(|(s, _)| rank(s));
            if stages.is_empty() {
                return Err(no_values("attrition"));
            }
            Ok((
                Chart::Attrition(AttritionChart { stages }),
                ctx.labels("From report to charge".into(), group, basis),
            ))
        }
        Kind::Bars => {
            let wanted = dimension.unwrap_or("relationship");
            let (section, dimension) = match wanted.split_once('.') {
                Some((s, d)) => (s.to_string(), d.to_string()),
                None => {
                    let i = (0..rows.section.len())
                        .find(|&i| rows.dimension[i] == wanted)
                        .ok_or_else(|| {
                            let mut dims: Vec<String> = rows
                                .section
                                .iter()
                                .zip(&rows.dimension)
                                .map(|(s, d)| format!("{s}.{d}"))
                                .collect();
                            dims.dedup();
                            SoteriaError::Usage(format!(
                                "--dimension {wanted}: not a profile dimension (one of {})",
                                dims.join(", ")
                            ))
                        })?;
                    (rows.section[i].clone(), wanted.to_string())
                }
            };
            let all = rows.of_dimension(&section, &dimension);
            if all.is_empty() {
                return Err(no_values(&format!("{section}.{dimension}")));
            }
            // Categories withheld by disclosure control are left out, and said to be.
            let idx: Vec<usize> = all.iter().copied().filter(|&i| !rows.withheld[i]).collect();
            let withheld = all.len() - idx.len();
            let use_rates = idx.iter().any(|&i| rows.rate[i].is_some());
            let bars: Vec<Bar> = idx
                .iter()
                .filter_map(|&i| {
                    let (v, lo, hi) = if use_rates {
                        (rows.rate[i]?, rows.rate_low[i], rows.rate_high[i])
                    } else {
                        (rows.share[i].or(rows.count[i])?, rows.low[i], rows.high[i])
                    };
                    Some(Bar {
                        label: rows.category[i].replace('_', " "),
                        value: v,
                        low: lo,
                        high: hi,
                    })
                })
                .collect();
            let has_shares = idx.iter().any(|&i| rows.share[i].is_some());
            let dim_words = dimension.replace('_', " ");
            let (who, basis) = match section.as_str() {
                "victims" => ("Victims", "victims of offences recorded in the period"),
                "suspects" => (
                    "Suspects",
                    "distinct suspects linked to offences recorded in the period",
                ),
                _ => ("Offences", "offences recorded in the period"),
            };
            let (format, measure, title, what) = if use_rates {
                (
                    ValueFormat::Decimal(2),
                    format!("offences per 1,000 population by {dim_words}"),
                    format!("Offences per 1,000 population by {dim_words}"),
                    "rates with 95% intervals",
                )
            } else if has_shares {
                (
                    ValueFormat::Percent,
                    format!("the share of {} by {dim_words}", who.to_lowercase()),
                    format!("{who} by {dim_words}"),
                    "shares with 95% intervals",
                )
            } else {
                (
                    ValueFormat::Count,
                    format!("{} by {dim_words}", who.to_lowercase()),
                    format!("{who} by {dim_words}"),
                    "counts",
                )
            };
            let mut chart = BarsChart::new(bars, format, measure);
            chart.withheld = withheld;
            Ok((
                Chart::Bars(chart),
                ctx.labels(title, group, &format!("{basis}; {what}")),
            ))
        }
        _ => unreachable!("profile charts only"),
    }
}
