//! The default theme's stylesheet, read as text: the outdated colour meets
//! WCAG AA contrast (4.5:1 for text) on the page and panel backgrounds in
//! light and dark mode, and each CJK language's font stack starts with the
//! Noto CJK face of its region.

use std::collections::HashMap;

fn css() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/static/style.css"
    );
    std::fs::read_to_string(path).expect("style.css")
}

/// The custom properties (`--name: #rrggbb;`) of the first `:root { … }`
/// block after `from` in `css`.
fn colours(css: &str, from: &str) -> HashMap<String, String> {
    let start = css.find(from).expect("block start");
    let root = start + css[start..].find(":root {").expect(":root") + ":root {".len();
    let end = root + css[root..].find('}').expect("end of :root");
    css[root..end]
        .split(';')
        .filter_map(|decl| {
            let (name, value) = decl.split_once(':')?;
            let value = value.trim();
            (name.trim().starts_with("--") && value.starts_with('#'))
                .then(|| (name.trim().to_string(), value.to_string()))
        })
        .collect()
}

/// Relative luminance of `#rrggbb` (WCAG 2.x).
fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).expect("hex")) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[test]
fn contrast_is_computed_as_wcag_does() {
    assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
    assert!((contrast("#777777", "#ffffff") - 4.48).abs() < 0.01);
    // The colour the theme had: under AA on a panel.
    assert!(contrast("#b36b00", "#f4f6f8") < 4.5);
}

#[test]
fn the_outdated_colour_meets_aa_in_light_and_dark() {
    let css = css();
    for (mode, from) in [
        ("light", ":root {"),
        ("dark", "@media (prefers-color-scheme: dark)"),
    ] {
        let c = colours(&css, from);
        for bg in ["--bg", "--panel"] {
            let ratio = contrast(&c["--outdated"], &c[bg]);
            assert!(
                ratio >= 4.5,
                "{mode}: --outdated {} on {bg} {}: {ratio:.2}:1",
                c["--outdated"],
                c[bg]
            );
        }
    }
}

#[test]
fn each_cjk_language_has_its_own_font_first() {
    let css = css();
    for (lang, first) in [
        (":lang(ja)", "\"Noto Sans CJK JP\""),
        (":lang(zh-CN)", "\"Noto Sans CJK SC\""),
        (":lang(zh-TW)", "\"Noto Sans CJK TC\""),
        (":lang(zh-HK)", "\"Noto Sans CJK HK\""),
        (":lang(ko)", "\"Noto Sans CJK KR\""),
    ] {
        let rule = css
            .lines()
            .find(|l| l.contains(lang) && l.contains("font-family"))
            .unwrap_or_else(|| panic!("no font rule for {lang}"));
        let family = rule.split("font-family:").nth(1).expect("family").trim();
        assert!(family.starts_with(first), "{lang}: {family}");
    }
}
