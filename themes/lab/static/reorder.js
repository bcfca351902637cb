// The reorder exercise, loaded by lab.js once a lesson has loaded (`data-scripts` on its
// part): without it the exercise is one on paper.
(function () {
  "use strict";

  var el = window.conceptlab.el;

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

  setupReorder();
})();
