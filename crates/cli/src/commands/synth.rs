//! `tribute synth`: a synthetic corpus for tests and benchmarks, with its journals.
//!
//! Writes `--count` treaty files (1–3 commodities each, spans in 1000–1999, some every few years,
//! some amending or suspending an earlier synthetic treaty), then loads them through the ordinary
//! loader and writes what the peers need: `journal.hledger`, `journal.ledger`, `journal.beancount`
//! (by `export`) and `streams.json`, the resolved streams as plain data for the baseline script.
//! The same seed and count always give the same files (fastrand's generator is fixed for a
//! given version; the crate version is pinned by Cargo.lock).

use std::fmt::Write as _;

use anyhow::{Context as _, Result, bail};
use serde_json::json;
use tribute_core::{Corpus, FileKind, Layer, Readings, Resolved, builtin};

use super::export::{Journal, journal};
use crate::args::{Filters, Global};
use crate::context::Context;
use crate::render::{plain, write_atomic};

const STATES: [&str; 12] = [
    "Aram", "Bactra", "Colchis", "Dacia", "Elam", "Frisia", "Gandhara", "Hatti", "Iberia", "Jolof",
    "Kush", "Lydia",
];
const COMMODITIES: [(&str, &str); 7] = [
    ("silver", "tael"),
    ("gold", "tael"),
    ("silk", "bolt"),
    ("satin", "bolt"),
    ("tea", "catty"),
    ("cash", "string"),
    ("horse", "head"),
];

/// What `synth` was asked for.
#[derive(Debug, Clone)]
pub struct SynthArgs {
    /// Number of treaty files.
    pub count: usize,
    /// Seed of the generator.
    pub seed: u64,
    /// Output folder (created; must be empty or absent).
    pub out: std::path::PathBuf,
    /// Skip writing journals.
    pub no_journals: bool,
}

/// The text of synthetic treaty `i`.
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

/// Writes the synthetic corpus and its journals.
pub fn run(global: &Global, args: &SynthArgs) -> Result<String> {
    if args.count == 0 {
        bail!("--count must be at least 1");
    }
    if args.out.exists()
        && std::fs::read_dir(&args.out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        bail!(
            "{} exists and is not an empty folder; synth writes into a new folder",
            args.out.display()
        );
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let mut rng = fastrand::Rng::with_seed(args.seed);
    for i in 0..args.count {
        write_atomic(
            &args.out.join(format!("synth-{i:06}.toml")),
            treaty(&mut rng, i).as_bytes(),
        )?;
    }
    // The built-in registry (commodities, units), none of the built-in treaties.
    let mut registry = builtin();
    registry.files.retain(|f| f.kind() == FileKind::Registry);
    let layers = [registry, Layer::from_dir(&args.out)?];
    let corpus = Corpus::load(&layers)
        .map_err(|errors| anyhow::anyhow!("the synthetic corpus did not load: {}", errors[0]))?;
    let resolved = Resolved::new(&corpus, &Readings::defaults())?;
    let synth: Vec<_> = resolved.streams.iter().collect();
    let postings: u64 = synth
        .iter()
        .flat_map(|s| s.pieces.iter())
        .map(|p| p.count * p.amounts.iter().count() as u64)
        .sum();
    let reg = &corpus.registry;
    let streams = json!({
        "streams": synth.iter().map(|s| json!({
            "payer": s.payer,
            "payee": s.payee,
            "pieces": s.pieces.iter().map(|p| json!({
                "start": p.start, "step": p.step, "count": p.count,
                "amounts": p.amounts.iter().map(|(c, a)| (reg.commodity(c).id.clone(), json!(plain(a)))).collect::<serde_json::Map<_, _>>(),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    write_atomic(
        &args.out.join("streams.json"),
        serde_json::to_string(&streams)?.as_bytes(),
    )?;
    if !args.no_journals {
        let ctx = Context {
            corpus,
            readings: Readings::defaults(),
        };
        let all = Filters {
            payer: None,
            payee: None,
            treaty: Vec::new(),
            from: None,
            to: None,
            status: Vec::new(),
        };
        for (dialect, name) in [
            (Journal::Hledger, "journal.hledger"),
            (Journal::Ledger, "journal.ledger"),
            (Journal::Beancount, "journal.beancount"),
        ] {
            let text = journal(&ctx, &resolved, &all, dialect, false)?;
            write_atomic(&args.out.join(name), text.as_bytes())?;
        }
    }
    let _ = global;
    Ok(format!(
        "wrote {} treaties ({} streams, {postings} postings) to {}\n",
        args.count,
        synth.len(),
        args.out.display()
    ))
}
