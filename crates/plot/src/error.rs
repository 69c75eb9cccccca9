//! The error type of tribute-plot.
//!
//! Every failure is a [`PlotError`] with a [`PlotErrorKind`] and a lower-case message that says what
//! went wrong and, where it helps, what to do. An error of the core engine (a bad query, an overflow
//! while summing a ledger) keeps its [`tribute_core::Error`] ([`PlotError::core_error`]), so a front end can show
//! the file, line and column it names.

use std::fmt;

/// What class of problem a [`PlotError`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PlotErrorKind {
    /// The core engine refused the query or failed while summing (see the source).
    Core,
    /// The input to a chart builder is inconsistent (a negative value, `low` above `high`…).
    Input,
    /// The query selects nothing to draw.
    Empty,
    /// A figure derived for the chart exceeds the range of an exact decimal.
    Overflow,
    /// The requested picture size is too small or too large.
    Size,
    /// The font given is not a TrueType or OpenType font.
    Font,
    /// The drawing library failed.
    Render,
    /// The picture could not be encoded as PNG.
    Encode,
}

/// An error of tribute-plot.
#[derive(Debug)]
pub struct PlotError {
    kind: PlotErrorKind,
    message: String,
    source: Option<tribute_core::Error>,
}

impl PlotError {
    /// A new error of `kind` with a lower-case `message`.
    pub fn new(kind: PlotErrorKind, message: impl Into<String>) -> PlotError {
        PlotError {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// The class of problem.
    pub fn kind(&self) -> PlotErrorKind {
        self.kind
    }

    /// The message, without the source's.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The core error behind this one, if any.
    pub fn core_error(&self) -> Option<&tribute_core::Error> {
        self.source.as_ref()
    }
}

impl From<tribute_core::Error> for PlotError {
    fn from(e: tribute_core::Error) -> PlotError {
        PlotError {
            kind: PlotErrorKind::Core,
            message: e.to_string(),
            source: Some(e),
        }
    }
}

impl fmt::Display for PlotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The message already contains a core error's text, so it is not also returned by `source()`
/// (an error reporter would print it twice); [`PlotError::core_error`] gives it with its location.
impl std::error::Error for PlotError {}
