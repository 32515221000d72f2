//! The template context: what themes can use, as serialisable view structs.
//!
//! This file is the contract with theme authors (`docs/theme.md` describes
//! every field). Every page template receives one [`Page`]; the section for
//! its kind (`article`, `index`, `status`, `root_languages`) is filled.

use crate::render::Heading;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// UI strings of one language: key → text.
pub type Strings = BTreeMap<String, String>;

/// A language's UI strings, shared (not copied) by every page of the
/// language; templates see them as `t`.
#[derive(Clone, Default)]
pub struct Ui(Arc<Strings>);

impl Ui {
    pub fn new(strings: Strings) -> Ui {
        Ui(Arc::new(strings))
    }

    pub fn strings(&self) -> &Strings {
        &self.0
    }

    /// The shared table itself (for a theme to keep what it made of it).
    pub fn shared(&self) -> &Arc<Strings> {
        &self.0
    }
}

impl std::fmt::Debug for Ui {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// One page of the site.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// `[book] title` (or the language's `[languages.X] title`).
    pub site_title: String,
    /// `<html lang>`: the page's language tag.
    pub lang: String,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
    /// The page's own title (without the site title).
    pub title: String,
    pub description: Option<String>,
    /// Relative path from this page to the site root (`../../`, or empty).
    pub root: String,
    /// Site-root-relative paths of the stylesheet and script.
    pub css: String,
    pub js: String,
    pub canonical: Option<String>,
    /// `hreflang` alternates: the languages that really have this page, and `x-default`.
    pub alternates: Vec<Alternate>,
    /// Robots meta content (`NOINDEX, NOFOLLOW`).
    pub robots: Option<String>,
    /// UI strings in the page's language (English where the theme has none),
    /// shared by the language's pages and handed to the templates as `t`.
    #[serde(skip)]
    pub t: Ui,
    /// On a language chooser page (`languages/<article>.html`): the article
    /// in every language of the site.
    pub languages: Vec<LanguageLink>,
    /// The language chooser of this page, which the language switcher links
    /// to (and the theme's script opens in place as a menu): the article's
    /// chooser page, or the root index for a language's index and 404 page.
    pub chooser: Option<String>,
    /// The name of the page's language, in itself.
    pub current_language: String,
    /// The English's language tag (`source-language`), for `hreflang` on
    /// links to the English pages.
    pub english_lang: String,
    /// The language's index page.
    pub home: String,
    /// The translation status page, when it is written.
    pub status_href: Option<String>,
    pub article: Option<ArticleView>,
    pub index: Option<IndexView>,
    pub status: Option<StatusView>,
    /// On the root page: every language.
    pub root_languages: Vec<LanguageLink>,
    /// On a side-by-side page: the rows.
    pub side_by_side: Option<SideBySideView>,
    /// The language's search index folder (`<root><lang>/search/`), when
    /// search is on: the search box searches it.
    pub search: Option<String>,
}

/// The side-by-side view of a translated article: every sentence of the
/// English of record in order, each with its translation, and the
/// translations whose English was removed.
#[derive(Debug, Clone, Serialize)]
pub struct SideBySideView {
    pub rows: Vec<SxsRow>,
    /// The article page (relative).
    pub article_href: String,
    /// The English page (relative).
    pub english_href: String,
    /// The outdated banner's count, as on the article page (the rows marked
    /// changed or new), in the page's language; None when there are none.
    pub changed: Option<String>,
    /// The anchor of the first changed or new row (`#r-4`), if any.
    pub first_change: Option<String>,
    /// How many rows are in each state: `current`, `changed`, `new`,
    /// `removed`, and `untranslated` (rows whose translation is the English).
    pub counts: BTreeMap<&'static str, usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SxsRow {
    /// Position of the row (0-based); its anchor is `r-<index>`.
    pub index: usize,
    /// `paragraph`, `heading`, `item`, `alert`, `table` or `quote`.
    pub kind: crate::render::segments::BlockKind,
    /// The block kind in the page's language (`t.kind_heading` …).
    pub kind_label: String,
    /// `current`, `changed`, `new` or `removed`.
    pub state: &'static str,
    /// The state in the page's language (`t.state_changed` …).
    pub state_label: String,
    /// The translation is the English left as it was.
    pub untranslated: bool,
    /// The row holds a segment pair (`data-pair`): such rows are the pairs
    /// of the article, in order.
    pub has_pair: bool,
    /// The translation, rendered; None for a new sentence.
    pub target_html: Option<String>,
    /// The English, rendered: the current English (for a removed row, the
    /// English it was translated from).
    pub source_html: String,
    /// For a changed row: the English the translation was made from.
    pub old_html: Option<String>,
    /// For a changed row: the word-level difference from the old English to
    /// the current one (`<del>`, `<ins>`).
    pub diff_html: Option<String>,
    /// For a changed or new row: the sentence on the English page.
    pub english_href: Option<String>,
    /// For a changed or new row: the anchor of the next changed or new row.
    pub next_href: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    pub hreflang: String,
    pub href: String,
}

/// A link to a page in one language.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageLink {
    pub tag: String,
    /// The language's name in itself.
    pub name: String,
    pub href: String,
    pub dir: &'static str,
    /// This is the page's own language.
    pub current: bool,
    /// The language has this article (false: the link goes to a fallback page).
    pub translated: bool,
    /// On a chooser page, the language's own words for "not translated",
    /// shown beside a link whose language lacks the article (else empty).
    pub missing: String,
}

/// An article page.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    /// Sanitised HTML of the article body.
    pub html: String,
    /// Headings of levels 2 and 3, for "on this page".
    pub toc: Vec<Heading>,
    /// Language and direction of the content (English on a fallback page).
    pub lang: String,
    pub dir: &'static str,
    /// `ms.lasthandoff`, as `YYYY-MM-DD` (for `<time datetime>`).
    pub handoff: Option<String>,
    /// The same date as the page's readers write it ("15 april 2021",
    /// "2021年4月15日"; `helpbook::date`); set whenever `handoff` is.
    pub handoff_text: Option<String>,
    /// Machine translated (`ms.translationtype: MT`).
    pub machine: bool,
    /// The English has changed since the translation.
    pub outdated: bool,
    /// This is the English shown in place of a missing translation.
    pub fallback: bool,
    /// The "not yet translated" sentence, in the page's language.
    pub not_translated: String,
    /// The English page of this article.
    pub english_href: String,
    /// Show English: the script with each sentence's English (relative URL);
    /// None when the page has no translated sentences.
    pub english_data: Option<String>,
    /// The side-by-side page of this article.
    pub side_by_side: Option<String>,
    /// "N sentences have changed in the English", when any have.
    pub changed: Option<String>,
    /// Some sentence of the page is marked stale (its English changed since
    /// it was translated; the wavy underline): show the legend of the mark.
    pub stale_marks: bool,
    /// The translation's file in the repository's editor (`edit-url`).
    pub edit_href: Option<String>,
}

/// A language's list of articles.
#[derive(Debug, Clone, Serialize)]
pub struct IndexView {
    pub groups: Vec<IndexGroup>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndexGroup {
    /// The folder (or the "General" label for top-level articles).
    pub name: String,
    pub articles: Vec<IndexEntry>,
    /// Links to the first article of each initial (letter, kana row,
    /// Hangul consonant; `site::jumps`); empty for short groups.
    pub jumps: Vec<crate::site::jumps::Jump>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndexEntry {
    pub title: String,
    pub href: String,
    /// The language of the title (English for a missing translation).
    pub lang: String,
    /// `current`, `outdated`, `missing` (shown in English) or `source`.
    pub state: &'static str,
    /// The id of the entry when a jump link leads to it.
    pub anchor: Option<String>,
}

/// The translation status page.
#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    pub rows: Vec<StatusRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusRow {
    pub tag: String,
    pub name: String,
    pub dir: &'static str,
    /// The language's index page.
    pub href: String,
    pub total: usize,
    pub current: usize,
    pub outdated: usize,
    pub missing: usize,
    /// Widths of the bar's segments on a 200-unit scale.
    pub w_current: u32,
    pub w_outdated: u32,
    pub w_missing: u32,
    pub x_missing: u32,
    pub outdated_articles: Vec<IndexEntry>,
}
