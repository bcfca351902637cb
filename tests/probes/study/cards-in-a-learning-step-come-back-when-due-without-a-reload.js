// The probe of `cards_in_a_learning_step_come_back_when_due_without_a_reload` in `tests/it/browser_study.rs`.
// The frame's clock is faked (its `Date.now`), so that minutes pass at once; the page
// catches up on its own timer, every few seconds, never on a reload.
export default async ({ open, sleep }) => {
  const MINUTE = 60000;
  // The page's timer runs every few seconds: wait for it, with a bound far above that.
  const noticed = async (what, test) => {
    for (let i = 0; i < 600; i++) { if (test()) return; await sleep(50); }
    throw new Error("timed out waiting for " + what);
  };
  // 10:00 today, so that "later today" never crosses midnight.
  const fakeClock = (win) => {
    const start = new win.Date();
    start.setHours(10, 0, 0, 0);
    const clock = { now: start.getTime() };
    win.Date.now = () => clock.now;
    return clock;
  };
  const grade = (doc, card, g) => {
    card.click();
    card.parentNode.querySelector('.grades [data-grade="' + g + '"]').click();
  };

  // The review page: a card graded again leaves, and is back a minute later.
  let win = await open("/review/");
  let doc = win.document;
  let clock = fakeClock(win);
  const shown = () => [...doc.querySelectorAll(".flashcard")].filter((c) => !c.closest("[hidden]")).map((c) => c.id);
  const text = (selector) => doc.querySelector(selector).textContent;
  const all = shown();
  const first = doc.getElementById(all[0]);
  grade(doc, first, 1);
  const afterAgain = { shown: shown(), status: text(".deck-status"), next: text(".deck-next") };
  for (const id of all.slice(1)) grade(doc, doc.getElementById(id), 3);
  const waiting = { shown: shown(), progress: text(".deck-progress"), next: text(".deck-next") };
  clock.now += MINUTE;
  await noticed("the card graded again to come back", () => shown().length === 1);
  const back = { shown: shown(), progress: text(".deck-progress"), next: text(".deck-next") };
  // Good on a card in its first learning step: the second step, 10 minutes; the others are
  // due 9 minutes from now.
  grade(doc, first, 3);
  const nextAfterGood = text(".deck-next");
  clock.now += 5 * MINUTE;
  await noticed("the wait to be updated", () => text(".deck-next") !== nextAfterGood);
  const nextLater = text(".deck-next");
  clock.now += 4 * MINUTE;
  await noticed("the cards graded good to come back", () => shown().length === all.length - 1);
  const goodBack = { shown: shown(), progress: text(".deck-progress"), next: text(".deck-next") };

  // A lesson's deck: the due label and the counts follow the clock.
  win.localStorage.clear();
  win = await open("/demo/everything/");
  doc = win.document;
  clock = fakeClock(win);
  const card = doc.querySelector("#flashcards .flashcard");
  const due = () => card.parentNode.querySelector(".card-due");
  grade(doc, card, 1);
  const lessonAfterAgain = { due: due().textContent, progress: text("#flashcards .deck-progress"), next: text("#flashcards .deck-next") };
  clock.now += MINUTE;
  await noticed("the due label to say due now", () => due().textContent === "Due now");
  const lessonLater = { due: due().textContent, isDue: due().classList.contains("is-due"),
    progress: text("#flashcards .deck-progress"), next: text("#flashcards .deck-next") };
  return { all, first: first.id, afterAgain, waiting, back, nextAfterGood, nextLater, goodBack,
    lessonAfterAgain, lessonLater };
};
