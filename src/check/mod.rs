//! Lints and their reporting, shared by every command.
//!
//! The pipeline ([`crate::pipeline`]) makes the findings, stage by stage:
//! the parser's (`file::`, `frontmatter::`, `sxs::`, `article::*`), the
//! pairing's (`segment::*`, `article::outdated`,
//! `article::missing-translation`), each pair's markup ([`markup`]:
//! `markup::*`), and the renderer's (`link::*`, `include::*`,
//! `article::duplicate-anchor`). Here:
//!
//! - [`markup`]: a pair's translation compared with its English;
//! - [`levels`]: `book.toml [check]` and `--deny warnings`;
//! - [`report`](mod@report), [`render`]: findings for people (rustc-style) and tools
//!   (JSON, GitHub annotations), with a summary per lint per locale;
//! - [`snippets`]: the source lines findings point at;
//! - [`position`]: places in a document mapped back to the file;
//! - [`baseline`]: sets aside the findings an earlier run already had;
//! - [`github`], [`sarif`], [`location`]: GitHub annotations and job
//!   summary, SARIF, and the paths and URLs they name.

pub mod baseline;
pub mod github;
pub mod levels;
pub mod location;
pub mod markup;
pub mod position;
pub mod render;
pub mod report;
pub mod sarif;
pub mod snippets;

pub use report::{report, summary_line, Format};

use crate::diag::Finding;

/// Sorts findings by file, place and lint: the order of every output.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.lint, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.lint, &b.message))
    });
}
