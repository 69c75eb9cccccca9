//! Phase timings for profiling: with `TRIBUTE_TIMINGS` set, the CLI calls [`enable`] and each
//! [`mark`] prints the time since the first mark and the phase just ended to standard
//! error (docs/performance.md shows a run). What must hold: when not enabled a mark costs one
//! relaxed atomic load and prints nothing, so marks may stay on the load path for good.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

static ENABLED: AtomicBool = AtomicBool::new(false);
static START: OnceLock<Instant> = OnceLock::new();

/// Turns the marks on (the CLI does so when `TRIBUTE_TIMINGS` is set) and starts the clock.
pub fn enable() {
    START.get_or_init(Instant::now);
    ENABLED.store(true, Ordering::Relaxed);
}

/// Prints `timing 23.69ms  what` to standard error: the time since [`enable`] when the phase `what` ended.
pub fn mark(what: &str) {
    if !ENABLED.load(Ordering::Relaxed) {
        return;
    }
    let start = START.get_or_init(Instant::now);
    eprintln!("timing {:>10.2?}  {what}", start.elapsed());
}
