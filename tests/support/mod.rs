//! Test harness for `helpbook build`, shared by the integration tests.
//!
//! A [`Project`] is a tiny helpbook project in a temporary folder, made from
//! a fixture folder (`tests/fixtures/build/<case>/`) and files added in the
//! test; [`Project::build`] runs the built binary on it as a user would
//! (environment cleared, so no colour or locale variables leak in) and
//! returns a [`Build`] to assert on and read pages from. Calls chain:
//!
//! ```ignore
//! Project::fixture("alerts").build().success().html("sv-se/alerts.html");
//! ```
//!
//! [`sitecheck`] is the offline checker of a built site.

#![allow(dead_code)] // each test crate uses a different part of the harness

pub mod docset;
pub mod serve;
pub use serve::copy_tree;
pub mod sitecheck;

use scraper::{Html, Selector};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::rc::Rc;
use std::time::{Duration, Instant};

/// How long one run of the binary may take before the test fails as a hang.
const TIMEOUT: Duration = Duration::from_secs(120);

/// Whether the headless-browser tests can run here: chromium (`CHROMIUM`,
/// default /usr/bin/chromium), node, and `npm ci` done in tests/browser.
/// Where they cannot, says why and returns false, or fails the test when
/// `HELPBOOK_REQUIRE_BROWSER` is set (as `.ci/run` does).
pub fn browser_available() -> bool {
    let dir = repo().join("tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let why = if !Path::new(&chromium).exists() {
        format!("no chromium at {chromium}")
    } else if Command::new("node").arg("--version").output().is_err() {
        "no node on PATH".to_string()
    } else if !dir.join("node_modules/playwright-core").is_dir() {
        format!("run `npm ci` in {}", dir.display())
    } else {
        return true;
    };
    assert!(
        std::env::var_os("HELPBOOK_REQUIRE_BROWSER").is_none(),
        "browser tests required, but {why}"
    );
    eprintln!("skipped: {why}");
    false
}

/// Runs `tests/browser/<script>` with node and `args`; prints its report and
/// fails the test unless every check in it passed (`, 0 failed`).
pub fn run_browser_script(script: &str, args: &[&std::ffi::OsStr]) {
    let out = Command::new("node")
        .arg(script)
        .args(args)
        .current_dir(repo().join("tests/browser"))
        .output()
        .expect("node runs");
    let report = String::from_utf8_lossy(&out.stdout);
    println!("{report}");
    assert!(
        out.status.success(),
        "browser checks failed:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(report.contains(", 0 failed"), "{report}");
}

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The helpbook binary, with an empty environment, run in `dir`.
/// `../shared/corpus` beside the repository, or `None` (with a line on
/// stderr) where it is absent: a user's clone has no `../shared`, and the
/// corpus tests skip there rather than fail.
pub fn corpus() -> Option<PathBuf> {
    let dir = repo().join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: the corpus {} is absent", dir.display());
        None
    }
}

/// The corpus's model (stages 1–3), loaded once for every test that reads
/// it: loading it takes seconds and hundreds of megabytes.
pub fn corpus_model() -> Option<&'static helpbook::pipeline::Model> {
    static MODEL: std::sync::OnceLock<Option<helpbook::pipeline::Model>> =
        std::sync::OnceLock::new();
    MODEL
        .get_or_init(|| {
            let dir = corpus()?;
            let config =
                helpbook::config::Config::load(&dir).expect("the corpus needs no configuration");
            Some(helpbook::pipeline::Model::load(config).expect("the corpus loads"))
        })
        .as_ref()
}

/// The corpus built once per test run with default options (search on,
/// default threads), for the tests that only read the site; `None` when
/// the corpus is absent. Fails the test unless the build exits 0.
pub fn corpus_site() -> Option<&'static Path> {
    static SITE: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let corpus = corpus()?;
        let site = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus-site");
        let mut cmd = helpbook(repo());
        cmd.arg("build").arg(&corpus).arg("--dest").arg(&site);
        let started = std::time::Instant::now();
        let out = run_within(cmd, CORPUS_TIMEOUT);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "corpus build failed:\n{stderr}");
        eprintln!(
            "built the corpus in {:.1}s: {}",
            started.elapsed().as_secs_f64(),
            stderr.lines().last().unwrap_or("")
        );
        Some(site)
    })
    .as_deref()
}

/// A deterministic slice of the corpus, made in `dest` (a fresh folder):
/// every `every`-th article path (the first, then every `every`-th after
/// it, in path order, over the paths any of `locales` has), in each of
/// `locales` that has it, with each locale's `includes/` and `media/`
/// whole, so that the slice's articles build as they do in the corpus
/// (links to articles left out are reported, as any broken link). The same
/// paths in every locale keep the slice's languages aligned as the
/// corpus's are. Files are copied (never linked: a test may write into its
/// slice). For the tests whose property does not depend on the whole
/// corpus: a build of the slice costs its share of one. Returns the number
/// of article files copied.
pub fn corpus_slice(corpus: &Path, dest: &Path, locales: &[&str], every: usize) -> usize {
    assert!(every > 0, "every 0th article");
    let mut paths = std::collections::BTreeSet::new();
    for locale in locales {
        let from = corpus.join(locale);
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.expect("walk the corpus");
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&from).expect("inside");
            let top = rel.components().next().map(|c| c.as_os_str());
            if top.is_some_and(|t| t == "includes" || t == "media") {
                copy_file(entry.path(), &dest.join(locale).join(rel));
            } else if rel.extension().is_some_and(|x| x == "md") {
                paths.insert(rel.to_path_buf());
            }
        }
    }
    let mut articles = 0;
    for rel in paths.iter().step_by(every) {
        for locale in locales {
            let from = corpus.join(locale).join(rel);
            if from.is_file() {
                copy_file(&from, &dest.join(locale).join(rel));
                articles += 1;
            }
        }
    }
    articles
}

/// A project whose content is a [`corpus_slice`] of the `real` locales
/// (every `every`-th article) fanned out as the scale bench does: each
/// `(tag, from)` of `further` a copy of locale `from` under `tag`. None
/// (the test skips) where the corpus is absent.
pub fn fanned_slice(real: &[&str], further: &[(&str, &str)], every: usize) -> Option<Project> {
    let corpus = corpus()?;
    let project = Project::empty();
    let content = project.root().join("content");
    corpus_slice(&corpus, &content, real, every);
    for (tag, from) in further {
        copy_tree(&content.join(from), &content.join(tag));
    }
    Some(project)
}

fn copy_file(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
    std::fs::copy(from, to).expect("copy a corpus file");
}

pub fn helpbook(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_helpbook"));
    cmd.current_dir(dir).env_clear();
    cmd
}

/// `helpbook build PROJECT --dest DEST EXTRA…`; fails the test, with the
/// build's stderr, unless it exits 0.
pub fn build_site(project: &Path, dest: &Path, extra: &[&str]) {
    let mut cmd = helpbook(project);
    cmd.arg("build")
        .arg(project)
        .arg("--dest")
        .arg(dest)
        .args(extra);
    let out = run(cmd);
    assert!(
        out.status.success(),
        "build of {} failed: {}",
        project.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs stages 4–6 of a model already loaded (`Model::load_keeping`) into
/// `dest`, as `helpbook build` does after loading, and returns the summary.
pub fn build_model(
    model: &helpbook::pipeline::Model,
    theme: &helpbook::theme::Theme,
    dest: &Path,
) -> helpbook::pipeline::Summary {
    let staging = helpbook::write::Staging::new(dest).expect("staging");
    let out = helpbook::pipeline::Output::Site {
        theme,
        sink: &staging,
        media: None,
    };
    let summary = helpbook::pipeline::run(model, theme, &[], out, false, &Default::default())
        .expect("the build goes on");
    staging.commit().expect("commit");
    summary
}

/// Runs `cmd` to the end, killing it and failing the test after [`TIMEOUT`].
pub fn run(cmd: Command) -> Output {
    run_within(cmd, TIMEOUT)
}

/// A build of the whole corpus on one thread, on a shared 2-core machine
/// under load, has taken more than two minutes; its hang guard is wider.
pub const CORPUS_TIMEOUT: Duration = Duration::from_secs(900);

/// Runs `cmd` to the end, killing it and failing the test after `guard`: a
/// guard against hangs, not a measure of speed.
pub fn run_within(mut cmd: Command, guard: Duration) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the helpbook binary starts");
    // Drain the pipes on threads so a chatty child cannot block on a full pipe.
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_thread = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut buf).map(|_| buf)
    });
    let err_thread = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut buf).map(|_| buf)
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for helpbook") {
            break status;
        }
        if started.elapsed() > guard {
            let _ = child.kill();
            let _ = child.wait();
            panic!("helpbook did not finish within {guard:?} (a hang?): {cmd:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out_thread.join().expect("join").expect("read stdout"),
        stderr: err_thread.join().expect("join").expect("read stderr"),
    }
}

/// A helpbook project in a temporary folder.
pub struct Project {
    /// Shared with the builds made from it, so that a site outlives a
    /// project value dropped at the end of a chained statement.
    tmp: Rc<tempfile::TempDir>,
    root: PathBuf,
}

impl Project {
    /// An empty project (no book.toml, no content).
    pub fn empty() -> Project {
        let tmp = Rc::new(tempfile::tempdir().expect("tempdir"));
        let root = tmp.path().join("project");
        std::fs::create_dir(&root).expect("mkdir project");
        Project { tmp, root }
    }

    /// A copy of `tests/fixtures/build/<case>/`.
    pub fn fixture(case: &str) -> Project {
        Project::fixture_in("build", case)
    }

    /// A copy of `tests/fixtures/<area>/<case>/`.
    pub fn fixture_in(area: &str, case: &str) -> Project {
        let from = repo().join("tests/fixtures").join(area).join(case);
        assert!(from.is_dir(), "no fixture {}", from.display());
        let project = Project::empty();
        copy_tree(&from, &project.root);
        project
    }

    /// Writes (or overwrites) a file of the project.
    pub fn file(self, rel: &str, contents: &str) -> Project {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, contents).expect("write a project file");
        self
    }

    /// Removes a file of the project.
    pub fn remove(self, rel: &str) -> Project {
        std::fs::remove_file(self.root.join(rel)).expect("remove a project file");
        self
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folder the project lives in (the parent of the default build
    /// folder's siblings: staging folders appear in `root()`).
    pub fn scratch(&self) -> &Path {
        self.tmp.path()
    }

    /// `helpbook build` in the project folder.
    pub fn build(&self) -> Build {
        self.build_with(&[])
    }

    /// `helpbook build ARGS…` in the project folder. The site is read from
    /// `--dest` when given, else from `site/`.
    pub fn build_with(&self, args: &[&str]) -> Build {
        let mut cmd = helpbook(&self.root);
        cmd.arg("build").args(args);
        let output = run(cmd);
        let site = args
            .iter()
            .position(|a| *a == "--dest")
            .and_then(|i| args.get(i + 1))
            .map_or_else(|| self.root.join("site"), |d| self.root.join(d));
        Build {
            output,
            site,
            _tmp: Rc::clone(&self.tmp),
        }
    }

    /// The findings a build of this project reports, with their lint names,
    /// from the library (the binary prints only counts of warnings). Nothing
    /// is written to the project: the site is staged in the scratch folder
    /// and dropped.
    pub fn findings(&self) -> Vec<helpbook::diag::Finding> {
        let config = helpbook::config::Config::load(&self.root).expect("config");
        let theme = helpbook::theme::Theme::load(&config.root, &config.theme).expect("theme loads");
        let staging =
            helpbook::write::Staging::new(&self.tmp.path().join("findings-site")).expect("staging");
        let summary =
            helpbook::pipeline::build(config, &theme, &[], &staging).expect("site builds");
        summary.findings
    }
}

/// One run of `helpbook build`.
pub struct Build {
    pub output: Output,
    /// The build folder.
    pub site: PathBuf,
    _tmp: Rc<tempfile::TempDir>,
}

impl Build {
    pub fn code(&self) -> Option<i32> {
        self.output.status.code()
    }

    pub fn stdout(&self) -> String {
        String::from_utf8(self.output.stdout.clone()).expect("UTF-8 stdout")
    }

    pub fn stderr(&self) -> String {
        String::from_utf8(self.output.stderr.clone()).expect("UTF-8 stderr")
    }

    /// Asserts exit status `code`.
    pub fn exit(self, code: i32) -> Build {
        assert_eq!(
            self.code(),
            Some(code),
            "exit status\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }

    /// Asserts exit status 0 and that the site passes every sitecheck check.
    pub fn success(self) -> Build {
        let b = self.exit(0);
        let report = sitecheck::check(&b.site);
        assert!(report.is_ok(), "sitecheck failed:\n{}", report.summary(20));
        b
    }

    /// A file of the site, as text.
    pub fn read(&self, rel: &str) -> String {
        let path = self.site.join(rel);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// A page of the site, parsed.
    pub fn html(&self, rel: &str) -> Page {
        Page(Html::parse_document(&self.read(rel)))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.site.join(rel).exists()
    }
}

/// A parsed page with small helpers for CSS-selector queries.
pub struct Page(pub Html);

impl Page {
    /// Every element matching `css`, as (outer HTML).
    pub fn all(&self, css: &str) -> Vec<scraper::ElementRef<'_>> {
        let sel = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"));
        self.0.select(&sel).collect()
    }

    /// The one element matching `css` (fails when there are none or several).
    pub fn one(&self, css: &str) -> scraper::ElementRef<'_> {
        let found = self.all(css);
        assert_eq!(
            found.len(),
            1,
            "expected one `{css}`, found {}: {:?}",
            found.len(),
            found.iter().map(|e| e.html()).collect::<Vec<_>>()
        );
        found[0]
    }

    /// The text of every element matching `css`, whitespace folded.
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.all(css).iter().map(|e| text(e)).collect()
    }

    /// The attribute `attr` of every element matching `css`.
    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        self.all(css)
            .iter()
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    /// The whole page's HTML, as parsed and serialised again.
    pub fn html(&self) -> String {
        self.0.html()
    }
}

/// The text of an element, whitespace folded.
pub fn text(e: &scraper::ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every file under `dir`: relative path → bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// Asserts that two folders hold the same files with the same bytes, naming
/// the first differences.
pub fn assert_same_tree(a: &Path, b: &Path) {
    let (ta, tb) = (tree(a), tree(b));
    let only_a: Vec<_> = ta.keys().filter(|k| !tb.contains_key(*k)).take(5).collect();
    let only_b: Vec<_> = tb.keys().filter(|k| !ta.contains_key(*k)).take(5).collect();
    assert!(
        only_a.is_empty() && only_b.is_empty(),
        "different files: only in {}: {only_a:?}; only in {}: {only_b:?}",
        a.display(),
        b.display()
    );
    let differ: Vec<_> = ta
        .iter()
        .filter(|(k, v)| tb.get(*k) != Some(v))
        .map(|(k, _)| k)
        .take(5)
        .collect();
    assert!(
        differ.is_empty(),
        "{} of {} files differ between {} and {}, first: {differ:?}",
        ta.iter().filter(|(k, v)| tb.get(*k) != Some(v)).count(),
        ta.len(),
        a.display(),
        b.display()
    );
}
