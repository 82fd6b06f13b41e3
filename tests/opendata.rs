//! Home Office outcomes open data: the real 2017/18 file and hand-made files in the
//! published Title Case layout with its quirks.
use crate::common::*;
use serde_json::Value;

const REAL: &str = "datasets/reference/ho-outcomes-2017-18-sexual-offences.csv.gz";

fn rows(args: &[&str]) -> Vec<Value> {
    let mut a = vec!["opendata", "outcomes"];
    a.extend(args);
    a.extend(["--format", "json"]);
    json(&a).as_array().unwrap().clone()
}

fn find<'a>(
    rows: &'a [Value],
    force: &str,
    period: &str,
    group: &str,
    basis: &str,
    indicator: &str,
) -> &'a Value {
    rows.iter()
        .find(|r| {
            r["force"] == force
                && r["period"] == period
                && r["offence_group"] == group
                && r["basis"] == basis
                && r["indicator"] == indicator
        })
        .unwrap_or_else(|| panic!("no row {force} {period} {group} {basis} {indicator}"))
}

#[test]
fn the_real_2017_18_file_gives_the_published_rape_totals() {
    let r = rows(&["--input", REAL, "--group", "rape"]);
    let recorded = find(
        &r,
        "England and Wales",
        "2017/18",
        "rape",
        "recorded",
        "recorded",
    );
    assert_eq!(recorded["numerator"], 53931.0);
    let charged = find(
        &r,
        "England and Wales",
        "2017/18",
        "rape",
        "recorded",
        "charge_rate",
    );
    assert_eq!(charged["numerator"], 2238.0);
    assert_eq!(charged["denominator"], 53931.0);
    let rate = charged["value"].as_f64().unwrap();
    assert!((rate - 2238.0 / 53931.0).abs() < 1e-15);
    // Wilson interval around it.
    assert!(
        charged["ci_low"].as_f64().unwrap() < rate && rate < charged["ci_high"].as_f64().unwrap()
    );
    // 43 forces, British Transport Police and England and Wales; City of London by its
    // reference name.
    let forces: std::collections::BTreeSet<&str> =
        r.iter().map(|x| x["force"].as_str().unwrap()).collect();
    assert_eq!(forces.len(), 45, "{forces:?}");
    assert!(forces.contains("City of London") && !forces.contains("London, City of"));
    // Per 1,000 population: mid-2017 population of the force area (none for BTP).
    let per = find(
        &r,
        "Cleveland",
        "2017/18",
        "rape",
        "recorded",
        "recorded_per_1000",
    );
    let n = per["numerator"].as_f64().unwrap();
    let pop = per["denominator"].as_f64().unwrap();
    assert!((per["value"].as_f64().unwrap() - n / pop * 1000.0).abs() < 1e-12);
    let btp = find(
        &r,
        "British Transport Police",
        "2017/18",
        "rape",
        "recorded",
        "recorded_per_1000",
    );
    assert!(btp["value"].is_null());
    // The closed basis has no outcome 0 and differs from the recorded basis.
    let closed = find(
        &r,
        "England and Wales",
        "2017/18",
        "rape",
        "closed",
        "charge_rate",
    );
    assert_ne!(closed["denominator"], charged["denominator"]);
    // Quarters add up to the year.
    let q = rows(&["--input", REAL, "--group", "rape", "--by", "quarter"]);
    let quarters: f64 = ["Q1", "Q2", "Q3", "Q4"]
        .iter()
        .map(|k| {
            find(
                &q,
                "England and Wales",
                &format!("2017/18 {k}"),
                "rape",
                "recorded",
                "recorded",
            )["numerator"]
                .as_f64()
                .unwrap()
        })
        .sum();
    assert_eq!(quarters, 53931.0);
}

#[test]
fn title_case_files_with_their_quirks_are_read_by_meaning() {
    let input = "tests/data/opendata/title-case.csv";
    let out = soteria(&[
        "opendata", "outcomes", "--input", input, "--by", "quarter", "--format", "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(said.contains("1 rows of other offence groups"), "{said}");
    assert!(said.contains("offence code `99Z`"), "{said}");
    assert!(said.contains("outcome type `23`"), "{said}");
    let r: Vec<Value> = serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    let y = rows(&["--input", input]);
    // By hand (tests/data/opendata/README.md).
    let check = |rows: &[Value],
                 force: &str,
                 period: &str,
                 group: &str,
                 basis: &str,
                 ind: &str,
                 x: f64,
                 n: Option<f64>| {
        let row = find(rows, force, period, group, basis, ind);
        assert_eq!(
            row["numerator"].as_f64(),
            Some(x),
            "{force} {group} {basis} {ind}"
        );
        assert_eq!(
            row["denominator"].as_f64(),
            n,
            "{force} {group} {basis} {ind}"
        );
    };
    check(
        &y,
        "Cleveland",
        "2018/19",
        "rape",
        "recorded",
        "recorded",
        1162.0,
        None,
    );
    check(
        &y,
        "Cleveland",
        "2018/19",
        "rape",
        "recorded",
        "charge_rate",
        15.0,
        Some(1162.0),
    );
    check(
        &y,
        "Cleveland",
        "2018/19",
        "rape",
        "closed",
        "charge_rate",
        15.0,
        Some(1054.0),
    );
    check(
        &y,
        "Cleveland",
        "2018/19",
        "rape",
        "closed",
        "victim_withdrawal_rate",
        1030.0,
        Some(1054.0),
    );
    check(
        &y,
        "City of London",
        "2018/19",
        "other_sexual",
        "recorded",
        "charge_rate",
        3.0,
        Some(12.0),
    );
    check(
        &y,
        "City of London",
        "2018/19",
        "other_sexual",
        "closed",
        "outcome15_share",
        6.0,
        Some(10.0),
    );
    check(
        &y,
        "British Transport Police",
        "2018/19",
        "rape",
        "closed",
        "charge_rate",
        2.0,
        Some(2.0),
    );
    check(
        &y,
        "England and Wales",
        "2018/19",
        "all",
        "recorded",
        "recorded",
        1182.0,
        None,
    );
    check(
        &y,
        "England and Wales",
        "2018/19",
        "all",
        "recorded",
        "charge_rate",
        20.0,
        Some(1182.0),
    );
    check(
        &y,
        "England and Wales",
        "2018/19",
        "all",
        "closed",
        "charge_rate",
        19.0,
        Some(1066.0),
    );
    check(
        &r,
        "Cleveland",
        "2018/19 Q1",
        "rape",
        "recorded",
        "recorded",
        1152.0,
        None,
    );
    check(
        &r,
        "Cleveland",
        "2018/19 Q2",
        "rape",
        "closed",
        "outcome18_share",
        9.0,
        Some(9.0),
    );
}

#[test]
fn a_file_without_the_needed_columns_is_refused_with_what_was_looked_for() {
    let w = Work::new();
    let bad = w.write(
        "bad.csv",
        "Year,Force,Outcome Type,Offences\n2018/19,Kent,1,4\n",
    );
    let out = soteria(&["opendata", "outcomes", "--input", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    assert!(
        said.contains("bad.csv") && said.contains("`code`") && said.contains("offence_code"),
        "{said}"
    );
}

#[test]
fn compare_places_a_force_among_all_forces() {
    let w = Work::new();
    let out = w.path("compare");
    ok(&[
        "opendata",
        "compare",
        "--input",
        REAL,
        "--force",
        "Cleveland",
        "--dpi",
        "96",
        "--out",
        out.to_str().unwrap(),
    ]);
    for f in [
        "funnel.svg",
        "funnel.png",
        "funnel.txt",
        "ranking.svg",
        "ranking.png",
        "comparison.html",
        "comparison.csv",
    ] {
        assert!(out.join(f).exists(), "{f}");
    }
    let html = std::fs::read_to_string(out.join("comparison.html")).unwrap();
    assert!(
        html.contains("In 2017/18, Cleveland&#x27;s") || html.contains("In 2017/18, Cleveland's"),
        "{}",
        &html[..2000.min(html.len())]
    );
    assert!(html.contains("against") && html.contains("for England and Wales"));
    assert!(
        html.contains("highest of 44 forces"),
        "ranked among 43 forces and BTP"
    );
    let funnel = std::fs::read_to_string(out.join("funnel.svg")).unwrap();
    let points = funnel.matches("<circle").count();
    assert!(points >= 44, "{points} circles");
    assert!(
        funnel.contains(">\nCleveland\n</text>") || funnel.contains(">Cleveland<"),
        "Cleveland labelled"
    );
    let csv = std::fs::read_to_string(out.join("comparison.csv")).unwrap();
    assert_eq!(
        csv.lines().count(),
        1 + 13,
        "six indicators on two bases and the rate per 1,000"
    );
    // The whole table, so that a change shows as a diff (`--dpi` changes no number).
    insta::assert_snapshot!("opendata_compare_cleveland", csv);
    // City of London under either name.
    ok(&[
        "opendata",
        "compare",
        "--input",
        REAL,
        "--force",
        "London, City of",
        "--dpi",
        "96",
        "--out",
        w.path("col").to_str().unwrap(),
    ]);
    let bad = soteria(&[
        "opendata",
        "compare",
        "--input",
        REAL,
        "--force",
        "Atlantis",
        "--out",
        w.path("x").to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn published_workbooks_are_read_like_the_csv() {
    // The same table as title-case.csv, as .xlsx and .ods, under title rows and a notes
    // sheet, with numbers stored as numbers (tests/data/opendata/make_spreadsheets.py).
    let csv = rows(&[
        "--input",
        "tests/data/opendata/title-case.csv",
        "--by",
        "quarter",
    ]);
    for book in [
        "tests/data/opendata/title-case.xlsx",
        "tests/data/opendata/title-case.ods",
    ] {
        let out = soteria(&[
            "opendata", "outcomes", "--input", book, "--by", "quarter", "--format", "json",
        ]);
        assert!(out.status.success(), "{book}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("offence code `99Z`"),
            "{book}: {}",
            stderr(&out)
        );
        let got: Vec<Value> = serde_json::from_slice::<Value>(&out.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(got, csv, "{book} differs from the CSV");
    }
}
