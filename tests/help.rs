//! Every example in every `--help` runs, as written, against the bundled data in a work
//! folder that holds the files the examples name: the documentation cannot drift from
//! what the commands accept.
use crate::common::*;
use clap::CommandFactory;
use std::path::Path;

/// Every `soteria ...` line of every command's and subcommand's examples.
fn examples() -> Vec<String> {
    fn walk(cmd: &clap::Command, out: &mut Vec<String>) {
        if let Some(help) = cmd.get_after_help() {
            for line in help.to_string().lines() {
                let line = line.trim();
                if line.starts_with("soteria ") {
                    out.push(line.to_string());
                }
            }
        }
        for sub in cmd.get_subcommands() {
            walk(sub, out);
        }
    }
    let mut out = Vec::new();
    walk(&soteria::cli::Cli::command(), &mut out);
    out.sort();
    out.dedup();
    out
}

/// Words of a command line as a shell splits them (double quotes, a `> FILE` redirect).
fn split(line: &str) -> (Vec<String>, Option<String>) {
    let (mut words, mut word, mut quoted, mut any) = (Vec::new(), String::new(), false, false);
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                any = false;
            }
            _ => word.push(c),
        }
    }
    if any || !word.is_empty() {
        words.push(word);
    }
    let redirect = words.iter().position(|w| w == ">").map(|i| {
        let target = words[i + 1].clone();
        words.truncate(i);
        target
    });
    (words, redirect)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The files the examples name, made in `dir`.
fn fixtures(w: &Work) {
    let dir = w.dir.path();
    copy_dir(&repo("datasets"), &dir.join("datasets"));
    copy_dir(&repo("datasets/sample"), &dir.join("extract"));
    copy_dir(
        &repo("datasets/mappings/example-force-export"),
        &dir.join("export"),
    );
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    let mut series = String::from("month,rate\n");
    let mut charge = String::from("period,value\n");
    let mut deck = String::from("period,value,status\n");
    for i in 0..36 {
        let month = format!("{}-{:02}", 2020 + (i + 6) / 12, (i + 6) % 12 + 1);
        let rate = 0.04 + 0.01 * ((i * 7 % 5) as f64) / 4.0;
        series.push_str(&format!("{month},{rate}\n"));
        charge.push_str(&format!("{month},{rate}\n"));
        let status = if i > 33 { "provisional" } else { "final" };
        deck.push_str(&format!("{month},{rate},{status}\n"));
    }
    w.write("series.csv", series);
    w.write("charge_rate.csv", charge);
    w.write("flightdeck.csv", deck);
    for notes in ["notes.csv", "interventions.csv"] {
        w.write(notes, "date,label\n2024-03-01,New RASSO team\n");
    }
    w.write(
        "targets.toml",
        "charge_rate_closed = 0.08\n[rape]\ncharge_rate_closed = 0.07\n",
    );
    w.write(
        "kpis.toml",
        "wow_trained_share = 0.9\ncharge_rate_closed = 0.08\n",
    );
    w.write(
        "actions.csv",
        "recommendation,action,owner,due_date,status,closure_level\n3,Word-on-word course for every team,DCI RASSO,2025-01-31,In progress,\n",
    );
    w.write(
        "question.sql",
        "SELECT offence_group, count(*) AS n FROM crimes GROUP BY 1\n",
    );
    w.write(
        "forces.csv",
        "force,charged,closed\nCleveland,40,500\nDurham,25,410\nNorthumbria,90,1100\nCumbria,12,300\nLancashire,60,980\n",
    );
    let mut monthly = String::from("month,charged,closed,offences,population\n");
    for i in 0..24 {
        monthly.push_str(&format!(
            "{}-{:02},{},{},{},{}\n",
            2023 + i / 12,
            i % 12 + 1,
            10 + i % 7,
            150 + (i * 13) % 40,
            170 + (i * 11) % 30,
            560_000
        ));
    }
    w.write("monthly.csv", monthly);
    let mut outcomes = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(
            std::fs::File::open(repo(
                "datasets/reference/ho-outcomes-2017-18-sexual-offences.csv.gz",
            ))
            .unwrap(),
        ),
        &mut outcomes,
    )
    .unwrap();
    let text = String::from_utf8(outcomes).unwrap();
    w.write("2017-18.csv", &text);
    w.write("prc-outcomes-2017-18.csv", &text);
    w.write("2018-19.csv", text.replace("2017/18,", "2018/19,"));
}

/// Examples too heavy for a test: each is measured by the benches instead.
const HEAVY: &[&str] = &["--forces all --start 2015-01 --months 120"];

#[test]
fn every_example_in_every_help_runs() {
    let w = Work::new();
    fixtures(&w);
    let examples = examples();
    assert!(examples.len() > 60, "{} examples", examples.len());
    let mut ran = 0;
    for line in &examples {
        if HEAVY.iter().any(|h| line.contains(h)) {
            continue;
        }
        let (words, redirect) = split(line);
        let args: Vec<String> = words[1..]
            .iter()
            .map(|a| match a.strip_prefix("/tmp/") {
                Some(rest) => w.path(rest).to_string_lossy().into_owned(),
                None => a.clone(),
            })
            .collect();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_soteria"))
            .args(&args)
            .current_dir(w.dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "example `{line}` failed with {:?}:\n{}",
            out.status.code(),
            stderr(&out)
        );
        if let Some(file) = redirect {
            w.write(&file, &out.stdout);
        }
        ran += 1;
    }
    assert!(ran + HEAVY.len() >= examples.len());
}
