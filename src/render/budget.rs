//! How many Markdown elements one page may make, and the one event stream
//! of a page within that bound ([`events`]).
//!
//! pulldown-cmark builds a tree of the whole document before it hands out
//! the first event, about 50 bytes a node (its text runs, soft breaks,
//! delimiter runs, brackets, raw tags). One 2 MB paragraph of `[`, of `*a `,
//! of `<b>` or of one-letter lines makes millions of nodes: 150–300 MB for
//! the parser alone, whatever the renderer does after. So the elements a
//! block would make are estimated before parsing, from its bytes:
//!
//! - a block here is a run of non-blank lines, a heading line being a
//!   block of its own (what CommonMark makes of the rest of a run, one
//!   paragraph or several blocks, does not matter to the estimate);
//! - each line counts 2 (its text and its line break), and each byte that
//!   can start inline syntax or a cell (`* _ ~ [ ] < > ! & \ ` |`) counts 1,
//!   so the estimate is never below the nodes the parser makes of them; a
//!   heading line counts [`HEADING`] more, for what helpbook keeps of each
//!   heading (its id, its place in the contents, its anchor), and each `](`
//!   (where a link's or image's destination starts) [`LINK`] more, for what
//!   the parser keeps of each link besides its nodes (its URL, title and
//!   id) and the record of a `#fragment` link for its check;
//! - a block past [`MAX_BLOCK`], and the rest of the article from the block
//!   where the article passes [`MAX_ARTICLE`], are not given to the parser:
//!   each is shown as one paragraph of plain text, its characters as
//!   written, with a `limit::elements` finding at its first byte.
//!
//! The text around such a block is parsed on its own, piece by piece, so
//! the parser holds one piece's tree at a time. An article with no such
//! block is parsed whole, as it always was: the corpus's largest block is
//! estimated at 18,960 and its largest file at 30,231 (each file as it is
//! on disk, `tests/element_budget.rs`), far below the bounds, so real
//! articles render byte for byte as before.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::ops::Range;

/// The estimated elements one block (run of non-blank lines) may make.
pub const MAX_BLOCK: usize = 100_000;

/// The estimated elements one article may make; the blocks past it are
/// shown as plain text.
pub const MAX_ARTICLE: usize = 400_000;

/// What a heading line adds to its estimate: helpbook keeps an id, a
/// contents entry and an anchor of each heading besides the parser's nodes,
/// and writes it twice (heading and contents). Measured on 250,000 equal
/// headings (100,000 of them parsed): rendering the page grew the process
/// by 44 MB and writing it by 7–15 MB more, three times what as many lines
/// cost the parser alone; with 4, a heading line is estimated at 6.
pub const HEADING: usize = 4;

/// What a `](` adds to its block's estimate. Measured: pulldown-cmark alone
/// on 150,000 paragraphs of `[x](b.md#b)` peaked at 85 MB, twice what as
/// many heading lines cost it (estimated at 4 each): a link is estimated at
/// 8 with this.
pub const LINK: usize = 4;

/// A part of the text shown as plain text, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plain {
    pub range: Range<usize>,
    /// The estimate that passed its bound: of the block, or of the article
    /// up to and including this block.
    pub estimate: usize,
    /// Whether this is the rest of the article (past [`MAX_ARTICLE`]), not
    /// one block.
    pub rest: bool,
}

impl Plain {
    /// The message of its `limit::elements` finding.
    pub fn message(&self) -> String {
        if self.rest {
            format!(
                "the article would make more than {MAX_ARTICLE} Markdown elements (about {} up to \
                 this block): from here to its end it is shown as plain text",
                self.estimate
            )
        } else {
            format!(
                "this block would make about {} Markdown elements, more than the {MAX_BLOCK} one \
                 block may have: it is shown as plain text, up to the next blank line",
                self.estimate
            )
        }
    }
}

/// Whether a byte can start inline syntax or a table cell.
fn special(b: u8) -> bool {
    matches!(
        b,
        b'*' | b'_' | b'~' | b'[' | b']' | b'<' | b'>' | b'!' | b'&' | b'\\' | b'`' | b'|'
    )
}

/// Whether `line` is an ATX heading (`#` to `######` after at most three
/// spaces, then a space, a tab or the end of the line).
fn atx_heading(line: &str) -> bool {
    let rest = line.trim_start_matches(' ');
    if line.len() - rest.len() > 3 {
        return false;
    }
    let hashes = rest.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes)
        && matches!(
            rest.as_bytes().get(hashes),
            None | Some(b' ' | b'\t' | b'\n' | b'\r')
        )
}

/// The estimate of one non-blank line (see the module's comment).
fn line_cost(line: &str, heading: bool) -> usize {
    2 + line.bytes().filter(|&b| special(b)).count()
        + line.matches("](").count() * LINK
        + if heading { HEADING } else { 0 }
}

/// Each block of `text` (a run of non-blank lines, a heading line being a
/// block of its own) with its estimate, in order.
fn blocks(text: &str) -> impl Iterator<Item = (Range<usize>, usize)> + '_ {
    let mut lines = text.split_inclusive('\n');
    let mut block: Option<(usize, usize)> = None; // (start, estimate)
    let mut at = 0;
    std::iter::from_fn(move || {
        for line in lines.by_ref() {
            let blank = line.bytes().all(|b| b.is_ascii_whitespace());
            // A heading line is a block of its own: it always ends a paragraph.
            let heading = atx_heading(line);
            let closed = if blank || heading {
                block.take().map(|(start, estimate)| (start..at, estimate))
            } else {
                None
            };
            if !blank {
                let (_, estimate) = block.get_or_insert((at, 0));
                *estimate += line_cost(line, heading);
            }
            at += line.len();
            if closed.is_some() {
                return closed;
            }
        }
        block.take().map(|(start, estimate)| (start..at, estimate))
    })
}

/// The estimate of the largest block of `text` and of the whole text (the
/// blocks past [`MAX_BLOCK`] left out, as they are not parsed).
pub fn estimates(text: &str) -> (usize, usize) {
    blocks(text).fold((0, 0), |(largest, article), (_, estimate)| {
        (
            largest.max(estimate),
            article + if estimate > MAX_BLOCK { 0 } else { estimate },
        )
    })
}

/// The longest text that cannot pass either bound, and so needs no
/// estimate: a non-blank line costs at most 6 + 3 × its bytes (a heading of
/// nothing but `](`), and a text of n bytes has at most n such lines, so its
/// estimate is at most 9 × n. Most sentences and most articles are shorter.
const ALWAYS_PARSED: usize = MAX_BLOCK / 9;

/// The parts of `text` to show as plain text, in order.
pub fn plain_parts(text: &str) -> Vec<Plain> {
    if text.len() <= ALWAYS_PARSED {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut article = 0usize;
    for (range, estimate) in blocks(text) {
        if estimate > MAX_BLOCK {
            // Not parsed: it does not count against the article.
            out.push(Plain {
                range,
                estimate,
                rest: false,
            });
            continue;
        }
        article += estimate;
        if article > MAX_ARTICLE {
            out.push(Plain {
                range: range.start..text.len(),
                estimate: article,
                rest: true,
            });
            break;
        }
    }
    out
}

/// The events of a page's Markdown with their ranges in `text`: the parser's
/// own, piece by piece around the `plain` parts, each of which becomes a
/// paragraph of one text event. With no plain parts, the parser over the
/// whole text.
pub fn events<'a>(
    text: &'a str,
    plain: &[Plain],
) -> impl Iterator<Item = (Event<'a>, Range<usize>)> + 'a {
    let mut pieces: Vec<(Range<usize>, bool)> = Vec::with_capacity(plain.len() * 2 + 1);
    let mut at = 0;
    for p in plain {
        if p.range.start > at {
            pieces.push((at..p.range.start, false));
        }
        pieces.push((p.range.clone(), true));
        at = p.range.end;
    }
    if at < text.len() || pieces.is_empty() {
        pieces.push((at..text.len(), false));
    }
    // Each piece's parser is made when the one before it is used up
    // (making one builds its whole tree).
    pieces.into_iter().flat_map(move |(range, plain)| {
        let piece: Box<dyn Iterator<Item = (Event<'a>, Range<usize>)> + 'a> = if plain {
            let words = text[range.clone()].trim_end_matches(['\n', '\r', ' ', '\t']);
            let r = range.clone();
            // The text event's range is exactly its text, so that segment
            // marks can split it.
            let at = range.start..range.start + words.len();
            Box::new(
                [
                    (Event::Start(Tag::Paragraph), r.clone()),
                    (Event::Text(CowStr::Borrowed(words)), at),
                    (Event::End(TagEnd::Paragraph), r),
                ]
                .into_iter(),
            )
        } else {
            let base = range.start;
            Box::new(
                super::parser(&text[range])
                    .into_offset_iter()
                    .map(move |(e, r)| (e, r.start + base..r.end + base)),
            )
        };
        piece
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_of_always_parsed_bytes_passes_a_bound() {
        // The costliest lines there are, each as short as it can be, up to
        // the length that needs no estimate.
        let costly = [
            "#](".repeat(ALWAYS_PARSED / 3),
            "#\n".repeat(ALWAYS_PARSED / 2),
            "*\n".repeat(ALWAYS_PARSED / 2),
            "](".repeat(ALWAYS_PARSED / 2),
            "# ](](\n".repeat(ALWAYS_PARSED / 7),
        ];
        for text in costly {
            assert!(text.len() <= ALWAYS_PARSED, "{}", text.len());
            let (largest, article) = estimates(&text);
            assert!(
                largest <= 9 * text.len() && largest <= MAX_BLOCK,
                "{largest}"
            );
            assert!(article <= MAX_ARTICLE, "{article}");
        }
        // Past it, the estimate is made (5 per `](` on one line).
        let long = "](".repeat(MAX_BLOCK / 5 + 1);
        assert!(!plain_parts(&long).is_empty());
    }

    fn html(text: &str) -> String {
        let mut out = String::new();
        let plain = plain_parts(text);
        pulldown_cmark::html::push_html(&mut out, events(text, &plain).map(|(e, _)| e));
        out
    }

    #[test]
    fn real_markdown_is_parsed_whole() {
        let text = "# T\n\n[a]: /x\n\nSee [a] and *b*.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
        assert!(plain_parts(text).is_empty());
        let mut want = String::new();
        pulldown_cmark::html::push_html(&mut want, super::super::parser(text));
        assert_eq!(html(text), want);
        let ranges: Vec<_> = events(text, &[]).map(|(_, r)| r).collect();
        let whole: Vec<_> = super::super::parser(text)
            .into_offset_iter()
            .map(|(_, r)| r)
            .collect();
        assert_eq!(ranges, whole);
    }

    #[test]
    fn a_block_past_the_bound_is_plain_text_and_the_rest_is_parsed() {
        let bomb = "[".repeat(MAX_BLOCK);
        let text = format!("# Before\n\n*a* {bomb} <b>\n\n*after*\n");
        let plain = plain_parts(&text);
        let start = "# Before\n\n".len();
        assert_eq!(
            plain,
            [Plain {
                range: start..start + "*a* ".len() + bomb.len() + " <b>\n".len(),
                estimate: MAX_BLOCK + 2 + 4,
                rest: false
            }]
        );
        assert!(plain[0].message().contains("100000 one block may have"));
        let out = html(&text);
        assert_eq!(
            out,
            format!("<h1>Before</h1>\n<p>*a* {bomb} &lt;b&gt;</p>\n<p><em>after</em></p>\n")
        );
        // Offsets are those of the whole text.
        let after: Vec<_> = events(&text, &plain)
            .filter(|(e, _)| matches!(e, Event::Text(t) if t.as_ref() == "after"))
            .map(|(_, r)| r)
            .collect();
        assert_eq!(after.len(), 1);
        assert_eq!(after[0], text.find("after").expect("after")..text.len() - 2);
    }

    #[test]
    fn headings_are_blocks_of_their_own() {
        // As many as the article's bound allows: as one block, they would
        // be far past the block's.
        let n = MAX_ARTICLE / (2 + HEADING);
        assert!(n * (2 + HEADING) > MAX_BLOCK);
        let text = "## Same\n".repeat(n);
        assert!(plain_parts(&text).is_empty());
        assert_eq!(estimates(&text), (2 + HEADING, n * (2 + HEADING)));
        assert!(atx_heading("# a\n") && atx_heading("   ######\n"));
        assert!(!atx_heading("#a") && !atx_heading("    # a") && !atx_heading("####### a"));
    }

    #[test]
    fn one_letter_lines_count_their_breaks() {
        let lines = MAX_BLOCK / 2 + 1;
        let text = "a\n".repeat(lines);
        let plain = plain_parts(&text);
        assert_eq!(plain.len(), 1);
        assert_eq!(plain[0].estimate, lines * 2);
        // Shown as the parser would show it: the line breaks kept.
        let mut want = String::new();
        pulldown_cmark::html::push_html(&mut want, super::super::parser(&text));
        assert_eq!(html(&text), want);
    }

    #[test]
    fn past_the_article_bound_the_rest_is_plain() {
        // Blocks just under the block bound, until the article passes its own.
        let block = format!("{}\n\n", "*".repeat(MAX_BLOCK - 2));
        let n = MAX_ARTICLE / MAX_BLOCK + 1;
        let text = format!("{}tail *x*\n", block.repeat(n));
        let plain = plain_parts(&text);
        assert_eq!(plain.len(), 1, "{:?}", plain.iter().map(|p| &p.range));
        assert!(plain[0].rest);
        assert_eq!(plain[0].range, block.len() * (n - 1)..text.len());
        assert!(html(&text).ends_with("tail *x*</p>\n"));
    }
}
