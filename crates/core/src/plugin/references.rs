//! Cross-file checks, once every treaty is read: references resolve and amendments make no cycle.
//!
//! What must hold: every amendment, suspension, delivery and claim target names a loaded treaty (and
//! obligation, where it names one); no treaty amends itself; a delivery is recorded only against an
//! obligation whose delivery is not as-owed; the treaties that amend each other form no cycle, found
//! by an iterative search (a chain of any length costs no stack). Every problem is reported, not
//! the first alone, each at the reference that causes it.

use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Error, ErrorKind};
use crate::model::{
    Amendment, Claim, Delivery, DeliveryMode, Item, Obligation, Suspension, Target, Treaty,
};

/// Cross-treaty checks: targets exist, deliveries point at streams of unknown delivery, and no
/// two treaties amend each other (directly or through a chain). With `only`, the treaties of
/// those ids alone are checked (the others are known to refer to nothing: a streams table's),
/// their targets still looked up among all.
pub(crate) fn check_references(
    treaties: &crate::corpus::Treaties,
    only: Option<Vec<compact_str::CompactString>>,
) -> Vec<Error> {
    // Each treaty is checked on its own (on all cores: most have nothing to check, but each must
    // be looked at, and looking at ten thousand treaties strewn over the heap is memory-bound);
    // the problems are then put in the treaties' order, as one walk would find them. A treaty
    // with many changes (a machine-made file of thousands) is cut into parts of its lists, so
    // that it does not hold up one core while the other has finished.
    let mut all: Vec<Part<'_>> = Vec::new();
    match only {
        None => {
            for t in treaties.values() {
                Part::of(t, &mut all);
            }
        }
        Some(mut ids) => {
            // In the map's order (by id), as the whole walk would take them.
            ids.sort_unstable();
            ids.dedup();
            for id in &ids {
                if let Some(t) = treaties.get(id) {
                    Part::of(t, &mut all);
                }
            }
        }
    }
    // On all cores when there are many treaties, or a treaty was cut into parts (each a run of
    // hundreds of references): a handful of small treaties is checked on this one.
    let cut = all.iter().any(|p| p.cut);
    let checked: Vec<Checked<'_>> = if cut {
        use rayon::prelude::*;
        all.par_iter().map(|p| check_treaty(p, treaties)).collect()
    } else {
        super::parallel_map(&all, |p| check_treaty(p, treaties))
    };
    let mut errors = Vec::new();
    let mut late = Vec::new();
    let mut edges: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (e, l, amends) in checked {
        errors.extend(e);
        late.extend(l);
        for (from, to) in amends {
            edges.entry(from).or_default().insert(to);
        }
    }
    errors.extend(late);
    // Cycles among amending treaties.
    if let Some(cycle) = find_cycle(&edges) {
        let files: Vec<&str> = cycle.iter().map(|id| treaties[*id].path.as_str()).collect();
        let a = &treaties[cycle[0]];
        errors.push(
            Error::new(ErrorKind::Cycle, format!("amendments form a cycle: {} (files: {})", cycle.join(" → "), files[..files.len().saturating_sub(1)].join(", ")))
                .in_file(&a.path)
                .help("a treaty can only amend an earlier one; remove the amendment in one of these files"),
        );
    }
    errors
}

/// The problems with one treaty's references (those found at once, and those reported after
/// everything else), and the treaties its amendments amend (for the cycle search).
type Checked<'a> = (Vec<Error>, Vec<Error>, Vec<(&'a str, &'a str)>);

/// A treaty's references, or some of them: its lists, or runs of them. The parts of a treaty
/// in order hold each of its items once, in the treaty's order (amendments, obligations,
/// suspensions, claims, deliveries), so their problems in order are those of one walk.
struct Part<'a> {
    t: &'a Treaty,
    amendments: &'a [Item<Amendment>],
    obligations: &'a [Item<Obligation>],
    suspensions: &'a [Item<Suspension>],
    claims: &'a [Claim],
    deliveries: &'a [Item<Delivery>],
    /// Whether this is a run of a treaty cut into parts.
    cut: bool,
}

impl<'a> Part<'a> {
    /// The items of a part checked on its own.
    const RUN: usize = 256;

    /// `t` in parts, added to `parts`: the whole treaty, or, for one with more than
    /// [`Part::RUN`] amendments, suspensions or deliveries, runs of each list.
    fn of(t: &'a Treaty, parts: &mut Vec<Part<'a>>) {
        let whole = Part {
            t,
            amendments: &t.amendments,
            obligations: &t.obligations,
            suspensions: &t.suspensions,
            claims: &t.claims,
            deliveries: &t.deliveries,
            cut: false,
        };
        let big = [t.amendments.len(), t.suspensions.len(), t.deliveries.len()]
            .iter()
            .any(|&n| n > Self::RUN);
        if !big {
            parts.push(whole);
            return;
        }
        let none = || Part {
            amendments: &[],
            obligations: &[],
            suspensions: &[],
            claims: &[],
            deliveries: &[],
            cut: true,
            ..whole
        };
        parts.extend(t.amendments.chunks(Self::RUN).map(|run| Part {
            amendments: run,
            ..none()
        }));
        parts.push(Part {
            obligations: &t.obligations,
            ..none()
        });
        parts.extend(t.suspensions.chunks(Self::RUN).map(|run| Part {
            suspensions: run,
            ..none()
        }));
        parts.push(Part {
            claims: &t.claims,
            ..none()
        });
        parts.extend(t.deliveries.chunks(Self::RUN).map(|run| Part {
            deliveries: run,
            ..none()
        }));
    }
}

/// Checks the references of part `p` of a treaty against `treaties`.
fn check_treaty<'a>(p: &Part<'a>, treaties: &'a crate::corpus::Treaties) -> Checked<'a> {
    let t = p.t;
    let mut errors = Vec::new();
    let mut late = Vec::new();
    let mut edges = Vec::new();
    let mut check = |target: &Target, what: &str| -> Option<&Treaty> {
        let Some(other) = treaties.get(target.treaty.as_str()) else {
            errors.push(
                Error::new(
                    ErrorKind::Reference,
                    format!("{what} refers to unknown treaty `{}`", target.treaty),
                )
                .at(target.at.clone())
                .help(format!(
                    "no treaty file {}.toml is loaded; check the id or add the file",
                    target.treaty
                )),
            );
            return None;
        };
        if let Some(o) = &target.obligation {
            if !other.obligations.iter().any(|x| x.id == o) {
                let ids: Vec<&str> = other.obligations.iter().map(|x| x.id.as_str()).collect();
                errors.push(
                    Error::new(
                        ErrorKind::Reference,
                        format!(
                            "{what} refers to `{target}`, but {} has no obligation `{o}`",
                            other.path
                        ),
                    )
                    .at(target.at.clone())
                    .help(format!(
                        "its obligations are: {}",
                        if ids.is_empty() {
                            "(none)".into()
                        } else {
                            ids.join(", ")
                        }
                    )),
                );
                return None;
            }
        }
        Some(other)
    };
    for a in p.amendments {
        for v in &a.variants {
            if let crate::model::Action::Reschedule { into } = &v.def.action {
                check(into, "this reschedule's `into`");
            }
            let known = check(&v.def.target, "this amendment").is_some();
            if known && v.def.target.treaty == t.id {
                late.push(
                    Error::new(
                        ErrorKind::Reference,
                        format!(
                            "amendment {}/{} amends its own treaty (`{}`)",
                            t.id, a.id, v.def.target
                        ),
                    )
                    .at(v.def.target.at.clone())
                    .help("an amendment changes an earlier treaty's stream; a treaty's own later terms are another obligation (with from and to) or a reading"),
                );
                continue;
            }
            if known {
                if let Some(target) = treaties.get(v.def.target.treaty.as_str()) {
                    edges.push((t.id.as_str(), target.id.as_str()));
                }
            }
        }
    }
    for o in p.obligations {
        for v in &o.variants {
            if let Some(f) = &v.def.finances {
                check(f, "this loan's `finances`");
            }
        }
    }
    for s in p.suspensions {
        for v in &s.variants {
            for target in &v.def.targets {
                check(target, "this suspension");
            }
        }
    }
    for c in p.claims {
        check(&c.compare, "this claim");
        check(&c.against, "this claim");
    }
    for d in p.deliveries {
        for v in &d.variants {
            if let Some(other) = check(&v.def.target, "this delivery") {
                let o = v.def.target.obligation.as_deref().unwrap_or_default();
                let ob = other.obligations.iter().find(|x| x.id == o);
                if let Some(ob) = ob {
                    if ob
                        .variants
                        .iter()
                        .any(|ov| ov.def.delivery == DeliveryMode::AsOwed)
                    {
                        late.push(
                            Error::new(ErrorKind::Value, format!("a delivery is recorded against `{}`, whose delivery is as-owed", v.def.target))
                                .at(v.def.target.at.clone())
                                .help("recorded deliveries are for obligations with delivery = \"unknown\" or \"none\"; set that on the obligation"),
                        );
                    }
                }
            }
        }
    }
    (errors, late, edges)
}

/// The first cycle in `edges` (a path that returns to where it starts), searching depth-first from
/// each node in order. Iterative, with the path kept on the heap: a chain of any length is fine.
fn find_cycle<'a>(edges: &BTreeMap<&'a str, BTreeSet<&'a str>>) -> Option<Vec<&'a str>> {
    // On the current path (1) or fully explored (2).
    let mut state: FxHashMap<&'a str, u8> = FxHashMap::default();
    for &root in edges.keys() {
        if state.contains_key(root) {
            continue;
        }
        state.insert(root, 1);
        // The path from `root`, and for each node on it the successors not yet followed.
        let mut path = vec![root];
        let mut next = vec![edges.get(root).into_iter().flatten()];
        while let Some(successors) = next.last_mut() {
            match successors.next() {
                Some(&node) => match state.get(node) {
                    Some(1) => {
                        let start = path.iter().position(|n| *n == node).unwrap_or(0);
                        let mut cycle = path[start..].to_vec();
                        cycle.push(node);
                        return Some(cycle);
                    }
                    Some(_) => {}
                    None => {
                        state.insert(node, 1);
                        path.push(node);
                        next.push(edges.get(node).into_iter().flatten());
                    }
                },
                None => {
                    next.pop();
                    if let Some(done) = path.pop() {
                        state.insert(done, 2);
                    }
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_chain_has_no_cycle_and_closing_it_makes_one() {
        // Deeper than a test thread's stack would allow a recursive search.
        let names: Vec<String> = (0..200_000).map(|i| format!("t{i:06}")).collect();
        let mut edges: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for w in names.windows(2) {
            edges.entry(&w[0]).or_default().insert(&w[1]);
        }
        assert_eq!(find_cycle(&edges), None);
        edges
            .entry(&names[names.len() - 1])
            .or_default()
            .insert(&names[100]);
        let cycle = find_cycle(&edges).expect("a cycle");
        assert_eq!(cycle.len(), names.len() - 100 + 1);
        assert_eq!((cycle[0], cycle[cycle.len() - 1]), ("t000100", "t000100"));
    }
}
