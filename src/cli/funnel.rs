//! `soteria funnel`: funnel-plot limits and flags for units in a CSV file.
use super::OutputArgs;
use crate::error::{Result, SoteriaError};
use crate::ingest::read::{numeric_column, read_plain_csv, text_column};
use crate::stats::funnel::funnel;
use clap::Args;
use polars::prelude::*;
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    soteria funnel --input forces.csv --numerator charged --denominator closed --label force\n  \
    soteria funnel --input forces.csv --numerator charged --denominator closed --label force --target 0.05\n  \
    soteria funnel --input forces.csv --numerator charged --denominator closed --label force --overdispersion --format csv --out funnel.csv\n  \
    soteria funnel --input forces.csv --numerator charged --denominator closed --label force --chart funnel.svg --highlight Cleveland")]
pub struct FunnelArgs {
    #[arg(long, value_name = "FILE.csv")]
    pub input: PathBuf,
    #[arg(long, value_name = "COL")]
    pub numerator: String,
    #[arg(long, value_name = "COL")]
    pub denominator: String,
    #[arg(long, value_name = "COL")]
    pub label: String,
    /// Target proportion; default the pooled proportion of all units.
    #[arg(long)]
    pub target: Option<f64>,
    /// Widen the limits for overdispersion (FunnelPlotR's method).
    #[arg(long)]
    pub overdispersion: bool,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Also draw the funnel plot to FILE (.svg or .png).
    #[arg(long, value_name = "FILE.svg|FILE.png")]
    pub chart: Option<PathBuf>,
    /// The unit to pick out on the chart.
    #[arg(long, requires = "chart")]
    pub highlight: Option<String>,
    #[command(flatten)]
    pub labels: super::spc::ChartLabelArgs,
    #[command(flatten)]
    pub size: super::chart::SizeArgs,
}

pub fn run(args: FunnelArgs) -> Result<()> {
    if let Some(t) = args.target
        && !(0.0..=1.0).contains(&t)
    {
        return Err(super::usage("--target is a proportion between 0 and 1"));
    }
    let df = read_plain_csv(&args.input)?;
    let x = numeric_column(&df, &args.input, &args.numerator)?;
    let n = numeric_column(&df, &args.input, &args.denominator)?;
    let labels = text_column(&df, &args.input, &args.label)?;
    let mut units = Vec::new();
    for (i, ((x, n), label)) in x.iter().zip(&n).zip(&labels).enumerate() {
        let row_error = |what: &str| {
            SoteriaError::Other(format!("{}: row {}: {what}", args.input.display(), i + 1))
        };
        let (Some(x), Some(n)) = (x, n) else {
            return Err(row_error("numerator and denominator are needed"));
        };
        if *n <= 0.0 || *x < 0.0 || x > n {
            return Err(row_error(&format!(
                "need 0 <= numerator <= denominator and denominator > 0 (got {x} / {n})"
            )));
        }
        units.push((label.clone().unwrap_or_default(), *x, *n));
    }
    let r = funnel(&units, args.target, args.overdispersion)
        .ok_or_else(|| super::usage("the input has no units"))?;
    let out = DataFrame::new_infer_height(vec![
        Column::new(
            "label".into(),
            r.units.iter().map(|u| u.label.clone()).collect::<Vec<_>>(),
        ),
        Column::new(
            "numerator".into(),
            r.units.iter().map(|u| u.numerator).collect::<Vec<_>>(),
        ),
        Column::new(
            "denominator".into(),
            r.units.iter().map(|u| u.denominator).collect::<Vec<_>>(),
        ),
        Column::new(
            "value".into(),
            r.units.iter().map(|u| u.value).collect::<Vec<_>>(),
        ),
        Column::new(
            "lower95".into(),
            r.units.iter().map(|u| u.lower95).collect::<Vec<_>>(),
        ),
        Column::new(
            "upper95".into(),
            r.units.iter().map(|u| u.upper95).collect::<Vec<_>>(),
        ),
        Column::new(
            "lower998".into(),
            r.units.iter().map(|u| u.lower998).collect::<Vec<_>>(),
        ),
        Column::new(
            "upper998".into(),
            r.units.iter().map(|u| u.upper998).collect::<Vec<_>>(),
        ),
        Column::new(
            "flag".into(),
            r.units.iter().map(|u| u.flag.as_str()).collect::<Vec<_>>(),
        ),
    ])?;
    if let Some(path) = &args.chart {
        crate::charts::Format::of_path(path)?;
        if let Some(h) = &args.highlight
            && !r.units.iter().any(|u| &u.label == h)
        {
            return Err(super::usage(format!(
                "--highlight {h}: no such unit in the input"
            )));
        }
        let chart = crate::charts::Chart::Funnel(crate::charts::funnel::FunnelChart {
            result: r.clone(),
            highlight: args.highlight.clone(),
            measure: format!("{} / {}", args.numerator, args.denominator),
            units: "units".into(),
            denominator: args.denominator.clone(),
            target_label: if args.target.is_some() {
                "Target"
            } else {
                "Pooled proportion"
            }
            .into(),
        });
        let labels = args.labels.labels(
            format!(
                "{} / {} by {}",
                args.numerator, args.denominator, args.label
            ),
            &args.input,
        );
        crate::charts::write(path, &chart, &labels, &args.size.options(&chart))?;
    }
    eprintln!(
        "target {} ({}){}",
        r.target,
        r.method,
        match (r.phi, r.tau2) {
            (Some(phi), Some(tau2)) => format!("; phi {phi:.4}, tau2 {tau2:.6}"),
            _ => String::new(),
        }
    );
    args.output.write(&out)
}
