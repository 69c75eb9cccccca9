//! The commands. Each takes the resolved [`crate::context::Context`] and returns a
//! [`crate::render::Report`]; none reads files or the environment.

pub mod chart;
pub mod check;
pub mod compare;
pub mod context_series;
pub mod export;
pub mod ledger;
pub mod list;
pub mod manual;
pub mod show;
pub mod snapshot;
pub mod synth;
pub mod total;
pub mod version;

use tribute_core::{Basket, Registry};

/// The footer every ledger and totals table carries: what its delivery columns mean.
pub const EVIDENCE_LINE: &str = "Recorded: handed over, as a delivery record says. Assumed: not recorded; the file assumes it was paid as owed (`tribute show ID` gives its ground). Arrears: fell due, known not delivered, not settled. See docs/evidence.md.";

/// The footer line naming the sources a report rests on, with their grades.
pub fn sources_line(sources: &[tribute_core::report::SourceOut]) -> String {
    if sources.is_empty() {
        return "Sources: none.".to_string();
    }
    let list: Vec<String> = sources
        .iter()
        .map(|s| format!("{} ({})", s.id, s.quality))
        .collect();
    format!("Sources (grade): {}.", list.join(", "))
}

/// The footer line naming the streams that run to the registry's horizon for want of a sourced
/// end, if any.
pub fn open_ended_line(open: &[tribute_core::report::OpenEndOut]) -> Option<String> {
    if open.is_empty() {
        return None;
    }
    let list: Vec<String> = open
        .iter()
        .map(|o| format!("{} (to {})", o.stream, o.runs_to))
        .collect();
    Some(format!(
        "No sourced end, counted to the end of the parties in the registry, so the totals are upper bounds: {}.",
        list.join(", ")
    ))
}

/// `100,000 tael silver + 200,000 bolt silk`.
pub fn basket_text(reg: &Registry, b: &Basket) -> String {
    tribute_core::report::basket_text(reg, b)
}

/// The book a valued report uses, in one line.
pub fn book_line(book: &tribute_core::PriceBook) -> String {
    let mut line = format!(
        "Price book `{}` ({}); numeraire: {}. Low, central and high value every amount at its rate's low, central and high.",
        book.id, book.name, book.numeraire
    );
    if let Some(d) = &book.derived {
        let cite = |s: &tribute_core::SeriesUsed| {
            s.sources
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        };
        line.push_str(&format!(
            " Derived from series: {}. Sources: CPI {}; fx {}.",
            d.formula_text(),
            cite(&d.index),
            cite(&d.exchange)
        ));
    }
    line
}
