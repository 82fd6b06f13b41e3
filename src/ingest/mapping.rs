//! Mapping files: how a force's own export is renamed, recoded and date-parsed into the
//! standard without editing the export by hand.
//!
//! ```toml
//! [files]                 # optional: file names that differ from `<table>.<ext>`
//! offences = "CrimeExport.csv"
//!
//! [columns]               # standard name = name in the export (applies to every table)
//! crime_id = "CrimeRef"
//!
//! [dates]
//! format = "%d/%m/%Y"     # chrono format of every date column
//!
//! [values.victim_sex]     # value in the export = standard code
//! Female = "F"
//! ```
use crate::error::{Result, SoteriaError};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    #[serde(default)]
    pub files: BTreeMap<String, String>,
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    #[serde(default)]
    pub dates: Dates,
    #[serde(default)]
    pub values: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dates {
    #[serde(default = "default_date_format")]
    pub format: String,
}

impl Default for Dates {
    fn default() -> Self {
        Dates {
            format: default_date_format(),
        }
    }
}

fn default_date_format() -> String {
    "%Y-%m-%d".to_string()
}

impl Mapping {
    pub fn from_file(path: &Path) -> Result<Mapping> {
        let text = std::fs::read_to_string(path).map_err(|e| SoteriaError::io(path, e))?;
        let mut mapping: Mapping = toml::from_str(&text).map_err(|e| SoteriaError::Mapping {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let known_tables: Vec<&str> = crate::schema::TableName::ALL
            .iter()
            .map(|t| t.as_str())
            .collect();
        if let Some(bad) = mapping
            .files
            .keys()
            .find(|k| !known_tables.contains(&k.as_str()))
        {
            return Err(SoteriaError::Mapping {
                path: path.to_path_buf(),
                message: format!(
                    "[files] names unknown table `{bad}`; tables are {}",
                    known_tables.join(", ")
                ),
            });
        }
        mapping.path = Some(path.to_path_buf());
        Ok(mapping)
    }

    /// The export's column name for a standard column.
    pub fn source_name<'a>(&'a self, standard: &'a str) -> &'a str {
        self.columns
            .get(standard)
            .map(String::as_str)
            .unwrap_or(standard)
    }
}
