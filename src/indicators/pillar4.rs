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

/// Active investigators and their training at each month end, per force and (when
/// splitting by team) per team.
pub fn staff_counts(
    base: &Base,
    months: (i32, i32),
) -> Result<BTreeMap<(String, String, i32), StaffCounts>> {
    let mut out = BTreeMap::new();
    let Some(staff) = &base.staff else {
        return Ok(out);
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
    for i in 0..staff.height() {
        let Some(r) = role.get(i) else { continue };
        if !INVESTIGATOR_ROLES.contains(&r) {
            continue;
        }
        let f = force.get(i).unwrap_or_default().to_string();
        let mut areas = vec![ALL_AREAS.to_string()];
        if base.split == Some(SplitBy::Team) {
            areas.push(unit.get(i).unwrap_or_default().to_string());
        }
        for m in months.0..=months.1 {
            let end_m = super::month_end_day(m);
            let active = start[i].is_some_and(|s| s <= end_m) && end[i].is_none_or(|e| e > end_m);
            if !active {
                continue;
            }
            // Dates after the as-at date are ignored everywhere.
            let known = |d: Option<i32>| d.filter(|d| *d <= base.as_at);
            for a in &areas {
                let c: &mut StaffCounts = out.entry((f.clone(), a.clone(), m)).or_default();
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
    Ok(out)
}
