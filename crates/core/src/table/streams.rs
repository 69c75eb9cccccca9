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

use compact_str::CompactString;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use super::{Column, Header, Lookups, Row, Table, did_you_mean, read_all, tables};
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
) -> crate::corpus::Treaties {
    let mut read = read_all(&tables(layers, FileKind::Streams), |f| read_table(f, reg));
    if read.is_empty() {
        return BTreeMap::new();
    }
    // Which layers define each treaty id in TOML: (layer, file), every one.
    let mut toml: FxHashMap<&str, Vec<(usize, &str)>> = FxHashMap::default();
    for (i, layer) in layers.iter().enumerate() {
        for f in layer.files.iter().filter(|f| f.kind() == FileKind::Treaty) {
            toml.entry(f.stem()).or_default().push((i, &f.display));
        }
    }
    let twice = |t: &Treaty, file: &PluginFile, other: &str| {
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
    // One table (the usual case): its treaty ids are distinct, so each is checked against the
    // TOML files alone, and the treaties go to the map without an index of their own.
    if read.len() == 1 {
        let Some((layer, file, result)) = read.pop() else {
            return BTreeMap::new();
        };
        let treaties = match result {
            Ok(t) => t,
            Err(e) => {
                errors.push(e);
                return BTreeMap::new();
            }
        };
        if toml.is_empty() {
            // The list's own memory becomes the map's input (no copy of 10,000 treaties).
            return treaties.into_iter().collect();
        }
        let mut treaties = treaties;
        treaties.retain(|(id, t)| {
            let Some(defs) = toml.get(id.as_str()) else {
                return true;
            };
            if let Some((_, other)) = defs.iter().find(|(i, _)| *i == layer) {
                errors.push(twice(t, file, other));
                false
            } else if defs.iter().all(|(i, _)| *i < layer) {
                chosen.remove(id.as_str());
                true
            } else {
                false
            }
        });
        return treaties.into_iter().collect();
    }
    // The treaties read, and the one each id keeps (the highest layer's) as an index into them.
    let mut all: Vec<(usize, Box<Treaty>)> = Vec::new();
    let mut won: FxHashMap<String, usize> = FxHashMap::default();
    for (layer, file, result) in read {
        let treaties = match result {
            Ok(t) => t,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        for (_, t) in treaties {
            if let Some((_, other)) = toml
                .get(t.id.as_str())
                .and_then(|v| v.iter().find(|(i, _)| *i == layer))
            {
                errors.push(twice(&t, file, other));
                continue;
            }
            if let Some(&k) = won.get(t.id.as_str()) {
                if all[k].0 == layer {
                    errors.push(twice(&t, file, &all[k].1.path));
                    continue;
                }
            }
            won.insert(t.id.to_string(), all.len());
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

/// A table's rows grouped by treaty and stream: `rows` holds them treaty by treaty (in order of
/// each treaty's first row), each treaty's stream by stream (in order of each stream's first
/// row), each stream's in the file's order; the treaties and streams are ranges of it.
struct Grouped<'a> {
    /// The rows, in that order.
    rows: Vec<&'a Row>,
    /// Each stream: its id and its rows in `rows`.
    streams: Vec<(&'a str, Range<usize>)>,
    /// Each treaty: its id, its rows in `rows` and its streams in `streams`.
    treaties: Vec<(&'a str, Range<usize>, Range<usize>)>,
}

impl<'a> Grouped<'a> {
    /// The rows of a range of `rows`.
    fn rows(&self, range: &Range<usize>) -> &[&'a Row] {
        self.rows.get(range.clone()).unwrap_or_default()
    }
}

/// Groups the rows of a table by treaty, then stream, in order of first appearance; a treaty or
/// stream id that is not kebab-case is the error (the first in the file's order).
fn group<'a>(table: &'a Table, header: &Header, rows: &'a [Row]) -> Result<Grouped<'a>> {
    use rayon::prelude::*;
    // The ids of a run of rows; the ids of a big table's rows are read on all cores, in runs
    // whose results are joined in order (so the first bad id is the first in the file).
    const RUN: usize = 4096;
    let read = |rows: &'a [Row]| -> Result<Vec<(&'a str, &'a str)>> {
        rows.iter()
            .map(|row| {
                Ok((
                    table.id(header, row, TREATY)?,
                    table.id(header, row, STREAM)?,
                ))
            })
            .collect()
    };
    let ids = if rows.len() < RUN.saturating_mul(2) {
        read(rows)?
    } else {
        let runs: Vec<Result<Vec<(&str, &str)>>> = rows.par_chunks(RUN).map(read).collect();
        let mut ids = Vec::with_capacity(rows.len());
        for run in runs {
            ids.extend(run?);
        }
        ids
    };
    Ok(runs(rows, &ids).unwrap_or_else(|| scattered(rows, &ids)))
}

/// The grouping when each treaty's rows, and each stream's within them, are contiguous (as a
/// spreadsheet sorted by treaty writes them, and `tribute synth`): one pass over the rows, the
/// file's order kept; `None` if some treaty or stream comes back after another.
fn runs<'a>(rows: &'a [Row], ids: &[(&'a str, &'a str)]) -> Option<Grouped<'a>> {
    let mut streams: Vec<(&str, Range<usize>)> = Vec::new();
    let mut treaties: Vec<(&str, Range<usize>, Range<usize>)> = Vec::new();
    // Whether the treaty ids come in ascending order, and so are known to be distinct.
    let mut ascending = true;
    for (i, &(t, s)) in ids.iter().enumerate() {
        let next = i.saturating_add(1);
        match treaties.last_mut() {
            Some((id, rows, own)) if *id == t => {
                rows.end = next;
                match streams.last_mut() {
                    Some((sid, range)) if *sid == s => range.end = next,
                    _ => {
                        if streams[own.clone()].iter().any(|(sid, _)| *sid == s) {
                            return None;
                        }
                        streams.push((s, i..next));
                        own.end = streams.len();
                    }
                }
            }
            last => {
                ascending &= last.is_none_or(|(id, _, _)| *id < t);
                streams.push((s, i..next));
                treaties.push((t, i..next, streams.len().saturating_sub(1)..streams.len()));
            }
        }
    }
    if !ascending {
        let mut seen = FxHashSet::with_capacity_and_hasher(treaties.len(), Default::default());
        if !treaties.iter().all(|(id, _, _)| seen.insert(*id)) {
            return None;
        }
    }
    Some(Grouped {
        rows: rows.iter().collect(),
        streams,
        treaties,
    })
}

/// The grouping of rows in any order: a treaty's or stream's rows may be anywhere in the file.
fn scattered<'a>(rows: &'a [Row], ids: &[(&'a str, &'a str)]) -> Grouped<'a> {
    // Each treaty's streams, each stream's rows, in order of first appearance.
    let mut order: Vec<(&str, Streams)> = Vec::new();
    let mut index: FxHashMap<&str, usize> = FxHashMap::default();
    for (row, &(t, s)) in rows.iter().zip(ids) {
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
    let mut grouped = Grouped {
        rows: Vec::with_capacity(rows.len()),
        streams: Vec::new(),
        treaties: Vec::with_capacity(order.len()),
    };
    for (t, streams) in order {
        let (first_row, first_stream) = (grouped.rows.len(), grouped.streams.len());
        for (s, rows) in streams {
            let start = grouped.rows.len();
            grouped.rows.extend(rows);
            grouped.streams.push((s, start..grouped.rows.len()));
        }
        grouped.treaties.push((
            t,
            first_row..grouped.rows.len(),
            first_stream..grouped.streams.len(),
        ));
    }
    grouped
}

/// Reads one streams table into treaties with their ids, in order of first appearance; the first
/// problem (in the file's order) is the error.
fn read_table(file: &PluginFile, reg: &Registry) -> Result<Vec<(CompactString, Box<Treaty>)>> {
    let mut table = Table::new(&file.display, file.text()?, "streams table", &COLUMNS);
    let (header, rows) = table.read_with(file.prescan())?;
    let table = &table;
    crate::timing::mark("streams table: rows read");
    let grouped = group(table, &header, &rows)?;
    crate::timing::mark("streams table: rows grouped");
    let mut built = build_all(&grouped.treaties, reg, |names, (id, rows, streams)| {
        treaty(table, &header, names, id, &grouped, rows, streams)
    });
    crate::timing::mark("streams table: treaties built");
    if let Some(bad) = built.iter().position(Result::is_err) {
        built.swap_remove(bad)?;
    }
    // Collected in place: the treaties are not copied to a list of their own.
    Ok(built.into_iter().filter_map(Result::ok).collect())
}

/// `build` of each item, in order, on all cores: the calling thread builds chunks of the items
/// as rayon's threads do (taking the next one from a shared counter), so that it is not idle
/// while they work, and half the treaties' memory comes from its own heap, which grows in large
/// steps, rather than from a worker's, which glibc grows one page at a time (a system call
/// each: about 2,500 for 10,000 treaties).
fn build_all<'r, 't, T: Sync, R: Send>(
    items: &[T],
    reg: &'r Registry,
    build: impl Fn(&mut Lookups<'r, 't>, &T) -> R + Sync,
) -> Vec<R> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    const CHUNK: usize = 128;
    let threads = rayon::current_num_threads();
    if items.len() < 64 || threads < 2 {
        let mut names = Lookups::new(reg);
        return items.iter().map(|item| build(&mut names, item)).collect();
    }
    let mut out: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    let slots: Vec<Mutex<&mut [Option<R>]>> = out.chunks_mut(CHUNK).map(Mutex::new).collect();
    let next = AtomicUsize::new(0);
    let work = || {
        let mut names = Lookups::new(reg);
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            let (Some(slot), Some(chunk)) = (slots.get(k), items.chunks(CHUNK).nth(k)) else {
                break;
            };
            let mut slot = slot
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            for (place, item) in slot.iter_mut().zip(chunk) {
                *place = Some(build(&mut names, item));
            }
        }
    };
    rayon::in_place_scope(|s| {
        for _ in 1..threads {
            s.spawn(|_| work());
        }
        work();
    });
    drop(slots);
    // Every slot is filled (a panic in `build` would have ended the scope): collected in place.
    out.into_iter().map_while(|r| r).collect()
}

/// The one value the rows give in column `col` (blank on all but one of them, or the same text on
/// each), with the row that gives it; `None` if all are blank.
fn shared<'a>(
    table: &'a Table,
    header: &Header,
    rows: &[&'a Row],
    col: usize,
    of: &str,
) -> Result<Option<(&'a str, &'a Row)>> {
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
                        format!("`{v}` here, but line {} gives `{first}` for the same {of}", table.line(at)),
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
fn shared_required<'a>(
    table: &'a Table,
    header: &Header,
    rows: &[&'a Row],
    col: usize,
    of: &str,
) -> Result<(&'a str, &'a Row)> {
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
fn party<'a>(
    table: &'a Table,
    header: &Header,
    rows: &[&'a Row],
    col: usize,
    names: &mut Lookups<'_, 'a>,
) -> Result<CompactString> {
    let (name, row) = shared_required(table, header, rows, col, "treaty")?;
    let Some(party) = names.party(name) else {
        let known = names.reg.parties().iter().map(|p| p.id.as_str());
        return Err(table
            .err(header, row, col, ErrorKind::Reference, format!("unknown party `{name}`"))
            .help(format!(
                "{}a table's parties are declared in a registry file as [[party]]; a name typed on many rows must not start a new party by a typo",
                did_you_mean(name, known)
            )));
    };
    Ok(CompactString::new(&party.id))
}

fn treaty<'a>(
    table: &'a Table,
    header: &Header,
    names: &mut Lookups<'_, 'a>,
    id: &str,
    grouped: &Grouped<'a>,
    rows: &Range<usize>,
    streams: &Range<usize>,
) -> Result<(CompactString, Box<Treaty>)> {
    let rows = grouped.rows(rows);
    let streams = grouped.streams.get(streams.clone()).unwrap_or_default();
    let (name, _) = shared_required(table, header, rows, NAME, "treaty")?;
    let payer = party(table, header, rows, PAYER, names)?;
    let payee = party(table, header, rows, PAYEE, names)?;
    let (_, signed_row) = shared_required(table, header, rows, SIGNED, "treaty")?;
    let signed = table.year(header, signed_row, SIGNED)?;
    let (status, status_row) = shared_required(table, header, rows, STATUS, "treaty")?;
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
    let (label, _) = shared_required(table, header, rows, LABEL, "treaty")?;
    let summary = shared(table, header, rows, SUMMARY, "treaty")?.map(|(s, _)| s.to_string());
    let first = streams
        .iter()
        .filter_map(|(_, r)| grouped.rows(r).first())
        .min_by_key(|r| r.start)
        .unwrap_or(&rows[0]);
    let mut obligations = Vec::with_capacity(streams.len());
    for (stream_id, stream_rows) in streams {
        let stream_rows = grouped.rows(stream_rows);
        obligations.push(Item {
            id: CompactString::new(stream_id),
            variants: vec![Variant {
                reading: None,
                def: obligation(table, header, names, stream_rows)?,
                at: table.row_at(stream_rows[0]),
            }],
        });
    }
    Ok((
        CompactString::new(id),
        Box::new(Treaty {
            id: CompactString::new(id),
            name: CompactString::new(name),
            payer,
            payee,
            signed,
            status,
            label: CompactString::new(label),
            summary,
            notes: None,
            sources: Vec::new(),
            local_sources: Vec::new(),
            obligations,
            // No amendments, suspensions, claims or loans (`finances`): the corpus does not check
            // a table treaty's references (`Corpus::load`), so a column for any of them must
            // end that.
            amendments: Vec::new(),
            suspensions: Vec::new(),
            deliveries: Vec::new(),
            claims: Vec::new(),
            path: table.display.to_string(),
            at: table.row_at(first),
        }),
    ))
}

/// One stream's rows as an obligation: its schedule through the schedule kind registry, one
/// commodity per row.
fn obligation<'a>(
    table: &'a Table,
    header: &Header,
    names: &mut Lookups<'_, 'a>,
    rows: &[&'a Row],
) -> Result<Obligation> {
    let reg = names.reg;
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
    }
    // The span each schedule column was read from, to place a kind's error at its cell.
    let spans = values.clone().map(|v| v.map(|(_, span)| span));
    // One commodity per row; a second row of a commodity already given is the error.
    let mut basket = Basket::new();
    let mut places: Vec<(CommodityId, u32)> =
        Vec::with_capacity(if takes_total { rows.len() } else { 0 });
    for (k, &row) in rows.iter().enumerate() {
        let (c, value, written) = table.amount(header, row, [COMMODITY, AMOUNT, UNIT], names)?;
        let before = rows[..k].iter().find(|r| {
            table
                .cell(header, r, COMMODITY)
                .and_then(|n| names.commodity(n))
                == Some(c)
        });
        if let Some(before) = before {
            return Err(table
                .err(header, row, COMMODITY, ErrorKind::Duplicate, format!("this stream already has a row of {} (line {})", reg.commodity(c).id, table.line(before)))
                .help("give each commodity of a stream one row; a second payment in the same commodity is a stream of its own"));
        }
        if takes_total {
            places.push((c, written));
        }
        basket
            .add_amount(c, value)
            .map_err(|e| table.err(header, row, AMOUNT, e.kind(), e.message()))?;
    }
    places.sort_unstable();
    let amount_span = table.cell_span(header, rows[0], AMOUNT);
    let row_span = table.row_span(rows[0]);
    let [year, from, to, every, count] = values;
    let (amounts, total) = if takes_total {
        (None, Some((basket, amount_span.clone())))
    } else {
        (Some((basket, amount_span.clone())), None)
    };
    let input = ScheduleInput {
        year,
        from,
        to,
        every,
        count,
        amounts,
        total,
        total_places: places,
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
        let column = spans
            .iter()
            .zip(SCHEDULE_COLUMNS)
            .find(|(s, _)| s.as_ref() == Some(&e.span))
            .map(|(_, c)| c)
            .or((amount_span == e.span).then_some(AMOUNT));
        match column {
            Some(c) => {
                let err = table.err(header, row, c, ErrorKind::Value, &e.message);
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
        sources: table.sources(header, source_row, SOURCE, names)?,
        note: shared(table, header, rows, NOTE, "stream")?.map(|(n, _)| n.to_string()),
    })
}
