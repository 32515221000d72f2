//! `helpbook build`: load → pair → site → swap in; print a summary.

use crate::cli::{BuildArgs, OutputFormat};
use crate::diag::Level;
use crate::pair::English;
use crate::theme::Theme;
use crate::write::Staging;
use anyhow::Result;
use std::io::Write;
use std::time::Instant;

pub fn run(args: BuildArgs) -> Result<i32> {
    let started = Instant::now();
    let mut config = super::config(&args.project)?;
    if args.no_search {
        config.html.search.enabled = false;
    }
    let dest = match &args.dest {
        Some(d) => d.clone(),
        None => config.build_dir.clone(),
    };
    let theme = Theme::load(&config.root, &config.theme)?;
    let project = crate::load::project(config, &[])?;
    let english = English::new(&project);
    let staging = Staging::new(&dest)?;
    let mut summary = crate::site::build(&project, &english, &theme, &staging, &args.locales)?;
    let dest = staging.commit()?;
    let elapsed = started.elapsed();
    // The same levels as `helpbook check`: book.toml [check] and --strict.
    crate::check::levels::Levels::new(&project.config.check, false).apply(&mut summary.findings);
    crate::check::sort(&mut summary.findings);
    // A translation and the English rebuilt from it come from one file: the
    // same finding at the same place is reported once.
    summary.findings.dedup_by(|a, b| {
        (a.lint, &a.file, a.line, a.column, &a.message)
            == (b.lint, &b.file, b.line, b.column, &b.message)
    });

    let errors = summary
        .findings
        .iter()
        .filter(|f| f.level == Level::Error)
        .count();
    let warnings = summary
        .findings
        .iter()
        .filter(|f| f.level == Level::Warning)
        .count();
    let pages: usize = summary.pages.iter().map(|(_, n)| n).sum();
    let mut err = std::io::stderr().lock();
    match args.format {
        OutputFormat::Human => {
            // Errors in full, rustc-style, through the same code as `check`.
            let mut shown: Vec<_> = summary
                .findings
                .iter()
                .filter(|f| f.level == Level::Error)
                .cloned()
                .collect();
            crate::check::snippets::attach(&mut shown, |file| std::fs::read(file).ok());
            let color =
                anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never;
            for f in &shown {
                write!(err, "{}", crate::check::render::finding(f, color))?;
            }
            let per_lang: Vec<String> = summary
                .pages
                .iter()
                .map(|(t, n)| format!("{t} {n}"))
                .collect();
            writeln!(
                err,
                "built {pages} pages in {} languages ({}) into {} in {:.2}s: {errors} errors, {warnings} warnings",
                summary.pages.len(),
                per_lang.join(", "),
                dest.display(),
                elapsed.as_secs_f64()
            )?;
        }
        OutputFormat::Json => {
            let json = serde_json::json!({
                "dest": dest.display().to_string(),
                "pages": pages,
                "languages": summary.pages.iter().map(|(t, n)| serde_json::json!({"tag": t, "pages": n})).collect::<Vec<_>>(),
                "errors": errors,
                "warnings": warnings,
                "seconds": elapsed.as_secs_f64(),
            });
            writeln!(
                std::io::stdout().lock(),
                "{}",
                serde_json::to_string_pretty(&json)?
            )?;
        }
    }
    Ok(if errors > 0 || (args.strict && warnings > 0) {
        1
    } else {
        0
    })
}
