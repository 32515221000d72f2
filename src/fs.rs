//! A thin wrapper over `std::fs` that names the path in every error.
//!
//! Only `load`, `write` and this module touch the disk.

use anyhow::{Context, Result};
use std::path::Path;

pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("could not read {}", path.display()))
}

pub fn read_to_string(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("could not read {}", path.display()))
}

pub fn write(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    std::fs::write(path, contents).with_context(|| format!("could not write {}", path.display()))
}

/// Replaces the file at `path` with `contents`: they are written to a new
/// temporary file beside it, created afresh under a random name (so that no
/// file or symbolic link planted in the way is written through), and
/// renamed over `path` (a link there is replaced, not followed). A reader
/// sees the old file or the new one, never half of one.
pub fn replace(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    use std::io::Write;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        // As `File::create` makes a file: 0666 less the umask, not the
        // temporary file's usual 0600.
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder
        .tempfile_in(parent)
        .with_context(|| format!("could not create a temporary file in {}", parent.display()))?;
    tmp.write_all(contents.as_ref())
        .with_context(|| format!("could not write {}", tmp.path().display()))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("could not replace {}", path.display()))?;
    Ok(())
}

pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).with_context(|| format!("could not create {}", path.display()))
}

/// The file at `path`, unless it is a symbolic link (then None, as for
/// any error): on Linux in one call (`O_NOFOLLOW`).
pub fn read_not_linked(path: &Path) -> Option<Vec<u8>> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NOFOLLOW;
        read_all(rustix::fs::open(path, flags, Mode::empty()).ok()?).ok()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let meta = std::fs::symlink_metadata(path).ok()?;
        if meta.file_type().is_symlink() {
            return None;
        }
        std::fs::read(path).ok()
    }
}

/// A folder that content is read from. Symbolic links inside it are
/// followed only while what they lead to, resolved, stays inside it: a link
/// to `/`, to `/etc/passwd` or to a sibling project is never read, so that a
/// build cannot publish a file from outside the folders it owns.
///
/// Every article and snippet is read through [`Jail::read`], so a file that
/// became such a link after the folder was listed is refused as well. On
/// Linux that check is the kernel's, in the same call that opens the file
/// (`openat2` with `RESOLVE_BENEATH`). For the links the kernel will not
/// resolve that way (absolute ones), the path is resolved first and
/// compared with the folder, then, on Linux, opened beneath it with no
/// link followed, so that a link swapped in meanwhile fails the read
/// rather than lead out; elsewhere it is read as resolved.
#[derive(Debug)]
pub struct Jail {
    /// The folder, resolved.
    root: std::path::PathBuf,
    /// The folder as the caller wrote it: the paths read start with it.
    written: std::path::PathBuf,
    /// The folder, open, for the reads beneath it.
    #[cfg(target_os = "linux")]
    dir: Option<std::os::fd::OwnedFd>,
}

impl Jail {
    pub fn new(root: &Path) -> Result<Jail> {
        let written = root.to_path_buf();
        let root = root
            .canonicalize()
            .with_context(|| format!("could not read {}", root.display()))?;
        Ok(Jail {
            #[cfg(target_os = "linux")]
            dir: {
                use rustix::fs::{Mode, OFlags};
                let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
                rustix::fs::open(&root, flags, Mode::empty()).ok()
            },
            root,
            written,
        })
    }

    /// Whether `path` (inside the folder as written) resolves to a place
    /// inside it. A path that does not exist is not inside.
    pub fn contains(&self, path: &Path) -> bool {
        path.canonicalize()
            .is_ok_and(|real| real.starts_with(&self.root))
    }

    /// Reads `path` if it resolves inside the folder: `Ok(None)` if it leads
    /// out of it.
    pub fn read(&self, path: &Path) -> std::io::Result<Option<Vec<u8>>> {
        #[cfg(target_os = "linux")]
        if let Some(bytes) = self.read_beneath(path) {
            return Ok(Some(bytes));
        }
        let real = path.canonicalize()?;
        let Ok(inside) = real.strip_prefix(&self.root) else {
            return Ok(None);
        };
        #[cfg(target_os = "linux")]
        if let Some(dir) = &self.dir {
            // The resolved path, opened beneath the folder with no link
            // followed: a link put in its way since it was resolved fails
            // the open instead of leading out.
            use rustix::fs::{Mode, OFlags, ResolveFlags};
            use rustix::io::Errno;
            let resolve = ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS;
            let flags = OFlags::RDONLY | OFlags::CLOEXEC;
            match rustix::fs::openat2(dir, inside, flags, Mode::empty(), resolve) {
                Ok(fd) => return read_all(fd).map(Some),
                Err(Errno::LOOP | Errno::XDEV) => return Ok(None),
                // No `openat2` here (an old kernel, a sandbox): as elsewhere.
                Err(Errno::NOSYS | Errno::PERM | Errno::INVAL | Errno::TOOBIG) => {}
                Err(e) => return Err(e.into()),
            }
        }
        std::fs::read(real).map(Some)
    }

    /// `path` read in one call that the kernel refuses if any step of it
    /// leads out of the folder; None when that call cannot say (the path
    /// is not written under the folder, an absolute link, a kernel without
    /// `openat2`, any error), for [`Jail::read`] to decide the slow way.
    #[cfg(target_os = "linux")]
    fn read_beneath(&self, path: &Path) -> Option<Vec<u8>> {
        use rustix::fs::{Mode, OFlags, ResolveFlags};
        let dir = self.dir.as_ref()?;
        let rel = path.strip_prefix(&self.written).ok()?;
        if rel.as_os_str().is_empty() {
            return None;
        }
        let fd = rustix::fs::openat2(
            dir,
            rel,
            OFlags::RDONLY | OFlags::CLOEXEC,
            Mode::empty(),
            ResolveFlags::BENEATH | ResolveFlags::NO_MAGICLINKS,
        )
        .ok()?;
        let bytes = read_all(fd).ok()?;
        #[cfg(test)]
        BENEATH_READS.with(|n| n.set(n.get() + 1));
        Some(bytes)
    }
}

/// Everything from the open file `fd`.
#[cfg(target_os = "linux")]
fn read_all(fd: std::os::fd::OwnedFd) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::from(fd).read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
thread_local! {
    /// Reads [`Jail::read_beneath`] made on this thread (tests).
    static BENEATH_READS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn replace_leaves_no_temporary_file_and_makes_files_as_create_does() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.po");
        replace(&path, "one").expect("replace");
        replace(&path, "two").expect("replace again");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "two");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["a.po"]);
        let made = dir.path().join("made");
        std::fs::File::create(&made).expect("create");
        let mode = |p: &Path| p.metadata().expect("metadata").permissions().mode();
        assert_eq!(mode(&path), mode(&made));
    }

    #[test]
    fn the_jail_reads_what_stays_inside_and_nothing_that_leads_out() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let content = tmp.path().join("content");
        std::fs::create_dir_all(content.join("sv-SE/deep")).expect("mkdir");
        std::fs::write(tmp.path().join("secret.md"), "outside").expect("write");
        std::fs::write(content.join("sv-SE/a.md"), "inside").expect("write");
        let sv = content.join("sv-SE");
        symlink("a.md", sv.join("relative.md")).expect("symlink");
        symlink(sv.join("a.md"), sv.join("absolute.md")).expect("symlink");
        symlink("../../secret.md", sv.join("climbs.md")).expect("symlink");
        symlink(tmp.path().join("secret.md"), sv.join("absolute-out.md")).expect("symlink");
        symlink(tmp.path(), sv.join("deep/up")).expect("symlink");

        let jail = Jail::new(&content).expect("jail");
        let read = |rel: &str| jail.read(&content.join(rel)).expect("readable");
        #[cfg(target_os = "linux")]
        let before = BENEATH_READS.with(std::cell::Cell::get);
        assert_eq!(read("sv-SE/a.md").as_deref(), Some(&b"inside"[..]));
        // On Linux, the kernel's check read it, in one call.
        #[cfg(target_os = "linux")]
        assert_eq!(BENEATH_READS.with(std::cell::Cell::get), before + 1);
        assert_eq!(read("sv-SE/relative.md").as_deref(), Some(&b"inside"[..]));
        assert_eq!(read("sv-SE/absolute.md").as_deref(), Some(&b"inside"[..]));
        assert_eq!(read("sv-SE/climbs.md"), None);
        assert_eq!(read("sv-SE/absolute-out.md"), None);
        assert_eq!(read("sv-SE/deep/up/secret.md"), None);
        assert_eq!(read("sv-SE/../../secret.md"), None);
        // A path not written under the folder is resolved, then judged.
        let resolved = content.canonicalize().expect("resolve").join("sv-SE/a.md");
        assert_eq!(
            jail.read(&resolved).expect("readable").as_deref(),
            Some(&b"inside"[..])
        );
        // A finding's source lines are never read through a link.
        assert_eq!(read_not_linked(&sv.join("relative.md")), None);
        assert_eq!(
            read_not_linked(&sv.join("a.md")).as_deref(),
            Some(&b"inside"[..])
        );
        let missing = jail.read(&content.join("sv-SE/missing.md"));
        assert_eq!(
            missing.err().map(|e| e.kind()),
            Some(std::io::ErrorKind::NotFound)
        );
    }
}
