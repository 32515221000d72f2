//! `helpbook init`: a working project with one article in two languages.

use crate::cli::InitArgs;
use anyhow::{bail, Result};

const BOOK: &str = r#"[book]
title = "My help site"
source-language = "en-US"

[build]
content-dir = "content"
build-dir = "site"
"#;

const SV: &str = r#"---
title: Kom igång
ms.contentlocale: sv-SE
ms.translationtype: HT
ms.lasthandoff: 01/15/2026
---
# <a name="get-started"></a><span data-ttu-id="a1b2c-101">Kom igång</span><span class="sxs-lookup"><span data-stu-id="a1b2c-101">Get started</span></span>

<span data-ttu-id="a1b2c-102">Det här är din första artikel.</span><span class="sxs-lookup"><span data-stu-id="a1b2c-102">This is your first article.</span></span>

> [!TIP]
> <span data-ttu-id="a1b2c-103">Kör `helpbook build` för att bygga webbplatsen.</span><span class="sxs-lookup"><span data-stu-id="a1b2c-103">Run `helpbook build` to build the site.</span></span>
"#;

const DE: &str = r#"---
title: Erste Schritte
ms.contentlocale: de-DE
ms.translationtype: MT
ms.lasthandoff: 01/15/2026
---
# <a name="get-started"></a><span data-ttu-id="d4e5f-101">Erste Schritte</span><span class="sxs-lookup"><span data-stu-id="d4e5f-101">Get started</span></span>

<span data-ttu-id="d4e5f-102">Dies ist Ihr erster Artikel.</span><span class="sxs-lookup"><span data-stu-id="d4e5f-102">This is your first article.</span></span>

> [!TIP]
> <span data-ttu-id="d4e5f-103">Führen Sie `helpbook build` aus, um die Website zu erstellen.</span><span class="sxs-lookup"><span data-stu-id="d4e5f-103">Run `helpbook build` to build the site.</span></span>
"#;

pub fn run(args: InitArgs) -> Result<i32> {
    let dir = &args.dir;
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        bail!(
            "{} is not empty; `helpbook init` only creates new projects",
            dir.display()
        );
    }
    let files = [
        ("book.toml", BOOK),
        ("content/sv-SE/get-started.md", SV),
        ("content/de-DE/get-started.md", DE),
    ];
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            crate::fs::create_dir_all(parent)?;
        }
        crate::fs::write(&path, text)?;
    }
    if crate::ui::normal() {
        eprintln!(
            "created a helpbook project in {}; build it with `helpbook build {}`",
            dir.display(),
            dir.display()
        );
    }
    Ok(0)
}
