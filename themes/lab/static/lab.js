// conceptlab theme "lab": small enhancements on top of pages that work without JavaScript.
(function () {
  "use strict";
  var root = document.documentElement;
  var THEME_KEY = "conceptlab-theme";

  function currentTheme() {
    var set = root.getAttribute("data-theme");
    if (set) return set;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  function setupThemeToggle() {
    var button = document.querySelector(".theme-toggle");
    if (!button) return;
    var sync = function () { button.setAttribute("aria-pressed", String(currentTheme() === "dark")); };
    sync();
    button.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem(THEME_KEY, next); } catch (e) { /* private mode: not remembered */ }
      sync();
    });
  }

  // Reads and writes JSON in localStorage; private modes that refuse storage just forget.
  function load(key, fallback) {
    try { var v = JSON.parse(localStorage.getItem(key)); return v == null ? fallback : v; } catch (e) { return fallback; }
  }
  function save(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* not remembered */ }
  }
  // The keys in localStorage that start with `prefix`.
  function storedKeys(prefix) {
    var keys = [];
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var key = localStorage.key(i);
        if (key && key.indexOf(prefix) === 0) keys.push(key);
      }
    } catch (e) { /* storage refused: nothing kept */ }
    return keys;
  }
  window.conceptlab = { load: load, save: save };

  function el(tag, props, text) {
    var e = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) { e.setAttribute(k, props[k]); });
    if (text != null) e.textContent = text;
    return e;
  }

  // A link to #question-id (or to anything inside a closed <details>) opens it.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var target = document.getElementById(id);
    if (!target) return;
    if (target.hidden && target.matches(".question")) filterQuestions("");
    var details = target.matches(".question") ? target.querySelector("details.senior") : target.closest("details");
    if (details) details.open = true;
    for (var d = target.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) d.open = true;
    target.scrollIntoView();
  }

  // Printing shows every senior answer.
  function setupPrint() {
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll("details").forEach(function (d) {
        if (!d.open) { d.open = true; d.setAttribute("data-print-opened", ""); }
      });
    });
    window.addEventListener("afterprint", function () {
      document.querySelectorAll("details[data-print-opened]").forEach(function (d) {
        d.open = false; d.removeAttribute("data-print-opened");
      });
    });
  }


  // Search: the Pagefind index is fetched only once the reader types or picks a filter.
  function setupSearch() {
    var box = document.querySelector(".search[data-index]");
    if (!box) return;
    box.hidden = false;
    var input = box.querySelector("#search-input");
    // "Press /" means nothing on a touch screen, or once shortcuts are off.
    if (!shortcutsOn() || matchMedia("(hover: none) and (pointer: coarse)").matches) input.placeholder = "Search";
    var kind = box.querySelector("#search-kind");
    var course = box.querySelector("#search-course");
    var level = box.querySelector("#search-level");
    var status = box.querySelector("#search-status");
    var list = box.querySelector("#search-results");
    var engine = null;
    var timer = null;
    var generation = 0;

    function load() {
      if (!engine) {
        var script = box.getAttribute("data-index");
        var folder = script.slice(0, script.lastIndexOf("/") + 1);
        engine = import(script).then(function (pagefind) {
          // Large sites have their index in parts; merge the others into the first.
          var parts = fetch(folder + "parts.json").then(function (r) { return r.ok ? r.json() : []; }, function () { return []; });
          return pagefind.options({ excerptLength: 24 }).then(function () { return parts; }).then(function (list) {
            return Promise.all(list.map(function (part) { return pagefind.mergeIndex(folder + part); }));
          }).then(function () { return pagefind.filters(); }).then(function (filters) {
            Object.keys((filters && filters.course) || {}).sort().forEach(function (name) {
              var option = document.createElement("option");
              option.textContent = name;
              course.appendChild(option);
            });
            return pagefind;
          });
        });
        engine.catch(function () { status.textContent = "Search is unavailable (the index could not be loaded)."; });
      }
      return engine;
    }

    function clear() {
      list.textContent = "";
      status.textContent = "";
      box.classList.remove("is-active");
    }

    // The lowercased words of a query.
    function words(text) {
      return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    }

    // How well a question or card (a sub-result) matches: first how many of the query's
    // words its heading has ("dead relu" picks the dead-ReLU question over one that says
    // "ReLU" more often), then how many of them its text has, then its hits.
    function subScore(sub, terms) {
      var title = words(sub.title || "");
      var text = words((sub.excerpt || "").replace(/<[^>]*>/g, " "));
      var has = function (list) {
        return terms.filter(function (t) { return list.some(function (w) { return w.indexOf(t) === 0; }); }).length;
      };
      return [has(title), has(text), (sub.locations || []).length];
    }

    function better(a, b) {
      for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] > b[i];
      return false;
    }

    function run() {
      var query = input.value.trim();
      var filters = {};
      if (kind.value) filters.kind = kind.value;
      if (course.value) filters.course = course.value;
      if (level.value) filters.level = level.value;
      if (!query && !Object.keys(filters).length) return clear();
      box.classList.add("is-active");
      var mine = ++generation;
      var terms = words(query);
      load().then(function (pagefind) {
        return pagefind.search(query || null, { filters: filters });
      }).then(function (search) {
        return Promise.all(search.results.slice(0, 12).map(function (r) { return r.data(); }))
          .then(function (data) { return { total: search.results.length, data: data }; });
      }).then(function (found) {
        if (mine !== generation) return;
        list.textContent = "";
        found.data.forEach(function (item) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          // A lesson's flash cards are one record and so are its questions, each card or
          // question a sub-result: link the one with the most hits (of the chosen level).
          var meta = item.meta || {};
          var levels = {};
          var ids = [];
          (meta.levels || "").split(" ").forEach(function (pair) {
            var at = pair.lastIndexOf(":");
            if (at > 0) { ids.push(pair.slice(0, at)); levels[pair.slice(0, at)] = pair.slice(at + 1); }
          });
          var questions = meta.kind === "Interview question";
          var best = null;
          var bestScore = null;
          if (questions || meta.kind === "Flash card") {
            (item.sub_results || []).forEach(function (sub) {
              var id = sub.url.slice(sub.url.indexOf("#") + 1);
              if (sub.url === item.url || sub.url.indexOf("#") < 0) return;
              if (questions && (!levels[id] || (filters.level && levels[id] !== filters.level))) return;
              var score = subScore(sub, terms);
              if (!best || better(score, bestScore)) { best = sub; bestScore = score; }
            });
          }
          // No question of the chosen level has a hit (a search by filters alone has
          // none at all): the first question of the level, with its own text, never
          // another question's excerpt.
          var first = ids.filter(function (id) { return levels[id] === filters.level; })[0];
          if (!best && questions && first) {
            var own = (item.sub_results || []).filter(function (sub) { return sub.url.slice(sub.url.indexOf("#") + 1) === first; })[0];
            best = { url: item.url.split("#")[0] + "#" + first, excerpt: own ? own.excerpt : "", title: own ? own.title : meta.title };
          }
          if (best) {
            var level = questions && levels[best.url.slice(best.url.indexOf("#") + 1)];
            item = { url: best.url, excerpt: best.excerpt, meta: { title: best.title, kind: meta.kind + (level ? " · " + level : ""), lesson: meta.lesson } };
          }
          a.href = item.url;
          a.textContent = (item.meta && item.meta.title) || item.url;
          var badge = document.createElement("span");
          badge.className = "search-kind";
          badge.textContent = (item.meta && item.meta.kind) || "";
          var excerpt = document.createElement("p");
          // Pagefind escapes the indexed text; its excerpt only adds <mark> around hits.
          excerpt.innerHTML = item.excerpt;
          li.append(badge, a, excerpt);
          if (item.meta && item.meta.lesson) {
            var from = document.createElement("span");
            from.className = "search-from";
            from.textContent = item.meta.lesson;
            li.appendChild(from);
          }
          list.appendChild(li);
        });
        status.textContent = found.total === 0 ? "No results." :
          found.total + " result" + (found.total === 1 ? "" : "s") + (found.total > 12 ? ", showing 12" : "") + ".";
      });
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    }
    input.addEventListener("input", schedule);
    [kind, course, level].forEach(function (select) { select.addEventListener("change", run); });
    input.addEventListener("focus", load, { once: true });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { input.value = ""; clear(); input.blur(); }
      if (event.key === "ArrowDown") {
        var first = list.querySelector("a");
        if (first) { event.preventDefault(); first.focus(); }
      }
    });
    list.addEventListener("keydown", function (event) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var i = links.indexOf(document.activeElement);
      if (i < 0) return;
      if (event.key === "ArrowDown" && i + 1 < links.length) { event.preventDefault(); links[i + 1].focus(); }
      if (event.key === "ArrowUp") { event.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
      if (event.key === "Escape") { input.focus(); }
    });
    document.addEventListener("keydown", function (event) {
      var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement && document.activeElement.tagName);
      if (event.key === "/" && !typing && shortcutsOn() && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        input.focus();
      }
    });
  }

  // One polite live region for short confirmations ("Copied").
  var live = null;
  function announce(text) {
    if (!live) { live = el("div", { "class": "visually-hidden", "aria-live": "polite" }); document.body.appendChild(live); }
    live.textContent = "";
    setTimeout(function () { live.textContent = text; }, 30);
  }

  function setupCopy() {
    document.querySelectorAll(".code-block").forEach(function (block) {
      var pre = block.querySelector("pre");
      if (!pre) return;
      var button = el("button", { type: "button", "class": "copy" }, "Copy");
      button.addEventListener("click", function () {
        var text = pre.innerText.replace(/\n$/, "");
        var done = function (ok) {
          button.textContent = ok ? "Copied" : "Copy failed";
          announce(ok ? "Code copied" : "Copy failed: select the code and press Ctrl+C");
          setTimeout(function () { button.textContent = "Copy"; }, 1600);
        };
        var fallback = function () {
          var range = document.createRange();
          range.selectNodeContents(pre);
          var sel = getSelection();
          sel.removeAllRanges();
          sel.addRange(range);
          var ok = false;
          try { ok = document.execCommand("copy"); } catch (e) { /* unsupported */ }
          sel.removeAllRanges();
          done(ok);
        };
        if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
        else fallback();
      });
      block.appendChild(button);
    });
  }

  var SHORTCUTS = [
    ["j or →", "Next lesson"], ["k or ←", "Previous lesson"], ["/", "Search"],
    ["Enter or Space", "Flip the focused flash card"], ["1 2 3 4", "Grade a revealed card: again, hard, good, easy"],
    ["?", "Show or hide this help"], ["Esc", "Close this help"]
  ];

  function typingIn(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  // Single-key shortcuts can be turned off (WCAG 2.1.4): a reader whose speech input or
  // screen reader sends letters must not be sent to another lesson. The choice is kept.
  var SHORTCUTS_KEY = "conceptlab-shortcuts";
  var shortcutsOff = false;
  try { shortcutsOff = localStorage.getItem(SHORTCUTS_KEY) === "off"; } catch (e) { /* on */ }
  // The switch changes `shortcutsOff` too: it holds for this page even where storage fails.
  function shortcutsOn() { return !shortcutsOff; }
  window.conceptlabShortcutsOn = shortcutsOn;

  function toggleHelp() {
    var dialog = document.querySelector("dialog.help");
    if (!dialog) {
      dialog = el("dialog", { "class": "help", "aria-labelledby": "help-title" });
      dialog.appendChild(el("h2", { id: "help-title" }, "Keyboard shortcuts"));
      var list = el("dl");
      SHORTCUTS.forEach(function (s) {
        var dt = el("dt");
        dt.appendChild(el("kbd", {}, s[0]));
        list.append(dt, el("dd", {}, s[1]));
      });
      var toggle = el("input", { type: "checkbox", id: "shortcuts-on" });
      toggle.checked = shortcutsOn();
      toggle.addEventListener("change", function () {
        try {
          if (toggle.checked) localStorage.removeItem(SHORTCUTS_KEY);
          else localStorage.setItem(SHORTCUTS_KEY, "off");
        } catch (e) { /* storage unavailable: the choice lasts for this page */ }
        shortcutsOff = !toggle.checked;
      });
      var label = el("label", { "for": "shortcuts-on", "class": "shortcuts-choice" });
      label.append(toggle, " Use the single-key shortcuts (j, k, the arrows, /, ?, 1 to 4). This list stays under \u201cKeyboard shortcuts\u201d at the foot of every page.");
      var form = el("form", { method: "dialog" });
      form.appendChild(el("button", { type: "submit" }, "Close"));
      dialog.append(list, label, form);
      document.body.appendChild(dialog);
    }
    if (dialog.open) dialog.close(); else dialog.showModal();
  }

  // Arrows belong to whatever has focus: a link, a button, a card, a slider. They go to
  // another lesson only from the page itself.
  function ownsArrows(target) {
    for (var node = target; node && node.nodeType === 1 && node !== document.body; node = node.parentNode) {
      if (node.tagName === "MAIN") return false;
      if (/^(A|BUTTON|SUMMARY|INPUT|SELECT|TEXTAREA|AUDIO|VIDEO|DIALOG)$/.test(node.tagName)) return true;
      if (node.hasAttribute("tabindex") || node.isContentEditable || node.getAttribute("role")) return true;
    }
    return false;
  }

  // Arrows scroll a wide code block, table or diagram the reader last clicked in.
  function scrollsSideways(node) {
    for (; node && node.nodeType === 1; node = node.parentNode) {
      if (node.scrollWidth > node.clientWidth + 1 && /auto|scroll/.test(getComputedStyle(node).overflowX)) return true;
    }
    return false;
  }

  // j/k or arrows go to the next/previous lesson; ? shows the list of shortcuts.
  function setupShortcuts() {
    var clicked = null;
    var footer = document.querySelector(".site-footer");
    if (footer) {
      var open = el("button", { type: "button", "class": "shortcuts-button" }, "Keyboard shortcuts");
      open.addEventListener("click", toggleHelp);
      footer.appendChild(open);
    }
    document.addEventListener("pointerdown", function (event) { clicked = event.target; });
    document.addEventListener("keydown", function (event) {
      if (shortcutsOff || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return;
      var key = event.key;
      if (key === "?") { event.preventDefault(); toggleHelp(); return; }
      if (document.querySelector("dialog[open]")) return;
      if (/^Arrow/.test(key) && (ownsArrows(event.target) || scrollsSideways(event.target) || scrollsSideways(clicked))) return;
      var rel = key === "j" || key === "ArrowRight" ? "next" : key === "k" || key === "ArrowLeft" ? "prev" : "";
      var link = rel && document.querySelector('.lesson-nav a[rel="' + rel + '"]');
      if (link) { event.preventDefault(); location.href = link.href; }
    });
  }

  function filterQuestions(level) {
    var section = document.getElementById("questions");
    if (!section) return;
    var all = section.querySelectorAll("article.question");
    var shown = 0;
    all.forEach(function (q) {
      q.hidden = !!level && q.getAttribute("data-level") !== level;
      if (!q.hidden) shown++;
    });
    section.querySelectorAll("[data-filter]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-filter") === level));
    });
    var count = section.querySelector(".question-count");
    if (count) count.textContent = "Showing " + shown + " of " + all.length + " questions.";
  }

  // Every answer of the questions: the outlines and the senior answers.
  function answers(section) { return section.querySelectorAll("details.outline, details.senior"); }

  // "Expand all answers" says (aria-expanded) whether every answer is open, however they
  // were opened: by it, one by one, or by a link.
  function syncExpandAll(section) {
    var expand = section.querySelector(".expand-all");
    if (!expand) return;
    var all = answers(section);
    // Questions without any answer to open have nothing to expand.
    expand.hidden = all.length === 0;
    var open = all.length > 0 && Array.prototype.every.call(all, function (d) { return d.open; });
    expand.setAttribute("aria-expanded", String(open));
    expand.textContent = open ? "Collapse all answers" : "Expand all answers";
  }

  // A link to a question opens its answer outline as well as its senior answer
  // (openTarget): the outline comes first and the senior answer builds on it.
  function openLinkedOutline(section) {
    var target = location.hash.length > 1 && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    var outline = target && target.matches("article.question") && section.contains(target) && target.querySelector("details.outline");
    if (outline) outline.open = true;
  }

  function setupQuestions() {
    var section = document.getElementById("questions");
    if (!section) return;
    section.querySelectorAll("[data-filter]").forEach(function (b) {
      b.addEventListener("click", function () { filterQuestions(b.getAttribute("data-filter")); });
    });
    // A <details> toggle does not bubble: it is heard in the capture phase.
    section.addEventListener("toggle", function () { syncExpandAll(section); }, true);
    var expand = section.querySelector(".expand-all");
    if (expand) expand.addEventListener("click", function () {
      var open = expand.getAttribute("aria-expanded") !== "true";
      answers(section).forEach(function (d) { d.open = open; });
      syncExpandAll(section);
    });
    // The outlines are open in the HTML (for readers without JavaScript, and print):
    // closed here until the learner has thought, unless a link points into one.
    section.querySelectorAll("details.outline").forEach(function (d) { d.open = false; });
    openLinkedOutline(section);
    window.addEventListener("hashchange", function () { openLinkedOutline(section); });
    syncExpandAll(section);
  }

  function coverageKey(lesson) { return "conceptlab-coverage:" + lesson; }

  // Ticked coverage points, kept per lesson as a list of the points' ids.
  function setupCoverage() {
    var article = document.querySelector("article.lesson[data-lesson]");
    var section = document.getElementById("coverage");
    if (!article || !section) return;
    var key = coverageKey(article.getAttribute("data-lesson"));
    var boxes = section.querySelectorAll("input[data-coverage]");
    var progress = section.querySelector(".coverage-progress");
    var ticked = load(key, []);
    var update = function () {
      var ids = [];
      boxes.forEach(function (b) { if (b.checked) ids.push(b.getAttribute("data-coverage")); });
      if (progress) progress.textContent = ids.length + " of " + boxes.length + " points ticked.";
      return ids;
    };
    boxes.forEach(function (b) {
      b.checked = ticked.indexOf(b.getAttribute("data-coverage")) >= 0;
      b.addEventListener("change", function () { save(key, update()); });
    });
    update();
  }

  // The lesson's side furniture: the course's lesson list is open where there is room
  // for it beside the lesson, the table of contents starts closed where there is not
  // (both are open without JavaScript), and the table of contents marks the section
  // being read.
  var WIDE = "(min-width: 80rem)", NARROW = "(max-width: 63.99rem)";
  function setupLessonNav() {
    var list = document.querySelector(".course-nav details");
    if (list) {
      var wide = matchMedia(WIDE);
      list.open = wide.matches;
      wide.addEventListener("change", function () { list.open = wide.matches; });
      list.querySelectorAll("li[data-lesson][data-coverage]").forEach(function (li) {
        var ids = li.getAttribute("data-coverage").split(" ").filter(Boolean);
        var ticked = load(coverageKey(li.getAttribute("data-lesson")), []);
        if (ids.every(function (id) { return ticked.indexOf(id) >= 0; })) {
          li.classList.add("done");
          li.querySelector("a").appendChild(el("span", { "class": "visually-hidden" }, " (covered)"));
        }
      });
    }
    var toc = document.querySelector(".toc details");
    if (!toc) return;
    if (matchMedia(NARROW).matches) toc.open = false;
    var links = Array.prototype.slice.call(toc.querySelectorAll("a[href^='#']"));
    var targets = links.map(function (a) { return document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1))); });
    var current = null;
    var mark = function () {
      var at = -1;
      targets.forEach(function (t, i) { if (t && t.getBoundingClientRect().top < innerHeight * 0.25) at = i; });
      var link = at >= 0 ? links[at] : null;
      if (link === current) return;
      if (current) current.removeAttribute("aria-current");
      if (link) link.setAttribute("aria-current", "location");
      current = link;
    };
    var queued = false;
    addEventListener("scroll", function () {
      if (queued) return;
      queued = true;
      requestAnimationFrame(function () { queued = false; mark(); });
    }, { passive: true });
    mark();
  }

  // Where the reader was last, for the home page's "continue where you left off".
  function rememberLesson() {
    var article = document.querySelector("article.lesson[data-lesson]");
    if (!article) return;
    var key = article.getAttribute("data-lesson");
    var h1 = article.querySelector("h1");
    var visit = { lesson: key, url: location.pathname, title: h1 ? h1.textContent : key, at: Date.now() };
    save("conceptlab-last", visit);
    save("conceptlab-last:" + key.split("/")[0], visit);
  }

  // The home page: "continue where you left off", and each course's progress (coverage
  // points ticked, summed over its lessons' keys in storage) with a link back to the
  // lesson read last in it instead of "start".
  function setupHome() {
    var home = document.querySelector(".home");
    if (!home) return;
    // Sites under one host share storage (user.github.io/a/ and /b/): only this site's.
    var title = document.querySelector(".site-title");
    var base = title ? title.getAttribute("href") : "/";
    var ours = function (visit) { return visit && visit.url && visit.title && visit.url.indexOf(base) === 0; };
    var last = load("conceptlab-last", null);
    var banner = home.querySelector("[data-continue]");
    if (banner && ours(last)) {
      banner.appendChild(document.createTextNode("Continue where you left off: "));
      banner.appendChild(el("a", { href: last.url }, last.title));
      banner.hidden = false;
    }
    home.querySelectorAll(".course-card[data-course]").forEach(function (card) {
      var slug = card.getAttribute("data-course");
      var points = Number(card.getAttribute("data-points")) || 0;
      var ticked = 0;
      storedKeys(coverageKey(slug + "/")).forEach(function (key) { ticked += (load(key, []) || []).length; });
      var due = 0, now = Date.now();
      storedKeys("conceptlab-card:").forEach(function (key) {
        var state = load(key, null);
        if (state && state.lesson && state.lesson.indexOf(slug + "/") === 0 && state.due <= now) due++;
      });
      var progress = card.querySelector(".course-progress");
      if (progress && ((points && ticked) || due)) {
        var done = Math.min(ticked, points);
        if (points && ticked) {
          progress.appendChild(el("progress", { max: points, value: done, "aria-hidden": "true" }));
          progress.appendChild(document.createTextNode(" " + done + " of " + points + " points covered"));
        }
        if (due) progress.appendChild(el("span", { "class": "course-due" }, (points && ticked ? " · " : "") + due + " card" + (due === 1 ? "" : "s") + " due"));
        progress.hidden = false;
      }
      var visit = load("conceptlab-last:" + slug, null);
      var start = card.querySelector(".course-start a");
      if (start && ours(visit)) {
        start.textContent = "Continue: " + visit.title;
        start.href = visit.url;
      }
    });
  }

  // The course page: each lesson's ticked coverage points.
  function setupCourseProgress() {
    document.querySelectorAll(".lesson-list li[data-lesson][data-coverage]").forEach(function (li) {
      var ids = li.getAttribute("data-coverage").split(" ").filter(Boolean);
      var ticked = load(coverageKey(li.getAttribute("data-lesson")), []);
      var done = ids.filter(function (id) { return ticked.indexOf(id) >= 0; }).length;
      var p = el("p", { "class": "lesson-progress" });
      p.appendChild(el("progress", { max: ids.length, value: done, "aria-hidden": "true" }));
      p.appendChild(document.createTextNode(" " + done + " of " + ids.length + " points covered"));
      li.appendChild(p);
      li.classList.toggle("done", done === ids.length);
    });
  }

  // Which of `answers` (each step's right position, in the order shown) to keep: one
  // longest increasing subsequence, by patience sorting.
  function inOrder(answers) {
    var tails = [], before = [];
    answers.forEach(function (a, i) {
      var lo = 0, hi = tails.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (answers[tails[mid]] < a) lo = mid + 1; else hi = mid; }
      before[i] = lo > 0 ? tails[lo - 1] : -1;
      tails[lo] = i;
    });
    var keep = answers.map(function () { return false; });
    for (var i = tails.length ? tails[tails.length - 1] : -1; i >= 0; i = before[i]) keep[i] = true;
    return keep;
  }

  // Put the flow's steps back in order: drag (mouse anywhere on a step, touch on its grip)
  // or the move buttons; every move is announced and focus stays on the moved step.
  function setupReorder() {
    document.querySelectorAll("[data-reorder]").forEach(function (box) {
      var list = box.querySelector(".reorder-list");
      var status = box.querySelector(".reorder-status");
      var steps = function () { return Array.prototype.slice.call(list.children); };
      var label = function (li) { return li.querySelector(".reorder-label").textContent; };
      // The controls exist only with JavaScript, so the page does not carry them.
      steps().forEach(function (li) {
        var name = label(li);
        var moves = el("span", { "class": "reorder-moves" });
        moves.append(el("button", { type: "button", "class": "move-up", "aria-label": "Move up: " + name }, "↑"),
          el("button", { type: "button", "class": "move-down", "aria-label": "Move down: " + name }, "↓"));
        li.prepend(el("span", { "class": "grip", "aria-hidden": "true" }, "⠿"), " ");
        li.append(" ", el("span", { "class": "verdict" }), " ", moves);
      });
      var mark = function (li, verdict) {
        li.classList.toggle("right", verdict === true);
        li.classList.toggle("wrong", verdict === false);
        li.querySelector(".verdict").textContent = verdict == null ? "" : verdict ? "✓ right" : "✗ wrong";
      };
      var refresh = function () {
        var all = steps();
        all.forEach(function (li, i) {
          li.querySelector(".move-up").setAttribute("aria-disabled", String(i === 0));
          li.querySelector(".move-down").setAttribute("aria-disabled", String(i === all.length - 1));
        });
      };
      var moved = function (li) {
        steps().forEach(function (s) { mark(s, null); });
        refresh();
        status.textContent = label(li) + " moved to position " + (steps().indexOf(li) + 1) + " of " + steps().length + ".";
      };
      refresh();
      list.addEventListener("click", function (event) {
        var button = event.target.closest("button");
        if (!button) return;
        var li = button.closest("li");
        var up = button.classList.contains("move-up");
        var other = up ? li.previousElementSibling : li.nextElementSibling;
        if (!other) { status.textContent = label(li) + " is already " + (up ? "first." : "last."); return; }
        list.insertBefore(li, up ? other : other.nextElementSibling);
        button.focus();
        moved(li);
      });
      var dragging = null, from = 0;
      list.addEventListener("pointerdown", function (event) {
        var li = event.target.closest("li");
        if (!li || event.target.closest("button") || event.button !== 0) return;
        if (event.pointerType !== "mouse" && !event.target.closest(".grip")) return;
        event.preventDefault();
        dragging = li;
        from = steps().indexOf(li);
        li.classList.add("dragging");
        try { list.setPointerCapture(event.pointerId); } catch (e) { /* a pointer that is already gone */ }
      });
      list.addEventListener("pointermove", function (event) {
        if (!dragging) return;
        var over = steps().filter(function (li) {
          if (li === dragging) return false;
          var r = li.getBoundingClientRect();
          return event.clientY < r.top + r.height / 2;
        })[0];
        if (over && over !== dragging.nextElementSibling) list.insertBefore(dragging, over);
        if (!over && dragging !== list.lastElementChild) list.appendChild(dragging);
      });
      var drop = function () {
        if (!dragging) return;
        var li = dragging;
        dragging = null;
        li.classList.remove("dragging");
        if (steps().indexOf(li) !== from) moved(li);
        li.querySelector(".move-up").focus();
      };
      list.addEventListener("pointerup", drop);
      list.addEventListener("pointercancel", drop);
      // A step is right when it is in order with the others: the longest run of steps
      // in the right relative order stays, only the rest are marked to move. One step
      // moved to the top is one step out of place, not all of them.
      box.querySelector(".reorder-check").addEventListener("click", function () {
        var all = steps();
        var keep = inOrder(all.map(function (li) { return Number(li.getAttribute("data-answer")); }));
        all.forEach(function (li, i) { mark(li, keep[i]); });
        var right = keep.filter(Boolean).length;
        status.textContent = right === all.length ? "All " + right + " steps are in the right order." :
          right + " of " + all.length + " steps are in order; move the " +
          (all.length - right === 1 ? "step" : (all.length - right) + " steps") + " marked wrong.";
      });
      box.querySelector(".reorder-answer").addEventListener("click", function () {
        steps().sort(function (a, b) { return a.getAttribute("data-answer") - b.getAttribute("data-answer"); })
          .forEach(function (li) { list.appendChild(li); mark(li, true); });
        refresh();
        status.textContent = "The steps are now in the right order.";
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupSearch();
    setupThemeToggle();
    setupPrint();
    setupCopy();
    setupShortcuts();
    setupLessonNav();
    rememberLesson();
    setupHome();
    setupQuestions();
    setupCoverage();
    setupCourseProgress();
    setupReorder();
    openTarget();
  });
  window.addEventListener("hashchange", openTarget);
})();
