//! `helpbook check`: load every locale, rebuild the English, check, report.
//!
//! The English is rebuilt from all locales even with `--locale`, so a filtered
//! run reports the same findings for its locales as a full one. Exit 0 when
//! no finding is at error level, 1 when one is; 2 (an `Err`) when the project
//! could not be read, `book.toml` is invalid, or `--locale` names no folder.

use crate::check::{self, Format, Options};
use crate::cli::{CheckArgs, CheckFormat, Deny};
use crate::pair::English;
use anyhow::{bail, Result};
use std::io::Write;

pub fn run(args: CheckArgs) -> Result<i32> {
    let config = super::config(&args.project)?;
    let project = crate::load::project(config, &[])?;
    for wanted in &args.locales {
        let known = project
            .locales
            .iter()
            .chain(project.english.as_ref())
            .any(|l| l.tag.eq_ignore_ascii_case(wanted));
        if !known {
            bail!(
                "--locale {wanted}: there is no such locale folder in {}",
                project.config.content_dir.display()
            );
        }
    }
    let english = English::new(&project);
    let options = Options {
        locales: args.locales.clone(),
        deny_warnings: args.deny.contains(&Deny::Warnings),
    };
    let mut findings = check::check(&project, &english, &options);
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
    Ok(check::exit_code(&findings))
}
