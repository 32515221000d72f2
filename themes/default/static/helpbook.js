// helpbook default theme script. The site works without it; it only adds
// conveniences on top of the static pages: closing the language menu with
// Escape, and search.
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

  // --- Search. The index format and the ranking are described in
  // src/search/format.rs and src/search/query.rs (its Rust twin, which the
  // tests run); the tokenizer is src/search/tokenize.rs. Keep them in step.
  var WORD = /[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}]+/gu;
  var MAX_TERM = 64;
  var ENGLISH_WEIGHT = 0.3;
  var encoder = new TextEncoder();

  function isCjk(c) {
    var u = c.codePointAt(0);
    return (u >= 0x1100 && u <= 0x11ff) || (u >= 0x3005 && u <= 0x3007) ||
      (u >= 0x3040 && u <= 0x30ff) || (u >= 0x3130 && u <= 0x318f) ||
      (u >= 0x31f0 && u <= 0x31ff) || (u >= 0x3400 && u <= 0x4dbf) ||
      (u >= 0x4e00 && u <= 0x9fff) || (u >= 0xac00 && u <= 0xd7af) ||
      (u >= 0xf900 && u <= 0xfaff) || (u >= 0xff66 && u <= 0xff9f) ||
      (u >= 0x20000 && u <= 0x3ffff);
  }

  // The query's terms: lower-cased words, bigrams of CJK runs (a lone CJK
  // character as itself), without repeats.
  function queryTerms(query) {
    var out = [];
    function push(t) {
      if (t && encoder.encode(t).length <= MAX_TERM && out.indexOf(t) < 0) out.push(t);
    }
    (query.match(WORD) || []).forEach(function (word) {
      var chars = Array.from(word);
      var i = 0;
      while (i < chars.length) {
        var cjk = isCjk(chars[i]);
        var j = i;
        while (j < chars.length && isCjk(chars[j]) === cjk) j++;
        var run = chars.slice(i, j);
        if (!cjk) push(run.join("").toLowerCase());
        else if (run.length === 1) push(run[0]);
        else for (var k = 0; k + 1 < run.length; k++) push(run[k] + run[k + 1]);
        i = j;
      }
    });
    return out;
  }

  // obj[key] for the file's own keys only ("constructor" is not a term).
  function own(obj, key) {
    return obj && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
  }

  function fnv1a(term) {
    var bytes = encoder.encode(term);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  // An index folder: fetches each file once.
  function Index(base) {
    var cache = {};
    this.get = function (file) {
      if (!cache[file]) {
        cache[file] = fetch(base + file).then(function (r) {
          if (!r.ok) throw new Error(file + ": " + r.status);
          return r.json();
        });
      }
      return cache[file];
    };
  }

  Index.prototype.shard = function (meta, term) {
    return this.get("s/" + (fnv1a(term) % Math.max(meta.shards, 1)) + ".json");
  };

  // Results for `query`: [{url, title, excerpt, englishOnly}], best first.
  Index.prototype.search = function (query, limit) {
    var self = this;
    var terms = queryTerms(query);
    return self.get("meta.json").then(function (meta) {
      var n = meta.docs;
      return Promise.all(terms.map(function (term) {
        return self.shard(meta, term).then(function (s) {
          var stems = own(s.w, term) ||
            [meta.truncate ? Array.from(term).slice(0, meta.truncate).join("") : term, term];
          return Promise.all([self.shard(meta, stems[0]), self.shard(meta, stems[1])]).then(function (both) {
            return [own(both[0].t, stems[0]), own(both[1].e, stems[1])];
          });
        });
      })).then(function (lists) {
        var tally = {};
        lists.forEach(function (pair) {
          var seen = {};
          [0, 1].forEach(function (field) {
            var list = pair[field];
            if (!list) return;
            var df = list.length / 2;
            var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
            var weight = field === 0 ? 1 : ENGLISH_WEIGHT;
            var doc = 0;
            for (var i = 0; i + 1 < list.length; i += 2) {
              doc += list[i];
              var t = tally[doc] || (tally[doc] = { doc: doc, any: 0, own: 0, score: 0 });
              t.score += weight * idf * list[i + 1];
              var s = seen[doc] || (seen[doc] = [false, false]);
              s[field] = true;
            }
          });
          Object.keys(seen).forEach(function (doc) {
            tally[doc].any += 1;
            if (seen[doc][0]) tally[doc].own += 1;
          });
        });
        var needed = Math.max(1, Math.ceil(terms.length / 2));
        var ranked = Object.keys(tally).map(function (d) { return tally[d]; })
          .filter(function (t) { return t.any >= needed; })
          .sort(function (a, b) {
            return b.any - a.any || b.own - a.own || b.score - a.score || a.doc - b.doc;
          })
          .slice(0, limit);
        return Promise.all(ranked.map(function (t) {
          return self.get("d/" + Math.floor(t.doc / meta.chunk) + ".json").then(function (rows) {
            var row = rows[t.doc % meta.chunk];
            return { url: row[0], title: row[1], excerpt: row[2], englishOnly: t.own === 0 };
          });
        }));
      });
    });
  };

  function setUp(box) {
    var input = box.querySelector(".search-input");
    var panel = box.querySelector(".search-panel");
    var status = box.querySelector(".search-status");
    var list = box.querySelector(".search-results");
    var form = box.querySelector("form");
    var base = box.dataset.index;
    var site = base.replace(/search\/$/, "");
    var index = new Index(base);
    var fromDisk = location.protocol === "file:";
    var serial = 0;
    var timer = null;
    var dismissed = false; // closed with Escape: stays closed until typed in

    function say(text, query, count) {
      status.textContent = text.replace("{query}", query).replace("{count}", count);
      panel.hidden = false;
    }

    function show(query, hits) {
      list.textContent = "";
      hits.forEach(function (hit) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = site + hit.url;
        a.textContent = hit.title || hit.url;
        li.appendChild(a);
        if (hit.englishOnly) {
          var badge = document.createElement("span");
          badge.className = "badge";
          badge.textContent = " (" + box.dataset.english + ")";
          li.appendChild(badge);
        }
        if (hit.excerpt) {
          var p = document.createElement("p");
          p.textContent = hit.excerpt;
          li.appendChild(p);
        }
        list.appendChild(li);
      });
      say(hits.length ? box.dataset.results : box.dataset.noResults, query, hits.length);
    }

    function run() {
      var query = input.value.trim();
      var mine = ++serial;
      if (!query) {
        list.textContent = "";
        status.textContent = "";
        panel.hidden = true;
        return;
      }
      if (fromDisk) {
        list.textContent = "";
        say(box.dataset.needsServer, query, 0);
        return;
      }
      if (!queryTerms(query).length) return show(query, []);
      say(box.dataset.searching, query, 0);
      index.search(query, 10).then(function (hits) {
        if (mine === serial) show(query, hits);
      }, function () {
        if (mine === serial) say(box.dataset.error, query, 0);
      });
    }

    function links() {
      return Array.prototype.slice.call(list.querySelectorAll("a"));
    }

    input.addEventListener("input", function () {
      dismissed = false;
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      dismissed = false;
      clearTimeout(timer);
      run();
    });
    // Arrow keys move between the box and the results; Escape closes them.
    box.addEventListener("keydown", function (event) {
      var all = links();
      var at = all.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && all.length) {
        event.preventDefault();
        all[Math.min(at + 1, all.length - 1)].focus();
      } else if (event.key === "ArrowUp" && at >= 0) {
        event.preventDefault();
        if (at === 0) input.focus(); else all[at - 1].focus();
      } else if (event.key === "Escape" && !panel.hidden) {
        event.stopPropagation();
        panel.hidden = true;
        dismissed = true;
        input.focus();
      }
    });
    input.addEventListener("focus", function () {
      if (!dismissed && input.value.trim() && status.textContent) panel.hidden = false;
    });
    // "/" focuses the search box from anywhere but a text field.
    document.addEventListener("keydown", function (event) {
      var t = event.target;
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      event.preventDefault();
      input.focus();
    });
    // A search in the address (`?q=…`), as the form submits without script.
    var q = new URLSearchParams(location.search).get("q");
    if (q) {
      input.value = q;
      run();
    }
  }

  document.querySelectorAll(".site-search").forEach(setUp);

  (function showEnglish() {
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
})();
