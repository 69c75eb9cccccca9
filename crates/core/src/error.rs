//! The error type of tribute-core.
//!
//! Every error a user can cause names what went wrong in lower case, where (file, line and column
//! when the cause is in a file), and, where we know it, how to fix it. Locations carry the file's
//! text so that a front end can show the offending line.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

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

/// A place in a plugin file.
#[derive(Clone, PartialEq, Eq)]
pub struct Location {
    /// The file as shown to the user: a path, or `<built-in>/NAME` for the embedded corpus.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// Byte range in the file's text.
    pub span: Range<usize>,
    /// The whole file text (shared), so the line can be shown.
    pub text: Arc<str>,
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.column)
    }
}

impl Location {
    /// The location of byte range `span` in `text`, a file shown as `path`.
    pub fn new(path: &str, text: &Arc<str>, span: Range<usize>) -> Location {
        let start = span.start.min(text.len());
        let (line, column) = line_col(text, start);
        Location {
            path: path.to_string(),
            line,
            column,
            span: start..span.end.clamp(start, text.len()),
            text: Arc::clone(text),
        }
    }
}

/// 1-based line and character column of byte offset `at` in `text`.
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..at].chars().count() + 1)
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
        self.0.path = Some(location.path.clone());
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
            (Some(l), _) => write!(f, "{}:{}:{}: {}", l.path, l.line, l.column, self.0.message),
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
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let text = "a = 1\nb = \"銀\" x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        let x = text.find('x').unwrap();
        assert_eq!(line_col(text, x), (2, 9));
    }
}
