//! Reading XLIFF 2.0, as `export` writes it and as translators' tools
//! rewrite it (states changed, notes, groups, extra metadata, a unit split
//! into several segments).
//!
//! The target language is the root's `trgLang`. Each `<unit>` (at any depth
//! of `<group>`s in a `<file>`) is one [`Unit`]: the key is the file's
//! `original` (the article path), `#`, the unit's `name` (the segment id),
//! and, when the unit's `id` is `pos:LINE:COLUMN` (ids that repeat in the
//! article), `@LINE:COLUMN`, as `export` makes it. Its source and target
//! are the texts of its `<segment>`s and `<ignorable>`s in order; it is
//! confirmed when every segment's `state` is `translated`, `reviewed` or
//! `final` (XLIFF's default is `initial`).
//!
//! Text is Markdown, so markup in it arrives escaped; `<cp hex>` is a
//! character, `<mrk>` (an annotation) keeps its text. Inline codes (`<ph>`,
//! `<pc>`, `<sc>`, `<ec>`) are not written by `export` and have no Markdown
//! to map back to: a unit holding one is an error with its line.

use super::{Locales, ReadError, Unit};
use crate::xml::read::{self as xml, Element, Node};

pub fn read(text: &str, locales: &Locales) -> Result<Vec<Unit>, ReadError> {
    let root = xml::parse(text).map_err(|e| ReadError::at(e.line, e.column, e.message.as_str()))?;
    if root.name != "xliff" {
        return Err(ReadError::at(
            root.line,
            1,
            format!("the root element is <{}>, not <xliff>", root.name),
        ));
    }
    let version = root.attr("version").unwrap_or_default();
    if !version.starts_with("2.") {
        return Err(ReadError::at(
            root.line,
            1,
            format!(
                "XLIFF version `{version}`: only XLIFF 2 is read (the version `export` writes)"
            ),
        ));
    }
    let Some(lang) = root.attr("trgLang") else {
        return Err(ReadError::at(
            root.line,
            1,
            "<xliff> has no trgLang: the language of the translations",
        ));
    };
    let locale = locales.resolve(lang).ok_or_else(|| lang.to_string());
    let mut units = Vec::new();
    for file in root.children("file") {
        let Some(path) = file.attr("original") else {
            return Err(ReadError::at(
                file.line,
                1,
                "<file> has no `original`: the article path",
            ));
        };
        collect(file, path, &locale, &mut units)?;
    }
    Ok(units)
}

/// The units under `parent` (a `<file>` or `<group>`), in order.
fn collect(
    parent: &Element,
    path: &str,
    locale: &Result<String, String>,
    out: &mut Vec<Unit>,
) -> Result<(), ReadError> {
    for e in parent.elements() {
        match e.name.as_str() {
            "group" => collect(e, path, locale, out)?,
            "unit" => out.push(unit(e, path, locale)?),
            _ => {}
        }
    }
    Ok(())
}

fn unit(e: &Element, path: &str, locale: &Result<String, String>) -> Result<Unit, ReadError> {
    let id = e.attr("id").unwrap_or_default();
    let name = e.attr("name").unwrap_or(id);
    let key = match id.strip_prefix("pos:") {
        Some(place) => format!("{path}#{name}@{place}"),
        None => format!("{path}#{name}"),
    };
    let (mut source, mut target) = (String::new(), String::new());
    let mut any_target = false;
    let mut confirmed = true;
    for part in e.elements() {
        if part.name != "segment" && part.name != "ignorable" {
            continue;
        }
        if part.name == "segment" {
            let state = part.attr("state").unwrap_or("initial");
            confirmed &= matches!(state, "translated" | "reviewed" | "final");
        }
        if let Some(s) = part.child("source") {
            text_of(s, &mut source)?;
        }
        if let Some(t) = part.child("target") {
            any_target = true;
            text_of(t, &mut target)?;
        }
    }
    Ok(Unit {
        line: e.line,
        locale: locale.clone(),
        key,
        source,
        target: (any_target && !target.is_empty()).then_some(target),
        confirmed,
    })
}

/// Appends the text of a `<source>` or `<target>` to `out`.
fn text_of(e: &Element, out: &mut String) -> Result<(), ReadError> {
    for node in &e.content {
        match node {
            Node::Text(t) => out.push_str(t),
            Node::Element(inner) => match inner.name.as_str() {
                "cp" => {
                    let hex = inner.attr("hex").ok_or_else(|| {
                        ReadError::at(inner.line, 1, "<cp> needs `hex`: a code point")
                    })?;
                    let c = u32::from_str_radix(hex, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .ok_or_else(|| {
                            ReadError::at(
                                inner.line,
                                1,
                                format!("<cp hex=\"{hex}\"> is not a Unicode code point"),
                            )
                        })?;
                    out.push(c);
                }
                "mrk" => text_of(inner, out)?,
                other => {
                    return Err(ReadError::at(
                        inner.line,
                        1,
                        format!(
                            "inline element <{other}>: segment text is Markdown, and inline codes \
                             cannot be mapped back to it"
                        ),
                    ))
                }
            },
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locales() -> Locales {
        Locales::new(vec!["he-IL".into()])
    }

    #[test]
    fn units_states_and_keys() {
        let doc = r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en-US" trgLang="he-il">
  <file id="f1" original="a &amp; b.md" xml:space="preserve">
    <unit id="x-1" name="x-1">
      <notes><note>checked</note></notes>
      <segment state="final"><source>&lt;b&gt;Hi&lt;/b&gt;</source><target>שָׁלוֹם<cp hex="000C"/></target></segment>
    </unit>
    <group id="g">
      <unit id="pos:4:2" name="y">
        <segment state="translated"><source>A </source><target>א </target></segment>
        <ignorable><source>
</source><target>
</target></ignorable>
        <segment><source>B</source><target><mrk id="m" type="term">ב</mrk></target></segment>
      </unit>
    </group>
    <unit id="z" name="z"><segment state="reviewed"><source>C</source></segment></unit>
  </file>
</xliff>"#;
        let units = read(doc, &locales()).expect("read");
        let brief: Vec<_> = units
            .iter()
            .map(|u| {
                (
                    u.line,
                    u.key.as_str(),
                    u.source.as_str(),
                    u.target.as_deref(),
                    u.confirmed,
                )
            })
            .collect();
        assert_eq!(
            brief,
            [
                (4, "a & b.md#x-1", "<b>Hi</b>", Some("שָׁלוֹם\u{C}"), true),
                (9, "a & b.md#y@4:2", "A \nB", Some("א \nב"), false),
                (17, "a & b.md#z", "C", None, true),
            ]
        );
        assert_eq!(units[0].locale, Ok("he-IL".into()));
    }

    #[test]
    fn what_cannot_be_read() {
        for (doc, line, says) in [
            ("<xliff version=\"1.2\"/>", 1, "XLIFF 2"),
            ("<xliff version=\"2.0\"/>", 1, "trgLang"),
            ("<xliff version=\"2.0\" trgLang=\"he-IL\">\n<file/></xliff>", 2, "original"),
            (
                "<xliff version=\"2.0\" trgLang=\"he-IL\"><file original=\"a\">\n<unit><segment><source>a</source>\n<target>b<ph id=\"1\"/></target></segment></unit></file></xliff>",
                3,
                "<ph>",
            ),
            ("<xliff version=\"2.0\" trgLang=\"he-IL\">\n<file original=\"a\">\n</xliff>", 3, "file"),
            (
                "<xliff version=\"2.0\" trgLang=\"he-IL\"><file original=\"a\">\n<unit><segment><source>a</source>\n<target>b<cp hex=\"FFFFFFFF\"/></target></segment></unit></file></xliff>",
                3,
                "<cp hex=\"FFFFFFFF\"> is not a Unicode code point",
            ),
            (
                "<xliff version=\"2.0\" trgLang=\"he-IL\"><file original=\"a\">\n<unit><segment><source>a</source>\n<target>b<cp/></target></segment></unit></file></xliff>",
                3,
                "<cp> needs `hex`",
            ),
        ] {
            let err = read(doc, &locales()).expect_err(doc);
            assert_eq!(err.line, line, "{doc}: {err:?}");
            assert!(err.message.contains(says), "{doc}: {err:?}");
        }
    }
}
