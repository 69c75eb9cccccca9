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
use crate::model::{DeliveryMode, Target, Treaty};

/// Cross-treaty checks: targets exist, deliveries point at streams of unknown delivery, and no
/// two treaties amend each other (directly or through a chain).
pub(crate) fn check_references(treaties: &crate::corpus::Treaties) -> Vec<Error> {
    // Each treaty is checked on its own (on all cores: most have nothing to check, but each must
    // be looked at, and looking at ten thousand treaties strewn over the heap is memory-bound);
    // the problems are then put in the treaties' order, as one walk would find them.
    let all: Vec<&Treaty> = treaties.values().map(|t| &**t).collect();
    let checked = super::parallel_map(&all, |t| check_treaty(t, treaties));
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

/// Checks the references of `t` against `treaties`.
fn check_treaty<'a>(t: &'a Treaty, treaties: &'a crate::corpus::Treaties) -> Checked<'a> {
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
    for a in &t.amendments {
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
    for o in &t.obligations {
        for v in &o.variants {
            if let Some(f) = &v.def.finances {
                check(f, "this loan's `finances`");
            }
        }
    }
    for s in &t.suspensions {
        for v in &s.variants {
            for target in &v.def.targets {
                check(target, "this suspension");
            }
        }
    }
    for c in &t.claims {
        check(&c.compare, "this claim");
        check(&c.against, "this claim");
    }
    for d in &t.deliveries {
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
