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
  return (await askAll(page, [query]))[0];
}

// What the box shows for each of `queries`, asked one after the other on
// the page now open: [{total, urls, unspaced}]. `unspaced` is the words the
// browser's own segmenter finds in the query's Thai, Lao, Khmer and Burmese
// runs, as helpbook.js does. The queries are asked in one call into the
// page: each is still typed into the box and submitted, and its results
// read before the next, without a round trip from Node per query.
export async function askAll(page, queries) {
  return page.evaluate(async (queries) => {
    const box = document.querySelector(".site-search");
    const input = box.querySelector(".search-input");
    const list = box.querySelector(".search-results");
    // Links are the language folder (relative) and the index's URL, as written.
    const site = box.dataset.index.replace(/search\/$/, "");
    const segmenter = new Intl.Segmenter(document.documentElement.lang, { granularity: "word" });
    const unspacedWords = (query) => {
      const runs = query.match(/[\p{Alphabetic}\p{M}\p{Nd}\p{Nl}\p{No}]+/gu) || [];
      const words = [];
      for (const word of runs) {
        for (const run of word.match(/[\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF\uA9E0-\uA9FF\uAA60-\uAA7F]+/gu) || []) {
          for (const s of segmenter.segment(run)) {
            if (/[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}]/u.test(s.segment)) words.push(s.segment);
          }
        }
      }
      return words;
    };
    const out = [];
    for (const query of queries) {
      input.value = query;
      box.querySelector("form").requestSubmit();
      const started = Date.now();
      while (list.getAttribute("aria-busy") !== "false" || list.getAttribute("data-query") !== query) {
        if (Date.now() - started > 15000) throw new Error(`no results for ${JSON.stringify(query)} within 15 s`);
        await new Promise((r) => setTimeout(r, 1));
      }
      const urls = Array.from(list.querySelectorAll("li > a")).map((a) => a.getAttribute("href").slice(site.length));
      out.push({ total: Number(list.getAttribute("data-total")), urls, unspaced: unspacedWords(query) });
    }
    return out;
  }, queries);
}
