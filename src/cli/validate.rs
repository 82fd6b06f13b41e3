//! `soteria validate`: the data-quality report, and quarantine files on request.
use super::DataArgs;
use crate::error::Result;
use crate::ingest::TableQuality;
use crate::output::OutputFormat;
use clap::Args;
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    soteria validate\n  \
    soteria validate --data extract/ --quarantine extract/quarantine\n  \
    soteria validate --data export/ --mapping datasets/mappings/example-force.toml --format json\n\n\
    Exit codes: 0 loaded (with or without quarantined rows), 1 input that cannot be loaded, 2 usage error.")]
pub struct ValidateArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Write each table's quarantined rows to DIR/<table>.csv.
    #[arg(long, value_name = "DIR")]
    pub quarantine: Option<PathBuf>,
    /// Output format of the report.
    #[arg(long, default_value = "table", value_parser = OutputFormat::only(OutputFormat::TEXT_OR_JSON))]
    pub format: OutputFormat,
}

pub fn run(args: ValidateArgs) -> Result<()> {
    let dataset = match args.data.load() {
        Ok(d) => d,
        // A program reading the JSON gets an object with the error, not an empty stdout.
        Err(e) if matches!(args.format, OutputFormat::Json) => {
            let text = serde_json::to_string_pretty(&serde_json::json!({
                "error": e.to_string(),
                "exit_code": e.exit_code(),
                "tables": [],
            }))
            .expect("an error serialises")
                + "\n";
            crate::output::print_stdout(&text)?;
            return Err(e);
        }
        Err(e) => return Err(e),
    };
    if let Some(dir) = &args.quarantine {
        let files = dataset.write_quarantine(dir)?;
        eprintln!(
            "soteria: wrote {} quarantine files to {}",
            files.len(),
            dir.display()
        );
    }
    let text = match args.format {
        OutputFormat::Json => {
            serde_json::to_string_pretty(&serde_json::json!({ "tables": dataset.quality }))
                .expect("quality serialises")
                + "\n"
        }
        _ => render(&dataset.quality),
    };
    crate::output::print_stdout(&text)
}

fn render(quality: &[TableQuality]) -> String {
    let mut out = String::new();
    for q in quality {
        let _ = writeln!(
            out,
            "{} ({}, {})\n  rows read {}, loaded {}, quarantined {}",
            q.table, q.file, q.format, q.rows_read, q.rows_loaded, q.rows_quarantined
        );
        if let (Some(c), Some(lo), Some(hi)) = (&q.date_column, &q.date_min, &q.date_max) {
            let _ = writeln!(out, "  {c} from {lo} to {hi}");
        }
        let broken: Vec<String> = q
            .rules
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(r, n)| format!("{r} {n}"))
            .collect();
        if !broken.is_empty() {
            let _ = writeln!(out, "  quarantined by rule: {}", broken.join(", "));
        }
        if q.future_dated_rows > 0 {
            let _ = writeln!(
                out,
                "  warning: {} rows dated after today (loaded; check for typos)",
                q.future_dated_rows
            );
        }
        if !q.repairs.is_empty() {
            let repairs: Vec<String> = q.repairs.iter().map(|(r, n)| format!("{r} {n}")).collect();
            let _ = writeln!(out, "  repairs: {}", repairs.join(", "));
        }
        if !q.absent_columns.is_empty() {
            let _ = writeln!(
                out,
                "  absent (loaded as null): {}",
                q.absent_columns.join(", ")
            );
        }
        if !q.extra_columns.is_empty() {
            let _ = writeln!(out, "  extra columns kept: {}", q.extra_columns.join(", "));
        }
        let complete: Vec<String> = q
            .completeness
            .iter()
            .map(|(c, s)| match s {
                Some(s) => format!("{c} {:.1}%", s * 100.0),
                None => format!("{c} -"),
            })
            .collect();
        if !complete.is_empty() {
            let _ = writeln!(out, "  completeness: {}", complete.join(", "));
        }
        out.push('\n');
    }
    out
}
