//! The corpus benchmark: a full `helpbook build` of ../shared/corpus against
//! the floor (read every file once and render its Markdown once with
//! pulldown-cmark, on the same threads), in the same run.
//!
//!     cargo bench --bench corpus              # BENCH_RUNS=5 BENCH_OUT=/dev/shm/x to tune
//!
//! Prints, for builds with search off and on: wall times (median of the
//! runs), pages and megabytes per second, and the ratio build / floor; the
//! write floor (the same site's files, held in memory, written through the
//! staging folder and swapped in, the previous copy removed); the
//! stages of the median run (wall time of the sequential steps, CPU time of
//! the parallel ones); the time of serve's incremental rebuild after one
//! edit; the same build with every page rendered by Tera (what the compiled
//! default pages save); and the peak memory of a build run as its own
//! process, for all languages and for one. No assertions: these machines
//! are shared and noisy.

use helpbook::pair::Origin;
use helpbook::pipeline::{Keep, Model, Output};
use helpbook::site::incremental::{self, Memo, Touch};
use helpbook::theme::Theme;
use helpbook::timing::{Stage, Stages};
use helpbook::write::{Folder, Staging};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The allocator the `helpbook` binary uses, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

    // The four are measured in turn, run after run, so that a change in
    // the machine's load falls on all of them alike.
    // The site's files, for the write floor: one build's output, in memory.
    build_once(&corpus, &out_root, false);
    let site = site_files(&out_root.join("site"));
    let site_bytes: usize = site.iter().map(|(_, b)| b.len()).sum();
    let mut floors = Vec::new();
    let mut writes = Vec::new();
    let (mut withouts, mut withs, mut teras) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs.max(1) {
        floors.push(floor(&files));
        writes.push(write_floor(&site, &out_root));
        withouts.push(build_once(&corpus, &out_root, false));
        withs.push(build_once(&corpus, &out_root, true));
        teras.push(build_with(&corpus, &out_root, true, true));
    }
    floors.sort();
    writes.sort();
    let floor = floors[floors.len() / 2];
    let write = writes[writes.len() / 2];
    let without = median_build(withouts);
    let with = median_build(withs);
    let tera = median_build(teras);
    let incremental = incremental(&corpus, &out_root, runs.max(5) * 4);
    let rss_all = peak_rss_of_build(&corpus, &out_root.join("site-rss"), &[]);
    let rss_one = peak_rss_of_build(&corpus, &out_root.join("site-rss"), &["--locale", "zh-CN"]);

    let secs = |d: Duration| d.as_secs_f64();
    println!(
        "floor (read + render Markdown once): {:>8.3} s",
        secs(floor)
    );
    println!(
        "writing the site's {} files ({:.0} MB, held in memory) through the staging folder, previous copy removed: {:.3} s",
        site.len(),
        site_bytes as f64 / 1e6,
        secs(write)
    );
    println!(
        "floor + writing:                     {:>8.3} s  ({:.2} x floor)",
        secs(floor + write),
        secs(floor + write) / secs(floor)
    );
    for (name, m) in [("build, search off", &without), ("build, search on", &with)] {
        println!(
            "{name:<36} {:>8.3} s  ({:.2} x floor; {} pages, {:.0} pages/s, {:.1} MB of Markdown/s)",
            secs(m.total),
            secs(m.total) / secs(floor),
            m.pages,
            m.pages as f64 / secs(m.total),
            bytes as f64 / 1e6 / secs(m.total)
        );
    }
    println!(
        "search's share: +{:.3} s = {:.0} % of the build without it",
        secs(with.total) - secs(without.total),
        100.0 * (secs(with.total) - secs(without.total)) / secs(without.total)
    );
    // Tera's share: what the compiled pages save, against the build that
    // renders every page through Tera (its cached, shared context).
    println!(
        "build, search on, every page through Tera: {:.3} s; Tera's share of that build at least {:.0} % (the time theme/compiled.rs saves)",
        secs(tera.total),
        100.0 * (secs(tera.total) - secs(with.total)) / secs(tera.total)
    );
    println!("stages of the median run with search (wall):");
    for (name, t) in &with.wall {
        println!("  {name:<30} {:>8.3} s", secs(*t));
    }
    let cpu: f64 = with.cpu.iter().map(|(_, t)| secs(*t)).sum();
    println!("  of which, CPU time summed over threads:");
    for (name, t) in &with.cpu {
        println!(
            "    {name:<28} {:>8.3} s  {:>3.0} %",
            secs(*t),
            100.0 * secs(*t) / cpu
        );
    }
    println!(
        "incremental rebuild of one edited translation (parse + pages + index), median of {}: {:.1} ms",
        incremental.1,
        incremental.0.as_secs_f64() * 1e3
    );
    match (rss_all, rss_one) {
        (Some(all), Some(one)) => println!(
            "peak memory of a build (own process): {:.0} MB for all 6 languages, {:.0} MB for English + zh-CN",
            all as f64 / 1024.0,
            one as f64 / 1024.0
        ),
        _ => println!("peak memory: not measured (needs a release binary and /proc)"),
    }
    println!(
        "ratio build / floor: {:.2} without search, {:.2} with search; build without search / (floor + writing): {:.2}",
        secs(without.total) / secs(floor),
        secs(with.total) / secs(floor),
        secs(without.total) / secs(floor + write)
    );
    let _ = std::fs::remove_dir_all(&out_root);
}

/// Reads every file once and renders its Markdown once with pulldown-cmark,
/// on the build's threads.
fn floor(files: &[PathBuf]) -> Duration {
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
}

/// Every file of the site at `dir`: (path inside it, bytes).
fn site_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .into_owned();
            let bytes = std::fs::read(e.path()).ok()?;
            (rel != ".helpbook-site").then_some((rel, bytes))
        })
        .collect()
}

/// The file system's share of a build: the site's files, already in
/// memory, written through a staging folder on the build's threads and
/// swapped in, the previous copy removed, as a build writes them.
fn write_floor(site: &[(String, Vec<u8>)], out_root: &Path) -> Duration {
    let dest = out_root.join("write-floor");
    let started = Instant::now();
    let staging = Staging::new(&dest).expect("staging");
    site.par_iter()
        .for_each(|(rel, bytes)| staging.put(rel, bytes).expect("write"));
    staging.commit().expect("commit");
    started.elapsed()
}

/// One full build, with its stages.
struct Measured {
    total: Duration,
    pages: usize,
    /// Wall time of the sequential steps.
    wall: Vec<(&'static str, Duration)>,
    /// CPU time of the parallel stages, summed over threads.
    cpu: Vec<(&'static str, Duration)>,
}

fn build_once(corpus: &Path, out_root: &Path, search: bool) -> Measured {
    build_with(corpus, out_root, search, false)
}

/// [`build_once`]; with `tera_only`, every page through Tera, also those
/// the default theme writes with `theme/compiled.rs`.
fn build_with(corpus: &Path, out_root: &Path, search: bool, tera_only: bool) -> Measured {
    let stages = Stages::default();
    let started = Instant::now();
    let mut config = helpbook::config::Config::load(corpus).expect("config");
    config.html.search.enabled = search;
    let theme = Theme::load(&config.root, &config.theme).expect("theme");
    let theme = if tera_only { theme.tera_only() } else { theme };
    // As `helpbook build` loads it: a brief of each translation, each
    // language read again when it is rendered.
    let model = Model::load_keeping(config, Keep::Lean, &stages).expect("load");
    let paired = started.elapsed();
    let dest = out_root.join("site");
    let staging = Staging::new(&dest).expect("staging");
    let out = Output::Site {
        theme: &theme,
        sink: &staging,
        media: None,
    };
    let summary = helpbook::pipeline::run(&model, &theme, &[], out, false, &stages).expect("build");
    let built = started.elapsed();
    staging.commit().expect("commit");
    let total = started.elapsed();
    Measured {
        total,
        pages: summary.pages.iter().map(|(_, n)| n).sum(),
        wall: vec![
            ("load, parse, pair (English, freshness, pair lints)", paired),
            ("render + template + write", built - paired),
            ("swap in", total - built),
        ],
        cpu: Stage::ALL
            .iter()
            .map(|s| (s.name(), stages.get(*s)))
            .collect(),
    }
}

/// The build whose total time is the median.
fn median_build(mut all: Vec<Measured>) -> Measured {
    all.sort_by_key(|m| m.total);
    let mid = all.len() / 2;
    all.swap_remove(mid)
}

/// serve's path after one save, on a lean model as `serve` loads it: the
/// article read and parsed again, its other copies read and held, its
/// English made again, its pages rendered and written into the served
/// folder (unchanged files are left alone), and the index only if its
/// title or state changed. Median of `n`.
fn incremental(corpus: &Path, out_root: &Path, n: usize) -> (Duration, usize) {
    let config = helpbook::config::Config::load(corpus).expect("config");
    let theme = Theme::load(&config.root, &config.theme).expect("theme");
    let mut model = Model::load_keeping(config, Keep::Lean, &Stages::default()).expect("load");
    let dest = out_root.join("served");
    let staging = Staging::new(&dest).expect("staging");
    let out = Output::Site {
        theme: &theme,
        sink: &staging,
        media: None,
    };
    let summary = helpbook::pipeline::run(&model, &theme, &[], out, false, &Stages::default())
        .expect("build");
    staging.commit().expect("commit");
    let media = helpbook::site::media::Media::index(&model.project).expect("media");
    let mut memo = Memo::new(&model, &theme, media, &summary);
    let folder = Folder::new(&dest);
    // Translations whose English comes from another locale, so that an edit
    // of the translation leaves the English as it is.
    let li = model
        .project
        .locales
        .iter()
        .position(|l| l.tag == "zh-CN")
        .unwrap_or(0);
    let tag = model.project.locales[li].tag.clone();
    let dir = model.project.locales[li].dir.clone();
    let english = &model.pairing.english;
    let picks: Vec<String> =
        model
            .pairing
            .briefs(li)
            .iter()
            .filter(|b| {
                english.articles.get(&*b.path).is_some_and(
                    |e| !matches!(&e.origin, Origin::Rebuilt { locale } if *locale == tag),
                ) && b.pairs > 5
            })
            .map(|b| b.path.to_string())
            .step_by(37)
            .take(n)
            .collect();
    let mut times: Vec<Duration> = Vec::new();
    for (k, rel) in picks.into_iter().enumerate() {
        let file = helpbook::load::shown(&dir, &rel);
        let mut bytes = std::fs::read(&file).expect("article");
        bytes.extend_from_slice(format!("\nEdited {k}.\n").as_bytes());
        let started = Instant::now();
        let article = helpbook::parse::article(&tag, &rel, &file, &bytes);
        // As `serve` does: every copy of the path held whole, this one
        // replaced, the English of the path made again.
        model.hold(&rel);
        let articles = &mut model.project.locales[li].articles;
        match articles.binary_search_by(|a| a.path.as_str().cmp(&rel)) {
            Ok(i) => articles[i] = article,
            Err(i) => articles.insert(i, article),
        }
        model.pairing.refresh(&model.project, &rel, &|_| false);
        let touched = [Touch {
            path: rel,
            locale: Some(tag.clone()),
        }];
        incremental::rebuild(
            &model,
            &theme,
            &mut memo,
            &folder,
            &touched,
            &BTreeSet::new(),
        )
        .expect("rebuild");
        times.push(started.elapsed());
    }
    times.sort();
    (times[times.len() / 2], times.len())
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
fn peak_rss_of_build(corpus: &Path, dest: &Path, args: &[&str]) -> Option<u64> {
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/helpbook");
    if !bin.is_file() || !Path::new("/proc/self/status").exists() {
        return None;
    }
    let mut child = Command::new(&bin)
        .arg("build")
        .arg(corpus)
        .arg("--dest")
        .arg(dest)
        .args(args)
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
