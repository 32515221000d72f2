//! The English of record and freshness (stage 3, `src/pair.rs`): one case
//! per rule of "the same sentence" and of choosing the English, a property
//! over subsets and orders of an article's locales, and the same property on
//! the real corpus (`../shared/corpus`; those tests return early, saying
//! why, when it is absent).

use crate::support::corpus_model;
use helpbook::load::Locale;
use helpbook::model::Article;
use helpbook::pair::{freshness, ArticleState, English, Freshness, SegmentState};
use proptest::prelude::*;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// One copy of `a.md` in `locale`: front matter with `handoff` and, when
/// given, `hash`; a body of one paragraph per pair `(translation, English)`.
fn copy(locale: &str, handoff: &str, hash: Option<&str>, pairs: &[(&str, &str)]) -> Article {
    let body: String = pairs
        .iter()
        .enumerate()
        .map(|(i, (t, s))| {
            format!(
                "<span data-ttu-id=\"p-{i}\">{t}</span><span class=\"sxs-lookup\">\
                 <span data-stu-id=\"p-{i}\">{s}</span></span>\n\n"
            )
        })
        .collect();
    let hash = hash.map_or_else(String::new, |h| format!("ms.openlocfilehash: {h}\n"));
    let text = format!("---\ntitle: t\n{hash}ms.lasthandoff: {handoff}\n---\n{body}");
    helpbook::parse::article(locale, "a.md", &format!("{locale}/a.md"), text.as_bytes())
}

fn locales(copies: &[Article]) -> Vec<Locale> {
    let mut out: Vec<Locale> = copies
        .iter()
        .map(|a| Locale {
            tag: a.locale.clone(),
            dir: PathBuf::from(&a.locale),
            articles: vec![a.clone()],
        })
        .collect();
    out.sort_by(|a, b| a.tag.cmp(&b.tag));
    out
}

/// The English rebuilt from `copies`, and each copy's freshness against it.
fn verdicts(copies: &[Article]) -> (English, Vec<Freshness>) {
    let english = English::rebuild(&locales(copies));
    let fresh = copies
        .iter()
        .map(|a| freshness(a, english.articles.get(&a.path), &[]))
        .collect();
    (english, fresh)
}

const OLD: &str = "01/10/2020";
const NEW: &str = "10/24/2020";

#[test]
fn retokenised_punctuation_is_the_same_sentence() {
    let newest = copy(
        "zh-CN",
        NEW,
        None,
        &[("a", "Click **Reactivate**."), ("b", "**Note**: done.")],
    );
    let older = copy(
        "ar-SA",
        OLD,
        None,
        &[("c", "Click **Reactivate** ."), ("d", "**Note** : done .")],
    );
    let (en, f) = verdicts(&[newest, older]);
    assert!(en.conflicts.is_empty());
    assert_eq!(f[1].state, ArticleState::Current);
    assert_eq!(f[1].states, [SegmentState::Current; 2]);
    assert!(f[1].missing.is_empty());
}

#[test]
fn url_locale_is_the_same_sentence() {
    let newest = copy(
        "zh-CN",
        NEW,
        None,
        &[(
            "a",
            "See https://learn.microsoft.com/en-us/azure/x for more.",
        )],
    );
    let older = copy(
        "ja-JP",
        OLD,
        None,
        &[(
            "b",
            "See https://learn.microsoft.com/ja-JP/azure/x for more.",
        )],
    );
    let (_, f) = verdicts(&[newest, older]);
    assert_eq!(f[1].state, ArticleState::Current);
    // Another page is another sentence.
    let newest = copy(
        "zh-CN",
        NEW,
        None,
        &[(
            "a",
            "See https://learn.microsoft.com/en-us/azure/y for more.",
        )],
    );
    let older = copy(
        "ja-JP",
        OLD,
        None,
        &[(
            "b",
            "See https://learn.microsoft.com/ja-JP/azure/x for more.",
        )],
    );
    let (_, f) = verdicts(&[newest, older]);
    assert_eq!(f[1].state, ArticleState::Outdated);
}

#[test]
fn brackets_outside_the_span_are_not_missing() {
    // The de-DE shape: brackets and target outside the span, while the
    // newest copy has them inside.
    let newest = copy(
        "sv-SE",
        NEW,
        None,
        &[(
            "Lägg till",
            "[Add a payment method](https://x.example/a#add)",
        )],
    );
    let text = "---\ntitle: t\nms.lasthandoff: 01/10/2020\n---\n- [<span data-ttu-id=\"p-0\">\
                Zahlungsmethode hinzufügen</span><span class=\"sxs-lookup\"><span data-stu-id=\"p-0\">\
                Add a payment method</span></span>](https://x.example/a#add)\n";
    let older = helpbook::parse::article("de-DE", "a.md", "de-DE/a.md", text.as_bytes());
    assert_eq!(older.segments.len(), 1);
    let (_, f) = verdicts(&[newest, older]);
    assert!(f[1].missing.is_empty(), "{:?}", f[1].missing);
    assert_eq!(f[1].state, ArticleState::Current);
}

#[test]
fn one_changed_word_new_and_removed_sentences() {
    let newest = copy(
        "zh-CN",
        NEW,
        Some("bbbb"),
        &[
            ("a", "Select **Save**."),
            ("b", "Sign in again."),
            ("c", "A new step."),
        ],
    );
    let older = copy(
        "ja-JP",
        OLD,
        Some("aaaa"),
        &[
            ("a", "Select **Cancel**."),
            ("b", "Sign in again."),
            ("x", "An old step."),
        ],
    );
    let (en, f) = verdicts(&[newest, older]);
    assert_eq!(en.articles["a.md"].handoff.map(|d| d.year), Some(2020));
    let f = &f[1];
    assert_eq!(f.state, ArticleState::Outdated);
    // The changed word and the removed sentence are stale, the kept one current.
    assert_eq!(
        f.states,
        [
            SegmentState::Stale,
            SegmentState::Current,
            SegmentState::Stale
        ]
    );
    // The changed sentence and the new one are missing from the translation.
    assert_eq!(f.missing, ["Select **Save**.", "A new step."]);
}

#[test]
fn one_hash_is_one_source_even_when_the_texts_differ() {
    let a = copy(
        "zh-CN",
        NEW,
        Some("6a35"),
        &[("a", "Click **Reactivate**.")],
    );
    let b = copy(
        "ar-SA",
        NEW,
        Some("6a35"),
        &[("b", "Click **Reactivate** .")],
    );
    let c = copy(
        "ja-JP",
        OLD,
        Some("6a35"),
        &[("c", "Click Reactivate, then wait.")],
    );
    let (en, f) = verdicts(&[a, b, c]);
    assert!(en.conflicts.is_empty());
    assert!(f.iter().all(|f| f.state == ArticleState::Current));
}

#[test]
fn newest_copies_that_disagree_with_no_hash_are_a_conflict() {
    let a = copy("zh-CN", NEW, None, &[("a", "Select Save.")]);
    let b = copy("ar-SA", NEW, None, &[("b", "Select Save and close.")]);
    let c = copy("ja-JP", NEW, None, &[("c", "Select Save.")]);
    let (en, f) = verdicts(&[a, b, c]);
    // Most copies say "Select Save."; the other is reported with both texts.
    assert_eq!(en.articles["a.md"].segments, ["Select Save."]);
    assert_eq!(en.conflicts.len(), 1);
    let c = &en.conflicts[0];
    assert_eq!(c.locale, "ar-SA");
    assert_eq!(
        (c.theirs.as_str(), c.ours.as_str()),
        ("Select Save and close.", "Select Save.")
    );
    assert_eq!(f[1].state, ArticleState::Outdated);
    // Two different hashes on the same date: the hashes say they are two
    // sources, and which one is newer is not known.
    let a = copy("zh-CN", NEW, Some("1111"), &[("a", "Select Save.")]);
    let b = copy("ar-SA", NEW, Some("2222"), &[("b", "Select Cancel.")]);
    let (en, _) = verdicts(&[a, b]);
    assert_eq!(en.conflicts.len(), 1);
}

/// A verdict, as every command shows it.
fn verdict(f: &Freshness) -> (ArticleState, usize, usize) {
    (f.state, f.stale(), f.missing.len())
}

/// An article's copies: three of the newest source (one hash, re-tokenised
/// texts, one handed off later than the others), one older source in two
/// copies, and two copies with no hash.
fn family() -> Vec<Article> {
    let newest = [
        ("Select **Save**.", "Sign in again.", "A new step."),
        ("Select **Save**.", "Sign in  again .", "A new step."),
        ("Select __Save__.", "Sign in again.", "A new step ."),
    ];
    let mut out = Vec::new();
    for (i, (tag, date)) in [("zh-CN", NEW), ("ar-SA", NEW), ("ja-JP", "09/01/2020")]
        .iter()
        .enumerate()
    {
        let (a, b, c) = newest[i];
        out.push(copy(
            tag,
            date,
            Some("bbbb"),
            &[("x", a), ("y", b), ("z", c)],
        ));
    }
    for tag in ["de-DE", "fr-FR"] {
        out.push(copy(
            tag,
            OLD,
            Some("aaaa"),
            &[("x", "Select **Cancel**."), ("y", "Sign in again.")],
        ));
    }
    out.push(copy(
        "sv-SE",
        "02/02/2020",
        None,
        &[("y", "Sign in again.")],
    ));
    out.push(copy(
        "et-EE",
        "03/03/2020",
        None,
        &[
            ("x", "Select **Save**."),
            ("y", "Sign in again."),
            ("z", "A new step."),
        ],
    ));
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// For any subset of the locales, in any order, that holds a copy of the
    /// newest source, every copy's verdict is the one the full set gives.
    #[test]
    fn verdicts_do_not_depend_on_which_locales_are_built(
        picks in proptest::collection::vec(any::<bool>(), 7),
        order in Just((0..7usize).collect::<Vec<_>>()).prop_shuffle(),
        newest in 0..2usize,
    ) {
        let all = family();
        let (_, full) = verdicts(&all);
        let mut chosen: Vec<usize> = order.into_iter().filter(|&i| picks[i]).collect();
        if !chosen.contains(&newest) {
            chosen.push(newest);
        }
        let subset: Vec<Article> = chosen.iter().map(|&i| all[i].clone()).collect();
        let (en, fresh) = verdicts(&subset);
        prop_assert!(en.conflicts.is_empty());
        for (k, &i) in chosen.iter().enumerate() {
            prop_assert_eq!(verdict(&fresh[k]), verdict(&full[i]), "copy {}", all[i].locale);
        }
    }
}

#[test]
fn the_family_verdicts() {
    let (en, f) = verdicts(&family());
    let e = &en.articles["a.md"];
    assert_eq!(
        e.segments,
        ["Select **Save**.", "Sign in again.", "A new step."]
    );
    assert_eq!(e.hash.as_deref(), Some("bbbb"));
    let states: Vec<_> = f.iter().map(|f| f.state).collect();
    use ArticleState::{Current, Outdated};
    assert_eq!(
        states,
        [Current, Current, Current, Outdated, Outdated, Outdated, Current]
    );
}

/// (locale, article path) → its state and two of its counts.
type Verdicts = BTreeMap<(String, String), (ArticleState, usize, usize)>;

/// Per locale, per article: its verdict when the locales `set` (indices
/// into `all`) are built.
fn corpus_verdicts(all: &[Locale], set: &[usize]) -> (English, Verdicts) {
    let en = English::rebuild(set.iter().map(|&i| &all[i]));
    let mut out = BTreeMap::new();
    for &i in set {
        for a in &all[i].articles {
            let f = freshness(a, en.articles.get(&a.path), &[]);
            out.insert((all[i].tag.clone(), a.path.clone()), verdict(&f));
        }
    }
    (en, out)
}

/// At most this many corpus articles may have newest-source copies whose
/// sentences differ (measured: 2, both named by the test: a copy with a
/// trailing `\` line break, and a copy with a sentence the others lack).
const MIXED_AT_MOST: usize = 2;

/// On the real corpus: built together, in any pair, or alone, each locale's
/// copy of an article gets the same verdict whenever the set built holds a
/// copy of the article's newest source; and no article whose copies all
/// share hash and hand-off is outdated.
#[test]
fn corpus_verdicts_do_not_depend_on_the_locales_built() {
    let Some(model) = corpus_model() else { return };
    let all = &model.project.locales;
    assert!(all.len() >= 2);
    let every: Vec<usize> = (0..all.len()).collect();
    let (en, full) = corpus_verdicts(all, &every);
    // The model's own pairing is this computation.
    for (i, l) in all.iter().enumerate() {
        for a in &l.articles {
            let f = model.pairing.of(i, a).expect("paired");
            assert_eq!(verdict(f), full[&(l.tag.clone(), a.path.clone())]);
        }
    }
    let of_source = |a: &Article| {
        let e = &en.articles[&a.path];
        e.hash.is_some()
            && a.front.open_loc_file_hash.as_deref().map(str::trim) == e.hash.as_deref()
    };
    // Which locales hold a copy of each article's newest source.
    let holds = |i: usize, path: &str| -> bool {
        let e = &en.articles[path];
        all[i]
            .articles
            .binary_search_by(|a| a.path.as_str().cmp(path))
            .ok()
            .map(|k| &all[i].articles[k])
            .is_some_and(|a| a.handoff() == e.handoff && of_source(a))
    };
    // Whether every copy of the article's newest source writes the same
    // sentences (once normalised, however they are split into pairs): only
    // then is "the newest source" one English whatever subset of its copies
    // is built. The others are named with the first sentence that differs.
    let mut mixed: BTreeMap<&str, String> = BTreeMap::new();
    for l in all {
        for a in &l.articles {
            let e = &en.articles[&a.path];
            if !of_source(a) || mixed.contains_key(a.path.as_str()) {
                continue;
            }
            let keys = helpbook::pair::english_sentence_keys(a);
            if keys != e.keys {
                let at = keys.iter().zip(&e.keys).position(|(x, y)| x != y);
                let why = match at {
                    Some(k) => format!("{}: {:?} / {:?}", a.locale, keys[k], e.keys[k]),
                    None => format!("{}: {} sentences / {}", a.locale, keys.len(), e.keys.len()),
                };
                mixed.insert(a.path.as_str(), why);
            }
        }
    }
    eprintln!(
        "{} articles whose newest-source copies differ in their sentences:",
        mixed.len()
    );
    for (path, why) in &mixed {
        eprintln!("  {path}: {why}");
    }
    assert!(
        mixed.len() <= MIXED_AT_MOST,
        "{} articles left out of the property",
        mixed.len()
    );
    let mut sets: Vec<Vec<usize>> = every.iter().map(|&i| vec![i]).collect();
    for i in 0..all.len() {
        for j in i + 1..all.len() {
            sets.push(vec![i, j]);
            sets.push(vec![j, i]);
        }
    }
    let compared: usize = sets
        .par_iter()
        .map(|set| {
            let (_, got) = corpus_verdicts(all, set);
            let mut compared = 0usize;
            for ((tag, path), v) in &got {
                if !mixed.contains_key(path.as_str()) && set.iter().any(|&i| holds(i, path)) {
                    assert_eq!(
                        v,
                        &full[&(tag.clone(), path.clone())],
                        "{tag}/{path} built with {:?}",
                        set.iter().map(|&i| &all[i].tag).collect::<Vec<_>>()
                    );
                    compared += 1;
                }
            }
            compared
        })
        .sum();
    assert!(compared > 10_000, "only {compared} verdicts compared");
    // Copies that all share hash and hand-off are current.
    let mut by_path: BTreeMap<&str, Vec<&Article>> = BTreeMap::new();
    for l in all {
        for a in &l.articles {
            by_path.entry(a.path.as_str()).or_default().push(a);
        }
    }
    let mut shared = 0usize;
    for (path, copies) in by_path {
        let key = |a: &Article| (a.front.open_loc_file_hash.clone(), a.handoff());
        if copies[0].front.open_loc_file_hash.is_some()
            && copies.iter().all(|a| key(a) == key(copies[0]))
        {
            shared += 1;
            for a in copies {
                let v = full[&(a.locale.clone(), path.to_string())];
                assert_eq!(v.0, ArticleState::Current, "{}/{path}", a.locale);
            }
        }
    }
    assert!(
        shared > 1000,
        "only {shared} articles share hash and hand-off"
    );
    let mut outdated: BTreeMap<&str, usize> = BTreeMap::new();
    for ((tag, _), v) in &full {
        if v.0 == ArticleState::Outdated {
            *outdated.entry(tag).or_default() += 1;
        }
    }
    eprintln!("outdated per locale, five locales built: {outdated:?}");
}
