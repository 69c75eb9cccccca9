//! The treaty model: treaties, their obligations, amendments, suspensions and recorded deliveries,
//! each with its readings.
//!
//! Everything here is validated: a value of these types was checked against the registry when it was
//! loaded. An item with several readings keeps one [`Variant`] per reading; the first is the file's
//! default. Cross-treaty references (amendment targets…) are checked when a corpus is assembled.

use std::fmt;

use compact_str::CompactString;
use std::sync::Arc;

use crate::amount::{Basket, Year};
use crate::error::Location;
use crate::schedule::Schedule;

/// Whether a treaty bound anyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Agreed and in force (for at least part of its life).
    InForce,
    /// A demand: asked for, not (or not known to be) agreed as a regular obligation.
    Demand,
    /// Agreed but never in force.
    NeverInForce,
}

impl Status {
    /// All statuses, in order.
    pub const ALL: [Status; 3] = [Status::InForce, Status::Demand, Status::NeverInForce];

    /// The name used in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::InForce => "in-force",
            Status::Demand => "demand",
            Status::NeverInForce => "never-in-force",
        }
    }

    /// Parses a file or command-line name.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What is known about delivery of an obligation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeliveryMode {
    /// Delivered as owed, except in suspended years.
    AsOwed,
    /// Not known; only recorded deliveries count as delivered.
    Unknown,
    /// Nothing was delivered (beyond recorded deliveries, if any).
    None,
}

impl DeliveryMode {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryMode::AsOwed => "as-owed",
            DeliveryMode::Unknown => "unknown",
            DeliveryMode::None => "none",
        }
    }
}

/// A citation: a source id and where in it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SourceRef {
    /// The source's id (in the registry or the treaty file).
    pub id: String,
    /// Page, section or other locator.
    pub locator: Option<String>,
}

impl fmt::Display for SourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.locator {
            Some(l) => write!(f, "{}, {l}", self.id),
            None => f.write_str(&self.id),
        }
    }
}

/// A reference to a stream: a whole treaty or one of its obligations.
#[derive(Debug, Clone)]
pub struct Target {
    /// Treaty id.
    pub treaty: String,
    /// Obligation id, or `None` for all of the treaty's obligations.
    pub obligation: Option<String>,
    /// Where the reference is written.
    pub at: Location,
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.obligation {
            Some(o) => write!(f, "{}/{o}", self.treaty),
            None => f.write_str(&self.treaty),
        }
    }
}

/// One reading of an item.
#[derive(Debug, Clone)]
pub struct Variant<T> {
    /// The reading's name, or `None` when the item has only one reading.
    pub reading: Option<String>,
    /// The item as this reading gives it.
    pub def: T,
    /// Where this reading is written.
    pub at: Location,
}

/// An item with its readings; `variants[0]` is the file's default.
#[derive(Debug, Clone)]
pub struct Item<T> {
    /// Id, unique within its kind in the treaty.
    pub id: CompactString,
    /// One variant per reading, default first.
    pub variants: Vec<Variant<T>>,
}

impl<T> Item<T> {
    /// The reading names this item offers (empty if it has only one reading).
    pub fn reading_names(&self) -> impl Iterator<Item = &str> {
        self.variants.iter().filter_map(|v| v.reading.as_deref())
    }

    /// The default variant.
    pub fn default_variant(&self) -> &Variant<T> {
        &self.variants[0]
    }
}

/// An obligation: something one party owes another on a schedule.
#[derive(Debug, Clone)]
pub struct Obligation {
    /// When and how much.
    pub schedule: Arc<dyn Schedule>,
    /// What is known of delivery.
    pub delivery: DeliveryMode,
    /// For `as-owed`: why the file assumes the payments were made as owed (`ground = "…"`), if it
    /// says. Reports call such deliveries *assumed*, never recorded, with or without a ground.
    pub ground: Option<String>,
    /// Who pays this obligation, if not the treaty's payer (`payer = "…"`).
    pub payer: Option<String>,
    /// Who receives it, if not the treaty's payee (`payee = "…"`: a loan's lenders).
    pub payee: Option<String>,
    /// For a loan: the obligation whose payments its proceeds made (`finances =
    /// "TREATY/OBLIGATION"`), so reports can show the two debts and their sum apart.
    pub finances: Option<Target>,
    /// For a loan: what the borrower actually received (`received = {…}`), below the face value
    /// when the loan was issued at a discount.
    pub received: Option<Basket>,
    /// Label overriding the treaty's (`indemnity` inside a `tribute` treaty…).
    pub label: Option<String>,
    /// Where the figures come from.
    pub sources: Vec<SourceRef>,
    /// Free text.
    pub note: Option<String>,
}

/// What an amendment does to its target.
#[derive(Debug, Clone)]
pub enum Action {
    /// Adds `amounts` (possibly negative) to each payment from `from` (to `to`, if given).
    Adjust {
        /// The change per payment.
        amounts: Basket,
        /// Last year the change applies, if not the target's end.
        to: Option<Year>,
    },
    /// The target is replaced: nothing of it is owed from `from` on.
    Supersede,
    /// The target ends: nothing of it is owed from `from` on.
    End,
    /// The arrears outstanding at the start of `from` are forgiven (nothing else changes).
    WriteOff,
    /// The arrears outstanding at the start of `from` are replaced by a new schedule: the
    /// obligation `into` (of the amending treaty, usually) now carries the balance.
    Reschedule {
        /// The obligation that carries the new schedule.
        into: Target,
    },
    /// The arrears outstanding at the start of `from` are cut to `balance` (per commodity; a
    /// commodity not named keeps its balance), still owed as arrears.
    Reduce {
        /// The new balance.
        balance: Basket,
    },
}

impl Action {
    /// The name used in files.
    pub fn as_str(&self) -> &'static str {
        self.kind().as_str()
    }

    /// What kind of action it is, without its data.
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Adjust { .. } => ActionKind::Adjust,
            Action::Supersede => ActionKind::Supersede,
            Action::End => ActionKind::End,
            Action::WriteOff => ActionKind::WriteOff,
            Action::Reschedule { .. } => ActionKind::Reschedule,
            Action::Reduce { .. } => ActionKind::Reduce,
        }
    }

    /// True for the actions that settle arrears rather than change what falls due.
    pub fn is_settlement(&self) -> bool {
        self.kind().is_settlement()
    }
}

/// The kind of an amendment's action, as applied to a stream.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ActionKind {
    /// The amounts change from a year on.
    Adjust,
    /// The stream is replaced from a year on.
    Supersede,
    /// The stream ends from a year on.
    End,
    /// The arrears outstanding in a year are forgiven.
    WriteOff,
    /// The arrears outstanding in a year are replaced by a new schedule.
    Reschedule,
    /// The arrears outstanding in a year are cut to a new balance.
    Reduce,
}

impl ActionKind {
    /// The name used in files (`adjust`, `supersede`, `end`).
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Adjust => "adjust",
            ActionKind::Supersede => "supersede",
            ActionKind::End => "end",
            ActionKind::WriteOff => "write-off",
            ActionKind::Reschedule => "reschedule",
            ActionKind::Reduce => "reduce",
        }
    }

    /// Every action, in the order the docs give them.
    pub const ALL: [ActionKind; 6] = [
        ActionKind::Adjust,
        ActionKind::Supersede,
        ActionKind::End,
        ActionKind::WriteOff,
        ActionKind::Reschedule,
        ActionKind::Reduce,
    ];

    /// True for write-off, reschedule and reduce, which settle arrears.
    pub fn is_settlement(self) -> bool {
        matches!(
            self,
            ActionKind::WriteOff | ActionKind::Reschedule | ActionKind::Reduce
        )
    }
}

impl std::fmt::Display for ActionKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A change a treaty makes to an earlier stream.
#[derive(Debug, Clone)]
pub struct Amendment {
    /// What it does.
    pub action: Action,
    /// The stream(s) changed.
    pub target: Target,
    /// First year affected.
    pub from: Year,
    /// Where the figures come from.
    pub sources: Vec<SourceRef>,
    /// Free text.
    pub note: Option<String>,
}

/// What becomes of payments that fall due in suspended years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ArrearsRule {
    /// They stay owed: arrears grow until delivered or settled (the default).
    Accrue,
    /// The obligation lapsed for those years: nothing is owed later.
    Lapse,
}

impl ArrearsRule {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            ArrearsRule::Accrue => "accrue",
            ArrearsRule::Lapse => "lapse",
        }
    }
}

/// Years in which streams were owed but not delivered.
#[derive(Debug, Clone)]
pub struct Suspension {
    /// The streams suspended.
    pub targets: Vec<Target>,
    /// First year, inclusive.
    pub from: Year,
    /// Last year, inclusive.
    pub to: Year,
    /// Why (a war…).
    pub reason: Option<String>,
    /// Whether what fell due in those years stays owed.
    pub arrears: ArrearsRule,
    /// Where the years come from.
    pub sources: Vec<SourceRef>,
    /// Free text.
    pub note: Option<String>,
}

/// A recorded delivery against a stream whose delivery is otherwise unknown.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// The stream delivered against (one obligation).
    pub target: Target,
    /// The year of delivery.
    pub year: Year,
    /// What was handed over (may be empty: nothing recorded).
    pub amounts: Basket,
    /// Where the figures come from.
    pub sources: Vec<SourceRef>,
    /// Free text.
    pub note: Option<String>,
}

/// What a claim's value counts: years of the other treaty's yearly flow, or a plain ratio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClaimUnit {
    /// `compare`'s total as years of `against`'s yearly flow.
    Years,
    /// `compare`'s total divided by `against`'s total.
    Ratio,
    /// `compare`'s own total owed (principal and interest, every year) of one commodity, in
    /// that commodity's unit: no book, no other treaty.
    Total,
    /// One stream's share of its treaty's principal (or of what it owes) in one commodity:
    /// `compare` is `TREATY/OBLIGATION`; no book, no other treaty.
    Share,
}

/// What a `share` claim divides: the principal (what is owed less interest), or all that is owed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SharePart {
    /// The principal: what is owed less its interest.
    Principal,
    /// Everything owed, principal and interest.
    Owed,
}

impl SharePart {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            SharePart::Principal => "principal",
            SharePart::Owed => "owed",
        }
    }
}

impl ClaimUnit {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimUnit::Years => "years",
            ClaimUnit::Ratio => "ratio",
            ClaimUnit::Total => "total",
            ClaimUnit::Share => "share",
        }
    }
}

/// How far a computed value may lie from a claim's value and still agree with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tolerance {
    /// Plus or minus this much, in the claim's unit.
    Absolute(rust_decimal::Decimal),
    /// Plus or minus this percentage of the claim's value.
    Percent(rust_decimal::Decimal),
}

impl fmt::Display for Tolerance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tolerance::Absolute(d) => write!(f, "±{}", d.normalize()),
            Tolerance::Percent(p) => write!(f, "±{}%", p.normalize()),
        }
    }
}

/// A statement a source makes about the numbers, recorded with its tolerance (`[[claim]]`).
#[derive(Debug, Clone)]
pub struct Claim {
    /// Id, unique among the file's claims.
    pub id: String,
    /// What the source says, in our words.
    pub statement: String,
    /// The treaty whose total is measured (every stream, any status).
    pub compare: Target,
    /// The treaty it is measured against (its yearly flow, or its total for a ratio); for a
    /// `total` claim, `compare` itself.
    pub against: Target,
    /// For a `total` or `share` claim: the commodity whose total is claimed.
    pub commodity: Option<crate::amount::CommodityId>,
    /// For a `share` claim: what is divided (principal by default).
    pub part: SharePart,
    /// The value the source states.
    pub value: rust_decimal::Decimal,
    /// How close a computed value must come.
    pub tolerance: Tolerance,
    /// Years or a ratio.
    pub unit: ClaimUnit,
    /// The year of `against`'s flow, if not its first payment year (years only).
    pub year: Option<Year>,
    /// Who makes the claim.
    pub sources: Vec<SourceRef>,
    /// Free text.
    pub note: Option<String>,
    /// Where it is written.
    pub at: Location,
}

impl Claim {
    /// The band of values that agree with the claim, `(lowest, highest)`, exact.
    pub fn band(&self) -> crate::error::Result<(rust_decimal::Decimal, rust_decimal::Decimal)> {
        let width = match self.tolerance {
            Tolerance::Absolute(d) => d,
            Tolerance::Percent(p) => {
                let product = self.value.checked_mul(p).ok_or_else(|| {
                    crate::error::Error::new(
                        crate::error::ErrorKind::Overflow,
                        "the claim's tolerance is too large",
                    )
                })?;
                product
                    .checked_div(rust_decimal::Decimal::ONE_HUNDRED)
                    .ok_or_else(|| {
                        crate::error::Error::new(
                            crate::error::ErrorKind::Overflow,
                            "the claim's tolerance is too large",
                        )
                    })?
            }
        };
        Ok((
            crate::amount::sub(self.value, width)?,
            crate::amount::add(self.value, width)?,
        ))
    }
}

/// A source declared in a treaty file.
#[derive(Debug, Clone)]
pub struct LocalSource {
    /// Id.
    pub id: String,
    /// Full citation.
    pub title: String,
    /// Quality grade.
    pub quality: crate::registry::Quality,
    /// Free text.
    pub note: Option<String>,
}

/// A treaty file, validated.
#[derive(Debug, Clone)]
pub struct Treaty {
    /// Id (the file stem).
    pub id: CompactString,
    /// Name.
    pub name: CompactString,
    /// Who pays: a party of the registry, by its id (the file may write an alias).
    pub payer: CompactString,
    /// Who receives: a party of the registry, by its id.
    pub payee: CompactString,
    /// Year signed (or made, for a demand).
    pub signed: Year,
    /// Status.
    pub status: Status,
    /// Label (tribute, payment, indemnity…).
    pub label: CompactString,
    /// One or two sentences.
    pub summary: Option<String>,
    /// What is uncertain or left out.
    pub notes: Option<String>,
    /// The treaty's general sources.
    pub sources: Vec<SourceRef>,
    /// Sources declared in the file itself.
    pub local_sources: Vec<LocalSource>,
    /// What it obliges.
    pub obligations: Vec<Item<Obligation>>,
    /// What it changes in earlier streams.
    pub amendments: Vec<Item<Amendment>>,
    /// Years it records as suspended.
    pub suspensions: Vec<Item<Suspension>>,
    /// Deliveries it records.
    pub deliveries: Vec<Item<Delivery>>,
    /// Claims sources make about its numbers, checked by `tribute check`.
    pub claims: Vec<Claim>,
    /// The file, as shown to users.
    pub path: String,
    /// The start of the file, for errors about the treaty as a whole.
    pub at: Location,
}

impl Treaty {
    /// Every reading name offered by any item of this treaty, sorted and deduplicated.
    pub fn reading_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .obligations
            .iter()
            .flat_map(|i| i.reading_names())
            .chain(self.amendments.iter().flat_map(|i| i.reading_names()))
            .chain(self.suspensions.iter().flat_map(|i| i.reading_names()))
            .chain(self.deliveries.iter().flat_map(|i| i.reading_names()))
            .map(str::to_string)
            .collect();
        names.sort();
        names.dedup();
        names
    }
}
