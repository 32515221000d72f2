//! Stage 6: writing the site, all or nothing.
//!
//! A build writes into a fresh staging folder beside the build directory
//! (`.<name>.staging-<pid>`) and swaps it in at the end, so an interrupted or
//! failed build never leaves a half-written site: on Linux the two folders
//! are exchanged in one step, so the build directory is always a complete
//! site, the previous or the new one (`tests/interrupted.rs` kills builds to
//! check it). helpbook only ever deletes
//! what it made: its own staging folders, and a build directory that carries
//! its marker file (or is empty). A staging folder left by a killed build is
//! removed by the next build (once the system says its process has ended).
//!
//! Files and folders at the top of the build directory whose names start
//! with a dot, other than the marker, are kept: helpbook writes none, so
//! they were put there by someone else (the `.git` of a `gh-pages` checkout,
//! `.nojekyll`, `.well-known/`). Each build moves them into its staging
//! folder before the swap; one killed in between leaves them there, and
//! the next build hands them back before it removes that folder.

use anyhow::{bail, Context, Result};
use std::path::{Component, Path, PathBuf};

/// Marks a folder as a helpbook build directory (safe to replace).
pub const MARKER: &str = ".helpbook-site";

/// Whether top-level entry `name` of a build directory is kept across
/// builds (see the module doc): a dot entry other than [`MARKER`].
pub fn is_kept(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().starts_with(b".") && name != MARKER
}

/// The kept entries at the top of folder `dir` (none when it cannot be read).
fn kept_in(dir: &Path) -> Vec<std::ffi::OsString> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<_> = entries
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| is_kept(n))
        .collect();
    names.sort();
    names
}

/// Moves the kept entries of `from` that `to` lacks into `to`; on a
/// failure, those moved go back and the error is returned.
fn move_kept(from: &Path, to: &Path) -> Result<()> {
    let mut moved = Vec::new();
    for name in kept_in(from) {
        if std::fs::symlink_metadata(to.join(&name)).is_ok() {
            continue;
        }
        if let Err(err) = std::fs::rename(from.join(&name), to.join(&name)) {
            for name in moved.iter().rev() {
                let _ = std::fs::rename(to.join(name), from.join(name));
            }
            return Err(err).with_context(|| {
                format!(
                    "could not move {} into the new site",
                    from.join(&name).display()
                )
            });
        }
        moved.push(name);
    }
    Ok(())
}

/// A staging folder for one build.
pub struct Staging {
    dir: PathBuf,
    dest: PathBuf,
    committed: bool,
}

impl Staging {
    /// Prepares a staging folder for `dest`, removing ones left by killed builds.
    pub fn new(dest: &Path) -> Result<Staging> {
        let dest = resolve_link(&absolute(dest)?)?;
        check_replaceable(&dest)?;
        let (parent, name) = split(&dest)?;
        crate::fs::create_dir_all(&parent)?;
        remove_stale(&parent, &name);
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            remove_tree(&dir).with_context(|| format!("could not remove {}", dir.display()))?;
        }
        crate::fs::create_dir_all(&dir)?;
        Ok(Staging {
            dir,
            dest,
            committed: false,
        })
    }

    /// The staging folder itself (for tests and tools that write many files).
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Writes `bytes` at `rel` (a `/`-separated path inside the site).
    pub fn put(&self, rel: &str, bytes: impl AsRef<[u8]>) -> Result<()> {
        let path = self.inside(rel)?;
        // Folders are made when a write first finds one missing, not checked
        // before every file.
        match std::fs::write(&path, bytes.as_ref()) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(parent) = path.parent() {
                    crate::fs::create_dir_all(parent)?;
                }
                crate::fs::write(&path, bytes)
            }
            other => other.with_context(|| format!("could not write {}", path.display())),
        }
    }

    /// `rel` as a path inside the staging folder; never outside it.
    fn inside(&self, rel: &str) -> Result<PathBuf> {
        inside(&self.dir, rel)
    }

    /// Swaps the staging folder in as the build directory.
    ///
    /// Where the system can exchange two folders in one step (Linux
    /// `renameat2` with `RENAME_EXCHANGE`), the build directory is at every
    /// moment either the complete previous site or the complete new one;
    /// the previous site then sits in the staging folder's place and is
    /// removed. Elsewhere the previous site is first renamed aside, leaving
    /// a moment with no build directory; a build killed in that moment
    /// leaves it aside, and the next build puts it back ([`remove_stale`]).
    pub fn commit(mut self) -> Result<PathBuf> {
        crate::fs::write(
            &self.dir.join(MARKER),
            "helpbook build directory; replaced by every build\n",
        )?;
        let had_old = self.dest.exists();
        if !had_old {
            std::fs::rename(&self.dir, &self.dest).with_context(|| {
                format!("could not move the new site into {}", self.dest.display())
            })?;
            self.committed = true;
            return Ok(self.dest.clone());
        }
        check_replaceable(&self.dest)?;
        move_kept(&self.dest, &self.dir)?;
        if exchange(&self.dir, &self.dest) {
            // The staging folder now holds the previous site.
            self.committed = true;
            remove_tree(&self.dir)
                .with_context(|| format!("could not remove {}", self.dir.display()))?;
            return Ok(self.dest.clone());
        }
        let (parent, name) = split(&self.dest)?;
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        std::fs::rename(&self.dest, &old).with_context(|| {
            format!(
                "could not move the previous site {} aside",
                self.dest.display()
            )
        })?;
        if let Err(err) = std::fs::rename(&self.dir, &self.dest) {
            let _ = std::fs::rename(&old, &self.dest);
            let _ = move_kept(&self.dir, &self.dest);
            return Err(err).with_context(|| {
                format!("could not move the new site into {}", self.dest.display())
            });
        }
        self.committed = true;
        remove_tree(&old).with_context(|| format!("could not remove {}", old.display()))?;
        Ok(self.dest.clone())
    }
}

/// Exchanges folders `a` and `b` in one step; false where the system or the
/// file system cannot (the caller then renames one after the other).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_tree(&self.dir);
        }
    }
}

/// Where a build puts its files: the [`Staging`] folder of `build`, or the
/// folder `serve` rewrites page by page.
pub trait Sink: Sync {
    /// Writes `bytes` at `rel` (a `/`-separated path inside the site).
    fn put_bytes(&self, rel: &str, bytes: &[u8]) -> Result<()>;
}

impl dyn Sink + '_ {
    /// Writes `bytes` at `rel`.
    pub fn put(&self, rel: &str, bytes: impl AsRef<[u8]>) -> Result<()> {
        self.put_bytes(rel, bytes.as_ref())
    }
}

impl Sink for Staging {
    fn put_bytes(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.put(rel, bytes)
    }
}

/// A plain output folder whose files are replaced one by one, each
/// atomically (written to a temporary file beside it, then renamed over it).
/// A file whose bytes do not change is left alone; the paths of the files
/// that did change are recorded, for `serve` to reload exactly those pages.
pub struct Folder {
    dir: PathBuf,
    changed: std::sync::Mutex<Vec<String>>,
}

impl Folder {
    pub fn new(dir: &Path) -> Folder {
        Folder {
            dir: dir.to_path_buf(),
            changed: std::sync::Mutex::new(Vec::new()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// The files written since the last call, sorted (`/`-separated).
    pub fn take_changed(&self) -> Vec<String> {
        let mut out = std::mem::take(&mut *self.changed.lock().unwrap_or_else(|e| e.into_inner()));
        out.sort();
        out.dedup();
        out
    }

    /// Removes file or folder `rel` if it exists (a symbolic link is
    /// removed, not followed); records it as changed.
    pub fn remove(&self, rel: &str) -> Result<()> {
        let path = inside(&self.dir, rel)?;
        let is_dir = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        let removed = if is_dir {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        match removed {
            Ok(()) => {
                self.record(rel);
                Ok(())
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e).with_context(|| format!("could not remove {}", path.display())),
        }
    }

    fn record(&self, rel: &str) {
        self.changed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(rel.to_string());
    }
}

impl Sink for Folder {
    fn put_bytes(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = inside(&self.dir, rel)?;
        if std::fs::read(&path).is_ok_and(|old| old == bytes) {
            return Ok(());
        }
        let parent = path.parent().unwrap_or(&self.dir);
        crate::fs::create_dir_all(parent)?;
        crate::fs::replace(&path, bytes)?;
        self.record(rel);
        Ok(())
    }
}

/// A write past a file-size limit (`ulimit -f`) raises `SIGXFSZ`, which
/// ends the process without a word, in the middle of a build. Caught, the
/// write fails with `EFBIG` instead, which the command reports, naming the
/// file, as it reports any write error (and `serve` shows in its overlay).
/// Called once, before any command runs. Through tokio's signal handling
/// (which needs a runtime to install it; the handler stays installed after
/// that runtime is gone), so that helpbook has no `unsafe` of its own.
pub fn catch_file_size_signal() {
    #[cfg(target_os = "linux")]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let xfsz = SignalKind::from_raw(rustix::process::Signal::XFSZ.as_raw());
        let installed = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .and_then(|runtime| runtime.block_on(async { signal(xfsz).map(drop) }));
        if let Err(err) = installed {
            eprintln!("warning: could not catch SIGXFSZ: {err}");
        }
    }
}

/// How many threads [`remove_tree`] removes with. Removing files from a
/// disk is mostly waiting on it, so more threads than cores help: on a
/// 2-core machine's ext4 disk, a 36-language site (296,000 files) took
/// 25 s to remove one file at a time, 17 s with 2 threads and 10 s with 8.
const REMOVERS: usize = 8;

/// Removes folder `dir` and everything in it (a site, which is one folder
/// per language). Its top-level entries (those of its one folder, if that
/// is all it holds) are shared out among
/// [`REMOVERS`] threads of its own, not the build's pool: they wait on the
/// disk rather than compute. A symbolic link is removed, never followed.
pub fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    if std::fs::symlink_metadata(dir)?.file_type().is_symlink() {
        return std::fs::remove_file(dir);
    }
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    // A folder that only holds the site (`serve`'s temporary folder):
    // its entries are shared out instead.
    if let [only] = entries.as_slice() {
        if only.file_type()?.is_dir() {
            remove_tree(&only.path())?;
            return std::fs::remove_dir(dir);
        }
    }
    let next = AtomicUsize::new(0);
    let work = || -> std::io::Result<()> {
        while let Some(e) = entries.get(next.fetch_add(1, Ordering::Relaxed)) {
            if e.file_type()?.is_dir() {
                std::fs::remove_dir_all(e.path())?;
            } else {
                std::fs::remove_file(e.path())?;
            }
        }
        Ok(())
    };
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..REMOVERS.min(entries.len()))
            .filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, work).ok())
            .collect();
        // This thread works too, so removing goes on if none could start.
        let mine = work();
        helpers
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(std::io::Error::other("a thread failed")))
            })
            .chain([mine])
            .collect::<std::io::Result<()>>()
    })?;
    std::fs::remove_dir(dir)
}

/// Removes the site in build directory `dir`: all of it, or, where it
/// holds entries a build keeps, everything else (the marker last, so that
/// a removal that fails leaves a folder helpbook still owns). Returns the
/// names kept.
pub fn remove_site(dir: &Path) -> std::io::Result<Vec<std::ffi::OsString>> {
    let kept = kept_in(dir);
    if kept.is_empty() {
        remove_tree(dir)?;
        return Ok(kept);
    }
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        if is_kept(&name) || name == MARKER {
            continue;
        }
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())?;
        } else {
            std::fs::remove_file(entry.path())?;
        }
    }
    std::fs::remove_file(dir.join(MARKER))?;
    Ok(kept)
}

/// `rel` as a path inside `dir`; never outside it.
fn inside(dir: &Path, rel: &str) -> Result<PathBuf> {
    let rel_path = Path::new(rel);
    if rel.is_empty()
        || !rel_path
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
    {
        bail!("refusing to write `{rel}`: not a plain path inside the site");
    }
    Ok(dir.join(rel_path))
}

/// A build directory given as a symbolic link is the folder it leads to:
/// the new site is staged beside that folder and swapped with it, and the
/// link is left as it was. (Swapping the link itself would leave the old
/// site's folder to be emptied through the link.)
fn resolve_link(dest: &Path) -> Result<PathBuf> {
    match std::fs::symlink_metadata(dest) {
        Ok(meta) if meta.file_type().is_symlink() => dest.canonicalize().with_context(|| {
            format!(
                "{} is a symbolic link to nothing; remove it or choose another --dest",
                dest.display()
            )
        }),
        _ => Ok(dest.to_path_buf()),
    }
}

/// `path` made absolute, without `.` components (`./site` → `/cwd/site`).
fn absolute(path: &Path) -> Result<PathBuf> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .context("could not read the current folder")?
            .join(path)
    };
    Ok(joined
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect())
}

fn split(dest: &Path) -> Result<(PathBuf, String)> {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| n != "." && n != "..")
        .with_context(|| format!("{} cannot be a build directory", dest.display()))?;
    let parent = dest
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("/"));
    Ok((parent, name))
}

/// A build directory may be replaced only if it is ours (marker), or empty
/// but for entries a build keeps.
fn check_replaceable(dest: &Path) -> Result<()> {
    if !dest.exists() {
        return Ok(());
    }
    if !dest.is_dir() {
        bail!(
            "{} exists and is not a folder; choose another --dest",
            dest.display()
        );
    }
    if dest.join(MARKER).is_file() {
        return Ok(());
    }
    let empty = std::fs::read_dir(dest)
        .with_context(|| format!("could not read {}", dest.display()))?
        .flatten()
        .all(|e| is_kept(&e.file_name()));
    if !empty {
        bail!(
            "{} is not empty and was not written by helpbook (no {MARKER} file); \
             refusing to replace it. Choose another --dest, or empty it yourself",
            dest.display()
        );
    }
    Ok(())
}

/// Removes staging and old folders of `name` left by builds that were killed.
/// A previous site left aside by a build killed in the middle of its swap
/// (only where folders cannot be exchanged in one step) is put back when
/// there is no build directory, rather than removed. Kept entries a build
/// had moved into its staging folder go back into the build directory
/// first; a folder that still holds some is left.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let staging = format!(".{name}.staging-");
    let old = format!(".{name}.old-");
    let dest = parent.join(name);
    let mut names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for file in names {
        let (pid, aside) = match (file.strip_prefix(&staging), file.strip_prefix(&old)) {
            (Some(pid), _) => (pid, false),
            (None, Some(pid)) => (pid, true),
            (None, None) => continue,
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if !process_ended(pid) {
            continue;
        }
        let path = parent.join(&file);
        if aside && !dest.exists() && std::fs::rename(&path, &dest).is_ok() {
            continue;
        }
        if dest.is_dir() {
            let _ = move_kept(&path, &dest);
        }
        if kept_in(&path).is_empty() {
            let _ = remove_tree(&path);
        }
    }
}

/// Whether process `pid`, which named a folder it owns after itself, is
/// known to have ended, so the folder can be removed (or a site it left
/// aside put back): never this process. Asked of the system with signal 0,
/// which needs no `/proc`: "no such process" is ended; a process of
/// another user is alive.
#[cfg(unix)]
pub fn process_ended(pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    let pid = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw);
    pid.is_some_and(|p| rustix::process::test_kill_process(p) == Err(rustix::io::Errno::SRCH))
}

/// Elsewhere a folder whose process cannot be asked about is left.
#[cfg(not(unix))]
pub fn process_ended(_pid: u32) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names in folder `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .expect("ls")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn swaps_and_refuses_foreign_folders() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dest = tmp.path().join("site");
        let s = Staging::new(&dest).expect("staging");
        s.put("a/index.html", "one").expect("put");
        assert!(s.put("../escape.html", "x").is_err());
        assert!(s.put("/etc/x", "x").is_err());
        s.commit().expect("commit");
        assert_eq!(
            std::fs::read_to_string(dest.join("a/index.html")).expect("read"),
            "one"
        );

        let s = Staging::new(&dest).expect("staging again");
        s.put("b.html", "two").expect("put");
        drop(s);
        assert!(
            dest.join("a/index.html").exists(),
            "a dropped build leaves the old site"
        );
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
            .expect("ls")
            .flatten()
            .collect();
        assert_eq!(leftovers.len(), 1, "no staging folder left behind");

        let foreign = tmp.path().join("mine");
        std::fs::create_dir(&foreign).expect("mkdir");
        std::fs::write(foreign.join("notes.txt"), "keep").expect("write");
        assert!(Staging::new(&foreign).is_err());
        assert!(foreign.join("notes.txt").exists());
    }

    /// Regression: a build directory given as a symbolic link had the
    /// link swapped for the new site and the folder it led to emptied.
    #[cfg(unix)]
    #[test]
    fn a_linked_build_directory_is_replaced_where_it_leads() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let real = tmp.path().join("www/help");
        let s = Staging::new(&real).expect("staging");
        s.put("index.html", "one").expect("put");
        s.commit().expect("commit");
        std::fs::write(tmp.path().join("www/keep.txt"), "mine").expect("write");
        let link = tmp.path().join("site");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");

        let s = Staging::new(&link).expect("staging through the link");
        s.put("index.html", "two").expect("put");
        let written = s.commit().expect("commit");
        assert_eq!(written, real.canonicalize().expect("real"));
        assert!(std::fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink());
        assert_eq!(
            std::fs::read_to_string(link.join("index.html")).expect("read"),
            "two"
        );
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("www/keep.txt")).expect("read"),
            "mine"
        );
        assert_eq!(names(&tmp.path().join("www")), ["help", "keep.txt"]);

        let dangling = tmp.path().join("dangling");
        std::os::unix::fs::symlink(tmp.path().join("nowhere"), &dangling).expect("symlink");
        assert!(Staging::new(&dangling).is_err());
    }

    /// More top-level folders than threads, files beside them, a folder
    /// holding only the site, and links that lead out: all removed, and
    /// nothing the links lead to.
    #[cfg(unix)]
    #[test]
    fn remove_tree_removes_everything_and_follows_no_link() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let outside = tmp.path().join("outside");
        std::fs::create_dir(&outside).expect("mkdir");
        std::fs::write(outside.join("keep.txt"), "kept").expect("write");
        let top = tmp.path().join("serve-tmp");
        let site = top.join("site");
        for i in 0..(REMOVERS * 3) {
            let lang = site.join(format!("l{i}/search"));
            std::fs::create_dir_all(&lang).expect("mkdir");
            std::fs::write(lang.join("index.json"), "{}").expect("write");
            std::fs::write(site.join(format!("l{i}/a.html")), "a").expect("write");
        }
        std::fs::write(site.join("index.html"), "i").expect("write");
        std::os::unix::fs::symlink(&outside, site.join("l0/link")).expect("link");
        std::os::unix::fs::symlink(&outside, site.join("link")).expect("link");
        remove_tree(&top).expect("removed");
        assert!(!top.exists());
        assert!(outside.join("keep.txt").is_file());
        // A link given as the tree goes, not what it leads to.
        let link = tmp.path().join("site-link");
        std::os::unix::fs::symlink(&outside, &link).expect("link");
        remove_tree(&link).expect("removed");
        assert!(!link.exists() && outside.join("keep.txt").is_file());
    }

    #[cfg(unix)]
    #[test]
    fn a_process_has_ended_only_when_the_system_says_so() {
        assert!(!process_ended(std::process::id()), "this process");
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .expect("sleep");
        assert!(!process_ended(child.id()), "a running child");
        child.kill().expect("kill");
        child.wait().expect("reaped");
        assert!(process_ended(child.id()), "a reaped child");
        assert!(!process_ended(1), "init");
    }

    #[test]
    fn stale_staging_of_dead_builds_is_removed() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let stale = tmp.path().join(".site.staging-999999999");
        std::fs::create_dir(&stale).expect("mkdir");
        let s = Staging::new(&tmp.path().join("site")).expect("staging");
        assert!(!stale.exists());
        s.commit().expect("commit");
    }

    #[test]
    fn dot_entries_at_the_top_of_the_build_directory_are_kept() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dest = tmp.path().join("site");
        // A fresh clone of an empty branch: only `.git`, no marker.
        std::fs::create_dir_all(dest.join(".git/refs")).expect("mkdir");
        std::fs::write(dest.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").expect("write");
        for text in ["one", "two"] {
            let s = Staging::new(&dest).expect("staging");
            s.put("index.html", text).expect("put");
            s.put("static/a.css", text).expect("put");
            s.commit().expect("commit");
            std::fs::write(dest.join(".nojekyll"), "").expect("write");
            std::fs::write(dest.join("CNAME"), "help.example.com").expect("write");
        }
        assert_eq!(
            std::fs::read_to_string(dest.join(".git/HEAD")).expect("kept"),
            "ref: refs/heads/gh-pages\n"
        );
        assert!(dest.join(".git/refs").is_dir());
        assert!(dest.join(".nojekyll").is_file(), "kept");
        assert_eq!(
            std::fs::read_to_string(dest.join("index.html")).expect("read"),
            "two"
        );
        // Other files put there by hand are replaced, as the site is.
        assert_eq!(
            names(&dest),
            [".git", MARKER, ".nojekyll", "CNAME", "index.html", "static"]
        );
        assert_eq!(names(tmp.path()), ["site"], "nothing left beside it");

        // A site removed keeps them, and the folder with them.
        let kept = remove_site(&dest).expect("remove");
        assert_eq!(kept, [".git", ".nojekyll"]);
        assert_eq!(names(&dest), [".git", ".nojekyll"]);
        // Which the next build takes as its own.
        let s = Staging::new(&dest).expect("staging");
        s.put("index.html", "three").expect("put");
        s.commit().expect("commit");
        assert_eq!(names(&dest), [".git", MARKER, ".nojekyll", "index.html"]);
        // A folder of someone else's with a dot entry is still refused.
        let foreign = tmp.path().join("mine");
        std::fs::create_dir_all(foreign.join(".git")).expect("mkdir");
        std::fs::write(foreign.join("notes.txt"), "keep").expect("write");
        assert!(Staging::new(&foreign).is_err());
    }

    #[test]
    fn entries_kept_by_a_build_killed_before_its_swap_are_handed_back() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dest = tmp.path().join("site");
        let s = Staging::new(&dest).expect("staging");
        s.put("index.html", "one").expect("put");
        s.commit().expect("commit");
        // Killed after moving `.git` into its staging folder.
        let stale = tmp.path().join(".site.staging-999999999");
        std::fs::create_dir_all(stale.join(".git")).expect("mkdir");
        std::fs::write(stale.join(".git/HEAD"), "mine").expect("write");
        std::fs::write(stale.join("index.html"), "half").expect("write");
        let s = Staging::new(&dest).expect("staging");
        assert!(!stale.exists(), "removed once handed back");
        assert_eq!(
            std::fs::read_to_string(dest.join(".git/HEAD")).expect("handed back"),
            "mine"
        );
        s.commit().expect("commit");
        assert!(dest.join(".git/HEAD").is_file());
        // With no build directory to hand them to, the folder is left.
        crate::write::remove_tree(&dest).expect("rm");
        std::fs::create_dir_all(stale.join(".git")).expect("mkdir");
        std::fs::write(stale.join(".git/HEAD"), "mine").expect("write");
        let s = Staging::new(&dest).expect("staging");
        assert!(stale.join(".git/HEAD").is_file(), "not removed");
        drop(s);
    }

    #[test]
    fn a_site_left_aside_by_a_killed_swap_is_put_back() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let aside = tmp.path().join(".site.old-999999999");
        std::fs::create_dir(&aside).expect("mkdir");
        std::fs::write(aside.join(MARKER), "").expect("marker");
        std::fs::write(aside.join("index.html"), "previous").expect("page");
        let s = Staging::new(&tmp.path().join("site")).expect("staging");
        assert!(!aside.exists());
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("site/index.html")).expect("read"),
            "previous"
        );
        drop(s);
    }

    #[test]
    fn a_second_commit_replaces_the_site_and_leaves_nothing_beside_it() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dest = tmp.path().join("site");
        for text in ["one", "two"] {
            let s = Staging::new(&dest).expect("staging");
            s.put("index.html", text).expect("put");
            s.commit().expect("commit");
            assert_eq!(
                std::fs::read_to_string(dest.join("index.html")).expect("read"),
                text
            );
        }
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .expect("ls")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, ["site"]);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn folders_are_exchanged_in_one_step() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        for (dir, text) in [(&a, "a"), (&b, "b")] {
            std::fs::create_dir(dir).expect("mkdir");
            std::fs::write(dir.join("f"), text).expect("write");
        }
        if !exchange(&a, &b) {
            eprintln!("this file system cannot exchange folders; the fallback is used");
            return;
        }
        assert_eq!(std::fs::read_to_string(a.join("f")).expect("read"), "b");
        assert_eq!(std::fs::read_to_string(b.join("f")).expect("read"), "a");
    }
}
