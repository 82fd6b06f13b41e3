//! The monthly report: every format, byte-identical reruns, whole-or-nothing writing,
//! disclosure control (no identifier, no count from 1 to 4), and the PDF from Chromium.
use crate::common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// The entries of a zip file (an .xlsx), inflated.
fn unzip(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut pos = 0;
    while pos + 30 <= bytes.len() && bytes[pos..pos + 4] == [0x50, 0x4B, 0x03, 0x04] {
        let u16_at = |o: usize| u16::from_le_bytes([bytes[o], bytes[o + 1]]) as usize;
        let u32_at = |o: usize| u32::from_le_bytes(bytes[o..o + 4].try_into().unwrap()) as usize;
        let method = u16_at(pos + 8);
        let flags = u16_at(pos + 6);
        let mut size = u32_at(pos + 18);
        let name_len = u16_at(pos + 26);
        let extra_len = u16_at(pos + 28);
        let name = String::from_utf8_lossy(&bytes[pos + 30..pos + 30 + name_len]).into_owned();
        let start = pos + 30 + name_len + extra_len;
        let data: Vec<u8> = if method == 8 {
            let mut d = flate2::read::DeflateDecoder::new(&bytes[start..]);
            let mut v = Vec::new();
            std::io::Read::read_to_end(&mut d, &mut v).unwrap();
            if flags & 8 != 0 {
                // Sizes follow the data: find the compressed length by deflating again.
                let mut z = flate2::read::DeflateDecoder::new(&bytes[start..]);
                std::io::copy(&mut z, &mut std::io::sink()).unwrap();
                size = z.total_in() as usize;
            }
            v
        } else {
            bytes[start..start + size].to_vec()
        };
        out.insert(name, String::from_utf8_lossy(&data).into_owned());
        pos = start + size + if flags & 8 != 0 { 16 } else { 0 };
    }
    out
}

/// Every identifier of the input: crime, victim, suspect, officer and response ids.
fn identifiers(data: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for (table, column) in [
        ("offences", "crime_id"),
        ("offences", "victim_id"),
        ("offences", "officer_id"),
        ("suspects", "suspect_id"),
        ("staff", "officer_id"),
        ("feedback", "response_id"),
    ] {
        let csv = ok(&[
            "query",
            "--data",
            data,
            "--format",
            "csv",
            &format!("select distinct {column} from {table} where {column} is not null"),
        ]);
        ids.extend(csv.lines().skip(1).map(str::to_string));
    }
    assert!(ids.len() > 100, "identifiers found: {}", ids.len());
    ids
}

fn tokens(text: &str) -> BTreeSet<&str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|t| !t.is_empty())
        .collect()
}

fn report(out: &Path, extra: &[&str]) -> String {
    let mut args = vec![
        "report",
        "--month",
        "2024-12",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    let o = soteria(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    stderr(&o)
}

#[test]
fn the_report_has_every_format_and_is_identical_on_a_rerun() {
    let w = Work::new();
    let notes = w.write("notes.csv", "date,label\n2023-04-01,New RASSO team\n");
    let targets = w.write("targets.toml", "[rape]\ncharge_rate_closed = 0.1\n");
    let extra = [
        "--annotations",
        notes.to_str().unwrap(),
        "--targets",
        targets.to_str().unwrap(),
    ];
    let (a, b) = (w.path("a"), w.path("b"));
    let said = report(&a, &extra);
    assert!(
        said.contains("report for Cleveland 2024-12 written to"),
        "{said}"
    );
    report(&b, &extra);
    let (fa, fb) = (files_under(&a), files_under(&b));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (name, bytes) in &fa {
        assert!(bytes == &fb[name], "{name} differs between runs");
    }
    for name in [
        "index.html",
        "report.md",
        "kpis.xlsx",
        "flightdeck.csv",
        "profile.csv",
        "manifest.json",
        "charts/charge_rate_rape_spc.svg",
        "charts/charge_rate_rape_spc.png",
        "charts/charge_rate_rape_spc.txt",
        "charts/pillar1.svg",
        "charts/pillar6.png",
        "charts/outcomes.svg",
        "charts/attrition.svg",
        "charts/relationship.svg",
        "charts/victims_pyramid.svg",
        "charts/heatmap.svg",
    ] {
        assert!(fa.contains_key(name), "{name} missing from {:?}", fa.keys());
    }

    // Self-contained HTML: styles and charts inline, nothing fetched.
    let html = String::from_utf8(fa["index.html"].clone()).unwrap();
    for external in [
        "http://", "https://", "src=", "<link", "<script", "@import", "url(",
    ] {
        let allowed = external == "http://"
            && html.matches(external).count()
                == html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count();
        assert!(
            !html.contains(external) || allowed,
            "index.html has {external}"
        );
    }
    assert!(html.contains("<h1>Cleveland: December 2024</h1>"));
    // Every chart inline, once; the icons as symbols drawn once and used by name.
    assert_eq!(
        html.matches(" aria-labelledby=\"").count(),
        fa.keys()
            .filter(|k| k.ends_with(".svg") && !k.starts_with("charts/icons/"))
            .count()
    );
    assert_eq!(html.matches("<symbol id=").count(), 10);
    let uses = html.matches("<use href=\"#").count();
    assert!(uses > 100, "the summary shows an icon per row: {uses}");
    assert_eq!(
        html.matches("<svg class=\"icon\"").count(),
        html.matches("<svg class=\"icon\" width=\"24\" height=\"24\" viewBox=\"0 0 48 48\" role=\"img\" aria-label=\"").count(),
        "every icon is named for screen readers"
    );
    assert!(html.contains("aria-label=\"Special cause concern (high)\""));
    assert!(html.contains("aria-label=\"Common cause variation\""));
    assert_eq!(
        fa.keys().filter(|k| k.starts_with("charts/icons/")).count(),
        10
    );
    assert!(
        html.contains("Target 10.0%"),
        "the target is drawn on the SPC chart"
    );
    assert!(html.contains("New RASSO team"), "the annotation is drawn");
    // Every pillar section, the profile, quality, definitions and methods.
    for id in [
        "summary",
        "pillar-1",
        "pillar-6",
        "outcomes",
        "profile",
        "quality",
        "definitions",
        "methods",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "section {id}");
    }
    let md = String::from_utf8(fa["report.md"].clone()).unwrap();
    assert!(md.contains("![") && md.contains("](charts/pillar1.svg)"));

    // The manifest names the inputs with their hashes and every output.
    let manifest: serde_json::Value = serde_json::from_slice(&fa["manifest.json"]).unwrap();
    assert_eq!(manifest["as_at"], "2024-12-31");
    assert_eq!(manifest["parameters"]["targets"]["file"], "targets.toml");
    let inputs = manifest["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 7);
    for i in inputs {
        let file = repo("datasets/sample").join(i["file"].as_str().unwrap());
        let hash = sha_hex(&std::fs::read(&file).unwrap());
        assert_eq!(i["sha256"].as_str().unwrap(), hash, "{}", file.display());
        assert_eq!(i["rows_quarantined"], 0);
    }
    assert_eq!(
        sha_hex(&fa["kpis.xlsx"]),
        manifest["outputs"]["kpis.xlsx"].as_str().unwrap()
    );

    // The workbook has its five sheets, frozen headers and filters.
    let xlsx = unzip(&fa["kpis.xlsx"]);
    let workbook = &xlsx["xl/workbook.xml"];
    for sheet in [
        "Summary",
        "Flight deck",
        "Profile",
        "Data quality",
        "Definitions",
    ] {
        assert!(
            workbook.contains(&format!("name=\"{sheet}\"")),
            "{sheet} in {workbook}"
        );
    }
    let sheet1 = &xlsx["xl/worksheets/sheet1.xml"];
    assert!(sheet1.contains("state=\"frozen\"") && sheet1.contains("<autoFilter"));
    assert!(xlsx["xl/styles.xml"].contains("0.0%"));
}

fn sha_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Columns of a CSV by name.
fn csv_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    let rows = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn assert_published(dir: &Path, data: &str) {
    let files = files_under(dir);
    // No person identifier in any file, the workbook's sheets included.
    let ids = identifiers(data);
    for (name, bytes) in &files {
        let texts: Vec<String> = if name.ends_with(".xlsx") {
            unzip(bytes).into_values().collect()
        } else if name.ends_with(".png") {
            // A PNG's only text is its tEXt chunks, which the .txt beside it repeats.
            continue;
        } else {
            vec![String::from_utf8_lossy(bytes).into_owned()]
        };
        for text in texts {
            let found: Vec<&str> = tokens(&text)
                .into_iter()
                .filter(|t| ids.contains(*t))
                .take(3)
                .collect();
            assert!(found.is_empty(), "{name} holds identifiers {found:?}");
        }
    }
    // No count from 1 to 4 in the tables.
    let small = |v: &str| v.parse::<f64>().is_ok_and(|x| (1.0..5.0).contains(&x));
    let (header, rows) = csv_rows(std::str::from_utf8(&files["flightdeck.csv"]).unwrap());
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let mut suppressed = 0;
    for r in &rows {
        for c in ["numerator", "denominator"] {
            assert!(!small(&r[col(c)]), "flightdeck {c} {r:?}");
        }
        let unit = soteria::indicators::registry::find(&r[col("indicator")])
            .unwrap()
            .unit;
        if unit == soteria::indicators::registry::Unit::Count {
            assert!(!small(&r[col("value")]), "count value {r:?}");
        }
        suppressed += r.iter().filter(|v| *v == "<5" || *v == "[c]").count();
    }
    assert!(suppressed > 0, "something is suppressed");
    let (header, rows) = csv_rows(std::str::from_utf8(&files["profile.csv"]).unwrap());
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    for r in &rows {
        for c in ["count", "prev_count"] {
            assert!(!small(&r[col(c)]), "profile {c} {r:?}");
        }
    }
    // Secondary suppression: in no (section, dimension) is exactly one count withheld.
    let mut withheld: BTreeMap<(String, String), usize> = BTreeMap::new();
    for r in &rows {
        if r[col("category")] != "_all" && (r[col("count")] == "<5" || r[col("count")] == "[c]") {
            *withheld.entry((r[0].clone(), r[1].clone())).or_default() += 1;
        }
    }
    assert!(withheld.values().all(|n| *n != 1), "{withheld:?}");
    // The register and the sample are not in a published report.
    let html = String::from_utf8_lossy(&files["index.html"]).into_owned();
    assert!(html.contains("Published version"));
    assert!(!html.to_lowercase().contains("repeat-suspect register for"));
}

#[test]
fn a_published_report_has_no_identifier_and_no_small_count() {
    let w = Work::new();
    let out = w.path("published");
    report(&out, &["--publish"]);
    assert_published(&out, "datasets/sample");
    // The default folder name says it is the published version.
    let o = soteria(&[
        "report",
        "--month",
        "2024-12",
        "--publish",
        "--suppress-below",
        "1",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn three_forces_each_get_a_published_report() {
    let w = Work::new();
    let data = w.path("three");
    let d = data.to_str().unwrap();
    ok(&[
        "generate", "--forces", "3", "--start", "2022-01", "--months", "36", "--seed", "11",
        "--out", d,
    ]);
    let o = soteria(&[
        "report",
        "--data",
        d,
        "--month",
        "2024-06",
        "--out",
        w.path("x").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "several forces need --force");
    let forces: Vec<String> = forces(d);
    for (i, force) in forces.iter().enumerate() {
        let out = w.path(&format!("r{i}"));
        let month = ["2023-03", "2024-06", "2024-12"][i % 3];
        let o = soteria(&[
            "report",
            "--data",
            d,
            "--force",
            force,
            "--month",
            month,
            "--publish",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{force} {month}: {}", stderr(&o));
        assert_published(&out, d);
    }
}

#[test]
fn a_failed_run_leaves_no_half_report() {
    let w = Work::new();
    let out = w.path("reports/Cleveland/2030-01");
    let o = soteria(&[
        "report",
        "--month",
        "2030-01",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!out.exists());
    // A good run replaces an old report (a folder with Soteria's manifest) whole; no
    // temporary folder is left beside it. A file the user added to it is not Soteria's:
    // the folder is then refused, and the file kept.
    let out = w.path("reports/Cleveland/2024-12");
    report(&out, &[]);
    report(&out, &[]);
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    fails(
        &[
            "report",
            "--month",
            "2024-12",
            "--out",
            out.to_str().unwrap(),
        ],
        2,
        "holds files that Soteria did not write",
    );
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "mine"
    );
    std::fs::remove_file(out.join("notes.txt")).unwrap();
    let beside: Vec<PathBuf> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(beside, vec![out.clone()], "only the report folder");
}

fn find_chromium() -> Option<&'static str> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
}

/// Chromium prints the report to A4 PDF pages without fetching anything. The test
/// installs Debian's chromium when it is missing and it can (as root); with
/// SOTERIA_REQUIRE_CHROMIUM set (as `.ci/run` does) it cannot skip.
#[test]
fn the_report_prints_to_pdf_in_headless_chromium() {
    if find_chromium().is_none() {
        let _ = std::process::Command::new("apt-get")
            .args(["install", "-y", "-qq", "chromium"])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status();
    }
    let Some(chromium) = find_chromium() else {
        assert!(
            std::env::var_os("SOTERIA_REQUIRE_CHROMIUM").is_none(),
            "Chromium is required here but not installed"
        );
        eprintln!("skipped: no Chromium (install Debian's chromium package)");
        return;
    };
    let w = Work::new();
    let out = w.path("report");
    report(&out, &[]);
    let pdf = w.path("report.pdf");
    let netlog = w.path("netlog.json");
    let profile = w.path("profile");
    let status = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
            &format!("--user-data-dir={}", profile.display()),
            &format!("--log-net-log={}", netlog.display()),
            &format!("--print-to-pdf={}", pdf.display()),
            &format!("file://{}", out.join("index.html").display()),
        ])
        .output()
        .expect("chromium runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    let text = String::from_utf8_lossy(&bytes);
    let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
    assert!((10..=80).contains(&pages), "{pages} pages");
    // A4: 595 x 842 points.
    let media = text.split("/MediaBox").nth(1).expect("a page size");
    let numbers: Vec<f64> = media
        .trim_start_matches([' ', '['])
        .split([' ', ']'])
        .take(4)
        .filter_map(|v| v.parse().ok())
        .collect();
    assert!(
        numbers.len() == 4 && (numbers[2] - 595.3).abs() < 1.0 && (numbers[3] - 841.9).abs() < 1.0,
        "A4 pages: {numbers:?}"
    );
    // The page asked for nothing over the network. Chromium's net log records every URL
    // request; those the browser makes for itself (time, accounts) have no initiating
    // origin, while any request of the page carries the page's (`null` for a file; checked
    // by hand with a page holding an <img> from an outside address).
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&netlog).unwrap()).expect("a net log");
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].clone();
    assert!(start_job.is_number(), "the net log names its event types");
    let mut browser_own = 0;
    for e in log["events"].as_array().unwrap() {
        if e["type"] != start_job {
            continue;
        }
        let Some(url) = e["params"]["url"].as_str() else {
            continue;
        };
        let initiator = e["params"]["initiator"].as_str().unwrap_or("");
        assert!(
            initiator == "not an origin",
            "the page requested {url} (initiator {initiator})"
        );
        browser_own += 1;
    }
    eprintln!("net log: {browser_own} requests of Chromium's own, none of the page");
}

/// The example report in `reports/` is what the README's main command writes today.
#[test]
fn the_committed_example_report_is_current() {
    let w = Work::new();
    for (folder, extra) in [("2024-12", Vec::<&str>::new())] {
        let out = w.path(folder);
        report(&out, &extra);
        let (made, committed) = (
            files_under(&out),
            files_under(&repo(&format!("reports/Cleveland/{folder}"))),
        );
        assert_eq!(
            made.keys().collect::<Vec<_>>(),
            committed.keys().collect::<Vec<_>>(),
            "reports/Cleveland/{folder} is stale: run `cargo run -- report --month 2024-12{}`",
            if extra.is_empty() { "" } else { " --publish" }
        );
        for (name, bytes) in &made {
            assert_same(
                &committed[name],
                bytes,
                &format!("reports/Cleveland/{folder}/{name}"),
                &format!(
                    "run `cargo run -- report --month 2024-12{}`",
                    if extra.is_empty() { "" } else { " --publish" }
                ),
            );
        }
    }
}

#[test]
fn an_extract_of_offences_only_still_gets_a_report_that_says_what_is_missing() {
    let w = Work::new();
    let data = w.path("offences-only");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::copy(
        repo("datasets/sample/offences.parquet"),
        data.join("offences.parquet"),
    )
    .unwrap();
    let out = w.path("report");
    let o = soteria(&[
        "report",
        "--data",
        data.to_str().unwrap(),
        "--month",
        "2024-12",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("Not computed, because the extract lacks a table they need"));
    assert!(html.contains("charge_rate_closed (needs outcomes)"));
    assert!(html.contains("Chart charge_rate_rape_spc not shown (nothing to draw"));
    assert!(out.join("kpis.xlsx").exists() && out.join("charts/pillar1.svg").exists());
}
