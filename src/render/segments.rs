//! Marks where each translated sentence stands in the rendered page, so that
//! the English can be shown beside it (Show English) and changed sentences
//! can be marked (drift marks).
//!
//! Each segment pair becomes `<span data-s="N">…</span>` around its rendered
//! text (plus `id="s-N"` on English pages, the targets of side-by-side links,
//! and a `seg-stale` class with a screen-reader note where the English has
//! changed). The spans are placed using pulldown-cmark's source offsets: a
//! text event that a segment boundary cuts is split there; a segment never
//! stays open across the end of its block. Also records what kind of block
//! each segment stands in, for the side-by-side view.

use pulldown_cmark::{Event, Tag, TagEnd};
use serde::Serialize;
use std::ops::Range;

/// One segment to mark, by its byte range in the rendered Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub range: Range<usize>,
    /// The English of this sentence has changed since it was translated.
    pub stale: bool,
}

/// How the page's segments are marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `data-s` only (translated pages).
    Translation,
    /// `data-s` and `id="s-N"` (English pages, linked to from side-by-side rows).
    English,
}

/// The kind of block a segment stands in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    #[default]
    Paragraph,
    Heading,
    Item,
    Alert,
    Table,
    Quote,
}

impl BlockKind {
    /// Its name, as serialised: `paragraph`, `heading` …
    pub fn name(self) -> &'static str {
        &self.label_key()["kind_".len()..]
    }

    /// The UI string that names this kind (`kind_heading` …).
    pub fn label_key(self) -> &'static str {
        match self {
            BlockKind::Paragraph => "kind_paragraph",
            BlockKind::Heading => "kind_heading",
            BlockKind::Item => "kind_item",
            BlockKind::Alert => "kind_alert",
            BlockKind::Table => "kind_table",
            BlockKind::Quote => "kind_quote",
        }
    }
}

/// Inserts the segment spans into `events` (with their source ranges) and
/// returns the events and each segment's block kind. `stale_note` is the
/// screen-reader text placed in stale segments. The whole page at once:
/// [`Marker`] does the same one event at a time.
pub fn mark<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    marks: &[Mark],
    style: Style,
    stale_note: &str,
) -> (Vec<(Event<'a>, usize)>, Vec<BlockKind>) {
    let mut out = Vec::with_capacity(events.len() + marks.len() * 2);
    let mut marker = Marker::new(marks, style, stale_note);
    for (event, range) in events {
        marker.push(event, range, &mut out);
    }
    marker.finish(&mut out);
    (out, marker.kinds)
}

/// Places the segment spans on a page's events as they stream from the
/// parser, so that a page with marks is never held as a list of all its
/// events (20,000 pairs were 20 MB of them). Each event goes through
/// [`Marker::push`], in order, then [`Marker::finish`] once.
pub struct Marker<'m> {
    marks: &'m [Mark],
    style: Style,
    stale_note: &'m str,
    /// The block kind of each mark, by index in `marks`.
    pub kinds: Vec<BlockKind>,
    /// The blocks open around the current event.
    blocks: Vec<BlockKind>,
    /// The first mark not yet opened.
    next: usize,
    /// The mark whose span is open.
    open: Option<usize>,
    /// The end of the last event's range.
    end: usize,
}

impl<'m> Marker<'m> {
    pub fn new(marks: &'m [Mark], style: Style, stale_note: &'m str) -> Marker<'m> {
        Marker {
            marks,
            style,
            stale_note,
            kinds: vec![BlockKind::default(); marks.len()],
            blocks: Vec::new(),
            next: 0,
            open: None,
            end: 0,
        }
    }

    /// The opening tag of mark `i`.
    fn open_tag(&self, i: usize) -> String {
        let m = &self.marks[i];
        let id = if self.style == Style::English {
            format!(" id=\"s-{i}\"")
        } else {
            String::new()
        };
        if m.stale {
            format!(
                "<span data-s=\"{i}\"{id} class=\"seg-stale\"><span class=\"sr-only\">{}</span>",
                super::escape(self.stale_note)
            )
        } else {
            format!("<span data-s=\"{i}\"{id}>")
        }
    }

    /// Opens mark `next` before the event at `at`.
    fn open_next<'a>(&mut self, at: usize, out: &mut Vec<(Event<'a>, usize)>) {
        let next = self.next;
        out.push((Event::InlineHtml(self.open_tag(next).into()), at));
        self.kinds[next] = kind_of(&self.blocks);
        self.open = Some(next);
    }

    /// Closes the open mark `i` before the event at `at`.
    fn close<'a>(&mut self, i: usize, at: usize, out: &mut Vec<(Event<'a>, usize)>) {
        out.push((Event::InlineHtml("</span>".into()), at));
        self.open = None;
        self.next = i + 1;
    }

    /// Pushes `event` (its source range `range`) onto `out`, with the spans
    /// it opens or closes, its text split where a mark starts or ends.
    pub fn push<'a>(
        &mut self,
        event: Event<'a>,
        range: Range<usize>,
        out: &mut Vec<(Event<'a>, usize)>,
    ) {
        let marks = self.marks;
        self.end = range.end;
        // A block ends: a segment never spans blocks.
        if is_block_end(&event) {
            if self.open.take().is_some() {
                out.push((Event::InlineHtml("</span>".into()), range.start));
            }
            self.blocks.pop();
            out.push((event, range.start));
            return;
        }
        if let Some(kind) = block_start(&event) {
            self.blocks.push(kind);
            out.push((event, range.start));
            return;
        }
        // Skip marks that no event reached (inside code, say).
        while self.open.is_none()
            && self.next < marks.len()
            && marks[self.next].range.end <= range.start
        {
            self.next += 1;
        }
        let splittable = matches!(&event, Event::Text(t) if t.len() == range.len());
        match event {
            Event::Text(text) if splittable => {
                let mut at = 0;
                let base = range.start;
                loop {
                    if let Some(i) = self.open {
                        let end = marks[i].range.end.saturating_sub(base);
                        if end < text.len() {
                            if end > at {
                                out.push((
                                    Event::Text(text[at..end].to_string().into()),
                                    range.start,
                                ));
                            }
                            self.close(i, range.start, out);
                            at = end.max(at);
                            continue;
                        }
                        out.push((Event::Text(text[at..].to_string().into()), range.start));
                        if marks[i].range.end <= range.end {
                            self.close(i, range.start, out);
                        }
                        break;
                    }
                    if self.next < marks.len() && marks[self.next].range.start < range.end {
                        let start = marks[self.next].range.start.saturating_sub(base).max(at);
                        if start > at && text.is_char_boundary(start) {
                            out.push((
                                Event::Text(text[at..start].to_string().into()),
                                range.start,
                            ));
                        }
                        self.open_next(range.start, out);
                        at = if text.is_char_boundary(start) {
                            start
                        } else {
                            at
                        };
                        continue;
                    }
                    if at < text.len() {
                        out.push((Event::Text(text[at..].to_string().into()), range.start));
                    }
                    break;
                }
            }
            event => {
                if self.open.is_none()
                    && self.next < marks.len()
                    && marks[self.next].range.start <= range.start
                    && range.start < marks[self.next].range.end
                {
                    self.open_next(range.start, out);
                }
                let inline_end =
                    matches!(event, Event::End(_)) || !matches!(event, Event::Start(_));
                out.push((event, range.start));
                if let Some(i) = self.open {
                    if inline_end && range.end >= marks[i].range.end {
                        self.close(i, range.start, out);
                    }
                }
            }
        }
    }

    /// After the last event: closes a span still open.
    pub fn finish<'a>(&mut self, out: &mut Vec<(Event<'a>, usize)>) {
        if self.open.take().is_some() {
            out.push((Event::InlineHtml("</span>".into()), self.end));
        }
    }
}

/// What a reader would call the block: the outermost heading, table, alert
/// or list item around the segment, else its paragraph.
fn kind_of(blocks: &[BlockKind]) -> BlockKind {
    for kind in [
        BlockKind::Heading,
        BlockKind::Table,
        BlockKind::Alert,
        BlockKind::Item,
        BlockKind::Quote,
    ] {
        if blocks.contains(&kind) {
            return kind;
        }
    }
    BlockKind::Paragraph
}

fn block_start(event: &Event) -> Option<BlockKind> {
    match event {
        Event::Start(tag) => match tag {
            Tag::Paragraph => Some(BlockKind::Paragraph),
            Tag::Heading { .. } => Some(BlockKind::Heading),
            Tag::Item => Some(BlockKind::Item),
            Tag::BlockQuote(Some(_)) => Some(BlockKind::Alert),
            Tag::BlockQuote(None) => Some(BlockKind::Quote),
            Tag::TableCell => Some(BlockKind::Table),
            Tag::List(_)
            | Tag::Table(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::CodeBlock(_)
            | Tag::FootnoteDefinition(_)
            | Tag::HtmlBlock => Some(BlockKind::Paragraph),
            _ => None,
        },
        _ => None,
    }
}

fn is_block_end(event: &Event) -> bool {
    matches!(
        event,
        Event::End(
            TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::TableCell
                | TagEnd::List(_)
                | TagEnd::Table
                | TagEnd::TableHead
                | TagEnd::TableRow
                | TagEnd::CodeBlock
                | TagEnd::FootnoteDefinition
                | TagEnd::HtmlBlock
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(md: &str, segs: &[&str]) -> (String, Vec<BlockKind>) {
        let marks: Vec<Mark> = segs
            .iter()
            .map(|s| {
                let start = md.find(s).expect("segment in text");
                Mark {
                    range: start..start + s.len(),
                    stale: false,
                }
            })
            .collect();
        let events: Vec<_> = crate::render::parser(md).into_offset_iter().collect();
        let (events, kinds) = mark(events, &marks, Style::Translation, "changed");
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
        (html, kinds)
    }

    #[test]
    fn spans_around_sentences() {
        let (html, kinds) = marked(
            "# Title here\n\n- One. Two [link](x.md) end.\n",
            &["Title here", "One.", "Two [link](x.md) end."],
        );
        assert_eq!(
            html,
            "<h1><span data-s=\"0\">Title here</span></h1>\n<ul>\n<li><span data-s=\"1\">One.</span> <span data-s=\"2\">Two <a href=\"x.md\">link</a> end.</span></li>\n</ul>\n"
        );
        assert_eq!(
            kinds,
            [BlockKind::Heading, BlockKind::Item, BlockKind::Item]
        );
    }

    #[test]
    fn segment_inside_link_text_and_emphasis() {
        let (html, _) = marked(
            "[Link text](u) and **bold text**\n",
            &["Link text", "bold text"],
        );
        assert_eq!(
            html,
            "<p><a href=\"u\"><span data-s=\"0\">Link text</span></a> and <strong><span data-s=\"1\">bold text</span></strong></p>\n"
        );
    }

    #[test]
    fn segment_starting_with_markup() {
        let (html, _) = marked("x **Bold** tail.\n", &["**Bold** tail."]);
        assert_eq!(
            html,
            "<p>x <span data-s=\"0\"><strong>Bold</strong> tail.</span></p>\n"
        );
    }

    #[test]
    fn alerts_are_recognised() {
        let (_, kinds) = marked("> [!NOTE]\n> Careful now.\n", &["Careful now."]);
        assert_eq!(kinds, [BlockKind::Alert]);
    }
}
