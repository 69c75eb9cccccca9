//! Rendering errors for people: the message with file:line:col, the offending line marked, and
//! the advice. Plain text without colour, so what a user sees is what tests snapshot.
//!
//! What must hold: the renderer (miette) is only ever given a small snippet — the error's line
//! and one line either side — never the whole file, and no line of it longer than
//! [`MAX_LINE`] characters: a longer line is shown as a window of [`WINDOW`] characters around the
//! error column, elided with `…`. (miette pads with `{:width$}`, which panics past 65,535
//! columns.) The line and column shown are always the true ones, from the core's [`Location`].

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use tribute_core::{Error, Location};

/// Lines up to this many characters are shown whole.
const MAX_LINE: usize = 160;
/// How many characters of a longer line are shown, around the error column.
const WINDOW: usize = 120;

/// The lines around an error, cut to size, with the true place of the error in the file.
#[derive(Debug)]
struct Snippet {
    /// The file as shown to the user.
    name: String,
    /// The lines shown (windowed), joined as in the file.
    text: String,
    /// 0-based line in the file of the snippet's first line.
    first_line: usize,
    /// 0-based character column of the error in its line, in the file.
    column: usize,
    /// The label's byte range in `text`.
    label: (usize, usize),
}

/// The byte range of the line of `text` that holds offset `at`, without the `\n` that ends it.
fn line_at(text: &str, at: usize) -> (usize, usize) {
    // Offsets within `text`: a `\n` found is a byte before its end, so neither sum overflows.
    let start = text[..at].rfind('\n').map_or(0, |i| i.saturating_add(1));
    let end = text[at..]
        .find('\n')
        .map_or(text.len(), |i| at.saturating_add(i));
    (start, end)
}

impl Snippet {
    fn new(loc: &Location) -> Snippet {
        let text: &str = loc.text();
        let (loc_line, loc_column) = loc.line_col();
        let at = floor_boundary(text, loc.span.start.min(text.len()));
        let end = floor_boundary(text, loc.span.end.clamp(at, text.len()));
        let (line_start, line_end) = line_at(text, at);
        let mut lines = Vec::with_capacity(3);
        if line_start > 0 {
            lines.push(line_at(text, line_start.saturating_sub(1)));
        }
        lines.push((line_start, line_end));
        if line_end < text.len() {
            lines.push(line_at(text, line_end.saturating_add(1)));
        }
        let first_line = loc_line
            .saturating_sub(1)
            .saturating_sub(usize::from(line_start > 0));
        // The error's character column, and the first character shown of a long line (0 unless
        // the error line is long and the error lies past its first window). Lines of at most
        // MAX_LINE characters are shown whole.
        let column = text[line_start..at].chars().count();
        let error_line_chars = text[line_start..line_end].chars().count();
        let window_start = if error_line_chars > MAX_LINE {
            column
                .saturating_sub(WINDOW / 2)
                .min(error_line_chars.saturating_sub(WINDOW))
        } else {
            0
        };
        let mut out = String::new();
        let mut label = (0, 0);
        for (i, &(s, e)) in lines.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            let line = &text[s..e];
            let is_error_line = s == line_start;
            let chars = line.chars().count();
            let (from, to) = if chars <= MAX_LINE {
                (0, chars)
            } else {
                let from = window_start.min(chars.saturating_sub(WINDOW));
                (from, from.saturating_add(WINDOW))
            };
            if from > 0 {
                out.push('…');
            }
            let base = out.len();
            let shown_start = char_to_byte(line, from);
            let shown_end = char_to_byte(line, to);
            // A lone carriage return would count as a line break for miette but not for us.
            out.extend(line[shown_start..shown_end].chars().map(|c| match c {
                '\r' => '␍',
                c => c,
            }));
            if to < chars {
                out.push('…');
            }
            if is_error_line {
                let map = |byte_in_line: usize| {
                    let b = byte_in_line.clamp(shown_start, shown_end);
                    base.saturating_add(
                        line[shown_start..b]
                            .chars()
                            .map(|c| {
                                if c == '\r' {
                                    '␍'.len_utf8()
                                } else {
                                    c.len_utf8()
                                }
                            })
                            .sum::<usize>(),
                    )
                };
                let start = map(at.saturating_sub(s));
                let stop = map(end.min(e).saturating_sub(s));
                label = (start, stop.saturating_sub(start).max(1));
            }
        }
        if lines.last().is_some_and(|&(_, e)| e < text.len()) {
            out.push('\n');
        }
        Snippet {
            name: loc.path().to_string(),
            text: out,
            first_line,
            column: loc_column.saturating_sub(1),
            label,
        }
    }
}

/// The largest character boundary at or before `at`.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    // Offset 0 is always a boundary, so this stops before it would go below zero.
    while !text.is_char_boundary(at) {
        at = at.saturating_sub(1);
    }
    at
}

/// The byte offset of character `n` of `line` (its length if it has fewer).
fn char_to_byte(line: &str, n: usize) -> usize {
    line.char_indices().nth(n).map_or(line.len(), |(i, _)| i)
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner =
            self.text
                .as_bytes()
                .read_span(span, context_lines_before, context_lines_after)?;
        // The header names the primary label's place: give the true column, not the snippet's.
        let column = if context_lines_before == 0 {
            self.column
        } else {
            inner.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line().saturating_add(self.first_line),
            column,
            inner.line_count(),
        )))
    }
}

#[derive(Debug)]
struct Diag<'a> {
    error: &'a Error,
    source: Option<Snippet>,
}

impl std::fmt::Display for Diag<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for Diag<'_> {}

impl Diagnostic for Diag<'_> {
    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.error
            .help_text()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (start, len) = self.source.as_ref()?.label;
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some("here".into()),
            start,
            len,
        ))))
    }
}

/// The error as text for a terminal: `error: path:line:col: message`, the source line, and help.
pub fn render(error: &Error) -> String {
    let diag = Diag {
        error,
        source: error.location().map(Snippet::new),
    };
    let mut out = String::new();
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_context_lines(1)
        .with_wrap_lines(false);
    if handler.render_report(&mut out, &diag).is_err() {
        out = format!("{error}\n");
    }
    format!(
        "error: {}",
        out.trim_start().trim_start_matches('×').trim_start()
    )
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::arithmetic_side_effects,
        reason = "test code: an overflow panics and fails the test"
    )]

    use std::sync::Arc;

    use super::*;
    use tribute_core::ErrorKind;

    fn error_at(text: &str, at: usize) -> Error {
        let text: tribute_core::Text = Arc::new(text.to_string());
        Error::new(ErrorKind::Syntax, "bad").at(Location::new("t.toml", &text, at..at + 1))
    }

    #[test]
    fn a_short_line_is_shown_whole() {
        let text = "a = 1\nb = 銀 x\nc = 3\nd = 4\n";
        let out = render(&error_at(text, text.find('x').unwrap()));
        assert!(out.contains("[t.toml:2:7]"), "{out}");
        assert!(out.contains(" 2 │ b = 銀 x\n"), "{out}");
        assert!(
            out.contains(" 1 │ a = 1\n") && out.contains(" 3 │ c = 3\n"),
            "{out}"
        );
        assert!(!out.contains("d = 4"), "{out}");
    }

    #[test]
    fn a_long_line_is_windowed_around_the_true_column() {
        let text = format!(
            "a = 1\nb = \"{}\" x\n{}\n",
            "銀".repeat(70_000),
            "c".repeat(90_000)
        );
        let at = text.find(" x").unwrap() + 1;
        let out = render(&error_at(&text, at));
        assert!(out.contains("t.toml:2:70008: bad"), "{out}");
        assert!(out.contains("[t.toml:2:70008]"), "{out}");
        assert!(
            out.lines().all(|l| l.chars().count() < 2 * WINDOW + 20),
            "{out}"
        );
        assert!(out.contains("銀\" x"), "{out}");
        assert!(out.contains(" 3 │ …ccc"), "{out}");
    }

    #[test]
    fn an_error_at_the_end_of_the_file_renders() {
        for text in ["a = ", "a = 1\n", "", "x\r\ny = 2\r"] {
            let out = render(&error_at(text, text.len()));
            assert!(out.starts_with("error: t.toml:"), "{out}");
        }
    }
}
