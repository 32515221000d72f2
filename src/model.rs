//! The parsed model shared by every command: articles, their segment pairs,
//! and the English they are compared with.
//!
//! Plain data, produced by `parse` (one file → [`Article`]) and `pair`
//! ([`crate::pair::English`], freshness); consumed by `status`, and later by rendering.

use crate::diag::{Finding, Pos};
use crate::parse::front_matter::{Date, FrontMatter};
use std::ops::Range;

/// One translated sentence in an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// `data-ttu-id`: opaque, local to one hand-off; never a key across files.
    pub id: String,
    /// Where the pair starts in the file.
    pub pos: Pos,
    /// Where `target` stands in [`Article::target`].
    pub target_range: Range<usize>,
    /// Where `source` stands in [`Article::source`].
    pub source_range: Range<usize>,
    /// Where the translation's raw text stands in the file's bytes, BOM and
    /// CR line endings counted (between the `data-ttu-id` span's tags, nested
    /// span tags included). Exact for UTF-8 files only (see [`crate::parse`]).
    pub target_bytes: Range<usize>,
    /// Where the English's raw text stands in the file's bytes (the content of
    /// the `data-stu-id` span), when the sxs-lookup has its plain shape.
    pub source_bytes: Option<Range<usize>>,
}

/// One article file of one locale, parsed.
#[derive(Debug, Clone)]
pub struct Article {
    /// The locale folder's tag as written (`zh-CN`).
    pub locale: String,
    /// Path relative to the locale folder, `/`-separated: the article's
    /// identity across locales (`commercial-dialogues/x.md`).
    pub path: String,
    /// The file as shown to users (relative to where helpbook was run from).
    pub file: String,
    pub front: FrontMatter,
    /// 1-based line of the file on which the body starts.
    pub body_line: usize,
    /// The body with each pair replaced by its translation.
    pub target: String,
    /// The body with each pair replaced by its English.
    pub source: String,
    pub segments: Vec<Segment>,
    pub findings: Vec<Finding>,
}

impl Segment {
    /// The translation (inline Markdown): its place in the article's
    /// [`Article::target`], which holds the text once.
    pub fn target<'a>(&self, article: &'a Article) -> &'a str {
        &article.target[self.target_range.clone()]
    }

    /// The English it was translated from (inline Markdown), from
    /// [`Article::source`].
    pub fn source<'a>(&self, article: &'a Article) -> &'a str {
        &article.source[self.source_range.clone()]
    }
}

impl Article {
    /// The article's title: front matter `title` without the white space
    /// around it (which would sort it apart in an index), else its first
    /// heading.
    pub fn title(&self) -> Option<String> {
        self.front
            .title
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .or_else(|| first_heading(&self.target))
    }

    pub fn handoff(&self) -> Option<Date> {
        self.front.handoff_date()
    }
}

/// The text of the first ATX heading in `markdown`, without anchors or markup
/// of its own (`# <a name="x"></a>Title` → `Title`).
pub fn first_heading(markdown: &str) -> Option<String> {
    let mut in_fence = false;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence || line.len() - trimmed.len() > 3 {
            continue;
        }
        let hashes = trimmed.bytes().take_while(|&b| b == b'#').count();
        if !(1..=6).contains(&hashes) {
            continue;
        }
        let rest = &trimmed[hashes..];
        if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
            continue;
        }
        let text = strip_anchors(rest.trim().trim_end_matches('#').trim());
        if !text.is_empty() {
            return Some(text);
        }
    }
    None
}

/// Removes `<a name="…"></a>` (and `<a id>`) anchors from a line of text.
fn strip_anchors(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("<a ") {
        let Some(close) = rest[i..].find("</a>") else {
            break;
        };
        out.push_str(&rest[..i]);
        rest = &rest[i + close + 4..];
    }
    out.push_str(rest);
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings() {
        assert_eq!(
            first_heading("text\n# <a name=\"x\"></a>Title #\n").as_deref(),
            Some("Title")
        );
        assert_eq!(
            first_heading("```\n# not\n```\n## Yes").as_deref(),
            Some("Yes")
        );
        assert_eq!(first_heading("#hashtag\n"), None);
    }
}
