//! `soteria schema`: prints the extract standard from its one definition in `src/schema/`.
use crate::error::Result;
use crate::output::OutputFormat;
use clap::Args;

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  soteria schema\n  soteria schema --format markdown > docs/data-standard.md"
)]
pub struct SchemaArgs {
    /// Output format.
    #[arg(long, default_value = "table", value_parser = OutputFormat::only(OutputFormat::DOCUMENT))]
    pub format: OutputFormat,
}

pub fn run(args: SchemaArgs) -> Result<()> {
    let text = match args.format {
        OutputFormat::Markdown => crate::schema::render_markdown(),
        _ => crate::schema::render_table(),
    };
    crate::output::print_stdout(&text)
}
