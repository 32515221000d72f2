//! `helpbook build`: the pipeline into a staging folder, swapped in; its
//! findings shown as `check` shows them (the first few of each lint in
//! full, then a table of counts), and a summary. With `-q` the errors
//! only; with `-v` also the time of each stage; a progress bar on a
//! terminal while it runs.

use crate::cli::{BuildArgs, OutputFormat};
use crate::diag::{Finding, Level};
use crate::pipeline;
use crate::theme::Theme;
use crate::timing::{Stage, Stages};
use crate::ui::Progress;
use crate::write::Staging;
use anyhow::Result;
use std::collections::HashMap;
use std::io::Write;
use std::time::Instant;

/// How many findings of each lint are shown in full.
const SHOWN_PER_LINT: usize = 3;

pub fn run(args: BuildArgs) -> Result<i32> {
    let started = Instant::now();
    let mut config = super::config(&args.project)?;
    if args.no_search {
        config.html.search.enabled = false;
    }
    let bare = config.file.is_none() && config.content_dir == config.root;
    let dest = match &args.dest {
        Some(d) => d.clone(),
        None if bare => anyhow::bail!(
            "{} holds the locale folders itself; say where to write the site with --dest D",
            config.root.display()
        ),
        None => config.build_dir.clone(),
    };
    let named = if args.dest.is_some() {
        "--dest"
    } else {
        "[build] build-dir"
    };
    super::outside_content(&config, &dest, named)?;
    super::not_holding_content(&config, &dest, named)?;
    let theme = Theme::load(&config.root, &config.theme)?;
    let staging = Staging::new(&dest)?;
    let stages = Stages::with_progress(Progress::start("building"));
    let built = pipeline::build_timed(config, &theme, &args.locales, &staging, &stages);
    stages.progress.finish();
    let summary = built?;
    let dest = staging.commit()?;
    let elapsed = started.elapsed();
    for stage in Stage::ALL {
        crate::ui::detail(
            &stages.progress,
            format_args!(
                "{:<9} {:>8.2}s (CPU, summed over threads)",
                stage.name(),
                stages.get(stage).as_secs_f64()
            ),
        );
    }
    let findings = summary.findings;
    let count = |l: Level| findings.iter().filter(|f| f.level == l).count();
    let (errors, warnings) = (count(Level::Error), count(Level::Warning));
    let pages: usize = summary.pages.iter().map(|(_, n)| n).sum();
    match args.format {
        OutputFormat::Human => {
            let mut err = std::io::stderr().lock();
            let color =
                anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never;
            let quiet = !crate::ui::normal();
            let (mut shown, hidden) = first_of_each_lint(&findings, quiet);
            crate::check::snippets::attach(&mut shown, crate::check::snippets::read_source);
            for f in &shown {
                writeln!(err, "{}", crate::check::render::finding(f, color))?;
            }
            if hidden > 0 {
                let what = if quiet {
                    "errors"
                } else {
                    "errors and warnings"
                };
                writeln!(
                    err,
                    "({hidden} more {what}; `helpbook check` lists them all)\n"
                )?;
            }
            if quiet {
                return Ok(pipeline::exit_code(&findings, args.strict));
            }
            if !findings.is_empty() {
                writeln!(err, "{}", crate::check::report::table(&findings))?;
            }
            writeln!(
                err,
                "built {pages} pages in {} languages ({}) into {} in {:.2}s: {}",
                summary.pages.len(),
                per_language(&summary.pages),
                dest.display(),
                elapsed.as_secs_f64(),
                crate::check::summary_line(&findings)
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
    Ok(pipeline::exit_code(&findings, args.strict))
}

/// The errors and warnings (errors only when `quiet`) to show in full:
/// errors first, at most [`SHOWN_PER_LINT`] of each lint; and how many
/// others there are.
fn first_of_each_lint(findings: &[Finding], quiet: bool) -> (Vec<Finding>, usize) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut shown = Vec::new();
    let mut hidden = 0;
    let levels: &[Level] = if quiet {
        &[Level::Error]
    } else {
        &[Level::Error, Level::Warning]
    };
    for &level in levels {
        for f in findings.iter().filter(|f| f.level == level) {
            let n = seen.entry(f.lint).or_insert(0);
            *n += 1;
            if *n <= SHOWN_PER_LINT {
                shown.push(f.clone());
            } else {
                hidden += 1;
            }
        }
    }
    (shown, hidden)
}

/// The pages of each language, for the summary line: each by name where
/// that stays short (`en-US 18, sv-SE 18`), else the range
/// (`2703 to 2719 each`), so that 36 languages make one readable line.
fn per_language(pages: &[(String, usize)]) -> String {
    let each: Vec<String> = pages.iter().map(|(t, n)| format!("{t} {n}")).collect();
    let listed = each.join(", ");
    if listed.len() <= 80 {
        return listed;
    }
    let least = pages.iter().map(|(_, n)| *n).min().unwrap_or(0);
    let most = pages.iter().map(|(_, n)| *n).max().unwrap_or(0);
    if least == most {
        format!("{most} each")
    } else {
        format!("{least} to {most} each")
    }
}

#[cfg(test)]
mod tests {
    use super::per_language;

    #[test]
    fn the_pages_of_many_languages_fit_one_line() {
        let pages = |tags: &[&str], n: usize| -> Vec<(String, usize)> {
            tags.iter().map(|t| (t.to_string(), n)).collect()
        };
        assert_eq!(
            per_language(&pages(&["en-US", "sv-SE"], 18)),
            "en-US 18, sv-SE 18"
        );
        let many: Vec<String> = (0..36).map(|i| format!("x{i:02}-ZZ")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let mut all = pages(&many, 2719);
        assert_eq!(per_language(&all), "2719 each");
        all[4].1 = 2703;
        assert_eq!(per_language(&all), "2703 to 2719 each");
    }
}
