//! `helpbook export`: load, pair, collect units, render each locale's file(s)
//! and write them under the output folder; print what was written.
//!
//! Every locale is loaded even when `--locale` picks some, so that freshness
//! is judged against the same English as a full export. Files are rendered and
//! written one locale at a time, so memory follows the largest locale. A
//! progress bar counts the locales on a terminal; `-q` prints nothing but
//! errors, `-v` the time of loading and of each locale.

use crate::cli::{ExportArgs, ExportFormat};
use crate::config::Config;
use crate::export::{self, Format};
use crate::pipeline::{Keep, Model};
use crate::timing::{Stage, Stages};
use crate::ui::Progress;
use anyhow::{bail, Result};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub fn run(args: ExportArgs) -> Result<i32> {
    let started = Instant::now();
    let format = match args.format {
        ExportFormat::Po => Format::Po,
        ExportFormat::Xliff => Format::Xliff,
        ExportFormat::Tmx => Format::Tmx,
    };
    if args.per_article && format != Format::Po {
        bail!("--per-article applies to --format po only");
    }
    let config = super::config(&args.project)?;
    let out = out_dir(&config, args.out.as_deref())?;
    let stages = Stages::with_progress(Progress::start("exporting"));
    let model = Model::load_keeping(config, Keep::Lean, &stages)?;
    crate::ui::detail(
        &stages.progress,
        format_args!(
            "loaded {} locales in {:.2}s (read {:.2}s, parse {:.2}s CPU)",
            model.project.locales.len(),
            started.elapsed().as_secs_f64(),
            stages.get(Stage::Read).as_secs_f64(),
            stages.get(Stage::Parse).as_secs_f64()
        ),
    );
    let only = model.select(&args.locales)?;
    if let Some(t) = only
        .iter()
        .find(|t| t.eq_ignore_ascii_case(&model.config().source_language))
    {
        bail!("--locale {t}: that is the source language; it has no translations to export");
    }
    let count = if only.is_empty() {
        model.project.locales.len()
    } else {
        only.len()
    };
    stages.progress.items(count as u64);

    let mut report = String::new();
    let mut warnings = Vec::new();
    let (mut units, mut files) = (0, 0);
    export::each(&model, &only, &stages, |locale| {
        stages.progress.step(locale.tag);
        let step = Instant::now();
        // Read at load, unreadable now: left out, and said so.
        warnings.extend(locale.unreadable.iter().map(|f| format!("warning: {f}")));
        let planned = export::plan(locale, format, args.per_article);
        export::write(&out, &planned)?;
        stages.progress.inc(1);
        crate::ui::detail(
            &stages.progress,
            format_args!(
                "{}: {} files written in {:.2}s",
                locale.tag,
                planned.len(),
                step.elapsed().as_secs_f64()
            ),
        );
        let replaced: usize = planned.iter().map(|f| f.replaced).sum();
        let shown = match planned.as_slice() {
            [one] => out.join(&one.path).display().to_string(),
            many => format!("{} ({} files)", out.join(locale.tag).display(), many.len()),
        };
        let _ = writeln!(
            report,
            "{:<8} {:>7} units from {:>5} articles -> {shown}",
            locale.tag,
            locale.len(),
            locale.articles.len(),
        );
        if replaced > 0 {
            let _ = writeln!(
                report,
                "warning: {replaced} characters that {} cannot hold were written as U+FFFD",
                format.extension()
            );
        }
        units += locale.len();
        files += planned.len();
        Ok(())
    })?;
    let _ = writeln!(
        report,
        "exported {units} units in {files} files ({count} locales) in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    stages.progress.finish();
    for w in &warnings {
        eprintln!("{w}");
    }
    if crate::ui::normal() {
        std::io::stdout().lock().write_all(report.as_bytes())?;
    }
    Ok(0)
}

/// The output folder: `--out`, else `export/` in the project root. A bare
/// folder of locale folders has no root of its own to write into, so it
/// needs `--out`; and no output folder may lie inside the content folder.
fn out_dir(config: &Config, out: Option<&Path>) -> Result<PathBuf> {
    let bare = config.file.is_none() && config.content_dir == config.root;
    let out = match out {
        Some(o) => o.to_path_buf(),
        None if bare => bail!(
            "{} holds the locale folders itself; say where to write with --out D",
            config.root.display()
        ),
        None => config.root.join("export"),
    };
    super::outside_content(config, &out, "--out")?;
    Ok(out)
}
