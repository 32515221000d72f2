//! Findings: problems found in a user's content, as values.
//!
//! Every stage that reads content returns its output together with a list of
//! [`Finding`]s; no stage prints, exits or keeps global state. Commands decide
//! once, at the end, what to show and which exit status follows.
//!
//! A finding names a stable lint (`sxs::id-mismatch`), a level, the file, a
//! 1-based line and column (columns count characters, not bytes), and a message.

use serde::Serialize;
use std::fmt;
use std::sync::OnceLock;

/// How serious a finding is. Ordered from least to most serious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Reported only on request; never affects the exit status.
    Note,
    Warning,
    Error,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        })
    }
}

/// A stable lint: its name is part of the public interface (book.toml, JSON output).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Lint {
    pub name: &'static str,
    pub default_level: Level,
    pub summary: &'static str,
}

macro_rules! lints {
    ($($ident:ident = $name:literal, $level:ident, $summary:literal;)*) => {
        $(pub const $ident: Lint = Lint { name: $name, default_level: Level::$level, summary: $summary };)*
        /// Every lint helpbook knows, in a stable order.
        pub const ALL: &[Lint] = &[$($ident),*];
    };
}

/// The lints, by constant name.
pub mod lint {
    use super::{Level, Lint};
    lints! {
        FILE_ENCODING = "file::encoding", Error, "the file is not valid UTF-8";
        FILE_BOM = "file::bom", Note, "the file starts with a byte-order mark";
        FILE_CRLF = "file::crlf", Note, "the file uses CRLF line endings";
        FILE_UNREADABLE = "file::unreadable", Error, "the file could not be read";
        LOAD_NOT_A_LOCALE = "load::not-a-locale", Warning, "a folder in the content folder is not a BCP 47 locale tag";
        LOAD_OUTSIDE_LINK = "load::outside-link", Error, "a symbolic link leads out of the content or theme folder; its target is not used";
        LOAD_PATH_COLLISION = "load::path-collision", Error, "two articles would be written to the same page where letter case is not significant";
        LOAD_LONG_NAME = "load::long-name", Warning, "an article's page would have a file name longer than file systems allow; it gets a shortened name";
        MEDIA_UNSAFE_SVG = "media::unsafe-svg", Error, "an SVG file could run script (a script, an event handler, a `javascript:` address…); it is not published";
        FRONTMATTER_MISSING = "frontmatter::missing", Warning, "the article has no front matter";
        FRONTMATTER_INVALID = "frontmatter::invalid", Warning, "the front matter is not valid YAML or is not closed";
        FRONTMATTER_SUSPICIOUS_KEY = "frontmatter::suspicious-key", Warning, "a front matter key contains a space";
        SXS_UNTERMINATED = "sxs::unterminated", Error, "a span is opened and never closed";
        SXS_ORPHAN_TRANSLATION = "sxs::orphan-translation", Warning, "a translation span has no sxs-lookup after it";
        SXS_ORPHAN_SOURCE = "sxs::orphan-source", Warning, "an sxs-lookup has no translation span before it";
        SXS_ID_MISMATCH = "sxs::id-mismatch", Warning, "data-ttu-id and data-stu-id differ";
        SXS_NESTED_SPAN = "sxs::nested-span", Warning, "a span is nested inside a translation or its source";
        SEGMENT_UNTRANSLATED = "segment::untranslated", Warning, "the translation equals the English";
        SEGMENT_STALE = "segment::stale", Note, "the segment's English no longer occurs in the English article";
        SEGMENT_MISSING = "segment::missing", Note, "an English segment has no translation";
        ARTICLE_OUTDATED = "article::outdated", Note, "the translation was made from an older English";
        ARTICLE_ENGLISH_CONFLICT = "article::english-conflict", Warning, "copies of the newest hand-off disagree on the English and no ms.openlocfilehash tells which is the source";
        ARTICLE_MISSING_TITLE = "article::missing-title", Warning, "the article has no title and no heading";
        ARTICLE_LOCALE_MISMATCH = "article::locale-mismatch", Warning, "ms.contentlocale names another locale than the folder";
        ARTICLE_MISSING_TRANSLATION = "article::missing-translation", Note, "an English article has no translation in this locale";
        ARTICLE_DUPLICATE_ANCHOR = "article::duplicate-anchor", Warning, "two anchors of one article have the same id";
        MARKUP_LINK_COUNT = "markup::link-count", Warning, "the translation has another number of links than the English";
        MARKUP_LINK_URL = "markup::link-url", Warning, "the translation dropped, changed or added a link URL";
        MARKUP_EMPTY_LINK_TEXT = "markup::empty-link-text", Warning, "a link of the translation has no text";
        MARKUP_EMPHASIS = "markup::emphasis", Warning, "bold, italic, code or strikethrough differ from the English";
        MARKUP_BROKEN_LINK = "markup::broken-link", Warning, "link syntax left as text, broken by white space (`] (url`, `]( url`) or a lost `[` or `)`: the page shows the link repaired";
        MARKUP_UNRENDERED_EMPHASIS = "markup::unrendered-emphasis", Warning, "`**` markers that CommonMark leaves as text";
        LINK_BROKEN = "link::broken", Warning, "an `x.md` or `#fragment` link points to nothing in this locale";
        LINK_ROOT_RELATIVE = "link::root-relative", Warning, "a root-relative link with no `link-base` to resolve it";
        LINK_OUTSIDE = "link::outside", Warning, "a link or include climbs out of the locale folder";
        LINK_REFUSED = "link::refused", Warning, "a link, image or video address with a scheme that may not reach a page (`javascript:`, `data:`…)";
        INCLUDE_MISSING = "include::missing", Warning, "an [!INCLUDE] names a file that does not exist";
        INCLUDE_CYCLE = "include::cycle", Warning, "an [!INCLUDE] includes itself";
        INCLUDE_LIMIT = "include::limit", Warning, "a page's includes pass what helpbook expands for one page; the rest are left out";
        LIMIT_NESTING = "limit::nesting", Warning, "Markdown or HTML nested deeper than helpbook renders; the deeper levels are flattened";
        LIMIT_TABLE = "limit::table", Warning, "an article's tables have more cells than helpbook renders; the table is shown as text";
        LIMIT_ELEMENTS = "limit::elements", Warning, "a block or an article would make more Markdown elements than helpbook parses; it is shown as plain text";
        THEME_NO_STRINGS = "theme::no-strings", Note, "the theme has no UI strings for a language: its pages' buttons, labels and banners are in English";
    }
}

/// The groups: the part of each lint name before `::`, in order, once each.
pub fn lint_groups() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for l in lint::ALL {
        if let Some((group, _)) = l.name.split_once("::") {
            if !out.contains(&group) {
                out.push(group);
            }
        }
    }
    out
}

/// Whether `name` is a lint or a group of lints.
pub fn is_lint_or_group(name: &str) -> bool {
    lint::ALL.iter().any(|l| l.name == name) || lint_groups().contains(&name)
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub lint: &'static str,
    pub level: Level,
    /// Path as shown to the user (relative to the project root where possible).
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The locale folder the file belongs to, when known (set by `check`).
    /// (`Box<str>` fields keep a finding small: stages return them in `Result`s.)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<Box<str>>,
    /// Line `line` of the file, or the part of a long line around the
    /// column, for display (set by `check::snippets`).
    /// (Boxed: most findings are never shown, and a finding stays small.)
    #[serde(flatten)]
    pub snippet: Option<Box<Snippet>>,
    /// For `segment::stale`: the pair's old English and the English that
    /// took its place, as data (`check --format json`).
    #[serde(flatten)]
    pub drift: Option<Box<Drift>>,
}

/// A stale sentence's English then and now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Drift {
    /// The English the translation was made from (its sxs-lookup).
    pub old_english: Box<str>,
    /// The sentence of the English of record in its place; `null` when the
    /// English removed it.
    pub new_english: Option<Box<str>>,
}

/// The source line of a finding, as shown: the whole line when it is short,
/// else a window of it around the finding's column, so that many findings on
/// one long line do not each hold a copy of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    #[serde(rename = "snippet")]
    pub text: Box<str>,
    /// The column (1-based, in characters) of the line at which `text`
    /// starts: 1 unless the start of the line was cut.
    #[serde(rename = "snippet_column", skip_serializing_if = "is_one")]
    pub column: usize,
    /// Whether the line goes on after `text`.
    #[serde(skip)]
    pub cut_end: bool,
}

fn is_one(n: &usize) -> bool {
    *n == 1
}

impl Snippet {
    /// The snippet of a finding at 1-based character `column` of `line`:
    /// the line if it has at most [`Snippet::BEFORE`] + [`Snippet::AFTER`]
    /// characters, else at most `BEFORE` characters before the column and
    /// `AFTER` from it on. `start` is the byte offset in `line` of that
    /// column (the caller may know it; [`Snippet::new`] counts it).
    pub fn at(line: &str, column: usize, start: usize) -> Snippet {
        let most = Self::BEFORE + Self::AFTER;
        // (The count is bounded: a line of more than 4 × `most` bytes has
        // more than `most` characters.)
        let whole = line.len() <= most || (line.len() <= 4 * most && line.chars().count() <= most);
        if whole {
            return Snippet {
                text: line.into(),
                column: 1,
                cut_end: false,
            };
        }
        let mut start = start.min(line.len());
        while !line.is_char_boundary(start) {
            start -= 1;
        }
        let before = line[..start]
            .char_indices()
            .rev()
            .take(Self::BEFORE)
            .last()
            .map_or(start, |(i, _)| i);
        let after = line[start..]
            .char_indices()
            .nth(Self::AFTER)
            .map_or(line.len(), |(i, _)| start + i);
        let cut_before = line[before..start].chars().count();
        Snippet {
            text: line[before..after].into(),
            column: column.saturating_sub(cut_before).max(1),
            cut_end: after < line.len(),
        }
    }

    /// [`Snippet::at`], counting the column's byte offset from the start of
    /// the line (linear in the column: for one finding, not many).
    pub fn new(line: &str, column: usize) -> Snippet {
        let start = line
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line.len(), |(i, _)| i);
        Snippet::at(line, column, start)
    }

    /// The text with `...` where the line was cut.
    pub fn marked(&self) -> String {
        let start = if self.column > 1 { "..." } else { "" };
        let end = if self.cut_end { "..." } else { "" };
        format!("{start}{}{end}", self.text)
    }

    /// Characters kept before the column of a long line.
    pub const BEFORE: usize = 80;
    /// Characters kept from the column of a long line on.
    pub const AFTER: usize = 160;
}

impl Finding {
    pub fn new(lint: Lint, file: &str, pos: Pos, message: impl Into<String>) -> Self {
        // A formatted message has room to spare; a run at 36 languages
        // keeps tens of thousands of findings to its end.
        let mut message = message.into();
        message.shrink_to_fit();
        Finding {
            lint: lint.name,
            level: lint.default_level,
            file: file.to_string(),
            line: pos.line,
            column: pos.column,
            message,
            locale: None,
            snippet: None,
            drift: None,
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}[{}]: {}\n  --> {}:{}:{}",
            self.level, self.lint, self.message, self.file, self.line, self.column
        )
    }
}

/// At most this many findings of one lint are listed for one file.
pub const MAX_PER_LINT: usize = 100;

/// Keeps the first [`MAX_PER_LINT`] findings of each lint of each file, in
/// the order given; the one after them stays, and says how many more of its
/// lint were left out of the list. A broken file can make one finding per
/// few bytes: thousands of them say no more than a hundred, and would cost
/// memory and screens.
pub fn cap(findings: &mut Vec<Finding>) {
    if findings.len() <= MAX_PER_LINT {
        return;
    }
    // (file, lint) → findings seen, and where the one that speaks for the
    // rest is; the keys borrow the findings (no copy of each file name).
    let mut seen: std::collections::HashMap<(&str, &str), (usize, usize)> =
        std::collections::HashMap::new();
    let mut keep = vec![false; findings.len()];
    for (i, f) in findings.iter().enumerate() {
        let entry = seen.entry((f.file.as_str(), f.lint)).or_insert((0, 0));
        entry.0 += 1;
        if entry.0 <= MAX_PER_LINT + 1 {
            entry.1 = i;
            keep[i] = true;
        }
    }
    let speakers: Vec<(usize, &'static str, usize)> = seen
        .into_iter()
        .filter(|(_, (count, _))| *count > MAX_PER_LINT + 1)
        .map(|(_, (count, at))| (at, findings[at].lint, count))
        .collect();
    for (at, lint, count) in speakers {
        say_how_many(&mut findings[at], lint, count);
    }
    let mut keep = keep.into_iter();
    findings.retain(|_| keep.next().unwrap_or(false));
}

/// Adds to the last finding of `lint` listed how many there were in all.
fn say_how_many(f: &mut Finding, lint: &str, count: usize) {
    if count > MAX_PER_LINT + 1 {
        let more = count - MAX_PER_LINT - 1;
        f.message = format!(
            "{} (and {more} more `{lint}` findings in this file, not listed: {count} in all)",
            f.message
        );
    }
}

/// [`cap`] for a stage that makes the findings of one file one by one: it
/// asks [`Tally::wants`] before making (and placing) each, so that those the
/// cap would leave out cost nothing, then [`Tally::finish`] says how many
/// there were.
#[derive(Debug, Default)]
pub struct Tally {
    counts: std::collections::HashMap<&'static str, usize>,
}

impl Tally {
    /// Counts a finding of `lint`; whether it is to be made.
    pub fn wants(&mut self, lint: Lint) -> bool {
        let n = self.counts.entry(lint.name).or_insert(0);
        *n += 1;
        *n <= MAX_PER_LINT + 1
    }

    /// Adds the counts to the last finding made of each lint in `findings`.
    pub fn finish(self, findings: &mut [Finding]) {
        for (lint, count) in self.counts {
            if let Some(f) = findings.iter_mut().rev().find(|f| f.lint == lint) {
                say_how_many(f, lint, count);
            }
        }
    }
}

/// A 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub const START: Pos = Pos { line: 1, column: 1 };
}

/// Maps byte offsets of one text to line and column.
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset at which each line starts.
    starts: Vec<usize>,
    /// The characters before every [`CHAR_STEP`]-th byte, so that a column
    /// on a very long line is counted from the nearest step, not from the
    /// line's start (many places on one 2 MB line were quadratic). Counted
    /// the first time a line that long is asked for.
    chars: OnceLock<Vec<usize>>,
}

/// Bytes between two character counts of [`LineIndex`].
const CHAR_STEP: usize = 1024;

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            text,
            starts,
            chars: OnceLock::new(),
        }
    }

    /// The position of byte `offset` (clamped to the text, and to a char
    /// boundary), in time logarithmic in the text's lines plus at most
    /// [`CHAR_STEP`] bytes counted.
    pub fn pos(&self, offset: usize) -> Pos {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        // A short stretch is counted as it is; a long one from the nearest
        // step.
        let chars = if offset - start <= CHAR_STEP {
            self.text[start..offset].chars().count()
        } else {
            self.chars_before(offset) - self.chars_before(start)
        };
        let column = chars + 1;
        Pos {
            line: line + 1,
            column,
        }
    }

    /// The characters of the text before byte `offset` (a char boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let chars = self.chars.get_or_init(|| {
            let mut chars = Vec::with_capacity(self.text.len() / CHAR_STEP + 2);
            let mut before = 0;
            chars.push(0);
            for step in self.text.as_bytes().chunks(CHAR_STEP) {
                before += count_chars(step);
                chars.push(before);
            }
            chars
        });
        let step = offset / CHAR_STEP;
        chars[step] + count_chars(&self.text.as_bytes()[step * CHAR_STEP..offset])
    }

    /// A cursor for positions asked in increasing order: each call counts
    /// only the characters since the previous one, so that the positions of
    /// many pairs on one very long line cost linear time, not quadratic.
    pub fn cursor(&self) -> Cursor<'_, 'a> {
        Cursor {
            index: self,
            offset: 0,
            pos: Pos::START,
        }
    }

    /// The text of 1-based line `line`, without its line break.
    pub fn line_text(&self, line: usize) -> &'a str {
        let Some(&start) = self.starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self.starts.get(line).map_or(self.text.len(), |&e| e - 1);
        &self.text[start..end]
    }
}

/// The characters that start in `bytes` (of UTF-8 text, cut anywhere): the
/// bytes that do not continue a character.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// See [`LineIndex::cursor`].
pub struct Cursor<'i, 'a> {
    index: &'i LineIndex<'a>,
    offset: usize,
    pos: Pos,
}

impl Cursor<'_, '_> {
    pub fn pos(&mut self, offset: usize) -> Pos {
        let text = self.index.text;
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let same_line = offset >= self.offset && !text[self.offset..offset].contains('\n');
        self.pos = if same_line {
            Pos {
                line: self.pos.line,
                column: self.pos.column + text[self.offset..offset].chars().count(),
            }
        } else {
            self.index.pos(offset)
        };
        self.offset = offset;
        self.pos
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_agrees_with_pos() {
        let text = "ab\n密码x y z\n\nlast";
        let idx = LineIndex::new(text);
        let mut cursor = idx.cursor();
        for offset in [0, 1, 3, 6, 9, 10, 12, 14, 15, 18, 2, 0] {
            assert_eq!(cursor.pos(offset), idx.pos(offset), "offset {offset}");
        }
    }

    #[test]
    fn cursor_agrees_with_pos_at_every_offset_and_stride() {
        let text = "---\r\ntitle: é\n\n\n密码 a\r\n\nb c 😀\nlast line";
        let idx = LineIndex::new(text);
        for stride in 1..6 {
            let mut cursor = idx.cursor();
            for offset in (0..text.len() + 3).step_by(stride) {
                assert_eq!(cursor.pos(offset), idx.pos(offset), "offset {offset}");
            }
        }
    }

    #[test]
    fn every_place_agrees_with_counting_from_the_start() {
        // Lines shorter, as long as and longer than a step, in one- and
        // three-byte characters: short stretches are counted as they are,
        // long ones from the steps.
        let mut text = String::new();
        for (n, c) in [
            (10, 'a'),
            (CHAR_STEP - 1, 'b'),
            (CHAR_STEP, 'c'),
            (CHAR_STEP + 1, 'd'),
        ] {
            text.extend(std::iter::repeat_n(c, n));
            text.push('\n');
            text.extend(std::iter::repeat_n('密', n / 3));
            text.push('x');
            text.push('\n');
        }
        text.extend(std::iter::repeat_n('密', CHAR_STEP));
        let idx = LineIndex::new(&text);
        for (offset, _) in text.char_indices() {
            let before = &text[..offset];
            let line = before.matches('\n').count() + 1;
            let start = before.rfind('\n').map_or(0, |i| i + 1);
            let column = text[start..offset].chars().count() + 1;
            assert_eq!(idx.pos(offset), Pos { line, column }, "offset {offset}");
        }
    }

    #[test]
    fn columns_past_many_steps_count_characters() {
        // A long line of mixed widths, cut into steps mid-character.
        let line = "a密b".repeat(CHAR_STEP);
        let text = format!("x\n{line}\n{line}");
        let idx = LineIndex::new(&text);
        for (offset, _) in text.char_indices().step_by(97) {
            let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let want = Pos {
                line: text[..offset].matches('\n').count() + 1,
                column: text[start..offset].chars().count() + 1,
            };
            assert_eq!(idx.pos(offset), want, "offset {offset}");
        }
        assert_eq!(idx.pos(text.len()).column, line.chars().count() + 1);
    }

    #[test]
    fn positions_count_characters() {
        let idx = LineIndex::new("ab\n密码x\n");
        assert_eq!(idx.pos(0), Pos { line: 1, column: 1 });
        assert_eq!(idx.pos(3), Pos { line: 2, column: 1 });
        // 'x' comes after two three-byte characters.
        assert_eq!(idx.pos(9), Pos { line: 2, column: 3 });
        assert_eq!(idx.line_text(2), "密码x");
        assert_eq!(idx.line_text(9), "");
    }

    #[test]
    fn many_findings_of_one_lint_in_one_file_are_capped() {
        let at = |file: &str, lint: Lint, n: usize| {
            Finding::new(lint, file, Pos { line: n, column: 1 }, format!("#{n}"))
        };
        let mut findings: Vec<Finding> = (1..=1_000)
            .map(|n| at("a.md", lint::SXS_UNTERMINATED, n))
            .chain((1..=MAX_PER_LINT + 1).map(|n| at("a.md", lint::SXS_ID_MISMATCH, n)))
            .chain((1..=500).map(|n| at("b.md", lint::SXS_UNTERMINATED, n)))
            .collect();
        cap(&mut findings);
        let count = |file: &str, lint: Lint| {
            findings
                .iter()
                .filter(|f| f.file == file && f.lint == lint.name)
                .count()
        };
        assert_eq!(count("a.md", lint::SXS_UNTERMINATED), MAX_PER_LINT + 1);
        assert_eq!(count("b.md", lint::SXS_UNTERMINATED), MAX_PER_LINT + 1);
        // One more than the cap: nothing left out, nothing said.
        assert_eq!(count("a.md", lint::SXS_ID_MISMATCH), MAX_PER_LINT + 1);
        assert!(findings.iter().all(|f| f.line <= MAX_PER_LINT + 1));
        let last = findings
            .iter()
            .find(|f| f.file == "a.md" && f.line == MAX_PER_LINT + 1)
            .expect("the finding after the cap");
        assert_eq!(
            last.message,
            "#101 (and 899 more `sxs::unterminated` findings in this file, not listed: 1000 in all)"
        );
        assert!(findings
            .iter()
            .filter(|f| f.lint == "sxs::id-mismatch")
            .all(|f| !f.message.contains("more")));
    }

    #[test]
    fn lint_names_are_unique() {
        let mut names: Vec<_> = lint::ALL.iter().map(|l| l.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), lint::ALL.len());
    }
}
