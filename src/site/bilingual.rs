//! The bilingual views of a translated article (DESIGN §6): the English of
//! each sentence for Show English (`<page>.en.js`, loaded as a script so
//! that it also works from disk), and the side-by-side page
//! (`<page>.sxs.html`), one row per segment pair.

use super::article::file_name;
use super::body::Body;
use super::plan::Lang;
use super::Pages;
use crate::model::Article;
use crate::pair::{self, Freshness};
use crate::render::links::page_file;
use crate::url;
use crate::view::*;
use std::collections::HashSet;

/// The files of the bilingual views: (path in the site, bytes).
pub type Files = Vec<(String, Vec<u8>)>;

impl<'p> Pages<'p> {
    /// The Show English data and the side-by-side page of a translation,
    /// whose article page is `page`.
    pub fn bilingual(
        &self,
        lang: &Lang,
        path: &str,
        article: &Article,
        fresh: &Freshness,
        body: &Body,
        page: &Page,
    ) -> anyhow::Result<Files> {
        let base = page_file(path);
        let base = base.strip_suffix(".html").unwrap_or(&base);
        let english: Vec<&str> = body.pairs_html.iter().map(|(_, e)| e.as_str()).collect();
        let json = serde_json::to_string(&english)?.replace("</", "<\\/");
        let data = format!("helpbookEnglish({json});\n");

        let english_page = self.model.pairing.english.articles.get(path);
        let english_href = page
            .article
            .as_ref()
            .map(|a| a.english_href.clone())
            .unwrap_or_default();
        let rows = article
            .segments
            .iter()
            .enumerate()
            .map(|(i, seg)| {
                let stale = fresh.states[i] == pair::SegmentState::Stale;
                let state = if stale {
                    "stale"
                } else if fresh.untranslated[i] {
                    "untranslated"
                } else {
                    "current"
                };
                let target = english_page
                    .filter(|_| stale)
                    .and_then(|e| closest(&pair::sentence_key(&seg.source), &e.keys))
                    .map(|k| format!("{english_href}#s-{k}"));
                let kind = body.rendered.kinds.get(i).copied().unwrap_or_default();
                SxsRow {
                    index: i,
                    kind,
                    kind_label: self.string(lang, kind.label_key()),
                    state,
                    state_label: self.string(lang, &format!("state_{state}")),
                    target_html: body.pairs_html[i].0.clone(),
                    source_html: body.pairs_html[i].1.clone(),
                    english_href: target.or_else(|| stale.then(|| english_href.clone())),
                }
            })
            .collect();
        let mut sxs = page.clone();
        sxs.article = None;
        sxs.alternates = Vec::new();
        sxs.robots = Some("noindex".into());
        sxs.canonical = None;
        sxs.side_by_side = Some(SideBySideView {
            rows,
            article_href: url::here(&format!("{}.html", file_name(path))),
            english_href,
        });
        let html = self.template("sxs.html", &sxs)?;
        Ok(vec![
            (format!("{}/{base}.en.js", lang.slug), data.into_bytes()),
            (format!("{}/{base}.sxs.html", lang.slug), html),
        ])
    }
}

/// The English segment most like `source` (most shared words), if any share one.
fn closest(source: &str, segments: &[String]) -> Option<usize> {
    let words: HashSet<&str> = source.split_whitespace().collect();
    segments
        .iter()
        .enumerate()
        .map(|(k, e)| {
            let shared = e.split_whitespace().filter(|w| words.contains(w)).count();
            (shared, std::cmp::Reverse(k))
        })
        .max()
        .filter(|(shared, _)| *shared > 0)
        .map(|(_, std::cmp::Reverse(k))| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_sentence_shares_most_words() {
        let english = [
            "Select Save.".to_string(),
            "Select the Save button.".to_string(),
        ];
        assert_eq!(closest("Select the button.", &english), Some(1));
        assert_eq!(closest("Nothing alike", &english), None);
    }
}
