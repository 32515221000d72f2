//! `[!INCLUDE[title](path)]`: splices snippets into an article before it is
//! parsed. A snippet is read from the same locale, else the English; it may
//! include others, to a bounded depth, and a cycle is reported, not followed.
//! What one page includes is bounded too ([`MAX_INCLUDED`] bytes,
//! [`MAX_READS`] files): snippets that include others many times over would
//! otherwise multiply (1,000 directives of a snippet with 1,000 directives
//! made a gigabyte).

use crate::diag::{lint, Finding, Pos};

/// What a [`Source`] found for a snippet path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Snippet {
    /// Its Markdown.
    Text(String),
    /// No such file in the page's language or the English.
    Missing,
    /// The file is a symbolic link that leads out of the content folder: it
    /// is not read.
    Outside,
}

/// Supplies the text of include files.
pub trait Source: Sync {
    /// The snippet at `path` (relative to the locale folder, `/`-separated),
    /// in the page's language or else the English.
    fn read(&self, path: &str) -> Snippet;
    /// The article path the page is rendered for (includes resolve from its folder).
    fn article(&self) -> &str;
}

/// No includes at all (for pages with no article behind them).
pub struct NoIncludes;

impl Source for NoIncludes {
    fn read(&self, _: &str) -> Snippet {
        Snippet::Missing
    }
    fn article(&self) -> &str {
        ""
    }
}

const MAX_DEPTH: usize = 8;

/// Bytes of included text one page may have in all.
pub const MAX_INCLUDED: usize = 4 << 20;

/// Include files one page may read in all.
pub const MAX_READS: usize = 10_000;

/// One directive line of the article replaced by what it includes (nothing,
/// when it fails): offsets into the article's Markdown, so that positions in
/// it (segment pairs) can be carried over to the expanded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Splice {
    /// Where the directive line starts.
    pub at: usize,
    /// Its length, line break included.
    pub old_len: usize,
    /// The length of the text put in its place.
    pub new_len: usize,
}

/// Moves `range` of the article's Markdown to the same text in the expanded
/// Markdown; a range on a directive line becomes empty.
pub fn shift(range: std::ops::Range<usize>, splices: &[Splice]) -> std::ops::Range<usize> {
    let mut delta: isize = 0;
    for s in splices {
        if s.at + s.old_len <= range.start {
            delta += s.new_len as isize - s.old_len as isize;
        } else if s.at < range.end {
            let at = (s.at as isize + delta) as usize;
            return at..at;
        } else {
            break;
        }
    }
    let move_by = |x: usize| (x as isize + delta) as usize;
    move_by(range.start)..move_by(range.end)
}

/// Moves an offset of the expanded Markdown back to the article's
/// Markdown: an offset inside included text goes to its directive line.
pub fn unshift(offset: usize, splices: &[Splice]) -> usize {
    let mut delta: isize = 0;
    for s in splices {
        let start = (s.at as isize + delta) as usize;
        if offset < start {
            break;
        }
        if offset < start + s.new_len {
            return s.at;
        }
        delta += s.new_len as isize - s.old_len as isize;
    }
    (offset as isize - delta).max(0) as usize
}

/// Expands include lines in `markdown`. `place` gives the position in the
/// article's file of an offset of `markdown`, so that findings name the
/// line a reader sees (an include inside an include is reported at the
/// outer directive).
pub fn expand(
    markdown: &str,
    file: &str,
    source: &dyn Source,
    place: &dyn Fn(usize) -> Pos,
    findings: &mut Vec<Finding>,
) -> (String, Vec<Splice>) {
    if !markdown.contains("[!INCLUDE") && !markdown.contains("[!include") {
        return (markdown.to_string(), Vec::new());
    }
    let mut stack = vec![source.article().to_string()];
    let mut ctx = Ctx {
        file,
        source,
        place,
        findings,
        outer: None,
        splices: Vec::new(),
        included: 0,
        reads: 0,
    };
    let text = expand_in(markdown, source.article(), &mut ctx, &mut stack);
    (text, ctx.splices)
}

struct Ctx<'a, 'f> {
    file: &'a str,
    source: &'a dyn Source,
    place: &'a dyn Fn(usize) -> Pos,
    findings: &'f mut Vec<Finding>,
    /// Position of the article's own directive while inside a snippet.
    outer: Option<Pos>,
    /// The article's directive lines and what replaced them.
    splices: Vec<Splice>,
    /// Bytes of included text read so far, and files read.
    included: usize,
    reads: usize,
}

fn expand_in(markdown: &str, from: &str, ctx: &mut Ctx, stack: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut at = 0;
    for line in markdown.split_inclusive('\n') {
        let line_at = at;
        at += line.len();
        let Some((indent, path)) = include_target(line) else {
            out.push_str(line);
            continue;
        };
        let before = out.len();
        let pos = ctx.outer.unwrap_or_else(|| (ctx.place)(line_at + indent));
        expand_directive(pos, path, from, ctx, stack, &mut out);
        if ctx.outer.is_none() {
            ctx.splices.push(Splice {
                at: line_at,
                old_len: line.len(),
                new_len: out.len() - before,
            });
        }
    }
    out
}

/// Appends to `out` what one directive line includes (nothing on failure).
fn expand_directive(
    pos: Pos,
    path: &str,
    from: &str,
    ctx: &mut Ctx,
    stack: &mut Vec<String>,
    out: &mut String,
) {
    let (file, source) = (ctx.file, ctx.source);
    let Some(resolved) = super::links::join(from, path) else {
        ctx.findings.push(Finding::new(
            lint::LINK_OUTSIDE,
            file,
            pos,
            format!("include `{path}` climbs out of the locale folder"),
        ));
        return;
    };
    if stack.contains(&resolved) || stack.len() > MAX_DEPTH {
        ctx.findings.push(Finding::new(
            lint::INCLUDE_CYCLE,
            file,
            pos,
            format!(
                "include `{path}` would include itself ({})",
                stack.join(" → ")
            ),
        ));
        return;
    }
    if ctx.included >= MAX_INCLUDED || ctx.reads >= MAX_READS {
        ctx.findings.push(Finding::new(
            lint::INCLUDE_LIMIT,
            file,
            pos,
            format!(
                "include `{path}` is left out: this page has already included {} files, \
                 {} KB (at most {MAX_READS} files or {} KB)",
                ctx.reads,
                ctx.included / 1024,
                MAX_INCLUDED / 1024
            ),
        ));
        return;
    }
    ctx.reads += 1;
    match source.read(&resolved) {
        Snippet::Text(text) => {
            ctx.included += text.len();
            stack.push(resolved.clone());
            let outer = ctx.outer.replace(pos);
            let inner = expand_in(&text, &resolved, ctx, stack);
            ctx.outer = outer;
            stack.pop();
            out.push_str(&inner);
            if !inner.ends_with('\n') {
                out.push('\n');
            }
        }
        Snippet::Missing => ctx.findings.push(Finding::new(
            lint::INCLUDE_MISSING,
            file,
            pos,
            format!("include `{path}` does not exist in this language or the English"),
        )),
        Snippet::Outside => ctx.findings.push(Finding::new(
            lint::LOAD_OUTSIDE_LINK,
            file,
            pos,
            format!("include `{path}` is a symbolic link that leads out of the content folder; it is not read"),
        )),
    }
}

/// The path of the `[!INCLUDE]` directive that `line` is, if it is one.
pub fn directive(line: &str) -> Option<&str> {
    include_target(line).map(|(_, p)| p)
}

/// `[!INCLUDE[title](path)]` (also `[!INCLUDE [title](path)]`) alone on a
/// line → (its indent, the path).
fn include_target(line: &str) -> Option<(usize, &str)> {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    let rest = trimmed.trim_end();
    let rest = rest
        .strip_prefix("[!INCLUDE")
        .or_else(|| rest.strip_prefix("[!include"))?
        .trim_start();
    let rest = rest.strip_prefix('[')?;
    let (_, after_title) = rest.split_once("](")?;
    let path = after_title.strip_suffix(")]")?;
    Some((indent, path.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Files(HashMap<&'static str, &'static str>);
    impl Source for Files {
        fn read(&self, path: &str) -> Snippet {
            self.0
                .get(path)
                .map_or(Snippet::Missing, |s| Snippet::Text(s.to_string()))
        }
        fn article(&self) -> &str {
            "a.md"
        }
    }

    /// Regression: 1,000 directives of a snippet that has 1,000 directives
    /// expanded to a gigabyte.
    #[test]
    fn what_one_page_includes_is_bounded() {
        let thousand = |path: &str| format!("[!INCLUDE[x]({path})]\n").repeat(1_000);
        let b = thousand("c.md");
        let files = Files(HashMap::from([
            ("includes/b.md", &*Box::leak(b.into_boxed_str())),
            (
                "includes/c.md",
                &*Box::leak("text ".repeat(200).into_boxed_str()),
            ),
        ]));
        let mut findings = Vec::new();
        let text = thousand("includes/b.md");
        let locate = |_: usize| Pos::START;
        let (out, _) = expand(&text, "a.md", &files, &locate, &mut findings);
        assert!(out.len() <= MAX_INCLUDED + 2_000, "{} bytes", out.len());
        assert!(out.len() >= MAX_INCLUDED / 2, "{} bytes", out.len());
        assert!(!findings.is_empty());
        assert!(findings.iter().all(|f| f.lint == "include::limit"));
    }

    #[test]
    fn expands_nested_and_reports_cycles_and_missing() {
        let files = Files(HashMap::from([
            ("includes/x.md", "X says hi\n[!INCLUDE[y](y.md)]\n"),
            ("includes/y.md", "Y\n[!INCLUDE [x](x.md)]\n"),
        ]));
        let mut findings = Vec::new();
        let text = "Before\n[!INCLUDE[x](includes/x.md)]\n[!INCLUDE[z](includes/z.md)]\nAfter\n";
        let index = crate::diag::LineIndex::new(text);
        let place = |offset: usize| index.pos(offset);
        let (out, splices) = expand(text, "a.md", &files, &place, &mut findings);
        assert_eq!(out, "Before\nX says hi\nY\nAfter\n");
        // Positions in the article carry over to the expanded text.
        assert_eq!(
            splices,
            [
                Splice {
                    at: 7,
                    old_len: 29,
                    new_len: 12
                },
                Splice {
                    at: 36,
                    old_len: 29,
                    new_len: 0
                }
            ]
        );
        let after = text.find("After").expect("after");
        let moved = shift(after..after + 5, &splices);
        assert_eq!(&out[moved], "After");
        assert_eq!(shift(0..6, &splices), 0..6);
        assert_eq!(shift(10..12, &splices), 7..7);
        // And back: text of a snippet goes to its directive.
        assert_eq!(unshift(out.find("After").expect("after"), &splices), after);
        assert_eq!(unshift(out.find("Y").expect("y"), &splices), 7);
        assert_eq!(unshift(2, &splices), 2);
        let lints: Vec<_> = findings.iter().map(|f| f.lint).collect();
        assert_eq!(lints, ["include::cycle", "include::missing"]);
        // The cycle is inside the snippet: reported at the article's directive.
        assert_eq!(findings[0].line, 2);
        assert_eq!(findings[1].line, 3);
    }
}
