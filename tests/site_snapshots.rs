//! Snapshots of the example site's seed article (the repository's own
//! `content/`), as a reader gets it: the whole page in zh-CN and sv-SE.
//! A change to the templates, the renderer or the UI strings shows up here
//! as a diff to review (`INSTA_UPDATE=always cargo test --test
//! site_snapshots`, then read the `.snap` files).
//!
//! Content hashes in asset names are replaced by `[hash]`, so that a CSS
//! or script change alone does not rewrite these snapshots.

use crate::support;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use support::{helpbook, repo, run};

/// The example site, built once for all the tests of this file, in cargo's
/// scratch folder for integration tests (each run replaces it).
fn site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let dest = Path::new(env!("CARGO_TARGET_TMPDIR")).join("site_snapshots");
        let mut cmd = helpbook(repo());
        cmd.arg("build").arg("--dest").arg(&dest);
        let out = run(cmd);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        dest
    })
}

/// `static/style.0123456789.css` → `static/style.[hash].css`.
fn redact_hashes(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("static/") {
        let (before, after) = rest.split_at(i + "static/".len());
        out.push_str(before);
        rest = after;
        let name_end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        let name = &rest[..name_end];
        let parts: Vec<&str> = name.split('.').collect();
        if parts.len() == 3
            && parts[1].len() == 10
            && parts[1].chars().all(|c| c.is_ascii_hexdigit())
        {
            out.push_str(&format!("{}.[hash].{}", parts[0], parts[2]));
            rest = &rest[name_end..];
        }
    }
    out.push_str(rest);
    out
}

fn page(rel: &str) -> String {
    let path = site().join(rel);
    let html = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    redact_hashes(&html)
}

#[test]
fn redaction_replaces_only_content_hashes() {
    assert_eq!(
        redact_hashes("<link href=\"../static/style.0123abcdef.css\"><a href=\"static/x.css\">"),
        "<link href=\"../static/style.[hash].css\"><a href=\"static/x.css\">"
    );
}

#[test]
fn seed_article_in_chinese() {
    insta::assert_snapshot!(page("zh-cn/self-service-password-reset.html"));
}

#[test]
fn seed_article_in_swedish() {
    insta::assert_snapshot!(page("sv-se/self-service-password-reset.html"));
}
