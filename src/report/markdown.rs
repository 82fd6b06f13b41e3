//! `report.md`: the report's content as Markdown, charts linked from `charts/`.
use super::Report;
use super::table::{Cell, Table};
use crate::charts::icons::Icon;
use crate::format::{markdown_cell, markdown_table, month_long};
use crate::indicators::registry::PILLARS;

fn table_md(t: &Table, columns: &[(&str, &str)], keep: impl Fn(&[Cell]) -> bool) -> String {
    let idx: Vec<usize> = columns
        .iter()
        .map(|(c, _)| t.column(c).expect("a column of the table"))
        .collect();
    let header: Vec<&str> = columns.iter().map(|c| c.1).collect();
    // A column `X` with a sibling `X_icon` shows the icon's picture beside its words.
    let icon_of: Vec<Option<usize>> = columns
        .iter()
        .map(|(c, _)| t.column(&format!("{c}_icon")))
        .collect();
    let rows = t.rows.iter().filter(|r| keep(r)).map(|row| {
        idx.iter()
            .zip(&icon_of)
            .map(|(&i, icon)| {
                let words = row[i].display();
                match icon.and_then(|k| Icon::from_stem(&row[k].display())) {
                    Some(icon) => format!(
                        "![{}](charts/icons/{}.svg) {words}",
                        icon.name(),
                        icon.stem()
                    ),
                    None => words,
                }
            })
            .collect::<Vec<_>>()
    });
    markdown_table(&header, rows)
}

fn chart(report: &Report, stem: &str) -> String {
    match report.chart(stem) {
        Some(c) => format!("![{}](charts/{}.svg)\n\n", markdown_cell(&c.alt), c.stem),
        None => String::new(),
    }
}

pub fn render(report: &Report) -> String {
    let month = month_long(&report.month.to_string());
    let mut s = format!(
        "# {}: {month}\n\n{}\n\n**{}**\n\n",
        report.force,
        report.provenance(),
        report.edition()
    );
    s.push_str("[Explore the flight deck](explore.html): every indicator by month, area, team and offence group, in an interactive page that works offline.\n\n## Headlines\n\n");
    for h in &report.headlines {
        s.push_str(&format!("- {}\n", markdown_cell(h)));
    }
    s.push_str(&format!("\n## Summary of indicators, {month}\n\n"));
    let pillar = report.summary.column("pillar").expect("pillar column");
    for (i, name) in PILLARS.iter().enumerate() {
        s.push_str(&format!("### Pillar {}: {name}\n\n", i + 1));
        s.push_str(&table_md(
            &report.summary,
            &[
                ("indicator", "Indicator"),
                ("group", "Group"),
                ("this_month", "This month"),
                ("ci_low", "95% low"),
                ("ci_high", "95% high"),
                ("last_month", "Last month"),
                ("last_year", "Last year"),
                ("mean_12m", "12-month mean"),
                ("variation", "Variation"),
                ("target", "Target"),
                ("assurance", "Assurance"),
                ("note", "Note"),
            ],
            |r| r[pillar].value() == Some(i as f64 + 1.0),
        ));
        s.push('\n');
    }
    s.push_str(&chart(report, "charge_rate_rape_spc"));
    for p in &report.pillars {
        s.push_str(&format!("## Pillar {}: {}\n\n", p.number, p.name));
        if p.sentences.is_empty() {
            s.push_str("No indicator of this pillar shows special cause variation this month.\n\n");
        }
        for line in &p.sentences {
            s.push_str(&format!("- {}\n", markdown_cell(line)));
        }
        s.push_str(&format!(
            "\n{} other series show common cause variation only: month-to-month changes there are noise, not a rise or a fall.\n\n",
            p.common
        ));
        if let Some(stem) = &p.chart {
            s.push_str(&chart(report, stem));
        }
        if !p.withheld.is_empty() {
            s.push_str(&format!(
                "Not charted, because a month has a suppressed count: {}.\n\n",
                p.withheld.join(", ")
            ));
        }
    }
    s.push_str("## Outcomes\n\n");
    s.push_str(&chart(report, "outcomes"));
    s.push_str(&format!(
        "## Inspection recommendations, {month}\n\nThe verdict the extract supports for each recommendation and its evidence, and the PCC's scrutiny themes (`soteria assurance --month {}` gives the same; `soteria paper` a Word paper).\n\n",
        report.month
    ));
    s.push_str(&super::assurance::markdown_body(
        &super::assurance::view(
            &report.assurance,
            report.options.publish.then(|| report.threshold()),
        ),
        1,
    ));
    s.push('\n');
    s.push_str(&format!(
        "## Problem profile: the 12 months to {month}\n\n{}\n\n",
        report.profile_intro
    ));
    if report.profile_highlights.is_empty() {
        s.push_str("No category changed by more than chance would explain (p < 0.05).\n\n");
    } else {
        s.push_str("Changes larger than chance would explain (p < 0.05):\n\n");
        for h in &report.profile_highlights {
            s.push_str(&format!("- {}\n", markdown_cell(h)));
        }
        s.push('\n');
    }
    for stem in ["attrition", "relationship", "victims_pyramid", "heatmap"] {
        s.push_str(&chart(report, stem));
    }
    for (stem, why) in &report.withheld_charts {
        s.push_str(&format!("Chart {stem} not shown ({why}).\n\n"));
    }
    s.push_str("## Data quality\n\n");
    for n in &report.quality_notes {
        s.push_str(&format!("{n}\n\n"));
    }
    if !report.unavailable.is_empty() {
        s.push_str(&format!(
            "Not computed, because the extract lacks a table they need: {}.\n\n",
            report.unavailable.join("; ")
        ));
    }
    s.push_str(&table_md(
        &report.quality,
        &[
            ("table", "Table"),
            ("measure", "Measure"),
            ("item", "Item"),
            ("value", "Value"),
        ],
        |_| true,
    ));
    s.push_str("\n## Definitions\n\n");
    s.push_str(&table_md(
        &report.definitions,
        &[
            ("id", "Id"),
            ("pillar", "Pillar"),
            ("title", "Title"),
            ("polarity", "Polarity"),
            ("definition", "Definition"),
        ],
        |_| true,
    ));
    s.push_str("\n## Methods\n\n");
    for m in super::html::methods(report) {
        s.push_str(&format!("{m}\n\n"));
    }
    s
}
