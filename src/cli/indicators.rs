//! `soteria indicators`: prints the flight-deck catalogue from the registry.
use crate::error::Result;
use crate::output::OutputFormat;
use clap::Args;

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  soteria indicators\n  soteria indicators --format markdown > docs/indicators.md\n  soteria indicators --format csv > catalogue.csv"
)]
pub struct IndicatorsArgs {
    /// table, markdown, or csv (one row per indicator: id, pillar, title, unit, polarity,
    /// needs, definition).
    #[arg(long, default_value = "table", value_parser = OutputFormat::only(OutputFormat::CATALOGUE))]
    pub format: OutputFormat,
}

pub fn run(args: IndicatorsArgs) -> Result<()> {
    crate::output::print_stdout(&match args.format {
        OutputFormat::Markdown => crate::indicators::registry::render_markdown(),
        OutputFormat::Csv => catalogue_csv(),
        _ => crate::indicators::registry::render_table(),
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
