//! Reading TMX 1.4b, as `export` writes it and as translation memory tools
//! rewrite it (extra `<prop>`s and `<note>`s, change dates, usage counts,
//! more languages).
//!
//! The English is the `<tuv>` in the header's `srclang`; every other
//! `<tuv>` of a `<tu>` is one [`Unit`] for its language (`xml:lang`, or
//! TMX 1.1's `lang`). The key is the `tuid` (export writes the PO `msgctxt`
//! there), or, when a tool dropped it, the `x-path` prop, `#`, and the
//! `x-segment-id` prop. TMX has no state, so a unit is never a confirmation
//! that a stale sentence's translation still fits.
//!
//! Text is plain text (`datatype="plaintext"`): the Markdown as it is. Of
//! the inline elements a tool may add, `<hi>` keeps its text, and `<bpt>`,
//! `<ept>`, `<ph>`, `<it>` and `<ut>` stand for the native code they hold,
//! so their text is that code; `<sub>` (translatable text inside a code)
//! has no place in Markdown and is an error with its line.

use super::{Locales, ReadError, Unit};
use crate::xml::read::{self as xml, Element, Node};

pub fn read(text: &str, locales: &Locales) -> Result<Vec<Unit>, ReadError> {
    let root = xml::parse(text).map_err(|e| ReadError::at(e.line, e.column, e.message.as_str()))?;
    if root.name != "tmx" {
        return Err(ReadError::at(
            root.line,
            1,
            format!("the root element is <{}>, not <tmx>", root.name),
        ));
    }
    let srclang = match root.child("header").and_then(|h| h.attr("srclang")) {
        Some(l) if !l.is_empty() && l != "*all*" => l,
        said => {
            let why = match said {
                Some("*all*") => "srclang is `*all*`, which names no language".to_string(),
                _ => "the <header> has no srclang".to_string(),
            };
            return Err(ReadError::at(
                root.line,
                1,
                format!("{why}: it must name the language of the English (en-US)"),
            ));
        }
    };
    let Some(body) = root.child("body") else {
        return Err(ReadError::at(root.line, 1, "<tmx> has no <body>"));
    };
    let mut units = Vec::new();
    for tu in body.children("tu") {
        let prop = |kind: &str| {
            tu.children("prop")
                .find(|p| p.attr("type") == Some(kind))
                .map(|p| plain(p).unwrap_or_default())
        };
        let key = match tu.attr("tuid") {
            Some(id) => id.to_string(),
            None => format!(
                "{}#{}",
                prop("x-path").unwrap_or_default(),
                prop("x-segment-id").unwrap_or_default()
            ),
        };
        let lang_of = |tuv: &Element| {
            tuv.attr("xml:lang")
                .or_else(|| tuv.attr("lang"))
                .unwrap_or_default()
                .to_string()
        };
        let tuvs: Vec<&Element> = tu.children("tuv").collect();
        let Some(source_tuv) = tuvs
            .iter()
            .find(|t| lang_of(t).eq_ignore_ascii_case(srclang))
        else {
            return Err(ReadError::at(
                tu.line,
                1,
                format!("this <tu> has no <tuv> in the source language `{srclang}`"),
            ));
        };
        let source = seg(source_tuv)?;
        for tuv in &tuvs {
            let lang = lang_of(tuv);
            if lang.eq_ignore_ascii_case(srclang) {
                continue;
            }
            let target = seg(tuv)?;
            units.push(Unit {
                line: tu.line,
                locale: locales.resolve(&lang).ok_or(lang),
                key: key.clone(),
                source: source.clone(),
                target: (!target.is_empty()).then_some(target),
                confirmed: false,
            });
        }
    }
    Ok(units)
}

/// The text of a `<tuv>`'s `<seg>`.
fn seg(tuv: &Element) -> Result<String, ReadError> {
    let Some(seg) = tuv.child("seg") else {
        return Err(ReadError::at(tuv.line, 1, "this <tuv> has no <seg>"));
    };
    let mut out = String::new();
    text_of(seg, &mut out)?;
    Ok(out)
}

fn text_of(e: &Element, out: &mut String) -> Result<(), ReadError> {
    for node in &e.content {
        match node {
            Node::Text(t) => out.push_str(t),
            Node::Element(inner) => match inner.name.as_str() {
                "hi" | "bpt" | "ept" | "ph" | "it" | "ut" => text_of(inner, out)?,
                other => {
                    return Err(ReadError::at(
                        inner.line,
                        1,
                        format!("<{other}> in a segment: it has no place in Markdown text"),
                    ))
                }
            },
        }
    }
    Ok(())
}

/// The text of an element with no child elements (a `<prop>`).
fn plain(e: &Element) -> Option<String> {
    let mut out = String::new();
    for node in &e.content {
        match node {
            Node::Text(t) => out.push_str(t),
            Node::Element(_) => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_with_extra_properties() {
        let doc = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header srclang="en-US" creationtool="x" segtype="sentence" o-tmf="x" adminlang="en" datatype="plaintext"/>
  <body>
    <tu tuid="a.md#1" changedate="20240101T000000Z" usagecount="3">
      <prop type="x-path">a.md</prop>
      <prop type="x-reviewer">someone</prop>
      <note>checked</note>
      <tuv xml:lang="en-US"><seg>Use &lt;b&gt; &amp; go</seg></tuv>
      <tuv xml:lang="zh-cn"><seg>使用 <hi type="x">&lt;b&gt;</hi> 和</seg></tuv>
      <tuv lang="xx"><seg>?</seg></tuv>
    </tu>
    <tu>
      <prop type="x-path">b.md</prop><prop type="x-segment-id">9</prop>
      <tuv xml:lang="en-US"><seg>B</seg></tuv><tuv xml:lang="zh-CN"><seg></seg></tuv>
    </tu>
  </body>
</tmx>"#;
        let units = read(doc, &Locales::new(vec!["zh-CN".into()])).expect("read");
        let brief: Vec<_> = units
            .iter()
            .map(|u| {
                (
                    u.line,
                    u.locale.clone(),
                    u.key.as_str(),
                    u.source.as_str(),
                    u.target.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            brief,
            [
                (
                    5,
                    Ok("zh-CN".into()),
                    "a.md#1",
                    "Use <b> & go",
                    Some("使用 <b> 和")
                ),
                (5, Err("xx".into()), "a.md#1", "Use <b> & go", Some("?")),
                (13, Ok("zh-CN".into()), "b.md#9", "B", None),
            ]
        );
        assert!(units.iter().all(|u| !u.confirmed));
    }

    #[test]
    fn what_cannot_be_read() {
        let l = Locales::new(vec!["zh-CN".into()]);
        for (doc, line, says) in [
            ("<tmx>\n<header/><body/></tmx>", 1, "has no srclang"),
            (
                "<tmx>\n<header srclang=\"*all*\"/><body/></tmx>",
                1,
                "srclang is `*all*`",
            ),
            (
                "<tmx><header srclang=\"en-US\"/><body>\n<tu><tuv xml:lang=\"zh-CN\"><seg>x</seg></tuv></tu></body></tmx>",
                2,
                "source language",
            ),
            ("<tmx><header srclang=\"en-US\"/><body>\n<tu>\n</body></tmx>", 3, "tu"),
        ] {
            let err = read(doc, &l).expect_err(doc);
            assert_eq!(err.line, line, "{doc}: {err:?}");
            assert!(err.message.contains(says), "{doc}: {err:?}");
        }
    }
}
