//! `soteria paper`: the board and scrutiny paper as a Word document: the month's
//! signals, the inspection's recommendations evidenced, the PCC's scrutiny themes, the
//! key SPC charts and the problem profile's changes.
use super::DataArgs;
use super::flightdeck::parse_date;
use crate::error::Result;
use crate::indicators::Targets;
use crate::report::{ReportOptions, build};
use crate::util::Month;
use crate::util::chrono_lite::Date;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    soteria paper --month 2024-12 --out board-2024-12.docx\n  \
    soteria paper --month 2024-12 --publish --out pcc-scrutiny-2024-12.docx\n  \
    soteria paper --data extract/ --force Cleveland --month 2024-12 --targets kpis.toml --actions actions.csv --out board.docx\n\n\
    The paper opens in Word and LibreOffice: a cover (force, month, as-at date, edition),\n\
    headline findings, the inspection's recommendations with their evidence and verdicts,\n\
    the PCC's scrutiny themes, the summary of indicators by pillar with their icons, the\n\
    key SPC charts (300 dpi, with alternative text), the problem profile's changes, and\n\
    definitions and methods. Without --publish it is marked not for publication; with it,\n\
    small counts and what rests on them are withheld, and action owners are left out.\n\
    The same input gives the same bytes.")]
pub struct PaperArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The month of the paper.
    #[arg(long, value_name = "YYYY-MM", value_parser = super::parse_month)]
    pub month: Month,
    /// The force (needed when the dataset has several).
    #[arg(long)]
    pub force: Option<String>,
    /// The Word document to write (atomically).
    #[arg(long, value_name = "FILE.docx")]
    pub out: PathBuf,
    #[command(flatten)]
    pub disclosure: super::PublishArgs,
    /// TOML file of targets (the force's agreed KPIs), as for `flightdeck`.
    #[arg(long, value_name = "FILE.toml")]
    pub targets: Option<PathBuf>,
    /// The force's action log on the recommendations (CSV: recommendation, action, owner,
    /// due_date, status, closure_level).
    #[arg(long, value_name = "FILE.csv")]
    pub actions: Option<PathBuf>,
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_at: Option<Date>,
}

pub fn run(args: PaperArgs) -> Result<()> {
    if args.out.extension().is_none_or(|e| e != "docx") {
        return Err(super::usage(format!(
            "--out {}: a Word paper is written to a .docx file",
            args.out.display()
        )));
    }
    let dataset = args.data.load()?;
    let options = ReportOptions {
        month: args.month,
        force: args.force.clone(),
        publish: args.disclosure.publish,
        suppress_below: args.disclosure.suppress_below,
        targets: Targets::from_optional_file(args.targets.as_deref())?,
        targets_file: args.targets.clone(),
        annotations: Vec::new(),
        annotations_file: None,
        actions: args.actions.clone(),
        as_at: args.as_at,
        coverage_from: None,
        dpi: 300.0,
    };
    let report = build(&dataset, &options)?;
    let view = crate::report::assurance::view(
        &report.assurance,
        args.disclosure
            .publish
            .then_some(args.disclosure.suppress_below as f64),
    );
    let bytes = crate::report::docx::render(&report, &view)?;
    crate::output::write_atomic(&args.out, &bytes)?;
    eprintln!(
        "soteria: paper for {} {} written to {} ({} KB)",
        report.force,
        report.month,
        args.out.display(),
        bytes.len() / 1024
    );
    Ok(())
}
