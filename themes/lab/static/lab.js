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

  // A link to #question-id (or to anything inside a closed <details>) opens it.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var target = document.getElementById(id);
    if (!target) return;
    var details = target.matches(".question") ? target.querySelector("details.senior") : target.closest("details");
    if (details) details.open = true;
    for (var d = target.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) d.open = true;
    target.scrollIntoView();
  }

  function setupFlashcards() {
    document.querySelectorAll(".flashcard").forEach(function (card) {
      card.addEventListener("click", function () {
        card.setAttribute("aria-pressed", String(card.getAttribute("aria-pressed") !== "true"));
      });
    });
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
        engine = import(box.getAttribute("data-index")).then(function (pagefind) {
          return pagefind.options({ excerptLength: 24 }).then(function () { return pagefind.filters(); }).then(function (filters) {
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

    function run() {
      var query = input.value.trim();
      var filters = {};
      if (kind.value) filters.kind = kind.value;
      if (course.value) filters.course = course.value;
      if (level.value) filters.level = level.value;
      if (!query && !Object.keys(filters).length) return clear();
      box.classList.add("is-active");
      var mine = ++generation;
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
      if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        input.focus();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupSearch();
    setupThemeToggle();
    setupFlashcards();
    setupPrint();
    openTarget();
  });
  window.addEventListener("hashchange", openTarget);
})();
