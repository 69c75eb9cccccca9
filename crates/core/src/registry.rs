//! The registry: units, commodities, parties and sources, all plugin data.
//!
//! Units belong to a *measure* (weight, cloth, coin, head…) and have a size in that measure's
//! reference unit; a commodity is measured in one measure and kept in one unit. Converting an amount
//! written in another unit of the same measure is exact or an error: a registry can never make
//! `1 short-string` silently equal to `1 string`. Ids are unique; lookups accept ids and aliases,
//! case-insensitively.

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use crate::amount::{CommodityId, Year};

/// How trustworthy a source is (see `../shared/data/history.md`): A scholarly, B encyclopedic or
/// official, C popular (corroboration only). D sources are refused as data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Quality {
    /// Scholarly monograph or handbook, or treaty text.
    A,
    /// Encyclopedia, contemporary or official report.
    B,
    /// Popular article: corroboration only.
    C,
}

impl Quality {
    /// The grade letter.
    pub fn letter(self) -> &'static str {
        match self {
            Quality::A => "A",
            Quality::B => "B",
            Quality::C => "C",
        }
    }
}

/// Two registry entries of one kind that claim the same name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Clash {
    /// `unit`, `commodity`, `party` or `source`.
    pub kind: &'static str,
    /// The name both claim.
    pub name: String,
    /// The entry that keeps it.
    pub first: String,
    /// Its file.
    pub first_file: String,
    /// The entry that loses it.
    pub second: String,
    /// Its file.
    pub second_file: String,
}

/// A unit of a measure.
#[derive(Debug, Clone)]
pub struct Unit {
    /// Id, e.g. `tael`.
    pub id: String,
    /// The measure, e.g. `weight`.
    pub measure: String,
    /// Size in the measure's reference unit (the unit of size 1).
    pub size: Decimal,
    /// Other names accepted for it.
    pub aliases: Vec<String>,
    /// Free text.
    pub note: Option<String>,
    /// The file it came from.
    pub origin: String,
}

/// A commodity.
#[derive(Debug, Clone)]
pub struct Commodity {
    /// Id, e.g. `silver`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The measure its amounts are in.
    pub measure: String,
    /// The unit its amounts are kept and shown in.
    pub unit: String,
    /// A grouping word (metal, textile, cash, tea, livestock…).
    pub group: String,
    /// Other names accepted for it.
    pub aliases: Vec<String>,
    /// Free text.
    pub note: Option<String>,
    /// The file it came from.
    pub origin: String,
}

/// A state or other paying or receiving party.
#[derive(Debug, Clone)]
pub struct Party {
    /// Id as treaties write it, e.g. `Northern Song`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// First year of existence, if known.
    pub from: Option<Year>,
    /// Last year of existence, if known.
    pub to: Option<Year>,
    /// A larger party this is an era or part of (`Northern Song` is part of `Song`).
    pub part_of: Option<String>,
    /// Other names accepted for it.
    pub aliases: Vec<String>,
    /// Free text.
    pub note: Option<String>,
    /// The file it came from.
    pub origin: String,
}

/// A bibliographic source.
#[derive(Debug, Clone)]
pub struct SourceInfo {
    /// Id used in `source = "ID, locator"`.
    pub id: String,
    /// Full citation.
    pub title: String,
    /// Quality grade.
    pub quality: Quality,
    /// Free text.
    pub note: Option<String>,
    /// The file it came from.
    pub origin: String,
}

/// All units, commodities, parties and sources of a corpus.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    units: Vec<Unit>,
    commodities: Vec<Commodity>,
    parties: Vec<Party>,
    sources: Vec<SourceInfo>,
    unit_names: FxHashMap<String, usize>,
    commodity_names: FxHashMap<String, usize>,
    party_names: FxHashMap<String, usize>,
    source_ids: FxHashMap<String, usize>,
}

/// The form names are compared in: trimmed, lower case (borrowed when it already is, as commodity
/// and unit names mostly are, so a lookup allocates nothing).
fn key(name: &str) -> std::borrow::Cow<'_, str> {
    let t = name.trim();
    if t.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
        t.to_lowercase().into()
    } else {
        t.into()
    }
}

impl Registry {
    /// Builds a registry. A name (id or alias) given to two entries of one kind is a clash: an
    /// entry's own id beats another's alias, else the entry first by id keeps it, and the clash is returned with both entries' files,
    /// so the caller reports it once, where it is, and everything else still loads.
    pub(crate) fn build(
        mut units: Vec<Unit>,
        mut commodities: Vec<Commodity>,
        mut parties: Vec<Party>,
        mut sources: Vec<SourceInfo>,
    ) -> (Registry, Vec<Clash>) {
        units.sort_by(|a, b| a.id.cmp(&b.id));
        commodities.sort_by(|a, b| a.id.cmp(&b.id));
        parties.sort_by(|a, b| a.id.cmp(&b.id));
        sources.sort_by(|a, b| a.id.cmp(&b.id));
        let mut clashes = Vec::new();
        fn index<'a>(
            kind: &'static str,
            items: impl Iterator<Item = (usize, &'a str, &'a [String], &'a str)>,
            clashes: &mut Vec<Clash>,
        ) -> FxHashMap<String, usize> {
            let mut map: FxHashMap<String, usize> = FxHashMap::default();
            let items: Vec<_> = items.collect();
            // Ids first, then aliases: an entry's own id always beats another's alias.
            let names = items
                .iter()
                .map(|&(i, id, _, origin)| (i, id, id, origin))
                .chain(items.iter().flat_map(|&(i, id, aliases, origin)| {
                    aliases.iter().map(move |a| (i, id, a.as_str(), origin))
                }));
            for (i, id, name, origin) in names {
                match map.get(key(name).as_ref()) {
                    Some(&j) if j != i => {
                        let (_, first, _, first_file) = items[j];
                        clashes.push(Clash {
                            kind,
                            name: name.to_string(),
                            first: first.to_string(),
                            first_file: first_file.to_string(),
                            second: id.to_string(),
                            second_file: origin.to_string(),
                        });
                    }
                    Some(_) => {}
                    None => {
                        map.insert(key(name).into_owned(), i);
                    }
                }
            }
            map
        }
        let unit_names = index(
            "unit",
            units
                .iter()
                .enumerate()
                .map(|(i, u)| (i, u.id.as_str(), &u.aliases[..], u.origin.as_str())),
            &mut clashes,
        );
        let commodity_names = index(
            "commodity",
            commodities
                .iter()
                .enumerate()
                .map(|(i, c)| (i, c.id.as_str(), &c.aliases[..], c.origin.as_str())),
            &mut clashes,
        );
        let party_names = index(
            "party",
            parties
                .iter()
                .enumerate()
                .map(|(i, p)| (i, p.id.as_str(), &p.aliases[..], p.origin.as_str())),
            &mut clashes,
        );
        let source_ids = index(
            "source",
            sources
                .iter()
                .enumerate()
                .map(|(i, s)| (i, s.id.as_str(), &[][..], s.origin.as_str())),
            &mut clashes,
        );
        if commodities.len() > usize::from(u16::MAX) {
            clashes.push(Clash {
                kind: "commodity",
                name: "more than 65,535 commodities".into(),
                first: String::new(),
                first_file: String::new(),
                second: String::new(),
                second_file: String::new(),
            });
            commodities.truncate(usize::from(u16::MAX));
        }
        (
            Registry {
                units,
                commodities,
                parties,
                sources,
                unit_names,
                commodity_names,
                party_names,
                source_ids,
            },
            clashes,
        )
    }

    /// All units, sorted by id.
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// All commodities, sorted by id; a [`CommodityId`] indexes this slice.
    pub fn commodities(&self) -> &[Commodity] {
        &self.commodities
    }

    /// All parties, sorted by id.
    pub fn parties(&self) -> &[Party] {
        &self.parties
    }

    /// All sources, sorted by id.
    pub fn sources(&self) -> &[SourceInfo] {
        &self.sources
    }

    /// The commodity behind an id.
    pub fn commodity(&self, id: CommodityId) -> &Commodity {
        &self.commodities[usize::from(id.0)]
    }

    /// Looks a commodity up by id or alias.
    pub fn find_commodity(&self, name: &str) -> Option<CommodityId> {
        self.commodity_names
            .get(&*key(name))
            .map(|&i| CommodityId(i as u16))
    }

    /// Looks a unit up by id or alias.
    pub fn find_unit(&self, name: &str) -> Option<&Unit> {
        self.unit_names.get(&*key(name)).map(|&i| &self.units[i])
    }

    /// Looks a party up by id or alias.
    pub fn find_party(&self, name: &str) -> Option<&Party> {
        self.party_names.get(&*key(name)).map(|&i| &self.parties[i])
    }

    /// Every name a party is known by (ids and aliases), for suggestions.
    pub fn party_names(&self) -> impl Iterator<Item = &str> + Clone {
        self.parties.iter().flat_map(|p| {
            std::iter::once(p.id.as_str()).chain(p.aliases.iter().map(String::as_str))
        })
    }

    /// The error for a party name that is neither an id nor an alias: "no party …", with the
    /// nearest names and how to declare one. The caller adds where it was written.
    pub fn unknown_party(&self, name: &str) -> crate::Error {
        crate::Error::new(
            crate::ErrorKind::Reference,
            format!("unknown party `{name}`"),
        )
        .help(crate::suggest::with_advice(
            name,
            "parties",
            self.party_names(),
            "a party is declared with [[party]] in a registry file (docs/treaty-format.md#registry-files)",
        ))
    }

    /// Looks a source up by id.
    pub fn find_source(&self, id: &str) -> Option<&SourceInfo> {
        self.source_ids.get(&*key(id)).map(|&i| &self.sources[i])
    }

    /// The unit a commodity is kept in.
    pub fn unit_of(&self, id: CommodityId) -> &str {
        &self.commodity(id).unit
    }

    /// True if `party` (as a treaty writes it) is `query` or part of it, directly or through a chain
    /// of `part_of` (`Southern Song` matches `Song`). Names compare case-insensitively and through
    /// aliases; unregistered names match only themselves.
    pub fn party_matches(&self, party: &str, query: &str) -> bool {
        let q = self
            .find_party(query)
            .map_or_else(|| key(query), |p| key(&p.id));
        let mut current = self
            .find_party(party)
            .map_or_else(|| key(party), |p| key(&p.id));
        for _ in 0..=self.parties.len() {
            if current == q {
                return true;
            }
            match self.find_party(&current).and_then(|p| p.part_of.as_deref()) {
                Some(parent) => {
                    current = self
                        .find_party(parent)
                        .map_or_else(|| key(parent), |p| key(&p.id))
                }
                None => return false,
            }
        }
        false
    }

    /// Converts `value` written in unit `unit` into the commodity's own unit, exactly.
    ///
    /// Errors (message and help, for the caller to locate) when the unit measures something else,
    /// or when the result is not exact: exactness is decided in rational arithmetic
    /// ([`crate::mul_div_exact`]), so a quotient that would need rounding is refused, never rounded.
    pub fn convert(
        &self,
        commodity: CommodityId,
        value: Decimal,
        unit: &Unit,
    ) -> Result<Decimal, (String, String)> {
        let c = self.commodity(commodity);
        if unit.measure != c.measure {
            let units: Vec<&str> = self
                .units
                .iter()
                .filter(|u| u.measure == c.measure)
                .map(|u| u.id.as_str())
                .collect();
            return Err((
                format!(
                    "{} is measured by {} but `{}` is a unit of {}",
                    c.id, c.measure, unit.id, unit.measure
                ),
                format!(
                    "use a unit of {}: {}, or declare another commodity in a registry file",
                    c.measure,
                    units.join(", ")
                ),
            ));
        }
        let own = self.find_unit(&c.unit).ok_or_else(|| {
            (
                format!("commodity {} is kept in unknown unit {}", c.id, c.unit),
                "declare the unit with [[unit]] in a registry file".to_string(),
            )
        })?;
        if unit.id == own.id {
            return Ok(value);
        }
        // Exact in rational arithmetic, never through Decimal's rounding multiply and divide.
        crate::amount::mul_div_exact(value, unit.size, own.size).map_err(|why| {
            let ratio = crate::amount::mul_div_exact(Decimal::ONE, unit.size, own.size)
                .map_or_else(
                    |_| format!("{} / {}", unit.size.normalize(), own.size.normalize()),
                    |r| r.to_string(),
                );
            let reason = match why {
                crate::amount::Inexact::Repeating => "the quotient repeats without end",
                crate::amount::Inexact::TooManyPlaces => {
                    "the quotient needs more than 28 decimal places"
                }
                crate::amount::Inexact::TooLarge => {
                    "the result exceeds the 28 significant digits an exact decimal holds"
                }
            };
            (
                format!(
                    "{value} {} is not an exact number of {} (1 {} = {ratio} {}): {reason}",
                    unit.id, own.id, unit.id, own.id
                ),
                format!(
                    "tribute never rounds an amount: write it in {}, the unit {} is kept in, or give the units sizes that make 1 {} a finite decimal number of {}",
                    own.id, c.id, unit.id, own.id
                ),
            )
        })
    }
}
