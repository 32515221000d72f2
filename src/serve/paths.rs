//! Request paths → files of the served site, and nothing else.
//!
//! Pure checks first ([`clean`]): the raw path is split on `/`, each segment
//! percent-decoded (the `percent-encoding` crate); a backslash, a NUL byte,
//! a `.` or `..` segment, a decoded `/`, a `%` not followed by two hex
//! digits or invalid UTF-8 make the request bad (400). Then [`resolve`]
//! joins the segments to the site folder, maps a folder to its
//! `index.html` (redirecting `dir` to `dir/` so that relative links work),
//! and checks that the canonical path is still inside the site (symbolic
//! links). Hidden files (a segment starting with `.`) are never served.
//! There are no folder listings. Sending the file is `http`'s job.

use std::path::{Path, PathBuf};

/// Why a request path was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// A malformed or climbing path: 400.
    Bad,
    /// No such file in the site: 404.
    NotFound,
}

/// What a request path names.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(PathBuf),
    /// A folder asked for without its trailing `/`: where to redirect.
    Redirect(String),
}

/// The decoded segments of a request path (empty segments dropped).
pub fn clean(raw: &str) -> Result<Vec<String>, Refused> {
    if raw.contains('\\') || !raw.starts_with('/') {
        return Err(Refused::Bad);
    }
    let mut out = Vec::new();
    for part in raw.split('/').filter(|p| !p.is_empty()) {
        if !escapes_are_whole(part) {
            return Err(Refused::Bad);
        }
        let seg = percent_encoding::percent_decode_str(part)
            .decode_utf8()
            .map_err(|_| Refused::Bad)?;
        if seg == "."
            || seg == ".."
            || seg.contains(['/', '\\', '\0'])
            || (cfg!(windows) && seg.contains(':'))
        {
            return Err(Refused::Bad);
        }
        if seg.starts_with('.') {
            return Err(Refused::NotFound);
        }
        out.push(seg.into_owned());
    }
    Ok(out)
}

/// The file `raw` names inside `root` (a canonical folder).
pub fn resolve(root: &Path, raw: &str) -> Result<Resolved, Refused> {
    let segments = clean(raw)?;
    let mut path = root.to_path_buf();
    for s in &segments {
        path.push(s);
    }
    let meta = std::fs::metadata(&path).map_err(|_| Refused::NotFound)?;
    if meta.is_dir() {
        if !raw.ends_with('/') {
            // Rebuilt from the raw segments, so `//host` cannot become a
            // redirect to another site.
            let parts: Vec<&str> = raw.split('/').filter(|p| !p.is_empty()).collect();
            return Ok(Resolved::Redirect(format!("/{}/", parts.join("/"))));
        }
        path.push("index.html");
    }
    let real = path.canonicalize().map_err(|_| Refused::NotFound)?;
    if !real.starts_with(root) || !real.is_file() {
        return Err(Refused::NotFound);
    }
    Ok(Resolved::File(real))
}

/// Whether every `%` in `s` starts an escape of two hex digits (the
/// decoder would keep a stray `%` as it is; here it is a malformed path).
fn escapes_are_whole(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| {
        b != b'%'
            || bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn climbing_and_malformed_paths_are_bad() {
        for raw in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/a/%2e%2e%2f%2e%2e%2fetc",
            "/..%2fetc",
            "/..\\etc",
            "/%5c..%5cetc",
            "/a%00.html",
            "/./index.html",
            "/%zz",
            "/%ff.html",
            "etc/passwd",
        ] {
            assert_eq!(clean(raw), Err(Refused::Bad), "{raw}");
        }
        assert_eq!(clean("/.helpbook-site"), Err(Refused::NotFound));
    }

    #[test]
    fn plain_paths_decode() {
        assert_eq!(
            clean("/zh-cn//a%20b/%E5%AF%86.html").expect("clean"),
            ["zh-cn", "a b", "密.html"]
        );
        assert_eq!(clean("/").expect("root"), Vec::<String>::new());
    }

    #[test]
    fn resolves_inside_the_root_only() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().join("site");
        std::fs::create_dir_all(root.join("zh-cn")).expect("mkdir");
        std::fs::write(root.join("zh-cn/index.html"), "x").expect("write");
        std::fs::write(tmp.path().join("secret.txt"), "secret").expect("write");
        let root = root.canonicalize().expect("canonical");
        assert_eq!(
            resolve(&root, "/zh-cn/").expect("index"),
            Resolved::File(root.join("zh-cn/index.html"))
        );
        assert_eq!(
            resolve(&root, "//zh-cn").expect("redirect"),
            Resolved::Redirect("/zh-cn/".into())
        );
        assert_eq!(resolve(&root, "/nope.html"), Err(Refused::NotFound));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path().join("secret.txt"), root.join("link.txt"))
                .expect("symlink");
            assert_eq!(resolve(&root, "/link.txt"), Err(Refused::NotFound));
        }
    }
}
