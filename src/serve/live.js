// helpbook serve: live reload and the error overlay. Injected into served
// pages only (never into built files). One WebSocket per page (not one of
// the six HTTP connections a browser keeps per host, so any number of tabs
// stay live); it carries only this page's updates. Reloads the page when its
// own file changed, keeping the scroll position; tells the search box when
// its language's index changed; shows the findings of the last save;
// reconnects when the server comes back.
(() => {
  "use strict";
  const norm = (p) => {
    try { p = decodeURIComponent(p); } catch (_) { /* keep as is */ }
    return p.endsWith("/") ? p + "index.html" : p;
  };
  const page = norm(location.pathname);
  const key = "helpbook-scroll:" + page;
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    const [x, y] = saved.split(",").map(Number);
    const restore = () => window.scrollTo(x, y);
    if (document.readyState === "complete") restore();
    else window.addEventListener("load", restore);
  }
  const shown = {};
  let box = null;
  const render = () => {
    const list = (shown[page] || []).concat(shown["*"] || []);
    if (box) { box.remove(); box = null; }
    if (list.length === 0) return;
    box = document.createElement("div");
    box.id = "helpbook-overlay";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:auto 1rem 1rem 1rem;max-height:60vh;overflow:auto;" +
      "z-index:2147483647;background:#1e1e1e;color:#f0f0f0;font:14px/1.4 ui-monospace,monospace;" +
      "padding:1rem;border-left:6px solid #e5484d;border-radius:6px;box-shadow:0 4px 24px #0008";
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "Close");
    close.style.cssText = "float:right;background:none;border:0;color:inherit;font-size:20px;cursor:pointer";
    close.onclick = () => { box.remove(); box = null; };
    box.appendChild(close);
    const note = document.createElement("p");
    note.textContent = "helpbook: errors in the source; this page shows the last version without them.";
    note.style.margin = "0 0 .5rem";
    box.appendChild(note);
    for (const f of list) {
      const head = document.createElement("div");
      head.textContent = `${f.level}[${f.lint}]: ${f.message}`;
      head.style.cssText = "color:#ff8b8b;font-weight:bold;margin-top:.5rem";
      const where = document.createElement("div");
      where.textContent = f.line ? `  --> ${f.file}:${f.line}:${f.column}` : `  --> ${f.file}`;
      box.append(head, where);
      if (f.snippet) {
        const snippet = document.createElement("pre");
        snippet.textContent = f.snippet;
        snippet.style.cssText = "margin:.25rem 0;white-space:pre-wrap;background:#0004;padding:.25rem .5rem";
        box.appendChild(snippet);
      }
    }
    document.body.appendChild(box);
  };
  const update = (u) => {
    for (const [url, list] of Object.entries(u.findings || {})) shown[url] = list;
    // This language's search index was written again: the search box reads
    // it afresh (themes/default/static/helpbook.js).
    if ((u.changed || []).some((c) => c.endsWith("/search/meta.json"))) {
      window.dispatchEvent(new Event("helpbook:search-changed"));
    }
    if (u.all || (u.changed || []).includes(page)) {
      sessionStorage.setItem(key, `${window.scrollX},${window.scrollY}`);
      leaving = true;
      location.reload();
      return;
    }
    render();
  };
  // A page made in memory before the first build was written says so: if
  // the build made it differently, the server has it reloaded on connecting.
  const early = document.currentScript !== null &&
    document.currentScript.hasAttribute("data-early");
  const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host +
    "/__helpbook/events?page=" + encodeURIComponent(page) + (early ? "&early=1" : "");
  let leaving = false;
  let wait = 500;
  const connect = () => {
    const socket = new WebSocket(url);
    socket.onopen = () => { wait = 500; };
    socket.onmessage = (e) => {
      try { update(JSON.parse(e.data)); } catch (_) { /* not an update */ }
    };
    socket.onclose = () => {
      if (leaving) return;
      setTimeout(connect, wait);
      wait = Math.min(wait * 2, 5000);
    };
  };
  window.addEventListener("pagehide", () => { leaving = true; });
  window.addEventListener("pageshow", (e) => {
    if (e.persisted) { leaving = false; connect(); }
  });
  connect();
})();
