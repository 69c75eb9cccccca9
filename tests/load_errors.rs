//! Issue 2, "bad input": every class of bad input gets an error that names the file, line and
//! column (where the cause is in a file), says how to fix it, exits with status 2 (1 for `check`),
//! and writes no output file. Expected positions are found in each test's own fixture text.

use std::path::Path;

use crate::common::{TREATY, folder, listing, run, stderr};

/// 1-based line and character column of the first `needle` in `text`.
fn pos(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in fixture"));
    let before = &text[..at];
    let line = before.lines().count() + usize::from(before.ends_with('\n') || before.is_empty());
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

/// Runs `tribute --treaties DIR ARGS -o OUT/out.csv` and checks the common promises: exit 2, a
/// help line, and no output file. Returns standard error.
fn fails(dir: &Path, args: &[&str]) -> String {
    let out_dir = tempfile::tempdir().expect("a folder");
    let out_file = out_dir.path().join("out.csv");
    let mut all = vec!["--treaties", dir.to_str().expect("utf-8 path")];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-o", out_file.to_str().expect("utf-8 path")]);
    let out = run(&all);
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(2),
        "expected exit 2 for {args:?}, stderr:\n{err}"
    );
    assert!(err.contains("help:"), "no advice in:\n{err}");
    assert!(
        listing(out_dir.path()).is_empty(),
        "an output file was written: {:?}",
        listing(out_dir.path())
    );
    assert!(
        out.stdout.is_empty(),
        "something was printed on standard output"
    );
    err
}

/// Writes `text` as DIR/t.toml, runs `total`, and checks the error points at `needle`.
fn points_at(text: &str, needle: &str, message: &str) -> String {
    let dir = folder(&[("t.toml", text.as_bytes())]);
    let err = fails(dir.path(), &["total"]);
    let (line, col) = pos(text, needle);
    let place = format!("{}:{line}:{col}", dir.path().join("t.toml").display());
    assert!(err.contains(&place), "expected {place} in:\n{err}");
    assert!(err.contains(message), "expected {message:?} in:\n{err}");
    err
}

#[test]
fn the_fixture_itself_is_valid() {
    let dir = folder(&[("t.toml", TREATY.as_bytes())]);
    let out = run(&[
        "--treaties",
        dir.path().to_str().unwrap(),
        "total",
        "--treaty",
        "t",
        "--format",
        "csv",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    // 10 payments of 100 taels, 1900 to 1909.
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("silver,tael,{}", 10 * 100)));
}

#[test]
fn toml_syntax_error() {
    let text = TREATY.replace("label = \"indemnity\"", "label = \"indemnity");
    // The string runs to the end of its line: the error is just past `"indemnity`.
    let dir = folder(&[("t.toml", text.as_bytes())]);
    let err = fails(dir.path(), &["total"]);
    let (line, _) = pos(&text, "label =");
    let col = "label = \"indemnity".chars().count() + 1;
    assert!(err.contains(&format!("t.toml:{line}:{col}")), "{err}");
    assert!(err.contains("invalid basic string"), "{err}");
}

#[test]
fn unknown_key() {
    let text = TREATY.replace("source = \"s\"\n", "source = \"s\"\ncolour = \"red\"\n");
    let err = points_at(&text, "colour", "unknown field `colour`");
    assert!(
        err.contains("treaty-format.md"),
        "the help should name the format doc:\n{err}"
    );
}

#[test]
fn float_amount() {
    let text = TREATY.replace("\"100 tael\"", "100.5");
    let err = points_at(&text, "100.5", "float");
    assert!(
        err.contains("\"100.5 tael\""),
        "the help should show the string form:\n{err}"
    );
}

#[test]
fn negative_amount() {
    let text = TREATY.replace("\"100 tael\"", "\"-100 tael\"");
    points_at(&text, "\"-100 tael\"", "negative");
}

#[test]
fn unknown_commodity() {
    let text = TREATY.replace("silver = ", "unobtainium = ");
    let err = points_at(&text, "unobtainium", "unknown commodity `unobtainium`");
    assert!(
        err.contains("silver"),
        "the help should list known commodities:\n{err}"
    );
}

#[test]
fn unknown_unit() {
    let text = TREATY.replace("\"100 tael\"", "\"100 furlong\"");
    let err = points_at(&text, "\"100 furlong\"", "unknown unit `furlong`");
    assert!(
        err.contains("catty"),
        "the help should list the units of weight:\n{err}"
    );
}

#[test]
fn unit_of_another_measure() {
    let text = TREATY.replace("\"100 tael\"", "\"100 bolt\"");
    points_at(&text, "\"100 bolt\"", "unit of cloth");
}

#[test]
fn to_before_from() {
    let text = TREATY.replace("to = 1909", "to = 1899");
    points_at(&text, "1899", "`to` (1899) is before `from` (1900)");
}

#[test]
fn amendment_of_an_unknown_treaty() {
    let text = format!(
        "{TREATY}\n[[amendment]]\nid = \"cut\"\naction = \"end\"\ntarget = \"no-such-treaty/annual\"\nfrom = 1905\nsource = \"s\"\n"
    );
    points_at(
        &text,
        "\"no-such-treaty/annual\"",
        "unknown treaty `no-such-treaty`",
    );
}

#[test]
fn amendment_of_an_unknown_obligation() {
    let text = format!(
        "{TREATY}\n[[amendment]]\nid = \"cut\"\naction = \"end\"\ntarget = \"t/nothing\"\nfrom = 1905\nsource = \"s\"\n"
    );
    points_at(&text, "\"t/nothing\"", "no obligation `nothing`");
}

#[test]
fn amendment_cycle_names_both_files() {
    let amend = |other: &str| {
        format!(
            "{TREATY}\n[[amendment]]\nid = \"cut\"\naction = \"end\"\ntarget = \"{other}/annual\"\nfrom = 1905\nsource = \"s\"\n"
        )
    };
    let dir = folder(&[
        ("alpha.toml", amend("beta").as_bytes()),
        ("beta.toml", amend("alpha").as_bytes()),
    ]);
    let err = fails(dir.path(), &["ledger"]);
    assert!(err.contains("cycle"), "{err}");
    for f in ["alpha.toml", "beta.toml"] {
        assert!(
            err.contains(&dir.path().join(f).display().to_string()),
            "{f} not named in:\n{err}"
        );
    }
}

#[test]
fn duplicate_id_in_one_folder_names_both_files() {
    let dir = folder(&[
        ("song/t.toml", TREATY.as_bytes()),
        ("modern/t.toml", TREATY.as_bytes()),
    ]);
    let err = fails(dir.path(), &["list"]);
    assert!(err.contains("defined twice"), "{err}");
    for f in ["song/t.toml", "modern/t.toml"] {
        assert!(
            err.contains(&dir.path().join(f).display().to_string()),
            "{f} not named in:\n{err}"
        );
    }
}

#[test]
fn same_id_in_two_folders_is_an_override_not_an_error() {
    let a = folder(&[("t.toml", TREATY.as_bytes())]);
    let b = folder(&[(
        "t.toml",
        TREATY.replace("\"100 tael\"", "\"7 tael\"").as_bytes(),
    )]);
    let out = run(&[
        "--treaties",
        a.path().to_str().unwrap(),
        "--treaties",
        b.path().to_str().unwrap(),
        "total",
        "--treaty",
        "t",
        "--format",
        "csv",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The later folder wins: 10 payments of 7 taels.
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("silver,tael,{}", 10 * 7)));
}

#[test]
fn unknown_reading_name() {
    let dir = folder(&[("t.toml", TREATY.as_bytes())]);
    let err = fails(dir.path(), &["ledger", "--reading", "no-such-reading"]);
    assert!(
        err.contains("no treaty offers a reading named `no-such-reading`"),
        "{err}"
    );
    // Nothing is close to it, so the help lists the known readings, ten at most (issue 8).
    let listed = err
        .split("known readings: ")
        .nth(1)
        .and_then(|rest| rest.split(" and ").next())
        .unwrap_or_default();
    assert!(
        listed.starts_with("annual, ardouin, ")
            && listed.split(", ").count() == 10
            && err.contains(" more;"),
        "the help should list ten known readings, then how many more:\n{err}"
    );
}

#[test]
fn overflow_names_the_treaty_and_its_obligation() {
    // 79,228,162,514,264,337,593,543,950,335 is the largest exact decimal; ten payments cannot be summed.
    let text = TREATY.replace("\"100 tael\"", "\"79228162514264337593543950335 tael\"");
    let dir = folder(&[("t.toml", text.as_bytes())]);
    for cmd in ["total", "ledger"] {
        let err = fails(dir.path(), &[cmd, "--treaty", "t"]);
        assert!(err.contains("treaty `t`"), "{cmd}: {err}");
        assert!(err.contains("exceeds the range"), "{cmd}: {err}");
        let (line, col) = pos(&text, "[[obligation]]");
        assert!(
            err.contains(&format!("t.toml:{line}:{col}")),
            "{cmd}: expected the obligation's place in:\n{err}"
        );
    }
}

#[test]
fn empty_file() {
    let dir = folder(&[("t.toml", b"")]);
    let err = fails(dir.path(), &["list"]);
    assert!(
        err.contains(&format!("{}:1:1", dir.path().join("t.toml").display())),
        "{err}"
    );
    assert!(err.contains("empty"), "{err}");
}

#[test]
fn non_utf8_file() {
    let mut bytes = b"name = \"".to_vec();
    bytes.push(0xff);
    bytes.extend_from_slice(b"\"\n");
    let dir = folder(&[("t.toml", &bytes)]);
    let err = fails(dir.path(), &["list"]);
    // The bad byte is the 9th character of line 1.
    assert!(
        err.contains(&format!("{}:1:9", dir.path().join("t.toml").display())),
        "{err}"
    );
    assert!(err.contains("not UTF-8"), "{err}");
}

#[test]
fn missing_or_unreadable_treaties_folder() {
    let parent = tempfile::tempdir().expect("a folder");
    let missing = parent.path().join("nowhere");
    let err = fails(&missing, &["list"]);
    assert!(
        err.contains(&missing.display().to_string()) && err.contains("cannot read treaty folder"),
        "{err}"
    );
    // A file where a folder is expected. (Tests run as root in CI, where permission bits cannot
    // make a folder unreadable, so an unreadable folder is exercised through this path.)
    let file = parent.path().join("plain.toml");
    std::fs::write(&file, TREATY).expect("a file");
    let err = fails(&file, &["list"]);
    assert!(err.contains("is not a folder"), "{err}");
}

#[test]
fn check_reports_the_problem_and_exits_2() {
    let text = TREATY.replace("\"100 tael\"", "100.5");
    let dir = folder(&[("t.toml", text.as_bytes())]);
    let out = run(&["--treaties", dir.path().to_str().unwrap(), "check"]);
    // A file that does not load is bad input: 2, as for every command (issue 8).
    assert_eq!(out.status.code(), Some(2));
    let (line, col) = pos(&text, "100.5");
    let place = format!("{}:{line}:{col}", dir.path().join("t.toml").display());
    assert!(stderr(&out).contains(&place), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 problem found"));
}

#[test]
fn an_adjustment_below_zero_is_an_error() {
    // The cut is made by a second treaty (a treaty may not amend itself).
    let text = format!(
        "{TREATY}\n[[amendment]]\nid = \"cut\"\naction = \"adjust\"\ntarget = \"t/annual\"\nfrom = 1905\namounts = {{ silver = \"-150 tael\" }}\nsource = \"s\"\n"
    );
    let dir = folder(&[("t.toml", TREATY.as_bytes()), ("u.toml", text.as_bytes())]);
    let err = fails(dir.path(), &["total"]);
    // 100 − 150 = −50 taels in 1905, the first adjusted year.
    assert!(err.contains("owe -50 tael of silver in 1905"), "{err}");
}

#[test]
fn a_bad_output_path_is_an_error_and_writes_nothing() {
    let out = run(&["list", "-o", "/nonexistent-folder/list.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot write /nonexistent-folder/list.txt"),
        "{}",
        stderr(&out)
    );
}
