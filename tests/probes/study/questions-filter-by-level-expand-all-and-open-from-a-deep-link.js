// The probe of `questions_filter_by_level_expand_all_and_open_from_a_deep_link` in `tests/it/browser_study.rs`.
export default async ({ open, sleep }) => {
  const win = await open("/demo/everything/");
  const doc = win.document;
  const visible = () => [...doc.querySelectorAll("article.question")].filter((q) => !q.hidden && q.offsetHeight > 0).map((q) => q.dataset.level);
  const all = visible();
  doc.querySelector('[data-filter="expert"]').click();
  const expert = visible();
  const count = doc.querySelector(".question-count").textContent;
  const pressed = doc.querySelector('[data-filter="expert"]').getAttribute("aria-pressed");
  doc.querySelector(".expand-all").click();
  const opened = [...doc.querySelectorAll("details.senior")].filter((d) => d.open).length;
  doc.querySelector(".expand-all").click();
  const closed = [...doc.querySelectorAll("details.senior")].filter((d) => d.open).length;
  // A deep link to a question hidden by the filter shows it and opens its senior answer.
  win.scrollTo({ top: 0, behavior: "instant" });
  const topBefore = win.scrollY;
  win.location.hash = "why-bias";
  await sleep(1200);
  const topAfter = doc.getElementById("why-bias").getBoundingClientRect().top;
  return { all, expert, count, pressed, opened, closed, afterLink: visible(),
    linkedOpen: doc.getElementById("why-bias-senior").open,
    scrolled: topBefore === 0 && win.scrollY > 0, inView: topAfter >= 0 && topAfter < win.innerHeight / 2 };
};
