//! Pillar 5: data and analysis.
use super::Ctx;
use super::partial::{count, proportion};
use super::pillar1::{closed, recorded};
use polars::prelude::*;

pub fn compute(ctx: &mut Ctx) {
    let b = ctx.base;
    ctx.add("closed", || count(closed(b), "closed", true));
    ctx.add("key_fields_complete_share", || {
        proportion(
            recorded(b),
            col("key_complete"),
            "key_fields_complete_share",
            true,
        )
    });
    ctx.add_events("scrutiny_reviews", &["scrutiny_panel_review"], |e| {
        count(e, "scrutiny_reviews", true)
    });
}
