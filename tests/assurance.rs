//! `soteria assurance`: the five recommendations, their evidence and verdicts.
use crate::common::*;

#[test]
fn the_sample_gets_all_five_recommendations_and_names_the_missing_column() {
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
    }
    // The sample is a version 1 extract: no staff.orders_training_date.
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
    // Evidence that is there has its latest final value, status and variation.
    let wow = &recs[0]["evidence"][0];
    assert_eq!(wow["indicator"], "wow_trained_share");
    assert!(wow["value"].is_number() && wow["status"] == "final");
    assert!(wow["missing"].as_array().unwrap().is_empty());
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
    assert!(md.starts_with("| recommendation | deadline | verdict |"));
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
    assert!(html.contains("orders_trained_share needs staff.orders_training_date"));
    let md = std::fs::read_to_string(repo("reports/Cleveland/2024-12/report.md")).unwrap();
    assert!(md.contains("## Inspection recommendations, December 2024"));
}
