//! `soteria schema`: prints the extract standard from its one definition in `src/schema/`.
use crate::error::Result;
use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchemaFormat {
    Table,
    Markdown,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  soteria schema\n  soteria schema --format markdown > docs/data-standard.md"
)]
pub struct SchemaArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: SchemaFormat,
}

pub fn run(args: SchemaArgs) -> Result<()> {
    let text = match args.format {
        SchemaFormat::Table => crate::schema::render_table(),
        SchemaFormat::Markdown => crate::schema::render_markdown(),
    };
    crate::output::print_stdout(&text)
}
