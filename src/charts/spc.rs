//! The XmR chart as Making Data Count draws it: points coloured by their SPC type, the
//! mean and process limits labelled with their values, an optional target and dated
//! annotations, and the variation (and assurance) icon in the corner.
use super::draw::*;
use super::{ChartError, Rect};
use crate::stats::spc::{
    Assurance, PointType, Polarity, SpcOptions, SpcResult, VariationIcon, xmr,
};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// A dated note on the chart: an intervention or event.
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    /// Index of the point (period) it belongs to.
    pub index: usize,
    pub label: String,
}

#[derive(Debug, Clone)]
pub struct SpcChart {
    /// One label per point, usually `YYYY-MM`.
    pub periods: Vec<String>,
    pub result: SpcResult,
    pub polarity: Polarity,
    pub target: Option<f64>,
    pub annotations: Vec<Annotation>,
    pub format: ValueFormat,
    /// What is measured, in words, for the description (e.g. "the rape charge rate").
    pub measure: String,
}

/// Point radius in points; the tests find points by it.
pub const POINT_RADIUS_PT: f64 = 2.2;

pub fn point_colour(t: PointType) -> RGBColor {
    match t {
        PointType::Improvement => SPC_IMPROVEMENT,
        PointType::Concern => SPC_CONCERN,
        PointType::NeutralHigh | PointType::NeutralLow => SPC_NEUTRAL,
        PointType::CommonCause => SPC_COMMON,
    }
}

/// The variation icon in words.
pub fn icon_words(icon: VariationIcon) -> &'static str {
    match icon {
        VariationIcon::CommonCause => "common cause variation",
        VariationIcon::ImprovementHigh => "special cause improvement (high)",
        VariationIcon::ImprovementLow => "special cause improvement (low)",
        VariationIcon::ConcernHigh => "special cause concern (high)",
        VariationIcon::ConcernLow => "special cause concern (low)",
        VariationIcon::NeutralHigh => "special cause variation, neither good nor bad (high)",
        VariationIcon::NeutralLow => "special cause variation, neither good nor bad (low)",
    }
}

pub fn assurance_words(a: Assurance) -> &'static str {
    match a {
        Assurance::ConsistentlyPassing => "consistently passing the target",
        Assurance::ConsistentlyFailing => "consistently failing the target",
        Assurance::HitAndMiss => "hit and miss: the target lies within the limits",
    }
}

impl SpcChart {
    /// The chart of `values` (one per period); `None` for an empty series.
    pub fn new(
        periods: Vec<String>,
        values: &[f64],
        options: &SpcOptions,
        format: ValueFormat,
        measure: impl Into<String>,
    ) -> Option<SpcChart> {
        let result = xmr(values, options)?;
        Some(SpcChart {
            periods,
            result,
            polarity: options.polarity,
            target: options.target,
            annotations: Vec::new(),
            format,
            measure: measure.into(),
        })
    }

    fn limits(&self) -> (Option<f64>, Option<f64>) {
        let p = self.result.points.first();
        (p.and_then(|p| p.lpl), p.and_then(|p| p.upl))
    }

    /// Measures that cannot go below zero keep the axis at zero.
    fn non_negative(&self) -> bool {
        !matches!(self.format, ValueFormat::Decimal(_))
            && self.result.points.iter().all(|p| p.value >= 0.0)
    }

    pub fn describe(&self) -> String {
        let f = self.format;
        let n = self.result.points.len();
        let first = self
            .periods
            .first()
            .map(|p| month_long(p))
            .unwrap_or_default();
        let last_period = self
            .periods
            .last()
            .map(|p| month_long(p))
            .unwrap_or_default();
        let mut s = format!(
            "XmR chart of {} over {n} points from {first} to {last_period}. The mean is {}",
            self.measure,
            f.label(self.result.mean)
        );
        match self.limits() {
            (Some(lpl), Some(upl)) => {
                s.push_str(&format!(
                    " with process limits from {} to {}",
                    f.label(lpl),
                    f.label(upl)
                ));
            }
            _ => s.push_str(" (too few points for limits)"),
        }
        if let (Some(last), Some(icon)) = (self.result.points.last(), self.result.icon) {
            s.push_str(&format!(
                "; the latest value, {}, shows {}.",
                f.label(last.value),
                icon_words(icon)
            ));
        } else {
            s.push('.');
        }
        let special = self
            .result
            .points
            .iter()
            .filter(|p| p.point_type != PointType::CommonCause)
            .count();
        if special > 0 {
            s.push_str(&format!(
                " {special} of the {n} points {} special cause variation.",
                if special == 1 { "shows" } else { "show" }
            ));
        }
        if let (Some(t), Some(a)) = (self.target, self.result.assurance) {
            s.push_str(&format!(
                " Against the target of {}, the process is {}.",
                f.label(t),
                assurance_words(a)
            ));
        }
        s
    }

    /// Draws into `body`; `compact` for a small multiple (no legend, no limit labels).
    pub fn draw_in<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        th: &Theme,
        body: Rect,
        compact: bool,
    ) -> Result<(), ChartError> {
        let f = self.format;
        let (lpl, upl) = self.limits();
        let values: Vec<f64> = self.result.points.iter().map(|p| p.value).collect();
        let mut range_values = values.clone();
        range_values.push(self.result.mean);
        range_values.extend(upl);
        range_values.extend(lpl);
        range_values.extend(self.target);
        let (mut lo, hi) = value_range(range_values, false);
        if self.non_negative() {
            lo = lo.max(0.0);
        }
        let ticks = nice_ticks(lo, hi, if compact { 3 } else { 5 });
        let widest = tick_label_width(area, th, &ticks, f, if compact { 6.0 } else { 7.0 });
        let top_strip = if compact { th.px(4.0) } else { th.px(24.0) };
        let right_labels = if compact { th.px(4.0) } else { th.px(52.0) };
        let n = values.len();
        let panel = Panel {
            left: body.left + widest + th.px(5.0),
            top: body.top + top_strip,
            right: body.right - right_labels,
            bottom: body.bottom - th.px(if compact { 10.0 } else { 13.0 }),
            x_min: -0.5,
            x_max: n as f64 - 0.5,
            y_min: ticks[0],
            y_max: *ticks.last().expect("ticks are never empty"),
        };
        y_axis(area, th, &panel, &ticks, f)?;
        if !compact {
            y_title(area, th, body.left, &panel, f.axis_title())?;
        }
        month_axis(area, th, &panel, &self.periods, compact)?;

        // Annotations first, so data draw over them.
        let note_style = th.font(6.0, false, INK);
        let mut note_rows: Vec<i32> = Vec::new();
        for note in &self.annotations {
            if note.index >= n {
                continue;
            }
            let x = panel.x(note.index as f64);
            dashed_line(
                area,
                th,
                (x, panel.top),
                (x, panel.bottom),
                th.line(SECONDARY, 0.5),
            )?;
            let width = text_width(area, &note.label, &note_style);
            // Stack notes whose labels would overlap.
            let row = note_rows
                .iter()
                .position(|end| *end < x)
                .unwrap_or_else(|| {
                    note_rows.push(i32::MIN);
                    note_rows.len() - 1
                });
            note_rows[row] = x + width + th.px(3.0);
            text(
                area,
                &note.label,
                (
                    x + th.px(1.5),
                    panel.top + th.px(1.0) + row as i32 * th.px(7.0),
                ),
                &note_style,
                anchor(HPos::Left, VPos::Top),
            )?;
        }

        let in_range = |v: f64| v >= panel.y_min && v <= panel.y_max;
        let mut labels: Vec<(f64, String, RGBColor)> = Vec::new();
        let limit_style = th.line(SPC_COMMON, 0.8);
        for (value, name) in [(upl, "UPL"), (lpl, "LPL")] {
            if let Some(v) = value
                && in_range(v)
            {
                dashed_line(
                    area,
                    th,
                    (panel.left, panel.y(v)),
                    (panel.right, panel.y(v)),
                    limit_style,
                )?;
                labels.push((v, format!("{name} {}", f.label(v)), SECONDARY));
            } else if let Some(v) = value {
                // A limit below zero for a measure that cannot be: said, not drawn.
                let edge = if v < panel.y_min {
                    panel.y_min
                } else {
                    panel.y_max
                };
                labels.push((
                    edge,
                    format!(
                        "{name} {} {}",
                        f.label(v),
                        if v < panel.y_min {
                            "\u{2193}"
                        } else {
                            "\u{2191}"
                        }
                    ),
                    SECONDARY,
                ));
            }
        }
        let mean_y = panel.y(self.result.mean);
        solid_line(
            area,
            vec![(panel.left, mean_y), (panel.right, mean_y)],
            th.line(INK, 0.8),
        )?;
        labels.push((
            self.result.mean,
            format!("Mean {}", f.label(self.result.mean)),
            INK,
        ));
        if let Some(t) = self.target
            && in_range(t)
        {
            let target_colour = CATEGORICAL[2];
            dashed_line(
                area,
                th,
                (panel.left, panel.y(t)),
                (panel.right, panel.y(t)),
                th.line(target_colour, 1.0),
            )?;
            labels.push((t, format!("Target {}", f.label(t)), target_colour));
        }

        let xy: Vec<(i32, i32)> = values
            .iter()
            .enumerate()
            .map(|(i, v)| (panel.x(i as f64), panel.y(*v)))
            .collect();
        solid_line(area, xy.clone(), th.line(SPC_COMMON, 0.8))?;
        let radius = th.px(if compact { 1.6 } else { POINT_RADIUS_PT }).max(2);
        for (p, at) in self.result.points.iter().zip(&xy) {
            area.draw(&Circle::new(
                *at,
                radius,
                point_colour(p.point_type).filled(),
            ))
            .or_draw()?;
        }

        if !compact {
            self.limit_labels(area, th, &panel, labels)?;
            self.legend(area, th, body)?;
            self.icons(area, th, body)?;
        }
        Ok(())
    }

    /// Labels at the right end of the lines, nudged apart so that none overlap.
    fn limit_labels<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        th: &Theme,
        panel: &Panel,
        mut labels: Vec<(f64, String, RGBColor)>,
    ) -> Result<(), ChartError> {
        labels.sort_by(|a, b| b.0.total_cmp(&a.0));
        let gap = th.px(8.0);
        let mut ys: Vec<i32> = labels.iter().map(|l| panel.y(l.0)).collect();
        for i in 1..ys.len() {
            if ys[i] < ys[i - 1] + gap {
                ys[i] = ys[i - 1] + gap;
            }
        }
        for ((_, label, colour), y) in labels.iter().zip(ys) {
            text(
                area,
                label,
                (panel.right + th.px(3.0), y),
                &th.font(6.5, false, *colour),
                anchor(HPos::Left, VPos::Center),
            )?;
        }
        Ok(())
    }

    fn legend<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        th: &Theme,
        body: Rect,
    ) -> Result<(), ChartError> {
        let mut entries = vec![(SPC_COMMON, "Common cause")];
        match self.polarity {
            Polarity::Neutral => entries.push((SPC_NEUTRAL, "Special cause (neutral)")),
            _ => {
                entries.push((SPC_IMPROVEMENT, "Improvement"));
                entries.push((SPC_CONCERN, "Concern"));
            }
        }
        // Squares, not circles: the tests count circles as points.
        let keys: Vec<(Key, &str)> = entries
            .into_iter()
            .map(|(c, l)| (Key::Block(c), l))
            .collect();
        legend(area, th, (body.left, body.top + th.px(5.0)), &keys)
    }

    /// The variation and assurance icons: a letter in a ring of the icon's colour, with
    /// its meaning in words beside it (a reader should never need to decode a symbol).
    fn icons<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        th: &Theme,
        body: Rect,
    ) -> Result<(), ChartError> {
        let mut items: Vec<(RGBColor, &str, &str)> = Vec::new();
        if let Some(icon) = self.result.icon {
            let (colour, letter) = match icon {
                VariationIcon::CommonCause => (SPC_COMMON, "~"),
                VariationIcon::ImprovementHigh => (SPC_IMPROVEMENT, "H"),
                VariationIcon::ImprovementLow => (SPC_IMPROVEMENT, "L"),
                VariationIcon::ConcernHigh => (SPC_CONCERN, "H"),
                VariationIcon::ConcernLow => (SPC_CONCERN, "L"),
                VariationIcon::NeutralHigh => (SPC_NEUTRAL, "H"),
                VariationIcon::NeutralLow => (SPC_NEUTRAL, "L"),
            };
            items.push((colour, letter, short_icon_words(icon)));
        }
        if let Some(a) = self.result.assurance {
            let (colour, letter, words) = match a {
                Assurance::ConsistentlyPassing => (SPC_IMPROVEMENT, "P", "Target: passing"),
                Assurance::ConsistentlyFailing => (SPC_CONCERN, "F", "Target: failing"),
                Assurance::HitAndMiss => (SPC_COMMON, "?", "Target: hit and miss"),
            };
            items.push((colour, letter, words));
        }
        let style = th.font(6.5, false, SECONDARY);
        let r = th.px(6.5);
        let mut x = body.right;
        let y = body.top + r;
        for (colour, letter, words) in items.into_iter().rev() {
            let w = text_width(area, words, &style);
            text(
                area,
                words,
                (x, y),
                &style,
                anchor(HPos::Right, VPos::Center),
            )?;
            let cx = x - w - th.px(3.0) - r;
            // Drawn as a ring of two rectangles' worth of path so that no circle other
            // than the points appears in the SVG.
            ring(area, th, (cx, y), r, colour)?;
            text(
                area,
                letter,
                (cx, y),
                &th.font(7.5, true, colour),
                anchor(HPos::Center, VPos::Center),
            )?;
            x = cx - r - th.px(8.0);
        }
        Ok(())
    }

    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        th: &Theme,
        body: Rect,
    ) -> Result<(), ChartError> {
        self.draw_in(area, th, body, false)
    }
}

fn short_icon_words(icon: VariationIcon) -> &'static str {
    match icon {
        VariationIcon::CommonCause => "Common cause",
        VariationIcon::ImprovementHigh | VariationIcon::ImprovementLow => {
            "Special cause improvement"
        }
        VariationIcon::ConcernHigh | VariationIcon::ConcernLow => "Special cause concern",
        VariationIcon::NeutralHigh | VariationIcon::NeutralLow => "Special cause (neutral)",
    }
}

/// A circle outline as a polyline.
pub fn ring<DB: DrawingBackend>(
    area: &Area<DB>,
    th: &Theme,
    centre: (i32, i32),
    r: i32,
    colour: RGBColor,
) -> Result<(), ChartError> {
    let points: Vec<(i32, i32)> = (0..=48)
        .map(|i| {
            let a = i as f64 / 48.0 * std::f64::consts::TAU;
            (
                centre.0 + (r as f64 * a.cos()).round() as i32,
                centre.1 + (r as f64 * a.sin()).round() as i32,
            )
        })
        .collect();
    solid_line(area, points, th.line(colour, 1.2))
}
