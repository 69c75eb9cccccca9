//! End-to-end tests of the `tribute` binary. Only `mod` lines here, one module per feature; each
//! module says what it tests, and a regression test names its issue in a comment.

#![allow(
    clippy::arithmetic_side_effects,
    reason = "test code: an overflow panics and fails the test; no figure a user sees comes from here"
)]

mod common;

// Loading: the corpus as plugins, errors in files, robustness.
// Treaty folders, TRIBUTE_PATH and --no-builtin layer and override by id (issue 2).
mod plugins;
// Bad treaty and registry files: file:line:col, a help line, exit 2 (issue 2).
mod load_errors;
// Bad price books and claims, snapshotted (issue 3).
mod valuation_errors;
// Conversions and installment splits are exact or refused (issue 12).
mod exact_amounts;
// No panic, no hang, no runaway on any input (issue 12, item 3).
mod robustness;
// Parties, treaties, readings and books resolved, with suggestions; --no-builtin (issue 8).
mod parties;

// Reports.
// The headline figures, worked out by hand from the sources (issue 2).
mod headline_figures;
// Output formats: csv, json, tables, Markdown; closed pipes (issue 2).
mod formats;
// Reports are core types; JSON is their serialisation, checked against its schema (issue 8).
mod reports;
// Snapshots of compare, valued ledger and total, and check (issue 3).
mod report_snapshots;
// Valuation: price books, intervals, comparisons, the solver, claims (issue 3).
mod valuation;
// Context series: per capita and share of revenue (issue 3).
mod context_series;
// check exits 0 only if every report computes (issue 12).
mod check;
// Recorded, assumed, unknown; arrears and settlements; sources and readings per report (issue 9).
mod evidence;
// Loans tied to an indemnity: the double debt (issue 10, item 3).
mod loans;
// Principal and interest in total and ledger, shown to people only for debts (issue 10).
mod debts;
// The modern indemnities: Nanking, Shimonoseki, Frankfurt, the Haiti loan, Qing taels and the
// Boxer parities (issue 10, items 6–7).
mod modern;
// tribute snapshot writes, checks and accepts snapshots of a user's treaties; the corpus
// digest of --version (issue 13; issue 11, item 3).
mod snapshots_cmd;

// Streams and deliveries as CSV tables, twins of TOML treaties (issue 8, item 6).
mod tables;

// The command line.
// Each command offers only what it accepts; -o picks the format by extension (issue 11).
mod options;
// Tables fit the terminal's width or COLUMNS; --commodity and --columns (issue 11).
mod terminal_width;
// Every command's --help ends with examples, and they run (issue 11).
mod help_examples;
// Completion scripts for five shells, sourced in bash (issue 11).
mod completions;
// Man pages: docs/man/ as generated, rendered by groff and man (issue 11).
mod manual;

// Output and pictures.
// -o and links, devices, FIFOs, interrupts (issue 12).
mod output;
// Charts as SVG and PNG (issue 4).
mod charts;

// Documentation and oracles.
// Every example in docs/ runs as shown.
mod docs_examples;
// The rate tables of docs/price-books.md match the built-in books (issue 3).
mod price_book_docs;
// hledger, ledger and beancount agree with tribute (issue 5).
mod oracles;
// Journal entries on the days the schedule gives, else 1 January (the journal brief).
mod journal;
// Present and accumulated value against numpy-financial (issue 10, item 4).
mod worth;
// numpy-financial agrees with the annuity kind (issue 10, item 8).
mod debt_oracle;
