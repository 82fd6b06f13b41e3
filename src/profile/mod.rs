//! The RASSO problem profile: who the victims and suspects are, the context, time and
//! place of the offences and how far cases get, over offences recorded in a window,
//! compared with the window of the same length before it. Also the repeat-suspect
//! register ([`register`]) and the scrutiny-panel sample ([`scrutiny`]).
pub mod register;
pub mod scrutiny;

use crate::error::{Result, SoteriaError};
use crate::ingest::Dataset;
use crate::model::{Base, days};
use crate::schema::{OffenceGroup, TableName};
use crate::stats::change::{chi_square_2xk, two_proportion};
use crate::stats::intervals::{rate, wilson};
use crate::util::Month;
use crate::util::chrono_lite::Date;
use polars::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::collections::BTreeMap;

const LEVEL: f64 = 0.95;
/// Top LSOAs listed in the place section.
const TOP_LSOAS: usize = 20;

#[derive(Debug, Clone)]
pub struct ProfileOptions {
    pub from: Month,
    pub to: Month,
    pub force: Option<String>,
    pub group: OffenceGroup,
    pub compare: bool,
    pub as_at: Option<Date>,
    pub repeat_window_days: i32,
}

/// One crime's category in every dimension, for the current or previous window.
struct CrimeCategories<'a> {
    current: bool,
    /// By dimension, in the order of `DIMENSIONS`; borrowed where the text exists already.
    cats: Vec<Cow<'a, str>>,
}

const DIMENSIONS: &[(&str, &str)] = &[
    ("victims", "age_band"),
    ("victims", "sex"),
    ("victims", "ethnicity"),
    ("victims", "vulnerable"),
    ("victims", "repeat_victim"),
    ("context", "relationship"),
    ("context", "location_type"),
    ("context", "domestic_abuse"),
    ("context", "online_facilitated"),
    ("context", "alcohol_involved"),
    ("context", "drugs_involved"),
    ("context", "word_on_word"),
    ("time", "month"),
    ("time", "weekday"),
    ("time", "hour"),
    ("time", "weekday_hour"),
    ("time", "report_delay"),
    ("place", "area"),
    ("place", "lsoa_top"),
    // Sex and age band together, for the population pyramid; after the place section in
    // this list only so that the indices above stay put (rows are ordered by section).
    ("victims", "sex_age_band"),
];

pub fn age_band(age: Option<i64>) -> &'static str {
    match age {
        None => "unknown",
        Some(a) if a <= 12 => "0-12",
        Some(a) if a <= 15 => "13-15",
        Some(a) if a <= 17 => "16-17",
        Some(a) if a <= 24 => "18-24",
        Some(a) if a <= 34 => "25-34",
        Some(a) if a <= 44 => "35-44",
        Some(a) if a <= 54 => "45-54",
        Some(_) => "55+",
    }
}

/// Offence to report, in days.
pub fn report_delay_band(delay: Option<i32>) -> &'static str {
    match delay {
        Some(0) => "same_day",
        Some(d) if (1..=6).contains(&d) => "1-6_days",
        Some(d) if (7..=30).contains(&d) => "7-30_days",
        Some(d) if (31..=365).contains(&d) => "31-365_days",
        // Five years of 365 days and a leap day.
        Some(d) if (366..=1826).contains(&d) => "1-5_years",
        Some(d) if d > 1826 => "over_5_years",
        _ => "unknown",
    }
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// A text category, `unknown` when missing.
fn text(v: Option<&str>) -> Cow<'_, str> {
    Cow::Borrowed(v.unwrap_or("unknown"))
}

fn flag(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "true",
        Some(false) => "false",
        None => "unknown",
    }
}

const HOURS: [&str; 24] = [
    "00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15",
    "16", "17", "18", "19", "20", "21", "22", "23",
];

/// Computes the profile table.
pub fn profile(dataset: &Dataset, options: &ProfileOptions) -> Result<DataFrame> {
    if options.from > options.to {
        return Err(SoteriaError::Usage(format!(
            "--from {} is after --to {}",
            options.from, options.to
        )));
    }
    let months = options.to.index() - options.from.index() + 1;
    let prev_from = options.from.plus(-months);
    let as_at = dataset.as_at(options.as_at)?;
    // The profile uses the arrest and interview facts and CPS files, and no other event.
    let base = Base::build_with_events(
        dataset,
        as_at.days(),
        options.force.as_deref(),
        None,
        Some(&[
            "suspect_arrested",
            "suspect_interviewed",
            "cps_file_submitted",
        ]),
    )?;
    let t0 = std::time::Instant::now();
    crate::util::trace(|| "profile: base built".into());
    let (lo, hi) = (prev_from.first_day().days(), options.to.last_day().days());
    let cur_lo = options.from.first_day().days();
    let base = &base;
    // The offences' dimensions and the suspects' are independent: side by side
    // ([`Base::workers`]).
    let offence_part = || -> Result<(Vec<ProfileRow>, DataFrame)> {
        let group_filter = |lf: LazyFrame| match options.group {
            OffenceGroup::All => lf,
            g => lf.filter(col("grp").eq(lit(g.id()))),
        };

        // Crimes with their victim and context columns, both windows.
        let mut offences = dataset
            .lazy(TableName::Offences)
            .expect("offences are always loaded")
            .filter(days("recorded_date").lt_eq(lit(as_at.days())));
        if let Some(f) = &options.force {
            offences = offences.filter(col("force").eq(lit(f.clone())));
        }
        // Crimes recorded before the earlier window, less a year for repeat victims, play no
        // part: leave them out before the join.
        let earliest = lo - 365;
        let offences = offences.filter(days("recorded_date").gt_eq(lit(earliest)));
        let crimes = group_filter(base.crimes().filter(col("recorded").gt_eq(lit(earliest))))
            .select([
                col("crime_id"),
                col("cidx"),
                col("grp"),
                col("reported"),
                col("recorded"),
                col("has_suspect"),
                col("has_arrest_or_interview"),
                col("cur_type"),
            ]);
        let cps = match base.events_of(&["cps_file_submitted"]) {
            Some(e) => e
                .select([col("cidx")])
                .unique(None, UniqueKeepStrategy::Any)
                .with_column(lit(true).alias("has_cps_file")),
            None => df!("cidx" => Vec::<u32>::new(), "has_cps_file" => Vec::<bool>::new())?.lazy(),
        };
        let all_crimes = crimes
            .clone()
            .join(
                offences.clone(),
                [col("crime_id")],
                [col("crime_id")],
                JoinArgs::new(JoinType::Inner),
            )
            .join(
                cps,
                [col("cidx")],
                [col("cidx")],
                JoinArgs::new(JoinType::Left),
            )
            .with_column(col("has_cps_file").fill_null(lit(false)))
            .sort(["recorded", "crime_id"], SortMultipleOptions::default())
            .collect()?;

        crate::util::trace(|| {
            format!(
                "profile: {} crimes joined {:.2?}",
                all_crimes.height(),
                t0.elapsed()
            )
        });
        // Repeat victims: two or more crimes recorded within 12 months up to the crime.
        let repeat_victim = repeat_victims(&all_crimes)?;
        crate::util::trace(|| format!("profile: repeat victims {:.2?}", t0.elapsed()));

        let window = all_crimes
            .clone()
            .lazy()
            .with_row_index("i", None)
            .filter(
                col("recorded")
                    .gt_eq(lit(lo))
                    .and(col("recorded").lt_eq(lit(hi))),
            )
            .collect()?;
        // Text columns are borrowed from the window, not copied: half a million crimes.
        let text_columns: Vec<Column> = [
            "victim_sex",
            "victim_ethnicity",
            "relationship",
            "location_type",
            "area",
            "lsoa_code",
        ]
        .iter()
        .map(|c| window.column(c)?.cast(&DataType::String))
        .collect::<PolarsResult<_>>()?;
        let texts: Vec<Vec<Option<&str>>> = text_columns
            .iter()
            .map(|c| c.str().map(|ca| ca.iter().collect()))
            .collect::<PolarsResult<_>>()?;
        let (sex, eth, rel, loc, area, lsoa) = (
            &texts[0], &texts[1], &texts[2], &texts[3], &texts[4], &texts[5],
        );
        let get_i64 = |c: &str| -> Result<Vec<Option<i64>>> {
            Ok(window
                .column(c)?
                .cast(&DataType::Int64)?
                .i64()?
                .iter()
                .collect())
        };
        let get_bool = |c: &str| -> Result<Vec<Option<bool>>> {
            Ok(window.column(c)?.bool()?.iter().collect())
        };
        let idx: Vec<Option<i64>> = get_i64("i")?;
        let recorded = get_i64("recorded")?;
        let (age, vuln) = (get_i64("victim_age")?, get_bool("victim_vulnerable")?);
        let flags: Vec<Vec<Option<bool>>> = [
            "domestic_abuse",
            "online_facilitated",
            "alcohol_involved",
            "drugs_involved",
            "word_on_word",
        ]
        .iter()
        .map(|c| get_bool(c))
        .collect::<Result<_>>()?;
        let offence_date = get_i64("offence_date")?;
        let reported = get_i64("reported")?;
        let hour = get_i64("offence_hour")?;

        crate::util::trace(|| format!("profile: columns {:.2?}", t0.elapsed()));
        // Month labels once per month of the two windows.
        let month_labels: HashMap<i32, String> = (prev_from.index()..=options.to.index())
            .map(|m| (m, Month::from_index(m).to_string()))
            .collect();
        let unknown = || Cow::Borrowed("unknown");
        let mut crimes_cats = Vec::with_capacity(window.height());
        for k in 0..window.height() {
            let rec = recorded[k].unwrap_or(0) as i32;
            let weekday =
                offence_date[k].map(|d| WEEKDAYS[Date::from_days(d as i32).weekday() as usize]);
            let hour_cat = hour[k].and_then(|h| HOURS.get(h as usize).copied());
            let mut cats: Vec<Cow<str>> = Vec::with_capacity(DIMENSIONS.len());
            cats.push(Cow::Borrowed(age_band(age[k])));
            cats.push(text(sex[k]));
            cats.push(text(eth[k]));
            cats.push(Cow::Borrowed(flag(vuln[k])));
            cats.push(Cow::Borrowed(
                match repeat_victim.get(&(idx[k].unwrap_or(-1) as usize)) {
                    Some(true) => "repeat",
                    Some(false) => "first",
                    None => "unknown",
                },
            ));
            cats.push(text(rel[k]));
            cats.push(text(loc[k]));
            for f in &flags {
                cats.push(Cow::Borrowed(flag(f[k])));
            }
            let month = Month::index_of_day(rec);
            cats.push(match month_labels.get(&month) {
                Some(m) => Cow::Borrowed(m.as_str()),
                None => Cow::Owned(Month::from_index(month).to_string()),
            });
            cats.push(weekday.map_or_else(unknown, Cow::Borrowed));
            cats.push(hour_cat.map_or_else(unknown, Cow::Borrowed));
            cats.push(match (weekday, hour_cat) {
                (Some(w), Some(h)) => Cow::Owned(format!("{w} {h}")),
                _ => unknown(),
            });
            let delay = match (reported[k], offence_date[k]) {
                (Some(r), Some(o)) => Some((r - o) as i32),
                _ => None,
            };
            cats.push(Cow::Borrowed(report_delay_band(delay)));
            cats.push(text(area[k]));
            cats.push(text(lsoa[k]));
            cats.push(Cow::Owned(format!(
                "{} {}",
                sex[k].unwrap_or("unknown"),
                age_band(age[k])
            )));
            debug_assert_eq!(cats.len(), DIMENSIONS.len());
            crimes_cats.push(CrimeCategories {
                current: rec >= cur_lo,
                cats,
            });
        }
        crate::util::trace(|| format!("profile: categories {:.2?}", t0.elapsed()));
        let total_cur = crimes_cats.iter().filter(|c| c.current).count() as f64;
        let total_prev = crimes_cats.len() as f64 - total_cur;

        let mut rows: Vec<ProfileRow> = Vec::new();
        for (d, (section, dimension)) in DIMENSIONS.iter().enumerate() {
            // Counted by borrowed category, so that half a million crimes make no strings.
            let mut by_cat: HashMap<&str, (f64, f64)> = HashMap::default();
            for c in &crimes_cats {
                let e = by_cat.entry(c.cats[d].as_ref()).or_default();
                if c.current { e.0 += 1.0 } else { e.1 += 1.0 }
            }
            let counts: BTreeMap<String, (f64, f64)> = by_cat
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
            let comparable = options.compare && *dimension != "month";
            let mut cats: Vec<(String, (f64, f64))> = counts.into_iter().collect();
            if *dimension == "lsoa_top" {
                cats.retain(|(c, _)| c != "unknown");
                cats.sort_by(|a, b| b.1.0.total_cmp(&a.1.0).then(a.0.cmp(&b.0)));
                cats.truncate(TOP_LSOAS);
            }
            push_dimension(
                &mut rows,
                section,
                dimension,
                &cats,
                total_cur,
                total_prev,
                comparable,
                *dimension != "lsoa_top",
            );
        }
        crate::util::trace(|| format!("profile: offence dimensions {:.2?}", t0.elapsed()));
        area_rates(dataset, options, &mut rows)?;
        Ok((rows, all_crimes))
    };
    let suspect_part = || -> Result<Vec<ProfileRow>> {
        let mut rows = Vec::new();
        suspect_rows(dataset, base, options, (lo, cur_lo, hi), &mut rows)?;
        crate::util::trace(|| format!("profile: suspects {:.2?}", t0.elapsed()));
        Ok(rows)
    };
    let (offences, suspects) = crate::util::both(base.workers(), offence_part, suspect_part);
    let (mut rows, all_crimes) = offences?;
    rows.extend(suspects?);
    attrition_rows(&all_crimes, (lo, cur_lo, hi), options.compare, &mut rows)?;
    let order = [
        "victims",
        "suspects",
        "context",
        "time",
        "place",
        "attrition",
    ];
    rows.sort_by_key(|r| order.iter().position(|s| *s == r.section));
    to_frame(rows)
}

struct ProfileRow {
    section: &'static str,
    dimension: &'static str,
    category: String,
    count: f64,
    share: Option<f64>,
    ci: Option<(f64, f64)>,
    prev_count: Option<f64>,
    prev_share: Option<f64>,
    p_value: Option<f64>,
    rate: Option<(f64, f64, f64)>,
}

#[allow(clippy::too_many_arguments)]
fn push_dimension(
    rows: &mut Vec<ProfileRow>,
    section: &'static str,
    dimension: &'static str,
    cats: &[(String, (f64, f64))],
    total: f64,
    prev_total: f64,
    compare: bool,
    with_all: bool,
) {
    for (cat, (n, p)) in cats {
        let w = wilson(*n, total, LEVEL);
        rows.push(ProfileRow {
            section,
            dimension,
            category: cat.clone(),
            count: *n,
            share: w.map(|i| i.estimate),
            ci: w.map(|i| (i.lower, i.upper)),
            prev_count: compare.then_some(*p),
            prev_share: compare
                .then(|| (prev_total > 0.0).then(|| p / prev_total))
                .flatten(),
            p_value: compare
                .then(|| two_proportion(*n, total, *p, prev_total, LEVEL).map(|t| t.p_value))
                .flatten(),
            rate: None,
        });
    }
    if with_all {
        let cur: Vec<f64> = cats.iter().map(|c| c.1.0).collect();
        let prev: Vec<f64> = cats.iter().map(|c| c.1.1).collect();
        rows.push(ProfileRow {
            section,
            dimension,
            category: "_all".into(),
            count: total,
            share: (total > 0.0).then_some(1.0),
            ci: None,
            prev_count: compare.then_some(prev_total),
            prev_share: compare.then(|| (prev_total > 0.0).then_some(1.0)).flatten(),
            p_value: compare
                .then(|| chi_square_2xk(&cur, &prev).map(|t| t.p_value))
                .flatten(),
            rate: None,
        });
    }
}

/// Each victim's crimes in order; a crime is a repeat when the victim has two or more
/// crimes recorded in the 365 days up to and including it.
fn repeat_victims(crimes: &DataFrame) -> Result<HashMap<usize, bool>> {
    let victim = crimes.column("victim_id")?.str()?;
    let recorded = crimes.column("recorded")?.i32()?;
    let mut by_victim: HashMap<&str, Vec<(i32, usize)>> = HashMap::default();
    let mut out = HashMap::default();
    for i in 0..crimes.height() {
        if let Some(v) = victim.get(i) {
            by_victim
                .entry(v)
                .or_default()
                .push((recorded.get(i).unwrap_or(0), i));
        }
    }
    for list in by_victim.values_mut() {
        list.sort();
        for (k, (day, i)) in list.iter().enumerate() {
            let within = list[..=k].iter().filter(|(d, _)| *d > day - 365).count();
            out.insert(*i, within >= 2);
        }
    }
    Ok(out)
}

/// Rates per 1,000 residents over the window for each area, from the population table
/// (the latest year on or before the window's last year).
fn area_rates(dataset: &Dataset, options: &ProfileOptions, rows: &mut [ProfileRow]) -> Result<()> {
    let Some(pop) = dataset.table(TableName::Population) else {
        return Ok(());
    };
    let force = pop.column("force")?.str()?;
    let area = pop.column("area")?.str()?;
    let year = pop.column("year")?.i64()?;
    let population = pop.column("population")?.i64()?;
    let mut best: HashMap<String, (i64, f64)> = HashMap::default();
    for i in 0..pop.height() {
        if options
            .force
            .as_deref()
            .is_some_and(|f| force.get(i) != Some(f))
        {
            continue;
        }
        let (Some(a), Some(y), Some(p)) = (area.get(i), year.get(i), population.get(i)) else {
            continue;
        };
        if y > options.to.year as i64 {
            continue;
        }
        let e = best.entry(a.to_string()).or_insert((i64::MIN, 0.0));
        if y > e.0 {
            *e = (y, p as f64);
        } else if y == e.0 && options.force.is_none() {
            e.1 += p as f64;
        }
    }
    for r in rows
        .iter_mut()
        .filter(|r| r.dimension == "area" && r.category != "_all")
    {
        if let Some((_, p)) = best.get(&r.category) {
            r.rate = rate(r.count, *p, 1000.0, LEVEL).map(|i| (i.estimate, i.lower, i.upper));
        }
    }
    Ok(())
}

/// One row per distinct suspect linked to an offence in the window.
fn suspect_rows(
    dataset: &Dataset,
    base: &Base,
    options: &ProfileOptions,
    (lo, cur_lo, hi): (i32, i32, i32),
    rows: &mut Vec<ProfileRow>,
) -> Result<()> {
    let t0 = std::time::Instant::now();
    let Some(links) = &base.suspects else {
        return Ok(());
    };
    // Crimes of the offence group by index (`cidx` is the row of `base.crimes`): a lookup,
    // not a join, and no sort, since only the sets of crimes per suspect matter.
    let in_group: Vec<bool> = match options.group {
        OffenceGroup::All => vec![true; base.crimes.height()],
        g => base
            .crimes
            .column("grp")?
            .str()?
            .iter()
            .map(|x| x == Some(g.id()))
            .collect(),
    };
    // Links older than the repeat window before the earlier window decide nothing.
    let all_links = links
        .clone()
        .lazy()
        .filter(
            col("day")
                .gt(lit(lo - options.repeat_window_days - 1))
                .or(col("recorded").gt_eq(lit(lo))),
        )
        .collect()?;
    let sid = all_links.column("suspect_id")?.str()?;
    let day = all_links.column("day")?.i32()?;
    let rec = all_links.column("recorded")?.i32()?;
    let cidx = all_links.column("cidx")?.u32()?;
    let mut per: BTreeMap<(bool, &str), Vec<u32>> = BTreeMap::new();
    let mut history: HashMap<&str, Vec<(i32, u32)>> = HashMap::default();
    for i in 0..all_links.height() {
        let (Some(s), Some(d), Some(r), Some(c)) =
            (sid.get(i), day.get(i), rec.get(i), cidx.get(i))
        else {
            continue;
        };
        if !in_group[c as usize] {
            continue;
        }
        history.entry(s).or_default().push((d, c));
        if r >= lo && r <= hi {
            let e = per.entry((r >= cur_lo, s)).or_default();
            if !e.contains(&c) {
                e.push(c);
            }
        }
    }
    let wanted: Vec<&str> = {
        let mut w: Vec<&str> = per.keys().map(|(_, s)| *s).collect();
        w.sort_unstable();
        w.dedup();
        w
    };
    crate::util::trace(|| format!("profile: suspect links {:.2?}", t0.elapsed()));
    // A one-force base lacks the suspects' crimes in other forces: read them all.
    let people = match base.force {
        Some(_) => crate::model::PersonLinks::build(base, dataset)?,
        None => None,
    };
    let attributes = suspect_attributes(dataset, base.as_at, &wanted)?;
    crate::util::trace(|| format!("profile: suspect attributes {:.2?}", t0.elapsed()));
    let mut dims: Vec<BTreeMap<String, (f64, f64)>> = vec![BTreeMap::new(); 5];
    let (mut total, mut prev_total) = (0.0, 0.0);
    for ((current, s), crimes) in &per {
        let (age, sex) = attributes.get(*s).cloned().unwrap_or((None, None));
        let window_end = if *current { hi } else { cur_lo - 1 };
        let since = window_end - options.repeat_window_days;
        let distinct = match &people {
            Some(p) => p.distinct_crimes(s, options.group, since, window_end),
            None => crate::model::distinct_in_window(history[s].iter().copied(), since, window_end),
        };
        let sex = sex.unwrap_or_else(|| "unknown".into());
        let cats = [
            age_band(age).to_string(),
            sex.clone(),
            if distinct >= 2 {
                "repeat".into()
            } else {
                "first_time".into()
            },
            match crimes.len() {
                1 => "1".into(),
                2 => "2".into(),
                3 | 4 => "3-4".into(),
                _ => "5+".into(),
            },
            format!("{sex} {}", age_band(age)),
        ];
        for (k, c) in cats.into_iter().enumerate() {
            let e = dims[k].entry(c).or_default();
            if *current { e.0 += 1.0 } else { e.1 += 1.0 }
        }
        if *current {
            total += 1.0
        } else {
            prev_total += 1.0
        }
    }
    for (k, dimension) in ["age_band", "sex", "repeat", "linked_crimes", "sex_age_band"]
        .into_iter()
        .enumerate()
    {
        let cats: Vec<(String, (f64, f64))> = dims[k].clone().into_iter().collect();
        push_dimension(
            rows,
            "suspects",
            dimension,
            &cats,
            total,
            prev_total,
            options.compare,
            true,
        );
    }
    Ok(())
}

/// Age and sex by suspect_id.
type SuspectAttributes = HashMap<String, (Option<i64>, Option<String>)>;

/// Each suspect's age and sex as recorded at their latest link on or before the as-at date.
fn suspect_attributes(dataset: &Dataset, as_at: i32, wanted: &[&str]) -> Result<SuspectAttributes> {
    let Some(s) = dataset.table(TableName::Suspects) else {
        return Ok(HashMap::default());
    };
    // One pass over the links, keeping each wanted suspect's latest link (a later row wins
    // a tie of dates, as in file order): no sort of a national table.
    let wanted: rustc_hash::FxHashSet<&str> = wanted.iter().copied().collect();
    let id = s.column("suspect_id")?.str()?;
    let linked = s.column("linked_date")?.cast(&DataType::Int32)?;
    let linked = linked.i32()?;
    let age = s.column("suspect_age")?.cast(&DataType::Int64)?;
    let age = age.i64()?;
    let sex = s.column("suspect_sex")?.cast(&DataType::String)?;
    let sex = sex.str()?;
    let mut latest: HashMap<&str, (i32, usize)> = HashMap::default();
    for (i, (sid, day)) in id.iter().zip(linked.iter()).enumerate() {
        let (Some(sid), Some(day)) = (sid, day) else {
            continue;
        };
        if day > as_at || !wanted.contains(sid) {
            continue;
        }
        let e = latest.entry(sid).or_insert((day, i));
        if day >= e.0 {
            *e = (day, i);
        }
    }
    Ok(latest
        .into_iter()
        .map(|(sid, (_, i))| {
            (
                sid.to_string(),
                (age.get(i), sex.get(i).map(str::to_string)),
            )
        })
        .collect())
}

/// Recorded, suspect identified, arrested or interviewed, file to CPS, charged: counts
/// and the share of recorded, with the previous window's.
fn attrition_rows(
    crimes: &DataFrame,
    (lo, cur_lo, hi): (i32, i32, i32),
    compare: bool,
    rows: &mut Vec<ProfileRow>,
) -> Result<()> {
    let rec = crimes.column("recorded")?.i32()?;
    let stage = |c: &str| -> Result<Vec<bool>> {
        Ok(crimes
            .column(c)?
            .bool()?
            .iter()
            .map(|v| v.unwrap_or(false))
            .collect())
    };
    let suspect = stage("has_suspect")?;
    let arrest = stage("has_arrest_or_interview")?;
    let cps = stage("has_cps_file")?;
    let charged: Vec<bool> = crimes
        .column("cur_type")?
        .str()?
        .iter()
        .map(|t| t.is_some_and(|t| crate::schema::codes::CHARGE_OUTCOMES.contains(&t)))
        .collect();
    let mut counts = [(0.0, 0.0); 5];
    for i in 0..crimes.height() {
        let Some(r) = rec.get(i) else { continue };
        if r < lo || r > hi {
            continue;
        }
        let stages = [
            true,
            suspect[i],
            suspect[i] && arrest[i],
            cps[i],
            charged[i],
        ];
        for (k, s) in stages.iter().enumerate() {
            if *s {
                if r >= cur_lo {
                    counts[k].0 += 1.0
                } else {
                    counts[k].1 += 1.0
                }
            }
        }
    }
    let cats: Vec<(String, (f64, f64))> = [
        "recorded",
        "suspect_identified",
        "arrested_or_interviewed",
        "cps_file",
        "charged",
    ]
    .iter()
    .zip(counts)
    .map(|(c, n)| (c.to_string(), n))
    .collect();
    push_dimension(
        rows,
        "attrition",
        "stage",
        &cats,
        counts[0].0,
        counts[0].1,
        compare,
        false,
    );
    Ok(())
}

fn to_frame(rows: Vec<ProfileRow>) -> Result<DataFrame> {
    let f = |g: fn(&ProfileRow) -> Option<f64>| rows.iter().map(g).collect::<Vec<_>>();
    Ok(DataFrame::new_infer_height(vec![
        Column::new(
            "section".into(),
            rows.iter().map(|r| r.section).collect::<Vec<_>>(),
        ),
        Column::new(
            "dimension".into(),
            rows.iter().map(|r| r.dimension).collect::<Vec<_>>(),
        ),
        Column::new(
            "category".into(),
            rows.iter().map(|r| r.category.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "count".into(),
            rows.iter().map(|r| r.count).collect::<Vec<_>>(),
        ),
        Column::new("share".into(), f(|r| r.share)),
        Column::new("ci_low".into(), f(|r| r.ci.map(|c| c.0))),
        Column::new("ci_high".into(), f(|r| r.ci.map(|c| c.1))),
        Column::new("prev_count".into(), f(|r| r.prev_count)),
        Column::new("prev_share".into(), f(|r| r.prev_share)),
        Column::new("p_value".into(), f(|r| r.p_value)),
        Column::new("rate_per_1000".into(), f(|r| r.rate.map(|x| x.0))),
        Column::new("rate_ci_low".into(), f(|r| r.rate.map(|x| x.1))),
        Column::new("rate_ci_high".into(), f(|r| r.rate.map(|x| x.2))),
    ])?)
}
