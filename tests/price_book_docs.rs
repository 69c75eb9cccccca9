//! Issue 3: the rate tables of `docs/price-books.md` must match the built-in books line for line.
//! (The page's command examples are run by `docs_examples`, with every other page.)

use std::collections::BTreeSet;

use crate::common::root;

/// One rate as a row of the page: commodity, years, low, central, high, confidence, source.
type Row = [String; 7];

fn years_text(from: Option<i64>, to: Option<i64>) -> String {
    match (from, to) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a}–{b}"),
        (None, Some(b)) => format!("to {b}"),
        (Some(a), None) => format!("from {a}"),
        (None, None) => "all years".to_string(),
    }
}

fn rows_of_file(book: &str) -> BTreeSet<Row> {
    let text = std::fs::read_to_string(root().join(format!("treaties/prices/{book}.toml")))
        .expect("the book");
    let file: toml::Table = text.parse().expect("toml");
    let mut rows = BTreeSet::new();
    // A book derived from series (a `[derive]` table, docs/worth.md) has no rate rows.
    let rates = match file.get("rate") {
        Some(r) => r.as_array().expect("rates").clone(),
        None => {
            assert!(
                file.contains_key("derive"),
                "{book}: no [[rate]] and no [derive]"
            );
            Vec::new()
        }
    };
    for r in &rates {
        let s = |k: &str| r.get(k).and_then(|v| v.as_str()).map(str::to_string);
        let central = s("central").expect("central");
        let source = match r.get("source") {
            Some(toml::Value::String(x)) => x.clone(),
            Some(toml::Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            _ => "—".to_string(),
        };
        rows.insert([
            s("commodity").expect("commodity"),
            years_text(
                r.get("from").and_then(|v| v.as_integer()),
                r.get("to").and_then(|v| v.as_integer()),
            ),
            s("low").unwrap_or_else(|| central.clone()),
            central.clone(),
            s("high").unwrap_or(central),
            s("confidence").unwrap_or_else(|| "—".to_string()),
            source,
        ]);
    }
    rows
}

fn rows_of_page(page: &str, book: &str) -> BTreeSet<Row> {
    let heading = format!("### `{book}`");
    let section = page
        .split(&heading)
        .nth(1)
        .unwrap_or_else(|| panic!("no section {heading}"));
    let section = section.split("\n### ").next().unwrap_or_default();
    section
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| commodity"))
        .map(|l| {
            let cells: Vec<String> = l
                .trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().replace("\\\"", "\""))
                .collect();
            cells
                .try_into()
                .unwrap_or_else(|c: Vec<String>| panic!("a rate row has 7 cells: {c:?}"))
        })
        .collect()
}

#[test]
fn the_rate_tables_of_the_price_books_page_match_the_books() {
    let page = std::fs::read_to_string(root().join("docs/price-books.md")).expect("the page");
    let books: Vec<String> = std::fs::read_dir(root().join("treaties/prices"))
        .expect("treaties/prices")
        .map(|e| {
            e.expect("entry")
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert!(books.len() >= 3, "the built-in books");
    for book in books {
        assert_eq!(
            rows_of_page(&page, &book),
            rows_of_file(&book),
            "the table of `{book}` in docs/price-books.md"
        );
    }
}
