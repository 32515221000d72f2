//! Benchmark: `check` over `../shared/corpus` next to a plain read of the same
//! files (skipped, saying why, when the corpus is absent).
//!
//! `cargo bench --bench check` prints, best of three runs each:
//! - read: every article file read into memory (the floor of any command);
//! - load: read + parse (front matter, sxs) of every article;
//! - markdown: one pulldown-cmark pass over every target document, a lower
//!   bound of what `build` spends rendering on top of load;
//! - model: the pipeline's stages 1–3 (load, parse, English, freshness, the
//!   lints of each pair);
//! - render: stage 4 on that model, every page rendered for its findings;
//! - total: what `helpbook check` does (model + render), with no output.
//!
//! No assertion on time: figures to read, not a test.

use helpbook::check;
use helpbook::config::Config;
use helpbook::pipeline::{Model, Output};
use rayon::prelude::*;
use std::path::Path;
use std::time::{Duration, Instant};

fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let out = f();
        best = best.min(start.elapsed());
        last = Some(out);
    }
    (best, last.expect("at least one run"))
}

fn main() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("skipped: {} is absent", corpus.display());
        return;
    }
    let config = || Config::load(&corpus).expect("corpus config");
    let (dirs, _) = helpbook::load::discover(&config().content_dir).expect("discover");
    let files: Vec<_> = dirs
        .iter()
        .flat_map(|d| d.paths.iter().map(move |p| d.dir.join(p)))
        .collect();

    let (read, bytes) = best(3, || {
        files
            .par_iter()
            .map(|f| std::fs::read(f).map_or(0, |b| b.len()))
            .sum::<usize>()
    });
    let (load, project) = best(3, || {
        helpbook::load::project(config(), &[]).expect("corpus loads")
    });
    let (markdown, events) = best(3, || {
        project
            .locales
            .par_iter()
            .flat_map(|l| l.articles.par_iter())
            .map(|a| pulldown_cmark::Parser::new(&a.target).count())
            .sum::<usize>()
    });
    let theme = helpbook::theme::Theme::load(&config().root, "default").expect("theme");
    let (pairing, model) = best(3, || Model::load(config()).expect("corpus loads"));
    let (checking, findings) = best(3, || {
        helpbook::pipeline::run(
            &model,
            &theme,
            &[],
            Output::None,
            false,
            &Default::default(),
        )
        .expect("checks")
        .findings
    });
    let (total, _) = best(3, || {
        helpbook::pipeline::check(config(), &[], false)
            .expect("checks")
            .len()
    });

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "corpus: {} files, {:.1} MB, {} locales",
        files.len(),
        bytes as f64 / 1e6,
        project.locales.len()
    );
    println!("read      {:8.1} ms", ms(read));
    println!("load      {:8.1} ms   (read + parse)", ms(load));
    println!(
        "markdown  {:8.1} ms   (one pulldown-cmark pass, {events} events)",
        ms(markdown)
    );
    println!(
        "model     {:8.1} ms   (load + parse + English, freshness, pair lints)",
        ms(pairing)
    );
    println!(
        "render    {:8.1} ms   (stage 4: every page rendered for its findings, {} findings: {})",
        ms(checking),
        findings.len(),
        check::summary_line(&findings)
    );
    println!(
        "total     {:8.1} ms   (helpbook check: model + render)",
        ms(total)
    );
}
