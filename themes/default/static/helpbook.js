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
})();
