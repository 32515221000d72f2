//! The sxs scanner: splits one article body into its target (translation) and
//! source (English) documents and the list of segment pairs.
//!
//! A segment pair is
//!
//! ```text
//! <span data-ttu-id="ID">TARGET</span><span class="sxs-lookup"><span data-stu-id="ID">SOURCE</span></span>
//! ```
//!
//! Everything outside pairs belongs to both documents and is copied to each byte
//! for byte. Spans are matched by balancing `<span …>` against `</span>`, never
//! by pattern, so nested spans inside TARGET or SOURCE are found and removed
//! (their text kept). The grammar, with examples of every malformed case, is in
//! `docs/sxs-format.md` and `tests/specs/sxs.txt`.
//!
//! Input: the body text (LF line endings). Output: [`Scanned`], whose offsets are
//! byte offsets into that input; the caller maps them to file positions.
//! This module does no I/O and never fails: malformed input yields findings.

use std::cell::OnceCell;
use std::ops::Range;

/// One translated sentence and the English it was translated from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// The `data-ttu-id` (opaque; local to one hand-off of one file).
    pub id: String,
    /// The translation, inline Markdown, nested span tags removed.
    pub target: String,
    /// The English, inline Markdown, nested span tags removed.
    pub source: String,
    /// Byte offset of the pair's first `<` in the scanned input.
    pub offset: usize,
    /// Where `target` stands in [`Scanned::target`].
    pub target_range: Range<usize>,
    /// Where `source` stands in [`Scanned::source`].
    pub source_range: Range<usize>,
    /// The raw text of the translation in the scanned input: from the end of
    /// its `<span data-ttu-id>` tag to the `</span>` that ends it. It holds
    /// any nested span tags that `target` leaves out; replacing it changes
    /// the translation and nothing else.
    pub target_span: Range<usize>,
    /// The raw text of the English in the scanned input: the content of the
    /// `data-stu-id` span, when the sxs-lookup has its plain shape (one
    /// `data-stu-id` span, blanks around it); None for any other shape.
    pub source_span: Option<Range<usize>>,
}

/// What the scanner noticed, at a byte offset of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    pub offset: usize,
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    Unterminated,
    OrphanTranslation,
    OrphanSource,
    IdMismatch,
    NestedSpan,
}

/// The two documents of one body, and its pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scanned {
    pub target: String,
    pub source: String,
    pub pairs: Vec<Pair>,
    pub problems: Vec<Problem>,
}

/// Scans `input` (a body of Markdown with sxs spans).
pub fn scan(input: &str) -> Scanned {
    let mut s = Scanner {
        input,
        out: Scanned {
            target: String::with_capacity(input.len() / 2),
            source: String::with_capacity(input.len() / 2),
            ..Scanned::default()
        },
        markdown: OnceCell::new(),
    };
    s.run();
    s.out
}

/// A `<span …>` or `</span>` tag found in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tag {
    Open {
        end: usize,
        ttu: Option<String>,
        stu: Option<String>,
        lookup: bool,
    },
    Close {
        end: usize,
    },
}

impl Tag {
    fn end(&self) -> usize {
        match self {
            Tag::Open { end, .. } | Tag::Close { end } => *end,
        }
    }
}

/// The text of a balanced span's content with inner span tags removed.
struct Content {
    text: String,
    /// Offset of the closing `</span>`.
    close: usize,
    /// Offset just past the closing `</span>`.
    end: usize,
}

/// An sxs-lookup span, read.
struct Lookup {
    /// Its `data-stu-id`, if it has one.
    stu: Option<String>,
    /// The English, inner tags removed.
    text: String,
    /// The raw English in the input, for the plain shape only.
    span: Option<Range<usize>>,
    /// Offset just past the lookup.
    end: usize,
}

struct Scanner<'a> {
    input: &'a str,
    out: Scanned,
    /// The renderer's reading of `input`, parsed when first needed.
    markdown: OnceCell<Markdown>,
}

impl<'a> Scanner<'a> {
    fn run(&mut self) {
        let bytes = self.input.as_bytes();
        let mut pos = 0;
        let mut copied = 0;
        while let Some(rel) = memchr_lt(&bytes[pos..]) {
            let at = pos + rel;
            if self.input[at..].starts_with("<!--") {
                pos = match self.markdown().comment(at) {
                    Comment::Inline(end) => end,
                    // In raw HTML: `<!-->` and `<!--->` are whole comments,
                    // and the page hides all up to the first `-->`.
                    Comment::Raw(block_end) => match self.input[at + 2..].find("-->") {
                        Some(e) if at + 2 + e + 3 <= block_end => at + 2 + e + 3,
                        Some(e) => {
                            self.problem(
                                ProblemKind::Unterminated,
                                at,
                                "this HTML comment is not closed in its HTML block; the page hides \
                                 everything up to the next `-->`, and no pairs are read there",
                            );
                            at + 2 + e + 3
                        }
                        None => {
                            self.problem(
                                ProblemKind::Unterminated,
                                at,
                                "this HTML comment is never closed by `-->`; no pairs are read after it",
                            );
                            self.input.len()
                        }
                    },
                    // Text for the renderer (in code, cut by a blank line,
                    // never closed): the pairs after it are read.
                    Comment::Text => at + 1,
                };
                continue;
            }
            match self.tag(at) {
                Some(Tag::Open {
                    end, ttu: Some(id), ..
                }) => {
                    self.copy_both(copied, at);
                    match self.pair(at, end, id) {
                        Some(next) => pos = next,
                        None => return,
                    }
                    copied = pos;
                }
                Some(Tag::Open {
                    end, lookup: true, ..
                }) => {
                    self.copy_both(copied, at);
                    self.problem(
                        ProblemKind::OrphanSource,
                        at,
                        "an sxs-lookup span has no translation span before it; it is dropped from the translation",
                    );
                    match self.lookup(end, false) {
                        Some(lookup) => {
                            self.out.source.push_str(&lookup.text);
                            pos = lookup.end;
                        }
                        None => {
                            self.unterminated(at, at, "this sxs-lookup span is never closed");
                            return;
                        }
                    }
                    copied = pos;
                }
                Some(Tag::Open {
                    end, stu: Some(_), ..
                }) => {
                    // An English span whose sxs-lookup wrapper was lost.
                    self.copy_both(copied, at);
                    self.problem(
                        ProblemKind::OrphanSource,
                        at,
                        "a data-stu-id span stands outside an sxs-lookup span; it is dropped from the translation",
                    );
                    match self.content(end) {
                        Some(content) => {
                            self.out.source.push_str(&content.text);
                            pos = content.end;
                        }
                        None => {
                            self.unterminated(at, at, "this data-stu-id span is never closed");
                            return;
                        }
                    }
                    copied = pos;
                }
                Some(tag) => pos = tag.end(),
                None => {
                    if is_span_start(self.input, at) {
                        self.problem(
                            ProblemKind::Unterminated,
                            at,
                            "this span tag is never closed by `>` (in its paragraph), or has an attribute name that is not one; it is kept as text",
                        );
                    }
                    pos = at + 1;
                }
            }
        }
        self.copy_both(copied, self.input.len());
    }

    /// A translation span opened at `start` (its tag ends at `open_end`).
    /// Returns the offset after the pair, or None when the rest of the input
    /// was consumed as plain text.
    fn pair(&mut self, start: usize, open_end: usize, id: String) -> Option<usize> {
        let Some(mut target) = self.content(open_end) else {
            self.unterminated(start, start, "this translation span is never closed");
            return None;
        };
        // The translation's raw text ends at its `</span>`, or at a stray
        // one that the translation's text runs on to.
        let mut target_end = target.close;
        let after = skip_blanks(self.input, target.end);
        let mut lookup = match self.tag(after) {
            Some(Tag::Open {
                end, lookup: true, ..
            }) => Some((after, end)),
            _ => None,
        };
        let closed_early = lookup.is_none()
            && match self.early_close(target.end) {
                Some((stray, lookup_start, lookup_end)) => {
                    self.problem(
                        ProblemKind::NestedSpan,
                        stray,
                        "a stray `</span>` closes the translation before its end; \
                         it is removed and the text after it kept in the translation",
                    );
                    target.text.push_str(&self.input[target.end..stray]);
                    target_end = stray;
                    lookup = Some((lookup_start, lookup_end));
                    true
                }
                None => false,
            };
        let Some((lookup_start, lookup_end)) = lookup else {
            self.problem(
                ProblemKind::OrphanTranslation,
                start,
                "this translation span has no sxs-lookup span after it; its text is kept in both languages",
            );
            self.push_both(&target.text);
            return Some(target.end);
        };
        let Some(Lookup {
            stu,
            text: source,
            span: source_span,
            end: next,
        }) = self.lookup(lookup_end, closed_early)
        else {
            // The pair cannot be read: its translation too becomes plain text.
            self.unterminated(lookup_start, start, "this sxs-lookup span is never closed");
            return None;
        };
        match stu {
            Some(stu) if stu == id => {}
            Some(stu) => self.problem(
                ProblemKind::IdMismatch,
                lookup_start,
                format!("data-ttu-id \"{id}\" is paired with data-stu-id \"{stu}\""),
            ),
            None => self.problem(
                ProblemKind::IdMismatch,
                lookup_start,
                format!(
                    "data-ttu-id \"{id}\" is paired with an sxs-lookup that has no data-stu-id"
                ),
            ),
        }
        let t0 = self.out.target.len();
        self.out.target.push_str(&target.text);
        let s0 = self.out.source.len();
        self.out.source.push_str(&source);
        self.out.pairs.push(Pair {
            id,
            target: target.text,
            source,
            offset: start,
            target_range: t0..self.out.target.len(),
            source_range: s0..self.out.source.len(),
            target_span: open_end..target_end,
            source_span,
        });
        Some(next)
    }

    /// An `sxs-lookup` span whose opening tag ends at `open_end`; None when
    /// it is unterminated (the caller reports it). `closed_early`: the
    /// translation before it had a stray `</span>`; the same slip in the
    /// English leaves one more `</span>` after the lookup, which is taken too.
    fn lookup(&mut self, open_end: usize, closed_early: bool) -> Option<Lookup> {
        // The well-formed shape: optional blanks, one data-stu-id span, blanks, </span>.
        let inner = skip_blanks(self.input, open_end);
        let before = self.out.problems.len();
        if let Some(Tag::Open {
            end,
            stu: Some(stu),
            ..
        }) = self.tag(inner)
        {
            if let Some(content) = self.content(end) {
                let close = skip_blanks(self.input, content.end);
                if let Some(Tag::Close { end: lookup_end }) = self.tag(close) {
                    return Some(Lookup {
                        stu: Some(stu),
                        text: content.text,
                        span: Some(end..content.close),
                        end: lookup_end,
                    });
                }
            }
        }
        // Anything else: the lookup's whole content, inner tags removed.
        self.out.problems.truncate(before);
        match self.content(open_end) {
            Some(content) => {
                // The stu span itself is an inner tag here, not a nested span.
                if let Some(Tag::Open { stu: Some(stu), .. }) = self.tag(inner) {
                    self.out.problems.retain(|p| p.offset != inner);
                    let mut end = content.end;
                    if closed_early {
                        if let Some(Tag::Close { end: stray_end }) =
                            self.tag(skip_blanks(self.input, end))
                        {
                            end = stray_end;
                        }
                    }
                    Some(Lookup {
                        stu: Some(stu),
                        text: content.text.trim().to_string(),
                        span: None,
                        end,
                    })
                } else {
                    Some(Lookup {
                        stu: None,
                        text: content.text,
                        span: None,
                        end: content.end,
                    })
                }
            }
            None => None,
        }
    }

    /// Reads a span's content from `from` up to its balancing `</span>`,
    /// removing inner span tags (each reported once). None if never closed;
    /// then nothing is reported, since the spans it met are not inside a
    /// segment after all.
    fn content(&mut self, from: usize) -> Option<Content> {
        let before = self.out.problems.len();
        let bytes = self.input.as_bytes();
        let mut text = String::new();
        let mut depth = 0usize;
        let mut copied = from;
        let mut pos = from;
        while let Some(rel) = memchr_lt(&bytes[pos..]) {
            let at = pos + rel;
            match self.tag(at) {
                Some(Tag::Close { end }) => {
                    text.push_str(&self.input[copied..at]);
                    if depth == 0 {
                        return Some(Content {
                            text,
                            close: at,
                            end,
                        });
                    }
                    depth -= 1;
                    copied = end;
                    pos = end;
                }
                Some(Tag::Open { end, .. }) => {
                    text.push_str(&self.input[copied..at]);
                    self.problem(
                        ProblemKind::NestedSpan,
                        at,
                        "a span is nested inside a segment; the tag is removed and its text kept",
                    );
                    depth += 1;
                    copied = end;
                    pos = end;
                }
                None => pos = at + 1,
            }
        }
        self.out.problems.truncate(before);
        None
    }

    /// The renderer's reading of the input, parsed on first use.
    fn markdown(&self) -> &Markdown {
        self.markdown.get_or_init(|| Markdown::of(self.input))
    }

    /// The span tag at `at`, if the renderer reads one there too. A tag
    /// that runs over a line break is taken only when pulldown-cmark takes
    /// it (a quoted value cannot cross the end of a paragraph, for one);
    /// otherwise it is text and the pairs inside it are read (found by
    /// fuzzing: such a "tag" swallowed the pairs after it, which reached
    /// the page with no finding).
    fn tag(&self, at: usize) -> Option<Tag> {
        let tag = parse_tag(self.input, at)?;
        if self.input[at..tag.end()].contains('\n') && !self.markdown().takes_tag(at) {
            return None;
        }
        Some(tag)
    }

    /// A translation closed too early, as translators' slips leave it:
    /// `<span data-ttu-id>TEXT</span> MORE</span><span class="sxs-lookup">…`.
    /// From `from` (just after the translation's `</span>`), if the first span tag
    /// on the same line is a `</span>` followed by an sxs-lookup span, returns
    /// (that stray `</span>`'s offset, the lookup's offset, the end of its tag).
    fn early_close(&self, from: usize) -> Option<(usize, usize, usize)> {
        let input = self.input;
        let bytes = input.as_bytes();
        let mut pos = from;
        // Stops at the end of the line without looking for it first: for
        // many orphans on one long line, that search made each cost the
        // rest of the line.
        while let Some(rel) = bytes[pos..].iter().position(|&b| b == b'<' || b == b'\n') {
            let at = pos + rel;
            if bytes[at] == b'\n' {
                return None;
            }
            match self.tag(at) {
                Some(Tag::Close { end }) => {
                    let after = skip_blanks(input, end);
                    return match self.tag(after) {
                        Some(Tag::Open {
                            end: lookup_end,
                            lookup: true,
                            ..
                        }) => Some((at, after, lookup_end)),
                        _ => None,
                    };
                }
                Some(Tag::Open { .. }) => return None,
                None => pos = at + 1,
            }
        }
        None
    }

    /// Reports the span at `at` that is never closed; the rest of the input
    /// from `from` becomes plain text in both documents.
    fn unterminated(&mut self, at: usize, from: usize, message: &str) {
        self.problem(ProblemKind::Unterminated, at, message);
        let rest = strip_span_tags(&self.input[from..]);
        self.push_both(&rest);
    }

    fn problem(&mut self, kind: ProblemKind, offset: usize, detail: impl Into<String>) {
        self.out.problems.push(Problem {
            kind,
            offset,
            detail: detail.into(),
        });
    }

    fn copy_both(&mut self, from: usize, to: usize) {
        if from < to {
            let text = &self.input[from..to];
            self.out.target.push_str(text);
            self.out.source.push_str(text);
        }
    }

    fn push_both(&mut self, text: &str) {
        self.out.target.push_str(text);
        self.out.source.push_str(text);
    }
}

/// How the renderer (pulldown-cmark, with helpbook's options) reads a body's
/// raw HTML. CommonMark reads `<!--` as a comment only where raw HTML may
/// stand: not in a code span or code block, and, inline, only when `-->`
/// follows in the same paragraph; elsewhere it is text. Likewise a tag runs
/// over a line break only inside its paragraph. The scanner follows it, so
/// that what it reads as a comment or a tag is one in the page (found by
/// fuzzing).
struct Markdown {
    /// Inline comments: start and end offsets, in order.
    comments: Vec<(usize, usize)>,
    /// Where other inline HTML (a tag) starts, in order.
    tags: Vec<usize>,
    /// HTML blocks, passed to the page as they stand: start and end offsets.
    raw: Vec<(usize, usize)>,
}

/// What a `<!--` is, for the renderer.
enum Comment {
    /// An inline comment, ending at this offset.
    Inline(usize),
    /// In an HTML block (which ends at this offset): a comment by HTML's rules.
    Raw(usize),
    /// Text.
    Text,
}

impl Markdown {
    fn of(input: &str) -> Markdown {
        use pulldown_cmark::Event;
        let mut out = Markdown {
            comments: Vec::new(),
            tags: Vec::new(),
            raw: Vec::new(),
        };
        for (event, range) in crate::render::parser(input).into_offset_iter() {
            match event {
                Event::InlineHtml(h) if h.starts_with("<!--") => {
                    out.comments.push((range.start, range.end));
                }
                Event::InlineHtml(_) => out.tags.push(range.start),
                Event::Html(_) => match out.raw.last_mut() {
                    Some(last) if last.1 >= range.start => last.1 = last.1.max(range.end),
                    _ => out.raw.push((range.start, range.end)),
                },
                _ => {}
            }
        }
        out.comments.sort_unstable();
        out.tags.sort_unstable();
        out.raw.sort_unstable();
        out
    }

    /// The end of the HTML block `at` stands in, if any.
    fn raw_end(&self, at: usize) -> Option<usize> {
        let i = self.raw.partition_point(|c| c.0 <= at);
        (i > 0 && at < self.raw[i - 1].1).then(|| self.raw[i - 1].1)
    }

    fn comment(&self, at: usize) -> Comment {
        if let Ok(i) = self.comments.binary_search_by_key(&at, |c| c.0) {
            return Comment::Inline(self.comments[i].1);
        }
        match self.raw_end(at) {
            Some(end) => Comment::Raw(end),
            None => Comment::Text,
        }
    }

    /// Whether the renderer reads a tag (inline, or in an HTML block) at `at`.
    fn takes_tag(&self, at: usize) -> bool {
        self.tags.binary_search(&at).is_ok() || self.raw_end(at).is_some()
    }
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

/// Skips spaces and tabs (not line breaks) from `pos`.
fn skip_blanks(input: &str, pos: usize) -> usize {
    pos + input[pos..]
        .bytes()
        .take_while(|b| *b == b' ' || *b == b'\t')
        .count()
}

/// Removes every `<span …>` and `</span>` tag from `text`, keeping the rest.
/// A tag left open at the end of the text is removed to the end.
pub fn strip_span_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut pos = 0;
    let bytes = text.as_bytes();
    while let Some(rel) = memchr_lt(&bytes[pos..]) {
        let at = pos + rel;
        if let Some(tag) = parse_tag(text, at) {
            out.push_str(&text[copied..at]);
            copied = tag.end();
            pos = tag.end();
        } else if is_span_start(text, at) {
            // An open tag with no '>' before the end: drop it.
            out.push_str(&text[copied..at]);
            return out;
        } else {
            pos = at + 1;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// An attribute name as CommonMark allows it: `[A-Za-z_:][A-Za-z0-9_.:-]*`.
fn is_attribute_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_' || b == b':')
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'-'))
}

fn is_span_start(input: &str, at: usize) -> bool {
    let rest = &input.as_bytes()[at..];
    rest.len() > 5
        && rest[1..5].eq_ignore_ascii_case(b"span")
        && (rest[5].is_ascii_whitespace() || matches!(rest[5], b'>' | b'/'))
}

/// Parses a span tag starting at `at` (which holds `<`).
fn parse_tag(input: &str, at: usize) -> Option<Tag> {
    let bytes = input.as_bytes();
    let rest = &bytes[at..];
    if rest.len() >= 7 && rest[1] == b'/' && rest[2..6].eq_ignore_ascii_case(b"span") {
        let mut i = 6;
        while i < rest.len() && rest[i].is_ascii_whitespace() {
            i += 1;
        }
        return (i < rest.len() && rest[i] == b'>').then_some(Tag::Close { end: at + i + 1 });
    }
    if !is_span_start(input, at) {
        return None;
    }
    let mut i = 5;
    let (mut ttu, mut stu, mut lookup) = (None, None, false);
    loop {
        while i < rest.len() && rest[i].is_ascii_whitespace() {
            i += 1;
        }
        match rest.get(i)? {
            b'>' => break,
            b'/' if rest.get(i + 1) == Some(&b'>') => {
                i += 1;
                break;
            }
            _ => {}
        }
        let name_start = i;
        while i < rest.len()
            && !matches!(rest[i], b'=' | b'>' | b'/')
            && !rest[i].is_ascii_whitespace()
        {
            i += 1;
        }
        if i == name_start {
            // A stray '/' or similar: skip it.
            i += 1;
            continue;
        }
        let name = &input[at + name_start..at + i];
        // Not a tag for CommonMark either: a renderer reads on from the next
        // `<`, so must the scanner (found by fuzzing: a quote in a broken
        // attribute name hid the sxs spans after it).
        if !is_attribute_name(name) {
            return None;
        }
        while i < rest.len() && rest[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = None;
        if rest.get(i) == Some(&b'=') {
            i += 1;
            while i < rest.len() && rest[i].is_ascii_whitespace() {
                i += 1;
            }
            match rest.get(i)? {
                &q @ (b'"' | b'\'') => {
                    let len = rest[i + 1..].iter().position(|&b| b == q)?;
                    value = Some(&input[at + i + 1..at + i + 1 + len]);
                    i += len + 2;
                }
                _ => {
                    let start = i;
                    while i < rest.len() && !rest[i].is_ascii_whitespace() && rest[i] != b'>' {
                        i += 1;
                    }
                    value = Some(&input[at + start..at + i]);
                }
            }
        }
        // An attribute with no value is there, empty (as in HTML).
        match (name.to_ascii_lowercase().as_str(), value) {
            ("data-ttu-id", v) => ttu = Some(v.unwrap_or_default().to_string()),
            ("data-stu-id", v) => stu = Some(v.unwrap_or_default().to_string()),
            ("class", Some(v)) => lookup |= v.split_ascii_whitespace().any(|c| c == "sxs-lookup"),
            _ => {}
        }
    }
    Some(Tag::Open {
        end: at + i + 1,
        ttu,
        stu,
        lookup,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAIR: &str = r#"<span data-ttu-id="a-1">Hej</span><span class="sxs-lookup"><span data-stu-id="a-1">Hello</span></span>"#;

    /// Found by fuzzing: a form feed or carriage return after `<span`
    /// separates the attributes, as in a browser; the pair was taken for
    /// text and its markup left in both documents.
    #[test]
    fn any_html_blank_after_the_tag_name() {
        let s = scan("<span\x0cdata-ttu-id=\"b-1\">Hej</span><span class=\"sxs-lookup\"><span\rdata-stu-id=\"b-1\">Hi</span></span>");
        assert_eq!((s.target.as_str(), s.source.as_str()), ("Hej", "Hi"));
        assert!(s.problems.is_empty(), "{:?}", s.problems);
    }

    /// Found by fuzzing: `<!-->` is a whole comment, so the pair after it
    /// is read; a comment never closed is reported, not silently kept.
    #[test]
    fn short_and_unclosed_comments() {
        let s = scan(&format!("<!--> {PAIR} <!---> {PAIR}"));
        assert_eq!(s.pairs.len(), 2);
        assert!(s.problems.is_empty(), "{:?}", s.problems);
        let s = scan(&format!("<!-- {PAIR}"));
        assert_eq!(s.pairs.len(), 0);
        assert_eq!(s.problems[0].kind, ProblemKind::Unterminated);
    }

    /// Found by fuzzing: a `<!--` the renderer reads as text (in a code
    /// span, or an inline comment cut by a blank line) hides nothing.
    #[test]
    fn a_comment_opener_the_renderer_reads_as_text() {
        for input in [
            format!("`<!--` {PAIR} `-->`"),
            format!("`<!--` {PAIR}"),
            format!("a <!-- b\n\n{PAIR}\n\n-->"),
            format!("```\n<!--\n```\n\n{PAIR} -->"),
        ] {
            let s = scan(&input);
            assert_eq!(s.pairs.len(), 1, "{input:?}");
            assert!(s.problems.is_empty(), "{input:?}: {:?}", s.problems);
        }
        // Where the renderer does see a comment, pairs in it are not read.
        for input in [
            format!("a <!-- b\n{PAIR}\n-->"),
            format!("<!-- b\n\n{PAIR}\n\n-->"),
            format!("> a <!-- b\n> {PAIR} -->"),
        ] {
            let s = scan(&input);
            assert_eq!(s.pairs.len(), 0, "{input:?}");
            assert!(s.problems.is_empty(), "{input:?}: {:?}", s.problems);
        }
    }

    /// Found by fuzzing: `<span data-ttu-id>` is a translation span with an
    /// empty id (as HTML reads it), not text to leave in both documents.
    #[test]
    fn ids_without_a_value_are_empty() {
        let s = scan("<span data-ttu-id>Hej</span><span class=\"sxs-lookup\"><span data-stu-id>Hi</span></span>");
        assert_eq!((s.target.as_str(), s.source.as_str()), ("Hej", "Hi"));
        assert_eq!(s.pairs[0].id, "");
        assert!(s.problems.is_empty(), "{:?}", s.problems);
    }

    /// Found by fuzzing: a comment left open at the end of its HTML block
    /// (here a list item) hides the page up to the next `-->`; reported.
    #[test]
    fn a_comment_left_open_in_its_html_block_is_reported() {
        let s = scan(&format!("- <!-- note\n\n{PAIR}\n\n-->"));
        assert_eq!(s.pairs.len(), 0);
        let kinds: Vec<_> = s.problems.iter().map(|p| (p.kind, p.offset)).collect();
        assert_eq!(kinds, [(ProblemKind::Unterminated, 2)]);
        // Closed inside its block, it is an ordinary comment.
        let s = scan(&format!("<!-- note\n\n-->\n\n{PAIR}"));
        assert_eq!(s.pairs.len(), 1);
        assert!(s.problems.is_empty(), "{:?}", s.problems);
    }

    /// Found by fuzzing: a quoted value cannot run past the end of its
    /// paragraph (here, into a heading), so the "tag" is text and the pair
    /// after it is read. Within one paragraph a tag may span lines.
    #[test]
    fn a_tag_ends_with_its_paragraph() {
        let s = scan(&format!(
            "See <span title='a\n# {PAIR}\n' lang=x>here</span>"
        ));
        assert_eq!(s.pairs.len(), 1);
        let kinds: Vec<_> = s.problems.iter().map(|p| (p.kind, p.offset)).collect();
        assert_eq!(kinds, [(ProblemKind::Unterminated, 4)]);
        let s = scan(&format!("See <span\ntitle='a\nb'>here</span> {PAIR}"));
        assert_eq!(s.pairs.len(), 1);
        assert!(s.problems.is_empty(), "{:?}", s.problems);
        assert!(s
            .target
            .starts_with("See <span\ntitle='a\nb'>here</span> Hej"));
    }

    /// Found by fuzzing: an attribute name CommonMark rejects makes the
    /// tag text, so the lookup after it is read, not swallowed.
    #[test]
    fn a_broken_attribute_name_is_not_a_tag() {
        let s = scan("<span data-ttu-i'd=\"n<span class=\"sxs-lookup\">Hello</span> there");
        let kinds: Vec<_> = s.problems.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            [ProblemKind::Unterminated, ProblemKind::OrphanSource]
        );
    }

    #[test]
    fn one_pair() {
        let s = scan(&format!("# {PAIR}\n"));
        assert_eq!(s.target, "# Hej\n");
        assert_eq!(s.source, "# Hello\n");
        assert_eq!(s.pairs.len(), 1);
        assert_eq!(s.pairs[0].id, "a-1");
        assert_eq!(&s.target[s.pairs[0].target_range.clone()], "Hej");
        assert_eq!(&s.source[s.pairs[0].source_range.clone()], "Hello");
        assert!(s.problems.is_empty());
    }

    /// The raw spans are what an editor replaces: the translation with its
    /// nested tags, up to a stray `</span>` it runs on to; the English only
    /// where the lookup has its plain shape.
    #[test]
    fn raw_spans() {
        let input = format!("# {PAIR}");
        let s = scan(&input);
        assert_eq!(&input[s.pairs[0].target_span.clone()], "Hej");
        assert_eq!(
            &input[s.pairs[0].source_span.clone().expect("plain")],
            "Hello"
        );

        let input = "<span data-ttu-id=\"1\">a <span>b</span> c</span><span class=\"sxs-lookup\"> <span data-stu-id=\"1\">A</span>\t</span>";
        let s = scan(input);
        assert_eq!(s.pairs[0].target, "a b c");
        assert_eq!(&input[s.pairs[0].target_span.clone()], "a <span>b</span> c");
        assert_eq!(&input[s.pairs[0].source_span.clone().expect("plain")], "A");

        let input = "<span data-ttu-id=\"1\">a</span> b</span><span class=\"sxs-lookup\"><span data-stu-id=\"1\">A</span> B</span></span>";
        let s = scan(input);
        assert_eq!(s.pairs[0].target, "a b");
        assert_eq!(&input[s.pairs[0].target_span.clone()], "a</span> b");
        assert_eq!(s.pairs[0].source_span, None);
    }

    #[test]
    fn other_spans_pass_through() {
        let s = scan(r#"a <span class="x">b</span> c"#);
        assert_eq!(s.target, r#"a <span class="x">b</span> c"#);
        assert!(s.pairs.is_empty());
    }

    #[test]
    fn comments_are_skipped() {
        let s = scan(&format!("<!-- {PAIR} -->"));
        assert!(s.pairs.is_empty());
    }

    #[test]
    fn strip_removes_open_tail() {
        assert_eq!(strip_span_tags("a<span>b</span>c<span x"), "abc");
    }
}
