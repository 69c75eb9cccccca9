//! Every example in `docs/*.md` is run, so the guide cannot drift from the program:
//! - a ```console block's `$ tribute …` lines are run from the repository root, and standard output
//!   must equal the lines shown under each (with `TRIBUTE_BLESS_DOCS=1` the pages are rewritten
//!   with the actual output instead: review the diff before committing);
//! - a ```text block that starts with `$ tribute …` is an excerpt: its other lines must appear in
//!   the command's output, in order;
//! - a ```toml or ```csv block whose first line is `# path: FILE` must equal FILE
//!   (repository-relative); one whose first line is `# excerpt: FILE` must appear in FILE as
//!   written.

use std::path::Path;

use crate::common::root;

/// Splits a command line on spaces, keeping "double-quoted" words together.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for ch in line.chars() {
        match ch {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            _ => cur.push(ch),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn run_line(line: &str) -> String {
    let args = words(line.trim_start_matches("$ tribute"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tribute"))
        .args(&args)
        .current_dir(root())
        .env_remove("TRIBUTE_PATH")
        .env_remove("COLUMNS")
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "`{line}` failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Checks (or, when blessing, rewrites) one page; returns the problems found.
fn check_page(path: &Path, bless: bool) -> Vec<String> {
    let page = path
        .strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string();
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{page}: {e}"));
    let mut problems = Vec::new();
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    let mut console_blocks = 0;
    while let Some(line) = lines.next() {
        out.push_str(line);
        out.push('\n');
        match line.trim() {
            "```console" => {
                console_blocks += 1;
                while let Some(cmd) = lines.next() {
                    if cmd.trim() == "```" {
                        out.push_str(cmd);
                        out.push('\n');
                        break;
                    }
                    assert!(
                        cmd.starts_with("$ tribute"),
                        "{page}: console lines must start with `$ tribute`: {cmd}"
                    );
                    let mut shown = String::new();
                    while let Some(next) = lines.peek() {
                        if next.starts_with("$ ") || next.trim() == "```" {
                            break;
                        }
                        shown.push_str(next);
                        shown.push('\n');
                        lines.next();
                    }
                    let actual = run_line(cmd);
                    if actual.trim_end() != shown.trim_end() {
                        problems.push(format!(
                            "{page}: `{cmd}` prints\n{actual}\nbut the page shows\n{shown}"
                        ));
                    }
                    out.push_str(cmd);
                    out.push('\n');
                    out.push_str(if bless { &actual } else { &shown });
                }
            }
            "```text" if lines.peek().is_some_and(|l| l.starts_with("$ tribute")) => {
                let cmd = lines.next().unwrap_or_default().to_string();
                out.push_str(&cmd);
                out.push('\n');
                let actual = run_line(&cmd);
                let mut rest = actual.lines();
                for shown in lines.by_ref() {
                    out.push_str(shown);
                    out.push('\n');
                    if shown.trim() == "```" {
                        break;
                    }
                    if !rest.any(|l| l == shown) {
                        problems.push(format!("{page}: the excerpt of `{cmd}` shows a line its output does not have (in this order):\n{shown}\noutput:\n{actual}"));
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    let _ = console_blocks;
    let blocks = text
        .split("```toml\n")
        .skip(1)
        .chain(text.split("```csv\n").skip(1));
    for block in blocks {
        let body = block.split("```").next().unwrap_or_default();
        let mut body_lines = body.lines();
        let first = body_lines.next().unwrap_or_default();
        let rest: String = body_lines.map(|l| format!("{l}\n")).collect();
        if let Some(file) = first.strip_prefix("# path: ") {
            let on_disk = std::fs::read_to_string(root().join(file.trim())).unwrap_or_default();
            if on_disk != rest {
                problems.push(format!(
                    "{page}: the `# path: {file}` block differs from the file"
                ));
            }
        } else if let Some(file) = first.strip_prefix("# excerpt: ") {
            let on_disk = std::fs::read_to_string(root().join(file.trim())).unwrap_or_default();
            if !on_disk.contains(&rest) {
                problems.push(format!(
                    "{page}: the `# excerpt: {file}` block is not in the file as written"
                ));
            }
        }
    }
    if bless && out != text {
        std::fs::write(path, out).expect("writable docs");
    }
    problems
}

#[test]
fn every_console_example_in_the_docs_runs_as_shown() {
    let bless = std::env::var_os("TRIBUTE_BLESS_DOCS").is_some();
    let mut pages: Vec<_> = std::fs::read_dir(root().join("docs"))
        .expect("docs/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    assert!(pages.len() >= 3, "docs/ should hold the guide pages");
    let problems: Vec<String> = pages.iter().flat_map(|p| check_page(p, bless)).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n---\n"));
}

/// The example of `docs/treaty-format.md`, loaded from a folder of its own as a newcomer would:
/// `check` accepts it and the totals are the treaty's five billion francs.
#[test]
fn the_treaty_format_example_loads_from_its_own_folder() {
    let page = std::fs::read_to_string(root().join("docs/treaty-format.md")).expect("the page");
    let block = page
        .split("```toml\n# path: docs/examples/example-france-germany-1871.toml\n")
        .nth(1)
        .expect("the example block");
    let body = block.split("```").next().expect("a closed block");
    let dir = crate::common::folder(&[("example-france-germany-1871.toml", body.as_bytes())]);
    let d = dir.path().to_str().expect("utf-8");
    let out = crate::common::run(&["--treaties", d, "check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        crate::common::stderr(&out)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("example-france-germany-1871.toml"));
    let (h, rows) = crate::common::csv_rows(&crate::common::ok(&[
        "--treaties",
        d,
        "total",
        "--treaty",
        "example-france-germany-1871",
        "--format",
        "csv",
    ]));
    assert_eq!(rows.len(), 1);
    // One billion in 1871 plus four billion in installments.
    let expected = crate::common::dec("1000000000") + crate::common::dec("4000000000");
    assert_eq!(
        crate::common::dec(crate::common::col(&h, &rows[0], "owed")),
        expected
    );
    // The installments add up exactly whatever the split: the csv of `show` lists each part.
    let (h, rows) = crate::common::csv_rows(&crate::common::ok(&[
        "--treaties",
        d,
        "show",
        "example-france-germany-1871",
        "--format",
        "csv",
    ]));
    let balance: rust_decimal::Decimal = rows
        .iter()
        .filter(|r| r[0].ends_with("/balance"))
        .map(|r| crate::common::dec(crate::common::col(&h, r, "total")))
        .sum();
    assert_eq!(balance, crate::common::dec("4000000000"));
}
