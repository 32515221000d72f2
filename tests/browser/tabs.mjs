// Ten tabs of one `helpbook serve` in one Chromium profile (so that they
// share its connections to the server, as a translator's tabs do). Run by
// tests/serve.rs, which starts the server on the example project:
//
//   node tabs.mjs BASE_URL ARTICLE_FILE
//
// ARTICLE_FILE is the zh-CN copy of the example article. The script opens ten
// pages of the site (browsers open at most six HTTP/1.1 connections to one
// host, so ten pages that each held a request open would never all load),
// waits until each has its live-reload connection, then:
// 1. saves an edit of the article: the two tabs whose pages changed (the
//    zh-CN article and its side-by-side page) reload, the article at the
//    scroll position it had, and the eight others do not; the zh-CN index's
//    search box, searching for the word the edit brings, finds it once the
//    language's search index is written again, without a reload;
// 2. checks that every tab can still fetch from the server;
// 3. saves a broken version: the article's tab shows the overlay, naming
//    the file relative to the project; the others show nothing; then the
//    fixed version clears it.
// Prints one line per check and ends with "N passed, N failed".
import { launch } from "./chromium.mjs";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

const [base, file] = process.argv.slice(2);
const ARTICLE = "self-service-password-reset";
const URLS = [
  `/zh-cn/${ARTICLE}.html`,
  `/zh-cn/${ARTICLE}.sxs.html`,
  `/ja-jp/${ARTICLE}.html`,
  `/sv-se/${ARTICLE}.html`,
  `/et-ee/${ARTICLE}.html`,
  `/ro-ro/${ARTICLE}.html`,
  `/en-us/${ARTICLE}.html`,
  `/zh-cn/index.html`,
  `/ja-jp/index.html`,
  `/status.html`,
];
const CHANGED = new Set([URLS[0], URLS[1]]);
const WAIT = 20000;

let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok || !detail ? "" : `: ${detail}`}`);
}
const within = (promise, ms) =>
  Promise.race([promise, new Promise((ok) => setTimeout(() => ok(false), ms))]);

/// Writes the way many editors save: a temporary file renamed over it.
function save(text) {
  writeFileSync(`${file}.tabs-tmp`, text);
  renameSync(`${file}.tabs-tmp`, file);
}

const original = readFileSync(file, "utf8");
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 800, height: 400 } });
  const tabs = [];
  for (const url of URLS) {
    const page = await context.newPage();
    page.on("pageerror", (e) => check(`${url}: no script error`, false, e.message));
    // The live-reload connection is ready when its first message (the
    // overlay as it is now) has arrived.
    const live = new Promise((ok) =>
      page.on("websocket", (ws) => ws.on("framereceived", () => ok(true))),
    );
    let status = 0;
    try {
      const response = await page.goto(base + url, { timeout: WAIT });
      status = response ? response.status() : 0;
    } catch (e) {
      status = String(e.message).split("\n")[0];
    }
    check(`tab ${tabs.length + 1} loads ${url}`, status === 200, `${status}`);
    if (status !== 200) break;
    tabs.push({ url, page, live });
  }
  if (tabs.length === URLS.length) {
    for (const t of tabs) {
      check(`${t.url}: live-reload connection open`, await within(t.live, WAIT));
      await t.page.evaluate(() => {
        window.__tabsMark = true;
      });
    }
    const article = tabs[0].page;
    await article.evaluate(() => window.scrollTo(0, 300));
    const scrolled = await article.evaluate(() => window.scrollY);
    check("the article tab is scrolled down", scrolled > 100, `${scrolled}`);

    // 1. An edit. The zh-CN index's search box, which does not reload, is
    // searching for the word the edit brings.
    const index = tabs[7].page;
    const hit = `.search-results a[href$="${ARTICLE}.html"]`;
    await index.fill(".search-input", "TABSWORT");
    const searched = await index
      .waitForSelector('.search-results[data-query="TABSWORT"]', { state: "attached", timeout: WAIT })
      .then(() => true, () => false);
    check("the zh-CN index searched for the word before the edit", searched);
    check("... and did not find it", (await index.$(hit)) === null);
    save(original.replace("有关详细信息", "TABSWORT"));
    for (const t of tabs.filter((t) => CHANGED.has(t.url))) {
      const reloaded = await t.page
        .waitForFunction(
          () => window.__tabsMark === undefined && document.body.innerText.includes("TABSWORT"),
          null,
          { timeout: WAIT },
        )
        .then(() => true, () => false);
      check(`${t.url}: reloaded with the edit`, reloaded);
    }
    const found = await index
      .waitForSelector(hit, { timeout: WAIT })
      .then(() => true, () => false);
    check("the zh-CN index's search finds the saved word, without a reload", found);
    await article.waitForLoadState("load");
    await article.waitForFunction(() => window.scrollY > 0, null, { timeout: 5000 }).catch(() => {});
    const kept = await article.evaluate(() => window.scrollY);
    check("the article tab kept its scroll position", Math.abs(kept - scrolled) <= 2, `${kept} vs ${scrolled}`);
    await new Promise((ok) => setTimeout(ok, 1500));
    for (const t of tabs.filter((t) => !CHANGED.has(t.url))) {
      const same = await t.page.evaluate(() => window.__tabsMark === true);
      check(`${t.url}: not reloaded (its page did not change)`, same);
    }

    // 2. Every tab still reaches the server.
    for (const t of tabs) {
      const status = await within(
        t.page.evaluate(async () => (await fetch(location.href, { cache: "no-store" })).status),
        WAIT,
      );
      check(`${t.url}: responsive (a fetch from the tab answers)`, status === 200, `${status}`);
    }

    // 3. A broken save shows the overlay in the article's tab only.
    save(original.replace("有关详细信息", "TABSWORT") + '\n<span data-ttu-id="zz-1">TABS-BROKEN\n');
    const overlay = await article
      .waitForSelector("#helpbook-overlay", { timeout: WAIT })
      .then((e) => e.innerText(), () => "");
    check("the overlay appears in the article's tab", overlay.includes("sxs::unterminated"), overlay);
    check(
      "the overlay names the file relative to the project",
      overlay.includes(`content/zh-CN/${ARTICLE}.md`) && !overlay.includes(dirname(file)),
      overlay,
    );
    for (const t of tabs.slice(2)) {
      const none = (await t.page.$("#helpbook-overlay")) === null;
      check(`${t.url}: no overlay`, none);
    }
    save(original);
    const cleared = await article
      .waitForFunction(
        () => !document.getElementById("helpbook-overlay") && document.body.innerText.includes("有关详细信息"),
        null,
        { timeout: WAIT },
      )
      .then(() => true, () => false);
    check("the fixed save clears the overlay and reloads the article", cleared);
  }
} finally {
  save(original);
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
