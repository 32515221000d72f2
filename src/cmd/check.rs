//! `helpbook check`: the pipeline's stages 1–4 ([`pipeline::check`]), with
//! nothing written, the baseline's findings set aside, and the rest reported.
//!
//! Every locale is read even with `--locale`, so a filtered run reports the
//! same findings for its locales as a full one. Exit 0 when no (new) finding
//! is at error level, 1 when one is; 2 (an `Err`) when the project could not
//! be read, `book.toml` is invalid, `--locale` names no folder, or the
//! baseline cannot be read. With `-q` only errors are reported; with `-v`
//! the time of reading, parsing and rendering too.
//!
//! The one place `check` reads the environment: GitHub Actions' variables
//! (`GITHUB_WORKSPACE`, `GITHUB_SERVER_URL`, `GITHUB_REPOSITORY`,
//! `GITHUB_SHA`, `GITHUB_STEP_SUMMARY`) for the `github` and `sarif` formats.

use crate::check::baseline::Baseline;
use crate::check::location::Paths;
use crate::check::{self, github, sarif, Format};
use crate::cli::{CheckArgs, CheckFormat, Deny};
use crate::pipeline;
use crate::timing::{Stage, Stages};
use anyhow::{Context, Result};
use std::io::Write;
use std::path::PathBuf;

pub fn run(args: CheckArgs) -> Result<i32> {
    let config = super::config(&args.project)?;
    // Read first: a bad baseline fails before the work.
    let baseline = match &args.baseline {
        Some(file) => {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("could not read the baseline {}", file.display()))?;
            let baseline =
                Baseline::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            Some(baseline)
        }
        None => None,
    };
    let deny = args.deny.contains(&Deny::Warnings);
    let stages = Stages::default();
    let mut findings = pipeline::check_timed(config, &args.locales, deny, &stages)?;
    for stage in [Stage::Read, Stage::Parse, Stage::Render] {
        crate::ui::detail(
            &stages.progress,
            format_args!(
                "{:<7} {:>8.2}s (CPU, summed over threads)",
                stage.name(),
                stages.get(stage).as_secs_f64()
            ),
        );
    }
    // `-q`: the errors only (they alone decide the exit status here).
    if !crate::ui::normal() {
        findings.retain(|f| f.level == crate::diag::Level::Error);
    }
    let mut baselined = 0;
    if let Some(baseline) = &baseline {
        (findings, baselined) = baseline.new_findings(findings);
    }

    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let cwd = std::env::current_dir().ok();
    let workspace = var("GITHUB_WORKSPACE").map(PathBuf::from);
    let paths = Paths::new(cwd.clone(), workspace.clone());
    let step_summary = var("GITHUB_STEP_SUMMARY").map(PathBuf::from);
    let stdout = std::io::stdout();
    let format = match args.format {
        CheckFormat::Human => Format::Human {
            color: anstream::AutoStream::choice(&stdout) != anstream::ColorChoice::Never,
        },
        CheckFormat::Json => Format::Json,
        CheckFormat::Github => Format::Github(github::Options {
            max_annotations: args.max_annotations,
            paths,
            blob_url: blob_url(&var),
            step_summary: step_summary.is_some(),
            baselined,
        }),
        CheckFormat::Sarif => Format::Sarif(sarif::Options {
            paths,
            root: workspace.or(cwd),
            baseline: baseline.is_some(),
        }),
    };
    if matches!(args.format, CheckFormat::Human | CheckFormat::Json) {
        check::snippets::attach(&mut findings, check::snippets::read_source);
    }
    let mut out = std::io::BufWriter::new(stdout.lock());
    check::report(&findings, &format, &mut out)?;
    out.flush()?;
    if let (Format::Github(options), Some(path)) = (&format, &step_summary) {
        write_step_summary(path, &findings, options)?;
    }
    if let (Some(file), true) = (&args.baseline, baselined > 0 && crate::ui::normal()) {
        writeln!(
            std::io::stderr().lock(),
            "baseline: {baselined} findings of {} not shown",
            file.display()
        )?;
    }
    Ok(pipeline::exit_code(&findings, false))
}

/// `$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$GITHUB_SHA`, when all are set.
fn blob_url(var: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let server = var("GITHUB_SERVER_URL")?;
    let repository = var("GITHUB_REPOSITORY")?;
    let sha = var("GITHUB_SHA")?;
    Some(format!(
        "{}/{repository}/blob/{sha}",
        server.trim_end_matches('/')
    ))
}

/// Appends the job summary to `path`, as GitHub expects of every step.
fn write_step_summary(
    path: &std::path::Path,
    findings: &[crate::diag::Finding],
    options: &github::Options,
) -> Result<()> {
    let context = || format!("could not write the job summary to {}", path.display());
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(context)?;
    let mut out = std::io::BufWriter::new(file);
    github::step_summary(findings, options, &mut out).with_context(context)?;
    out.flush().with_context(context)
}
