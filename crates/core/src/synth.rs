//! Synthetic treaty files for property tests and benchmarks (`tribute synth`).
//!
//! Deterministic: the same seed and index give the same text (fastrand's generator is fixed for a
//! given version, and Cargo.lock pins it). Treaties use the built-in registry's commodities; each
//! has one recurring obligation of 1–3 commodities within 1000–1999, some paid every few years,
//! some with decimals, and about one in five ends or suspends an earlier synthetic treaty. The
//! price book gives every commodity a rate per century, so valuing at payment date has to split
//! streams by period. A corpus is written either as one TOML file per treaty or as one streams
//! table plus one TOML file of the changes; both forms must give the same ledger.

use std::fmt::Write as _;

pub use fastrand::Rng;

/// The parties synthetic treaties are made between.
pub const STATES: [&str; 12] = [
    "Aram", "Bactra", "Colchis", "Dacia", "Elam", "Frisia", "Gandhara", "Hatti", "Iberia", "Jolof",
    "Kush", "Lydia",
];
/// The commodities (and units) synthetic treaties use.
pub const COMMODITIES: [(&str, &str); 7] = [
    ("silver", "tael"),
    ("gold", "tael"),
    ("silk", "bolt"),
    ("satin", "bolt"),
    ("tea", "catty"),
    ("cash", "string"),
    ("horse", "head"),
];

/// What a synthetic treaty changes in an earlier one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Ends `synth-{target}/annual` from `from` on.
    End {
        /// The index of the treaty ended.
        target: usize,
        /// The first year no longer owed.
        from: i32,
    },
    /// Suspends every stream of `synth-{target}` from `from` to `to`.
    Suspend {
        /// The index of the treaty suspended.
        target: usize,
        /// First year suspended.
        from: i32,
        /// Last year suspended.
        to: i32,
    },
}

/// Synthetic treaty `i`, drawn but not yet written: one recurring stream `annual`, and maybe a
/// change to an earlier treaty. Written as TOML by [`SynthTreaty::toml`], or as rows of a streams
/// table by [`streams_table`] (its change then goes to [`changes_file`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthTreaty {
    /// Its index: the id is `synth-{index:06}`.
    pub index: usize,
    /// Who pays (one of [`STATES`]).
    pub payer: &'static str,
    /// Who receives.
    pub payee: &'static str,
    /// Year signed, and first payment year.
    pub from: i32,
    /// Last payment year.
    pub to: i32,
    /// Years between payments.
    pub every: u32,
    /// Each payment: (commodity, amount as written, unit), sorted by commodity.
    pub amounts: Vec<(&'static str, String, &'static str)>,
    /// What it changes in an earlier synthetic treaty, if anything.
    pub change: Option<Change>,
}

/// Draws synthetic treaty `i`; `i` counts from 0, and treaty `i` may refer only to treaties before
/// it. The draws are those [`treaty`] has always made, so a seed gives the corpus it always gave.
#[expect(
    clippy::arithmetic_side_effects,
    reason = "years are drawn from 1000..2000 and lengths below 100, a party's index is below 12"
)]
pub fn draw(rng: &mut fastrand::Rng, i: usize) -> SynthTreaty {
    let payer = STATES[rng.usize(..STATES.len())];
    let mut payee = STATES[rng.usize(..STATES.len())];
    if payee == payer {
        payee = STATES[(STATES.iter().position(|s| *s == payer).unwrap_or(0) + 1) % STATES.len()];
    }
    let from = rng.i32(1000..1900);
    let len = rng.i32(0..100);
    let every = if rng.u8(..10) < 8 { 1 } else { rng.u32(2..5) };
    let mut amounts = Vec::new();
    let n = rng.usize(1..=3);
    let mut picked: Vec<usize> = Vec::new();
    while picked.len() < n {
        let c = rng.usize(..COMMODITIES.len());
        if !picked.contains(&c) {
            picked.push(c);
        }
    }
    picked.sort_unstable();
    for c in picked {
        let (id, unit) = COMMODITIES[c];
        let whole = rng.u64(1..1_000_000);
        let amount = if rng.u8(..4) == 0 {
            format!("{whole}.{:02}", rng.u8(..100))
        } else {
            whole.to_string()
        };
        amounts.push((id, amount, unit));
    }
    let mut change = None;
    if i > 0 && rng.u8(..5) == 0 {
        let target = rng.usize(..i);
        let year = rng.i32(1000..2000);
        change = Some(if rng.bool() {
            Change::End { target, from: year }
        } else {
            Change::Suspend {
                target,
                from: year,
                to: year + rng.i32(0..10),
            }
        });
    }
    SynthTreaty {
        index: i,
        payer,
        payee,
        from,
        to: (from + len).min(1999),
        every,
        amounts,
        change,
    }
}

/// The text of synthetic treaty `i` (file `synth-{i:06}.toml`) as [`draw`] makes it, on its own:
/// a suspension in it may fall outside its target's years, which the loader refuses; a corpus is
/// drawn with [`corpus`].
pub fn treaty(rng: &mut fastrand::Rng, i: usize) -> String {
    draw(rng, i).toml()
}

/// Draws `count` synthetic treaties, then moves each suspension (keeping its length) so that it
/// overlaps the years its target pays in: a suspension of years a stream never reaches is refused
/// at load as a mistake. The draws are those [`draw`] makes, so a seed gives the same streams.
#[expect(
    clippy::arithmetic_side_effects,
    reason = "draw's years lie in 1000..2000 with every >= 1, so differences and sums stay small \
              and the remainder's divisor is at least 1"
)]
pub fn corpus(rng: &mut fastrand::Rng, count: usize) -> Vec<SynthTreaty> {
    let mut out: Vec<SynthTreaty> = (0..count).map(|i| draw(rng, i)).collect();
    for i in 0..out.len() {
        let Some(Change::Suspend { target, from, to }) = out[i].change.clone() else {
            continue;
        };
        let t = &out[target];
        // The last year a payment falls in, with payments every `every` years from `from`.
        let steps = (t.to - t.from) / i32::try_from(t.every).unwrap_or(1).max(1);
        let last = t.from + steps * i32::try_from(t.every).unwrap_or(1).max(1);
        if to < t.from || from > last {
            let start = t.from + (from - 1000).rem_euclid(last - t.from + 1);
            out[i].change = Some(Change::Suspend {
                target,
                from: start,
                to: start + (to - from),
            });
        }
    }
    out
}

impl SynthTreaty {
    /// The treaty's id.
    pub fn id(&self) -> String {
        format!("synth-{:06}", self.index)
    }

    /// The treaty as a TOML file.
    pub fn toml(&self) -> String {
        let amounts: Vec<String> = self
            .amounts
            .iter()
            .map(|(id, amount, unit)| format!("{id} = \"{amount} {unit}\""))
            .collect();
        let mut t = String::new();
        let _ = write!(
            t,
            "name = \"Synthetic treaty {}\"\npayer = \"{}\"\npayee = \"{}\"\nsigned = {}\nstatus = \"in-force\"\nlabel = \"tribute\"\n\n[source.synth]\ntitle = \"tribute synth\"\nquality = \"A\"\n\n[[obligation]]\nid = \"annual\"\nschedule = \"recurring\"\nfrom = {}\nto = {}\nevery = {}\namounts = {{ {} }}\nsource = \"synth\"\n",
            self.index,
            self.payer,
            self.payee,
            self.from,
            self.from,
            self.to,
            self.every,
            amounts.join(", ")
        );
        if let Some(c) = &self.change {
            t.push('\n');
            t.push_str(&c.toml(""));
        }
        t
    }
}

impl Change {
    /// The change as a TOML `[[amendment]]` or `[[suspension]]`, its id ending in `suffix`.
    fn toml(&self, suffix: &str) -> String {
        match *self {
            Change::End { target, from } => format!(
                "[[amendment]]\nid = \"end{suffix}\"\naction = \"end\"\ntarget = \"synth-{target:06}/annual\"\nfrom = {from}\nsource = \"synth\"\n"
            ),
            Change::Suspend { target, from, to } => format!(
                "[[suspension]]\nid = \"war{suffix}\"\ntargets = [\"synth-{target:06}\"]\nfrom = {from}\nto = {to}\nsource = \"synth\"\n"
            ),
        }
    }
}

/// The header of a synthetic streams table (see docs/treaty-format.md, "Tables").
pub const STREAMS_HEADER: &str = "treaty,name,payer,payee,signed,status,label,stream,schedule,from,to,every,commodity,amount,unit,source\n";

/// The rows of `treaties` in a streams table (`streams/synth.csv`), after [`STREAMS_HEADER`]: one
/// row per commodity, the treaty's columns filled on the first row of each treaty only.
pub fn streams_rows(treaties: &[SynthTreaty], out: &mut String) {
    for t in treaties {
        for (k, (commodity, amount, unit)) in t.amounts.iter().enumerate() {
            if k == 0 {
                let _ = writeln!(
                    out,
                    "{},Synthetic treaty {},{},{},{},in-force,tribute,annual,recurring,{},{},{},{commodity},{amount},{unit},synth",
                    t.id(),
                    t.index,
                    t.payer,
                    t.payee,
                    t.from,
                    t.from,
                    t.to,
                    t.every
                );
            } else {
                let _ = writeln!(
                    out,
                    "{},,,,,,,annual,,,,,{commodity},{amount},{unit},",
                    t.id()
                );
            }
        }
    }
}

/// The amendments and suspensions of `treaties` as one TOML treaty (`synth-changes.toml`), for a
/// corpus whose streams are a table; `None` if none of them changes anything.
pub fn changes_file(treaties: &[SynthTreaty]) -> Option<String> {
    let mut t = String::from(
        "name = \"Synthetic amendments and suspensions\"\npayer = \"Aram\"\npayee = \"Bactra\"\nsigned = 1000\nstatus = \"in-force\"\nlabel = \"tribute\"\nsummary = \"The changes the synthetic treaties make to earlier ones, for a corpus whose streams are a table.\"\n\n[source.synth]\ntitle = \"tribute synth\"\nquality = \"A\"\n",
    );
    let mut any = false;
    for s in treaties {
        if let Some(c) = &s.change {
            any = true;
            t.push('\n');
            t.push_str(&c.toml(&format!("-{:06}", s.index)));
        }
    }
    any.then_some(t)
}

/// The text of the registry file `registry/synth-parties.toml`: every one of [`STATES`] as a
/// party (without years: every synthetic stream has an end of its own), since a treaty or a table
/// may name only parties the registry knows.
pub fn parties() -> String {
    let mut t = String::from("# The parties of tribute synth's treaties.\n");
    for state in STATES {
        let _ = write!(t, "\n[[party]]\nid = \"{state}\"\n");
    }
    t
}

/// The text of the registry file `registry/synth-source.toml`: the source `synth` a streams
/// table of synthetic treaties cites (a table declares no sources of its own).
pub fn source() -> String {
    "# The source tribute synth's streams table cites.\n\n[[source]]\nid = \"synth\"\ntitle = \"tribute synth\"\nquality = \"A\"\n".to_string()
}

/// The text of the synthetic price book `prices/synth.toml`: a rate per commodity and century
/// (1000–1999) in taels of silver, low = 0.8 × central, high = 1.25 × central.
#[expect(
    clippy::arithmetic_side_effects,
    reason = "centuries are 10..20 and rates below 2000: every product is below 10^6"
)]
pub fn price_book(rng: &mut fastrand::Rng) -> String {
    let mut t = String::from(
        "name = \"Synthetic prices\"\nnumeraire = \"tael of silver\"\nsummary = \"Made up by tribute synth for benchmarks: one rate per commodity and century.\"\nsources = [\"synth\"]\n\n[source.synth]\ntitle = \"tribute synth\"\nquality = \"A\"\n",
    );
    for (id, _) in COMMODITIES {
        for century in 10..20 {
            let central = if id == "silver" {
                100
            } else {
                rng.u32(5..2000)
            };
            let _ = write!(
                t,
                "\n[[rate]]\ncommodity = \"{id}\"\nfrom = {}\nto = {}\ncentral = \"{}\"\nlow = \"{}\"\nhigh = \"{}\"\nsource = \"synth\"\nconfidence = \"low\"\n",
                century * 100,
                century * 100 + 99,
                decimal_text(central, 100),
                decimal_text(central * 8, 1000),
                decimal_text(central * 125, 10000),
            );
        }
    }
    t
}

/// `n / d` as a decimal string, exactly (d is a power of ten).
#[expect(
    clippy::arithmetic_side_effects,
    reason = "d is a power of ten (100, 1000 or 10000 from price_book), never zero"
)]
fn decimal_text(n: u32, d: u32) -> String {
    let places = d.ilog10() as usize;
    let whole = n / d;
    let frac = n % d;
    if places == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{frac:0places$}")
    }
}

/// `streams.json`, the resolved streams the Python baseline reads
/// (`crates/cli/benches/peers/baseline.py`): each stream's payer, payee and pieces.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StreamsFile {
    /// Every resolved stream.
    pub streams: Vec<StreamsFileStream>,
}

/// One stream of [`StreamsFile`].
#[derive(Debug, Clone, serde::Serialize)]
pub struct StreamsFileStream {
    /// Who pays.
    pub payer: String,
    /// Who receives.
    pub payee: String,
    /// Its payments as arithmetic progressions of years.
    pub pieces: Vec<StreamsFilePiece>,
}

/// One piece of a [`StreamsFileStream`].
#[derive(Debug, Clone, serde::Serialize)]
pub struct StreamsFilePiece {
    /// First year.
    pub start: i32,
    /// Years between payments.
    pub step: u32,
    /// How many payments.
    pub count: u64,
    /// Each payment, by commodity id, as decimal strings.
    pub amounts: crate::report::Amounts,
}

/// The [`StreamsFile`] of a resolved corpus.
pub fn streams_file(corpus: &crate::Corpus, resolved: &crate::Resolved) -> StreamsFile {
    StreamsFile {
        streams: resolved
            .streams
            .iter()
            .map(|s| StreamsFileStream {
                payer: s.payer.to_string(),
                payee: s.payee.to_string(),
                pieces: s
                    .pieces
                    .iter()
                    .map(|p| StreamsFilePiece {
                        start: p.start,
                        step: p.step,
                        count: p.count,
                        amounts: crate::report::Amounts::of(&corpus.registry, &p.amounts),
                    })
                    .collect(),
            })
            .collect(),
    }
}
