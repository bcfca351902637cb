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
  return { before, afterDown, focusKept, status, movedLabel: first.querySelector(".reorder-label").textContent,
    marks, answer: order(), answerLabels: labels(),
    allRight: [...list.children].every((li) => li.classList.contains("right")) };
};
