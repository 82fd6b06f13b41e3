//! `soteria stats`: intervals, tests of change and attribute control charts for any
//! numbers an analyst brings.
use super::OutputArgs;
use crate::error::Result;
use crate::ingest::read::{numeric_column, read_plain_csv};
use crate::output::OutputFormat;
use crate::stats::change::{chi_square_2xk, two_proportion};
use crate::stats::control::{AttributeChart, attribute_chart};
use crate::stats::intervals::{CiMethod, interval};
use clap::{Args, Subcommand};
use polars::prelude::*;
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    soteria stats ci --x 12 --n 240\n  \
    soteria stats change --x1 45 --n1 610 --x2 30 --n2 590\n  \
    soteria stats chisq --current 10,40,25,5 --previous 12,30,30,9\n  \
    soteria stats control --kind p --input monthly.csv --numerator charged --denominator closed")]
pub struct StatsArgs {
    #[command(subcommand)]
    pub command: StatsCommand,
}

#[derive(Debug, Subcommand)]
pub enum StatsCommand {
    /// Confidence interval for a proportion x/n or a count x.
    #[command(after_help = "Examples:\n  \
        soteria stats ci --x 12 --n 240\n  \
        soteria stats ci --method clopper-pearson --x 3 --n 40 --format json\n  \
        soteria stats ci --method poisson --x 7\n  \
        soteria stats ci --method byar --x 125 --level 0.998")]
    Ci(CiArgs),
    /// Two-proportion z-test: has x1/n1 changed from x2/n2? (R: prop.test(correct = FALSE))
    #[command(after_help = "Example:\n  soteria stats change --x1 45 --n1 610 --x2 30 --n2 590")]
    Change(ChangeArgs),
    /// Chi-square test that a distribution of counts differs between two periods.
    #[command(
        after_help = "Example (age bands this year vs last):\n  soteria stats chisq --current 10,40,25,5 --previous 12,30,30,9"
    )]
    Chisq(ChisqArgs),
    /// p-chart or u-chart limits for proportions or rates with varying denominators.
    #[command(after_help = "Examples:\n  \
        soteria stats control --kind p --input monthly.csv --numerator charged --denominator closed\n  \
        soteria stats control --kind u --laney --input monthly.csv --numerator offences --denominator population")]
    Control(ControlArgs),
}

#[derive(Debug, Args)]
pub struct CiArgs {
    #[arg(long, value_enum, default_value = "wilson")]
    pub method: CiMethod,
    /// The numerator (or the count).
    #[arg(long)]
    pub x: f64,
    /// The denominator, for proportions.
    #[arg(long)]
    pub n: Option<f64>,
    #[arg(long, default_value_t = 0.95)]
    pub level: f64,
    #[arg(long, default_value = "table", value_parser = OutputFormat::only(OutputFormat::TEXT_OR_JSON))]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct ChangeArgs {
    #[arg(long)]
    pub x1: f64,
    #[arg(long)]
    pub n1: f64,
    #[arg(long)]
    pub x2: f64,
    #[arg(long)]
    pub n2: f64,
    #[arg(long, default_value_t = 0.95)]
    pub level: f64,
    #[arg(long, default_value = "table", value_parser = OutputFormat::only(OutputFormat::TEXT_OR_JSON))]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct ChisqArgs {
    /// Counts in the current period, comma-separated.
    #[arg(long, value_delimiter = ',', required = true)]
    pub current: Vec<f64>,
    /// Counts in the previous period, same categories and order.
    #[arg(long, value_delimiter = ',', required = true)]
    pub previous: Vec<f64>,
    #[arg(long, default_value = "table", value_parser = OutputFormat::only(OutputFormat::TEXT_OR_JSON))]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct ControlArgs {
    #[arg(long, value_enum)]
    pub kind: AttributeChart,
    #[arg(long, value_name = "FILE.csv")]
    pub input: PathBuf,
    #[arg(long, value_name = "COL")]
    pub numerator: String,
    #[arg(long, value_name = "COL")]
    pub denominator: String,
    /// Laney's p'/u' adjustment for overdispersion with large denominators.
    #[arg(long)]
    pub laney: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

fn level_ok(level: f64) -> Result<()> {
    if level > 0.0 && level < 1.0 {
        Ok(())
    } else {
        Err(super::usage(format!(
            "--level {level}: must be between 0 and 1"
        )))
    }
}

fn print_json_or_table(
    format: OutputFormat,
    value: &impl serde::Serialize,
    table: String,
) -> Result<()> {
    crate::output::print_stdout(&match format {
        OutputFormat::Json => format!(
            "{}\n",
            serde_json::to_value(value).expect("a statistic serialises")
        ),
        _ => table,
    })
}

pub fn run(args: StatsArgs) -> Result<()> {
    match args.command {
        StatsCommand::Ci(a) => {
            level_ok(a.level)?;
            let needs_n = matches!(a.method, CiMethod::Wilson | CiMethod::ClopperPearson);
            if needs_n && a.n.is_none() {
                return Err(super::usage(
                    "--n is required for a proportion (wilson, clopper-pearson)",
                ));
            }
            let i = interval(a.method, a.x, a.n, a.level).ok_or_else(|| {
                super::usage(match a.n {
                    Some(n) => format!(
                        "no interval for x = {} and n = {n}: need 0 <= x <= n and n > 0",
                        a.x
                    ),
                    None => format!("no interval for x = {}: need x >= 0", a.x),
                })
            })?;
            let table = format!(
                "estimate {}\nlower    {}\nupper    {}\nmethod   {}\n",
                fmt(i.estimate),
                fmt(i.lower),
                fmt(i.upper),
                i.method
            );
            print_json_or_table(a.format, &i, table)?;
        }
        StatsCommand::Change(a) => {
            level_ok(a.level)?;
            let t = two_proportion(a.x1, a.n1, a.x2, a.n2, a.level)
                .ok_or_else(|| super::usage("need positive denominators and some variation"))?;
            let table = format!(
                "difference {}\n{:.0}% interval {} to {}\nz {}\np_value {}\nmethod two-proportion z-test (pooled), Wald interval\n",
                fmt(t.difference),
                a.level * 100.0,
                fmt(t.lower),
                fmt(t.upper),
                fmt(t.z),
                fmt(t.p_value)
            );
            print_json_or_table(a.format, &t, table)?;
        }
        StatsCommand::Chisq(a) => {
            if a.current.len() != a.previous.len() {
                return Err(super::usage(
                    "--current and --previous need the same number of categories",
                ));
            }
            let t = chi_square_2xk(&a.current, &a.previous).ok_or_else(|| {
                super::usage("need counts in both periods and at least two categories")
            })?;
            let table = format!(
                "statistic {}\ndf {}\np_value {}\n",
                fmt(t.statistic),
                t.df,
                fmt(t.p_value)
            );
            print_json_or_table(a.format, &t, table)?;
        }
        StatsCommand::Control(a) => {
            let df = read_plain_csv(&a.input)?;
            let x = numeric_column(&df, &a.input, &a.numerator)?;
            let n = numeric_column(&df, &a.input, &a.denominator)?;
            let mut data = Vec::new();
            for (i, (x, n)) in x.iter().zip(&n).enumerate() {
                match (x, n) {
                    (Some(x), Some(n)) if *n > 0.0 => data.push((*x, *n)),
                    _ => {
                        return Err(crate::error::SoteriaError::Other(format!(
                            "{}: row {}: numerator and a positive denominator are needed",
                            a.input.display(),
                            i + 1
                        )));
                    }
                }
            }
            let r = attribute_chart(a.kind, &data, a.laney)
                .ok_or_else(|| super::usage("the input has no rows"))?;
            let out = DataFrame::new_infer_height(vec![
                Column::new(
                    "numerator".into(),
                    data.iter().map(|d| d.0).collect::<Vec<_>>(),
                ),
                Column::new(
                    "denominator".into(),
                    data.iter().map(|d| d.1).collect::<Vec<_>>(),
                ),
                Column::new(
                    "value".into(),
                    r.points.iter().map(|p| p.value).collect::<Vec<_>>(),
                ),
                Column::new(
                    "centre".into(),
                    r.points.iter().map(|p| p.centre).collect::<Vec<_>>(),
                ),
                Column::new(
                    "lcl".into(),
                    r.points.iter().map(|p| p.lcl).collect::<Vec<_>>(),
                ),
                Column::new(
                    "ucl".into(),
                    r.points.iter().map(|p| p.ucl).collect::<Vec<_>>(),
                ),
                Column::new(
                    "outside".into(),
                    r.points.iter().map(|p| p.outside).collect::<Vec<_>>(),
                ),
            ])?;
            eprintln!("centre {}; sigma_z {}", fmt(r.centre), fmt(r.sigma_z));
            a.output.write(&out)?;
        }
    }
    Ok(())
}

fn fmt(v: f64) -> String {
    format!("{v:.10}")
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_string()
}
