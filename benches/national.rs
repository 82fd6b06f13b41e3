//! National-scale benchmarks: generating ten years for all 43 forces; loading and
//! validating that dataset from Parquet; the whole flight deck over it (all forces, all
//! months, three offence groups, every indicator); and one force's flight deck from the
//! bundled sample; the ten indicators of the DuckDB peer script, loading included; a
//! year of national profile; the repeat-suspect register; a query over the events; and
//! one force's monthly report with every chart. Heap use comes from divan's allocation
//! profiler. Run with
//! `cargo bench --profile dev --bench national` (see README).
use soteria::indicators::{FlightDeckOptions, flight_deck};
use soteria::ingest::Dataset;
use soteria::synth::{DataFormat, SynthConfig, generate, parse_forces};
use soteria::util::Month;
use std::path::PathBuf;
use std::sync::OnceLock;

// The binary's allocator under divan's profiler, so that the figures are the binary's.
#[global_allocator]
static ALLOC: divan::AllocProfiler<mimalloc::MiMalloc> =
    divan::AllocProfiler::new(mimalloc::MiMalloc);

fn main() {
    divan::main();
}

fn national_config() -> SynthConfig {
    SynthConfig {
        forces: parse_forces("all").unwrap(),
        start: Month::new(2014, 4),
        months: 120,
        scale: 1.0,
        seed: 1,
        format: DataFormat::Parquet,
    }
}

fn national_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join("soteria-bench-national");
        if !dir.join("events.parquet").exists() {
            generate(&national_config(), &dir, &|_, _| {}).unwrap();
        }
        dir
    })
}

#[divan::bench(sample_count = 1, sample_size = 1)]
fn generate_national_ten_years() {
    let dir = std::env::temp_dir().join("soteria-bench-generate");
    generate(&national_config(), &dir, &|_, _| {}).unwrap();
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn load_and_validate_national(bencher: divan::Bencher) {
    let dir = national_dir();
    bencher.bench(|| Dataset::load(dir, None).unwrap());
}

#[divan::bench(sample_count = 1, sample_size = 1)]
fn flightdeck_national_all_indicators(bencher: divan::Bencher) {
    let needs = soteria::indicators::Needs::of(None);
    let dataset = needs.load(national_dir(), None).unwrap();
    bencher.bench(|| flight_deck(&dataset, &FlightDeckOptions::default()).unwrap());
}

/// The ten indicators of `../shared/peers/duckdb_flightdeck.py` for every force, month
/// and group, loading (only the four tables and the columns of events they read, as
/// `soteria flightdeck --indicators` does) included, as the DuckDB script's
/// time includes reading its files. The validated copies are kept in a folder of the
/// bench's own, filled by the first sample.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn ten_indicators_national_like_the_duckdb_script(bencher: divan::Bencher) {
    const TEN: [&str; 10] = [
        "recorded",
        "charges",
        "charge_rate_closed",
        "charge_rate_cohort",
        "days_recorded_to_charge_median",
        "outcome16_share",
        "open_investigations",
        "open_over_365d_share",
        "suspect_identified_rate",
        "isva_referral_rate",
    ];
    let ids: Vec<String> = TEN.iter().map(|s| s.to_string()).collect();
    let needs = soteria::indicators::Needs::of(Some(&ids));
    // SAFETY: set before any thread of this bench reads the environment.
    unsafe {
        std::env::set_var(
            "SOTERIA_CACHE",
            std::env::temp_dir().join("soteria-bench-cache"),
        )
    };
    let dir = national_dir();
    bencher.bench(|| {
        let dataset = needs.load(dir, None).unwrap();
        let options = FlightDeckOptions {
            indicators: Some(ids.clone()),
            ..FlightDeckOptions::default()
        };
        flight_deck(&dataset, &options).unwrap()
    });
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn flightdeck_one_force_sample(bencher: divan::Bencher) {
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/sample");
    bencher.bench(|| {
        let dataset = Dataset::load(&sample, None).unwrap();
        flight_deck(&dataset, &FlightDeckOptions::default()).unwrap()
    });
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn profile_national_one_year(bencher: divan::Bencher) {
    let dataset = Dataset::load(national_dir(), None).unwrap();
    let options = soteria::profile::ProfileOptions {
        from: Month::new(2024, 1),
        to: Month::new(2024, 12),
        force: None,
        group: soteria::schema::OffenceGroup::All,
        compare: true,
        as_at: None,
        repeat_window_days: soteria::indicators::DEFAULT_REPEAT_WINDOW_DAYS,
    };
    bencher.bench(|| soteria::profile::profile(&dataset, &options).unwrap());
}

/// The repeat-suspect register over every force, loading (its four tables, only the
/// columns it reads, as `soteria suspects --repeat` does) included.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn register_national(bencher: divan::Bencher) {
    use soteria::profile::register::{RegisterOptions, TABLES, columns, register};
    let dir = national_dir();
    let options = RegisterOptions {
        as_at: None,
        window_days: soteria::indicators::DEFAULT_REPEAT_WINDOW_DAYS,
        min_crimes: 2,
        group: soteria::schema::OffenceGroup::All,
        force: None,
    };
    bencher.bench(|| {
        let dataset = Dataset::load_columns(dir, None, |t| TABLES.contains(&t), columns).unwrap();
        register(&dataset, &options).unwrap()
    });
}

/// A query over the twenty million events, loading the one table it reads included.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn query_over_events_national(bencher: divan::Bencher) {
    let sql = "SELECT event_type, count(*) FROM events GROUP BY 1";
    let tables = soteria::query::tables_needed(sql);
    let dir = national_dir();
    bencher.bench(|| {
        let dataset = Dataset::load_tables(dir, None, |t| tables.contains(&t)).unwrap();
        let mut engine = soteria::query::QueryEngine::new(&dataset, None).unwrap();
        engine.run(sql).unwrap()
    });
}

/// The monthly report of one force with every chart, loading and writing included: the
/// issue's target is under 5 seconds.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn report_one_force_sample(bencher: divan::Bencher) {
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/sample");
    let out = std::env::temp_dir().join("soteria-bench-report");
    bencher.bench(|| {
        let dataset = Dataset::load(&sample, None).unwrap();
        let options = soteria::report::ReportOptions {
            month: Month::new(2024, 12),
            force: None,
            publish: false,
            suppress_below: 5,
            targets: Default::default(),
            targets_file: None,
            annotations: Vec::new(),
            annotations_file: None,
            actions: None,
            as_at: None,
            coverage_from: None,
            dpi: 150.0,
        };
        let report = soteria::report::build(&dataset, &options).unwrap();
        soteria::report::write(&report, &out).unwrap()
    });
}
