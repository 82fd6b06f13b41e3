//! Helpers: a temporary work folder and a runner for the real binary.
#![allow(dead_code)]
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Work {
    pub dir: tempfile::TempDir,
}

impl Work {
    pub fn new() -> Work {
        Work {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, contents).unwrap();
        p
    }
}

pub fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

pub fn soteria(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_soteria"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the soteria binary runs")
}

/// Runs and insists on success, returning stdout.
pub fn ok(args: &[&str]) -> String {
    let out = soteria(args);
    assert!(
        out.status.success(),
        "soteria {args:?} failed with {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn json(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(args)).expect("JSON output")
}

/// The validate report's table entry.
pub fn table<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == name)
        .unwrap_or_else(|| panic!("no table {name} in {report}"))
}

/// Runs a command on the hand-built dataset (tests/data/handmade) as at 2024-03-31 and
/// returns its JSON rows; `args[0]` is the subcommand.
pub fn handmade_json(args: &[&str]) -> Vec<serde_json::Value> {
    let dir = repo("tests/data/handmade");
    let mut all = vec![
        args[0],
        "--data",
        dir.to_str().unwrap(),
        "--as-at",
        "2024-03-31",
        "--format",
        "json",
    ];
    all.extend_from_slice(&args[1..]);
    json(&all).as_array().unwrap().clone()
}

/// Validates a dataset that must load with no quarantined row, and returns the report.
pub fn validate_clean(dir: &Path) -> serde_json::Value {
    let report = json(&[
        "validate",
        "--data",
        dir.to_str().unwrap(),
        "--format",
        "json",
    ]);
    conserved(&report);
    for t in report["tables"].as_array().unwrap() {
        assert_eq!(t["rows_quarantined"], 0, "{t}");
    }
    report
}

pub fn conserved(report: &serde_json::Value) {
    for t in report["tables"].as_array().unwrap() {
        let read = t["rows_read"].as_u64().unwrap();
        let loaded = t["rows_loaded"].as_u64().unwrap();
        let quarantined = t["rows_quarantined"].as_u64().unwrap();
        assert_eq!(read, loaded + quarantined, "conservation fails for {t}");
        let by_rule: u64 = t["rules"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert_eq!(by_rule, quarantined, "rules do not add up for {t}");
    }
}

/// The forces of a dataset, in order, as `soteria query` lists them.
pub fn forces(data: &str) -> Vec<String> {
    ok(&[
        "query",
        "--data",
        data,
        "--format",
        "csv",
        "select distinct force from offences order by force",
    ])
    .lines()
    .skip(1)
    .map(str::to_string)
    .collect()
}

/// Runs and insists on a failure with exit `code`, no panic, and a message that says
/// `says`; returns the message.
pub fn fails(args: &[&str], code: i32, says: &str) -> String {
    let out = soteria(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(code), "soteria {args:?}: {err}");
    assert!(
        err.contains(says),
        "soteria {args:?} should say `{says}`: {err}"
    );
    assert!(
        !err.contains("panicked"),
        "soteria {args:?} panicked: {err}"
    );
    err
}

/// Insists that `made` equals `committed`, and on failure shows a unified diff of the
/// first lines that differ (text) rather than "bytes differ"; `fix` says how to refresh.
pub fn assert_same(committed: &[u8], made: &[u8], what: &str, fix: &str) {
    if committed == made {
        return;
    }
    match (std::str::from_utf8(committed), std::str::from_utf8(made)) {
        (Ok(a), Ok(b)) => {
            let diff = similar::TextDiff::from_lines(a, b)
                .unified_diff()
                .context_radius(2)
                .header(
                    &format!("{what} (committed)"),
                    &format!("{what} (made now)"),
                )
                .to_string();
            let shown: String = diff.lines().take(80).collect::<Vec<_>>().join("\n");
            panic!("{what} differs: {fix}\n{shown}");
        }
        _ => panic!(
            "{what} differs ({} bytes committed, {} made): {fix}",
            committed.len(),
            made.len()
        ),
    }
}

/// A generated dataset of Cleveland, Durham and Cumbria in `w` (folder `three`):
/// `months` from `start`, with `seed`, written as `format` (parquet or csv).
pub fn three_forces(w: &Work, start: &str, months: u32, seed: u32, format: &str) -> PathBuf {
    let data = w.path("three");
    let (months, seed) = (months.to_string(), seed.to_string());
    ok(&[
        "generate",
        "--forces",
        "Cleveland,Durham,Cumbria",
        "--start",
        start,
        "--months",
        &months,
        "--seed",
        &seed,
        "--format",
        format,
        "--out",
        data.to_str().unwrap(),
    ]);
    data
}

/// A copy of the sample as a version 1 extract: `staff` without `orders_training_date`.
pub fn version_1_copy(w: &Work) -> PathBuf {
    use polars::prelude::*;
    let dir = w.path("v1");
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(repo("datasets/sample")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap();
        if name == "staff.parquet" {
            let mut staff = ParquetReader::new(std::fs::File::open(&path).unwrap())
                .finish()
                .unwrap()
                .drop("orders_training_date")
                .unwrap();
            ParquetWriter::new(std::fs::File::create(dir.join(name)).unwrap())
                .finish(&mut staff)
                .unwrap();
        } else {
            std::fs::copy(&path, dir.join(name)).unwrap();
        }
    }
    dir
}
