//! TMX 1.4b rendering of a locale's units.
//!
//! Input: [`LocaleUnits`]. Output: one TMX document: a header with `srclang`
//! (the source language), then a `<tu>` per pair with `tuid` = the unit key
//! (`path#id`, unique in the file), `creationdate` = the article's hand-off
//! date (midnight UTC; left out when the article has none), the context as
//! `<prop type="x-…">` (path, segment id, line, column, freshness, origin,
//! translation type, hand-off), and two `<tuv xml:lang>`: the English, then
//! the translation.
//!
//! TMX has no way to write a character XML 1.0 forbids; such characters
//! (none occur in real content) become U+FFFD and are counted. Pure: builds
//! a `String`.

use super::{freshness_str, ArticleUnits, LocaleUnits, Rendered, Unit};
use crate::xml::{Invalid, Writer};

/// Renders every pair of `locale` as one TMX 1.4b document.
pub fn render(locale: &LocaleUnits) -> Rendered {
    let mut w = Writer::new(Invalid::Replace);
    w.start("tmx", &[("version", "1.4")]);
    w.empty(
        "header",
        &[
            ("creationtool", "helpbook"),
            ("creationtoolversion", env!("CARGO_PKG_VERSION")),
            ("segtype", "sentence"),
            ("o-tmf", "helpbook-sxs"),
            ("adminlang", "en-US"),
            ("srclang", locale.source_language),
            ("datatype", "plaintext"),
            ("o-encoding", "UTF-8"),
        ],
    );
    w.start("body", &[]);
    for a in &locale.articles {
        for u in &a.units {
            tu(&mut w, locale, a, u);
        }
    }
    w.end("body");
    w.end("tmx");
    let (text, replaced) = w.finish();
    Rendered { text, replaced }
}

fn tu(w: &mut Writer, locale: &LocaleUnits, a: &ArticleUnits, u: &Unit) {
    let created = a
        .handoff
        .map(|d| format!("{:04}{:02}{:02}T000000Z", d.year, d.month, d.day));
    let mut attrs = vec![("tuid", u.key.as_str())];
    if let Some(c) = &created {
        attrs.push(("creationdate", c));
    }
    w.start("tu", &attrs);
    let (line, column) = (u.line.to_string(), u.column.to_string());
    let handoff = a.handoff.map(|d| d.to_string());
    let mut props = vec![
        ("x-path", a.path),
        ("x-segment-id", u.id),
        ("x-line", &line),
        ("x-column", &column),
        ("x-freshness", freshness_str(u.state)),
        ("x-origin", a.origin.as_str()),
    ];
    if let Some(t) = a.translation_type {
        props.push(("x-translationtype", t));
    }
    if let Some(h) = &handoff {
        props.push(("x-handoff", h));
    }
    for (kind, value) in props {
        w.leaf("prop", &[("type", kind)], value);
    }
    for (lang, text) in [(locale.source_language, u.source), (locale.tag, u.target)] {
        w.start("tuv", &[("xml:lang", lang)]);
        w.leaf("seg", &[], text);
        w.end("tuv");
    }
    w.end("tu");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::Origin;
    use crate::pair::SegmentState;

    #[test]
    fn a_document() {
        let l = LocaleUnits {
            unreadable: &[],
            tag: "zh-CN",
            name: "中文 (简体)",
            source_language: "en-US",
            title: "Help",
            articles: vec![ArticleUnits {
                path: "a.md",
                origin: Origin::Machine,
                translation_type: Some("MT"),
                handoff: crate::parse::front_matter::Date::parse("08/21/2021"),
                units: vec![Unit {
                    id: "x-1",
                    key: "a.md#x-1".into(),
                    source: "Use \"A\" & <B>",
                    target: "使用“A”和 <B>\u{1}",
                    line: 3,
                    column: 1,
                    state: SegmentState::Stale,
                }],
            }],
        };
        let r = render(&l);
        assert!(r.text.contains("srclang=\"en-US\""));
        assert!(r
            .text
            .contains("<tu tuid=\"a.md#x-1\" creationdate=\"20210821T000000Z\">"));
        assert!(r.text.contains("<prop type=\"x-freshness\">stale</prop>"));
        assert!(r.text.contains("<prop type=\"x-origin\">machine</prop>"));
        assert!(r.text.contains("<tuv xml:lang=\"en-US\">\n"));
        assert!(r.text.contains("<seg>Use \"A\" &amp; &lt;B&gt;</seg>"));
        assert!(r.text.contains("<seg>使用“A”和 &lt;B&gt;\u{FFFD}</seg>"));
        assert_eq!(r.replaced, 1);
    }
}
