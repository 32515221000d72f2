//! Sitemaps by the protocol (sitemaps.org 0.9): `sitemap.xml` at the root
//! is a sitemap index naming one sitemap per language, `<slug>/sitemap.xml`
//! (then `sitemap-2.xml`, … when a language passes 50,000 URLs or 50 MiB).
//! Each lists the language's indexable article pages with every other
//! language of the same article as `xhtml:link` alternates. Pages marked
//! NOINDEX (front matter `ROBOTS`) are left out, and left out as alternates;
//! fallback pages are never listed. With `site-url` set, `robots.txt` names
//! the index.
//!
//! Everything here is made from the model (front matter and pairing), not
//! from rendered pages, so every `--locale` shard writes the same index and
//! the same sitemap for each language it builds.

use super::plan::Lang;
use super::Pages;
use crate::render::links::page_url;
use crate::xml::{Invalid, Writer};

/// The protocol's limits for one sitemap file.
pub const MAX_URLS: usize = 50_000;
pub const MAX_BYTES: usize = 50 * 1024 * 1024;

/// The URLs one sitemap file may hold: [`MAX_URLS`], or fewer when the
/// undocumented `HELPBOOK_SITEMAP_MAX_URLS` says so (tests use it to split a
/// language of a few pages; it can only lower the limit).
#[doc(hidden)]
pub fn max_urls() -> usize {
    std::env::var("HELPBOOK_SITEMAP_MAX_URLS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .map_or(MAX_URLS, |n| n.min(MAX_URLS))
}

/// Whether a language has an article, for [`Pages::versions`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Version {
    None,
    Indexed,
    /// Marked NOINDEX.
    Noindex,
}

impl Pages<'_> {
    /// The URL prefix of sitemap entries: `site-url` with a slash, or `/`.
    fn sitemap_base(&self) -> String {
        self.model.config().html.site_url.as_deref().map_or_else(
            || "/".to_string(),
            |b| format!("{}/", b.trim_end_matches('/')),
        )
    }

    /// For each article path, in the English's order, and each language
    /// of `langs` in turn, whether the language has the article in its own
    /// language (the English included), and if so whether it is marked
    /// NOINDEX: a [`Version`], one byte. The same for every language's
    /// sitemap, so made once per run, the first time a sitemap asks.
    fn versions(&self) -> &[Version] {
        self.versions.get_or_init(|| {
            use rayon::prelude::*;
            let paths: Vec<&String> = self.model.pairing.english.articles.keys().collect();
            paths
                .par_iter()
                .flat_map_iter(|path| {
                    self.langs.iter().map(|l| {
                        let noindex = if l.is_english() {
                            let e = &self.model.pairing.english.articles[*path];
                            self.bodies.origin(e).is_some_and(|a| a.front.is_noindex())
                        } else {
                            match l.articles.get(path) {
                                Some(brief) => brief.noindex,
                                None => return Version::None,
                            }
                        };
                        if noindex {
                            Version::Noindex
                        } else {
                            Version::Indexed
                        }
                    })
                })
                .collect()
        })
    }

    /// The sitemap file names of `lang`: `<slug>/sitemap.xml`, then
    /// `<slug>/sitemap-2.xml`, ….
    pub(super) fn sitemap_name(lang: &Lang, part: usize) -> String {
        if part == 0 {
            format!("{}/sitemap.xml", lang.slug)
        } else {
            format!("{}/sitemap-{}.xml", lang.slug, part + 1)
        }
    }

    /// The sitemap files of `lang`, as (path, bytes), split by the protocol's
    /// limits. Their number is recorded for [`Pages::sitemap_index`].
    pub fn language_sitemaps(&self, lang: &Lang) -> Vec<(String, Vec<u8>)> {
        let parts = self.sitemap_parts(lang, max_urls(), MAX_BYTES);
        self.sitemap_files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(lang.tag.clone(), parts.len());
        parts
            .into_iter()
            .enumerate()
            .map(|(i, text)| (Self::sitemap_name(lang, i), text.into_bytes()))
            .collect()
    }

    /// How many sitemap files `lang` has: as recorded when they were made
    /// in this run, else counted by making them (a language a `--locale`
    /// run does not build).
    fn sitemap_count(&self, lang: &Lang) -> usize {
        let recorded = self
            .sitemap_files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&lang.tag)
            .copied();
        recorded.unwrap_or_else(|| self.sitemap_parts(lang, max_urls(), MAX_BYTES).len())
    }

    /// The sitemaps of `lang`, each holding at most `max_urls` URLs and
    /// `max_bytes` bytes (an entry larger than `max_bytes` on its own still
    /// gets a file). A language with no indexable page has one empty
    /// sitemap, so that the index names the same files whatever changes.
    pub fn sitemap_parts(&self, lang: &Lang, max_urls: usize, max_bytes: usize) -> Vec<String> {
        let base = self.sitemap_base();
        let mut head = Writer::new(Invalid::Replace);
        head.start(
            "urlset",
            &[
                ("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"),
                ("xmlns:xhtml", "http://www.w3.org/1999/xhtml"),
            ],
        );
        let head = head.finish().0;
        let foot = "</urlset>\n";
        let mut parts = Vec::new();
        let (mut part, mut urls) = (head.clone(), 0);
        let me = self.langs.iter().position(|l| l.tag == lang.tag);
        let paths = self.model.pairing.english.articles.keys();
        let versions = self.versions().chunks(self.langs.len().max(1));
        for (path, versions) in paths.zip(versions) {
            if me.is_none_or(|me| versions[me] != Version::Indexed) {
                continue;
            }
            let url = page_url(path);
            let mut xml = Writer::fragment(Invalid::Replace, 1);
            xml.start("url", &[]);
            xml.leaf("loc", &[], &format!("{base}{}/{url}", lang.slug));
            let indexed = versions
                .iter()
                .enumerate()
                .filter(|v| *v.1 == Version::Indexed);
            for (l, _) in indexed {
                let v = &self.langs[l];
                let href = format!("{base}{}/{url}", v.slug);
                xml.empty(
                    "xhtml:link",
                    &[("rel", "alternate"), ("hreflang", &v.tag), ("href", &href)],
                );
            }
            xml.end("url");
            let entry = xml.finish().0;
            let full = urls >= max_urls || part.len() + entry.len() + foot.len() > max_bytes;
            if urls > 0 && full {
                part.push_str(foot);
                parts.push(std::mem::replace(&mut part, head.clone()));
                urls = 0;
            }
            part.push_str(&entry);
            urls += 1;
        }
        part.push_str(foot);
        parts.push(part);
        parts
    }

    /// `sitemap.xml`: the sitemap index, naming every sitemap of every
    /// language (built in this run or not). Made after the languages'
    /// sitemaps, whose counts it reuses.
    pub(super) fn sitemap_index(&self) -> String {
        let base = self.sitemap_base();
        let mut xml = Writer::new(Invalid::Replace);
        xml.start(
            "sitemapindex",
            &[("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")],
        );
        for lang in &self.langs {
            for i in 0..self.sitemap_count(lang) {
                xml.start("sitemap", &[]);
                xml.leaf(
                    "loc",
                    &[],
                    &format!("{base}{}", Self::sitemap_name(lang, i)),
                );
                xml.end("sitemap");
            }
        }
        xml.end("sitemapindex");
        xml.finish().0
    }

    /// `robots.txt` naming the sitemap index, when `site-url` says where
    /// it is (the protocol wants an absolute URL there).
    pub(super) fn robots_txt(&self) -> Option<String> {
        let site = self.model.config().html.site_url.as_deref()?;
        Some(format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}/sitemap.xml\n",
            site.trim_end_matches('/')
        ))
    }
}
