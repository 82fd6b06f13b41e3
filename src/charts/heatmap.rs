//! Offences by weekday and hour, shaded from white to dark blue, with the count in each
//! cell, for patrol and prevention planning.
use super::draw::*;
use super::{ChartError, Rect};
use crate::format::*;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

pub const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

#[derive(Debug, Clone)]
pub struct HeatmapChart {
    /// counts[weekday][hour], Monday first.
    pub counts: [[f64; 24]; 7],
    /// Cells withheld by disclosure control: shown as `<N` in one light shade.
    pub hidden: [[bool; 24]; 7],
    pub threshold: Option<f64>,
    /// Offences whose weekday or hour is not known: said, not drawn (`None` if withheld).
    pub unknown: Option<f64>,
    pub what: String,
}

/// White to Analysis Function dark blue.
fn shade(t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    let (r, g, b) = (0x12 as f64, 0x43 as f64, 0x6D as f64);
    let mix = |c: f64| (255.0 + (c - 255.0) * t).round() as u8;
    RGBColor(mix(r), mix(g), mix(b))
}

impl HeatmapChart {
    pub fn describe(&self) -> String {
        let total: f64 = self.counts.iter().flatten().sum();
        let mut cells: Vec<(usize, usize, f64)> = (0..7)
            .flat_map(|d| (0..24).map(move |h| (d, h)))
            .map(|(d, h)| (d, h, self.counts[d][h]))
            .collect();
        cells.sort_by(|a, b| b.2.total_cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
        let top: Vec<String> = cells
            .iter()
            .take(3)
            .map(|(d, h, c)| {
                format!(
                    "{} {:02}:00-{:02}:59 ({})",
                    WEEKDAYS[*d],
                    h,
                    h,
                    thousands(*c as i64)
                )
            })
            .collect();
        let weekend_nights: f64 = [(4usize, 18..24), (5, 0..24), (6, 0..6)]
            .into_iter()
            .map(|(d, hours)| hours.map(|h| self.counts[d][h]).sum::<f64>())
            .sum();
        let any_hidden = self.hidden.iter().flatten().any(|h| *h);
        if any_hidden {
            // No totals or shares: with the published cells they would give the withheld.
            return format!(
                "Heatmap of {} by weekday and hour of the offence. The busiest hours are {}. Hours with fewer than {} {} are shown as <{}, and offences with no known weekday or hour are not shown.",
                self.what,
                top.join(", "),
                self.threshold.unwrap_or(0.0),
                self.what,
                self.threshold.unwrap_or(0.0),
            );
        }
        format!(
            "Heatmap of {} {} by weekday and hour of the offence. The busiest hours are {}; Friday 18:00 to Sunday 05:59 holds {:.0}% of those with a known time. {} offences have no known weekday or hour and are not shown.",
            thousands(total as i64),
            self.what,
            top.join(", "),
            if total > 0.0 {
                weekend_nights / total * 100.0
            } else {
                0.0
            },
            thousands(self.unknown.unwrap_or(0.0) as i64)
        )
    }

    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        th: &Theme,
        body: Rect,
    ) -> Result<(), ChartError> {
        let max = self.counts.iter().flatten().copied().fold(0.0, f64::max);
        let label_style = th.font(7.0, false, SECONDARY);
        let left = body.left + text_width(area, "Wed", &label_style) + th.px(4.0);
        let key_h = th.px(16.0);
        let top = body.top + th.px(2.0);
        let bottom = body.bottom - key_h - th.px(12.0);
        let cell_w = (body.right - left) as f64 / 24.0;
        let cell_h = (bottom - top) as f64 / 7.0;
        let value_pt = (cell_h.min(cell_w) / th.px_per_pt * 0.42).clamp(4.0, 7.0);
        for (d, weekday) in WEEKDAYS.iter().enumerate() {
            let y0 = top + (d as f64 * cell_h).round() as i32;
            let y1 = top + ((d + 1) as f64 * cell_h).round() as i32;
            text(
                area,
                weekday,
                (left - th.px(3.0), (y0 + y1) / 2),
                &label_style,
                anchor(HPos::Right, VPos::Center),
            )?;
            for h in 0..24 {
                let x0 = left + (h as f64 * cell_w).round() as i32;
                let x1 = left + ((h + 1) as f64 * cell_w).round() as i32;
                let c = self.counts[d][h];
                let hidden = self.hidden[d][h];
                let t = if hidden {
                    0.08
                } else if max > 0.0 {
                    c / max
                } else {
                    0.0
                };
                rect(area, (x0, y0), (x1 - 1, y1 - 1), shade(t))?;
                let ink = if t > 0.5 { WHITE } else { INK };
                text(
                    area,
                    &if hidden {
                        format!("<{}", self.threshold.unwrap_or(0.0))
                    } else {
                        thousands(c as i64)
                    },
                    ((x0 + x1) / 2, (y0 + y1) / 2),
                    &th.font(value_pt, false, ink),
                    anchor(HPos::Center, VPos::Center),
                )?;
            }
        }
        for h in (0..24).step_by(2) {
            let x = left + ((h as f64 + 0.5) * cell_w).round() as i32;
            text(
                area,
                &format!("{h:02}"),
                (x, bottom + th.px(2.0)),
                &label_style,
                anchor(HPos::Center, VPos::Top),
            )?;
        }
        text(
            area,
            "Hour of the offence (00 = midnight to 00:59)",
            ((left + body.right) / 2, bottom + th.px(10.0)),
            &label_style,
            anchor(HPos::Center, VPos::Top),
        )?;
        // Colour key
        let ky = body.bottom - th.px(5.0);
        let key_label = format!("{} offences in the hour", thousands(max as i64));
        let kw = th.px(80.0);
        let kx = body.right - text_width(area, &key_label, &label_style) - kw - th.px(4.0);
        text(
            area,
            "0",
            (kx - th.px(3.0), ky),
            &label_style,
            anchor(HPos::Right, VPos::Center),
        )?;
        for i in 0..40 {
            let x0 = kx + kw * i / 40;
            let x1 = kx + kw * (i + 1) / 40;
            rect(
                area,
                (x0, ky - th.px(3.0)),
                (x1, ky + th.px(3.0)),
                shade(i as f64 / 39.0),
            )?;
        }
        text(
            area,
            &key_label,
            (kx + kw + th.px(3.0), ky),
            &label_style,
            anchor(HPos::Left, VPos::Center),
        )?;
        Ok(())
    }
}
