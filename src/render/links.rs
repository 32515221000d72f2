//! Where links and images in an article go.
//!
//! - `x.md` (relative to the article's folder) → the page of that article in
//!   the same language, as a relative URL so the site also works from disk;
//! - `#fragment` → unchanged (fragments are checked after rendering);
//! - `/a/b` (root-relative) → joined to `link-base` with `{locale}` filled in;
//!   without a `link-base` the link is dropped (its text kept) and reported;
//! - `media/x.png` → the shared, content-addressed copy of that file;
//! - an absolute address → as [`crate::url::classify`] reads it, if its
//!   scheme is allowed for a link or an image; else dropped and reported.
//!
//! A link that climbs out of the locale folder or names a missing article is
//! dropped, its text kept, and reported. Page URLs made from article paths
//! are percent-encoded by [`crate::url::encode_path`].

use crate::diag::{lint, Lint, Pos};
use crate::url::{self, Address, Use};
use std::collections::HashSet;
use std::sync::Mutex;

/// What became of one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Url(String),
    Drop(Problem),
    /// Dropped with no finding here: the file it names was refused, and
    /// that finding, at the file, says why (an SVG that could run script).
    Refused,
}

/// What a path names among the media files.
pub enum MediaFile {
    /// Published, at this site path.
    At(String),
    /// Found but not published (see [`Target::Refused`]).
    Refused,
    Missing,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub lint: Lint,
    pub message: String,
}

/// Resolves the URLs of one page. `at`: where the link stands in the file,
/// when it is a link of the page's own text (None for a sentence rendered
/// on its own, whose links are the page's links again).
pub trait Resolver: Sync {
    fn link(&self, url: &str, at: Option<Pos>) -> Target;
    fn image(&self, url: &str) -> Target;
}

/// A link from one page to an article page with a fragment, to be checked
/// once every page's ids are known.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FragmentRef {
    /// Article path of the target (`a/b.md`).
    pub article: String,
    pub fragment: String,
}

/// The resolver of one page of the built site.
pub struct SiteLinks<'a> {
    /// The page's locale tag, for `{locale}` in `link-base`.
    pub locale: &'a str,
    /// The page's article path (`a/b.md`).
    pub article: &'a str,
    /// Whether an article path has a page in this language's site.
    pub exists: &'a (dyn Fn(&str) -> bool + Sync),
    /// The site-root-relative output path of a content file (`media/x.png`),
    /// given its path relative to the locale folder.
    pub media: &'a (dyn Fn(&str) -> MediaFile + Sync),
    pub link_base: Option<&'a str>,
    /// `article#fragment` links known to be broken: the fragment is dropped.
    pub bad_fragments: &'a HashSet<FragmentRef>,
    /// Fragment links made by this page and where they stand (filled while
    /// rendering).
    pub fragments: Mutex<Vec<(FragmentRef, Pos)>>,
}

impl SiteLinks<'_> {
    /// `../` repeated to climb from this page's folder to the site root
    /// (the page is at `<locale>/<article path>`).
    fn to_root(&self) -> String {
        "../".repeat(self.article.matches('/').count() + 1)
    }

    fn relative(&self, url: &str, image: bool, at: Option<Pos>) -> Target {
        let (path, fragment) = match url.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (url, None),
        };
        let path = path.split_once('?').map_or(path, |(p, _)| p);
        let path = url::decode(path);
        let Some(resolved) = join(self.article, &path) else {
            return Target::Drop(Problem {
                lint: lint::LINK_OUTSIDE,
                message: format!("`{url}` climbs out of the locale folder; the link is dropped"),
            });
        };
        if !image && resolved.ends_with(".md") {
            if !(self.exists)(&resolved) {
                return Target::Drop(Problem {
                    lint: lint::LINK_BROKEN,
                    message: format!("`{url}` names no article in this language or the English; the link is dropped"),
                });
            }
            let mut out = format!("{}{}", self.to_root_from_locale(), page_url(&resolved));
            if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                let r = FragmentRef {
                    article: resolved,
                    fragment: url::decode(f),
                };
                if !self.bad_fragments.contains(&r) {
                    out.push('#');
                    out.push_str(f);
                    self.record(r, at);
                }
            }
            return Target::Url(out);
        }
        match (self.media)(&resolved) {
            MediaFile::At(out) => Target::Url(format!("{}{}", self.to_root(), out)),
            MediaFile::Refused => Target::Refused,
            MediaFile::Missing => Target::Drop(Problem {
                lint: lint::LINK_BROKEN,
                message: format!("`{url}` names no file in this locale folder or the English"),
            }),
        }
    }

    /// Notes a fragment link of the page's own text, to be checked.
    fn record(&self, r: FragmentRef, at: Option<Pos>) {
        if let (Some(at), Ok(mut v)) = (at, self.fragments.lock()) {
            v.push((r, at));
        }
    }

    /// From this page's folder to its locale folder.
    fn to_root_from_locale(&self) -> String {
        "../".repeat(self.article.matches('/').count())
    }
}

impl Resolver for SiteLinks<'_> {
    fn link(&self, raw: &str, at: Option<Pos>) -> Target {
        let url = match url::classify(raw, Use::Link) {
            Address::Fragment => raw.trim().to_string(),
            Address::Absolute(url) => return Target::Url(url),
            Address::Refused(why) => return refused(raw, &why),
            Address::Relative(url) => url,
        };
        if url.is_empty() {
            return Target::Url(url);
        }
        if let Some(fragment) = url.strip_prefix('#') {
            let r = FragmentRef {
                article: self.article.to_string(),
                fragment: url::decode(fragment),
            };
            if self.bad_fragments.contains(&r) {
                return Target::Url(String::new());
            }
            self.record(r, at);
            return Target::Url(url);
        }
        if url.starts_with('/') {
            return match self.link_base {
                Some(base) => {
                    let base = base.replace("{locale}", &self.locale.to_ascii_lowercase());
                    let joined = format!("{}{}", base.trim_end_matches('/'), url);
                    match url::classify(&joined, Use::Link) {
                        Address::Absolute(u) => Target::Url(u),
                        Address::Refused(why) => refused(&joined, &why),
                        _ => refused(&joined, "not an absolute address"),
                    }
                }
                None => Target::Drop(Problem {
                    lint: lint::LINK_ROOT_RELATIVE,
                    message: format!(
                        "root-relative link `{url}` cannot be resolved without [output.html] link-base; the link is dropped"
                    ),
                }),
            };
        }
        self.relative(&url, false, at)
    }

    fn image(&self, raw: &str) -> Target {
        match url::classify(raw, Use::Image) {
            Address::Absolute(url) => Target::Url(url),
            Address::Refused(why) => refused(raw, &why),
            Address::Relative(url) if url.starts_with('/') => self.link(&url, None),
            Address::Relative(url) => self.relative(&url, true, None),
            Address::Fragment => Target::Drop(Problem {
                lint: lint::LINK_BROKEN,
                message: "an image with no address".into(),
            }),
        }
    }
}

/// A link or image whose address may not reach a page.
fn refused(raw: &str, why: &str) -> Target {
    Target::Drop(Problem {
        lint: lint::LINK_REFUSED,
        message: format!(
            "`{}`: {why}; the link is dropped, its text kept",
            raw.trim().escape_debug()
        ),
    })
}

/// The longest file name the site writes, in bytes: 255, the limit of
/// common file systems, less room for `.NAME.tmp-PID`, the temporary file
/// `serve` writes beside a page.
pub const MAX_FILE_NAME: usize = 255 - 16;

/// The longest suffix an article's files add to its page stem.
const LONGEST_SUFFIX: &str = ".sxs.html";

/// The page of an article path without `.html`: the path less `.md`, except
/// that the names the site gives its own pages at a locale's top (`index`,
/// `404`) become `index-article` and `404-article`. A name too long for a
/// file system once a suffix is added is shortened (see [`fit`]).
fn page_stem(article: &str) -> String {
    let stem = article.strip_suffix(".md").unwrap_or(article);
    let stem = match stem {
        "index" | "404" => format!("{stem}-article"),
        _ => stem.to_string(),
    };
    if !is_too_long(&stem) {
        return stem;
    }
    let last = stem.matches('/').count();
    let parts: Vec<String> = stem
        .split('/')
        .enumerate()
        .map(|(i, part)| {
            let room = if i == last {
                MAX_FILE_NAME - LONGEST_SUFFIX.len()
            } else {
                MAX_FILE_NAME
            };
            fit(part, room)
        })
        .collect();
    parts.join("/")
}

/// Whether a file or folder name of page stem `stem` passes [`MAX_FILE_NAME`].
fn is_too_long(stem: &str) -> bool {
    let (folders, name) = stem.rsplit_once('/').unwrap_or(("", stem));
    name.len() + LONGEST_SUFFIX.len() > MAX_FILE_NAME
        || folders.split('/').any(|f| f.len() > MAX_FILE_NAME)
}

/// `name` if it has at most `room` bytes; else as much of its start as fits
/// (cut between characters), `-` and 16 hex digits of a hash of the whole
/// name: `room` bytes at most, the same on every run, and different for
/// names that start alike.
fn fit(name: &str, room: usize) -> String {
    if name.len() <= room {
        return name.to_string();
    }
    let hash = blake3::hash(name.as_bytes()).to_hex();
    let mut cut = room - 17;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}-{}", &name[..cut], &hash.as_str()[..16])
}

/// Whether the files of an article have shortened names (a name of its path
/// is too long for a file system once `.sxs.html` is added).
pub fn is_shortened(article: &str) -> bool {
    let stem = article.strip_suffix(".md").unwrap_or(article);
    is_too_long(stem)
}

/// The page URL of an article path, relative to its locale folder, each
/// segment percent-encoded (`a b/c:d.md` → `a%20b/c%3Ad.html`).
pub fn page_url(article: &str) -> String {
    let mut out = url::encode_path(&page_stem(article));
    out.push_str(".html");
    out
}

/// The output file of an article path, relative to its locale folder
/// (`a b/c.md` → `a b/c.html`; [`page_url`] is its URL form).
pub fn page_file(article: &str) -> String {
    format!("{}.html", page_stem(article))
}

/// Every file the site may write for an article, relative to its locale
/// folder: the page, the side-by-side page and the English for Show English.
pub fn output_names(article: &str) -> [String; 3] {
    let stem = page_stem(article);
    [
        format!("{stem}.html"),
        format!("{stem}.sxs.html"),
        format!("{stem}.en.js"),
    ]
}

/// Joins a relative path to the folder of `from` (both `/`-separated,
/// relative to the locale folder). None if it climbs out.
pub fn join(from: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in rel.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links<'a>(
        bad: &'a HashSet<FragmentRef>,
        exists: &'a (dyn Fn(&str) -> bool + Sync),
        media: &'a (dyn Fn(&str) -> MediaFile + Sync),
        base: Option<&'a str>,
    ) -> SiteLinks<'a> {
        SiteLinks {
            locale: "zh-CN",
            article: "dir/page.md",
            exists,
            media,
            link_base: base,
            bad_fragments: bad,
            fragments: Mutex::new(Vec::new()),
        }
    }

    #[test]
    fn resolves() {
        let bad = HashSet::new();
        let exists = |p: &str| p == "other.md" || p == "dir/near.md";
        let media = |p: &str| match p {
            "dir/media/a.png" => MediaFile::At("media/abc-a.png".to_string()),
            "dir/media/bad.svg" => MediaFile::Refused,
            _ => MediaFile::Missing,
        };
        let l = links(
            &bad,
            &exists,
            &media,
            Some("https://learn.example.com/{locale}"),
        );
        assert_eq!(
            l.link("../other.md#x", None),
            Target::Url("../other.html#x".into())
        );
        assert_eq!(
            l.link("near.md", None),
            Target::Url("../dir/near.html".into())
        );
        assert_eq!(
            l.link("https://a.b/c", None),
            Target::Url("https://a.b/c".into())
        );
        assert_eq!(
            l.link("/a/b", None),
            Target::Url("https://learn.example.com/zh-cn/a/b".into())
        );
        assert_eq!(
            l.image("media/a.png"),
            Target::Url("../../media/abc-a.png".into())
        );
        assert!(matches!(l.link("missing.md", None), Target::Drop(_)));
        // A refused file's own finding says why; its links say nothing more.
        assert_eq!(l.image("media/bad.svg"), Target::Refused);
        assert_eq!(l.link("media/bad.svg", None), Target::Refused);
        assert!(
            matches!(l.image("media/gone.svg"), Target::Drop(p) if p.lint == lint::LINK_BROKEN)
        );
        assert!(matches!(
            l.link("../../../etc/passwd", None),
            Target::Drop(_)
        ));
        let none = links(&bad, &exists, &media, None);
        assert!(
            matches!(none.link("/a/b", None), Target::Drop(p) if p.lint == lint::LINK_ROOT_RELATIVE)
        );
    }

    #[test]
    fn names_too_long_for_a_file_system_are_shortened() {
        // 247 + `.sxs.html` is 256 bytes: one more than file systems allow.
        let long = format!("dir/{}.md", "x".repeat(247));
        assert!(is_shortened(&long));
        let names = output_names(&long);
        for name in &names {
            let file = name.rsplit('/').next().unwrap_or(name);
            assert!(file.len() <= MAX_FILE_NAME, "{} bytes: {file}", file.len());
            assert!(name.starts_with("dir/xxxx"), "{name}");
        }
        assert_eq!(names[0], page_file(&long));
        assert_eq!(page_url(&long), names[0]);
        // Deterministic, and names that start alike stay apart.
        assert_eq!(page_file(&long), output_names(&long)[0]);
        let other = format!("dir/{}y.md", "x".repeat(247));
        assert_ne!(page_file(&long), page_file(&other));
        // Cut between characters: 83 three-byte characters.
        let cjk = format!("{}.md", "密".repeat(83));
        assert!(is_shortened(&cjk));
        let file = page_file(&cjk);
        assert!(file.len() <= MAX_FILE_NAME - ".sxs.html".len() + ".html".len());
        assert!(file.starts_with("密密"), "{file}");
        // The longest name that fits is kept as it is.
        let fits = format!("{}.md", "x".repeat(MAX_FILE_NAME - ".sxs.html".len()));
        assert!(!is_shortened(&fits));
        assert_eq!(page_file(&fits), format!("{}.html", "x".repeat(230)));
    }

    #[test]
    fn urls() {
        assert_eq!(page_url("a b/c#d.md"), "a%20b/c%23d.html");
        assert_eq!(page_file("index.md"), "index-article.html");
        assert_eq!(page_url("404.md"), "404-article.html");
        assert_eq!(page_file("sub/index.md"), "sub/index.html");
        assert!(!is_shortened("sub/index.md"));
        assert_eq!(join("a/b.md", "../c.md").as_deref(), Some("c.md"));
        assert_eq!(join("b.md", "../c.md"), None);
        assert_eq!(url::decode("a%20b%zz"), "a b%zz");
        // Regression: `%` before a multi-byte character panicked (a slice
        // that ended inside the character).
        assert_eq!(url::decode("%a密.md"), "%a密.md");
        assert_eq!(url::decode("%e5%af%86%"), "密%");
        assert_eq!(
            page_url("javascript:alert(1).md"),
            "javascript%3Aalert(1).html"
        );
    }
}
