// The probe of `flash_cards_flip_grade_with_fsrs_and_come_back_on_the_review_page` in `tests/it/browser_study.rs`.
export default async ({ open, press, sleep }) => {
  const DAY = 86400000;
  let win = await open("/demo/everything/");
  let doc = win.document;
  const cards = [...doc.querySelectorAll("#flashcards .flashcard")];
  const faces = (c) => [c.getAttribute("aria-pressed"), c.querySelector(".card-front").inert, c.querySelector(".card-back").inert];
  const closed = faces(cards[0]);
  cards[0].click();
  const flipped = faces(cards[0]);
  const gradesShown = !cards[0].parentNode.querySelector(".grades").hidden;
  const t0 = Date.now();
  cards[0].focus();
  press(win, cards[0], "4");
  const easy = JSON.parse(win.localStorage.getItem("conceptlab-card:" + cards[0].id));
  const afterGrade = faces(cards[0]);
  const focusMoved = doc.activeElement === cards[1];
  cards[1].click();
  cards[1].parentNode.querySelector('.grades [data-grade="3"]').click();
  const good = JSON.parse(win.localStorage.getItem("conceptlab-card:" + cards[1].id));
  const progress = doc.querySelector(".deck-progress").textContent;
  // A grade key does nothing while no card is revealed.
  press(win, doc.body, "1");
  const unchanged = win.localStorage.getItem("conceptlab-card:" + cards[0].id) === JSON.stringify(easy);

  win = await open("/review/");
  doc = win.document;
  const shown = () => [...doc.querySelectorAll(".flashcard")].filter((c) => !c.closest("[hidden]")).map((c) => c.id);
  const noneDue = shown();
  const emptyText = doc.querySelector(".deck-progress").textContent;
  const data = win.conceptlabProgress.data();
  // Import a progress file that makes the first card due.
  const moved = Object.assign({}, easy, { due: t0 - DAY });
  const file = new win.File([JSON.stringify({ format: "conceptlab-progress", version: 1, items: { ["conceptlab-card:" + cards[0].id]: moved } })], "p.json");
  const input = doc.querySelector(".import-progress");
  const transfer = new win.DataTransfer();
  transfer.items.add(file);
  input.files = transfer.files;
  input.dispatchEvent(new win.Event("change"));
  await sleep(300);
  const afterImport = shown();
  const status = doc.querySelector(".deck-status").textContent;
  // Grading the one due card takes it off the page; focus goes to the deck's progress.
  const due = doc.getElementById(cards[0].id);
  due.click();
  press(win, due, "3");
  const afterReview = shown();
  const focusOnProgress = doc.activeElement === doc.querySelector(".deck-progress");
  const lessonHidden = doc.querySelector(".review-lesson").hidden;
  return { closed, flipped, gradesShown, afterGrade, focusMoved, easy, good, t0, progress, unchanged,
    noneDue, emptyText, exported: Object.keys(data.items).sort(),
    expectedKeys: cards.map((c) => "conceptlab-card:" + c.id).sort(),
    status, afterImport, afterReview, focusOnProgress, lessonHidden, first: cards[0].id };
};
