//! Time spent per stage of a build, summed over threads: what the corpus
//! benchmark prints to show where a build's time goes. Stages run in
//! parallel, so these are CPU seconds, not wall time; their shares are what
//! matters. The run's progress display ([`crate::ui::Progress`]) travels
//! with them, so the stages that time themselves also count their items.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A stage of the build, as the benchmark reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading article files.
    Read,
    /// Front matter and the sxs scan.
    Parse,
    /// Markdown to safe HTML, with freshness of each sentence.
    Render,
    /// Filling the theme's templates.
    Template,
    /// Handing files to the staging folder.
    Write,
    /// Building the search index.
    Search,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Read,
        Stage::Parse,
        Stage::Render,
        Stage::Template,
        Stage::Write,
        Stage::Search,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Stage::Read => "read",
            Stage::Parse => "parse",
            Stage::Render => "render",
            Stage::Template => "template",
            Stage::Write => "write",
            Stage::Search => "search",
        }
    }
}

/// Nanoseconds per stage, added to from any thread.
#[derive(Debug, Default)]
pub struct Stages {
    nanos: [AtomicU64; 6],
    /// The progress display of the run (hidden unless a command starts one).
    pub progress: crate::ui::Progress,
}

impl Stages {
    /// Runs `f`, adding its duration to `stage`.
    pub fn time<T>(&self, stage: Stage, f: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let out = f();
        self.add(stage, started.elapsed());
        out
    }

    pub fn add(&self, stage: Stage, d: Duration) {
        let nanos = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        self.nanos[stage as usize].fetch_add(nanos, Ordering::Relaxed);
    }

    /// Stages with `progress` shown as they go.
    pub fn with_progress(progress: crate::ui::Progress) -> Stages {
        Stages {
            progress,
            ..Stages::default()
        }
    }

    /// Total time in `stage` so far, over all threads.
    pub fn get(&self, stage: Stage) -> Duration {
        Duration::from_nanos(self.nanos[stage as usize].load(Ordering::Relaxed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_add_up_per_stage() {
        let stages = Stages::default();
        stages.add(Stage::Write, Duration::from_millis(3));
        stages.add(Stage::Write, Duration::from_millis(4));
        let v = stages.time(Stage::Parse, || 7);
        assert_eq!(v, 7);
        assert_eq!(stages.get(Stage::Write), Duration::from_millis(7));
        assert_eq!(stages.get(Stage::Render), Duration::ZERO);
    }
}
