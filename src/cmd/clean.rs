//! `helpbook clean`: removes the build directory, if helpbook made it.

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
    crate::write::remove_tree(dir)
        .with_context(|| format!("could not remove {}", dir.display()))?;
    if crate::ui::normal() {
        eprintln!("removed {}", dir.display());
    }
    Ok(0)
}
