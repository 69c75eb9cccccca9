//! CSV tables of streams and deliveries: the form a historian's spreadsheet or a machine-made
//! corpus takes (`streams/*.csv`, `deliveries/*.csv` in a plugin folder; docs/treaty-format.md).
//!
//! This module reads a table's header and rows ([`Table::read`]: one pass over the bytes that
//! keeps where each cell ends, no copy of a cell's text, CSV read exactly as the `csv` crate reads
//! it, which a property test checks) and locates its cells; [`streams`] turns rows into
//! [`crate::Treaty`] values and [`deliveries`] into recorded [`crate::Delivery`] items, the same model
//! values the TOML loader produces, so resolving, the engine and the reports never know which form
//! a treaty was written in. What must always hold:
//! - every bad cell is an [`Error`] at file:line:column naming its column, with a help line; an
//!   unknown or missing column names the nearest valid one;
//! - the strictness of the TOML loader: amounts go through [`crate::parse_decimal`] and
//!   [`crate::Registry::convert`] (never a float), and unknown commodities, units, sources, parties
//!   and treaties are refused;
//! - reading a cell or locating it costs a constant amount of work, never a rescan of its row
//!   or the file, so that a table of tens of thousands of rows loads in time proportional to its
//!   size (lines and columns are found only for an error, [`SourceFile::at`]).
//!
//! The loader's hooks are [`read_streams`] (before TOML treaties are parsed, so that a table can
//! override a treaty of a lower layer and a file is never parsed for nothing) and
//! [`read_deliveries`] (after every treaty is known).

mod deliveries;
mod lookups;
mod prescan;
mod scan;
mod streams;

use std::ops::Range;
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::amount::{CommodityId, Year, parse_decimal};
use crate::error::{Error, ErrorKind, Location, Result, SourceFile};
use crate::model::SourceRef;
use crate::plugin::fields::is_kebab;
use crate::plugin::{FileKind, Layer, PluginFile, parallel_map};

pub(crate) use lookups::Lookups;
pub(crate) use prescan::Prescan;
use prescan::scanned;
#[cfg(test)]
use scan::scan;
use scan::{plain_quoted, trim};

pub(crate) use deliveries::read_deliveries;
pub(crate) use streams::read_streams;

/// A column a table takes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    /// Its name in the header (compared ignoring ASCII case and surrounding space).
    pub name: &'static str,
    /// Whether the header must have it.
    pub required: bool,
}

/// A table's header, read and checked: which record field holds each known column.
pub(crate) struct Header {
    /// For each column of the table's spec, its field index, if the header has it.
    fields: Vec<Option<usize>>,
}

impl Header {
    /// The field index of column `i` of the spec.
    pub(crate) fn field(&self, i: usize) -> Option<usize> {
        self.fields[i]
    }
}

/// One data row: where it starts in the file and which of its table's cells are its own.
#[derive(Clone, Copy)]
pub(crate) struct Row {
    /// Byte offset of the row's first character.
    start: usize,
    /// Byte offset of the end of its first line (a quoted cell may go on to further lines).
    line_end: usize,
    /// Index of its first cell in [`Table`]'s cells.
    first: usize,
    /// How many cells it has.
    len: usize,
}

/// A table file being read: its name, text and columns, its cells once read, and how to locate
/// a cell.
pub(crate) struct Table<'a> {
    /// The file, as shown to users.
    pub display: &'a str,
    /// The file, shared by the locations of its rows and cells.
    pub file: Arc<SourceFile>,
    /// Its text.
    pub text: crate::error::Text,
    /// What kind of table ("streams table"), for messages.
    pub what: &'static str,
    /// The columns it takes, in documented order.
    pub spec: &'static [Column],
    /// Where each cell of every record read ([`Table::read`]) ends, quotes included: one flat
    /// list, so reading a row allocates nothing of its own. A row's first cell starts at the
    /// row's start, each other one a byte (its comma) after the end of the one before.
    cells: Vec<u32>,
    /// The cells whose value is not their text less its outer quotes (a doubled quote inside,
    /// text after the closing quote, no closing quote), unescaped, by cell index (ascending).
    escaped: Vec<(usize, String)>,
}

/// `a`, `b` and `c` as `` `a`, `b`, `c` ``.
fn quoted(names: impl IntoIterator<Item = &'static str>) -> String {
    names
        .into_iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The name among `known` nearest to `wanted` ([`crate::suggest::nearest`], the one helper every
/// "did you mean" uses).
pub(crate) fn nearest<'k>(
    wanted: &str,
    known: impl IntoIterator<Item = &'k str>,
) -> Option<&'k str> {
    crate::suggest::nearest(wanted, known).into_iter().next()
}

/// "did you mean `x`? " when a near name exists, else nothing.
pub(crate) fn did_you_mean<'k>(wanted: &str, known: impl IntoIterator<Item = &'k str>) -> String {
    nearest(wanted, known).map_or_else(String::new, |n| format!("did you mean `{n}`? "))
}

impl<'a> Table<'a> {
    /// The table `file` (its text already checked UTF-8) of kind `what`, taking columns `spec`,
    /// before it is read.
    pub(crate) fn new(
        display: &'a str,
        text: crate::error::Text,
        what: &'static str,
        spec: &'static [Column],
    ) -> Table<'a> {
        Table {
            display,
            file: SourceFile::new(display, &text),
            text,
            what,
            spec,
            cells: Vec::new(),
            escaped: Vec::new(),
        }
    }

    /// A location in this file (at or after the row's start).
    fn locate(&self, row_start: usize, span: Range<usize>) -> Location {
        let start = span.start.clamp(row_start, self.text.len());
        self.file.at(start..span.end)
    }

    /// The 1-based line a row starts on (found when asked, from the file's line index).
    pub(crate) fn line(&self, row: &Row) -> usize {
        self.file.line_col(row.start).0
    }

    /// The bytes of a whole row's first line.
    pub(crate) fn row_span(&self, row: &Row) -> Range<usize> {
        row.start..row.line_end
    }

    /// The location of a whole row (from its first character to the end of its line).
    pub(crate) fn row_at(&self, row: &Row) -> Location {
        self.locate(row.start, self.row_span(row))
    }

    /// The bytes field `field` of `row` is written in (quotes included), or the row's first line
    /// if it has no such field.
    fn field_span(&self, row: &Row, field: usize) -> Range<usize> {
        if field >= row.len {
            return self.row_span(row);
        }
        self.bounds(row, field)
            .unwrap_or_else(|| self.row_span(row))
    }

    /// Where field `field` (less than the row's length) of `row` is written.
    fn bounds(&self, row: &Row, field: usize) -> Option<Range<usize>> {
        let index = row.first.checked_add(field)?;
        let end = *self.cells.get(index)? as usize;
        let start = match field.checked_sub(1) {
            None => row.start,
            // After the comma that ends the field before.
            Some(before) => {
                (*self.cells.get(row.first.checked_add(before)?)? as usize).checked_add(1)?
            }
        };
        Some(start..end)
    }

    /// The value of field `field` of `row`, as the `csv` crate reads it (outer quotes removed,
    /// doubled quotes made one). Most cells are plain text: those are found with two loads and a
    /// byte's look; a quoted cell or the file's first takes [`Table::unusual`].
    #[inline]
    fn field(&self, row: &Row, field: usize) -> Option<&str> {
        if field >= row.len {
            return None;
        }
        let index = row.first.checked_add(field)?;
        let end = *self.cells.get(index)? as usize;
        let start = match index.checked_sub(1) {
            Some(before) if field > 0 => (*self.cells.get(before)? as usize).checked_add(1)?,
            _ => row.start,
        };
        let raw = self.text.get(start..end)?;
        if start == 0 || raw.as_bytes().first() == Some(&b'"') {
            return self.unusual(raw, start, index);
        }
        Some(raw)
    }

    /// [`Table::field`] of a cell that starts the file (after a byte-order mark, if any) or
    /// starts with a quote.
    #[cold]
    fn unusual<'t>(&'t self, mut raw: &'t str, start: usize, index: usize) -> Option<&'t str> {
        if start == 0 {
            raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
        }
        if !raw.starts_with('"') {
            return Some(raw);
        }
        if let Some(inner) = plain_quoted(raw) {
            return Some(inner);
        }
        self.escaped
            .binary_search_by_key(&index, |e| e.0)
            .ok()
            .map(|i| self.escaped[i].1.as_str())
    }

    /// The values of every field of `row`.
    fn fields<'t>(&'t self, row: &Row) -> impl Iterator<Item = &'t str> + 't {
        let row = *row;
        (0..row.len).map(move |f| self.field(&row, f).unwrap_or_default())
    }

    /// Whether every field of `row` is blank.
    fn blank(&self, row: &Row) -> bool {
        self.fields(row).all(|c| c.trim().is_empty())
    }

    /// The bytes of column `col` (spec index) of `row`, or of the row if the header lacks it.
    pub(crate) fn cell_span(&self, header: &Header, row: &Row, col: usize) -> Range<usize> {
        match header.field(col) {
            Some(f) => self.field_span(row, f),
            None => self.row_span(row),
        }
    }

    /// The location of field `field` of `row`.
    fn field_at(&self, row: &Row, field: usize) -> Location {
        self.locate(row.start, self.field_span(row, field))
    }

    /// The location of column `col` (spec index) of `row`, or of the row if the header lacks it.
    pub(crate) fn cell_at(&self, header: &Header, row: &Row, col: usize) -> Location {
        match header.field(col) {
            Some(f) => self.field_at(row, f),
            None => self.row_at(row),
        }
    }

    /// An error at column `col` of `row`, naming the column: "column `to`: …".
    pub(crate) fn err(
        &self,
        header: &Header,
        row: &Row,
        col: usize,
        kind: ErrorKind,
        msg: impl std::fmt::Display,
    ) -> Error {
        Error::new(kind, format!("column `{}`: {msg}", self.spec[col].name))
            .at(self.cell_at(header, row, col))
    }

    /// The trimmed text of column `col` of `row`, or `None` when blank or absent.
    #[inline]
    pub(crate) fn cell(&self, header: &Header, row: &Row, col: usize) -> Option<&str> {
        header
            .field(col)
            .and_then(|f| self.field(row, f))
            .map(trim)
            .filter(|s| !s.is_empty())
    }

    /// The text of a column the row must fill.
    pub(crate) fn required(&self, header: &Header, row: &Row, col: usize) -> Result<&str> {
        self.cell(header, row, col).ok_or_else(|| {
            self.err(header, row, col, ErrorKind::Schema, "this cell is empty")
                .help(format!(
                    "every row of a {} fills `{}`; see docs/treaty-format.md",
                    self.what, self.spec[col].name
                ))
        })
    }

    /// Reads the header and every non-blank row (their cells kept in the table). A missing
    /// required column, an unknown or repeated column or a row of the wrong length is an error
    /// at its place.
    #[cfg(test)]
    pub(crate) fn read(&mut self) -> Result<(Header, Vec<Row>)> {
        self.read_with(None)
    }

    /// [`Table::read`], with the scan of the text made ahead of time by `pre` if it was.
    pub(crate) fn read_with(&mut self, pre: Option<&Prescan>) -> Result<(Header, Vec<Row>)> {
        if u32::try_from(self.text.len()).is_err() {
            return Err(Error::new(
                ErrorKind::Io,
                format!("the {} is larger than 4 GiB", self.what),
            )
            .at(self.locate(0, 0..0))
            .help("split it into several tables in the same folder"));
        }
        let (cells, escaped, mut rows) = pre
            .and_then(Prescan::take)
            .unwrap_or_else(|| scanned(&self.text));
        (self.cells, self.escaped) = (cells, escaped);
        let Some(h) = rows.iter().position(|r| !self.blank(r)) else {
            return Err(Error::new(
                ErrorKind::Schema,
                format!("the file is empty; a {} needs a header row", self.what),
            )
            .at(self.locate(0, 0..0))
            .help(format!(
                "the first row names the columns: {}",
                quoted(self.spec.iter().filter(|c| c.required).map(|c| c.name))
            )));
        };
        let head = rows[h];
        let header = self.header(&head)?;
        rows.drain(..=h);
        let n = head.len;
        if let Some(row) = rows.iter().find(|r| r.len != n && !self.blank(r)) {
            let field = row.len.min(n);
            return Err(Error::new(
                ErrorKind::Schema,
                format!(
                    "this row has {} cells but the header (line {}) has {n}",
                    row.len,
                    self.line(&head)
                ),
            )
            .at(self.field_at(row, field.saturating_sub(1)))
            .help("every row has one cell per column; a cell holding a comma is written in double quotes"));
        }
        rows.retain(|r| !self.blank(r));
        Ok((header, rows))
    }

    /// Checks the header row: every name a column of the spec (the nearest one suggested), none
    /// twice, every required one present.
    fn header(&self, row: &Row) -> Result<Header> {
        let mut fields = vec![None; self.spec.len()];
        let names = || self.spec.iter().map(|c| c.name);
        for (f, raw) in self.fields(row).enumerate() {
            let name = raw.trim().trim_start_matches('\u{feff}').trim();
            let Some(i) = self
                .spec
                .iter()
                .position(|c| c.name.eq_ignore_ascii_case(name))
            else {
                let what = if name.is_empty() {
                    "a column has no name".to_string()
                } else {
                    format!("unknown column `{name}`")
                };
                return Err(Error::new(ErrorKind::Schema, what)
                    .at(self.field_at(row, f))
                    .help(format!(
                        "{}the columns of a {} are {}",
                        did_you_mean(name, names()),
                        self.what,
                        quoted(names())
                    )));
            };
            if fields[i].is_some() {
                return Err(Error::new(
                    ErrorKind::Duplicate,
                    format!("column `{}` appears twice", self.spec[i].name),
                )
                .at(self.field_at(row, f))
                .help("keep one of the two columns"));
            }
            fields[i] = Some(f);
        }
        if let Some(missing) =
            (0..self.spec.len()).find(|&i| self.spec[i].required && fields[i].is_none())
        {
            return Err(Error::new(
                ErrorKind::Schema,
                format!("the header has no column `{}`", self.spec[missing].name),
            )
            .at(self.row_at(row))
            .help(format!(
                "add the column `{}`; a {} needs {}",
                self.spec[missing].name,
                self.what,
                quoted(self.spec.iter().filter(|c| c.required).map(|c| c.name))
            )));
        }
        Ok(Header { fields })
    }

    /// A kebab-case id in column `col` (a treaty or stream id).
    pub(crate) fn id(&self, header: &Header, row: &Row, col: usize) -> Result<&str> {
        let id = self.required(header, row, col)?;
        if !is_kebab(id) {
            return Err(self
                .err(header, row, col, ErrorKind::Value, format!("`{id}` is not lower-case kebab-case"))
                .help("use lower-case letters, digits and single hyphens, e.g. song-jin-1142-shaoxing"));
        }
        Ok(id)
    }

    /// A whole number in column `col` (a year, `every`, `count`), with its span.
    pub(crate) fn integer(
        &self,
        header: &Header,
        row: &Row,
        col: usize,
    ) -> Result<Option<(i64, Range<usize>)>> {
        let Some(text) = self.cell(header, row, col) else {
            return Ok(None);
        };
        let digits = text.strip_prefix('-').unwrap_or(text);
        let value = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            text.parse::<i64>().ok()
        } else {
            None
        };
        let Some(value) = value else {
            return Err(self
                .err(
                    header,
                    row,
                    col,
                    ErrorKind::Value,
                    format!("`{text}` is not a whole number"),
                )
                .help(format!(
                    "write `{}` as digits alone, e.g. 1142",
                    self.spec[col].name
                )));
        };
        Ok(Some((value, self.cell_span(header, row, col))))
    }

    /// A year in column `col`, required.
    pub(crate) fn year(&self, header: &Header, row: &Row, col: usize) -> Result<Year> {
        self.required(header, row, col)?;
        let (value, _) = self.integer(header, row, col)?.unwrap_or_default();
        crate::amount::checked_year(value).map_err(|(message, help)| {
            self.err(header, row, col, ErrorKind::Value, message)
                .help(help)
        })
    }

    /// A source list in column `col`: `ID`, `ID, locator`, several separated by `;`; every id a
    /// registry source (a table declares no sources of its own).
    pub(crate) fn sources<'t>(
        &'t self,
        header: &Header,
        row: &Row,
        col: usize,
        names: &mut Lookups<'_, 't>,
    ) -> Result<Vec<SourceRef>> {
        let text = self.required(header, row, col)?;
        // Sized to the list (grown by push it would hold four; most rows cite one source).
        let mut out = Vec::with_capacity(text.split(';').count());
        for part in text.split(';') {
            let (id, locator) = match part.split_once(',') {
                Some((id, loc)) => (
                    id.trim(),
                    Some(loc.trim().to_string()).filter(|l| !l.is_empty()),
                ),
                None => (part.trim(), None),
            };
            if id.is_empty() {
                return Err(self
                    .err(header, row, col, ErrorKind::Value, format!("`{text}` has an empty source id"))
                    .help("write `ID`, `ID, locator`, or several separated by `;`: `bielenstein-2005, p.563; tuotuo-1345`"));
            }
            let Some(found) = names.source(id) else {
                let reg = names.reg;
                return Err(self
                    .err(header, row, col, ErrorKind::Reference, format!("unknown source `{id}`"))
                    .help(format!(
                        "{}a table's sources are declared in a registry file as [[source]] (registry/*.toml)",
                        did_you_mean(id, reg.sources().iter().map(|s| s.id.as_str()))
                    )));
            };
            out.push(SourceRef {
                id: found.id.clone(),
                locator,
            });
        }
        Ok(out)
    }

    /// The amount of one row: `commodity`, `amount` and `unit` (blank: the commodity's own unit),
    /// converted exactly to the commodity's unit. Returns the commodity, the value and the decimal
    /// places it was written with (of the number as written or of its value, whichever is more).
    pub(crate) fn amount<'t>(
        &'t self,
        header: &Header,
        row: &Row,
        cols: [usize; 3],
        names: &mut Lookups<'_, 't>,
    ) -> Result<(CommodityId, Decimal, u32)> {
        let reg = names.reg;
        let [commodity_col, amount_col, unit_col] = cols;
        let name = self.required(header, row, commodity_col)?;
        let Some(c) = names.commodity(name) else {
            let known = reg.commodities().iter().map(|c| c.id.as_str());
            return Err(self
                .err(header, row, commodity_col, ErrorKind::Reference, format!("unknown commodity `{name}`"))
                .help(format!(
                    "{}known commodities: {}; a new one is declared with [[commodity]] in a registry file",
                    did_you_mean(name, known.clone()),
                    known.collect::<Vec<_>>().join(", ")
                )));
        };
        let text = self.required(header, row, amount_col)?;
        // A number as written has no space or other white space inside (looked for only when a
        // byte could be one).
        if text.bytes().any(|b| b <= b' ' || !b.is_ascii())
            && text.split_whitespace().nth(1).is_some()
        {
            return Err(self
                .err(
                    header,
                    row,
                    amount_col,
                    ErrorKind::Value,
                    format!("`{text}` is not a number"),
                )
                .help("write the number alone and the unit in the `unit` column"));
        }
        let number = parse_decimal(text, false).map_err(|m| {
            self.err(header, row, amount_col, ErrorKind::Value, m).help(
                "write digits with an optional fraction: 100000 or 2.5 (group with `_`, never `,`)",
            )
        })?;
        let value = match self.cell(header, row, unit_col) {
            None => number,
            Some(u) => {
                let measure = &reg.commodity(c).measure;
                let Some(unit) = names.unit(u) else {
                    let known = reg
                        .units()
                        .iter()
                        .filter(|x| &x.measure == measure)
                        .map(|x| x.id.as_str());
                    return Err(self
                        .err(header, row, unit_col, ErrorKind::Reference, format!("unknown unit `{u}`"))
                        .help(format!(
                            "{}units of {measure}: {}; leave the cell blank for the commodity's own unit ({})",
                            did_you_mean(u, known.clone()),
                            known.collect::<Vec<_>>().join(", "),
                            reg.unit_of(c)
                        )));
                };
                let own = reg.commodity(c);
                if unit.id == own.unit && &unit.measure == measure {
                    // The commodity's own unit: what `convert` returns without a look-up.
                    number
                } else {
                    reg.convert(c, number, unit).map_err(|(message, help)| {
                        self.err(header, row, unit_col, ErrorKind::Value, message)
                            .help(help)
                    })?
                }
            }
        };
        Ok((c, value, number.scale().max(value.scale())))
    }
}

/// The table files of kind `kind` in each layer, lowest layer first, with their layer's index.
fn tables(layers: &[Layer], kind: FileKind) -> Vec<(usize, &PluginFile)> {
    layers
        .iter()
        .enumerate()
        .flat_map(|(i, l)| {
            l.files
                .iter()
                .filter(move |f| f.kind() == kind)
                .map(move |f| (i, f))
        })
        .collect()
}

/// Reads tables (on all cores), each with `read`, keeping each one's layer index.
fn read_all<'f, T: Send>(
    files: &[(usize, &'f PluginFile)],
    read: impl Fn(&PluginFile) -> Result<T> + Sync,
) -> Vec<(usize, &'f PluginFile, Result<T>)> {
    let results = parallel_map(files, |(_, f)| read(f));
    files
        .iter()
        .zip(results)
        .map(|(&(i, f), r)| (i, f, r))
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::arithmetic_side_effects,
        reason = "test code: an overflow panics and fails the test"
    )]
    use super::*;

    /// A table of `text`, read as records (blank ones too) without a header.
    fn records(text: &str) -> (Table<'static>, Vec<Row>) {
        let text: crate::error::Text = Arc::new(text.to_string());
        let mut table = Table::new("t.csv", text, "table", &[]);
        let (mut cells, mut escaped) = (Vec::new(), Vec::new());
        let rows = scan(&table.text, &mut cells, &mut escaped);
        (table.cells, table.escaped) = (cells, escaped);
        (table, rows)
    }

    #[test]
    fn a_field_span_skips_quotes_and_doubled_quotes() {
        let (table, rows) = records("a,\"b, \"\"c\"\"\",d\nx,y,z\n");
        let text = |r: usize, f: usize| &table.text[table.field_span(&rows[r], f)];
        assert_eq!(text(0, 0), "a");
        assert_eq!(text(0, 1), "\"b, \"\"c\"\"\"");
        assert_eq!(table.field(&rows[0], 1), Some("b, \"c\""));
        assert_eq!(text(0, 2), "d");
        assert_eq!(text(1, 2), "z");
        // A quoted line break stays inside its cell.
        let (table, rows) = records("a,\"one\ntwo\",b\n");
        assert_eq!(&table.text[table.field_span(&rows[0], 2)], "b");
        assert_eq!(table.field(&rows[0], 1), Some("one\ntwo"));
    }

    #[test]
    fn comments_blank_lines_and_crlf_are_skipped_as_the_csv_crate_skips_them() {
        let (table, rows) = records("# note, \"x\n\r\n\na,b\r\n\r\n#c\r\n\"q\"r\"s,t");
        let all: Vec<Vec<&str>> = rows.iter().map(|r| table.fields(r).collect()).collect();
        assert_eq!(all, [vec!["a", "b"], vec!["qr\"s", "t"]]);
        assert_eq!(table.line(&rows[0]), 4);
        assert_eq!(table.line(&rows[1]), 7);
    }

    #[test]
    fn a_header_after_comment_lines_is_located_on_its_own_line() {
        // The `csv` crate places the first record at the file's start, before the comments: a
        // header error used to point into the comment.
        static SPEC: [Column; 1] = [Column {
            name: "a",
            required: true,
        }];
        let text: crate::error::Text = Arc::new("# a comment, \"x\n\na,b\n".to_string());
        let mut table = Table::new("t.csv", text, "table", &SPEC);
        let Err(e) = table.read() else {
            panic!("`b` is not a column");
        };
        let at = e.location().expect("a location");
        assert_eq!((at.line(), at.column()), (3, 3), "{e}");
        assert_eq!(&table.text[at.span.clone()], "b");
    }

    /// The first character of the record the `csv` crate places at `pos`: it places a record
    /// where the previous one ended, so the byte-order mark, line ends and `#` comment lines
    /// before it are stepped over. A record right after the mark is placed at the file's start.
    fn csv_row_start(text: &str, pos: &csv::Position) -> usize {
        let bytes = text.as_bytes();
        let mut start = pos.byte() as usize;
        if start == 0 && text.starts_with('\u{feff}') {
            start = 3;
            if !matches!(bytes.get(3), Some(b'\n' | b'\r' | b'#')) {
                return 0;
            }
        }
        loop {
            match bytes.get(start) {
                Some(b'\n' | b'\r') => start += 1,
                Some(b'#') => {
                    start = bytes[start..]
                        .iter()
                        .position(|&b| b == b'\n')
                        .map_or(bytes.len(), |k| start + k + 1)
                }
                _ => return start,
            }
        }
    }

    /// A cell as written, quotes removed.
    fn unquote(raw: &str) -> String {
        match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
            Some(inner) => inner.replace("\"\"", "\""),
            None => raw.to_string(),
        }
    }

    /// Checks that the non-blank records of `text` are those the `csv` crate reads.
    fn read_as_the_csv_crate_reads(text: &str) -> Result<(), proptest::test_runner::TestCaseError> {
        let text = text.to_string();
        let (table, mut rows) = records(&text);
        rows.retain(|r| !table.blank(r));
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        // Blank records are skipped alike (the crate also reads a last `#` line with no line
        // end as a record of one empty field).
        let expected: Vec<csv::StringRecord> = reader
            .records()
            .map(|r| r.expect("a record"))
            .filter(|r| !r.iter().all(|c| c.trim().is_empty()))
            .collect();
        proptest::prop_assert_eq!(rows.len(), expected.len());
        for (row, record) in rows.iter().zip(&expected) {
            proptest::prop_assert_eq!(
                row.start,
                csv_row_start(&text, record.position().expect("a position"))
            );
            // A row's span is its first line, whatever its cells hold.
            let line_end = text[row.start..]
                .find(['\n', '\r'])
                .map_or(text.len(), |k| row.start + k);
            proptest::prop_assert_eq!(table.row_span(row), row.start..line_end);
            let fields: Vec<&str> = table.fields(row).collect();
            let wanted: Vec<&str> = record.iter().collect();
            proptest::prop_assert_eq!(fields, wanted);
        }
        Ok(())
    }

    proptest::proptest! {
        /// Whatever the text (stray quotes, comments, bare carriage returns, a byte-order mark),
        /// the records that are not blank, their first characters and their fields' values are
        /// those the `csv` crate reads (flexible, `#` comments).
        #[test]
        fn any_text_is_read_as_the_csv_crate_reads_it(text in "\u{feff}?[a ,\"\n\r#銀]{0,40}") {
            read_as_the_csv_crate_reads(&text)?;
        }

        /// The same of a text with no quote ([`scan_unquoted`]), long enough to span several
        /// blocks of 64 bytes.
        #[test]
        fn any_text_without_quotes_is_read_as_the_csv_crate_reads_it(text in "\u{feff}?[ab ,\n\r#銀]{0,300}") {
            read_as_the_csv_crate_reads(&text)?;
        }

        /// Whatever the cells hold (commas, quotes, line breaks, wide characters), each cell's span
        /// holds exactly that cell, and its line and column are those a scan of the whole file
        /// gives.
        #[test]
        fn every_cell_is_located_as_a_whole_file_scan_locates_it(
            width in 1usize..5,
            cells in proptest::collection::vec("[a-z ,\"\n銀]{0,6}", 1..24),
            crlf: bool,
        ) {
            let terminator = if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') };
            let mut w = csv::WriterBuilder::new().terminator(terminator).from_writer(Vec::new());
            let written: Vec<&[String]> = cells.chunks(width).filter(|r| r.len() == width).collect();
            for row in &written {
                w.write_record(*row).expect("written");
            }
            let text = String::from_utf8(w.into_inner().expect("flushed")).expect("utf-8");
            let (table, rows) = records(&text);
            // The writer quotes an empty single-cell row, so no row is blank.
            proptest::prop_assert_eq!(rows.len(), written.len());
            for (row, cells) in rows.iter().zip(&written) {
                for (f, cell) in cells.iter().enumerate() {
                    let at = table.field_at(row, f);
                    proptest::prop_assert_eq!(&unquote(&text[at.span.clone()]), cell);
                    proptest::prop_assert_eq!(table.field(row, f), Some(cell.as_str()));
                    proptest::prop_assert_eq!(at.line_col(), crate::error::line_col(&text, at.span.start));
                }
            }
        }
    }

    #[test]
    fn the_nearest_name_is_suggested_only_when_near() {
        let names = ["payer", "payee", "commodity", "amount"];
        assert_eq!(nearest("Payr", names), Some("payer"));
        assert_eq!(nearest("comodity", names), Some("commodity"));
        assert_eq!(nearest("amounts", names), Some("amount"));
        assert_eq!(nearest("xyz", names), None);
    }
}
