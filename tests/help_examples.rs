//! Help with examples (issue 11, item 3): every command's `--help` ends with two or three
//! examples, and every example runs, so they cannot rot. The commands are found from the help
//! itself (its Commands: list, recursively), so a new command without examples fails here.
//! Each example runs in a new empty folder (it may write files there); `> FILE` takes its
//! standard output.

use std::path::Path;

use crate::common::{bin, ok, stderr};

/// The commands a help text lists (without clap's `help`).
fn commands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.strip_prefix("  "))
        // A description that wraps goes on under its name, indented further.
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

/// The example command lines of a help text (`  tribute …` after `Examples:`).
fn examples(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| *l != "Examples:")
        .filter_map(|l| l.strip_prefix("  "))
        .filter(|l| l.starts_with("tribute "))
        .map(str::to_string)
        .collect()
}

/// Runs one example line in `dir`: an optional `> FILE` writes standard output to FILE.
fn run_example(line: &str, dir: &Path) {
    let (command, redirect) = match line.split_once(" > ") {
        Some((c, file)) => (c, Some(file.trim())),
        None => (line, None),
    };
    let words: Vec<&str> = command.split_whitespace().skip(1).collect();
    let out = bin()
        .args(&words)
        .current_dir(dir)
        .output()
        .expect("the binary runs");
    assert!(out.status.success(), "`{line}` failed:\n{}", stderr(&out));
    let wrote_files = std::fs::read_dir(dir).expect("the folder").next().is_some();
    assert!(
        !out.stdout.is_empty() || wrote_files,
        "`{line}` printed and wrote nothing"
    );
    if let Some(file) = redirect {
        std::fs::write(dir.join(file), &out.stdout).expect("written");
    }
}

#[test]
fn every_command_ends_its_help_with_examples_that_run() {
    let mut pending = vec![Vec::<String>::new()];
    let mut seen = 0;
    while let Some(path) = pending.pop() {
        let args: Vec<&str> = path.iter().map(String::as_str).chain(["--help"]).collect();
        let help = ok(&args);
        let shown = examples(&help);
        let name = format!("tribute {}", path.join(" "));
        let name = name.trim_end();
        assert!(
            (2..=3).contains(&shown.len()),
            "`{name} --help` shows {} examples: {shown:?}",
            shown.len()
        );
        for line in &shown {
            assert!(
                line == name || line.starts_with(&format!("{name} ")) || path.is_empty(),
                "`{name} --help` shows an example of another command: {line}"
            );
            let dir = tempfile::tempdir().expect("a folder");
            run_example(line, dir.path());
        }
        for sub in commands(&help) {
            let mut next = path.clone();
            next.push(sub);
            pending.push(next);
        }
        seen += 1;
    }
    // tribute, its 13 commands and the 4 chart kinds.
    assert_eq!(seen, 18, "commands with help");
}

/// The done-when of issue 11, item 4: `tribute ledger --help` shows examples and no journal
/// formats.
#[test]
fn ledger_help_shows_examples_and_no_journal_formats() {
    let help = ok(&["ledger", "--help"]);
    assert!(help.contains("Examples:\n  tribute ledger --payer Song --payee Jin\n"));
    for journal in ["hledger", "beancount", "journal"] {
        assert!(!help.contains(journal), "{journal}");
    }
    // The short help (-h) ends with the same examples.
    assert!(
        ok(&["ledger", "-h"]).contains("Examples:\n  tribute ledger --payer Song --payee Jin\n")
    );
}
