//! Rendering errors for people: the message with file:line:col, the offending line marked, and
//! the advice. Plain text without colour, so what a user sees is what tests snapshot.

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};
use tribute_core::Error;

#[derive(Debug)]
struct Diag<'a> {
    error: &'a Error,
    source: Option<NamedSource<String>>,
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
        let loc = self.error.location()?;
        let len = (loc.span.end - loc.span.start)
            .max(1)
            .min(loc.text.len().saturating_sub(loc.span.start).max(1));
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some("here".into()),
            loc.span.start,
            len,
        ))))
    }
}

/// The error as text for a terminal: `error: path:line:col: message`, the source line, and help.
pub fn render(error: &Error) -> String {
    let source = error
        .location()
        .map(|l| NamedSource::new(l.path.clone(), l.text.to_string()));
    let diag = Diag { error, source };
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
