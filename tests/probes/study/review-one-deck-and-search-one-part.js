// The probe of `the_review_deck_picker_and_the_search_part_filter_work_in_the_browser` in
// `tests/it/parts.rs`: the site's review page lists the courses' review pages; a course's
// deck picker shows the course's or one part's cards, the site's page counts the cards
// due in each course, and the search box offers a part filter once the index has parts.
export default async ({ open, sleep, until }) => {
  let win = await open("/review/");
  let doc = win.document;
  const courses = [...doc.querySelectorAll("[data-review-course] a")].map((a) => new URL(a.href).pathname);
  const cardsOnIndex = doc.querySelectorAll(".flashcard").length;
  win = await open("/review/book/");
  doc = win.document;
  const select = doc.querySelector(".deck-select");
  const shown = () => [...doc.querySelectorAll(".flashcard")].filter((c) => !c.closest("[hidden]")).map((c) => c.id);
  const decks = {};
  for (const value of ["", "book", "book/practice"]) {
    select.value = value;
    select.dispatchEvent(new win.Event("change", { bubbles: true }));
    decks[value] = shown();
  }
  // Counts follow the deck: one of the practice's two cards graded again.
  select.value = "book/practice";
  select.dispatchEvent(new win.Event("change", { bubbles: true }));
  const card = doc.getElementById(shown()[0]);
  card.click();
  card.parentNode.querySelector('.grades [data-grade="1"]').click();
  const progress = doc.querySelector(".deck-progress").textContent;
  // The graded card, made due a minute ago: the site's review page counts it.
  const key = "conceptlab-card:" + card.id;
  const state = JSON.parse(win.localStorage.getItem(key));
  state.due = Date.now() - 60000;
  win.localStorage.setItem(key, JSON.stringify(state));
  win = await open("/review/");
  doc = win.document;
  await until("the due count", () => doc.querySelector("[data-review-course=book] .review-due").textContent);
  const due = [...doc.querySelectorAll("[data-review-course] .review-due")].map((d) => d.textContent);

  // Search, from a lesson page: the part filter appears with the index.
  win = await open("/book/welcome/");
  doc = win.document;
  const input = doc.querySelector("#search-input");
  input.dispatchEvent(new win.Event("focus"));
  await until("the part filter", () => doc.querySelector("#search-part"));
  const part = doc.querySelector("#search-part");
  const course = doc.querySelector("#search-course");
  const options = () => [...part.options].filter((o) => !o.disabled).map((o) => o.textContent);
  const partOptions = options();
  part.value = "The Book › Practice";
  part.dispatchEvent(new win.Event("change"));
  const partCourse = course.value;
  const partOptionsInCourse = options();
  const kind = doc.querySelector("#search-kind");
  kind.value = "Lesson";
  const list = doc.querySelector("#search-results");
  list.textContent = "";
  kind.dispatchEvent(new win.Event("change"));
  await until("results", () => list.querySelector("a"));
  await sleep(200);
  const found = [...list.querySelectorAll("a")].map((a) => new URL(a.href).pathname).sort();
  const from = list.querySelector(".search-from").textContent;
  course.value = "Plain Course";
  course.dispatchEvent(new win.Event("change"));
  return { courses, cardsOnIndex, due, decks, progress, partOptions, partCourse, partOptionsInCourse, partHiddenForPlain: part.hidden, found, from };
};
