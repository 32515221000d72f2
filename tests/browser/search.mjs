// Search in a real browser: Debian's Chromium, headless, driven by
// playwright-core. Run by tests/search_browser.rs, which builds the example
// site, serves it on 127.0.0.1 and passes: BASE_URL SITE_DIR CHROMIUM.
//
// For each language, types a query into the search box with the keyboard
// (focused with "/"), waits for the results and checks that the seed article
// is among them, that the status line says how many there are, and that the
// arrow key reaches the first result. Then opens a page from disk and checks
// that the box says, in the page's language, that search needs a web server.
import { launch } from "./chromium.mjs";
import { pathToFileURL } from "node:url";

const [base, siteDir, executablePath] = process.argv.slice(2);
const SEED = "self-service-password-reset.html";
const cases = [
  { lang: "zh-cn", query: "密码" },
  { lang: "ja-jp", query: "パスワード" },
  { lang: "sv-se", query: "lösenord" },
  // Bilingual: the English term on the Chinese site, through the English source.
  { lang: "zh-cn", query: "password reset", english: true },
];

const browser = await launch(executablePath);
let failed = 0;
function check(ok, what) {
  console.log(`${ok ? "ok" : "FAILED"}: ${what}`);
  if (!ok) failed++;
}

try {
  const page = await browser.newPage();
  page.on("pageerror", (e) => check(false, `no script error (${e.message})`));
  for (const c of cases) {
    await page.goto(`${base}/${c.lang}/${SEED}`);
    await page.locator("body").click({ position: { x: 2, y: 2 } });
    await page.keyboard.press("/");
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
    check(focused === "search-input", `${c.lang}: "/" focuses the search box`);
    await page.keyboard.type(c.query);
    const hit = page.locator(`#search-results a[href$="${SEED}"]`);
    let found = true;
    try {
      await hit.first().waitFor({ timeout: 10000 });
    } catch {
      found = false;
    }
    const status = await page.locator("#search-status").textContent();
    check(found, `${c.lang} "${c.query}" finds the seed article (status: ${status})`);
    if (!found) continue;
    check(/\d/.test(status) && status.includes(c.query), `${c.lang}: the status line counts the results`);
    const badge = await hit.first().evaluate((a) => !!a.parentElement.querySelector(".badge"));
    check(badge === !!c.english, `${c.lang} "${c.query}": ${c.english ? "marked" : "not marked"} as found in the English original`);
    await page.keyboard.press("ArrowDown");
    const onResult = await page.evaluate(() => document.activeElement.closest("#search-results") !== null);
    check(onResult, `${c.lang}: ArrowDown moves to the results`);
    await page.keyboard.press("Escape");
    const closed = await page.locator(".search-panel").isHidden();
    check(closed, `${c.lang}: Escape closes the results`);
  }

  // From disk: a plain message in the page's language.
  await page.goto(pathToFileURL(`${siteDir}/zh-cn/${SEED}`).href);
  await page.locator("#search-input").fill("密码");
  await page.locator("#search-input").press("Enter");
  const message = await page.locator("#search-status").textContent();
  check(message.includes("Web 服务器"), `from disk, zh-cn says search needs a web server (${message})`);
} finally {
  await browser.close();
}
console.log(failed ? `${failed} failed` : "all passed");
process.exit(failed ? 1 : 0);
