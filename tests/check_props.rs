//! Properties of the check stages on arbitrary input: no panic, and every
//! place a finding names lies inside the file. Input is built from the
//! pieces real articles are made of (pairs, spans, links, emphasis, CJK and
//! Arabic text, line breaks), so malformed combinations come up often.

use helpbook::check::{markup, position};
use proptest::prelude::*;

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(r#"<span data-ttu-id="a-1">"#.to_string()),
        Just(r#"</span><span class="sxs-lookup"><span data-stu-id="a-1">"#.to_string()),
        Just("</span></span>".to_string()),
        Just("</span>".to_string()),
        Just("<span class=\"x\">".to_string()),
        Just("[".to_string()),
        Just("](a.md#b)".to_string()),
        Just("](/root)".to_string()),
        Just("](#frag)".to_string()),
        Just("**".to_string()),
        Just(" ** ".to_string()),
        Just("\\*".to_string()),
        Just("`".to_string()),
        Just("<a name=\"x\"></a>".to_string()),
        Just("\n".to_string()),
        Just("\n\n# ".to_string()),
        Just("    ".to_string()),
        Just("密码".to_string()),
        Just("مَرحَبًا".to_string()),
        "[a-z ]{0,6}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn no_panic_and_places_inside_the_file(pieces in proptest::collection::vec(piece(), 0..40)) {
        let body: String = pieces.concat();
        let file = format!("---\ntitle: t\n---\n{body}");
        let article = helpbook::parse::article("zh-CN", "a.md", "a.md", file.as_bytes());
        let lines = file.split('\n').count();
        for seg in &article.segments {
            let _ = markup::compare(seg.target(&article), seg.source(&article));
        }
        let (target, source) = (position::Places::target(&article), position::Places::source(&article));
        let mut forward = Vec::new();
        for offset in 0..=article.target.len() {
            let pos = target.pos(offset);
            prop_assert!(pos.line >= 1 && pos.line <= lines, "{pos:?} of {lines} lines");
            prop_assert!(pos.column >= 1);
            forward.push(pos);
        }
        // Asked in another order, each place is the same.
        let again = position::Places::target(&article);
        for offset in (0..=article.target.len()).rev() {
            prop_assert_eq!(again.pos(offset), forward[offset]);
        }
        for offset in 0..=article.source.len() {
            let pos = source.pos(offset);
            prop_assert!(pos.line >= 1 && pos.line <= lines, "{pos:?} of {lines} lines");
            prop_assert!(pos.column >= 1);
        }
    }
}
