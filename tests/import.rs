//! `helpbook import` on the fixture `tests/fixtures/import/tricky` (CJK,
//! right-to-left text, quotes, `&`, `<`, line breaks, a table cell, a stale
//! pair; zh-CN/a.md made a CR LF file with a byte-order mark):
//!
//! - the round trip in each format: `export` → edit with Python's polib or
//!   translate-toolkit (which also rewrap, reorder, add notes, properties
//!   and obsolete entries) → `import` → the files differ from the originals
//!   exactly in the edited spans (compared with bytes spliced in by this
//!   test, found by plain text search, not by helpbook's parser); `export`
//!   again gives the edited text back; `check` finds nothing new;
//! - a conflict (the English changed since the export), unknown units, the
//!   `--dry-run` diff (a snapshot), and input that cannot be read (exit 2,
//!   `file:line:column`, nothing written).

use crate::import_support;

use import_support::{
    copy_writable, edit_tm, exits, findings, helpbook, read_back, stderr, stdout,
};
use serde_json::json;
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A copy of the fixture in a temporary folder, zh-CN/a.md in CR LF with a BOM.
fn setup() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let project = tmp.path().join("project");
    copy_writable(
        &import_support::repo().join("tests/fixtures/import/tricky"),
        &project,
    );
    let zh = project.join("content/zh-CN/a.md");
    let text = std::fs::read_to_string(&zh).expect("read");
    let mut bytes = BOM.to_vec();
    bytes.extend(text.replace('\n', "\r\n").into_bytes());
    std::fs::write(&zh, bytes).expect("write");
    (tmp, project)
}

fn content(project: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(project.join("content"))
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(project).expect("inside");
            (
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}

/// `helpbook export PROJECT --format F --out OUT`; the files by locale.
fn export(project: &Path, format: &str, out: &Path) -> BTreeMap<String, PathBuf> {
    let o = helpbook([
        OsString::from("export"),
        project.into(),
        "--format".into(),
        format.into(),
        "--out".into(),
        out.into(),
    ]);
    exits(&o, 0);
    let ext = match format {
        "xliff" => "xlf",
        other => other,
    };
    ["ar-SA", "he-IL", "ja-JP", "zh-CN"]
        .iter()
        .map(|l| (l.to_string(), out.join(format!("{l}.{ext}"))))
        .collect()
}

fn import(project: &Path, files: &[&Path], extra: &[&str]) -> std::process::Output {
    let mut args: Vec<OsString> = vec!["import".into(), project.into()];
    args.extend(files.iter().map(|f| f.as_os_str().to_owned()));
    args.extend(extra.iter().map(OsString::from));
    helpbook(args)
}

/// Replaces the content of the span that follows `marker` (up to the next
/// `</span>`) with `new`: a plain text search, independent of the scanner.
fn splice(bytes: &[u8], marker: &str, new: &str) -> Vec<u8> {
    let text = std::str::from_utf8(bytes).expect("utf-8");
    let start = text.find(marker).unwrap_or_else(|| panic!("{marker}")) + marker.len();
    let end = start + text[start..].find("</span>").expect("closed");
    [&bytes[..start], new.as_bytes(), &bytes[end..]].concat()
}

/// One edit of the round trip: the unit, the text a translator types, and
/// what the file must hold afterwards between the span tags (LF; the test
/// uses the file's own line ending).
struct Case {
    locale: &'static str,
    path: &'static str,
    id: &'static str,
    typed: Option<&'static str>,
    confirm: bool,
    written: Option<&'static str>,
    /// The English written into the sxs-lookup, when the unit confirms a
    /// stale pair.
    english: Option<&'static str>,
}

const NEW_ENGLISH: &str = "A new sentence,\n  in its place.";

fn cases() -> Vec<Case> {
    let c = |locale, path, id, typed, written| Case {
        locale,
        path,
        id,
        typed: Some(typed),
        confirm: false,
        written: Some(written),
        english: None,
    };
    vec![
        c(
            "zh-CN",
            "a.md",
            "a1-101",
            "欢迎 & <你> “引号”",
            "欢迎 & <你> “引号”",
        ),
        c(
            "zh-CN",
            "a.md",
            "a1-102",
            "说 </span><span class=\"x\">你好 & <!-- 注释 -->",
            "说 &lt;/span>&lt;span class=\"x\">你好 & &lt;!-- 注释 -->",
        ),
        c(
            "zh-CN",
            "a.md",
            "a1-103",
            "第一行，\n  新的第二行 'x'。",
            "第一行，\n  新的第二行 'x'。",
        ),
        Case {
            confirm: true,
            english: Some(NEW_ENGLISH),
            ..c("zh-CN", "a.md", "a1-104", "新句子。", "新句子。")
        },
        c(
            "zh-CN",
            "a.md",
            "a1-107",
            "单元格 | 管道",
            "单元格 \\| 管道",
        ),
        c(
            "he-IL",
            "a.md",
            "c3-102",
            "אמרו \"שָׁלוֹם\" & <b>עולם</b>",
            "אמרו \"שָׁלוֹם\" & <b>עולם</b>",
        ),
        // Keep the translation: only the English is brought up to date.
        Case {
            locale: "he-IL",
            path: "a.md",
            id: "c3-104",
            typed: None,
            confirm: true,
            written: None,
            english: Some(NEW_ENGLISH),
        },
        c(
            "ar-SA",
            "b.md",
            "d4-102",
            "انقر **موافق** & تابع <مرة>.",
            "انقر **موافق** & تابع <مرة>.",
        ),
    ]
}

fn round_trip(format: &str) {
    if !import_support::tools_available() {
        return;
    }
    let confirms = format != "tmx";
    let (tmp, project) = setup();
    let before = content(&project);
    let checked = findings(&project);
    let files = export(&project, format, &tmp.path().join("tm"));

    // Edit each locale's file with the outside tool.
    let cases = cases();
    for (locale, file) in &files {
        let edits: serde_json::Map<String, serde_json::Value> = cases
            .iter()
            .filter(|c| c.locale == *locale)
            .map(|c| {
                let key = import_support::key(c.path, c.id);
                (key, json!({"target": c.typed, "confirm": c.confirm}))
            })
            .collect();
        let n = edit_tm(file, &serde_json::Value::Object(edits.clone()));
        assert_eq!(n, edits.len(), "{}", file.display());
    }
    let all: Vec<&Path> = files.values().map(PathBuf::as_path).collect();
    let o = import(&project, &all, &[]);
    exits(&o, 0);
    let applied = cases
        .iter()
        .filter(|c| c.typed.is_some() || (confirms && c.confirm))
        .count();
    assert!(
        stdout(&o).starts_with(&format!("{applied} applied, ")),
        "{}",
        stdout(&o)
    );

    // The files differ exactly in the edited spans.
    let mut want = before.clone();
    for c in &cases {
        let name = format!("content/{}/{}", c.locale, c.path);
        let bytes = want.get_mut(&name).expect("file");
        let eol = if bytes.starts_with(BOM) { "\r\n" } else { "\n" };
        if let Some(w) = c.written {
            let marker = format!("data-ttu-id=\"{}\">", c.id);
            *bytes = splice(bytes, &marker, &w.replace('\n', eol));
        }
        if let (Some(e), true) = (c.english, confirms) {
            let marker = format!("data-stu-id=\"{}\">", c.id);
            *bytes = splice(bytes, &marker, &e.replace('\n', eol));
        }
    }
    let after = content(&project);
    for (name, bytes) in &want {
        assert!(
            after.get(name) == Some(bytes),
            "{format}: {name} is not the original with the edited spans replaced:\n{}",
            String::from_utf8_lossy(after.get(name).map_or(&[][..], |b| b))
        );
    }
    assert_eq!(after.len(), want.len(), "no file added or removed");
    assert!(
        after["content/zh-CN/a.md"].starts_with(BOM),
        "the BOM stays"
    );

    // Export again: the edited texts come back.
    let again = export(&project, format, &tmp.path().join("tm2"));
    for c in &cases {
        let units = read_back(&again[c.locale]);
        let key = import_support::key(c.path, c.id);
        let unit = units
            .iter()
            .find(|u| u.key == key || format == "xliff" && u.key == c.id)
            .unwrap_or_else(|| panic!("{format}: {key} in the new export"));
        if let Some(w) = c.written {
            assert_eq!(unit.target, w, "{format}: {key}");
        }
        if let (Some(e), true) = (c.english, confirms) {
            assert_eq!(unit.source, e, "{format}: {key}");
            assert!(!unit.fuzzy, "{format}: {key} is current now");
        }
    }

    // Check finds nothing new (and, where a stale pair was confirmed, less).
    let now = findings(&project);
    let more = import_support::more_findings(&checked, &now);
    assert!(more.is_empty(), "{format}: new findings: {more:#?}");
    let stale = |f: &std::collections::BTreeSet<(String, String, String)>| {
        f.iter()
            .filter(|(_, lint, _)| lint == "segment::stale")
            .count()
    };
    assert_eq!(stale(&checked), 2);
    assert_eq!(stale(&now), if confirms { 0 } else { 2 }, "{format}");

    // Importing the same files again changes nothing more: every unit is
    // unchanged or, where the English was brought up to date, a conflict
    // (the file moved on since that export).
    let twice = import(&project, &all, &[]);
    assert!(
        stdout(&twice).starts_with("0 applied"),
        "{}",
        stdout(&twice)
    );
    assert_eq!(content(&project), after);
}

#[test]
fn round_trip_po_with_polib() {
    round_trip("po");
}

#[test]
fn round_trip_xliff_with_translate_toolkit() {
    round_trip("xliff");
}

#[test]
fn round_trip_tmx_with_translate_toolkit() {
    round_trip("tmx");
}

/// Writes `text` as a file in `dir` and returns its path.
fn file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn a_pair_whose_english_changed_is_a_conflict_with_both_texts() {
    let (tmp, project) = setup();
    let files = export(&project, "po", &tmp.path().join("tm"));
    let po = std::fs::read_to_string(&files["he-IL"]).expect("read");
    let po = po.replace("msgstr \"ברוכים הבאים\"", "msgstr \"שלום\"");
    let po = po.replace(
        "msgstr \"אמרו \\\"שָׁלוֹם\\\" & <נפנוף>\"",
        "msgstr \"אמרו שלום\"",
    );
    let edited = file(tmp.path(), "he-IL.po", &po);
    // Meanwhile the article's English for one of the two pairs changed.
    let article = project.join("content/he-IL/a.md");
    let text = std::fs::read_to_string(&article).expect("read");
    std::fs::write(&article, text.replace(">Welcome<", ">Welcome back<")).expect("write");
    let moved_on = content(&project);

    let o = import(&project, &[&edited], &[]);
    exits(&o, 1);
    let err = stderr(&o);
    assert!(
        err.contains("he-IL.po:")
            && err.contains(": conflict: a.md#c3-101 (")
            && err.contains("content/he-IL/a.md:7:25)")
            && err.contains("exported: \"Welcome\"")
            && err.contains("now:      \"Welcome back\""),
        "{err}"
    );
    assert!(
        stdout(&o).starts_with("1 applied, 2 unchanged, 1 conflict, 0 unknown"),
        "{}",
        stdout(&o)
    );
    // The other unit was applied; the conflicting pair kept its text.
    let now = content(&project);
    let he = String::from_utf8_lossy(&now["content/he-IL/a.md"]).into_owned();
    assert!(
        he.contains(">אמרו שלום<") && he.contains(">ברוכים הבאים<"),
        "{he}"
    );
    assert_eq!(now.len(), moved_on.len());
}

#[test]
fn units_naming_no_article_or_pair_are_unknown() {
    let (tmp, project) = setup();
    let files = export(&project, "po", &tmp.path().join("tm"));
    let mut po = std::fs::read_to_string(&files["ar-SA"]).expect("read");
    po.push_str("\nmsgctxt \"gone.md#x-1\"\nmsgid \"Gone\"\nmsgstr \"ذهب\"\n");
    po.push_str("\nmsgctxt \"b.md#d4-999\"\nmsgid \"Hello\"\nmsgstr \"أهلا\"\n");
    let edited = file(tmp.path(), "ar-SA.po", &po);
    let line = |ctxt: &str| po.lines().position(|l| l == ctxt).expect("line") + 1;
    let (gone, missing) = (
        line("msgctxt \"gone.md#x-1\""),
        line("msgctxt \"b.md#d4-999\""),
    );
    let before = content(&project);
    let o = import(&project, &[&edited], &[]);
    exits(&o, 1);
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "ar-SA.po:{gone}: unknown unit gone.md#x-1: ar-SA has no article `gone.md`"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("ar-SA.po:{missing}: unknown unit b.md#d4-999:"))
            && err.contains("content/ar-SA/b.md has no pair `d4-999`"),
        "{err}"
    );
    assert!(stdout(&o).starts_with("0 applied, 2 unchanged, 0 conflicts, 2 unknown"));
    assert_eq!(content(&project), before);
}

#[test]
fn dry_run_prints_a_diff_and_writes_nothing() {
    let (tmp, project) = setup();
    let files = export(&project, "po", &tmp.path().join("tm"));
    let po = std::fs::read_to_string(&files["he-IL"]).expect("read");
    let po = po.replace(
        "msgstr \"ברוכים הבאים\"",
        "msgstr \"ברוכים הבאים & <שלום>\"",
    );
    let po = po.replace("#, fuzzy\n", "");
    let edited = file(tmp.path(), "he-IL.po", &po);
    let before = content(&project);
    let o = import(&project, &[&edited], &["--dry-run"]);
    exits(&o, 0);
    assert_eq!(content(&project), before, "nothing written");
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn unreadable_input_stops_everything_with_its_place() {
    let (tmp, project) = setup();
    let files = export(&project, "po", &tmp.path().join("tm"));
    // A good file with an edit, given with each broken one: nothing is written.
    let good_text = std::fs::read_to_string(&files["ar-SA"])
        .expect("read")
        .replace("msgstr \"مرحبا\"", "msgstr \"أهلا\"");
    let good = file(tmp.path(), "good.po", &good_text);
    let po = std::fs::read_to_string(&files["he-IL"]).expect("read");
    let broken = [
        (
            file(
                tmp.path(),
                "he-IL.po",
                &po.replacen("msgid \"Welcome\"", "msgid \"Welcome\\q\"", 1),
            ),
            "he-IL.po:",
            "the escape `\\q` is not supported",
        ),
        (
            file(
                tmp.path(),
                "bad.xlf",
                "<?xml version=\"1.0\"?>\n<xliff version=\"2.0\" trgLang=\"he-IL\">\n  <file original=\"a.md\">\n  </unit>\n</xliff>\n",
            ),
            "bad.xlf:4:",
            "",
        ),
        (
            file(
                tmp.path(),
                "bad.tmx",
                "<tmx version=\"1.4\">\n<header srclang=\"en-US\"/>\n<body>\n<tu><tuv xml:lang=\"he-IL\"><seg>x</seg></tuv></tu>\n</body></tmx>\n",
            ),
            "bad.tmx:4:1: this <tu> has no <tuv> in the source language",
            "",
        ),
        (file(tmp.path(), "notes.txt", "x"), "notes.txt: cannot tell the format", ""),
    ];
    let before = content(&project);
    for (bad, place, says) in &broken {
        let o = import(&project, &[&good, bad], &[]);
        exits(&o, 2);
        let err = stderr(&o);
        assert!(err.contains(place) && err.contains(says), "{err}");
        assert!(err.contains("nothing was imported"), "{err}");
        assert_eq!(content(&project), before, "{}", bad.display());
    }
    // The line of the PO error is the line of the bad string.
    let line = po
        .lines()
        .position(|l| l == "msgid \"Welcome\"")
        .expect("line")
        + 1;
    let o = import(&project, &[&broken[0].0], &[]);
    assert!(
        stderr(&o).contains(&format!("he-IL.po:{line}:15: the escape")),
        "{}",
        stderr(&o)
    );
    // And the good file alone goes in.
    exits(&import(&project, &[&good], &[]), 0);
    assert_ne!(content(&project), before);
}

#[test]
fn an_edit_the_writer_refuses_leaves_the_others_of_its_article() {
    let (tmp, project) = setup();
    let files = export(&project, "po", &tmp.path().join("tm"));
    let po = std::fs::read_to_string(&files["he-IL"]).expect("read");
    // A line break in the heading would end the heading: refused. The
    // other edit of the same article goes in.
    let po = po.replace(
        "msgstr \"ברוכים הבאים\"",
        "msgstr \"\"\n\"ברוכים\\n\"\n\"הבאים\"",
    );
    let po = po.replace(
        "msgstr \"אמרו \\\"שָׁלוֹם\\\" & <נפנוף>\"",
        "msgstr \"אמרו שלום\"",
    );
    let edited = file(tmp.path(), "he-IL.po", &po);
    let o = import(&project, &[&edited], &[]);
    exits(&o, 1);
    let err = stderr(&o);
    assert!(
        err.contains(": conflict: a.md#c3-101 (")
            && err.contains(
                "the new text of pair `c3-101` at 7:25 would change how the file is read"
            )
            && err.contains("Markdown blocks"),
        "{err}"
    );
    assert!(!err.contains("c3-102"), "{err}");
    assert!(
        stdout(&o).starts_with("1 applied, 2 unchanged, 1 conflict"),
        "{}",
        stdout(&o)
    );
    let he = String::from_utf8(content(&project)["content/he-IL/a.md"].clone()).expect("utf-8");
    assert!(
        he.contains(">אמרו שלום<") && he.contains(">ברוכים הבאים<"),
        "{he}"
    );
}
