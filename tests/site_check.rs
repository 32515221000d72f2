//! The site checker of `tests/support/sitecheck.rs` itself: each check fires
//! on a small hand-written site that breaks exactly that property, and a
//! sound site passes. Without this, a checker that found nothing would make
//! the corpus and fixture tests pass vacuously.

use crate::support;

use std::path::Path;
use support::sitecheck;

fn page(lang: &str, dir: &str, head: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\"><title>T</title>{head}</head><body>{body}</body></html>"
    )
}

/// A sound two-language site: a page in English and Arabic with reciprocal
/// alternates, a fallback page, links with fragments and a sitemap.
fn sound_site(dir: &Path) {
    let alts = "<link rel=\"alternate\" hreflang=\"en-US\" href=\"../en-us/a.html\"><link rel=\"alternate\" hreflang=\"ar-SA\" href=\"../ar-sa/a.html\"><link rel=\"alternate\" hreflang=\"x-default\" href=\"../en-us/a.html\">";
    let files = [
        (
            "en-us/a.html",
            page(
                "en-US",
                "ltr",
                alts,
                "<h2 id=\"x\">X</h2><a name=\"old\"></a><a href=\"#x\">x</a> <a href=\"b%20c.html#y\">b</a> <a href=\"../\">root</a> <a href=\"https://example.com/](x.md)\">ext</a> <code>[a](b.md)</code>",
            ),
        ),
        (
            "ar-sa/a.html",
            page("ar-SA", "rtl", alts, "<a href=\"../en-us/a.html#old\">a</a>"),
        ),
        (
            "ar-sa/b.html",
            page(
                "ar-SA",
                "rtl",
                "<meta name=\"robots\" content=\"noindex\"><link rel=\"canonical\" href=\"../en-us/b%20c.html\">",
                "",
            ),
        ),
        ("en-us/b c.html", page("en-US", "ltr", "", "<p id=\"y\">y</p>")),
        ("index.html", page("en", "ltr", "", "<a href=\"en-us/a.html\">en</a>")),
        (
            "sitemap.xml",
            "<urlset><url><loc>https://h.example/en-us/a.html</loc></url><url><loc>/en-us/b%20c.html</loc></url></urlset>".to_string(),
        ),
    ];
    for (rel, text) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
}

#[test]
fn a_sound_site_passes() {
    let tmp = tempfile::tempdir().expect("tempdir");
    sound_site(tmp.path());
    let report = sitecheck::check(tmp.path());
    assert!(report.is_ok(), "{}", report.summary(20));
    assert_eq!(report.pages, 5);
    assert_eq!(report.fragments, 3, "{}", report.summary(5));
    assert_eq!(report.sitemap_urls, 2);
}

/// Writes `rel` over the sound site and returns the failures of `check`.
fn breaking(rel: &str, text: &str, check: &str) -> Vec<String> {
    let tmp = tempfile::tempdir().expect("tempdir");
    sound_site(tmp.path());
    let path = tmp.path().join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
    let report = sitecheck::check(tmp.path());
    let failing = report.failing(check).to_vec();
    assert!(
        !failing.is_empty(),
        "`{check}` did not fire:\n{}",
        report.summary(5)
    );
    failing
}

#[test]
fn each_check_fires_on_what_it_guards() {
    let body = |b: &str| page("en-US", "ltr", "", b);
    breaking(
        "en-us/r.html",
        &body("<span data-ttu-id=\"1\">x</span>"),
        "residue",
    );
    breaking(
        "en-us/r.html",
        &body("<span class=\"sxs-lookup\">x</span>"),
        "residue",
    );
    breaking("static/x.js", "var s = 'data-stu-id';", "residue");
    breaking("en-us/l.html", "<html><title>T</title></html>", "lang");
    breaking("en-us/l.html", &page("he-IL", "ltr", "", ""), "lang");
    breaking("en-us/l.html", &page("en-US", "rtl", "", ""), "lang");
    breaking(
        "en-us/t.html",
        &page("en-US", "ltr", "", "").replace(">T<", "> <"),
        "title",
    );
    breaking(
        "en-us/k.html",
        &body("<a href=\"nowhere.html\">x</a>"),
        "links",
    );
    breaking(
        "en-us/k.html",
        &body("<img src=\"../media/none.png\">"),
        "links",
    );
    breaking(
        "en-us/k.html",
        &body("<a href=\"b%2520c.html\">x</a>"),
        "links",
    );
    breaking(
        "en-us/f.html",
        &body("<a href=\"a.html#nope\">x</a>"),
        "anchors",
    );
    breaking("en-us/f.html", &body("<a href=\"#nope\">x</a>"), "anchors");
    breaking(
        "en-us/m.html",
        &body("<p>see [docs](https://x.example/a)</p>"),
        "markdown",
    );
    breaking("en-us/m.html", &body("<p>[next](next.md)</p>"), "markdown");
    breaking(
        "sitemap.xml",
        "<urlset><url><loc>https://h.example/en-us/gone.html</loc></url></urlset>",
        "sitemap",
    );
    breaking(
        "sitemap.xml",
        "<urlset><url><loc>https://h.example/ar-sa/b.html</loc></url></urlset>",
        "sitemap",
    );
}

#[test]
fn hreflang_alternates_must_exist_include_the_page_and_link_back() {
    // ar-sa/a.html no longer lists en-us/a.html: en-us/a.html is not linked back.
    let one_way = "<link rel=\"alternate\" hreflang=\"ar-SA\" href=\"../ar-sa/a.html\">";
    let f = breaking(
        "ar-sa/a.html",
        &page("ar-SA", "rtl", one_way, ""),
        "hreflang",
    );
    assert!(f.iter().any(|m| m.contains("does not link back")), "{f:?}");
    // A page whose alternates leave itself out.
    let other = "<link rel=\"alternate\" hreflang=\"en-US\" href=\"../en-us/a.html\">";
    let f = breaking("ar-sa/c.html", &page("ar-SA", "rtl", other, ""), "hreflang");
    assert!(
        f.iter().any(|m| m.contains("do not include the page")),
        "{f:?}"
    );
    // An alternate to a missing page.
    let gone = "<link rel=\"alternate\" hreflang=\"fr\" href=\"../fr/a.html\">";
    let f = breaking("ar-sa/d.html", &page("ar-SA", "rtl", gone, ""), "hreflang");
    assert!(f.iter().any(|m| m.contains("missing")), "{f:?}");
}

#[test]
fn fallback_pages_are_exempt_from_self_and_reciprocal_alternates() {
    let tmp = tempfile::tempdir().expect("tempdir");
    sound_site(tmp.path());
    // noindex, pointing at the English only: not a translation.
    let head = "<meta name=\"robots\" content=\"NOINDEX\"><link rel=\"alternate\" hreflang=\"en-US\" href=\"../en-us/a.html\">";
    std::fs::write(
        tmp.path().join("ar-sa/e.html"),
        page("ar-SA", "rtl", head, ""),
    )
    .expect("write");
    let report = sitecheck::check(tmp.path());
    assert!(report.is_ok(), "{}", report.summary(20));
}

#[test]
fn a_sitemap_index_is_followed_into_its_sitemaps() {
    let index = |locs: &[&str]| {
        let entries: String = locs
            .iter()
            .map(|l| format!("<sitemap><loc>{l}</loc></sitemap>"))
            .collect();
        format!("<sitemapindex>{entries}</sitemapindex>")
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    sound_site(tmp.path());
    std::fs::write(
        tmp.path().join("en-us/sitemap.xml"),
        "<urlset><url><loc>https://h.example/en-us/a.html</loc></url></urlset>",
    )
    .expect("write");
    std::fs::write(
        tmp.path().join("sitemap.xml"),
        index(&["https://h.example/en-us/sitemap.xml"]),
    )
    .expect("write");
    let report = sitecheck::check(tmp.path());
    assert!(report.is_ok(), "{}", report.summary(20));
    assert_eq!(report.sitemap_urls, 1);

    // An index naming a sitemap that is not there.
    breaking("sitemap.xml", &index(&["/ar-sa/sitemap.xml"]), "sitemap");
    // A sitemap of the index naming a page that is not there.
    let tmp = tempfile::tempdir().expect("tempdir");
    sound_site(tmp.path());
    std::fs::write(
        tmp.path().join("en-us/sitemap.xml"),
        "<urlset><url><loc>/en-us/gone.html</loc></url></urlset>",
    )
    .expect("write");
    std::fs::write(
        tmp.path().join("sitemap.xml"),
        index(&["/en-us/sitemap.xml"]),
    )
    .expect("write");
    let report = sitecheck::check(tmp.path());
    assert_eq!(report.failing("sitemap").len(), 1, "{}", report.summary(5));
}
