//! The flight deck explorer: one self-contained page, the same bytes twice, and disclosure
//! control applied to the data it embeds. The browser checks (choosing, filtering, the CSV
//! download, the fragment, no request) are in `tests/reference/check_explorer.py`, run by
//! `.ci/run` in headless Chromium.
use crate::common::*;

/// The embedded data, as the page reads it.
fn payload(html: &str) -> serde_json::Value {
    let start = html
        .find("<script type=\"application/json\" id=\"data-json\">")
        .expect("the data element")
        + "<script type=\"application/json\" id=\"data-json\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end].replace("<\\/", "</")).unwrap()
}

/// A column as written: an array, or a dictionary and one code per row.
fn column(c: &serde_json::Value) -> Vec<serde_json::Value> {
    match c {
        serde_json::Value::Array(v) => v.clone(),
        _ => c["codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| match k.as_u64() {
                Some(k) => c["values"][k as usize].clone(),
                None => serde_json::Value::Null,
            })
            .collect(),
    }
}

#[test]
fn the_explorer_is_one_offline_page_with_the_flight_deck_inside() {
    let w = Work::new();
    let page = w.path("explore.html");
    ok(&[
        "explore",
        "--month",
        "2024-12",
        "--out",
        page.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&page).unwrap();
    ok(&[
        "explore",
        "--month",
        "2024-12",
        "--out",
        w.path("again.html").to_str().unwrap(),
    ]);
    assert_eq!(html, std::fs::read_to_string(w.path("again.html")).unwrap());
    assert!(html.len() < 3_000_000, "{} bytes", html.len());
    // Nothing is fetched: no external script, style, image or font, and a policy that
    // forbids connections.
    for fetch in ["src=\"http", "href=\"http", "url(http", "@import"] {
        assert!(!html.contains(fetch), "{fetch}");
    }
    assert!(html.contains("connect-src 'none'"));
    for control in ["force", "unit", "group", "pillar", "indicator"] {
        assert!(
            html.contains(&format!("<label for=\"{control}\">")),
            "{control}"
        );
    }
    let data = payload(&html);
    assert_eq!(data["force"], "Cleveland");
    assert_eq!(
        (data["from"].as_str(), data["month"].as_str()),
        (Some("2022-01"), Some("2024-12"))
    );
    let kinds: Vec<&str> = data["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds[0], "all");
    assert!(
        kinds.contains(&"area") && kinds.contains(&"team"),
        "{kinds:?}"
    );
    // The force's rows are the flight deck's, value for value (to ten significant figures).
    let deck: Vec<serde_json::Value> = serde_json::from_str(&ok(&[
        "flightdeck",
        "--spc",
        "--from",
        "2022-01",
        "--to",
        "2024-12",
        "--indicators",
        "charge_rate_closed",
        "--group",
        "rape",
        "--format",
        "json",
    ]))
    .unwrap();
    let rows = &data["units"][0]["rows"];
    let (indicator, group, value, mean) = (
        column(&rows["indicator"]),
        column(&rows["offence_group"]),
        column(&rows["value"]),
        column(&rows["mean"]),
    );
    let mine: Vec<usize> = (0..indicator.len())
        .filter(|&i| indicator[i] == "charge_rate_closed" && group[i] == "rape")
        .collect();
    assert_eq!(mine.len(), deck.len());
    for (&i, d) in mine.iter().zip(&deck) {
        for (a, b) in [(&value[i], &d["value"]), (&mean[i], &d["mean"])] {
            match (a.as_f64(), b.as_f64()) {
                (Some(a), Some(b)) => {
                    assert!((a - b).abs() <= 1e-9 * b.abs().max(1e-12), "{a} {b}")
                }
                (a, b) => assert_eq!(a, b),
            }
        }
    }
    fails(
        &["explore", "--out", w.path("explore.csv").to_str().unwrap()],
        2,
        "an .html file",
    );
}

/// `--publish`: no count from 1 to 4 anywhere in the embedded data, and no SPC for a
/// series that holds a withheld count.
#[test]
fn a_published_explorer_embeds_no_small_count() {
    let w = Work::new();
    let page = w.path("published.html");
    ok(&[
        "explore",
        "--month",
        "2024-12",
        "--publish",
        "--out",
        page.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&page).unwrap();
    let data = payload(&html);
    let units: std::collections::HashMap<String, String> = data["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap().to_string(),
                i["unit"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut checked = 0;
    let mut withheld_series = 0;
    for unit in data["units"].as_array().unwrap() {
        for table in ["rows", "summary"] {
            let t = &unit[table];
            let (ids, num, den, value) = (
                column(&t["indicator"]),
                column(&t["numerator"]),
                column(&t["denominator"]),
                column(&t["value"]),
            );
            for i in 0..ids.len() {
                let mut counts = vec![&num[i], &den[i]];
                if units[ids[i].as_str().unwrap()] == "count" {
                    counts.push(&value[i]);
                }
                for c in counts {
                    checked += 1;
                    if let Some(v) = c.as_f64() {
                        assert!(
                            !(1.0..5.0).contains(&v),
                            "{v} in {} {}",
                            unit["name"],
                            ids[i]
                        );
                    }
                }
            }
            if table == "rows" {
                let (nums, means) = (column(&t["numerator"]), column(&t["mean"]));
                for i in 0..ids.len() {
                    if nums[i] == "<5" {
                        assert_eq!(means[i], "[c]", "the SPC of a series with a withheld count");
                        withheld_series += 1;
                    }
                }
            }
        }
    }
    assert!(
        checked > 10_000 && withheld_series > 0,
        "{checked} {withheld_series}"
    );
    assert!(html.contains("Published version: counts below 5 are suppressed"));
}

/// The monthly report writes the explorer beside `index.html` and links to it.
#[test]
fn the_report_links_to_its_explorer() {
    let dir = repo("reports/Cleveland/2024-12");
    let index = std::fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(index.contains("<a href=\"explore.html\">Explore the flight deck</a>"));
    let explorer = std::fs::read_to_string(dir.join("explore.html")).unwrap();
    assert!(explorer.contains("RASSO flight deck explorer: Cleveland, December 2024"));
}

/// A process change is marked where it rebases the limits, and a dated target applies
/// from its month, as on the static charts; without targets no target column is embedded.
#[test]
fn the_explorer_carries_rebases_and_dated_targets() {
    let w = Work::new();
    let targets = w.write(
        "targets.toml",
        "[[rebase]]\nforce = \"Cleveland\"\nmonth = \"2023-04\"\nlabel = \"NOM adopted\"\n\
         [[target]]\nindicator = \"isva_referral_rate\"\nfrom = \"2024-01\"\nvalue = 0.6\n",
    );
    let page = w.path("explore.html");
    ok(&[
        "explore",
        "--month",
        "2024-12",
        "--targets",
        targets.to_str().unwrap(),
        "--out",
        page.to_str().unwrap(),
    ]);
    let data = payload(&std::fs::read_to_string(&page).unwrap());
    assert_eq!(data["rebases"][0]["month"], "2023-04");
    assert_eq!(data["rebases"][0]["label"], "NOM adopted");
    let rows = &data["units"][0]["rows"];
    let (period, indicator, group, target) = (
        column(&rows["period"]),
        column(&rows["indicator"]),
        column(&rows["offence_group"]),
        column(&rows["target"]),
    );
    let mut seen = 0;
    for i in 0..period.len() {
        if indicator[i] == "isva_referral_rate" && group[i] == "all" {
            let expected = if period[i].as_str().unwrap() >= "2024-01" {
                Some(0.6)
            } else {
                None
            };
            assert_eq!(target[i].as_f64(), expected, "{}", period[i]);
            seen += 1;
        }
    }
    assert_eq!(seen, 36);
    ok(&[
        "explore",
        "--month",
        "2024-12",
        "--out",
        page.to_str().unwrap(),
    ]);
    let plain = payload(&std::fs::read_to_string(&page).unwrap());
    assert!(plain["units"][0]["rows"].get("target").is_none());
}
