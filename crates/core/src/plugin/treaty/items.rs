//! The readers of a treaty's items, one function per kind: [`TreatyCtx::obligation`],
//! [`TreatyCtx::amendment`], [`TreatyCtx::suspension`] and [`TreatyCtx::delivery`].
//!
//! Each reads one variant of one item (a base table, or a base table patched by a reading) and
//! refuses any key its kind does not take, with the nearest key as a suggestion. What must hold:
//! amounts are exact and known to the registry; years lie in the supported range and every range
//! has `from ≤ to`; every item names a source (the file's own or the registry's).

use std::ops::Range;
use std::sync::Arc;

use toml::Spanned;

use super::readings::ItemKind;
use crate::amount::{Basket, YEAR_MAX};
use crate::error::{ErrorKind, Result};
use crate::model::{
    Action, ActionKind, Amendment, ArrearsRule, Delivery, DeliveryMode, LocalSource, Obligation,
    SourceRef, Suspension,
};
use crate::plugin::fields::{FileCtx, amounts, amounts_placed, sources, target, target_at, year};
use crate::plugin::raw::{RawAmounts, RawItem};
use crate::registry::Registry;
use crate::schedule::{self, ScheduleInput};

fn reject_keys(ctx: &FileCtx, kind: &str, raw: &RawItem, allowed: &[&str]) -> Result<()> {
    for (key, span) in raw.present_keys() {
        if !allowed.contains(&key) {
            let known = !raw.rest.contains_key(key);
            let message = if known {
                format!("`{key}` is not a key of {kind}")
            } else {
                format!("unknown field `{key}` in {kind}")
            };
            let close = crate::suggest::nearest(key, allowed.iter().copied());
            let keys = format!(
                "its keys are: {}; see docs/treaty-format.md",
                allowed.join(", ")
            );
            let help = match close.first() {
                Some(k) => format!(
                    "did you mean `{k}`? {}{}",
                    keys[..1].to_uppercase(),
                    &keys[1..]
                ),
                None => keys,
            };
            return Err(ctx.err(ErrorKind::Schema, span, message).help(help));
        }
    }
    Ok(())
}

fn spanned_i64(v: &Option<Spanned<i64>>) -> Option<(i64, Range<usize>)> {
    v.as_ref().map(|s| (*s.get_ref(), s.span()))
}

fn require<'a, T>(
    ctx: &FileCtx,
    v: &'a Option<Spanned<T>>,
    key: &str,
    what: &str,
    span: &Range<usize>,
) -> Result<&'a Spanned<T>> {
    v.as_ref().ok_or_else(|| {
        ctx.err(
            ErrorKind::Schema,
            span.clone(),
            format!("{what} needs `{key}`"),
        )
        .help(format!("add `{key} = …`; see docs/treaty-format.md"))
    })
}

pub(super) struct TreatyCtx<'a> {
    pub(super) ctx: FileCtx,
    pub(super) reg: &'a Registry,
    pub(super) local: Vec<LocalSource>,
}

impl TreatyCtx<'_> {
    fn sources(&self, raw: &RawItem, what: &str, span: &Range<usize>) -> Result<Vec<SourceRef>> {
        let s = require(&self.ctx, &raw.source, "source", what, span)?;
        sources(&self.ctx, self.reg, &self.local, s)
    }

    pub(super) fn obligation(&self, raw: &RawItem, span: Range<usize>) -> Result<Obligation> {
        let ctx = &self.ctx;
        let sched = require(ctx, &raw.schedule, "schedule", "an obligation", &span)?;
        let Some(kind) = schedule::kind(sched.get_ref()) else {
            let names: Vec<&str> = schedule::KINDS.iter().map(|k| k.name).collect();
            return Err(ctx
                .err(
                    ErrorKind::Value,
                    sched.span(),
                    format!("unknown schedule `{}`", sched.get_ref()),
                )
                .help(format!("schedule is one of: {}", names.join(", "))));
        };
        let mut allowed: Vec<&str> = ItemKind::Obligation.keys().to_vec();
        allowed.extend_from_slice(kind.keys);
        reject_keys(ctx, &format!("a {} obligation", kind.name), raw, &allowed)?;
        let basket = |v: &Option<Spanned<RawAmounts>>| -> Result<Option<(Basket, Range<usize>)>> {
            v.as_ref()
                .map(|a| amounts(ctx, self.reg, a, false).map(|b| (b, a.span())))
                .transpose()
        };
        let (total, total_places) = match &raw.total {
            Some(a) => {
                let (b, places) = amounts_placed(ctx, self.reg, a, false)?;
                (Some((b, a.span())), places)
            }
            None => (None, Vec::new()),
        };
        let read_amounts = |value: &toml::Value,
                            at: Range<usize>|
         -> std::result::Result<
            (Basket, Vec<(crate::amount::CommodityId, u32)>),
            schedule::FieldError,
        > {
            let mut table: crate::plugin::raw::RawAmounts = Default::default();
            if let toml::Value::Table(t) = value {
                for (k, v) in t {
                    table.insert(
                        Spanned::new(at.clone(), k.clone()),
                        Spanned::new(at.clone(), v.clone()),
                    );
                }
            }
            amounts_placed(ctx, self.reg, &Spanned::new(at.clone(), table), false).map_err(|e| {
                let f = schedule::FieldError::new(e.message().to_string(), at.clone());
                match e.help_text() {
                    Some(h) => f.help(h.to_string()),
                    None => f,
                }
            })
        };
        let input = ScheduleInput {
            year: spanned_i64(&raw.year),
            from: spanned_i64(&raw.from),
            to: spanned_i64(&raw.to),
            every: spanned_i64(&raw.every),
            count: spanned_i64(&raw.count),
            amounts: basket(&raw.amounts)?,
            total,
            total_places,
            extra: raw
                .rest
                .iter()
                .filter(|(k, _)| kind.keys.contains(&k.as_str()))
                .map(|(k, (_, v))| (k.clone(), (v.get_ref().clone(), v.span())))
                .collect(),
            table: span.clone(),
            read_amounts: Some(&read_amounts),
            text: Some(ctx.text()),
        };
        let schedule = (kind.build)(&input).map_err(|e| {
            let err = ctx.err(ErrorKind::Value, e.span, e.message);
            match e.help {
                Some(h) => err.help(h),
                None => err,
            }
        })?;
        // Each key is in range; where the payments end follows from several (`count`, `every`).
        if let Some(last) = schedule.last_year().filter(|&y| y > YEAR_MAX) {
            let at = raw.count.as_ref().map_or(span.clone(), |c| c.span());
            return Err(ctx
                .err(
                    ErrorKind::Value,
                    at,
                    format!("the last payment would fall in {last}, after {YEAR_MAX}, the last year supported"),
                )
                .help("check `from`, `count` and `every`: the payments must end by 9999"));
        }
        let delivery = match raw
            .delivery
            .as_ref()
            .map(|d| (d.get_ref().as_str(), d.span()))
        {
            None | Some(("as-owed", _)) => DeliveryMode::AsOwed,
            Some(("unknown", _)) => DeliveryMode::Unknown,
            Some(("none", _)) => DeliveryMode::None,
            Some((other, s)) => {
                return Err(ctx
                    .err(ErrorKind::Value, s, format!("unknown delivery `{other}`"))
                    .help("delivery is \"as-owed\" (the default), \"unknown\" or \"none\""));
            }
        };
        let ground = raw.ground.as_ref().map(|g| (g.get_ref().clone(), g.span()));
        if let (Some((_, at)), false) = (&ground, delivery == DeliveryMode::AsOwed) {
            return Err(ctx
                .err(
                    ErrorKind::Schema,
                    at.clone(),
                    format!("`ground` says why payments are assumed made as owed, but this obligation's delivery is `{}`", delivery.as_str()),
                )
                .help("remove `ground`, or set delivery = \"as-owed\" if the file assumes the payments were made"));
        }
        Ok(Obligation {
            schedule: Arc::from(schedule),
            delivery,
            ground: ground.map(|g| g.0),
            label: raw.label.as_ref().map(|l| l.get_ref().clone()),
            sources: self.sources(raw, "an obligation", &span)?,
            note: raw.note.as_ref().map(|n| n.get_ref().clone()),
        })
    }

    pub(super) fn amendment(&self, raw: &RawItem, span: Range<usize>) -> Result<Amendment> {
        let ctx = &self.ctx;
        let action = require(ctx, &raw.action, "action", "an amendment", &span)?;
        let allowed: &[&str] = match action.get_ref().as_str() {
            "adjust" => ItemKind::Amendment.keys(),
            "supersede" | "end" | "write-off" => &[
                "id", "reading", "action", "target", "from", "source", "note",
            ],
            "reschedule" => &[
                "id", "reading", "action", "target", "from", "into", "source", "note",
            ],
            "reduce" => &[
                "id", "reading", "action", "target", "from", "balance", "source", "note",
            ],
            other => {
                let names: Vec<&str> = ActionKind::ALL.iter().map(|a| a.as_str()).collect();
                let close = crate::suggest::nearest(other, names.iter().copied());
                let mut help = format!("action is one of: {}", names.join(", "));
                if let Some(c) = close.first() {
                    help = format!("did you mean `{c}`? {help}");
                }
                return Err(ctx
                    .err(
                        ErrorKind::Value,
                        action.span(),
                        format!("unknown action `{other}`"),
                    )
                    .help(help));
            }
        };
        reject_keys(
            ctx,
            &format!("an {} amendment", action.get_ref()),
            raw,
            allowed,
        )?;
        let target = target(
            ctx,
            require(ctx, &raw.target, "target", "an amendment", &span)?,
        )?;
        let from = year(ctx, require(ctx, &raw.from, "from", "an amendment", &span)?)?;
        let action = if action.get_ref() == "adjust" {
            let a = require(ctx, &raw.amounts, "amounts", "an adjust amendment", &span)?;
            let to = match &raw.to {
                Some(t) => {
                    let to = year(ctx, t)?;
                    if to < from {
                        return Err(ctx
                            .err(ErrorKind::Value, t.span(), format!("`to` ({to}) is before `from` ({from})"))
                            .help("a year range is inclusive at both ends: `to` must be `from` or later"));
                    }
                    Some(to)
                }
                None => None,
            };
            Action::Adjust {
                amounts: amounts(ctx, self.reg, a, true)?,
                to,
            }
        } else {
            match action.get_ref().as_str() {
                "supersede" => Action::Supersede,
                "write-off" => Action::WriteOff,
                "reschedule" => {
                    let into = require(ctx, &raw.into, "into", "a reschedule amendment", &span)?;
                    let into = self::target(ctx, into)?;
                    if into.obligation.is_none() {
                        return Err(ctx
                            .err(ErrorKind::Value, into.at.span.clone(), "a balance is rescheduled into one obligation")
                            .help("write into = \"TREATY-ID/OBLIGATION-ID\": the obligation that carries the new schedule"));
                    }
                    Action::Reschedule { into }
                }
                "reduce" => {
                    let b = require(ctx, &raw.balance, "balance", "a reduce amendment", &span)?;
                    Action::Reduce {
                        balance: amounts(ctx, self.reg, b, false)?,
                    }
                }
                _ => Action::End,
            }
        };
        Ok(Amendment {
            action,
            target,
            from,
            sources: self.sources(raw, "an amendment", &span)?,
            note: raw.note.as_ref().map(|n| n.get_ref().clone()),
        })
    }

    pub(super) fn suspension(&self, raw: &RawItem, span: Range<usize>) -> Result<Suspension> {
        let ctx = &self.ctx;
        reject_keys(ctx, "a suspension", raw, ItemKind::Suspension.keys())?;
        let targets_raw = require(ctx, &raw.targets, "targets", "a suspension", &span)?;
        let Some(names) = targets_raw.get_ref().strings() else {
            return Err(ctx
                .err(
                    ErrorKind::Schema,
                    targets_raw.span(),
                    "targets is an array of stream references",
                )
                .help("write targets = [\"TREATY-ID/OBLIGATION-ID\", \"TREATY-ID\"]"));
        };
        let targets = names
            .iter()
            .map(|t| target_at(ctx, t, targets_raw.span()))
            .collect::<Result<Vec<_>>>()?;
        if targets.is_empty() {
            return Err(ctx.err(
                ErrorKind::Value,
                targets_raw.span(),
                "a suspension needs at least one target",
            ));
        }
        let from = year(ctx, require(ctx, &raw.from, "from", "a suspension", &span)?)?;
        let to_raw = require(ctx, &raw.to, "to", "a suspension", &span)?;
        let to = year(ctx, to_raw)?;
        if to < from {
            return Err(ctx
                .err(
                    ErrorKind::Value,
                    to_raw.span(),
                    format!("`to` ({to}) is before `from` ({from})"),
                )
                .help("a year range is inclusive at both ends: `to` must be `from` or later"));
        }
        let arrears = match raw
            .arrears
            .as_ref()
            .map(|a| (a.get_ref().as_str(), a.span()))
        {
            None | Some(("accrue", _)) => ArrearsRule::Accrue,
            Some(("lapse", _)) => ArrearsRule::Lapse,
            Some((other, at)) => {
                return Err(ctx
                    .err(ErrorKind::Value, at, format!("unknown arrears rule `{other}`"))
                    .help("arrears is \"accrue\" (the default: what fell due stays owed) or \"lapse\" (nothing of those years is owed later)"));
            }
        };
        Ok(Suspension {
            targets,
            from,
            to,
            arrears,
            reason: raw.reason.as_ref().map(|r| r.get_ref().clone()),
            sources: self.sources(raw, "a suspension", &span)?,
            note: raw.note.as_ref().map(|n| n.get_ref().clone()),
        })
    }

    pub(super) fn delivery(&self, raw: &RawItem, span: Range<usize>) -> Result<Delivery> {
        let ctx = &self.ctx;
        reject_keys(ctx, "a delivery", raw, ItemKind::Delivery.keys())?;
        let target = target(
            ctx,
            require(ctx, &raw.target, "target", "a delivery", &span)?,
        )?;
        if target.obligation.is_none() {
            return Err(ctx
                .err(
                    ErrorKind::Value,
                    target.at.span.clone(),
                    "a delivery is recorded against one obligation",
                )
                .help("write target = \"TREATY-ID/OBLIGATION-ID\""));
        }
        let year = year(ctx, require(ctx, &raw.year, "year", "a delivery", &span)?)?;
        let a = require(ctx, &raw.amounts, "amounts", "a delivery", &span)?;
        Ok(Delivery {
            target,
            year,
            amounts: amounts(ctx, self.reg, a, false)?,
            sources: self.sources(raw, "a delivery", &span)?,
            note: raw.note.as_ref().map(|n| n.get_ref().clone()),
        })
    }
}
