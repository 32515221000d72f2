//! `helpbook serve` keeps search in step with saves: an article added while
//! serving is found by its title, found by its new title once retitled (and
//! no longer by the old one), and gone once deleted; a save not applied
//! reaches neither the index nor search. The index is read over
//! HTTP from the server and searched with the Rust twin of the browser's
//! search (`helpbook::search::query`).

use crate::support;

use helpbook::search::query::Searcher;
use std::path::Path;
use std::time::Duration;
use support::serve::{copy_tree, Server};

const ARTICLE: &str = "self-service-password-reset";
const LIMIT: Duration = Duration::from_secs(30);

/// The repository's example project (five locales), copied to a temp folder.
fn project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_tree(&repo.join("content"), &tmp.path().join("content"));
    std::fs::copy(repo.join("book.toml"), tmp.path().join("book.toml")).expect("book.toml");
    tmp
}

/// The URLs the served zh-CN index finds for `query`.
fn found(server: &Server, query: &str) -> Vec<String> {
    let searcher = Searcher::open(|file| {
        let r = server.get(&format!("/zh-cn/search/{file}"));
        (r.status == 200).then_some(r.body)
    })
    .expect("the zh-CN search index is served");
    searcher
        .search(query, 10)
        .hits
        .into_iter()
        .map(|h| h.url)
        .collect()
}

#[test]
fn search_finds_new_and_retitled_articles_and_forgets_deleted_ones() {
    let dir = project();
    let server = Server::start(dir.path(), &[], LIMIT);
    let mut all = server.events(None);
    let changed = |v: &serde_json::Value, url: &str| {
        v["changed"]
            .as_array()
            .is_some_and(|l| l.iter().any(|u| u == url))
    };
    let zh = dir.path().join("content/zh-CN");
    let original = std::fs::read_to_string(zh.join(format!("{ARTICLE}.md"))).expect("read");
    assert!(found(&server, "Zebrawort").is_empty());

    // A new article, titled with a word no other page has.
    let new = zh.join("zebra.md");
    let titled = |word: &str| original.replacen("title: ", &format!("title: {word} "), 1);
    std::fs::write(&new, titled("Zebrawort")).expect("add");
    all.wait_for(LIMIT, |v| changed(v, "/zh-cn/zebra.html"))
        .expect("the new page");
    assert_eq!(found(&server, "Zebrawort"), ["zebra.html"]);

    // Retitled: found by the new title, not by the old.
    let tmp = new.with_extension("md.swp-tmp");
    std::fs::write(&tmp, titled("Flamingowort")).expect("write");
    std::fs::rename(&tmp, &new).expect("rename over");
    all.wait_for(LIMIT, |v| changed(v, "/zh-cn/zebra.html"))
        .expect("the retitled page");
    assert_eq!(found(&server, "Flamingowort"), ["zebra.html"]);
    assert!(found(&server, "Zebrawort").is_empty());

    // Deleted: gone.
    std::fs::remove_file(&new).expect("delete");
    all.wait_for(LIMIT, |v| changed(v, "/zh-cn/zebra.html"))
        .expect("the deletion");
    assert!(found(&server, "Flamingowort").is_empty());
}

/// A save with errors is not applied, and that holds for the language's
/// lists too: while it stands, a change that writes them again (an article
/// added) leaves them as they are, so that neither the index nor search
/// shows the unapplied file's title or text. The save that mends it
/// brings every change in at once.
#[test]
fn a_save_not_applied_reaches_neither_the_index_nor_search() {
    let dir = project();
    let server = Server::start(dir.path(), &[], LIMIT);
    let mut all = server.events(None);
    let changed = |v: &serde_json::Value, url: &str| {
        v["changed"]
            .as_array()
            .is_some_and(|l| l.iter().any(|u| u == url))
    };
    let zh = dir.path().join("content/zh-CN");
    let file = zh.join(format!("{ARTICLE}.md"));
    let page = format!("/zh-cn/{ARTICLE}.html");
    let original = std::fs::read_to_string(&file).expect("read");
    let titled = |word: &str| original.replacen("title: ", &format!("title: {word} "), 1);

    // Retitled, with an unclosed span: an error, so not applied.
    let broken = format!(
        "{}\n<span data-ttu-id=\"zz-1\">Gnuwort\n",
        titled("Gnuwort")
    );
    std::fs::write(&file, broken).expect("write broken");
    all.wait_for(LIMIT, |v| {
        v["findings"][page.as_str()]
            .as_array()
            .is_some_and(|l| !l.is_empty())
    })
    .expect("the save is not applied");

    // A new article: the zh-CN lists would be written again.
    std::fs::write(zh.join("zebra.md"), titled("Zebrawort")).expect("add");
    all.wait_for(LIMIT, |v| changed(v, "/zh-cn/zebra.html"))
        .expect("the new page");
    assert!(found(&server, "Gnuwort").is_empty(), "the unapplied title");
    let index = server.get("/zh-cn/index.html").text();
    assert!(!index.contains("Gnuwort"), "the unapplied title: {index}");

    // The mended save, with the title applied before and a new word in
    // its text: the lists that waited are written, with the new article.
    let tmp = file.with_extension("md.swp-tmp");
    let mended = original.replacen("有关详细信息", "Mendwort", 1);
    assert_ne!(mended, original);
    std::fs::write(&tmp, mended).expect("write");
    std::fs::rename(&tmp, &file).expect("rename over");
    all.wait_for(LIMIT, |v| changed(v, &page))
        .expect("the mended page");
    assert_eq!(found(&server, "Mendwort"), [format!("{ARTICLE}.html")]);
    assert_eq!(found(&server, "Zebrawort"), ["zebra.html"]);
    assert!(found(&server, "Gnuwort").is_empty());
    let index = server.get("/zh-cn/index.html").text();
    assert!(index.contains("Zebrawort"), "{index}");
}

/// A new file with an error is not applied either, but the lists have no
/// entry of it to keep: an article added meanwhile is found at once.
#[test]
fn a_new_file_not_applied_holds_up_no_list() {
    let dir = project();
    let server = Server::start(dir.path(), &[], LIMIT);
    let mut all = server.events(None);
    let zh = dir.path().join("content/zh-CN");
    let original = std::fs::read_to_string(zh.join(format!("{ARTICLE}.md"))).expect("read");
    let titled = |word: &str| original.replacen("title: ", &format!("title: {word} "), 1);

    let broken = format!(
        "{}\n<span data-ttu-id=\"zz-1\">Gnuwort\n",
        titled("Gnuwort")
    );
    std::fs::write(zh.join("draft.md"), broken).expect("write broken");
    all.wait_for(LIMIT, |v| {
        v["findings"]
            .as_object()
            .is_some_and(|m| m.keys().any(|k| k.contains("draft")))
    })
    .expect("the new file is not applied");

    std::fs::write(zh.join("zebra.md"), titled("Zebrawort")).expect("add");
    all.wait_for(LIMIT, |v| {
        v["changed"]
            .as_array()
            .is_some_and(|l| l.iter().any(|u| u == "/zh-cn/zebra.html"))
    })
    .expect("the new page");
    assert_eq!(found(&server, "Zebrawort"), ["zebra.html"]);
    assert!(found(&server, "Gnuwort").is_empty());
    assert!(server.get("/zh-cn/index.html").text().contains("Zebrawort"));
}
