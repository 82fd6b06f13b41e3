//! The funnel plot: each unit's proportion against its denominator, with the 95% and
//! 99.8% limits around the target; units outside are labelled, one unit highlighted.
use super::draw::*;
use super::{ChartError, Rect};
use crate::format::*;
use crate::stats::funnel::{FunnelFlag, FunnelResult, LEVEL_95, LEVEL_998};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

#[derive(Debug, Clone)]
pub struct FunnelChart {
    pub result: FunnelResult,
    /// The unit to pick out (the force a report is for).
    pub highlight: Option<String>,
    /// What the proportion is, e.g. "the rape charge rate (closed basis)".
    pub measure: String,
    /// What the units are ("areas", "forces") and what the denominator counts.
    pub units: String,
    pub denominator: String,
    /// What the centre line is: "Target", "England and Wales".
    pub target_label: String,
}

pub fn flag_colour(flag: FunnelFlag) -> RGBColor {
    match flag {
        FunnelFlag::Within => CATEGORICAL[0],
        FunnelFlag::High95 | FunnelFlag::Low95 => CATEGORICAL[3],
        FunnelFlag::High998 | FunnelFlag::Low998 => CATEGORICAL[2],
    }
}

fn flag_words(flag: FunnelFlag) -> &'static str {
    match flag {
        FunnelFlag::High998 => "above the 99.8% limit",
        FunnelFlag::High95 => "above the 95% limit",
        FunnelFlag::Within => "within the limits",
        FunnelFlag::Low95 => "below the 95% limit",
        FunnelFlag::Low998 => "below the 99.8% limit",
    }
}

impl FunnelChart {
    pub fn describe(&self) -> String {
        let r = &self.result;
        let outside: Vec<String> = r
            .units
            .iter()
            .filter(|u| u.flag != FunnelFlag::Within)
            .map(|u| {
                format!(
                    "{} ({}, {})",
                    u.label,
                    ValueFormat::Percent.label(u.value),
                    flag_words(u.flag)
                )
            })
            .collect();
        let mut s = format!(
            "Funnel plot of {} for {} {} against {}, with 95% and 99.8% limits around {}{}. ",
            self.measure,
            r.units.len(),
            self.units,
            self.denominator,
            ValueFormat::Percent.label(r.target),
            if r.tau2.is_some() {
                ", widened for overdispersion"
            } else {
                ""
            }
        );
        if outside.is_empty() {
            s.push_str("Every unit is within the 95% limits.");
        } else {
            s.push_str(&format!("Outside the 95% limits: {}.", outside.join("; ")));
        }
        if let Some(h) = &self.highlight
            && let Some(u) = r.units.iter().find(|u| &u.label == h)
        {
            s.push_str(&format!(
                " {h} is at {}, {}.",
                ValueFormat::Percent.label(u.value),
                flag_words(u.flag)
            ));
        }
        s
    }

    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        th: &Theme,
        body: Rect,
    ) -> Result<(), ChartError> {
        let r = &self.result;
        let max_n = r.units.iter().map(|u| u.denominator).fold(1.0, f64::max) * 1.05;
        let min_n = r
            .units
            .iter()
            .map(|u| u.denominator)
            .fold(f64::INFINITY, f64::min);
        // Limits are drawn from a little left of the smallest unit, where they are sane.
        let start_n = (min_n * 0.5).max(1.0);
        let steps = 240;
        let xs: Vec<f64> = (0..=steps)
            .map(|i| start_n * (max_n / start_n).powf(i as f64 / steps as f64))
            .collect();
        let curve = |level: f64, upper: bool| -> Vec<(f64, f64)> {
            xs.iter().map(|&n| (n, r.limit(level, upper, n))).collect()
        };
        let curves = [
            (curve(LEVEL_998, true), true),
            (curve(LEVEL_95, true), false),
            (curve(LEVEL_95, false), false),
            (curve(LEVEL_998, false), true),
        ];
        // The y range covers the units and the limits where they start.
        // The y range covers the units, the target and the limits where the units are: a
        // very small unit would otherwise stretch the axis for the whole chart (the limits
        // are clipped to the panel instead).
        let mut dens: Vec<f64> = r.units.iter().map(|u| u.denominator).collect();
        dens.sort_by(|a, b| a.total_cmp(b));
        let median_n = dens.get(dens.len() / 2).copied().unwrap_or(start_n);
        // The limits at the smallest unit, unless it is tiny beside the others.
        let shown_n = min_n.max(median_n / 10.0);
        let at_median = |level, upper| r.limit(level, upper, shown_n);
        let ys = r.units.iter().map(|u| u.value).chain([
            r.target,
            at_median(LEVEL_998, true),
            at_median(LEVEL_998, false),
        ]);
        let (lo, hi) = value_range(ys, false);
        let ticks = nice_ticks(lo.max(0.0), hi.min(1.0), 5);
        let ticks: Vec<f64> = ticks
            .into_iter()
            .filter(|t| (0.0..=1.0).contains(t))
            .collect();
        let tick_style = th.font(7.0, false, SECONDARY);
        let widest = tick_label_width(area, th, &ticks, ValueFormat::Percent, 7.0);
        let x_ticks = nice_ticks(0.0, max_n, 6);
        let panel = Panel {
            left: body.left + widest + th.px(5.0),
            top: body.top + th.px(26.0),
            right: body.right - th.px(8.0),
            bottom: body.bottom - th.px(22.0),
            x_min: 0.0,
            x_max: *x_ticks.last().expect("ticks are never empty"),
            y_min: ticks[0],
            y_max: *ticks.last().expect("ticks are never empty"),
        };
        y_axis(area, th, &panel, &ticks, ValueFormat::Percent)?;
        y_title(area, th, body.left, &panel, "Per cent")?;
        // x axis: denominators
        solid_line(
            area,
            vec![(panel.left, panel.bottom), (panel.right, panel.bottom)],
            th.line(AXIS, 0.6),
        )?;
        let x_step = if x_ticks.len() > 1 {
            x_ticks[1] - x_ticks[0]
        } else {
            1.0
        };
        for t in &x_ticks {
            let x = panel.x(*t);
            let label = ValueFormat::Count.tick(*t, x_step);
            x_tick(area, th, &panel, (x, x), &label, &tick_style)?;
        }
        text(
            area,
            &format!("Denominator: {}", self.denominator),
            ((panel.left + panel.right) / 2, panel.bottom + th.px(12.0)),
            &th.font(7.0, false, SECONDARY),
            anchor(HPos::Center, VPos::Top),
        )?;

        let clip = |v: f64| v.clamp(panel.y_min, panel.y_max);
        for (points, outer) in &curves {
            // Only the part of a curve inside the panel is drawn.
            let px: Vec<(i32, i32)> = points
                .iter()
                .filter(|(_, v)| *v >= panel.y_min && *v <= panel.y_max)
                .map(|(n, v)| (panel.x(*n), panel.y(*v)))
                .collect();
            if px.len() < 2 {
                continue;
            }
            let style = th.line(SECONDARY, 0.8);
            if *outer {
                solid_line(area, px, style)?;
            } else {
                area.draw(&plotters::element::DashedPathElement::new(
                    px,
                    th.px(3.0),
                    th.px(2.0),
                    style,
                ))
                .or_draw()?;
            }
        }
        let ty = panel.y(r.target);
        solid_line(
            area,
            vec![(panel.left, ty), (panel.right, ty)],
            th.line(INK, 0.8),
        )?;

        let radius = th.px(2.4).max(2);
        let label_style = th.font(6.5, false, INK);
        let bold = th.font(7.0, true, INK);
        let mut units: Vec<_> = r.units.iter().collect();
        // Draw the highlighted unit last, on top.
        units.sort_by_key(|u| Some(&u.label) == self.highlight.as_ref());
        let mut labelled = Vec::new();
        for u in &units {
            let at = (panel.x(u.denominator), panel.y(clip(u.value)));
            let highlighted = Some(&u.label) == self.highlight.as_ref();
            let colour = flag_colour(u.flag);
            if highlighted {
                area.draw(&Circle::new(at, radius + th.px(1.5), INK.filled()))
                    .or_draw()?;
            }
            area.draw(&Circle::new(at, radius, colour.filled()))
                .or_draw()?;
            if highlighted || u.flag != FunnelFlag::Within || r.units.len() <= 12 {
                labelled.push((*u, at, highlighted));
            }
        }
        // Labels after the points, the highlighted one first; each takes the first free
        // line near its point, with a leader line when moved.
        labelled.sort_by_key(|(_, _, h)| !*h);
        let line = th.px(7.5);
        let mut placed: Vec<(i32, i32, i32, i32)> = Vec::new();
        for (u, at, highlighted) in labelled {
            let style = if highlighted { &bold } else { &label_style };
            let width = text_width(area, &u.label, style);
            // Labels that would run off the right go on the left of their point.
            let right_side = at.0 + radius + th.px(2.0) + width <= body.right;
            let (x0, x1) = if right_side {
                (
                    at.0 + radius + th.px(2.0),
                    at.0 + radius + th.px(2.0) + width,
                )
            } else {
                (
                    at.0 - radius - th.px(2.0) - width,
                    at.0 - radius - th.px(2.0),
                )
            };
            let free = |y: i32| {
                y - line / 2 >= panel.top
                    && y + line / 2 <= panel.bottom
                    && !placed.iter().any(|(a0, b0, a1, b1)| {
                        x0 < *a1 && x1 > *a0 && y - line / 2 < *b1 && y + line / 2 > *b0
                    })
            };
            let y = [0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5]
                .iter()
                .map(|k| at.1 + k * line)
                .find(|y| free(*y))
                .unwrap_or(at.1);
            placed.push((x0, y - line / 2, x1, y + line / 2));
            if y != at.1 {
                let edge = if right_side {
                    x0 - th.px(0.5)
                } else {
                    x1 + th.px(0.5)
                };
                solid_line(area, vec![at, (edge, y)], th.line(SECONDARY, 0.4))?;
            }
            let (x, h) = if right_side {
                (x0, HPos::Left)
            } else {
                (x1, HPos::Right)
            };
            text(area, &u.label, (x, y), style, anchor(h, VPos::Center))?;
        }

        legend(
            area,
            th,
            (body.left, body.top + th.px(5.0)),
            &[
                (Key::Line(INK), self.target_label.as_str()),
                (Key::Dashed(SECONDARY), "95% limits"),
                (Key::Line(SECONDARY), "99.8% limits"),
                (Key::Block(CATEGORICAL[3]), "Outside 95%"),
                (Key::Block(CATEGORICAL[2]), "Outside 99.8%"),
            ],
        )
    }
}
