//! A big table's scan begun on another core as soon as its file is read ([`Prescan`]), so that
//! scanning overlaps the registry's reading. What must hold: the cells and records are those
//! [`scan`] gives (the scan is the same function, run earlier), and a reader never waits for a
//! scan that has not begun.

use std::sync::Arc;

use super::Row;
use super::scan::scan;

/// A table's cells, escaped cells and records, as [`scan`] finds them.
pub(super) type Scanned = (Vec<u32>, Vec<(usize, String)>, Vec<Row>);

/// [`scan`] of a whole text.
pub(super) fn scanned(text: &str) -> Scanned {
    let (mut cells, mut escaped) = (Vec::new(), Vec::new());
    let rows = scan(text, &mut cells, &mut escaped);
    (cells, escaped, rows)
}

/// A big table's text scanned on another core as soon as the file is read ([`Prescan::start`]),
/// so that the scan overlaps reading the registry; [`Table::read_with`] takes the result, waits
/// for a scan under way, or scans the text itself if the scan has not begun. What must hold: the
/// cells and records are those [`scan`] gives (the scan is the same function, run earlier).
#[derive(Default)]
pub(crate) struct Prescan(std::sync::Mutex<PrescanState>);

/// Where a [`Prescan`] stands.
#[derive(Default)]
enum PrescanState {
    /// Not begun.
    #[default]
    Waiting,
    /// Made, not yet taken.
    Done(Scanned),
    /// Taken (or given up: the reader scans for itself).
    Taken,
}

impl std::fmt::Debug for Prescan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Prescan")
    }
}

impl Prescan {
    /// The smallest table scanned ahead of time, in bytes.
    pub(crate) const MIN_BYTES: usize = 64 * 1024;

    /// Starts scanning `text` on the thread pool (the caller goes on at once).
    pub(crate) fn start(text: &crate::error::Text) -> Arc<Prescan> {
        let pre = Arc::new(Prescan::default());
        let (job, text) = (Arc::clone(&pre), Arc::clone(text));
        rayon::spawn(move || {
            // The lock is held while scanning: a reader that comes meanwhile waits for the scan.
            let mut state = job
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            // The scan's precondition: offsets fit in a u32 (`Table::read` reports a bigger file).
            if matches!(*state, PrescanState::Waiting) && u32::try_from(text.len()).is_ok() {
                *state = PrescanState::Done(scanned(&text));
            }
        });
        pre
    }

    /// The scan if it was made; `None` if it had not begun (it then never will).
    pub(super) fn take(&self) -> Option<Scanned> {
        let mut state = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match std::mem::replace(&mut *state, PrescanState::Taken) {
            PrescanState::Done(scan) => Some(scan),
            PrescanState::Waiting | PrescanState::Taken => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Table;

    #[test]
    fn a_table_scanned_ahead_reads_as_one_scanned_when_read() {
        let text: crate::error::Text =
            Arc::new("# note\na,b\n\"x, y\",2\n\n".repeat(5000) + "last,1");
        let (cells, escaped, rows) = scanned(&text);
        let mut plain = Table::new("t.csv", Arc::clone(&text), "table", &[]);
        (plain.cells, plain.escaped) = (cells.clone(), escaped.clone());
        let pre = Prescan::start(&text);
        // Taken after the scan is done (a reader that comes sooner waits, or scans for itself).
        let taken = loop {
            let done = matches!(*pre.0.lock().expect("a lock"), PrescanState::Done(_));
            if done {
                break pre.take().expect("the scan");
            }
            std::thread::yield_now();
        };
        let key = |rows: &[Row]| {
            rows.iter()
                .map(|r| (r.start, r.line_end, r.first, r.len))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            (taken.0, taken.1, key(&taken.2)),
            (cells, escaped, key(&rows))
        );
        // Once taken it is gone: a second reader scans for itself.
        assert!(pre.take().is_none());
        assert!(!plain.blank(&rows[0]));
    }
}
