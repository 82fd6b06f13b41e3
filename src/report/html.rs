//! `index.html`: one self-contained file (styles and SVG charts inline, nothing fetched),
//! with a print stylesheet that gives clean A4 pages from a browser's "print to PDF".
use super::table::{Cell, Table};
use super::{Report, ReportChart};
use crate::charts::icons::{self, Icon};
use crate::format::month_long;
use crate::indicators::registry::PILLARS;
use crate::util::capitalise;

const STYLE: &str = r#"
:root { --ink: #0b0c0c; --muted: #505a5f; --rule: #b1b4b6; --blue: #12436d; --light: #f3f2f1; }
* { box-sizing: border-box; }
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; color: var(--ink); max-width: 60rem; margin: 2rem auto; padding: 0 1rem; font-size: 11pt; line-height: 1.4; }
h1 { font-size: 22pt; margin: 0.2rem 0 0.5rem; }
h2 { font-size: 15pt; border-bottom: 2px solid var(--blue); padding-bottom: 0.2rem; margin-top: 2rem; }
h3 { font-size: 12pt; margin: 1.2rem 0 0.4rem; }
.kicker { color: var(--muted); text-transform: uppercase; letter-spacing: 0.05em; font-size: 9pt; margin: 0; }
.meta { color: var(--muted); }
.note { color: var(--muted); font-size: 0.85em; }
svg.icon { vertical-align: middle; margin-right: 0.3em; }
.banner { border-left: 6px solid #f46a25; background: #fdf0e9; padding: 0.5rem 0.8rem; }
.headlines li { margin-bottom: 0.4rem; }
nav ol { columns: 2; color: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 0.4rem 0 1rem; }
th, td { border-bottom: 1px solid var(--rule); padding: 0.2rem 0.35rem; text-align: left; vertical-align: top; }
th { background: var(--light); }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.v-improvement { color: #0f5e8c; font-weight: bold; }
.v-concern { color: #8a4b00; font-weight: bold; }
.v-neutral { color: #361475; font-weight: bold; }
figure { margin: 1rem 0; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 9pt; margin-top: 0.3rem; }
.small { font-size: 9pt; color: var(--muted); }
@page { size: A4; margin: 14mm 14mm 16mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 9.5pt; }
  h2 { break-before: page; }
  .cover h2 { break-before: avoid; }
  figure, tr, .headlines li { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  thead { display: table-header-group; }
}
"#;

use crate::format::escape_xml as escape;

/// Inline SVG with ids unique to the chart, so that several can share a page.
fn figure(c: &ReportChart) -> String {
    let svg = c
        .svg
        .replace("id=\"chart-title\"", &format!("id=\"{}-title\"", c.stem))
        .replace("id=\"chart-desc\"", &format!("id=\"{}-desc\"", c.stem))
        .replace(
            "aria-labelledby=\"chart-title chart-desc\"",
            &format!("aria-labelledby=\"{0}-title {0}-desc\"", c.stem),
        );
    format!(
        "<figure id=\"chart-{}\">\n{svg}<figcaption>{}</figcaption>\n</figure>\n",
        c.stem,
        escape(&c.alt)
    )
}

fn cell_html(c: &Cell) -> String {
    match c {
        Cell::Num(..) | Cell::Suppressed(_) => {
            format!("<td class=\"num\">{}</td>", escape(&c.display()))
        }
        _ => format!("<td>{}</td>", escape(&c.display())),
    }
}

/// A whole table, every column.
pub fn table_html(t: &Table, skip: &[&str]) -> String {
    let keep: Vec<usize> = (0..t.columns.len())
        .filter(|i| !skip.contains(&t.columns[*i].as_str()))
        .collect();
    let mut s = String::from("<table>\n<thead><tr>");
    for &i in &keep {
        s.push_str(&format!(
            "<th>{}</th>",
            escape(&t.columns[i].replace('_', " "))
        ));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        s.push_str("<tr>");
        for &i in &keep {
            s.push_str(&cell_html(&row[i]));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n");
    s
}

/// A table of the report's model where a column `X` with a sibling `X_icon` shows the
/// icon (named for screen readers) before its words.
fn table_with_icons_html(t: &Table) -> String {
    let keep: Vec<usize> = (0..t.columns.len())
        .filter(|&i| !t.columns[i].ends_with("_icon"))
        .collect();
    let icon_of: Vec<Option<usize>> = keep
        .iter()
        .map(|&i| t.column(&format!("{}_icon", t.columns[i])))
        .collect();
    let mut s = String::from("<table>\n<thead><tr>");
    for &i in &keep {
        s.push_str(&format!("<th>{}</th>", escape(&capitalise(&t.columns[i]))));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        s.push_str("<tr>");
        for (&i, icon) in keep.iter().zip(&icon_of) {
            match icon {
                Some(k) => s.push_str(&format!(
                    "<td>{}{}</td>",
                    icon_html(&row[*k]),
                    escape(&row[i].display())
                )),
                None => s.push_str(&cell_html(&row[i])),
            }
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n");
    s
}

/// The assurance view: the recommendations' overview, each one's evidence, teams and
/// actions, and the scrutiny themes.
fn assurance_html(view: &super::assurance::View) -> String {
    let mut s = format!(
        "<p>{}</p>\n{}",
        escape(&view.intro),
        table_with_icons_html(&view.overview)
    );
    for section in &view.sections {
        s.push_str(&format!("<h3>{}</h3>\n", escape(&section.heading)));
        for p in &section.paragraphs {
            s.push_str(&format!("<p>{}</p>\n", escape(p)));
        }
        for (caption, t) in &section.tables {
            s.push_str(&format!(
                "<h4>{}</h4>\n{}",
                escape(caption),
                table_with_icons_html(t)
            ));
        }
    }
    s
}

fn variation_class(v: &str) -> &'static str {
    if v.starts_with("Improvement") {
        "v-improvement"
    } else if v.starts_with("Concern") {
        "v-concern"
    } else if v.starts_with("Special") {
        "v-neutral"
    } else {
        ""
    }
}

/// An icon drawn from the page's symbols, named for screen readers; empty for no icon.
fn icon_html(stem: &Cell) -> String {
    match Icon::from_stem(&stem.display()) {
        Some(icon) => format!(
            "<svg class=\"icon\" width=\"24\" height=\"24\" viewBox=\"0 0 48 48\" role=\"img\" aria-label=\"{0}\"><title>{0}</title><use href=\"#{1}\"/></svg>",
            escape(icon.name()),
            icon.stem()
        ),
        None => String::new(),
    }
}

/// The Making Data Count icons as symbols, drawn once and used by every table row.
pub(crate) fn icon_symbols() -> String {
    let mut s = String::from(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" style=\"display:none\" aria-hidden=\"true\">\n",
    );
    for icon in icons::ALL {
        // Drawing into a string cannot fail for a fixed icon size.
        let inner = icons::svg_inner(icon, 48).unwrap_or_default();
        s.push_str(&format!(
            "<symbol id=\"{}\" viewBox=\"0 0 48 48\">{inner}</symbol>\n",
            icon.stem()
        ));
    }
    s.push_str("</svg>\n");
    s
}

/// The summary for one pillar: value, interval, last month, last year, icons in words.
fn summary_html(t: &Table, pillar: u8) -> String {
    let c = |n: &str| t.column(n).expect("a summary column");
    let mut s = String::from(
        "<table>\n<thead><tr><th>Indicator</th><th>Group</th><th>This month</th><th>95% interval</th><th>Last month</th><th>Same month last year</th><th>12-month mean</th><th>Variation</th><th>Target</th><th>Assurance</th></tr></thead>\n<tbody>\n",
    );
    for row in t
        .rows
        .iter()
        .filter(|r| r[c("pillar")].value() == Some(pillar as f64))
    {
        let interval = match (&row[c("ci_low")], &row[c("ci_high")]) {
            (Cell::Suppressed(x), _) => x.clone(),
            (Cell::Num(..), Cell::Num(..)) => format!(
                "{} to {}",
                row[c("ci_low")].display(),
                row[c("ci_high")].display()
            ),
            _ => String::new(),
        };
        let variation = row[c("variation")].display();
        let note = row[c("note")].display();
        let indicator = if note.is_empty() {
            escape(&row[c("indicator")].display())
        } else {
            format!(
                "{}<br><span class=\"note\">{}</span>",
                escape(&row[c("indicator")].display()),
                escape(&capitalise(&note))
            )
        };
        s.push_str(&format!(
            "<tr><td>{}</td><td>{}</td>{}<td class=\"num\">{}</td>{}{}{}<td class=\"{}\">{}{}</td>{}<td>{}{}</td></tr>\n",
            indicator,
            escape(&row[c("group")].display()),
            cell_html(&row[c("this_month")]),
            escape(&interval),
            cell_html(&row[c("last_month")]),
            cell_html(&row[c("last_year")]),
            cell_html(&row[c("mean_12m")]),
            variation_class(&variation),
            icon_html(&row[c("variation_icon")]),
            escape(&variation),
            cell_html(&row[c("target")]),
            icon_html(&row[c("assurance_icon")]),
            escape(&row[c("assurance")].display()),
        ));
    }
    s.push_str("</tbody>\n</table>\n");
    s
}

pub fn methods(report: &Report) -> Vec<String> {
    let mut m = vec![
        "Indicators follow the Soteria flight deck definitions v2 (see Definitions). Each month's value counts what the extract shows as at the as-at date.".to_string(),
        "Statistical process control follows NHS England's Making Data Count, as in NHS-R NHSRplotthedots: the mean and process limits are the mean plus or minus 2.66 times the average moving range (moving ranges of 3.267 times the average or more are screened out). Special cause variation is a point outside the limits, a run of seven points on one side of the mean, seven points rising or falling, or two of three points beyond two-thirds of the way to a limit. Common cause variation is not described as a rise or a fall.".to_string(),
        "Intervals are 95%: Wilson score intervals for proportions; for counts the exact Poisson interval below 10 and Byar's approximation from 10, as PHE's PHEindicatormethods. The problem profile compares the 12 months to the report month with the 12 before, with a two-proportion test for each category.".to_string(),
    ];
    m.extend(report.status_notes.iter().cloned());
    if report.options.publish {
        m.push("In the published flight-deck table the status column marks provisional values [p] and truncated ones [u] (low reliability), as in government statistics; final values carry no mark.".to_string());
    }
    if report.options.publish {
        let n = report.options.suppress_below;
        m.push(format!(
            "This is a published version. Counts from 1 to {} are shown as <{n}; where such a count could be worked out from a total, the next smallest count is withheld too and shown as [c]; a rate, share, interval or median that rests on a withheld count is shown as [c]. Charts that would show a withheld count are left out or show it as <{n}. The repeat-suspect register and the scrutiny sample are not part of a published report, and no file of it holds a person identifier.",
            n - 1
        ));
    }
    m
}

pub fn render(report: &Report) -> String {
    let month = month_long(&report.month.to_string());
    let title = format!("RASSO flight deck: {}, {month}", report.force);
    let mut h = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&title)
    );
    h.push_str(&icon_symbols());
    h.push_str(&format!(
        "<header class=\"cover\">\n<p class=\"kicker\">Operation Soteria: RASSO performance</p>\n<h1>{}: {}</h1>\n<p class=\"meta\">{}</p>\n<p class=\"banner\">{}{}</p>\n",
        escape(&report.force),
        escape(&month),
        escape(&report.provenance()),
        escape(&report.edition()),
        if report.options.publish {
            ""
        } else {
            " Use <code>soteria report --publish</code> for papers that leave the force."
        }
    ));
    h.push_str("<h2>Headlines</h2>\n<ul class=\"headlines\">\n");
    for line in &report.headlines {
        h.push_str(&format!("<li>{}</li>\n", escape(line)));
    }
    h.push_str("</ul>\n<p class=\"explore\"><a href=\"explore.html\">Explore the flight deck</a>: every indicator by month, area, team and offence group, in an interactive page that works offline.</p>\n<nav><ol>\n<li><a href=\"#summary\">Summary of indicators</a></li>\n");
    for p in &report.pillars {
        h.push_str(&format!(
            "<li><a href=\"#pillar-{}\">Pillar {}: {}</a></li>\n",
            p.number,
            p.number,
            escape(p.name)
        ));
    }
    h.push_str("<li><a href=\"#outcomes\">Outcomes</a></li>\n<li><a href=\"#recommendations\">Inspection recommendations</a></li>\n<li><a href=\"#profile\">Problem profile</a></li>\n<li><a href=\"#quality\">Data quality</a></li>\n<li><a href=\"#definitions\">Definitions</a></li>\n<li><a href=\"#methods\">Methods</a></li>\n</ol></nav>\n</header>\n");

    h.push_str(&format!(
        "<section id=\"summary\">\n<h2>Summary of indicators, {}</h2>\n<p class=\"small\">Variation is the Making Data Count reading of the month against the series' own history; assurance says whether the process can be expected to meet a target, where one is set.</p>\n",
        escape(&month)
    ));
    for (i, name) in PILLARS.iter().enumerate() {
        h.push_str(&format!("<h3>Pillar {}: {}</h3>\n", i + 1, escape(name)));
        h.push_str(&summary_html(&report.summary, i as u8 + 1));
    }
    if let Some(c) = report.chart("charge_rate_rape_spc") {
        h.push_str(&figure(c));
    }
    h.push_str("</section>\n");

    for p in &report.pillars {
        h.push_str(&format!(
            "<section class=\"pillar\" id=\"pillar-{}\">\n<h2>Pillar {}: {}</h2>\n",
            p.number,
            p.number,
            escape(p.name)
        ));
        if p.sentences.is_empty() {
            h.push_str(
                "<p>No indicator of this pillar shows special cause variation this month.</p>\n",
            );
        } else {
            h.push_str("<ul>\n");
            for s in &p.sentences {
                h.push_str(&format!("<li>{}</li>\n", escape(s)));
            }
            h.push_str("</ul>\n");
        }
        h.push_str(&format!(
            "<p class=\"small\">{} other series of this pillar show common cause variation only: month-to-month changes there are noise, not a rise or a fall.</p>\n",
            p.common
        ));
        if let Some(c) = p.chart.as_deref().and_then(|s| report.chart(s)) {
            h.push_str(&figure(c));
        }
        if !p.withheld.is_empty() {
            h.push_str(&format!(
                "<p class=\"small\">Not charted, because a month has a suppressed count: {}.</p>\n",
                escape(&p.withheld.join(", "))
            ));
        }
        h.push_str("</section>\n");
    }

    h.push_str("<section id=\"outcomes\">\n<h2>Outcomes</h2>\n");
    match report.chart("outcomes") {
        Some(c) => h.push_str(&figure(c)),
        None => {
            let why = report
                .withheld_charts
                .iter()
                .find(|(s, _)| s == "outcomes")
                .map_or("not drawn", |(_, w)| w.as_str());
            h.push_str(&format!(
                "<p>The outcomes chart is not shown ({}).</p>\n",
                escape(why)
            ));
        }
    }
    h.push_str("</section>\n");

    h.push_str(&format!(
        "<section id=\"recommendations\">\n<h2>Inspection recommendations, {}</h2>\n<p class=\"small\">The inspectorate's recommendations to every force, with the verdict the extract supports and its evidence, and the PCC's scrutiny themes (<code>soteria assurance --month {}</code> gives the same as text or JSON, <code>soteria paper</code> as a Word paper).</p>\n",
        escape(&month),
        report.month
    ));
    h.push_str(&assurance_html(&super::assurance::view(
        &report.assurance,
        report.options.publish.then(|| report.threshold()),
    )));
    h.push_str("</section>\n");

    h.push_str(&format!(
        "<section id=\"profile\">\n<h2>Problem profile: the 12 months to {}</h2>\n<p>{}</p>\n",
        escape(&month),
        escape(&report.profile_intro)
    ));
    if report.profile_highlights.is_empty() {
        h.push_str("<p>No category of victims, suspects, context, time or place changed by more than chance would explain (two-proportion test, p &lt; 0.05).</p>\n");
    } else {
        h.push_str("<p>Changes larger than chance would explain (p &lt; 0.05):</p>\n<ul>\n");
        for s in &report.profile_highlights {
            h.push_str(&format!("<li>{}</li>\n", escape(s)));
        }
        h.push_str("</ul>\n");
    }
    for stem in ["attrition", "relationship", "victims_pyramid", "heatmap"] {
        if let Some(c) = report.chart(stem) {
            h.push_str(&figure(c));
            if stem == "attrition" {
                h.push_str("<p class=\"small\">Offences recorded late in the window have had less time to reach each stage, so the later stages of recent months will grow as cases progress.</p>\n");
            }
        }
    }
    for (stem, why) in &report.withheld_charts {
        h.push_str(&format!(
            "<p class=\"small\">Chart {} not shown ({}).</p>\n",
            escape(stem),
            escape(why)
        ));
    }
    h.push_str("<p class=\"small\">The full profile is in <code>profile.csv</code> and the Profile sheet of <code>kpis.xlsx</code>.</p>\n</section>\n");

    h.push_str("<section id=\"quality\">\n<h2>Data quality</h2>\n");
    for n in &report.quality_notes {
        h.push_str(&format!("<p>{}</p>\n", escape(n)));
    }
    if !report.unavailable.is_empty() {
        h.push_str(&format!(
            "<p>Not computed, because the extract lacks a table they need: {}.</p>\n",
            escape(&report.unavailable.join("; "))
        ));
    }
    h.push_str(&table_html(&report.quality, &[]));
    h.push_str("</section>\n");

    h.push_str("<section id=\"definitions\">\n<h2>Definitions</h2>\n");
    h.push_str(&table_html(&report.definitions, &[]));
    h.push_str("</section>\n");

    h.push_str("<section id=\"methods\">\n<h2>Methods</h2>\n");
    for m in methods(report) {
        h.push_str(&format!("<p>{}</p>\n", escape(&m)));
    }
    h.push_str(&format!(
        "<p class=\"small\">Made by Soteria {} from the {} extract as at {}. The same extract and parameters give the same files, byte for byte; <code>manifest.json</code> lists the inputs with their SHA-256.</p>\n</section>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        escape(&report.force),
        report.as_at
    ));
    h
}
