//! `tribute synth`: a synthetic corpus for tests and benchmarks, with its journals.
//!
//! Writes a copy of the built-in registry, a registry file naming the synthetic parties
//! (`registry/synth-parties.toml`), and `--count` treaty files (1–3 commodities each, spans in
//! 1000–1999, some every few years, some amending or suspending an earlier synthetic treaty) —
//! or, with `--as csv`, the same treaties as one streams table `streams/synth.csv`, their
//! amendments and suspensions in `synth-changes.toml`, and the source the table names in
//! `registry/synth-source.toml` — then loads them through the ordinary
//! loader and writes what the peers need: `journal.hledger`, `journal.ledger`, `journal.beancount`
//! (by `export`) and `streams.json`, the resolved streams as plain data for the baseline script.
//! The same seed and count always give the same files (fastrand's generator is fixed for a
//! given version; the crate version is pinned by Cargo.lock).

use anyhow::{Context as _, Result, bail};
use tribute_core::synth::{
    Rng, STREAMS_HEADER, changes_file, corpus, parties, price_book, source, streams_rows,
};
use tribute_core::{Corpus, Layer, Readings, Resolved, builtin_registry};

use super::export::{Journal, journal};
use crate::args::{Filters, SynthForm};
use crate::context::Context;
use crate::render::write_atomic;

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
    /// One TOML file per treaty, or a streams table.
    pub form: SynthForm,
}

/// Writes the synthetic corpus and its journals.
pub fn run(args: &SynthArgs) -> Result<String> {
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
    std::fs::create_dir_all(args.out.join("registry"))
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let mut rng = Rng::with_seed(args.seed);
    match args.form {
        SynthForm::Toml => {
            for t in corpus(&mut rng, args.count) {
                write_atomic(
                    &args.out.join(format!("synth-{:06}.toml", t.index)),
                    t.toml().as_bytes(),
                )?;
            }
        }
        SynthForm::Csv => {
            let drawn = corpus(&mut rng, args.count);
            let mut table = String::from(STREAMS_HEADER);
            streams_rows(&drawn, &mut table);
            std::fs::create_dir_all(args.out.join("streams"))?;
            write_atomic(&args.out.join("streams/synth.csv"), table.as_bytes())?;
            if let Some(changes) = changes_file(&drawn) {
                write_atomic(&args.out.join("synth-changes.toml"), changes.as_bytes())?;
            }
            write_atomic(
                &args.out.join("registry/synth-parties.toml"),
                parties().as_bytes(),
            )?;
            write_atomic(
                &args.out.join("registry/synth-source.toml"),
                source().as_bytes(),
            )?;
        }
    }
    std::fs::create_dir_all(args.out.join("prices"))?;
    write_atomic(
        &args.out.join("prices/synth.toml"),
        price_book(&mut rng).as_bytes(),
    )?;
    // A copy of the built-in registry (commodities, units), none of the built-in treaties, so the
    // folder stands alone: `tribute --no-builtin --treaties DIR` reads exactly what the journals hold.
    for f in &builtin_registry().files {
        write_atomic(&args.out.join(&f.relative), f.bytes())?;
    }
    write_atomic(
        &args.out.join("registry/synth-parties.toml"),
        parties().as_bytes(),
    )?;
    let layers = [Layer::from_dir(&args.out)?];
    let corpus = Corpus::load(&layers)
        .map_err(|errors| anyhow::anyhow!("the synthetic corpus did not load: {}", errors[0]))?;
    let resolved = Resolved::new(&corpus, &Readings::defaults())?;
    let synth: Vec<_> = resolved.streams.iter().collect();
    let postings: u64 = synth
        .iter()
        .flat_map(|s| s.pieces.iter())
        .map(|p| p.count.saturating_mul(p.amounts.iter().count() as u64))
        .sum();
    let streams = tribute_core::synth::streams_file(&corpus, &resolved);
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
            let text = journal(&ctx, &resolved, &all, dialect, None)?;
            write_atomic(&args.out.join(name), text.as_bytes())?;
        }
    }
    Ok(format!(
        "wrote {} treaties ({} streams, {postings} postings) to {}\n",
        args.count,
        synth.len(),
        args.out.display()
    ))
}
