//! Age band by sex, females to the left and males to the right, for victims or suspects.
use super::draw::*;
use super::{ChartError, Rect};
use crate::format::*;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

#[derive(Debug, Clone)]
pub struct PyramidChart {
    /// Youngest first; drawn youngest at the bottom.
    pub bands: Vec<String>,
    pub female: Vec<f64>,
    pub male: Vec<f64>,
    /// (female, male) cells withheld by disclosure control: drawn as a short pale bar
    /// labelled `<N`, the same for every withheld cell.
    pub hidden: Vec<(bool, bool)>,
    pub threshold: Option<f64>,
    /// People of another or unknown sex, or unknown age: said, not drawn (`None` if
    /// withheld).
    pub other: Option<f64>,
    /// "victims" or "suspects".
    pub who: String,
}

impl PyramidChart {
    pub fn describe(&self) -> String {
        let f: f64 = self.female.iter().sum();
        let m: f64 = self.male.iter().sum();
        let top = |v: &[f64]| {
            v.iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))
                .map(|(i, _)| self.bands[i].clone())
                .unwrap_or_default()
        };
        if self.hidden.iter().any(|h| h.0 || h.1) || self.other.is_none() {
            return format!(
                "Population pyramid of {} by age band and sex: females most often aged {}, males most often aged {}. Numbers below {} are shown as <{}; people of another or unknown sex or age are not shown.",
                self.who,
                top(&self.female),
                top(&self.male),
                self.threshold.unwrap_or(0.0),
                self.threshold.unwrap_or(0.0),
            );
        }
        format!(
            "Population pyramid of {} by age band and sex: {} female (most often aged {}) and {} male (most often aged {}). {} of another or unknown sex or age are not shown.",
            self.who,
            thousands(f as i64),
            top(&self.female),
            thousands(m as i64),
            top(&self.male),
            thousands(self.other.unwrap_or(0.0) as i64)
        )
    }

    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        th: &Theme,
        body: Rect,
    ) -> Result<(), ChartError> {
        let max = self
            .female
            .iter()
            .chain(&self.male)
            .copied()
            .fold(1.0, f64::max);
        let style = th.font(7.0, false, SECONDARY);
        let label_w = self
            .bands
            .iter()
            .map(|b| text_width(area, b, &style))
            .max()
            .unwrap_or(0)
            + th.px(8.0);
        let centre = (body.left + body.right) / 2;
        let top = body.top + th.px(14.0);
        let bottom = body.bottom - th.px(12.0);
        if let Some(other) = self.other.filter(|o| *o > 0.0) {
            text(
                area,
                &format!(
                    "Not shown: {} {} of another or unknown sex or age.",
                    thousands(other as i64),
                    self.who
                ),
                (body.right, body.bottom),
                &th.font(6.5, false, SECONDARY),
                anchor(HPos::Right, VPos::Bottom),
            )?;
        }
        let half = (body.right - body.left - label_w) / 2 - th.px(30.0);
        let n = self.bands.len().max(1);
        let row = (bottom - top) as f64 / n as f64;
        let (fc, mc) = (CATEGORICAL[1], CATEGORICAL[0]);
        text(
            area,
            "Female",
            (centre - label_w / 2 - th.px(2.0), body.top + th.px(4.0)),
            &th.font(8.0, true, fc),
            anchor(HPos::Right, VPos::Center),
        )?;
        text(
            area,
            "Male",
            (centre + label_w / 2 + th.px(2.0), body.top + th.px(4.0)),
            &th.font(8.0, true, mc),
            anchor(HPos::Left, VPos::Center),
        )?;
        let value_style = th.font(6.5, false, INK);
        for (i, band) in self.bands.iter().enumerate() {
            // Youngest at the bottom.
            let r = n - 1 - i;
            let y0 = top + (r as f64 * row + row * 0.12).round() as i32;
            let y1 = top + ((r + 1) as f64 * row - row * 0.12).round() as i32;
            let ym = (y0 + y1) / 2;
            text(
                area,
                band,
                (centre, ym),
                &style,
                anchor(HPos::Center, VPos::Center),
            )?;
            let (fh, mh) = self.hidden.get(i).copied().unwrap_or((false, false));
            let small = self.threshold.unwrap_or(0.0);
            // A withheld cell is drawn at the threshold's length, whatever its count.
            let fw = ((if fh { small } else { self.female[i] }) / max * half as f64).round() as i32;
            let mw = ((if mh { small } else { self.male[i] }) / max * half as f64).round() as i32;
            let label = |hidden: bool, v: f64| {
                if hidden {
                    format!("<{small}")
                } else {
                    thousands(v as i64)
                }
            };
            let fx = centre - label_w / 2;
            let mx = centre + label_w / 2;
            let pale = |c: RGBColor| RGBColor(c.0 / 3 + 170, c.1 / 3 + 170, c.2 / 3 + 170);
            if fw > 0 {
                rect(
                    area,
                    (fx - fw, y0),
                    (fx, y1),
                    if fh { pale(fc) } else { fc },
                )?;
            }
            if mw > 0 {
                rect(
                    area,
                    (mx, y0),
                    (mx + mw, y1),
                    if mh { pale(mc) } else { mc },
                )?;
            }
            text(
                area,
                &label(fh, self.female[i]),
                (fx - fw - th.px(2.0), ym),
                &value_style,
                anchor(HPos::Right, VPos::Center),
            )?;
            text(
                area,
                &label(mh, self.male[i]),
                (mx + mw + th.px(2.0), ym),
                &value_style,
                anchor(HPos::Left, VPos::Center),
            )?;
        }
        Ok(())
    }
}
