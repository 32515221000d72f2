// The search box of a built page, used as a reader uses it: the query is
// put in the box and the form submitted (as Enter does; typing runs the
// same search after a pause), then the results are read from the page once
// the script has shown them. Shared by search-compare.mjs and
// search-probe.mjs.

// Opens the language's index page, whose search box searches `lang`.
export async function open(page, base, lang) {
  await page.goto(`${base}/${lang}/index.html`);
  await page.waitForSelector("#search-input");
}

// What the box shows for `query`: {total, urls} with the URLs of the
// results shown (relative to the language folder, as the index has them).
export async function ask(page, query) {
  return page.evaluate(async (query) => {
    const box = document.querySelector(".site-search");
    const input = box.querySelector(".search-input");
    const list = box.querySelector(".search-results");
    // Links are the language folder (relative) and the index's URL, as written.
    const site = box.dataset.index.replace(/search\/$/, "");
    input.value = query;
    box.querySelector("form").requestSubmit();
    const started = Date.now();
    while (list.getAttribute("aria-busy") !== "false" || list.getAttribute("data-query") !== query) {
      if (Date.now() - started > 15000) throw new Error(`no results for ${JSON.stringify(query)} within 15 s`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const urls = Array.from(list.querySelectorAll("li > a")).map((a) => a.getAttribute("href").slice(site.length));
    return { total: Number(list.getAttribute("data-total")), urls };
  }, query);
}
