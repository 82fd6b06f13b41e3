//! The one integration-test binary: every module runs the real `soteria` binary on small
//! datasets in a temporary folder (one binary, because each links polars).
mod common;

/// The inspection's recommendations, evidenced: verdicts, missing data, change.
mod assurance;
/// Charts: SVG parsed, PNG decoded, byte-identical reruns.
mod charts;
/// The flight deck explorer: one offline page, disclosure control in its data.
mod explorer;
/// The flight deck on a hand-built dataset, every number worked out by hand.
mod flightdeck;
/// The synthetic generator: determinism and realism.
mod generator;
/// Every example in every `--help` runs against the bundled data.
mod help;
/// The layers of `src/` depend downwards only.
mod layers;
/// Thousands of random mutations of an extract: no panic, rows conserved.
mod mutations;
/// Home Office outcomes open data and the national comparison.
mod opendata;
/// The problem profile, repeat-suspect register and scrutiny sample.
mod profile;
/// SQL over the tables and views.
mod query;
/// The monthly report: formats, determinism, disclosure control, PDF.
mod report;
/// Nothing lost, nobody let in: regressions for the defects a hostile read found.
mod safety;
/// Snapshots of text outputs: a failure shows its diff.
mod snapshots;
/// The extract standard: docs in sync, foreign datasets load cleanly, mappings work.
mod standard;
/// Statistics from the command line against reference values from outside the project.
mod statistics;
/// Loading and validation: every bad input of issue 2 and the conservation rule.
mod validation;
