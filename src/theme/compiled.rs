//! The default theme's article and side-by-side pages, written as Rust.
//!
//! These two templates render all but a handful of a site's pages, and Tera
//! spent most of their time looking values up and converting the page into
//! its own value tree. While a project keeps the default `base.html`,
//! `article.html` and `sxs.html`, [`super::Theme::render`] writes those pages
//! with the functions below instead; a project that overrides any of the three
//! gets Tera for both. The output is byte for byte what Tera makes of the
//! templates (`tests/compiled_theme.rs` builds sites both ways and compares
//! every file), so a change to one of these templates must be made here too:
//! that test fails until it is.
//!
//! Tera's rules, as these functions follow them: `{{ x }}` escapes
//! `& < > " '` with pulldown-cmark's escaper, as Tera's `fast_escape` does; `| safe` writes
//! as is; `{% if x %}` is false for an empty string, an absent value, an
//! empty list, `false` and zero.

use crate::view::{ArticleView, Page, SideBySideView};
use anyhow::{anyhow, Result};

/// The templates whose pages are written here (`article.html`, `sxs.html`)
/// and the one they extend: all must be the built-in ones.
pub const NEEDS: &[&str] = &["base.html", "article.html", "sxs.html"];

/// `article.html` with `page`.
pub fn article(page: &Page) -> Result<Vec<u8>> {
    let article = page
        .article
        .as_ref()
        .ok_or_else(|| anyhow!("article.html needs an article"))?;
    let mut w = Writer::new(page, 8192 + article.html.len());
    w.base(|w| w.article(article))?;
    Ok(w.out.into_bytes())
}

/// `sxs.html` with `page`.
pub fn sxs(page: &Page) -> Result<Vec<u8>> {
    let sxs = page
        .side_by_side
        .as_ref()
        .ok_or_else(|| anyhow!("sxs.html needs side_by_side"))?;
    let rows: usize = sxs
        .rows
        .iter()
        .map(|r| {
            let extra = |h: &Option<String>| h.as_ref().map_or(0, String::len);
            extra(&r.target_html)
                + r.source_html.len()
                + extra(&r.old_html)
                + extra(&r.diff_html)
                + 480
        })
        .sum();
    let mut w = Writer::new(page, 8192 + rows);
    w.base(|w| w.side_by_side(sxs))?;
    Ok(w.out.into_bytes())
}

/// The page being written, and the UI strings of its language.
struct Writer<'p> {
    out: String,
    page: &'p Page,
}

/// Tera's truth of an optional string.
fn some(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

impl<'p> Writer<'p> {
    fn new(page: &'p Page, capacity: usize) -> Writer<'p> {
        Writer {
            out: String::with_capacity(capacity),
            page,
        }
    }

    /// Raw template text.
    fn raw(&mut self, text: &str) -> &mut Self {
        self.out.push_str(text);
        self
    }

    /// `{{ value }}`: escaped.
    fn esc(&mut self, value: &str) -> &mut Self {
        // Writing into a String cannot fail.
        let _ = pulldown_cmark_escape::escape_html(&mut self.out, value);
        self
    }

    /// `{{ t.key }}`: a UI string, escaped. A key the theme's strings lack is
    /// an error, as it is for Tera.
    fn t(&mut self, key: &str) -> Result<&mut Self> {
        let page = self.page;
        let text = page
            .t
            .strings()
            .get(key)
            .ok_or_else(|| anyhow!("the theme's strings have no `{key}`"))?;
        Ok(self.esc(text))
    }

    /// `base.html`, with `main` as its `main` block.
    fn base(&mut self, main: impl FnOnce(&mut Self) -> Result<()>) -> Result<()> {
        let p = self.page;
        self.raw("<!DOCTYPE html>\n<html lang=\"")
            .esc(&p.lang)
            .raw("\" dir=\"")
            .esc(p.dir)
            .raw("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
            .esc(&p.title);
        if p.title != p.site_title {
            self.raw(" · ").esc(&p.site_title);
        }
        self.raw("</title>\n");
        if let Some(description) = some(&p.description) {
            self.raw("<meta name=\"description\" content=\"")
                .esc(description)
                .raw("\">\n");
        }
        if let Some(robots) = some(&p.robots) {
            self.raw("<meta name=\"robots\" content=\"")
                .esc(robots)
                .raw("\">\n");
        }
        if let Some(canonical) = some(&p.canonical) {
            self.raw("<link rel=\"canonical\" href=\"")
                .esc(canonical)
                .raw("\">\n");
        }
        for a in &p.alternates {
            self.raw("<link rel=\"alternate\" hreflang=\"")
                .esc(&a.hreflang)
                .raw("\" href=\"")
                .esc(&a.href)
                .raw("\">\n");
        }
        self.raw("<link rel=\"stylesheet\" href=\"")
            .esc(&p.root)
            .esc(&p.css)
            .raw("\">\n<script src=\"")
            .esc(&p.root)
            .esc(&p.js)
            .raw("\" defer></script>\n</head>\n<body>\n<a class=\"skip-link\" href=\"#main\">")
            .t("skip")?
            .raw("</a>\n<header class=\"site-header\">\n  <a class=\"brand\" href=\"")
            .esc(&p.home)
            .raw("\">")
            .esc(&p.site_title)
            .raw("</a>\n  ");
        if let Some(search) = some(&p.search) {
            self.raw("<search class=\"site-search\" data-index=\"")
                .esc(search)
                .raw("\" data-results=\"")
                .t("search_results")?
                .raw("\"");
            for form in ["zero", "one", "two", "few", "many"] {
                let key = format!("search_results_{form}");
                if p.t.strings().get(&key).is_some_and(|v| !v.is_empty()) {
                    self.raw(" data-results-")
                        .raw(form)
                        .raw("=\"")
                        .t(&key)?
                        .raw("\"");
                }
            }
            self.raw(" data-no-results=\"")
                .t("search_no_results")?
                .raw("\" data-needs-server=\"")
                .t("search_needs_server")?
                .raw("\" data-error=\"")
                .t("search_error")?
                .raw("\" data-searching=\"")
                .t("search_searching")?
                .raw("\" data-english=\"")
                .t("search_english")?
                .raw("\">\n    <form class=\"search-form\" role=\"search\" action=\"\">\n      <label for=\"search-input\" class=\"sr-label\">")
                .t("search_label")?
                .raw("</label>\n      <input id=\"search-input\" class=\"search-input\" type=\"search\" name=\"q\" dir=\"auto\" autocomplete=\"off\" spellcheck=\"false\" placeholder=\"")
                .t("search_placeholder")?
                .raw("\" aria-controls=\"search-results\" aria-describedby=\"search-status\">\n    </form>\n    <div class=\"search-panel\" hidden>\n      <p id=\"search-status\" class=\"search-status\" role=\"status\" aria-live=\"polite\"></p>\n      <ol id=\"search-results\" class=\"search-results\" aria-label=\"")
                .t("search_label")?
                .raw("\"></ol>\n      <button type=\"button\" class=\"search-more\" hidden>")
                .t("search_more")?
                .raw("</button>\n    </div>\n  </search>");
        }
        self.raw("\n  ");
        if let Some(chooser) = some(&p.chooser) {
            self.raw("<nav class=\"language-switcher\" aria-label=\"")
                .t("site_languages")?
                .raw("\">\n    <a class=\"language-chooser\" href=\"")
                .esc(chooser)
                .raw("\" data-missing=\"")
                .t("status_missing")?
                .raw("\"><span class=\"sr-label\">")
                .t("language")?
                .raw(":</span> ")
                .esc(&p.current_language)
                .raw("</a>\n  </nav>");
        }
        self.raw("\n</header>\n<main id=\"main\" tabindex=\"-1\">\n");
        main(self)?;
        self.raw("\n</main>\n<footer class=\"site-footer\">\n  <p>");
        if !p.home.is_empty() {
            self.raw("<a href=\"")
                .esc(&p.home)
                .raw("\">")
                .t("all_articles")?
                .raw("</a>");
        }
        if let Some(status) = some(&p.status_href) {
            self.raw(" · <a href=\"")
                .esc(status)
                .raw("\">")
                .t("status_link")?
                .raw("</a>");
        }
        self.raw("</p>\n</footer>\n</body>\n</html>\n");
        Ok(())
    }

    /// `article.html`'s `main` block.
    fn article(&mut self, a: &ArticleView) -> Result<()> {
        let p = self.page;
        self.raw("\n<div class=\"article-layout\">\n  <article class=\"article\" lang=\"")
            .esc(&a.lang)
            .raw("\" dir=\"")
            .esc(a.dir)
            .raw("\">\n    <nav class=\"breadcrumb\" aria-label=\"")
            .t("all_articles")?
            .raw("\" lang=\"")
            .esc(&p.lang)
            .raw("\" dir=\"")
            .esc(p.dir)
            .raw("\"><a href=\"")
            .esc(&p.home)
            .raw("\">")
            .t("all_articles")?
            .raw("</a></nav>\n    ");
        if a.fallback {
            self.raw("<p class=\"banner banner-fallback\" role=\"note\" lang=\"")
                .esc(&p.lang)
                .raw("\" dir=\"")
                .esc(p.dir)
                .raw("\">")
                .esc(&a.not_translated)
                .raw("</p>\n    ");
        }
        if a.machine {
            self.raw("<p class=\"banner banner-mt\" role=\"note\">")
                .t("machine_translated")?
                .raw(" <a href=\"")
                .esc(&a.english_href)
                .raw("\" hreflang=\"")
                .esc(&p.english_lang)
                .raw("\">")
                .t("read_english")?
                .raw("</a></p>\n    ");
        }
        if a.outdated {
            self.raw("<p class=\"banner banner-outdated\" role=\"note\">")
                .t("outdated")?;
            if let Some(changed) = some(&a.changed) {
                self.raw(" ").esc(changed);
                if let Some(sxs) = some(&a.side_by_side) {
                    self.raw(" <a href=\"")
                        .esc(sxs)
                        .raw("\">")
                        .t("see_changes")?
                        .raw("</a>");
                }
            }
            self.raw(" <a href=\"")
                .esc(&a.english_href)
                .raw("\" hreflang=\"")
                .esc(&p.english_lang)
                .raw("\">")
                .t("read_english")?
                .raw("</a></p>\n    ");
        }
        if let Some(data) = some(&a.english_data) {
            self.raw("<div class=\"bilingual-tools\" lang=\"")
                .esc(&p.lang)
                .raw("\" dir=\"")
                .esc(p.dir)
                .raw("\">\n      <button type=\"button\" class=\"show-english\" aria-pressed=\"false\" data-english=\"")
                .esc(data)
                .raw("\" data-english-lang=\"")
                .esc(&p.english_lang)
                .raw("\" hidden>")
                .t("show_english")?
                .raw("</button>\n      <a class=\"side-by-side-link\" href=\"")
                .esc(a.side_by_side.as_deref().unwrap_or_default())
                .raw("\">")
                .t("side_by_side")?
                .raw("</a>");
            if a.stale_marks {
                self.raw("\n      <p class=\"stale-legend\"><span class=\"legend-stale\" aria-hidden=\"true\">&nbsp;&nbsp;&nbsp;&nbsp;</span> ")
                    .t("stale_legend")?
                    .raw("</p>");
            }
            self.raw("\n    </div>\n    ");
        }
        self.raw("\n    <div class=\"content\">\n")
            .raw(&a.html)
            .raw("\n    </div>\n    ");
        let edit = some(&a.edit_href);
        if some(&a.handoff).is_some() || edit.is_some() {
            self.raw("<footer class=\"article-meta\" lang=\"")
                .esc(&p.lang)
                .raw("\" dir=\"")
                .esc(p.dir)
                .raw("\">");
            if let Some(handoff) = some(&a.handoff) {
                self.raw("<p>")
                    .t("translated_on")?
                    .raw(": <time datetime=\"")
                    .esc(handoff)
                    .raw("\">")
                    .esc(a.handoff_text.as_deref().unwrap_or_default())
                    .raw("</time></p>");
            }
            if let Some(href) = edit {
                self.raw("<p><a class=\"edit-link\" href=\"")
                    .esc(href)
                    .raw("\">")
                    .t("edit_page")?
                    .raw("</a></p>");
            }
            self.raw("</footer>");
        }
        self.raw("\n  </article>\n  ");
        if !a.toc.is_empty() {
            self.raw("<aside class=\"toc\" lang=\"")
                .esc(&p.lang)
                .raw("\" dir=\"")
                .esc(p.dir)
                .raw("\">\n    <nav aria-labelledby=\"toc-title\">\n      <h2 id=\"toc-title\">")
                .t("on_this_page")?
                .raw("</h2>\n      <ul>\n        ");
            for h in &a.toc {
                self.raw("<li class=\"toc-level-")
                    .raw(&h.level.to_string())
                    .raw("\"><a href=\"#")
                    .esc(&h.id)
                    .raw("\" lang=\"")
                    .esc(&a.lang)
                    .raw("\" dir=\"")
                    .esc(a.dir)
                    .raw("\">")
                    .esc(&h.text)
                    .raw("</a></li>\n        ");
            }
            self.raw("\n      </ul>\n    </nav>\n  </aside>");
        }
        self.raw("\n</div>\n");
        Ok(())
    }

    /// `sxs.html`'s `main` block.
    fn side_by_side(&mut self, s: &SideBySideView) -> Result<()> {
        let p = self.page;
        self.raw("\n<div class=\"side-by-side\">\n  <nav class=\"breadcrumb\" aria-label=\"")
            .t("all_articles")?
            .raw("\"><a href=\"")
            .esc(&p.home)
            .raw("\">")
            .t("all_articles")?
            .raw("</a> › <a href=\"")
            .esc(&s.article_href)
            .raw("\">")
            .esc(&p.title)
            .raw("</a></nav>\n  <h1>")
            .t("side_by_side")?
            .raw(": <span>")
            .esc(&p.title)
            .raw("</span></h1>\n  <p><a href=\"")
            .esc(&s.article_href)
            .raw("\">")
            .t("back_to_article")?
            .raw("</a> · <a href=\"")
            .esc(&s.english_href)
            .raw("\" hreflang=\"")
            .esc(&p.english_lang)
            .raw("\">")
            .t("read_english")?
            .raw("</a></p>\n  ");
        if let Some(changed) = some(&s.changed) {
            self.raw("<p class=\"banner banner-outdated\" role=\"note\">")
                .esc(changed);
            if let Some(first) = some(&s.first_change) {
                self.raw(" <a class=\"first-change\" href=\"")
                    .esc(first)
                    .raw("\">")
                    .t("first_change")?
                    .raw("</a>");
            }
            self.raw("</p>\n  ");
        }
        let count = |k: &str| s.counts.get(k).copied().unwrap_or(0).to_string();
        self.raw("<div class=\"sxs-filter\" role=\"group\" aria-label=\"")
            .t("sxs_filter")?
            .raw("\" hidden><button type=\"button\" data-filter=\"all\" aria-pressed=\"true\">")
            .t("filter_all")?
            .raw("</button> <button type=\"button\" data-filter=\"changed\" aria-pressed=\"false\">")
            .t("filter_changed")?
            .raw(" (")
            .raw(&count("changed"))
            .raw(")</button> <button type=\"button\" data-filter=\"new\" aria-pressed=\"false\">")
            .t("filter_new")?
            .raw(" (")
            .raw(&count("new"))
            .raw(")</button> <button type=\"button\" data-filter=\"untranslated\" aria-pressed=\"false\">")
            .t("filter_untranslated")?
            .raw(" (")
            .raw(&count("untranslated"))
            .raw(")</button></div>\n  <table class=\"sxs-table\">\n    <thead>\n      <tr><th scope=\"col\">#</th><th scope=\"col\">")
            .t("sxs_translation")?
            .raw("</th><th scope=\"col\">")
            .t("sxs_english")?
            .raw("</th><th scope=\"col\">")
            .t("sxs_state")?
            .raw("</th></tr>\n    </thead>\n    <tbody>\n    ");
        for r in &s.rows {
            self.raw("<tr id=\"r-")
                .raw(&r.index.to_string())
                .raw("\" class=\"row-")
                .esc(r.state)
                .raw(" kind-")
                .esc(r.kind.name());
            if r.untranslated {
                self.raw(" untranslated");
            }
            self.raw("\"");
            if r.has_pair {
                self.raw(" data-pair");
            }
            self.raw(">\n      <td class=\"sxs-index\">")
                .raw(&(r.index + 1).to_string())
                .raw(" <span class=\"kind\">")
                .esc(&r.kind_label)
                .raw("</span></td>\n      <td class=\"sxs-target\" lang=\"")
                .esc(&p.lang)
                .raw("\" dir=\"")
                .esc(p.dir)
                .raw("\">");
            match some(&r.target_html) {
                Some(target) => self.raw(target),
                None => self
                    .raw("<span class=\"no-translation\">")
                    .t("no_translation")?
                    .raw("</span>"),
            };
            self.raw("</td>\n      <td class=\"sxs-source\" lang=\"")
                .esc(&p.english_lang)
                .raw("\" dir=\"ltr\">")
                .raw(&r.source_html);
            if let Some(old) = some(&r.old_html) {
                // The label is in the page's language, not the cell's English.
                self.raw("<div class=\"sxs-old\"><span class=\"label\" lang=\"")
                    .esc(&p.lang)
                    .raw("\" dir=\"")
                    .esc(p.dir)
                    .raw("\">")
                    .t("translated_from")?
                    .raw("</span> ")
                    .raw(old)
                    .raw("</div>");
            }
            if let Some(diff) = some(&r.diff_html) {
                self.raw("<div class=\"sxs-diff\">").raw(diff).raw("</div>");
            }
            self.raw("</td>\n      <td class=\"sxs-state\"><span class=\"state state-")
                .esc(r.state)
                .raw("\">")
                .esc(&r.state_label)
                .raw("</span>");
            if let Some(href) = some(&r.english_href) {
                self.raw(" <a href=\"")
                    .esc(href)
                    .raw("\" hreflang=\"")
                    .esc(&p.english_lang)
                    .raw("\">")
                    .t("current_english")?
                    .raw("</a>");
            }
            if let Some(href) = some(&r.next_href) {
                self.raw(" <a class=\"next-change\" href=\"")
                    .esc(href)
                    .raw("\">")
                    .t("next_change")?
                    .raw("</a>");
            }
            self.raw("</td>\n    </tr>\n    ");
        }
        self.raw("\n    </tbody>\n  </table>\n</div>\n");
        Ok(())
    }
}
