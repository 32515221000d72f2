//! `helpbook status`: load, pair, report.

use crate::cli::{StatusArgs, StatusFormat};
use crate::pair::English;
use crate::status::Report;
use anyhow::Result;
use std::io::Write;

pub fn run(args: StatusArgs) -> Result<i32> {
    let config = super::config(&args.project)?;
    // The English is rebuilt from every locale; --locale only narrows the report.
    let mut project = crate::load::project(config, &[])?;
    let english = English::new(&project);
    if !args.locales.is_empty() {
        project.locales.retain(|l| {
            args.locales
                .iter()
                .any(|want| want.eq_ignore_ascii_case(&l.tag))
        });
    }
    let (report, _findings) = Report::new(&project, &english);
    let text = match args.format {
        StatusFormat::Table => report.table(),
        StatusFormat::Markdown => report.markdown(),
        StatusFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(0)
}
