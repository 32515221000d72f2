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
use anyhow::{bail, Result};
use std::path::{Path, PathBuf};

/// Runs one command; `Ok(code)` is the exit status.
pub fn run(cli: Cli) -> Result<i32> {
    crate::write::catch_file_size_signal();
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

/// Refuses an output folder (`flag`: `--dest`, `--out`) that is the content
/// folder or lies inside it, through a symbolic link or not: what a command
/// writes there would be read back as content by the next run, or replace it.
pub(crate) fn outside_content(config: &Config, out: &Path, flag: &str) -> Result<()> {
    let absolute = std::path::absolute(out)?;
    let content = config
        .content_dir
        .canonicalize()
        .unwrap_or_else(|_| config.content_dir.clone());
    let real = nearest_real(&absolute);
    if real.starts_with(&content) || absolute.starts_with(std::path::absolute(&config.content_dir)?)
    {
        bail!(
            "{flag} {}: refusing to write inside the content folder {}",
            out.display(),
            config.content_dir.display()
        );
    }
    Ok(())
}

/// Refuses a folder that a command replaces or removes whole (`build`'s
/// site, named by `flag`; `clean`'s) when the content folder lies inside it,
/// through a symbolic link or not: the content would go with it.
pub(crate) fn not_holding_content(config: &Config, dir: &Path, flag: &str) -> Result<()> {
    let (content, folder) = (
        std::path::absolute(&config.content_dir)?,
        std::path::absolute(dir)?,
    );
    if content.starts_with(&folder) || nearest_real(&content).starts_with(nearest_real(&folder)) {
        bail!(
            "{flag} {}: the content folder {} is inside it, and would go with it \
             (a build replaces the folder whole, `clean` removes it); write the site elsewhere",
            dir.display(),
            config.content_dir.display()
        );
    }
    Ok(())
}

/// `path` with its longest existing ancestor resolved (symbolic links followed).
fn nearest_real(path: &Path) -> PathBuf {
    let mut rest = Vec::new();
    let mut cur = path;
    loop {
        if let Ok(real) = cur.canonicalize() {
            return rest.iter().rev().fold(real, |p, c| p.join(c));
        }
        match (cur.parent(), cur.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                cur = parent;
            }
            _ => return path.to_path_buf(),
        }
    }
}
