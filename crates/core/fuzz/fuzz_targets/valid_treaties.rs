//! Fuzz target `valid_treaties`: structure-aware input (the fuzzer's bytes read through
//! `arbitrary`) draws a model of valid treaties and a price book, which are written as TOML and
//! loaded through the real loader; resolve, the ledger and totals reports (with and without the
//! book) and `report::check` must then agree exactly with the naive year-by-year oracle.
//!
//! The generator, the TOML writer and the oracle are the ones the property test
//! `crates/core/tests/oracle.rs` uses (`crates/core/tests/valid_treaties/mod.rs`, included here by
//! path): one implementation. What must hold: every input loads, `check` finds no problem, every
//! figure equals the oracle's; anything else is a panic, which libFuzzer keeps as a crash.

#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/valid_treaties/mod.rs"]
mod valid_treaties;

use valid_treaties::{Draw, HI, LO, Model, check_model};

/// The fuzzer's bytes as a source of choices; when they run out every choice is the smallest.
struct Bytes<'a, 'b>(&'b mut Unstructured<'a>);

impl Draw for Bytes<'_, '_> {
    fn int(&mut self, lo: i64, hi: i64) -> i64 {
        self.0.int_in_range(lo..=hi).unwrap_or(lo)
    }
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let alt: bool = u.arbitrary().unwrap_or(false);
    let a = u.int_in_range(LO - 5..=HI + 40).unwrap_or(LO);
    let b = u.int_in_range(LO - 5..=HI + 40).unwrap_or(HI);
    let model = Model::draw(&mut Bytes(&mut u)).tidy();
    if let Err(e) = check_model(&model, alt, a, b) {
        panic!("{e}");
    }
});
