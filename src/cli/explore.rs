//! `soteria explore`: the flight deck explorer, one self-contained HTML page.
use super::DataArgs;
use super::flightdeck::parse_date;
use crate::error::Result;
use crate::indicators::Targets;
use crate::report::explore::{ExploreOptions, build};
use crate::util::Month;
use crate::util::chrono_lite::Date;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    soteria explore --month 2024-12 --out explore.html\n  \
    soteria explore --month 2024-12 --publish --out explore-published.html\n  \
    soteria explore --data extract/ --force Cleveland --targets targets.toml --out explore.html\n\n\
    One HTML file with the data, script and styles inside: it opens from a folder or an\n\
    email attachment, offline. Choose a unit (the force, an area or a team), an offence\n\
    group, a pillar and an indicator; the link in the address bar opens the same view.\n\
    The page draws what the engine computed (values, intervals, SPC limits, rules and\n\
    readings) and never computes them itself. --publish withholds small counts, and what\n\
    rests on them, in the embedded data.")]
pub struct ExploreArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The latest month shown (default: the month of the as-at date).
    #[arg(long, value_name = "YYYY-MM", value_parser = super::parse_month)]
    pub month: Option<Month>,
    /// The force (needed when the dataset has several).
    #[arg(long)]
    pub force: Option<String>,
    /// The HTML file to write (atomically).
    #[arg(long, value_name = "FILE.html")]
    pub out: PathBuf,
    #[command(flatten)]
    pub disclosure: super::PublishArgs,
    /// TOML file of targets, process changes and window overrides, as for `flightdeck`.
    #[arg(long, value_name = "FILE.toml")]
    pub targets: Option<PathBuf>,
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_at: Option<Date>,
    /// Months of history shown.
    #[arg(long, value_name = "N", default_value_t = 36, value_parser = clap::value_parser!(i32).range(2..=240))]
    pub months: i32,
}

pub fn run(args: ExploreArgs) -> Result<()> {
    if args
        .out
        .extension()
        .is_none_or(|e| e != "html" && e != "htm")
    {
        return Err(super::usage(format!(
            "--out {}: the explorer is written to an .html file",
            args.out.display()
        )));
    }
    let dataset = args.data.load()?;
    let as_at = dataset.as_at(args.as_at)?;
    let options = ExploreOptions {
        month: args.month.unwrap_or_else(|| Month::of(as_at)),
        force: args.force.clone(),
        publish: args.disclosure.publish,
        suppress_below: args.disclosure.suppress_below,
        targets: Targets::from_optional_file(args.targets.as_deref())?,
        as_at: Some(as_at),
        coverage_from: None,
        months: args.months,
    };
    let html = build(&dataset, &options)?;
    crate::output::write_atomic(&args.out, html.as_bytes())?;
    eprintln!(
        "soteria: explorer written to {} ({} KB)",
        args.out.display(),
        html.len() / 1024
    );
    Ok(())
}
