//! Real-browser tests: builds the example site and a right-to-left fixture,
//! then runs `tests/browser/bilingual.mjs` (playwright-core driving Debian's
//! chromium) over them: Show English, keyboard use, remembered state, the
//! side-by-side page, and an axe-core accessibility scan.
//!
//! Needs node, chromium and `npm ci` in tests/browser (`.ci/run` installs all
//! three). Where they are missing the test says so and skips, unless
//! `HELPBOOK_REQUIRE_BROWSER=1` (set by `.ci/run`), when it fails instead.

use crate::support;

use std::path::Path;
use std::process::Command;

#[test]
fn bilingual_views_in_a_real_browser() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = repo.join("tests/browser");
    if !support::browser_available() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let example = tmp.path().join("example");
    let rtl = tmp.path().join("rtl");
    support::build_site(repo, &example, &[]);
    support::build_site(&repo.join("tests/fixtures/browser/rtl"), &rtl, &[]);
    let mut node = Command::new("node");
    node.arg("bilingual.mjs")
        .arg(&example)
        .arg(&rtl)
        .current_dir(&dir);
    if let Some(shots) = std::env::var_os("HELPBOOK_SCREENSHOTS") {
        node.arg(shots);
    }
    let out = node.output().expect("node runs");
    let report = String::from_utf8_lossy(&out.stdout);
    println!("{report}");
    assert!(
        out.status.success(),
        "browser checks failed:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(report.contains(", 0 failed"), "{report}");
}
