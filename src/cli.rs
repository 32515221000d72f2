//! The command line, as parsed by clap. Plain options; `cmd` turns them into work.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Static help sites in many languages from side-by-side (sxs) localized Markdown.
#[derive(Debug, Parser)]
#[command(name = "helpbook", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site: one linked site per language, plus the English.
    Build(BuildArgs),
    /// Report translation coverage and freshness per locale.
    Status(StatusArgs),
    /// Create a new project with one article in two languages.
    Init(InitArgs),
    /// Remove the build directory.
    Clean(ProjectArgs),
}

/// Where the project is.
#[derive(Debug, clap::Args)]
pub struct ProjectArgs {
    /// A project root (with book.toml or content/), or a folder of locale folders.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The folder of locale folders, overriding build.content-dir.
    #[arg(long, value_name = "D")]
    pub content: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Where to write the site, overriding build.build-dir.
    #[arg(long, value_name = "D")]
    pub dest: Option<std::path::PathBuf>,
    /// Build only these locales, and the English (repeatable).
    #[arg(long = "locale", value_name = "L")]
    pub locales: Vec<String>,
    /// Build no search index and leave the search box out (overrides
    /// output.html.search.enabled).
    #[arg(long)]
    pub no_search: bool,
    /// Exit with status 1 when there are warnings, not only errors.
    #[arg(long)]
    pub strict: bool,
    /// How to print the summary.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder to create the project in (created if missing; must be empty).
    #[arg(default_value = ".")]
    pub dir: std::path::PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Only these locales (repeatable).
    #[arg(long = "locale", value_name = "L")]
    pub locales: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = StatusFormat::Table)]
    pub format: StatusFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    Table,
    Json,
    Markdown,
}
