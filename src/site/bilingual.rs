//! The bilingual views of a translated article: the English of
//! each sentence for Show English (`<page>.en.js`, loaded as a script so
//! that it also works from disk), and the side-by-side page
//! (`<page>.sxs.html`): every sentence of the English of record, each with
//! its translation and state, and the translations whose English was
//! removed (the rows of [`pair::Row`]).

use super::article::file_name;
use super::body::Body;
use super::plan::Lang;
use super::Pages;
use crate::model::Article;
use crate::pair::{self, Freshness, RowState};
use crate::render::context;
use crate::render::links::page_file;
use crate::search::text::markdown_text;
use crate::url;
use crate::view::*;
use std::borrow::Cow;

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
        let english = self.show_english(lang, fresh, body);
        let json = serde_json::to_string(&english)?.replace("</", "<\\/");
        let data = format!("helpbookEnglish({json});\n");

        let english_page = self.model.pairing.english.articles.get(path);
        let english_href = page
            .article
            .as_ref()
            .map(|a| a.english_href.clone())
            .unwrap_or_default();
        let rows = self.sxs_rows(lang, article, fresh, body, english_page, &english_href);
        let mut counts = std::collections::BTreeMap::new();
        for state in ["current", "changed", "new", "removed"] {
            counts.insert(state, rows.iter().filter(|r| r.state == state).count());
        }
        counts.insert(
            "untranslated",
            rows.iter().filter(|r| r.untranslated).count(),
        );
        let first_change = rows
            .iter()
            .find(|r| is_change(r.state))
            .map(|r| format!("#r-{}", r.index));
        let mut sxs = page.clone();
        sxs.article = None;
        sxs.alternates = Vec::new();
        sxs.robots = Some("noindex".into());
        sxs.canonical = None;
        sxs.side_by_side = Some(SideBySideView {
            rows,
            article_href: url::here(&format!("{}.html", file_name(path))),
            english_href,
            changed: self.changed_banner(lang, fresh),
            first_change,
            counts,
        });
        let html = self.template("sxs.html", &sxs)?;
        Ok(vec![
            (format!("{}/{base}.en.js", lang.slug), data.into_bytes()),
            (format!("{}/{base}.sxs.html", lang.slug), html),
        ])
    }
}

impl<'p> Pages<'p> {
    /// The rows of the side-by-side page: one per row of the article's
    /// drift ([`pair::Row`]), in its order.
    fn sxs_rows(
        &self,
        lang: &Lang,
        article: &Article,
        fresh: &Freshness,
        body: &Body,
        english: Option<&pair::EnglishArticle>,
        english_href: &str,
    ) -> Vec<SxsRow> {
        let marked = english.is_some_and(|e| matches!(e.origin, pair::Origin::Rebuilt { .. }));
        let mut rows: Vec<SxsRow> = fresh
            .rows
            .iter()
            .enumerate()
            .map(|(index, row)| {
                let (state, state_key) = match row.state {
                    RowState::Current => ("current", "state_current"),
                    RowState::Changed => ("changed", "state_changed"),
                    RowState::New => ("new", "state_new"),
                    RowState::Removed => ("removed", "state_removed"),
                };
                let pair_html = row.pair.and_then(|i| body.pairs_html.get(i));
                let english_html = row.english.and_then(|j| body.english_html.get(&j));
                let (source_html, old_html, diff_html) = match (row.state, pair_html) {
                    (RowState::Changed, Some((_, old))) => {
                        // The English of record's sentence as its block reads it.
                        let english_text = row.english.and_then(|j| {
                            let e = english?;
                            Some(context::sentence(
                                &e.text,
                                e.ranges.get(j).cloned(),
                                e.segments.get(j)?,
                            ))
                        });
                        let old_text = row
                            .pair
                            .and_then(|i| {
                                let seg = article.segments.get(i)?;
                                context::markdown(&article.source, seg.source_range.clone())
                            })
                            .unwrap_or_default();
                        (
                            english_html.cloned().unwrap_or_default(),
                            Some(old.clone()),
                            // The difference of what a reader reads, not
                            // of the Markdown (no link targets or `**`).
                            english_text
                                .map(|new| crate::diff::words_html(&read(&old_text), &read(&new))),
                        )
                    }
                    (_, Some((_, source))) => (source.clone(), None, None),
                    (_, None) => (english_html.cloned().unwrap_or_default(), None, None),
                };
                let kind = row
                    .pair
                    .and_then(|i| body.rendered.kinds.get(i).copied())
                    .unwrap_or_default();
                SxsRow {
                    index,
                    kind,
                    kind_label: self.string(lang, kind.label_key()),
                    state,
                    state_label: self.string(lang, state_key),
                    untranslated: row.pair.is_some_and(|i| fresh.untranslated[i]),
                    has_pair: row.pair.is_some(),
                    target_html: pair_html.map(|(t, _)| t.clone()),
                    source_html,
                    old_html,
                    diff_html,
                    // Only an English page rebuilt from the translations
                    // marks its sentences `s-N`; one from an English file
                    // is linked to as a whole.
                    english_href: match (row.english, is_change(state), marked) {
                        (Some(j), true, true) => Some(format!("{english_href}#s-{j}")),
                        (Some(_), true, false) => Some(english_href.to_string()),
                        _ => None,
                    },
                    next_href: None,
                }
            })
            .collect();
        // Each change links to the next one, so that they can be walked
        // through with no script.
        let changes: Vec<usize> = rows
            .iter()
            .filter(|r| is_change(r.state))
            .map(|r| r.index)
            .collect();
        for w in changes.windows(2) {
            rows[w[0]].next_href = Some(format!("#r-{}", w[1]));
        }
        rows
    }
}

impl<'p> Pages<'p> {
    /// What Show English writes after each pair: its English; for a stale
    /// pair, the current English and, labelled, the English it was
    /// translated from (or, labelled, that its English was removed).
    fn show_english<'b>(
        &self,
        lang: &Lang,
        fresh: &Freshness,
        body: &'b Body,
    ) -> Vec<Cow<'b, str>> {
        let mut out: Vec<Cow<'b, str>> = body
            .pairs_html
            .iter()
            .map(|(_, e)| Cow::Borrowed(e.as_str()))
            .collect();
        // The label is in the page's language, inside the English.
        let old = |label: &str, html: &str| {
            format!(
                "<span class=\"seg-en-old\"><span class=\"seg-en-label\" lang=\"{}\" dir=\"{}\">{}</span> {html}</span>",
                crate::render::escape(&lang.tag),
                lang.dir,
                crate::render::escape(&self.string(lang, label))
            )
        };
        for row in &fresh.rows {
            let Some(i) = row.pair else { continue };
            let Some((_, source)) = body.pairs_html.get(i) else {
                continue;
            };
            match row.state {
                RowState::Changed => {
                    let now = row
                        .english
                        .and_then(|j| body.english_html.get(&j))
                        .cloned()
                        .unwrap_or_default();
                    out[i] = Cow::Owned(format!(
                        "<span class=\"seg-en-now\">{now}</span> {}",
                        old("translated_from", source)
                    ));
                }
                RowState::Removed => out[i] = Cow::Owned(old("removed_from_english", source)),
                _ => {}
            }
        }
        out
    }
}

/// Whether a row's state is one the banner counts and "next change" visits.
fn is_change(state: &str) -> bool {
    matches!(state, "changed" | "new")
}

/// What a reader reads of a sentence's inline Markdown, its white space
/// folded: the text a word-level difference compares.
fn read(markdown: &str) -> String {
    markdown_text([markdown])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
