//! Valid random treaties and a naive year-by-year oracle, shared by the property test
//! (`tests/oracle.rs`, run by `cargo test`) and the `valid_treaties` fuzz target
//! (`crates/core/fuzz/fuzz_targets/valid_treaties.rs`, which includes this file by `#[path]`).
//!
//! A [`Model`] is drawn from any source of choices ([`Draw`]: a proptest vector of numbers, or the
//! fuzzer's bytes through `arbitrary`), tidied into what the loader must accept (payments never
//! below zero, every open stream ended, suspensions overlapping their target's years, recorded
//! deliveries only against streams of unknown or no delivery), written as treaty and price-book
//! TOML, and loaded through the real loader. [`check_model`] then runs resolve, the ledger and
//! totals reports (with and without the generated price book) and `report::check`, and compares
//! every figure with the oracle, which evaluates the model's own fields year by year, the obvious
//! way, and never looks at the loader's or the engine's types. What must hold: a generated corpus
//! always loads, `check` finds no problem in it, and every figure equals the oracle's exactly.

#![allow(dead_code)]

use std::fmt::Write as _;

use rust_decimal::Decimal;
use tribute_core::report::{check, ledger, totals};
use tribute_core::{
    Corpus, GroupBy, Layer, PluginFile, Query, Readings, Resolved, Status, builtin_registry,
};

/// A source of choices: an integer in `lo..=hi`. When it runs dry it answers `lo`, so a short
/// input means a small model.
pub trait Draw {
    /// An integer in `lo..=hi` (inclusive).
    fn int(&mut self, lo: i64, hi: i64) -> i64;

    /// A coin.
    fn flip(&mut self) -> bool {
        self.int(0, 1) == 1
    }

    /// An index below `n` (`n > 0`).
    fn pick(&mut self, n: usize) -> usize {
        self.int(0, n as i64 - 1) as usize
    }
}

/// Choices read from a list of numbers (what proptest generates and shrinks).
#[derive(Debug)]
pub struct Choices<'a> {
    data: &'a [u32],
    at: usize,
}

impl<'a> Choices<'a> {
    /// Reads `data` from the start.
    pub fn new(data: &'a [u32]) -> Choices<'a> {
        Choices { data, at: 0 }
    }
}

impl Draw for Choices<'_> {
    fn int(&mut self, lo: i64, hi: i64) -> i64 {
        let Some(&v) = self.data.get(self.at) else {
            return lo;
        };
        self.at += 1;
        lo + i64::from(v) % (hi - lo + 1)
    }
}

/// Registry parties the treaties pay between (`treaties/registry/parties.toml`).
pub const PARTIES: [&str; 6] = ["Song", "Jin", "Liao", "Western Xia", "Haiti", "France"];

/// First year a schedule may start.
pub const LO: i32 = 1000;
/// Years a schedule may start in are `LO..HI`.
pub const HI: i32 = 1060;
/// The window the ledgers cover: everything the model can owe or deliver falls inside it.
pub const WINDOW: (i32, i32) = (LO - 5, HI + 40);

/// A schedule as the model knows it.
#[derive(Debug, Clone)]
pub enum Sched {
    /// One payment.
    Once { year: i32 },
    /// Every `every` years from `from` to `to` (open-ended without `to`).
    Every {
        from: i32,
        to: Option<i32>,
        every: u32,
    },
    /// `count` payments, `every` years apart.
    Installments { from: i32, count: u32, every: u32 },
}

impl Sched {
    /// First and last scheduled year (`None`: open-ended).
    fn span(&self) -> (i32, Option<i32>) {
        match *self {
            Sched::Once { year } => (year, Some(year)),
            // The last payment, not `to`: every 3 years from 1011 to 1039 ends in 1038 (a
            // suspension of 1039–1042 would suspend nothing, and the loader refuses it).
            Sched::Every { from, to, every } => (
                from,
                to.map(|t| from + (t - from) / every as i32 * every as i32),
            ),
            Sched::Installments { from, count, every } => {
                (from, Some(from + (count as i32 - 1) * every as i32))
            }
        }
    }

    /// True if a payment falls due in `year`.
    fn falls(&self, year: i32) -> bool {
        match *self {
            Sched::Once { year: y } => y == year,
            Sched::Every { from, to, every } => {
                year >= from && year <= to.unwrap_or(i32::MAX) && (year - from) % every as i32 == 0
            }
            Sched::Installments { from, count, every } => {
                year >= from
                    && (year - from) % every as i32 == 0
                    && (year - from) / (every as i32) < count as i32
            }
        }
    }
}

/// How an obligation is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// As owed, except in suspended years.
    AsOwed,
    /// Unknown: only recorded deliveries count.
    Unknown,
    /// None: only recorded deliveries count.
    Nothing,
}

/// One treaty with one obligation.
#[derive(Debug, Clone)]
pub struct Stream {
    /// The schedule.
    pub sched: Sched,
    /// Per payment in hundredths of a tael, written with two decimals (`12.05 tael`), so sums mix
    /// scales (silk is whole bolts) and meet zeros of a larger scale.
    /// For installments: per installment; the file states the total.
    pub silver: i64,
    /// Per payment, whole bolts.
    pub silk: i64,
    /// An alternative per-payment silver figure offered as reading `alt`.
    pub alt_silver: Option<i64>,
    /// How it is delivered.
    pub delivery: Delivery,
    /// Indices into [`PARTIES`] (never equal).
    pub payer: usize,
    /// See `payer`.
    pub payee: usize,
    /// `in-force`, else `demand`: a demand neither counts nor changes anything.
    pub in_force: bool,
}

/// What a later treaty does to an earlier one's stream.
#[derive(Debug, Clone)]
pub enum Change {
    /// Adds `silver` hundredths to each payment from `from` to `to`.
    Adjust {
        from: i32,
        to: Option<i32>,
        silver: i64,
    },
    /// Nothing owed from `from` on.
    End { from: i32 },
    /// Nothing owed from `from` on (written as `supersede`).
    Supersede { from: i32 },
    /// Owed but not delivered from `from` to `to`.
    Suspend { from: i32, to: i32 },
}

/// A recorded delivery, written in treaty `by` against stream `target`.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The treaty that records it (any, also a demand: deliveries are facts).
    pub by: usize,
    /// The stream (its delivery is unknown or none).
    pub target: usize,
    /// The year.
    pub year: i32,
    /// Hundredths of a tael.
    pub silver: i64,
    /// Whole bolts.
    pub silk: i64,
}

/// One rate of the generated price book, in hundredths of the numeraire per unit.
#[derive(Debug, Clone)]
pub struct Rate {
    /// First year, if bounded.
    pub from: Option<i32>,
    /// Last year, if bounded.
    pub to: Option<i32>,
    /// `0 < low ≤ central ≤ high`.
    pub low: i64,
    /// See `low`.
    pub central: i64,
    /// See `low`.
    pub high: i64,
}

impl Rate {
    fn covers(&self, year: i32) -> bool {
        self.from.is_none_or(|f| f <= year) && self.to.is_none_or(|t| year <= t)
    }
}

/// The generated model.
#[derive(Debug, Clone)]
pub struct Model {
    /// Stream `i` is treaty `t{i}`, obligation `o`.
    pub streams: Vec<Stream>,
    /// (changing treaty index, target stream index, change); the changer is always later.
    pub changes: Vec<(usize, usize, Change)>,
    /// Recorded deliveries.
    pub deliveries: Vec<Recorded>,
    /// Rates of silver (per tael), then of silk (per bolt); non-overlapping.
    pub book: [Vec<Rate>; 2],
}

fn stream(d: &mut dyn Draw) -> Stream {
    let sched = match d.int(0, 2) {
        0 => Sched::Once {
            year: d.int(i64::from(LO), i64::from(HI) - 1) as i32,
        },
        1 => {
            let from = d.int(i64::from(LO), i64::from(HI) - 1) as i32;
            let to = d.flip().then(|| from + d.int(0, 29) as i32);
            Sched::Every {
                from,
                to,
                every: d.int(1, 3) as u32,
            }
        }
        _ => Sched::Installments {
            from: d.int(i64::from(LO), i64::from(HI) - 1) as i32,
            count: d.int(1, 5) as u32,
            every: d.int(1, 2) as u32,
        },
    };
    let silver = d.int(1, 1000);
    let silk = d.int(0, 999);
    let alt_silver = d.flip().then(|| d.int(1, 1000));
    let delivery = match d.int(0, 3) {
        0 | 1 => Delivery::AsOwed,
        2 => Delivery::Unknown,
        _ => Delivery::Nothing,
    };
    let payer = d.pick(PARTIES.len());
    let payee = (payer + 1 + d.pick(PARTIES.len() - 1)) % PARTIES.len();
    let in_force = d.int(0, 4) < 4;
    Stream {
        sched,
        silver,
        silk,
        alt_silver,
        delivery,
        payer,
        payee,
        in_force,
    }
}

fn rates(d: &mut dyn Draw) -> Vec<Rate> {
    let value = |d: &mut dyn Draw, from, to| {
        let central = d.int(1, 500);
        Rate {
            from,
            to,
            low: central - d.int(0, central - 1),
            central,
            high: central + d.int(0, 500),
        }
    };
    let year = |d: &mut dyn Draw| d.int(i64::from(LO), i64::from(HI) + 20) as i32;
    match d.int(0, 3) {
        0 => Vec::new(),
        1 => vec![value(d, None, None)],
        2 => {
            let y = year(d);
            vec![value(d, None, Some(y)), value(d, Some(y + 1), None)]
        }
        _ => {
            let a = year(d);
            let b = a + d.int(0, 30) as i32;
            vec![value(d, Some(a), Some(b))]
        }
    }
}

impl Model {
    /// Draws a model (not yet tidy: see [`Model::tidy`]).
    pub fn draw(d: &mut dyn Draw) -> Model {
        let n = d.int(1, 4) as usize;
        let streams: Vec<Stream> = (0..n).map(|_| stream(d)).collect();
        let mut changes = Vec::new();
        for _ in 0..d.int(0, 5) {
            let (by, target) = (d.pick(n), d.pick(n));
            let from = d.int(i64::from(LO), i64::from(HI) - 1) as i32;
            let len = d.flip().then(|| d.int(0, 19) as i32);
            let c = match d.int(0, 3) {
                0 => Change::Adjust {
                    from,
                    to: len.map(|l| from + l),
                    silver: d.int(0, 199_999) - 500,
                },
                1 => Change::End { from },
                2 => Change::Supersede { from },
                _ => Change::Suspend {
                    from,
                    to: from + len.unwrap_or(3),
                },
            };
            // A treaty amends only earlier ones (never itself).
            if by > target {
                changes.push((by, target, c));
            }
        }
        let mut deliveries = Vec::new();
        for _ in 0..d.int(0, 4) {
            let (by, target) = (d.pick(n), d.pick(n));
            let year = d.int(i64::from(LO), i64::from(HI) + 20) as i32;
            let (silver, silk) = (d.int(0, 999), d.int(0, 99));
            if streams[target].delivery != Delivery::AsOwed {
                deliveries.push(Recorded {
                    by,
                    target,
                    year,
                    silver,
                    silk,
                });
            }
        }
        let book = [rates(d), rates(d)];
        Model {
            streams,
            changes,
            deliveries,
            book,
        }
    }

    /// Makes the model one the loader must accept: every open stream that nothing ends gets an
    /// end, cuts never take a payment below zero, and every suspension overlaps its target's
    /// scheduled years.
    pub fn tidy(mut self) -> Model {
        // An end written by a demand takes no effect, so a stream it "ends" must have its own end
        // unless an in-force treaty ends it too.
        for i in 0..self.streams.len() {
            let ended = self.changes.iter().any(|(by, t, c)| {
                *t == i
                    && self.streams[*by].in_force
                    && matches!(c, Change::End { .. } | Change::Supersede { .. })
            });
            if let Sched::Every { to: None, from, .. } = self.streams[i].sched {
                if !ended {
                    self.streams[i].sched = Sched::Every {
                        from,
                        to: Some(from + 10),
                        every: 1,
                    };
                }
            }
        }
        let mut used = vec![0i64; self.streams.len()];
        for (_, t, c) in &mut self.changes {
            match c {
                Change::Adjust { silver, .. } if *silver < 0 => {
                    let s = &self.streams[*t];
                    let base = s.silver.min(s.alt_silver.unwrap_or(i64::MAX));
                    // Cuts on one target add up to at most its smallest payment.
                    *silver = (*silver).max(-(base - used[*t]).max(0));
                    used[*t] -= *silver;
                }
                Change::Suspend { from, to } => {
                    let (first, last) = self.streams[*t].sched.span();
                    if *to < first || last.is_some_and(|l| *from > l) {
                        let len = *to - *from;
                        *from = first;
                        *to = first + len;
                    }
                }
                _ => {}
            }
        }
        self
    }

    /// The treaty file of stream `i` (with the changes and deliveries it records).
    pub fn toml(&self, i: usize) -> String {
        let s = &self.streams[i];
        let mut t = format!(
            "name = \"t{i}\"\npayer = \"{}\"\npayee = \"{}\"\nsigned = 1000\nstatus = \"{}\"\nlabel = \"tribute\"\n\n[source.s]\ntitle = \"generated\"\nquality = \"A\"\n\n[[obligation]]\nid = \"o\"\nsource = \"s\"\n",
            PARTIES[s.payer],
            PARTIES[s.payee],
            if s.in_force { "in-force" } else { "demand" }
        );
        match s.delivery {
            Delivery::AsOwed => {}
            Delivery::Unknown => t.push_str("delivery = \"unknown\"\n"),
            Delivery::Nothing => t.push_str("delivery = \"none\"\n"),
        }
        let amounts = |silver: i64| {
            format!(
                "{{ silver = \"{} tael\", silk = {} }}",
                cents(silver),
                s.silk
            )
        };
        match &s.sched {
            Sched::Once { year } => write!(t, "schedule = \"one-time\"\nyear = {year}\namounts = {}\n", amounts(s.silver)),
            Sched::Every { from, to, every } => {
                let to = to.map(|t| format!("to = {t}\n")).unwrap_or_default();
                write!(t, "schedule = \"recurring\"\nfrom = {from}\n{to}every = {every}\namounts = {}\n", amounts(s.silver))
            }
            Sched::Installments { from, count, every } => {
                let n = i64::from(*count);
                write!(
                    t,
                    "schedule = \"installments\"\nfrom = {from}\ncount = {count}\nevery = {every}\ntotal = {{ silver = \"{}\", silk = {} }}\n",
                    cents(s.silver * n),
                    s.silk * n
                )
            }
        }
        .unwrap();
        if let Some(alt) = s.alt_silver {
            t.push_str("reading = \"base\"\n[obligation.readings.alt]\n");
            match &s.sched {
                Sched::Installments { count, .. } => {
                    let n = i64::from(*count);
                    writeln!(
                        t,
                        "total = {{ silver = \"{}\", silk = {} }}",
                        cents(alt * n),
                        s.silk * n
                    )
                    .unwrap();
                }
                _ => writeln!(t, "amounts = {}", amounts(alt)).unwrap(),
            }
        }
        for (k, (by, target, c)) in self.changes.iter().enumerate() {
            if *by != i {
                continue;
            }
            match c {
                Change::Adjust { from, to, silver } => {
                    let to = to.map(|t| format!("to = {t}\n")).unwrap_or_default();
                    write!(t, "\n[[amendment]]\nid = \"c{k}\"\naction = \"adjust\"\ntarget = \"t{target}/o\"\nfrom = {from}\n{to}amounts = {{ silver = \"{} tael\" }}\nsource = \"s\"\n", cents(*silver)).unwrap();
                }
                Change::End { from } | Change::Supersede { from } => {
                    let action = if matches!(c, Change::End { .. }) {
                        "end"
                    } else {
                        "supersede"
                    };
                    write!(t, "\n[[amendment]]\nid = \"c{k}\"\naction = \"{action}\"\ntarget = \"t{target}/o\"\nfrom = {from}\nsource = \"s\"\n").unwrap();
                }
                Change::Suspend { from, to } => {
                    write!(t, "\n[[suspension]]\nid = \"c{k}\"\ntargets = [\"t{target}\"]\nfrom = {from}\nto = {to}\nsource = \"s\"\n").unwrap();
                }
            }
        }
        for (k, d) in self.deliveries.iter().enumerate() {
            if d.by == i {
                write!(t, "\n[[delivery]]\nid = \"d{k}\"\ntarget = \"t{}/o\"\nyear = {}\namounts = {{ silver = \"{} tael\", silk = {} }}\nsource = \"s\"\n", d.target, d.year, cents(d.silver), d.silk).unwrap();
            }
        }
        t
    }

    /// The price book file `prices/gen.toml`.
    pub fn book_toml(&self) -> String {
        let mut t = String::from(
            "name = \"generated\"\nnumeraire = \"unit\"\nsources = [\"s\"]\n\n[source.s]\ntitle = \"generated\"\nquality = \"A\"\n",
        );
        for (commodity, rates) in ["silver", "silk"].iter().zip(&self.book) {
            for r in rates {
                write!(
                    t,
                    "\n[[rate]]\ncommodity = \"{commodity}\"\nlow = \"{}\"\ncentral = \"{}\"\nhigh = \"{}\"\n",
                    cents(r.low),
                    cents(r.central),
                    cents(r.high)
                )
                .unwrap();
                if let Some(f) = r.from {
                    writeln!(t, "from = {f}").unwrap();
                }
                if let Some(to) = r.to {
                    writeln!(t, "to = {to}").unwrap();
                }
            }
        }
        t
    }

    /// All the generated files, treaties first.
    pub fn all_toml(&self) -> String {
        (0..self.streams.len())
            .map(|i| self.toml(i))
            .chain(std::iter::once(self.book_toml()))
            .collect::<Vec<_>>()
            .join("\n----\n")
    }

    /// The layer of generated files.
    pub fn layer(&self) -> Layer {
        let mut files: Vec<PluginFile> = (0..self.streams.len())
            .map(|i| {
                PluginFile::new(
                    format!("t{i}.toml"),
                    format!("t{i}.toml"),
                    self.toml(i).into_bytes(),
                )
            })
            .collect();
        files.push(PluginFile::new(
            "prices/gen.toml".into(),
            "prices/gen.toml".into(),
            self.book_toml().into_bytes(),
        ));
        Layer {
            name: "generated".into(),
            files,
        }
    }

    /// What stream `i` records as handed over in `year` (silver, silk).
    fn recorded(&self, i: usize, year: i32) -> [i64; 2] {
        let mut rec = [0i64; 2];
        for d in self
            .deliveries
            .iter()
            .filter(|d| d.target == i && d.year == year)
        {
            rec[0] += d.silver;
            rec[1] += d.silk;
        }
        rec
    }

    /// What falls due from stream `i` in `year` (silver, silk), if a payment falls then: the
    /// schedule, less what treaties in force cut, plus what they adjust.
    fn owed(&self, i: usize, year: i32, alt: bool) -> Option<[i64; 2]> {
        let s = &self.streams[i];
        let counts = |by: usize| self.streams[by].in_force;
        let cut = self
            .changes
            .iter()
            .filter(|(by, t, _)| *t == i && counts(*by))
            .filter_map(|(_, _, c)| match c {
                Change::End { from } | Change::Supersede { from } => Some(*from),
                _ => None,
            })
            .min();
        if !s.sched.falls(year) || cut.is_some_and(|c| year >= c) {
            return None;
        }
        let mut silver = if alt {
            s.alt_silver.unwrap_or(s.silver)
        } else {
            s.silver
        };
        for (by, t, c) in &self.changes {
            if let (
                true,
                Change::Adjust {
                    from,
                    to,
                    silver: d,
                },
            ) = (*t == i && counts(*by), c)
            {
                if year >= *from && year <= to.unwrap_or(i32::MAX) {
                    silver += d;
                }
            }
        }
        Some([silver, s.silk])
    }

    /// True if a suspension in force covers `year` of stream `i`.
    fn suspended(&self, i: usize, year: i32) -> bool {
        let counts = |by: usize| self.streams[by].in_force;
        self.changes.iter().any(|(by, t, c)| {
            *t == i
                && counts(*by)
                && matches!(c, Change::Suspend { from, to } if *from <= year && year <= *to)
        })
    }

    /// What was paid ahead and covers the due of stream `i` in `year`: the stream's account run
    /// year by year from the first year any stream or record can have. Each year what was paid
    /// ahead covers the due first; the records cover the rest; a shortfall accrues as arrears in
    /// a suspended year (suspensions accrue) or when delivery is none; what the records hold
    /// beyond the due pays arrears off, and the rest is paid ahead.
    fn ahead(&self, i: usize, year: i32, alt: bool) -> [i64; 2] {
        let nothing = matches!(self.streams[i].delivery, Delivery::Nothing);
        let (mut arrears, mut credit) = ([0i64; 2], [0i64; 2]);
        // From LO, where streams and records may begin: a year suspended before the first record
        // has already accrued arrears that the record's surplus pays off first (starting at the
        // first record instead missed them, and took the surplus as all paid ahead).
        for y in LO.min(year)..=year {
            let due = self.owed(i, y, alt).unwrap_or([0, 0]);
            let rec = self.recorded(i, y);
            let suspended = self.suspended(i, y);
            let mut applied = [0i64; 2];
            for k in 0..2 {
                applied[k] = due[k].min(credit[k]);
                credit[k] -= applied[k];
                let due = due[k] - applied[k];
                if suspended || nothing {
                    arrears[k] += (due - rec[k]).max(0);
                }
                let surplus = (rec[k] - due).max(0);
                let pays = surplus.min(arrears[k]);
                arrears[k] -= pays;
                credit[k] += surplus - pays;
            }
            if y == year {
                return applied;
            }
        }
        [0, 0]
    }

    /// The oracle: what stream-by-stream common sense says about `year`.
    pub fn year(&self, year: i32, alt: bool) -> Figures {
        let mut out = Figures::default();
        for (i, s) in self.streams.iter().enumerate() {
            if !s.in_force {
                continue;
            }
            let rec = self.recorded(i, year);
            for (k, r) in rec.iter().enumerate() {
                out.delivered[k] += r;
                out.recorded[k] += r;
            }
            let Some(owed) = self.owed(i, year, alt) else {
                continue;
            };
            let suspended = self.suspended(i, year);
            let ahead = match s.delivery {
                Delivery::Unknown => self.ahead(i, year, alt),
                _ => [0, 0],
            };
            for (k, v) in owed.into_iter().enumerate() {
                out.owed[k] += v;
                // A suspended year is suspended whatever the delivery; outside one, an as-owed
                // payment is assumed, and an unknown one is unknown beyond what was paid ahead
                // and what the year's records cover.
                match s.delivery {
                    _ if suspended => out.suspended[k] += v,
                    Delivery::AsOwed => {
                        out.delivered[k] += v;
                        out.assumed[k] += v;
                    }
                    Delivery::Unknown => {
                        let left = v - ahead[k];
                        out.unknown[k] += left - rec[k].min(left);
                    }
                    Delivery::Nothing => {}
                }
            }
        }
        out
    }

    /// The rate of commodity `k` (0 silver, 1 silk) in `year`, if the book has one.
    fn rate(&self, k: usize, year: i32) -> Option<&Rate> {
        self.book[k].iter().find(|r| r.covers(year))
    }

    /// The value of `amounts` (silver hundredths, silk bolts) paid in `year`, in ten-thousandths:
    /// `[low, central, high]`, and what the book cannot price.
    pub fn value(&self, year: i32, amounts: [i64; 2]) -> ([i64; 3], [i64; 2]) {
        let mut v = [0i64; 3];
        let mut unpriced = [0i64; 2];
        for k in 0..2 {
            // Silver is in hundredths, silk whole: bring both to hundredths of a unit.
            let amount = if k == 0 { amounts[0] } else { amounts[1] * 100 };
            match self.rate(k, year) {
                Some(r) => {
                    v[0] += amount * r.low;
                    v[1] += amount * r.central;
                    v[2] += amount * r.high;
                }
                None => unpriced[k] += amounts[k],
            }
        }
        (v, unpriced)
    }
}

/// What the oracle says of one year, per commodity (silver hundredths, silk bolts).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    /// Fell due.
    pub owed: [i64; 2],
    /// Delivered: assumed plus recorded.
    pub delivered: [i64; 2],
    /// Handed over, as delivery records say.
    pub recorded: [i64; 2],
    /// Assumed: owed by streams delivered as owed, outside suspensions.
    pub assumed: [i64; 2],
    /// Owed in suspended years (any delivery).
    pub suspended: [i64; 2],
    /// Owed by streams of unknown delivery outside suspensions, less what records cover.
    pub unknown: [i64; 2],
}

impl Figures {
    fn plus(mut self, o: Figures) -> Figures {
        for k in 0..2 {
            self.owed[k] += o.owed[k];
            self.delivered[k] += o.delivered[k];
            self.recorded[k] += o.recorded[k];
            self.assumed[k] += o.assumed[k];
            self.suspended[k] += o.suspended[k];
            self.unknown[k] += o.unknown[k];
        }
        self
    }
}

/// Hundredths as a decimal string with two places: 1205 → `12.05`, -5 → `-0.05`.
pub fn cents(v: i64) -> String {
    format!(
        "{}{}.{:02}",
        if v < 0 { "-" } else { "" },
        v.abs() / 100,
        v.abs() % 100
    )
}

/// An amount of commodity `k` as an exact decimal (silver in hundredths, silk whole).
fn amount(k: usize, v: i64) -> Decimal {
    if k == 0 {
        Decimal::new(v, 2)
    } else {
        Decimal::from(v)
    }
}

/// Ten-thousandths as an exact decimal.
fn worth(v: i64) -> Decimal {
    Decimal::new(v, 4)
}

/// Fails with `what` unless `got == want`.
fn same<T: PartialEq + std::fmt::Debug>(
    got: T,
    want: T,
    what: impl FnOnce() -> String,
) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{}: got {got:?}, the oracle says {want:?}", what()))
    }
}

/// Loads the model's files beside the built-in registry; a generated corpus must load.
pub fn load(model: &Model) -> Result<Corpus, String> {
    Corpus::load(&[builtin_registry(), model.layer()])
        .map_err(|errors| format!("generated corpus did not load: {errors:?}"))
}

/// Runs every report on the tidy `model` and compares it with the oracle: the ledger over
/// [`WINDOW`] (each row, running sums, values), a ledger starting at `min(a, b)` (its opening
/// sums), totals over `min(a, b)..=max(a, b)` (amounts and values), and `check`. `alt` selects
/// reading `alt` where the corpus offers it. An `Err` says what differed, with the files.
pub fn check_model(model: &Model, alt: bool, a: i32, b: i32) -> Result<(), String> {
    compare(model, alt, a, b)
        .map_err(|e| format!("{e}\n\nthe generated files:\n{}", model.all_toml()))
}

fn compare(model: &Model, alt: bool, a: i32, b: i32) -> Result<(), String> {
    let corpus = load(model)?;
    let problems = check(Ok(&corpus)).problems;
    same(problems.len(), 0, || {
        format!("check found problems: {problems:?}")
    })?;
    let names = if alt && corpus.reading_names().contains(&"alt".to_string()) {
        vec!["alt".to_string()]
    } else {
        vec![]
    };
    let alt = !names.is_empty();
    let readings = Readings::select(&names, &corpus).map_err(|e| e.to_string())?;
    let resolved = Resolved::new(&corpus, &readings).map_err(|e| e.to_string())?;
    let commodity = |name| {
        corpus
            .registry
            .find_commodity(name)
            .ok_or_else(|| format!("no {name}"))
    };
    let ids = [commodity("silver")?, commodity("silk")?];
    let book = corpus.price_books.get("gen").ok_or("no book `gen`")?;
    let query = Query {
        statuses: vec![Status::InForce],
        ..Query::default()
    };
    let err = |e: tribute_core::Error| e.to_string();

    // Ledger over a window that covers everything: every row, the running sums and the values.
    let (lo, hi) = WINDOW;
    let window = Query {
        from: Some(lo),
        to: Some(hi),
        ..query.clone()
    };
    let report = ledger(&corpus, &resolved, &window, Some(book)).map_err(err)?;
    let values = report.values.as_ref().ok_or("no values")?;
    same(report.ledger.rows.len(), (hi - lo + 1) as usize, || {
        "ledger rows".into()
    })?;
    let mut cum = Figures::default();
    let mut cum_value = [[0i64; 3]; 2];
    for (row, value) in report.ledger.rows.iter().zip(&values.rows) {
        let y = row.year;
        let o = model.year(y, alt);
        cum = cum.plus(o);
        for (k, &c) in ids.iter().enumerate() {
            same(row.owed.get(c), amount(k, o.owed[k]), || {
                format!("owed {k} in {y}")
            })?;
            same(row.recorded.get(c), amount(k, o.recorded[k]), || {
                format!("recorded {k} in {y}")
            })?;
            same(row.assumed.get(c), amount(k, o.assumed[k]), || {
                format!("assumed {k} in {y}")
            })?;
            same(row.cum_owed.get(c), amount(k, cum.owed[k]), || {
                format!("cumulative owed {k} in {y}")
            })?;
            same(row.cum_recorded.get(c), amount(k, cum.recorded[k]), || {
                format!("cumulative recorded {k} in {y}")
            })?;
            same(row.cum_assumed.get(c), amount(k, cum.assumed[k]), || {
                format!("cumulative assumed {k} in {y}")
            })?;
        }
        let (owed_v, owed_unpriced) = model.value(y, o.owed);
        let (deliv_v, deliv_unpriced) = model.value(y, o.delivered);
        for (m, v) in [&value.owed, &value.delivered].into_iter().enumerate() {
            let want = if m == 0 { owed_v } else { deliv_v };
            cum_value[m] = [0, 1, 2].map(|j| cum_value[m][j] + want[j]);
            same([v.low, v.central, v.high], want.map(worth), || {
                format!("value {} in {y}", ["owed", "delivered"][m])
            })?;
        }
        same(
            [value.cum_owed.central, value.cum_delivered.central],
            [worth(cum_value[0][1]), worth(cum_value[1][1])],
            || format!("cumulative values in {y}"),
        )?;
        for (k, &c) in ids.iter().enumerate() {
            same(
                value.unpriced_owed.get(c),
                amount(k, owed_unpriced[k]),
                || format!("unpriced owed {k} in {y}"),
            )?;
            same(
                value.unpriced_delivered.get(c),
                amount(k, deliv_unpriced[k]),
                || format!("unpriced delivered {k} in {y}"),
            )?;
        }
    }

    // A ledger that starts late still counts running sums (and values) from the beginning.
    let (lo, hi) = (a.min(b), a.max(b));
    let late = Query {
        from: Some(lo),
        to: Some(WINDOW.1),
        ..query.clone()
    };
    let report = ledger(&corpus, &resolved, &late, Some(book)).map_err(err)?;
    if let Some(first) = report.ledger.rows.first() {
        let mut before = Figures::default();
        let mut before_value = [0i64; 3];
        for y in WINDOW.0.min(lo)..lo {
            let o = model.year(y, alt);
            before = before.plus(o);
            before_value = [0, 1, 2].map(|j| before_value[j] + model.value(y, o.owed).0[j]);
        }
        let o = model.year(lo, alt);
        for (k, &c) in ids.iter().enumerate() {
            same(
                first.cum_owed.get(c),
                amount(k, before.owed[k] + o.owed[k]),
                || format!("cumulative owed {k} from {lo}"),
            )?;
        }
        let opening = &report.values.as_ref().ok_or("no values")?.opening_owed;
        same(
            [opening.low, opening.central, opening.high],
            before_value.map(worth),
            || format!("opening value before {lo}"),
        )?;
    }

    // Totals over a random range, with and without the book.
    let range = Query {
        from: Some(lo),
        to: Some(hi),
        ..query
    };
    let mut sum = Figures::default();
    let mut sum_value = [[0i64; 3]; 2];
    let mut unpriced_owed = [0i64; 2];
    for y in lo..=hi {
        let o = model.year(y, alt);
        sum = sum.plus(o);
        let (v, u) = model.value(y, o.owed);
        let (dv, _) = model.value(y, o.delivered);
        sum_value[0] = [0, 1, 2].map(|j| sum_value[0][j] + v[j]);
        sum_value[1] = [0, 1, 2].map(|j| sum_value[1][j] + dv[j]);
        unpriced_owed = [0, 1].map(|k| unpriced_owed[k] + u[k]);
    }
    let plain = totals(&corpus, &resolved, &range, GroupBy::All, None).map_err(err)?;
    let valued = totals(&corpus, &resolved, &range, GroupBy::All, Some(book)).map_err(err)?;
    same(&plain.totals.rows, &valued.totals.rows, || {
        "totals with and without a book".into()
    })?;
    for (k, &c) in ids.iter().enumerate() {
        let row = plain.totals.rows.iter().find(|r| r.commodity == c);
        let get = |f: fn(&tribute_core::TotalRow) -> Decimal| row.map(f).unwrap_or_default();
        let what = |w: &str| format!("total {w} {k} over {lo}–{hi}");
        same(get(|r| r.owed), amount(k, sum.owed[k]), || what("owed"))?;
        same(get(|r| r.recorded), amount(k, sum.recorded[k]), || {
            what("recorded")
        })?;
        same(get(|r| r.assumed), amount(k, sum.assumed[k]), || {
            what("assumed")
        })?;
        same(get(|r| r.suspended), amount(k, sum.suspended[k]), || {
            what("suspended")
        })?;
        same(get(|r| r.unknown), amount(k, sum.unknown[k]), || {
            what("delivery unknown")
        })?;
    }
    let values = valued.values.as_ref().ok_or("no values")?;
    let zero = tribute_core::Interval::ZERO;
    let group = values.by_group.first();
    let owed = group.map_or(&zero, |g| &g.owed);
    let delivered = group.map_or(&zero, |g| &g.delivered);
    same(
        [owed.low, owed.central, owed.high],
        sum_value[0].map(worth),
        || format!("total value owed over {lo}–{hi}"),
    )?;
    same(
        [delivered.low, delivered.central, delivered.high],
        sum_value[1].map(worth),
        || format!("total value delivered over {lo}–{hi}"),
    )?;
    for (k, &c) in ids.iter().enumerate() {
        let got = group.map(|g| g.unpriced_owed.get(c)).unwrap_or_default();
        same(got, amount(k, unpriced_owed[k]), || {
            format!("total unpriced {k} over {lo}–{hi}")
        })?;
    }
    Ok(())
}
