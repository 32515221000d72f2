//! A segment's Markdown as it reads where it stands in its document, for
//! the views that show one sentence on its own (Show English, side-by-side
//! rows, their word differences).
//!
//! A sentence cut out of its block and parsed alone is read differently
//! from the page: `> **Mail**` after `Select **Settings**` on the same line
//! is a menu path in the page but a block quote alone, a list item's or a
//! quote's continuation line keeps its `> ` prefix, and the backslash of a
//! hard break at the end of a line stays behind as text. [`markdown`] gives
//! the segment's text with what its block makes of it: block markers at the
//! start of its line are structure and are dropped; at the start of a
//! sentence that follows other text on its line, a separator (`>`, `-`)
//! joins it to the sentence before and is dropped, any other marker (`7.`,
//! `#`) is text and is escaped; continuation lines lose their quote
//! prefixes; a trailing backslash that the page reads as a break or as the
//! escape of the next character is dropped.
//!
//! Text in, text out: the caller renders the result with
//! [`super::inline`].

use std::borrow::Cow;
use std::ops::Range;

/// The Markdown of the segment at `range` of `doc`, read in the context of
/// its block (see the module comment). `None` when `range` is not a range
/// of `doc` on character boundaries.
pub fn markdown(doc: &str, range: Range<usize>) -> Option<Cow<'_, str>> {
    let text = doc.get(range.clone())?;
    let line_start = doc[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let mid_line = !strip_markers(&doc[line_start..range.start])
        .trim()
        .is_empty();
    let next = doc[range.end..].chars().next();
    Some(shape(text, mid_line, next))
}

/// A sentence of a document that may not say where its sentences stand
/// (an English page written as a file has no spans): [`markdown`] at
/// `range` when it is known, else [`standalone`] of `sentence`.
pub fn sentence<'a>(doc: &'a str, range: Option<Range<usize>>, sentence: &'a str) -> Cow<'a, str> {
    range
        .and_then(|r| markdown(doc, r))
        .unwrap_or_else(|| standalone(sentence))
}

/// [`markdown`] for a sentence whose document is not known: read as the
/// start of a block.
pub fn standalone(text: &str) -> Cow<'_, str> {
    shape(text, false, None)
}

/// `text` with its first line's markers read as after other text
/// (`mid_line`, see [`mid_line_start`]) or dropped,
/// the quote prefixes of its other lines dropped, and a trailing backslash
/// dropped when the page does not show it (`next`: the character after it
/// in the document).
fn shape(text: &str, mid_line: bool, next: Option<char>) -> Cow<'_, str> {
    let first = text.trim_start();
    let lead = marker_len(first);
    let continued = text.contains('\n');
    let backslash = trailing_break(text.trim_end(), next);
    if lead == 0 && !continued && !backslash && first.len() == text.len() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 2);
    if mid_line {
        out.push_str(&mid_line_start(first));
    } else {
        out.push_str(strip_markers(first));
    }
    if continued {
        let mut lines = out.split('\n');
        let mut joined = String::with_capacity(out.len());
        joined.push_str(lines.next().unwrap_or_default());
        for line in lines {
            joined.push('\n');
            joined.push_str(strip_quotes(line));
        }
        out = joined;
    }
    if backslash {
        let end = out.trim_end().len() - 1;
        out.truncate(end);
    }
    Cow::Owned(out)
}

/// The start of a sentence that follows other text on its line: a
/// separator there (`>` of a menu path, a `-` or `+` dash) joins it to the
/// sentence before and is dropped from the sentence shown alone; any other
/// marker (`7.` of a date, `#`, `*`) is text in the page and is escaped so
/// that it stays text.
fn mid_line_start(mut text: &str) -> Cow<'_, str> {
    loop {
        let n = marker_len(text);
        match text.as_bytes().first() {
            _ if n == 0 => return Cow::Borrowed(text),
            Some(b'>' | b'-' | b'+') => text = text[n..].trim_start(),
            _ => {
                // The marker's last character is the one that makes it a
                // marker (`#`, `*`, the `.` of `7.`): escaped, it is text.
                let cut = text[..n].trim_end().len() - 1;
                return Cow::Owned(format!("{}\\{}", &text[..cut], &text[cut..]));
            }
        }
    }
}

/// Whether `text` ends with a backslash that the page reads as a hard break
/// (end of line, or of the document) or as the escape of `next`, an ASCII
/// punctuation character outside the segment; not one escaped itself.
fn trailing_break(text: &str, next: Option<char>) -> bool {
    let slashes = text.bytes().rev().take_while(|&b| b == b'\\').count();
    slashes % 2 == 1 && next.is_none_or(|c| c == '\n' || c == '\r' || c.is_ascii_punctuation())
}

/// `text` without the block markers it starts with (quotes, list items,
/// heading hashes), however many.
fn strip_markers(mut text: &str) -> &str {
    loop {
        let trimmed = text.trim_start();
        let n = marker_len(trimmed);
        if n == 0 {
            return trimmed;
        }
        text = &trimmed[n..];
    }
}

/// A continuation line without its leading white space and quote markers.
fn strip_quotes(line: &str) -> &str {
    let mut line = line.trim_start();
    while let Some(rest) = line.strip_prefix('>') {
        line = rest.trim_start();
    }
    line
}

/// The length of the block marker `text` starts with, its following space
/// included: `>`, `-`, `+` or `*` and a space, one to six `#` and a space,
/// one to nine digits with `.` or `)` and a space. 0 for none.
fn marker_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    let spaced = |at: usize| match bytes.get(at) {
        None => true,
        Some(b) => matches!(b, b' ' | b'\t'),
    };
    let len = match bytes.first() {
        None => return 0,
        Some(b'>') => 1,
        Some(b'-' | b'+' | b'*') if spaced(1) => 1,
        Some(b'#') => {
            let n = bytes.iter().take_while(|&&b| b == b'#').count();
            if n > 6 || !spaced(n) {
                return 0;
            }
            n
        }
        Some(b'0'..=b'9') => {
            let n = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            if n > 9 || !matches!(bytes.get(n), Some(b'.' | b')')) || !spaced(n + 1) {
                return 0;
            }
            n + 1
        }
        Some(_) => return 0,
    };
    len + bytes[len..]
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(doc: &str, segment: &str) -> String {
        let start = doc.find(segment).expect("segment in doc");
        markdown(doc, start..start + segment.len())
            .expect("a range of doc")
            .into_owned()
    }

    #[test]
    fn marker_mid_line_is_text_or_a_separator() {
        let doc = "1. Check **Settings** > **Mail** > **Sync**.\n";
        assert_eq!(at(doc, "> **Mail** > **Sync**."), "**Mail** > **Sync**.");
        let doc = "Fill it in! - As an administrator you can.\n";
        assert_eq!(
            at(doc, "- As an administrator you can."),
            "As an administrator you can."
        );
        let doc = "Was ** bold. * * Broken bold * *\n";
        assert_eq!(at(doc, "* * Broken bold * *"), "\\* * Broken bold * *");
        let doc = "Now. > 7. aprillil it ends.\n";
        assert_eq!(at(doc, "> 7. aprillil it ends."), "7\\. aprillil it ends.");
        let doc = "Fixed on 12. 1. June it changed.\n";
        assert_eq!(at(doc, "1. June it changed."), "1\\. June it changed.");
        assert_eq!(at("Tag ## now\n", "## now"), "#\\# now");
    }

    #[test]
    fn marker_at_line_start_is_structure() {
        assert_eq!(at("> - Text here.\n", "Text here."), "Text here.");
        // A marker inside the segment at the start of its line is the
        // block's own: dropped.
        assert_eq!(
            at("> > Quoted twice.\n", "> Quoted twice."),
            "Quoted twice."
        );
        assert_eq!(standalone("- Item text."), "Item text.");
    }

    #[test]
    fn continuation_lines_lose_quote_prefixes() {
        let doc = "> First line of it\n> and the second.\n";
        assert_eq!(
            at(doc, "First line of it\n> and the second."),
            "First line of it\nand the second."
        );
    }

    #[test]
    fn trailing_hard_break_is_dropped() {
        let doc = "Select **Buy licenses**.\\\nNext line.\n";
        assert_eq!(
            at(doc, "Select **Buy licenses**.\\"),
            "Select **Buy licenses**."
        );
        // An escaped backslash is text.
        let doc = "A path C:\\\\\nNext.\n";
        assert_eq!(at(doc, "A path C:\\\\"), "A path C:\\\\");
        // Before a letter, a backslash is shown by the page too.
        let doc = "Folder a\\b.\n";
        assert_eq!(at(doc, "Folder a\\"), "Folder a\\");
    }

    #[test]
    fn plain_sentences_are_borrowed() {
        let doc = "Intro. Plain sentence here.\n";
        let start = doc.find("Plain").expect("in doc");
        assert!(matches!(
            markdown(doc, start..doc.len() - 1),
            Some(Cow::Borrowed("Plain sentence here."))
        ));
        assert!(markdown(doc, 3..200).is_none());
    }
}
