//! One way to write an output: every command picks an [`OutputFormat`] and writes through
//! [`write_frame`] or [`write_atomic`], so files are never left half-written.
use crate::error::{Result, SoteriaError};
use polars::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Every output format of every command; each command accepts the subset it can write
/// ([`OutputFormat::only`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// Aligned text for the terminal.
    Table,
    Csv,
    Json,
    /// A GitHub Markdown table (or document, for the schema and the catalogue).
    Markdown,
    Parquet,
    Arrow,
}

impl OutputFormat {
    pub const ALL: [OutputFormat; 6] = [
        OutputFormat::Table,
        OutputFormat::Csv,
        OutputFormat::Json,
        OutputFormat::Markdown,
        OutputFormat::Parquet,
        OutputFormat::Arrow,
    ];
    /// What a command that writes a data frame accepts.
    pub const FRAME: &'static [OutputFormat] = &Self::ALL;
    /// What a command that prints a report for people or programs accepts.
    pub const TEXT_OR_JSON: &'static [OutputFormat] = &[OutputFormat::Table, OutputFormat::Json];
    /// What a document rendered from the code (the standard) accepts.
    pub const DOCUMENT: &'static [OutputFormat] = &[OutputFormat::Table, OutputFormat::Markdown];
    /// The catalogue: a document, or one CSV row per indicator.
    pub const CATALOGUE: &'static [OutputFormat] = &[
        OutputFormat::Table,
        OutputFormat::Markdown,
        OutputFormat::Csv,
    ];

    pub fn id(self) -> &'static str {
        match self {
            OutputFormat::Table => "table",
            OutputFormat::Csv => "csv",
            OutputFormat::Json => "json",
            OutputFormat::Markdown => "markdown",
            OutputFormat::Parquet => "parquet",
            OutputFormat::Arrow => "arrow",
        }
    }

    /// The format a file's extension names (`fd.csv`, `fd.parquet`), if any.
    pub fn of_path(path: &Path) -> Option<OutputFormat> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match extension.as_str() {
            "csv" => OutputFormat::Csv,
            "json" => OutputFormat::Json,
            "md" | "markdown" => OutputFormat::Markdown,
            "parquet" | "pq" => OutputFormat::Parquet,
            "arrow" | "ipc" | "feather" => OutputFormat::Arrow,
            "txt" => OutputFormat::Table,
            _ => return None,
        })
    }

    /// A `--format` parser that accepts only `formats` (clap lists them in `--help` and
    /// names them when refusing another).
    pub fn only(
        formats: &'static [OutputFormat],
    ) -> impl clap::builder::TypedValueParser<Value = OutputFormat> {
        use clap::builder::TypedValueParser;
        clap::builder::PossibleValuesParser::new(formats.iter().map(|f| f.id())).map(|id| {
            Self::ALL
                .into_iter()
                .find(|f| f.id() == id)
                .expect("clap accepted one of the listed formats")
        })
    }
}

/// Writes `bytes` to `path` by way of a temporary file in the same folder and a rename,
/// so that a reader never sees a partial file and a failed run leaves the old one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, |f| f.write_all(bytes))
}

/// Like [`write_atomic`], with a writer callback for streamed output. What is at the
/// path is never replaced by something else: a symbolic link is followed and its target
/// written (atomically), a device or pipe (`/dev/null`, `/dev/stdout`) is written
/// through, and a folder is refused.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<()> {
    let path = &resolve_links(path)?;
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.is_dir() {
            return Err(SoteriaError::Usage(format!(
                "{} is a folder, not a file",
                path.display()
            )));
        }
        if !meta.is_file() {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| SoteriaError::io(path, e))?;
            return write(&mut f)
                .and_then(|_| f.flush())
                .map_err(|e| SoteriaError::io(path, e));
        }
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| SoteriaError::io(&dir, e))?;
    let file_name = path
        .file_name()
        .ok_or_else(|| SoteriaError::Usage(format!("{} is not a file path", path.display())))?;
    let prefix = format!(".{}.tmp-", file_name.to_string_lossy());
    remove_stale_temporaries(&dir, &prefix);
    let tmp = dir.join(format!("{prefix}{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        write(&mut f)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(SoteriaError::io(path, e));
    }
    Ok(())
}

/// The path a chain of symbolic links ends at (the path itself when it is none).
pub fn resolve_links(path: &Path) -> Result<PathBuf> {
    let mut at = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&at).map_err(|e| SoteriaError::io(&at, e))?;
                at = match at.parent() {
                    Some(parent) if target.is_relative() => parent.join(target),
                    _ => target,
                };
            }
            _ => return Ok(at),
        }
    }
    Err(SoteriaError::Usage(format!(
        "{}: too many levels of symbolic links",
        path.display()
    )))
}

/// Removes `<prefix><pid>` files and folders in `dir` left by runs that were killed:
/// only names of exactly that shape, and only when no process has that id.
pub fn remove_stale_temporaries(dir: &Path, prefix: &str) {
    // Without /proc there is no telling a dead run's leftovers from a live run's.
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix(prefix) else {
            continue;
        };
        let alive = Path::new("/proc").join(pid).exists();
        if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) || alive {
            continue;
        }
        let path = entry.path();
        // A link of that name is not a leftover of ours: left alone.
        let _ = match entry.file_type() {
            Ok(t) if t.is_dir() => std::fs::remove_dir_all(&path),
            Ok(t) if t.is_file() => std::fs::remove_file(&path),
            _ => Ok(()),
        };
    }
}

/// Writes a folder whole: `fill` writes into a fresh temporary folder beside `out`,
/// which then takes `out`'s place in one step (an atomic exchange where the platform has
/// one), so a reader sees the old folder or the new one, never half of either. What is at
/// `out` is replaced only when it is an empty folder or `owned` says Soteria wrote it; a
/// user's folder (the dataset, the working folder), a file or a symbolic link is refused.
pub fn write_folder_atomic<T>(
    out: &Path,
    owned: impl Fn(&Path) -> bool,
    fill: impl FnOnce(&Path) -> Result<T>,
) -> Result<T> {
    let refuse = |why: &str| {
        Err(SoteriaError::Usage(format!(
            "{} {why}; Soteria replaces only a folder it wrote: choose a new or empty --out",
            out.display()
        )))
    };
    let exists = match std::fs::symlink_metadata(out) {
        Ok(m) if m.file_type().is_symlink() => return refuse("is a symbolic link"),
        Ok(m) if !m.is_dir() => return refuse("is a file"),
        Ok(_) => {
            let empty = std::fs::read_dir(out)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
            if !empty && !owned(out) {
                return refuse("holds files that Soteria did not write");
            }
            true
        }
        Err(_) => false,
    };
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .ok_or_else(|| SoteriaError::Usage(format!("{} is not a folder path", out.display())))?
        .to_string_lossy()
        .into_owned();
    std::fs::create_dir_all(&parent).map_err(|e| SoteriaError::io(&parent, e))?;
    let (tmp_prefix, old_prefix) = (format!(".{name}.tmp-"), format!(".{name}.old-"));
    remove_stale_temporaries(&parent, &tmp_prefix);
    remove_stale_temporaries(&parent, &old_prefix);
    let tmp = parent.join(format!("{tmp_prefix}{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir(&tmp).map_err(|e| SoteriaError::io(&tmp, e))?;
    let filled = fill(&tmp);
    let result = filled.and_then(|value| {
        if !exists {
            std::fs::rename(&tmp, out).map_err(|e| SoteriaError::io(out, e))?;
        } else if exchange(&tmp, out).is_ok() {
            // `tmp` now holds the old folder.
            let _ = std::fs::remove_dir_all(&tmp);
        } else {
            let old = parent.join(format!("{old_prefix}{}", std::process::id()));
            std::fs::rename(out, &old).map_err(|e| SoteriaError::io(out, e))?;
            std::fs::rename(&tmp, out).map_err(|e| SoteriaError::io(out, e))?;
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(value)
    });
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

/// Swaps two paths in one step (Linux `renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        std::ffi::CString::new(p.as_os_str().as_bytes())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// Renders a frame in a text format (table, csv, json) to a string.
pub fn frame_to_text(df: &DataFrame, format: OutputFormat) -> Result<String> {
    match format {
        OutputFormat::Table => Ok(format_table(df)),
        OutputFormat::Csv => {
            let mut buf = Vec::new();
            CsvWriter::new(&mut buf)
                .include_header(true)
                .finish(&mut df.clone())?;
            Ok(String::from_utf8_lossy(&buf).into_owned())
        }
        OutputFormat::Json => Ok(frame_to_json(df).to_string() + "\n"),
        OutputFormat::Markdown => {
            let header: Vec<&str> = df.columns().iter().map(|c| c.name().as_str()).collect();
            let rows = (0..df.height()).map(|i| {
                df.columns()
                    .iter()
                    .map(|c| cell_text(&c.get(i).unwrap_or(AnyValue::Null)))
                    .collect::<Vec<_>>()
            });
            Ok(crate::format::markdown_table(&header, rows))
        }
        OutputFormat::Parquet | OutputFormat::Arrow => Err(SoteriaError::Usage(
            "parquet and arrow output need --out FILE".into(),
        )),
    }
}

/// Writes a frame in any format to a file (atomically) or, for text formats, to stdout.
pub fn write_frame(df: &DataFrame, format: OutputFormat, out: Option<&Path>) -> Result<()> {
    match (format, out) {
        (OutputFormat::Parquet, Some(path)) => write_atomic_with(path, |f| {
            ParquetWriter::new(f)
                .finish(&mut df.clone())
                .map(|_| ())
                .map_err(std::io::Error::other)
        }),
        (OutputFormat::Arrow, Some(path)) => write_atomic_with(path, |f| {
            IpcWriter::new(f)
                .finish(&mut df.clone())
                .map_err(std::io::Error::other)
        }),
        (_, Some(path)) => write_atomic(path, frame_to_text(df, format)?.as_bytes()),
        (_, None) => print_stdout(&frame_to_text(df, format)?),
    }
}

/// Writes text to stdout: a closed pipe (`| head`) is success, any other failure (a full
/// disk behind a redirection) is an error, never a panic.
pub fn print_stdout(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|e| SoteriaError::io("<stdout>", e)),
    }
}

/// An aligned plain-text table that shows every row (polars' own display truncates).
pub fn format_table(df: &DataFrame) -> String {
    let columns = df.columns();
    let mut cells: Vec<Vec<String>> = vec![columns.iter().map(|c| c.name().to_string()).collect()];
    for i in 0..df.height() {
        cells.push(
            columns
                .iter()
                .map(|c| cell_text(&c.get(i).unwrap_or(AnyValue::Null)))
                .collect(),
        );
    }
    let widths: Vec<usize> = (0..columns.len())
        .map(|j| {
            cells
                .iter()
                .map(|r| r[j].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (i, row) in cells.iter().enumerate() {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
        if i == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            out.push_str(&rule.join("  "));
            out.push('\n');
        }
    }
    out
}

fn cell_text(v: &AnyValue) -> String {
    match v {
        AnyValue::Null => String::new(),
        AnyValue::String(s) => s.to_string(),
        AnyValue::StringOwned(s) => s.to_string(),
        AnyValue::Float64(f) => format_float(*f),
        AnyValue::Float32(f) => format_float(*f as f64),
        other => other.to_string(),
    }
}

/// Floats at up to six decimals without trailing zeros: readable and stable.
pub fn format_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    let s = format!("{f:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// Rows as an array of JSON objects, columns in frame order.
pub fn frame_to_json(df: &DataFrame) -> serde_json::Value {
    let columns = df.columns();
    let rows = (0..df.height())
        .map(|i| {
            let mut obj = serde_json::Map::new();
            for c in columns {
                obj.insert(
                    c.name().to_string(),
                    any_to_json(&c.get(i).unwrap_or(AnyValue::Null)),
                );
            }
            serde_json::Value::Object(obj)
        })
        .collect();
    serde_json::Value::Array(rows)
}

pub fn any_to_json(v: &AnyValue) -> serde_json::Value {
    use serde_json::Value;
    match v {
        AnyValue::Null => Value::Null,
        AnyValue::Boolean(b) => Value::Bool(*b),
        AnyValue::String(s) => Value::String(s.to_string()),
        AnyValue::StringOwned(s) => Value::String(s.to_string()),
        AnyValue::Int8(x) => (*x).into(),
        AnyValue::Int16(x) => (*x).into(),
        AnyValue::Int32(x) => (*x).into(),
        AnyValue::Int64(x) => (*x).into(),
        AnyValue::UInt8(x) => (*x).into(),
        AnyValue::UInt16(x) => (*x).into(),
        AnyValue::UInt32(x) => (*x).into(),
        AnyValue::UInt64(x) => (*x).into(),
        AnyValue::Float32(x) => serde_json::Number::from_f64(*x as f64)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        AnyValue::Float64(x) => serde_json::Number::from_f64(*x)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        other => Value::String(other.to_string()),
    }
}

/// The manifest of a partitioned output: the folder is Soteria's to replace only when
/// every file in it is one this lists.
const PARTITIONS_MANIFEST: &str = "_soteria.json";

/// Writes `df` as a folder of hive-style partitions, `column=value/part-0.parquet`, one
/// per value in sorted order (a missing value as `__HIVE_DEFAULT_PARTITION__`), the
/// column itself left out of the files as hive readers expect, rows in frame order. The
/// folder is written whole and atomically (`_soteria.json` lists its files).
pub fn write_partitioned(df: &DataFrame, column: &str, out: &Path) -> Result<()> {
    let key = df
        .column(column)
        .map_err(|_| {
            SoteriaError::Usage(format!(
                "--partition-by {column}: the output has no such column (it has {})",
                df.get_column_names()
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?
        .cast(&DataType::String)?;
    let key = key.str()?;
    let mut values: Vec<Option<&str>> = key.iter().collect();
    values.sort();
    values.dedup();
    let rest = df.drop(column)?;
    write_folder_atomic(out, is_partitions_folder, |dir| {
        let mut files = Vec::new();
        for value in values {
            let mask: BooleanChunked = key.iter().map(|k| k == value).collect();
            let mut part = rest.filter(&mask)?;
            let folder = format!(
                "{column}={}",
                value.map_or("__HIVE_DEFAULT_PARTITION__".to_string(), hive_escape)
            );
            std::fs::create_dir_all(dir.join(&folder)).map_err(|e| SoteriaError::io(dir, e))?;
            let rel = format!("{folder}/part-0.parquet");
            let path = dir.join(&rel);
            let file = std::fs::File::create(&path).map_err(|e| SoteriaError::io(&path, e))?;
            ParquetWriter::new(file).finish(&mut part)?;
            files.push(rel);
        }
        let manifest =
            serde_json::json!({ "engine": "soteria", "partition_by": column, "files": files });
        std::fs::write(
            dir.join(PARTITIONS_MANIFEST),
            serde_json::to_string_pretty(&manifest).expect("JSON") + "\n",
        )
        .map_err(|e| SoteriaError::io(dir, e))?;
        Ok(())
    })
}

/// A folder of partitions this writer made: a manifest, and no file it does not list.
fn is_partitions_folder(dir: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(dir.join(PARTITIONS_MANIFEST)) else {
        return false;
    };
    let Ok(manifest) = serde_json::from_str::<serde_json::Value>(&text) else {
        return false;
    };
    let listed: Vec<&str> = manifest["files"]
        .as_array()
        .map(|a| a.iter().filter_map(|f| f.as_str()).collect())
        .unwrap_or_default();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().all(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        if name == PARTITIONS_MANIFEST {
            return true;
        }
        let Ok(inner) = std::fs::read_dir(e.path()) else {
            return false;
        };
        inner.flatten().all(|f| {
            let rel = format!("{name}/{}", f.file_name().to_string_lossy());
            listed.contains(&rel.as_str())
        })
    })
}

/// A partition value as a folder name: `/`, `=`, `%`, control characters and the other
/// characters Hive escapes become `%XX`.
fn hive_escape(value: &str) -> String {
    let mut out = String::new();
    for c in value.chars() {
        if c.is_control() || "\"#%'*/:=?\\{[]^".contains(c) {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}
