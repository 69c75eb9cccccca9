//! Tests of tribute-plot on the built-in corpus. Each chart's spec is snapshotted as YAML after
//! its invariants are checked against the ledger and against figures computed by hand from the
//! treaty files; each SVG is snapshotted as text; PNGs are decoded and inspected.

#![allow(
    clippy::arithmetic_side_effects,
    reason = "test code: an overflow panics and fails the test; no figure a user sees comes from here"
)]

// Fixtures: the built-in corpus, queries, a comparison with hand-given numbers.
mod common;
// Chart specs: invariants against the ledger and hand-computed figures, then YAML snapshots.
mod specs;
// SVG text of each chart: what a reader must find in it, then text snapshots.
mod svg;
// PNG pictures: size, content, determinism, a user font.
mod png;
// Other queries: every payer and status, narrow ranges; nothing panics.
mod robust;
// Errors: empty selections, bad queries, bad comparison input, sizes, fonts.
mod errors;
