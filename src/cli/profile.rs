//! `soteria profile`: the RASSO problem profile over a window, against the window before.
use super::DataArgs;
use super::OutputArgs;
use crate::error::Result;
use crate::profile::{ProfileOptions, profile};
use crate::util::Month;
use crate::util::chrono_lite::Date;
use clap::{Args, ValueEnum};
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Compare {
    /// Against the window of the same length just before.
    Previous,
    None,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    soteria profile --from 2024-01 --to 2024-12\n  \
    soteria profile --from 2024-01 --to 2024-12 --group rape --format csv --out profile.csv\n  \
    soteria profile --data extract/ --force Cleveland --from 2024-07 --to 2024-12 --compare none\n\n\
    Sections: victims, suspects, context, time, place, attrition. Each dimension has a row\n\
    per category (count, share with its Wilson interval, the previous window's count and\n\
    share, and the two-proportion test) and a row `_all` with the chi-square test of the\n\
    whole distribution. Areas also get a rate per 1,000 residents over the window.")]
pub struct ProfileArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[arg(long, value_name = "YYYY-MM", value_parser = super::parse_month)]
    pub from: Month,
    #[arg(long, value_name = "YYYY-MM", value_parser = super::parse_month)]
    pub to: Month,
    #[arg(long)]
    pub force: Option<String>,
    /// all, rape or other_sexual.
    #[arg(long, value_enum, default_value = "all")]
    pub group: crate::schema::OffenceGroup,
    #[arg(long, value_enum, default_value = "previous")]
    pub compare: Compare,
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::flightdeck::parse_date)]
    pub as_at: Option<Date>,
    /// Window for repeat suspects, in days.
    #[arg(long, default_value_t = crate::indicators::DEFAULT_REPEAT_WINDOW_DAYS)]
    pub repeat_window_days: i32,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(args: ProfileArgs) -> Result<()> {
    // Staff and feedback play no part in the profile, and of events it reads only the
    // types and dates the crime model keeps.
    let dataset = args.data.load_columns(
        |t| {
            !matches!(
                t,
                crate::schema::TableName::Staff | crate::schema::TableName::Feedback
            )
        },
        |t| match t {
            crate::schema::TableName::Events => Some(vec!["event_date".to_string()]),
            _ => None,
        },
    )?;
    let table = profile(
        &dataset,
        &ProfileOptions {
            from: args.from,
            to: args.to,
            force: args.force.clone(),
            group: args.group,
            compare: args.compare == Compare::Previous,
            as_at: args.as_at,
            repeat_window_days: args.repeat_window_days,
        },
    )?;
    args.output.write(&table)
}
