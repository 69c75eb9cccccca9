//! The resolve step: from parsed arguments to a loaded corpus, chosen readings and a query.
//!
//! This is the only place the binary reads plugin folders or the environment (TRIBUTE_PATH is
//! passed in by `main`); commands receive the result and never touch files themselves.

use std::ffi::OsString;
use std::path::PathBuf;

use tribute_core::{
    Corpus, Error, ErrorKind, Layer, PriceBook, Query, Readings, Resolved, Status, builtin,
};

use crate::args::{Filters, Global, StatusArg};

/// The loaded corpus and what the user selected.
#[derive(Debug)]
pub struct Context {
    /// The merged corpus.
    pub corpus: Corpus,
    /// The readings selected with --reading.
    pub readings: Readings,
}

/// Why a corpus could not be had: every problem found.
#[derive(Debug)]
pub struct LoadFailure(pub Vec<Error>);

/// The folders to read, lowest layer first: TRIBUTE_PATH entries in order, then --treaties in order.
pub fn folders(global: &Global, tribute_path: Option<OsString>) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = tribute_path
        .map(|p| {
            std::env::split_paths(&p)
                .filter(|d| !d.as_os_str().is_empty())
                .collect()
        })
        .unwrap_or_default();
    dirs.extend(global.treaties.iter().cloned());
    dirs
}

/// Loads the layers (built-in unless --no-builtin, then the folders).
pub fn load(global: &Global, tribute_path: Option<OsString>) -> Result<Corpus, LoadFailure> {
    let mut layers = Vec::new();
    if !global.no_builtin {
        layers.push(builtin());
    }
    for dir in folders(global, tribute_path) {
        layers.push(Layer::from_dir(&dir).map_err(|e| LoadFailure(vec![e]))?);
    }
    Corpus::load(&layers).map_err(LoadFailure)
}

impl Context {
    /// Loads the corpus and checks the reading names.
    pub fn new(global: &Global, tribute_path: Option<OsString>) -> Result<Context, LoadFailure> {
        let corpus = load(global, tribute_path)?;
        let readings =
            Readings::select(&global.readings, &corpus).map_err(|e| LoadFailure(vec![e]))?;
        Ok(Context { corpus, readings })
    }

    /// The loaded price book `name`, or an error listing the loaded ones.
    pub fn book(&self, name: &str) -> Result<&PriceBook, Error> {
        self.corpus.price_books.get(name).ok_or_else(|| {
            let ids: Vec<&str> = self.corpus.price_books.keys().map(String::as_str).collect();
            Error::new(ErrorKind::Query, format!("no price book `{name}` is loaded"))
                .help(format!(
                    "loaded books: {}; a book is a file prices/ID.toml in the built-in corpus or a --treaties folder",
                    if ids.is_empty() { "(none)".to_string() } else { ids.join(", ") }
                ))
        })
    }

    /// All streams under the selected readings.
    pub fn resolve(&self) -> Result<Resolved, Error> {
        Resolved::new(&self.corpus, &self.readings)
    }
}

/// The engine query for report filters.
pub fn query(filters: &Filters) -> Query {
    let statuses = if filters.status.contains(&StatusArg::All)
        || (filters.status.is_empty() && !filters.treaty.is_empty())
    {
        Status::ALL.to_vec()
    } else if filters.status.is_empty() {
        vec![Status::InForce]
    } else {
        filters
            .status
            .iter()
            .map(|s| match s {
                StatusArg::InForce | StatusArg::All => Status::InForce,
                StatusArg::Demand => Status::Demand,
                StatusArg::NeverInForce => Status::NeverInForce,
            })
            .collect()
    };
    Query {
        payer: filters.payer.clone(),
        payee: filters.payee.clone(),
        treaties: filters.treaty.clone(),
        from: filters.from,
        to: filters.to,
        statuses,
    }
}
