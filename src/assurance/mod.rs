//! The inspection's five recommendations to every force (HMICFRS, Operation Soteria,
//! 2024), each evidenced from the extract: the indicators that show it, their latest final
//! value, SPC variation and assurance against a target, the change from the months before
//! the deadline to the months after, and a verdict from the rules below. One declared
//! table, [`RECOMMENDATIONS`], is the source of the output and of `docs/assurance.md`.
//!
//! Verdicts:
//! - `data_not_available`: the extract lacks a table or column that one of the
//!   recommendation's indicators needs (each named): part of what it asks cannot be shown;
//! - `evidenced`: for the lead indicator (the first), a target is set and the process is
//!   consistently passing it, or its latest final month, after the deadline, shows
//!   special cause improvement;
//! - `not_yet_evidenced`: otherwise.
//!
//! Recommendation 11 (a problem profile, the flight deck in strategic monitoring, agreed
//! KPIs) is evidenced when the targets file lists at least one KPI with a target: the
//! profile and the flight deck are this run's.
//!
//! Beside the verdicts: investigators not yet trained, by team, for the training
//! recommendations (3 and 7); the force's own action log (`--actions`), with actions due
//! and not complete marked overdue; and the PCC's scrutiny themes (domestic abuse, and
//! female victims by age band, each against the rest of the force's crimes over the
//! twelve months to the month assessed).
pub mod actions;
pub mod themes;

use crate::error::{Result, SoteriaError};
use crate::indicators::registry::{self, Unit};
use crate::indicators::{FlightDeckOptions, Targets, flight_deck, summary_of};
use crate::ingest::Dataset;
use crate::model::{ALL_AREAS, SplitBy};
use crate::schema::OffenceGroup;
use crate::util::Month;
use crate::util::chrono_lite::Date;
use actions::Action;
use polars::prelude::*;
use serde::Serialize;
use std::path::PathBuf;
use themes::Theme;

/// One recommendation of the inspection to every force.
pub struct Recommendation {
    pub number: &'static str,
    /// (year, month, day)
    pub deadline: (i32, u32, u32),
    pub words: &'static str,
    /// The indicators that evidence it; the first leads the verdict.
    pub evidence: &'static [&'static str],
    /// A staff-share indicator whose numerator and denominator are also listed by team
    /// (who is still to be trained, and where).
    pub by_team: Option<&'static str>,
}

pub const RECOMMENDATIONS: &[Recommendation] = &[
    Recommendation {
        number: "3",
        deadline: (2025, 1, 31),
        words: "RASSO investigators complete approved word-on-word training",
        evidence: &["wow_trained_share"],
        by_team: Some("wow_trained_share"),
    },
    Recommendation {
        number: "5",
        deadline: (2025, 7, 31),
        words: "use the repeat-suspect definition to identify and manage repeat suspects",
        evidence: &[
            "repeat_suspects_managed_share",
            "repeat_suspects_open",
            "repeat_suspect_share",
        ],
        by_team: None,
    },
    Recommendation {
        number: "7",
        deadline: (2025, 1, 31),
        words: "track and act on bail and order breaches; investigators trained on criminal and civil orders",
        evidence: &[
            "bail_breach_actioned_rate",
            "order_breach_actioned_rate",
            "orders_applied",
            "orders_granted",
            "orders_trained_share",
        ],
        by_team: Some("orders_trained_share"),
    },
    Recommendation {
        number: "9",
        deadline: (2025, 1, 31),
        words: "good processes to apply to retain DNA and fingerprints under PACE s63G",
        evidence: &[
            "dna_retention_application_rate",
            "dna_retention_granted_rate",
        ],
        by_team: None,
    },
    Recommendation {
        number: "11",
        deadline: (2025, 3, 31),
        words: "a RASSO problem profile, the flight deck in strategic monitoring, and agreed KPIs adopted",
        evidence: &[],
        by_team: None,
    },
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Evidenced,
    NotYetEvidenced,
    DataNotAvailable,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Evidenced => "evidenced",
            Verdict::NotYetEvidenced => "not_yet_evidenced",
            Verdict::DataNotAvailable => "data_not_available",
        }
    }
}

/// The months before the deadline against the months after it.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// Final months counted on each side.
    pub months_before: usize,
    pub months_after: usize,
    /// Pooled numerators and denominators on each side (proportions and ratios).
    pub before_numerator: f64,
    pub before_denominator: f64,
    pub after_numerator: f64,
    pub after_denominator: f64,
    pub before: Option<f64>,
    pub after: Option<f64>,
    /// Two-proportion z test of the pooled shares (proportions only).
    pub p_value: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    pub indicator: &'static str,
    pub title: &'static str,
    /// The latest final month's value, and that month.
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub value_period: Option<String>,
    pub status: Option<String>,
    pub variation: Option<String>,
    pub target: Option<f64>,
    pub assurance: Option<String>,
    /// Tables or columns the extract would need (empty when available).
    pub missing: Vec<String>,
    pub change: Option<Change>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub recommendation: &'static str,
    pub deadline: String,
    pub words: &'static str,
    pub verdict: Verdict,
    /// Why, in a sentence.
    pub reason: String,
    pub evidence: Vec<Evidence>,
    /// Investigators by team at the month's end (recommendations with `by_team`).
    pub teams: Vec<TeamTraining>,
    /// The force's actions on this recommendation, from `--actions`.
    pub actions: Vec<Action>,
}

/// Active investigators of a team at the month's end and how many hold the training.
#[derive(Debug, Clone, Serialize)]
pub struct TeamTraining {
    pub indicator: &'static str,
    pub team: String,
    pub active: f64,
    pub trained: f64,
    pub untrained: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Assurance {
    pub month: String,
    pub force: String,
    pub as_at: String,
    pub recommendations: Vec<Finding>,
    /// Whether the force's action log was given (`--actions`).
    pub action_log: bool,
    /// The PCC's scrutiny themes over the twelve months to the month.
    pub themes: Vec<Theme>,
}

pub struct AssuranceOptions {
    pub month: Month,
    pub force: String,
    pub as_at: Option<Date>,
    pub targets: Targets,
    /// The force's action log (CSV), if any.
    pub actions: Option<PathBuf>,
}

/// Months before the deadline's month compared with the months after it.
const MONTHS_BEFORE: i32 = 12;

pub fn assess(dataset: &Dataset, options: &AssuranceOptions) -> Result<Assurance> {
    let ids: Vec<String> = RECOMMENDATIONS
        .iter()
        .flat_map(|r| r.evidence.iter().map(|s| s.to_string()))
        .collect();
    let deck = flight_deck(
        dataset,
        &FlightDeckOptions {
            as_at: options.as_at,
            to: Some(options.month),
            force: Some(options.force.clone()),
            group: Some(OffenceGroup::All),
            indicators: Some(ids),
            windows: options.targets.windows.clone(),
            process_changes: options.targets.process_changes.clone(),
            ..FlightDeckOptions::default()
        },
    )?;
    if options.month > deck.to {
        return Err(SoteriaError::Usage(format!(
            "--month {}: after the as-at date {}",
            options.month, deck.as_at
        )));
    }
    let frame = deck
        .table
        .clone()
        .lazy()
        .filter(col("area").eq(lit("All")))
        .collect()?;
    let summary = summary_of(&frame, options.month, &options.targets, None)?;
    let teams = teams(dataset, options, deck.as_at)?;
    let actions = match &options.actions {
        Some(path) => actions::read(path, deck.as_at)?,
        None => Vec::new(),
    };
    let mut findings = Vec::new();
    for rec in RECOMMENDATIONS {
        let (y, m, d) = rec.deadline;
        let deadline = Month::new(y, m);
        let evidence: Vec<Evidence> = rec
            .evidence
            .iter()
            .map(|id| evidence(id, &frame, &summary, &deck.unavailable, deadline))
            .collect::<Result<_>>()?;
        let (verdict, reason) = verdict(rec, &evidence, &options.targets);
        findings.push(Finding {
            recommendation: rec.number,
            deadline: Date::new(y, m, d).to_string(),
            words: rec.words,
            verdict,
            reason,
            evidence,
            teams: teams
                .iter()
                .filter(|t| Some(t.indicator) == rec.by_team)
                .cloned()
                .collect(),
            actions: actions
                .iter()
                .filter(|a| a.recommendation == rec.number)
                .cloned()
                .collect(),
        });
    }
    Ok(Assurance {
        month: options.month.to_string(),
        force: options.force.clone(),
        as_at: deck.as_at.to_string(),
        recommendations: findings,
        action_log: options.actions.is_some(),
        themes: themes::themes(dataset, &options.force, options.month, deck.as_at)?,
    })
}

/// The training indicators' numerators and denominators by team at the month's end: a
/// flight deck of the staff table alone, split by team, so the counts are the
/// indicators' own.
fn teams(dataset: &Dataset, options: &AssuranceOptions, as_at: Date) -> Result<Vec<TeamTraining>> {
    let ids: Vec<String> = RECOMMENDATIONS
        .iter()
        .filter_map(|r| r.by_team)
        .filter(|id| {
            registry::find(id)
                .and_then(|i| i.needs_column)
                .is_none_or(|(t, c)| dataset.has_column(t, c))
        })
        .map(String::from)
        .collect();
    if ids.is_empty() || dataset.lazy(crate::schema::TableName::Staff).is_none() {
        return Ok(Vec::new());
    }
    let deck = flight_deck(
        dataset,
        &FlightDeckOptions {
            as_at: Some(as_at),
            from: Some(options.month),
            to: Some(options.month),
            force: Some(options.force.clone()),
            split: Some(SplitBy::Team),
            group: Some(OffenceGroup::All),
            indicators: Some(ids),
            ..FlightDeckOptions::default()
        },
    )?;
    let rows = deck
        .table
        .lazy()
        .filter(
            col("area")
                .neq(lit(ALL_AREAS))
                .and(col("period").eq(lit(options.month.to_string()))),
        )
        .select([
            col("indicator"),
            col("area"),
            col("numerator"),
            col("denominator"),
        ])
        .sort(["indicator", "area"], SortMultipleOptions::default())
        .collect()?;
    let indicator = rows.column("indicator")?.str()?;
    let area = rows.column("area")?.str()?;
    let num = rows.column("numerator")?.f64()?;
    let den = rows.column("denominator")?.f64()?;
    let mut out = Vec::new();
    for i in 0..rows.height() {
        let (Some(id), Some(team)) = (indicator.get(i), area.get(i)) else {
            continue;
        };
        let Some(id) = RECOMMENDATIONS
            .iter()
            .filter_map(|r| r.by_team)
            .find(|b| *b == id)
        else {
            continue;
        };
        let active = den.get(i).unwrap_or(0.0);
        if active == 0.0 {
            continue;
        }
        let trained = num.get(i).unwrap_or(0.0);
        out.push(TeamTraining {
            indicator: id,
            team: team.to_string(),
            active,
            trained,
            untrained: active - trained,
        });
    }
    Ok(out)
}

fn verdict(rec: &Recommendation, evidence: &[Evidence], targets: &Targets) -> (Verdict, String) {
    let Some(lead) = evidence.first() else {
        let kpis = targets.kpis();
        return if kpis.is_empty() {
            (
                Verdict::NotYetEvidenced,
                "the profile and the flight deck are this run's; no agreed KPI has a target in the targets file".into(),
            )
        } else {
            (
                Verdict::Evidenced,
                format!(
                    "the profile and the flight deck are this run's; KPIs with targets: {}",
                    kpis.join(", ")
                ),
            )
        };
    };
    let missing: Vec<String> = evidence
        .iter()
        .filter(|e| !e.missing.is_empty())
        .map(|e| format!("{} needs {}", e.indicator, e.missing.join(", ")))
        .collect();
    if !missing.is_empty() {
        return (Verdict::DataNotAvailable, missing.join("; "));
    }
    let (y, m, _) = rec.deadline;
    let after_deadline = lead
        .value_period
        .as_deref()
        .and_then(Month::parse)
        .is_some_and(|p| p > Month::new(y, m));
    match (lead.assurance.as_deref(), lead.variation.as_deref()) {
        (Some("consistently_passing"), _) => (
            Verdict::Evidenced,
            format!(
                "{} consistently passes its target of {}",
                lead.indicator,
                lead.target.map_or(String::new(), |t| t.to_string())
            ),
        ),
        (_, Some(v)) if v.starts_with("improvement") && after_deadline => (
            Verdict::Evidenced,
            format!(
                "{} shows special cause improvement in {}, after the deadline",
                lead.indicator,
                lead.value_period.as_deref().unwrap_or_default()
            ),
        ),
        _ => (
            Verdict::NotYetEvidenced,
            format!(
                "{}: no target consistently met and no special cause improvement after the deadline",
                lead.indicator
            ),
        ),
    }
}

fn evidence(
    id: &'static str,
    frame: &DataFrame,
    summary: &DataFrame,
    unavailable: &[(&'static str, Vec<String>)],
    deadline: Month,
) -> Result<Evidence> {
    let ind = registry::find(id).expect("recommendations name catalogue indicators");
    let missing = unavailable
        .iter()
        .find(|(u, _)| *u == id)
        .map(|(_, m)| m.clone())
        .unwrap_or_default();
    let row = summary
        .clone()
        .lazy()
        .filter(col("indicator").eq(lit(id)))
        .collect()?;
    let text = |c: &str| -> Result<Option<String>> {
        Ok(match row.column(c) {
            Ok(s) if row.height() > 0 => s.cast(&DataType::String)?.str()?.get(0).map(String::from),
            _ => None,
        })
    };
    let number = |c: &str| -> Result<Option<f64>> {
        Ok(match row.column(c) {
            Ok(s) if row.height() > 0 => s.cast(&DataType::Float64)?.f64()?.get(0),
            _ => None,
        })
    };
    let available = missing.is_empty();
    Ok(Evidence {
        indicator: id,
        title: ind.title,
        value: number("value")?.filter(|_| available),
        numerator: number("numerator")?.filter(|_| available),
        denominator: number("denominator")?.filter(|_| available),
        ci_low: number("ci_low")?.filter(|_| available),
        ci_high: number("ci_high")?.filter(|_| available),
        value_period: text("value_period")?.filter(|_| available),
        status: text("status")?.filter(|_| available),
        variation: text("variation")?.filter(|_| available),
        target: number("target")?,
        assurance: text("assurance")?.filter(|_| available),
        change: if available {
            change(frame, id, ind.unit, deadline)?
        } else {
            None
        },
        missing,
    })
}

/// Final months in the year before the deadline's month against the final months after
/// it: pooled shares with a two-proportion test for a proportion, monthly means for a
/// count, pooled numerator over pooled denominator for a ratio.
fn change(frame: &DataFrame, id: &str, unit: Unit, deadline: Month) -> Result<Option<Change>> {
    let rows = frame
        .clone()
        .lazy()
        .filter(
            col("indicator")
                .eq(lit(id))
                .and(col("status").eq(lit("final"))),
        )
        .select([
            col("period"),
            col("numerator"),
            col("denominator"),
            col("value"),
        ])
        .collect()?;
    let periods = rows.column("period")?.str()?.clone();
    let f64s = |c: &str| -> Result<Vec<Option<f64>>> {
        Ok(rows
            .column(c)?
            .cast(&DataType::Float64)?
            .f64()?
            .iter()
            .collect())
    };
    let (num, den, value) = (f64s("numerator")?, f64s("denominator")?, f64s("value")?);
    let first = deadline.plus(-MONTHS_BEFORE);
    let mut sides = [(0usize, 0.0, 0.0, 0.0), (0usize, 0.0, 0.0, 0.0)];
    for (i, p) in periods.iter().enumerate() {
        let Some(p) = p.and_then(Month::parse) else {
            continue;
        };
        let side = if p >= first && p < deadline {
            0
        } else if p > deadline {
            1
        } else {
            continue;
        };
        let Some(v) = value[i] else { continue };
        let s = &mut sides[side];
        s.0 += 1;
        s.1 += num[i].unwrap_or(0.0);
        s.2 += den[i].unwrap_or(0.0);
        s.3 += v;
    }
    let [before, after] = sides;
    if before.0 == 0 && after.0 == 0 {
        return Ok(None);
    }
    let level = |s: (usize, f64, f64, f64)| -> Option<f64> {
        (s.0 > 0).then_some(())?;
        match unit {
            Unit::Count => Some(s.3 / s.0 as f64),
            Unit::MedianDays => Some(s.3 / s.0 as f64),
            Unit::Proportion | Unit::Ratio => (s.2 > 0.0).then(|| s.1 / s.2),
        }
    };
    let p_value = match unit {
        Unit::Proportion if before.0 > 0 && after.0 > 0 => {
            crate::stats::change::two_proportion(after.1, after.2, before.1, before.2, 0.95)
                .map(|t| t.p_value)
        }
        _ => None,
    };
    Ok(Some(Change {
        months_before: before.0,
        months_after: after.0,
        before_numerator: before.1,
        before_denominator: before.2,
        after_numerator: after.1,
        after_denominator: after.2,
        before: level(before),
        after: level(after),
        p_value,
    }))
}

/// One row per recommendation and evidence indicator, for the table, Markdown and CSV.
pub fn to_frame(a: &Assurance) -> Result<DataFrame> {
    let mut rec = Vec::new();
    let mut deadline = Vec::new();
    let mut verdict = Vec::new();
    let mut indicator = Vec::new();
    let mut value = Vec::new();
    let mut period = Vec::new();
    let mut variation = Vec::new();
    let mut target = Vec::new();
    let mut assurance = Vec::new();
    let mut before = Vec::new();
    let mut after = Vec::new();
    let mut p = Vec::new();
    let mut missing = Vec::new();
    for f in &a.recommendations {
        let rows: Vec<Option<&Evidence>> = if f.evidence.is_empty() {
            vec![None]
        } else {
            f.evidence.iter().map(Some).collect()
        };
        for e in rows {
            rec.push(f.recommendation);
            deadline.push(f.deadline.clone());
            verdict.push(f.verdict.as_str());
            indicator.push(e.map(|e| e.indicator));
            value.push(e.and_then(|e| e.value));
            period.push(e.and_then(|e| e.value_period.clone()));
            variation.push(e.and_then(|e| e.variation.clone()));
            target.push(e.and_then(|e| e.target));
            assurance.push(e.and_then(|e| e.assurance.clone()));
            let c = e.and_then(|e| e.change.as_ref());
            before.push(c.and_then(|c| c.before));
            after.push(c.and_then(|c| c.after));
            p.push(c.and_then(|c| c.p_value));
            missing.push(e.map(|e| e.missing.join(" ")).filter(|m| !m.is_empty()));
        }
    }
    Ok(DataFrame::new_infer_height(vec![
        Column::new("recommendation".into(), rec),
        Column::new("deadline".into(), deadline),
        Column::new("verdict".into(), verdict),
        Column::new("indicator".into(), indicator),
        Column::new("value".into(), value),
        Column::new("value_period".into(), period),
        Column::new("variation".into(), variation),
        Column::new("target".into(), target),
        Column::new("assurance".into(), assurance),
        Column::new("before_deadline".into(), before),
        Column::new("after_deadline".into(), after),
        Column::new("p_value".into(), p),
        Column::new("missing".into(), missing),
    ])?)
}

/// The recommendations and their evidence as Markdown: `docs/assurance.md` is this text.
pub fn render_markdown() -> String {
    let rows = RECOMMENDATIONS.iter().map(|r| {
        let (y, m, d) = r.deadline;
        let evidence: Vec<String> = r.evidence.iter().map(|e| format!("`{e}`")).collect();
        vec![
            r.number.to_string(),
            Date::new(y, m, d).to_string(),
            r.words.to_string(),
            if evidence.is_empty() {
                "this run's profile and flight deck; the KPIs with targets in `--targets`"
                    .to_string()
            } else {
                evidence.join(", ")
            },
        ]
    });
    let doc = include_str!("mod.rs");
    let rules: String = doc
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .map(|l| l.trim_start_matches("//!").trim_start())
        .collect::<Vec<_>>()
        .join("\n");
    format!(
        "# The inspection's recommendations, evidenced\n\n\
         Generated by `soteria assurance --recommendations` from `src/assurance/mod.rs`; do not edit by hand.\n\n\
         {rules}\n\n{}",
        crate::format::markdown_table(
            &["rec.", "deadline", "what forces must do", "evidence"],
            rows
        )
    )
}
