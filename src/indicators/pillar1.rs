//! Pillar 1: suspect-focused investigation.
use super::Ctx;
use super::partial::{CrimeRows, count, median, month_of_days, proportion};
use crate::model::days;
use crate::schema::codes::CHARGE_OUTCOMES;
use polars::prelude::*;

pub fn is_charge() -> Expr {
    crate::util::is_one_of(col("cur_type"), CHARGE_OUTCOMES).fill_null(lit(false))
}

pub fn compute(ctx: &mut Ctx) {
    let b = ctx.base;
    ctx.add("recorded", || {
        count(CrimeRows::recorded(), "recorded", true)
    });
    ctx.add("suspect_identified_rate", || {
        proportion(
            CrimeRows::recorded(),
            col("has_suspect"),
            "suspect_identified_rate",
            true,
        )
    });
    ctx.add("suspect_identified_30d_rate", || {
        proportion(
            CrimeRows::recorded(),
            col("first_link")
                .lt_eq(col("recorded") + lit(30))
                .fill_null(lit(false)),
            "suspect_identified_30d_rate",
            true,
        )
    });
    ctx.add("arrest_or_interview_rate", || {
        proportion(
            CrimeRows::recorded().filter(col("has_suspect")),
            col("has_arrest_or_interview"),
            "arrest_or_interview_rate",
            true,
        )
    });
    ctx.add("days_report_to_arrest_median", || {
        let arrests = b
            .crimes()
            .filter(col("first_arrest").is_not_null())
            .with_column(month_of_days(col("first_arrest")).alias("month"));
        median(
            arrests,
            col("first_arrest") - col("reported"),
            "days_report_to_arrest_median",
            true,
        )
    });
    ctx.add("charges", || {
        count(CrimeRows::closed().filter(is_charge()), "charges", true)
    });
    ctx.add("charge_rate_closed", || {
        proportion(CrimeRows::closed(), is_charge(), "charge_rate_closed", true)
    });
    ctx.add("charge_rate_cohort", || {
        proportion(
            CrimeRows::recorded(),
            is_charge(),
            "charge_rate_cohort",
            true,
        )
    });
    ctx.add("charge_within_365d_rate", || {
        proportion(
            CrimeRows::recorded(),
            (col("first_charge") - col("recorded"))
                .lt_eq(lit(365))
                .fill_null(lit(false)),
            "charge_within_365d_rate",
            true,
        )
    });
    ctx.add("days_recorded_to_charge_median", || {
        median(
            CrimeRows::closed().filter(is_charge()),
            col("cur_date") - col("recorded"),
            "days_recorded_to_charge_median",
            true,
        )
    });
    ctx.add_events(
        "early_advice_requests",
        &["cps_early_advice_requested"],
        |e| count(e, "early_advice_requests", true),
    );
    ctx.add("days_early_advice_median", || {
        // Each advice received, against the latest request on the same crime on or
        // before it; advice with no earlier request has no delay to measure.
        let received = b
            .events_of(&["cps_early_advice_received"])
            .expect("events checked by add");
        let requests = b
            .events_of(&["cps_early_advice_requested"])
            .expect("events checked by add")
            .select([col("cidx").alias("req_crime"), col("day").alias("req_day")]);
        let paired = received
            .join(
                requests,
                [col("cidx")],
                [col("req_crime")],
                JoinArgs::new(JoinType::Inner),
            )
            .filter(col("req_day").lt_eq(col("day")))
            .group_by([col("row")])
            .agg([
                col("req_day").max(),
                col("day").first(),
                col("month").first(),
                col("ukey").first(),
            ]);
        median(
            paired,
            col("day") - col("req_day"),
            "days_early_advice_median",
            true,
        )
    });
    ctx.add_events("cps_files_submitted", &["cps_file_submitted"], |e| {
        count(e, "cps_files_submitted", true)
    });
    ctx.add_events("cps_charge_decision_rate", &["cps_decision"], |e| {
        proportion(
            e,
            col("detail").eq(lit("charge")).fill_null(lit(false)),
            "cps_charge_decision_rate",
            true,
        )
    });
    let _ = days;
}
