//! `soteria flightdeck`: the long table of every indicator by month, force, area and
//! offence group, optionally with SPC columns.
use super::DataArgs;
use super::OutputArgs;
use crate::error::Result;
use crate::indicators::status::parse_override;
use crate::indicators::{
    DEFAULT_REPEAT_WINDOW_DAYS, FlightDeckOptions, SplitBy, Targets, flight_deck, summary,
};
use crate::stats::spc::{Polarity, SpcOptions};
use crate::util::Month;
use crate::util::chrono_lite::Date;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    soteria flightdeck --from 2024-01 --to 2024-12\n  \
    soteria flightdeck --group rape --indicators charge_rate_closed,outcome16_share --spc\n  \
    soteria flightdeck --data extract/ --force Cleveland --by area --format csv --out flightdeck.csv\n  \
    soteria flightdeck --as-at 2024-09-30 --format parquet --out fd.parquet\n  \
    soteria flightdeck --summary --month 2024-09 --targets targets.toml\n  \
    soteria flightdeck --spc --coverage-from 2019-04 --maturity-days charge_rate_cohort=365\n\n\
    Each row has a status: `provisional` while crimes recorded in the month still wait for\n\
    the events an indicator counts (its maturity window), `truncated` while a stock or\n\
    windowed count still lacks what happened before the extract's coverage starts (its\n\
    burn-in), `final` otherwise. `soteria indicators` lists each indicator's windows. Only\n\
    final months enter SPC limits and rules.")]
pub struct FlightdeckArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The date the extract describes; default the latest recorded, outcome or event date.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_at: Option<Date>,
    /// First month; default the first month with a recorded offence.
    #[arg(long, value_name = "YYYY-MM", value_parser = super::parse_month)]
    pub from: Option<Month>,
    /// Last month; default the month of the as-at date.
    #[arg(long, value_name = "YYYY-MM", value_parser = super::parse_month)]
    pub to: Option<Month>,
    /// Only this force (a dataset with several forces gives every force's rows).
    #[arg(long)]
    pub force: Option<String>,
    /// Split each force by area or by team (rows for `All` are kept).
    #[arg(long, value_enum)]
    pub by: Option<SplitBy>,
    /// Only this offence group: all, rape or other_sexual.
    #[arg(long, value_enum)]
    pub group: Option<crate::schema::OffenceGroup>,
    /// Only these indicators (comma-separated ids; `soteria indicators` lists them).
    #[arg(long, value_delimiter = ',')]
    pub indicators: Option<Vec<String>>,
    /// First month the extract covers in full (default: the first month with a recorded
    /// offence); for an export that also carries older open cases, give the month its
    /// records start.
    #[arg(long, value_name = "YYYY-MM", value_parser = super::parse_month)]
    pub coverage_from: Option<Month>,
    /// Override an indicator's maturity window: INDICATOR=DAYS (0 turns it off);
    /// repeatable or comma-separated.
    #[arg(long, value_name = "ID=DAYS", value_delimiter = ',', value_parser = parse_override)]
    pub maturity_days: Vec<(String, u32)>,
    /// Override an indicator's burn-in: INDICATOR=DAYS (0 turns it off).
    #[arg(long, value_name = "ID=DAYS", value_delimiter = ',', value_parser = parse_override)]
    pub burn_in_days: Vec<(String, u32)>,
    /// Window for repeat suspects, in days.
    #[arg(long, default_value_t = DEFAULT_REPEAT_WINDOW_DAYS)]
    pub repeat_window_days: i32,
    /// Add SPC columns (mean, lpl, upl, rule, point_type) to every monthly series.
    #[arg(long)]
    pub spc: bool,
    /// With --spc or --summary: use the first N months of each series as the SPC baseline.
    #[arg(long, value_name = "N")]
    pub baseline: Option<usize>,
    /// One row per indicator and offence group for --month: value, interval, last month,
    /// same month last year, 12-month mean, variation icon and assurance.
    #[arg(long, requires = "month")]
    pub summary: bool,
    /// The month of the summary.
    #[arg(long, value_name = "YYYY-MM", value_parser = super::parse_month)]
    pub month: Option<Month>,
    /// TOML file of targets for the summary's assurance icons (`indicator = value`, group
    /// tables, dated `[[target]]` entries), process changes that rebase SPC limits
    /// (`[[rebase]]`), and window overrides (`[maturity]`, `[burn_in]`).
    /// Its `[maturity]` and `[burn_in]` tables (`indicator = days`) override windows.
    #[arg(long, value_name = "FILE.toml")]
    pub targets: Option<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub(crate) fn parse_date(s: &str) -> std::result::Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("`{s}` is not a date in the form YYYY-MM-DD"))
}

pub fn run(args: FlightdeckArgs) -> Result<()> {
    if args.repeat_window_days < 1 {
        return Err(super::usage("--repeat-window-days must be at least 1"));
    }
    if args.baseline == Some(0) {
        return Err(super::usage("--baseline must be at least 1"));
    }
    let targets = Targets::from_optional_file(args.targets.as_deref())?;
    let mut windows = targets.windows.clone();
    windows
        .maturity_days
        .extend(args.maturity_days.iter().cloned());
    windows
        .burn_in_days
        .extend(args.burn_in_days.iter().cloned());
    // Only the tables the chosen indicators read are loaded, and of events only the
    // columns they read.
    let needs = crate::indicators::Needs::of(args.indicators.as_deref())
        .split_by(args.by)
        .for_force(args.force.as_deref());
    let dataset = args.data.load_needed(&needs)?;
    let options = FlightDeckOptions {
        as_at: args.as_at,
        from: args.from,
        to: args.to,
        force: args.force.clone(),
        split: args.by,
        group: args.group,
        indicators: args.indicators.clone(),
        repeat_window_days: args.repeat_window_days,
        spc: args.spc.then_some(SpcOptions {
            baseline: args.baseline,
            screen: true,
            polarity: Polarity::Neutral,
            target: None,
        }),
        coverage_from: args.coverage_from,
        windows,
        process_changes: targets.process_changes.clone(),
    };
    if args.summary {
        let month = args.month.expect("clap requires --month with --summary");
        let table = summary(&dataset, &options, month, &targets, args.baseline)?;
        return args.output.write(&table);
    }
    let deck = flight_deck(&dataset, &options)?;
    eprintln!(
        "soteria: flight deck {} to {}, as at {}: {} rows",
        deck.from,
        deck.to,
        deck.as_at,
        deck.table.height()
    );
    for (id, missing) in &deck.unavailable {
        eprintln!("soteria: {id} not available: needs {}", missing.join(", "));
    }
    args.output.write(&deck.table)
}
