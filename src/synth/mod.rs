//! The synthetic generator: all seven tables of the standard for any set of forces,
//! months and scale, deterministic for a seed. Forces are simulated independently (in
//! parallel) and streamed to the output files in a fixed order, so memory stays bounded
//! by a few forces at a time and the bytes do not depend on thread timing.
mod random;
pub mod reference;
mod story;
mod tables;

use crate::error::{Result, SoteriaError};
use crate::schema::TableName;
use crate::util::Month;
use polars::prelude::*;
use rayon::prelude::*;
use std::fs::File;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DataFormat {
    Parquet,
    Csv,
    Arrow,
}

impl DataFormat {
    pub fn extension(self) -> &'static str {
        match self {
            DataFormat::Parquet => "parquet",
            DataFormat::Csv => "csv",
            DataFormat::Arrow => "arrow",
        }
    }
}

#[derive(Debug, Clone)]
pub struct SynthConfig {
    pub forces: Vec<&'static str>,
    pub start: Month,
    pub months: u32,
    pub scale: f64,
    pub seed: u64,
    pub format: DataFormat,
}

/// Parses `--forces`: `all`, a number (the first N forces in alphabetical order), or a
/// comma-separated list of names.
pub fn parse_forces(spec: &str) -> Result<Vec<&'static str>> {
    let spec = spec.trim();
    let all: Vec<&'static str> = reference::FORCES.iter().map(|(f, _)| *f).collect();
    if spec.eq_ignore_ascii_case("all") {
        return Ok(all);
    }
    if let Ok(n) = spec.parse::<usize>() {
        if n == 0 || n > all.len() {
            return Err(SoteriaError::Usage(format!(
                "--forces {n}: choose 1 to {}",
                all.len()
            )));
        }
        return Ok(all[..n].to_vec());
    }
    spec.split(',')
        .map(|name| {
            reference::canonical_force_name(name).ok_or_else(|| {
                let names: Vec<String> = all.iter().map(|s| s.to_string()).collect();
                let hint = crate::util::nearest(name.trim(), &names)
                    .map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_default();
                SoteriaError::Usage(format!("unknown force `{}`{hint}", name.trim()))
            })
        })
        .collect()
}

/// Counts of rows written, per table in the order of [`TableName::ALL`].
#[derive(Debug, Clone, Default)]
pub struct GenerateSummary {
    pub rows: Vec<(TableName, usize)>,
    pub files: Vec<PathBuf>,
}

enum Sink {
    Parquet(Box<polars::io::parquet::write::BatchedWriter<File>>),
    Csv(polars::io::csv::write::BatchedWriter<File>),
    Arrow(Vec<DataFrame>),
}

/// Generates the dataset into `out`. `progress` is called after each force.
pub fn generate(
    config: &SynthConfig,
    out: &Path,
    progress: &dyn Fn(usize, usize),
) -> Result<GenerateSummary> {
    if config.months == 0 {
        return Err(SoteriaError::Usage("--months must be at least 1".into()));
    }
    if !(config.scale > 0.0 && config.scale.is_finite()) {
        return Err(SoteriaError::Usage(
            "--scale must be a positive number".into(),
        ));
    }
    std::fs::create_dir_all(out).map_err(|e| SoteriaError::io(out, e))?;
    let plans: Vec<story::ForcePlan> = config
        .forces
        .iter()
        .map(|name| {
            let (i, (_, abbr)) = reference::FORCES
                .iter()
                .enumerate()
                .find(|(_, (f, _))| f == name)
                .expect("forces are validated by parse_forces");
            story::ForcePlan {
                name,
                abbr,
                start: config.start,
                months: config.months,
                scale: config.scale,
                // Each force has its own stream, so a force's data does not depend on
                // which other forces are generated with it.
                seed: config
                    .seed
                    .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                    .wrapping_add(i as u64 + 1),
            }
        })
        .collect();

    // A table file in another format would leave two files for one table: refused.
    for t in TableName::ALL {
        for ext in ["parquet", "arrow", "ipc", "csv"] {
            let other = out.join(format!("{}.{ext}", t.as_str()));
            if ext != config.format.extension() && std::fs::symlink_metadata(&other).is_ok() {
                return Err(SoteriaError::Usage(format!(
                    "--out {}: it holds {}, and a {} file for table `{t}` beside it would make the dataset ambiguous; choose another folder",
                    out.display(),
                    other.display(),
                    config.format.extension()
                )));
            }
        }
    }
    // A link at a table's path is written through to its target, never replaced.
    let tmp_paths: Vec<(PathBuf, PathBuf)> = TableName::ALL
        .iter()
        .map(|t| {
            let final_path = crate::output::resolve_links(&out.join(format!(
                "{}.{}",
                t.as_str(),
                config.format.extension()
            )))?;
            let dir = final_path.parent().unwrap_or(out).to_path_buf();
            let tmp = dir.join(format!(
                ".{}.{}.tmp-{}",
                t.as_str(),
                config.format.extension(),
                std::process::id()
            ));
            Ok((final_path, tmp))
        })
        .collect::<Result<_>>()?;
    let mut sinks: Vec<Option<Sink>> = (0..TableName::ALL.len()).map(|_| None).collect();
    let mut rows = vec![0usize; TableName::ALL.len()];
    let batch = rayon::current_num_threads().max(2);
    let mut done = 0;
    let result: Result<()> = (|| {
        for chunk in plans.chunks(batch) {
            let frames: Vec<PolarsResult<[DataFrame; 7]>> = chunk
                .par_iter()
                .map(|plan| story::simulate(plan).into_frames())
                .collect();
            for force_frames in frames {
                for (i, mut df) in force_frames?.into_iter().enumerate() {
                    rows[i] += df.height();
                    df.rechunk_mut();
                    let sink = match &mut sinks[i] {
                        Some(s) => s,
                        slot => {
                            let path = &tmp_paths[i].1;
                            let file = File::create(path).map_err(|e| SoteriaError::io(path, e))?;
                            *slot = Some(match config.format {
                                DataFormat::Parquet => Sink::Parquet(Box::new(
                                    ParquetWriter::new(file).batched(df.schema())?,
                                )),
                                DataFormat::Csv => Sink::Csv(
                                    CsvWriter::new(file)
                                        .include_header(true)
                                        .batched(df.schema())?,
                                ),
                                DataFormat::Arrow => Sink::Arrow(Vec::new()),
                            });
                            slot.as_mut().expect("just set")
                        }
                    };
                    match sink {
                        Sink::Parquet(w) => w.write_batch(&df)?,
                        Sink::Csv(w) => w.write_batch(&df)?,
                        Sink::Arrow(frames) => frames.push(df),
                    }
                }
                done += 1;
                progress(done, plans.len());
            }
        }
        for (i, sink) in sinks.iter_mut().enumerate() {
            match sink.take() {
                Some(Sink::Parquet(w)) => {
                    w.finish()?;
                }
                Some(Sink::Csv(mut w)) => w.finish()?,
                Some(Sink::Arrow(frames)) => {
                    let mut df = concat_frames(frames)?;
                    let path = &tmp_paths[i].1;
                    let file = File::create(path).map_err(|e| SoteriaError::io(path, e))?;
                    IpcWriter::new(file).finish(&mut df)?;
                }
                None => {}
            }
        }
        Ok(())
    })();
    if let Err(e) = result {
        for (_, tmp) in &tmp_paths {
            let _ = std::fs::remove_file(tmp);
        }
        return Err(e);
    }
    let mut files = Vec::new();
    for (final_path, tmp) in &tmp_paths {
        if tmp.exists() {
            std::fs::rename(tmp, final_path).map_err(|e| SoteriaError::io(final_path, e))?;
            files.push(final_path.clone());
        }
    }
    Ok(GenerateSummary {
        rows: TableName::ALL.iter().copied().zip(rows).collect(),
        files,
    })
}

fn concat_frames(frames: Vec<DataFrame>) -> PolarsResult<DataFrame> {
    let mut it = frames.into_iter();
    let mut acc = it.next().unwrap_or_default();
    for df in it {
        acc.vstack_mut(&df)?;
    }
    acc.rechunk_mut();
    Ok(acc)
}
