// helpbook default theme script. The site works without it; it only adds
// conveniences on top of the static pages: the language menu opened in
// place, and search.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // --- The language switcher. In the page it is a link to the article's
  // language chooser page (languages/<article>.html, or the root index for
  // a language's index), which works without this script. Here the link
  // opens that page's list in place, as a menu: loaded on first use, its
  // links made relative to this page, this page's language marked current,
  // and the languages that show the English marked in this page's words.
  // Where the chooser cannot be fetched (a site opened from disk), the link
  // is followed as it stands.
  document.querySelectorAll(".language-switcher .language-chooser").forEach(function (button) {
    var nav = button.parentNode;
    var menu = null;
    var loading = false;
    button.setAttribute("role", "button");
    button.setAttribute("aria-expanded", "false");
    function here(url) {
      var path = url.pathname.replace(/index\.html$/, "");
      return url.origin === location.origin &&
        path === location.pathname.replace(/index\.html$/, "");
    }
    function setOpen(open, focus) {
      if (!menu) return;
      menu.hidden = !open;
      button.setAttribute("aria-expanded", String(open));
      if (open) {
        var first = menu.querySelector("[aria-current]") || menu.querySelector("a");
        if (first && focus) first.focus();
      }
    }
    function build(text, from) {
      var doc = new DOMParser().parseFromString(text, "text/html");
      var list = document.createElement("ul");
      list.className = "language-menu";
      list.id = "language-menu";
      list.hidden = true;
      doc.querySelectorAll(".language-list > li").forEach(function (li) {
        var source = li.querySelector("a[href]");
        if (!source) return;
        var target = new URL(source.getAttribute("href"), from);
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = target.href;
        ["hreflang", "lang", "dir"].forEach(function (name) {
          var value = source.getAttribute(name);
          if (value) link.setAttribute(name, value);
        });
        link.textContent = source.textContent;
        if (here(target)) link.setAttribute("aria-current", "page");
        item.appendChild(link);
        if (li.classList.contains("missing") && button.dataset.missing) {
          var badge = document.createElement("span");
          badge.className = "badge";
          badge.textContent = " (" + button.dataset.missing + ")";
          item.appendChild(badge);
        }
        list.appendChild(item);
      });
      nav.appendChild(list);
      button.setAttribute("aria-controls", list.id);
      return list;
    }
    function load() {
      if (loading) return;
      loading = true;
      var from = new URL(button.getAttribute("href"), location.href);
      var follow = function () { location.href = from.href; };
      if (location.protocol === "file:") return follow();
      fetch(from).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      }).then(function (text) {
        menu = build(text, from);
        setOpen(true, true);
      }).catch(follow);
    }
    button.addEventListener("click", function (event) {
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      if (menu) setOpen(menu.hidden, true);
      else load();
    });
    button.addEventListener("keydown", function (event) {
      if (event.key === " ") {
        event.preventDefault();
        button.click();
      }
    });
    // Escape, or a click elsewhere, closes the menu (Escape returns focus
    // to its button).
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !menu || menu.hidden) return;
      setOpen(false);
      button.focus();
    });
    document.addEventListener("click", function (event) {
      if (menu && !menu.hidden && !nav.contains(event.target)) setOpen(false);
    });
  });

  // --- Search. The index format and the ranking are described in
  // src/search/format.rs and src/search/query.rs (its Rust twin, which the
  // tests run and compare with this one); the tokenizer is
  // src/search/tokenize.rs and src/search/script.rs. Keep them in step.
  var WORD = /[\p{Alphabetic}\p{M}\p{Nd}\p{Nl}\p{No}]+/gu;
  var LETTER = /[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}]/u;
  // What may stand between two words of a pair (tokenize.rs, pairs_across).
  var JOINS = /^[\p{White_Space}\-\/()\[\]"]+$/u;
  var MAX_TERM = 64;
  var MIN_PREFIX = 2;
  var ENGLISH_WEIGHT = 0.3;
  var PREFIX_WEIGHT = 0.5;
  var COMPLETIONS = 6;
  var PREFIX_FILES = 3;
  var PAGE = 10; // results shown at a time
  var WORD_TERM = 0, GRAM = 1, PAIR = 2;
  var encoder = new TextEncoder();
  var lang = document.documentElement.lang || undefined;
  // Thai, Lao, Khmer and Burmese words: the browser's own dictionaries,
  // as ICU4X's on the index side.
  var segmenter = typeof Intl === "object" && Intl.Segmenter ?
    new Intl.Segmenter(lang, { granularity: "word" }) : null;

  function isCjk(c) {
    var u = c.codePointAt(0);
    return (u >= 0x1100 && u <= 0x11ff) || (u >= 0x3005 && u <= 0x3007) ||
      (u >= 0x3040 && u <= 0x30ff) || (u >= 0x3130 && u <= 0x318f) ||
      (u >= 0x31f0 && u <= 0x31ff) || (u >= 0x3400 && u <= 0x4dbf) ||
      (u >= 0x4e00 && u <= 0x9fff) || (u >= 0xac00 && u <= 0xd7af) ||
      (u >= 0xf900 && u <= 0xfaff) || (u >= 0xff66 && u <= 0xff9f) ||
      (u >= 0x20000 && u <= 0x3ffff);
  }

  function isUnspaced(c) {
    var u = c.codePointAt(0);
    return (u >= 0x0e00 && u <= 0x0eff) || (u >= 0x1000 && u <= 0x109f) ||
      (u >= 0x1780 && u <= 0x17ff) || (u >= 0xa9e0 && u <= 0xa9ff) ||
      (u >= 0xaa60 && u <= 0xaa7f);
  }

  function classOf(c) {
    return isCjk(c) ? 1 : isUnspaced(c) ? 2 : 0;
  }

  // The words and CJK runs of `text`: [{text, start, end, cjk}], offsets in
  // UTF-16 units of `text`.
  function tokens(text) {
    var out = [];
    var re = new RegExp(WORD.source, "gu");
    var m;
    while ((m = re.exec(text))) {
      var chars = Array.from(m[0]);
      var at = m.index;
      var i = 0;
      while (i < chars.length) {
        var kind = classOf(chars[i]);
        var run = "";
        while (i < chars.length && classOf(chars[i]) === kind) run += chars[i++];
        if (kind !== 2) {
          out.push({ text: run, start: at, end: at + run.length, cjk: kind === 1 });
        } else if (!segmenter) {
          out.push({ text: run, start: at, end: at + run.length, cjk: false });
        } else {
          Array.from(segmenter.segment(run)).forEach(function (s) {
            if (!LETTER.test(s.segment)) return;
            var start = at + s.index;
            out.push({ text: s.segment, start: start, end: start + s.segment.length, cjk: false });
          });
        }
        at += run.length;
      }
    }
    return out;
  }

  // The query's terms: {terms: [{text, kind}], prefix}: lower-cased words,
  // bigrams of CJK runs (a lone CJK character as itself), pairs of words
  // with only spaces or joining marks between them (JOINS; when `pairs`), without repeats; `prefix`
  // is the index of the word being typed (the last, nothing after it) or -1.
  function queryTerms(query, pairs) {
    var out = { terms: [], prefix: -1 };
    function push(text, kind) {
      if (!text || encoder.encode(text).length > MAX_TERM) return -1;
      for (var i = 0; i < out.terms.length; i++) if (out.terms[i].text === text) return i;
      out.terms.push({ text: text, kind: kind });
      return out.terms.length - 1;
    }
    var previous = null;
    tokens(query).forEach(function (t) {
      if (t.cjk) {
        var chars = Array.from(t.text);
        if (chars.length === 1) push(chars[0], GRAM);
        else for (var k = 0; k + 1 < chars.length; k++) push(chars[k] + chars[k + 1], GRAM);
        // A word and the CJK run after it pair as the word and the run's
        // first character; the run's last character pairs with what follows.
        if (pairs && previous && JOINS.test(query.slice(previous.end, t.start))) {
          push(previous.word + " " + chars[0], PAIR);
        }
        out.prefix = -1;
        previous = { word: chars[chars.length - 1], end: t.end };
        return;
      }
      var word = t.text.toLowerCase();
      var at = push(word, WORD_TERM);
      if (pairs && previous && JOINS.test(query.slice(previous.end, t.start))) {
        push(previous.word + " " + word, PAIR);
      }
      out.prefix = at >= 0 && t.end === query.length ? at : -1;
      previous = { word: word, end: t.end };
    });
    return out;
  }

  // Code point order (Rust's order of strings), not UTF-16's.
  function compare(a, b) {
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) {
      var x = a.charCodeAt(i);
      var y = b.charCodeAt(i);
      if (x === y) continue;
      var xs = x >= 0xd800 && x <= 0xdfff;
      var ys = y >= 0xd800 && y <= 0xdfff;
      if (xs !== ys) return xs ? 1 : -1;
      return x - y;
    }
    return a.length - b.length;
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

  // A lexicon row as {word, pages, stems, more}: `more` holds the further
  // forms (the word written with a clitic before it) as [form, stem].
  function entry(row) {
    var stem = row.length > 2 ? row[2] : row[0];
    var more = (row.length > 4 ? row[4] : []).map(function (f) {
      return typeof f === "string" ? [f, f] : f;
    });
    return { word: row[0], pages: row[1], stems: [stem, row.length > 3 ? row[3] : stem], more: more };
  }

  // Adds a lexicon word's variants to `out` (its stems, then its further
  // forms'), each unless `out` has it; whether any was added.
  function addVariants(out, stems, words, more, weight, whole) {
    var before = out.length;
    var targets = [{ stems: stems, words: words }].concat(more.map(function (f) {
      return { stems: [f[1], f[1]], words: [f[0]] };
    }));
    targets.forEach(function (t) {
      var known = out.some(function (v) { return v.stems[0] === t.stems[0] && v.stems[1] === t.stems[1]; });
      if (!known) out.push({ stems: t.stems, weight: weight, whole: whole, words: t.words });
    });
    return out.length > before;
  }

  // An index: its meta.json, then the files of the folder it names
  // (`files`), each fetched once. meta.json is checked with the server
  // (a kept copy may name a folder an update removed); the folder's files
  // never change.
  function Index(base) {
    var cache = {};
    var self = this;
    this.get = function (file) {
      if (!cache[file]) {
        var meta = file === "meta.json";
        var url = meta ? Promise.resolve(base + file) :
          self.get("meta.json").then(function (m) { return base + m.files + "/" + file; });
        cache[file] = url.then(function (u) {
          return fetch(u, meta ? { cache: "no-cache" } : {});
        }).then(function (r) {
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

  // The lexicon file that could hold `word`, or -1.
  function fileOf(meta, word) {
    var lo = 0;
    var hi = meta.lexicon.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (compare(meta.lexicon[mid], word) <= 0) lo = mid + 1; else hi = mid;
    }
    return lo - 1;
  }

  Index.prototype.lexicon = function (k) {
    return this.get("l/" + k + ".json").then(function (rows) { return rows.map(entry); });
  };

  // The ways a term is looked up: [{stems, weight, whole, words}], `words`
  // being the forms of the page text to highlight.
  Index.prototype.variants = function (meta, term, typing) {
    var self = this;
    if (term.kind !== WORD_TERM) {
      return Promise.resolve([{ stems: [term.text, term.text], weight: 1, whole: true, words: [term.text] }]);
    }
    var word = term.text;
    var k = fileOf(meta, word);
    var exact = k < 0 ? Promise.resolve(null) : self.lexicon(k).then(function (entries) {
      var lo = 0;
      var hi = entries.length;
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (compare(entries[mid].word, word) < 0) lo = mid + 1; else hi = mid;
      }
      var e = lo < entries.length && entries[lo].word === word ? entries[lo] : null;
      // Other forms of the same stem, to highlight.
      var forms = e ? entries.filter(function (o) { return o.stems[0] === e.stems[0]; })
        .map(function (o) { return o.word; }) : [word];
      return { e: e, forms: forms };
    });
    var completing = typing && Array.from(word).length >= MIN_PREFIX;
    return Promise.all([exact, completing ? self.completions(meta, word) : []]).then(function (both) {
      var found = both[0];
      var stems = found && found.e ? found.e.stems :
        [meta.truncate ? Array.from(word).slice(0, meta.truncate).join("") : word, word];
      var out = [];
      addVariants(out, stems, found ? found.forms : [word], found && found.e ? found.e.more : [], 1, true);
      var added = 0;
      both[1].forEach(function (c) {
        if (added < COMPLETIONS && addVariants(out, c.stems, [c.word], c.more, PREFIX_WEIGHT, false)) {
          added += 1;
        }
      });
      return out;
    });
  };

  // The words of the lexicon that start with `prefix` (and are longer), most
  // frequent first, then in lexicon order.
  Index.prototype.completions = function (meta, prefix) {
    var first = Math.max(fileOf(meta, prefix), 0);
    var files = [];
    for (var k = first; k < Math.min(first + PREFIX_FILES, meta.lexicon.length); k++) {
      if (k > first && meta.lexicon[k].indexOf(prefix) !== 0) break;
      files.push(this.lexicon(k));
    }
    return Promise.all(files).then(function (lists) {
      var found = [];
      lists.forEach(function (entries) {
        entries.forEach(function (e) {
          if (e.word !== prefix && e.word.indexOf(prefix) === 0) found.push(e);
        });
      });
      return found.sort(function (a, b) { return b.pages - a.pages || compare(a.word, b.word); });
    });
  };

  // What `query` finds: {total, ranked: [{doc, own}], words, grams}, best
  // first; `words` and `grams` are what to highlight.
  Index.prototype.search = function (query) {
    var self = this;
    return self.get("meta.json").then(function (meta) {
      var q = queryTerms(query, true);
      var n = meta.docs;
      return Promise.all(q.terms.map(function (term, i) {
        return self.variants(meta, term, q.prefix === i).then(function (variants) {
          return Promise.all(variants.map(function (v) {
            return Promise.all([self.shard(meta, v.stems[0]), self.shard(meta, v.stems[1])]).then(function (both) {
              return [own(both[0].t, v.stems[0]), own(both[1].e, v.stems[1])];
            });
          })).then(function (lists) { return { term: term, variants: variants, lists: lists }; });
        });
      })).then(function (looked) {
        var tally = {};
        var words = [];
        var grams = [];
        looked.forEach(function (l) {
          var best = {};
          l.variants.forEach(function (variant, v) {
            var found = {};
            [0, 1].forEach(function (field) {
              var list = l.lists[v][field];
              if (!list) return;
              var df = list.length / 2;
              var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
              var weight = (field === 0 ? 1 : ENGLISH_WEIGHT) * variant.weight;
              var doc = 0;
              for (var i = 0; i + 1 < list.length; i += 2) {
                doc += list[i];
                var f = found[doc] || (found[doc] = [0, false]);
                f[0] += weight * idf * list[i + 1];
                if (field === 0) f[1] = true;
              }
            });
            Object.keys(found).forEach(function (doc) {
              var b = best[doc] || (best[doc] = [found[doc][0], false, false]);
              b[0] = Math.max(b[0], found[doc][0]);
              if (found[doc][1]) b[1] = true;
              if (variant.whole) b[2] = true;
            });
            if (l.term.kind === GRAM) grams.push(l.term.text);
            else if (l.term.kind === WORD_TERM) words = words.concat(variant.words);
          });
          Object.keys(best).forEach(function (doc) {
            var t = tally[doc] || (tally[doc] = { doc: +doc, any: 0, own: 0, whole: 0, score: 0 });
            t.score += best[doc][0];
            t.any += 1;
            if (best[doc][1]) t.own += 1;
            if (best[doc][2]) t.whole += 1;
          });
        });
        var needed = q.terms.filter(function (t) { return t.kind !== PAIR; }).length;
        needed = Math.max(1, Math.ceil(needed / 2));
        var ranked = Object.keys(tally).map(function (d) { return tally[d]; })
          .filter(function (t) { return t.any >= needed; })
          .sort(function (a, b) {
            return b.any - a.any || b.own - a.own || b.whole - a.whole ||
              b.score - a.score || a.doc - b.doc;
          });
        var typing = q.prefix >= 0 ? q.terms[q.prefix].text : null;
        return { total: ranked.length, ranked: ranked, words: words, grams: grams, typing: typing, meta: meta, index: self };
      });
    });
  };

  // The rows (url, title, excerpt) of some ranked pages.
  Index.prototype.rows = function (found, from, to) {
    var self = this;
    var meta = found.meta;
    return Promise.all(found.ranked.slice(from, to).map(function (t) {
      return self.get("d/" + Math.floor(t.doc / meta.chunk) + ".json").then(function (rows) {
        var row = rows[t.doc % meta.chunk];
        return { url: row[0], title: row[1], excerpt: row[2], englishOnly: t.own === 0 };
      });
    }));
  };

  // `text` into `parent`, the words a search found marked with <mark>.
  function marked(parent, text, found) {
    var words = {};
    found.words.forEach(function (w) { words[w] = true; });
    var hits = new Array(text.length + 1);
    tokens(text).forEach(function (t) {
      if (t.cjk) {
        found.grams.forEach(function (g) {
          for (var i = t.text.indexOf(g); i >= 0; i = t.text.indexOf(g, i + 1)) {
            for (var j = i; j < i + g.length; j++) hits[t.start + j] = true;
          }
        });
        return;
      }
      var word = t.text.toLowerCase();
      if (own(words, word) || (found.typing && word.indexOf(found.typing) === 0)) {
        for (var k = t.start; k < t.end; k++) hits[k] = true;
      }
    });
    var i = 0;
    while (i < text.length) {
      var j = i;
      while (j < text.length && !!hits[j] === !!hits[i]) j++;
      var piece = document.createTextNode(text.slice(i, j));
      if (hits[i]) {
        var mark = document.createElement("mark");
        mark.appendChild(piece);
        parent.appendChild(mark);
      } else {
        parent.appendChild(piece);
      }
      i = j;
    }
  }

  function setUp(box) {
    var input = box.querySelector(".search-input");
    var panel = box.querySelector(".search-panel");
    var status = box.querySelector(".search-status");
    var list = box.querySelector(".search-results");
    var more = box.querySelector(".search-more");
    var form = box.querySelector("form");
    var base = box.dataset.index;
    var site = base.replace(/search\/$/, "");
    var index = new Index(base);
    var fromDisk = location.protocol === "file:";
    var serial = 0;
    var timer = null;
    var dismissed = false; // closed with Escape: stays closed until typed in
    var current = null; // the results shown: {found, shown}
    var plurals = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang) : null;

    // The string `name` for `count`, in the plural form the language uses.
    function string(name, count) {
      var form = plurals && box.getAttribute("data-" + name + "-" + plurals.select(count));
      return form || box.getAttribute("data-" + name);
    }

    function say(text, query, count) {
      var number = count.toLocaleString ? count.toLocaleString(lang) : String(count);
      status.textContent = text.replace("{query}", query).replace("{count}", number);
      panel.hidden = false;
    }

    function busy(on) {
      list.setAttribute("aria-busy", on ? "true" : "false");
    }

    function append(found, hits) {
      hits.forEach(function (hit) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = site + hit.url;
        marked(a, hit.title || hit.url, found);
        li.appendChild(a);
        if (hit.englishOnly) {
          var badge = document.createElement("span");
          badge.className = "badge";
          badge.textContent = " (" + box.dataset.english + ")";
          li.appendChild(badge);
        }
        if (hit.excerpt) {
          var p = document.createElement("p");
          marked(p, hit.excerpt, found);
          li.appendChild(p);
        }
        list.appendChild(li);
      });
    }

    function show(query, found, hits) {
      list.textContent = "";
      current = { found: found, shown: hits.length };
      append(found, hits);
      list.setAttribute("data-total", found.total);
      list.setAttribute("data-query", query);
      more.hidden = found.total <= hits.length;
      say(found.total ? string("results", found.total) : box.dataset.noResults, query.trim(), found.total);
      busy(false);
    }

    function run() {
      var query = input.value;
      var mine = ++serial;
      current = null;
      more.hidden = true;
      if (!query.trim()) {
        list.textContent = "";
        status.textContent = "";
        panel.hidden = true;
        return;
      }
      if (fromDisk) {
        list.textContent = "";
        say(box.dataset.needsServer, query.trim(), 0);
        return;
      }
      busy(true);
      if (!queryTerms(query, false).terms.length) {
        return show(query, { total: 0, ranked: [], words: [], grams: [] }, []);
      }
      say(box.dataset.searching, query.trim(), 0);
      var attempt = function (again) {
        return index.search(query).then(function (found) {
          return index.rows(found, 0, PAGE).then(function (hits) {
            if (mine === serial) show(query, found, hits);
          });
        }).catch(function (e) {
          if (!again) throw e;
          // A file of the index is gone: a new index was published since
          // its meta.json was read (a deployment, or `serve` after a
          // save). Read afresh, once.
          index = new Index(base);
          return attempt(false);
        });
      };
      attempt(true).catch(function () {
        if (mine === serial) {
          say(box.dataset.error, query.trim(), 0);
          busy(false);
        }
      });
    }

    // The next results, after those shown; focus moves to the first of them.
    more.addEventListener("click", function () {
      var shown = current;
      if (!shown) return;
      var mine = serial;
      // From the index that found them: their page numbers are its own.
      (shown.found.index || index).rows(shown.found, shown.shown, shown.shown + PAGE).then(function (hits) {
        if (mine !== serial || current !== shown) return;
        var first = list.children.length;
        append(shown.found, hits);
        shown.shown += hits.length;
        more.hidden = shown.found.total <= shown.shown;
        var next = list.children[first] && list.children[first].querySelector("a");
        if (next) next.focus();
      });
    });

    // The results' links, and the "more results" button when it shows.
    function links() {
      var all = Array.prototype.slice.call(list.querySelectorAll("a"));
      return more.hidden ? all : all.concat([more]);
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
    // `helpbook serve` says when this language's search index has been
    // written again (a page's text saved): it is read afresh, and results
    // on show are searched for again unless a reader is among them.
    window.addEventListener("helpbook:search-changed", function () {
      index = new Index(base);
      if (!panel.hidden && current && !list.contains(document.activeElement)) run();
    });
    // A search in the address (`?q=…`), as the form submits without script.
    var q = new URLSearchParams(location.search).get("q");
    if (q) {
      input.value = q;
      run();
    }
  }

  document.querySelectorAll(".site-search").forEach(setUp);

  (function sideBySide() {
    // The side-by-side page: a filter of its rows (the only part that needs
    // a script) and the "n" key, which goes to the next changed or new row
    // shown. Without a script each such row links to the next one.
    var table = document.querySelector(".sxs-table");
    var filter = document.querySelector(".sxs-filter");
    if (!table) return;
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    function matches(row, which) {
      if (which === "changed") return row.classList.contains("row-changed");
      if (which === "new") return row.classList.contains("row-new");
      if (which === "untranslated") return row.classList.contains("untranslated");
      return true;
    }
    if (filter) {
      var buttons = filter.querySelectorAll("button[data-filter]");
      buttons.forEach(function (button) {
        button.addEventListener("click", function () {
          var which = button.getAttribute("data-filter");
          buttons.forEach(function (b) { b.setAttribute("aria-pressed", b === button ? "true" : "false"); });
          rows.forEach(function (row) { row.hidden = !matches(row, which); });
        });
      });
      filter.hidden = false;
    }
    function isChange(row) {
      return !row.hidden && (row.classList.contains("row-changed") || row.classList.contains("row-new"));
    }
    document.addEventListener("keydown", function (event) {
      if (event.key !== "n" || event.ctrlKey || event.metaKey || event.altKey) return;
      var t = event.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      var current = document.querySelector(".sxs-table tr.current-change");
      var start = current ? rows.indexOf(current) + 1 : 0;
      var next = null;
      for (var i = 0; i < rows.length && !next; i++) {
        var row = rows[(start + i) % rows.length];
        if (isChange(row)) next = row;
      }
      if (!next) return;
      event.preventDefault();
      if (current) current.classList.remove("current-change");
      next.classList.add("current-change");
      next.setAttribute("tabindex", "-1");
      next.focus();
      next.scrollIntoView({ block: "center" });
      if (history.replaceState) history.replaceState(null, "", "#" + next.id);
    });
  })();

  (function suggestLanguage() {
    // --- The root index and the language choosers: the reader's own
    // language, by the browser's preferences, repeated above the list as
    // one link. Nothing moves and nothing is followed on its own, so a
    // shared or crawled address still shows the whole list. A preference
    // matches its own tag best, then a tag of its language in the same
    // script (zh-TW finds zh-HK before zh-CN), then any of its language;
    // an earlier preference wins over a closer match of a later one.
    var list = document.querySelector(".root-index .language-list");
    var prefs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
    if (!list || !prefs[0]) return;
    function parts(tag) {
      var script = null;
      try { script = new Intl.Locale(tag).maximize().script || null; } catch (e) { /* not a tag */ }
      var lower = String(tag).toLowerCase();
      return { tag: lower, language: lower.split("-")[0], script: script };
    }
    var links = Array.prototype.map.call(list.querySelectorAll("li > a[hreflang]"), function (a) {
      return { a: a, parts: parts(a.getAttribute("hreflang")) };
    });
    var best = null;
    var bestValue = 0;
    prefs.forEach(function (pref, rank) {
      var p = parts(pref);
      links.forEach(function (l) {
        var score = l.parts.tag === p.tag ? 3
          : l.parts.language !== p.language ? 0
          : l.parts.script === p.script ? 2 : 1;
        var value = score && (prefs.length - rank) * 4 + score;
        if (value > bestValue) { best = l.a; bestValue = value; }
      });
    });
    if (!best) return;
    var suggestion = document.createElement("p");
    suggestion.className = "language-suggestion";
    Array.prototype.forEach.call(best.parentNode.childNodes, function (node) {
      suggestion.appendChild(node.cloneNode(true));
    });
    list.parentNode.insertBefore(suggestion, list.previousElementSibling || list);
  })();

  (function indexFilter() {
    // The language index's filter box: hidden without JavaScript; typing
    // shows only the titles that contain the text (case and width folded,
    // as the page's language folds them) and the groups that keep any.
    var box = document.querySelector(".index-filter");
    if (!box) return;
    var input = box.querySelector("input");
    var output = box.querySelector("output");
    var lang = document.documentElement.lang || undefined;
    var fold = function (s) { return s.normalize("NFKC").toLocaleLowerCase(lang); };
    var items = Array.prototype.map.call(document.querySelectorAll(".article-list > li"), function (li) {
      return { li: li, text: fold(li.querySelector("a").textContent) };
    });
    var sections = document.querySelectorAll(".index > section");
    var number = function (n) { return n.toLocaleString ? n.toLocaleString(lang) : String(n); };
    var timer = null;
    function apply() {
      var q = fold(input.value.trim());
      var shown = 0;
      items.forEach(function (it) {
        var on = !q || it.text.indexOf(q) !== -1;
        it.li.hidden = !on;
        if (on) shown += 1;
      });
      sections.forEach(function (section) {
        section.hidden = !!q && !section.querySelector(".article-list > li:not([hidden])");
        var jumps = section.querySelector(".jump-links");
        if (jumps) jumps.hidden = !!q;
      });
      output.textContent = q ? number(shown) + " / " + number(items.length) : "";
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(apply, 60);
    });
    box.hidden = false;
  })();

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
        en.lang = button.getAttribute("data-english-lang") || "en";
        en.dir = "ltr";
        en.innerHTML = html;
        // A heading's accessible name stays its own language's text.
        if (span.closest("h1, h2, h3, h4, h5, h6")) en.setAttribute("aria-hidden", "true");
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
