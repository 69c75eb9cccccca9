//! Builders: from the core's reports to [`ChartSpec`](crate::ChartSpec)s, and what they share.
//!
//! Each chart kind is one module with one public function; this module holds what they have in
//! common: selecting streams, naming parties and groups, colours, units in legends and axis titles,
//! captions (treaties, readings, sources), markers for treaty changes and shaded years. What must
//! always hold: builders are pure (same inputs, same spec), read nothing but their arguments, keep
//! every amount exact, and never add amounts of two commodities together.

pub(crate) mod burden;
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

/// Colours for series without a colour of their own (Tableau 10, then a darker set).
pub(crate) const PALETTE: [&str; 20] = [
    "#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#b07aa1", "#9c755f", "#76b7b2", "#edc948",
    "#ff9da7", "#bab0ac", "#2f4b7c", "#a05195", "#2a7f62", "#d45087", "#665191", "#8c564b",
    "#17becf", "#bcbd22", "#7f7f7f", "#003f5c",
];

/// The colour a commodity keeps on every chart, for the commodities of the built-in registry;
/// others take a palette colour by position.
pub(crate) fn commodity_color(id: &str, position: usize) -> String {
    let fixed = match id {
        "silver" => Some("#4e79a7"),
        "silk" => Some("#e15759"),
        "tea" => Some("#59a14f"),
        "cash" => Some("#9c755f"),
        "satin" => Some("#b07aa1"),
        "gold" => Some("#edc948"),
        "pongee" => Some("#ff9da7"),
        "cloth" => Some("#bab0ac"),
        "franc" => Some("#f28e2b"),
        _ => None,
    };
    fixed.map_or_else(
        || PALETTE[position % PALETTE.len()].to_string(),
        str::to_string,
    )
}

/// The colour of the `position`-th group (payee or payer → payee) of a chart, groups in order of
/// their first payment, as the timeline colours its bars.
pub(crate) fn group_color(position: usize) -> String {
    PALETTE[position % PALETTE.len()].to_string()
}

/// The `k`-th of `n` shades of a colour, from darker to lighter; the colour itself when `n` is 1
/// (and for the middle one of an odd number).
/// Series of one commodity in several groups keep the commodity's hue, so silver is blue on
/// every chart, and the groups still tell apart.
pub(crate) fn shade(hex: &str, k: usize, n: usize) -> String {
    if n <= 1 {
        return hex.to_string();
    }
    let h = hex.trim_start_matches('#');
    let channel = |i: usize| {
        h.get(i..i + 2)
            .and_then(|s| u8::from_str_radix(s, 16).ok())
            .map_or(128, i64::from)
    };
    // From 36 % towards black to 36 % towards white, in even steps, so that the middle one of an
    // odd number is the colour itself (percent, integer arithmetic).
    let (k, n) = (k.min(n - 1) as i64, n as i64);
    let t = -36 + 72 * k / (n - 1);
    let mix = |c: i64| {
        if t < 0 {
            c * (100 + t) / 100
        } else {
            c + (255 - c) * t / 100
        }
    };
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(channel(0)),
        mix(channel(2)),
        mix(channel(4))
    )
}

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

/// An axis title for amounts of some commodities: the unit if they share one, else a note that
/// each keeps its own unit (named in the legend).
pub(crate) fn amount_title(what: &str, units: &BTreeSet<String>) -> String {
    match units.len() {
        1 => format!(
            "{what} ({})",
            units.iter().next().map_or("", String::as_str)
        ),
        _ => format!("{what}, amount in each commodity's unit (see legend)"),
    }
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
        ids.insert(s.treaty.clone());
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
        if let Some(t) = corpus.treaties.get(id) {
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
    effects: Vec<String>,
    changes: bool,
    ends: bool,
}

fn treaty_name(corpus: &Corpus, id: &str) -> String {
    corpus
        .treaties
        .get(id)
        .map_or_else(|| id.to_string(), |t| t.name.clone())
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
        if (lo..=hi).contains(&first) {
            events
                .entry((first, s.treaty.clone()))
                .or_default()
                .starts
                .insert(s.obligation.clone());
        }
        let payments: u64 = s.pieces.iter().map(|p| p.count).sum();
        let ends_by_terms = s.cut.is_none() && s.horizon.is_none() && payments > 1;
        if ends_by_terms && last < hi && last >= lo {
            let e = events.entry((last + 1, s.treaty.clone())).or_default();
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
            };
            if !e.effects.contains(&effect) {
                e.effects.push(effect);
            }
        }
    }
    events
        .into_iter()
        .map(|((year, treaty), e)| {
            let mut label = treaty_name(corpus, &treaty);
            let mut parts = Vec::new();
            let only_annual = e.starts.len() == 1 && e.starts.contains("annual");
            if !e.starts.is_empty() && !only_annual {
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

/// A checked sum, as a plot error naming what was being computed.
pub(crate) fn checked(value: Option<Decimal>, what: &str) -> Result<Decimal, PlotError> {
    value.ok_or_else(|| {
        PlotError::new(
            PlotErrorKind::Overflow,
            format!("{what} exceeds the range of an exact decimal (about 7.9 × 10^28)"),
        )
    })
}
