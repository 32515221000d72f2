//! Languages that share a name in themselves (pt-BR and pt-PT are both
//! "Português"; zh-CN and zh-SG both "中文 (简体)") are told apart by their
//! region wherever the site names them: the root index, the language
//! chooser, the status page and `helpbook status`; and a `--locale` shard
//! names them as the whole build does. Built from a slice of the real
//! corpus fanned out to further tags, as the scale bench does (skipping,
//! saying why, when the corpus is absent).

use crate::support;

use support::{helpbook, run};

/// Every `EVERY`-th corpus article: a dozen per language.
const EVERY: usize = 250;

#[test]
fn languages_that_share_a_name_are_told_apart_by_region() {
    let further = [
        ("zh-SG", "zh-CN"),
        ("zh-TW", "zh-CN"),
        ("zh-HK", "zh-CN"),
        ("pt-BR", "ro-RO"),
        ("pt-PT", "ro-RO"),
    ];
    let Some(project) = support::fanned_slice(&["zh-CN", "ro-RO"], &further, EVERY) else {
        return;
    };
    let whole = project.build_with(&["--dest", "whole"]).success();
    let expected = [
        ("en-US", "English"),
        ("pt-BR", "Português (Brasil)"),
        ("pt-PT", "Português (Portugal)"),
        ("ro-RO", "Română"),
        ("zh-CN", "中文 (简体, 中国)"),
        ("zh-HK", "中文 (繁體, 香港)"),
        ("zh-SG", "中文 (简体, 新加坡)"),
        ("zh-TW", "中文 (繁體, 台灣)"),
    ];
    let named = |page: &support::Page, css: &str| -> Vec<(String, String)> {
        page.all(css)
            .iter()
            .map(|a| {
                let tag = a.value().attr("hreflang").expect("hreflang").to_string();
                (tag, support::text(a))
            })
            .collect()
    };
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(t, n)| (t.to_string(), n.to_string()))
        .collect();
    assert_eq!(named(&whole.html("index.html"), "a[hreflang]"), expected);

    // The chooser of an article every language has.
    let article = std::fs::read_dir(whole.site.join("languages"))
        .expect("the language chooser")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .find(|name| name.ends_with(".html"))
        .expect("a chooser page");
    let chooser = whole.html(&format!("languages/{article}"));
    assert_eq!(named(&chooser, "a[hreflang]"), expected);

    // The status page and `helpbook status` name them the same way.
    let status = whole.read("status.html");
    for (_, name) in &expected[1..] {
        assert!(status.contains(name.as_str()), "status.html lacks {name}");
    }
    let mut cmd = helpbook(project.root());
    cmd.args(["status", "--format", "json"]);
    let out = run(cmd);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("status JSON");
    let listed: Vec<(String, String)> = json["locales"]
        .as_array()
        .expect("locales")
        .iter()
        .map(|l| {
            let field = |k: &str| l[k].as_str().expect("a string").to_string();
            (field("locale"), field("name"))
        })
        .collect();
    assert_eq!(listed, expected[1..]);

    // A shard of one Portuguese names both as the whole build does.
    let shard = project
        .build_with(&["--dest", "shard", "--locale", "pt-PT"])
        .exit(0);
    assert_eq!(shard.read("index.html"), whole.read("index.html"));
}
