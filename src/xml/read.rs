//! The only quick-xml user: an XML document (XLIFF, TMX, an SVG) → a small
//! tree of elements and text, each element with its line and column, for
//! the import readers and the SVG vetting of [`crate::site::svg`] to walk.
//!
//! Entities: the five predefined ones and character references are
//! resolved; any other entity is an error (no DTD is read, so no entity can
//! be expanded, and none can grow the document). Line endings in text are
//! normalised as XML 1.0 says (CR LF and CR become LF), so `&#13;` is the one
//! way to carry a CR, as `export` writes it. Malformed XML, and elements
//! nested more than 256 deep, are an error with its line and column. Pure:
//! parses a `&str`.

use crate::diag::LineIndex;
use quick_xml::events::{BytesStart, Event};
use quick_xml::XmlVersion;

/// How deep elements may nest: XLIFF and TMX need a handful of levels;
/// the trees are walked (and dropped) by recursion, which a document of a
/// million nested elements would overflow.
const MAX_DEPTH: usize = 256;

/// An element: its local name (any prefix removed), its attributes by
/// qualified name (`xml:lang`), its content in order, and where its tag
/// starts (1-based line and column).
#[derive(Debug, Default)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub content: Vec<Node>,
    pub line: usize,
    pub column: usize,
}

/// A whole document: its root element, and the processing instructions
/// around it (`<?xml-stylesheet …?>`; not the XML declaration), which the
/// import readers ignore and an SVG's vetting must see.
#[derive(Debug, Default)]
pub struct Document {
    pub root: Element,
    /// Each instruction's target (`xml-stylesheet`), line and column.
    pub instructions: Vec<(String, usize, usize)>,
}

#[derive(Debug)]
pub enum Node {
    Element(Element),
    Text(String),
}

/// Malformed XML, at a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Element {
    /// The value of the attribute `name` (qualified, as written).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The child elements, in order.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.content.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The child elements named `name`.
    pub fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.elements().filter(move |e| e.name == name)
    }

    /// The first child element named `name`.
    pub fn child<'a>(&'a self, name: &str) -> Option<&'a Element> {
        self.elements().find(|e| e.name == name)
    }
}

/// Parses `text` into its root element.
pub fn parse(text: &str) -> Result<Element, XmlError> {
    parse_document(text).map(|d| d.root)
}

/// Parses `text` into its root element and its processing instructions.
pub fn parse_document(text: &str) -> Result<Document, XmlError> {
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let lines = LineIndex::new(text);
    // Elements come in document order: a cursor keeps long lines linear.
    let mut cursor = lines.cursor();
    let fail = |offset: u64, message: String| {
        let pos = lines.pos(to_usize(offset));
        XmlError {
            line: pos.line,
            column: pos.column,
            message,
        }
    };
    let mut stack: Vec<Element> = vec![Element::default()];
    let mut instructions = Vec::new();
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| fail(reader.error_position(), e.to_string()))?;
        match event {
            Event::Start(e) => {
                if stack.len() > MAX_DEPTH {
                    return Err(fail(
                        at,
                        format!("elements are nested more than {MAX_DEPTH} deep"),
                    ));
                }
                let element = element(&e, cursor.pos(to_usize(at))).map_err(|m| fail(at, m))?;
                stack.push(element);
            }
            Event::Empty(e) => {
                let element = element(&e, cursor.pos(to_usize(at))).map_err(|m| fail(at, m))?;
                push(&mut stack, Node::Element(element));
            }
            Event::End(_) => {
                let Some(done) = stack.pop().filter(|_| !stack.is_empty()) else {
                    return Err(fail(at, "a closing tag with no opening tag".into()));
                };
                push(&mut stack, Node::Element(done));
            }
            Event::Text(t) => {
                let t = t.xml10_content().map_err(|e| fail(at, e.to_string()))?;
                push(&mut stack, Node::Text(t.into_owned()));
            }
            Event::CData(c) => {
                let t = c.xml10_content().map_err(|e| fail(at, e.to_string()))?;
                push(&mut stack, Node::Text(t.into_owned()));
            }
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|e| fail(at, e.to_string()))?;
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => quick_xml::escape::resolve_predefined_entity(&name)
                        .ok_or_else(|| {
                            fail(at, format!("unknown entity `&{name};` (no DTD is read)"))
                        })?
                        .to_string(),
                    Err(e) => return Err(fail(at, e.to_string())),
                };
                push(&mut stack, Node::Text(resolved));
            }
            Event::PI(pi) => {
                let target = String::from_utf8_lossy(pi.target()).into_owned();
                let pos = cursor.pos(to_usize(at));
                instructions.push((target, pos.line, pos.column));
            }
            Event::Eof => break,
            // The declaration, comments, DOCTYPE.
            _ => {}
        }
    }
    if stack.len() > 1 {
        let open = stack.last().map_or(String::new(), |e| e.name.clone());
        return Err(fail(
            text.len() as u64,
            format!("the document ends inside <{open}>"),
        ));
    }
    let mut root = stack.pop().unwrap_or_default();
    let mut elements = root.content.drain(..).filter_map(|n| match n {
        Node::Element(e) => Some(e),
        Node::Text(_) => None,
    });
    match (elements.next(), elements.next()) {
        (Some(root), None) => Ok(Document { root, instructions }),
        (None, _) => Err(fail(0, "no root element".into())),
        (Some(_), Some(second)) => Err(XmlError {
            line: second.line,
            column: 1,
            message: format!("a second root element <{}>", second.name),
        }),
    }
}

fn to_usize(offset: u64) -> usize {
    usize::try_from(offset).unwrap_or(usize::MAX)
}

fn push(stack: &mut [Element], node: Node) {
    if let Some(top) = stack.last_mut() {
        // Adjacent text (a reference between two runs) is one run.
        if let (Node::Text(t), Some(Node::Text(last))) = (&node, top.content.last_mut()) {
            last.push_str(t);
            return;
        }
        top.content.push(node);
    }
}

fn element(e: &BytesStart, at: crate::diag::Pos) -> Result<Element, String> {
    let local = e.local_name();
    let name = String::from_utf8_lossy(local.as_ref()).into_owned();
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| err.to_string())?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a
            .normalized_value(XmlVersion::Explicit1_0)
            .map_err(|err| format!("attribute {key}: {err}"))?;
        attrs.push((key, value.into_owned()));
    }
    Ok(Element {
        name,
        attrs,
        content: Vec::new(),
        line: at.line,
        column: at.column,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_with_lines() {
        let root = parse(
            "<?xml version=\"1.0\"?>\n<a x=\"1 &amp; 2\">\n  <b>t &lt;&#13;\r\n&#x1F600;<c/>u</b>\n</a>",
        )
        .expect("parse");
        assert_eq!((root.name.as_str(), root.line), ("a", 2));
        assert_eq!(root.attr("x"), Some("1 & 2"));
        let b = root.child("b").expect("b");
        assert_eq!(b.line, 3);
        let texts: Vec<&str> = b
            .content
            .iter()
            .filter_map(|n| match n {
                Node::Text(t) => Some(t.as_str()),
                Node::Element(_) => None,
            })
            .collect();
        assert_eq!(texts, ["t <\r\n😀", "u"]);
    }

    #[test]
    fn errors_have_a_place() {
        let err = parse("<a>\n  <b>\n</a>").expect_err("mismatched");
        assert_eq!(err.line, 3, "{err:?}");
        let err = parse("<a>\n&nbsp;</a>").expect_err("entity");
        assert_eq!((err.line, err.column), (2, 1), "{err:?}");
        assert!(err.message.contains("&nbsp;"));
        let err = parse("<a>\n<b>").expect_err("unclosed");
        assert!(err.message.contains("<b>"), "{err:?}");
        let deep = "<a>".repeat(100_000);
        let err = parse(&deep).expect_err("too deep");
        assert!(err.message.contains("nested"), "{err:?}");
    }
}
