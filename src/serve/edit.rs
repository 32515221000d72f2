//! Editing translations in `serve`: what a side-by-side page is told about
//! its article (where each pair lives, the hash of the file bytes it was
//! read from, the per-run token), and what a save or "keep translation"
//! does to the file.
//!
//! The session answers both ([`describe`], [`apply`]) on its own thread, on
//! the model it owns: the freshness of each pair and the English of record
//! are the pipeline's ([`crate::pair`], [`crate::import::record`]), never
//! computed a second way. Files change only through [`crate::writeback`]
//! (`apply` on the bytes read, `replace` inside the content folder, and only
//! if the bytes are still those the page was made from); the watcher then
//! sees the file change and the page reloads as after any save.
//!
//! The HTTP side ([`super::http`]) checks `Origin`, the token and the body
//! size before a request reaches [`apply`]; the script the page gets is
//! [`SCRIPT`].

use crate::import::record;
use crate::model::Article;
use crate::pair::SegmentState;
use crate::pipeline::Model;
use crate::writeback::{self, Edit};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The script of side-by-side pages in `serve`.
pub const SCRIPT: &str = include_str!("edit.js");

/// The largest request body an edit may have (a translation of one pair,
/// however long, is far below it).
pub const MAX_BODY: usize = 256 * 1024;

/// A translation's file and pairs, as one side-by-side page is told them.
#[derive(Debug, Clone, Serialize)]
pub struct PageData {
    /// The file, relative to the project (`content/zh-CN/a.md`).
    pub file: String,
    /// The hash of the bytes the rows were read from.
    pub hash: String,
    /// The per-run token a save must echo; None when editing is off, or
    /// the file is read-only.
    pub token: Option<String>,
    /// The file's permissions make it read-only: the page says so, and has
    /// no editor.
    pub read_only: bool,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub id: String,
    pub line: usize,
    pub column: usize,
    /// The translation as written in the file (inline Markdown).
    pub target: String,
    pub stale: bool,
}

/// A save or a "keep translation", as the page sends it.
#[derive(Debug, Clone, Deserialize)]
pub struct Request {
    /// The side-by-side page's path (`/zh-cn/a.sxs.html`).
    pub page: String,
    /// [`PageData::hash`] as the page received it.
    pub hash: String,
    pub id: String,
    pub line: usize,
    pub column: usize,
    /// `save` (with `text`) or `keep`.
    pub action: String,
    #[serde(default)]
    pub text: Option<String>,
}

/// The answer: an HTTP status and a JSON body.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: serde_json::Value,
}

impl Reply {
    fn error(status: u16, message: impl Into<String>) -> Reply {
        Reply {
            status,
            body: serde_json::json!({ "error": message.into() }),
        }
    }
}

/// The hash a page carries of its file's bytes.
pub fn hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..32].to_string()
}

/// The translation (locale index, article path) whose side-by-side page is
/// `page` (`/slug/name.sxs.html`).
pub fn target(model: &Model, page: &str) -> Option<(usize, String)> {
    page.ends_with(".sxs.html")
        .then(|| translation(model, page))
        .flatten()
}

/// The translation (locale index, article path) whose article page or
/// side-by-side page is `page` (`/slug/name.html`, `/slug/name.sxs.html`).
pub fn translation(model: &Model, page: &str) -> Option<(usize, String)> {
    let rest = page.strip_prefix('/')?;
    let (slug, file) = rest.split_once('/')?;
    let base = file
        .strip_suffix(".sxs.html")
        .or_else(|| file.strip_suffix(".html"))?;
    let l = model
        .project
        .locales
        .iter()
        .position(|l| crate::locale::slug(&l.tag) == slug)?;
    let brief = model.pairing.briefs(l).iter().find(|b| {
        let name = crate::render::links::page_file(&b.path);
        name.strip_suffix(".html") == Some(base)
    })?;
    Some((l, brief.path.to_string()))
}

/// The translation (locale index, article index) whose side-by-side page is
/// `page`, when the model holds it whole (`serve` holds it first:
/// [`Model::hold`]).
pub fn find(model: &Model, page: &str) -> Option<(usize, usize)> {
    let (l, path) = target(model, page)?;
    let a = model.project.locales[l]
        .articles
        .binary_search_by(|a| a.path.as_str().cmp(&path))
        .ok()?;
    Some((l, a))
}

/// What the side-by-side page `page` is told, or None when it is not the
/// page of a translation. `shown` names the file for the browser.
pub fn describe(
    model: &Model,
    page: &str,
    token: Option<&str>,
    shown: &dyn Fn(&Path) -> String,
) -> Option<PageData> {
    let (l, a) = find(model, page)?;
    let locale = &model.project.locales[l];
    let loaded = &locale.articles[a];
    let file = locale.dir.join(&loaded.path);
    let bytes = read(model, &file).ok()?;
    let article = crate::parse::article(&locale.tag, &loaded.path, &loaded.file, &bytes);
    // Rows of the file as it is now; states of the article as it was
    // loaded (and rendered), when the two still agree.
    let states = model
        .pairing
        .of(l, loaded)
        .filter(|_| article.segments == loaded.segments)
        .map(|f| f.states.clone())
        .unwrap_or_default();
    let rows = article
        .segments
        .iter()
        .enumerate()
        .map(|(i, s)| Row {
            id: s.id.clone(),
            line: s.pos.line,
            column: s.pos.column,
            target: s.target(&article).to_string(),
            stale: states.get(i) == Some(&SegmentState::Stale),
        })
        .collect();
    let read_only = is_read_only(&file);
    Some(PageData {
        file: shown(&file),
        hash: hash(&bytes),
        token: token.filter(|_| !read_only).map(str::to_string),
        read_only,
        rows,
    })
}

/// Whether `file`'s permissions make it read-only (a file checked out
/// locked, or made so on purpose). Honoured even where the process could
/// write it anyway (as root).
fn is_read_only(file: &Path) -> bool {
    std::fs::metadata(file).is_ok_and(|m| m.permissions().readonly())
}

/// Reads an article file through the content folder's jail.
fn read(model: &Model, file: &Path) -> Result<Vec<u8>, String> {
    let jail = crate::fs::Jail::new(&model.config().content_dir).map_err(|e| format!("{e:#}"))?;
    match jail.read(file) {
        Ok(Some(bytes)) => Ok(bytes),
        Ok(None) => Err("the file lies outside the content folder".into()),
        Err(e) => Err(e.to_string()),
    }
}

/// Makes the change `request` asks for. Returns the reply and, when the
/// file was written, its path.
pub fn apply(
    model: &Model,
    request: &Request,
    shown: &dyn Fn(&Path) -> String,
) -> (Reply, Option<PathBuf>) {
    let Some((l, a)) = find(model, &request.page) else {
        return (
            Reply::error(
                404,
                "this page is not the side-by-side page of a translation",
            ),
            None,
        );
    };
    let locale = &model.project.locales[l];
    let loaded = &locale.articles[a];
    let file = locale.dir.join(&loaded.path);
    let name = shown(&file);
    if is_read_only(&file) {
        return (
            Reply::error(
                403,
                format!(
                    "{name} is read-only; nothing was written. Make it writable to edit it here."
                ),
            ),
            None,
        );
    }
    let old = match read(model, &file) {
        Ok(b) => b,
        Err(e) => return (Reply::error(500, format!("{name}: {e}")), None),
    };
    let article = crate::parse::article(&locale.tag, &loaded.path, &loaded.file, &old);
    let place = (request.line, request.column);
    let segment = article
        .segments
        .iter()
        .position(|s| s.id == request.id && (s.pos.line, s.pos.column) == place);
    if hash(&old) != request.hash {
        let current = segment.map(|i| article.segments[i].target(&article).to_string());
        // The pair may have moved (an earlier save changed its line): then
        // there is no current text to show.
        let shown_now = if current.is_some() {
            " Its text of this pair is now shown."
        } else {
            ""
        };
        return (
            Reply {
                status: 409,
                body: serde_json::json!({
                    "error": format!(
                        "{name} changed on disk since this page was shown; nothing was \
                         written.{shown_now} Reload the page to edit the file as it is now: \
                         your text stays in its row."
                    ),
                    "current": current,
                    "hash": hash(&old),
                }),
            },
            None,
        );
    }
    let Some(i) = segment else {
        return (
            Reply::error(
                404,
                format!(
                    "{name} has no pair `{}` at {}:{}",
                    request.id, request.line, request.column
                ),
            ),
            None,
        );
    };
    let seg = &article.segments[i];
    let mut edit = Edit {
        id: seg.id.clone(),
        pos: seg.pos,
        target: None,
        source: None,
    };
    match request.action.as_str() {
        "save" => {
            let Some(text) = &request.text else {
                return (Reply::error(400, "a save needs `text`"), None);
            };
            let in_table = writeback::in_table(&article)[i];
            if writeback::escape(text, "\n", in_table) == seg.target(&article) {
                return (
                    saved(&old, &name, seg, seg.target(&article), "unchanged"),
                    None,
                );
            }
            edit.target = Some(text.clone());
        }
        "keep" => match english_of_record(model, l, loaded, &article, i) {
            Ok(english) => edit.source = Some(english),
            Err(why) => return (Reply::error(409, format!("{name}: {why}")), None),
        },
        other => {
            return (
                Reply::error(400, format!("unknown action `{other}` (save or keep)")),
                None,
            )
        }
    }
    let new = match writeback::apply(&old, &article, std::slice::from_ref(&edit)) {
        Ok(new) => new,
        Err(e) => return (Reply::error(422, format!("{name}: {e}")), None),
    };
    match writeback::replace(&model.config().content_dir, &file, &old, &new) {
        Ok(()) => {
            let after = crate::parse::article(&locale.tag, &loaded.path, &loaded.file, &new);
            let (seg, text) = match after.segments.get(i) {
                Some(s) => (s, s.target(&after)),
                None => (seg, seg.target(&article)),
            };
            (saved(&new, &name, seg, text, "saved"), Some(file))
        }
        Err(e @ writeback::Error::Changed(_)) => {
            let now = std::fs::read(&file).unwrap_or_default();
            (
                Reply {
                    status: 409,
                    body: serde_json::json!({ "error": shown_error(&e, &file, &name), "hash": hash(&now) }),
                },
                None,
            )
        }
        Err(e) => (Reply::error(500, shown_error(&e, &file, &name)), None),
    }
}

/// A writeback error naming the file as the browser shows it.
fn shown_error(e: &writeback::Error, file: &Path, name: &str) -> String {
    e.to_string().replace(&file.display().to_string(), name)
}

/// The reply to a save: `target` is the pair's translation as it now reads.
fn saved(bytes: &[u8], name: &str, seg: &crate::model::Segment, target: &str, what: &str) -> Reply {
    Reply {
        status: 200,
        body: serde_json::json!({
            "result": what,
            "hash": hash(bytes),
            "target": target,
            "file": name,
            "line": seg.pos.line,
        }),
    }
}

/// The English of record for stale pair `i` of `article` (read now; it must
/// still be the article that was loaded, whose freshness is known).
fn english_of_record(
    model: &Model,
    l: usize,
    loaded: &Article,
    article: &Article,
    i: usize,
) -> Result<String, String> {
    if article.segments != loaded.segments {
        return Err("the file changed since it was loaded; reload the page".into());
    }
    let fresh = model
        .pairing
        .of(l, loaded)
        .ok_or("this article has no English to compare with")?;
    if fresh.states.get(i) != Some(&SegmentState::Stale) {
        return Err("this pair is not stale: its English is already current".into());
    }
    let english = model
        .pairing
        .english
        .articles
        .get(&loaded.path)
        .ok_or("this article has no English")?;
    record::english_for(loaded, english, &fresh.states)
        .get(i)
        .cloned()
        .flatten()
        .ok_or_else(|| {
            "the English article has no sentence in the place of this pair's English \
             (removed?), so it cannot be made current; edit the translation instead"
                .into()
        })
}
