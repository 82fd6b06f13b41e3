//! The PCC's scrutiny themes: domestic-abuse-related RASSO crimes, and female victims by
//! age band, each against the rest of the force's crimes over the twelve months to the
//! assessed month. A month is too few crimes for a subgroup, a year is what a scrutiny
//! meeting reads; every rate carries its Wilson interval and a two-proportion test of the
//! difference from the rest.
use crate::error::Result;
use crate::ingest::Dataset;
use crate::model::Base;
use crate::schema::TableName;
use crate::schema::codes::CHARGE_OUTCOMES;
use crate::stats::change::two_proportion;
use crate::stats::intervals::wilson;
use crate::util::Month;
use crate::util::chrono_lite::Date;
use polars::prelude::*;
use serde::Serialize;

/// The measures of each theme, in the order they are shown.
pub const MEASURES: &[(&str, &str)] = &[
    ("share_of_recorded", "Share of crimes recorded"),
    ("charge_rate_closed", "Charge rate (crimes closed)"),
    ("outcome16_share", "Outcome 16 share (crimes closed)"),
    ("order_applied_share", "Crimes with an order applied"),
    ("order_granted_share", "Crimes with an order granted"),
];

/// The age bands of female victims: the profile's bands, so the two views agree.
pub const AGE_BANDS: &[&str] = &[
    "0-12", "13-15", "16-17", "18-24", "25-34", "35-44", "45-54", "55+", "unknown",
];

#[derive(Debug, Clone, Serialize)]
pub struct ThemeRow {
    /// The subgroup in words ("domestic abuse related", "female victims aged 18-24").
    pub subgroup: String,
    pub measure: &'static str,
    pub numerator: f64,
    pub denominator: f64,
    pub value: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// The rest of the force's crimes; absent for the share of crimes recorded, whose
    /// rest is its complement.
    pub rest_numerator: Option<f64>,
    pub rest_denominator: Option<f64>,
    pub rest_value: Option<f64>,
    pub rest_ci_low: Option<f64>,
    pub rest_ci_high: Option<f64>,
    /// Two-proportion z test of the subgroup against the rest.
    pub p_value: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Theme {
    pub theme: &'static str,
    pub title: &'static str,
    /// The twelve months read, first and last.
    pub from: String,
    pub to: String,
    pub rows: Vec<ThemeRow>,
    /// Tables the extract lacks, whose measures are left out (`outcomes` for the charge
    /// rate and outcome 16, `events` for orders): never shown as zeros.
    pub missing: Vec<String>,
}

/// One crime's facts for the themes.
struct Crime {
    recorded_in: bool,
    closed_in: bool,
    charged: bool,
    outcome16: bool,
    order_applied: bool,
    order_granted: bool,
    domestic_abuse: bool,
    female: bool,
    age_band: &'static str,
}

/// Counts of one subgroup or its rest.
#[derive(Default, Clone, Copy)]
struct Tally {
    recorded: f64,
    closed: f64,
    charged: f64,
    outcome16: f64,
    order_applied: f64,
    order_granted: f64,
}

impl Tally {
    fn add(&mut self, c: &Crime) {
        if c.recorded_in {
            self.recorded += 1.0;
            self.order_applied += f64::from(u8::from(c.order_applied));
            self.order_granted += f64::from(u8::from(c.order_granted));
        }
        if c.closed_in {
            self.closed += 1.0;
            self.charged += f64::from(u8::from(c.charged));
            self.outcome16 += f64::from(u8::from(c.outcome16));
        }
    }

    /// (numerator, denominator) of a measure other than the share of crimes recorded.
    fn of(&self, measure: &str) -> (f64, f64) {
        match measure {
            "charge_rate_closed" => (self.charged, self.closed),
            "outcome16_share" => (self.outcome16, self.closed),
            "order_applied_share" => (self.order_applied, self.recorded),
            "order_granted_share" => (self.order_granted, self.recorded),
            other => unreachable!("{other} is not a theme measure"),
        }
    }
}

/// The two themes for `force`, over the twelve months to `month`, as at `as_at`.
pub fn themes(dataset: &Dataset, force: &str, month: Month, as_at: Date) -> Result<Vec<Theme>> {
    let crimes = crimes(dataset, force, month, as_at)?;
    let from = month.plus(-11);
    let mut missing = Vec::new();
    for (table, measures) in [
        (
            TableName::Outcomes,
            ["charge_rate_closed", "outcome16_share"],
        ),
        (
            TableName::Events,
            ["order_applied_share", "order_granted_share"],
        ),
    ] {
        if dataset.lazy(table).is_none() {
            missing.push((table.as_str().to_string(), measures));
        }
    }
    let shown = |rows: Vec<ThemeRow>| -> Vec<ThemeRow> {
        rows.into_iter()
            .filter(|r| !missing.iter().any(|(_, m)| m.contains(&r.measure)))
            .collect()
    };
    let da = shown(compare(&crimes, "domestic abuse related", |c| {
        c.domestic_abuse
    }));
    let mut female = Vec::new();
    for band in AGE_BANDS {
        female.extend(shown(compare(
            &crimes,
            &format!("female victims aged {band}"),
            |c| c.female && c.age_band == *band,
        )));
    }
    let missing: Vec<String> = missing.into_iter().map(|(t, _)| t).collect();
    Ok(vec![
        Theme {
            theme: "domestic_abuse",
            title: "Domestic abuse related RASSO crimes",
            from: from.to_string(),
            to: month.to_string(),
            rows: da,
            missing: missing.clone(),
        },
        Theme {
            theme: "female_victims",
            title: "Female victims by age band (violence against women and girls)",
            from: from.to_string(),
            to: month.to_string(),
            rows: female,
            missing,
        },
    ])
}

fn compare(crimes: &[Crime], subgroup: &str, member: impl Fn(&Crime) -> bool) -> Vec<ThemeRow> {
    let (mut inside, mut rest) = (Tally::default(), Tally::default());
    for c in crimes {
        if member(c) {
            inside.add(c);
        } else {
            rest.add(c);
        }
    }
    let interval = |x: f64, n: f64| {
        wilson(x, n, 0.95).map_or((None, None, None), |i| {
            (Some(i.estimate), Some(i.lower), Some(i.upper))
        })
    };
    MEASURES
        .iter()
        .map(|&(measure, _)| {
            if measure == "share_of_recorded" {
                let (x, n) = (inside.recorded, inside.recorded + rest.recorded);
                let (value, ci_low, ci_high) = interval(x, n);
                return ThemeRow {
                    subgroup: subgroup.to_string(),
                    measure,
                    numerator: x,
                    denominator: n,
                    value,
                    ci_low,
                    ci_high,
                    rest_numerator: None,
                    rest_denominator: None,
                    rest_value: None,
                    rest_ci_low: None,
                    rest_ci_high: None,
                    p_value: None,
                };
            }
            let (x, n) = inside.of(measure);
            let (rx, rn) = rest.of(measure);
            let (value, ci_low, ci_high) = interval(x, n);
            let (rest_value, rest_ci_low, rest_ci_high) = interval(rx, rn);
            ThemeRow {
                subgroup: subgroup.to_string(),
                measure,
                numerator: x,
                denominator: n,
                value,
                ci_low,
                ci_high,
                rest_numerator: Some(rx),
                rest_denominator: Some(rn),
                rest_value,
                rest_ci_low,
                rest_ci_high,
                p_value: two_proportion(x, n, rx, rn, 0.95).map(|t| t.p_value),
            }
        })
        .collect()
}

/// The force's crimes recorded on or before the as-at date, with the facts the themes
/// read: recorded in the window, closed in it (current outcome dated in it), the current
/// outcome, and whether any order was applied or granted on the crime by the as-at date.
fn crimes(dataset: &Dataset, force: &str, month: Month, as_at: Date) -> Result<Vec<Crime>> {
    let base = Base::build_with_events(
        dataset,
        as_at.days(),
        Some(force),
        None,
        Some(&["order_applied", "order_granted"]),
    )?;
    let (lo, hi) = (
        month.plus(-11).first_day().days(),
        month.last_day().days().min(as_at.days()),
    );
    let facts = dataset
        .lazy(TableName::Offences)
        .expect("offences are always loaded")
        .select([
            col("crime_id").alias("of_crime"),
            col("domestic_abuse"),
            col("victim_sex"),
            col("victim_age").cast(DataType::Int64),
        ]);
    let frame = base
        .crimes()
        .select([
            col("cidx"),
            col("crime_id"),
            col("recorded"),
            col("cur_type"),
            col("cur_date"),
        ])
        .join(
            facts,
            [col("crime_id")],
            [col("of_crime")],
            JoinArgs::new(JoinType::Left),
        )
        .sort(["cidx"], SortMultipleOptions::default())
        .collect()?;
    let n = base.crimes.height();
    let (mut applied, mut granted) = (vec![false; n], vec![false; n]);
    if let Some(events) = base.events() {
        let applied_code = crate::model::event_code("order_applied");
        let e = events.select([col("cidx"), col("etype")]).collect()?;
        for (cidx, etype) in e
            .column("cidx")?
            .u32()?
            .iter()
            .zip(e.column("etype")?.u8()?.iter())
        {
            let (Some(i), Some(t)) = (cidx, etype) else {
                continue;
            };
            if t == applied_code {
                applied[i as usize] = true;
            } else {
                granted[i as usize] = true;
            }
        }
    }
    let cidx = frame.column("cidx")?.u32()?;
    let recorded = frame.column("recorded")?.i32()?;
    let cur_type = frame.column("cur_type")?.str()?;
    let cur_date = frame.column("cur_date")?.i32()?;
    let da = frame.column("domestic_abuse")?.bool()?;
    let sex = frame.column("victim_sex")?.str()?;
    let age = frame.column("victim_age")?.i64()?;
    let within = |d: Option<i32>| d.is_some_and(|d| d >= lo && d <= hi);
    Ok((0..frame.height())
        .map(|i| {
            let outcome = cur_type.get(i);
            let k = cidx.get(i).expect("every crime has its index") as usize;
            Crime {
                recorded_in: within(recorded.get(i)),
                closed_in: within(cur_date.get(i)),
                charged: outcome.is_some_and(|o| CHARGE_OUTCOMES.contains(&o)),
                outcome16: outcome == Some("16"),
                order_applied: applied[k],
                order_granted: granted[k],
                domestic_abuse: da.get(i).unwrap_or(false),
                female: sex.get(i) == Some("F"),
                age_band: crate::profile::age_band(age.get(i)),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crime(recorded_in: bool, closed_in: bool, charged: bool, da: bool) -> Crime {
        Crime {
            recorded_in,
            closed_in,
            charged,
            outcome16: closed_in && !charged,
            order_applied: da,
            order_granted: false,
            domestic_abuse: da,
            female: true,
            age_band: "18-24",
        }
    }

    /// Worked by hand: three domestic-abuse crimes recorded in the window (two closed,
    /// one charged) against two others recorded (both closed, none charged).
    #[test]
    fn a_subgroup_is_compared_with_the_rest_of_the_force() {
        let crimes = vec![
            crime(true, true, true, true),
            crime(true, true, false, true),
            crime(true, false, false, true),
            crime(true, true, false, false),
            crime(true, true, false, false),
            // Recorded before the window, closed in it: counts for the closed measures only.
            crime(false, true, true, false),
        ];
        let rows = compare(&crimes, "domestic abuse related", |c| c.domestic_abuse);
        let row = |m: &str| rows.iter().find(|r| r.measure == m).unwrap();
        let share = row("share_of_recorded");
        assert_eq!((share.numerator, share.denominator), (3.0, 5.0));
        assert_eq!(share.rest_value, None);
        let charge = row("charge_rate_closed");
        assert_eq!((charge.numerator, charge.denominator), (1.0, 2.0));
        assert_eq!(
            (charge.rest_numerator, charge.rest_denominator),
            (Some(1.0), Some(3.0))
        );
        // Wilson interval of 1/2 at 95%: 0.0945 to 0.9055 (R: prop.test(1, 2,
        // correct = FALSE)$conf.int).
        assert!((charge.ci_low.unwrap() - 0.094_531).abs() < 1e-6);
        assert!((charge.ci_high.unwrap() - 0.905_469).abs() < 1e-6);
        let orders = row("order_applied_share");
        assert_eq!((orders.numerator, orders.denominator), (3.0, 3.0));
        assert_eq!(
            (orders.rest_numerator, orders.rest_denominator),
            (Some(0.0), Some(2.0))
        );
        // Pooled 3/5: z = (1 - 0) / sqrt(0.6 * 0.4 * (1/3 + 1/2)) = 2.2361, p = 0.02535.
        assert!((orders.p_value.unwrap() - 0.025_347).abs() < 1e-5);
    }
}
