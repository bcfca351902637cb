// The probe of `real_enter_and_space_flip_a_card_and_number_keys_grade_it` in `tests/it/browser_study.rs`.
export default async ({ frame, loaded, open, keys }) => {
  let win = await open("/demo/everything/");
  frame.focus();
  win.focus();
  const card = win.document.querySelector(".flashcard");
  card.focus();
  await keys("Enter");
  const afterEnter = card.getAttribute("aria-pressed");
  await keys("Space");
  const afterSpace = card.getAttribute("aria-pressed");
  await keys("Space");
  const revealed = card.getAttribute("aria-pressed");
  await keys("2");
  const hard = JSON.parse(win.localStorage.getItem("conceptlab-card:" + card.id));
  const next = loaded();
  win.document.activeElement.blur();
  await keys("j");
  win = await next;
  return { afterEnter, afterSpace, revealed, hard, afterJ: win.location.pathname };
};
