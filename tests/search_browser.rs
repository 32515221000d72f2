//! Search in a real browser (headless Chromium, driven by the scripts in
//! tests/browser/), on sites built by the binary and served over HTTP on
//! 127.0.0.1 by a small static server in this test:
//!
//! - `search.mjs`: the search box as a reader uses it (keyboard, counts,
//!   plural forms, marked words, "more results", Thai, from disk);
//! - `search-compare.mjs`: the browser's search and its Rust twin
//!   (`helpbook::search::query`) on the same queries, drawn from the whole
//!   example, the Thai and Vietnamese fixture and the Arabic and Hebrew
//!   one, and from a sample of the
//!   corpus's titles and words in every language when `../shared/corpus` is
//!   present: the same count and the same first ten results, in order (the
//!   queries of a language are asked in one call into the page);
//! - `search-probe.mjs`: the share of articles found in the first five
//!   results by two words of their title (the goal: 85 % in every language),
//!   on the fixture and, when present, the corpus (there, as a reader finds
//!   them, typing on while more than five titles hold the query).
//!
//! Skips, saying why, when Chromium, Node or playwright-core is missing,
//! unless `HELPBOOK_REQUIRE_BROWSER` is set (see `support::browser_available`).

use crate::support;

use helpbook::search::query::Searcher;
use helpbook::search::script;
use helpbook::search::tokenize::{self, Piece};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use support::{build_site, repo};

/// The goal: the share of probed articles found in the first five results.
const GOAL: f64 = 85.0;
/// Articles probed per language.
const PROBE_SAMPLE: usize = 30;
/// Titles, and words of the lexicon, per language of the corpus whose
/// queries the browser and the Rust twin both answer.
const CORPUS_SAMPLE: usize = 12;

#[test]
fn search_box_in_chromium() {
    if !support::browser_available() {
        return;
    }
    let example = built_example();
    let fixture = built_fixture();
    let out = node(
        "search.mjs",
        &[
            &serve(example),
            &example.to_string_lossy(),
            &serve(fixture),
            &serve(built_clitics()),
            &chromium(),
        ],
    );
    assert!(out.0, "the browser test failed:\n{}", out.1);
}

#[test]
fn the_browser_and_the_rust_twin_agree() {
    if !support::browser_available() {
        return;
    }
    // The example whole (every indexed page and every word of its lexicon,
    // fewer than 150, in each language), the Thai and Vietnamese fixture's
    // 28 pages and 150 words per language, the Arabic and Hebrew fixture's
    // 6 pages and 150 words (bare forms among them), and of the corpus a sample spread evenly over
    // each language's pages and lexicon: 12 titles and 12 words (about 55
    // queries per language). Each corpus query costs tens of milliseconds
    // of search in the page; a larger sample adds time, not kinds of query.
    let mut sites = vec![
        (built_example(), 150),
        (built_fixture(), 150),
        (built_clitics(), 150),
    ];
    if let Some(corpus) = built_corpus() {
        sites.push((corpus, CORPUS_SAMPLE));
    }
    let mut compared = 0;
    let mut resegmented = 0;
    let mut wrong = Vec::new();
    for (site, per_language) in sites {
        let queries = queries(site, per_language);
        assert!(queries.len() > 50, "{}: too few queries", site.display());
        let langs: BTreeSet<&str> = queries.iter().filter_map(|q| q["lang"].as_str()).collect();
        assert_eq!(langs.len(), languages(site).len(), "every language asked");
        let dir = tempfile::tempdir().expect("temp dir");
        let asked = dir.path().join("queries.json");
        let answered = dir.path().join("answers.json");
        std::fs::write(&asked, serde_json::to_vec(&queries).expect("json")).expect("write");
        let out = node(
            "search-compare.mjs",
            &[
                &serve(site),
                &asked.to_string_lossy(),
                &answered.to_string_lossy(),
                &chromium(),
            ],
        );
        assert!(out.0, "search-compare.mjs failed:\n{}", out.1);
        let answers: Vec<Value> =
            serde_json::from_slice(&std::fs::read(&answered).expect("answers")).expect("json");
        // Each language's index is read once.
        let mut searchers = std::collections::BTreeMap::new();
        assert_eq!(answers.len(), queries.len(), "every query answered");
        for a in answers {
            let lang = a["lang"].as_str().expect("lang");
            let query = a["query"].as_str().expect("query");
            let browser_words: Vec<&str> = a["unspaced"]
                .as_array()
                .expect("unspaced")
                .iter()
                .filter_map(Value::as_str)
                .collect();
            if browser_words != unspaced_words(query) {
                // ICU4X and the browser's ICU split this Thai (Lao …) text
                // differently: the two look up different terms.
                resegmented += 1;
                continue;
            }
            let searcher = searchers.entry(lang.to_string()).or_insert_with(|| {
                let index = site.join(lang).join("search");
                Searcher::open(move |f| std::fs::read(index.join(f)).ok()).expect("index")
            });
            let found = searcher.search(query, 10);
            let urls: Vec<&str> = found.hits.iter().map(|h| h.url.as_str()).collect();
            let browser: Vec<&str> = a["urls"]
                .as_array()
                .expect("urls")
                .iter()
                .filter_map(Value::as_str)
                .collect();
            compared += 1;
            if a["total"].as_u64() != Some(found.total as u64) || browser != urls {
                wrong.push(format!(
                    "{lang} {query:?}: browser {} {browser:?}, Rust {} {urls:?}",
                    a["total"], found.total
                ));
            }
        }
    }
    println!("{compared} queries compared, {resegmented} segmented differently");
    assert!(
        wrong.is_empty(),
        "{} of {compared} queries differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_search_probe_meets_the_goal() {
    if !support::browser_available() {
        return;
    }
    // On the fixture, every article counts by its two-word query. On the
    // corpus, a fifth to two fifths of the two-word queries are held by
    // more than five titles, which no ranking can resolve: there the goal
    // is read as a reader meets it, who types the title's next word while
    // more than five titles hold the query (`readerShare`); the two-word
    // figures are printed too (docs/search.md has both).
    let mut sites = vec![(built_fixture(), "share")];
    sites.extend(built_corpus().map(|c| (c, "readerShare")));
    let mut failed = Vec::new();
    for (site, measure) in sites {
        let langs = languages(site);
        let dir = tempfile::tempdir().expect("temp dir");
        let report = dir.path().join("probe.json");
        let mut args = vec![
            serve(site),
            report.to_string_lossy().into_owned(),
            PROBE_SAMPLE.to_string(),
        ];
        args.extend(langs.iter().cloned());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = node("search-probe.mjs", &args);
        assert!(out.0, "search-probe.mjs failed:\n{}", out.1);
        println!("{}", out.1);
        let report: Vec<Value> =
            serde_json::from_slice(&std::fs::read(&report).expect("report")).expect("json");
        assert_eq!(report.len(), langs.len(), "every language probed");
        for lang in report {
            let share = lang[measure].as_f64().expect("share");
            assert!(lang["asked"].as_u64() >= Some(20), "{lang}");
            if share < GOAL {
                failed.push(format!(
                    "{} ({measure}): {share:.1} % (misses: {})",
                    lang["lang"], lang["misses"]
                ));
            }
        }
    }
    assert!(
        failed.is_empty(),
        "under the goal of {GOAL} %:\n{}",
        failed.join("\n")
    );
}

/// The words ICU4X finds in the Thai, Lao, Khmer and Burmese runs of `text`.
fn unspaced_words(text: &str) -> Vec<&str> {
    tokenize::tokens(text)
        .filter_map(|(_, piece)| match piece {
            Piece::Word(w) if w.chars().next().is_some_and(script::is_unspaced) => Some(w),
            _ => None,
        })
        .collect()
}

/// Queries for the comparison, from every language of `site`: for up to
/// `per_language` pages, the title, its first two words, the first three
/// characters of its first word (a word being typed), its last word with a
/// space after it; and words of the lexicon, whole and cut short.
fn queries(site: &Path, per_language: usize) -> Vec<Value> {
    let mut out = Vec::new();
    for lang in languages(site) {
        let index = site.join(&lang).join("search");
        let mut seen = BTreeSet::new();
        let mut push = |q: String| {
            if !q.trim().is_empty() && seen.insert(q.clone()) {
                out.push(json!({"lang": lang, "query": q}));
            }
        };
        let rows = rows(&index);
        let step = (rows.len() / per_language).max(1);
        for (_, title) in rows.iter().step_by(step).take(per_language) {
            push(title.clone());
            let words: Vec<(usize, &str)> = tokenize::tokens(title)
                .map(|(at, p)| match p {
                    Piece::Word(w) | Piece::Cjk(w) => (at, w),
                })
                .collect();
            if let [(a, _), (b, w), ..] = words[..] {
                push(title[a..b + w.len()].to_string());
            }
            if let Some((_, w)) = words.first() {
                push(w.chars().take(3).collect());
            }
            if let Some((_, w)) = words.last() {
                push(format!("{w} "));
            }
        }
        let lexicon = lexicon(&index);
        let step = (lexicon.len() / per_language).max(1);
        for word in lexicon.iter().step_by(step).take(per_language) {
            push(word.clone());
            push(word.chars().take(2).collect());
        }
    }
    out
}

/// The languages of a built site that have a search index.
fn languages(site: &Path) -> Vec<String> {
    let mut langs: Vec<String> = std::fs::read_dir(site)
        .expect("the built site")
        .flatten()
        .filter(|e| e.path().join("search/meta.json").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    langs.sort();
    langs
}

/// The folder of an index's files, as its `meta.json` names it.
fn folder(index: &Path) -> PathBuf {
    let meta: Value =
        serde_json::from_slice(&std::fs::read(index.join("meta.json")).expect("meta.json"))
            .expect("meta.json");
    index.join(meta["files"].as_str().expect("meta.json names its folder"))
}

/// Every page of an index: (URL, title).
fn rows(index: &Path) -> Vec<(String, String)> {
    let index = &folder(index);
    let mut out = Vec::new();
    for k in 0.. {
        let Ok(bytes) = std::fs::read(index.join(format!("d/{k}.json"))) else {
            break;
        };
        let rows: Vec<(String, String, String)> = serde_json::from_slice(&bytes).expect("d/");
        out.extend(rows.into_iter().map(|(u, t, _)| (u, t)));
    }
    out
}

/// Every word of an index's lexicon.
fn lexicon(index: &Path) -> Vec<String> {
    let index = &folder(index);
    let mut out = Vec::new();
    for k in 0.. {
        let Ok(bytes) = std::fs::read(index.join(format!("l/{k}.json"))) else {
            break;
        };
        let rows: Vec<Vec<Value>> = serde_json::from_slice(&bytes).expect("l/");
        out.extend(
            rows.iter()
                .filter_map(|r| r[0].as_str().map(str::to_string)),
        );
    }
    out
}

fn chromium() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

/// Runs a script of tests/browser: whether it succeeded, and its output.
fn node(script: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new("node")
        .arg(script)
        .args(args)
        .current_dir(repo().join("tests/browser"))
        .output()
        .expect("node runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), report)
}

/// A site built once for the whole test binary, into cargo's folder for
/// test files (`CARGO_TARGET_TMPDIR`), where the next run replaces it.
fn built(cell: &'static OnceLock<PathBuf>, project: &Path, name: &str) -> &'static Path {
    cell.get_or_init(|| {
        let site = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("search-browser")
            .join(name);
        build_site(project, &site, &[]);
        site
    })
}

fn built_example() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    built(&SITE, repo(), "example")
}

fn built_fixture() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    built(&SITE, &repo().join("tests/fixtures/search/th-vi"), "th-vi")
}

/// Arabic and Hebrew, whose words are written with clitics joined to them.
fn built_clitics() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    built(&SITE, &repo().join("tests/fixtures/search/ar-he"), "ar-he")
}

/// The corpus site (built once per test run), when `../shared/corpus` is
/// present.
fn built_corpus() -> Option<&'static Path> {
    support::corpus_site()
}

/// Serves `site` on a free loopback port for the rest of the test binary;
/// returns its base URL.
fn serve(site: &Path) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let site = site.to_path_buf();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let site = site.clone();
            std::thread::spawn(move || answer(stream, &site));
        }
    });
    base
}

/// Answers one HTTP GET with a file of `site` (enough for a browser).
fn answer(mut stream: TcpStream, site: &Path) {
    let mut reader = BufReader::new(&stream);
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    // Read the headers up to the blank line.
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let mut file: PathBuf = site.to_path_buf();
    for part in helpbook::url::decode(path).split('/') {
        if !part.is_empty() && part != "." && part != ".." {
            file.push(part);
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    let (status, body) = match std::fs::read(&file) {
        Ok(b) => ("200 OK", b),
        Err(_) => ("404 Not Found", b"not found".to_vec()),
    };
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}
