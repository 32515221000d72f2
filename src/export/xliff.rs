//! XLIFF 2.0 rendering of a locale's units.
//!
//! Input: [`LocaleUnits`]. Output: one XLIFF 2.0 document: a `<file>` per
//! article (`original` = its path), a `<unit>` per pair with one
//! `<segment>`, and the context as Metadata module (`mda:`) entries: on the
//! file the path, origin, `ms.translationtype` and hand-off date; on the unit
//! the segment id, line, column and freshness.
//!
//! The segment `state` reflects freshness and origin: a stale pair is
//! `initial` (its translation is a starting point, like PO's fuzzy), a
//! current machine translation is `translated`, a current human translation
//! is `final`; `subState` says which (`helpbook:stale-human` …).
//!
//! Identifiers must be XML NMTOKENs unique in their scope: files are `f1`,
//! `f2` … in path order; a unit is its segment id when that id is plain
//! (`[A-Za-z0-9._-]+`) and occurs once in the article, else
//! `pos:LINE:COLUMN` (the original id stays in `name` and the metadata).
//! `xml:space="preserve"` on each `<file>` keeps every space and line break
//! of the Markdown. Pure: builds a `String`.

use super::{freshness_str, ArticleUnits, LocaleUnits, Origin, Rendered, Unit};
use crate::pair::SegmentState;
use crate::xml::{Invalid, Writer};
use std::collections::HashMap;

pub const NAMESPACE: &str = "urn:oasis:names:tc:xliff:document:2.0";
pub const METADATA_NAMESPACE: &str = "urn:oasis:names:tc:xliff:metadata:2.0";

/// Renders every article of `locale` as one XLIFF 2.0 document.
pub fn render(locale: &LocaleUnits) -> Rendered {
    let mut w = Writer::new(Invalid::XliffCp);
    w.start(
        "xliff",
        &[
            ("xmlns", NAMESPACE),
            ("xmlns:mda", METADATA_NAMESPACE),
            ("version", "2.0"),
            ("srcLang", locale.source_language),
            ("trgLang", locale.tag),
        ],
    );
    for (i, a) in locale.articles.iter().enumerate() {
        file(&mut w, i + 1, a);
    }
    w.end("xliff");
    let (text, replaced) = w.finish();
    Rendered { text, replaced }
}

fn file(w: &mut Writer, n: usize, a: &ArticleUnits) {
    let id = format!("f{n}");
    w.start(
        "file",
        &[("id", &id), ("original", a.path), ("xml:space", "preserve")],
    );
    let handoff = a.handoff.map(|d| d.to_string());
    let mut meta = vec![("path", a.path), ("origin", a.origin.as_str())];
    if let Some(t) = a.translation_type {
        meta.push(("translationtype", t));
    }
    if let Some(d) = &handoff {
        meta.push(("handoff", d));
    }
    metadata(w, &meta);
    let mut count: HashMap<&str, usize> = HashMap::new();
    for u in &a.units {
        *count.entry(u.id).or_default() += 1;
    }
    for u in &a.units {
        let plain = count.get(u.id) == Some(&1) && is_plain_id(u.id);
        unit(w, a, u, plain);
    }
    w.end("file");
}

fn unit(w: &mut Writer, a: &ArticleUnits, u: &Unit, plain_id: bool) {
    let id = if plain_id {
        u.id.to_string()
    } else {
        format!("pos:{}:{}", u.line, u.column)
    };
    w.start("unit", &[("id", &id), ("name", u.id)]);
    let (line, column) = (u.line.to_string(), u.column.to_string());
    metadata(
        w,
        &[
            ("segment-id", u.id),
            ("line", &line),
            ("column", &column),
            ("freshness", freshness_str(u.state)),
        ],
    );
    let (state, sub) = state(u.state, a.origin);
    w.start("segment", &[("state", state), ("subState", &sub)]);
    w.leaf("source", &[], u.source);
    w.leaf("target", &[], u.target);
    w.end("segment");
    w.end("unit");
}

/// The XLIFF `state` and `subState` of a pair.
pub fn state(freshness: SegmentState, origin: Origin) -> (&'static str, String) {
    let state = match (freshness, origin) {
        (SegmentState::Stale, _) => "initial",
        (SegmentState::Current, Origin::Machine) => "translated",
        (SegmentState::Current, Origin::Human) => "final",
    };
    let sub = format!("helpbook:{}-{}", freshness_str(freshness), origin.as_str());
    (state, sub)
}

fn metadata(w: &mut Writer, entries: &[(&str, &str)]) {
    w.start("mda:metadata", &[]);
    w.start("mda:metaGroup", &[("category", "helpbook")]);
    for (kind, value) in entries {
        w.leaf("mda:meta", &[("type", kind)], value);
    }
    w.end("mda:metaGroup");
    w.end("mda:metadata");
}

/// Whether `id` can be a unit id as it is: a non-empty NMTOKEN of the plain
/// characters segment ids use (never `:`, which generated ids use).
fn is_plain_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states() {
        assert_eq!(
            state(SegmentState::Current, Origin::Human),
            ("final", "helpbook:current-human".into())
        );
        assert_eq!(
            state(SegmentState::Current, Origin::Machine).0,
            "translated"
        );
        assert_eq!(state(SegmentState::Stale, Origin::Machine).0, "initial");
    }

    #[test]
    fn plain_ids() {
        assert!(is_plain_id("e620b-102"));
        assert!(is_plain_id("c4e94-p102"));
        for not in ["", "a b", "a:b", "a/b", "ä", "pos:1:2"] {
            assert!(!is_plain_id(not), "{not}");
        }
    }

    #[test]
    fn a_document() {
        let l = LocaleUnits {
            unreadable: &[],
            tag: "he-IL",
            name: "עברית",
            source_language: "en-US",
            title: "Help",
            articles: vec![ArticleUnits {
                path: "a & b.md",
                origin: Origin::Human,
                translation_type: None,
                handoff: None,
                units: vec![
                    Unit {
                        id: "x",
                        key: "a & b.md#x@1:1".into(),
                        source: "<b>Hi</b> & bye",
                        target: "שָׁלוֹם\n",
                        line: 1,
                        column: 1,
                        state: SegmentState::Current,
                    },
                    Unit {
                        id: "x",
                        key: "a & b.md#x@1:9".into(),
                        source: "s",
                        target: "t",
                        line: 1,
                        column: 9,
                        state: SegmentState::Stale,
                    },
                ],
            }],
        };
        let text = render(&l).text;
        assert!(text.contains("<file id=\"f1\" original=\"a &amp; b.md\" xml:space=\"preserve\">"));
        assert!(text.contains("<unit id=\"pos:1:1\" name=\"x\">"), "{text}");
        assert!(text.contains("<segment state=\"final\" subState=\"helpbook:current-human\">"));
        assert!(text.contains("<source>&lt;b&gt;Hi&lt;/b&gt; &amp; bye</source>"));
        assert!(text.contains("<target>שָׁלוֹם\n</target>"));
        assert!(text.contains("<segment state=\"initial\" subState=\"helpbook:stale-human\">"));
        assert!(!text.contains("handoff"));
    }
}
