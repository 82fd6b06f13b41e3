//! Pillar 6: digital forensics.
use super::Ctx;
use super::partial::{Row, count, median, month_of_days};
use crate::error::Result;
use crate::model::Base;
use polars::prelude::*;

/// Per crime and device owner: the first seizure, examination and return. Worked out
/// once for the three indicators that read it (`None` without events).
pub fn device_pairs(b: &Base) -> Result<Option<DataFrame>> {
    const TYPES: [&str; 3] = ["device_seized", "device_examined", "device_returned"];
    // One walk over the three types' events, each device (crime and `detail`) keeping
    // its first date of each: a group-by of the events sorted into one frame took 0.4 s
    // and 380 MB of a national deck, ten times that at ten times the volume.
    // A device's first day of each type, `NONE` for none: twelve bytes beside its key
    // (its crime and its `detail` by number) for ten million devices.
    const NONE: i32 = i32::MAX;
    type Firsts = [i32; 3];
    // Each `detail` (a device's owner: a handful of values) by a number, so that an
    // event's device is found without making its text.
    let mut names: rustc_hash::FxHashMap<String, u32> = Default::default();
    let mut devices: rustc_hash::FxHashMap<u64, Firsts> = Default::default();
    for (which, t) in TYPES.iter().enumerate() {
        let attached = b.for_each_event(t, |e, detail| {
            let name = match detail {
                None => 0,
                Some(d) => match names.get(d) {
                    Some(n) => *n,
                    None => {
                        let n = names.len() as u32 + 1;
                        names.insert(d.to_string(), n);
                        n
                    }
                },
            };
            let key = (u64::from(e.cidx) << 32) | u64::from(name);
            let firsts = devices.entry(key).or_insert([NONE; 3]);
            firsts[which] = firsts[which].min(e.day);
        })?;
        if !attached {
            return Ok(None);
        }
    }
    let mut by_number: Vec<Option<&str>> = vec![None; names.len() + 1];
    for (name, n) in &names {
        by_number[*n as usize] = Some(name.as_str());
    }
    let mut devices: Vec<(u64, Firsts)> = devices.into_iter().collect();
    devices.sort_unstable_by_key(|d| d.0);
    let cidx: Vec<u32> = devices.iter().map(|(k, _)| (k >> 32) as u32).collect();
    let detail: Vec<Option<&str>> = devices
        .iter()
        .map(|(k, _)| by_number[(k & u64::from(u32::MAX)) as usize])
        .collect();
    let first = |i: usize| -> Vec<Option<i32>> {
        devices
            .iter()
            .map(|(_, f)| (f[i] != NONE).then_some(f[i]))
            .collect()
    };
    let [ukey, _, recorded, first_out] = b.crime_key_columns(&cidx);
    let n = cidx.len();
    Ok(Some(DataFrame::new(
        n,
        vec![
            Column::new("cidx".into(), cidx),
            Column::new("detail".into(), detail),
            Column::new("seized".into(), first(0)),
            Column::new("examined".into(), first(1)),
            Column::new("returned".into(), first(2)),
            ukey,
            recorded,
            first_out,
        ],
    )?))
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
