//! A force's flight-deck settings in one TOML file: targets (for every group, per group,
//! or dated per force and group, so that a target can start at a date and change), the
//! process changes that rebase SPC limits, and overrides of maturity and burn-in windows.
//!
//! ```toml
//! charge_rate_closed = 0.06      # every force and group
//! [rape]
//! charge_rate_closed = 0.05      # the rape group
//!
//! [[target]]                     # a dated target or a step of a trajectory
//! indicator = "charge_rate_closed"
//! force = "Cleveland"            # optional: every force
//! group = "rape"                 # optional: every group
//! from = "2024-04"               # optional: from the start
//! value = 0.08
//!
//! [[rebase]]                     # a process change: SPC limits recalculated from here
//! force = "Cleveland"            # optional: every force
//! month = "2023-04"
//! label = "National operating model adopted"
//! indicators = ["charge_rate_closed"]   # optional: every indicator
//!
//! [maturity]                     # days after the month before a cohort is final
//! charge_rate_cohort = 365
//! [burn_in]                      # days of coverage before a stock is complete
//! open_investigations = 400
//! ```
use super::registry;
use super::status::WindowOverrides;
use crate::error::{Result, SoteriaError};
use crate::schema::OffenceGroup;
use crate::util::Month;
use std::collections::BTreeMap;
use std::path::Path;

/// A target that applies from a month, for a force and group or for all.
#[derive(Debug, Clone, PartialEq)]
pub struct DatedTarget {
    pub indicator: String,
    pub force: Option<String>,
    pub group: Option<OffenceGroup>,
    pub from: Option<Month>,
    pub value: f64,
}

/// A process change: every series of the force (or the indicators named) is rebased at
/// `month`, and the chart labels the break.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcessChange {
    pub force: Option<String>,
    pub month: Month,
    pub label: String,
    pub indicators: Option<Vec<String>>,
}

impl ProcessChange {
    pub fn applies(&self, force: &str, indicator: &str) -> bool {
        self.force.as_deref().is_none_or(|f| f == force)
            && self
                .indicators
                .as_ref()
                .is_none_or(|ids| ids.iter().any(|i| i == indicator))
    }
}

#[derive(Debug, Default, Clone)]
pub struct Targets {
    all: BTreeMap<String, f64>,
    by_group: BTreeMap<OffenceGroup, BTreeMap<String, f64>>,
    dated: Vec<DatedTarget>,
    pub process_changes: Vec<ProcessChange>,
    pub windows: WindowOverrides,
}

impl Targets {
    /// The indicators the file sets a target for, in any form: the force's agreed KPIs.
    pub fn kpis(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .all
            .keys()
            .chain(self.by_group.values().flat_map(|g| g.keys()))
            .chain(self.dated.iter().map(|t| &t.indicator))
            .cloned()
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }

    /// The targets file given on the command line, or none (no targets).
    pub fn from_optional_file(path: Option<&Path>) -> Result<Targets> {
        path.map_or_else(|| Ok(Targets::default()), Targets::from_file)
    }

    pub fn from_file(path: &Path) -> Result<Targets> {
        let text = std::fs::read_to_string(path).map_err(|e| SoteriaError::io(path, e))?;
        Targets::parse(&text).map_err(|message| SoteriaError::Mapping {
            path: path.to_path_buf(),
            message,
        })
    }

    pub fn parse(text: &str) -> std::result::Result<Targets, String> {
        let value: toml::Table = text.parse().map_err(|e: toml::de::Error| e.to_string())?;
        let number = |v: &toml::Value| {
            v.as_float()
                .or_else(|| v.as_integer().map(|i| i as f64))
                .filter(|x| x.is_finite())
        };
        let known = |id: &str| -> std::result::Result<String, String> {
            registry::find(id)
                .map(|i| i.id.to_string())
                .ok_or_else(|| format!("unknown indicator `{id}`"))
        };
        let month = |where_: &str, v: &toml::Value| -> std::result::Result<Month, String> {
            v.as_str()
                .and_then(Month::parse)
                .ok_or_else(|| format!("{where_}: `{v}` is not a month YYYY-MM"))
        };
        let text_of = |v: Option<&toml::Value>| v.and_then(|v| v.as_str()).map(str::to_string);
        let mut targets = Targets::default();
        for (key, v) in &value {
            match (key.as_str(), v) {
                ("maturity" | "burn_in", toml::Value::Table(t)) => {
                    for (id, days) in t {
                        let days = days
                            .as_integer()
                            .filter(|d| (0..=i64::from(u32::MAX)).contains(d))
                            .ok_or_else(|| format!("[{key}] {id}: days are a whole number"))?
                            as u32;
                        let windows = &mut targets.windows;
                        let map = if key == "maturity" {
                            &mut windows.maturity_days
                        } else {
                            &mut windows.burn_in_days
                        };
                        map.insert(known(id)?, days);
                    }
                }
                ("target", toml::Value::Array(entries)) => {
                    for (n, e) in entries.iter().enumerate() {
                        let at = format!("[[target]] {}", n + 1);
                        let t = e.as_table().ok_or_else(|| format!("{at}: not a table"))?;
                        for k in t.keys() {
                            if !["indicator", "force", "group", "from", "value"]
                                .contains(&k.as_str())
                            {
                                return Err(format!(
                                    "{at}: unknown key `{k}` (indicator, force, group, from, value)"
                                ));
                            }
                        }
                        let indicator = known(
                            &text_of(t.get("indicator"))
                                .ok_or_else(|| format!("{at}: needs an indicator"))?,
                        )?;
                        let group = text_of(t.get("group"))
                            .map(|g| OffenceGroup::parse(&g).map_err(|e| format!("{at}: {e}")))
                            .transpose()?;
                        targets.dated.push(DatedTarget {
                            indicator,
                            force: text_of(t.get("force")),
                            group,
                            from: t.get("from").map(|v| month(&at, v)).transpose()?,
                            value: t
                                .get("value")
                                .and_then(number)
                                .ok_or_else(|| format!("{at}: value is a finite number"))?,
                        });
                    }
                }
                ("rebase", toml::Value::Array(entries)) => {
                    for (n, e) in entries.iter().enumerate() {
                        let at = format!("[[rebase]] {}", n + 1);
                        let t = e.as_table().ok_or_else(|| format!("{at}: not a table"))?;
                        for k in t.keys() {
                            if !["force", "month", "label", "indicators"].contains(&k.as_str()) {
                                return Err(format!(
                                    "{at}: unknown key `{k}` (force, month, label, indicators)"
                                ));
                            }
                        }
                        let indicators = match t.get("indicators") {
                            None => None,
                            Some(toml::Value::Array(ids)) => Some(
                                ids.iter()
                                    .map(|v| {
                                        v.as_str()
                                            .ok_or_else(|| format!("{at}: indicators are names"))
                                            .and_then(known)
                                    })
                                    .collect::<std::result::Result<Vec<_>, _>>()?,
                            ),
                            Some(_) => return Err(format!("{at}: indicators is a list")),
                        };
                        targets.process_changes.push(ProcessChange {
                            force: text_of(t.get("force")),
                            month: month(
                                &at,
                                t.get("month")
                                    .ok_or_else(|| format!("{at}: needs a month"))?,
                            )?,
                            label: text_of(t.get("label"))
                                .unwrap_or_else(|| "Process change".to_string()),
                            indicators,
                        });
                    }
                }
                (group, toml::Value::Table(t)) => {
                    let Ok(offence_group) = OffenceGroup::parse(group) else {
                        return Err(format!(
                            "[{group}]: tables are the groups all, rape and other_sexual, \
                             maturity, burn_in, [[target]] and [[rebase]]"
                        ));
                    };
                    for (id, v) in t {
                        let n = number(v).ok_or_else(|| {
                            format!("[{group}] {id}: a target is a finite number")
                        })?;
                        targets
                            .by_group
                            .entry(offence_group)
                            .or_default()
                            .insert(known(id)?, n);
                    }
                }
                (id, other) => {
                    let n = number(other)
                        .ok_or_else(|| format!("{id}: a target is a finite number"))?;
                    targets.all.insert(known(id)?, n);
                }
            }
        }
        Ok(targets)
    }

    /// The target of an indicator for a group, with no force or date in view.
    pub fn get(&self, group: OffenceGroup, indicator: &str) -> Option<f64> {
        self.by_group
            .get(&group)
            .and_then(|g| g.get(indicator))
            .or_else(|| self.all.get(indicator))
            .copied()
    }

    /// The target in force at `month` for a force and group: the dated entry that
    /// matches with the latest start (at equal starts the more specific, then the later
    /// in the file), else the undated ones.
    pub fn get_at(
        &self,
        force: &str,
        group: OffenceGroup,
        indicator: &str,
        month: Month,
    ) -> Option<f64> {
        self.dated
            .iter()
            .enumerate()
            .filter(|(_, t)| {
                t.indicator == indicator
                    && t.force.as_deref().is_none_or(|f| f == force)
                    && t.group.is_none_or(|g| g == group)
                    && t.from.is_none_or(|m| m <= month)
            })
            .max_by_key(|(i, t)| {
                (
                    t.from,
                    t.force.is_some() as u8 + t.group.is_some() as u8,
                    *i,
                )
            })
            .map(|(_, t)| t.value)
            .or_else(|| self.get(group, indicator))
    }

    /// The process changes that rebase a force's series of an indicator.
    pub fn rebase_for<'a>(
        &'a self,
        force: &'a str,
        indicator: &'a str,
    ) -> impl Iterator<Item = &'a ProcessChange> + 'a {
        self.process_changes
            .iter()
            .filter(move |c| c.applies(force, indicator))
    }
}

/// The indices of the months (ascending) at which the changes start a new segment: the
/// first month on or after each change's month, when the series reaches it.
pub fn rebase_indices<'a>(
    months: &[Month],
    changes: impl Iterator<Item = &'a ProcessChange>,
) -> Vec<usize> {
    let mut at: Vec<usize> = changes
        .filter_map(|c| months.iter().position(|m| *m >= c.month))
        .filter(|i| *i > 0)
        .collect();
    at.sort_unstable();
    at.dedup();
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"
charge_rate_closed = 0.06
[rape]
charge_rate_closed = 0.05
[[target]]
indicator = "charge_rate_closed"
force = "Cleveland"
from = "2024-04"
value = 0.08
[[target]]
indicator = "charge_rate_closed"
force = "Cleveland"
group = "rape"
from = "2024-04"
value = 0.09
[[target]]
indicator = "charge_rate_closed"
from = "2024-10"
value = 0.1
[[rebase]]
force = "Cleveland"
month = "2023-04"
label = "NOM adopted"
[maturity]
charge_rate_cohort = 365
"#;

    #[test]
    fn a_target_starts_at_a_date_and_the_most_specific_wins() {
        let t = Targets::parse(FILE).unwrap();
        let m = |s: &str| Month::parse(s).unwrap();
        let at =
            |f, g: &str, month| t.get_at(f, g.parse().unwrap(), "charge_rate_closed", m(month));
        assert_eq!(at("Cleveland", "all", "2024-03"), Some(0.06));
        assert_eq!(at("Cleveland", "rape", "2024-03"), Some(0.05));
        assert_eq!(at("Cleveland", "all", "2024-04"), Some(0.08));
        assert_eq!(at("Cleveland", "rape", "2024-04"), Some(0.09));
        assert_eq!(at("Durham", "all", "2024-06"), Some(0.06));
        // A later start wins over a more specific earlier one.
        assert_eq!(at("Cleveland", "rape", "2024-11"), Some(0.1));
        assert_eq!(t.windows.maturity_days["charge_rate_cohort"], 365);
    }

    #[test]
    fn rebase_points_fall_on_the_first_month_reached() {
        let t = Targets::parse(FILE).unwrap();
        let months: Vec<Month> = (0..24).map(|i| Month::new(2022, 1).plus(i)).collect();
        assert_eq!(
            rebase_indices(&months, t.rebase_for("Cleveland", "outcome16_share")),
            vec![15]
        );
        assert!(rebase_indices(&months, t.rebase_for("Durham", "outcome16_share")).is_empty());
    }

    #[test]
    fn mistakes_are_named() {
        for (bad, said) in [
            (
                "chrage_rate_closed = 0.1",
                "unknown indicator `chrage_rate_closed`",
            ),
            (
                "[violent]\nrecorded = 1",
                "[violent]: tables are the groups",
            ),
            ("recorded = nan", "recorded: a target is a finite number"),
            (
                "[[rebase]]\nmonth = \"2023-13\"",
                "[[rebase]] 1: `\"2023-13\"` is not a month",
            ),
            (
                "[[target]]\nindicator = \"recorded\"\nvalu = 3",
                "[[target]] 1: unknown key `valu`",
            ),
            (
                "[maturity]\nrecorded = -1",
                "[maturity] recorded: days are a whole number",
            ),
        ] {
            let e = Targets::parse(bad).unwrap_err();
            assert!(e.starts_with(said), "{bad}: {e}");
        }
    }
}
