//! The extract standard: the generated docs are in sync with the code, datasets written
//! by other programs load cleanly, and a force export loads through a mapping file.
use crate::common::*;

#[test]
fn docs_data_standard_is_generated_from_the_code() {
    let rendered = ok(&["schema", "--format", "markdown"]);
    let committed = std::fs::read_to_string(repo("docs/data-standard.md")).unwrap();
    assert_same(
        committed.as_bytes(),
        rendered.as_bytes(),
        "docs/data-standard.md",
        "run `soteria schema --format markdown > docs/data-standard.md`",
    );
    let table = ok(&["schema"]);
    assert!(table.contains("offences [required]") && table.contains("victim_age"));
}

#[test]
fn foreign_csv_and_parquet_load_with_zero_quarantine() {
    for fmt in ["csv", "parquet"] {
        let dir = repo(&format!("tests/data/foreign/{fmt}"));
        let report = validate_clean(&dir);
        let tables = report["tables"].as_array().unwrap();
        assert_eq!(tables.len(), 7, "{fmt}: all seven tables found");
        for t in tables {
            assert!(t["rows_loaded"].as_u64().unwrap() > 0);
        }
        assert_eq!(table(&report, "offences")["rows_loaded"], 40);
    }
}

#[test]
fn force_export_loads_through_the_example_mapping() {
    let report = json(&[
        "validate",
        "--data",
        "datasets/mappings/example-force-export",
        "--mapping",
        "datasets/mappings/example-force.toml",
        "--format",
        "json",
    ]);
    conserved(&report);
    let off = table(&report, "offences");
    assert_eq!(off["rows_loaded"], 4, "{off}");
    assert_eq!(off["rows_quarantined"], 0, "{off}");
    assert_eq!(table(&report, "outcomes")["rows_loaded"], 3);
    // Without the mapping the export cannot be found at all.
    let out = soteria(&[
        "validate",
        "--data",
        "datasets/mappings/example-force-export",
    ]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_bad_mapping_file_is_reported() {
    let w = Work::new();
    let m = w.write("m.toml", "[colums]\ncrime_id = \"Ref\"\n");
    let out = soteria(&["validate", "--mapping", m.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("m.toml"), "{}", stderr(&out));
}

#[test]
fn docs_indicators_is_generated_from_the_registry() {
    let rendered = ok(&["indicators", "--format", "markdown"]);
    let committed = std::fs::read_to_string(repo("docs/indicators.md")).unwrap();
    assert_same(
        committed.as_bytes(),
        rendered.as_bytes(),
        "docs/indicators.md",
        "run `soteria indicators --format markdown > docs/indicators.md`",
    );
    // Every table row has as many cells as its header: no `|` breaks a row.
    let mut columns = 0;
    for line in committed.lines().filter(|l| l.starts_with('|')) {
        let cells = line.replace("\\|", "").matches('|').count();
        if line.starts_with("| id |") {
            columns = cells;
        }
        assert_eq!(cells, columns, "a broken table row: {line}");
    }
}
