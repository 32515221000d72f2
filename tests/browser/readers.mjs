// Real-browser checks for readers in every language, on sites that
// tests/readers.rs has just built:
//
//   node readers.mjs EXAMPLE_SITE INDEX_SITE
//
// - a heading keeps its own language's accessible name with Show English on;
// - the wavy underline of changed sentences has a legend;
// - the long language index has a filter box and jump links that work;
// - axe-core reports no violation at all (any impact) on an article, a
//   side-by-side page, an index and the status page, in light and dark mode.
// Prints one line per check and ends with "N passed, N failed".
import { launch } from "./chromium.mjs";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [example, index] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const url = (site, path) => pathToFileURL(join(site, path)).href;

let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok || !detail ? "" : `: ${detail}`}`);
}

async function axe(page, name) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`,
    );
  });
  check(`axe: no violations on ${name}`, result.length === 0, result.join("; "));
}

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));

  // 1. A heading with Show English on: its accessible name is the translation only.
  await page.goto(url(example, "zh-cn/self-service-password-reset.html"));
  const h1 = page.locator("h1");
  const own = (await h1.textContent()).trim();
  await page.locator("button.show-english").click();
  await page.waitForSelector("h1 .seg-en", { timeout: 5000 }).catch(() => {});
  const shown = (await h1.textContent()).trim();
  check("the English shows in the heading", shown.length > own.length && /[A-Za-z]/.test(shown), shown);
  const named = await page.getByRole("heading", { level: 1, name: own, exact: true }).count();
  check("the heading's accessible name is only the translation", named === 1, `name wanted: ${own}`);
  const snapshot = await h1.ariaSnapshot();
  check("the accessibility tree has no English in the heading", !/Self-service/.test(snapshot), snapshot);

  // 2. The legend of the wavy underline, where sentences changed.
  const legend = page.locator(".stale-legend");
  const stale = await page.locator(".content .seg-stale").count();
  check(
    "a page with changed sentences explains the wavy underline",
    stale === 0 || ((await legend.count()) === 1 && (await legend.isVisible())),
    `${stale} changed sentences`,
  );
  await page.locator("button.show-english").click();

  // 3. The long index: filter box and jump links.
  await page.goto(url(index, "sv-se/index.html"));
  const filter = page.locator(".index-filter input");
  check("the index has a visible filter box", await filter.isVisible());
  const total = await page.locator(".article-list > li").count();
  await filter.fill("ändra");
  await page.waitForFunction(() => document.querySelector(".index-filter output").textContent !== "");
  const visible = await page.locator(".article-list > li:visible").count();
  check("typing narrows the list", visible > 0 && visible < total, `${visible} of ${total}`);
  const allMatch = (await page.locator(".article-list > li:visible").allTextContents()).every((t) => t.toLowerCase().includes("ändra"));
  check("to the titles that contain the text (case folded)", allMatch);
  check("and says how many", (await page.locator(".index-filter output").textContent()).includes(`${visible} / ${total}`));
  await filter.fill("");
  await page.waitForFunction(() => document.querySelector(".index-filter output").textContent === "");
  const jumps = page.locator(".jump-links a");
  const labels = await jumps.allTextContents();
  check("jump links by initial, in Swedish order (Ä and Ö after Z)", labels.join(" ").endsWith("Z Ä Ö"), labels.join(" "));
  await page.locator(".jump-links a", { hasText: "Ö" }).click();
  const target = await page.evaluate(() => document.querySelector(location.hash)?.textContent || "");
  check("a jump link leads to the first title of its letter", target.trim().startsWith("Ö"), target);

  // 4. axe on every kind of page, light and dark.
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(url(example, "zh-cn/self-service-password-reset.html"));
    await axe(page, `an article (${scheme})`);
    await page.goto(url(example, "zh-cn/self-service-password-reset.sxs.html"));
    await axe(page, `a side-by-side page (${scheme})`);
    await page.goto(url(index, "sv-se/index.html"));
    await axe(page, `a long index (${scheme})`);
    await page.goto(url(example, "status.html"));
    await axe(page, `the status page (${scheme})`);
  }
  check("no script errors", errors.length === 0, errors.join("; "));
} catch (e) {
  check("the browser checks ran", false, String(e && e.stack ? e.stack : e));
} finally {
  await browser.close();
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
