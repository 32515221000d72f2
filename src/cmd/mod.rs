//! The commands: each turns parsed options into work and returns an exit code.
//!
//! Exit codes: 0 clean, 1 content findings at error level (where the command
//! gates on them), 2 could not run (returned as `Err` and mapped by `main`).

mod build;
mod check;
mod clean;
mod export;
mod import;
mod init;
mod serve;
mod status;

use crate::cli::{Cli, Command, ProjectArgs};
use crate::config::Config;
use anyhow::Result;

/// Runs one command; `Ok(code)` is the exit status.
pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Build(args) => build::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Status(args) => status::run(args),
        Command::Init(args) => init::run(args),
        Command::Clean(args) => clean::run(args),
        Command::Check(args) => check::run(args),
        Command::Export(args) => export::run(args),
        Command::Import(args) => import::run(args),
    }
}

/// Loads the configuration for the project options.
pub(crate) fn config(args: &ProjectArgs) -> Result<Config> {
    Config::load_with(&args.dir, args.content.as_deref())
}
