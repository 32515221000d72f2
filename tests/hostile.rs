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
//! Show English off or on, when each link address is clicked, or in
//! search). The browser test skips where node, chromium or `npm ci` are
//! missing, unless `HELPBOOK_REQUIRE_BROWSER=1`, as in `tests/browser.rs`.

use crate::support;

use scraper::{Html, Selector};
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/browser/hostile")
}

/// File names that are script addresses (regression: they became
/// `href="javascript:alert(1).html"` in the language index and the
/// side-by-side links). Made at run time: a tab or a line break in a file
/// name has no place in the repository.
#[cfg(unix)]
const HOSTILE_NAMES: [&str; 7] = [
    "javascript:alert('file-name').md",
    "JaVaScRiPt:alert('mixed-case').md",
    "java\tscript:alert('tab').md",
    "java\nscript:alert('line-break').md",
    "vbscript:alert('vbscript').md",
    "data:text,alert('data').md",
    "javascript:alert('folder')/inside.md",
];

/// The hostile fixture, copied, with the file-name payloads added (on
/// systems whose file names may hold them).
fn project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    support::copy_tree(&fixture(), tmp.path());
    #[cfg(unix)]
    for name in HOSTILE_NAMES {
        let file = tmp.path().join("content/sv-SE").join(name);
        std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
        let body = "---\ntitle: Namn\n---\n# <span data-ttu-id=\"n-1\">Namn</span><span class=\"sxs-lookup\"><span data-stu-id=\"n-1\">Name</span></span>\n\n[Tillbaka](/sv-SE/hostile.md)\n";
        std::fs::write(&file, body).expect("write");
    }
    tmp
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
    let project = project();
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    support::build_site(project.path(), &site, &[]);
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
    if !support::browser_available() {
        return;
    }
    let project = project();
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    support::build_site(project.path(), &site, &[]);
    support::run_browser_script("hostile.mjs", &[site.as_os_str()]);
}

/// Every href and src of the site's pages that comes from a file name is a
/// path: percent-encoded, never readable as a scheme.
#[cfg(unix)]
#[test]
fn file_names_become_paths_not_schemes() {
    let project = project();
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    support::build_site(project.path(), &site, &[]);
    let files = support::tree(&site);
    let index = String::from_utf8_lossy(&files["sv-se/index.html"]).into_owned();
    let html = Html::parse_document(&index);
    let hrefs: Vec<String> = html
        .select(&Selector::parse(".article-list a").expect("selector"))
        .filter_map(|a| a.value().attr("href").map(String::from))
        .collect();
    for name in HOSTILE_NAMES {
        let page = format!("{}.html", name.trim_end_matches(".md"));
        assert!(
            files.contains_key(&format!("sv-se/{page}")),
            "no page for {name:?}"
        );
        let href = hrefs
            .iter()
            .find(|h| helpbook::url::decode(h.trim_start_matches("./")) == page)
            .unwrap_or_else(|| panic!("no index link to {page:?} in {hrefs:?}"));
        assert!(href.starts_with("./"), "{href}");
        assert!(!href.contains([':', '\t', '\n']), "{href}");
    }
    // The side-by-side page links back to its article by a path.
    let sxs = files
        .iter()
        .find(|(k, _)| {
            k.starts_with("sv-se/javascript:alert('file-name')") && k.ends_with(".sxs.html")
        })
        .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
        .expect("a side-by-side page");
    let hrefs: Vec<String> = Html::parse_document(&sxs)
        .select(&Selector::parse("a").expect("selector"))
        .filter_map(|a| a.value().attr("href").map(String::from))
        .collect();
    assert!(
        hrefs.contains(&"./javascript%3Aalert('file-name').html".to_string()),
        "{hrefs:?}"
    );
}

/// `site-url` and `link-base` are absolute http(s) addresses (regression:
/// `javascript:` was written into canonical links and the sitemap).
#[test]
fn script_site_addresses_are_refused() {
    for (key, value) in [
        ("site-url", "javascript:alert(1)"),
        ("site-url", "not a url"),
        ("link-base", "javascript:alert(1)//{locale}"),
    ] {
        let tmp = tempfile::tempdir().expect("tempdir");
        support::copy_tree(&fixture(), tmp.path());
        std::fs::write(
            tmp.path().join("book.toml"),
            format!("[output.html]\n{key} = \"{value}\"\n"),
        )
        .expect("book.toml");
        let mut cmd = support::helpbook(tmp.path());
        cmd.arg("build").arg("--dest").arg(tmp.path().join("site"));
        let out = support::run(cmd);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{key} = {value}: {err}");
        assert!(err.contains(key) && err.contains("book.toml"), "{err}");
        assert!(!tmp.path().join("site").exists());
    }
}

/// Symbolic links that lead out of the content folder are not read
/// (regression: `/proc/self/environ` and `/etc/passwd` reached the page and
/// the search index through links in `includes/`, a linked article and a
/// linked folder), and each is reported as `load::outside-link`, with no
/// line of what it leads to.
#[cfg(unix)]
#[test]
fn links_out_of_the_content_folder_are_not_followed() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().expect("tempdir");
    let secrets = tmp.path().join("secrets");
    std::fs::create_dir_all(secrets.join("folder")).expect("mkdir");
    let marker = "SECRET-MARKER-8f3a2c";
    std::fs::write(secrets.join("pw.md"), format!("{marker} in a file\n")).expect("write");
    std::fs::write(
        secrets.join("folder/page.md"),
        format!("# {marker} folder\n"),
    )
    .expect("write");
    let project = tmp.path().join("project");
    support::copy_tree(&fixture(), &project);
    let sv = project.join("content/sv-SE");
    symlink("/", sv.join("includes/root")).expect("symlink");
    symlink(secrets.join("pw.md"), sv.join("includes/pw.md")).expect("symlink");
    symlink(secrets.join("pw.md"), sv.join("linked-article.md")).expect("symlink");
    symlink(secrets.join("folder"), sv.join("linked-folder")).expect("symlink");
    // A link that stays inside is followed as before.
    symlink(sv.join("other.md"), sv.join("alias.md")).expect("symlink");
    std::fs::write(
        sv.join("leak.md"),
        "---\ntitle: Läcka\n---\n# Läcka\n\n[!INCLUDE[x](includes/root/proc/self/environ)]\n\n[!INCLUDE[y](includes/pw.md)]\n",
    )
    .expect("write");
    let site = tmp.path().join("site");
    let mut cmd = support::helpbook(&project);
    cmd.env("HELPBOOK_TEST_SECRET", marker)
        .args(["build", "--format", "json", "--dest"])
        .arg(&site);
    let out = support::run(cmd);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "outside links are errors: {err}"
    );
    // Nor is it shown as a finding's source line: the finding names the
    // link (regression: line 1 of its target was printed).
    for format in ["human", "json"] {
        for command in ["build", "check"] {
            let mut cmd = support::helpbook(&project);
            cmd.args([command, "--format", format]);
            if command == "build" {
                cmd.arg("--dest").arg(tmp.path().join("site-2"));
            }
            let out = support::run(cmd);
            let said = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            if !(command == "build" && format == "json") {
                // (`build --format json` gives counts, not findings.)
                assert!(said.contains("outside-link"), "{command} {format}: {said}");
            }
            assert!(
                !said.contains(marker),
                "{command} {format} shows the secret"
            );
        }
    }
    for (rel, bytes) in support::tree(&site) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(marker), "{rel} holds the secret");
        assert!(!text.contains("root:x:0:0"), "{rel} holds /etc/passwd");
    }
    assert!(
        site.join("sv-se/alias.html").exists(),
        "a link inside is followed"
    );
    assert!(
        site.join("sv-se/leak.html").exists(),
        "the article itself is built"
    );

    let mut cmd = support::helpbook(&project);
    cmd.args(["check", "--format", "json"]);
    let out = support::run(cmd);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("check --format json");
    let outside: Vec<String> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["lint"] == "load::outside-link")
        .map(|f| f["file"].as_str().unwrap_or("").to_string())
        .collect();
    for name in ["linked-article.md", "linked-folder"] {
        assert!(
            outside.iter().any(|f| f.ends_with(name)),
            "{name}: {outside:?}"
        );
    }
}

/// An SVG is a document a browser runs script in when it is opened on its
/// own (regression: a translator's SVG with `onload` was copied into
/// `media/` as it was, and ran with the site's origin when its link was
/// clicked or its address opened). An SVG that could run script is refused
/// with its place, by `build` and `check`, and not published, though a
/// page links to it; a drawing beside it is published as it is.
#[test]
fn an_svg_that_could_run_script_is_not_published() {
    let tmp = tempfile::tempdir().expect("tempdir");
    support::copy_tree(&fixture(), tmp.path());
    let media = tmp.path().join("content/sv-SE/media");
    std::fs::create_dir_all(&media).expect("mkdir");
    let drawing =
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"9\" height=\"9\"/></svg>\n";
    std::fs::write(media.join("ritning.svg"), drawing).expect("write");
    let payloads = [
        "<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <rect onload=\"document.title='PWN'\"/>\n</svg>\n",
        "<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <script>document.title='PWN'</script>\n</svg>\n",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:x=\"http://www.w3.org/1999/xlink\">\n  <a x:href=\"javascript:document.title='PWN'\"/>\n</svg>\n",
    ];
    let mut links = String::new();
    for (i, svg) in payloads.iter().enumerate() {
        std::fs::write(media.join(format!("bild{i}.svg")), svg).expect("write");
        links.push_str(&format!("[Bild {i}](media/bild{i}.svg) "));
    }
    let article = format!(
        "---\ntitle: Bilder\n---\n# <span data-ttu-id=\"b-1\">Bilder</span><span class=\"sxs-lookup\"><span data-stu-id=\"b-1\">Pictures</span></span>\n\n![Ritning](media/ritning.svg) {links}\n"
    );
    std::fs::write(tmp.path().join("content/sv-SE/bilder.md"), article).expect("write");

    let site = tmp.path().join("site");
    let mut cmd = support::helpbook(tmp.path());
    cmd.args(["build", "--dest"]).arg(&site);
    let out = support::run(cmd);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "an error-level finding: {stderr}"
    );
    for i in 0..payloads.len() {
        let place = format!("content/sv-SE/media/bild{i}.svg:2:3");
        assert!(stderr.contains(&place), "{place}: {stderr}");
    }
    assert_eq!(
        stderr.matches("error[media::unsafe-svg]").count(),
        3,
        "{stderr}"
    );
    // Each is reported once, at its file: the links to it are not broken
    // links as well.
    assert!(!stderr.contains("link::broken"), "{stderr}");

    let files = support::tree(&site);
    let svgs: Vec<&Vec<u8>> = files
        .iter()
        .filter(|(rel, _)| rel.ends_with(".svg"))
        .map(|(_, bytes)| bytes)
        .collect();
    assert_eq!(svgs, [&drawing.as_bytes().to_vec()], "only the drawing");
    for (rel, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("PWN"), "{rel} carries a payload");
    }
    let page = String::from_utf8_lossy(&files["sv-se/bilder.html"]).into_owned();
    assert!(
        page.contains("Ritning") && page.contains("Bild 0"),
        "{page}"
    );

    let mut cmd = support::helpbook(tmp.path());
    cmd.args(["check", "--format", "json"]);
    let out = support::run(cmd);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("check's JSON");
    let count = |lint: &str| {
        json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["lint"] == lint)
            .count()
    };
    assert_eq!(count("media::unsafe-svg"), 3, "{json}");
    assert_eq!(count("link::broken"), 0, "{json}");
}
