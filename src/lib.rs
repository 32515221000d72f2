//! helpbook: static help sites in many languages from side-by-side (sxs)
//! localized Markdown.
//!
//! The pipeline, one module per stage (see ARCHITECTURE.md):
//! [`load`] (find and read files) → [`parse`] (front matter, sxs) →
//! [`pair`] (English, freshness) → commands ([`status`], [`export`]).

pub mod cli;
pub mod cmd;
pub mod config;
pub mod diag;
pub mod export;
pub mod fs;
pub mod load;
pub mod locale;
pub mod model;
pub mod pair;
pub mod parse;
pub mod status;
