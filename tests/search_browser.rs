//! Search in a real browser (headless Chromium) on the example site, served
//! over HTTP on 127.0.0.1 by a small static server in this test. The browser
//! is driven by tests/browser/search.mjs (playwright-core from npm, Debian's
//! `chromium`); `.ci/run` installs both.
//!
//! Skips, saying why, when Chromium, Node or playwright-core is missing on a
//! developer's machine; fails instead when `CI` is set, so that CI cannot
//! pass without running it.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
fn search_box_finds_the_seed_article_in_chromium() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let script = root.join("tests/browser/search.mjs");
    let missing = [
        (!Path::new(&chromium).is_file()).then_some("chromium (apt-get install chromium)"),
        Command::new("node")
            .arg("--version")
            .output()
            .is_err()
            .then_some("node"),
        (!root
            .join("tests/browser/node_modules/playwright-core")
            .is_dir())
        .then_some("playwright-core (npm ci --prefix tests/browser)"),
    ];
    let missing: Vec<&str> = missing.into_iter().flatten().collect();
    if !missing.is_empty() {
        let why = format!("the browser test needs {}", missing.join(", "));
        assert!(std::env::var_os("CI").is_none(), "{why}");
        eprintln!("skipped: {why}");
        return;
    }

    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    let out = Command::new(env!("CARGO_BIN_EXE_helpbook"))
        .arg("build")
        .arg(root)
        .arg("--dest")
        .arg(&site)
        .output()
        .expect("helpbook runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let served = site.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            serve(stream, &served);
        }
    });

    let out = Command::new("node")
        .arg(&script)
        .arg(&base)
        .arg(&site)
        .arg(&chromium)
        .output()
        .expect("node runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{report}");
    assert!(out.status.success(), "the browser test failed:\n{report}");
}

/// Answers one HTTP GET with a file of `site` (enough for a browser).
fn serve(mut stream: TcpStream, site: &Path) {
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
