// Top-5 recall of a Pagefind index on the title sample written by
// `SEARCH_SAMPLE_OUT=... cargo bench --bench search`.
// usage: node recall.mjs SAMPLE.json PF_OUT_DIR HTTP_BASE (PF_OUT_DIR served at HTTP_BASE)
import { readFileSync } from "node:fs";
const [sampleFile, pfDir, base] = process.argv.slice(2);
const sample = JSON.parse(readFileSync(sampleFile, "utf8"));
const langs = [...new Set(sample.map((s) => s.lang))];
for (const lang of langs) {
  // A fresh module instance per language (pagefind.js keeps global state).
  const pf = await import(`${pfDir}/${lang}/pagefind.js?${lang}`);
  await pf.options({ basePath: `${base}/${lang}/` });
  await pf.init();
  let found = 0, asked = 0;
  for (const s of sample.filter((x) => x.lang === lang)) {
    asked++;
    const r = await pf.search(s.query);
    const top = await Promise.all(r.results.slice(0, 5).map((x) => x.data()));
    if (top.some((d) => d.url.replace(/^\//, "") === `${lang}/${s.url}`)) found++;
  }
  console.log(`  ${lang.padEnd(8)} ${String(found).padStart(4)} of ${String(asked).padStart(4)} = ${(100 * found / asked).toFixed(1).padStart(5)}%`);
}
