//! What a report covers: the streams (payer, payee, treaties, statuses) and the years.

use crate::amount::Year;
use crate::error::{Error, ErrorKind, Result};
use crate::loader::Corpus;
use crate::model::Status;
use crate::resolve::{Resolved, Stream};

/// Which streams and years a report covers.
#[derive(Debug, Clone)]
pub struct Query {
    /// Only streams whose payer is this party or part of it.
    pub payer: Option<String>,
    /// Only streams whose payee is this party or part of it.
    pub payee: Option<String>,
    /// Only these treaties (empty: all).
    pub treaties: Vec<String>,
    /// First year (default: the first year anything falls due).
    pub from: Option<Year>,
    /// Last year (default: the last year anything falls due, or the end of the parties).
    pub to: Option<Year>,
    /// Statuses included (default: in force only).
    pub statuses: Vec<Status>,
}

impl Default for Query {
    fn default() -> Query {
        Query {
            payer: None,
            payee: None,
            treaties: Vec::new(),
            from: None,
            to: None,
            statuses: vec![Status::InForce],
        }
    }
}

impl Query {
    /// True if the query selects `stream`.
    pub fn selects(&self, corpus: &Corpus, stream: &Stream) -> bool {
        let reg = &corpus.registry;
        self.statuses.contains(&stream.status)
            && self
                .payer
                .as_ref()
                .is_none_or(|p| reg.party_matches(&stream.payer, p))
            && self
                .payee
                .as_ref()
                .is_none_or(|p| reg.party_matches(&stream.payee, p))
            && (self.treaties.is_empty() || self.treaties.iter().any(|t| *t == stream.treaty))
    }

    /// Checks the query against the corpus: known parties (ids or aliases), treaties given by
    /// their full ids, `from` ≤ `to`. A front end resolves what a user typed first (a treaty's
    /// prefix with [`Corpus::find_treaty`], a party with `Registry::find_party`).
    pub fn validate(&self, corpus: &Corpus) -> Result<()> {
        let reg = &corpus.registry;
        for p in self.payer.iter().chain(&self.payee) {
            if reg.find_party(p).is_none() {
                return Err(reg.unknown_party(p));
            }
        }
        for t in &self.treaties {
            if !corpus.treaties.contains_key(t.as_str()) {
                // The query takes whole ids; `find_treaty` explains what else `t` could be.
                return Err(match corpus.find_treaty(t) {
                    Ok(whole) => {
                        Error::new(ErrorKind::Query, format!("no treaty `{t}` is loaded")).help(
                            format!("a query names whole ids: did you mean `{}`?", whole.id),
                        )
                    }
                    Err(e) => e,
                });
            }
        }
        if let (Some(f), Some(t)) = (self.from, self.to) {
            if t < f {
                return Err(
                    Error::new(ErrorKind::Query, format!("--to {t} is before --from {f}"))
                        .help("a year range is inclusive at both ends"),
                );
            }
        }
        Ok(())
    }

    pub(super) fn streams<'a>(
        &self,
        corpus: &Corpus,
        resolved: &'a Resolved,
    ) -> Result<Vec<&'a Stream>> {
        self.validate(corpus)?;
        Ok(resolved
            .streams
            .iter()
            .filter(|s| self.selects(corpus, s))
            .collect())
    }
}
