// The language switcher in Chromium. Run by tests/language_switcher.rs on two
// built sites, served here over HTTP on 127.0.0.1 under /rtl/ and /fallback/:
//
//   node languages.mjs RTL_SITE FALLBACK_SITE CHINESE_SITE
//
// RTL_SITE has one article in en-US, ar-SA, he-IL and sv-SE; FALLBACK_SITE
// has `b` in en-US and sv-SE only (ja-JP shows the English). Checks:
// 1. the switcher (a link to the article's chooser page) opens a menu in
//    place that lists every language, marks the page's own, and follows a
//    link to the article in another language; Escape closes it;
// 2. on a language's index page it lists the languages' indexes;
// 3. a language lacking the article is marked in the reader's language;
// 4. at a 390 px phone viewport the open menu lies inside the viewport, on
//    a left-to-right (sv-SE) and a right-to-left (ar-SA) page;
// 5. without JavaScript the switcher is a plain link to the chooser page,
//    whose links lead to the article in each language;
// 6. the root index and a chooser page repeat the reader's own language
//    (by the browser's preferences) above the list, by tag, then by
//    language in the same script (CHINESE_SITE: zh-CN and zh-HK), then by
//    language; with no match, or without JavaScript, nothing is added.
// Prints one line per check and ends with "N passed, N failed".
import { launch } from "./chromium.mjs";
import { serveSites } from "./sites.mjs";

const [rtlSite, fallbackSite, chineseSite] = process.argv.slice(2);
const roots = { rtl: rtlSite, fallback: fallbackSite, chinese: chineseSite };

let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok || !detail ? "" : `: ${detail}`}`);
}

const { origin, close: stopServer } = await serveSites(roots);

const browser = await launch();
try {
  // 1. Open, list, mark, follow; Escape.
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${origin}/rtl/sv-se/page.html`);
  const button = page.locator(".language-switcher .language-chooser");
  check("the switcher links to the article's chooser page",
    (await button.getAttribute("href")) === "../languages/page.html");
  check("the switcher is a closed menu button",
    (await button.getAttribute("role")) === "button" &&
    (await button.getAttribute("aria-expanded")) === "false");
  await button.click();
  const menu = page.locator(".language-switcher .language-menu");
  await menu.waitFor({ state: "visible", timeout: 5000 });
  const tags = await menu.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("hreflang")));
  check("the menu lists every language", JSON.stringify(tags) === JSON.stringify(["en-US", "ar-SA", "he-IL", "sv-SE"]), JSON.stringify(tags));
  const current = await menu.locator("a[aria-current=page]").evaluateAll((as) => as.map((a) => a.getAttribute("hreflang")));
  check("the page's own language is current", JSON.stringify(current) === '["sv-SE"]', JSON.stringify(current));
  check("the button says the menu is open", (await button.getAttribute("aria-expanded")) === "true");
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.getAttribute("hreflang"));
  check("focus moves to the current language", focused === "sv-SE", String(focused));
  await page.keyboard.press("Escape");
  check("Escape closes the menu", await menu.isHidden());
  check("Escape returns focus to the button",
    await page.evaluate(() => document.activeElement.classList.contains("language-chooser")));
  await page.keyboard.press("Enter");
  check("Enter opens it again", await menu.isVisible());
  await menu.locator("a[hreflang=ar-SA]").click();
  await page.waitForURL(`${origin}/rtl/ar-sa/page.html`, { timeout: 5000 }).catch(() => {});
  check("a language's link leads to the article in it", page.url() === `${origin}/rtl/ar-sa/page.html`, page.url());
  check("the page it leads to is right-to-left",
    (await page.evaluate(() => document.documentElement.dir)) === "rtl");

  // 2. A language's index page: the languages' indexes.
  await page.goto(`${origin}/rtl/he-il/index.html`);
  await page.locator(".language-switcher .language-chooser").click();
  await page.locator(".language-menu").waitFor({ state: "visible", timeout: 5000 });
  const indexes = await page.locator(".language-menu a").evaluateAll((as) => as.map((a) => new URL(a.href).pathname));
  check("on an index page the menu lists the indexes",
    indexes.length === 4 && indexes.every((p) => /^\/rtl\/[a-z-]+\/index\.html$/.test(p)), JSON.stringify(indexes));
  const indexCurrent = await page.locator(".language-menu a[aria-current=page]").evaluateAll((as) => as.map((a) => a.getAttribute("hreflang")));
  check("the index's own language is current", JSON.stringify(indexCurrent) === '["he-IL"]', JSON.stringify(indexCurrent));

  // 3. A missing translation, in the reader's words.
  await page.goto(`${origin}/fallback/sv-se/b.html`);
  await page.locator(".language-switcher .language-chooser").click();
  await page.locator(".language-menu").waitFor({ state: "visible", timeout: 5000 });
  const entries = await page.locator(".language-menu li").evaluateAll((lis) => lis.map((li) => li.textContent));
  check("a language lacking the article is marked in the page's language",
    entries.includes("日本語 (Inte översatt)") && entries.includes("Svenska"), JSON.stringify(entries));
  await page.close();

  // 4. A phone: the open menu inside the viewport, both directions.
  for (const [slug, dir] of [["sv-se", "ltr"], ["ar-sa", "rtl"]]) {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await phone.goto(`${origin}/rtl/${slug}/page.html`);
    check(`${slug} is ${dir}`, (await phone.evaluate(() => document.documentElement.dir)) === dir);
    await phone.locator(".language-switcher .language-chooser").tap();
    const m = phone.locator(".language-menu");
    await m.waitFor({ state: "visible", timeout: 5000 });
    const box = await m.boundingBox();
    const inside = box && box.x >= 0 && box.y >= 0 && box.x + box.width <= 390 && box.y + box.height <= 844;
    check(`at 390 px the ${dir} menu opens inside the viewport`, inside, JSON.stringify(box));
    const items = await m.locator("a").evaluateAll((as) => as.map((a) => {
      const r = a.getBoundingClientRect();
      return r.left >= 0 && r.right <= 390 && r.width > 0;
    }));
    check(`at 390 px every ${dir} menu entry is on screen`, items.length === 4 && items.every(Boolean), JSON.stringify(items));
    await phone.close();
  }

  // 5. Without JavaScript: a plain link to the chooser page.
  const plain = await browser.newContext({ javaScriptEnabled: false });
  const nojs = await plain.newPage();
  await nojs.goto(`${origin}/rtl/he-il/page.html`);
  await nojs.locator(".language-switcher a").click();
  await nojs.waitForURL(`${origin}/rtl/languages/page.html`, { timeout: 5000 }).catch(() => {});
  check("without JavaScript the switcher leads to the chooser page", nojs.url() === `${origin}/rtl/languages/page.html`, nojs.url());
  const listed = await nojs.locator(".language-list a").evaluateAll((as) => as.map((a) => a.getAttribute("hreflang")));
  check("the chooser page lists every language", listed.length === 4, JSON.stringify(listed));
  await nojs.locator(".language-list a[hreflang=sv-SE]").click();
  await nojs.waitForURL(`${origin}/rtl/sv-se/page.html`, { timeout: 5000 }).catch(() => {});
  check("the chooser page's link leads to the article", nojs.url() === `${origin}/rtl/sv-se/page.html`, nojs.url());
  await plain.close();

  // 6. The reader's language first, by the browser's preferences.
  const suggested = async (locale, path, javaScriptEnabled = true, site = "rtl") => {
    const context = await browser.newContext({ locale, javaScriptEnabled });
    const p = await context.newPage();
    await p.goto(`${origin}/${site}/${path}`);
    const tags = await p.locator(".language-suggestion a").evaluateAll((as) => as.map((a) => a.getAttribute("hreflang")));
    await context.close();
    return JSON.stringify(tags);
  };
  check("a Hebrew reader is offered he-IL on the root index", (await suggested("he-IL", "index.html")) === '["he-IL"]');
  check("a reader of Swedish in Finland is offered sv-SE", (await suggested("sv-FI", "index.html")) === '["sv-SE"]');
  check("the chooser page offers the reader's language too", (await suggested("ar-EG", "languages/page.html")) === '["ar-SA"]');
  check("a language the site lacks is offered nothing", (await suggested("ja-JP", "index.html")) === "[]");
  check("without JavaScript nothing is added", (await suggested("he-IL", "index.html", false)) === "[]");
  check("a reader of zh-TW is offered zh-HK, in the same script", (await suggested("zh-TW", "index.html", true, "chinese")) === '["zh-HK"]');
  check("a reader of zh-SG is offered zh-CN", (await suggested("zh-SG", "index.html", true, "chinese")) === '["zh-CN"]');
} finally {
  await browser.close();
  stopServer();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
