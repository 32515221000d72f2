//! What search costs and what it finds, on the real corpus
//! (`../shared/corpus`): `cargo bench --bench search`. Prints figures and
//! never fails on them; skips, saying why, when the corpus is absent.
//!
//! 1. Cost: the release binary builds the corpus with and without
//!    `--no-search`, alternately, `SEARCH_BENCH_RUNS` times each (default 3);
//!    the fastest run of each is kept (the least disturbed by other work on
//!    the machine). Prints both times, what search adds in seconds and as a
//!    share of the build, and the peak memory of each (from `/usr/bin/time`,
//!    when it is installed). The sites are written to a temporary folder in
//!    `SEARCH_BENCH_DIR` when set (a RAM disk such as /dev/shm keeps the file
//!    system's own variance out of the times).
//! 2. Recall: in every language, a sample of the indexed articles
//!    (`SEARCH_SAMPLE`, default 200, spread evenly over the URL order) is
//!    searched for the first words of its title (four whole words, or
//!    eight CJK characters), with the same algorithm as the browser
//!    ([`helpbook::search::query`]); prints the share found in the top five.
//!    `SEARCH_SAMPLE_OUT=file.json` also writes the queries, so that another
//!    engine can be measured on the same sample.

use helpbook::search::query::Searcher;
use helpbook::search::tokenize::{self, is_cjk};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn main() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        println!(
            "search bench skipped: the corpus {} is absent",
            corpus.display()
        );
        return;
    }
    let runs = env_number("SEARCH_BENCH_RUNS", 3);
    let sample = env_number("SEARCH_SAMPLE", 200);
    // SEARCH_BENCH_DIR=/dev/shm/x keeps file-system noise out of the times.
    let out = match std::env::var_os("SEARCH_BENCH_DIR") {
        Some(dir) => tempfile::tempdir_in(dir),
        None => tempfile::tempdir(),
    }
    .expect("a temporary folder");
    let with = out.path().join("with");
    let without = out.path().join("without");

    let mut timed = [Vec::new(), Vec::new()];
    for _ in 0..runs {
        timed[0].push(build(&corpus, &with, true));
        timed[1].push(build(&corpus, &without, false));
    }
    let best = |v: &[(f64, Option<u64>)]| {
        let secs = v.iter().map(|r| r.0).fold(f64::INFINITY, f64::min);
        let peak = v.iter().filter_map(|r| r.1).min();
        (secs, peak)
    };
    let (s_with, m_with) = best(&timed[0]);
    let (s_without, m_without) = best(&timed[1]);
    let added = s_with - s_without;
    println!("corpus build, fastest of {runs}:");
    println!("  without search  {s_without:6.2} s{}", mb(m_without));
    println!("  with search     {s_with:6.2} s{}", mb(m_with));
    println!(
        "  search adds     {added:6.2} s = {:.0}% of the build without it{}",
        100.0 * added / s_without,
        match (m_with, m_without) {
            (Some(a), Some(b)) => format!(
                ", {:+.0} MB peak memory ({:+.0}%)",
                (a as f64 - b as f64) / 1024.0,
                100.0 * (a as f64 - b as f64) / b as f64
            ),
            _ => String::new(),
        }
    );
    println!("  index size      {}", index_sizes(&with));

    println!("title sample, found in the top five:");
    let mut queries = Vec::new();
    let mut langs: Vec<PathBuf> = std::fs::read_dir(&with)
        .expect("the built site")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("search/meta.json").is_file())
        .collect();
    langs.sort();
    for lang in langs {
        let dir = lang.join("search");
        let searcher =
            Searcher::open(|f| std::fs::read(dir.join(f)).ok()).expect("a readable index");
        let rows = all_docs(&dir);
        let step = (rows.len() / sample.max(1)).max(1);
        let (mut found, mut asked) = (0, 0);
        for (url, title) in rows.iter().step_by(step).take(sample) {
            let query = first_words(title, 4);
            if query.is_empty() {
                continue;
            }
            asked += 1;
            if searcher
                .search(&query, 5)
                .hits
                .iter()
                .any(|h| &h.url == url)
            {
                found += 1;
            }
            let name = lang.file_name().map(|n| n.to_string_lossy().into_owned());
            queries.push(serde_json::json!({"lang": name, "url": url, "query": query}));
        }
        println!(
            "  {:8} {found:4} of {asked:4} = {:5.1}%",
            lang.file_name().unwrap_or_default().to_string_lossy(),
            100.0 * found as f64 / asked.max(1) as f64
        );
    }
    if let Ok(file) = std::env::var("SEARCH_SAMPLE_OUT") {
        let json = serde_json::to_string_pretty(&queries).unwrap_or_default();
        std::fs::write(&file, json).expect("SEARCH_SAMPLE_OUT is writable");
        println!("queries written to {file}");
    }
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(default)
        .max(1)
}

/// Builds the corpus into `dest`: wall seconds and peak memory in KB.
fn build(corpus: &Path, dest: &Path, search: bool) -> (f64, Option<u64>) {
    let exe = env!("CARGO_BIN_EXE_helpbook");
    let stats = dest.with_extension("time");
    let timer = Path::new("/usr/bin/time");
    let mut cmd = if timer.is_file() {
        let mut c = Command::new(timer);
        c.arg("-f").arg("%M").arg("-o").arg(&stats).arg(exe);
        c
    } else {
        Command::new(exe)
    };
    cmd.arg("build").arg(corpus).arg("--dest").arg(dest);
    if !search {
        cmd.arg("--no-search");
    }
    let started = Instant::now();
    let status = cmd.output().expect("the helpbook binary runs").status;
    let secs = started.elapsed().as_secs_f64();
    assert!(status.success(), "the corpus build failed: {status}");
    let peak = std::fs::read_to_string(&stats)
        .ok()
        .and_then(|s| s.lines().last()?.trim().parse().ok());
    (secs, peak)
}

fn mb(kb: Option<u64>) -> String {
    kb.map_or_else(String::new, |kb| {
        format!(", peak {:.0} MB", kb as f64 / 1024.0)
    })
}

/// Every page of an index: (URL, title).
fn all_docs(dir: &Path) -> Vec<(String, String)> {
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("meta.json")).expect("meta.json"))
            .expect("a valid meta.json");
    let dir = &dir.join(meta["files"].as_str().unwrap_or_default());
    let mut out = Vec::new();
    for k in 0.. {
        let Ok(bytes) = std::fs::read(dir.join(format!("d/{k}.json"))) else {
            break;
        };
        let rows: Vec<(String, String, String)> =
            serde_json::from_slice(&bytes).expect("a valid d/ file");
        out.extend(rows.into_iter().map(|(u, t, _)| (u, t)));
    }
    out
}

/// The shortest start of `title` with `n` words (or all of it), ending
/// between words or inside a CJK run (never inside another word). Two CJK
/// characters count as a word (a Chinese word is one to three).
fn first_words(title: &str, n: usize) -> String {
    let words = |s: &str| {
        let mut w = 0;
        let mut cjk = 0;
        for piece in tokenize::pieces(s) {
            match piece {
                tokenize::Piece::Word(_) => w += 1,
                tokenize::Piece::Cjk(run) => cjk += run.chars().count(),
            }
        }
        w + cjk / 2
    };
    let mut end = title.len();
    let mut prev: Option<char> = None;
    for (i, c) in title.char_indices() {
        let between = !c.is_alphanumeric() || prev.is_some_and(is_cjk) || is_cjk(c);
        if i > 0 && between && words(&title[..i]) >= n {
            end = i;
            break;
        }
        prev = Some(c);
    }
    title[..end].trim().to_string()
}

fn index_sizes(site: &Path) -> String {
    let mut parts = Vec::new();
    let mut langs: Vec<PathBuf> = std::fs::read_dir(site)
        .expect("the built site")
        .flatten()
        .map(|e| e.path().join("search"))
        .filter(|p| p.is_dir())
        .collect();
    langs.sort();
    for dir in langs {
        let bytes: u64 = walk(&dir);
        let name = dir
            .parent()
            .and_then(Path::file_name)
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        parts.push(format!("{name} {:.1} MB", bytes as f64 / 1e6));
    }
    parts.join(", ")
}

fn walk(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    let p = e.path();
                    if p.is_dir() {
                        walk(&p)
                    } else {
                        e.metadata().map_or(0, |m| m.len())
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}
