//! Statistical disclosure control for reports that leave the force (`--publish`):
//! counts from 1 to N-1 are shown as `<N` (primary suppression); where a suppressed cell
//! could be worked back from a published total (one suppressed cell in a group), the
//! next smallest cell is suppressed too and shown as `[c]` (secondary suppression); any
//! rate, share, interval or median resting on a suppressed count is `[c]`.
use super::table::{Cell, Table};
use crate::indicators::registry::{self, Unit};
use std::collections::{BTreeMap, BTreeSet};

/// Why a cell is withheld.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withheld {
    /// A count from 1 to N-1.
    Primary,
    /// A larger count withheld so that a primary one cannot be worked out.
    Secondary,
}

pub fn is_primary(v: f64, threshold: f64) -> bool {
    (1.0..threshold).contains(&v)
}

/// The cells of a group whose total is published: primary suppression, then, if exactly
/// one cell is withheld, the smallest other non-zero cell (ties: the first).
pub fn suppress_group(cells: &[Option<f64>], threshold: f64) -> Vec<Option<Withheld>> {
    let mut out: Vec<Option<Withheld>> = cells
        .iter()
        .map(|c| {
            c.filter(|v| is_primary(*v, threshold))
                .map(|_| Withheld::Primary)
        })
        .collect();
    if out.iter().filter(|w| w.is_some()).count() == 1 {
        let next = (0..cells.len())
            .filter(|&j| out[j].is_none() && cells[j].is_some_and(|v| v > 0.0))
            .min_by(|&a, &b| {
                cells[a]
                    .unwrap_or(0.0)
                    .total_cmp(&cells[b].unwrap_or(0.0))
                    .then(a.cmp(&b))
            });
        if let Some(j) = next {
            out[j] = Some(Withheld::Secondary);
        }
    }
    out
}

pub fn shown(w: Withheld, threshold: f64) -> Cell {
    match w {
        Withheld::Primary => Cell::Suppressed(format!("<{threshold}")),
        Withheld::Secondary => Cell::Suppressed("[c]".into()),
    }
}

pub(crate) fn confidential() -> Cell {
    Cell::Suppressed("[c]".into())
}

/// The key of a flight-deck value: (period, offence group, indicator).
pub type DeckKey = (String, String, String);

/// Applies disclosure control to the flight-deck long table of one force and returns
/// the keys whose value is withheld.
pub fn flight_deck(table: &mut Table, threshold: f64) -> BTreeSet<DeckKey> {
    let col = |name: &str| table.column(name).expect("a flight-deck column");
    let (period, area, group, indicator) = (
        col("period"),
        col("area"),
        col("offence_group"),
        col("indicator"),
    );
    let (num, den, value, lo, hi) = (
        col("numerator"),
        col("denominator"),
        col("value"),
        col("ci_low"),
        col("ci_high"),
    );
    let text = |row: &Vec<Cell>, c: usize| row[c].display();
    // Rows of each (period, area, indicator) by offence group.
    let mut groups: BTreeMap<(String, String, String), BTreeMap<String, usize>> = BTreeMap::new();
    for (i, row) in table.rows.iter().enumerate() {
        groups
            .entry((text(row, period), text(row, area), text(row, indicator)))
            .or_default()
            .insert(text(row, group), i);
    }
    let mut withheld: BTreeMap<(usize, usize), Withheld> = BTreeMap::new();
    for rows in groups.values() {
        for c in [num, den] {
            // `all` is the published total of `rape` and `other_sexual`.
            let parts: Vec<usize> = crate::schema::OffenceGroup::parts()
                .iter()
                .filter_map(|g| rows.get(g.id()).copied())
                .collect();
            let cells: Vec<Option<f64>> = parts.iter().map(|&r| table.rows[r][c].value()).collect();
            for (r, w) in parts.iter().zip(suppress_group(&cells, threshold)) {
                if let Some(w) = w {
                    withheld.insert((*r, c), w);
                }
            }
            if let Some(&r) = rows.get(crate::schema::OffenceGroup::All.id())
                && table.rows[r][c]
                    .value()
                    .is_some_and(|v| is_primary(v, threshold))
            {
                withheld.insert((r, c), Withheld::Primary);
            }
        }
    }
    let mut keys = BTreeSet::new();
    for (i, row) in table.rows.iter_mut().enumerate() {
        let unit = registry::find(&row[indicator].display()).map(|d| d.unit);
        let num_w = withheld.get(&(i, num)).copied();
        let den_w = withheld.get(&(i, den)).copied();
        if let Some(w) = num_w {
            row[num] = shown(w, threshold);
        }
        if let Some(w) = den_w {
            row[den] = shown(w, threshold);
        }
        if num_w.is_none() && den_w.is_none() {
            continue;
        }
        row[value] = match (unit, num_w) {
            // A count's value is its numerator.
            (Some(Unit::Count), Some(w)) => shown(w, threshold),
            _ => confidential(),
        };
        row[lo] = confidential();
        row[hi] = confidential();
        keys.insert((
            row[period].display(),
            row[group].display(),
            row[indicator].display(),
        ));
    }
    keys
}

/// Applies disclosure control to the profile table: each (section, dimension) is a group
/// whose `_all` row is the published total, for the current and the previous window.
pub fn profile(table: &mut Table, threshold: f64) {
    let col = |name: &str| table.column(name).expect("a profile column");
    let (section, dimension, category) = (col("section"), col("dimension"), col("category"));
    let (count, prev) = (col("count"), col("prev_count"));
    let current_dependents: Vec<usize> = [
        "share",
        "ci_low",
        "ci_high",
        "p_value",
        "rate_per_1000",
        "rate_ci_low",
        "rate_ci_high",
    ]
    .iter()
    .filter_map(|c| table.column(c))
    .collect();
    let previous_dependents: Vec<usize> = ["prev_share", "p_value"]
        .iter()
        .filter_map(|c| table.column(c))
        .collect();
    let mut groups: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, row) in table.rows.iter().enumerate() {
        groups
            .entry((row[section].display(), row[dimension].display()))
            .or_default()
            .push(i);
    }
    for rows in groups.values() {
        let (totals, parts): (Vec<usize>, Vec<usize>) = rows
            .iter()
            .partition(|&&r| table.rows[r][category].display() == "_all");
        for (c, dependents) in [(count, &current_dependents), (prev, &previous_dependents)] {
            let cells: Vec<Option<f64>> = parts.iter().map(|&r| table.rows[r][c].value()).collect();
            let mut marks: Vec<(usize, Withheld)> = parts
                .iter()
                .zip(suppress_group(&cells, threshold))
                .filter_map(|(r, w)| w.map(|w| (*r, w)))
                .collect();
            for &r in &totals {
                if table.rows[r][c]
                    .value()
                    .is_some_and(|v| is_primary(v, threshold))
                {
                    marks.push((r, Withheld::Primary));
                }
            }
            for (r, w) in marks {
                table.rows[r][c] = shown(w, threshold);
                for &d in dependents {
                    if !matches!(table.rows[r][d], Cell::Empty) {
                        table.rows[r][d] = confidential();
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_small_cell_takes_the_next_smallest_with_it() {
        let w = suppress_group(&[Some(3.0), Some(40.0), Some(12.0), Some(0.0)], 5.0);
        assert_eq!(
            w,
            vec![
                Some(Withheld::Primary),
                None,
                Some(Withheld::Secondary),
                None
            ]
        );
        // Two small cells protect each other; zeros and large cells stay.
        let w = suppress_group(&[Some(1.0), Some(4.0), Some(0.0), Some(9.0)], 5.0);
        assert_eq!(
            w,
            vec![Some(Withheld::Primary), Some(Withheld::Primary), None, None]
        );
        assert_eq!(
            suppress_group(&[Some(5.0), Some(0.0)], 5.0),
            vec![None, None]
        );
        assert_eq!(
            suppress_group(&[Some(2.0), Some(7.0)], 10.0),
            vec![Some(Withheld::Primary), Some(Withheld::Primary)]
        );
    }
}
