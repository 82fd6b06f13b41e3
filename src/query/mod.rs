//! SQL over a dataset (polars SQL): the tables of the standard, a `crimes` view with one
//! row per offence and its current state, and the `flightdeck` long table, computed only
//! when a query names it. Errors name the nearest table or column.
use crate::error::{Result, SoteriaError};
use crate::indicators::{FlightDeckOptions, flight_deck};
use crate::ingest::Dataset;
use crate::model::{Base, days};
use crate::schema::TableName;
use crate::util::chrono_lite::Date;
use polars::prelude::*;
use polars::sql::SQLContext;

pub mod guard;
mod line;
pub mod shell;

pub struct QueryEngine<'a> {
    dataset: &'a Dataset,
    context: SQLContext,
    as_at: Date,
    flightdeck_ready: bool,
    crimes_ready: bool,
}

impl<'a> QueryEngine<'a> {
    pub fn new(dataset: &'a Dataset, as_at: Option<Date>) -> Result<QueryEngine<'a>> {
        let as_at = dataset.as_at(as_at)?;
        let context = SQLContext::new();
        for t in TableName::ALL {
            if let Some(lf) = dataset.lazy(t) {
                context.register(t.as_str(), lf);
            }
        }
        Ok(QueryEngine {
            dataset,
            context,
            as_at,
            flightdeck_ready: false,
            crimes_ready: false,
        })
    }

    pub fn tables(&self) -> Vec<String> {
        let mut t = self.context.get_tables();
        for view in ["crimes", "flightdeck"] {
            if !t.iter().any(|n| n == view) {
                t.push(view.into());
            }
        }
        t.sort();
        t
    }

    /// Column names and types of a table (`flightdeck` is computed on first use).
    pub fn schema(&mut self, table: &str) -> Result<Vec<(String, String)>> {
        let sql = format!("SELECT * FROM {table} LIMIT 0");
        guard::check(&sql)?;
        self.ensure_views(table)?;
        let lf = match self.context.execute(&sql) {
            Ok(lf) => lf,
            Err(e) => return Err(self.explain(e)),
        };
        let schema = lf.clone().collect_schema()?;
        Ok(schema
            .iter()
            .map(|(n, d)| (n.to_string(), d.to_string()))
            .collect())
    }

    /// The views are built only when a statement names them: they cost more than a
    /// query over the tables.
    fn ensure_views(&mut self, sql: &str) -> Result<()> {
        if mentions(sql, "crimes") && !self.crimes_ready {
            self.context
                .register("crimes", crimes_view(self.dataset, self.as_at)?);
            self.crimes_ready = true;
        }
        if mentions(sql, "flightdeck") && !self.flightdeck_ready {
            let deck = flight_deck(
                self.dataset,
                &FlightDeckOptions {
                    as_at: Some(self.as_at),
                    ..FlightDeckOptions::default()
                },
            )?;
            self.context.register("flightdeck", deck.table.lazy());
            self.flightdeck_ready = true;
        }
        Ok(())
    }

    /// Runs one SQL statement.
    pub fn run(&mut self, sql: &str) -> Result<DataFrame> {
        guard::check(sql)?;
        self.ensure_views(sql)?;
        let result = self.context.execute(sql).and_then(|lf| lf.collect());
        result.map_err(|e| self.explain(e))
    }

    /// A polars error in analyst's words, with the nearest table or column name.
    fn explain(&mut self, error: PolarsError) -> SoteriaError {
        let message = error.to_string();
        let quoted = message
            .split(['"', '\'', '`'])
            .nth(1)
            .map(str::to_string)
            .unwrap_or_default();
        let lower = message.to_lowercase();
        let tables = self.tables();
        let between = |text: &str, start: &str| -> Option<String> {
            let rest = &text[text.find(start)? + start.len()..];
            let end = rest.find('"')?;
            Some(rest[..end].to_string())
        };
        let polars_suggestion = between(&message, "Did you mean \"");
        let hint = if let (Some(missing), Some(suggested)) = (
            between(&message, "unable to find column \""),
            polars_suggestion,
        ) {
            Some(format!(
                "no column `{missing}`; did you mean `{suggested}`?"
            ))
        } else if lower.contains("not found")
            && (lower.contains("relation") || lower.contains("table"))
        {
            crate::util::nearest(&quoted, &tables).map(|n| {
                format!(
                    "no table `{quoted}`; did you mean `{n}`? Tables: {}",
                    tables.join(", ")
                )
            })
        } else if lower.contains("not found") || lower.contains("unable to find column") {
            let mut columns = Vec::new();
            let tables = self.context.get_tables();
            for t in tables {
                if let Ok(lf) = self.context.execute(&format!("SELECT * FROM {t} LIMIT 0"))
                    && let Ok(s) = lf.clone().collect_schema()
                {
                    columns.extend(s.iter_names().map(|n| n.to_string()));
                }
            }
            columns.sort();
            columns.dedup();
            crate::util::nearest(&quoted, &columns)
                .map(|n| format!("no column `{quoted}`; did you mean `{n}`?"))
        } else {
            None
        };
        match hint {
            Some(h) => SoteriaError::Other(format!("{h}\n({message})")),
            None => SoteriaError::Other(format!("SQL: {message}")),
        }
    }
}

/// The tables a statement needs loaded: those it names, and for the views the tables
/// they are built from.
pub fn tables_needed(sql: &str) -> Vec<TableName> {
    if mentions(sql, "flightdeck") {
        return TableName::ALL.to_vec();
    }
    let mut needed: Vec<TableName> = TableName::ALL
        .into_iter()
        .filter(|t| mentions(sql, t.as_str()))
        .collect();
    if mentions(sql, "crimes") {
        needed.extend([TableName::Outcomes, TableName::Events, TableName::Suspects]);
    }
    needed
}

fn mentions(sql: &str, word: &str) -> bool {
    sql.to_lowercase()
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .any(|w| w == word)
}

/// One row per offence recorded on or before the as-at date, with its offence group,
/// current outcome, whether it is open, days from recording to the outcome and the number
/// of suspects linked, so that common questions need no join.
fn crimes_view(dataset: &Dataset, as_at: Date) -> Result<LazyFrame> {
    let base = Base::build(dataset, as_at.days(), None, None)?;
    let suspects = match dataset.lazy(TableName::Suspects) {
        Some(s) => s
            .filter(days("linked_date").lt_eq(lit(as_at.days())))
            .group_by([col("crime_id")])
            .agg([col("suspect_id")
                .n_unique()
                .cast(DataType::UInt32)
                .alias("suspects")]),
        None => df!("crime_id" => Vec::<String>::new(), "suspects" => Vec::<u32>::new())?.lazy(),
    };
    let state = base.crimes().select([
        col("crime_id").alias("state_crime"),
        col("grp").alias("offence_group"),
        col("cur_type").alias("outcome_type"),
        col("cur_date").cast(DataType::Date).alias("outcome_date"),
        col("cur_date").is_null().alias("is_open"),
        (col("cur_date") - col("recorded")).alias("days_to_outcome"),
    ]);
    let offences = dataset
        .lazy(TableName::Offences)
        .expect("offences are always loaded");
    Ok(offences
        .join(
            state,
            [col("crime_id")],
            [col("state_crime")],
            JoinArgs::new(JoinType::Inner),
        )
        .join(
            suspects,
            [col("crime_id")],
            [col("crime_id")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(col("suspects").fill_null(lit(0u32)))
        .collect()?
        .lazy())
}
