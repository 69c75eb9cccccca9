//! Issue 2, output formats: csv and json are plain, exact contracts for scripts; tables and
//! Markdown are for people; `-o` writes atomically; a closed pipe is not an error.

use std::io::Read;
use std::process::Stdio;

use crate::common::{dec, listing, ok};

const TOTAL: [&str; 6] = ["total", "--payer", "Song", "--payee", "Liao", "--to"];

#[test]
fn json_amounts_are_exact_decimal_strings() {
    let text = ok(&[
        "ledger", "--payer", "Song", "--payee", "Jin", "--format", "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid json");
    let rows = v["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 1234 - 1123 + 1);
    assert_eq!(rows[0]["year"], 1123);
    for row in rows {
        for key in [
            "owed",
            "recorded",
            "assumed",
            "arrears",
            "settled",
            "cum_owed",
            "cum_recorded",
            "cum_assumed",
        ] {
            for (_, amount) in row[key].as_object().expect("an object of amounts") {
                let s = amount.as_str().expect("amounts are strings");
                assert!(!s.contains(','), "no separators: {s}");
                dec(s);
            }
        }
    }
    // 1142 (Shaoxing, Bielenstein p.629): 250,000 taels.
    assert_eq!(rows[(1142 - 1123) as usize]["owed"]["silver"], "250000");
    assert!(
        v["commodities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == "silver" && c["unit"] == "tael")
    );
}

#[test]
fn csv_has_plain_numbers_and_tables_group_thousands() {
    let mut args = TOTAL.to_vec();
    args.extend(["1121", "--format", "csv"]);
    let csv = ok(&args);
    assert!(
        csv.contains(",19700000,") && !csv.contains("19,700,000"),
        "{csv}"
    );
    let mut args = TOTAL.to_vec();
    args.push("1121");
    let table = ok(&args);
    assert!(table.contains("19,700,000"), "{table}");
    let mut args = TOTAL.to_vec();
    args.extend(["1121", "--format", "markdown"]);
    let md = ok(&args);
    assert!(
        md.lines().nth(1).is_some_and(|l| l.contains("---:")),
        "{md}"
    );
    assert!(
        md.contains("| Song → Liao | silver | tael | 19,700,000 |"),
        "{md}"
    );
}

#[test]
fn output_file_is_written_whole_and_alone() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ledger.csv");
    let args = [
        "ledger", "--payer", "Song", "--payee", "Liao", "--format", "csv",
    ];
    let mut with_o = args.to_vec();
    with_o.extend(["-o", file.to_str().unwrap()]);
    assert!(
        ok(&with_o).is_empty(),
        "nothing on standard output when -o is given"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), ok(&args));
    assert_eq!(
        listing(dir.path()),
        vec!["ledger.csv"],
        "no temporary file is left behind"
    );
    let mut dash = args.to_vec();
    dash.extend(["-o", "-"]);
    assert_eq!(ok(&dash), ok(&args));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tribute"))
        .args(["ledger", "--payer", "Song", "--format", "json"])
        .env_remove("TRIBUTE_PATH")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
