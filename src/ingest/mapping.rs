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
        mapping.check().map_err(|message| SoteriaError::Mapping {
            path: path.to_path_buf(),
            message,
        })?;
        mapping.path = Some(path.to_path_buf());
        Ok(mapping)
    }

    /// The mistakes a mapping file can make that would otherwise pass silently: a
    /// standard column that does not exist (a misspelt key is never used), two standard
    /// columns of one table read from one export column (one would be left empty), and a
    /// date format that is no strftime pattern (every date would be quarantined).
    fn check(&self) -> std::result::Result<(), String> {
        use crate::schema::TableName;
        let standard: Vec<String> = TableName::ALL
            .iter()
            .flat_map(|t| t.spec().columns.iter().map(|c| c.name.to_string()))
            .collect();
        let unknown = |section: &str, key: &str| {
            let hint = crate::util::nearest(key, &standard)
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            Err(format!(
                "{section}: `{key}` is not a column of the standard{hint}"
            ))
        };
        for key in self.columns.keys() {
            if !standard.contains(key) {
                return unknown("[columns]", key);
            }
        }
        for key in self.values.keys() {
            if !standard.contains(key) {
                return unknown("[values]", key);
            }
        }
        for table in TableName::ALL {
            let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
            for c in table.spec().columns {
                let source = self.source_name(c.name);
                if let Some(first) = seen.insert(source, c.name) {
                    return Err(format!(
                        "[columns]: `{first}` and `{}` of table `{table}` both read export column `{source}`; each needs its own",
                        c.name
                    ));
                }
            }
        }
        check_date_format(&self.dates.format)
    }

    /// The export's column name for a standard column.
    pub fn source_name<'a>(&'a self, standard: &'a str) -> &'a str {
        self.columns
            .get(standard)
            .map(String::as_str)
            .unwrap_or(standard)
    }
}

/// A date format must be a strftime pattern with a year, a month and a day (or a day of
/// the year), and every `%` must begin a known specifier.
fn check_date_format(format: &str) -> std::result::Result<(), String> {
    const KNOWN: &str = "YyCmbBhdeajAaUWGgVuwDFxHIMSpfZz%tn";
    let bad = || {
        Err(format!(
            "[dates]: format `{format}` is not a date pattern such as `%d/%m/%Y` (%Y year, %m month, %d day)"
        ))
    };
    let mut specifiers = Vec::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c == '%' {
            match chars.next() {
                Some(s) if KNOWN.contains(s) => specifiers.push(s),
                _ => return bad(),
            }
        }
    }
    let has = |set: &str| specifiers.iter().any(|s| set.contains(*s));
    let dated = has("DF") || (has("YyG") && (has("j") || (has("mbBh") && has("de"))));
    if dated { Ok(()) } else { bad() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> std::result::Result<(), String> {
        let m: Mapping = toml::from_str(text).map_err(|e| e.to_string())?;
        m.check()
    }

    #[test]
    fn mistakes_in_a_mapping_file_are_named() {
        assert!(parse("[columns]\ncrime_id = \"Ref\"\n[dates]\nformat = \"%d/%m/%Y\"").is_ok());
        let e = parse("[columns]\ncrime_idd = \"Ref\"").unwrap_err();
        assert!(
            e.contains("`crime_idd` is not a column") && e.contains("`crime_id`"),
            "{e}"
        );
        let e = parse("[columns]\nreported_date = \"Date\"\nrecorded_date = \"Date\"").unwrap_err();
        assert!(e.contains("both read export column `Date`"), "{e}");
        // One export name may serve columns of different tables.
        assert!(parse("[columns]\noutcome_date = \"Date\"\nevent_date = \"Date\"").is_ok());
        for format in ["dd/mm/yyyy", "%d/%m/%", "%d/%m", "%Q-%m-%d"] {
            let e = parse(&format!("[dates]\nformat = \"{format}\"")).unwrap_err();
            assert!(e.contains("is not a date pattern"), "{format}: {e}");
        }
        let e = parse("[values.victim_sexx]\nFemale = \"F\"").unwrap_err();
        assert!(e.contains("[values]"), "{e}");
    }
}
