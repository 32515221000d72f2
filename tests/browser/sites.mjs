// Built sites served over HTTP on 127.0.0.1 for the browser scripts, each
// under its own first path segment: `serveSites({ rtl: DIR })` answers
// `/rtl/sv-se/index.html` from `DIR/sv-se/index.html`. A folder answers with
// its index.html; nothing outside a site's folder is ever read.
import { createServer } from "node:http";
import { readFileSync, statSync } from "node:fs";
import { extname, join, normalize, sep } from "node:path";

const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

// Starts the server; resolves to its origin and a function that stops it.
export async function serveSites(roots) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const [, name, ...rest] = path.split("/");
    const site = roots[name];
    if (!site) return res.writeHead(404).end();
    let file = normalize(join(site, ...rest));
    if (!file.startsWith(normalize(site) + sep) && file !== normalize(site)) {
      return res.writeHead(403).end();
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, "index.html");
      res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" });
      res.end(readFileSync(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}
