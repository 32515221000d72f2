//! Source lines for display: fills [`Finding::snippet`] with line `line` of
//! the finding's file, or with the part of a long line around the column
//! ([`Snippet`]), so that thousands of findings on one long line cost
//! neither a copy of the line each nor a count of its characters each.
//!
//! Pure: the caller passes a function that reads a file's bytes (the command
//! reads from disk; tests pass text). Each file is read once; the text is
//! decoded as the parser decodes it (UTF-8 byte-order mark dropped, invalid
//! bytes replaced, CRLF and CR read as LF), so line numbers agree.

use crate::diag::{Finding, LineIndex, Snippet};

/// A finding's file, read for its source lines ([`attach`]), but never
/// through a symbolic link: the finding of a link that leads out of the
/// content folder names the link, and what it leads to is not shown.
pub fn read_source(file: &str) -> Option<Vec<u8>> {
    crate::fs::read_not_linked(std::path::Path::new(file))
}

/// Adds the source line to every finding whose file `read` can supply.
/// Findings at line 1 column 1 with no place of their own keep no snippet
/// when the line is empty.
pub fn attach(findings: &mut [Finding], mut read: impl FnMut(&str) -> Option<Vec<u8>>) {
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&findings[a], &findings[b]);
        (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column))
    });
    let mut i = 0;
    while i < order.len() {
        // The findings of one file, by line and column.
        let file = findings[order[i]].file.clone();
        let end = i + order[i..]
            .iter()
            .position(|&k| findings[k].file != file)
            .unwrap_or(order.len() - i);
        if let Some(bytes) = read(&file) {
            let text = decode(&bytes);
            let index = LineIndex::new(&text);
            let mut cursor = Cursor::default();
            for &k in &order[i..end] {
                let f = &mut findings[k];
                let line = index.line_text(f.line);
                if !line.is_empty() {
                    let start = cursor.offset(line, f.line, f.column);
                    f.snippet = Some(Box::new(Snippet::at(line, f.column, start)));
                }
            }
        }
        i = end;
    }
}

/// The byte offset of a column in a line, for columns asked in increasing
/// order: each call counts only the characters since the previous one.
#[derive(Default)]
struct Cursor {
    line: usize,
    column: usize,
    offset: usize,
}

impl Cursor {
    fn offset(&mut self, text: &str, line: usize, column: usize) -> usize {
        if line != self.line || column < self.column {
            *self = Cursor {
                line,
                column: 1,
                offset: 0,
            };
        }
        let ahead = column.saturating_sub(self.column);
        let moved = text[self.offset..]
            .char_indices()
            .nth(ahead)
            .map_or(text.len(), |(i, _)| self.offset + i);
        self.column = column;
        self.offset = moved;
        moved
    }
}

/// Bytes → text as the parser reads it.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = String::from_utf8_lossy(bytes);
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{lint, Pos};

    fn finding(line: usize, column: usize) -> Finding {
        Finding::new(lint::SXS_UNTERMINATED, "a.md", Pos { line, column }, "m")
    }

    #[test]
    fn short_lines_are_whole() {
        let mut f = [finding(2, 3), finding(1, 1), finding(3, 1)];
        attach(&mut f, |_| Some("first\r\n密码 x\n".into()));
        let text = |f: &Finding| f.snippet.as_ref().map(|s| s.text.to_string());
        assert_eq!(text(&f[0]).as_deref(), Some("密码 x"));
        assert_eq!(f[0].snippet.as_ref().map(|s| s.column), Some(1));
        assert_eq!(text(&f[1]).as_deref(), Some("first"));
        // Line 3 is empty.
        assert_eq!(f[2].snippet, None);
    }

    /// Many findings on one long line: each keeps a window around its own
    /// column, which starts at that column's character.
    #[test]
    fn long_lines_are_cut_around_each_column() {
        let line: String = (0..5_000)
            .map(|i| if i % 2 == 0 { '密' } else { 'a' })
            .collect();
        let columns = [4_999, 1, 2_500, 81, 82, 5_000, 5_001];
        let mut f: Vec<Finding> = columns.iter().map(|&c| finding(1, c)).collect();
        attach(&mut f, |_| Some(line.clone().into_bytes()));
        for (f, &column) in f.iter().zip(&columns) {
            let s = f.snippet.as_ref().expect("a snippet");
            assert!(s.text.chars().count() <= Snippet::BEFORE + Snippet::AFTER);
            let at: String = s.text.chars().skip(column - s.column).take(3).collect();
            let want: String = line.chars().skip(column - 1).take(3).collect();
            assert_eq!(at, want, "column {column}");
            assert_eq!(s.column, column.saturating_sub(Snippet::BEFORE).max(1));
            assert_eq!(
                s.cut_end,
                column + Snippet::AFTER <= 5_000,
                "column {column}"
            );
        }
    }
}
