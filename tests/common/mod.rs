//! Shared helpers for the end-to-end tests: running the built `tribute` binary, temporary
//! treaty folders, and exact decimals. Nothing here computes an expected figure.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use rust_decimal::Decimal;

/// The binary under test, without the environment variables that change its output
/// (TRIBUTE_PATH adds treaties; COLUMNS fits tables to a width, as tests/terminal_width.rs
/// sets it).
pub fn bin() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_tribute"));
    cmd.env_remove("TRIBUTE_PATH").env_remove("COLUMNS");
    cmd
}

/// Runs `tribute ARGS` and returns its output (whatever the exit status).
pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("the binary runs")
}

/// Runs and requires success; returns standard output.
pub fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "tribute {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Runs another tool (hledger, bean-check…), which must succeed; its standard output as text.
/// A failure shows the tool's standard error.
pub fn succeeds(command: &mut std::process::Command) -> String {
    let name = command.get_program().to_string_lossy().into_owned();
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("{name} does not run: {e}"));
    assert!(out.status.success(), "{name}: {}", stderr(&out));
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Standard error as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// An exact decimal from text.
pub fn dec(s: &str) -> Decimal {
    Decimal::from_str_exact(s).expect("a decimal")
}

/// Parses CSV text into header and rows.
pub fn csv_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = r
        .records()
        .map(|rec| rec.expect("a record").iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// The value in column `key` of a CSV row.
pub fn col<'a>(header: &[String], row: &'a [String], key: &str) -> &'a str {
    let i = header
        .iter()
        .position(|h| h == key)
        .unwrap_or_else(|| panic!("no column {key} in {header:?}"));
    &row[i]
}

/// A temporary folder holding the given files (relative path, contents).
pub fn folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (rel, bytes) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
        std::fs::write(&path, bytes).expect("a file");
    }
    dir
}

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Files in a folder, sorted (to show that nothing was written).
pub fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("readable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A small valid treaty (payer `Haiti`, payee `France`, parties of the built-in registry; 100
/// taels of silver a year, 1900–1909); tests break or extend it.
pub const TREATY: &str = r#"name = "Test treaty"
payer = "Haiti"
payee = "France"
signed = 1900
status = "in-force"
label = "indemnity"

[source.s]
title = "A test source"
quality = "A"

[[obligation]]
id = "annual"
schedule = "recurring"
from = 1900
to = 1909
amounts = { silver = "100 tael" }
source = "s"
"#;

/// Runs `tribute ARGS --format json`, requires success, and parses the output.
pub fn json(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str(&ok(&all)).expect("json output")
}

/// A JSON decimal string as an exact decimal.
pub fn d(v: &serde_json::Value) -> Decimal {
    dec(v
        .as_str()
        .unwrap_or_else(|| panic!("a decimal string, got {v}")))
}
