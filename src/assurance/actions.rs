//! The force's action log (`--actions FILE.csv`): what the force says it did about each
//! recommendation, shown beside what the data shows. One row per action, with the
//! columns `recommendation`, `action`, `owner`, `due_date`, `status` and
//! `closure_level` (the inspectorate's closure level); headers are matched without
//! regard to case, spaces or hyphens, and `owner` and `closure_level` may be left out.
use super::RECOMMENDATIONS;
use crate::error::{Result, SoteriaError};
use crate::util::chrono_lite::Date;
use polars::prelude::*;
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Action {
    pub recommendation: String,
    pub action: String,
    pub owner: Option<String>,
    pub due_date: Option<String>,
    pub status: String,
    pub closure_level: Option<String>,
    /// Due on or before the as-at date and not complete.
    pub overdue: bool,
}

/// Statuses that mean the action is done (compared without regard to case).
const DONE: &[&str] = &["complete", "completed", "done", "closed"];

const REQUIRED: &[&str] = &["recommendation", "action", "due_date", "status"];

fn header_key(h: &str) -> String {
    let k = h
        .trim()
        .trim_start_matches('\u{feff}')
        .to_ascii_lowercase()
        .replace([' ', '-'], "_");
    match k.as_str() {
        "inspectorate_closure_level" => "closure_level".into(),
        "due" => "due_date".into(),
        _ => k,
    }
}

/// Reads and checks the action log. Every refusal names the file, row (as a spreadsheet
/// numbers it: the header is row 1), column, value and rule.
pub fn read(path: &Path, as_at: Date) -> Result<Vec<Action>> {
    let bytes = std::fs::read(path).map_err(|e| SoteriaError::io(path, e))?;
    let mut repairs = crate::ingest::read::ReadRepairs::default();
    let unreadable = |message: String| SoteriaError::Unreadable {
        path: path.to_path_buf(),
        format: "CSV",
        message,
    };
    let bytes = crate::ingest::read::decode_csv_bytes(bytes, &mut repairs)
        .map_err(|m| unreadable(m.to_string()))?;
    let frame = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .into_reader_with_file_handle(std::io::Cursor::new(bytes))
        .finish()
        .map_err(|e| unreadable(e.to_string()))?;
    let bad = |row: usize, column: &str, value: &str, rule: &str| {
        SoteriaError::Usage(format!(
            "{}: row {}, column {column}: `{value}` {rule}",
            path.display(),
            row + 2
        ))
    };
    let names: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|n| header_key(n))
        .collect();
    for needed in REQUIRED {
        if !names.iter().any(|n| n == needed) {
            return Err(SoteriaError::Usage(format!(
                "{}: no column `{needed}` (the action log needs {})",
                path.display(),
                REQUIRED.join(", ")
            )));
        }
    }
    let column = |key: &str| -> Result<Option<Vec<Option<String>>>> {
        let Some(i) = names.iter().position(|n| n == key) else {
            return Ok(None);
        };
        let values = frame.columns()[i]
            .str()?
            .iter()
            .map(|v| v.map(str::trim).filter(|v| !v.is_empty()).map(String::from))
            .collect();
        Ok(Some(values))
    };
    let required =
        |key: &str| -> Result<Vec<Option<String>>> { Ok(column(key)?.expect("checked above")) };
    let (recs, actions, dues, statuses) = (
        required("recommendation")?,
        required("action")?,
        required("due_date")?,
        required("status")?,
    );
    let owners = column("owner")?;
    let levels = column("closure_level")?;
    let known: Vec<&str> = RECOMMENDATIONS.iter().map(|r| r.number).collect();
    let mut out = Vec::with_capacity(frame.height());
    for row in 0..frame.height() {
        let rec = recs[row].clone().unwrap_or_default();
        let number = rec
            .trim_start_matches(|c: char| !c.is_ascii_digit())
            .to_string();
        if !known.contains(&number.as_str()) {
            return Err(bad(
                row,
                "recommendation",
                &rec,
                &format!(
                    "is not one of the inspection's recommendations to forces ({})",
                    known.join(", ")
                ),
            ));
        }
        let Some(action) = actions[row].clone() else {
            return Err(bad(row, "action", "", "is empty: say what the action is"));
        };
        let Some(status) = statuses[row].clone() else {
            return Err(bad(
                row,
                "status",
                "",
                "is empty: say where the action stands",
            ));
        };
        let due = match &dues[row] {
            Some(d) => Some(
                Date::parse(d)
                    .ok_or_else(|| bad(row, "due_date", d, "is not a date (YYYY-MM-DD)"))?,
            ),
            None => None,
        };
        let done = DONE.contains(&status.to_ascii_lowercase().as_str());
        out.push(Action {
            recommendation: number,
            action,
            owner: owners.as_ref().and_then(|o| o[row].clone()),
            due_date: due.map(|d| d.to_string()),
            overdue: !done && due.is_some_and(|d| d <= as_at),
            status,
            closure_level: levels.as_ref().and_then(|l| l[row].clone()),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(text: &str) -> Result<Vec<Action>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("actions.csv");
        std::fs::write(&path, text).unwrap();
        read(&path, Date::new(2025, 3, 31))
    }

    #[test]
    fn an_action_log_is_read_with_loose_headers_and_overdue_actions_found() {
        let actions = log(
            "Recommendation,Action,Owner,Due date,Status,Inspectorate closure level\n\
             Rec 3,\"Word-on-word course, all teams\",DCI RASSO,2025-01-31,In progress,\n\
             7,Breach tracker,,2025-06-30,Not started,\n\
             9,s63G process,Head of CJ,2025-01-31,Complete,Closed - met\n",
        )
        .unwrap();
        assert_eq!(actions.len(), 3);
        assert_eq!(actions[0].recommendation, "3");
        assert_eq!(actions[0].action, "Word-on-word course, all teams");
        assert!(
            actions[0].overdue,
            "due 31 January, in progress on 31 March"
        );
        assert!(!actions[1].overdue, "due after the as-at date");
        assert_eq!(actions[1].owner, None);
        assert!(!actions[2].overdue, "complete");
        assert_eq!(actions[2].closure_level.as_deref(), Some("Closed - met"));
    }

    #[test]
    fn a_bad_row_is_named_with_its_column_value_and_rule() {
        let e =
            log("recommendation,action,due_date,status\n3,Train,2025-01-31,Done\n4,Other,,Open\n")
                .unwrap_err()
                .to_string();
        assert!(
            e.contains("row 3, column recommendation: `4` is not one of"),
            "{e}"
        );
        let e = log("recommendation,action,due_date,status\n3,Train,31/01/2025,Done\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("row 2, column due_date: `31/01/2025` is not a date"),
            "{e}"
        );
        let e = log("recommendation,action,status\n3,Train,Done\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("no column `due_date`"), "{e}");
    }
}
