//! Reading PO files, as `export` writes them and as Poedit, Weblate or
//! msgcat rewrite them: entries reordered, strings rewrapped, `fuzzy` added
//! or removed, previous strings (`#|`) and obsolete entries (`#~`) added.
//!
//! Two steps, so that the crate that reads PO (`polib`, used only here)
//! never sees anything it would misread:
//!
//! 1. [`lex`] checks the file line by line and stops at the first problem
//!    with its line and column: a line that is not blank, a comment, a
//!    keyword with one quoted string, or a continuation string; an unknown
//!    escape; a missing closing quote; an entry with no `msgstr`; a repeated
//!    `msgctxt` + `msgid`; no header first. It notes where each entry starts,
//!    and gives `polib` the same lines in the shape it reads (entries
//!    separated by blank lines, obsolete entries and comment-only blocks left
//!    out, `#,fuzzy` spelled `#, fuzzy`, a bare `#` as `# `).
//! 2. `polib` reads that text: the header, each entry's strings unescaped,
//!    its flags.
//!
//! Each entry becomes a [`Unit`]: `msgctxt` is the key, `msgid` the English
//! it was exported with, `msgstr` the translation (none when empty), and it
//! is confirmed unless it is `fuzzy`. The locale is what the header's
//! `Language-Team` (export writes the tag there) or `Language` (gettext
//! form) names, else what the file name or a folder above it names; where
//! they name different locales of the project the file is refused
//! ([`locale_of`]).

use super::{Locales, ReadError, Unit};
use polib::message::MessageView;
use std::collections::HashMap;

/// The project locale a PO file is for: what its header says
/// (`Language-Team`, where export writes the tag, and `Language`, in gettext
/// form), else what its name or a folder above it says (`names`, nearest
/// first). Sources that disagree are an error rather than a guess: a file
/// copied from one language to start another keeps the old header, and its
/// translations would otherwise go into the wrong language without a word.
fn locale_of(
    meta: &polib::metadata::CatalogMetadata,
    names: &[String],
    locales: &Locales,
) -> Result<String, String> {
    let field = |name: &'static str, value: &str| {
        let value = value.trim();
        locales
            .resolve(value)
            .map(|locale| (locale, format!("`{name}: {value}`")))
    };
    let team = field("Language-Team", &meta.language_team);
    let language = field("Language", &meta.language);
    let header = match (team, language) {
        // The tag and its own gettext form (zh-Hant-TW and zh_TW) agree.
        (Some((t, said_t)), Some((l, said_l)))
            if t != l && crate::export::plural::gettext_language(&t) != meta.language.trim() =>
        {
            return Err(format!(
                "the header names two locales: {t} ({said_t}) and {l} ({said_l}); \
                 make them agree"
            ));
        }
        (Some(t), _) => Some(t),
        (None, l) => l,
    };
    let by_name = names.iter().find_map(|n| {
        locales
            .resolve(n.trim())
            .map(|locale| (locale, format!("`{n}`")))
    });
    match (header, by_name) {
        (Some((h, said_h)), Some((n, said_n))) if h != n => Err(format!(
            "the header says {h} ({said_h}) but the file's path says {n} ({said_n}); \
             fix the header or move the file"
        )),
        (Some((locale, _)), _) | (None, Some((locale, _))) => Ok(locale),
        (None, None) => {
            let candidates: Vec<String> = [&meta.language_team, &meta.language]
                .into_iter()
                .chain(names)
                .filter(|c| !c.trim().is_empty())
                .map(|c| format!("`{c}`"))
                .collect();
            Err(format!(
                "cannot tell which locale this file is for: none of {} names a locale of the \
                 project ({})",
                candidates.join(", "),
                locales.list()
            ))
        }
    }
}

/// One entry as the lexer saw it.
#[derive(Debug)]
struct Entry {
    /// The line of its `msgctxt` (or `msgid` when it has none).
    line: usize,
}

/// What the lexer hands on: the text for `polib` and the entries, header
/// first, in order.
#[derive(Debug)]
struct Lexed {
    text: String,
    entries: Vec<Entry>,
}

/// Reads the units of a PO file. `names` are the file name and the folders
/// above it, nearest first, as hints for the locale.
pub fn read(text: &str, names: &[String], locales: &Locales) -> Result<Vec<Unit>, ReadError> {
    let lexed = lex(text)?;
    let catalog = polib::po_file::parse_from_reader(lexed.text.as_bytes()).map_err(|e| {
        ReadError::at(
            lexed.entries.first().map_or(1, |e| e.line),
            1,
            format!("the header could not be read: {e}"),
        )
    })?;
    let header_line = lexed.entries.first().map_or(1, |e| e.line);
    let locale = locale_of(&catalog.metadata, names, locales)
        .map_err(|message| ReadError::at(header_line, 1, message))?;
    let messages: Vec<&dyn MessageView> = catalog.messages().collect();
    let entries = &lexed.entries[1..];
    if messages.len() != entries.len() {
        // The lexer rejects repeated entries; this would be a difference
        // between its reading and polib's.
        return Err(ReadError::at(
            header_line,
            1,
            format!(
                "{} entries were found but {} could be read",
                entries.len(),
                messages.len()
            ),
        ));
    }
    Ok(messages
        .iter()
        .zip(entries)
        .map(|(m, e)| {
            let target = if m.is_plural() {
                None
            } else {
                m.msgstr()
                    .ok()
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
            };
            Unit {
                line: e.line,
                locale: Ok(locale.clone()),
                key: m.msgctxt().unwrap_or_default().to_string(),
                source: m.msgid().to_string(),
                target,
                confirmed: !m.is_fuzzy(),
            }
        })
        .collect())
}

/// The kinds of keyword line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keyword {
    Msgctxt,
    Msgid,
    MsgidPlural,
    Msgstr,
    MsgstrN,
}

/// The entry being read.
#[derive(Debug, Default)]
struct Current {
    /// Comment lines, held until a keyword shows the entry is a real one.
    comments: Vec<String>,
    /// The keyword of the last keyword line, if any.
    last: Option<Keyword>,
    line: usize,
    has_ctxt: bool,
    has_id: bool,
    has_str: bool,
    /// The raw (escaped) msgctxt and msgid, for repeats.
    ctxt: String,
    id: String,
    str_empty: bool,
}

struct Lexer {
    out: String,
    entries: Vec<Entry>,
    cur: Current,
    seen: HashMap<(bool, String, String), usize>,
}

fn lex(text: &str) -> Result<Lexed, ReadError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut lx = Lexer {
        out: String::with_capacity(text.len()),
        entries: Vec::new(),
        cur: Current::default(),
        seen: HashMap::new(),
    };
    for (i, line) in text.split('\n').enumerate() {
        let n = i + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            lx.end_entry(n)?;
        } else if line.starts_with("#~") {
            // An obsolete entry: not a unit.
        } else if let Some(rest) = line.strip_prefix('#') {
            if lx.cur.has_str {
                lx.end_entry(n)?;
            }
            let comment = match rest.strip_prefix(',') {
                Some(flags) => format!("#, {}", flags.trim()),
                // polib panics on a bare `#` that starts a file.
                None if rest.is_empty() => "# ".to_string(),
                None => line.to_string(),
            };
            lx.cur.comments.push(comment);
        } else if line.starts_with('"') {
            let Some(last) = lx.cur.last else {
                return Err(ReadError::at(
                    n,
                    1,
                    "a string with no keyword (msgid, msgstr…) before it",
                ));
            };
            let raw = string(line, 0, n)?;
            lx.cur.append(last, raw);
            lx.out.push('"');
            lx.out.push_str(raw);
            lx.out.push_str("\"\n");
        } else {
            lx.keyword(line, n)?;
        }
    }
    lx.end_entry(text.split('\n').count() + 1)?;
    if lx.entries.is_empty() {
        return Err(ReadError::at(1, 1, "no entries: this is not a PO file"));
    }
    Ok(Lexed {
        text: lx.out,
        entries: lx.entries,
    })
}

impl Current {
    fn append(&mut self, keyword: Keyword, raw: &str) {
        match keyword {
            Keyword::Msgctxt => self.ctxt.push_str(raw),
            Keyword::Msgid => self.id.push_str(raw),
            Keyword::Msgstr | Keyword::MsgstrN => self.str_empty &= raw.is_empty(),
            Keyword::MsgidPlural => {}
        }
    }
}

impl Lexer {
    fn keyword(&mut self, line: &str, n: usize) -> Result<(), ReadError> {
        let word_end = line
            .find(|c: char| c.is_whitespace() || c == '"')
            .unwrap_or(line.len());
        let word = &line[..word_end];
        let keyword =
            match word {
                "msgctxt" => Keyword::Msgctxt,
                "msgid" => Keyword::Msgid,
                "msgid_plural" => Keyword::MsgidPlural,
                "msgstr" => Keyword::Msgstr,
                w if w.starts_with("msgstr[")
                    && w.ends_with(']')
                    && w.len() == 9
                    && w.as_bytes()[7].is_ascii_digit() =>
                {
                    Keyword::MsgstrN
                }
                _ => return Err(ReadError::at(
                    n,
                    1,
                    "expected a comment, a keyword (msgctxt, msgid, msgstr…) or a quoted string",
                )),
            };
        let quote = word_end + (line[word_end..].len() - line[word_end..].trim_start().len());
        if quote == word_end || !line[quote..].starts_with('"') {
            return Err(ReadError::at(
                n,
                column(line, quote),
                format!("`{word}` must be followed by a space and a quoted string"),
            ));
        }
        let raw = string(line, quote, n)?;
        let cur = &self.cur;
        let starts_entry = match keyword {
            Keyword::Msgctxt => cur.has_ctxt || cur.has_id,
            Keyword::Msgid => cur.has_id,
            _ => false,
        };
        if starts_entry {
            if !cur.has_str {
                return Err(ReadError::at(
                    n,
                    1,
                    format!("the entry at line {} has no msgstr", cur.line),
                ));
            }
            self.end_entry(n)?;
        }
        let cur = &mut self.cur;
        let misplaced = match keyword {
            Keyword::Msgctxt | Keyword::Msgid => cur.has_str,
            Keyword::MsgidPlural => !cur.has_id || cur.has_str,
            Keyword::Msgstr => !cur.has_id || cur.has_str,
            Keyword::MsgstrN => !cur.has_id,
        };
        if misplaced {
            return Err(ReadError::at(
                n,
                1,
                format!("`{word}` is out of place here"),
            ));
        }
        if cur.last.is_none() {
            cur.line = n;
            if !self.out.is_empty() && !self.out.ends_with("\n\n") {
                self.out.push('\n');
            }
            for c in cur.comments.drain(..) {
                self.out.push_str(&c);
                self.out.push('\n');
            }
        }
        match keyword {
            Keyword::Msgctxt => cur.has_ctxt = true,
            Keyword::Msgid => cur.has_id = true,
            Keyword::Msgstr | Keyword::MsgstrN => {
                if !cur.has_str {
                    cur.str_empty = true;
                }
                cur.has_str = true;
            }
            Keyword::MsgidPlural => {}
        }
        cur.append(keyword, raw);
        cur.last = Some(keyword);
        self.out.push_str(word);
        self.out.push_str(" \"");
        self.out.push_str(raw);
        self.out.push_str("\"\n");
        Ok(())
    }

    /// Ends the entry being read (at line `n`, for messages).
    fn end_entry(&mut self, n: usize) -> Result<(), ReadError> {
        let cur = std::mem::take(&mut self.cur);
        if cur.last.is_none() {
            // Comments alone: nothing to read.
            return Ok(());
        }
        if !cur.has_id || !cur.has_str {
            let missing = if cur.has_id { "msgstr" } else { "msgid" };
            return Err(ReadError::at(
                cur.line,
                1,
                format!("this entry has no {missing} (it ends at line {n})"),
            ));
        }
        let header = self.entries.is_empty();
        if header && (cur.has_ctxt || !cur.id.is_empty() || cur.str_empty) {
            return Err(ReadError::at(
                cur.line,
                1,
                "a PO file starts with its header: an entry with msgid \"\" and the header fields \
                 in its msgstr",
            ));
        }
        let key = (cur.has_ctxt, cur.ctxt, cur.id);
        if let Some(first) = self.seen.insert(key, cur.line) {
            return Err(ReadError::at(
                cur.line,
                1,
                format!("this entry has the same msgctxt and msgid as the entry at line {first}"),
            ));
        }
        self.entries.push(Entry { line: cur.line });
        self.out.push('\n');
        Ok(())
    }
}

/// The raw content of the quoted string starting at byte `quote` of `line`
/// (line `n`), checked: escapes polib reads, a closing quote, nothing after
/// it but blanks.
fn string(line: &str, quote: usize, n: usize) -> Result<&str, ReadError> {
    let body = &line[quote + 1..];
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                let after = &body[i + 1..];
                if !after.trim().is_empty() {
                    let at = quote + 1 + i + 1 + (after.len() - after.trim_start().len());
                    return Err(ReadError::at(
                        n,
                        column(line, at),
                        "unexpected text after the closing quote (a `\"` inside a string is \
                         written `\\\"`)",
                    ));
                }
                return Ok(&body[..i]);
            }
            '\\' => match chars.next() {
                Some((_, '\\' | '"' | 'n' | 'r' | 't')) => {}
                Some((_, other)) => {
                    return Err(ReadError::at(
                        n,
                        column(line, quote + 1 + i),
                        format!(
                        "the escape `\\{other}` is not supported (use \\n, \\t, \\r, \\\", \\\\)"
                    ),
                    ))
                }
                None => break,
            },
            _ => {}
        }
    }
    Err(ReadError::at(
        n,
        column(line, quote),
        "this string has no closing quote",
    ))
}

/// The 1-based column (characters) of byte `at` of `line`.
fn column(line: &str, at: usize) -> usize {
    line.get(..at).map_or(1, |s| s.chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "msgid \"\"\nmsgstr \"\"\n\"Language: zh_CN\\n\"\n\"Language-Team: zh-CN\\n\"\n";

    fn locales() -> Locales {
        Locales::new(["zh-CN", "sv-SE", "sr-Latn-RS"].map(String::from).to_vec())
    }

    fn units(text: &str) -> Result<Vec<Unit>, ReadError> {
        read(text, &[], &locales())
    }

    #[test]
    fn rewrapped_reordered_and_obsolete() {
        let po = format!(
            "# translator comment\n{HEADER}\n#, fuzzy\nmsgctxt \"b.md#2\"\nmsgid \"Two\"\nmsgstr \"\"\n\"二 \\\"\"\n\"引\\\"\"\n\n\
             #~ msgctxt \"old\"\n#~ msgid \"Old\"\n#~ msgstr \"旧\"\n\n\
             #| msgid \"One (old)\"\n#,fuzzy, no-wrap\nmsgctxt \"a.md#1\"\nmsgid \"One\"\nmsgstr \"一\"\n\
             msgctxt \"a.md#3\"\nmsgid \"Three\"\nmsgstr \"\"\n"
        );
        let got = units(&po).expect("read");
        let brief: Vec<_> = got
            .iter()
            .map(|u| (u.line, u.key.as_str(), u.target.as_deref(), u.confirmed))
            .collect();
        assert_eq!(
            brief,
            [
                (8, "b.md#2", Some("二 \"引\""), false),
                (20, "a.md#1", Some("一"), false),
                (23, "a.md#3", None, true),
            ]
        );
        assert_eq!(got[0].locale, Ok("zh-CN".to_string()));
    }

    #[test]
    fn the_locale_from_language_or_the_file_name() {
        let po = "msgid \"\"\nmsgstr \"Language: sr_RS@latin\\nLanguage-Team: Serbian\\n\"\n\nmsgctxt \"a\"\nmsgid \"b\"\nmsgstr \"c\"\n";
        assert_eq!(units(po).expect("read")[0].locale, Ok("sr-Latn-RS".into()));
        let po = "msgid \"\"\nmsgstr \"X: y\\n\"\n\nmsgctxt \"a\"\nmsgid \"b\"\nmsgstr \"c\"\n";
        let got = read(po, &["sv-se".into()], &locales()).expect("read");
        assert_eq!(got[0].locale, Ok("sv-SE".into()));
        let err = units(po).expect_err("no locale");
        assert_eq!(err.line, 1);
    }

    /// A file copied from one language to start another keeps the old
    /// header: where the header's fields, or the header and the file's
    /// path, name different locales, the file is refused, not guessed at.
    #[test]
    fn sources_that_disagree_on_the_locale_are_refused() {
        let header = |language: &str, team: &str| {
            format!(
                "msgid \"\"\nmsgstr \"Language: {language}\\nLanguage-Team: {team}\\n\"\n\n\
                 msgctxt \"a\"\nmsgid \"b\"\nmsgstr \"c\"\n"
            )
        };
        let read_as = |po: &str, names: &[&str]| {
            let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
            read(po, &names, &locales()).map(|units| units[0].locale.clone())
        };
        let err = read_as(&header("sv_SE", "zh-CN"), &[]).expect_err("two locales");
        assert!(
            err.message.contains("the header names two locales: zh-CN")
                && err.message.contains("`Language: sv_SE`"),
            "{}",
            err.message
        );
        let err = read_as(&header("zh_CN", "zh-CN"), &["sv-SE", "po"]).expect_err("path");
        assert!(
            err.message.contains("the header says zh-CN") && err.message.contains("`sv-SE`"),
            "{}",
            err.message
        );
        // What agrees, or says nothing of a project locale, is read.
        assert_eq!(
            read_as(&header("zh_CN", "zh-CN"), &["zh-CN", "sv-SE"]),
            Ok(Ok("zh-CN".into()))
        );
        assert_eq!(
            read_as(&header("sr_RS@latin", "sr-Latn-RS"), &["translations"]),
            Ok(Ok("sr-Latn-RS".into()))
        );
        assert_eq!(
            read_as(&header("sv_SE", "Swedish <sv@li.org>"), &["sv-SE"]),
            Ok(Ok("sv-SE".into()))
        );
        let tw = Locales::new(["zh-Hant-TW", "zh-TW"].map(String::from).to_vec());
        let po = header("zh_TW", "zh-Hant-TW");
        let got = read(&po, &["zh-Hant-TW".into()], &tw).expect("its own gettext form");
        assert_eq!(got[0].locale, Ok("zh-Hant-TW".into()));
    }

    #[test]
    fn errors_have_a_place() {
        let cases = [
            (
                format!("{HEADER}\nmsgid \"a\"\nmsgstr \"b\\q\"\n"),
                (7, 10),
                "escape",
            ),
            (
                format!("{HEADER}\nmsgid \"a\nmsgstr \"b\"\n"),
                (6, 7),
                "closing quote",
            ),
            (
                format!("{HEADER}\nmsgid \"a\" x\nmsgstr \"b\"\n"),
                (6, 11),
                "after the closing",
            ),
            (
                format!("{HEADER}\nmsgid \"a\"\n\nmsgstr \"b\"\n"),
                (6, 1),
                "no msgstr",
            ),
            (
                format!("{HEADER}\nmsgid\"a\"\nmsgstr \"b\"\n"),
                (6, 6),
                "followed by",
            ),
            (format!("{HEADER}\n  msgid \"a\"\n"), (6, 1), "expected"),
            (format!("{HEADER}\n\"a\"\n"), (6, 1), "no keyword"),
            (
                format!("{HEADER}\nmsgid \"a\"\nmsgstr \"b\"\n\nmsgid \"a\"\nmsgstr \"c\"\n"),
                (9, 1),
                "line 6",
            ),
            ("msgid \"a\"\nmsgstr \"b\"\n".to_string(), (1, 1), "header"),
            ("\n".to_string(), (1, 1), "not a PO file"),
        ];
        for (po, (line, column), says) in cases {
            let err = units(&po).expect_err(&po);
            assert_eq!((err.line, err.column), (line, column), "{po}: {err:?}");
            assert!(err.message.contains(says), "{po}: {err:?}");
        }
    }

    /// polib panics on several malformed lines; the lexer stops each of
    /// them first.
    #[test]
    fn nothing_reaches_polib_that_it_would_panic_on() {
        // A bare `#` first: gettext's own templates start so.
        let po = format!("#\n{HEADER}\nmsgctxt \"a\"\nmsgid \"a\"\nmsgstr \"b\"\n");
        assert_eq!(units(&po).expect("read")[0].target.as_deref(), Some("b"));
        for po in [
            format!("{HEADER}\nmsgid \"\nmsgstr \"\"\n"),
            format!("{HEADER}\nmsgid \"é"),
            format!("\"x\"\n{HEADER}"),
            format!("{HEADER}\nmsgid \"a\"\nmsgstr \"\"\n\"\n"),
        ] {
            assert!(units(&po).is_err(), "{po}");
        }
    }

    proptest::proptest! {
        /// Any sequence of PO-like lines is read or refused, never a panic.
        #[test]
        fn any_lines_are_read_or_refused(lines in proptest::collection::vec(
            proptest::sample::select(&[
                "", "#", "#,", "#, fuzzy", "#~ msgid \"x\"", "#| msgid \"y\"", "# c", "#. e",
                "msgid \"\"", "msgstr \"\"", "\"Language: zh_CN\\n\"", "msgctxt \"a.md#1\"",
                "msgid \"a\"", "msgstr \"b\"", "msgid_plural \"as\"", "msgstr[0] \"c\"",
                "msgstr[1] \"d\"", "\"", "\"x", "\"\\\"", "msgid", "msgstr \"é", "\"Plural-Forms: x\\n\"",
                "  \"x\"", "m", "\u{FEFF}msgid \"\"", "msgid \"a\" \"b\"", "\"\\q\"",
            ][..]),
            0..30,
        )) {
            let _ = units(&lines.join("\n"));
        }
    }
}
