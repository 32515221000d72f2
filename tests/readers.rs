//! Pages for readers in every language: links the translation broke shown
//! repaired (and reported), sentences shown on their own with the context
//! of their block, dates in the page's language.

use crate::support;

use support::Project;

fn of<'a>(findings: &'a [helpbook::diag::Finding], lint: &str) -> Vec<&'a helpbook::diag::Finding> {
    findings.iter().filter(|f| f.lint == lint).collect()
}

// --- Links the translation broke (`] (url`, `]( url`, a lost `[` or `)`)

#[test]
fn broken_links_are_repaired_on_the_page_and_reported() {
    let project = Project::fixture("broken-links");
    let b = project.build().success();
    let html = b.html("sv-se/quota.html").html();
    // `**Lagring**] ( https://…)`: the `[` is in another block; the URL is
    // the link's text.
    assert!(
        html.contains(r#"<strong>Lagring</strong> <a href="https://o.example/storage">https://o.example/storage</a> eller så."#),
        "{html}"
    );
    // `[Importera information] (https://…` with no `)`.
    assert!(
        html.contains(r#"<a href="https://s.example/import-b4a6">Importera information</a>"#),
        "{html}"
    );
    // `[här]( https://…(v=exchg.141) .`: the URL keeps its parentheses.
    assert!(
        html.contains(r#"<a href="https://d.example/ff959225(v=exchg.141)">här</a> ."#),
        "{html}"
    );
    let article = b.html("sv-se/quota.html").texts("main");
    for text in article {
        assert!(!text.contains("](") && !text.contains("] ("), "{text}");
    }
    let findings = project.findings();
    let places: Vec<(usize, usize)> = of(&findings, "markup::broken-link")
        .iter()
        .map(|f| (f.line, f.column))
        .collect();
    assert_eq!(places.len(), 3, "{findings:?}");
    assert_eq!(places, [(8, 4), (10, 3), (12, 1)]);
}

// --- Sentences shown on their own (Show English, side-by-side rows)

/// The Show English data of a page: each pair's English, rendered.
fn show_english(js: &str) -> Vec<String> {
    let json = js
        .trim()
        .strip_prefix("helpbookEnglish(")
        .and_then(|j| j.strip_suffix(");"))
        .expect("helpbookEnglish(…);");
    serde_json::from_str(&json.replace("<\\/", "</")).expect("a JSON array")
}

#[test]
fn sentences_on_their_own_keep_the_context_of_their_block() {
    let b = Project::fixture("segment-context").build().success();
    let english = show_english(&b.read("sv-se/settings.en.js"));
    let sxs = b.html("sv-se/settings.sxs.html");
    let cell = |class: &str| -> Vec<String> {
        sxs.all(&format!("td.{class}"))
            .iter()
            .map(|td| td.inner_html())
            .collect()
    };
    let (targets, sources) = (cell("sxs-target"), cell("sxs-source"));
    assert_eq!(english, sources, "Show English and the rows agree");
    // A menu path's `>` that follows the sentence before on its line is a
    // separator, not a quote and not text of the sentence shown alone.
    assert_eq!(
        english[2],
        "<strong>View all</strong> &gt; <strong>Mail</strong>."
    );
    assert_eq!(
        targets[2],
        "<strong>Visa alla</strong> &gt; <strong>E-post</strong>."
    );
    // The same for a dash.
    assert_eq!(english[4], "As an administrator you can set them.");
    assert_eq!(targets[4], "Som administratör kan du ange dem.");
    // A hard break's backslash is not text.
    assert_eq!(english[5], "Select <strong>Buy licenses</strong>.");
    assert_eq!(targets[5], "Välj <strong>Köp licenser</strong>.");
    // A quote's continuation line loses its `>`.
    assert_eq!(english[7], "The first line\nand the second.");
    assert_eq!(targets[7], "Den första raden\noch den andra.");
    // `7.` after other text on its line is a date, not a list item.
    assert_eq!(targets[9], "7. april slutar det.");
    // The page itself shows the markers that are text in it.
    let page = b.html("sv-se/settings.html").html();
    assert!(
        page.contains(r#"<span data-s="2">&gt; <strong>Visa alla</strong>"#),
        "{page}"
    );
}

// --- Dates in the page's language

#[test]
fn hand_off_dates_read_in_the_page_language() {
    let b = Project::fixture("rtl").build().success();
    for (page, text) in [
        ("ar-sa/page.html", "١٥ يناير ٢٠٢٦"),
        ("he-il/page.html", "15 בינואר 2026"),
        ("sv-se/page.html", "15 januari 2026"),
    ] {
        let html = b.html(page);
        let time = html.one("footer.article-meta time");
        assert_eq!(time.value().attr("datetime"), Some("2026-01-15"), "{page}");
        assert_eq!(support::text(&time), text, "{page}");
    }
}

// --- The language index: jump links (and the filter box, in the browser)

/// A project of `n` Swedish articles whose titles start with A…Z, Ä and Ö.
fn long_index(n: usize) -> Project {
    let initials = [
        "Arkiv",
        "Bilagor",
        "Dela",
        "Exportera",
        "Filer",
        "Grupper",
        "Hitta",
        "Importera",
        "Kalender",
        "Logga in",
        "Mappar",
        "Notiser",
        "Outlook",
        "Profiler",
        "Regler",
        "Skriv ut",
        "Teams",
        "Uppdatera",
        "Visa",
        "Zooma",
        "Ändra",
        "Öppna",
    ];
    let mut project = Project::empty().file("book.toml", "[book]\ntitle = \"Index\"\n");
    for i in 0..n {
        let title = format!("{} {}", initials[i % initials.len()], i);
        project = project.file(
            &format!("content/sv-SE/a{i:03}.md"),
            &format!(
                "---\ntitle: {title}\nms.contentlocale: sv-SE\n---\n# <span data-ttu-id=\"x-{i}\">{title}</span><span class=\"sxs-lookup\"><span data-stu-id=\"x-{i}\">Title {i}</span></span>\n"
            ),
        );
    }
    project
}

#[test]
fn a_long_index_has_jump_links_by_initial() {
    let b = long_index(44).build().success();
    let page = b.html("sv-se/index.html");
    let labels = page.texts(".jump-links a");
    assert_eq!(labels.len(), 22, "{labels:?}");
    assert_eq!(labels[..3], ["A", "B", "D"]);
    assert_eq!(labels[labels.len() - 3..], ["Z", "Ä", "Ö"]);
    // Each link leads to the first title of its initial.
    for (href, label) in page.attrs(".jump-links a", "href").iter().zip(&labels) {
        let target = page.one(&format!("li{href}"));
        assert!(support::text(&target).starts_with(label.as_str()), "{href}");
    }
    // A title with white space before it sorts by its first letter, as
    // its jump link does: no second `Z` before the `A`.
    let b = long_index(44)
        .file(
            "content/sv-SE/spaced.md",
            "---\ntitle: \" Zooma ut\"\nms.contentlocale: sv-SE\n---\n# <span data-ttu-id=\"s-1\">Zooma ut</span><span class=\"sxs-lookup\"><span data-stu-id=\"s-1\">Zoom out</span></span>\n",
        )
        .build()
        .success();
    let spaced = b.html("sv-se/index.html");
    assert_eq!(spaced.texts(".jump-links a"), labels);
    let titles = spaced.texts(".article-list > li");
    assert!(titles[0].starts_with("Arkiv"), "{titles:?}");
    // The filter box is there for the script, hidden without it.
    assert!(page.one(".index-filter").value().attr("hidden").is_some());
    // A short index has none.
    let b = long_index(5).build().success();
    assert!(b.html("sv-se/index.html").all(".jump-links").is_empty());
}

#[test]
fn readers_pages_in_a_real_browser() {
    if !support::browser_available() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let example = tmp.path().join("example");
    support::build_site(support::repo(), &example, &[]);
    let index = long_index(44).build().success();
    support::run_browser_script(
        "readers.mjs",
        &[example.as_os_str(), index.site.as_os_str()],
    );
}
