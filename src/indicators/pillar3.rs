//! Pillar 3: victims and procedural justice.
use super::Ctx;
use super::partial::CrimeRows;
use super::partial::{count, median, month_of_days, proportion};
use crate::error::Result;
use crate::model::Base;
use crate::schema::codes::NFA_OUTCOMES;
use polars::prelude::*;

fn outcome_is(types: &[&str]) -> Expr {
    crate::util::is_one_of(col("cur_type"), types).fill_null(lit(false))
}

pub fn compute(ctx: &mut Ctx) {
    let b = ctx.base;
    for (id, t) in [
        ("outcome14_share", "14"),
        ("outcome15_share", "15"),
        ("outcome16_share", "16"),
        ("outcome18_share", "18"),
    ] {
        ctx.add(id, || {
            proportion(CrimeRows::closed(), outcome_is(&[t]), id, true)
        });
    }
    ctx.add("victim_withdrawal_rate", || {
        proportion(
            CrimeRows::closed(),
            outcome_is(crate::schema::codes::VICTIM_WITHDRAWAL_OUTCOMES),
            "victim_withdrawal_rate",
            true,
        )
    });
    ctx.add_events("withdrawal_within_30d_share", &["victim_withdrawal"], |e| {
        proportion(
            e,
            (col("day") - col("reported")).lt_eq(lit(30)),
            "withdrawal_within_30d_share",
            true,
        )
    });
    ctx.add("days_to_first_contact_median", || {
        let contacts = b
            .crimes()
            .filter(col("first_contact").is_not_null())
            .with_column(month_of_days(col("first_contact")).alias("month"));
        median(
            contacts,
            col("first_contact") - col("reported"),
            "days_to_first_contact_median",
            true,
        )
    });
    ctx.add("isva_referral_rate", || {
        proportion(
            CrimeRows::recorded(),
            col("has_isva"),
            "isva_referral_rate",
            true,
        )
    });
    ctx.add("nfa_explained_rate", || {
        proportion(
            CrimeRows::closed().filter(outcome_is(NFA_OUTCOMES)),
            col("has_nfa_explained"),
            "nfa_explained_rate",
            true,
        )
    });
    if let Some(fb) = &b.feedback {
        let lf = || fb.clone().lazy();
        ctx.add("feedback_responses", || {
            count(lf(), "feedback_responses", false)
        });
        for (id, question) in [
            ("feedback_treated_fairly_share", "treated_fairly"),
            ("feedback_kept_informed_share", "kept_informed"),
            ("feedback_confidence_share", "confidence_to_report"),
            ("feedback_satisfied_share", "overall_satisfaction"),
        ] {
            ctx.add(id, || {
                proportion(
                    lf().filter(col(question).is_not_null()),
                    col(question).gt_eq(lit(4)),
                    id,
                    false,
                )
            });
        }
    }
}

/// The numerator of `victim_updated_28d_share`: crimes open at end(m) with an update in
/// (end(m) - 28, end(m)]. A month is at least 28 days long, so an update can only count
/// for the month it falls in, and only in that month's last 28 days. One pass over the
/// updates (7.8 million in the national extract), each crime counted once a month: a
/// join to a calendar and a unique over them took two seconds as a plan.
pub fn victim_updated_frame(b: &Base) -> Result<Option<DataFrame>> {
    // Which (crime, month) pairs are already counted: a bit per crime and month of the
    // model's span, cheaper than a hash set of millions of pairs.
    let months = b.crimes.column("rec_month")?.i32()?;
    let first = months.min().unwrap_or(0);
    let last = crate::util::Month::index_of_day(b.as_at).max(first);
    let span = (last - first + 1) as usize;
    let mut seen = vec![0u64; (b.crimes.height() * span).div_ceil(64)];
    let (mut ukeys, mut months) = (Vec::new(), Vec::new());
    let attached = b.for_each_event("victim_update", |e, _| {
        let (m, Some(r)) = (e.month, e.recorded) else {
            return;
        };
        let end = super::month_end_day(m);
        let open = r <= end && e.first_out.is_none_or(|f| f > end);
        if end - e.day < 28 && open && m >= first && m <= last {
            let bit = e.cidx as usize * span + (m - first) as usize;
            let (word, mask) = (bit / 64, 1u64 << (bit % 64));
            if seen[word] & mask == 0 {
                seen[word] |= mask;
                ukeys.push(e.ukey);
                months.push(m);
            }
        }
    })?;
    if !attached {
        return Ok(None);
    }
    Ok(Some(DataFrame::new_infer_height(vec![
        Column::new("ukey".into(), ukeys),
        Column::new("month".into(), months),
    ])?))
}
