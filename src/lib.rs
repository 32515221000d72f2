//! helpbook: static help sites in many languages from side-by-side (sxs)
//! localized Markdown.
//!
//! The pipeline, one module per stage, wired once in [`pipeline`] (see
//! ARCHITECTURE.md): [`load`] (find and read files) → [`parse`] (front
//! matter, sxs) → [`pair`] (English, freshness) → [`render`] (Markdown →
//! HTML) → [`site`] (pages, templates) → [`write`](mod@write) (staging folder, swapped
//! in). Every command runs it: `build` and `serve` whole, `check` to stage 4,
//! `status` and `export` read its model, and `import` brings translation
//! memory back through [`writeback`], the one module that edits sxs files; [`check`] holds the lints and how
//! findings are shown; [`single`] runs one article through parse, pair and
//! render in memory.
//!
//! The library is helpbook's own, not an API for others: its documentation
//! is read with the private items (`cargo doc --document-private-items`),
//! where links to them resolve.
#![allow(rustdoc::private_intra_doc_links)]

pub mod check;
pub mod cli;
pub mod cmd;
pub mod collate;
pub mod config;
#[cfg(test)]
mod corpus;
pub mod date;
pub mod diag;
pub mod diff;
pub mod export;
pub mod fs;
pub mod import;
pub mod load;
pub mod locale;
pub mod model;
pub mod pair;
pub mod parse;
pub mod pipeline;
pub mod plural;
pub mod render;
pub mod search;
pub mod serve;
pub mod single;
pub mod site;
pub mod status;
pub mod theme;
pub mod timing;
pub mod ui;
pub mod url;
pub mod view;
pub mod write;
pub mod writeback;
pub mod xml;
