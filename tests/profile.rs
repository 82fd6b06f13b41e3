//! The problem profile, the repeat-suspect register and the scrutiny sample on the
//! hand-built dataset (tests/data/handmade), with every figure worked out by hand.
use crate::common::*;
use serde_json::Value;

fn handmade(args: &[&str]) -> Vec<Value> {
    handmade_json(args)
}

fn count(rows: &[Value], section: &str, dimension: &str, category: &str) -> f64 {
    rows.iter()
        .find(|r| {
            r["section"] == section && r["dimension"] == dimension && r["category"] == category
        })
        .unwrap_or_else(|| panic!("no row {section} {dimension} {category}"))["count"]
        .as_f64()
        .unwrap()
}

#[test]
fn profile_counts_match_the_hand_computation() {
    // Window Jan-Mar 2024: A1-A5 (A6 is after the as-at date); previous window Oct-Dec 2023 is empty.
    let rows = handmade(&["profile", "--from", "2024-01", "--to", "2024-03"]);
    for (section, dimension, category, n) in [
        ("victims", "age_band", "25-34", 2.0),
        ("victims", "age_band", "13-15", 1.0),
        ("victims", "age_band", "unknown", 1.0),
        ("victims", "age_band", "_all", 5.0),
        ("victims", "sex", "F", 4.0),
        ("victims", "repeat_victim", "first", 5.0),
        // Sex with age band, for the pyramid: A1 F 25, A2 F 30, A3 F 14, A4 F unknown, A5 M 40.
        ("victims", "sex_age_band", "F 25-34", 2.0),
        ("victims", "sex_age_band", "F 13-15", 1.0),
        ("victims", "sex_age_band", "F unknown", 1.0),
        ("victims", "sex_age_band", "M 35-44", 1.0),
        ("context", "domestic_abuse", "true", 1.0),
        ("context", "relationship", "unknown", 1.0),
        // Offence dates: 1 Jan 2024 a Monday, 20 Jan a Saturday, 30 Jan a Tuesday, 15 Feb a Thursday.
        ("time", "weekday", "Mon", 1.0),
        ("time", "weekday", "Sat", 1.0),
        ("time", "weekday", "unknown", 1.0),
        ("time", "weekday_hour", "Mon 23", 1.0),
        ("time", "hour", "02", 1.0),
        // Report delays: A1 4 days, A3 11, A4 2, A5 0, A2 unknown.
        ("time", "report_delay", "1-6_days", 2.0),
        ("time", "report_delay", "7-30_days", 1.0),
        ("time", "report_delay", "same_day", 1.0),
        ("time", "month", "2024-01", 3.0),
        ("place", "area", "North", 3.0),
        ("place", "lsoa_top", "L1", 2.0),
        // S1 (A1, A3; also A7 in 2023, so a repeat suspect) and S2 (A5); S3 is linked after the as-at date.
        ("suspects", "repeat", "repeat", 1.0),
        ("suspects", "repeat", "first_time", 1.0),
        ("suspects", "linked_crimes", "2", 1.0),
        ("suspects", "age_band", "45-54", 1.0),
        ("suspects", "sex", "M", 2.0),
        ("suspects", "sex_age_band", "M 25-34", 1.0),
        ("suspects", "sex_age_band", "M 45-54", 1.0),
        ("attrition", "stage", "recorded", 5.0),
        ("attrition", "stage", "suspect_identified", 3.0),
        // A1 arrested, A3 interviewed, A5 arrested (A2's arrests have no suspects row, so
        // A2 never reached "suspect identified").
        ("attrition", "stage", "arrested_or_interviewed", 3.0),
        ("attrition", "stage", "cps_file", 1.0),
        ("attrition", "stage", "charged", 2.0),
    ] {
        assert_eq!(
            count(&rows, section, dimension, category),
            n,
            "{section} {dimension} {category}"
        );
    }
    let share = rows
        .iter()
        .find(|r| r["dimension"] == "age_band" && r["category"] == "25-34")
        .unwrap();
    assert_eq!(share["share"], 0.4);
    assert_eq!(share["prev_count"], 0.0);
    assert!(
        share["p_value"].is_null(),
        "no test against an empty window"
    );
    // The top LSOAs are ordered by count, ties by code: L1 (2), L3 (2), L2 (1).
    let lsoas: Vec<&str> = rows
        .iter()
        .filter(|r| r["dimension"] == "lsoa_top")
        .map(|r| r["category"].as_str().unwrap())
        .collect();
    assert_eq!(lsoas, ["L1", "L3", "L2"]);
    let sections: Vec<&str> = rows
        .iter()
        .map(|r| r["section"].as_str().unwrap())
        .collect();
    let first = |s: &str| sections.iter().position(|x| *x == s).unwrap();
    assert!(
        first("victims") < first("suspects")
            && first("suspects") < first("context")
            && first("place") < first("attrition")
    );
}

#[test]
fn previous_window_comparison_on_the_sample() {
    let rows = json(&[
        "profile", "--from", "2024-01", "--to", "2024-12", "--group", "rape", "--format", "json",
    ]);
    let rows = rows.as_array().unwrap();
    let all = rows
        .iter()
        .find(|r| r["dimension"] == "sex" && r["category"] == "_all")
        .unwrap();
    assert!(
        all["p_value"]
            .as_f64()
            .is_some_and(|p| (0.0..=1.0).contains(&p))
    );
    assert!(all["prev_count"].as_f64().unwrap() > 0.0);
    let area = rows
        .iter()
        .find(|r| r["dimension"] == "area" && r["category"] != "_all")
        .unwrap();
    assert!(area["rate_per_1000"].as_f64().unwrap() > 0.0, "{area}");
}

#[test]
fn repeat_suspect_register() {
    let rows = handmade(&["suspects", "--repeat"]);
    assert_eq!(rows.len(), 1, "only S1 has two or more crimes: {rows:?}");
    let s1 = &rows[0];
    assert_eq!(s1["suspect_id"], "S1");
    assert_eq!(s1["crimes"], 3);
    assert_eq!(s1["first_linked"], "2023-01-20");
    assert_eq!(s1["last_linked"], "2024-02-01");
    assert_eq!(
        s1["open_crimes"], 1,
        "A7 is still open; A1 and A3 have outcomes"
    );
    assert_eq!(s1["arrested"], 1);
    assert_eq!(s1["on_bail"], true);
    assert_eq!(s1["rui"], 0);
    assert_eq!(s1["dna_retention"], "applied");
    // A window that starts after A7's link leaves A1 and A3; three crimes needed: none.
    assert!(
        handmade(&[
            "suspects",
            "--repeat",
            "--min-crimes",
            "3",
            "--window-days",
            "365"
        ])
        .is_empty()
    );
}

#[test]
fn scrutiny_sample_is_reproducible_and_stratified() {
    let jan = handmade(&[
        "scrutiny-sample",
        "--month",
        "2024-01",
        "--n",
        "5",
        "--seed",
        "1",
    ]);
    assert_eq!(jan.len(), 1);
    assert_eq!(jan[0]["crime_id"], "A2");
    assert_eq!(jan[0]["outcome_type"], "18");
    let sample = || {
        json(&[
            "scrutiny-sample",
            "--month",
            "2024-09",
            "--n",
            "8",
            "--seed",
            "5",
            "--format",
            "json",
        ])
    };
    let (a, b) = (sample(), sample());
    assert_eq!(a, b);
    let rows = a.as_array().unwrap();
    assert_eq!(rows.len(), 8);
    let outcomes: std::collections::BTreeSet<&str> = rows
        .iter()
        .map(|r| r["outcome_type"].as_str().unwrap())
        .collect();
    assert_eq!(
        outcomes.len(),
        4,
        "one at least from each of 14, 15, 16 and 18: {outcomes:?}"
    );
    for r in rows {
        let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
        for id in ["victim_id", "suspect_id", "officer_id", "response_id"] {
            assert!(
                !keys.iter().any(|k| *k == id),
                "{id} in the scrutiny sample"
            );
        }
    }
}
