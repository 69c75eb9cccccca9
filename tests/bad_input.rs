//! The bad-input catalogue (issue 12, items 6 and 8): one fixture per class of bad input under
//! `tests/fixtures/invalid/`, one named snapshot of its error each (`bad-input@<name>.snap`), so the
//! catalogue grows by adding a file.
//!
//! A fixture `<name>.case` bundles the files of a treaty folder in one text file:
//!
//! ```text
//! # Why this input is bad, in a sentence.
//! # run: total --prices huge          (the command; default `check`)
//! # expect: 2                         (the exit status; default 2, `check` included)
//! # place: t.toml:12:1                (a place the message must name; repeatable)
//! --- t.toml
//! name = "…"
//! --- prices/huge.toml
//! …
//! ```
//!
//! The harness writes the files to a temporary folder, runs `tribute --treaties DIR <run>` and,
//! before the snapshot is taken, asserts the invariants every error must keep: the exit status,
//! each `# place:` named (file:line:col, or the file for a cross-file error), a `help:` line (how
//! to fix it), no panic, and nothing written to standard output but the report. The temporary
//! folder's path is replaced by `[DIR]` in the snapshot.

#![allow(
    clippy::arithmetic_side_effects,
    reason = "test code: an overflow panics and fails the test; no figure a user sees comes from here"
)]

use std::path::Path;

struct Case {
    run: Vec<String>,
    expect: i32,
    places: Vec<String>,
    files: Vec<(String, String)>,
}

fn parse(text: &str) -> Result<Case, String> {
    let mut case = Case {
        run: vec!["check".into()],
        expect: -1,
        places: Vec::new(),
        files: Vec::new(),
    };
    let mut lines = text.lines().peekable();
    let mut why = false;
    while let Some(line) = lines.peek() {
        let Some(comment) = line.strip_prefix('#') else {
            break;
        };
        let comment = comment.trim();
        if let Some(run) = comment.strip_prefix("run:") {
            case.run = run.split_whitespace().map(str::to_string).collect();
        } else if let Some(code) = comment.strip_prefix("expect:") {
            case.expect = code.trim().parse().map_err(|e| format!("expect: {e}"))?;
        } else if let Some(place) = comment.strip_prefix("place:") {
            case.places.push(place.trim().to_string());
        } else {
            why = true;
        }
        lines.next();
    }
    if !why {
        return Err("a case opens with a comment saying why the input is bad".into());
    }
    for line in lines {
        if let Some(name) = line.strip_prefix("--- ") {
            case.files.push((name.trim().to_string(), String::new()));
        } else if let Some((_, body)) = case.files.last_mut() {
            body.push_str(line);
            body.push('\n');
        } else if !line.trim().is_empty() {
            return Err(format!("text before the first `--- FILE` line: {line}"));
        }
    }
    if case.expect < 0 {
        // Bad input: every command, `check` included, exits 2.
        case.expect = 2;
    }
    Ok(case)
}

fn bad_input(path: &Path) -> datatest_stable::Result<()> {
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or("a file name")?
        .to_string();
    let case = parse(&std::fs::read_to_string(path)?)?;
    let dir = tempfile::tempdir()?;
    for (rel, body) in &case.files {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().ok_or("a parent")?)?;
        std::fs::write(p, body)?;
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tribute"))
        .arg("--treaties")
        .arg(dir.path())
        .args(&case.run)
        .env_remove("TRIBUTE_PATH")
        .output()?;
    let shown = dir.path().display().to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).replace(&shown, "[DIR]");
    let code = out.status.code().unwrap_or(-1);
    if code != case.expect {
        return Err(format!("exit status {code}, not {}:\n{stderr}", case.expect).into());
    }
    if stderr.contains("panicked") {
        return Err(format!("a panic:\n{stderr}").into());
    }
    for place in &case.places {
        if !stderr.contains(&format!("[DIR]/{place}")) {
            return Err(format!("the message does not name [DIR]/{place}:\n{stderr}").into());
        }
    }
    if !stderr.contains("help:") {
        return Err(format!("no help line:\n{stderr}").into());
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_input_file(path);
    settings.bind(|| insta::assert_snapshot!(format!("bad-input@{name}"), stderr));
    Ok(())
}

datatest_stable::harness! {
    { test = bad_input, root = "../../tests/fixtures/invalid", pattern = r"^[^/]+\.case$" },
}
