//! Markup lints: one segment's translation against its English.
//!
//! Both texts are inline Markdown. Each is parsed with pulldown-cmark (never
//! matched with patterns) and reduced to an [`Inline`] summary: its link URLs,
//! links with no text, and how many bold, italic, code and strikethrough
//! spans CommonMark renders, plus `**` markers it leaves as text. [`compare`]
//! turns two summaries into lint findings:
//!
//! - `markup::link-url`: a URL of the English is not in the translation, or the
//!   translation has a URL the English lacks (the sets of URLs differ);
//! - `markup::link-count`: same URLs, another number of links;
//! - `markup::empty-link-text`: more links with no text than the English has;
//! - `markup::unrendered-emphasis`: `**` shown as text in the translation
//!   (markers CommonMark does not pair, such as `** x **`, or escaped ones);
//! - `markup::emphasis`: the rendered bold/italic/code/strikethrough counts
//!   differ (not reported when `unrendered-emphasis` already explains it).
//!
//! Pure; input from `model::Segment`, output `(Lint, message)` pairs that the
//! caller places at the segment.

use crate::diag::{lint, Lint};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use rustc_hash::FxHashMap;

/// What one inline Markdown text holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inline {
    /// Link destinations in order (trimmed), autolinks included.
    pub urls: Vec<String>,
    /// Links whose text is empty or blank.
    pub empty_links: usize,
    pub strong: usize,
    pub emphasis: usize,
    pub code: usize,
    pub strikethrough: usize,
    /// `**` runs that CommonMark left as literal text.
    pub unrendered: usize,
}

/// The parser options for segment text: those of the site that matter inline.
fn parser(text: &str) -> Parser<'_> {
    Parser::new_ext(text, Options::ENABLE_STRIKETHROUGH)
}

/// Summarises one inline Markdown text. Leading and trailing white space is
/// dropped first: a segment is inline, and an indented first line must not
/// read as a code block.
pub fn inline(text: &str) -> Inline {
    let text = text.trim();
    // Plain text (most segments) has nothing to count: skip the parser.
    if !has_markup(text) {
        return Inline::default();
    }
    // Text whose only markup is strong emphasis (`**a** b`) is counted
    // without it too.
    if let Some(strong) = crate::render::strong_pairs(text) {
        return Inline {
            strong,
            ..Inline::default()
        };
    }
    parsed(text)
}

/// Whether `text` has a character that starts markup [`inline`] counts
/// (looked for by byte: all of them are ASCII).
fn has_markup(text: &str) -> bool {
    text.bytes()
        .any(|b| matches!(b, b'[' | b'*' | b'_' | b'`' | b'~' | b'<' | b'\\' | b'&'))
}

/// [`inline`] of trimmed text, by the parser.
fn parsed(text: &str) -> Inline {
    let mut out = Inline::default();
    // For each open link: whether it has shown any text yet.
    let mut links: Vec<bool> = Vec::new();
    // Literal text, with a break wherever markup interrupts it.
    let mut literal = String::new();
    let saw = |links: &mut Vec<bool>, text: &str| {
        if !text.trim().is_empty() {
            for l in links.iter_mut() {
                *l = true;
            }
        }
    };
    for event in parser(text) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                out.urls.push(dest_url.trim().to_string());
                links.push(false);
                literal.push('\u{1}');
            }
            Event::End(TagEnd::Link) => {
                if links.pop() == Some(false) {
                    out.empty_links += 1;
                }
                literal.push('\u{1}');
            }
            Event::Start(Tag::Image { .. }) => {
                saw(&mut links, "image");
                literal.push('\u{1}');
            }
            Event::Start(Tag::Strong) => out.strong += 1,
            Event::Start(Tag::Emphasis) => out.emphasis += 1,
            Event::Start(Tag::Strikethrough) => out.strikethrough += 1,
            Event::Code(code) => {
                out.code += 1;
                saw(&mut links, &code);
                literal.push('\u{1}');
            }
            Event::Text(t) => {
                saw(&mut links, &t);
                // Decoded: an escaped `\*\*` shows as `**` too.
                literal.push_str(&t);
            }
            Event::InlineHtml(h) | Event::Html(h) => {
                saw(&mut links, &h);
                literal.push('\u{1}');
            }
            Event::SoftBreak | Event::HardBreak => literal.push(' '),
            Event::Start(_) | Event::End(_) => literal.push('\u{1}'),
            _ => {}
        }
    }
    out.unrendered = literal.matches("**").count();
    out
}

/// The markup lints for one pair: `(lint, message)` for each difference.
pub fn compare(target: &str, source: &str) -> Vec<(Lint, String)> {
    differences(&inline(target), &inline(source))
}

/// [`compare`] for the pairs of one article's copies, which mostly carry
/// the same English (35 copies of it at 36 languages): each English
/// sentence with markup is summarised once.
#[derive(Default)]
pub struct Comparer {
    sources: FxHashMap<String, Inline>,
}

impl Comparer {
    pub fn compare(&mut self, target: &str, source: &str) -> Vec<(Lint, String)> {
        let t = inline(target);
        if !has_markup(source) {
            return differences(&t, &Inline::default());
        }
        if let Some(s) = self.sources.get(source) {
            return differences(&t, s);
        }
        let s = inline(source);
        let out = differences(&t, &s);
        self.sources.insert(source.to_string(), s);
        out
    }
}

/// The lints for a translation summarised as `t` whose English is
/// summarised as `s`.
fn differences(t: &Inline, s: &Inline) -> Vec<(Lint, String)> {
    let mut out = Vec::new();

    let dropped: Vec<&str> = distinct(&s.urls)
        .into_iter()
        .filter(|u| !t.urls.iter().any(|x| x == u))
        .collect();
    let added: Vec<&str> = distinct(&t.urls)
        .into_iter()
        .filter(|u| !s.urls.iter().any(|x| x == u))
        .collect();
    if !dropped.is_empty() || !added.is_empty() {
        let mut parts = Vec::new();
        if !dropped.is_empty() {
            parts.push(format!(
                "the English links to {} but the translation does not",
                quoted(&dropped)
            ));
        }
        if !added.is_empty() {
            parts.push(format!(
                "the translation links to {} but the English does not",
                quoted(&added)
            ));
        }
        out.push((lint::MARKUP_LINK_URL, parts.join("; ")));
    } else if t.urls.len() != s.urls.len() {
        out.push((
            lint::MARKUP_LINK_COUNT,
            format!(
                "the translation has {} but the English has {} (to the same URLs)",
                count(t.urls.len(), "link"),
                count(s.urls.len(), "link")
            ),
        ));
    }
    if t.empty_links > s.empty_links {
        out.push((
            lint::MARKUP_EMPTY_LINK_TEXT,
            format!(
                "the translation has {} with no text (`[](url)`); the English has {}",
                count(t.empty_links, "link"),
                t_or_none(s.empty_links)
            ),
        ));
    }
    if t.unrendered > 0 {
        let english = if s.unrendered > 0 {
            " (the English has the same problem)"
        } else {
            ""
        };
        out.push((
            lint::MARKUP_UNRENDERED_EMPHASIS,
            format!(
                "`**` shows as text: CommonMark renders no bold here (a space just inside \
                 the markers, or escaped markers){english}"
            ),
        ));
    } else {
        let (tk, sk) = (kinds(t), kinds(s));
        if tk != sk {
            out.push((
                lint::MARKUP_EMPHASIS,
                format!(
                    "the translation has {} but the English has {}",
                    describe(tk),
                    describe(sk)
                ),
            ));
        }
    }
    out
}

fn kinds(i: &Inline) -> [usize; 4] {
    [i.strong, i.emphasis, i.code, i.strikethrough]
}

fn describe(k: [usize; 4]) -> String {
    let names = ["bold", "italic", "code", "strikethrough"];
    let parts: Vec<String> = k
        .iter()
        .zip(names)
        .filter(|(n, _)| **n > 0)
        .map(|(n, name)| format!("{n} {name}"))
        .collect();
    if parts.is_empty() {
        "no emphasis".into()
    } else {
        parts.join(", ")
    }
}

fn distinct(urls: &[String]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for u in urls {
        if !out.contains(&u.as_str()) {
            out.push(u);
        }
    }
    out
}

fn quoted(urls: &[&str]) -> String {
    let q: Vec<String> = urls.iter().map(|u| format!("`{u}`")).collect();
    q.join(", ")
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn t_or_none(n: usize) -> String {
    if n == 0 {
        "none".into()
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The summary the parser makes, for the texts the strong-emphasis
    /// path reads without it: every segment of the corpus (skipped where the
    /// corpus is absent).
    #[test]
    fn strong_emphasis_is_counted_as_the_parser_counts_it() {
        assert_eq!(inline("Select **Save** and **OK**.").strong, 2);
        assert_eq!(inline("a ** b**").unrendered, 2);
        let (mut texts, mut fast) = (0, 0);
        let found = crate::corpus::each_pair_text(|_, text| {
            texts += 1;
            let text = text.trim();
            if let Some(strong) = crate::render::strong_pairs(text) {
                fast += usize::from(strong > 0);
                let summary = Inline {
                    strong,
                    ..Inline::default()
                };
                assert_eq!(parsed(text), summary, "{text:?}");
            }
        });
        if !found {
            return;
        }
        eprintln!("{fast} of {texts} texts counted without the parser");
        assert!(fast > texts / 20, "{fast} of {texts}");
    }

    fn lints(t: &str, s: &str) -> Vec<&'static str> {
        compare(t, s).into_iter().map(|(l, _)| l.name).collect()
    }

    #[test]
    fn summaries() {
        let i = inline("See **[this](https://a.b)** and `x` *y* [](c) ~~z~~");
        assert_eq!(i.urls, ["https://a.b", "c"]);
        assert_eq!(i.empty_links, 1);
        assert_eq!(
            (i.strong, i.emphasis, i.code, i.strikethrough),
            (1, 1, 1, 1)
        );
        assert_eq!(inline("Select ** Save ** now").unrendered, 2);
        assert_eq!(inline("Select **Save** now").unrendered, 0);
        assert_eq!(inline("\n            ** a ** b").unrendered, 2);
        // Escaped markers show as text as well.
        assert_eq!(inline(r"Select\*\* Save\*\* now").unrendered, 2);
        // Link text that is only an image or code is not empty.
        assert_eq!(inline("[![x](m.png)](u) [`c`](v)").empty_links, 0);
    }

    #[test]
    fn links() {
        assert_eq!(lints("[a](u)", "[b](v)"), ["markup::link-url"]);
        assert_eq!(lints("a", "[b](v)"), ["markup::link-url"]);
        assert_eq!(lints("[a](u) [b](u)", "[ab](u)"), ["markup::link-count"]);
        assert_eq!(lints("[](u)", "[b](u)"), ["markup::empty-link-text"]);
        assert!(lints("[a](u)", "[b](u)").is_empty());
        assert!(lints("[](u)", "[](u)").is_empty());
    }

    #[test]
    fn emphasis() {
        assert_eq!(lints("a b", "**a** b"), ["markup::emphasis"]);
        assert_eq!(
            lints("** a ** b", "**a** b"),
            ["markup::unrendered-emphasis"]
        );
        assert!(lints("**一** 二", "**a** b").is_empty());
        assert!(lints("*a* `b`", "_x_ `y`").is_empty());
    }
}
