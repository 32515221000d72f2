// The browser's search and its Rust twin, on the same queries: runs each
// query of QUERIES.json ([{lang, query}]) in the search box of the site at
// BASE_URL and writes what the box showed to OUT.json ([{lang, query,
// total, urls, unspaced}]); tests/search_browser.rs compares it with
// helpbook::search::query. Arguments: BASE_URL QUERIES.json OUT.json [CHROMIUM].
import { launch } from "./chromium.mjs";
import { open, ask } from "./searchbox.mjs";
import fs from "node:fs";

const [base, queriesFile, outFile, executablePath] = process.argv.slice(2);
const queries = JSON.parse(fs.readFileSync(queriesFile, "utf8"));
const browser = await launch(executablePath);
const out = [];
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  let lang = null;
  for (const q of queries) {
    if (q.lang !== lang) {
      lang = q.lang;
      await open(page, base, lang);
    }
    const shown = await ask(page, q.query);
    // The words the browser finds in the query's Thai, Lao, Khmer and
    // Burmese runs, as helpbook.js does: where ICU4X finds others, the two
    // searches look up different terms.
    const unspaced = await page.evaluate((query) => {
      const segmenter = new Intl.Segmenter(document.documentElement.lang, { granularity: "word" });
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
    }, q.query);
    out.push({ lang: q.lang, query: q.query, total: shown.total, urls: shown.urls, unspaced });
  }
  if (errors.length) throw new Error(`script errors: ${errors.join("; ")}`);
} finally {
  await browser.close();
}
fs.writeFileSync(outFile, JSON.stringify(out));
console.log(`${out.length} queries asked`);
