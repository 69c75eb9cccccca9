//! Tables and prose for people, fitted to a width (the terminal's, or `COLUMNS`).
//!
//! What must hold: with no width, or when a table fits, it is drawn exactly as it always was (so
//! pipelines, files and snapshots do not change); with a width, no line is wider than it, and no
//! row is ever cut or wrapped by the terminal. A table too wide is, in this order:
//! 1. drawn with its column titles wrapped at spaces (each column as wide as its widest cell or
//!    title word);
//! 2. split into blocks of columns, each block repeating the columns that name a row (the year,
//!    the group…) and keeping a [`Group`](crate::render::Group) of columns (a commodity's owed,
//!    delivered…) together; a block holding one group is titled with the group and its columns
//!    with their titles within it; rows with nothing but empty text in a block are left out of
//!    that block (a notes column lists only the years that have notes);
//! 3. where even one group beside the naming columns is too wide, that block is printed as a
//!    list, one entry per row, every value wrapped to the width.
//!
//! Nothing here knows which report it draws: a column added to a report (recorded, assumed,
//! arrears…) is fitted like any other, by its group.

use unicode_width::UnicodeWidthStr;

use crate::render::{Cell, Table, boxed};

/// The display width of `text`: its widest line, in terminal columns.
pub fn width_of(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// One line of prose, ending in a newline; wrapped at spaces to `width` when it is wider.
pub fn paragraph(text: &str, width: Option<usize>) -> String {
    match width {
        Some(w) if width_of(text) > w => {
            wrap(text, w)
                .into_iter()
                .fold(String::new(), |mut out, line| {
                    out.push_str(&line);
                    out.push('\n');
                    out
                })
        }
        _ => format!("{text}\n"),
    }
}

/// `text` in lines of at most `width` columns: broken at spaces, inside a word only where the
/// word alone is wider than a line. Leading spaces are kept, and indent every line.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let body = text.trim_start_matches(' ');
    // Widths are columns of a terminal line: the sums below saturate rather than overflow.
    let mut indent = " ".repeat(text.len().saturating_sub(body.len()));
    if indent.len().saturating_mul(2) > width {
        indent.clear();
    }
    let room = width.saturating_sub(indent.len());
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in body.split(' ').filter(|w| !w.is_empty()) {
        let (w_line, w_word) = (line.width(), word.width());
        if !line.is_empty() && w_line.saturating_add(1).saturating_add(w_word) <= room {
            line.push(' ');
            line.push_str(word);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if w_word <= room {
            line.push_str(word);
            continue;
        }
        // A word wider than a line: cut it where the line is full.
        for ch in word.chars() {
            let w_ch = ch.to_string().width();
            if !line.is_empty() && line.width().saturating_add(w_ch) > room {
                lines.push(std::mem::take(&mut line));
            }
            line.push(ch);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines.into_iter().map(|l| format!("{indent}{l}")).collect()
}

/// The table drawn for people: as it always was, unless `width` is given and that is too wide
/// (then as the module docs say).
pub fn table(t: &Table, width: Option<usize>) -> String {
    let cells = Cells::new(t);
    let titles: Vec<String> = t.columns.iter().map(|c| c.title.clone()).collect();
    let natural = boxed(&titles, &cells.numeric, &cells.text);
    match width {
        Some(w) if width_of(&natural) > w => {
            let fitted = fit(t, &cells, w);
            if fitted.lines().all(|l| l.width() <= w) {
                fitted
            } else {
                // Never reached by construction; a list always fits.
                list(t, &cells, &Block::whole(t), w)
            }
        }
        _ => natural,
    }
}

/// The cells of a table as people read them, and which columns are numeric.
struct Cells {
    text: Vec<Vec<String>>,
    empty: Vec<Vec<bool>>,
    numeric: Vec<bool>,
}

impl Cells {
    fn new(t: &Table) -> Cells {
        Cells {
            text: t
                .rows
                .iter()
                .map(|r| r.iter().map(Cell::human).collect())
                .collect(),
            empty: t
                .rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|c| matches!(c, Cell::Text(s) if s.is_empty()))
                        .collect()
                })
                .collect(),
            numeric: t.columns.iter().map(|c| c.numeric).collect(),
        }
    }

    /// The widest cell of column `i`.
    fn widest(&self, i: usize) -> usize {
        self.text
            .iter()
            .filter_map(|r| r.get(i))
            .map(|s| width_of(s))
            .max()
            .unwrap_or(0)
    }
}

/// The widest word of a title.
fn widest_word(title: &str) -> usize {
    title
        .split(' ')
        .map(UnicodeWidthStr::width)
        .max()
        .unwrap_or(0)
}

/// What a column takes in a drawn table with its title wrapped: its content, two spaces of
/// padding and one rule.
fn cost(t: &Table, cells: &Cells, i: usize) -> usize {
    cells
        .widest(i)
        .max(widest_word(&t.columns[i].title))
        .saturating_add(3)
}

/// A title wrapped at spaces to `width`, its lines joined by newlines.
fn wrapped_title(title: &str, width: usize) -> String {
    wrap(title, width).join("\n")
}

/// Columns of a table drawn together: the naming columns and one or more groups.
struct Block {
    columns: Vec<usize>,
    naming: usize,
    /// The group's title, when the block holds the columns of exactly one group.
    group: Option<String>,
}

impl Block {
    fn whole(t: &Table) -> Block {
        Block {
            columns: (0..t.columns.len()).collect(),
            naming: t.naming_columns(),
            group: None,
        }
    }

    /// The block's titles: within the group for a block of one group.
    fn titles(&self, t: &Table) -> Vec<String> {
        self.columns
            .iter()
            .map(|&i| {
                let c = &t.columns[i];
                match (&self.group, &c.group) {
                    (Some(_), Some(g)) => g.title_in_group.clone(),
                    _ => c.title.clone(),
                }
            })
            .collect()
    }

    /// The rows the block shows: those with something besides empty text in its own columns.
    fn rows(&self, cells: &Cells) -> Vec<usize> {
        (0..cells.text.len())
            .filter(|&r| {
                self.columns[self.naming..]
                    .iter()
                    .any(|&i| !cells.empty[r].get(i).copied().unwrap_or(true))
            })
            .collect()
    }
}

/// The whole table with wrapped titles if that fits; else its blocks.
fn fit(t: &Table, cells: &Cells, w: usize) -> String {
    let whole = Block::whole(t);
    if let Some(s) = drawn(
        t,
        cells,
        &whole,
        &(0..cells.text.len()).collect::<Vec<_>>(),
        w,
    ) {
        return s;
    }
    let naming = t.naming_columns();
    // Units: a group's consecutive columns, or one column outside any group.
    let mut units: Vec<Vec<usize>> = Vec::new();
    for i in naming..t.columns.len() {
        let group = t.columns[i].group.as_ref().map(|g| &g.id);
        match units.last_mut() {
            Some(u)
                if group.is_some() && t.columns[u[0]].group.as_ref().map(|g| &g.id) == group =>
            {
                u.push(i);
            }
            _ => units.push(vec![i]),
        }
    }
    let naming_cost = (0..naming)
        .map(|i| cost(t, cells, i))
        .fold(1, usize::saturating_add);
    let mut blocks: Vec<Vec<Vec<usize>>> = Vec::new();
    let mut used = naming_cost;
    for unit in units {
        let c: usize = unit.iter().map(|&i| cost(t, cells, i)).sum();
        match blocks.last_mut() {
            Some(b) if used.saturating_add(c) <= w => {
                b.push(unit);
                used = used.saturating_add(c);
            }
            _ => {
                blocks.push(vec![unit]);
                used = naming_cost.saturating_add(c);
            }
        }
    }
    let mut parts: Vec<String> = Vec::new();
    for units in blocks {
        let group = match units.as_slice() {
            [one] => t.columns[one[0]]
                .group
                .as_ref()
                .filter(|g| {
                    one.iter()
                        .all(|&i| t.columns[i].group.as_ref().is_some_and(|h| h.id == g.id))
                })
                .map(|g| g.title.clone()),
            _ => None,
        };
        let block = Block {
            columns: (0..naming).chain(units.into_iter().flatten()).collect(),
            naming,
            group,
        };
        let rows = block.rows(cells);
        if rows.is_empty() && !cells.text.is_empty() {
            continue;
        }
        let heading = block
            .group
            .as_ref()
            .map(|g| paragraph(g, Some(w)))
            .unwrap_or_default();
        match drawn(t, cells, &block, &rows, w) {
            Some(s) => parts.push(format!("{heading}{s}")),
            None => parts.push(list(t, cells, &block, w)),
        }
    }
    parts.join("\n")
}

/// A block drawn as a table, at its natural width or with its titles wrapped, if either fits.
fn drawn(t: &Table, cells: &Cells, block: &Block, rows: &[usize], w: usize) -> Option<String> {
    let titles = block.titles(t);
    let numeric: Vec<bool> = block.columns.iter().map(|&i| cells.numeric[i]).collect();
    let text: Vec<Vec<String>> = rows
        .iter()
        .map(|&r| {
            block
                .columns
                .iter()
                .map(|&i| cells.text[r].get(i).cloned().unwrap_or_default())
                .collect()
        })
        .collect();
    let natural = boxed(&titles, &numeric, &text);
    if width_of(&natural) <= w {
        return Some(natural);
    }
    let wrapped: Vec<String> = titles
        .iter()
        .zip(&block.columns)
        .map(|(title, &i)| wrapped_title(title, cells.widest(i).max(widest_word(title))))
        .collect();
    let s = boxed(&wrapped, &numeric, &text);
    (width_of(&s) <= w).then_some(s)
}

/// A block as a list, one entry per row: the naming cells, then each other column's title and
/// value (a block of one column: the naming cells and the value on one line, under the column's
/// title). Empty text is left out; every line fits `w`.
fn list(t: &Table, cells: &Cells, block: &Block, w: usize) -> String {
    let titles = block.titles(t);
    let naming = block.naming;
    let own = &block.columns[naming..];
    let rows = block.rows(cells);
    let rows: Vec<usize> = if rows.is_empty() {
        (0..cells.text.len()).collect()
    } else {
        rows
    };
    let name = |r: usize| {
        block.columns[..naming]
            .iter()
            .map(|&i| cells.text[r].get(i).cloned().unwrap_or_default())
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let mut out = String::new();
    if let Some(g) = &block.group {
        out.push_str(&paragraph(g, Some(w)));
    }
    if let [only] = own {
        out.push_str(&paragraph(&titles[naming], Some(w)));
        let names: Vec<String> = rows.iter().map(|&r| name(r)).collect();
        let pad = names.iter().map(|n| n.width()).max().unwrap_or(0);
        for (&r, n) in rows.iter().zip(&names) {
            let value = cells.text[r].get(*only).cloned().unwrap_or_default();
            out.push_str(&entry(n, pad, &value, w, 0));
        }
        return out;
    }
    let label_width = titles[naming..]
        .iter()
        .map(|t| t.width())
        .max()
        .unwrap_or(0);
    let number_width = own
        .iter()
        .filter(|&&i| cells.numeric[i])
        .map(|&i| cells.widest(i))
        .max()
        .unwrap_or(0);
    for (k, &r) in rows.iter().enumerate() {
        if k > 0 {
            out.push('\n');
        }
        out.push_str(&paragraph(&name(r), Some(w)));
        for (&i, title) in own.iter().zip(&titles[naming..]) {
            if cells.empty[r].get(i).copied().unwrap_or(true) {
                continue;
            }
            let value = cells.text[r].get(i).cloned().unwrap_or_default();
            let value = if cells.numeric[i] {
                format!("{value:>number_width$}")
            } else {
                value
            };
            out.push_str(&entry(title, label_width, &value, w, 2));
        }
    }
    out
}

/// `label` padded to `pad`, then `value`, indented by `indent`: on one line if it fits, else the
/// value wrapped beside the label, or under it where the label leaves too little room.
fn entry(label: &str, pad: usize, value: &str, w: usize, indent: usize) -> String {
    let lead = " ".repeat(indent);
    // Columns of a terminal line: the sums saturate rather than overflow.
    let gap = pad.saturating_sub(label.width()).saturating_add(2);
    let hang_width = indent.saturating_add(pad).saturating_add(2);
    let room = w.saturating_sub(hang_width);
    let mut out = String::new();
    if room >= 12.min(value.width()).max(1) && hang_width < w {
        let mut lines = wrap(value, room).into_iter();
        let first = lines.next().unwrap_or_default();
        out.push_str(&format!("{lead}{label}{}{first}\n", " ".repeat(gap)));
        let hang = " ".repeat(hang_width);
        for l in lines {
            out.push_str(&format!("{hang}{l}\n"));
        }
        if out.lines().all(|l| l.width() <= w) {
            return out;
        }
        out.clear();
    }
    for l in wrap(&format!("{lead}{label}"), w) {
        out.push_str(&l);
        out.push('\n');
    }
    let under = indent.saturating_add(2);
    for l in wrap(value, w.saturating_sub(under).max(1)) {
        out.push_str(&format!(
            "{}{l}\n",
            " ".repeat(under.min(w.saturating_sub(1)))
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::arithmetic_side_effects,
        reason = "test code: an overflow panics and fails the test"
    )]

    use rust_decimal::Decimal;

    use super::*;
    use crate::render::{Column, Group};

    /// A ledger-like table: a year, three commodities of four columns, and notes.
    fn ledger() -> Table {
        let mut columns = vec![Column::num("year", "year").naming_row()];
        for c in ["cash", "silk", "silver"] {
            for (key, within) in [
                ("owed", "owed"),
                ("delivered", "delivered"),
                ("cum", "owed, cum."),
            ] {
                columns.push(
                    Column::num(&format!("{c}_{key}"), &format!("{c} {within}"))
                        .in_group(Group::commodity(c, &format!("{c} (unit)"), key, within)),
                );
            }
        }
        columns.push(Column::text("notes", "notes"));
        let rows = (0..5_i64)
            .map(|y| {
                let mut row = vec![Cell::Int(1100 + y)];
                row.extend((1..=9).map(|i| Cell::Num(Decimal::from(i * 1_000_000 + y))));
                row.push(Cell::text(if y == 2 {
                    "suspended: a-rather-long-stream-name/annual; delivery unknown: another/one"
                } else {
                    ""
                }));
                row
            })
            .collect();
        Table { columns, rows }
    }

    #[test]
    fn prose_wraps_at_spaces_and_cuts_only_words_wider_than_a_line() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(
            wrap("  indented words here", 12),
            ["  indented", "  words here"]
        );
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(paragraph("fits", Some(10)), "fits\n");
        assert_eq!(paragraph("no limit at all", None), "no limit at all\n");
    }

    #[test]
    fn a_table_that_fits_is_drawn_as_it_always_was() {
        let t = ledger();
        let natural = table(&t, None);
        assert_eq!(table(&t, Some(width_of(&natural))), natural);
        assert_eq!(table(&t, Some(1000)), natural);
    }

    #[test]
    fn every_width_is_kept_and_groups_stay_together() {
        let t = ledger();
        for w in 20..=140 {
            let text = table(&t, Some(w));
            assert!(text.lines().all(|l| l.width() <= w), "width {w}:\n{text}");
            // Every amount is shown (once per row), at every width.
            for row in &t.rows {
                for cell in &row[1..10] {
                    assert!(text.contains(&cell.human()), "width {w}: {cell:?}\n{text}");
                }
            }
        }
        // At 60 columns each commodity is a block of its own, titled with the group.
        let text = table(&t, Some(60));
        for title in ["cash (unit)", "silk (unit)", "silver (unit)"] {
            assert!(text.lines().any(|l| l == title), "{text}");
        }
        // The notes block shows only the year that has a note.
        let notes = text.split("\n\n").last().unwrap_or_default();
        assert!(notes.contains("1102") && !notes.contains("1101"), "{notes}");
    }
}
