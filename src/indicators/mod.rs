//! The NOM flight deck: every indicator of `flight-deck.md` by month, force, area and
//! offence group, with intervals and, on request, SPC. Indicators live one file per
//! pillar; [`registry`] is the catalogue. The base relations are built once
//! ([`crate::model::Base`]) and every table-shaped indicator is a lazy plan over them; the plans
//! are collected together, then the grid of months is filled in here.
mod partial;
mod pillar1;
mod pillar2;
mod pillar3;
mod pillar4;
mod pillar5;
mod pillar6;
pub mod registry;
pub mod status;
mod summary;
pub mod targets;

pub use crate::model::SplitBy;
pub use registry::{CATALOGUE, Indicator, Unit};
pub use status::{Status, StatusRules, WindowOverrides};
pub use summary::{summary, summary_of};
pub use targets::{ProcessChange, Targets};

use crate::error::{Result, SoteriaError};
use crate::ingest::Dataset;
use crate::model::{ALL_AREAS, Base};
use crate::schema::{OffenceGroup, TableName};
use crate::stats::distributions::z_for_level;
use crate::stats::intervals::{poisson_phe, wilson_z};
use crate::stats::spc::{SpcOptions, xmr_series};
use crate::util::Job;
use crate::util::Month;
use crate::util::chrono_lite::Date;
use partial::Row;
use polars::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

/// Default window for repeat suspects: 1,825 days (five years).
pub const DEFAULT_REPEAT_WINDOW_DAYS: i32 = 1825;
const LEVEL: f64 = 0.95;

#[derive(Debug, Clone)]
pub struct FlightDeckOptions {
    pub as_at: Option<Date>,
    pub from: Option<Month>,
    pub to: Option<Month>,
    pub force: Option<String>,
    pub split: Option<SplitBy>,
    /// Only this offence group (`all`, `rape`, `other_sexual`); every group when `None`.
    pub group: Option<OffenceGroup>,
    pub indicators: Option<Vec<String>>,
    pub repeat_window_days: i32,
    /// SPC columns for every monthly series.
    pub spc: Option<SpcOptions>,
    /// Where the extract's coverage starts; default the first month of
    /// `offences.recorded_date`.
    pub coverage_from: Option<Month>,
    /// Maturity and burn-in overrides.
    pub windows: WindowOverrides,
    /// Process changes that rebase the SPC limits of a force's series.
    pub process_changes: Vec<ProcessChange>,
}

impl Default for FlightDeckOptions {
    fn default() -> Self {
        FlightDeckOptions {
            as_at: None,
            from: None,
            to: None,
            force: None,
            split: None,
            group: None,
            indicators: None,
            repeat_window_days: DEFAULT_REPEAT_WINDOW_DAYS,
            spc: None,
            coverage_from: None,
            windows: WindowOverrides::default(),
            process_changes: Vec::new(),
        }
    }
}

pub struct FlightDeck {
    /// The long table of the spec, in a stable order.
    pub table: DataFrame,
    pub as_at: Date,
    pub from: Month,
    pub to: Month,
    /// Indicators not computed, with the tables (`staff`) or columns
    /// (`staff.orders_training_date`) the extract would need.
    pub unavailable: Vec<(&'static str, Vec<String>)>,
    /// What decided each row's status.
    pub status_rules: StatusRules,
}

pub(crate) fn month_end_day(month: i32) -> i32 {
    Month::from_index(month).last_day().days()
}

/// What a flight deck of some indicators reads of a dataset: the tables, and of the
/// offences, suspects and events the columns. Used to load no more than a job needs.
pub struct Needs {
    /// `None` for every table.
    tables: Option<Vec<TableName>>,
    /// `None` for every column.
    event_columns: Option<Vec<String>>,
    offence_columns: Vec<String>,
    suspect_columns: Vec<String>,
}

/// The indicators that read who the suspects are (the person links); the others read
/// only when crimes were linked to one.
const READ_SUSPECT_IDS: [&str; 3] = [
    "repeat_suspect_share",
    "repeat_suspects_open",
    "repeat_suspects_managed_share",
];

impl Needs {
    /// For `indicators` (every indicator when `None`).
    pub fn of(indicators: Option<&[String]>) -> Needs {
        let ids: Vec<&str> = match indicators {
            Some(ids) => ids.iter().map(String::as_str).collect(),
            None => CATALOGUE.iter().map(|i| i.id).collect(),
        };
        let types = registry::event_types_needed(CATALOGUE.iter().filter(|i| ids.contains(&i.id)));
        let mut offence_columns = owned(crate::model::OFFENCE_COLUMNS);
        if ids.contains(&"key_fields_complete_share") {
            offence_columns.extend(owned(crate::model::KEY_FIELD_COLUMNS));
        }
        let suspect_columns = match ids.iter().any(|i| READ_SUSPECT_IDS.contains(i)) {
            true => owned(crate::model::SUSPECT_COLUMNS),
            false => owned(&["linked_date"]),
        };
        Needs {
            tables: indicators.and_then(registry::tables_needed),
            event_columns: crate::model::event_columns(&ids, types.as_deref()),
            offence_columns,
            suspect_columns,
        }
    }

    /// For a deck split by area or team: that column of the offences too.
    pub fn split_by(mut self, split: Option<SplitBy>) -> Needs {
        match split {
            Some(SplitBy::Area) => self.offence_columns.push("area".into()),
            Some(SplitBy::Team) => self.offence_columns.push("team".into()),
            None => {}
        }
        self
    }

    /// For a deck of one force (`Some`) or every force: the person links of one force
    /// are found by the suspects' and offences' `crime_id`; of every force, by the rows
    /// validation kept, so the ids (thirty-six million texts in a large extract) are
    /// not kept.
    pub fn for_force(mut self, force: Option<&str>) -> Needs {
        if force.is_none() {
            self.suspect_columns.retain(|c| c != "crime_id");
            self.offence_columns.retain(|c| c != "crime_id");
        }
        self
    }

    /// The table is read.
    pub fn loads(&self, table: TableName) -> bool {
        self.tables.as_ref().is_none_or(|t| t.contains(&table))
    }

    /// The columns of the table read (`None` for all).
    pub fn columns(&self, table: TableName) -> Option<Vec<String>> {
        match table {
            TableName::Events => self.event_columns.clone(),
            TableName::Offences => Some(self.offence_columns.clone()),
            TableName::Suspects => Some(self.suspect_columns.clone()),
            // The crime model reads each outcome's type and date; its crime comes from
            // the rows validation kept.
            TableName::Outcomes => Some(owned(&["outcome_type", "outcome_date"])),
            _ => None,
        }
    }
}

/// The events' columns an indicator reads of some types only, with those types:
/// `detail` of [`crate::model::TYPES_WITH_DETAIL`], `suspect_id` of
/// [`pillar2::MANAGEMENT_EVENTS`] and [`pillar2::DNA_EVENTS`]. A flight deck of twenty
/// million events need not hold either whole ([`Dataset::load_sparse`]).
pub fn sparse_event_columns() -> Vec<(&'static str, Vec<&'static str>)> {
    let mut suspect_types = pillar2::MANAGEMENT_EVENTS.to_vec();
    suspect_types.extend(pillar2::DNA_EVENTS);
    vec![
        ("detail", crate::model::TYPES_WITH_DETAIL.to_vec()),
        ("suspect_id", suspect_types),
    ]
}

impl Needs {
    /// Loads the tables and columns these indicators read from `dir`.
    pub fn load(
        &self,
        dir: &std::path::Path,
        mapping: Option<&crate::ingest::Mapping>,
    ) -> Result<Dataset> {
        Dataset::load_sparse(
            dir,
            mapping,
            |t| self.loads(t),
            |t| self.columns(t),
            &sparse_event_columns(),
        )
    }
}

fn owned(columns: &[&str]) -> Vec<String> {
    columns.iter().map(|c| c.to_string()).collect()
}

/// Collects the lazy plans of the wanted, available indicators.
pub struct Ctx<'a> {
    pub base: &'a Base,
    /// For the few indicators that read a column the crime model does not keep.
    pub dataset: &'a Dataset,
    wanted: BTreeSet<&'static str>,
    tables: BTreeSet<TableName>,
    out: Vec<partial::Plan>,
}

impl<'a> Ctx<'a> {
    fn wants(&self, id: &str) -> bool {
        self.wanted.contains(id)
            && registry::find(id).is_some_and(|i| i.needs.iter().all(|t| self.tables.contains(t)))
    }

    pub fn add(&mut self, id: &str, plan: impl FnOnce() -> partial::Plan) {
        if self.wants(id) {
            self.out.push(plan());
        }
    }

    pub fn add_events(
        &mut self,
        id: &str,
        types: &[&str],
        plan: impl FnOnce(LazyFrame) -> partial::Plan,
    ) {
        if self.wants(id)
            && let Some(e) = self.base.events_of(types)
        {
            self.out.push(plan(e));
        }
    }
}

/// Running totals at each month of `months` from deltas (`okey`, `month`, `delta`)
/// dated at any month.
pub(crate) fn cumulate(
    deltas: &DataFrame,
    months: (i32, i32),
    indicator: &'static str,
) -> Result<Vec<Row>> {
    let okey = deltas.column("okey")?.u32()?;
    let month = deltas.column("month")?.i32()?;
    let delta = deltas.column("delta")?.cast(&DataType::Int64)?;
    let delta = delta.i64()?;
    let mut by_key: BTreeMap<u32, BTreeMap<i32, i64>> = BTreeMap::new();
    for i in 0..deltas.height() {
        *by_key
            .entry(okey.get(i).unwrap_or(0))
            .or_default()
            .entry(month.get(i).unwrap_or(0))
            .or_default() += delta.get(i).unwrap_or(0);
    }
    let mut rows = Vec::new();
    for (okey, changes) in by_key {
        let mut running: i64 = changes.range(..months.0).map(|(_, d)| d).sum();
        for m in months.0..=months.1 {
            running += changes.get(&m).copied().unwrap_or(0);
            rows.push(Row {
                okey,
                month: m,
                indicator,
                num: Some(running as f64),
                den: None,
                med: None,
            });
        }
    }
    Ok(rows)
}

/// Changes to the number of open crimes (`okey`, `month`, `delta`): +1 in the month a
/// crime starts to count (recorded, or 365 days after recorded for `over_365`), -1 in the
/// month of its first outcome, for crimes that start before they stop. One pass over
/// the crimes, each added to every output unit it counts towards.
fn open_deltas(base: &Base, over_365: bool) -> Result<DataFrame> {
    let crimes = &base.crimes;
    let spans: Vec<(u32, i32, Option<i32>)> = crimes
        .column("ukey")?
        .u32()?
        .iter()
        .zip(crimes.column("rec_month")?.i32()?.iter())
        .zip(crimes.column("recorded")?.i32()?.iter())
        .zip(crimes.column("first_out")?.i32()?.iter())
        .filter_map(|(((u, rec_month), recorded), first_out)| {
            let start = if over_365 {
                recorded.map(|r| Month::index_of_day(r + 365))
            } else {
                rec_month
            };
            let stop = first_out.map(Month::index_of_day);
            match (u, start) {
                (Some(u), Some(start)) if stop.is_none_or(|stop| start < stop) => {
                    Some((u, start, stop))
                }
                _ => None,
            }
        })
        .collect();
    deltas_of_spans(base, &spans)
}

/// The changes to a stock (`okey`, `month`, `delta`) of things that each count from a
/// start month up to (not including) a stop month, if any, given by the unit of their
/// crime (`ukey`): +1 at the start and -1 at the stop, for every output unit the crime
/// counts towards, summed in a dense array by output unit and month (no map of
/// millions of updates). A unit and month that had a change keep their row even if the
/// changes sum to nought, as a group-by of the changes would.
pub(crate) fn deltas_of_spans(base: &Base, spans: &[(u32, i32, Option<i32>)]) -> Result<DataFrame> {
    let months = spans
        .iter()
        .flat_map(|(_, a, b)| std::iter::once(*a).chain(*b));
    let (first, last) = months.fold((i32::MAX, i32::MIN), |(lo, hi), m| (lo.min(m), hi.max(m)));
    let span = if spans.is_empty() {
        0
    } else {
        (last - first + 1) as usize
    };
    let mut deltas = vec![0i64; base.outkeys.len() * span];
    let mut touched = vec![false; base.outkeys.len() * span];
    for &(u, start, stop) in spans {
        for okey in base.okeys_of(u, true) {
            let at = *okey as usize * span;
            deltas[at + (start - first) as usize] += 1;
            touched[at + (start - first) as usize] = true;
            if let Some(stop) = stop {
                deltas[at + (stop - first) as usize] -= 1;
                touched[at + (stop - first) as usize] = true;
            }
        }
    }
    let (mut okeys, mut months, mut values) = (Vec::new(), Vec::new(), Vec::new());
    for (i, delta) in deltas.into_iter().enumerate() {
        if touched[i] {
            okeys.push((i / span) as u32);
            months.push(first + (i % span) as i32);
            values.push(delta);
        }
    }
    Ok(DataFrame::new_infer_height(vec![
        Column::new("okey".into(), okeys),
        Column::new("month".into(), months),
        Column::new("delta".into(), values),
    ])?)
}

type Key = (u32, i32, &'static str);
/// Numerator, denominator and median of one output cell.
type Parts = (Option<f64>, Option<f64>, Option<f64>);

/// Computes the flight deck.
pub fn flight_deck(dataset: &Dataset, options: &FlightDeckOptions) -> Result<FlightDeck> {
    let as_at = dataset.as_at(options.as_at)?;
    let wanted: BTreeSet<&'static str> = match &options.indicators {
        None => CATALOGUE.iter().map(|i| i.id).collect(),
        Some(ids) => ids
            .iter()
            .map(|id| {
                registry::find(id).map(|i| i.id).ok_or_else(|| {
                    let names: Vec<String> = CATALOGUE.iter().map(|i| i.id.to_string()).collect();
                    let hint = crate::util::nearest(id, &names)
                        .map(|n| format!("; did you mean `{n}`?"))
                        .unwrap_or_default();
                    SoteriaError::Usage(format!("unknown indicator `{id}`{hint}"))
                })
            })
            .collect::<Result<_>>()?,
    };
    let started = std::time::Instant::now();
    // Only the events the wanted indicators read are attached to their crimes.
    let event_types =
        registry::event_types_needed(CATALOGUE.iter().filter(|i| wanted.contains(i.id)));
    let base = Base::build_with_events(
        dataset,
        as_at.days(),
        options.force.as_deref(),
        options.split,
        event_types.as_deref(),
    )?;
    crate::util::trace(|| format!("flight deck: base relations {:.2?}", started.elapsed()));
    if base.crimes.height() == 0 {
        // Both are mistakes in what the user typed: a force the dataset does not have,
        // or an as-at date before its first record.
        let forces = dataset.forces()?;
        return Err(SoteriaError::Usage(match &options.force {
            Some(f) if !forces.contains(f) => {
                let hint = crate::util::nearest(f, &forces)
                    .map(|n| format!("did you mean `{n}`? "))
                    .unwrap_or_default();
                format!(
                    "--force {f}: not in the dataset ({hint}it has {})",
                    forces.join(", ")
                )
            }
            Some(f) => format!("no offences recorded for force `{f}` on or before {as_at}"),
            None => format!("no offences recorded on or before {as_at}"),
        }));
    }
    let first_recorded = base.crimes.column("rec_month")?.i32()?.min().unwrap_or(0);
    let from = options.from.unwrap_or(Month::from_index(first_recorded));
    let to = options.to.unwrap_or(Month::of(as_at));
    if from > to {
        return Err(SoteriaError::Usage(format!(
            "--from {from} is after --to {to}"
        )));
    }
    let months = (from.index(), to.index());
    let status_rules = StatusRules {
        as_at,
        coverage_from: options
            .coverage_from
            .or_else(|| dataset.first_recorded_month())
            .unwrap_or(from),
        repeat_window_days: options.repeat_window_days,
        overrides: options.windows.clone(),
    };
    let tables: BTreeSet<TableName> = TableName::ALL
        .into_iter()
        .filter(|t| dataset.has(*t))
        .collect();

    let mut ctx = Ctx {
        base: &base,
        dataset,
        wanted: wanted.clone(),
        tables: tables.clone(),
        out: Vec::new(),
    };
    pillar1::compute(&mut ctx);
    pillar2::compute(&mut ctx);
    pillar3::compute(&mut ctx);
    pillar5::compute(&mut ctx);
    pillar6::compute(&mut ctx);
    crate::util::trace(|| format!("flight deck: plans made {:.2?}", started.elapsed()));
    let plans = std::mem::take(&mut ctx.out);
    let ctx = &ctx;
    let wants = |id: &str| ctx.wants(id);
    let base = &base;

    // Each part of the deck that needs no other's result is a job, and the jobs run
    // side by side, the longest first: most are walks over crimes or events in one
    // thread.
    let workers = base.workers();
    let open: OnceLock<FxHashMap<(u32, i32), f64>> = OnceLock::new();
    let staff: OnceLock<pillar4::StaffByUnit> = OnceLock::new();
    let mut jobs: Vec<Job<'_, Result<Vec<Row>>>> = Vec::new();
    if READ_SUSPECT_IDS.iter().any(|id| wants(id)) {
        jobs.push(timed("repeat suspects".into(), move || {
            let window = options.repeat_window_days;
            repeat_suspects(base, dataset, window, months, &wants, workers)
        }));
    }
    if pillar6::FROM_DEVICE_PAIRS.iter().any(|id| wants(id)) {
        jobs.push(timed("devices".into(), move || {
            pillar6::device_rows(base, months, &wants)
        }));
    }
    if wants("victim_updated_28d_share") {
        jobs.push(timed("victim_updated_28d_share".into(), move || {
            let Some(updated) = pillar3::victim_updated_frame(base)? else {
                return Ok(Vec::new());
            };
            let mut partials = partial::Partials::new(base, months);
            partials.add(partial::count(
                updated.lazy(),
                "victim_updated_28d_share",
                true,
            ))?;
            Ok(partials.rows)
        }));
    }
    if wants("dna_retention_application_rate") {
        jobs.push(timed("dna_retention_application_rate".into(), move || {
            let Some(pairs) = pillar2::dna_retention_frame(base, dataset)? else {
                return Ok(Vec::new());
            };
            let mut partials = partial::Partials::new(base, months);
            partials.add(partial::proportion(
                pairs.lazy(),
                col("hit"),
                "dna_retention_application_rate",
                true,
            ))?;
            Ok(partials.rows)
        }));
    }
    let open_needed = [
        "open_investigations",
        "open_over_365d_share",
        "victim_updated_28d_share",
        "open_cases_per_investigator",
    ]
    .iter()
    .any(|id| wants(id));
    if open_needed {
        let open = &open;
        jobs.push(timed("open cases".into(), move || {
            let (rows, by_unit) = open_cases(base, months, &wants)?;
            let _ = open.set(by_unit);
            Ok(rows)
        }));
    }
    for batch in partial::batches(plans) {
        jobs.push(timed(partial::describe(&batch), move || {
            let mut partials = partial::Partials::new(base, months);
            partials.add_batch(batch)?;
            Ok(partials.rows)
        }));
    }
    {
        let staff = &staff;
        jobs.push(timed("staff".into(), move || {
            let _ = staff.set(pillar4::staff_counts(base, months)?);
            Ok(Vec::new())
        }));
    }
    let results = crate::util::run_jobs(jobs, workers)
        .into_iter()
        .collect::<Result<Vec<_>>>()?;
    let mut values: FxHashMap<Key, Parts> = FxHashMap::default();
    values.reserve(results.iter().map(Vec::len).sum());
    for rows in results {
        for row in rows {
            values.insert(
                (row.okey, row.month, row.indicator),
                (row.num, row.den, row.med),
            );
        }
    }
    let open = open.into_inner().unwrap_or_default();
    let staff = staff.into_inner().unwrap_or_default();
    crate::util::trace(|| {
        format!(
            "flight deck: every job, {workers} side by side {:.2?}",
            started.elapsed()
        )
    });

    // The grid: every unit, group, month and indicator asked for.
    let out_index: HashMap<(&str, &str, OffenceGroup), u32> = base
        .outkeys
        .iter()
        .enumerate()
        .map(|(i, k)| ((k.force.as_str(), k.area.as_str(), k.group), i as u32))
        .collect();
    let mut units: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for k in &base.outkeys {
        units
            .entry(k.force.clone())
            .or_default()
            .insert(k.area.clone());
    }
    if options.split == Some(SplitBy::Team) {
        for (f, a) in staff.keys() {
            if let Some(areas) = units.get_mut(f) {
                areas.insert(a.clone());
            }
        }
    }
    let groups: Vec<OffenceGroup> = OffenceGroup::ORDER
        .into_iter()
        .filter(|g| options.group.is_none_or(|w| w == *g))
        .collect();
    let unavailable: Vec<(&'static str, Vec<String>)> = CATALOGUE
        .iter()
        .filter(|i| wanted.contains(i.id))
        .filter_map(|i| {
            let mut missing: Vec<String> = i
                .needs
                .iter()
                .filter(|t| !tables.contains(t))
                .map(|t| t.as_str().to_string())
                .collect();
            if missing.is_empty()
                && let Some((table, column)) = i.needs_column
                && !dataset.has_column(table, column)
            {
                missing.push(format!("{table}.{column}"));
            }
            (!missing.is_empty()).then_some((i.id, missing))
        })
        .collect();

    let mut out = OutRows::default();
    // The output's order of units: forces in order, each with area `All` first.
    for (force, areas) in &units {
        let all_first = areas
            .iter()
            .filter(|a| *a == ALL_AREAS)
            .chain(areas.iter().filter(|a| *a != ALL_AREAS));
        for area in all_first {
            let unit = out.unit(force, area);
            let staff_by_month: Vec<Option<pillar4::StaffCounts>> =
                match staff.get(&(force.clone(), area.clone())) {
                    Some(counts) => counts
                        .iter()
                        .map(|c| (c.active > 0).then_some(*c))
                        .collect(),
                    None => vec![None; (months.1 - months.0 + 1) as usize],
                };
            for &group in &groups {
                let okey = out_index
                    .get(&(force.as_str(), area.as_str(), group))
                    .copied();
                for ind in CATALOGUE.iter().filter(|i| wanted.contains(i.id)) {
                    if ind.all_groups_only && group != OffenceGroup::All {
                        continue;
                    }
                    // Staff have teams, not areas.
                    if ind.pillar == 4 && area != ALL_AREAS && options.split != Some(SplitBy::Team)
                    {
                        continue;
                    }
                    let available = unavailable.iter().all(|(id, _)| *id != ind.id);
                    // The output's order within a month and unit, as a number.
                    let order = (group.rank() << 8 | registry::position(ind.id)) as u32;
                    for m in months.0..=months.1 {
                        let found = okey.and_then(|k| values.get(&(k, m, ind.id)).copied());
                        let open_here =
                            okey.and_then(|k| open.get(&(k, m)).copied()).unwrap_or(0.0);
                        let staff_here = staff_by_month[(m - months.0) as usize];
                        let active = staff_here.map_or(0.0, |c| c.active as f64);
                        let staff_share = |n: fn(&pillar4::StaffCounts) -> u32| {
                            (staff_here.map(|c| n(&c) as f64), Some(active), None)
                        };
                        let (num, den, med) = match ind.id {
                            _ if !available => (None, None, None),
                            "victim_updated_28d_share" => {
                                (found.and_then(|f| f.0).or(Some(0.0)), Some(open_here), None)
                            }
                            "open_cases_per_investigator" => (Some(open_here), Some(active), None),
                            "trainee_share" => staff_share(|c| c.trainees),
                            "wellbeing_review_share" => staff_share(|c| c.reviewed),
                            "rasso_trained_share" => staff_share(|c| c.rasso),
                            "wow_trained_share" => staff_share(|c| c.wow),
                            "orders_trained_share" => staff_share(|c| c.orders),
                            _ => found.unwrap_or((None, None, None)),
                        };
                        let status = status_rules.status(ind, Month::from_index(m));
                        out.push(unit, order, ind, group, m, status, available, num, den, med);
                    }
                }
            }
        }
    }
    let table = out.into_frame(options.spc.as_ref(), &options.process_changes)?;
    crate::util::trace(|| format!("flight deck: grid and output {:.2?}", started.elapsed()));
    Ok(FlightDeck {
        table,
        as_at,
        from,
        to,
        unavailable,
        status_rules,
    })
}

/// A job of the flight deck that says how long it took under `SOTERIA_TRACE`.
fn timed<'a>(
    name: String,
    job: impl FnOnce() -> Result<Vec<Row>> + Send + 'a,
) -> Job<'a, Result<Vec<Row>>> {
    Box::new(move || {
        let started = std::time::Instant::now();
        let rows = job();
        crate::util::trace(|| format!("flight deck: job {name} {:.2?}", started.elapsed()));
        rows
    })
}

/// The repeat-suspect indicators wanted: one job, as each reads the person links.
fn repeat_suspects(
    base: &Base,
    dataset: &Dataset,
    window: i32,
    months: (i32, i32),
    wants: &(dyn Fn(&str) -> bool + Sync),
    workers: usize,
) -> Result<Vec<Row>> {
    let started = std::time::Instant::now();
    let Some(people) = crate::model::PersonLinks::build(base, dataset)? else {
        return Ok(Vec::new());
    };
    crate::util::trace(|| format!("flight deck: people's links {:.2?}", started.elapsed()));
    let people = &people;
    let (share, open) = (wants("repeat_suspect_share"), wants("repeat_suspects_open"));
    // The two walks over the links, side by side: together they are the deck's longest
    // job.
    let mut jobs: Vec<Job<'_, Result<Vec<Row>>>> = Vec::new();
    if share || open {
        jobs.push(Box::new(move || {
            let rows = pillar2::repeat_suspect_rows(base, people, window, months, share, open);
            crate::util::trace(|| {
                format!("flight deck: repeat suspects {:.2?}", started.elapsed())
            });
            rows
        }));
    }
    if wants("repeat_suspects_managed_share") {
        jobs.push(Box::new(move || {
            let rows = pillar2::repeat_managed_rows(base, people, dataset, window, months);
            crate::util::trace(|| {
                format!(
                    "flight deck: repeat suspects managed {:.2?}",
                    started.elapsed()
                )
            });
            rows
        }));
    }
    let mut rows = Vec::new();
    for part in crate::util::run_jobs(jobs, workers) {
        rows.extend(part?);
    }
    Ok(rows)
}

/// The open-case stocks: the rows of the wanted ones, and the open crimes by output
/// unit and month, which other indicators divide by.
#[allow(clippy::type_complexity)]
fn open_cases(
    base: &Base,
    months: (i32, i32),
    wants: &(dyn Fn(&str) -> bool + Sync),
) -> Result<(Vec<Row>, FxHashMap<(u32, i32), f64>)> {
    let mut rows = Vec::new();
    let mut open: FxHashMap<(u32, i32), f64> = FxHashMap::default();
    for r in cumulate(&open_deltas(base, false)?, months, "open_investigations")? {
        open.insert((r.okey, r.month), r.num.unwrap_or(0.0));
        if wants("open_investigations") {
            rows.push(r);
        }
    }
    if wants("open_over_365d_share") {
        for mut r in cumulate(&open_deltas(base, true)?, months, "open_over_365d_share")? {
            r.den = open.get(&(r.okey, r.month)).copied();
            rows.push(r);
        }
    }
    Ok((rows, open))
}

#[derive(Default)]
struct OutRows {
    rows: Vec<OutRow>,
    /// Force and area of each unit, in the output's order.
    units: Vec<(String, String)>,
    /// Poisson limits by count: the exact limits invert the gamma function, and a
    /// national deck asks for the same few thousand counts hundreds of thousands of times.
    poisson: FxHashMap<u64, Option<(f64, f64)>>,
    /// The normal quantile of [`LEVEL`], for the Wilson intervals.
    z: Option<f64>,
}

#[derive(Clone, Copy)]
struct OutRow {
    month: i32,
    /// The force and area, by their place in the output's order.
    unit: u32,
    /// The offence group's and indicator's place in the output's order.
    order: u32,
    group: OffenceGroup,
    indicator: &'static Indicator,
    status: Status,
    numerator: Option<f64>,
    denominator: Option<f64>,
    value: Option<f64>,
    ci: Option<(f64, f64)>,
}

impl OutRows {
    fn poisson_limits(&mut self, x: f64) -> Option<(f64, f64)> {
        *self
            .poisson
            .entry(x.to_bits())
            .or_insert_with(|| poisson_phe(x, LEVEL).map(|i| (i.lower, i.upper)))
    }

    /// The next unit of the output's order.
    fn unit(&mut self, force: &str, area: &str) -> u32 {
        self.units.push((force.to_string(), area.to_string()));
        self.units.len() as u32 - 1
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        unit: u32,
        order: u32,
        ind: &'static Indicator,
        group: OffenceGroup,
        month: i32,
        status: Status,
        available: bool,
        num: Option<f64>,
        den: Option<f64>,
        med: Option<f64>,
    ) {
        let (numerator, denominator, value, ci) = if !available {
            (None, None, None, None)
        } else {
            match ind.unit {
                Unit::Count => {
                    let n = num.unwrap_or(0.0);
                    let ci = self.poisson_limits(n);
                    (Some(n), None, Some(n), ci)
                }
                Unit::Proportion => {
                    let (x, n) = (num.unwrap_or(0.0), den.unwrap_or(0.0));
                    let z = *self.z.get_or_insert_with(|| z_for_level(LEVEL));
                    let ci = wilson_z(x, n, z);
                    (
                        Some(x),
                        Some(n),
                        ci.map(|i| i.estimate),
                        ci.map(|i| (i.lower, i.upper)),
                    )
                }
                Unit::MedianDays => {
                    let n = den.unwrap_or(0.0);
                    (None, Some(n), if n > 0.0 { med } else { None }, None)
                }
                Unit::Ratio => {
                    let (x, n) = (num.unwrap_or(0.0), den.unwrap_or(0.0));
                    if n > 0.0 {
                        let ci = self.poisson_limits(x).map(|(lo, hi)| (lo / n, hi / n));
                        (Some(x), Some(n), Some(x / n), ci)
                    } else {
                        (Some(x), Some(n), None, None)
                    }
                }
            }
        };
        self.rows.push(OutRow {
            month,
            unit,
            order,
            group,
            indicator: ind,
            status,
            numerator,
            denominator,
            value,
            ci,
        });
    }

    fn into_frame(
        mut self,
        spc: Option<&SpcOptions>,
        changes: &[ProcessChange],
    ) -> Result<DataFrame> {
        self.rows = in_output_order(std::mem::take(&mut self.rows));
        let (rows, units) = (&self.rows, &self.units);
        let first_month = rows.iter().map(|r| r.month).min().unwrap_or(0);
        let last_month = rows.iter().map(|r| r.month).max().unwrap_or(0);
        let periods: Vec<String> = (first_month..=last_month)
            .map(|m| Month::from_index(m).to_string())
            .collect();
        let mut columns = vec![
            Column::new(
                "period".into(),
                rows.iter()
                    .map(|r| periods[(r.month - first_month) as usize].as_str())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "force".into(),
                rows.iter()
                    .map(|r| units[r.unit as usize].0.as_str())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "area".into(),
                rows.iter()
                    .map(|r| units[r.unit as usize].1.as_str())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "offence_group".into(),
                rows.iter().map(|r| r.group.id()).collect::<Vec<_>>(),
            ),
            Column::new(
                "indicator".into(),
                rows.iter().map(|r| r.indicator.id).collect::<Vec<_>>(),
            ),
            Column::new(
                "numerator".into(),
                rows.iter().map(|r| r.numerator).collect::<Vec<_>>(),
            ),
            Column::new(
                "denominator".into(),
                rows.iter().map(|r| r.denominator).collect::<Vec<_>>(),
            ),
            Column::new(
                "value".into(),
                rows.iter().map(|r| r.value).collect::<Vec<_>>(),
            ),
            Column::new(
                "ci_low".into(),
                rows.iter().map(|r| r.ci.map(|c| c.0)).collect::<Vec<_>>(),
            ),
            Column::new(
                "ci_high".into(),
                rows.iter().map(|r| r.ci.map(|c| c.1)).collect::<Vec<_>>(),
            ),
            Column::new(
                "polarity".into(),
                rows.iter()
                    .map(|r| r.indicator.polarity.as_str())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "pillar".into(),
                rows.iter()
                    .map(|r| r.indicator.pillar as i32)
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "status".into(),
                rows.iter().map(|r| r.status.as_str()).collect::<Vec<_>>(),
            ),
        ];
        if let Some(spc) = spc {
            columns.extend(spc_columns(rows, units, spc, changes));
        }
        Ok(DataFrame::new_infer_height(columns)?)
    }
}

/// The rows in the output's stable order: month, force, area (`All` first), group,
/// indicators in catalogue order (`month`, `unit`, `order`). The grid pushes them unit
/// by unit and, for each series, month by month, so within a month they come in the
/// output's order: a counting sort by month (a move each) gives it, and a full sort
/// is the fallback should they ever not.
fn in_output_order(rows: Vec<OutRow>) -> Vec<OutRow> {
    let key = |r: &OutRow| (r.month, r.unit, r.order);
    let Some(first) = rows.iter().map(|r| r.month).min() else {
        return rows;
    };
    let last = rows.iter().map(|r| r.month).max().unwrap_or(first);
    let mut starts = vec![0usize; (last - first + 2) as usize];
    for r in &rows {
        starts[(r.month - first + 1) as usize] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut order = vec![0u32; rows.len()];
    for (i, r) in rows.iter().enumerate() {
        let at = &mut starts[(r.month - first) as usize];
        order[*at] = i as u32;
        *at += 1;
    }
    let mut sorted: Vec<OutRow> = order.into_iter().map(|i| rows[i as usize]).collect();
    if !sorted.windows(2).all(|w| key(&w[0]) < key(&w[1])) {
        sorted.sort_unstable_by_key(key);
    }
    sorted
}

/// SPC columns for each monthly series (force, area, group, indicator). A month with no
/// value is a gap; a month that is not final is shown with its segment's limits but
/// never counted or flagged.
fn spc_columns(
    rows: &[OutRow],
    units: &[(String, String)],
    options: &SpcOptions,
    changes: &[ProcessChange],
) -> Vec<Column> {
    // A series is a unit, group and indicator: `order` is the last two.
    let mut series: BTreeMap<(u32, u32), Vec<usize>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        series.entry((r.unit, r.order)).or_default().push(i);
    }
    let n = rows.len();
    let (mut mean, mut lpl, mut upl) = (vec![None; n], vec![None; n], vec![None; n]);
    let (mut rule, mut point_type): (Vec<Option<&str>>, Vec<Option<&str>>) =
        (vec![None; n], vec![None; n]);
    for (_, mut idx) in series {
        idx.sort_by_key(|i| rows[*i].month);
        let values: Vec<Option<f64>> = idx.iter().map(|i| rows[*i].value).collect();
        let counted: Vec<bool> = idx
            .iter()
            .map(|i| rows[*i].status == Status::Final)
            .collect();
        let first = &rows[idx[0]];
        let opts = SpcOptions {
            polarity: first.indicator.polarity,
            ..*options
        };
        let months: Vec<Month> = idx
            .iter()
            .map(|i| Month::from_index(rows[*i].month))
            .collect();
        let rebase = targets::rebase_indices(
            &months,
            changes
                .iter()
                .filter(|c| c.applies(&units[first.unit as usize].0, first.indicator.id)),
        );
        if let Some(result) = xmr_series(&values, Some(&counted), &rebase, &opts) {
            for (p, i) in result.points.iter().zip(&idx) {
                if p.value.is_none() {
                    continue;
                }
                mean[*i] = p.mean;
                lpl[*i] = p.lpl;
                upl[*i] = p.upl;
                if p.counted {
                    rule[*i] = Some(p.rule.as_str());
                    point_type[*i] = Some(p.point_type.as_str());
                }
            }
        }
    }
    vec![
        Column::new("mean".into(), mean),
        Column::new("lpl".into(), lpl),
        Column::new("upl".into(), upl),
        Column::new("rule".into(), rule),
        Column::new("point_type".into(), point_type),
    ]
}
