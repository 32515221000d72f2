//! The plain text the index reads: from an article's rendered (already
//! sanitised) HTML, and from the English of its segment pairs (inline
//! Markdown).
//!
//! Not an HTML parser: the input is the sanitiser's own output, so tags are
//! well formed and there are no scripts or comments; a single scan drops the
//! tags and decodes the entities the HTML writer produces.

/// Inline tags: text on both sides belongs to one word (`pass<b>word</b>`).
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "code", "em", "i", "kbd", "mark", "q", "s", "small", "span",
    "strong", "sub", "sup", "u", "var", "del", "ins",
];

/// The text of sanitised HTML: tags removed (block tags become spaces),
/// entities decoded.
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            let name = rest[1..end]
                .trim_start_matches('/')
                .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            if !INLINE.contains(&name.as_str()) {
                out.push(' ');
            }
            rest = &rest[end..];
        } else {
            let (decoded, used) = entity(rest);
            out.push_str(&decoded);
            rest = &rest[used..];
        }
    }
    out.push_str(rest);
    out
}

/// Decodes the entity at the start of `s` (which starts with `&`): the text
/// and the bytes used. An unknown entity stays as written.
fn entity(s: &str) -> (String, usize) {
    let Some(end) = s.bytes().take(12).position(|b| b == b';') else {
        return ("&".into(), 1);
    };
    let name = &s[1..end];
    let text = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => name
            .strip_prefix("#x")
            .or_else(|| name.strip_prefix("#X"))
            .map(|hex| u32::from_str_radix(hex, 16))
            .or_else(|| name.strip_prefix('#').map(str::parse::<u32>))
            .and_then(Result::ok)
            .and_then(char::from_u32),
    };
    match text {
        Some(c) => (c.to_string(), end + 1),
        None => ("&".into(), 1),
    }
}

/// The text of inline Markdown (the English of segment pairs): what the
/// reader would read, without link targets or markup.
pub fn markdown_text<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    use pulldown_cmark::Event;
    // One parse: the parts as paragraphs of one document.
    let mut markdown = String::new();
    for part in parts {
        markdown.push_str(part);
        markdown.push_str("\n\n");
    }
    let mut out = String::with_capacity(markdown.len());
    for event in crate::render::parser(&markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::Html(t) | Event::InlineHtml(t) => out.push_str(&html_text(&t)),
            _ => out.push(' '),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_text_drops_tags_and_decodes_entities() {
        assert_eq!(
            html_text("<h1 id=\"x\">Reset</h1><p>pass<strong>word</strong> &amp; <code>&lt;id&gt;</code>&#x5bc6;&#30721;</p>"),
            " Reset  password & <id>密码 "
        );
        assert_eq!(html_text("a &unknown; b & c"), "a &unknown; b & c");
        // Regression: a bare `&` followed by multi-byte text (Estonian corpus).
        assert_eq!(html_text("&&nbsp;mõni &õõõõõõ;"), "&\u{a0}mõni &õõõõõõ;");
    }

    #[test]
    fn markdown_text_keeps_link_text_not_targets() {
        let text =
            markdown_text(["Use **self-service** [password reset](https://x.example/sspr)."]);
        assert!(text.contains("self-service"), "{text}");
        assert!(text.contains("password reset"), "{text}");
        assert!(!text.contains("example"), "{text}");
    }
}
