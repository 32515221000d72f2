//! SVG files among the media are documents, not only pictures: opened on
//! their own (a link to one, or its address typed or sent), a browser runs
//! their script with the help site's origin, and so with its storage and
//! every page. Translations come from outside the team, so an SVG in a
//! locale folder is published only when it can run nothing: [`vet`] reads
//! it as XML and refuses, with the place, what could run or navigate:
//!
//! - elements that run or embed code or other documents, in any namespace
//!   (`script`, `iframe`, `object`, `embed`, `foreignObject`'s HTML `form`,
//!   `base`, `meta`, …);
//! - event-handler attributes (`onload`, `onclick`, …);
//! - addresses (`href`, `xlink:href`, `src`, …) that [`crate::url`] refuses
//!   (`javascript:`, `data:` but raster images, …), judged as links are;
//! - animations of an address or a handler (`<set attributeName="href"
//!   to="javascript:…">`);
//! - processing instructions (`<?xml-stylesheet?>`: XSLT can write script);
//! - XML that does not parse, entities a DTD would define included (a
//!   browser shows a document up to its first error, script and all).
//!
//! Drawings made by Inkscape, Illustrator, Visio or draw.io (whose labels
//! are HTML inside `foreignObject`) pass: styles, gradients, filters, text,
//! links to pages and metadata in their own namespaces are all inert.

use crate::url::{classify, Address, Use};
use crate::xml::read::{self, Element, Node};

/// Why an SVG is not published, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsafe {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Elements refused in any namespace: they run script, embed another
/// document or plug-in, submit or navigate on their own, or change how the
/// rest is read.
const REFUSED_ELEMENTS: &[&str] = &[
    "script", "handler", "listener", "iframe", "frame", "frameset", "object", "embed", "applet",
    "portal", "form", "input", "button", "textarea", "select", "base", "meta", "link", "template",
];

/// Attributes that hold an address, by local name.
const ADDRESSES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "lowsrc",
    "dynsrc",
    "codebase",
    "srcset",
];

/// Elements that change another attribute over time.
const ANIMATIONS: &[&str] = &["set", "animate", "animatemotion", "animatetransform"];

/// Whether `bytes` (an `.svg` file) can be published; else why not.
pub fn vet(bytes: &[u8]) -> Result<(), Unsafe> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let good = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
        let pos = crate::diag::LineIndex::new(good).pos(good.len());
        Unsafe {
            line: pos.line,
            column: pos.column,
            message: "the SVG is not UTF-8, so it cannot be checked".into(),
        }
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = read::parse_document(text).map_err(|e| Unsafe {
        line: e.line,
        column: e.column,
        message: format!("the SVG is not well-formed XML ({})", e.message),
    })?;
    if let Some((target, line, column)) = doc.instructions.first() {
        return Err(Unsafe {
            line: *line,
            column: *column,
            message: format!(
                "a processing instruction `<?{target}?>`: a style sheet of XSLT can add script"
            ),
        });
    }
    element(&doc.root)
}

/// Vets `e` and everything in it.
fn element(e: &Element) -> Result<(), Unsafe> {
    let refuse = |message: String| {
        Err(Unsafe {
            line: e.line,
            column: e.column,
            message,
        })
    };
    let name = e.name.to_ascii_lowercase();
    if REFUSED_ELEMENTS.contains(&name.as_str()) {
        return refuse(format!(
            "a <{}> element: it can run script or load another document",
            e.name
        ));
    }
    for (key, value) in &e.attrs {
        let local = key.rsplit(':').next().unwrap_or(key).to_ascii_lowercase();
        if local.starts_with("on") {
            return refuse(format!("an event handler `{key}` on <{}>", e.name));
        }
        if ADDRESSES.contains(&local.as_str()) {
            // A link goes to a page; any other address loads a resource
            // (an image, a pattern, a `use`).
            let used = if name == "a" { Use::Link } else { Use::Image };
            for address in addresses(&local, value) {
                if let Address::Refused(why) = classify(address, used) {
                    return refuse(format!("`{key}` on <{}>: {why}", e.name));
                }
            }
        }
        if ANIMATIONS.contains(&name.as_str()) && local == "attributename" {
            let target = value.trim().rsplit(':').next().unwrap_or_default();
            let target = target.to_ascii_lowercase();
            if ADDRESSES.contains(&target.as_str()) || target.starts_with("on") {
                return refuse(format!(
                    "<{}> animates `{}`: an animation can set an address or a handler \
                     no check sees",
                    e.name,
                    value.trim()
                ));
            }
        }
    }
    for node in &e.content {
        if let Node::Element(child) = node {
            element(child)?;
        }
    }
    Ok(())
}

/// The addresses an attribute holds: one, or a `srcset`'s candidates.
fn addresses<'a>(local: &str, value: &'a str) -> Vec<&'a str> {
    if local == "srcset" {
        value
            .split(',')
            .filter_map(|c| c.split_whitespace().next())
            .collect()
    } else {
        vec![value]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A drawing as tools write them: an XML declaration, a DOCTYPE without
    /// entities, Inkscape's namespaces and metadata, styles, gradients,
    /// a filter, text, a link to a page, an embedded PNG, draw.io's HTML
    /// label inside `foreignObject`, and an animation of a colour.
    const DRAWING: &str = r##"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
     xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
     width="120" height="60" viewBox="0 0 120 60">
  <sodipodi:namedview id="base" inkscape:zoom="1"/>
  <metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>
  <defs>
    <style>.label { font: 12px sans-serif; fill: #333 }</style>
    <linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient>
    <filter id="f"><feGaussianBlur stdDeviation="2"/></filter>
    <symbol id="s"><rect width="4" height="4"/></symbol>
  </defs>
  <rect width="100" height="40" fill="url(#g)" filter="url(#f)" style="stroke: red"/>
  <use xlink:href="#s" x="2"/>
  <image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>
  <a href="../zh-cn/reset.html"><text class="label" x="4" y="20">重置 &amp; 保存</text></a>
  <a xlink:href="https://learn.microsoft.com/"><text y="40">Learn</text></a>
  <foreignObject width="80" height="20">
    <div xmlns="http://www.w3.org/1999/xhtml" style="display: flex"><span>Label<br/></span></div>
  </foreignObject>
  <animate attributeName="fill" values="red;blue" dur="2s"/>
</svg>
"##;

    #[test]
    fn drawings_as_tools_write_them_pass() {
        assert_eq!(vet(DRAWING.as_bytes()), Ok(()));
        let bom = format!("\u{feff}{DRAWING}");
        assert_eq!(vet(bom.as_bytes()), Ok(()));
    }

    #[test]
    fn what_could_run_is_refused_where_it_is() {
        let svg = |body: &str| {
            format!("<svg xmlns=\"http://www.w3.org/2000/svg\"\n     xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n  {body}\n</svg>")
        };
        for (body, says) in [
            ("<script>alert(1)</script>", "a <script> element"),
            ("<svg:script xmlns:svg=\"http://www.w3.org/2000/svg\"/>", "a <script>"),
            (
                "<foreignObject><iframe xmlns=\"http://www.w3.org/1999/xhtml\" src=\"x\"/></foreignObject>",
                "a <iframe> element",
            ),
            ("<rect onload=\"alert(1)\"/>", "an event handler `onload`"),
            ("<rect ONCLICK=\"alert(1)\"/>", "an event handler `ONCLICK`"),
            ("<a href=\"javascript:alert(1)\"><text>x</text></a>", "`href` on <a>"),
            ("<a xlink:href=\"&#106;ava&#x09;script:alert(1)\"/>", "`xlink:href` on <a>"),
            ("<a href=\" JaVaScRiPt:alert(1)\"/>", "`href` on <a>"),
            ("<image href=\"data:image/svg+xml,&lt;svg/&gt;\"/>", "`href` on <image>"),
            ("<a href=\"data:image/png;base64,AA\"/>", "`href` on <a>"),
            (
                "<set attributeName=\"href\" to=\"javascript:alert(1)\"/>",
                "<set> animates `href`",
            ),
            (
                "<animate attributeName=\"xlink:href\" values=\"javascript:alert(1)\"/>",
                "<animate> animates `xlink:href`",
            ),
            ("<set attributeName=\"onclick\" to=\"alert(1)\"/>", "animates `onclick`"),
            ("<embed src=\"x.swf\"/>", "a <embed> element"),
            ("<foreignObject><form xmlns=\"http://www.w3.org/1999/xhtml\"/></foreignObject>", "a <form>"),
        ] {
            let err = vet(svg(body).as_bytes()).expect_err(body);
            assert!(err.message.contains(says), "{body}: {err:?}");
            // At the tag that holds it: the line's first, or the one
            // inside a `foreignObject`.
            let inner = body.strip_prefix("<foreignObject>").map(|_| "<foreignObject>".len());
            let column = 3 + inner.unwrap_or(0);
            assert_eq!((err.line, err.column), (3, column), "{body}: {err:?}");
        }
    }

    #[test]
    fn documents_a_browser_would_read_otherwise_are_refused() {
        let stylesheet =
            "<?xml version=\"1.0\"?>\n<?xml-stylesheet type=\"text/xsl\" href=\"x.xsl\"?>\n<svg/>";
        let err = vet(stylesheet.as_bytes()).expect_err("xslt");
        assert_eq!((err.line, err.column), (2, 1), "{err:?}");
        assert!(err.message.contains("`<?xml-stylesheet?>`"), "{err:?}");

        let entity = "<!DOCTYPE svg [<!ENTITY x \"&lt;script&gt;\">]>\n<svg>&x;</svg>";
        let err = vet(entity.as_bytes()).expect_err("entity");
        assert!(err.message.contains("not well-formed XML"), "{err:?}");
        assert_eq!(err.line, 2, "{err:?}");

        let cut = "<svg>\n<rect onload=\"alert(1)\"/>\n<g>";
        assert!(vet(cut.as_bytes()).is_err());
        assert!(vet(b"<svg>\xff</svg>").is_err());
        assert!(vet(b"").is_err());
    }
}
