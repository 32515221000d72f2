//! The scale benchmark: the corpus fanned out to 6, 12, 24 and 36 language
//! tags (the English and 5, 11, 23, 35 locale folders), the docset's own
//! (`tests/support/docset.rs`; 37 makes all of them), each further tag a
//! copy of one of the five real locales (zh-CN's articles also as zh-TW,
//! ja-JP's also as ko-KR, ro-RO's also as ar-SA, …), generated into a
//! temporary folder and removed afterwards. At each size it prints, for a full `helpbook build` with
//! search on, run as its own process: wall time, CPU time, peak memory,
//! files and bytes written, article pages and bytes per article page; and
//! the floor of the same content in the same run (read every article once,
//! render its Markdown once with pulldown-cmark, write the HTML, on the
//! build's threads). Beside it, the write floor: as many files of the same
//! sizes, at the same paths, as the build wrote, written through a staging
//! folder and swapped in as a build writes them (the site's bytes are not
//! held: a file's length of zeros costs the file system what its bytes do).
//!
//!     cargo bench --bench scale          # BENCH_SCALE_ARTICLES=N articles per locale (default 400)
//!                                        # BENCH_SCALE_RUNS=N runs of the floor and the build
//!                                        #   at each size, alternating (default 3): medians
//!                                        # BENCH_OUT=/dev/shm/x for the temporary folder
//!                                        # BENCH_HELPBOOK=path/to/helpbook: measure that
//!                                        #   binary (an earlier commit's build, to compare)
//!                                        # BENCH_SCALE_SIZES=6,36: only these sizes
//!                                        #   (language tags, 2 to 37; default 6,12,24,36)
//!
//! A subset of the corpus (the first N article names of zh-CN, the same
//! names in every locale) keeps a run within minutes on a shared machine.
//! No assertions: these machines are shared and noisy. For the same reason
//! the floor and the build run several times at each size, one after the
//! other, and the rows are their medians (each run's times are printed
//! too): a single 6-language build takes two seconds, and one slow run
//! moved its ratios by a tenth.

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "../tests/support/docset.rs"]
mod docset;
use docset::DOCSET;

/// Language tags per size, the English included.
const SIZES: [usize; 4] = [6, 12, 24, 36];

/// The sizes to run: `BENCH_SCALE_SIZES` (a comma-separated list of
/// language counts, each within what the tag list can make), or [`SIZES`].
fn sizes() -> Vec<usize> {
    let most = DOCSET.len() + 1;
    let Ok(list) = std::env::var("BENCH_SCALE_SIZES") else {
        return SIZES.to_vec();
    };
    let sizes: Vec<usize> = list
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .filter(|n| (2..=most).contains(n))
        .collect();
    if sizes.is_empty() {
        eprintln!("BENCH_SCALE_SIZES={list:?} names no size from 2 to {most}; running {SIZES:?}");
        return SIZES.to_vec();
    }
    sizes
}

struct Row {
    langs: usize,
    articles: usize,
    floor: Duration,
    write_floor: Duration,
    wall: Duration,
    cpu: Duration,
    peak_kib: u64,
    files: usize,
    bytes: u64,
    pages: usize,
    page_bytes: u64,
}

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = repo.join("../shared/corpus");
    if !corpus.is_dir() {
        println!("scale bench skipped: {} is absent", corpus.display());
        return;
    }
    let per_locale: usize = std::env::var("BENCH_SCALE_ARTICLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(400);
    let out_root = std::env::var_os("BENCH_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let shm = Path::new("/dev/shm");
            if shm.is_dir() {
                shm.join("helpbook-scale")
            } else {
                std::env::temp_dir().join("helpbook-scale")
            }
        });
    let _ = std::fs::remove_dir_all(&out_root);
    std::fs::create_dir_all(&out_root).expect("output folder");
    let runs: usize = std::env::var("BENCH_SCALE_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3)
        .max(1);
    let names = article_names(&corpus, per_locale);
    println!(
        "scale: {} articles per locale, {runs} runs per size, {} threads, output in {}, binary {}",
        names.len(),
        rayon::current_num_threads(),
        out_root.display(),
        std::env::var("BENCH_HELPBOOK").unwrap_or_else(|_| env!("CARGO_BIN_EXE_helpbook").into())
    );
    let sizes = sizes();
    let mut rows = Vec::new();
    for langs in sizes {
        let content = out_root.join(format!("content-{langs}"));
        let articles = fan_out(&corpus, &names, langs - 1, &content);
        let floor_dir = out_root.join(format!("floor-{langs}"));
        let site = out_root.join(format!("site-{langs}"));
        let written_dir = out_root.join(format!("write-floor-{langs}"));
        let mut runs_done: Vec<(Duration, Duration, Duration, u64, Duration)> =
            Vec::with_capacity(runs);
        for _ in 0..runs {
            let _ = std::fs::remove_dir_all(&floor_dir);
            let _ = std::fs::remove_dir_all(&site);
            let _ = std::fs::remove_dir_all(&written_dir);
            let floor = floor(&content, &floor_dir);
            let Some((wall, cpu, peak_kib)) = build(&content, &site) else {
                println!("scale bench: the build of {langs} languages failed");
                return;
            };
            let written = write_floor(&site, &written_dir);
            runs_done.push((floor, wall, cpu, peak_kib, written));
        }
        let _ = std::fs::remove_dir_all(&written_dir);
        if runs > 1 {
            let each: Vec<String> = runs_done
                .iter()
                .map(|r| {
                    let s = |d: Duration| d.as_secs_f64();
                    format!("{:.2} / {:.2} / {:.2} s", s(r.1), s(r.0), s(r.4))
                })
                .collect();
            println!(
                "   {langs} languages, each run's build / floor / write floor: {}",
                each.join(", ")
            );
        }
        let floor = median(runs_done.iter().map(|r| r.0));
        let wall = median(runs_done.iter().map(|r| r.1));
        let cpu = median(runs_done.iter().map(|r| r.2));
        let peak_kib = median(runs_done.iter().map(|r| r.3));
        let write_floor = median(runs_done.iter().map(|r| r.4));
        let (files, bytes, pages, page_bytes) = measure(&site);
        let row = Row {
            langs,
            articles,
            floor,
            write_floor,
            wall,
            cpu,
            peak_kib,
            files,
            bytes,
            pages,
            page_bytes,
        };
        print_row(&row);
        rows.push(row);
        let _ = std::fs::remove_dir_all(&content);
        let _ = std::fs::remove_dir_all(&site);
        let _ = std::fs::remove_dir_all(out_root.join(format!("floor-{langs}")));
    }
    if let (Some(first), Some(last)) = (rows.first(), rows.last()) {
        let per_page = |r: &Row| r.wall.as_secs_f64() / r.pages.max(1) as f64;
        let cpu_per_page = |r: &Row| r.cpu.as_secs_f64() / r.pages.max(1) as f64;
        let bytes_per_page = |r: &Row| r.page_bytes as f64 / r.pages.max(1) as f64;
        if first.langs != last.langs {
            println!(
                "{} vs {} languages: time per page {:.2} x (CPU time per page {:.2} x), bytes per article page {:.2} x, peak memory {:.2} x",
                last.langs,
                first.langs,
                per_page(last) / per_page(first),
                cpu_per_page(last) / cpu_per_page(first),
                bytes_per_page(last) / bytes_per_page(first),
                last.peak_kib as f64 / first.peak_kib.max(1) as f64,
            );
        }
        println!(
            "build / floor at {}: {:.2} (write floor / floor {:.2}, build / (floor + write floor) {:.2})",
            last.langs,
            last.wall.as_secs_f64() / last.floor.as_secs_f64(),
            last.write_floor.as_secs_f64() / last.floor.as_secs_f64(),
            last.wall.as_secs_f64() / (last.floor + last.write_floor).as_secs_f64()
        );
    }
    let _ = std::fs::remove_dir_all(&out_root);
}

/// The median of `values` (the upper one of an even count).
fn median<T: Ord + Copy>(values: impl Iterator<Item = T>) -> T {
    let mut v: Vec<T> = values.collect();
    v.sort_unstable();
    v[v.len() / 2]
}

fn print_row(r: &Row) {
    println!(
        "{:>2} languages, {:>6} articles: wall {:>7.2} s  cpu {:>7.2} s  peak {:>6.0} MB  \
         {:>7} files  {:>7.1} MB  {:>6} article pages  {:>6.1} KB/page  floor {:>6.2} s  ({:.2} x floor)  \
         write floor {:>6.2} s",
        r.langs,
        r.articles,
        r.wall.as_secs_f64(),
        r.cpu.as_secs_f64(),
        r.peak_kib as f64 / 1024.0,
        r.files,
        r.bytes as f64 / 1e6,
        r.pages,
        r.page_bytes as f64 / r.pages.max(1) as f64 / 1e3,
        r.floor.as_secs_f64(),
        r.wall.as_secs_f64() / r.floor.as_secs_f64(),
        r.write_floor.as_secs_f64()
    );
}

/// The first `n` article file names of zh-CN, sorted.
fn article_names(corpus: &Path, n: usize) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(corpus.join("zh-CN"))
        .expect("zh-CN")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    names.truncate(n);
    names
}

/// Writes `locales` locale folders into `content`: the real ones, then the
/// further tags, each with the named articles, `includes/` and `media/` of
/// its real locale. Returns the number of articles written.
fn fan_out(corpus: &Path, names: &[String], locales: usize, content: &Path) -> usize {
    let tags = DOCSET.into_iter().take(locales);
    let mut written = 0;
    for (tag, from) in tags {
        let (src, dst) = (corpus.join(from), content.join(tag));
        for sub in ["includes", "media"] {
            copy_tree(&src.join(sub), &dst.join(sub));
        }
        std::fs::create_dir_all(&dst).expect("mkdir");
        for name in names {
            let Ok(bytes) = std::fs::read(src.join(name)) else {
                continue;
            };
            std::fs::write(dst.join(name), as_locale(bytes, from, tag)).expect("write");
            written += 1;
        }
    }
    written
}

/// A copy of an article of locale `from` as one of locale `tag`: its
/// front matter's `ms.contentlocale` says `tag`, as a real translation's
/// does (else every copy would be reported as `article::locale-mismatch`,
/// a finding the real docset does not have).
fn as_locale(bytes: Vec<u8>, from: &str, tag: &str) -> Vec<u8> {
    let (was, now) = (
        format!("ms.contentlocale: {from}"),
        format!("ms.contentlocale: {tag}"),
    );
    match String::from_utf8(bytes) {
        Ok(text) if from != tag => text.replacen(&was, &now, 1).into_bytes(),
        Ok(text) => text.into_bytes(),
        Err(e) => e.into_bytes(),
    }
}

fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from).into_iter().flatten() {
        let Ok(rel) = e.path().strip_prefix(from) else {
            continue;
        };
        let target = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &target).expect("copy");
        }
    }
}

/// Reads every article of `content` once, renders its Markdown once and
/// writes the HTML into `dest`, on the build's threads.
fn floor(content: &Path, dest: &Path) -> Duration {
    let files: Vec<PathBuf> = walkdir::WalkDir::new(content)
        .min_depth(2)
        .max_depth(2)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    std::fs::create_dir_all(dest).expect("floor folder");
    let started = Instant::now();
    files.par_iter().enumerate().for_each(|(i, f)| {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let mut html = String::with_capacity(text.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, helpbook::render::parser(&text));
        std::fs::write(dest.join(format!("{i}.html")), html).expect("write");
    });
    started.elapsed()
}

/// The file system's share of a build: as many files as `site` holds, of
/// the same sizes at the same paths, written through a staging folder at
/// `dest` on the build's threads and swapped in.
fn write_floor(site: &Path, dest: &Path) -> Duration {
    let files: Vec<(String, usize)> = walkdir::WalkDir::new(site)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(site).ok()?.to_str()?.to_string();
            let len = e.metadata().ok()?.len() as usize;
            (rel != ".helpbook-site").then_some((rel, len))
        })
        .collect();
    let zeros = vec![0u8; files.iter().map(|f| f.1).max().unwrap_or(0)];
    let started = Instant::now();
    let staging = helpbook::write::Staging::new(dest).expect("staging");
    files
        .par_iter()
        .for_each(|(rel, len)| staging.put(rel, &zeros[..*len]).expect("write"));
    staging.commit().expect("commit");
    started.elapsed()
}

/// Runs `helpbook build content --dest site` as its own process: its wall
/// time, CPU time (user + system, from this process's waited-for children
/// in /proc/self/stat) and peak resident memory (VmHWM, sampled every 5 ms).
fn build(content: &Path, site: &Path) -> Option<(Duration, Duration, u64)> {
    let before = children_cpu();
    let started = Instant::now();
    let binary = std::env::var_os("BENCH_HELPBOOK")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_helpbook")));
    let mut child = Command::new(binary)
        .arg("build")
        .arg(content)
        .arg("--dest")
        .arg(site)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    let code = loop {
        if let Ok(text) = std::fs::read_to_string(&status) {
            for line in text.lines() {
                if let Some(v) = line.strip_prefix("VmHWM:") {
                    let kib = v.trim().trim_end_matches("kB").trim().parse().unwrap_or(0);
                    peak = peak.max(kib);
                }
            }
        }
        if let Some(code) = child.try_wait().ok()? {
            break code;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let wall = started.elapsed();
    let cpu = children_cpu().saturating_sub(before);
    code.success().then_some((wall, cpu, peak))
}

/// User + system CPU time of this process's waited-for children
/// (`cutime` + `cstime` of /proc/self/stat, in ticks of 1/100 s).
fn children_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) in parentheses.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<u64> = rest
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    // cutime and cstime are fields 16 and 17 of the file; `rest` starts at 3.
    let ticks = fields.get(13).copied().unwrap_or(0) + fields.get(14).copied().unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

/// Files and bytes of the site, and its article pages (the `.html` files of
/// the language folders other than `index.html`, `404.html` and side-by-side
/// pages; not the articles' language choosers in `languages/`) and their
/// bytes.
fn measure(site: &Path) -> (usize, u64, usize, u64) {
    let (mut files, mut bytes, mut pages, mut page_bytes) = (0, 0, 0, 0);
    for e in walkdir::WalkDir::new(site).into_iter().flatten() {
        if !e.file_type().is_file() {
            continue;
        }
        let len = e.metadata().map(|m| m.len()).unwrap_or(0);
        files += 1;
        bytes += len;
        let rel = e.path().strip_prefix(site).unwrap_or(e.path());
        let name = rel.to_string_lossy();
        let in_language = rel.components().count() == 2
            && !name.starts_with("static")
            && !name.starts_with("media")
            && !name.starts_with("languages");
        if in_language
            && name.ends_with(".html")
            && !name.ends_with(".sxs.html")
            && !name.ends_with("/index.html")
            && !name.ends_with("/404.html")
        {
            pages += 1;
            page_bytes += len;
        }
    }
    (files, bytes, pages, page_bytes)
}
