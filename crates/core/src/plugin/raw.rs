//! The serde shapes of plugin files, exactly as written, with spans.
//!
//! These types only parse: every table denies unknown keys, and every value keeps its byte span so
//! that the checks in `loader` can point at the offending text. Nothing here is interpreted;
//! amounts stay raw TOML values so that a float can be rejected rather than rounded.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// A string or an array of strings (`source = "a"` or `source = ["a", "b"]`).
///
/// Kept as a raw value: serde's untagged enums cannot carry spans, so the shape is checked by
/// [`OneOrMany::items`] and every string gets the span of the whole value.
#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub(crate) struct OneOrMany(pub toml::Value);

impl OneOrMany {
    /// The strings, or `None` if the value is neither a string nor an array of strings.
    pub(crate) fn strings(&self) -> Option<Vec<String>> {
        match &self.0 {
            toml::Value::String(s) => Some(vec![s.clone()]),
            toml::Value::Array(a) => a.iter().map(|v| v.as_str().map(str::to_string)).collect(),
            _ => None,
        }
    }
}

/// `commodity = amount` pairs; the amounts stay raw so floats can be rejected with their span.
pub(crate) type RawAmounts = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

/// A source declared inside a treaty file (`[source.ID]`) or in the registry (`[[source]]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSource {
    pub id: Option<Spanned<String>>,
    pub title: Spanned<String>,
    pub quality: Spanned<String>,
    pub note: Option<String>,
}

/// A treaty file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTreaty {
    pub name: Spanned<String>,
    pub payer: Spanned<String>,
    pub payee: Spanned<String>,
    pub signed: Spanned<i64>,
    pub status: Spanned<String>,
    pub label: Spanned<String>,
    pub summary: Option<String>,
    pub notes: Option<String>,
    pub sources: Option<Spanned<OneOrMany>>,
    #[serde(default)]
    pub source: BTreeMap<Spanned<String>, Spanned<RawSource>>,
    #[serde(default)]
    pub obligation: Vec<Spanned<RawItem>>,
    #[serde(default)]
    pub amendment: Vec<Spanned<RawItem>>,
    #[serde(default)]
    pub suspension: Vec<Spanned<RawItem>>,
    #[serde(default)]
    pub delivery: Vec<Spanned<RawItem>>,
    #[serde(default)]
    pub claim: Vec<Spanned<RawClaim>>,
}

impl RawTreaty {
    /// The file's items, taken out (the treaty keeps its header, sources and claims).
    pub(crate) fn take_items(&mut self) -> RawItems {
        RawItems {
            obligation: std::mem::take(&mut self.obligation),
            amendment: std::mem::take(&mut self.amendment),
            suspension: std::mem::take(&mut self.suspension),
            delivery: std::mem::take(&mut self.delivery),
        }
    }
}

/// A treaty file's items alone: the file's, or those of one piece of a big file (which holds
/// nothing else: `plugin::treaty::pieces`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawItems {
    #[serde(default)]
    pub obligation: Vec<Spanned<RawItem>>,
    #[serde(default)]
    pub amendment: Vec<Spanned<RawItem>>,
    #[serde(default)]
    pub suspension: Vec<Spanned<RawItem>>,
    #[serde(default)]
    pub delivery: Vec<Spanned<RawItem>>,
}

/// A claim a source makes about the numbers (`[[claim]]`): A's total as years of B's yearly flow,
/// or as a plain ratio of totals. Value and tolerance stay raw so a float can be rejected.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawClaim {
    pub id: Spanned<String>,
    pub statement: Spanned<String>,
    pub compare: Spanned<String>,
    pub against: Option<Spanned<String>>,
    pub commodity: Option<Spanned<String>>,
    pub of: Option<Spanned<String>>,
    pub value: Spanned<toml::Value>,
    pub tolerance: Spanned<toml::Value>,
    pub unit: Spanned<String>,
    pub year: Option<Spanned<i64>>,
    pub source: Spanned<OneOrMany>,
    pub note: Option<String>,
}

/// One obligation, amendment, suspension or delivery, or one reading of it.
///
/// The four kinds share this shape so that a reading (`[obligation.readings.NAME]`) can override
/// any subset of keys without repeating a struct per kind; `loader` rejects the keys a kind does
/// not take, with their span.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawItem {
    pub id: Option<Spanned<String>>,
    pub reading: Option<Spanned<String>>,
    pub readings: Option<BTreeMap<Spanned<String>, Spanned<RawItem>>>,
    pub label: Option<Spanned<String>>,
    pub schedule: Option<Spanned<String>>,
    pub action: Option<Spanned<String>>,
    pub target: Option<Spanned<String>>,
    pub targets: Option<Spanned<OneOrMany>>,
    pub year: Option<Spanned<i64>>,
    pub from: Option<Spanned<i64>>,
    pub to: Option<Spanned<i64>>,
    pub every: Option<Spanned<i64>>,
    pub count: Option<Spanned<i64>>,
    pub amounts: Option<Spanned<RawAmounts>>,
    pub total: Option<Spanned<RawAmounts>>,
    pub delivery: Option<Spanned<String>>,
    pub reason: Option<Spanned<String>>,
    pub ground: Option<Spanned<String>>,
    pub arrears: Option<Spanned<String>>,
    pub into: Option<Spanned<String>>,
    pub balance: Option<Spanned<RawAmounts>>,
    pub payer: Option<Spanned<String>>,
    pub payee: Option<Spanned<String>>,
    pub finances: Option<Spanned<String>>,
    pub received: Option<Spanned<RawAmounts>>,
    pub source: Option<Spanned<OneOrMany>>,
    pub note: Option<Spanned<String>>,
    /// Every other key, as written: the keys a schedule kind reads for itself (a new kind's
    /// `rate` or `principal`), or a mistake that the loader rejects with its place. Sorted by name.
    pub rest: BTreeMap<String, (std::ops::Range<usize>, Spanned<toml::Value>)>,
}

/// Reads an item table key by key: the shared vocabulary into typed fields, the rest into
/// [`RawItem::rest`] (deserialised straight from the TOML map, so every value keeps its span).
impl<'de> Deserialize<'de> for RawItem {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<RawItem, D::Error> {
        struct Keys;
        impl<'de> serde::de::Visitor<'de> for Keys {
            type Value = RawItem;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a table of keys")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<RawItem, A::Error> {
                let mut out = RawItem::default();
                while let Some(key) = map.next_key::<Spanned<ItemKey>>()? {
                    macro_rules! fields {
                        ($($f:ident => $name:literal),* $(,)?) => {
                            match key.get_ref().0.as_ref() {
                                $( $name => out.$f = Some(map.next_value()?), )*
                                _ => {
                                    let span = key.span();
                                    let value = map.next_value()?;
                                    out.rest.insert(key.into_inner().0.into_owned(), (span, value));
                                }
                            }
                        };
                    }
                    fields!(id => "id", reading => "reading", readings => "readings",
                        label => "label", schedule => "schedule", action => "action",
                        target => "target", targets => "targets", year => "year", from => "from",
                        to => "to", every => "every", count => "count", amounts => "amounts",
                        total => "total", delivery => "delivery", reason => "reason",
                        ground => "ground", arrears => "arrears", into => "into",
                        balance => "balance", payer => "payer", payee => "payee",
                        finances => "finances", received => "received", source => "source",
                        note => "note");
                }
                Ok(out)
            }
        }
        d.deserialize_map(Keys)
    }
}

/// The keys [`RawItem`] reads into fields of its own.
pub(crate) const ITEM_KEYS: [&str; 27] = [
    "id", "reading", "readings", "label", "schedule", "action", "target", "targets", "year",
    "from", "to", "every", "count", "amounts", "total", "delivery", "reason", "ground", "arrears",
    "into", "balance", "payer", "payee", "finances", "received", "source", "note",
];

/// A key of an item table, read without a copy of its own when it is one of [`ITEM_KEYS`] (each
/// item has several, and a big file tens of thousands of items).
struct ItemKey(std::borrow::Cow<'static, str>);

impl<'de> Deserialize<'de> for ItemKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ItemKey, D::Error> {
        struct Name;
        impl serde::de::Visitor<'_> for Name {
            type Value = ItemKey;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<ItemKey, E> {
                Ok(ItemKey(match ITEM_KEYS.iter().find(|k| **k == s) {
                    Some(known) => std::borrow::Cow::Borrowed(known),
                    None => std::borrow::Cow::Owned(s.to_string()),
                }))
            }
        }
        d.deserialize_str(Name)
    }
}

impl RawItem {
    /// The keys present, with their spans, in a fixed order (for "key not allowed here" checks).
    pub(crate) fn present_keys(&self) -> Vec<(&str, std::ops::Range<usize>)> {
        let mut keys = Vec::new();
        macro_rules! key {
            ($($f:ident => $name:literal),* $(,)?) => {
                $( if let Some(v) = &self.$f { keys.push(($name, v.span())); } )*
            };
        }
        key!(id => "id", reading => "reading", label => "label", schedule => "schedule", action => "action",
             target => "target", targets => "targets", year => "year", from => "from", to => "to",
             every => "every", count => "count", amounts => "amounts", total => "total",
             delivery => "delivery", reason => "reason", ground => "ground", arrears => "arrears",
             into => "into", balance => "balance", payer => "payer", payee => "payee",
             finances => "finances", received => "received", source => "source", note => "note");
        keys.extend(
            self.rest
                .iter()
                .map(|(k, (span, _))| (k.as_str(), span.clone())),
        );
        keys
    }

    /// `self` with every key present in `patch` replaced by the patch's value.
    pub(crate) fn patched(&self, patch: &RawItem) -> RawItem {
        let mut out = self.clone();
        // A reading that changes the schedule kind (or an amendment's action) drops the base's keys
        // that the new kind does not take, so `from` of a recurring base does not follow a reading
        // that makes the obligation one-time; keys both kinds take (`amounts`) carry over.
        if let Some(kind) = patch
            .schedule
            .as_ref()
            .and_then(|s| crate::schedule::kind(s.get_ref()))
        {
            let takes = |k: &str| kind.keys.contains(&k);
            if !takes("year") {
                out.year = None;
            }
            if !takes("from") {
                out.from = None;
            }
            if !takes("to") {
                out.to = None;
            }
            if !takes("every") {
                out.every = None;
            }
            if !takes("count") {
                out.count = None;
            }
            if !takes("amounts") {
                out.amounts = None;
            }
            if !takes("total") {
                out.total = None;
            }
            out.rest.retain(|k, _| takes(k));
        }
        if patch
            .action
            .as_ref()
            .is_some_and(|a| a.get_ref() != "adjust")
        {
            (out.to, out.amounts) = (None, None);
        }
        if patch
            .action
            .as_ref()
            .is_some_and(|a| a.get_ref() != "reschedule")
        {
            out.into = None;
        }
        if patch
            .action
            .as_ref()
            .is_some_and(|a| a.get_ref() != "reduce")
        {
            out.balance = None;
        }
        macro_rules! over {
            ($($f:ident),*) => { $( if patch.$f.is_some() { out.$f = patch.$f.clone(); } )* };
        }
        over!(
            label, schedule, action, year, from, to, every, count, amounts, total, delivery,
            reason, ground, arrears, into, balance, payer, payee, finances, received, source, note
        );
        for (k, v) in &patch.rest {
            out.rest.insert(k.clone(), v.clone());
        }
        out.readings = None;
        out
    }
}

/// A registry file: units, commodities, parties and sources.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRegistry {
    #[serde(default)]
    pub unit: Vec<Spanned<RawUnit>>,
    #[serde(default)]
    pub commodity: Vec<Spanned<RawCommodity>>,
    #[serde(default)]
    pub party: Vec<Spanned<RawParty>>,
    #[serde(default)]
    pub source: Vec<Spanned<RawSource>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawUnit {
    pub id: Spanned<String>,
    pub measures: Spanned<String>,
    pub size: Spanned<toml::Value>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCommodity {
    pub id: Spanned<String>,
    pub name: Option<String>,
    pub measures: Spanned<String>,
    pub unit: Spanned<String>,
    pub group: Option<String>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawParty {
    pub id: Spanned<String>,
    pub name: Option<String>,
    pub from: Option<Spanned<i64>>,
    pub to: Option<Spanned<i64>>,
    pub part_of: Option<Spanned<String>>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    pub note: Option<String>,
}
