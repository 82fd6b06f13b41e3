//! Pillar 5: data and analysis.
use super::Ctx;
use super::partial::CrimeRows;
use super::partial::{count, proportion};
use polars::prelude::*;

pub fn compute(ctx: &mut Ctx) {
    ctx.add("closed", || count(CrimeRows::closed(), "closed", true));
    ctx.add("key_fields_complete_share", || {
        proportion(
            CrimeRows::recorded(),
            col("key_complete"),
            "key_fields_complete_share",
            true,
        )
    });
    ctx.add_events("scrutiny_reviews", &["scrutiny_panel_review"], |e| {
        count(e, "scrutiny_reviews", true)
    });
}
