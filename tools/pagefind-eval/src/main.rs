// Evaluation of the pagefind crate (1.6, `extended`) in-process on a built
// helpbook site, for docs/search.md. Not part of helpbook or its CI.
//
// usage: cargo run --release -- SITE MODE LANG...
//   MODE html:    the rendered pages as HTML (Pagefind parses them)
//   MODE records: custom records fed with the text of <main> (no HTML parse
//                 inside Pagefind; the text extraction is outside the timing)
// Languages are indexed in parallel (one PagefindIndex each, tokio tasks);
// indexes are written to /tmp/pf-out/<lang> for recall.mjs.
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use std::collections::BTreeMap;
use std::time::Instant;

fn main_text(html: &str) -> (String, String) {
    let start = html.find("<main").unwrap_or(0);
    let end = html.find("</main>").unwrap_or(html.len());
    let body = &html[start..end];
    let mut out = String::with_capacity(body.len());
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => { in_tag = false; out.push(' '); }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let title = html.split("<title>").nth(1).and_then(|t| t.split("</title>").next()).unwrap_or("").to_string();
    (title, out)
}

async fn one(site: String, mode: String, lang: String) -> (String, f64, usize, usize) {
    let dir = format!("{site}/{lang}");
    let mut pages = Vec::new();
    for e in walkdir::WalkDir::new(&dir).into_iter().flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "html") && !p.ends_with("index.html") && !p.ends_with("404.html") {
            let text = std::fs::read_to_string(p).unwrap();
            let rel = p.strip_prefix(&site).unwrap().display().to_string();
            let prepared = if mode == "records" { let (t, b) = main_text(&text); (t, b) } else { (String::new(), text) };
            pages.push((rel, prepared));
        }
    }
    let t0 = Instant::now();
    let cfg = PagefindServiceConfig::builder().keep_index_url(true).force_language(lang.clone()).build();
    let mut index = PagefindIndex::new(Some(cfg)).unwrap();
    let n = pages.len();
    for (rel, (title, body)) in pages {
        if mode == "records" {
            let mut meta = BTreeMap::new();
            meta.insert("title".to_string(), title);
            index.add_custom_record(format!("/{rel}"), body, lang.clone(), Some(meta), None, None).await.unwrap();
        } else {
            index.add_html_file(Some(rel.clone()), Some(format!("/{rel}")), body).await.unwrap();
        }
    }
    let files = index.get_files().await.unwrap();
    let bytes: usize = files.iter().map(|f| f.contents.len()).sum();
    let out = format!("/tmp/pf-out/{lang}");
    for f in &files {
        let p = std::path::Path::new(&out).join(&f.filename);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, &f.contents).unwrap();
    }
    (lang, t0.elapsed().as_secs_f64(), n, bytes)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (site, mode) = (args[1].clone(), args[2].clone());
    let t0 = Instant::now();
    let mut handles = Vec::new();
    for lang in &args[3..] {
        handles.push(tokio::spawn(one(site.clone(), mode.clone(), lang.clone())));
    }
    for h in handles {
        let (lang, secs, n, bytes) = h.await.unwrap();
        println!("{lang}: {n} pages indexed in {secs:.2}s, {bytes} bytes of index");
    }
    println!("total {:.2}s", t0.elapsed().as_secs_f64());
}
