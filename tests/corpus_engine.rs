//! The engine on real content: every article of every locale of
//! `../shared/corpus` (about 14,500 files). Skips, saying why, when the corpus
//! is absent.
//!
//! Guards against: span markup left in either document; pairs lost or
//! invented (checked per article against an independent count from the raw
//! file, the rule documented in docs/status-json.md); status totals that are
//! not the sum of their locales; articles missed or invented by the walk.

use crate::support::corpus;
use helpbook::pipeline::Model;
use helpbook::status::Report;
use std::collections::BTreeMap;
use std::path::Path;

/// The corpus, loaded once for all tests.
fn loaded() -> Option<&'static Model> {
    crate::support::corpus_model()
}

const LOOKUP: &str = r#"<span class="sxs-lookup"><span data-stu-id="#;

/// The body of a raw file, found without helpbook: everything after the line
/// `---` that closes a front matter opened by `---` on the first line (a BOM
/// and CRs allowed); the whole file when there is no front matter.
fn raw_body(text: &str) -> &str {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let Some(first) = lines.next() else {
        return text;
    };
    if first.trim_end() != "---" {
        return text;
    }
    let mut at = first.len();
    for line in lines {
        at += line.len();
        if line.trim_end() == "---" {
            return &text[at..];
        }
    }
    text
}

/// The independent pair count of one file: sxs-lookup spans that open with
/// a data-stu-id span, in the body.
fn raw_count(path: &Path) -> usize {
    let bytes = std::fs::read(path).expect("corpus file");
    let text = String::from_utf8_lossy(&bytes);
    raw_body(&text).matches(LOOKUP).count()
}

#[test]
fn no_span_markup_left_in_any_document() {
    let Some(model) = loaded() else { return };
    let project = &model.project;
    let mut bad = Vec::new();
    let mut articles = 0;
    for locale in &project.locales {
        for a in &locale.articles {
            articles += 1;
            for (doc, text) in [("target", &a.target), ("source", &a.source)] {
                for needle in ["data-ttu-id", "data-stu-id", "sxs-lookup"] {
                    if text.contains(needle) {
                        bad.push(format!("{}: {doc} has {needle}", a.file));
                    }
                }
                // A stray `</span>` of a translator's slip is not left behind.
                let (open, close) = (
                    text.matches("<span").count(),
                    text.matches("</span>").count(),
                );
                if close > open {
                    bad.push(format!(
                        "{}: {doc} has {close} </span> for {open} <span",
                        a.file
                    ));
                }
            }
        }
    }
    assert!(articles > 14_000, "only {articles} articles");
    assert!(
        bad.is_empty(),
        "{} documents with markup:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

/// pairs = lookups in the raw body − sxs::orphan-source findings
/// (− lookups after an sxs::unterminated, of which the corpus has none).
#[test]
fn pair_counts_agree_with_the_raw_files() {
    let Some(model) = loaded() else { return };
    let project = &model.project;
    let mut per_locale = BTreeMap::new();
    let mut differ = Vec::new();
    for locale in &project.locales {
        let (mut raw, mut pairs, mut orphans) = (0, 0, 0);
        for a in &locale.articles {
            let count = |lint: &str| a.findings.iter().filter(|f| f.lint == lint).count();
            assert_eq!(
                count("sxs::unterminated"),
                0,
                "{}: rule below needs none",
                a.file
            );
            let r = raw_count(&locale.dir.join(&a.path));
            let o = count("sxs::orphan-source");
            if r.checked_sub(o) != Some(a.segments.len()) {
                differ.push(format!(
                    "{}: raw {r} − orphan {o} ≠ pairs {}",
                    a.file,
                    a.segments.len()
                ));
            }
            raw += r;
            orphans += o;
            pairs += a.segments.len();
        }
        per_locale.insert(locale.tag.clone(), (raw, orphans, pairs));
    }
    eprintln!("locale: (raw lookups, orphan sources, pairs) = {per_locale:?}");
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    // The figures docs/status-json.md shows: a change here is a change of the
    // corpus or of the scanner, and the document must follow.
    assert_eq!(per_locale["zh-CN"], (25_343, 0, 25_343));
    assert_eq!(per_locale["et-EE"], (25_259, 0, 25_259));
}

#[test]
fn status_totals_are_the_sum_of_the_locales() {
    let Some(model) = loaded() else { return };
    let theme = helpbook::theme::Theme::load(&model.config().root, "default").expect("theme");
    let summary = helpbook::pipeline::run(
        model,
        &theme,
        &[],
        helpbook::pipeline::Output::None,
        false,
        &Default::default(),
    )
    .expect("stages 1-4");
    let findings = summary.findings;
    let report = Report::new(model, &[], &findings);
    let json = serde_json::to_value(&report).expect("serializes");
    let locales = json["locales"].as_array().expect("locales");
    assert_eq!(locales.len(), 5);
    let totals = json["totals"].as_object().expect("totals");
    for (field, total) in totals {
        let Some(total) = total.as_u64() else {
            continue;
        };
        let sum: u64 = locales.iter().map(|l| l[field].as_u64().unwrap_or(0)).sum();
        assert_eq!(total, sum, "totals.{field}");
    }
    assert_eq!(
        json["findings"]
            .as_object()
            .expect("map")
            .values()
            .map(|v| v.as_u64().unwrap_or(0))
            .sum::<u64>(),
        findings.len() as u64
    );
    for l in locales {
        let n = |f: &str| l[f].as_u64().unwrap_or(u64::MAX);
        assert_eq!(n("current_segments") + n("stale_segments"), n("pairs"));
        assert_eq!(
            n("machine_translated") + n("human_translated"),
            n("articles")
        );
        assert_eq!(
            n("current_articles") + n("outdated_articles") + n("orphan_articles"),
            n("articles")
        );
        assert_eq!(
            n("articles") + n("missing_articles"),
            json["english"]["articles"].as_u64().unwrap_or(0)
        );
    }
}

/// `.md` files below `dir`, not under an `includes` folder, found with std only.
fn count_md(dir: &Path) -> usize {
    let mut n = 0;
    for entry in std::fs::read_dir(dir).expect("readable folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "includes") {
                n += count_md(&path);
            }
        } else if path.extension().is_some_and(|e| e == "md") {
            n += 1;
        }
    }
    n
}

#[test]
fn every_article_file_is_loaded() {
    let Some(model) = loaded() else { return };
    let project = &model.project;
    let Some(dir) = corpus() else { return };
    assert_eq!(project.locales.len(), 5);
    assert!(project.english.is_none());
    for locale in &project.locales {
        assert_eq!(
            locale.articles.len(),
            count_md(&dir.join(&locale.tag)),
            "{}",
            locale.tag
        );
        assert!(locale
            .articles
            .iter()
            .all(|a| !a.path.contains("includes/")));
    }
    assert!(project.findings.is_empty(), "{:?}", project.findings);
}
