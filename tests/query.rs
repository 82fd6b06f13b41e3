//! `soteria query`: SQL over the tables and views, with helpful errors.
use crate::common::*;

fn query(sql: &str) -> Vec<serde_json::Value> {
    handmade_json(&["query", sql])
}

#[test]
fn the_crimes_view_answers_without_joins() {
    // A6 is recorded after the as-at date; A4's outcome is after it, so A4 and A7 are open.
    let open = query("SELECT count(*) AS n FROM crimes WHERE is_open");
    assert_eq!(open[0]["n"], 2);
    let rows = query(
        "SELECT crime_id, outcome_type, suspects, days_to_outcome FROM crimes ORDER BY crime_id",
    );
    let ids: Vec<&str> = rows
        .iter()
        .map(|r| r["crime_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["A1", "A2", "A3", "A4", "A5", "A7"]);
    assert_eq!(rows[0]["outcome_type"], "1");
    assert_eq!(rows[0]["days_to_outcome"], 61);
    assert_eq!(
        rows[1]["outcome_type"], "18",
        "the later of two same-day rows"
    );
    assert!(rows[3]["outcome_type"].is_null());
    assert_eq!(rows[3]["suspects"], 0, "S3 is linked after the as-at date");
    assert_eq!(rows[5]["suspects"], 1);
    let by_group = query(
        "SELECT offence_group, count(*) AS n FROM crimes GROUP BY offence_group ORDER BY offence_group",
    );
    assert_eq!(by_group[0]["n"], 2);
    assert_eq!(by_group[1]["n"], 4);
}

#[test]
fn tables_and_the_flightdeck_view() {
    let events = query("SELECT count(*) AS n FROM events WHERE event_type = 'victim_update'");
    assert_eq!(events[0]["n"], 6, "the table as loaded, all dates");
    let charges = query(
        "SELECT value FROM flightdeck WHERE period = '2024-03' AND indicator = 'charges' AND offence_group = 'all' AND area = 'All'",
    );
    assert_eq!(charges[0]["value"], 2.0);
}

#[test]
fn errors_name_the_nearest_table_or_column() {
    let out = soteria(&["query", "SELECT victim_agee FROM offences"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no column `victim_agee`; did you mean `victim_age`?"),
        "{}",
        stderr(&out)
    );
    let out = soteria(&["query", "SELECT * FROM crime"]);
    assert!(
        stderr(&out).contains("did you mean `crimes`?"),
        "{}",
        stderr(&out)
    );
    let out = soteria(&["query", "--format", "csv", "SELECT 1 AS one"]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "one\n1\n");
    let w = Work::new();
    let sql = w.write("q.sql", "SELECT count(*) AS n FROM offences;\n");
    assert!(ok(&["query", "--file", sql.to_str().unwrap(), "--format", "csv"]).starts_with("n\n"));
}

#[test]
fn the_shell_reads_statements_and_dot_commands() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let dir = repo("tests/data/handmade");
    let mut child = Command::new(env!("CARGO_BIN_EXE_soteria"))
        .args([
            "query",
            "--data",
            dir.to_str().unwrap(),
            "--as-at",
            "2024-03-31",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let w = Work::new();
    let file = w.path("out.csv");
    let script = format!(
        ".tables\nSELECT count(*) AS n\nFROM crimes\nWHERE is_open;\n.format csv\nSELECT crime_id FROM crimes ORDER BY crime_id LIMIT 2;\n.output {}\nSELECT 7 AS seven;\n.output\n.schema staf\nSELECT nope FROM offences;\n.quit\nSELECT 'not reached';\n",
        file.display()
    );
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("crimes\nevents\n"), "{stdout}");
    assert!(
        stdout.contains("n\n-\n2\n(1 row)"),
        "a statement over three lines: {stdout}"
    );
    assert!(stdout.contains("crime_id\nA1\nA2\n"), "{stdout}");
    assert!(!stdout.contains("not reached"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "seven\n7\n");
    assert!(stderr.contains("did you mean `staff`?"), "{stderr}");
    assert!(
        stderr.contains("did you mean `none`?") || stderr.contains("nope"),
        "{stderr}"
    );
}
