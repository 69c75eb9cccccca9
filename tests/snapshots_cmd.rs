//! `tribute snapshot`: writing, checking and accepting snapshots of a user's own treaties in
//! DIR/snapshots (issue 13), and the corpus digest of `tribute --version` (issue 11, item 3).
//!
//! Every expected figure is worked out here from the treaty text the test writes.

use std::path::Path;

use crate::common::{TREATY, folder, ok, run, stderr};

fn out(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn snapshot(dir: &Path, extra: &[&str]) -> std::process::Output {
    let d = dir.to_str().expect("utf-8");
    let mut args = vec!["--treaties", d, "snapshot"];
    args.extend(extra);
    run(&args)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The acceptance test of issue 13, exactly: snapshot, check (0), edit one amount, check (1,
/// naming the treaty, the figure, old and new), accept, check (0).
#[test]
fn snapshot_check_edit_accept_check() {
    let dir = folder(&[("t.toml", TREATY.as_bytes())]);
    let snap = dir.path().join("snapshots/t.snap");

    let o = snapshot(dir.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out(&o).contains("t: new, written to"), "{}", out(&o));
    assert!(snap.is_file());
    // TREATY: 100 taels a year, 1900–1909: ten payments, 1,000 taels owed.
    let written = read(&snap);
    assert!(
        written.contains("t/annual silver owed = 1000\n"),
        "{written}"
    );

    let o = snapshot(dir.path(), &["--check"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), stderr(&o));
    assert!(out(&o).contains("t: unchanged"), "{}", out(&o));

    // One amount edited: 100 → 120 taels a year.
    let file = dir.path().join("t.toml");
    let edited = TREATY.replace(r#"silver = "100 tael""#, r#"silver = "120 tael""#);
    assert_ne!(edited, TREATY);
    std::fs::write(&file, &edited).expect("writable");
    let o = snapshot(dir.path(), &["--check"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", out(&o), stderr(&o));
    let text = out(&o);
    // Ten payments of 120 taels: 1,200 owed, all of it principal, and as delivered (as owed).
    let (old, new) = (10 * 100, 10 * 120);
    assert!(text.starts_with("t: 5 figures differ from "), "{text}");
    assert!(
        text.contains(&format!(
            "[totals] t/annual silver principal: {old} → {new}\n"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("[totals] t/annual silver owed: {old} → {new}\n")),
        "{text}"
    );
    assert!(
        text.contains("[payments] t/annual 1900 silver each: 100 → 120\n"),
        "{text}"
    );
    assert!(
        text.contains("since the snapshot: file t.toml changed"),
        "{text}"
    );
    // --check wrote nothing.
    assert_eq!(read(&snap), written);

    let o = snapshot(dir.path(), &["--accept"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), stderr(&o));
    assert!(read(&snap).contains(&format!("t/annual silver owed = {new}\n")));
    let o = snapshot(dir.path(), &["--check"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), stderr(&o));
}

/// A written snapshot is an insta snapshot: insta's own reader takes it, with its header.
#[test]
fn a_written_snapshot_loads_with_insta() {
    let dir = folder(&[("t.toml", TREATY.as_bytes())]);
    assert_eq!(snapshot(dir.path(), &[]).status.code(), Some(0));
    let path = dir.path().join("snapshots/t.snap");
    let snap = insta::Snapshot::from_file(&path).expect("insta reads it");
    assert_eq!(
        snap.metadata().expression(),
        Some("tribute snapshot --treaty t")
    );
    assert_eq!(snap.metadata().source(), Some("t.toml"));
    let body = snap.as_text().expect("a text snapshot").to_string();
    let file = read(&path);
    let after_header = file.splitn(3, "---\n").nth(2).expect("a header");
    assert_eq!(body, after_header.trim_end());
    assert!(body.contains("[totals]\n"));

    // A pending snapshot (--check --pending) is one too, for `cargo insta review`.
    let edited = TREATY.replace("to = 1909", "to = 1910");
    std::fs::write(dir.path().join("t.toml"), edited).expect("writable");
    let o = snapshot(dir.path(), &["--check", "--pending"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let pending = dir.path().join("snapshots/t.snap.new");
    let new = insta::Snapshot::from_file(&pending).expect("insta reads the pending one");
    // Eleven payments now.
    let body = new.as_text().expect("text").to_string();
    assert!(body.contains("t/annual silver owed = 1100"), "{body}");
    // Accepting takes the new figures and clears the pending file.
    assert_eq!(snapshot(dir.path(), &["--accept"]).status.code(), Some(0));
    assert!(!pending.exists());
    assert!(read(&path).contains("t/annual silver owed = 1100"));
    // A pending file whose figures match again is stale: a plain run removes it.
    std::fs::write(dir.path().join("t.toml"), TREATY).expect("writable");
    assert_eq!(
        snapshot(dir.path(), &["--check", "--pending"])
            .status
            .code(),
        Some(1)
    );
    assert!(pending.exists());
    let eleven = TREATY.replace("to = 1909", "to = 1910");
    std::fs::write(dir.path().join("t.toml"), eleven).expect("writable");
    assert_eq!(snapshot(dir.path(), &[]).status.code(), Some(0));
    assert!(!pending.exists());
}

/// `snapshot` writes what is missing but never overwrites a snapshot whose figures differ; a
/// change that moves no figure leaves the file as it was.
#[test]
fn snapshot_never_overwrites_a_changed_one_and_keeps_unchanged_files() {
    let dir = folder(&[("t.toml", TREATY.as_bytes())]);
    assert_eq!(snapshot(dir.path(), &[]).status.code(), Some(0));
    let path = dir.path().join("snapshots/t.snap");
    let first = read(&path);

    // A note is not a figure: the check passes and the file is not rewritten, although the
    // treaty file's digest (in the header) changed.
    let noted = TREATY.replace(
        "label = \"indemnity\"\n",
        "label = \"indemnity\"\nnotes = \"A note.\"\n",
    );
    std::fs::write(dir.path().join("t.toml"), &noted).expect("writable");
    let o = snapshot(dir.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(out(&o).contains("t: unchanged"));
    assert_eq!(read(&path), first);

    std::fs::write(
        dir.path().join("t.toml"),
        noted.replace("from = 1900", "from = 1901"),
    )
    .expect("writable");
    let o = snapshot(dir.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("left as they are"), "{}", out(&o));
    assert_eq!(read(&path), first);
}

/// A treaty without a snapshot fails the check (it is not passed), and so does a snapshot
/// whose treaty is gone; --accept writes the one and removes the other.
#[test]
fn new_treaties_and_orphaned_snapshots_fail_the_check() {
    let dir = folder(&[("t.toml", TREATY.as_bytes())]);
    assert_eq!(snapshot(dir.path(), &[]).status.code(), Some(0));
    std::fs::write(dir.path().join("u.toml"), TREATY).expect("writable");
    let o = snapshot(dir.path(), &["--check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("u: no snapshot yet"), "{}", out(&o));
    assert!(!dir.path().join("snapshots/u.snap").exists());
    assert_eq!(snapshot(dir.path(), &["--accept"]).status.code(), Some(0));
    assert!(dir.path().join("snapshots/u.snap").is_file());

    std::fs::remove_file(dir.path().join("t.toml")).expect("removable");
    let o = snapshot(dir.path(), &["--check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("has no treaty"), "{}", out(&o));
    assert_eq!(snapshot(dir.path(), &["--accept"]).status.code(), Some(0));
    assert!(!dir.path().join("snapshots/t.snap").exists());
    assert_eq!(snapshot(dir.path(), &["--check"]).status.code(), Some(0));
}

/// The folder's own price book values the totals; a built-in treaty may be pinned with
/// --treaty and is then checked with the folder's other snapshots.
#[test]
fn values_under_the_folders_book_and_a_pinned_builtin_treaty() {
    let book = r#"name = "Test book"
numeraire = "tael of silver"
sources = ["moneymuseum"]

[[rate]]
commodity = "silver"
central = "2"
low = "1.5"
high = "3"
"#;
    let dir = folder(&[
        ("t.toml", TREATY.as_bytes()),
        ("prices/test.toml", book.as_bytes()),
    ]);
    let o = snapshot(dir.path(), &["--print"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = out(&o);
    // 1,000 taels at 1.5, 2 and 3 taels a tael.
    for (figure, value) in [("low", 1500), ("central", 2000), ("high", 3000)] {
        let line = format!("t/annual silver owed_value.{figure} = {value}\n");
        assert!(text.contains(&line), "{line} in\n{text}");
    }
    assert!(text.contains("\n[valued: test]\n"), "{text}");
    assert!(text.contains("books: \"test\"\n"), "{text}");
    // --print writes nothing.
    assert!(!dir.path().join("snapshots").exists());

    let o = snapshot(dir.path(), &["--treaty", "song-liao-1005"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pinned = read(&dir.path().join("snapshots/song-liao-1005-chanyuan.snap"));
    // history.md §1: 37 × 100,000 + 80 × 200,000 taels of silver.
    let silver = 37 * 100_000 + 80 * 200_000;
    assert!(
        pinned.contains(&format!(
            "song-liao-1005-chanyuan/annual silver owed = {silver}\n"
        )),
        "{pinned}"
    );
    assert!(pinned.contains("\"<built-in>/song-liao-1042.toml\""));
    // Without --treaty, the check covers t (the folder's) and the pinned one.
    let o = snapshot(dir.path(), &["--check"]);
    assert_eq!(o.status.code(), Some(1), "t has none yet: {}", out(&o));
    assert!(out(&o).contains("song-liao-1005-chanyuan: unchanged"));
}

/// A changed reading is named as the cause.
#[test]
fn a_changed_reading_is_named() {
    let example =
        std::fs::read(crate::common::root().join("docs/examples/example-france-germany-1871.toml"))
            .expect("the example");
    let dir = folder(&[("example-france-germany-1871.toml", &example)]);
    assert_eq!(snapshot(dir.path(), &[]).status.code(), Some(0));
    let d = dir.path().to_str().expect("utf-8");
    let o = run(&[
        "--treaties",
        d,
        "--reading",
        "five-years",
        "snapshot",
        "--check",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let text = out(&o);
    // Four billion in three payments (whole francs, the remainder in the last), or in five.
    let (three, five) = (4_000_000_000_u64 / 3, 4_000_000_000_u64 / 5);
    assert!(
        text.contains(&format!(
            "[payments] example-france-germany-1871/balance 1872 franc each: {three} → {five}\n"
        )),
        "{text}"
    );
    assert!(
        text.contains("since the snapshot: readings selected: (defaults) → five-years"),
        "{text}"
    );
}

/// Bad input: no folder to write into, a snapshot that is not one, a csv report.
#[test]
fn bad_input_is_refused_clearly() {
    let o = run(&["snapshot"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--treaties DIR"), "{}", stderr(&o));

    let dir = folder(&[("t.toml", TREATY.as_bytes())]);
    std::fs::create_dir(dir.path().join("snapshots")).expect("a folder");
    std::fs::write(
        dir.path().join("snapshots/t.snap"),
        "---\nsource: x\n---\nnot a figure\n",
    )
    .expect("writable");
    let o = snapshot(dir.path(), &["--check"]);
    assert_eq!(o.status.code(), Some(1));
    let text = out(&o);
    assert!(
        text.contains("snapshots/t.snap:4:1: not a figure line"),
        "{text}"
    );
    assert!(text.contains("help: "), "{text}");
    assert_eq!(snapshot(dir.path(), &["--accept"]).status.code(), Some(0));
    assert_eq!(snapshot(dir.path(), &["--check"]).status.code(), Some(0));

    let o = snapshot(dir.path(), &["--format", "csv"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--format json"), "{}", stderr(&o));
    let o = snapshot(dir.path(), &["--treaty", "no-such-treaty"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no-such-treaty"), "{}", stderr(&o));
}

/// `--check --format json` is a contract for scripts: each figure that differs, old and new.
#[test]
fn the_check_in_json() {
    let dir = folder(&[("t.toml", TREATY.as_bytes())]);
    assert_eq!(snapshot(dir.path(), &[]).status.code(), Some(0));
    std::fs::write(
        dir.path().join("t.toml"),
        TREATY.replace(r#"silver = "100 tael""#, r#"silver = "90 tael""#),
    )
    .expect("writable");
    let o = snapshot(dir.path(), &["--check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["ok"], false);
    let t = &v["treaties"][0];
    assert_eq!(t["treaty"], "t");
    assert_eq!(t["status"], "changed");
    let changes = t["difference"]["changes"].as_array().expect("changes");
    let owed = changes
        .iter()
        .find(|c| c["section"] == "totals" && c["key"] == "t/annual silver owed")
        .expect("the owed total");
    assert_eq!(owed["old"], (10 * 100).to_string());
    assert_eq!(owed["new"], (10 * 90).to_string());
}

/// `--version` names the corpus: the built-in one's digest, and with --treaties the digest of
/// the layers together; a copy of a folder elsewhere digests alike.
#[test]
fn version_names_the_corpus_digest() {
    use tribute_core::digest::{corpus_digest, layer_digest};
    let v = ok(&["--version"]);
    let builtin = corpus_digest(&[tribute_core::builtin()]).short();
    assert!(
        v.starts_with(&format!("tribute {}\n", env!("CARGO_PKG_VERSION"))),
        "{v}"
    );
    assert!(v.contains(&format!("corpus {builtin} ")), "{v}");

    let a = folder(&[("t.toml", TREATY.as_bytes())]);
    let b = folder(&[("t.toml", TREATY.as_bytes())]);
    let with = |dir: &Path| ok(&["--treaties", dir.to_str().expect("utf-8"), "--version"]);
    let (va, vb) = (with(a.path()), with(b.path()));
    let layer = tribute_core::Layer::from_dir(a.path()).expect("reads");
    let both = corpus_digest(&[tribute_core::builtin(), layer.clone()]).short();
    assert_ne!(both, builtin);
    assert!(va.contains(&format!("corpus {both} ")), "{va}");
    assert!(va.contains(&layer_digest(&layer).short()), "{va}");
    assert!(vb.contains(&format!("corpus {both} ")), "{vb}");
    // -V says the same, and a snapshot's header carries the same digest.
    assert_eq!(
        ok(&["-V", "--treaties", a.path().to_str().expect("utf-8")]),
        va
    );
    assert_eq!(snapshot(a.path(), &[]).status.code(), Some(0));
    assert!(read(&a.path().join("snapshots/t.snap")).contains(&format!("corpus: \"{both}\"")));
}
