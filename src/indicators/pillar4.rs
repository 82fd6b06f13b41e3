//! Pillar 4: investigators' learning and well-being, from the staff table. Staff rows
//! are few, so each month's active investigators are counted directly.
use crate::error::Result;
use crate::model::{ALL_AREAS, Base, SplitBy};
use std::collections::BTreeMap;

const INVESTIGATOR_ROLES: [&str; 3] = ["detective", "trainee", "staff_investigator"];

#[derive(Default, Clone, Copy)]
pub struct StaffCounts {
    pub active: u32,
    pub trainees: u32,
    pub reviewed: u32,
    pub rasso: u32,
    pub wow: u32,
    pub orders: u32,
}

/// Each unit's (force and area, or team) counts at the end of each month of `months`,
/// the first month at index 0; a month without an active investigator has `active` 0.
/// A unit is listed only when it had one in some month.
pub type StaffByUnit = BTreeMap<(String, String), Vec<StaffCounts>>;

/// Active investigators and their training at each month end, per force and (when
/// splitting by team) per team.
pub fn staff_counts(base: &Base, months: (i32, i32)) -> Result<StaffByUnit> {
    let Some(staff) = &base.staff else {
        return Ok(BTreeMap::new());
    };
    let force = staff.column("force")?.str()?;
    let unit = staff.column("unit")?.str()?;
    let role = staff.column("role")?.str()?;
    let int =
        |c: &str| -> Result<Vec<Option<i32>>> { Ok(staff.column(c)?.i32()?.iter().collect()) };
    let (start, end, rasso, wow, orders, review) = (
        int("start")?,
        int("end")?,
        int("rasso")?,
        int("wow")?,
        int("orders")?,
        int("review")?,
    );
    let month_ends: Vec<i32> = (months.0..=months.1).map(super::month_end_day).collect();
    // Units by number while counting: a map keyed by texts for every member and month
    // cost a tenth of a second of a national deck.
    let mut slots: rustc_hash::FxHashMap<(&str, &str), usize> = Default::default();
    let mut counts: Vec<Vec<StaffCounts>> = Vec::new();
    for i in 0..staff.height() {
        let Some(r) = role.get(i) else { continue };
        if !INVESTIGATOR_ROLES.contains(&r) {
            continue;
        }
        let f = force.get(i).unwrap_or_default();
        let team = (base.split == Some(SplitBy::Team)).then(|| unit.get(i).unwrap_or_default());
        // Dates after the as-at date are ignored everywhere.
        let known = |d: Option<i32>| d.filter(|d| *d <= base.as_at);
        for (at, &end_m) in month_ends.iter().enumerate() {
            let active = start[i].is_some_and(|s| s <= end_m) && end[i].is_none_or(|e| e > end_m);
            if !active {
                continue;
            }
            for a in std::iter::once(ALL_AREAS).chain(team) {
                let slot = *slots.entry((f, a)).or_insert_with(|| {
                    counts.push(vec![StaffCounts::default(); month_ends.len()]);
                    counts.len() - 1
                });
                let c = &mut counts[slot][at];
                c.active += 1;
                c.trainees += u32::from(r == "trainee");
                c.reviewed +=
                    u32::from(known(review[i]).is_some_and(|d| d > end_m - 365 && d <= end_m));
                c.rasso += u32::from(known(rasso[i]).is_some_and(|d| d <= end_m));
                c.wow += u32::from(known(wow[i]).is_some_and(|d| d <= end_m));
                c.orders += u32::from(known(orders[i]).is_some_and(|d| d <= end_m));
            }
        }
    }
    let mut out = BTreeMap::new();
    for ((f, a), slot) in slots {
        out.insert(
            (f.to_string(), a.to_string()),
            std::mem::take(&mut counts[slot]),
        );
    }
    Ok(out)
}
