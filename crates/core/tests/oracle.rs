//! Property test: the closed-form engine equals a naive year-by-year evaluation.
//!
//! Random treaties (recurring, one-time and installment streams; adjustments, ends and
//! suspensions from later treaties; readings) are written as TOML and loaded through the real
//! loader. The oracle below never sees the loader's or the engine's types: it evaluates the
//! generator's own model year by year, the obvious way. Ledger rows (owed, delivered, cumulative)
//! and totals over random ranges must agree exactly.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use proptest::prelude::*;
use rust_decimal::Decimal;
use tribute_core::{
    Corpus, GroupBy, Layer, Ledger, PluginFile, Query, Readings, Resolved, Status, Totals, builtin,
};

#[derive(Debug, Clone)]
enum Sched {
    Once {
        year: i32,
    },
    Every {
        from: i32,
        to: Option<i32>,
        every: u32,
    },
    Installments {
        from: i32,
        count: u32,
        every: u32,
    },
}

#[derive(Debug, Clone)]
struct Stream {
    sched: Sched,
    /// Per payment in hundredths of a tael, written with two decimals (`12.05 tael`), so sums mix
    /// scales (silk is whole bolts) and meet zeros of a larger scale.
    /// For installments: per installment; the file states the total.
    silver: i64,
    silk: i64,
    /// An alternative per-payment silver figure offered as reading `alt`.
    alt_silver: Option<i64>,
}

#[derive(Debug, Clone)]
enum Change {
    Adjust {
        from: i32,
        to: Option<i32>,
        silver: i64,
    },
    End {
        from: i32,
    },
    Suspend {
        from: i32,
        to: i32,
    },
}

#[derive(Debug, Clone)]
struct Model {
    streams: Vec<Stream>,
    /// (changing treaty index, target stream index, change); the changer is always later.
    changes: Vec<(usize, usize, Change)>,
}

const LO: i32 = 1000;
const HI: i32 = 1060;

fn stream() -> impl Strategy<Value = Stream> {
    let sched = prop_oneof![
        (LO..HI).prop_map(|year| Sched::Once { year }),
        (LO..HI, proptest::option::of(0i32..30), 1u32..4).prop_map(|(from, len, every)| {
            Sched::Every {
                from,
                to: len.map(|l| from + l),
                every,
            }
        }),
        (LO..HI, 1u32..6, 1u32..3).prop_map(|(from, count, every)| Sched::Installments {
            from,
            count,
            every
        }),
    ];
    (
        sched,
        0i64..1000,
        0i64..1000,
        proptest::option::of(0i64..1000),
    )
        .prop_map(|(sched, silver, silk, alt_silver)| Stream {
            sched,
            silver: silver + 1,
            silk,
            alt_silver: alt_silver.map(|a| a + 1),
        })
}

fn model() -> impl Strategy<Value = Model> {
    proptest::collection::vec(stream(), 1..5).prop_flat_map(|streams| {
        let n = streams.len();
        let change = (
            LO..HI,
            proptest::option::of(0i32..20),
            0i64..200_000,
            0u8..3,
        );
        let changes = proptest::collection::vec((0..n, 0..n, change), 0..6).prop_map(move |raw| {
            raw.into_iter()
                .filter(|(a, b, _)| a > b)
                .map(|(by, target, (from, len, amount, kind))| {
                    let c = match kind {
                        0 => Change::Adjust {
                            from,
                            to: len.map(|l| from + l),
                            silver: amount - 500,
                        },
                        1 => Change::End { from },
                        _ => Change::Suspend {
                            from,
                            to: from + len.unwrap_or(3),
                        },
                    };
                    (by, target, c)
                })
                .collect::<Vec<_>>()
        });
        (Just(streams), changes).prop_map(|(streams, changes)| Model { streams, changes })
    })
}

impl Model {
    /// Makes every adjustment safe (no payment below zero) and every open stream ended.
    fn tidy(mut self) -> Model {
        for (i, s) in self.streams.iter_mut().enumerate() {
            let ended = self
                .changes
                .iter()
                .any(|(_, t, c)| *t == i && matches!(c, Change::End { .. }));
            if let Sched::Every { to: None, from, .. } = s.sched {
                if !ended {
                    s.sched = Sched::Every {
                        from,
                        to: Some(from + 10),
                        every: 1,
                    };
                }
            }
        }
        let mut seen: BTreeMap<usize, i64> = BTreeMap::new();
        for (_, t, c) in &mut self.changes {
            if let Change::Adjust { silver, .. } = c {
                let base = self.streams[*t]
                    .silver
                    .min(self.streams[*t].alt_silver.unwrap_or(i64::MAX));
                let used = seen.entry(*t).or_default();
                // Cuts on one target add up to at most its smallest payment.
                if *silver < 0 {
                    *silver = (*silver).max(-(base - *used).max(0));
                    *used -= *silver;
                }
            }
        }
        self
    }

    fn toml(&self, i: usize) -> String {
        let s = &self.streams[i];
        let mut t = format!(
            "name = \"t{i}\"\npayer = \"P\"\npayee = \"Q\"\nsigned = 1000\nstatus = \"in-force\"\nlabel = \"tribute\"\n\n[source.s]\ntitle = \"generated\"\nquality = \"A\"\n\n[[obligation]]\nid = \"o\"\nsource = \"s\"\n"
        );
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
                Change::End { from } => {
                    write!(t, "\n[[amendment]]\nid = \"c{k}\"\naction = \"end\"\ntarget = \"t{target}/o\"\nfrom = {from}\nsource = \"s\"\n").unwrap();
                }
                Change::Suspend { from, to } => {
                    write!(t, "\n[[suspension]]\nid = \"c{k}\"\ntargets = [\"t{target}\"]\nfrom = {from}\nto = {to}\nsource = \"s\"\n").unwrap();
                }
            }
        }
        t
    }

    /// The oracle: (silver owed, silk owed, silver delivered, silk delivered) in `year`.
    fn year(&self, year: i32, alt: bool) -> [i64; 4] {
        let mut out = [0i64; 4];
        for (i, s) in self.streams.iter().enumerate() {
            let cut = self
                .changes
                .iter()
                .filter(|(_, t, _)| *t == i)
                .filter_map(|(_, _, c)| match c {
                    Change::End { from } => Some(*from),
                    _ => None,
                })
                .min();
            let falls = match &s.sched {
                Sched::Once { year: y } => *y == year,
                Sched::Every { from, to, every } => {
                    let last = to.unwrap_or(i32::MAX);
                    year >= *from && year <= last && (year - from) % (*every as i32) == 0
                }
                Sched::Installments { from, count, every } => {
                    year >= *from
                        && (year - from) % (*every as i32) == 0
                        && (year - from) / (*every as i32) < *count as i32
                }
            };
            if !falls || cut.is_some_and(|c| year >= c) {
                continue;
            }
            let mut silver = if alt {
                s.alt_silver.unwrap_or(s.silver)
            } else {
                s.silver
            };
            for (_, t, c) in &self.changes {
                if let (
                    true,
                    Change::Adjust {
                        from,
                        to,
                        silver: d,
                    },
                ) = (*t == i, c)
                {
                    if year >= *from && year <= to.unwrap_or(i32::MAX) {
                        silver += d;
                    }
                }
            }
            let suspended = self.changes.iter().any(|(_, t, c)| {
                *t == i && matches!(c, Change::Suspend { from, to } if *from <= year && year <= *to)
            });
            out[0] += silver;
            out[1] += s.silk;
            if !suspended {
                out[2] += silver;
                out[3] += s.silk;
            }
        }
        out
    }
}

fn load(model: &Model) -> Corpus {
    let mut files: Vec<PluginFile> = (0..model.streams.len())
        .map(|i| PluginFile {
            relative: format!("t{i}.toml"),
            display: format!("t{i}.toml"),
            bytes: model.toml(i).into_bytes().into(),
        })
        .collect();
    // The generated treaties' parties (a payer or payee must be known to the registry).
    files.push(PluginFile {
        relative: "registry/parties.toml".into(),
        display: "registry/parties.toml".into(),
        bytes: b"[[party]]\nid = \"P\"\n\n[[party]]\nid = \"Q\"\n"[..].into(),
    });
    let layer = Layer {
        name: "generated".into(),
        files,
    };
    match Corpus::load(&[builtin(), layer]) {
        Ok(c) => c,
        Err(errors) => panic!(
            "generated corpus did not load: {errors:?}\n{}",
            (0..model.streams.len())
                .map(|i| model.toml(i))
                .collect::<Vec<_>>()
                .join("\n----\n")
        ),
    }
}

fn dec(n: i64) -> Decimal {
    Decimal::from(n)
}

/// Hundredths as a decimal string with two places: 1205 → `12.05`, -5 → `-0.05`.
fn cents(v: i64) -> String {
    format!(
        "{}{}.{:02}",
        if v < 0 { "-" } else { "" },
        v.abs() / 100,
        v.abs() % 100
    )
}

/// Hundredths as an exact decimal.
fn money(v: i64) -> Decimal {
    Decimal::new(v, 2)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    #[test]
    fn closed_form_equals_the_year_by_year_oracle(model in model(), alt in any::<bool>(), a in LO - 5..HI + 40, b in LO - 5..HI + 40) {
        let model = model.tidy();
        let corpus = load(&model);
        let names = if alt && corpus.reading_names().contains(&"alt".to_string()) { vec!["alt".to_string()] } else { vec![] };
        let alt = !names.is_empty();
        let readings = Readings::select(&names, &corpus).unwrap();
        let resolved = Resolved::new(&corpus, &readings).unwrap();
        let silver = corpus.registry.find_commodity("silver").unwrap();
        let silk = corpus.registry.find_commodity("silk").unwrap();
        let query = Query { payer: Some("P".into()), statuses: vec![Status::InForce], ..Query::default() };

        // Ledger over a fixed window that covers everything: every row and the running sums.
        let ledger = Ledger::new(&corpus, &resolved, &Query { from: Some(LO - 5), to: Some(HI + 40), ..query.clone() }).unwrap();
        let mut cum = [0i64; 4];
        for row in &ledger.rows {
            let o = model.year(row.year, alt);
            for k in 0..4 { cum[k] += o[k]; }
            prop_assert_eq!(row.owed.get(silver), money(o[0]), "silver owed in {}", row.year);
            prop_assert_eq!(row.owed.get(silk), dec(o[1]), "silk owed in {}", row.year);
            prop_assert_eq!(row.delivered.get(silver), money(o[2]), "silver delivered in {}", row.year);
            prop_assert_eq!(row.delivered.get(silk), dec(o[3]), "silk delivered in {}", row.year);
            prop_assert_eq!(row.cum_owed.get(silver), money(cum[0]));
            prop_assert_eq!(row.cum_delivered.get(silk), dec(cum[3]));
        }

        // A ledger that starts late still counts cumulative sums from the beginning.
        let start = a.min(b);
        let late = Ledger::new(&corpus, &resolved, &Query { from: Some(start), to: Some(HI + 40), ..query.clone() }).unwrap();
        if let Some(first) = late.rows.first() {
            let before: i64 = (LO - 5..=start).map(|y| model.year(y, alt)[0]).sum();
            prop_assert_eq!(first.cum_owed.get(silver), money(before));
        }

        // Totals over a random range.
        let (lo, hi) = (a.min(b), a.max(b));
        let totals = Totals::new(&corpus, &resolved, &Query { from: Some(lo), to: Some(hi), ..query }, GroupBy::All).unwrap();
        let mut expect = [0i64; 4];
        for y in lo..=hi {
            let o = model.year(y, alt);
            for k in 0..4 { expect[k] += o[k]; }
        }
        let get = |c, f: fn(&tribute_core::TotalRow) -> Decimal| totals.rows.iter().find(|r| r.commodity == c).map(f).unwrap_or_default();
        prop_assert_eq!(get(silver, |r| r.owed), money(expect[0]));
        prop_assert_eq!(get(silk, |r| r.owed), dec(expect[1]));
        prop_assert_eq!(get(silver, |r| r.delivered), money(expect[2]));
        prop_assert_eq!(get(silk, |r| r.delivered), dec(expect[3]));
        prop_assert_eq!(get(silver, |r| r.suspended), money(expect[0] - expect[2]));
    }
}
