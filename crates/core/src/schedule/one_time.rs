//! `schedule = "one-time"`: a single payment in `year`.

use super::{FieldError, Piece, Schedule, ScheduleInput, ScheduleKind};
use crate::amount::{Basket, Year};

/// The registration of the kind.
pub static KIND: ScheduleKind = ScheduleKind {
    name: "one-time",
    keys: &["year", "amounts"],
    build,
};

fn build(input: &ScheduleInput) -> Result<Box<dyn Schedule>, FieldError> {
    let year = ScheduleInput::year_value(input.require("year", &input.year, "one-time")?)?;
    let amounts = input.basket("amounts", &input.amounts, "one-time")?;
    Ok(Box::new(OneTime { year, amounts }))
}

/// One payment.
#[derive(Debug, Clone)]
pub struct OneTime {
    /// The year it falls due.
    pub year: Year,
    /// What is paid.
    pub amounts: Basket,
}

impl Schedule for OneTime {
    fn kind(&self) -> &'static str {
        KIND.name
    }
    fn first_year(&self) -> Year {
        self.year
    }
    fn last_year(&self) -> Option<Year> {
        Some(self.year)
    }
    fn pieces(&self, _end: Year) -> Vec<Piece> {
        vec![Piece::once(self.year, self.amounts.clone())]
    }
    fn describe(&self) -> String {
        format!("once, in {}", self.year)
    }
}
