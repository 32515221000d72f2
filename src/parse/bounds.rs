//! Bounds on the Markdown structure of one article body, applied before
//! anything parses it (the sxs scanner, the renderer, `check`), so that a few
//! bytes cannot become millions of parser nodes:
//!
//! - a line may open at most [`MAX_PREFIX`] block quotes and list items
//!   (`>>>>…`, `- - - …`); the markers past them are read as spaces (the
//!   rest of the line is then indented text, as CommonMark reads it);
//! - the tables of a body may have at most [`MAX_TABLE_CELLS`] cells in all,
//!   counted as CommonMark makes them (short rows are filled with empty
//!   cells, so a 40 kB table can have ten million): a table that would pass
//!   the budget loses its delimiter row (`|---|---|`, read as spaces) and
//!   shows as text.
//!
//! Every change keeps the body's length and its line breaks, so that offsets
//! and line:column positions stay those of the file; each is reported as a
//! [`Problem`] at the byte it starts. Real articles are left as they are
//! (the corpus's largest table has under 2,000 cells; no line nests more
//! than a few levels). Pure: text in, text and problems out.

use std::borrow::Cow;

/// Block quotes and list items one line may open.
pub const MAX_PREFIX: usize = 64;

/// Table cells one body may have, empty cells filled in included.
pub const MAX_TABLE_CELLS: usize = 20_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// Too many block quotes or list items opened on one line.
    Nesting,
    /// A table past the cell budget.
    Table,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    /// Byte offset in the body.
    pub offset: usize,
    pub message: String,
}

/// A body within the bounds: borrowed when nothing had to change.
#[derive(Debug)]
pub struct Bounded<'a> {
    pub text: Cow<'a, str>,
    pub problems: Vec<Problem>,
}

/// Applies the bounds to an article body.
pub fn markdown(body: &str) -> Bounded<'_> {
    let mut problems = Vec::new();
    // Lines whose prefix goes too deep, and table delimiter rows to blank.
    let mut deep: Vec<usize> = Vec::new();
    let mut blanks: Vec<std::ops::Range<usize>> = Vec::new();
    let mut cells = 0usize;
    let lines: Vec<(usize, &str)> = {
        let mut at = 0;
        body.split_inclusive('\n')
            .map(|line| {
                let start = at;
                at += line.len();
                (start, line)
            })
            .collect()
    };
    // Lines before this index are rows of a table already counted.
    let mut table_until = 0;
    for (i, &(start, line)) in lines.iter().enumerate() {
        let mut first_overflow = None;
        let (len, markers) = prefix(line, |r| {
            first_overflow.get_or_insert(r.start);
        });
        if let Some(first) = first_overflow {
            problems.push(Problem {
                kind: ProblemKind::Nesting,
                offset: start + first,
                message: format!(
                    "this line opens {markers} block quotes and list items; those past \
                     {MAX_PREFIX} are read as spaces"
                ),
            });
            deep.push(i);
        }
        if i < table_until {
            continue;
        }
        let Some(columns) = delimiter_columns(&line[len..]) else {
            continue;
        };
        let header = i
            .checked_sub(1)
            .is_some_and(|h| !is_blank(after_prefix(lines[h].1)));
        if !header {
            continue;
        }
        let rows = lines[i + 1..]
            .iter()
            .take_while(|(_, l)| !is_blank(after_prefix(l)))
            .count();
        table_until = i + 1 + rows;
        let table = columns.saturating_mul(rows + 1);
        if cells.saturating_add(table) <= MAX_TABLE_CELLS {
            cells += table;
            continue;
        }
        let at = start + len;
        problems.push(Problem {
            kind: ProblemKind::Table,
            offset: at,
            message: format!(
                "this table has {table} cells ({columns} columns, {} rows); with the \
                 tables before it that passes the {MAX_TABLE_CELLS} cells an article may \
                 have, so it is shown as text",
                rows + 1
            ),
        });
        blanks.push(at..start + line.trim_end_matches(['\n', '\r']).len());
    }
    if deep.is_empty() && blanks.is_empty() {
        return Bounded {
            text: Cow::Borrowed(body),
            problems,
        };
    }
    // Markers and delimiter rows are ASCII: spaces in their place keep every
    // character boundary and line break where it was.
    let mut text = body.as_bytes().to_vec();
    for i in deep {
        let (start, line) = lines[i];
        prefix(line, |r| text[start + r.start..start + r.end].fill(b' '));
    }
    for r in blanks {
        text[r].fill(b' ');
    }
    Bounded {
        text: Cow::Owned(
            String::from_utf8(text)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        ),
        problems,
    }
}

fn after_prefix(line: &str) -> &str {
    &line[prefix(line, |_| {}).0..]
}

/// Reads the container prefix a line starts with (block quote and list
/// markers, and the white space between them): returns its length and how
/// many markers it has, and passes each marker past [`MAX_PREFIX`] to
/// `overflow` as a byte range of the line. It may count a marker CommonMark
/// would not (after four spaces of indentation, say) but never misses one:
/// the bound is on what the parser could open.
fn prefix(line: &str, mut overflow: impl FnMut(std::ops::Range<usize>)) -> (usize, usize) {
    let bytes = line.as_bytes();
    let mut i = 0;
    let mut markers = 0;
    loop {
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
            i += 1;
        }
        let marker = match bytes.get(i) {
            Some(b'>') => 1,
            Some(b'-' | b'+' | b'*') if matches!(bytes.get(i + 1), Some(b' ' | b'\t')) => 1,
            Some(b'0'..=b'9') => {
                let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                match (bytes.get(i + digits), bytes.get(i + digits + 1)) {
                    (Some(b'.' | b')'), Some(b' ' | b'\t')) if digits <= 9 => digits + 1,
                    _ => 0,
                }
            }
            _ => 0,
        };
        if marker == 0 {
            return (i, markers);
        }
        markers += 1;
        if markers > MAX_PREFIX {
            overflow(i..i + marker);
        }
        i += marker;
    }
}

fn is_blank(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_whitespace())
}

/// If `rest` (a line without its container prefix) is a table's delimiter
/// row (`|---|:--:|`), its number of columns.
fn delimiter_columns(rest: &str) -> Option<usize> {
    let row = rest.trim_end_matches(['\n', '\r']).trim();
    if !row.contains('|') || !row.contains('-') {
        return None;
    }
    if !row
        .bytes()
        .all(|b| matches!(b, b'|' | b'-' | b':' | b' ' | b'\t'))
    {
        return None;
    }
    let columns = row
        .trim_matches('|')
        .split('|')
        .filter(|cell| cell.contains('-'))
        .count();
    (columns > 0).then_some(columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_markdown_is_left_alone() {
        let body =
            "# T\n\n> [!NOTE]\n> - a\n>   1. b\n\n| a | b |\n|---|:-:|\n| 1 | 2 |\n\n- - -\n";
        let b = markdown(body);
        assert!(matches!(b.text, Cow::Borrowed(_)));
        assert!(b.problems.is_empty(), "{:?}", b.problems);
    }

    #[test]
    fn deep_prefixes_keep_their_first_levels() {
        let body = format!("a\n{}x\n{}y\n", ">".repeat(100), "- ".repeat(70));
        let b = markdown(&body);
        assert_eq!(b.text.len(), body.len());
        let lines: Vec<&str> = b.text.lines().collect();
        assert_eq!(lines[1], format!("{}{}x", ">".repeat(64), " ".repeat(36)));
        assert_eq!(lines[2], format!("{}{}y", "- ".repeat(64), "  ".repeat(6)));
        let places: Vec<_> = b.problems.iter().map(|p| (p.kind, p.offset)).collect();
        assert_eq!(
            places,
            [
                (ProblemKind::Nesting, 2 + 64),
                (ProblemKind::Nesting, 2 + 102 + 128)
            ]
        );
        assert!(b.problems[0].message.contains("opens 100 block quotes"));
    }

    #[test]
    fn tables_past_the_budget_become_text() {
        // 2 columns: the first tables fit, the one that passes does not,
        // and a small one after it still fits.
        let small = "| a | b |\n|---|---|\n| 1 | 2 |\n\n";
        let rows = MAX_TABLE_CELLS / 2;
        let big = format!("> | a | b |\n> |---|---|\n{}\n", "> |\n".repeat(rows));
        let body = format!("{small}{big}{small}");
        let b = markdown(&body);
        assert_eq!(b.text.len(), body.len());
        assert_eq!(b.problems.len(), 1, "{:?}", b.problems);
        let p = &b.problems[0];
        assert_eq!(p.kind, ProblemKind::Table);
        // At the big table's delimiter row, after its `> `.
        assert_eq!(p.offset, small.len() + "> | a | b |\n> ".len());
        let row = b.text.lines().nth(5).expect("the delimiter row");
        assert_eq!(row, format!("> {}", " ".repeat(9)));
        assert!(
            b.text.contains(small.trim_end()),
            "the tables that fit stay"
        );
        assert!(p.message.contains(&format!("{} rows", rows + 1)), "{p:?}");
    }
}
