//! `helpbook serve` keeps search in step with saves: an article added while
//! serving is found by its title, found by its new title once retitled (and
//! no longer by the old one), and gone once deleted; a save not applied
//! reaches neither the index nor search; lists a failed write left out are
//! written by the next rebuild. The index is read over
//! HTTP from the server and searched with the Rust twin of the browser's
//! search (`helpbook::search::query`).

use crate::support;

use helpbook::search::query::Searcher;
use std::path::{Path, PathBuf};
use std::time::Duration;
use support::copy_tree;
use support::serve::Server;

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
    found_in(server, "zh-cn", query)
}

/// The URLs the served index of language folder `slug` finds for `query`.
fn found_in(server: &Server, slug: &str, query: &str) -> Vec<String> {
    found_with(server, slug, None, query)
}

/// [`found_in`] by a reader who read `meta` (a `meta.json`) earlier, or
/// now (None).
fn found_with(server: &Server, slug: &str, meta: Option<&[u8]>, query: &str) -> Vec<String> {
    let searcher = Searcher::open(|file| match meta {
        Some(meta) if file == "meta.json" => Some(meta.to_vec()),
        _ => {
            let r = server.get(&format!("/{slug}/search/{file}"));
            (r.status == 200).then_some(r.body)
        }
    })
    .unwrap_or_else(|| panic!("the {slug} search index is served"));
    searcher
        .search(query, 10)
        .hits
        .into_iter()
        .map(|h| h.url)
        .collect()
}

/// A server of the example project, its live events, and its zh-CN
/// folder with the example article's text as it was at the start.
struct Serving {
    _dir: tempfile::TempDir,
    server: Server,
    all: support::serve::Events,
    zh: PathBuf,
    original: String,
}

impl Serving {
    fn start() -> Serving {
        let dir = project();
        let server = Server::start(dir.path(), &[], LIMIT);
        let all = server.events(None);
        let zh = dir.path().join("content/zh-CN");
        let original = std::fs::read_to_string(zh.join(format!("{ARTICLE}.md"))).expect("read");
        Serving {
            _dir: dir,
            server,
            all,
            zh,
            original,
        }
    }

    /// The example article's text, titled with `word` first.
    fn titled(&self, word: &str) -> String {
        self.original
            .replacen("title: ", &format!("title: {word} "), 1)
    }

    /// [`Serving::titled`] with an unclosed span after it: an error, so a
    /// save of it is not applied.
    fn broken(&self, word: &str) -> String {
        format!("{}\n<span data-ttu-id=\"zz-1\">{word}\n", self.titled(word))
    }

    /// Waits for page `url` to be made again.
    fn wait_changed(&mut self, url: &str, what: &str) {
        self.all
            .wait_for(LIMIT, |v| {
                v["changed"]
                    .as_array()
                    .is_some_and(|l| l.iter().any(|u| u == url))
            })
            .expect(what);
    }

    /// Waits for findings on a page whose URL contains `url`.
    fn wait_findings(&mut self, url: &str, what: &str) {
        self.all
            .wait_for(LIMIT, |v| {
                v["findings"].as_object().is_some_and(|m| {
                    m.iter().any(|(k, l)| {
                        k.contains(url) && l.as_array().is_some_and(|l| !l.is_empty())
                    })
                })
            })
            .expect(what);
    }

    fn found(&self, query: &str) -> Vec<String> {
        found(&self.server, query)
    }

    fn index(&self) -> String {
        self.server.get("/zh-cn/index.html").text()
    }
}

/// Writes `text` the way many editors save: a temporary file renamed over it.
fn save(path: &Path, text: &str) {
    let tmp = path.with_extension("md.swp-tmp");
    std::fs::write(&tmp, text).expect("write");
    std::fs::rename(&tmp, path).expect("rename over");
}

#[test]
fn search_finds_new_and_retitled_articles_and_forgets_deleted_ones() {
    let mut s = Serving::start();
    assert!(s.found("Zebrawort").is_empty());

    // A new article, titled with a word no other page has.
    let new = s.zh.join("zebra.md");
    std::fs::write(&new, s.titled("Zebrawort")).expect("add");
    s.wait_changed("/zh-cn/zebra.html", "the new page");
    assert_eq!(s.found("Zebrawort"), ["zebra.html"]);

    // Retitled: found by the new title, not by the old.
    save(&new, &s.titled("Flamingowort"));
    s.wait_changed("/zh-cn/zebra.html", "the retitled page");
    assert_eq!(s.found("Flamingowort"), ["zebra.html"]);
    assert!(s.found("Zebrawort").is_empty());

    // Deleted: gone.
    std::fs::remove_file(&new).expect("delete");
    s.wait_changed("/zh-cn/zebra.html", "the deletion");
    assert!(s.found("Flamingowort").is_empty());
}

/// A save that changes only an article's text, its title and state as
/// they were, writes the language's search index again a moment after the
/// page is reloaded: the word saved is found, and the word taken out by
/// the next save is not; that index is then the one the first build made.
#[test]
fn search_follows_a_change_to_an_article_s_text() {
    let mut s = Serving::start();
    let file = s.zh.join(format!("{ARTICLE}.md"));
    let page = format!("/zh-cn/{ARTICLE}.html");
    assert!(s.found("Bodywort").is_empty());
    let (built, _) = meta(&s.server, "zh-cn");

    let with = s.original.replacen("有关详细信息", "Bodywort", 1);
    assert_ne!(with, s.original);
    save(&file, &with);
    s.wait_changed(&page, "the page");
    s.wait_changed("/zh-cn/search/meta.json", "the search index");
    assert_eq!(s.found("Bodywort"), [format!("{ARTICLE}.html")]);

    let original = s.original.clone();
    save(&file, &original);
    s.wait_changed(&page, "the page again");
    s.wait_changed("/zh-cn/search/meta.json", "the search index again");
    assert!(s.found("Bodywort").is_empty());
    // The text as it was gives the index the first build made, every file
    // of it (`meta.json` names their folder by a digest of them all).
    let (again, _) = meta(&s.server, "zh-cn");
    assert_eq!(
        String::from_utf8_lossy(&again),
        String::from_utf8_lossy(&built)
    );
}

/// After saves of every kind (a text, a new article, a retitle, another
/// new article, a deletion, a text again), each language's served search index is the one a build of the
/// files as they now are makes: every file of it (`meta.json` names their
/// folder by a digest of them all). From a page of it opened on, `serve`
/// indexes a language from the texts of its pages it keeps, which every
/// rebuild brings up to date.
#[test]
fn the_index_after_saves_is_the_one_a_build_of_the_files_makes() {
    let mut s = Serving::start();
    let file = s.zh.join(format!("{ARTICLE}.md"));
    // A zh-CN page opened: `serve` makes the language's search texts while
    // it has nothing else to do, and indexes the first save from them.
    let _open = s.server.events(Some(&format!("/zh-cn/{ARTICLE}.html")));
    s.server.wait_line("search texts of zh-CN kept", LIMIT);
    save(&file, &s.original.replacen("有关详细信息", "Bodywort", 1));
    s.wait_changed("/zh-cn/search/meta.json", "the first index written again");
    let new = s.zh.join("zebra.md");
    std::fs::write(&new, s.titled("Zebrawort")).expect("add");
    s.wait_changed("/zh-cn/zebra.html", "the new page");
    save(&new, &s.titled("Flamingowort"));
    s.wait_changed("/zh-cn/zebra.html", "the retitled page");
    std::fs::write(s.zh.join("okapi.md"), s.titled("Okapiwort")).expect("add");
    s.wait_changed("/zh-cn/okapi.html", "the second new page");
    std::fs::remove_file(&new).expect("delete");
    s.wait_changed("/zh-cn/zebra.html", "the deletion");
    save(&file, &s.original.replacen("有关详细信息", "Otherwort", 1));
    let article = [format!("{ARTICLE}.html")];
    let deadline = std::time::Instant::now() + LIMIT;
    while s.found("Otherwort") != article {
        assert!(
            std::time::Instant::now() < deadline,
            "the last save is found"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(s.found("Bodywort").is_empty());
    assert!(s.found("Flamingowort").is_empty());
    assert_eq!(s.found("Okapiwort"), ["okapi.html"]);

    let built = tempfile::tempdir().expect("tempdir");
    support::build_site(s._dir.path(), built.path(), &[]);
    for slug in ["en-us", "zh-cn", "ja-jp", "sv-se", "et-ee", "ro-ro"] {
        let (served, _) = meta(&s.server, slug);
        let made = std::fs::read(built.path().join(slug).join("search/meta.json"))
            .unwrap_or_else(|e| panic!("{slug}: the build's meta.json: {e}"));
        assert_eq!(
            String::from_utf8_lossy(&served),
            String::from_utf8_lossy(&made),
            "{slug}"
        );
    }
}

/// The served `meta.json` of language folder `slug`, and the folder of
/// the index's other files that it names.
fn meta(server: &Server, slug: &str) -> (Vec<u8>, String) {
    let bytes = server.get(&format!("/{slug}/search/meta.json")).body;
    let meta: serde_json::Value = serde_json::from_slice(&bytes).expect("meta.json");
    let folder = meta["files"].as_str().expect("a folder").to_string();
    (bytes, folder)
}

/// A new index goes into a new folder: a reader who read `meta.json`
/// before a save searches the index it named, whole (never files of two),
/// and can until the index after next; older folders are removed.
#[test]
fn a_search_reads_one_index_while_the_next_is_written() {
    let mut s = Serving::start();
    let article = [format!("{ARTICLE}.html")];
    let found =
        |s: &Serving, meta: &[u8], query: &str| found_with(&s.server, "zh-cn", Some(meta), query);
    // Saves the example article with `word` in its text, and waits for the
    // new index: its `meta.json` and folder.
    let saved = |s: &mut Serving, word: &str| {
        let file = s.zh.join(format!("{ARTICLE}.md"));
        save(&file, &s.original.replacen("有关详细信息", word, 1));
        s.wait_changed(&format!("/zh-cn/{ARTICLE}.html"), word);
        s.wait_changed("/zh-cn/search/meta.json", word);
        meta(&s.server, "zh-cn")
    };
    let (first, first_folder) = meta(&s.server, "zh-cn");
    assert!(found(&s, &first, "密码").contains(&article[0]));

    let (second, second_folder) = saved(&mut s, "Bodywort");
    assert_ne!(first_folder, second_folder);
    assert_eq!(found(&s, &second, "Bodywort"), article);
    // The earlier `meta.json` still reads its own index, all of it.
    assert!(found(&s, &first, "Bodywort").is_empty());
    assert!(found(&s, &first, "密码").contains(&article[0]));

    let (third, third_folder) = saved(&mut s, "Nextwort");
    assert_ne!(third_folder, second_folder);
    assert_eq!(found(&s, &third, "Nextwort"), article);
    // The index before is kept; the one before that is gone.
    assert_eq!(found(&s, &second, "Bodywort"), article);
    let gone = s
        .server
        .get(&format!("/zh-cn/search/{first_folder}/d/0.json"));
    assert_eq!(gone.status, 404, "{first_folder} is removed");
}

/// A change to an article's English (one sentence, in every copy) owes
/// every language's search index, since each indexes the English its
/// pages show: they are written one language after another, and each finds
/// the new English word.
#[test]
fn an_english_change_reaches_every_language_s_search() {
    let mut s = Serving::start();
    let content = s.zh.parent().expect("content").to_path_buf();
    let slugs = ["en-us", "zh-cn", "ja-jp", "sv-se", "et-ee", "ro-ro"];
    for slug in slugs {
        assert!(found_in(&s.server, slug, "Quokkaword").is_empty());
    }
    for locale in ["zh-CN", "ja-JP", "sv-SE", "et-EE", "ro-RO"] {
        let file = content.join(locale).join(format!("{ARTICLE}.md"));
        let text = std::fs::read_to_string(&file).expect("read");
        let now = text.replacen("default for Admins.", "default for Quokkaword admins.", 1);
        assert_ne!(now, text, "{locale}");
        save(&file, &now);
    }
    let seen = std::cell::RefCell::new(std::collections::BTreeSet::new());
    s.all
        .wait_for(LIMIT, |v| {
            let mut seen = seen.borrow_mut();
            for url in v["changed"].as_array().into_iter().flatten() {
                if let Some(slug) = url
                    .as_str()
                    .and_then(|u| u.strip_suffix("/search/meta.json"))
                {
                    seen.insert(slug.trim_start_matches('/').to_string());
                }
            }
            slugs.iter().all(|l| seen.contains(*l))
        })
        .unwrap_or_else(|| panic!("every language's search index, seen: {:?}", seen.borrow()));
    for slug in slugs {
        let found = found_in(&s.server, slug, "Quokkaword");
        assert_eq!(found, [format!("{ARTICLE}.html")], "{slug}");
    }
}

/// A save with errors is not applied, and that holds for the language's
/// lists too: while it stands, a change that writes them again (an article
/// added) leaves them as they are, so that neither the index nor search
/// shows the unapplied file's title or text. The save that mends it
/// brings every change in at once.
#[test]
fn a_save_not_applied_reaches_neither_the_index_nor_search() {
    let mut s = Serving::start();
    let file = s.zh.join(format!("{ARTICLE}.md"));
    let page = format!("/zh-cn/{ARTICLE}.html");

    // Retitled, with an unclosed span: an error, so not applied.
    std::fs::write(&file, s.broken("Gnuwort")).expect("write broken");
    s.wait_findings(&page, "the save is not applied");

    // A new article: the zh-CN lists would be written again.
    std::fs::write(s.zh.join("zebra.md"), s.titled("Zebrawort")).expect("add");
    s.wait_changed("/zh-cn/zebra.html", "the new page");
    assert!(s.found("Gnuwort").is_empty(), "the unapplied title");
    let index = s.index();
    assert!(!index.contains("Gnuwort"), "the unapplied title: {index}");

    // The mended save, with the title applied before and a new word in
    // its text: the lists that waited are written, with the new article.
    let mended = s.original.replacen("有关详细信息", "Mendwort", 1);
    assert_ne!(mended, s.original);
    save(&file, &mended);
    s.wait_changed(&page, "the mended page");
    assert_eq!(s.found("Mendwort"), [format!("{ARTICLE}.html")]);
    assert_eq!(s.found("Zebrawort"), ["zebra.html"]);
    assert!(s.found("Gnuwort").is_empty());
    let index = s.index();
    assert!(index.contains("Zebrawort"), "{index}");
}

/// A new file with an error is not applied either, but the lists have no
/// entry of it to keep: an article added meanwhile is found at once.
#[test]
fn a_new_file_not_applied_holds_up_no_list() {
    let mut s = Serving::start();
    std::fs::write(s.zh.join("draft.md"), s.broken("Gnuwort")).expect("write broken");
    s.wait_findings("draft", "the new file is not applied");

    std::fs::write(s.zh.join("zebra.md"), s.titled("Zebrawort")).expect("add");
    s.wait_changed("/zh-cn/zebra.html", "the new page");
    assert_eq!(s.found("Zebrawort"), ["zebra.html"]);
    assert!(s.found("Gnuwort").is_empty());
    assert!(s.index().contains("Zebrawort"));
}

/// A rebuild whose write of a language's index fails (here the index's
/// path is made a folder; a full disk does the same) has written the pages
/// already: the lists stay owed, and the next rebuild writes them, though
/// no page of it changes (regression: the retried rebuild found nothing
/// to do, and the index and search kept the old title).
#[test]
fn lists_that_could_not_be_written_are_written_by_the_next_rebuild() {
    let mut s = Serving::start();
    let file = s.zh.join(format!("{ARTICLE}.md"));
    let index = s.server.site.join("zh-cn/index.html");
    std::fs::remove_file(&index).expect("rm the index");
    std::fs::create_dir_all(index.join("in-the-way")).expect("a folder in its place");

    let retitled = s.titled("Ibiswort");
    save(&file, &retitled);
    s.all
        .wait_for(LIMIT, |v| {
            v["findings"]["*"].as_array().is_some_and(|l| !l.is_empty())
        })
        .expect("the failed write is shown");
    assert!(s.found("Ibiswort").is_empty(), "search was not written");

    std::fs::remove_dir_all(&index).expect("clear the way");
    save(&file, &retitled);
    s.all
        .wait_for(LIMIT, |v| {
            v["findings"]["*"].as_array().is_some_and(|l| l.is_empty())
        })
        .expect("the next rebuild succeeds");
    assert!(s.index().contains("Ibiswort"), "{}", s.index());
    assert_eq!(s.found("Ibiswort"), [format!("{ARTICLE}.html")]);
}
