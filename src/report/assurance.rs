//! The assurance view (`soteria assurance`, the Word paper) as tables of the report's
//! table model, so that disclosure control is applied once, here, and every format shows
//! the same cells: counts from 1 to the threshold less one withheld, with every value,
//! interval and comparison that rests on them.
use super::disclosure::{confidential, is_primary, shown, suppress_group};
use super::table::{Cell, Kind, Table};
use crate::assurance::themes::MEASURES;
use crate::assurance::{Assurance, Evidence, Finding, RECOMMENDATIONS};
use crate::charts::icons::Icon;
use crate::format::{markdown_table, month_long};
use crate::indicators::registry::{self, Unit};
use crate::util::Month;

/// One part of the view: a heading, its sentences, then its tables with their captions.
pub struct Section {
    pub heading: String,
    /// 2 for a recommendation or theme, 3 for a part of one.
    pub level: u8,
    pub paragraphs: Vec<String>,
    pub tables: Vec<(String, Table)>,
}

pub struct View {
    pub title: String,
    pub intro: String,
    pub overview: Table,
    pub sections: Vec<Section>,
}

fn verdict_words(v: &str) -> String {
    crate::util::capitalise(&v.replace('_', " "))
}

fn interval(lo: Option<f64>, hi: Option<f64>, kind: Kind) -> Cell {
    match (lo, hi) {
        (Some(l), Some(h)) => Cell::text(format!(
            "{} to {}",
            super::table::format_number(l, kind),
            super::table::format_number(h, kind)
        )),
        _ => Cell::Empty,
    }
}

fn icon(code: Option<&str>) -> Cell {
    code.and_then(Icon::from_code)
        .map_or(Cell::Empty, |i| Cell::text(i.stem()))
}

/// A numerator and denominator as cells, with whether what rests on them is withheld.
fn counts(num: Option<f64>, den: Option<f64>, threshold: Option<f64>) -> (Cell, Cell, bool) {
    let small = |v: Option<f64>| threshold.is_some_and(|t| v.is_some_and(|v| is_primary(v, t)));
    let cell = |v: Option<f64>| match threshold {
        Some(t) if small(v) => shown(super::disclosure::Withheld::Primary, t),
        _ => Cell::num(v, Kind::Count),
    };
    (cell(num), cell(den), small(num) || small(den))
}

/// The view of an assessment; `publish` is the suppression threshold of a published
/// edition (counts from 1 to it less one are withheld).
pub fn view(a: &Assurance, publish: Option<f64>) -> View {
    let month = Month::parse(&a.month).map_or(a.month.clone(), |m| month_long(&m.to_string()));
    let mut overview = Table {
        columns: [
            "recommendation",
            "deadline",
            "what forces must do",
            "verdict",
            "variation",
            "variation_icon",
            "assurance",
            "assurance_icon",
            "why",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
    };
    let mut sections = Vec::new();
    for f in &a.recommendations {
        let lead = f.evidence.first();
        overview.rows.push(vec![
            Cell::text(f.recommendation),
            Cell::text(&f.deadline),
            Cell::text(f.words),
            Cell::text(verdict_words(f.verdict.as_str())),
            lead.and_then(|e| e.variation.as_deref())
                .map_or(Cell::Empty, |v| Cell::text(v.replace('_', " "))),
            icon(lead.and_then(|e| e.variation.as_deref())),
            lead.and_then(|e| e.assurance.as_deref())
                .map_or(Cell::Empty, |v| Cell::text(v.replace('_', " "))),
            icon(lead.and_then(|e| e.assurance.as_deref())),
            Cell::text(&f.reason),
        ]);
        sections.push(recommendation_section(f, a.action_log, publish));
    }
    for theme in &a.themes {
        let mut t = Table {
            columns: [
                "subgroup",
                "measure",
                "numerator",
                "denominator",
                "value",
                "95% interval",
                "rest: numerator",
                "rest: denominator",
                "rest: value",
                "rest: 95% interval",
                "p",
            ]
            .map(String::from)
            .to_vec(),
            rows: Vec::new(),
        };
        for r in &theme.rows {
            let (num, den, hidden) = counts(Some(r.numerator), Some(r.denominator), publish);
            let (rnum, rden, rest_hidden) = counts(r.rest_numerator, r.rest_denominator, publish);
            let measure = MEASURES
                .iter()
                .find(|(id, _)| *id == r.measure)
                .map_or(r.measure, |(_, words)| words);
            let value = |hide: bool, v: Option<f64>| {
                if hide {
                    confidential()
                } else {
                    Cell::num(v, Kind::Percent)
                }
            };
            let range = |hide: bool, lo, hi| {
                if hide {
                    confidential()
                } else {
                    interval(lo, hi, Kind::Percent)
                }
            };
            let rest = r.rest_denominator.is_some();
            t.rows.push(vec![
                Cell::text(&r.subgroup),
                Cell::text(measure),
                num,
                den,
                value(hidden, r.value),
                range(hidden, r.ci_low, r.ci_high),
                rnum,
                rden,
                if rest {
                    value(rest_hidden, r.rest_value)
                } else {
                    Cell::Empty
                },
                if rest {
                    range(rest_hidden, r.rest_ci_low, r.rest_ci_high)
                } else {
                    Cell::Empty
                },
                if hidden || rest_hidden {
                    if rest { confidential() } else { Cell::Empty }
                } else {
                    Cell::num(r.p_value, Kind::P)
                },
            ]);
        }
        let mut paragraphs = vec![format!(
            "Crimes recorded (and, for the charge rate and outcome 16, crimes closed) from {} to {}, against the rest of the force's crimes in the same months. Orders are those applied or granted on the crimes by the as-at date. Intervals are Wilson score intervals at 95%; p is the two-proportion test of the difference from the rest.",
            month_long(&theme.from),
            month_long(&theme.to)
        )];
        if !theme.missing.is_empty() {
            paragraphs.push(format!(
                "Not available: the measures that need {} (the extract lacks {}).",
                theme.missing.join(" and "),
                if theme.missing.len() == 1 {
                    "it"
                } else {
                    "them"
                }
            ));
        }
        sections.push(Section {
            heading: format!("Scrutiny theme: {}", theme.title),
            level: 2,
            paragraphs,
            tables: vec![(theme.title.to_string(), t)],
        });
    }
    View {
        title: format!("Inspection recommendations: {}, {month}", a.force),
        intro: format!(
            "The inspectorate's recommendations to every force (Operation Soteria, 2024), each with the evidence the extract holds as at {}: the latest final value of each indicator with its 95% interval, its SPC variation and its assurance against a target where one is set, and the change from the twelve months before the deadline to the months after it.",
            a.as_at
        ),
        overview,
        sections,
    }
}

fn recommendation_section(f: &Finding, action_log: bool, publish: Option<f64>) -> Section {
    let rec = RECOMMENDATIONS
        .iter()
        .find(|r| r.number == f.recommendation)
        .expect("a declared recommendation");
    let mut paragraphs = vec![format!(
        "{}: {}.",
        verdict_words(f.verdict.as_str()),
        f.reason
    )];
    let mut tables = Vec::new();
    if !f.evidence.is_empty() {
        tables.push(("Evidence".to_string(), evidence_table(&f.evidence, publish)));
    }
    if !f.teams.is_empty() {
        tables.push((
            "Active investigators by team at the month's end".to_string(),
            teams_table(f, publish),
        ));
    }
    if f.actions.is_empty() && action_log {
        paragraphs.push("The force's action log lists no action for this recommendation.".into());
    } else if !f.actions.is_empty() {
        tables.push(("The force's actions".to_string(), actions_table(f, publish)));
    }
    Section {
        heading: format!(
            "Recommendation {} (deadline {}): {}",
            rec.number,
            crate::util::chrono_lite::Date::parse(&f.deadline).map_or(
                f.deadline.clone(),
                |d| format!("{} {}", d.day, month_long(&Month::of(d).to_string()))
            ),
            rec.words
        ),
        level: 2,
        paragraphs,
        tables,
    }
}

fn evidence_table(evidence: &[Evidence], publish: Option<f64>) -> Table {
    let mut t = Table {
        columns: [
            "indicator",
            "latest final month",
            "numerator",
            "denominator",
            "value",
            "95% interval",
            "variation",
            "variation_icon",
            "target",
            "assurance",
            "assurance_icon",
            "before deadline",
            "after deadline",
            "p",
            "not available: needs",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
    };
    for e in evidence {
        let unit = registry::find(e.indicator).map_or(Unit::Proportion, |i| i.unit);
        let kind = super::kind_of_unit(unit);
        let (num, den, hidden) = counts(e.numerator, e.denominator, publish);
        let change = e.change.as_ref();
        let side = |n: Option<f64>, d: Option<f64>, v: Option<f64>| {
            let (_, _, hide) = match unit {
                Unit::Proportion | Unit::Ratio => counts(n, d, publish),
                // A count's or median's level is a monthly mean: withheld with its sums.
                _ => counts(n, None, publish),
            };
            if hide {
                confidential()
            } else {
                Cell::num(v, kind)
            }
        };
        t.rows.push(vec![
            Cell::text(e.title),
            e.value_period
                .as_deref()
                .map_or(Cell::Empty, |p| Cell::text(month_long(p))),
            num,
            den,
            if hidden {
                confidential()
            } else {
                Cell::num(e.value, kind)
            },
            if hidden {
                confidential()
            } else {
                interval(e.ci_low, e.ci_high, kind)
            },
            e.variation
                .as_deref()
                .map_or(Cell::Empty, |v| Cell::text(v.replace('_', " "))),
            icon(e.variation.as_deref()),
            Cell::num(e.target, kind),
            e.assurance
                .as_deref()
                .map_or(Cell::Empty, |v| Cell::text(v.replace('_', " "))),
            icon(e.assurance.as_deref()),
            change.map_or(Cell::Empty, |c| {
                side(
                    Some(c.before_numerator),
                    Some(c.before_denominator),
                    c.before,
                )
            }),
            change.map_or(Cell::Empty, |c| {
                side(Some(c.after_numerator), Some(c.after_denominator), c.after)
            }),
            Cell::num(change.and_then(|c| c.p_value), Kind::P),
            if e.missing.is_empty() {
                Cell::Empty
            } else {
                Cell::text(e.missing.join(", "))
            },
        ]);
    }
    t
}

fn teams_table(f: &Finding, publish: Option<f64>) -> Table {
    let mut t = Table {
        columns: [
            "training",
            "team",
            "active investigators",
            "trained",
            "not yet trained",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
    };
    for team in &f.teams {
        let title = registry::find(team.indicator).map_or(team.indicator, |i| i.title);
        let mut cells = [
            Cell::num(Some(team.active), Kind::Count),
            Cell::num(Some(team.trained), Kind::Count),
            Cell::num(Some(team.untrained), Kind::Count),
        ];
        if let Some(threshold) = publish {
            if is_primary(team.active, threshold) {
                cells =
                    std::array::from_fn(|_| shown(super::disclosure::Withheld::Primary, threshold));
            } else {
                // Trained and not yet trained add up to the published number active.
                let parts = suppress_group(&[Some(team.trained), Some(team.untrained)], threshold);
                for (k, w) in parts.into_iter().enumerate() {
                    if let Some(w) = w {
                        cells[k + 1] = shown(w, threshold);
                    }
                }
            }
        }
        let [active, trained, untrained] = cells;
        t.rows.push(vec![
            Cell::text(title),
            Cell::text(&team.team),
            active,
            trained,
            untrained,
        ]);
    }
    t
}

fn actions_table(f: &Finding, publish: Option<f64>) -> Table {
    // An owner may be a named officer: a published paper names none.
    let mut columns = vec![
        "action",
        "owner",
        "due",
        "status",
        "closure level",
        "overdue",
    ];
    if publish.is_some() {
        columns.retain(|c| *c != "owner");
    }
    let mut t = Table {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows: Vec::new(),
    };
    for a in &f.actions {
        let mut row = vec![Cell::text(&a.action)];
        if publish.is_none() {
            row.push(a.owner.as_deref().map_or(Cell::Empty, Cell::text));
        }
        row.extend([
            a.due_date.as_deref().map_or(Cell::Empty, Cell::text),
            Cell::text(&a.status),
            a.closure_level.as_deref().map_or(Cell::Empty, Cell::text),
            Cell::text(if a.overdue { "overdue" } else { "" }),
        ]);
        t.rows.push(row);
    }
    t
}

/// The columns of a table to show in text: all but the icon columns, whose words are in
/// their sibling column.
fn shown_columns(t: &Table) -> Vec<usize> {
    (0..t.columns.len())
        .filter(|&i| !t.columns[i].ends_with("_icon"))
        .collect()
}

/// The view as Markdown (also what `--format table` prints: it reads well in a terminal).
pub fn markdown(view: &View) -> String {
    format!("# {}\n\n{}", view.title, markdown_body(view, 0))
}

/// The view below its title, headings `deeper` levels down (the report nests it in a
/// section of its own).
pub fn markdown_body(view: &View, deeper: usize) -> String {
    let table = |t: &Table| {
        let cols = shown_columns(t);
        let header: Vec<&str> = cols.iter().map(|&i| t.columns[i].as_str()).collect();
        markdown_table(
            &header,
            t.rows
                .iter()
                .map(|r| cols.iter().map(|&i| r[i].display()).collect::<Vec<_>>()),
        )
    };
    let mut s = format!("{}\n\n{}\n", view.intro, table(&view.overview));
    for section in &view.sections {
        s.push_str(&format!(
            "\n{} {}\n\n",
            "#".repeat(section.level as usize + deeper),
            section.heading
        ));
        for p in &section.paragraphs {
            s.push_str(&format!("{p}\n\n"));
        }
        for (caption, t) in &section.tables {
            s.push_str(&format!("**{caption}**\n\n{}\n", table(t)));
        }
    }
    s
}
