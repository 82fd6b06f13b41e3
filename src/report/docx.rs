//! The board paper (`soteria paper`): the monthly report and the inspection's
//! recommendations, evidenced, as a Word document, the format board and scrutiny papers
//! are written in. The content is the report's ([`Report`]) and the assurance view's
//! ([`super::assurance::view`]), so disclosure control is the report's; this file only
//! lays it out. Charts are 300 dpi PNG at A4 text width, each with its alternative text.
use super::Report;
use super::assurance::{Section, View};
use super::table::{Cell, Table};
use crate::charts::icons::{self, Icon};
use crate::charts::{Format, RenderOptions, Size};
use crate::docx::{Docx, Picture, TEXT_WIDTH_MM, TableCell};
use crate::error::{Result, SoteriaError};
use crate::format::month_long;
use crate::indicators::registry::PILLARS;
use crate::schema::OffenceGroup;
use std::collections::BTreeMap;

/// Print resolution of the charts and icons.
const DPI: f64 = 300.0;
/// Icons in table cells: 4 mm, about the height of a line of 8 pt text.
const ICON_MM: f64 = 4.0;

/// The icons of the paper, drawn once each.
struct Icons(BTreeMap<String, Vec<u8>>);

impl Icons {
    fn new() -> Result<Icons> {
        let px = (ICON_MM / 25.4 * DPI).round() as u32;
        let mut map = BTreeMap::new();
        for icon in icons::ALL {
            map.insert(icon.stem(), icons::png(icon, px, DPI)?);
        }
        Ok(Icons(map))
    }

    /// A cell of words after the icon whose stem is `stem` (if any).
    fn cell<'a>(&'a self, words: String, stem: &str) -> TableCell<'a> {
        let picture = Icon::from_stem(stem).and_then(|icon| {
            self.0.get(&icon.stem()).map(|png| Picture {
                png,
                width_mm: ICON_MM,
                height_mm: ICON_MM,
                alt: icon.name(),
            })
        });
        TableCell {
            text: words,
            picture,
            ..TableCell::default()
        }
    }
}

fn is_number(cell: &Cell) -> bool {
    matches!(cell, Cell::Num(..) | Cell::Suppressed(_))
}

/// A table of the report's model: the columns named in `columns` (name, header, width),
/// each `X` with a sibling `X_icon` shown with its icon.
fn table(
    doc: &mut Docx,
    icons: &Icons,
    t: &Table,
    columns: &[(&str, &str, f64)],
    keep: impl Fn(&[Cell]) -> bool,
) {
    let idx: Vec<(usize, Option<usize>)> = columns
        .iter()
        .map(|(c, _, _)| {
            (
                t.column(c).expect("a column of the table"),
                t.column(&format!("{c}_icon")),
            )
        })
        .collect();
    let rows: Vec<Vec<TableCell>> = t
        .rows
        .iter()
        .filter(|r| keep(r))
        .map(|row| {
            idx.iter()
                .map(|&(i, icon)| {
                    let mut cell = match icon {
                        Some(k) => icons.cell(row[i].display(), &row[k].display()),
                        None => TableCell::text(row[i].display()),
                    };
                    cell.right = is_number(&row[i]);
                    cell
                })
                .collect()
        })
        .collect();
    let header: Vec<&str> = columns.iter().map(|c| c.1).collect();
    let widths: Vec<f64> = columns.iter().map(|c| c.2).collect();
    doc.table(&header, rows, &widths);
}

fn verdict_fill(verdict: &str) -> Option<&'static str> {
    match verdict {
        "Evidenced" => Some("E2EFDA"),
        "Not yet evidenced" => Some("FFF2CC"),
        "Data not available" => Some("EDEDED"),
        _ => None,
    }
}

fn assurance_part(doc: &mut Docx, icons: &Icons, view: &View) {
    doc.heading(1, "Inspection recommendations");
    doc.paragraph(&view.intro);
    let t = &view.overview;
    let c = |n: &str| t.column(n).expect("an overview column");
    let rows: Vec<Vec<TableCell>> = t
        .rows
        .iter()
        .map(|r| {
            let verdict = r[c("verdict")].display();
            vec![
                TableCell::text(r[c("recommendation")].display()),
                TableCell::text(r[c("deadline")].display()),
                TableCell::text(r[c("what forces must do")].display()),
                TableCell {
                    fill: verdict_fill(&verdict),
                    bold: true,
                    ..TableCell::text(verdict)
                },
                icons.cell(
                    r[c("variation")].display(),
                    &r[c("variation_icon")].display(),
                ),
                icons.cell(
                    r[c("assurance")].display(),
                    &r[c("assurance_icon")].display(),
                ),
                TableCell::text(r[c("why")].display()),
            ]
        })
        .collect();
    doc.table(
        &[
            "Rec.",
            "Deadline",
            "What forces must do",
            "Verdict",
            "Lead indicator: variation",
            "Assurance",
            "Why",
        ],
        rows,
        &[0.6, 1.2, 3.0, 1.3, 1.8, 1.5, 4.0],
    );
    for section in &view.sections {
        section_part(doc, icons, section);
    }
}

fn section_part(doc: &mut Docx, icons: &Icons, section: &Section) {
    doc.heading(section.level, &section.heading);
    for p in &section.paragraphs {
        doc.paragraph(p);
    }
    for (caption, t) in &section.tables {
        doc.heading(3, caption);
        let columns: Vec<(&str, &str, f64)> = match caption.as_str() {
            "Evidence" => vec![
                ("indicator", "Indicator", 2.6),
                ("latest final month", "Latest final month", 1.4),
                ("value", "Value", 1.0),
                ("95% interval", "95% interval", 1.7),
                ("variation", "Variation", 2.0),
                ("target", "Target", 1.1),
                ("assurance", "Assurance", 1.7),
                ("before deadline", "Year before deadline", 1.3),
                ("after deadline", "Since deadline", 1.2),
                ("p", "p", 0.7),
                ("not available: needs", "Not available: needs", 1.6),
            ],
            _ => t
                .columns
                .iter()
                .filter(|c| !c.ends_with("_icon"))
                .map(|c| {
                    let width = match c.as_str() {
                        "subgroup" | "measure" | "action" | "training" | "team" => 2.4,
                        "p" => 0.7,
                        w if w.contains("interval") => 1.5,
                        w if w.contains("numerator") || w.contains("denominator") => 1.25,
                        _ => 1.0,
                    };
                    (c.as_str(), c.as_str(), width)
                })
                .collect(),
        };
        // The header words of the generic columns are the column names, capitalised.
        let headers: Vec<String> = columns
            .iter()
            .map(|(_, h, _)| crate::util::capitalise(h))
            .collect();
        let columns: Vec<(&str, &str, f64)> = columns
            .iter()
            .zip(&headers)
            .map(|(&(c, _, w), h)| (c, h.as_str(), w))
            .collect();
        table(doc, icons, t, &columns, |_| true);
    }
}

/// The paper's bytes.
pub fn render(report: &Report, view: &View) -> Result<Vec<u8>> {
    let month = month_long(&report.month.to_string());
    let marking = if report.options.publish {
        "OFFICIAL: published version, small numbers suppressed".to_string()
    } else {
        "OFFICIAL-SENSITIVE: not for publication".to_string()
    };
    let title = format!(
        "RASSO performance and inspection assurance: {}",
        report.force
    );
    let mut doc = Docx::new(&title, &report.as_at.to_string(), &marking);
    let icons = Icons::new()?;

    // Cover.
    doc.title(&title);
    doc.lead_paragraph("Month: ", &month);
    doc.lead_paragraph("Extract as at: ", &report.as_at.to_string());
    doc.lead_paragraph("Edition: ", &report.edition());
    doc.paragraph(&report.provenance());
    doc.paragraph("A paper for the force's RASSO governance board and the Police and Crime Commissioner's scrutiny: the flight deck's signals this month, the evidence for each of the inspection's recommendations to forces, the PCC's scrutiny themes and the problem profile's changes.");
    doc.page_break();

    doc.heading(1, "Headline findings");
    for h in &report.headlines {
        doc.bullet(h);
    }

    assurance_part(&mut doc, &icons, view);

    doc.heading(1, &format!("Summary of indicators, {month}"));
    doc.paragraph(
        "Every indicator for all rape and other sexual offences together (the report's workbook has each offence group). Variation is the Making Data Count reading of the month against the series' own history; assurance says whether the process can be expected to meet a target, where one is set."
    );
    let all = OffenceGroup::All.label();
    let summary = &report.summary;
    let pillar_col = summary.column("pillar").expect("pillar column");
    let group_col = summary.column("group").expect("group column");
    for (i, name) in PILLARS.iter().enumerate() {
        let number = (i + 1) as f64;
        doc.heading(2, &format!("Pillar {}: {name}", i + 1));
        table(
            &mut doc,
            &icons,
            summary,
            &[
                ("indicator", "Indicator", 3.4),
                ("this_month", "This month", 1.1),
                ("last_month", "Last month", 1.1),
                ("last_year", "Same month last year", 1.2),
                ("mean_12m", "12-month mean", 1.1),
                ("variation", "Variation", 2.0),
                ("target", "Target", 0.9),
                ("assurance", "Assurance", 1.5),
            ],
            |r| r[pillar_col].value() == Some(number) && r[group_col].display() == all,
        );
    }

    doc.heading(1, "Charts");
    for c in &report.charts {
        if !(c.stem.ends_with("_spc") || c.stem.starts_with("pillar")) {
            continue;
        }
        let height = match &c.chart {
            crate::charts::Chart::Multiples(_) => crate::charts::default_height_mm(&c.chart),
            _ => crate::charts::DEFAULT_HEIGHT_MM,
        };
        let png = crate::charts::render(
            &c.chart,
            &c.labels,
            &RenderOptions {
                size: Size::Mm {
                    width: TEXT_WIDTH_MM,
                    height,
                },
                dpi: DPI,
            },
            Format::Png,
        )
        .map_err(SoteriaError::Chart)?;
        doc.picture(
            &Picture {
                png: &png,
                width_mm: TEXT_WIDTH_MM,
                height_mm: height,
                alt: &c.alt,
            },
            Some(&c.labels.title),
        );
    }
    for (stem, why) in &report.withheld_charts {
        if stem.ends_with("_spc") || stem.starts_with("pillar") {
            doc.paragraph(&format!("Chart {stem} not shown ({why})."));
        }
    }

    doc.heading(1, &format!("Problem profile: the 12 months to {month}"));
    doc.paragraph(&report.profile_intro);
    if report.profile_highlights.is_empty() {
        doc.paragraph("No category changed by more than chance would explain (p < 0.05).");
    } else {
        doc.paragraph("Changes larger than chance would explain (p < 0.05):");
        for h in &report.profile_highlights {
            doc.bullet(h);
        }
    }

    doc.heading(1, "Definitions and methods");
    for m in super::html::methods(report) {
        doc.paragraph(&m);
    }
    if !report.unavailable.is_empty() {
        doc.paragraph(&format!(
            "Not computed, for want of a table or column in the extract: {}.",
            report.unavailable.join("; ")
        ));
    }
    table(
        &mut doc,
        &icons,
        &report.definitions,
        &definition_columns(&report.definitions),
        |_| true,
    );
    doc.finish()
        .map_err(|e| SoteriaError::Other(format!("writing the Word document: {e}")))
}

/// The definitions table's columns, as they are named in the report.
fn definition_columns(t: &Table) -> Vec<(&str, &str, f64)> {
    t.columns
        .iter()
        .map(|c| {
            let width = match c.as_str() {
                "definition" => 6.0,
                "id" => 2.8,
                "title" => 2.5,
                "pillar" => 0.6,
                _ => 1.2,
            };
            (c.as_str(), c.as_str(), width)
        })
        .collect()
}
