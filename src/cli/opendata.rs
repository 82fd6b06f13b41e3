//! `soteria opendata`: Home Office outcomes open data, every force's rates on both count
//! bases, and a force placed among its peers.
use super::OutputArgs;
use crate::error::Result;
use crate::opendata::compare::{CompareOptions, compare};
use crate::opendata::{By, describe_notes, indicators, read_outcomes, read_population, to_frame};
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct OpendataArgs {
    #[command(subcommand)]
    pub command: OpendataCommand,
}

#[derive(Debug, Subcommand)]
pub enum OpendataCommand {
    /// Outcome rates of every force and England and Wales from outcomes open data tables.
    Outcomes(OutcomesArgs),
    /// Where one force sits among all forces: funnel, ranking and a comparison page.
    Compare(CompareArgs),
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    soteria opendata outcomes --input prc-outcomes-2017-18.csv\n  \
    soteria opendata outcomes --input 2017-18.csv --input 2018-19.csv --group rape --by quarter --format csv --out rates.csv\n\n\
    Reads the Home Office outcomes table as CSV, with the published Title Case headers or\n\
    snake_case ones, matched by meaning. Basis `recorded`: over offences recorded in the\n\
    period (outcome 0, not yet assigned, included); basis `closed`: over outcomes assigned in\n\
    the period. `England and Wales` sums every row of the input.")]
pub struct OutcomesArgs {
    /// An outcomes open data table (.ods, .xlsx, .csv or .csv.gz); repeat for several years.
    #[arg(long, value_name = "FILE", required = true)]
    pub input: Vec<PathBuf>,
    /// Only this offence group: rape, other_sexual or all.
    #[arg(long, value_enum)]
    pub group: Option<crate::schema::OffenceGroup>,
    #[arg(long, value_enum, default_value = "year")]
    pub by: By,
    /// Mid-year population by force (`pfa_code,force,year,population`).
    #[arg(
        long,
        value_name = "FILE",
        default_value = "datasets/reference/pfa-population-2011-2020.csv"
    )]
    pub population: PathBuf,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    soteria opendata compare --input prc-outcomes-2017-18.csv --force Cleveland --out compare/\n  \
    soteria opendata compare --input 2017-18.csv --force \"Thames Valley\" --group all --indicator victim_withdrawal_rate --basis recorded --overdispersion --out tv/\n\n\
    Writes funnel.svg/png, ranking.svg/png (with alt text), comparison.html and comparison.csv.")]
pub struct CompareArgs {
    #[arg(long, value_name = "FILE", required = true)]
    pub input: Vec<PathBuf>,
    #[arg(long)]
    pub force: String,
    #[arg(long, value_enum, default_value = "rape")]
    pub group: crate::schema::OffenceGroup,
    /// charge_rate, outcome14_share, outcome15_share, outcome16_share, outcome18_share,
    /// victim_withdrawal_rate or recorded_per_1000.
    #[arg(long, default_value = "charge_rate")]
    pub indicator: String,
    /// closed (outcomes assigned in the period) or recorded (offences recorded in it).
    #[arg(long, default_value = "closed")]
    pub basis: String,
    /// The financial year (default the latest in the input).
    #[arg(long, value_name = "YYYY/YY")]
    pub period: Option<String>,
    /// Widen the funnel limits for overdispersion (FunnelPlotR's method).
    #[arg(long)]
    pub overdispersion: bool,
    #[arg(
        long,
        value_name = "FILE",
        default_value = "datasets/reference/pfa-population-2011-2020.csv"
    )]
    pub population: PathBuf,
    /// Resolution of the PNG charts.
    #[arg(long, value_name = "N", default_value_t = 200.0)]
    pub dpi: f64,
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

pub fn run(args: OpendataArgs) -> Result<()> {
    match args.command {
        OpendataCommand::Outcomes(a) => {
            let (counts, notes) = read_outcomes(&a.input, a.by)?;
            for line in describe_notes(&notes) {
                eprintln!("soteria: {line}");
            }
            let population = read_population(&crate::util::bundled(&a.population))?;
            let rows = indicators(&counts, Some(&population), a.group);
            a.output.write(&to_frame(&rows)?)
        }
        OpendataCommand::Compare(a) => {
            let (counts, notes) = read_outcomes(&a.input, By::Year)?;
            for line in describe_notes(&notes) {
                eprintln!("soteria: {line}");
            }
            let population = read_population(&crate::util::bundled(&a.population))?;
            let rows = indicators(&counts, Some(&population), Some(a.group));
            let force = crate::synth::reference::canonical_force_name(&a.force)
                .map_or(a.force.clone(), str::to_string);
            let files = compare(
                &rows,
                &CompareOptions {
                    force,
                    group: a.group,
                    indicator: a.indicator.clone(),
                    basis: a.basis.clone(),
                    period: a.period.clone(),
                    overdispersion: a.overdispersion,
                    dpi: a.dpi,
                    source: notes.files.join(", "),
                },
                &a.out,
            )?;
            eprintln!("soteria: wrote {} to {}", files.join(", "), a.out.display());
            Ok(())
        }
    }
}
