//! The shared corpus (`../shared/corpus`, beside the repository) for unit
//! tests that hold a fast path to the parser it stands in for on real
//! content. A clone without it skips those checks and says so.

use crate::model::Article;
use std::path::{Path, PathBuf};

/// Every article file of the corpus with its bytes, or None (noted on
/// stderr) where there is no corpus.
pub fn files() -> Option<impl Iterator<Item = (PathBuf, Vec<u8>)>> {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("skipped: {} is absent", corpus.display());
        return None;
    }
    let files = walkdir::WalkDir::new(corpus)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| {
            let bytes = std::fs::read(e.path()).ok()?;
            Some((e.into_path(), bytes))
        });
    Some(files)
}

/// Every article of the corpus, parsed (under one made-up locale), or None
/// where there is no corpus.
pub fn articles() -> Option<impl Iterator<Item = (PathBuf, Article)>> {
    let files = files()?;
    Some(files.map(|(path, bytes)| {
        let article = crate::parse::article("xx-XX", "a.md", "a.md", &bytes);
        (path, article)
    }))
}

/// Calls `f` with each article's path and, for every pair of the article,
/// its translation and the English it was translated from. False, calling
/// nothing, where there is no corpus.
pub fn each_pair_text(mut f: impl FnMut(&Path, &str)) -> bool {
    let Some(articles) = articles() else {
        return false;
    };
    for (path, a) in articles {
        for seg in &a.segments {
            f(&path, seg.target(&a));
            f(&path, seg.source(&a));
        }
    }
    true
}
