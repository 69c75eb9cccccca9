//! CSV tables of streams and deliveries: the form a historian's spreadsheet or a machine-made
//! corpus takes (`streams/*.csv`, `deliveries/*.csv` in a plugin folder; docs/treaty-format.md).
//!
//! This module reads a table's header and rows and locates its cells; [`streams`] turns rows into
//! [`crate::Treaty`] values and [`deliveries`] into recorded [`crate::Delivery`] items, the same model
//! values the TOML loader produces, so resolving, the engine and the reports never know which form
//! a treaty was written in. What must always hold:
//! - every bad cell is an [`Error`] at file:line:column naming its column, with a help line; an
//!   unknown or missing column names the nearest valid one;
//! - the strictness of the TOML loader: amounts go through [`crate::parse_decimal`] and
//!   [`crate::Registry::convert`] (never a float), and unknown commodities, units, sources, parties
//!   and treaties are refused;
//! - locating a cell costs work in proportion to its row, never to the file, so that a table of
//!   tens of thousands of rows loads in time proportional to its size.
//!
//! The loader's hooks are [`read_streams`] (before TOML treaties are parsed, so that a table can
//! override a treaty of a lower layer and a file is never parsed for nothing) and
//! [`read_deliveries`] (after every treaty is known).

mod deliveries;
mod streams;

use std::ops::Range;
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::amount::{CommodityId, Year, parse_decimal};
use crate::error::{Error, ErrorKind, Location, Result, SourceFile};
use crate::model::SourceRef;
use crate::plugin::fields::is_kebab;
use crate::plugin::{FileKind, Layer, PluginFile, parallel_map};
use crate::registry::Registry;

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

/// One data row: its fields, and where it starts in the file.
pub(crate) struct Row {
    record: csv::StringRecord,
    /// Byte offset of the row's first character.
    start: usize,
    /// 1-based line of the row's first character.
    line: usize,
}

/// A table file being read: its name, text and columns, and how to locate a cell.
pub(crate) struct Table<'a> {
    /// The file, as shown to users.
    pub display: &'a str,
    /// The file, shared by the locations of its rows and cells.
    pub file: Arc<SourceFile>,
    /// Its text.
    pub text: Arc<str>,
    /// What kind of table ("streams table"), for messages.
    pub what: &'static str,
    /// The columns it takes, in documented order.
    pub spec: &'static [Column],
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

/// Where field `index` of the record starting at byte `start` lies in `text`: a small CSV scan of
/// that one record (quotes, doubled quotes, quoted line breaks), so a cell is located without
/// reading the rest of the file.
fn field_span(text: &str, start: usize, index: usize) -> Range<usize> {
    let bytes = text.as_bytes();
    // `at` is at most one past the text's end and `field` at most `index`: the steps saturate
    // rather than overflow.
    let mut at = start.min(bytes.len());
    let mut field: usize = 0;
    loop {
        let begin = at;
        if bytes.get(at) == Some(&b'"') {
            at = at.saturating_add(1);
            while at < bytes.len() {
                if bytes[at] == b'"' {
                    if bytes.get(at.saturating_add(1)) == Some(&b'"') {
                        at = at.saturating_add(2);
                        continue;
                    }
                    at = at.saturating_add(1);
                    break;
                }
                at = at.saturating_add(1);
            }
        }
        while at < bytes.len() && !matches!(bytes[at], b',' | b'\n' | b'\r') {
            at = at.saturating_add(1);
        }
        if field == index || bytes.get(at) != Some(&b',') {
            return begin..at;
        }
        field = field.saturating_add(1);
        at = at.saturating_add(1);
    }
}

/// Where a record the reader placed at `pos` starts: after a CRLF line end the reader places the
/// next record at the LF, so line-end bytes are stepped over to the row's first character.
fn row_start(text: &str, pos: &csv::Position) -> (usize, usize) {
    let (mut start, mut line) = (pos.byte() as usize, pos.line() as usize);
    // Both stay within the text's length and line count.
    while let Some(&b) = text.as_bytes().get(start) {
        match b {
            b'\n' => line = line.saturating_add(1),
            b'\r' => {}
            _ => break,
        }
        start = start.saturating_add(1);
    }
    (start, line)
}

impl Table<'_> {
    /// A location in this file (at or after the row's start).
    fn locate(&self, row_start: usize, span: Range<usize>) -> Location {
        let start = span.start.clamp(row_start, self.text.len());
        self.file.at(start..span.end)
    }

    /// The bytes of a whole row's first line.
    pub(crate) fn row_span(&self, row: &Row) -> Range<usize> {
        let end = self.text.as_bytes()[row.start..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(self.text.len(), |i| row.start.saturating_add(i));
        row.start..end
    }

    /// The location of a whole row (from its first character to the end of its line).
    pub(crate) fn row_at(&self, row: &Row) -> Location {
        self.locate(row.start, self.row_span(row))
    }

    /// The bytes of column `col` (spec index) of `row`, or of the row if the header lacks it.
    pub(crate) fn cell_span(&self, header: &Header, row: &Row, col: usize) -> Range<usize> {
        match header.field(col) {
            Some(f) => field_span(&self.text, row.start, f),
            None => self.row_span(row),
        }
    }

    /// The location of field `field` of `row`.
    fn field_at(&self, row: &Row, field: usize) -> Location {
        self.locate(row.start, field_span(&self.text, row.start, field))
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
    pub(crate) fn cell<'r>(&self, header: &Header, row: &'r Row, col: usize) -> Option<&'r str> {
        header
            .field(col)
            .and_then(|f| row.record.get(f))
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// The text of a column the row must fill.
    pub(crate) fn required<'r>(
        &self,
        header: &Header,
        row: &'r Row,
        col: usize,
    ) -> Result<&'r str> {
        self.cell(header, row, col).ok_or_else(|| {
            self.err(header, row, col, ErrorKind::Schema, "this cell is empty")
                .help(format!(
                    "every row of a {} fills `{}`; see docs/treaty-format.md",
                    self.what, self.spec[col].name
                ))
        })
    }

    /// Reads the header and every non-blank row. A missing required column, an unknown or
    /// repeated column, a row of the wrong length or a CSV error is an error at its place.
    pub(crate) fn read(&self) -> Result<(Header, Vec<Row>)> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .comment(Some(b'#'))
            .from_reader(self.text.as_bytes());
        let mut rows = Vec::new();
        let mut header: Option<(Header, Row)> = None;
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let at = e.position().map_or(0, |p| p.byte() as usize);
                    return Err(Error::new(ErrorKind::Syntax, format!("not a valid CSV row: {e}"))
                        .at(self.locate(at, at..at))
                        .help("save the table as CSV (comma-separated, UTF-8, double quotes around cells that hold a comma)"));
                }
            }
            let pos = record
                .position()
                .cloned()
                .unwrap_or_else(csv::Position::new);
            let (start, line) = row_start(&self.text, &pos);
            let row = Row {
                // A clone is sized to the row; the buffer read into keeps its capacity.
                record: record.clone(),
                start,
                line,
            };
            if row.record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            match &header {
                None => header = Some((self.header(&row)?, row)),
                Some((_, head)) => {
                    if row.record.len() != head.record.len() {
                        let n = head.record.len();
                        let field = row.record.len().min(n);
                        return Err(Error::new(
                            ErrorKind::Schema,
                            format!(
                                "this row has {} cells but the header (line {}) has {n}",
                                row.record.len(),
                                head.line
                            ),
                        )
                        .at(self.field_at(&row, field.saturating_sub(1)))
                        .help("every row has one cell per column; a cell holding a comma is written in double quotes"));
                    }
                    rows.push(row);
                }
            }
        }
        let Some((header, _)) = header else {
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
        Ok((header, rows))
    }

    /// Checks the header row: every name a column of the spec (the nearest one suggested), none
    /// twice, every required one present.
    fn header(&self, row: &Row) -> Result<Header> {
        let mut fields = vec![None; self.spec.len()];
        let names = || self.spec.iter().map(|c| c.name);
        for (f, raw) in row.record.iter().enumerate() {
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
    pub(crate) fn id<'r>(&self, header: &Header, row: &'r Row, col: usize) -> Result<&'r str> {
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
    pub(crate) fn sources(
        &self,
        header: &Header,
        row: &Row,
        col: usize,
        reg: &Registry,
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
            let Some(found) = reg.find_source(id) else {
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
    pub(crate) fn amount(
        &self,
        header: &Header,
        row: &Row,
        cols: [usize; 3],
        reg: &Registry,
    ) -> Result<(CommodityId, Decimal, u32)> {
        let [commodity_col, amount_col, unit_col] = cols;
        let name = self.required(header, row, commodity_col)?;
        let Some(c) = reg.find_commodity(name) else {
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
        if text.split_whitespace().nth(1).is_some() {
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
                let Some(unit) = reg.find_unit(u) else {
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
                reg.convert(c, number, unit).map_err(|(message, help)| {
                    self.err(header, row, unit_col, ErrorKind::Value, message)
                        .help(help)
                })?
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
    use super::*;

    #[test]
    fn a_field_span_skips_quotes_and_doubled_quotes() {
        let text = "a,\"b, \"\"c\"\"\",d\nx,y,z\n";
        assert_eq!(&text[field_span(text, 0, 0)], "a");
        assert_eq!(&text[field_span(text, 0, 1)], "\"b, \"\"c\"\"\"");
        assert_eq!(&text[field_span(text, 0, 2)], "d");
        assert_eq!(&text[field_span(text, 16, 2)], "z");
        // A quoted line break stays inside its cell.
        let text = "a,\"one\ntwo\",b\n";
        assert_eq!(&text[field_span(text, 0, 2)], "b");
    }

    /// A cell as written, quotes removed.
    fn unquote(raw: &str) -> String {
        match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
            Some(inner) => inner.replace("\"\"", "\""),
            None => raw.to_string(),
        }
    }

    proptest::proptest! {
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
            for row in cells.chunks(width).filter(|r| r.len() == width) {
                w.write_record(row).expect("written");
            }
            let text: Arc<str> = Arc::from(String::from_utf8(w.into_inner().expect("flushed")).expect("utf-8"));
            let table = Table { display: "t.csv", file: SourceFile::new("t.csv", &text), text: Arc::clone(&text), what: "table", spec: &[] };
            let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
            for record in reader.records() {
                let record = record.expect("a record");
                let (start, line) = row_start(&text, record.position().expect("a position"));
                let row = Row { record: record.clone(), start, line };
                for (f, cell) in record.iter().enumerate() {
                    let at = table.field_at(&row, f);
                    proptest::prop_assert_eq!(unquote(&text[at.span.clone()]), cell);
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
