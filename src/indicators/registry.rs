//! The indicator catalogue of `flight-deck.md`, version 2: the one source of the ids,
//! pillars, polarities, units, the tables each needs, how the extract window affects it
//! (maturity and burn-in) and its definition in words. The docs (`docs/indicators.md`),
//! `soteria indicators` and the report's definitions appendix are all rendered from
//! this list.
use crate::schema::TableName;
use crate::stats::spc::Polarity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A count; interval from PHE's Poisson rule.
    Count,
    /// A proportion numerator / denominator; Wilson interval.
    Proportion,
    /// A median of whole days; denominator is the number of cases.
    MedianDays,
    /// A ratio of a count to a headcount; the count's Poisson interval scaled.
    Ratio,
}

impl Unit {
    /// How values of this unit are written on charts and in words.
    pub fn value_format(self) -> crate::format::ValueFormat {
        use crate::format::ValueFormat;
        match self {
            Unit::Proportion => ValueFormat::Percent,
            Unit::Count => ValueFormat::Count,
            Unit::MedianDays => ValueFormat::Days,
            Unit::Ratio => ValueFormat::Decimal(2),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Proportion => "proportion",
            Unit::MedianDays => "median days",
            Unit::Ratio => "ratio",
        }
    }
}

/// How long after the start of the extract's coverage a stock or windowed count is
/// complete: before then crimes recorded before the extract are missing from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BurnIn {
    /// Complete from the first month.
    None,
    /// Complete once this many days of coverage lie before the month's end.
    Days(u32),
    /// The repeat-suspect window L (`--repeat-window-days`).
    RepeatWindow,
}

#[derive(Debug)]
pub struct Indicator {
    pub id: &'static str,
    pub pillar: u8,
    pub polarity: Polarity,
    pub unit: Unit,
    /// Tables the indicator needs besides `offences`.
    pub needs: &'static [TableName],
    /// The event types it reads, when it needs `events` and they are known: a job of such
    /// indicators attaches only those events to their crimes. `None`: every type.
    pub event_types: Option<&'static [&'static str]>,
    /// A column added in a later version of the standard that the indicator reads: an
    /// extract without it has the indicator "not available", never zero.
    pub needs_column: Option<(TableName, &'static str)>,
    /// Computed for `offence_group = all` only (staff and feedback).
    pub all_groups_only: bool,
    /// For an indicator over crimes recorded in m that waits for later events: days after
    /// end(m) before its value is final (`provisional` until then).
    pub maturity_days: Option<u32>,
    /// For a stock or windowed count: `truncated` until its burn-in has passed.
    pub burn_in: BurnIn,
    pub title: &'static str,
    pub definition: &'static str,
}

pub const PILLARS: [&str; 6] = [
    "Suspect-focused investigation",
    "Repeat suspects",
    "Victims and procedural justice",
    "Investigators' learning and well-being",
    "Data and analysis",
    "Digital forensics",
];

use Polarity::{Down, Neutral, Up};
use TableName::{Events, Feedback, Outcomes, Staff, Suspects};
use Unit::{Count, MedianDays, Proportion, Ratio};

const fn ind(
    id: &'static str,
    pillar: u8,
    polarity: Polarity,
    unit: Unit,
    needs: &'static [TableName],
    title: &'static str,
    definition: &'static str,
) -> Indicator {
    Indicator {
        id,
        pillar,
        polarity,
        unit,
        needs,
        event_types: None,
        needs_column: None,
        all_groups_only: false,
        maturity_days: None,
        burn_in: BurnIn::None,
        title,
        definition,
    }
}

const fn all_only(mut i: Indicator) -> Indicator {
    i.all_groups_only = true;
    i
}

/// Provisional until `days` after the end of the month. The defaults sit past nearly all
/// of the waiting time in the generator and in published figures (docs/interpretations.md).
const fn matures(days: u32, mut i: Indicator) -> Indicator {
    i.maturity_days = Some(days);
    i
}

/// Reads a column that version 1 extracts do not have.
const fn needs_column(table: TableName, column: &'static str, mut i: Indicator) -> Indicator {
    i.needs_column = Some((table, column));
    i
}

/// Reads only these event types.
const fn reads(types: &'static [&'static str], mut i: Indicator) -> Indicator {
    i.event_types = Some(types);
    i
}

/// Truncated until `burn_in` has passed since the start of the coverage.
const fn burns_in(burn_in: BurnIn, mut i: Indicator) -> Indicator {
    i.burn_in = burn_in;
    i
}

pub static CATALOGUE: &[Indicator] = &[
    ind(
        "recorded",
        1,
        Neutral,
        Count,
        &[],
        "Offences recorded",
        "|R(m)|: offences with recorded_date in the month",
    ),
    matures(
        90,
        ind(
            "suspect_identified_rate",
            1,
            Up,
            Proportion,
            &[Suspects],
            "Suspect identified",
            "crimes in R(m) with at least one suspects row dated on or before the as-at date / |R(m)|",
        ),
    ),
    matures(
        30,
        ind(
            "suspect_identified_30d_rate",
            1,
            Up,
            Proportion,
            &[Suspects],
            "Suspect identified within 30 days",
            "crimes in R(m) with a suspects row linked on or before 30 days after recorded_date / |R(m)|",
        ),
    ),
    matures(
        90,
        ind(
            "arrest_or_interview_rate",
            1,
            Up,
            Proportion,
            &[Suspects, Events],
            "Arrest or interview",
            "of the crimes in R(m) with a suspect, the share with a suspect_arrested or suspect_interviewed event",
        ),
    ),
    ind(
        "days_report_to_arrest_median",
        1,
        Down,
        MedianDays,
        &[Events],
        "Days from report to arrest",
        "over crimes whose first suspect_arrested event is in the month: median days from reported_date",
    ),
    ind(
        "charges",
        1,
        Up,
        Count,
        &[Outcomes],
        "Charges",
        "crimes in C(m) whose current outcome is a charge (1 or 1A)",
    ),
    ind(
        "charge_rate_closed",
        1,
        Up,
        Proportion,
        &[Outcomes],
        "Charge rate (closed basis)",
        "charges / |C(m)|",
    ),
    matures(
        730,
        ind(
            "charge_rate_cohort",
            1,
            Up,
            Proportion,
            &[Outcomes],
            "Charge rate (recorded cohort)",
            "crimes in R(m) whose current outcome is a charge / |R(m)|",
        ),
    ),
    matures(
        365,
        ind(
            "charge_within_365d_rate",
            1,
            Up,
            Proportion,
            &[Outcomes],
            "Charged within a year of recording",
            "crimes in R(m) with a charge outcome (1 or 1A) dated within 365 days of recorded_date / |R(m)|",
        ),
    ),
    ind(
        "days_recorded_to_charge_median",
        1,
        Down,
        MedianDays,
        &[Outcomes],
        "Days from recording to charge",
        "over crimes in C(m) charged: median days from recorded_date to outcome_date",
    ),
    ind(
        "early_advice_requests",
        1,
        Neutral,
        Count,
        &[Events],
        "CPS early advice requests",
        "cps_early_advice_requested events in the month",
    ),
    ind(
        "days_early_advice_median",
        1,
        Down,
        MedianDays,
        &[Events],
        "Days to CPS early advice",
        "over cps_early_advice_received events in the month: median days since the latest request on the same crime on or before it",
    ),
    ind(
        "cps_files_submitted",
        1,
        Up,
        Count,
        &[Events],
        "Files to CPS",
        "cps_file_submitted events in the month",
    ),
    ind(
        "cps_charge_decision_rate",
        1,
        Up,
        Proportion,
        &[Events],
        "CPS charge decisions",
        "cps_decision events in the month with detail = charge / all cps_decision events in the month",
    ),
    burns_in(
        BurnIn::RepeatWindow,
        matures(
            28,
            ind(
                "repeat_suspects_managed_share",
                2,
                Up,
                Proportion,
                &[Suspects, Events],
                "New repeat suspects managed within 28 days",
                "suspects who become repeat suspects in m (their second distinct crime in the window linked in m) with a suspect_arrested, bail_start, order_applied, pdp_nominal_registered or matac_referral event for that suspect, on any crime, within 28 days / suspects who become repeat suspects in m",
            ),
        ),
    ),
    burns_in(
        BurnIn::RepeatWindow,
        ind(
            "repeat_suspect_share",
            2,
            Neutral,
            Proportion,
            &[Suspects],
            "Repeat suspects among suspects linked",
            "distinct suspects linked in the month that are repeat suspects at end(m) / distinct suspects linked in the month",
        ),
    ),
    burns_in(
        BurnIn::RepeatWindow,
        ind(
            "repeat_suspects_open",
            2,
            Neutral,
            Count,
            &[Suspects, Outcomes],
            "Repeat suspects with an open crime",
            "repeat suspects at end(m) linked to a crime open at end(m)",
        ),
    ),
    ind(
        "orders_applied",
        2,
        Up,
        Count,
        &[Events],
        "Protection orders applied for",
        "order_applied events in the month",
    ),
    ind(
        "orders_granted",
        2,
        Up,
        Count,
        &[Events],
        "Protection orders granted",
        "order_granted events in the month",
    ),
    ind(
        "order_breach_actioned_rate",
        2,
        Up,
        Proportion,
        &[Events],
        "Order breaches actioned within 7 days",
        "order_breach events in the month followed within 7 days by an order_breach_actioned event on the same crime / order_breach events in the month",
    ),
    ind(
        "bail_breach_actioned_rate",
        2,
        Up,
        Proportion,
        &[Events],
        "Bail breaches actioned within 7 days",
        "bail_breach events in the month followed within 7 days by a bail_breach_actioned event on the same crime / bail_breach events in the month",
    ),
    ind(
        "rui_share",
        2,
        Down,
        Proportion,
        &[Events],
        "Released under investigation",
        "of crimes whose first bail_start or rui_start event is in the month, the share where it is rui_start",
    ),
    ind(
        "dna_retention_applications",
        2,
        Up,
        Count,
        &[Events],
        "DNA retention applications",
        "dna_retention_application events in the month",
    ),
    matures(
        28,
        reads(
            &["suspect_arrested", "dna_retention_application"],
            ind(
                "dna_retention_application_rate",
                2,
                Up,
                Proportion,
                &[Outcomes, Events],
                "DNA retention applied for after NFA",
                "(crime, suspect) pairs with a suspect_arrested event whose crime is in C(m) with an NFA outcome, with a dna_retention_application for that suspect on that crime on or before the outcome date + 28 days / such pairs",
            ),
        ),
    ),
    reads(
        &["dna_retention_application", "dna_retention_granted"],
        ind(
            "dna_retention_granted_rate",
            2,
            Up,
            Ratio,
            &[Events],
            "DNA retention granted per application",
            "dna_retention_granted events in m / dna_retention_application events in m",
        ),
    ),
    ind(
        "outcome14_share",
        3,
        Down,
        Proportion,
        &[Outcomes],
        "Outcome 14 share",
        "crimes in C(m) with current outcome 14 / |C(m)|",
    ),
    ind(
        "outcome15_share",
        3,
        Down,
        Proportion,
        &[Outcomes],
        "Outcome 15 share",
        "crimes in C(m) with current outcome 15 / |C(m)|",
    ),
    ind(
        "outcome16_share",
        3,
        Down,
        Proportion,
        &[Outcomes],
        "Outcome 16 share",
        "crimes in C(m) with current outcome 16 / |C(m)|",
    ),
    ind(
        "outcome18_share",
        3,
        Down,
        Proportion,
        &[Outcomes],
        "Outcome 18 share",
        "crimes in C(m) with current outcome 18 / |C(m)|",
    ),
    ind(
        "victim_withdrawal_rate",
        3,
        Down,
        Proportion,
        &[Outcomes],
        "Victim withdrawal (outcomes 14 and 16)",
        "crimes in C(m) with current outcome 14 or 16 / |C(m)|",
    ),
    ind(
        "withdrawal_within_30d_share",
        3,
        Down,
        Proportion,
        &[Events],
        "Withdrawals within 30 days of report",
        "victim_withdrawal events in the month dated within 30 days of the crime's reported_date / victim_withdrawal events in the month",
    ),
    ind(
        "days_to_first_contact_median",
        3,
        Down,
        MedianDays,
        &[Events],
        "Days to first contact with the victim",
        "over crimes whose first victim_first_contact event is in the month: median days from reported_date",
    ),
    matures(
        60,
        reads(
            &["isva_referral"],
            ind(
                "isva_referral_rate",
                3,
                Up,
                Proportion,
                &[Events],
                "ISVA referral",
                "crimes in R(m) with an isva_referral event / |R(m)|",
            ),
        ),
    ),
    ind(
        "nfa_explained_rate",
        3,
        Up,
        Proportion,
        &[Outcomes, Events],
        "NFA decisions explained to the victim",
        "crimes in C(m) with an NFA outcome and an nfa_explained event / crimes in C(m) with an NFA outcome",
    ),
    burns_in(
        BurnIn::Days(730),
        ind(
            "victim_updated_28d_share",
            3,
            Up,
            Proportion,
            &[Outcomes, Events],
            "Open crimes with a victim update in 28 days",
            "crimes open at end(m) with a victim_update event in (end(m) - 28 days, end(m)] / crimes open at end(m)",
        ),
    ),
    all_only(ind(
        "feedback_responses",
        3,
        Neutral,
        Count,
        &[Feedback],
        "Victim survey responses",
        "feedback rows with survey_date in the month",
    )),
    all_only(ind(
        "feedback_treated_fairly_share",
        3,
        Up,
        Proportion,
        &[Feedback],
        "Victims treated fairly",
        "responses in the month scoring 4 or 5 on treated_fairly / responses in the month that answered it",
    )),
    all_only(ind(
        "feedback_kept_informed_share",
        3,
        Up,
        Proportion,
        &[Feedback],
        "Victims kept informed",
        "responses in the month scoring 4 or 5 on kept_informed / responses in the month that answered it",
    )),
    all_only(ind(
        "feedback_confidence_share",
        3,
        Up,
        Proportion,
        &[Feedback],
        "Victims confident to report again",
        "responses in the month scoring 4 or 5 on confidence_to_report / responses in the month that answered it",
    )),
    all_only(ind(
        "feedback_satisfied_share",
        3,
        Up,
        Proportion,
        &[Feedback],
        "Victims satisfied overall",
        "responses in the month scoring 4 or 5 on overall_satisfaction / responses in the month that answered it",
    )),
    burns_in(
        BurnIn::Days(730),
        all_only(ind(
            "open_cases_per_investigator",
            4,
            Down,
            Ratio,
            &[Outcomes, Staff],
            "Open cases per investigator",
            "crimes open at end(m) / active investigators at end(m)",
        )),
    ),
    all_only(ind(
        "trainee_share",
        4,
        Down,
        Proportion,
        &[Staff],
        "Trainee investigators",
        "active investigators with role trainee / active investigators",
    )),
    all_only(ind(
        "wellbeing_review_share",
        4,
        Up,
        Proportion,
        &[Staff],
        "Well-being review in the last year",
        "active investigators with last_wellbeing_review in (end(m) - 365 days, end(m)] / active investigators",
    )),
    all_only(ind(
        "rasso_trained_share",
        4,
        Up,
        Proportion,
        &[Staff],
        "RASSO-trained investigators",
        "active investigators with rasso_training_date <= end(m) / active investigators",
    )),
    all_only(ind(
        "wow_trained_share",
        4,
        Up,
        Proportion,
        &[Staff],
        "Word-on-word trained investigators",
        "active investigators with wow_training_date <= end(m) / active investigators",
    )),
    needs_column(
        Staff,
        "orders_training_date",
        all_only(ind(
            "orders_trained_share",
            4,
            Up,
            Proportion,
            &[Staff],
            "Investigators trained on criminal and civil orders",
            "active investigators with orders_training_date <= end(m) / active investigators; not available without the column (standard 1.1)",
        )),
    ),
    burns_in(
        BurnIn::Days(730),
        ind(
            "open_investigations",
            5,
            Down,
            Count,
            &[Outcomes],
            "Open investigations",
            "crimes open at end(m): recorded_date <= end(m) and no outcome row dated on or before end(m)",
        ),
    ),
    burns_in(
        BurnIn::Days(1095),
        ind(
            "open_over_365d_share",
            5,
            Down,
            Proportion,
            &[Outcomes],
            "Open over a year",
            "crimes open at end(m) with recorded_date <= end(m) - 365 days / crimes open at end(m)",
        ),
    ),
    ind(
        "closed",
        5,
        Neutral,
        Count,
        &[Outcomes],
        "Crimes closed",
        "|C(m)|: crimes whose current outcome is dated in the month",
    ),
    ind(
        "key_fields_complete_share",
        5,
        Up,
        Proportion,
        &[],
        "Key fields complete",
        "crimes in R(m) with victim_age, offence_date and victim_ethnicity present (ethnicity not not_stated) and relationship not unknown / |R(m)|",
    ),
    ind(
        "scrutiny_reviews",
        5,
        Up,
        Count,
        &[Events],
        "Scrutiny panel reviews",
        "scrutiny_panel_review events in the month",
    ),
    ind(
        "devices_seized",
        6,
        Neutral,
        Count,
        &[Events],
        "Devices seized",
        "device_seized events in the month",
    ),
    ind(
        "days_seizure_to_examination_median",
        6,
        Down,
        MedianDays,
        &[Events],
        "Days from seizure to examination",
        "per crime and device owner (detail): over pairs whose first device_examined is in the month, median days since their first device_seized",
    ),
    ind(
        "days_victim_device_return_median",
        6,
        Down,
        MedianDays,
        &[Events],
        "Days to return a victim's device",
        "per crime, owner victim: over pairs whose first device_returned is in the month, median days since their first device_seized",
    ),
    burns_in(
        BurnIn::Days(730),
        ind(
            "devices_awaiting_examination",
            6,
            Down,
            Count,
            &[Events, Outcomes],
            "Devices awaiting examination",
            "crime and owner pairs with a device_seized on or before end(m), no device_examined on or before end(m), on a crime open at end(m)",
        ),
    ),
];

pub fn find(id: &str) -> Option<&'static Indicator> {
    CATALOGUE.iter().find(|i| i.id == id)
}

pub fn position(id: &str) -> usize {
    CATALOGUE
        .iter()
        .position(|i| i.id == id)
        .unwrap_or(usize::MAX)
}

/// The catalogue as Markdown: `docs/indicators.md` is this text (a test keeps them equal).
/// How the extract window affects an indicator, in words.
pub fn window_words(i: &Indicator) -> String {
    match (i.maturity_days, i.burn_in) {
        (Some(d), _) => format!("provisional for {d} days after the month"),
        (None, BurnIn::Days(d)) => format!("truncated for {d} days after coverage starts"),
        (None, BurnIn::RepeatWindow) => {
            "truncated for the repeat-suspect window after coverage starts".to_string()
        }
        (None, BurnIn::None) => String::new(),
    }
}

pub fn render_markdown() -> String {
    use std::fmt::Write;
    let mut out = String::from(
        "# Flight deck indicators, catalogue version 2\n\n\
         Generated by `soteria indicators --format markdown` from `src/indicators/registry.rs`; \
         do not edit by hand. Terms (R(m), C(m), open at end(m), current outcome, repeat \
         suspect, active investigator) are defined in the flight-deck specification.\n\n\
         Units: a *count* has PHE's Poisson interval (exact below 10, Byar's from 10); a \
         *proportion* the Wilson score interval; a *median days* no interval, with the \
         number of cases as its denominator; a *ratio* the Poisson interval of its numerator \
         divided by the denominator.\n\n\
         Status: a month is *provisional* while crimes recorded in it still wait for the \
         events the indicator counts (its maturity window, after the end of the month), \
         *truncated* while a stock or windowed count still lacks crimes recorded before the \
         extract's coverage starts (its burn-in), and *final* otherwise. Only final months \
         enter SPC limits and rules. Windows are overridden with `--maturity-days` and \
         `--burn-in-days` or in the targets file.\n",
    );
    for (p, name) in PILLARS.iter().enumerate() {
        let _ = write!(out, "\n## Pillar {}: {name}\n\n", p + 1);
        let rows = CATALOGUE
            .iter()
            .filter(|i| i.pillar as usize == p + 1)
            .map(|i| {
                let needs: Vec<&str> = std::iter::once("offences")
                    .chain(i.needs.iter().map(|t| t.as_str()))
                    .collect();
                vec![
                    format!("`{}`", i.id),
                    i.title.to_string(),
                    i.polarity.as_str().to_string(),
                    i.unit.as_str().to_string(),
                    needs.join(", "),
                    if i.all_groups_only {
                        "all only".to_string()
                    } else {
                        crate::schema::OffenceGroup::ids().join(", ")
                    },
                    window_words(i),
                    i.definition.to_string(),
                ]
            });
        out.push_str(&crate::format::markdown_table(
            &[
                "id",
                "title",
                "polarity",
                "unit",
                "needs",
                "groups",
                "not final",
                "definition",
            ],
            rows,
        ));
    }
    out
}

/// The catalogue as a plain table for the terminal.
pub fn render_table() -> String {
    let mut out = format!(
        "{:<36} {:>6} {:<8} {:<12} {}\n",
        "indicator", "pillar", "polarity", "unit", "title"
    );
    for i in CATALOGUE {
        out.push_str(&format!(
            "{:<36} {:>6} {:<8} {:<12} {}\n",
            i.id,
            i.pillar,
            i.polarity.as_str(),
            i.unit.as_str(),
            i.title
        ));
    }
    out
}

/// The tables a job of these indicators reads (`offences` always), or `None` when an id is
/// not in the catalogue (the job then reports it).
pub fn tables_needed(ids: &[String]) -> Option<Vec<TableName>> {
    let mut tables = vec![TableName::Offences];
    for id in ids {
        for t in find(id)?.needs {
            if !tables.contains(t) {
                tables.push(*t);
            }
        }
    }
    Some(tables)
}

/// The event types a job of these indicators reads: `None` for every type (an indicator
/// that needs events without declaring which), else the union (empty when none reads
/// events).
pub fn event_types_needed<'a>(
    indicators: impl IntoIterator<Item = &'a Indicator>,
) -> Option<Vec<&'static str>> {
    let mut types: Vec<&'static str> = Vec::new();
    for i in indicators {
        if !i.needs.contains(&TableName::Events) {
            continue;
        }
        for t in i.event_types? {
            if !types.contains(t) {
                types.push(t);
            }
        }
    }
    Some(types)
}
