//! `soteria spc`: the XmR chart of any series in a CSV file.
use super::OutputArgs;
use crate::charts::Chart;
use crate::charts::spc::SpcChart;
use crate::error::{Result, SoteriaError};
use crate::figures::{place_annotations, read_annotations};
use crate::format::ValueFormat;
use crate::ingest::read::{numeric_column, read_plain_csv, text_column};
use crate::output::OutputFormat;
use crate::stats::spc::{Polarity, SpcOptions, SpcPoint, SpcResult, xmr_series};
use clap::Args;
use polars::prelude::*;
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    soteria spc --input charge_rate.csv --value value --date period --polarity up\n  \
    soteria spc --input series.csv --value rate --baseline 12 --target 0.05 --format json\n  \
    soteria spc --input series.csv --value rate --no-screen --format csv --out spc.csv\n  \
    soteria spc --input series.csv --value rate --date month --polarity up --chart spc.svg --title \"Charge rate\"\n  \
    soteria spc --input series.csv --value rate --date month --annotations notes.csv --chart spc.png --dpi 300\n  \
    soteria spc --input series.csv --value rate --date month --rebase 2021-06,2022-03 --target 0.05 --polarity up --format json\n  \
    soteria spc --input flightdeck.csv --value value --date period --status status --polarity up\n\n\
    One row per point, in file order (oldest first). A row with an empty value is a gap: it is\n\
    kept, no moving range is taken across it and no run spans it. Each --rebase point starts a\n\
    segment with its own mean, limits and rules, as NHSRplotthedots' `rebase`. With --status,\n\
    rows whose status is `provisional` or `truncated` are shown but never counted or flagged.\n\
    The variation icon, assurance and warnings go to stderr (or into the JSON).")]
pub struct SpcArgs {
    #[arg(long, value_name = "FILE.csv")]
    pub input: PathBuf,
    /// Column holding the values.
    #[arg(long, value_name = "COL")]
    pub value: String,
    /// Column holding the dates or periods (copied to the output).
    #[arg(long, value_name = "COL")]
    pub date: Option<String>,
    #[arg(long, value_enum, default_value = "neutral")]
    pub polarity: Polarity,
    /// Use the first N points for the mean and limits.
    #[arg(long, value_name = "N")]
    pub baseline: Option<usize>,
    /// Keep every moving range in the AMR (no screening of large ranges).
    #[arg(long)]
    pub no_screen: bool,
    /// Target value, for the assurance icon.
    #[arg(long, value_parser = parse_finite)]
    pub target: Option<f64>,
    /// Recalculate the limits from these points (values of the --date column: a month
    /// `YYYY-MM` or a date), comma-separated.
    #[arg(
        long,
        value_name = "DATE,...",
        value_delimiter = ',',
        requires = "date"
    )]
    pub rebase: Vec<String>,
    /// Column giving each row's status (`final`, `provisional`, `truncated`, as in the
    /// flight deck); only `final` rows (or empty) enter the calculation.
    #[arg(long, value_name = "COL")]
    pub status: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Also draw the chart to FILE (.svg or .png).
    #[arg(long, value_name = "FILE.svg|FILE.png")]
    pub chart: Option<PathBuf>,
    #[command(flatten)]
    pub labels: ChartLabelArgs,
    /// CSV of date,label notes for the chart; dates match the --date column's `YYYY-MM`.
    #[arg(long, value_name = "FILE.csv", requires = "chart")]
    pub annotations: Option<PathBuf>,
    /// How values are written on the chart.
    #[arg(long, value_enum, default_value = "decimal")]
    pub unit: ChartUnit,
    #[command(flatten)]
    pub size: super::chart::SizeArgs,
}

/// Title, subtitle and source of a chart drawn from a CSV file.
#[derive(Debug, Clone, clap::Args)]
pub struct ChartLabelArgs {
    /// Chart title (default: the value column and file name).
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub subtitle: Option<String>,
    /// Source line (default: `Source: <input file>`).
    #[arg(long)]
    pub source: Option<String>,
}

impl ChartLabelArgs {
    pub fn labels(&self, default_title: String, input: &std::path::Path) -> crate::charts::Labels {
        crate::charts::Labels {
            title: self.title.clone().unwrap_or(default_title),
            subtitle: self.subtitle.clone().unwrap_or_default(),
            source: self.source.clone().unwrap_or_else(|| {
                format!(
                    "Source: {}; Soteria",
                    input.file_name().unwrap_or_default().to_string_lossy()
                )
            }),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ChartUnit {
    /// Proportions shown as percentages.
    Percent,
    Count,
    Days,
    Decimal,
}

impl ChartUnit {
    pub fn format(self) -> ValueFormat {
        match self {
            ChartUnit::Percent => ValueFormat::Percent,
            ChartUnit::Count => ValueFormat::Count,
            ChartUnit::Days => ValueFormat::Days,
            ChartUnit::Decimal => ValueFormat::Decimal(2),
        }
    }
}

/// Says which notes fall outside the chart's months: they are not drawn.
pub(crate) fn warn_outside(outside: &[(crate::util::Month, String)]) {
    for (month, label) in outside {
        eprintln!(
            "soteria: annotation `{label}` ({month}) is outside the chart's months; not drawn"
        );
    }
}

pub(crate) fn parse_finite(s: &str) -> std::result::Result<f64, String> {
    s.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| format!("`{s}` is not a finite number"))
}

pub fn run(args: SpcArgs) -> Result<()> {
    if args.baseline == Some(0) {
        return Err(super::usage("--baseline must be at least 1"));
    }
    let df = read_plain_csv(&args.input)?;
    let values = numeric_column(&df, &args.input, &args.value)?;
    let dates = match &args.date {
        Some(d) => Some(text_column(&df, &args.input, d)?),
        None => None,
    };
    let rebase = rebase_points(&args, dates.as_deref())?;
    let counted = match &args.status {
        Some(column) => Some(counted_rows(
            &text_column(&df, &args.input, column)?,
            &args.input,
            column,
        )?),
        None => None,
    };
    let options = SpcOptions {
        baseline: args.baseline,
        screen: !args.no_screen,
        polarity: args.polarity,
        target: args.target,
    };
    let result = xmr_series(&values, counted.as_deref(), &rebase, &options).ok_or_else(|| {
        SoteriaError::Other(format!(
            "{}: column `{}` has no values to count",
            args.input.display(),
            args.value
        ))
    })?;
    let labels: Vec<String> = match &dates {
        Some(d) => d.iter().map(|d| d.clone().unwrap_or_default()).collect(),
        None => (1..=values.len()).map(|i| i.to_string()).collect(),
    };
    let table = spc_frame(
        dates.as_deref(),
        args.date.as_deref(),
        &result,
        counted.is_some(),
    )?;
    if let Some(path) = &args.chart {
        crate::charts::Format::of_path(path)?;
        let mut chart = SpcChart {
            periods: labels.clone(),
            result: result.clone(),
            polarity: args.polarity,
            target: args.target,
            annotations: Vec::new(),
            format: args.unit.format(),
            measure: args.value.clone(),
        };
        if let Some(p) = &args.annotations {
            let (placed, outside) = place_annotations(&labels, &read_annotations(p)?);
            chart.annotations = placed;
            warn_outside(&outside);
        }
        let chart = Chart::Spc(chart);
        let chart_labels = args
            .labels
            .labels(format!("XmR chart of {}", args.value), &args.input);
        crate::charts::write(path, &chart, &chart_labels, &args.size.options(&chart))?;
    }
    if args.output.format() == OutputFormat::Json {
        let segments: Vec<serde_json::Value> = result
            .segments
            .iter()
            .map(|s| {
                serde_json::json!({
                    "rebase_group": s.group,
                    "first": labels[s.start],
                    "last": labels[s.end - 1],
                    "points": s.end - s.start,
                    "counted_points": s.counted_points,
                    "baseline_points": s.baseline_points,
                    "mean": s.mean,
                    "amr": s.amr,
                    "lpl": s.lpl,
                    "upl": s.upl,
                    "screened_moving_ranges": s.screened_moving_ranges,
                })
            })
            .collect();
        let summary = serde_json::json!({
            "points": crate::output::frame_to_json(&table),
            "mean": result.mean,
            "amr": result.amr,
            "baseline_points": result.baseline_points,
            "screened_moving_ranges": result.screened_moving_ranges,
            "variation_icon": result.icon.map(|i| i.as_str()),
            "assurance": result.assurance.map(|a| a.as_str()),
            "segments": segments,
            "warnings": result.warnings,
            "polarity": args.polarity.as_str(),
        });
        let text = summary.to_string() + "\n";
        match &args.output.out {
            Some(p) => crate::output::write_atomic(p, text.as_bytes())?,
            None => crate::output::print_stdout(&text)?,
        }
    } else {
        eprintln!(
            "variation: {}; assurance: {}; mean {}; AMR {}",
            result.icon.map_or("none", |i| i.as_str()),
            result
                .assurance
                .map_or("none (no target or neutral polarity)", |a| a.as_str()),
            result.mean,
            result.amr.map_or("none".to_string(), |a| a.to_string())
        );
        for w in &result.warnings {
            eprintln!("warning: {w}");
        }
        args.output.write(&table)?;
    }
    Ok(())
}

/// The index of the row where each rebase point falls: the first row whose date is the
/// one given, lies in the month given, or is the month of the date given.
fn rebase_points(args: &SpcArgs, dates: Option<&[Option<String>]>) -> Result<Vec<usize>> {
    let Some(dates) = dates else {
        return Ok(Vec::new());
    };
    let column = args.date.as_deref().unwrap_or_default();
    let mut points = Vec::new();
    for wanted in &args.rebase {
        let wanted = wanted.trim();
        let found = dates.iter().position(|d| {
            d.as_deref().map(str::trim).is_some_and(|d| {
                d == wanted
                    || d.strip_prefix(wanted).is_some_and(|r| r.starts_with('-'))
                    || wanted.strip_prefix(d).is_some_and(|r| r.starts_with('-'))
            })
        });
        match found {
            Some(i) => points.push(i),
            None => {
                return Err(super::usage(format!(
                    "--rebase {wanted}: no row of column `{column}` in {} is that date or month",
                    args.input.display()
                )));
            }
        }
    }
    points.sort_unstable();
    points.dedup();
    Ok(points)
}

/// Which rows enter the calculation, from a status column.
fn counted_rows(
    status: &[Option<String>],
    path: &std::path::Path,
    column: &str,
) -> Result<Vec<bool>> {
    status
        .iter()
        .enumerate()
        .map(|(i, s)| match s.as_deref().map(str::trim) {
            None | Some("") | Some("final") => Ok(true),
            Some("provisional") | Some("truncated") => Ok(false),
            Some(other) => Err(SoteriaError::Other(format!(
                "{}: row {}, column `{column}`: `{}` is not a status (final, provisional or truncated)",
                path.display(),
                i + 1,
                crate::util::excerpt(other)
            ))),
        })
        .collect()
}

/// The per-point table: one row per input row, gaps included (a gap has its segment's
/// mean and limits, drawn through it, and no rule). A point that was not counted has no
/// rule or point type.
pub fn spc_frame(
    dates: Option<&[Option<String>]>,
    date_name: Option<&str>,
    result: &SpcResult,
    with_counted: bool,
) -> Result<DataFrame> {
    let points = &result.points;
    let f = |get: fn(&SpcPoint) -> Option<f64>| -> Vec<Option<f64>> {
        points.iter().map(get).collect()
    };
    let judged = |get: fn(&SpcPoint) -> &'static str| -> Vec<Option<&'static str>> {
        points.iter().map(|p| p.counted.then(|| get(p))).collect()
    };
    let mut columns = Vec::new();
    if let (Some(d), Some(name)) = (dates, date_name) {
        columns.push(Column::new(name.into(), d.to_vec()));
    }
    columns.push(Column::new("value".into(), f(|p| p.value)));
    columns.push(Column::new(
        "rebase_group".into(),
        points.iter().map(|p| p.segment as u32).collect::<Vec<_>>(),
    ));
    if with_counted {
        columns.push(Column::new(
            "counted".into(),
            points.iter().map(|p| p.counted).collect::<Vec<_>>(),
        ));
    }
    columns.extend([
        Column::new("mean".into(), f(|p| p.mean)),
        Column::new("lpl".into(), f(|p| p.lpl)),
        Column::new("upl".into(), f(|p| p.upl)),
        Column::new("nlpl".into(), f(|p| p.nlpl)),
        Column::new("nupl".into(), f(|p| p.nupl)),
        Column::new("rule".into(), judged(|p| p.rule.as_str())),
        Column::new("point_type".into(), judged(|p| p.point_type.as_str())),
    ]);
    Ok(DataFrame::new_infer_height(columns)?)
}
