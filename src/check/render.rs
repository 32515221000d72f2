//! One finding as a rustc-style block of text:
//!
//! ```text
//! warning[markup::emphasis]: the translation has 1 bold but the English has 2 bold
//!   --> zh-CN/a.md:29:4
//!    |
//! 29 | 1. <span data-ttu-id="…">选择 **设置** …
//!    |    ^
//! ```
//!
//! The caret is placed by display width, character by character, in the
//! order the characters are stored (the order a terminal without bidi support
//! draws them): wide CJK characters count two columns, combining marks (Arabic
//! and Hebrew vowel signs) none, a tab four. Characters that would make a
//! terminal reorder or hide text (bidi controls, other control characters) are
//! shown as `<U+202E>`. Long lines are cut to a window around the caret with
//! `...` at the cut ends. Colour (ANSI, via `anstyle`) only when asked.

use crate::diag::{Finding, Level};
use anstyle::{AnsiColor, Style};
use std::fmt::Write;
use unicode_width::UnicodeWidthChar;

/// The widest source line shown, in terminal columns.
const WINDOW: usize = 100;

/// The finding as text, ending with a line break.
pub fn finding(f: &Finding, color: bool) -> String {
    let paint = |style: Style, text: &str| {
        if color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    };
    let level_style = match f.level {
        Level::Error => AnsiColor::BrightRed.on_default().bold(),
        Level::Warning => AnsiColor::BrightYellow.on_default().bold(),
        Level::Note => AnsiColor::BrightGreen.on_default().bold(),
    };
    let blue = AnsiColor::BrightBlue.on_default().bold();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}{}",
        paint(level_style, &format!("{}[{}]", f.level, f.lint)),
        paint(Style::new().bold(), &format!(": {}", f.message))
    );
    let gutter = f.line.to_string().len();
    let pad = " ".repeat(gutter);
    let _ = writeln!(
        out,
        "{pad}{} {}:{}:{}",
        paint(blue, "-->"),
        f.file,
        f.line,
        f.column
    );
    if let Some(snippet) = &f.snippet {
        let (text, caret_at, caret_width) = window(
            &snippet.text,
            (f.column + 1).saturating_sub(snippet.column).max(1),
            (snippet.column > 1, snippet.cut_end),
        );
        let bar = paint(blue, "|");
        let _ = writeln!(out, "{pad} {bar}");
        let _ = writeln!(out, "{} {bar} {text}", paint(blue, &f.line.to_string()));
        let _ = writeln!(
            out,
            "{pad} {bar} {}{}",
            " ".repeat(caret_at),
            paint(level_style, &"^".repeat(caret_width))
        );
    }
    out
}

/// How one character is drawn: its text and width in columns.
fn shown(c: char) -> (String, usize) {
    match c {
        '\t' => ("    ".into(), 4),
        '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
            let s = format!("<U+{:04X}>", c as u32);
            let w = s.len();
            (s, w)
        }
        c if c.is_control() => {
            let s = format!("<U+{:04X}>", c as u32);
            let w = s.len();
            (s, w)
        }
        c => (c.to_string(), c.width().unwrap_or(0)),
    }
}

/// The part of `line` shown, the caret's column in it (0-based, in terminal
/// columns) and the caret's width, for 1-based character column `column`.
/// `cut` says whether `line` is itself already cut at its start and end (a
/// [`crate::diag::Snippet`] of a long line): those ends are marked too.
pub fn window(line: &str, column: usize, cut: (bool, bool)) -> (String, usize, usize) {
    let cells: Vec<(String, usize)> = line.chars().map(shown).collect();
    let at = column.saturating_sub(1).min(cells.len());
    let caret_width = cells.get(at).map_or(1, |c| c.1.max(1));
    let total: usize = cells.iter().map(|c| c.1).sum();
    let before: usize = cells[..at].iter().map(|c| c.1).sum();
    // The first character shown: the caret stays in the first third when cut.
    let mut start = 0;
    if total > WINDOW {
        let mut skipped = 0;
        while start < at && before - skipped > WINDOW / 3 {
            skipped += cells[start].1;
            start += 1;
        }
    }
    let mut text = String::new();
    let mut width = 0;
    if start > 0 || cut.0 {
        text.push_str("...");
        width += 3;
    }
    let mut caret_at = width;
    let mut end = start;
    while end < cells.len() && (width + cells[end].1 <= WINDOW + 3 || end <= at) {
        if end == at {
            caret_at = width;
        }
        text.push_str(&cells[end].0);
        width += cells[end].1;
        end += 1;
    }
    if end == at {
        caret_at = width;
    }
    if end < cells.len() || cut.1 {
        text.push_str("...");
    }
    (text, caret_at, caret_width)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The caret's column equals the display width of what precedes the
    /// character in the shown text.
    fn caret_under(line: &str, column: usize, expect: &str) {
        let (text, at, _) = window(line, column, (false, false));
        let mut width = 0;
        let mut found = None;
        for (i, c) in text.char_indices() {
            // Combining marks belong to the character before them.
            if width == at && c.width().unwrap_or(0) > 0 {
                found = Some(&text[i..]);
                break;
            }
            width += c.width().unwrap_or(0);
        }
        let found = found.unwrap_or("");
        assert!(found.starts_with(expect), "{line:?}:{column} → {found:?}");
    }

    #[test]
    fn caret_under_cjk_rtl_and_marks() {
        caret_under("密码 **重置**", 4, "**重置");
        caret_under("שָׁלוֹם [קישור](u)", 9, "[קישור");
        caret_under("مَرحَبًا [رابط](u)", 10, "[رابط");
        caret_under("\ta", 2, "a");
        let long = format!("{}[x](u){}", "密".repeat(200), "码".repeat(200));
        caret_under(&long, 201, "[x](u)");
        let (text, _, _) = window(&long, 201, (false, false));
        assert!(text.starts_with("...") && text.ends_with("..."), "{text}");
    }

    /// A finding on a line too long to keep whole: the snippet is a window
    /// of the line, and the caret still stands under the finding's column,
    /// as it does when the whole line is shown.
    #[test]
    fn caret_under_a_cut_snippet() {
        use crate::diag::{lint, Pos};
        let line = format!("{}[x](u){}", "密".repeat(3_000), "码".repeat(3_000));
        let at = |column: usize| {
            let mut f = Finding::new(lint::LINK_BROKEN, "a.md", Pos { line: 1, column }, "m");
            crate::check::snippets::attach(std::slice::from_mut(&mut f), |_| {
                Some(line.clone().into_bytes())
            });
            let snippet = f.snippet.clone().expect("a snippet");
            assert!(
                snippet.text.len() < 1_000,
                "{} bytes kept",
                snippet.text.len()
            );
            let shown = finding(&f, false);
            let lines: Vec<&str> = shown.lines().collect();
            // `1 | text` and `  | ^`: the caret's terminal column in the text.
            let text = lines[3].split_once(" | ").expect("source line").1;
            let caret = lines[4].split_once(" | ").expect("caret line").1;
            let width = caret.find('^').expect("caret");
            let mut w = 0;
            let rest = text
                .char_indices()
                .find(|&(_, c)| {
                    let here = w == width;
                    w += c.width().unwrap_or(0);
                    here
                })
                .map_or("", |(i, _)| &text[i..]);
            (text.to_string(), rest.to_string())
        };
        let (text, rest) = at(3_001);
        assert!(rest.starts_with("[x](u)码"), "{text:?} → {rest:?}");
        assert!(text.starts_with("...") && text.ends_with("..."), "{text}");
        // Near the ends of the line, each end shown as it is.
        let (text, rest) = at(2);
        assert!(rest.starts_with("密密"), "{rest:?}");
        assert!(text.starts_with('密') && text.ends_with("..."), "{text}");
        let (text, rest) = at(6_006);
        assert!(
            rest.starts_with('码') && rest.chars().count() == 1,
            "{rest:?}"
        );
        assert!(text.starts_with("...") && text.ends_with('码'), "{text}");
    }

    #[test]
    fn bidi_controls_are_shown() {
        let (text, at, _) = window("a\u{202E}b c", 3, (false, false));
        assert_eq!(text, "a<U+202E>b c");
        assert_eq!(at, 9);
    }
}
