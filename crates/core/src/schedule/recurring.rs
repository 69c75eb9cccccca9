//! `schedule = "recurring"`: the same payment every `every` years from `from`, to `to` or open-ended.
//!
//! An open-ended stream runs until an amendment ends it, or to the end of its parties' existence
//! (the resolver passes that bound to [`Schedule::pieces`]).

use super::{FieldError, Piece, Schedule, ScheduleInput, ScheduleKind};
use crate::amount::{Basket, Year};

/// The registration of the kind.
pub static KIND: ScheduleKind = ScheduleKind {
    name: "recurring",
    keys: &["from", "to", "every", "amounts"],
    build,
};

fn build(input: &ScheduleInput) -> Result<Box<dyn Schedule>, FieldError> {
    let from = ScheduleInput::year_value(input.require("from", &input.from, "recurring")?)?;
    let to = match input.to.clone() {
        Some(v) => {
            let span = v.1.clone();
            let to = ScheduleInput::year_value(v)?;
            if to < from {
                return Err(FieldError::new(
                    format!("`to` ({to}) is before `from` ({from})"),
                    span,
                )
                .help("a year range is inclusive at both ends: `to` must be `from` or later"));
            }
            Some(to)
        }
        None => None,
    };
    let every = match input.every.clone() {
        Some(v) => ScheduleInput::positive(v, "every")?,
        None => 1,
    };
    let amounts = input.basket("amounts", &input.amounts, "recurring")?;
    Ok(Box::new(Recurring {
        from,
        to,
        every,
        amounts,
    }))
}

/// A recurring payment.
#[derive(Debug, Clone)]
pub struct Recurring {
    /// First payment year.
    pub from: Year,
    /// Last year a payment may fall in, if fixed.
    pub to: Option<Year>,
    /// Years between payments.
    pub every: u32,
    /// Each payment.
    pub amounts: Basket,
}

impl Schedule for Recurring {
    fn kind(&self) -> &'static str {
        KIND.name
    }
    fn first_year(&self) -> Year {
        self.from
    }
    fn last_year(&self) -> Option<Year> {
        self.to
            .and_then(|to| Piece::span(self.from, to, self.every, Basket::new()).map(|p| p.last()))
    }
    fn pieces(&self, end: Year) -> Vec<Piece> {
        Piece::span(
            self.from,
            self.to.unwrap_or(end),
            self.every,
            self.amounts.clone(),
        )
        .into_iter()
        .collect()
    }
    fn is_yearly_flow(&self) -> bool {
        true
    }
    fn describe(&self) -> String {
        let every = if self.every == 1 {
            "every year".to_string()
        } else {
            format!("every {} years", self.every)
        };
        match self.to {
            Some(to) => format!("{every} from {} to {to}", self.from),
            None => format!("{every} from {} (open-ended)", self.from),
        }
    }
}
