//! Synthetic treaty files for property tests and benchmarks (`tribute synth`).
//!
//! Deterministic: the same seed and index give the same text (fastrand's generator is fixed for a
//! given version, and Cargo.lock pins it). Treaties use the built-in registry's commodities; each
//! has one recurring obligation of 1–3 commodities within 1000–1999, some paid every few years,
//! some with decimals, and about one in five ends or suspends an earlier synthetic treaty. The
//! price book gives every commodity a rate per century, so valuing at payment date has to split
//! streams by period.

use std::fmt::Write as _;

pub use fastrand::Rng;

/// The parties synthetic treaties are made between.
pub const STATES: [&str; 12] = [
    "Aram", "Bactra", "Colchis", "Dacia", "Elam", "Frisia", "Gandhara", "Hatti", "Iberia", "Jolof",
    "Kush", "Lydia",
];
/// The commodities (and units) synthetic treaties use.
pub const COMMODITIES: [(&str, &str); 7] = [
    ("silver", "tael"),
    ("gold", "tael"),
    ("silk", "bolt"),
    ("satin", "bolt"),
    ("tea", "catty"),
    ("cash", "string"),
    ("horse", "head"),
];

/// The text of synthetic treaty `i` (file `synth-{i:06}.toml`); `i` counts from 0, and treaty `i`
/// may refer only to treaties before it.
pub fn treaty(rng: &mut fastrand::Rng, i: usize) -> String {
    let payer = STATES[rng.usize(..STATES.len())];
    let mut payee = STATES[rng.usize(..STATES.len())];
    if payee == payer {
        payee = STATES[(STATES.iter().position(|s| *s == payer).unwrap_or(0) + 1) % STATES.len()];
    }
    let from = rng.i32(1000..1900);
    let len = rng.i32(0..100);
    let every = if rng.u8(..10) < 8 { 1 } else { rng.u32(2..5) };
    let mut amounts = Vec::new();
    let n = rng.usize(1..=3);
    let mut picked: Vec<usize> = Vec::new();
    while picked.len() < n {
        let c = rng.usize(..COMMODITIES.len());
        if !picked.contains(&c) {
            picked.push(c);
        }
    }
    picked.sort_unstable();
    for c in picked {
        let (id, unit) = COMMODITIES[c];
        let whole = rng.u64(1..1_000_000);
        let amount = if rng.u8(..4) == 0 {
            format!("{whole}.{:02}", rng.u8(..100))
        } else {
            whole.to_string()
        };
        amounts.push(format!("{id} = \"{amount} {unit}\""));
    }
    let mut t = String::new();
    let _ = write!(
        t,
        "name = \"Synthetic treaty {i}\"\npayer = \"{payer}\"\npayee = \"{payee}\"\nsigned = {from}\nstatus = \"in-force\"\nlabel = \"tribute\"\n\n[source.synth]\ntitle = \"tribute synth\"\nquality = \"A\"\n\n[[obligation]]\nid = \"annual\"\nschedule = \"recurring\"\nfrom = {from}\nto = {}\nevery = {every}\namounts = {{ {} }}\nsource = \"synth\"\n",
        (from + len).min(1999),
        amounts.join(", ")
    );
    if i > 0 && rng.u8(..5) == 0 {
        let target = rng.usize(..i);
        let year = rng.i32(1000..2000);
        if rng.bool() {
            let _ = write!(
                t,
                "\n[[amendment]]\nid = \"end\"\naction = \"end\"\ntarget = \"synth-{target:06}/annual\"\nfrom = {year}\nsource = \"synth\"\n"
            );
        } else {
            let _ = write!(
                t,
                "\n[[suspension]]\nid = \"war\"\ntargets = [\"synth-{target:06}\"]\nfrom = {year}\nto = {}\nsource = \"synth\"\n",
                year + rng.i32(0..10)
            );
        }
    }
    t
}

/// The text of the registry file `registry/synth-parties.toml`: every one of [`STATES`] as a
/// party (without years: every synthetic stream has an end of its own), since a treaty may name
/// only parties the registry knows.
pub fn parties() -> String {
    let mut t = String::from("# The parties of tribute synth's treaties.\n");
    for state in STATES {
        let _ = write!(t, "\n[[party]]\nid = \"{state}\"\n");
    }
    t
}

/// The text of the synthetic price book `prices/synth.toml`: a rate per commodity and century
/// (1000–1999) in taels of silver, low = 0.8 × central, high = 1.25 × central.
pub fn price_book(rng: &mut fastrand::Rng) -> String {
    let mut t = String::from(
        "name = \"Synthetic prices\"\nnumeraire = \"tael of silver\"\nsummary = \"Made up by tribute synth for benchmarks: one rate per commodity and century.\"\nsources = [\"synth\"]\n\n[source.synth]\ntitle = \"tribute synth\"\nquality = \"A\"\n",
    );
    for (id, _) in COMMODITIES {
        for century in 10..20 {
            let central = if id == "silver" {
                100
            } else {
                rng.u32(5..2000)
            };
            let _ = write!(
                t,
                "\n[[rate]]\ncommodity = \"{id}\"\nfrom = {}\nto = {}\ncentral = \"{}\"\nlow = \"{}\"\nhigh = \"{}\"\nsource = \"synth\"\nconfidence = \"low\"\n",
                century * 100,
                century * 100 + 99,
                decimal_text(central, 100),
                decimal_text(central * 8, 1000),
                decimal_text(central * 125, 10000),
            );
        }
    }
    t
}

/// `n / d` as a decimal string, exactly (d is a power of ten).
fn decimal_text(n: u32, d: u32) -> String {
    let places = d.ilog10() as usize;
    let whole = n / d;
    let frac = n % d;
    if places == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{frac:0places$}")
    }
}
