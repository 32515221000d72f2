// helpbook serve: the editor of side-by-side pages. Reads the page's data
// (#helpbook-edit: file, hash, token, one row per pair, matched in order
// with the page's rows that hold a pair, `tr[data-pair]`), shows where each
// pair lives (file:line), says so when the file is read-only, and, when
// editing is on and the file writable, a textarea per row:
// Ctrl+Enter (or Cmd+Enter) saves, Escape twice puts the text back. A stale
// row also has "Keep translation". The server writes the file; the page then
// reloads through the live-reload socket like after any save.
//
// A reload must not lose what a translator typed in other rows (a save of
// one row, or a change to the file on disk, reloads the whole page): each
// row's unsaved text is kept in sessionStorage as it is typed and put back
// after the reload, and the row last saved gets the focus back. The
// editor's own words are English (a translator reads the English), marked
// `lang="en" dir="ltr"` so that they read right in a right-to-left cell.
(function () {
  "use strict";
  var el = document.getElementById("helpbook-edit");
  if (!el) return;
  var data;
  try {
    data = JSON.parse(el.textContent);
  } catch (e) {
    return;
  }
  var rows = document.querySelectorAll(".sxs-table tbody tr[data-pair]");
  if (rows.length !== data.rows.length) return;
  var draftsKey = "helpbook-drafts:" + location.pathname;
  var focusKey = "helpbook-edit-focus:" + location.pathname;
  function load(key) {
    try { return JSON.parse(sessionStorage.getItem(key) || "{}") || {}; } catch (e) { return {}; }
  }
  function store(key, value) {
    try { sessionStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ }
  }
  var drafts = load(draftsKey);
  function setDraft(key, text) {
    if (text === null) delete drafts[key];
    else drafts[key] = text;
    store(draftsKey, drafts);
  }
  // The row saved last, for the reloads of the next few seconds: a save
  // can reload the page more than once (the page, then its lists), and
  // each time the focus goes back to it.
  var focus = load(focusKey);
  if (!(Date.now() - (focus.at || 0) < 10000)) focus = {};
  // A row's key: its pair id, and which of the rows with that id it is.
  var seen = {};
  var keys = data.rows.map(function (row) {
    seen[row.id] = (seen[row.id] || 0) + 1;
    return row.id + "#" + seen[row.id];
  });
  var style = document.createElement("style");
  style.textContent =
    ".hb-src{display:block;font:12px monospace;opacity:.7}" +
    ".hb-edit textarea{width:100%;box-sizing:border-box;font:inherit;font-weight:normal;min-height:3em;field-sizing:content}" +
    ".hb-edit button{margin:.2em .4em 0 0}" +
    ".hb-msg{display:block;font-size:90%}.hb-msg.hb-error{color:#b00020;white-space:pre-wrap}";
  document.head.appendChild(style);
  if (data.read_only) {
    var note = document.createElement("p");
    note.className = "hb-msg hb-read-only";
    note.lang = "en";
    note.dir = "ltr";
    note.setAttribute("role", "note");
    note.textContent = data.file + " is read-only: make it writable to edit its translations here.";
    var table = document.querySelector(".sxs-table");
    table.parentNode.insertBefore(note, table);
  }

  function send(row, body, status, area) {
    body.page = location.pathname;
    body.hash = data.hash;
    body.id = row.id;
    body.line = row.line;
    body.column = row.column;
    status.className = "hb-msg";
    status.textContent = "Saving…";
    // Before the request: the reload a save causes can come before its
    // answer does.
    store(focusKey, { key: status.getAttribute("data-key"), at: Date.now() });
    return fetch("/__helpbook/edit", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Helpbook-Token": data.token },
      body: JSON.stringify(body),
    })
      .then(function (r) {
        return r.json().then(function (j) {
          return { status: r.status, body: j };
        });
      })
      .then(function (answer) {
        var j = answer.body;
        if (answer.status === 200) {
          data.hash = j.hash;
          setDraft(status.getAttribute("data-key"), null);
          status.textContent = j.result === "unchanged" ? "Unchanged." : "Saved " + j.file + ":" + j.line + ".";
          status.setAttribute("data-result", j.result);
          return;
        }
        status.className = "hb-msg hb-error";
        status.setAttribute("data-result", "refused");
        var text = j.error || "refused (" + answer.status + ")";
        if (typeof j.current === "string") text += "\nCurrent text in the file: " + j.current;
        status.textContent = text;
      })
      .catch(function (e) {
        status.className = "hb-msg hb-error";
        status.textContent = "Could not reach helpbook serve: " + e;
      });
  }

  data.rows.forEach(function (row, i) {
    var tr = rows[i];
    var cell = tr.querySelector(".sxs-target");
    if (!cell) return;
    var key = keys[i];
    var src = document.createElement("span");
    src.className = "hb-src";
    src.lang = "en";
    src.dir = "ltr";
    src.textContent = data.file + ":" + row.line;
    cell.appendChild(src);
    if (!data.token) return;
    var box = document.createElement("div");
    box.className = "hb-edit";
    box.lang = "en";
    box.dir = "ltr";
    var label = document.createElement("span");
    label.id = "hb-label-" + i;
    label.hidden = true;
    label.textContent = "Translation " + (i + 1) + " (Ctrl+Enter saves, Escape twice puts the file's text back)";
    var area = document.createElement("textarea");
    area.value = row.target;
    area.setAttribute("aria-labelledby", label.id);
    area.dir = cell.getAttribute("dir") || "auto";
    area.lang = cell.getAttribute("lang") || "";
    var save = document.createElement("button");
    save.type = "button";
    save.className = "hb-save";
    save.textContent = "Save";
    var status = document.createElement("span");
    status.className = "hb-msg";
    status.setAttribute("role", "status");
    status.setAttribute("data-key", key);
    if (typeof drafts[key] === "string") {
      if (drafts[key] === row.target) {
        setDraft(key, null);
      } else {
        area.value = drafts[key];
        status.setAttribute("data-result", "draft");
        status.textContent = "Not saved yet: your text, kept over the reload.";
      }
    }
    var doSave = function () {
      send(row, { action: "save", text: area.value }, status, area);
    };
    save.addEventListener("click", doSave);
    var discarding = false;
    area.addEventListener("input", function () {
      discarding = false;
      setDraft(key, area.value === row.target ? null : area.value);
    });
    area.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        doSave();
      } else if (ev.key === "Escape" && area.value !== row.target) {
        // Twice: one stray press must not throw away what was typed.
        if (!discarding) {
          discarding = true;
          status.className = "hb-msg";
          status.textContent = "Press Escape again to put back the file's text.";
          return;
        }
        discarding = false;
        area.value = row.target;
        setDraft(key, null);
        status.textContent = "";
        status.removeAttribute("data-result");
      }
    });
    box.appendChild(label);
    box.appendChild(area);
    box.appendChild(save);
    if (row.stale) {
      var keep = document.createElement("button");
      keep.type = "button";
      keep.className = "hb-keep";
      keep.textContent = "Keep translation";
      keep.title = "The translation still fits the new English: mark it current";
      keep.addEventListener("click", function () {
        send(row, { action: "keep" }, status, area);
      });
      box.appendChild(keep);
    }
    box.appendChild(status);
    cell.appendChild(box);
    if (focus.key === key) area.focus({ preventScroll: true });
  });
})();
