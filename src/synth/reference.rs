//! Reference data the generator embeds, so `soteria generate` runs anywhere. Provenance
//! of each file is in `datasets/README.md`.
use crate::schema::codes::{CodeGroup, offence_group};
use std::collections::BTreeMap;

const RECORDED_BY_FORCE_CODE: &str =
    include_str!("../../datasets/reference/ho-2017-18-recorded-by-force-code.csv");
const CLOSED_OUTCOME_MIX: &str =
    include_str!("../../datasets/reference/ho-2017-18-closed-outcome-mix.csv");
const POPULATION: &str = include_str!("../../datasets/reference/pfa-population-2011-2020.csv");

/// The 43 territorial police forces of England and Wales, with the short code used in
/// synthetic identifiers.
pub const FORCES: &[(&str, &str)] = &[
    ("Avon and Somerset", "AVS"),
    ("Bedfordshire", "BDF"),
    ("Cambridgeshire", "CAM"),
    ("Cheshire", "CHE"),
    ("City of London", "COL"),
    ("Cleveland", "CLE"),
    ("Cumbria", "CUM"),
    ("Derbyshire", "DER"),
    ("Devon and Cornwall", "DEC"),
    ("Dorset", "DOR"),
    ("Durham", "DUR"),
    ("Dyfed-Powys", "DYP"),
    ("Essex", "ESX"),
    ("Gloucestershire", "GLO"),
    ("Greater Manchester", "GMP"),
    ("Gwent", "GWE"),
    ("Hampshire", "HAM"),
    ("Hertfordshire", "HER"),
    ("Humberside", "HUM"),
    ("Kent", "KEN"),
    ("Lancashire", "LAN"),
    ("Leicestershire", "LEI"),
    ("Lincolnshire", "LIN"),
    ("Merseyside", "MER"),
    ("Metropolitan Police", "MET"),
    ("Norfolk", "NFK"),
    ("North Wales", "NWA"),
    ("North Yorkshire", "NYO"),
    ("Northamptonshire", "NHA"),
    ("Northumbria", "NUM"),
    ("Nottinghamshire", "NOT"),
    ("South Wales", "SWA"),
    ("South Yorkshire", "SYO"),
    ("Staffordshire", "STA"),
    ("Suffolk", "SUF"),
    ("Surrey", "SUR"),
    ("Sussex", "SUS"),
    ("Thames Valley", "TVP"),
    ("Warwickshire", "WAR"),
    ("West Mercia", "WME"),
    ("West Midlands", "WMI"),
    ("West Yorkshire", "WYO"),
    ("Wiltshire", "WIL"),
];

/// Force names as they appear in other sources, mapped to the reference name.
pub fn canonical_force_name(name: &str) -> Option<&'static str> {
    let n = name.trim();
    let n = match n {
        "London, City of" | "City of London Police" => "City of London",
        "Metropolitan" | "Metropolitan Police Service" => "Metropolitan Police",
        other => other,
    };
    FORCES
        .iter()
        .find(|(f, _)| f.eq_ignore_ascii_case(n))
        .map(|(f, _)| *f)
}

/// Recorded 2017/18 offences by offence code for one force.
pub fn recorded_by_code(force: &str) -> Vec<(&'static str, f64)> {
    let mut out = Vec::new();
    for line in RECORDED_BY_FORCE_CODE.lines().skip(1) {
        let mut parts = line.rsplitn(3, ',');
        let (Some(n), Some(code), Some(f)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if f.trim_matches('"') == force
            && let Some(c) = crate::schema::codes::OFFENCE_CODES
                .iter()
                .find(|c| c.code == code)
        {
            out.push((c.code, n.parse().unwrap_or(0.0)));
        }
    }
    out
}

/// National 2017/18 recorded totals by offence group, over every force in the file.
pub fn national_recorded(group: CodeGroup) -> f64 {
    RECORDED_BY_FORCE_CODE
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut parts = line.rsplitn(3, ',');
            let n: f64 = parts.next()?.parse().ok()?;
            let code = parts.next()?;
            (offence_group(code) == Some(group)).then_some(n)
        })
        .sum()
}

/// Outcomes assigned in 2017/18 by outcome type, for an offence group.
pub fn closed_outcome_mix(group: CodeGroup) -> Vec<(&'static str, f64)> {
    let mut out = Vec::new();
    for line in CLOSED_OUTCOME_MIX.lines().skip(1) {
        let parts: Vec<&str> = line.split(',').collect();
        if parts.len() == 3
            && parts[0] == group.as_str()
            && let Some(t) = crate::schema::codes::OUTCOME_TYPES
                .iter()
                .find(|t| t.code == parts[1])
        {
            out.push((t.code, parts[2].parse().unwrap_or(0.0)));
        }
    }
    out
}

/// Mid-year population by force and year, 2011-2020.
pub fn population() -> BTreeMap<(String, i32), i64> {
    let mut out = BTreeMap::new();
    for line in POPULATION.lines().skip(1) {
        let parts: Vec<&str> = line.split(',').collect();
        if parts.len() == 4
            && let (Ok(y), Ok(p)) = (parts[2].parse(), parts[3].parse())
        {
            out.insert((parts[1].to_string(), y), p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_totals_match_the_published_file() {
        // datasets/README.md and shared/data/README.md: 53,931 rapes recorded in 2017/18.
        assert_eq!(national_recorded(CodeGroup::Rape), 53_931.0);
        assert_eq!(
            recorded_by_code("Cleveland")
                .iter()
                .filter(|(c, _)| c.starts_with("19"))
                .count(),
            6
        );
        let pop = population();
        assert_eq!(
            FORCES
                .iter()
                .map(|(f, _)| pop[&(f.to_string(), 2019)])
                .sum::<i64>(),
            59_439_840
        );
        assert_eq!(
            canonical_force_name("London, City of"),
            Some("City of London")
        );
    }
}
