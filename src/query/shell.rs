//! The interactive SQL shell: statements end with `;` and may span lines; dot commands
//! list tables, show a schema, switch the output format or send results to a file.
use super::QueryEngine;
use super::line::{Input, LineEditor};
use crate::error::Result;
use crate::output::{OutputFormat, write_frame};
use std::io::Write;
use std::path::PathBuf;

const HELP: &str = "\
Statements end with `;` and may span several lines.
  .tables               list the tables and views
  .schema TABLE         columns and types of a table
  .format table|csv|json  how results are shown
  .output FILE          write results to FILE (.output alone: back to the screen)
  .help                 this text
  .quit                 leave (or Ctrl-D)
Tables: offences, suspects, outcomes, events, staff, feedback, population;
views: crimes (one row per offence, its current state) and flightdeck.";

pub fn run(engine: &mut QueryEngine, format: OutputFormat) -> Result<()> {
    let mut editor = LineEditor::new();
    let history_file = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".soteria_history"));
    if let Some(text) = history_file
        .as_ref()
        .and_then(|f| std::fs::read_to_string(f).ok())
    {
        editor.history = text.lines().map(str::to_string).collect();
    }
    let mut format = match format {
        OutputFormat::Parquet | OutputFormat::Arrow => OutputFormat::Table,
        f => f,
    };
    let mut output: Option<PathBuf> = None;
    if editor.is_interactive() {
        println!("Soteria SQL shell. `.help` for help, `.quit` to leave.");
    }
    let mut statement = String::new();
    loop {
        let prompt = if statement.is_empty() {
            "soteria> "
        } else {
            "    ...> "
        };
        let line = match editor.read_line(prompt) {
            Ok(Input::Line(l)) => l,
            Ok(Input::Interrupted) => {
                statement.clear();
                continue;
            }
            Ok(Input::Eof) => break,
            Err(e) => return Err(crate::error::SoteriaError::io("<stdin>", e)),
        };
        let trimmed = line.trim();
        if statement.is_empty() && trimmed.starts_with('.') {
            remember(&mut editor, history_file.as_ref(), trimmed);
            let mut words = trimmed.split_whitespace();
            match (words.next(), words.next()) {
                (Some(".quit" | ".exit"), _) => break,
                (Some(".help"), _) => println!("{HELP}"),
                (Some(".tables"), _) => println!("{}", engine.tables().join("\n")),
                (Some(".schema"), Some(table)) => match engine.schema(table) {
                    Ok(columns) => {
                        for (name, dtype) in columns {
                            println!("{name:<28} {dtype}");
                        }
                    }
                    Err(e) => eprintln!("error: {e}"),
                },
                (Some(".format"), Some(f)) => match f {
                    "table" => format = OutputFormat::Table,
                    "csv" => format = OutputFormat::Csv,
                    "json" => format = OutputFormat::Json,
                    other => eprintln!("error: unknown format `{other}`: table, csv or json"),
                },
                (Some(".output"), file) => output = file.map(PathBuf::from),
                (Some(other), _) => {
                    eprintln!("error: unknown command `{other}`; `.help` lists them")
                }
                (None, _) => {}
            }
            continue;
        }
        if trimmed.is_empty() && statement.is_empty() {
            continue;
        }
        statement.push_str(&line);
        statement.push('\n');
        if !trimmed.ends_with(';') {
            continue;
        }
        let sql = std::mem::take(&mut statement);
        remember(
            &mut editor,
            history_file.as_ref(),
            &sql.split_whitespace().collect::<Vec<_>>().join(" "),
        );
        match engine.run(sql.trim().trim_end_matches(';')) {
            Ok(frame) => {
                if let Err(e) = write_frame(&frame, format, output.as_deref()) {
                    eprintln!("error: {e}");
                } else if output.is_none() && format == OutputFormat::Table {
                    let n = frame.height();
                    println!("({n} row{})", if n == 1 { "" } else { "s" });
                }
            }
            Err(e) => eprintln!("error: {e}"),
        }
        let _ = std::io::stdout().flush();
    }
    Ok(())
}

fn remember(editor: &mut LineEditor, file: Option<&PathBuf>, entry: &str) {
    if editor.history.last().is_some_and(|l| l == entry) {
        return;
    }
    editor.history.push(entry.to_string());
    if !editor.is_interactive() {
        return;
    }
    if let Some(f) = file
        && let Ok(mut h) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(f)
    {
        let _ = writeln!(h, "{entry}");
    }
}
