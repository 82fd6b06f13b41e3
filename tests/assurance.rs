//! `soteria assurance`: the five recommendations, their evidence and verdicts.
use crate::common::*;

#[test]
fn the_sample_gets_all_five_recommendations_with_evidence_and_a_verdict() {
    let a = json(&["assurance", "--month", "2024-12", "--format", "json"]);
    assert_eq!(a["month"], "2024-12");
    assert_eq!(a["force"], "Cleveland");
    let recs = a["recommendations"].as_array().unwrap();
    let numbers: Vec<&str> = recs
        .iter()
        .map(|r| r["recommendation"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["3", "5", "7", "9", "11"]);
    for r in recs {
        assert!(
            ["evidenced", "not_yet_evidenced", "data_not_available"]
                .contains(&r["verdict"].as_str().unwrap()),
            "{r}"
        );
        assert!(!r["reason"].as_str().unwrap().is_empty());
        // The sample is a version 1.1 extract: every indicator has its evidence.
        for e in r["evidence"].as_array().unwrap() {
            assert!(e["missing"].as_array().unwrap().is_empty(), "{e}");
            // A value, unless the month's denominator is nought (no bail breach in
            // December 2024).
            assert!(e["value"].is_number() || e["denominator"] == 0.0, "{e}");
        }
    }
    assert_ne!(recs[2]["verdict"], "data_not_available");
    // Evidence has its latest final value, status and variation.
    let wow = &recs[0]["evidence"][0];
    assert_eq!(wow["indicator"], "wow_trained_share");
    assert!(wow["value"].is_number() && wow["status"] == "final");
    // No KPI targets given: recommendation 11 is not yet evidenced.
    assert_eq!(recs[4]["verdict"], "not_yet_evidenced");
    // The other formats hold the same rows.
    let csv = ok(&["assurance", "--month", "2024-12", "--format", "csv"]);
    assert_eq!(csv.lines().count(), 1 + 1 + 3 + 5 + 2 + 1);
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .starts_with("recommendation,deadline,verdict,indicator")
    );
    let md = ok(&["assurance", "--month", "2024-12", "--format", "markdown"]);
    assert!(md.starts_with("# Inspection recommendations: Cleveland, December 2024"));
    assert!(md.contains("## Recommendation 7 (deadline 31 January 2025)"));
    assert!(md.contains("## Scrutiny theme: Domestic abuse related RASSO crimes"));
}

/// A version 1 extract (no `staff.orders_training_date`): recommendation 7 says "data
/// not available" and names the column; the other recommendations are still assessed.
#[test]
fn a_version_1_extract_names_the_missing_column() {
    let w = Work::new();
    let v1 = version_1_copy(&w);
    let a = json(&[
        "assurance",
        "--data",
        v1.to_str().unwrap(),
        "--month",
        "2024-12",
        "--format",
        "json",
    ]);
    let recs = a["recommendations"].as_array().unwrap();
    let seven = &recs[2];
    assert_eq!(seven["deadline"], "2025-01-31");
    assert_eq!(seven["verdict"], "data_not_available");
    assert!(
        seven["reason"]
            .as_str()
            .unwrap()
            .contains("orders_trained_share needs staff.orders_training_date")
    );
    let orders = seven["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["indicator"] == "orders_trained_share")
        .unwrap();
    assert_eq!(orders["missing"][0], "staff.orders_training_date");
    assert!(orders["value"].is_null());
    // No team table for training the extract cannot show.
    assert!(seven["teams"].as_array().unwrap().is_empty());
    assert!(!recs[0]["teams"].as_array().unwrap().is_empty());
    assert_ne!(recs[0]["verdict"], "data_not_available");
}

/// A force with version 1.1 data and agreed KPIs: a target consistently met evidences
/// recommendation 3, KPIs with targets evidence recommendation 11, and the change across
/// the deadline is measured from the months on each side.
#[test]
fn a_target_consistently_met_and_agreed_kpis_are_evidence() {
    let w = Work::new();
    let data = three_forces(&w, "2023-07", 24, 11, "parquet");
    let targets = w.write(
        "kpis.toml",
        "wow_trained_share = 0.05\ncharge_rate_closed = 0.06\n",
    );
    let a = json(&[
        "assurance",
        "--data",
        data.to_str().unwrap(),
        "--force",
        "Durham",
        "--month",
        "2025-06",
        "--targets",
        targets.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let recs = a["recommendations"].as_array().unwrap();
    let three = &recs[0];
    let wow = &three["evidence"][0];
    assert_eq!(wow["target"], 0.05);
    assert_eq!(wow["assurance"], "consistently_passing", "{wow}");
    assert_eq!(three["verdict"], "evidenced", "{three}");
    let change = &wow["change"];
    assert_eq!(
        change["months_before"], 12,
        "Feb 2024 to Jan 2025 less none: {change}"
    );
    assert_eq!(change["months_after"], 5, "Feb to Jun 2025: {change}");
    assert!(change["p_value"].is_number());
    // Version 1.1 data: orders training is there.
    let seven = &recs[2];
    assert_ne!(seven["verdict"], "data_not_available", "{seven}");
    let eleven = &recs[4];
    assert_eq!(eleven["verdict"], "evidenced");
    assert!(
        eleven["reason"]
            .as_str()
            .unwrap()
            .contains("charge_rate_closed, wow_trained_share")
    );
}

#[test]
fn docs_assurance_is_generated_from_the_declared_table() {
    let rendered = ok(&["assurance", "--recommendations"]);
    let committed = std::fs::read_to_string(repo("docs/assurance.md")).unwrap();
    assert_same(
        committed.as_bytes(),
        rendered.as_bytes(),
        "docs/assurance.md",
        "run `soteria assurance --recommendations > docs/assurance.md`",
    );
}

/// The monthly report holds the verdicts as a section, linked from its contents, and
/// points to `soteria assurance` for the evidence.
#[test]
fn the_monthly_report_holds_the_recommendations() {
    let html = std::fs::read_to_string(repo("reports/Cleveland/2024-12/index.html")).unwrap();
    assert!(html.contains("<a href=\"#recommendations\">Inspection recommendations</a>"));
    assert!(html.contains("<section id=\"recommendations\">"));
    assert!(html.contains("<code>soteria assurance --month 2024-12</code>"));
    assert!(html.contains("<td>7</td><td>2025-01-31</td>"));
    let md = std::fs::read_to_string(repo("reports/Cleveland/2024-12/report.md")).unwrap();
    assert!(md.contains("## Inspection recommendations, December 2024"));
}

fn sum_of(deck: &[serde_json::Value], indicator: &str, months: &[String], field: &str) -> f64 {
    deck.iter()
        .filter(|r| {
            r["indicator"] == indicator
                && months.contains(&r["period"].as_str().unwrap().to_string())
        })
        .map(|r| r[field].as_f64().unwrap_or(0.0))
        .sum()
}

/// Investigators by team add up to the force's active investigators, and each theme's
/// subgroup and rest add up to the flight deck's counts over the same twelve months.
#[test]
fn teams_and_themes_add_up_to_the_flight_deck() {
    let w = Work::new();
    let data = three_forces(&w, "2023-07", 24, 11, "parquet");
    let d = data.to_str().unwrap();
    let a = json(&[
        "assurance",
        "--data",
        d,
        "--force",
        "Durham",
        "--month",
        "2025-03",
        "--format",
        "json",
    ]);
    let deck: Vec<serde_json::Value> = serde_json::from_str(&ok(&[
        "flightdeck",
        "--data",
        d,
        "--force",
        "Durham",
        "--group",
        "all",
        "--format",
        "json",
        "--indicators",
        "wow_trained_share,orders_trained_share,recorded,charges,closed,outcome16_share",
    ]))
    .unwrap();
    let deck: Vec<serde_json::Value> = deck.into_iter().filter(|r| r["area"] == "All").collect();
    let march = vec!["2025-03".to_string()];
    for (rec, indicator) in [(0, "wow_trained_share"), (2, "orders_trained_share")] {
        let teams = a["recommendations"][rec]["teams"].as_array().unwrap();
        assert!(teams.len() >= 2, "{teams:?}");
        let active: f64 = teams.iter().map(|t| t["active"].as_f64().unwrap()).sum();
        let trained: f64 = teams.iter().map(|t| t["trained"].as_f64().unwrap()).sum();
        assert_eq!(active, sum_of(&deck, indicator, &march, "denominator"));
        assert_eq!(trained, sum_of(&deck, indicator, &march, "numerator"));
        for t in teams {
            assert_eq!(
                t["untrained"].as_f64().unwrap(),
                t["active"].as_f64().unwrap() - t["trained"].as_f64().unwrap()
            );
        }
    }
    let year: Vec<String> = (4..=12)
        .map(|m| format!("2024-{m:02}"))
        .chain((1..=3).map(|m| format!("2025-{m:02}")))
        .collect();
    let themes = a["themes"].as_array().unwrap();
    assert_eq!(themes[0]["theme"], "domestic_abuse");
    assert_eq!(
        (themes[0]["from"].as_str(), themes[0]["to"].as_str()),
        (Some("2024-04"), Some("2025-03"))
    );
    let row = |m: &str| {
        themes[0]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["measure"] == m)
            .unwrap()
            .clone()
    };
    let both = |r: &serde_json::Value, f: &str| {
        r[f].as_f64().unwrap() + r[&format!("rest_{f}")].as_f64().unwrap_or(0.0)
    };
    let share = row("share_of_recorded");
    assert_eq!(
        share["denominator"].as_f64().unwrap(),
        sum_of(&deck, "recorded", &year, "numerator")
    );
    let charge = row("charge_rate_closed");
    assert_eq!(
        both(&charge, "numerator"),
        sum_of(&deck, "charges", &year, "numerator")
    );
    assert_eq!(
        both(&charge, "denominator"),
        sum_of(&deck, "closed", &year, "numerator")
    );
    let o16 = row("outcome16_share");
    assert_eq!(
        both(&o16, "numerator"),
        sum_of(&deck, "outcome16_share", &year, "numerator")
    );
    // Nine age bands of female victims, five measures each.
    assert_eq!(themes[1]["rows"].as_array().unwrap().len(), 9 * 5);
}

/// The force's action log is shown beside the evidence; a bad row is refused with its
/// file, row, column, value and rule.
#[test]
fn the_action_log_sits_beside_the_evidence() {
    let w = Work::new();
    let log = w.write(
        "actions.csv",
        "Recommendation,Action,Owner,Due date,Status,Closure level\n\
         3,Word-on-word course for all teams,DCI RASSO,2024-10-31,In progress,\n\
         9,s63G applications in the custody workflow,Head of CJ,2024-09-30,Complete,Closed - met\n",
    );
    let a = json(&[
        "assurance",
        "--month",
        "2024-12",
        "--actions",
        log.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let three = &a["recommendations"][0]["actions"];
    assert_eq!(three.as_array().unwrap().len(), 1, "{three}");
    assert_eq!(three[0]["owner"], "DCI RASSO");
    assert_eq!(
        three[0]["overdue"], true,
        "due October, in progress in December"
    );
    assert_eq!(a["recommendations"][3]["actions"][0]["overdue"], false);
    assert!(
        a["recommendations"][1]["actions"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let md = ok(&[
        "assurance",
        "--month",
        "2024-12",
        "--actions",
        log.to_str().unwrap(),
        "--format",
        "markdown",
    ]);
    assert!(md.contains("| Word-on-word course for all teams | DCI RASSO | 2024-10-31 | In progress |  | overdue |"), "{md}");
    let bad = w.write(
        "bad.csv",
        "recommendation,action,due_date,status\n6,Something,2025-01-01,Open\n",
    );
    let says = fails(
        &[
            "assurance",
            "--month",
            "2024-12",
            "--actions",
            bad.to_str().unwrap(),
        ],
        2,
        "row 2, column recommendation: `6` is not one of the inspection's recommendations",
    );
    assert!(says.contains("bad.csv"), "{says}");
}

/// The Word paper: the same bytes twice, alternative text on every picture, and a
/// published paper with small counts withheld and no action owner.
#[test]
fn the_board_paper_is_a_deterministic_word_document() {
    use std::io::Read;
    let w = Work::new();
    let log = w.write(
        "actions.csv",
        "recommendation,action,owner,due_date,status\n3,Word-on-word course,DCI Someone,2024-10-31,In progress\n",
    );
    let paper = |name: &str, extra: &[&str]| -> Vec<u8> {
        let out = w.path(name);
        let mut args = vec![
            "paper",
            "--month",
            "2024-12",
            "--actions",
            log.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        ok(&args);
        std::fs::read(out).unwrap()
    };
    let one = paper("a.docx", &[]);
    assert_eq!(
        one,
        paper("b.docx", &[]),
        "the same input gave different bytes"
    );
    let part = |bytes: &[u8], name: &str| -> String {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let mut s = String::new();
        z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let xml = |bytes: &[u8]| part(bytes, "word/document.xml");
    let internal = xml(&one);
    let pictures = internal.matches("<wp:docPr ").count();
    assert!(pictures > 20, "{pictures} pictures");
    assert_eq!(
        internal.matches(" descr=\"").count(),
        2 * pictures,
        "alt text on every picture"
    );
    assert!(
        !internal.contains(" descr=\"\""),
        "an empty alternative text"
    );
    assert!(internal.contains("DCI Someone"));
    assert!(internal.contains("Scrutiny theme: Domestic abuse related RASSO crimes"));
    let published = xml(&paper("p.docx", &["--publish"]));
    assert!(
        !published.contains("DCI Someone"),
        "an owner in a published paper"
    );
    assert!(published.contains("&lt;5"), "nothing withheld");
    let header = part(&paper("p2.docx", &["--publish"]), "word/header1.xml");
    assert!(header.contains("OFFICIAL: published version"), "{header}");
    fails(
        &[
            "paper",
            "--month",
            "2024-12",
            "--out",
            w.path("paper.csv").to_str().unwrap(),
        ],
        2,
        "a .docx file",
    );
}

/// An extract of offences only: every recommendation names what it lacks, and the themes
/// leave out the measures whose tables are missing rather than show them as zeros.
#[test]
fn an_extract_of_offences_only_says_what_each_part_lacks() {
    let w = Work::new();
    std::fs::copy(
        repo("tests/data/handmade/offences.csv"),
        w.path("offences.csv"),
    )
    .unwrap();
    let a = json(&[
        "assurance",
        "--data",
        w.dir.path().to_str().unwrap(),
        "--month",
        "2024-03",
        "--format",
        "json",
    ]);
    let recs = a["recommendations"].as_array().unwrap();
    for r in &recs[..4] {
        assert_eq!(r["verdict"], "data_not_available", "{r}");
    }
    assert!(
        recs[0]["reason"]
            .as_str()
            .unwrap()
            .contains("wow_trained_share needs staff")
    );
    for theme in a["themes"].as_array().unwrap() {
        assert_eq!(theme["missing"], serde_json::json!(["outcomes", "events"]));
        let measures: std::collections::BTreeSet<&str> = theme["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["measure"].as_str().unwrap())
            .collect();
        assert_eq!(measures, ["share_of_recorded"].into_iter().collect());
    }
}

/// A published report's recommendations section holds the evidence with disclosure
/// control: no count from 1 to 4 in any count column of its tables.
#[test]
fn a_published_report_holds_the_evidence_with_small_counts_withheld() {
    let w = Work::new();
    let out = w.path("published");
    ok(&[
        "report",
        "--month",
        "2024-12",
        "--publish",
        "--out",
        out.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    let start = html.find("<section id=\"recommendations\">").unwrap();
    let section = &html[start..start + html[start..].find("</section>").unwrap()];
    assert!(section.contains("<h3>Scrutiny theme: Domestic abuse related RASSO crimes</h3>"));
    let (mut counts, mut withheld) = (0, 0);
    for table in section.split("<table>").skip(1) {
        let head = &table[..table.find("</thead>").unwrap()];
        let headers: Vec<String> = head
            .split("<th>")
            .skip(1)
            .map(|h| h[..h.find("</th>").unwrap()].to_lowercase())
            .collect();
        let body = &table[table.find("<tbody>").unwrap()..table.find("</tbody>").unwrap()];
        for row in body.split("<tr>").skip(1) {
            let cells: Vec<&str> = row
                .split("<td")
                .skip(1)
                .map(|c| {
                    let c = &c[c.find('>').unwrap() + 1..];
                    &c[..c.find("</td>").unwrap()]
                })
                .collect();
            for (h, c) in headers.iter().zip(cells) {
                if ["numerator", "denominator", "active", "trained"]
                    .iter()
                    .any(|k| h.contains(k))
                {
                    counts += 1;
                    withheld += usize::from(c == "&lt;5");
                    assert!(!matches!(c, "1" | "2" | "3" | "4"), "{h}: {c}");
                }
            }
        }
    }
    assert!(counts > 100 && withheld > 0, "{counts} {withheld}");
}
