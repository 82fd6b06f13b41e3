//! Horizontal bars from recorded to charged, with each step's conversion from the one
//! before and the share of all recorded offences.
use super::draw::*;
use super::{ChartError, Rect};
use crate::format::*;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

#[derive(Debug, Clone)]
pub struct AttritionChart {
    /// Stage names and counts, from recorded down to charged.
    pub stages: Vec<(String, f64)>,
}

fn pct(a: f64, b: f64) -> String {
    if b > 0.0 {
        format!("{:.1}%", a / b * 100.0)
    } else {
        "-".into()
    }
}

impl AttritionChart {
    pub fn describe(&self) -> String {
        let Some((first, recorded)) = self.stages.first() else {
            return "Attrition: no offences.".into();
        };
        let steps: Vec<String> = self
            .stages
            .iter()
            .skip(1)
            .map(|(s, n)| {
                format!(
                    "{} {} ({} of {})",
                    s.to_lowercase(),
                    thousands(*n as i64),
                    pct(*n, *recorded),
                    first.to_lowercase()
                )
            })
            .collect();
        format!(
            "Attrition of {} {}: {}.",
            thousands(*recorded as i64),
            first.to_lowercase(),
            steps.join(", ")
        )
    }

    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        th: &Theme,
        body: Rect,
    ) -> Result<(), ChartError> {
        let style = th.font(7.5, false, INK);
        let small = th.font(6.5, false, SECONDARY);
        let label_w = self
            .stages
            .iter()
            .map(|(s, _)| text_width(area, s, &style))
            .max()
            .unwrap_or(0)
            + th.px(6.0);
        let left = body.left + label_w;
        let right = body.right - th.px(150.0);
        let recorded = self.stages.first().map(|s| s.1).unwrap_or(0.0).max(1.0);
        let n = self.stages.len().max(1);
        let row = (body.bottom - body.top) as f64 / n as f64;
        for (i, (stage, count)) in self.stages.iter().enumerate() {
            let y0 = body.top + (i as f64 * row + row * 0.18).round() as i32;
            let y1 = body.top + ((i + 1) as f64 * row - row * 0.18).round() as i32;
            let ym = (y0 + y1) / 2;
            text(
                area,
                stage,
                (left - th.px(4.0), ym),
                &style,
                anchor(HPos::Right, VPos::Center),
            )?;
            let w = ((count / recorded) * (right - left) as f64).round() as i32;
            rect(area, (left, y0), (left + w.max(1), y1), CATEGORICAL[0])?;
            let mut label = format!(
                "{}  ({} of recorded",
                thousands(*count as i64),
                pct(*count, recorded)
            );
            if i > 0 {
                label.push_str(&format!(
                    "; {} of the step before)",
                    pct(*count, self.stages[i - 1].1)
                ));
            } else {
                label.push(')');
            }
            if i == 0 {
                label = thousands(*count as i64);
            }
            text(
                area,
                &label,
                (left + w.max(1) + th.px(3.0), ym),
                if i == 0 { &style } else { &small },
                anchor(HPos::Left, VPos::Center),
            )?;
        }
        Ok(())
    }
}
