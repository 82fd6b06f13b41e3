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

/// Issue 14, items 12, 15 and 20: far dates, duplicate keys outside offences and
/// integers written as floats.
#[test]
fn far_dates_duplicate_keys_and_integral_floats() {
    let w = Work::new();
    let rows = vec![
        offence("C1", "19C", "2024-01-02", "2024-01-03"),
        // "unknown" written as 9999-12-31 (a recorded date after its report, so only
        // the range rule can catch it).
        offence("C2", "19C", "2024-01-02", "9999-12-31"),
        offence("C3", "19C", "1850-01-02", "2024-01-03"),
        // dated after the day of the run (and before 2100): loaded, with a warning
        offence("C6", "19C", "2098-01-02", "2098-01-03"),
        // pandas writes an integer column with nulls as floats
        offence("C4", "19C", "2024-01-02", "2024-01-03").replace(",24,", ",30.0,"),
        offence("C5", "19C", "2024-01-02", "2024-01-03").replace(",24,", ",30.5,"),
    ];
    w.write("d/offences.csv", offences_csv(&rows));
    w.write(
        "d/staff.csv",
        "officer_id,force,team,role,start_date,end_date,rasso_training_date,wow_training_date,last_wellbeing_review\n\
         O1,Cleveland,Team A,detective,2020-01-01,,,,\n\
         O1,Cleveland,Team A,trainee,2021-01-01,,,,\n\
         O2,Cleveland,Team A,detective,2020-01-01,,,,\n",
    );
    w.write(
        "d/feedback.csv",
        "response_id,crime_id,force,survey_date,treated_fairly,kept_informed,confidence_to_report,overall_satisfaction\n\
         F1,C1,Cleveland,2024-02-01,4,4,4,4\n\
         F1,C1,Cleveland,2024-02-02,1,1,1,1\n",
    );
    let report = validate_json(&w.path("d"));
    conserved(&report);
    let t = table(&report, "offences");
    assert_eq!(t["rules"]["date_out_of_range"], 2, "{t}");
    assert_eq!(t["rules"]["bad_type"], 1, "30.5 is not an integer: {t}");
    assert_eq!(t["rows_loaded"], 3, "{t}");
    assert_eq!(t["future_dated_rows"], 1, "{t}");
    let s = table(&report, "staff");
    assert_eq!(s["rules"]["duplicate_officer_id"], 1, "{s}");
    assert_eq!(s["rows_loaded"], 2);
    let f = table(&report, "feedback");
    assert_eq!(f["rules"]["duplicate_response_id"], 1, "{f}");
    // The later row is the duplicate: the first response's scores load.
    let q = ok(&[
        "query",
        "--data",
        w.path("d").to_str().unwrap(),
        "--format",
        "csv",
        "SELECT treated_fairly FROM feedback",
    ]);
    assert_eq!(q, "treated_fairly\n4\n");
    let age = ok(&[
        "query",
        "--data",
        w.path("d").to_str().unwrap(),
        "--format",
        "csv",
        "SELECT victim_age FROM offences WHERE crime_id = 'C4'",
    ]);
    assert_eq!(age, "victim_age\n30\n");
}

/// Issue 14, items 8 and 11: Parquet values the standard's types cannot hold (a uint64
/// past i64, a timestamp or a date32 beyond the calendar) are quarantined with the row
/// named, never a null and never a panic.
#[test]
fn parquet_values_that_cannot_be_converted_are_quarantined() {
    use polars::prelude::*;
    let w = Work::new();
    let sample = repo("datasets/sample/offences.parquet");
    let mut df = ParquetReader::new(std::fs::File::open(&sample).unwrap())
        .finish()
        .unwrap()
        .head(Some(5));
    let n = df.height();
    let ages: Vec<u64> = (0..n as u64)
        .map(|i| if i == 1 { u64::MAX } else { 30 + i })
        .collect();
    df.with_column(Column::new("victim_age".into(), ages))
        .unwrap();
    let day: Vec<i32> = (0..n as i32)
        .map(|i| if i == 2 { 99_000_000 } else { 19_723 })
        .collect();
    df.with_column(
        Column::new("offence_date".into(), day)
            .cast(&DataType::Date)
            .unwrap(),
    )
    .unwrap();
    let micros: Vec<i64> = (0..n as i64)
        .map(|i| {
            if i == 3 {
                1i64 << 62
            } else {
                1_704_240_000_000_000
            }
        })
        .collect();
    df.with_column(
        Column::new("recorded_date".into(), micros)
            .cast(&DataType::Datetime(TimeUnit::Microseconds, None))
            .unwrap(),
    )
    .unwrap();
    std::fs::create_dir_all(w.path("p")).unwrap();
    let file = std::fs::File::create(w.path("p/offences.parquet")).unwrap();
    ParquetWriter::new(file).finish(&mut df).unwrap();
    let report = validate_json(&w.path("p"));
    conserved(&report);
    let t = table(&report, "offences");
    assert_eq!(t["rows_read"], n as u64);
    assert_eq!(t["rules"]["bad_type"], 1, "{t}");
    assert_eq!(t["rules"]["date_out_of_range"], 2, "{t}");
    let q = w.path("q");
    ok(&[
        "validate",
        "--data",
        w.path("p").to_str().unwrap(),
        "--quarantine",
        q.to_str().unwrap(),
    ]);
    let quarantine = std::fs::read_to_string(q.join("offences.csv")).unwrap();
    assert!(
        quarantine.contains("victim_age,18446744073709551615"),
        "{quarantine}"
    );
    assert!(
        quarantine.contains("day 99000000 after 1970-01-01"),
        "{quarantine}"
    );
}
