//! What each fuzz target checks on one input, shared by the fuzz targets
//! (`fuzz/fuzz_targets/*.rs`, on nightly with libFuzzer) and by
//! `tests/fuzz_regressions.rs`, which replays every input the fuzzers ever
//! found on stable. A broken invariant panics, which is what both harnesses
//! report.
//!
//! Beyond "no panic", each target checks cheap invariants:
//! - `sxs_scan`: offsets on character boundaries, each pair's ranges index
//!   its texts, and no sxs span tag left in either document as HTML (as
//!   pulldown-cmark, the renderer, reads it) unless the scanner reported a
//!   problem;
//! - `front_matter`: the body starts on a character boundary inside the
//!   text, problems point inside it, and the whole parser places every
//!   finding at line ≥ 1, column ≥ 1;
//! - `article`: parse → pair → render of one article: every piece of HTML
//!   is free of scripts, event handlers, `javascript:`/`data:` URLs (raster
//!   `data:` images in `img src` allowed), iframes
//!   of unlisted hosts and sxs attributes.

#![allow(dead_code)]

use helpbook::parse::{front_matter, sxs};

/// The sxs span scanner on `data` (read as UTF-8, bad bytes replaced).
pub fn sxs_scan(data: &[u8]) {
    let input = String::from_utf8_lossy(data);
    let s = sxs::scan(&input);
    for p in &s.problems {
        assert!(input.is_char_boundary(p.offset), "problem offset {p:?}");
    }
    for p in &s.pairs {
        assert!(input.is_char_boundary(p.offset), "pair offset {p:?}");
        assert_eq!(
            s.target.get(p.target_range.clone()),
            Some(p.target.as_str())
        );
        assert_eq!(
            s.source.get(p.source_range.clone()),
            Some(p.source.as_str())
        );
    }
    assert!(s.pairs.len() <= input.matches("sxs-lookup").count());
    if s.problems.is_empty() {
        for doc in [&s.target, &s.source] {
            if let Some(tag) = sxs_tag(doc) {
                panic!("sxs markup left with no problem reported: {tag}");
            }
        }
    }
    let stripped = sxs::strip_span_tags(&input);
    assert!(stripped.len() <= input.len());
}

/// The front-matter splitter on `data`, then the whole article parser.
pub fn front_matter(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let split = front_matter::split(&text);
    assert!(split.body_start <= text.len());
    assert!(text.is_char_boundary(split.body_start));
    for p in &split.problems {
        assert!(p.offset <= text.len(), "{p:?}");
    }
    let _ = split.front.handoff_date();
    // The front matter's fast path reads every block as the YAML parser does.
    let block = text
        .strip_prefix("---\n")
        .and_then(|rest| rest.split("\n---").next());
    if let Some(yaml) = block {
        assert_eq!(
            front_matter::read_yaml(yaml, 4),
            front_matter::read_yaml_fully(yaml, 4),
            "{yaml:?}"
        );
    }
    let a = helpbook::parse::article("sv-SE", "a.md", "a.md", data);
    for f in &a.findings {
        assert!(f.line >= 1 && f.column >= 1, "{f:?}");
    }
}

/// One article through parse, pair and render. The first byte picks the
/// locale folder (the scripts and directions differ), the rest is the file.
pub fn article(data: &[u8]) {
    const LOCALES: [&str; 5] = ["zh-CN", "ja-JP", "sv-SE", "ar-SA", "he-IL"];
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let locale = LOCALES[first as usize % LOCALES.len()];
    let one = helpbook::single::article(locale, "folder/a.md", bytes);
    assert_eq!(one.pairs.len(), one.article.segments.len());
    assert_eq!(one.freshness.states.len(), one.article.segments.len());
    for f in one.findings() {
        assert!(f.line >= 1 && f.column >= 1, "{f:?}");
    }
    for html in one.html() {
        if let Some(bad) = unsafe_tag(html) {
            panic!("unsafe HTML rendered: {bad}\nin: {html}");
        }
    }
}

/// The first `<span …>` tag still carrying sxs markup that the renderer
/// would pass to the page as HTML: `doc` is read by pulldown-cmark with
/// helpbook's options, and only its raw HTML (inline tags, HTML blocks) is
/// searched, as [`tags`] reads it. A "tag" the renderer takes for text (in
/// a code span, cut by a blank line, inside a comment) is text here too.
fn sxs_tag(doc: &str) -> Option<String> {
    use pulldown_cmark::{Event, TagEnd};
    if !doc.to_ascii_lowercase().contains("<span") {
        return None;
    }
    let mut block = String::new();
    for event in helpbook::render::parser(doc) {
        let html = match event {
            Event::InlineHtml(h) => h.into_string(),
            Event::Html(h) => {
                block.push_str(&h);
                continue;
            }
            Event::End(TagEnd::HtmlBlock) => std::mem::take(&mut block),
            _ => continue,
        };
        let found = tags(&html).into_iter().find(|t| {
            t.name == "span"
                && t.attrs.iter().any(|(n, v)| {
                    n == "data-ttu-id"
                        || n == "data-stu-id"
                        || (n == "class" && v.split_ascii_whitespace().any(|c| c == "sxs-lookup"))
                })
        });
        if let Some(tag) = found {
            return Some(format!("{tag:?} in {html:?}"));
        }
    }
    None
}

/// A tag of rendered HTML: its name and attributes (lower-cased names).
#[derive(Debug)]
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
}

/// The first tag of `html` that could run code or leaks sxs markup.
fn unsafe_tag(html: &str) -> Option<String> {
    for tag in tags(html) {
        let bad = match tag.name.as_str() {
            "script" | "style" | "object" | "embed" | "form" | "svg" | "math" | "base" | "meta"
            | "link" => true,
            "iframe" => !tag
                .attrs
                .iter()
                .any(|(n, v)| n == "src" && v.starts_with("https://www.youtube.com/")),
            _ => false,
        } || tag.attrs.iter().any(|(n, v)| {
            let url = v
                .chars()
                .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
                .collect::<String>()
                .to_ascii_lowercase();
            n.starts_with("on")
                || n == "style"
                || n == "data-ttu-id"
                || n == "data-stu-id"
                || (n == "class" && v.split_ascii_whitespace().any(|c| c == "sxs-lookup"))
                || (matches!(n.as_str(), "href" | "src" | "action" | "formaction")
                    && ["javascript:", "vbscript:", "data:"]
                        .iter()
                        .any(|s| url.starts_with(s))
                    && !(tag.name == "img" && n == "src" && raster_data(&url)))
        });
        if bad {
            return Some(format!("{tag:?}"));
        }
    }
    None
}

/// A `data:` address of a raster image type, which images may inline
/// (PNG, JPEG, GIF, WebP; never SVG or HTML).
fn raster_data(url: &str) -> bool {
    ["png", "jpeg", "gif", "webp"].iter().any(|t| {
        url.strip_prefix("data:image/")
            .and_then(|rest| rest.strip_prefix(t))
            .is_some_and(|rest| rest.starts_with([';', ',']))
    })
}

/// The start tags of `html`, read as CommonMark reads raw HTML: a tag name
/// of letters, digits and `-` ended by a blank, `/` or `>`, attribute names
/// of CommonMark's characters (else it is text, not a tag); quoted attribute
/// values may hold `>`; comments (`<!-->` included) skipped.
fn tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    'outer: while let Some(rel) = b[i..].iter().position(|&c| c == b'<') {
        i += rel + 1;
        if b[i..].starts_with(b"!--") {
            // `<!-->` and `<!--->` close at once, as in HTML and CommonMark.
            i = html[i + 1..].find("-->").map_or(b.len(), |e| i + 1 + e + 3);
            continue;
        }
        if !b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        // A tag name is letters, digits and `-`, ended by a blank, `/` or
        // `>` (CommonMark's raw HTML); anything else is text.
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
            i += 1;
        }
        if !b
            .get(i)
            .is_some_and(|c| c.is_ascii_whitespace() || *c == b'/' || *c == b'>')
        {
            i = start;
            continue;
        }
        let name = html[start..i].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                break;
            }
            // An attribute name as CommonMark allows it; anything else
            // means this was not a tag after all.
            let n0 = i;
            if !(b[i].is_ascii_alphabetic() || b[i] == b'_' || b[i] == b':') {
                i = start;
                continue 'outer;
            }
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b"_.:-".contains(&b[i])) {
                i += 1;
            }
            let n = html[n0..i].to_ascii_lowercase();
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = String::new();
            if b.get(i) == Some(&b'=') {
                i += 1;
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                if let Some(&q) = b.get(i).filter(|q| **q == b'"' || **q == b'\'') {
                    let v0 = i + 1;
                    // A quote never closed: text, not a tag.
                    let Some(len) = b[v0..].iter().position(|&c| c == q) else {
                        i = start;
                        continue 'outer;
                    };
                    let v1 = v0 + len;
                    value = decode_entities(&html[v0..v1]);
                    i = (v1 + 1).min(b.len());
                } else {
                    let v0 = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = decode_entities(&html[v0..i]);
                }
            }
            attrs.push((n, value));
        }
        if i >= b.len() {
            break; // never closed by `>`: text, not a tag
        }
        out.push(Tag { name, attrs });
    }
    out
}

/// The few entities a serialiser writes in attribute values, and numeric ones.
fn decode_entities(v: &str) -> String {
    if !v.contains('&') {
        return v.to_string();
    }
    let mut out = String::new();
    let mut rest = v;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|e| *e < 12);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            match name {
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "colon" => Some(':'),
                "Tab" => Some('\t'),
                "NewLine" => Some('\n'),
                _ => {
                    let n = name.strip_prefix('#')?;
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(h) => u32::from_str_radix(h, 16).ok()?,
                        None => n.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
