//! `tribute check`: validate every plugin file and every reading.
//!
//! Loading already checks each file strictly (syntax, keys, amounts, units, references, cycles).
//! `check` then resolves the corpus under the default readings and under each reading name on its
//! own, so a reading that breaks (an adjustment that drives a payment below zero, an open-ended
//! stream nothing ends) is found before a user selects it. Exit status 1 if anything is wrong.
//!
//! It also lists the price books (each already read strictly at load) and evaluates every recorded
//! claim under every book and every combination of the readings that change what the claim's two
//! treaties owe, printing where it holds and where not. A claim that does not hold is information,
//! not a problem; a malformed claim (an unknown treaty…) fails the load like any bad file.

use serde_json::{Value, json};
use tribute_core::{ClaimCheck, Corpus, Error, Readings, Resolved, Verdict, check_claims};

use super::basket_text;
use crate::render::{Cell, Column, Report, Section, Table, grouped, plain};

/// The price books table.
fn books_section(corpus: &Corpus) -> (Section, Value) {
    let mut table = Table {
        columns: vec![
            Column::text("book", "price book"),
            Column::text("file", "file"),
            Column::text("numeraire", "numeraire"),
            Column::num("rates", "rates"),
            Column::text("priced", "commodities priced"),
        ],
        rows: Vec::new(),
    };
    for b in corpus.price_books.values() {
        let mut priced: Vec<&str> = b
            .rates
            .iter()
            .map(|r| corpus.registry.commodity(r.commodity).id.as_str())
            .collect();
        priced.dedup();
        table.rows.push(vec![
            Cell::text(&b.id),
            Cell::text(&b.path),
            Cell::text(&b.numeraire),
            Cell::Int(b.rates.len() as i64),
            Cell::text(priced.join(", ")),
        ]);
    }
    let json = table.json_rows();
    (Section::Table(Some("Price books".into()), table), json)
}

/// One claim: its statement, a table of every book and combination of readings, and a summary.
fn claim_sections(corpus: &Corpus, c: &ClaimCheck) -> (Vec<Section>, Value) {
    let reg = &corpus.registry;
    let claim = &c.claim;
    let (a, b) = (claim.compare.treaty.as_str(), claim.against.treaty.as_str());
    let unit = claim.unit.as_str();
    let head = vec![
        format!(
            "Claim {}/{}: {}",
            c.treaty,
            claim.id,
            claim.statement.trim()
        ),
        format!(
            "  {a} against {b}: {} {unit} {} (agrees from {} to {}); source: {}.",
            grouped(claim.value),
            claim.tolerance,
            grouped(c.band.0),
            grouped(c.band.1),
            claim
                .sources
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        ),
    ];
    let mut table = Table {
        columns: vec![
            Column::text("book", "book"),
            Column::text("a_readings", "A readings"),
            Column::text("b_readings", "B readings"),
            Column::num("low", "low"),
            Column::num("central", unit),
            Column::num("high", "high"),
            Column::text("result", "result"),
            Column::text("unpriced", "unpriced"),
        ],
        rows: Vec::new(),
    };
    let mut holds = Vec::new();
    let mut in_range = Vec::new();
    for case in &c.cases {
        let label = format!(
            "{} [{}; {}]",
            case.book,
            case.combo.label_for(a),
            case.combo.label_for(b)
        );
        match case.verdict {
            Verdict::Holds => holds.push(label),
            Verdict::InRange => in_range.push(label),
            _ => {}
        }
        let mut unpriced = Vec::new();
        if !case.unpriced_compare.is_empty() {
            unpriced.push(format!("A: {}", basket_text(reg, &case.unpriced_compare)));
        }
        if !case.unpriced_against.is_empty() {
            unpriced.push(format!("B: {}", basket_text(reg, &case.unpriced_against)));
        }
        let (lo, mid, hi) = match &case.value {
            Some(r) => (
                Cell::Num(r.low.value),
                Cell::Num(r.central.value),
                Cell::Num(r.high.value),
            ),
            None => (Cell::text(""), Cell::text(""), Cell::text("")),
        };
        let result = match &case.verdict {
            Verdict::NotComputable(why) => format!("not computable: {why}"),
            v => v.as_str().to_string(),
        };
        table.rows.push(vec![
            Cell::text(&case.book),
            Cell::text(case.combo.label_for(a)),
            Cell::text(case.combo.label_for(b)),
            lo,
            mid,
            hi,
            Cell::text(result),
            Cell::text(unpriced.join("; ")),
        ]);
    }
    let total = c.cases.len();
    let summary = vec![
        format!(
            "  Holds under {} of {total}{}",
            holds.len(),
            if holds.is_empty() {
                ".".to_string()
            } else {
                format!(": {}.", holds.join("; "))
            }
        ),
        format!(
            "  In range only (the low–high interval meets {}–{}, the central value does not) under {}{}",
            grouped(c.band.0),
            grouped(c.band.1),
            in_range.len(),
            if in_range.is_empty() {
                ".".to_string()
            } else {
                format!(": {}.", in_range.join("; "))
            }
        ),
        format!(
            "  Does not hold under {}; not computable under {}.",
            c.count("does not hold"),
            c.count("not computable")
        ),
    ];
    let json = json!({
        "treaty": c.treaty,
        "id": claim.id,
        "statement": claim.statement,
        "compare": a,
        "against": b,
        "value": plain(claim.value),
        "tolerance": claim.tolerance.to_string(),
        "unit": unit,
        "band": [plain(c.band.0), plain(c.band.1)],
        "cases": c.cases.iter().map(|case| json!({
            "book": case.book,
            "a_readings": case.combo.label_for(a),
            "b_readings": case.combo.label_for(b),
            "year": case.year,
            "low": case.value.map(|r| plain(r.low.value)),
            "central": case.value.map(|r| plain(r.central.value)),
            "high": case.value.map(|r| plain(r.high.value)),
            "result": case.verdict.as_str(),
            "reason": match &case.verdict { Verdict::NotComputable(w) => Some(w.clone()), _ => None },
        })).collect::<Vec<_>>(),
        "holds": holds,
        "in_range": in_range,
    });
    (
        vec![
            Section::Lines(None, head),
            Section::Table(None, table),
            Section::Lines(None, summary),
        ],
        json,
    )
}

/// The result of a check: the report and whether problems were found.
#[derive(Debug)]
pub struct Outcome {
    /// What to print.
    pub report: Report,
    /// Problems found (each also rendered as a diagnostic on standard error by `main`).
    pub problems: Vec<Error>,
}

/// Checks a corpus that loaded, or reports the errors of one that did not.
pub fn run(loaded: Result<&Corpus, &[Error]>) -> Outcome {
    let mut problems: Vec<Error> = Vec::new();
    let mut extra: Vec<Section> = Vec::new();
    let mut books_json = Value::Array(Vec::new());
    let mut claims_json = Vec::new();
    let mut table = Table {
        columns: vec![
            Column::text("item", "item"),
            Column::text("readings", "readings"),
            Column::text("result", "result"),
        ],
        rows: Vec::new(),
    };
    match loaded {
        Err(errors) => {
            for e in errors {
                table.rows.push(vec![
                    Cell::text(e.path().unwrap_or("(corpus)")),
                    Cell::text("—"),
                    Cell::text(format!("error: {e}")),
                ]);
                problems.push(e.clone());
            }
        }
        Ok(corpus) => {
            let mut selections: Vec<Vec<String>> = vec![Vec::new()];
            selections.extend(corpus.reading_names().into_iter().map(|n| vec![n]));
            let mut by_treaty: std::collections::BTreeMap<String, Vec<String>> = Default::default();
            for names in &selections {
                let label = if names.is_empty() {
                    "defaults".to_string()
                } else {
                    names.join(", ")
                };
                let result =
                    Readings::select(names, corpus).and_then(|r| Resolved::new(corpus, &r));
                match result {
                    Ok(_) => {
                        for t in corpus.treaties.values() {
                            if names.is_empty()
                                || t.reading_names().iter().any(|n| names.contains(n))
                            {
                                by_treaty
                                    .entry(t.id.clone())
                                    .or_default()
                                    .push(label.clone());
                            }
                        }
                    }
                    Err(e) => {
                        if !problems.iter().any(|p| p.to_string() == e.to_string()) {
                            table.rows.push(vec![
                                Cell::text(e.path().unwrap_or("(corpus)")),
                                Cell::text(label),
                                Cell::text(format!("error: {e}")),
                            ]);
                            problems.push(e);
                        }
                    }
                }
            }
            for (id, readings) in by_treaty {
                let t = &corpus.treaties[&id];
                // A table defines many treaties: name the row where each begins.
                let item = if t.path.ends_with(".csv") {
                    format!("{}:{} ({id})", t.path, t.at.line)
                } else {
                    t.path.clone()
                };
                table.rows.push(vec![
                    Cell::text(item),
                    Cell::text(readings.join("; ")),
                    Cell::text("ok"),
                ]);
            }
            let reg = &corpus.registry;
            table.rows.push(vec![
                Cell::text("registry"),
                Cell::text("—"),
                Cell::text(format!(
                    "ok: {} units, {} commodities, {} parties, {} sources",
                    reg.units().len(),
                    reg.commodities().len(),
                    reg.parties().len(),
                    reg.sources().len()
                )),
            ]);
        }
    }
    if let Ok(corpus) = loaded {
        if !corpus.price_books.is_empty() {
            let (section, json) = books_section(corpus);
            extra.push(section);
            books_json = json;
        }
        match check_claims(corpus, &Readings::defaults()) {
            Ok(checks) => {
                if !checks.is_empty() {
                    extra.push(Section::Lines(
                        Some("Claims".into()),
                        vec![format!(
                            "Each claim under every price book and every combination of the readings that change what its treaties owe. \
                             It holds where the central value is within its tolerance; a claim that does not hold is not a problem. {}.",
                            tribute_core::RATIO_ROUNDING[..1].to_uppercase() + &tribute_core::RATIO_ROUNDING[1..]
                        )],
                    ));
                }
                for c in &checks {
                    let (sections, json) = claim_sections(corpus, c);
                    extra.extend(sections);
                    claims_json.push(json);
                }
            }
            Err(e) => {
                table.rows.push(vec![
                    Cell::text(e.path().unwrap_or("(claims)")),
                    Cell::text("—"),
                    Cell::text(format!("error: {e}")),
                ]);
                problems.push(e);
            }
        }
    }
    let summary = if problems.is_empty() {
        "No problems found.".to_string()
    } else {
        format!(
            "{} problem{} found.",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        )
    };
    let json = json!({
        "ok": problems.is_empty(),
        "problems": problems.iter().map(|e| json!({"file": e.path(), "line": e.location().map(|l| l.line), "column": e.location().map(|l| l.column), "message": e.message(), "help": e.help_text()})).collect::<Vec<_>>(),
        "items": table.json_rows(),
        "price_books": books_json,
        "claims": claims_json,
    });
    let mut sections = vec![Section::Table(None, table)];
    sections.extend(extra);
    sections.push(Section::Lines(None, vec![summary]));
    Outcome {
        report: Report { sections, json },
        problems,
    }
}
