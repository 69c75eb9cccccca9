//! Loading plugin data: discovery in layers, strict parsing, validation against the registry.
//!
//! A corpus is read from layers, lowest first: the built-in corpus, then each folder the user names.
//! Within a layer, `registry/**.toml` are registry files, `prices/**.toml` are price books, and every
//! other `*.toml` (in any subfolder) is a treaty whose id is its file stem; `streams/*.csv` and
//! `deliveries/*.csv` are tables, read by `crate::table`. A later layer overrides
//! an earlier one by id; the same id twice in one layer is an error naming both files. Every problem
//! is an [`Error`] with file, line and column; nothing is skipped silently.
//!
//! Not one thing, and over 2,000 lines: it still holds the folder walk, the spanned field parsers,
//! the registry, treaty items and claims, the corpus merge and the cross-file checks. Splitting it
//! into a `plugin/` module tree (issue 8, item 2) is open work, not a design choice.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use rust_decimal::Decimal;
use toml::Spanned;

use crate::amount::{Basket, CommodityId, YEAR_MAX, Year, checked_year, parse_decimal};
use crate::error::{Error, ErrorKind, LineIndex, Location, Result};
use crate::model::*;
use crate::raw::*;
use crate::registry::{Commodity, Party, Quality, Registry, SourceInfo, Unit};
use crate::schedule::{self, ScheduleInput};

/// One file of a layer.
#[derive(Debug, Clone)]
pub struct PluginFile {
    /// Path inside the layer, with `/` separators (`registry/units.toml`, `song-jin-1123.toml`).
    pub relative: String,
    /// The file as shown to users.
    pub display: String,
    /// Its bytes.
    pub bytes: Arc<[u8]>,
}

/// A set of plugin files: the built-in corpus or one folder.
#[derive(Debug, Clone)]
pub struct Layer {
    /// `<built-in>` or the folder as the user gave it.
    pub name: String,
    /// Its files, sorted by relative path.
    pub files: Vec<PluginFile>,
}

/// The largest plugin file read by default: 64 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// How plugin folders are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadOptions {
    /// The largest file read, in bytes; a larger file is an error naming it. (The `tribute` binary
    /// takes it from `TRIBUTE_MAX_FILE_SIZE`.)
    pub max_file_size: u64,
}

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

impl Layer {
    /// [`Layer::from_dir_with`] with the default options.
    pub fn from_dir(dir: &Path) -> Result<Layer> {
        Layer::from_dir_with(dir, &LoadOptions::default())
    }

    /// Reads every `.toml` file below `dir` (recursively; links are followed, each folder is read
    /// once), or an error naming the folder or file that cannot be read. Only regular files are
    /// read, each up to `options.max_file_size` bytes: a named pipe, device or socket named
    /// `*.toml`, a link to one, a broken link and a file over the limit are errors.
    pub fn from_dir_with(dir: &Path, options: &LoadOptions) -> Result<Layer> {
        let name = dir.display().to_string();
        let meta = std::fs::metadata(dir).map_err(|e| {
            Error::new(ErrorKind::Io, format!("cannot read treaty folder: {e}"))
                .in_file(&name)
                .help("check the path given with --treaties or in TRIBUTE_PATH")
        })?;
        if !meta.is_dir() {
            return Err(Error::new(ErrorKind::Io, "is not a folder")
                .in_file(&name)
                .help("--treaties and TRIBUTE_PATH name folders that hold treaty files"));
        }
        let mut paths = walk(dir)?;
        paths.retain(|p| crate::table::wanted(dir, p)); // tables: .csv only in streams/, deliveries/
        let read = parallel_map(&paths, |path| -> Result<PluginFile> {
            let bytes = read_limited(path, options.max_file_size)?;
            let relative = path.strip_prefix(dir).unwrap_or(path);
            let relative = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            Ok(PluginFile {
                display: path.display().to_string(),
                relative,
                bytes: bytes.into(),
            })
        });
        let mut files = read.into_iter().collect::<Result<Vec<_>>>()?;
        files.sort_by(|a, b| a.relative.cmp(&b.relative));
        Ok(Layer { name, files })
    }
}

fn io_error(e: &std::io::Error, p: &Path) -> Error {
    Error::new(ErrorKind::Io, format!("cannot read: {e}"))
        .in_file(p.display().to_string())
        .help("check that the file exists and that you may read it")
}

/// What a file system entry is, in words, if it is neither a regular file nor a folder.
fn special_kind(t: &std::fs::FileType) -> Option<&'static str> {
    if t.is_file() || t.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a named pipe (FIFO)");
        } else if t.is_socket() {
            return Some("a socket");
        } else if t.is_char_device() {
            return Some("a character device");
        } else if t.is_block_device() {
            return Some("a block device");
        }
    }
    Some("not a regular file")
}

/// The error for a `.toml` entry that is not a regular file (`what`, reached through `link`).
fn not_regular(path: &Path, what: &str, link: Option<&Path>) -> Error {
    let message = match link {
        Some(target) => format!(
            "is a symbolic link to {}, which is {what}, not a regular file",
            target.display()
        ),
        None => format!("is {what}, not a regular file"),
    };
    Error::new(ErrorKind::Io, message)
        .in_file(path.display().to_string())
        .help("only regular files are read (links to them are followed); remove it, or replace it with a regular file")
}

/// Lists the `.toml` and `.csv` files below `dir`, sorted, following links as the file system does but
/// reading each folder once (a link loop is an error, not an endless walk). Iterative: the depth
/// of the folders costs no stack. Entries that are not `.toml` files are ignored, except a broken
/// link, which is reported (it may have been meant as a folder).
fn walk(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    let mut out = Vec::new();
    let mut seen: HashMap<std::path::PathBuf, std::path::PathBuf> = HashMap::new();
    let canonical = std::fs::canonicalize(dir).map_err(|e| io_error(&e, dir))?;
    seen.insert(canonical, dir.to_path_buf());
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| io_error(&e, &dir))?;
        let mut found = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| io_error(&e, &dir))?;
            let path = entry.path();
            let mut kind = entry.file_type().map_err(|e| io_error(&e, &path))?;
            let mut link = None;
            if kind.is_symlink() {
                let target = std::fs::read_link(&path).map_err(|e| io_error(&e, &path))?;
                kind = match std::fs::metadata(&path) {
                    Ok(m) => m.file_type(),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        return Err(Error::new(
                            ErrorKind::Io,
                            format!(
                                "is a broken symbolic link: it points to {}, which does not exist",
                                target.display()
                            ),
                        )
                        .in_file(path.display().to_string())
                        .help("remove the link, or make it point at an existing file or folder"));
                    }
                    Err(e) => {
                        return Err(Error::new(
                            ErrorKind::Io,
                            format!(
                                "is a symbolic link to {} that cannot be followed: {e}",
                                target.display()
                            ),
                        )
                        .in_file(path.display().to_string())
                        .help("remove the link, or make it point at an existing file or folder"));
                    }
                };
                link = Some(target);
            }
            found.push((path, kind, link));
        }
        found.sort_by(|a, b| a.0.cmp(&b.0));
        let mut subdirs = Vec::new();
        for (path, kind, link) in found {
            if kind.is_dir() {
                let canonical = std::fs::canonicalize(&path).map_err(|e| io_error(&e, &path))?;
                if let Some(first) = seen.get(&canonical) {
                    return Err(Error::new(
                        ErrorKind::Io,
                        format!(
                            "leads to a folder already read, as {} (a link loop, or a second link to one folder)",
                            first.display()
                        ),
                    )
                    .in_file(path.display().to_string())
                    .help("remove the link; each folder is read once"));
                }
                seen.insert(canonical, path.clone());
                subdirs.push(path);
            } else if path.file_name().is_some_and(|n| n == ".toml") {
                // `Path` sees no extension in `.toml`, so it would be skipped without a word.
                return Err(Error::new(
                    ErrorKind::Value,
                    "is named `.toml`, with nothing before the extension: a treaty's id (a price book's, a series') is its file name",
                )
                .in_file(path.display().to_string())
                .help("rename it to ID.toml, e.g. song-jin-1142-shaoxing.toml"));
            } else if path.extension().is_some_and(|e| e == "toml" || e == "csv") {
                if let Some(what) = special_kind(&kind) {
                    return Err(not_regular(&path, what, link.as_deref()));
                }
                out.push(path);
            }
        }
        // Last pushed is read first: folders in sorted order, as a recursive walk would.
        pending.extend(subdirs.into_iter().rev());
    }
    Ok(out)
}

/// Reads a regular file of at most `limit` bytes. The size is checked before reading, and at
/// most `limit + 1` bytes are read, so a file that grows meanwhile (or claims size 0, as files
/// under /proc do) is caught too.
fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let check = |meta: &std::fs::Metadata| -> Result<()> {
        if let Some(what) = special_kind(&meta.file_type()) {
            return Err(not_regular(path, what, None));
        }
        if meta.is_dir() {
            return Err(not_regular(path, "a folder", None));
        }
        if meta.len() > limit {
            return Err(too_large(path, meta.len(), limit, true));
        }
        Ok(())
    };
    check(&std::fs::metadata(path).map_err(|e| io_error(&e, path))?)?;
    let file = std::fs::File::open(path).map_err(|e| io_error(&e, path))?;
    // The file may have been replaced since the walk: check what was opened.
    let meta = file.metadata().map_err(|e| io_error(&e, path))?;
    check(&meta)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(&e, path))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(path, bytes.len() as u64, limit, false));
    }
    Ok(bytes)
}

/// The error for a file over the size limit (`size` bytes, or at least that if not `exact`),
/// saying how to raise the limit.
fn too_large(path: &Path, size: u64, limit: u64, exact: bool) -> Error {
    let suggest = size
        .saturating_add(1)
        .checked_next_power_of_two()
        .unwrap_or(u64::MAX);
    Error::new(
        ErrorKind::Io,
        format!(
            "the file is {}{size} bytes, more than the limit of {limit} bytes per file",
            if exact { "" } else { "at least " }
        ),
    )
    .in_file(path.display().to_string())
    .help(format!(
        "if it is meant to be this large, raise the limit with the environment variable TRIBUTE_MAX_FILE_SIZE (bytes), e.g. TRIBUTE_MAX_FILE_SIZE={suggest}"
    ))
}

/// Runs `f` over `items` on all cores (in order of the result), for reading and parsing many
/// plugin files; a handful of items run on the calling thread. rayon's work stealing keeps every
/// core busy when files (or a shared machine's load) are uneven; docs/performance.md has the
/// measurement against the fixed chunk per thread this used to be.
pub(crate) fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use rayon::prelude::*;
    if items.len() < 64 {
        return items.iter().map(&f).collect();
    }
    items.par_iter().map(&f).collect()
}

/// What a file is, by where it sits in its layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `registry/…`
    Registry,
    /// `prices/…`
    Prices,
    /// `context/…`: population and revenue series
    Context,
    /// `streams/….csv`: a table of treaties' streams (crate::table)
    Streams,
    /// `deliveries/….csv`: a table of recorded deliveries (crate::table)
    Deliveries,
    /// anything else
    Treaty,
}

impl PluginFile {
    /// The kind of file, by its folder.
    pub fn kind(&self) -> FileKind {
        if let Some(table) = crate::table::kind_of(&self.relative) {
            table
        } else if self.relative.starts_with("registry/") {
            FileKind::Registry
        } else if self.relative.starts_with("prices/") {
            FileKind::Prices
        } else if self.relative.starts_with("context/") {
            FileKind::Context
        } else {
            FileKind::Treaty
        }
    }

    /// The id a treaty, price book or table file defines: its file stem.
    pub fn stem(&self) -> &str {
        let name = self.relative.rsplit('/').next().unwrap_or(&self.relative);
        name.strip_suffix(".toml")
            .or_else(|| name.strip_suffix(".csv"))
            .unwrap_or(name)
    }

    /// The file's text, or an encoding error at the first invalid byte.
    pub fn text(&self) -> Result<Arc<str>> {
        match std::str::from_utf8(&self.bytes) {
            Ok(t) => Ok(Arc::from(t)),
            Err(e) => {
                let good = &self.bytes[..e.valid_up_to()];
                let text: Arc<str> = Arc::from(String::from_utf8_lossy(&self.bytes).as_ref());
                let at = String::from_utf8_lossy(good).len();
                Err(Error::new(
                    ErrorKind::Encoding,
                    format!(
                        "the file is not UTF-8 (invalid byte at offset {})",
                        e.valid_up_to()
                    ),
                )
                .at(Location::new(&self.display, &text, at..at + 1))
                .help("save the file as UTF-8; Chinese characters are welcome in UTF-8"))
            }
        }
    }
}

/// Parses TOML text into `T`, reporting syntax and schema errors with their location.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(
    display: &str,
    text: &Arc<str>,
    what: &str,
) -> Result<T> {
    let located = |e: &toml::de::Error, kind: ErrorKind| {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim().to_string();
        let help = if message.starts_with("unknown field") {
            format!("remove or correct the key; docs/treaty-format.md lists every key of a {what}")
        } else if message.starts_with("missing field") {
            format!("add the key; docs/treaty-format.md lists the required keys of a {what}")
        } else if kind == ErrorKind::Syntax {
            "fix the TOML syntax at the marked place".to_string()
        } else {
            format!("see docs/treaty-format.md for the keys and types of a {what}")
        };
        Error::new(kind, message)
            .at(Location::new(display, text, span))
            .help(help)
    };
    if text.trim().is_empty() {
        return Err(Error::new(
            ErrorKind::Schema,
            format!("the file is empty; a {what} needs at least its required keys"),
        )
        .at(Location::new(display, text, 0..0))
        .help("see docs/treaty-format.md for a complete example"));
    }
    // One parse for a good file; only a bad one is parsed again, untyped, to tell a syntax error
    // from a schema error.
    toml::from_str::<T>(text).map_err(|e| match toml::from_str::<toml::Table>(text) {
        Err(syntax) => located(&syntax, ErrorKind::Syntax),
        Ok(_) => located(&e, ErrorKind::Schema),
    })
}

/// A valid id: lower-case ASCII letters, digits and single hyphens.
pub(crate) fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Helpers to turn spans of one file into errors and locations; the file's lines are indexed
/// once, so each location is a binary search (a file may hold tens of thousands of items).
#[derive(Clone)]
pub(crate) struct FileCtx {
    pub display: String,
    index: Arc<LineIndex>,
}

impl FileCtx {
    pub(crate) fn new(display: &str, text: &Arc<str>) -> FileCtx {
        FileCtx {
            display: display.to_string(),
            index: Arc::new(LineIndex::new(text)),
        }
    }
    pub(crate) fn loc(&self, span: Range<usize>) -> Location {
        Location::indexed(&self.display, &self.index, span)
    }
    pub(crate) fn err(&self, kind: ErrorKind, span: Range<usize>, msg: impl Into<String>) -> Error {
        Error::new(kind, msg).at(self.loc(span))
    }
}

/// A year key's value, checked to lie in the supported range ([`crate::YEAR_MIN`] to
/// [`crate::YEAR_MAX`]).
pub(crate) fn year(ctx: &FileCtx, v: &Spanned<i64>) -> Result<Year> {
    checked_year(*v.get_ref())
        .map_err(|(message, help)| ctx.err(ErrorKind::Value, v.span(), message).help(help))
}

// ---------------------------------------------------------------------------------------------
// Registry

#[derive(Default)]
struct RegistryParts {
    units: BTreeMap<String, Unit>,
    commodities: BTreeMap<String, Commodity>,
    parties: BTreeMap<String, Party>,
    sources: BTreeMap<String, SourceInfo>,
    /// Where each party's `part_of` is written (by party id), to locate an unknown one.
    part_of_at: BTreeMap<String, Location>,
}

pub(crate) fn quality(ctx: &FileCtx, q: &Spanned<String>) -> Result<Quality> {
    match q.get_ref().as_str() {
        "A" => Ok(Quality::A),
        "B" => Ok(Quality::B),
        "C" => Ok(Quality::C),
        "D" => Err(ctx
            .err(ErrorKind::Value, q.span(), "quality D sources are not accepted as data")
            .help("find the figure in an A, B or C source, or leave it out and say so in the notes")),
        other => Err(ctx
            .err(ErrorKind::Value, q.span(), format!("unknown quality `{other}`"))
            .help("quality is one of \"A\" (scholarly), \"B\" (encyclopedic, official), \"C\" (popular)")),
    }
}

fn read_registry_layer(layer: &Layer, parts: &mut RegistryParts) -> Vec<Error> {
    let mut errors = Vec::new();
    // Which file of this layer defined each id, per kind, to name both files on a duplicate.
    let mut seen: HashMap<(&'static str, String), String> = HashMap::new();
    for file in layer
        .files
        .iter()
        .filter(|f| f.kind() == FileKind::Registry)
    {
        let result = (|| -> Result<()> {
            let text = file.text()?;
            let ctx = FileCtx::new(&file.display, &text);
            let raw: RawRegistry = parse_toml(&file.display, &text, "registry file")?;
            let mut claim = |kind: &'static str, id: &Spanned<String>| -> Result<String> {
                let name = id.get_ref().clone();
                if name.trim().is_empty() {
                    return Err(ctx.err(ErrorKind::Value, id.span(), format!("empty {kind} id")));
                }
                if let Some(prev) = seen.insert((kind, name.to_lowercase()), file.display.clone()) {
                    return Err(ctx
                        .err(ErrorKind::Duplicate, id.span(), format!("{kind} `{name}` is defined twice in one folder: here and in {prev}"))
                        .help("keep one definition; to override a built-in one, put yours in your own --treaties folder"));
                }
                Ok(name)
            };
            for u in &raw.unit {
                let u = u.get_ref();
                let id = claim("unit", &u.id)?;
                let size = match u.size.get_ref() {
                    toml::Value::String(s) => parse_decimal(s, false)
                        .map_err(|m| ctx.err(ErrorKind::Value, u.size.span(), m))?,
                    toml::Value::Integer(i) => Decimal::from(*i),
                    _ => {
                        return Err(ctx
                            .err(
                                ErrorKind::Value,
                                u.size.span(),
                                "a unit's size is a decimal string or an integer",
                            )
                            .help("write e.g. size = \"16\" (TOML floats lose digits)"));
                    }
                };
                if size <= Decimal::ZERO {
                    return Err(ctx
                        .err(
                            ErrorKind::Value,
                            u.size.span(),
                            "a unit's size must be above zero",
                        )
                        .help("size is how many of the measure's reference unit one of this unit makes, e.g. size = \"16\" for a catty of 16 taels"));
                }
                parts.units.insert(
                    id.clone(),
                    Unit {
                        id,
                        measure: u.measures.get_ref().clone(),
                        size,
                        aliases: u.aliases.iter().map(|a| a.get_ref().clone()).collect(),
                        note: u.note.clone(),
                        origin: file.display.clone(),
                    },
                );
            }
            for c in &raw.commodity {
                let c = c.get_ref();
                let id = claim("commodity", &c.id)?;
                if !is_kebab(&id) {
                    return Err(ctx
                        .err(
                            ErrorKind::Value,
                            c.id.span(),
                            format!("commodity id `{id}` is not lower-case kebab-case"),
                        )
                        .help(
                            "use lower-case letters, digits and hyphens, e.g. \"green-vitriol\"",
                        ));
                }
                parts.commodities.insert(
                    id.clone(),
                    Commodity {
                        name: c.name.clone().unwrap_or_else(|| id.clone()),
                        id,
                        measure: c.measures.get_ref().clone(),
                        unit: c.unit.get_ref().clone(),
                        group: c.group.clone().unwrap_or_else(|| "other".into()),
                        aliases: c.aliases.iter().map(|a| a.get_ref().clone()).collect(),
                        note: c.note.clone(),
                        origin: file.display.clone(),
                    },
                );
            }
            for p in &raw.party {
                let p = p.get_ref();
                let id = claim("party", &p.id)?;
                let from = p.from.as_ref().map(|v| year(&ctx, v)).transpose()?;
                let to = p.to.as_ref().map(|v| year(&ctx, v)).transpose()?;
                if let (Some(f), Some(t), Some(tspan)) = (from, to, p.to.as_ref()) {
                    if t < f {
                        return Err(ctx.err(
                            ErrorKind::Value,
                            tspan.span(),
                            format!("`to` ({t}) is before `from` ({f})"),
                        ));
                    }
                }
                match &p.part_of {
                    Some(parent) => {
                        parts.part_of_at.insert(id.clone(), ctx.loc(parent.span()));
                    }
                    None => {
                        parts.part_of_at.remove(&id);
                    }
                }
                parts.parties.insert(
                    id.clone(),
                    Party {
                        name: p.name.clone().unwrap_or_else(|| id.clone()),
                        id,
                        from,
                        to,
                        part_of: p.part_of.as_ref().map(|s| s.get_ref().clone()),
                        aliases: p.aliases.iter().map(|a| a.get_ref().clone()).collect(),
                        note: p.note.clone(),
                        origin: file.display.clone(),
                    },
                );
            }
            for s in &raw.source {
                let span = s.span();
                let s = s.get_ref();
                let Some(idv) = &s.id else {
                    return Err(ctx.err(
                        ErrorKind::Schema,
                        span,
                        "a registry source needs an `id`",
                    ));
                };
                let id = claim("source", idv)?;
                parts.sources.insert(
                    id.clone(),
                    SourceInfo {
                        id,
                        title: s.title.get_ref().clone(),
                        quality: quality(&ctx, &s.quality)?,
                        note: s.note.clone(),
                        origin: file.display.clone(),
                    },
                );
            }
            Ok(())
        })();
        if let Err(e) = result {
            errors.push(e);
        }
    }
    errors
}

fn check_registry(parts: &RegistryParts) -> Vec<Error> {
    let mut errors = Vec::new();
    let units_by_measure: BTreeSet<(&str, &str)> = parts
        .units
        .values()
        .map(|u| (u.measure.as_str(), u.id.as_str()))
        .collect();
    for c in parts.commodities.values() {
        let unit = parts
            .units
            .values()
            .find(|u| u.id == c.unit || u.aliases.iter().any(|a| a.eq_ignore_ascii_case(&c.unit)));
        match unit {
            None => errors.push(
                Error::new(
                    ErrorKind::Reference,
                    format!("commodity `{}` is kept in unknown unit `{}`", c.id, c.unit),
                )
                .in_file(&c.origin)
                .help("declare the unit in a registry file with [[unit]]"),
            ),
            Some(u) if u.measure != c.measure => errors.push(
                Error::new(
                    ErrorKind::Value,
                    format!(
                        "commodity `{}` measures {} but its unit `{}` measures {}",
                        c.id, c.measure, u.id, u.measure
                    ),
                )
                .in_file(&c.origin)
                .help(format!(
                    "keep `{}` in a unit of {}, or make it measure {}",
                    c.id, c.measure, u.measure
                )),
            ),
            Some(_) => {}
        }
        if !units_by_measure.iter().any(|(m, _)| *m == c.measure) {
            errors.push(
                Error::new(
                    ErrorKind::Reference,
                    format!("no unit measures {}", c.measure),
                )
                .in_file(&c.origin)
                .help(format!(
                    "declare a [[unit]] with measures = \"{}\" and size = \"1\"",
                    c.measure
                )),
            );
        }
    }
    // A chain of part_of that comes back to where it started would make a party part of itself;
    // reported once per cycle, at the part_of of its first party by id.
    let parent_of = |id: &str| -> Option<&Party> {
        let p = parts.parties.values().find(|q| q.id == id)?;
        let parent = p.part_of.as_deref()?.trim().to_lowercase();
        parts.parties.values().find(|q| {
            q.id.to_lowercase() == parent || q.aliases.iter().any(|a| a.to_lowercase() == parent)
        })
    };
    for p in parts.parties.values() {
        let mut chain = vec![p.id.as_str()];
        let mut at = p.id.as_str();
        while let Some(next) = parent_of(at) {
            if next.id == p.id {
                if chain.iter().all(|c| *c >= p.id.as_str()) {
                    chain.push(p.id.as_str());
                    let error = Error::new(
                        ErrorKind::Reference,
                        format!("parties form a cycle of part_of: {}", chain.join(" → ")),
                    )
                    .help("a party cannot be part of itself: remove part_of from one of them");
                    errors.push(match parts.part_of_at.get(&p.id) {
                        Some(at) => error.at(at.clone()),
                        None => error.in_file(&p.origin),
                    });
                }
                break;
            }
            if chain.contains(&next.id.as_str()) {
                break;
            }
            chain.push(next.id.as_str());
            at = next.id.as_str();
        }
    }
    let party_names = parts
        .parties
        .values()
        .flat_map(|q| std::iter::once(q.id.as_str()).chain(q.aliases.iter().map(String::as_str)));
    for p in parts.parties.values() {
        if let Some(parent) = &p.part_of {
            let wanted = parent.trim().to_lowercase();
            if !party_names
                .clone()
                .any(|n| n.trim().to_lowercase() == wanted)
            {
                let error = Error::new(
                    ErrorKind::Reference,
                    format!("party `{}` is part of unknown party `{parent}`", p.id),
                )
                .help(crate::suggest::with_advice(
                    parent,
                    "parties",
                    party_names.clone(),
                    "declare the larger party too, or remove part_of",
                ));
                errors.push(match parts.part_of_at.get(&p.id) {
                    Some(at) => error.at(at.clone()),
                    None => error.in_file(&p.origin),
                });
            }
        }
    }
    errors
}

// ---------------------------------------------------------------------------------------------
// Treaties

/// Validates amounts against the registry: known commodity, known unit of its measure, exact, and
/// not negative unless `allow_negative`.
pub(crate) fn amounts(
    ctx: &FileCtx,
    reg: &Registry,
    raw: &Spanned<RawAmounts>,
    allow_negative: bool,
) -> Result<Basket> {
    amounts_placed(ctx, reg, raw, allow_negative).map(|(basket, _)| basket)
}

/// [`amounts`], with each commodity's written decimal places: the places of the number as written
/// or of its exact value in the commodity's own unit, whichever is more ("100.00 bolt" has 2,
/// "1.5 catty" of silver is 24.0 taels and has 1). Installments split at these places.
pub(crate) fn amounts_placed(
    ctx: &FileCtx,
    reg: &Registry,
    raw: &Spanned<RawAmounts>,
    allow_negative: bool,
) -> Result<(Basket, Vec<(CommodityId, u32)>)> {
    let mut places = Vec::new();
    let mut basket = Basket::new();
    let mut seen = BTreeMap::new();
    for (key, value) in raw.get_ref() {
        let Some(c) = reg.find_commodity(key.get_ref()) else {
            let known: Vec<&str> = reg.commodities().iter().map(|c| c.id.as_str()).collect();
            return Err(ctx
                .err(ErrorKind::Reference, key.span(), format!("unknown commodity `{}`", key.get_ref()))
                .help(format!("known commodities: {}; a new one is declared with [[commodity]] in a registry file", known.join(", "))));
        };
        if let Some(prev) = seen.insert(c, key.get_ref().clone()) {
            return Err(ctx.err(
                ErrorKind::Duplicate,
                key.span(),
                format!(
                    "`{}` and `{prev}` name the same commodity ({})",
                    key.get_ref(),
                    reg.commodity(c).id
                ),
            ));
        }
        let span = value.span();
        let (number, unit) = match value.get_ref() {
            toml::Value::Integer(i) => (Decimal::from(*i), None),
            toml::Value::String(s) => {
                let mut parts = s.split_whitespace();
                let number = parts.next().unwrap_or("");
                let unit = parts.next();
                if parts.next().is_some() {
                    return Err(ctx
                        .err(ErrorKind::Value, span, format!("`{s}` is not an amount"))
                        .help("write a number and at most one unit, e.g. \"100000 tael\""));
                }
                let n = parse_decimal(number, true).map_err(|m| {
                    ctx.err(ErrorKind::Value, span.clone(), m)
                        .help("write e.g. \"100000 tael\" or \"2.5 ding\"")
                })?;
                (n, unit)
            }
            toml::Value::Float(f) => {
                return Err(ctx
                    .err(
                        ErrorKind::Value,
                        span,
                        format!("`{f}` is a TOML float, and floats lose digits"),
                    )
                    .help(format!(
                        "write the amount as a string: {} = \"{f} {}\"",
                        key.get_ref(),
                        reg.unit_of(c)
                    )));
            }
            _ => {
                return Err(ctx
                    .err(
                        ErrorKind::Schema,
                        span,
                        "an amount is a string like \"100000 tael\" or a whole number",
                    )
                    .help("see docs/treaty-format.md#amounts"));
            }
        };
        if number.is_sign_negative() && !number.is_zero() && !allow_negative {
            return Err(ctx
                .err(
                    ErrorKind::Value,
                    span,
                    format!("amount {number} is negative; what is owed cannot be below zero"),
                )
                .help("only an `adjust` amendment may carry a negative change"));
        }
        let value = match unit {
            None => number,
            Some(u) => {
                let Some(unit) = reg.find_unit(u) else {
                    let known: Vec<&str> = reg
                        .units()
                        .iter()
                        .filter(|x| x.measure == reg.commodity(c).measure)
                        .map(|x| x.id.as_str())
                        .collect();
                    return Err(ctx
                        .err(ErrorKind::Reference, span, format!("unknown unit `{u}`"))
                        .help(format!(
                            "units of {}: {}",
                            reg.commodity(c).measure,
                            known.join(", ")
                        )));
                };
                reg.convert(c, number, unit).map_err(|(message, help)| {
                    ctx.err(ErrorKind::Value, span.clone(), message).help(help)
                })?
            }
        };
        places.push((c, number.scale().max(value.scale())));
        basket
            .add_amount(c, value)
            .map_err(|e| ctx.err(e.kind(), span.clone(), e.message().to_string()))?;
    }
    places.sort_unstable();
    Ok((basket, places))
}

/// A party named in a file (a payer, a payee, a series' party): the registry's id for a name that
/// is one of its parties' ids or aliases, else an error at the name with the nearest names.
pub(crate) fn party(ctx: &FileCtx, reg: &Registry, raw: &Spanned<String>) -> Result<String> {
    match reg.find_party(raw.get_ref()) {
        Some(p) => Ok(p.id.clone()),
        None => Err(reg.unknown_party(raw.get_ref()).at(ctx.loc(raw.span()))),
    }
}

pub(crate) fn sources(
    ctx: &FileCtx,
    reg: &Registry,
    local: &[LocalSource],
    raw: &Spanned<OneOrMany>,
) -> Result<Vec<SourceRef>> {
    let mut out = Vec::new();
    let span = raw.span();
    let Some(items) = raw.get_ref().strings() else {
        return Err(ctx
            .err(
                ErrorKind::Schema,
                span,
                "a source is a string or an array of strings",
            )
            .help(
                "write source = \"ID\" or source = \"ID, locator\" or an array of such strings",
            ));
    };
    for text in &items {
        let (id, locator) = match text.split_once(',') {
            Some((id, loc)) => (
                id.trim(),
                Some(loc.trim().to_string()).filter(|l| !l.is_empty()),
            ),
            None => (text.trim(), None),
        };
        if !local.iter().any(|s| s.id == id) && reg.find_source(id).is_none() {
            return Err(ctx
                .err(ErrorKind::Reference, span.clone(), format!("unknown source `{id}`"))
                .help("declare it in the file as [source.ID] or in a registry file as [[source]]; a locator follows a comma: \"ID, p.563\""));
        }
        out.push(SourceRef {
            id: id.to_string(),
            locator,
        });
    }
    Ok(out)
}

fn target(ctx: &FileCtx, raw: &Spanned<String>) -> Result<Target> {
    target_at(ctx, raw.get_ref(), raw.span())
}

fn target_at(ctx: &FileCtx, text: &str, span: Range<usize>) -> Result<Target> {
    let (treaty, obligation) = match text.split_once('/') {
        Some((t, o)) => (t, Some(o.to_string())),
        None => (text, None),
    };
    if !is_kebab(treaty) || obligation.as_deref().is_some_and(|o| !is_kebab(o)) {
        return Err(ctx
            .err(
                ErrorKind::Value,
                span.clone(),
                format!("`{text}` is not a stream reference"),
            )
            .help("write \"TREATY-ID/OBLIGATION-ID\" or \"TREATY-ID\""));
    }
    Ok(Target {
        treaty: treaty.to_string(),
        obligation,
        at: ctx.loc(span),
    })
}

/// The kinds of item a treaty holds, with the keys each takes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ItemKind {
    Obligation,
    Amendment,
    Suspension,
    Delivery,
}

impl ItemKind {
    fn name(self) -> &'static str {
        match self {
            ItemKind::Obligation => "obligation",
            ItemKind::Amendment => "amendment",
            ItemKind::Suspension => "suspension",
            ItemKind::Delivery => "delivery",
        }
    }
    fn keys(self) -> &'static [&'static str] {
        match self {
            ItemKind::Obligation => &[
                "id", "reading", "label", "schedule", "delivery", "ground", "source", "note",
            ],
            ItemKind::Amendment => &[
                "id", "reading", "action", "target", "from", "to", "amounts", "source", "note",
            ],
            ItemKind::Suspension => &[
                "id", "reading", "targets", "from", "to", "reason", "arrears", "source", "note",
            ],
            ItemKind::Delivery => &[
                "id", "reading", "target", "year", "amounts", "source", "note",
            ],
        }
    }
}

/// Reads one item (all its readings) with `make` building one variant from a patched raw item.
fn item<T>(
    ctx: &FileCtx,
    kind: ItemKind,
    raw: &Spanned<RawItem>,
    mut make: impl FnMut(&RawItem, Range<usize>) -> Result<T>,
) -> Result<Item<T>> {
    let span = raw.span();
    let base = raw.get_ref();
    let Some(id) = &base.id else {
        return Err(ctx
            .err(
                ErrorKind::Schema,
                span,
                format!("this {} has no `id`", kind.name()),
            )
            .help(format!(
                "add id = \"…\" (lower-case kebab-case, unique among the file's {}s)",
                kind.name()
            )));
    };
    if !is_kebab(id.get_ref()) {
        return Err(ctx
            .err(
                ErrorKind::Value,
                id.span(),
                format!("id `{}` is not lower-case kebab-case", id.get_ref()),
            )
            .help("use lower-case letters, digits and hyphens"));
    }
    let mut variants = Vec::new();
    let readings = base.readings.clone().unwrap_or_default();
    if !readings.is_empty() && base.reading.is_none() {
        return Err(ctx
            .err(
                ErrorKind::Schema,
                id.span(),
                format!(
                    "{} `{}` has readings but does not name its own",
                    kind.name(),
                    id.get_ref()
                ),
            )
            .help("add reading = \"NAME\" to the base table: it is the default reading"));
    }
    let base_name = base.reading.as_ref().map(|r| r.get_ref().clone());
    variants.push(Variant {
        reading: base_name.clone(),
        def: make(base, span.clone())?,
        at: ctx.loc(span.clone()),
    });
    for (name, patch) in &readings {
        if !is_kebab(name.get_ref()) {
            return Err(ctx
                .err(
                    ErrorKind::Value,
                    name.span(),
                    format!(
                        "reading name `{}` is not lower-case kebab-case",
                        name.get_ref()
                    ),
                )
                .help("use lower-case letters, digits and hyphens"));
        }
        if Some(name.get_ref()) == base_name.as_ref() {
            return Err(ctx.err(
                ErrorKind::Duplicate,
                name.span(),
                format!(
                    "reading `{}` is both the base and an alternative",
                    name.get_ref()
                ),
            ));
        }
        let p = patch.get_ref();
        for (key, kspan) in p.present_keys() {
            if matches!(key, "id" | "reading" | "target" | "targets") {
                return Err(ctx
                    .err(ErrorKind::Schema, kspan, format!("a reading cannot change `{key}`"))
                    .help("readings give other figures for the same item; a different target is a different item"));
            }
        }
        if let Some(nested) = &p.readings {
            if let Some((n, _)) = nested.iter().next() {
                return Err(ctx.err(ErrorKind::Schema, n.span(), "readings cannot be nested"));
            }
        }
        let merged = base.patched(p);
        variants.push(Variant {
            reading: Some(name.get_ref().clone()),
            def: make(&merged, patch.span())?,
            at: ctx.loc(patch.span()),
        });
    }
    Ok(Item {
        id: id.get_ref().clone(),
        variants,
    })
}

fn reject_keys(ctx: &FileCtx, kind: &str, raw: &RawItem, allowed: &[&str]) -> Result<()> {
    for (key, span) in raw.present_keys() {
        if !allowed.contains(&key) {
            let known = !raw.rest.contains_key(key);
            let message = if known {
                format!("`{key}` is not a key of {kind}")
            } else {
                format!("unknown field `{key}` in {kind}")
            };
            let close = crate::suggest::nearest(key, allowed.iter().copied());
            let keys = format!(
                "its keys are: {}; see docs/treaty-format.md",
                allowed.join(", ")
            );
            let help = match close.first() {
                Some(k) => format!(
                    "did you mean `{k}`? {}{}",
                    keys[..1].to_uppercase(),
                    &keys[1..]
                ),
                None => keys,
            };
            return Err(ctx.err(ErrorKind::Schema, span, message).help(help));
        }
    }
    Ok(())
}

fn spanned_i64(v: &Option<Spanned<i64>>) -> Option<(i64, Range<usize>)> {
    v.as_ref().map(|s| (*s.get_ref(), s.span()))
}

fn require<'a, T>(
    ctx: &FileCtx,
    v: &'a Option<Spanned<T>>,
    key: &str,
    what: &str,
    span: &Range<usize>,
) -> Result<&'a Spanned<T>> {
    v.as_ref().ok_or_else(|| {
        ctx.err(
            ErrorKind::Schema,
            span.clone(),
            format!("{what} needs `{key}`"),
        )
        .help(format!("add `{key} = …`; see docs/treaty-format.md"))
    })
}

struct TreatyCtx<'a> {
    ctx: FileCtx,
    reg: &'a Registry,
    local: Vec<LocalSource>,
}

impl TreatyCtx<'_> {
    fn sources(&self, raw: &RawItem, what: &str, span: &Range<usize>) -> Result<Vec<SourceRef>> {
        let s = require(&self.ctx, &raw.source, "source", what, span)?;
        sources(&self.ctx, self.reg, &self.local, s)
    }

    fn obligation(&self, raw: &RawItem, span: Range<usize>) -> Result<Obligation> {
        let ctx = &self.ctx;
        let sched = require(ctx, &raw.schedule, "schedule", "an obligation", &span)?;
        let Some(kind) = schedule::kind(sched.get_ref()) else {
            let names: Vec<&str> = schedule::KINDS.iter().map(|k| k.name).collect();
            return Err(ctx
                .err(
                    ErrorKind::Value,
                    sched.span(),
                    format!("unknown schedule `{}`", sched.get_ref()),
                )
                .help(format!("schedule is one of: {}", names.join(", "))));
        };
        let mut allowed: Vec<&str> = ItemKind::Obligation.keys().to_vec();
        allowed.extend_from_slice(kind.keys);
        reject_keys(ctx, &format!("a {} obligation", kind.name), raw, &allowed)?;
        let basket = |v: &Option<Spanned<RawAmounts>>| -> Result<Option<(Basket, Range<usize>)>> {
            v.as_ref()
                .map(|a| amounts(ctx, self.reg, a, false).map(|b| (b, a.span())))
                .transpose()
        };
        let (total, total_places) = match &raw.total {
            Some(a) => {
                let (b, places) = amounts_placed(ctx, self.reg, a, false)?;
                (Some((b, a.span())), places)
            }
            None => (None, Vec::new()),
        };
        let input = ScheduleInput {
            year: spanned_i64(&raw.year),
            from: spanned_i64(&raw.from),
            to: spanned_i64(&raw.to),
            every: spanned_i64(&raw.every),
            count: spanned_i64(&raw.count),
            amounts: basket(&raw.amounts)?,
            total,
            total_places,
            extra: raw
                .rest
                .iter()
                .filter(|(k, _)| kind.keys.contains(&k.as_str()))
                .map(|(k, (_, v))| (k.clone(), (v.get_ref().clone(), v.span())))
                .collect(),
            table: span.clone(),
        };
        let schedule = (kind.build)(&input).map_err(|e| {
            let err = ctx.err(ErrorKind::Value, e.span, e.message);
            match e.help {
                Some(h) => err.help(h),
                None => err,
            }
        })?;
        // Each key is in range; where the payments end follows from several (`count`, `every`).
        if let Some(last) = schedule.last_year().filter(|&y| y > YEAR_MAX) {
            let at = raw.count.as_ref().map_or(span.clone(), |c| c.span());
            return Err(ctx
                .err(
                    ErrorKind::Value,
                    at,
                    format!("the last payment would fall in {last}, after {YEAR_MAX}, the last year supported"),
                )
                .help("check `from`, `count` and `every`: the payments must end by 9999"));
        }
        let delivery = match raw
            .delivery
            .as_ref()
            .map(|d| (d.get_ref().as_str(), d.span()))
        {
            None | Some(("as-owed", _)) => DeliveryMode::AsOwed,
            Some(("unknown", _)) => DeliveryMode::Unknown,
            Some(("none", _)) => DeliveryMode::None,
            Some((other, s)) => {
                return Err(ctx
                    .err(ErrorKind::Value, s, format!("unknown delivery `{other}`"))
                    .help("delivery is \"as-owed\" (the default), \"unknown\" or \"none\""));
            }
        };
        let ground = raw.ground.as_ref().map(|g| (g.get_ref().clone(), g.span()));
        if let (Some((_, at)), false) = (&ground, delivery == DeliveryMode::AsOwed) {
            return Err(ctx
                .err(
                    ErrorKind::Schema,
                    at.clone(),
                    format!("`ground` says why payments are assumed made as owed, but this obligation's delivery is `{}`", delivery.as_str()),
                )
                .help("remove `ground`, or set delivery = \"as-owed\" if the file assumes the payments were made"));
        }
        Ok(Obligation {
            schedule: Arc::from(schedule),
            delivery,
            ground: ground.map(|g| g.0),
            label: raw.label.as_ref().map(|l| l.get_ref().clone()),
            sources: self.sources(raw, "an obligation", &span)?,
            note: raw.note.as_ref().map(|n| n.get_ref().clone()),
        })
    }

    fn amendment(&self, raw: &RawItem, span: Range<usize>) -> Result<Amendment> {
        let ctx = &self.ctx;
        let action = require(ctx, &raw.action, "action", "an amendment", &span)?;
        let allowed: &[&str] = match action.get_ref().as_str() {
            "adjust" => ItemKind::Amendment.keys(),
            "supersede" | "end" | "write-off" => &[
                "id", "reading", "action", "target", "from", "source", "note",
            ],
            "reschedule" => &[
                "id", "reading", "action", "target", "from", "into", "source", "note",
            ],
            "reduce" => &[
                "id", "reading", "action", "target", "from", "balance", "source", "note",
            ],
            other => {
                let names: Vec<&str> = ActionKind::ALL.iter().map(|a| a.as_str()).collect();
                let close = crate::suggest::nearest(other, names.iter().copied());
                let mut help = format!("action is one of: {}", names.join(", "));
                if let Some(c) = close.first() {
                    help = format!("did you mean `{c}`? {help}");
                }
                return Err(ctx
                    .err(
                        ErrorKind::Value,
                        action.span(),
                        format!("unknown action `{other}`"),
                    )
                    .help(help));
            }
        };
        reject_keys(
            ctx,
            &format!("an {} amendment", action.get_ref()),
            raw,
            allowed,
        )?;
        let target = target(
            ctx,
            require(ctx, &raw.target, "target", "an amendment", &span)?,
        )?;
        let from = year(ctx, require(ctx, &raw.from, "from", "an amendment", &span)?)?;
        let action = if action.get_ref() == "adjust" {
            let a = require(ctx, &raw.amounts, "amounts", "an adjust amendment", &span)?;
            let to = match &raw.to {
                Some(t) => {
                    let to = year(ctx, t)?;
                    if to < from {
                        return Err(ctx
                            .err(ErrorKind::Value, t.span(), format!("`to` ({to}) is before `from` ({from})"))
                            .help("a year range is inclusive at both ends: `to` must be `from` or later"));
                    }
                    Some(to)
                }
                None => None,
            };
            Action::Adjust {
                amounts: amounts(ctx, self.reg, a, true)?,
                to,
            }
        } else {
            match action.get_ref().as_str() {
                "supersede" => Action::Supersede,
                "write-off" => Action::WriteOff,
                "reschedule" => {
                    let into = require(ctx, &raw.into, "into", "a reschedule amendment", &span)?;
                    let into = self::target(ctx, into)?;
                    if into.obligation.is_none() {
                        return Err(ctx
                            .err(ErrorKind::Value, into.at.span.clone(), "a balance is rescheduled into one obligation")
                            .help("write into = \"TREATY-ID/OBLIGATION-ID\": the obligation that carries the new schedule"));
                    }
                    Action::Reschedule { into }
                }
                "reduce" => {
                    let b = require(ctx, &raw.balance, "balance", "a reduce amendment", &span)?;
                    Action::Reduce {
                        balance: amounts(ctx, self.reg, b, false)?,
                    }
                }
                _ => Action::End,
            }
        };
        Ok(Amendment {
            action,
            target,
            from,
            sources: self.sources(raw, "an amendment", &span)?,
            note: raw.note.as_ref().map(|n| n.get_ref().clone()),
        })
    }

    fn suspension(&self, raw: &RawItem, span: Range<usize>) -> Result<Suspension> {
        let ctx = &self.ctx;
        reject_keys(ctx, "a suspension", raw, ItemKind::Suspension.keys())?;
        let targets_raw = require(ctx, &raw.targets, "targets", "a suspension", &span)?;
        let Some(names) = targets_raw.get_ref().strings() else {
            return Err(ctx
                .err(
                    ErrorKind::Schema,
                    targets_raw.span(),
                    "targets is an array of stream references",
                )
                .help("write targets = [\"TREATY-ID/OBLIGATION-ID\", \"TREATY-ID\"]"));
        };
        let targets = names
            .iter()
            .map(|t| target_at(ctx, t, targets_raw.span()))
            .collect::<Result<Vec<_>>>()?;
        if targets.is_empty() {
            return Err(ctx.err(
                ErrorKind::Value,
                targets_raw.span(),
                "a suspension needs at least one target",
            ));
        }
        let from = year(ctx, require(ctx, &raw.from, "from", "a suspension", &span)?)?;
        let to_raw = require(ctx, &raw.to, "to", "a suspension", &span)?;
        let to = year(ctx, to_raw)?;
        if to < from {
            return Err(ctx
                .err(
                    ErrorKind::Value,
                    to_raw.span(),
                    format!("`to` ({to}) is before `from` ({from})"),
                )
                .help("a year range is inclusive at both ends: `to` must be `from` or later"));
        }
        let arrears = match raw
            .arrears
            .as_ref()
            .map(|a| (a.get_ref().as_str(), a.span()))
        {
            None | Some(("accrue", _)) => ArrearsRule::Accrue,
            Some(("lapse", _)) => ArrearsRule::Lapse,
            Some((other, at)) => {
                return Err(ctx
                    .err(ErrorKind::Value, at, format!("unknown arrears rule `{other}`"))
                    .help("arrears is \"accrue\" (the default: what fell due stays owed) or \"lapse\" (nothing of those years is owed later)"));
            }
        };
        Ok(Suspension {
            targets,
            from,
            to,
            arrears,
            reason: raw.reason.as_ref().map(|r| r.get_ref().clone()),
            sources: self.sources(raw, "a suspension", &span)?,
            note: raw.note.as_ref().map(|n| n.get_ref().clone()),
        })
    }

    fn delivery(&self, raw: &RawItem, span: Range<usize>) -> Result<Delivery> {
        let ctx = &self.ctx;
        reject_keys(ctx, "a delivery", raw, ItemKind::Delivery.keys())?;
        let target = target(
            ctx,
            require(ctx, &raw.target, "target", "a delivery", &span)?,
        )?;
        if target.obligation.is_none() {
            return Err(ctx
                .err(
                    ErrorKind::Value,
                    target.at.span.clone(),
                    "a delivery is recorded against one obligation",
                )
                .help("write target = \"TREATY-ID/OBLIGATION-ID\""));
        }
        let year = year(ctx, require(ctx, &raw.year, "year", "a delivery", &span)?)?;
        let a = require(ctx, &raw.amounts, "amounts", "a delivery", &span)?;
        Ok(Delivery {
            target,
            year,
            amounts: amounts(ctx, self.reg, a, false)?,
            sources: self.sources(raw, "a delivery", &span)?,
            note: raw.note.as_ref().map(|n| n.get_ref().clone()),
        })
    }
}

/// The sources a plugin file declares itself (`[source.ID]` tables), checked.
pub(crate) fn local_sources(
    ctx: &FileCtx,
    raw: &BTreeMap<Spanned<String>, Spanned<RawSource>>,
) -> Result<Vec<LocalSource>> {
    let mut local = Vec::new();
    for (sid, s) in raw {
        if !is_kebab(sid.get_ref()) {
            return Err(ctx.err(
                ErrorKind::Value,
                sid.span(),
                format!("source id `{}` is not lower-case kebab-case", sid.get_ref()),
            ));
        }
        let s = s.get_ref();
        if let Some(extra) = &s.id {
            return Err(ctx.err(
                ErrorKind::Schema,
                extra.span(),
                "a [source.ID] table takes its id from its name; remove `id`",
            ));
        }
        local.push(LocalSource {
            id: sid.get_ref().clone(),
            title: s.title.get_ref().clone(),
            quality: quality(ctx, &s.quality)?,
            note: s.note.clone(),
        });
    }
    Ok(local)
}

/// Parses and validates one treaty file against a registry.
pub fn read_treaty(file: &PluginFile, reg: &Registry) -> Result<Treaty> {
    let text = file.text()?;
    let ctx = FileCtx::new(&file.display, &text);
    let id = file.stem().to_string();
    if !is_kebab(&id) {
        return Err(Error::new(
            ErrorKind::Value,
            format!("treaty id `{id}` (the file name) is not lower-case kebab-case"),
        )
        .in_file(&file.display)
        .help("rename the file, e.g. song-jin-1142-shaoxing.toml"));
    }
    let raw: RawTreaty = parse_toml(&file.display, &text, "treaty file")?;
    let local = local_sources(&ctx, &raw.source)?;
    let tc = TreatyCtx {
        ctx: ctx.clone(),
        reg,
        local,
    };
    let status = Status::parse(raw.status.get_ref()).ok_or_else(|| {
        ctx.err(
            ErrorKind::Value,
            raw.status.span(),
            format!("unknown status `{}`", raw.status.get_ref()),
        )
        .help("status is \"in-force\", \"demand\" or \"never-in-force\"")
    })?;
    let treaty_sources = match &raw.sources {
        Some(s) => sources(&ctx, reg, &tc.local, s)?,
        None => Vec::new(),
    };
    let mut treaty = Treaty {
        id,
        name: raw.name.get_ref().clone(),
        payer: party(&ctx, reg, &raw.payer)?,
        payee: party(&ctx, reg, &raw.payee)?,
        signed: year(&ctx, &raw.signed)?,
        status,
        label: raw.label.get_ref().clone(),
        summary: raw.summary.clone(),
        notes: raw.notes.clone(),
        sources: treaty_sources,
        local_sources: tc.local.clone(),
        obligations: Vec::new(),
        amendments: Vec::new(),
        suspensions: Vec::new(),
        deliveries: Vec::new(),
        claims: Vec::new(),
        path: file.display.clone(),
        at: ctx.loc(0..0),
    };
    for o in &raw.obligation {
        treaty
            .obligations
            .push(item(&ctx, ItemKind::Obligation, o, |r, s| {
                tc.obligation(r, s)
            })?);
    }
    for a in &raw.amendment {
        treaty
            .amendments
            .push(item(&ctx, ItemKind::Amendment, a, |r, s| {
                tc.amendment(r, s)
            })?);
    }
    for s in &raw.suspension {
        treaty
            .suspensions
            .push(item(&ctx, ItemKind::Suspension, s, |r, sp| {
                tc.suspension(r, sp)
            })?);
    }
    for d in &raw.delivery {
        treaty
            .deliveries
            .push(item(&ctx, ItemKind::Delivery, d, |r, s| tc.delivery(r, s))?);
    }
    // Ids are unique per kind within the file.
    fn unique<T>(
        ctx: &FileCtx,
        items: &[Item<T>],
        raws: &[Spanned<RawItem>],
        kind: &str,
    ) -> Result<()> {
        let mut seen = BTreeMap::new();
        for (i, r) in items.iter().zip(raws) {
            let span = r.get_ref().id.as_ref().map_or(r.span(), |s| s.span());
            if let Some(first) = seen.insert(i.id.clone(), span.clone()) {
                let line = ctx.loc(first).line;
                return Err(ctx
                    .err(
                        ErrorKind::Duplicate,
                        span,
                        format!(
                            "{kind} id `{}` is used twice in this file (first on line {line})",
                            i.id
                        ),
                    )
                    .help(format!(
                        "give each {kind} its own id: amendments and deliveries name it as TREATY/ID; for another reading of the same {kind}, use [{kind}.readings.NAME]"
                    )));
            }
        }
        Ok(())
    }
    unique(&ctx, &treaty.obligations, &raw.obligation, "obligation")?;
    unique(&ctx, &treaty.amendments, &raw.amendment, "amendment")?;
    unique(&ctx, &treaty.suspensions, &raw.suspension, "suspension")?;
    unique(&ctx, &treaty.deliveries, &raw.delivery, "delivery")?;
    let mut claim_ids = BTreeSet::new();
    for c in &raw.claim {
        let c = claim(&ctx, reg, &tc.local, c.get_ref())?;
        if !claim_ids.insert(c.id.clone()) {
            return Err(ctx
                .err(
                    ErrorKind::Duplicate,
                    c.at.span.clone(),
                    format!("claim id `{}` is used twice in this file", c.id),
                )
                .help("give each claim its own id"));
        }
        treaty.claims.push(c);
    }
    Ok(treaty)
}

/// Reads one `[[claim]]`: treaty references (checked against the corpus later), an exact value and
/// tolerance (no floats), the unit and the source.
fn claim(ctx: &FileCtx, reg: &Registry, local: &[LocalSource], raw: &RawClaim) -> Result<Claim> {
    if !is_kebab(raw.id.get_ref()) {
        return Err(ctx
            .err(
                ErrorKind::Value,
                raw.id.span(),
                format!(
                    "claim id `{}` is not lower-case kebab-case",
                    raw.id.get_ref()
                ),
            )
            .help("use lower-case letters, digits and hyphens"));
    }
    let treaty_ref = |v: &Spanned<String>| -> Result<Target> {
        let t = target(ctx, v)?;
        if t.obligation.is_some() {
            return Err(ctx
                .err(
                    ErrorKind::Value,
                    v.span(),
                    "a claim compares whole treaties",
                )
                .help("write the treaty id alone, e.g. compare = \"jin-demand-1126\""));
        }
        Ok(t)
    };
    let number =
        |v: &Spanned<toml::Value>, key: &str, percent_ok: bool| -> Result<(Decimal, bool)> {
            let span = v.span();
            match v.get_ref() {
                toml::Value::Integer(i) if *i >= 0 => Ok((Decimal::from(*i), false)),
                toml::Value::String(s) => {
                    let (body, percent) = match s.trim().strip_suffix('%') {
                        Some(b) if percent_ok => (b.trim_end(), true),
                        _ => (s.as_str(), false),
                    };
                    let d = parse_decimal(body, false)
                        .map_err(|m| ctx.err(ErrorKind::Value, span.clone(), m))?;
                    Ok((d, percent))
                }
                toml::Value::Float(f) => Err(ctx
                    .err(
                        ErrorKind::Value,
                        span,
                        format!("`{f}` is a TOML float, and floats lose digits"),
                    )
                    .help(format!("write it as a string: {key} = \"{f}\""))),
                _ => Err(ctx
                    .err(
                        ErrorKind::Schema,
                        span,
                        format!("`{key}` is a decimal string or a whole number"),
                    )
                    .help(if percent_ok {
                        "write e.g. tolerance = \"10\" (absolute) or \"5%\""
                    } else {
                        "write e.g. value = \"180\""
                    })),
            }
        };
    let (value, _) = number(&raw.value, "value", false)?;
    let (width, percent) = number(&raw.tolerance, "tolerance", true)?;
    let unit = match raw.unit.get_ref().as_str() {
        "years" => ClaimUnit::Years,
        "ratio" => ClaimUnit::Ratio,
        other => {
            return Err(ctx
                .err(ErrorKind::Value, raw.unit.span(), format!("unknown claim unit `{other}`"))
                .help("unit is \"years\" (years of the other treaty's yearly flow) or \"ratio\" (ratio of totals)"));
        }
    };
    let claim_year = match &raw.year {
        Some(y) if unit == ClaimUnit::Ratio => {
            return Err(ctx
                .err(
                    ErrorKind::Schema,
                    y.span(),
                    "`year` picks the year of a yearly flow; a ratio claim compares totals",
                )
                .help("remove `year`, or use unit = \"years\""));
        }
        Some(y) => Some(year(ctx, y)?),
        None => None,
    };
    Ok(Claim {
        id: raw.id.get_ref().clone(),
        statement: raw.statement.get_ref().clone(),
        compare: treaty_ref(&raw.compare)?,
        against: treaty_ref(&raw.against)?,
        value,
        tolerance: if percent {
            Tolerance::Percent(width)
        } else {
            Tolerance::Absolute(width)
        },
        unit,
        year: claim_year,
        sources: sources(ctx, reg, local, &raw.source)?,
        note: raw.note.clone(),
        at: ctx.loc(raw.id.span()),
    })
}

/// The first cycle in `edges` (a path that returns to where it starts), searching depth-first from
/// each node in order. Iterative, with the path kept on the heap: a chain of any length is fine.
fn find_cycle<'a>(edges: &BTreeMap<&'a str, BTreeSet<&'a str>>) -> Option<Vec<&'a str>> {
    // On the current path (1) or fully explored (2).
    let mut state: HashMap<&'a str, u8> = HashMap::new();
    for &root in edges.keys() {
        if state.contains_key(root) {
            continue;
        }
        state.insert(root, 1);
        // The path from `root`, and for each node on it the successors not yet followed.
        let mut path = vec![root];
        let mut next = vec![edges.get(root).into_iter().flatten()];
        while let Some(successors) = next.last_mut() {
            match successors.next() {
                Some(&node) => match state.get(node) {
                    Some(1) => {
                        let start = path.iter().position(|n| *n == node).unwrap_or(0);
                        let mut cycle = path[start..].to_vec();
                        cycle.push(node);
                        return Some(cycle);
                    }
                    Some(_) => {}
                    None => {
                        state.insert(node, 1);
                        path.push(node);
                        next.push(edges.get(node).into_iter().flatten());
                    }
                },
                None => {
                    next.pop();
                    if let Some(done) = path.pop() {
                        state.insert(done, 2);
                    }
                }
            }
        }
    }
    None
}

/// A loaded corpus: the merged registry and treaties, plus the layers they came from.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// Units, commodities, parties and sources.
    pub registry: Registry,
    /// Treaties by id.
    pub treaties: BTreeMap<String, Treaty>,
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
    /// Loads layers (lowest first). On failure returns every problem found, one per file at most,
    /// plus the cross-file problems.
    pub fn load(layers: &[Layer]) -> std::result::Result<Corpus, Vec<Error>> {
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
        // Which file wins for each treaty and price-book id.
        let mut chosen: BTreeMap<String, &PluginFile> = BTreeMap::new();
        let mut price_files = BTreeMap::new();
        let mut series_files: BTreeMap<String, &PluginFile> = BTreeMap::new();
        for layer in layers {
            let mut in_layer: BTreeMap<String, &PluginFile> = BTreeMap::new();
            for file in &layer.files {
                let kind = file.kind();
                // Tables are merged by crate::table (below): a streams table defines many ids.
                if matches!(
                    kind,
                    FileKind::Registry | FileKind::Streams | FileKind::Deliveries
                ) {
                    continue;
                }
                let key = format!("{:?}:{}", kind, file.stem());
                if let Some(prev) = in_layer.insert(key, file) {
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
        // Hook: streams tables (a treaty a table wins is not parsed from TOML).
        let mut treaties = crate::table::read_streams(layers, &registry, &mut chosen, &mut errors);
        let chosen: Vec<(String, &PluginFile)> = chosen.into_iter().collect();
        for ((id, _), result) in chosen.iter().zip(parallel_map(&chosen, |(_, file)| {
            read_treaty(file, &registry)
        })) {
            match result {
                Ok(t) => {
                    treaties.insert(id.clone(), t);
                }
                Err(e) => errors.push(e),
            }
        }
        // Hook: deliveries tables, once every treaty is known.
        crate::table::read_deliveries(layers, &registry, &mut treaties, &mut errors);
        let mut price_books = BTreeMap::new();
        for (id, file) in &price_files {
            match crate::valuation::read_price_book(file, &registry) {
                Ok(b) => {
                    price_books.insert(id.clone(), b);
                }
                Err(e) => errors.push(e),
            }
        }
        let corpus = Corpus {
            registry,
            treaties,
            price_files,
            price_books,
            series,
            layers: layers.iter().map(|l| l.name.clone()).collect(),
        };
        if errors.is_empty() {
            errors.extend(corpus.check_references());
        }
        if errors.is_empty() {
            Ok(corpus)
        } else {
            Err(errors)
        }
    }

    /// Cross-treaty checks: targets exist, deliveries point at streams of unknown delivery, and no
    /// two treaties amend each other (directly or through a chain).
    fn check_references(&self) -> Vec<Error> {
        let mut errors = Vec::new();
        let mut edges: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        let mut late = Vec::new();
        for t in self.treaties.values() {
            let mut check = |target: &Target, what: &str| -> Option<&Treaty> {
                let Some(other) = self.treaties.get(&target.treaty) else {
                    errors.push(
                        Error::new(
                            ErrorKind::Reference,
                            format!("{what} refers to unknown treaty `{}`", target.treaty),
                        )
                        .at(target.at.clone())
                        .help(format!(
                            "no treaty file {}.toml is loaded; check the id or add the file",
                            target.treaty
                        )),
                    );
                    return None;
                };
                if let Some(o) = &target.obligation {
                    if !other.obligations.iter().any(|x| &x.id == o) {
                        let ids: Vec<&str> =
                            other.obligations.iter().map(|x| x.id.as_str()).collect();
                        errors.push(
                            Error::new(
                                ErrorKind::Reference,
                                format!(
                                    "{what} refers to `{target}`, but {} has no obligation `{o}`",
                                    other.path
                                ),
                            )
                            .at(target.at.clone())
                            .help(format!(
                                "its obligations are: {}",
                                if ids.is_empty() {
                                    "(none)".into()
                                } else {
                                    ids.join(", ")
                                }
                            )),
                        );
                        return None;
                    }
                }
                Some(other)
            };
            for a in &t.amendments {
                for v in &a.variants {
                    if let Action::Reschedule { into } = &v.def.action {
                        check(into, "this reschedule's `into`");
                    }
                    let known = check(&v.def.target, "this amendment").is_some();
                    if known && v.def.target.treaty == t.id {
                        late.push(
                            Error::new(
                                ErrorKind::Reference,
                                format!(
                                    "amendment {}/{} amends its own treaty (`{}`)",
                                    t.id, a.id, v.def.target
                                ),
                            )
                            .at(v.def.target.at.clone())
                            .help("an amendment changes an earlier treaty's stream; a treaty's own later terms are another obligation (with from and to) or a reading"),
                        );
                        continue;
                    }
                    if known {
                        edges
                            .entry(t.id.as_str())
                            .or_default()
                            .insert(self.treaties[&v.def.target.treaty].id.as_str());
                    }
                }
            }
            for s in &t.suspensions {
                for v in &s.variants {
                    for target in &v.def.targets {
                        check(target, "this suspension");
                    }
                }
            }
            for c in &t.claims {
                check(&c.compare, "this claim");
                check(&c.against, "this claim");
            }
            for d in &t.deliveries {
                for v in &d.variants {
                    if let Some(other) = check(&v.def.target, "this delivery") {
                        let o = v.def.target.obligation.as_deref().unwrap_or_default();
                        let ob = other.obligations.iter().find(|x| x.id == o);
                        if let Some(ob) = ob {
                            if ob
                                .variants
                                .iter()
                                .any(|ov| ov.def.delivery == DeliveryMode::AsOwed)
                            {
                                late.push(
                                    Error::new(ErrorKind::Value, format!("a delivery is recorded against `{}`, whose delivery is as-owed", v.def.target))
                                        .at(v.def.target.at.clone())
                                        .help("recorded deliveries are for obligations with delivery = \"unknown\" or \"none\"; set that on the obligation"),
                                );
                            }
                        }
                    }
                }
            }
        }
        errors.extend(late);
        // Cycles among amending treaties.
        if let Some(cycle) = find_cycle(&edges) {
            let files: Vec<&str> = cycle
                .iter()
                .map(|id| self.treaties[*id].path.as_str())
                .collect();
            let a = &self.treaties[cycle[0]];
            errors.push(
                Error::new(ErrorKind::Cycle, format!("amendments form a cycle: {} (files: {})", cycle.join(" → "), files[..files.len() - 1].join(", ")))
                    .in_file(&a.path)
                    .help("a treaty can only amend an earlier one; remove the amendment in one of these files"),
            );
        }
        errors
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
                .map(|(_, t)| t)
                .collect()
        };
        match starting[..] {
            [one] => Ok(one),
            [] => Err(
                Error::new(ErrorKind::Query, format!("no treaty `{given}` is loaded")).help(
                    crate::suggest::with_advice(
                        given,
                        "treaties",
                        self.treaties.keys().map(String::as_str),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_chain_has_no_cycle_and_closing_it_makes_one() {
        // Deeper than a test thread's stack would allow a recursive search.
        let names: Vec<String> = (0..200_000).map(|i| format!("t{i:06}")).collect();
        let mut edges: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for w in names.windows(2) {
            edges.entry(&w[0]).or_default().insert(&w[1]);
        }
        assert_eq!(find_cycle(&edges), None);
        edges
            .entry(&names[names.len() - 1])
            .or_default()
            .insert(&names[100]);
        let cycle = find_cycle(&edges).expect("a cycle");
        assert_eq!(cycle.len(), names.len() - 100 + 1);
        assert_eq!((cycle[0], cycle[cycle.len() - 1]), ("t000100", "t000100"));
    }
}
