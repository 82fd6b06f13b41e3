//! Finding and reading a table's file, whatever its format, into a raw frame.
use crate::error::{Result, SoteriaError};
use crate::schema::TableName;
use polars::prelude::*;
use std::io::Cursor;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Parquet,
    Arrow,
    Csv,
}

impl FileFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            FileFormat::Parquet => "Parquet",
            FileFormat::Arrow => "Arrow IPC",
            FileFormat::Csv => "CSV",
        }
    }

    pub(super) fn from_path(path: &Path) -> Option<FileFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "parquet" => Some(FileFormat::Parquet),
            "arrow" | "ipc" | "feather" => Some(FileFormat::Arrow),
            "csv" => Some(FileFormat::Csv),
            _ => None,
        }
    }
}

/// The file that holds a table in `dir`, if any: `<table>.parquet`, `.arrow`, `.ipc` or
/// `.csv`, a folder `<table>/` of Parquet files, or the name a mapping file gives. A
/// table is never quietly absent or quietly chosen: two candidates for one table, a link
/// that leads nowhere or a file that cannot be opened is an error that names them.
pub fn find_table_file(
    dir: &Path,
    table: TableName,
    mapped: Option<&str>,
) -> Result<Option<PathBuf>> {
    let found: Vec<PathBuf> = match mapped {
        Some(name) => vec![dir.join(name)],
        None => ["parquet", "arrow", "ipc", "csv"]
            .iter()
            .map(|ext| dir.join(format!("{}.{ext}", table.as_str())))
            .chain([dir.join(table.as_str())])
            .filter(|p| std::fs::symlink_metadata(p).is_ok())
            .collect(),
    };
    let path = match found.as_slice() {
        [] => return Ok(None),
        [one] => one.clone(),
        [a, b, ..] => {
            return Err(SoteriaError::Other(format!(
                "{} and {} both hold table `{table}`: keep one, or name the one to read in a mapping file's [files]",
                a.display(),
                b.display()
            )));
        }
    };
    match std::fs::metadata(&path) {
        Ok(m) if m.is_dir() => super::folder::parquet_files(&path).map(|_| Some(path.clone())),
        Ok(_) => std::fs::File::open(&path)
            .map(|_| Some(path.clone()))
            .map_err(|e| SoteriaError::io(&path, e)),
        Err(e) => Err(SoteriaError::io(&path, e)),
    }
}

/// What reading a file had to repair before parsing.
#[derive(Debug, Default, Clone)]
pub struct ReadRepairs {
    pub bom_removed: bool,
    pub decoded_windows_1252: bool,
}

pub struct RawTable {
    pub path: PathBuf,
    pub format: FileFormat,
    pub frame: DataFrame,
    pub repairs: ReadRepairs,
    pub sha256: String,
    /// CSV rows the reader could not take whole, each left in `frame` as an empty row so
    /// that row numbers stay those of the file: (data row from 1, rule, excerpt).
    pub rejected: Vec<(usize, &'static str, String)>,
    /// Rows of the file before the frame's first (a slice of a large table): quarantine
    /// rows are numbered from the file's first row.
    pub first_row: usize,
}

pub fn read_table_file(path: &Path) -> Result<RawTable> {
    let bytes = std::fs::read(path).map_err(|e| SoteriaError::io(path, e))?;
    let sha256 = sha256_hex(&bytes);
    parse_table_bytes(path, bytes, sha256)
}

/// A table file's bytes, already read (and hashed), as a raw frame.
pub fn parse_table_bytes(path: &Path, bytes: Vec<u8>, sha256: String) -> Result<RawTable> {
    let format = match FileFormat::from_path(path) {
        Some(f) => f,
        None => sniff(&bytes).ok_or_else(|| SoteriaError::Unreadable {
            path: path.to_path_buf(),
            format: "CSV, Parquet or Arrow",
            message: "unknown file extension and content".into(),
        })?,
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(SoteriaError::EmptyFile {
            path: path.to_path_buf(),
        });
    }
    let unreadable = |message: String| SoteriaError::Unreadable {
        path: path.to_path_buf(),
        format: format.as_str(),
        message,
    };
    let mut repairs = ReadRepairs::default();
    let mut rejected = Vec::new();
    let frame = match format {
        FileFormat::Parquet => {
            if !bytes.starts_with(b"PAR1") {
                return Err(unreadable(
                    "not a Parquet file (no PAR1 magic bytes)".into(),
                ));
            }
            without_panics(|| ParquetReader::new(Cursor::new(bytes)).finish())
                .map_err(unreadable)?
        }
        FileFormat::Arrow => {
            if !bytes.starts_with(b"ARROW1") {
                return Err(unreadable(
                    "not an Arrow IPC file (no ARROW1 magic bytes)".into(),
                ));
            }
            without_panics(|| IpcReader::new(Cursor::new(bytes)).finish()).map_err(unreadable)?
        }
        FileFormat::Csv => {
            let text =
                decode_csv_bytes(bytes, &mut repairs).map_err(|m| unreadable(m.to_string()))?;
            let (text, rejects) = blank_unreadable_rows(text);
            rejected = rejects;
            let frame = read_csv_text(text).map_err(|e| unreadable(e.to_string()))?;
            // The reader renames a repeated header to `<name>_duplicated_<n>`.
            if let Some(name) = frame.get_column_names().iter().find_map(|n| {
                let (base, _) = n.rsplit_once("_duplicated_")?;
                frame.column(base).is_ok().then(|| base.to_string())
            }) {
                return Err(unreadable(format!(
                    "the header names column `{name}` twice; keep one"
                )));
            }
            frame
        }
    };
    Ok(RawTable {
        path: path.to_path_buf(),
        format,
        frame,
        repairs,
        sha256,
        rejected,
        first_row: 0,
    })
}

/// Finds the records of a CSV text that a reader cannot take whole (more fields than the
/// header, often an unterminated quote that swallows the rows after it; or a NUL byte)
/// and blanks each to a row of empty fields, so that the rest of the file loads and the
/// row is quarantined with its rule. Quotes are honoured, so a comma or a line break
/// inside a quoted field is part of it.
fn blank_unreadable_rows(text: Vec<u8>) -> (Vec<u8>, Vec<(usize, &'static str, String)>) {
    // Record spans: (start, end without the line break, fields, has NUL).
    let mut records: Vec<(usize, usize, usize, bool)> = Vec::new();
    let (mut start, mut fields, mut quoted, mut nul) = (0, 1, false, false);
    for (i, b) in text.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => fields += 1,
            0 => nul = true,
            b'\n' if !quoted => {
                let end = if i > start && text[i - 1] == b'\r' {
                    i - 1
                } else {
                    i
                };
                records.push((start, end, fields, nul));
                (start, fields, nul) = (i + 1, 1, false);
            }
            _ => {}
        }
    }
    if start < text.len() {
        records.push((start, text.len(), fields, nul));
    }
    let Some(&(_, _, header_fields, _)) = records.first() else {
        return (text, Vec::new());
    };
    let mut rejected = Vec::new();
    for (k, (s, e, f, nul)) in records.iter().enumerate().skip(1) {
        let rule = if *nul {
            "nul_byte"
        } else if *f > header_fields {
            "too_many_fields"
        } else {
            continue;
        };
        let excerpt = crate::util::excerpt(&String::from_utf8_lossy(&text[*s..*e]));
        rejected.push((k, rule, excerpt, *s, *e));
    }
    if rejected.is_empty() {
        return (text, Vec::new());
    }
    let mut out = Vec::with_capacity(text.len());
    let mut at = 0;
    for (_, _, _, s, e) in &rejected {
        out.extend_from_slice(&text[at..*s]);
        out.extend(std::iter::repeat_n(b',', header_fields - 1));
        at = *e;
    }
    out.extend_from_slice(&text[at..]);
    (
        out,
        rejected
            .into_iter()
            .map(|(k, rule, excerpt, _, _)| (k, rule, excerpt))
            .collect(),
    )
}

/// Runs a binary reader that can panic on a damaged file (a length field that points past
/// the end) and turns the panic, like an error, into a message. The panic hook is
/// silenced meanwhile so that the user sees one message, not a backtrace.
pub(super) fn without_panics<T>(
    read: impl FnOnce() -> PolarsResult<T>,
) -> std::result::Result<T, String> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    std::panic::set_hook(hook);
    match result {
        Ok(Ok(frame)) => Ok(frame),
        Ok(Err(e)) => Err(e.to_string()),
        Err(panic) => {
            let why = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(format!("the file is damaged ({why})"))
        }
    }
}

fn sniff(bytes: &[u8]) -> Option<FileFormat> {
    if bytes.starts_with(b"PAR1") {
        Some(FileFormat::Parquet)
    } else if bytes.starts_with(b"ARROW1") {
        Some(FileFormat::Arrow)
    } else {
        None
    }
}

/// Text in UTF-16 without a byte-order mark: every other byte of its ASCII is NUL.
fn looks_utf16(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(200)];
    head.len() >= 8 && {
        let (even, odd) = head.iter().enumerate().fold((0, 0), |(e, o), (i, b)| {
            if *b == 0 {
                if i % 2 == 0 { (e + 1, o) } else { (e, o + 1) }
            } else {
                (e, o)
            }
        });
        even.max(odd) * 3 > head.len()
    }
}

/// UTF-8 with or without a byte-order mark as is; anything else is taken to be
/// Windows-1252, the encoding Excel on Windows writes, and decoded (a reported repair).
pub fn decode_csv_bytes(
    mut bytes: Vec<u8>,
    repairs: &mut ReadRepairs,
) -> std::result::Result<Vec<u8>, &'static str> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) || looks_utf16(&bytes) {
        return Err("UTF-16 text: save the file as UTF-8 (in Excel, Save As \"CSV UTF-8\")");
    }
    // A few NUL bytes are rows to quarantine; a file full of them is not text at all.
    if bytes.iter().filter(|b| **b == 0).count() * 20 > bytes.len() {
        return Err("binary content (NUL bytes): not a CSV file");
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
        repairs.bom_removed = true;
    }
    if std::str::from_utf8(&bytes).is_err() {
        let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
        repairs.decoded_windows_1252 = true;
        return Ok(text.into_owned().into_bytes());
    }
    Ok(bytes)
}

/// Every column is read as text: types are checked cell by cell by validation, so that a
/// bad cell quarantines its row instead of failing the file.
fn read_csv_text(bytes: Vec<u8>) -> PolarsResult<DataFrame> {
    let parse = CsvParseOptions::default()
        .with_null_values(Some(NullValues::AllColumnsSingle("NA".into())))
        .with_missing_is_null(true);
    CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .with_raise_if_empty(false)
        .with_parse_options(parse)
        .into_reader_with_file_handle(Cursor::new(bytes))
        .finish()
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads an analyst's own CSV (a series, a list of units) with inferred types.
pub fn read_plain_csv(path: &Path) -> Result<DataFrame> {
    let mut bytes = std::fs::read(path).map_err(|e| SoteriaError::io(path, e))?;
    // A gzipped CSV (`.csv.gz`), as public tables are often kept, is read as it is.
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut plain = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::MultiGzDecoder::new(&bytes[..]),
            &mut plain,
        )
        .map_err(|e| SoteriaError::Unreadable {
            path: path.to_path_buf(),
            format: "gzipped CSV",
            message: e.to_string(),
        })?;
        bytes = plain;
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(SoteriaError::EmptyFile {
            path: path.to_path_buf(),
        });
    }
    let mut repairs = ReadRepairs::default();
    let text = decode_csv_bytes(bytes, &mut repairs).map_err(|m| SoteriaError::Unreadable {
        path: path.to_path_buf(),
        format: "CSV",
        message: m.to_string(),
    })?;
    read_csv_text(text).map_err(|e| SoteriaError::Unreadable {
        path: path.to_path_buf(),
        format: "CSV",
        message: e.to_string(),
    })
}

/// A numeric column of a plain CSV, with a message naming the file, row, column and
/// value for any cell that is not a number. Empty cells are `None`.
pub fn numeric_column(df: &DataFrame, path: &Path, name: &str) -> Result<Vec<Option<f64>>> {
    let column = df.column(name).map_err(|_| {
        let names: Vec<String> = df
            .get_column_names()
            .iter()
            .map(|s| s.to_string())
            .collect();
        let hint = crate::util::nearest(name, &names)
            .map(|n| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        SoteriaError::MissingColumn {
            path: path.to_path_buf(),
            table: "input".into(),
            column: name.to_string(),
            hint: format!("{hint}; columns are {}", names.join(", ")),
        }
    })?;
    let text = column.cast(&DataType::String)?;
    let text = text.str()?;
    text.iter()
        .enumerate()
        .map(|(i, v)| match v.map(str::trim) {
            None | Some("") => Ok(None),
            Some(s) => s
                .replace(',', "")
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .map(Some)
                .ok_or_else(|| {
                    SoteriaError::Other(format!(
                        "{}: row {}, column `{name}`: `{}` is not a finite number",
                        path.display(),
                        i + 1,
                        crate::util::excerpt(s)
                    ))
                }),
        })
        .collect()
}

/// A text column of a plain CSV (labels, dates).
pub fn text_column(df: &DataFrame, path: &Path, name: &str) -> Result<Vec<Option<String>>> {
    let column = df.column(name).map_err(|_| SoteriaError::MissingColumn {
        path: path.to_path_buf(),
        table: "input".into(),
        column: name.to_string(),
        hint: String::new(),
    })?;
    let text = column.cast(&DataType::String)?;
    Ok(text.str()?.iter().map(|v| v.map(str::to_string)).collect())
}
