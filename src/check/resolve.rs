//! Where links point: the anchors of a page and the targets of its links.
//!
//! Kept small and separate so that the site renderer can use the same rules
//! as `check` (a link `check` accepts is a link the site can render):
//!
//! - [`page`] reads one Markdown document (an article's target document) with
//!   pulldown-cmark and returns its links (with byte offsets) and its anchors:
//!   the ids of `<a name="…">`/`<a id="…">` tags, `{#id}` heading attributes,
//!   and the slug ([`slug`]) of every other heading, deduplicated GitHub-style
//!   (`x`, `x-1`, `x-2`);
//! - [`classify`] says where a link URL points, relative to the article's path
//!   in its locale folder: another article (`x.md`, resolved from the article's
//!   folder), a fragment of this page, a root-relative path, elsewhere.
//!
//! Pure: no I/O; the caller knows which articles exist.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::collections::{HashMap, HashSet};

/// One link (or image) of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub url: String,
    /// Byte offset of the link's `[` (or `![`, `<`) in the document.
    pub offset: usize,
    pub image: bool,
}

/// An id given twice by explicit anchors in one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub id: String,
    /// Byte offset of the second occurrence.
    pub offset: usize,
}

/// The links and anchors of one page.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub links: Vec<Link>,
    pub anchors: HashSet<String>,
    pub duplicates: Vec<Duplicate>,
}

/// The Markdown options of the site that change where links and headings are.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Reads the links and anchors of one Markdown document.
pub fn page(markdown: &str) -> Page {
    let mut page = Page::default();
    // Explicit ids (anchors, heading attributes) and where each was first seen.
    let mut explicit: HashMap<String, usize> = HashMap::new();
    let mut headings: Vec<String> = Vec::new();
    let mut heading: Option<String> = None;
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            // `[!INCLUDE[title](path)]` reads as a link in CommonMark; the
            // renderer splices the snippet in, so it is not a link to check.
            Event::Start(Tag::Link { .. }) if is_include(&markdown[..range.start]) => {}
            Event::Start(Tag::Link { dest_url, .. }) => page.links.push(Link {
                url: dest_url.to_string(),
                offset: range.start,
                image: false,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => page.links.push(Link {
                url: dest_url.to_string(),
                offset: range.start,
                image: true,
            }),
            Event::Start(Tag::Heading { id, .. }) => match id {
                Some(id) => {
                    add_explicit(&mut page, &mut explicit, id.to_string(), range.start);
                    heading = None;
                }
                None => heading = Some(String::new()),
            },
            Event::End(TagEnd::Heading(_)) => {
                if let Some(text) = heading.take() {
                    headings.push(slug(&text));
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                for id in anchor_ids(&html) {
                    add_explicit(&mut page, &mut explicit, id, range.start);
                }
            }
            _ => {}
        }
    }
    let mut used: HashMap<String, usize> = HashMap::new();
    for s in headings {
        let n = used.entry(s.clone()).or_insert(0);
        let id = if *n == 0 {
            s.clone()
        } else {
            format!("{s}-{n}")
        };
        *n += 1;
        page.anchors.insert(id);
    }
    page
}

/// Whether the text before a link ends with `[!INCLUDE` (the link is then
/// the title and path of an include directive).
fn is_include(before: &str) -> bool {
    let before = before.trim_end_matches([' ', '\t']).as_bytes();
    let tag = b"[!include";
    before.len() >= tag.len() && before[before.len() - tag.len()..].eq_ignore_ascii_case(tag)
}

fn add_explicit(page: &mut Page, seen: &mut HashMap<String, usize>, id: String, offset: usize) {
    if seen.contains_key(&id) {
        page.duplicates.push(Duplicate {
            id: id.clone(),
            offset,
        });
    } else {
        seen.insert(id.clone(), offset);
    }
    page.anchors.insert(id);
}

/// The `name`/`id` values of the `<a …>` start tags in a piece of raw HTML.
pub fn anchor_ids(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("<a") {
        let start = from + i + 2;
        let end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        from = end;
        if !lower[start..].starts_with(|c: char| c.is_ascii_whitespace()) {
            continue;
        }
        let tag = &html[start..end];
        if let Some(v) = attribute(tag, "name").or_else(|| attribute(tag, "id")) {
            if !v.is_empty() {
                out.push(v.to_string());
            }
        }
    }
    out
}

/// The value of attribute `name` in the inside of a start tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = tag[at + name.len()..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value = rest[1..].trim_start();
        return Some(match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or_default(),
            _ => value
                .split(|c: char| c.is_ascii_whitespace() || c == '/')
                .next()
                .unwrap_or_default(),
        });
    }
    None
}

/// The id of a heading with no explicit id: lower case, Unicode letters,
/// digits, `-` and `_` kept, spaces to `-`, everything else dropped (so
/// `設定を変更する` stays `設定を変更する`).
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() {
            out.push('-');
        }
    }
    out
}

/// Where a link URL points, seen from one article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A URL with a scheme (`https:`, `mailto:`) or `//host`.
    External,
    /// `/a/b`: needs `link-base`.
    RootRelative,
    /// A fragment of the same page (decoded, without `#`).
    Fragment(String),
    /// Another article of the same locale: its path in the locale folder.
    Article {
        path: String,
        fragment: Option<String>,
    },
    /// A relative path that climbs out of the locale folder.
    Outside,
    /// Anything else (media files, empty URLs): not an article.
    Other,
}

/// Where `url`, found in the article at `from` (its path in the locale
/// folder), points.
pub fn classify(from: &str, url: &str) -> Target {
    let url = url.trim();
    if url.is_empty() {
        return Target::Other;
    }
    if url.starts_with("//") || has_scheme(url) {
        return Target::External;
    }
    if url.starts_with('/') {
        return Target::RootRelative;
    }
    let (rest, fragment) = match url.split_once('#') {
        Some((r, f)) => (r, Some(decode(f))),
        None => (url, None),
    };
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() {
        return fragment.map_or(Target::Other, Target::Fragment);
    }
    if !path.to_ascii_lowercase().ends_with(".md") {
        return Target::Other;
    }
    let mut parts: Vec<String> = from.split('/').map(str::to_string).collect();
    parts.pop();
    for part in decode(path).split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Target::Outside;
                }
            }
            p => parts.push(p.to_string()),
        }
    }
    Target::Article {
        path: parts.join("/"),
        fragment,
    }
}

fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) if i > 0 => url[..i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')),
        _ => false,
    }
}

/// Percent-decodes `text` (invalid escapes are kept as written).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_and_slugs() {
        let p = page(
            "# <a name=\"sspr\"></a>重置密码\n\n## Step one\n\n## Step one\n\n### Custom {#own}\n\n\
             See [x](a.md#b) and ![i](media/p.png).\n",
        );
        for id in ["sspr", "重置密码", "step-one", "step-one-1", "own"] {
            assert!(p.anchors.contains(id), "{id} in {:?}", p.anchors);
        }
        assert!(p.duplicates.is_empty());
        assert_eq!(p.links.len(), 2);
        assert_eq!(p.links[0].url, "a.md#b");
        assert!(p.links[1].image);
        assert_eq!(
            slug("設定を変更する (Office 365)"),
            "設定を変更する-office-365"
        );
    }

    #[test]
    fn include_directives_are_not_links() {
        // Regression: every include was reported as a broken `x.md` link.
        let p = page(
            "[!INCLUDE[a](includes/a.md)]\n\n[!include [b](includes/b.md)]\n\nSee [c](c.md).\n",
        );
        let urls: Vec<_> = p.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(urls, ["c.md"]);
    }

    #[test]
    fn duplicate_explicit_anchors() {
        let p = page("# <a name=\"x\"></a>A\n\n## <a name=\"x\"></a>B\n");
        assert_eq!(p.duplicates.len(), 1);
        assert_eq!(p.duplicates[0].id, "x");
    }

    #[test]
    fn targets() {
        let art = |p: &str, f: Option<&str>| Target::Article {
            path: p.into(),
            fragment: f.map(str::to_string),
        };
        assert_eq!(classify("a/b.md", "c.md"), art("a/c.md", None));
        assert_eq!(classify("a/b.md", "../c.md#x"), art("c.md", Some("x")));
        assert_eq!(classify("b.md", "./my%20c.md?v=1"), art("my c.md", None));
        assert_eq!(classify("b.md", "../c.md"), Target::Outside);
        assert_eq!(classify("b.md", "#top"), Target::Fragment("top".into()));
        assert_eq!(classify("b.md", "/a/b"), Target::RootRelative);
        assert_eq!(classify("b.md", "https://x.y/a.md"), Target::External);
        assert_eq!(classify("b.md", "mailto:a@b"), Target::External);
        assert_eq!(classify("b.md", "media/x.png"), Target::Other);
        assert_eq!(classify("b.md", ""), Target::Other);
    }
}
