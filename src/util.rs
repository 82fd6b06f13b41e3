//! Small helpers shared across modules: dates as day numbers, nearest-name suggestions.
use chrono_lite::Date;

pub mod chrono_lite {
    //! Civil dates as days since 1970-01-01, the representation polars uses for `Date`.
    //! Algorithms from Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms".
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub struct Date {
        pub year: i32,
        pub month: u32,
        pub day: u32,
    }

    impl Date {
        pub fn new(year: i32, month: u32, day: u32) -> Date {
            Date { year, month, day }
        }

        pub fn from_days(z: i32) -> Date {
            let z = z as i64 + 719_468;
            let era = z.div_euclid(146_097);
            let doe = z - era * 146_097;
            let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
            let y = yoe + era * 400;
            let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
            let mp = (5 * doy + 2) / 153;
            let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
            let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
            Date::new((if m <= 2 { y + 1 } else { y }) as i32, m, d)
        }

        pub fn days(self) -> i32 {
            let y = if self.month <= 2 {
                self.year - 1
            } else {
                self.year
            } as i64;
            let era = y.div_euclid(400);
            let yoe = y - era * 400;
            let m = self.month as i64;
            let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + self.day as i64 - 1;
            let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
            (era * 146_097 + doe - 719_468) as i32
        }

        pub fn days_in_month(year: i32, month: u32) -> u32 {
            match month {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
                _ => 28,
            }
        }

        /// Parses `YYYY-MM-DD`.
        pub fn parse(s: &str) -> Option<Date> {
            let mut it = s.trim().splitn(3, '-');
            let y: i32 = it.next()?.parse().ok()?;
            let m: u32 = it.next()?.parse().ok()?;
            let d: u32 = it.next()?.parse().ok()?;
            ((1..=12).contains(&m) && d >= 1 && d <= Date::days_in_month(y, m))
                .then(|| Date::new(y, m, d))
        }

        /// Day of week, Monday = 0.
        pub fn weekday(self) -> u32 {
            (self.days() as i64 + 3).rem_euclid(7) as u32
        }
    }

    impl std::fmt::Display for Date {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
        }
    }
}

pub fn date_from_days(days: i32) -> Date {
    Date::from_days(days)
}

/// A calendar month, ordered, with arithmetic in whole months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn new(year: i32, month: u32) -> Month {
        Month { year, month }
    }

    /// Parses `YYYY-MM`.
    pub fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.trim().split_once('-')?;
        let (year, month) = (y.parse().ok()?, m.parse().ok()?);
        (y.len() == 4 && (1..=12).contains(&month)).then_some(Month { year, month })
    }

    pub fn of(date: Date) -> Month {
        Month::new(date.year, date.month)
    }

    pub fn index(self) -> i32 {
        self.year * 12 + self.month as i32 - 1
    }

    /// The index of the month of a day number (days since 1970-01-01).
    pub fn index_of_day(day: i32) -> i32 {
        Month::of(Date::from_days(day)).index()
    }

    pub fn from_index(i: i32) -> Month {
        Month::new(i.div_euclid(12), (i.rem_euclid(12) + 1) as u32)
    }

    pub fn plus(self, months: i32) -> Month {
        Month::from_index(self.index() + months)
    }

    pub fn first_day(self) -> Date {
        Date::new(self.year, self.month, 1)
    }

    pub fn last_day(self) -> Date {
        Date::new(
            self.year,
            self.month,
            Date::days_in_month(self.year, self.month),
        )
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The candidate nearest to `name`, if it is near enough to be a plausible typo, or the
/// shortest candidate that begins with it (`charge_rate` for `charge_rate_closed`).
pub fn nearest<'a>(name: &str, candidates: &'a [String]) -> Option<&'a str> {
    let lower = name.to_lowercase();
    if lower.len() >= 3
        && let Some(c) = candidates
            .iter()
            .filter(|c| c.to_lowercase().starts_with(&lower) && c.len() > lower.len())
            .min_by_key(|c| c.len())
    {
        return Some(c.as_str());
    }
    candidates
        .iter()
        .map(|c| (edit_distance(&lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (name.len().max(c.len()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.as_str())
}

/// `e` is one of `values`: polars' `is_in` against a literal list.
pub fn is_one_of(e: polars::prelude::Expr, values: &[&str]) -> polars::prelude::Expr {
    use polars::prelude::*;
    e.is_in(
        lit(Series::new("values".into(), values)).implode(false),
        false,
    )
}

/// Prints a timing line on stderr when `SOTERIA_TRACE` is set: how the benchmarks'
/// figures are broken down by stage. Each line ends with the memory the process holds
/// then and its peak so far (Linux), because on a virtual machine a job's time follows
/// the memory it touches.
/// Calls `each` with the row number and the four columns' values of every row, read
/// straight from their arrays when none has a null: `ChunkedArray::iter` checks each
/// value's validity, and over twenty million events that check was most of the walk.
pub fn for_each_row4<A, B, C, D>(
    a: &polars::prelude::ChunkedArray<A>,
    b: &polars::prelude::ChunkedArray<B>,
    c: &polars::prelude::ChunkedArray<C>,
    d: &polars::prelude::ChunkedArray<D>,
    mut each: impl FnMut(
        usize,
        Option<A::Native>,
        Option<B::Native>,
        Option<C::Native>,
        Option<D::Native>,
    ),
) where
    A: polars::prelude::PolarsNumericType,
    B: polars::prelude::PolarsNumericType,
    C: polars::prelude::PolarsNumericType,
    D: polars::prelude::PolarsNumericType,
{
    if a.null_count() + b.null_count() + c.null_count() + d.null_count() == 0 {
        let a = a.downcast_iter().flat_map(|x| x.values().iter().copied());
        let b = b.downcast_iter().flat_map(|x| x.values().iter().copied());
        let c = c.downcast_iter().flat_map(|x| x.values().iter().copied());
        let d = d.downcast_iter().flat_map(|x| x.values().iter().copied());
        for (i, (((a, b), c), d)) in a.zip(b).zip(c).zip(d).enumerate() {
            each(i, Some(a), Some(b), Some(c), Some(d));
        }
    } else {
        let rows = a.iter().zip(b.iter()).zip(c.iter()).zip(d.iter());
        for (i, (((a, b), c), d)) in rows.enumerate() {
            each(i, a, b, c, d);
        }
    }
}

/// [`for_each_row4`] over three columns.
pub fn for_each_row3<A, B, C>(
    a: &polars::prelude::ChunkedArray<A>,
    b: &polars::prelude::ChunkedArray<B>,
    c: &polars::prelude::ChunkedArray<C>,
    mut each: impl FnMut(usize, Option<A::Native>, Option<B::Native>, Option<C::Native>),
) where
    A: polars::prelude::PolarsNumericType,
    B: polars::prelude::PolarsNumericType,
    C: polars::prelude::PolarsNumericType,
{
    for_each_row4(a, b, c, c, |i, a, b, c, _| each(i, a, b, c));
}

/// A unit of work for [`run_jobs`].
pub type Job<'a, T> = Box<dyn FnOnce() -> T + Send + 'a>;

/// Runs `jobs` on up to `workers` threads, each taking the next job of the list when it
/// is free, and gives their results in the jobs' order (so what follows does not depend
/// on which thread finished first). Put the longest jobs first. A panic in a job is
/// raised again here.
pub fn run_jobs<T: Send>(jobs: Vec<Job<'_, T>>, workers: usize) -> Vec<T> {
    let n = jobs.len();
    if workers <= 1 || n <= 1 {
        return jobs.into_iter().map(|job| job()).collect();
    }
    let queue = std::sync::Mutex::new(jobs.into_iter().enumerate());
    let mut done: Vec<(usize, T)> = std::thread::scope(|s| {
        let take = || {
            let mut mine = Vec::new();
            loop {
                let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
                match next {
                    Some((i, job)) => mine.push((i, job())),
                    None => return mine,
                }
            }
        };
        let threads: Vec<_> = (0..workers.min(n)).map(|_| s.spawn(take)).collect();
        threads
            .into_iter()
            .flat_map(|t| t.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, t)| t).collect()
}

/// `a` and `b`, side by side when `workers` is more than one (`b` on a thread of its
/// own), else `a` then `b`. A panic in `b` is raised again here.
pub fn both<A: Send, B: Send>(
    workers: usize,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if workers <= 1 {
        let first = a();
        return (first, b());
    }
    std::thread::scope(|s| {
        let second = s.spawn(b);
        let first = a();
        let second = second
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (first, second)
    })
}

/// Threads for work that runs side by side: `SOTERIA_WORKERS` if set, else the
/// machine's cores, or one where `one_at_a_time` (a job too large for two at once).
pub fn workers(one_at_a_time: bool) -> usize {
    std::env::var("SOTERIA_WORKERS")
        .ok()
        .and_then(|w| w.parse::<usize>().ok())
        .filter(|w| *w > 0)
        .unwrap_or_else(|| match one_at_a_time {
            true => 1,
            false => std::thread::available_parallelism().map_or(1, |n| n.get()),
        })
}

pub fn trace(message: impl FnOnce() -> String) {
    if std::env::var_os("SOTERIA_TRACE").is_some() {
        eprintln!("trace: {}{}", message(), memory_now());
    }
}

/// ` [rss X MB, peak Y MB]` from `/proc/self/status`, or nothing where there is none.
fn memory_now() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(rss), Some(peak)) => format!(" [rss {} MB, peak {} MB]", rss / 1024, peak / 1024),
        _ => String::new(),
    }
}

/// A relative path that does not exist here, found in the source tree instead: the bundled
/// sample and reference files are there when the binary runs outside the repository.
pub fn bundled(path: &std::path::Path) -> std::path::PathBuf {
    if !path.exists() && path.is_relative() {
        let inside = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
        if inside.exists() {
            return inside;
        }
    }
    path.to_path_buf()
}

/// `Charge rate` as `charge rate`, leaving acronyms (`RUI`, `DNA`) as they are.
pub fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if c.clone().next().is_some_and(|n| n.is_lowercase()) => {
            f.to_lowercase().collect::<String>() + c.as_str()
        }
        Some(f) => f.to_string() + c.as_str(),
        None => String::new(),
    }
}

/// The first letter in upper case.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

const ORDINALS: [&str; 13] = [
    "", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth",
];

/// "first" to "twelfth" in words, then "13th", "21st" and so on.
pub fn ordinal(n: usize) -> String {
    match ORDINALS.get(n) {
        Some(w) if n > 0 => w.to_string(),
        _ => {
            let suffix = match (n % 10, n % 100) {
                (1, 11) | (2, 12) | (3, 13) => "th",
                (1, _) => "st",
                (2, _) => "nd",
                (3, _) => "rd",
                _ => "th",
            };
            format!("{n}{suffix}")
        }
    }
}

/// At most 40 characters of a value for a message, on one line: messages end up in logs,
/// and a value may be a run of rows (an unterminated quote swallows the rest of a file).
pub fn excerpt(value: &str) -> String {
    shorten(value, 40)
}

/// A message from a library (a reader's error, which may quote the input) bounded to 300
/// characters on one line, for the same reason.
pub fn bounded(message: &str) -> String {
    shorten(message, 300)
}

fn shorten(text: &str, max: usize) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(max + 1)
        .collect();
    if one_line.chars().count() > max {
        one_line.chars().take(max).collect::<String>() + "\u{2026}"
    } else {
        one_line
    }
}

#[cfg(test)]
mod tests {
    use super::chrono_lite::Date;
    use super::*;

    /// Jobs run on several threads give their results in the jobs' order, whatever
    /// order they finish in.
    #[test]
    fn jobs_give_their_results_in_order() {
        for workers in [1, 2, 5] {
            let jobs: Vec<Job<'_, usize>> = (0..20usize)
                .map(|i| -> Job<'_, usize> {
                    Box::new(move || {
                        // Early jobs take longest, so later ones finish first.
                        std::thread::sleep(std::time::Duration::from_millis((20 - i) as u64));
                        i * i
                    })
                })
                .collect();
            let squares: Vec<usize> = (0..20).map(|i| i * i).collect();
            assert_eq!(run_jobs(jobs, workers), squares, "{workers} workers");
        }
    }

    /// The unchecked path (no nulls, several chunks) and the checked one (a null) read
    /// the same rows.
    #[test]
    fn rows_read_alike_with_and_without_nulls() {
        use polars::prelude::*;
        let mut a = UInt32Chunked::from_slice("a".into(), &[1, 2]);
        a.append(&UInt32Chunked::from_slice("a".into(), &[3]))
            .unwrap();
        let b = Int32Chunked::from_slice("b".into(), &[10, 20, 30]);
        let c = Float64Chunked::from_slice("c".into(), &[0.5, 1.5, 2.5]);
        let mut seen = Vec::new();
        for_each_row3(&a, &b, &c, |i, a, b, c| seen.push((i, a, b, c)));
        assert_eq!(a.chunks().len(), 2);
        assert_eq!(
            seen,
            [
                (0, Some(1), Some(10), Some(0.5)),
                (1, Some(2), Some(20), Some(1.5)),
                (2, Some(3), Some(30), Some(2.5))
            ]
        );
        let with_null = Float64Chunked::from_iter([Some(0.5), None, Some(2.5)]);
        seen.clear();
        for_each_row3(&a, &b, &with_null, |i, a, b, c| seen.push((i, a, b, c)));
        assert_eq!(seen[1], (1, Some(2), Some(20), None));
        assert_eq!(seen[2], (2, Some(3), Some(30), Some(2.5)));
    }

    #[test]
    fn days_round_trip_against_known_dates() {
        // 2000-03-01 is day 11017 after the Unix epoch (Python: date(2000,3,1)-date(1970,1,1)).
        assert_eq!(Date::new(2000, 3, 1).days(), 11_017);
        assert_eq!(Date::new(1970, 1, 1).days(), 0);
        assert_eq!(Date::from_days(-1), Date::new(1969, 12, 31));
        for d in (-800_000..800_000).step_by(997) {
            assert_eq!(Date::from_days(d).days(), d);
        }
        // 2024-09-30 was a Monday.
        assert_eq!(Date::new(2024, 9, 30).weekday(), 0);
    }

    #[test]
    fn months_and_suggestions() {
        assert_eq!(
            Month::parse("2024-02").unwrap().last_day(),
            Date::new(2024, 2, 29)
        );
        assert_eq!(Month::new(2024, 12).plus(1), Month::new(2025, 1));
        assert!(Month::parse("2024-13").is_none());
        let names = vec!["victim_age".to_string(), "victim_sex".to_string()];
        assert_eq!(nearest("victim_agee", &names), Some("victim_age"));
        assert_eq!(nearest("zzz", &names), None);
    }

    #[test]
    fn excerpts_are_short_and_on_one_line() {
        assert_eq!(excerpt("30.5"), "30.5");
        let long = "V0001,2024-01-01\nV0002,2024-01-02\n".repeat(100);
        let e = excerpt(&long);
        assert_eq!(e.chars().count(), 41);
        assert!(!e.contains('\n') && e.ends_with('\u{2026}'));
    }

    #[test]
    fn ordinals() {
        assert_eq!(ordinal(7), "seventh");
        assert_eq!(ordinal(13), "13th");
        assert_eq!(ordinal(21), "21st");
        assert_eq!(ordinal(112), "112th");
    }
}
