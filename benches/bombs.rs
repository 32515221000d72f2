//! The bomb benchmark: articles of about 2 MB built to cost as much as
//! possible (the reproductions of issue 15 and more of the same kind), each
//! built by the `helpbook` binary as its own process, with its wall time and
//! peak memory, against pulldown-cmark alone reading the same file (the
//! floor: no renderer can cost less than the parser it uses).
//!
//!     cargo bench --bench bombs              # BENCH_RUNS=3 (default) to tune
//!     cargo bench --bench bombs -- spans     # only the cases whose name has `spans`
//!     BOMBS_BIN=/tmp/old/helpbook cargo bench --bench bombs   # another build, for a before/after
//!
//! A build that runs longer than `BOMBS_TIMEOUT` seconds (default 60) is
//! killed and shown as `>60s`, its memory as what it had reached.
//!
//! Targets: under 2 s and 100 MB for any of them. Prints one row per case
//! (median time of the runs, largest peak), then the worst time and the
//! worst memory of the set, and whether each is within its target. Peak
//! memory is the process's `VmHWM`, read from `/proc` every 2 ms while it
//! runs (the last reading before exit; growth in the last 2 ms can be
//! missed); MB are 10^6 bytes. No assertions: these machines are shared
//! and noisy.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The allocator the `helpbook` binary uses, so that the floor is measured
/// the same way.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const TIME_TARGET: Duration = Duration::from_secs(2);
const MEMORY_TARGET_MB: f64 = 100.0;

/// One case: its name and its files (path under `content/sv-SE/`, text).
struct Bomb {
    name: &'static str,
    what: &'static str,
    files: Vec<(String, String)>,
}

fn front(title: &str) -> String {
    format!("---\ntitle: {title}\n---\n")
}

fn article(name: &'static str, what: &'static str, body: String) -> Bomb {
    Bomb {
        name,
        what,
        files: vec![(format!("{name}.md"), format!("{}{body}", front(name)))],
    }
}

fn bombs() -> Vec<Bomb> {
    let pair = |i: usize| {
        format!(
            "<span data-ttu-id=\"m-{i}\">Mening {i}.</span><span class=\"sxs-lookup\"><span data-stu-id=\"m-{i}\">Sentence {i}.</span></span>\n"
        )
    };
    let table_row = format!("{}|\n", "|a".repeat(10_000));
    let delimiter = format!("{}|\n", "|-".repeat(10_000));
    let keys: String = (0..200_000).map(|i| format!("k{i}: v\n")).collect();
    let thousand = |path: &str| format!("[!INCLUDE[x]({path})]\n").repeat(1_000);
    vec![
        article(
            "spans",
            "100,000 broken span tags on one line",
            format!("{}\n", "<span data-ttu-id=\"x ".repeat(100_000)),
        ),
        article(
            "headings",
            "250,000 equal headings",
            "## Same\n".repeat(250_000),
        ),
        Bomb {
            name: "front-matter-keys",
            what: "200,000 front matter keys",
            files: vec![(
                "front-matter-keys.md".into(),
                format!("---\ntitle: k\n{keys}---\n# k\n"),
            )],
        },
        Bomb {
            name: "yaml-deep",
            what: "front matter nested 1,000,000 deep",
            files: vec![(
                "yaml-deep.md".into(),
                format!(
                    "---\ntitle: y\nk: {}x{}\n---\n# y\n",
                    "[".repeat(1_000_000),
                    "]".repeat(1_000_000)
                ),
            )],
        },
        Bomb {
            name: "yaml-deep-fits",
            what: "front matter nested 100,000 deep (within 256 KB)",
            files: vec![(
                "yaml-deep-fits.md".into(),
                format!(
                    "---\ntitle: y\nk: {}x{}\n---\n# y\n",
                    "{a: ".repeat(50_000),
                    "}".repeat(50_000)
                ),
            )],
        },
        article(
            "divs",
            "200,000 nested <div>",
            format!("{}x{}\n", "<div>".repeat(200_000), "</div>".repeat(200_000)),
        ),
        article(
            "bold-html",
            "700,000 <b> never closed",
            format!("{}\n", "<b>".repeat(700_000)),
        ),
        article(
            "wide-table",
            "a table of 10,000 columns × 100 rows",
            format!("{table_row}{delimiter}{}", table_row.repeat(100)),
        ),
        article(
            "short-rows",
            "40 tables of 10,000 columns, 1,000 short rows each",
            format!("{table_row}{delimiter}{}\n", "|\n".repeat(1_000)).repeat(40),
        ),
        article(
            "quotes",
            "2,000,000 nested > on one line",
            format!("{} x\n", ">".repeat(2_000_000)),
        ),
        article(
            "lists",
            "1,000,000 nested - on one line",
            format!("{}x\n", "- ".repeat(1_000_000)),
        ),
        article(
            "indented-lists",
            "1,400 list levels by indentation",
            (0..1_400)
                .map(|i| format!("{}- x\n", "  ".repeat(i)))
                .collect(),
        ),
        article(
            "emphasis",
            "emphasis nested 300,000 deep",
            format!("{}x{}\n", "*a ".repeat(300_000), " b*".repeat(300_000)),
        ),
        article(
            "long-line",
            "one 2 MB line of words",
            format!("{}\n", "ab ".repeat(700_000)),
        ),
        article(
            "soft-breaks",
            "a paragraph of 1,000,000 lines",
            "a\n".repeat(1_000_000),
        ),
        article(
            "brackets",
            "1,000,000 [ and 1,000,000 ]",
            format!("{}x{}\n", "[".repeat(1_000_000), "]".repeat(1_000_000)),
        ),
        Bomb {
            name: "links",
            what: "200,000 links to an article",
            files: vec![
                (
                    "links.md".into(),
                    format!(
                        "{}# L\n\n{}\n",
                        front("links"),
                        "[x](b.md) ".repeat(200_000)
                    ),
                ),
                ("b.md".into(), format!("{}# B\n", front("b"))),
            ],
        },
        Bomb {
            name: "fragment-links",
            what: "150,000 links with a #fragment, a paragraph each",
            files: vec![
                (
                    "fragment-links.md".into(),
                    format!(
                        "{}# L\n\n{}",
                        front("fragment-links"),
                        "[x](b.md#b)\n\n".repeat(150_000)
                    ),
                ),
                ("b.md".into(), format!("{}# B\n", front("b"))),
            ],
        },
        article(
            "broken-links",
            "150,000 links to no article",
            format!("# L\n\n{}\n", "[x](nope.md) ".repeat(150_000)),
        ),
        article(
            "pairs",
            "20,000 segment pairs",
            (0..20_000).map(pair).collect(),
        ),
        article(
            "orphans",
            "70,000 orphan translations on one line",
            format!("{}\n", "<span data-ttu-id=\"x\">a</span> ".repeat(70_000)),
        ),
        Bomb {
            name: "includes",
            what: "1,000 includes of a snippet of 1,000 includes",
            files: vec![
                (
                    "includes.md".into(),
                    format!("{}{}", front("includes"), thousand("includes/b.md")),
                ),
                ("includes/b.md".into(), thousand("c.md")),
                ("includes/c.md".into(), format!("{}\n", "text ".repeat(200))),
            ],
        },
    ]
}

/// One measured process.
#[derive(Clone, Copy)]
struct Measure {
    time: Duration,
    peak_mb: f64,
    ok: bool,
    killed: bool,
}

/// Runs `cmd`, reading its peak resident memory from `/proc` while it runs;
/// kills it after `timeout`.
fn measure(mut cmd: Command, timeout: Duration) -> Measure {
    let started = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the process starts");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0u64;
    let status = loop {
        if let Ok(text) = std::fs::read_to_string(&status_file) {
            if let Some(v) = text.lines().find_map(|l| l.strip_prefix("VmHWM:")) {
                let kib = v.trim().trim_end_matches("kB").trim().parse().unwrap_or(0);
                peak_kib = peak_kib.max(kib);
            }
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break Some(status);
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    Measure {
        time: started.elapsed(),
        peak_mb: peak_kib as f64 * 1024.0 / 1e6,
        // 0, or 1 for findings at error level.
        ok: status.is_some_and(|s| matches!(s.code(), Some(0 | 1))),
        killed: status.is_none(),
    }
}

/// The floor, run as its own process (this benchmark with `--floor FILE`):
/// pulldown-cmark reads the file's Markdown with helpbook's options, each
/// event counted and dropped.
fn floor(file: &Path) {
    let text = std::fs::read_to_string(file).expect("the bomb");
    let events = helpbook::render::parser(&text).count();
    println!("{events}");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--floor") {
        floor(Path::new(&args[i + 1]));
        return;
    }
    if !Path::new("/proc/self/status").exists() {
        println!("bombs bench skipped: peak memory is read from /proc, which this system lacks");
        return;
    }
    let only: Vec<&String> = args[1..].iter().filter(|a| !a.starts_with('-')).collect();
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3)
        .max(1);
    let bin = std::env::var_os("BOMBS_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_helpbook")));
    let timeout = Duration::from_secs(
        std::env::var("BOMBS_TIMEOUT")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(60),
    );
    let me = std::env::current_exe().expect("this benchmark's path");
    let tmp = tempfile::tempdir().expect("a temporary folder");
    println!(
        "bombs: {} runs each, `{} build` (search on) as its own process; \
         floor: pulldown-cmark alone on the same file",
        runs,
        bin.display()
    );
    println!(
        "{:<20} {:>7} {:>9} {:>9} {:>9} {:>9} {:>7}  what",
        "case", "MB in", "time", "peak MB", "floor", "floor MB", "× mem"
    );
    let mut worst_time: Option<(&str, Duration)> = None;
    let mut worst_memory: Option<(&str, f64)> = None;
    for bomb in bombs() {
        if !only.is_empty() && !only.iter().any(|o| bomb.name.contains(o.as_str())) {
            continue;
        }
        let project = tmp.path().join(bomb.name);
        let mut size = 0;
        for (rel, text) in &bomb.files {
            let path = project.join("content/sv-SE").join(rel);
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
            std::fs::write(&path, text).expect("write the bomb");
            size += text.len();
        }
        let main_file = project.join("content/sv-SE").join(&bomb.files[0].0);
        let mut builds = Vec::new();
        let mut floors = Vec::new();
        // In turn, run after run, so that a change in the machine's load
        // falls on both alike.
        for _ in 0..runs {
            let mut build = Command::new(&bin);
            build
                .arg("build")
                .arg(&project)
                .arg("--dest")
                .arg(project.join("site"));
            builds.push(measure(build, timeout));
            let mut parse = Command::new(&me);
            parse.arg("--floor").arg(&main_file);
            floors.push(measure(parse, timeout));
            if builds.iter().any(|b| b.killed) {
                // It would only be killed again.
                break;
            }
        }
        let median = |m: &mut Vec<Measure>| {
            m.sort_by_key(|x| x.time);
            m[m.len() / 2].time
        };
        let peak = |m: &[Measure]| m.iter().map(|x| x.peak_mb).fold(0.0, f64::max);
        let (time, floor_time) = (median(&mut builds), median(&mut floors));
        let (mb, floor_mb) = (peak(&builds), peak(&floors));
        let killed = builds.iter().any(|b| b.killed);
        let failed = if builds.iter().all(|b| b.ok || b.killed) {
            ""
        } else {
            "  (exit status 2 or a signal!)"
        };
        let shown_time = if killed {
            format!(">{}s", timeout.as_secs())
        } else {
            format!("{:.2}s", time.as_secs_f64())
        };
        println!(
            "{:<20} {:>7.2} {:>9} {:>9.1} {:>8.2}s {:>9.1} {:>7.1}  {}{failed}",
            bomb.name,
            size as f64 / 1e6,
            shown_time,
            mb,
            floor_time.as_secs_f64(),
            floor_mb,
            mb / floor_mb.max(1.0),
            bomb.what
        );
        if worst_time.is_none_or(|(_, t)| time > t) {
            worst_time = Some((bomb.name, time));
        }
        if worst_memory.is_none_or(|(_, m)| mb > m) {
            worst_memory = Some((bomb.name, mb));
        }
    }
    let verdict = |within: bool| if within { "within" } else { "OVER" };
    if let Some((name, t)) = worst_time {
        println!(
            "worst time:   {:.2} s ({name}); target {} s: {}",
            t.as_secs_f64(),
            TIME_TARGET.as_secs(),
            verdict(t < TIME_TARGET)
        );
    }
    if let Some((name, mb)) = worst_memory {
        println!(
            "worst memory: {mb:.1} MB ({name}); target {MEMORY_TARGET_MB} MB: {}",
            verdict(mb < MEMORY_TARGET_MB)
        );
    }
}
