//! Manual pages (issue 11, item 3): `tribute man --dir DIR` writes a page for tribute and for
//! every command; `docs/man/` holds them as generated (with `TRIBUTE_BLESS_DOCS=1` the folder is
//! rewritten instead: review the diff), and each renders without a warning. The renderer is
//! `groff -man -Tutf8 -ww` (what `man -l` runs), and `man -l` itself where installed. `.ci/run`
//! installs both, so under `CI=true` a missing one fails; elsewhere it is skipped with a note.

use std::path::Path;
use std::process::Command;

use crate::common::{ok, root, run, stderr};

fn has(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Rendered text without the overstrikes that mark bold and underline (`N\bN`, `_\bx`).
fn plain(text: &str) -> String {
    let mut out: Vec<char> = Vec::new();
    for ch in text.chars() {
        if ch == '\u{8}' {
            // The character after a backspace replaces the one before it.
            out.pop();
        } else {
            out.push(ch);
        }
    }
    out.into_iter().collect()
}

fn pages(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .expect("a folder")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "1"))
        .map(|p| {
            (
                p.file_name()
                    .expect("a name")
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read_to_string(&p).expect("a page"),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn docs_man_holds_every_page_as_generated() {
    let dir = tempfile::tempdir().expect("a folder");
    let listing = ok(&["man", "--dir", dir.path().to_str().expect("utf-8")]);
    let generated = pages(dir.path());
    assert_eq!(listing.lines().count(), generated.len());
    let names: Vec<&str> = generated.iter().map(|(n, _)| n.as_str()).collect();
    for page in [
        "tribute.1",
        "tribute-ledger.1",
        "tribute-chart.1",
        "tribute-chart-burden.1",
        "tribute-man.1",
    ] {
        assert!(names.contains(&page), "no {page} in {names:?}");
    }
    let docs = root().join("docs/man");
    if std::env::var_os("TRIBUTE_BLESS_DOCS").is_some() {
        let _ = std::fs::remove_dir_all(&docs);
        std::fs::create_dir_all(&docs).expect("docs/man");
        for (name, text) in &generated {
            std::fs::write(docs.join(name), text).expect("written");
        }
    }
    assert_eq!(
        pages(&docs),
        generated,
        "docs/man/ differs from `tribute man --dir`: run the tests with TRIBUTE_BLESS_DOCS=1 and review the diff"
    );
    // One page at a time, as `tribute man [COMMAND]` prints it.
    let page = |name: &str| &generated.iter().find(|(n, _)| n == name).expect("a page").1;
    assert_eq!(&ok(&["man"]), page("tribute.1"));
    assert_eq!(&ok(&["man", "ledger"]), page("tribute-ledger.1"));
    assert_eq!(
        &ok(&["man", "chart", "burden"]),
        page("tribute-chart-burden.1")
    );
    let out = run(&["man", "ledgr"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`tribute` has no command `ledgr`; its commands: list, show, ledger"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn every_page_renders_without_a_warning() {
    let ci = std::env::var_os("CI").is_some_and(|v| v == "true");
    if !has("groff") {
        assert!(!ci, "groff is missing, and CI=true: .ci/run installs it");
        eprintln!("note: groff is not installed; the man pages' rendering is not checked");
        return;
    }
    for (name, _) in pages(&root().join("docs/man")) {
        let out = Command::new("groff")
            .args(["-man", "-Tutf8", "-ww"])
            .arg(root().join("docs/man").join(&name))
            .output()
            .expect("groff runs");
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert!(out.stderr.is_empty(), "{name}: {}", stderr(&out));
        let text = plain(&String::from_utf8_lossy(&out.stdout));
        assert!(text.contains("NAME") && text.contains("SYNOPSIS"), "{name}");
    }
    if !has("man") {
        assert!(!ci, "man is missing, and CI=true: .ci/run installs it");
        eprintln!("note: man is not installed; `man -l` is not tried");
        return;
    }
    let out = Command::new("man")
        .arg("-l")
        .arg(root().join("docs/man/tribute-ledger.1"))
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "100")
        .output()
        .expect("man runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    // man may mark bold with backspaces when it thinks it writes to a terminal; strip them.
    let plain: String = text
        .split('\u{8}')
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part
            } else {
                part.get(1..).unwrap_or("")
            }
        })
        .collect();
    for line in [
        "EXAMPLES",
        "tribute ledger --payer Song --payee Jin",
        "--commodity <C>",
    ] {
        assert!(
            plain.contains(line),
            "`man -l tribute-ledger.1` lacks {line}:\n{plain}"
        );
    }
}
