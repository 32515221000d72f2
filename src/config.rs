//! `book.toml`: the raw file as written, and the validated [`Config`].
//!
//! The only module that reads TOML. Every section and key is documented here and
//! in README.md; an unknown key is an error that names the key, the file, and the
//! line and column. Every key has a default, so an empty file, or none, works.

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `book.toml` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawConfig {
    pub book: BookSection,
    pub build: BuildSection,
    /// `[languages.<tag>]`: per-language overrides.
    pub languages: BTreeMap<String, LanguageSection>,
    pub output: OutputSection,
    pub check: CheckSection,
}

/// `[book]`
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct BookSection {
    /// The site's title, shown on the root page and in every page title.
    pub title: String,
    /// The language the articles were translated from (BCP 47).
    pub source_language: String,
    /// A one-line description for the root page.
    pub description: Option<String>,
}

impl Default for BookSection {
    fn default() -> Self {
        BookSection {
            title: "Help".into(),
            source_language: "en-US".into(),
            description: None,
        }
    }
}

/// `[build]`
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct BuildSection {
    /// Folder of locale folders, relative to the project root.
    pub content_dir: PathBuf,
    /// Where `build` writes the site, relative to the project root.
    pub build_dir: PathBuf,
    /// Theme name: `themes/<name>` in the project, else the built-in default.
    pub theme: String,
}

impl Default for BuildSection {
    fn default() -> Self {
        BuildSection {
            content_dir: "content".into(),
            build_dir: "site".into(),
            theme: "default".into(),
        }
    }
}

/// `[languages.<tag>]`
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct LanguageSection {
    /// The language's name in itself (autonym), e.g. "中文 (简体)".
    pub name: Option<String>,
    /// A site title in this language.
    pub title: Option<String>,
    /// Text direction, `ltr` or `rtl`; derived from the tag when absent.
    pub dir: Option<String>,
}

/// `[output]`
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct OutputSection {
    pub html: HtmlSection,
}

/// `[output.html]`
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct HtmlSection {
    /// Absolute URL the site is published at; used for canonical URLs and the sitemap.
    pub site_url: Option<String>,
    /// Prefix for root-relative links (`/a/b`); `{locale}` is replaced by the page's locale.
    pub link_base: Option<String>,
    /// Hosts whose videos `> [!VIDEO url]` embeds; other hosts get a plain link.
    pub video_hosts: Vec<String>,
    /// Write the translation status page (`status.html`).
    pub status_page: bool,
    /// `[output.html.search]`: the search index and box.
    pub search: SearchSection,
    /// A link from each translated page to its file in the repository's
    /// editor: `{path}` is the file's path in the content folder
    /// (`zh-CN/a/b.md`), `{locale}` its locale folder, `{article}` its path
    /// inside it (`a/b.md`).
    pub edit_url: Option<String>,
    /// The custom domain GitHub Pages serves the site at, written to a
    /// `CNAME` file at the site's root (as mdBook's option of that name):
    /// a site published from a branch loses its domain without it.
    pub cname: Option<String>,
}

/// `[output.html.search]`
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct SearchSection {
    /// Build a search index per language and put a search box on every page
    /// (`--no-search` turns it off for one build).
    pub enabled: bool,
}

impl Default for SearchSection {
    fn default() -> Self {
        SearchSection { enabled: true }
    }
}

impl Default for HtmlSection {
    fn default() -> Self {
        HtmlSection {
            site_url: None,
            link_base: None,
            video_hosts: vec!["www.microsoft.com".into(), "www.youtube.com".into()],
            status_page: true,
            search: SearchSection::default(),
            edit_url: None,
            cname: None,
        }
    }
}

/// Whether `name` is a domain name as DNS writes it: dot-separated labels
/// of ASCII letters, digits and inner hyphens, 63 bytes each, 253 in all.
fn is_host_name(name: &str) -> bool {
    name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// The `edit-url` template with its placeholders filled in for the file
/// `article` of locale folder `locale` (percent-encoded as URL paths).
pub fn edit_url(template: &str, locale: &str, article: &str) -> String {
    use crate::url::encode_path;
    template
        .replace("{path}", &encode_path(&format!("{locale}/{article}")))
        .replace("{locale}", &encode_path(locale))
        .replace("{article}", &encode_path(article))
}

/// `[check]`
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct CheckSection {
    /// Lints (or groups such as `sxs`) raised to error level.
    pub deny: Vec<String>,
    /// Lints (or groups) lowered to warning level.
    pub warn: Vec<String>,
    /// Lints (or groups) not reported.
    pub allow: Vec<String>,
    /// Terms that are the same in every language; a segment that is only these
    /// terms is not reported as untranslated.
    pub do_not_translate: Vec<String>,
}

/// The validated configuration, with resolved paths.
#[derive(Debug, Clone)]
pub struct Config {
    /// The project root (where `book.toml` is or would be).
    pub root: PathBuf,
    /// `book.toml`, if there is one.
    pub file: Option<PathBuf>,
    pub title: String,
    pub description: Option<String>,
    pub source_language: String,
    pub content_dir: PathBuf,
    pub build_dir: PathBuf,
    pub theme: String,
    pub languages: BTreeMap<String, LanguageSection>,
    pub html: HtmlSection,
    pub check: CheckSection,
}

impl Config {
    /// Reads the configuration for project folder `dir`.
    ///
    /// `dir` is a project root (with `book.toml` or `content/`), or a folder
    /// that directly holds locale folders, in which case it is its own content
    /// folder.
    pub fn load(dir: &Path) -> Result<Config> {
        if !dir.is_dir() {
            bail!("{}: not a folder", dir.display());
        }
        let file = dir.join("book.toml");
        let (raw, file) = if file.is_file() {
            let text = crate::fs::read_to_string(&file)?;
            (parse(&text, &file)?, Some(file))
        } else {
            (RawConfig::default(), None)
        };
        let content_dir = if file.is_none() && !dir.join(&raw.build.content_dir).is_dir() {
            dir.to_path_buf()
        } else {
            dir.join(&raw.build.content_dir)
        };
        Config::validate(raw, dir, file, content_dir)
    }

    /// [`Config::load`], with the content folder `content` when given
    /// (`--content`), overriding `build.content-dir`.
    pub fn load_with(dir: &Path, content: Option<&Path>) -> Result<Config> {
        let mut config = Config::load(dir)?;
        if let Some(content) = content {
            config.content_dir = content.to_path_buf();
        }
        Ok(config)
    }

    /// The documented defaults for a project at `root`, as if it had no
    /// `book.toml` (for tests and in-memory runs).
    pub fn defaults(root: &Path) -> Config {
        Config::validate(RawConfig::default(), root, None, root.join("content"))
            .expect("the defaults are valid")
    }

    fn validate(
        raw: RawConfig,
        root: &Path,
        file: Option<PathBuf>,
        content_dir: PathBuf,
    ) -> Result<Config> {
        let where_ = file
            .as_deref()
            .map_or_else(|| "defaults".to_string(), |f| f.display().to_string());
        if !crate::locale::is_locale_tag(&raw.book.source_language) {
            bail!(
                "{where_}: book.source-language `{}` is not a BCP 47 language tag",
                raw.book.source_language
            );
        }
        for (tag, lang) in &raw.languages {
            if !crate::locale::is_locale_tag(tag) {
                bail!("{where_}: [languages.{tag}]: `{tag}` is not a BCP 47 language tag");
            }
            if let Some(dir) = &lang.dir {
                if dir != "ltr" && dir != "rtl" {
                    bail!(
                        "{where_}: [languages.{tag}] dir must be \"ltr\" or \"rtl\", not \"{dir}\""
                    );
                }
            }
        }
        if let Err(message) = raw.check.validate() {
            bail!("{where_}: {message}");
        }
        let mut html = raw.output.html;
        if let Some(site) = &html.site_url {
            match crate::url::site_url(site) {
                Ok(site) => html.site_url = Some(site),
                Err(why) => bail!("{where_}: [output.html] site-url: {why}"),
            }
        }
        if let Some(base) = &html.link_base {
            // `{locale}` stands for a lower-case tag.
            if let Err(why) = crate::url::site_url(&base.replace("{locale}", "en-us")) {
                bail!("{where_}: [output.html] link-base: {why}");
            }
        }
        if let Some(edit) = &html.edit_url {
            let sample = edit_url(edit, "zh-CN", "a/b.md");
            if let Err(why) = crate::url::site_url(&sample) {
                bail!("{where_}: [output.html] edit-url: {why}");
            }
        }
        if let Some(name) = &html.cname {
            if !is_host_name(name) {
                bail!(
                    "{where_}: [output.html] cname: `{name}` is not a domain name \
                     (letters, digits, hyphens and dots, as `help.example.com`: \
                     no scheme, port or path)"
                );
            }
        }
        Ok(Config {
            root: root.to_path_buf(),
            file,
            title: raw.book.title,
            description: raw.book.description,
            source_language: raw.book.source_language,
            content_dir,
            build_dir: root.join(raw.build.build_dir),
            theme: raw.build.theme,
            languages: raw.languages,
            html,
            check: raw.check,
        })
    }

    /// The configured settings of language `tag`, matched case-insensitively.
    pub fn language(&self, tag: &str) -> Option<&LanguageSection> {
        self.languages
            .iter()
            .find(|(t, _)| t.eq_ignore_ascii_case(tag))
            .map(|(_, l)| l)
    }
}

impl CheckSection {
    /// Checks every name of `[check] deny/warn/allow`: each must be a known lint
    /// or group, and appear in one list only. The error names the key.
    pub fn validate(&self) -> Result<(), String> {
        let lists = [
            ("deny", &self.deny),
            ("warn", &self.warn),
            ("allow", &self.allow),
        ];
        let mut seen: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
        for (key, names) in lists {
            for name in names {
                if !crate::diag::is_lint_or_group(name) {
                    return Err(format!(
                        "[check] {key}: `{name}` is not a lint or a group of lints \
                         (groups: {}; lints are listed in docs/check.md)",
                        crate::diag::lint_groups().join(", ")
                    ));
                }
                if let Some(other) = seen.insert(name, key) {
                    return Err(format!(
                        "[check] {key}: `{name}` is also in [check] {other}; name it in one list"
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Parses `book.toml` text; errors name the file, line and column.
pub fn parse(text: &str, file: &Path) -> Result<RawConfig> {
    toml::from_str(text)
        .map_err(|e| {
            let place = e
                .span()
                .map(|s| {
                    let p = crate::diag::LineIndex::new(text).pos(s.start);
                    format!(":{}:{}", p.line, p.column)
                })
                .unwrap_or_default();
            anyhow::anyhow!("{}{place}: {}", file.display(), e.message())
        })
        .with_context(|| format!("could not read the configuration {}", file.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_and_repeated_lint_names() {
        let section = |deny: &[&str], warn: &[&str], allow: &[&str]| {
            let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect();
            CheckSection {
                deny: v(deny),
                warn: v(warn),
                allow: v(allow),
                do_not_translate: Vec::new(),
            }
        };
        assert!(section(&["sxs", "markup::emphasis"], &[], &[])
            .validate()
            .is_ok());
        let err = section(&[], &["markup::emphassis"], &[])
            .validate()
            .expect_err("invalid");
        assert!(err.contains("[check] warn: `markup::emphassis`"), "{err}");
        let err = section(&["sxs"], &[], &["sxs"])
            .validate()
            .expect_err("invalid");
        assert!(err.contains("also in [check] deny"), "{err}");
    }

    #[test]
    fn empty_file_has_defaults() {
        let raw = parse("", Path::new("book.toml")).expect("empty is valid");
        assert_eq!(raw.book.source_language, "en-US");
        assert_eq!(raw.build.content_dir, PathBuf::from("content"));
        assert!(raw.output.html.status_page);
        assert!(raw.output.html.search.enabled);
    }

    #[test]
    fn search_can_be_turned_off_and_its_keys_are_checked() {
        let raw = parse(
            "[output.html.search]\nenabled = false\n",
            Path::new("book.toml"),
        )
        .expect("valid");
        assert!(!raw.output.html.search.enabled);
        let err = parse(
            "[output.html.search]\nenable = false\n",
            Path::new("book.toml"),
        )
        .expect_err("unknown key");
        let msg = format!("{err:#}");
        assert!(msg.contains("book.toml:2:1"), "{msg}");
        assert!(msg.contains("enable"), "{msg}");
    }

    #[test]
    fn unknown_key_names_key_file_and_place() {
        let err = parse(
            "[book]\ntitle = \"x\"\ntitel = \"y\"\n",
            Path::new("dir/book.toml"),
        )
        .expect_err("unknown key");
        let msg = format!("{err:#}");
        assert!(msg.contains("dir/book.toml:3:1"), "{msg}");
        assert!(msg.contains("titel"), "{msg}");
    }

    #[test]
    fn languages_and_check() {
        let raw = parse(
            "[languages.zh-CN]\nname = \"中文\"\n[check]\ndo-not-translate = [\"SSPR\"]\n",
            Path::new("book.toml"),
        )
        .expect("valid");
        assert_eq!(raw.languages["zh-CN"].name.as_deref(), Some("中文"));
        assert_eq!(raw.check.do_not_translate, ["SSPR"]);
    }

    #[test]
    fn a_cname_is_a_domain_name() {
        for good in ["help.example.com", "docs-1.example.co.uk", "localhost"] {
            assert!(is_host_name(good), "{good}");
        }
        for bad in [
            "",
            "https://help.example.com",
            "help.example.com/docs",
            "help.example.com:8080",
            "-a.example.com",
            "a..b",
            "help example.com",
            "hélp.example.com",
        ] {
            assert!(!is_host_name(bad), "{bad}");
        }
    }

    #[test]
    fn edit_url_fills_its_placeholders_encoded() {
        let t = "https://github.com/o/r/edit/main/content/{path}?l={locale}&a={article}";
        assert_eq!(
            edit_url(t, "zh-CN", "a b/c.md"),
            "https://github.com/o/r/edit/main/content/zh-CN/a%20b/c.md?l=zh-CN&a=a%20b/c.md"
        );
    }

    #[test]
    fn an_edit_url_that_is_not_a_url_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("content")).expect("content");
        std::fs::write(
            dir.path().join("book.toml"),
            "[output.html]\nedit-url = \"not a url {path}\"\n",
        )
        .expect("write");
        let err = Config::load_with(dir.path(), None).expect_err("refused");
        assert!(format!("{err:#}").contains("edit-url"), "{err:#}");
    }
}
