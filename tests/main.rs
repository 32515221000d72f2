//! The integration tests, in one test binary: each file of `tests/` is a
//! module here, so the crate and its dependencies are linked once, not once
//! per file. Run one file's tests with `cargo test --test integration NAME::`.
//!
//! The slow tier (the corpus under `../shared/corpus`, Chromium, `kill -9`,
//! `serve` under abuse) is in the same binary: those tests skip, with a line
//! on stderr, where what they need is absent, unless `HELPBOOK_REQUIRE_BROWSER`
//! asks for the browser.

mod support;

#[path = "support/fuzz_checks.rs"]
mod fuzz_checks;
mod import_support;

mod bad_input;
mod browser;
mod build_fixtures;
mod check;
mod check_ci;
mod check_corpus;
mod check_output;
mod check_props;
mod cli_status;
mod compiled_theme;
mod corpus_engine;
mod docset_languages;
mod drift_page;
mod element_budget;
mod english_of_record;
mod export;
mod front_matter_fixtures;
mod fuzz_regressions;
mod hostile;
mod import;
mod import_corpus;
mod import_writer;
mod interrupted;
mod language_names;
mod language_switcher;
mod pipeline;
mod plurals;
mod readers;
mod scanner_props;
mod search_browser;
mod search_example;
mod serve;
mod serve_abuse;
mod serve_edit;
mod serve_search;
mod shards;
mod site_check;
mod site_corpus;
mod site_snapshots;
mod subpath;
mod sxs_spec;
mod terminal;
mod theme_css;
