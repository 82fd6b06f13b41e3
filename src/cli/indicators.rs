//! `soteria indicators`: prints the flight-deck catalogue from the registry.
use crate::error::Result;
use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CatalogueFormat {
    Table,
    Markdown,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  soteria indicators\n  soteria indicators --format markdown > docs/indicators.md"
)]
pub struct IndicatorsArgs {
    #[arg(long, value_enum, default_value = "table")]
    pub format: CatalogueFormat,
}

pub fn run(args: IndicatorsArgs) -> Result<()> {
    print!(
        "{}",
        match args.format {
            CatalogueFormat::Table => crate::indicators::registry::render_table(),
            CatalogueFormat::Markdown => crate::indicators::registry::render_markdown(),
        }
    );
    Ok(())
}
