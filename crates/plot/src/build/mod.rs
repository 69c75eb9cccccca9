//! Builders: from the core's reports to [`ChartSpec`](crate::ChartSpec)s, and what they share.
//!
//! Each chart kind is one module with one public function; this module holds what they have in
//! common: selecting streams, naming parties and groups, units in legends and axis titles,
//! captions (treaties, readings, sources), markers for treaty changes, shaded years, and the axis
//! top that keeps a one-off payment from flattening a yearly flow ([`cut_top`]); colours and
//! marks are in [`color`]. What must always hold: builders are pure (same inputs, same spec), read
//! nothing but their arguments, keep every amount exact, never add amounts of two commodities
//! together, and take every figure they show from the core's reports.

pub(crate) mod burden;
pub(crate) mod color;
pub(crate) mod compare;
pub(crate) mod cumulative;
pub(crate) mod timeline;

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use tribute_core::{
    ActionKind, Basket, CommodityId, Corpus, Query, Registry, Resolved, Status, Stream, Year,
};

use crate::error::{PlotError, PlotErrorKind};
use crate::spec::{Marker, MarkerKind, ShadeKind, ShadedRange};
use crate::text::amount_text;

/// The streams `query` selects that have anything due or delivered, or an error if there are none.
pub(crate) fn select<'a>(
    corpus: &Corpus,
    resolved: &'a Resolved,
    query: &Query,
) -> Result<Vec<&'a Stream>, PlotError> {
    query.validate(corpus)?;
    let lo = query.from.unwrap_or(Year::MIN);
    let hi = query.to.unwrap_or(Year::MAX);
    let streams: Vec<&Stream> = resolved
        .streams
        .iter()
        .filter(|s| query.selects(corpus, s))
        .filter(|s| s.span().is_some_and(|(a, b)| a <= hi && b >= lo))
        .collect();
    if streams.is_empty() {
        let statuses: Vec<&str> = query.statuses.iter().map(|s| s.as_str()).collect();
        let mut range = String::new();
        if query.from.is_some() || query.to.is_some() {
            let f = query.from.map_or_else(String::new, |y| y.to_string());
            let t = query.to.map_or_else(String::new, |y| y.to_string());
            range = format!(" in {f}–{t}");
        }
        return Err(PlotError::new(
            PlotErrorKind::Empty,
            format!(
                "nothing to chart: no {} stream of {}{range}",
                statuses.join(" or "),
                who(corpus, query)
            ),
        ));
    }
    Ok(streams)
}

/// A party as the registry names it (`song` → `Song`), or as written if unregistered.
pub(crate) fn party(reg: &Registry, name: &str) -> String {
    reg.find_party(name)
        .map_or_else(|| name.to_string(), |p| p.id.clone())
}

/// `payer → payee` of a query, with `all payers` / `all payees` where it names none.
pub(crate) fn who(corpus: &Corpus, query: &Query) -> String {
    let reg = &corpus.registry;
    let payer = query
        .payer
        .as_deref()
        .map_or_else(|| "all payers".to_string(), |p| party(reg, p));
    let payee = query
        .payee
        .as_deref()
        .map_or_else(|| "all payees".to_string(), |p| party(reg, p));
    format!("{payer} → {payee}")
}

/// The payer a stream is grouped under: the query's payer if it names one (so `Northern Song` and
/// `Southern Song` both count as `Song`), else the stream's own.
pub(crate) fn payer_of(corpus: &Corpus, query: &Query, stream: &Stream) -> String {
    party(
        &corpus.registry,
        query.payer.as_deref().unwrap_or(&stream.payer),
    )
}

/// The payee a stream is grouped under, like [`payer_of`].
pub(crate) fn payee_of(corpus: &Corpus, query: &Query, stream: &Stream) -> String {
    party(
        &corpus.registry,
        query.payee.as_deref().unwrap_or(&stream.payee),
    )
}

/// A query for the streams of some treaties only, otherwise like `query`.
pub(crate) fn narrowed(
    query: &Query,
    treaties: &BTreeSet<String>,
    from: Option<Year>,
    to: Option<Year>,
) -> Query {
    Query {
        treaties: treaties.iter().cloned().collect(),
        from,
        to,
        ..query.clone()
    }
}

/// `silver (tael)`: a commodity's name with its unit, for legends.
pub(crate) fn commodity_label(reg: &Registry, c: CommodityId) -> String {
    let com = reg.commodity(c);
    format!("{} ({})", com.name, com.unit)
}

/// `silver +100,000 tael, silk +100,000 bolt`.
pub(crate) fn basket_text(reg: &Registry, basket: &Basket, signed: bool) -> String {
    let parts: Vec<String> = basket
        .iter()
        .map(|(c, a)| {
            let sign = if signed && !a.is_sign_negative() {
                "+"
            } else {
                ""
            };
            format!(
                "{} {sign}{} {}",
                reg.commodity(c).name,
                amount_text(a),
                reg.unit_of(c)
            )
        })
        .collect();
    parts.join(", ")
}

/// Every treaty whose data shapes these streams: their own, and those that amend or suspend them.
fn involved(streams: &[&Stream]) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for s in streams {
        ids.insert(s.treaty.to_string());
        ids.extend(s.amendments.iter().map(|a| a.treaty.clone()));
        ids.extend(
            s.suspended
                .iter()
                .filter_map(|x| x.by.split('/').next().map(str::to_string)),
        );
    }
    ids
}

/// Caption lines: treaties, readings and sources behind the chart, then `extra` lines.
pub(crate) fn caption(
    corpus: &Corpus,
    resolved: &Resolved,
    streams: &[&Stream],
    query: &Query,
) -> Vec<String> {
    let treaties = involved(streams);
    let mut lines = vec![format!(
        "treaties: {}",
        treaties.iter().cloned().collect::<Vec<_>>().join(", ")
    )];
    if query.statuses != [Status::InForce] {
        let statuses: Vec<&str> = query.statuses.iter().map(|s| s.as_str()).collect();
        lines.push(format!("statuses included: {}", statuses.join(", ")));
    }
    let chosen = resolved.readings.names();
    let readings: Vec<String> = resolved
        .used
        .iter()
        .filter(|(item, _)| item.split('/').next().is_some_and(|t| treaties.contains(t)))
        .map(|(item, reading)| {
            let mark = if chosen.contains(reading) {
                " (chosen)"
            } else {
                ""
            };
            format!("{item} = {reading}{mark}")
        })
        .collect();
    if !readings.is_empty() {
        let all_default = chosen.is_empty() || !readings.iter().any(|r| r.ends_with("(chosen)"));
        let tail = if all_default {
            " (each file's default)"
        } else {
            ""
        };
        lines.push(format!("readings{tail}: {}", readings.join(", ")));
    }
    let mut sources = BTreeSet::new();
    for id in &treaties {
        if let Some(t) = corpus.treaties.get(id.as_str()) {
            sources.extend(t.sources.iter().map(|s| s.id.clone()));
        }
    }
    for s in streams {
        sources.extend(s.sources.iter().map(|s| s.id.clone()));
    }
    if !sources.is_empty() {
        lines.push(format!(
            "sources: {}",
            sources.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    lines
}

#[derive(Default)]
struct Event {
    starts: BTreeSet<String>,
    /// The treaty's one and only obligation starts, and it is a yearly flow: the treaty's name
    /// says it all (`Treaty of Shaoxing`, not `Treaty of Shaoxing: annual`).
    whole_treaty: bool,
    effects: Vec<String>,
    changes: bool,
    ends: bool,
}

fn treaty_name(corpus: &Corpus, id: &str) -> String {
    corpus
        .treaties
        .get(id)
        .map_or_else(|| id.to_string(), |t| t.name.to_string())
}

/// Markers for the treaty changes that shape these streams within `lo..=hi`: one per year and
/// acting treaty, naming the obligations it starts and what it does to earlier streams.
pub(crate) fn markers(corpus: &Corpus, streams: &[&Stream], lo: Year, hi: Year) -> Vec<Marker> {
    let reg = &corpus.registry;
    let mut events: BTreeMap<(Year, String), Event> = BTreeMap::new();
    for s in streams {
        let Some((first, last)) = s.span() else {
            continue;
        };
        let payments: u64 = s.pieces.iter().map(|p| p.count).sum();
        if (lo..=hi).contains(&first) {
            let only = corpus
                .treaties
                .get(s.treaty.as_str())
                .is_some_and(|t| t.obligations.len() == 1);
            let e = events.entry((first, s.treaty.to_string())).or_default();
            e.starts.insert(s.obligation.to_string());
            e.whole_treaty = only && s.schedule.is_yearly_flow();
        }
        let ends_by_terms = s.cut.is_none() && s.horizon.is_none() && payments > 1;
        if ends_by_terms && last < hi && last >= lo {
            let e = events.entry((last + 1, s.treaty.to_string())).or_default();
            e.ends = true;
            let effect = "its payments have ended".to_string();
            if !e.effects.contains(&effect) {
                e.effects.push(effect);
            }
        }
        for a in &s.amendments {
            if !(lo..=hi).contains(&a.from) {
                continue;
            }
            let target = treaty_name(corpus, &s.treaty);
            let e = events.entry((a.from, a.treaty.clone())).or_default();
            let effect = match (a.action, &a.change) {
                (ActionKind::Adjust, Some(change)) => {
                    e.changes = true;
                    format!(
                        "changes each payment of {target} by {}",
                        basket_text(reg, change, true)
                    )
                }
                (ActionKind::Supersede, _) => {
                    e.ends = true;
                    format!("supersedes {target}")
                }
                (ActionKind::End | ActionKind::Adjust, _) => {
                    e.ends = true;
                    format!("{}s {target}", a.action)
                }
                (ActionKind::WriteOff, _) => format!("writes off the arrears of {target}"),
                (ActionKind::Reschedule, _) => format!("reschedules the arrears of {target}"),
                (ActionKind::Reduce, _) => format!("reduces the arrears of {target}"),
            };
            if !e.effects.contains(&effect) {
                e.effects.push(effect);
            }
        }
    }
    events
        .into_iter()
        .map(|((year, treaty), e)| {
            let name = treaty_name(corpus, &treaty);
            let mut label = name.clone();
            let mut parts = Vec::new();
            if !e.starts.is_empty() && !e.whole_treaty {
                parts.push(e.starts.iter().cloned().collect::<Vec<_>>().join(", "));
            }
            parts.extend(e.effects);
            if !parts.is_empty() {
                label = format!("{label}: {}", parts.join("; "));
            }
            let kind = if !e.starts.is_empty() {
                MarkerKind::Start
            } else if e.changes {
                MarkerKind::Change
            } else if e.ends {
                MarkerKind::End
            } else {
                MarkerKind::Note
            };
            Marker {
                x: Decimal::from(year),
                kind,
                short: (label != name).then_some(name),
                label,
            }
        })
        .collect()
}

/// The years of a stream within `lo..=hi` in which something falls due, as (first, last).
fn due_span(stream: &Stream, lo: Year, hi: Year) -> Option<(Year, Year)> {
    stream
        .pieces
        .iter()
        .filter_map(|p| p.clip(lo, hi))
        .map(|p| (p.start, p.last()))
        .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
}

/// `Treaty of Shaoxing · annual`: a stream as people read it.
pub(crate) fn stream_name(corpus: &Corpus, stream: &Stream) -> String {
    format!(
        "{} · {}",
        treaty_name(corpus, &stream.treaty),
        stream.obligation
    )
}

/// Shaded ranges within `lo..=hi`: suspended years of streams delivered as owed, and the years of
/// streams whose delivery is unknown or recorded as none.
pub(crate) fn shaded(corpus: &Corpus, streams: &[&Stream], lo: Year, hi: Year) -> Vec<ShadedRange> {
    use tribute_core::DeliveryMode;
    let mut out = BTreeSet::new();
    for s in streams {
        let Some((first, last)) = due_span(s, lo, hi) else {
            continue;
        };
        match s.delivery {
            DeliveryMode::AsOwed => {
                for x in &s.suspended {
                    let (from, to) = (x.from.max(first), x.to.min(last));
                    if from <= to {
                        out.insert(ShadedRange {
                            from,
                            to,
                            kind: ShadeKind::Suspended,
                            by: x.by.clone(),
                            label: x
                                .reason
                                .clone()
                                .unwrap_or_else(|| format!("suspended by {}", x.by)),
                        });
                    }
                }
            }
            DeliveryMode::Unknown | DeliveryMode::None => {
                let kind = if s.delivery == DeliveryMode::None {
                    ShadeKind::NotDelivered
                } else {
                    ShadeKind::DeliveryUnknown
                };
                out.insert(ShadedRange {
                    from: first,
                    to: last,
                    kind,
                    by: s.key(),
                    label: stream_name(corpus, s),
                });
            }
        }
    }
    out.into_iter().collect()
}

/// The top of a y axis that keeps a yearly flow readable when a one-off payment would flatten
/// it, and the years whose bars it cuts; `None` if no bar stands out so.
///
/// `piles` are the heights of the bars, year by year (the core's figures). A bar is a one-off if
/// it is more than three times the 90th percentile of the years with anything delivered (so at
/// most a tenth of the years can be cut) and there are at least five such years; the axis then
/// ends a quarter above the tallest bar that is not cut, exactly. The cut bars keep their full
/// height as a label ([`crate::CutBar`]).
pub(crate) fn cut_top(piles: &[(Year, Decimal)]) -> Option<(Decimal, Vec<Year>)> {
    let mut heights: Vec<Decimal> = piles
        .iter()
        .map(|&(_, v)| v)
        .filter(|v| *v > Decimal::ZERO)
        .collect();
    if heights.len() < 5 {
        return None;
    }
    heights.sort_unstable();
    // Nearest rank: the smallest value with at least 90 % of the years at or below it.
    let rank = (heights.len() * 9).div_ceil(10);
    let p90 = heights[rank.max(1) - 1];
    let limit = p90.checked_mul(Decimal::from(3))?;
    let cut: Vec<Year> = piles
        .iter()
        .filter(|&&(_, v)| v > limit)
        .map(|&(y, _)| y)
        .collect();
    if cut.is_empty() {
        return None;
    }
    let kept = heights.iter().copied().filter(|v| *v <= limit).max()?;
    let top = kept.checked_mul(Decimal::new(125, 2))?;
    Some((top, cut))
}

/// Legend entries for commodities, one per commodity in the registry's order: its colour and
/// `name (unit)`, or the name alone where no amount is drawn (the timeline).
pub(crate) fn commodity_entries(
    reg: &Registry,
    commodities: &BTreeSet<CommodityId>,
    swatch: impl Fn(String) -> crate::spec::LegendSwatch,
    with_unit: bool,
) -> Vec<crate::spec::LegendEntry> {
    commodities
        .iter()
        .map(|&c| crate::spec::LegendEntry {
            swatch: swatch(color::commodity(reg, c)),
            text: if with_unit {
                commodity_label(reg, c)
            } else {
                reg.commodity(c).name.clone()
            },
        })
        .collect()
}

/// A checked sum, as a plot error naming what was being computed.
pub(crate) fn checked(value: Option<Decimal>, what: &str) -> Result<Decimal, PlotError> {
    value.ok_or_else(|| {
        PlotError::new(
            PlotErrorKind::Overflow,
            format!("{what} exceeds the range of an exact decimal (about 7.9 × 10^28)"),
        )
    })
}
