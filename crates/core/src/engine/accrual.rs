//! The arrears of a stream whose account needs no year-by-year run, in closed form.
//!
//! [`crate::account::arrears`] runs a stream's account a year at a time, from its first year to its
//! last: what was paid ahead, what the records cover, what accrues, what settlements forgive. For
//! most suspended streams none of that can happen: delivered as owed, with no delivery records and
//! no settlements, every suspension accruing, every payment above zero. Their arrears balance at
//! the end of a year is then simply what fell due in the suspended years up to it, and nothing
//! lapses, is paid off, paid ahead or covered. What must hold: for such a stream ([`simple`]) the
//! ledger's arrears are exactly those of the run (the property test in `engine`'s tests builds
//! ledgers both ways), at a cost of one grid slot per suspended payment rather than one basket per
//! year of the stream.

use crate::amount::Year;
use crate::error::Result;
use crate::model::{ArrearsRule, DeliveryMode};
use crate::resolve::Stream;

use super::grid::Grid;

/// True if the stream's account is one [`add_arrears`] can sum in closed form: delivered as owed,
/// no delivery records, no settlements, every suspension accruing, and no payment below zero (a
/// negative due would not accrue, and the run would treat it so).
pub(super) fn simple(stream: &Stream) -> bool {
    stream.delivery == DeliveryMode::AsOwed
        && stream.deliveries.is_empty()
        && stream.settlements.is_empty()
        && stream
            .suspended
            .iter()
            .all(|s| s.arrears == ArrearsRule::Accrue)
        && stream.pieces.iter().all(|p| !p.amounts.has_negative())
}

/// Adds a [`simple`] stream's arrears balance to `grid` for every year of `lo..=hi`: each payment
/// that falls in a suspended year adds its amounts from that year on (one that falls before `lo`,
/// from `lo` on). `lo > Year::MIN` is not needed: nothing falls before the first year of all.
pub(super) fn add_arrears(grid: &mut Grid, stream: &Stream, lo: Year, hi: Year) -> Result<()> {
    for piece in &stream.pieces {
        for &(a, b) in &stream.suspended_union {
            // The suspended payments up to the ledger's last year; later ones owe nothing yet.
            let Some(due) = piece.clip_years(a, b.min(hi)) else {
                continue;
            };
            if lo > Year::MIN {
                let before = due.count_in(Year::MIN, lo.saturating_sub(1));
                if before > 0 {
                    grid.add_from(lo, &piece.amounts.times(before)?)?;
                }
            }
            let Some(within) = due.clip_years(lo, hi) else {
                continue;
            };
            // Years widened to i64: the payments lie in lo..=hi, so each converts back.
            let (start, step) = (i64::from(within.start), i64::from(within.step));
            for k in 0..within.count {
                let year = i64::try_from(k)
                    .ok()
                    .and_then(|k| k.checked_mul(step))
                    .and_then(|o| o.checked_add(start))
                    .and_then(|y| Year::try_from(y).ok());
                if let Some(year) = year {
                    grid.add_from(year, &piece.amounts)?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(
    clippy::arithmetic_side_effects,
    reason = "test code: small generated years"
)]
mod tests {
    use proptest::prelude::*;

    use crate::corpus::Corpus;
    use crate::engine::{Ledger, Query};
    use crate::model::Status;
    use crate::plugin::{Layer, PluginFile};
    use crate::resolve::{Readings, Resolved};

    /// One obligation: from, years, every, silver, silk (0 for none), delivery.
    type Ob = (i32, i32, u32, u32, u32, usize);
    /// One change: kind (0 suspension that accrues, 1 one that lapses, 2 an adjustment, 3 a
    /// delivery record, 4 a write-off), target, first year (less 3) after the target's first, years,
    /// amount (signed for an adjustment).
    type Change = (u8, usize, i32, i32, i32);

    /// The head of a treaty file, signed in `signed`.
    fn head(signed: i32) -> String {
        format!(
            "name = \"Accrual test\"\npayer = \"Song\"\npayee = \"Liao\"\nsigned = {signed}\n\
             status = \"in-force\"\nlabel = \"tribute\"\n\n[source.s]\ntitle = \"test\"\n\
             quality = \"C\"\n"
        )
    }

    /// The treaty of the obligations (`accrual.toml`), and the one of the changes to them
    /// (`changes.toml`: a treaty amends or suspends another's obligations, not its own).
    fn treaties(obs: &[Ob], changes: &[Change]) -> [String; 2] {
        let mut t = head(1000);
        for (i, &(from, years, every, silver, silk, delivery)) in obs.iter().enumerate() {
            let silk = if silk > 0 {
                format!(", silk = \"{silk} bolt\"")
            } else {
                String::new()
            };
            let delivery = ["as-owed", "unknown", "none"][delivery % 3];
            t += &format!(
                "\n[[obligation]]\nid = \"ob{i}\"\nschedule = \"recurring\"\nfrom = {from}\n\
                 to = {}\nevery = {every}\namounts = {{ silver = \"{silver}.5 tael\"{silk} }}\n\
                 delivery = \"{delivery}\"\nsource = \"s\"\n",
                from + years
            );
        }
        let mut c = head(990);
        for (k, &(kind, target, offset, years, amount)) in changes.iter().enumerate() {
            // A change's years start near its target's first year (three before it, at most).
            let target = target % obs.len();
            let from = obs[target].0 + offset - 3;
            // Delivery records are kept for streams not delivered as owed.
            if kind == 3 && obs[target].5 % 3 == 0 {
                continue;
            }
            let target = format!("accrual/ob{target}");
            let to = from + years;
            c += &match kind {
                0 | 1 => format!(
                    "\n[[suspension]]\nid = \"c{k}\"\ntargets = [\"{target}\"]\nfrom = {from}\n\
                     to = {to}\narrears = \"{}\"\nsource = \"s\"\n",
                    if kind == 0 { "accrue" } else { "lapse" }
                ),
                2 => format!(
                    "\n[[amendment]]\nid = \"c{k}\"\naction = \"adjust\"\ntarget = \"{target}\"\n\
                     from = {from}\namounts = {{ silver = \"{amount} tael\" }}\nsource = \"s\"\n"
                ),
                3 => format!(
                    "\n[[delivery]]\nid = \"c{k}\"\ntarget = \"{target}\"\nyear = {from}\n\
                     amounts = {{ silver = \"{} tael\" }}\nsource = \"s\"\n",
                    amount.unsigned_abs() + 1
                ),
                _ => format!(
                    "\n[[amendment]]\nid = \"c{k}\"\naction = \"write-off\"\ntarget = \"{target}\"\n\
                     from = {from}\nsource = \"s\"\n"
                ),
            };
        }
        [t, c]
    }

    fn load([text, changes]: [String; 2]) -> Option<Corpus> {
        let mut layers = vec![crate::plugin::builtin_registry()];
        layers.push(Layer {
            name: "test".into(),
            files: vec![
                PluginFile::new(
                    "accrual.toml".into(),
                    "accrual.toml".into(),
                    text.into_bytes(),
                ),
                PluginFile::new(
                    "changes.toml".into(),
                    "changes.toml".into(),
                    changes.into_bytes(),
                ),
            ],
        });
        Corpus::load(&layers).ok()
    }

    /// Both ways, every figure of every row (and the opening balances) alike.
    fn same(corpus: &Corpus, resolved: &Resolved, query: &Query) {
        let closed = Ledger::build(corpus, resolved, query, true).expect("closed form");
        let run = Ledger::build(corpus, resolved, query, false).expect("year by year");
        assert_eq!((closed.from, closed.to), (run.from, run.to));
        assert_eq!(closed.commodities, run.commodities);
        assert_eq!(closed.opening_owed, run.opening_owed);
        assert_eq!(closed.opening_assumed, run.opening_assumed);
        assert_eq!(closed.rows, run.rows);
    }

    #[test]
    fn the_builtin_corpus_is_the_same_both_ways() {
        let corpus = Corpus::load(&[crate::builtin()]).expect("loads");
        let all = Query {
            statuses: Status::ALL.to_vec(),
            ..Query::default()
        };
        let resolved = Resolved::new(&corpus, &Readings::defaults()).expect("resolves");
        same(&corpus, &resolved, &all);
    }

    #[test]
    fn a_suspension_accrues_what_fell_due_in_its_years() {
        // 10.5 silver a year from 1000 to 1010, suspended 1003-1004 (accruing): 21 in arrears
        // from 1004 on, 10.5 at the end of 1003; nothing before.
        let text = treaties(&[(1000, 10, 1, 10, 0, 0)], &[(0, 0, 6, 1, 0)]);
        let corpus = load(text).expect("loads");
        let resolved = Resolved::new(&corpus, &Readings::defaults()).expect("resolves");
        let ledger = Ledger::new(&corpus, &resolved, &Query::default()).expect("ledger");
        let arrears: Vec<String> = ledger
            .rows
            .iter()
            .map(|r| {
                format!(
                    "{}:{}",
                    r.year,
                    r.arrears
                        .iter()
                        .map(|(_, a)| a.to_string())
                        .collect::<String>()
                )
            })
            .collect();
        assert_eq!(
            &arrears[..6],
            ["1000:", "1001:", "1002:", "1003:10.5", "1004:21", "1005:21"]
        );
        // From 1004, the first row carries 1003's accrual in: 21 again.
        let from = Query {
            from: Some(1004),
            ..Query::default()
        };
        let ledger = Ledger::new(&corpus, &resolved, &from).expect("ledger");
        assert_eq!(
            ledger.rows[0]
                .arrears
                .iter()
                .map(|(_, a)| a.to_string())
                .collect::<String>(),
            "21"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 192, max_global_rejects: 256, ..ProptestConfig::default() })]
        #[test]
        fn the_closed_form_is_the_year_by_year_run(
            obs in prop::collection::vec(
                (1000i32..1040, 0i32..40, 1u32..4, 1u32..900, 0u32..3, 0usize..4), 1..4),
            changes in prop::collection::vec(
                (0u8..5, 0usize..4, 0i32..45, 0i32..8, -600i32..600), 0..6),
            from in prop::option::of(990i32..1060),
            span in prop::option::of(0i32..60),
        ) {
            let Some(corpus) = load(treaties(&obs, &changes)) else {
                return Err(TestCaseError::reject("the generated file does not load"));
            };
            let Ok(resolved) = Resolved::new(&corpus, &Readings::defaults()) else {
                return Err(TestCaseError::reject("a change falls outside its target's years"));
            };
            let query = Query {
                from,
                to: span.map(|s| from.unwrap_or(1000) + s),
                ..Query::default()
            };
            same(&corpus, &resolved, &query);
        }
    }
}
