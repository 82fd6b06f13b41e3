//! `soteria query`: SQL over the dataset's tables, the `crimes` view and the flight deck.
use super::DataArgs;
use super::OutputArgs;
use crate::error::Result;
use crate::query::QueryEngine;
use crate::util::chrono_lite::Date;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    soteria query \"SELECT offence_group, count(*) AS n FROM crimes WHERE is_open GROUP BY offence_group\"\n  \
    soteria query --format csv \"SELECT * FROM flightdeck WHERE indicator = 'charge_rate_closed' AND offence_group = 'rape'\"\n  \
    soteria query --file question.sql --format parquet --out answer.parquet\n\n\
    Tables: offences, suspects, outcomes, events, staff, feedback, population (as loaded),\n\
    crimes (one row per offence: offence_group, outcome_type, outcome_date, is_open,\n\
    days_to_outcome, suspects) and flightdeck (computed when a query names it).\n\n\
    Without SQL it starts an interactive shell: statements end with `;`; .tables, .schema,\n\
    .format, .output, .help and .quit; history in ~/.soteria_history.")]
pub struct QueryArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The SQL statement.
    #[arg(conflicts_with = "file")]
    pub sql: Option<String>,
    /// Read the SQL from a file.
    #[arg(long, value_name = "QUERY.sql")]
    pub file: Option<PathBuf>,
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::flightdeck::parse_date)]
    pub as_at: Option<Date>,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(args: QueryArgs) -> Result<()> {
    let sql = match (&args.sql, &args.file) {
        (Some(s), _) => s.clone(),
        (None, Some(f)) => {
            std::fs::read_to_string(f).map_err(|e| crate::error::SoteriaError::io(f, e))?
        }
        (None, None) => {
            let dataset = args.data.load()?;
            let mut engine = QueryEngine::new(&dataset, args.as_at)?;
            return crate::query::shell::run(&mut engine, args.output.format);
        }
    };
    // Only the tables the statement needs are loaded and validated.
    let needed = crate::query::tables_needed(&sql);
    let dataset = args.data.load_tables(|t| needed.contains(&t))?;
    let mut engine = QueryEngine::new(&dataset, args.as_at)?;
    let table = engine.run(sql.trim().trim_end_matches(';'))?;
    args.output.write(&table)
}
