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
  window.conceptlab = { load: load, save: save, el: el, keys: storedKeys };

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


  // Search: its script (search.js) comes when
  // the reader first focuses the box, types or picks a filter; the Pagefind index after it.
  function setupSearch() {
    var box = document.querySelector(".search[data-index]");
    if (!box) return;
    box.hidden = false;
    var input = box.querySelector("#search-input");
    // "Press /" means nothing on a touch screen, or once shortcuts are off.
    if (!shortcutsOn() || matchMedia("(hover: none) and (pointer: coarse)").matches) input.placeholder = "Search";
    var started = false;
    var start = function () {
      if (started) return;
      started = true;
      document.head.appendChild(el("script", { src: box.getAttribute("data-script") }));
    };
    box.querySelectorAll("input, select").forEach(function (field) {
      ["focus", "input", "change"].forEach(function (type) { field.addEventListener(type, start); });
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

  // The scripts of the flash cards and of the widgets (`data-scripts` on their part, in
  // order) are fetched once the page has loaded, when the browser is idle: they do not
  // hold up the page, and each part's static view is there meanwhile. `data-lazy="done"`
  // on <html> says they have all run (or failed); a widgets script that fails leaves the
  // widgets as they are without JavaScript (the class `widgets-failed`).
  function setupLazyScripts() {
    var parts = Array.prototype.slice.call(document.querySelectorAll("[data-scripts]"));
    if (!parts.length) return;
    var run = function () {
      var urls = [];
      parts.forEach(function (part) {
        part.getAttribute("data-scripts").split(" ").forEach(function (url) {
          if (url && urls.indexOf(url) < 0) urls.push(url);
        });
      });
      var left = urls.length;
      var done = function () { if (--left === 0) document.documentElement.setAttribute("data-lazy", "done"); };
      urls.forEach(function (url) {
        var script = document.createElement("script");
        script.src = url;
        script.async = false;
        script.onload = done;
        script.onerror = function () {
          var widgets = parts.some(function (part) {
            return part.hasAttribute("data-widget") && part.getAttribute("data-scripts").split(" ").indexOf(url) >= 0;
          });
          if (widgets) document.documentElement.classList.add("widgets-failed");
          done();
        };
        document.head.appendChild(script);
      });
    };
    var idle = function () { (window.requestIdleCallback || function (f) { setTimeout(f, 1); })(run, { timeout: 500 }); };
    if (document.readyState === "complete") idle(); else addEventListener("load", idle);
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

  document.addEventListener("DOMContentLoaded", function () {
    setupSearch();
    setupThemeToggle();
    setupPrint();
    setupCopy();
    setupShortcuts();
    setupLessonNav();
    setupLazyScripts();
    rememberLesson();
    setupHome();
    setupQuestions();
    setupCoverage();
    setupCourseProgress();
    openTarget();
  });
  window.addEventListener("hashchange", openTarget);
})();
