//! The list report (`tribute list`): every treaty in the corpus with its parties, year, status,
//! the years its payments span under the selected readings, and the readings it offers.
//!
//! What must hold: one row per loaded treaty, in id order; the span is computed in one pass over
//! the streams (a filter per treaty would be quadratic in a large corpus).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

use crate::amount::Year;
use crate::loader::Corpus;
use crate::resolve::Resolved;

/// One treaty in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ListRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Who pays.
    pub payer: String,
    /// Who receives.
    pub payee: String,
    /// Year signed.
    pub signed: Year,
    /// Status.
    pub status: &'static str,
    /// Label.
    pub label: String,
    /// The years its payments span (`1005–1121`, one year, or `—` for none).
    pub years: String,
    /// The readings it offers, comma-separated.
    pub readings: String,
    /// Its general sources, with their grades.
    pub sources: Vec<super::SourceOut>,
    /// The first year a payment falls due, if any.
    #[serde(skip)]
    pub first: Option<Year>,
    /// The last year a payment falls due, if any.
    #[serde(skip)]
    pub last: Option<Year>,
}

/// The list as `--format json` prints it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ListOut {
    /// The layers the corpus was loaded from, lowest first.
    pub layers: Vec<String>,
    /// One row per treaty.
    pub treaties: Vec<ListRow>,
}

/// Builds the list.
pub fn list(corpus: &Corpus, resolved: &Resolved) -> ListOut {
    let mut spans: BTreeMap<&str, (Year, Year)> = BTreeMap::new();
    for s in &resolved.streams {
        if let Some((a, b)) = s.span() {
            let e = spans.entry(s.treaty.as_str()).or_insert((a, b));
            e.0 = e.0.min(a);
            e.1 = e.1.max(b);
        }
    }
    let treaties = corpus
        .treaties
        .values()
        .map(|t| {
            let span = spans.get(t.id.as_str()).copied();
            let years = match span {
                Some((a, b)) if a == b => a.to_string(),
                Some((a, b)) => format!("{a}–{b}"),
                None => "—".into(),
            };
            ListRow {
                id: t.id.to_string(),
                name: t.name.to_string(),
                payer: t.payer.to_string(),
                payee: t.payee.to_string(),
                signed: t.signed,
                status: t.status.as_str(),
                label: t.label.to_string(),
                years,
                readings: t.reading_names().join(", "),
                sources: super::graded(corpus, t.sources.iter().map(|r| (t.id.as_str(), r))),
                first: span.map(|s| s.0),
                last: span.map(|s| s.1),
            }
        })
        .collect();
    ListOut {
        layers: corpus.layers.clone(),
        treaties,
    }
}
