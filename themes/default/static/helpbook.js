// helpbook default theme script. The site works without it; it only adds
// conveniences on top of the static pages.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // Close the language menu with Escape, returning focus to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".language-switcher details[open]").forEach(function (d) {
      d.removeAttribute("open");
      var summary = d.querySelector("summary");
      if (summary) summary.focus();
    });
  });

  // Show English: each translated sentence gets its English beside it. The
  // English comes from <page>.en.js, loaded only when asked for (a script, not
  // fetch, so that it works from disk too), and is removed again when turned
  // off, so that screen readers meet it only on request.
  var KEY = "helpbook.showEnglish";
  var button = document.querySelector("button.show-english");
  if (!button) return;
  var english = null;
  var wanted = false;
  function remember(on) {
    try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode */ }
  }
  function stored() {
    try { return localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function show() {
    document.querySelectorAll(".content [data-s]").forEach(function (span) {
      var html = english[+span.getAttribute("data-s")];
      if (html === undefined || (span.nextSibling && span.nextSibling.className === "seg-en")) return;
      var en = document.createElement("span");
      en.className = "seg-en";
      en.lang = "en";
      en.dir = "ltr";
      en.innerHTML = html;
      span.parentNode.insertBefore(en, span.nextSibling);
    });
  }
  function hide() {
    document.querySelectorAll(".seg-en").forEach(function (en) { en.remove(); });
  }
  window.helpbookEnglish = function (list) {
    english = list;
    if (wanted) show();
  };
  function set(on) {
    wanted = on;
    button.setAttribute("aria-pressed", on ? "true" : "false");
    document.documentElement.classList.toggle("showing-english", on);
    if (!on) return hide();
    if (english) return show();
    var script = document.createElement("script");
    script.src = button.getAttribute("data-english");
    document.head.appendChild(script);
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var on = button.getAttribute("aria-pressed") !== "true";
    remember(on);
    set(on);
  });
  if (stored()) set(true);
})();
