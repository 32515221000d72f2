//! `helpbook clean`: removes the build directory, if helpbook made it. The
//! entries a build keeps (dot files and folders at its top, such as the
//! `.git` of a `gh-pages` checkout) stay, and the folder with them.

use crate::cli::ProjectArgs;
use anyhow::{bail, Context, Result};

pub fn run(args: ProjectArgs) -> Result<i32> {
    let config = super::config(&args)?;
    let dir = &config.build_dir;
    if !dir.exists() {
        if crate::ui::normal() {
            eprintln!("nothing to clean: {} does not exist", dir.display());
        }
        return Ok(0);
    }
    if !dir.join(crate::write::MARKER).is_file() {
        bail!(
            "{} was not written by helpbook (no {} file); not removing it",
            dir.display(),
            crate::write::MARKER
        );
    }
    super::not_holding_content(&config, dir, "[build] build-dir")?;
    let kept = crate::write::remove_site(dir)
        .with_context(|| format!("could not remove {}", dir.display()))?;
    if crate::ui::normal() {
        if kept.is_empty() {
            eprintln!("removed {}", dir.display());
        } else {
            let names: Vec<_> = kept.iter().map(|n| n.to_string_lossy()).collect();
            eprintln!(
                "removed the site in {}, keeping {}",
                dir.display(),
                names.join(", ")
            );
        }
    }
    Ok(0)
}
