//! Loading and validation: each bad input of issue 2 gets a clear message or a
//! quarantine entry, never a panic, and rows read = rows loaded + rows quarantined.
use crate::common::*;

pub const OFFENCES_HEADER: &str = "crime_id,force,area,team,officer_id,offence_code,reported_date,recorded_date,offence_date,offence_hour,victim_id,victim_sex,victim_age,victim_ethnicity,relationship,location_type,domestic_abuse,online_facilitated,alcohol_involved,drugs_involved,victim_vulnerable,word_on_word,lsoa_code";

/// A valid offences row with the given id, code and dates.
pub fn offence(id: &str, code: &str, reported: &str, recorded: &str) -> String {
    format!(
        "{id},Cleveland,North,Team A,O1,{code},{reported},{recorded},{reported},22,V{id},F,24,white,acquaintance,dwelling,false,false,true,false,false,true,E01000001"
    )
}

fn offences_csv(rows: &[String]) -> String {
    let mut s = String::from(OFFENCES_HEADER);
    s.push('\n');
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

fn validate_json(dir: &std::path::Path) -> serde_json::Value {
    json(&[
        "validate",
        "--data",
        dir.to_str().unwrap(),
        "--format",
        "json",
    ])
}

#[test]
fn clean_csv_loads_with_no_quarantine() {
    let w = Work::new();
    w.write(
        "d/offences.csv",
        offences_csv(&[offence("C1", "19C", "2024-01-02", "2024-01-03")]),
    );
    w.write(
        "d/outcomes.csv",
        "crime_id,outcome_type,outcome_date\nC1,15,2024-03-01\n",
    );
    let report = validate_json(&w.path("d"));
    conserved(&report);
    assert_eq!(table(&report, "offences")["rows_loaded"], 1);
    assert_eq!(table(&report, "outcomes")["rows_loaded"], 1);
}

#[test]
fn every_bad_row_is_quarantined_with_its_rule() {
    let w = Work::new();
    let good = offence("C1", "19C", "2024-01-02", "2024-01-03");
    let rows = vec![
        good.clone(),
        // a duplicate crime_id: the first clean row wins
        offence("C1", "20A", "2024-01-02", "2024-01-03"),
        // wrong type in a cell
        offence("C2", "19C", "2024-01-02", "2024-01-03").replace(",24,", ",twenty,"),
        // unknown code
        offence("C3", "99Z", "2024-01-02", "2024-01-03"),
        // age out of range
        offence("C4", "19C", "2024-01-02", "2024-01-03").replace(",24,", ",130,"),
        // dates out of order: recorded before reported
        offence("C5", "19C", "2024-01-05", "2024-01-03"),
        // a missing required value
        offence("C6", "19C", "2024-01-02", "2024-01-03").replace(",F,", ",,"),
        // a row of only NAs
        vec!["NA"; 23].join(","),
        // a very long field, kept as an extra-long area name
        offence("C7", "19C", "2024-01-02", "2024-01-03")
            .replace(",North,", &format!(",{},", "N".repeat(100_000))),
    ];
    w.write("d/offences.csv", offences_csv(&rows) + "\n");
    w.write(
        "d/outcomes.csv",
        "crime_id,outcome_type,outcome_date\nC1,15,2024-03-01\nNOPE,15,2024-03-01\nC1,1,2023-12-01\n",
    );
    let q = w.path("q");
    let out = soteria(&[
        "validate",
        "--data",
        w.path("d").to_str().unwrap(),
        "--format",
        "json",
        "--quarantine",
        q.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    conserved(&report);
    let off = table(&report, "offences");
    // The blank line at the end is read as a row of nothing and quarantined as empty.
    assert_eq!(off["rows_read"], 10);
    assert_eq!(off["rows_loaded"], 2, "C1 and C7 load: {off}");
    for (rule, n) in [
        ("duplicate_crime_id", 1),
        ("bad_type", 1),
        ("unknown_code", 1),
        ("out_of_range", 1),
        ("date_order", 1),
        ("missing_value", 1),
        ("empty_row", 2),
    ] {
        assert_eq!(off["rules"][rule], n, "rule {rule}: {off}");
    }
    let outc = table(&report, "outcomes");
    assert_eq!(outc["rules"]["orphan_crime_id"], 1);
    assert_eq!(outc["rules"]["date_order"], 1);
    let quarantined = std::fs::read_to_string(q.join("offences.csv")).unwrap();
    assert!(quarantined.starts_with("source_row,rule,column,value,crime_id"));
    assert!(
        quarantined.contains("3,bad_type,victim_age,twenty,C2"),
        "{quarantined}"
    );
    assert!(quarantined.contains("4,unknown_code,offence_code,99Z,C3"));
    // stderr carries the one-line summary
    assert!(stderr(&out).contains("rows quarantined"));
}

#[test]
fn unloadable_inputs_exit_1_with_a_message() {
    let w = Work::new();
    // no offences at all
    std::fs::create_dir_all(w.path("none")).unwrap();
    let out = soteria(&["validate", "--data", w.path("none").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no `offences` table"));
    // an empty file
    w.write("empty/offences.csv", "");
    let out = soteria(&["validate", "--data", w.path("empty").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("empty"), "{}", stderr(&out));
    // a missing required column, with a suggestion
    let header = OFFENCES_HEADER.replace("victim_sex", "victim_sx");
    w.write("missing/offences.csv", format!("{header}\n"));
    let out = soteria(&["validate", "--data", w.path("missing").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("`victim_sex`") && err.contains("victim_sx") && err.contains("offences.csv"),
        "{err}"
    );
    // a file that is neither CSV nor Parquet nor Arrow
    w.write("binary/offences.parquet", b"\x00\x01\x02 not parquet");
    let out = soteria(&["validate", "--data", w.path("binary").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not a Parquet file"));
    w.write("binary2/offences.csv", b"PK\x03\x04\x00\x00binary");
    let out = soteria(&["validate", "--data", w.path("binary2").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    // usage errors exit 2
    let out = soteria(&["validate", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn header_only_bom_crlf_windows_1252_and_extra_columns() {
    let w = Work::new();
    w.write("h/offences.csv", format!("{OFFENCES_HEADER}\n"));
    let report = validate_json(&w.path("h"));
    assert_eq!(table(&report, "offences")["rows_read"], 0);

    // BOM, CRLF line ends, a quoted field with a comma and a newline, an extra column,
    // and a Windows-1252 byte (0xE9, e acute) in a free-text field.
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(format!("{OFFENCES_HEADER},note\r\n").as_bytes());
    let row = offence("C1", "19C", "2024-01-02", "2024-01-03")
        .replace(",North,", ",\"North, East\nDistrict\",");
    bytes.extend_from_slice(format!("{row},caf").as_bytes());
    bytes.push(0xE9);
    bytes.extend_from_slice(b"\r\n");
    w.write("b/offences.csv", &bytes);
    let report = validate_json(&w.path("b"));
    conserved(&report);
    let t = table(&report, "offences");
    assert_eq!(t["rows_loaded"], 1, "{t}");
    assert_eq!(t["extra_columns"][0], "note");
    assert_eq!(t["repairs"]["decoded_as_windows_1252"], 1);
    assert_eq!(t["repairs"]["utf8_bom_removed"], 1);
}

/// Issue 14, items 10 and 18: an error says its cause once, and a failed write to stdout
/// is a message and exit 1, never a panic (a closed pipe is success).
#[test]
fn causes_are_said_once_and_stdout_failures_are_errors() {
    let out = soteria(&["validate", "--data", "/nonexistent-soteria-folder"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.matches("not found").count(), 1, "{err}");
    assert!(err.contains("/nonexistent-soteria-folder"), "{err}");

    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    for args in [
        vec!["validate", "--format", "json"],
        vec!["indicators"],
        vec!["schema"],
        vec!["stats", "ci", "--x", "3", "--n", "10"],
        vec!["flightdeck", "--indicators", "recorded", "--format", "csv"],
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_soteria"))
            .args(&args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(full.try_clone().unwrap())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("No space left on device"), "{args:?}");
        assert!(!stderr(&out).contains("panicked"), "{args:?}");
    }
}
