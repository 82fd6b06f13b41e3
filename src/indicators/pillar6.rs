//! Pillar 6: digital forensics.
use super::Ctx;
use super::partial::{Row, count, median, month_of_days};
use crate::error::Result;
use crate::model::Base;
use polars::prelude::*;

/// Per crime and device owner: the first seizure, examination and return. Worked out
/// once for the three indicators that read it (`None` without events).
pub fn device_pairs(b: &Base) -> Result<Option<DataFrame>> {
    let Some(events) = b.events_of(&["device_seized", "device_examined", "device_returned"]) else {
        return Ok(None);
    };
    let is = crate::model::is_event;
    let only = |c: Expr| {
        when(c)
            .then(col("day"))
            .otherwise(lit(NULL).cast(DataType::Int32))
    };
    Ok(Some(
        events
            .group_by([col("cidx"), col("detail")])
            .agg([
                only(is("device_seized")).min().alias("seized"),
                col("day")
                    .filter(is("device_examined"))
                    .min()
                    .alias("examined"),
                col("day")
                    .filter(is("device_returned"))
                    .min()
                    .alias("returned"),
                col("ukey").first(),
                col("recorded").first(),
                col("first_out").first(),
            ])
            .collect()?,
    ))
}

pub fn compute(ctx: &mut Ctx, pairs: Option<&DataFrame>) {
    let pairs = || pairs.expect("events checked by add").clone().lazy();
    ctx.add_events("devices_seized", &["device_seized"], |e| {
        count(e, "devices_seized", true)
    });
    ctx.add("days_seizure_to_examination_median", || {
        let pairs = pairs()
            .filter(
                col("seized")
                    .is_not_null()
                    .and(col("examined").is_not_null()),
            )
            .with_column(month_of_days(col("examined")).alias("month"));
        median(
            pairs,
            col("examined") - col("seized"),
            "days_seizure_to_examination_median",
            true,
        )
    });
    ctx.add("days_victim_device_return_median", || {
        let pairs = pairs()
            .filter(
                col("detail")
                    .eq(lit("victim"))
                    .fill_null(lit(false))
                    .and(col("seized").is_not_null())
                    .and(col("returned").is_not_null()),
            )
            .with_column(month_of_days(col("returned")).alias("month"));
        median(
            pairs,
            col("returned") - col("seized"),
            "days_victim_device_return_median",
            true,
        )
    });
}

/// Devices awaiting examination at each month end (version 2): a pair counts from the
/// month it is both seized and on a recorded crime up to (not including) the month of its
/// first examination or of its crime's first outcome, whichever comes first, so a device
/// on a closed crime no longer waits for ever.
pub fn awaiting_examination_deltas(b: &Base, pairs: &DataFrame) -> Result<DataFrame> {
    let start = month_of_days(
        when(col("recorded").gt(col("seized")))
            .then(col("recorded"))
            .otherwise(col("seized")),
    );
    let examined = month_of_days(col("examined"));
    let closed = month_of_days(col("first_out"));
    let stop = when(examined.clone().is_null())
        .then(closed.clone())
        .when(closed.clone().is_null())
        .then(examined.clone())
        .when(examined.clone().lt(closed.clone()))
        .then(examined)
        .otherwise(closed);
    // A pair examined or closed before it began to wait never waited.
    let pairs = pairs
        .clone()
        .lazy()
        .filter(col("seized").is_not_null())
        .with_columns([start.alias("start"), stop.alias("stop")])
        .filter(col("stop").is_null().or(col("start").lt(col("stop"))));
    let starts = pairs
        .clone()
        .with_columns([col("start").alias("month"), lit(1i64).alias("delta")]);
    let ends = pairs
        .filter(col("stop").is_not_null())
        .with_columns([col("stop").alias("month"), lit(-1i64).alias("delta")]);
    let both = concat([starts, ends], UnionArgs::default())?;
    Ok(b.expand(both, true)
        .group_by([col("okey"), col("month")])
        .agg([col("delta").sum()])
        .collect()?)
}

pub fn awaiting_rows(deltas: &DataFrame, months: (i32, i32)) -> Result<Vec<Row>> {
    super::cumulate(deltas, months, "devices_awaiting_examination")
}
