//! Reports and their formats: table (for people), csv, json, markdown; and safe output (`-o`).
//!
//! A command builds a [`Report`]; this module turns it into text. CSV and JSON are contracts for
//! scripts: plain decimals (no thousands separators, no rounding; JSON amounts are strings so no
//! digit is lost to a float), stable column keys. Tables and Markdown are for people: thousands
//! separators and human column titles.
//!
//! Output files are written by [`output`]: nothing but a regular file is ever replaced.

mod output;

pub use output::{abandon_output, emit, write_atomic};

use std::io::Write;

use anyhow::{Result, bail};
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
                    tribute_core::report::write_plain(*d, &mut field);
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
    tribute_core::report::plain(d)
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
            // Sized once: grown by doubling, the text would be copied into new memory again and
            // again (a million postings make 0.7 MB).
            out.reserve_exact(parts.iter().map(Vec::len).sum());
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
