//! Unit tests of the snapshot figures, their text and their comparison.

use super::*;
use crate::resolve::Readings;

fn figure(section: &str, key: &str, value: &str) -> Figure {
    Figure {
        section: section.into(),
        key: key.into(),
        value: value.into(),
    }
}

fn sample() -> Snapshot {
    Snapshot {
        treaty: "t".into(),
        source: "t.toml".into(),
        expression: "tribute snapshot --treaty t".into(),
        info: Info {
            tribute: "0.1.0".into(),
            corpus: "0123456789abcdef".into(),
            readings: "(defaults)".into(),
            books: "(none)".into(),
            layers: vec![
                ("<built-in>".into(), "aaaa".into()),
                (".".into(), "bbbb".into()),
            ],
            used: vec![],
            files: vec![
                ("t.toml".into(), "cccc".into()),
                // A name a YAML plain scalar could not hold.
                ("odd: \"name\".toml".into(), "dddd".into()),
            ],
        },
        figures: vec![
            figure("treaty", "id", "t"),
            figure("totals", "t/annual silver owed", "1000"),
            figure(
                "totals",
                "t/annual silver note",
                "two\nlines \\ and a = sign",
            ),
            figure("claims", "c a = b", "holds"),
        ],
    }
}

#[test]
fn a_snapshot_reads_back_as_written() {
    let s = sample();
    let text = s.text();
    assert!(text.starts_with("---\nsource: \"t.toml\"\n"));
    let stored = parse("t.snap", &text).expect("it parses");
    assert_eq!(stored, s.stored());
    assert_eq!(stored.info.as_ref(), Some(&s.info));
    // One line per figure: the newline in the value is escaped, the ` = ` in the key too.
    assert!(text.contains("t/annual silver note = two\\nlines \\\\ and a = sign\n"));
    assert!(text.contains("c a \\= b = holds\n"));
    assert!(compare(&stored, &s).is_empty());
    // Windows line ends are the same snapshot.
    let crlf = parse("t.snap", &text.replace('\n', "\r\n")).expect("it parses");
    assert_eq!(crlf, stored);
}

#[test]
fn a_difference_names_each_figure_old_and_new_and_what_changed() {
    let old = sample();
    let mut new = sample();
    new.figures[1].value = "1200".into();
    new.figures.remove(3);
    new.figures
        .push(figure("totals", "t/annual silver recorded", "0"));
    new.info.files[0].1 = "eeee".into();
    new.info.tribute = "0.2.0".into();
    let d = compare(&parse("t.snap", &old.text()).expect("parses"), &new);
    let change = |section: &str, key: &str, old: Option<&str>, new: Option<&str>| Change {
        section: section.into(),
        key: key.into(),
        old: old.map(Into::into),
        new: new.map(Into::into),
    };
    assert_eq!(
        d.changes,
        vec![
            change("totals", "t/annual silver owed", Some("1000"), Some("1200")),
            change("totals", "t/annual silver recorded", None, Some("0")),
            change("claims", "c a \\= b", Some("holds"), None),
        ]
    );
    assert_eq!(
        d.causes,
        vec![
            "tribute version 0.1.0 → 0.2.0".to_string(),
            "file t.toml changed (cccc → eeee)".to_string(),
        ]
    );
    // A header that cannot be read costs the explanation, not the comparison.
    let headless = old.text().replacen("info:\n", "info: [\n", 1);
    let d = compare(&parse("t.snap", &headless).expect("parses"), &new);
    assert_eq!(d.changes.len(), 3);
    assert_eq!(d.causes.len(), 1);
    assert!(d.causes[0].contains("cannot be read"), "{:?}", d.causes);
}

#[test]
fn a_bad_line_is_an_error_at_its_line() {
    let text = sample().text();
    let header_lines = text
        .lines()
        .skip(1)
        .position(|l| l == "---")
        .expect("a header")
        + 2;
    let bad = format!("{text}this is not a figure\n");
    let e = parse("snapshots/t.snap", &bad).unwrap_err();
    let lines = text.lines().count();
    assert!(lines > header_lines);
    let at = e.location().expect("located");
    assert_eq!(
        (at.path().as_ref(), at.line(), at.column()),
        ("snapshots/t.snap", lines + 1, 1)
    );
    assert!(e.help_text().is_some_and(|h| h.contains("--accept")));
    let e = parse("t.snap", "no header\n").unwrap_err();
    assert_eq!(e.location().map(|l| l.line()), Some(1));
    let e = parse("t.snap", "---\nsource: x\n").unwrap_err();
    assert!(e.message().contains("never ends"), "{e}");
    let twice = format!("{text}id = t\n");
    let e = parse("t.snap", &twice.replace("[claims]", "[treaty]")).unwrap_err();
    assert!(e.message().contains("twice"), "{e}");
}

#[test]
fn a_field_the_report_types_gain_appears_without_a_change_here() {
    let totals = serde_json::json!({
        "rows": [
            {"group": "t/a", "commodity": "silver", "owed": "10", "recorded": "4",
             "arrears": {"low": "1", "high": "2"}},
            {"group": "t/a", "commodity": "silver", "owed": "3"}
        ],
        "share_delivered": "0.4",
        "note": "prose is left out",
        "empty": []
    });
    let keys: Vec<(String, String)> = flatten("totals", &totals)
        .into_iter()
        .map(|f| (f.key, f.value))
        .collect();
    let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
    assert_eq!(
        keys,
        vec![
            pair("t/a silver arrears.high", "2"),
            pair("t/a silver arrears.low", "1"),
            pair("t/a silver owed", "10"),
            pair("t/a silver recorded", "4"),
            // The same row name twice is told apart, never merged.
            pair("t/a silver #2 owed", "3"),
            pair("share_delivered", "0.4"),
        ]
    );
}

#[test]
fn a_builtin_treaty_snapshot_carries_its_sourced_totals() {
    let layers = [
        crate::plugin::builtin(),
        Layer {
            name: "mine".into(),
            files: Vec::new(),
        },
    ];
    let corpus = Corpus::load(&layers).expect("loads");
    let resolved = Resolved::new(&corpus, &Readings::defaults()).expect("resolves");
    let snaps = Snapshots::new(&corpus, &resolved, &layers, 1, "9.9.9").expect("ready");
    assert!(snaps.home_treaties().is_empty());
    assert!(snaps.books().is_empty());
    let s = snaps.take("song-liao-1005-chanyuan").expect("a snapshot");
    let value = |section: &str, key: &str| {
        s.figures
            .iter()
            .find(|f| f.section == section && f.key == key)
            .map(|f| f.value.clone())
    };
    // history.md §1: 37 payments (1005–1041) of 100,000 taels, then 80 (1042–1121) of
    // 200,000 after the 1042 increase.
    let silver = 37 * 100_000 + 80 * 200_000;
    assert_eq!(
        value("totals", "song-liao-1005-chanyuan/annual silver owed"),
        Some(silver.to_string())
    );
    // And 200,000 bolts of silk, then 300,000.
    let silk = 37 * 200_000 + 80 * 300_000;
    assert_eq!(
        value("totals", "song-liao-1005-chanyuan/annual silk owed"),
        Some(silk.to_string())
    );
    assert_eq!(s.source, "<built-in>/song-liao-1005-chanyuan.toml");
    assert_eq!(s.info.tribute, "9.9.9");
    assert_eq!(s.info.corpus, corpus_digest(&layers).short());
    let files: Vec<&str> = s.info.files.iter().map(|(f, _)| f.as_str()).collect();
    // The amendment that raises and ends the stream lives in another file; it is named.
    assert!(
        files.contains(&"<built-in>/song-liao-1042.toml"),
        "{files:?}"
    );
    assert!(
        files.contains(&"<built-in>/registry/units.toml"),
        "{files:?}"
    );
    assert!(!files.iter().any(|f| f.contains("song-jin")), "{files:?}");
    // Deterministic: the same inputs give the same bytes.
    assert_eq!(
        s.text(),
        snaps.take("song-liao-1005-chanyuan").expect("again").text()
    );
    assert!(!s.text().contains("/tmp"));
}
