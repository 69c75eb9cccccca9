//! The timeline's parts: one bar per payment stream, split into segments by what is known of
//! delivery, with a stripe per commodity and the events marked on it.
//!
//! What must hold: a bar's segments cover its years exactly once, in order (the builder's
//! promise, checked by the tests).

use serde::Serialize;
use tribute_core::Year;

use super::Mark;

/// What part of a stream's life a bar segment shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SegmentKind {
    /// A delivery record (with its source) says something was handed over that year.
    Recorded,
    /// Owed and assumed paid, as the treaty file assumes: no record says so.
    Assumed,
    /// Owed but suspended, nothing delivered: what fell due accrues as arrears.
    Suspended,
    /// Suspended, and the obligation lapsed for those years: nothing of them is owed later.
    SuspendedLapsed,
    /// Owed, delivery unknown.
    DeliveryUnknown,
    /// Owed and withheld (known not delivered): what fell due accrues as arrears.
    NotDelivered,
}

impl SegmentKind {
    /// Every kind, in the order the legend names them.
    pub const ALL: [SegmentKind; 6] = [
        SegmentKind::Recorded,
        SegmentKind::Assumed,
        SegmentKind::Suspended,
        SegmentKind::SuspendedLapsed,
        SegmentKind::DeliveryUnknown,
        SegmentKind::NotDelivered,
    ];

    /// The legend text.
    pub fn legend(self) -> &'static str {
        match self {
            SegmentKind::Recorded => "full colour: recorded",
            SegmentKind::Assumed => "pale: assumed paid, no record",
            SegmentKind::Suspended => "suspended, arrears accrue",
            SegmentKind::SuspendedLapsed => "suspended, lapsed",
            SegmentKind::DeliveryUnknown => "delivery unknown",
            SegmentKind::NotDelivered => "withheld, arrears accrue",
        }
    }
}

/// Years of a bar in one state, inclusive at both ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Segment {
    /// First year.
    pub from: Year,
    /// Last year.
    pub to: Year,
    /// The state.
    pub kind: SegmentKind,
}

/// An event on a bar (an amendment, a recorded delivery).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct BarMark {
    /// The year.
    pub year: Year,
    /// What happened.
    pub label: String,
}

/// A band of a timeline bar in the colour of one commodity the stream pays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stripe {
    /// The commodity's id.
    pub commodity: String,
    /// Its colour, as `#rrggbb`.
    pub color: String,
}

/// One stream on a timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bar {
    /// The row label (treaty and obligation).
    pub label: String,
    /// The stream's key, `treaty/obligation`.
    pub stream: String,
    /// Its group (the payee).
    pub group: String,
    /// The mark of its group, drawn by the label; `None` if the chart has one group.
    pub mark: Option<Mark>,
    /// One stripe per commodity the stream pays, top to bottom in the registry's order: the
    /// recorded years are drawn in these colours, the years assumed paid in pale tints of them.
    pub stripes: Vec<Stripe>,
    /// First year anything falls due.
    pub from: Year,
    /// Last year anything falls due.
    pub to: Year,
    /// The years `from..=to`, split by state, in order, without gaps or overlaps.
    pub segments: Vec<Segment>,
    /// Amendments and recorded deliveries, by year.
    pub marks: Vec<BarMark>,
}
