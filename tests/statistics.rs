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
    }
    // Every row, through the binary (a run takes a few milliseconds).
    assert_eq!(checked, text.lines().count() - 1);
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
        "period,value,rebase_group,mean,lpl,upl,nlpl,nupl,rule,point_type"
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
    // An empty value is a gap: it keeps its row and its segment's limits, with no rule.
    assert!(lines[20].starts_with("2025-08,,0,10.0,"), "{}", lines[20]);
    assert!(lines[20].ends_with(",,"), "{}", lines[20]);
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
    let finished = python.wait_with_output().unwrap();
    assert!(finished.status.success(), "spc_spec.py failed");
    let expected: Vec<serde_json::Value> =
        serde_json::from_slice(&finished.stdout).expect("reference output");
    assert_eq!(expected.len(), cases.len());
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
        assert_eq!(points.len(), values.len(), "case {i}");
        assert_eq!(want["rule"].as_array().unwrap().len(), values.len());
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

/// NHSRplotthedots 0.2.2's own results on 40 series with rebase points, targets,
/// unscreened moving ranges and fixed baselines (tests/data/nhsr-rebase, README there):
/// every point's rebase group, mean, limits, rule and type, and the assurance.
#[test]
fn spc_agrees_with_nhsrplotthedots_on_rebased_series() {
    let dir = repo("tests/data/nhsr-rebase");
    let fields = |line: &str| -> Vec<String> {
        line.split(',')
            .map(|f| f.trim().trim_matches('"').to_string())
            .collect()
    };
    let cases = std::fs::read_to_string(dir.join("cases.csv")).unwrap();
    let mut checked = 0;
    for line in cases.lines().skip(1) {
        let c = fields(line);
        let (file, polarity, rebase, target, screen, fixn) =
            (&c[0], &c[1], &c[2], &c[3], &c[4], &c[5]);
        let input = dir.join(file);
        let rebase = rebase.replace(';', ",");
        let mut args = vec![
            "spc",
            "--input",
            input.to_str().unwrap(),
            "--value",
            "value",
            "--date",
            "month",
            "--polarity",
            polarity,
            "--rebase",
            &rebase,
            "--format",
            "json",
        ];
        if !target.is_empty() {
            args.extend(["--target", target]);
        }
        if screen == "0" {
            args.push("--no-screen");
        }
        if !fixn.is_empty() {
            args.extend(["--baseline", fixn]);
        }
        let got = json(&args);
        let points = got["points"].as_array().unwrap();
        let want = std::fs::read_to_string(dir.join(file.replace(".csv", ".nhsr.csv"))).unwrap();
        let want: Vec<Vec<String>> = want.lines().skip(1).map(fields).collect();
        assert_eq!(points.len(), want.len(), "{file}");
        for (p, w) in points.iter().zip(&want) {
            let at = format!("{file} {}", w[0]);
            assert_eq!(p["month"], w[0].as_str(), "{at}");
            assert_eq!(
                p["rebase_group"].as_u64().unwrap().to_string(),
                w[2],
                "{at}"
            );
            for (ours, theirs) in [("mean", &w[3]), ("lpl", &w[4]), ("upl", &w[5])] {
                match (p[ours].as_f64(), theirs.as_str()) {
                    (None, "NA") => {}
                    (Some(a), b) => {
                        let b: f64 = b.parse().unwrap_or_else(|_| panic!("{at} {ours}: {b}"));
                        assert!(
                            (a - b).abs() <= 1e-9 * b.abs().max(1.0),
                            "{at} {ours}: {a} vs {b}"
                        );
                    }
                    (a, b) => panic!("{at} {ours}: {a:?} vs {b}"),
                }
            }
            let rule = match w[6].as_str() {
                "Common Cause" => "none",
                t if t.ends_with("UCL") || t.ends_with("LCL") => "outside",
                t if t.starts_with("7 Point Trend") => "trend",
                t if t.starts_with("2 in 3") => "two_in_three",
                t if t.starts_with("7 Points") => "shift",
                t => panic!("{at}: unknown type {t}"),
            };
            assert_eq!(p["rule"], rule, "{at}: {}", w[6]);
            let point_type = w[7].trim_start_matches("special_cause_");
            assert_eq!(p["point_type"], point_type, "{at}");
        }
        let assurance = match want[0][8].as_str() {
            "NA" => serde_json::Value::Null,
            "consistent_pass" => "consistently_passing".into(),
            "consistent_fail" => "consistently_failing".into(),
            "inconsistent" => "hit_and_miss".into(),
            a => panic!("{file}: assurance {a}"),
        };
        assert_eq!(got["assurance"], assurance, "{file}");
        checked += 1;
    }
    assert_eq!(checked, 40);
}
