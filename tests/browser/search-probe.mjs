// How well search finds an article by two words of its title, in the
// browser, on a built site: for every language given, a sample of the
// indexed articles (SAMPLE, spread evenly over the URL order), each
// searched for two consecutive words of its title, words as the browser's
// own Intl.Segmenter finds them (the pair is picked by a hash of the URL,
// so the same article always gets the same query; a title of one word is
// searched for that word). Found = the article is in the first five
// results. A query is also counted as ambiguous when more titles than
// five hold it (case aside): no ranking can then put one chosen article in
// the first five, and the share found among the other queries is given
// too. Prints a line per language and writes the figures and the misses to
// OUT.json. Arguments: BASE_URL OUT.json SAMPLE LANG… (CHROMIUM from the
// environment).
import { launch } from "./chromium.mjs";
import { open, askAll } from "./searchbox.mjs";
import fs from "node:fs";

const [base, outFile, sampleArg, ...langs] = process.argv.slice(2);
const sample = Number(sampleArg) || 30;

function fnv1a(text) {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(text)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h >>> 0;
}

const browser = await launch();
const report = [];
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  for (const lang of langs) {
    await open(page, base, lang);
    // Every indexed page, in URL order, and the words of its title.
    const pages = await page.evaluate(async () => {
      const box = document.querySelector(".site-search");
      const index = box.dataset.index;
      const meta = await (await fetch(index + "meta.json")).json();
      const rows = [];
      for (let k = 0; k * meta.chunk < meta.docs; k++) {
        rows.push(...(await (await fetch(`${index}d/${k}.json`)).json()));
      }
      const segmenter = new Intl.Segmenter(document.documentElement.lang, { granularity: "word" });
      return rows.map(([url, title]) => ({
        url,
        title,
        words: Array.from(segmenter.segment(title))
          .filter((s) => s.isWordLike)
          .map((s) => [s.index, s.index + s.segment.length]),
      }));
    });
    const step = Math.max(1, Math.floor(pages.length / sample));
    let asked = 0;
    let found = 0;
    let ambiguous = 0;
    let foundAmbiguous = 0;
    const misses = [];
    const titles = pages.map((p) => p.title.toLowerCase());
    // The sample and each article's query, then every query asked in one
    // call into the page.
    const probes = [];
    for (let i = 0; i < pages.length && probes.length < sample; i += step) {
      const p = pages[i];
      if (!p.words.length) continue;
      const pairs = Math.max(1, p.words.length - 1);
      const at = fnv1a(p.url) % pairs;
      const end = p.words[Math.min(at + 1, p.words.length - 1)][1];
      probes.push({ p, query: p.title.slice(p.words[at][0], end) });
    }
    const answers = await askAll(page, probes.map((x) => x.query));
    probes.forEach(({ p, query }, k) => {
      const shown = answers[k];
      asked++;
      const rank = shown.urls.indexOf(p.url);
      const holders = titles.filter((t) => t.includes(query.toLowerCase())).length;
      const hit = rank >= 0 && rank < 5;
      if (holders > 5) {
        ambiguous++;
        if (hit) foundAmbiguous++;
      }
      if (hit) found++;
      else misses.push({ url: p.url, title: p.title, query, total: shown.total, holders, top: shown.urls.slice(0, 5) });
    });
    const share = asked ? (100 * found) / asked : 0;
    const clear = asked - ambiguous;
    const shareClear = clear ? (100 * (found - foundAmbiguous)) / clear : 0;
    console.log(`${lang.padEnd(8)} ${String(found).padStart(4)} of ${String(asked).padStart(4)} = ${share.toFixed(1)}%;` +
      ` ${ambiguous} ambiguous; of the others ${found - foundAmbiguous} of ${clear} = ${shareClear.toFixed(1)}%`);
    report.push({ lang, asked, found, share, ambiguous, foundAmbiguous, shareClear, misses });
  }
  if (errors.length) throw new Error(`script errors: ${errors.join("; ")}`);
} finally {
  await browser.close();
}
fs.writeFileSync(outFile, JSON.stringify(report, null, 1));
