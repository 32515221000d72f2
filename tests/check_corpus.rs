//! `check` over the real corpus (`../shared/corpus`; each test returns early,
//! saying why, when it is absent). Properties that hold on all 14,500
//! articles, and counts compared with independent plain-text counts.

use crate::support;
use crate::support::{copy_tree, corpus};
use helpbook::check;
use helpbook::config::Config;
use helpbook::diag::Finding;
use helpbook::pipeline::Model;
use helpbook::theme::Theme;
use helpbook::timing::Stages;
use std::collections::BTreeMap;
use std::sync::OnceLock;

struct Checked {
    model: &'static Model,
    findings: Vec<Finding>,
}

/// The corpus (the test binary's shared model) checked once for all tests,
/// snippets attached.
fn checked() -> Option<&'static Checked> {
    static CHECKED: OnceLock<Option<Checked>> = OnceLock::new();
    CHECKED
        .get_or_init(|| {
            let model = support::corpus_model()?;
            Some(Checked {
                model,
                findings: check_on(model, &[]),
            })
        })
        .as_ref()
}

/// The findings `helpbook check --locale L…` reports on `model`.
fn check_on(model: &Model, locales: &[String]) -> Vec<Finding> {
    let config = model.config();
    let theme = Theme::load(&config.root, &config.theme).expect("theme");
    let mut findings =
        helpbook::pipeline::check_model(model, &theme, locales, false, &Stages::default())
            .expect("checks");
    check::snippets::attach(&mut findings, |f| std::fs::read(f).ok());
    findings
}

fn per_locale(findings: &[Finding], lint: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for f in findings.iter().filter(|f| f.lint == lint) {
        *out.entry(f.locale.as_deref().unwrap_or("-").to_string())
            .or_insert(0) += 1;
    }
    out
}

/// Every link finding points at the link's `[` (or `!`/`<`), or at the start
/// of the pair (`<span`) that holds it: the target-to-file mapping is exact
/// on real content.
#[test]
fn link_findings_point_at_their_links() {
    let Some(c) = checked() else { return };
    let mut seen = 0;
    for f in c.findings.iter().filter(|f| f.lint.starts_with("link::")) {
        // The line, or the window of a long line kept around the column.
        let (line, from) = f.snippet.as_ref().map_or(("", 1), |s| (&*s.text, s.column));
        let rest: String = line.chars().skip(f.column - from).collect();
        assert!(
            rest.starts_with('[')
                || rest.starts_with("![")
                || rest.starts_with("<span data-ttu-id"),
            "{}:{}:{} points at {:?}",
            f.file,
            f.line,
            f.column,
            rest.chars().take(30).collect::<String>()
        );
        seen += 1;
    }
    assert!(seen > 1000, "the corpus has root-relative links ({seen})");
}

/// `markup::empty-link-text` against a plain count: pairs whose translation
/// holds more `[](` than their English.
#[test]
fn empty_link_text_matches_a_plain_count() {
    let Some(c) = checked() else { return };
    let mut plain = BTreeMap::new();
    for locale in &c.model.project.locales {
        let n = locale
            .articles
            .iter()
            .flat_map(|a| a.segments.iter().map(move |s| (s.target(a), s.source(a))))
            .filter(|(t, s)| t.matches("[](").count() > s.matches("[](").count())
            .count();
        if n > 0 {
            plain.insert(locale.tag.clone(), n);
        }
    }
    assert!(!plain.is_empty());
    assert_eq!(per_locale(&c.findings, "markup::empty-link-text"), plain);
}

/// `segment::untranslated` and `article::outdated` agree with `status`.
#[test]
fn freshness_agrees_with_status() {
    let Some(c) = checked() else { return };
    let report = helpbook::status::Report::new(c.model, &[], &c.findings);
    let untranslated = per_locale(&c.findings, "segment::untranslated");
    let outdated = per_locale(&c.findings, "article::outdated");
    // An expectation of its own, from the pairs' text: a translation that
    // is its English byte for byte, with letters and no link, is
    // untranslated; one whose words differ is not.
    for locale in &c.model.project.locales {
        let pairs = || {
            locale
                .articles
                .iter()
                .flat_map(|a| a.segments.iter().map(move |s| (s.target(a), s.source(a))))
        };
        let surely = pairs()
            .filter(|(t, s)| t == s && !s.contains('(') && s.chars().any(char::is_alphabetic))
            .count();
        let at_most = pairs()
            .filter(|(t, s)| t.split_whitespace().eq(s.split_whitespace()))
            .count();
        let found = untranslated.get(&locale.tag).copied().unwrap_or(0);
        assert!(
            (surely..=at_most).contains(&found),
            "{}: {found} untranslated, expected {surely}..={at_most}",
            locale.tag
        );
    }
    assert!(
        untranslated.values().sum::<usize>() > 100,
        "{untranslated:?}"
    );
    assert!(outdated.values().sum::<usize>() > 0, "{outdated:?}");
    for s in &report.locales {
        assert_eq!(
            untranslated.get(&s.locale).copied().unwrap_or(0),
            s.untranslated_segments
        );
        assert_eq!(
            outdated.get(&s.locale).copied().unwrap_or(0),
            s.outdated_articles
        );
    }
}

/// `--locale zh-CN` reports exactly the zh-CN findings of a full run: the
/// English is rebuilt from every locale either way.
#[test]
fn one_locale_equals_its_share_of_all() {
    let Some(c) = checked() else {
        return;
    };
    let only = check_on(c.model, &["zh-cn".to_string()]);
    let share: Vec<&Finding> = c
        .findings
        .iter()
        .filter(|f| f.locale.as_deref() == Some("zh-CN"))
        .collect();
    assert!(!share.is_empty());
    assert_eq!(only.iter().collect::<Vec<_>>(), share);
}

/// No tuning to the five locales: the zh-CN folder checked under a tag no
/// code has seen (`zu-ZA`, which sorts in the same place) gives the same
/// counts for every lint, except the locale mismatch its front matter now has,
/// and the one note that the theme has no UI strings for Zulu.
#[test]
fn an_unseen_locale_tag_gives_the_same_counts() {
    let (Some(c), Some(dir)) = (checked(), corpus()) else {
        return;
    };
    // Copied, not linked: links out of the content folder are not followed.
    let tmp = tempfile::tempdir().expect("tempdir");
    for locale in &c.model.project.locales {
        let tag = if locale.tag == "zh-CN" {
            "zu-ZA"
        } else {
            &locale.tag
        };
        copy_tree(&dir.join(&locale.tag), &tmp.path().join(tag));
    }
    let config = Config::load(tmp.path()).expect("config");
    let renamed = check_on(&Model::load(config).expect("corpus loads"), &[]);
    let mut by_lint: BTreeMap<(&str, String), usize> = BTreeMap::new();
    for f in &c.findings {
        let loc = f.locale.as_deref().unwrap_or("-").replace("zh-CN", "zu-ZA");
        *by_lint.entry((f.lint, loc)).or_insert(0) += 1;
    }
    let mut renamed_by_lint: BTreeMap<(&str, String), usize> = BTreeMap::new();
    for f in &renamed {
        let new_here = ["article::locale-mismatch", "theme::no-strings"];
        if new_here.contains(&f.lint) && f.locale.as_deref() == Some("zu-ZA") {
            continue;
        }
        let loc = f.locale.as_deref().unwrap_or("-").to_string();
        *renamed_by_lint.entry((f.lint, loc)).or_insert(0) += 1;
    }
    assert_eq!(renamed_by_lint, by_lint);
    let no_strings: Vec<_> = renamed
        .iter()
        .filter(|f| f.lint == "theme::no-strings")
        .map(|f| f.locale.as_deref().unwrap_or("-"))
        .collect();
    assert_eq!(no_strings, ["zu-ZA"]);
    let mismatches = renamed
        .iter()
        .filter(|f| f.lint == "article::locale-mismatch")
        .count();
    assert!(
        mismatches > 2000,
        "zh-CN articles declare ms.contentlocale: zh-cn"
    );
}

/// A site that keeps nothing.
struct Discard;

impl helpbook::write::Sink for Discard {
    fn put_bytes(&self, _rel: &str, _bytes: &[u8]) -> anyhow::Result<()> {
        Ok(())
    }
}

/// On the corpus, every command reports from the same pipeline: `build`'s
/// findings are `check`'s, `status` counts them per lint and agrees with
/// `export` on which pairs are stale.
#[test]
fn build_check_status_and_export_agree() {
    let Some(c) = checked() else {
        return;
    };
    let config = c.model.config();
    let theme = Theme::load(&config.root, &config.theme).expect("theme");
    // Every page is rendered as `build` renders it and handed to a sink
    // that drops it: the findings are what is compared, and writing the
    // corpus's 50,000 files would add time, not findings.
    let out = helpbook::pipeline::Output::Site {
        theme: &theme,
        sink: &Discard,
        media: None,
    };
    let built = helpbook::pipeline::run(c.model, &theme, &[], out, false, &Stages::default())
        .expect("builds");
    let key = |f: &Finding| {
        (
            f.lint,
            f.file.clone(),
            f.line,
            f.column,
            f.message.clone(),
            f.level,
        )
    };
    let from_build: Vec<_> = built.findings.iter().map(key).collect();
    let from_check: Vec<_> = c.findings.iter().map(key).collect();
    assert_eq!(from_build.len(), from_check.len());
    assert!(
        from_build == from_check,
        "build and check report different findings"
    );
    assert!(from_check.len() > 4000);

    let report = helpbook::status::Report::new(c.model, &[], &c.findings);
    let mut per_lint: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &c.findings {
        *per_lint.entry(f.lint).or_insert(0) += 1;
    }
    assert_eq!(report.findings, per_lint);

    let mut locales = report.locales.iter();
    helpbook::export::each(
        c.model,
        &[],
        &helpbook::timing::Stages::default(),
        |locale| {
            let status = locales.next().expect("a status line for each locale");
            assert_eq!(locale.tag, status.locale);
            let stale = locale
                .articles
                .iter()
                .flat_map(|a| &a.units)
                .filter(|u| u.state == helpbook::pair::SegmentState::Stale)
                .count();
            assert_eq!(stale, status.stale_segments, "{}", status.locale);
            Ok(())
        },
    )
    .expect("units");
}

/// At a dozen languages and more, the summary table `check` (and `build`)
/// prints gives each lint its total and the locales with the most findings
/// instead of a column per locale, so that it stays within 100 columns in
/// a CI log; its figures are the JSON summary's. On a corpus slice fanned
/// out to 14 locale tags, as the scale bench does.
#[test]
fn the_summary_table_stays_narrow_at_many_languages() {
    let further = [
        ("zh-TW", "zh-CN"),
        ("zh-HK", "zh-CN"),
        ("zh-SG", "zh-CN"),
        ("ko-KR", "zh-CN"),
        ("th-TH", "zh-CN"),
        ("vi-VN", "zh-CN"),
        ("de-DE", "ja-JP"),
        ("fr-FR", "ja-JP"),
        ("es-ES", "ja-JP"),
        ("it-IT", "ja-JP"),
        ("pt-BR", "ja-JP"),
        ("nl-NL", "ja-JP"),
    ];
    let Some(project) = support::fanned_slice(&["zh-CN", "ja-JP"], &further, 250) else {
        return;
    };
    let check = |args: &[&str]| {
        let mut cmd = support::helpbook(project.root());
        cmd.arg("check").args(args);
        let out = support::run(cmd);
        assert_ne!(
            out.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let human = check(&["--color", "never"]);
    let json: serde_json::Value =
        serde_json::from_str(&check(&["--format", "json"])).expect("JSON");

    let start = human
        .lines()
        .position(|l| l.starts_with("lint ") && l.ends_with("most in"))
        .unwrap_or_else(|| panic!("a narrow summary table:\n{human}"));
    let table: Vec<&str> = human
        .lines()
        .skip(start)
        .take_while(|l| !l.is_empty())
        .collect();
    for line in &table {
        assert!(line.chars().count() <= 100, "too wide: {line}");
    }
    assert_eq!(
        table.last().copied(),
        Some("(14 locales: `helpbook check --format json` counts each lint in every one)")
    );
    let lints = json["summary"]["lints"].as_array().expect("lints");
    assert_eq!(
        table.len(),
        lints.len() + 2,
        "a row per lint:\n{}",
        table.join("\n")
    );
    for (row, lint) in table[1..].iter().zip(lints) {
        let cells: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(cells[0], lint["lint"], "{row}");
        assert_eq!(cells[2], lint["total"].to_string(), "{row}");
        // Each locale named has its JSON count, and none has more than
        // the least of them.
        let counts = lint["locales"].as_object().expect("per locale");
        let most_in = row.split_once(&format!(" {} ", cells[2])).expect("total").1;
        let mut least = u64::MAX;
        let mut named = Vec::new();
        for shown in most_in
            .trim()
            .split(", ")
            .filter(|n| !n.starts_with("and "))
        {
            let (tag, n) = shown.split_once(' ').expect("tag and count");
            assert_eq!(counts[tag].to_string(), n, "{row}");
            least = least.min(n.parse().expect("a count"));
            named.push(tag);
        }
        for (tag, n) in counts.iter().filter(|(t, _)| !named.contains(&t.as_str())) {
            assert!(
                n.as_u64().expect("a count") <= least,
                "{tag} {n} left out of: {row}"
            );
        }
        let more = counts.len() - named.len();
        if more > 0 {
            assert!(row.ends_with(&format!("and {more} more")), "{row}");
        }
    }
}
