//! Snapshots of a treaty's figures (`tribute snapshot`): what we computed, pinned as text, so a
//! later run can say which figure moved, from what to what, and what changed underneath.
//!
//! A snapshot is one treaty's figures as insta's `.snap` format lays out a snapshot: a `---`
//! YAML header (`source`, `expression`, `info`) and a body. The header names what the figures
//! were made with: the tribute version, the corpus digest and each layer's, the readings, the
//! price books and the digest of every file the figures rest on. The body is one figure a line,
//! `row figure = value`, under `[section]` lines: the treaty, its streams as resolved, its
//! payments, its totals per stream and commodity, the same valued under each price book of the
//! snapshot's folder, and its claims with their verdicts.
//!
//! The body is the report layer's wire structs ([`super::TreatyOut`], [`super::TotalsOut`],
//! [`super::CheckOut`]'s claims) serialised with serde and flattened generically: a field the
//! report types gain (a column of recorded, assumed or arrears totals) appears in snapshots
//! without a change here. Only prose (names, notes, statements, sources) and file paths are
//! left out of the body: they are not figures, and a path would tie a snapshot to a folder.
//!
//! What must always hold: a snapshot is deterministic (no time, no absolute or temporary path;
//! the same corpus, readings and version give the same bytes); every figure line has a key that
//! is unique in its section, so two snapshots compare figure by figure ([`compare`]); a header
//! that cannot be read costs only the explanation of a change, never the comparison.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use serde_json::{Map, Value};

use super::check::CheckReport;
use super::{totals, treaty};
use crate::corpus::Corpus;
use crate::digest::{Digest, corpus_digest, file_digest, layer_digest};
use crate::engine::{GroupBy, Query};
use crate::error::{Error, ErrorKind, Location, Result};
use crate::model::Status;
use crate::plugin::BUILTIN;
use crate::plugin::{FileKind, Layer};
use crate::resolve::Resolved;
use crate::valuation::{PriceBook, check_claim};

/// The label of the snapshot folder's own layer in a header: its files are named by their path
/// inside the folder.
pub const HOME: &str = ".";

/// One figure: a line of a snapshot's body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figure {
    /// The section (`totals`, `valued: units`…).
    pub section: String,
    /// The row and figure (`song-jin-1123/annual silver owed`), unique within the section.
    pub key: String,
    /// The value as written (an exact decimal, a year, a word).
    pub value: String,
}

/// What a snapshot was made with: its header's `info`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Info {
    /// The tribute version.
    pub tribute: String,
    /// The corpus digest (the first 16 hex digits of SHA-256, see [`crate::digest`]).
    pub corpus: String,
    /// The readings selected with `--reading`, comma-separated, or `(defaults)`.
    pub readings: String,
    /// The price books the figures are valued with, comma-separated, or `(none)`.
    pub books: String,
    /// Each layer (`<built-in>`, `.` for the snapshot's folder, `<folder N>`) and its digest.
    pub layers: Vec<(String, String)>,
    /// Every item with several readings that the figures rest on (`treaty/item`) and the one used.
    pub used: Vec<(String, String)>,
    /// Every file the figures rest on and its digest.
    pub files: Vec<(String, String)>,
}

/// One treaty's snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    /// The treaty's id.
    pub treaty: String,
    /// The treaty's file, as the header names it (insta's `source`).
    pub source: String,
    /// The command that makes it (insta's `expression`).
    pub expression: String,
    /// What it was made with.
    pub info: Info,
    /// The figures, in order.
    pub figures: Vec<Figure>,
}

/// A snapshot read back from its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// The header's info, if it could be read.
    pub info: Option<Info>,
    /// The figures.
    pub figures: Vec<Figure>,
}

/// One figure that differs between a stored snapshot and a new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The section.
    pub section: String,
    /// The row and figure.
    pub key: String,
    /// The stored value (`None`: the figure is new).
    pub old: Option<String>,
    /// The new value (`None`: the figure is gone).
    pub new: Option<String>,
}

/// How a new snapshot differs from a stored one: the figures, and what changed in what they
/// were made with, where the headers tell.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// The figures that differ, in the new snapshot's order, then those gone.
    pub changes: Vec<Change>,
    /// What the headers say changed: version, readings, books, files (empty when no figure
    /// differs).
    pub causes: Vec<String>,
}

impl Difference {
    /// True if every figure is the same.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Makes the snapshots of treaties of one corpus: the files' digests are computed once.
#[derive(Debug)]
pub struct Snapshots<'a> {
    corpus: &'a Corpus,
    resolved: &'a Resolved,
    layers: &'a [Layer],
    home: usize,
    version: String,
    /// Display path → (name in a header, digest).
    files: HashMap<&'a str, (String, Digest)>,
    registry_files: Vec<&'a str>,
    books: Vec<&'a PriceBook>,
    corpus_digest: Digest,
    /// Each layer's label and digest.
    layer_digests: Vec<(String, String)>,
}

impl<'a> Snapshots<'a> {
    /// Prepares snapshots of `corpus` (read from `layers`, resolved as `resolved`) kept in the
    /// folder of layer `home`, made by tribute `version`.
    pub fn new(
        corpus: &'a Corpus,
        resolved: &'a Resolved,
        layers: &'a [Layer],
        home: usize,
        version: &str,
    ) -> Result<Snapshots<'a>> {
        if home >= layers.len() {
            return Err(Error::new(
                ErrorKind::Query,
                format!(
                    "internal: no layer {home} among {} to keep snapshots in",
                    layers.len()
                ),
            ));
        }
        let mut files = HashMap::new();
        let mut registry_files = Vec::new();
        for (i, layer) in layers.iter().enumerate() {
            for f in &layer.files {
                let shown = if i == home {
                    f.relative.clone()
                } else {
                    format!("{}/{}", layer_label(layers, i, home), f.relative)
                };
                files.insert(f.display.as_str(), (shown, file_digest(f.bytes())));
                if f.kind() == FileKind::Registry {
                    registry_files.push(f.display.as_str());
                }
            }
        }
        let home_files: BTreeSet<&str> = layers[home]
            .files
            .iter()
            .map(|f| f.display.as_str())
            .collect();
        let books = corpus
            .price_books
            .values()
            .filter(|b| home_files.contains(b.path.as_str()))
            .collect();
        Ok(Snapshots {
            corpus,
            resolved,
            layers,
            home,
            version: version.to_string(),
            files,
            registry_files,
            books,
            corpus_digest: corpus_digest(layers),
            layer_digests: layers
                .iter()
                .enumerate()
                .map(|(i, l)| (layer_label(layers, i, home), layer_digest(l).short()))
                .collect(),
        })
    }

    /// The treaties whose (winning) file lies in the snapshot folder, by id.
    pub fn home_treaties(&self) -> Vec<String> {
        let home: BTreeSet<&str> = self.layers[self.home]
            .files
            .iter()
            .map(|f| f.display.as_str())
            .collect();
        self.corpus
            .treaties
            .values()
            .filter(|t| home.contains(t.path.as_str()))
            .map(|t| t.id.to_string())
            .collect()
    }

    /// The price books snapshots are valued with: those of the snapshot folder (`prices/`).
    pub fn books(&self) -> &[&'a PriceBook] {
        &self.books
    }

    /// The digest of the corpus.
    pub fn corpus_digest(&self) -> Digest {
        self.corpus_digest
    }

    /// The snapshot of treaty `id` (a whole id).
    pub fn take(&self, id: &str) -> Result<Snapshot> {
        let corpus = self.corpus;
        let resolved = self.resolved;
        let t = corpus.treaties.get(id).ok_or_else(|| {
            Error::new(ErrorKind::Reference, format!("no treaty `{id}` is loaded"))
        })?;
        let mut figures = Vec::new();

        // The treaty and its streams, as `tribute show --format json` has them.
        let shown = to_value(&treaty(corpus, resolved, id)?.wire(corpus))?;
        let mut head = Map::new();
        let mut streams = Value::Null;
        let mut payments = Value::Null;
        if let Value::Object(m) = shown {
            for (k, v) in m {
                match k.as_str() {
                    "streams" => streams = v,
                    "payments" => payments = v,
                    _ if !v.is_array() && !v.is_object() => {
                        head.insert(k, v);
                    }
                    _ => {}
                }
            }
        }
        // Pieces are the payments again, without units: the payments section has them.
        if let Value::Array(items) = &mut streams {
            for s in items.iter_mut().filter_map(Value::as_object_mut) {
                s.remove("pieces");
            }
        }
        push_section(&mut figures, "treaty", &Value::Object(head));
        push_rows(&mut figures, "streams", "streams", &streams);
        push_rows(&mut figures, "payments", "payments", &payments);

        // Totals per stream and commodity, every year, any status; per treaty if it has several
        // streams.
        let query = Query {
            treaties: vec![id.to_string()],
            statuses: Status::ALL.to_vec(),
            ..Query::default()
        };
        let plain =
            totals_value(&totals(corpus, resolved, &query, GroupBy::Stream, None)?.wire(corpus))?;
        let plain_figures = flatten("totals", &plain);
        let stream_count = resolved.streams.iter().filter(|s| s.treaty == id).count();
        figures.extend(plain_figures.iter().cloned());
        if stream_count > 1 {
            let whole = totals(corpus, resolved, &query, GroupBy::Treaty, None)?.wire(corpus);
            figures.extend(flatten("totals of the treaty", &totals_value(&whole)?));
        }

        // The same valued with each book of the folder: the value columns, not the amounts again.
        let unvalued: BTreeSet<(&str, &str)> = plain_figures
            .iter()
            .map(|f| (f.key.as_str(), f.value.as_str()))
            .collect();
        for book in &self.books {
            let valued =
                totals(corpus, resolved, &query, GroupBy::Stream, Some(book))?.wire(corpus);
            let section = format!("valued: {}", book.id);
            figures.extend(
                flatten(&section, &totals_value(&valued)?)
                    .into_iter()
                    .filter(|f| !unvalued.contains(&(f.key.as_str(), f.value.as_str()))),
            );
        }

        // The claims its file records, under every book and combination of readings.
        let mut checks = Vec::new();
        for c in &t.claims {
            checks.push(check_claim(corpus, id, c, &resolved.readings)?);
        }
        if !checks.is_empty() {
            let report = CheckReport {
                problems: Vec::new(),
                items: Vec::new(),
                books: Vec::new(),
                claims: checks,
                claim_sources: Vec::new(),
                cautions: Vec::new(),
            };
            let wire = report.wire();
            // `holds` and `in_range` repeat the cases' verdicts: each case carries its own.
            let claims = to_value(&wire.claims)?;
            push_rows(
                &mut figures,
                "claims",
                "claims",
                &strip(claims, &["holds", "in_range"]),
            );
        }

        // What the figures rest on.
        let mut paths = BTreeSet::new();
        let mut treaties = BTreeSet::new();
        self.files_of(id, &mut paths, &mut treaties);
        if !t.claims.is_empty() {
            for c in &t.claims {
                self.files_of(&c.compare.treaty, &mut paths, &mut treaties);
                self.files_of(&c.against.treaty, &mut paths, &mut treaties);
            }
            paths.extend(corpus.price_books.values().map(|b| b.path.as_str()));
        }
        paths.extend(self.books.iter().map(|b| b.path.as_str()));
        paths.extend(self.registry_files.iter().copied());
        let mut files: Vec<(String, String)> = paths
            .into_iter()
            .map(|p| match self.files.get(p) {
                Some((shown, d)) => (shown.clone(), d.short()),
                None => (p.to_string(), "unknown".to_string()),
            })
            .collect();
        files.sort();
        let used = resolved
            .used
            .iter()
            .filter(|(item, _)| {
                item.split_once('/')
                    .is_some_and(|(t, _)| treaties.contains(t))
            })
            .cloned()
            .collect();
        let names = resolved.readings.names();
        let mut expression = format!("tribute snapshot --treaty {id}");
        for n in names {
            expression.push_str(&format!(" --reading {n}"));
        }
        let info = Info {
            tribute: self.version.clone(),
            corpus: self.corpus_digest.short(),
            readings: list_or(names.iter().map(String::as_str), "(defaults)"),
            books: list_or(self.books.iter().map(|b| b.id.as_str()), "(none)"),
            layers: self.layer_digests.clone(),
            used,
            files,
        };
        let source = self
            .files
            .get(t.path.as_str())
            .map_or_else(|| t.path.clone(), |(shown, _)| shown.clone());
        Ok(Snapshot {
            treaty: id.to_string(),
            source,
            expression,
            info,
            figures,
        })
    }

    /// Adds the files treaty `id`'s streams rest on (its own, and those of the amendments,
    /// suspensions and deliveries applied to them) to `paths`, and the treaties involved to
    /// `treaties`.
    fn files_of(
        &self,
        id: &'a str,
        paths: &mut BTreeSet<&'a str>,
        treaties: &mut BTreeSet<&'a str>,
    ) {
        let corpus = self.corpus;
        let Some(t) = corpus.treaties.get(id) else {
            return;
        };
        paths.insert(t.path.as_str());
        treaties.insert(t.id.as_str());
        for s in self.resolved.streams.iter().filter(|s| s.treaty == id) {
            paths.insert(s.at.path().as_ref());
            for a in &s.amendments {
                if let Some(other) = corpus.treaties.get(a.treaty.as_str()) {
                    treaties.insert(other.id.as_str());
                    for item in other.amendments.iter().filter(|i| i.id == a.id) {
                        paths.extend(item.variants.iter().map(|v| v.at.path().as_ref()));
                    }
                }
            }
            let by = |key: &str| {
                key.split_once('/')
                    .map(|(t, i)| (t.to_string(), i.to_string()))
            };
            for (owner, item) in s.suspended.iter().filter_map(|x| by(&x.by)) {
                if let Some(other) = corpus.treaties.get(owner.as_str()) {
                    treaties.insert(other.id.as_str());
                    for i in other.suspensions.iter().filter(|i| i.id == item) {
                        paths.extend(i.variants.iter().map(|v| v.at.path().as_ref()));
                    }
                }
            }
            for (owner, item) in s.deliveries.iter().filter_map(|d| by(&d.by)) {
                if let Some(other) = corpus.treaties.get(owner.as_str()) {
                    treaties.insert(other.id.as_str());
                    for i in other.deliveries.iter().filter(|i| i.id == item) {
                        paths.extend(i.variants.iter().map(|v| v.at.path().as_ref()));
                    }
                }
            }
        }
    }
}

/// How a header names layer `i`: `<built-in>`, `.` (the snapshot folder) or `<folder N>`.
fn layer_label(layers: &[Layer], i: usize, home: usize) -> String {
    if i == home {
        HOME.to_string()
    } else if layers[i].name == BUILTIN {
        BUILTIN.to_string()
    } else {
        format!("<folder {i}>")
    }
}

fn list_or<'s>(items: impl Iterator<Item = &'s str>, none: &str) -> String {
    let v: Vec<&str> = items.collect();
    if v.is_empty() {
        none.to_string()
    } else {
        v.join(", ")
    }
}

fn to_value<T: Serialize>(v: &T) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| {
        Error::new(
            ErrorKind::Value,
            format!("internal: a report does not serialise: {e}"),
        )
    })
}

/// A totals report without what every snapshot states elsewhere or that is not a figure.
fn totals_value(t: &super::TotalsOut) -> Result<Value> {
    Ok(strip(to_value(t)?, &["group_by", "from", "to", "streams"]))
}

/// `v` without the top-level fields `drop` (of an object, or of each object of an array).
fn strip(v: Value, drop: &[&str]) -> Value {
    match v {
        Value::Object(mut m) => {
            for d in drop {
                m.remove(*d);
            }
            Value::Object(m)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(|i| strip(i, drop)).collect()),
        other => other,
    }
}

/// Fields that are prose or paths, never figures: left out of every body.
const PROSE: &[&str] = &[
    "file",
    "path",
    "name",
    "summary",
    "notes",
    "note",
    "statement",
    "reason",
    "sources",
    "readings",
    "treaty",
];

/// Arrays whose rows are named by their own fields, not by the array's name.
const ROWS: &[&str] = &["rows", "streams", "payments", "claims"];

/// The fields that name a row of an array, by the array's field name.
fn identity(field: &str) -> &'static [&'static str] {
    match field {
        "streams" => &["stream"],
        "payments" => &["stream", "from", "commodity"],
        "rows" => &["group", "commodity"],
        "value_by_group" => &["group"],
        "amendments" => &["by", "from"],
        "suspended" => &["by", "from"],
        "deliveries" => &["by", "year"],
        "claims" => &["id"],
        "cases" => &["book", "a_readings", "b_readings"],
        _ => &[],
    }
}

fn push_section(out: &mut Vec<Figure>, section: &str, v: &Value) {
    out.extend(flatten(section, v));
}

fn push_rows(out: &mut Vec<Figure>, section: &str, field: &str, rows: &Value) {
    let mut lines = Vec::new();
    value("", field, true, rows, &mut lines);
    out.extend(lines.into_iter().map(|(key, value)| Figure {
        section: section.to_string(),
        key,
        value,
    }));
}

/// Every figure of `v` (an object), one per scalar, under `section`.
fn flatten(section: &str, v: &Value) -> Vec<Figure> {
    let mut lines = Vec::new();
    if let Value::Object(m) = v {
        object("", ' ', m, &mut lines);
    }
    lines
        .into_iter()
        .map(|(key, value)| Figure {
            section: section.to_string(),
            key,
            value,
        })
        .collect()
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn object(prefix: &str, sep: char, m: &Map<String, Value>, out: &mut Vec<(String, String)>) {
    for (k, v) in m {
        if PROSE.contains(&k.as_str()) {
            continue;
        }
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}{sep}{k}")
        };
        value(&key, k, prefix.is_empty(), v, out);
    }
}

fn value(key: &str, field: &str, top: bool, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Null => {}
        Value::Object(m) => object(key, '.', m, out),
        Value::Array(items) if items.iter().any(Value::is_object) => {
            let base = if top && ROWS.contains(&field) {
                ""
            } else {
                key
            };
            let ids = identity(field);
            let mut seen: HashMap<String, usize> = HashMap::new();
            for (i, item) in items.iter().enumerate() {
                let mut label = match item {
                    Value::Object(m) => ids
                        .iter()
                        .filter_map(|f| m.get(*f).and_then(scalar))
                        .collect::<Vec<_>>()
                        .join(" "),
                    _ => String::new(),
                };
                if label.is_empty() {
                    label = format!("#{}", i.saturating_add(1));
                }
                let n = seen.entry(label.clone()).or_insert(0);
                *n = n.saturating_add(1);
                if *n > 1 {
                    label = format!("{label} #{n}");
                }
                let row = if base.is_empty() {
                    label
                } else {
                    format!("{base} {label}")
                };
                match item {
                    Value::Object(m) => {
                        let rest: Map<String, Value> = m
                            .iter()
                            .filter(|(k, _)| !ids.contains(&k.as_str()))
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect();
                        object(&row, ' ', &rest, out);
                    }
                    other => value(&row, field, false, other, out),
                }
            }
        }
        // An empty list is no figure (a stream without amendments has no amendment lines).
        Value::Array(items) if items.is_empty() => {}
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(scalar).collect();
            out.push((
                key.to_string(),
                list_or(parts.iter().map(String::as_str), "(none)"),
            ));
        }
        other => {
            if let Some(s) = scalar(other) {
                out.push((
                    key.to_string(),
                    if s.is_empty() { "(none)".into() } else { s },
                ));
            }
        }
    }
}

mod text;
pub use text::{compare, parse};

#[cfg(test)]
mod tests;
