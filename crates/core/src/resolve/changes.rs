//! The changes later treaties make to streams: gathered from runs of a changing treaty's items
//! (on all cores, a machine-made file having thousands), then applied to each stream in the
//! items' order. What must hold: the changes a stream gets, and the first error, are those of one
//! walk over the items in order.

use crate::amount::Year;
use crate::error::{Error, ErrorKind, Result};
use crate::model::*;

use super::{
    Adjustment, AppliedAmendment, Changes, Chosen, Readings, RecordedDelivery, Settlement,
    SuspendedYears,
};

/// A run of one changing treaty's amendments, suspensions or deliveries, whose changes are
/// gathered on their own ([`super::Resolved::new`]).
pub(super) enum ItemRun<'c> {
    Amendments(&'c Treaty, &'c [Item<Amendment>]),
    Suspensions(&'c Treaty, &'c [Item<Suspension>]),
    Deliveries(&'c Treaty, &'c [Item<Delivery>]),
}

impl ItemRun<'_> {
    /// How many items the run holds.
    pub(super) fn len(&self) -> usize {
        match self {
            ItemRun::Amendments(_, items) => items.len(),
            ItemRun::Suspensions(_, items) => items.len(),
            ItemRun::Deliveries(_, items) => items.len(),
        }
    }
}

/// One change an item makes to one stream, gathered first and applied to the stream in order.
pub(super) enum Change {
    Adjust(Adjustment),
    Cut(Year),
    Settle(Settlement),
    Applied(AppliedAmendment),
    Suspend(SuspendedYears),
    Deliver(RecordedDelivery),
}

/// What a run of items changes (the stream and the change, in order) and the readings it used.
pub(super) type Gathered = (Vec<(usize, Change)>, Vec<(String, String)>);

/// What gathering reads: the readings, the chosen obligations, and how a target is found
/// among them.
pub(super) struct Context<'a, 'c> {
    pub(super) readings: &'a Readings,
    pub(super) chosen: &'a [Chosen<'c>],
    pub(super) streams_of: &'a (dyn Fn(&Target) -> Vec<usize> + Sync),
    pub(super) find: &'a (dyn Fn(&(&str, &str)) -> Option<usize> + Sync),
}

/// The changes a run of items makes, in order, with the readings it used.
pub(super) fn gather(run: &ItemRun<'_>, ctx: &Context<'_, '_>) -> Result<Gathered> {
    let mut used: Vec<(String, String)> = Vec::new();
    let mut changed: Vec<(usize, Change)> = Vec::new();
    match *run {
        ItemRun::Amendments(t, items) => {
            for item in items {
                let v = picked(ctx.readings, t, item, &mut used)?;
                if t.status != Status::InForce {
                    continue;
                }
                let a = &v.def;
                let by = || format!("{}/{}", t.id, item.id);
                for i in (ctx.streams_of)(&a.target) {
                    let change = match &a.action {
                        Action::Adjust { amounts, to } => {
                            changed.push((i, Change::Adjust((a.from, *to, amounts.clone(), by()))));
                            Some(amounts.clone())
                        }
                        Action::Supersede | Action::End => {
                            changed.push((i, Change::Cut(a.from)));
                            None
                        }
                        Action::WriteOff | Action::Reschedule { .. } | Action::Reduce { .. } => {
                            changed.push((
                                i,
                                Change::Settle(Settlement {
                                    year: a.from,
                                    kind: a.action.kind(),
                                    by: by(),
                                    into: match &a.action {
                                        Action::Reschedule { into } => Some(into.to_string()),
                                        _ => None,
                                    },
                                    balance: match &a.action {
                                        Action::Reduce { balance } => Some(balance.clone()),
                                        _ => None,
                                    },
                                }),
                            ));
                            None
                        }
                    };
                    changed.push((
                        i,
                        Change::Applied(AppliedAmendment {
                            treaty: t.id.to_string(),
                            id: item.id.to_string(),
                            reading: v.reading.clone(),
                            action: a.action.kind(),
                            from: a.from,
                            change,
                        }),
                    ));
                }
            }
        }
        ItemRun::Suspensions(t, items) => {
            for item in items {
                let v = picked(ctx.readings, t, item, &mut used)?;
                if t.status != Status::InForce {
                    continue;
                }
                let s = &v.def;
                let by = format!("{}/{}", t.id, item.id);
                for target in &s.targets {
                    // A suspension must fall within the years its target is scheduled
                    // for (some obligation of it, for a whole treaty): one that does not
                    // suspends nothing, which is almost surely a mistake in its years or
                    // its target.
                    let keys = (ctx.streams_of)(target);
                    let scheduled = keys.iter().any(|&i| {
                        ctx.chosen.get(i).is_some_and(|c| {
                            let sched = &c.2.def.schedule;
                            sched.first_year() <= s.to
                                && sched.last_year().is_none_or(|last| last >= s.from)
                        })
                    });
                    if !scheduled && !keys.is_empty() {
                        return Err(Error::new(
                                ErrorKind::Value,
                                format!(
                                    "suspension {}/{} covers {}–{}, when `{target}` is not scheduled to pay",
                                    t.id, item.id, s.from, s.to
                                ),
                            )
                            .at(v.at.clone())
                            .help("check its from and to years, and its targets: `tribute show TREATY` lists the years each obligation falls due"));
                    }
                    for &i in &keys {
                        changed.push((
                            i,
                            Change::Suspend(SuspendedYears {
                                from: s.from,
                                to: s.to,
                                by: by.clone(),
                                reason: s.reason.clone(),
                                arrears: s.arrears,
                            }),
                        ));
                    }
                }
            }
        }
        ItemRun::Deliveries(t, items) => {
            for item in items {
                let v = picked(ctx.readings, t, item, &mut used)?;
                let d = &v.def;
                let key = (
                    d.target.treaty.as_str(),
                    d.target.obligation.as_deref().unwrap_or_default(),
                );
                if let Some(i) = (ctx.find)(&key) {
                    if !d.amounts.is_empty() {
                        changed.push((
                            i,
                            Change::Deliver(RecordedDelivery {
                                year: d.year,
                                amounts: d.amounts.clone(),
                                by: format!("{}/{}", t.id, item.id),
                            }),
                        ));
                    }
                }
            }
        }
    }
    Ok((changed, used))
}

/// The variant of `item` (of treaty `t`) the readings pick; where the item has several, the
/// reading is noted in `used` (`treaty/item`, reading).
fn picked<'c, T>(
    readings: &Readings,
    t: &Treaty,
    item: &'c Item<T>,
    used: &mut Vec<(String, String)>,
) -> Result<&'c Variant<T>> {
    let v = readings.pick(item, t)?;
    if item.variants.len() > 1 {
        if let Some(r) = &v.reading {
            used.push((format!("{}/{}", t.id, item.id), r.clone()));
        }
    }
    Ok(v)
}

/// Applies `changed` to the streams' changes, in order (a suspension given twice to a stream by
/// the same item counts once).
pub(super) fn apply(changes: &mut [Option<Box<Changes>>], changed: Vec<(usize, Change)>) {
    for (i, change) in changed {
        let Some(stream) = super::slot(changes, i) else {
            continue;
        };
        match change {
            Change::Adjust(a) => stream.adjustments.push(a),
            Change::Cut(from) => {
                stream.cut = Some(stream.cut.map_or(from, |c| c.min(from)));
            }
            Change::Settle(s) => stream.settlements.push(s),
            Change::Applied(a) => stream.amendments.push(a),
            Change::Suspend(s) => {
                if !stream.suspended.iter().any(|x| x.by == s.by) {
                    stream.suspended.push(s);
                }
            }
            Change::Deliver(d) => stream.deliveries.push(d),
        }
    }
}
