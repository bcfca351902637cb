// The site's review page on a site of several courses: how many of each course's cards
// are due now, from the schedules stored in this browser (see cards.js).
(function () {
  "use strict";
  var store = window.conceptlab, CARD = "conceptlab-card:";
  function countDue() {
    var list = document.querySelector("[data-review-index]");
    if (!list || !store || !store.keys) return;
    var now = Date.now(), due = {};
    store.keys(CARD).forEach(function (key) {
      var state = store.load(key, null);
      var course = state && state.lesson && String(state.lesson).split("/")[0];
      if (course && state.due <= now) due[course] = (due[course] || 0) + 1;
    });
    list.querySelectorAll("[data-review-course]").forEach(function (item) {
      var n = due[item.getAttribute("data-review-course")] || 0;
      item.querySelector(".review-due").textContent = n ? n + (n === 1 ? " card" : " cards") + " due now" : "";
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", countDue);
  else countDue();
  document.addEventListener("visibilitychange", function () { if (!document.hidden) countDue(); });
})();
