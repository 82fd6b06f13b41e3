//! Thousands of random mutations of a small generated extract, CSV and Parquet (bytes
//! flipped, rows cut or repeated, fields added, values of the wrong type or far out of
//! range, files cut short), fed to `validate` and the flight deck: no panic, rows read =
//! loaded + quarantined every time, and every failure a message that names the file.
use crate::common::*;
use std::path::Path;

/// xorshift64*: the same mutations on every run and machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const ODD_VALUES: &[&str] = &[
    "abc",
    "-1",
    "1e308",
    "NaN",
    "99999999999999999999",
    "9999-12-31",
    "0000-00-00",
    "1850-02-30",
    "\"",
    "",
    "30.0",
    "true",
    "\u{feff}x",
];

/// One mutation of a CSV file's text.
fn mutate_csv(bytes: &[u8], rng: &mut Rng) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let row = 1 + rng.below(lines.len().saturating_sub(1));
    match rng.below(7) {
        0 => {
            let mut b = bytes.to_vec();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(b.len());
                b[at] = rng.next() as u8;
            }
            return b;
        }
        1 if lines.len() > 1 => {
            lines.remove(row);
        }
        2 if lines.len() > 1 => lines[row].push_str(",extra"),
        3 if lines.len() > 1 => {
            let mut fields: Vec<String> = lines[row].split(',').map(str::to_string).collect();
            let f = rng.below(fields.len());
            fields[f] = ODD_VALUES[rng.below(ODD_VALUES.len())].to_string();
            lines[row] = fields.join(",");
        }
        4 => {
            let mut b = bytes.to_vec();
            b.truncate(rng.below(b.len()));
            return b;
        }
        5 if lines.len() > 1 => {
            let copy = lines[row].clone();
            lines.insert(row, copy);
        }
        _ => {
            let at = rng.below(text.len());
            let mut t = text.clone();
            if t.is_char_boundary(at) {
                t.insert(at, '"');
            }
            return t.into_bytes();
        }
    }
    (lines.join("\n") + "\n").into_bytes()
}

/// One mutation of a binary (Parquet) file: bytes flipped or the file cut short.
fn mutate_binary(bytes: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = bytes.to_vec();
    if rng.below(4) == 0 {
        b.truncate(rng.below(b.len()));
    } else {
        for _ in 0..1 + rng.below(8) {
            let at = rng.below(b.len());
            b[at] = rng.next() as u8;
        }
    }
    b
}

fn generate(dir: &Path, format: &str) {
    ok(&[
        "generate",
        "--forces",
        "Cleveland",
        "--months",
        "12",
        "--scale",
        "0.05",
        "--seed",
        "3",
        "--format",
        format,
        "--out",
        dir.to_str().unwrap(),
    ]);
}

/// Runs `validate` (and every few cases the flight deck) on a mutated copy of `base`.
fn run_cases(base: &Path, ext: &str, work: &Path, seed: u64, cases: usize) {
    let mut rng = Rng(seed);
    let tables: Vec<String> = std::fs::read_dir(base)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(ext))
        .collect();
    for case in 0..cases {
        let dir = work.join(format!("case{case}"));
        std::fs::create_dir_all(&dir).unwrap();
        for t in &tables {
            std::fs::copy(base.join(t), dir.join(t)).unwrap();
        }
        let victim = &tables[rng.below(tables.len())];
        let original = std::fs::read(base.join(victim)).unwrap();
        let mutated = if ext == ".csv" {
            mutate_csv(&original, &mut rng)
        } else {
            mutate_binary(&original, &mut rng)
        };
        std::fs::write(dir.join(victim), &mutated).unwrap();
        let d = dir.to_str().unwrap();
        let mut runs = vec![vec!["validate", "--data", d, "--format", "json"]];
        if case % 4 == 0 {
            runs.push(vec![
                "flightdeck",
                "--data",
                d,
                "--format",
                "csv",
                "--out",
                "/dev/null",
            ]);
        }
        for args in runs {
            let out = soteria(&args);
            let err = stderr(&out);
            let what = format!("case {case} (seed {seed}, {victim}) {:?}", &args[..1]);
            assert!(!err.contains("panicked"), "{what}: {err}");
            match out.status.code() {
                Some(0) if args[0] == "validate" => {
                    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
                        .unwrap_or_else(|e| panic!("{what}: {e}"));
                    conserved(&report);
                }
                Some(0) => {}
                Some(1) | Some(2) => assert!(
                    err.contains(victim.as_str()) || err.contains(d),
                    "{what}: the message names no file: {err}"
                ),
                other => panic!("{what}: exit {other:?}: {err}"),
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[test]
fn thousands_of_mutations_never_panic_and_conserve_rows() {
    let w = Work::new();
    let (csv, parquet) = (w.path("csv"), w.path("parquet"));
    generate(&csv, "csv");
    generate(&parquet, "parquet");
    // Two workers, one per core.
    std::thread::scope(|s| {
        s.spawn(|| run_cases(&csv, ".csv", &w.path("a"), 0x9E37_79B9_7F4A_7C15, 500));
        s.spawn(|| {
            run_cases(
                &parquet,
                ".parquet",
                &w.path("b"),
                0xD1B5_4A32_D192_ED03,
                400,
            )
        });
        run_cases(&csv, ".csv", &w.path("c"), 0x94D0_49BB_1331_11EB, 100);
    });
}
