//! The error type of tribute-core.
//!
//! Every error a user can cause names what went wrong in lower case, where (file, line and column
//! when the cause is in a file), and, where we know it, how to fix it. Locations carry the file's
//! text so that a front end can show the offending line.
//!
//! Locating must stay cheap however many items a file holds: a location is a byte range of a shared
//! [`SourceFile`]; the file's line starts are computed once, when the first line or column is asked
//! for ([`LineIndex`]), and each lookup is then a binary search, never a rescan of the file.

use std::fmt;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// What class of problem an [`Error`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A file or folder could not be read.
    Io,
    /// A file is not valid UTF-8.
    Encoding,
    /// A file is not valid TOML.
    Syntax,
    /// A key is missing, unknown or of the wrong type.
    Schema,
    /// A value is out of range or malformed (a negative amount, `to` before `from`…).
    Value,
    /// A name refers to nothing: an unknown commodity, unit, source, treaty or obligation.
    Reference,
    /// Two amendments refer to each other's treaties.
    Cycle,
    /// One id is defined twice in the same folder.
    Duplicate,
    /// Arithmetic would exceed the range of an exact decimal.
    Overflow,
    /// A result would need more digits than an exact decimal holds.
    Precision,
    /// A reading name was asked for that no item offers, or two asked-for readings collide.
    Reading,
    /// An argument given to a query is malformed or inconsistent.
    Query,
}

/// A file's whole text, shared by everything that points into it. A `String` behind the `Arc`
/// (not an `Arc<str>`): a file read into a `String` is shared without a copy of its text, which
/// for a 2 MB table cost more than reading it (docs/performance.md).
pub type Text = Arc<String>;

/// One plugin file as its locations see it: the name shown to users and its text, shared by every
/// [`Location`] in it. Its [`LineIndex`] is built the first time a line or column is asked for, so
/// a file whose items all load costs no line counting at all.
pub struct SourceFile {
    /// The file as shown to the user: a path, or `<built-in>/NAME` for the embedded corpus.
    path: Arc<str>,
    /// The whole file text.
    text: Text,
    /// Where its lines start: built on first use (boxed: most files never need one, and a corpus
    /// holds one `SourceFile` per file).
    lines: OnceLock<Box<LineIndex>>,
}

impl fmt::Debug for SourceFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SourceFile({})", self.path)
    }
}

impl SourceFile {
    /// The file shown as `path` with text `text`.
    pub fn new(path: impl Into<Arc<str>>, text: &Text) -> Arc<SourceFile> {
        Arc::new(SourceFile {
            path: path.into(),
            text: Arc::clone(text),
            lines: OnceLock::new(),
        })
    }

    /// The file as shown to the user.
    pub fn path(&self) -> &Arc<str> {
        &self.path
    }

    /// The file's text.
    pub fn text(&self) -> &Text {
        &self.text
    }

    /// 1-based line and character column of byte offset `at`, as [`line_col`] gives them: a
    /// binary search in the file's line index (built on the first call).
    pub fn line_col(&self, at: usize) -> (usize, usize) {
        self.lines
            .get_or_init(|| Box::new(LineIndex::new(&self.text)))
            .line_col(at)
    }

    /// The location of byte range `span` in this file (clamped to the text and moved back to a
    /// character boundary).
    pub fn at(self: &Arc<Self>, span: Range<usize>) -> Location {
        let text = &self.text;
        let mut start = span.start.min(text.len());
        // Offset 0 is a boundary, so this stops before going below zero.
        while !text.is_char_boundary(start) {
            start = start.saturating_sub(1);
        }
        Location {
            file: Arc::clone(self),
            span: start..span.end.clamp(start, text.len()),
        }
    }
}

/// A place in a plugin file: a byte range of a [`SourceFile`]. Its line and column are worked out
/// when asked for (an error being shown), not when the location is made: a corpus holds one per
/// item, stream and treaty.
#[derive(Clone)]
pub struct Location {
    file: Arc<SourceFile>,
    /// Byte range in the file's text.
    pub span: Range<usize>,
}

impl PartialEq for Location {
    fn eq(&self, other: &Location) -> bool {
        self.span == other.span
            && (Arc::ptr_eq(&self.file, &other.file)
                || (self.file.path == other.file.path && self.file.text == other.file.text))
    }
}

impl Eq for Location {}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path(), self.line(), self.column())
    }
}

impl Location {
    /// The location of byte range `span` in `text`, a file shown as `path`. For many locations in
    /// one file, make one [`SourceFile`] and use [`SourceFile::at`], which shares its line index.
    pub fn new(path: &str, text: &Text, span: Range<usize>) -> Location {
        SourceFile::new(path, text).at(span)
    }

    /// The file, as shown to the user.
    pub fn path(&self) -> &Arc<str> {
        &self.file.path
    }

    /// The whole file text, so that the line can be shown.
    pub fn text(&self) -> &Text {
        &self.file.text
    }

    /// The file this location is in.
    pub fn file(&self) -> &Arc<SourceFile> {
        &self.file
    }

    /// 1-based line and character column of the span's start.
    pub fn line_col(&self) -> (usize, usize) {
        self.file.line_col(self.span.start)
    }

    /// 1-based line.
    pub fn line(&self) -> usize {
        self.line_col().0
    }

    /// 1-based column, counted in characters.
    pub fn column(&self) -> usize {
        self.line_col().1
    }
}

/// Bytes per block of [`LineIndex`]'s character counts: the most a column lookup scans.
const BLOCK: usize = 4096;

/// Where the lines of one file start, and how many characters precede each block of its bytes:
/// built once per file in one pass, so that each [`Location`] in it is found by binary search.
#[derive(Clone)]
pub struct LineIndex {
    text: Text,
    /// Byte offset of the start of each line; the first is 0.
    starts: Vec<usize>,
    /// `chars[k]` is the number of characters in the first `k * BLOCK` bytes.
    chars: Vec<usize>,
}

impl fmt::Debug for LineIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LineIndex({} lines)", self.starts.len())
    }
}

/// True for the first byte of a UTF-8 character (not a continuation byte).
fn starts_char(b: u8) -> bool {
    (b as i8) >= -0x40
}

impl LineIndex {
    /// Indexes `text` (one pass over it).
    pub fn new(text: &Text) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i.saturating_add(1)),
        );
        // Offsets and counts here are at most the text's length, which fits a usize with room to
        // spare: the sums saturate rather than overflow.
        let mut chars = Vec::with_capacity((bytes.len() / BLOCK).saturating_add(2));
        chars.push(0);
        let mut n: usize = 0;
        for block in bytes.chunks(BLOCK) {
            n = n.saturating_add(block.iter().filter(|b| starts_char(**b)).count());
            chars.push(n);
        }
        LineIndex {
            text: Arc::clone(text),
            starts,
            chars,
        }
    }

    /// The text indexed.
    pub fn text(&self) -> &Text {
        &self.text
    }

    /// Characters before byte offset `at` (a character boundary).
    fn chars_before(&self, at: usize) -> usize {
        let k = at / BLOCK;
        self.chars[k].saturating_add(
            self.text.as_bytes()[k.saturating_mul(BLOCK)..at]
                .iter()
                .filter(|b| starts_char(**b))
                .count(),
        )
    }

    /// 1-based line and character column of byte offset `at`, as [`line_col`] gives them.
    pub fn line_col(&self, at: usize) -> (usize, usize) {
        let text = &self.text;
        let mut at = at.min(text.len());
        // Offset 0 is a boundary, so this stops before going below zero.
        while !text.is_char_boundary(at) {
            at = at.saturating_sub(1);
        }
        // `starts[0]` is 0, so at least one start is at or before `at`: `line` is at least 1.
        let line = self.starts.partition_point(|&s| s <= at);
        let line_start = self.starts[line.saturating_sub(1)];
        (
            line,
            self.chars_before(at)
                .saturating_sub(self.chars_before(line_start))
                .saturating_add(1),
        )
    }
}

/// 1-based line and character column of byte offset `at` in `text`. Scans the text before `at`:
/// for many lookups in one file, build a [`LineIndex`] once instead.
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    let mut at = at.min(text.len());
    // Offset 0 is a boundary; counts and offsets are at most the text's length.
    while !text.is_char_boundary(at) {
        at = at.saturating_sub(1);
    }
    let before = &text[..at];
    let line = before.matches('\n').count().saturating_add(1);
    let line_start = before.rfind('\n').map_or(0, |i| i.saturating_add(1));
    (line, text[line_start..at].chars().count().saturating_add(1))
}

/// An error of tribute-core. Boxed inside, so a `Result` stays small on hot paths.
#[derive(Clone)]
pub struct Error(Box<Inner>);

#[derive(Clone)]
struct Inner {
    kind: ErrorKind,
    message: String,
    location: Option<Location>,
    path: Option<String>,
    help: Option<String>,
}

impl Error {
    /// A new error without a location.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error(Box::new(Inner {
            kind,
            message: message.into(),
            location: None,
            path: None,
            help: None,
        }))
    }

    /// Attaches the place in a file the error is about.
    pub fn at(mut self, location: Location) -> Error {
        self.0.path = Some(location.path().to_string());
        self.0.location = Some(location);
        self
    }

    /// Attaches a file (or folder) the error is about when no finer location is known.
    pub fn in_file(mut self, path: impl Into<String>) -> Error {
        self.0.path = Some(path.into());
        self
    }

    /// Attaches advice on how to fix the problem.
    pub fn help(mut self, help: impl Into<String>) -> Error {
        self.0.help = Some(help.into());
        self
    }

    /// The class of problem.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The message, without location or help.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// Where in a file, if known.
    pub fn location(&self) -> Option<&Location> {
        self.0.location.as_ref()
    }

    /// The file or folder concerned, if known.
    pub fn path(&self) -> Option<&str> {
        self.0.path.as_deref()
    }

    /// How to fix it, if known.
    pub fn help_text(&self) -> Option<&str> {
        self.0.help.as_deref()
    }

    /// The same error with `prefix: ` before its message; location, file and help are kept.
    pub fn context(mut self, prefix: impl fmt::Display) -> Error {
        self.0.message = format!("{prefix}: {}", self.0.message);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.0.location, &self.0.path) {
            (Some(l), _) => {
                let (line, column) = l.line_col();
                write!(f, "{}:{line}:{column}: {}", l.path(), self.0.message)
            }
            (None, Some(p)) => write!(f, "{p}: {}", self.0.message),
            (None, None) => f.write_str(&self.0.message),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {self}", self.0.kind)?;
        if let Some(h) = &self.0.help {
            write!(f, " (help: {h})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Result with the crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    #![allow(
        clippy::arithmetic_side_effects,
        reason = "test code: an overflow panics and fails the test"
    )]

    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let text = "a = 1\nb = \"銀\" x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        let x = text.find('x').unwrap();
        assert_eq!(line_col(text, x), (2, 9));
    }

    /// The obvious definition: count newlines and characters before `at`.
    fn naive(text: &str, at: usize) -> (usize, usize) {
        let mut at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let (mut line, mut col) = (1, 1);
        for ch in text[..at].chars() {
            if ch == '\n' {
                line += 1;
                col = 1;
            } else {
                col += 1;
            }
        }
        (line, col)
    }

    fn agree(text: &str) {
        let arc: Text = Arc::new(text.to_string());
        let index = LineIndex::new(&arc);
        for (at, want) in naive_all(text).into_iter().enumerate() {
            assert_eq!(index.line_col(at), want, "index at {at}");
        }
        for at in (0..=text.len() + 1).step_by(31) {
            assert_eq!(line_col(text, at), naive(text, at), "line_col at {at}");
        }
    }

    #[test]
    fn the_index_agrees_with_counting_on_edge_cases() {
        for text in [
            "",
            "\n",
            "\n\n",
            "a",
            "ab\n",
            "\nab",
            "a\r\nb",
            "銀\n銀銀\n",
            "x銀",
        ] {
            agree(text);
        }
        // Lines and characters that straddle the index's blocks.
        let long = format!(
            "{}銀\n{}\n銀{}",
            "a".repeat(BLOCK - 1),
            "銀".repeat(BLOCK),
            "b".repeat(3 * BLOCK)
        );
        agree(&long);
    }

    #[test]
    fn a_location_far_along_one_line_counts_characters() {
        let text: Text = Arc::new(format!("a = \"{}\" x", "銀".repeat(70_000)));
        let at = text.find(" x").unwrap() + 1;
        let loc = SourceFile::new("t", &text).at(at..at + 1);
        assert_eq!(loc.line_col(), (1, 70_008));
        assert_eq!(loc, Location::new("t", &text, at..at + 1));
    }

    /// The naive answer for every byte offset of `text` (and one past its end), in one pass.
    fn naive_all(text: &str) -> Vec<(usize, usize)> {
        let (mut line, mut col) = (1, 1);
        let mut out = Vec::with_capacity(text.len() + 2);
        for ch in text.chars() {
            for _ in 0..ch.len_utf8() {
                out.push((line, col));
            }
            if ch == '\n' {
                line += 1;
                col = 1;
            } else {
                col += 1;
            }
        }
        out.extend([(line, col), (line, col)]);
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        #[test]
        fn the_index_agrees_with_counting(
            parts in proptest::collection::vec(proptest::sample::select(vec!["a", "\n", "銀", "\r\n", "é", " ", "𝄞"]), 0..400),
            block_runs in 0usize..3,
        ) {
            let mut text: String = parts.concat();
            text.push_str(&"z".repeat(block_runs * (BLOCK / 2 + 7)));
            text.push_str(&parts.concat());
            let arc: Text = Arc::new(text.clone());
            let index = LineIndex::new(&arc);
            for (at, want) in naive_all(&text).into_iter().enumerate().step_by(5) {
                proptest::prop_assert_eq!(index.line_col(at), want, "at {}", at);
            }
            for at in (0..=text.len()).step_by(97) {
                proptest::prop_assert_eq!(line_col(&text, at), naive(&text, at));
            }
        }
    }
}
