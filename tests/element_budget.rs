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
    // Each heading line is a block of its own, estimated at 6 (2 for the
    // line, 4 for the heading): the first 66,666 make 399,996 of the
    // article's budget of 400,000, and from the next one the rest is plain
    // text.
    let project = Project::empty().file(
        "content/sv-SE/same.md",
        &format!("---\ntitle: Samma\n---\n{}", "## Same\n".repeat(250_000)),
    );
    let build = project.build().success();
    let page = build.read("sv-se/same.html");
    assert!(page.contains("<h2 id=\"same-66665\">Same</h2>"));
    assert!(!page.contains("id=\"same-66666\""));
    assert!(page.contains("<p>## Same\n## Same"), "the rest as written");
    let findings = project.findings();
    let budget: Vec<_> = findings
        .iter()
        .filter(|f| f.lint == "limit::elements")
        .collect();
    assert_eq!(budget.len(), 1, "{findings:#?}");
    // Line 4 is the first heading; the 66,667th is on line 66,670.
    assert_eq!((budget[0].line, budget[0].column), (66_670, 1));
    assert!(budget[0].message.contains("from here to its end"));
}

#[test]
fn every_corpus_file_is_within_the_budget() {
    // The budget must leave real articles as they are. Each Markdown file
    // of the corpus (articles and includes) is read as it is on disk, sxs
    // spans and front matter included: more than either of its documents.
    let Some(corpus) = support::corpus() else {
        return;
    };
    use helpbook::render::budget;
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("a corpus folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "md") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&corpus, &mut files);
    assert!(files.len() > 10_000, "{} files read", files.len());
    let (mut block, mut article) = (0, 0);
    for file in &files {
        let text = std::fs::read_to_string(file).expect("a corpus file");
        assert!(budget::plain_parts(&text).is_empty(), "{}", file.display());
        let (b, t) = budget::estimates(&text);
        (block, article) = (block.max(b), article.max(t));
    }
    eprintln!(
        "{} files: largest block estimated at {block} (bound {}), largest file at \
         {article} (bound {})",
        files.len(),
        budget::MAX_BLOCK,
        budget::MAX_ARTICLE
    );
}
