// The browser's search and its Rust twin, on the same queries: runs each
// query of QUERIES.json ([{lang, query}]) in the search box of the site at
// BASE_URL and writes what the box showed to OUT.json ([{lang, query,
// total, urls, unspaced}]); tests/search_browser.rs compares it with
// helpbook::search::query. Arguments: BASE_URL QUERIES.json OUT.json [CHROMIUM].
import { launch } from "./chromium.mjs";
import { open, askAll } from "./searchbox.mjs";
import fs from "node:fs";

const [base, queriesFile, outFile, executablePath] = process.argv.slice(2);
const queries = JSON.parse(fs.readFileSync(queriesFile, "utf8"));
const browser = await launch(executablePath);
const out = [];
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // The queries of each language, in the order given, asked on its page in
  // one batch.
  for (let at = 0; at < queries.length; ) {
    const lang = queries[at].lang;
    let end = at;
    while (end < queries.length && queries[end].lang === lang) end++;
    const batch = queries.slice(at, end).map((q) => q.query);
    await open(page, base, lang);
    const shown = await askAll(page, batch);
    shown.forEach((s, i) => out.push({ lang, query: batch[i], total: s.total, urls: s.urls, unspaced: s.unspaced }));
    at = end;
  }
  if (errors.length) throw new Error(`script errors: ${errors.join("; ")}`);
} finally {
  await browser.close();
}
fs.writeFileSync(outFile, JSON.stringify(out));
console.log(`${out.length} queries asked`);
