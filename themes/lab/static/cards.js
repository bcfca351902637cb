// Flash cards: flip, grade with FSRS (fsrs.js), progress, export and import of progress.
// Works on a lesson's deck and on the site's review page ([data-review]).
(function () {
  "use strict";
  var F = window.FSRS, store = window.conceptlab;
  if (!F || !store) return;
  var PREFIX = "conceptlab-", CARD = PREFIX + "card:";
  var GRADES = ["Again", "Hard", "Good", "Easy"];
  var MINUTE = 60000, HOUR = 3600000, DAY = 86400000;
  var lastFlipped = null;

  function stateOf(card) { return store.load(CARD + card.id, null); }
  function endOfDay(t, plusDays) {
    var d = new Date(t);
    d.setHours(24 * (1 + plusDays), 0, 0, 0);
    return d.getTime();
  }
  function span(ms) {
    if (ms < HOUR) return Math.max(1, Math.round(ms / MINUTE)) + " min";
    if (ms < DAY) return Math.round(ms / HOUR) + " h";
    var days = Math.round(ms / DAY);
    return days < 60 ? days + (days === 1 ? " day" : " days") : Math.round(days / 30) + " months";
  }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function setFace(card, revealed) {
    card.setAttribute("aria-pressed", String(revealed));
    card.querySelector(".card-front").inert = revealed;
    card.querySelector(".card-back").inert = !revealed;
    var grades = card.parentNode.querySelector(".grades");
    if (grades) grades.hidden = !revealed;
    if (revealed && grades) {
      lastFlipped = card;
      var now = Date.now(), state = stateOf(card) || F.newCard(now);
      grades.querySelectorAll("button").forEach(function (b, i) {
        b.querySelector("small").textContent = span(F.review(state, i + 1, now).due - now);
      });
    }
  }

  function describe(card) {
    var note = card.parentNode.querySelector(".card-due");
    var state = stateOf(card);
    if (!note) return;
    var now = Date.now();
    note.textContent = !state ? "New card" : state.due <= now ? "Due now" : "Due in " + span(state.due - now);
  }

  function grade(card, g) {
    var now = Date.now();
    var state = F.review(stateOf(card) || F.newCard(now), g, now);
    store.save(CARD + card.id, state);
    setFace(card, false);
    describe(card);
    var scope = card.closest("[data-deck]");
    var cards = Array.prototype.slice.call(scope.querySelectorAll(".flashcard"));
    // On the review page a card no longer due leaves, and so does a lesson left without any.
    if (scope.hasAttribute("data-review")) filterReview(scope); else update(scope);
    var next = cards.slice(cards.indexOf(card) + 1).concat(cards).filter(function (c) { return !c.closest("[hidden]") && c !== card; })[0];
    if (next) next.focus();
    else if (card.closest("[hidden]")) {
      // The last due card is done: keep focus on the page, at the deck's progress.
      var progress = scope.querySelector(".deck-progress");
      progress.setAttribute("tabindex", "-1");
      progress.focus();
    } else card.focus();
    var status = scope.querySelector(".deck-status");
    if (status) status.textContent = GRADES[g - 1] + ": due again in " + span(state.due - now) + ".";
  }

  function update(scope) {
    var cards = Array.prototype.slice.call(scope.querySelectorAll(".flashcard"));
    var now = Date.now(), today = endOfDay(now, 0), tomorrow = endOfDay(now, 1);
    var reviewed = 0, due = 0, later = 0, fresh = 0;
    cards.forEach(function (card) {
      var s = stateOf(card);
      if (!s) { fresh++; return; }
      reviewed++;
      if (s.due <= now) due++;
      else if (s.due > today && s.due <= tomorrow) later++;
    });
    var progress = scope.querySelector(".deck-progress");
    if (!progress) return;
    if (scope.hasAttribute("data-review")) {
      var include = scope.querySelector(".include-new");
      var waiting = due + (include && include.checked ? fresh : 0);
      progress.textContent = waiting ? plural(due, "card") + " due now" + (fresh ? ", " + fresh + " new" : "") + ", " + later + " due tomorrow."
        : "Nothing to review now; " + later + " due tomorrow.";
    } else {
      progress.textContent = reviewed + " of " + cards.length + " reviewed, " + due + " due now, " + later + " due tomorrow.";
    }
  }

  // The review page shows the cards that are due, and new ones unless the reader opts out.
  function filterReview(scope) {
    var include = scope.querySelector(".include-new");
    var now = Date.now();
    scope.querySelectorAll(".flashcard").forEach(function (card) {
      var s = stateOf(card);
      card.closest("li").hidden = s ? s.due > now : !(include && include.checked);
    });
    scope.querySelectorAll(".review-lesson").forEach(function (group) {
      group.hidden = !group.querySelector("li:not([hidden]) .flashcard");
    });
    update(scope);
  }

  // Every card's schedule and every lesson's ticked coverage points.
  function progressData() {
    var items = {};
    for (var i = 0; i < localStorage.length; i++) {
      var key = localStorage.key(i);
      if (key.indexOf(PREFIX) === 0 && key !== PREFIX + "theme") items[key] = store.load(key, null);
    }
    return { format: "conceptlab-progress", version: 1, items: items };
  }

  function exportProgress() {
    var blob = new Blob([JSON.stringify(progressData(), null, 1)], { type: "application/json" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "conceptlab-progress.json";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }

  // Imported progress replaces the state of the cards and lessons it names; others stay.
  function importProgress(text) {
    var data = JSON.parse(text);
    if (!data || data.format !== "conceptlab-progress" || typeof data.items !== "object") throw new Error("not a conceptlab progress file");
    var n = 0;
    Object.keys(data.items).forEach(function (key) {
      if (key.indexOf(PREFIX) === 0 && key !== PREFIX + "theme") { store.save(key, data.items[key]); n++; }
    });
    return n;
  }
  window.conceptlabProgress = { data: progressData, import: importProgress };

  function setupTools(scope) {
    var tools = scope.querySelector(".deck-tools");
    if (!tools) return;
    var status = scope.querySelector(".deck-status");
    var exp = tools.querySelector(".export-progress"), imp = tools.querySelector(".import-progress");
    if (exp) exp.addEventListener("click", exportProgress);
    if (imp) imp.addEventListener("change", function () {
      var file = imp.files && imp.files[0];
      if (!file) return;
      file.text().then(function (text) {
        var n = importProgress(text);
        status.textContent = "Imported the progress of " + plural(n, "item") + ".";
        refresh(scope);
      }).catch(function (e) { status.textContent = "Could not import: " + e.message + "."; });
      imp.value = "";
    });
    var include = tools.querySelector(".include-new");
    if (include) include.addEventListener("change", function () { filterReview(scope); });
  }

  function refresh(scope) {
    scope.querySelectorAll(".flashcard").forEach(describe);
    if (scope.hasAttribute("data-review")) filterReview(scope); else update(scope);
  }

  function setup() {
    document.querySelectorAll("[data-deck]").forEach(function (scope) {
      scope.querySelectorAll(".flashcard").forEach(function (card) {
        var grades = document.createElement("div");
        grades.className = "grades";
        grades.setAttribute("role", "group");
        grades.setAttribute("aria-label", "How well did you recall it?");
        GRADES.forEach(function (name, i) {
          var b = document.createElement("button");
          b.type = "button";
          b.setAttribute("data-grade", i + 1);
          b.innerHTML = "<kbd>" + (i + 1) + "</kbd> " + name + " <small></small>";
          b.addEventListener("click", function () { grade(card, i + 1); });
          grades.appendChild(b);
        });
        var note = document.createElement("p");
        note.className = "card-due";
        card.parentNode.append(grades, note);
        setFace(card, false);
        card.addEventListener("click", function () { setFace(card, card.getAttribute("aria-pressed") !== "true"); });
      });
      setupTools(scope);
      refresh(scope);
    });
    // 1-4 grade the focused card if it is revealed, else the card revealed last.
    document.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || !/^[1-4]$/.test(event.key)) return;
      var t = event.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      var li = t && t.closest && t.closest("[data-deck] li");
      var card = li ? li.querySelector(".flashcard") : lastFlipped;
      if (!card || card.getAttribute("aria-pressed") !== "true") card = lastFlipped;
      if (!card || card.getAttribute("aria-pressed") !== "true" || !document.contains(card)) return;
      event.preventDefault();
      grade(card, Number(event.key));
    });
  }

  document.addEventListener("DOMContentLoaded", setup);
})();
