// Real-browser checks of drift on a site that tests/drift_page.rs has just
// built (an sv-SE article behind its ja-JP English: one changed, one
// removed, one new sentence):
//
//   node drift.mjs SITE
//
// The side-by-side page's filter (all / changed / new / untranslated), the
// "n" key that moves to the next changed or new row, the links that do the
// same with JavaScript off, and Show English labelling the English a stale
// sentence was translated from. Prints one line per check and ends with
// "N passed, N failed".
import { launch } from "./chromium.mjs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [site] = process.argv.slice(2);
const url = (path) => pathToFileURL(join(site, path)).href;

let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok || !detail ? "" : `: ${detail}`}`);
}

const browser = await launch();
try {
  const errors = [];
  const page = await (await browser.newContext()).newPage();
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url("sv-se/a.sxs.html"));
  const shown = () =>
    page.$$eval(".sxs-table tbody tr", (rows) => rows.filter((r) => !r.hidden).map((r) => r.id));

  // 1. The filter.
  check("the filter is shown with JavaScript", await page.locator(".sxs-filter").isVisible());
  check("all rows at first", (await shown()).join() === "r-0,r-1,r-2,r-3,r-4", (await shown()).join());
  await page.click(".sxs-filter button[data-filter=changed]");
  check("changed: the changed row", (await shown()).join() === "r-1", (await shown()).join());
  check(
    "the pressed button says so",
    (await page.getAttribute(".sxs-filter button[data-filter=changed]", "aria-pressed")) === "true" &&
      (await page.getAttribute(".sxs-filter button[data-filter=all]", "aria-pressed")) === "false",
  );
  await page.click(".sxs-filter button[data-filter=new]");
  check("new: the new row", (await shown()).join() === "r-4", (await shown()).join());
  await page.click(".sxs-filter button[data-filter=untranslated]");
  check("untranslated: none here", (await shown()).join() === "", (await shown()).join());
  await page.click(".sxs-filter button[data-filter=all]");
  check("all again", (await shown()).length === 5);

  // 2. The next-change key.
  await page.keyboard.press("n");
  const first = await page.evaluate(() => document.activeElement && document.activeElement.id);
  check("n goes to the first change", first === "r-1", first);
  await page.keyboard.press("n");
  const second = await page.evaluate(() => document.activeElement && document.activeElement.id);
  check("n again goes to the next change, past the removed row", second === "r-4", second);
  await page.keyboard.press("n");
  const wrapped = await page.evaluate(() => document.activeElement && document.activeElement.id);
  check("after the last change, n starts again", wrapped === "r-1", wrapped);
  await page.click(".sxs-filter button[data-filter=new]");
  await page.keyboard.press("n");
  const filtered = await page.evaluate(() => document.activeElement && document.activeElement.id);
  check("n skips rows the filter hides", filtered === "r-4", filtered);

  // 3. With JavaScript off: no filter, and links from change to change.
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noJs.newPage();
  await plain.goto(url("sv-se/a.sxs.html"));
  check("no filter without JavaScript", !(await plain.locator(".sxs-filter").isVisible()));
  await plain.click(".first-change");
  check("the banner links to the first change", plain.url().endsWith("#r-1"), plain.url());
  await plain.click("#r-1 .next-change");
  check("a change links to the next one", plain.url().endsWith("#r-4"), plain.url());
  await noJs.close();

  // 4. Show English on the article page: the current English, the old one labelled.
  await page.goto(url("sv-se/a.html"));
  await page.click("button.show-english");
  await page.waitForSelector(".seg-en", { timeout: 5000 }).catch(() => {});
  const english = await page.$$eval(".seg-en", (spans) => spans.map((s) => s.textContent.trim()));
  check("Show English gives every pair its English", english.length === 4, english.join(" | "));
  check(
    "a changed sentence shows the current English first, then the old one labelled",
    english[1] === "Select Apply now. Översatt från: Select Save now.",
    english[1],
  );
  check(
    "a removed sentence says its English is no longer there",
    english[2] === "Finns inte längre i engelskan. Översatt från: Wait a minute.",
    english[2],
  );
  check("no script errors", errors.length === 0, errors.join("; "));
} catch (e) {
  check("the browser checks ran", false, String(e && e.stack ? e.stack : e));
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
