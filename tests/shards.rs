//! `--locale` shards, as a CI job matrix runs them: each shard reads every
//! locale and writes only its languages' folders plus the shared files
//! (`en-us/`, root pages, sitemap index, `languages/`, `static/`, `media/`), which come out
//! byte-identical from every shard. So copying the shards' outputs into one
//! folder gives the one-shot build byte for byte, and the merge passes
//! sitecheck (the Rust mirror, and `sitecheck.py` when python3 and the tool
//! are there). Checked on a fixture, and on a subset of the real corpus
//! (skipping, saying why, when the corpus is absent).

use crate::support;

use std::path::{Path, PathBuf};
use std::process::Command;
use support::{assert_same_tree, copy_tree, helpbook, repo, run, sitecheck, Project};

/// `helpbook build <project> [--locale L]… --dest <dest>`; exit 0.
fn build(project: &Path, locales: &[&str], dest: &Path) {
    let mut cmd = helpbook(project);
    cmd.arg("build").arg(project).arg("--dest").arg(dest);
    for l in locales {
        cmd.arg("--locale").arg(l);
    }
    let out = run(cmd);
    assert_eq!(
        out.status.code(),
        Some(0),
        "build {locales:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Builds `project` whole and in `shards`, merges the shards by copying
/// and compares; checks the merge with sitecheck. Works in `scratch`.
fn shards_merge_to_the_one_shot_build(project: &Path, shards: &[&[&str]], scratch: &Path) {
    let whole = scratch.join("whole");
    build(project, &[], &whole);
    let merged = scratch.join("merged");
    std::fs::create_dir_all(&merged).expect("mkdir");
    let mut outputs: Vec<PathBuf> = Vec::new();
    for (i, shard) in shards.iter().enumerate() {
        let dest = scratch.join(format!("shard-{i}"));
        build(project, shard, &dest);
        outputs.push(dest);
    }
    // Each shard writes only its own languages besides the shared files.
    for (dest, shard) in outputs.iter().zip(shards) {
        let folders: Vec<String> = std::fs::read_dir(dest)
            .expect("read shard")
            .map(|e| e.expect("entry"))
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !matches!(n.as_str(), "en-us" | "languages" | "static" | "media"))
            .collect();
        let mut wanted: Vec<String> = shard.iter().map(|l| l.to_ascii_lowercase()).collect();
        let mut folders = folders;
        folders.sort();
        wanted.sort();
        assert_eq!(folders, wanted, "{}", dest.display());
        copy_tree(dest, &merged);
    }
    assert_same_tree(&whole, &merged);
    let report = sitecheck::check(&merged);
    assert!(
        report.is_ok(),
        "sitecheck failed on the merge:\n{}",
        report.summary(20)
    );
    python_sitecheck(&merged);
}

/// `../shared/tools/sitecheck.py` exits 0 on `site`, when it and python3
/// are there.
fn python_sitecheck(site: &Path) {
    let tool = repo().join("../shared/tools/sitecheck.py");
    if !tool.is_file() {
        eprintln!("skipping sitecheck.py: {} is absent", tool.display());
        return;
    }
    match Command::new("python3").arg(&tool).arg(site).output() {
        Ok(out) => {
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert_eq!(
                out.status.code(),
                Some(0),
                "sitecheck.py failed:\n{stdout}\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            eprintln!("sitecheck.py: {}", stdout.lines().last().unwrap_or(""));
        }
        Err(e) => eprintln!("skipping sitecheck.py: python3 does not run ({e})"),
    }
}

#[test]
fn three_shards_merged_by_copying_equal_the_one_shot_build() {
    let project = Project::fixture("rtl");
    shards_merge_to_the_one_shot_build(
        project.root(),
        &[&["ar-SA"], &["he-IL"], &["sv-SE"]],
        project.scratch(),
    );
}

/// The corpus subset: every 20th article path (about 146 per locale, the
/// same paths in every locale so that they are alternates of each other;
/// `support::corpus_slice`).
const SUBSET_EVERY: usize = 20;

#[test]
fn corpus_subset_shards_merge_to_the_one_shot_build() {
    let Some(corpus) = crate::support::corpus() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let project = tmp.path().join("project");
    let mut locales: Vec<String> = ["et-EE", "ja-JP", "ro-RO", "sv-SE", "zh-CN"]
        .map(String::from)
        .to_vec();
    let tags: Vec<&str> = locales.iter().map(String::as_str).collect();
    let taken = crate::support::corpus_slice(&corpus, &project, &tags, SUBSET_EVERY);
    assert!(taken > 700, "{taken} articles in the subset");
    locales.sort();
    assert!(locales.len() >= 3, "{locales:?}");
    let (first, rest) = locales.split_at(1);
    let (second, third) = rest.split_at(rest.len() / 2);
    fn group(g: &[String]) -> Vec<&str> {
        g.iter().map(String::as_str).collect()
    }
    let (a, b, c) = (group(first), group(second), group(third));
    shards_merge_to_the_one_shot_build(&project, &[&a, &b, &c], tmp.path());
}
