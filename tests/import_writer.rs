//! Properties of the sxs writer (`helpbook::writeback`), over random text.
//!
//! For any new translation or English written into a pair of an article
//! (LF or CR LF line endings, with or without a BOM):
//! - the new file is the old one with exactly that span's bytes replaced by
//!   the escaped text; every other byte stays;
//! - the scanner reads the pair back as `escape(text, "\n")`, which is the
//!   text itself whenever it holds no CR and nothing the scanner would read
//!   as markup (`<span`, `</span`, `<!--`);
//! - every other pair reads back as it was.
//!
//! The strings are drawn from an alphabet heavy in what could break a file:
//! span tags whole and in pieces, `<`, `>`, `&`, entities, quotes, comment
//! openers, line breaks of every kind, CJK and right-to-left text.

use helpbook::writeback::{apply, escape, Edit};
use proptest::prelude::*;

const PIECES: &[&str] = &[
    "<",
    ">",
    "/",
    "&",
    "&amp;",
    "&lt;",
    "\"",
    "'",
    "span",
    "SPAN",
    "<span",
    "</span>",
    "</span",
    "<span class=\"sxs-lookup\">",
    "<span data-ttu-id=\"9\">",
    "<span data-stu-id=\"9\">",
    "<!--",
    "-->",
    "<br>",
    "<b>",
    "\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    "  ",
    "x",
    "Hej",
    "你好",
    "𠮷",
    "مرحبا",
    "שָׁלוֹם",
    "**",
    "[a](b)",
    "\\",
    "#",
    "- ",
    "\u{FEFF}",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..24).prop_map(|v| v.concat())
}

fn pair(id: &str, t: &str, s: &str) -> String {
    format!(
        r#"<span data-ttu-id="{id}">{t}</span><span class="sxs-lookup"><span data-stu-id="{id}">{s}</span></span>"#
    )
}

/// An article with three pairs in a heading, a list and a table.
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

fn has_markup(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    text.contains('\r')
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
        let a = helpbook::parse::article("sv-SE", "a.md", "a.md", &old);
        prop_assert_eq!(a.segments.len(), 4);
        let seg = &a.segments[which];
        let edit = Edit { id: seg.id.clone(), pos: seg.pos, target: Some(new.clone()), source: None };
        let bytes = apply(&old, &a, &[edit]).map_err(|e| TestCaseError::fail(e.to_string()))?;

        let range = seg.target_bytes.clone();
        let mut want = old[..range.start].to_vec();
        want.extend(escape(&new, eol).into_bytes());
        want.extend(&old[range.end..]);
        prop_assert_eq!(&bytes, &want);

        let b = helpbook::parse::article("sv-SE", "a.md", "a.md", &bytes);
        prop_assert_eq!(b.segments.len(), 4);
        for (i, (x, y)) in a.segments.iter().zip(&b.segments).enumerate() {
            prop_assert_eq!(&x.id, &y.id);
            prop_assert_eq!(&x.source, &y.source);
            if i == which {
                prop_assert_eq!(&y.target, &escape(&new, "\n"));
                if !has_markup(&new) {
                    prop_assert_eq!(&y.target, &new);
                }
            } else {
                prop_assert_eq!(&x.target, &y.target);
            }
        }
    }

    #[test]
    fn new_english_changes_only_its_span(new in text(), which in 0usize..4, crlf in any::<bool>()) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let old = article(!crlf, eol);
        let a = helpbook::parse::article("sv-SE", "a.md", "a.md", &old);
        let seg = &a.segments[which];
        let edit = Edit { id: seg.id.clone(), pos: seg.pos, target: None, source: Some(new.clone()) };
        let bytes = apply(&old, &a, &[edit]).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let range = seg.source_bytes.clone().expect("plain lookup");
        let mut want = old[..range.start].to_vec();
        want.extend(escape(&new, eol).into_bytes());
        want.extend(&old[range.end..]);
        prop_assert_eq!(&bytes, &want);
        let b = helpbook::parse::article("sv-SE", "a.md", "a.md", &bytes);
        prop_assert_eq!(&b.segments[which].source, &escape(&new, "\n"));
        prop_assert_eq!(&b.segments[which].target, &seg.target);
    }

    /// Escaping is stable: text read back from a file and written again is
    /// written as it stands, so a second round trip changes nothing.
    #[test]
    fn escaping_is_idempotent(t in text()) {
        let once = escape(&t, "\n");
        prop_assert_eq!(escape(&once, "\n"), once.clone());
        prop_assert!(!has_markup(&once), "{once:?}");
    }
}
