//! The theme: Tera templates, static assets and UI strings per language.
//!
//! The only module that uses Tera. The default theme (`themes/default` in this
//! repository) is compiled into the binary, so `helpbook build` works on any
//! folder. A project's `themes/<name>/` overrides it file by file: a template,
//! a static file or a language's strings of the same name win.
//!
//! Templates receive the view structs of [`crate::view`] (documented in
//! `docs/theme.md`); article HTML is inserted with `| safe` after sanitising,
//! and values from content are escaped by Tera's HTML autoescape, so template
//! syntax inside content is text, never evaluated.
//!
//! A page rendered by Tera has a budget ([`Budget`]): its output may not pass
//! [`MAX_PAGE_BYTES`] (more for pages with long articles) nor take longer
//! than [`MAX_PAGE_TIME`]. Tera has no budget of its own and a render cannot
//! be stopped from outside, so the budget is checked where the template
//! writes; work that writes nothing is not bounded (`docs/theme.md`).

mod compiled;

use anyhow::{bail, Context as _, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Bytes one page rendered by Tera may have, beyond eight times what its
/// article and side-by-side rows bring (the default theme writes about 10 kB
/// around them).
pub const MAX_PAGE_BYTES: usize = 16 << 20;

/// Time one page rendered by Tera may take (the default theme's pages take
/// well under a millisecond).
pub const MAX_PAGE_TIME: Duration = Duration::from_secs(5);

/// A file of the built-in default theme: (its path relative to the theme,
/// its contents), the path written once.
macro_rules! default_file {
    ($path:literal) => {
        ($path, include_str!(concat!("../../themes/default/", $path)))
    };
}

/// Files of the built-in default theme: (path relative to the theme, contents).
const DEFAULT: &[(&str, &str)] = &[
    default_file!("templates/base.html"),
    default_file!("templates/article.html"),
    default_file!("templates/index.html"),
    default_file!("templates/root.html"),
    default_file!("templates/languages.html"),
    default_file!("templates/404.html"),
    default_file!("templates/status.html"),
    default_file!("templates/sxs.html"),
    default_file!("static/style.css"),
    default_file!("static/helpbook.js"),
    default_file!("i18n/en.toml"),
    default_file!("i18n/zh-Hans.toml"),
    default_file!("i18n/zh-Hant.toml"),
    default_file!("i18n/ja.toml"),
    default_file!("i18n/ko.toml"),
    default_file!("i18n/sv.toml"),
    default_file!("i18n/et.toml"),
    default_file!("i18n/ro.toml"),
    default_file!("i18n/de.toml"),
    default_file!("i18n/fr.toml"),
    default_file!("i18n/es.toml"),
    default_file!("i18n/ar.toml"),
    default_file!("i18n/he.toml"),
    default_file!("i18n/pt.toml"),
    default_file!("i18n/it.toml"),
    default_file!("i18n/nl.toml"),
    default_file!("i18n/pl.toml"),
    default_file!("i18n/ru.toml"),
    default_file!("i18n/tr.toml"),
    default_file!("i18n/da.toml"),
    default_file!("i18n/nb.toml"),
    default_file!("i18n/cs.toml"),
    default_file!("i18n/uk.toml"),
    default_file!("i18n/id.toml"),
    default_file!("i18n/vi.toml"),
    default_file!("i18n/bg.toml"),
    default_file!("i18n/el.toml"),
    default_file!("i18n/fi.toml"),
    default_file!("i18n/hr.toml"),
    default_file!("i18n/hu.toml"),
    default_file!("i18n/lt.toml"),
    default_file!("i18n/lv.toml"),
    default_file!("i18n/sk.toml"),
    default_file!("i18n/sl.toml"),
    default_file!("i18n/th.toml"),
    default_file!("i18n/sr-Latn.toml"),
    default_file!("i18n/sr-Cyrl.toml"),
];

pub use crate::view::{Strings, Ui};

/// A static file of the theme, named by its content hash.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Output path relative to the site root (`static/style.1a2b3c4d.css`).
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A loaded theme.
pub struct Theme {
    tera: tera::Tera,
    /// The templates of [`compiled::NEEDS`] are the built-in ones, so
    /// article and side-by-side pages are written by [`compiled`], not Tera.
    compiled: bool,
    strings: BTreeMap<String, Strings>,
    pub assets: Vec<Asset>,
    /// Each language's strings as a Tera value, made once per table: the
    /// table is held weakly, so an entry is only ever found for the very
    /// table it was made from.
    t_values: std::sync::Mutex<Vec<(std::sync::Weak<Strings>, tera::Value)>>,
}

impl Theme {
    /// The default theme, overridden by `<root>/themes/<name>/` where present.
    pub fn load(root: &Path, name: &str) -> Result<Theme> {
        let dir = root.join("themes").join(name);
        if name != "default" && !dir.is_dir() {
            bail!(
                "theme `{name}` not found: there is no folder {}",
                dir.display()
            );
        }
        let mut files: BTreeMap<String, (String, Option<PathBuf>)> = DEFAULT
            .iter()
            .map(|(p, c)| (p.to_string(), (c.to_string(), None)))
            .collect();
        if dir.is_dir() {
            // Symbolic links are followed only while they stay inside the
            // theme folder: a theme never publishes a file from elsewhere.
            let jail = crate::fs::Jail::new(&dir)?;
            for entry in walkdir::WalkDir::new(&dir)
                .follow_links(true)
                .sort_by_file_name()
            {
                let entry =
                    entry.with_context(|| format!("could not read the theme {}", dir.display()))?;
                if entry.path_is_symlink() && !jail.contains(entry.path()) {
                    bail!(
                        "{}: this symbolic link leads out of the theme folder {}; helpbook does \
                         not read it (copy the file into the theme instead)",
                        entry.path().display(),
                        dir.display()
                    );
                }
                if !entry.file_type().is_file() {
                    continue;
                }
                let Ok(rel) = entry.path().strip_prefix(&dir) else {
                    continue;
                };
                let rel = rel.to_string_lossy().replace('\\', "/");
                let text = crate::fs::read_to_string(entry.path())?;
                files.insert(rel, (text, Some(entry.path().to_path_buf())));
            }
        }
        Theme::from_files(files)
    }

    fn from_files(files: BTreeMap<String, (String, Option<PathBuf>)>) -> Result<Theme> {
        let mut tera = tera::Tera::default();
        let mut templates = Vec::new();
        let mut strings = BTreeMap::new();
        let mut assets = Vec::new();
        for (rel, (text, path)) in &files {
            let shown = path.as_ref().map_or_else(
                || format!("(built-in theme) {rel}"),
                |p| p.display().to_string(),
            );
            if let Some(name) = rel.strip_prefix("templates/") {
                templates.push((name.to_string(), text.clone()));
            } else if let Some(lang) = rel
                .strip_prefix("i18n/")
                .and_then(|l| l.strip_suffix(".toml"))
            {
                let table: Strings = toml::from_str(text)
                    .map_err(|e| anyhow::anyhow!("{shown}: {}", e.message()))?;
                strings.insert(lang.to_ascii_lowercase(), table);
            } else if let Some(file) = rel.strip_prefix("static/") {
                assets.push(hashed(file, text.as_bytes()));
            }
        }
        let compiled = compiled::NEEDS.iter().all(|name| {
            let rel = format!("templates/{name}");
            let built_in = DEFAULT.iter().find(|(p, _)| *p == rel).map(|(_, c)| *c);
            files.get(&rel).map(|(text, _)| text.as_str()) == built_in
        });
        tera.add_raw_templates(templates)
            .map_err(|e| anyhow::anyhow!("{e}"))
            .context("the theme's templates do not compile")?;
        if !strings.contains_key("en") {
            bail!("the theme has no English strings (i18n/en.toml)");
        }
        Ok(Theme {
            tera,
            compiled,
            strings,
            assets,
            t_values: std::sync::Mutex::new(Vec::new()),
        })
    }

    /// The UI strings for `tag`: its own table over the English one. Tables
    /// are found by full tag, by language and script, the script as the tag
    /// names it or as it is likely (`zh-CN` → `zh-hans`, `zh-TW` →
    /// `zh-hant`, `sr-RS` → `sr-cyrl`), then by primary language.
    ///
    /// English plural forms (`x_one`, `x_few`, …) are not carried over to a
    /// table that has its own `x` but not that form: its language has no such
    /// form (Chinese has no `x_one`), and English text would reach its pages.
    pub fn strings(&self, tag: &str) -> Strings {
        let mut out = self.strings["en"].clone();
        if let Some(own) = self.table(tag) {
            out.retain(|key, _| {
                own.contains_key(key) || plural_base(key).is_none_or(|base| !own.contains_key(base))
            });
            out.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        out
    }

    /// Whether the theme has strings of its own for `tag`.
    pub fn has_strings(&self, tag: &str) -> bool {
        self.table(tag).is_some()
    }

    fn table(&self, tag: &str) -> Option<&Strings> {
        let lower = tag.to_ascii_lowercase();
        let subtags = crate::locale::subtags(tag).unwrap_or_default();
        let primary = subtags.language.as_str();
        // The language in its script (`zh-hant`, `sr-latn`), where the tag
        // names it or the likely-subtags data give it.
        let script = crate::locale::script(tag)
            .map(|script| format!("{primary}-{}", script.to_ascii_lowercase()));
        self.strings
            .get(&lower)
            .or_else(|| script.and_then(|s| self.strings.get(&s)))
            .or_else(|| self.strings.get(primary))
    }

    /// Renders template `name` with `page`; `page.t` is shared, not converted.
    pub fn render(&self, name: &str, page: &crate::view::Page) -> Result<Vec<u8>> {
        if self.compiled {
            match name {
                "article.html" => return compiled::article(page),
                "sxs.html" => return compiled::sxs(page),
                _ => {}
            }
        }
        let mut context =
            tera::Context::from_serialize(page).map_err(|e| anyhow::anyhow!("{e}"))?;
        context.insert_value("t", self.t_value(&page.t));
        let body = page.article.as_ref().map_or(0, |a| a.html.len());
        let rows = page.side_by_side.as_ref().map_or(0, |s| s.rows.len());
        let expected = 8192 + body + rows * 512;
        let mut budget = Budget::new(
            Vec::with_capacity(expected),
            MAX_PAGE_BYTES + 8 * expected,
            MAX_PAGE_TIME,
        );
        let rendered = self.tera.render_to(name, &context, &mut budget);
        if let Some(over) = budget.over {
            bail!("could not render the theme template {name}: {over}");
        }
        rendered
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| format!("could not render the theme template {name}"))?;
        Ok(budget.out)
    }

    /// `t` for Tera: the value made from this very table, made now if it is
    /// the first page of its language.
    fn t_value(&self, ui: &Ui) -> tera::Value {
        let table = ui.shared();
        let mut cache = self.t_values.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, v)) = cache
            .iter()
            .find(|(w, _)| std::ptr::eq(w.as_ptr(), Arc::as_ptr(table)))
        {
            return v.clone();
        }
        cache.retain(|(w, _)| w.strong_count() > 0);
        let value = tera::Value::from_serializable(table.as_ref());
        cache.push((Arc::downgrade(table), value.clone()));
        value
    }

    /// Renders every page with Tera, also those the default theme has
    /// compiled: for the test that compares the two, and the benchmark.
    #[doc(hidden)]
    pub fn tera_only(mut self) -> Theme {
        self.compiled = false;
        self
    }

    /// Whether article and side-by-side pages are written without Tera.
    #[doc(hidden)]
    pub fn is_compiled(&self) -> bool {
        self.compiled
    }

    /// The output path of static file `file` (`style.css` → `static/style.<hash>.css`).
    pub fn asset(&self, file: &str) -> String {
        let (stem, ext) = file.rsplit_once('.').unwrap_or((file, ""));
        self.assets
            .iter()
            .find(|a| {
                a.path.starts_with(&format!("static/{stem}."))
                    && a.path.ends_with(&format!(".{ext}"))
            })
            .map_or_else(|| format!("static/{file}"), |a| a.path.clone())
    }
}

/// Where a page rendered by Tera is written: refuses to take more bytes than
/// its limit, or any after its deadline, so that a template that would run
/// away (loops over loops, a component that calls itself twice) fails with
/// a message naming it instead of filling the memory or running for hours.
struct Budget {
    out: Vec<u8>,
    limit: usize,
    started: Instant,
    time: Duration,
    /// What was passed, once it was.
    over: Option<String>,
}

impl Budget {
    fn new(out: Vec<u8>, limit: usize, time: Duration) -> Budget {
        Budget {
            out,
            limit,
            started: Instant::now(),
            time,
            over: None,
        }
    }
}

impl std::io::Write for Budget {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.over.is_none() {
            if self.out.len() + buf.len() > self.limit {
                self.over = Some(format!(
                    "its output passed {} MB, the most a page may have; \
                     does a loop or a component repeat more than it should?",
                    self.limit >> 20
                ));
            } else if self.started.elapsed() > self.time {
                self.over = Some(format!(
                    "it ran for more than {} s, the most a page may take; \
                     does a loop or a component repeat more than it should?",
                    self.time.as_secs()
                ));
            }
        }
        if self.over.is_some() {
            return Err(std::io::Error::other("the page passed its budget"));
        }
        self.out.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn hashed(file: &str, bytes: &[u8]) -> Asset {
    let hash = blake3::hash(bytes).to_hex();
    let short = &hash.as_str()[..10];
    let path = match file.rsplit_once('.') {
        Some((stem, ext)) => format!("static/{stem}.{short}.{ext}"),
        None => format!("static/{file}.{short}"),
    };
    Asset {
        path,
        bytes: bytes.to_vec(),
    }
}

/// `x` for a string key `x_zero`, `x_one`, `x_two`, `x_few`, `x_many` or
/// `x_other`: a plural form of `x` (CLDR's categories).
fn plural_base(key: &str) -> Option<&str> {
    ["_zero", "_one", "_two", "_few", "_many", "_other"]
        .iter()
        .find_map(|suffix| key.strip_suffix(suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_of_the_default_theme_is_built_in() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| {
                e.path()
                    .strip_prefix(&dir)
                    .ok()
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
            })
            .collect();
        on_disk.sort();
        let mut built_in: Vec<String> = DEFAULT.iter().map(|(p, _)| p.to_string()).collect();
        built_in.sort();
        assert_eq!(on_disk, built_in);
    }

    /// docs/theme.md, the contract with theme authors, has a row for every
    /// template of the default theme and names every key of its English
    /// strings (a plural form by its bare key).
    #[test]
    fn the_theme_guide_names_every_template_and_string() {
        let guide =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/theme.md"))
                .expect("docs/theme.md");
        for (path, _) in DEFAULT {
            if let Some(name) = path.strip_prefix("templates/") {
                assert!(guide.contains(&format!("| `{name}` |")), "{name}");
            }
        }
        let (_, english) = DEFAULT
            .iter()
            .find(|(p, _)| *p == "i18n/en.toml")
            .expect("English strings");
        let table: toml::Table = english.parse().expect("en.toml");
        for key in table.keys() {
            let bare = ["_zero", "_one", "_two", "_few", "_many"]
                .iter()
                .find_map(|form| key.strip_suffix(form))
                .unwrap_or(key);
            assert!(guide.contains(&format!("`{bare}`")), "{key}");
        }
    }

    /// A budget that fails the write which passes it, and every one after.
    #[test]
    fn the_budget_refuses_what_passes_it() {
        use std::io::Write;
        let mut b = Budget::new(Vec::new(), 10, Duration::from_secs(60));
        assert!(b.write_all(b"0123456789").is_ok());
        assert!(b.write_all(b"x").is_err());
        assert!(b
            .over
            .as_deref()
            .is_some_and(|m| m.contains("output passed")));
        assert_eq!(b.out, b"0123456789");
        let mut b = Budget::new(Vec::new(), 10, Duration::ZERO);
        std::thread::sleep(Duration::from_millis(2));
        assert!(b.write_all(b"x").is_err());
        assert!(b
            .over
            .as_deref()
            .is_some_and(|m| m.contains("ran for more than")));
    }

    #[test]
    fn default_theme_loads_with_strings_for_the_languages_it_ships() {
        let theme = Theme::load(Path::new("/nonexistent"), "default").expect("built-in theme");
        for tag in [
            "en",
            "zh-CN",
            "ja-JP",
            "sv-SE",
            "et-EE",
            "ro-RO",
            "de-DE",
            "fr-FR",
            "es-ES",
            "ar-SA",
            "he-IL",
            "ko-KR",
            "pt-BR",
            "pt-PT",
            "it-IT",
            "nl-NL",
            "pl-PL",
            "ru-RU",
            "tr-TR",
            "da-DK",
            "nb-NO",
            "cs-CZ",
            "uk-UA",
            "id-ID",
            "vi-VN",
            "bg-BG",
            "el-GR",
            "fi-FI",
            "hr-HR",
            "hu-HU",
            "lt-LT",
            "lv-LV",
            "sk-SK",
            "sl-SI",
            "th-TH",
            "sr-Latn-RS",
            "sr-RS",
        ] {
            assert!(theme.has_strings(tag), "{tag}");
        }
        let en = theme.strings("en-US");
        for (lang, table) in &theme.strings {
            for key in table.keys() {
                // Plural forms differ by language (CLDR categories): a
                // language's `x_few` needs English to have `x` in some form.
                let plural = plural_base(key);
                let known = en.contains_key(key)
                    || plural.is_some_and(|base| {
                        en.keys().any(|k| {
                            k == base || k.strip_prefix(base).is_some_and(|r| r.starts_with('_'))
                        })
                    });
                assert!(known, "{lang} has `{key}`, which English lacks");
            }
        }
        // And every table has every English string, in some plural form
        // where English has forms: nothing falls back to English.
        for (lang, table) in &theme.strings {
            for key in en.keys() {
                let base = plural_base(key).unwrap_or(key);
                let has = table
                    .keys()
                    .any(|k| k == key || plural_base(k) == Some(base) || k == base);
                assert!(has, "{lang} lacks `{key}`");
            }
        }
        assert_ne!(theme.strings("zh-CN")["on_this_page"], en["on_this_page"]);
        // No English plural form reaches a language without it.
        assert!(!theme.strings("zh-CN").contains_key("search_results_one"));
        assert!(theme.strings("sv-SE").contains_key("search_results_one"));
        assert!(theme.strings("ar-SA").contains_key("search_results_two"));
        assert!(theme.asset("style.css").starts_with("static/style."));
    }
}
