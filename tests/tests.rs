//! End-to-end tests of the `tribute` binary. Only `mod` lines here; each module says what it tests.

mod common;
// Every example in docs/ runs as shown.
mod docs_examples;
// Conversions and installment splits are exact or refused (issue 12).
mod exact_amounts;
// Reports are core types; JSON is their serialisation (issue 8).
mod reports;
// Streams and deliveries as CSV tables, twins of TOML treaties (issue 8, item 6).
mod tables;
// Issue 2: the foundation (workspace, model, corpus, CLI).
mod issue_2_bad_input;
mod issue_2_done_when;
mod issue_2_formats;
mod issue_2_plugins;
// Issue 3: valuation.
mod issue_3_bad_input;
mod issue_3_context;
mod issue_3_docs;
mod issue_3_done_when;
mod issue_3_reports;
// Issue 4: charts.
mod issue_4_charts;
// Issue 5: interoperability.
mod issue_5_oracle;
// Issue 12: safe output (-o and links, devices, FIFOs, interrupts).
mod output;
