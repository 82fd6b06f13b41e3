//! Pillar 6: digital forensics.
use super::Ctx;
use super::partial::{Partials, Row, count, median, month_of_days};
use crate::error::Result;
use crate::model::Base;
use crate::util::Month;
use polars::prelude::*;

/// Per crime and device owner: the first seizure, examination and return. Worked out
/// once for the three indicators that read it (`None` without events).
pub fn device_pairs(b: &Base) -> Result<Option<DataFrame>> {
    const TYPES: [&str; 3] = ["device_seized", "device_examined", "device_returned"];
    // One walk over the three types' events, each device (crime and `detail`) keeping
    // its first date of each: a group-by of the events sorted into one frame took 0.4 s
    // and 380 MB of a national deck, ten times that at ten times the volume.
    const NONE: i32 = i32::MAX;
    /// A device: its owner (`detail`) by number, its first day of each type (`NONE` for
    /// none), and the next device of its crime (`NO_DEVICE` for none).
    struct Device {
        name: u32,
        firsts: [i32; 3],
        next: u32,
    }
    const NO_DEVICE: u32 = u32::MAX;
    // Each `detail` (a device's owner: a handful of values) by a number, so that an
    // event's device is found without hashing its text: the last one seen is tried
    // first, as a crime's events come together.
    let mut names: Vec<String> = Vec::new();
    let mut last_name: u32 = 0;
    // A crime's devices are a short list from `first_device`: a map keyed by crime and
    // owner cost two thirds of the devices' job (two million events, a random probe
    // each).
    let mut first_device: Vec<u32> = vec![NO_DEVICE; b.crimes.height()];
    let mut devices: Vec<Device> = Vec::new();
    for (which, t) in TYPES.iter().enumerate() {
        let attached = b.for_each_event(t, |e, detail| {
            let name = match detail {
                None => 0,
                Some(d) if last_name > 0 && names[last_name as usize - 1] == d => last_name,
                Some(d) => {
                    last_name = match names.iter().position(|x| x == d) {
                        Some(i) => i as u32 + 1,
                        None => {
                            names.push(d.to_string());
                            names.len() as u32
                        }
                    };
                    last_name
                }
            };
            let head = &mut first_device[e.cidx as usize];
            let mut at = *head;
            while at != NO_DEVICE && devices[at as usize].name != name {
                at = devices[at as usize].next;
            }
            if at == NO_DEVICE {
                at = devices.len() as u32;
                devices.push(Device {
                    name,
                    firsts: [NONE; 3],
                    next: *head,
                });
                *head = at;
            }
            let firsts = &mut devices[at as usize].firsts;
            firsts[which] = firsts[which].min(e.day);
        })?;
        if !attached {
            return Ok(None);
        }
    }
    // By crime, then owner's number: the order a sort by (crime, owner) gives.
    let mut order: Vec<(u32, u32, u32)> = Vec::with_capacity(devices.len());
    for (crime, head) in first_device.iter().enumerate() {
        let start = order.len();
        let mut at = *head;
        while at != NO_DEVICE {
            order.push((crime as u32, devices[at as usize].name, at));
            at = devices[at as usize].next;
        }
        order[start..].sort_unstable();
    }
    let cidx: Vec<u32> = order.iter().map(|(c, _, _)| *c).collect();
    let detail: Vec<Option<&str>> = order
        .iter()
        .map(|(_, n, _)| n.checked_sub(1).map(|i| names[i as usize].as_str()))
        .collect();
    let first = |i: usize| -> Vec<Option<i32>> {
        order
            .iter()
            .map(|(_, _, at)| devices[*at as usize].firsts[i])
            .map(|f| (f != NONE).then_some(f))
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

pub fn compute(ctx: &mut Ctx) {
    ctx.add_events("devices_seized", &["device_seized"], |e| {
        count(e, "devices_seized", true)
    });
}

/// The indicators read from each device's first seizure, examination and return.
pub const FROM_DEVICE_PAIRS: [&str; 3] = [
    "days_seizure_to_examination_median",
    "days_victim_device_return_median",
    "devices_awaiting_examination",
];

/// The rows of the wanted indicators of [`FROM_DEVICE_PAIRS`]: one job, as each reads
/// the devices worked out once.
pub fn device_rows(
    b: &Base,
    months: (i32, i32),
    wants: &(dyn Fn(&str) -> bool + Sync),
) -> Result<Vec<Row>> {
    let Some(pairs) = device_pairs(b)? else {
        return Ok(Vec::new());
    };
    let mut plans = Vec::new();
    if wants("days_seizure_to_examination_median") {
        let examined = pairs
            .clone()
            .lazy()
            .filter(
                col("seized")
                    .is_not_null()
                    .and(col("examined").is_not_null()),
            )
            .with_column(month_of_days(col("examined")).alias("month"));
        plans.push(median(
            examined,
            col("examined") - col("seized"),
            "days_seizure_to_examination_median",
            true,
        ));
    }
    if wants("days_victim_device_return_median") {
        let returned = pairs
            .clone()
            .lazy()
            .filter(
                col("detail")
                    .eq(lit("victim"))
                    .fill_null(lit(false))
                    .and(col("seized").is_not_null())
                    .and(col("returned").is_not_null()),
            )
            .with_column(month_of_days(col("returned")).alias("month"));
        plans.push(median(
            returned,
            col("returned") - col("seized"),
            "days_victim_device_return_median",
            true,
        ));
    }
    let mut partials = Partials::new(b, months);
    for plan in plans {
        partials.add(plan)?;
    }
    let mut rows = partials.rows;
    if wants("devices_awaiting_examination") {
        rows.extend(awaiting_rows(
            &awaiting_examination_deltas(b, &pairs)?,
            months,
        )?);
    }
    Ok(rows)
}

/// Devices awaiting examination at each month end (version 2): a pair counts from the
/// month it is both seized and on a recorded crime up to (not including) the month of its
/// first examination or of its crime's first outcome, whichever comes first, so a device
/// on a closed crime no longer waits for ever.
pub fn awaiting_examination_deltas(b: &Base, pairs: &DataFrame) -> Result<DataFrame> {
    let month = |d: Option<i32>| d.map(Month::index_of_day);
    let int = |c: &str| -> Result<Int32Chunked> { Ok(pairs.column(c)?.i32()?.clone()) };
    let (seized, examined, recorded, first_out) = (
        int("seized")?,
        int("examined")?,
        int("recorded")?,
        int("first_out")?,
    );
    let ukey = pairs.column("ukey")?.u32()?;
    let mut spans = Vec::new();
    for i in 0..pairs.height() {
        let (Some(u), Some(seized)) = (ukey.get(i), seized.get(i)) else {
            continue;
        };
        // From when it is both seized and on a recorded crime.
        let start = Month::index_of_day(recorded.get(i).map_or(seized, |r| r.max(seized)));
        let stop = match (month(examined.get(i)), month(first_out.get(i))) {
            (Some(e), Some(c)) => Some(e.min(c)),
            (e, c) => e.or(c),
        };
        // A pair examined or closed before it began to wait never waited.
        if stop.is_none_or(|stop| start < stop) {
            spans.push((u, start, stop));
        }
    }
    super::deltas_of_spans(b, &spans)
}

pub fn awaiting_rows(deltas: &DataFrame, months: (i32, i32)) -> Result<Vec<Row>> {
    super::cumulate(deltas, months, "devices_awaiting_examination")
}
