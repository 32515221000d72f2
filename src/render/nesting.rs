//! How deep a rendered page may nest: Markdown containers and inline spans
//! ([`Limit`], on pulldown-cmark's events) and raw HTML elements from content
//! ([`HtmlDepth`], before the sanitiser). Past the limit, tags are left out
//! and their content kept, so the page keeps all of its text.
//!
//! Why: browsers stop nesting elements past a depth of their own (512 in
//! Chromium), so deeper levels show nothing more; and the HTML parser of the
//! sanitiser spends time with the square of the depth (200,000 nested
//! `<div>` took minutes). The line-level bounds of `parse::bounds` keep the
//! parser's own work small; these keep the page's.

use pulldown_cmark::{Event, Tag, TagEnd};
use std::ops::Range;

/// Markdown levels one page may nest: block quotes, lists, footnotes,
/// emphasis, links and images, counted together (a list item is one level
/// with its list).
pub const MAX_DEPTH: usize = 100;

/// Raw HTML elements from content that may be open at once.
pub const MAX_HTML_DEPTH: usize = 256;

/// Passes events on, leaving out the `Start` and `End` of every counted tag
/// deeper than [`MAX_DEPTH`]; records where the first one left out was.
pub struct Limit<I> {
    inner: I,
    depth: usize,
    /// Tags left out that are still open (all deeper than the kept ones).
    dropped: usize,
    /// The offset of the first tag left out.
    pub first_dropped: Option<usize>,
}

impl<I> Limit<I> {
    pub fn new(inner: I) -> Limit<I> {
        Limit {
            inner,
            depth: 0,
            dropped: 0,
            first_dropped: None,
        }
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for Limit<I> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (event, range) = self.inner.next()?;
            match &event {
                Event::Start(tag) if counted(tag) => {
                    if self.depth >= MAX_DEPTH {
                        self.dropped += 1;
                        self.first_dropped.get_or_insert(range.start);
                        continue;
                    }
                    self.depth += 1;
                }
                Event::End(end) if counted_end(*end) => {
                    if self.dropped > 0 {
                        self.dropped -= 1;
                        continue;
                    }
                    self.depth = self.depth.saturating_sub(1);
                }
                _ => {}
            }
            return Some((event, range));
        }
    }
}

fn counted(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::BlockQuote(_)
            | Tag::List(_)
            | Tag::FootnoteDefinition(_)
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn counted_end(end: TagEnd) -> bool {
    matches!(
        end,
        TagEnd::BlockQuote(_)
            | TagEnd::List(_)
            | TagEnd::FootnoteDefinition
            | TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// The raw HTML elements of one page that are open, as far as tags tell.
#[derive(Debug, Default)]
pub struct HtmlDepth {
    open: usize,
    /// Tags left out so far.
    pub dropped: usize,
}

impl HtmlDepth {
    /// Whether the tag of element `name` (lower case) is kept: `closing` for
    /// `</name>`, `self_closing` for `<name/>`. Elements that never hold
    /// others (`br`, `img` …) or that the HTML parser closes by itself when
    /// the next one starts (`p`, `li`, `td` …) are not counted: left
    /// unclosed, they do not nest.
    pub fn keep(&mut self, name: &str, closing: bool, self_closing: bool) -> bool {
        if self_closing || !nests(name) {
            return true;
        }
        if closing {
            if self.open > MAX_HTML_DEPTH {
                self.open -= 1;
                return false;
            }
            self.open = self.open.saturating_sub(1);
            return true;
        }
        self.open += 1;
        if self.open > MAX_HTML_DEPTH {
            self.dropped += 1;
            return false;
        }
        true
    }
}

fn nests(name: &str) -> bool {
    !matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "p"
            | "li"
            | "dt"
            | "dd"
            | "tr"
            | "td"
            | "th"
            | "thead"
            | "tbody"
            | "tfoot"
            | "colgroup"
            | "caption"
            | "option"
            | "optgroup"
            | "rb"
            | "rt"
            | "rp"
            | "rtc"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(markdown: &str) -> (String, Option<usize>) {
        let mut limit = Limit::new(super::super::parser(markdown).into_offset_iter());
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, limit.by_ref().map(|(e, _)| e));
        (out, limit.first_dropped)
    }

    #[test]
    fn deep_markdown_is_flattened_and_keeps_its_text() {
        let deep = format!("{}deep{}", "*a ".repeat(150), " b*".repeat(150));
        let (out, first) = html(&deep);
        assert_eq!(out.matches("<em>").count(), MAX_DEPTH);
        assert_eq!(out.matches("</em>").count(), MAX_DEPTH);
        assert!(out.contains("deep"));
        // The 101st `*`.
        assert_eq!(first, Some(3 * MAX_DEPTH));
        let (out, first) = html("> > - *x*\n");
        assert_eq!(first, None);
        assert!(out.contains("<em>x</em>"), "{out}");
    }

    #[test]
    fn deep_html_keeps_its_first_levels() {
        let mut depth = HtmlDepth::default();
        let opened = (0..300).filter(|_| depth.keep("div", false, false)).count();
        assert_eq!(opened, MAX_HTML_DEPTH);
        assert!(depth.keep("br", false, false) && depth.keep("p", false, false));
        let closed = (0..300).filter(|_| depth.keep("div", true, false)).count();
        assert_eq!(closed, MAX_HTML_DEPTH);
        assert_eq!(depth.dropped, 300 - MAX_HTML_DEPTH);
        assert!(depth.keep("div", false, false), "open again after closing");
    }
}
