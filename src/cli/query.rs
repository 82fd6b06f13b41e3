//! `soteria query`: SQL over the dataset's tables, the `crimes` view and the flight deck.
use super::DataArgs;
use super::OutputArgs;
use crate::error::Result;
use crate::query::QueryEngine;
use crate::util::chrono_lite::Date;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    soteria query \"SELECT offence_group, count(*) AS n FROM crimes WHERE is_open GROUP BY offence_group\"\n  \
    soteria query --format csv \"SELECT * FROM flightdeck WHERE indicator = 'charge_rate_closed' AND offence_group = 'rape'\"\n  \
    soteria query --file question.sql --format parquet --out answer.parquet\n  \
    soteria query --memory-limit 2G --max-rows 50 \"SELECT * FROM events\"\n\n\
    Tables: offences, suspects, outcomes, events, staff, feedback, population (as loaded),\n\
    crimes (one row per offence: offence_group, outcome_type, outcome_date, is_open,\n\
    days_to_outcome, suspects) and flightdeck (computed when a query names it).\n\n\
    Without SQL it starts an interactive shell: statements end with `;`; .tables, .schema,\n\
    .format, .output, .help and .quit; history in ~/.soteria_history.\n\n\
    Only queries run: table functions (read_csv and the like), COPY, CREATE and DROP are\n\
    refused, so a statement reads the dataset and nothing else.")]
pub struct QueryArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The SQL statement.
    #[arg(conflicts_with = "file")]
    pub sql: Option<String>,
    /// Read the SQL from a file.
    #[arg(long, value_name = "QUERY.sql")]
    pub file: Option<PathBuf>,
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::flightdeck::parse_date)]
    pub as_at: Option<Date>,
    /// Stop a query whose memory passes this (e.g. 4G, 512M); default half the machine's.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub memory_limit: Option<u64>,
    /// Rows shown on a terminal (table format); 0 shows every row. Files get every row.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub max_rows: usize,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `4G`, `512M`, `100K` or a number of bytes.
fn parse_size(s: &str) -> std::result::Result<u64, String> {
    let t = s.trim().to_ascii_uppercase();
    let t = t
        .strip_suffix("IB")
        .or_else(|| t.strip_suffix('B'))
        .unwrap_or(&t);
    let (digits, unit) = match t.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
        Some((i, _)) => (&t[..i], &t[i..]),
        None => (t, ""),
    };
    let shift = match unit {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        "T" => 40,
        _ => return Err(format!("`{s}`: a size is a number with K, M, G or T")),
    };
    digits
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && *n > 0.0)
        .map(|n| (n * (1u64 << shift) as f64) as u64)
        .ok_or_else(|| format!("`{s}`: a size is a positive number with K, M, G or T"))
}

/// Half the machine's memory, from /proc/meminfo (8 GiB where that cannot be read).
fn default_memory_limit() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(8 << 30, |kb| kb * 1024 / 2)
}

/// Watches the process's resident memory and stops it, with a message, past `limit`: a
/// cross join can otherwise grow until the machine kills it, or something else.
fn watch_memory(limit: u64) {
    let page = (unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).max(4096) as u64;
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(std::time::Duration::from_millis(50));
            let resident = std::fs::read_to_string("/proc/self/statm")
                .ok()
                .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
                .map_or(0, |pages| pages * page);
            if resident > limit {
                eprintln!(
                    "soteria: error: the query passed its memory limit of {:.1} GiB (--memory-limit): narrow it (a WHERE, fewer columns, no cross join) or raise the limit",
                    limit as f64 / (1u64 << 30) as f64
                );
                std::process::exit(1);
            }
        }
    });
}

pub fn run(args: QueryArgs) -> Result<()> {
    watch_memory(args.memory_limit.unwrap_or_else(default_memory_limit));
    let sql = match (&args.sql, &args.file) {
        (Some(s), _) => s.clone(),
        (None, Some(f)) => {
            std::fs::read_to_string(f).map_err(|e| crate::error::SoteriaError::io(f, e))?
        }
        (None, None) => {
            let dataset = args.data.load()?;
            let mut engine = QueryEngine::new(&dataset, args.as_at)?;
            return crate::query::shell::run(&mut engine, args.output.format());
        }
    };
    // Only the tables the statement needs are loaded and validated.
    let needed = crate::query::tables_needed(&sql);
    let dataset = args.data.load_tables(|t| needed.contains(&t))?;
    let mut engine = QueryEngine::new(&dataset, args.as_at)?;
    let table = engine.run(sql.trim().trim_end_matches(';'))?;
    // SAFETY: isatty only inspects the file descriptor.
    let terminal = unsafe { libc::isatty(libc::STDOUT_FILENO) } == 1;
    let shown = args.max_rows;
    if terminal
        && args.output.out.is_none()
        && args.output.format() == crate::output::OutputFormat::Table
        && shown > 0
        && table.height() > shown
    {
        eprintln!(
            "soteria: showing {shown} of {} rows (--max-rows 0 shows all; --out FILE writes all)",
            table.height()
        );
        return args.output.write(&table.head(Some(shown)));
    }
    args.output.write(&table)
}
