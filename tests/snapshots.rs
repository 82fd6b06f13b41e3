//! Snapshots of text outputs (`insta`): a change shows as a diff of the lines that moved.
//! Refresh after a deliberate change with `INSTA_UPDATE=always cargo test snapshots`
//! (or `cargo insta review`), and read the diff before committing it.
use crate::common::*;

/// The flight deck of a generated three-force year, with SPC columns: the engine's whole
/// output on data nobody tuned it on, byte for byte.
#[test]
fn flight_deck_of_a_generated_three_force_year() {
    let w = Work::new();
    let data = three_forces(&w, "2023-01", 12, 7, "csv");
    let deck = ok(&[
        "flightdeck",
        "--data",
        data.to_str().unwrap(),
        "--spc",
        "--format",
        "csv",
    ]);
    insta::assert_snapshot!("flightdeck_three_forces", deck);
}

/// The summary view of the sample's December 2024: values, status, variation, assurance.
#[test]
fn summary_of_the_sample() {
    let summary = ok(&["flightdeck", "--summary", "--month", "2024-12"]);
    insta::assert_snapshot!("summary_sample_2024_12", summary);
}

#[test]
fn profile_of_the_sample() {
    let profile = ok(&["profile", "--from", "2024-01", "--to", "2024-12"]);
    insta::assert_snapshot!("profile_sample_2024", profile);
}

#[test]
fn validation_report_of_the_sample() {
    let report = ok(&["validate"]);
    insta::assert_snapshot!("validate_sample", report);
}

#[test]
fn indicator_catalogue() {
    insta::assert_snapshot!("catalogue", ok(&["indicators"]));
    insta::assert_snapshot!("catalogue_csv", ok(&["indicators", "--format", "csv"]));
}

/// The assurance view of the sample's December 2024: verdicts, evidence, investigators by
/// team and the scrutiny themes.
#[test]
fn assurance_of_the_sample() {
    let view = ok(&["assurance", "--month", "2024-12", "--format", "markdown"]);
    insta::assert_snapshot!("assurance_sample_2024_12", view);
}
