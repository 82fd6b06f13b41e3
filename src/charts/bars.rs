//! Categories as horizontal bars with their 95% intervals, sorted largest first:
//! relationship shares, areas' rates and the like.
use super::draw::*;
use super::{ChartError, Rect};
use crate::format::*;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct BarsChart {
    pub bars: Vec<Bar>,
    pub format: ValueFormat,
    pub measure: String,
    /// Categories left out by disclosure control.
    pub withheld: usize,
    /// Dots with intervals instead of bars (a ranked dot plot).
    pub dots: bool,
    /// The category to pick out (bold, orange).
    pub highlight: Option<String>,
    /// A reference line, e.g. the England and Wales value.
    pub reference: Option<(String, f64)>,
}

impl BarsChart {
    /// Sorted largest first; ties by label, so the order never depends on the input's.
    pub fn new(mut bars: Vec<Bar>, format: ValueFormat, measure: impl Into<String>) -> BarsChart {
        bars.sort_by(|a, b| {
            b.value
                .total_cmp(&a.value)
                .then_with(|| a.label.cmp(&b.label))
        });
        BarsChart {
            bars,
            format,
            measure: measure.into(),
            withheld: 0,
            dots: false,
            highlight: None,
            reference: None,
        }
    }

    pub fn describe(&self) -> String {
        let f = self.format;
        let items: Vec<String> = self
            .bars
            .iter()
            .take(5)
            .map(|b| format!("{} {}", b.label, f.label(b.value)))
            .collect();
        format!(
            "Bar chart of {} for {} categories with 95% intervals, largest first: {}{}.",
            self.measure,
            self.bars.len(),
            items.join(", "),
            if self.bars.len() > 5 {
                ", and the rest smaller"
            } else {
                ""
            }
        ) + &if self.withheld > 0 {
            format!(
                " {} categories with small numbers are not shown.",
                self.withheld
            )
        } else {
            String::new()
        }
    }

    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        th: &Theme,
        body: Rect,
    ) -> Result<(), ChartError> {
        let f = self.format;
        let n = self.bars.len().max(1);
        let reserve = if self.reference.is_some() {
            th.px(10.0)
        } else {
            0
        };
        let row_pt =
            ((body.bottom - body.top - reserve - th.px(20.0)) as f64 / th.px_per_pt / n as f64)
                .min(22.0);
        let label_pt = (row_pt * 0.55).clamp(5.0, 7.5);
        let style = th.font(label_pt, false, INK);
        let label_w = self
            .bars
            .iter()
            .map(|b| text_width(area, &b.label, &style))
            .max()
            .unwrap_or(0)
            + th.px(6.0);
        let hi = self
            .bars
            .iter()
            .map(|b| b.high.unwrap_or(b.value).max(b.value))
            .fold(0.0, f64::max);
        let ticks = nice_ticks(0.0, hi.max(f64::MIN_POSITIVE), 5);
        let step = if ticks.len() > 1 {
            ticks[1] - ticks[0]
        } else {
            1.0
        };
        let top = body.top + reserve;
        let panel = Panel {
            left: body.left + label_w,
            top,
            right: body.right - th.px(34.0),
            bottom: top + (row_pt * n as f64 * th.px_per_pt).round() as i32,
            x_min: 0.0,
            x_max: *ticks.last().expect("ticks are never empty"),
            y_min: 0.0,
            y_max: n as f64,
        };
        let tick_style = th.font(7.0, false, SECONDARY);
        for t in &ticks {
            let x = panel.x(*t);
            solid_line(
                area,
                vec![(x, panel.top), (x, panel.bottom)],
                th.line(GRID, 0.5),
            )?;
            text(
                area,
                &f.tick(*t, step),
                (x, panel.bottom + th.px(2.0)),
                &tick_style,
                anchor(HPos::Center, VPos::Top),
            )?;
        }
        if let Some((name, v)) = &self.reference {
            let x = panel.x(*v);
            dashed_line(
                area,
                th,
                (x, panel.top - th.px(2.0)),
                (x, panel.bottom),
                th.line(INK, 0.8),
            )?;
            text(
                area,
                &format!("{name} {}", f.label(*v)),
                (x, panel.top - th.px(3.0)),
                &th.font(6.5, false, INK),
                anchor(HPos::Center, VPos::Bottom),
            )?;
        }
        text(
            area,
            &match f {
                ValueFormat::Percent => "Per cent".to_string(),
                ValueFormat::Decimal(_) => crate::util::capitalise(&self.measure),
                other => other.axis_title().to_string(),
            },
            ((panel.left + panel.right) / 2, panel.bottom + th.px(11.0)),
            &tick_style,
            anchor(HPos::Center, VPos::Top),
        )?;
        let row = panel.height() as f64 / n as f64;
        for (i, b) in self.bars.iter().enumerate() {
            let y0 = panel.top + (i as f64 * row + row * 0.15).round() as i32;
            let y1 = panel.top + ((i + 1) as f64 * row - row * 0.15).round() as i32;
            let ym = (y0 + y1) / 2;
            let picked = self.highlight.as_ref() == Some(&b.label);
            let bold = th.font(label_pt, true, INK);
            text(
                area,
                &b.label,
                (panel.left - th.px(4.0), ym),
                if picked { &bold } else { &style },
                anchor(HPos::Right, VPos::Center),
            )?;
            let colour = if picked {
                CATEGORICAL[3]
            } else {
                CATEGORICAL[0]
            };
            if !self.dots {
                rect(
                    area,
                    (panel.left, y0),
                    (panel.x(b.value).max(panel.left + 1), y1),
                    colour,
                )?;
            }
            if let (Some(lo), Some(hi)) = (b.low, b.high) {
                let (xl, xh) = (panel.x(lo), panel.x(hi.min(panel.x_max)));
                let whisker = th.line(INK, 0.7);
                solid_line(area, vec![(xl, ym), (xh, ym)], whisker)?;
                let cap = ((y1 - y0) / 4).max(1);
                solid_line(area, vec![(xl, ym - cap), (xl, ym + cap)], whisker)?;
                solid_line(area, vec![(xh, ym - cap), (xh, ym + cap)], whisker)?;
            }
            if self.dots {
                let r = (((y1 - y0) as f64) * 0.35).round().max(2.0) as i32;
                area.draw(&Circle::new((panel.x(b.value), ym), r, colour.filled()))
                    .or_draw()?;
            }
            let end = panel.x(b.high.unwrap_or(b.value).max(b.value).min(panel.x_max));
            text(
                area,
                &f.label(b.value),
                (end + th.px(3.0), ym),
                &th.font(label_pt * 0.9, false, SECONDARY),
                anchor(HPos::Left, VPos::Center),
            )?;
        }
        Ok(())
    }
}
