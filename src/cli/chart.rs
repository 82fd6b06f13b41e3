//! `soteria chart KIND`: one chart of a dataset as SVG or PNG, and the size options
//! shared with `spc --chart`, `funnel --chart` and `gallery`.
use super::DataArgs;
use super::flightdeck::parse_date;
use crate::charts::{
    Chart, DEFAULT_DPI, DEFAULT_WIDTH_MM, RenderOptions, SCREEN_DPI, Size, default_height_mm,
};
use crate::error::Result;
use crate::figures::{ChartRequest, Kind, chart, place_annotations, read_annotations};
use crate::util::Month;
use crate::util::chrono_lite::Date;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Clone, Args)]
pub struct SizeArgs {
    /// Width in millimetres (default 170, the text width of A4).
    #[arg(long, value_name = "MM", conflicts_with_all = ["width_px", "height_px"])]
    pub width_mm: Option<f64>,
    /// Height in millimetres (default 100; small multiples grow with their rows).
    #[arg(long, value_name = "MM", conflicts_with_all = ["width_px", "height_px"])]
    pub height_mm: Option<f64>,
    /// Width in pixels (with --height-px), instead of millimetres.
    #[arg(long, value_name = "PX", requires = "height_px")]
    pub width_px: Option<u32>,
    #[arg(long, value_name = "PX", requires = "width_px")]
    pub height_px: Option<u32>,
    /// Resolution in dots per inch: of a PNG sized in millimetres (default 300, for
    /// print), and the scale of text on a chart sized in pixels (default 96, a screen).
    #[arg(long, value_name = "N")]
    pub dpi: Option<f64>,
}

impl SizeArgs {
    /// The render options, with a height that suits the chart when none was given.
    pub fn options(&self, chart: &Chart) -> RenderOptions {
        let size = match (self.width_px, self.height_px) {
            (Some(width), Some(height)) => Size::Px { width, height },
            _ => Size::Mm {
                width: self.width_mm.unwrap_or(DEFAULT_WIDTH_MM),
                height: self.height_mm.unwrap_or_else(|| default_height_mm(chart)),
            },
        };
        let dpi = self.dpi.unwrap_or(match size {
            Size::Px { .. } => SCREEN_DPI,
            Size::Mm { .. } => DEFAULT_DPI,
        });
        RenderOptions { size, dpi }
    }
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    soteria chart spc --indicator charge_rate_closed --group rape --target 0.08 --out spc.svg\n  \
    soteria chart spc --indicator outcome16_share --annotations interventions.csv --out spc.png --dpi 300\n  \
    soteria chart spc --indicator charge_rate_closed --targets targets.toml --out spc.svg\n  \
    soteria chart trend --indicator recorded --from 2022-01 --to 2024-12 --out recorded.png\n  \
    soteria chart trend --indicator charge_rate_closed --no-rolling --no-interval --out plain.svg\n  \
    soteria chart outcomes --dimension quarter --shares --out outcomes.svg\n  \
    soteria chart funnel --indicator charge_rate_closed --from 2024-01 --to 2024-12 --out funnel.svg\n  \
    soteria chart heatmap --from 2024-01 --to 2024-12 --out heatmap.png\n  \
    soteria chart pyramid --dimension suspects --out suspects.svg\n  \
    soteria chart attrition --group rape --out attrition.svg\n  \
    soteria chart bars --dimension relationship --out relationship.svg\n  \
    soteria chart multiples --dimension 3 --width-mm 170 --height-mm 230 --out pillar3.png\n\n\
    --dimension means: bars, a profile dimension (relationship, location_type, area, ...);\n\
    pyramid, victims or suspects; funnel, area (default) or force; outcomes, month or quarter;\n\
    multiples, the pillar (1-6). Annotations are a CSV of date,label (YYYY-MM-DD or YYYY-MM).\n\
    A PNG gets its alternative text in a .txt file beside it; an SVG carries it inside.")]
pub struct ChartArgs {
    /// The kind of chart.
    #[arg(value_enum)]
    pub kind: Kind,
    #[command(flatten)]
    pub data: DataArgs,
    /// Indicator id for spc, trend and funnel (default charge_rate_closed).
    #[arg(long, value_name = "ID")]
    pub indicator: Option<String>,
    /// The force (needed when the dataset has several).
    #[arg(long)]
    pub force: Option<String>,
    /// Offence group: all, rape or other_sexual.
    #[arg(long, value_enum, default_value = "all")]
    pub group: crate::schema::OffenceGroup,
    /// First month (default: 36 months back for spc, trend and multiples, 24 for
    /// outcomes, 12 for the rest).
    #[arg(long, value_name = "YYYY-MM", value_parser = super::parse_month)]
    pub from: Option<Month>,
    /// Last month (default: the month of the as-at date).
    #[arg(long, value_name = "YYYY-MM", value_parser = super::parse_month)]
    pub to: Option<Month>,
    #[arg(long, value_name = "NAME")]
    pub dimension: Option<String>,
    /// Target line (spc, with the assurance icon) or funnel centre line.
    #[arg(long)]
    pub target: Option<f64>,
    /// CSV of date,label notes drawn on an spc chart.
    #[arg(long, value_name = "FILE.csv")]
    pub annotations: Option<PathBuf>,
    /// TOML of targets, process changes (rebased limits) and window overrides, as for
    /// `flightdeck` (spc, multiples).
    #[arg(long, value_name = "FILE.toml")]
    pub targets: Option<PathBuf>,
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_at: Option<Date>,
    /// outcomes: shares of each period's closed crimes instead of counts.
    #[arg(long)]
    pub shares: bool,
    /// funnel: widen the limits for overdispersion (FunnelPlotR's method).
    #[arg(long)]
    pub overdispersion: bool,
    /// trend: no rolling 12-month line.
    #[arg(long)]
    pub no_rolling: bool,
    /// trend: no 95% interval band.
    #[arg(long)]
    pub no_interval: bool,
    #[command(flatten)]
    pub size: SizeArgs,
    /// The chart file: .svg or .png.
    #[arg(long, value_name = "FILE.svg|FILE.png")]
    pub out: PathBuf,
}

pub fn run(args: ChartArgs) -> Result<()> {
    crate::charts::Format::of_path(&args.out)?;
    let dataset = args.data.load()?;
    let request = ChartRequest {
        indicator: args.indicator.clone(),
        force: args.force.clone(),
        group: args.group,
        from: args.from,
        to: args.to,
        dimension: args.dimension.clone(),
        target: args.target,
        annotations: match &args.annotations {
            Some(p) => read_annotations(p)?,
            None => Vec::new(),
        },
        targets: crate::indicators::Targets::from_optional_file(args.targets.as_deref())?,
        as_at: args.as_at,
        shares: args.shares,
        overdispersion: args.overdispersion,
        no_rolling: args.no_rolling,
        no_interval: args.no_interval,
        ..ChartRequest::new(args.kind)
    };
    let (chart, labels) = chart(&dataset, &request)?;
    if let Chart::Spc(c) = &chart {
        super::spc::warn_outside(&place_annotations(&c.periods, &request.annotations).1);
    }
    crate::charts::write(&args.out, &chart, &labels, &args.size.options(&chart))?;
    eprintln!("soteria: wrote {}", args.out.display());
    Ok(())
}
