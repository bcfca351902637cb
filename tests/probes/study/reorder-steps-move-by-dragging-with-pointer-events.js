// The probe of `reorder_steps_move_by_dragging_with_pointer_events` in `tests/it/browser_study.rs`.
export default async ({ open }) => {
  const win = await open("/demo/everything/");
  const doc = win.document;
  const list = doc.querySelector(".reorder-list");
  const order = () => [...list.children].map((li) => Number(li.dataset.answer));
  const pointer = (type, target, y, pointerType) => target.dispatchEvent(new win.PointerEvent(type,
    { bubbles: true, cancelable: true, pointerId: 7, pointerType, button: 0, clientX: 40, clientY: y }));
  const rect = (i) => list.children[i].getBoundingClientRect();
  const before = order();
  // Mouse: drag the first step below the third.
  const first = list.children[0];
  pointer("pointerdown", first.querySelector(".reorder-label"), rect(0).top + 5, "mouse");
  pointer("pointermove", list, rect(2).bottom - 2, "mouse");
  pointer("pointerup", list, rect(2).bottom - 2, "mouse");
  const afterMouse = order();
  const status = doc.querySelector(".reorder-status").textContent;
  // Touch on the label, not the grip: no drag.
  pointer("pointerdown", list.children[4].querySelector(".reorder-label"), rect(4).top + 5, "touch");
  pointer("pointermove", list, rect(0).top + 2, "touch");
  pointer("pointerup", list, rect(0).top + 2, "touch");
  const afterTouchLabel = order();
  // Touch on the grip: the last step goes first.
  const last = list.children[4];
  pointer("pointerdown", last.querySelector(".grip"), rect(4).top + 5, "touch");
  pointer("pointermove", list, rect(0).top + 2, "touch");
  pointer("pointerup", list, rect(0).top + 2, "touch");
  return { before, afterMouse, status, label: first.querySelector(".reorder-label").textContent,
    afterTouchLabel, afterGrip: order(), focusOnMoved: last.contains(doc.activeElement) };
};
