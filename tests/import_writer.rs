//! Properties of the sxs writer (`helpbook::writeback`), over random text.
//!
//! For any new translation or English written into a pair of an article
//! (LF or CR LF line endings, with or without a BOM), in a heading, a list
//! item or a table cell:
//! - the new file is the old one with exactly that span's bytes replaced by
//!   the escaped text; every other byte stays;
//! - the scanner reads the pair back as `escape(text, "\n", in_table)`,
//!   which is the text itself whenever it holds no CR, nothing the scanner
//!   would read as markup (`<span`, `</span`, `<!--`) and, in a table cell,
//!   no bare `|`;
//! - every other pair reads back as it was;
//! - or the writer refuses, and then only because the text would change
//!   the page's Markdown blocks (a line break in a heading or table row, a
//!   blank line, a `#` or list marker at the start of a block…): the test
//!   splices the text in itself and compares the blocks.
//!
//! The strings are drawn from an alphabet heavy in what could break a file:
//! span tags whole and in pieces, `<`, `>`, `&`, entities, quotes, comment
//! openers, pipes, line breaks of every kind, CJK and right-to-left text.

use helpbook::writeback::{apply, escape, Edit, Error};
use proptest::prelude::*;

#[rustfmt::skip]
const PIECES: &[&str] = &[
    "<", ">", "/", "&", "&amp;", "&lt;", "\"", "'", "span", "SPAN", "<span", "</span>", "</span",
    "<span class=\"sxs-lookup\">", "<span data-ttu-id=\"9\">", "<span data-stu-id=\"9\">",
    "<!--", "-->", "<br>", "<b>", "\n", "\r\n", "\r", "\t", " ", "  ", "x", "Hej", "你好", "𠮷",
    "مرحبا", "שָׁלוֹם", "**", "[a](b)", "\\", "#", "- ", "\u{FEFF}", "|", "\\|",
];

/// The pair in the table cell.
const IN_TABLE: usize = 3;

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..24).prop_map(|v| v.concat())
}

fn pair(id: &str, t: &str, s: &str) -> String {
    format!(
        r#"<span data-ttu-id="{id}">{t}</span><span class="sxs-lookup"><span data-stu-id="{id}">{s}</span></span>"#
    )
}

/// An article with four pairs: in a heading, a list item (two) and a table.
fn article(bom: bool, eol: &str) -> Vec<u8> {
    let text = format!(
        "---\ntitle: T\nms.lasthandoff: 08/21/2021\n---\n# {}\n\n- {} {}\n\n| a |\n| - |\n| {} |\n",
        pair("a-1", "Rubrik", "Title"),
        pair("a-2", "Ett &amp; två", "One &amp; two"),
        pair("a-3", "Tre", "Three"),
        pair("a-4", "Fyra", "Four"),
    );
    let mut bytes = if bom {
        b"\xEF\xBB\xBF".to_vec()
    } else {
        Vec::new()
    };
    bytes.extend(text.replace('\n', eol).into_bytes());
    bytes
}

fn has_markup(text: &str, in_table: bool) -> bool {
    let lower = text.to_ascii_lowercase();
    text.contains('\r')
        || (in_table && bare_pipe(text))
        || lower.contains("<!--")
        || ["<span", "</span"].iter().any(|open| {
            lower.match_indices(open).any(|(i, _)| {
                lower[i + open.len()..]
                    .bytes()
                    .next()
                    .is_none_or(|b| b.is_ascii_whitespace() || b == b'>' || b == b'/')
            })
        })
}

/// Whether `text` has a `|` that no backslash escapes.
fn bare_pipe(text: &str) -> bool {
    let mut backslashes = 0;
    for c in text.chars() {
        if c == '|' && backslashes % 2 == 0 {
            return true;
        }
        backslashes = if c == '\\' { backslashes + 1 } else { 0 };
    }
    false
}

/// The block structure of a Markdown document, as the renderer reads it.
fn blocks(markdown: &str) -> Vec<String> {
    use pulldown_cmark::{Event, TagEnd};
    helpbook::render::parser(markdown)
        .filter_map(|e| match e {
            Event::Start(t) => Some(t.to_end()),
            Event::End(t) => Some(t),
            _ => None,
        })
        .filter(|t| {
            !matches!(
                t,
                TagEnd::Emphasis
                    | TagEnd::Strong
                    | TagEnd::Strikethrough
                    | TagEnd::Superscript
                    | TagEnd::Subscript
                    | TagEnd::Link
                    | TagEnd::Image
            )
        })
        .map(|t| format!("{t:?}"))
        .collect()
}

/// Applies one edit; None when the writer refused, which is allowed only
/// when splicing the text in changes the blocks of the page.
fn edit(
    old: &[u8],
    which: usize,
    target: Option<&str>,
    source: Option<&str>,
) -> Result<Option<Vec<u8>>, TestCaseError> {
    let a = helpbook::parse::article("sv-SE", "a.md", "a.md", old);
    prop_assert_eq!(a.segments.len(), 4);
    let seg = &a.segments[which];
    let e = Edit {
        id: seg.id.clone(),
        pos: seg.pos,
        target: target.map(str::to_string),
        source: source.map(str::to_string),
    };
    let text = target.or(source).unwrap_or_default();
    match apply(old, &a, &[e]) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(Error::ReadBack { .. }) => {
            let range = match source {
                Some(_) => seg.source_bytes.clone().expect("plain lookup"),
                None => seg.target_bytes.clone(),
            };
            let mut spliced = old[..range.start].to_vec();
            spliced.extend(escape(text, "\n", which == IN_TABLE).into_bytes());
            spliced.extend(&old[range.end..]);
            let b = helpbook::parse::article("sv-SE", "a.md", "a.md", &spliced);
            prop_assert!(
                blocks(&a.target) != blocks(&b.target) || blocks(&a.source) != blocks(&b.source),
                "refused though the blocks stay: {text:?}"
            );
            Ok(None)
        }
        Err(e) => Err(TestCaseError::fail(e.to_string())),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn a_translation_changes_only_its_span(
        new in text(),
        which in 0usize..4,
        bom in any::<bool>(),
        crlf in any::<bool>(),
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let old = article(bom, eol);
        let Some(bytes) = edit(&old, which, Some(&new), None)? else {
            return Ok(());
        };
        let in_table = which == IN_TABLE;
        let a = helpbook::parse::article("sv-SE", "a.md", "a.md", &old);
        let range = a.segments[which].target_bytes.clone();
        let mut want = old[..range.start].to_vec();
        want.extend(escape(&new, eol, in_table).into_bytes());
        want.extend(&old[range.end..]);
        prop_assert_eq!(&bytes, &want);

        let b = helpbook::parse::article("sv-SE", "a.md", "a.md", &bytes);
        prop_assert_eq!(b.segments.len(), 4);
        for (i, (x, y)) in a.segments.iter().zip(&b.segments).enumerate() {
            prop_assert_eq!(&x.id, &y.id);
            prop_assert_eq!(x.source(&a), y.source(&b));
            if i == which {
                prop_assert_eq!(y.target(&b), escape(&new, "\n", in_table));
                if !has_markup(&new, in_table) {
                    prop_assert_eq!(y.target(&b), &new);
                }
            } else {
                prop_assert_eq!(x.target(&a), y.target(&b));
            }
        }
    }

    #[test]
    fn new_english_changes_only_its_span(new in text(), which in 0usize..4, crlf in any::<bool>()) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let old = article(!crlf, eol);
        let Some(bytes) = edit(&old, which, None, Some(&new))? else {
            return Ok(());
        };
        let in_table = which == IN_TABLE;
        let a = helpbook::parse::article("sv-SE", "a.md", "a.md", &old);
        let range = a.segments[which].source_bytes.clone().expect("plain lookup");
        let mut want = old[..range.start].to_vec();
        want.extend(escape(&new, eol, in_table).into_bytes());
        want.extend(&old[range.end..]);
        prop_assert_eq!(&bytes, &want);
        let b = helpbook::parse::article("sv-SE", "a.md", "a.md", &bytes);
        prop_assert_eq!(b.segments[which].source(&b), escape(&new, "\n", in_table));
        prop_assert_eq!(b.segments[which].target(&b), a.segments[which].target(&a));
    }

    /// Escaping is stable: text read back from a file and written again is
    /// written as it stands, so a second round trip changes nothing.
    #[test]
    fn escaping_is_idempotent(t in text(), in_table in any::<bool>()) {
        let once = escape(&t, "\n", in_table);
        prop_assert_eq!(escape(&once, "\n", in_table), once.clone());
        prop_assert!(!has_markup(&once, in_table), "{once:?}");
    }
}
