//! `soteria generate`: writes a synthetic dataset.
use crate::error::Result;
use crate::synth::{DataFormat, SynthConfig, generate, parse_forces};
use crate::util::Month;
use clap::Args;
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    soteria generate --forces Cleveland --start 2021-01 --months 48 --out datasets/sample\n  \
    soteria generate --forces 3 --months 24 --seed 7 --out /tmp/three\n  \
    soteria generate --forces all --start 2015-01 --months 120 --out /tmp/national\n  \
    soteria generate --forces \"Cleveland,Durham\" --format csv --out /tmp/ne")]
pub struct GenerateArgs {
    /// Output folder (created if needed).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// `all`, a number N (the first N forces alphabetically) or a comma-separated list of names.
    #[arg(long, default_value = "all")]
    pub forces: String,
    /// First month of the extract.
    #[arg(long, value_name = "YYYY-MM", default_value = "2021-01", value_parser = super::parse_month)]
    pub start: Month,
    /// Number of months; the as-at date is the last day of the last month.
    #[arg(long, default_value_t = 48)]
    pub months: u32,
    /// Volume multiplier: 1.0 is about 70,000 rapes and 130,000 other sexual offences a year nationally.
    #[arg(long, default_value_t = 1.0)]
    pub scale: f64,
    /// Random seed: the same seed gives byte-identical files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// File format of the tables.
    #[arg(long, value_enum, default_value = "parquet")]
    pub format: DataFormat,
}

pub fn run(args: GenerateArgs) -> Result<()> {
    let config = SynthConfig {
        forces: parse_forces(&args.forces)?,
        start: args.start,
        months: args.months,
        scale: args.scale,
        seed: args.seed,
        format: args.format,
    };
    let bar = (std::io::stderr().is_terminal() && config.forces.len() > 3).then(|| {
        let bar = indicatif::ProgressBar::new(config.forces.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} forces {elapsed}")
                .expect("a valid template"),
        );
        bar
    });
    let summary = generate(&config, &args.out, &|done, _| {
        if let Some(b) = &bar {
            b.set_position(done as u64);
        }
    })?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    for (table, rows) in &summary.rows {
        eprintln!("{table:<11} {rows:>10} rows");
    }
    eprintln!(
        "wrote {} files to {}",
        summary.files.len(),
        args.out.display()
    );
    Ok(())
}
