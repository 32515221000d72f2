//! Shared by the `helpbook import` tests (`tests/import.rs`,
//! `tests/import_corpus.rs`): running the binary, copying projects into
//! temporary folders, editing exported translation memory with tools
//! helpbook did not write (`tests/tools/edit_tm.py`: Python's polib and
//! translate-toolkit) and reading it back (`tests/tools/read_back.py`), and
//! the findings of `helpbook check` as a set.
//!
//! Where Python's polib or translate-toolkit is missing, the tests that need
//! them skip with a message, unless `CI` or `HELPBOOK_REQUIRE_BROWSER` is set
//! (as `.ci/run` sets them), where that is a failure.

#![allow(dead_code)] // each test crate uses a different part

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the helpbook binary with `args`, environment cleared.
pub fn helpbook<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Command::new(env!("CARGO_BIN_EXE_helpbook"))
        .env_clear()
        .args(args)
        .output()
        .expect("the helpbook binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts that `o` exited with `code`, showing its output otherwise.
pub fn exits(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(o),
        stderr(o)
    );
}

/// Copies the folder `from` to `to`, every file writable (the corpus is
/// read-only, and import leaves read-only files alone).
pub fn copy_writable(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("inside");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::write(&dest, std::fs::read(entry.path()).expect("read")).expect("write");
        }
    }
}

/// Whether Python with polib and translate-toolkit is there; under CI (or
/// with HELPBOOK_REQUIRE_BROWSER) its absence fails the test.
pub fn tools_available() -> bool {
    let ok = Command::new("python3")
        .args([
            "-c",
            "import polib, translate.storage.xliff2, translate.storage.tmx",
        ])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none()
                && std::env::var_os("HELPBOOK_REQUIRE_BROWSER").is_none(),
            "python3 with polib and translate-toolkit is required here; .ci/run installs them"
        );
        eprintln!("skipping: python3 with polib and translate-toolkit is not installed");
    }
    ok
}

fn tool(name: &str) -> PathBuf {
    repo().join("tests/tools").join(name)
}

/// Edits `file` with `tests/tools/edit_tm.py` (see there): `edits` maps
/// unit keys to `{"target": …, "confirm": …}`. Returns how many units it
/// edited.
pub fn edit_tm(file: &Path, edits: &serde_json::Value) -> usize {
    let spec = file.with_extension("edits.json");
    std::fs::write(&spec, edits.to_string()).expect("write edits");
    let out = Command::new("python3")
        .arg(tool("edit_tm.py"))
        .arg(file)
        .arg(&spec)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "edit_tm.py {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("a count")
}

/// One unit as translate-toolkit or polib reads it back.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct ReadUnit {
    pub key: String,
    pub source: String,
    pub target: String,
    pub fuzzy: bool,
}

/// The units of an exported file, read by `tests/tools/read_back.py`.
pub fn read_back(file: &Path) -> Vec<ReadUnit> {
    let out = Command::new("python3")
        .arg(tool("read_back.py"))
        .arg(file)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "read_back.py {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// `helpbook check DIR`'s findings as (file, lint, message): a set, so that
/// a comparison does not depend on line numbers an edit may shift.
pub fn findings(dir: &Path) -> BTreeSet<(String, String, String)> {
    let out = helpbook([
        OsStr::new("check"),
        dir.as_os_str(),
        OsStr::new("--format"),
        OsStr::new("json"),
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("check --format json: {e}: {}", stderr(&out));
    });
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("file"), s("lint"), s("message"))
        })
        .collect()
}

/// The (file, lint) kinds of finding that `after` has more of than
/// `before`: what an import added. (Messages are not compared: an
/// `article::outdated` message counts the stale sentences, which a
/// confirmed one lowers.)
pub fn more_findings(
    before: &BTreeSet<(String, String, String)>,
    after: &BTreeSet<(String, String, String)>,
) -> Vec<(String, String, usize, usize)> {
    let count = |set: &BTreeSet<(String, String, String)>| {
        let mut m = std::collections::BTreeMap::new();
        for (file, lint, _) in set {
            *m.entry((file.clone(), lint.clone())).or_insert(0usize) += 1;
        }
        m
    };
    let (b, a) = (count(before), count(after));
    a.into_iter()
        .filter_map(|(k, n)| {
            let was = b.get(&k).copied().unwrap_or(0);
            (n > was).then_some((k.0, k.1, was, n))
        })
        .collect()
}

/// The export key of a pair, as `helpbook export` writes it (the PO
/// msgctxt): `path#id`.
pub fn key(path: &str, id: &str) -> String {
    format!("{path}#{id}")
}
