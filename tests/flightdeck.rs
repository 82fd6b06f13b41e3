//! The flight deck on a hand-built dataset (tests/data/handmade, described in its
//! README), every expected numerator and denominator worked out by hand from the spec.
use crate::common::*;
use serde_json::Value;

fn deck(extra: &[&str]) -> Vec<Value> {
    let dir = repo("tests/data/handmade");
    let mut args = vec![
        "flightdeck",
        "--data",
        dir.to_str().unwrap(),
        "--as-at",
        "2024-03-31",
        "--from",
        "2024-01",
        "--to",
        "2024-03",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    json(&args).as_array().unwrap().clone()
}

fn find<'a>(
    rows: &'a [Value],
    period: &str,
    group: &str,
    area: &str,
    indicator: &str,
) -> &'a Value {
    rows.iter()
        .find(|r| {
            r["period"] == period
                && r["offence_group"] == group
                && r["area"] == area
                && r["indicator"] == indicator
        })
        .unwrap_or_else(|| panic!("no row {period} {group} {area} {indicator}"))
}

/// (period, indicator, numerator, denominator, value) for group `all`, area `All`.
/// `None` is a JSON null.
type Expect = (
    &'static str,
    &'static str,
    Option<f64>,
    Option<f64>,
    Option<f64>,
);

fn check(rows: &[Value], group: &str, area: &str, expected: &[Expect]) {
    for (period, indicator, num, den, value) in expected {
        let r = find(rows, period, group, area, indicator);
        let close = |got: &Value, want: &Option<f64>| match want {
            None => got.is_null(),
            Some(w) => got.as_f64().is_some_and(|g| (g - w).abs() < 1e-12),
        };
        assert!(
            close(&r["numerator"], num),
            "{period} {group} {indicator} numerator: {r}"
        );
        assert!(
            close(&r["denominator"], den),
            "{period} {group} {indicator} denominator: {r}"
        );
        assert!(
            close(&r["value"], value),
            "{period} {group} {indicator} value: {r}"
        );
    }
}

#[test]
fn every_indicator_matches_the_hand_computation() {
    let rows = deck(&[]);
    let (j, f, m) = ("2024-01", "2024-02", "2024-03");
    let s = Some;
    #[rustfmt::skip]
    let expected: Vec<Expect> = vec![
        // R(Jan) = A1, A2, A3 (A3 recorded on 31 January); R(Feb) = A4, A5; March empty.
        (j, "recorded", s(3.0), None, s(3.0)), (f, "recorded", s(2.0), None, s(2.0)), (m, "recorded", s(0.0), None, s(0.0)),
        // Suspects: A1 and A3 (S1); A4's link is after the as-at date; A5 (S2).
        (j, "suspect_identified_rate", s(2.0), s(3.0), s(2.0 / 3.0)), (f, "suspect_identified_rate", s(1.0), s(2.0), s(0.5)),
        // Links within 30 days of recording: A1 (1 day), A3 (1 day); A5 (1 day). A4's S3
        // is linked after the as-at date.
        (j, "suspect_identified_30d_rate", s(2.0), s(3.0), s(2.0 / 3.0)),
        (f, "suspect_identified_30d_rate", s(1.0), s(2.0), s(0.5)),
        (m, "suspect_identified_30d_rate", s(0.0), s(0.0), None),
        // Charge rows within 365 days of recording: A1 (1 on 6 Mar, 61 days after its 15),
        // A3 (1A, 60 days); none for February's A4 (14 after the as-at date) and A5 (16).
        (j, "charge_within_365d_rate", s(2.0), s(3.0), s(2.0 / 3.0)),
        (f, "charge_within_365d_rate", s(0.0), s(2.0), s(0.0)),
        // A5's S2 arrested 18 Feb; A2 has arrests (S3, S4) but no suspects row.
        (j, "arrest_or_interview_rate", s(2.0), s(2.0), s(1.0)), (f, "arrest_or_interview_rate", s(1.0), s(1.0), s(1.0)),
        // First arrests: A1 3 days after report (5 to 8 Jan), A2 6 (10 to 16 Jan), A5 3 (15 to 18 Feb).
        (j, "days_report_to_arrest_median", None, s(2.0), s(4.5)), (f, "days_report_to_arrest_median", None, s(1.0), s(3.0)),
        // Current outcomes: A1 1 (6 Mar, after 15 in Feb), A2 18 (tie with 16, later row), A3 1A (31 Mar), A5 16.
        (j, "charges", s(0.0), None, s(0.0)), (m, "charges", s(2.0), None, s(2.0)),
        (j, "charge_rate_closed", s(0.0), s(1.0), s(0.0)), (m, "charge_rate_closed", s(2.0), s(2.0), s(1.0)),
        (j, "charge_rate_cohort", s(2.0), s(3.0), s(2.0 / 3.0)), (f, "charge_rate_cohort", s(0.0), s(2.0), s(0.0)),
        (m, "charge_rate_cohort", s(0.0), s(0.0), None),
        // A1 61 days (5 Jan to 6 Mar), A3 60 days (31 Jan to 31 Mar): median 60.5.
        (m, "days_recorded_to_charge_median", None, s(2.0), s(60.5)),
        (f, "early_advice_requests", s(2.0), None, s(2.0)),
        // Advice received 1 Mar; latest request on or before it 18 Feb: 12 days.
        (m, "days_early_advice_median", None, s(1.0), s(12.0)),
        (m, "cps_files_submitted", s(1.0), None, s(1.0)),
        (f, "cps_charge_decision_rate", s(0.0), s(1.0), s(0.0)), (m, "cps_charge_decision_rate", s(1.0), s(1.0), s(1.0)),
        // S1 is linked to A7 (2023), A1 (Jan) and A3 (Feb); S2 to A5 (Feb).
        (j, "repeat_suspect_share", s(1.0), s(1.0), s(1.0)), (f, "repeat_suspect_share", s(1.0), s(2.0), s(0.5)),
        (m, "repeat_suspect_share", s(0.0), s(0.0), None),
        (j, "repeat_suspects_open", s(1.0), None, s(1.0)), (m, "repeat_suspects_open", s(1.0), None, s(1.0)),
        // S1 becomes a repeat suspect on 6 Jan (A1, after A7 in Jan 2023) and is arrested
        // on 8 Jan; S1's third crime (A3, 1 Feb) finds S1 a repeat suspect already, and
        // S2 has one crime: no one becomes one in February or March.
        (j, "repeat_suspects_managed_share", s(1.0), s(1.0), s(1.0)),
        (f, "repeat_suspects_managed_share", s(0.0), s(0.0), None),
        (f, "orders_applied", s(1.0), None, s(1.0)), (f, "orders_granted", s(1.0), None, s(1.0)),
        (m, "order_breach_actioned_rate", s(1.0), s(1.0), s(1.0)),
        (m, "bail_breach_actioned_rate", s(0.0), s(1.0), s(0.0)),
        // First release: A3 bail (ties with RUI, earlier row wins), A4 RUI.
        (f, "rui_share", s(1.0), s(2.0), s(0.5)),
        (f, "dna_retention_applications", s(2.0), None, s(2.0)), (m, "dna_retention_applications", s(1.0), None, s(1.0)),
        // Arrested pairs on crimes closed with NFA: A2 (18, 20 Jan) with S3 (no application)
        // and S4 (applied 20 Feb, after 20 Jan + 28 days = 17 Feb); A5 (16, 20 Feb) with S2
        // (applied 10 Mar, before 19 Mar). March closed only charges.
        (j, "dna_retention_application_rate", s(0.0), s(2.0), s(0.0)),
        (f, "dna_retention_application_rate", s(1.0), s(1.0), s(1.0)),
        // Granted over applied in the month: Feb 0 of 2 (A7, A2), Mar 1 (A5) of 1 (A5).
        (f, "dna_retention_granted_rate", s(0.0), s(2.0), s(0.0)),
        (m, "dna_retention_granted_rate", s(1.0), s(1.0), s(1.0)),
        (j, "outcome18_share", s(1.0), s(1.0), s(1.0)), (j, "outcome16_share", s(0.0), s(1.0), s(0.0)),
        (f, "outcome16_share", s(1.0), s(1.0), s(1.0)), (m, "outcome15_share", s(0.0), s(2.0), s(0.0)),
        (m, "outcome14_share", s(0.0), s(2.0), s(0.0)),
        (f, "victim_withdrawal_rate", s(1.0), s(1.0), s(1.0)), (m, "victim_withdrawal_rate", s(0.0), s(2.0), s(0.0)),
        // Withdrawals: A2 8 days after report (Jan); A4 43 days (Mar).
        (j, "withdrawal_within_30d_share", s(1.0), s(1.0), s(1.0)), (m, "withdrawal_within_30d_share", s(0.0), s(1.0), s(0.0)),
        (f, "withdrawal_within_30d_share", s(0.0), s(0.0), None),
        // First contacts: A1 1 day, A2 2 days (Jan); A3 2 days (Feb).
        (j, "days_to_first_contact_median", None, s(2.0), s(1.5)), (f, "days_to_first_contact_median", None, s(1.0), s(2.0)),
        (j, "isva_referral_rate", s(1.0), s(3.0), s(1.0 / 3.0)), (f, "isva_referral_rate", s(0.0), s(2.0), s(0.0)),
        (j, "nfa_explained_rate", s(1.0), s(1.0), s(1.0)), (f, "nfa_explained_rate", s(0.0), s(1.0), s(0.0)),
        (m, "nfa_explained_rate", s(0.0), s(0.0), None),
        // Open at end Jan: A1, A3, A7; Feb: A3, A4, A7; Mar: A4, A7.
        // Updates: A1 20 Jan, A7 31 Jan; A3 20 Feb (A4's 1 Feb is exactly 28 days before 29 Feb); A4 10 Mar.
        (j, "victim_updated_28d_share", s(2.0), s(3.0), s(2.0 / 3.0)), (f, "victim_updated_28d_share", s(1.0), s(3.0), s(1.0 / 3.0)),
        (m, "victim_updated_28d_share", s(1.0), s(2.0), s(0.5)),
        (f, "feedback_responses", s(1.0), None, s(1.0)), (m, "feedback_responses", s(2.0), None, s(2.0)),
        (m, "feedback_treated_fairly_share", s(1.0), s(2.0), s(0.5)), (f, "feedback_kept_informed_share", s(0.0), s(1.0), s(0.0)),
        (m, "feedback_kept_informed_share", s(1.0), s(1.0), s(1.0)), (f, "feedback_confidence_share", s(0.0), s(0.0), None),
        (m, "feedback_confidence_share", s(2.0), s(2.0), s(1.0)), (m, "feedback_satisfied_share", s(1.0), s(2.0), s(0.5)),
        // Active investigators: Jan O1, O3; Feb and Mar O1, O2 (O3 left on 29 Feb).
        (j, "open_cases_per_investigator", s(3.0), s(2.0), s(1.5)), (m, "open_cases_per_investigator", s(2.0), s(2.0), s(1.0)),
        (j, "trainee_share", s(0.0), s(2.0), s(0.0)), (f, "trainee_share", s(1.0), s(2.0), s(0.5)),
        // O1's review on 1 Mar 2023 is exactly 365 days before 29 Feb 2024: not counted.
        (j, "wellbeing_review_share", s(1.0), s(2.0), s(0.5)), (f, "wellbeing_review_share", s(1.0), s(2.0), s(0.5)),
        (j, "rasso_trained_share", s(2.0), s(2.0), s(1.0)), (f, "rasso_trained_share", s(1.0), s(2.0), s(0.5)),
        (j, "wow_trained_share", s(0.0), s(2.0), s(0.0)), (f, "wow_trained_share", s(1.0), s(2.0), s(0.5)),
        // Orders training (standard 1.1): O1 20 Jan, O2 5 Mar, O3 1 Dec 2023 (O4 is a
        // supervisor, not an investigator). Jan: O1 and O3 of O1, O3; Feb: O1 of O1, O2;
        // Mar: both.
        (j, "orders_trained_share", s(2.0), s(2.0), s(1.0)), (f, "orders_trained_share", s(1.0), s(2.0), s(0.5)),
        (m, "orders_trained_share", s(2.0), s(2.0), s(1.0)),
        (j, "open_investigations", s(3.0), None, s(3.0)), (f, "open_investigations", s(3.0), None, s(3.0)),
        (m, "open_investigations", s(2.0), None, s(2.0)),
        // A7 recorded 15 Jan 2023 is over 365 days old at each month end.
        (j, "open_over_365d_share", s(1.0), s(3.0), s(1.0 / 3.0)), (m, "open_over_365d_share", s(1.0), s(2.0), s(0.5)),
        (j, "closed", s(1.0), None, s(1.0)), (f, "closed", s(1.0), None, s(1.0)), (m, "closed", s(2.0), None, s(2.0)),
        (j, "key_fields_complete_share", s(1.0), s(3.0), s(1.0 / 3.0)), (f, "key_fields_complete_share", s(1.0), s(2.0), s(0.5)),
        (m, "scrutiny_reviews", s(1.0), None, s(1.0)),
        (f, "devices_seized", s(2.0), None, s(2.0)), (j, "devices_seized", s(0.0), None, s(0.0)),
        (m, "days_seizure_to_examination_median", None, s(1.0), s(14.0)),
        (m, "days_victim_device_return_median", None, s(1.0), s(23.0)),
        // Version 2: only devices on crimes open at the month end. A7's suspect device
        // (seized Feb 2023, never examined) waits each month; A5's two devices (seized
        // 16 and 20 Feb) do not, because A5 closed on 20 Feb.
        (j, "devices_awaiting_examination", s(1.0), None, s(1.0)), (f, "devices_awaiting_examination", s(1.0), None, s(1.0)),
        (m, "devices_awaiting_examination", s(1.0), None, s(1.0)),
    ];
    check(&rows, "all", "All", &expected);
    // Every catalogue indicator has rows, and none is missed by the checks above.
    let catalogue = ok(&["indicators"]);
    for line in catalogue.lines().skip(1) {
        let id = line.split_whitespace().next().unwrap();
        assert!(expected.iter().any(|e| e.1 == id), "no hand check for {id}");
        // The grid always has rows; the indicator must also have a value somewhere.
        assert!(
            rows.iter()
                .any(|r| r["indicator"] == id && r["value"].is_number()),
            "no value for {id}"
        );
    }
}

#[test]
fn groups_and_areas_restrict_the_data() {
    let rows = deck(&["--by", "area"]);
    let s = Some;
    #[rustfmt::skip]
    check(&rows, "rape", "All", &[
        ("2024-03", "charges", s(2.0), None, s(2.0)),
        ("2024-01", "recorded", s(2.0), None, s(2.0)),
        ("2024-02", "repeat_suspect_share", s(1.0), s(1.0), s(1.0)),
    ]);
    #[rustfmt::skip]
    check(&rows, "other_sexual", "All", &[
        ("2024-02", "repeat_suspect_share", s(0.0), s(1.0), s(0.0)),
        ("2024-01", "outcome18_share", s(1.0), s(1.0), s(1.0)),
    ]);
    #[rustfmt::skip]
    check(&rows, "all", "North", &[
        ("2024-01", "recorded", s(2.0), None, s(2.0)),
        ("2024-01", "open_investigations", s(2.0), None, s(2.0)),
    ]);
    #[rustfmt::skip]
    check(&rows, "all", "South", &[("2024-01", "recorded", s(1.0), None, s(1.0))]);
    // Staff and feedback indicators carry offence_group all only.
    assert!(
        !rows
            .iter()
            .any(|r| r["offence_group"] == "rape" && r["indicator"] == "trainee_share")
    );
}

#[test]
fn missing_tables_are_not_available_never_zero() {
    let w = Work::new();
    std::fs::copy(
        repo("tests/data/handmade/offences.csv"),
        w.path("offences.csv"),
    )
    .unwrap();
    let out = soteria(&[
        "flightdeck",
        "--data",
        w.path("").to_str().unwrap(),
        "--as-at",
        "2024-03-31",
        "--from",
        "2024-01",
        "--to",
        "2024-03",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: Vec<Value> = serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    let charges = find(&rows, "2024-03", "all", "All", "charges");
    assert!(
        charges["value"].is_null() && charges["numerator"].is_null(),
        "{charges}"
    );
    assert!(stderr(&out).contains("charges not available: needs outcomes"));
    let recorded = find(&rows, "2024-01", "all", "All", "recorded");
    assert_eq!(recorded["value"], 3.0);
}

#[test]
fn intervals_spc_and_formats() {
    let rows = deck(&["--indicators", "recorded,charge_rate_cohort", "--spc"]);
    let r = find(&rows, "2024-01", "all", "All", "charge_rate_cohort");
    // Wilson 2/3 at 95%: 0.2076596 to 0.9385081 (scipy binomtest(2, 3).proportion_ci("wilson")).
    assert!(
        (r["ci_low"].as_f64().unwrap() - 0.207_659_6).abs() < 1e-6,
        "{r}"
    );
    assert!(
        (r["ci_high"].as_f64().unwrap() - 0.938_508_1).abs() < 1e-6,
        "{r}"
    );
    assert_eq!(r["polarity"], "up");
    assert_eq!(r["pillar"], 1);
    assert!(r.get("rule").is_some() && r.get("point_type").is_some());
    let c = find(&rows, "2024-01", "all", "All", "recorded");
    // Exact Poisson for 3: 0.6186721 to 8.7672731 (scipy chi2.ppf).
    assert!((c["ci_low"].as_f64().unwrap() - 0.618_672_1).abs() < 1e-6);
    assert_eq!(rows.len(), 3 * 3 * 2, "3 groups x 3 months x 2 indicators");
    let w = Work::new();
    let write_parquet = |name: &str| {
        let path = w.path(name);
        let handmade = repo("tests/data/handmade");
        ok(&[
            "flightdeck",
            "--data",
            handmade.to_str().unwrap(),
            "--as-at",
            "2024-03-31",
            "--format",
            "parquet",
            "--out",
            path.to_str().unwrap(),
        ]);
        path
    };
    let out = write_parquet("fd.parquet");
    assert!(std::fs::metadata(&out).unwrap().len() > 0);
    // The same input gives byte-identical files.
    let again = write_parquet("again.parquet");
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&again).unwrap());
    let bad = soteria(&["flightdeck", "--indicators", "charge_rate"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("did you mean"), "{}", stderr(&bad));
}

/// Without --format, the file's extension names the format: `deck.csv` is CSV (not an
/// aligned text table), `deck.parquet` the same bytes as --format parquet; --format,
/// when given, wins.
#[test]
fn the_out_files_extension_names_its_format() {
    let w = Work::new();
    let handmade = repo("tests/data/handmade");
    let write = |name: &str, format: Option<&str>| {
        let path = w.path(name);
        let mut args = vec![
            "flightdeck",
            "--data",
            handmade.to_str().unwrap(),
            "--as-at",
            "2024-03-31",
            "--indicators",
            "recorded",
            "--out",
            path.to_str().unwrap(),
        ];
        if let Some(f) = format {
            args.extend(["--format", f]);
        }
        ok(&args);
        std::fs::read(&path).unwrap()
    };
    let csv = String::from_utf8(write("deck.csv", None)).unwrap();
    assert!(
        csv.starts_with("period,force,area,offence_group,indicator,"),
        "{csv}"
    );
    assert_eq!(
        write("deck.parquet", None),
        write("explicit.parquet", Some("parquet"))
    );
    assert!(write("deck.json", None).starts_with(b"["));
    let table = String::from_utf8(write("forced.csv", Some("table"))).unwrap();
    assert!(table.starts_with("period   force"), "{table}");
}

#[test]
fn summary_view_for_a_month() {
    let w = Work::new();
    let targets = w.write(
        "targets.toml",
        "charge_rate_closed = 0.5\n[rape]\nrecorded = 1\n",
    );
    let dir = repo("tests/data/handmade");
    let rows = json(&[
        "flightdeck",
        "--data",
        dir.to_str().unwrap(),
        "--as-at",
        "2024-03-31",
        "--summary",
        "--month",
        "2024-03",
        "--targets",
        targets.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let rows = rows.as_array().unwrap();
    let row = |group: &str, id: &str| {
        rows.iter()
            .find(|r| r["offence_group"] == group && r["indicator"] == id)
            .unwrap_or_else(|| panic!("no summary row {group} {id}"))
    };
    // Closed-basis charge rate: Jan 0/1, Feb 0/1, Mar 2/2; 2023 months have no closures.
    let c = row("all", "charge_rate_closed");
    assert_eq!(c["value"], 1.0);
    assert_eq!(c["last_month"], 0.0);
    assert!(c["last_year"].is_null());
    assert!((c["mean_12m"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-12);
    // XmR of [0, 0, 1]: mean 1/3, AMR 0.5, limits -1 to 1.663: the target 0.5 is inside.
    assert_eq!(c["assurance"], "hit_and_miss");
    assert_eq!(c["target"], 0.5);
    assert_eq!(c["variation"], "common_cause");
    // A group override applies to its group only; recorded is neutral, so no assurance.
    assert_eq!(row("rape", "recorded")["target"], 1.0);
    assert!(row("rape", "recorded")["assurance"].is_null());
    assert!(row("all", "recorded")["target"].is_null());
    // One row per indicator and group (staff and feedback indicators for `all` only).
    let catalogue = ok(&["indicators"]).lines().count() - 1;
    let all_only = 11;
    assert_eq!(rows.len(), 3 * catalogue - 2 * all_only);
    let bad = w.write("bad.toml", "charge_rate = 0.5\n");
    let out = soteria(&[
        "flightdeck",
        "--data",
        dir.to_str().unwrap(),
        "--summary",
        "--month",
        "2024-03",
        "--targets",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("unknown indicator `charge_rate`"));
}

/// Version 2 status on the hand-built dataset: coverage starts January 2023 (A7), the
/// as-at date is 31 March 2024.
#[test]
fn months_are_provisional_or_truncated_by_the_extract_window() {
    let status = |rows: &[Value], period: &str, id: &str| {
        find(rows, period, "all", "All", id)["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let rows = deck(&["--spc"]);
    // ISVA referral matures in 60 days: January (ends 60 days before 31 March) is final,
    // February is not; suspects identified (90 days) are provisional for all three.
    assert_eq!(status(&rows, "2024-01", "isva_referral_rate"), "final");
    assert_eq!(
        status(&rows, "2024-02", "isva_referral_rate"),
        "provisional"
    );
    assert_eq!(
        status(&rows, "2024-01", "suspect_identified_rate"),
        "provisional"
    );
    // The open stock needs two years of coverage, cases open over a year three, the
    // repeat-suspect window five.
    assert_eq!(status(&rows, "2024-01", "open_investigations"), "truncated");
    assert_eq!(
        status(&rows, "2024-03", "open_over_365d_share"),
        "truncated"
    );
    assert_eq!(
        status(&rows, "2024-03", "repeat_suspect_share"),
        "truncated"
    );
    assert_eq!(status(&rows, "2024-03", "recorded"), "final");
    // Only final rows are judged by SPC.
    for r in &rows {
        if r["status"] != "final" {
            assert!(r["rule"].is_null() && r["point_type"].is_null(), "{r}");
        }
    }
    assert!(
        rows.iter()
            .any(|r| r["status"] == "final" && r["rule"].is_string())
    );
    // The user moves the coverage start and switches a window off.
    let rows = deck(&[
        "--burn-in-days",
        "open_investigations=365",
        "--maturity-days",
        "isva_referral_rate=0,suspect_identified_rate=30",
    ]);
    assert_eq!(status(&rows, "2024-01", "open_investigations"), "final");
    let later = deck(&[
        "--coverage-from",
        "2023-06",
        "--burn-in-days",
        "open_investigations=365",
    ]);
    assert_eq!(
        status(&later, "2024-01", "open_investigations"),
        "truncated"
    );
    assert_eq!(status(&rows, "2024-02", "isva_referral_rate"), "final");
    assert_eq!(status(&rows, "2024-02", "suspect_identified_rate"), "final");
    assert_eq!(
        status(&rows, "2024-03", "suspect_identified_rate"),
        "provisional"
    );
    let bad = soteria(&["flightdeck", "--maturity-days", "isva=3"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("unknown indicator `isva`"),
        "{}",
        stderr(&bad)
    );
}

/// Version 2: a repeat suspect is one across the dataset. The hand-built data plus a
/// second force where S2 (A5 in Testshire, other sexual) is linked to a rape, B1.
#[test]
fn repeat_suspects_are_counted_across_forces_and_agree_with_the_register() {
    let w = Work::new();
    for t in [
        "offences", "outcomes", "events", "suspects", "staff", "feedback",
    ] {
        std::fs::copy(
            repo(&format!("tests/data/handmade/{t}.csv")),
            w.path(&format!("{t}.csv")),
        )
        .unwrap();
    }
    let append = |table: &str, line: &str| {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(w.path(&format!("{table}.csv")))
            .unwrap();
        writeln!(f, "{line}").unwrap();
    };
    append(
        "offences",
        "B1,Otherton,East,Team E,,19C,2024-02-10,2024-02-10,2024-02-09,22,V9,F,31,white,stranger,dwelling,false,false,false,false,false,false,L9",
    );
    append("suspects", "B1,S2,M,51,2024-02-12");
    let data = w.path("");
    let data = data.to_str().unwrap();
    let share = |extra: &[&str], force: &str, area: &str, group: &str| {
        let mut args = vec![
            "flightdeck",
            "--data",
            data,
            "--as-at",
            "2024-03-31",
            "--indicators",
            "repeat_suspect_share",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let rows = json(&args);
        let r = rows
            .as_array()
            .unwrap()
            .iter()
            .find(|r| {
                r["period"] == "2024-02"
                    && r["force"] == force
                    && r["offence_group"] == group
                    && r["area"] == area
            })
            .unwrap_or_else(|| panic!("no row for {force} {area} {group}"))
            .clone();
        (r["numerator"].as_f64(), r["denominator"].as_f64())
    };
    // Testshire, February: S1 (A3) and S2 (A5) linked; S2 is a repeat suspect through
    // B1 in Otherton, so both are (in version 1, only S1 was).
    assert_eq!(
        share(&[], "Testshire", "All", "all"),
        (Some(2.0), Some(2.0))
    );
    assert_eq!(
        share(&["--force", "Testshire"], "Testshire", "All", "all"),
        (Some(2.0), Some(2.0)),
        "a one-force run reads the suspects' crimes in every force"
    );
    assert_eq!(share(&[], "Otherton", "All", "all"), (Some(1.0), Some(1.0)));
    // Within the rape group S2 has one crime: not a repeat suspect there.
    assert_eq!(
        share(&[], "Otherton", "All", "rape"),
        (Some(0.0), Some(1.0))
    );
    // Split by area: S1's February link is A3 in South, their other crimes are in North;
    // a unit only decides whom it counts.
    let by_area = ["--by", "area", "--force", "Testshire"];
    assert_eq!(
        share(&by_area, "Testshire", "South", "all"),
        (Some(1.0), Some(1.0))
    );
    assert_eq!(
        share(&by_area, "Testshire", "North", "all"),
        (Some(1.0), Some(1.0))
    );

    let register = |extra: &[&str]| -> Vec<(String, u64, String)> {
        let mut args = vec![
            "suspects",
            "--repeat",
            "--data",
            data,
            "--as-at",
            "2024-03-31",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        json(&args)
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["suspect_id"].as_str().unwrap().to_string(),
                    r["crimes"].as_u64().unwrap(),
                    r["forces"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let everyone = vec![
        ("S1".to_string(), 3, "Testshire".to_string()),
        ("S2".to_string(), 2, "Otherton; Testshire".to_string()),
    ];
    assert_eq!(register(&[]), everyone);
    assert_eq!(register(&["--force", "Testshire"]), everyone);
    assert_eq!(register(&["--force", "Otherton"]), everyone[1..].to_vec());
}

/// On a dataset another program wrote (tests/data/foreign): every cohort indicator's last
/// month is provisional, every stock's first month truncated, and SPC flags final months
/// only.
#[test]
fn statuses_on_a_foreign_dataset() {
    let data = repo("tests/data/foreign/csv");
    let rows = json(&[
        "flightdeck",
        "--data",
        data.to_str().unwrap(),
        "--spc",
        "--format",
        "json",
    ]);
    let rows = rows.as_array().unwrap();
    let periods: Vec<&str> = rows.iter().map(|r| r["period"].as_str().unwrap()).collect();
    let (first, last) = (
        *periods.iter().min().unwrap(),
        *periods.iter().max().unwrap(),
    );
    let status_of = |id: &str, period: &str| -> Vec<String> {
        rows.iter()
            .filter(|r| r["indicator"] == id && r["period"] == period)
            .map(|r| r["status"].as_str().unwrap().to_string())
            .collect()
    };
    for id in [
        "suspect_identified_rate",
        "suspect_identified_30d_rate",
        "arrest_or_interview_rate",
        "charge_rate_cohort",
        "charge_within_365d_rate",
        "isva_referral_rate",
    ] {
        let s = status_of(id, last);
        assert!(
            !s.is_empty() && s.iter().all(|s| s == "provisional"),
            "{id} {last}: {s:?}"
        );
    }
    for id in [
        "open_investigations",
        "open_over_365d_share",
        "victim_updated_28d_share",
        "open_cases_per_investigator",
        "devices_awaiting_examination",
        "repeat_suspect_share",
        "repeat_suspects_open",
    ] {
        let s = status_of(id, first);
        assert!(
            !s.is_empty() && s.iter().all(|s| s == "truncated"),
            "{id} {first}: {s:?}"
        );
    }
    let flagged_not_final = rows
        .iter()
        .filter(|r| r["status"] != "final" && r["point_type"].is_string())
        .count();
    assert_eq!(flagged_not_final, 0);
    assert!(
        rows.iter()
            .any(|r| r["status"] == "final" && r["point_type"].is_string())
    );
}

/// A dataset split into a folder per table (several files in order, hive `key=value`
/// subfolders) gives the flight deck of the single files, byte for byte.
#[test]
fn a_folder_per_table_gives_the_same_flight_deck_as_single_files() {
    let w = Work::new();
    let single = three_forces(&w, "2022-01", 18, 3, "parquet");
    let split = w.path("split");
    let s = single.to_str().unwrap();
    std::fs::create_dir_all(&split).unwrap();
    let query = |sql: &str, out: &std::path::Path| {
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        ok(&[
            "query",
            "--data",
            s,
            "--format",
            "parquet",
            "--out",
            out.to_str().unwrap(),
            sql,
        ]);
    };
    // Offences by force, in hive folders; events in three files in row order.
    for force in ["Cleveland", "Cumbria", "Durham"] {
        query(
            &format!("SELECT * EXCLUDE (force) FROM offences WHERE force = '{force}'"),
            &split.join(format!("offences/force={force}/part-0.parquet")),
        );
    }
    let events: usize = ok(&[
        "query",
        "--data",
        s,
        "--format",
        "csv",
        "SELECT count(*) AS n FROM events",
    ])
    .lines()
    .nth(1)
    .unwrap()
    .parse()
    .unwrap();
    let third = events / 3 + 1;
    for part in 0..3 {
        query(
            &format!("SELECT * FROM events LIMIT {third} OFFSET {}", part * third),
            &split.join(format!("events/part-{part}.parquet")),
        );
    }
    std::fs::write(split.join("events/_SUCCESS"), "").unwrap();
    for t in ["suspects", "outcomes", "staff", "feedback", "population"] {
        std::fs::copy(
            single.join(format!("{t}.parquet")),
            split.join(format!("{t}.parquet")),
        )
        .unwrap();
    }
    let deck = |d: &std::path::Path| {
        ok(&[
            "flightdeck",
            "--data",
            d.to_str().unwrap(),
            "--format",
            "csv",
        ])
    };
    let (a, b) = (deck(&single), deck(&split));
    assert!(a.lines().count() > 1000);
    assert!(a == b, "the split dataset's flight deck differs");
    let report = json(&[
        "validate",
        "--data",
        split.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(table(&report, "events")["rows_loaded"], events);
    assert_eq!(table(&report, "offences")["rows_quarantined"], 0);
}

/// `--partition-by force` writes hive-style partitions, replaces its own folder on a
/// rerun and refuses a folder of the user's.
#[test]
fn the_flight_deck_is_written_as_hive_partitions() {
    let w = Work::new();
    let data = three_forces(&w, "2023-01", 6, 5, "parquet");
    let out = w.path("deck");
    let write = |out: &std::path::Path| {
        soteria(&[
            "flightdeck",
            "--data",
            data.to_str().unwrap(),
            "--format",
            "parquet",
            "--partition-by",
            "force",
            "--out",
            out.to_str().unwrap(),
        ])
    };
    assert!(write(&out).status.success());
    let mut found: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            "_soteria.json",
            "force=Cleveland",
            "force=Cumbria",
            "force=Durham"
        ]
    );
    let part = out.join("force=Durham/part-0.parquet");
    assert!(std::fs::read(&part).unwrap().starts_with(b"PAR1"));
    assert!(write(&out).status.success(), "its own folder is replaced");
    let mine = w.path("mine");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("notes.txt"), "mine").unwrap();
    let refused = write(&mine);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert_eq!(
        std::fs::read_to_string(mine.join("notes.txt")).unwrap(),
        "mine"
    );
    fails(
        &[
            "flightdeck",
            "--data",
            data.to_str().unwrap(),
            "--partition-by",
            "force",
        ],
        2,
        "--partition-by writes a folder of Parquet files",
    );
}

/// An extract of version 1 (no `staff.orders_training_date`) has the orders training
/// indicator "not available", naming the column, never a column of zeros.
#[test]
fn a_version_1_extract_lacks_the_orders_training_column_and_says_so() {
    let w = Work::new();
    let v1 = version_1_copy(&w);
    let out = soteria(&[
        "flightdeck",
        "--data",
        v1.to_str().unwrap(),
        "--indicators",
        "orders_trained_share,wow_trained_share",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("orders_trained_share not available: needs staff.orders_training_date"),
        "{}",
        stderr(&out)
    );
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let orders: Vec<&serde_json::Value> = rows
        .iter()
        .filter(|r| r["indicator"] == "orders_trained_share")
        .collect();
    assert!(!orders.is_empty());
    assert!(
        orders
            .iter()
            .all(|r| r["value"].is_null() && r["numerator"].is_null())
    );
    assert!(
        rows.iter()
            .any(|r| r["indicator"] == "wow_trained_share" && r["value"].is_number())
    );
}

/// A PDP registration or MATAC referral manages a new repeat suspect like an arrest,
/// within 28 days of the link that made them one and not after: the hand-made data with
/// S1's arrest on 8 January replaced by one of these events, on the 28th day (3 February,
/// counted) or the 29th (4 February, not counted).
#[test]
fn pdp_registration_and_matac_referral_manage_a_repeat_suspect() {
    let events = std::fs::read_to_string(repo("tests/data/handmade/events.csv")).unwrap();
    assert!(events.contains("A1,S1,suspect_arrested,2024-01-08,\n"));
    for (event, day, managed) in [
        ("pdp_nominal_registered", "2024-02-03", 1.0),
        ("matac_referral", "2024-02-03", 1.0),
        ("pdp_nominal_registered", "2024-02-04", 0.0),
        ("matac_referral", "2024-02-04", 0.0),
    ] {
        let w = Work::new();
        for entry in std::fs::read_dir(repo("tests/data/handmade")).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, w.path(path.file_name().unwrap().to_str().unwrap())).unwrap();
        }
        w.write(
            "events.csv",
            events.replace(
                "A1,S1,suspect_arrested,2024-01-08,\n",
                &format!("A1,S1,{event},{day},\n"),
            ),
        );
        let rows: Vec<serde_json::Value> = serde_json::from_str(&ok(&[
            "flightdeck",
            "--data",
            w.dir.path().to_str().unwrap(),
            "--as-at",
            "2024-03-31",
            "--indicators",
            "repeat_suspects_managed_share",
            "--group",
            "all",
            "--format",
            "json",
        ]))
        .unwrap();
        let jan = rows
            .iter()
            .find(|r| r["period"] == "2024-01" && r["area"] == "All")
            .unwrap();
        assert_eq!(jan["denominator"], 1.0, "{event} {day}: {jan}");
        assert_eq!(jan["numerator"], managed, "{event} {day}: {jan}");
    }
}

/// Each indicator asked for alone (which loads only its tables, columns and event types,
/// here from validated copies) gives exactly its rows of the whole flight deck.
#[test]
fn each_indicator_alone_gives_its_rows_of_the_whole_deck() {
    let w = Work::new();
    let data = three_forces(&w, "2021-01", 24, 7, "parquet");
    let d = data.to_str().unwrap();
    let cache = w.path("cache");
    let run = |extra: &[&str]| -> Vec<String> {
        let mut args = vec!["flightdeck", "--data", d, "--format", "csv"];
        args.extend_from_slice(extra);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_soteria"))
            .args(&args)
            .env("SOTERIA_CACHE", &cache)
            .env("SOTERIA_CACHE_MIN_BYTES", "0")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    };
    let whole = run(&[]);
    let header = whole[0].clone();
    let column = header.split(',').position(|c| c == "indicator").unwrap();
    let ids: std::collections::BTreeSet<String> = whole[1..]
        .iter()
        .map(|l| l.split(',').nth(column).unwrap().to_string())
        .collect();
    assert!(ids.len() > 40, "{}", ids.len());
    let mut differ = Vec::new();
    for id in &ids {
        let alone = run(&["--indicators", id]);
        let expected: Vec<&String> = whole[1..]
            .iter()
            .filter(|l| l.split(',').nth(column) == Some(id.as_str()))
            .collect();
        assert_eq!(alone[0], header);
        if alone[1..].iter().collect::<Vec<_>>() != expected {
            differ.push(id.clone());
        }
    }
    assert!(differ.is_empty(), "alone, these differ: {differ:?}");
}

/// Events kept compact (each type's rows only, their dates and crimes gathered when a
/// plan reads them: what a national extract at ten times today's volume gets) give the
/// same flight deck, whole, for one force split by team, and for a few indicators.
#[test]
fn events_kept_compact_give_the_same_flight_deck() {
    let w = Work::new();
    let data = three_forces(&w, "2021-01", 24, 11, "parquet");
    let d = data.to_str().unwrap();
    let run = |compact_from: &str, extra: &[&str]| -> Vec<u8> {
        let mut args = vec!["flightdeck", "--data", d, "--format", "csv"];
        args.extend_from_slice(extra);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_soteria"))
            .args(&args)
            .env("SOTERIA_COMPACT_EVENTS_FROM", compact_from)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        out.stdout
    };
    let force = forces(d)[0].clone();
    let cases: [Vec<&str>; 3] = [
        vec![],
        vec!["--force", &force, "--by", "team"],
        vec![
            "--indicators",
            "days_report_to_arrest_median,bail_breach_actioned_rate,suspect_identified_rate,isva_referral_rate",
        ],
    ];
    for extra in cases {
        let (held, compact) = (run("1000000000", &extra), run("0", &extra));
        assert!(held.len() > 1000, "{extra:?}");
        assert!(
            held == compact,
            "{extra:?}: compact events give another deck"
        );
    }
}
