// Flash cards: flip, grade with FSRS (fsrs.js), progress, export and import of progress.
// Works on a lesson's deck and on the site's review page ([data-review]).
(function () {
  "use strict";
  var F = window.FSRS, store = window.conceptlab;
  if (!F || !store) return;
  var PREFIX = "conceptlab-", CARD = PREFIX + "card:";
  // Progress is the cards' schedules and the ticked coverage points; other keys (the
  // theme, the last lesson read) are settings of this browser and stay out of a file.
  function isProgress(key) { return key.indexOf(CARD) === 0 || key.indexOf(PREFIX + "coverage:") === 0; }
  var GRADES = ["Again", "Hard", "Good", "Easy"];
  var MINUTE = 60000, HOUR = 3600000, DAY = 86400000;
  // How often an open deck catches up with the clock: due labels, cards coming back.
  var TICK = 5000;
  var lastFlipped = null;

  function stateOf(card) { return store.load(CARD + card.id, null); }
  // On the review page, whether a card is in the deck chosen there (every card when none
  // is): a lesson's cards are in its course's deck and in its part's (`course/part`).
  function inDeck(scope, card) {
    var select = scope.querySelector(".deck-select");
    var group = card.closest("[data-in-deck]");
    if (!select || !select.value || !group) return true;
    var deck = group.getAttribute("data-in-deck");
    return deck === select.value || deck.indexOf(select.value + "/") === 0;
  }
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

  function describe(card, now) {
    var note = card.parentNode.querySelector(".card-due");
    if (!note) return;
    var state = stateOf(card), due = !!state && state.due <= now;
    note.classList.toggle("is-due", due);
    setText(note, !state ? "New card" : due ? "Due now" : "Due in " + span(state.due - now));
  }

  // Writes only a change, so that a live region speaks only when there is news.
  function setText(el, text) { if (el.textContent !== text) el.textContent = text; }

  function grade(card, g) {
    var now = Date.now();
    var state = F.review(stateOf(card) || F.newCard(now), g, now);
    // The card's lesson (`course/slug`), so the home page can count each course's due cards.
    var lesson = card.closest("[data-lesson]") || card.closest("[data-deck]");
    if (lesson) state.lesson = lesson.getAttribute("data-lesson") || lesson.getAttribute("data-deck");
    store.save(CARD + card.id, state);
    setFace(card, false);
    var scope = card.closest("[data-deck]");
    var cards = Array.prototype.slice.call(scope.querySelectorAll(".flashcard"));
    // On the review page a card no longer due leaves (until it is due again), and so
    // does a lesson left without any.
    refresh(scope);
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

  // How many cards are due now, later today and tomorrow, and when the next one is due.
  function count(scope, now) {
    var today = endOfDay(now, 0), tomorrow = endOfDay(now, 1);
    var c = { all: 0, reviewed: 0, due: 0, today: 0, tomorrow: 0, fresh: 0, next: Infinity };
    scope.querySelectorAll(".flashcard").forEach(function (card) {
      if (!inDeck(scope, card)) return;
      var s = stateOf(card);
      c.all++;
      if (!s) { c.fresh++; return; }
      c.reviewed++;
      if (s.due <= now) c.due++;
      else if (s.due <= today) { c.today++; c.next = Math.min(c.next, s.due); }
      else if (s.due <= tomorrow) c.tomorrow++;
    });
    return c;
  }

  function update(scope, now) {
    var progress = scope.querySelector(".deck-progress");
    if (!progress) return;
    var c = count(scope, now);
    var later = c.today + " due later today, " + c.tomorrow + " due tomorrow.";
    var waiting = c.due;
    if (scope.hasAttribute("data-review")) {
      var include = scope.querySelector(".include-new");
      var fresh = include && include.checked ? c.fresh : 0;
      waiting += fresh;
      setText(progress, waiting ? plural(c.due, "card") + " due now" + (fresh ? ", " + fresh + " new" : "") + ", " + later
        : "Nothing to review now; " + later);
    } else {
      setText(progress, c.reviewed + " of " + c.all + " reviewed, " + c.due + " due now, " + later);
    }
    // While nothing is due, say when the next card of the day comes back (not live: it
    // changes every minute).
    var next = scope.querySelector(".deck-next");
    if (next) setText(next, !waiting && c.next < Infinity ? "Next card in " + span(c.next - now) + "." : "");
  }

  // The review page shows the cards that are due, and new ones unless the reader opts out.
  function filterReview(scope, now) {
    var include = scope.querySelector(".include-new");
    scope.querySelectorAll(".flashcard").forEach(function (card) {
      var s = stateOf(card);
      card.closest("li").hidden = !inDeck(scope, card) || (s ? s.due > now : !(include && include.checked));
    });
    scope.querySelectorAll(".review-lesson").forEach(function (group) {
      group.hidden = !group.querySelector("li:not([hidden]) .flashcard");
    });
  }

  // Every card's schedule and every lesson's ticked coverage points.
  function progressData() {
    var items = {};
    for (var i = 0; i < localStorage.length; i++) {
      var key = localStorage.key(i);
      if (isProgress(key)) items[key] = store.load(key, null);
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
      if (isProgress(key)) { store.save(key, data.items[key]); n++; }
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
    if (include) include.addEventListener("change", function () { refresh(scope); });
    var deck = tools.querySelector(".deck-select");
    if (deck) deck.addEventListener("change", function () { refresh(scope); });
  }

  // Brings a deck up to date with the clock: due labels, the cards shown on the review
  // page (a card in a learning step comes back once it is due) and the counts.
  function refresh(scope) {
    var now = Date.now();
    scope.querySelectorAll(".flashcard").forEach(function (card) { describe(card, now); });
    if (scope.hasAttribute("data-review")) filterReview(scope, now);
    update(scope, now);
  }

  // Time passes while the page is open: every few seconds the decks catch up with it, and
  // at once when the page is shown again (timers sleep in hidden tabs) or another tab
  // grades a card.
  function keepUpToDate(decks) {
    var all = function () { decks.forEach(refresh); };
    setInterval(function () { if (!document.hidden) all(); }, TICK);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) all(); });
    window.addEventListener("storage", function (e) { if (!e.key || e.key.indexOf(CARD) === 0) all(); });
  }

  function setup() {
    var decks = Array.prototype.slice.call(document.querySelectorAll("[data-deck]"));
    decks.forEach(function (scope) {
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
      var progress = scope.querySelector(".deck-progress");
      if (progress) {
        var next = document.createElement("p");
        next.className = "deck-next";
        progress.parentNode.appendChild(next);
      }
      setupTools(scope);
      refresh(scope);
    });
    if (decks.length) keepUpToDate(decks);
    // 1-4 grade the focused card if it is revealed, else the card revealed last.
    document.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || !/^[1-4]$/.test(event.key)) return;
      var t = event.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      var li = t && t.closest && t.closest("[data-deck] li");
      // Away from a card, 1 to 4 are single-key shortcuts, which the reader can turn off.
      if (!li && window.conceptlabShortcutsOn && !window.conceptlabShortcutsOn()) return;
      var card = li ? li.querySelector(".flashcard") : lastFlipped;
      if (!card || card.getAttribute("aria-pressed") !== "true") card = lastFlipped;
      if (!card || card.getAttribute("aria-pressed") !== "true" || !document.contains(card)) return;
      event.preventDefault();
      grade(card, Number(event.key));
    });
  }

  // On a lesson lab.js loads this script after the page (see setupLazyScripts there).
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
