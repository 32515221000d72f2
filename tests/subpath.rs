//! A site deployed under a sub-path (a GitHub Pages project site at
//! `/repo/`): built with such a `site-url`, served by a plain static server
//! from a parent folder, every link and asset of its 404 pages resolves.
//! Needs `python3` for the server; skips without it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

fn helpbook(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_helpbook"))
        .args(args)
        .output()
        .expect("helpbook runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `python3 -m http.server` on a free loopback port, serving `dir`.
struct Server(Child, u16);

impl Server {
    fn start(dir: &Path) -> Option<Server> {
        let mut child = Command::new("python3")
            .args(["-u", "-m", "http.server", "0", "--bind", "127.0.0.1"])
            .arg("--directory")
            .arg(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let mut line = String::new();
        BufReader::new(child.stdout.take()?)
            .read_line(&mut line)
            .ok()?;
        // "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
        let port = line
            .split(" port ")
            .nth(1)?
            .split(' ')
            .next()?
            .parse()
            .ok()?;
        Some(Server(child, port))
    }

    /// The status code of a GET of `path`.
    fn status(&self, path: &str) -> u16 {
        let mut stream = TcpStream::connect(("127.0.0.1", self.1)).expect("connects");
        write!(
            stream,
            "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{}\r\n\r\n",
            self.1
        )
        .expect("request");
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        response
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The links and assets of an HTML page: every `href` and `src`.
fn links(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let any = scraper::Selector::parse("[href], [src]").expect("selector");
    doc.select(&any)
        .flat_map(|e| [e.attr("href"), e.attr("src")])
        .flatten()
        .map(str::to_string)
        .collect()
}

/// `link` as a server path, when shown at `/repo/en-us/no/such/page`
/// (a 404 page is shown at whatever path was asked for).
/// In-page links (`#main`) are left out.
fn resolve(link: &str) -> Option<String> {
    if link.starts_with('#') {
        return None;
    }
    let base = url::Url::parse("http://127.0.0.1/repo/en-us/no/such/page").expect("base");
    let url = base.join(link).ok()?;
    (url.host_str() == Some("127.0.0.1")).then(|| url.path().to_string())
}

#[test]
fn not_found_pages_work_under_the_site_url_path() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let project = tmp.path().join("project");
    let project_arg = project.to_str().expect("UTF-8 path");
    helpbook(&["init", "-q", project_arg]);
    let book = project.join("book.toml");
    let mut toml = std::fs::read_to_string(&book).expect("book.toml");
    toml.push_str("\n[output.html]\nsite-url = \"https://x.github.io/repo/\"\n");
    std::fs::write(&book, toml).expect("book.toml");
    let parent = tmp.path().join("pages");
    let site = parent.join("repo");
    helpbook(&[
        "build",
        "-q",
        project_arg,
        "--dest",
        site.to_str().expect("UTF-8"),
    ]);
    let Some(server) = Server::start(&parent) else {
        eprintln!("skipped: no python3 to serve the site");
        return;
    };
    let pages = ["404.html", "en-us/404.html", "de-de/404.html"];
    for page in pages {
        let html = std::fs::read_to_string(site.join(page)).expect("404 page");
        let links = links(&html);
        assert!(
            links.iter().any(|l| l.ends_with(".css")),
            "{page}: {links:?}"
        );
        assert!(
            links.iter().any(|l| l.ends_with("index.html")),
            "{page}: {links:?}"
        );
        for link in &links {
            let Some(path) = resolve(link) else { continue };
            assert!(path.starts_with("/repo/"), "{page}: {link}");
            assert_eq!(server.status(&path), 200, "{page}: {link} → {path}");
        }
    }
    // Without a site-url the links are root-relative, as before: here they
    // would miss the sub-path, which is what setting site-url is for.
    let plain = tmp.path().join("plain");
    helpbook(&["init", "-q", plain.to_str().expect("UTF-8")]);
    let out = tmp.path().join("plain-site");
    helpbook(&[
        "build",
        "-q",
        plain.to_str().expect("UTF-8"),
        "--dest",
        out.to_str().expect("UTF-8"),
    ]);
    let html = std::fs::read_to_string(out.join("en-us/404.html")).expect("404 page");
    let links = links(&html);
    assert!(links.iter().any(|l| l.starts_with("/static/")), "{links:?}");
    assert!(links.iter().all(|l| !l.starts_with("/repo/")), "{links:?}");
}
