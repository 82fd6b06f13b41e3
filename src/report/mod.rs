//! The monthly KPI report: from an extract to a board-ready report in one command. The
//! content is computed once ([`build`]) as tables, sentences and charts; each format
//! (HTML, Markdown, Excel, CSV) renders the same content ([`write`]), into a temporary
//! folder that is renamed into place, so a failed run never leaves half a report.
pub mod assurance;
pub mod disclosure;
pub mod docx;
pub mod explore;
pub mod html;
mod markdown;
pub mod narrative;
pub mod table;
mod xlsx;

use crate::charts::icons::{self, Icon};
use crate::charts::spc::SpcChart;
use crate::charts::{Chart, ChartError, Format, Labels, RenderOptions, Size, alt_text};
use crate::error::{Result, SoteriaError};
use crate::figures::{Context, Kind as ChartKind, ProfileRows, annotate, series, spc_of};
use crate::format::month_long;
use crate::indicators::registry::{self, CATALOGUE, PILLARS, Unit};
use crate::indicators::{
    FlightDeckOptions, ProcessChange, StatusRules, Targets, flight_deck, summary_of,
};
use crate::ingest::Dataset;
use crate::ingest::read::sha256_hex;
use crate::profile::{ProfileOptions, profile};
use crate::schema::OffenceGroup;
use crate::util::Month;
use crate::util::chrono_lite::Date;
use crate::util::{capitalise, lower_first};
use disclosure::DeckKey;
use polars::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use table::{Cell, Kind, Table};

/// Months of history in the SPC charts of the report.
const CHART_MONTHS: i32 = 36;

#[derive(Debug, Clone)]
pub struct ReportOptions {
    pub month: Month,
    pub force: Option<String>,
    pub publish: bool,
    /// Counts from 1 to this minus one are suppressed when publishing.
    pub suppress_below: u32,
    pub targets: Targets,
    pub targets_file: Option<PathBuf>,
    pub annotations: Vec<(Month, String)>,
    pub annotations_file: Option<PathBuf>,
    /// The force's action log on the inspection's recommendations (CSV).
    pub actions: Option<PathBuf>,
    pub as_at: Option<Date>,
    /// Where the extract's coverage starts; default its first recorded month.
    pub coverage_from: Option<Month>,
    /// Resolution of the PNG charts.
    pub dpi: f64,
}

/// A chart of the report with its rendered SVG.
pub struct ReportChart {
    /// File stem in `charts/`.
    pub stem: String,
    pub chart: Chart,
    pub labels: Labels,
    pub svg: String,
    pub alt: String,
}

pub struct PillarSection {
    pub number: u8,
    pub name: &'static str,
    /// One sentence per indicator with a signal this month.
    pub sentences: Vec<String>,
    /// How many series show common cause variation only.
    pub common: usize,
    pub chart: Option<String>,
    /// Indicators left out of the chart by disclosure control.
    pub withheld: Vec<String>,
}

pub struct Report {
    pub force: String,
    pub month: Month,
    pub as_at: Date,
    pub options: ReportOptions,
    pub headlines: Vec<String>,
    pub summary: Table,
    pub pillars: Vec<PillarSection>,
    pub profile_intro: String,
    pub profile_highlights: Vec<String>,
    pub profile: Table,
    pub flightdeck: Table,
    pub quality: Table,
    pub quality_notes: Vec<String>,
    pub definitions: Table,
    /// The extract's coverage and which months are provisional or truncated, and why.
    pub status_notes: Vec<String>,
    /// Charts by stem, in the order they appear.
    pub charts: Vec<ReportChart>,
    /// Charts left out (by disclosure control, or for want of data), with the reason.
    pub withheld_charts: Vec<(String, String)>,
    /// Indicators not computed because the extract lacks a table they need.
    pub unavailable: Vec<String>,
    /// The inspection's recommendations with their verdicts (`soteria assurance`); the
    /// report shows verdicts and reasons only, which hold no counts.
    pub assurance: crate::assurance::Assurance,
    /// The flight deck explorer (`explore.html`), with the same disclosure control.
    pub explorer: String,
    pub inputs: serde_json::Value,
}

impl Report {
    /// The line under the title: what the report is and where its numbers come from.
    pub fn provenance(&self) -> String {
        format!(
            "Monthly RASSO flight deck report. Extract as at {}; Soteria flight deck definitions v2; Soteria {}.",
            self.as_at,
            env!("CARGO_PKG_VERSION")
        )
    }

    /// Which edition this is: published (with its suppression threshold) or internal.
    pub fn edition(&self) -> String {
        if self.options.publish {
            format!(
                "Published version: counts below {} are suppressed (see Methods).",
                self.options.suppress_below
            )
        } else {
            "Internal version: not for publication.".to_string()
        }
    }

    pub fn chart(&self, stem: &str) -> Option<&ReportChart> {
        self.charts.iter().find(|c| c.stem == stem)
    }

    pub fn threshold(&self) -> f64 {
        self.options.suppress_below as f64
    }
}

pub(crate) fn kind_of_unit(unit: Unit) -> Kind {
    match unit {
        Unit::Count => Kind::Count,
        Unit::Proportion => Kind::Percent,
        Unit::MedianDays => Kind::Days,
        Unit::Ratio => Kind::Decimal,
    }
}

fn variation_words(v: &str) -> &'static str {
    match v {
        "common_cause" => "Common cause",
        "improvement_high" => "Improvement (high)",
        "improvement_low" => "Improvement (low)",
        "concern_high" => "Concern (high)",
        "concern_low" => "Concern (low)",
        "neutral_high" => "Special cause (high)",
        "neutral_low" => "Special cause (low)",
        _ => "",
    }
}

fn assurance_words(a: &str) -> &'static str {
    match a {
        "consistently_passing" => "Passing",
        "consistently_failing" => "Failing",
        "hit_and_miss" => "Hit and miss",
        _ => "",
    }
}

/// A summary row's group in words; the summary only holds the groups of the flight deck.
fn group_label(id: &str) -> &'static str {
    OffenceGroup::parse(id).unwrap_or(OffenceGroup::All).label()
}

fn file_sha256(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| SoteriaError::io(path, e))?;
    Ok(sha256_hex(&bytes))
}

/// The force and as-at date of a report, paper or explorer for `month`, after the checks
/// every one of them makes.
pub(crate) fn resolve_edition(
    dataset: &Dataset,
    force: Option<&str>,
    as_at: Option<Date>,
    month: Month,
    publish: bool,
    suppress_below: u32,
) -> Result<(String, Date)> {
    let force = crate::figures::resolve_force(dataset, force)?;
    let as_at = dataset.as_at(as_at)?;
    if month > Month::of(as_at) {
        return Err(SoteriaError::Usage(format!(
            "--month {month} is after the as-at date {as_at}"
        )));
    }
    if publish && suppress_below < 2 {
        return Err(SoteriaError::Usage(
            "--suppress-below must be at least 2".into(),
        ));
    }
    Ok((force, as_at))
}

/// Computes every table, sentence and chart of the report.
pub fn build(dataset: &Dataset, options: &ReportOptions) -> Result<Report> {
    let month = options.month;
    let (force, as_at) = resolve_edition(
        dataset,
        options.force.as_deref(),
        options.as_at,
        month,
        options.publish,
        options.suppress_below,
    )?;
    let threshold = options.suppress_below as f64;
    // One window for the summary's variation icons, the sentences and the charts: the 36
    // months to the report month, so that what the text says is what the charts show.
    let deck = flight_deck(
        dataset,
        &FlightDeckOptions {
            as_at: Some(as_at),
            from: Some(month.plus(1 - CHART_MONTHS)),
            to: Some(month),
            force: Some(force.clone()),
            coverage_from: options.coverage_from,
            windows: options.targets.windows.clone(),
            process_changes: options.targets.process_changes.clone(),
            ..FlightDeckOptions::default()
        },
    )?;
    let first_recorded = dataset
        .lazy(crate::schema::TableName::Offences)
        .expect("offences are always loaded")
        .filter(col("force").eq(lit(force.clone())))
        .select([col("recorded_date").cast(DataType::Int32).min()])
        .collect()?
        .column("recorded_date")?
        .i32()?
        .get(0);
    if first_recorded.is_none_or(|d| Month::of(Date::from_days(d)) > month) {
        return Err(SoteriaError::Usage(format!(
            "--month {month}: {force} has no offences recorded by then"
        )));
    }
    let deck_frame = deck
        .table
        .clone()
        .lazy()
        .filter(col("area").eq(lit("All")))
        .collect()?;
    let summary_frame = summary_of(&deck_frame, month, &options.targets, None)?;

    // The long table, with disclosure control when publishing.
    let indicator_col = deck_frame.column("indicator")?.str()?.clone();
    let unit_of_row = |i: usize| {
        indicator_col
            .get(i)
            .and_then(registry::find)
            .map_or(Unit::Proportion, |d| d.unit)
    };
    let mut flightdeck = Table::from_frame(&deck_frame, |i, c| match c {
        "numerator" | "denominator" | "pillar" => Kind::Count,
        _ => kind_of_unit(unit_of_row(i)),
    })?;
    let withheld: BTreeSet<DeckKey> = if options.publish {
        mark_status(&mut flightdeck);
        disclosure::flight_deck(&mut flightdeck, threshold)
    } else {
        BTreeSet::new()
    };
    let deck_cells = deck_lookup(&flightdeck);
    let is_withheld = |p: &str, g: &str, id: &str| {
        withheld.contains(&(p.to_string(), g.to_string(), id.to_string()))
    };

    // Summary table.
    let summary = summary_table(&summary_frame, month, &deck_cells, &is_withheld)?;

    // SPC of every series for the narrative.
    // The deck starts at the charts' first month, so its series are the charts' series.
    let ctx = Context {
        force: force.clone(),
        as_at,
        from: deck.from,
        to: month,
    };
    let Narrative {
        mut pillars,
        signals,
        spc_charts,
    } = narrative_sections(&deck_frame, &force, month, &options.targets, &is_withheld)?;

    // Problem profile: the 12 months to the report month against the 12 before.
    let profile_frame = profile(
        dataset,
        &ProfileOptions {
            from: month.plus(-11),
            to: month,
            force: Some(force.clone()),
            group: OffenceGroup::All,
            compare: true,
            as_at: Some(as_at),
            repeat_window_days: crate::indicators::DEFAULT_REPEAT_WINDOW_DAYS,
        },
    )?;
    let mut profile_table = Table::from_frame(&profile_frame, |_, c| match c {
        "count" | "prev_count" => Kind::Count,
        "share" | "ci_low" | "ci_high" | "prev_share" => Kind::Percent,
        "p_value" => Kind::P,
        _ => Kind::Decimal,
    })?;
    if options.publish {
        disclosure::profile(&mut profile_table, threshold);
    }
    let (profile_intro, profile_highlights) = profile_words(&profile_table, month);

    // Charts.
    let set = report_charts(
        dataset,
        options,
        &ctx,
        &spc_charts,
        &mut pillars,
        &is_withheld,
        &profile_table,
    )?;

    // Data quality.
    let (quality, quality_notes) = quality_table(dataset);

    let headlines = headlines(month, &profile_intro, &signals, &summary, &quality_notes);
    // The assurance reads its evidence over the whole coverage, not the report's 36
    // months, so that the report's verdicts are those `soteria assurance` prints; its
    // flight deck is of a dozen indicators and one group, a small second pass.
    let assurance = crate::assurance::assess(
        dataset,
        &crate::assurance::AssuranceOptions {
            month,
            force: force.clone(),
            as_at: Some(as_at),
            targets: options.targets.clone(),
            actions: options.actions.clone(),
        },
    )?;
    let inputs = inputs_json(dataset);
    let explorer = explore::build(
        dataset,
        &explore::ExploreOptions {
            month,
            force: Some(force.clone()),
            publish: options.publish,
            suppress_below: options.suppress_below,
            targets: options.targets.clone(),
            as_at: Some(as_at),
            coverage_from: options.coverage_from,
            months: CHART_MONTHS,
        },
    )?;

    Ok(Report {
        force,
        month,
        as_at,
        options: options.clone(),
        headlines,
        summary,
        pillars,
        profile_intro,
        profile_highlights,
        profile: profile_table,
        flightdeck,
        quality,
        quality_notes,
        definitions: definitions_table(),
        status_notes: status_notes(&deck.status_rules, month),
        charts: set.charts,
        withheld_charts: set.withheld,
        unavailable: deck
            .unavailable
            .iter()
            .map(|(id, missing)| format!("{id} (needs {})", missing.join(", ")))
            .collect(),
        inputs,
        assurance,
        explorer,
    })
}

/// The report's charts as they are made: each rendered to SVG with its alternative
/// text, or recorded as left out with the reason.
struct ChartSet {
    charts: Vec<ReportChart>,
    withheld: Vec<(String, String)>,
    dpi: f64,
}

impl ChartSet {
    fn new(dpi: f64) -> ChartSet {
        ChartSet {
            charts: Vec::new(),
            withheld: Vec::new(),
            dpi,
        }
    }

    fn add(&mut self, stem: &str, made: Result<(Chart, Labels)>) -> Result<()> {
        match made {
            Ok((chart, labels)) => {
                let height = match &chart {
                    Chart::Multiples(_) => crate::charts::default_height_mm(&chart),
                    _ => crate::charts::DEFAULT_HEIGHT_MM,
                };
                let options = RenderOptions {
                    size: Size::Mm {
                        width: crate::charts::DEFAULT_WIDTH_MM,
                        height,
                    },
                    dpi: self.dpi,
                };
                let svg = String::from_utf8(crate::charts::render(
                    &chart,
                    &labels,
                    &options,
                    Format::Svg,
                )?)
                .expect("SVG is UTF-8");
                let alt = alt_text(&chart, &labels);
                self.charts.push(ReportChart {
                    stem: stem.to_string(),
                    chart,
                    labels,
                    svg,
                    alt,
                });
                Ok(())
            }
            Err(SoteriaError::Chart(ChartError::Withheld(why))) => {
                self.withheld
                    .push((stem.to_string(), format!("withheld: {why}")));
                Ok(())
            }
            Err(SoteriaError::Chart(ChartError::NoData(why))) => {
                self.withheld
                    .push((stem.to_string(), format!("nothing to draw: {why}")));
                Ok(())
            }
            Err(e) => Err(e),
        }
    }
}

/// Every chart of the report: the headline SPC chart, a small-multiples chart per
/// pillar (read from the series' SPC), the outcomes and four profile charts. With
/// `--publish`, a chart whose window holds a suppressed count is left out, and why.
fn report_charts(
    dataset: &Dataset,
    options: &ReportOptions,
    ctx: &Context,
    spc_charts: &SpcCharts,
    pillars: &mut [PillarSection],
    is_withheld: &dyn Fn(&str, &str, &str) -> bool,
    profile_table: &Table,
) -> Result<ChartSet> {
    let (force, month, as_at) = (&ctx.force, ctx.to, ctx.as_at);
    let threshold = options.suppress_below as f64;
    let mut set = ChartSet::new(options.dpi);
    let window_withheld = |group: &str, id: &str| -> bool {
        let mut m = ctx.from;
        while m <= ctx.to {
            if is_withheld(&m.to_string(), group, id) {
                return true;
            }
            m = m.plus(1);
        }
        false
    };

    // The headline SPC chart: rape charge rate (closed basis).
    let headline = registry::find("charge_rate_closed").expect("in the catalogue");
    let made = if window_withheld(OffenceGroup::Rape.id(), headline.id) {
        Err(ChartError::Withheld("a month has a suppressed count".into()).into())
    } else {
        spc_charts
            .get(&(headline.id, OffenceGroup::Rape))
            .map(|c| {
                let mut c = c.clone();
                annotate(&mut c, &options.annotations);
                c
            })
            .map(|c| {
                (
                    Chart::Spc(c),
                    ctx.labels(
                        headline.title.to_string(),
                        OffenceGroup::Rape,
                        "monthly XmR chart (Making Data Count rules)",
                    ),
                )
            })
            .ok_or_else(|| {
                ChartError::NoData("no rape charge rate in the period (it needs outcomes)".into())
                    .into()
            })
    };
    set.add("charge_rate_rape_spc", made)?;

    for section in pillars.iter_mut() {
        let mut panels = Vec::new();
        for ind in CATALOGUE.iter().filter(|i| i.pillar == section.number) {
            if window_withheld(OffenceGroup::All.id(), ind.id) {
                section.withheld.push(ind.title.to_string());
                continue;
            }
            if let Some(c) = spc_charts.get(&(ind.id, OffenceGroup::All)) {
                panels.push((ind.title.to_string(), c.clone()));
            }
        }
        if panels.is_empty() {
            continue;
        }
        let stem = format!("pillar{}", section.number);
        let columns = if panels.len() > 4 { 3 } else { 2 };
        let labels = ctx.labels(
            format!("Pillar {}: {}", section.number, section.name),
            OffenceGroup::All,
            "monthly XmR charts",
        );
        set.add(
            &stem,
            Ok((
                Chart::Multiples(crate::charts::multiples::MultiplesChart { panels, columns }),
                labels,
            )),
        )?;
        section.chart = Some(stem);
    }

    // Outcomes of closed crimes: by quarter when publishing (larger numbers).
    let outcomes = crate::figures::chart(
        dataset,
        &crate::figures::ChartRequest {
            force: Some(force.clone()),
            to: Some(month),
            as_at: Some(as_at),
            dimension: Some(if options.publish { "quarter" } else { "month" }.into()),
            ..crate::figures::ChartRequest::new(ChartKind::Outcomes)
        },
    )
    .and_then(|(chart, labels)| {
        if let Chart::Outcomes(o) = &chart
            && options.publish
            && o.counts
                .iter()
                .flatten()
                .any(|c| disclosure::is_primary(*c, threshold))
        {
            return Err(ChartError::Withheld(
                "an outcome group has a count below the threshold".into(),
            )
            .into());
        }
        Ok((chart, labels))
    });
    set.add("outcomes", outcomes)?;

    let rows = profile_rows(profile_table, options.publish.then_some(threshold));
    let profile_ctx = Context {
        force: force.clone(),
        as_at,
        from: month.plus(-11),
        to: month,
    };
    for (stem, kind, dimension) in [
        ("attrition", ChartKind::Attrition, None),
        ("relationship", ChartKind::Bars, Some("relationship")),
        ("victims_pyramid", ChartKind::Pyramid, Some("victims")),
        ("heatmap", ChartKind::Heatmap, None),
    ] {
        let made =
            crate::figures::profile_chart(kind, dimension, &profile_ctx, OffenceGroup::All, &rows);
        set.add(stem, made)?;
    }

    Ok(set)
}

/// Each series' SPC chart, by indicator and offence group.
type SpcCharts = BTreeMap<(&'static str, OffenceGroup), SpcChart>;

/// The pillar sections, the signals as (point type, sentence), and each series' SPC.
struct Narrative {
    pillars: Vec<PillarSection>,
    signals: Vec<(String, String)>,
    spc_charts: SpcCharts,
}

/// The pillar sections' sentences (a sentence for each series with a signal), the
/// signals by kind, and each series' SPC, computed once: the sentences, the headline
/// chart and the pillar charts all read it.
fn narrative_sections(
    deck_frame: &DataFrame,
    force: &str,
    month: Month,
    targets: &crate::indicators::Targets,
    is_withheld: &dyn Fn(&str, &str, &str) -> bool,
) -> Result<Narrative> {
    let mut pillars = Vec::new();
    let mut signals: Vec<(String, String)> = Vec::new();
    let mut spc_charts = SpcCharts::new();
    for (p, name) in PILLARS.iter().enumerate() {
        let number = p as u8 + 1;
        let mut sentences = Vec::new();
        let mut common = 0;
        for ind in CATALOGUE.iter().filter(|i| i.pillar == number) {
            for group in OffenceGroup::ORDER {
                if ind.all_groups_only && group != OffenceGroup::All {
                    continue;
                }
                let s = series(deck_frame, ind.id, group, force)?;
                if s.periods.last().map(String::as_str) != Some(&month.to_string()) {
                    continue;
                }
                let changes: Vec<&ProcessChange> = targets.rebase_for(force, ind.id).collect();
                let Some(chart) = spc_of(
                    &s,
                    ind,
                    group,
                    targets.get_at(force, group, ind.id, month),
                    &[],
                    &changes,
                ) else {
                    continue;
                };
                let chart = spc_charts.entry((ind.id, group)).or_insert(chart);
                let r = &chart.result;
                // The sentence reads the latest final month, which may be before this one.
                let Some(latest) = r.latest() else {
                    continue;
                };
                let latest_month = s.periods[latest].clone();
                let shown = !is_withheld(&latest_month, group.id(), ind.id);
                match narrative::sentence(
                    ind,
                    group,
                    &latest_month,
                    latest_month != month.to_string(),
                    r,
                    ind.unit.value_format(),
                    shown,
                ) {
                    Some(sentence) => {
                        let kind = r.points[latest].point_type.as_str();
                        signals.push((kind.to_string(), sentence.clone()));
                        sentences.push(sentence);
                    }
                    None => common += 1,
                }
            }
        }
        pillars.push(PillarSection {
            number,
            name,
            sentences,
            common,
            chart: None,
            withheld: Vec::new(),
        });
    }

    Ok(Narrative {
        pillars,
        signals,
        spc_charts,
    })
}

/// At most five lines for the top of the report: the profile's change, the count of
/// signals, the rape charge rate, the first concern (else improvement) and the first
/// data-quality note.
fn headlines(
    month: Month,
    profile_intro: &str,
    signals: &[(String, String)],
    summary: &Table,
    quality_notes: &[String],
) -> Vec<String> {
    let mut headlines = Vec::new();
    if !profile_intro.is_empty() {
        headlines.push(profile_intro.to_string());
    }
    let improvements = signals.iter().filter(|s| s.0 == "improvement").count();
    let concerns = signals.iter().filter(|s| s.0 == "concern").count();
    headlines.push(format!(
        "In {}, {} series show special cause improvement and {} special cause concern; the other {} show common cause variation or have no value.",
        month_long(&month.to_string()),
        improvements,
        concerns,
        summary.rows.len().saturating_sub(signals.len())
    ));
    if let Some(row) = summary.rows.iter().find(|r| {
        r[summary.column("id").expect("id column")].display() == "charge_rate_closed"
            && r[summary.column("group").expect("group column")].display()
                == OffenceGroup::Rape.label()
    }) {
        let value = row[summary.column("this_month").expect("column")].display();
        let mean = row[summary.column("mean_12m").expect("column")].display();
        let variation = row[summary.column("variation").expect("column")].display();
        if !value.is_empty() {
            headlines.push(format!(
                "The rape charge rate (closed basis) was {value} in {} (12-month mean {mean}); variation: {}.",
                month_long(&month.to_string()),
                variation.to_lowercase()
            ));
        }
    }
    if let Some((_, s)) = signals.iter().find(|s| s.0 == "concern") {
        headlines.push(format!("Concern: {s}"));
    } else if let Some((_, s)) = signals.iter().find(|s| s.0 == "improvement") {
        headlines.push(format!("Improvement: {s}"));
    }
    if let Some(n) = quality_notes.first() {
        headlines.push(n.clone());
    }
    headlines.truncate(5);

    headlines
}

/// The manifest's record of each input file: rows and SHA-256, named without its folder.
fn inputs_json(dataset: &Dataset) -> serde_json::Value {
    serde_json::json!(
        dataset
            .quality
            .iter()
            .map(|q| {
                // The file as read, and only its name in the manifest, which must not depend
                // on where the extract sits.
                let path = Path::new(&q.file);
                let path = if path.exists() {
                    path.to_path_buf()
                } else {
                    dataset.dir.join(path)
                };
                let name = path
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default();
                serde_json::json!({
                    "table": q.table,
                    "file": name,
                    "rows_read": q.rows_read,
                    "rows_loaded": q.rows_loaded,
                    "rows_quarantined": q.rows_quarantined,
                    "sha256": file_sha256(&path).unwrap_or_default(),
                })
            })
            .collect::<Vec<_>>()
    )
}

/// Flight-deck cells by (period, group, indicator): value, ci_low, ci_high.
type DeckCells = BTreeMap<DeckKey, (Cell, Cell, Cell)>;

fn deck_lookup(t: &Table) -> DeckCells {
    let c = |n: &str| t.column(n).expect("a flight-deck column");
    let (p, g, i, v, lo, hi) = (
        c("period"),
        c("offence_group"),
        c("indicator"),
        c("value"),
        c("ci_low"),
        c("ci_high"),
    );
    t.rows
        .iter()
        .map(|r| {
            (
                (r[p].display(), r[g].display(), r[i].display()),
                (r[v].clone(), r[lo].clone(), r[hi].clone()),
            )
        })
        .collect()
}

/// Published tables mark a value's status with the government statistics symbols:
/// `[p]` provisional, `[u]` low reliability (truncated), nothing when final.
fn mark_status(t: &mut Table) {
    let Some(c) = t.column("status") else {
        return;
    };
    for row in &mut t.rows {
        let symbol = crate::indicators::Status::parse(&row[c].display())
            .and_then(crate::indicators::Status::symbol);
        row[c] = symbol.map_or(Cell::Empty, Cell::text);
    }
}

/// The icon of a summary's variation or assurance code, by its file stem.
fn icon_cell(code: &str) -> Cell {
    Icon::from_code(code).map_or(Cell::Empty, |i| Cell::text(i.stem()))
}

/// The Methods section's account of coverage, maturity and burn-in for the report month.
fn status_notes(rules: &StatusRules, month: Month) -> Vec<String> {
    let long = |m: Month| month_long(&m.to_string());
    let mut notes = vec![format!(
        "The extract's coverage starts in {} and it describes crimes as at {}. A month's value is final unless it is provisional or truncated; only final months enter SPC limits and rules, other months are drawn as hollow points, and where the report month is not final an indicator is read at its latest final month.",
        long(rules.coverage_from),
        rules.as_at
    )];
    let mut provisional = Vec::new();
    let mut truncated = Vec::new();
    for ind in CATALOGUE {
        if let Some(days) = rules.maturity_days(ind) {
            // The earliest month still provisional at the as-at date.
            let first = (0..240)
                .map(|k| month.plus(-k))
                .take_while(|m| rules.status(ind, *m) == crate::indicators::Status::Provisional)
                .last();
            if let Some(first) = first {
                provisional.push(format!(
                    "{} ({days} days; provisional from {})",
                    lower_first(ind.title),
                    long(first)
                ));
            }
        }
        if let Some(days) = rules.burn_in_days(ind) {
            let last = (0..600)
                .map(|k| rules.coverage_from.plus(k))
                .take_while(|m| rules.status(ind, *m) == crate::indicators::Status::Truncated)
                .last();
            if let Some(last) = last {
                truncated.push(format!(
                    "{} ({days} days; truncated to {})",
                    lower_first(ind.title),
                    long(last.min(month))
                ));
            }
        }
    }
    if !provisional.is_empty() {
        notes.push(format!(
            "Provisional: an indicator over crimes recorded in a month waits for later events (a suspect, an arrest, a referral, a charge), so its recent months are still rising. It is provisional until its maturity window has passed after the month: {}.",
            provisional.join("; ")
        ));
    }
    if !truncated.is_empty() {
        notes.push(format!(
            "Truncated (low reliability): a stock or windowed count misses the crimes recorded before the extract's coverage starts, so it builds up from nothing. It is truncated until its burn-in has passed since coverage starts: {}.",
            truncated.join("; ")
        ));
    }
    notes
}

fn summary_table(
    frame: &DataFrame,
    month: Month,
    cells: &DeckCells,
    is_withheld: &dyn Fn(&str, &str, &str) -> bool,
) -> Result<Table> {
    let columns = [
        "pillar",
        "indicator",
        "group",
        "this_month",
        "ci_low",
        "ci_high",
        "last_month",
        "last_year",
        "mean_12m",
        "variation",
        "target",
        "assurance",
        "id",
        "note",
        "variation_icon",
        "assurance_icon",
    ];
    let text = |c: &str| -> Result<Vec<String>> {
        Ok(frame
            .column(c)?
            .cast(&DataType::String)?
            .str()?
            .iter()
            .map(|s| s.unwrap_or_default().to_string())
            .collect())
    };
    let num = |c: &str| -> Result<Vec<Option<f64>>> {
        Ok(frame
            .column(c)?
            .cast(&DataType::Float64)?
            .f64()?
            .iter()
            .collect())
    };
    let (ids, groups, variation, assurance, shown) = (
        text("indicator")?,
        text("offence_group")?,
        text("variation")?,
        text("assurance")?,
        text("value_period")?,
    );
    let (mean, target) = (num("mean_12m")?, num("target")?);
    let key = |m: Month, g: &str, id: &str| (m.to_string(), g.to_string(), id.to_string());
    let mut rows = Vec::new();
    for i in 0..frame.height() {
        let Some(ind) = registry::find(&ids[i]) else {
            continue;
        };
        let kind = kind_of_unit(ind.unit);
        let g = groups[i].as_str();
        let get = |m: Month| cells.get(&key(m, g, ind.id)).cloned();
        // A month that is not final reads the latest final month, and says so.
        let at = Month::parse(&shown[i]).unwrap_or(month);
        let note = if at == month {
            String::new()
        } else {
            format!("latest final month: {}", month_long(&at.to_string()))
        };
        let (value, lo, hi) = get(at).unwrap_or((Cell::Empty, Cell::Empty, Cell::Empty));
        let last_month = get(at.plus(-1)).map_or(Cell::Empty, |c| c.0);
        let last_year = get(at.plus(-12)).map_or(Cell::Empty, |c| c.0);
        // A 12-month mean with a withheld month would give that month away.
        let any_withheld = (0..12).any(|k| is_withheld(&at.plus(-k).to_string(), g, ind.id));
        let mean_cell = if any_withheld {
            Cell::Suppressed("[c]".into())
        } else {
            Cell::num(mean[i], kind)
        };
        rows.push(vec![
            Cell::Num(ind.pillar as f64, Kind::Count),
            Cell::text(ind.title),
            Cell::text(group_label(g)),
            value,
            lo,
            hi,
            last_month,
            last_year,
            mean_cell,
            Cell::text(variation_words(&variation[i])),
            Cell::num(target[i], kind),
            Cell::text(assurance_words(&assurance[i])),
            Cell::text(ind.id),
            Cell::text(&note),
            icon_cell(&variation[i]),
            icon_cell(&assurance[i]),
        ]);
    }
    // By pillar, then indicator in catalogue order, then offence group: a reader finds an
    // indicator's three groups together.
    let group_rank = |c: &Cell| {
        OffenceGroup::ORDER
            .iter()
            .position(|g| g.label() == c.display())
    };
    rows.sort_by_key(|r| {
        (
            r[0].value().unwrap_or(0.0) as i64,
            registry::position(&r[12].display()),
            group_rank(&r[2]),
        )
    });
    Ok(Table {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows,
    })
}

/// Profile rows for charts: withheld counts become `None` and are flagged.
fn profile_rows(t: &Table, threshold: Option<f64>) -> ProfileRows {
    let c = |n: &str| t.column(n).expect("a profile column");
    let get = |n: &str| -> Vec<Option<f64>> { t.rows.iter().map(|r| r[c(n)].value()).collect() };
    let text = |n: &str| -> Vec<String> { t.rows.iter().map(|r| r[c(n)].display()).collect() };
    ProfileRows {
        section: text("section"),
        dimension: text("dimension"),
        category: text("category"),
        count: get("count"),
        withheld: t
            .rows
            .iter()
            .map(|r| matches!(r[c("count")], Cell::Suppressed(_)))
            .collect(),
        share: get("share"),
        low: get("ci_low"),
        high: get("ci_high"),
        rate: get("rate_per_1000"),
        rate_low: get("rate_ci_low"),
        rate_high: get("rate_ci_high"),
        threshold,
    }
}

/// The profile's opening sentence and its significant changes (p < 0.05), in words.
fn profile_words(t: &Table, month: Month) -> (String, Vec<String>) {
    let c = |n: &str| t.column(n).expect("a profile column");
    let (section, dimension, category) = (c("section"), c("dimension"), c("category"));
    let intro = t
        .rows
        .iter()
        .find(|r| {
            r[section].display() == "victims"
                && r[dimension].display() == "sex"
                && r[category].display() == "_all"
        })
        .map(|r| {
            format!(
                "{} offences were recorded in the 12 months to {}, against {} in the 12 months before.",
                r[c("count")].display(),
                month_long(&month.to_string()),
                r[c("prev_count")].display()
            )
        })
        .unwrap_or_default();
    // Attrition is left out: the later window's crimes have had less time to reach each
    // stage, so its fall says nothing about performance.
    let skip = [
        "month",
        "lsoa_top",
        "weekday_hour",
        "sex_age_band",
        "hour",
        "stage",
    ];
    let mut changes: Vec<(f64, String)> = t
        .rows
        .iter()
        .filter(|r| {
            let cat = r[category].display();
            cat != "_all" && cat != "unknown" && !skip.contains(&r[dimension].display().as_str())
        })
        .filter_map(|r| {
            let p = r[c("p_value")].value()?;
            if p >= 0.05 {
                return None;
            }
            let (share, prev) = (r[c("share")].value()?, r[c("prev_share")].value()?);
            let what = match r[section].display().as_str() {
                "victims" => "of victims",
                "suspects" => "of suspects",
                _ => "of offences",
            };
            Some((
                p,
                format!(
                    "{}: {}, {:.1}% {what}, against {:.1}% in the 12 months before ({}, p {}).",
                    capitalise(&r[dimension].display().replace('_', " ")),
                    r[category].display().replace('_', " "),
                    share * 100.0,
                    prev * 100.0,
                    if share > prev { "higher" } else { "lower" },
                    match table::format_number(p, Kind::P) {
                        t if t.starts_with('<') => format!("< {}", &t[1..]),
                        t => format!("= {t}"),
                    }
                ),
            ))
        })
        .collect();
    changes.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    (intro, changes.into_iter().take(6).map(|c| c.1).collect())
}

/// Rows read, loaded and quarantined per table, quarantine by rule, and completeness of
/// key fields, as one long table; with a sentence for the headlines.
fn quality_table(dataset: &Dataset) -> (Table, Vec<String>) {
    let mut rows = Vec::new();
    let (mut read, mut quarantined) = (0usize, 0usize);
    for q in &dataset.quality {
        read += q.rows_read;
        quarantined += q.rows_quarantined;
        for (what, n) in [
            ("rows read", q.rows_read),
            ("rows loaded", q.rows_loaded),
            ("rows quarantined", q.rows_quarantined),
        ] {
            rows.push(vec![
                Cell::text(&q.table),
                Cell::text("rows"),
                Cell::text(what),
                Cell::Num(n as f64, Kind::Count),
            ]);
        }
        // Only the rules that quarantined something: a board reads problems, not a checklist.
        for (rule, n) in q.rules.iter().filter(|(_, n)| **n > 0) {
            rows.push(vec![
                Cell::text(&q.table),
                Cell::text("quarantined by rule"),
                Cell::text(rule),
                Cell::Num(*n as f64, Kind::Count),
            ]);
        }
        if q.future_dated_rows > 0 {
            rows.push(vec![
                Cell::text(&q.table),
                Cell::text("warning"),
                Cell::text("rows dated after the day of the run"),
                Cell::Num(q.future_dated_rows as f64, Kind::Count),
            ]);
        }
        for (column, share) in &q.completeness {
            rows.push(vec![
                Cell::text(&q.table),
                Cell::text("completeness"),
                Cell::text(column),
                Cell::num(*share, Kind::Percent),
            ]);
        }
    }
    let note = if quarantined == 0 {
        format!(
            "Every one of the {} rows of the extract passed validation.",
            crate::format::thousands(read as i64)
        )
    } else {
        format!(
            "{} of the {} rows of the extract ({:.2}%) failed validation and were quarantined: see Data quality.",
            crate::format::thousands(quarantined as i64),
            crate::format::thousands(read as i64),
            quarantined as f64 / read.max(1) as f64 * 100.0
        )
    };
    (
        Table {
            columns: ["table", "measure", "item", "value"]
                .iter()
                .map(|c| c.to_string())
                .collect(),
            rows,
        },
        vec![note],
    )
}

fn definitions_table() -> Table {
    Table {
        columns: ["id", "pillar", "title", "unit", "polarity", "definition"]
            .iter()
            .map(|c| c.to_string())
            .collect(),
        rows: CATALOGUE
            .iter()
            .map(|i| {
                vec![
                    Cell::text(i.id),
                    Cell::Num(i.pillar as f64, Kind::Count),
                    Cell::text(i.title),
                    Cell::text(i.unit.as_str()),
                    Cell::text(match i.polarity.as_str() {
                        "up" => "higher is better",
                        "down" => "lower is better",
                        _ => "neither",
                    }),
                    Cell::text(i.definition),
                ]
            })
            .collect(),
    }
}

/// The default folder: `reports/<force>/<YYYY-MM>/`, with `-published` for `--publish`.
pub fn default_dir(force: &str, month: Month, publish: bool) -> PathBuf {
    let safe: String = force
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let name = if publish {
        format!("{month}-published")
    } else {
        month.to_string()
    };
    PathBuf::from("reports").join(safe).join(name)
}

/// Writes every file of the report to `out`, by way of a temporary folder beside it.
pub fn write(report: &Report, out: &Path) -> Result<Vec<String>> {
    crate::output::write_folder_atomic(out, is_report_folder, |tmp| write_files(report, tmp))
}

/// A folder Soteria wrote as a report: its `manifest.json` says so, and every file in it
/// is one the manifest lists (a file a user added since is not Soteria's to delete).
pub fn is_report_folder(dir: &Path) -> bool {
    let Some(manifest) = std::fs::read(dir.join("manifest.json"))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .filter(|m| m["engine"] == "soteria")
    else {
        return false;
    };
    let listed = |rel: &str| rel == "manifest.json" || manifest["outputs"].get(rel).is_some();
    fn walk(dir: &Path, base: &Path, ok: &dyn Fn(&str) -> bool) -> bool {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return false;
        };
        entries.flatten().all(|e| {
            let path = e.path();
            match e.file_type() {
                Ok(t) if t.is_dir() => walk(&path, base, ok),
                Ok(t) if t.is_file() => path
                    .strip_prefix(base)
                    .ok()
                    .and_then(|r| r.to_str())
                    .is_some_and(ok),
                _ => false,
            }
        })
    }
    walk(dir, dir, &listed)
}

fn put(dir: &Path, rel: &str, bytes: &[u8], files: &mut BTreeMap<String, String>) -> Result<()> {
    let path = dir.join(rel);
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).map_err(|e| SoteriaError::io(p, e))?;
    }
    std::fs::write(&path, bytes).map_err(|e| SoteriaError::io(&path, e))?;
    files.insert(rel.to_string(), sha256_hex(bytes));
    Ok(())
}

fn write_files(report: &Report, dir: &Path) -> Result<Vec<String>> {
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    for c in &report.charts {
        put(
            dir,
            &format!("charts/{}.svg", c.stem),
            c.svg.as_bytes(),
            &mut files,
        )?;
        let png = crate::charts::render(
            &c.chart,
            &c.labels,
            &RenderOptions {
                size: Size::Mm {
                    width: crate::charts::DEFAULT_WIDTH_MM,
                    height: crate::charts::default_height_mm(&c.chart),
                },
                dpi: report.options.dpi,
            },
            Format::Png,
        )?;
        put(dir, &format!("charts/{}.png", c.stem), &png, &mut files)?;
        put(
            dir,
            &format!("charts/{}.txt", c.stem),
            (c.alt.clone() + "\n").as_bytes(),
            &mut files,
        )?;
    }
    for icon in icons::ALL {
        put(
            dir,
            &format!("charts/icons/{}.svg", icon.stem()),
            icons::svg(icon, 48)?.as_bytes(),
            &mut files,
        )?;
    }
    put(
        dir,
        "index.html",
        html::render(report).as_bytes(),
        &mut files,
    )?;
    put(dir, "explore.html", report.explorer.as_bytes(), &mut files)?;
    put(
        dir,
        "report.md",
        markdown::render(report).as_bytes(),
        &mut files,
    )?;
    put(
        dir,
        "flightdeck.csv",
        report.flightdeck.to_csv().as_bytes(),
        &mut files,
    )?;
    put(
        dir,
        "profile.csv",
        report.profile.to_csv().as_bytes(),
        &mut files,
    )?;
    let workbook = xlsx::workbook(
        &[
            ("Summary", &report.summary),
            ("Flight deck", &report.flightdeck),
            ("Profile", &report.profile),
            ("Data quality", &report.quality),
            ("Definitions", &report.definitions),
        ],
        &format!("RASSO flight deck: {} {}", report.force, report.month),
        report.as_at,
    )?;
    put(dir, "kpis.xlsx", &workbook, &mut files)?;
    let o = &report.options;
    let manifest = serde_json::json!({
        "engine": "soteria",
        "version": env!("CARGO_PKG_VERSION"),
        "definitions": "Soteria flight deck definitions v2",
        "force": report.force,
        "month": report.month.to_string(),
        "as_at": report.as_at.to_string(),
        "parameters": {
            "month": o.month.to_string(),
            "force": o.force,
            "publish": o.publish,
            "suppress_below": o.suppress_below,
            "as_at": o.as_at.map(|d| d.to_string()),
            "targets": o.targets_file.as_ref().map(|p| serde_json::json!({
                "file": p.file_name().map(|f| f.to_string_lossy().into_owned()),
                "sha256": file_sha256(p).unwrap_or_default(),
            })),
            "annotations": o.annotations_file.as_ref().map(|p| serde_json::json!({
                "file": p.file_name().map(|f| f.to_string_lossy().into_owned()),
                "sha256": file_sha256(p).unwrap_or_default(),
            })),
            "png_dpi": o.dpi,
        },
        "inputs": report.inputs,
        "suppressed_cells": {
            "flightdeck": report.flightdeck.count_suppressed(),
            "profile": report.profile.count_suppressed(),
            "summary": report.summary.count_suppressed(),
        },
        "charts_not_drawn": report.withheld_charts.iter().map(|(s, why)| serde_json::json!({"chart": s, "why": why})).collect::<Vec<_>>(),
        "outputs": files,
    });
    let text = serde_json::to_string_pretty(&manifest).expect("JSON") + "\n";
    put(dir, "manifest.json", text.as_bytes(), &mut files)?;
    Ok(files.into_keys().collect())
}
