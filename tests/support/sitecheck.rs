//! An offline checker of a built site, from the outside: the Rust twin of
//! `../shared/tools/sitecheck.py`, with the same checks and the same
//! exemptions, so a test can say which page broke which property.
//!
//! - `residue`: no sxs markup (`data-ttu-id`, `data-stu-id`, `sxs-lookup`) in
//!   any text file of the site (HTML, XML, CSS, JS);
//! - `lang`: `<html lang>` on every page, `dir="rtl"` exactly where the
//!   language is right-to-left (by `helpbook::locale::direction`);
//! - `title`: a non-empty `<title>`;
//! - `links`: every local `href`/`src` names a file of the site (a folder
//!   means its `index.html`; paths are percent-decoded);
//! - `anchors`: every local `#fragment` names an `id` or `<a name>` of the
//!   page it points into;
//! - `hreflang`: alternates name existing pages, include the page itself and
//!   link back; a fallback page (noindex, or canonical elsewhere) is exempt
//!   from the last two, as in sitecheck.py. The same for the `xhtml:link`
//!   alternates of each sitemap `<url>` (where article pages keep theirs):
//!   each names an existing file, the URL's own is among them, and every
//!   other listed URL lists this one back;
//! - `markdown`: no Markdown link syntax `[x](y)` leaked into text outside code;
//! - `sitemap`: `sitemap.xml` is a sitemap or a sitemap index whose every
//!   `<loc>` names a sitemap of the site; every sitemap is within the
//!   protocol's limits (50,000 URLs, 50 MiB) and each of its `<loc>`s maps
//!   to a file that is not a page marked noindex (DESIGN §5; sitecheck.py
//!   checks only that the URLs of `sitemap.xml` itself exist).
//!
//! Pure reading: it never writes. Parsing uses `scraper` (html5ever), as a
//! browser would.

use rayon::prelude::*;
use scraper::{ElementRef, Html, Node, Selector};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

/// The names of the checks, in report order.
pub const CHECKS: [&str; 8] = [
    "residue", "lang", "title", "links", "anchors", "hreflang", "markdown", "sitemap",
];

/// What a check of one site found.
#[derive(Debug, Default)]
pub struct Report {
    pub pages: usize,
    /// Local `href`/`src` references followed.
    pub local_refs: usize,
    /// Local references with a `#fragment` checked against the target's ids.
    pub fragments: usize,
    pub alternates: usize,
    pub sitemap_urls: usize,
    /// Pages per `<html lang>`.
    pub languages: BTreeMap<String, usize>,
    /// Check name → failures (page and what is wrong).
    pub failures: BTreeMap<&'static str, Vec<String>>,
}

impl Report {
    pub fn is_ok(&self) -> bool {
        self.failures.values().all(Vec::is_empty)
    }

    /// The failures of one check.
    pub fn failing(&self, check: &str) -> &[String] {
        self.failures.get(check).map_or(&[], Vec::as_slice)
    }

    /// A readable account: counts, then up to `max` examples per failing check.
    pub fn summary(&self, max: usize) -> String {
        let mut out = format!(
            "pages: {}  local refs: {}  fragments: {}  alternates: {}  sitemap urls: {}\n",
            self.pages, self.local_refs, self.fragments, self.alternates, self.sitemap_urls
        );
        for check in CHECKS {
            let fails = self.failing(check);
            if fails.is_empty() {
                out.push_str(&format!("{check:9} ok\n"));
            } else {
                out.push_str(&format!("{check:9} {} failing\n", fails.len()));
                for f in fails.iter().take(max) {
                    out.push_str(&format!("    {f}\n"));
                }
            }
        }
        out
    }

    fn fail(&mut self, check: &'static str, message: String) {
        self.failures.entry(check).or_default().push(message);
    }
}

/// What one page says about itself.
#[derive(Debug, Default)]
struct PageFacts {
    residue: bool,
    lang: Option<String>,
    dir: Option<String>,
    title: String,
    ids: HashSet<String>,
    /// (tag, URL) of every href/src that a reader's browser would follow.
    refs: Vec<(String, String)>,
    alternates: Vec<(String, String)>,
    canonical: Option<String>,
    noindex: bool,
    /// Text outside code, pre, script, style, textarea and template.
    prose: String,
}

const RESIDUE: [&str; 3] = ["data-ttu-id", "data-stu-id", "sxs-lookup"];
const REF_TAGS: [&str; 8] = [
    "a", "link", "img", "script", "iframe", "source", "video", "audio",
];
const CODE_TAGS: [&str; 6] = ["code", "pre", "script", "style", "textarea", "template"];

/// Checks the site in `site` (a build directory).
pub fn check(site: &Path) -> Report {
    let site = site.to_path_buf();
    let mut report = Report::default();
    let mut html_files = Vec::new();
    let mut other_text = Vec::new();
    for entry in walkdir::WalkDir::new(&site).sort_by_file_name() {
        let entry = entry.expect("the site folder can be walked");
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path().to_path_buf();
        match path.extension().and_then(|e| e.to_str()) {
            Some("html") => html_files.push(path),
            Some("xml" | "css" | "js" | "json" | "txt") => other_text.push(path),
            _ => {}
        }
    }
    report.pages = html_files.len();
    for path in &other_text {
        let text =
            String::from_utf8_lossy(&std::fs::read(path).expect("read a site file")).into_owned();
        if RESIDUE.iter().any(|r| text.contains(r)) {
            report.fail("residue", rel(&site, path));
        }
    }

    let pages: HashMap<PathBuf, PageFacts> = html_files
        .par_iter()
        .map(|path| {
            let bytes = std::fs::read(path).expect("read a page");
            (path.clone(), facts(&String::from_utf8_lossy(&bytes)))
        })
        .collect();

    for path in &html_files {
        let page = &pages[path];
        let name = rel(&site, path);
        if page.residue {
            report.fail("residue", name.clone());
        }
        check_lang(&mut report, &name, page);
        if page.title.trim().is_empty() {
            report.fail("title", name.clone());
        }
        if let Some(leak) = markdown_link(&page.prose) {
            report.fail("markdown", format!("{name}: …{leak}…"));
        }
        check_refs(&mut report, &site, path, page, &pages);
        check_alternates(&mut report, &site, path, page, &pages);
    }
    check_sitemap(&mut report, &site, &pages);
    report
}

fn check_lang(report: &mut Report, name: &str, page: &PageFacts) {
    let Some(lang) = &page.lang else {
        report.fail("lang", format!("{name}: no <html lang>"));
        return;
    };
    *report.languages.entry(lang.clone()).or_default() += 1;
    let want = helpbook::locale::direction(lang);
    let dir = page.dir.as_deref().unwrap_or("ltr").to_ascii_lowercase();
    if want == "rtl" && dir != "rtl" {
        report.fail("lang", format!("{name}: lang={lang} without dir=rtl"));
    }
    if want == "ltr" && dir == "rtl" {
        report.fail("lang", format!("{name}: lang={lang} with dir=rtl"));
    }
}

fn check_refs(
    report: &mut Report,
    site: &Path,
    path: &Path,
    page: &PageFacts,
    pages: &HashMap<PathBuf, PageFacts>,
) {
    let name = rel(site, path);
    for (tag, url) in &page.refs {
        let Some((target, fragment)) = local_target(site, path, url) else {
            continue;
        };
        report.local_refs += 1;
        if !target.exists() {
            report.fail("links", format!("{name}: <{tag}> {url} -> missing"));
            continue;
        }
        let Some(fragment) = fragment else { continue };
        if let Some(target_page) = pages.get(&target) {
            report.fragments += 1;
            if !target_page.ids.contains(&fragment) {
                report.fail("anchors", format!("{name}: {url} -> no id {fragment:?}"));
            }
        }
    }
}

fn check_alternates(
    report: &mut Report,
    site: &Path,
    path: &Path,
    page: &PageFacts,
    pages: &HashMap<PathBuf, PageFacts>,
) {
    let name = rel(site, path);
    let canonical_target = page
        .canonical
        .as_deref()
        .and_then(|c| local_target(site, path, c))
        .map(|(t, _)| t);
    let is_translation = !page.noindex && canonical_target.as_deref().is_none_or(|t| t == path);
    let mut targets = Vec::new();
    for (lang, url) in &page.alternates {
        report.alternates += 1;
        let Some((target, _)) = local_target(site, path, url) else {
            report.fail(
                "hreflang",
                format!("{name}: alternate {lang} {url} is not a local URL"),
            );
            continue;
        };
        if !target.exists() {
            report.fail(
                "hreflang",
                format!("{name}: alternate {lang} {url} -> missing"),
            );
            continue;
        }
        targets.push((lang, target));
    }
    if !is_translation {
        return;
    }
    if !targets.is_empty() && !targets.iter().any(|(_, t)| t == path) {
        report.fail(
            "hreflang",
            format!("{name}: alternates do not include the page itself"),
        );
    }
    for (lang, target) in &targets {
        if *lang == "x-default" || target == path {
            continue;
        }
        let Some(other) = pages.get(target) else {
            continue;
        };
        let links_back = other
            .alternates
            .iter()
            .filter_map(|(_, u)| local_target(site, target, u))
            .any(|(t, _)| t == path);
        if !links_back {
            report.fail(
                "hreflang",
                format!("{name}: alternate {lang} does not link back"),
            );
        }
    }
}

fn check_sitemap(report: &mut Report, site: &Path, pages: &HashMap<PathBuf, PageFacts>) {
    let Ok(xml) = std::fs::read_to_string(site.join("sitemap.xml")) else {
        return;
    };
    let mut entries = Vec::new();
    if !xml.contains("<sitemapindex") {
        check_urlset(report, site, "sitemap.xml", &xml, pages);
        entries.extend(url_entries(&xml));
    } else {
        for url in locs(&xml) {
            let target = site_file(site, &url);
            match std::fs::read_to_string(&target) {
                Ok(child) if child.contains("<urlset") => {
                    check_urlset(report, site, &url, &child, pages);
                    entries.extend(url_entries(&child));
                }
                Ok(_) => report.fail("sitemap", format!("sitemap.xml: {url} -> not a urlset")),
                Err(_) => report.fail("sitemap", format!("sitemap.xml: {url} -> missing")),
            }
        }
    }
    check_sitemap_alternates(report, site, &entries);
}

/// Each sitemap `<url>`: its `<loc>` and its `xhtml:link` alternates
/// (hreflang, href), unescaped.
fn url_entries(xml: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    for block in xml.split("<url>").skip(1) {
        let block = block.split("</url>").next().unwrap_or(block);
        let Some(loc) = locs(block).into_iter().next() else {
            continue;
        };
        let alternates = block
            .split("<xhtml:link")
            .skip(1)
            .map(|link| (xml_attr(link, "hreflang"), xml_attr(link, "href")))
            .collect();
        out.push((loc, alternates));
    }
    out
}

/// The value of attribute `name` in the start of an XML tag, unescaped.
fn xml_attr(tag: &str, name: &str) -> String {
    let key = format!(" {name}=\"");
    tag.find(&key)
        .map(|i| &tag[i + key.len()..])
        .and_then(|rest| rest.split('"').next())
        .map(xml_unescape)
        .unwrap_or_default()
}

/// The sitemaps' alternates: each names a file of the site, each `<url>`
/// is among its own alternates, and each alternate listed in the sitemaps
/// lists the `<url>` back.
fn check_sitemap_alternates(
    report: &mut Report,
    site: &Path,
    entries: &[(String, Vec<(String, String)>)],
) {
    let by_loc: HashMap<&str, HashSet<&str>> = entries
        .iter()
        .map(|(loc, alts)| (loc.as_str(), alts.iter().map(|(_, h)| h.as_str()).collect()))
        .collect();
    for (loc, alts) in entries {
        for (lang, href) in alts {
            report.alternates += 1;
            if !site_file(site, href).exists() {
                report.fail(
                    "hreflang",
                    format!("sitemap {loc}: alternate {lang} {href} -> missing"),
                );
            }
            if href != loc
                && by_loc
                    .get(href.as_str())
                    .is_some_and(|back| !back.contains(loc.as_str()))
            {
                report.fail(
                    "hreflang",
                    format!("sitemap {loc}: alternate {lang} does not link back"),
                );
            }
        }
        if !alts.is_empty() && !alts.iter().any(|(_, h)| h == loc) {
            report.fail(
                "hreflang",
                format!("sitemap {loc}: alternates do not include the URL itself"),
            );
        }
    }
}

/// One `<urlset>` file named `name`: within the protocol's limits (50,000
/// URLs, 50 MiB), and every `<loc>` an indexable page of the site.
fn check_urlset(
    report: &mut Report,
    site: &Path,
    name: &str,
    xml: &str,
    pages: &HashMap<PathBuf, PageFacts>,
) {
    if xml.len() > 50 * 1024 * 1024 {
        report.fail(
            "sitemap",
            format!("{name}: {} bytes, over 50 MiB", xml.len()),
        );
    }
    let urls = locs(xml);
    if urls.len() > 50_000 {
        report.fail(
            "sitemap",
            format!("{name}: {} URLs, over 50,000", urls.len()),
        );
    }
    for url in urls {
        report.sitemap_urls += 1;
        let target = site_file(site, &url);
        if !target.exists() {
            report.fail("sitemap", format!("{url} -> missing"));
        } else if pages.get(&target).is_some_and(|p| p.noindex) {
            report.fail("sitemap", format!("{url} -> a noindex page"));
        }
    }
}

/// The `<loc>` values of a sitemap or sitemap index, unescaped.
fn locs(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find("<loc>") {
        let after = &rest[start + 5..];
        let end = after.find("</loc>").unwrap_or(after.len());
        out.push(xml_unescape(after[..end].trim()));
        rest = &after[end..];
    }
    out
}

/// The file of the site a sitemap URL names (a folder means its index).
fn site_file(site: &Path, url: &str) -> PathBuf {
    let path = strip_origin(url);
    let target = normalize(&site.join(percent_decode(path.trim_start_matches('/'))));
    if target.is_dir() {
        target.join("index.html")
    } else {
        target
    }
}

/// Parses one page and keeps only what the checks need.
fn facts(text: &str) -> PageFacts {
    let doc = Html::parse_document(text);
    let mut page = PageFacts {
        residue: RESIDUE.iter().any(|r| text.contains(r)),
        ..PageFacts::default()
    };
    let html = Selector::parse("html").expect("selector");
    if let Some(root) = doc.select(&html).next() {
        page.lang = root.attr("lang").map(str::to_string);
        page.dir = root.attr("dir").map(str::to_string);
    }
    let title = Selector::parse("title").expect("selector");
    if let Some(t) = doc.select(&title).next() {
        page.title = t.text().collect();
    }
    let all = Selector::parse("*").expect("selector");
    for el in doc.select(&all) {
        let v = el.value();
        let tag = v.name();
        if let Some(id) = v.attr("id").filter(|s| !s.is_empty()) {
            page.ids.insert(id.to_string());
        }
        if tag == "a" {
            if let Some(name) = v.attr("name").filter(|s| !s.is_empty()) {
                page.ids.insert(name.to_string());
            }
        }
        let rel_attr = v.attr("rel").unwrap_or("").to_ascii_lowercase();
        if tag == "link" && rel_attr == "alternate" {
            if let Some(lang) = v.attr("hreflang") {
                page.alternates
                    .push((lang.to_string(), v.attr("href").unwrap_or("").to_string()));
                continue;
            }
        }
        if tag == "link" && rel_attr == "canonical" {
            page.canonical = v.attr("href").map(str::to_string);
            continue;
        }
        if tag == "meta"
            && v.attr("name")
                .is_some_and(|n| n.eq_ignore_ascii_case("robots"))
            && v.attr("content")
                .is_some_and(|c| c.to_ascii_lowercase().contains("noindex"))
        {
            page.noindex = true;
        }
        if REF_TAGS.contains(&tag) {
            for attr in ["href", "src"] {
                if let Some(url) = v.attr(attr).filter(|u| !u.is_empty()) {
                    page.refs.push((tag.to_string(), url.to_string()));
                }
            }
        }
    }
    page.prose = prose(&doc);
    page
}

/// The text of the page outside code-like elements, chunks joined by spaces.
fn prose(doc: &Html) -> String {
    let mut out = String::new();
    for node in doc.tree.root().descendants() {
        let Node::Text(text) = node.value() else {
            continue;
        };
        let in_code = node
            .ancestors()
            .any(|a| ElementRef::wrap(a).is_some_and(|e| CODE_TAGS.contains(&e.value().name())));
        if !in_code {
            out.push_str(text);
            out.push(' ');
        }
    }
    out
}

/// A leaked Markdown link in `text` (`](http…)`, `](/…)`, `](./…)`, `](x.md)`),
/// as sitecheck.py's `\]\((?:https?://|/|\.\.?/|[\w-]+\.md)[^)\s]*\)`.
fn markdown_link(text: &str) -> Option<String> {
    for (i, _) in text.match_indices("](") {
        let rest = &text[i + 2..];
        let head_ok = ["http://", "https://", "/", "./", "../"]
            .iter()
            .any(|p| rest.starts_with(p))
            || {
                let word: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                    .collect();
                !word.is_empty() && rest[word.len()..].starts_with(".md")
            };
        if !head_ok {
            continue;
        }
        let tail: String = rest
            .chars()
            .take_while(|c| *c != ')' && !c.is_whitespace())
            .collect();
        if rest[tail.len()..].starts_with(')') {
            let start = text[..i].char_indices().rev().nth(30).map_or(0, |(j, _)| j);
            let end = i + 2 + tail.len() + 1;
            return Some(text[start..end].to_string());
        }
    }
    None
}

/// Where a URL of page `page` leads inside the site: (file, decoded
/// fragment), or None for an external URL.
pub fn local_target(site: &Path, page: &Path, url: &str) -> Option<(PathBuf, Option<String>)> {
    if has_scheme(url) || url.starts_with("//") {
        return None;
    }
    let (rest, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, (!f.is_empty()).then(|| percent_decode(f))),
        None => (url, None),
    };
    let path = rest.split_once('?').map_or(rest, |(p, _)| p);
    if path.is_empty() {
        return Some((page.to_path_buf(), fragment));
    }
    let decoded = percent_decode(path);
    let joined = match decoded.strip_prefix('/') {
        Some(from_root) => site.join(from_root),
        None => page.parent().unwrap_or(site).join(&decoded),
    };
    let mut target = normalize(&joined);
    if target.is_dir() {
        target = target.join("index.html");
    }
    Some((target, fragment))
}

fn has_scheme(url: &str) -> bool {
    let Some(i) = url.find(':') else {
        return false;
    };
    let scheme = &url[..i];
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

/// `https://host/a/b` → `/a/b`; a path stays as it is.
fn strip_origin(url: &str) -> &str {
    match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => url,
    }
}

/// Resolves `.` and `..` without touching the disk.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            let hex = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
            out.push(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn xml_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn rel(site: &Path, path: &Path) -> String {
    path.strip_prefix(site)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}
