//! Hostile content (DESIGN.md §5: "the site must not become a way to run
//! code in readers' browsers"). `tests/fixtures/browser/hostile` carries
//! scripts, event handlers, `javascript:`/`data:` URLs in any case and
//! obfuscated, frames, objects, refreshes, `<base>`, styles, template syntax
//! and an include with a script, in an English and a Swedish article: in the
//! text, inside sxs spans (translation and English), and in front matter.
//!
//! Two tests: the built HTML read with scraper (no event handler, no script
//! but the theme's, no script URL, no template evaluated), here; and every
//! page in Chromium by `tests/browser/hostile.mjs` (no payload runs with
//! Show English off or on, when every link is clicked, or in search). The
//! browser test skips where node, chromium or `npm ci` are missing, unless
//! `HELPBOOK_REQUIRE_BROWSER=1`, as in `tests/browser.rs`.

mod support;

use scraper::{Html, Selector};
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/browser/hostile")
}

/// Attributes whose value is a URL the browser may load or navigate to.
const URL_ATTRS: [&str; 10] = [
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "cite",
    "xlink:href",
    "srcset",
];

/// What is wrong with one parsed document (a page, or the English of a
/// pair as Show English inserts it); `theme_scripts` allows the theme's own
/// script element.
fn problems(html: &Html, theme_scripts: bool) -> Vec<String> {
    let all = Selector::parse("*").expect("selector");
    let mut found = Vec::new();
    for el in html.select(&all) {
        let v = el.value();
        let name = v.name();
        for (attr, value) in v.attrs() {
            if attr.to_ascii_lowercase().starts_with("on") {
                found.push(format!("<{name} {attr}=…>"));
            }
            // What a browser ignores in a URL: whitespace and control
            // characters anywhere, letter case.
            let bare: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            if URL_ATTRS.contains(&attr) {
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    if bare.starts_with(scheme) {
                        found.push(format!("<{name} {attr}={value:?}>"));
                    }
                }
            }
            if attr == "style" && (bare.contains("url(") || bare.contains("expression(")) {
                found.push(format!("<{name} style={value:?}>"));
            }
            if attr == "srcdoc" {
                found.push(format!("<{name} srcdoc>"));
            }
        }
        match name {
            "script" => {
                let own = theme_scripts
                    && v.attr("src").is_some_and(|s| {
                        let file = s.rsplit('/').next().unwrap_or(s);
                        file.starts_with("helpbook.") && file.ends_with(".js")
                    })
                    && el.text().all(|t| t.trim().is_empty());
                if !own {
                    found.push(format!("a script: {}", el.html()));
                }
            }
            "iframe" | "frame" | "object" | "embed" | "base" | "style" => {
                found.push(format!("<{name}>"));
            }
            // The theme's search box is the only form.
            "form" if !(theme_scripts && v.attr("class") == Some("search-form")) => {
                found.push(format!("<form action={:?}>", v.attr("action")));
            }
            "meta" if v.attr("http-equiv").is_some() => {
                found.push(format!("<meta http-equiv={:?}>", v.attr("http-equiv")));
            }
            "link" => {
                let href = v.attr("href").unwrap_or("");
                let rel = v.attr("rel").unwrap_or("");
                if rel == "stylesheet" && !href.contains("static/style.") {
                    found.push(format!("<link rel=stylesheet href={href:?}>"));
                }
            }
            _ => {}
        }
    }
    found
}

#[test]
fn no_hostile_markup_reaches_the_built_html() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    support::build_site(&fixture(), &site, &[]);
    let files = support::tree(&site);
    let mut report = Vec::new();
    let mut pages = 0;
    let mut english_data = 0;
    for (rel, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        if rel.ends_with(".html") {
            pages += 1;
            for p in problems(&Html::parse_document(&text), true) {
                report.push(format!("{rel}: {p}"));
            }
        } else if rel.ends_with(".en.js") {
            // `helpbookEnglish([...]);`: each string is inserted as HTML.
            english_data += 1;
            let json = text
                .trim()
                .strip_prefix("helpbookEnglish(")
                .and_then(|t| t.strip_suffix(");"))
                .unwrap_or_else(|| panic!("{rel}: not the Show English form: {text}"));
            let english: Vec<String> = serde_json::from_str(json).expect("a JSON list");
            for html in english {
                for p in problems(&Html::parse_fragment(&html), false) {
                    report.push(format!("{rel}: {p}"));
                }
            }
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
    assert!(pages >= 10 && english_data >= 2, "{pages} pages");

    // Template syntax in content and front matter is text, not evaluated.
    for page in ["sv-se/hostile.html", "en-us/hostile.html"] {
        let html = Html::parse_document(&String::from_utf8_lossy(&files[page]));
        let text = |css: &str| {
            let sel = Selector::parse(css).expect("selector");
            html.select(&sel)
                .map(|e| e.text().collect::<String>())
                .collect::<String>()
        };
        let title = text("title");
        assert!(title.contains("{{ 7*7 }}"), "{page}: {title:?}");
        assert!(title.contains("{% if true %}tera-if{% endif %}"), "{page}");
        assert!(title.contains("</title><script>"), "{page}: {title:?}");
        let content = text(".content");
        assert!(content.contains("{{ 7*7 }}"), "{page}");
        assert!(content.contains("{% raw %}rå{% endraw %}"), "{page}");
        assert!(content.contains("{# kommentar #}"), "{page}");
        assert!(!content.contains("49"), "{page}: a template was evaluated");
        // The included snippet is there, without its script.
        assert!(
            content.contains("Included") || content.contains("Inkluderad"),
            "{page}: {content}"
        );
    }
}

#[test]
fn no_hostile_payload_runs_in_a_real_browser() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    if !support::browser_available() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    support::build_site(&fixture(), &site, &[]);
    let out = Command::new("node")
        .arg("hostile.mjs")
        .arg(&site)
        .current_dir(&dir)
        .output()
        .expect("node runs");
    let report = String::from_utf8_lossy(&out.stdout);
    println!("{report}");
    assert!(
        out.status.success(),
        "browser checks failed:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(report.contains(", 0 failed"), "{report}");
}
