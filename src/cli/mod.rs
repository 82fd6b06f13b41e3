//! The command line: one file per subcommand, each with an argument struct (clap derive,
//! with examples in its help) and a `run` function. Nothing here computes anything.
mod assurance;
pub mod chart;
mod explore;
mod flightdeck;
mod funnel;
mod gallery;
mod generate;
mod indicators;
mod opendata;
mod paper;
mod profile;
mod query;
mod report;
mod schema;
mod scrutiny;
mod spc;
mod stats;
mod suspects;
mod validate;

use crate::error::{Result, SoteriaError};
use crate::ingest::{Dataset, Mapping};
use crate::output::OutputFormat;
use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};

#[derive(Debug, Parser)]
#[command(
    name = "soteria",
    version,
    about = "Analytics for police performance on rape and serious sexual offences (Operation Soteria)",
    long_about = "Soteria turns a force's RASSO extract into the NOM flight deck, a problem profile, \
                  charts and a board-ready monthly report.\n\nEvery command that reads a dataset \
                  takes --data DIR and defaults to the bundled sample (datasets/sample).",
    after_help = "Examples:\n  soteria validate\n  soteria generate --forces 3 --months 24 --seed 7 --out /tmp/three\n  soteria schema --format markdown"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the extract standard: tables, columns, types and code lists.
    Schema(schema::SchemaArgs),
    /// Write a realistic synthetic dataset of all seven tables.
    Generate(generate::GenerateArgs),
    /// Check a dataset against every rule of the standard and report its quality.
    Validate(validate::ValidateArgs),
    /// The NOM flight deck: every indicator by month, force, area and offence group.
    Flightdeck(flightdeck::FlightdeckArgs),
    /// The inspection's five recommendations, evidenced from the extract, with verdicts.
    Assurance(assurance::AssuranceArgs),
    /// Print the flight-deck indicator catalogue.
    Indicators(indicators::IndicatorsArgs),
    /// The RASSO problem profile: victims, suspects, context, time, place and attrition.
    Profile(profile::ProfileArgs),
    /// SQL over the tables, the `crimes` view and the flight deck.
    Query(query::QueryArgs),
    /// The repeat-suspect register for tasking (internal use only).
    Suspects(suspects::SuspectsArgs),
    /// A reproducible stratified sample of closed crimes for the scrutiny panel.
    ScrutinySample(scrutiny::ScrutinyArgs),
    /// Intervals, tests of change and control-chart limits for any numbers.
    Stats(stats::StatsArgs),
    /// XmR (SPC) chart of a series in a CSV file, with the Making Data Count rules.
    Spc(spc::SpcArgs),
    /// Funnel-plot limits and flags for units in a CSV file.
    Funnel(funnel::FunnelArgs),
    /// One chart of a dataset (spc, trend, outcomes, funnel, heatmap, pyramid, attrition,
    /// bars, multiples) as SVG or PNG.
    Chart(chart::ChartArgs),
    /// One chart of every kind from a dataset, as SVG and PNG, with an index page.
    Gallery(gallery::GalleryArgs),
    /// The monthly KPI report: HTML, Markdown, Excel, CSV and charts, with disclosure control.
    Report(report::ReportArgs),
    /// The board and scrutiny paper as a Word document, with the recommendations evidenced.
    Paper(paper::PaperArgs),
    /// The flight deck explorer: one self-contained, interactive HTML page.
    Explore(explore::ExploreArgs),
    /// Home Office outcomes open data: every force's rates, and one force among its peers.
    Opendata(opendata::OpendataArgs),
}

/// Disclosure control for what leaves the force (report, paper, explorer).
#[derive(Debug, Clone, Args)]
pub struct PublishArgs {
    /// Disclosure control for publication: small counts suppressed, no identifiers.
    #[arg(long)]
    pub publish: bool,
    /// With --publish: counts from 1 to N-1 are shown as <N.
    #[arg(long, value_name = "N", default_value_t = 5, requires = "publish")]
    pub suppress_below: u32,
}

/// Where a command reads its dataset from.
#[derive(Debug, Clone, Args)]
pub struct DataArgs {
    /// Dataset folder (one file per table: .parquet, .arrow/.ipc or .csv).
    #[arg(long, value_name = "DIR", default_value = "datasets/sample")]
    pub data: PathBuf,
    /// TOML mapping file that renames columns, recodes values and sets date formats.
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
}

impl DataArgs {
    /// The dataset folder; the bundled sample is also found when the binary runs
    /// outside the repository root.
    pub fn dir(&self) -> PathBuf {
        if self.data == Path::new("datasets/sample") {
            return crate::util::bundled(&self.data);
        }
        self.data.clone()
    }

    pub fn mapping(&self) -> Result<Option<Mapping>> {
        self.mapping.as_deref().map(Mapping::from_file).transpose()
    }

    /// Loads the dataset and prints the one-line quarantine summary on stderr.
    pub fn load(&self) -> Result<Dataset> {
        self.load_tables(|_| true)
    }

    /// Loads `offences` and the tables for which `wanted` holds.
    pub fn load_tables(
        &self,
        wanted: impl Fn(crate::schema::TableName) -> bool,
    ) -> Result<Dataset> {
        self.load_columns(wanted, |_| None)
    }

    /// Loads what the indicators of `needs` read.
    pub fn load_needed(&self, needs: &crate::indicators::Needs) -> Result<Dataset> {
        let dataset = needs.load(&self.dir(), self.mapping()?.as_ref())?;
        eprintln!("{}", dataset.summary_line());
        Ok(dataset)
    }

    /// Loads `offences` and the tables for which `wanted` holds, each with only the
    /// columns `columns` names (all when `None`).
    pub fn load_columns(
        &self,
        wanted: impl Fn(crate::schema::TableName) -> bool,
        columns: impl Fn(crate::schema::TableName) -> Option<Vec<String>>,
    ) -> Result<Dataset> {
        let mapping = self.mapping()?;
        let dataset = Dataset::load_columns(&self.dir(), mapping.as_ref(), wanted, columns)?;
        eprintln!("{}", dataset.summary_line());
        Ok(dataset)
    }
}

/// Where and how a command writes its table: one definition for every command.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Output format (parquet and arrow need --out). By default the one --out's
    /// extension names (.csv, .json, .md, .parquet, .arrow), parquet with
    /// --partition-by, else table.
    #[arg(long, value_parser = OutputFormat::only(OutputFormat::FRAME))]
    format: Option<OutputFormat>,
    /// Write to FILE (atomically) instead of the screen.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// With --format parquet: write --out as a folder of hive-style partitions
    /// (`COLUMN=value/part-0.parquet`) that DuckDB, Spark and Trino read as they are.
    #[arg(long, value_name = "COLUMN")]
    pub partition_by: Option<String>,
}

impl OutputArgs {
    /// The format asked for, or the one `--out` names: a file called `deck.csv` is
    /// never written as an aligned text table.
    pub fn format(&self) -> OutputFormat {
        self.format
            .or_else(|| self.out.as_deref().and_then(OutputFormat::of_path))
            .or_else(|| self.partition_by.as_ref().map(|_| OutputFormat::Parquet))
            .unwrap_or(OutputFormat::Table)
    }

    pub fn write(&self, frame: &polars::prelude::DataFrame) -> Result<()> {
        match (&self.partition_by, self.format(), &self.out) {
            (None, format, out) => crate::output::write_frame(frame, format, out.as_deref()),
            (Some(column), OutputFormat::Parquet, Some(out)) => {
                crate::output::write_partitioned(frame, column, out)
            }
            (Some(_), _, _) => Err(usage(
                "--partition-by writes a folder of Parquet files: it needs --format parquet and --out DIR",
            )),
        }
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Schema(args) => schema::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Flightdeck(args) => flightdeck::run(args),
        Command::Assurance(args) => assurance::run(args),
        Command::Indicators(args) => indicators::run(args),
        Command::Profile(args) => profile::run(args),
        Command::Query(args) => query::run(args),
        Command::Suspects(args) => suspects::run(args),
        Command::ScrutinySample(args) => scrutiny::run(args),
        Command::Stats(args) => stats::run(args),
        Command::Spc(args) => spc::run(args),
        Command::Funnel(args) => funnel::run(args),
        Command::Chart(args) => chart::run(args),
        Command::Gallery(args) => gallery::run(args),
        Command::Report(args) => report::run(args),
        Command::Paper(args) => paper::run(args),
        Command::Explore(args) => explore::run(args),
        Command::Opendata(args) => opendata::run(args),
    }
}

pub(crate) fn parse_month(s: &str) -> std::result::Result<crate::util::Month, String> {
    crate::util::Month::parse(s).ok_or_else(|| format!("`{s}` is not a month in the form YYYY-MM"))
}

pub(crate) fn usage(message: impl Into<String>) -> SoteriaError {
    SoteriaError::Usage(message.into())
}
