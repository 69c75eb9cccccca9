//! `streams/*.csv`: one row per stream and commodity, the treaty's header on its rows.
//!
//! Rows with the same `treaty` make one treaty; rows with the same `treaty` and `stream` make one
//! obligation, each row giving one commodity of its payment. A treaty's columns (`name`, `payer`,
//! `payee`, `signed`, `status`, `label`, `summary`) and a stream's (`schedule`, `year`, `from`,
//! `to`, `every`, `count`, `delivery`, `source`, `note`) may be filled on every row of the treaty
//! or stream or on any one of them; where several rows fill one, they must say the same. What must
//! always hold: a table yields exactly the [`Treaty`] values the TOML file of the same treaty would
//! (tests/tables.rs compares ledgers), built through the schedule kind registry, and a treaty id
//! is defined once per folder whichever form defines it.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Arc;

use super::{Column, Header, Row, Table, did_you_mean, read_all, tables};
use crate::amount::{Basket, CommodityId};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{DeliveryMode, Item, Obligation, Status, Treaty, Variant};
use crate::plugin::{FileKind, Layer, PluginFile};
use crate::registry::Registry;
use crate::schedule::{self, ScheduleInput};

const TREATY: usize = 0;
const NAME: usize = 1;
const PAYER: usize = 2;
const PAYEE: usize = 3;
const SIGNED: usize = 4;
const STATUS: usize = 5;
const LABEL: usize = 6;
const SUMMARY: usize = 7;
const STREAM: usize = 8;
const SCHEDULE: usize = 9;
const YEAR: usize = 10;
const FROM: usize = 11;
const TO: usize = 12;
const EVERY: usize = 13;
const COUNT: usize = 14;
const COMMODITY: usize = 15;
const AMOUNT: usize = 16;
const UNIT: usize = 17;
const DELIVERY: usize = 18;
const SOURCE: usize = 19;
const NOTE: usize = 20;

const fn col(name: &'static str, required: bool) -> Column {
    Column { name, required }
}

/// The columns of a streams table, in documented order.
static COLUMNS: [Column; 21] = [
    col("treaty", true),
    col("name", true),
    col("payer", true),
    col("payee", true),
    col("signed", true),
    col("status", true),
    col("label", true),
    col("summary", false),
    col("stream", true),
    col("schedule", true),
    col("year", false),
    col("from", false),
    col("to", false),
    col("every", false),
    col("count", false),
    col("commodity", true),
    col("amount", true),
    col("unit", false),
    col("delivery", false),
    col("source", true),
    col("note", false),
];

/// The schedule columns, each read as a whole number and handed to the schedule kind.
const SCHEDULE_COLUMNS: [usize; 5] = [YEAR, FROM, TO, EVERY, COUNT];

/// Reads every streams table of every layer and decides, treaty by treaty, which definition wins:
/// a higher layer over a lower one, a table and a TOML file alike. The treaties a table wins are
/// removed from `chosen` (the TOML files still to be parsed) and returned; a treaty id defined
/// twice in one layer (by two tables, or a table and a TOML file) is an error naming both files.
pub(crate) fn read_streams(
    layers: &[Layer],
    reg: &Registry,
    chosen: &mut BTreeMap<String, &PluginFile>,
    errors: &mut Vec<Error>,
) -> BTreeMap<String, Treaty> {
    let read = read_all(&tables(layers, FileKind::Streams), |f| read_table(f, reg));
    if read.is_empty() {
        return BTreeMap::new();
    }
    // Which layers define each treaty id in TOML: (layer, file), every one.
    let mut toml: HashMap<&str, Vec<(usize, &str)>> = HashMap::new();
    for (i, layer) in layers.iter().enumerate() {
        for f in layer.files.iter().filter(|f| f.kind() == FileKind::Treaty) {
            toml.entry(f.stem()).or_default().push((i, &f.display));
        }
    }
    // The treaties read, and the one each id keeps (the highest layer's) as an index into them.
    let mut all: Vec<(usize, Treaty)> = Vec::new();
    let mut won: HashMap<String, usize> = HashMap::new();
    for (layer, file, result) in read {
        let treaties = match result {
            Ok(t) => t,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        for t in treaties {
            let twice = |other: &str| {
                Error::new(
                    ErrorKind::Duplicate,
                    format!(
                        "treaty `{}` is defined twice in one folder: in {} and in {other}",
                        t.id, file.display
                    ),
                )
                .at(t.at.clone())
                .help("a treaty id is defined once per folder, by a TOML file or by the rows of one table; remove one")
            };
            if let Some((_, other)) = toml
                .get(t.id.as_str())
                .and_then(|v| v.iter().find(|(i, _)| *i == layer))
            {
                errors.push(twice(other));
                continue;
            }
            if let Some(&k) = won.get(&t.id) {
                if all[k].0 == layer {
                    errors.push(twice(&all[k].1.path));
                    continue;
                }
            }
            won.insert(t.id.clone(), all.len());
            all.push((layer, t));
        }
    }
    let mut keep = vec![false; all.len()];
    for (id, k) in won {
        let toml_top = toml
            .get(id.as_str())
            .and_then(|v| v.iter().map(|(i, _)| *i).max());
        if toml_top.is_none_or(|top| top < all[k].0) {
            chosen.remove(&id);
            keep[k] = true;
        }
    }
    all.into_iter()
        .zip(keep)
        .filter(|(_, keep)| *keep)
        .map(|((_, t), _)| (t.id.clone(), t))
        .collect()
}

/// A treaty's streams: each stream's id and rows, in order of first appearance.
type Streams<'r> = Vec<(&'r str, Vec<&'r Row>)>;

/// Reads one streams table into treaties, in order of first appearance; the first problem (in
/// the file's order) is the error.
fn read_table(file: &PluginFile, reg: &Registry) -> Result<Vec<Treaty>> {
    let text = file.text()?;
    let table = Table {
        display: &file.display,
        file: crate::error::SourceFile::new(file.display.as_str(), &text),
        text,
        what: "streams table",
        spec: &COLUMNS,
    };
    let (header, rows) = table.read()?;
    crate::timing::mark("streams table: rows read");
    // Group rows by treaty, then by stream, keeping the order of first appearance.
    let mut order: Vec<(&str, Streams)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for row in &rows {
        let t = table.id(&header, row, TREATY)?;
        let s = table.id(&header, row, STREAM)?;
        let i = *index.entry(t).or_insert_with(|| {
            order.push((t, Vec::new()));
            order.len().saturating_sub(1)
        });
        let streams = &mut order[i].1;
        match streams.iter_mut().find(|(id, _)| *id == s) {
            Some((_, rows)) => rows.push(row),
            None => streams.push((s, vec![row])),
        }
    }
    crate::timing::mark("streams table: rows grouped");
    let built = crate::plugin::parallel_map(&order, |(id, streams)| {
        treaty(&table, &header, reg, id, streams)
    });
    crate::timing::mark("streams table: treaties built");
    built.into_iter().collect()
}

/// The one value the rows give in column `col` (blank on all but one of them, or the same text on
/// each), with the row that gives it; `None` if all are blank.
fn shared<'r>(
    table: &Table,
    header: &Header,
    rows: &[&'r Row],
    col: usize,
    of: &str,
) -> Result<Option<(&'r str, &'r Row)>> {
    let mut found: Option<(&str, &Row)> = None;
    for &row in rows {
        let Some(v) = table.cell(header, row, col) else {
            continue;
        };
        match found {
            None => found = Some((v, row)),
            Some((first, at)) if first != v => {
                return Err(table
                    .err(
                        header,
                        row,
                        col,
                        ErrorKind::Value,
                        format!("`{v}` here, but line {} gives `{first}` for the same {of}", at.line),
                    )
                    .help(format!(
                        "the rows of one {of} give one value in `{}`: make them agree, or leave all but one blank",
                        COLUMNS[col].name
                    )));
            }
            Some(_) => {}
        }
    }
    Ok(found)
}

/// Like [`shared`], but some row must give it.
fn shared_required<'r>(
    table: &Table,
    header: &Header,
    rows: &[&'r Row],
    col: usize,
    of: &str,
) -> Result<(&'r str, &'r Row)> {
    shared(table, header, rows, col, of)?.ok_or_else(|| {
        table
            .err(
                header,
                rows[0],
                col,
                ErrorKind::Schema,
                format!("no row of this {of} fills the column"),
            )
            .help(format!(
                "fill `{}` on at least one row of the {of}",
                COLUMNS[col].name
            ))
    })
}

/// A party cell: a party of the registry (by id or alias, in any case), kept as the registry's id.
fn party(
    table: &Table,
    header: &Header,
    rows: &[&Row],
    col: usize,
    reg: &Registry,
) -> Result<String> {
    let (name, row) = shared_required(table, header, rows, col, "treaty")?;
    let Some(party) = reg.find_party(name) else {
        let known = reg.parties().iter().map(|p| p.id.as_str());
        return Err(table
            .err(header, row, col, ErrorKind::Reference, format!("unknown party `{name}`"))
            .help(format!(
                "{}a table's parties are declared in a registry file as [[party]]; a name typed on many rows must not start a new party by a typo",
                did_you_mean(name, known)
            )));
    };
    Ok(party.id.clone())
}

fn treaty(
    table: &Table,
    header: &Header,
    reg: &Registry,
    id: &str,
    streams: &[(&str, Vec<&Row>)],
) -> Result<Treaty> {
    let rows: Vec<&Row> = streams
        .iter()
        .flat_map(|(_, r)| r.iter().copied())
        .collect();
    let (name, _) = shared_required(table, header, &rows, NAME, "treaty")?;
    let payer = party(table, header, &rows, PAYER, reg)?;
    let payee = party(table, header, &rows, PAYEE, reg)?;
    let (_, signed_row) = shared_required(table, header, &rows, SIGNED, "treaty")?;
    let signed = table.year(header, signed_row, SIGNED)?;
    let (status, status_row) = shared_required(table, header, &rows, STATUS, "treaty")?;
    let Some(status) = Status::parse(status) else {
        return Err(table
            .err(
                header,
                status_row,
                STATUS,
                ErrorKind::Value,
                format!("unknown status `{status}`"),
            )
            .help("status is in-force, demand or never-in-force"));
    };
    let (label, _) = shared_required(table, header, &rows, LABEL, "treaty")?;
    let summary = shared(table, header, &rows, SUMMARY, "treaty")?.map(|(s, _)| s.to_string());
    let first = streams
        .iter()
        .map(|(_, r)| r[0])
        .min_by_key(|r| r.start)
        .unwrap_or(rows[0]);
    let mut obligations = Vec::with_capacity(streams.len());
    for (stream_id, stream_rows) in streams {
        obligations.push(Item {
            id: stream_id.to_string(),
            variants: vec![Variant {
                reading: None,
                def: obligation(table, header, reg, stream_rows)?,
                at: table.row_at(stream_rows[0]),
            }],
        });
    }
    Ok(Treaty {
        id: id.to_string(),
        name: name.to_string(),
        payer,
        payee,
        signed,
        status,
        label: label.to_string(),
        summary,
        notes: None,
        sources: Vec::new(),
        local_sources: Vec::new(),
        obligations,
        amendments: Vec::new(),
        suspensions: Vec::new(),
        deliveries: Vec::new(),
        claims: Vec::new(),
        path: table.display.to_string(),
        at: table.row_at(first),
    })
}

/// One stream's rows as an obligation: its schedule through the schedule kind registry, one
/// commodity per row.
fn obligation(table: &Table, header: &Header, reg: &Registry, rows: &[&Row]) -> Result<Obligation> {
    let (name, at) = shared_required(table, header, rows, SCHEDULE, "stream")?;
    let Some(kind) = schedule::kind(name) else {
        let names = schedule::KINDS.iter().map(|k| k.name);
        return Err(table
            .err(
                header,
                at,
                SCHEDULE,
                ErrorKind::Value,
                format!("unknown schedule `{name}`"),
            )
            .help(format!(
                "{}schedule is one of: {}",
                did_you_mean(name, names.clone()),
                names.collect::<Vec<_>>().join(", ")
            )));
    };
    // The kind's keys, in the table's words (its amounts are the `amount` column), for messages.
    let takes_total = kind.keys.contains(&"total");
    let columns = || {
        kind.keys
            .iter()
            .map(|k| {
                if matches!(*k, "amounts" | "total") {
                    "amount"
                } else {
                    k
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Each schedule column: the one value the stream's rows give, as a number with its span.
    let mut values: [Option<(i64, Range<usize>)>; 5] = Default::default();
    let mut spans: Vec<(Range<usize>, usize)> = Vec::new();
    for (slot, &c) in values.iter_mut().zip(&SCHEDULE_COLUMNS) {
        let Some((_, row)) = shared(table, header, rows, c, "stream")? else {
            continue;
        };
        if !kind.keys.contains(&COLUMNS[c].name) {
            return Err(table
                .err(
                    header,
                    row,
                    c,
                    ErrorKind::Schema,
                    format!("a {} schedule takes no `{}`", kind.name, COLUMNS[c].name),
                )
                .help(format!(
                    "leave it blank; a {} stream fills {}",
                    kind.name,
                    columns()
                )));
        }
        *slot = table.integer(header, row, c)?;
        if let Some((_, span)) = slot {
            spans.push((span.clone(), c));
        }
    }
    // One commodity per row.
    let mut basket = Basket::new();
    let mut places: Vec<(CommodityId, u32)> = Vec::new();
    let mut seen: Vec<(CommodityId, usize)> = Vec::new();
    for &row in rows {
        let (c, value, written) = table.amount(header, row, [COMMODITY, AMOUNT, UNIT], reg)?;
        if let Some((_, line)) = seen.iter().find(|(x, _)| *x == c) {
            return Err(table
                .err(header, row, COMMODITY, ErrorKind::Duplicate, format!("this stream already has a row of {} (line {line})", reg.commodity(c).id))
                .help("give each commodity of a stream one row; a second payment in the same commodity is a stream of its own"));
        }
        seen.push((c, row.line));
        places.push((c, written));
        basket
            .add_amount(c, value)
            .map_err(|e| table.err(header, row, AMOUNT, e.kind(), e.message()))?;
    }
    places.sort_unstable();
    let amount_span = table.cell_span(header, rows[0], AMOUNT);
    spans.push((amount_span.clone(), AMOUNT));
    let row_span = table.row_span(rows[0]);
    let [year, from, to, every, count] = values;
    let (amounts, total) = if takes_total {
        (None, Some((basket, amount_span)))
    } else {
        (Some((basket, amount_span)), None)
    };
    let input = ScheduleInput {
        year,
        from,
        to,
        every,
        count,
        amounts,
        total,
        total_places: if takes_total { places } else { Vec::new() },
        // A table has fixed columns: a kind with keys of its own is written in TOML.
        extra: Default::default(),
        table: row_span.clone(),
        read_amounts: None,
        text: None,
    };
    let schedule = (kind.build)(&input).map_err(|e| {
        let row = rows
            .iter()
            .copied()
            .filter(|r| r.start <= e.span.start)
            .max_by_key(|r| r.start)
            .unwrap_or(rows[0]);
        match spans.iter().find(|(s, _)| *s == e.span) {
            Some((_, c)) => {
                let err = table.err(header, row, *c, ErrorKind::Value, &e.message);
                match &e.help {
                    Some(h) => err.help(h.clone()),
                    None => err,
                }
            }
            // About the stream as a whole: a column no row fills, or the schedule's extent.
            None if e.message.contains(" needs `") => {
                Error::new(ErrorKind::Schema, e.message.clone())
                    .at(table.row_at(rows[0]))
                    .help(format!(
                        "fill the column on a row of this stream; a {} stream fills {}",
                        kind.name,
                        columns()
                    ))
            }
            None => {
                let err = Error::new(ErrorKind::Value, e.message.clone()).at(table.row_at(rows[0]));
                match &e.help {
                    Some(h) => err.help(h.clone()),
                    None => err,
                }
            }
        }
    })?;
    let delivery = match shared(table, header, rows, DELIVERY, "stream")? {
        None | Some(("as-owed", _)) => DeliveryMode::AsOwed,
        Some(("unknown", _)) => DeliveryMode::Unknown,
        Some(("none", _)) => DeliveryMode::None,
        Some((other, row)) => {
            return Err(table
                .err(
                    header,
                    row,
                    DELIVERY,
                    ErrorKind::Value,
                    format!("unknown delivery `{other}`"),
                )
                .help("delivery is as-owed (also when blank), unknown or none"));
        }
    };
    let (_, source_row) = shared_required(table, header, rows, SOURCE, "stream")?;
    Ok(Obligation {
        ground: None,
        payer: None,
        payee: None,
        finances: None,
        received: None,
        schedule: Arc::from(schedule),
        delivery,
        label: None,
        sources: table.sources(header, source_row, SOURCE, reg)?,
        note: shared(table, header, rows, NOTE, "stream")?.map(|(n, _)| n.to_string()),
    })
}
