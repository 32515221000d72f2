//! The one place that edits sxs files: new translations (and, for a sentence
//! a translator confirms, new English) written into an article's bytes,
//! changing nothing else.
//!
//! Input: the file's bytes as read, the [`Article`] parsed from exactly those
//! bytes (its segments carry the byte ranges of their texts), and [`Edit`]s
//! naming segments by id and position. [`apply`] returns the new bytes: only
//! the text between `<span data-ttu-id="…">` and its `</span>` changes (and,
//! for an edit with new English, the text inside the sxs-lookup's
//! `<span data-stu-id="…">`); front matter, BOM, line endings, the markup
//! around the spans and every other pair stay byte for byte.
//!
//! New text is escaped for the sxs context ([`escape`]): the scanner does not
//! decode entities, so only what it (or the renderer, around it) would read
//! as markup that ends or hides a span is changed: a `<` that begins
//! `<span`, `</span` or `<!--` becomes `&lt;`. Line breaks take the file's
//! line ending. Everything else, `&`, a lone `<`, quotes, entities, is
//! Markdown and stays as it is. Before returning, [`apply`] parses the new
//! bytes and checks that every pair reads back as intended (the edited ones
//! as the escaped text, the others as they were), and that the Markdown
//! blocks of both documents are the same (a line break in a heading, a
//! blank line in a paragraph or a `|` in a table cell would change the
//! page's structure); if not, it refuses.
//!
//! [`replace`] is the only function here that touches the disk: it writes
//! the new bytes beside the file and renames them over it, and only if the
//! file still holds the bytes the edit was made from, is a regular file, and
//! lies inside the folder given as its root. Used by `import`; `serve`'s
//! editor is meant to call the same two functions.

use crate::diag::Pos;
use crate::model::Article;
use std::fmt;
use std::io::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// One change to one segment pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The pair's `data-ttu-id`.
    pub id: String,
    /// Where the pair starts in the file (ids can repeat in one file).
    pub pos: Pos,
    /// The new translation (Markdown, unescaped), if it changes.
    pub target: Option<String>,
    /// The new English for the sxs-lookup, if it changes.
    pub source: Option<String>,
}

/// Why an edit could not be made. Nothing is written in any of these cases.
#[derive(Debug)]
pub enum Error {
    /// The file is not UTF-8 (UTF-16, or invalid bytes): helpbook reads
    /// such files but does not rewrite them.
    NotUtf8,
    /// No pair with this id starts at this place.
    NoSuchPair {
        id: String,
        pos: Pos,
    },
    /// The pair's sxs-lookup is not the plain `<span class="sxs-lookup"><span
    /// data-stu-id>…</span></span>` shape, so its English cannot be replaced
    /// without touching its markup.
    LookupShape {
        id: String,
        pos: Pos,
    },
    /// Two edits for the same pair.
    Twice {
        id: String,
        pos: Pos,
    },
    /// The edited file would not read back as intended (the new text changed
    /// how other markup in the file is read).
    ReadBack {
        id: String,
        pos: Pos,
        detail: String,
    },
    /// The file on disk is no longer the one the edit was made from.
    Changed(PathBuf),
    /// The path is not a regular file inside the root (a symbolic link, or
    /// outside the content folder).
    NotOurs(PathBuf, &'static str),
    Io(PathBuf, std::io::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Error::NotUtf8 => write!(f, "the file is not UTF-8; helpbook does not rewrite it"),
            Error::NoSuchPair { id, pos } => {
                write!(f, "no pair with id `{id}` starts at {}:{}", pos.line, pos.column)
            }
            Error::LookupShape { id, pos } => write!(
                f,
                "the sxs-lookup of pair `{id}` at {}:{} is not the plain \
                 `<span class=\"sxs-lookup\"><span data-stu-id>…</span></span>`; \
                 its English cannot be replaced",
                pos.line, pos.column
            ),
            Error::Twice { id, pos } => write!(
                f,
                "two edits for the pair `{id}` at {}:{}",
                pos.line, pos.column
            ),
            Error::ReadBack { id, pos, detail } => write!(
                f,
                "the new text of pair `{id}` at {}:{} would change how the file is read ({detail}); \
                 nothing was written",
                pos.line, pos.column
            ),
            Error::Changed(path) => write!(
                f,
                "{} changed on disk since it was read; it was not overwritten",
                path.display()
            ),
            Error::NotOurs(path, why) => write!(f, "{}: {why}; not written", path.display()),
            Error::Io(path, err) => write!(f, "{}: {err}", path.display()),
        }
    }
}

impl std::error::Error for Error {}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// `text` as it is written inside a span of a file whose line ending is
/// `eol`: line breaks (LF, CR LF or CR) become `eol`, and a `<` that begins
/// `<span` or `</span` (as a tag name: followed by a blank, `>`, `/` or the
/// end) or `<!--` becomes `&lt;`. In a table cell (`in_table`), a `|` that
/// no backslash escapes becomes `\|`, as GFM reads a pipe inside a cell (a
/// bare one would start a cell, and a cell past the header's count is
/// dropped from the page). The scanner reads the result back as
/// `escape(text, "\n", in_table)`, which is `text` itself whenever `text`
/// has no CR, none of those three openings and, in a table, no bare `|`.
pub fn escape(text: &str, eol: &str, in_table: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.char_indices().peekable();
    let mut backslashes = 0;
    while let Some((i, c)) = chars.next() {
        match c {
            '\r' => {
                if matches!(chars.peek(), Some((_, '\n'))) {
                    chars.next();
                }
                out.push_str(eol);
            }
            '\n' => out.push_str(eol),
            '<' if opens_markup(&text[i + 1..]) => out.push_str("&lt;"),
            '|' if in_table && backslashes % 2 == 0 => out.push_str("\\|"),
            c => out.push(c),
        }
        backslashes = if c == '\\' { backslashes + 1 } else { 0 };
    }
    out
}

/// For each pair of `article`: whether it stands in a table cell (of the
/// translation document; the English one has the same blocks).
pub fn in_table(article: &Article) -> Vec<bool> {
    use pulldown_cmark::{Event, Tag};
    let mut cells = Vec::new();
    let mut open = None;
    for (event, range) in crate::render::parser(&article.target).into_offset_iter() {
        match event {
            Event::Start(Tag::TableCell) => open = Some(range.start),
            Event::End(pulldown_cmark::TagEnd::TableCell) => {
                if let Some(start) = open.take() {
                    cells.push(start..range.end);
                }
            }
            _ => {}
        }
    }
    article
        .segments
        .iter()
        .map(|s| {
            let at = s.target_range.start;
            let i = cells.partition_point(|c| c.start <= at);
            i > 0 && at < cells[i - 1].end
        })
        .collect()
}

/// Whether the text after a `<` makes it a span tag or a comment opener.
fn opens_markup(rest: &str) -> bool {
    if rest.starts_with("!--") {
        return true;
    }
    let name = rest.strip_prefix('/').unwrap_or(rest).as_bytes();
    name.len() >= 4
        && name[..4].eq_ignore_ascii_case(b"span")
        && name
            .get(4)
            .is_none_or(|&b| b.is_ascii_whitespace() || b == b'>' || b == b'/')
}

/// The file's line ending: CR LF if any line ends so, else LF.
fn line_ending(bytes: &[u8]) -> &'static str {
    if bytes.windows(2).any(|w| w == b"\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// Applies `edits` to `bytes`, the file `article` was parsed from. Returns
/// the new bytes; nothing outside the edited texts changes.
pub fn apply(bytes: &[u8], article: &Article, edits: &[Edit]) -> Result<Vec<u8>, Error> {
    if std::str::from_utf8(bytes.strip_prefix(BOM).unwrap_or(bytes)).is_err() {
        return Err(Error::NotUtf8);
    }
    let eol = line_ending(bytes);
    let tables = in_table(article);
    // (range in the file, new raw text, index of the segment, is English)
    let mut splices: Vec<(Range<usize>, String, usize, bool)> = Vec::new();
    // What each segment must read back as: (target, source).
    let mut expected: Vec<(String, String)> = article
        .segments
        .iter()
        .map(|s| (s.target(article).to_string(), s.source(article).to_string()))
        .collect();
    let mut seen = vec![false; article.segments.len()];
    for edit in edits {
        let Some(i) = article
            .segments
            .iter()
            .position(|s| s.id == edit.id && s.pos == edit.pos)
        else {
            return Err(Error::NoSuchPair {
                id: edit.id.clone(),
                pos: edit.pos,
            });
        };
        if std::mem::replace(&mut seen[i], true) {
            return Err(Error::Twice {
                id: edit.id.clone(),
                pos: edit.pos,
            });
        }
        let seg = &article.segments[i];
        if let Some(target) = &edit.target {
            splices.push((
                seg.target_bytes.clone(),
                escape(target, eol, tables[i]),
                i,
                false,
            ));
            expected[i].0 = escape(target, "\n", tables[i]);
        }
        if let Some(source) = &edit.source {
            let Some(range) = seg.source_bytes.clone() else {
                return Err(Error::LookupShape {
                    id: edit.id.clone(),
                    pos: edit.pos,
                });
            };
            splices.push((range, escape(source, eol, tables[i]), i, true));
            expected[i].1 = escape(source, "\n", tables[i]);
        }
    }
    splices.sort_by_key(|s| s.0.start);
    let mut out = Vec::with_capacity(bytes.len() + 64);
    let mut copied = 0;
    for (range, text, _, _) in &splices {
        if range.start < copied || range.end > bytes.len() {
            // Ranges come from parsing these very bytes; this would mean the
            // article was parsed from other bytes.
            return Err(Error::Changed(PathBuf::from(&article.file)));
        }
        out.extend_from_slice(&bytes[copied..range.start]);
        out.extend_from_slice(text.as_bytes());
        copied = range.end;
    }
    out.extend_from_slice(&bytes[copied..]);
    read_back(&out, article, &expected)?;
    Ok(out)
}

/// Parses `bytes` and checks that its pairs are `expected`, with the ids
/// and positions of `article`'s.
fn read_back(bytes: &[u8], article: &Article, expected: &[(String, String)]) -> Result<(), Error> {
    let again = crate::parse::article(&article.locale, &article.path, &article.file, bytes);
    let first_edit = || {
        article
            .segments
            .iter()
            .zip(expected)
            .find(|(s, (t, e))| s.target(article) != t || s.source(article) != e)
            .or(article.segments.first().zip(expected.first()))
            .map_or((String::new(), Pos::START), |(s, _)| (s.id.clone(), s.pos))
    };
    if again.segments.len() != article.segments.len() {
        let (id, pos) = first_edit();
        return Err(Error::ReadBack {
            id,
            pos,
            detail: format!(
                "{} pairs instead of {}",
                again.segments.len(),
                article.segments.len()
            ),
        });
    }
    for (doc, old_doc, new_doc) in [
        ("translation", &article.target, &again.target),
        ("English", &article.source, &again.source),
    ] {
        if blocks(old_doc) != blocks(new_doc) {
            let (id, pos) = first_edit();
            return Err(Error::ReadBack {
                id,
                pos,
                detail: format!(
                    "the {doc}'s Markdown blocks would change: a line break that ends a heading \
                     or table row, a blank line, a `|` in a table cell…"
                ),
            });
        }
    }
    for ((old, new), (target, source)) in article.segments.iter().zip(&again.segments).zip(expected)
    {
        let what = if new.id != old.id {
            Some(format!("pair `{}` read as `{}`", old.id, new.id))
        } else if new.target(&again) != target {
            Some(format!("translation read as {:?}", new.target(&again)))
        } else if new.source(&again) != source {
            Some(format!("English read as {:?}", new.source(&again)))
        } else {
            None
        };
        if let Some(detail) = what {
            return Err(Error::ReadBack {
                id: old.id.clone(),
                pos: old.pos,
                detail,
            });
        }
    }
    Ok(())
}

/// The Markdown block structure of a document: where paragraphs, headings,
/// list items, table rows and cells… start and end, as the renderer reads
/// them. A new text may change what is inside a block, never the blocks.
fn blocks(markdown: &str) -> Vec<(bool, pulldown_cmark::TagEnd)> {
    use pulldown_cmark::{Event, TagEnd};
    let block = |t: &TagEnd| {
        !matches!(
            t,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image
        )
    };
    crate::render::parser(markdown)
        .filter_map(|e| match e {
            Event::Start(tag) => Some((true, tag.to_end())),
            Event::End(end) => Some((false, end)),
            _ => None,
        })
        .filter(|(_, t)| block(t))
        .collect()
}

/// Replaces the file at `path` (inside the folder `root`) with `new`, if it
/// still holds `old`. The bytes are written to a temporary file beside it,
/// with its permissions, flushed to disk, and renamed over it: a reader, or
/// an interruption, sees the old file or the new one, never a mix. A
/// symbolic link, anything but a regular file, a read-only file, and a
/// path whose folder resolves outside `root` are refused.
pub fn replace(root: &Path, path: &Path, old: &[u8], new: &[u8]) -> Result<(), Error> {
    let io = |err| Error::Io(path.to_path_buf(), err);
    let meta = std::fs::symlink_metadata(path).map_err(io)?;
    if meta.file_type().is_symlink() {
        return Err(Error::NotOurs(path.to_path_buf(), "it is a symbolic link"));
    }
    if !meta.is_file() {
        return Err(Error::NotOurs(
            path.to_path_buf(),
            "it is not a regular file",
        ));
    }
    if meta.permissions().readonly() {
        return Err(Error::NotOurs(path.to_path_buf(), "it is read-only"));
    }
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let real_root = root
        .canonicalize()
        .map_err(|e| Error::Io(root.to_path_buf(), e))?;
    let real_folder = folder
        .canonicalize()
        .map_err(|e| Error::Io(folder.to_path_buf(), e))?;
    if !real_folder.starts_with(&real_root) {
        return Err(Error::NotOurs(
            path.to_path_buf(),
            "its folder resolves outside the content folder",
        ));
    }
    let unchanged = || std::fs::read(path).map(|now| now == old).unwrap_or(false);
    if !unchanged() {
        return Err(Error::Changed(path.to_path_buf()));
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".helpbook-")
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(|e| Error::Io(folder.to_path_buf(), e))?;
    let tmp_path = tmp.path().to_path_buf();
    let tmp_io = |err| Error::Io(tmp_path.clone(), err);
    tmp.write_all(new).map_err(tmp_io)?;
    tmp.as_file()
        .set_permissions(meta.permissions())
        .map_err(tmp_io)?;
    tmp.as_file().sync_all().map_err(tmp_io)?;
    // Checked again just before the rename: an editor may have saved
    // meanwhile. (The temporary file is removed when `tmp` is dropped.)
    if !unchanged() {
        return Err(Error::Changed(path.to_path_buf()));
    }
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(bytes: &[u8]) -> Article {
        crate::parse::article("sv-SE", "a.md", "a.md", bytes)
    }

    fn pair(id: &str, t: &str, s: &str) -> String {
        format!(
            r#"<span data-ttu-id="{id}">{t}</span><span class="sxs-lookup"><span data-stu-id="{id}">{s}</span></span>"#
        )
    }

    fn edit(a: &Article, i: usize, target: Option<&str>, source: Option<&str>) -> Edit {
        Edit {
            id: a.segments[i].id.clone(),
            pos: a.segments[i].pos,
            target: target.map(str::to_string),
            source: source.map(str::to_string),
        }
    }

    #[test]
    fn escaping() {
        assert_eq!(
            escape("a & b < c <b>x</b> |", "\n", false),
            "a & b < c <b>x</b> |"
        );
        assert_eq!(
            escape(
                "<span>x</span> <SPAN class=a> </span\t> <spanish> <!-- c",
                "\n",
                false
            ),
            "&lt;span>x&lt;/span> &lt;SPAN class=a> &lt;/span\t> <spanish> &lt;!-- c"
        );
        assert_eq!(escape("end <span", "\n", false), "end &lt;span");
        assert_eq!(escape("a\r\nb\rc\nd", "\r\n", false), "a\r\nb\r\nc\r\nd");
        assert_eq!(escape("a\r\nb", "\n", false), "a\nb");
        assert_eq!(
            escape(r"a | b \| c \\| d \\\|", "\n", true),
            r"a \| b \| c \\\| d \\\|"
        );
    }

    #[test]
    fn only_the_span_changes() {
        let body = format!(
            "# {}\n\n- {} and {}\n",
            pair("1", "Rubrik", "Title"),
            pair("2", "Ett", "One"),
            pair("3", "Två", "Two")
        );
        for (bom, eol) in [("", "\n"), ("\u{FEFF}", "\r\n")] {
            let text = format!("{bom}---\ntitle: T\n---\n{body}").replace('\n', eol);
            let a = parse(text.as_bytes());
            let new = apply(
                text.as_bytes(),
                &a,
                &[edit(&a, 1, Some("Första </span> & <b>\nrad"), None)],
            )
            .expect("apply");
            let want = text.replace(">Ett<", &format!(">Första &lt;/span> & <b>{eol}rad<"));
            assert_eq!(String::from_utf8(new.clone()).expect("utf-8"), want);
            let b = parse(&new);
            assert_eq!(b.segments[1].target(&b), "Första &lt;/span> & <b>\nrad");
            assert_eq!(b.segments[2].target(&b), "Två");
        }
    }

    #[test]
    fn english_is_replaced_only_in_a_plain_lookup() {
        let text = format!(
            "{}\n<span data-ttu-id=\"2\">B</span><span class=\"sxs-lookup\">x <span data-stu-id=\"2\">b</span></span>\n",
            pair("1", "A", "a")
        );
        let a = parse(text.as_bytes());
        let new = apply(text.as_bytes(), &a, &[edit(&a, 0, None, Some("new a"))]).expect("apply");
        assert_eq!(
            String::from_utf8(new).expect("utf-8"),
            text.replace(">a<", ">new a<")
        );
        assert!(matches!(
            apply(text.as_bytes(), &a, &[edit(&a, 1, Some("C"), Some("c"))]),
            Err(Error::LookupShape { .. })
        ));
    }

    #[test]
    fn refusals() {
        let text = pair("1", "A", "a");
        let a = parse(text.as_bytes());
        let mut wrong = edit(&a, 0, Some("B"), None);
        wrong.pos.line = 9;
        assert!(matches!(
            apply(text.as_bytes(), &a, &[wrong]),
            Err(Error::NoSuchPair { .. })
        ));
        let twice = [edit(&a, 0, Some("B"), None), edit(&a, 0, Some("C"), None)];
        assert!(matches!(
            apply(text.as_bytes(), &a, &twice),
            Err(Error::Twice { .. })
        ));
        let mut utf16 = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        let b = parse(&utf16);
        assert!(matches!(
            apply(&utf16, &b, &[edit(&b, 0, Some("B"), None)]),
            Err(Error::NotUtf8)
        ));
    }

    /// A translation that opens a code span would turn the comment opener
    /// after the pair into code, and the pair hidden behind it would appear:
    /// the read-back check refuses the edit.
    #[test]
    fn an_edit_that_changes_other_pairs_is_refused() {
        let text = format!(
            "{} <!-- {} --> `\n",
            pair("1", "A", "a"),
            pair("2", "B", "b")
        );
        let a = parse(text.as_bytes());
        assert_eq!(a.segments.len(), 1);
        let err = apply(text.as_bytes(), &a, &[edit(&a, 0, Some("`A"), None)]);
        assert!(matches!(err, Err(Error::ReadBack { .. })), "{err:?}");
    }

    #[test]
    fn an_edit_that_changes_the_blocks_is_refused() {
        let text = format!(
            "# {}\n\n| a |\n| - |\n| {} |\n\n{}\n",
            pair("1", "A", "a"),
            pair("2", "B", "b"),
            pair("3", "C", "c")
        );
        let a = parse(text.as_bytes());
        for (i, new) in [(0, "A\nB"), (1, "B\nC"), (2, "C\n\nD"), (2, "C\n- D")] {
            let err = apply(text.as_bytes(), &a, &[edit(&a, i, Some(new), None)]);
            assert!(
                matches!(err, Err(Error::ReadBack { .. })),
                "{new:?}: {err:?}"
            );
        }
        // Inside a paragraph, a line break is only a line break.
        apply(text.as_bytes(), &a, &[edit(&a, 2, Some("C\nD"), None)]).expect("paragraph");
        // A pipe in a table cell is escaped, so the cell keeps all its text.
        let new = apply(text.as_bytes(), &a, &[edit(&a, 1, Some("B | C"), None)]).expect("cell");
        let b = parse(&new);
        assert_eq!(b.segments[1].target(&b), r"B \| C");
        assert_eq!(in_table(&a), [false, true, false]);
    }

    #[test]
    fn replace_checks_the_file_first() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("content");
        std::fs::create_dir(&root).expect("mkdir");
        let file = root.join("a.md");
        std::fs::write(&file, "old").expect("write");
        replace(&root, &file, b"old", b"new").expect("replace");
        assert_eq!(std::fs::read(&file).expect("read"), b"new");
        assert!(matches!(
            replace(&root, &file, b"old", b"newer"),
            Err(Error::Changed(_))
        ));
        assert_eq!(std::fs::read(&file).expect("read"), b"new");
        let outside = dir.path().join("b.md");
        std::fs::write(&outside, "x").expect("write");
        assert!(matches!(
            replace(&root, &outside, b"x", b"y"),
            Err(Error::NotOurs(..))
        ));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&outside, root.join("c.md")).expect("symlink");
            assert!(matches!(
                replace(&root, &root.join("c.md"), b"x", b"y"),
                Err(Error::NotOurs(..))
            ));
            assert_eq!(std::fs::read(&outside).expect("read"), b"x");
        }
        let mut readonly = std::fs::metadata(&file).expect("meta").permissions();
        readonly.set_readonly(true);
        std::fs::set_permissions(&file, readonly).expect("chmod");
        assert!(matches!(
            replace(&root, &file, b"new", b"newer"),
            Err(Error::NotOurs(..))
        ));
        let left: Vec<_> = std::fs::read_dir(&root).expect("list").collect();
        assert_eq!(left.len(), 2, "no temporary file left behind");
    }
}
