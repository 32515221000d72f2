//! Stage 2: one article file's bytes → an [`Article`] with its findings.
//!
//! Decodes the bytes (UTF-8, with or without BOM; UTF-16 with BOM; invalid
//! UTF-8 replaced), normalises line endings, splits the front matter
//! ([`front_matter`]), makes Markdown structure past helpbook's bounds inert
//! ([`bounds`]) and scans the body for segment pairs ([`sxs`]). Every
//! problem becomes a [`Finding`] with the file's line and column. Pure: no I/O.
//!
//! Each segment also records where its two texts stand in the file's bytes
//! as they were read (BOM and CR line endings included), for the one module
//! that edits sxs files, [`crate::writeback`]. Those byte ranges are exact
//! for a UTF-8 file; a file decoded any other way (UTF-16, invalid UTF-8)
//! is never written to, and its ranges mean nothing.

pub mod bounds;
pub mod front_matter;
pub mod sxs;

use crate::diag::{lint, Finding, LineIndex, Lint};
use crate::model::{Article, Segment};
use std::borrow::Cow;

/// Parses one article. `file` is the path shown in findings.
pub fn article(locale: &str, path: &str, file: &str, bytes: &[u8]) -> Article {
    let mut findings = Vec::new();
    let (text, raw) = decode(bytes, file, &mut findings);
    let index = LineIndex::new(&text);

    let split = front_matter::split(&text);
    // Problems come (nearly) in file order: cursors keep the positions of
    // many problems on one long line linear.
    let mut cursor = index.cursor();
    let mut at = |lint: Lint, offset: usize, message: String| {
        Finding::new(lint, file, cursor.pos(offset), message)
    };
    for p in &split.problems {
        use front_matter::ProblemKind as K;
        let lint = match p.kind {
            K::Missing => lint::FRONTMATTER_MISSING,
            K::Unclosed | K::Invalid => lint::FRONTMATTER_INVALID,
            K::SuspiciousKey => lint::FRONTMATTER_SUSPICIOUS_KEY,
        };
        findings.push(at(lint, p.offset, p.message.clone()));
    }
    if let (Some(declared), true) = (
        &split.front.content_locale,
        split
            .problems
            .iter()
            .all(|p| p.kind != front_matter::ProblemKind::Invalid),
    ) {
        if !declared.eq_ignore_ascii_case(locale) {
            let offset = text.find("ms.contentlocale").unwrap_or(0);
            findings.push(at(
                lint::ARTICLE_LOCALE_MISMATCH,
                offset,
                format!(
                    "ms.contentlocale is `{declared}` but the article is in the `{locale}` folder"
                ),
            ));
        }
    }

    let body_start = split.body_start;
    // The structure past the bounds is made inert before anything parses it.
    let body = bounds::markdown(&text[body_start..]);
    let mut cursor = index.cursor();
    for p in &body.problems {
        let lint = match p.kind {
            bounds::ProblemKind::Nesting => lint::LIMIT_NESTING,
            bounds::ProblemKind::Table => lint::LIMIT_TABLE,
        };
        let pos = cursor.pos(body_start + p.offset);
        findings.push(Finding::new(lint, file, pos, p.message.clone()));
    }
    let scanned = sxs::scan(&body.text);
    let mut cursor = index.cursor();
    // A broken file may have a problem every few bytes: only those listed
    // are made (`diag::cap`).
    let mut tally = crate::diag::Tally::default();
    let first = findings.len();
    for p in &scanned.problems {
        use sxs::ProblemKind as K;
        let lint = match p.kind {
            K::Unterminated => lint::SXS_UNTERMINATED,
            K::OrphanTranslation => lint::SXS_ORPHAN_TRANSLATION,
            K::OrphanSource => lint::SXS_ORPHAN_SOURCE,
            K::IdMismatch => lint::SXS_ID_MISMATCH,
            K::NestedSpan => lint::SXS_NESTED_SPAN,
        };
        if tally.wants(lint) {
            let pos = cursor.pos(body_start + p.offset);
            findings.push(Finding::new(lint, file, pos, p.detail.clone()));
        }
    }
    tally.finish(&mut findings[first..]);
    // Pairs come in file order: a cursor keeps long lines linear.
    let mut cursor = index.cursor();
    // Extended, not collected: collecting would reuse the pairs' larger
    // buffer (with its growth slack) for the segments the model keeps.
    let mut segments = Vec::with_capacity(scanned.pairs.len());
    segments.extend(scanned.pairs.into_iter().map(|p| Segment {
        pos: cursor.pos(body_start + p.offset),
        id: p.id,
        target_range: p.target_range,
        source_range: p.source_range,
        target_bytes: raw.range(body_start, &p.target_span),
        source_bytes: p.source_span.map(|r| raw.range(body_start, &r)),
    }));
    let mut article = Article {
        locale: locale.to_string(),
        path: path.to_string(),
        file: file.to_string(),
        front: split.front,
        body_line: index.pos(body_start).line,
        // The scanner reserved half the input for each; the model keeps
        // every article of every language, so each is kept at its size.
        target: scanned.target.as_str().into(),
        source: scanned.source.as_str().into(),
        segments,
        findings,
    };
    if article.title().is_none() {
        article.findings.push(Finding::new(
            lint::ARTICLE_MISSING_TITLE,
            file,
            crate::diag::Pos::START,
            "the article has no `title` in its front matter and no heading",
        ));
    }
    crate::diag::cap(&mut article.findings);
    article
}

/// Maps offsets of the decoded text (no BOM, LF line endings) back to the
/// bytes of a UTF-8 file.
struct RawMap {
    /// Length of the byte-order mark.
    bom: usize,
    /// Offsets, in the decoded text, of the line feeds that were CR LF.
    crlf: Vec<usize>,
}

impl RawMap {
    /// The byte offset in the file of `offset` in the decoded text.
    fn raw(&self, offset: usize) -> usize {
        self.bom + offset + self.crlf.partition_point(|&p| p < offset)
    }

    /// `range`, relative to the body starting at `base`, in the file's bytes.
    fn range(&self, base: usize, range: &std::ops::Range<usize>) -> std::ops::Range<usize> {
        self.raw(base + range.start)..self.raw(base + range.end)
    }
}

/// Bytes → text with LF line endings, reporting what had to be changed, and
/// the map from the text's offsets back to the bytes.
fn decode(bytes: &[u8], file: &str, findings: &mut Vec<Finding>) -> (String, RawMap) {
    let mut raw = RawMap {
        bom: 0,
        crlf: Vec::new(),
    };
    let start = crate::diag::Pos::START;
    let text: Cow<str> = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        raw.bom = 3;
        findings.push(Finding::new(
            lint::FILE_BOM,
            file,
            start,
            "the file starts with a UTF-8 byte-order mark; it is ignored",
        ));
        utf8(rest, file, findings)
    } else if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let little = bytes[0] == 0xFF;
        raw.bom = 2;
        findings.push(Finding::new(
            lint::FILE_ENCODING,
            file,
            start,
            "the file is UTF-16; it was read as such, but articles should be UTF-8",
        ));
        Cow::Owned(utf16(&bytes[2..], little, file, findings))
    } else {
        utf8(bytes, file, findings)
    };
    if let Some(i) = text.find('\r') {
        findings.push(Finding::new(
            lint::FILE_CRLF,
            file,
            LineIndex::new(&text).pos(i),
            "the file has CR line endings; they are read as LF",
        ));
        let (text, crlf) = line_feeds(&text);
        raw.crlf = crlf;
        return (text, raw);
    }
    (text.into_owned(), raw)
}

/// `text` with CR LF and lone CR made LF, and the offsets (in the result)
/// of the line feeds that were CR LF.
fn line_feeds(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut crlf = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('\r') {
        out.push_str(&rest[..i]);
        if rest[i + 1..].starts_with('\n') {
            crlf.push(out.len());
            rest = &rest[i + 2..];
        } else {
            rest = &rest[i + 1..];
        }
        out.push('\n');
    }
    out.push_str(rest);
    (out, crlf)
}

/// UTF-16 without its BOM → text; unpaired surrogates and an odd last byte
/// become U+FFFD, the first of them reported where it stands.
fn utf16(bytes: &[u8], little: bool, file: &str, findings: &mut Vec<Finding>) -> String {
    let chunks = bytes.chunks_exact(2);
    let odd = !chunks.remainder().is_empty();
    let units = chunks.map(|c| {
        if little {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    let mut text = String::with_capacity(bytes.len());
    let mut bad = None;
    for c in char::decode_utf16(units) {
        let c = c.unwrap_or_else(|_| {
            bad.get_or_insert(text.len());
            char::REPLACEMENT_CHARACTER
        });
        text.push(c);
    }
    if odd {
        bad.get_or_insert(text.len());
        text.push(char::REPLACEMENT_CHARACTER);
    }
    if let Some(offset) = bad {
        findings.push(Finding::new(
            lint::FILE_ENCODING,
            file,
            LineIndex::new(&text).pos(offset),
            "invalid UTF-16 (an unpaired surrogate or an odd number of bytes); \
             replaced by U+FFFD",
        ));
    }
    text
}

fn utf8<'a>(bytes: &'a [u8], file: &str, findings: &mut Vec<Finding>) -> Cow<'a, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(e) => {
            let good = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let pos = LineIndex::new(good).pos(good.len());
            findings.push(Finding::new(
                lint::FILE_ENCODING,
                file,
                pos,
                "invalid UTF-8; the bad bytes are replaced by U+FFFD",
            ));
            String::from_utf8_lossy(bytes)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lints(a: &Article) -> Vec<&str> {
        a.findings.iter().map(|f| f.lint).collect()
    }

    #[test]
    fn crlf_and_bom_are_read() {
        let a = article(
            "sv-SE",
            "a.md",
            "a.md",
            b"\xEF\xBB\xBF---\r\ntitle: T\r\n---\r\n# <span data-ttu-id=\"1\">Hej</span><span class=\"sxs-lookup\"><span data-stu-id=\"1\">Hi</span></span>\r\n",
        );
        assert_eq!(lints(&a), ["file::bom", "file::crlf"]);
        assert_eq!(a.target, "# Hej\n");
        assert_eq!(a.segments[0].pos, crate::diag::Pos { line: 4, column: 3 });
        assert_eq!(a.body_line, 4);
    }

    /// The byte ranges of a pair's texts count the BOM and every CR that
    /// reading dropped, so they point into the file as it is on disk.
    #[test]
    fn byte_ranges_point_into_the_raw_file() {
        let bytes = "\u{FEFF}---\r\ntitle: T\r\n---\r\n\r\n- <span data-ttu-id=\"1\">Hej\r\n  där</span><span class=\"sxs-lookup\"><span data-stu-id=\"1\">Hi\r\n  there</span></span> <span data-ttu-id=\"2\">Två</span><span class=\"sxs-lookup\"> <span data-stu-id=\"2\">Two</span> </span>\r\n";
        let bytes = bytes.as_bytes();
        let a = article("sv-SE", "a.md", "a.md", bytes);
        let [one, two] = &a.segments[..] else {
            panic!("{:?}", a.segments)
        };
        assert_eq!(&bytes[one.target_bytes.clone()], b"Hej\r\n  d\xC3\xA4r");
        let source = one.source_bytes.clone().expect("plain lookup");
        assert_eq!(&bytes[source], b"Hi\r\n  there");
        assert_eq!(&bytes[two.target_bytes.clone()], "Två".as_bytes());
        assert_eq!(&bytes[two.source_bytes.clone().expect("plain")], b"Two");

        // Without CR or BOM the ranges are the text's own offsets.
        let text = "---\ntitle: T\n---\n<span data-ttu-id=\"1\">Hej</span><span class=\"sxs-lookup\"><span data-stu-id=\"1\">Hi</span></span>";
        let a = article("sv-SE", "a.md", "a.md", text.as_bytes());
        assert_eq!(&text[a.segments[0].target_bytes.clone()], "Hej");
    }

    #[test]
    fn line_feeds_are_mapped() {
        assert_eq!(
            line_feeds("a\r\nb\rc\r\n"),
            ("a\nb\nc\n".to_string(), vec![1, 5])
        );
        let map = RawMap {
            bom: 3,
            crlf: vec![1, 5],
        };
        // "a\nb\nc\n" → BOM "a\r\nb\rc\r\n"
        let raw: Vec<usize> = (0..=6).map(|o| map.raw(o)).collect();
        assert_eq!(raw, [3, 4, 6, 7, 8, 9, 11]);
    }

    #[test]
    fn invalid_utf8_is_located() {
        let a = article("sv-SE", "a.md", "a.md", b"---\ntitle: T\n---\nab\xFFc\n");
        assert_eq!(a.findings[0].lint, "file::encoding");
        assert_eq!((a.findings[0].line, a.findings[0].column), (4, 3));
    }

    #[test]
    fn utf16_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "---\ntitle: 密码\n---\nx".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let a = article("zh-CN", "a.md", "a.md", &bytes);
        assert_eq!(a.front.title.as_deref(), Some("密码"));
    }

    #[test]
    fn invalid_utf16_is_located() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "---\ntitle: T\n---\nab".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        bytes.extend([0x00, 0xD8, b'c', 0x00, b'\n', 0x00, b'x']);
        let a = article("sv-SE", "a.md", "a.md", &bytes);
        let places: Vec<_> = a
            .findings
            .iter()
            .map(|f| (f.lint, f.line, f.column))
            .collect();
        assert_eq!(
            places,
            [("file::encoding", 1, 1), ("file::encoding", 4, 3)],
            "{:?}",
            a.findings
        );
        assert_eq!(a.target, "ab\u{FFFD}c\n\u{FFFD}");
    }

    #[test]
    fn locale_mismatch() {
        let a = article(
            "sv-SE",
            "a.md",
            "a.md",
            b"---\ntitle: T\nms.contentlocale: de-DE\n---\n",
        );
        assert_eq!(lints(&a), ["article::locale-mismatch"]);
        assert_eq!(a.findings[0].line, 3);
    }
}
