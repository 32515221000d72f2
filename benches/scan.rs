//! Benchmark of the sxs engine on the real corpus (`../shared/corpus`), run
//! with `cargo bench --bench scan`. Not a timed test: it prints figures and
//! never fails on them. Skips, saying why, when the corpus is absent.
//!
//! Three measures, each the median of several runs (`SCAN_BENCH_RUNS`, default
//! 7), all over the same file list with the same rayon thread count:
//!
//! 1. `read`: read every article file (the floor);
//! 2. `read+parse+scan`: read, decode, split front matter, scan pairs
//!    (`load::read_locale`, what every command does first);
//! 3. `read+parse+pair`: the above, then the English rebuilt from the newest
//!    hand-offs and every article's freshness against it (what `status` does).
//!
//! Each line gives seconds, MB/s and files/s of input, and the ratio of its
//! time to the plain read.

use helpbook::load::{self, LocaleDir};
use helpbook::pair::{self, English};
use rayon::prelude::*;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !dir.is_dir() {
        println!("scan bench skipped: the corpus {} is absent", dir.display());
        return;
    }
    let runs: usize = std::env::var("SCAN_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(7)
        .max(1);
    let (dirs, _) = load::discover(&dir).expect("the corpus folder is readable");
    let files: Vec<_> = dirs
        .iter()
        .flat_map(|d| d.paths.iter().map(move |p| d.dir.join(p)))
        .collect();
    let bytes = read_all(&files); // also warms the page cache
    println!(
        "corpus: {} locales, {} files, {:.1} MB; {} threads; median of {runs} runs",
        dirs.len(),
        files.len(),
        bytes as f64 / 1e6,
        rayon::current_num_threads(),
    );

    let read = median(runs, || {
        black_box(read_all(&files));
    });
    let scan = median(runs, || {
        black_box(read_and_scan(&dirs));
    });
    let paired = median(runs, || {
        black_box(read_scan_and_pair(&dirs));
    });
    for (name, t) in [
        ("read", read),
        ("read+parse+scan", scan),
        ("read+parse+pair", paired),
    ] {
        let secs = t.as_secs_f64();
        println!(
            "{name:<16} {secs:>8.3} s {:>9.1} MB/s {:>10.0} files/s {:>6.2}× read",
            bytes as f64 / 1e6 / secs,
            files.len() as f64 / secs,
            secs / read.as_secs_f64(),
        );
    }
}

fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// Reads every file in parallel; returns the bytes read.
fn read_all(files: &[std::path::PathBuf]) -> usize {
    files
        .par_iter()
        .map(|p| std::fs::read(p).map_or(0, |b| b.len()))
        .sum()
}

/// Reads and parses every locale; returns the pairs found.
fn read_and_scan(dirs: &[LocaleDir]) -> usize {
    dirs.iter()
        .map(|d| {
            let (locale, _) = load::read_locale(d);
            locale
                .articles
                .iter()
                .map(|a| a.segments.len())
                .sum::<usize>()
        })
        .sum()
}

/// Reads, parses, rebuilds the English and compares every article with it;
/// returns the stale segments found.
fn read_scan_and_pair(dirs: &[LocaleDir]) -> usize {
    let locales: Vec<_> = dirs.iter().map(|d| load::read_locale(d).0).collect();
    let english = English::rebuild(&locales);
    locales
        .par_iter()
        .flat_map(|l| l.articles.par_iter())
        .map(|a| pair::freshness(a, english.articles.get(&a.path), &[]).stale())
        .sum()
}
