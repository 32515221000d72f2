//! Source lines for display: fills [`Finding::snippet`] with line `line` of
//! the finding's file.
//!
//! Pure: the caller passes a function that reads a file's bytes (the command
//! reads from disk; tests pass text). Each file is read once; the text is
//! decoded as the parser decodes it (UTF-8 byte-order mark dropped, invalid
//! bytes replaced, CRLF and CR read as LF), so line numbers agree.

use crate::diag::Finding;

/// Adds the source line to every finding whose file `read` can supply.
/// Findings at line 1 column 1 with no place of their own keep no snippet
/// when the line is empty.
pub fn attach(findings: &mut [Finding], mut read: impl FnMut(&str) -> Option<Vec<u8>>) {
    // The file last read, and its lines.
    let mut current: Option<(String, Option<Vec<String>>)> = None;
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by(|&a, &b| findings[a].file.cmp(&findings[b].file));
    for i in order {
        let f = &mut findings[i];
        if current.as_ref().map(|(file, _)| file) != Some(&f.file) {
            let lines = read(&f.file).map(|b| decode(&b).split('\n').map(String::from).collect());
            current = Some((f.file.clone(), lines));
        }
        if let Some((_, Some(lines))) = &current {
            match f.line.checked_sub(1).and_then(|i| lines.get(i)) {
                Some(line) if !line.is_empty() => f.snippet = Some(line.as_str().into()),
                _ => {}
            }
        }
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
