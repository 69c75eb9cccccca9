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
//!
//! Under each selection of readings the check also computes every report over the whole corpus
//! (ledger and totals, unvalued and valued with every book), so exit 0 means they all work. The
//! checking is `tribute_core::report::check`; this module lays its report out.

use tribute_core::report::{self, CheckReport};
use tribute_core::{ClaimCheck, Corpus, Error, Verdict};

use super::basket_text;
use crate::render::{Cell, Column, Report, Section, Table, grouped};

/// The price books table.
fn books_section(rep: &CheckReport) -> Section {
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
    for b in &rep.books {
        table.rows.push(vec![
            Cell::text(&b.book),
            Cell::text(&b.file),
            Cell::text(&b.numeraire),
            Cell::Int(i64::try_from(b.rates).unwrap_or(i64::MAX)),
            Cell::text(&b.priced),
        ]);
    }
    Section::Table(Some("Price books".into()), table)
}

/// One claim: its statement, a table of every book and combination of readings, and a summary.
fn claim_sections(corpus: &Corpus, c: &ClaimCheck) -> Vec<Section> {
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
            "  {}: {} {unit} {} (agrees from {} to {}); source: {}.",
            match (&c.commodity, claim.unit) {
                (Some(com), tribute_core::ClaimUnit::Share) => format!(
                    "{}'s share of {a}'s {} of {com}",
                    claim.compare,
                    claim.part.as_str()
                ),
                (Some(com), _) => format!("{a}'s own total of {com}, every stream and year"),
                (None, _) => format!("{a} against {b}"),
            },
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
    let holds = report::check::claim_cases_where(c, &Verdict::Holds);
    let in_range = report::check::claim_cases_where(c, &Verdict::InRange);
    for case in &c.cases {
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
            Cell::text(if c.commodity.is_some() {
                String::new()
            } else {
                case.combo.label_for(b)
            }),
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
    let mut summary = summary;
    if !c.pricing_nothing.is_empty() {
        summary.push(format!(
            "  Not evaluated under {}, which price nothing of either treaty.",
            c.pricing_nothing.join(", ")
        ));
    }
    if let Some(com) = &c.commodity {
        for case in &c.cases {
            if let Some(d) = case.distance {
                let side = if d.is_sign_negative() {
                    "below"
                } else {
                    "above"
                };
                let label = case.combo.label_for(a);
                let label = if label == "—" {
                    "defaults"
                } else {
                    label.as_str()
                };
                let what = if claim.unit == tribute_core::ClaimUnit::Share {
                    format!(
                        "the computed share ({})",
                        case.value
                            .map_or_else(String::new, |v| v.central.value.to_string())
                    )
                } else {
                    format!("the computed total of {com}")
                };
                summary.push(if d.is_zero() {
                    format!("  [{label}] {what} equals the claim.")
                } else {
                    format!(
                        "  [{label}] {what} is {side} the claim by {}.",
                        grouped(d.abs())
                    )
                });
            }
        }
    }
    vec![
        Section::Lines(None, head),
        Section::Table(None, table),
        Section::Lines(None, summary),
    ]
}

/// The result of a check: the report and whether problems were found.
#[derive(Debug)]
pub struct Outcome {
    /// What to print.
    pub report: Report,
    /// Problems found (each also rendered as a diagnostic on standard error by `main`).
    pub problems: Vec<Error>,
}

/// Checks a corpus that loaded, or reports the errors of one that did not. With `strict`, the
/// cautions (assumptions without a ground, defaults resting on a C source alone) are problems.
pub fn run(loaded: Result<&Corpus, &[Error]>, strict: bool) -> Outcome {
    let rep = report::check(loaded);
    let mut table = Table {
        columns: vec![
            Column::text("item", "item"),
            Column::text("readings", "readings"),
            Column::text("result", "result"),
        ],
        rows: Vec::new(),
    };
    for i in &rep.items {
        table.rows.push(vec![
            Cell::text(&i.item),
            Cell::text(&i.readings),
            Cell::text(&i.result),
        ]);
    }
    let mut extra = Vec::new();
    if let Ok(corpus) = loaded {
        if !rep.books.is_empty() {
            extra.push(books_section(&rep));
        }
        if !rep.claims.is_empty() {
            extra.push(Section::Lines(
                Some("Claims".into()),
                vec![format!(
                    "Each claim under every price book and every combination of the readings that change what its treaties owe. \
                     It holds where the central value is within its tolerance; a claim that does not hold is not a problem. {}.",
                    tribute_core::RATIO_ROUNDING[..1].to_uppercase() + &tribute_core::RATIO_ROUNDING[1..]
                )],
            ));
        }
        for c in &rep.claims {
            extra.extend(claim_sections(corpus, c));
        }
    }
    if !rep.cautions.is_empty() {
        let mut cautions = Table {
            columns: vec![
                Column::text("place", "place"),
                Column::text("caution", "caution"),
            ],
            rows: Vec::new(),
        };
        for c in &rep.cautions {
            let place = match c.location() {
                Some(l) => format!("{}:{}:{}", l.path(), l.line(), l.column()),
                None => c.path().unwrap_or_default().to_string(),
            };
            cautions
                .rows
                .push(vec![Cell::text(place), Cell::text(c.message())]);
        }
        extra.push(Section::Table(
            Some(format!(
                "Cautions (not problems{})",
                if strict {
                    "; problems under --strict"
                } else {
                    "; --strict fails on them"
                }
            )),
            cautions,
        ));
    }
    let mut problems = rep.problems.clone();
    if strict {
        problems.extend(rep.cautions.iter().cloned());
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
    // Plain structs with string keys: serialising them cannot fail.
    let json = serde_json::to_value(rep.wire()).unwrap_or_default();
    let mut sections = vec![Section::Table(None, table)];
    sections.extend(extra);
    sections.push(Section::Lines(None, vec![summary]));
    Outcome {
        report: Report { sections, json },
        problems,
    }
}
