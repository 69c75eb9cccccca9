//! A schedule kind that exists only in tests, to show and check that a kind is one module plus
//! one line in [`super::KINDS`]: `schedule = "rising"` pays `amounts` in `from`, then the same
//! plus `step` more each year, `count` payments in all. Its `step` key is its own: the loader
//! knows nothing of it and hands it over in [`ScheduleInput::extra`].
//!
//! What must hold (checked by the tests below): the kind's own key is read exactly, a float is
//! refused at its place, an unknown key is refused, and the engine totals the kind's pieces
//! without any change outside this file.

use super::{FieldError, Piece, Schedule, ScheduleInput, ScheduleKind};
use crate::amount::{Basket, Year};

/// The registration of the kind.
pub static KIND: ScheduleKind = ScheduleKind {
    name: "rising",
    keys: &["from", "count", "amounts", "step"],
    build,
};

fn build(input: &ScheduleInput) -> Result<Box<dyn Schedule>, FieldError> {
    let from = ScheduleInput::year_value(input.require("from", &input.from, "rising")?)?;
    let count = ScheduleInput::positive(input.require("count", &input.count, "rising")?, "count")?;
    let amounts = input.basket("amounts", &input.amounts, "rising")?;
    let (step, span) = input.decimal("step")?.ok_or_else(|| {
        FieldError::new("a rising schedule needs `step`", input.table.clone())
            .help("add step = \"100\": how much more each payment is than the one before")
    })?;
    let mut pieces = Vec::new();
    let mut each = amounts.clone();
    for k in 0..count {
        let year = i64::from(from)
            .checked_add(i64::from(k))
            .and_then(|y| Year::try_from(y).ok())
            .ok_or_else(|| {
                FieldError::new("a payment falls beyond the year range", span.clone())
            })?;
        pieces.push(Piece::once(year, each.clone()));
        let mut next = Basket::new();
        for (c, a) in each.iter() {
            let sum = crate::amount::add(a, step)
                .map_err(|e| FieldError::new(e.message().to_string(), span.clone()))?;
            next.add_amount(c, sum)
                .map_err(|e| FieldError::new(e.message().to_string(), span.clone()))?;
        }
        each = next;
    }
    Ok(Box::new(Rising { from, pieces }))
}

/// Payments that rise by a step each year.
#[derive(Debug, Clone)]
pub struct Rising {
    from: Year,
    pieces: Vec<Piece>,
}

impl Schedule for Rising {
    fn kind(&self) -> &'static str {
        KIND.name
    }
    fn first_year(&self) -> Year {
        self.from
    }
    fn last_year(&self) -> Option<Year> {
        self.pieces.last().map(|p| p.start)
    }
    fn pieces(&self, _end: Year) -> Vec<Piece> {
        self.pieces.clone()
    }
    fn describe(&self) -> String {
        format!(
            "{} payments rising each year from {}",
            self.pieces.len(),
            self.from
        )
    }
}

#[cfg(test)]
mod tests {

    use rust_decimal::Decimal;

    use crate::corpus::Corpus;
    use crate::engine::{GroupBy, Query, Totals};
    use crate::model::Status;
    use crate::plugin::{Layer, PluginFile};
    use crate::resolve::{Readings, Resolved};

    fn corpus(obligation: &str) -> Result<Corpus, Vec<crate::Error>> {
        let text = format!(
            "name = \"A rising test\"\npayer = \"Song\"\npayee = \"Jin\"\nsigned = 1900\n\
             status = \"in-force\"\nlabel = \"tribute\"\n\n[source.s]\ntitle = \"test\"\n\
             quality = \"C\"\n\n[[obligation]]\nid = \"r\"\nsource = \"s\"\n{obligation}"
        );
        let mut layers = vec![crate::plugin::builtin_registry()];
        layers.push(Layer {
            name: "test".into(),
            files: vec![PluginFile::new(
                "rising.toml".into(),
                "rising.toml".into(),
                text.into_bytes(),
            )],
        });
        Corpus::load(&layers)
    }

    #[test]
    fn a_kind_with_its_own_key_loads_and_totals() {
        let c = corpus(
            "schedule = \"rising\"\nfrom = 1900\ncount = 4\namounts = { silver = \"100 tael\" }\nstep = \"25.5\"\n",
        )
        .expect("loads");
        let r = Resolved::new(&c, &Readings::defaults()).expect("resolves");
        let q = Query {
            statuses: Status::ALL.to_vec(),
            ..Query::default()
        };
        let t = Totals::new(&c, &r, &q, GroupBy::All).expect("totals");
        // By hand: 100 + 125.5 + 151 + 176.5 = 553.
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].owed, Decimal::from(553));
    }

    #[test]
    fn the_kinds_own_key_is_strict() {
        let float = corpus(
            "schedule = \"rising\"\nfrom = 1900\ncount = 2\namounts = { silver = \"1 tael\" }\nstep = 0.5\n",
        )
        .unwrap_err();
        let msg = float[0].to_string();
        assert!(msg.contains("floats lose digits"), "{msg}");
        assert!(msg.contains("rising.toml:19:8"), "{msg}");
        // `step` belongs to `rising` only: another kind refuses it.
        let other = corpus(
            "schedule = \"one-time\"\nyear = 1900\namounts = { silver = \"1 tael\" }\nstep = \"1\"\n",
        )
        .unwrap_err();
        assert!(
            other[0].to_string().contains("unknown field `step`"),
            "{}",
            other[0]
        );
    }
}
