//! The command line, as parsed by clap. Plain options; `cmd` turns them into work.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Static help sites in many languages from side-by-side (sxs) localized Markdown.
#[derive(Debug, Parser)]
#[command(name = "helpbook", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// When to colour output: `auto` colours a terminal unless NO_COLOR is set
    /// (CLICOLOR_FORCE forces it).
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// Print errors only: no progress, summaries or warnings.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more: what each stage read, made and took.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

/// `--color`: the same choice for every command that colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site: one linked site per language, plus the English.
    Build(BuildArgs),
    /// Build every language, serve it locally, rebuild and reload on save.
    Serve(ServeArgs),
    /// Report translation coverage and freshness per locale.
    Status(StatusArgs),
    /// Create a new project with one article in two languages.
    Init(InitArgs),
    /// Remove the build directory.
    Clean(ProjectArgs),
    /// Check translations: sxs markup, freshness, links, emphasis. Exit 1 on errors.
    Check(CheckArgs),
    /// Write translation memory (PO, XLIFF 2.0 or TMX 1.4b): one unit per segment pair.
    Export(ExportArgs),
    /// Write translations from translation memory (PO, XLIFF, TMX) back into the articles.
    Import(ImportArgs),
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

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// The port to listen on (0: any free port).
    #[arg(long, default_value_t = 3000)]
    pub port: u16,
    /// The address to listen on; anything but loopback is reachable from other machines.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Turn off editing translations in side-by-side pages.
    #[arg(long)]
    pub read_only: bool,
    /// Allow editing when --bind is not loopback (anyone who can reach the server can then edit).
    #[arg(long, conflicts_with = "read_only")]
    pub allow_edit: bool,
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
    /// Show every column of the table, however narrow the terminal (a
    /// table on a terminal, or with `COLUMNS` set, leaves out the columns
    /// that do not fit and names them).
    #[arg(long)]
    pub wide: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Only findings of these locales (repeatable).
    #[arg(long = "locale", value_name = "L")]
    pub locales: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Turn a class of findings into errors: `--deny warnings`.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub deny: Vec<Deny>,
    /// With `--format github`: at most N error and warning annotations
    /// (errors first); one notice per lint counts the rest.
    #[arg(long, value_name = "N", default_value_t = crate::check::github::DEFAULT_MAX_ANNOTATIONS)]
    pub max_annotations: usize,
    /// An earlier `check --format json` output: only findings it does not
    /// have are shown and count for the exit status.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// rustc-style messages and a summary table (colour on a terminal only).
    Human,
    /// One JSON document (schema in docs/check.md).
    Json,
    /// GitHub Actions annotations (`::error file=…,line=…::…`) and, where
    /// `GITHUB_STEP_SUMMARY` is set, a job summary.
    Github,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Every warning is an error.
    Warnings,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// File format: one file per locale.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Only these locales (repeatable).
    #[arg(long = "locale", value_name = "L")]
    pub locales: Vec<String>,
    /// Output folder [default: export/ in the project root; required when DIR
    /// is a bare folder of locale folders]. `--dest`, as `build` has it, is
    /// the same option.
    #[arg(long, value_name = "D", visible_alias = "dest")]
    pub out: Option<PathBuf>,
    /// PO only: one file per article, under a folder per locale.
    #[arg(long)]
    pub per_article: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// GNU gettext PO.
    Po,
    /// XLIFF 2.0.
    Xliff,
    /// TMX 1.4b.
    Tmx,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// An optional project folder (as for the other commands), then the
    /// translation memory files to import. The first path is the project
    /// when it is a folder.
    #[arg(required = true, value_name = "[DIR] FILE")]
    pub paths: Vec<PathBuf>,
    /// The folder of locale folders, overriding build.content-dir.
    #[arg(long, value_name = "D")]
    pub content: Option<PathBuf>,
    /// The files' format [default: from each file's extension: .po, .xlf/.xliff, .tmx].
    #[arg(long, value_enum)]
    pub format: Option<ExportFormat>,
    /// Print what would change, as a unified diff per article, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}
