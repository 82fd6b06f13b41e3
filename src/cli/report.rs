//! `soteria report`: the monthly KPI report (HTML, Markdown, Excel, CSV, charts and a
//! manifest) in one command.
use super::DataArgs;
use super::flightdeck::parse_date;
use crate::error::Result;
use crate::figures::read_annotations;
use crate::indicators::Targets;
use crate::report::{ReportOptions, build, default_dir, write};
use crate::util::Month;
use crate::util::chrono_lite::Date;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    soteria report --month 2024-12\n  \
    soteria report --data extract/ --force Cleveland --month 2024-09 --targets targets.toml --annotations notes.csv\n  \
    soteria report --month 2024-12 --publish --out papers/pcc-2024-12\n  \
    soteria report --month 2024-12 --publish --suppress-below 10\n\n\
    Writes, by default to reports/<force>/<YYYY-MM>/ (<YYYY-MM>-published with --publish):\n  \
    index.html (self-contained, prints to A4), report.md, kpis.xlsx, flightdeck.csv,\n  \
    profile.csv, charts/ (SVG, PNG and alt text) and manifest.json. The folder is written\n  \
    whole or not at all. --publish applies disclosure control for papers that leave the force.")]
pub struct ReportArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The month of the report.
    #[arg(long, value_name = "YYYY-MM", value_parser = super::parse_month)]
    pub month: Month,
    /// The force (needed when the dataset has several).
    #[arg(long)]
    pub force: Option<String>,
    /// Output folder (replaced if it exists).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub disclosure: super::PublishArgs,
    /// TOML file of targets, process changes and window overrides, as for `flightdeck`.
    #[arg(long, value_name = "FILE.toml")]
    pub targets: Option<PathBuf>,
    /// CSV of date,label notes drawn on the SPC chart of the rape charge rate.
    #[arg(long, value_name = "FILE.csv")]
    pub annotations: Option<PathBuf>,
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_at: Option<Date>,
    /// First month the extract covers in full (default: its first recorded month).
    #[arg(long, value_name = "YYYY-MM", value_parser = super::parse_month)]
    pub coverage_from: Option<Month>,
    /// Resolution of the PNG charts in charts/ (300 for print-quality pictures).
    #[arg(long, value_name = "N", default_value_t = 150.0)]
    pub dpi: f64,
}

pub fn run(args: ReportArgs) -> Result<()> {
    let started = std::time::Instant::now();
    let dataset = args.data.load()?;
    let options = ReportOptions {
        month: args.month,
        force: args.force.clone(),
        publish: args.disclosure.publish,
        suppress_below: args.disclosure.suppress_below,
        targets: Targets::from_optional_file(args.targets.as_deref())?,
        targets_file: args.targets.clone(),
        annotations: match &args.annotations {
            Some(p) => read_annotations(p)?,
            None => Vec::new(),
        },
        annotations_file: args.annotations.clone(),
        actions: None,
        as_at: args.as_at,
        coverage_from: args.coverage_from,
        dpi: args.dpi,
    };
    let report = build(&dataset, &options)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_dir(&report.force, report.month, report.options.publish));
    let files = write(&report, &out)?;
    eprintln!(
        "soteria: report for {} {} written to {} ({} files, {} charts{}) in {:.1} s",
        report.force,
        report.month,
        out.display(),
        files.len(),
        report.charts.len(),
        if report.withheld_charts.is_empty() {
            String::new()
        } else {
            format!(", {} not drawn", report.withheld_charts.len())
        },
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
