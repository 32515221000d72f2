//! `helpbook export`: round trips through parsers helpbook did not write, and
//! validation of the corpus exports with real tools.
//!
//! - The fixture `tests/fixtures/export/tricky` holds pairs with CJK,
//!   right-to-left text, quotes, `&`, `<`, backslashes, tabs and line breaks.
//!   Its exports are read back with the `polib` crate (PO) and `quick-xml`
//!   (XLIFF, TMX), and with Python's polib and translate-toolkit
//!   (`tests/tools/read_back.py`); every pair must come back unchanged.
//! - `msgfmt --check` (GNU gettext) must accept every PO file (of the
//!   corpus's per-article files, one in twenty), and translate-toolkit
//!   (`tests/tools/count_units.py`) must find one translated unit per pair
//!   in every PO, XLIFF and TMX file of the corpus. The corpus is exported
//!   once per format for the tests that read the exports.
//!
//! Tests that need msgfmt or the Python modules skip with a message when they
//! are absent, except under CI (`CI` set), where `.ci/run` installs them and
//! their absence is a failure. Corpus tests skip when `../shared/corpus` is
//! absent.

use crate::support::corpus;
use helpbook::config::Config;
use helpbook::export::{self, Format, OutFile};
use helpbook::pair::SegmentState;
use helpbook::pipeline::Model;
use helpbook::timing::Stages;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/export/tricky")
}

/// One segment pair as the model has it: what every export must carry.
#[derive(Debug, Clone)]
struct Pair {
    locale: String,
    path: String,
    id: String,
    line: usize,
    column: usize,
    source: String,
    target: String,
    stale: bool,
    machine: bool,
    handoff: Option<String>,
}

fn load(dir: &Path) -> Model {
    Model::load(Config::load(dir).expect("config")).expect("load")
}

/// The corpus, loaded once for all the tests that read it (None when absent).
fn corpus_project() -> Option<&'static Model> {
    crate::support::corpus_model()
}

/// Lists a project's pairs per locale, in export order.
fn pairs(dir: &Path) -> BTreeMap<String, Vec<Pair>> {
    pairs_of(&load(dir))
}

fn pairs_of(model: &Model) -> BTreeMap<String, Vec<Pair>> {
    let mut out = BTreeMap::new();
    for (i, locale) in model.project.locales.iter().enumerate() {
        let mut list = Vec::new();
        for a in &locale.articles {
            let fresh = model.pairing.of(i, a).expect("paired");
            for (s, state) in a.segments.iter().zip(&fresh.states) {
                list.push(Pair {
                    locale: locale.tag.clone(),
                    path: a.path.clone(),
                    id: s.id.clone(),
                    line: s.pos.line,
                    column: s.pos.column,
                    source: s.source(a).to_string(),
                    target: s.target(a).to_string(),
                    stale: *state == SegmentState::Stale,
                    machine: a.front.is_machine_translated(),
                    handoff: a.handoff().map(|d| d.to_string()),
                });
            }
        }
        out.insert(locale.tag.clone(), list);
    }
    out
}

/// Exports `dir` in `format` into a new temporary folder (through the library).
fn export_to(dir: &Path, format: Format, per_article: bool) -> (tempfile::TempDir, Vec<OutFile>) {
    export_project(&load(dir), format, per_article)
}

fn export_project(
    model: &Model,
    format: Format,
    per_article: bool,
) -> (tempfile::TempDir, Vec<OutFile>) {
    let out = tempfile::tempdir().expect("tempdir");
    let all = export_into(model, format, per_article, out.path());
    (out, all)
}

/// Exports `model` in `format` into `out` (through the library).
fn export_into(model: &Model, format: Format, per_article: bool, out: &Path) -> Vec<OutFile> {
    let mut all = Vec::new();
    export::each(model, &[], &Stages::default(), |l| {
        let files = export::plan(l, format, per_article);
        export::write(out, &files)?;
        all.extend(files);
        Ok(())
    })
    .expect("export");
    all
}

/// One format of the corpus exported one file per locale: its folder, and
/// each file's path (relative), units and replaced characters.
struct Exported {
    format: Format,
    dir: PathBuf,
    files: Vec<(String, usize, usize)>,
}

/// The corpus exported once per test run in each format, one file per
/// locale, into cargo's folder for test files (`CARGO_TARGET_TMPDIR`, where
/// the next run replaces it), for the tests that read the exports; `None`
/// when the corpus is absent.
fn corpus_exports() -> Option<&'static [Exported]> {
    static EXPORTS: std::sync::OnceLock<Option<Vec<Exported>>> = std::sync::OnceLock::new();
    EXPORTS
        .get_or_init(|| {
            let model = corpus_project()?;
            let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus-export");
            let _ = std::fs::remove_dir_all(&root);
            let formats = [Format::Po, Format::Xliff, Format::Tmx];
            Some(
                formats
                    .into_iter()
                    .map(|format| {
                        let dir = root.join(format.extension());
                        let files = export_into(model, format, false, &dir)
                            .into_iter()
                            .map(|f| (f.path, f.units, f.replaced))
                            .collect();
                        Exported { format, dir, files }
                    })
                    .collect(),
            )
        })
        .as_deref()
}

/// Whether msgfmt would reject the pair as translated: one text begins or
/// ends with a line break and the other does not.
fn newline_mismatch(p: &Pair) -> bool {
    !p.source.is_empty()
        && !p.target.is_empty()
        && (p.source.starts_with('\n') != p.target.starts_with('\n')
            || p.source.ends_with('\n') != p.target.ends_with('\n'))
}

// ---------------------------------------------------------------- the fixture

#[test]
fn the_fixture_holds_every_hard_case() {
    let all: Vec<Pair> = pairs(&fixture()).into_values().flatten().collect();
    let any = |f: &dyn Fn(&Pair) -> bool| all.iter().any(f);
    let has = |c: char| any(&|p| p.source.contains(c) || p.target.contains(c));
    assert!(any(&|p| p.target.contains("你好")), "CJK");
    assert!(
        any(&|p| p.target.contains('𠮷')),
        "a CJK character outside the BMP"
    );
    assert!(any(&|p| p.target.contains("مرحبا")), "Arabic");
    assert!(any(&|p| p.target.contains("שָׁלוֹם")), "Hebrew with points");
    for c in ['"', '\'', '&', '<', '>', '\\', '\t', '\n'] {
        assert!(has(c), "{c:?}");
    }
    assert!(any(&|p| p.stale), "a stale pair");
    assert!(any(&|p| p.machine), "a machine translation");
    assert!(
        any(&newline_mismatch),
        "a translation that begins with a line break"
    );
    assert!(any(&|p| p.path.contains(' ')), "a file name with a space");
    let zh = &pairs(&fixture())["zh-CN"];
    assert!(
        zh.iter().filter(|p| p.id == "a1-105").count() == 2,
        "a repeated id"
    );
}

#[test]
fn po_round_trip_with_the_polib_crate() {
    let expected = pairs(&fixture());
    let (out, files) = export_to(&fixture(), Format::Po, false);
    assert_eq!(files.len(), expected.len());
    for (locale, want) in &expected {
        let catalog =
            polib::po_file::parse(&out.path().join(format!("{locale}.po"))).expect("polib parses");

        let got: Vec<_> = catalog.messages().collect();
        assert_eq!(got.len(), want.len(), "{locale}");
        for (m, p) in got.iter().zip(want) {
            let ctxt = m.msgctxt().unwrap_or_default();
            assert!(ctxt.starts_with(&format!("{}#{}", p.path, p.id)), "{ctxt}");
            assert_eq!(m.msgid(), p.source, "{ctxt}");
            assert_eq!(m.msgstr().expect("singular"), p.target, "{ctxt}");
            assert_eq!(m.is_fuzzy(), p.stale || newline_mismatch(p), "{ctxt}");
            assert!(
                m.source().contains(&format!("{locale}/"))
                    && m.source().ends_with(&format!(":{}", p.line)),
                "{ctxt}: reference {}",
                m.source()
            );
        }
    }
    let ctxts: Vec<String> = {
        let c = polib::po_file::parse(&out.path().join("zh-CN.po")).expect("parse");

        c.messages()
            .map(|m| m.msgctxt().unwrap_or_default().to_string())
            .collect()
    };
    let unique: std::collections::HashSet<_> = ctxts.iter().collect();
    assert_eq!(
        unique.len(),
        ctxts.len(),
        "msgctxt is unique even where an id repeats"
    );
}

#[test]
fn per_article_po_files_mirror_the_article_paths() {
    let (out, files) = export_to(&fixture(), Format::Po, true);
    let mut paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "ar-SA/a.po",
            "he-IL/sub/b.po",
            "zh-CN/a.po",
            "zh-CN/sub/b.po",
            "zh-CN/sub/with space.po"
        ],
        "one file per article with pairs (zh-CN/plain.md has none)"
    );
    let text = std::fs::read_to_string(out.path().join("he-IL/sub/b.po")).expect("read");
    assert!(text.contains("msgstr \"שָׁלוֹם & להתראות.\""), "{text}");
}

/// A tiny DOM, built with quick-xml, enough to read the exports back.
#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: BTreeMap<String, String>,
    children: Vec<Node>,
    /// The element's own text (character data and references, XLIFF `<cp>`
    /// resolved), in order.
    text: String,
}

impl Node {
    fn attr(&self, name: &str) -> &str {
        self.attrs.get(name).map_or("", String::as_str)
    }
    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
    fn one<'a>(&'a self, name: &'a str) -> &'a Node {
        self.all(name)
            .next()
            .unwrap_or_else(|| panic!("<{}> has no <{name}>", self.name))
    }
    fn meta(&self) -> BTreeMap<String, String> {
        let group = self.one("mda:metadata").one("mda:metaGroup");
        group
            .all("mda:meta")
            .map(|m| (m.attr("type").to_string(), m.text.clone()))
            .collect()
    }
}

fn parse_xml(text: &str) -> Node {
    use quick_xml::events::{BytesStart, Event};
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let element = |e: &BytesStart| Node {
        name: String::from_utf8_lossy(e.name().as_ref()).into_owned(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.expect("attribute");
                let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
                (
                    key,
                    a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                        .expect("value")
                        .into_owned(),
                )
            })
            .collect(),
        ..Node::default()
    };
    let mut stack = vec![Node::default()];
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => {
                let node = element(&e);
                let top = stack.last_mut().expect("parent");
                if node.name == "cp" {
                    let code = u32::from_str_radix(node.attr("hex"), 16).expect("hex");
                    top.text.push(char::from_u32(code).expect("char"));
                }
                top.children.push(node);
            }
            Event::End(_) => {
                let node = stack.pop().expect("open element");
                stack.last_mut().expect("parent").children.push(node);
            }
            Event::Text(t) => stack
                .last_mut()
                .expect("element")
                .text
                .push_str(&t.xml10_content().expect("utf-8")),
            Event::GeneralRef(r) => {
                let top = stack.last_mut().expect("element");
                match r.resolve_char_ref().expect("char ref") {
                    Some(c) => top.text.push(c),
                    None => {
                        let name = r.decode().expect("utf-8");
                        let s = quick_xml::escape::resolve_predefined_entity(&name)
                            .unwrap_or_else(|| panic!("unknown entity &{name};"));
                        top.text.push_str(s);
                    }
                }
            }
            Event::CData(c) => stack
                .last_mut()
                .expect("element")
                .text
                .push_str(&String::from_utf8_lossy(&c)),
            Event::Eof => break,
            _ => {}
        }
    }
    let mut root = stack.pop().expect("document");
    assert_eq!(root.children.len(), 1, "one root element");
    root.children.pop().expect("root")
}

#[test]
fn xliff_round_trip_with_quick_xml() {
    let expected = pairs(&fixture());
    let (out, _) = export_to(&fixture(), Format::Xliff, false);
    for (locale, want) in &expected {
        let text = std::fs::read_to_string(out.path().join(format!("{locale}.xlf"))).expect("read");
        let root = parse_xml(&text);
        assert_eq!(root.name, "xliff");
        assert_eq!(root.attr("version"), "2.0");
        assert_eq!(root.attr("xmlns"), "urn:oasis:names:tc:xliff:document:2.0");
        assert_eq!(root.attr("srcLang"), "en-US");
        assert_eq!(root.attr("trgLang"), locale);
        let mut got = Vec::new();
        for file in root.all("file") {
            let fmeta = file.meta();
            assert_eq!(fmeta["path"], file.attr("original"));
            for unit in file.all("unit") {
                got.push((file.attr("original").to_string(), fmeta.clone(), unit));
            }
        }
        assert_eq!(got.len(), want.len(), "{locale}");
        let mut ids = std::collections::HashSet::new();
        for ((path, fmeta, unit), p) in got.iter().zip(want) {
            assert!(
                ids.insert((path.clone(), unit.attr("id").to_string())),
                "unit ids are unique per file"
            );
            assert_eq!(path, &p.path);
            assert_eq!(unit.attr("name"), p.id);
            let meta = unit.meta();
            assert_eq!(meta["segment-id"], p.id);
            assert_eq!(meta["line"], p.line.to_string());
            assert_eq!(meta["column"], p.column.to_string());
            assert_eq!(meta["freshness"], if p.stale { "stale" } else { "current" });
            assert_eq!(fmeta["origin"], if p.machine { "machine" } else { "human" });
            assert_eq!(fmeta.get("handoff"), p.handoff.as_ref());
            let segment = unit.one("segment");
            let state = match (p.stale, p.machine) {
                (true, _) => "initial",
                (false, true) => "translated",
                (false, false) => "final",
            };
            assert_eq!(segment.attr("state"), state, "{path}#{}", p.id);
            assert_eq!(segment.one("source").text, p.source);
            assert_eq!(segment.one("target").text, p.target);
        }
    }
}

#[test]
fn tmx_round_trip_with_quick_xml() {
    let expected = pairs(&fixture());
    let (out, _) = export_to(&fixture(), Format::Tmx, false);
    for (locale, want) in &expected {
        let text = std::fs::read_to_string(out.path().join(format!("{locale}.tmx"))).expect("read");
        let root = parse_xml(&text);
        assert_eq!(root.attr("version"), "1.4");
        assert_eq!(root.one("header").attr("srclang"), "en-US");
        let tus: Vec<&Node> = root.one("body").all("tu").collect();
        assert_eq!(tus.len(), want.len(), "{locale}");
        for (tu, p) in tus.iter().zip(want) {
            assert!(tu.attr("tuid").starts_with(&format!("{}#{}", p.path, p.id)));
            let props: BTreeMap<&str, &str> = tu
                .all("prop")
                .map(|n| (n.attr("type"), n.text.as_str()))
                .collect();
            assert_eq!(props["x-path"], p.path);
            assert_eq!(props["x-segment-id"], p.id);
            assert_eq!(props["x-line"], p.line.to_string());
            assert_eq!(
                props["x-freshness"],
                if p.stale { "stale" } else { "current" }
            );
            assert_eq!(
                props["x-origin"],
                if p.machine { "machine" } else { "human" }
            );
            let created = p
                .handoff
                .as_ref()
                .map(|d| format!("{}T000000Z", d.replace('-', "")));
            assert_eq!(tu.attrs.get("creationdate"), created.as_ref());
            let tuvs: Vec<&Node> = tu.all("tuv").collect();
            assert_eq!(tuvs.len(), 2);
            assert_eq!(tuvs[0].attr("xml:lang"), "en-US");
            assert_eq!(tuvs[0].one("seg").text, p.source);
            assert_eq!(tuvs[1].attr("xml:lang"), p.locale);
            assert_eq!(tuvs[1].one("seg").text, p.target);
        }
    }
}

// ------------------------------------------------------------ outside tools

/// Whether a tool is there; under CI its absence fails the test.
fn available(what: &str, check: &mut Command) -> bool {
    let ok = check
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "{what} is missing under CI; .ci/run installs it"
        );
        eprintln!("skipping: {what} is not installed");
    }
    ok
}

fn msgfmt_available() -> bool {
    available(
        "msgfmt (Debian: gettext)",
        Command::new("msgfmt").arg("--version"),
    )
}

fn python_tools_available() -> bool {
    available(
        "python3 with polib and translate-toolkit",
        Command::new("python3").args([
            "-c",
            "import polib, translate.storage.xliff2, translate.storage.tmx",
        ]),
    )
}

fn tool_script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/tools")
        .join(name)
}

/// Runs `msgfmt --check` on `file`; the error output when it fails.
fn msgfmt_check(file: &Path) -> Result<(), String> {
    let out = Command::new("msgfmt")
        .args(["--check", "-o", "/dev/null"])
        .arg(file)
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn msgfmt_accepts_the_fixture_and_every_plural_rule() {
    if !msgfmt_available() {
        return;
    }
    for per_article in [false, true] {
        let (out, files) = export_to(&fixture(), Format::Po, per_article);
        for f in &files {
            msgfmt_check(&out.path().join(&f.path)).unwrap_or_else(|e| panic!("{}: {e}", f.path));
        }
    }
    // A PO header for each language of the plural table, and an unknown one.
    let dir = tempfile::tempdir().expect("tempdir");
    let tags = [
        "ja",
        "zh-TW",
        "ko",
        "vi",
        "th",
        "id",
        "ms",
        "pt-BR",
        "fr",
        "hi",
        "fa",
        "ru",
        "uk",
        "sr-Latn-RS",
        "cs",
        "sk",
        "pl",
        "lt",
        "lv",
        "ro",
        "sl",
        "ga",
        "ar",
        "is",
        "mk",
        "he",
        "de",
        "sv",
        "et",
        "xx",
    ];
    for tag in tags {
        let locale = export::LocaleUnits {
            unreadable: &[],
            tag,
            name: tag,
            source_language: "en-US",
            title: "t",
            articles: vec![export::ArticleUnits {
                path: "a.md",
                origin: export::Origin::Human,
                translation_type: None,
                handoff: None,
                units: vec![export::Unit {
                    id: "1",
                    key: "a.md#1".into(),
                    source: "One",
                    target: "Eins",
                    line: 1,
                    column: 1,
                    state: SegmentState::Current,
                }],
            }],
        };
        let file = dir.path().join(format!("{tag}.po"));
        std::fs::write(&file, export::po::render(&locale, &locale.articles).text).expect("write");
        msgfmt_check(&file).unwrap_or_else(|e| panic!("{tag}: {e}"));
    }
}

#[test]
fn round_trip_with_python_polib_and_translate_toolkit() {
    if !python_tools_available() {
        return;
    }
    let expected = pairs(&fixture());
    for format in [Format::Po, Format::Xliff, Format::Tmx] {
        let (out, _) = export_to(&fixture(), format, false);
        for (locale, want) in &expected {
            let file = out.path().join(format!("{locale}.{}", format.extension()));
            let run = Command::new("python3")
                .arg(tool_script("read_back.py"))
                .arg(&file)
                .output()
                .expect("python3 runs");
            assert!(
                run.status.success(),
                "{}: {}",
                file.display(),
                String::from_utf8_lossy(&run.stderr)
            );
            let got: Vec<serde_json::Value> = serde_json::from_slice(&run.stdout).expect("JSON");
            assert_eq!(got.len(), want.len(), "{}", file.display());
            for (g, p) in got.iter().zip(want) {
                let what = format!("{:?} {}#{}", format, p.path, p.id);
                assert_eq!(g["source"], p.source.as_str(), "{what}");
                assert_eq!(g["target"], p.target.as_str(), "{what}");
                let key = g["key"].as_str().unwrap_or_default();
                let fuzzy = match format {
                    Format::Po => p.stale || newline_mismatch(p),
                    Format::Xliff => p.stale,
                    Format::Tmx => false,
                };
                assert_eq!(g["fuzzy"], fuzzy, "{what}");
                match format {
                    Format::Xliff => assert!(
                        key == p.id || key == format!("pos:{}:{}", p.line, p.column),
                        "{what}: {key}"
                    ),
                    _ => assert!(
                        key.starts_with(&format!("{}#{}", p.path, p.id)),
                        "{what}: {key}"
                    ),
                }
            }
        }
    }
}

// ------------------------------------------------------------------ the corpus

#[derive(Debug, serde::Deserialize)]
struct Count {
    file: String,
    units: usize,
    with_target: usize,
    translated: usize,
    fuzzy: usize,
}

/// Exports the five corpus locales in every format, and checks them with the
/// real tools: msgfmt accepts every whole-locale PO file and a sample of the
/// per-article ones, and translate-toolkit finds, in every file, one unit
/// with a translation per pair, its own translated + fuzzy counts adding up
/// to the same.
#[test]
fn corpus_exports_pass_msgfmt_and_translate_toolkit() {
    let (Some(corpus), Some(exports)) = (corpus_project(), corpus_exports()) else {
        return;
    };
    let (have_msgfmt, have_python) = (msgfmt_available(), python_tools_available());
    let expected = pairs_of(corpus);
    let per_locale: BTreeMap<&str, usize> = expected
        .iter()
        .map(|(k, v)| (k.as_str(), v.len()))
        .collect();
    assert_eq!(per_locale.len(), 5);
    assert!(
        per_locale.values().sum::<usize>() > 120_000,
        "{per_locale:?}"
    );
    let mut files = Vec::new();
    for exported in exports {
        for (path, units, replaced) in &exported.files {
            assert_eq!(
                *units,
                per_locale[path.split('.').next().unwrap_or_default()]
            );
            assert_eq!(*replaced, 0, "{path}");
            files.push(exported.dir.join(path));
        }
    }
    assert_eq!(files.len(), 15);
    // translate-toolkit (one Python process for the fifteen files) reads
    // while msgfmt runs.
    let python = have_python.then(|| {
        Command::new("python3")
            .arg(tool_script("count_units.py"))
            .args(&files)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("python3 runs")
    });
    if have_msgfmt {
        for f in files
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == "po"))
        {
            msgfmt_check(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        }
        let mut planned: Vec<OutFile> = Vec::new();
        export::each(corpus, &[], &Stages::default(), |l| {
            planned.extend(export::plan(l, Format::Po, true));
            Ok(())
        })
        .expect("plan");
        assert_eq!(
            planned.iter().map(|f| f.units).sum::<usize>(),
            per_locale.values().sum::<usize>()
        );
        // One msgfmt run per file, so a sample: every twentieth of the
        // 14,568 per-article files (about 730, spread over every locale and
        // folder), and only those written. They come from the writer of the
        // whole-locale files above, which hold every unit; what differs is
        // each file's header and which units it holds.
        let step = 20;
        let sample: Vec<OutFile> = planned.into_iter().step_by(step).collect();
        let out = tempfile::tempdir().expect("tempdir");
        export::write(out.path(), &sample).expect("write");
        let paths: Vec<PathBuf> = sample.iter().map(|f| out.path().join(&f.path)).collect();
        assert!(paths.len() > 700, "{} per-article files", paths.len());
        let failures: Vec<String> = std::thread::scope(|s| {
            let workers: Vec<_> = paths
                .chunks(paths.len().div_ceil(2).max(1))
                .map(|chunk| {
                    s.spawn(move || {
                        chunk
                            .iter()
                            .filter_map(|p| {
                                msgfmt_check(p)
                                    .err()
                                    .map(|e| format!("{}: {e}", p.display()))
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().expect("worker"))
                .collect()
        });
        assert!(
            failures.is_empty(),
            "{} per-article files rejected:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
    if let Some(python) = python {
        let run = python.wait_with_output().expect("python3 ends");
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let counts: Vec<Count> = String::from_utf8_lossy(&run.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("JSON line"))
            .collect();
        assert_eq!(counts.len(), files.len());
        for c in &counts {
            let name = Path::new(&c.file)
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            let pairs = per_locale[name];
            eprintln!("{}: {pairs} pairs, translate-toolkit: {c:?}", c.file);
            assert_eq!(c.units, pairs, "{}", c.file);
            assert_eq!(c.with_target, pairs, "{}", c.file);
            assert_eq!(c.translated + c.fuzzy, pairs, "{}", c.file);
        }
    }
}

/// Every corpus pair comes back unchanged through the polib crate and quick-xml.
#[test]
fn corpus_round_trip_with_polib_crate_and_quick_xml() {
    let (Some(corpus), Some(exports)) = (corpus_project(), corpus_exports()) else {
        return;
    };
    let expected = pairs_of(corpus);
    let dir = |format: Format| {
        let e = exports
            .iter()
            .find(|e| e.format == format)
            .expect("exported");
        e.dir.as_path()
    };
    let (po, xlf, tmx) = (dir(Format::Po), dir(Format::Xliff), dir(Format::Tmx));
    for (locale, want) in &expected {
        let catalog =
            polib::po_file::parse(&po.join(format!("{locale}.po"))).expect("polib parses");
        let got: Vec<(String, String)> = catalog
            .messages()
            .map(|m| {
                (
                    m.msgid().to_string(),
                    m.msgstr().unwrap_or_default().to_string(),
                )
            })
            .collect();
        let want_texts: Vec<(String, String)> = want
            .iter()
            .map(|p| (p.source.clone(), p.target.clone()))
            .collect();
        assert!(got == want_texts, "{locale}.po: texts differ");

        let root =
            parse_xml(&std::fs::read_to_string(xlf.join(format!("{locale}.xlf"))).expect("read"));
        let got: Vec<(String, String)> = root
            .all("file")
            .flat_map(|f| f.all("unit"))
            .map(|u| {
                let s = u.one("segment");
                (s.one("source").text.clone(), s.one("target").text.clone())
            })
            .collect();
        assert!(got == want_texts, "{locale}.xlf: texts differ");

        let root =
            parse_xml(&std::fs::read_to_string(tmx.join(format!("{locale}.tmx"))).expect("read"));
        let got: Vec<(String, String)> = root
            .one("body")
            .all("tu")
            .map(|tu| {
                let mut segs = tu.all("tuv").map(|t| t.one("seg").text.clone());
                (
                    segs.next().unwrap_or_default(),
                    segs.next().unwrap_or_default(),
                )
            })
            .collect();
        assert!(got == want_texts, "{locale}.tmx: texts differ");
    }
}

// ----------------------------------------------------------------- the command

/// `helpbook export DIR --format po EXTRA…` into a new temporary folder;
/// fails the test unless it exits 0.
fn export_po(dir: &Path, extra: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("tempdir");
    let mut args = vec!["export", dir.to_str().expect("utf-8"), "--format", "po"];
    args.extend_from_slice(extra);
    args.extend(["--out", out.path().to_str().expect("utf-8")]);
    let run = helpbook(&args);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    out
}

fn helpbook(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_helpbook"))
        .args(args)
        .env_clear()
        .output()
        .expect("helpbook runs")
}

#[test]
fn the_command_writes_deterministic_files() {
    let fx = fixture();
    let fx = fx.to_str().expect("utf-8 path");
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    for format in ["po", "xliff", "tmx"] {
        for out in [&a, &b] {
            let run = helpbook(&[
                "export",
                fx,
                "--format",
                format,
                "--out",
                out.path().to_str().expect("utf-8"),
            ]);
            assert!(
                run.status.success(),
                "{}",
                String::from_utf8_lossy(&run.stderr)
            );
            let stdout = String::from_utf8_lossy(&run.stdout);
            assert!(
                stdout.contains("zh-CN         10 units from     3 articles"),
                "{stdout}"
            );
            assert!(
                stdout.contains("exported 14 units in 3 files (3 locales)"),
                "{stdout}"
            );
        }
    }
    let mut names: Vec<String> = std::fs::read_dir(a.path())
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 9, "{names:?}");
    for name in &names {
        let x = std::fs::read(a.path().join(name)).expect("read");
        let y = std::fs::read(b.path().join(name)).expect("read");
        assert!(x == y, "{name} differs between two runs");
    }
    // `--dest`, as `build` names where it writes, is `--out` too.
    let c = tempfile::tempdir().expect("tempdir");
    for (option, dir) in [("--out", &a), ("--dest", &c)] {
        let run = helpbook(&[
            "export",
            fx,
            "--format",
            "po",
            "--locale",
            "he-IL",
            option,
            dir.path().to_str().expect("utf-8"),
        ]);
        assert!(
            run.status.success(),
            "{option}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(String::from_utf8_lossy(&run.stdout)
            .contains("exported 2 units in 1 files (1 locales)"));
    }
    assert_eq!(
        std::fs::read(c.path().join("he-IL.po")).expect("he-IL.po"),
        std::fs::read(a.path().join("he-IL.po")).expect("he-IL.po")
    );
}

#[test]
fn the_command_refuses_what_it_cannot_do() {
    let fx = fixture();
    let fx = fx.to_str().expect("utf-8 path");
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().to_str().expect("utf-8");
    let content = fixture().join("content/zh-CN");
    let bare = fixture().join("content");
    let cases: [(&[&str], &str); 4] = [
        (
            &[
                "export",
                fx,
                "--format",
                "xliff",
                "--per-article",
                "--out",
                out,
            ],
            "--per-article applies to --format po only",
        ),
        (
            &[
                "export", fx, "--format", "po", "--locale", "xx-YY", "--out", out,
            ],
            "--locale xx-YY: there is no such locale folder",
        ),
        (
            &[
                "export",
                fx,
                "--format",
                "po",
                "--out",
                content.to_str().expect("utf-8"),
            ],
            "refusing to write inside the content folder",
        ),
        (
            &["export", bare.to_str().expect("utf-8"), "--format", "po"],
            "say where to write with --out D",
        ),
    ];
    for (args, message) in cases {
        let run = helpbook(args);
        assert_eq!(run.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    assert_eq!(
        std::fs::read_dir(tmp.path()).expect("read_dir").count(),
        0,
        "nothing written"
    );
    assert!(!fixture().join("content/zh-CN/zh-CN.po").exists());
}

/// Copies the fixture project into a new temporary folder.
fn fixture_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let src = fixture();
    for entry in walk(&src) {
        let rel = entry.strip_prefix(&src).expect("inside");
        let to = tmp.path().join(rel);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&entry, &to).expect("copy");
    }
    tmp
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read_dir") {
        let path = e.expect("entry").path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn the_default_output_folder_is_export_in_the_project_root() {
    let project = fixture_copy();
    let dir = project.path().to_str().expect("utf-8");
    let run = helpbook(&["export", dir, "--format", "tmx"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for tag in ["ar-SA", "he-IL", "zh-CN"] {
        assert!(
            project.path().join(format!("export/{tag}.tmx")).is_file(),
            "{tag}"
        );
    }
    // Exporting again replaces the files, and the content is left alone.
    let run = helpbook(&["export", dir, "--format", "tmx"]);
    assert!(run.status.success());
    let names: Vec<_> = std::fs::read_dir(project.path().join("export"))
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names.len(), 3, "no temporary files left: {names:?}");
    assert_eq!(
        walk(&project.path().join("content")).len(),
        walk(&fixture().join("content")).len()
    );
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_cannot_lead_the_export_outside_its_folder() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let outside = tmp.path().join("outside");
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&outside).expect("mkdir");
    std::fs::create_dir_all(&out).expect("mkdir");
    std::os::unix::fs::symlink(&outside, out.join("zh-CN")).expect("symlink");
    let fx = fixture();
    let run = helpbook(&[
        "export",
        fx.to_str().expect("utf-8"),
        "--format",
        "po",
        "--per-article",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("resolves outside the output folder"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_dir(&outside).expect("read_dir").count(),
        0,
        "nothing written outside"
    );
}

/// Regression: `--locale` must not change which pairs are stale. The English
/// is rebuilt from every locale even when only one is exported (loading only
/// the chosen locale would rebuild the English from it alone, and every one
/// of its pairs would look current).
#[test]
fn exporting_one_locale_keeps_the_whole_projects_freshness() {
    let (Some(dir), Some(corpus)) = (corpus(), corpus_project()) else {
        return;
    };
    let want = &pairs_of(corpus)["sv-SE"];
    let fuzzy = want
        .iter()
        .filter(|p| p.stale || newline_mismatch(p))
        .count();
    assert!(want.iter().any(|p| p.stale), "sv-SE has stale pairs");
    let out = export_po(&dir, &["--locale", "sv-SE"]);
    let text = std::fs::read_to_string(out.path().join("sv-SE.po")).expect("read");
    assert_eq!(text.matches("\n#, fuzzy\n").count(), fuzzy);
}

/// The PO header names the language as the site does: its configured
/// name where `book.toml` gives one, else its autonym.
#[test]
fn the_po_header_names_the_language_as_the_site_does() {
    let project = fixture_copy();
    let book = project.path().join("book.toml");
    let mut config = std::fs::read_to_string(&book).expect("book.toml");
    config.push_str("\n[languages.he-IL]\nname = \"Hebrew (Israel)\"\n");
    std::fs::write(&book, config).expect("write book.toml");
    let out = export_po(project.path(), &[]);
    let first = |tag: &str| {
        let po = std::fs::read_to_string(out.path().join(format!("{tag}.po"))).expect("read");
        po.lines().next().expect("a first line").to_string()
    };
    assert!(
        first("he-IL").contains("for he-IL (Hebrew (Israel))"),
        "{}",
        first("he-IL")
    );
    assert!(
        first("zh-CN").contains("for zh-CN (中文 (简体))"),
        "{}",
        first("zh-CN")
    );
}
