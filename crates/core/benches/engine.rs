//! Benchmarks of the engine: load (parse and validate), resolve, ledger, totals, and valuation at
//! payment date, on the bundled corpus and on synthetic corpora of about 10,000, 100,000 and
//! 1,000,000 postings (built in memory by `tribute_core::synth`, so file-system time is not in
//! these numbers; `crates/cli/benches/peers/run.sh` measures the whole program from disk).
//!
//! `cargo bench -p tribute-core --bench engine`

#![allow(
    clippy::arithmetic_side_effects,
    reason = "benchmark code: an overflow panics the run; no figure a user sees comes from here"
)]

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use tribute_core::synth::{Rng, corpus, parties, price_book};
use tribute_core::{
    Corpus, GroupBy, Layer, Ledger, PluginFile, Query, Readings, Resolved, Status, Totals, builtin,
    builtin_registry, split_streams,
};

fn synthetic(count: usize) -> Vec<Layer> {
    let mut rng = Rng::with_seed(1);
    let mut files: Vec<PluginFile> = corpus(&mut rng, count)
        .into_iter()
        .map(|t| {
            let name = format!("synth-{:06}.toml", t.index);
            PluginFile::new(name.clone(), name, t.toml().into_bytes())
        })
        .collect();
    files.push(PluginFile::new(
        "prices/synth.toml".into(),
        "prices/synth.toml".into(),
        price_book(&mut rng).into_bytes(),
    ));
    files.push(PluginFile::new(
        "registry/synth-parties.toml".into(),
        "registry/synth-parties.toml".into(),
        parties().into_bytes(),
    ));
    vec![
        builtin_registry(),
        Layer {
            name: "synthetic".into(),
            files,
        },
    ]
}

fn all() -> Query {
    Query {
        statuses: Status::ALL.to_vec(),
        ..Query::default()
    }
}

fn bench(c: &mut Criterion) {
    let bundled = vec![builtin()];
    let corpus = Corpus::load(&bundled).expect("the bundled corpus loads");
    let resolved = Resolved::new(&corpus, &Readings::defaults()).expect("resolves");
    let song_jin = Query {
        payer: Some("Song".into()),
        payee: Some("Jin".into()),
        ..Query::default()
    };
    let mut g = c.benchmark_group("bundled");
    g.bench_function("load", |b| b.iter(|| Corpus::load(&bundled).unwrap()));
    g.bench_function("resolve", |b| {
        b.iter(|| Resolved::new(&corpus, &Readings::defaults()).unwrap())
    });
    g.bench_function("ledger song-jin", |b| {
        b.iter(|| Ledger::new(&corpus, &resolved, &song_jin).unwrap())
    });
    g.bench_function("load+resolve+ledger song-jin", |b| {
        b.iter(|| {
            let corpus = Corpus::load(&bundled).unwrap();
            let resolved = Resolved::new(&corpus, &Readings::defaults()).unwrap();
            Ledger::new(&corpus, &resolved, &song_jin).unwrap()
        })
    });
    let book = &corpus.price_books["song-silver"];
    let streams: Vec<_> = resolved.streams.iter().collect();
    g.bench_function("valued at payment date (song-silver)", |b| {
        b.iter(|| {
            split_streams(&corpus, &streams, Some(book), i32::MIN, i32::MAX)
                .unwrap()
                .owed
                .value(Some(book))
                .unwrap()
        })
    });
    g.finish();

    // About 85 postings per synthetic treaty.
    for (label, count) in [("10k", 118), ("100k", 1_180), ("1M", 11_800)] {
        let layers = synthetic(count);
        let corpus = Corpus::load(&layers).expect("synthetic corpus loads");
        let resolved = Resolved::new(&corpus, &Readings::defaults()).expect("resolves");
        let postings: u64 = resolved
            .streams
            .iter()
            .flat_map(|s| &s.pieces)
            .map(|p| p.count * p.amounts.iter().count() as u64)
            .sum();
        let mut g = c.benchmark_group(format!("synthetic {label} ({postings} postings)"));
        g.sample_size(10);
        g.bench_function(BenchmarkId::new("load", count), |b| {
            b.iter(|| Corpus::load(&layers).unwrap())
        });
        g.bench_function("resolve", |b| {
            b.iter(|| Resolved::new(&corpus, &Readings::defaults()).unwrap())
        });
        g.bench_function("ledger (yearly cumulative, all)", |b| {
            b.iter(|| Ledger::new(&corpus, &resolved, &all()).unwrap())
        });
        g.bench_function("totals", |b| {
            b.iter(|| Totals::new(&corpus, &resolved, &all(), GroupBy::All).unwrap())
        });
        let book = &corpus.price_books["synth"];
        let streams: Vec<_> = resolved.streams.iter().collect();
        g.bench_function("valued at payment date", |b| {
            b.iter(|| {
                split_streams(&corpus, &streams, Some(book), i32::MIN, i32::MAX)
                    .unwrap()
                    .owed
                    .value(Some(book))
                    .unwrap()
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
