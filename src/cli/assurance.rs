//! `soteria assurance`: the inspection's recommendations to every force, evidenced from
//! the extract, for the PCC's scrutiny and the force's governance board.
use super::DataArgs;
use crate::assurance::{AssuranceOptions, RECOMMENDATIONS, assess, to_frame};
use crate::error::Result;
use crate::indicators::Targets;
use crate::output::OutputFormat;
use crate::util::Month;
use crate::util::chrono_lite::Date;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    soteria assurance --month 2024-12\n  \
    soteria assurance --month 2024-12 --format json\n  \
    soteria assurance --recommendations > docs/assurance.md\n  \
    soteria assurance --month 2024-12 --targets targets.toml --format markdown --out assurance.md\n  \
    soteria assurance --month 2024-12 --actions actions.csv\n\n\
    Verdicts: evidenced (a target consistently met, or special cause improvement after the\n\
    deadline), not_yet_evidenced, or data_not_available (naming the table or column the\n\
    extract would need). Recommendation 11 is evidenced by KPIs with targets in --targets.\n\
    Table and Markdown show each recommendation with its evidence, investigators not yet\n\
    trained by team, the force's actions (--actions) and the PCC's scrutiny themes; CSV\n\
    has one row per recommendation and indicator; JSON has everything.")]
pub struct AssuranceArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The month to assess.
    #[arg(long, value_name = "YYYY-MM", value_parser = super::parse_month, required_unless_present = "recommendations")]
    pub month: Option<Month>,
    /// Print the recommendations, their deadlines and evidence (Markdown) and stop.
    #[arg(long)]
    pub recommendations: bool,
    /// The force (default: the dataset's only force).
    #[arg(long)]
    pub force: Option<String>,
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::flightdeck::parse_date)]
    pub as_at: Option<Date>,
    /// The force's agreed KPIs and targets (TOML, as for `soteria flightdeck --targets`).
    #[arg(long, value_name = "FILE")]
    pub targets: Option<PathBuf>,
    #[arg(long, default_value = "table", value_parser = OutputFormat::only(&[
        OutputFormat::Table, OutputFormat::Markdown, OutputFormat::Csv, OutputFormat::Json,
    ]))]
    pub format: OutputFormat,
    /// The force's action log (CSV: recommendation, action, owner, due_date, status,
    /// closure_level), shown beside the evidence.
    #[arg(long, value_name = "FILE.csv")]
    pub actions: Option<PathBuf>,
    /// Write to FILE (atomically) instead of the screen.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub fn run(args: AssuranceArgs) -> Result<()> {
    let Some(month) = args.month.filter(|_| !args.recommendations) else {
        return crate::output::print_stdout(&crate::assurance::render_markdown());
    };
    let targets = Targets::from_optional_file(args.targets.as_deref())?;
    let ids: Vec<String> = RECOMMENDATIONS
        .iter()
        .flat_map(|r| r.evidence.iter().map(|s| s.to_string()))
        .collect();
    let tables = crate::indicators::registry::tables_needed(&ids);
    let dataset = args
        .data
        .load_tables(|t| tables.as_ref().is_none_or(|ts| ts.contains(&t)))?;
    let force = crate::figures::resolve_force(&dataset, args.force.as_deref())?;
    let assurance = assess(
        &dataset,
        &AssuranceOptions {
            month,
            force,
            as_at: args.as_at,
            targets,
            actions: args.actions.clone(),
        },
    )?;
    let text = match args.format {
        OutputFormat::Json => {
            serde_json::to_string_pretty(&assurance).expect("the assurance serialises") + "\n"
        }
        OutputFormat::Csv => {
            crate::output::frame_to_text(&to_frame(&assurance)?, OutputFormat::Csv)?
        }
        _ => crate::report::assurance::markdown(&crate::report::assurance::view(&assurance, None)),
    };
    match &args.out {
        Some(path) => crate::output::write_atomic(path, text.as_bytes()),
        None => crate::output::print_stdout(&text),
    }
}
