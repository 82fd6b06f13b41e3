//! The drawing kit every chart shares: sizes in points scaled to the output, the palette,
//! text with wrapping, a panel that maps data to pixels, nice axis ticks and number
//! formats. Charts draw plotters elements through it, so SVG and PNG come from one code.
use super::ChartError;
use super::font::FAMILY;
use crate::format::*;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// GOV.UK text colours and chart furniture.
pub const INK: RGBColor = RGBColor(0x0B, 0x0C, 0x0C);
pub const SECONDARY: RGBColor = RGBColor(0x50, 0x5A, 0x5F);
pub const GRID: RGBColor = RGBColor(0xE1, 0xE3, 0xE5);
pub const AXIS: RGBColor = RGBColor(0x6F, 0x77, 0x7B);
pub const BAND: RGBColor = RGBColor(0xC8, 0xD8, 0xE6);

/// The Government Analysis Function categorical palette, in its order (dark blue,
/// turquoise, dark pink, orange, dark grey, light purple): distinguishable for the common
/// colour-vision deficiencies, and never red against green.
pub const CATEGORICAL: [RGBColor; 6] = [
    RGBColor(0x12, 0x43, 0x6D),
    RGBColor(0x28, 0xA1, 0x97),
    RGBColor(0x80, 0x16, 0x50),
    RGBColor(0xF4, 0x6A, 0x25),
    RGBColor(0x3D, 0x3D, 0x3D),
    RGBColor(0xA2, 0x85, 0xD1),
];

/// Making Data Count colours, as NHS-R `NHSRplotthedots` draws them.
pub const SPC_COMMON: RGBColor = RGBColor(0x7B, 0x7D, 0x7D);
pub const SPC_IMPROVEMENT: RGBColor = RGBColor(0x28, 0x9D, 0xE0);
pub const SPC_CONCERN: RGBColor = RGBColor(0xFA, 0xB4, 0x28);
pub const SPC_NEUTRAL: RGBColor = RGBColor(0x36, 0x14, 0x75);

pub fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// Lets plotters' errors (whose types depend on the backend) leave as [`ChartError`].
pub trait OrDraw<T> {
    fn or_draw(self) -> Result<T, ChartError>;
}

impl<T, E: std::fmt::Display> OrDraw<T> for Result<T, E> {
    fn or_draw(self) -> Result<T, ChartError> {
        self.map_err(|e| ChartError::Draw(e.to_string()))
    }
}

pub type Area<DB> = DrawingArea<DB, Shift>;

/// Sizes are designed in points (1/72 inch) and scaled to pixels of the output.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub px_per_pt: f64,
}

impl Theme {
    pub fn px(&self, pt: f64) -> i32 {
        (pt * self.px_per_pt).round() as i32
    }

    pub fn pxf(&self, pt: f64) -> f64 {
        pt * self.px_per_pt
    }

    /// Text of `pt` points: plotters' size is the font's ascent-to-descent height, about
    /// 1.15 em for Liberation Sans.
    pub fn font(&self, pt: f64, bold: bool, color: RGBColor) -> TextStyle<'static> {
        let size = self.pxf(pt) * 1.15;
        let style = if bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        let mut text = TextStyle::from((FAMILY, size, style).into_font());
        text.color = color.to_backend_color();
        text
    }

    pub fn line(&self, color: RGBColor, width_pt: f64) -> ShapeStyle {
        ShapeStyle {
            color: color.to_rgba(),
            filled: false,
            stroke_width: (self.pxf(width_pt).round() as u32).max(1),
        }
    }
}

/// Anchors for text: horizontal then vertical.
pub fn anchor(h: HPos, v: VPos) -> Pos {
    Pos::new(h, v)
}

pub fn text<DB: DrawingBackend>(
    area: &Area<DB>,
    s: &str,
    at: (i32, i32),
    style: &TextStyle<'static>,
    pos: Pos,
) -> Result<(), ChartError> {
    area.draw(&Text::new(s.to_string(), at, style.pos(pos)))
        .or_draw()
}

pub fn text_width<DB: DrawingBackend>(area: &Area<DB>, s: &str, style: &TextStyle<'static>) -> i32 {
    area.estimate_text_size(s, style)
        .map(|(w, _)| w as i32)
        .unwrap_or((s.len() as f64 * style.font.get_size() * 0.5) as i32)
}

/// Greedy word wrap to `width` pixels.
pub fn wrap<DB: DrawingBackend>(
    area: &Area<DB>,
    s: &str,
    style: &TextStyle<'static>,
    width: i32,
) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && text_width(area, &candidate, style) > width {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

pub fn solid_line<DB: DrawingBackend>(
    area: &Area<DB>,
    points: Vec<(i32, i32)>,
    style: ShapeStyle,
) -> Result<(), ChartError> {
    area.draw(&PathElement::new(points, style)).or_draw()
}

pub fn dashed_line<DB: DrawingBackend>(
    area: &Area<DB>,
    th: &Theme,
    from: (i32, i32),
    to: (i32, i32),
    style: ShapeStyle,
) -> Result<(), ChartError> {
    area.draw(&DashedPathElement::new(
        vec![from, to],
        th.px(3.0),
        th.px(2.0),
        style,
    ))
    .or_draw()
}

pub fn rect<DB: DrawingBackend>(
    area: &Area<DB>,
    a: (i32, i32),
    b: (i32, i32),
    color: RGBColor,
) -> Result<(), ChartError> {
    area.draw(&Rectangle::new([a, b], color.filled())).or_draw()
}

/// A rectangle of the drawing in pixels with linear scales for x and y.
#[derive(Debug, Clone, Copy)]
pub struct Panel {
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
    pub x_min: f64,
    pub x_max: f64,
    pub y_min: f64,
    pub y_max: f64,
}

impl Panel {
    pub fn x(&self, v: f64) -> i32 {
        let t = (v - self.x_min) / (self.x_max - self.x_min);
        (self.left as f64 + t * (self.right - self.left) as f64).round() as i32
    }

    pub fn y(&self, v: f64) -> i32 {
        let t = (v - self.y_min) / (self.y_max - self.y_min);
        (self.bottom as f64 - t * (self.bottom - self.top) as f64).round() as i32
    }

    pub fn width(&self) -> i32 {
        self.right - self.left
    }

    pub fn height(&self) -> i32 {
        self.bottom - self.top
    }
}

/// Ticks at 1, 2, 2.5 or 5 x 10^k covering [lo, hi], about `target` of them.
pub fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else if lo == 0.0 {
        (0.0, 1.0)
    } else {
        (lo - lo.abs() * 0.1, hi + hi.abs() * 0.1)
    };
    let raw = (hi - lo) / target.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let first = (lo / step).floor() as i64;
    let last = (hi / step).ceil() as i64;
    (first..=last)
        .map(|i| {
            let v = i as f64 * step;
            // Snap away floating noise such as 0.15000000000000002: a quotient of two
            // exact integers is the double nearest the decimal.
            (v * 1e12).round() / 1e12
        })
        .collect()
}

/// A tick on the x axis at `x` with its label centred at `label_x` below it.
pub fn x_tick<DB: DrawingBackend>(
    area: &Area<DB>,
    th: &Theme,
    panel: &Panel,
    (x, label_x): (i32, i32),
    label: &str,
    style: &TextStyle<'static>,
) -> Result<(), ChartError> {
    solid_line(
        area,
        vec![(x, panel.bottom), (x, panel.bottom + th.px(2.0))],
        th.line(AXIS, 0.6),
    )?;
    text(
        area,
        label,
        (label_x, panel.bottom + th.px(3.0)),
        style,
        anchor(HPos::Center, VPos::Top),
    )
}

/// The distance between two ticks (1 for a single tick).
pub fn tick_step(ticks: &[f64]) -> f64 {
    if ticks.len() > 1 {
        ticks[1] - ticks[0]
    } else {
        1.0
    }
}

/// The width of the widest tick label, to size the margin left of a panel.
pub fn tick_label_width<DB: DrawingBackend>(
    area: &Area<DB>,
    th: &Theme,
    ticks: &[f64],
    format: ValueFormat,
    pt: f64,
) -> i32 {
    let style = th.font(pt, false, SECONDARY);
    let step = tick_step(ticks);
    ticks
        .iter()
        .map(|t| text_width(area, &format.tick(*t, step), &style))
        .max()
        .unwrap_or(0)
}

/// How a legend entry is marked.
#[derive(Debug, Clone, Copy)]
pub enum Key {
    Block(RGBColor),
    /// An outlined square, for points drawn hollow.
    Hollow(RGBColor),
    Line(RGBColor),
    Dashed(RGBColor),
}

/// A row of legend entries starting at `(x, y)` (y is the middle of the row).
pub fn legend<DB: DrawingBackend>(
    area: &Area<DB>,
    th: &Theme,
    (mut x, y): (i32, i32),
    entries: &[(Key, &str)],
) -> Result<(), ChartError> {
    let style = th.font(6.5, false, SECONDARY);
    for (key, label) in entries {
        match key {
            Key::Block(c) => {
                rect(
                    area,
                    (x, y - th.px(3.0)),
                    (x + th.px(6.0), y + th.px(3.0)),
                    *c,
                )?;
                x += th.px(9.0);
            }
            Key::Hollow(c) => {
                let (l, t, r, b) = (x, y - th.px(3.0), x + th.px(6.0), y + th.px(3.0));
                solid_line(
                    area,
                    vec![(l, t), (r, t), (r, b), (l, b), (l, t)],
                    th.line(*c, 0.9),
                )?;
                x += th.px(9.0);
            }
            Key::Line(c) => {
                solid_line(area, vec![(x, y), (x + th.px(10.0), y)], th.line(*c, 1.2))?;
                x += th.px(13.0);
            }
            Key::Dashed(c) => {
                dashed_line(area, th, (x, y), (x + th.px(10.0), y), th.line(*c, 0.8))?;
                x += th.px(13.0);
            }
        }
        text(
            area,
            label,
            (x, y),
            &style,
            anchor(HPos::Left, VPos::Center),
        )?;
        x += text_width(area, label, &style) + th.px(9.0);
    }
    Ok(())
}

/// Horizontal grid lines and value labels on the left of a panel.
pub fn y_axis<DB: DrawingBackend>(
    area: &Area<DB>,
    th: &Theme,
    panel: &Panel,
    ticks: &[f64],
    format: ValueFormat,
) -> Result<(), ChartError> {
    let step = tick_step(ticks);
    let style = th.font(7.0, false, SECONDARY);
    for &t in ticks {
        let y = panel.y(t);
        solid_line(
            area,
            vec![(panel.left, y), (panel.right, y)],
            th.line(GRID, 0.5),
        )?;
        text(
            area,
            &format.tick(t, step),
            (panel.left - th.px(3.0), y),
            &style,
            anchor(HPos::Right, VPos::Center),
        )?;
    }
    Ok(())
}

/// Month labels under a panel whose x is the index of `periods`: every January with
/// its year for long series, every quarter or month for short ones.
pub fn month_axis<DB: DrawingBackend>(
    area: &Area<DB>,
    th: &Theme,
    panel: &Panel,
    periods: &[String],
    compact: bool,
) -> Result<(), ChartError> {
    let style = th.font(if compact { 6.0 } else { 7.0 }, false, SECONDARY);
    solid_line(
        area,
        vec![(panel.left, panel.bottom), (panel.right, panel.bottom)],
        th.line(AXIS, 0.6),
    )?;
    let n = periods.len();
    let months: Vec<Option<crate::util::Month>> = periods
        .iter()
        .map(|p| crate::util::Month::parse(p))
        .collect();
    // Enough room for a label every `every` points.
    let label_px = text_width(area, "Sep 2024", &style) + th.px(4.0);
    let per_point = panel.width() as f64 / n.max(1) as f64;
    let every = [1usize, 2, 3, 6, 12, 24, 36, 60]
        .into_iter()
        .find(|k| per_point * *k as f64 >= label_px as f64)
        .unwrap_or(120);
    for (i, m) in months.iter().enumerate() {
        let show = match m {
            Some(m) if every >= 12 => m.month == 1 && (m.year as usize).is_multiple_of(every / 12),
            Some(m) => (m.month as usize - 1).is_multiple_of(every),
            None => i.is_multiple_of(every),
        };
        let x = panel.x(i as f64);
        if show {
            // Keep the first label clear of the value labels left of the panel; a label
            // moved so far that it would touch the next one is left out instead.
            let half = text_width(area, &month_short(&periods[i]), &style) / 2;
            let label_x = x.max(panel.left - th.px(1.0) + half);
            let next_left = x + (per_point * every as f64).round() as i32 - half;
            if label_x != x && i + every < n && label_x + half + th.px(2.0) > next_left {
                continue;
            }
            x_tick(
                area,
                th,
                panel,
                (x, label_x),
                &month_short(&periods[i]),
                &style,
            )?;
        }
    }
    Ok(())
}

/// The value axis title, written across the top left of a panel above its tick labels
/// (easier to read than rotated); the caller leaves 10 pt above the panel for it.
pub fn y_title<DB: DrawingBackend>(
    area: &Area<DB>,
    th: &Theme,
    left: i32,
    panel: &Panel,
    title: &str,
) -> Result<(), ChartError> {
    text(
        area,
        title,
        (left, panel.top - th.px(5.0)),
        &th.font(7.0, false, SECONDARY),
        anchor(HPos::Left, VPos::Bottom),
    )
}

/// The padded range of some values, with zero included when `from_zero`.
pub fn value_range(values: impl IntoIterator<Item = f64>, from_zero: bool) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for v in values.into_iter().filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    if from_zero {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    if hi <= lo {
        hi = lo + if lo == 0.0 { 1.0 } else { lo.abs() * 0.2 };
    }
    (lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(nice_ticks(0.0, 0.161, 5), vec![0.0, 0.05, 0.1, 0.15, 0.2]);
        assert_eq!(
            nice_ticks(3.0, 97.0, 5),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        let t = nice_ticks(-0.0099, 0.1607, 5);
        assert!(t[0] <= -0.0099 && *t.last().unwrap() >= 0.1607);
        assert!(nice_ticks(5.0, 5.0, 4).len() > 1);
    }

    #[test]
    fn formats() {
        assert_eq!(ValueFormat::Percent.label(0.0612), "6.1%");
        assert_eq!(ValueFormat::Percent.tick(0.05, 0.05), "5%");
        assert_eq!(ValueFormat::Percent.tick(0.025, 0.025), "2.5%");
        assert_eq!(ValueFormat::Count.label(12345.0), "12,345");
        assert_eq!(ValueFormat::Days.label(42.5), "42.5 days");
        assert_eq!(ValueFormat::Days.label(42.0), "42 days");
        assert_eq!(thousands(-1234567), "-1,234,567");
        assert_eq!(month_short("2024-09"), "Sep 2024");
        assert_eq!(month_long("2024-09"), "September 2024");
        assert_eq!(month_short("Q1"), "Q1");
    }
}
