//! Every input the fuzz targets (`fuzz/`) ever failed on, replayed on
//! stable through the same checks (`tests/support/fuzz_checks.rs`): one
//! folder per target under `tests/fuzz-regressions/`, one file per input,
//! named after what it broke. A failure here is a regression of a fix
//! listed in `docs/reliability.md`.

use crate::fuzz_checks;

use std::path::Path;

/// Runs `check` on every file of `tests/fuzz-regressions/<target>/`; the
/// number of inputs replayed.
fn replay(target: &str, check: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != ".gitkeep"))
        .collect();
    files.sort();
    for file in &files {
        let bytes = std::fs::read(file).expect("regression input");
        let outcome = std::panic::catch_unwind(|| check(&bytes));
        assert!(outcome.is_ok(), "{target}: {} fails again", file.display());
    }
    files.len()
}

#[test]
fn sxs_scan_regressions() {
    assert!(replay("sxs_scan", fuzz_checks::sxs_scan) >= 7);
}

#[test]
fn front_matter_regressions() {
    assert!(replay("front_matter", fuzz_checks::front_matter) >= 2);
}

#[test]
fn article_regressions() {
    assert!(replay("article", fuzz_checks::article) >= 1);
}

/// The hand-written seeds of the fuzz corpora pass the same checks.
#[test]
fn fuzz_seeds_pass() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    type Check = fn(&[u8]);
    let targets: [(&str, Check); 3] = [
        ("sxs_scan", fuzz_checks::sxs_scan),
        ("front_matter", fuzz_checks::front_matter),
        ("article", fuzz_checks::article),
    ];
    for (target, check) in targets {
        let mut replayed = 0;
        for entry in std::fs::read_dir(seeds.join(target))
            .expect("seeds")
            .flatten()
        {
            let bytes = std::fs::read(entry.path()).expect("seed");
            check(&bytes);
            replayed += 1;
        }
        assert!(replayed >= 2, "{target}: only {replayed} seeds");
    }
}
