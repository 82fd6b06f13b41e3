//! `soteria scrutiny-sample`: a reproducible stratified sample of crimes closed in a month.
use super::DataArgs;
use super::OutputArgs;
use crate::error::Result;
use crate::profile::scrutiny::{ScrutinyOptions, sample};
use crate::util::Month;
use crate::util::chrono_lite::Date;
use clap::Args;
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    soteria scrutiny-sample --month 2024-09 --n 10 --seed 1\n  \
    soteria scrutiny-sample --month 2024-09 --n 12 --seed 42 --outcomes 15,16 --format csv --out panel.csv\n\n\
    Crimes whose current outcome is dated in the month and is one of --outcomes, sampled in\n\
    proportion to each outcome's number (at least one from each outcome present). The same\n\
    seed gives the same sample.")]
pub struct ScrutinyArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[arg(long, value_name = "YYYY-MM", value_parser = super::parse_month)]
    pub month: Month,
    /// Sample size.
    #[arg(long)]
    pub n: usize,
    #[arg(long)]
    pub seed: u64,
    #[arg(long, value_delimiter = ',', default_value = "14,15,16,18")]
    pub outcomes: Vec<String>,
    #[arg(long)]
    pub force: Option<String>,
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::flightdeck::parse_date)]
    pub as_at: Option<Date>,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(args: ScrutinyArgs) -> Result<()> {
    let dataset = args.data.load()?;
    let known: Vec<&str> = crate::schema::codes::OUTCOME_TYPES
        .iter()
        .map(|o| o.code)
        .collect();
    if let Some(bad) = args.outcomes.iter().find(|o| !known.contains(&o.as_str())) {
        return Err(super::usage(format!(
            "--outcomes: `{bad}` is not an outcome type"
        )));
    }
    let table = sample(
        &dataset,
        &ScrutinyOptions {
            month: args.month,
            n: args.n,
            seed: args.seed,
            outcomes: args.outcomes.clone(),
            force: args.force.clone(),
            as_at: args.as_at,
        },
    )?;
    eprintln!(
        "soteria: {} crimes sampled from those closed in {}",
        table.height(),
        args.month
    );
    args.output.write(&table)
}
