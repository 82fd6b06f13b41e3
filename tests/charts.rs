//! Charts: the SVG is parsed (points, colours, limits, title, alt text), the PNG decoded
//! (size from millimetres and DPI, resolution, pixels), and every file is byte-identical
//! from run to run.
use crate::common::*;
use std::collections::BTreeMap;
use std::path::Path;

/// The `<circle>` elements of an SVG, as (cx, cy, r, fill).
fn circles(svg: &str) -> Vec<(i64, i64, String, String)> {
    svg.split("<circle")
        .skip(1)
        .map(|c| {
            let attr = |name: &str| -> String {
                let key = format!(" {name}=\"");
                let start = c.find(&key).unwrap_or_else(|| panic!("{name} in {c}")) + key.len();
                c[start..start + c[start..].find('"').unwrap()].to_string()
            };
            (
                attr("cx").parse().unwrap(),
                attr("cy").parse().unwrap(),
                attr("r"),
                attr("fill"),
            )
        })
        .collect()
}

/// The text content of every `<text>` element.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .map(|t| {
            let start = t.find('>').unwrap() + 1;
            let end = t.find("</text>").unwrap();
            t[start..end].trim().replace("&amp;", "&")
        })
        .collect()
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> &'a str {
    let a = s.find(open).unwrap_or_else(|| panic!("{open} missing")) + open.len();
    &s[a..a + s[a..].find(close).unwrap()]
}

/// Making Data Count colours by SPC point type, as the issue fixes them.
fn colour_of(point_type: &str) -> &'static str {
    match point_type {
        "common_cause" => "#7B7D7D",
        "improvement" => "#289DE0",
        "concern" => "#FAB428",
        "neutral_high" | "neutral_low" => "#361475",
        other => panic!("unknown point type {other}"),
    }
}

/// 12 stable months, one far above, then eight below the mean: outside and shift rules.
fn series_csv(w: &Work) -> std::path::PathBuf {
    let mut csv = String::from("month,rate\n");
    let values = [
        10.0, 11.0, 9.5, 10.5, 10.0, 9.0, 11.0, 10.0, 10.5, 9.5, 10.0, 10.5, 30.0, 8.0, 8.5, 7.5,
        8.0, 8.2, 7.9, 8.1, 8.3, 9.0, 10.2, 10.1,
    ];
    for (i, v) in values.iter().enumerate() {
        csv.push_str(&format!("{}-{:02},{v}\n", 2023 + i / 12, i % 12 + 1));
    }
    w.write("series.csv", csv)
}

#[test]
fn spc_svg_has_one_point_per_month_coloured_by_its_spc_type() {
    let w = Work::new();
    let input = series_csv(&w);
    let input = input.to_str().unwrap();
    let svg_path = w.path("spc.svg");
    let rows: Vec<serde_json::Value> = json(&[
        "spc",
        "--input",
        input,
        "--value",
        "rate",
        "--date",
        "month",
        "--polarity",
        "up",
        "--target",
        "12",
        "--format",
        "json",
        "--chart",
        svg_path.to_str().unwrap(),
        "--title",
        "Test & series",
    ])["points"]
        .as_array()
        .unwrap()
        .clone();
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    let types: Vec<String> = rows
        .iter()
        .map(|r| r["point_type"].as_str().unwrap().to_string())
        .collect();
    assert!(types.contains(&"improvement".to_string()), "{types:?}");
    assert!(types.contains(&"concern".to_string()), "{types:?}");

    // Points are the circles of the point radius (2.2 pt at 2 units a point).
    let points: Vec<_> = circles(&svg).into_iter().filter(|c| c.2 == "4").collect();
    assert_eq!(points.len(), 24, "one point per month");
    assert!(points.windows(2).all(|p| p[1].0 > p[0].0), "left to right");
    for (i, (point, t)) in points.iter().zip(&types).enumerate() {
        assert_eq!(point.3, colour_of(t), "point {i} of type {t}");
    }
    // The highest value is drawn highest.
    let top = points.iter().min_by_key(|p| p.1).unwrap();
    assert_eq!(top.3, colour_of("improvement"));

    // Limits, mean and target are drawn and labelled with their values.
    let mean = rows[0]["mean"].as_f64().unwrap();
    let upl = rows[0]["upl"].as_f64().unwrap();
    let labels = texts(&svg);
    assert!(labels.contains(&format!("Mean {mean:.2}")), "{labels:?}");
    assert!(labels.contains(&format!("UPL {upl:.2}")), "{labels:?}");
    assert!(labels.iter().any(|l| l.starts_with("LPL ")), "{labels:?}");
    assert!(labels.contains(&"Target 12.00".to_string()), "{labels:?}");
    assert!(
        labels.contains(&"Target: hit and miss".to_string())
            || labels.iter().any(|l| l.starts_with("Target: "))
    );

    // Title and description for screen readers; physical size for Word.
    assert_eq!(
        between(&svg, "<title id=\"chart-title\">", "</title>"),
        "Test &amp; series"
    );
    let desc = between(&svg, "<desc id=\"chart-desc\">", "</desc>");
    assert!(
        desc.contains("over 24 points from January 2023 to December 2024"),
        "{desc}"
    );
    assert!(svg.starts_with("<svg width=\"170mm\" height=\"100mm\""));
    assert!(svg.contains("font-family=\"Liberation Sans, Arial, Helvetica, sans-serif\""));
}

/// Reads a PNG by the book: chunks, CRCs, and the zlib image data unfiltered.
fn decode_png(bytes: &[u8]) -> (u32, u32, f64, Vec<u8>, BTreeMap<String, String>) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let (mut pos, mut w, mut h, mut dpi) = (8, 0u32, 0u32, 0.0);
    let mut idat = Vec::new();
    let mut text = BTreeMap::new();
    loop {
        let len = u32::from_be_bytes(bytes[pos..pos + 4].try_into().unwrap()) as usize;
        let kind = &bytes[pos + 4..pos + 8];
        let data = &bytes[pos + 8..pos + 8 + len];
        let crc = u32::from_be_bytes(bytes[pos + 8 + len..pos + 12 + len].try_into().unwrap());
        let mut hasher = crc32fast::Hasher::new();
        hasher.update(&bytes[pos + 4..pos + 8 + len]);
        assert_eq!(
            hasher.finalize(),
            crc,
            "CRC of {}",
            String::from_utf8_lossy(kind)
        );
        match kind {
            b"IHDR" => {
                w = u32::from_be_bytes(data[0..4].try_into().unwrap());
                h = u32::from_be_bytes(data[4..8].try_into().unwrap());
                assert_eq!(&data[8..10], &[8, 2], "8-bit RGB");
            }
            b"pHYs" => dpi = u32::from_be_bytes(data[0..4].try_into().unwrap()) as f64 * 0.0254,
            b"tEXt" => {
                let nul = data.iter().position(|b| *b == 0).unwrap();
                text.insert(
                    String::from_utf8_lossy(&data[..nul]).into_owned(),
                    data[nul + 1..].iter().map(|b| *b as char).collect(),
                );
            }
            b"IDAT" => idat.extend_from_slice(data),
            b"IEND" => break,
            _ => {}
        }
        pos += 12 + len;
    }
    let mut raw = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(&idat[..]), &mut raw).unwrap();
    let stride = w as usize * 3;
    assert_eq!(raw.len(), (stride + 1) * h as usize);
    let mut pixels = vec![0u8; stride * h as usize];
    for y in 0..h as usize {
        let filter = raw[y * (stride + 1)];
        let line = &raw[y * (stride + 1) + 1..(y + 1) * (stride + 1)];
        for x in 0..stride {
            let left = if x >= 3 {
                pixels[y * stride + x - 3]
            } else {
                0
            };
            let up = if y > 0 {
                pixels[(y - 1) * stride + x]
            } else {
                0
            };
            pixels[y * stride + x] = match filter {
                0 => line[x],
                1 => line[x].wrapping_add(left),
                2 => line[x].wrapping_add(up),
                f => panic!("filter {f} not expected from soteria"),
            };
        }
    }
    (w, h, dpi, pixels, text)
}

#[test]
fn png_size_comes_from_millimetres_and_dpi_or_pixels() {
    let w = Work::new();
    let png = w.path("trend.png");
    ok(&[
        "chart",
        "trend",
        "--indicator",
        "recorded",
        "--width-mm",
        "100",
        "--height-mm",
        "60",
        "--dpi",
        "150",
        "--out",
        png.to_str().unwrap(),
    ]);
    let (width, height, dpi, pixels, text) = decode_png(&std::fs::read(&png).unwrap());
    // 100 mm at 150 dpi is 590.55 px, 60 mm is 354.33 px.
    assert_eq!((width, height), (591, 354));
    assert!(
        (dpi - 150.0).abs() < 0.05,
        "{dpi} (stored as whole dots per metre)"
    );
    assert_eq!(text["Title"], "Offences recorded");
    assert!(text["Description"].contains("Monthly offences recorded"));
    // A white margin and some ink in the dark blue of the series.
    assert_eq!(&pixels[..3], &[255, 255, 255]);
    let dark_blue = pixels
        .chunks(3)
        .filter(|p| p == &[0x12, 0x43, 0x6D])
        .count();
    assert!(dark_blue > 500, "{dark_blue} series pixels");
    let alt = std::fs::read_to_string(w.path("trend.txt")).unwrap();
    assert!(
        alt.starts_with("Offences recorded. Monthly offences recorded"),
        "{alt}"
    );

    let px = w.path("px.png");
    ok(&[
        "chart",
        "attrition",
        "--width-px",
        "800",
        "--height-px",
        "450",
        "--out",
        px.to_str().unwrap(),
    ]);
    let (width, height, _, _, _) = decode_png(&std::fs::read(&px).unwrap());
    assert_eq!((width, height), (800, 450));
    // Default: 170 x 100 mm at 300 dpi.
    let default = w.path("default.png");
    ok(&["chart", "pyramid", "--out", default.to_str().unwrap()]);
    let (width, height, dpi, _, _) = decode_png(&std::fs::read(&default).unwrap());
    assert_eq!((width, height), (2008, 1181));
    assert!((dpi - 300.0).abs() < 0.05);
}

#[test]
fn the_gallery_renders_every_kind_identically_twice() {
    let w = Work::new();
    let (a, b) = (w.path("a"), w.path("b"));
    for dir in [&a, &b] {
        ok(&["gallery", "--dpi", "96", "--out", dir.to_str().unwrap()]);
    }
    let kinds = [
        "spc",
        "trend",
        "outcomes",
        "funnel",
        "heatmap",
        "pyramid",
        "attrition",
        "bars",
        "multiples",
    ];
    for kind in kinds {
        for ext in ["svg", "png", "txt"] {
            let name = format!("{kind}.{ext}");
            let (x, y) = (
                std::fs::read(a.join(&name)).unwrap(),
                std::fs::read(b.join(&name)).unwrap(),
            );
            assert!(x == y, "{name} differs between runs");
            assert!(x.len() > 200, "{name} is too small to be a chart");
        }
        let svg = std::fs::read_to_string(a.join(format!("{kind}.svg"))).unwrap();
        assert!(
            svg.contains("<title id=\"chart-title\">") && svg.contains("<desc id=\"chart-desc\">")
        );
        assert!(
            texts(&svg).iter().any(|t| t.starts_with(
                "Source: Cleveland extract as at 2024-12-31; Soteria flight deck definitions v2"
            )),
            "{kind} has its source line"
        );
        let desc = between(&svg, "<desc id=\"chart-desc\">", "</desc>");
        assert!(desc.len() > 80 && !desc.contains("NaN"), "{kind}: {desc}");
        // The README's gallery is this very output.
        let committed =
            std::fs::read_to_string(repo(&format!("docs/gallery/{kind}.svg"))).unwrap_or_default();
        assert_same(
            committed.as_bytes(),
            svg.as_bytes(),
            &format!("docs/gallery/{kind}.svg"),
            "run `cargo run -- gallery --out /tmp/g` and copy /tmp/g/*.svg to docs/gallery/",
        );
    }
    let html = std::fs::read_to_string(a.join("index.html")).unwrap();
    assert_eq!(html.matches("<img ").count(), kinds.len());
    // Multiples: one panel title per pillar-1 indicator with data.
    let multiples = std::fs::read_to_string(a.join("multiples.svg")).unwrap();
    assert!(texts(&multiples).contains(&"Charge rate (closed basis)".to_string()));
}

#[test]
fn charts_need_no_font_library() {
    // Text comes from the embedded font through ab_glyph: no fontconfig or freetype.
    // ldd is part of Debian's libc-bin, on every machine the tests run on.
    let out = std::process::Command::new("ldd")
        .arg(env!("CARGO_BIN_EXE_soteria"))
        .output()
        .expect("ldd runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let libs = String::from_utf8_lossy(&out.stdout).to_lowercase();
    assert!(libs.contains("libc.so"), "ldd listed no libraries: {libs}");
    assert!(
        !libs.contains("fontconfig") && !libs.contains("freetype"),
        "{libs}"
    );
}

#[test]
fn funnel_chart_places_forces_and_labels_the_outliers() {
    let w = Work::new();
    let data = w.path("three");
    ok(&[
        "generate",
        "--forces",
        "3",
        "--start",
        "2023-01",
        "--months",
        "24",
        "--seed",
        "7",
        "--out",
        data.to_str().unwrap(),
    ]);
    let d = data.to_str().unwrap();
    // A chart of one force needs --force when the dataset has several.
    let out = soteria(&[
        "chart",
        "spc",
        "--data",
        d,
        "--out",
        w.path("x.svg").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("choose one with --force"),
        "{}",
        stderr(&out)
    );

    let forces: Vec<String> = forces(d);
    let svg_path = w.path("funnel.svg");
    ok(&[
        "chart",
        "funnel",
        "--data",
        d,
        "--dimension",
        "force",
        "--force",
        &forces[0],
        "--from",
        "2023-01",
        "--to",
        "2024-12",
        "--out",
        svg_path.to_str().unwrap(),
    ]);
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    let labels = texts(&svg);
    for f in &forces {
        assert!(
            labels.contains(f),
            "{f} labelled (three units are all labelled)"
        );
    }
    let desc = between(&svg, "<desc id=\"chart-desc\">", "</desc>");
    assert!(desc.contains("for 3 forces"), "{desc}");
    assert!(desc.contains(&format!("{} is at", forces[0])), "{desc}");
}

#[test]
fn chart_arguments_are_checked() {
    let w = Work::new();
    let bad = soteria(&["chart", "spc", "--out", w.path("x.jpg").to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains(".svg or .png"));
    let bad = soteria(&[
        "chart",
        "funnel",
        "--indicator",
        "recorded",
        "--out",
        w.path("x.svg").to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("needs a proportion"));
    let bad = soteria(&[
        "chart",
        "bars",
        "--dimension",
        "shoe_size",
        "--out",
        w.path("x.svg").to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("relationship"));
    let bad = soteria(&[
        "chart",
        "trend",
        "--dpi",
        "5",
        "--out",
        w.path("x.png").to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        !Path::new(&w.path("x.png")).exists(),
        "nothing written on error"
    );
    let notes = w.write("notes.csv", "date,label\nnot-a-date,Launch\n");
    let bad = soteria(&[
        "chart",
        "spc",
        "--annotations",
        notes.to_str().unwrap(),
        "--out",
        w.path("x.svg").to_str().unwrap(),
    ]);
    assert!(
        stderr(&bad).contains("row 2, column date: `not-a-date`"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn annotations_are_drawn_at_their_month() {
    let w = Work::new();
    // Written by Excel on Windows: "Café" in Windows-1252.
    let mut bytes =
        b"date,label\n2024-03-15,New RASSO team\n2019-01,Too early\n2024-06,Caf".to_vec();
    bytes.extend([0xE9, b'\n']);
    let notes = w.write("notes.csv", bytes);
    let svg_path = w.path("spc.svg");
    let out = soteria(&[
        "chart",
        "spc",
        "--from",
        "2024-01",
        "--to",
        "2024-12",
        "--annotations",
        notes.to_str().unwrap(),
        "--out",
        svg_path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("annotation `Too early` (2019-01) is outside the chart's months"),
        "{}",
        stderr(&out)
    );
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    let labels = texts(&svg);
    assert!(labels.contains(&"New RASSO team".to_string()));
    assert!(labels.contains(&"Café".to_string()), "{labels:?}");
    assert!(!labels.contains(&"Too early".to_string()));
    assert_eq!(circles(&svg).into_iter().filter(|c| c.2 == "4").count(), 12);
}

#[test]
fn funnel_and_spc_charts_of_any_csv() {
    let w = Work::new();
    let mut csv = String::from("force,charged,closed\n");
    for (i, n) in [400, 650, 800, 900, 1200, 1500, 2000, 2600, 3100, 4000]
        .iter()
        .enumerate()
    {
        // About 7% everywhere, except the force with 2,600 closed at 12%.
        let x = if *n == 2600 { 312 } else { n * 7 / 100 };
        csv.push_str(&format!("Force {},{x},{n}\n", (b'A' + i as u8) as char));
    }
    let input = w.write("forces.csv", csv);
    let png = w.path("funnel.png");
    let out = soteria(&[
        "funnel",
        "--input",
        input.to_str().unwrap(),
        "--numerator",
        "charged",
        "--denominator",
        "closed",
        "--label",
        "force",
        "--chart",
        png.to_str().unwrap(),
        "--highlight",
        "Force C",
        "--title",
        "Charge rate by force",
        "--format",
        "csv",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let flags = String::from_utf8(out.stdout).unwrap();
    assert!(
        flags.contains("Force H,312.0,2600.0") && flags.contains("high_998"),
        "{flags}"
    );
    let alt = std::fs::read_to_string(w.path("funnel.txt")).unwrap();
    assert!(
        alt.starts_with("Charge rate by force. Funnel plot"),
        "{alt}"
    );
    assert!(
        alt.contains("Force H (12.0%, above the 99.8% limit)"),
        "{alt}"
    );
    assert!(
        alt.contains("Force C is at 7.0%, within the limits"),
        "{alt}"
    );
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
    let bad = soteria(&[
        "funnel",
        "--input",
        input.to_str().unwrap(),
        "--numerator",
        "charged",
        "--denominator",
        "closed",
        "--label",
        "force",
        "--chart",
        png.to_str().unwrap(),
        "--highlight",
        "Nowhere",
    ]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn trend_lines_are_optional() {
    let w = Work::new();
    let (full, plain) = (w.path("full.svg"), w.path("plain.svg"));
    ok(&["chart", "trend", "--out", full.to_str().unwrap()]);
    ok(&[
        "chart",
        "trend",
        "--no-rolling",
        "--no-interval",
        "--out",
        plain.to_str().unwrap(),
    ]);
    let (full, plain) = (
        texts(&std::fs::read_to_string(full).unwrap()),
        texts(&std::fs::read_to_string(plain).unwrap()),
    );
    for legend in ["Rolling 12 months", "95% interval"] {
        assert!(
            full.contains(&legend.to_string()),
            "{legend} in the full chart"
        );
        assert!(!plain.contains(&legend.to_string()), "{legend} left out");
    }
}

/// A process change in the targets file breaks the limits at its month, with its label;
/// a dated target applies from its month; provisional months are hollow.
#[test]
fn process_changes_rebase_the_chart_and_non_final_months_are_hollow() {
    let w = Work::new();
    let targets = w.write(
        "targets.toml",
        "[[rebase]]\nforce = \"Cleveland\"\nmonth = \"2023-04\"\nlabel = \"NOM adopted\"\n\
         [[target]]\nindicator = \"isva_referral_rate\"\nfrom = \"2024-01\"\nvalue = 0.6\n",
    );
    let svg_path = w.path("spc.svg");
    ok(&[
        "chart",
        "spc",
        "--indicator",
        "isva_referral_rate",
        "--targets",
        targets.to_str().unwrap(),
        "--out",
        svg_path.to_str().unwrap(),
    ]);
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    let labels = texts(&svg);
    assert!(labels.contains(&"NOM adopted".to_string()), "{labels:?}");
    assert!(labels.iter().any(|l| l == "Target 60.0%"), "{labels:?}");
    let desc = between(&svg, "<desc id=\"chart-desc\">", "</desc>");
    assert!(
        desc.contains("since the limits were recalculated from April 2023"),
        "{desc}"
    );
    // ISVA referral matures in 60 days: November and December 2024 are provisional.
    assert!(
        desc.contains("2 provisional or truncated points are drawn hollow"),
        "{desc}"
    );
    let points: Vec<_> = circles(&svg).into_iter().filter(|c| c.2 == "4").collect();
    assert_eq!(
        points.len(),
        36 + 2,
        "36 months, the two hollow ones drawn twice"
    );
    assert_eq!(points.iter().filter(|c| c.3 == "#FFFFFF").count(), 2);
}
