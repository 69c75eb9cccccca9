//! The corpus: the merged registry, treaties, price books and context series of every layer.
//!
//! [`Corpus::load`] is the one place the plugin readers (`crate::plugin`, `crate::table`,
//! `crate::series`, `crate::valuation`'s price books) are put together: registry files of every
//! layer first, then treaties, tables, series and price books against the merged registry, then the
//! cross-file checks (`crate::plugin::check_references`). What must hold: a later layer overrides an
//! earlier one by id; the same id twice in one layer is an error naming both files; a corpus is
//! returned only if nothing is wrong, else every problem found (in treaty, registry and price-book
//! files every problem up to a limit per file, `crate::plugin::problems`; one per other file; plus
//! the cross-file ones).

use std::collections::{BTreeMap, HashMap};

use compact_str::CompactString;

use crate::error::{Error, ErrorKind, Result};
use crate::model::Treaty;
use crate::plugin::{
    FileKind, Layer, PluginFile, RegistryParts, check_references, check_registry, parallel_map,
    read_registry_layer, read_treaty_each,
};
use crate::registry::Registry;

/// The treaties of a corpus, by id ([`Corpus::treaties`]).
pub type Treaties = BTreeMap<CompactString, Box<Treaty>>;

/// A loaded corpus: the merged registry and treaties, plus the layers they came from.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// Units, commodities, parties and sources.
    pub registry: Registry,
    /// Treaties by id, each boxed: the map is built from tens of thousands of treaties in one go,
    /// and moving a pointer into its nodes costs nothing where moving a treaty (some 400 bytes)
    /// would copy them all once more into memory touched for the first time.
    pub treaties: Treaties,
    /// Price-book files by id, as read (the winning file per id).
    pub price_files: BTreeMap<String, PluginFile>,
    /// Price books by id, parsed and checked against the registry.
    pub price_books: BTreeMap<String, crate::valuation::PriceBook>,
    /// Context series (population, revenue) by id.
    pub series: BTreeMap<String, crate::series::Series>,
    /// The layers, lowest first.
    pub layers: Vec<String>,
}

impl Corpus {
    /// Loads layers (lowest first). On failure returns every problem found: up to 20 per treaty,
    /// registry or price-book file (then a line counting the rest), one per other file, plus the
    /// cross-file problems.
    pub fn load(layers: &[Layer]) -> std::result::Result<Corpus, Vec<Error>> {
        crate::timing::mark("folders read");
        let mut errors = Vec::new();
        let mut parts = RegistryParts::default();
        for layer in layers {
            errors.extend(read_registry_layer(layer, &mut parts));
        }
        errors.extend(check_registry(&parts));
        let (registry, clashes) = Registry::build(
            parts.units.into_values().collect(),
            parts.commodities.into_values().collect(),
            parts.parties.into_values().collect(),
            parts.sources.into_values().collect(),
        );
        for c in clashes {
            let message = if c.first.is_empty() {
                format!("the registry has {}", c.name)
            } else if c.first == c.name {
                format!(
                    "{} `{}` takes the name `{}` as an alias, but it is the id of the {} in {}",
                    c.kind, c.second, c.name, c.kind, c.first_file
                )
            } else {
                format!(
                    "{} `{}` takes the name `{}`, which {} `{}` in {} already has",
                    c.kind, c.second, c.name, c.kind, c.first, c.first_file
                )
            };
            errors.push(
                Error::new(ErrorKind::Duplicate, message)
                    .in_file(&c.second_file)
                    .help(format!(
                        "a name (id or alias) names one {} only: remove `{}` from `{}`, or override `{}` by giving an entry its id",
                        c.kind, c.name, c.second, c.first
                    )),
            );
        }
        crate::timing::mark("registry");
        // Which file wins for each treaty and price-book id.
        let mut chosen: BTreeMap<String, &PluginFile> = BTreeMap::new();
        let mut price_files = BTreeMap::new();
        let mut series_files: BTreeMap<String, &PluginFile> = BTreeMap::new();
        for layer in layers {
            let mut in_layer: HashMap<(FileKind, &str), &PluginFile> = HashMap::new();
            for file in &layer.files {
                let kind = file.kind();
                // Tables are merged by crate::table (below): a streams table defines many ids.
                if matches!(
                    kind,
                    FileKind::Registry | FileKind::Streams | FileKind::Deliveries
                ) {
                    continue;
                }
                if let Some(prev) = in_layer.insert((kind, file.stem()), file) {
                    errors.push(
                        Error::new(ErrorKind::Duplicate, format!("id `{}` is defined twice in one folder: {} and {}", file.stem(), prev.display, file.display))
                            .in_file(&file.display)
                            .help("ids are file names and must be unique within a folder; rename or remove one"),
                    );
                    continue;
                }
                match kind {
                    FileKind::Treaty => {
                        chosen.insert(file.stem().to_string(), file);
                    }
                    FileKind::Prices => {
                        price_files.insert(file.stem().to_string(), file.clone());
                    }
                    FileKind::Context => {
                        series_files.insert(file.stem().to_string(), file);
                    }
                    FileKind::Registry | FileKind::Streams | FileKind::Deliveries => {}
                }
            }
        }
        let mut series = BTreeMap::new();
        for (id, file) in series_files {
            match crate::series::read_series(file, &registry) {
                Ok(s) => {
                    series.insert(id, s);
                }
                Err(e) => errors.push(e),
            }
        }
        // Hook: streams tables (a treaty a table wins is not parsed from TOML). The TOML files are
        // parsed beside the tables (on the other core, where there is one, while a table's rows
        // are read and grouped on this one); a file whose treaty a table wins is then set aside,
        // its problems with it, as if it had never been parsed.
        let has_tables = layers
            .iter()
            .any(|l| l.files.iter().any(|f| f.kind() == FileKind::Streams));
        // With tables, the TOML files still to be parsed once the tables have taken theirs.
        let mut left = has_tables.then(|| chosen.clone());
        let candidates: Vec<(String, &PluginFile)> = chosen.into_iter().collect();
        let parse = || {
            parallel_map(&candidates, |(_, file)| {
                read_treaty_each(file, &registry).map(Box::new)
            })
        };
        let mut table_errors = Vec::new();
        let (mut treaties, results) = match left.as_mut() {
            Some(left) => rayon::join(
                || crate::table::read_streams(layers, &registry, left, &mut table_errors),
                parse,
            ),
            None => (BTreeMap::new(), parse()),
        };
        errors.append(&mut table_errors);
        crate::timing::mark("streams tables");
        let mut parsed = Vec::with_capacity(candidates.len());
        for ((id, _), result) in candidates.into_iter().zip(results) {
            if left.as_ref().is_some_and(|l| !l.contains_key(&id)) {
                continue;
            }
            match result {
                Ok(t) => parsed.push((CompactString::from(id), t)),
                Err(e) => errors.extend(e),
            }
        }
        // The treaties whose references are checked below (`None`: all of them). A streams
        // table's treaties refer to nothing by themselves, as a table has no columns for
        // amendments, suspensions, claims or loans: with tables, only the TOML treaties are
        // checked, and the table treaties a deliveries table gives deliveries to. Looking at
        // 11,764 table treaties for nothing took 1.5 ms, spent waiting on memory.
        let mut to_check: Option<Vec<CompactString>> =
            has_tables.then(|| parsed.iter().map(|(id, _)| id.clone()).collect());
        // The ids come sorted (and none is a table's): built in one go, the map's nodes are full;
        // inserted one by one, about half of each node stays empty (4 MB at 11,764 treaties).
        if treaties.is_empty() {
            treaties = parsed.into_iter().collect();
        } else {
            treaties.extend(parsed);
        }
        crate::timing::mark("TOML treaty files");
        // Hook: deliveries tables, once every treaty is known.
        crate::table::read_deliveries(
            layers,
            &registry,
            &mut treaties,
            &mut errors,
            to_check.as_mut(),
        );
        let mut price_books = BTreeMap::new();
        for (id, file) in &price_files {
            match crate::valuation::read_price_book_each(file, &registry, &series) {
                Ok(b) => {
                    price_books.insert(id.clone(), b);
                }
                Err(e) => errors.extend(e),
            }
        }
        crate::timing::mark("deliveries tables, price books");
        let corpus = Corpus {
            registry,
            treaties,
            price_files,
            price_books,
            series,
            layers: layers.iter().map(|l| l.name.clone()).collect(),
        };
        if errors.is_empty() {
            errors.extend(check_references(&corpus.treaties, to_check));
        }
        crate::timing::mark("cross-file references");
        if errors.is_empty() {
            Ok(corpus)
        } else {
            Err(errors)
        }
    }

    /// The treaty a user means by `given`: the one with that id, else the only one whose id starts
    /// with it (`song-jin-1142` for `song-jin-1142-shaoxing`). An ambiguous start is an error
    /// listing the treaties it could mean; a name that matches nothing, one with the nearest ids.
    pub fn find_treaty(&self, given: &str) -> Result<&Treaty> {
        if let Some(t) = self.treaties.get(given) {
            return Ok(t);
        }
        let starting: Vec<&Treaty> = if given.is_empty() {
            Vec::new()
        } else {
            self.treaties
                .range::<str, _>((std::ops::Bound::Included(given), std::ops::Bound::Unbounded))
                .take_while(|(id, _)| id.starts_with(given))
                .map(|(_, t)| &**t)
                .collect()
        };
        match starting[..] {
            [one] => Ok(one),
            [] => Err(
                Error::new(ErrorKind::Query, format!("no treaty `{given}` is loaded")).help(
                    crate::suggest::with_advice(
                        given,
                        "treaties",
                        self.treaties.keys().map(CompactString::as_str),
                        "`tribute list` shows the ids of the loaded treaties",
                    ),
                ),
            ),
            _ => Err(Error::new(
                ErrorKind::Query,
                format!("`{given}` is the start of {} treaty ids", starting.len()),
            )
            .help(format!(
                "it could be {}; give more of the id",
                crate::suggest::listing(starting.iter().map(|t| t.id.as_str()))
            ))),
        }
    }

    /// Every reading name offered anywhere in the corpus, sorted.
    pub fn reading_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .treaties
            .values()
            .flat_map(|t| t.reading_names())
            .collect();
        names.sort();
        names.dedup();
        names
    }
}
