// Headless Chromium for the browser scripts: Debian's by default, another
// binary when given, with the background services a test has no use for off.
import { chromium } from "playwright-core";

const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export function launch(executablePath) {
  return chromium.launch({
    executablePath: executablePath || process.env.CHROMIUM || "/usr/bin/chromium",
    args: ARGS,
  });
}
