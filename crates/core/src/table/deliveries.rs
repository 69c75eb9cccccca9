//! `deliveries/*.csv`: one row per recorded handover of one commodity against one stream.
//!
//! Each row becomes a recorded [`Delivery`] item of the treaty it names, exactly as a
//! `[[delivery]]` of that treaty's TOML file would be; its id is the table's file stem and the
//! row's line (`song-12`), which is how reports name it. Deliveries tables are read once every
//! treaty of every layer has loaded without error, so a row may name a treaty written in TOML or
//! in a streams table of any layer. What must always hold: a row names a loaded treaty and one of its streams
//! (a treaty of one stream may leave `stream` blank), and the same checks apply as to a TOML
//! delivery (the stream's delivery must be `unknown` or `none`, checked with the corpus).

use compact_str::CompactString;
use std::collections::BTreeMap;

use super::{Column, Header, Lookups, Row, Table, did_you_mean, read_all};
use crate::amount::Basket;
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Delivery, Item, Target, Variant};
use crate::plugin::{FileKind, Layer, PluginFile};
use crate::registry::Registry;

const TREATY: usize = 0;
const STREAM: usize = 1;
const YEAR: usize = 2;
const COMMODITY: usize = 3;
const AMOUNT: usize = 4;
const UNIT: usize = 5;
const SOURCE: usize = 6;
const NOTE: usize = 7;

/// The columns of a deliveries table, in documented order.
static COLUMNS: [Column; 8] = [
    Column {
        name: "treaty",
        required: true,
    },
    Column {
        name: "stream",
        required: false,
    },
    Column {
        name: "year",
        required: true,
    },
    Column {
        name: "commodity",
        required: true,
    },
    Column {
        name: "amount",
        required: true,
    },
    Column {
        name: "unit",
        required: false,
    },
    Column {
        name: "source",
        required: true,
    },
    Column {
        name: "note",
        required: false,
    },
];

/// Reads the deliveries tables and adds their rows to the treaties they name. A table's id is its
/// file stem: a higher layer's `deliveries/x.csv` replaces a lower layer's, and the same stem twice
/// in one layer is an error naming both files. The id of each treaty given a delivery is added to
/// `given`, if there is one (the treaties whose references the corpus checks).
pub(crate) fn read_deliveries(
    layers: &[Layer],
    reg: &Registry,
    treaties: &mut crate::corpus::Treaties,
    errors: &mut Vec<Error>,
    mut given: Option<&mut Vec<compact_str::CompactString>>,
) {
    // Rows name treaties of other files: like the corpus's cross-file checks, they are read once
    // every treaty has loaded, so a treaty that failed is not reported again as unknown.
    if !errors.is_empty() {
        return;
    }
    let mut chosen: BTreeMap<&str, (usize, &PluginFile)> = BTreeMap::new();
    for (i, layer) in layers.iter().enumerate() {
        for f in layer
            .files
            .iter()
            .filter(|f| f.kind() == FileKind::Deliveries)
        {
            match chosen.insert(f.stem(), (i, f)) {
                Some((j, prev)) if j == i => errors.push(
                    Error::new(
                        ErrorKind::Duplicate,
                        format!(
                            "deliveries table `{}` is defined twice in one folder: {} and {}",
                            f.stem(),
                            prev.display,
                            f.display
                        ),
                    )
                    .in_file(&f.display)
                    .help("a table's id is its file name and is unique within a folder; rename or remove one"),
                ),
                _ => {}
            }
        }
    }
    let files: Vec<(usize, &PluginFile)> = chosen.into_values().collect();
    let known: &crate::corpus::Treaties = treaties;
    let read = read_all(&files, |f| read_table(f, reg, known));
    let mut add: Vec<(String, Item<Delivery>)> = Vec::new();
    for (_, _, result) in read {
        match result {
            Ok(items) => add.extend(items),
            Err(e) => errors.push(e),
        }
    }
    for (id, item) in add {
        let Some(t) = treaties.get_mut(id.as_str()) else {
            continue;
        };
        if t.deliveries.iter().any(|d| d.id == item.id) {
            let v = &item.variants[0];
            errors.push(
                Error::new(
                    ErrorKind::Duplicate,
                    format!("treaty `{id}` already records a delivery with id `{}`", item.id),
                )
                .at(v.at.clone())
                .help("a table row's delivery id is the file stem and line; rename the table or the treaty's [[delivery]]"),
            );
            continue;
        }
        t.deliveries.push(item);
        if let Some(given) = given.as_deref_mut() {
            given.push(t.id.clone());
        }
    }
}

/// One table's rows as (treaty id, delivery item); the first problem is the error.
fn read_table(
    file: &PluginFile,
    reg: &Registry,
    treaties: &crate::corpus::Treaties,
) -> Result<Vec<(String, Item<Delivery>)>> {
    let mut table = Table::new(&file.display, file.text()?, "deliveries table", &COLUMNS);
    let (header, rows) = table.read_with(file.prescan())?;
    let table = &table;
    let mut names = Lookups::new(reg);
    let stem = file.stem();
    rows.iter()
        .map(|row| {
            let (treaty, delivery) = delivery(table, &header, row, &mut names, treaties)?;
            let item = Item {
                id: compact_str::format_compact!("{stem}-{}", table.line(row)),
                variants: vec![Variant {
                    reading: None,
                    def: delivery,
                    at: table.row_at(row),
                }],
            };
            Ok((treaty, item))
        })
        .collect()
}

fn delivery<'a>(
    table: &'a Table,
    header: &Header,
    row: &Row,
    names: &mut Lookups<'_, 'a>,
    treaties: &crate::corpus::Treaties,
) -> Result<(String, Delivery)> {
    let id = table.id(header, row, TREATY)?;
    let Some(t) = treaties.get(id) else {
        return Err(table
            .err(header, row, TREATY, ErrorKind::Reference, format!("unknown treaty `{id}`"))
            .help(format!(
                "{}no loaded treaty has this id (a TOML file's stem, or the `treaty` of a streams table row)",
                did_you_mean(id, treaties.keys().map(CompactString::as_str))
            )));
    };
    let streams: Vec<&str> = t.obligations.iter().map(|o| o.id.as_str()).collect();
    let (stream, col) = match table.cell(header, row, STREAM) {
        Some(_) => {
            let s = table.id(header, row, STREAM)?;
            if !streams.contains(&s) {
                return Err(table
                    .err(
                        header,
                        row,
                        STREAM,
                        ErrorKind::Reference,
                        format!("treaty `{id}` has no stream `{s}`"),
                    )
                    .help(format!(
                        "{}its streams are: {}",
                        did_you_mean(s, streams.iter().copied()),
                        streams.join(", ")
                    )));
            }
            (s.to_string(), STREAM)
        }
        None => match streams.as_slice() {
            [only] => (only.to_string(), TREATY),
            _ => {
                return Err(table
                    .err(
                        header,
                        row,
                        STREAM,
                        ErrorKind::Schema,
                        format!(
                            "treaty `{id}` has {} streams; this row names none",
                            streams.len()
                        ),
                    )
                    .help(format!(
                        "fill `stream` with one of: {}",
                        if streams.is_empty() {
                            "(none)".to_string()
                        } else {
                            streams.join(", ")
                        }
                    )));
            }
        },
    };
    let year = table.year(header, row, YEAR)?;
    let (c, value, _) = table.amount(header, row, [COMMODITY, AMOUNT, UNIT], names)?;
    let mut amounts = Basket::new();
    amounts
        .add_amount(c, value)
        .map_err(|e| table.err(header, row, AMOUNT, e.kind(), e.message()))?;
    let target = Target {
        treaty: t.id.to_string(),
        obligation: Some(stream),
        at: table.cell_at(header, row, col),
    };
    Ok((
        t.id.to_string(),
        Delivery {
            target,
            year,
            amounts,
            sources: table.sources(header, row, SOURCE, names)?,
            note: table.cell(header, row, NOTE).map(str::to_string),
        },
    ))
}
