//! The commands. Each takes the resolved [`crate::context::Context`] and returns a
//! [`crate::render::Report`]; none reads files or the environment.

pub mod chart;
pub mod check;
pub mod compare;
pub mod context_series;
pub mod export;
pub mod ledger;
pub mod list;
pub mod show;
pub mod synth;
pub mod total;

use serde_json::{Map, Value};
use tribute_core::{Basket, Registry, Resolved};

use crate::render::plain;

/// `100,000 tael silver + 200,000 bolt silk`.
pub fn basket_text(reg: &Registry, b: &Basket) -> String {
    tribute_core::report::basket_text(reg, b)
}

/// `{"silver": "100000", "silk": "200000"}`.
pub fn basket_json(reg: &Registry, b: &Basket) -> Value {
    Value::Object(
        b.iter()
            .map(|(c, a)| (reg.commodity(c).id.clone(), Value::String(plain(a))))
            .collect::<Map<_, _>>(),
    )
}

/// The readings metadata every report carries: the names asked for and what each item used.
pub fn readings_json(resolved: &Resolved) -> Value {
    serde_json::json!({
        "selected": resolved.readings.names(),
        "used": resolved.used.iter().map(|(item, r)| serde_json::json!({"item": item, "reading": r})).collect::<Vec<_>>(),
    })
}

/// The book a valued report uses, in one line.
pub fn book_line(book: &tribute_core::PriceBook) -> String {
    format!(
        "Price book `{}` ({}); numeraire: {}. Low, central and high value every amount at its rate's low, central and high.",
        book.id, book.name, book.numeraire
    )
}
