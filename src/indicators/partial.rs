//! Partial results: each indicator's numerator, denominator or median per output unit
//! and month, before the grid of months is filled in and intervals computed.
use super::base::Base;
use polars::prelude::*;

pub const KEYS: [&str; 4] = ["force", "area", "offence_group", "month"];

fn key_exprs() -> Vec<Expr> {
    KEYS.iter().map(|k| col(*k)).collect()
}

fn finish(lf: LazyFrame, indicator: &str) -> LazyFrame {
    lf.select([
        col("force"),
        col("area"),
        col("offence_group"),
        col("month"),
        lit(indicator.to_string()).alias("indicator"),
        col("num").cast(DataType::Float64),
        col("den").cast(DataType::Float64),
        col("med").cast(DataType::Float64),
    ])
}

/// Rows counted per unit and month (the frame must have a `month` column).
pub fn count(base: &Base, lf: LazyFrame, indicator: &str, groups: bool) -> LazyFrame {
    let agg = base.expand(lf, groups).group_by(key_exprs()).agg([
        len().alias("num"),
        lit(NULL).cast(DataType::Float64).alias("den"),
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
        .expand(lf.with_column(hit.alias("__hit")), groups)
        .group_by(key_exprs())
        .agg([
            col("__hit").cast(DataType::Int64).sum().alias("num"),
            len().alias("den"),
            lit(NULL).cast(DataType::Float64).alias("med"),
        ]);
    finish(agg, indicator)
}

/// The median of whole days over the rows; the denominator is the number of rows.
pub fn median(base: &Base, lf: LazyFrame, days: Expr, indicator: &str, groups: bool) -> LazyFrame {
    let agg = base
        .expand(lf.with_column(days.alias("__days")), groups)
        .group_by(key_exprs())
        .agg([
            lit(NULL).cast(DataType::Float64).alias("num"),
            len().alias("den"),
            col("__days").cast(DataType::Float64).median().alias("med"),
        ]);
    finish(agg, indicator)
}

/// Month index of an integer day count.
pub fn month_of_days(e: Expr) -> Expr {
    let date = e.cast(DataType::Date);
    date.clone().dt().year().cast(DataType::Int32) * lit(12)
        + date.dt().month().cast(DataType::Int32)
        - lit(1)
}

/// A partial row computed outside polars (cumulative and window indicators).
#[derive(Debug, Clone)]
pub struct Row {
    pub force: String,
    pub area: String,
    pub offence_group: String,
    pub month: i32,
    pub indicator: &'static str,
    pub num: Option<f64>,
    pub den: Option<f64>,
    pub med: Option<f64>,
}
