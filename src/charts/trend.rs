//! Monthly values with their 95% interval as a band and, optionally, the rolling
//! 12-month value (pooled numerators over pooled denominators, not a mean of rates).
use super::draw::*;
use super::{ChartError, Rect};
use crate::format::*;
use plotters::prelude::*;

#[derive(Debug, Clone)]
pub struct TrendChart {
    pub periods: Vec<String>,
    pub values: Vec<Option<f64>>,
    /// The interval band; empty when there is none.
    pub low: Vec<Option<f64>>,
    pub high: Vec<Option<f64>>,
    /// Rolling 12-month values, from the 12th month on.
    pub rolling: Option<Vec<Option<f64>>>,
    pub format: ValueFormat,
    pub measure: String,
}

/// Rolling sums of numerators over rolling sums of denominators (or, without
/// denominators, the rolling mean of monthly counts), for windows with all months present.
pub fn rolling_12(
    numerators: &[Option<f64>],
    denominators: Option<&[Option<f64>]>,
) -> Vec<Option<f64>> {
    (0..numerators.len())
        .map(|i| {
            if i + 1 < 12 {
                return None;
            }
            let window = i + 1 - 12..=i;
            let num: Option<f64> = window.clone().map(|j| numerators[j]).sum();
            match denominators {
                Some(d) => {
                    let den: Option<f64> = window.map(|j| d[j]).sum();
                    match (num, den) {
                        (Some(n), Some(d)) if d > 0.0 => Some(n / d),
                        _ => None,
                    }
                }
                None => num.map(|n| n / 12.0),
            }
        })
        .collect()
}

impl TrendChart {
    pub fn describe(&self) -> String {
        let f = self.format;
        let present: Vec<(usize, f64)> = self
            .values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (i, v)))
            .collect();
        let Some(&(last_i, last)) = present.last() else {
            return format!("Monthly {}: no values in the period.", self.measure);
        };
        let (min_i, min) = present
            .iter()
            .copied()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .expect("present is not empty");
        let (max_i, max) = present
            .iter()
            .copied()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .expect("present is not empty");
        let mut s = format!(
            "Monthly {} from {} to {}{}. It ranged from {} ({}) to {} ({}); the latest value is {} in {}.",
            self.measure,
            month_long(&self.periods[0]),
            month_long(self.periods.last().expect("periods match values")),
            if self.low.is_empty() {
                ""
            } else {
                ", with 95% intervals"
            },
            f.label(min),
            month_long(&self.periods[min_i]),
            f.label(max),
            month_long(&self.periods[max_i]),
            f.label(last),
            month_long(&self.periods[last_i]),
        );
        if let Some(r) = self
            .rolling
            .as_ref()
            .and_then(|r| r.iter().rev().flatten().next())
        {
            s.push_str(&format!(" Over the last 12 months it was {}.", f.label(*r)));
        }
        s
    }

    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        th: &Theme,
        body: Rect,
    ) -> Result<(), ChartError> {
        let f = self.format;
        let all = self
            .values
            .iter()
            .chain(&self.low)
            .chain(&self.high)
            .chain(self.rolling.iter().flatten())
            .flatten()
            .copied();
        let (lo, hi) = value_range(all, !matches!(f, ValueFormat::Decimal(_)));
        let ticks = nice_ticks(lo, hi, 5);
        let widest = tick_label_width(area, th, &ticks, f, 7.0);
        let n = self.periods.len();
        let panel = Panel {
            left: body.left + widest + th.px(5.0),
            top: body.top + th.px(26.0),
            right: body.right - th.px(6.0),
            bottom: body.bottom - th.px(13.0),
            x_min: -0.5,
            x_max: n as f64 - 0.5,
            y_min: ticks[0],
            y_max: *ticks.last().expect("ticks are never empty"),
        };
        y_axis(area, th, &panel, &ticks, f)?;
        y_title(area, th, body.left, &panel, f.axis_title())?;
        month_axis(area, th, &panel, &self.periods, false)?;

        // The band, one polygon per run of months with an interval.
        let mut run: Vec<usize> = Vec::new();
        let flush = |run: &mut Vec<usize>| -> Result<(), ChartError> {
            if run.len() > 1 {
                let mut poly: Vec<(i32, i32)> = run
                    .iter()
                    .map(|&i| (panel.x(i as f64), panel.y(self.high[i].unwrap_or(0.0))))
                    .collect();
                poly.extend(
                    run.iter()
                        .rev()
                        .map(|&i| (panel.x(i as f64), panel.y(self.low[i].unwrap_or(0.0)))),
                );
                area.draw(&Polygon::new(poly, BAND.filled())).or_draw()?;
            }
            run.clear();
            Ok(())
        };
        for i in 0..n {
            if self.low.get(i).copied().flatten().is_some()
                && self.high.get(i).copied().flatten().is_some()
            {
                run.push(i);
            } else {
                flush(&mut run)?;
            }
        }
        flush(&mut run)?;

        let line = |values: &[Option<f64>],
                    colour: RGBColor,
                    width: f64|
         -> Result<(), ChartError> {
            let mut segment: Vec<(i32, i32)> = Vec::new();
            for (i, v) in values.iter().enumerate() {
                match v {
                    Some(v) => segment.push((panel.x(i as f64), panel.y(*v))),
                    None => {
                        if segment.len() > 1 {
                            solid_line(area, std::mem::take(&mut segment), th.line(colour, width))?;
                        }
                        segment.clear();
                    }
                }
            }
            if segment.len() > 1 {
                solid_line(area, segment, th.line(colour, width))?;
            }
            Ok(())
        };
        line(&self.values, CATEGORICAL[0], 1.0)?;
        let radius = th.px(1.4).max(2);
        for (i, v) in self.values.iter().enumerate() {
            if let Some(v) = v {
                area.draw(&Circle::new(
                    (panel.x(i as f64), panel.y(*v)),
                    radius,
                    CATEGORICAL[0].filled(),
                ))
                .or_draw()?;
            }
        }
        if let Some(r) = &self.rolling {
            line(r, CATEGORICAL[3], 1.6)?;
        }

        let mut entries = vec![(Key::Line(CATEGORICAL[0]), "Monthly value")];
        if !self.low.is_empty() {
            entries.push((Key::Block(BAND), "95% interval"));
        }
        if self.rolling.is_some() {
            entries.push((Key::Line(CATEGORICAL[3]), "Rolling 12 months"));
        }
        legend(area, th, (body.left, body.top + th.px(5.0)), &entries)
    }
}

#[cfg(test)]
mod tests {
    use super::rolling_12;

    #[test]
    fn rolling_pools_numerators_and_denominators() {
        let num: Vec<Option<f64>> = (1..=13).map(|v| Some(v as f64)).collect();
        let den: Vec<Option<f64>> = vec![Some(10.0); 13];
        let r = rolling_12(&num, Some(&den));
        assert_eq!(r[10], None);
        assert_eq!(r[11], Some(78.0 / 120.0));
        assert_eq!(r[12], Some(90.0 / 120.0));
        let counts = rolling_12(&num, None);
        assert_eq!(counts[11], Some(6.5));
        let mut gap = num.clone();
        gap[5] = None;
        assert_eq!(rolling_12(&gap, None)[11], None);
    }
}
