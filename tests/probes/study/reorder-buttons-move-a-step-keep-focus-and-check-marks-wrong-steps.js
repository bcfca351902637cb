// The probe of `reorder_buttons_move_a_step_keep_focus_and_check_marks_wrong_steps` in `tests/it/browser_study.rs`.
export default async ({ open }) => {
  const win = await open("/demo/everything/");
  const doc = win.document;
  const list = doc.querySelector(".reorder-list");
  const order = () => [...list.children].map((li) => Number(li.dataset.answer));
  const labels = () => [...list.children].map((li) => li.querySelector(".reorder-label").textContent);
  const before = order();
  const first = list.children[0];
  const down = first.querySelector(".move-down");
  down.focus();
  down.click();
  const afterDown = order();
  const focusKept = doc.activeElement === down && list.children[1] === first;
  const status = doc.querySelector(".reorder-status").textContent;
  doc.querySelector(".reorder-check").click();
  const marks = [...list.children].map((li) => li.classList.contains("right") ? "right" : li.classList.contains("wrong") ? "wrong" : "");
  doc.querySelector(".reorder-answer").click();
  const answer = order();
  const answerLabels = labels();
  const allRight = [...list.children].every((li) => li.classList.contains("right"));
  // The last step moved to the top: one step is out of place, the other four in order.
  const last = list.children[list.children.length - 1];
  for (let i = 0; i < 4; i++) last.querySelector(".move-up").click();
  doc.querySelector(".reorder-check").click();
  const oneMoved = [...list.children].map((li) => li.classList.contains("right") ? "right" : "wrong");
  const oneMovedStatus = doc.querySelector(".reorder-status").textContent;
  // The exercise is far from the flow that shows its answer: after the questions.
  const reorder = doc.querySelector("#reorder");
  const afterQuestions = !!(doc.querySelector("#questions").compareDocumentPosition(reorder) & 4);
  const inFlow = !!reorder.closest("#flow");
  return { before, afterDown, focusKept, status, movedLabel: first.querySelector(".reorder-label").textContent,
    marks, answer, answerLabels, allRight, oneMoved, oneMovedStatus, afterQuestions, inFlow };
};
