//! A small XML writer (XLIFF and TMX exports, sitemaps): elements, attributes and
//! text, escaped so that an XML 1.0 parser reads back exactly the string
//! that was written.
//!
//! Escaping: `&`, `<`, `>` always; `"` in attribute values; carriage return
//! as `&#13;` (a parser would turn a literal one into a line feed); tab and
//! line feed in attribute values as references (a parser would turn them
//! into spaces). Characters XML 1.0 cannot carry at all (most C0 controls,
//! U+FFFE, U+FFFF) are handed to the caller's `invalid` policy. Pure: builds
//! a `String`.
//!
//! Reading is [`read`]'s: XLIFF and TMX imports, and SVG media vetted
//! before they are published.

pub mod read;

/// What to do with a character that XML 1.0 cannot carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    /// Write U+FFFD instead, and count it.
    Replace,
    /// Write XLIFF 2's `<cp hex="…"/>` (text content only; in attributes
    /// the character is replaced).
    XliffCp,
}

/// Whether XML 1.0 allows `c` in a document.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// An XML document being written, with two-space indentation between
/// elements (never inside text).
#[derive(Debug)]
pub struct Writer {
    out: String,
    depth: usize,
    invalid: Invalid,
    /// Characters replaced by U+FFFD so far.
    pub replaced: usize,
}

impl Writer {
    /// Starts a document with the XML declaration.
    pub fn new(invalid: Invalid) -> Writer {
        Writer {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            depth: 0,
            invalid,
            replaced: 0,
        }
    }

    /// Elements with no XML declaration, indented as if `depth` elements
    /// were open: a piece of a document another writer begins and ends.
    pub fn fragment(invalid: Invalid, depth: usize) -> Writer {
        Writer {
            out: String::new(),
            depth,
            invalid,
            replaced: 0,
        }
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    fn open_tag(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            self.attr_value(v);
            self.out.push('"');
        }
    }

    /// `<name attrs>` on its own line; children follow.
    pub fn start(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.open_tag(name, attrs);
        self.out.push_str(">\n");
        self.depth += 1;
    }

    /// `</name>` on its own line.
    pub fn end(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.indent();
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// `<name attrs/>` on its own line.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.open_tag(name, attrs);
        self.out.push_str("/>\n");
    }

    /// `<name attrs>text</name>` on one line (the text as it is, escaped).
    pub fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.open_tag(name, attrs);
        self.out.push('>');
        self.text(text);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    fn text(&mut self, text: &str) {
        for c in text.chars() {
            match c {
                '&' => self.out.push_str("&amp;"),
                '<' => self.out.push_str("&lt;"),
                '>' => self.out.push_str("&gt;"),
                '\r' => self.out.push_str("&#13;"),
                c if is_xml_char(c) => self.out.push(c),
                c => match self.invalid {
                    Invalid::XliffCp => {
                        self.out
                            .push_str(&format!("<cp hex=\"{:04X}\"/>", u32::from(c)));
                    }
                    Invalid::Replace => self.replace(),
                },
            }
        }
    }

    fn attr_value(&mut self, value: &str) {
        for c in value.chars() {
            match c {
                '&' => self.out.push_str("&amp;"),
                '<' => self.out.push_str("&lt;"),
                '>' => self.out.push_str("&gt;"),
                '"' => self.out.push_str("&quot;"),
                '\r' => self.out.push_str("&#13;"),
                '\n' => self.out.push_str("&#10;"),
                '\t' => self.out.push_str("&#9;"),
                c if is_xml_char(c) => self.out.push(c),
                _ => self.replace(),
            }
        }
    }

    fn replace(&mut self) {
        self.out.push('\u{FFFD}');
        self.replaced += 1;
    }

    /// The document.
    pub fn finish(self) -> (String, usize) {
        (self.out, self.replaced)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut w = Writer::new(Invalid::Replace);
        w.start("a", &[("x", "1 < 2 & \"q\"\n\t'")]);
        w.leaf("b", &[], "<br> & ]]> 'x' \"y\"\r\n");
        w.end("a");
        let (text, replaced) = w.finish();
        assert_eq!(
            text,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <a x=\"1 &lt; 2 &amp; &quot;q&quot;&#10;&#9;'\">\n  \
             <b>&lt;br&gt; &amp; ]]&gt; 'x' \"y\"&#13;\n</b>\n\
             </a>\n"
        );
        assert_eq!(replaced, 0);
    }

    #[test]
    fn characters_xml_cannot_carry() {
        let mut w = Writer::new(Invalid::Replace);
        w.leaf("s", &[("a", "\u{1}")], "a\u{0}b\u{FFFF}c\u{1F600}");
        let (text, replaced) = w.finish();
        assert!(text.ends_with("<s a=\"\u{FFFD}\">a\u{FFFD}b\u{FFFD}c\u{1F600}</s>\n"));
        assert_eq!(replaced, 3);

        let mut w = Writer::new(Invalid::XliffCp);
        w.leaf("s", &[], "a\u{C}b");
        let (text, replaced) = w.finish();
        assert!(text.ends_with("<s>a<cp hex=\"000C\"/>b</s>\n"), "{text}");
        assert_eq!(replaced, 0);
    }
}
