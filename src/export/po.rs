//! PO (GNU gettext) rendering of a locale's units.
//!
//! Input: [`LocaleUnits`] (or one article of it). Output: the text of one PO
//! file: a header with the language, its `Plural-Forms` and a revision date
//! (the newest hand-off in the file, so the output stays deterministic), then
//! one entry per pair:
//!
//! ```text
//! #. id: e620b-102
//! #. freshness: stale
//! #. origin: human (ms.translationtype: HT)
//! #. handoff: 2021-08-21
//! #: zh-CN/commercial-dialogues/x.md:12
//! #, fuzzy
//! msgctxt "commercial-dialogues/x.md#e620b-102"
//! msgid "English (Markdown)"
//! msgstr "Translation (Markdown)"
//! ```
//!
//! A pair is `fuzzy` when it is stale, and also when exactly one of its two
//! texts begins or ends with a line break (a `#. review:` comment says so):
//! `msgfmt --check` rejects such an entry unless it is fuzzy, and the text
//! must stay as it is.
//!
//! Strings are escaped as gettext reads them: `\\`, `\"`, `\n`, `\t`, `\r`;
//! other characters are written as they are, except NUL, which a PO string
//! cannot hold (it becomes U+FFFD and is counted). Pure: builds a `String`.

use super::{freshness_str, ArticleUnits, LocaleUnits, Origin, Rendered, Unit};
use crate::pair::SegmentState;
use std::fmt::Write;

/// Renders `articles` (all of `locale`'s, or one of them) as a PO file.
pub fn render(locale: &LocaleUnits, articles: &[ArticleUnits]) -> Rendered {
    let mut po = Po::default();
    po.header(locale, articles);
    for a in articles {
        for u in &a.units {
            po.out.push('\n');
            po.entry(locale, a, u);
        }
    }
    Rendered {
        text: po.out,
        replaced: po.replaced,
    }
}

#[derive(Default)]
struct Po {
    out: String,
    replaced: usize,
}

impl Po {
    fn header(&mut self, locale: &LocaleUnits, articles: &[ArticleUnits]) {
        let title = one_line(locale.title);
        let revised = articles
            .iter()
            .filter_map(|a| a.handoff)
            .max()
            .map_or_else(|| "1970-01-01".to_string(), |d| d.to_string());
        let _ = writeln!(
            self.out,
            "# {title}: translation memory for {} ({}), exported by helpbook.\n\
             # One entry per segment pair; stale pairs are fuzzy. See docs/export.md.",
            locale.tag,
            one_line(locale.name),
        );
        let fields = [
            ("Project-Id-Version", title),
            ("Report-Msgid-Bugs-To", String::new()),
            ("PO-Revision-Date", format!("{revised} 00:00+0000")),
            ("Last-Translator", String::new()),
            ("Language-Team", locale.tag.to_string()),
            ("Language", super::plural::gettext_language(locale.tag)),
            ("MIME-Version", "1.0".into()),
            ("Content-Type", "text/plain; charset=UTF-8".into()),
            ("Content-Transfer-Encoding", "8bit".into()),
            (
                "Plural-Forms",
                super::plural::plural_forms(locale.tag).into(),
            ),
            (
                "X-Generator",
                format!("helpbook {}", env!("CARGO_PKG_VERSION")),
            ),
            ("X-Source-Language", locale.source_language.to_string()),
        ];
        self.out.push_str("msgid \"\"\nmsgstr \"\"\n");
        for (name, value) in fields {
            self.out.push('"');
            let line = format!("{name}: {}\n", one_line(&value));
            self.escaped(&line);
            self.out.push_str("\"\n");
        }
    }

    fn entry(&mut self, locale: &LocaleUnits, a: &ArticleUnits, u: &Unit) {
        let origin = match (a.origin, a.translation_type) {
            (Origin::Human, None) => "human (no ms.translationtype)".to_string(),
            (o, Some(t)) => format!("{} (ms.translationtype: {})", o.as_str(), one_line(t)),
            (o, None) => o.as_str().to_string(),
        };
        let _ = writeln!(self.out, "#. id: {}", one_line(u.id));
        let _ = writeln!(self.out, "#. freshness: {}", freshness_str(u.state));
        let _ = writeln!(self.out, "#. origin: {origin}");
        if let Some(d) = a.handoff {
            let _ = writeln!(self.out, "#. handoff: {d}");
        }
        let _ = writeln!(
            self.out,
            "#: {}:{}",
            reference(&format!("{}/{}", locale.tag, a.path)),
            u.line
        );
        let mismatch = newline_mismatch(u.source, u.target);
        if let Some(which) = mismatch {
            let _ = writeln!(
                self.out,
                "#. review: the translation and the English do not both {which} with a line break"
            );
        }
        if u.state == SegmentState::Stale || mismatch.is_some() {
            self.out.push_str("#, fuzzy\n");
        }
        self.string("msgctxt", &u.key);
        self.string("msgid", u.source);
        self.string("msgstr", u.target);
    }

    /// `keyword "text"`, or for text with inner line breaks, `keyword ""`
    /// followed by one quoted line per line of text.
    fn string(&mut self, keyword: &str, text: &str) {
        self.out.push_str(keyword);
        let inner = text.strip_suffix('\n').unwrap_or(text);
        if inner.contains('\n') {
            self.out.push_str(" \"\"\n");
            for line in text.split_inclusive('\n') {
                self.out.push('"');
                self.escaped(line);
                self.out.push_str("\"\n");
            }
        } else {
            self.out.push_str(" \"");
            self.escaped(text);
            self.out.push_str("\"\n");
        }
    }

    fn escaped(&mut self, text: &str) {
        for c in text.chars() {
            match c {
                '\\' => self.out.push_str("\\\\"),
                '"' => self.out.push_str("\\\""),
                '\n' => self.out.push_str("\\n"),
                '\t' => self.out.push_str("\\t"),
                '\r' => self.out.push_str("\\r"),
                '\0' => {
                    self.out.push('\u{FFFD}');
                    self.replaced += 1;
                }
                c => self.out.push(c),
            }
        }
    }
}

/// Whether exactly one of `source` and `target` begins (or ends) with a line
/// feed: `msgfmt --check` rejects such a translated entry, so it is exported
/// fuzzy (its text unchanged), which gettext reads as "needs review".
fn newline_mismatch(source: &str, target: &str) -> Option<&'static str> {
    if source.is_empty() || target.is_empty() {
        None
    } else if source.starts_with('\n') != target.starts_with('\n') {
        Some("begin")
    } else if source.ends_with('\n') != target.ends_with('\n') {
        Some("end")
    } else {
        None
    }
}

/// Text for a comment or header line: line breaks become spaces.
fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

/// A file name for a `#:` reference; gettext (0.20 and later) wraps names
/// with white space in U+2068 … U+2069 so the reference can still be split.
fn reference(path: &str) -> String {
    if path.contains(char::is_whitespace) {
        format!("\u{2068}{}\u{2069}", one_line(path))
    } else {
        path.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit<'a>(source: &'a str, target: &'a str, state: SegmentState) -> Unit<'a> {
        Unit {
            id: "e1-2",
            key: "d/a.md#e1-2".into(),
            source,
            target,
            line: 7,
            column: 3,
            state,
        }
    }

    fn locale<'a>(units: Vec<Unit<'a>>) -> LocaleUnits<'a> {
        LocaleUnits {
            unreadable: &[],
            tag: "ja-JP",
            name: "日本語",
            source_language: "en-US",
            title: "Help",
            articles: vec![ArticleUnits {
                path: "d/a.md",
                origin: Origin::Machine,
                translation_type: Some("MT"),
                handoff: crate::parse::front_matter::Date::parse("08/21/2021"),
                units,
            }],
        }
    }

    #[test]
    fn an_entry() {
        let l = locale(vec![unit(
            "Say \"hi\"\\",
            "「やあ」\tと言う",
            SegmentState::Stale,
        )]);
        let po = render(&l, &l.articles).text;
        assert!(
            po.contains("\"Plural-Forms: nplurals=1; plural=0;\\n\"\n"),
            "{po}"
        );
        assert!(po.contains("\"Language: ja_JP\\n\"\n"));
        assert!(po.contains("\"PO-Revision-Date: 2021-08-21 00:00+0000\\n\"\n"));
        assert!(
            po.ends_with(
                "\n#. id: e1-2\n#. freshness: stale\n#. origin: machine (ms.translationtype: MT)\n\
             #. handoff: 2021-08-21\n#: ja-JP/d/a.md:7\n#, fuzzy\n\
             msgctxt \"d/a.md#e1-2\"\nmsgid \"Say \\\"hi\\\"\\\\\"\nmsgstr \"「やあ」\\tと言う\"\n"
            ),
            "{po}"
        );
    }

    #[test]
    fn line_breaks_split_the_string() {
        let l = locale(vec![unit("a\nb\n", "c\r\nd", SegmentState::Current)]);
        let po = render(&l, &l.articles).text;
        assert!(
            po.contains("msgid \"\"\n\"a\\n\"\n\"b\\n\"\nmsgstr \"\"\n\"c\\r\\n\"\n\"d\"\n"),
            "{po}"
        );
        assert!(po.contains("#. review: the translation and the English do not both end with a line break\n#, fuzzy\n"), "{po}");
        let l = locale(vec![unit("a\nb", "c\nd", SegmentState::Current)]);
        assert!(!render(&l, &l.articles).text.contains("#, fuzzy"));
        let l = locale(vec![unit("a\n", "b\u{0}", SegmentState::Current)]);
        let r = render(&l, &l.articles);
        assert!(r.text.contains("msgid \"a\\n\"\nmsgstr \"b\u{FFFD}\"\n"));
        assert_eq!(r.replaced, 1);
    }
}
