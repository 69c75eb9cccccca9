//! The registry lookups of a table worker ([`Lookups`]): the last few names found, kept as
//! written, so that the same party, commodity, unit or source on thousands of rows is found
//! without lowering its case and hashing it each time. What must hold: a hit gives what the
//! registry's own lookup gives for the same text.

use crate::amount::CommodityId;
use crate::registry::Registry;

/// The registry, with the names a table worker has already looked up: a table writes the same
/// few parties, commodities, units and sources on thousands of rows, and comparing a cell with
/// the last few names found costs less than lowering its case and hashing it each time. A hit
/// gives what [`Registry`]'s own lookup gave for the same text.
pub(crate) struct Lookups<'r, 't> {
    /// The registry looked in.
    pub reg: &'r Registry,
    parties: Recent<'t, &'r crate::registry::Party>,
    commodities: Recent<'t, CommodityId>,
    units: Recent<'t, &'r crate::registry::Unit>,
    sources: Recent<'t, &'r crate::registry::SourceInfo>,
}

/// The last few names found, as written, with what each found.
struct Recent<'t, T>(Vec<(&'t str, T)>);

impl<'t, T: Copy> Recent<'t, T> {
    /// How many names are kept: more than a table usually has of each kind.
    const KEEP: usize = 32;

    /// What `name` finds, from the names kept or else by `find` (kept if found).
    fn get(&mut self, name: &'t str, find: impl FnOnce(&str) -> Option<T>) -> Option<T> {
        // Most names differ in length or first byte: those are told apart without a call to
        // compare the bytes.
        let first = name.as_bytes().first();
        if let Some(&(_, v)) = self
            .0
            .iter()
            .find(|(n, _)| n.len() == name.len() && n.as_bytes().first() == first && *n == name)
        {
            return Some(v);
        }
        let found = find(name)?;
        if self.0.len() < Self::KEEP {
            self.0.push((name, found));
        }
        Some(found)
    }
}

impl<'r, 't> Lookups<'r, 't> {
    /// Lookups in `reg`, none made yet.
    pub(crate) fn new(reg: &'r Registry) -> Lookups<'r, 't> {
        Lookups {
            reg,
            parties: Recent(Vec::new()),
            commodities: Recent(Vec::new()),
            units: Recent(Vec::new()),
            sources: Recent(Vec::new()),
        }
    }

    /// [`Registry::find_party`].
    pub(crate) fn party(&mut self, name: &'t str) -> Option<&'r crate::registry::Party> {
        let reg = self.reg;
        self.parties.get(name, |n| reg.find_party(n))
    }

    /// [`Registry::find_commodity`].
    pub(super) fn commodity(&mut self, name: &'t str) -> Option<CommodityId> {
        let reg = self.reg;
        self.commodities.get(name, |n| reg.find_commodity(n))
    }

    /// [`Registry::find_unit`].
    pub(super) fn unit(&mut self, name: &'t str) -> Option<&'r crate::registry::Unit> {
        let reg = self.reg;
        self.units.get(name, |n| reg.find_unit(n))
    }

    /// [`Registry::find_source`].
    pub(super) fn source(&mut self, id: &'t str) -> Option<&'r crate::registry::SourceInfo> {
        let reg = self.reg;
        self.sources.get(id, |n| reg.find_source(n))
    }
}
