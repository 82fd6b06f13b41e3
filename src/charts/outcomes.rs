//! Stacked bars of outcome groups by month or quarter, as counts or shares of the
//! crimes closed in each period.
use super::draw::*;
use super::{ChartError, Rect};
use crate::format::*;
use crate::schema::codes::{CHARGE_OUTCOMES, OUT_OF_COURT_OUTCOMES, VICTIM_WITHDRAWAL_OUTCOMES};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Outcome groups in stacking order, with the outcome types in each: charges at the
/// bottom, where the eye compares them best.
/// The classes come from the code list (`schema::codes`); "Other" holds the rest.
pub const OUTCOME_GROUPS: &[(&str, &[&str])] = &[
    ("Charged or summonsed", CHARGE_OUTCOMES),
    ("Out-of-court", OUT_OF_COURT_OUTCOMES),
    (
        "Victim does not support (14, 16)",
        VICTIM_WITHDRAWAL_OUTCOMES,
    ),
    ("Evidential difficulties (15)", &["15"]),
    ("No suspect identified (18)", &["18"]),
    ("Other", &[]),
];

pub fn outcome_group(code: &str) -> usize {
    OUTCOME_GROUPS
        .iter()
        .position(|(_, codes)| codes.contains(&code))
        .unwrap_or(OUTCOME_GROUPS.len() - 1)
}

#[derive(Debug, Clone)]
pub struct OutcomesChart {
    /// Period labels: `YYYY-MM` or `2024 Q3`.
    pub periods: Vec<String>,
    pub groups: Vec<String>,
    /// counts[group][period]
    pub counts: Vec<Vec<f64>>,
    pub shares: bool,
}

impl OutcomesChart {
    fn totals(&self) -> Vec<f64> {
        (0..self.periods.len())
            .map(|p| self.counts.iter().map(|g| g[p]).sum())
            .collect()
    }

    pub fn describe(&self) -> String {
        let totals = self.totals();
        let all: f64 = totals.iter().sum();
        let mut parts: Vec<String> = self
            .groups
            .iter()
            .zip(&self.counts)
            .map(|(g, c)| {
                let n: f64 = c.iter().sum();
                let share = if all > 0.0 { n / all } else { 0.0 };
                format!("{} {:.1}%", g.to_lowercase(), share * 100.0)
            })
            .collect();
        parts.truncate(6);
        format!(
            "Stacked bars of the {} crimes closed in each period from {} to {}, by outcome group{}. Over the whole period: {}.",
            thousands(all as i64),
            month_long(&self.periods[0]),
            month_long(self.periods.last().expect("at least one period")),
            if self.shares {
                " as shares of each period's total"
            } else {
                ""
            },
            parts.join(", ")
        )
    }

    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        th: &Theme,
        body: Rect,
    ) -> Result<(), ChartError> {
        let totals = self.totals();
        let format = if self.shares {
            ValueFormat::Percent
        } else {
            ValueFormat::Count
        };
        let hi = if self.shares {
            1.0
        } else {
            totals.iter().copied().fold(0.0, f64::max)
        };
        let ticks = nice_ticks(0.0, hi.max(1.0), 5);
        let widest = tick_label_width(area, th, &ticks, format, 7.0);

        // Legend in rows across the top.
        let style = th.font(6.5, false, SECONDARY);
        let mut x = body.left;
        let mut y = body.top + th.px(4.0);
        for (i, g) in self.groups.iter().enumerate() {
            let w = th.px(12.0) + text_width(area, g, &style) + th.px(8.0);
            if x + w > body.right && x > body.left {
                x = body.left;
                y += th.px(9.0);
            }
            let colour = CATEGORICAL[i % CATEGORICAL.len()];
            rect(
                area,
                (x, y - th.px(3.0)),
                (x + th.px(8.0), y + th.px(3.0)),
                colour,
            )?;
            text(
                area,
                g,
                (x + th.px(11.0), y),
                &style,
                anchor(HPos::Left, VPos::Center),
            )?;
            x += w;
        }

        let n = self.periods.len();
        let panel = Panel {
            left: body.left + widest + th.px(5.0),
            top: y + th.px(19.0),
            right: body.right - th.px(4.0),
            bottom: body.bottom - th.px(13.0),
            x_min: -0.5,
            x_max: n as f64 - 0.5,
            y_min: 0.0,
            y_max: *ticks.last().expect("ticks are never empty"),
        };
        y_axis(area, th, &panel, &ticks, format)?;
        y_title(
            area,
            th,
            body.left,
            &panel,
            if self.shares {
                "Per cent of crimes closed"
            } else {
                "Crimes closed"
            },
        )?;
        month_axis(area, th, &panel, &self.periods, false)?;
        let half = ((panel.width() as f64 / n.max(1) as f64) * 0.38).max(1.0);
        for p in 0..n {
            let mut base = 0.0;
            let cx = panel.x(p as f64) as f64;
            for (g, counts) in self.counts.iter().enumerate() {
                let v = if self.shares {
                    if totals[p] > 0.0 {
                        counts[p] / totals[p]
                    } else {
                        0.0
                    }
                } else {
                    counts[p]
                };
                if v > 0.0 {
                    rect(
                        area,
                        ((cx - half).round() as i32, panel.y(base + v)),
                        ((cx + half).round() as i32, panel.y(base)),
                        CATEGORICAL[g % CATEGORICAL.len()],
                    )?;
                }
                base += v;
            }
        }
        Ok(())
    }
}
