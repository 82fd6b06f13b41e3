//! The synthetic generator: deterministic for a seed, clean under validation, and
//! realistic in the ways issue 2 asks for.
use crate::common::*;
use polars::prelude::*;

fn frame(path: std::path::PathBuf) -> DataFrame {
    let file = std::fs::File::open(&path).unwrap();
    ParquetReader::new(file).finish().unwrap()
}

#[test]
fn three_forces_generate_and_validate_with_zero_quarantine() {
    let w = Work::new();
    let out = w.path("three");
    ok(&[
        "generate",
        "--forces",
        "3",
        "--months",
        "24",
        "--seed",
        "7",
        "--out",
        out.to_str().unwrap(),
    ]);
    let report = validate_clean(&out);
    assert_eq!(report["tables"].as_array().unwrap().len(), 7);
    // A dataset with several forces gives every force's rows unless --force picks one.
    let deck = ok(&[
        "flightdeck",
        "--data",
        out.to_str().unwrap(),
        "--indicators",
        "recorded",
        "--group",
        "all",
        "--format",
        "csv",
    ]);
    let forces: std::collections::BTreeSet<&str> = deck
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(
        forces.into_iter().collect::<Vec<_>>(),
        ["Avon and Somerset", "Bedfordshire", "Cambridgeshire"]
    );
    let one = ok(&[
        "flightdeck",
        "--data",
        out.to_str().unwrap(),
        "--force",
        "Bedfordshire",
        "--indicators",
        "recorded",
        "--format",
        "csv",
    ]);
    assert!(
        one.lines()
            .skip(1)
            .all(|l| l.split(',').nth(1) == Some("Bedfordshire"))
    );
    // 24 months x 3 groups.
    assert_eq!(one.lines().count(), 1 + 24 * 3);
}

#[test]
fn arrow_output_loads_cleanly() {
    let w = Work::new();
    let out = w.path("arrow");
    ok(&[
        "generate",
        "--forces",
        "Durham",
        "--months",
        "3",
        "--seed",
        "3",
        "--format",
        "arrow",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(out.join("events.arrow").exists());
    let report = validate_clean(&out);
    for t in report["tables"].as_array().unwrap() {
        assert_eq!(t["format"], "Arrow IPC");
    }
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let w = Work::new();
    for (dir, seed) in [("a", "11"), ("b", "11"), ("c", "12")] {
        ok(&[
            "generate",
            "--forces",
            "Durham",
            "--months",
            "6",
            "--seed",
            seed,
            "--format",
            "csv",
            "--out",
            w.path(dir).to_str().unwrap(),
        ]);
    }
    for table in [
        "offences",
        "suspects",
        "outcomes",
        "events",
        "staff",
        "feedback",
        "population",
    ] {
        let a = std::fs::read(w.path(&format!("a/{table}.csv"))).unwrap();
        let b = std::fs::read(w.path(&format!("b/{table}.csv"))).unwrap();
        assert!(
            a == b,
            "{table} differs between two runs with the same seed"
        );
    }
    assert_ne!(
        std::fs::read(w.path("a/offences.csv")).unwrap(),
        std::fs::read(w.path("c/offences.csv")).unwrap()
    );
}

#[test]
fn the_sample_is_realistic() {
    let dir = repo("datasets/sample");
    let offences = frame(dir.join("offences.parquet"));
    let outcomes = frame(dir.join("outcomes.parquet"));
    let n = offences.height() as f64;
    assert!(n > 5_000.0, "about four years of Cleveland: {n}");
    let rape = offences
        .clone()
        .lazy()
        .filter(col("offence_code").str().starts_with(lit("19")))
        .collect()
        .unwrap();
    let share = |df: &DataFrame, e: Expr| -> f64 {
        let k = df.clone().lazy().filter(e).collect().unwrap().height() as f64;
        k / df.height() as f64
    };
    let female = share(&rape, col("victim_sex").eq(lit("F")));
    assert!(
        (0.85..0.93).contains(&female),
        "rape victims female {female}"
    );
    let under16 = share(&rape, col("victim_age").lt(lit(16)));
    assert!(
        (0.2..0.4).contains(&under16),
        "rape victims under 16 {under16}"
    );
    let da = share(&offences, col("domestic_abuse"));
    assert!((0.22..0.34).contains(&da), "domestic abuse {da}");
    let stranger = share(&offences, col("relationship").eq(lit("stranger")));
    assert!((0.04..0.10).contains(&stranger), "stranger {stranger}");
    // Victims of 19E are under 13.
    let e19 = offences
        .clone()
        .lazy()
        .filter(
            col("offence_code")
                .eq(lit("19E"))
                .and(col("victim_age").gt_eq(lit(13))),
        )
        .collect()
        .unwrap();
    assert_eq!(e19.height(), 0);
    // Outcome mix of closed rapes: outcomes 15 and 16 dominate, charges a few per cent.
    let rape_outcomes = outcomes
        .clone()
        .lazy()
        .join(
            rape.clone().lazy().select([col("crime_id")]),
            [col("crime_id")],
            [col("crime_id")],
            JoinArgs::new(JoinType::Inner),
        )
        .collect()
        .unwrap();
    let o16 = share(&rape_outcomes, col("outcome_type").eq(lit("16")));
    let o15 = share(&rape_outcomes, col("outcome_type").eq(lit("15")));
    let charged = share(
        &rape_outcomes,
        col("outcome_type")
            .eq(lit("1"))
            .or(col("outcome_type").eq(lit("1A"))),
    );
    assert!((0.25..0.45).contains(&o16), "outcome 16 {o16}");
    assert!((0.2..0.4).contains(&o15), "outcome 15 {o15}");
    assert!((0.01..0.12).contains(&charged), "charged {charged}");
}

#[test]
fn unknown_force_is_a_usage_error_with_a_suggestion() {
    let w = Work::new();
    let out = soteria(&[
        "generate",
        "--forces",
        "Clevland",
        "--out",
        w.path("x").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Cleveland"), "{}", stderr(&out));
}
