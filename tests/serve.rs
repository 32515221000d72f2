//! `helpbook serve` through the built binary, on a free loopback port: every
//! language is served, an edit reloads exactly its page, a broken save keeps
//! the last good page and shows its finding, a language down to one sitemap
//! file loses its second, path tricks get no file, and
//! the process ends cleanly (and a killed server's folder is removed at the
//! next start). On the network: a foreign `Host` and a foreign `Origin` are
//! refused, what reaches the page names no absolute path, a write error
//! shows in the overlay; static files answer ranges and conditional
//! requests; ten tabs in Chromium all stay live. Before the first build is
//! written, pages are made on request, whole, and the build's pages then
//! served (the model's reading and the build held by hidden variables, so
//! no wait is timed).

use crate::support;

use std::path::{Path, PathBuf};
use std::time::Duration;
use support::copy_tree;
use support::serve::{request, Server};

const ARTICLE: &str = "self-service-password-reset";
const LIMIT: Duration = Duration::from_secs(20);

/// The repository's example project (five locales), copied to a temp folder.
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

/// Waits for page `url` to be made again.
fn wait_changed(all: &mut support::serve::Events, url: &str, what: &str) {
    all.wait_for(LIMIT, |v| {
        v["changed"]
            .as_array()
            .is_some_and(|l| l.iter().any(|p| p == url))
    })
    .expect(what);
}

/// Writes `text` the way many editors save: a temporary file renamed over it.
fn save(path: &Path, text: &str) {
    let tmp = path.with_extension("md.swp-tmp");
    std::fs::write(&tmp, text).expect("write temp");
    std::fs::rename(&tmp, path).expect("rename over");
}

#[test]
fn every_language_is_served_with_types_and_the_live_script() {
    let dir = project();
    let server = Server::start(dir.path(), &[], LIMIT);
    for slug in ["en-us", "zh-cn", "ja-jp", "et-ee", "ro-ro", "sv-se"] {
        let page = server.get(&format!("/{slug}/{ARTICLE}.html"));
        assert_eq!(page.status, 200, "{slug}");
        assert_eq!(
            page.header("content-type"),
            Some("text/html; charset=utf-8"),
            "{slug}"
        );
        let html = page.text();
        assert!(html.contains("/__helpbook/live.js"), "{slug}: live script");
        let index = server.get(&format!("/{slug}/"));
        assert_eq!(index.status, 200, "{slug} index");
    }
    assert!(server
        .get("/zh-cn/x.html")
        .text()
        .contains("lang=\"zh-CN\""));
    let root = server.get("/");
    assert_eq!(root.status, 200);
    let redirect = server.get("/zh-cn");
    assert_eq!(redirect.status, 308);
    assert_eq!(redirect.header("location"), Some("/zh-cn/"));
    let script = server.get("/__helpbook/live.js");
    assert_eq!(
        script.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(
        server.get("/sitemap.xml").header("content-type"),
        Some("text/xml; charset=utf-8")
    );
    let post = request(server.port, "POST", "/index.html");
    assert_eq!(post.status, 405);
    // The built files are left as `build` writes them.
    let built = std::fs::read_to_string(server.site.join(format!("zh-cn/{ARTICLE}.html")))
        .expect("built page on disk");
    assert!(!built.contains("__helpbook"));
    // Never into the project's build directory.
    assert!(!dir.path().join("site").exists());
}

#[test]
fn an_edit_reloads_its_page_a_broken_save_keeps_the_last_good_one() {
    let dir = project();
    let server = Server::start(dir.path(), &[], LIMIT);
    let page = format!("/zh-cn/{ARTICLE}.html");
    let mut mine = server.events(Some(&page));
    let mut all = server.events(None);
    let original = std::fs::read_to_string(zh(dir.path())).expect("read");
    assert!(original.contains("有关详细信息"));

    // 1. An edit: this page reloads, and no other page does.
    let edited = original.replace("有关详细信息", "LIVE-EDIT-ONE");
    save(&zh(dir.path()), &edited);
    let event = mine
        .wait_for(LIMIT, |v| {
            !v["changed"].as_array().expect("list").is_empty()
        })
        .expect("a reload event for the page");
    assert_eq!(event["changed"], serde_json::json!([page]));
    let everything = all
        .wait_for(LIMIT, |v| {
            !v["changed"].as_array().expect("list").is_empty()
        })
        .expect("the full event");
    // The article page and its side-by-side page (whose translation column
    // shows the edit); nothing else.
    let side_by_side = page.replace(".html", ".sxs.html");
    assert_eq!(
        everything["changed"],
        serde_json::json!([page, side_by_side]),
        "only the edited article's pages changed"
    );
    assert!(server.get(&page).text().contains("LIVE-EDIT-ONE"));

    // 2. A save that breaks the article: overlay data, old page still served.
    let broken = format!(
        "{}\n<span data-ttu-id=\"zz-1\">LIVE-EDIT-TWO\n",
        edited.replace("LIVE-EDIT-ONE", "LIVE-EDIT-TWO")
    );
    std::fs::write(zh(dir.path()), &broken).expect("write broken");
    let event = mine
        .wait_for(LIMIT, |v| {
            v["findings"][&page]
                .as_array()
                .is_some_and(|l| !l.is_empty())
        })
        .expect("an overlay event");
    let finding = &event["findings"][&page][0];
    assert_eq!(finding["lint"], "sxs::unterminated");
    assert_eq!(finding["level"], "error");
    assert_eq!(finding["file"], format!("content/zh-CN/{ARTICLE}.md"));
    let line = broken.lines().count() as u64;
    assert_eq!(finding["line"], line, "{finding}");
    assert_eq!(finding["column"], 1);
    assert!(finding["snippet"]
        .as_str()
        .expect("snippet")
        .contains("data-ttu-id=\"zz-1\""));
    assert!(!finding["message"].as_str().expect("message").is_empty());
    assert!(event["changed"].as_array().expect("list").is_empty());
    let served = server.get(&page).text();
    assert!(served.contains("LIVE-EDIT-ONE"), "the last good page");
    assert!(!served.contains("LIVE-EDIT-TWO"));

    // 3. Fixing it clears the overlay and reloads the new content.
    save(
        &zh(dir.path()),
        &original.replace("有关详细信息", "LIVE-EDIT-THREE"),
    );
    let event = mine
        .wait_for(LIMIT, |v| {
            v["findings"][&page]
                .as_array()
                .is_some_and(|l| l.is_empty())
        })
        .expect("the overlay is cleared");
    assert_eq!(event["changed"], serde_json::json!([page]));
    assert!(server.get(&page).text().contains("LIVE-EDIT-THREE"));
}

/// `serve` reads translations from disk when it makes their pages again,
/// but holds the article of a page open in a browser as it was: a first
/// save with errors, then a new English that makes that page again, still
/// gives the page its last good text, not the saved file's. (Whether the
/// session holds the page before or after the save reaches the disk, the
/// page keeps its good text: a copy with errors it has not seen yet is
/// not held, and its page is kept as it is.)
#[test]
fn an_open_page_keeps_its_good_version_when_a_new_english_makes_it_again() {
    let dir = project();
    let server = Server::start(dir.path(), &[], LIMIT);
    let page = format!("/zh-cn/{ARTICLE}.html");
    // The page's live socket tells the session the page is open.
    let _open = server.events(Some(&page));
    let mut all = server.events(None);
    break_then_retitle(dir.path(), &page, &mut all);
    let served = server.get(&page).text();
    assert!(served.contains("有关详细信息"), "the last good text");
    assert!(!served.contains("LIVE-BROKEN"));
}

/// The same for a page no browser has open: the session has no good copy
/// of it, so its page is kept as it is when the new English makes the
/// article's other pages again, and made again once a save is applied.
#[test]
fn a_page_not_open_keeps_its_good_version_until_a_save_is_applied() {
    let dir = project();
    let server = Server::start(dir.path(), &[], LIMIT);
    let page = format!("/zh-cn/{ARTICLE}.html");
    let mut all = server.events(None);
    let original = std::fs::read_to_string(zh(dir.path())).expect("read");
    break_then_retitle(dir.path(), &page, &mut all);
    let served = server.get(&page).text();
    assert!(served.contains("有关详细信息"), "the last good text");
    assert!(!served.contains("LIVE-BROKEN"));
    save(
        &zh(dir.path()),
        &original.replace("有关详细信息", "LIVE-MENDED"),
    );
    wait_changed(&mut all, &page, "the mended save makes the page again");
    assert!(server.get(&page).text().contains("LIVE-MENDED"));
}

/// A broken zh-CN save and a new English from ja-JP's copy in one batch
/// (as a `git pull` brings them): the ja-JP copy is read first, and
/// holding the article's other copies for its English reads the broken
/// zh-CN file before its own change is handled. That copy is checked as a
/// save is, so the zh-CN page keeps its last good text.
#[test]
fn a_broken_save_read_with_another_copys_change_keeps_the_good_page() {
    let dir = project();
    let server = Server::start(dir.path(), &[], LIMIT);
    let page = format!("/zh-cn/{ARTICLE}.html");
    let mut all = server.events(None);
    // Both within the watcher's 30 ms, so that they come as one batch.
    break_zh(dir.path());
    retitle_ja(dir.path(), &mut all);
    let served = server.get(&page).text();
    assert!(served.contains("有关详细信息"), "the last good text");
    assert!(!served.contains("LIVE-BROKEN"));
    assert!(
        server
            .get(&format!("/en-us/{ARTICLE}.html"))
            .text()
            .contains("Self-service reset"),
        "the new English"
    );
}

/// A save with errors is not applied to the English either. Here the
/// broken zh-CN copy claims the newest hand-off and another English
/// source; a good save of the sv-SE copy then makes the article's English
/// again, and the English must still be the one made from the copies as
/// they were applied, not from the broken file (regression: the session
/// held the broken copy whole for the English, and it became the English
/// of record). Once mended, its English is taken.
#[test]
fn a_save_not_applied_takes_no_part_in_the_english() {
    let dir = project();
    let server = Server::start(dir.path(), &[], LIMIT);
    let page = format!("/zh-cn/{ARTICLE}.html");
    let english = format!("/en-us/{ARTICLE}.html");
    let mut all = server.events(None);
    let original = std::fs::read_to_string(zh(dir.path())).expect("read");
    let newer = original
        .replace("ms.lasthandoff: 04/10/2020", "ms.lasthandoff: 12/01/2020")
        .replace(
            "ms.openlocfilehash: 9c588a21e9192a48231836c29a5238589fdf7092",
            "ms.openlocfilehash: 0000000000000000000000000000000000000001",
        )
        .replace(
            "data-stu-id=\"e620b-106\">For more information:",
            "data-stu-id=\"e620b-106\">Gnuwort information:",
        );
    assert!(newer.contains("Gnuwort") && newer.contains("12/01/2020"));
    std::fs::write(
        zh(dir.path()),
        format!("{newer}\n<span data-ttu-id=\"zz-1\">LIVE-BROKEN\n"),
    )
    .expect("write broken");
    all.wait_for(LIMIT, |v| {
        v["findings"][&page]
            .as_array()
            .is_some_and(|l| !l.is_empty())
    })
    .expect("the save is not applied");

    let sv = dir
        .path()
        .join("content/sv-SE")
        .join(format!("{ARTICLE}.md"));
    let text = std::fs::read_to_string(&sv).expect("read");
    save(&sv, &format!("{text}\nSVEDIT\n"));
    let sv_page = format!("/sv-se/{ARTICLE}.html");
    wait_changed(&mut all, &sv_page, "the sv-SE page is made again");
    assert!(server.get(&sv_page).text().contains("SVEDIT"));
    let served = server.get(&english).text();
    assert!(served.contains("For more information"), "{served}");
    assert!(!served.contains("Gnuwort"), "the unapplied English");

    save(&zh(dir.path()), &newer);
    wait_changed(
        &mut all,
        &english,
        "the mended save makes the English again",
    );
    assert!(server.get(&english).text().contains("Gnuwort"));
}

/// Saves zh-CN's copy with an unclosed span (an error: not applied),
/// waits for its finding, then gives the article a new English
/// ([`retitle_ja`]).
fn break_then_retitle(dir: &Path, page: &str, all: &mut support::serve::Events) {
    break_zh(dir);
    all.wait_for(LIMIT, |v| {
        v["findings"][page]
            .as_array()
            .is_some_and(|l| !l.is_empty())
    })
    .expect("the save is not applied");
    retitle_ja(dir, all);
}

/// Writes zh-CN's copy with an unclosed span: an error, so not applied.
fn break_zh(dir: &Path) {
    let original = std::fs::read_to_string(zh(dir)).expect("read");
    let broken = format!(
        "{}\n<span data-ttu-id=\"zz-1\">LIVE-BROKEN\n",
        original.replace("有关详细信息", "LIVE-BROKEN")
    );
    std::fs::write(zh(dir), &broken).expect("write broken");
}

/// Saves ja-JP's copy, the newest hand-off, with a new English, and waits
/// for the English page made again for it.
fn retitle_ja(dir: &Path, all: &mut support::serve::Events) {
    let ja = dir.join("content/ja-JP").join(format!("{ARTICLE}.md"));
    let text = std::fs::read_to_string(&ja).expect("read");
    assert!(text.contains("Self-service password reset"));
    save(
        &ja,
        &text.replace("Self-service password reset", "Self-service reset"),
    );
    let english = format!("/en-us/{ARTICLE}.html");
    wait_changed(
        all,
        &english,
        "the English page is made again for its new English",
    );
}

/// A save that makes the zh-CN copy one of the newest hand-off, with no
/// `ms.openlocfilehash` and another English than the ja-JP copy of that
/// date, shows `article::english-conflict` on its page; saving it back
/// clears it (the pairing recomputed for the one article is what the
/// overlay reads).
#[test]
fn a_save_that_makes_or_ends_an_english_conflict_updates_the_overlay() {
    let dir = project();
    let server = Server::start(dir.path(), &[], LIMIT);
    let page = format!("/zh-cn/{ARTICLE}.html");
    let mut mine = server.events(Some(&page));
    let original = std::fs::read_to_string(zh(dir.path())).expect("read");
    let hash = "ms.openlocfilehash: 9c588a21e9192a48231836c29a5238589fdf7092\n";
    let english = ">SSPR is enabled by default for Admins.<";
    assert!(original.contains(hash) && original.contains(english));
    let conflicting = original
        .replace(hash, "")
        .replace("ms.lasthandoff: 04/10/2020", "ms.lasthandoff: 09/14/2020")
        .replace(english, ">SSPR is disabled by default for Admins.<");
    save(&zh(dir.path()), &conflicting);
    let event = mine
        .wait_for(LIMIT, |v| {
            v["findings"][&page]
                .as_array()
                .is_some_and(|l| l.iter().any(|f| f["lint"] == "article::english-conflict"))
        })
        .expect("the conflict in the overlay");
    let finding = &event["findings"][&page][0];
    assert_eq!(finding["file"], format!("content/zh-CN/{ARTICLE}.md"));
    assert_eq!(finding["level"], "warning");
    let message = finding["message"].as_str().expect("message");
    assert!(
        message.contains("SSPR is disabled by default for Admins."),
        "{message}"
    );
    save(&zh(dir.path()), &original);
    mine.wait_for(LIMIT, |v| {
        v["findings"][&page]
            .as_array()
            .is_some_and(|l| l.is_empty())
    })
    .expect("the conflict is gone from the overlay");
}

/// A snippet's change rebuilds the articles that include it, through
/// another snippet too; a save that names a snippet no article named
/// before gets its text.
#[test]
fn a_changed_snippet_rebuilds_its_articles_and_a_newly_named_one_is_read() {
    let dir = project();
    let includes = dir.path().join("content/zh-CN/includes");
    std::fs::create_dir_all(&includes).expect("includes folder");
    std::fs::write(includes.join("outer.md"), "[!INCLUDE [inner](inner.md)]\n").expect("outer");
    std::fs::write(includes.join("inner.md"), "SNIPPET-ONE\n").expect("inner");
    std::fs::write(includes.join("later.md"), "SNIPPET-LATER\n").expect("later");
    let original = std::fs::read_to_string(zh(dir.path())).expect("read");
    let including = format!("{original}\n[!INCLUDE [note](includes/outer.md)]\n");
    std::fs::write(zh(dir.path()), &including).expect("write");
    let server = Server::start(dir.path(), &[], LIMIT);
    let page = format!("/zh-cn/{ARTICLE}.html");
    assert!(server.get(&page).text().contains("SNIPPET-ONE"));
    let mut mine = server.events(Some(&page));

    save(&includes.join("inner.md"), "SNIPPET-TWO\n");
    mine.wait_for(LIMIT, |v| {
        !v["changed"].as_array().expect("list").is_empty()
    })
    .expect("the including page reloads");
    let served = server.get(&page).text();
    assert!(
        served.contains("SNIPPET-TWO"),
        "the inner snippet's new text"
    );
    assert!(!served.contains("SNIPPET-ONE"));

    save(
        &zh(dir.path()),
        &format!("{including}\n[!INCLUDE [later](includes/later.md)]\n"),
    );
    mine.wait_for(LIMIT, |v| {
        !v["changed"].as_array().expect("list").is_empty()
    })
    .expect("the page reloads");
    assert!(server.get(&page).text().contains("SNIPPET-LATER"));
}

#[test]
fn a_page_opened_after_a_broken_save_is_told_at_once() {
    let dir = project();
    let server = Server::start(dir.path(), &[], LIMIT);
    let page = format!("/ja-jp/{ARTICLE}.html");
    let file = dir
        .path()
        .join("content/ja-JP")
        .join(format!("{ARTICLE}.md"));
    let mut watch = server.events(Some(&page));
    assert_eq!(watch.first["findings"][&page], serde_json::json!([]));
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, format!("{text}\n<span data-ttu-id=\"q\"")).expect("break");
    watch
        .wait_for(LIMIT, |v| {
            v["findings"][&page]
                .as_array()
                .is_some_and(|l| !l.is_empty())
        })
        .expect("overlay event");
    let later = server.events(Some(&page));
    assert_eq!(
        later.first["findings"][&page][0]["lint"], "sxs::unterminated",
        "{}",
        later.first
    );
    let other = server.events(Some("/ja-jp/index.html"));
    assert_eq!(
        other.first["findings"]["/ja-jp/index.html"],
        serde_json::json!([])
    );
    assert!(other.first["findings"].get(&page).is_none());
}

#[test]
fn added_deleted_and_renamed_articles_and_folders_and_a_new_locale() {
    let dir = project();
    let server = Server::start(dir.path(), &[], LIMIT);
    let mut all = server.events(None);
    let changed = |v: &serde_json::Value, url: &str| {
        v["changed"]
            .as_array()
            .is_some_and(|l| l.iter().any(|u| u == url))
    };
    let original = std::fs::read_to_string(zh(dir.path())).expect("read");

    // A new article in a new folder.
    let sub = dir.path().join("content/zh-CN/guide");
    std::fs::create_dir_all(&sub).expect("mkdir");
    std::fs::write(
        sub.join("new.md"),
        original.replace("自助服务密码重置", "新文章"),
    )
    .expect("add");
    all.wait_for(LIMIT, |v| changed(v, "/zh-cn/guide/new.html"))
        .expect("the new page");
    assert_eq!(server.get("/zh-cn/guide/new.html").status, 200);
    assert!(server
        .get("/zh-cn/index.html")
        .text()
        .contains("guide/new.html"));

    // The folder renamed.
    std::fs::rename(&sub, dir.path().join("content/zh-CN/manual")).expect("rename folder");
    all.wait_for(LIMIT, |v| changed(v, "/zh-cn/manual/new.html"))
        .expect("the renamed page");
    assert_eq!(server.get("/zh-cn/manual/new.html").status, 200);
    assert_eq!(server.get("/zh-cn/guide/new.html").status, 404);

    // The article deleted.
    std::fs::remove_file(dir.path().join("content/zh-CN/manual/new.md")).expect("delete");
    all.wait_for(LIMIT, |v| changed(v, "/zh-cn/manual/new.html"))
        .expect("the deletion");
    assert_eq!(server.get("/zh-cn/manual/new.html").status, 404);
    assert!(!server
        .get("/zh-cn/index.html")
        .text()
        .contains("manual/new.html"));

    // A new locale folder rebuilds everything.
    copy_tree(
        &dir.path().join("content/sv-SE"),
        &dir.path().join("content/de-DE"),
    );
    all.wait_for(LIMIT, |v| v["all"] == true)
        .expect("a full rebuild");
    assert_eq!(server.get(&format!("/de-de/{ARTICLE}.html")).status, 200);
}

#[test]
fn a_language_down_to_one_sitemap_file_loses_its_second() {
    // One URL per sitemap file: zh-CN (and the English rebuilt from it)
    // with two indexable articles have two files each, then one. (The
    // example article is marked NOINDEX, which keeps it out of sitemaps.)
    let dir = project();
    let original = std::fs::read_to_string(zh(dir.path()))
        .expect("read")
        .replace("ROBOTS: NOINDEX, NOFOLLOW\n", "");
    std::fs::write(zh(dir.path()), &original).expect("write");
    let second = dir.path().join("content/zh-CN/second.md");
    std::fs::write(&second, original.replace("自助服务密码重置", "第二篇")).expect("add");
    let server = Server::start_with_env(
        &[("HELPBOOK_SITEMAP_MAX_URLS", "1")],
        dir.path(),
        &[],
        LIMIT,
    );
    let names_part_two = |server: &Server| {
        server
            .get("/sitemap.xml")
            .text()
            .contains("zh-cn/sitemap-2.xml")
    };
    assert_eq!(server.get("/zh-cn/sitemap-2.xml").status, 200);
    assert!(names_part_two(&server), "the index names the second file");
    assert_eq!(server.get("/ja-jp/sitemap-2.xml").status, 404);

    let mut all = server.events(None);
    std::fs::remove_file(&second).expect("delete");
    all.wait_for(LIMIT, |v| {
        v["changed"]
            .as_array()
            .is_some_and(|l| l.iter().any(|u| u == "/zh-cn/second.html"))
    })
    .expect("the deletion");
    assert_eq!(server.get("/zh-cn/sitemap-2.xml").status, 404);
    assert!(!server.site.join("zh-cn/sitemap-2.xml").exists());
    assert!(!names_part_two(&server), "the index no longer names it");
    let first = server.get("/zh-cn/sitemap.xml").text();
    assert!(first.contains(&format!("zh-cn/{ARTICLE}.html")));
}

#[test]
fn paths_outside_the_site_get_no_file() {
    let dir = project();
    std::fs::write(dir.path().join("secret.txt"), "TOP-SECRET").expect("secret");
    let server = Server::start(dir.path(), &[], LIMIT);
    let secret = dir.path().join("secret.txt");
    let absolute = secret.display().to_string();
    for path in [
        "/../../../../../../etc/passwd".to_string(),
        "/zh-cn/../../../../../../etc/passwd".to_string(),
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd".to_string(),
        "/%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd".to_string(),
        "/..%2f..%2f..%2f..%2fetc%2fpasswd".to_string(),
        "/..\\..\\..\\..\\etc\\passwd".to_string(),
        "/%5c..%5c..%5c..%5cetc%5cpasswd".to_string(),
        "//etc/passwd".to_string(),
        "/etc/passwd%00.html".to_string(),
        "/index.html%00".to_string(),
        format!("/{absolute}"),
        format!("/..{absolute}"),
        "/.helpbook-site".to_string(),
    ] {
        let r = server.get(&path);
        assert!(
            r.status == 400 || r.status == 404,
            "{path}: status {}",
            r.status
        );
        let body = r.text();
        assert!(!body.contains("root:"), "{path}: /etc/passwd served");
        assert!(!body.contains("TOP-SECRET"), "{path}: secret served");
        assert!(
            r.header("content-type")
                .is_some_and(|t| t.contains("charset=utf-8")),
            "{path}"
        );
    }
    // No listings: a folder without index.html is the 404 page.
    let r = server.get("/static/");
    assert_eq!(r.status, 404);
    assert_eq!(r.text(), server.get("/no-such-page").text());
}

/// The served page without the live-reload script `serve` adds.
fn unscripted(text: &str) -> String {
    text.replace("<script src=\"/__helpbook/live.js\"></script>", "")
        .replace(
            "<script src=\"/__helpbook/live.js\" data-early></script>",
            "",
        )
}

#[test]
fn pages_asked_for_before_the_first_build_is_written_are_whole_then_the_build_is_served() {
    let dir = project();
    // An image whose name the article writes percent-encoded.
    let media = dir.path().join("content/zh-CN/media");
    std::fs::create_dir_all(&media).expect("media folder");
    std::fs::write(media.join("reset shot.png"), b"\x89PNG\r\n\x1a\n-early-").expect("image");
    let text = std::fs::read_to_string(zh(dir.path())).expect("article");
    std::fs::write(
        zh(dir.path()),
        format!("{text}\n![reset](media/reset%20shot.png)\n"),
    )
    .expect("article");
    let model = dir.path().join("release-model");
    let build = dir.path().join("release-build");
    let env = [
        ("HELPBOOK_SERVE_HOLD_MODEL", model.to_str().expect("utf-8")),
        ("HELPBOOK_SERVE_HOLD", build.to_str().expect("utf-8")),
    ];
    let server = Server::start_early(&env, dir.path(), &[], LIMIT);
    let page = format!("/zh-cn/{ARTICLE}.html");
    let side = format!("/zh-cn/{ARTICLE}.sxs.html");
    let on_disk = server.site.join(format!("zh-cn/{ARTICLE}.html"));

    // 1. The content is not read yet: the article is made from its own
    //    copies; a list of every article waits, saying so.
    server.wait_line("holding reading the content", LIMIT);
    let first = server.get(&page);
    assert_eq!(first.status, 200);
    assert_eq!(
        first.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let first = first.text();
    assert!(first.contains("lang=\"zh-CN\""), "{first}");
    assert!(first.contains("有关详细信息"), "the translation is there");
    assert!(first.trim_end().ends_with("</html>"), "a whole page");
    assert!(
        first.contains("/__helpbook/live.js\" data-early>"),
        "marked as made early"
    );
    assert!(!on_disk.exists(), "made on request, not read from disk");
    let image = first
        .split("src=\"")
        .filter_map(|rest| rest.split('"').next())
        .find(|src| src.contains("media/") && src.ends_with(".png"))
        .unwrap_or_else(|| panic!("the image is on the page: {first}"));
    let image = format!(
        "/media/{}",
        image.rsplit("media/").next().unwrap_or_default()
    );
    let got = server.get(&image);
    assert_eq!(got.status, 200, "{image}");
    assert!(got.text().contains("-early-"), "the image's bytes");
    let chooser = server.get(&format!("/languages/{ARTICLE}.html"));
    assert_eq!(chooser.status, 200);
    assert!(
        chooser.text().contains("/ja-jp/"),
        "the chooser lists ja-JP"
    );
    let index = server.get("/zh-cn/");
    assert_eq!(index.status, 503);
    assert_eq!(index.header("retry-after"), Some("1"));
    assert!(
        index.text().contains("http-equiv=\"refresh\""),
        "it loads itself again"
    );
    assert_eq!(server.get(&side).status, 200);
    let mut side_events = server.events(Some(&side));

    // 2. The model is loaded, the build held: any page is made from it.
    std::fs::write(&model, "").expect("release the model");
    server.wait_line("holding the build", LIMIT);
    let index = server.get("/zh-cn/");
    assert_eq!(index.status, 200);
    assert!(index.text().contains(&format!("{ARTICLE}.html")));
    assert_eq!(
        server.get(&page).text(),
        first,
        "made from the whole model, the page is the one made from its own copies"
    );
    assert_eq!(server.get("/zh-cn/no-such-page.html").status, 404);
    assert_eq!(
        server.get("/sitemap.xml").status,
        503,
        "sitemaps come with the build"
    );
    assert!(!on_disk.exists());

    // 3. The build is written: it is what is served, and it is the page
    //    sent before; the side-by-side page reloads to get its editor.
    std::fs::write(&build, "").expect("release the build");
    server.wait_built(LIMIT);
    let built = std::fs::read_to_string(&on_disk).expect("the built page");
    let now = server.get(&page).text();
    assert_eq!(unscripted(&now), built, "the build's page is served");
    assert_eq!(
        unscripted(&now),
        unscripted(&first),
        "and it is the page sent before the build"
    );
    assert!(!now.contains("data-early"));
    let event = side_events
        .wait_for(LIMIT, |v| {
            v["changed"]
                .as_array()
                .is_some_and(|l| l.iter().any(|u| u == side.as_str()))
        })
        .expect("the side-by-side page sent before the build is reloaded");
    assert_eq!(event["changed"], serde_json::json!([side]));
    // Opened too late to hear it: told on connecting; a page sent the same
    // as the build is not.
    let late = |p: &str| {
        let query = format!("?page={}&early=1", support::serve::encode(p));
        let mut events = server.events_at(&query, &[]).expect("the socket");
        let mut seen = vec![events.first.clone()];
        seen.extend(events.next(Duration::from_millis(500)));
        seen.iter()
            .any(|v| v["changed"].as_array().is_some_and(|l| !l.is_empty()))
    };
    assert!(late(&side), "the side-by-side page reloads on connecting");
    assert!(!late(&page), "the article page, the same, does not");
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let dir = project();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_helpbook"))
        .arg("serve")
        .arg(dir.path())
        .args(["--port", &port])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("already in use"), "{err}");
    assert!(err.contains(&port), "{err}");
}

/// A symbolic link in the content to a large folder elsewhere (`/usr`, a
/// home folder) is not followed by the watcher: each folder behind it would
/// take one of the inotify watches the whole system shares. Counted in the
/// server's `/proc/PID/fdinfo` (Linux), with and without such a link.
#[cfg(target_os = "linux")]
#[test]
fn the_watcher_does_not_follow_links_out_of_the_content() {
    let watches = |link: bool| {
        let dir = project();
        let elsewhere = dir.path().join("elsewhere");
        for i in 0..200 {
            std::fs::create_dir_all(elsewhere.join(format!("d{i}/e"))).expect("mkdir");
        }
        if link {
            std::os::unix::fs::symlink(&elsewhere, dir.path().join("content/zh-CN/linked"))
                .expect("symlink");
        }
        let server = Server::start(dir.path(), &[], LIMIT);
        let fds = format!("/proc/{}/fdinfo", server.child.id());
        std::fs::read_dir(&fds)
            .expect("fdinfo")
            .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
            .map(|info| {
                info.lines()
                    .filter(|l| l.starts_with("inotify wd:"))
                    .count()
            })
            .sum::<usize>()
    };
    let (without, with) = (watches(false), watches(true));
    assert!(without > 0, "no inotify watches found");
    assert_eq!(with, without, "watches with the link, without it");
}

#[test]
fn ctrl_c_stops_cleanly_and_removes_the_site() {
    let dir = project();
    let mut server = Server::start(dir.path(), &[], LIMIT);
    let _events = server.events(None);
    assert!(server.site.is_dir(), "{}", server.site.display());
    let status = std::process::Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(status.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let code = loop {
        if let Some(s) = server.child.try_wait().expect("wait") {
            break s;
        }
        assert!(std::time::Instant::now() < deadline, "still running");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(code.success(), "{code:?}");
    assert!(!server.site.exists(), "the temporary site is removed");
}

#[test]
fn incremental_output_equals_a_full_build() {
    let dir = project();
    let server = Server::start(dir.path(), &[], LIMIT);
    let mut all = server.events(None);
    // A title change in one language and an English change (en-US folder
    // absent: the English is rebuilt from the newest hand-off) in another.
    let text = std::fs::read_to_string(zh(dir.path())).expect("read");
    save(
        &zh(dir.path()),
        &text.replace("title: 自助服务密码重置", "title: 新标题"),
    );
    all.wait_for(LIMIT, |v| {
        !v["changed"].as_array().expect("list").is_empty()
    })
    .expect("rebuilt");
    for locale in ["sv-SE", "et-EE", "ro-RO", "ja-JP"] {
        let file = dir
            .path()
            .join("content")
            .join(locale)
            .join(format!("{ARTICLE}.md"));
        let text = std::fs::read_to_string(&file).expect("read");
        save(
            &file,
            &text.replace("Self-service password reset", "Self-service reset"),
        );
    }
    // Wait until the output settles (no event for a while).
    while all.next(Duration::from_secs(2)).is_some() {}
    let dest = dir.path().join("full");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_helpbook"))
        .arg("build")
        .arg(dir.path())
        .arg("--dest")
        .arg(&dest)
        .output()
        .expect("build");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut compared = 0;
    for entry in walkdir::WalkDir::new(&dest) {
        let entry = entry.expect("walk");
        if !entry.file_type().is_file() || entry.file_name() == ".helpbook-site" {
            continue;
        }
        let rel = entry.path().strip_prefix(&dest).expect("inside");
        // The search index is built when serve starts and not yet updated
        // by incremental rebuilds (a known gap; see docs/search.md).
        if rel.components().any(|c| c.as_os_str() == "search") {
            continue;
        }
        let served = std::fs::read(server.site.join(rel))
            .unwrap_or_else(|_| panic!("{} missing from the served site", rel.display()));
        assert!(
            served == std::fs::read(entry.path()).expect("read"),
            "{} differs from a full build",
            rel.display()
        );
        compared += 1;
    }
    assert!(compared > 20, "{compared} files compared");
    let index = std::fs::read_to_string(server.site.join("zh-cn/index.html")).expect("index");
    assert!(index.contains("新标题"), "the index shows the new title");
}

/// One request written exactly as given (`head` without the final empty
/// line), on its own connection.
fn raw(port: u16, head: &str) -> support::serve::Response {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(stream, "{head}\r\n").expect("send");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    support::serve::parse_response(&answer)
}

#[test]
fn a_foreign_host_is_refused_and_loopback_names_are_served() {
    let dir = project();
    let server = Server::start(dir.path(), &[], LIMIT);
    let port = server.port;
    let page = format!("/zh-cn/{ARTICLE}.html");
    // DNS rebinding: a name that resolves to 127.0.0.1 but is not ours.
    for host in [
        "attacker.example".to_string(),
        format!("attacker.example:{port}"),
        format!("localhost.attacker.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        format!("user@127.0.0.1:{port}"),
    ] {
        let r = raw(
            port,
            &format!("GET {page} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"),
        );
        assert_eq!(r.status, 421, "Host: {host}");
        assert_eq!(
            r.header("content-type"),
            Some("text/plain; charset=utf-8"),
            "Host: {host}"
        );
        assert!(r.text().contains("Host"), "a reason: {}", r.text());
        assert!(!r.text().contains("<html"), "Host: {host}: no page");
    }
    // A request target in absolute form names the host too.
    let r = raw(
        port,
        &format!("GET http://attacker.example{page} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"),
    );
    assert_eq!(r.status, 421, "absolute target");
    // No Host at all (HTTP/1.0).
    let r = raw(port, &format!("GET {page} HTTP/1.0\r\n"));
    assert_eq!(r.status, 421, "no Host");
    // The live-reload socket is behind the same check.
    let host = format!("attacker.example:{port}");
    assert_eq!(
        server.events_with(Some(&page), &[("Host", &host)]).err(),
        Some(421)
    );
    // The names a user types are served.
    for host in [
        "localhost".to_string(),
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        "127.0.0.1".to_string(),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        let r = raw(
            port,
            &format!("GET {page} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"),
        );
        assert_eq!(r.status, 200, "Host: {host}");
        assert!(r.text().contains("/__helpbook/live.js"), "Host: {host}");
    }
}

#[test]
fn the_live_socket_refuses_pages_of_other_origins() {
    let dir = project();
    let server = Server::start(dir.path(), &[], LIMIT);
    let page = format!("/zh-cn/{ARTICLE}.html");
    let own = format!("http://127.0.0.1:{}", server.port);
    for origin in [
        "http://attacker.example",
        &format!("http://attacker.example:{}", server.port),
        &format!("http://localhost:{}", server.port),
        &format!("https://127.0.0.1:{}", server.port),
        "null",
    ] {
        assert_eq!(
            server.events_with(Some(&page), &[("Origin", origin)]).err(),
            Some(403),
            "Origin: {origin}"
        );
    }
    // Its own pages, and tools that send no Origin, are answered.
    let mut mine = server
        .events_with(Some(&page), &[("Origin", &own)])
        .expect("same origin");
    assert_eq!(mine.first["findings"][&page], serde_json::json!([]));
    assert!(server.events_with(Some(&page), &[]).is_ok());
    assert!(mine.next(Duration::from_millis(300)).is_none());
}

#[test]
fn static_files_answer_ranges_and_conditional_requests() {
    let dir = project();
    let server = Server::start(dir.path(), &[], LIMIT);
    let port = server.port;
    let full = server.get("/sitemap.xml");
    assert_eq!(full.status, 200);
    assert!(full.text().starts_with("<?xml"));
    assert_eq!(full.header("content-type"), Some("text/xml; charset=utf-8"));
    assert_eq!(full.header("cache-control"), Some("no-store"));
    assert_eq!(full.header("x-content-type-options"), Some("nosniff"));

    // A byte range.
    let part = raw(
        port,
        "GET /sitemap.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes=0-4\r\nConnection: close\r\n",
    );
    assert_eq!(part.status, 206);
    assert_eq!(part.body, b"<?xml");
    assert_eq!(
        part.header("content-range"),
        Some(format!("bytes 0-4/{}", full.body.len()).as_str())
    );
    let past = raw(
        port,
        "GET /sitemap.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes=999999999-\r\nConnection: close\r\n",
    );
    assert_eq!(past.status, 416);

    // Not modified since it was last sent.
    let modified = full.header("last-modified").expect("Last-Modified");
    let again = raw(
        port,
        &format!(
            "GET /sitemap.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-Modified-Since: {modified}\r\nConnection: close\r\n"
        ),
    );
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let old = raw(
        port,
        "GET /sitemap.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\nConnection: close\r\n",
    );
    assert_eq!(old.status, 200);

    // HTML is always sent whole, with the live-reload script: a range of the
    // file would not be a range of the page.
    let page = format!("/zh-cn/{ARTICLE}.html");
    let whole = server.get(&page);
    let ranged = raw(
        port,
        &format!(
            "GET {page} HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes=0-9\r\nConnection: close\r\n"
        ),
    );
    assert_eq!(ranged.status, 200);
    assert_eq!(ranged.body, whole.body);
    assert!(ranged.text().contains("/__helpbook/live.js"));
    let head = raw(
        port,
        &format!("HEAD {page} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"),
    );
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length"),
        Some(whole.body.len().to_string().as_str())
    );
    // A missing page: the language's 404 page, as HTML, with status 404.
    let missing = server.get("/zh-cn/no-such-page.html");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(missing.text().contains("lang=\"zh-CN\""));
}

#[test]
fn events_name_files_relative_to_the_project_never_absolute() {
    let dir = project();
    let server = Server::start(dir.path(), &[], LIMIT);
    let page = format!("/zh-cn/{ARTICLE}.html");
    let mut mine = server.events(Some(&page));
    // A broken article, then a broken book.toml.
    let original = std::fs::read_to_string(zh(dir.path())).expect("read");
    std::fs::write(
        zh(dir.path()),
        format!("{original}\n<span data-ttu-id=\"zz-1\">broken\n"),
    )
    .expect("break the article");
    let event = mine
        .wait_for(LIMIT, |v| {
            v["findings"][&page]
                .as_array()
                .is_some_and(|l| !l.is_empty())
        })
        .expect("the article's finding");
    assert_eq!(
        event["findings"][&page][0]["file"],
        format!("content/zh-CN/{ARTICLE}.md")
    );
    let book = dir.path().join("book.toml");
    let config = std::fs::read_to_string(&book).expect("book.toml");
    std::fs::write(&book, format!("{config}\nno-such-key = 1\n")).expect("break book.toml");
    let event = mine
        .wait_for(LIMIT, |v| {
            v["findings"]["*"].as_array().is_some_and(|l| !l.is_empty())
        })
        .expect("the configuration's finding, on every page");
    let global = &event["findings"]["*"][0];
    assert_eq!(global["file"], "book.toml", "{global}");
    assert!(
        global["message"]
            .as_str()
            .is_some_and(|m| m.contains("no-such-key")),
        "{global}"
    );
    std::fs::write(&book, config).expect("restore book.toml");
    mine.wait_for(LIMIT, |v| {
        v["findings"]["*"].as_array().is_some_and(|l| l.is_empty())
    })
    .expect("cleared");
    // Nothing the page was sent names a folder of this machine.
    let project = dir.path().display().to_string();
    let site = server.site.display().to_string();
    assert!(mine.seen.len() >= 3, "{:?}", mine.seen);
    for text in &mine.seen {
        assert!(!text.contains(&project), "an absolute path in {text}");
        assert!(!text.contains(&site), "the site's path in {text}");
        assert!(!text.contains("/tmp/"), "an absolute path in {text}");
    }
}

#[test]
fn a_write_error_shows_in_the_overlay_until_a_rebuild_succeeds() {
    if !support::serve::prlimit_available("file size") {
        return;
    }
    let dir = project();
    let server = Server::start(dir.path(), &[], LIMIT);
    let page = format!("/zh-cn/{ARTICLE}.html");
    let mut mine = server.events(Some(&page));
    let pid = server.child.id().to_string();
    let limit = |size: &str| {
        let out = std::process::Command::new("prlimit")
            .args(["--pid", &pid, &format!("--fsize={size}")])
            .output()
            .expect("prlimit");
        assert!(
            out.status.success(),
            "prlimit: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    // Files of the server may not grow past 1 KiB: writing a page fails
    // (EFBIG; the server catches the SIGXFSZ that comes with it).
    limit("1024:unlimited");
    let original = std::fs::read_to_string(zh(dir.path())).expect("read");
    save(
        &zh(dir.path()),
        &original.replace("有关详细信息", "NOT-WRITTEN"),
    );
    let event = mine
        .wait_for(LIMIT, |v| {
            v["findings"]["*"].as_array().is_some_and(|l| !l.is_empty())
        })
        .expect("the write error reaches the page");
    let shown = &event["findings"]["*"][0];
    eprintln!("the overlay shows: {shown}");
    assert_eq!(shown["lint"], "serve::write", "{shown}");
    assert_eq!(shown["level"], "error");
    assert_eq!(
        shown["file"],
        format!("content/zh-CN/{ARTICLE}.md"),
        "{shown}"
    );
    let message = shown["message"].as_str().expect("message");
    assert!(message.contains("File too large"), "{message}");
    assert!(message.contains("zh-cn/"), "names the page: {message}");
    assert!(
        !message.contains(&server.site.display().to_string()),
        "{message}"
    );
    assert!(
        Path::new(&format!("/proc/{pid}")).exists(),
        "the server is still up"
    );
    assert!(!server.get(&page).text().contains("NOT-WRITTEN"));
    // A later save with room to write: the overlay clears, the page reloads.
    limit("unlimited:unlimited");
    save(
        &zh(dir.path()),
        &original.replace("有关详细信息", "WRITTEN-AGAIN"),
    );
    let event = mine
        .wait_for(LIMIT, |v| {
            v["findings"]["*"].as_array().is_some_and(|l| l.is_empty())
        })
        .expect("the overlay is cleared");
    assert_eq!(event["changed"], serde_json::json!([page]));
    assert!(server.get(&page).text().contains("WRITTEN-AGAIN"));
}

#[test]
fn ten_tabs_keep_loading_and_reloading_in_chromium() {
    if !support::browser_available() {
        return;
    }
    let dir = project();
    let server = Server::start(dir.path(), &[], LIMIT);
    support::run_browser_script(
        "tabs.mjs",
        &[
            std::ffi::OsStr::new(&format!("http://127.0.0.1:{}", server.port)),
            zh(dir.path()).as_os_str(),
        ],
    );
}

#[cfg(target_os = "linux")]
#[test]
fn the_site_folder_of_a_killed_server_is_removed_at_the_next_start() {
    // A process that has ended: its pid names no running server.
    let mut gone = std::process::Command::new("true").spawn().expect("true");
    let pid = gone.id();
    gone.wait().expect("wait");
    // The server's environment is cleared, so its temporary folder is /tmp.
    let stale = Path::new("/tmp").join(format!("helpbook-serve-{pid}-killed"));
    for i in 0..200 {
        let dir = stale.join("site/zh-cn");
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join(format!("{i}.html")), "x").expect("write");
    }
    let dir = project();
    let server = Server::start(dir.path(), &[], LIMIT);
    let deadline = std::time::Instant::now() + LIMIT;
    while stale.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!stale.exists(), "{} was left", stale.display());
    assert!(server.site.is_dir(), "its own folder stays");
}
