//! Drift as readers and translators see it (DESIGN §6): the side-by-side
//! page lists every sentence of the English of record with its state
//! (current, changed with the old English and a word difference, new,
//! removed), the outdated banner counts exactly its changed and new rows,
//! and Show English labels the English a stale sentence was translated
//! from. Fixtures built with the binary, and a sample of the real corpus
//! (`../shared/corpus`; skipped, saying why, when it is absent).

use crate::support;

use helpbook::pair::{freshness, English, RowState};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use support::{Page, Project};

const OLD: &str = "01/10/2020";
const NEW: &str = "10/24/2020";

/// An article of one pair per paragraph `(translation, English)`.
fn article(handoff: &str, hash: Option<&str>, pairs: &[(&str, &str)]) -> String {
    let hash = hash.map_or_else(String::new, |h| format!("ms.openlocfilehash: {h}\n"));
    let mut text = format!("---\ntitle: T\n{hash}ms.lasthandoff: {handoff}\n---\n");
    for (i, (t, s)) in pairs.iter().enumerate() {
        text.push_str(&format!(
            "<span data-ttu-id=\"p-{i}\">{t}</span><span class=\"sxs-lookup\">\
             <span data-stu-id=\"p-{i}\">{s}</span></span>\n\n"
        ));
    }
    text
}

/// The newest English of `a.md` (ja-JP) and an older translation (sv-SE):
/// re-tokenised punctuation, one changed word, a removed sentence, a
/// sentence carried as it was, and a new one.
fn drift_project() -> Project {
    Project::empty()
        .file("book.toml", "[book]\ntitle = \"Drift\"\n")
        .file(
            "content/ja-JP/a.md",
            &article(
                NEW,
                None,
                &[
                    ("再有効化", "Click **Reactivate**."),
                    ("適用", "Select **Apply** now."),
                    ("サインイン", "Sign in with your account."),
                    ("設定を開く", "Open the settings page."),
                ],
            ),
        )
        .file(
            "content/sv-SE/a.md",
            &article(
                OLD,
                None,
                &[
                    ("Klicka på **Återaktivera**.", "Click **Reactivate** ."),
                    ("Välj **Spara** nu.", "Select **Save** now."),
                    ("Vänta en minut.", "Wait a minute."),
                    ("Logga in med ditt konto.", "Sign in with your account."),
                ],
            ),
        )
}

fn states(page: &Page) -> Vec<String> {
    page.attrs(".sxs-table tbody tr", "class")
        .iter()
        .map(|c| c.split(' ').next().unwrap_or("").to_string())
        .collect()
}

/// The number in an outdated banner (`2 sentences have changed …`).
fn banner_count(page: &Page) -> Option<usize> {
    let texts = page.texts(".banner-outdated");
    let text = texts.first()?;
    let digits: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

fn changed_and_new(sxs: &Page) -> usize {
    sxs.all(".sxs-table tr.row-changed, .sxs-table tr.row-new")
        .len()
}

#[test]
fn every_english_sentence_has_a_row_with_its_state() {
    let b = drift_project().build().success();
    let sxs = b.html("sv-se/a.sxs.html");
    assert_eq!(
        states(&sxs),
        [
            "row-current",
            "row-changed",
            "row-removed",
            "row-current",
            "row-new"
        ]
    );
    // The headings are in the page's language, the English label too
    // (regression: it was marked English, so read with an English voice).
    assert_eq!(
        sxs.texts("thead th"),
        ["#", "Översättning", "Engelska", "Status"]
    );
    assert!(sxs.all("thead th[lang]").is_empty());
    // Re-tokenised punctuation is the same sentence: current.
    let first = sxs.one("#r-0");
    assert!(support::text(&first).contains("Klicka på Återaktivera."));
    // One changed word: the current English, the old one labelled, and the
    // word difference.
    let changed = sxs.one("#r-1 .sxs-source").inner_html();
    assert!(
        changed.starts_with("Select <strong>Apply</strong> now.<div class=\"sxs-old\">"),
        "{changed}"
    );
    assert_eq!(
        sxs.texts("#r-1 .sxs-old"),
        ["Översatt från: Select Save now."]
    );
    // The label is the page's language inside the English cell
    // (regression: it was read as English, its colon on the wrong side in
    // right-to-left languages).
    assert_eq!(sxs.attrs("#r-1 .sxs-old .label", "lang"), ["sv-SE"]);
    assert_eq!(sxs.attrs("#r-1 .sxs-old .label", "dir"), ["ltr"]);
    assert_eq!(
        sxs.one("#r-1 .sxs-diff").inner_html(),
        "Select <del>Save</del><ins>Apply</ins> now.",
        "the difference of the words a reader reads, not of the Markdown"
    );
    assert_eq!(sxs.texts("#r-1 .sxs-target"), ["Välj Spara nu."]);
    // The removed sentence keeps its translation and old English.
    assert_eq!(sxs.texts("#r-2 .sxs-source"), ["Wait a minute."]);
    assert_eq!(sxs.texts("#r-2 .state"), ["Borttagen från engelskan"]);
    // The new sentence: English, no translation yet.
    assert_eq!(sxs.texts("#r-4 .sxs-source"), ["Open the settings page."]);
    assert_eq!(sxs.texts("#r-4 .sxs-target"), ["Inte översatt än"]);
    // Rows that hold a pair are the pairs, in order (serve's editor).
    assert_eq!(sxs.all("tr[data-pair]").len(), 4);
    assert!(sxs.one("#r-4").value().attr("data-pair").is_none());
    // Changes link to each other, with no script: the banner to the first,
    // each change to the next; the English sentence on the English page.
    assert_eq!(sxs.attrs(".first-change", "href"), ["#r-1"]);
    assert_eq!(sxs.attrs("#r-1 .next-change", "href"), ["#r-4"]);
    assert!(sxs.all("#r-4 .next-change").is_empty());
    assert!(sxs.attrs("#r-4 a[hreflang=en-US]", "href")[0].ends_with("/en-us/a.html#s-3"));
    // The filter is there for the script to show.
    assert_eq!(
        sxs.attrs(".sxs-filter button", "data-filter"),
        ["all", "changed", "new", "untranslated"]
    );
}

#[test]
fn the_banner_counts_the_changed_and_new_rows() {
    let b = drift_project().build().success();
    let sxs = b.html("sv-se/a.sxs.html");
    let page = b.html("sv-se/a.html");
    assert_eq!(changed_and_new(&sxs), 2);
    assert_eq!(banner_count(&page), Some(2));
    assert_eq!(banner_count(&sxs), Some(2));
    // The newest copy is the English: no banner, every row current.
    let ja = b.html("ja-jp/a.sxs.html");
    assert_eq!(states(&ja), ["row-current"; 4]);
    assert!(b.html("ja-jp/a.html").all(".banner-outdated").is_empty());
}

/// The English shown in a translation's pages is marked with the source
/// language as `book.toml` names it, wherever it appears: the side-by-side
/// page's English column, the links to the English pages, and the Show
/// English button the script reads it from.
#[test]
fn the_english_is_marked_with_the_source_language() {
    let b = drift_project()
        .file(
            "book.toml",
            "[book]\ntitle = \"Drift\"\nsource-language = \"en-GB\"\n",
        )
        .build()
        .success();
    assert_eq!(b.html("en-gb/a.html").attrs("html", "lang"), ["en-GB"]);
    let sxs = b.html("sv-se/a.sxs.html");
    let columns = sxs.attrs(".sxs-source", "lang");
    assert!(
        !columns.is_empty() && columns.iter().all(|l| l == "en-GB"),
        "{columns:?}"
    );
    let links = sxs.attrs("a[hreflang]", "hreflang");
    assert!(
        !links.is_empty() && links.iter().all(|l| l == "en-GB"),
        "{links:?}"
    );
    let page = b.html("sv-se/a.html");
    assert_eq!(
        page.attrs(".banner-outdated a[hreflang]", "hreflang"),
        ["en-GB"]
    );
    assert_eq!(
        page.attrs("button.show-english", "data-english-lang"),
        ["en-GB"]
    );
}

#[test]
fn the_wavy_mark_legend_shows_only_where_a_sentence_is_marked_stale() {
    // A changed sentence: marked, and its legend shown.
    let b = drift_project().build().success();
    let page = b.html("sv-se/a.html");
    assert!(!page.all(".content .seg-stale").is_empty());
    assert_eq!(page.all(".stale-legend").len(), 1);
    // Only a new sentence in the English: the banner counts it, but no
    // sentence of the page is marked, so no legend.
    let b = Project::empty()
        .file("book.toml", "[book]\ntitle = \"Drift\"\n")
        .file(
            "content/ja-JP/a.md",
            &article(
                NEW,
                None,
                &[("サインイン", "Sign in."), ("設定", "Open the settings.")],
            ),
        )
        .file(
            "content/sv-SE/a.md",
            &article(OLD, None, &[("Logga in.", "Sign in.")]),
        )
        .build()
        .success();
    let page = b.html("sv-se/a.html");
    assert_eq!(banner_count(&page), Some(1));
    assert!(page.all(".content .seg-stale").is_empty());
    assert!(page.all(".stale-legend").is_empty(), "{}", page.html());
}

#[test]
fn show_english_labels_the_english_a_stale_sentence_was_translated_from() {
    let b = drift_project().build().success();
    let data = b.read("sv-se/a.en.js");
    let json = data
        .strip_prefix("helpbookEnglish(")
        .and_then(|d| d.trim_end().strip_suffix(");"))
        .expect("one call");
    let english: Vec<String> = serde_json::from_str(json).expect("a JSON list");
    assert_eq!(english.len(), 4);
    assert_eq!(english[0], "Click <strong>Reactivate</strong> .");
    assert_eq!(
        english[1],
        "<span class=\"seg-en-now\">Select <strong>Apply</strong> now.</span> \
         <span class=\"seg-en-old\"><span class=\"seg-en-label\" lang=\"sv-SE\" dir=\"ltr\">Översatt från:</span> \
         Select <strong>Save</strong> now.</span>"
    );
    assert_eq!(
        english[2],
        "<span class=\"seg-en-old\"><span class=\"seg-en-label\" lang=\"sv-SE\" dir=\"ltr\">Finns inte längre i engelskan. \
         Översatt från:</span> Wait a minute.</span>"
    );
}

#[test]
fn copies_of_one_hash_are_current_row_by_row_and_a_conflict_is_reported() {
    let p = Project::empty()
        .file("book.toml", "[book]\ntitle = \"Hash\"\n")
        // One source (one hash), re-tokenised differently, one copy older.
        .file(
            "content/ja-JP/b.md",
            &article(
                NEW,
                Some("abc"),
                &[("一", "**Note**: done."), ("二", "Go on.")],
            ),
        )
        .file(
            "content/sv-SE/b.md",
            &article(
                OLD,
                Some("abc"),
                &[("Ett", "**Note** : done ."), ("Två", "Go on .")],
            ),
        )
        // Two newest copies with no hash that differ in one word.
        .file(
            "content/et-EE/c.md",
            &article(NEW, None, &[("Üks", "Select Apply."), ("Kaks", "Go on.")]),
        )
        .file(
            "content/ro-RO/c.md",
            &article(NEW, None, &[("Unu", "Select Save."), ("Doi", "Go on.")]),
        );
    let b = p.build().success();
    assert_eq!(states(&b.html("sv-se/b.sxs.html")), ["row-current"; 2]);
    assert!(b.html("sv-se/b.html").all(".banner-outdated").is_empty());
    let conflicts: Vec<String> = p
        .findings()
        .into_iter()
        .filter(|f| f.lint == "article::english-conflict")
        .map(|f| f.file)
        .collect();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert!(conflicts[0].ends_with("ro-RO/c.md"), "{conflicts:?}");
    // The copy that is not the English of record shows its difference.
    let ro = b.html("ro-ro/c.sxs.html");
    assert_eq!(states(&ro), ["row-changed", "row-current"]);
    assert_eq!(banner_count(&b.html("ro-ro/c.html")), Some(1));
}

/// The rows in the library, on the same fixture: the pair and the English
/// sentence of each.
#[test]
fn rows_pair_each_english_sentence_once() {
    let parse = |locale: &str, text: String| {
        helpbook::parse::article(locale, "a.md", &format!("{locale}/a.md"), text.as_bytes())
    };
    let new = parse(
        "ja-JP",
        article(
            NEW,
            None,
            &[("a", "One."), ("b", "Two changed."), ("c", "Three.")],
        ),
    );
    let old = parse(
        "sv-SE",
        article(
            OLD,
            None,
            &[
                ("a", "One."),
                ("b", "Two."),
                ("x", "Gone away."),
                ("c", "Three."),
            ],
        ),
    );
    let locales: Vec<helpbook::load::Locale> = [&new, &old]
        .iter()
        .map(|a| helpbook::load::Locale {
            tag: a.locale.clone(),
            dir: PathBuf::from(&a.locale),
            articles: vec![(*a).clone()],
        })
        .collect();
    let english = English::rebuild(&locales);
    let f = freshness(&old, english.articles.get("a.md"), &[]);
    let rows: Vec<(RowState, Option<usize>, Option<usize>)> = f
        .rows
        .iter()
        .map(|r| (r.state, r.pair, r.english))
        .collect();
    assert_eq!(
        rows,
        [
            (RowState::Current, Some(0), Some(0)),
            (RowState::Changed, Some(1), Some(1)),
            (RowState::Removed, Some(2), None),
            (RowState::Current, Some(3), Some(2)),
        ]
    );
    assert_eq!((f.changed(), f.new_sentences(), f.removed()), (1, 0, 1));
    assert_eq!(f.to_translate(), 1);
}

fn corpus() -> Option<PathBuf> {
    let dir = support::repo().join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping the corpus sample: {} is absent", dir.display());
        None
    }
}

/// On a sample of the real corpus (every locale's copy of 60 articles, 45
/// of them outdated somewhere), the banner of every article page and of
/// its side-by-side page gives the number of rows marked changed or new.
#[test]
fn corpus_sample_banners_count_the_rows() {
    let (Some(corpus), Some(model)) = (corpus(), support::corpus_model()) else {
        return;
    };
    let mut outdated = BTreeSet::new();
    let mut current = BTreeSet::new();
    for (i, locale) in model.project.locales.iter().enumerate() {
        for a in &locale.articles {
            match model.pairing.of(i, a).map(|f| f.state) {
                Some(helpbook::pair::ArticleState::Outdated) => outdated.insert(a.path.clone()),
                _ => current.insert(a.path.clone()),
            };
        }
    }
    // Every tenth path, so the sample spreads over the corpus.
    let pick = |set: &BTreeSet<String>, n: usize| -> Vec<String> {
        let step = (set.len() / n).max(1);
        set.iter().step_by(step).take(n).cloned().collect()
    };
    let mut paths = pick(&outdated, 45);
    paths.extend(pick(&current, 15));
    let tmp = tempfile::tempdir().expect("tempdir");
    let project = tmp.path().join("sample");
    for locale in &model.project.locales {
        for path in &paths {
            let from = corpus.join(&locale.tag).join(path);
            if from.is_file() {
                let to = project.join(&locale.tag).join(path);
                std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
                std::fs::copy(&from, &to).expect("copy an article");
            }
        }
    }
    let site = tmp.path().join("site");
    support::build_site(&project, &site, &[]);
    let (mut pages, mut with_banner) = (0, 0);
    for locale in &model.project.locales {
        let slug = locale.tag.to_ascii_lowercase();
        for path in &paths {
            let stem = helpbook::render::links::page_file(path);
            let stem = stem.strip_suffix(".html").expect("an .html page");
            let sxs_file = site.join(&slug).join(format!("{stem}.sxs.html"));
            if !sxs_file.is_file() {
                continue;
            }
            let read = |p: &Path| {
                Page(scraper::Html::parse_document(
                    &std::fs::read_to_string(p).expect("a page"),
                ))
            };
            let sxs = read(&sxs_file);
            let page = read(&site.join(&slug).join(format!("{stem}.html")));
            let rows = changed_and_new(&sxs);
            let expected = (rows > 0).then_some(rows);
            assert_eq!(
                banner_count(&page),
                expected,
                "{slug}/{path}: article banner"
            );
            assert_eq!(
                banner_count(&sxs),
                expected,
                "{slug}/{path}: side-by-side banner"
            );
            pages += 1;
            with_banner += usize::from(rows > 0);
        }
    }
    eprintln!("{pages} translated pages of the sample checked, {with_banner} with a banner count");
    assert!(
        with_banner >= 20,
        "{with_banner} pages with changes in the sample"
    );
}

/// The filter, the `n` key, the links between changes without JavaScript
/// and the labelled old English of Show English, in Chromium
/// (`tests/browser/drift.mjs`).
#[test]
fn drift_in_a_real_browser() {
    if !support::browser_available() {
        return;
    }
    let b = drift_project().build().success();
    assert!(b.read("sv-se/a.sxs.html").contains("row-changed"));
    support::run_browser_script("drift.mjs", &[b.site.as_os_str()]);
}
