//! National-scale benchmarks (issue 2): generating ten years for all 43 forces, and
//! loading and validating that dataset from Parquet. Peak heap comes from divan's
//! allocation profiler ("max alloc"). Run with `cargo bench --profile dev` (see README).
use soteria::ingest::Dataset;
use soteria::synth::{DataFormat, SynthConfig, generate, parse_forces};
use soteria::util::Month;
use std::path::PathBuf;
use std::sync::OnceLock;

#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    divan::main();
}

fn national_config() -> SynthConfig {
    SynthConfig {
        forces: parse_forces("all").unwrap(),
        start: Month::new(2015, 1),
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
