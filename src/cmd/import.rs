//! `helpbook import`: read translation memory files, plan what changes in
//! which article, then print it as a diff (`--dry-run`) or write it; report
//! every unit that was in conflict or unknown, and a summary.
//!
//! Every file is read before anything else happens: one that cannot be read
//! (unreadable, malformed, of unknown format or locale) stops the import
//! with its `file:line:column`, exit 2, nothing written. Then the whole plan
//! is made, every article's new bytes included, before the first write.
//! Each article is written on its own, atomically (`writeback::replace`);
//! one that changed on disk meanwhile is left alone and its units reported
//! as conflicts. Exit 1 when a unit was in conflict or unknown.

use crate::cli::{ExportFormat, ImportArgs, ProjectArgs};
use crate::export::Format;
use crate::import::plan::{self, Input, Plan, Verdict};
use crate::import::{self, Locales};
use crate::writeback;
use anyhow::{bail, Result};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

pub fn run(args: ImportArgs) -> Result<i32> {
    let (dir, files) = split_paths(args.paths)?;
    let config = super::config(&ProjectArgs {
        dir,
        content: args.content,
    })?;
    let content = config.content_dir.clone();
    let mut model = crate::pipeline::Model::load_keeping(
        config,
        crate::pipeline::Keep::Lean,
        &crate::timing::Stages::default(),
    )?;
    let locales = Locales::new(
        model
            .project
            .locales
            .iter()
            .map(|l| l.tag.clone())
            .collect(),
    );
    let format = args.format.map(|f| match f {
        ExportFormat::Po => Format::Po,
        ExportFormat::Xliff => Format::Xliff,
        ExportFormat::Tmx => Format::Tmx,
    });

    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        match read(&file, format, &locales) {
            Ok(units) => inputs.push(Input { file, units }),
            Err(message) => errors.push(message),
        }
    }
    if !errors.is_empty() {
        let mut err = std::io::stderr().lock();
        for e in &errors {
            writeln!(err, "error: {e}")?;
        }
        writeln!(err, "nothing was imported")?;
        return Ok(2);
    }

    plan::hold(&mut model, &inputs);
    let mut plan = plan::plan(&model, &inputs, &|p| crate::fs::read(p))?;
    let mut out = String::new();
    let mut failed = false;
    if args.dry_run {
        for change in &plan.changes {
            out.push_str(&diff(change));
        }
    } else {
        failed = write(&content, &mut plan)?;
    }
    let mut err = String::new();
    for r in &plan.reports {
        let place = format!("{}:{}", r.input.display(), r.line);
        match &r.verdict {
            Verdict::Conflict(why) => {
                let pair = r
                    .pair
                    .as_ref()
                    .map(|(f, p)| format!(" ({f}:{}:{})", p.line, p.column))
                    .unwrap_or_default();
                let _ = writeln!(err, "{place}: conflict: {}{pair}: {why}", r.key);
            }
            Verdict::Unknown(why) => {
                let _ = writeln!(err, "{place}: unknown unit {}: {why}", r.key);
            }
            _ => {}
        }
    }
    // Conflicts and unknown units fail the run, so `-q` keeps them.
    if crate::ui::normal() {
        out.push_str(&summary(&plan, args.dry_run));
    }
    std::io::stderr().lock().write_all(err.as_bytes())?;
    std::io::stdout().lock().write_all(out.as_bytes())?;
    let troubled = plan.count(|v| matches!(v, Verdict::Conflict(_) | Verdict::Unknown(_))) > 0;
    Ok(if failed {
        2
    } else if troubled {
        1
    } else {
        0
    })
}

/// `[DIR] FILE…`: the first path is the project when it is a folder.
fn split_paths(mut paths: Vec<PathBuf>) -> Result<(PathBuf, Vec<PathBuf>)> {
    if paths.first().is_some_and(|p| p.is_dir()) {
        let dir = paths.remove(0);
        if paths.is_empty() {
            bail!(
                "{} is the project; name the translation memory files to import after it",
                dir.display()
            );
        }
        Ok((dir, paths))
    } else {
        Ok((PathBuf::from("."), paths))
    }
}

/// One file's units, or the message saying why it cannot be read.
fn read(
    file: &std::path::Path,
    format: Option<Format>,
    locales: &Locales,
) -> Result<Vec<import::Unit>, String> {
    let Some(format) = format.or_else(|| import::format_of(file)) else {
        return Err(format!(
            "{}: cannot tell the format from the file name (.po, .xlf, .xliff, .tmx); use --format",
            file.display()
        ));
    };
    let bytes = crate::fs::read(file).map_err(|e| format!("{e:#}"))?;
    import::read(file, &bytes, format, locales).map_err(|e| format!("{}:{e}", file.display()))
}

/// Writes every change; a file that changed on disk since it was read turns
/// its units into conflicts. Returns whether a write failed otherwise.
fn write(content: &std::path::Path, plan: &mut Plan) -> Result<bool> {
    let mut failed = false;
    for change in &plan.changes {
        match writeback::replace(content, &change.file, &change.old, &change.new) {
            Ok(()) => {}
            Err(e @ writeback::Error::Changed(_)) => {
                for &r in &change.units {
                    plan.reports[r].verdict = Verdict::Conflict(e.to_string());
                }
            }
            Err(e) => {
                failed = true;
                eprintln!("error: {e}");
                for &r in &change.units {
                    plan.reports[r].verdict = Verdict::Conflict(format!("not written: {e}"));
                }
            }
        }
    }
    Ok(failed)
}

/// A unified diff of one article's change, with no context lines: each
/// hunk is the lines of the pairs that change.
fn diff(change: &plan::FileChange) -> String {
    let old = String::from_utf8_lossy(&change.old);
    let new = String::from_utf8_lossy(&change.new);
    let name = format!("{}/{}", change.locale, change.path);
    crate::diff::unified_lines(old.as_ref(), new.as_ref(), &name)
}

fn summary(plan: &Plan, dry_run: bool) -> String {
    let applied = plan.count(|v| *v == Verdict::Applied);
    let unchanged = plan.count(|v| *v == Verdict::Unchanged);
    let empty = plan.count(|v| *v == Verdict::NoTranslation);
    let conflicts = plan.count(|v| matches!(v, Verdict::Conflict(_)));
    let unknown = plan.count(|v| matches!(v, Verdict::Unknown(_)));
    let files = plan
        .changes
        .iter()
        .filter(|c| {
            c.units
                .iter()
                .any(|&r| plan.reports[r].verdict == Verdict::Applied)
        })
        .count();
    let mut s = format!(
        "{}{applied} applied, {unchanged} unchanged, {conflicts} {}, {unknown} unknown",
        if dry_run {
            "dry run, nothing written: "
        } else {
            ""
        },
        if conflicts == 1 {
            "conflict"
        } else {
            "conflicts"
        }
    );
    if empty > 0 {
        let _ = write!(s, ", {empty} without a translation (left as they are)");
    }
    let _ = writeln!(
        s,
        "; {files} {} {}",
        if files == 1 { "article" } else { "articles" },
        if dry_run { "would change" } else { "changed" }
    );
    s
}
