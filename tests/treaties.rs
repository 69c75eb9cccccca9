//! One snapshot per treaty file in `treaties/`: `tribute show ID` (its resolved payments, streams,
//! totals, every reading and the sources), named `treaty@<file name>.snap`.
//!
//! Before the snapshot is taken, invariants are asserted from the file itself: every obligation
//! appears in the report, and the totals table's owed figure per stream and commodity equals the sum
//! of that stream's resolved payments (each × count), recomputed here from the payments table.

#![allow(
    clippy::arithmetic_side_effects,
    reason = "test code: an overflow panics and fails the test; no figure a user sees comes from here"
)]

use std::collections::BTreeMap;
use std::path::Path;

use rust_decimal::Decimal;

fn show(path: &Path) -> datatest_stable::Result<()> {
    let id = path
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or("a file name")?
        .to_string();
    let exe = env!("CARGO_BIN_EXE_tribute");
    let run = |format: &str| -> datatest_stable::Result<String> {
        let out = std::process::Command::new(exe)
            .args(["show", &id, "--format", format])
            .env_remove("TRIBUTE_PATH")
            .output()?;
        if !out.status.success() {
            return Err(format!(
                "tribute show {id} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        Ok(String::from_utf8(out.stdout)?)
    };
    let text = run("table")?;
    let json: serde_json::Value = serde_json::from_str(&run("json")?)?;

    // Every obligation of the file is reported.
    let file: toml::Table = std::fs::read_to_string(path)?.parse()?;
    for ob in file
        .get("obligation")
        .and_then(|o| o.as_array())
        .into_iter()
        .flatten()
    {
        let oid = ob
            .get("id")
            .and_then(|v| v.as_str())
            .ok_or("an obligation id")?;
        if !text.contains(&format!("{id}/{oid}")) && !text.contains(oid) {
            return Err(format!("obligation {oid} missing from `show {id}`").into());
        }
    }
    // Totals owed = Σ each × count over the payments table.
    let dec = |v: &serde_json::Value| {
        Decimal::from_str_exact(v.as_str().unwrap_or("0")).unwrap_or_default()
    };
    let mut sums: BTreeMap<(String, String), Decimal> = BTreeMap::new();
    for p in json["payments"].as_array().into_iter().flatten() {
        let n = Decimal::from(p["count"].as_i64().unwrap_or(0));
        *sums
            .entry((
                p["stream"].as_str().unwrap_or("").into(),
                p["commodity"].as_str().unwrap_or("").into(),
            ))
            .or_default() += dec(&p["each"]) * n;
    }
    for t in json["totals"].as_array().into_iter().flatten() {
        let key = (
            t["group"].as_str().unwrap_or("").to_string(),
            t["commodity"].as_str().unwrap_or("").to_string(),
        );
        let expected = sums.get(&key).copied().unwrap_or_default();
        if dec(&t["owed"]) != expected {
            return Err(format!(
                "{key:?}: totals say {} but payments add up to {expected}",
                dec(&t["owed"])
            )
            .into());
        }
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(format!("treaty@{id}.toml"), text));
    Ok(())
}

datatest_stable::harness! {
    { test = show, root = "../../treaties", pattern = r"^[^/]+\.toml$" },
}
