//! The corpus benchmark: a full `helpbook build` of ../shared/corpus against
//! the floor (read every file once and render its Markdown once with
//! pulldown-cmark, on the same threads), in the same run.
//!
//!     cargo bench --bench corpus              # BENCH_RUNS=5 BENCH_OUT=/dev/shm/x to tune
//!
//! Prints wall times (median of the runs), pages and megabytes per second,
//! time per stage (of the median run), the peak memory of a build run as its own process, and the
//! ratio build / floor. No assertions: these machines are shared and noisy.

use helpbook::pair::English;
use helpbook::theme::Theme;
use helpbook::write::Staging;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = repo.join("../shared/corpus");
    if !corpus.is_dir() {
        println!("corpus bench skipped: {} is absent", corpus.display());
        return;
    }
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let out_root = std::env::var_os("BENCH_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let shm = Path::new("/dev/shm");
            if shm.is_dir() {
                shm.join("helpbook-bench")
            } else {
                std::env::temp_dir().join("helpbook-bench")
            }
        });
    let _ = std::fs::remove_dir_all(&out_root);
    std::fs::create_dir_all(&out_root).expect("output folder");
    let files = markdown_files(&corpus);
    let bytes: u64 = files
        .iter()
        .map(|f| f.metadata().map(|m| m.len()).unwrap_or(0))
        .sum();
    println!(
        "corpus: {} files, {:.1} MB, {} threads, {} runs, output in {}",
        files.len(),
        bytes as f64 / 1e6,
        rayon::current_num_threads(),
        runs,
        out_root.display()
    );

    let floor = median(runs, || {
        let started = Instant::now();
        let html: usize = files
            .par_iter()
            .map(|f| {
                let text = std::fs::read_to_string(f).unwrap_or_default();
                let mut html = String::with_capacity(text.len() * 3 / 2);
                pulldown_cmark::html::push_html(&mut html, helpbook::render::parser(&text));
                html.len()
            })
            .sum();
        std::hint::black_box(html);
        started.elapsed()
    });

    let mut runs_stages: Vec<(Duration, Vec<(&str, Duration)>)> = Vec::new();
    let mut pages = 0;
    let build = median(runs, || {
        let started = Instant::now();
        let config = helpbook::config::Config::load(&corpus).expect("config");
        let theme = Theme::load(&config.root, &config.theme).expect("theme");
        let project = helpbook::load::project(config, &[]).expect("load");
        let loaded = started.elapsed();
        let english = English::new(&project);
        let paired = started.elapsed();
        let dest = out_root.join("site");
        let staging = Staging::new(&dest).expect("staging");
        let summary =
            helpbook::site::build(&project, &english, &theme, &staging, &[]).expect("build");
        let built = started.elapsed();
        staging.commit().expect("commit");
        let total = started.elapsed();
        pages = summary.pages.iter().map(|(_, n)| n).sum();
        runs_stages.push((
            total,
            vec![
                ("load + parse", loaded),
                ("pair (English, freshness)", paired - loaded),
                ("render + template + write", built - paired),
                ("swap in", total - built),
            ],
        ));
        total
    });
    // The stages of the run whose total is the median, so that they add up.
    let stages = runs_stages
        .iter()
        .find(|(total, _)| *total == build)
        .map(|(_, s)| s.clone())
        .unwrap_or_default();

    let rss = peak_rss_of_build(&corpus, &out_root.join("site-rss"));
    println!(
        "floor (read + render Markdown once): {:>8.3} s",
        floor.as_secs_f64()
    );
    println!(
        "helpbook build:                      {:>8.3} s",
        build.as_secs_f64()
    );
    for (name, t) in &stages {
        println!("  {name:<28} {:>8.3} s", t.as_secs_f64());
    }
    println!(
        "pages: {pages}, {:.0} pages/s, {:.1} MB of Markdown/s",
        pages as f64 / build.as_secs_f64(),
        bytes as f64 / 1e6 / build.as_secs_f64()
    );
    match rss {
        Some(kb) => println!(
            "peak memory of a build (own process): {:.0} MB",
            kb as f64 / 1024.0
        ),
        None => println!("peak memory: not measured (needs a release binary and /proc)"),
    }
    println!(
        "ratio build / floor: {:.2}",
        build.as_secs_f64() / floor.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&out_root);
}

fn median(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..runs.max(1)).map(|_| f()).collect();
    times.sort();
    times[times.len() / 2]
}

fn markdown_files(corpus: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(corpus)
        .min_depth(2)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| !e.path().components().any(|c| c.as_os_str() == "includes"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// Runs the release binary once and reads its peak resident set size from
/// /proc while it runs (sampled every 5 ms), in KiB.
fn peak_rss_of_build(corpus: &Path, dest: &Path) -> Option<u64> {
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/helpbook");
    if !bin.is_file() || !Path::new("/proc/self/status").exists() {
        return None;
    }
    let mut child = Command::new(&bin)
        .arg("build")
        .arg(corpus)
        .arg("--dest")
        .arg(dest)
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(text) = std::fs::read_to_string(&status) {
            for line in text.lines() {
                if let Some(v) = line.strip_prefix("VmHWM:") {
                    peak = peak.max(v.trim().trim_end_matches(" kB").trim().parse().unwrap_or(0));
                }
            }
        }
        if child.try_wait().ok()?.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    Some(peak)
}
