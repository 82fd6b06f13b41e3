//! The summary view: one row per indicator and offence group for a month, with last
//! month, the same month last year, the 12-month mean, the SPC variation icon and, where
//! a targets file gives a target, the assurance icon.
use super::registry::{self, CATALOGUE};
use super::{FlightDeckOptions, flight_deck};
use crate::error::{Result, SoteriaError};
use crate::ingest::Dataset;
use crate::stats::spc::{SpcOptions, xmr};
use crate::util::Month;
use polars::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Targets by indicator, with optional overrides per offence group:
///
/// ```toml
/// charge_rate_closed = 0.06      # every group
/// [rape]
/// charge_rate_closed = 0.05      # the rape group only
/// ```
#[derive(Debug, Default, Clone)]
pub struct Targets {
    all: BTreeMap<String, f64>,
    by_group: BTreeMap<String, BTreeMap<String, f64>>,
}

impl Targets {
    pub fn from_file(path: &Path) -> Result<Targets> {
        let text = std::fs::read_to_string(path).map_err(|e| SoteriaError::io(path, e))?;
        let value: toml::Table =
            text.parse()
                .map_err(|e: toml::de::Error| SoteriaError::Mapping {
                    path: path.to_path_buf(),
                    message: e.to_string(),
                })?;
        let bad = |m: String| SoteriaError::Mapping {
            path: path.to_path_buf(),
            message: m,
        };
        let number = |v: &toml::Value| v.as_float().or_else(|| v.as_integer().map(|i| i as f64));
        let known = |id: &str| -> Result<String> {
            registry::find(id)
                .map(|i| i.id.to_string())
                .ok_or_else(|| bad(format!("unknown indicator `{id}`")))
        };
        let mut targets = Targets::default();
        for (key, v) in &value {
            match v {
                toml::Value::Table(t) => {
                    if !["all", "rape", "other_sexual"].contains(&key.as_str()) {
                        return Err(bad(format!(
                            "[{key}]: groups are all, rape and other_sexual"
                        )));
                    }
                    for (id, v) in t {
                        let n = number(v)
                            .ok_or_else(|| bad(format!("[{key}] {id}: a target is a number")))?;
                        targets
                            .by_group
                            .entry(key.clone())
                            .or_default()
                            .insert(known(id)?, n);
                    }
                }
                other => {
                    let n =
                        number(other).ok_or_else(|| bad(format!("{key}: a target is a number")))?;
                    targets.all.insert(known(key)?, n);
                }
            }
        }
        Ok(targets)
    }

    pub fn get(&self, group: &str, indicator: &str) -> Option<f64> {
        self.by_group
            .get(group)
            .and_then(|g| g.get(indicator))
            .or_else(|| self.all.get(indicator))
            .copied()
    }
}

/// The summary table for `month`, over area `All` of every force in the dataset.
pub fn summary(
    dataset: &Dataset,
    options: &FlightDeckOptions,
    month: Month,
    targets: &Targets,
    baseline: Option<usize>,
) -> Result<DataFrame> {
    let deck = flight_deck(
        dataset,
        &FlightDeckOptions {
            to: Some(month),
            split: None,
            spc: None,
            ..options.clone()
        },
    )?;
    summary_of(&deck.table, month, targets, baseline)
}

/// The summary table for `month` from a flight-deck table (area `All` rows, months up to
/// `month`), so that a caller with the table does not compute it twice.
pub fn summary_of(
    t: &DataFrame,
    month: Month,
    targets: &Targets,
    baseline: Option<usize>,
) -> Result<DataFrame> {
    let t = &t
        .clone()
        .lazy()
        .filter(col("area").eq(lit("All")))
        .collect()?;
    let period = t.column("period")?.str()?;
    let force = t.column("force")?.str()?;
    let group = t.column("offence_group")?.str()?;
    let indicator = t.column("indicator")?.str()?;
    let numerator = t.column("numerator")?.f64()?;
    let denominator = t.column("denominator")?.f64()?;
    let value = t.column("value")?.f64()?;
    let ci_low = t.column("ci_low")?.f64()?;
    let ci_high = t.column("ci_high")?.f64()?;

    type Series_ = BTreeMap<
        i32,
        (
            Option<f64>,
            Option<f64>,
            Option<f64>,
            Option<f64>,
            Option<f64>,
        ),
    >;
    let mut series: BTreeMap<(String, String, usize), Series_> = BTreeMap::new();
    for i in 0..t.height() {
        let (Some(p), Some(f), Some(g), Some(id)) =
            (period.get(i), force.get(i), group.get(i), indicator.get(i))
        else {
            continue;
        };
        let m = Month::parse(p).map(|m| m.index()).unwrap_or(0);
        series
            .entry((f.to_string(), g.to_string(), registry::position(id)))
            .or_default()
            .insert(
                m,
                (
                    numerator.get(i),
                    denominator.get(i),
                    value.get(i),
                    ci_low.get(i),
                    ci_high.get(i),
                ),
            );
    }
    let this = month.index();
    let mut rows: Vec<SummaryRow> = Vec::new();
    for ((f, g, pos), s) in &series {
        let ind = &CATALOGUE[*pos];
        let at = |m: i32| s.get(&m).copied().unwrap_or_default();
        let (num, den, val, lo, hi) = at(this);
        let window: Vec<f64> = (this - 11..=this).filter_map(|m| at(m).2).collect();
        let mean_12m =
            (!window.is_empty()).then(|| window.iter().sum::<f64>() / window.len() as f64);
        let history: Vec<f64> = s.range(..=this).filter_map(|(_, v)| v.2).collect();
        let target = targets.get(g, ind.id);
        let spc = xmr(
            &history,
            &SpcOptions {
                baseline,
                screen: true,
                polarity: ind.polarity,
                target,
            },
        );
        // The icon describes this month only if this month has a value.
        let icon = spc
            .as_ref()
            .filter(|_| val.is_some())
            .and_then(|r| r.icon)
            .map(|i| i.as_str());
        rows.push(SummaryRow {
            force: f.clone(),
            group: g.clone(),
            pillar: ind.pillar as i32,
            indicator: ind.id,
            title: ind.title,
            numerator: num,
            denominator: den,
            value: val,
            ci_low: lo,
            ci_high: hi,
            last_month: at(this - 1).2,
            last_year: at(this - 12).2,
            mean_12m,
            variation: icon,
            target,
            assurance: spc.as_ref().and_then(|r| r.assurance).map(|a| a.as_str()),
            polarity: ind.polarity.as_str(),
        });
    }
    let group_rank = |g: &str| {
        ["all", "rape", "other_sexual"]
            .iter()
            .position(|x| *x == g)
            .unwrap_or(9)
    };
    rows.sort_by(|a, b| {
        (
            &a.force,
            a.pillar,
            group_rank(&a.group),
            registry::position(a.indicator),
        )
            .cmp(&(
                &b.force,
                b.pillar,
                group_rank(&b.group),
                registry::position(b.indicator),
            ))
    });
    let col_f = |f: fn(&SummaryRow) -> Option<f64>| rows.iter().map(f).collect::<Vec<_>>();
    Ok(DataFrame::new_infer_height(vec![
        Column::new("period".into(), vec![month.to_string(); rows.len()]),
        Column::new(
            "force".into(),
            rows.iter().map(|r| r.force.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "pillar".into(),
            rows.iter().map(|r| r.pillar).collect::<Vec<_>>(),
        ),
        Column::new(
            "offence_group".into(),
            rows.iter().map(|r| r.group.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "indicator".into(),
            rows.iter().map(|r| r.indicator).collect::<Vec<_>>(),
        ),
        Column::new(
            "title".into(),
            rows.iter().map(|r| r.title).collect::<Vec<_>>(),
        ),
        Column::new("numerator".into(), col_f(|r| r.numerator)),
        Column::new("denominator".into(), col_f(|r| r.denominator)),
        Column::new("value".into(), col_f(|r| r.value)),
        Column::new("ci_low".into(), col_f(|r| r.ci_low)),
        Column::new("ci_high".into(), col_f(|r| r.ci_high)),
        Column::new("last_month".into(), col_f(|r| r.last_month)),
        Column::new("last_year".into(), col_f(|r| r.last_year)),
        Column::new("mean_12m".into(), col_f(|r| r.mean_12m)),
        Column::new(
            "variation".into(),
            rows.iter().map(|r| r.variation).collect::<Vec<_>>(),
        ),
        Column::new("target".into(), col_f(|r| r.target)),
        Column::new(
            "assurance".into(),
            rows.iter().map(|r| r.assurance).collect::<Vec<_>>(),
        ),
        Column::new(
            "polarity".into(),
            rows.iter().map(|r| r.polarity).collect::<Vec<_>>(),
        ),
    ])?)
}

struct SummaryRow {
    force: String,
    group: String,
    pillar: i32,
    indicator: &'static str,
    title: &'static str,
    numerator: Option<f64>,
    denominator: Option<f64>,
    value: Option<f64>,
    ci_low: Option<f64>,
    ci_high: Option<f64>,
    last_month: Option<f64>,
    last_year: Option<f64>,
    mean_12m: Option<f64>,
    variation: Option<&'static str>,
    target: Option<f64>,
    assurance: Option<&'static str>,
    polarity: &'static str,
}
