//! Builds killed with SIGKILL at random moments leave the previous site
//! complete (DESIGN §9): the build directory is, after every kill, byte for
//! byte one of the two complete sites it can hold (the previous one, or the
//! new one when the kill came after the swap), never a mixture and never
//! missing; the next successful build leaves no staging folder beside it and
//! nothing outside the build directory is touched.
//!
//! Two sizes: a generated project (the example article copied 40 and 32
//! times per locale; `INTERRUPTED_KILLS` kills, default 24) and, when
//! `../shared/corpus` is present, two slices of the real corpus
//! (`support::corpus_slice`; `INTERRUPTED_CORPUS_KILLS`, default 6; the
//! whole corpus takes 25 s and more per build, too long for many kills).
//! What is tested is what a kill leaves at each moment of a build, which
//! needs a build long enough to be killed midway, not a large one: every
//! file written and every kill costs time. Kills come early, in the middle, and at the swap
//! (as soon as the build has written its marker into the staging folder,
//! which it does just before swapping). The moments come from a seeded RNG:
//! the seed is printed, and `INTERRUPTED_SEED=N` replays a run.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const LOCALES: [&str; 5] = ["et-EE", "ja-JP", "ro-RO", "sv-SE", "zh-CN"];

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// splitmix64: enough randomness for kill moments, and replayable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A duration between `lo` and `hi`.
    fn between(&mut self, lo: Duration, hi: Duration) -> Duration {
        let span = hi.saturating_sub(lo).as_micros().max(1) as u64;
        lo + Duration::from_micros(self.next() % span)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Moment {
    Early,
    Middle,
    Swap,
}

/// What a kill left in the build directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Left {
    /// The previous site, untouched.
    Previous,
    /// The new site, complete (the kill came after the swap, or too late).
    New,
}

fn build(content: &Path, dest: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_helpbook"))
        .arg("build")
        .arg(content)
        .arg("--dest")
        .arg(dest)
        .args(["--format", "json"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start helpbook build")
}

/// A build run to its end; how long it took.
fn build_ok(content: &Path, dest: &Path) -> Duration {
    let started = Instant::now();
    let status = build(content, dest).wait().expect("wait for the build");
    assert!(
        status.success(),
        "helpbook build {} failed: {status}",
        content.display()
    );
    started.elapsed()
}

/// The whole tree under `dir`: every path, its kind and its bytes, hashed;
/// and the number of files. (0, empty) when `dir` is absent.
fn tree_hash(dir: &Path) -> (usize, String) {
    if !dir.exists() {
        return (0, String::new());
    }
    let mut hasher = blake3::Hasher::new();
    let mut files = 0;
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk the site");
        let rel = entry.path().strip_prefix(dir).expect("inside");
        hasher.update(rel.to_string_lossy().as_bytes());
        if entry.file_type().is_file() {
            files += 1;
            hasher.update(b"\0f\0");
            hasher.update(&std::fs::read(entry.path()).expect("read a site file"));
        } else {
            hasher.update(b"\0d\0");
        }
    }
    (files, hasher.finalize().to_hex().to_string())
}

/// Waits until the build `pid` has written its marker into its staging
/// folder (the last write before the swap), or has ended.
fn wait_for_swap(child: &mut Child, dest: &Path) {
    let name = dest.file_name().expect("name").to_string_lossy();
    let marker = dest
        .with_file_name(format!(".{name}.staging-{}", child.id()))
        .join(".helpbook-site");
    let deadline = Instant::now() + Duration::from_secs(120);
    while !marker.exists() && Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

/// Builds `a` into a fresh build directory, then alternates rebuilds of `b`
/// and `a`, killing each at a random moment, and checks what each kill left.
fn kill_builds(label: &str, a: &Path, b: &Path, work: &Path, kills: usize, rng: &mut Rng) {
    let reference = |content: &Path, name: &str| {
        let dest = work.join(name);
        let took = build_ok(content, &dest);
        let hash = tree_hash(&dest);
        std::fs::remove_dir_all(&dest).expect("remove the reference");
        (hash, took)
    };
    let (hash_a, took_a) = reference(a, "ref-a");
    let (hash_b, took_b) = reference(b, "ref-b");
    assert_ne!(hash_a, hash_b, "{label}: the two versions build alike");
    let took = took_a.max(took_b);
    eprintln!(
        "{label}: sites of {} and {} files, full builds {:.2} s and {:.2} s",
        hash_a.0,
        hash_b.0,
        took_a.as_secs_f64(),
        took_b.as_secs_f64()
    );

    let out = work.join("out");
    std::fs::create_dir_all(&out).expect("mkdir out");
    std::fs::write(out.join("keep.txt"), "not helpbook's").expect("bystander");
    let dest = out.join("site");
    build_ok(a, &dest);
    assert_eq!(tree_hash(&dest), hash_a);

    let versions = [(a, &hash_a), (b, &hash_b)];
    let mut current = 0;
    let mut outcomes: BTreeMap<(Moment, Left), usize> = BTreeMap::new();
    for i in 0..kills {
        let moment = [Moment::Early, Moment::Middle, Moment::Swap][i % 3];
        let next = 1 - current;
        let mut child = build(versions[next].0, &dest);
        let waited = match moment {
            Moment::Early => rng.between(Duration::ZERO, took / 4),
            Moment::Middle => rng.between(took / 4, took * 9 / 10),
            Moment::Swap => {
                wait_for_swap(&mut child, &dest);
                rng.between(Duration::ZERO, Duration::from_millis(3))
            }
        };
        std::thread::sleep(waited);
        let _ = child.kill();
        let _ = child.wait();
        let left = tree_hash(&dest);
        let what = if &left == versions[current].1 {
            Left::Previous
        } else if &left == versions[next].1 {
            current = next;
            Left::New
        } else {
            panic!(
                "{label}: kill {i} ({moment:?}, after {waited:?}) left neither complete site \
                 in {}: {} files (previous {}, new {})",
                dest.display(),
                left.0,
                versions[current].1 .0,
                versions[next].1 .0,
            );
        };
        *outcomes.entry((moment, what)).or_default() += 1;
        assert!(
            out.join("keep.txt").exists(),
            "{label}: a bystander file was removed"
        );
    }
    eprintln!("{label}: {kills} kills: {outcomes:?}");
    assert!(
        outcomes.contains_key(&(Moment::Early, Left::Previous)) || kills < 3,
        "{label}: no early kill interrupted a build"
    );

    // One build to its end: the other version, complete, nothing beside it.
    let next = 1 - current;
    build_ok(versions[next].0, &dest);
    assert_eq!(&tree_hash(&dest), versions[next].1, "{label}: final build");
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .expect("ls out")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["keep.txt", "site"], "{label}: left beside the site");
}

/// The repository's example article, `n` times per locale (in a sub-folder,
/// titles numbered), with the English rebuilt from them.
fn generated(dir: &Path, n: usize) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for locale in LOCALES {
        let text = std::fs::read_to_string(
            repo.join("content")
                .join(locale)
                .join("self-service-password-reset.md"),
        )
        .expect("example article");
        let folder = dir.join(locale).join("guide");
        std::fs::create_dir_all(&folder).expect("mkdir");
        for i in 0..n {
            let numbered = text.replacen("\ntitle: ", &format!("\ntitle: {i} "), 1);
            std::fs::write(folder.join(format!("article-{i:03}.md")), numbered).expect("write");
        }
    }
}

fn seed() -> u64 {
    std::env::var("INTERRUPTED_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
        })
}

#[test]
fn killed_builds_leave_a_complete_site() {
    let seed = seed();
    eprintln!("INTERRUPTED_SEED={seed}");
    let mut rng = Rng(seed);
    let tmp = tempfile::tempdir().expect("tempdir");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    generated(&a, 40);
    generated(&b, 32);
    let kills = env("INTERRUPTED_KILLS", 24) as usize;
    kill_builds(
        "generated",
        &a,
        &b,
        &tmp.path().join("work"),
        kills,
        &mut rng,
    );
}

#[test]
fn killed_corpus_builds_leave_a_complete_site() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("skipped: the corpus {} is absent", corpus.display());
        return;
    }
    let seed = seed();
    eprintln!("INTERRUPTED_SEED={seed}");
    let mut rng = Rng(seed ^ 0x5EED);
    let tmp = tempfile::tempdir().expect("tempdir");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    // Two different slices (every 80th and every 96th article of each
    // locale, about 37 and 31, with their includes and media): the kills
    // need two sites that differ, on real content, not the whole corpus.
    crate::support::corpus_slice(&corpus, &a, &LOCALES, 80);
    crate::support::corpus_slice(&corpus, &b, &LOCALES, 96);
    let kills = env("INTERRUPTED_CORPUS_KILLS", 6) as usize;
    kill_builds("corpus", &a, &b, &tmp.path().join("work"), kills, &mut rng);
}

/// A build that writes past the file-size limit (`ulimit -f`, in KB)
/// stops with a message naming the file, not killed by `SIGXFSZ` without a
/// word; it leaves the previous site as it was and no staging folder.
#[cfg(target_os = "linux")]
#[test]
fn a_build_past_the_file_size_limit_says_so_and_keeps_the_site() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (content, dest) = (tmp.path().join("content"), tmp.path().join("site"));
    crate::support::copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &content,
    );
    build_ok(&content, &dest);
    let before = tree_hash(&dest);
    let out = Command::new("sh")
        .arg("-c")
        .arg("ulimit -f 4 && exec \"$0\" build \"$1\" --dest \"$2\"")
        .arg(env!("CARGO_BIN_EXE_helpbook"))
        .arg(&content)
        .arg(&dest)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .expect("sh");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("could not write") && stderr.contains("File too large"),
        "{stderr}"
    );
    assert_eq!(tree_hash(&dest), before, "the previous site is untouched");
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
}
