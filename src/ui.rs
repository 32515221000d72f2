//! What a command tells the person at the terminal besides its results:
//! how much (`-q` errors only, `-v` the detail of each stage) and the
//! progress bar of long runs, and how wide the terminal is. The one module
//! that uses `indicatif` and `console`.
//!
//! The verbosity is set once by `main` from the global flags, like the
//! colour choice, and read here by every command. The bar draws on standard
//! error only when it is a terminal and the run is not quiet, and only
//! after a moment, so short runs and piped or logged output show nothing.

use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

/// How much a command says on standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// Errors only: no summaries, warnings, progress.
    Quiet = 0,
    /// Summaries, findings, and a progress bar on a terminal.
    Normal = 1,
    /// Also the time and size of each stage.
    Verbose = 2,
}

static VERBOSITY: AtomicU8 = AtomicU8::new(Verbosity::Normal as u8);

/// Sets the verbosity for the rest of the process (from `-q` / `-v`).
pub fn set_verbosity(v: Verbosity) {
    VERBOSITY.store(v as u8, Ordering::Relaxed);
}

/// The verbosity `main` set (normal unless it set one).
pub fn verbosity() -> Verbosity {
    match VERBOSITY.load(Ordering::Relaxed) {
        0 => Verbosity::Quiet,
        1 => Verbosity::Normal,
        _ => Verbosity::Verbose,
    }
}

/// Whether summaries and warnings are printed (not `-q`).
pub fn normal() -> bool {
    verbosity() >= Verbosity::Normal
}

/// Whether per-stage detail is printed (`-v`).
pub fn verbose() -> bool {
    verbosity() >= Verbosity::Verbose
}

/// Prints one line of per-stage detail on standard error, with `-v` only.
/// The bar, when one is drawn, is lifted out of the way first.
pub fn detail(progress: &Progress, line: std::fmt::Arguments) {
    if verbose() {
        match &progress.bar {
            Some(bar) => bar.suspend(|| eprintln!("  {line}")),
            None => eprintln!("  {line}"),
        }
    }
}

/// The width to fit standard output's tables to: `COLUMNS` when it is set
/// to a number (as GNU `ls` and Python read it), else the terminal's width
/// when standard output is one; `None` when it is piped or redirected,
/// so that a script or a log gets every column.
pub fn stdout_width() -> Option<usize> {
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
    {
        return Some(n);
    }
    console::Term::stdout()
        .size_checked()
        .map(|(_rows, cols)| usize::from(cols))
}

/// How long a run goes before its bar appears: a build of a few pages ends
/// first and draws nothing.
const DELAY: Duration = Duration::from_millis(700);

/// [`DELAY`], or the milliseconds the undocumented
/// `HELPBOOK_PROGRESS_DELAY_MS` gives: the terminal test sets 0, so that
/// whether a bar is drawn does not depend on how fast the machine builds
/// its content.
fn delay() -> Duration {
    std::env::var("HELPBOOK_PROGRESS_DELAY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(DELAY, Duration::from_millis)
}

/// A progress display of one run: a bar with a count when the total is
/// known, a spinner until then; nothing at all when hidden. Cheap to clone
/// and to tick from many threads.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    /// A progress display for `what` ("building", "exporting"): drawn on
    /// standard error when it is a terminal and the run is not quiet,
    /// hidden otherwise.
    pub fn start(what: &str) -> Progress {
        use std::io::IsTerminal;
        if !normal() || !std::io::stderr().is_terminal() {
            return Progress::hidden();
        }
        let bar =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::hidden())
                // An error that ends the run early clears the line too.
                .with_finish(indicatif::ProgressFinish::AndClear);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {prefix} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar.set_prefix(what.to_string());
        let shown = bar.clone();
        let delay = delay();
        // Drawn only once the run has lasted a moment.
        std::thread::spawn(move || {
            std::thread::sleep(delay);
            if !shown.is_finished() {
                shown.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Progress { bar: Some(bar) }
    }

    /// A display that draws nothing.
    pub fn hidden() -> Progress {
        Progress { bar: None }
    }

    /// Names the step under way ("reading", "zh-cn").
    pub fn step(&self, message: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(message.to_string());
        }
    }

    /// Turns the display into a bar of `total` items (from zero).
    pub fn items(&self, total: u64) {
        if let Some(bar) = &self.bar {
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{prefix} [{bar:30}] {pos}/{len} {msg} ({eta})",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar.set_length(total);
            bar.set_position(0);
        }
    }

    /// Adds `n` finished items.
    pub fn inc(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }

    /// Removes the display, leaving the terminal as it was.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
