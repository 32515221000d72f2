// helpbook serve: the editor of side-by-side pages. Reads the page's data
// (#helpbook-edit: file, hash, token, one row per pair, matched in order
// with the page's rows that hold a pair, `tr[data-pair]`), shows where each
// pair lives (file:line) and, when editing is on, a textarea per row:
// Ctrl+Enter (or Cmd+Enter) saves, Escape puts the text back. A stale row
// also has "Keep translation". The server writes the file; the page then
// reloads through the live-reload socket like after any save.
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
  var style = document.createElement("style");
  style.textContent =
    ".hb-src{display:block;font:12px monospace;opacity:.7}" +
    ".hb-edit textarea{width:100%;box-sizing:border-box;font:inherit;min-height:3em}" +
    ".hb-edit button{margin:.2em .4em 0 0}" +
    ".hb-msg{display:block;font-size:90%}.hb-msg.hb-error{color:#b00020;white-space:pre-wrap}";
  document.head.appendChild(style);

  function send(row, body, status, area) {
    body.page = location.pathname;
    body.hash = data.hash;
    body.id = row.id;
    body.line = row.line;
    body.column = row.column;
    status.className = "hb-msg";
    status.textContent = "Saving…";
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
    var src = document.createElement("span");
    src.className = "hb-src";
    src.textContent = data.file + ":" + row.line;
    cell.appendChild(src);
    if (!data.token) return;
    var box = document.createElement("div");
    box.className = "hb-edit";
    var area = document.createElement("textarea");
    area.value = row.target;
    area.setAttribute("aria-label", "Translation " + (i + 1) + " (Ctrl+Enter saves)");
    area.dir = cell.getAttribute("dir") || "auto";
    area.lang = cell.getAttribute("lang") || "";
    var save = document.createElement("button");
    save.type = "button";
    save.className = "hb-save";
    save.textContent = "Save";
    var status = document.createElement("span");
    status.className = "hb-msg";
    status.setAttribute("role", "status");
    var doSave = function () {
      send(row, { action: "save", text: area.value }, status, area);
    };
    save.addEventListener("click", doSave);
    area.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        doSave();
      } else if (ev.key === "Escape") {
        area.value = row.target;
      }
    });
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
  });
})();
