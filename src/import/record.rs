//! The English of record for each stale pair of an article: the sentence of
//! the article's English (as `pair` computes it) that took the place of the
//! pair's old English. `import` writes it into the sxs-lookup when a
//! translator confirms that the translation still fits, so that the pair is
//! current afterwards.
//!
//! [`english_for`] is the one function that answers this; it reads the
//! English only through [`EnglishArticle`]'s sentences (`segments`, folded,
//! and their `keys`, compared as [`sentence_key`] says) and text, so a new rule for the English of record changes what it is
//! given, not how it is called.
//!
//! Alignment, on text, never on segment ids (a hand-off may number its
//! segments anew): the pairs whose
//! English is an English sentence exactly are anchors, matched in order.
//! Between two anchors, the stale pairs take the English sentences that no
//! pair carries, in order: the matching that shares the most words (letters
//! and digits, any case) with their old English (a pair sharing none is
//! matched to none), and then a
//! lone pair left between two matches takes a lone sentence left there. The
//! sentence is returned as it is written in the English text (its own
//! spaces and line breaks), found there by its folded form.

use crate::model::Article;
use crate::pair::{sentence_key, EnglishArticle, SegmentState};
use rustc_hash::FxHashSet;
use std::borrow::Cow;
use std::collections::HashSet;

/// For each segment of `article`: for a stale one, its English of record
/// if one is found; None for the others.
pub fn english_for(
    article: &Article,
    english: &EnglishArticle,
    states: &[SegmentState],
) -> Vec<Option<String>> {
    align(article, english, states)
        .into_iter()
        .enumerate()
        .map(|(i, j)| {
            let j = j.filter(|_| states.get(i) == Some(&SegmentState::Stale))?;
            Some(written(&english.text, &english.segments[j]).to_string())
        })
        .collect()
}

/// For each segment of `article`, the index of its sentence in `english`:
/// for a current pair whose English is a sentence exactly, that sentence
/// (the anchors, in order); for a stale one, the sentence that took its
/// place, as [`english_for`] finds it; None for the others.
pub fn align(
    article: &Article,
    english: &EnglishArticle,
    states: &[SegmentState],
) -> Vec<Option<usize>> {
    // None stale: each pair is the sentence of its own number, which is
    // what the anchors below find, without the sentences' keys.
    if !states.contains(&SegmentState::Stale) && carries_record(article, english) {
        return (0..article.segments.len()).map(Some).collect();
    }
    let sources: Vec<Cow<str>> = article
        .segments
        .iter()
        .map(|s| sentence_key(s.source(article)))
        .collect();
    align_keys(&sources, english, states)
}

/// Whether the English of `article`'s pairs is the English of record's
/// sentences as they are, one by one (the copies of the hand-off the
/// English was rebuilt from: most copies).
fn carries_record(article: &Article, english: &EnglishArticle) -> bool {
    article.segments.len() == english.segments.len()
        && article
            .segments
            .iter()
            .zip(&english.segments)
            .all(|(s, e)| s.source(article) == e)
}

/// [`align`] for an article whose segments' source keys ([`sentence_key`])
/// are `sources`.
pub fn align_keys(
    sources: &[Cow<str>],
    english: &EnglishArticle,
    states: &[SegmentState],
) -> Vec<Option<usize>> {
    let n = sources.len();
    let stale = |i: usize| states.get(i) == Some(&SegmentState::Stale);
    let e = &english.keys;
    // Anchors: current pairs whose English is a sentence, in order.
    let mut anchors: Vec<(usize, usize)> = Vec::new();
    let mut next = 0;
    for (i, s) in sources.iter().enumerate() {
        if stale(i) {
            continue;
        }
        if let Some(k) = e[next.min(e.len())..].iter().position(|x| x == s) {
            anchors.push((i, next + k));
            next += k + 1;
        }
    }
    let carried: FxHashSet<&str> = sources
        .iter()
        .enumerate()
        .filter(|(i, _)| !stale(*i))
        .map(|(_, s)| s.as_ref())
        .collect();
    let mut out = vec![None; n];
    for &(i, j) in &anchors {
        out[i] = Some(j);
    }
    // Gaps between anchors, with a sentinel at each end.
    let mut bounds = vec![(None, None)];
    bounds.extend(anchors.iter().map(|&(i, j)| (Some(i), Some(j))));
    bounds.push((Some(n), Some(e.len())));
    for w in bounds.windows(2) {
        let (i0, j0) = (w[0].0.map_or(0, |i| i + 1), w[0].1.map_or(0, |j| j + 1));
        let (i1, j1) = (w[1].0.unwrap_or(n), w[1].1.unwrap_or(e.len()));
        let pairs: Vec<usize> = (i0..i1).filter(|&i| stale(i)).collect();
        let sentences: Vec<usize> = (j0..j1.max(j0))
            .filter(|&j| !carried.contains(e[j].as_str()))
            .collect();
        for (i, j) in assign(&pairs, &sentences, sources, e) {
            out[i] = Some(j);
        }
    }
    out
}

/// Pairs the stale segments of one gap with its English sentences: the
/// matching, in order, that shares the most words (pairs sharing none are
/// never matched); then, between two matches, a lone pair and a lone
/// sentence left over are taken to be one.
fn assign(
    pairs: &[usize],
    sentences: &[usize],
    sources: &[Cow<str>],
    english: &[String],
) -> Vec<(usize, usize)> {
    let (p, s) = (pairs.len(), sentences.len());
    if p == 0 || s == 0 {
        // Nothing to match (the gaps of a current copy have no stale pairs).
        return Vec::new();
    }
    // Words: letters and digits, in lower case (`sentence,` is `sentence`).
    let words = |t: &str| {
        t.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect::<HashSet<_>>()
    };
    let pair_words: Vec<_> = pairs.iter().map(|&i| words(&sources[i])).collect();
    let sentence_words: Vec<_> = sentences.iter().map(|&j| words(&english[j])).collect();
    let weight = |a: usize, b: usize| pair_words[a].intersection(&sentence_words[b]).count();
    // best[a][b]: the most words shared by a matching of the first a pairs
    // with the first b sentences.
    let mut best = vec![vec![0usize; s + 1]; p + 1];
    for a in 1..=p {
        for b in 1..=s {
            let w = weight(a - 1, b - 1);
            let diagonal = if w > 0 { best[a - 1][b - 1] + w } else { 0 };
            best[a][b] = best[a - 1][b].max(best[a][b - 1]).max(diagonal);
        }
    }
    let mut matched = Vec::new();
    let (mut a, mut b) = (p, s);
    while a > 0 && b > 0 {
        let w = weight(a - 1, b - 1);
        if w > 0 && best[a][b] == best[a - 1][b - 1] + w {
            matched.push((a - 1, b - 1));
            a -= 1;
            b -= 1;
        } else if best[a][b] == best[a - 1][b] {
            a -= 1;
        } else {
            b -= 1;
        }
    }
    matched.reverse();
    // Lone leftovers between two matches (or the gap's ends).
    let mut all = matched.clone();
    let mut edges = vec![(None, None)];
    edges.extend(matched.iter().map(|&(a, b)| (Some(a), Some(b))));
    edges.push((Some(p), Some(s)));
    for w in edges.windows(2) {
        let (a0, b0) = (w[0].0.map_or(0, |a| a + 1), w[0].1.map_or(0, |b| b + 1));
        let (a1, b1) = (w[1].0.unwrap_or(p), w[1].1.unwrap_or(s));
        if a1 == a0 + 1 && b1 == b0 + 1 {
            all.push((a0, b0));
        }
    }
    all.into_iter()
        .map(|(a, b)| (pairs[a], sentences[b]))
        .collect()
}

/// The stretch of `text` whose folded form is `folded` (its first
/// occurrence), with its own white space; `folded` itself when there is none.
pub(crate) fn written<'a>(text: &'a str, folded: &'a str) -> &'a str {
    // The folded text, and for each of its bytes the span of `text` it
    // stands for.
    let mut f = String::with_capacity(text.len());
    let mut starts: Vec<usize> = Vec::with_capacity(text.len());
    let mut ends: Vec<usize> = Vec::with_capacity(text.len());
    let mut space = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            space = !f.is_empty();
            continue;
        }
        if space {
            f.push(' ');
            starts.push(i);
            ends.push(i);
            space = false;
        }
        f.push(c);
        for _ in 0..c.len_utf8() {
            starts.push(i);
            ends.push(i + c.len_utf8());
        }
    }
    match f.find(folded) {
        Some(k) if !folded.is_empty() => &text[starts[k]..ends[k + folded.len() - 1]],
        _ => folded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pair::{English, Origin};

    fn article(locale: &str, handoff: &str, pairs: &[(&str, &str)]) -> Article {
        let body: String = pairs
            .iter()
            .enumerate()
            .map(|(i, (t, s))| {
                format!(
                    "{}. <span data-ttu-id=\"x-{i}\">{t}</span><span class=\"sxs-lookup\"><span data-stu-id=\"x-{i}\">{s}</span></span>\n",
                    i + 1
                )
            })
            .collect();
        let text = format!("---\ntitle: t\nms.lasthandoff: {handoff}\n---\n{body}");
        crate::parse::article(locale, "a.md", "a.md", text.as_bytes())
    }

    fn english_of(newer: &Article) -> crate::pair::EnglishArticle {
        let locales = vec![crate::load::Locale {
            tag: newer.locale.clone(),
            dir: "x".into(),
            articles: vec![newer.clone()],
        }];
        let en = English::rebuild(&locales);
        let a = en.articles["a.md"].clone();
        assert!(matches!(a.origin, Origin::Rebuilt { .. }));
        a
    }

    #[test]
    fn stale_pairs_take_the_sentence_in_their_place() {
        let old = article(
            "sv-SE",
            "01/01/2020",
            &[
                ("Ett", "One."),
                ("Gamla två", "Old  two, with words."),
                ("Tre", "Three."),
                ("Fyra", "Removed four."),
                ("Fem", "Old five here."),
            ],
        );
        let new = article(
            "ja-JP",
            "02/01/2020",
            &[
                ("一", "One."),
                ("二", "New two,\n   with more words."),
                ("三", "Three."),
                ("五", "New five here."),
                ("六", "Added six."),
            ],
        );
        let english = english_of(&new);
        let states = crate::pair::freshness(&old, Some(&english), &[]).states;
        let got = english_for(&old, &english, &states);
        assert_eq!(
            got,
            [
                None,
                Some("New two,\n   with more words.".to_string()),
                None,
                None,
                Some("New five here.".to_string()),
            ]
        );
    }

    /// The shortcut for copies whose English is the English of record's
    /// sentences gives what the anchors give, on every copy of the corpus,
    /// with its states and with every pair current.
    #[test]
    fn copies_of_the_english_align_as_the_anchors_align_them() {
        let Some(files) = crate::corpus::files() else {
            return;
        };
        let mut by_name: std::collections::BTreeMap<String, Vec<Article>> = Default::default();
        for (path, bytes) in files {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let locale = path
                .parent()
                .and_then(|p| p.file_name())
                .unwrap_or_default()
                .to_string_lossy();
            let a = crate::parse::article(&locale, &name, &name, &bytes);
            by_name.entry(name.into_owned()).or_default().push(a);
        }
        let mut shortcut = 0;
        for copies in by_name.values() {
            let refs: Vec<&Article> = copies.iter().collect();
            let (english, _) = crate::pair::of_record(&refs);
            for a in copies {
                let sources: Vec<Cow<str>> = a
                    .segments
                    .iter()
                    .map(|s| sentence_key(s.source(a)))
                    .collect();
                let fresh = crate::pair::freshness(a, Some(&english), &[]).states;
                let current = vec![SegmentState::Current; a.segments.len()];
                for states in [&fresh, &current] {
                    assert_eq!(
                        align(a, &english, states),
                        align_keys(&sources, &english, states),
                        "{} {}",
                        a.locale,
                        a.path
                    );
                }
                shortcut += usize::from(carries_record(a, &english));
            }
        }
        // Most copies carry their English as it is.
        assert!(shortcut * 2 > by_name.values().map(Vec::len).sum::<usize>());
    }

    #[test]
    fn written_keeps_its_own_spaces() {
        assert_eq!(written("a  **b**\n c d", "b** c"), "b**\n c");
        assert_eq!(written("abc", "x y"), "x y");
        assert_eq!(written("é  ü", "é ü"), "é  ü");
    }
}
