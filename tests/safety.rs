//! Nothing lost, nobody let in: regressions for the defects of issue 14, each named for
//! the problem it guards against.
use crate::common::*;
use std::path::Path;

/// A copy of the bundled sample in a work folder, so that a test may aim at it.
fn sample_copy(w: &Work) -> std::path::PathBuf {
    let dir = w.path("data");
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(repo("datasets/sample")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    dir
}

fn listing(dir: &Path) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().len(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn report_out_never_replaces_a_folder_soteria_did_not_write() {
    let w = Work::new();
    let data = sample_copy(&w);
    let before = listing(&data);
    let d = data.to_str().unwrap();
    for out in [d, w.path("mine").to_str().unwrap()] {
        std::fs::create_dir_all(w.path("mine")).unwrap();
        std::fs::write(w.path("mine/thesis.docx"), b"years of work").unwrap();
        let o = soteria(&["report", "--data", d, "--month", "2024-12", "--out", out]);
        assert_eq!(o.status.code(), Some(2), "{out}: {}", stderr(&o));
        assert!(stderr(&o).contains("Soteria replaces only a folder it wrote"));
    }
    assert_eq!(listing(&data), before, "the dataset is untouched");
    assert_eq!(
        std::fs::read(w.path("mine/thesis.docx")).unwrap(),
        b"years of work"
    );
    // A file or a link at the path is refused too.
    std::os::unix::fs::symlink(w.path("mine"), w.path("link")).unwrap();
    for out in ["mine/thesis.docx", "link"] {
        let o = soteria(&[
            "report",
            "--data",
            d,
            "--month",
            "2024-12",
            "--out",
            w.path(out).to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2), "{out}");
    }
    // A report folder is replaced, in one step, and killed runs' leftovers are cleared.
    let out = w.path("reports/r");
    std::fs::create_dir_all(w.path("reports/.r.tmp-4000000")).unwrap();
    std::fs::create_dir_all(w.path("reports/.r.old-4000001")).unwrap();
    for _ in 0..2 {
        let o = soteria(&[
            "report",
            "--data",
            d,
            "--month",
            "2024-12",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert!(out.join("manifest.json").exists());
    let names: Vec<String> = listing(&w.path("reports"))
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(
        names,
        vec!["r".to_string()],
        "no temporaries left: {names:?}"
    );
}

#[test]
fn quarantine_never_overwrites_an_input_and_clears_its_earlier_files() {
    let w = Work::new();
    let data = sample_copy(&w);
    let d = data.to_str().unwrap();
    let before = listing(&data);
    let o = soteria(&["validate", "--data", d, "--quarantine", d]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(listing(&data), before);
    // A folder holding some other table file is refused.
    std::fs::create_dir_all(w.path("q")).unwrap();
    std::fs::write(w.path("q/offences.parquet"), b"PAR1").unwrap();
    let q = w.path("q");
    let o = soteria(&["validate", "--data", d, "--quarantine", q.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read(w.path("q/offences.parquet")).unwrap(),
        b"PAR1"
    );
    // An earlier quarantine file of a table that is clean now goes away.
    std::fs::remove_file(w.path("q/offences.parquet")).unwrap();
    std::fs::write(
        w.path("q/events.csv"),
        "source_row,rule,column,value,crime_id\n7,bad_date,event_date,x,C1\n",
    )
    .unwrap();
    ok(&["validate", "--data", d, "--quarantine", q.to_str().unwrap()]);
    let events = std::fs::read_to_string(w.path("q/events.csv")).unwrap_or_default();
    assert!(!events.contains("bad_date"), "{events}");
}

#[test]
fn outputs_write_through_devices_and_links_instead_of_replacing_them() {
    let w = Work::new();
    let target = w.path("real.csv");
    std::fs::write(&target, "old\n").unwrap();
    let link = w.path("link.csv");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    for out in [link.to_str().unwrap(), "/dev/null"] {
        ok(&[
            "flightdeck",
            "--indicators",
            "recorded",
            "--format",
            "csv",
            "--out",
            out,
        ]);
    }
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .starts_with("period,")
    );
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

#[test]
fn query_reads_only_the_dataset_and_refuses_runaway_statements() {
    for sql in [
        "SELECT * FROM read_csv('/etc/os-release')",
        "SELECT * FROM read_parquet('http://127.0.0.1:8765/x.parquet')",
        "COPY offences TO '/tmp/soteria-copy.csv'",
    ] {
        let err = fails(&["query", sql], 2, "SQL refused");
        assert!(
            !err.contains("Statement::"),
            "no syntax tree in the message"
        );
    }
    let chain = (0..5000)
        .map(|i| format!("crime_id = 'C{i}'"))
        .collect::<Vec<_>>()
        .join(" OR ");
    fails(
        &[
            "query",
            &format!("SELECT count(*) FROM offences WHERE {chain}"),
        ],
        2,
        "use IN",
    );
    // A cross join that grows without bound stops at its memory limit, with a message.
    fails(
        &[
            "query",
            "--memory-limit",
            "600M",
            "--format",
            "csv",
            "SELECT a.crime_id, b.recorded_date FROM events a CROSS JOIN offences b",
        ],
        1,
        "memory limit of 0.6 GiB",
    );
}

#[test]
fn a_table_is_never_quietly_absent_or_quietly_chosen() {
    let w = Work::new();
    let data = sample_copy(&w);
    let d = data.to_str().unwrap();
    // Two files for one table.
    std::fs::copy(data.join("outcomes.parquet"), data.join("outcomes.arrow")).unwrap();
    fails(&["validate", "--data", d], 1, "both hold table `outcomes`");
    std::fs::remove_file(data.join("outcomes.arrow")).unwrap();
    // A folder, and a link that leads nowhere, where a table file should be.
    std::fs::create_dir(data.join("staff.csv")).unwrap();
    std::fs::remove_file(data.join("staff.parquet")).unwrap();
    fails(
        &["flightdeck", "--data", d],
        1,
        "staff.csv: a table folder holds no .parquet file",
    );
    std::fs::remove_dir(data.join("staff.csv")).unwrap();
    std::os::unix::fs::symlink(data.join("loop.csv"), data.join("staff.csv")).unwrap();
    std::os::unix::fs::symlink(data.join("staff.csv"), data.join("loop.csv")).unwrap();
    fails(&["flightdeck", "--data", d], 1, "staff.csv");
}

#[test]
fn a_mistake_in_what_the_user_typed_exits_2_everywhere() {
    for args in [
        vec!["flightdeck", "--force", "Atlantis"],
        vec!["flightdeck", "--as-at", "1990-01-01"],
        vec!["report", "--month", "2024-12", "--force", "Atlantis"],
    ] {
        let o = soteria(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn an_unterminated_quote_never_puts_the_file_in_the_message() {
    let w = Work::new();
    let mut csv = String::from(crate::validation::OFFENCES_HEADER);
    csv.push('\n');
    csv.push_str(
        &crate::validation::offence("C0", "19C", "2024-01-02", "2024-01-03").replacen(
            ",North,",
            ",\"North,",
            1,
        ),
    );
    csv.push('\n');
    for i in 1..2000 {
        csv.push_str(&crate::validation::offence(
            &format!("C{i}"),
            "19C",
            "2024-01-02",
            "2024-01-03",
        ));
        csv.push('\n');
    }
    w.write("d/offences.csv", csv);
    let o = soteria(&["validate", "--data", w.path("d").to_str().unwrap()]);
    let err = stderr(&o);
    assert!(err.len() < 2000, "a bounded message: {} bytes", err.len());
    assert!(
        !err.contains("VC1999"),
        "no victim identifier from deep in the file"
    );
}

#[test]
fn a_row_with_too_many_fields_or_a_nul_byte_is_quarantined_and_the_rest_loads() {
    let w = Work::new();
    let mut csv = String::from(crate::validation::OFFENCES_HEADER);
    csv.push('\n');
    for i in 1..=5 {
        let mut row =
            crate::validation::offence(&format!("C{i}"), "19C", "2024-01-02", "2024-01-03");
        if i == 2 {
            row.push_str(",one too many");
        }
        if i == 4 {
            row = row.replace("Team A", "Team\0A");
        }
        csv.push_str(&row);
        csv.push('\n');
    }
    w.write("d/offences.csv", csv);
    let report = json(&[
        "validate",
        "--data",
        w.path("d").to_str().unwrap(),
        "--format",
        "json",
    ]);
    conserved(&report);
    let t = table(&report, "offences");
    assert_eq!(t["rows_read"], 5);
    assert_eq!(t["rows_loaded"], 3);
    assert_eq!(t["rules"]["too_many_fields"], 1);
    assert_eq!(t["rules"]["nul_byte"], 1);
    // A UTF-16 file is named as such, not as "binary".
    let mut utf16 = vec![0xFF, 0xFE];
    for c in crate::validation::OFFENCES_HEADER.encode_utf16() {
        utf16.extend_from_slice(&c.to_le_bytes());
    }
    w.write("u/offences.csv", utf16);
    fails(
        &["validate", "--data", w.path("u").to_str().unwrap()],
        1,
        "UTF-16 text: save the file as UTF-8",
    );
}

#[test]
fn statistics_refuse_nonsense_with_the_row_named() {
    let w = Work::new();
    let series = w.write("s.csv", "month,value\n2024-01,3\n2024-02,NaN\n2024-03,4\n");
    fails(
        &[
            "spc",
            "--input",
            series.to_str().unwrap(),
            "--value",
            "value",
        ],
        1,
        "row 2, column `value`: `NaN` is not a finite number",
    );
    let ok_series = w.write("t.csv", "value\n1\n2\n3\n");
    let o = soteria(&[
        "spc",
        "--input",
        ok_series.to_str().unwrap(),
        "--value",
        "value",
        "--target",
        "NaN",
    ]);
    assert_eq!(o.status.code(), Some(2));
    // A fractional count in an outcomes table is named, not summed. (A negative one is
    // the Home Office's net adjustment and is kept: the real 2017/18 file has 394.)
    let table = std::fs::read_to_string(repo("tests/data/opendata/title-case.csv")).unwrap();
    let mut lines: Vec<String> = table.lines().map(str::to_string).collect();
    let last = lines.len() - 1;
    let fields: Vec<&str> = lines[last].rsplitn(3, ',').collect();
    lines[last] = format!("{},2.5,{}", fields[2], fields[0]);
    let bad = w.write("bad.csv", lines.join("\n") + "\n");
    fails(
        &["opendata", "outcomes", "--input", bad.to_str().unwrap()],
        1,
        "count 2.5 is not a whole number",
    );
}

#[test]
fn validate_json_reports_a_load_failure_as_json() {
    let o = soteria(&[
        "validate",
        "--data",
        "/nonexistent-soteria",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("a JSON object");
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .contains("/nonexistent-soteria")
    );
    assert_eq!(v["exit_code"], 1);
}

#[test]
fn a_repeated_header_is_named_as_such() {
    let w = Work::new();
    let header = format!("{},victim_age", crate::validation::OFFENCES_HEADER);
    let row = crate::validation::offence("C1", "19C", "2024-01-02", "2024-01-03") + ",30";
    w.write("d/offences.csv", format!("{header}\n{row}\n"));
    fails(
        &["validate", "--data", w.path("d").to_str().unwrap()],
        1,
        "names column `victim_age` twice",
    );
    let o = soteria(&["stats", "ci", "--x", "5", "--n", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).contains("Some("), "{}", stderr(&o));
}

#[test]
fn generate_never_leaves_two_files_for_a_table_or_replaces_a_link() {
    let w = Work::new();
    let out = w.path("g");
    let args = |format: &'static str| -> Vec<String> {
        [
            "generate", "--forces", "1", "--months", "2", "--scale", "0.02", "--format", format,
            "--out",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain([out.to_str().unwrap().to_string()])
        .collect()
    };
    let run = |a: Vec<String>| soteria(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(run(args("csv")).status.success());
    let o = run(args("parquet"));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("ambiguous"));
    // A table file that is a link is written through.
    let elsewhere = w.path("kept/offences.csv");
    std::fs::create_dir_all(w.path("kept")).unwrap();
    std::fs::rename(out.join("offences.csv"), &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("offences.csv")).unwrap();
    assert!(run(args("csv")).status.success());
    assert!(
        std::fs::symlink_metadata(out.join("offences.csv"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&elsewhere)
            .unwrap()
            .starts_with("crime_id,")
    );
}

#[test]
fn cleaning_up_never_removes_a_link_or_writes_through_one_in_quarantine() {
    let w = Work::new();
    let data = sample_copy(&w);
    let d = data.to_str().unwrap();
    // A link named like a killed run's temporary is not Soteria's leftover.
    let mine = w.path("mine.txt");
    std::fs::write(&mine, "keep").unwrap();
    std::fs::create_dir_all(w.path("out")).unwrap();
    std::os::unix::fs::symlink(&mine, w.path("out/.fd.csv.tmp-4000002")).unwrap();
    let target = w.path("out/fd.csv");
    ok(&[
        "flightdeck",
        "--data",
        d,
        "--indicators",
        "recorded",
        "--format",
        "csv",
        "--out",
        target.to_str().unwrap(),
    ]);
    assert!(std::fs::symlink_metadata(w.path("out/.fd.csv.tmp-4000002")).is_ok());
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "keep");
    // A link at a quarantine file's path is refused, its target untouched.
    std::fs::create_dir_all(w.path("q")).unwrap();
    std::fs::write(w.path("elsewhere.csv"), "source_row,rule,column,value\n").unwrap();
    std::os::unix::fs::symlink(w.path("elsewhere.csv"), w.path("q/offences.csv")).unwrap();
    fails(
        &[
            "validate",
            "--data",
            d,
            "--quarantine",
            w.path("q").to_str().unwrap(),
        ],
        2,
        "choose another folder",
    );
    assert_eq!(
        std::fs::read_to_string(w.path("elsewhere.csv")).unwrap(),
        "source_row,rule,column,value\n"
    );
}

/// Runs soteria with validated copies of every table in `cache` (`off` for none) and its
/// stages traced: (stdout, stderr).
fn with_cache(cache: &Path, args: &[&str]) -> (String, String) {
    with_cache_and(cache, &[], args)
}

/// [`with_cache`] with more variables set.
fn with_cache_and(cache: &Path, vars: &[(&str, &str)], args: &[&str]) -> (String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_soteria"))
        .args(args)
        .env("SOTERIA_CACHE", cache)
        .env("SOTERIA_CACHE_MIN_BYTES", "0")
        .env("SOTERIA_TRACE", "1")
        .envs(vars.iter().copied())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stderr(&out);
    (String::from_utf8(out.stdout).unwrap(), said)
}

/// A validated copy is read back on the next run with the same inputs (same report,
/// same numbers), and a changed input is validated again, never served from the copy.
#[test]
fn a_validated_copy_is_used_only_for_the_same_inputs() {
    let w = Work::new();
    let cache = w.path("cache");
    let data = w.path("extract");
    std::fs::create_dir_all(&data).unwrap();
    for t in ["offences", "outcomes"] {
        std::fs::copy(
            repo(&format!("datasets/sample/{t}.parquet")),
            data.join(format!("{t}.parquet")),
        )
        .unwrap();
    }
    let run = |args: &[&str]| with_cache(&cache, args);
    let d = data.to_str().unwrap();
    let (first, said) = run(&["validate", "--data", d, "--format", "json"]);
    assert!(!said.contains("validated copy"), "{said}");
    let kept = std::fs::read_dir(&cache).unwrap().count();
    assert_eq!(kept, 6, "loaded, quarantined and quality of two tables");
    let (second, said) = run(&["validate", "--data", d, "--format", "json"]);
    assert!(said.contains("offences: validated copy read"), "{said}");
    assert!(said.contains("outcomes: validated copy read"), "{said}");
    assert_eq!(first, second);
    let (a, _) = run(&["flightdeck", "--data", d, "--format", "csv"]);
    // The same bytes written again: the same copy.
    let outcomes = std::fs::read(data.join("outcomes.parquet")).unwrap();
    std::fs::write(data.join("outcomes.parquet"), &outcomes).unwrap();
    let (b, said) = run(&["flightdeck", "--data", d, "--format", "csv"]);
    assert_eq!(a, b);
    assert!(said.contains("outcomes: validated copy read"), "{said}");
    // Other outcomes: validated again, never the copy of the old ones.
    let fewer = w.path("fewer.csv");
    run(&[
        "query",
        "--data",
        d,
        "--format",
        "csv",
        "--out",
        fewer.to_str().unwrap(),
        "SELECT * FROM outcomes ORDER BY outcome_date LIMIT 100",
    ]);
    std::fs::remove_file(data.join("outcomes.parquet")).unwrap();
    std::fs::copy(&fewer, data.join("outcomes.csv")).unwrap();
    let (report, said) = run(&["validate", "--data", d, "--format", "json"]);
    assert!(!said.contains("outcomes: validated copy read"), "{said}");
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(table(&report, "outcomes")["rows_loaded"], 100);
    assert_ne!(a, run(&["flightdeck", "--data", d, "--format", "csv"]).0);
}

/// The integer keys validation keeps beside a copy (each row's crime, each event's type
/// code) give the same flight deck as a run that validates afresh, and never show in the
/// tables a user queries.
#[test]
fn the_keys_kept_with_the_copies_give_the_same_flight_deck() {
    let w = Work::new();
    let cache = w.path("cache");
    let data = w.path("extract");
    std::fs::create_dir_all(&data).unwrap();
    for entry in std::fs::read_dir(repo("datasets/sample")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, data.join(path.file_name().unwrap())).unwrap();
    }
    let run = |cache_dir: &str, args: &[&str]| with_cache(Path::new(cache_dir), args);
    let d = data.to_str().unwrap();
    let c = cache.to_str().unwrap();
    let deck = ["flightdeck", "--data", d, "--format", "csv"];
    let (fresh, _) = run("off", &deck);
    let (first, said) = run(c, &deck);
    assert!(!said.contains("validated copy read"), "{said}");
    let (second, said) = run(c, &deck);
    for table in ["offences", "outcomes", "events", "suspects"] {
        assert!(
            said.contains(&format!("{table}: validated copy read")),
            "{said}"
        );
    }
    assert_eq!(fresh, first);
    assert_eq!(fresh, second);
    let columns = |cache_dir: &str, table: &str| {
        let sql = format!("SELECT * FROM {table} LIMIT 1");
        let (out, _) = run(cache_dir, &["query", "--data", d, "--format", "csv", &sql]);
        out.lines().next().unwrap_or_default().to_string()
    };
    for table in ["events", "suspects", "outcomes"] {
        assert_eq!(columns("off", table), columns(c, table), "{table}");
        assert!(!columns(c, table).contains("__"), "{table}");
    }
}

/// A table larger than a slice (`SOTERIA_SLICE_ROWS`) is validated a slice at a time into
/// its copy, and the command reads the copy: the flight deck, the validation report and
/// the quarantine (its rows numbered from the file's first) are those of validating the
/// table whole, and a folder of the same rows in two files gives the same deck.
#[test]
fn a_table_validated_in_slices_gives_what_validating_it_whole_gives() {
    use polars::prelude::*;
    let w = Work::new();
    let data = sample_copy(&w);
    let events = data.join("events.parquet");
    // Some events broken three ways: an unknown type, an unknown crime, no date.
    let mut broken = LazyFrame::scan_parquet(
        PlRefPath::try_from_path(&events).unwrap(),
        ScanArgsParquet::default(),
    )
    .unwrap()
    .with_row_index("i", None)
    .with_columns([
        when((col("i") % lit(997)).eq(lit(5)))
            .then(lit("NOPE"))
            .otherwise(col("event_type"))
            .alias("event_type"),
        when((col("i") % lit(1499)).eq(lit(7)))
            .then(lit("NO-SUCH-CRIME"))
            .otherwise(col("crime_id"))
            .alias("crime_id"),
        when((col("i") % lit(2003)).eq(lit(11)))
            .then(lit(NULL).cast(DataType::Date))
            .otherwise(col("event_date"))
            .alias("event_date"),
    ])
    .drop(cols(["i"]))
    .collect()
    .unwrap();
    let write = |path: &Path, frame: &mut DataFrame| {
        ParquetWriter::new(std::fs::File::create(path).unwrap())
            .with_row_group_size(Some(3_000))
            .finish(frame)
            .unwrap();
    };
    write(&events, &mut broken);
    let run = |cache: &str, slice_rows: &str, args: &[&str]| {
        with_cache_and(
            Path::new(cache),
            &[("SOTERIA_SLICE_ROWS", slice_rows)],
            args,
        )
    };
    let d = data.to_str().unwrap();
    let sliced_cache = w.path("cache");
    let c = sliced_cache.to_str().unwrap();
    let deck = ["flightdeck", "--data", d, "--format", "csv"];
    let (whole_deck, _) = run("off", "4000", &deck);
    let (sliced_deck, said) = run(c, "4000", &deck);
    assert!(said.contains("events: rows 1 to "), "{said}");
    assert!(said.contains("events: validated in slices"), "{said}");
    assert!(
        said.contains("offences: validated in slices"),
        "no crime_id twice: {said}"
    );
    assert_eq!(whole_deck, sliced_deck);
    let (again, said) = run(c, "4000", &deck);
    assert!(said.contains("events: validated copy read"), "{said}");
    assert_eq!(whole_deck, again);

    let (q_whole, q_sliced) = (w.path("q-whole"), w.path("q-sliced"));
    let report = |cache: &str, q: &Path| {
        let args = ["validate", "--data", d, "--format", "json", "--quarantine"];
        let args: Vec<&str> = args.into_iter().chain([q.to_str().unwrap()]).collect();
        run(cache, "4000", &args).0
    };
    let fresh_cache = w.path("cache-2");
    let (whole, sliced) = (
        report("off", &q_whole),
        report(fresh_cache.to_str().unwrap(), &q_sliced),
    );
    assert_eq!(whole, sliced);
    let quarantine = |q: &Path| std::fs::read_to_string(q.join("events.csv")).unwrap();
    assert_eq!(quarantine(&q_whole), quarantine(&q_sliced));
    // 85 unknown types, 57 unknown crimes, 43 undated, fewer where one row breaks two.
    let rows = quarantine(&q_whole).lines().count() - 1;
    assert!((150..=185).contains(&rows), "{rows}");
    let last = quarantine(&q_whole).lines().last().unwrap().to_string();
    let number: usize = last.split(',').next().unwrap().parse().unwrap();
    assert!(
        number > 80_000,
        "rows numbered from the file's first: {last}"
    );

    // The same rows as a folder of two files, each of several slices.
    let folder = data.join("events");
    std::fs::create_dir_all(&folder).unwrap();
    let half = broken.height() as i64 / 2;
    write(
        &folder.join("part-0.parquet"),
        &mut broken.slice(0, half as usize),
    );
    write(
        &folder.join("part-1.parquet"),
        &mut broken.slice(half, broken.height()),
    );
    std::fs::remove_file(&events).unwrap();
    let (folder_deck, said) = run(c, "4000", &deck);
    assert!(said.contains("events: validated in slices"), "{said}");
    assert_eq!(whole_deck, folder_deck);

    // A crime_id twice: the second is a duplicate only validating the whole table can
    // find, so the offences are validated whole, and the report is the same.
    let offences = data.join("offences.parquet");
    let mut twice = ParquetReader::new(std::fs::File::open(&offences).unwrap())
        .finish()
        .unwrap();
    let first = twice.slice(0, 1);
    twice.vstack_mut(&first).unwrap();
    write(&offences, &mut twice);
    let (whole, sliced) = (
        report("off", &w.path("q-3")),
        report(fresh_cache.to_str().unwrap(), &w.path("q-4")),
    );
    assert_eq!(whole, sliced);
    assert!(whole.contains("\"duplicate_crime_id\": 1"), "{whole}");
    let (_, said) = run(c, "4000", &deck);
    assert!(!said.contains("offences: rows 1 to"), "{said}");
    assert!(said.contains("events: validated in slices"), "{said}");
}
