//! Discovery of layers: the folder walk, the regular-file checks, the size limit, the parallel map.
//!
//! A [`Layer`] is a set of [`PluginFile`]s: the built-in corpus (`super::builtin`) or one folder a
//! user names. [`Layer::from_dir_with`] walks a folder (links followed, each folder read once) and
//! reads every `.toml` file and every table in `streams/` and `deliveries/` ([`wanted`]). What must
//! always hold: only regular files are read, each up to the size limit; a named pipe, device, socket,
//! broken link, link loop or oversized file is an error naming it, never skipped and never a hang.
//! A file's [`FileKind`] follows from where it sits in its layer. This module reads bytes only:
//! it knows nothing of TOML, the registry or treaties.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::error::{Error, ErrorKind, Location, Result};

/// One file of a layer.
#[derive(Debug, Clone)]
pub struct PluginFile {
    /// Path inside the layer, with `/` separators (`registry/units.toml`, `song-jin-1123.toml`).
    pub relative: String,
    /// The file as shown to users.
    pub display: String,
    /// Its contents, held once: the text, checked to be UTF-8 when the file is made and shared by
    /// every location in it ([`PluginFile::text`]), or the bytes of a file that is not UTF-8.
    contents: Contents,
    /// For a big table, its scan begun on another core when the file was read.
    prescan: Option<Arc<crate::table::Prescan>>,
}

/// A plugin file's contents: its text, or (not UTF-8) its bytes, kept for the encoding error and
/// for the file's digest.
#[derive(Debug, Clone)]
enum Contents {
    Text(crate::error::Text),
    NotUtf8(Arc<[u8]>),
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
        paths.retain(|p| wanted(dir, p)); // tables: .csv only in streams/, deliveries/
        let read = parallel_map(&paths, |path| -> Result<PluginFile> {
            let bytes = read_limited(path, options.max_file_size)?;
            let relative = path.strip_prefix(dir).unwrap_or(path);
            let relative = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            Ok(PluginFile::new(relative, path.display().to_string(), bytes))
        });
        let mut files = read.into_iter().collect::<Result<Vec<_>>>()?;
        files.sort_by(|a, b| a.relative.cmp(&b.relative));
        // A big table's scan begins now, on another core, while the registry is read.
        for file in &mut files {
            if matches!(file.kind(), FileKind::Streams | FileKind::Deliveries) {
                if let Contents::Text(text) = &file.contents {
                    if text.len() >= crate::table::Prescan::MIN_BYTES {
                        file.prescan = Some(crate::table::Prescan::start(text));
                    }
                }
            }
        }
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
///
/// On Unix the file is opened without blocking (`O_NONBLOCK`, which a regular file ignores) and
/// checked through the open handle: a named pipe put in the file's place since the walk cannot
/// hang the open, so the path needs no look-up of its own before it (one system call per file
/// fewer: 11,764 of them cost some 25 ms of CPU at the size of docs/performance.md).
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
    let mut open = std::fs::OpenOptions::new();
    open.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        open.custom_flags(libc::O_NONBLOCK);
    }
    #[cfg(not(unix))]
    check(&std::fs::metadata(path).map_err(|e| io_error(&e, path))?)?;
    let file = open.open(path).map_err(|e| io_error(&e, path))?;
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    /// The file at `relative` in its layer, shown to users as `display`, with contents `bytes`
    /// (checked to be UTF-8 here, once; [`PluginFile::text`] reports a file that is not).
    pub fn new(relative: String, display: String, bytes: impl Into<Vec<u8>>) -> PluginFile {
        let contents = match String::from_utf8(bytes.into()) {
            // The text is shared as read: no copy of it (2 MB for the benchmark's table).
            Ok(text) => Contents::Text(Arc::new(text)),
            Err(e) => Contents::NotUtf8(Arc::from(e.into_bytes())),
        };
        PluginFile {
            relative,
            display,
            contents,
            prescan: None,
        }
    }

    /// The scan of a big table begun when its folder was read ([`Layer::from_dir_with`]).
    pub(crate) fn prescan(&self) -> Option<&crate::table::Prescan> {
        self.prescan.as_deref()
    }

    /// The file's bytes, as read.
    pub fn bytes(&self) -> &[u8] {
        match &self.contents {
            Contents::Text(text) => text.as_bytes(),
            Contents::NotUtf8(bytes) => bytes,
        }
    }

    /// The kind of file, by its folder.
    pub fn kind(&self) -> FileKind {
        if let Some(table) = kind_of(&self.relative) {
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

    /// The file's text (shared, not copied), or an encoding error at the first invalid byte.
    pub fn text(&self) -> Result<crate::error::Text> {
        let bytes = match &self.contents {
            Contents::Text(text) => return Ok(Arc::clone(text)),
            Contents::NotUtf8(bytes) => bytes,
        };
        match std::str::from_utf8(bytes) {
            Ok(t) => Ok(Arc::new(t.to_string())),
            Err(e) => {
                let good = &bytes[..e.valid_up_to()];
                let text: crate::error::Text =
                    Arc::new(String::from_utf8_lossy(bytes).into_owned());
                let at = String::from_utf8_lossy(good).len();
                Err(Error::new(
                    ErrorKind::Encoding,
                    format!(
                        "the file is not UTF-8 (invalid byte at offset {})",
                        e.valid_up_to()
                    ),
                )
                .at(Location::new(
                    &self.display,
                    &text,
                    at..at.saturating_add(1),
                ))
                .help("save the file as UTF-8; Chinese characters are welcome in UTF-8"))
            }
        }
    }
}

/// True if the loader reads the file at `path` below the layer folder `dir`: a `.toml` file, or a
/// table in `streams/` or `deliveries/` (any other CSV file, a spreadsheet's export, say, is left
/// alone and never read).
pub(crate) fn wanted(dir: &std::path::Path, path: &std::path::Path) -> bool {
    if path.extension().is_some_and(|e| e == "toml") {
        return true;
    }
    let relative = path.strip_prefix(dir).unwrap_or(path);
    let relative: Vec<_> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    kind_of(&relative.join("/")).is_some()
}

/// The kind of table a plugin file is, by its folder and extension; `None` for any other file.
pub(crate) fn kind_of(relative: &str) -> Option<FileKind> {
    if !relative.ends_with(".csv") {
        None
    } else if relative.starts_with("streams/") {
        Some(FileKind::Streams)
    } else if relative.starts_with("deliveries/") {
        Some(FileKind::Deliveries)
    } else {
        None
    }
}
