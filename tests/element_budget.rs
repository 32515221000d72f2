//! The element budget of a page (`render::budget`, `limit::elements`): a
//! paragraph that would make more Markdown elements than helpbook parses
//! is shown as plain text with a finding at its first byte, and the blocks
//! around it render as before, through the binary as a user runs it.

use crate::support;

use support::Project;

#[test]
fn a_paragraph_of_a_million_brackets_is_plain_text_with_a_finding() {
    let bomb = format!("{}x{}", "[".repeat(1_000_000), "]".repeat(1_000_000));
    let project = Project::empty().file(
        "content/sv-SE/brackets.md",
        &format!("---\ntitle: Hakar\n---\n# Före\n\n*Efter* före.\n\n{bomb} <b>\n\n*Sist*\n"),
    );
    let build = project.build().success();
    let page = build.read("sv-se/brackets.html");
    // The blocks around it are Markdown as before.
    assert!(page.contains("<h1 id=\"före\">Före</h1>"), "heading");
    assert!(page.contains("<p><em>Efter</em> före.</p>"));
    assert!(page.contains("<p><em>Sist</em></p>"));
    // The bomb is one paragraph with its characters as written.
    assert!(
        page.contains(&format!("<p>{bomb} &lt;b&gt;</p>")),
        "the bomb as plain text"
    );
    let findings = project.findings();
    let budget: Vec<_> = findings
        .iter()
        .filter(|f| f.lint == "limit::elements")
        .collect();
    // The page and its English report it at the same place: listed once.
    assert_eq!(budget.len(), 1, "{findings:#?}");
    for f in budget {
        assert!(f.file.ends_with("brackets.md"), "{f:?}");
        // Line 8: front matter (3 lines), heading, blank, paragraph, blank.
        assert_eq!((f.line, f.column), (8, 1), "{f:?}");
        assert!(f.message.contains("shown as plain text"), "{f:?}");
    }
}

#[test]
fn a_quarter_million_headings_are_headings_up_to_the_article_budget() {
    // Each heading line is a block of its own, estimated at 4 (2 for the
    // line, 2 for the heading): the first 100,000 make the article's budget
    // of 400,000, and from the next one the rest is plain text.
    let project = Project::empty().file(
        "content/sv-SE/same.md",
        &format!("---\ntitle: Samma\n---\n{}", "## Same\n".repeat(250_000)),
    );
    let build = project.build().success();
    let page = build.read("sv-se/same.html");
    assert!(page.contains("<h2 id=\"same-99999\">Same</h2>"));
    assert!(!page.contains("id=\"same-100000\""));
    assert!(page.contains("<p>## Same\n## Same"), "the rest as written");
    let findings = project.findings();
    let budget: Vec<_> = findings
        .iter()
        .filter(|f| f.lint == "limit::elements")
        .collect();
    assert_eq!(budget.len(), 1, "{findings:#?}");
    // Line 4 is the first heading; the 100,001st is on line 100,004.
    assert_eq!((budget[0].line, budget[0].column), (100_004, 1));
    assert!(budget[0].message.contains("from here to its end"));
}
