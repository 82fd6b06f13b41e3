//! Partial results: each indicator's numerator, denominator or median per output unit
//! (`okey`) and month, before the grid of months is filled in and intervals computed.
use crate::model::Base;
use polars::prelude::*;

fn keys() -> [Expr; 2] {
    [col("okey"), col("month")]
}

fn finish(lf: LazyFrame, indicator: &str) -> LazyFrame {
    lf.select([
        col("okey"),
        col("month"),
        lit(indicator.to_string()).alias("indicator"),
        col("num").cast(DataType::Float64),
        col("den").cast(DataType::Float64),
        col("med").cast(DataType::Float64),
    ])
}

/// Rows counted per unit and month (the frame must have `ukey` and `month`).
pub fn count(base: &Base, lf: LazyFrame, indicator: &str, groups: bool) -> LazyFrame {
    let agg = base.expand(lf, groups).group_by(keys()).agg([
        len().alias("num"),
        lit(NULL).cast(DataType::Float64).alias("den"),
        lit(NULL).cast(DataType::Float64).alias("med"),
    ]);
    finish(agg, indicator)
}

/// Rows for which `numerator` holds over rows for which `denominator` holds, per unit and
/// month: two counts of events, the first not a subset of the second.
pub fn ratio_of_counts(
    base: &Base,
    lf: LazyFrame,
    numerator: Expr,
    denominator: Expr,
    indicator: &str,
) -> LazyFrame {
    let agg = base
        .expand(
            lf.with_columns([
                numerator.cast(DataType::UInt32).alias("__num"),
                denominator.cast(DataType::UInt32).alias("__den"),
            ]),
            true,
        )
        .group_by(keys())
        .agg([
            col("__num").sum().alias("num"),
            col("__den").sum().alias("den"),
            lit(NULL).cast(DataType::Float64).alias("med"),
        ]);
    finish(agg, indicator)
}

/// The share of rows for which `hit` holds.
pub fn proportion(
    base: &Base,
    lf: LazyFrame,
    hit: Expr,
    indicator: &str,
    groups: bool,
) -> LazyFrame {
    let agg = base
        .expand(
            lf.with_column(hit.cast(DataType::UInt32).alias("__hit")),
            groups,
        )
        .group_by(keys())
        .agg([
            col("__hit").sum().alias("num"),
            len().alias("den"),
            lit(NULL).cast(DataType::Float64).alias("med"),
        ]);
    finish(agg, indicator)
}

/// The median of whole days over the rows; the denominator is the number of rows.
pub fn median(base: &Base, lf: LazyFrame, days: Expr, indicator: &str, groups: bool) -> LazyFrame {
    let agg = base
        .expand(lf.with_column(days.alias("__days")), groups)
        .group_by(keys())
        .agg([
            lit(NULL).cast(DataType::Float64).alias("num"),
            len().alias("den"),
            col("__days").cast(DataType::Float64).median().alias("med"),
        ]);
    finish(agg, indicator)
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
