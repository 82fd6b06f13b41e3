//! A table held as a folder of Parquet files, as Spark, DuckDB, Trino and polars write
//! them: `<table>/part-0.parquet, part-1.parquet, ...`, possibly in hive-style
//! `key=value/` subfolders whose keys become text columns. The files are read in the
//! order of their paths (so ties resolve as they would in one file, the earlier file
//! first) and stacked; a file with other columns or types than the first is an error
//! that names both.
use super::read::{RawTable, ReadRepairs, sha256_hex};
use crate::error::{Result, SoteriaError};
use polars::prelude::*;
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// The Parquet files under `dir`, by relative path; names starting with `.` or `_`
/// (`_SUCCESS`, `.crc` files, a writer's manifest) are not data and are skipped.
pub fn parquet_files(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) -> Result<()> {
        for entry in std::fs::read_dir(dir).map_err(|e| SoteriaError::io(dir, e))? {
            let entry = entry.map_err(|e| SoteriaError::io(dir, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name.starts_with('_') {
                continue;
            }
            let path = entry.path();
            let meta = std::fs::metadata(&path).map_err(|e| SoteriaError::io(&path, e))?;
            if meta.is_dir() {
                walk(root, &path, out)?;
            } else if name.to_ascii_lowercase().ends_with(".parquet") {
                let rel = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, path));
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files)?;
    files.sort();
    if files.is_empty() {
        return Err(SoteriaError::Other(format!(
            "{}: a table folder holds no .parquet file",
            dir.display()
        )));
    }
    Ok(files)
}

/// A folder's files as read: (path relative to the folder, bytes), in path order.
pub type FolderParts = Vec<(String, Vec<u8>)>;

/// The bytes of every file, and one SHA-256 over their paths and contents.
pub fn read_folder(dir: &Path) -> Result<(FolderParts, String)> {
    let mut parts = Vec::new();
    let mut summary = String::new();
    for (rel, path) in parquet_files(dir)? {
        let bytes = std::fs::read(&path).map_err(|e| SoteriaError::io(&path, e))?;
        summary.push_str(&format!("{rel}\t{}\n", sha256_hex(&bytes)));
        parts.push((rel, bytes));
    }
    Ok((parts, sha256_hex(summary.as_bytes())))
}

/// `key=value` pairs of a relative path's folders, values percent-decoded as hive
/// writers encode them.
pub fn hive_keys(rel: &str) -> Vec<(String, String)> {
    let folders: Vec<&str> = rel.split('/').collect();
    folders[..folders.len().saturating_sub(1)]
        .iter()
        .filter_map(|part| part.split_once('='))
        .map(|(k, v)| (k.to_string(), percent_decode(v)))
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The folder's files stacked into one raw frame, hive keys added as text columns.
pub fn parse_folder(dir: &Path, parts: FolderParts, sha256: String) -> Result<RawTable> {
    let mut stacked: Option<(String, DataFrame)> = None;
    for (rel, bytes) in parts {
        let file = dir.join(&rel);
        let unreadable = |message: String| SoteriaError::Unreadable {
            path: file.clone(),
            format: "Parquet",
            message,
        };
        if !bytes.starts_with(b"PAR1") {
            return Err(unreadable(
                "not a Parquet file (no PAR1 magic bytes)".into(),
            ));
        }
        let mut frame = ParquetReader::new(Cursor::new(bytes))
            .finish()
            .map_err(|e| unreadable(e.to_string()))?;
        add_hive_columns(&mut frame, &hive_keys(&rel)).map_err(unreadable)?;
        stacked = Some(match stacked {
            None => (rel, frame),
            Some((first, mut all)) => {
                if all.schema() != frame.schema() {
                    return Err(unreadable(format!(
                        "its columns ({}) differ from those of {first} ({}): every file of a table folder has the same columns and types",
                        describe_schema(frame.schema()),
                        describe_schema(all.schema())
                    )));
                }
                all.vstack_mut(&frame)?;
                (first, all)
            }
        });
    }
    let (_, mut frame) = stacked.expect("parquet_files found at least one file");
    frame.rechunk_mut();
    Ok(RawTable {
        path: dir.to_path_buf(),
        format: super::read::FileFormat::Parquet,
        frame,
        repairs: ReadRepairs::default(),
        sha256,
        rejected: Vec::new(),
        first_row: 0,
    })
}

/// A file's hive keys as text columns (an error, as a message, when the file has a
/// column of that name).
pub fn add_hive_columns(
    frame: &mut DataFrame,
    hive: &[(String, String)],
) -> std::result::Result<(), String> {
    for (key, value) in hive {
        if frame.column(key).is_ok() {
            return Err(format!(
                "column `{key}` is both in the file and a folder name ({key}={value})"
            ));
        }
        let column = Column::new(key.as_str().into(), vec![value.clone(); frame.height()]);
        frame.with_column(column).map_err(|e| e.to_string())?;
    }
    Ok(())
}

pub fn describe_schema(schema: &Schema) -> String {
    schema
        .iter()
        .map(|(n, t)| format!("{n}: {t}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hive_keys_come_from_folders_only_and_are_decoded() {
        assert_eq!(
            hive_keys("force=Thames%20Valley/year=2024/part-0.parquet"),
            vec![
                ("force".to_string(), "Thames Valley".to_string()),
                ("year".to_string(), "2024".to_string())
            ]
        );
        assert!(hive_keys("a=b.parquet").is_empty());
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%C3%A9t%é"), "ét%é");
    }
}
