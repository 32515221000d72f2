// Hostile content in a real browser: every page of a site built from
// tests/fixtures/browser/hostile (scripts, event handlers, javascript: and
// data: URLs, frames, refreshes, <base>, styles, template syntax, in
// articles, sxs spans, front matter and an include), loaded in Chromium with
// Show English off and on, every distinct link address clicked, and a search
// run. Every payload, if it ran, would set `window.__pwned` and fetch
// http://pwned.invalid/…; some would open a dialog. None may.
//
//   node hostile.mjs SITE
//
// The site is served over HTTP on 127.0.0.1 (so that search, which fetches
// its index, works too); every other request is recorded and refused.
// Prints one line per check and ends with "N passed, N failed".
import { launch } from "./chromium.mjs";
import { createServer } from "node:http";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { extname, join, normalize, sep } from "node:path";

const [site] = process.argv.slice(2);

let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok || !detail ? "" : `: ${detail}`}`);
}

const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
};
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  let file = normalize(join(site, path));
  if (!file.startsWith(normalize(site) + sep) && file !== normalize(site)) {
    res.writeHead(403).end();
    return;
  }
  try {
    if (statSync(file).isDirectory()) file = join(file, "index.html");
    const body = readFileSync(file);
    res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const origin = `http://127.0.0.1:${server.address().port}`;

const pages = readdirSync(site, { recursive: true })
  .map((p) => String(p).split(sep).join("/"))
  .filter((p) => p.endsWith(".html"))
  .sort();

const browser = await launch();

// What ran, wherever it ran: requests to the payload host, dialogs, markers,
// and frames loaded from a host that is neither the site nor an allowed
// video host (a frame loads by itself, with no click).
const videoHosts = ["www.youtube.com"];
const frames = [];
const hits = [];
const dialogs = [];
const markers = [];

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route("**/*", (route) => {
    const request = route.request();
    const url = request.url();
    if (url.startsWith(origin + "/")) return route.continue();
    if (url.includes("pwned.invalid")) hits.push(url);
    let host = "";
    try {
      host = new URL(url).host;
    } catch {}
    const inFrame = request.isNavigationRequest() && request.frame()?.parentFrame();
    if (inFrame && !videoHosts.includes(host)) frames.push(url);
    return route.abort();
  });
  const watch = (page) =>
    page.on("dialog", (d) => {
      dialogs.push(`${d.type()} "${d.message()}" on ${page.url()}`);
      d.dismiss().catch(() => {});
    });
  context.on("page", watch);
  const page = await context.newPage();

  // The marker of the page now shown (whatever a click led to).
  async function marker(where) {
    const m = await page.evaluate(() => window.__pwned ?? null).catch(() => null);
    if (m !== null) markers.push(`${m} (${where})`);
  }
  async function settle() {
    await page.waitForLoadState("load").catch(() => {});
    await page.waitForTimeout(50);
  }
  // A click's navigation may still be under way: the next goto then waits
  // for it and tries again, rather than racing it.
  async function visit(url) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await page.goto(url);
      } catch (e) {
        if (attempt >= 3 || !String(e).includes("interrupted by another navigation")) throw e;
        await settle();
      }
    }
  }

  let clicked = 0;
  let toggled = 0;
  const clickedHrefs = new Set();
  for (const path of pages) {
    const url = `${origin}/${path.split("/").map(encodeURIComponent).join("/")}`;
    await visit(url);
    await settle();
    await marker(path);
    const toggle = page.locator("button.show-english");
    if (await toggle.count()) {
      // On, then off again: the English of every pair is inserted, from
      // <page>.en.js, and removed.
      const shown = [];
      for (let i = 0; i < 2; i++) {
        await toggle.click();
        await page.waitForSelector(".seg-en", { timeout: 3000, state: i ? "detached" : "attached" }).catch(() => {});
        await page.waitForTimeout(50);
        shown.push(await page.locator(".seg-en").count());
        await marker(`${path}, Show English ${i ? "off" : "on"}`);
        toggled++;
      }
      check(`Show English inserts the English on ${path} and removes it`, shown[0] > 0 && shown[1] === 0, `${shown}`);
    }
    // Each distinct address is clicked once, on the first page that has it:
    // the header, footer and language links every page repeats would only
    // load pages that are visited anyway.
    const hrefs = await page
      .locator("a[href], area[href]")
      .evaluateAll((links) => links.map((a) => a.href));
    for (let i = 0; i < hrefs.length; i++) {
      if (clickedHrefs.has(hrefs[i])) continue;
      clickedHrefs.add(hrefs[i]);
      if (page.url() !== url) {
        await visit(url);
        await settle();
      }
      const link = page.locator("a[href], area[href]").nth(i);
      await link
        .click({ timeout: 1000, force: true, noWaitAfter: true, modifiers: [] })
        .catch(() => {});
      await settle();
      await marker(`${path}, link ${i}`);
      clicked++;
    }
  }
  // Search: results are built from titles and text of hostile articles.
  for (const [lang, query] of [
    ["sv-se", "Fientlig"],
    ["en-us", "Hostile"],
    ["sv-se", "script"],
  ]) {
    await visit(`${origin}/${lang}/index.html?q=${encodeURIComponent(query)}`);
    await page.waitForSelector(".search-results li", { timeout: 3000 }).catch(() => {});
    await page.waitForTimeout(100);
    const results = await page.locator(".search-results li").count();
    check(`search for "${query}" in ${lang} shows results`, results > 0);
    await marker(`search ${query}`);
  }
  // Pages opened by links in new tabs.
  for (const p of context.pages()) {
    if (p !== page) await p.evaluate(() => window.__pwned ?? null).then((m) => m && markers.push(`${m} (${p.url()})`)).catch(() => {});
  }

  check(`loaded ${pages.length} pages`, pages.length >= 10, pages.join(", "));
  check(`clicked ${clicked} links`, clicked > 0);
  check(`toggled Show English ${toggled} times`, toggled >= 4);
  check("no payload set window.__pwned", markers.length === 0, markers.join("; "));
  check("no request reached pwned.invalid", hits.length === 0, [...new Set(hits)].join("; "));
  check("no dialog opened", dialogs.length === 0, dialogs.join("; "));
  check("no frame loaded from another host", frames.length === 0, [...new Set(frames)].join("; "));
} catch (e) {
  check("the run finished", false, String(e && e.stack ? e.stack : e));
} finally {
  await browser.close();
  server.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
