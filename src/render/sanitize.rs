//! The allow-list sanitiser for article HTML (ammonia).
//!
//! Translations come from outside the team, so every rendered article passes
//! through here: scripts, styles, forms, event handlers, and addresses
//! [`crate::url`] refuses (`javascript:`, `data:` but for raster images) are
//! removed; iframes stay only for allowed video hosts over https, judged on
//! the host a browser would load. What real articles need (anchors, spans, line breaks, emphasis,
//! `kbd`, tables, images, `dir`/`lang`, `bdi`, `ruby`) stays.

use ammonia::Builder;
use std::collections::{HashMap, HashSet};

/// Tags that are HTML: these reach the sanitiser, which keeps or removes them.
/// Anything else written like a tag is prose and is escaped by the renderer.
const HTML_TAGS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "article",
    "aside",
    "b",
    "base",
    "bdi",
    "bdo",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "li",
    "link",
    "main",
    "mark",
    "math",
    "meta",
    "nav",
    "noscript",
    "object",
    "ol",
    "p",
    "picture",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "script",
    "section",
    "select",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];

/// SVG and MathML elements: HTML tags too (the sanitiser removes them),
/// so that their markup is not shown as text.
const FOREIGN_TAGS: &[&str] = &[
    "animate",
    "circle",
    "clippath",
    "defs",
    "ellipse",
    "foreignobject",
    "g",
    "image",
    "line",
    "lineargradient",
    "marker",
    "mask",
    "mi",
    "mn",
    "mo",
    "mrow",
    "msup",
    "path",
    "pattern",
    "polygon",
    "polyline",
    "radialgradient",
    "rect",
    "set",
    "stop",
    "symbol",
    "text",
    "tspan",
    "use",
];

pub fn is_html_tag(name: &str) -> bool {
    HTML_TAGS.binary_search(&name).is_ok() || FOREIGN_TAGS.binary_search(&name).is_ok()
}

/// Elements written in content that are dropped before sanitising.
pub fn is_form_or_frame(name: &str) -> bool {
    matches!(
        name,
        "iframe" | "frame" | "input" | "button" | "select" | "option" | "textarea" | "form"
    )
}

/// Whether a piece of raw HTML is one of the few forms that need no
/// sanitising: line breaks, bare closing tags of `span` and `a`, the segment
/// markers helpbook writes itself, and `<a name="x">` anchors.
pub fn is_plain_markup(html: &str) -> bool {
    let h = html.trim();
    if matches!(
        h,
        "" | "<br>" | "<br/>" | "<br />" | "</span>" | "</a>" | "<BR>" | "<BR/>"
    ) {
        return true;
    }
    let simple_value =
        |v: &str| !v.is_empty() && v.chars().all(|c| c.is_alphanumeric() || "-_.:".contains(c));
    if let Some(rest) = h.strip_prefix("<span data-s=\"") {
        // `<span data-s="N"[ id="s-N"]>` (stale markers carry text: sanitised).
        let rest = rest.strip_suffix("\">").unwrap_or("");
        let (n, id) = rest.split_once("\" id=\"s-").unwrap_or((rest, "0"));
        return n.bytes().all(|b| b.is_ascii_digit())
            && id.bytes().all(|b| b.is_ascii_digit())
            && !n.is_empty();
    }
    for prefix in ["<a name=\"", "<a id=\""] {
        if let Some(v) = h
            .strip_prefix(prefix)
            .and_then(|r| r.strip_suffix("\">").or_else(|| r.strip_suffix("\"></a>")))
        {
            return simple_value(v);
        }
    }
    false
}

/// Whether a URL that pulldown-cmark writes needs no sanitiser: relative,
/// a fragment, or one of the allowed schemes ([`crate::url`]).
pub fn is_safe_url(url: &str) -> bool {
    crate::url::is_safe(url)
}

/// A configured sanitiser, shared by every render of one build.
pub struct Sanitizer {
    builder: Builder<'static>,
}

impl Sanitizer {
    /// `video_hosts`: hosts whose `https` iframes are kept.
    pub fn new(video_hosts: &[String]) -> Sanitizer {
        let mut builder = Builder::default();
        builder
            .add_tags([
                "iframe", "kbd", "bdi", "ruby", "rt", "rp", "details", "summary", "input",
            ])
            .add_generic_attributes(["id", "dir", "lang", "role", "title"])
            .add_tag_attributes("a", ["name"])
            .add_tag_attributes("iframe", ["src", "title", "loading", "allowfullscreen"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("img", ["loading"])
            .add_tag_attributes("span", ["data-s"])
            // The schemes of crate::url, and `data:` for the images it allows
            // (judged in the attribute filter below).
            .url_schemes(
                crate::url::SCHEMES
                    .iter()
                    .copied()
                    .chain(["data"])
                    .collect(),
            )
            // Pages the sanitiser never sees have no rel either: alike output.
            .link_rel(None);
        let classes: HashMap<&str, HashSet<&str>> = HashMap::from([
            (
                "div",
                HashSet::from([
                    "alert",
                    "alert-note",
                    "alert-tip",
                    "alert-important",
                    "alert-warning",
                    "alert-caution",
                    "video",
                    "footnote-definition",
                ]),
            ),
            ("p", HashSet::from(["alert-title", "video-link"])),
            ("sup", HashSet::from(["footnote-reference"])),
            ("span", HashSet::from(["seg-stale", "sr-only"])),
        ]);
        builder.allowed_classes(classes);
        let hosts: Vec<String> = video_hosts.iter().map(|h| h.to_ascii_lowercase()).collect();
        builder.attribute_filter(move |element, attribute, value| {
            if element == "iframe" && attribute == "src" {
                return crate::url::frame_allowed(value, &hosts).then(|| value.into());
            }
            if matches!(attribute, "href" | "src" | "cite" | "action" | "poster") {
                let used = if element == "img" && attribute == "src" {
                    crate::url::Use::Image
                } else {
                    crate::url::Use::Link
                };
                if let crate::url::Address::Refused(_) = crate::url::classify(value, used) {
                    return None;
                }
            }
            if element == "input" && attribute == "type" {
                return (value == "checkbox").then(|| value.into());
            }
            Some(value.into())
        });
        Sanitizer { builder }
    }

    pub fn clean(&self, html: &str) -> String {
        self.builder.clean(html).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_list_is_sorted() {
        assert!(HTML_TAGS.windows(2).all(|w| w[0] < w[1]));
        assert!(FOREIGN_TAGS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn removes_what_runs() {
        let s = Sanitizer::new(&["www.youtube.com".into()]);
        let dirty = r#"<p onclick="x()">a<script>alert(1)</script><a href="JaVaScRiPt:alert(1)">l</a><img src="data:image/svg+xml,AA" onerror="x()"><img src="data:image/png;base64,AA"><svg onload="x()"></svg><iframe src="https://evil.example/"></iframe><iframe src="https://www.youtube.com/embed/x"></iframe></p>"#;
        let clean = s.clean(dirty);
        for bad in [
            "onclick",
            "script",
            "javascript",
            "JaVaScRiPt",
            "data:image/svg",
            "onerror",
            "svg",
            "evil",
        ] {
            assert!(!clean.contains(bad), "{bad} in {clean}");
        }
        assert!(clean.contains("https://www.youtube.com/embed/x"), "{clean}");
        assert!(clean.contains("data:image/png;base64,AA"), "{clean}");
        // Regression: the host was split at `@` by hand, where browsers read
        // `\` as `/` and load evil.example.
        let clean = s.clean(r#"<iframe src="https://evil.example\@www.youtube.com/x"></iframe>"#);
        assert!(!clean.contains("evil"), "{clean}");
    }

    #[test]
    fn plain_markup_and_safe_urls() {
        for ok in [
            "<br>",
            "</span>",
            "<span data-s=\"12\">",
            "<span data-s=\"3\" id=\"s-3\">",
            "<a name=\"x-y\">",
            "<a name=\"x\"></a>",
        ] {
            assert!(is_plain_markup(ok), "{ok}");
        }
        for not in [
            "<span data-s=\"1\" onclick=\"x\">",
            "<a name=\"x\" onmouseover=\"y\">",
            "<b>",
            "<!-- c -->",
            "<span>",
        ] {
            assert!(!is_plain_markup(not), "{not}");
        }
        for ok in [
            "https://a.b",
            "x.html#y",
            "#z",
            "../a/b.html",
            "mailto:a@b",
            "a/b:c",
        ] {
            assert!(is_safe_url(ok), "{ok}");
        }
        for not in [
            "javascript:alert(1)",
            " JavaScript:x",
            "data:text/html,x",
            "vbscript:x",
        ] {
            assert!(!is_safe_url(not), "{not}");
        }
    }

    #[test]
    fn keeps_what_articles_need() {
        let s = Sanitizer::new(&[]);
        let html = r#"<h2 id="x"><a name="y"></a>T</h2><p dir="rtl" lang="ar">a<br><kbd>Ctrl</kbd><sup>1</sup></p>"#;
        let clean = s.clean(html);
        for good in [
            "id=\"x\"",
            "name=\"y\"",
            "dir=\"rtl\"",
            "<kbd>",
            "<br>",
            "<sup>",
        ] {
            assert!(clean.contains(good), "{good} missing from {clean}");
        }
    }
}
