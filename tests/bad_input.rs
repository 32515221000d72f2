//! Bad input (DESIGN.md §9): one case per kind of broken, hostile or merely
//! unusual input, each in a small project beside a good article.
//!
//! Every case asserts that
//! - the binary finishes with the designed exit status (0, or 1 for findings
//!   at error level) and never panics (status 101, "panicked" on stderr);
//! - the problem is reported as a finding naming the file, line and column
//!   (from `helpbook check --format json`, or from the library for the
//!   findings only `build` makes), or only the file where there is no place;
//! - the good article still gets its page;
//! - the run ends (the harness fails a run after 120 s: a return to the
//!   quadratic costs fixed here takes longer) and, where it is cheap to
//!   measure (Linux `/proc`), its memory is bounded. Time is not asserted:
//!   `cargo bench --bench bombs` measures it.
//!
//! Fixtures are in `tests/fixtures/bad-input/<case>/`; inputs that are huge,
//! or that cannot be committed (symbolic links, permissions, names Windows
//! or macOS refuse), are made here in a temporary folder.

use crate::support;

use serde_json::Value;
use std::io::Read;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};
use support::Project;

const GOOD: &str = "---\ntitle: Bra\nms.contentlocale: sv-SE\n---\n\
# <span data-ttu-id=\"g-1\">Bra artikel</span><span class=\"sxs-lookup\"><span data-stu-id=\"g-1\">Good article</span></span>\n";

/// One run of the binary, with (on Linux) its peak memory.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// Peak resident memory in KiB (`VmHWM`), where `/proc` has it.
    peak_kib: Option<u64>,
}

/// Runs `helpbook ARGS` in `dir` like the harness does (environment
/// cleared), sampling the child's peak resident memory while it runs.
fn run(dir: &Path, args: &[&str]) -> Run {
    let started = Instant::now();
    let mut child = support::helpbook(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the helpbook binary starts");
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("stdout")));
    let err = drain(Box::new(child.stderr.take().expect("stderr")));
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = None;
    let status = loop {
        // VmHWM only grows, so the last sample before exit is the peak.
        if let Some(kib) = std::fs::read_to_string(&status_file)
            .ok()
            .and_then(|s| vm_hwm(&s))
        {
            peak_kib = Some(kib);
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("helpbook {args:?} did not finish within 120 s (a hang?)");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Run {
        code: status.code(),
        stdout: out.join().expect("join"),
        stderr: err.join().expect("join"),
        peak_kib,
    }
}

fn vm_hwm(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A finding as `check --format json` prints it.
#[derive(Debug, Clone)]
struct Found {
    lint: String,
    file: String,
    line: u64,
    column: u64,
    message: String,
}

/// A project under test: the case's files plus `content/sv-SE/good.md`.
struct Case {
    project: Project,
}

impl Case {
    fn fixture(case: &str) -> Case {
        Case {
            project: Project::fixture_in("bad-input", case).file("content/sv-SE/good.md", GOOD),
        }
    }

    /// A case made in the test: files are added with `write`.
    fn generated() -> Case {
        Case {
            project: Project::empty().file("content/sv-SE/good.md", GOOD),
        }
    }

    fn root(&self) -> &Path {
        self.project.root()
    }

    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    }

    /// `helpbook build`: asserts exit status `code`, no panic, and that the
    /// good article has its page.
    fn build(&self, code: i32) -> Run {
        let r = run(self.root(), &["build"]);
        assert_no_panic(&r);
        assert_eq!(
            r.code,
            Some(code),
            "build exit status\n--- stderr\n{}",
            r.stderr
        );
        let good = self.root().join("site/sv-se/good.html");
        let html = std::fs::read_to_string(&good)
            .unwrap_or_else(|e| panic!("the good article has no page ({e}):\n{}", r.stderr));
        assert!(html.contains("Bra artikel"), "{html}");
        r
    }

    /// `helpbook check --format json`: asserts exit status `code` and no
    /// panic; returns every finding (notes included).
    fn check(&self, code: i32) -> Vec<Found> {
        let r = run(self.root(), &["check", "--format", "json"]);
        assert_no_panic(&r);
        assert_eq!(r.code, Some(code), "check exit status\n{}", r.stderr);
        let json: Value = serde_json::from_str(&r.stdout).expect("check prints JSON");
        json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| Found {
                lint: f["lint"].as_str().unwrap_or_default().into(),
                file: f["file"].as_str().unwrap_or_default().into(),
                line: f["line"].as_u64().unwrap_or_default(),
                column: f["column"].as_u64().unwrap_or_default(),
                message: f["message"].as_str().unwrap_or_default().into(),
            })
            .collect()
    }

    /// The findings `build` makes, from the library (the binary prints
    /// only errors in full).
    fn build_findings(&self) -> Vec<Found> {
        self.project
            .findings()
            .into_iter()
            .map(|f| Found {
                lint: f.lint.into(),
                file: f.file,
                line: f.line as u64,
                column: f.column as u64,
                message: f.message,
            })
            .collect()
    }

    fn site_file(&self, rel: &str) -> String {
        let path = self.root().join("site").join(rel);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }
}

fn assert_no_panic(r: &Run) {
    assert_ne!(r.code, Some(101), "panic:\n{}", r.stderr);
    assert!(r.code.is_some(), "killed by a signal:\n{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "panic:\n{}", r.stderr);
}

/// Asserts a finding of `lint` in a file whose path ends with `file`, at
/// `line`:`column`; returns it.
fn expect(findings: &[Found], lint: &str, file: &str, line: u64, column: u64) -> Found {
    let hit = findings
        .iter()
        .find(|f| f.lint == lint && f.file.ends_with(file) && f.line == line && f.column == column);
    hit.cloned()
        .unwrap_or_else(|| panic!("no {lint} at {file}:{line}:{column}; findings: {findings:#?}"))
}

/// The findings about files whose path ends with `file`.
fn about<'f>(findings: &'f [Found], file: &str) -> Vec<&'f Found> {
    findings.iter().filter(|f| f.file.ends_with(file)).collect()
}

/// Asserts the run's peak memory (where `/proc` has it). Time is not
/// asserted: a run that hangs fails after 120 s (`run`), and speed is
/// measured by `cargo bench --bench bombs`, not in tests on a shared machine.
fn assert_memory(r: &Run, mib: u64) {
    if let Some(kib) = r.peak_kib {
        assert!(kib < mib * 1024, "peak memory {kib} KiB (bound {mib} MiB)");
    }
}

// --- encodings and line endings

#[test]
fn a_byte_order_mark_is_dropped_and_noted() {
    let case = Case::fixture("bom");
    case.build(0);
    expect(&case.check(0), "file::bom", "sv-SE/bom.md", 1, 1);
    let page = case.site_file("sv-se/bom.html");
    assert!(!page.contains('\u{feff}'), "the BOM reached the page");
    assert!(
        page.contains("<title>Trasig"),
        "front matter read after the BOM"
    );
}

#[test]
fn crlf_line_endings_are_read_as_lf_and_noted() {
    let case = Case::fixture("crlf");
    case.build(0);
    // The first CR ends line 1 (`---`), at column 4.
    expect(&case.check(0), "file::crlf", "sv-SE/crlf.md", 1, 4);
    let page = case.site_file("sv-se/crlf.html");
    assert!(!page.contains('\r'));
    assert!(page.contains("<title>Trasig"));
}

#[test]
fn utf16_is_decoded_and_an_unpaired_surrogate_is_located() {
    let case = Case::fixture("utf16");
    case.build(1);
    let findings = case.check(1);
    expect(&findings, "file::encoding", "sv-SE/utf16.md", 1, 1);
    // `abc` then a lone high surrogate on line 9.
    let bad = expect(&findings, "file::encoding", "sv-SE/utf16.md", 9, 4);
    assert!(bad.message.contains("UTF-16"), "{bad:?}");
    let page = case.site_file("sv-se/utf16.html");
    assert!(page.contains("abc\u{FFFD}d"), "{page}");
}

#[test]
fn invalid_utf8_is_replaced_and_located() {
    let case = Case::fixture("invalid-utf8");
    case.build(1);
    // Latin-1 `Räksmörgås.`: the first bad byte is the ä, line 7, column 2.
    let found = expect(&case.check(1), "file::encoding", "sv-SE/latin1.md", 7, 2);
    assert!(found.message.contains("UTF-8"), "{found:?}");
    assert!(case
        .site_file("sv-se/latin1.html")
        .contains("R\u{FFFD}ksm\u{FFFD}rg\u{FFFD}s."));
}

// --- front matter

#[test]
fn an_empty_file_has_no_front_matter_and_no_title() {
    let case = Case::fixture("empty");
    case.build(0);
    let findings = case.check(0);
    expect(&findings, "frontmatter::missing", "sv-SE/empty.md", 1, 1);
    expect(&findings, "article::missing-title", "sv-SE/empty.md", 1, 1);
}

#[test]
fn no_front_matter_is_reported_and_the_heading_is_the_title() {
    let case = Case::fixture("no-front-matter");
    case.build(0);
    expect(
        &case.check(0),
        "frontmatter::missing",
        "sv-SE/bare.md",
        1,
        1,
    );
    assert!(case.site_file("sv-se/bare.html").contains("Hej"));
}

#[test]
fn unclosed_front_matter_is_reported_at_its_opening_fence() {
    let case = Case::fixture("unclosed-front-matter");
    case.build(0);
    let found = expect(
        &case.check(0),
        "frontmatter::invalid",
        "sv-SE/unclosed.md",
        1,
        1,
    );
    assert!(found.message.contains("never closed"), "{found:?}");
}

#[test]
fn invalid_yaml_is_located_and_the_rest_salvaged() {
    let case = Case::fixture("invalid-yaml");
    case.build(0);
    let findings = case.check(0);
    let found = about(&findings, "sv-SE/yaml.md");
    let invalid: Vec<_> = found
        .iter()
        .filter(|f| f.lint == "frontmatter::invalid")
        .collect();
    assert_eq!(invalid.len(), 1, "{findings:#?}");
    // The flow sequence opened on line 3 is where the parser gives up.
    assert!((3..=5).contains(&invalid[0].line), "{invalid:?}");
    assert!(invalid[0].message.contains("invalid YAML"), "{invalid:?}");
    // The title is salvaged from the broken block.
    assert!(case.site_file("sv-se/yaml.html").contains("<title>Trasig"));
}

#[test]
fn a_yaml_alias_bomb_is_refused_quickly() {
    let case = Case::fixture("alias-bomb");
    let r = case.build(0);
    assert_memory(&r, 256);
    let found = expect(&case.check(0), "frontmatter::invalid", "sv-SE/lol.md", 2, 1);
    assert!(found.message.contains("repetition limit"), "{found:?}");
}

// --- spans and structure

#[test]
fn a_span_left_open_at_the_end_of_the_file_is_an_error_with_its_place() {
    let case = Case::fixture("open-span");
    case.build(1);
    expect(&case.check(1), "sxs::unterminated", "sv-SE/open.md", 7, 7);
    // The text after the open span is kept as text.
    let page = case.site_file("sv-se/open.html");
    assert!(page.contains("öppen och aldrig stängd"), "{page}");
}

#[test]
fn ten_thousand_nested_quotes_build_in_bounded_time() {
    let case = Case::fixture("deep-quotes");
    // Valid Markdown, built; the quotes past 64 on one line are read as
    // spaces, and reported.
    let r = case.build(0);
    assert_memory(&r, 256);
    let findings = case.check(0);
    assert_eq!(about(&findings, "quotes.md").len(), 1, "{findings:#?}");
    expect(&findings, "limit::nesting", "quotes.md", 7, 65);
    let page = case.site_file("sv-se/quotes.html");
    assert!(page.contains("djupt"));
    assert_eq!(page.matches("<blockquote>").count(), 64);
}

#[test]
fn ten_thousand_nested_lists_build_in_bounded_time() {
    let case = Case::fixture("deep-lists");
    let r = case.build(0);
    assert_memory(&r, 256);
    // 10,000 `- ` and 5,000 `1. ` on one line each: the markers past 64
    // are read as spaces. The 300 levels of indented items are nested past
    // 100: flattened by the renderer. `check` and `build` report the same.
    let findings = case.check(0);
    expect(&findings, "limit::nesting", "lists.md", 7, 129);
    expect(&findings, "limit::nesting", "lists.md", 9, 193);
    let nested: Vec<_> = about(&findings, "lists.md")
        .into_iter()
        .filter(|f| f.lint == "limit::nesting" && f.line > 9)
        .collect();
    assert_eq!(nested.len(), 1, "{findings:#?}");
    assert_eq!(about(&findings, "lists.md").len(), 3, "{findings:#?}");
    let built = case.build_findings();
    assert_eq!(
        about(&built, "lists.md").len(),
        3,
        "build and check disagree: {built:#?}"
    );
    let page = case.site_file("sv-se/lists.html");
    assert!(page.contains("nivå"));
    assert!(page.matches("<ul>\n<li>").count() <= 64 + 100);
}

#[test]
fn a_ten_megabyte_line_builds_in_bounded_time_and_memory() {
    let case = Case::generated();
    let mut text = "---\ntitle: Lång\n---\n# Lång rad\n\n".as_bytes().to_vec();
    text.extend(std::iter::repeat_n(b'a', 10 << 20));
    text.extend(b" slut\n");
    case.write("content/sv-SE/long.md", text);
    let r = case.build(0);
    assert_memory(&r, 768);
    assert!(about(&case.check(0), "long.md").is_empty());
    assert!(case.site_file("sv-se/long.html").contains("a slut"));
}

#[test]
fn a_hundred_thousand_pairs_build_in_linear_time() {
    // Regression: freshness searched the whole English for each pair
    // (pairs × English length); this case took minutes.
    let case = Case::generated();
    let mut text = String::from("---\ntitle: Många\n---\n");
    for i in 0..100_000 {
        text.push_str(&format!(
            "<span data-ttu-id=\"m-{i}\">Mening {i}.</span><span class=\"sxs-lookup\"><span data-stu-id=\"m-{i}\">Sentence {i}.</span></span>\n"
        ));
    }
    case.write("content/sv-SE/many.md", text);
    let r = case.build(0);
    assert_memory(&r, 768);
    // One paragraph of 100,000 lines: past the element budget, plain text.
    let found = case.check(0);
    assert!(
        about(&found, "many.md")
            .iter()
            .all(|f| f.lint == "limit::elements"),
        "{found:#?}"
    );
    let page = case.site_file("sv-se/many.html");
    assert!(page.contains("Mening 99999."));
}

#[test]
fn sixteen_thousand_findings_on_one_line_are_placed_in_linear_time() {
    // Regression: each finding searched the file from the top and counted
    // characters from the start of its line; this case (20,000 then) took
    // seconds. 16,000 links, estimated at 6 each, are within one block's
    // element budget.
    let case = Case::generated();
    let links: String = (0..16_000).map(|i| format!("[x](/r{i}) ")).collect();
    case.write(
        "content/sv-SE/links.md",
        format!("---\ntitle: L\n---\n# L\n\n{links}\n"),
    );
    let r = case.build(0);
    assert_memory(&r, 256);
    let findings = case.build_findings();
    // The first hundred are listed, and one that counts the rest: each at
    // its own link.
    let listed = places(&findings, "link::root-relative");
    assert_eq!(listed.len(), 101);
    let last = listed.iter().map(|f| (f.line, f.column)).max();
    // Line 6; the column of the 101st link, counted here.
    let column = links.find("[x](/r100)").expect("the 101st link") + 1;
    assert_eq!(last, Some((6, column as u64)));
    assert!(
        listed[100].message.contains("15899 more"),
        "{:?}",
        listed[100]
    );
}

// --- includes and links

#[test]
fn an_include_cycle_is_reported_and_expanded_once() {
    let case = Case::fixture("include-cycle");
    case.build(0);
    let found = expect(
        &case.build_findings(),
        "include::cycle",
        "sv-SE/cycle.md",
        9,
        1,
    );
    assert!(found.message.contains("includes/a.md"), "{found:?}");
    // Regression: `check` reported every include as a broken link. It
    // reports what `build` reports: the cycle, and nothing else.
    let checked = case.check(0);
    let lints: Vec<&str> = about(&checked, "cycle.md")
        .iter()
        .map(|f| f.lint.as_str())
        .collect();
    assert_eq!(lints, ["include::cycle"]);
    let page = case.site_file("sv-se/cycle.html");
    assert_eq!(page.matches("Stycke A.").count(), 1);
    assert_eq!(page.matches("Stycke B.").count(), 1);
    assert!(page.contains("Efter."));
}

#[test]
fn includes_and_links_that_climb_out_of_the_locale_are_refused() {
    let case = Case::fixture("climb-out");
    case.build(0);
    let findings = case.build_findings();
    let include = expect(&findings, "link::outside", "sv-SE/climb.md", 9, 1);
    assert!(include.message.contains("include"), "{include:?}");
    // The two links of line 11, each at its `[`. (Regression: the first was
    // placed at the same URL in the include on line 9.)
    expect(&findings, "link::outside", "sv-SE/climb.md", 11, 4);
    expect(&findings, "link::outside", "sv-SE/climb.md", 11, 33);
    // `check` reports the same, at the same places.
    expect(&case.check(0), "link::outside", "sv-SE/climb.md", 11, 4);
    expect(&case.check(0), "link::outside", "sv-SE/climb.md", 11, 33);
    // Nothing from outside the content folder reached the site, and the
    // dropped links keep their text.
    for (rel, bytes) in support::tree(&case.root().join("site")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("HEMLIGT"), "{rel} holds the secret");
    }
    let page = case.site_file("sv-se/climb.html");
    assert!(page.contains("filen") && page.contains("den andra"));
    assert!(!page.contains("secret.md") && !page.contains("de-DE/x"));
}

// --- the content folder

#[test]
fn a_folder_that_is_not_a_locale_is_skipped_and_named() {
    let case = Case::fixture("not-a-locale");
    case.build(0);
    // A folder has no line: the finding names it, at 1:1.
    let found = expect(&case.check(0), "load::not-a-locale", "content/drafts", 1, 1);
    assert!(found.message.contains("`drafts`"), "{found:?}");
    assert!(!case.root().join("site/drafts").exists());
    assert!(case.site_file("sv-se/ok.html").contains("Hej"));
}

#[cfg(unix)]
#[test]
fn symbolic_link_loops_are_reported_not_followed_forever() {
    use std::os::unix::fs::symlink;
    let case = Case::generated();
    let dir = case.root().join("content/sv-SE");
    std::fs::create_dir_all(dir.join("loop")).expect("mkdir");
    symlink("..", dir.join("loop/up")).expect("symlink");
    symlink("self.md", dir.join("self.md")).expect("symlink");
    symlink("b.md", dir.join("a.md")).expect("symlink");
    symlink("a.md", dir.join("b.md")).expect("symlink");
    // A link to a real article is followed.
    symlink("good.md", dir.join("alias.md")).expect("symlink");
    let r = case.build(1);
    assert_memory(&r, 256);
    let findings = case.check(1);
    // No line or column: the finding names the link, at 1:1.
    for file in ["sv-SE/loop/up", "sv-SE/self.md", "sv-SE/a.md", "sv-SE/b.md"] {
        expect(&findings, "file::unreadable", file, 1, 1);
    }
    assert!(case.site_file("sv-se/alias.html").contains("Bra artikel"));
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_reported_by_name() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let case = Case::generated();
    let dir = case.root().join("content/sv-SE");
    let locked = dir.join("locked.md");
    std::fs::write(&locked, GOOD).expect("write");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    // A link to nothing cannot be read by anyone, root included.
    symlink("missing-target.md", dir.join("dangling.md")).expect("symlink");
    let root = std::fs::read(&locked).is_ok();
    case.build(1);
    let findings = case.check(1);
    expect(&findings, "file::unreadable", "sv-SE/dangling.md", 1, 1);
    if root {
        eprintln!(
            "note: running as root, who can read a file with mode 000; \
             only the dangling link is checked as unreadable"
        );
    } else {
        let found = expect(&findings, "file::unreadable", "sv-SE/locked.md", 1, 1);
        assert!(found.message.contains("ermission denied"), "{found:?}");
    }
    // Let the temporary folder be removed.
    let _ = std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644));
}

// --- file names

#[test]
fn articles_whose_pages_differ_only_in_case_are_reported_and_one_wins() {
    let case = Case::generated();
    let pair = |t: &str, e: &str| {
        format!("---\ntitle: {t}\n---\n# <span data-ttu-id=\"c-1\">{t}</span><span class=\"sxs-lookup\"><span data-stu-id=\"c-1\">{e}</span></span>\n")
    };
    case.write("content/sv-SE/Foo.md", pair("Stor", "Upper"));
    case.write("content/sv-SE/foo.md", pair("Liten", "Lower"));
    case.write("content/sv-SE/a.md", pair("A", "A page"));
    // Its page would be the side-by-side page of `a.md`.
    case.write("content/sv-SE/a.sxs.md", pair("Sida", "Side"));
    // The same clash across locales: the English site would hold both.
    case.write("content/de-DE/foO.md", pair("Gross", "Upper"));
    case.build(1);
    let findings = case.check(1);
    for (file, winner) in [
        ("sv-SE/foo.md", "Foo.md"),
        ("de-DE/foO.md", "Foo.md"),
        ("sv-SE/a.sxs.md", "a.md"),
    ] {
        let found = expect(&findings, "load::path-collision", file, 1, 1);
        assert!(found.message.contains(&format!("`{winner}`")), "{found:?}");
    }
    // The path that sorts first (bytes) is built, in every language.
    let site = case.root().join("site");
    let names = |lang: &str| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(site.join(lang))
            .expect("read site")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.to_lowercase().starts_with("foo") || n.starts_with("a."))
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        names("sv-se"),
        [
            "Foo.en.js",
            "Foo.html",
            "Foo.sxs.html",
            "a.en.js",
            "a.html",
            "a.sxs.html"
        ]
    );
    assert_eq!(names("en-us"), ["Foo.html", "a.html"]);
    // de-DE lost its only article: it has the English fallback pages.
    assert_eq!(names("de-de"), ["Foo.html", "a.html"]);
    assert!(!case.site_file("de-de/Foo.html").contains("Gross"));
    assert!(case.site_file("sv-se/Foo.html").contains("Stor"));
    assert!(case.site_file("sv-se/a.sxs.html").contains("A page"));
    // The same input gives the same site, whatever order the disk lists.
    let first = support::tree(&site);
    case.build(1);
    assert_eq!(first, support::tree(&site));
}

#[test]
fn pages_of_files_with_spaces_hashes_and_question_marks_are_reachable() {
    let case = Case::generated();
    let names = [
        ("med mellanslag", "Med mellanslag", "med%20mellanslag.html"),
        ("пароль", "Пароль", "пароль.html"),
        ("a#b", "Fyrkant", "a%23b.html"),
        ("fråga?", "Fråga", "fråga%3F.html"),
        ("100%", "Procent", "100%25.html"),
        (
            "mapp med mellanslag/sida#1",
            "Sida ett",
            "mapp%20med%20mellanslag/sida%231.html",
        ),
    ];
    for (name, title, _) in names {
        case.write(
            &format!("content/sv-SE/{name}.md"),
            format!("---\ntitle: {title}\n---\n# {title}\n"),
        );
    }
    case.write(
        "content/sv-SE/links.md",
        "---\ntitle: Länkar\n---\n# Länkar\n\n[1](med%20mellanslag.md) [2](пароль.md) \
         [3](a%23b.md) [4](fr%C3%A5ga%3F.md) [5](100%25.md) \
         [6](mapp%20med%20mellanslag/sida%231.md) [7](%a密.md)\n",
    );
    case.build(0);
    // Every local link of the site resolves (percent-decoded) to a file.
    let report = support::sitecheck::check(&case.root().join("site"));
    assert!(report.is_ok(), "{}", report.summary(20));
    let index = support::Page(scraper::Html::parse_document(
        &case.site_file("sv-se/index.html"),
    ));
    let hrefs = index.attrs("a[href]", "href");
    for (_, title, href) in names {
        // A path beside the page: `./`, then the encoded name.
        let decoded = support::sitecheck::percent_decode(href);
        assert!(
            hrefs
                .iter()
                .any(|h| h.starts_with("./")
                    && support::sitecheck::percent_decode(&h[2..]) == decoded),
            "{title}: {href} not in {hrefs:?}"
        );
    }
    let links = support::Page(scraper::Html::parse_document(
        &case.site_file("sv-se/links.html"),
    ));
    // The same pages from the article's links as from the index.
    let hrefs: Vec<String> = links
        .attrs(".content a[href]", "href")
        .iter()
        .map(|h| support::sitecheck::percent_decode(h))
        .collect();
    let want: Vec<String> = names
        .iter()
        .map(|(_, _, h)| support::sitecheck::percent_decode(h))
        .collect();
    assert_eq!(hrefs, want);
    // Regression: `%` before a multi-byte character made the build panic.
    // That link names no article: reported, its text kept.
    expect(&case.check(0), "link::broken", "sv-SE/links.md", 6, 133);
}

// --- bounded cost: inputs of a few megabytes that took minutes or
// gigabytes (the memory bounds are loose: a regression is orders of
// magnitude; `cargo bench --bench bombs` measures time and memory)

/// Regression: every finding kept a copy of its whole line; 100,000
/// broken span tags on one 2 MB line were killed at 17 GB.
#[test]
fn a_hundred_thousand_findings_on_one_line_keep_a_window_of_it_each() {
    let case = Case::generated();
    let line = "<span data-ttu-id=\"x ".repeat(100_000);
    case.write(
        "content/sv-SE/spans.md",
        format!("---\ntitle: Spann\n---\n{line}\n"),
    );
    assert_memory(&case.build(1), 512);
    let r = run(case.root(), &["check", "--format", "json"]);
    assert_no_panic(&r);
    assert_memory(&r, 512);
    let json: Value = serde_json::from_str(&r.stdout).expect("check prints JSON");
    let found: Vec<&Value> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["file"].as_str().is_some_and(|p| p.ends_with("spans.md")))
        // The line is also past the element budget (shown as plain text).
        .filter(|f| f["lint"].as_str() != Some("limit::elements"))
        .collect();
    // The first hundred, and one that counts the rest.
    assert_eq!(found.len(), 101, "{:#?}", &found[..3]);
    let last = found[100];
    assert_eq!(
        (last["line"].as_u64(), last["column"].as_u64()),
        (Some(4), Some(2101))
    );
    let message = last["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("more `sxs::unterminated` findings"),
        "{message}"
    );
    for f in &found {
        let snippet = f["snippet"].as_str().expect("a snippet");
        assert!(
            snippet.chars().count() <= 240,
            "{} characters",
            snippet.len()
        );
        // The snippet starts where its column says; the finding's column
        // is at a `<span` in it.
        let from = f["snippet_column"].as_u64().unwrap_or(1);
        let at = (f["column"].as_u64().expect("column") - from) as usize;
        let rest: String = snippet.chars().skip(at).take(5).collect();
        assert_eq!(rest, "<span", "{f}");
    }
    // The rustc-style display places its caret under the span too.
    let r = run(case.root(), &["check"]);
    let block = r
        .stdout
        .split("\n\n")
        .find(|b| b.contains("spans.md:4:2101"))
        .expect("the finding at 4:2101");
    let lines: Vec<&str> = block.lines().collect();
    let source = lines[3].split_once(" | ").expect("source line").1;
    let caret = lines[4].split_once(" | ").expect("caret line").1;
    assert!(
        source.starts_with("...") && source.ends_with("..."),
        "{source}"
    );
    assert!(source[caret.find('^').expect("caret")..].starts_with("<span"));
}

/// Regression: 40,000 equal headings took 147 s (each id probed `-1`,
/// `-2`, … from the start).
#[test]
fn forty_thousand_equal_headings_get_numbered_ids() {
    let case = Case::generated();
    case.write(
        "content/sv-SE/same.md",
        format!("---\ntitle: Samma\n---\n{}", "## Same\n".repeat(40_000)),
    );
    let r = case.build(0);
    assert_memory(&r, 512);
    let page = case.site_file("sv-se/same.html");
    assert!(page.contains("id=\"same\""));
    assert!(page.contains("id=\"same-39999\""));
    assert!(!page.contains("id=\"same-40000\""));
}

/// Regression: 200,000 keys took 24 s; a block nested 1,000,000 deep more
/// than 150 s.
#[test]
fn huge_and_deep_front_matter_is_bounded_and_located() {
    let case = Case::generated();
    let keys: String = (0..200_000).map(|i| format!("k{i}: v\n")).collect();
    case.write(
        "content/sv-SE/keys.md",
        format!("---\ntitle: Nycklar\n{keys}---\n# Nycklar\n"),
    );
    // 100,000 deep fits in 256 KB; 1,000,000 deep does not.
    for (name, depth) in [("deep", 100_000), ("deeper", 1_000_000)] {
        let deep = format!("{}x{}", "[".repeat(depth), "]".repeat(depth));
        case.write(
            &format!("content/sv-SE/{name}.md"),
            format!("---\ntitle: Djup\nk: {deep}\n---\n# Djup\n"),
        );
    }
    let r = case.build(0);
    assert_memory(&r, 512);
    let findings = case.check(0);
    // Read up to the line that passes 256 KB.
    let cut = expect_lint(&findings, "frontmatter::invalid", "keys.md");
    assert!(cut.message.contains("longer than 256 KB"), "{cut:?}");
    assert!(cut.line > 20_000 && cut.column == 1, "{cut:?}");
    // The 64th bracket of line 3, in the block's mapping, goes too deep;
    // the title is still read.
    let found = expect(&findings, "frontmatter::invalid", "/deep.md", 3, 3 + 64);
    assert!(found.message.contains("deeper than 64 levels"), "{found:?}");
    let cut = expect(&findings, "frontmatter::invalid", "deeper.md", 3, 1);
    assert!(cut.message.contains("longer than 256 KB"), "{cut:?}");
    assert!(case.site_file("sv-se/deeper.html").contains("<title>Djup"));
    assert!(case.site_file("sv-se/deep.html").contains("<title>Djup"));
    assert!(case.site_file("sv-se/keys.html").contains("<title>Nycklar"));
}

/// The one finding of `lint` about a file whose path ends with `file`.
fn expect_lint(findings: &[Found], lint: &str, file: &str) -> Found {
    let hits: Vec<&Found> = findings
        .iter()
        .filter(|f| f.lint == lint && f.file.ends_with(file))
        .collect();
    assert_eq!(hits.len(), 1, "{lint} in {file}: {findings:#?}");
    hits[0].clone()
}

/// Regression: 200,000 nested `<div>` (2.2 MB) took minutes in the
/// sanitiser's HTML parser.
#[test]
fn two_hundred_thousand_nested_divs_are_flattened() {
    let case = Case::generated();
    case.write(
        "content/sv-SE/divs.md",
        format!(
            "---\ntitle: Lådor\n---\n# Lådor\n\n{}djupt{}\n",
            // 20,000: within the element budget.
            "<div>".repeat(20_000),
            "</div>".repeat(20_000)
        ),
    );
    assert_memory(&case.build(0), 512);
    let page = case.site_file("sv-se/divs.html");
    assert!(page.contains("djupt"));
    assert!(page.matches("<div>").count() <= 256, "too deep");
    let found = expect(&case.build_findings(), "limit::nesting", "divs.md", 6, 1);
    assert!(found.message.contains("HTML"), "{found:?}");
}

/// Regression: a 2 MB table of 10,000 columns × 100 rows took 761 MB; rows
/// left short (filled with empty cells) made ten million cells of 40 kB.
#[test]
fn tables_past_the_cell_budget_are_text() {
    let case = Case::generated();
    let row = format!("{}|\n", "|a".repeat(10_000));
    let delimiter = format!("{}|\n", "|-".repeat(10_000));
    case.write(
        "content/sv-SE/wide.md",
        format!(
            "---\ntitle: Bred\n---\n# Bred\n\n{row}{delimiter}{}\n| x | y |\n|---|---|\n| 1 | 2 |\n",
            row.repeat(100)
        ),
    );
    // 15 of them: each is about 23,000 elements to the element budget,
    // and 15 stay within an article's 400,000 (`render::budget`).
    let short = format!("{row}{delimiter}{}\n", "|\n".repeat(1_000)).repeat(15);
    case.write(
        "content/sv-SE/short.md",
        format!("---\ntitle: Kort\n---\n# Kort\n\n{short}"),
    );
    assert_memory(&case.build(0), 512);
    let findings = case.check(0);
    let wide = expect(&findings, "limit::table", "wide.md", 7, 1);
    assert!(wide.message.contains("1010000 cells"), "{wide:?}");
    // Every table of short.md has 10,010,000 cells once filled in.
    let short: Vec<&Found> = about(&findings, "short.md");
    assert_eq!(short.len(), 15, "{short:#?}");
    assert!(short.iter().all(|f| f.lint == "limit::table"));
    let page = case.site_file("sv-se/wide.html");
    // The small table after the big one is still a table.
    assert_eq!(page.matches("<table>").count(), 1, "one table");
    assert!(page.contains("|a|a|a|"), "the big one is shown as text");
}

/// Block quotes and lists 1,000,000 deep on one line (2 MB each): pages
/// of 54 MB and 800 MB of memory before.
#[test]
fn a_million_nested_quotes_or_lists_keep_sixty_four_levels() {
    let case = Case::generated();
    case.write(
        "content/sv-SE/quotes.md",
        format!("---\ntitle: Citat\n---\n{} djupt\n", ">".repeat(2_000_000)),
    );
    case.write(
        "content/sv-SE/lists.md",
        format!("---\ntitle: Listor\n---\n{}djupt\n", "- ".repeat(1_000_000)),
    );
    assert_memory(&case.build(0), 512);
    let findings = case.check(0);
    expect(&findings, "limit::nesting", "quotes.md", 4, 65);
    expect(&findings, "limit::nesting", "lists.md", 4, 129);
    let quotes = case.site_file("sv-se/quotes.html");
    assert_eq!(quotes.matches("<blockquote>").count(), 64);
    assert!(quotes.contains("djupt"));
    let lists = case.site_file("sv-se/lists.html");
    // (The theme's language switcher has a `<ul>` of its own.)
    assert_eq!(lists.matches("<ul>\n<li>").count(), 64);
    assert!(lists.contains("djupt"));
}

/// Emphasis nested 30,000 deep (within the element budget): the first 100
/// levels are kept.
#[test]
fn deep_emphasis_is_flattened_and_reported_by_build() {
    let case = Case::generated();
    case.write(
        "content/sv-SE/em.md",
        format!(
            "---\ntitle: Kursiv\n---\n# Kursiv\n\n{}djupt{}\n",
            "*a ".repeat(30_000),
            " b*".repeat(30_000)
        ),
    );
    assert_memory(&case.build(0), 1024);
    let page = case.site_file("sv-se/em.html");
    assert_eq!(page.matches("<em>").count(), 100);
    assert!(page.contains("djupt"));
    // Placed at the 101st `*`, the first level left out.
    let findings = case.build_findings();
    let found = expect(&findings, "limit::nesting", "em.md", 6, 301);
    assert!(
        found.message.contains("Markdown nested deeper"),
        "{found:?}"
    );
}

/// Includes that include others many times over: 1,000 directives of a
/// snippet with 1,000 directives made a gigabyte.
#[test]
fn includes_that_multiply_are_bounded() {
    let case = Case::generated();
    let thousand = |path: &str| format!("[!INCLUDE[x]({path})]\n").repeat(1_000);
    case.write(
        "content/sv-SE/many.md",
        format!(
            "---\ntitle: Många\n---\n# Många\n\n{}",
            thousand("includes/b.md")
        ),
    );
    case.write("content/sv-SE/includes/b.md", thousand("c.md"));
    case.write(
        "content/sv-SE/includes/c.md",
        format!("{}\n", "text ".repeat(200)),
    );
    assert_memory(&case.build(0), 512);
    let findings = case.build_findings();
    // Each render lists 101 (the same message at the directive being
    // expanded when the budget ran out), the last one counting the rest.
    let limited: Vec<&Found> = findings
        .iter()
        .filter(|f| f.lint == "include::limit")
        .collect();
    assert!(
        !limited.is_empty() && limited.len() <= 2 * 101,
        "{}",
        limited.len()
    );
    assert!(limited
        .iter()
        .any(|f| f.message.contains("more `include::limit` findings")));
    // At a directive of the article (after the first few, which fit).
    assert!((6..=1_005).contains(&limited[0].line), "{:?}", limited[0]);
    assert_eq!(limited[0].column, 1);
    let page = case.site_file("sv-se/many.html");
    assert!(page.len() < 8 << 20, "{} bytes", page.len());
}

/// 16,000 links to a missing article on one line (within the element
/// budget of a block, a link being estimated at 6): the first hundred
/// reported.
#[test]
fn a_hundred_and_fifty_thousand_broken_links_are_capped() {
    let case = Case::generated();
    case.write(
        "content/sv-SE/links.md",
        format!(
            "---\ntitle: Länkar\n---\n# Länkar\n\n{}\n",
            "[x](nope.md) ".repeat(16_000)
        ),
    );
    assert_memory(&case.build(0), 1024);
    let findings = case.build_findings();
    let broken = places(&findings, "link::broken");
    assert_eq!(broken.len(), 101);
    assert_eq!((broken[100].line, broken[100].column), (6, 1 + 13 * 100));
    assert!(
        broken[100].message.contains("15899 more"),
        "{:?}",
        broken[100]
    );
}

/// The findings of `lint`, one per place and message: `build` renders a
/// translated article twice (its page, and the English rebuilt from it),
/// and each render reports what it finds.
fn places<'f>(findings: &'f [Found], lint: &str) -> Vec<&'f Found> {
    let mut seen = std::collections::HashSet::new();
    findings
        .iter()
        .filter(|f| f.lint == lint && seen.insert((f.line, f.column, f.message.clone())))
        .collect()
}

/// Regression: `content/sv-SE/<247 x>.md` made `<name>.sxs.html` 256 bytes:
/// the build exited 2 with no site, serve refused to start, check reported
/// nothing. (83 Chinese characters are 249 bytes.)
#[test]
fn names_too_long_for_the_file_system_get_short_pages() {
    let case = Case::generated();
    let pair = |t: &str| {
        format!("---\ntitle: {t}\n---\n# <span data-ttu-id=\"l-1\">{t}</span><span class=\"sxs-lookup\"><span data-stu-id=\"l-1\">Long</span></span>\n")
    };
    let latin = "x".repeat(247);
    let cjk = "密".repeat(83);
    case.write(&format!("content/sv-SE/{latin}.md"), pair("Lång"));
    case.write(&format!("content/sv-SE/sub/{cjk}.md"), pair("长"));
    case.write(
        "content/sv-SE/links.md",
        format!("---\ntitle: L\n---\n# L\n\n[a]({latin}.md) [b](sub/{cjk}.md)\n"),
    );
    case.build(0);
    let findings = case.check(0);
    for name in [format!("{latin}.md"), format!("sub/{cjk}.md")] {
        let found = expect(&findings, "load::long-name", &name, 1, 1);
        assert!(found.message.contains("255 bytes"), "{found:?}");
    }
    // Every file name of the site fits, and every link resolves.
    let site = case.root().join("site");
    for (rel, _) in support::tree(&site) {
        let name = rel.rsplit('/').next().unwrap_or(&rel);
        assert!(name.len() <= 239, "{} bytes: {rel}", name.len());
    }
    let report = support::sitecheck::check(&site);
    assert!(report.is_ok(), "{}", report.summary(20));
    let page = |dir: &str, start: &str| {
        std::fs::read_dir(site.join(dir))
            .expect("a language folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(start) && n.ends_with(".sxs.html"))
            .count()
    };
    assert_eq!(page("sv-se", "xxxx"), 1);
    assert_eq!(page("sv-se/sub", "密密"), 1);
    let links = case.site_file("sv-se/links.html");
    assert_eq!(links.matches("href=\"xxxx").count(), 1, "{links}");
}

/// Regression: loops over loops in a user template ran 51 s and aborted on
/// a 4.4 GB allocation; a component calling itself twice ran minutes.
#[test]
fn runaway_templates_fail_naming_the_template() {
    // Which bound a template passes first (its output's size or its time)
    // depends on the machine's speed; either is named.
    for case in ["template-loops", "template-recursion"] {
        let case = Case::fixture(case);
        let r = run(case.root(), &["build"]);
        assert_no_panic(&r);
        assert_eq!(r.code, Some(2), "{}", r.stderr);
        assert!(r.stderr.contains("theme template 404.html"), "{}", r.stderr);
        assert!(
            r.stderr.contains("does a loop or a component repeat")
                || r.stderr.contains("ran for more than 5 s"),
            "{}",
            r.stderr
        );
        assert_memory(&r, 512);
    }
}
