//! Search on the example project (`content/`): builds it with the binary,
//! then queries the written indexes with the Rust twin of the browser's
//! search (`helpbook::search::query`). The browser itself runs the same
//! queries in tests/search_browser.rs.
//!
//! Guards against: a language without an index; CJK queries that find
//! nothing (no segmentation); a Swedish query that misses an inflected form
//! (no stemming); the English source not being searchable from the Chinese
//! site; `--no-search` and `[output.html.search] enabled = false` leaving an
//! index or a search box behind.

use crate::support;

use helpbook::search::query::{Hit, Searcher};
use std::path::{Path, PathBuf};
use support::{build_site, repo};

const SEED: &str = "self-service-password-reset.html";

fn search(site: &Path, lang: &str, query: &str) -> Vec<Hit> {
    let dir: PathBuf = site.join(lang).join("search");
    let searcher = Searcher::open(|f| std::fs::read(dir.join(f)).ok())
        .unwrap_or_else(|| panic!("{lang} has no search index"));
    searcher.search(query, 5).hits
}

#[test]
fn every_language_finds_the_seed_article_in_its_own_words_and_in_english() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    build_site(repo(), &site, &[]);
    for (lang, query) in [
        ("zh-cn", "密码"),
        ("ja-jp", "パスワード"),
        ("sv-se", "lösenord"),
        ("et-ee", "parool"), // only in compounds (paroolilähtestus): a prefix match
        ("ro-ro", "parolei"), // "parole" and "parolei": one stem
        ("en-us", "password reset"),
    ] {
        let hits = search(&site, lang, query);
        assert!(
            hits.iter().any(|h| h.url == SEED),
            "{lang} `{query}`: {hits:?}"
        );
        assert!(
            hits.iter().all(|h| !h.english_only),
            "{lang} `{query}` is a match in the page's own language: {hits:?}"
        );
    }
    // Bilingual: the English product term on the Chinese site, found through
    // the English source of the Chinese article.
    let hits = search(&site, "zh-cn", "password reset");
    let seed = hits.iter().find(|h| h.url == SEED);
    assert!(seed.is_some_and(|h| h.english_only), "{hits:?}");
    assert!(search(&site, "zh-cn", "xyzzy").is_empty());

    // The search box is on the pages, pointing at the page language's index,
    // with its strings in that language.
    let page = std::fs::read_to_string(site.join("zh-cn").join(SEED)).expect("page");
    assert!(page.contains("data-index=\"../zh-cn/search/\""), "{page}");
    assert!(page.contains("搜索"), "Chinese search label");
    let index = std::fs::read_to_string(site.join("sv-se/index.html")).expect("index");
    assert!(index.contains("data-index=\"../sv-se/search/\""));
}

#[test]
fn no_search_leaves_out_the_index_and_the_box() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    build_site(repo(), &site, &["--no-search"]);
    assert!(site.join("zh-cn").join(SEED).is_file());
    assert!(!site.join("zh-cn/search").exists());
    let page = std::fs::read_to_string(site.join("zh-cn").join(SEED)).expect("page");
    assert!(!page.contains("site-search"));
}

#[test]
fn book_toml_can_turn_search_off() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let content = root.join("content/sv-SE");
    std::fs::create_dir_all(&content).expect("dirs");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("content/sv-SE/self-service-password-reset.md"),
        content.join("a.md"),
    )
    .expect("copy");
    std::fs::write(
        root.join("book.toml"),
        "[output.html.search]\nenabled = false\n",
    )
    .expect("book.toml");
    build_site(root, &root.join("site"), &[]);
    assert!(root.join("site/sv-se/a.html").is_file());
    assert!(!root.join("site/sv-se/search").exists());
}
