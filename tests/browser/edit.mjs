// Editing a translation in the side-by-side page of `helpbook serve`, by
// keyboard, in Chromium. Run by tests/serve_edit.rs, which starts the server
// on a copy of the example project in which zh-CN pair e620b-104 is stale:
//
//   node edit.mjs BASE_URL ZH_CN_ARTICLE_FILE
//
// 1. Each row shows its file:line; typing in the row of pair e620b-103 and
//    pressing Ctrl+Enter saves it: the file differs from the original only
//    in that span, and the reloaded page shows the new text.
// 2. "Keep translation" on the stale row: the row (and the article, which
//    has no other stale pair) is current after the reload.
// 3. The file changes on disk behind the page; a save from the page is
//    refused with a message naming the change, and the other change stays.
// 4. A read-only file (sv-SE, made so here): its page says so, has no
//    editor, and still shows where each pair lives.
// Along the way: text typed and not saved survives a reload (a save of
// another row reloads the page); Escape once keeps it, twice puts the
// file's text back; after a save the saved row has the focus again; the
// editor's own words are marked English, left to right.
// Prints one line per check and ends with "N passed, N failed".
import { launch } from "./chromium.mjs";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";

const [base, file] = process.argv.slice(2);
const PAGE = `${base}/zh-cn/self-service-password-reset.sxs.html`;
const WAIT = 20000;
const OLD_103 =
  "点击这里以[允许用户重置自己的密码](https://admin.microsoft.com/Adminportal/Home#/featureexplorer/security/Sspr)。";
const NEW_103 = "浏览器里改的译文 & 更多";

let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok || !detail ? "" : `: ${detail}`}`);
}

/// The row of the side-by-side table whose data names pair `id`.
async function rowIndex(page, id) {
  return page.evaluate((id) => {
    const data = JSON.parse(document.getElementById("helpbook-edit").textContent);
    return data.rows.findIndex((r) => r.id === id);
  }, id);
}

/// Waits for the live reload that follows a save.
async function reloaded(page, action) {
  const nav = page.waitForNavigation({ timeout: WAIT }).then(
    () => true,
    () => false,
  );
  await action();
  const ok = await nav;
  await page.waitForSelector("#helpbook-edit", { state: "attached", timeout: WAIT });
  return ok;
}

const original = readFileSync(file, "utf8");
const browser = await launch();
try {
  const page = await (await browser.newContext()).newPage();
  page.on("pageerror", (e) => check("no script error", false, e.message));
  await page.goto(PAGE, { timeout: WAIT });
  await page.waitForSelector(".hb-edit textarea", { timeout: WAIT });

  const where = await page.locator(".sxs-table tbody tr .hb-src").first().textContent();
  check("a row shows its file:line", /^content\/zh-CN\/self-service-password-reset\.md:\d+$/.test(where), where);

  const editor = page.locator(".hb-edit").first();
  check(
    "the editor's words are marked English",
    (await editor.getAttribute("lang")) === "en" && (await editor.getAttribute("dir")) === "ltr",
  );

  // 0. A draft kept over a reload, and Escape.
  const i103 = await rowIndex(page, "e620b-103");
  const row103 = page.locator(".sxs-table tbody tr[data-pair]").nth(i103);
  const area = row103.locator("textarea");
  check("the textarea holds the translation", (await area.inputValue()) === OLD_103);
  check("the textarea is in the row's language", (await area.getAttribute("lang")) === "zh-CN");
  await area.focus();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("草稿");
  await page.reload();
  await page.waitForSelector(".hb-edit textarea", { timeout: WAIT });
  check("a draft is back after a reload", (await area.inputValue()) === "草稿", await area.inputValue());
  const note = await row103.locator(".hb-msg").getAttribute("data-result");
  check("the draft is said to be unsaved", note === "draft", note);
  await area.focus();
  await page.keyboard.press("Escape");
  check("one Escape keeps the draft", (await area.inputValue()) === "草稿");
  await page.keyboard.press("Escape");
  check("a second Escape puts the file's text back", (await area.inputValue()) === OLD_103);
  await page.reload();
  await page.waitForSelector(".hb-edit textarea", { timeout: WAIT });
  check("a discarded draft stays discarded", (await area.inputValue()) === OLD_103);

  // 1. Edit by keyboard, with a draft in another row.
  const others = page.locator(".sxs-table tbody tr[data-pair] textarea");
  const iOther = i103 === 0 ? 1 : 0;
  await others.nth(iOther).fill("另一行的草稿");
  await others.nth(iOther).dispatchEvent("input");
  await area.focus();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type(NEW_103);
  const wasReloaded = await reloaded(page, () => page.keyboard.press("Control+Enter"));
  check("the page reloads after the save", wasReloaded);
  check(
    "the draft of another row survives the save's reload",
    (await others.nth(iOther).inputValue()) === "另一行的草稿",
    await others.nth(iOther).inputValue(),
  );
  // The editor's script runs after the page's data is in place: wait for
  // it to give the focus back (or not) rather than read at once.
  await page
    .waitForFunction(() => document.activeElement && document.activeElement.tagName === "TEXTAREA", null, {
      timeout: 5000,
    })
    .catch(() => {});
  const focused = await page.evaluate(() => {
    const a = document.activeElement;
    return a && a.tagName === "TEXTAREA" ? a.value : a && a.tagName;
  });
  check("the saved row has the focus again", focused === NEW_103, focused);
  const saved = readFileSync(file, "utf8");
  check(
    "the file differs only in that span",
    saved === original.replace(OLD_103, NEW_103),
    saved.length + " vs " + original.length,
  );
  const shown = await page.locator(".sxs-table tbody tr[data-pair]").nth(i103).locator(".sxs-target").textContent();
  check("the page shows the new text", shown.includes(NEW_103), shown);

  // 2. Keep translation on the stale row.
  const i104 = await rowIndex(page, "e620b-104");
  const row104 = page.locator(".sxs-table tbody tr[data-pair]").nth(i104);
  check("the changed English makes the row changed", /row-(changed|removed)/.test(await row104.getAttribute("class")));
  const keep = row104.locator("button.hb-keep");
  check("a stale row has Keep translation", (await keep.count()) === 1);
  const keptReload = await reloaded(page, () => keep.click());
  check("the page reloads after keep", keptReload);
  const cls = await page.locator(".sxs-table tbody tr[data-pair]").nth(i104).getAttribute("class");
  check("the kept row is current", cls.includes("row-current"), cls);
  const stale = await page.locator(".sxs-table tbody tr.row-changed, .sxs-table tbody tr.row-removed").count();
  check("no stale row is left: the article is current", stale === 0, `${stale}`);

  // 3. A conflicting save. What the page knows is read before the file
  // changes: the change makes the page reload, and a script still running
  // in it then would be cut off. The save is then sent as the page would
  // send it, from the browser's context but not from the page.
  const before = readFileSync(file, "utf8");
  const known = await page.evaluate((id) => {
    const data = JSON.parse(document.getElementById("helpbook-edit").textContent);
    const row = data.rows.find((r) => r.id === id);
    return { token: data.token, hash: data.hash, line: row.line, column: row.column, page: location.pathname };
  }, "e620b-103");
  const theirs = before.replace(NEW_103, "另一处的修改");
  writeFileSync(file, theirs);
  const response = await page.context().request.post(`${base}/__helpbook/edit`, {
    headers: { "Content-Type": "application/json", "X-Helpbook-Token": known.token, Origin: base },
    data: JSON.stringify({
      page: known.page,
      hash: known.hash,
      id: "e620b-103",
      line: known.line,
      column: known.column,
      action: "save",
      text: "我的修改",
    }),
  });
  const answer = { status: response.status(), body: await response.json() };
  check("a save against a changed file is refused (409)", answer.status === 409, JSON.stringify(answer));
  check("the refusal says why", /changed on disk/.test(answer.body.error || ""), answer.body.error);
  check("the other change stays", readFileSync(file, "utf8") === theirs);

  // 4. A read-only file: its page says so and has no editor.
  const sv = file.replace("zh-CN", "sv-SE");
  chmodSync(sv, 0o444);
  try {
    // A page of its own: the zh-CN page may still reload after the
    // change made behind it.
    const ro = await page.context().newPage();
    await ro.goto(`${base}/sv-se/self-service-password-reset.sxs.html`, { timeout: WAIT });
    const note = ro.locator(".hb-read-only");
    await note.waitFor({ timeout: WAIT });
    const said = await note.textContent();
    check("a read-only file's page says so", /sv-SE\/self-service-password-reset\.md is read-only/.test(said), said);
    check("and has no editor", (await ro.locator(".hb-edit textarea").count()) === 0);
    check("its rows still show where each pair lives", (await ro.locator(".hb-src").count()) > 0);
  } finally {
    chmodSync(sv, 0o644);
  }
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
