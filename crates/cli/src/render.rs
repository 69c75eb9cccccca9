//! Reports and their formats: table (for people), csv, json, markdown; and atomic output.
//!
//! A command builds a [`Report`]; this module turns it into text. CSV and JSON are contracts for
//! scripts: plain decimals (no thousands separators, no rounding; JSON amounts are strings so no
//! digit is lost to a float), stable column keys. Tables and Markdown are for people: thousands
//! separators and human column titles. Output files are written to a temporary file in the same
//! folder and renamed into place, so a failure never leaves a half-written file.

use std::io::Write;
use std::path::Path;

use anyhow::{Context as _, Result};
use comfy_table::{CellAlignment, ContentArrangement, Table as Comfy, presets};
use rust_decimal::Decimal;

use crate::args::Format;

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

    fn human(&self) -> String {
        match self {
            Cell::Num(d) => grouped(*d),
            other => other.plain(),
        }
    }

    /// The cell as a JSON value: amounts as strings, whole numbers as numbers.
    pub fn json(&self) -> serde_json::Value {
        match self {
            Cell::Text(s) => serde_json::Value::String(s.clone()),
            Cell::Num(d) => serde_json::Value::String(plain(*d)),
            Cell::Int(i) => serde_json::Value::from(*i),
        }
    }
}

/// A decimal without exponent, trailing zeros or separators: `19700000`, `0.77`.
pub fn plain(d: Decimal) -> String {
    d.normalize().to_string()
}

/// A decimal with thousands separators in its whole part: `19,700,000`, `1,234.5`.
pub fn grouped(d: Decimal) -> String {
    let s = plain(d);
    let (sign, body) = s.strip_prefix('-').map_or(("", s.as_str()), |b| ("-", b));
    let (whole, frac) = body
        .split_once('.')
        .map_or((body, None), |(w, f)| (w, Some(f)));
    let mut out = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

/// A column: a stable key (csv, json) and a title for people.
#[derive(Debug, Clone)]
pub struct Column {
    /// Key for csv headers and json objects.
    pub key: String,
    /// Title for tables and Markdown.
    pub title: String,
    /// Right-aligned.
    pub numeric: bool,
}

impl Column {
    /// A text column.
    pub fn text(key: &str, title: &str) -> Column {
        Column {
            key: key.into(),
            title: title.into(),
            numeric: false,
        }
    }
    /// A numeric column.
    pub fn num(key: &str, title: &str) -> Column {
        Column {
            key: key.into(),
            title: title.into(),
            numeric: true,
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
    /// The rows as JSON objects keyed by column key.
    pub fn json_rows(&self) -> serde_json::Value {
        serde_json::Value::Array(
            self.rows
                .iter()
                .map(|r| {
                    serde_json::Value::Object(
                        self.columns
                            .iter()
                            .zip(r)
                            .map(|(c, v)| (c.key.clone(), v.json()))
                            .collect(),
                    )
                })
                .collect(),
        )
    }
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
    /// The JSON form (a command builds it with its metadata).
    pub json: serde_json::Value,
}

impl Report {
    /// Renders in `format`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Json => {
                let mut s = serde_json::to_string_pretty(&self.json).unwrap_or_default();
                s.push('\n');
                s
            }
            Format::Csv => self.csv(),
            // Journal formats are refused before any report is built (`main`); a table is the
            // harmless answer should one ever get here.
            Format::Table | Format::Hledger | Format::Ledger | Format::Beancount => {
                self.people(false)
            }
            Format::Markdown => self.people(true),
        }
    }

    fn csv(&self) -> String {
        let Some(table) = self.sections.iter().find_map(|s| match s {
            Section::Table(_, t) => Some(t),
            Section::Lines(..) => None,
        }) else {
            return String::new();
        };
        let mut w = csv::Writer::from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        let _ = w.write_record(table.columns.iter().map(|c| c.key.as_str()));
        for row in &table.rows {
            let _ = w.write_record(row.iter().map(Cell::plain));
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    fn people(&self, markdown: bool) -> String {
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
                    out.push_str(&format!("{h}\n"));
                }
            }
            match section {
                Section::Lines(_, lines) => {
                    for l in lines {
                        out.push_str(l);
                        out.push('\n');
                    }
                }
                Section::Table(_, t) if markdown => out.push_str(&markdown_table(t)),
                Section::Table(_, t) => {
                    let mut c = Comfy::new();
                    c.load_preset(presets::UTF8_FULL_CONDENSED)
                        .set_content_arrangement(ContentArrangement::Disabled);
                    c.set_header(t.columns.iter().map(|col| col.title.clone()));
                    for row in &t.rows {
                        c.add_row(row.iter().map(Cell::human));
                    }
                    for (i, col) in t.columns.iter().enumerate() {
                        if col.numeric {
                            if let Some(column) = c.column_mut(i) {
                                column.set_cell_alignment(CellAlignment::Right);
                            }
                        }
                    }
                    out.push_str(&c.to_string());
                    out.push('\n');
                }
            }
        }
        out
    }
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

/// Writes `text` to `path` atomically, or to standard output for `None` or `-`. A closed pipe on
/// standard output is not an error.
pub fn emit(path: Option<&Path>, text: &str) -> Result<()> {
    match path {
        None => write_stdout(text),
        Some(p) if p.as_os_str() == "-" => write_stdout(text),
        Some(p) => write_atomic(p, text.as_bytes()),
    }
}

fn write_stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}

/// Writes bytes to `path` through a temporary file in the same folder, renamed into place.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".tribute-")
        .tempfile_in(dir)
        .with_context(|| {
            format!(
                "cannot write {}: cannot create a file in {}",
                path.display(),
                dir.display()
            )
        })?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.flush())
        .with_context(|| format!("cannot write {}", path.display()))?;
    // The temporary file is private (0600); the file it becomes keeps the permissions of the one
    // it replaces, or gets the usual 0644.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o7777);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

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
