//! `helpbook check`: the pipeline's stages 1–4 ([`pipeline::check`]), with
//! nothing written, and its findings reported.
//!
//! Every locale is read even with `--locale`, so a filtered run reports the
//! same findings for its locales as a full one. Exit 0 when
//! no finding is at error level, 1 when one is; 2 (an `Err`) when the project
//! could not be read, `book.toml` is invalid, or `--locale` names no folder.

use crate::check::{self, Format};
use crate::cli::{CheckArgs, CheckFormat, Deny};
use crate::pipeline;
use anyhow::Result;
use std::io::Write;

pub fn run(args: CheckArgs) -> Result<i32> {
    let config = super::config(&args.project)?;
    let deny = args.deny.contains(&Deny::Warnings);
    let mut findings = pipeline::check(config, &args.locales, deny)?;
    let stdout = std::io::stdout();
    let format = match args.format {
        CheckFormat::Human => Format::Human {
            color: anstream::AutoStream::choice(&stdout) != anstream::ColorChoice::Never,
        },
        CheckFormat::Json => Format::Json,
        CheckFormat::Github => Format::Github,
    };
    if args.format != CheckFormat::Github {
        check::snippets::attach(&mut findings, |file| std::fs::read(file).ok());
    }
    let mut out = std::io::BufWriter::new(stdout.lock());
    check::report(&findings, format, &mut out)?;
    out.flush()?;
    Ok(pipeline::exit_code(&findings, false))
}
