// The screenshots of docs/screenshots/, written by hand (not part of
// `cargo test`): the example article in three languages at desktop and
// phone widths, a Japanese article, an Arabic (right-to-left) article with
// Show English on, and the language menu open on a 390 px phone, left to
// right (sv-SE) and right to left (ar-SA). Each is cropped to the viewport.
//
//   HELPBOOK_SCREENSHOTS=docs/screenshots node tests/browser/screenshots.mjs EXAMPLE_SITE RTL_SITE
//
// EXAMPLE_SITE: `helpbook build --dest EXAMPLE_SITE` of this repository;
// RTL_SITE: the same of tests/fixtures/build/rtl (ar-SA, he-IL, sv-SE).
// The sites are served on 127.0.0.1 (the language menu fetches the chooser
// page, which a page opened from disk cannot).
import { launch } from "./chromium.mjs";
import { serveSites } from "./sites.mjs";
import { join } from "node:path";

const out = process.env.HELPBOOK_SCREENSHOTS;
const [example, rtl] = process.argv.slice(2);
if (!out || !example || !rtl) {
  console.error("usage: HELPBOOK_SCREENSHOTS=DIR node screenshots.mjs EXAMPLE_SITE RTL_SITE");
  process.exit(2);
}
const roots = { example, rtl };
const { origin, close: stopServer } = await serveSites(roots);

const desktop = { width: 1280, height: 900 };
const phone = { width: 390, height: 844 };
const browser = await launch();
const written = [];
async function shot(page, file) {
  await page.screenshot({ path: join(out, file), fullPage: false });
  written.push(file);
}
try {
  // The example article in three languages, desktop and phone.
  for (const lang of ["zh-cn", "ja-jp", "sv-se"]) {
    for (const [name, viewport] of [["desktop", desktop], ["phone", phone]]) {
      const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
      await page.goto(`${origin}/example/${lang}/self-service-password-reset.html`);
      await shot(page, `seed-${lang}-${name}.png`);
      await page.close();
    }
  }

  // An Arabic article with Show English on: each English sentence reads as
  // one unit inside the right-to-left text.
  {
    const page = await browser.newPage({ viewport: { width: 1000, height: 640 }, deviceScaleFactor: 1 });
    await page.goto(`${origin}/rtl/ar-sa/page.html`);
    await page.locator("button.show-english").click();
    await page.waitForSelector(".seg-en", { timeout: 5000 });
    await shot(page, "show-english-ar-sa.png");
    await page.close();
  }

  // The language menu open on a phone, both directions.
  for (const slug of ["sv-se", "ar-sa"]) {
    const page = await browser.newPage({ viewport: phone, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
    await page.goto(`${origin}/rtl/${slug}/page.html`);
    await page.locator(".language-switcher .language-chooser").tap();
    await page.locator(".language-menu").waitFor({ state: "visible", timeout: 5000 });
    await shot(page, `language-menu-${slug}-phone.png`);
    await page.close();
  }
} finally {
  await browser.close();
  stopServer();
}
console.log(`wrote ${written.length} screenshots to ${out}: ${written.join(", ")}`);
