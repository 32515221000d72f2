//! `helpbook build` on tiny projects, one fixture folder per case
//! (`tests/fixtures/build/<case>/`: book.toml + content/<locale>/…), run as
//! the built binary with the environment cleared. Every successful build is
//! also passed through the offline site checker (`Build::success`).

use crate::support;

use helpbook::diag::Finding;
use support::{text, tree, Page, Project};

/// The findings of lint `name`.
fn of<'f>(findings: &'f [Finding], name: &str) -> Vec<&'f Finding> {
    findings.iter().filter(|f| f.lint == name).collect()
}

/// The `href` of every link inside the article body of `page`.
fn content_hrefs(page: &Page) -> Vec<String> {
    page.attrs(".content a", "href")
}

// --- alerts

#[test]
fn alerts_have_titles_in_the_pages_language() {
    let b = Project::fixture("alerts").build().success();
    for (page, titles) in [
        (
            "sv-se/alerts.html",
            ["Obs!", "Tips", "Viktigt", "Varning", "Försiktighet"],
        ),
        (
            "ja-jp/alerts.html",
            ["注", "ヒント", "重要", "警告", "注意"],
        ),
        (
            "en-us/alerts.html",
            ["Note", "Tip", "Important", "Warning", "Caution"],
        ),
    ] {
        let html = b.html(page);
        let kinds: Vec<String> = html
            .all(".content div.alert")
            .iter()
            .map(|d| d.value().attr("class").unwrap_or("").to_string())
            .collect();
        assert_eq!(
            kinds,
            [
                "alert alert-note",
                "alert alert-tip",
                "alert alert-important",
                "alert alert-warning",
                "alert alert-caution"
            ],
            "{page}"
        );
        assert_eq!(html.texts(".content .alert .alert-title"), titles, "{page}");
        // The marker itself is not shown.
        assert!(!html.html().contains("[!NOTE]"), "{page}");
    }
    let sv = b.html("sv-se/alerts.html");
    assert_eq!(
        sv.texts(".content .alert-tip p:not(.alert-title)"),
        ["Ett tips."]
    );
}

// --- video

#[test]
fn video_from_an_allowed_host_is_a_player_and_others_are_links() {
    let b = Project::fixture("video").build().success();
    let page = b.html("sv-se/video.html");
    assert_eq!(
        page.attrs(".content iframe", "src"),
        ["https://www.youtube.com/embed/abc123"]
    );
    assert_eq!(page.attrs(".content iframe", "title"), ["Video"]);
    // Another host, and an allowed host over plain http: links, not players.
    assert_eq!(
        page.attrs(".content .video-link a", "href"),
        [
            "https://videos.example.net/watch/1",
            "http://www.youtube.com/embed/plain-http"
        ]
    );
    assert!(!page.html().contains("[!VIDEO"));
}

#[test]
fn video_hosts_come_from_book_toml() {
    let b = Project::fixture("video")
        .file(
            "book.toml",
            "[output.html]\nvideo-hosts = [\"videos.example.net\"]\n",
        )
        .build()
        .success();
    let page = b.html("sv-se/video.html");
    assert_eq!(
        page.attrs(".content iframe", "src"),
        ["https://videos.example.net/watch/1"]
    );
    assert_eq!(
        page.attrs(".content .video-link a", "href"),
        [
            "https://www.youtube.com/embed/abc123",
            "http://www.youtube.com/embed/plain-http"
        ]
    );
}

// --- includes

#[test]
fn includes_come_from_the_same_locale_then_the_english() {
    let b = Project::fixture("includes").build().success();
    let sv = text(&b.html("sv-se/guide.html").one(".content"));
    for (want, why) in [
        ("Svenskt delat stycke.", "the locale's own snippet"),
        (
            "Only in English.",
            "the English snippet where the locale has none",
        ),
        ("Före styckena.", "the article's own text"),
        ("Efter styckena.", "text after the failed includes"),
    ] {
        assert!(sv.contains(want), "{why}: {want:?} missing from {sv:?}");
    }
    assert!(
        !sv.contains("English shared snippet."),
        "the English of a snippet the locale has: {sv:?}"
    );
    assert!(!sv.contains("[!INCLUDE"), "{sv:?}");

    let en = text(&b.html("en-us/guide.html").one(".content"));
    assert!(en.contains("English shared snippet."), "{en:?}");
    assert!(en.contains("Only in English."), "{en:?}");
}

#[test]
fn an_include_cycle_is_reported_and_expanded_once() {
    let project = Project::fixture("includes");
    // `Build::run` fails the test if the binary does not finish (a hang).
    let b = project.build().success();
    let sv = text(&b.html("sv-se/guide.html").one(".content"));
    assert_eq!(sv.matches("Cykel A.").count(), 1, "{sv:?}");
    assert_eq!(sv.matches("Cykel B.").count(), 1, "{sv:?}");

    let findings = project.findings();
    let cycles = of(&findings, "include::cycle");
    assert_eq!(cycles.len(), 1, "{findings:#?}");
    assert!(
        cycles[0].file.ends_with("sv-SE/guide.md"),
        "{:?}",
        cycles[0]
    );
    assert!(cycles[0].message.contains("cycle-a.md"), "{:?}", cycles[0]);
}

#[test]
fn a_missing_include_is_reported() {
    let project = Project::fixture("includes");
    let findings = project.findings();
    let missing = of(&findings, "include::missing");
    assert_eq!(missing.len(), 1, "{findings:#?}");
    assert!(missing[0].file.ends_with("sv-SE/guide.md"));
    assert!(missing[0].message.contains("includes/missing.md"));
}

#[test]

fn a_missing_include_is_reported_at_its_line_in_the_file() {
    let findings = Project::fixture("includes").findings();
    let missing = of(&findings, "include::missing");
    assert_eq!(missing.len(), 1, "{findings:#?}");
    // `[!INCLUDE[missing](includes/missing.md)]` is line 17 of sv-SE/guide.md
    // (6 lines of front matter, then the body).
    assert_eq!(
        (missing[0].line, missing[0].column),
        (17, 1),
        "{:?}",
        missing[0]
    );
}

// --- anchors

#[test]
fn english_anchors_are_heading_ids_in_every_language() {
    let b = Project::fixture("anchors").build().success();
    for lang in ["en-us", "sv-se", "ja-jp"] {
        let page = b.html(&format!("{lang}/anchors.html"));
        assert_eq!(page.all(".content h2#set-up").len(), 1, "{lang}");
        assert_eq!(page.all(".content h1#anchors").len(), 1, "{lang}");
        // Links to the anchor, in the same page and from another page.
        assert!(
            content_hrefs(&page).contains(&"#set-up".to_string()),
            "{lang}"
        );
        let other = b.html(&format!("{lang}/other.html"));
        assert_eq!(content_hrefs(&other), ["anchors.html#set-up"], "{lang}");
        // The table of contents links to the same ids.
        let toc = page.attrs(".toc a", "href");
        assert!(toc.contains(&"#set-up".to_string()), "{lang}: {toc:?}");
    }
}

#[test]
fn duplicate_headings_get_unique_ids() {
    let b = Project::fixture("anchors").build().success();
    let ids = b.html("sv-se/anchors.html").attrs(".content h2", "id");
    assert_eq!(ids, ["set-up", "steg", "steg-1"]);
    let ids = b.html("en-us/anchors.html").attrs(".content h2", "id");
    assert_eq!(ids, ["set-up", "steps", "steps-1"]);
}

#[test]
fn japanese_heading_ids_keep_their_letters() {
    let b = Project::fixture("anchors").build().success();
    let page = b.html("ja-jp/anchors.html");
    assert_eq!(
        page.attrs(".content h2", "id"),
        ["set-up", "設定を変更する"]
    );
    // The link to it works (sitecheck decoded and found it): it is there.
    let hrefs = content_hrefs(&page);
    assert!(
        hrefs
            .iter()
            .any(|h| support::sitecheck::percent_decode(h) == "#設定を変更する"),
        "{hrefs:?}"
    );
}

#[test]
fn a_fragment_naming_no_anchor_is_reported_and_dropped() {
    let project = Project::fixture("anchors");
    let b = project.build().success();
    let page = b.html("sv-se/anchors.html");
    let nowhere: Vec<_> = page
        .all(".content a")
        .into_iter()
        .filter(|a| text(a) == "Ingenstans")
        .collect();
    assert_eq!(nowhere.len(), 1);
    assert!(
        !nowhere[0].value().attr("href").unwrap_or("").contains('#'),
        "{}",
        nowhere[0].html()
    );
    let findings = project.findings();
    let broken: Vec<_> = of(&findings, "link::broken")
        .into_iter()
        .filter(|f| f.message.contains("no-such-anchor"))
        .collect();
    assert!(
        broken.iter().any(|f| f.file.ends_with("sv-SE/anchors.md")),
        "{findings:#?}"
    );
}

// --- links

#[test]
fn article_links_go_to_the_page_in_the_same_language() {
    let b = Project::fixture("links").build().success();
    let page = b.html("sv-se/links.html");
    assert_eq!(
        content_hrefs(&page),
        [
            "other.html",
            "sub/deep.html",
            "only-ja.html",
            "https://learn.example.com/sv-se/microsoft-365/admin/setup",
            "https://example.com/page?q=1",
        ]
    );
    assert_eq!(
        content_hrefs(&b.html("sv-se/sub/deep.html")),
        ["../links.html"]
    );
    // An article only Japanese has: the Swedish site has its (fallback) page.
    assert!(b.exists("sv-se/only-ja.html"));
    // The English page links to the English pages, and the locale in link-base is en-us.
    let en = content_hrefs(&b.html("en-us/links.html"));
    assert!(en.contains(&"other.html".to_string()), "{en:?}");
    assert!(
        en.contains(&"https://learn.example.com/en-us/microsoft-365/admin/setup".to_string()),
        "{en:?}"
    );
}

#[test]
fn a_link_to_a_missing_article_keeps_its_text_and_is_reported() {
    let project = Project::fixture("links");
    let b = project.build().success();
    let page = b.html("sv-se/links.html");
    let items = page.texts(".content li");
    assert!(items.contains(&"Borta".to_string()), "{items:?}");
    assert!(
        !page.texts(".content a").contains(&"Borta".to_string()),
        "no link left"
    );
    let findings = project.findings();
    let broken = of(&findings, "link::broken");
    assert!(
        broken
            .iter()
            .any(|f| f.file.ends_with("sv-SE/links.md") && f.message.contains("missing.md")),
        "{findings:#?}"
    );
    // The finding points at the link in the file: its `[`, line 12, column 3.
    let f = broken
        .iter()
        .find(|f| f.file.ends_with("sv-SE/links.md"))
        .expect("finding");
    assert_eq!((f.line, f.column), (12, 3), "{f:?}");
}

#[test]
fn root_relative_links_without_link_base_keep_their_text() {
    let project = Project::fixture("links").file("book.toml", "[book]\ntitle = \"No base\"\n");
    let b = project.build().success();
    let page = b.html("sv-se/links.html");
    assert!(page
        .texts(".content li")
        .contains(&"Administratör".to_string()));
    let hrefs = content_hrefs(&page);
    assert!(
        !hrefs.iter().any(|h| h.contains("microsoft-365")),
        "{hrefs:?}"
    );
    let findings = project.findings();
    assert!(
        of(&findings, "link::root-relative")
            .iter()
            .any(|f| f.message.contains("/microsoft-365/admin/setup")),
        "{findings:#?}"
    );
}

// --- sanitising

#[test]
fn nothing_in_content_runs_in_the_readers_browser() {
    let b = Project::fixture("sanitising").build().success();
    for rel in ["sv-se/evil.html", "en-us/evil.html"] {
        let raw = b.read(rel);
        assert!(!raw.contains("<script>alert"), "{rel}: {raw}");
        let page = b.html(rel);
        // The theme's own script is the only one.
        let scripts = page.all("script");
        assert_eq!(scripts.len(), 1, "{rel}");
        assert!(scripts[0]
            .value()
            .attr("src")
            .is_some_and(|s| s.contains("static/helpbook.")));
        for el in page.all("*") {
            for (name, value) in el.value().attrs() {
                assert!(
                    !name.to_ascii_lowercase().starts_with("on"),
                    "{rel}: event handler {name} on {}",
                    el.html()
                );
                if ["href", "src", "action", "formaction"].contains(&name) {
                    let v: String = value
                        .chars()
                        .filter(|c| !c.is_whitespace() && !c.is_control())
                        .collect::<String>()
                        .to_ascii_lowercase();
                    for scheme in ["javascript:", "vbscript:", "data:"] {
                        assert!(!v.starts_with(scheme), "{rel}: {name}={value:?}");
                    }
                }
            }
        }
        for tag in [
            "svg",
            ".content form",
            "input[type=password]",
            ".content [style]",
        ] {
            assert!(page.all(tag).is_empty(), "{rel}: {tag} survived");
        }
        // Only the iframe of an allowed video host stays.
        assert_eq!(
            page.attrs("iframe", "src"),
            ["https://www.youtube.com/embed/ok"],
            "{rel}"
        );
        // The link texts stay readable.
        let links = page.texts(".content a");
        for t in ["a1", "a2", "a3", "a4", "a5", "md-js", "md-JS", "data"] {
            assert!(
                links.contains(&t.to_string()) || text(&page.one(".content")).contains(t),
                "{rel}: {t}"
            );
        }
    }
}

#[test]
fn template_syntax_and_tags_in_titles_and_text_stay_text() {
    let b = Project::fixture("sanitising").build().success();
    let page = b.html("sv-se/evil.html");
    let title = text(&page.one("title"));
    assert!(
        title.starts_with(
            "</title><script>alert(1)</script> {{ site_title }} {% if true %}yes{% endif %}"
        ),
        "{title:?}"
    );
    assert!(title.ends_with(" · Fixture help"), "{title:?}");
    assert_eq!(
        page.attrs("meta[name=description]", "content"),
        ["\"><script>alert(10)</script>"]
    );
    assert_eq!(page.texts(".content h1"), ["Farligt {{ site_title }}"]);
    let body = text(&page.one(".content"));
    assert!(
        body.contains("Mallar {{ site_title }} och {% if true %}ja{% endif %}."),
        "{body:?}"
    );
    let en = text(&b.html("en-us/evil.html").one(".content"));
    assert!(
        en.contains("Templates {{ site_title }} and {% if true %}yes{% endif %}."),
        "{en:?}"
    );
}

#[test]

fn an_iframe_from_an_unlisted_host_is_removed_entirely() {
    let b = Project::fixture("sanitising").build().success();
    let page = b.html("sv-se/evil.html");
    // Only the allowed player; the evil.example.com iframe leaves no element.
    assert_eq!(page.all(".content iframe").len(), 1);
}

#[test]

fn form_fields_other_than_task_list_checkboxes_are_removed() {
    let b = Project::fixture("sanitising").build().success();
    let page = b.html("sv-se/evil.html");
    let inputs: Vec<String> = page
        .all(".content input")
        .iter()
        .map(|e| e.html())
        .collect();
    assert!(inputs.is_empty(), "{inputs:?}");
}

#[test]
fn task_list_checkboxes_stay() {
    let b = Project::fixture("sanitising")
        .file(
            "content/sv-SE/tasks.md",
            "---\ntitle: Uppgifter\n---\n# Uppgifter\n\n- [x] Klar\n- [ ] Inte klar\n",
        )
        .build()
        .success();
    let page = b.html("sv-se/tasks.html");
    assert_eq!(page.all(".content input[type=checkbox]").len(), 2);
    assert_eq!(page.all(".content input[type=checkbox][checked]").len(), 1);
}

// --- articles whose names the site uses itself

#[test]

fn an_article_named_index_keeps_its_page() {
    // The corpus has one: zh-CN/index.md, "Alchemy Insights 主页".
    let b = Project::fixture("alerts")
        .file(
            "content/sv-SE/index.md",
            "---\ntitle: Startsida\n---\n# Startsida\n\nVälkommen till hjälpen.\n",
        )
        .build()
        .success();
    let index = b.html("sv-se/index.html");
    let link = index
        .all(".article-list a")
        .into_iter()
        .find(|a| text(a) == "Startsida")
        .and_then(|a| a.value().attr("href").map(str::to_string))
        .expect("the index lists the article");
    let target = b.html(&format!("sv-se/{link}"));
    assert!(
        text(&target.one("main")).contains("Välkommen till hjälpen."),
        "the index links the article to {link}, which does not show it"
    );
}

// --- fallback pages

#[test]
fn a_missing_translation_is_the_english_with_a_banner_in_the_pages_language() {
    let b = Project::fixture("fallback").build().success();
    let page = b.html("ja-jp/b.html");
    assert_eq!(page.attrs("html", "lang"), ["ja-JP"]);
    assert_eq!(
        page.texts(".banner-fallback"),
        ["この記事はまだ日本語に翻訳されていません。英語の原文を表示しています。"]
    );
    assert_eq!(page.attrs("article", "lang"), ["en-US"]);
    assert!(text(&page.one(".content")).contains("Text of B."));
    assert_eq!(page.attrs("meta[name=robots]", "content"), ["noindex"]);
    assert_eq!(
        page.attrs("link[rel=canonical]", "href"),
        ["../en-us/b.html"]
    );
    assert!(b.exists("en-us/b.html"));
    assert!(
        page.all("link[rel=alternate]").is_empty(),
        "not a translation"
    );

    // The real translations list each other, not the fallback: in the
    // sitemaps, where article alternates live, not in every page's head.
    let sv = b.html("sv-se/b.html");
    assert!(sv.all("link[rel=alternate]").is_empty());
    let sv_map = b.read("sv-se/sitemap.xml");
    let b_entry = sv_map
        .split("<url>")
        .find(|u| u.contains("<loc>/sv-se/b.html</loc>"))
        .expect("sv-se/b.html in its sitemap");
    let hreflangs: Vec<&str> = b_entry
        .split("hreflang=\"")
        .skip(1)
        .filter_map(|r| r.split('"').next())
        .collect();
    assert_eq!(hreflangs, ["en-US", "sv-SE"], "{b_entry}");
    assert!(sv.all(".banner-fallback").is_empty());
    // The switcher is a link to the article's chooser, carrying the page's
    // words for a missing translation for the script's menu.
    assert_eq!(
        sv.attrs(".language-switcher a", "href"),
        ["../languages/b.html"]
    );
    assert_eq!(
        sv.attrs(".language-switcher a", "data-missing"),
        ["Inte översatt"]
    );
    // The chooser, one page for every language, marks Japanese as lacking
    // it, in Japanese, and links to its fallback page.
    let chooser = b.html("languages/b.html");
    let ja_entry: Vec<String> = chooser
        .all(".language-list li.missing")
        .iter()
        .map(text)
        .collect();
    assert_eq!(ja_entry, ["日本語 (未翻訳)"]);
    assert_eq!(
        chooser.attrs(".language-list li.missing a", "href"),
        ["../ja-jp/b.html"]
    );
    assert_eq!(
        chooser.attrs(".language-list a", "hreflang"),
        ["en-US", "ja-JP", "sv-SE"]
    );
    assert_eq!(chooser.attrs("meta[name=robots]", "content"), ["noindex"]);
    // The sitemaps list no fallback page, neither in Japanese's own
    // sitemap nor as an alternate in Swedish's.
    let ja = b.read("ja-jp/sitemap.xml");
    assert!(!ja.contains("ja-jp/b.html"), "{ja}");
    let sv_map = b.read("sv-se/sitemap.xml");
    assert!(!sv_map.contains("ja-jp/b.html"), "{sv_map}");
    assert!(sv_map.contains("<loc>/sv-se/b.html</loc>"), "{sv_map}");
    // The index marks it.
    let index = b.html("ja-jp/index.html");
    assert_eq!(index.all(".badge-missing").len(), 1);
}

#[test]
fn machine_translation_gets_its_banner() {
    let b = Project::fixture("fallback").build().success();
    let ja = b.html("ja-jp/a.html");
    assert_eq!(ja.all(".banner-mt").len(), 1);
    assert_eq!(ja.attrs(".banner-mt a", "href"), ["../en-us/a.html"]);
    // The link names the English's language as the English page does.
    assert_eq!(ja.attrs(".banner-mt a", "hreflang"), ["en-US"]);
    assert_eq!(b.html("en-us/a.html").attrs("html", "lang"), ["en-US"]);
    assert!(b.html("sv-se/a.html").all(".banner-mt").is_empty());
}

// --- right-to-left

#[test]
fn right_to_left_languages_get_dir_rtl() {
    let b = Project::fixture("rtl").build().success();
    for (slug, tag) in [
        ("ar-sa", "ar-SA"),
        ("he-il", "he-IL"),
        ("sv-se", "sv-SE"),
        ("en-us", "en-US"),
    ] {
        let want = helpbook::locale::direction(tag);
        for rel in ["page.html", "index.html", "404.html"] {
            let page = b.html(&format!("{slug}/{rel}"));
            assert_eq!(page.attrs("html", "dir"), [want], "{slug}/{rel}");
            assert_eq!(page.attrs("html", "lang"), [tag], "{slug}/{rel}");
        }
        let page = b.html(&format!("{slug}/page.html"));
        assert_eq!(page.attrs("article", "dir"), [want], "{slug}");
    }
    assert_eq!(helpbook::locale::direction("ar-SA"), "rtl");
    assert_eq!(helpbook::locale::direction("he-IL"), "rtl");
    assert_eq!(b.html("ar-sa/page.html").texts(".alert-title"), ["ملاحظة"]);
}

// --- the build folder

#[test]
fn a_non_empty_foreign_build_folder_is_refused_and_left_untouched() {
    let project = Project::fixture("alerts")
        .file("site/notes.txt", "my own notes\n")
        .file("site/sub/keep.html", "<p>mine</p>\n");
    let before = tree(&project.root().join("site"));
    let b = project.build().exit(2);
    assert!(b.stderr().contains("refusing"), "{}", b.stderr());
    assert_eq!(tree(&project.root().join("site")), before);
    let mut names: Vec<String> = std::fs::read_dir(project.root())
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["book.toml", "content", "site"],
        "nothing left beside it"
    );
}

#[test]
fn an_interrupted_build_leaves_the_previous_site() {
    let project = Project::fixture("alerts");
    let first = project.build().success();
    let before = tree(&first.site);
    assert!(before.contains_key("sv-se/alerts.html"));

    // A second build that is interrupted before it commits: the staging
    // folder is dropped, as when the process fails half-way.
    let project = project.file(
        "content/sv-SE/new.md",
        "---\ntitle: Ny\n---\n# Ny artikel\n",
    );
    {
        let config = helpbook::config::Config::load(project.root()).expect("config");
        let theme = helpbook::theme::Theme::load(&config.root, &config.theme).expect("theme");
        let staging = helpbook::write::Staging::new(&first.site).expect("staging");
        helpbook::pipeline::build(config, &theme, &[], &staging).expect("build");
        assert!(
            staging.path().join("sv-se/new.html").exists(),
            "the new page was staged"
        );
        // dropped here, without commit
    }
    assert_eq!(tree(&first.site), before, "the previous site is intact");
    let leftovers: Vec<String> = std::fs::read_dir(project.root())
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");

    // And a build that runs to the end replaces the site.
    let second = project.build().success();
    assert!(second.exists("sv-se/new.html"));
}

#[test]
fn a_rebuild_replaces_its_own_site_and_removes_stale_pages() {
    let project = Project::fixture("fallback");
    let b = project.build().success();
    assert!(b.exists("sv-se/b.html"));
    let project = project.remove("content/sv-SE/b.md");
    let b = project.build().success();
    assert!(
        !b.exists("sv-se/b.html"),
        "a page of a removed article is gone"
    );
    assert!(b.exists(".helpbook-site"));
}

/// A site written into the content folder would be read back as content
/// by the next build (or, as the folder itself, replace it): `--dest` and
/// `build-dir` there are refused, naming the option, and nothing is written.
#[test]
fn a_site_inside_the_content_folder_is_refused() {
    let project = Project::fixture("fallback");
    for dest in ["content/site", "content/sv-SE/site", "content"] {
        let b = project.build_with(&["--dest", dest]).exit(2);
        let stderr = String::from_utf8_lossy(&b.output.stderr);
        assert!(
            stderr.contains(&format!(
                "--dest {dest}: refusing to write inside the content folder"
            )),
            "{dest}: {stderr}"
        );
    }
    assert!(!project.root().join("content/site").exists());
    assert!(!project.root().join("content/sv-SE/site").exists());
    let moved = project.file("book.toml", "[build]\nbuild-dir = \"content/out\"\n");
    let b = moved.build().exit(2);
    let stderr = String::from_utf8_lossy(&b.output.stderr);
    assert!(
        stderr.contains("[build] build-dir ")
            && stderr.contains("content/out: refusing to write inside the content folder"),
        "{stderr}"
    );
    assert!(!moved.root().join("content/out").exists());

    // A bare folder of locale folders has no project folder for `site/`.
    let mut cmd = support::helpbook(moved.root());
    cmd.args(["build", "content"]);
    let out = support::run(cmd);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr
            .contains("holds the locale folders itself; say where to write the site with --dest D"),
        "{stderr}"
    );
    assert!(!moved.root().join("content/site").exists());
}

/// A site folder that is a checkout of the branch it is published from
/// (`git clone -b gh-pages … out`): its `.git` and other dot entries at the
/// top survive every build and `clean`; the site's own files are replaced,
/// and `[output.html] cname` writes the `CNAME` GitHub Pages reads.
#[test]
fn a_checkout_in_the_site_folder_survives_builds_and_clean() {
    let project = Project::fixture("fallback");
    let out = project.root().join("out");
    std::fs::create_dir_all(out.join(".git")).expect("mkdir");
    std::fs::write(out.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").expect("write");
    project.build_with(&["--dest", "out"]).exit(0);
    std::fs::write(out.join(".nojekyll"), "").expect("write");
    std::fs::write(out.join("stale.html"), "old").expect("write");
    std::fs::write(out.join("CNAME"), "help.example.com\n").expect("write");
    project.build_with(&["--dest", "out"]).exit(0);
    assert!(out.join(".git/HEAD").is_file() && out.join(".nojekyll").is_file());
    assert!(out.join("index.html").is_file());
    assert!(
        !out.join("stale.html").exists(),
        "the site is replaced whole"
    );
    assert!(!out.join("CNAME").exists(), "a CNAME by hand too");
    // The custom domain is the project's: `cname` writes it.
    std::fs::write(
        project.root().join("book.toml"),
        "[build]\nbuild-dir = \"out\"\n[output.html]\ncname = \"help.example.com\"\n",
    )
    .expect("write");
    project.build_with(&[]).exit(0);
    assert_eq!(
        std::fs::read_to_string(out.join("CNAME")).expect("CNAME"),
        "help.example.com\n"
    );

    std::fs::write(
        project.root().join("book.toml"),
        "[build]\nbuild-dir = \"out\"\n",
    )
    .expect("write");
    let mut cmd = support::helpbook(project.root());
    cmd.arg("clean");
    let cleaned = support::run(cmd);
    assert_eq!(cleaned.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&cleaned.stderr);
    assert!(stderr.contains("keeping .git, .nojekyll"), "{stderr}");
    let mut left: Vec<_> = std::fs::read_dir(&out)
        .expect("ls")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, [".git", ".nojekyll"]);
    assert_eq!(
        std::fs::read_to_string(out.join(".git/HEAD")).expect("kept"),
        "ref: refs/heads/gh-pages\n"
    );
}

/// The other way round: a content folder inside the site's folder would go
/// with it, as a build replaces the folder whole (and `clean` removes it).
/// Both refuse, and the content stays.
#[test]
fn a_site_folder_holding_the_content_is_refused() {
    let project = Project::fixture("fallback");
    project.build_with(&["--dest", "out"]).exit(0);
    support::copy_tree(
        &project.root().join("content"),
        &project.root().join("out/content"),
    );
    std::fs::write(project.root().join("out/content/NOTES.txt"), "mine").expect("write");
    let b = project
        .build_with(&["--content", "out/content", "--dest", "out"])
        .exit(2);
    let stderr = String::from_utf8_lossy(&b.output.stderr);
    assert!(
        stderr.contains("--dest out: the content folder out/content is inside it"),
        "{stderr}"
    );
    let mut cmd = support::helpbook(project.root());
    cmd.args(["clean", "--content", "out/content"]);
    std::fs::write(
        project.root().join("book.toml"),
        "[build]\nbuild-dir = \"out\"\n",
    )
    .expect("write");
    let out = support::run(cmd);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the content folder out/content is inside it"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(project.root().join("out/content/NOTES.txt")).expect("kept"),
        "mine"
    );
}

// --- exit status and output formats

#[test]
fn strict_turns_warnings_into_exit_1() {
    let links = Project::fixture("links");
    links.build().exit(0);
    let b = links.build_with(&["--strict"]).exit(1);
    assert!(b.exists("sv-se/links.html"), "the site is still written");
    // A project without warnings passes under --strict.
    Project::fixture("alerts").build_with(&["--strict"]).exit(0);
}

#[test]
fn json_summary_counts_pages_languages_and_findings() {
    let b = Project::fixture("links")
        .build_with(&["--format", "json", "--dest", "out"])
        .exit(0);
    let json: serde_json::Value = serde_json::from_str(&b.stdout())
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", b.stdout()));
    assert!(json["dest"].as_str().is_some_and(|d| d.ends_with("out")));
    let langs = json["languages"].as_array().expect("languages");
    let tags: Vec<&str> = langs.iter().filter_map(|l| l["tag"].as_str()).collect();
    assert_eq!(tags, ["en-US", "ja-JP", "sv-SE"]);
    let sum: u64 = langs.iter().filter_map(|l| l["pages"].as_u64()).sum();
    assert_eq!(json["pages"].as_u64(), Some(sum));
    // Four articles (links, other, sub/deep, only-ja), plus index.html and
    // 404.html, in each language.
    assert!(langs.iter().all(|l| l["pages"] == 6), "{json}");
    assert_eq!(json["errors"], 0);
    assert!(json["warnings"].as_u64().is_some_and(|w| w >= 1), "{json}");
    assert!(json["seconds"].is_number());
    assert!(b.exists("sv-se/links.html"));
    let clean: serde_json::Value = serde_json::from_str(
        &Project::fixture("alerts")
            .build_with(&["--format", "json"])
            .exit(0)
            .stdout(),
    )
    .expect("JSON");
    assert_eq!(clean["warnings"], 0, "{clean}");
}

// --- themes (docs/theme.md)

#[test]
fn a_project_theme_overrides_the_default_file_by_file() {
    let b = Project::fixture("alerts")
        .file("book.toml", "[build]\ntheme = \"mine\"\n")
        .file(
            "themes/mine/templates/404.html",
            "{% extends \"base.html\" %}{% block main %}<p class=\"mine\">{{ t.not_found_title }}</p>{% endblock main %}",
        )
        .file(
            "themes/mine/i18n/sv.toml",
            "tip = \"Tipset\"\nnot_found_title = \"Borta\"\n",
        )
        .build()
        .success();
    // The overridden template, with the overridden strings.
    assert_eq!(b.html("sv-se/404.html").texts("p.mine"), ["Borta"]);
    // The overridden table replaces the built-in Swedish as a whole: keys it
    // lacks fall back to English, not to the built-in Swedish.
    let alerts = b.html("sv-se/alerts.html");
    assert_eq!(
        alerts.texts(".alert-title"),
        ["Note", "Tipset", "Important", "Warning", "Caution"]
    );
    // Templates the theme does not have come from the default.
    assert_eq!(alerts.all(".article-layout").len(), 1);
    // Other languages keep the built-in strings.
    assert_eq!(
        b.html("ja-jp/alerts.html").texts(".alert-tip .alert-title"),
        ["ヒント"]
    );
}

#[test]
fn a_missing_theme_or_a_broken_template_stops_the_build_with_exit_2() {
    let b = Project::fixture("alerts")
        .file("book.toml", "[build]\ntheme = \"nowhere\"\n")
        .build()
        .exit(2);
    assert!(
        b.stderr().contains("theme `nowhere` not found"),
        "{}",
        b.stderr()
    );
    assert!(!b.exists("index.html"));

    let b = Project::fixture("alerts")
        .file("themes/default/templates/article.html", "{% if %}\n")
        .build()
        .exit(2);
    assert!(b.stderr().contains("template"), "{}", b.stderr());
    assert!(!b.exists("index.html"));
}

#[test]
fn a_static_file_of_the_theme_is_written_under_its_content_hash() {
    let css = "body { color: rebeccapurple; }\n";
    let b = Project::fixture("alerts")
        .file("themes/default/static/style.css", css)
        .build()
        .success();
    let page = b.html("sv-se/alerts.html");
    let href = page.attrs("link[rel=stylesheet]", "href");
    assert_eq!(href.len(), 1);
    let rel = href[0].strip_prefix("../").expect("relative to the page");
    assert!(
        rel.starts_with("static/style.") && rel.ends_with(".css"),
        "{rel}"
    );
    assert_eq!(b.read(rel), css);
}

// --- images

#[test]
fn an_image_used_by_several_locales_is_copied_once() {
    let bytes = "not really a PNG, but the same bytes in both locales";
    let b = Project::fixture("alerts")
        .file("content/sv-SE/media/pic.png", bytes)
        .file("content/ja-JP/media/pic.png", bytes)
        .file(
            "content/sv-SE/pic.md",
            "---\ntitle: Bild\n---\n# Bild\n\n![bild](media/pic.png)\n",
        )
        .file(
            "content/ja-JP/pic.md",
            "---\ntitle: 画像\n---\n# 画像\n\n![画像](media/pic.png)\n",
        )
        .build()
        .success();
    let media: Vec<String> = tree(&b.site)
        .into_keys()
        .filter(|k| k.starts_with("media/"))
        .collect();
    assert_eq!(media.len(), 1, "{media:?}");
    for page in ["sv-se/pic.html", "ja-jp/pic.html"] {
        assert_eq!(
            b.html(page).attrs(".content img", "src"),
            [format!("../{}", media[0])],
            "{page}"
        );
    }
    assert_eq!(b.read(&media[0]), bytes);
}

// --- empty link text

#[test]
fn empty_link_text_is_filled_with_the_english_link_text() {
    let project = Project::fixture("empty-link-text");
    let b = project.build().success();
    let page = b.html("sv-se/support.html");
    let html = page.html();
    // The link with the same URL in the English of the sentence gives its
    // text, marked as English.
    assert!(
        html.contains(
            r#"<a href="https://support.example.com/contact"><span lang="en-US">Microsoft Support</span></a>"#
        ),
        "{html}"
    );
    assert!(
        html.contains(
            r#"<a href="https://example.com/privacy"><span lang="en-US">privacy statement</span></a>"#
        ),
        "{html}"
    );
    // Translated link text stays as it is.
    assert!(
        html.contains(r#"<a href="https://example.com/terms">villkoren</a>"#),
        "{html}"
    );
    // No English link to match (other URLs, more than one): left as it was.
    assert!(
        html.contains(r#"<a href="https://example.com/a"></a>"#),
        "{html}"
    );
    // Filled or not, the translation still lacks the text: each sentence
    // is reported.
    assert_eq!(
        of(&project.findings(), "markup::empty-link-text").len(),
        3,
        "{:?}",
        project.findings()
    );
}

// --- CJK sentence spacing

#[test]
fn a_space_between_chinese_sentences_is_dropped() {
    let b = Project::fixture("cjk-spaces").build().success();
    let html = b.html("zh-cn/spaces.html").html();
    // After a full-width stop and before Chinese: gone, across the
    // segment spans and the bold that starts the next sentence.
    assert!(
        html.contains(
            r#"<span data-s="1">打开设置。</span><span data-s="2">选择<strong>帐户</strong>。</span><span data-s="3">完成！</span> <span data-s="4">Office 365 已就绪。</span>"#
        ),
        "{html}"
    );
    // Before Latin text (kept above), or after a comma: kept.
    assert!(html.contains("你好， 世界。"), "{html}");
}

/// `sitemap.xml` is a sitemap index naming one sitemap per language, each
/// listing only its language's pages (with the other languages as
/// alternates); `robots.txt` names the index only when `site-url` says
/// where it is.
#[test]
fn the_sitemap_index_names_one_sitemap_per_language() {
    let b = Project::fixture("fallback").build().success();
    let index = b.read("sitemap.xml");
    assert!(index.contains("<sitemapindex"), "{index}");
    let locs: Vec<&str> = index
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<loc>")?.strip_suffix("</loc>"))
        .collect();
    assert_eq!(
        locs,
        [
            "/en-us/sitemap.xml",
            "/ja-jp/sitemap.xml",
            "/sv-se/sitemap.xml"
        ]
    );
    let sv = b.read("sv-se/sitemap.xml");
    assert!(sv.contains("<urlset"), "{sv}");
    let own: Vec<&str> = sv
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<loc>")?.strip_suffix("</loc>"))
        .collect();
    assert!(
        !own.is_empty() && own.iter().all(|l| l.starts_with("/sv-se/")),
        "{own:?}"
    );
    assert!(
        sv.contains("hreflang=\"en-US\" href=\"/en-us/b.html\""),
        "{sv}"
    );
    assert!(!b.exists("robots.txt"), "no site-url, no robots.txt");

    let b = Project::fixture("fallback")
        .file(
            "book.toml",
            "[book]\ntitle = \"Fixture help\"\n[output.html]\nsite-url = \"https://help.example.com/\"\n",
        )
        .build()
        // Absolute alternates are not local links for sitecheck: exit 0 only.
        .exit(0);
    assert_eq!(
        b.read("robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://help.example.com/sitemap.xml\n"
    );
    assert!(b
        .read("sitemap.xml")
        .contains("<loc>https://help.example.com/ja-jp/sitemap.xml</loc>"));
}
