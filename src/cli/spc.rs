//! `soteria spc`: the XmR chart of any series in a CSV file.
use super::OutputArgs;
use crate::charts::Chart;
use crate::charts::build::read_annotations;
use crate::charts::draw::ValueFormat;
use crate::charts::spc::{Annotation, SpcChart};
use crate::error::{Result, SoteriaError};
use crate::ingest::read::{numeric_column, read_plain_csv, text_column};
use crate::output::OutputFormat;
use crate::stats::spc::{Polarity, SpcOptions, SpcResult, xmr};
use clap::Args;
use polars::prelude::*;
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    soteria spc --input charge_rate.csv --value value --date period --polarity up\n  \
    soteria spc --input series.csv --value rate --baseline 12 --target 0.05 --format json\n  \
    soteria spc --input series.csv --value rate --no-screen --format csv --out spc.csv\n  \
    soteria spc --input series.csv --value rate --date month --polarity up --chart spc.svg --title \"Charge rate\"\n  \
    soteria spc --input series.csv --value rate --date month --annotations notes.csv --chart spc.png --dpi 300\n\n\
    One row per point, in file order; a row with an empty value is kept with empty SPC columns\n\
    and left out of the calculation. The variation icon, assurance and warnings go to stderr\n\
    (or into the JSON).")]
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
    #[arg(long)]
    pub target: Option<f64>,
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
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    let options = SpcOptions {
        baseline: args.baseline,
        screen: !args.no_screen,
        polarity: args.polarity,
        target: args.target,
    };
    let result = xmr(&present, &options).ok_or_else(|| {
        SoteriaError::Other(format!(
            "{}: column `{}` has no values",
            args.input.display(),
            args.value
        ))
    })?;
    let table = spc_frame(&values, dates.as_deref(), args.date.as_deref(), &result)?;
    if let Some(path) = &args.chart {
        crate::charts::Format::of_path(path)?;
        let periods: Vec<String> = match &dates {
            Some(d) => values
                .iter()
                .zip(d)
                .filter(|(v, _)| v.is_some())
                .map(|(_, d)| d.clone().unwrap_or_default())
                .collect(),
            None => (1..=present.len()).map(|i| i.to_string()).collect(),
        };
        let mut chart = SpcChart {
            periods: periods.clone(),
            result: result.clone(),
            polarity: args.polarity,
            target: args.target,
            annotations: Vec::new(),
            format: args.unit.format(),
            measure: args.value.clone(),
        };
        if let Some(p) = &args.annotations {
            for (month, label) in read_annotations(p)? {
                match periods
                    .iter()
                    .position(|x| x.starts_with(&month.to_string()))
                {
                    Some(index) => chart.annotations.push(Annotation { index, label }),
                    None => eprintln!(
                        "soteria: annotation `{label}` ({month}) is outside the series; not drawn"
                    ),
                }
            }
        }
        let chart = Chart::Spc(chart);
        let labels = args
            .labels
            .labels(format!("XmR chart of {}", args.value), &args.input);
        crate::charts::write(path, &chart, &labels, &args.size.options(&chart))?;
    }
    if args.output.format == OutputFormat::Json {
        let summary = serde_json::json!({
            "points": crate::output::frame_to_json(&table),
            "mean": result.mean,
            "amr": result.amr,
            "baseline_points": result.baseline_points,
            "screened_moving_ranges": result.screened_moving_ranges,
            "variation_icon": result.icon.map(|i| i.as_str()),
            "assurance": result.assurance.map(|a| a.as_str()),
            "warnings": result.warnings,
            "polarity": args.polarity.as_str(),
        });
        let text = summary.to_string() + "\n";
        match &args.output.out {
            Some(p) => crate::output::write_atomic(p, text.as_bytes())?,
            None => print!("{text}"),
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

/// The per-point table, with rows whose value was empty kept in place.
pub fn spc_frame(
    values: &[Option<f64>],
    dates: Option<&[Option<String>]>,
    date_name: Option<&str>,
    result: &SpcResult,
) -> Result<DataFrame> {
    let mut points = result.points.iter();
    let rows: Vec<Option<&crate::stats::spc::SpcPoint>> = values
        .iter()
        .map(|v| v.and_then(|_| points.next()))
        .collect();
    let f = |get: fn(&crate::stats::spc::SpcPoint) -> Option<f64>| -> Vec<Option<f64>> {
        rows.iter().map(|p| p.and_then(get)).collect()
    };
    let mut columns = Vec::new();
    if let (Some(d), Some(name)) = (dates, date_name) {
        columns.push(Column::new(name.into(), d.to_vec()));
    }
    columns.extend([
        Column::new("value".into(), values.to_vec()),
        Column::new("mean".into(), f(|p| Some(p.mean))),
        Column::new("lpl".into(), f(|p| p.lpl)),
        Column::new("upl".into(), f(|p| p.upl)),
        Column::new("nlpl".into(), f(|p| p.nlpl)),
        Column::new("nupl".into(), f(|p| p.nupl)),
        Column::new(
            "rule".into(),
            rows.iter()
                .map(|p| p.map(|p| p.rule.as_str()))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "point_type".into(),
            rows.iter()
                .map(|p| p.map(|p| p.point_type.as_str()))
                .collect::<Vec<_>>(),
        ),
    ]);
    Ok(DataFrame::new_infer_height(columns)?)
}
