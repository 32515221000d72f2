// How well search finds an article by words of its title, in the browser,
// on a built site: for every language given, a sample of the indexed
// articles (SAMPLE, spread evenly over the URL order), each searched for
// two consecutive words of its title, words as the browser's own
// Intl.Segmenter finds them (the pair is picked by a hash of the URL, so
// the same article always gets the same query; a title of one word is
// searched for that word). Found = the article is in the first five
// results. Two figures:
//
// - two words: found by that first query. A query is also counted as
//   ambiguous when more titles than five hold it (case aside): no ranking
//   can then put one chosen article in the first five, and the share found
//   among the other queries is given too.
// - reader: as a reader who does not see the article among a page of
//   look-alike titles types on. While the article is not in the first five
//   and more than five titles hold the query, the query takes the title's
//   next word (the one before it at the title's end) and is asked again. A
//   query that at most five titles hold is never lengthened, so a ranking
//   miss stays a miss; a whole title that more than five titles hold is a
//   miss too, counted as shared.
//
// Prints a line per language and writes the figures and the misses to
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
        rows.push(...(await (await fetch(`${index}${meta.files}/d/${k}.json`)).json()));
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
    const titles = pages.map((p) => p.title.toLowerCase());
    const holders = (query) => titles.filter((t) => t.includes(query.toLowerCase())).length;
    // The sample and each article's first query: two words, [from, to].
    const probes = [];
    for (let i = 0; i < pages.length && probes.length < sample; i += step) {
      const p = pages[i];
      if (!p.words.length) continue;
      const pairs = Math.max(1, p.words.length - 1);
      const from = fnv1a(p.url) % pairs;
      probes.push({ p, from, to: Math.min(from + 1, p.words.length - 1), rounds: [] });
    }
    const query = (x) => x.p.title.slice(x.p.words[x.from][0], x.p.words[x.to][1]);
    // Rounds: every query still open is asked in one call into the page.
    // An article not in the first five whose query more than five titles
    // hold gets the title's next word (the one before, at the title's end),
    // as a reader who sees a page of look-alike titles types on.
    let asking = probes;
    while (asking.length) {
      const answers = await askAll(page, asking.map(query));
      const next = [];
      asking.forEach((x, k) => {
        const q = query(x);
        const rank = answers[k].urls.indexOf(x.p.url);
        const held = holders(q);
        x.rounds.push({ query: q, rank, held, total: answers[k].total, top: answers[k].urls.slice(0, 5) });
        if (rank >= 0 && rank < 5) return;
        if (held <= 5) return;
        if (x.to + 1 < x.p.words.length) x.to++;
        else if (x.from > 0) x.from--;
        else return;
        next.push(x);
      });
      asking = next;
    }
    let found = 0;
    let ambiguous = 0;
    let foundAmbiguous = 0;
    let readerFound = 0;
    let typedOn = 0;
    let shared = 0;
    let words = 0;
    const misses = [];
    const readerMisses = [];
    for (const x of probes) {
      const first = x.rounds[0];
      const last = x.rounds[x.rounds.length - 1];
      const hit = (r) => r.rank >= 0 && r.rank < 5;
      if (first.held > 5) {
        ambiguous++;
        if (hit(first)) foundAmbiguous++;
      }
      if (hit(first)) found++;
      else misses.push({ url: x.p.url, title: x.p.title, ...first });
      if (hit(last)) readerFound++;
      else {
        if (last.held > 5) shared++;
        readerMisses.push({ url: x.p.url, title: x.p.title, ...last });
      }
      if (x.rounds.length > 1) typedOn++;
      words += x.to - x.from + 1;
    }
    const asked = probes.length;
    const share = asked ? (100 * found) / asked : 0;
    const clear = asked - ambiguous;
    const shareClear = clear ? (100 * (found - foundAmbiguous)) / clear : 0;
    const readerShare = asked ? (100 * readerFound) / asked : 0;
    const meanWords = asked ? words / asked : 0;
    console.log(`${lang.padEnd(8)} ${String(found).padStart(4)} of ${String(asked).padStart(4)} = ${share.toFixed(1)}%;` +
      ` ${ambiguous} ambiguous; of the others ${found - foundAmbiguous} of ${clear} = ${shareClear.toFixed(1)}%;` +
      ` reader ${readerFound} = ${readerShare.toFixed(1)}% (${typedOn} typed on, ${meanWords.toFixed(2)} words a query at the end, ${shared} whole titles shared)`);
    report.push({ lang, asked, found, share, ambiguous, foundAmbiguous, shareClear, readerFound, readerShare, typedOn, meanWords, shared, misses, readerMisses });
  }
  if (errors.length) throw new Error(`script errors: ${errors.join("; ")}`);
} finally {
  await browser.close();
}
fs.writeFileSync(outFile, JSON.stringify(report, null, 1));
