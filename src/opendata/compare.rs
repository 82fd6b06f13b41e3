//! Placing a force among its peers: a funnel plot of every force around the England and
//! Wales value, a ranked dot plot with intervals, and a short HTML page saying, for each
//! indicator, where the force sits in words a board understands.
use super::{ENGLAND_AND_WALES, Row};
use crate::charts::bars::{Bar, BarsChart};
use crate::charts::funnel::FunnelChart;
use crate::charts::{Chart, Labels, RenderOptions, Size, alt_text};
use crate::error::{Result, SoteriaError};
use crate::format::{Csv, escape_xml as escape};
use crate::format::{ValueFormat, thousands};
use crate::schema::OffenceGroup;
use crate::stats::funnel::{FunnelFlag, funnel};
use crate::util::capitalise;
use crate::util::ordinal;
use std::path::Path;

pub struct CompareOptions {
    pub force: String,
    pub group: OffenceGroup,
    pub indicator: String,
    pub basis: String,
    pub period: Option<String>,
    pub overdispersion: bool,
    pub dpi: f64,
    /// The input files, for the source line.
    pub source: String,
}

fn words(indicator: &str) -> &'static str {
    match indicator {
        "charge_rate" => "charge rate",
        "outcome14_share" => {
            "share of outcome 14 (suspect not identified, victim does not support action)"
        }
        "outcome15_share" => {
            "share of outcome 15 (evidential difficulties, victim supports action)"
        }
        "outcome16_share" => "share of outcome 16 (victim does not support further action)",
        "outcome18_share" => "share of outcome 18 (no suspect identified)",
        "victim_withdrawal_rate" => "victim withdrawal rate (outcomes 14 and 16)",
        "recorded_per_1000" => "offences recorded per 1,000 population",
        _ => "recorded offences",
    }
}

fn basis_words(basis: &str) -> &'static str {
    if basis == "closed" {
        "of outcomes assigned in the period"
    } else {
        "of offences recorded in the period"
    }
}

fn flag_words(flag: FunnelFlag) -> &'static str {
    match flag {
        FunnelFlag::High998 => "above the 99.8% limit: far higher than chance alone would explain",
        FunnelFlag::High95 => "above the 95% limit: higher than chance would usually explain",
        FunnelFlag::Within => {
            "within the limits: its difference from England and Wales is what chance alone would give"
        }
        FunnelFlag::Low95 => "below the 95% limit: lower than chance would usually explain",
        FunnelFlag::Low998 => "below the 99.8% limit: far lower than chance alone would explain",
    }
}

/// Where the force sits on one indicator and basis: the sentence, the flag and rank.
pub struct Placement {
    pub indicator: &'static str,
    pub basis: &'static str,
    pub value: Option<f64>,
    pub national: Option<f64>,
    pub flag: Option<FunnelFlag>,
    pub rank: Option<(usize, usize)>,
    pub sentence: String,
}

fn place(
    rows: &[Row],
    options: &CompareOptions,
    period: &str,
    indicator: &'static str,
    basis: &'static str,
) -> Option<(Placement, Option<crate::stats::funnel::FunnelResult>)> {
    let pick = |r: &&Row| {
        r.period == period
            && r.group == options.group.id()
            && r.indicator == indicator
            && r.basis == basis
    };
    let national = rows
        .iter()
        .filter(pick)
        .find(|r| r.force == ENGLAND_AND_WALES)?;
    let forces: Vec<&Row> = rows
        .iter()
        .filter(pick)
        .filter(|r| r.force != ENGLAND_AND_WALES && r.value.is_some())
        .collect();
    let own = forces.iter().find(|r| r.force == options.force)?;
    let f = if indicator == "recorded_per_1000" {
        ValueFormat::Decimal(2)
    } else {
        ValueFormat::Percent
    };
    let mut ranked: Vec<&&Row> = forces.iter().collect();
    ranked.sort_by(|a, b| b.value.unwrap_or(0.0).total_cmp(&a.value.unwrap_or(0.0)));
    let rank = ranked
        .iter()
        .position(|r| r.force == options.force)
        .map(|p| (p + 1, ranked.len()));
    let value = own.value?;
    let basis_part = if indicator == "recorded_per_1000" {
        String::new()
    } else {
        format!(
            " ({basis} basis: {})",
            basis_words(basis).trim_start_matches("of ")
        )
    };
    let mut sentence = format!(
        "In {period}, {}'s {} for {}{basis_part} was {} (95% interval {} to {}), against {} for England and Wales",
        options.force,
        words(indicator),
        options.group.words(),
        f.label(value),
        own.ci_low.map_or("-".into(), |v| f.label(v)),
        own.ci_high.map_or("-".into(), |v| f.label(v)),
        national.value.map_or("-".into(), |v| f.label(v)),
    );
    let mut result = None;
    let mut flag = None;
    if indicator != "recorded_per_1000" {
        let units: Vec<(String, f64, f64)> = forces
            .iter()
            .filter_map(|r| Some((r.force.clone(), r.numerator?, r.denominator?)))
            .filter(|u| u.2 > 0.0)
            .collect();
        if let Some(r) = funnel(&units, national.value, options.overdispersion) {
            flag = r
                .units
                .iter()
                .find(|u| u.label == options.force)
                .map(|u| u.flag);
            result = Some(r);
        }
    }
    if let Some(fl) = flag {
        sentence.push_str(&format!("; it is {}", flag_words(fl)));
    }
    if let Some((k, n)) = rank {
        sentence.push_str(&format!(". It ranks {} highest of {n} forces.", ordinal(k)));
    } else {
        sentence.push('.');
    }
    Some((
        Placement {
            indicator,
            basis,
            value: Some(value),
            national: national.value,
            flag,
            rank,
            sentence,
        },
        result,
    ))
}

/// What the comparison says, before it is drawn or written.
struct Comparison {
    period: String,
    indicator: &'static str,
    basis: &'static str,
    /// Every indicator on both bases, for the page.
    placements: Vec<Placement>,
    chosen: Placement,
    funnel: Option<crate::stats::funnel::FunnelResult>,
    /// Offences the force recorded in the period.
    recorded: Option<f64>,
}

/// Checks the options against the input and places the force on every indicator.
fn comparison(rows: &[Row], options: &CompareOptions) -> Result<Comparison> {
    let periods: Vec<&String> = {
        let mut p: Vec<&String> = rows.iter().map(|r| &r.period).collect();
        p.sort();
        p.dedup();
        p
    };
    let period = match &options.period {
        Some(p) => periods
            .iter()
            .find(|x| **x == p)
            .map(|p| p.to_string())
            .ok_or_else(|| {
                SoteriaError::Usage(format!(
                    "--period {p}: the input has {}",
                    periods
                        .iter()
                        .map(|p| p.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?,
        None => periods
            .last()
            .map(|p| p.to_string())
            .ok_or_else(|| SoteriaError::Other("the input has no rows".into()))?,
    };
    if !rows.iter().any(|r| r.force == options.force) {
        let mut forces: Vec<&str> = rows.iter().map(|r| r.force.as_str()).collect();
        forces.dedup();
        return Err(SoteriaError::Usage(format!(
            "--force {}: not in the input (it has {})",
            options.force,
            forces.join(", ")
        )));
    }
    let indicator: &'static str = super::INDICATORS
        .iter()
        .map(|i| i.0)
        .chain(["recorded_per_1000"])
        .find(|i| *i == options.indicator)
        .ok_or_else(|| {
            SoteriaError::Usage(format!(
                "--indicator {}: one of charge_rate, outcome14_share, outcome15_share, outcome16_share, outcome18_share, victim_withdrawal_rate",
                options.indicator
            ))
        })?;
    let basis: &'static str = match options.basis.as_str() {
        "closed" => "closed",
        "recorded" => "recorded",
        b => {
            return Err(SoteriaError::Usage(format!(
                "--basis {b}: recorded or closed"
            )));
        }
    };

    // Every indicator on both bases, for the page.
    let mut placements = Vec::new();
    for (ind, _) in super::INDICATORS {
        for b in ["closed", "recorded"] {
            if let Some((p, _)) = place(rows, options, &period, ind, b) {
                placements.push(p);
            }
        }
    }
    if let Some((p, _)) = place(rows, options, &period, "recorded_per_1000", "recorded") {
        placements.push(p);
    }
    let (chosen, funnel) = place(rows, options, &period, indicator, basis).ok_or_else(|| {
        SoteriaError::Other(format!(
            "{}: no {indicator} ({basis} basis) for {} in {period}",
            options.force, options.group
        ))
    })?;

    let recorded = rows
        .iter()
        .find(|r| {
            r.force == options.force
                && r.period == period
                && r.group == options.group.id()
                && r.indicator == "recorded"
        })
        .and_then(|r| r.value);
    Ok(Comparison {
        period,
        indicator,
        basis,
        placements,
        chosen,
        funnel,
        recorded,
    })
}

fn source_line(options: &CompareOptions) -> String {
    format!(
        "Source: Home Office police recorded crime and outcomes open data ({}); Soteria",
        options.source
    )
}

/// The funnel plot (when the indicator has one) and the ranking, with their labels.
fn charts(
    rows: &[Row],
    options: &CompareOptions,
    c: &Comparison,
) -> Vec<(&'static str, Chart, Labels)> {
    let (period, indicator, basis) = (&c.period, c.indicator, c.basis);
    let source = source_line(options);
    let subtitle = format!(
        "{}, {period}, {} ({} basis)",
        options.group.words(),
        basis_words(basis).trim_start_matches("of "),
        basis
    );
    let mut charts: Vec<(&str, Chart, Labels)> = Vec::new();
    if let Some(r) = c.funnel.clone() {
        charts.push((
            "funnel",
            Chart::Funnel(FunnelChart {
                result: r,
                highlight: Some(options.force.clone()),
                measure: format!("the {} for {}", words(indicator), options.group.words()),
                units: "forces".into(),
                denominator: if basis == "closed" {
                    "outcomes assigned".into()
                } else {
                    "offences recorded".into()
                },
                target_label: "England and Wales".into(),
            }),
            Labels {
                title: format!(
                    "{} by force: {}",
                    capitalise(words(indicator)),
                    options.force
                ),
                subtitle: format!("{subtitle}; limits around England and Wales"),
                source: source.clone(),
            },
        ));
    }
    let format = if indicator == "recorded_per_1000" {
        ValueFormat::Decimal(2)
    } else {
        ValueFormat::Percent
    };
    let bars: Vec<Bar> = rows
        .iter()
        .filter(|r| {
            r.period == *period
                && r.group == options.group.id()
                && r.indicator == indicator
                && r.basis == basis
                && r.force != ENGLAND_AND_WALES
        })
        .filter_map(|r| {
            Some(Bar {
                label: r.force.clone(),
                value: r.value?,
                low: r.ci_low,
                high: r.ci_high,
            })
        })
        .collect();
    let mut ranking = BarsChart::new(bars, format, format!("the {}", words(indicator)));
    ranking.dots = true;
    ranking.highlight = Some(options.force.clone());
    ranking.reference = c
        .chosen
        .national
        .map(|v| (ENGLAND_AND_WALES.to_string(), v));
    charts.push((
        "ranking",
        Chart::Bars(ranking),
        Labels {
            title: format!("{}: forces ranked", capitalise(words(indicator))),
            subtitle: format!("{subtitle}; 95% intervals"),
            source: source.clone(),
        },
    ));

    charts
}

/// `comparison.csv`: one row per indicator and basis.
fn comparison_csv(options: &CompareOptions, c: &Comparison) -> String {
    let mut csv = Csv::new([
        "force",
        "period",
        "offence_group",
        "basis",
        "indicator",
        "value",
        "england_and_wales",
        "funnel_flag",
        "rank",
        "of",
    ]);
    let number = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
    for p in &c.placements {
        csv.row([
            options.force.clone(),
            c.period.clone(),
            options.group.id().to_string(),
            p.basis.to_string(),
            p.indicator.to_string(),
            number(p.value),
            number(p.national),
            p.flag.map_or("", |f| f.as_str()).to_string(),
            p.rank.map_or(String::new(), |r| r.0.to_string()),
            p.rank.map_or(String::new(), |r| r.1.to_string()),
        ]);
    }
    csv.finish()
}

/// The HTML table of every placement.
fn placements_html(c: &Comparison) -> String {
    let mut table = String::from(
        "<table>\n<thead><tr><th>Indicator</th><th>Basis</th><th>Force</th><th>England and Wales</th><th>Funnel</th><th>Rank (highest first)</th></tr></thead>\n<tbody>\n",
    );
    for p in &c.placements {
        let f = if p.indicator == "recorded_per_1000" {
            ValueFormat::Decimal(2)
        } else {
            ValueFormat::Percent
        };
        table.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td></tr>\n",
            escape(&capitalise(words(p.indicator))),
            p.basis,
            p.value.map_or(String::new(), |v| f.label(v)),
            p.national.map_or(String::new(), |v| f.label(v)),
            p.flag.map_or("", |f| match f {
                FunnelFlag::Within => "within limits",
                FunnelFlag::High95 => "above 95% limit",
                FunnelFlag::High998 => "above 99.8% limit",
                FunnelFlag::Low95 => "below 95% limit",
                FunnelFlag::Low998 => "below 99.8% limit",
            }),
            p.rank.map_or(String::new(), |(k, n)| format!("{k} of {n}")),
        ));
    }
    table.push_str("</tbody>\n</table>\n");
    table
}

/// `comparison.html`: the sentences, the figures (inline SVG) and the table.
fn comparison_html(options: &CompareOptions, c: &Comparison, figures: &str) -> String {
    let period = &c.period;
    let chosen = &c.chosen;
    let source = source_line(options);
    // Many forces outside the limits means forces differ by more than chance: say so.
    let outside_share = c.funnel.as_ref().map(|r| {
        r.units
            .iter()
            .filter(|u| matches!(u.flag, FunnelFlag::High998 | FunnelFlag::Low998))
            .count() as f64
            / r.units.len().max(1) as f64
    });
    let mut html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>body{{font-family:\"Liberation Sans\",Arial,Helvetica,sans-serif;color:#0b0c0c;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.4}}h1{{font-size:20pt}}table{{border-collapse:collapse;width:100%;font-size:10pt}}th,td{{border-bottom:1px solid #b1b4b6;padding:.25rem .4rem;text-align:left}}th{{background:#f3f2f1}}td.num{{text-align:right}}figure svg{{width:100%;height:auto}}figcaption,.small{{color:#505a5f;font-size:9pt}}@page{{size:A4;margin:15mm}}figure{{break-inside:avoid}}</style>\n</head>\n<body>\n<p class=\"small\">Operation Soteria: national comparison</p>\n<h1>{title}</h1>\n",
        title = escape(&format!(
            "How {} compares: {}, {period}",
            options.force,
            options.group.words()
        ))
    );
    if let Some(n) = c.recorded {
        html.push_str(&format!(
            "<p>{} recorded {} offences of {} in {period}.</p>\n",
            escape(&options.force),
            thousands(n as i64),
            options.group.words()
        ));
    }
    html.push_str(&format!(
        "<p><strong>{}</strong></p>\n",
        escape(&chosen.sentence)
    ));
    if let Some(r) = outside_share
        && r > 0.2
        && !options.overdispersion
    {
        html.push_str(&format!(
            "<p class=\"small\">{:.0}% of forces fall outside the 99.8% limits: forces differ by more than chance alone, as is common between police forces. The limits can be widened for this overdispersion with <code>--overdispersion</code>.</p>\n",
            r * 100.0
        ));
    }
    html.push_str("<ul>\n");
    for p in c
        .placements
        .iter()
        .filter(|p| !(p.indicator == chosen.indicator && p.basis == chosen.basis))
    {
        html.push_str(&format!("<li>{}</li>\n", escape(&p.sentence)));
    }
    html.push_str("</ul>\n");
    html.push_str(figures);
    html.push_str(&placements_html(c));
    html.push_str(&format!(
        "<p class=\"small\">Two count bases: the recorded basis divides by offences recorded in the period (outcomes so far, \"not yet assigned\" included); the closed basis divides by outcomes assigned in the period, whatever the offence's recording date. Funnel limits (95% and 99.8%) are exact binomial limits around the England and Wales value{}; a force outside them differs by more than chance would explain. Intervals are Wilson 95% intervals. England and Wales sums every row of the input, British Transport Police included. {}</p>\n</body>\n</html>\n",
        if options.overdispersion { ", widened for overdispersion" } else { "" },
        escape(&source)
    ));
    html
}

/// Writes funnel and ranking charts (SVG, PNG, alt text), `comparison.html` and
/// `comparison.csv` to `out`.
pub fn compare(rows: &[Row], options: &CompareOptions, out: &Path) -> Result<Vec<String>> {
    let c = comparison(rows, options)?;
    let charts = charts(rows, options, &c);
    let mut files = Vec::new();
    let mut figures = String::new();
    for (stem, chart, labels) in &charts {
        let height = crate::charts::default_height_mm(chart);
        let options_mm = RenderOptions {
            size: Size::Mm {
                width: crate::charts::DEFAULT_WIDTH_MM,
                height,
            },
            dpi: options.dpi,
        };
        for ext in ["svg", "png"] {
            let path = out.join(format!("{stem}.{ext}"));
            crate::charts::write(&path, chart, labels, &options_mm)?;
            files.push(format!("{stem}.{ext}"));
        }
        files.push(format!("{stem}.txt"));
        let svg = String::from_utf8(crate::charts::render(
            chart,
            labels,
            &options_mm,
            crate::charts::Format::Svg,
        )?)
        .expect("SVG is UTF-8")
        .replace("chart-title", &format!("{stem}-title"))
        .replace("chart-desc", &format!("{stem}-desc"));
        figures.push_str(&format!(
            "<figure>\n{svg}<figcaption>{}</figcaption>\n</figure>\n",
            escape(&alt_text(chart, labels))
        ));
    }

    crate::output::write_atomic(
        &out.join("comparison.csv"),
        comparison_csv(options, &c).as_bytes(),
    )?;
    files.push("comparison.csv".into());
    let html = comparison_html(options, &c, &figures);
    crate::output::write_atomic(&out.join("comparison.html"), html.as_bytes())?;
    files.push("comparison.html".into());
    Ok(files)
}
