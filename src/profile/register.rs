//! The repeat-suspect register for tasking (MATAC, potentially dangerous persons): one
//! row per repeat suspect at the as-at date, most crimes first. Being a repeat suspect is
//! a property of the person (flight-deck spec, version 2): crimes are counted in every
//! force and area of the dataset, and `--force` lists the repeat suspects linked to that
//! force's crimes. It holds person identifiers, so it is for internal use only and never
//! goes into a published report.
use crate::error::{Result, SoteriaError};
use crate::ingest::Dataset;
use crate::model::{Base, event_code};
use crate::schema::{OffenceGroup, TableName};
use crate::util::chrono_lite::Date;
use polars::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone)]
pub struct RegisterOptions {
    pub as_at: Option<Date>,
    pub window_days: i32,
    pub min_crimes: usize,
    pub group: OffenceGroup,
    pub force: Option<String>,
}

impl RegisterOptions {
    /// The definition used, in words, printed with the table.
    pub fn describe(&self, as_at: Date) -> String {
        format!(
            "repeat suspect: linked to {} or more distinct {} crimes with linked_date in ({} - {} days, {}]",
            self.min_crimes,
            match self.group {
                OffenceGroup::All => "RASSO",
                OffenceGroup::Rape => "rape",
                OffenceGroup::OtherSexual => "other sexual",
            },
            as_at,
            self.window_days,
            as_at
        )
    }
}

/// The tables the register reads: crimes and their states, links, and events (whose
/// dates also settle the default as-at date).
pub const TABLES: [TableName; 4] = [
    TableName::Offences,
    TableName::Suspects,
    TableName::Outcomes,
    TableName::Events,
];

/// The columns of each table the register reads (`None`: all).
pub fn columns(table: TableName) -> Option<Vec<String>> {
    let names: &[&str] = match table {
        TableName::Offences => crate::model::OFFENCE_COLUMNS,
        TableName::Suspects => crate::model::SUSPECT_COLUMNS,
        TableName::Events => &["event_date", "suspect_id"],
        _ => return None,
    };
    Some(names.iter().map(|c| c.to_string()).collect())
}

#[derive(Default)]
struct Entry {
    crimes: BTreeSet<u32>,
    forces: BTreeSet<String>,
    first: i32,
    last: i32,
}

pub fn register(dataset: &Dataset, options: &RegisterOptions) -> Result<(DataFrame, Date)> {
    if options.min_crimes < 2 {
        return Err(SoteriaError::Usage(
            "--min-crimes must be at least 2".into(),
        ));
    }
    let as_at = dataset.as_at(options.as_at)?;
    // The register reads crimes and links from the model, and suspects' events from the
    // dataset: attaching twenty million events to their crimes would be wasted.
    let base = Base::build_with_events(dataset, as_at.days(), None, None, Some(&[]))?;
    let Some(links) = &base.suspects else {
        return Err(SoteriaError::Other(
            "the register needs the suspects table".into(),
        ));
    };
    let lo = as_at.days() - options.window_days;
    let mut links = links
        .clone()
        .lazy()
        .join(
            base.crimes()
                .select([col("cidx"), col("grp"), col("force")]),
            [col("cidx")],
            [col("cidx")],
            JoinArgs::new(JoinType::Inner),
        )
        .filter(col("day").gt(lit(lo)));
    if options.group != OffenceGroup::All {
        links = links.filter(col("grp").eq(lit(options.group.id())));
    }
    let links = links.collect()?;
    let sid = links.column("suspect_id")?.str()?;
    let cidx = links.column("cidx")?.u32()?;
    let day = links.column("day")?.i32()?;
    let force = links.column("force")?.str()?;
    let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
    for i in 0..links.height() {
        let (Some(s), Some(c), Some(d)) = (sid.get(i), cidx.get(i), day.get(i)) else {
            continue;
        };
        let e = entries.entry(s.to_string()).or_insert(Entry {
            first: i32::MAX,
            last: i32::MIN,
            ..Default::default()
        });
        e.crimes.insert(c);
        if let Some(f) = force.get(i)
            && !e.forces.contains(f)
        {
            e.forces.insert(f.to_string());
        }
        e.first = e.first.min(d);
        e.last = e.last.max(d);
    }
    entries.retain(|_, e| {
        e.crimes.len() >= options.min_crimes
            && options.force.as_ref().is_none_or(|f| e.forces.contains(f))
    });

    // Crime states and the suspect's own events.
    let first_out: Vec<Option<i32>> = base
        .crimes
        .column("first_out")?
        .cast(&DataType::Int32)?
        .i32()?
        .iter()
        .collect();
    let crime_index: Vec<u32> = base
        .crimes
        .column("cidx")?
        .u32()?
        .iter()
        .map(|v| v.unwrap_or(0))
        .collect();
    let mut open_by_cidx = vec![false; crime_index.iter().max().map_or(0, |m| *m as usize + 1)];
    for (k, c) in crime_index.iter().enumerate() {
        open_by_cidx[*c as usize] = first_out[k].is_none();
    }
    // Each listed suspect's events on the model's crimes, found by the keys validation
    // kept (event type code, crime row): no text join of twenty million events.
    let mut per_event: BTreeMap<&str, Vec<(u8, i32, u32)>> = BTreeMap::new();
    let events = dataset.table(crate::schema::TableName::Events);
    if let (Some(ev), Some(codes), Some(crimes)) = (
        events,
        dataset.event_codes(),
        base.cidx_of_rows(dataset, crate::schema::TableName::Events),
    ) {
        let suspect = ev.column("suspect_id")?.str()?;
        let day = ev.column("event_date")?.date()?.physical();
        let rows = suspect.iter().zip(codes.iter()).zip(day.iter()).zip(crimes);
        for (((s, t), d), c) in rows {
            if let (Some(s), Some(t), Some(d), Some(c)) = (s, t, d, c)
                && d <= as_at.days()
                && let Some((s, _)) = entries.get_key_value(s)
            {
                per_event.entry(s.as_str()).or_default().push((t, d, c));
            }
        }
    }
    let code = event_code;
    let mut rows: Vec<RegisterRow> = Vec::new();
    for (s, e) in &entries {
        let events = per_event.get(s.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        let of = |t: &str| {
            let c = code(t);
            events.iter().filter(move |(k, _, _)| *k == c)
        };
        let open_crimes = e
            .crimes
            .iter()
            .filter(|c| open_by_cidx.get(**c as usize).copied().unwrap_or(false))
            .count();
        let arrested: BTreeSet<u32> = of("suspect_arrested").map(|(_, _, c)| *c).collect();
        // On bail at the as-at date: the latest bail start is later than the latest bail end.
        let last_start = of("bail_start").map(|(_, d, _)| *d).max();
        let last_end = of("bail_end").map(|(_, d, _)| *d).max();
        let on_bail = last_start.is_some_and(|s| last_end.is_none_or(|e| e < s));
        let rui = of("rui_start")
            .filter(|(_, _, c)| open_by_cidx.get(*c as usize).copied().unwrap_or(false))
            .map(|(_, _, c)| *c)
            .collect::<BTreeSet<u32>>()
            .len();
        let orders = of("order_granted").count();
        let breaches = of("bail_breach").count() + of("order_breach").count();
        let dna = if of("dna_retention_granted").next().is_some() {
            "granted"
        } else if of("dna_retention_application").next().is_some() {
            "applied"
        } else {
            "none"
        };
        rows.push(RegisterRow {
            suspect_id: s.clone(),
            forces: e.forces.iter().cloned().collect::<Vec<_>>().join("; "),
            crimes: e.crimes.len() as u32,
            first: e.first,
            last: e.last,
            open_crimes: open_crimes as u32,
            arrested: arrested.len() as u32,
            on_bail,
            rui: rui as u32,
            orders_granted: orders as u32,
            breaches: breaches as u32,
            dna,
        });
    }
    rows.sort_by(|a, b| {
        b.crimes
            .cmp(&a.crimes)
            .then(a.suspect_id.cmp(&b.suspect_id))
    });
    let date = |d: i32| Date::from_days(d).to_string();
    let n = |f: fn(&RegisterRow) -> u32| rows.iter().map(f).collect::<Vec<_>>();
    let df = DataFrame::new_infer_height(vec![
        Column::new(
            "suspect_id".into(),
            rows.iter()
                .map(|r| r.suspect_id.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new("crimes".into(), n(|r| r.crimes)),
        Column::new(
            "forces".into(),
            rows.iter().map(|r| r.forces.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "first_linked".into(),
            rows.iter().map(|r| date(r.first)).collect::<Vec<_>>(),
        ),
        Column::new(
            "last_linked".into(),
            rows.iter().map(|r| date(r.last)).collect::<Vec<_>>(),
        ),
        Column::new("open_crimes".into(), n(|r| r.open_crimes)),
        Column::new("arrested".into(), n(|r| r.arrested)),
        Column::new(
            "on_bail".into(),
            rows.iter().map(|r| r.on_bail).collect::<Vec<_>>(),
        ),
        Column::new("rui".into(), n(|r| r.rui)),
        Column::new("orders_granted".into(), n(|r| r.orders_granted)),
        Column::new("breaches".into(), n(|r| r.breaches)),
        Column::new(
            "dna_retention".into(),
            rows.iter().map(|r| r.dna).collect::<Vec<_>>(),
        ),
    ])?;
    Ok((df, as_at))
}

/// One suspect of the register.
struct RegisterRow {
    suspect_id: String,
    /// The forces of the crimes counted, `; `-separated.
    forces: String,
    crimes: u32,
    first: i32,
    last: i32,
    /// Linked crimes with no outcome at the as-at date.
    open_crimes: u32,
    /// Crimes on which the suspect was arrested.
    arrested: u32,
    on_bail: bool,
    /// Open crimes on which the suspect was released under investigation.
    rui: u32,
    orders_granted: u32,
    /// Bail and order breaches.
    breaches: u32,
    dna: &'static str,
}
