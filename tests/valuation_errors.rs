//! Issue 3: bad input in price books and claims is an error at file:line:col with exit status 2
//! (1 for `check`, which reports problems), never skipped. Each error is snapshot
//! (`price-book-error@…`, `claim-error@…`, `compare-error@…`) after its location is asserted.

use std::path::Path;

use crate::common::{folder, run, stderr};

const HEAD: &str = "name = \"Bad\"\nnumeraire = \"unit\"\nsources = [\"chc-6\"]\n";

/// Runs `compare` with a book `prices/bad.toml` holding `rates`; returns standard error with the
/// temporary folder replaced by `[DIR]`, after checking exit status 2.
fn bad_book(rates: &str) -> String {
    let text = format!("{HEAD}{rates}");
    let dir = folder(&[("prices/bad.toml", text.as_bytes())]);
    let path = dir.path().display().to_string();
    let out = run(&[
        "compare",
        "jin-demand-1126",
        "--against",
        "song-jin-1123",
        "--treaties",
        &path,
        "--prices",
        "bad",
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "exit status 2 expected:\n{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty(), "nothing on standard output");
    stderr(&out).replace(&path, "[DIR]")
}

fn snap(kind: &str, name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(format!("{kind}@{name}"), text));
}

#[test]
fn a_float_rate_is_an_error_at_its_place() {
    let err = bad_book("\n[[rate]]\ncommodity = \"gold\"\ncentral = 10.5\n");
    assert!(
        err.starts_with(
            "error: [DIR]/prices/bad.toml:7:11: `10.5` is a TOML float, and floats lose digits"
        ),
        "{err}"
    );
    snap("price-book-error", "float-rate.toml", &err);
}

#[test]
fn an_unknown_commodity_is_an_error_at_its_place() {
    let err = bad_book("\n[[rate]]\ncommodity = \"jade\"\ncentral = \"3\"\n");
    assert!(
        err.starts_with("error: [DIR]/prices/bad.toml:6:13: unknown commodity `jade`"),
        "{err}"
    );
    snap("price-book-error", "unknown-commodity.toml", &err);
}

#[test]
fn low_above_high_is_an_error_at_its_place() {
    let err = bad_book(
        "\n[[rate]]\ncommodity = \"gold\"\nlow = \"13\"\ncentral = \"10\"\nhigh = \"6\"\n",
    );
    assert!(
        err.starts_with("error: [DIR]/prices/bad.toml:7:7: low (13) is above central (10)"),
        "{err}"
    );
    snap("price-book-error", "low-above-high.toml", &err);
    let err = bad_book("\n[[rate]]\ncommodity = \"gold\"\ncentral = \"10\"\nhigh = \"6\"\n");
    assert!(
        err.starts_with("error: [DIR]/prices/bad.toml:8:8: high (6) is below central (10)"),
        "{err}"
    );
}

#[test]
fn overlapping_rates_zero_rates_unknown_keys_and_unknown_sources_are_errors() {
    let err = bad_book(
        "\n[[rate]]\ncommodity = \"silk\"\nto = 1130\ncentral = \"1\"\n\n[[rate]]\ncommodity = \"silk\"\nfrom = 1127\ncentral = \"2\"\n",
    );
    assert!(err.starts_with("error: [DIR]/prices/bad.toml:11:13: two rates for silk cover the same years: this one (from 1127) and the one at line 6 (to 1130)"), "{err}");
    snap("price-book-error", "overlapping-rates.toml", &err);
    let err = bad_book("\n[[rate]]\ncommodity = \"silk\"\ncentral = \"0\"\n");
    assert!(
        err.starts_with("error: [DIR]/prices/bad.toml:7:11: rate 0 is not above zero"),
        "{err}"
    );
    let err = bad_book("\n[[rate]]\ncommodity = \"silk\"\ncentral = \"1\"\nprice = \"2\"\n");
    assert!(
        err.starts_with("error: [DIR]/prices/bad.toml:8:1: unknown field `price`"),
        "{err}"
    );
    assert!(
        err.contains("docs/price-books.md"),
        "the help points at the price-book page: {err}"
    );
    let err = bad_book("\n[[rate]]\ncommodity = \"silk\"\ncentral = \"1\"\nsource = \"nobody\"\n");
    assert!(
        err.starts_with("error: [DIR]/prices/bad.toml:8:10: unknown source `nobody`"),
        "{err}"
    );
    let err =
        bad_book("\n[[rate]]\ncommodity = \"silk\"\ncentral = \"1\"\nfrom = 1130\nto = 1120\n");
    assert!(
        err.starts_with("error: [DIR]/prices/bad.toml:9:6: `to` (1120) is before `from` (1130)"),
        "{err}"
    );
}

#[test]
fn a_bad_book_fails_every_command_and_check_reports_it() {
    let text = format!("{HEAD}\n[[rate]]\ncommodity = \"gold\"\ncentral = 10.5\n");
    let dir = folder(&[("prices/bad.toml", text.as_bytes())]);
    let path = dir.path().display().to_string();
    // The book is read when the corpus loads, even by a command that does not use it.
    let out = run(&["list", "--treaties", &path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("prices/bad.toml:7:11"),
        "{}",
        stderr(&out)
    );
    // A book that does not load is bad input: check lists it and exits 2 (issue 8).
    let out = run(&["check", "--treaties", &path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("prices/bad.toml:7:11"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_unknown_book_name_is_an_error() {
    for args in [
        &[
            "compare",
            "jin-demand-1126",
            "--against",
            "song-jin-1123",
            "--prices",
            "nosuch",
        ][..],
        &["ledger", "--payer", "Song", "--prices", "nosuch"][..],
        &["total", "--prices", "nosuch"][..],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.starts_with("error: no price book `nosuch` is loaded"),
            "{err}"
        );
        assert!(
            err.contains(
                "known price books: boxer-parities, franc-usd-1838, franc-usd-2024, song-cash, song-silver, units"
            ),
            "{err}"
        );
        if args[0] == "compare" {
            snap("compare-error", "unknown-book", &err);
        }
    }
}

#[test]
fn bad_compare_arguments_are_errors() {
    for (args, message) in [
        (
            &[
                "compare",
                "jin-demand-1126",
                "--against",
                "nosuch",
                "--prices",
                "units",
            ][..],
            "no treaty `nosuch` is loaded",
        ),
        (
            &[
                "compare",
                "jin-demand-1126",
                "--against",
                "song-jin-1123",
                "--solve",
                "gold=180",
            ][..],
            "--solve needs a price book",
        ),
        (
            &[
                "compare",
                "jin-demand-1126",
                "--against",
                "song-jin-1123",
                "--prices",
                "units",
                "--solve",
                "jade=180",
            ][..],
            "--solve: unknown commodity `jade`",
        ),
        (
            &[
                "compare",
                "jin-demand-1126",
                "--against",
                "song-jin-1123",
                "--prices",
                "units",
                "--solve",
                "gold",
            ][..],
            "--solve takes COMMODITY=TARGET",
        ),
        (
            &[
                "compare",
                "jin-demand-1126",
                "--against",
                "song-jin-1138",
                "--prices",
                "units",
                "--year",
                "1100",
            ][..],
            "owe nothing in 1100",
        ),
        (
            &[
                "compare",
                "jin-demand-1126",
                "--against",
                "jin-demand-1126",
                "--prices",
                "units",
            ][..],
            "has no recurring obligation",
        ),
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
    }
}

const CLAIM_TREATY: &str = r#"name = "Claimant"
payer = "Song"
payee = "Jin"
signed = 1130
status = "demand"
label = "indemnity"

[[obligation]]
id = "sum"
schedule = "one-time"
year = 1130
amounts = { silver = "1_000_000 tael" }
source = "article"
"#;

fn bad_claim(claim: &str) -> (i32, String) {
    let text = format!("{CLAIM_TREATY}\n{claim}");
    let dir = folder(&[("claimant.toml", text.as_bytes())]);
    let path = dir.path().display().to_string();
    let out = run(&["check", "--treaties", &path]);
    (
        out.status.code().unwrap_or(-1),
        stderr(&out).replace(&path, "[DIR]"),
    )
}

#[test]
fn a_malformed_claim_is_an_error_not_information() {
    let (code, err) = bad_claim(
        "[[claim]]\nid = \"x\"\nstatement = \"s\"\ncompare = \"claimant\"\nagainst = \"nosuch\"\nvalue = \"10\"\ntolerance = \"1\"\nunit = \"years\"\nsource = \"article\"\n",
    );
    assert_eq!(
        code, 2,
        "check reports the problem of a file that does not load: {err}"
    );
    assert!(
        err.starts_with(
            "error: [DIR]/claimant.toml:19:11: this claim refers to unknown treaty `nosuch`"
        ),
        "{err}"
    );
    snap("claim-error", "unknown-treaty.toml", &err);
    let (code, err) = bad_claim(
        "[[claim]]\nid = \"x\"\nstatement = \"s\"\ncompare = \"claimant\"\nagainst = \"song-jin-1123\"\nvalue = 180.5\ntolerance = \"1\"\nunit = \"years\"\nsource = \"article\"\n",
    );
    assert_eq!(code, 2, "a float in a file: the file does not load");
    assert!(
        err.starts_with("error: [DIR]/claimant.toml:20:9: `180.5` is a TOML float"),
        "{err}"
    );
    let (code, err) = bad_claim(
        "[[claim]]\nid = \"x\"\nstatement = \"s\"\ncompare = \"claimant\"\nagainst = \"song-jin-1123\"\nvalue = \"180\"\ntolerance = \"1\"\nunit = \"decades\"\nsource = \"article\"\n",
    );
    assert_eq!(code, 2, "an unknown unit: the file does not load");
    assert!(
        err.starts_with("error: [DIR]/claimant.toml:22:8: unknown claim unit `decades`"),
        "{err}"
    );
    // A claim that is well formed but false is not a problem.
    let (code, err) = bad_claim(
        "[[claim]]\nid = \"x\"\nstatement = \"s\"\ncompare = \"claimant\"\nagainst = \"song-jin-1123\"\nvalue = \"1000\"\ntolerance = \"5%\"\nunit = \"years\"\nsource = \"article\"\n",
    );
    assert_eq!(code, 0, "{err}");
}
