//! The summary view: one row per indicator and offence group for a month, with last
//! month, the same month last year, the 12-month mean, the SPC variation icon and, where
//! a targets file gives a target, the assurance icon. Where the month is not final for
//! an indicator (provisional or truncated), the row reads its latest final month and
//! names it in `value_period`.
use super::registry::{self, CATALOGUE};
use super::status::Status;
use super::targets::{Targets, rebase_indices};
use super::{FlightDeckOptions, flight_deck};
use crate::error::Result;
use crate::ingest::Dataset;
use crate::schema::OffenceGroup;
use crate::stats::spc::{SpcOptions, xmr_series};
use crate::util::Month;
use polars::prelude::*;
use std::collections::BTreeMap;

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
    let status = t.column("status")?.str()?;

    #[derive(Clone, Copy, Default)]
    struct Cell {
        numerator: Option<f64>,
        denominator: Option<f64>,
        value: Option<f64>,
        ci_low: Option<f64>,
        ci_high: Option<f64>,
        status: Option<Status>,
    }
    impl Cell {
        fn is_final(&self) -> bool {
            self.status == Some(Status::Final)
        }
    }
    let mut series: BTreeMap<(String, String, usize), BTreeMap<i32, Cell>> = BTreeMap::new();
    for i in 0..t.height() {
        let (Some(p), Some(f), Some(g), Some(id)) =
            (period.get(i), force.get(i), group.get(i), indicator.get(i))
        else {
            continue;
        };
        let Some(m) = Month::parse(p).map(|m| m.index()) else {
            continue;
        };
        series
            .entry((f.to_string(), g.to_string(), registry::position(id)))
            .or_default()
            .insert(
                m,
                Cell {
                    numerator: numerator.get(i),
                    denominator: denominator.get(i),
                    value: value.get(i),
                    ci_low: ci_low.get(i),
                    ci_high: ci_high.get(i),
                    status: status.get(i).and_then(Status::parse),
                },
            );
    }
    let this = month.index();
    let mut rows: Vec<SummaryRow> = Vec::new();
    for ((f, g, pos), s) in &series {
        let ind = &CATALOGUE[*pos];
        let at = |m: i32| s.get(&m).copied().unwrap_or_default();
        // The month shown: this one if final, else the latest final month before it.
        let shown = if at(this).is_final() {
            this
        } else {
            s.range(..this)
                .rev()
                .find(|(_, c)| c.is_final())
                .map_or(this, |(m, _)| *m)
        };
        let cell = at(shown);
        let window: Vec<f64> = (shown - 11..=shown).filter_map(|m| at(m).value).collect();
        let mean_12m =
            (!window.is_empty()).then(|| window.iter().sum::<f64>() / window.len() as f64);
        let history: Vec<(&i32, &Cell)> = s.range(..=this).collect();
        let values: Vec<Option<f64>> = history.iter().map(|(_, c)| c.value).collect();
        let counted: Vec<bool> = history.iter().map(|(_, c)| c.is_final()).collect();
        let months: Vec<Month> = history
            .iter()
            .map(|(m, _)| Month::from_index(**m))
            .collect();
        let rebase = rebase_indices(&months, targets.rebase_for(f, ind.id));
        let target = OffenceGroup::parse(g)
            .ok()
            .and_then(|g| targets.get_at(f, g, ind.id, Month::from_index(shown)));
        let spc = xmr_series(
            &values,
            Some(&counted),
            &rebase,
            &SpcOptions {
                baseline,
                screen: true,
                polarity: ind.polarity,
                target,
            },
        );
        // The icon describes the month shown only if it is the latest counted point.
        let shown_is_latest = spc
            .as_ref()
            .and_then(|r| r.latest())
            .is_some_and(|i| *history[i].0 == shown);
        let icon = spc
            .as_ref()
            .filter(|_| cell.value.is_some() && shown_is_latest)
            .and_then(|r| r.icon)
            .map(|i| i.as_str());
        rows.push(SummaryRow {
            force: f.clone(),
            group: g.clone(),
            pillar: ind.pillar as i32,
            indicator: ind.id,
            title: ind.title,
            value_period: Month::from_index(shown).to_string(),
            status: at(this).status.map_or("", Status::as_str),
            numerator: cell.numerator,
            denominator: cell.denominator,
            value: cell.value,
            ci_low: cell.ci_low,
            ci_high: cell.ci_high,
            last_month: at(shown - 1).value,
            last_year: at(shown - 12).value,
            mean_12m,
            variation: icon,
            target,
            assurance: spc.as_ref().and_then(|r| r.assurance).map(|a| a.as_str()),
            polarity: ind.polarity.as_str(),
        });
    }
    let group_rank = crate::schema::group_rank;
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
        Column::new(
            "status".into(),
            rows.iter().map(|r| r.status).collect::<Vec<_>>(),
        ),
        Column::new(
            "value_period".into(),
            rows.iter()
                .map(|r| r.value_period.as_str())
                .collect::<Vec<_>>(),
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
    value_period: String,
    status: &'static str,
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
