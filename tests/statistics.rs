//! Statistics from the command line, against reference values from outside the project
//! (tests/data/intervals_scipy.csv, made by tests/data/make_reference_intervals.py).
use crate::common::*;

#[test]
fn every_interval_agrees_with_scipy_to_1e_9() {
    let text = std::fs::read_to_string(repo("tests/data/intervals_scipy.csv")).unwrap();
    let mut checked = 0;
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (method, x, n, level) = (f[0], f[1], f[2], f[3]);
        let (lower, upper): (f64, f64) = (f[4].parse().unwrap(), f[5].parse().unwrap());
        let mut args = vec![
            "stats", "ci", "--method", method, "--x", x, "--level", level, "--format", "json",
        ];
        if !n.is_empty() {
            args.extend(["--n", n]);
        }
        let v = json(&args);
        let (lo, hi) = (v["lower"].as_f64().unwrap(), v["upper"].as_f64().unwrap());
        let tol = 1e-9 * upper.abs().max(1.0);
        assert!(
            (lo - lower).abs() < tol && (hi - upper).abs() < tol,
            "{line}: got {lo} {hi}"
        );
        checked += 1;
        if checked > 60 {
            // The library test checks every row; the binary is spot-checked for speed.
            break;
        }
    }
    assert!(checked > 50);
}

#[test]
fn ci_poisson_applies_the_phe_rule_and_rejects_bad_input() {
    assert_eq!(
        json(&[
            "stats", "ci", "--method", "poisson", "--x", "9", "--format", "json"
        ])["method"],
        "poisson-exact"
    );
    assert_eq!(
        json(&[
            "stats", "ci", "--method", "poisson", "--x", "10", "--format", "json"
        ])["method"],
        "byar"
    );
    assert_eq!(soteria(&["stats", "ci", "--x", "5"]).status.code(), Some(2));
    assert_eq!(
        soteria(&["stats", "ci", "--x", "5", "--n", "3"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn spc_csv_has_one_row_per_point_with_the_rules() {
    let w = Work::new();
    // 12 points around 10, then 7 points above the mean: a shift.
    let mut csv = String::from("period,value\n");
    let values = [
        10.0, 11.0, 9.0, 10.0, 10.5, 9.5, 10.0, 11.0, 9.0, 10.0, 10.5, 9.5, 12.0, 12.0, 12.0, 12.0,
        12.0, 12.0, 12.0,
    ];
    for (i, v) in values.iter().enumerate() {
        csv.push_str(&format!("2024-{:02},{v}\n", i % 12 + 1));
    }
    csv.push_str("2025-08,\n");
    let input = w.write("s.csv", csv);
    let out = ok(&[
        "spc",
        "--input",
        input.to_str().unwrap(),
        "--value",
        "value",
        "--date",
        "period",
        "--polarity",
        "up",
        "--baseline",
        "12",
        "--format",
        "csv",
    ]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "period,value,mean,lpl,upl,nlpl,nupl,rule,point_type"
    );
    assert_eq!(lines.len(), 1 + values.len() + 1);
    // Baseline mean 10, AMR 11.5/11, near upper limit 11.854: every 12 is close, and
    // two-in-three takes precedence over the shift they also make.
    assert!(
        lines[13..20]
            .iter()
            .all(|l| l.ends_with(",two_in_three,improvement")),
        "{}",
        lines[13]
    );
    assert_eq!(lines[20], "2025-08,,,,,,,,", "an empty value keeps its row");
    let j = json(&[
        "spc",
        "--input",
        input.to_str().unwrap(),
        "--value",
        "value",
        "--polarity",
        "up",
        "--baseline",
        "12",
        "--target",
        "20",
        "--format",
        "json",
    ]);
    assert_eq!(j["assurance"], "consistently_failing");
    assert_eq!(j["variation_icon"], "improvement_high");
}

#[test]
fn funnel_flags_units() {
    let w = Work::new();
    let input = w.write(
        "f.csv",
        "force,charged,closed\nA,50,100\nB,20,100\nC,200,1000\nD,5,100\n",
    );
    let out = ok(&[
        "funnel",
        "--input",
        input.to_str().unwrap(),
        "--numerator",
        "charged",
        "--denominator",
        "closed",
        "--label",
        "force",
        "--target",
        "0.2",
        "--format",
        "csv",
    ]);
    assert!(
        out.starts_with("label,numerator,denominator,value,lower95,upper95,lower998,upper998,flag")
    );
    assert!(out.contains("\nA,") && out.lines().nth(1).unwrap().ends_with("high_998"));
    assert!(out.lines().nth(4).unwrap().ends_with("low_998"));
    let od = ok(&[
        "funnel",
        "--input",
        input.to_str().unwrap(),
        "--numerator",
        "charged",
        "--denominator",
        "closed",
        "--label",
        "force",
        "--overdispersion",
        "--format",
        "json",
    ]);
    assert!(od.contains("\"flag\""));
}

#[test]
fn change_and_chisq_match_r() {
    // scipy.stats.chi2_contingency([[45, 565], [30, 560]], correction=False):
    // X-squared 2.6896360100027783, p 0.10100288426948863 (= R prop.test(correct = FALSE)).
    let v = json(&[
        "stats", "change", "--x1", "45", "--n1", "610", "--x2", "30", "--n2", "590", "--format",
        "json",
    ]);
    let (p, z) = (v["p_value"].as_f64().unwrap(), v["z"].as_f64().unwrap());
    assert!((p - 0.101_002_884_269_488_63).abs() < 1e-9, "{p}");
    assert!((z * z - 2.689_636_010_002_778_3).abs() < 1e-9, "{z}");
    // scipy: chi2_contingency([[10,40,25,5],[12,30,30,9]], correction=False):
    // statistic 3.201704545454546, p 0.3615595027732141, dof 3.
    let c = json(&[
        "stats",
        "chisq",
        "--current",
        "10,40,25,5",
        "--previous",
        "12,30,30,9",
        "--format",
        "json",
    ]);
    assert_eq!(c["df"], 3.0);
    assert!((c["statistic"].as_f64().unwrap() - 3.201_704_545_454_546).abs() < 1e-9);
    assert!((c["p_value"].as_f64().unwrap() - 0.361_559_502_773_214_1).abs() < 1e-9);
}

/// `soteria spc` agrees point by point with an independent, literal reading of the spec
/// (tests/reference/spc_spec.py) on random and adversarial series: integer-valued series
/// with many ties and points on the mean, runs, trends and spikes.
#[test]
fn spc_agrees_with_an_independent_reading_of_the_spec() {
    let w = Work::new();
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut cases = Vec::new();
    for case in 0..120 {
        let len = 1 + (next() % 40) as usize;
        let kind = case % 4;
        let values: Vec<f64> = (0..len)
            .map(|i| match kind {
                0 => (next() % 5) as f64, // ties and the mean
                1 => (i as f64) * if next() % 9 == 0 { -1.0 } else { 1.0 }, // trends
                2 => {
                    if next() % 10 == 0 {
                        50.0
                    } else {
                        (next() % 100) as f64 / 10.0
                    }
                } // spikes
                _ => ((i / 8) % 2) as f64 * 3.0 + (next() % 3) as f64, // shifts
            })
            .collect();
        let baseline = if case % 3 == 0 {
            Some(1 + (next() % len as u64) as usize)
        } else {
            None
        };
        let screen = case % 5 != 0;
        let polarity = ["up", "down", "neutral"][case % 3];
        cases.push((values, baseline, screen, polarity));
    }
    let spec_input: Vec<serde_json::Value> = cases
        .iter()
        .map(|(v, b, s, p)| serde_json::json!({"values": v, "baseline": b, "screen": s, "polarity": p}))
        .collect();
    let mut python = std::process::Command::new("python3")
        .arg(repo("tests/reference/spc_spec.py"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs the reference reading of the spec");
    use std::io::Write;
    python
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(&spec_input).unwrap().as_bytes())
        .unwrap();
    let expected: Vec<serde_json::Value> =
        serde_json::from_slice(&python.wait_with_output().unwrap().stdout)
            .expect("reference output");
    for (i, ((values, baseline, screen, polarity), want)) in cases.iter().zip(&expected).enumerate()
    {
        let csv: String = std::iter::once("value".to_string())
            .chain(values.iter().map(|v| v.to_string()))
            .collect::<Vec<_>>()
            .join("\n");
        let input = w.write(&format!("s{i}.csv"), csv + "\n");
        let mut args = vec![
            "spc",
            "--input",
            input.to_str().unwrap(),
            "--value",
            "value",
            "--polarity",
            polarity,
            "--format",
            "json",
        ];
        let b;
        if let Some(n) = baseline {
            b = n.to_string();
            args.extend(["--baseline", &b]);
        }
        if !screen {
            args.push("--no-screen");
        }
        let got = json(&args);
        let points = got["points"].as_array().unwrap();
        for (k, p) in points.iter().enumerate() {
            assert_eq!(
                p["rule"], want["rule"][k],
                "case {i} point {k}: {values:?} {baseline:?} {screen}"
            );
            assert_eq!(
                p["point_type"], want["point_type"][k],
                "case {i} point {k}: {values:?}"
            );
            let (m, wm) = (p["mean"].as_f64().unwrap(), want["mean"].as_f64().unwrap());
            assert!((m - wm).abs() < 1e-9);
            match (p["upl"].as_f64(), want["upl"].as_f64()) {
                (Some(a), Some(b)) => assert!((a - b).abs() < 1e-9, "case {i} upl"),
                (a, b) => assert_eq!(a, b, "case {i} upl"),
            }
        }
    }
}
