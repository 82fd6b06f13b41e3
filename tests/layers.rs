//! The library's layers depend downwards only: a test reads every `crate::` path in
//! `src/` and fails when a module names one above it (or `cli`, which only the binary
//! may). The order is the README's layout, lowest first.
use crate::common::repo;
use std::path::Path;

const LAYERS: &[&str] = &[
    "util",
    "format",
    "docx",
    "error",
    "output",
    "schema",
    "stats",
    "charts",
    "ingest",
    "synth",
    "model",
    "indicators",
    "profile",
    "query",
    "figures",
    "assurance",
    "report",
    "opendata",
    "cli",
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn modules_depend_only_on_layers_below_them() {
    let src = repo("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut violations = Vec::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if top == "lib" || top == "main" {
            continue;
        }
        let rank = LAYERS
            .iter()
            .position(|l| *l == top)
            .unwrap_or_else(|| panic!("src/{top} is in no layer: add it to LAYERS and the README"));
        let text = std::fs::read_to_string(&file).unwrap();
        for (at, _) in text.match_indices("crate::") {
            let name: String = text[at + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let Some(other) = LAYERS.iter().position(|l| *l == name) else {
                continue;
            };
            if other > rank {
                violations.push(format!("src/{} names crate::{name}", rel.display()));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "upward imports:\n{}",
        violations.join("\n")
    );
}
