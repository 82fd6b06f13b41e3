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
    pub source: Source,
    pub measure: Measure,
    /// Counted towards the unit's own offence group as well as group `all`.
    pub groups: bool,
}

/// Where a plan's rows come from.
pub enum Source {
    /// A frame of `ukey`, `month` and the values the measure reads.
    Frame(LazyFrame),
    /// Crimes recorded or closed in the month, with the value the measure reads (`a`).
    /// The plans over the same crimes are collected as one projection of the crimes
    /// ([`Partials::add_all`]): eighteen indicators read them.
    Crimes(CrimeRows, Expr),
}

/// Crimes by the month they were recorded in (R(m)) or closed in (C(m)), those for
/// which `keep` holds.
#[derive(Clone)]
pub struct CrimeRows {
    closed: bool,
    keep: Option<Expr>,
}

impl CrimeRows {
    /// Crimes recorded in a month: R(m).
    pub fn recorded() -> CrimeRows {
        CrimeRows {
            closed: false,
            keep: None,
        }
    }

    /// Crimes closed in a month: C(m), keyed by the month of the current outcome.
    pub fn closed() -> CrimeRows {
        CrimeRows {
            closed: true,
            keep: None,
        }
    }

    /// Only the crimes for which `condition` also holds (null does not).
    pub fn filter(self, condition: Expr) -> CrimeRows {
        CrimeRows {
            keep: Some(match self.keep {
                Some(k) => k.and(condition),
                None => condition,
            }),
            ..self
        }
    }

    /// All the crimes of this kind, with `month`, before `keep`.
    fn all(&self, b: &Base) -> LazyFrame {
        self.of(b.crimes())
    }

    /// Of `crimes` (the model's, or some of them), those of this kind, with `month`.
    fn of(&self, crimes: LazyFrame) -> LazyFrame {
        match self.closed {
            true => crimes
                .filter(col("cur_date").is_not_null())
                .with_column(month_of_days(col("cur_date")).alias("month")),
            false => crimes.with_column(col("rec_month").alias("month")),
        }
    }

    /// The crimes as a frame.
    pub fn frame(&self, b: &Base) -> LazyFrame {
        match &self.keep {
            Some(k) => self.all(b).filter(k.clone()),
            None => self.all(b),
        }
    }
}

impl From<LazyFrame> for Source {
    fn from(lf: LazyFrame) -> Source {
        Source::Frame(lf)
    }
}

impl From<CrimeRows> for Source {
    fn from(rows: CrimeRows) -> Source {
        Source::Crimes(rows, none())
    }
}

fn plan(
    source: impl Into<Source>,
    values: [Expr; 2],
    measure: Measure,
    indicator: &str,
    groups: bool,
) -> Plan {
    let [a, b] = values;
    let source = match source.into() {
        // Only the values the measure reads: a count reads neither.
        Source::Frame(lf) => Source::Frame(
            lf.select(
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
        ),
        Source::Crimes(rows, _) => {
            assert!(
                measure != Measure::Ratio,
                "a ratio of counts is over events"
            );
            Source::Crimes(rows, a.cast(DataType::Float64))
        }
    };
    Plan {
        indicator: super::registry::find(indicator)
            .map(|i| i.id)
            .expect("an indicator of the catalogue"),
        source,
        measure,
        groups,
    }
}

fn none() -> Expr {
    lit(NULL).cast(DataType::Float64)
}

/// Rows counted per unit and month (the frame must have `ukey` and `month`).
pub fn count(rows: impl Into<Source>, indicator: &str, groups: bool) -> Plan {
    plan(rows, [none(), none()], Measure::Count, indicator, groups)
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
pub fn proportion(rows: impl Into<Source>, hit: Expr, indicator: &str, groups: bool) -> Plan {
    plan(
        rows,
        [hit.cast(DataType::UInt32), none()],
        Measure::Proportion,
        indicator,
        groups,
    )
}

/// The median of whole days over the rows; the denominator is the number of rows.
pub fn median(rows: impl Into<Source>, days: Expr, indicator: &str, groups: bool) -> Plan {
    plan(rows, [days, none()], Measure::Median, indicator, groups)
}

/// The plans as units of work, each collected on its own: a plan over a frame alone
/// (each is quick, and only its own rows are held); the plans over the crimes recorded
/// in a month together, and those over the crimes closed in one, each batch one
/// projection of the crimes ([`Partials::add_batch`]), first.
pub fn batches(plans: Vec<Plan>) -> Vec<Vec<Plan>> {
    let mut over_crimes: [Vec<Plan>; 2] = [Vec::new(), Vec::new()];
    let mut alone = Vec::new();
    for plan in plans {
        match &plan.source {
            Source::Crimes(rows, _) => over_crimes[rows.closed as usize].push(plan),
            Source::Frame(_) => alone.push(vec![plan]),
        }
    }
    let [recorded, closed] = over_crimes;
    [closed, recorded]
        .into_iter()
        .filter(|b| !b.is_empty())
        .chain(alone)
        .collect()
}

/// A batch of [`batches`] in a few words, for `SOTERIA_TRACE`.
pub fn describe(batch: &[Plan]) -> String {
    match batch {
        [
            Plan {
                source: Source::Crimes(rows, _),
                ..
            },
            ..,
        ] => format!(
            "{} plans over crimes {}",
            batch.len(),
            if rows.closed { "closed" } else { "recorded" }
        ),
        _ => batch
            .iter()
            .map(|p| p.indicator)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// One output cell's running aggregate.
#[derive(Default, Clone)]
struct Cell {
    rows: u64,
    a: f64,
    b: f64,
    values: Vec<f64>,
}

/// Crimes projected at a time for the plans over crimes: all of a national extract of
/// today's volume (two million) in one.
const CRIMES_AT_A_TIME: usize = 1 << 22;

/// The partial rows of the plans, aggregated over the months of the output.
pub struct Partials<'a> {
    base: &'a Base,
    months: (i32, i32),
    pub rows: Vec<Row>,
    crimes_at_a_time: usize,
}

impl<'a> Partials<'a> {
    pub fn new(base: &'a Base, months: (i32, i32)) -> Partials<'a> {
        Partials {
            base,
            months,
            rows: Vec::new(),
            crimes_at_a_time: CRIMES_AT_A_TIME,
        }
    }

    /// Adds the cells of every plan, batch by batch ([`batches`]).
    #[cfg(test)]
    pub fn add_all(&mut self, plans: Vec<Plan>) -> crate::error::Result<()> {
        for batch in batches(plans) {
            self.add_batch(batch)?;
        }
        Ok(())
    }

    /// Adds the cells of a batch of [`batches`]. The rows' order does not matter: they
    /// are keyed by unit, month and indicator.
    pub fn add_batch(&mut self, batch: Vec<Plan>) -> crate::error::Result<()> {
        match batch.first().map(|p| &p.source) {
            Some(Source::Crimes(rows, _)) => {
                let closed = rows.closed;
                self.add_over_crimes(closed, batch)
            }
            _ => batch.into_iter().try_for_each(|plan| self.add(plan)),
        }
    }

    /// Collects one plan and adds its cells: a row per output unit and month with at
    /// least one row, as a group-by would give.
    pub fn add(&mut self, plan: Plan) -> crate::error::Result<()> {
        let lf = match plan.source {
            Source::Frame(lf) => lf,
            Source::Crimes(rows, a) => {
                let closed = rows.closed;
                let source = Source::Crimes(rows, a);
                return self.add_over_crimes(closed, vec![Plan { source, ..plan }]);
            }
        };
        let frame = lf.filter(self.in_months()).collect()?;
        let mut cells = self.cells();
        let ukey = frame.column("ukey")?.u32()?;
        let month = frame.column("month")?.i32()?;
        let (groups, measure) = (plan.groups, plan.measure);
        let mut add = |u, m, a, b| self.tally(&mut cells, groups, measure, u, m, a, b);
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
        self.finish(cells, plan.indicator, measure);
        Ok(())
    }

    /// Plans over the crimes recorded (or closed) in a month: one projection of the
    /// crimes with each plan's condition (`k0`, `k1`, ...) and value (`a0`, ...), and a
    /// walk per plan over the rows its condition keeps.
    fn add_over_crimes(&mut self, closed: bool, plans: Vec<Plan>) -> crate::error::Result<()> {
        if plans.is_empty() {
            return Ok(());
        }
        let all = CrimeRows { closed, keep: None };
        let mut columns = vec![col("ukey"), col("month")];
        for (i, plan) in plans.iter().enumerate() {
            let Source::Crimes(rows, a) = &plan.source else {
                unreachable!("only plans over crimes are passed")
            };
            // Every row with a unit when there is no condition: not `lit(true)`, which
            // polars' common-subexpression pass turns into a column of height one.
            let keep = rows
                .keep
                .clone()
                .unwrap_or(col("ukey").is_not_null())
                .fill_null(lit(false));
            columns.push(keep.cast(DataType::UInt8).alias(format!("k{i}")));
            if plan.measure != Measure::Count {
                columns.push(a.clone().alias(format!("a{i}")));
            }
        }
        let mut cells: Vec<Vec<Cell>> = plans.iter().map(|_| self.cells()).collect();
        // A slice of the crimes at a time: the projection holds a byte and a value per
        // plan and crime, 1.5 GB for eighteen plans over twenty million crimes.
        let crimes = self.base.crimes.height();
        let at_a_time = self.crimes_at_a_time;
        for start in (0..crimes.max(1)).step_by(at_a_time) {
            let slice = self.base.crimes().slice(start as i64, at_a_time as IdxSize);
            let frame = all
                .of(slice)
                .select(columns.clone())
                .filter(self.in_months())
                .collect()?;
            self.walk_over_crimes(&plans, &frame, &mut cells)?;
        }
        for (plan, cells) in plans.into_iter().zip(cells) {
            self.finish(cells, plan.indicator, plan.measure);
        }
        Ok(())
    }

    /// Adds the rows of a projection of crimes to each plan's cells.
    fn walk_over_crimes(
        &self,
        plans: &[Plan],
        frame: &DataFrame,
        cells: &mut [Vec<Cell>],
    ) -> crate::error::Result<()> {
        let ukey = frame.column("ukey")?.u32()?;
        let month = frame.column("month")?.i32()?;
        for (i, (plan, cells)) in plans.iter().zip(cells).enumerate() {
            let (groups, measure) = (plan.groups, plan.measure);
            let mut add = |u, m, a, b| self.tally(cells, groups, measure, u, m, a, b);
            let keep = frame.column(&format!("k{i}"))?.u8()?;
            let value = |fill: bool| -> crate::error::Result<Float64Chunked> {
                let a = frame.column(&format!("a{i}"))?.f64()?.clone();
                Ok(if fill {
                    a.fill_null_with_values(0.0)?
                } else {
                    a
                })
            };
            match measure {
                Measure::Count => crate::util::for_each_row3(ukey, month, keep, |_, u, m, k| {
                    if k == Some(1) {
                        add(u, m, None, None)
                    }
                }),
                Measure::Proportion | Measure::Median => {
                    // A null adds nothing to a share's sum, and is left out of a median.
                    let a = value(measure == Measure::Proportion)?;
                    crate::util::for_each_row4(ukey, month, keep, &a, |_, u, m, k, a| {
                        if k == Some(1) {
                            add(u, m, a, None)
                        }
                    })
                }
                Measure::Ratio => unreachable!("a ratio of counts is over events"),
            }
        }
        Ok(())
    }

    fn in_months(&self) -> Expr {
        let (m0, m1) = self.months;
        col("month").gt_eq(lit(m0)).and(col("month").lt_eq(lit(m1)))
    }

    fn width(&self) -> usize {
        (self.months.1 - self.months.0 + 1) as usize
    }

    fn cells(&self) -> Vec<Cell> {
        vec![Cell::default(); self.base.outkeys.len() * self.width()]
    }

    /// Adds one row to the cells of every output unit it counts towards.
    #[allow(clippy::too_many_arguments)]
    fn tally(
        &self,
        cells: &mut [Cell],
        groups: bool,
        measure: Measure,
        u: Option<u32>,
        m: Option<i32>,
        a: Option<f64>,
        b: Option<f64>,
    ) {
        let (Some(u), Some(m)) = (u, m) else { return };
        let width = self.width();
        for okey in self.base.okeys_of(u, groups) {
            let cell = &mut cells[*okey as usize * width + (m - self.months.0) as usize];
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
    }

    /// A row per output unit and month with at least one row, as a group-by would give.
    fn finish(&mut self, cells: Vec<Cell>, indicator: &'static str, measure: Measure) {
        let (m0, width) = (self.months.0, self.width());
        for (i, cell) in cells.into_iter().enumerate() {
            if cell.rows == 0 {
                continue;
            }
            let n = cell.rows as f64;
            let (num, den, med) = match measure {
                Measure::Count => (Some(n), None, None),
                Measure::Proportion => (Some(cell.a), Some(n), None),
                Measure::Ratio => (Some(cell.a), Some(cell.b), None),
                Measure::Median => (None, Some(n), median_of(cell.values)),
            };
            self.rows.push(Row {
                okey: (i / width) as u32,
                month: m0 + (i % width) as i32,
                indicator,
                num,
                den,
                med,
            });
        }
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
    use super::*;

    /// Plans over crimes projected a slice of crimes at a time (here 700 of the
    /// sample's 8,900) give the rows of one projection of them all.
    #[test]
    fn plans_over_crimes_add_up_slice_by_slice() {
        let dataset =
            crate::ingest::Dataset::load(std::path::Path::new("datasets/sample"), None).unwrap();
        let as_at = dataset.as_at(None).unwrap();
        let base = Base::build(&dataset, as_at.days(), None, None).unwrap();
        let plans = || {
            vec![
                count(CrimeRows::recorded(), "recorded", true),
                proportion(
                    CrimeRows::closed(),
                    col("has_isva"),
                    "isva_referral_rate",
                    true,
                ),
                median(
                    CrimeRows::closed().filter(col("has_suspect")),
                    col("cur_date") - col("recorded"),
                    "days_recorded_to_charge_median",
                    false,
                ),
            ]
        };
        let months = base.crimes.column("rec_month").unwrap().i32().unwrap();
        let months = (months.min().unwrap(), months.max().unwrap() + 12);
        let rows = |at_a_time: usize| {
            let mut partials = Partials::new(&base, months);
            partials.crimes_at_a_time = at_a_time;
            partials.add_all(plans()).unwrap();
            let mut rows: Vec<String> = partials.rows.iter().map(|r| format!("{r:?}")).collect();
            rows.sort();
            rows
        };
        assert!(base.crimes.height() > 7_000);
        let whole = rows(CRIMES_AT_A_TIME);
        assert!(whole.len() > 100, "{}", whole.len());
        assert_eq!(whole, rows(700));
    }

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
