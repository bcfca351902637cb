// Search, loaded by lab.js when the reader first uses the search box (focus, typing or a
// filter): the Pagefind index is fetched then, and what was typed before this script
// arrived is searched at once.
(function () {
  "use strict";

  var box = document.querySelector(".search[data-index]");
  if (!box) return;
  var input = box.querySelector("#search-input");
  var kind = box.querySelector("#search-kind");
  var course = box.querySelector("#search-course");
  var level = box.querySelector("#search-level");
  // Made below once the index says the site has courses in parts.
  var part = null;
  var SEPARATOR = " › ";
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
          addParts(Object.keys((filters && filters.part) || {}).sort());
          return pagefind;
        });
      });
      engine.catch(function () { status.textContent = "Search is unavailable (the index could not be loaded)."; });
    }
    return engine;
  }

  // A part filter after the course filter, when some course has parts. Its values are
  // `Course › Part`: a part belongs to one course, so choosing a part chooses its course,
  // and choosing a course offers only that course's parts.
  function addParts(values) {
    if (!values.length) return;
    part = document.createElement("select");
    part.id = "search-part";
    part.setAttribute("aria-label", "Part");
    var any = document.createElement("option");
    any.value = "";
    any.textContent = "All parts";
    part.appendChild(any);
    values.forEach(function (value) {
      var option = document.createElement("option");
      option.value = value;
      option.textContent = value;
      part.appendChild(option);
    });
    course.after(part);
    showParts();
    part.addEventListener("change", function () {
      if (part.value) course.value = part.value.slice(0, part.value.lastIndexOf(SEPARATOR));
      showParts();
      run();
    });
    course.addEventListener("change", showParts);
  }

  function showParts() {
    if (!part) return;
    var prefix = course.value ? course.value + SEPARATOR : "";
    Array.prototype.forEach.call(part.options, function (option) {
      var off = !!option.value && option.value.indexOf(prefix) !== 0;
      option.hidden = off;
      option.disabled = off;
      // Within a course, its parts need no course name.
      option.textContent = option.value ? option.value.slice(prefix.length) : option.textContent;
    });
    if (part.selectedOptions[0] && part.selectedOptions[0].disabled) part.value = "";
    // A course without parts has no part to choose.
    part.hidden = part.querySelectorAll("option:not([disabled])").length < 2;
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
    if (part && part.value) filters.part = part.value;
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
          item = { url: best.url, excerpt: best.excerpt, meta: { title: best.title, kind: meta.kind + (level ? " · " + level : ""), lesson: meta.lesson, part: meta.part } };
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
        // Where it is: a question's or card's lesson, and the part of the course it is in.
        var where = [item.meta && item.meta.lesson, item.meta && item.meta.part].filter(Boolean);
        if (where.length) {
          var from = document.createElement("span");
          from.className = "search-from";
          from.textContent = where.join(" · ");
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

  load();
  if (input.value.trim() || kind.value || course.value || level.value) run();
})();
