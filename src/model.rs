//! The crime model: the base relations the flight deck, the profile, the query views and
//! the charts share, each computed once: crimes with their
//! current outcome, first outcome and per-crime event facts; events and suspect links
//! with their crime's keys; all restricted to what is dated on or before the as-at date.
//!
//! Output units (force x area x offence group) are small integers: every crime carries
//! a `ukey` for its own (force, area or team, group), and [`Base::expand`] joins the
//! rows an indicator needs to the output keys (`okey`) they count towards, so that
//! grouping works on integers rather than strings.
use crate::error::{Result, SoteriaError};
use crate::ingest::Dataset;
use crate::schema::codes::{CodeGroup, codes_of};
use crate::schema::{OffenceGroup, TableName};
use polars::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::HashMap;

/// How the `area` column of the output is split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SplitBy {
    Area,
    Team,
}

pub const ALL_AREAS: &str = "All";
/// The area of a crime whose area (or team) is blank, when splitting.
pub const NO_AREA: &str = "Not recorded";

/// One output unit: the strings of the output table's key columns.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OutKey {
    pub force: String,
    pub area: String,
    pub group: OffenceGroup,
}

pub struct Base {
    pub as_at: i32,
    pub split: Option<SplitBy>,
    /// Built for one force only: the dataset holds crimes this base does not.
    pub force: Option<String>,
    /// One row per crime recorded on or before the as-at date.
    pub crimes: DataFrame,
    /// Events by type (the index is [`event_code`]), each in file order: an indicator
    /// reads one or two types, and filtering twenty million events for each of forty
    /// indicators cost more than the indicators themselves.
    events: Option<Vec<DataFrame>>,
    /// For events kept compact (rows only, [`COMPACT_EVENTS_FROM`]), the table's dates
    /// and crime rows their columns are gathered from when a plan reads them.
    event_source: Option<EventSource>,
    /// From a row of the loaded offences to its crime in the model.
    index: CrimeIndex,
    /// Each crime's keys that its events carry (`ukey`, `reported`, `recorded`,
    /// `first_out`), by `cidx`: added to the events of the types a plan reads.
    crime_keys: Vec<CrimeKeys>,
    pub suspects: Option<DataFrame>,
    pub staff: Option<DataFrame>,
    pub feedback: Option<DataFrame>,
    /// Output units by `okey`.
    pub outkeys: Vec<OutKey>,
    /// The output units each `ukey` counts towards: own group and group `all`.
    okeys_groups: Vec<Vec<u32>>,
    /// The output units each `ukey` counts towards in group `all` only.
    okeys_all: Vec<Vec<u32>>,
}

/// An event attached to the crime model, with its crime's keys.
pub struct EventKeys {
    /// The event's row in the table.
    pub row: IdxSize,
    pub cidx: u32,
    pub day: i32,
    pub month: i32,
    pub ukey: u32,
    pub reported: Option<i32>,
    pub recorded: Option<i32>,
    pub first_out: Option<i32>,
}

/// Days since the epoch of a date column.
pub fn days(c: &str) -> Expr {
    col(c).cast(DataType::Int32)
}

/// Month index (year x 12 + month - 1) of a date column.
pub fn month_of(c: &str) -> Expr {
    month_of_date(col(c))
}

/// Month index of a date expression. Worked out from the day number in one pass:
/// polars' `year()` and `month()` go through a calendar date for each row, twice.
pub fn month_of_date(date: Expr) -> Expr {
    let month_index = |c: Column| {
        let days = c.i32()?;
        Ok(days
            .apply_values(crate::util::Month::index_of_day)
            .into_column())
    };
    date.cast(DataType::Int32).map(month_index, |_, f| {
        Ok(Field::new(f.name().clone(), DataType::Int32))
    })
}

fn group_expr() -> Expr {
    when(crate::util::is_one_of(
        col("offence_code"),
        &codes_of(CodeGroup::Rape),
    ))
    .then(lit(OffenceGroup::Rape.id()))
    .otherwise(lit(OffenceGroup::OtherSexual.id()))
}

/// The small integer that stands for an event type in the base relations (its position
/// in the code list), so that filtering 20 million events compares bytes, not strings.
pub fn event_code(t: &str) -> u8 {
    crate::schema::codes::EVENT_TYPES
        .iter()
        .position(|e| e.code == t)
        .expect("a known event type") as u8
}

/// The event is of type `t`.
pub fn is_event(t: &str) -> Expr {
    col("etype").eq(lit(event_code(t)))
}

/// Assigns dense unit keys to (force, unit, group) triples.
#[derive(Default)]
struct Units {
    index: HashMap<(String, Option<String>, OffenceGroup), u32>,
    list: Vec<(String, Option<String>, OffenceGroup)>,
}

impl Units {
    fn key(&mut self, force: &str, unit: Option<&str>, group: OffenceGroup) -> u32 {
        let k = (force.to_string(), unit.map(str::to_string), group);
        if let Some(i) = self.index.get(&k) {
            return *i;
        }
        let i = self.list.len() as u32;
        self.index.insert(k.clone(), i);
        self.list.push(k);
        i
    }

    /// Keys for the rows of `df`: each row's own group (column `grp`), or `group` for all.
    /// Rows are looked up by borrowed text first, so only a new unit allocates.
    fn keys_for(&mut self, df: &DataFrame, group: Option<OffenceGroup>) -> Result<Vec<u32>> {
        let force = df.column("force")?.str()?;
        let unit = df.column("unit")?.str()?;
        let grp = match group {
            None => Some(df.column("grp")?.str()?.clone()),
            Some(_) => None,
        };
        let groups: Box<dyn Iterator<Item = OffenceGroup>> = match (&grp, group) {
            (Some(g), _) => Box::new(g.iter().map(|g| {
                g.and_then(|g| OffenceGroup::parse(g).ok())
                    .unwrap_or(OffenceGroup::All)
            })),
            (None, g) => Box::new(std::iter::repeat(g.unwrap_or(OffenceGroup::All))),
        };
        let mut seen: FxHashMap<(&str, Option<&str>, OffenceGroup), u32> = FxHashMap::default();
        Ok(force
            .iter()
            .zip(unit.iter())
            .zip(groups)
            .map(|((f, u), g)| {
                let f = f.unwrap_or_default();
                *seen.entry((f, u, g)).or_insert_with(|| self.key(f, u, g))
            })
            .collect())
    }
}

impl Base {
    pub fn build(
        dataset: &Dataset,
        as_at: i32,
        force: Option<&str>,
        split: Option<SplitBy>,
    ) -> Result<Base> {
        Base::build_with_events(dataset, as_at, force, split, None)
    }

    /// Like [`Base::build`], keeping only the events of `keep_events` (all when `None`):
    /// a command that needs two or three event types of a national extract need not
    /// attach twenty million events. Per-crime facts that rest on other event types are
    /// then absent, so such a caller must use only the facts of the types it keeps.
    pub fn build_with_events(
        dataset: &Dataset,
        as_at: i32,
        force: Option<&str>,
        split: Option<SplitBy>,
        keep_events: Option<&[&str]>,
    ) -> Result<Base> {
        let t0 = std::time::Instant::now();
        let as_at_lit = || lit(as_at);
        let mut offences = dataset
            .lazy(TableName::Offences)
            .expect("offences are always loaded")
            .with_row_index(OFFENCE_ROW, None)
            .filter(days("recorded_date").lt_eq(as_at_lit()));
        if let Some(f) = force {
            offences = offences.filter(col("force").eq(lit(f.to_string())));
        }
        let unit = match split {
            Some(SplitBy::Area) => col("area").fill_null(lit(NO_AREA)),
            Some(SplitBy::Team) => col("team").fill_null(lit(NO_AREA)),
            None => lit(NULL).cast(DataType::String),
        };
        let offences_have = |c: &&str| dataset.offences().get_column_index(c).is_some();
        let key_complete = match KEY_FIELD_COLUMNS.iter().all(offences_have) {
            true => col("victim_age")
                .is_not_null()
                .and(col("offence_date").is_not_null())
                .and(col("victim_ethnicity").is_not_null())
                .and(col("victim_ethnicity").neq(lit("not_stated")))
                .and(col("relationship").neq(lit("unknown")))
                .fill_null(lit(false)),
            false => lit(NULL).cast(DataType::Boolean),
        };
        // A national flight deck finds every row's crime by the rows validation kept, and
        // loads no ids (the flight deck's `Needs::for_force`): its crimes have none.
        let crime_id = offences_have(&"crime_id").then(|| col("crime_id"));
        let columns: Vec<Expr> = [col(OFFENCE_ROW)]
            .into_iter()
            .chain(crime_id)
            .chain([
                col("force"),
                unit.alias("unit"),
                group_expr().alias("grp"),
                days("reported_date").alias("reported"),
                days("recorded_date").alias("recorded"),
                month_of("recorded_date").alias("rec_month"),
                key_complete.alias("key_complete"),
            ])
            .collect();
        let crimes = offences.select(columns);

        let mut crimes = crimes.with_row_index("cidx", None).collect()?;
        // Outcomes, events and links carry their crime's integer index and keys from here
        // on: validation found each row's crime among the offences (`crime_rows`), so
        // the index is a lookup in an array, and the crime's keys a gather.
        let to_cidx = CrimeIndex::new(
            dataset.offences().height(),
            crimes.drop_in_place(OFFENCE_ROW)?.idx()?,
        );
        let outcomes = match dataset.table(TableName::Outcomes) {
            Some(o) => Some((o, to_cidx.of(dataset, TableName::Outcomes)?)),
            None => None,
        };
        for column in current_outcomes(outcomes, crimes.height(), as_at)? {
            crimes.with_column(column)?;
        }
        let mut units = Units::default();
        let ukeys = units.keys_for(&crimes, None)?;
        crimes.with_column(Column::new("ukey".into(), ukeys))?;
        let crime_keys = pack_crime_keys(&crimes)?;
        crate::util::trace(|| format!("base: crimes {:.2?}", t0.elapsed()));
        let events = match dataset.table(TableName::Events) {
            Some(e) => {
                let codes = dataset.event_codes().ok_or_else(|| {
                    SoteriaError::Other("events were loaded without their type codes".into())
                })?;
                let rows = to_cidx.rows_of(dataset, TableName::Events)?;
                Some(events_by_type(
                    e,
                    codes,
                    rows,
                    &to_cidx,
                    as_at,
                    keep_events,
                    dataset.event_column("detail").as_ref(),
                )?)
            }
            None => None,
        };
        let (events, event_source) = match events {
            Some((parts, source)) => (Some(parts), source),
            None => (None, None),
        };
        crate::util::trace(|| format!("base: events {:.2?}", t0.elapsed()));
        let suspects = match dataset.table(TableName::Suspects) {
            Some(s) => {
                let cidx = to_cidx.of(dataset, TableName::Suspects)?;
                // A job that counts no repeat suspects reads the links' dates only.
                let suspect = match s.get_column_index("suspect_id") {
                    Some(_) => col("suspect_id"),
                    None => lit(NULL).cast(DataType::String).alias("suspect_id"),
                };
                let linked = s
                    .clone()
                    .lazy()
                    .select([
                        suspect,
                        days("linked_date").alias("day"),
                        month_of("linked_date").alias("month"),
                    ])
                    .collect()?;
                Some(attach_crime_keys(linked, &crime_keys, cidx, as_at)?)
            }
            None => None,
        };
        crate::util::trace(|| format!("base: events and suspects {:.2?}", t0.elapsed()));

        let fact_parts: Vec<DataFrame> = match &events {
            Some(parts) => CrimeFacts::TYPES
                .iter()
                .map(|t| event_code(t) as usize)
                .filter_map(|code| Some((code, parts.get(code)?)))
                .map(|(code, part)| full_part(code, part, event_source.as_ref(), &to_cidx))
                .collect::<Result<_>>()?,
            None => Vec::new(),
        };
        let facts = CrimeFacts::from_events(crimes.height(), fact_parts.iter(), suspects.as_ref())?;
        drop(fact_parts);
        let mut crimes = crimes;
        for column in facts.into_columns() {
            crimes.with_column(column)?;
        }
        crate::util::trace(|| format!("base: per-crime facts {:.2?}", t0.elapsed()));

        let staff = match dataset.lazy(TableName::Staff) {
            Some(s) => {
                let mut s = s;
                if let Some(f) = force {
                    s = s.filter(col("force").eq(lit(f.to_string())));
                }
                Some(
                    s.select([
                        col("force"),
                        col("team").fill_null(lit(NO_AREA)).alias("unit"),
                        col("role"),
                        days("start_date").alias("start"),
                        days("end_date").alias("end"),
                        days("rasso_training_date").alias("rasso"),
                        days("wow_training_date").alias("wow"),
                        days("orders_training_date").alias("orders"),
                        days("last_wellbeing_review").alias("review"),
                    ])
                    .collect()?,
                )
            }
            None => None,
        };
        let feedback = match dataset.table(TableName::Feedback) {
            Some(f) => {
                // Each response's crime's unit, by the row validation found it at (null
                // for a crime not in the model).
                let rows: IdxCa = to_cidx
                    .of(dataset, TableName::Feedback)?
                    .into_iter()
                    .map(|c| c.map(|c| c as IdxSize))
                    .collect();
                let unit = crimes.column("unit")?.take(&rows)?;
                let mut f = f.clone();
                f.with_column(unit.with_name(FEEDBACK_UNIT.into()))?;
                let mut f = f.lazy().filter(days("survey_date").lt_eq(as_at_lit()));
                if let Some(force) = force {
                    f = f.filter(col("force").eq(lit(force.to_string())));
                }
                let mut fb = f
                    .select([
                        col("force"),
                        col(FEEDBACK_UNIT).alias("unit"),
                        month_of("survey_date").alias("month"),
                        col("treated_fairly"),
                        col("kept_informed"),
                        col("confidence_to_report"),
                        col("overall_satisfaction"),
                    ])
                    .collect()?;
                let ukeys = units.keys_for(&fb, Some(OffenceGroup::All))?;
                fb.with_column(Column::new("ukey".into(), ukeys))?;
                Some(fb)
            }
            None => None,
        };

        // Output units and the variants each unit key counts towards.
        let mut outkeys: Vec<OutKey> = Vec::new();
        let mut out_index: HashMap<OutKey, u32> = HashMap::new();
        let mut okey = |force: &str, area: &str, group: OffenceGroup| -> u32 {
            let k = OutKey {
                force: force.to_string(),
                area: area.to_string(),
                group,
            };
            *out_index.entry(k.clone()).or_insert_with(|| {
                outkeys.push(k);
                outkeys.len() as u32 - 1
            })
        };
        let (mut vg_u, mut vg_o, mut va_u, mut va_o) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (u, (force, unit, group)) in units.list.iter().enumerate() {
            let u = u as u32;
            let mut areas = vec![ALL_AREAS];
            if split.is_some()
                && let Some(unit) = unit
            {
                areas.push(unit);
            }
            for area in areas {
                let all = okey(force, area, OffenceGroup::All);
                va_u.push(u);
                va_o.push(all);
                vg_u.push(u);
                vg_o.push(all);
                if *group != OffenceGroup::All {
                    vg_u.push(u);
                    vg_o.push(okey(force, area, *group));
                }
            }
        }
        let lists = |u: &[u32], o: &[u32]| {
            let mut by_unit = vec![Vec::new(); units.list.len()];
            for (u, o) in u.iter().zip(o) {
                by_unit[*u as usize].push(*o);
            }
            by_unit
        };
        let (okeys_groups, okeys_all) = (lists(&vg_u, &vg_o), lists(&va_u, &va_o));
        Ok(Base {
            as_at,
            split,
            force: force.map(str::to_string),
            crimes,
            index: to_cidx,
            crime_keys,
            events,
            event_source,
            suspects,
            staff,
            feedback,
            outkeys,
            okeys_groups,
            okeys_all,
        })
    }

    /// Threads for a command's independent parts over this model (the flight deck's
    /// jobs, the profile's two halves): one per core for up to
    /// [`SIDE_BY_SIDE_UP_TO_CRIMES`] crimes, else one ([`crate::util::workers`]).
    pub fn workers(&self) -> usize {
        crate::util::workers(self.crimes.height() > SIDE_BY_SIDE_UP_TO_CRIMES)
    }

    pub fn crimes(&self) -> LazyFrame {
        self.crimes.clone().lazy()
    }

    /// Every attached event, by type and then in file order.
    pub fn events(&self) -> Option<LazyFrame> {
        let parts = self.events.as_ref()?;
        Some(concat_events(
            parts
                .iter()
                .enumerate()
                .map(|(code, p)| self.with_keys(code, p))
                .collect(),
        ))
    }

    /// `ukey`, `reported`, `recorded` and `first_out` of each crime of `cidx`.
    pub fn crime_key_columns(&self, cidx: &[u32]) -> [Column; 4] {
        crime_keys_of(&self.crime_keys, cidx)
    }

    /// Walks the events of type `t` in file order, each with its crime's keys and its
    /// `detail`, without making a frame of them (for a type of forty million events, a
    /// frame with the crimes' keys is 1.6 GB). `false` when no events were attached.
    pub fn for_each_event(
        &self,
        t: &str,
        mut each: impl FnMut(&EventKeys, Option<&str>),
    ) -> Result<bool> {
        let Some(parts) = self.events.as_ref() else {
            return Ok(false);
        };
        let code = event_code(t) as usize;
        let Some(part) = parts.get(code) else {
            return Ok(true);
        };
        let gathered = match (&self.event_source, part.get_column_index("detail")) {
            (Some(source), None) => source.detail_of(code, part)?,
            _ => None,
        };
        let detail = match &gathered {
            Some(d) => Some(d.str()?),
            None => part.column("detail").ok().map(|d| d.str()).transpose()?,
        };
        let mut detail = detail.map(|d| d.iter());
        let mut visit = |row: IdxSize, cidx: u32, day: i32| {
            let (ukey, reported, recorded, first_out) = self.crime_keys[cidx as usize];
            let keys = EventKeys {
                row,
                cidx,
                day,
                month: crate::util::Month::index_of_day(day),
                ukey,
                reported,
                recorded,
                first_out,
            };
            each(&keys, detail.as_mut().and_then(|d| d.next()).flatten());
        };
        match (&self.event_source, part.get_column_index("day")) {
            (Some(source), None) => {
                source.each_row(part.column("row")?.idx()?, &self.index, &mut visit)?
            }
            _ => {
                let (cidx, day) = (part.column("cidx")?.u32()?, part.column("day")?.i32()?);
                let row = part.column("row")?.idx()?;
                let each_row = row.into_no_null_iter().zip(cidx.into_no_null_iter());
                for ((r, c), d) in each_row.zip(day.into_no_null_iter()) {
                    visit(r, c, d);
                }
            }
        }
        Ok(true)
    }

    /// The events of `types`, in file order, with their crimes' keys.
    pub fn events_of(&self, types: &[&str]) -> Option<LazyFrame> {
        let parts = self.events.as_ref()?;
        let mut codes: Vec<usize> = types.iter().map(|t| event_code(t) as usize).collect();
        codes.sort_unstable();
        codes.dedup();
        let chosen: Vec<DataFrame> = codes
            .iter()
            .filter_map(|c| Some((*c, parts.get(*c)?)))
            .map(|(c, p)| self.with_keys(c, p))
            .collect();
        let all = match chosen.is_empty() {
            true => self.with_keys(0, &parts[0].clear()).lazy(),
            false => concat_events(chosen),
        };
        Some(if codes.len() > 1 {
            all.sort(["row"], SortMultipleOptions::default())
        } else {
            all
        })
    }

    /// [`Base::events_of`] with each event's `suspect_id` (null where it names none),
    /// read from the dataset's events by row.
    pub fn events_with_suspects(&self, dataset: &Dataset, types: &[&str]) -> Option<LazyFrame> {
        let suspects = dataset.event_column("suspect_id")?;
        let suspect_of = move |rows: Column| Ok(suspects.at(rows.idx()?)?.into_column());
        Some(
            self.events_of(types)?.with_column(
                col("row")
                    .map(suspect_of, |_, f| {
                        Ok(Field::new(f.name().clone(), DataType::String))
                    })
                    .alias("suspect_id"),
            ),
        )
    }

    /// The crime in the model (`cidx`) of each row of `table`, from the rows validation
    /// kept (`None` where the crime is not in the model, or the table was loaded without
    /// them).
    pub fn cidx_of_rows(&self, dataset: &Dataset, table: TableName) -> Option<Vec<Option<u32>>> {
        self.index.of(dataset, table).ok()
    }

    /// One type's events with their crimes' keys and `detail` (null for a type whose
    /// detail no indicator reads), in the columns' order every plan expects.
    fn with_keys(&self, code: usize, part: &DataFrame) -> DataFrame {
        let part = full_part(code, part, self.event_source.as_ref(), &self.index)
            .expect("rows kept by events_by_type are in the table");
        let column = |name: &str| part.column(name).expect("a column of every type").clone();
        let cidx = column("cidx");
        let cidx_values: Vec<u32> = cidx
            .u32()
            .expect("cidx is u32")
            .iter()
            .map(|c| c.unwrap_or(0))
            .collect();
        let detail = part.column("detail").cloned().unwrap_or_else(|_| {
            Column::full_null("detail".into(), part.height(), &DataType::String)
        });
        let mut columns = vec![
            column("row"),
            column("etype"),
            column("day"),
            column("month"),
            detail,
        ];
        columns.extend(crime_keys_of(&self.crime_keys, &cidx_values));
        columns.push(cidx);
        DataFrame::new_infer_height(columns).expect("columns of one length")
    }

    /// The output units a unit key counts towards, as [`Base::expand`] joins them.
    pub fn okeys_of(&self, ukey: u32, groups: bool) -> &[u32] {
        let lists = if groups {
            &self.okeys_groups
        } else {
            &self.okeys_all
        };
        lists.get(ukey as usize).map_or(&[], Vec::as_slice)
    }

    /// Each row joined to every output unit it counts towards (`okey`): its force with
    /// area `All` and, when splitting, its area or team; each with its own offence group
    /// and group `all` (with `groups`), or group `all` only. Done after filtering, so only
    /// the rows an indicator needs are multiplied.
    pub fn expand(&self, lf: LazyFrame, groups: bool) -> LazyFrame {
        let lists = if groups {
            &self.okeys_groups
        } else {
            &self.okeys_all
        };
        let (mut ukeys, mut okeys) = (Vec::new(), Vec::new());
        for (u, os) in lists.iter().enumerate() {
            for o in os {
                ukeys.push(u as u32);
                okeys.push(*o);
            }
        }
        let variants = df!("ukey" => ukeys, "okey" => okeys).expect("two columns of one length");
        lf.join(
            variants.lazy(),
            [col("ukey")],
            [col("ukey")],
            JoinArgs::new(JoinType::Inner),
        )
    }
}

/// The unit of a survey response's crime, while feedback is attached to the model.
const FEEDBACK_UNIT: &str = "__crime_unit";

/// The offence row of each crime in the model, as a column of the crimes while they are
/// built; dropped once [`CrimeIndex`] holds it.
const OFFENCE_ROW: &str = "__offence_row";

/// From a row of the loaded offences to its crime in the model (`cidx`), for the crimes
/// the model holds (recorded on or before the as-at date, of the force asked for).
struct CrimeIndex(Vec<u32>);

impl CrimeIndex {
    fn new(offences: usize, rows: &IdxCa) -> CrimeIndex {
        let mut to_cidx = vec![u32::MAX; offences];
        for (cidx, row) in rows.iter().enumerate() {
            if let Some(row) = row {
                to_cidx[row as usize] = cidx as u32;
            }
        }
        CrimeIndex(to_cidx)
    }

    /// The crime in the model of an offence row, if the model holds it.
    fn cidx(&self, offence_row: IdxSize) -> Option<u32> {
        let c = *self.0.get(offence_row as usize)?;
        (c != u32::MAX).then_some(c)
    }

    /// The offence row of each row of `table` (kept by validation).
    fn rows_of<'a>(&self, dataset: &'a Dataset, table: TableName) -> Result<&'a IdxCa> {
        dataset.crime_rows(table).ok_or_else(|| {
            SoteriaError::Other(format!("{table} was loaded without its crimes' rows"))
        })
    }

    /// Each row of `table`'s crime in the model, or `None`.
    fn of(&self, dataset: &Dataset, table: TableName) -> Result<Vec<Option<u32>>> {
        let rows = self.rows_of(dataset, table)?;
        Ok(rows.iter().map(|r| self.cidx(r?)).collect())
    }
}

/// The events dated on or before `as_at` whose crime is in the model (`index`), of the
/// types in `keep` (all when `None`), as one frame per type (the index is
/// [`event_code`]), each in file order, with columns `row` (the event's row in the
/// table), `etype`, `day`, `month`, `cidx` and, for [`TYPES_WITH_DETAIL`], `detail`;
/// of a large table, `row` and `detail` only, with the source to gather the others from
/// ([`COMPACT_EVENTS_FROM`], [`full_part`]).
/// Worked out in one pass over the type, date and crime of every event, so that only
/// the kept rows of `detail` are gathered. The crimes' keys are not copied onto twenty
/// million events here: [`Base::events_of`] adds them to the types a plan reads.
fn events_by_type(
    events: &DataFrame,
    codes: &UInt8Chunked,
    crime_rows: &IdxCa,
    index: &CrimeIndex,
    as_at: i32,
    keep: Option<&[&str]>,
    detail: Option<&crate::ingest::EventColumn>,
) -> Result<(Vec<DataFrame>, Option<EventSource>)> {
    use rayon::prelude::*;
    let source = (events.height() >= compact_events_from())
        .then(|| EventSource::of(events, crime_rows, detail))
        .transpose()?;
    let compact = source.is_some();
    let types = crate::schema::codes::EVENT_TYPES;
    let wanted: Vec<bool> = types
        .iter()
        .map(|t| keep.is_none_or(|k| k.contains(&t.code)))
        .collect();
    let t = std::time::Instant::now();
    let date = events.column("event_date")?.date()?.physical();
    // Slices on every core, walked twice: once to count each type's kept events, once to
    // write them straight into their place in each type's columns (the slices in order,
    // so file order holds within a type). Gathering per slice and then joining held
    // every kept event twice.
    let parts = rayon::current_num_threads().max(1) * 4;
    let step = events.height().div_ceil(parts).max(1);
    let starts: Vec<usize> = (0..events.height()).step_by(step).collect();
    let walk = |start: usize, each: &mut dyn FnMut(usize, u8, u32, i32)| {
        let (t, d) = (
            codes.slice(start as i64, step),
            date.slice(start as i64, step),
        );
        let r = crime_rows.slice(start as i64, step);
        crate::util::for_each_row3(&t, &d, &r, |i, t, d, r| {
            let (Some(t), Some(d), Some(r)) = (t, d, r) else {
                return;
            };
            if !wanted.get(t as usize).copied().unwrap_or(false) || d > as_at {
                return;
            }
            if let Some(c) = index.cidx(r) {
                each(start + i, t, c, d);
            }
        });
    };
    let counts: Vec<Vec<usize>> = starts
        .par_iter()
        .map(|&start| {
            let mut n = vec![0usize; types.len()];
            walk(start, &mut |_, t, _, _| n[t as usize] += 1);
            n
        })
        .collect();
    let total = |code: usize| counts.iter().map(|n| n[code]).sum::<usize>();
    // Kept compact, only the rows are written (the other columns stay empty).
    let full = |c: usize| if compact { 0 } else { total(c) };
    let mut row: Vec<Vec<IdxSize>> = (0..types.len()).map(|c| vec![0; total(c)]).collect();
    let mut cidx: Vec<Vec<u32>> = (0..types.len()).map(|c| vec![0; full(c)]).collect();
    let mut day: Vec<Vec<i32>> = (0..types.len()).map(|c| vec![0; full(c)]).collect();
    let mut month: Vec<Vec<i32>> = (0..types.len()).map(|c| vec![0; full(c)]).collect();
    type Place<'a> = (
        &'a mut [IdxSize],
        &'a mut [u32],
        &'a mut [i32],
        &'a mut [i32],
    );
    let mut places: Vec<Vec<Place>> = starts.iter().map(|_| Vec::new()).collect();
    let columns = row.iter_mut().zip(&mut cidx).zip(&mut day).zip(&mut month);
    for (code, (((r, c), d), m)) in columns.enumerate() {
        let (mut r, mut c, mut d, mut m) = (&mut r[..], &mut c[..], &mut d[..], &mut m[..]);
        for (slice, n) in counts.iter().enumerate() {
            let k = n[code];
            let f = if compact { 0 } else { k };
            let (r0, r1) = std::mem::take(&mut r).split_at_mut(k);
            let (c0, c1) = std::mem::take(&mut c).split_at_mut(f);
            let (d0, d1) = std::mem::take(&mut d).split_at_mut(f);
            let (m0, m1) = std::mem::take(&mut m).split_at_mut(f);
            places[slice].push((r0, c0, d0, m0));
            (r, c, d, m) = (r1, c1, d1, m1);
        }
    }
    starts
        .par_iter()
        .zip(places.into_par_iter())
        .for_each(|(&start, mut places)| {
            let mut at = vec![0usize; types.len()];
            walk(start, &mut |i, t, c, d| {
                let (r, cs, ds, ms) = &mut places[t as usize];
                let k = at[t as usize];
                r[k] = i as IdxSize;
                if !compact {
                    (cs[k], ds[k], ms[k]) = (c, d, crate::util::Month::index_of_day(d));
                }
                at[t as usize] += 1;
            });
        });
    let mut frames = Vec::with_capacity(types.len());
    let columns = row.into_iter().zip(cidx).zip(day).zip(month);
    for (code, (((row, cidx), day), month)) in columns.enumerate() {
        let event_type = &types[code];
        let n = row.len();
        let detail = match detail {
            // Compact, a type's `detail` is read from the table's when a plan reads it.
            Some(_) if compact => None,
            Some(d) if TYPES_WITH_DETAIL.contains(&event_type.code) => {
                Some(d.at(&IdxCa::from_slice("row".into(), &row))?)
            }
            None if TYPES_WITH_DETAIL.contains(&event_type.code) && n > 0 => {
                return Err(SoteriaError::Other(
                    "events were loaded without `detail`, which this job reads".into(),
                ));
            }
            _ => None,
        };
        let mut columns = vec![
            IdxCa::from_vec("row".into(), row)
                .into_series()
                .into_column(),
        ];
        if !compact {
            columns.extend([
                Column::new("etype".into(), vec![code as u8; n]),
                Column::new("day".into(), day),
                Column::new("month".into(), month),
                Column::new("cidx".into(), cidx),
            ]);
        }
        columns.extend(detail.map(|d| d.with_name("detail".into()).into_column()));
        frames.push(DataFrame::new_infer_height(columns)?);
    }
    crate::util::trace(|| format!("events: by type {:.2?}", t.elapsed()));
    Ok((frames, source))
}

/// Parts of a command over the crime model run side by side (one per core) for an
/// extract of up to this many crimes, twice today's national volume; above it, one at a
/// time. Measured on a national extract at ten times today's volume (20 M crimes): the
/// flight deck's jobs two at once peaked at 13.8 GB, one at a time at 11.4 to 12.1 GB.
pub const SIDE_BY_SIDE_UP_TO_CRIMES: usize = 1 << 22;

/// Events from which the crime model keeps each type's rows only, and gathers their
/// dates and crimes when a plan reads the type: by type, an event's columns take 17
/// bytes, which for two hundred million events (a national extract at ten times today's
/// volume) is 3.4 GB beside the table's own 1.8 GB. Below this, holding them costs
/// less than gathering them for each plan. `SOTERIA_COMPACT_EVENTS_FROM` sets another.
pub const COMPACT_EVENTS_FROM: usize = 64 << 20;

fn compact_events_from() -> usize {
    std::env::var("SOTERIA_COMPACT_EVENTS_FROM")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(COMPACT_EVENTS_FROM)
}

/// The columns of the events table that compact events are gathered from, as loaded
/// (in chunks: made one, the two columns of two hundred million events would be
/// copied, 1.6 GB).
struct EventSource {
    day: Int32Chunked,
    crime_rows: IdxCa,
    /// The table's `detail` (kept for [`TYPES_WITH_DETAIL`] only, as loaded): not
    /// copied by type, which at ten times today's volume was 0.5 GB of string views.
    detail: Option<crate::ingest::EventColumn>,
}

impl EventSource {
    fn of(
        events: &DataFrame,
        crime_rows: &IdxCa,
        detail: Option<&crate::ingest::EventColumn>,
    ) -> Result<EventSource> {
        Ok(EventSource {
            day: events.column("event_date")?.date()?.physical().clone(),
            crime_rows: crime_rows.clone(),
            detail: detail.cloned(),
        })
    }

    /// Calls `each` with each of `rows` (ascending), its crime in the model and its day.
    fn each_row(
        &self,
        rows: &IdxCa,
        index: &CrimeIndex,
        mut each: impl FnMut(IdxSize, u32, i32),
    ) -> Result<()> {
        let mut days = AscendingReader::new(&self.day);
        let mut crimes = AscendingReader::new(&self.crime_rows);
        for r in rows.into_no_null_iter() {
            let at = r as usize;
            // `events_by_type` kept only rows with a date and a crime in the model.
            let (Some(d), Some(c)) = (days.get(at), crimes.get(at).and_then(|c| index.cidx(c)))
            else {
                return Err(SoteriaError::Other(format!(
                    "event row {at} has no date or no crime in the model"
                )));
            };
            each(r, c, d);
        }
        Ok(())
    }

    /// `detail` of a compact part's rows, for the types that have one.
    fn detail_of(&self, code: usize, part: &DataFrame) -> Result<Option<Series>> {
        let types = crate::schema::codes::EVENT_TYPES;
        let (Some(detail), true) = (&self.detail, TYPES_WITH_DETAIL.contains(&types[code].code))
        else {
            return Ok(None);
        };
        let rows: Vec<IdxSize> = part.column("row")?.idx()?.into_no_null_iter().collect();
        let mut values: Vec<Option<&str>> = Vec::with_capacity(rows.len());
        detail.for_each_text_at(&rows, |_, v| values.push(v))?;
        Ok(Some(Series::new("detail".into(), values)))
    }
}

/// Values of a chunked column read at ascending rows, each found from the chunk of the
/// row before (rows out of order are found too, from the first chunk). For rows known
/// to hold a value: a null reads as whatever its slot holds.
struct AscendingReader<'a, T: PolarsNumericType> {
    chunks: Vec<&'a [T::Native]>,
    /// The row of the table each chunk starts at, and the table's height last.
    starts: Vec<usize>,
    at: usize,
}

impl<'a, T: PolarsNumericType> AscendingReader<'a, T> {
    fn new(ca: &'a ChunkedArray<T>) -> Self {
        let chunks: Vec<&[T::Native]> = ca.downcast_iter().map(|a| a.values().as_slice()).collect();
        let mut starts = Vec::with_capacity(chunks.len() + 1);
        let mut start = 0;
        for c in &chunks {
            starts.push(start);
            start += c.len();
        }
        starts.push(start);
        AscendingReader {
            chunks,
            starts,
            at: 0,
        }
    }

    /// The value at `row`, `None` past the end.
    fn get(&mut self, row: usize) -> Option<T::Native> {
        if row < self.starts[self.at] {
            self.at = 0;
        }
        while self.at < self.chunks.len() && row >= self.starts[self.at + 1] {
            self.at += 1;
        }
        let chunk = self.chunks.get(self.at)?;
        Some(chunk[row - self.starts[self.at]])
    }
}

/// A type's events with every column [`events_by_type`] describes: the part itself, or
/// for a compact one (rows only) its columns gathered from the table by row.
fn full_part(
    code: usize,
    part: &DataFrame,
    source: Option<&EventSource>,
    index: &CrimeIndex,
) -> Result<DataFrame> {
    let Some(source) = source.filter(|_| part.get_column_index("day").is_none()) else {
        return Ok(part.clone());
    };
    let rows = part.column("row")?.idx()?;
    let n = rows.len();
    let (mut day, mut month, mut cidx) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    source.each_row(rows, index, |_, c, d| {
        day.push(d);
        month.push(crate::util::Month::index_of_day(d));
        cidx.push(c);
    })?;
    let mut columns = vec![
        part.column("row")?.clone(),
        Column::new_scalar(
            "etype".into(),
            Scalar::new(DataType::UInt8, AnyValue::UInt8(code as u8)),
            n,
        ),
        Column::new("day".into(), day),
        Column::new("month".into(), month),
        Column::new("cidx".into(), cidx),
    ];
    if let Ok(detail) = part.column("detail") {
        columns.push(detail.clone());
    } else if let Some(detail) = source.detail_of(code, part)? {
        columns.push(detail.into_column());
    }
    Ok(DataFrame::new(n, columns)?)
}

/// The event types whose `detail` an indicator reads (CPS decision, device owner, order
/// type); the other types' `detail` is left null in the crime model, because gathering
/// twenty million texts that nothing reads took two seconds.
pub const TYPES_WITH_DETAIL: &[&str] = &[
    "cps_decision",
    "device_seized",
    "device_examined",
    "device_returned",
    "order_applied",
    "order_granted",
];

/// Each crime's current outcome (`cur_type`, `cur_date`: the latest dated on or before
/// `as_at`, the later row in file order on a tie of dates), its first outcome date
/// (`first_out`) and first charge date (`first_charge`), indexed by `cidx`. One pass
/// over the outcomes in file order, each crime found by `index`; outcomes of crimes not
/// in the model (another force's, recorded after the as-at date) are passed over.
fn current_outcomes(
    outcomes: Option<(&DataFrame, Vec<Option<u32>>)>,
    n: usize,
    as_at: i32,
) -> Result<[Column; 4]> {
    let mut cur: Vec<Option<(Option<&str>, i32)>> = vec![None; n];
    let (mut first_out, mut first_charge) = (vec![None::<i32>; n], vec![None::<i32>; n]);
    if let Some((o, cidx)) = outcomes {
        let date = o.column("outcome_date")?.date()?.physical();
        let rows = cidx
            .iter()
            .zip(o.column("outcome_type")?.str()?.iter())
            .zip(date.iter());
        for ((c, t), d) in rows {
            let (Some(c), Some(d)) = (c, d) else {
                continue;
            };
            if d > as_at {
                continue;
            }
            let c = *c as usize;
            if cur[c].is_none_or(|(_, cd)| d >= cd) {
                cur[c] = Some((t, d));
            }
            if first_out[c].is_none_or(|f| d < f) {
                first_out[c] = Some(d);
            }
            let charge = t.is_some_and(|t| crate::schema::codes::CHARGE_OUTCOMES.contains(&t));
            if charge && first_charge[c].is_none_or(|f| d < f) {
                first_charge[c] = Some(d);
            }
        }
    }
    Ok([
        Column::new(
            "cur_type".into(),
            cur.iter().map(|c| c.and_then(|c| c.0)).collect::<Vec<_>>(),
        ),
        Column::new(
            "cur_date".into(),
            cur.iter().map(|c| c.map(|c| c.1)).collect::<Vec<_>>(),
        ),
        Column::new("first_out".into(), first_out),
        Column::new("first_charge".into(), first_charge),
    ])
}

/// A crime's `ukey`, `reported`, `recorded` and `first_out`, side by side.
type CrimeKeys = (u32, Option<i32>, Option<i32>, Option<i32>);

/// Each crime's `ukey`, `reported`, `recorded` and `first_out`, packed by `cidx`.
fn pack_crime_keys(crimes: &DataFrame) -> Result<Vec<CrimeKeys>> {
    let ukey = crimes.column("ukey")?.u32()?;
    let reported = crimes.column("reported")?.i32()?;
    let recorded = crimes.column("recorded")?.i32()?;
    let first_out = crimes.column("first_out")?.i32()?;
    Ok(ukey
        .iter()
        .zip(reported.iter())
        .zip(recorded.iter())
        .zip(first_out.iter())
        .map(|(((u, rep), rec), out)| (u.unwrap_or(u32::MAX), rep, rec, out))
        .collect())
}

/// `ukey`, `reported`, `recorded` and `first_out` of each row's crime: one read of the
/// crime's four values per row rather than four gathers from four columns.
fn crime_keys_of(packed: &[CrimeKeys], cidx: &[u32]) -> [Column; 4] {
    let n = cidx.len();
    let (mut u, mut rep, mut rec, mut out) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for c in cidx {
        let k = packed[*c as usize];
        u.push(k.0);
        rep.push(k.1);
        rec.push(k.2);
        out.push(k.3);
    }
    [
        Column::new("ukey".into(), u),
        Column::new("reported".into(), rep),
        Column::new("recorded".into(), rec),
        Column::new("first_out".into(), out),
    ]
}

fn concat_events(parts: Vec<DataFrame>) -> LazyFrame {
    let mut frames: Vec<LazyFrame> = parts.into_iter().map(|p| p.lazy()).collect();
    if frames.len() == 1 {
        return frames.remove(0);
    }
    concat(frames, UnionArgs::default()).expect("parts of one frame share a schema")
}

/// Adds `cidx`, `ukey`, `reported`, `recorded` and `first_out` of each row's crime, and
/// drops rows whose crime is not among `crimes` (recorded after the as-at date, or
/// another force's).
fn attach_crime_keys(
    df: DataFrame,
    crimes: &[CrimeKeys],
    cidx: Vec<Option<u32>>,
    as_at: i32,
) -> Result<DataFrame> {
    let day = df.column("day")?.i32()?;
    let keep: BooleanChunked = cidx
        .iter()
        .zip(day.iter())
        .map(|(c, d)| c.is_some() && d.is_some_and(|d| d <= as_at))
        .collect();
    let cidx: Vec<u32> = cidx
        .iter()
        .zip(keep.iter())
        .filter_map(|(c, k)| if k == Some(true) { *c } else { None })
        .collect();
    let mut df = df.filter(&keep)?;
    for column in crime_keys_of(crimes, &cidx) {
        df.with_column(column)?;
    }
    df.with_column(Column::new("cidx".into(), cidx))?;
    Ok(df)
}

/// What each crime's events and links say about it, gathered in one pass over them.
/// Indexed by `cidx`.
struct CrimeFacts {
    has_isva: Vec<bool>,
    has_arrest_or_interview: Vec<bool>,
    has_nfa_explained: Vec<bool>,
    has_suspect: Vec<bool>,
    /// The first suspects link.
    first_link: Vec<Option<i32>>,
    first_arrest: Vec<Option<i32>>,
    first_contact: Vec<Option<i32>>,
    /// The first of bail_start and rui_start (the earlier row on a tie), and its date.
    first_release: Vec<Option<(i32, IdxSize, u8)>>,
}

impl CrimeFacts {
    /// The event types the facts rest on.
    const TYPES: [&'static str; 7] = [
        "isva_referral",
        "suspect_arrested",
        "suspect_interviewed",
        "nfa_explained",
        "victim_first_contact",
        "bail_start",
        "rui_start",
    ];

    fn from_events<'a>(
        n: usize,
        events: impl Iterator<Item = &'a DataFrame>,
        suspects: Option<&DataFrame>,
    ) -> Result<CrimeFacts> {
        let mut f = CrimeFacts {
            has_isva: vec![false; n],
            has_arrest_or_interview: vec![false; n],
            has_nfa_explained: vec![false; n],
            has_suspect: vec![false; n],
            first_link: vec![None; n],
            first_arrest: vec![None; n],
            first_contact: vec![None; n],
            first_release: vec![None; n],
        };
        for ev in events {
            let cidx = ev.column("cidx")?.u32()?;
            let etype = ev.column("etype")?.u8()?;
            let day = ev.column("day")?.i32()?;
            let row = ev.column("row")?.idx()?;
            let (isva, arrested, interviewed, nfa, contact, bail, rui) = (
                event_code("isva_referral"),
                event_code("suspect_arrested"),
                event_code("suspect_interviewed"),
                event_code("nfa_explained"),
                event_code("victim_first_contact"),
                event_code("bail_start"),
                event_code("rui_start"),
            );
            let earliest = |slot: &mut Option<i32>, d: i32| {
                if slot.is_none_or(|s| d < s) {
                    *slot = Some(d);
                }
            };
            // Iterators, not `get(i)`: each `get` searches the chunks for its row.
            let rows = cidx
                .iter()
                .zip(etype.iter())
                .zip(day.iter())
                .zip(row.iter());
            for (((c, t), d), r) in rows {
                let (Some(c), Some(t), Some(d)) = (c, t, d) else {
                    continue;
                };
                let c = c as usize;
                match t {
                    _ if t == isva => f.has_isva[c] = true,
                    _ if t == nfa => f.has_nfa_explained[c] = true,
                    _ if t == contact => earliest(&mut f.first_contact[c], d),
                    _ if t == arrested => {
                        f.has_arrest_or_interview[c] = true;
                        earliest(&mut f.first_arrest[c], d);
                    }
                    _ if t == interviewed => f.has_arrest_or_interview[c] = true,
                    _ if t == bail || t == rui => {
                        let r = r.unwrap_or(IdxSize::MAX);
                        if f.first_release[c].is_none_or(|(fd, fr, _)| (d, r) < (fd, fr)) {
                            f.first_release[c] = Some((d, r, t));
                        }
                    }
                    _ => {}
                }
            }
        }
        if let Some(s) = suspects {
            let day = s.column("day")?.i32()?;
            for (c, d) in s.column("cidx")?.u32()?.iter().zip(day.iter()) {
                let Some(c) = c else { continue };
                f.has_suspect[c as usize] = true;
                if let Some(d) = d
                    && f.first_link[c as usize].is_none_or(|x| d < x)
                {
                    f.first_link[c as usize] = Some(d);
                }
            }
        }
        Ok(f)
    }

    fn into_columns(self) -> Vec<Column> {
        vec![
            Column::new("has_isva".into(), self.has_isva),
            Column::new(
                "has_arrest_or_interview".into(),
                self.has_arrest_or_interview,
            ),
            Column::new("has_nfa_explained".into(), self.has_nfa_explained),
            Column::new("has_suspect".into(), self.has_suspect),
            Column::new("first_link".into(), self.first_link),
            Column::new("first_arrest".into(), self.first_arrest),
            Column::new("first_contact".into(), self.first_contact),
            Column::new(
                "first_release_type".into(),
                self.first_release
                    .iter()
                    .map(|r| r.map(|x| x.2))
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "first_release".into(),
                self.first_release
                    .iter()
                    .map(|r| r.map(|x| x.0))
                    .collect::<Vec<_>>(),
            ),
        ]
    }
}

/// The row of a base suspect link, carried through the sort of [`PersonLinks`].
const BASE_LINK: &str = "__base_link";

/// Every suspect's links to crimes across the whole dataset (every force and area), as
/// the version 2 definition of a repeat suspect asks: being one is a property of the
/// person. Sorted by suspect, then day; crimes as integer keys, with their group.
pub struct PersonLinks {
    day: Vec<i32>,
    crime: Vec<u32>,
    rape: Vec<bool>,
    /// The sorted suspect of each link, to find a person by name.
    names: StringChunked,
    /// Each person's links (`lo..hi`), by person key, in the order of their names.
    ranges: Vec<(usize, usize)>,
    /// The person key of each of the base's suspect links (`u32::MAX` for none): the
    /// indicators walk those links, and a text lookup for each cost more than the walk.
    of_link: Vec<u32>,
}

impl PersonLinks {
    /// From the base when it holds every force's crimes; else from the dataset, with
    /// the same as-at cut-offs as the base.
    pub fn build(base: &Base, dataset: &Dataset) -> Result<Option<PersonLinks>> {
        let frame = match (&base.force, base.suspects.as_ref()) {
            (_, None) => return Ok(None),
            (None, Some(s)) => {
                let groups = base.crimes.column("grp")?.str()?;
                let cidx = s.column("cidx")?.u32()?;
                let rape: BooleanChunked = cidx
                    .iter()
                    .map(|c| {
                        c.and_then(|c| groups.get(c as usize))
                            .map(|g| g == OffenceGroup::Rape.id())
                    })
                    .collect();
                let mut df = s.select(["suspect_id", "day", "cidx"])?;
                df.with_column(rape.into_series().with_name("rape".into()).into_column())?;
                df.lazy()
                    .with_row_index(BASE_LINK, None)
                    .select([
                        col("suspect_id"),
                        col("day"),
                        col("cidx").alias("crime"),
                        col("rape"),
                        col(BASE_LINK),
                    ])
                    .sort(
                        ["suspect_id", "day"],
                        SortMultipleOptions::default().with_maintain_order(true),
                    )
                    .collect()?
            }
            (Some(_), Some(_)) => {
                let as_at = base.as_at;
                let offences = dataset
                    .lazy(TableName::Offences)
                    .expect("offences are always loaded")
                    .with_row_index("crime", None)
                    .filter(days("recorded_date").lt_eq(lit(as_at)))
                    .select([col("crime_id"), col("crime"), col("offence_code")]);
                let rape_codes = codes_of(CodeGroup::Rape);
                dataset
                    .lazy(TableName::Suspects)
                    .expect("suspects checked above")
                    .filter(days("linked_date").lt_eq(lit(as_at)))
                    .select([
                        col("crime_id"),
                        col("suspect_id"),
                        days("linked_date").alias("day"),
                    ])
                    .join(
                        offences,
                        [col("crime_id")],
                        [col("crime_id")],
                        JoinArgs::new(JoinType::Inner),
                    )
                    .select([
                        col("suspect_id"),
                        col("day"),
                        col("crime"),
                        crate::util::is_one_of(col("offence_code"), &rape_codes).alias("rape"),
                    ])
                    .sort(
                        ["suspect_id", "day"],
                        SortMultipleOptions::default().with_maintain_order(true),
                    )
                    .collect()?
            }
        };
        let suspect = frame.column("suspect_id")?.str()?.clone();
        let day: Vec<i32> = frame
            .column("day")?
            .i32()?
            .iter()
            .map(|d| d.unwrap_or(i32::MIN))
            .collect();
        let crime: Vec<u32> = frame
            .column("crime")?
            .cast(&DataType::UInt32)?
            .u32()?
            .iter()
            .map(|c| c.unwrap_or(u32::MAX))
            .collect();
        let rape: Vec<bool> = frame
            .column("rape")?
            .bool()?
            .iter()
            .map(|r| r.unwrap_or(false))
            .collect();
        // Runs of one suspect; a link without a suspect belongs to no person.
        let mut ranges = Vec::new();
        let mut person_of_row = vec![u32::MAX; suspect.len()];
        let mut start = 0;
        for i in 1..=suspect.len() {
            if i == suspect.len() || suspect.get(i) != suspect.get(start) {
                if suspect.get(start).is_some() {
                    person_of_row[start..i].fill(ranges.len() as u32);
                    ranges.push((start, i));
                }
                start = i;
            }
        }
        let links = base.suspects.as_ref().map_or(0, DataFrame::height);
        let mut of_link = vec![u32::MAX; links];
        match frame.column(BASE_LINK) {
            // Built from the base's links: each carries its row there.
            Ok(rows) => {
                for (row, person) in rows.idx()?.iter().zip(&person_of_row) {
                    if let Some(row) = row {
                        of_link[row as usize] = *person;
                    }
                }
            }
            // Built from the dataset: the base's links are found by name, once each.
            Err(_) => {
                let by_name: FxHashMap<&str, u32> = ranges
                    .iter()
                    .enumerate()
                    .filter_map(|(p, (lo, _))| Some((suspect.get(*lo)?, p as u32)))
                    .collect();
                if let Some(s) = base.suspects.as_ref() {
                    let names = s.column("suspect_id")?.str()?;
                    for (link, name) in of_link.iter_mut().zip(names.iter()) {
                        if let Some(p) = name.and_then(|n| by_name.get(n)) {
                            *link = *p;
                        }
                    }
                }
            }
        }
        Ok(Some(PersonLinks {
            day,
            crime,
            rape,
            names: suspect,
            ranges,
            of_link,
        }))
    }

    /// Links of a suspect within an offence group, as indices into the sorted arrays.
    /// One suspect's links, found once: a suspect's links are read for many months.
    pub fn person(&self, suspect: &str) -> Person<'_> {
        // Names are sorted (as bytes, as polars sorts text): halve to the person.
        let name_of = |p: usize| self.names.get(self.ranges[p].0).unwrap_or_default();
        let (mut at, mut hi) = (0, self.ranges.len());
        while at < hi {
            let mid = (at + hi) / 2;
            match name_of(mid) < suspect {
                true => at = mid + 1,
                false => hi = mid,
            }
        }
        match at < self.ranges.len() && name_of(at) == suspect {
            true => self.person_at(at as u32),
            false => self.person_at(u32::MAX),
        }
    }

    /// The base's suspect links grouped by person, in person-key order and each
    /// person's in row order; the links without a person come last, as one more group
    /// under `u32::MAX`. A counting sort: no comparison of two million links.
    pub fn links_by_person(&self) -> LinksByPerson {
        let persons = self.ranges.len();
        let bucket = |key: u32| (key as usize).min(persons);
        let mut offsets = vec![0usize; persons + 2];
        for key in &self.of_link {
            offsets[bucket(*key) + 1] += 1;
        }
        for b in 1..offsets.len() {
            offsets[b] += offsets[b - 1];
        }
        let mut next = offsets.clone();
        let mut rows = vec![0usize; self.of_link.len()];
        for (row, key) in self.of_link.iter().enumerate() {
            let at = &mut next[bucket(*key)];
            rows[*at] = row;
            *at += 1;
        }
        LinksByPerson { offsets, rows }
    }

    /// The person key of a row of the base's suspect links (`u32::MAX` for none).
    pub fn key_of_link(&self, link: usize) -> u32 {
        self.of_link.get(link).copied().unwrap_or(u32::MAX)
    }

    /// A person by key; no links for `u32::MAX`.
    pub fn person_at(&self, key: u32) -> Person<'_> {
        let (lo, hi) = self.ranges.get(key as usize).copied().unwrap_or((0, 0));
        Person {
            links: self,
            lo,
            hi,
        }
    }

    /// Distinct crimes of the group the suspect was linked to in (lo, hi].
    pub fn distinct_crimes(&self, suspect: &str, group: OffenceGroup, lo: i32, hi: i32) -> usize {
        self.person(suspect).distinct_crimes(group, lo, hi)
    }
}

/// The rows of the base's suspect links by person ([`PersonLinks::links_by_person`]).
pub struct LinksByPerson {
    offsets: Vec<usize>,
    rows: Vec<usize>,
}

impl LinksByPerson {
    /// Each person's key with their rows (the last key `u32::MAX`), persons without a
    /// row left out.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &[usize])> + '_ {
        let last = self.offsets.len() - 2;
        self.offsets
            .windows(2)
            .enumerate()
            .filter(|(_, w)| w[1] > w[0])
            .map(move |(b, w)| {
                let key = if b == last { u32::MAX } else { b as u32 };
                (key, &self.rows[w[0]..w[1]])
            })
    }
}

/// One suspect's links to crimes across the dataset, sorted by day.
pub struct Person<'a> {
    links: &'a PersonLinks,
    lo: usize,
    hi: usize,
}

impl Person<'_> {
    fn indices(&self, group: OffenceGroup) -> impl Iterator<Item = usize> + '_ {
        (self.lo..self.hi).filter(move |i| match group {
            OffenceGroup::Rape => self.links.rape[*i],
            OffenceGroup::OtherSexual => !self.links.rape[*i],
            OffenceGroup::All => true,
        })
    }

    /// The person's links dated in (lo, hi]. The links are sorted by day: the window
    /// is found by halving, not by reading every link for each of the months a repeat
    /// suspect is counted in.
    fn within(&self, lo: i32, hi: i32) -> Person<'_> {
        let days = &self.links.day[self.lo..self.hi];
        Person {
            links: self.links,
            lo: self.lo + days.partition_point(|d| *d <= lo),
            hi: self.lo + days.partition_point(|d| *d <= hi),
        }
    }

    /// Distinct crimes of the group linked in (lo, hi].
    pub fn distinct_crimes(&self, group: OffenceGroup, lo: i32, hi: i32) -> usize {
        let (day, crime) = (&self.links.day, &self.links.crime);
        let window = self.within(lo, hi);
        distinct_in_window(window.indices(group).map(|i| (day[i], crime[i])), lo, hi)
    }

    /// Linked to two or more distinct crimes of the group in (lo, hi]: a repeat suspect
    /// at `hi` with a window of `hi - lo` days. Asked for every month of every repeat
    /// suspect, so it stops at the second crime and holds no list.
    pub fn is_repeat(&self, group: OffenceGroup, lo: i32, hi: i32) -> bool {
        let window = self.within(lo, hi);
        let mut crimes = window.indices(group).map(|i| self.links.crime[i]);
        match crimes.next() {
            Some(first) => crimes.any(|c| c != first),
            None => false,
        }
    }

    /// The day of the last link in the group.
    pub fn last_link(&self, group: OffenceGroup) -> Option<i32> {
        self.indices(group).map(|i| self.links.day[i]).max()
    }
}

/// The number of distinct crimes among (day, crime) links dated in (lo, hi]: the one
/// count behind "a repeat suspect at d" wherever it is read.
pub fn distinct_in_window(links: impl Iterator<Item = (i32, u32)>, lo: i32, hi: i32) -> usize {
    let mut seen: Vec<u32> = Vec::new();
    for (day, crime) in links {
        if day > lo && day <= hi && !seen.contains(&crime) {
            seen.push(crime);
        }
    }
    seen.len()
}

/// The columns of `offences` the crime model and the person links always read; a job
/// on the crime model reads no other but [`KEY_FIELD_COLUMNS`] and, split by area or
/// team, that column (the rest are the profile's).
pub const OFFENCE_COLUMNS: &[&str] = &[
    "crime_id",
    "force",
    "offence_code",
    "reported_date",
    "recorded_date",
];

/// The columns of `offences` behind `key_fields_complete_share`; a model built without
/// them leaves `key_complete` null.
pub const KEY_FIELD_COLUMNS: &[&str] = &[
    "victim_age",
    "offence_date",
    "victim_ethnicity",
    "relationship",
];

/// The columns of `suspects` the crime model and the person links read (a job that
/// counts no repeat suspects needs `linked_date` only).
pub const SUSPECT_COLUMNS: &[&str] = &["crime_id", "suspect_id", "linked_date"];

/// The indicators that read events' `suspect_id`, through [`Base::events_with_suspects`]
/// or [`suspect_event_days`]; every other reads events through the crime model, which
/// needs only their dates and `detail` beside the keys validation keeps.
pub const READ_EVENT_SUSPECTS: &[&str] = &[
    "dna_retention_application_rate",
    "repeat_suspects_managed_share",
];

/// The columns of `events` a job reads whose indicators are `indicators` and which
/// attaches the event types `types` (all when `None`): the dates, `detail` only when one
/// of those types is one of [`TYPES_WITH_DETAIL`], and `suspect_id` only for
/// [`READ_EVENT_SUSPECTS`]. The text `crime_id` and `event_type` are never read: the
/// keys validation kept stand for them.
pub fn event_columns(indicators: &[&str], types: Option<&[&str]>) -> Option<Vec<String>> {
    let mut columns = vec!["event_date".to_string()];
    if types.is_none_or(|t| t.iter().any(|t| TYPES_WITH_DETAIL.contains(t))) {
        columns.push("detail".to_string());
    }
    if indicators.iter().any(|i| READ_EVENT_SUSPECTS.contains(i)) {
        columns.push("suspect_id".to_string());
    }
    Some(columns)
}

/// The days of each suspect's (of `who`) events of `types` dated on or before `as_at`, on
/// any crime of the dataset (a person is managed wherever it happens), in file order.
pub fn suspect_event_days(
    dataset: &Dataset,
    as_at: i32,
    types: &[&str],
    who: &rustc_hash::FxHashSet<&str>,
) -> Result<Option<FxHashMap<String, Vec<i32>>>> {
    let (Some(events), Some(codes)) = (dataset.table(TableName::Events), dataset.event_codes())
    else {
        return Ok(None);
    };
    let wanted: Vec<u8> = types.iter().map(|t| event_code(t)).collect();
    let date = events.column("event_date")?.date()?.physical();
    let (mut rows, mut dates) = (Vec::new(), Vec::new());
    for (i, (c, d)) in codes.iter().zip(date.iter()).enumerate() {
        if let (Some(c), Some(d)) = (c, d)
            && d <= as_at
            && wanted.contains(&c)
        {
            rows.push(i as IdxSize);
            dates.push(d);
        }
    }
    let column = dataset.event_column("suspect_id").ok_or_else(|| {
        SoteriaError::Other("events were loaded without `suspect_id`, which this job reads".into())
    })?;
    let mut days: FxHashMap<String, Vec<i32>> = FxHashMap::default();
    column.for_each_text_at(&rows, |i, s| {
        if let Some(s) = s.filter(|s| who.contains(s)) {
            match days.get_mut(s) {
                Some(ds) => ds.push(dates[i]),
                None => {
                    days.insert(s.to_string(), vec![dates[i]]);
                }
            }
        }
    })?;
    Ok(Some(days))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Read at ascending rows, out of order and past the end, a column of several
    /// chunks (one empty) gives what one chunk would.
    #[test]
    fn a_chunked_column_reads_at_any_row() {
        let mut ca = Int32Chunked::from_slice("d".into(), &[0, 1, 2]);
        ca.append(&Int32Chunked::from_slice("d".into(), &[]))
            .unwrap();
        ca.append(&Int32Chunked::from_slice("d".into(), &[3, 4]))
            .unwrap();
        ca.append(&Int32Chunked::from_slice("d".into(), &[5, 6, 7, 8]))
            .unwrap();
        assert!(ca.chunks().len() >= 3);
        let mut reader = AscendingReader::new(&ca);
        let rows = [0, 2, 3, 4, 5, 8, 8, 1, 6, 9, 100];
        let got: Vec<Option<i32>> = rows.iter().map(|r| reader.get(*r)).collect();
        let expected = [
            Some(0),
            Some(2),
            Some(3),
            Some(4),
            Some(5),
            Some(8),
            Some(8),
            Some(1),
            Some(6),
            None,
            None,
        ];
        assert_eq!(got, expected);
    }

    /// The month index from day numbers agrees with polars' own calendar (year and month
    /// of a date) on every day from 1899 to 2101, leap days and negative day numbers
    /// included, and keeps nulls.
    #[test]
    fn month_of_date_agrees_with_the_calendar_of_polars() {
        let days: Vec<Option<i32>> = (-25_600..48_000).map(Some).chain([None]).collect();
        let df = df!("d" => days).unwrap();
        let out = df
            .lazy()
            .with_column(col("d").cast(DataType::Date))
            .select([
                month_of_date(col("d")).alias("ours"),
                (col("d").dt().year().cast(DataType::Int32) * lit(12)
                    + col("d").dt().month().cast(DataType::Int32)
                    - lit(1))
                .alias("calendar"),
            ])
            .collect()
            .unwrap();
        let ours = out.column("ours").unwrap().i32().unwrap();
        let calendar = out.column("calendar").unwrap().i32().unwrap();
        assert_eq!(ours.len(), 73_601);
        assert!(ours.iter().zip(calendar.iter()).all(|(a, b)| a == b));
        assert_eq!(ours.get(73_600), None);
    }
}
