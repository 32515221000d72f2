//! The language switcher in a real browser (`tests/browser/languages.mjs`):
//! it opens the article's chooser list in place, lists and marks the
//! languages, follows a link, opens inside a 390 px phone viewport on a
//! left-to-right and a right-to-left page, and without JavaScript is a plain
//! link to the chooser page; the root index offers the reader's language.
//! Built from the `rtl` and `fallback` fixtures, and the first as Chinese.
//! Skips (or, with `HELPBOOK_REQUIRE_BROWSER=1`, fails) where node,
//! Chromium or tests/browser's packages are missing.

use crate::support;

#[test]
fn the_language_switcher_in_a_real_browser() {
    if !support::browser_available() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let fixtures = support::repo().join("tests/fixtures/build");
    let rtl = tmp.path().join("rtl");
    let fallback = tmp.path().join("fallback");
    support::build_site(&fixtures.join("rtl"), &rtl, &[]);
    support::build_site(&fixtures.join("fallback"), &fallback, &[]);
    // Chinese in both scripts: the rtl fixture's Swedish page as zh-CN and
    // zh-HK, for the suggestion that follows the script.
    let chinese = tmp.path().join("chinese");
    let project = tmp.path().join("chinese-project");
    support::copy_tree(&fixtures.join("rtl"), &project);
    for tag in ["ar-SA", "he-IL"] {
        std::fs::remove_dir_all(project.join("content").join(tag)).expect("rm");
    }
    for tag in ["zh-CN", "zh-HK"] {
        support::copy_tree(
            &project.join("content/sv-SE"),
            &project.join("content").join(tag),
        );
    }
    support::build_site(&project, &chinese, &[]);
    support::run_browser_script(
        "languages.mjs",
        &[rtl.as_os_str(), fallback.as_os_str(), chinese.as_os_str()],
    );
}
