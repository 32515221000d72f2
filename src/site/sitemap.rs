//! `sitemap.xml`: every indexable article page, with the other languages of
//! the same article as `xhtml:link` alternates. Pages marked NOINDEX (in
//! front matter `ROBOTS`) are left out, and left out as alternates.

use super::Pages;
use crate::render::links::page_url;
use crate::xml::{Invalid, Writer};

impl Pages<'_> {
    pub(super) fn sitemap(&self) -> String {
        let base = self.model.config().html.site_url.as_deref().map_or_else(
            || "/".to_string(),
            |b| format!("{}/", b.trim_end_matches('/')),
        );
        let mut xml = Writer::new(Invalid::Replace);
        xml.start(
            "urlset",
            &[
                ("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"),
                ("xmlns:xhtml", "http://www.w3.org/1999/xhtml"),
            ],
        );
        for path in self.model.pairing.english.articles.keys() {
            let url = page_url(path);
            let versions: Vec<(&str, &str, bool)> = self
                .langs
                .iter()
                .filter_map(|l| {
                    let front = if l.is_english() {
                        let e = &self.model.pairing.english.articles[path];
                        self.bodies.origin(e).map(|a| &a.front)
                    } else {
                        Some(&l.articles.get(path.as_str())?.front)
                    };
                    Some((
                        l.tag.as_str(),
                        l.slug.as_str(),
                        front.is_some_and(|f| f.is_noindex()),
                    ))
                })
                .collect();
            for (_, slug, noindex) in &versions {
                if *noindex {
                    continue;
                }
                xml.start("url", &[]);
                xml.leaf("loc", &[], &format!("{base}{slug}/{url}"));
                for (tag, alt_slug, alt_noindex) in &versions {
                    if !alt_noindex {
                        let href = format!("{base}{alt_slug}/{url}");
                        xml.empty(
                            "xhtml:link",
                            &[("rel", "alternate"), ("hreflang", tag), ("href", &href)],
                        );
                    }
                }
                xml.end("url");
            }
        }
        xml.end("urlset");
        xml.finish().0
    }
}
