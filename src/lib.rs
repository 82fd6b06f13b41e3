//! Soteria: analytics for police performance on rape and serious sexual offences.
//!
//! The library holds the whole engine; the `soteria` binary only parses arguments and
//! calls [`cli::run`].
pub mod assurance;
pub mod charts;
pub mod cli;
pub mod docx;
pub mod error;
pub mod figures;
pub mod format;
pub mod indicators;
pub mod ingest;
pub mod model;
pub mod opendata;
pub mod output;
pub mod profile;
pub mod query;
pub mod report;
pub mod schema;
pub mod stats;
pub mod synth;
pub mod util;

pub use error::{Result, SoteriaError};
