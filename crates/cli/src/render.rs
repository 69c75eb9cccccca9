//! Reports and their formats: table (for people), csv, json, markdown; and safe output (`-o`).
//!
//! A command builds a [`Report`]; this module turns it into text. CSV and JSON are contracts for
//! scripts: plain decimals (no thousands separators, no rounding; JSON amounts are strings so no
//! digit is lost to a float), stable column keys. Tables and Markdown are for people: thousands
//! separators and human column titles.
//!
//! Output files ([`write_atomic`]) go by what the path names, and what must hold is that nothing
//! but a regular file is ever replaced:
//! - a regular file, or nothing yet: written to a temporary `.tribute-XXXXXX` file in the same
//!   folder and renamed into place, so a failure never leaves a half-written file; a replaced file
//!   keeps its permissions.
//! - a symbolic link: the chain of links is followed one `read_link` at a time (so a dangling
//!   link's target is created, as `cat > link` would) and the final target is replaced as above;
//!   the links themselves are left as they are.
//! - a character device or a FIFO (`/dev/null`, a terminal, a named pipe): written through in
//!   place, opened for writing with neither create nor truncate. Opening a FIFO blocks until it has
//!   a reader, as `cat > fifo` does.
//! - where standard output or standard error already goes (`/dev/stdout`, `/dev/fd/2`, or the very
//!   file it is redirected to): written to that stream, so `-o /dev/stdout >> log` appends.
//! - a folder, a socket, a block device: refused with an error, nothing written.
//!
//! The temporary file of a write in progress is named in a registry ([`abandon_output`]) so that
//! the signal handler (`main`) can remove it on Ctrl-C or SIGTERM; any other failure drops the
//! `NamedTempFile`, which removes it.

use std::fs::Metadata;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use anyhow::{Context as _, Result, bail};
use comfy_table::{CellAlignment, ContentArrangement, Table as Comfy, presets};
use rayon::prelude::*;
use rust_decimal::Decimal;

use crate::args::Format;
use crate::layout;

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// An exact amount.
    Num(Decimal),
    /// A whole number such as a year (never grouped with separators).
    Int(i64),
}

impl Cell {
    /// A text cell.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    fn plain(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Num(d) => plain(*d),
            Cell::Int(i) => i.to_string(),
        }
    }

    /// The cell as people read it: amounts with thousands separators.
    pub fn human(&self) -> String {
        match self {
            Cell::Num(d) => grouped(*d),
            other => other.plain(),
        }
    }
}

/// Writes `rows` with `w` and returns what it wrote. Each cell is formatted into one buffer,
/// reused: no string per cell.
fn csv_rows(mut w: csv::Writer<Vec<u8>>, rows: &[Vec<Cell>]) -> Vec<u8> {
    let mut field = Vec::new();
    for row in rows {
        for cell in row {
            // Writing to a Vec cannot fail.
            match cell {
                Cell::Text(s) => {
                    let _ = w.write_field(s);
                }
                Cell::Num(d) => {
                    field.clear();
                    let d = d.normalize();
                    // A whole amount (most are) is its mantissa, written as an integer; the rest
                    // as `plain` writes them.
                    let _ = if d.scale() == 0 {
                        write!(field, "{}", d.mantissa())
                    } else {
                        write!(field, "{d}")
                    };
                    let _ = w.write_field(&field);
                }
                Cell::Int(i) => {
                    field.clear();
                    let _ = write!(field, "{i}");
                    let _ = w.write_field(&field);
                }
            }
        }
        let _ = w.write_record(std::iter::empty::<&[u8]>());
    }
    w.into_inner().unwrap_or_default()
}

/// A decimal without exponent, trailing zeros or separators: `19700000`, `0.77`.
pub fn plain(d: Decimal) -> String {
    d.normalize().to_string()
}

/// A decimal with thousands separators in its whole part: `19,700,000`, `1,234.5`.
pub fn grouped(d: Decimal) -> String {
    tribute_core::report::grouped(d)
}

/// A column: a stable key (csv, json) and a title for people; where it belongs in a table that
/// has to be split to fit a width ([`crate::layout`]).
#[derive(Debug, Clone)]
pub struct Column {
    /// Key for csv headers and json objects.
    pub key: String,
    /// Title for tables and Markdown.
    pub title: String,
    /// Right-aligned.
    pub numeric: bool,
    /// Names the row: repeated in every block of a split table, always kept by `--columns`.
    /// When no column of a table says so, its first column names the row.
    pub names_row: bool,
    /// The group it belongs to (a commodity's columns), if any.
    pub group: Option<Group>,
    /// Its cells name the row's commodity (`total`): `--commodity` keeps the rows it names.
    pub commodity: bool,
    /// Printed in csv only, left out of tables for people (principal and interest where no row
    /// has interest, so tables without debts stay as they were).
    pub csv_only: bool,
}

/// The group of columns a column belongs to: a commodity's owed, delivered… columns, or the
/// low, central and high of a value. A split table keeps a group together in one block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The group's id: a commodity's id, or a key such as `value_owed`.
    pub id: String,
    /// The group holds one commodity's columns (`--commodity` matches its id).
    pub commodity: bool,
    /// The group's title: `silver (tael)`.
    pub title: String,
    /// The column's key within the group (`owed`): `--columns owed` picks it in every group.
    pub key: String,
    /// The column's title within the group (`owed`), used under the group's title.
    pub title_in_group: String,
}

impl Group {
    /// The group of commodity `id`, titled `title`, for a column keyed `key` and titled
    /// `title_in_group` within it.
    pub fn commodity(id: &str, title: &str, key: &str, title_in_group: &str) -> Group {
        Group {
            id: id.into(),
            commodity: true,
            title: title.into(),
            key: key.into(),
            title_in_group: title_in_group.into(),
        }
    }

    /// A group of columns other than a commodity's (a value's low, central and high).
    pub fn other(id: &str, title: &str, key: &str, title_in_group: &str) -> Group {
        Group {
            commodity: false,
            ..Group::commodity(id, title, key, title_in_group)
        }
    }
}

impl Column {
    /// A text column.
    pub fn text(key: &str, title: &str) -> Column {
        Column {
            key: key.into(),
            title: title.into(),
            numeric: false,
            names_row: false,
            group: None,
            commodity: false,
            csv_only: false,
        }
    }
    /// A numeric column.
    pub fn num(key: &str, title: &str) -> Column {
        Column {
            numeric: true,
            ..Column::text(key, title)
        }
    }
    /// The column, marked as naming its row.
    pub fn naming_row(self) -> Column {
        Column {
            names_row: true,
            ..self
        }
    }
    /// The column, marked as naming the row's commodity.
    pub fn naming_commodity(self) -> Column {
        Column {
            commodity: true,
            ..self
        }
    }
    /// The column, in csv only when `csv_only` (see [`Column::csv_only`]).
    pub fn csv_only(self, csv_only: bool) -> Column {
        Column { csv_only, ..self }
    }
    /// The column, in `group`.
    pub fn in_group(self, group: Group) -> Column {
        Column {
            group: Some(group),
            ..self
        }
    }
}

/// A table of cells.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Columns.
    pub columns: Vec<Column>,
    /// Rows, each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// How many leading columns name a row: those marked [`Column::names_row`], else the first.
    pub fn naming_columns(&self) -> usize {
        match self.columns.iter().take_while(|c| c.names_row).count() {
            0 => usize::from(!self.columns.is_empty()),
            n => n,
        }
    }

    /// The table with only the columns for which `keep` is true.
    fn keep_columns(&self, keep: impl Fn(usize, &Column) -> bool) -> Table {
        let kept: Vec<usize> = (0..self.columns.len())
            .filter(|&i| keep(i, &self.columns[i]))
            .collect();
        Table {
            columns: kept.iter().map(|&i| self.columns[i].clone()).collect(),
            rows: self
                .rows
                .iter()
                .map(|r| kept.iter().filter_map(|&i| r.get(i).cloned()).collect())
                .collect(),
        }
    }
}

/// What `--commodity` and `--columns` asked for, resolved: commodity ids and column names.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Commodity ids (empty: all).
    pub commodities: Vec<String>,
    /// Column names, csv keys or keys within a group (empty: all).
    pub columns: Vec<String>,
}

impl Selection {
    /// True if nothing is chosen.
    pub fn is_empty(&self) -> bool {
        self.commodities.is_empty() && self.columns.is_empty()
    }
}

/// How people's tables are laid out.
#[derive(Debug, Clone, Copy, Default)]
pub struct Layout {
    /// The widest a line may be, in terminal columns; `None`: no limit (each table at its
    /// natural width, as in pipelines and files).
    pub width: Option<usize>,
}

/// A part of a report.
#[derive(Debug, Clone)]
pub enum Section {
    /// A heading and a table.
    Table(Option<String>, Table),
    /// A heading and lines of text.
    Lines(Option<String>, Vec<String>),
}

/// What a command prints.
#[derive(Debug, Clone)]
pub struct Report {
    /// Sections in order; the first table is what `--format csv` prints.
    pub sections: Vec<Section>,
    /// The JSON form (a command builds it with its metadata). `ledger` and `total` build it only
    /// for `--format json` and leave it `Null` otherwise.
    pub json: serde_json::Value,
}

impl Report {
    /// Renders in `format`; tables for people fit `layout` (csv, json and Markdown ignore it).
    pub fn render(&self, format: Format, layout: Layout) -> String {
        match format {
            Format::Json => {
                let mut s = serde_json::to_string_pretty(&self.json).unwrap_or_default();
                s.push('\n');
                s
            }
            Format::Csv => self.csv(),
            Format::Table => self.people(false, layout.width),
            Format::Markdown => self.people(true, None),
        }
    }

    /// Keeps what `choice` selects: with commodities, the columns of other commodities' groups
    /// and the rows naming other commodities go, in every table; with columns, the first table
    /// (the one csv prints) keeps the columns that name a row and those named. A name that no
    /// column or commodity of the report answers to is an error listing those it has.
    pub fn select(&mut self, choice: &Selection) -> Result<()> {
        if !choice.commodities.is_empty() {
            let mut present: Vec<String> = Vec::new();
            for section in &mut self.sections {
                let Section::Table(_, t) = section else {
                    continue;
                };
                for c in &t.columns {
                    if let Some(g) = c.group.as_ref().filter(|g| g.commodity) {
                        present.push(g.id.clone());
                    }
                }
                let named: Vec<usize> = (0..t.columns.len())
                    .filter(|&i| t.columns[i].commodity)
                    .collect();
                for row in &t.rows {
                    for &i in &named {
                        if let Some(Cell::Text(id)) = row.get(i) {
                            present.push(id.clone());
                        }
                    }
                }
                let wanted = |id: &str| choice.commodities.iter().any(|c| c == id);
                t.rows.retain(|row| {
                    named.iter().all(|&i| match row.get(i) {
                        Some(Cell::Text(id)) => wanted(id),
                        _ => true,
                    })
                });
                *t = t.keep_columns(|_, c| {
                    c.group
                        .as_ref()
                        .is_none_or(|g| !g.commodity || wanted(&g.id))
                });
            }
            present.sort();
            present.dedup();
            for c in &choice.commodities {
                if !present.contains(c) {
                    bail!(
                        "--commodity {c}: the report has no {c}; it has {}",
                        if present.is_empty() {
                            "no commodities".to_string()
                        } else {
                            present.join(", ")
                        }
                    );
                }
            }
        }
        if !choice.columns.is_empty() {
            let Some(t) = self.sections.iter_mut().find_map(|s| match s {
                Section::Table(_, t) => Some(t),
                Section::Lines(..) => None,
            }) else {
                bail!("--columns: this report has no table");
            };
            let naming = t.naming_columns();
            let answers = |c: &Column, name: &str| {
                c.key == name || c.group.as_ref().is_some_and(|g| g.key == name)
            };
            for name in &choice.columns {
                if !t.columns.iter().any(|c| answers(c, name)) {
                    let mut known: Vec<&str> = Vec::new();
                    for c in &t.columns[naming..] {
                        if let Some(g) = &c.group {
                            known.push(&g.key);
                        }
                        known.push(&c.key);
                    }
                    bail!(
                        "--columns: no column `{name}` in this report; {}",
                        tribute_core::suggest::did_you_mean(name, "columns", known)
                    );
                }
            }
            *t = t.keep_columns(|i, c| {
                i < naming || choice.columns.iter().any(|name| answers(c, name))
            });
            // A column asked for by name is shown, even one kept for csv only.
            for c in &mut t.columns {
                if choice.columns.iter().any(|name| answers(c, name)) {
                    c.csv_only = false;
                }
            }
        }
        Ok(())
    }

    fn csv(&self) -> String {
        let Some(table) = self.sections.iter().find_map(|s| match s {
            Section::Table(_, t) => Some(t),
            Section::Lines(..) => None,
        }) else {
            return String::new();
        };
        let keys = table.columns.iter().map(|c| c.key.as_str());
        // Every row as long as the header: the rows can be written in chunks on all cores, each
        // by a writer of its own (its first record fixes the same field count the header does),
        // and the chunks joined in order, byte for byte what one writer writes.
        let uniform = table.rows.iter().all(|r| r.len() == table.columns.len());
        let bytes = if uniform && table.rows.len() >= 256 {
            let mut head = csv::Writer::from_writer(Vec::new());
            // Writing to a Vec cannot fail.
            let _ = head.write_record(keys);
            let mut out = head.into_inner().unwrap_or_default();
            let parts: Vec<Vec<u8>> = table
                .rows
                .par_chunks(128)
                .map(|rows| csv_rows(csv::Writer::from_writer(Vec::new()), rows))
                .collect();
            for part in parts {
                out.extend_from_slice(&part);
            }
            out
        } else {
            let mut w = csv::Writer::from_writer(Vec::new());
            let _ = w.write_record(keys);
            csv_rows(w, &table.rows)
        };
        String::from_utf8(bytes).unwrap_or_default()
    }

    fn people(&self, markdown: bool, width: Option<usize>) -> String {
        let mut out = String::new();
        for (i, section) in self.sections.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            let heading = match section {
                Section::Table(h, _) | Section::Lines(h, _) => h,
            };
            if let Some(h) = heading {
                if markdown {
                    out.push_str(&format!("## {h}\n\n"));
                } else {
                    out.push_str(&layout::paragraph(h, width));
                }
            }
            match section {
                Section::Lines(_, lines) => {
                    for l in lines {
                        out.push_str(&layout::paragraph(l, width));
                    }
                }
                Section::Table(_, t) => {
                    let shown;
                    let t = if t.columns.iter().any(|c| c.csv_only) {
                        shown = t.keep_columns(|_, c| !c.csv_only);
                        &shown
                    } else {
                        t
                    };
                    if markdown {
                        out.push_str(&markdown_table(t));
                    } else {
                        out.push_str(&layout::table(t, width));
                    }
                }
            }
        }
        out
    }
}

/// A table for people as comfy-table draws it (the house look), with each title given as its
/// lines; numeric columns (and their titles) right-aligned.
pub fn boxed(titles: &[String], numeric: &[bool], rows: &[Vec<String>]) -> String {
    let mut c = Comfy::new();
    c.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled);
    c.set_header(titles.iter().cloned());
    for row in rows {
        c.add_row(row.iter().cloned());
    }
    for (i, &n) in numeric.iter().enumerate() {
        if n {
            if let Some(column) = c.column_mut(i) {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
    }
    let mut s = c.to_string();
    s.push('\n');
    s
}

fn markdown_table(t: &Table) -> String {
    let esc = |s: String| s.replace('|', "\\|");
    let mut out = String::new();
    out.push_str(&format!(
        "| {} |\n",
        t.columns
            .iter()
            .map(|c| esc(c.title.clone()))
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    out.push_str(&format!(
        "|{}|\n",
        t.columns
            .iter()
            .map(|c| if c.numeric { "---:" } else { "---" })
            .collect::<Vec<_>>()
            .join("|")
    ));
    for row in &t.rows {
        out.push_str(&format!(
            "| {} |\n",
            row.iter()
                .map(|c| esc(c.human()))
                .collect::<Vec<_>>()
                .join(" | ")
        ));
    }
    out
}

/// Writes `text` to `path` as [`write_atomic`] says, or to standard output for `None` or `-`. A
/// closed pipe on standard output is not an error.
pub fn emit(path: Option<&Path>, text: &str) -> Result<()> {
    match path {
        None => write_stdout(text),
        Some(p) if p.as_os_str() == "-" => write_stdout(text),
        Some(p) => write_atomic(p, text.as_bytes()),
    }
}

fn write_stdout(text: &str) -> Result<()> {
    write_stream(Stream::Stdout, text.as_bytes())
}

/// One of the standard streams an output may turn out to name.
#[derive(Debug, Clone, Copy)]
enum Stream {
    Stdout,
    Stderr,
}

/// Writes to a standard stream; a closed pipe is not an error.
fn write_stream(stream: Stream, bytes: &[u8]) -> Result<()> {
    let (result, name) = match stream {
        Stream::Stdout => {
            let mut out = std::io::stdout().lock();
            (
                out.write_all(bytes).and_then(|()| out.flush()),
                "standard output",
            )
        }
        Stream::Stderr => {
            let mut err = std::io::stderr().lock();
            (
                err.write_all(bytes).and_then(|()| err.flush()),
                "standard error",
            )
        }
    };
    match result {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        other => other.with_context(|| format!("cannot write to {name}")),
    }
}

/// The standard stream that is the file `meta` describes, if any (same device and inode).
#[cfg(unix)]
fn standard_stream(meta: &Metadata) -> Option<Stream> {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let same = |fd: std::os::fd::BorrowedFd<'_>| {
        fd.try_clone_to_owned()
            .map(std::fs::File::from)
            .and_then(|f| f.metadata())
            .is_ok_and(|m| m.dev() == meta.dev() && m.ino() == meta.ino())
    };
    if same(std::io::stdout().as_fd()) {
        Some(Stream::Stdout)
    } else if same(std::io::stderr().as_fd()) {
        Some(Stream::Stderr)
    } else {
        None
    }
}

#[cfg(not(unix))]
fn standard_stream(_meta: &Metadata) -> Option<Stream> {
    None
}

/// Writes bytes to the `-o` path: a regular file (or a new one) atomically, through a temporary
/// file renamed into place; through symbolic links to their final target; into a character
/// device or FIFO in place; never replacing anything but a regular file (see the module docs).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == ErrorKind::NotFound => return replace(path, bytes),
        Err(e) => return Err(e).with_context(|| format!("cannot write {}", path.display())),
    };
    if let Some(stream) = standard_stream(&meta) {
        return write_stream(stream, bytes);
    }
    let kind = meta.file_type();
    if kind.is_file() {
        return replace(path, bytes);
    }
    if kind.is_dir() {
        bail!(
            "cannot write {}: it is a folder; give a file name",
            path.display()
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_char_device() || kind.is_fifo() {
            return write_through(path, bytes);
        }
        let what = if kind.is_socket() {
            "a socket"
        } else if kind.is_block_device() {
            "a block device"
        } else {
            "neither a file nor a device"
        };
        bail!(
            "cannot write {}: it is {what}; -o writes a regular file, a character device or a FIFO",
            path.display()
        );
    }
    #[cfg(not(unix))]
    bail!("cannot write {}: it is not a regular file", path.display());
}

/// Writes into an existing character device or FIFO, never replacing it: no create, no truncate.
/// The open blocks until a FIFO has a reader. A reader that has gone (a closed pipe) is not an
/// error, as on standard output.
fn write_through(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    match file.write_all(bytes).and_then(|()| file.flush()) {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        other => other.with_context(|| format!("cannot write {}", path.display())),
    }
}

/// How many links [`final_target`] follows before it gives up (the kernel's own limit).
const MAX_LINKS: usize = 40;

/// The path at the end of a chain of symbolic links starting at `path` (`path` itself if it is
/// not a link), whether or not it exists. A relative link is read from the link's own folder.
/// The links are followed with `read_link` rather than `canonicalize`, which fails when the
/// final target does not exist yet; the path is not otherwise rewritten.
fn final_target(path: &Path) -> Result<PathBuf> {
    let mut at = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                let next = std::fs::read_link(&at)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                at = match at.parent() {
                    Some(folder) if next.is_relative() => folder.join(next),
                    _ => next,
                };
            }
            _ => return Ok(at),
        }
    }
    bail!(
        "cannot write {}: more than {MAX_LINKS} symbolic links in a row",
        path.display()
    )
}

/// Replaces the regular file at the end of `path`'s links (or creates it) atomically: a temporary
/// file in the same folder, written, given the permissions of the file it replaces (or 0644),
/// renamed into place.
fn replace(path: &Path, bytes: &[u8]) -> Result<()> {
    let target = final_target(path)?;
    let what = if target == path {
        path.display().to_string()
    } else {
        format!("{} (a link to {})", path.display(), target.display())
    };
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    // Declared before the file, so dropped after it: the registry names the temporary file for
    // as long as it can exist.
    let in_flight = InFlight;
    let mut tmp = in_flight.create_in(dir).with_context(|| {
        format!(
            "cannot write {what}: cannot create a file in {}",
            dir.display()
        )
    })?;
    let (first, rest) = bytes.split_at(bytes.len() / 2);
    tmp.write_all(first)
        .map(|()| test_pause())
        .and_then(|()| tmp.write_all(rest))
        .and_then(|()| tmp.flush())
        .with_context(|| format!("cannot write {what}"))?;
    // The temporary file is private (0600); the file it becomes keeps the permissions of the one
    // it replaces, or gets the usual 0644.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&target).map_or(0o644, |m| m.permissions().mode() & 0o7777);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .with_context(|| format!("cannot write {what}"))?;
    }
    tmp.persist(&target)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {what}"))?;
    Ok(())
}

/// The temporary file of the write in progress, if any. It is set while the lock is held across
/// the file's creation, and cleared only once the file is gone (renamed into place or removed),
/// so whenever a temporary file exists, this names it.
static IN_FLIGHT: Mutex<Option<PathBuf>> = Mutex::new(None);

fn in_flight() -> MutexGuard<'static, Option<PathBuf>> {
    IN_FLIGHT.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A write's entry in [`IN_FLIGHT`], cleared when dropped.
#[derive(Debug)]
struct InFlight;

impl InFlight {
    /// Creates the temporary file and names it in the registry, under one lock.
    fn create_in(&self, dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
        let mut slot = in_flight();
        let tmp = tempfile::Builder::new()
            .prefix(".tribute-")
            .tempfile_in(dir)?;
        *slot = Some(tmp.path().to_path_buf());
        Ok(tmp)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        *in_flight() = None;
    }
}

/// For the signal handler, as the program is about to end: removes the temporary file of the
/// write in progress, if any, and keeps the registry locked for good, so that no other temporary
/// file is created before the end. Never call it otherwise: any later write would wait forever.
pub fn abandon_output() {
    let mut slot = in_flight();
    if let Some(tmp) = slot.take() {
        // Gone already (renamed or removed a moment ago) is as good as removed.
        let _ = std::fs::remove_file(tmp);
    }
    std::mem::forget(slot);
}

/// Test-only: in debug builds, `TRIBUTE_TEST_WRITE_DELAY_MS` pauses a regular-file write halfway,
/// with the temporary file half written, so that tests/output.rs can interrupt a write at a known
/// moment. Not a user setting; release builds do not read it.
#[cfg(debug_assertions)]
fn test_pause() {
    if let Some(ms) = std::env::var("TRIBUTE_TEST_WRITE_DELAY_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

#[cfg(not(debug_assertions))]
fn test_pause() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping_keeps_every_digit() {
        let d = |s: &str| Decimal::from_str_exact(s).unwrap();
        assert_eq!(grouped(d("19700000")), "19,700,000");
        assert_eq!(grouped(d("1234.50")), "1,234.5");
        assert_eq!(grouped(d("-1000")), "-1,000");
        assert_eq!(grouped(d("999")), "999");
        assert_eq!(plain(d("31400000.000")), "31400000");
    }
}
