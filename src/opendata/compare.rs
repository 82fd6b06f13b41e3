//! Placing a force among its peers: a funnel plot of every force around the England and
//! Wales value, a ranked dot plot with intervals, and a short HTML page saying, for each
//! indicator, where the force sits in words a board understands.
use super::{ENGLAND_AND_WALES, Row};
use crate::charts::bars::{Bar, BarsChart};
use crate::charts::draw::{ValueFormat, thousands};
use crate::charts::funnel::FunnelChart;
use crate::charts::{Chart, Labels, RenderOptions, Size, alt_text};
use crate::error::{Result, SoteriaError};
use crate::output::{csv_field, escape_xml as escape};
use crate::stats::funnel::{FunnelFlag, funnel};
use crate::util::capitalise;
use crate::util::ordinal;
use std::path::Path;

pub struct CompareOptions {
    pub force: String,
    pub group: String,
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

fn group_words(group: &str) -> &'static str {
    match group {
        "rape" => "rape",
        "other_sexual" => "other sexual offences",
        _ => "all sexual offences",
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
            && r.group == options.group
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
        group_words(&options.group),
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

/// Writes funnel and ranking charts (SVG, PNG, alt text), `comparison.html` and
/// `comparison.csv` to `out`.
pub fn compare(rows: &[Row], options: &CompareOptions, out: &Path) -> Result<Vec<String>> {
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
    let (chosen, funnel_result) =
        place(rows, options, &period, indicator, basis).ok_or_else(|| {
            SoteriaError::Other(format!(
                "{}: no {indicator} ({basis} basis) for {} in {period}",
                options.force, options.group
            ))
        })?;

    let source = format!(
        "Source: Home Office police recorded crime and outcomes open data ({}); Soteria",
        options.source
    );
    let subtitle = format!(
        "{}, {period}, {} ({} basis)",
        group_words(&options.group),
        basis_words(basis).trim_start_matches("of "),
        basis
    );
    let mut charts: Vec<(&str, Chart, Labels)> = Vec::new();
    let outside_share = funnel_result.as_ref().map(|r| {
        r.units
            .iter()
            .filter(|u| matches!(u.flag, FunnelFlag::High998 | FunnelFlag::Low998))
            .count() as f64
            / r.units.len().max(1) as f64
    });
    if let Some(r) = funnel_result {
        charts.push((
            "funnel",
            Chart::Funnel(FunnelChart {
                result: r,
                highlight: Some(options.force.clone()),
                measure: format!(
                    "the {} for {}",
                    words(indicator),
                    group_words(&options.group)
                ),
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
            r.period == period
                && r.group == options.group
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
    ranking.reference = chosen.national.map(|v| (ENGLAND_AND_WALES.to_string(), v));
    charts.push((
        "ranking",
        Chart::Bars(ranking),
        Labels {
            title: format!("{}: forces ranked", capitalise(words(indicator))),
            subtitle: format!("{subtitle}; 95% intervals"),
            source: source.clone(),
        },
    ));

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

    let mut csv = String::from(
        "force,period,offence_group,basis,indicator,value,england_and_wales,funnel_flag,rank,of\n",
    );
    let mut table = String::from(
        "<table>\n<thead><tr><th>Indicator</th><th>Basis</th><th>Force</th><th>England and Wales</th><th>Funnel</th><th>Rank (highest first)</th></tr></thead>\n<tbody>\n",
    );
    for p in &placements {
        let f = if p.indicator == "recorded_per_1000" {
            ValueFormat::Decimal(2)
        } else {
            ValueFormat::Percent
        };
        csv.push_str(&format!(
            "{},{period},{},{},{},{},{},{},{},{}\n",
            csv_field(&options.force),
            options.group,
            p.basis,
            p.indicator,
            p.value.map_or(String::new(), |v| v.to_string()),
            p.national.map_or(String::new(), |v| v.to_string()),
            p.flag.map_or("", |f| f.as_str()),
            p.rank.map_or(String::new(), |r| r.0.to_string()),
            p.rank.map_or(String::new(), |r| r.1.to_string()),
        ));
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
    crate::output::write_atomic(&out.join("comparison.csv"), csv.as_bytes())?;
    files.push("comparison.csv".into());

    let recorded = rows
        .iter()
        .find(|r| {
            r.force == options.force
                && r.period == period
                && r.group == options.group
                && r.indicator == "recorded"
        })
        .and_then(|r| r.value);
    let mut html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>body{{font-family:\"Liberation Sans\",Arial,Helvetica,sans-serif;color:#0b0c0c;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.4}}h1{{font-size:20pt}}table{{border-collapse:collapse;width:100%;font-size:10pt}}th,td{{border-bottom:1px solid #b1b4b6;padding:.25rem .4rem;text-align:left}}th{{background:#f3f2f1}}td.num{{text-align:right}}figure svg{{width:100%;height:auto}}figcaption,.small{{color:#505a5f;font-size:9pt}}@page{{size:A4;margin:15mm}}figure{{break-inside:avoid}}</style>\n</head>\n<body>\n<p class=\"small\">Operation Soteria: national comparison</p>\n<h1>{title}</h1>\n",
        title = escape(&format!(
            "How {} compares: {}, {period}",
            options.force,
            group_words(&options.group)
        ))
    );
    if let Some(n) = recorded {
        html.push_str(&format!(
            "<p>{} recorded {} offences of {} in {period}.</p>\n",
            escape(&options.force),
            thousands(n as i64),
            group_words(&options.group)
        ));
    }
    html.push_str(&format!(
        "<p><strong>{}</strong></p>\n",
        escape(&chosen.sentence)
    ));
    // Many forces outside the limits means forces differ by more than chance: say so.
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
    for p in placements
        .iter()
        .filter(|p| !(p.indicator == chosen.indicator && p.basis == chosen.basis))
    {
        html.push_str(&format!("<li>{}</li>\n", escape(&p.sentence)));
    }
    html.push_str("</ul>\n");
    html.push_str(&figures);
    html.push_str(&table);
    html.push_str(&format!(
        "<p class=\"small\">Two count bases: the recorded basis divides by offences recorded in the period (outcomes so far, \"not yet assigned\" included); the closed basis divides by outcomes assigned in the period, whatever the offence's recording date. Funnel limits (95% and 99.8%) are exact binomial limits around the England and Wales value{}; a force outside them differs by more than chance would explain. Intervals are Wilson 95% intervals. England and Wales sums every row of the input, British Transport Police included. {}</p>\n</body>\n</html>\n",
        if options.overdispersion { ", widened for overdispersion" } else { "" },
        escape(&source)
    ));
    crate::output::write_atomic(&out.join("comparison.html"), html.as_bytes())?;
    files.push("comparison.html".into());
    Ok(files)
}
