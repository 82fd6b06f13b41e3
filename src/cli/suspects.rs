//! `soteria suspects --repeat`: the repeat-suspect register for tasking. It lists person
//! identifiers and is for use inside the force only.
use super::DataArgs;
use super::OutputArgs;
use crate::error::Result;
use crate::profile::register::{RegisterOptions, register};
use crate::util::chrono_lite::Date;
use clap::Args;
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    soteria suspects --repeat\n  \
    soteria suspects --repeat --window-days 730 --min-crimes 3 --group rape\n  \
    soteria suspects --repeat --as-at 2024-09-30 --format csv --out register.csv\n\n\
    The register holds suspect identifiers: it is for tasking inside the force and is\n\
    never part of a published report.")]
pub struct SuspectsArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// List repeat suspects (the only listing so far).
    #[arg(long, required = true)]
    pub repeat: bool,
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::flightdeck::parse_date)]
    pub as_at: Option<Date>,
    /// Links counted in (as-at - N days, as-at].
    #[arg(long, default_value_t = crate::indicators::DEFAULT_REPEAT_WINDOW_DAYS)]
    pub window_days: i32,
    /// Distinct crimes that make a repeat suspect.
    #[arg(long, default_value_t = 2)]
    pub min_crimes: usize,
    #[arg(long, value_enum, default_value = "all")]
    pub group: crate::schema::OffenceGroup,
    #[arg(long)]
    pub force: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(args: SuspectsArgs) -> Result<()> {
    if args.window_days < 1 {
        return Err(super::usage("--window-days must be at least 1"));
    }
    let dataset = args.data.load_columns(
        |t| crate::profile::register::TABLES.contains(&t),
        crate::profile::register::columns,
    )?;
    let options = RegisterOptions {
        as_at: args.as_at,
        window_days: args.window_days,
        min_crimes: args.min_crimes,
        group: args.group,
        force: args.force.clone(),
    };
    let (table, as_at) = register(&dataset, &options)?;
    eprintln!(
        "soteria: {}; {} suspects",
        options.describe(as_at),
        table.height()
    );
    args.output.write(&table)
}
