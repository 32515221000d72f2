// Real-browser checks of the bilingual views (Show English, side by side) and
// an accessibility scan, on sites that tests/browser.rs has just built.
//
//   node bilingual.mjs EXAMPLE_SITE RTL_SITE [SCREENSHOT_DIR]
//
// Pages are opened from disk (file://), the harder case: the English is loaded
// with a script element, which works there where fetch would not.
// Prints one line per check and ends with "N passed, N failed".
import { launch } from "./chromium.mjs";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [example, rtl, shots] = process.argv.slice(2);
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

const browser = await launch();

async function axe(page, name) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  });
  check(`axe: no serious or critical violations on ${name}`, result.length === 0, result.join("; "));
}

async function shot(page, file) {
  if (shots) await page.screenshot({ path: join(shots, file), fullPage: false });
}

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));

  // 1. The toggle is off at first, and no English is in the page.
  await page.goto(url(example, "zh-cn/self-service-password-reset.html"));
  const button = page.locator("button.show-english");
  check("Show English is a visible button", await button.isVisible());
  check("it starts not pressed", (await button.getAttribute("aria-pressed")) === "false");
  check("no English in the page while off", (await page.locator(".seg-en").count()) === 0);
  await axe(page, "zh-CN article, Show English off");

  // 2. Keyboard: Tab to the toggle, Enter turns it on.
  let focused = false;
  for (let i = 0; i < 12 && !focused; i++) {
    await page.keyboard.press("Tab");
    focused = await page.evaluate(() => document.activeElement?.classList.contains("show-english"));
  }
  check("Tab reaches the toggle", focused);
  await page.keyboard.press("Enter");
  await page.waitForSelector("h1 .seg-en", { timeout: 5000 }).catch(() => {});
  check("Enter presses it", (await button.getAttribute("aria-pressed")) === "true");
  const heading = page.locator("h1 .seg-en");
  check(
    "the English heading shows beside the Chinese one",
    (await heading.count()) === 1 &&
      (await heading.isVisible()) &&
      (await heading.textContent()).includes("Self-service password reset (SSPR)"),
    await page.locator("h1").innerHTML(),
  );
  check(
    "the English is marked with the source language, left to right",
    (await heading.getAttribute("lang")) === "en-US" && (await heading.getAttribute("dir")) === "ltr",
    `${await heading.getAttribute("lang")} ${await heading.getAttribute("dir")}`,
  );
  const links = await page.locator(".seg-en a[href^='https://']").count();
  check("links in the English work (rendered as links)", links > 0, `${links} links`);
  await axe(page, "zh-CN article, Show English on");
  await shot(page, "show-english-zh-cn.png");

  // 3. The choice survives navigation, to another page and another language.
  await page.goto(url(example, "zh-cn/index.html"));
  await page.goto(url(example, "ja-jp/self-service-password-reset.html"));
  await page.waitForSelector("h1 .seg-en", { timeout: 5000 }).catch(() => {});
  check(
    "Show English is remembered on the next page",
    (await page.locator("button.show-english").getAttribute("aria-pressed")) === "true" &&
      (await page.locator("h1 .seg-en").count()) === 1,
  );
  // Turning it off removes the English from the page (and the accessibility tree).
  await page.locator("button.show-english").click();
  check("turning it off removes the English", (await page.locator(".seg-en").count()) === 0);

  // 4. Side by side: one row per pair, marked in words, without JavaScript too.
  const pairs = (readFileSync(new URL(url(example, "zh-cn/self-service-password-reset.en.js")), "utf8").match(/","|"\]/g) || []).length;
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const sxs = await noJs.newPage();
  await sxs.goto(url(example, "zh-cn/self-service-password-reset.sxs.html"));
  const rows = await sxs.locator("table.sxs-table tbody tr[data-pair]").count();
  check("side by side has one row per pair (JavaScript off)", rows === 8 && rows === pairs, `${rows} rows, ${pairs} pairs`);
  check("each row says its state in words", (await sxs.locator("td.sxs-state .state").allTextContents()).every((t) => t.trim().length > 0));
  await noJs.close();
  await page.goto(url(example, "zh-cn/self-service-password-reset.sxs.html"));
  await axe(page, "zh-CN side-by-side page");
  await shot(page, "side-by-side-zh-cn.png");

  // 5. A right-to-left article, with the English beside it.
  await page.goto(url(rtl, "he-il/reset-password.html"));
  check("the Hebrew page is dir=rtl", (await page.getAttribute("html", "dir")) === "rtl");
  check("and remembers that Show English was turned off", (await page.locator("button.show-english").getAttribute("aria-pressed")) === "false");
  await page.locator("button.show-english").click();
  await page.waitForSelector(".seg-en", { timeout: 5000 }).catch(() => {});
  check("the English shows on the right-to-left page", (await page.locator(".seg-en").count()) === 4);
  await axe(page, "he-IL article (right to left), Show English on");
  await shot(page, "show-english-he-il.png");
  await page.locator("button.show-english").click();
  await axe(page, "he-IL article (right to left), Show English off");

  check("no script errors", errors.length === 0, errors.join("; "));
} catch (e) {
  check("the browser checks ran", false, String(e && e.stack ? e.stack : e));
} finally {
  await browser.close();
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
