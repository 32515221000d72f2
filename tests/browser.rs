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

#[test]
fn bilingual_views_in_a_real_browser() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    if !support::browser_available() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let example = tmp.path().join("example");
    let rtl = tmp.path().join("rtl");
    support::build_site(repo, &example, &[]);
    support::build_site(&repo.join("tests/fixtures/browser/rtl"), &rtl, &[]);
    let shots = std::env::var_os("HELPBOOK_SCREENSHOTS");
    let mut args = vec![example.as_os_str(), rtl.as_os_str()];
    args.extend(shots.as_deref());
    support::run_browser_script("bilingual.mjs", &args);
}
