//! Front matter: splits the YAML block off an article and reads it.
//!
//! The only module that touches YAML. Input: the file's text (BOM removed, LF
//! line endings). Output: a [`FrontMatter`] with typed fields for what helpbook
//! uses and every other key kept as JSON values, the byte offset where the body
//! starts, and problems at byte offsets of the input.
//!
//! Nothing here fails: a missing, unclosed or invalid block still yields a body
//! and whatever keys could be read, with a problem that says where it went wrong.

use serde_json::Value as Json;
use serde_yaml::Value as Yaml;
use std::collections::BTreeMap;

/// The front matter of one article.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    /// `ms.contentlocale`
    pub content_locale: Option<String>,
    /// `ms.translationtype`: `HT` (human) or `MT` (machine).
    pub translation_type: Option<String>,
    /// `ms.lasthandoff`, as written.
    pub last_handoff: Option<String>,
    /// `ms.openlocfilehash`
    pub open_loc_file_hash: Option<String>,
    /// `ms.sourcegitcommit`
    pub source_git_commit: Option<String>,
    /// `ROBOTS`, e.g. `NOINDEX, NOFOLLOW`.
    pub robots: Option<String>,
    /// Every other key, in key order.
    pub extra: BTreeMap<String, Json>,
}

impl FrontMatter {
    /// `ms.lasthandoff` as a date, if it is one.
    pub fn handoff_date(&self) -> Option<Date> {
        self.last_handoff.as_deref().and_then(Date::parse)
    }

    pub fn is_machine_translated(&self) -> bool {
        self.translation_type
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case("MT"))
    }

    pub fn is_noindex(&self) -> bool {
        self.robots
            .as_deref()
            .is_some_and(|r| r.to_ascii_lowercase().contains("noindex"))
    }
}

/// A calendar date, ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Reads `MM/DD/YYYY` (the hand-off format) or ISO `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let nums: Vec<&str> = s.split(['/', '-']).collect();
        let [a, b, c] = nums.as_slice() else {
            return None;
        };
        let (y, m, d) = if a.len() == 4 { (a, b, c) } else { (c, a, b) };
        let date = Date {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        ((1..=12).contains(&date.month) && (1..=31).contains(&date.day)).then_some(date)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    Missing,
    Unclosed,
    Invalid,
    SuspiciousKey,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    /// Byte offset into the input.
    pub offset: usize,
    pub message: String,
}

/// The result of splitting one file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Split {
    pub front: FrontMatter,
    /// Byte offset of the body in the input.
    pub body_start: usize,
    pub problems: Vec<Problem>,
}

/// Splits `text` into front matter and body.
pub fn split(text: &str) -> Split {
    let Some(yaml_start) = opening_fence(text) else {
        return Split {
            problems: vec![Problem {
                kind: ProblemKind::Missing,
                offset: 0,
                message: "the article has no front matter (a `---` line at the top)".into(),
            }],
            ..Split::default()
        };
    };
    let Some((yaml_end, body_start)) = closing_fence(text, yaml_start) else {
        return Split {
            body_start: yaml_start,
            problems: vec![Problem {
                kind: ProblemKind::Unclosed,
                offset: 0,
                message: "the front matter opened here is never closed by a `---` line; \
                          the rest of the file is read as the body"
                    .into(),
            }],
            ..Split::default()
        };
    };
    let yaml = &text[yaml_start..yaml_end];
    let read = cut_to_size(yaml);
    let (front, mut problems) = read_yaml(read, yaml_start);
    if read.len() < yaml.len() {
        problems.push(Problem {
            kind: ProblemKind::Invalid,
            offset: yaml_start + read.len(),
            message: format!(
                "the front matter is longer than {} KB; it is read up to this line, \
                 and the rest of it is ignored",
                MAX_YAML_BYTES / 1024
            ),
        });
    }
    Split {
        front,
        body_start,
        problems,
    }
}

/// Front matter is read up to the line that passes this many bytes. Real
/// front matter has a few hundred; the bound keeps the YAML parser's time
/// and memory small for any file.
const MAX_YAML_BYTES: usize = 256 * 1024;

/// YAML nested deeper than this (flow collections, block levels, compact
/// `- - x`) is not given to the YAML parser, whose time grows with the square
/// of the depth (20,000 nested `{a: ` took 33 s). Real front matter nests two
/// or three levels; the YAML library refuses more than 128 anyway.
const MAX_YAML_DEPTH: usize = 64;

/// `yaml` up to the end of the last line within [`MAX_YAML_BYTES`].
fn cut_to_size(yaml: &str) -> &str {
    if yaml.len() <= MAX_YAML_BYTES {
        return yaml;
    }
    let mut end = MAX_YAML_BYTES;
    while !yaml.is_char_boundary(end) {
        end -= 1;
    }
    yaml[..end].rfind('\n').map_or("", |i| &yaml[..=i])
}

/// Where `yaml` first nests deeper than [`MAX_YAML_DEPTH`], if it does: the
/// offset of the line or bracket that goes too deep. It over-counts rather
/// than under-counts (a bracket inside a quoted string counts too), so that
/// nothing too deep reaches the parser; only absurd text is refused for it.
fn too_deep(yaml: &str) -> Option<usize> {
    let mut flow = 0usize;
    // Indentation of each open block level.
    let mut indents: Vec<usize> = Vec::new();
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        let body = line.trim_start_matches(' ');
        let indent = line.len() - body.len();
        if flow == 0 && !body.trim().is_empty() {
            while indents.last().is_some_and(|&i| i >= indent) {
                indents.pop();
            }
            indents.push(indent);
            // `- - - x` and `? ? x` open a level per indicator on one line.
            let mut rest = body;
            let mut compact = 0;
            while let Some(r) = rest.strip_prefix("- ").or_else(|| rest.strip_prefix("? ")) {
                compact += 1;
                rest = r.trim_start_matches(' ');
            }
            if indents.len() + compact > MAX_YAML_DEPTH {
                return Some(offset + indent);
            }
        }
        for (i, b) in line.bytes().enumerate() {
            match b {
                b'[' | b'{' => {
                    flow += 1;
                    if indents.len() + flow > MAX_YAML_DEPTH {
                        return Some(offset + i);
                    }
                }
                b']' | b'}' => flow = flow.saturating_sub(1),
                _ => {}
            }
        }
        offset += line.len();
    }
    None
}

/// If `text` opens with a `---` line, the offset after it.
fn opening_fence(text: &str) -> Option<usize> {
    let first = text.split_inclusive('\n').next()?;
    (first.trim_end() == "---").then_some(first.len())
}

/// Finds the closing `---` (or `...`) line: (end of YAML, start of body).
fn closing_fence(text: &str, from: usize) -> Option<(usize, usize)> {
    let mut at = from;
    for line in text[from..].split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            return Some((at, at + line.len()));
        }
        at += line.len();
    }
    None
}

/// Reads a front-matter block (the text between the fences) that starts at
/// byte `base` of the file.
#[doc(hidden)]
pub fn read_yaml(yaml: &str, base: usize) -> (FrontMatter, Vec<Problem>) {
    // What the fast path reads never nests (too deep or not): any other
    // block is left to the parser, and to its report.
    match simple::read(yaml) {
        Some(entries) => typed(
            entries.into_iter().map(|(k, v)| (Yaml::String(k), v)),
            yaml,
            base,
            Vec::new(),
        ),
        None => read_yaml_fully(yaml, base),
    }
}

/// [`read_yaml`] through the YAML parser alone, without the fast path.
#[doc(hidden)]
pub fn read_yaml_fully(yaml: &str, base: usize) -> (FrontMatter, Vec<Problem>) {
    let mut problems = Vec::new();
    if let Some(at) = too_deep(yaml) {
        problems.push(Problem {
            kind: ProblemKind::Invalid,
            offset: base + at,
            message: format!(
                "the front matter nests deeper than {MAX_YAML_DEPTH} levels here; \
                 only its other top-level keys are read"
            ),
        });
        return typed(salvage(yaml), yaml, base, problems);
    }
    let map = match serde_yaml::from_str::<Yaml>(yaml) {
        Ok(Yaml::Mapping(map)) => map,
        Ok(Yaml::Null) => serde_yaml::Mapping::new(),
        Ok(_) => {
            problems.push(Problem {
                kind: ProblemKind::Invalid,
                offset: base,
                message: "the front matter is not a mapping of keys to values".into(),
            });
            salvage(yaml)
        }
        Err(err) => {
            let offset = err
                .location()
                .map_or(base, |loc| base + loc.index().min(yaml.len()));
            let message = yaml_message(&err.to_string());
            problems.push(Problem {
                kind: ProblemKind::Invalid,
                offset,
                message: format!("invalid YAML in the front matter: {message}"),
            });
            salvage(yaml)
        }
    };
    typed(map, yaml, base, problems)
}

/// The typed fields of a mapping's entries, and every other key as JSON.
fn typed(
    map: impl IntoIterator<Item = (Yaml, Yaml)>,
    yaml: &str,
    base: usize,
    mut problems: Vec<Problem>,
) -> (FrontMatter, Vec<Problem>) {
    let mut front = FrontMatter::default();
    // Where the search for the next suspicious key starts: keys come in the
    // order they are written, so the block is searched once, not once per key.
    let mut searched = 0;
    for (key, value) in map {
        let key = match key {
            Yaml::String(s) => s,
            other => scalar_text(&other).unwrap_or_default(),
        };
        let slot = match key.as_str() {
            "title" => &mut front.title,
            "description" => &mut front.description,
            "ms.contentlocale" => &mut front.content_locale,
            "ms.translationtype" => &mut front.translation_type,
            "ms.lasthandoff" => &mut front.last_handoff,
            "ms.openlocfilehash" => &mut front.open_loc_file_hash,
            "ms.sourcegitcommit" => &mut front.source_git_commit,
            "ROBOTS" | "robots" => &mut front.robots,
            _ => {
                if key.chars().any(char::is_whitespace) {
                    // A key written with escapes is not found as it reads:
                    // reported where the search stands.
                    if let Some(i) = yaml[searched..].find(key.as_str()) {
                        searched += i;
                    }
                    problems.push(Problem {
                        kind: ProblemKind::SuspiciousKey,
                        offset: base + searched,
                        message: format!(
                            "front matter key `{key}` contains a space; two keys may have run together"
                        ),
                    });
                }
                front.extra.insert(key, to_json(value));
                continue;
            }
        };
        *slot = into_text(value);
    }
    (front, problems)
}

/// Reads the top-level entries of a broken block one at a time, keeping those
/// that parse: a line that starts at column 1 begins an entry.
fn salvage(yaml: &str) -> serde_yaml::Mapping {
    let mut map = serde_yaml::Mapping::new();
    let mut entries: Vec<String> = Vec::new();
    for line in yaml.lines() {
        let starts_entry = !line.starts_with([' ', '\t', '-', '#']) && !line.is_empty();
        match entries.last_mut() {
            Some(entry) if !starts_entry => {
                entry.push('\n');
                entry.push_str(line);
            }
            _ => entries.push(line.to_string()),
        }
    }
    for entry in entries.iter().filter(|e| too_deep(e).is_none()) {
        if let Ok(Yaml::Mapping(m)) = serde_yaml::from_str::<Yaml>(entry) {
            map.extend(m);
        }
    }
    map
}

/// [`scalar_text`], taking the string rather than copying it.
fn into_text(value: Yaml) -> Option<String> {
    match value {
        Yaml::String(s) => Some(s),
        other => scalar_text(&other),
    }
}

fn scalar_text(value: &Yaml) -> Option<String> {
    match value {
        Yaml::String(s) => Some(s.clone()),
        Yaml::Number(n) => Some(n.to_string()),
        Yaml::Bool(b) => Some(b.to_string()),
        Yaml::Tagged(t) => scalar_text(&t.value),
        _ => None,
    }
}

fn to_json(value: Yaml) -> Json {
    match value {
        Yaml::Null => Json::Null,
        Yaml::Bool(b) => Json::Bool(b),
        Yaml::Number(n) => n
            .as_i64()
            .map(Json::from)
            .or_else(|| n.as_u64().map(Json::from))
            .or_else(|| n.as_f64().map(Json::from))
            .unwrap_or(Json::Null),
        Yaml::String(s) => Json::String(s),
        Yaml::Sequence(seq) => Json::Array(seq.into_iter().map(to_json).collect()),
        Yaml::Mapping(map) => Json::Object(
            map.into_iter()
                .map(|(k, v)| (scalar_text(&k).unwrap_or_default(), to_json(v)))
                .collect(),
        ),
        Yaml::Tagged(t) => to_json(t.value),
    }
}

/// The YAML error's first line without the positions in it (which count from the
/// start of the block, not the file; the finding carries the file position).
fn yaml_message(s: &str) -> String {
    let mut line = s.lines().next().unwrap_or_default();
    let mut out = String::with_capacity(line.len());
    while let Some(i) = line.find(" at line ") {
        out.push_str(&line[..i]);
        // " at line N column M": digits, " column ", digits.
        let rest = &line[i + " at line ".len()..];
        let digits = |t: &str| t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let n = digits(rest);
        let after_line = &rest[n..];
        match after_line.strip_prefix(" column ") {
            Some(col) if n > 0 && digits(col) > 0 => line = &col[digits(col)..],
            _ => {
                out.push_str(" at line ");
                line = rest;
            }
        }
    }
    out.push_str(line);
    out
}

/// A fast path for the front matter nearly every article has: top-level
/// `key: value` lines whose values are single-line strings, or lists of them.
/// Anything it is not certain about (numbers, booleans, nulls written out,
/// escapes, comments, nesting, flow or block scalars, anchors, tags,
/// duplicate keys, a line it does not know) makes it answer None, and the
/// YAML parser reads the block instead. On the corpus, the two agree on every
/// file (the tests check it).
mod simple {
    use super::Yaml;

    pub fn read(yaml: &str) -> Option<Vec<(String, Yaml)>> {
        // Characters YAML refuses or reads as line breaks (control
        // characters, a BOM inside, U+2028/2029, non-characters): left to
        // the parser and its finding.
        // Looked for by their bytes first: every one of them is a control
        // byte, or a character that begins with 0xC2 (C1 controls), 0xE2
        // (U+2028, U+2029) or 0xEF (the others), which most blocks lack.
        let suspect = |b: &u8| matches!(b, 0..=0x09 | 0x0b..=0x1f | 0x7f | 0xc2 | 0xe2 | 0xef);
        if yaml.as_bytes().iter().any(suspect)
            && yaml.chars().any(|c| {
                (c.is_control() && c != '\n')
                    || matches!(
                        c,
                        '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                    )
            })
        {
            return None;
        }
        let mut out: Vec<(String, Yaml)> = Vec::new();
        // Keys seen: a short list, then a set. (Regression: a scan of `out`
        // for each key made 200,000 keys take 24 s.)
        let mut keys = Keys::default();
        let mut lines = yaml.lines().peekable();
        while let Some(line) = lines.next() {
            if line.trim().is_empty() {
                continue;
            }
            let (key, rest) = line.split_once(':')?;
            if !is_plain_key(key) || !keys.insert(key) {
                return None;
            }
            let value = if rest.is_empty() || rest.trim().is_empty() {
                let mut items = Vec::new();
                let mut indent = None;
                while let Some(next) = lines.peek() {
                    let item = next.trim_start_matches(' ');
                    let Some(text) = item.strip_prefix("- ") else {
                        break;
                    };
                    let depth = next.len() - item.len();
                    if *indent.get_or_insert(depth) != depth {
                        return None;
                    }
                    items.push(Yaml::String(scalar(text.trim_start_matches(' '))?));
                    lines.next();
                }
                if items.is_empty() {
                    Yaml::Null
                } else {
                    Yaml::Sequence(items)
                }
            } else {
                let text = rest.strip_prefix(' ')?.trim_start_matches(' ');
                Yaml::String(scalar(text)?)
            };
            // A following indented line would continue or nest this value.
            if lines
                .peek()
                .is_some_and(|next| next.starts_with([' ', '\t']) && !next.trim().is_empty())
            {
                return None;
            }
            out.push((key.to_string(), value));
        }
        Some(out)
    }

    /// A set of keys: a list while it is short (most blocks have a dozen),
    /// hashed past that.
    #[derive(Default)]
    struct Keys<'a> {
        few: Vec<&'a str>,
        many: std::collections::HashSet<&'a str>,
    }

    impl<'a> Keys<'a> {
        /// Adds `key`; false if it was there.
        fn insert(&mut self, key: &'a str) -> bool {
            const FEW: usize = 32;
            if self.few.len() < FEW {
                if self.few.contains(&key) {
                    return false;
                }
                self.few.push(key);
                return true;
            }
            if self.many.is_empty() {
                self.many.extend(self.few.iter().copied());
            }
            self.many.insert(key)
        }
    }

    fn is_plain_key(key: &str) -> bool {
        !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
            && !key.starts_with(['-', '.'])
            && !key.bytes().all(|b| b.is_ascii_digit())
    }

    /// A single-line scalar that is certainly a string, as YAML reads it.
    fn scalar(text: &str) -> Option<String> {
        let text = text.trim_end_matches(' ');
        if text.is_empty() || text.starts_with(' ') || text.contains('\t') {
            return None;
        }
        if let Some(inner) = text.strip_prefix('"') {
            let inner = inner.strip_suffix('"')?;
            return (!inner.contains(['"', '\\'])).then(|| inner.to_string());
        }
        if let Some(inner) = text.strip_prefix('\'') {
            let inner = inner.strip_suffix('\'')?;
            return (!inner.contains('\'')).then(|| inner.to_string());
        }
        // Looked for by byte, without a substring search's setup (which
        // cost more than the rest of this function on short values).
        let has = |a: u8, b: u8| text.as_bytes().windows(2).any(|w| w == [a, b]);
        let first = text.as_bytes().first()?;
        if b"-?:,[]{}#&*!|>'\"%@`".contains(first)
            || has(b':', b' ')
            || has(b' ', b'#')
            || text.ends_with(':')
        {
            return None;
        }
        // What the parser would read as a null, a boolean or a number
        // (integers in any base, and whatever Rust reads as a float) is left
        // to it; everything else is a string.
        let digits = text.trim_start_matches(['+', '-']);
        if matches!(
            text,
            "null" | "Null" | "NULL" | "~" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
        ) || digits.starts_with("0x")
            || digits.starts_with("0o")
            || digits.starts_with("0b")
            || (may_be_float(text) && text.parse::<f64>().is_ok())
        {
            return None;
        }
        Some(text.to_string())
    }

    /// Whether Rust might read `text` as a float: it starts as a number
    /// does, or names an infinity or NaN. (Only these are worth parsing.)
    fn may_be_float(text: &str) -> bool {
        text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))
            || ["inf", "infinity", "nan"]
                .iter()
                .any(|word| text.eq_ignore_ascii_case(word))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_messages_lose_the_blocks_own_line_numbers() {
        assert_eq!(
            yaml_message(
                "did not find expected ',' or ']' at line 5 column 4, while parsing a flow \
                 sequence at line 3 column 10\nmore"
            ),
            "did not find expected ',' or ']', while parsing a flow sequence"
        );
        assert_eq!(
            yaml_message("mapping values are not allowed in this context at line 2 column 9"),
            "mapping values are not allowed in this context"
        );
        assert_eq!(yaml_message("a key at line one"), "a key at line one");
    }

    /// Both readers, on one block; the fast one only where it answers.
    fn agree(yaml: &str) -> bool {
        let fast = simple::read(yaml).map(|entries| {
            let map = entries.into_iter().map(|(k, v)| (Yaml::String(k), v));
            typed(map, yaml, 0, Vec::new())
        });
        fast.is_none_or(|fast| fast == read_yaml_fully(yaml, 0))
    }

    #[test]
    fn fast_path_reads_what_the_parser_reads() {
        for yaml in [
            "title: Hej\nms.lasthandoff: 04/10/2020\nms.custom:\n- \"1\"\n- '2'\n  - x y\n",
            "title: Excel 崩溃？\nROBOTS: NOINDEX, NOFOLLOW\nempty:\nnext: a-b_c.d\n",
            "a: 'it''s'\n",
            "a: \"x\\ny\"\n",
            "n: 157\nb: true\nc: null\nd: ~\ne: 1e3\nf: .5\ng: 0x1F\nh: +1\n",
            "i: inf\nj: NaN\nk: +Infinity\nl: 5.\nm: infinite\n",
            "t: a: b\n",
            "t: a #c\n",
            "t: x\n  continued\n",
            "m:\n  k: v\n",
            "dup: 1\ndup: 2\n",
            "k: [a, b]\n",
            "k: >-\n  folded\n",
            "k: &a x\nj: *a\n",
            "# comment\nk: v\n",
            "Yes: No\n",
            "k: v \n",
            "k: a\u{3}b\n",
            "k: a\rb\n",
            "k: a\u{0}b\n",
            "k: a\u{85}b\n",
            "k: a\u{2028}b\n",
            "k:\n-  x\"\n-   - y\n",
        ] {
            assert!(agree(yaml), "{yaml:?}");
        }
        assert!(simple::read("title: Hej\nms.custom:\n- \"1\"\n").is_some());
        assert!(simple::read("n: 157\n").is_none());
        assert!(simple::read("n: inf\n").is_none());
        assert!(simple::read("n: infinite\n").is_some());
        assert!(simple::read("dup: a\ndup: b\n").is_none());
    }

    /// Every front matter of the corpus reads the same with and without the
    /// fast path (skipped where the corpus is absent).
    #[test]
    fn fast_path_agrees_on_the_corpus() {
        let Some(corpus) = crate::corpus::files() else {
            return;
        };
        let (mut files, mut fast) = (0, 0);
        for (path, bytes) in corpus {
            let Ok(text) = String::from_utf8(bytes) else {
                continue;
            };
            let text = text.replace("\r\n", "\n");
            let Some(start) = opening_fence(&text) else {
                continue;
            };
            let Some((end, _)) = closing_fence(&text, start) else {
                continue;
            };
            let yaml = &text[start..end];
            files += 1;
            if simple::read(yaml).is_some() {
                fast += 1;
            }
            assert!(agree(yaml), "{}", path.display());
        }
        eprintln!("{fast} of {files} front matters took the fast path");
        assert!(files > 10_000);
    }

    #[test]
    fn typed_and_extra_keys() {
        let s = split(
            "---\ntitle: Hej\nms.lasthandoff: 04/10/2020\nms.custom:\n- \"1\"\n---\n# Body\n",
        );
        assert_eq!(s.front.title.as_deref(), Some("Hej"));
        assert_eq!(
            s.front.handoff_date(),
            Some(Date {
                year: 2020,
                month: 4,
                day: 10
            })
        );
        assert_eq!(s.front.extra["ms.custom"], serde_json::json!(["1"]));
        assert_eq!(
            &"---\ntitle: Hej\nms.lasthandoff: 04/10/2020\nms.custom:\n- \"1\"\n---\n# Body\n"
                [s.body_start..],
            "# Body\n"
        );
        assert!(s.problems.is_empty());
    }

    #[test]
    fn invalid_yaml_keeps_what_parses() {
        let text = "---\ntitle: Hej\nbad: [unclosed\nms.translationtype: MT\n---\nbody";
        let s = split(text);
        assert_eq!(s.problems.len(), 1);
        assert_eq!(s.problems[0].kind, ProblemKind::Invalid);
        assert_eq!(s.front.title.as_deref(), Some("Hej"));
        assert!(s.front.is_machine_translated());
    }

    /// Regression: nesting 1,000,000 deep took the YAML parser minutes.
    #[test]
    fn deep_yaml_is_refused_and_the_other_keys_read() {
        let n = 40_000;
        for deep in [
            format!("k: {}x{}\n", "[".repeat(n), "]".repeat(n)),
            format!("k: {}x{}\n", "{a: ".repeat(n), "}".repeat(n)),
            format!("k:\n{}x\n", "- ".repeat(n)),
            format!(
                "k:\n{}",
                (0..100)
                    .map(|i| format!("{}- x\n", " ".repeat(i)))
                    .collect::<String>()
            ),
        ] {
            let text = format!("---\ntitle: Hej\n{deep}ms.translationtype: MT\n---\nbody");
            let s = split(&text);
            assert_eq!(s.problems.len(), 1, "{:?}", s.problems);
            let p = &s.problems[0];
            assert_eq!(p.kind, ProblemKind::Invalid);
            assert!(p.message.contains("deeper than 64 levels"), "{p:?}");
            // On the line that nests too deep (the third or later).
            assert!(text[..p.offset].matches('\n').count() >= 2, "{p:?}");
            assert_eq!(s.front.title.as_deref(), Some("Hej"));
            assert!(s.front.is_machine_translated());
        }
        // Shallower nesting is YAML's to read.
        let fine = format!("---\nk: {}x{}\n---\n", "[".repeat(40), "]".repeat(40));
        assert!(
            split(&fine).problems.is_empty(),
            "{:?}",
            split(&fine).problems
        );
    }

    #[test]
    fn long_front_matter_is_read_up_to_its_limit() {
        let keys: String = (0..100_000).map(|i| format!("k{i}: v\n")).collect();
        let text = format!("---\ntitle: Hej\n{keys}---\nbody");
        let s = split(&text);
        assert_eq!(s.problems.len(), 1, "{:?}", s.problems);
        let p = &s.problems[0];
        assert!(p.message.contains("longer than 256 KB"), "{p:?}");
        // At the start of the first line left out, within the limit.
        assert!(p.offset <= 4 + MAX_YAML_BYTES && text[..p.offset].ends_with('\n'));
        assert_eq!(s.front.title.as_deref(), Some("Hej"));
        assert!(s.front.extra.contains_key("k0") && !s.front.extra.contains_key("k99999"));
        assert_eq!(&text[s.body_start..], "body");
    }

    #[test]
    fn missing_and_unclosed() {
        assert_eq!(split("# x").problems[0].kind, ProblemKind::Missing);
        let s = split("---\ntitle: x\n");
        assert_eq!(s.problems[0].kind, ProblemKind::Unclosed);
        assert_eq!(s.body_start, 4);
    }

    #[test]
    fn dates() {
        assert_eq!(
            Date::parse("2021-08-21").map(|d| d.to_string()),
            Some("2021-08-21".into())
        );
        assert_eq!(Date::parse("13/01/2020"), None);
        assert_eq!(Date::parse("x"), None);
    }
}
