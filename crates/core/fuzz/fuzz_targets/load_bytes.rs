//! Fuzz target `load_bytes`: raw bytes as one plugin file beside the built-in registry.
//!
//! The first byte chooses what the file is (a treaty, a registry file, a price book or a context
//! series), the rest are its bytes. If the corpus loads, it is resolved under the default readings
//! and under each reading name, and the ledger and totals reports are computed over everything
//! (every status, without a book and with each loaded book), then `report::check`; if it does not
//! load, `check` reports the errors. What must hold: nothing panics, overflows or hangs; errors
//! are fine, and each must display.

#![no_main]

use libfuzzer_sys::fuzz_target;
use tribute_core::report::{check, ledger, totals};
use tribute_core::{
    Corpus, GroupBy, Layer, PluginFile, Query, Readings, Resolved, Status, builtin_registry,
};

fuzz_target!(|data: &[u8]| {
    let (kind, bytes) = data.split_first().unwrap_or((&0, data));
    let relative = match kind % 4 {
        0 => "fuzz.toml",
        1 => "registry/fuzz.toml",
        2 => "prices/fuzz.toml",
        _ => "context/fuzz.toml",
    };
    let layer = Layer {
        name: "fuzz".into(),
        files: vec![PluginFile::new(relative.into(), relative.into(), bytes)],
    };
    let corpus = match Corpus::load(&[builtin_registry(), layer]) {
        Ok(corpus) => corpus,
        Err(errors) => {
            for e in &errors {
                let _ = e.to_string();
            }
            let _ = check(Err(&errors));
            return;
        }
    };
    let mut selections = vec![Readings::defaults()];
    for name in corpus.reading_names() {
        if let Ok(r) = Readings::select(&[name], &corpus) {
            selections.push(r);
        }
    }
    let query = Query {
        statuses: Status::ALL.to_vec(),
        ..Query::default()
    };
    for readings in &selections {
        let Ok(resolved) = Resolved::new(&corpus, readings) else {
            continue;
        };
        let books = std::iter::once(None).chain(corpus.price_books.values().map(Some));
        for book in books {
            let _ = totals(&corpus, &resolved, &query, GroupBy::Stream, book);
            let _ = ledger(&corpus, &resolved, &query, book);
        }
    }
    for e in check(Ok(&corpus)).problems {
        let _ = e.to_string();
    }
});
