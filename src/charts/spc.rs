//! The XmR chart as Making Data Count draws it: points coloured by their SPC type, the
//! mean and process limits labelled with their values, an optional target and dated
//! annotations, and the variation (and assurance) icon in the corner.
use super::draw::*;
use super::icons::Icon;
use super::{ChartError, Rect};
use crate::format::*;
use crate::stats::spc::{Assurance, PointType, Polarity, SpcResult, VariationIcon};
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
    /// The limits of the current segment (that of the latest counted point).
    fn limits(&self) -> (Option<f64>, Option<f64>) {
        self.result
            .current_segment()
            .map_or((None, None), |s| (s.lpl, s.upl))
    }

    /// "Latest 174", or "Latest final (Sep 2024) 70.7%" when later months are not final.
    pub fn latest_words(&self) -> String {
        let Some(i) = self.result.latest() else {
            return "No final value".to_string();
        };
        let value = self.result.points[i]
            .value
            .map(|v| self.format.label(v))
            .unwrap_or_default();
        if i + 1 < self.result.points.len() {
            format!(
                "Latest final ({}) {value}",
                self.periods
                    .get(i)
                    .map(|p| month_short(p))
                    .unwrap_or_default()
            )
        } else {
            format!("Latest {value}")
        }
    }

    /// Measures that cannot go below zero keep the axis at zero.
    fn non_negative(&self) -> bool {
        !matches!(self.format, ValueFormat::Decimal(_))
            && self
                .result
                .points
                .iter()
                .all(|p| p.value.is_none_or(|v| v >= 0.0))
    }

    /// Where a limit is drawn: a proportion's limits within [0, 1], a count's or a
    /// number of days' at or above 0. The calculation keeps the limit as it is.
    fn drawn(&self, limit: f64) -> f64 {
        match self.format {
            ValueFormat::Percent => limit.clamp(0.0, 1.0),
            ValueFormat::Count | ValueFormat::Days => limit.max(0.0),
            ValueFormat::Decimal(_) => limit,
        }
    }

    pub fn describe(&self) -> String {
        let f = self.format;
        let n = self
            .result
            .points
            .iter()
            .filter(|p| p.value.is_some())
            .count();
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
                    f.label(self.drawn(lpl)),
                    f.label(self.drawn(upl))
                ));
            }
            _ => s.push_str(" (too few points for limits)"),
        }
        if self.result.segments.len() > 1 {
            let starts: Vec<String> = self.result.segments[1..]
                .iter()
                .filter_map(|seg| self.periods.get(seg.start))
                .map(|p| month_long(p))
                .collect();
            s.push_str(&format!(
                ", since the limits were recalculated from {}",
                starts.join(" and ")
            ));
        }
        match (self.result.latest(), self.result.icon) {
            (Some(i), Some(icon)) => s.push_str(&format!(
                "; the latest counted value, {} in {}, shows {}.",
                self.result.points[i]
                    .value
                    .map(|v| f.label(v))
                    .unwrap_or_default(),
                self.periods
                    .get(i)
                    .map(|p| month_long(p))
                    .unwrap_or_default(),
                icon_words(icon)
            )),
            _ => s.push('.'),
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
        let uncounted = self
            .result
            .points
            .iter()
            .filter(|p| p.value.is_some() && !p.counted)
            .count();
        if uncounted > 0 {
            s.push_str(&format!(
                " {uncounted} provisional or truncated {} drawn hollow and left out of the limits and rules.",
                if uncounted == 1 { "point is" } else { "points are" }
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
        let segments = &self.result.segments;
        let mut range_values: Vec<f64> =
            self.result.points.iter().filter_map(|p| p.value).collect();
        for seg in segments {
            range_values.extend(seg.mean);
            range_values.extend(seg.upl.map(|v| self.drawn(v)));
            range_values.extend(seg.lpl.map(|v| self.drawn(v)));
        }
        range_values.extend(self.target);
        let (mut lo, hi) = value_range(range_values, false);
        if self.non_negative() {
            lo = lo.max(0.0);
        }
        let ticks = nice_ticks(lo, hi, if compact { 3 } else { 5 });
        let widest = tick_label_width(area, th, &ticks, f, if compact { 6.0 } else { 7.0 });
        let top_strip = if compact { th.px(4.0) } else { th.px(24.0) };
        let right_labels = if compact { th.px(4.0) } else { th.px(52.0) };
        let n = self.result.points.len();
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

        // Annotations first, so data draw over them; a rebase without a note of its own
        // is labelled as one.
        let mut notes = self.annotations.clone();
        for seg in segments.iter().skip(1) {
            if !notes.iter().any(|a| a.index == seg.start) {
                notes.push(Annotation {
                    index: seg.start,
                    label: "Limits recalculated".into(),
                });
            }
        }
        notes.sort_by_key(|a| a.index);
        let note_style = th.font(6.0, false, INK);
        let mut note_rows: Vec<i32> = Vec::new();
        for note in &notes {
            if note.index >= n {
                continue;
            }
            // A rebase is drawn between the segments, a note on its month.
            let at_break = segments.iter().skip(1).any(|s| s.start == note.index);
            let x = panel.x(note.index as f64 - if at_break { 0.5 } else { 0.0 });
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

        // Mean and limits of each segment, broken where the limits were recalculated;
        // the labels name the current segment's.
        let in_range = |v: f64| v >= panel.y_min && v <= panel.y_max;
        let mut labels: Vec<(f64, String, RGBColor)> = Vec::new();
        let limit_style = th.line(SPC_COMMON, 0.8);
        let current = self.result.current_segment().map(|s| s.group);
        let last_segment = segments.len().saturating_sub(1);
        for (k, seg) in segments.iter().enumerate() {
            let x0 = if k == 0 {
                panel.left
            } else {
                panel.x(seg.start as f64 - 0.5) + th.px(1.0)
            };
            let x1 = if k == last_segment {
                panel.right
            } else {
                panel.x(seg.end as f64 - 0.5) - th.px(1.0)
            };
            let labelled = Some(seg.group) == current;
            for (value, name) in [(seg.upl, "UPL"), (seg.lpl, "LPL")] {
                let Some(v) = value.map(|v| self.drawn(v)) else {
                    continue;
                };
                if in_range(v) {
                    dashed_line(area, th, (x0, panel.y(v)), (x1, panel.y(v)), limit_style)?;
                    if labelled {
                        labels.push((v, format!("{name} {}", f.label(v)), SECONDARY));
                    }
                }
            }
            if let Some(m) = seg.mean {
                let y = panel.y(m);
                solid_line(area, vec![(x0, y), (x1, y)], th.line(INK, 0.8))?;
                if labelled {
                    labels.push((m, format!("Mean {}", f.label(m)), INK));
                }
            }
        }
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

        // The line is broken at gaps; uncounted points are hollow.
        let xy: Vec<Option<(i32, i32)>> = self
            .result
            .points
            .iter()
            .enumerate()
            .map(|(i, p)| p.value.map(|v| (panel.x(i as f64), panel.y(v))))
            .collect();
        for stretch in xy.split(Option::is_none) {
            let line: Vec<(i32, i32)> = stretch.iter().flatten().copied().collect();
            if line.len() > 1 {
                solid_line(area, line, th.line(SPC_COMMON, 0.8))?;
            }
        }
        let radius = th.px(if compact { 1.6 } else { POINT_RADIUS_PT }).max(2);
        for (p, at) in self.result.points.iter().zip(&xy) {
            let Some(at) = at else { continue };
            let style = if p.counted {
                point_colour(p.point_type).filled()
            } else {
                WHITE.filled()
            };
            area.draw(&Circle::new(*at, radius, style)).or_draw()?;
            if !p.counted {
                area.draw(&Circle::new(*at, radius, th.line(SPC_COMMON, 0.9)))
                    .or_draw()?;
            }
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
        let mut keys: Vec<(Key, &str)> = entries
            .into_iter()
            .map(|(c, l)| (Key::Block(c), l))
            .collect();
        if self
            .result
            .points
            .iter()
            .any(|p| p.value.is_some() && !p.counted)
        {
            keys.push((
                Key::Hollow(SPC_COMMON),
                "Provisional or truncated (not in limits)",
            ));
        }
        legend(area, th, (body.left, body.top + th.px(5.0)), &keys)
    }

    /// The variation and assurance icons at the top right, as NHSRplotthedots places
    /// them, each with its meaning in words beside it (a reader should never need to
    /// decode a symbol).
    fn icons<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        th: &Theme,
        body: Rect,
    ) -> Result<(), ChartError> {
        let mut items: Vec<(Icon, &str)> = Vec::new();
        if let Some(icon) = self.result.icon {
            items.push((Icon::Variation(icon), short_icon_words(icon)));
        }
        if let Some(a) = self.result.assurance {
            let words = match a {
                Assurance::ConsistentlyPassing => "Target: passing",
                Assurance::ConsistentlyFailing => "Target: failing",
                Assurance::HitAndMiss => "Target: hit and miss",
            };
            items.push((Icon::Assurance(a), words));
        }
        let style = th.font(6.5, false, SECONDARY);
        let r = th.px(8.0);
        let mut x = body.right;
        let y = body.top + r;
        for (icon, words) in items.into_iter().rev() {
            let w = text_width(area, words, &style);
            text(
                area,
                words,
                (x, y),
                &style,
                anchor(HPos::Right, VPos::Center),
            )?;
            let cx = x - w - th.px(3.0) - r;
            super::icons::draw(area, th, (cx, y), r, icon)?;
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
