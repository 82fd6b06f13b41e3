//! Pillar 3: victims and procedural justice.
use super::Ctx;
use super::partial::{count, median, month_of_days, proportion};
use super::pillar1::{closed, recorded};
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
        ctx.add(id, || proportion(b, closed(b), outcome_is(&[t]), id, true));
    }
    ctx.add("victim_withdrawal_rate", || {
        proportion(
            b,
            closed(b),
            outcome_is(crate::schema::codes::VICTIM_WITHDRAWAL_OUTCOMES),
            "victim_withdrawal_rate",
            true,
        )
    });
    ctx.add_events("withdrawal_within_30d_share", &["victim_withdrawal"], |e| {
        proportion(
            b,
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
            b,
            contacts,
            col("first_contact") - col("reported"),
            "days_to_first_contact_median",
            true,
        )
    });
    ctx.add("isva_referral_rate", || {
        proportion(b, recorded(b), col("has_isva"), "isva_referral_rate", true)
    });
    ctx.add("nfa_explained_rate", || {
        proportion(
            b,
            closed(b).filter(outcome_is(NFA_OUTCOMES)),
            col("has_nfa_explained"),
            "nfa_explained_rate",
            true,
        )
    });
    // The numerator of victim_updated_28d_share: crimes open at end(m) with an update in
    // (end(m) - 28, end(m)]. A month is at least 28 days long, so an update can only
    // count for the month it falls in, and only in that month's last 28 days.
    ctx.add("victim_updated_28d_share", || {
        let updates = b
            .events_of(&["victim_update"])
            .expect("events checked by add")
            .join(
                super::calendar(),
                [col("month")],
                [col("cal_month")],
                JoinArgs::new(JoinType::Left),
            )
            .filter(
                (col("end_day") - col("day"))
                    .lt(lit(28))
                    .and(col("recorded").lt_eq(col("end_day")))
                    .and(
                        col("first_out")
                            .is_null()
                            .or(col("first_out").gt(col("end_day"))),
                    ),
            )
            .unique(Some(cols(["cidx", "month"])), UniqueKeepStrategy::First);
        count(b, updates, "victim_updated_28d_share", true)
    });

    if let Some(fb) = &b.feedback {
        let lf = || fb.clone().lazy();
        ctx.add("feedback_responses", || {
            count(b, lf(), "feedback_responses", false)
        });
        for (id, question) in [
            ("feedback_treated_fairly_share", "treated_fairly"),
            ("feedback_kept_informed_share", "kept_informed"),
            ("feedback_confidence_share", "confidence_to_report"),
            ("feedback_satisfied_share", "overall_satisfaction"),
        ] {
            ctx.add(id, || {
                proportion(
                    b,
                    lf().filter(col(question).is_not_null()),
                    col(question).gt_eq(lit(4)),
                    id,
                    false,
                )
            });
        }
    }
}
