//! Charts for board papers, drawn with plotters in the embedded font: SVG and PNG from
//! one drawing code, sized in millimetres (A4 text width by default) or pixels, every
//! chart with a title, subtitle, source line and alternative text.
//!
//! A chart is plain data ([`Chart`]); [`build`] makes charts from a dataset, and the
//! `spc` and `funnel` commands make them from any CSV series.
pub mod attrition;
pub mod bars;
pub mod draw;
pub mod font;
pub mod funnel;
pub mod heatmap;
pub mod icons;
pub mod multiples;
pub mod outcomes;
pub mod png;
pub mod pyramid;
pub mod spc;
pub mod trend;

use draw::{Area, INK, OrDraw, SECONDARY, Theme, anchor, text, wrap};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::path::Path;

pub use crate::error::ChartError;

/// Default size: A4 text width (170 mm) by 100 mm.
pub const DEFAULT_WIDTH_MM: f64 = 170.0;
pub const DEFAULT_HEIGHT_MM: f64 = 100.0;
/// Print resolution.
pub const DEFAULT_DPI: f64 = 300.0;
/// The scale of text on a chart sized in pixels, unless a DPI is given.
pub const SCREEN_DPI: f64 = 96.0;
/// Units per inch inside an SVG sized in millimetres: fine enough that positions
/// rounded to whole units do not show.
const SVG_UNITS_PER_INCH: f64 = 144.0;

/// Every kind of chart, as plain data. Charts are made a few at a time, so the size of
/// the larger variants does not matter.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
pub enum Chart {
    Spc(spc::SpcChart),
    Trend(trend::TrendChart),
    Outcomes(outcomes::OutcomesChart),
    Funnel(funnel::FunnelChart),
    Heatmap(heatmap::HeatmapChart),
    Pyramid(pyramid::PyramidChart),
    Attrition(attrition::AttritionChart),
    Bars(bars::BarsChart),
    Multiples(multiples::MultiplesChart),
}

/// The words around a chart.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    pub title: String,
    /// Force, period, offence group and basis.
    pub subtitle: String,
    /// `Source: <force> extract as at <date>; Soteria flight deck definitions v2`.
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Size {
    Mm { width: f64, height: f64 },
    Px { width: u32, height: u32 },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RenderOptions {
    pub size: Size,
    /// PNG resolution, written into the file so that Word places it at its size.
    pub dpi: f64,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            size: Size::Mm {
                width: DEFAULT_WIDTH_MM,
                height: DEFAULT_HEIGHT_MM,
            },
            dpi: DEFAULT_DPI,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Svg,
    Png,
}

impl Format {
    pub fn of_path(path: &Path) -> Result<Format, ChartError> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref()
        {
            Some("svg") => Ok(Format::Svg),
            Some("png") => Ok(Format::Png),
            _ => Err(ChartError::Invalid(format!(
                "{}: a chart file ends in .svg or .png",
                path.display()
            ))),
        }
    }
}

/// Pixel rectangle of the drawing.
#[derive(Debug, Clone, Copy)]
pub struct Rect {
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
}

impl Chart {
    pub fn kind(&self) -> &'static str {
        match self {
            Chart::Spc(_) => "spc",
            Chart::Trend(_) => "trend",
            Chart::Outcomes(_) => "outcomes",
            Chart::Funnel(_) => "funnel",
            Chart::Heatmap(_) => "heatmap",
            Chart::Pyramid(_) => "pyramid",
            Chart::Attrition(_) => "attrition",
            Chart::Bars(_) => "bars",
            Chart::Multiples(_) => "multiples",
        }
    }

    /// One or two sentences saying what the chart shows, for readers who cannot see it.
    pub fn describe(&self) -> String {
        match self {
            Chart::Spc(c) => c.describe(),
            Chart::Trend(c) => c.describe(),
            Chart::Outcomes(c) => c.describe(),
            Chart::Funnel(c) => c.describe(),
            Chart::Heatmap(c) => c.describe(),
            Chart::Pyramid(c) => c.describe(),
            Chart::Attrition(c) => c.describe(),
            Chart::Bars(c) => c.describe(),
            Chart::Multiples(c) => c.describe(),
        }
    }

    fn draw_body<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        th: &Theme,
        body: Rect,
    ) -> Result<(), ChartError> {
        match self {
            Chart::Spc(c) => c.draw(area, th, body),
            Chart::Trend(c) => c.draw(area, th, body),
            Chart::Outcomes(c) => c.draw(area, th, body),
            Chart::Funnel(c) => c.draw(area, th, body),
            Chart::Heatmap(c) => c.draw(area, th, body),
            Chart::Pyramid(c) => c.draw(area, th, body),
            Chart::Attrition(c) => c.draw(area, th, body),
            Chart::Bars(c) => c.draw(area, th, body),
            Chart::Multiples(c) => c.draw(area, th, body),
        }
    }
}

/// The title, the description and the source: what goes beside a PNG and into an SVG.
pub fn alt_text(chart: &Chart, labels: &Labels) -> String {
    let mut s = format!(
        "{}. {}",
        labels.title.trim_end_matches('.'),
        chart.describe()
    );
    if !labels.subtitle.is_empty() {
        s.push_str(&format!(" ({})", labels.subtitle));
    }
    s
}

/// Title and subtitle at the top, the source line at the bottom; returns what is left.
fn draw_frame<DB: DrawingBackend>(
    area: &Area<DB>,
    th: &Theme,
    labels: &Labels,
) -> Result<Rect, ChartError> {
    area.fill(&WHITE).or_draw()?;
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let margin = th.px(8.0);
    let width = w - 2 * margin;
    let mut y = margin;
    let title = th.font(10.5, true, INK);
    for line in wrap(area, &labels.title, &title, width) {
        text(
            area,
            &line,
            (margin, y),
            &title,
            anchor(HPos::Left, VPos::Top),
        )?;
        y += th.px(13.0);
    }
    let subtitle = th.font(8.0, false, SECONDARY);
    for line in wrap(area, &labels.subtitle, &subtitle, width) {
        text(
            area,
            &line,
            (margin, y),
            &subtitle,
            anchor(HPos::Left, VPos::Top),
        )?;
        y += th.px(10.0);
    }
    let source = th.font(6.5, false, SECONDARY);
    let lines = wrap(area, &labels.source, &source, width);
    let mut bottom = h - margin;
    for line in lines.iter().rev() {
        text(
            area,
            line,
            (margin, bottom),
            &source,
            anchor(HPos::Left, VPos::Bottom),
        )?;
        bottom -= th.px(8.0);
    }
    Ok(Rect {
        left: margin,
        top: y + th.px(6.0),
        right: w - margin,
        bottom: bottom - th.px(4.0),
    })
}

fn draw_all<DB: DrawingBackend>(
    area: &Area<DB>,
    th: &Theme,
    chart: &Chart,
    labels: &Labels,
) -> Result<(), ChartError> {
    let body = draw_frame(area, th, labels)?;
    if body.bottom - body.top < th.px(30.0) || body.right - body.left < th.px(60.0) {
        return Err(ChartError::Invalid(
            "the chart is too small for its titles: make it larger".into(),
        ));
    }
    chart.draw_body(area, th, body)
}

/// Small multiples need about 55 mm a row to stay legible; the rest fit 100 mm.
pub fn default_height_mm(chart: &Chart) -> f64 {
    match chart {
        Chart::Multiples(m) => {
            let rows = m.panels.len().div_ceil(m.columns.max(1)) as f64;
            (30.0 + 55.0 * rows).min(250.0)
        }
        Chart::Bars(b) if b.bars.len() > 12 => (40.0 + 6.0 * b.bars.len() as f64).min(250.0),
        _ => DEFAULT_HEIGHT_MM,
    }
}

/// Renders a chart to the bytes of an SVG or PNG file.
pub fn render(
    chart: &Chart,
    labels: &Labels,
    options: &RenderOptions,
    format: Format,
) -> Result<Vec<u8>, ChartError> {
    font::register();
    if !(options.dpi.is_finite() && (36.0..=2400.0).contains(&options.dpi)) {
        return Err(ChartError::Invalid(format!(
            "--dpi {} is outside 36 to 2400",
            options.dpi
        )));
    }
    let (mm, px) = match options.size {
        Size::Mm { width, height } => {
            if !(20.0..=2000.0).contains(&width) || !(20.0..=2000.0).contains(&height) {
                return Err(ChartError::Invalid(format!(
                    "a chart of {width} x {height} mm: each side must be 20 to 2000 mm"
                )));
            }
            (Some((width, height)), None)
        }
        Size::Px { width, height } => {
            if !(100..=20000).contains(&width) || !(100..=20000).contains(&height) {
                return Err(ChartError::Invalid(format!(
                    "a chart of {width} x {height} px: each side must be 100 to 20000 px"
                )));
            }
            (None, Some((width, height)))
        }
    };
    match format {
        Format::Svg => {
            let (size, th) = match (mm, px) {
                (Some((w, h)), _) => (
                    (
                        (w / 25.4 * SVG_UNITS_PER_INCH).round() as u32,
                        (h / 25.4 * SVG_UNITS_PER_INCH).round() as u32,
                    ),
                    Theme {
                        px_per_pt: SVG_UNITS_PER_INCH / 72.0,
                    },
                ),
                (None, Some(p)) => (
                    p,
                    Theme {
                        px_per_pt: options.dpi / 72.0,
                    },
                ),
                _ => unreachable!("a size is either mm or px"),
            };
            let mut svg = String::new();
            {
                let area = SVGBackend::with_string(&mut svg, size).into_drawing_area();
                draw_all(&area, &th, chart, labels)?;
                area.present().or_draw()?;
            }
            Ok(finish_svg(svg, size, mm, chart, labels).into_bytes())
        }
        Format::Png => {
            let (w, h) = match (mm, px) {
                (Some((w, h)), _) => (
                    (w / 25.4 * options.dpi).round() as u32,
                    (h / 25.4 * options.dpi).round() as u32,
                ),
                (None, Some(p)) => p,
                _ => unreachable!("a size is either mm or px"),
            };
            let th = Theme {
                px_per_pt: options.dpi / 72.0,
            };
            let mut rgb = vec![255u8; w as usize * h as usize * 3];
            {
                let area = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
                draw_all(&area, &th, chart, labels)?;
                area.present().or_draw()?;
            }
            let description = alt_text(chart, labels);
            Ok(png::encode(
                &rgb,
                w,
                h,
                options.dpi,
                &[("Title", &labels.title), ("Description", &description)],
            ))
        }
    }
}

/// Physical size, accessible name and description, and a font list with fallbacks.
fn finish_svg(
    svg: String,
    size: (u32, u32),
    mm: Option<(f64, f64)>,
    chart: &Chart,
    labels: &Labels,
) -> String {
    let (w, h) = size;
    let old_open = format!(
        "<svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    let (width, height) = match mm {
        Some((mw, mh)) => (format!("{mw}mm"), format!("{mh}mm")),
        None => (w.to_string(), h.to_string()),
    };
    let new_open = format!(
        "<svg width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"chart-title chart-desc\">\n<title id=\"chart-title\">{}</title>\n<desc id=\"chart-desc\">{}</desc>",
        crate::format::escape_xml(&labels.title),
        crate::format::escape_xml(&alt_text(chart, labels))
    );
    let svg = svg.replacen(&old_open, &new_open, 1).replace(
        &format!("font-family=\"{}\"", font::FAMILY),
        &format!("font-family=\"{}\"", font::SVG_FAMILY),
    );
    rescale_font_sizes(&svg)
}

/// plotters writes an SVG font size of its size / 1.24, while the layout (measured with
/// ab_glyph) used size / 1.15 as the em: scale the sizes so that SVG text is as wide as
/// the PNG's, and round them to two decimals.
fn rescale_font_sizes(svg: &str) -> String {
    const KEY: &str = "font-size=\"";
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(at) = rest.find(KEY) {
        let start = at + KEY.len();
        out.push_str(&rest[..start]);
        let end = rest[start..].find('"').map_or(rest.len(), |e| start + e);
        match rest[start..end].parse::<f64>() {
            Ok(v) => out.push_str(&format!("{:.2}", v * 1.24 / 1.15)),
            Err(_) => out.push_str(&rest[start..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Writes a chart atomically; a PNG gets its alternative text in `FILE.txt` beside it.
pub fn write(
    path: &Path,
    chart: &Chart,
    labels: &Labels,
    options: &RenderOptions,
) -> crate::error::Result<()> {
    let format = Format::of_path(path)?;
    let bytes = render(chart, labels, options, format)?;
    crate::output::write_atomic(path, &bytes)?;
    if format == Format::Png {
        let alt = alt_text(chart, labels) + "\n";
        crate::output::write_atomic(&path.with_extension("txt"), alt.as_bytes())?;
    }
    Ok(())
}
