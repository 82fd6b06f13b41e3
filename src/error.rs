//! Library error types. Every error that concerns input names the file, and where it
//! can the row, column, value and rule, so an analyst can fix the extract without
//! reading code.
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum SoteriaError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: cannot be read as {format}: {}", crate::util::bounded(.message))]
    Unreadable {
        path: PathBuf,
        format: &'static str,
        message: String,
    },
    #[error("{path}: the file is empty (no header row)")]
    EmptyFile { path: PathBuf },
    #[error("{path}: required column `{column}` of table `{table}` is missing{hint}")]
    MissingColumn {
        path: PathBuf,
        table: String,
        column: String,
        hint: String,
    },
    #[error(
        "{dir}: no `offences` table (looked for offences.parquet, offences.arrow, offences.ipc, offences.csv)"
    )]
    NoOffences { dir: PathBuf },
    #[error("{path}: {message}")]
    Mapping { path: PathBuf, message: String },
    #[error("invalid argument: {0}")]
    Usage(String),
    #[error("polars: {}", crate::util::bounded(&.0.to_string()))]
    Polars(#[from] polars::error::PolarsError),
    #[error("chart: {0}")]
    Chart(#[from] ChartError),
    #[error("{0}")]
    Other(String),
}

impl SoteriaError {
    /// Exit code for the binary: 1 for input that cannot be loaded at all, 2 for usage.
    pub fn exit_code(&self) -> i32 {
        match self {
            SoteriaError::Usage(_) => 2,
            SoteriaError::Chart(ChartError::Invalid(_)) => 2,
            _ => 1,
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        SoteriaError::Io {
            path: path.into(),
            source,
        }
    }
}

pub type Result<T> = std::result::Result<T, SoteriaError>;

/// Why a chart was not drawn. Defined here, at the bottom of the layers, so that the
/// library's error type needs nothing above it; `charts` re-exports it.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("drawing failed: {0}")]
    Draw(String),
    #[error("{0}")]
    Invalid(String),
    /// Disclosure control withholds the chart from a published report.
    #[error("withheld: {0}")]
    Withheld(String),
    /// The data hold nothing to draw (no values in the period, a table missing).
    #[error("{0}")]
    NoData(String),
}
