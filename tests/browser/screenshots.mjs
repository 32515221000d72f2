// Screenshots of the example site for the README: the seed article in three
// languages at desktop and phone widths.
//
//   node screenshots.mjs SITE OUT_DIR
import { launch } from "./chromium.mjs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [site, out] = process.argv.slice(2);
const browser = await launch();
for (const lang of ["zh-cn", "ja-jp", "sv-se"]) {
  for (const [name, viewport] of [["desktop", { width: 1280, height: 900 }], ["phone", { width: 390, height: 844 }]]) {
    const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
    await page.goto(pathToFileURL(join(site, lang, "self-service-password-reset.html")).href);
    await page.screenshot({ path: join(out, `seed-${lang}-${name}.png`) });
    await page.close();
  }
}
await browser.close();
