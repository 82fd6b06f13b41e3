//! Pillar 2: repeat suspects, bail and orders.
use super::Ctx;
use super::partial::{Row, count, proportion, ratio_of_counts};
use crate::error::Result;
use crate::model::{Base, PersonLinks};
use polars::prelude::*;
use std::collections::BTreeMap;

pub fn compute(ctx: &mut Ctx) {
    let b = ctx.base;
    for (id, kind) in [
        ("orders_applied", "order_applied"),
        ("orders_granted", "order_granted"),
    ] {
        ctx.add_events(id, &[kind], |e| count(e, id, true));
    }
    ctx.add_events(
        "dna_retention_applications",
        &["dna_retention_application"],
        |e| count(e, "dna_retention_applications", true),
    );
    ctx.add_events(
        "dna_retention_granted_rate",
        &["dna_retention_application", "dna_retention_granted"],
        |e| {
            ratio_of_counts(
                e,
                crate::model::is_event("dna_retention_granted"),
                crate::model::is_event("dna_retention_application"),
                "dna_retention_granted_rate",
            )
        },
    );
    for (id, breach, action) in [
        (
            "order_breach_actioned_rate",
            "order_breach",
            "order_breach_actioned",
        ),
        (
            "bail_breach_actioned_rate",
            "bail_breach",
            "bail_breach_actioned",
        ),
    ] {
        ctx.add(id, || {
            let breaches = b.events_of(&[breach]).expect("events checked by add");
            let actions = b
                .events_of(&[action])
                .expect("events checked by add")
                .select([col("cidx").alias("act_crime"), col("day").alias("act_day")]);
            // An action on the same crime 0 to 7 days after the breach.
            let actioned = breaches
                .clone()
                .join(
                    actions,
                    [col("cidx")],
                    [col("act_crime")],
                    JoinArgs::new(JoinType::Inner),
                )
                .filter(
                    (col("act_day") - col("day"))
                        .gt_eq(lit(0))
                        .and((col("act_day") - col("day")).lt_eq(lit(7))),
                )
                .select([col("row").alias("actioned_row")])
                .unique(None, UniqueKeepStrategy::Any);
            let flagged = breaches
                .join(
                    actioned.with_column(lit(true).alias("actioned")),
                    [col("row")],
                    [col("actioned_row")],
                    JoinArgs::new(JoinType::Left),
                )
                .with_column(col("actioned").fill_null(lit(false)));
            proportion(flagged, col("actioned"), id, true)
        });
    }
    ctx.add("rui_share", || {
        let first = b
            .crimes()
            .filter(col("first_release").is_not_null())
            .with_column(super::partial::month_of_days(col("first_release")).alias("month"));
        proportion(
            first,
            col("first_release_type").eq(lit(crate::model::event_code("rui_start"))),
            "rui_share",
            true,
        )
    });
}

/// Repeat suspects need each suspect's links in a sliding window, which is clearer as a
/// walk over each suspect's sorted links than as a table expression. A unit (force,
/// area, team) counts the suspects linked to its crimes; whether one is a repeat suspect
/// is read from all their links in the dataset, within the unit's offence group.
pub fn repeat_suspect_rows(
    base: &Base,
    people: &PersonLinks,
    window: i32,
    months: (i32, i32),
    share: bool,
    open: bool,
) -> Result<Vec<Row>> {
    let Some(suspects) = base.suspects.as_ref() else {
        return Ok(Vec::new());
    };
    // The links are walked person by person (a link without a person counts as one
    // more): each person's links, once for every output unit they count towards, sorted
    // by unit and day, so a unit's links of one person are together and in date order.
    // Sorting every link of the dataset that way took a second nationally.
    let recorded: Vec<Option<i32>> = suspects.column("recorded")?.i32()?.iter().collect();
    let first_out: Vec<Option<i32>> = suspects.column("first_out")?.i32()?.iter().collect();
    let ukeys: Vec<Option<u32>> = suspects.column("ukey")?.u32()?.iter().collect();
    let days: Vec<i32> = suspects
        .column("day")?
        .i32()?
        .iter()
        .map(|d| d.unwrap_or(i32::MIN))
        .collect();
    let by_person = people.links_by_person();
    // (okey, month) -> (linked, repeat among linked, repeat with an open crime)
    let width = (months.1 - months.0 + 1).max(0) as usize;
    let mut acc: Vec<(u32, u32, u32)> = vec![(0, 0, 0); base.outkeys.len() * width];
    let at = |unit: u32, m: i32| unit as usize * width + (m - months.0) as usize;
    let month_ends: Vec<i32> = (months.0..=months.1).map(super::month_end_day).collect();
    let mut links: Vec<(u32, i32, usize)> = Vec::new();
    for (key, rows) in by_person.iter() {
        links.clear();
        for &i in rows {
            let Some(u) = ukeys[i] else { continue };
            for okey in base.okeys_of(u, true) {
                links.push((*okey, days[i], i));
            }
        }
        links.sort_unstable();
        let person = people.person_at(key);
        let never_repeat = !person.is_repeat(crate::schema::OffenceGroup::All, i32::MIN, i32::MAX);
        // A unit's links of this person, in date order.
        for unit_links in links.chunk_by(|x, y| x.0 == y.0) {
            let unit = unit_links[0].0;
            let group = base.outkeys[unit as usize].group;
            let link_months: Vec<i32> = unit_links
                .iter()
                .map(|l| crate::util::Month::index_of_day(l.1))
                .collect();
            if never_repeat || !person.is_repeat(group, i32::MIN, i32::MAX) {
                // Never a repeat suspect: only the months it was linked in count.
                let mut linked_months = link_months;
                linked_months.dedup();
                for m in linked_months
                    .into_iter()
                    .filter(|m| (months.0..=months.1).contains(m))
                {
                    acc[at(unit, m)].0 += 1;
                }
                continue;
            }
            let first_month = link_months[0].max(months.0);
            let last_link = person
                .last_link(group)
                .unwrap_or(unit_links[unit_links.len() - 1].1);
            let last_month = months.1.min(crate::util::Month::index_of_day(
                last_link.saturating_add(window),
            ));
            for m in first_month..=last_month {
                let end_day = month_ends[(m - months.0) as usize];
                let linked_in_m = link_months.contains(&m);
                let is_repeat = person.is_repeat(group, end_day - window, end_day);
                let entry = &mut acc[at(unit, m)];
                if linked_in_m {
                    entry.0 += 1;
                    entry.1 += is_repeat as u32;
                }
                if is_repeat {
                    let has_open = unit_links.iter().any(|&(_, d, i)| {
                        d <= end_day
                            && recorded[i].is_some_and(|r| r <= end_day)
                            && first_out[i].is_none_or(|f| f > end_day)
                    });
                    entry.2 += has_open as u32;
                }
            }
        }
    }
    let mut rows = Vec::new();
    for (i, (linked, repeat, repeat_open)) in acc.into_iter().enumerate() {
        let (okey, month) = ((i / width) as u32, months.0 + (i % width) as i32);
        if share && linked > 0 {
            rows.push(Row {
                okey,
                month,
                indicator: "repeat_suspect_share",
                num: Some(repeat as f64),
                den: Some(linked as f64),
                med: None,
            });
        }
        if open && repeat_open > 0 {
            rows.push(Row {
                okey,
                month,
                indicator: "repeat_suspects_open",
                num: Some(repeat_open as f64),
                den: None,
                med: None,
            });
        }
    }
    Ok(rows)
}

/// The pairs behind `dna_retention_application_rate` (PACE s63G): each suspect arrested
/// for a crime closed with no further action, with `ukey` and `month` of the closure
/// and `hit`, whether an application to retain that suspect's DNA on that crime came
/// within 28 days of it. Two walks over the events, keeping only those of crimes so
/// closed: joins of the arrests' and applications' frames held 2 GB at the peak of a
/// deck at ten times today's volume. `None` without the events' `suspect_id`.
pub fn dna_retention_frame(
    b: &Base,
    dataset: &crate::ingest::Dataset,
) -> Result<Option<DataFrame>> {
    let Some(suspects) = dataset.event_column("suspect_id") else {
        return Ok(None);
    };
    let cur_type = b.crimes.column("cur_type")?.str()?;
    let cur_date = b.crimes.column("cur_date")?.i32()?;
    let closed_nfa: Vec<Option<i32>> = cur_type
        .iter()
        .zip(cur_date.iter())
        .map(|(t, d)| {
            t.filter(|t| crate::schema::codes::NFA_OUTCOMES.contains(t))
                .and(d)
        })
        .collect();
    // The rows and crimes of each type's events on such crimes, and their suspects.
    let on_closed = |t: &str| -> Result<(Vec<u32>, Vec<i32>, Series)> {
        let (mut rows, mut crimes, mut days) = (Vec::new(), Vec::new(), Vec::new());
        b.for_each_event(t, |e, _| {
            if closed_nfa[e.cidx as usize].is_some() {
                rows.push(e.row);
                crimes.push(e.cidx);
                days.push(e.day);
            }
        })?;
        let ids = suspects.at(&IdxCa::from_vec("row".into(), rows))?;
        Ok((crimes, days, ids))
    };
    let (applied_crimes, applied_days, applied_ids) = on_closed("dna_retention_application")?;
    let mut applied: rustc_hash::FxHashMap<(u32, &str), i32> = Default::default();
    let each = applied_crimes.iter().zip(&applied_days);
    for ((c, d), id) in each.zip(applied_ids.str()?.iter()) {
        if let Some(id) = id {
            let first = applied.entry((*c, id)).or_insert(*d);
            *first = (*first).min(*d);
        }
    }
    let (arrest_crimes, _, arrest_ids) = on_closed("suspect_arrested")?;
    let ukey = b.crimes.column("ukey")?.u32()?;
    let mut pairs: rustc_hash::FxHashSet<(u32, &str)> = Default::default();
    let (mut ukeys, mut months, mut hits) = (Vec::new(), Vec::new(), Vec::new());
    for (c, id) in arrest_crimes.iter().zip(arrest_ids.str()?.iter()) {
        let (Some(id), Some(closed)) = (id, closed_nfa[*c as usize]) else {
            continue;
        };
        if !pairs.insert((*c, id)) {
            continue;
        }
        ukeys.push(ukey.get(*c as usize));
        months.push(crate::util::Month::index_of_day(closed));
        hits.push(applied.get(&(*c, id)).is_some_and(|a| *a <= closed + 28));
    }
    Ok(Some(DataFrame::new_infer_height(vec![
        Column::new("ukey".into(), ukeys),
        Column::new("month".into(), months),
        Column::new("hit".into(), hits),
    ])?))
}

/// The events whose suspect `dna_retention_application_rate` reads.
pub const DNA_EVENTS: [&str; 2] = ["suspect_arrested", "dna_retention_application"];

/// Events that count as managing or disrupting a repeat suspect (version 2).
pub const MANAGEMENT_EVENTS: &[&str] = &[
    "suspect_arrested",
    "bail_start",
    "order_applied",
    "pdp_nominal_registered",
    "matac_referral",
];

/// Suspects who became repeat suspects in a unit and month, and those of them managed.
type BecameAndManaged<'a> = (
    std::collections::BTreeSet<&'a str>,
    std::collections::BTreeSet<&'a str>,
);

/// Days within which a new repeat suspect's management counts.
const MANAGED_WITHIN_DAYS: i32 = 28;

/// `repeat_suspects_managed_share`: per unit and month, the suspects linked to the unit's
/// crimes who became repeat suspects in the month (a link that day took their distinct
/// crimes in the window, within the unit's offence group, from one to two or more), and
/// of those the ones with a management event for them, on any crime, within 28 days.
pub fn repeat_managed_rows(
    base: &Base,
    people: &PersonLinks,
    dataset: &crate::ingest::Dataset,
    window: i32,
    months: (i32, i32),
) -> Result<Vec<Row>> {
    let Some(suspects) = base.suspects.as_ref() else {
        return Ok(Vec::new());
    };
    // Each link is read once, for every output unit its crime counts towards; whether
    // the suspect became a repeat suspect that day is worked out once per offence group.
    let (ukey, suspect, day) = (
        suspects.column("ukey")?.u32()?,
        suspects.column("suspect_id")?.str()?,
        suspects.column("day")?.i32()?,
    );
    // (output unit, month, suspect, day) of each time a suspect became a repeat suspect.
    let mut became: Vec<(u32, i32, &str, i32)> = Vec::new();
    let links = ukey.iter().zip(suspect.iter()).zip(day.iter()).enumerate();
    for (link, ((u, s), d)) in links {
        let (Some(u), Some(s), Some(d)) = (u, s, d) else {
            continue;
        };
        let month = crate::util::Month::index_of_day(d);
        if !(months.0..=months.1).contains(&month) {
            continue;
        }
        let person = people.person_at(people.key_of_link(link));
        // By offence group, in the order of `OffenceGroup::ORDER`: no list per link.
        let mut becomes_in: [Option<bool>; 3] = [None; 3];
        for unit in base.okeys_of(u, true) {
            let group = base.outkeys[*unit as usize].group;
            let becomes = *becomes_in[group.rank()].get_or_insert_with(|| {
                person.is_repeat(group, d - window, d)
                    && !person.is_repeat(group, d - 1 - window, d - 1)
            });
            if becomes {
                became.push((*unit, month, s, d));
            }
        }
    }
    // Management events' days of those suspects only: of every suspect, the days took
    // a map of millions of texts.
    let wanted: rustc_hash::FxHashSet<&str> = became.iter().map(|b| b.2).collect();
    let Some(days_of) =
        crate::model::suspect_event_days(dataset, base.as_at, MANAGEMENT_EVENTS, &wanted)?
    else {
        return Ok(Vec::new());
    };
    // (okey, month) -> suspects who became repeat suspects, and those managed. The sets
    // make a suspect linked twice in a unit and month count once.
    let mut acc: BTreeMap<(u32, i32), BecameAndManaged> = BTreeMap::new();
    for (unit, month, s, d) in became {
        let managed = days_of
            .get(s)
            .is_some_and(|ds| ds.iter().any(|m| *m >= d && *m <= d + MANAGED_WITHIN_DAYS));
        let entry = acc.entry((unit, month)).or_default();
        entry.0.insert(s);
        if managed {
            entry.1.insert(s);
        }
    }
    Ok(acc
        .into_iter()
        .map(|((okey, month), (became, managed))| Row {
            okey,
            month,
            indicator: "repeat_suspects_managed_share",
            num: Some(managed.len() as f64),
            den: Some(became.len() as f64),
            med: None,
        })
        .collect())
}
