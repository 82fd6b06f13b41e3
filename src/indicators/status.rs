//! The status of each month's value (flight-deck spec, version 2): `final`, `provisional`
//! (crimes recorded in the month are still waiting for the events the indicator counts)
//! or `truncated` (a stock or windowed count missing what happened before the extract's
//! coverage starts). Only final values enter SPC baselines, limits and rules.
use super::registry::{BurnIn, Indicator};
use crate::util::Month;
use crate::util::chrono_lite::Date;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Final,
    Provisional,
    Truncated,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Final => "final",
            Status::Provisional => "provisional",
            Status::Truncated => "truncated",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "final" => Some(Status::Final),
            "provisional" => Some(Status::Provisional),
            "truncated" => Some(Status::Truncated),
            _ => None,
        }
    }

    /// The symbol of the government statistics convention for published tables.
    pub fn symbol(self) -> Option<&'static str> {
        match self {
            Status::Final => None,
            Status::Provisional => Some("[p]"),
            Status::Truncated => Some("[u]"),
        }
    }
}

/// Maturity and burn-in overrides by indicator id, in days (0 turns one off).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WindowOverrides {
    pub maturity_days: BTreeMap<String, u32>,
    pub burn_in_days: BTreeMap<String, u32>,
}

/// What decides the status of a month: the as-at date, where coverage starts, the
/// repeat-suspect window and any overrides.
#[derive(Debug, Clone)]
pub struct StatusRules {
    pub as_at: Date,
    pub coverage_from: Month,
    pub repeat_window_days: i32,
    pub overrides: WindowOverrides,
}

impl StatusRules {
    pub fn maturity_days(&self, ind: &Indicator) -> Option<u32> {
        self.overrides
            .maturity_days
            .get(ind.id)
            .copied()
            .or(ind.maturity_days)
            .filter(|d| *d > 0)
    }

    pub fn burn_in_days(&self, ind: &Indicator) -> Option<u32> {
        self.overrides
            .burn_in_days
            .get(ind.id)
            .copied()
            .or(match ind.burn_in {
                BurnIn::None => None,
                BurnIn::Days(d) => Some(d),
                BurnIn::RepeatWindow => Some(self.repeat_window_days.max(0) as u32),
            })
            .filter(|d| *d > 0)
    }

    /// Truncated inside the burn-in; provisional inside the maturity window, or for a
    /// month the as-at date has not reached the end of (every count in it is partial);
    /// final otherwise.
    pub fn status(&self, ind: &Indicator, month: Month) -> Status {
        let end = month.last_day().days();
        let coverage = self.coverage_from.first_day().days();
        if let Some(b) = self.burn_in_days(ind)
            && end < coverage + b as i32
        {
            return Status::Truncated;
        }
        let wait = self.maturity_days(ind).unwrap_or(0);
        if end + wait as i32 > self.as_at.days() {
            return Status::Provisional;
        }
        Status::Final
    }
}

/// Parses `id=N` overrides against the catalogue.
pub fn parse_override(s: &str) -> Result<(String, u32), String> {
    let (id, days) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}`: expected INDICATOR=DAYS"))?;
    let id = id.trim();
    let ind = super::registry::find(id).ok_or_else(|| {
        let names: Vec<String> = super::CATALOGUE.iter().map(|i| i.id.to_string()).collect();
        let hint = crate::util::nearest(id, &names)
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default();
        format!("unknown indicator `{id}`{hint}")
    })?;
    let days = days
        .trim()
        .parse::<u32>()
        .map_err(|_| format!("`{}`: days are a whole number from 0", days.trim()))?;
    Ok((ind.id.to_string(), days))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::registry::find;

    fn rules() -> StatusRules {
        StatusRules {
            as_at: Date::new(2024, 12, 31),
            coverage_from: Month::new(2021, 1),
            repeat_window_days: 1825,
            overrides: WindowOverrides::default(),
        }
    }

    #[test]
    fn open_stocks_are_truncated_for_their_first_two_years() {
        let r = rules();
        let open = find("open_investigations").unwrap();
        assert_eq!(r.status(open, Month::new(2021, 1)), Status::Truncated);
        assert_eq!(r.status(open, Month::new(2022, 12)), Status::Truncated);
        assert_eq!(r.status(open, Month::new(2023, 1)), Status::Final);
        let old = find("open_over_365d_share").unwrap();
        assert_eq!(r.status(old, Month::new(2023, 12)), Status::Truncated);
        assert_eq!(r.status(old, Month::new(2024, 1)), Status::Final);
        let repeat = find("repeat_suspect_share").unwrap();
        // Five years of coverage are needed: every month of a four-year extract.
        assert_eq!(r.status(repeat, Month::new(2024, 12)), Status::Truncated);
    }

    #[test]
    fn cohorts_are_provisional_inside_their_maturity_window() {
        let r = rules();
        let isva = find("isva_referral_rate").unwrap();
        // 60 days: October ends 61 days before the as-at date, November 31.
        assert_eq!(r.status(isva, Month::new(2024, 10)), Status::Final);
        assert_eq!(r.status(isva, Month::new(2024, 11)), Status::Provisional);
        let recorded = find("recorded").unwrap();
        assert_eq!(r.status(recorded, Month::new(2024, 12)), Status::Final);
        let early = StatusRules {
            as_at: Date::new(2024, 12, 15),
            ..rules()
        };
        assert_eq!(
            early.status(recorded, Month::new(2024, 12)),
            Status::Provisional
        );
    }

    #[test]
    fn overrides_replace_or_switch_off_a_window() {
        let mut r = rules();
        let isva = find("isva_referral_rate").unwrap();
        r.overrides
            .maturity_days
            .insert("isva_referral_rate".into(), 0);
        assert_eq!(r.status(isva, Month::new(2024, 12)), Status::Final);
        r.overrides
            .burn_in_days
            .insert("isva_referral_rate".into(), 31);
        assert_eq!(r.status(isva, Month::new(2021, 1)), Status::Truncated);
        assert_eq!(
            parse_override("isva_referal_rate=30").unwrap_err(),
            "unknown indicator `isva_referal_rate`; did you mean `isva_referral_rate`?"
        );
        assert_eq!(
            parse_override(" charge_rate_cohort = 365").unwrap(),
            ("charge_rate_cohort".to_string(), 365)
        );
    }
}
