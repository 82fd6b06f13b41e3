//! The base relations every indicator shares, each computed once: crimes with their
//! current outcome, first outcome and per-crime event facts; events and suspect links
//! with their crime's keys; all restricted to what is dated on or before the as-at date.
use crate::error::Result;
use crate::ingest::Dataset;
use crate::schema::TableName;
use polars::prelude::*;

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

pub struct Base {
    pub as_at: i32,
    pub split: Option<SplitBy>,
    /// One row per crime recorded on or before the as-at date.
    pub crimes: DataFrame,
    pub events: Option<DataFrame>,
    pub suspects: Option<DataFrame>,
    pub has_outcomes: bool,
    pub staff: Option<DataFrame>,
    pub feedback: Option<DataFrame>,
}

/// Days since the epoch of a date column.
pub fn days(c: &str) -> Expr {
    col(c).cast(DataType::Int32)
}

/// Month index (year x 12 + month - 1) of a date column.
pub fn month_of(c: &str) -> Expr {
    col(c).dt().year().cast(DataType::Int32) * lit(12) + col(c).dt().month().cast(DataType::Int32)
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

fn left_on(key: &str) -> JoinArgs {
    let _ = key;
    JoinArgs {
        maintain_order: MaintainOrderJoin::Left,
        ..JoinArgs::new(JoinType::Left)
    }
}

impl Base {
    pub fn build(
        dataset: &Dataset,
        as_at: i32,
        force: Option<&str>,
        split: Option<SplitBy>,
    ) -> Result<Base> {
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

        let has_outcomes = dataset.has(TableName::Outcomes);
        if let Some(outcomes) = dataset.lazy(TableName::Outcomes) {
            // The current outcome is the latest dated on or before the as-at date; on a
            // tie of dates the later row in file order wins.
            let current = outcomes
                .with_row_index("row", None)
                .filter(days("outcome_date").lt_eq(as_at_lit()))
                .group_by([col("crime_id")])
                .agg([
                    col("outcome_type")
                        .sort_by(
                            [days("outcome_date"), col("row")],
                            SortMultipleOptions::default(),
                        )
                        .last()
                        .alias("cur_type"),
                    days("outcome_date").max().alias("cur_date"),
                    days("outcome_date").min().alias("first_out"),
                ]);
            crimes = crimes.join(
                current,
                [col("crime_id")],
                [col("crime_id")],
                left_on("crime_id"),
            );
        } else {
            crimes = crimes.with_columns([
                lit(NULL).cast(DataType::String).alias("cur_type"),
                lit(NULL).cast(DataType::Int32).alias("cur_date"),
                lit(NULL).cast(DataType::Int32).alias("first_out"),
            ]);
        }
        crimes = crimes.with_columns([(col("cur_date").cast(DataType::Int32)).alias("cur_date")]);

        let events = dataset.lazy(TableName::Events).map(|e| {
            e.with_row_index("row", None)
                .filter(days("event_date").lt_eq(as_at_lit()))
                .select([
                    col("row"),
                    col("crime_id"),
                    col("event_type"),
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

        // Per-crime facts from the events, in one pass over them.
        if let Some(ev) = &events {
            let is = |t: &str| col("event_type").eq(lit(t.to_string()));
            let first = |t: &str| col("day").filter(is(t)).min();
            let facts = ev.clone().group_by([col("crime_id")]).agg([
                is("isva_referral").any(true).alias("has_isva"),
                is("suspect_arrested")
                    .or(is("suspect_interviewed"))
                    .any(true)
                    .alias("has_arrest_or_interview"),
                is("nfa_explained").any(true).alias("has_nfa_explained"),
                first("suspect_arrested").alias("first_arrest"),
                first("victim_first_contact").alias("first_contact"),
            ]);
            crimes = crimes.join(
                facts,
                [col("crime_id")],
                [col("crime_id")],
                left_on("crime_id"),
            );
            // The first of bail_start and rui_start, the earlier row winning a tie.
            let release = ev
                .clone()
                .filter(is("bail_start").or(is("rui_start")))
                .group_by([col("crime_id")])
                .agg([
                    col("event_type")
                        .sort_by([col("day"), col("row")], SortMultipleOptions::default())
                        .first()
                        .alias("first_release_type"),
                    col("day").min().alias("first_release"),
                ]);
            crimes = crimes.join(
                release,
                [col("crime_id")],
                [col("crime_id")],
                left_on("crime_id"),
            );
        } else {
            crimes = crimes.with_columns([
                lit(NULL).cast(DataType::Boolean).alias("has_isva"),
                lit(NULL)
                    .cast(DataType::Boolean)
                    .alias("has_arrest_or_interview"),
                lit(NULL).cast(DataType::Boolean).alias("has_nfa_explained"),
                lit(NULL).cast(DataType::Int32).alias("first_arrest"),
                lit(NULL).cast(DataType::Int32).alias("first_contact"),
                lit(NULL).cast(DataType::String).alias("first_release_type"),
                lit(NULL).cast(DataType::Int32).alias("first_release"),
            ]);
        }
        if let Some(s) = &suspects {
            let linked = s
                .clone()
                .group_by([col("crime_id")])
                .agg([lit(true).first().alias("has_suspect")]);
            crimes = crimes.join(
                linked,
                [col("crime_id")],
                [col("crime_id")],
                left_on("crime_id"),
            );
        } else {
            crimes = crimes.with_columns([lit(NULL).cast(DataType::Boolean).alias("has_suspect")]);
        }
        let crimes = crimes
            .with_columns([
                col("has_isva").fill_null(lit(false)),
                col("has_arrest_or_interview").fill_null(lit(false)),
                col("has_nfa_explained").fill_null(lit(false)),
                col("has_suspect").fill_null(lit(false)),
            ])
            .collect()?;

        let keys = || {
            crimes.clone().lazy().select([
                col("crime_id"),
                col("force"),
                col("unit"),
                col("grp"),
                col("reported"),
                col("recorded"),
                col("first_out"),
            ])
        };
        let inner = || JoinArgs {
            maintain_order: MaintainOrderJoin::Left,
            ..JoinArgs::new(JoinType::Inner)
        };
        let events = events
            .map(|e| {
                e.join(keys(), [col("crime_id")], [col("crime_id")], inner())
                    .collect()
            })
            .transpose()?;
        let suspects = suspects
            .map(|s| {
                s.join(keys(), [col("crime_id")], [col("crime_id")], inner())
                    .collect()
            })
            .transpose()?;

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
                let units = crimes
                    .clone()
                    .lazy()
                    .select([col("crime_id").alias("fb_crime"), col("unit")]);
                Some(
                    f.join(
                        units,
                        [col("crime_id")],
                        [col("fb_crime")],
                        left_on("crime_id"),
                    )
                    .select([
                        col("force"),
                        col("unit"),
                        month_of("survey_date").alias("month"),
                        col("treated_fairly"),
                        col("kept_informed"),
                        col("confidence_to_report"),
                        col("overall_satisfaction"),
                    ])
                    .collect()?,
                )
            }
            None => None,
        };
        Ok(Base {
            as_at,
            split,
            crimes,
            events,
            suspects,
            has_outcomes,
            staff,
            feedback,
        })
    }

    pub fn crimes(&self) -> LazyFrame {
        self.crimes.clone().lazy()
    }

    pub fn events(&self) -> Option<LazyFrame> {
        self.events.as_ref().map(|e| e.clone().lazy())
    }

    pub fn events_of(&self, types: &[&str]) -> Option<LazyFrame> {
        self.events()
            .map(|e| e.filter(crate::util::is_one_of(col("event_type"), types)))
    }

    /// Every row once with its own offence group and once as group `all`, and, when
    /// splitting, once more per variant with its area or team: the rows behind each
    /// output unit. Done after filtering, so only the rows an indicator needs are copied.
    pub fn expand(&self, lf: LazyFrame, groups: bool) -> LazyFrame {
        let mut variants = Vec::new();
        let areas: Vec<Expr> = match self.split {
            Some(_) => vec![lit(ALL_AREAS), col("unit")],
            None => vec![lit(ALL_AREAS)],
        };
        for area in &areas {
            let group_variants: Vec<Expr> = if groups {
                vec![col("grp"), lit(ALL_GROUPS)]
            } else {
                vec![lit(ALL_GROUPS)]
            };
            for g in group_variants {
                variants.push(
                    lf.clone()
                        .with_columns([area.clone().alias("area"), g.alias("offence_group")]),
                );
            }
        }
        concat(variants, UnionArgs::default()).expect("variants share a schema")
    }
}
