//! Loans tied to an indemnity: the "double debt". A loan is an obligation whose file says which
//! stream its proceeds paid (`finances = "TREATY/OBLIGATION"`) and what the borrower received
//! (`received = {…}`). For each such loan a report shows, per commodity and over the report's
//! years, the indemnity, the loan's service, their sum (the double debt), the proceeds received
//! and the sum less the proceeds (what the borrower paid from its own purse: the proceeds went
//! to the indemnity's creditor and were repaid through the service, so the plain sum counts them
//! twice). Each figure names the sources of the stream it comes from.
//!
//! What must hold: every figure is the engine's own per-stream sum ([`crate::engine`]) over the
//! same years as the rest of the report; amounts of different commodities are never added (one
//! row per commodity); a loan is shown when the report selects it or the stream it finances.

use std::collections::BTreeSet;

use schemars::JsonSchema;
use serde::Serialize;

use super::{Dec, SourceOut};
use crate::amount::{CommodityId, Year, sub};
use crate::engine::{Query, stream_owed};
use crate::error::Result;
use crate::loader::Corpus;
use crate::resolve::Resolved;

/// What the rows of [`DoubleDebtOut`] mean, in words (printed under the table).
pub const DOUBLE_DEBT_NOTE: &str = "double debt = the indemnity owed + the loan's service owed; less proceeds = that sum less what the loan's proceeds brought in (they paid the indemnity and were repaid through the service, so the plain sum counts them twice)";

/// One loan tied to the stream it financed, per commodity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct DoubleDebtOut {
    /// The loan's stream (`treaty/obligation`).
    pub loan: String,
    /// The stream its proceeds paid.
    pub finances: String,
    /// Who borrowed (the loan's payer).
    pub borrower: String,
    /// Who lent (the loan's payee).
    pub lenders: String,
    /// Who received the indemnity (the financed stream's payee).
    pub creditor: String,
    /// Commodity id.
    pub commodity: String,
    /// The unit of the amounts.
    pub unit: String,
    /// The indemnity owed in the report's years.
    pub indemnity: Dec,
    /// The loan's service owed in the report's years (what its schedule says falls due).
    pub loan_service: Dec,
    /// The part of the service that is interest (zero for a schedule without interest).
    pub loan_interest: Dec,
    /// The part of the service that repays the loan's principal.
    pub loan_principal: Dec,
    /// The two together: the double debt.
    pub double_debt: Dec,
    /// What the loan's proceeds brought in, as its file says (counted in full when the report's
    /// years include the loan's first year, else zero).
    pub received: Dec,
    /// The double debt less the proceeds.
    pub less_proceeds: Dec,
    /// The sources of the indemnity's figures.
    pub indemnity_sources: Vec<SourceOut>,
    /// The sources of the loan's figures.
    pub loan_sources: Vec<SourceOut>,
}

/// The loans the report touches, with the stream each financed, per commodity.
pub fn double_debts(
    corpus: &Corpus,
    resolved: &Resolved,
    query: &Query,
) -> Result<Vec<DoubleDebtOut>> {
    let reg = &corpus.registry;
    let lo = query.from.unwrap_or(Year::MIN);
    let hi = query.to.unwrap_or(Year::MAX);
    let mut out = Vec::new();
    for loan in &resolved.streams {
        let Some(target) = &loan.finances else {
            continue;
        };
        let Some(financed) = resolved.streams.iter().find(|s| &s.key() == target) else {
            continue;
        };
        if !query.selects(corpus, loan) && !query.selects(corpus, financed) {
            continue;
        }
        let (indemnity, _) = stream_owed(corpus, financed, lo, hi)?;
        let (service, service_interest) = stream_owed(corpus, loan, lo, hi)?;
        // The proceeds arrive when the loan starts: counted if the report's years reach it.
        let starts_in = loan
            .span()
            .is_some_and(|(first, _)| lo <= first && first <= hi);
        let received = match (&loan.received, starts_in) {
            (Some(r), true) => r.clone(),
            _ => crate::amount::Basket::new(),
        };
        let commodities: BTreeSet<CommodityId> = indemnity
            .commodities()
            .chain(service.commodities())
            .chain(received.commodities())
            .collect();
        for c in commodities {
            let both = crate::amount::add(indemnity.get(c), service.get(c))?;
            let got = received.get(c);
            if both.is_zero() && got.is_zero() {
                continue;
            }
            out.push(DoubleDebtOut {
                loan: loan.key(),
                finances: financed.key(),
                borrower: loan.payer.to_string(),
                lenders: loan.payee.to_string(),
                creditor: financed.payee.to_string(),
                commodity: reg.commodity(c).id.clone(),
                unit: reg.unit_of(c).to_string(),
                indemnity: Dec(indemnity.get(c).normalize()),
                loan_service: Dec(service.get(c).normalize()),
                loan_interest: Dec(service_interest.get(c).normalize()),
                loan_principal: Dec(sub(service.get(c), service_interest.get(c))?.normalize()),
                double_debt: Dec(both.normalize()),
                received: Dec(got.normalize()),
                less_proceeds: Dec(sub(both, got)?.normalize()),
                indemnity_sources: super::sources_of(corpus, [financed]),
                loan_sources: super::sources_of(corpus, [loan]),
            });
        }
    }
    Ok(out)
}
