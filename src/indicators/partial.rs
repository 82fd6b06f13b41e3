//! Partial results: each indicator's numerator, denominator or median per output unit
//! (`okey`) and month, before the grid of months is filled in and intervals computed.
use crate::model::Base;
use polars::prelude::*;

/// What is worked out over an indicator's rows per output unit and month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Rows: the numerator.
    Count,
    /// Rows for which `a` holds over rows.
    Proportion,
    /// The sum of `a` over the sum of `b`.
    Ratio,
    /// The median of `a` (nulls left out); the denominator is the number of rows.
    Median,
}

/// An indicator's rows, one per thing counted, each with its crime's unit (`ukey`) and
/// `month`, and the values the measure reads (`a`, `b`). They are collected one plan at
/// a time and aggregated to every output unit the row counts towards in one pass in
/// Rust ([`Partials::add`]), rather than joined to the output units and grouped in a
/// plan of their own: the join multiplied two million crimes for each of forty plans.
pub struct Plan {
    pub indicator: &'static str,
    pub frame: LazyFrame,
    pub measure: Measure,
    /// Counted towards the unit's own offence group as well as group `all`.
    pub groups: bool,
}

fn plan(lf: LazyFrame, values: [Expr; 2], measure: Measure, indicator: &str, groups: bool) -> Plan {
    let [a, b] = values;
    Plan {
        indicator: super::registry::find(indicator)
            .map(|i| i.id)
            .expect("an indicator of the catalogue"),
        // Only the values the measure reads: a count reads neither.
        frame: lf.select(
            [
                Some(col("ukey")),
                Some(col("month")),
                (measure != Measure::Count).then(|| a.cast(DataType::Float64).alias("a")),
                (measure == Measure::Ratio).then(|| b.cast(DataType::Float64).alias("b")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>(),
        ),
        measure,
        groups,
    }
}

fn none() -> Expr {
    lit(NULL).cast(DataType::Float64)
}

/// Rows counted per unit and month (the frame must have `ukey` and `month`).
pub fn count(lf: LazyFrame, indicator: &str, groups: bool) -> Plan {
    plan(lf, [none(), none()], Measure::Count, indicator, groups)
}

/// Rows for which `numerator` holds over rows for which `denominator` holds, per unit and
/// month: two counts of events, the first not a subset of the second.
pub fn ratio_of_counts(lf: LazyFrame, numerator: Expr, denominator: Expr, indicator: &str) -> Plan {
    let as_count = |e: Expr| e.cast(DataType::UInt32);
    plan(
        lf,
        [as_count(numerator), as_count(denominator)],
        Measure::Ratio,
        indicator,
        true,
    )
}

/// The share of rows for which `hit` holds.
pub fn proportion(lf: LazyFrame, hit: Expr, indicator: &str, groups: bool) -> Plan {
    plan(
        lf,
        [hit.cast(DataType::UInt32), none()],
        Measure::Proportion,
        indicator,
        groups,
    )
}

/// The median of whole days over the rows; the denominator is the number of rows.
pub fn median(lf: LazyFrame, days: Expr, indicator: &str, groups: bool) -> Plan {
    plan(lf, [days, none()], Measure::Median, indicator, groups)
}

/// One output cell's running aggregate.
#[derive(Default, Clone)]
struct Cell {
    rows: u64,
    a: f64,
    b: f64,
    values: Vec<f64>,
}

/// The partial rows of the plans, aggregated over the months of the output.
pub struct Partials<'a> {
    base: &'a Base,
    months: (i32, i32),
    pub rows: Vec<Row>,
}

impl<'a> Partials<'a> {
    pub fn new(base: &'a Base, months: (i32, i32)) -> Partials<'a> {
        Partials {
            base,
            months,
            rows: Vec::new(),
        }
    }

    /// Collects one plan and adds its cells: a row per output unit and month with at
    /// least one row, as a group-by would give.
    pub fn add(&mut self, plan: Plan) -> crate::error::Result<()> {
        let (m0, m1) = self.months;
        let frame = plan
            .frame
            .filter(col("month").gt_eq(lit(m0)).and(col("month").lt_eq(lit(m1))))
            .collect()?;
        let width = (m1 - m0 + 1) as usize;
        let mut cells: Vec<Cell> = vec![Cell::default(); self.base.outkeys.len() * width];
        let ukey = frame.column("ukey")?.u32()?;
        let month = frame.column("month")?.i32()?;
        let (groups, measure) = (plan.groups, plan.measure);
        let mut add = |u: Option<u32>, m: Option<i32>, a: Option<f64>, b: Option<f64>| {
            let (Some(u), Some(m)) = (u, m) else { return };
            for okey in self.base.okeys_of(u, groups) {
                let cell = &mut cells[*okey as usize * width + (m - m0) as usize];
                cell.rows += 1;
                match measure {
                    Measure::Count => {}
                    Measure::Proportion | Measure::Ratio => {
                        cell.a += a.unwrap_or(0.0);
                        cell.b += b.unwrap_or(0.0);
                    }
                    Measure::Median => cell.values.extend(a),
                }
            }
        };
        // Only the columns the measure reads: a count reads none of `a` and `b`.
        let column = |c: &str| -> crate::error::Result<Float64Chunked> {
            Ok(frame.column(c)?.f64()?.clone())
        };
        match measure {
            Measure::Count => {
                crate::util::for_each_row3(ukey, month, month, |_, u, m, _| add(u, m, None, None))
            }
            Measure::Median => {
                let a = column("a")?;
                crate::util::for_each_row3(ukey, month, &a, |_, u, m, a| add(u, m, a, None))
            }
            // A null adds nothing to a sum: as zeros, the columns are read unchecked.
            Measure::Proportion => {
                let a = column("a")?.fill_null_with_values(0.0)?;
                crate::util::for_each_row3(ukey, month, &a, |_, u, m, a| add(u, m, a, None))
            }
            Measure::Ratio => {
                let a = column("a")?.fill_null_with_values(0.0)?;
                let b = column("b")?.fill_null_with_values(0.0)?;
                crate::util::for_each_row4(ukey, month, &a, &b, |_, u, m, a, b| add(u, m, a, b))
            }
        }
        for (i, cell) in cells.into_iter().enumerate() {
            if cell.rows == 0 {
                continue;
            }
            let n = cell.rows as f64;
            let (num, den, med) = match plan.measure {
                Measure::Count => (Some(n), None, None),
                Measure::Proportion => (Some(cell.a), Some(n), None),
                Measure::Ratio => (Some(cell.a), Some(cell.b), None),
                Measure::Median => (None, Some(n), median_of(cell.values)),
            };
            self.rows.push(Row {
                okey: (i / width) as u32,
                month: m0 + (i % width) as i32,
                indicator: plan.indicator,
                num,
                den,
                med,
            });
        }
        Ok(())
    }
}

/// The median, the mean of the two middle values for an even count (as polars and R).
fn median_of(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        let (lo, hi) = (values[n / 2 - 1], values[n / 2]);
        lo + (hi - lo) * 0.5
    })
}

#[cfg(test)]
mod tests {
    use super::median_of;

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median_of(vec![]), None);
        assert_eq!(median_of(vec![5.0]), Some(5.0));
        assert_eq!(median_of(vec![9.0, 1.0, 4.0]), Some(4.0));
        // R: median(c(1, 2, 4, 10)) is 3.
        assert_eq!(median_of(vec![10.0, 1.0, 4.0, 2.0]), Some(3.0));
    }
}

/// Month index of an integer day count.
pub fn month_of_days(e: Expr) -> Expr {
    crate::model::month_of_date(e.cast(DataType::Date))
}

/// A partial row computed outside polars (cumulative and window indicators).
#[derive(Debug, Clone)]
pub struct Row {
    pub okey: u32,
    pub month: i32,
    pub indicator: &'static str,
    pub num: Option<f64>,
    pub den: Option<f64>,
    pub med: Option<f64>,
}
