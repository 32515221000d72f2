//! `helpbook import` on real content: a sample of `../shared/corpus` (every
//! 60th article of zh-CN's list, plus four articles whose translations are
//! outdated, each copied from every locale that has it, so that their
//! English of record is the corpus's), in a temporary folder. Skips when the
//! corpus is absent.
//!
//! - Every pair's byte ranges, on every corpus article: the raw bytes
//!   between the span tags, span tags removed, are the pair's texts.
//! - Importing an unmodified export changes no byte of any file, in each
//!   format.
//! - The round trip in each format, edited by Python's polib or
//!   translate-toolkit: a quarter of the units get a new translation, and
//!   every stale unit is confirmed (PO, XLIFF); the files change only inside
//!   the edited spans; exporting again gives the new texts back, and the
//!   confirmed pairs are current; `check` finds nothing new but, on a
//!   confirmed pair, what comparing its translation with the new English
//!   shows (a link the English now has and the translation does not).
//! - An import killed at any moment leaves every article either as it was
//!   or as the finished import writes it.

use crate::import_support;

use helpbook::parse;
use import_support::{edit_tm, exits, findings, helpbook, read_back, stderr, stdout};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

const LOCALES: [&str; 5] = ["et-EE", "ja-JP", "ro-RO", "sv-SE", "zh-CN"];
const OUTDATED: [&str; 4] = [
    "change-domain-name-letter-case-or-spelling.md",
    "microsoft-lists.md",
    "use-tracking-prevention-edge.md",
    "change-exchange-online-plans.md",
];

fn corpus() -> Option<PathBuf> {
    let dir = import_support::repo().join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: {} is absent", dir.display());
        None
    }
}

/// The article paths of a locale folder (not includes/ or media/), sorted.
fn articles(locale: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(locale)
        .into_iter()
        .filter_entry(|e| e.file_name() != "includes")
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            e.path()
                .strip_prefix(locale)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    out.sort();
    out
}

/// The sample, copied into `dir/content`.
fn sample(corpus: &Path, dir: &Path) -> PathBuf {
    let content = dir.join("content");
    let all = articles(&corpus.join("zh-CN"));
    let mut paths: BTreeSet<String> = all.iter().step_by(60).cloned().collect();
    paths.extend(OUTDATED.iter().map(|p| p.to_string()));
    for locale in LOCALES {
        for path in &paths {
            let from = corpus.join(locale).join(path);
            if from.is_file() {
                let to = content.join(locale).join(path);
                std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
                std::fs::write(&to, std::fs::read(&from).expect("read")).expect("write");
            }
        }
    }
    content
}

fn content(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside");
            (
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}

fn ext(format: &str) -> &str {
    if format == "xliff" {
        "xlf"
    } else {
        format
    }
}

fn export(content: &Path, format: &str, out: &Path) -> Vec<PathBuf> {
    let o = helpbook([
        OsString::from("export"),
        content.into(),
        "--format".into(),
        format.into(),
        "--out".into(),
        out.into(),
    ]);
    exits(&o, 0);
    LOCALES
        .iter()
        .map(|l| out.join(format!("{l}.{}", ext(format))))
        .collect()
}

fn import(content: &Path, files: &[PathBuf]) -> std::process::Output {
    let mut args: Vec<OsString> = vec!["import".into(), content.into()];
    args.extend(files.iter().map(|f| f.as_os_str().to_owned()));
    helpbook(args)
}

#[test]
fn byte_ranges_are_right_on_every_corpus_article() {
    let Some(corpus) = corpus() else { return };
    let mut pairs = 0;
    let mut plain_lookups = 0;
    for locale in LOCALES {
        for path in articles(&corpus.join(locale)) {
            let bytes = std::fs::read(corpus.join(locale).join(&path)).expect("read");
            let a = parse::article(locale, &path, &path, &bytes);
            for s in &a.segments {
                let raw = |r: &std::ops::Range<usize>| {
                    let text = String::from_utf8_lossy(&bytes[r.clone()]).replace("\r\n", "\n");
                    parse::sxs::strip_span_tags(&text)
                };
                assert_eq!(
                    raw(&s.target_bytes),
                    s.target(&a),
                    "{locale}/{path} {}",
                    s.id
                );
                if let Some(r) = &s.source_bytes {
                    assert_eq!(raw(r), s.source(&a), "{locale}/{path} {}", s.id);
                    plain_lookups += 1;
                }
                pairs += 1;
            }
        }
    }
    assert!(pairs > 120_000, "{pairs} pairs");
    eprintln!("{pairs} pairs, {plain_lookups} with a plain sxs-lookup");
    assert!(
        plain_lookups * 1000 >= pairs * 999,
        "{plain_lookups} of {pairs}"
    );
}

#[test]
fn importing_an_unmodified_export_changes_no_byte() {
    let Some(corpus) = corpus() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let content = sample(&corpus, tmp.path());
    let before = self::content(&content);
    for format in ["po", "xliff", "tmx"] {
        let files = export(&content, format, &tmp.path().join(format));
        let o = import(&content, &files);
        exits(&o, 0);
        assert!(stdout(&o).starts_with("0 applied, "), "{}", stdout(&o));
        assert!(
            stdout(&o).contains(" 0 conflicts, 0 unknown"),
            "{}",
            stdout(&o)
        );
        assert!(self::content(&content) == before, "{format}: bytes changed");
    }
}

/// One planned edit of the corpus round trip.
#[derive(Debug, Clone)]
struct Planned {
    target: Option<String>,
    confirm: bool,
}

/// The keys of the stale pairs of a PO export (`#. freshness: stale`).
fn stale_keys(file: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(file).expect("read");
    text.split("\n\n")
        .filter(|entry| entry.contains("\n#. freshness: stale\n"))
        .filter_map(|entry| {
            let line = entry.lines().find(|l| l.starts_with("msgctxt \""))?;
            let raw = line.strip_prefix("msgctxt \"")?.strip_suffix('"')?;
            Some(raw.replace("\\\"", "\"").replace("\\\\", "\\"))
        })
        .collect()
}

fn round_trip(format: &str) {
    let Some(corpus) = corpus() else { return };
    if !import_support::tools_available() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let content = sample(&corpus, tmp.path());
    let before = self::content(&content);
    let checked = findings(&content);
    let files = export(&content, format, &tmp.path().join("tm"));
    // Units, keys and freshness as the PO export has them, for every format.
    let po = export(&content, "po", &tmp.path().join("keys"));

    // A new translation for every fourth unit; every stale unit confirmed
    // (where the format has a state).
    let mut planned: BTreeMap<(String, String), Planned> = BTreeMap::new();
    let mut edited = 0;
    for ((locale, file), keys) in LOCALES.iter().zip(&files).zip(&po) {
        let stale = stale_keys(keys);
        let mut spec = serde_json::Map::new();
        for (i, u) in read_back(keys).into_iter().enumerate() {
            let target = (i % 4 == 0 && !u.target.is_empty()).then(|| format!("✓ {}", u.target));
            let confirm = format != "tmx" && stale.contains(&u.key);
            if target.is_none() && !confirm {
                continue;
            }
            spec.insert(u.key.clone(), json!({"target": target, "confirm": confirm}));
            planned.insert((locale.to_string(), u.key), Planned { target, confirm });
        }
        edited += edit_tm(file, &serde_json::Value::Object(spec));
    }
    assert_eq!(edited, planned.len(), "{format}: every planned unit edited");

    let o = import(&content, &files);
    let err = stderr(&o);
    // The only units not applied: confirmations of English that the English
    // of record no longer has (removed sentences).
    let mut conflicts: BTreeSet<(String, String)> = BTreeSet::new();
    for line in err.lines().filter(|l| !l.starts_with(' ')) {
        let (place, rest) = line
            .split_once(": conflict: ")
            .unwrap_or_else(|| panic!("{err}"));
        assert!(
            rest.contains("confirmed, but the English article has no sentence"),
            "{line}"
        );
        let locale = place
            .rsplit('/')
            .next()
            .and_then(|f| f.split('.').next())
            .expect("file");
        let key = rest.split(" (").next().expect("key");
        conflicts.insert((locale.to_string(), key.to_string()));
    }
    exits(&o, if conflicts.is_empty() { 0 } else { 1 });

    // Only the edited spans changed.
    let after = self::content(&content);
    assert_eq!(after.len(), before.len());
    let mut changed_files = 0;
    let mut confirmed_in: BTreeSet<String> = BTreeSet::new();
    for (name, old) in &before {
        let new = &after[name];
        let (locale, path) = name.split_once('/').expect("locale/path");
        let a = parse::article(locale, path, name, old);
        let b = parse::article(locale, path, name, new);
        assert_eq!(a.segments.len(), b.segments.len(), "{name}");
        let units = helpbook::export::article_units(&a, &[]).units;
        let tables = helpbook::writeback::in_table(&a);
        let eol = if old.windows(2).any(|w| w == b"\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let mut splices: Vec<(std::ops::Range<usize>, Vec<u8>)> = Vec::new();
        for (i, ((sa, sb), unit)) in a.segments.iter().zip(&b.segments).zip(&units).enumerate() {
            let at = (locale.to_string(), unit.key.clone());
            let p = planned.get(&at).filter(|_| !conflicts.contains(&at));
            let Some(p) = p else {
                assert_eq!(
                    (sa.target(&a), sa.source(&a)),
                    (sb.target(&b), sb.source(&b)),
                    "{name}"
                );
                continue;
            };
            if let Some(t) = &p.target {
                let text = helpbook::writeback::escape(t, eol, tables[i]);
                splices.push((sa.target_bytes.clone(), text.into_bytes()));
            }
            if sb.source(&b) != sa.source(&a) {
                assert!(p.confirm, "{name} {}: English changed unasked", unit.key);
                confirmed_in.insert(name.clone());
                let raw = new[sb.source_bytes.clone().expect("plain lookup")].to_vec();
                splices.push((sa.source_bytes.clone().expect("plain lookup"), raw));
            }
        }
        splices.sort_by_key(|s| s.0.start);
        let mut want = Vec::new();
        let mut copied = 0;
        for (r, text) in &splices {
            want.extend_from_slice(&old[copied..r.start]);
            want.extend_from_slice(text);
            copied = r.end;
        }
        want.extend_from_slice(&old[copied..]);
        assert!(
            &want == new,
            "{format}: {name} changed outside the edited spans"
        );
        changed_files += usize::from(old != new);
    }
    assert!(
        changed_files > 20,
        "{format}: {changed_files} files changed"
    );

    // Export again: the new translations come back; confirmed pairs are current.
    let again = export(&content, "po", &tmp.path().join("again"));
    let mut confirmed = 0;
    for (locale, file) in LOCALES.iter().zip(&again) {
        let stale = stale_keys(file);
        for u in read_back(file) {
            let at = (locale.to_string(), u.key.clone());
            let Some(p) = planned.get(&at).filter(|_| !conflicts.contains(&at)) else {
                continue;
            };
            if let Some(t) = &p.target {
                assert_eq!(&u.target, t, "{format}: {locale} {}", u.key);
            }
            if p.confirm {
                assert!(
                    !stale.contains(&u.key),
                    "{format}: {locale} {} is current",
                    u.key
                );
                confirmed += 1;
            }
        }
    }
    if format != "tmx" {
        assert!(confirmed > 30, "{format}: {confirmed} confirmed");
    }

    // Check finds nothing new, but for what a confirmed pair shows: its
    // translation compared with the new English (links, emphasis).
    let now = findings(&content);
    let more = import_support::more_findings(&checked, &now);
    for (file, lint, was, is) in &more {
        let name = file.rsplit("content/").next().unwrap_or_default();
        assert!(
            lint.starts_with("markup::") && confirmed_in.contains(name),
            "{format}: {file}: {lint} {was} → {is}"
        );
    }
    eprintln!(
        "{format}: {} units edited, {changed_files} files changed, {confirmed} confirmed, \
         {} conflicts; check: {} (file, lint) counts up, all on confirmed pairs: {:?}",
        planned.len(),
        conflicts.len(),
        more.len(),
        more.iter().map(|m| m.1.as_str()).collect::<BTreeSet<_>>()
    );
}

#[test]
fn round_trip_po_on_the_corpus() {
    round_trip("po");
}

#[test]
fn round_trip_xliff_on_the_corpus() {
    round_trip("xliff");
}

#[test]
fn round_trip_tmx_on_the_corpus() {
    round_trip("tmx");
}

/// The sample, an edited PO export, the bytes a finished import leaves, and
/// the same import killed (SIGKILL) at eight moments through its run.
#[test]
fn an_interrupted_import_leaves_every_file_old_or_new() {
    let Some(corpus) = corpus() else { return };
    if !import_support::tools_available() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let original = sample(&corpus, &tmp.path().join("original"));
    let files = export(&original, "po", &tmp.path().join("tm"));
    for file in &files {
        let mut spec = serde_json::Map::new();
        for (i, u) in read_back(file).into_iter().enumerate() {
            if i % 2 == 0 && !u.target.is_empty() {
                spec.insert(
                    u.key,
                    json!({"target": format!("✓ {}", u.target), "confirm": false}),
                );
            }
        }
        edit_tm(file, &serde_json::Value::Object(spec));
    }
    let old = self::content(&original);

    // A finished import, timed.
    let done = tmp.path().join("done");
    import_support::copy_writable(&original, &done);
    let started = std::time::Instant::now();
    exits(&import(&done, &files), 0);
    let took = started.elapsed();
    let new = self::content(&done);
    let changed = old.iter().filter(|(k, v)| new[*k] != **v).count();
    assert!(changed > 100, "{changed} files change");

    // Killed at eight moments through the same import.
    let mut seen_new = Vec::new();
    for k in 1..=8u32 {
        let dir = tmp.path().join(format!("killed-{k}"));
        import_support::copy_writable(&original, &dir);
        let mut args: Vec<OsString> = vec!["import".into(), dir.clone().into()];
        args.extend(files.iter().map(|f| f.as_os_str().to_owned()));
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_helpbook"))
            .env_clear()
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(took * k / 8);
        let _ = child.kill();
        let _ = child.wait();
        let now = self::content(&dir);
        let mut as_new = 0;
        for (name, bytes) in &old {
            let Some(got) = now.get(name) else {
                panic!("killed at {k}/8: {name} is gone");
            };
            assert!(
                got == bytes || *got == new[name],
                "killed at {k}/8: {name} is neither the old file nor the new one"
            );
            as_new += usize::from(got != bytes);
        }
        let stray = now.keys().filter(|k| k.ends_with(".tmp")).count();
        seen_new.push((as_new, stray));
    }
    eprintln!(
        "import took {took:?}; (files new, temporary files left) when killed at k/8: \
         {seen_new:?}, of {changed} files"
    );
}
