//! Benchmark of `helpbook serve` on the real corpus (`../shared/corpus`,
//! copied to a temporary folder first: the bench edits articles), run with
//! `cargo bench --bench serve`. Prints figures, never fails on them; skips,
//! saying why, when the corpus is absent. `SERVE_BENCH_CONTENT=DIR` runs it
//! on another folder of locale folders instead (copied too), such as the
//! 36-language fan-out `benches/scale.rs` describes.
//!
//! 1. A full `helpbook build` of the copy (the time a change would cost
//!    without incremental rebuilds). Then serve's start: the time to its
//!    first answer, to the first whole article page (a translated article
//!    of ja-JP, asked for every 10 ms from the start: made on request
//!    before the build is written), and to the first build written; its
//!    peak memory then.
//! 2. Edit → reload: `SERVE_BENCH_EDITS` (default 30) saves of translated
//!    articles; for each, the time from the write to the reload event for
//!    its page on that page's event stream (debounce included); then to
//!    the event that its language's search index was written again.
//! 3. Load: 64 keep-alive clients (`SERVE_BENCH_CLIENTS`) request pages of
//!    every language for 30 s (`SERVE_BENCH_SECONDS`); errors, requests per
//!    second, and the server's resident memory sampled through the run.
//!    Then the same for the site's other files (the theme's CSS and script,
//!    40 search index files), which go through tower-http's
//!    `ServeFile` where pages are read whole (the live-reload script is
//!    inserted into them). Last, the server's peak memory over the run.

#[path = "../tests/support/serve.rs"]
mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{copy_tree, Server};

/// Whether live event `v` names `url` as changed.
fn names(v: &serde_json::Value, url: &str) -> bool {
    v["changed"]
        .as_array()
        .is_some_and(|l| l.iter().any(|u| u == url))
}

/// The median, 90th percentile and longest of `times`, in milliseconds.
fn spread(times: &mut [Duration]) -> Option<String> {
    times.sort();
    let ms = |d: &Duration| d.as_secs_f64() * 1000.0;
    Some(format!(
        "median {:.1} ms, p90 {:.1} ms, max {:.1} ms",
        ms(times.get(times.len() / 2)?),
        ms(&times[times.len() * 9 / 10]),
        ms(times.last()?)
    ))
}

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let corpus = std::env::var_os("SERVE_BENCH_CONTENT").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        std::path::PathBuf::from,
    );
    if !corpus.is_dir() {
        println!(
            "serve bench skipped: the content {} is absent",
            corpus.display()
        );
        return;
    }
    println!("content: {}", corpus.display());
    let tmp = tempfile::tempdir().expect("tempdir");
    let content = tmp.path().join("corpus");
    copy_tree(&corpus, &content);

    // 1. A full build.
    let started = Instant::now();
    let build = std::process::Command::new(env!("CARGO_BIN_EXE_helpbook"))
        .arg("build")
        .arg(&content)
        .arg("--dest")
        .arg(tmp.path().join("site"))
        .output()
        .expect("helpbook build");
    let full_build = started.elapsed();
    println!(
        "full build (helpbook build):   {:>8.2} s  ({})",
        full_build.as_secs_f64(),
        String::from_utf8_lossy(&build.stderr)
            .lines()
            .last()
            .unwrap_or("")
    );
    let server = first_page(&content);

    // 2. Edit → reload.
    let edits = env("SERVE_BENCH_EDITS", 30) as usize;
    let mut articles = Vec::new();
    for locale in ["zh-CN", "ja-JP", "sv-SE", "et-EE", "ro-RO"] {
        let names = article_names(&content.join(locale));
        for name in names.iter().step_by(500).take(2) {
            articles.push((locale, name.clone()));
        }
    }
    let mut streams: Vec<_> = articles
        .iter()
        .map(|(locale, name)| {
            let page = format!(
                "/{}/{}.html",
                locale.to_ascii_lowercase(),
                name.trim_end_matches(".md")
            );
            let events = server.events(Some(&page));
            let file = content.join(locale).join(name);
            let text = std::fs::read_to_string(&file).expect("article");
            (page, events, file, text)
        })
        .collect();
    let mut times = Vec::new();
    let mut search_times = Vec::new();
    let mut missed = 0;
    for i in 0..edits {
        let k = i % streams.len();
        let (page, events, file, text) = &mut streams[k];
        let Some(at) = text.find("</span><span class=\"sxs-lookup\">") else {
            continue;
        };
        let edited = format!("{} {i}{}", &text[..at], &text[at..]);
        let started = Instant::now();
        std::fs::write(&file, edited).expect("edit");
        let got = events.wait_for(Duration::from_secs(10), |v| names(v, page));
        match got {
            Some(_) => times.push(started.elapsed()),
            None => {
                missed += 1;
                continue;
            }
        }
        // The page's language's search index, written after the reload.
        let lang = page.split('/').nth(1).unwrap_or_default();
        let search = format!("/{lang}/search/meta.json");
        let got = events.wait_for(Duration::from_secs(30), |v| names(v, &search));
        if got.is_some() {
            search_times.push(started.elapsed());
        }
    }
    if let Some(spread) = spread(&mut times) {
        println!(
            "edit → reload event ({} edits, {missed} missed): {spread}  (full build {:.0} ms; watcher debounce {} ms included)",
            times.len(),
            full_build.as_secs_f64() * 1000.0,
            30
        );
    }
    if let Some(spread) = spread(&mut search_times) {
        println!(
            "edit → its language's search index written ({} of the edits): {spread}  (after {} ms without another event)",
            search_times.len(),
            250
        );
    }
    drop(streams);

    // 3. Load.
    let clients = env("SERVE_BENCH_CLIENTS", 64) as usize;
    let seconds = env("SERVE_BENCH_SECONDS", 30);
    let mut urls = Vec::new();
    for locale in ["zh-CN", "ja-JP", "sv-SE", "et-EE", "ro-RO"] {
        let slug = locale.to_ascii_lowercase();
        urls.push(format!("/{slug}/index.html"));
        for (l, name) in &articles {
            let page = support::encode(name.trim_end_matches(".md"));
            urls.push(format!("/{slug}/{page}.html"));
            if *l == locale {
                urls.push(format!("/en-us/{page}.html"));
            }
        }
    }
    urls.push("/".into());
    load(
        "pages",
        server.port,
        server.child.id(),
        urls,
        clients,
        seconds,
    );
    let mut files: Vec<String> = Vec::new();
    for entry in walkdir::WalkDir::new(&server.site).sort_by_file_name() {
        let entry = entry.expect("walk the served site");
        let rel = entry.path().strip_prefix(&server.site).expect("inside");
        let rel = rel.to_string_lossy().replace('\\', "/");
        let wanted = rel.starts_with("static/")
            || (rel.contains("/search/") && rel.ends_with(".json") && files.len() < 40);
        if entry.file_type().is_file() && wanted {
            files.push(format!("/{}", support::encode(&rel)));
        }
    }
    load(
        "other files",
        server.port,
        server.child.id(),
        files,
        clients,
        seconds,
    );
    println!(
        "serve: peak memory (VmHWM) over the whole run: {:.0} MiB",
        peak_kib(server.child.id()) as f64 / 1024.0
    );
}

/// Starts `serve` on `content` and prints the time to its first answer,
/// to the first whole article page and to the first build written, and its
/// peak memory then.
fn first_page(content: &Path) -> Server {
    let names = article_names(&content.join("ja-JP"));
    let page = format!(
        "/ja-jp/{}.html",
        support::encode(names[0].trim_end_matches(".md"))
    );
    let started = Instant::now();
    // The site where the bench's own files are (`TMPDIR=/dev/shm`: on
    // tmpfs, as the other benches write): the server starts with an empty
    // environment otherwise.
    let tmp = std::env::temp_dir();
    let env = [("TMPDIR", tmp.to_str().unwrap_or("/tmp"))];
    let server = Server::start_early(&env, content, &[], Duration::from_secs(60));
    let serving = started.elapsed();
    let mut first_answer = None;
    let mut asked = 0;
    let whole = loop {
        let r = support::request(server.port, "GET", &page);
        asked += 1;
        first_answer.get_or_insert((started.elapsed(), r.status));
        if r.status == 200 && r.text().trim_end().ends_with("</html>") {
            break started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "no page within 10 minutes"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    let line = server.wait_built(Duration::from_secs(1800));
    let built = started.elapsed();
    let (answer, status) = first_answer.expect("an answer");
    let s = |d: Duration| d.as_secs_f64();
    println!("serve: URL printed:            {:>8.2} s", s(serving));
    println!(
        "serve: first answer ({status}):      {:>8.2} s  ({page})",
        s(answer)
    );
    println!(
        "serve: first page after start: {:>8.2} s  (whole, 200, made on request)",
        s(whole)
    );
    println!(
        "serve: first build written:    {:>8.2} s  ({line})",
        s(built)
    );
    println!(
        "serve: peak memory (VmHWM) after the first build and {asked} requests: {:.0} MiB",
        peak_kib(server.child.id()) as f64 / 1024.0
    );
    server
}

/// `clients` keep-alive clients request `urls` in turn for `seconds`;
/// prints requests per second, errors and the server's memory.
fn load(what: &str, port: u16, pid: u32, urls: Vec<String>, clients: usize, seconds: u64) {
    let count = urls.len();
    let urls = Arc::new(urls);
    let stop = Arc::new(AtomicBool::new(false));
    let requests = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let rss_before = rss_kib(pid);
    let threads: Vec<_> = (0..clients)
        .map(|c| {
            let (urls, stop, requests, errors) =
                (urls.clone(), stop.clone(), requests.clone(), errors.clone());
            std::thread::spawn(move || {
                let mut conn: Option<BufReader<TcpStream>> = None;
                let mut i = c;
                while !stop.load(Ordering::Relaxed) {
                    let url = &urls[i % urls.len()];
                    i += 1;
                    if conn.is_none() {
                        conn = TcpStream::connect(("127.0.0.1", port)).ok().map(|s| {
                            s.set_read_timeout(Some(Duration::from_secs(10))).ok();
                            BufReader::new(s)
                        });
                    }
                    let ok = conn.as_mut().is_some_and(|c| get_keep_alive(c, url));
                    requests.fetch_add(1, Ordering::Relaxed);
                    if !ok {
                        errors.fetch_add(1, Ordering::Relaxed);
                        conn = None;
                    }
                }
            })
        })
        .collect();
    let started = Instant::now();
    let mut samples = vec![rss_before];
    while started.elapsed() < Duration::from_secs(seconds) {
        std::thread::sleep(Duration::from_secs(5).min(Duration::from_secs(seconds)));
        samples.push(rss_kib(pid));
    }
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        let _ = t.join();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let n = requests.load(Ordering::Relaxed);
    println!(
        "load, {what} ({count} URLs): {clients} clients for {elapsed:.1} s: {n} requests ({:.0}/s), {} errors",
        n as f64 / elapsed,
        errors.load(Ordering::Relaxed)
    );
    println!(
        "server memory (RSS, MiB) every 5 s: {}",
        samples
            .iter()
            .map(|k| format!("{:.0}", *k as f64 / 1024.0))
            .collect::<Vec<_>>()
            .join(" → ")
    );
}

/// One GET on a kept-alive connection; whether it got a 200 with its body.
fn get_keep_alive(conn: &mut BufReader<TcpStream>, url: &str) -> bool {
    let request = format!("GET {url} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    if conn.get_mut().write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut status = String::new();
    if conn.read_line(&mut status).is_err() {
        return false;
    }
    let mut length = None;
    loop {
        let mut line = String::new();
        if conn.read_line(&mut line).is_err() || line.is_empty() {
            return false;
        }
        if line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            }
        }
    }
    let Some(length) = length else {
        return false;
    };
    let mut body = vec![0; length];
    conn.read_exact(&mut body).is_ok() && status.split_whitespace().nth(1) == Some("200")
}

/// The resident memory of process `pid`, in KiB (0 where unknown).
fn rss_kib(pid: u32) -> u64 {
    status_kib(pid, "VmRSS:")
}

/// The peak resident memory of process `pid` so far, in KiB.
fn peak_kib(pid: u32) -> u64 {
    status_kib(pid, "VmHWM:")
}

fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// The article file names of a locale folder (its top level), sorted.
fn article_names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    names
}
