//! The problems of one file, collected so that one run reports them all (issue 11, item 2).
//!
//! A reader records each problem it finds and goes on with the next item (an obligation, a unit,
//! a rate) instead of stopping at the first. What must hold: at most [`MAX_PER_FILE`] problems of
//! one file are reported, in the order they were found, and one more line then says how many were
//! left out, so a file that is wrong throughout (a wrong unit on every row) cannot bury the rest;
//! a file with problems yields no value, only its problems.

use crate::error::{Error, Result};

/// The most problems reported for one file; past this, one line counts the rest.
pub(crate) const MAX_PER_FILE: usize = 20;

/// The problems found so far in one file.
pub(crate) struct Problems {
    display: String,
    shown: Vec<Error>,
    /// How many were left out, and the kind of the first of them.
    more: usize,
    more_kind: Option<crate::error::ErrorKind>,
}

impl Problems {
    /// No problems yet in the file shown as `display`.
    pub(crate) fn new(display: &str) -> Problems {
        Problems {
            display: display.to_string(),
            shown: Vec::new(),
            more: 0,
            more_kind: None,
        }
    }

    /// Records a problem.
    pub(crate) fn push(&mut self, e: Error) {
        if self.shown.len() < MAX_PER_FILE {
            self.shown.push(e);
        } else {
            self.more = self.more.saturating_add(1);
            self.more_kind.get_or_insert(e.kind());
        }
    }

    /// Records several problems.
    pub(crate) fn extend(&mut self, errors: impl IntoIterator<Item = Error>) {
        for e in errors {
            self.push(e);
        }
    }

    /// The value of `r`, or `None` with its error recorded.
    pub(crate) fn ok<T>(&mut self, r: Result<T>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.push(e);
                None
            }
        }
    }

    /// True if nothing is wrong so far.
    pub(crate) fn is_empty(&self) -> bool {
        self.shown.is_empty()
    }

    /// The problems, with a last line counting those left out.
    pub(crate) fn into_errors(self) -> Vec<Error> {
        let mut errors = self.shown;
        if let Some(kind) = self.more_kind {
            let n = self.more;
            errors.push(
                Error::new(
                    kind,
                    format!(
                        "{n} more problem{} in this file not shown (at most {MAX_PER_FILE} are reported per file)",
                        if n == 1 { "" } else { "s" }
                    ),
                )
                .in_file(&self.display)
                .help("fix the problems above and run again to see the rest"),
            );
        }
        errors
    }

    /// `Ok(value)` if nothing is wrong, else every problem recorded.
    pub(crate) fn finish<T>(
        self,
        value: impl FnOnce() -> Option<T>,
    ) -> std::result::Result<T, Vec<Error>> {
        if self.is_empty() {
            if let Some(v) = value() {
                return Ok(v);
            }
        }
        Err(self.into_errors())
    }
}

/// The first of a reader's problems, for the readers' single-error forms (`read_treaty`,
/// `read_price_book`).
pub(crate) fn first(errors: Vec<Error>) -> Error {
    errors.into_iter().next().unwrap_or_else(|| {
        Error::new(
            crate::error::ErrorKind::Schema,
            "the file could not be read, for no reason recorded",
        )
    })
}

/// A plugin file opened for reading: its text, its locations, its problems so far and its id
/// (the file stem), already checked to be kebab-case. Treaties and price books open alike.
pub(crate) struct Opened {
    pub text: crate::error::Text,
    pub ctx: super::fields::FileCtx,
    pub problems: Problems,
    pub id: String,
}

/// Opens `file` as a `what` (`treaty`, `price book`), whose file names look like `example`.
pub(crate) fn open(
    file: &super::PluginFile,
    what: &str,
    example: &str,
) -> std::result::Result<Opened, Vec<Error>> {
    let text = file.text().map_err(|e| vec![e])?;
    let ctx = super::fields::FileCtx::new(&file.display, &text);
    let mut problems = Problems::new(&file.display);
    let id = file.stem().to_string();
    if !super::fields::is_kebab(&id) {
        problems.push(
            Error::new(
                crate::error::ErrorKind::Value,
                format!("{what} id `{id}` (the file name) is not lower-case kebab-case"),
            )
            .in_file(&file.display)
            .help(format!("rename the file, e.g. {example}")),
        );
    }
    Ok(Opened {
        text,
        ctx,
        problems,
        id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn past_the_limit_one_line_counts_the_rest() {
        let mut p = Problems::new("t.toml");
        for i in 0..MAX_PER_FILE + 3 {
            p.push(Error::new(ErrorKind::Value, format!("problem {i}")));
        }
        let errors = p.into_errors();
        assert_eq!(errors.len(), MAX_PER_FILE + 1);
        assert_eq!(errors[0].message(), "problem 0");
        assert_eq!(
            errors[MAX_PER_FILE - 1].message(),
            format!("problem {}", MAX_PER_FILE - 1)
        );
        assert_eq!(
            errors[MAX_PER_FILE].message(),
            "3 more problems in this file not shown (at most 20 are reported per file)"
        );
        assert_eq!(errors[MAX_PER_FILE].path(), Some("t.toml"));
    }

    #[test]
    fn at_the_limit_nothing_is_left_out() {
        let mut p = Problems::new("t.toml");
        for i in 0..MAX_PER_FILE {
            p.push(Error::new(ErrorKind::Value, format!("problem {i}")));
        }
        assert_eq!(p.into_errors().len(), MAX_PER_FILE);
        assert!(Problems::new("t.toml").finish(|| Some(1)).is_ok());
    }
}
