//! Editing translations in `helpbook serve`, over HTTP against the built
//! binary: the side-by-side page carries where each pair lives, the file's
//! hash and the run's token; a save writes exactly one span and the page
//! shows it; a save without the token, from another origin, with no origin,
//! with too large a body or against a file that changed since is refused and
//! writes nothing; "keep translation" makes a stale pair current;
//! `--read-only` turns editing off. A Chromium test does the same by hand.

use crate::support;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use support::copy_tree;
use support::serve::{Response, Server};

const ARTICLE: &str = "self-service-password-reset";
const LIMIT: Duration = Duration::from_secs(20);
/// The zh-CN translation of pair `e620b-104`, as the file has it.
const ZH_104: &str = "SSPR 默认为管理员启用。";

fn project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_tree(&repo.join("content"), &tmp.path().join("content"));
    std::fs::copy(repo.join("book.toml"), tmp.path().join("book.toml")).expect("book.toml");
    tmp
}

fn zh(dir: &Path) -> PathBuf {
    dir.join("content/zh-CN").join(format!("{ARTICLE}.md"))
}

fn sxs() -> String {
    format!("/zh-cn/{ARTICLE}.sxs.html")
}

/// The editor's data the side-by-side page carries.
fn page_data(server: &Server) -> serde_json::Value {
    let html = server.get(&sxs()).text();
    let start = html
        .find("id=\"helpbook-edit\">")
        .expect("the page carries its data")
        + "id=\"helpbook-edit\">".len();
    let end = start + html[start..].find("</script>").expect("end of data");
    serde_json::from_str(&html[start..end]).expect("data is JSON")
}

fn row<'a>(data: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    data["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no row {id}"))
}

/// POSTs `body` to the editor with the given extra header lines.
fn post(port: u16, headers: &[(&str, &str)], body: &[u8]) -> Response {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let mut head = format!(
        "POST /__helpbook/edit HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("send head");
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    support::serve::parse_response(&raw)
}

fn json(r: &Response) -> serde_json::Value {
    serde_json::from_slice(&r.body).unwrap_or_else(|_| panic!("not JSON: {}", r.text()))
}

fn request(data: &serde_json::Value, id: &str, action: &str, text: Option<&str>) -> Vec<u8> {
    let r = row(data, id);
    serde_json::json!({
        "page": sxs(),
        "hash": data["hash"],
        "id": id,
        "line": r["line"],
        "column": r["column"],
        "action": action,
        "text": text,
    })
    .to_string()
    .into_bytes()
}

/// Waits until `check` holds for the side-by-side page's HTML.
fn wait_for_page(server: &Server, check: impl Fn(&str) -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < LIMIT {
        if check(&server.get(&sxs()).text()) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

#[test]
fn a_save_writes_one_span_and_refusals_write_nothing() {
    let dir = project();
    let server = Server::start(dir.path(), &[], LIMIT);
    let origin = format!("http://127.0.0.1:{}", server.port);
    let original = std::fs::read(zh(dir.path())).expect("read");
    let data = page_data(&server);
    let token = data["token"].as_str().expect("a token").to_string();
    assert!(token.len() >= 32, "{token}");
    assert_eq!(data["file"], format!("content/zh-CN/{ARTICLE}.md"));
    let r104 = row(&data, "e620b-104");
    assert_eq!(r104["target"], ZH_104);
    let line = original[..find(&original, ZH_104.as_bytes())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1;
    assert_eq!(r104["line"], line as u64, "the row names its line");
    // Every built page stays as `build` writes it.
    let built = std::fs::read_to_string(server.site.join(format!("zh-cn/{ARTICLE}.sxs.html")))
        .expect("built page");
    assert!(!built.contains("helpbook-edit"));

    let body = request(&data, "e620b-104", "save", Some("NEW & <b>x</b>"));
    let unchanged = || std::fs::read(zh(dir.path())).expect("read") == original;
    // No token, a wrong token, another site's page, no Origin at all.
    for (headers, what) in [
        (vec![("Origin", origin.as_str())], "no token"),
        (
            vec![("Origin", origin.as_str()), ("X-Helpbook-Token", "0000")],
            "wrong token",
        ),
        (
            vec![
                ("Origin", "http://attacker.example"),
                ("X-Helpbook-Token", token.as_str()),
            ],
            "foreign origin",
        ),
        (vec![("X-Helpbook-Token", token.as_str())], "no origin"),
    ] {
        let answer = post(server.port, &headers, &body);
        assert_eq!(answer.status, 403, "{what}: {}", answer.text());
        assert!(unchanged(), "{what}: nothing written");
    }
    let ok = [
        ("Origin", origin.as_str()),
        ("X-Helpbook-Token", token.as_str()),
    ];
    // Too large a body.
    let huge = vec![b' '; 300 * 1024];
    let answer = post(server.port, &ok, &huge);
    assert_eq!(answer.status, 413, "{}", answer.text());
    // A hash of other bytes: the page is older than the file.
    let mut old = data.clone();
    old["hash"] = serde_json::json!("0123456789abcdef0123456789abcdef");
    let answer = post(
        server.port,
        &ok,
        &request(&old, "e620b-104", "save", Some("X")),
    );
    assert_eq!(answer.status, 409, "{}", answer.text());
    assert_eq!(
        json(&answer)["current"],
        ZH_104,
        "the current text is sent back"
    );
    assert!(unchanged());

    // The save: exactly one span changes, and the page shows it.
    let answer = post(server.port, &ok, &body);
    assert_eq!(answer.status, 200, "{}", answer.text());
    let saved = std::fs::read(zh(dir.path())).expect("read");
    let expected = replace_once(&original, ZH_104, "NEW & <b>x</b>");
    assert_eq!(
        String::from_utf8_lossy(&saved),
        String::from_utf8_lossy(&expected),
        "only the span changed"
    );
    assert!(
        wait_for_page(&server, |html| html.contains("NEW &amp; <b>x</b>")
            || html.contains("NEW &amp; &lt;b&gt;x&lt;/b&gt;")),
        "the page shows the new text"
    );
    let after = page_data(&server);
    assert_eq!(
        after["hash"],
        json(&answer)["hash"],
        "the page has the new hash"
    );

    // Someone else changes the file; the page's save of an older version
    // is refused and their change stays.
    let theirs = replace_once(&saved, "NEW & <b>x</b>", "THEIRS");
    std::fs::write(zh(dir.path()), &theirs).expect("write");
    let answer = post(
        server.port,
        &ok,
        &request(&after, "e620b-104", "save", Some("MINE")),
    );
    assert_eq!(answer.status, 409, "{}", answer.text());
    let refused = json(&answer);
    assert_eq!(refused["current"], "THEIRS");
    assert!(refused["error"]
        .as_str()
        .expect("message")
        .contains("changed on disk"));
    assert_eq!(std::fs::read(zh(dir.path())).expect("read"), theirs);
}

#[test]
fn keep_translation_makes_a_stale_pair_current() {
    let dir = project();
    // The newest English (ja-JP's hand-off) says this sentence otherwise:
    // zh-CN's pair is stale.
    let ja = dir
        .path()
        .join("content/ja-JP")
        .join(format!("{ARTICLE}.md"));
    let text = std::fs::read_to_string(&ja).expect("read ja");
    let from = "SSPR is enabled by default for Admins.";
    let to = "SSPR is turned on by default for admins.";
    assert!(text.contains(from));
    std::fs::write(&ja, text.replace(from, to)).expect("write ja");
    let server = Server::start(dir.path(), &[], LIMIT);
    let origin = format!("http://127.0.0.1:{}", server.port);
    let data = page_data(&server);
    assert_eq!(row(&data, "e620b-104")["stale"], true);
    let token = data["token"].as_str().expect("token").to_string();
    let ok = [
        ("Origin", origin.as_str()),
        ("X-Helpbook-Token", token.as_str()),
    ];
    let original = std::fs::read(zh(dir.path())).expect("read");

    // A current pair has nothing to keep.
    let answer = post(server.port, &ok, &request(&data, "e620b-102", "keep", None));
    assert_eq!(answer.status, 409, "{}", answer.text());

    let answer = post(server.port, &ok, &request(&data, "e620b-104", "keep", None));
    assert_eq!(answer.status, 200, "{}", answer.text());
    let kept = std::fs::read(zh(dir.path())).expect("read");
    assert_eq!(
        String::from_utf8_lossy(&kept),
        String::from_utf8_lossy(&replace_once(&original, from, to)),
        "only the sxs-lookup English changed"
    );
    let start = Instant::now();
    loop {
        let now = page_data(&server);
        if row(&now, "e620b-104")["stale"] == false {
            break;
        }
        assert!(start.elapsed() < LIMIT, "the pair became current");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn read_only_turns_editing_off() {
    let dir = project();
    let server = Server::start(dir.path(), &["--read-only"], LIMIT);
    let origin = format!("http://127.0.0.1:{}", server.port);
    let data = page_data(&server);
    assert!(data["token"].is_null(), "no token: {}", data["token"]);
    // Where each pair lives is still shown.
    assert!(row(&data, "e620b-104")["line"].as_u64().expect("line") > 1);
    let original = std::fs::read(zh(dir.path())).expect("read");
    let answer = post(
        server.port,
        &[("Origin", origin.as_str()), ("X-Helpbook-Token", "")],
        &request(&data, "e620b-104", "save", Some("X")),
    );
    assert_eq!(answer.status, 403, "{}", answer.text());
    assert!(json(&answer)["error"]
        .as_str()
        .expect("message")
        .contains("editing is off"));
    assert_eq!(std::fs::read(zh(dir.path())).expect("read"), original);
}

/// A translation whose file is read-only gets no editor and no token, and
/// a save sent with the run's token (from another page) writes nothing.
#[cfg(unix)]
#[test]
fn a_read_only_file_gets_no_editor() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project();
    let file = zh(dir.path());
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let server = Server::start(dir.path(), &[], LIMIT);
    let origin = format!("http://127.0.0.1:{}", server.port);
    let data = page_data(&server);
    assert_eq!(data["read_only"], true, "{data}");
    assert!(data["token"].is_null(), "no token: {}", data["token"]);
    // Another language's file is writable: its page has the run's token.
    let html = server.get(&format!("/ja-jp/{ARTICLE}.sxs.html")).text();
    let at = html.find("\"token\":\"").expect("ja-JP has a token") + "\"token\":\"".len();
    let token = &html[at..at + html[at..].find('"').expect("end")];
    let original = std::fs::read(&file).expect("read");
    let answer = post(
        server.port,
        &[("Origin", origin.as_str()), ("X-Helpbook-Token", token)],
        &request(&data, "e620b-104", "save", Some("X")),
    );
    assert_eq!(answer.status, 403, "{}", answer.text());
    assert!(json(&answer)["error"]
        .as_str()
        .expect("message")
        .contains("is read-only"));
    assert_eq!(std::fs::read(&file).expect("read"), original);
}

fn find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len())
        .position(|w| w == needle)
        .expect("found")
}

fn replace_once(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let at = find(bytes, from.as_bytes());
    let mut out = bytes[..at].to_vec();
    out.extend_from_slice(to.as_bytes());
    out.extend_from_slice(&bytes[at + from.len()..]);
    out
}

#[test]
fn editing_in_chromium() {
    if !support::browser_available() {
        return;
    }
    let dir = project();
    let ja = dir
        .path()
        .join("content/ja-JP")
        .join(format!("{ARTICLE}.md"));
    let text = std::fs::read_to_string(&ja).expect("read ja");
    std::fs::write(
        &ja,
        text.replace(
            "SSPR is enabled by default for Admins.",
            "SSPR is turned on by default for admins.",
        ),
    )
    .expect("write ja");
    let server = Server::start(dir.path(), &[], LIMIT);
    support::run_browser_script(
        "edit.mjs",
        &[
            std::ffi::OsStr::new(&format!("http://127.0.0.1:{}", server.port)),
            zh(dir.path()).as_os_str(),
        ],
    );
}

#[test]
fn edit_url_links_built_translated_pages_to_their_file() {
    let dir = project();
    let toml = dir.path().join("book.toml");
    let mut config = std::fs::read_to_string(&toml).expect("book.toml");
    let line = "edit-url = \"https://git.example/o/r/edit/main/content/{path}\"\n";
    config = if config.contains("[output.html]\n") {
        config.replacen("[output.html]\n", &format!("[output.html]\n{line}"), 1)
    } else {
        format!("{config}\n[output.html]\n{line}")
    };
    std::fs::write(&toml, config).expect("write book.toml");
    let dest = dir.path().join("out");
    support::build_site(dir.path(), &dest, &[]);
    let zh = std::fs::read_to_string(dest.join(format!("zh-cn/{ARTICLE}.html"))).expect("zh");
    assert!(
        zh.contains(&format!(
            "href=\"https://git.example/o/r/edit/main/content/zh-CN/{ARTICLE}.md\""
        )),
        "the translated page links to its file"
    );
    let en = std::fs::read_to_string(dest.join(format!("en-us/{ARTICLE}.html"))).expect("en");
    assert!(!en.contains("git.example"), "the English page has no file");
}
