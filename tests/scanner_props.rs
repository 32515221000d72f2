//! Properties of the sxs scanner and the front-matter splitter, where examples
//! run out: no panic on any input, and every byte outside the pairs accounted
//! for in both documents.

use helpbook::parse::{front_matter, sxs};
use proptest::prelude::*;

/// Text made of the pieces that trouble a span scanner: tags, half tags,
/// quotes, angle brackets, line breaks and multi-byte characters.
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<span data-ttu-id=\"a\">".to_string()),
        Just("<span class=\"sxs-lookup\">".to_string()),
        Just("<span data-stu-id=\"a\">".to_string()),
        Just("<span data-stu-id='b'>".to_string()),
        Just("<span".to_string()),
        Just("</span>".to_string()),
        Just("</span".to_string()),
        Just("<span/>".to_string()),
        Just("<!--".to_string()),
        Just("-->".to_string()),
        Just("---\n".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("<".to_string()),
        Just(">".to_string()),
        Just("=".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("密码".to_string()),
        Just("é".to_string()),
        Just("🙂".to_string()),
        Just("كلمة".to_string()),
        "[a-z :]{0,6}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

/// Plain text that cannot start a tag.
fn plain() -> impl Strategy<Value = String> {
    "[^<]{0,12}"
}

/// Segment text: inline Markdown without tags, possibly multi-line.
fn segment() -> impl Strategy<Value = String> {
    "[^<]{0,16}"
}

fn id() -> impl Strategy<Value = String> {
    "[0-9a-f]{5}-p?[0-9]{3}"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn scan_never_panics(input in hostile()) {
        let s = sxs::scan(&input);
        for p in &s.problems {
            prop_assert!(input.is_char_boundary(p.offset));
        }
        for p in &s.pairs {
            prop_assert!(input.is_char_boundary(p.offset));
            prop_assert_eq!(s.target.get(p.target_range.clone()), Some(p.target.as_str()));
            prop_assert_eq!(s.source.get(p.source_range.clone()), Some(p.source.as_str()));
        }
    }

    #[test]
    fn strip_span_tags_never_panics(input in hostile()) {
        let out = sxs::strip_span_tags(&input);
        prop_assert!(out.len() <= input.len());
    }

    /// Documents built from well-formed pairs interleaved with plain text:
    /// the text outside pairs appears unchanged in both documents, each pair
    /// is replaced by exactly its TARGET (SOURCE), and nothing is reported.
    #[test]
    fn every_byte_outside_pairs_is_in_both_documents(
        parts in prop::collection::vec((plain(), id(), segment(), segment()), 0..12),
        tail in plain(),
    ) {
        let mut input = String::new();
        let (mut target, mut source) = (String::new(), String::new());
        let mut offsets = Vec::new();
        for (text, id, t, s) in &parts {
            input.push_str(text);
            target.push_str(text);
            source.push_str(text);
            offsets.push(input.len());
            input.push_str(&format!(
                "<span data-ttu-id=\"{id}\">{t}</span><span class=\"sxs-lookup\"><span data-stu-id=\"{id}\">{s}</span></span>"
            ));
            target.push_str(t);
            source.push_str(s);
        }
        input.push_str(&tail);
        target.push_str(&tail);
        source.push_str(&tail);

        let out = sxs::scan(&input);
        prop_assert_eq!(&out.target, &target);
        prop_assert_eq!(&out.source, &source);
        prop_assert!(out.problems.is_empty(), "{:?}", out.problems);
        prop_assert_eq!(out.pairs.len(), parts.len());
        for (pair, ((_, id, t, s), offset)) in out.pairs.iter().zip(parts.iter().zip(offsets)) {
            prop_assert_eq!(&pair.id, id);
            prop_assert_eq!(&pair.target, t);
            prop_assert_eq!(&pair.source, s);
            prop_assert_eq!(pair.offset, offset);
            prop_assert_eq!(&out.target[pair.target_range.clone()], t.as_str());
            prop_assert_eq!(&out.source[pair.source_range.clone()], s.as_str());
        }
    }

    /// Whatever the input, no sxs markup of a well-formed pair survives in
    /// either document when the pairs are separated by hostile plain text
    /// without `<`.
    #[test]
    fn no_sxs_markup_left_from_well_formed_pairs(
        parts in prop::collection::vec((plain(), id(), segment(), segment()), 1..6),
    ) {
        let input: String = parts.iter().map(|(text, id, t, s)| format!(
            "{text}<span data-ttu-id=\"{id}\">{t}</span><span class=\"sxs-lookup\"><span data-stu-id=\"{id}\">{s}</span></span>"
        )).collect();
        let out = sxs::scan(&input);
        for doc in [&out.target, &out.source] {
            prop_assert!(!doc.contains("data-ttu-id"));
            prop_assert!(!doc.contains("data-stu-id"));
            prop_assert!(!doc.contains("sxs-lookup"));
        }
    }

    #[test]
    fn front_matter_split_never_panics(input in hostile()) {
        let split = front_matter::split(&input);
        prop_assert!(split.body_start <= input.len());
        prop_assert!(input.is_char_boundary(split.body_start));
        for p in &split.problems {
            prop_assert!(p.offset <= input.len());
        }
    }

    /// Front matter of arbitrary keys and values, closed: the body starts
    /// right after the closing fence.
    #[test]
    fn front_matter_body_starts_after_the_fence(
        lines in prop::collection::vec("[^\n]{0,20}", 0..8),
        body in "[^\n]{0,20}(\n[^\n]{0,20}){0,3}",
    ) {
        let lines: Vec<String> = lines.into_iter().filter(|l| l.trim_end() != "---" && l.trim_end() != "...").collect();
        let yaml = lines.iter().map(|l| format!("{l}\n")).collect::<String>();
        let text = format!("---\n{yaml}---\n{body}");
        let split = front_matter::split(&text);
        prop_assert_eq!(&text[split.body_start..], body.as_str());
        prop_assert!(split.problems.iter().all(|p| p.kind != front_matter::ProblemKind::Missing
            && p.kind != front_matter::ProblemKind::Unclosed));
    }

    /// The whole article parser (decode, split, scan, positions) on raw bytes.
    #[test]
    fn parse_article_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..300), text in hostile()) {
        let a = helpbook::parse::article("sv-SE", "a.md", "a.md", &bytes);
        prop_assert!(a.findings.iter().all(|f| f.line >= 1 && f.column >= 1));
        let b = helpbook::parse::article("sv-SE", "a.md", "a.md", text.as_bytes());
        prop_assert!(b.findings.iter().all(|f| f.line >= 1 && f.column >= 1));
    }
}

/// Every prefix of the real seed articles (a save cut short, a truncated
/// download): parsing never panics, and sxs markup reaches a document only
/// together with an `sxs::unterminated` error saying where.
#[test]
fn truncated_seed_articles_leak_no_markup_silently() {
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut checked = 0;
    for locale in ["et-EE", "ja-JP", "ro-RO", "sv-SE", "zh-CN"] {
        let path = content.join(locale).join("self-service-password-reset.md");
        let text = std::fs::read_to_string(&path).expect("seed article");
        let full = helpbook::parse::article(locale, "a.md", "a.md", text.as_bytes());
        for cut in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let a = helpbook::parse::article(locale, "a.md", "a.md", &text.as_bytes()[..cut]);
            assert!(a.segments.len() <= full.segments.len());
            let leaked = [&a.target, &a.source].iter().any(|d| {
                d.contains("data-ttu-id") || d.contains("data-stu-id") || d.contains("sxs-lookup")
            });
            let reported = a.findings.iter().any(|f| f.lint == "sxs::unterminated");
            assert!(
                !leaked || reported,
                "{locale} cut at byte {cut}: markup left with no finding"
            );
            checked += 1;
        }
    }
    assert!(checked > 1000, "{checked} prefixes");
}

/// Front-matter lines made of the pieces that decide how YAML reads a value:
/// numbers in every base, nulls, booleans, quotes, escapes, comments,
/// indentation, list items, flow and block indicators, anchors.
fn yaml_block() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("title"),
        Just("ms.custom"),
        Just("ROBOTS"),
        Just("a"),
        Just("1"),
        Just("Yes"),
        Just("k k"),
        Just("\"q\""),
        Just("- x"),
        Just("  k"),
        Just("# c"),
        Just(""),
    ];
    let sep = prop_oneof![Just(": "), Just(":"), Just(":  "), Just(" : ")];
    let value = prop_oneof![
        Just("Hej".to_string()),
        Just("04/10/2020".to_string()),
        Just("9322ebfcb2fd05359c55068ce847e934e389519b".to_string()),
        Just("157".to_string()),
        Just("0157".to_string()),
        Just("-12".to_string()),
        Just("0x1F".to_string()),
        Just("0o17".to_string()),
        Just("1e3".to_string()),
        Just(".5".to_string()),
        Just("inf".to_string()),
        Just("NaN".to_string()),
        Just("~".to_string()),
        Just("null".to_string()),
        Just("True".to_string()),
        Just("no".to_string()),
        Just("\"x\"".to_string()),
        Just("\"x\\ny\"".to_string()),
        Just("'it''s'".to_string()),
        Just("'x'".to_string()),
        Just("\"open".to_string()),
        Just("a: b".to_string()),
        Just("a #b".to_string()),
        Just("a#b".to_string()),
        Just("[a, b]".to_string()),
        Just("{a: b}".to_string()),
        Just(">-".to_string()),
        Just("|".to_string()),
        Just("&x y".to_string()),
        Just("*x".to_string()),
        Just("!!str 1".to_string()),
        Just("Excel 崩溃？".to_string()),
        Just("NOINDEX, NOFOLLOW".to_string()),
        Just("x\t".to_string()),
        Just("a\u{3}b".to_string()),
        Just("a\rb".to_string()),
        Just("a\u{85}b".to_string()),
        Just("x ".to_string()),
        Just(String::new()),
        "[a-z0-9 .:#'\"-]{0,8}",
    ];
    let line = prop_oneof![
        (key, sep, value.clone()).prop_map(|(k, s, v)| format!("{k}{s}{v}")),
        value.clone().prop_map(|v| format!("- {v}")),
        value.clone().prop_map(|v| format!("  - {v}")),
        value.prop_map(|v| format!("  {v}")),
    ];
    prop::collection::vec(line, 0..8).prop_map(|lines| {
        lines
            .into_iter()
            .map(|l| format!("{l}\n"))
            .collect::<String>()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// The front matter's fast path reads every block exactly as the YAML
    /// parser does (or leaves it to the parser).
    #[test]
    fn front_matter_fast_path_agrees_with_the_parser(yaml in yaml_block()) {
        prop_assert_eq!(
            front_matter::read_yaml(&yaml, 4),
            front_matter::read_yaml_fully(&yaml, 4)
        );
    }
}
