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
                files.insert(f.display.as_str(), (shown, file_digest(&f.bytes)));
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
            .map(|t| t.id.clone())
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
            paths.insert(s.at.path.as_str());
            for a in &s.amendments {
                if let Some(other) = corpus.treaties.get(&a.treaty) {
                    treaties.insert(other.id.as_str());
                    for item in other.amendments.iter().filter(|i| i.id == a.id) {
                        paths.extend(item.variants.iter().map(|v| v.at.path.as_str()));
                    }
                }
            }
            let by = |key: &str| {
                key.split_once('/')
                    .map(|(t, i)| (t.to_string(), i.to_string()))
            };
            for (owner, item) in s.suspended.iter().filter_map(|x| by(&x.by)) {
                if let Some(other) = corpus.treaties.get(&owner) {
                    treaties.insert(other.id.as_str());
                    for i in other.suspensions.iter().filter(|i| i.id == item) {
                        paths.extend(i.variants.iter().map(|v| v.at.path.as_str()));
                    }
                }
            }
            for (owner, item) in s.deliveries.iter().filter_map(|d| by(&d.by)) {
                if let Some(other) = corpus.treaties.get(&owner) {
                    treaties.insert(other.id.as_str());
                    for i in other.deliveries.iter().filter(|i| i.id == item) {
                        paths.extend(i.variants.iter().map(|v| v.at.path.as_str()));
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
                    label = format!("#{}", i + 1);
                }
                let n = seen.entry(label.clone()).or_insert(0);
                *n += 1;
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

/// A key as written: one line, never ` = ` (which separates it from the value).
fn key_text(k: &str) -> String {
    k.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
        .replace(" = ", " \\= ")
}

/// A value as written: one line.
fn value_text(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

/// A YAML double-quoted scalar (a JSON string is one).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

fn yaml_map(out: &mut String, indent: &str, key: &str, entries: &[(String, String)]) {
    if entries.is_empty() {
        out.push_str(&format!("{indent}{key}: {{}}\n"));
        return;
    }
    out.push_str(&format!("{indent}{key}:\n"));
    for (k, v) in entries {
        out.push_str(&format!("{indent}  {}: {}\n", quoted(k), quoted(v)));
    }
}

impl Snapshot {
    /// The snapshot as a `.snap` file: insta's header, then the body, ending in a newline.
    pub fn text(&self) -> String {
        let i = &self.info;
        let mut out = String::from("---\n");
        out.push_str(&format!("source: {}\n", quoted(&self.source)));
        out.push_str(&format!("expression: {}\n", quoted(&self.expression)));
        out.push_str("info:\n");
        out.push_str(&format!("  tribute: {}\n", quoted(&i.tribute)));
        out.push_str(&format!("  corpus: {}\n", quoted(&i.corpus)));
        out.push_str(&format!("  readings: {}\n", quoted(&i.readings)));
        out.push_str(&format!("  books: {}\n", quoted(&i.books)));
        yaml_map(&mut out, "  ", "layers", &i.layers);
        yaml_map(&mut out, "  ", "used", &i.used);
        yaml_map(&mut out, "  ", "files", &i.files);
        out.push_str("---\n");
        out.push_str(&format!(
            "# The figures of treaty {}: one a line, `row figure = value`, under `[section]`.\n",
            self.treaty
        ));
        out.push_str("# Written by `tribute snapshot`; `tribute snapshot --check` compares (docs/snapshots.md).\n");
        let mut section = None;
        for f in &self.figures {
            if section != Some(f.section.as_str()) {
                out.push_str(&format!("\n[{}]\n", f.section));
                section = Some(f.section.as_str());
            }
            out.push_str(&format!(
                "{} = {}\n",
                key_text(&f.key),
                value_text(&f.value)
            ));
        }
        out
    }

    /// The figures as [`parse`] reads them back from [`Snapshot::text`] (keys and values as
    /// written, one line each).
    pub fn stored(&self) -> Stored {
        Stored {
            info: Some(self.info.clone()),
            figures: self
                .figures
                .iter()
                .map(|f| Figure {
                    section: f.section.clone(),
                    key: key_text(&f.key),
                    value: value_text(&f.value),
                })
                .collect(),
        }
    }
}

/// A node of the header's YAML, as [`Snapshot::text`] writes it.
#[derive(Debug)]
enum Node {
    Text(String),
    Map(Vec<(String, Node)>),
}

/// A key or value as written in the header: a double-quoted (JSON) string, or plain text.
/// Returns the text and the rest of the line.
fn header_scalar(s: &str) -> Option<(String, &str)> {
    if let Some(body) = s.strip_prefix('"') {
        let mut escaped = false;
        for (i, ch) in body.char_indices() {
            match ch {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => {
                    let lit = &s[..i + 2];
                    return serde_json::from_str::<String>(lit)
                        .ok()
                        .map(|t| (t, &s[i + 2..]));
                }
                _ => escaped = false,
            }
        }
        None
    } else {
        Some((s.to_string(), ""))
    }
}

fn header_block(lines: &[&str], at: &mut usize, indent: usize) -> Option<Vec<(String, Node)>> {
    let mut out = Vec::new();
    while let Some(line) = lines.get(*at) {
        let depth = line.len() - line.trim_start_matches(' ').len();
        if line.trim().is_empty() {
            *at += 1;
            continue;
        }
        if depth < indent {
            break;
        }
        if depth > indent {
            return None;
        }
        let body = &line[depth..];
        let (key, rest) = if body.starts_with('"') {
            let (k, rest) = header_scalar(body)?;
            (k, rest.strip_prefix(':')?)
        } else {
            let (k, rest) = body.split_once(':')?;
            (k.to_string(), rest)
        };
        let rest = rest.trim();
        *at += 1;
        let node = if rest.is_empty() {
            Node::Map(header_block(lines, at, indent + 2)?)
        } else if rest == "{}" {
            Node::Map(Vec::new())
        } else {
            Node::Text(header_scalar(rest)?.0)
        };
        out.push((key, node));
    }
    Some(out)
}

fn info_of(header: &[&str]) -> Option<Info> {
    let mut at = 0;
    let top = header_block(header, &mut at, 0)?;
    let (_, Node::Map(fields)) = top.into_iter().find(|(k, _)| k == "info")? else {
        return None;
    };
    let mut info = Info::default();
    for (k, node) in fields {
        match (k.as_str(), node) {
            ("tribute", Node::Text(t)) => info.tribute = t,
            ("corpus", Node::Text(t)) => info.corpus = t,
            ("readings", Node::Text(t)) => info.readings = t,
            ("books", Node::Text(t)) => info.books = t,
            (name @ ("layers" | "used" | "files"), Node::Map(entries)) => {
                let pairs = entries
                    .into_iter()
                    .filter_map(|(k, v)| match v {
                        Node::Text(t) => Some((k, t)),
                        Node::Map(_) => None,
                    })
                    .collect();
                match name {
                    "layers" => info.layers = pairs,
                    "used" => info.used = pairs,
                    _ => info.files = pairs,
                }
            }
            _ => {}
        }
    }
    Some(info)
}

/// Reads a snapshot's text (shown to users as `path`). A body line that is neither a section,
/// a comment nor `key = value` is an error at its line; a header that cannot be read leaves
/// [`Stored::info`] empty.
pub fn parse(path: &str, text: &str) -> Result<Stored> {
    let text = text.replace("\r\n", "\n");
    let shared: std::sync::Arc<str> = text.as_str().into();
    let fix = "a snapshot is written by `tribute snapshot`: restore it from version control, or write it anew with `tribute snapshot --accept`";
    let lines: Vec<&str> = text.split('\n').collect();
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return Err(Error::new(
            ErrorKind::Syntax,
            "not a snapshot: the first line must be `---`, the start of its header",
        )
        .at(Location::new(path, &shared, 0..0))
        .help(fix));
    }
    let Some(end) = lines.iter().skip(1).position(|l| l.trim_end() == "---") else {
        return Err(Error::new(
            ErrorKind::Syntax,
            "not a snapshot: its header never ends (no second `---` line)",
        )
        .at(Location::new(path, &shared, 0..0))
        .help(fix));
    };
    let end = end + 1;
    let info = info_of(&lines[1..end]);
    let mut figures = Vec::new();
    let mut section: Option<String> = None;
    let mut offset: usize = lines[..=end].iter().map(|l| l.len() + 1).sum();
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    for line in &lines[end + 1..] {
        let start = offset;
        offset += line.len() + 1;
        let at = || Location::new(path, &shared, start..start + line.len());
        let l = line.trim_end();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        if let Some(name) = l.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            section = Some(name.to_string());
            continue;
        }
        let Some((key, value)) = l.split_once(" = ") else {
            return Err(Error::new(
                ErrorKind::Syntax,
                "not a figure line: expected `row figure = value`, a `[section]` or a `#` comment",
            )
            .at(at())
            .help(fix));
        };
        let Some(section) = &section else {
            return Err(
                Error::new(ErrorKind::Syntax, "a figure before any `[section]` line")
                    .at(at())
                    .help(fix),
            );
        };
        if !seen.insert((section.clone(), key.to_string())) {
            return Err(Error::new(
                ErrorKind::Duplicate,
                format!("the figure `{key}` appears twice in section [{section}]"),
            )
            .at(at())
            .help(fix));
        }
        figures.push(Figure {
            section: section.clone(),
            key: key.to_string(),
            value: value.to_string(),
        });
    }
    Ok(Stored { info, figures })
}

/// How the `new` snapshot differs from the `old` one, figure by figure; and, when a figure
/// differs, what the headers say changed in between.
pub fn compare(old: &Stored, new: &Snapshot) -> Difference {
    let new = new.stored();
    let index = |s: &Stored| -> BTreeMap<(String, String), String> {
        s.figures
            .iter()
            .map(|f| ((f.section.clone(), f.key.clone()), f.value.clone()))
            .collect()
    };
    let (was, is) = (index(old), index(&new));
    let mut changes = Vec::new();
    for f in &new.figures {
        let k = (f.section.clone(), f.key.clone());
        match was.get(&k) {
            Some(v) if *v == f.value => {}
            other => changes.push(Change {
                section: f.section.clone(),
                key: f.key.clone(),
                old: other.cloned(),
                new: Some(f.value.clone()),
            }),
        }
    }
    for f in &old.figures {
        if !is.contains_key(&(f.section.clone(), f.key.clone())) {
            changes.push(Change {
                section: f.section.clone(),
                key: f.key.clone(),
                old: Some(f.value.clone()),
                new: None,
            });
        }
    }
    let causes = match (&old.info, &new.info) {
        _ if changes.is_empty() => Vec::new(),
        (Some(a), Some(b)) => causes(a, b),
        (None, _) | (_, None) => vec![
            "the stored snapshot's header cannot be read, so what changed cannot be told".into(),
        ],
    };
    Difference { changes, causes }
}

/// What changed between two headers, in words.
fn causes(a: &Info, b: &Info) -> Vec<String> {
    let mut out = Vec::new();
    if a.tribute != b.tribute {
        out.push(format!("tribute version {} → {}", a.tribute, b.tribute));
    }
    if a.readings != b.readings {
        out.push(format!(
            "readings selected: {} → {}",
            a.readings, b.readings
        ));
    }
    let map = |v: &[(String, String)]| -> BTreeMap<String, String> { v.iter().cloned().collect() };
    let (ua, ub) = (map(&a.used), map(&b.used));
    for (item, r) in &ub {
        match ua.get(item) {
            Some(old) if old != r => out.push(format!("reading of {item}: {old} → {r}")),
            None => out.push(format!("reading of {item}: {r} (not in the snapshot)")),
            _ => {}
        }
    }
    for (item, r) in &ua {
        if !ub.contains_key(item) {
            out.push(format!("reading of {item}: {r} → (no longer used)"));
        }
    }
    if a.books != b.books {
        out.push(format!("price books: {} → {}", a.books, b.books));
    }
    let (fa, fb) = (map(&a.files), map(&b.files));
    let mut file_changed = false;
    for (f, d) in &fb {
        match fa.get(f) {
            Some(old) if old != d => {
                file_changed = true;
                out.push(format!("file {f} changed ({old} → {d})"));
            }
            None => {
                file_changed = true;
                out.push(format!("file {f} is new to these figures"));
            }
            _ => {}
        }
    }
    for f in fa.keys() {
        if !fb.contains_key(f) {
            file_changed = true;
            out.push(format!("file {f} no longer counts"));
        }
    }
    if !file_changed && a.corpus != b.corpus {
        out.push(format!(
            "the corpus changed ({} → {}) in files these figures were not seen to rest on",
            a.corpus, b.corpus
        ));
    }
    if out.is_empty() {
        out.push(
            "nothing the header records changed (the same version, readings and files): the figures are computed differently"
                .into(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::Readings;

    fn figure(section: &str, key: &str, value: &str) -> Figure {
        Figure {
            section: section.into(),
            key: key.into(),
            value: value.into(),
        }
    }

    fn sample() -> Snapshot {
        Snapshot {
            treaty: "t".into(),
            source: "t.toml".into(),
            expression: "tribute snapshot --treaty t".into(),
            info: Info {
                tribute: "0.1.0".into(),
                corpus: "0123456789abcdef".into(),
                readings: "(defaults)".into(),
                books: "(none)".into(),
                layers: vec![
                    ("<built-in>".into(), "aaaa".into()),
                    (".".into(), "bbbb".into()),
                ],
                used: vec![],
                files: vec![
                    ("t.toml".into(), "cccc".into()),
                    // A name a YAML plain scalar could not hold.
                    ("odd: \"name\".toml".into(), "dddd".into()),
                ],
            },
            figures: vec![
                figure("treaty", "id", "t"),
                figure("totals", "t/annual silver owed", "1000"),
                figure(
                    "totals",
                    "t/annual silver note",
                    "two\nlines \\ and a = sign",
                ),
                figure("claims", "c a = b", "holds"),
            ],
        }
    }

    #[test]
    fn a_snapshot_reads_back_as_written() {
        let s = sample();
        let text = s.text();
        assert!(text.starts_with("---\nsource: \"t.toml\"\n"));
        let stored = parse("t.snap", &text).expect("it parses");
        assert_eq!(stored, s.stored());
        assert_eq!(stored.info.as_ref(), Some(&s.info));
        // One line per figure: the newline in the value is escaped, the ` = ` in the key too.
        assert!(text.contains("t/annual silver note = two\\nlines \\\\ and a = sign\n"));
        assert!(text.contains("c a \\= b = holds\n"));
        assert!(compare(&stored, &s).is_empty());
        // Windows line ends are the same snapshot.
        let crlf = parse("t.snap", &text.replace('\n', "\r\n")).expect("it parses");
        assert_eq!(crlf, stored);
    }

    #[test]
    fn a_difference_names_each_figure_old_and_new_and_what_changed() {
        let old = sample();
        let mut new = sample();
        new.figures[1].value = "1200".into();
        new.figures.remove(3);
        new.figures
            .push(figure("totals", "t/annual silver recorded", "0"));
        new.info.files[0].1 = "eeee".into();
        new.info.tribute = "0.2.0".into();
        let d = compare(&parse("t.snap", &old.text()).expect("parses"), &new);
        let change = |section: &str, key: &str, old: Option<&str>, new: Option<&str>| Change {
            section: section.into(),
            key: key.into(),
            old: old.map(Into::into),
            new: new.map(Into::into),
        };
        assert_eq!(
            d.changes,
            vec![
                change("totals", "t/annual silver owed", Some("1000"), Some("1200")),
                change("totals", "t/annual silver recorded", None, Some("0")),
                change("claims", "c a \\= b", Some("holds"), None),
            ]
        );
        assert_eq!(
            d.causes,
            vec![
                "tribute version 0.1.0 → 0.2.0".to_string(),
                "file t.toml changed (cccc → eeee)".to_string(),
            ]
        );
        // A header that cannot be read costs the explanation, not the comparison.
        let headless = old.text().replacen("info:\n", "info: [\n", 1);
        let d = compare(&parse("t.snap", &headless).expect("parses"), &new);
        assert_eq!(d.changes.len(), 3);
        assert_eq!(d.causes.len(), 1);
        assert!(d.causes[0].contains("cannot be read"), "{:?}", d.causes);
    }

    #[test]
    fn a_bad_line_is_an_error_at_its_line() {
        let text = sample().text();
        let header_lines = text
            .lines()
            .skip(1)
            .position(|l| l == "---")
            .expect("a header")
            + 2;
        let bad = format!("{text}this is not a figure\n");
        let e = parse("snapshots/t.snap", &bad).unwrap_err();
        let lines = text.lines().count();
        assert!(lines > header_lines);
        let at = e.location().expect("located");
        assert_eq!(
            (at.path.as_str(), at.line, at.column),
            ("snapshots/t.snap", lines + 1, 1)
        );
        assert!(e.help_text().is_some_and(|h| h.contains("--accept")));
        let e = parse("t.snap", "no header\n").unwrap_err();
        assert_eq!(e.location().map(|l| l.line), Some(1));
        let e = parse("t.snap", "---\nsource: x\n").unwrap_err();
        assert!(e.message().contains("never ends"), "{e}");
        let twice = format!("{text}id = t\n");
        let e = parse("t.snap", &twice.replace("[claims]", "[treaty]")).unwrap_err();
        assert!(e.message().contains("twice"), "{e}");
    }

    #[test]
    fn a_field_the_report_types_gain_appears_without_a_change_here() {
        let totals = serde_json::json!({
            "rows": [
                {"group": "t/a", "commodity": "silver", "owed": "10", "recorded": "4",
                 "arrears": {"low": "1", "high": "2"}},
                {"group": "t/a", "commodity": "silver", "owed": "3"}
            ],
            "share_delivered": "0.4",
            "note": "prose is left out",
            "empty": []
        });
        let keys: Vec<(String, String)> = flatten("totals", &totals)
            .into_iter()
            .map(|f| (f.key, f.value))
            .collect();
        let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
        assert_eq!(
            keys,
            vec![
                pair("t/a silver arrears.high", "2"),
                pair("t/a silver arrears.low", "1"),
                pair("t/a silver owed", "10"),
                pair("t/a silver recorded", "4"),
                // The same row name twice is told apart, never merged.
                pair("t/a silver #2 owed", "3"),
                pair("share_delivered", "0.4"),
            ]
        );
    }

    #[test]
    fn a_builtin_treaty_snapshot_carries_its_sourced_totals() {
        let layers = [
            crate::plugin::builtin(),
            Layer {
                name: "mine".into(),
                files: Vec::new(),
            },
        ];
        let corpus = Corpus::load(&layers).expect("loads");
        let resolved = Resolved::new(&corpus, &Readings::defaults()).expect("resolves");
        let snaps = Snapshots::new(&corpus, &resolved, &layers, 1, "9.9.9").expect("ready");
        assert!(snaps.home_treaties().is_empty());
        assert!(snaps.books().is_empty());
        let s = snaps.take("song-liao-1005-chanyuan").expect("a snapshot");
        let value = |section: &str, key: &str| {
            s.figures
                .iter()
                .find(|f| f.section == section && f.key == key)
                .map(|f| f.value.clone())
        };
        // history.md §1: 37 payments (1005–1041) of 100,000 taels, then 80 (1042–1121) of
        // 200,000 after the 1042 increase.
        let silver = 37 * 100_000 + 80 * 200_000;
        assert_eq!(
            value("totals", "song-liao-1005-chanyuan/annual silver owed"),
            Some(silver.to_string())
        );
        // And 200,000 bolts of silk, then 300,000.
        let silk = 37 * 200_000 + 80 * 300_000;
        assert_eq!(
            value("totals", "song-liao-1005-chanyuan/annual silk owed"),
            Some(silk.to_string())
        );
        assert_eq!(s.source, "<built-in>/song-liao-1005-chanyuan.toml");
        assert_eq!(s.info.tribute, "9.9.9");
        assert_eq!(s.info.corpus, corpus_digest(&layers).short());
        let files: Vec<&str> = s.info.files.iter().map(|(f, _)| f.as_str()).collect();
        // The amendment that raises and ends the stream lives in another file; it is named.
        assert!(
            files.contains(&"<built-in>/song-liao-1042.toml"),
            "{files:?}"
        );
        assert!(
            files.contains(&"<built-in>/registry/units.toml"),
            "{files:?}"
        );
        assert!(!files.iter().any(|f| f.contains("song-jin")), "{files:?}");
        // Deterministic: the same inputs give the same bytes.
        assert_eq!(
            s.text(),
            snaps.take("song-liao-1005-chanyuan").expect("again").text()
        );
        assert!(!s.text().contains("/tmp"));
    }
}
