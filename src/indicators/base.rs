//! The base relations every indicator shares, each computed once: crimes with their
//! current outcome, first outcome and per-crime event facts; events and suspect links
//! with their crime's keys; all restricted to what is dated on or before the as-at date.
//!
//! Output units (force x area x offence group) are small integers: every crime carries
//! a `ukey` for its own (force, area or team, group), and [`Base::expand`] joins the
//! rows an indicator needs to the output keys (`okey`) they count towards, so that
//! grouping works on integers rather than strings.
use crate::error::Result;
use crate::ingest::Dataset;
use crate::schema::TableName;
use polars::prelude::*;
use std::collections::HashMap;

/// How the `area` column of the output is split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SplitBy {
    Area,
    Team,
}

pub const ALL_AREAS: &str = "All";
pub const ALL_GROUPS: &str = "all";
/// The area of a crime whose area (or team) is blank, when splitting.
pub const NO_AREA: &str = "Not recorded";

/// One output unit: the strings of the output table's key columns.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OutKey {
    pub force: String,
    pub area: String,
    pub group: String,
}

pub struct Base {
    pub as_at: i32,
    pub split: Option<SplitBy>,
    /// One row per crime recorded on or before the as-at date.
    pub crimes: DataFrame,
    pub events: Option<DataFrame>,
    pub suspects: Option<DataFrame>,
    pub staff: Option<DataFrame>,
    pub feedback: Option<DataFrame>,
    /// Output units by `okey`.
    pub outkeys: Vec<OutKey>,
    /// `ukey -> okey` for the own-group and all-group variants.
    variants_groups: DataFrame,
    /// `ukey -> okey` for the all-group variants only.
    variants_all: DataFrame,
}

/// Days since the epoch of a date column.
pub fn days(c: &str) -> Expr {
    col(c).cast(DataType::Int32)
}

/// Month index (year x 12 + month - 1) of a date column.
pub fn month_of(c: &str) -> Expr {
    month_of_date(col(c))
}

/// Month index of a date expression.
pub fn month_of_date(date: Expr) -> Expr {
    date.clone().dt().year().cast(DataType::Int32) * lit(12)
        + date.dt().month().cast(DataType::Int32)
        - lit(1)
}

fn group_expr() -> Expr {
    let rape: Vec<&str> = crate::schema::codes::OFFENCE_CODES
        .iter()
        .filter(|c| c.group == crate::schema::codes::OffenceGroup::Rape)
        .map(|c| c.code)
        .collect();
    when(crate::util::is_one_of(col("offence_code"), &rape))
        .then(lit("rape"))
        .otherwise(lit("other_sexual"))
}

fn left() -> JoinArgs {
    JoinArgs {
        maintain_order: MaintainOrderJoin::Left,
        ..JoinArgs::new(JoinType::Left)
    }
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

/// `when(c).then(v)` with a typed null otherwise: a conditional column that a group-by
/// can aggregate on its fast path.
fn only_if(condition: Expr, value: Expr, dtype: DataType) -> Expr {
    when(condition).then(value).otherwise(lit(NULL).cast(dtype))
}

/// Assigns dense unit keys to (force, unit, group) triples.
#[derive(Default)]
struct Units {
    index: HashMap<(String, Option<String>, String), u32>,
    list: Vec<(String, Option<String>, String)>,
}

impl Units {
    fn key(&mut self, force: &str, unit: Option<&str>, group: &str) -> u32 {
        let k = (
            force.to_string(),
            unit.map(str::to_string),
            group.to_string(),
        );
        if let Some(i) = self.index.get(&k) {
            return *i;
        }
        let i = self.list.len() as u32;
        self.index.insert(k.clone(), i);
        self.list.push(k);
        i
    }

    fn keys_for(&mut self, df: &DataFrame, group: Option<&str>) -> Result<Vec<u32>> {
        let force = df.column("force")?.str()?;
        let unit = df.column("unit")?.str()?;
        let grp = match group {
            None => Some(df.column("grp")?.str()?.clone()),
            Some(_) => None,
        };
        Ok((0..df.height())
            .map(|i| {
                let g = match (&grp, group) {
                    (Some(g), _) => g.get(i).unwrap_or(ALL_GROUPS),
                    (None, Some(g)) => g,
                    (None, None) => ALL_GROUPS,
                };
                self.key(force.get(i).unwrap_or_default(), unit.get(i), g)
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
        let t0 = std::time::Instant::now();
        let as_at_lit = || lit(as_at);
        let mut offences = dataset
            .lazy(TableName::Offences)
            .expect("offences are always loaded")
            .filter(days("recorded_date").lt_eq(as_at_lit()));
        if let Some(f) = force {
            offences = offences.filter(col("force").eq(lit(f.to_string())));
        }
        let unit = match split {
            Some(SplitBy::Area) => col("area").fill_null(lit(NO_AREA)),
            Some(SplitBy::Team) => col("team").fill_null(lit(NO_AREA)),
            None => lit(NULL).cast(DataType::String),
        };
        let key_complete = col("victim_age")
            .is_not_null()
            .and(col("offence_date").is_not_null())
            .and(col("victim_ethnicity").is_not_null())
            .and(col("victim_ethnicity").neq(lit("not_stated")))
            .and(col("relationship").neq(lit("unknown")))
            .fill_null(lit(false));
        let mut crimes = offences.select([
            col("crime_id"),
            col("force"),
            unit.alias("unit"),
            group_expr().alias("grp"),
            days("reported_date").alias("reported"),
            days("recorded_date").alias("recorded"),
            month_of("recorded_date").alias("rec_month"),
            key_complete.alias("key_complete"),
        ]);

        if let Some(outcomes) = dataset.lazy(TableName::Outcomes) {
            // The current outcome is the latest dated on or before the as-at date; on a
            // tie of dates the later row in file order wins. Sorting once and taking
            // each crime's last row keeps the group-by on its fast path.
            let current = outcomes
                .with_row_index("row", None)
                .filter(days("outcome_date").lt_eq(as_at_lit()))
                .select([
                    col("row"),
                    col("crime_id"),
                    col("outcome_type"),
                    days("outcome_date").alias("d"),
                ])
                .sort(["d", "row"], SortMultipleOptions::default())
                .group_by([col("crime_id")])
                .agg([
                    col("outcome_type").last().alias("cur_type"),
                    col("d").max().alias("cur_date"),
                    col("d").min().alias("first_out"),
                ]);
            crimes = crimes.join(current, [col("crime_id")], [col("crime_id")], left());
        } else {
            crimes = crimes.with_columns([
                lit(NULL).cast(DataType::String).alias("cur_type"),
                lit(NULL).cast(DataType::Int32).alias("cur_date"),
                lit(NULL).cast(DataType::Int32).alias("first_out"),
            ]);
        }

        let event_types: Vec<&str> = crate::schema::codes::EVENT_TYPES
            .iter()
            .map(|e| e.code)
            .collect();
        let event_codes: Vec<u8> = (0..event_types.len() as u8).collect();
        let events = dataset.lazy(TableName::Events).map(|e| {
            e.with_row_index("row", None)
                .filter(days("event_date").lt_eq(as_at_lit()))
                .select([
                    col("row"),
                    col("crime_id"),
                    col("event_type")
                        .replace_strict(
                            lit(Series::new("types".into(), event_types.clone())),
                            lit(Series::new("codes".into(), event_codes.clone())),
                            None::<Expr>,
                            Some(DataType::UInt8),
                        )
                        .alias("etype"),
                    days("event_date").alias("day"),
                    month_of("event_date").alias("month"),
                    col("detail"),
                ])
        });
        let suspects = dataset.lazy(TableName::Suspects).map(|s| {
            s.filter(days("linked_date").lt_eq(as_at_lit())).select([
                col("crime_id"),
                col("suspect_id"),
                days("linked_date").alias("day"),
                month_of("linked_date").alias("month"),
            ])
        });

        let mut crimes = crimes.with_row_index("cidx", None).collect()?;
        let mut units = Units::default();
        let ukeys = units.keys_for(&crimes, None)?;
        crimes.with_column(Column::new("ukey".into(), ukeys))?;
        crate::util::trace(|| format!("base: crimes {:.2?}", t0.elapsed()));

        // Events and links carry their crime's integer index and keys from here on: the
        // one join on the text crime_id. File order is kept in `row` where it matters.
        let keys = || {
            crimes.clone().lazy().select([
                col("crime_id"),
                col("cidx"),
                col("ukey"),
                col("reported"),
                col("recorded"),
                col("first_out"),
            ])
        };
        let with_keys = |lf: LazyFrame| {
            lf.join(
                keys(),
                [col("crime_id")],
                [col("crime_id")],
                JoinArgs::new(JoinType::Inner),
            )
            .drop(cols(["crime_id"]))
        };
        let events = events.map(|e| with_keys(e).collect()).transpose()?;
        let suspects = suspects.map(|s| with_keys(s).collect()).transpose()?;
        crate::util::trace(|| format!("base: events and suspects {:.2?}", t0.elapsed()));

        // Per-crime facts from the events, in one pass over them.
        let mut facts = crimes.clone().lazy().select([col("cidx")]);
        let by_crime = || JoinArgs::new(JoinType::Left);
        if let Some(ev) = &events {
            let ev = ev.clone().lazy();
            let flag = |c: Expr| c.cast(DataType::UInt8).max();
            let first = |t: &str| only_if(is_event(t), col("day"), DataType::Int32).min();
            let per_crime = ev.clone().group_by([col("cidx")]).agg([
                flag(is_event("isva_referral")).alias("has_isva"),
                flag(is_event("suspect_arrested").or(is_event("suspect_interviewed")))
                    .alias("has_arrest_or_interview"),
                flag(is_event("nfa_explained")).alias("has_nfa_explained"),
                first("suspect_arrested").alias("first_arrest"),
                first("victim_first_contact").alias("first_contact"),
            ]);
            facts = facts.join(per_crime, [col("cidx")], [col("cidx")], by_crime());
            // The first of bail_start and rui_start, the earlier row winning a tie.
            let release = ev
                .filter(is_event("bail_start").or(is_event("rui_start")))
                .sort(["day", "row"], SortMultipleOptions::default())
                .group_by([col("cidx")])
                .agg([
                    col("etype").first().alias("first_release_type"),
                    col("day").min().alias("first_release"),
                ]);
            facts = facts.join(release, [col("cidx")], [col("cidx")], by_crime());
        } else {
            facts = facts.with_columns([
                lit(NULL).cast(DataType::UInt8).alias("has_isva"),
                lit(NULL)
                    .cast(DataType::UInt8)
                    .alias("has_arrest_or_interview"),
                lit(NULL).cast(DataType::UInt8).alias("has_nfa_explained"),
                lit(NULL).cast(DataType::Int32).alias("first_arrest"),
                lit(NULL).cast(DataType::Int32).alias("first_contact"),
                lit(NULL).cast(DataType::UInt8).alias("first_release_type"),
                lit(NULL).cast(DataType::Int32).alias("first_release"),
            ]);
        }
        if let Some(s) = &suspects {
            let linked = s
                .clone()
                .lazy()
                .select([col("cidx")])
                .unique(None, UniqueKeepStrategy::Any)
                .with_column(lit(1u8).alias("has_suspect"));
            facts = facts.join(linked, [col("cidx")], [col("cidx")], by_crime());
        } else {
            facts = facts.with_columns([lit(NULL).cast(DataType::UInt8).alias("has_suspect")]);
        }
        let flag_true = |c: &str| col(c).fill_null(lit(0u8)).eq(lit(1u8)).alias(c);
        let crimes = crimes
            .lazy()
            .join(
                facts,
                [col("cidx")],
                [col("cidx")],
                JoinArgs::new(JoinType::Left),
            )
            .with_columns([
                flag_true("has_isva"),
                flag_true("has_arrest_or_interview"),
                flag_true("has_nfa_explained"),
                flag_true("has_suspect"),
            ])
            .collect()?;
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
                        days("last_wellbeing_review").alias("review"),
                    ])
                    .collect()?,
                )
            }
            None => None,
        };
        let feedback = match dataset.lazy(TableName::Feedback) {
            Some(f) => {
                let mut f = f.filter(days("survey_date").lt_eq(as_at_lit()));
                if let Some(force) = force {
                    f = f.filter(col("force").eq(lit(force.to_string())));
                }
                let crime_units = crimes
                    .clone()
                    .lazy()
                    .select([col("crime_id").alias("fb_crime"), col("unit")]);
                let mut fb = f
                    .join(crime_units, [col("crime_id")], [col("fb_crime")], left())
                    .select([
                        col("force"),
                        col("unit"),
                        month_of("survey_date").alias("month"),
                        col("treated_fairly"),
                        col("kept_informed"),
                        col("confidence_to_report"),
                        col("overall_satisfaction"),
                    ])
                    .collect()?;
                let ukeys = units.keys_for(&fb, Some(ALL_GROUPS))?;
                fb.with_column(Column::new("ukey".into(), ukeys))?;
                Some(fb)
            }
            None => None,
        };

        // Output units and the variants each unit key counts towards.
        let mut outkeys: Vec<OutKey> = Vec::new();
        let mut out_index: HashMap<OutKey, u32> = HashMap::new();
        let mut okey = |force: &str, area: &str, group: &str| -> u32 {
            let k = OutKey {
                force: force.to_string(),
                area: area.to_string(),
                group: group.to_string(),
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
                let all = okey(force, area, ALL_GROUPS);
                va_u.push(u);
                va_o.push(all);
                vg_u.push(u);
                vg_o.push(all);
                if group != ALL_GROUPS {
                    vg_u.push(u);
                    vg_o.push(okey(force, area, group));
                }
            }
        }
        let variants = |u: Vec<u32>, o: Vec<u32>| -> Result<DataFrame> {
            Ok(DataFrame::new_infer_height(vec![
                Column::new("ukey".into(), u),
                Column::new("okey".into(), o),
            ])?)
        };
        Ok(Base {
            as_at,
            split,
            crimes,
            events,
            suspects,
            staff,
            feedback,
            outkeys,
            variants_groups: variants(vg_u, vg_o)?,
            variants_all: variants(va_u, va_o)?,
        })
    }

    pub fn crimes(&self) -> LazyFrame {
        self.crimes.clone().lazy()
    }

    pub fn events(&self) -> Option<LazyFrame> {
        self.events.as_ref().map(|e| e.clone().lazy())
    }

    pub fn events_of(&self, types: &[&str]) -> Option<LazyFrame> {
        let wanted = types
            .iter()
            .map(|t| is_event(t))
            .reduce(|a, b| a.or(b))
            .unwrap_or(lit(false));
        self.events().map(|e| e.filter(wanted))
    }

    /// Each row joined to every output unit it counts towards (`okey`): its force with
    /// area `All` and, when splitting, its area or team; each with its own offence group
    /// and group `all` (with `groups`), or group `all` only. Done after filtering, so only
    /// the rows an indicator needs are multiplied.
    pub fn expand(&self, lf: LazyFrame, groups: bool) -> LazyFrame {
        let variants = if groups {
            &self.variants_groups
        } else {
            &self.variants_all
        };
        lf.join(
            variants.clone().lazy(),
            [col("ukey")],
            [col("ukey")],
            JoinArgs::new(JoinType::Inner),
        )
    }
}
