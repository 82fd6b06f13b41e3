//! A reproducible random sample of crimes closed in a month for the rape scrutiny panel,
//! stratified by outcome type in proportion to their numbers (at least one from each
//! outcome present), with the facts a panel needs and no person identifier other than
//! `crime_id`.
use crate::error::{Result, SoteriaError};
use crate::ingest::Dataset;
use crate::model::{Base, days, event_code};
use crate::schema::TableName;
use crate::util::Month;
use crate::util::chrono_lite::Date;
use polars::prelude::*;
use rand::SeedableRng;
use rand::seq::SliceRandom;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct ScrutinyOptions {
    pub month: Month,
    pub n: usize,
    pub seed: u64,
    pub outcomes: Vec<String>,
    pub force: Option<String>,
    pub as_at: Option<Date>,
}

/// Proportional allocation of `n` between strata of the given sizes, each present
/// stratum getting at least one, the rest by largest remainder (ties to the earlier).
pub fn allocate(sizes: &[usize], n: usize) -> Vec<usize> {
    let total: usize = sizes.iter().sum();
    if n >= total {
        return sizes.to_vec();
    }
    let present = sizes.iter().filter(|s| **s > 0).count();
    let mut out: Vec<usize> = sizes.iter().map(|s| usize::from(*s > 0)).collect();
    if n <= present {
        // Fewer places than strata: one each to the largest strata.
        let mut order: Vec<usize> = (0..sizes.len()).filter(|i| sizes[*i] > 0).collect();
        order.sort_by(|a, b| sizes[*b].cmp(&sizes[*a]).then(a.cmp(b)));
        let mut out = vec![0; sizes.len()];
        for i in order.into_iter().take(n) {
            out[i] = 1;
        }
        return out;
    }
    let rest = n - present;
    let capacity: Vec<usize> = sizes.iter().zip(&out).map(|(s, o)| s - o).collect();
    let cap_total: usize = capacity.iter().sum();
    let quotas: Vec<f64> = capacity
        .iter()
        .map(|c| rest as f64 * *c as f64 / cap_total as f64)
        .collect();
    for (o, q) in out.iter_mut().zip(&quotas) {
        *o += q.floor() as usize;
    }
    let mut left = n - out.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    order.sort_by(|a, b| {
        let (ra, rb) = (
            quotas[*a] - quotas[*a].floor(),
            quotas[*b] - quotas[*b].floor(),
        );
        rb.total_cmp(&ra).then(a.cmp(b))
    });
    for i in order {
        if left == 0 {
            break;
        }
        if out[i] < sizes[i] {
            out[i] += 1;
            left -= 1;
        }
    }
    out
}

fn outcome_series(options: &ScrutinyOptions, name: &str) -> Series {
    let outcomes: Vec<&str> = options.outcomes.iter().map(String::as_str).collect();
    Series::new(name.into(), outcomes)
}

pub fn sample(dataset: &Dataset, options: &ScrutinyOptions) -> Result<DataFrame> {
    if options.n == 0 {
        return Err(SoteriaError::Usage("--n must be at least 1".into()));
    }
    let as_at = dataset.as_at(options.as_at)?;
    if !dataset.has(TableName::Outcomes) {
        return Err(SoteriaError::Other(
            "the scrutiny sample needs the outcomes table".into(),
        ));
    }
    let base = Base::build(dataset, as_at.days(), options.force.as_deref(), None)?;
    let (lo, hi) = (
        options.month.first_day().days(),
        options.month.last_day().days(),
    );
    let wanted = outcome_series(options, "o");
    let closed = base
        .crimes()
        .filter(
            col("cur_date")
                .gt_eq(lit(lo))
                .and(col("cur_date").lt_eq(lit(hi)))
                .and(col("cur_type").is_in(lit(wanted).implode(false), false)),
        )
        .select([
            col("crime_id"),
            col("cidx"),
            col("cur_type"),
            col("cur_date"),
        ])
        .sort(["crime_id"], SortMultipleOptions::default())
        .collect()?;
    let ids = closed.column("crime_id")?.str()?;
    let types = closed.column("cur_type")?.str()?;
    let mut strata: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for i in 0..closed.height() {
        if let (Some(id), Some(t)) = (ids.get(i), types.get(i)) {
            strata
                .entry(t.to_string())
                .or_default()
                .push(id.to_string());
        }
    }
    // Strata in the order the outcomes were asked for.
    let order: Vec<&String> = options
        .outcomes
        .iter()
        .filter(|o| strata.contains_key(*o))
        .collect();
    let sizes: Vec<usize> = order.iter().map(|o| strata[*o].len()).collect();
    let take = allocate(&sizes, options.n);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(options.seed);
    let mut chosen: Vec<String> = Vec::new();
    for (o, k) in order.iter().zip(take) {
        let mut ids = strata[*o].clone();
        ids.shuffle(&mut rng);
        ids.truncate(k);
        ids.sort();
        chosen.extend(ids);
    }
    let chosen = Series::new("chosen".into(), chosen);
    let crimes = base
        .crimes()
        .filter(col("crime_id").is_in(lit(chosen).implode(false), false));
    // The offence's facts the panel sees, besides its dates and code.
    const FACTS: [&str; 7] = [
        "relationship",
        "domestic_abuse",
        "online_facilitated",
        "alcohol_involved",
        "drugs_involved",
        "victim_vulnerable",
        "word_on_word",
    ];
    let mut offence_columns = vec![
        col("crime_id").alias("oc"),
        col("offence_code"),
        col("reported_date"),
        col("recorded_date"),
    ];
    offence_columns.extend(FACTS.iter().map(|c| col(*c)));
    let offences = dataset
        .lazy(TableName::Offences)
        .expect("offences are always loaded")
        .select(offence_columns);
    const KEY_EVENTS: [(&str, &str); 8] = [
        ("victim_first_contact", "first_contact_date"),
        ("isva_referral", "isva_referral_date"),
        ("suspect_arrested", "arrest_date"),
        ("suspect_interviewed", "interview_date"),
        ("cps_file_submitted", "cps_file_date"),
        ("victim_withdrawal", "withdrawal_date"),
        ("nfa_explained", "nfa_explained_date"),
        ("scrutiny_panel_review", "earlier_review_date"),
    ];
    let key_events = match base.events() {
        Some(e) => e.group_by([col("cidx")]).agg(
            KEY_EVENTS
                .iter()
                .map(|(t, name)| {
                    when(col("etype").eq(lit(event_code(t))))
                        .then(col("day"))
                        .otherwise(lit(NULL).cast(DataType::Int32))
                        .min()
                        .cast(DataType::Date)
                        .alias(*name)
                })
                .collect::<Vec<_>>(),
        ),
        None => df!("cidx" => Vec::<u32>::new())?.lazy().with_columns(
            KEY_EVENTS
                .iter()
                .map(|(_, n)| lit(NULL).cast(DataType::Date).alias(*n))
                .collect::<Vec<_>>(),
        ),
    };
    let outcome_rank = outcome_series(options, "rank_o");
    let ranks = Series::new(
        "rank_r".into(),
        (0..options.outcomes.len() as u32).collect::<Vec<_>>(),
    );
    let mut columns = vec![
        col("crime_id"),
        col("offence_code"),
        col("grp").alias("offence_group"),
        col("reported_date"),
        col("recorded_date"),
        col("cur_type").alias("outcome_type"),
        col("cur_date").cast(DataType::Date).alias("outcome_date"),
        (col("cur_date") - days("recorded_date")).alias("days_to_outcome"),
    ];
    columns.extend(FACTS.iter().map(|c| col(*c)));
    columns.push(col("has_suspect").alias("suspect_identified"));
    columns.extend(KEY_EVENTS.iter().map(|(_, n)| col(*n)));
    Ok(crimes
        .join(
            offences,
            [col("crime_id")],
            [col("oc")],
            JoinArgs::new(JoinType::Inner),
        )
        .join(
            key_events,
            [col("cidx")],
            [col("cidx")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            col("cur_type")
                .replace_strict(
                    lit(outcome_rank),
                    lit(ranks),
                    None::<Expr>,
                    Some(DataType::UInt32),
                )
                .alias("__rank"),
        )
        .sort(["__rank", "crime_id"], SortMultipleOptions::default())
        .select(columns)
        .collect()?)
}

#[cfg(test)]
mod tests {
    use super::allocate;

    #[test]
    fn allocation_is_proportional_with_one_per_stratum() {
        // Base one each (3), then 3 more by capacity 9:4:0:0 -> quotas 2.08, 0.92.
        assert_eq!(allocate(&[10, 5, 0, 1], 6), vec![3, 2, 0, 1]);
        assert_eq!(allocate(&[10, 5, 0, 1], 40), vec![10, 5, 0, 1]);
        assert_eq!(allocate(&[10, 5, 3], 2), vec![1, 1, 0]);
        for n in 1..30 {
            let a = allocate(&[12, 7, 3, 1], n);
            assert_eq!(a.iter().sum::<usize>(), n.min(23));
            assert!(a.iter().zip([12, 7, 3, 1]).all(|(x, s)| *x <= s));
        }
    }
}
