//! `soteria indicators`: prints the flight-deck catalogue from the registry.
use crate::error::Result;
use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CatalogueFormat {
    Table,
    Markdown,
    /// One row per indicator: id, pillar, title, unit, polarity, needs, definition.
    Csv,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  soteria indicators\n  soteria indicators --format markdown > docs/indicators.md\n  soteria indicators --format csv > catalogue.csv"
)]
pub struct IndicatorsArgs {
    #[arg(long, value_enum, default_value = "table")]
    pub format: CatalogueFormat,
}

pub fn run(args: IndicatorsArgs) -> Result<()> {
    crate::output::print_stdout(&match args.format {
        CatalogueFormat::Table => crate::indicators::registry::render_table(),
        CatalogueFormat::Markdown => crate::indicators::registry::render_markdown(),
        CatalogueFormat::Csv => catalogue_csv(),
    })
}

fn catalogue_csv() -> String {
    let mut csv = crate::format::Csv::new([
        "id",
        "pillar",
        "title",
        "unit",
        "polarity",
        "needs",
        "all_groups_only",
        "definition",
    ]);
    for i in crate::indicators::CATALOGUE {
        let needs: Vec<&str> = i.needs.iter().map(|t| t.as_str()).collect();
        csv.row([
            i.id.to_string(),
            i.pillar.to_string(),
            i.title.to_string(),
            i.unit.as_str().to_string(),
            i.polarity.as_str().to_string(),
            needs.join(" "),
            i.all_groups_only.to_string(),
            i.definition.to_string(),
        ]);
    }
    csv.finish()
}
