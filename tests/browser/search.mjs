// Search in a real browser: Debian's Chromium, headless, driven by
// playwright-core. Run by tests/search_browser.rs, which builds the example
// site, the Thai and Vietnamese fixture and the Arabic and Hebrew one,
// serves them on 127.0.0.1 and passes: BASE_URL SITE_DIR FIXTURE_BASE_URL
// CLITIC_BASE_URL CHROMIUM.
//
// For each language, types a query into the search box with the keyboard
// (focused with "/"), waits for the results and checks that the seed article
// is among them, that the status line says how many there are, and that the
// arrow key reaches the first result. Then: the count in the plural form of
// the language, the matched words marked, a Thai word found inside a phrase
// written without spaces, the count of all matches with ten shown and the
// "more results" button for the rest; an Arabic and a Hebrew word typed
// without the article or preposition the page joins to it; that a meta.json kept from an
// earlier deployment is read again when its folder is gone; and, from
// disk, that the box says in the page's language that search needs a web
// server.
import { launch } from "./chromium.mjs";
import { pathToFileURL } from "node:url";

const [base, siteDir, fixtureBase, cliticBase, executablePath] = process.argv.slice(2);
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
    // The box searches as it is typed: a prefix of the query ("password"
    // of "password reset") may find the article first. Wait for the
    // search of the whole query, which the status line names.
    await page
      .waitForFunction(
        (q) => (document.querySelector("#search-status")?.textContent || "").includes(q),
        c.query,
        { timeout: 10000 },
      )
      .catch(() => {});
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

  // The count in the language's plural form, and the matched words marked.
  await page.goto(`${base}/en-us/${SEED}`);
  await page.locator("#search-input").fill("passw");
  await page.locator("#search-results a").first().waitFor({ timeout: 10000 });
  let status = await page.locator("#search-status").textContent();
  check(status === "1 result for “passw”.", `en-us: the word being typed is completed, one result, singular (${status})`);
  const marked = await page.locator("#search-results a mark").allTextContents();
  check(marked.some((m) => /^password/i.test(m)), `en-us: the completed word is marked in the title (${marked})`);
  check(await page.locator(".search-more").isHidden(), "en-us: no \"more results\" button for one result");

  // Thai: a word inside a phrase written without spaces; more than ten
  // matches: all counted, ten shown, the rest behind "more results".
  await page.goto(`${fixtureBase}/th-th/index.html`);
  await page.locator("#search-input").fill("ผู้ใช้");
  await page.locator("#search-results a").first().waitFor({ timeout: 10000 });
  const total = Number(await page.locator("#search-results").getAttribute("data-total"));
  status = await page.locator("#search-status").textContent();
  let shown = await page.locator("#search-results > li").count();
  check(total > 10 && shown === 10, `th-th "ผู้ใช้": ${total} matches, ${shown} shown`);
  check(status.includes(String(total)), `th-th: the status counts every match (${status})`);
  const thaiMarks = await page.locator("#search-results mark").allTextContents();
  check(thaiMarks.includes("ผู้") && thaiMarks.includes("ใช้"), `th-th: the Thai words are marked (${thaiMarks.slice(0, 4)})`);
  const more = page.locator(".search-more");
  check(await more.isVisible(), "th-th: a \"more results\" button");
  await more.click();
  await page.waitForFunction(() => document.querySelectorAll("#search-results > li").length > 10);
  shown = await page.locator("#search-results > li").count();
  const focusedIndex = await page.evaluate(() =>
    Array.from(document.querySelectorAll("#search-results > li")).indexOf(document.activeElement.closest("li")));
  check(shown === Math.min(total, 20) && focusedIndex === 10, `th-th: "more results" shows the next ten (${shown}) and focuses the first of them (${focusedIndex})`);
  check((await more.isHidden()) === (total <= 20), "th-th: the button goes when every match is shown");
  await page.goto(`${fixtureBase}/vi-vn/index.html`);
  await page.locator("#search-input").fill("mật khẩu");
  await page.locator("#search-results a").first().waitFor({ timeout: 10000 });
  const first = await page.locator("#search-results a").first().textContent();
  check(first.toLowerCase().includes("mật khẩu"), `vi-vn "mật khẩu": a title with the phrase first (${first})`);

  // Arabic and Hebrew: a word typed bare finds the page that writes it only
  // with a clitic joined to it (the article, a preposition), and that form
  // is marked.
  for (const c of [
    { lang: "he-il", query: "לובי", url: "wait-in-the-meeting-lobby.html", form: "בלובי" },
    { lang: "ar-sa", query: "محذوفات", url: "restore-a-deleted-file.html", form: "المحذوفات" },
  ]) {
    await page.goto(`${cliticBase}/${c.lang}/index.html`);
    await page.locator("#search-input").fill(c.query);
    await page.locator("#search-results a").first().waitFor({ timeout: 10000 });
    const href = await page.locator("#search-results a").first().getAttribute("href");
    const marks = await page.locator("#search-results mark").allTextContents();
    check(href.endsWith(c.url) && marks.includes(c.form),
      `${c.lang} "${c.query}": ${c.url} first (${href}), "${c.form}" marked (${marks})`);
  }

  // A meta.json kept from an earlier deployment names a folder the site no
  // longer has: the box reads meta.json afresh and searches again.
  const stale = await browser.newPage();
  stale.on("pageerror", (e) => check(false, `no script error after a stale meta.json (${e.message})`));
  let metas = 0;
  await stale.route("**/zh-cn/search/meta.json", async (route) => {
    metas += 1;
    if (metas > 1) return route.continue();
    const meta = await (await route.fetch()).json();
    await route.fulfill({ json: { ...meta, files: "0000000000000000" } });
  });
  await stale.goto(`${base}/zh-cn/${SEED}`);
  await stale.locator("#search-input").fill("密码");
  let afresh = true;
  try {
    await stale.locator(`#search-results a[href$="${SEED}"]`).first().waitFor({ timeout: 10000 });
  } catch {
    afresh = false;
  }
  check(afresh && metas >= 2, `zh-cn: a stale meta.json is read again and the search found (meta.json read ${metas} times)`);
  await stale.close();

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
