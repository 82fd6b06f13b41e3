//! A grid of small SPC charts on one page, such as one pillar's indicators, each with its
//! title, latest value and variation in words (colour is never the only signal).
use super::draw::*;
use super::spc::{SpcChart, icon_words};
use super::{ChartError, Rect};
use crate::util::lower_first;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

#[derive(Debug, Clone)]
pub struct MultiplesChart {
    pub panels: Vec<(String, SpcChart)>,
    pub columns: usize,
}

impl MultiplesChart {
    pub fn describe(&self) -> String {
        let items: Vec<String> = self
            .panels
            .iter()
            .map(|(title, c)| {
                format!(
                    "{title}: {}, {}",
                    lower_first(&c.latest_words()),
                    c.result.icon.map(icon_words).unwrap_or("no signal")
                )
            })
            .collect();
        format!(
            "Small multiples of {} XmR charts. Latest values: {}.",
            self.panels.len(),
            items.join("; ")
        )
    }

    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        th: &Theme,
        body: Rect,
    ) -> Result<(), ChartError> {
        let cols = self.columns.max(1);
        let rows = self.panels.len().div_ceil(cols).max(1);
        let cw = (body.right - body.left) as f64 / cols as f64;
        let rh = (body.bottom - body.top) as f64 / rows as f64;
        let title_style = th.font(7.0, true, INK);
        let note_style = th.font(6.0, false, SECONDARY);
        for (i, (title, chart)) in self.panels.iter().enumerate() {
            let (r, c) = (i / cols, i % cols);
            let cell = Rect {
                left: body.left + (c as f64 * cw).round() as i32,
                top: body.top + (r as f64 * rh).round() as i32,
                right: body.left + ((c + 1) as f64 * cw).round() as i32 - th.px(8.0),
                bottom: body.top + ((r + 1) as f64 * rh).round() as i32 - th.px(6.0),
            };
            let width = cell.right - cell.left;
            let mut y = cell.top;
            for line in wrap(area, title, &title_style, width).into_iter().take(2) {
                text(
                    area,
                    &line,
                    (cell.left, y),
                    &title_style,
                    anchor(HPos::Left, VPos::Top),
                )?;
                y += th.px(8.5);
            }
            let icon = chart.result.icon.map(icon_words).unwrap_or("");
            let colour = chart
                .result
                .latest_point()
                .map(|p| super::spc::point_colour(p.point_type))
                .unwrap_or(SECONDARY);
            let note = format!("{}: {icon}", chart.latest_words());
            for line in wrap(area, &note, &note_style, width).into_iter().take(1) {
                text(
                    area,
                    &line,
                    (cell.left, y),
                    &th.font(
                        6.0,
                        false,
                        if colour == SPC_COMMON { SECONDARY } else { INK },
                    ),
                    anchor(HPos::Left, VPos::Top),
                )?;
            }
            y += th.px(9.0);
            if cell.bottom - y > th.px(20.0) {
                chart.draw_in(area, th, Rect { top: y, ..cell }, true)?;
            }
        }
        Ok(())
    }
}
