//! Places in an article's documents mapped back to its file: the one way a
//! finding about a document (a link, a directive) gets its line and column.
//!
//! The target document is the body with each pair replaced by its
//! translation; text outside pairs is copied byte for byte. An offset inside a
//! pair's translation maps to the pair's position (where segment findings
//! point too). An offset outside pairs is counted from the end of the pair
//! before it: the line exactly (a pair spans the line breaks of its two texts),
//! the column exactly when a line break comes between, else assuming the pair
//! is written in the canonical form
//! `<span data-ttu-id="ID">…</span><span class="sxs-lookup"><span data-stu-id="ID">…</span></span>`.
//!
//! Pure; input a parsed `Article`, output `diag::Pos`. [`Places`] indexes a
//! document's lines once, so that each place costs logarithmic time.

use crate::diag::{LineIndex, Pos};
use crate::model::{Article, Segment};
use std::ops::Range;
use std::sync::{Mutex, OnceLock};

/// The file positions of one of an article's documents. The document's line
/// index is built on the first question, so that each later one costs
/// logarithmic time: N links with a `#fragment` cost N look-ups, not N walks
/// of the text before them.
pub struct Places<'a> {
    article: &'a Article,
    text: &'a str,
    range: fn(&Segment) -> &Range<usize>,
    index: OnceLock<LineIndex<'a>>,
    /// The last pair whose end was placed, and that place: links after one
    /// very long pair do not each count its text again.
    last_end: Mutex<Option<(usize, Pos)>>,
}

impl<'a> Places<'a> {
    /// Places in `article.target`.
    pub fn target(article: &'a Article) -> Places<'a> {
        Places {
            article,
            text: &article.target,
            range: |s| &s.target_range,
            index: OnceLock::new(),
            last_end: Mutex::new(None),
        }
    }

    /// Places in `article.source` (the body with each pair replaced by its
    /// English).
    pub fn source(article: &'a Article) -> Places<'a> {
        Places {
            article,
            text: &article.source,
            range: |s| &s.source_range,
            index: OnceLock::new(),
            last_end: Mutex::new(None),
        }
    }

    /// The file position of byte `offset` of the document.
    pub fn pos(&self, offset: usize) -> Pos {
        let (article, text, range) = (self.article, self.text, self.range);
        let offset = floor_char(text, offset);
        let index = self.index.get_or_init(|| LineIndex::new(text));
        let segs = &article.segments;
        let i = segs.partition_point(|s| range(s).start <= offset);
        let Some(prev) = i.checked_sub(1).map(|i| &segs[i]) else {
            let start = Pos {
                line: article.body_line,
                column: 1,
            };
            return between(index, start, 0, offset);
        };
        if offset < range(prev).end || offset == range(prev).start {
            return prev.pos;
        }
        let end = {
            let mut last = self.last_end.lock().unwrap_or_else(|e| e.into_inner());
            match *last {
                Some((j, end)) if j == i - 1 => end,
                _ => {
                    let end = pair_end(self.article, prev);
                    *last = Some((i - 1, end));
                    end
                }
            }
        };
        between(index, end, range(prev).end, offset)
    }
}

/// `from` moved over bytes `a..b` of the indexed text.
fn between(index: &LineIndex, from: Pos, a: usize, b: usize) -> Pos {
    let (pa, pb) = (index.pos(a), index.pos(b));
    if pb.line > pa.line {
        Pos {
            line: from.line + (pb.line - pa.line),
            column: pb.column,
        }
    } else {
        Pos {
            line: from.line,
            column: from.column + (pb.column - pa.column),
        }
    }
}

/// The position just after a pair in its canonical form.
fn pair_end(article: &Article, seg: &Segment) -> Pos {
    let id = seg.id.chars().count();
    let open = r#"<span data-ttu-id="">"#.chars().count() + id;
    let middle = r#"</span><span class="sxs-lookup"><span data-stu-id="">"#
        .chars()
        .count()
        + id;
    let close = "</span></span>".chars().count();
    let start = Pos {
        line: seg.pos.line,
        column: seg.pos.column + open,
    };
    let p = advance(start, seg.target(article));
    let p = advance(
        Pos {
            line: p.line,
            column: p.column + middle,
        },
        seg.source(article),
    );
    Pos {
        line: p.line,
        column: p.column + close,
    }
}

/// `from` moved over `text`.
fn advance(from: Pos, text: &str) -> Pos {
    match text.rfind('\n') {
        Some(i) => Pos {
            line: from.line + text.matches('\n').count(),
            column: text[i + 1..].chars().count() + 1,
        },
        None => Pos {
            line: from.line,
            column: from.column + text.chars().count(),
        },
    }
}

fn floor_char(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while !text.is_char_boundary(o) {
        o -= 1;
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(id: &str, t: &str, s: &str) -> String {
        format!(
            r#"<span data-ttu-id="{id}">{t}</span><span class="sxs-lookup"><span data-stu-id="{id}">{s}</span></span>"#
        )
    }

    /// Every offset of the target that lies outside pairs maps to the place
    /// where the same text stands in the file.
    #[test]
    fn outside_pairs_is_exact() {
        let body = format!(
            "# <a name=\"x\"></a>{}\n\n[{}](a.md) and [b](c.md)\n{}\n[d](e.md)",
            pair("1-1", "密码", "Password"),
            pair("1-22", "链接", "Link"),
            pair("1-3", "第一\n第二", "First\nsecond"),
        );
        let file = format!("---\ntitle: t\n---\n{body}");
        let a = crate::parse::article("zh-CN", "a.md", "a.md", file.as_bytes());
        let idx = crate::diag::LineIndex::new(&file);
        let (target, source) = (Places::target(&a), Places::source(&a));
        for needle in ["<a name", "](a.md)", "[b](c.md)", "[d](e.md)"] {
            let in_target = a.target.find(needle).expect("in target");
            let in_file = file.find(needle).expect("in file");
            assert_eq!(target.pos(in_target), idx.pos(in_file), "{needle}");
        }
        let in_pair = a.target.find("链接").expect("in target");
        assert_eq!(target.pos(in_pair), a.segments[1].pos);
        for needle in ["<a name", "](a.md)", "[b](c.md)", "[d](e.md)"] {
            let in_source = a.source.find(needle).expect("in source");
            let in_file = file.find(needle).expect("in file");
            assert_eq!(source.pos(in_source), idx.pos(in_file), "{needle}");
        }
    }
}
