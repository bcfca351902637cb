// The probe of `keyboard_shortcuts_go_to_the_next_and_previous_lesson_and_show_help` in `tests/it/browser_study.rs`.
export default async ({ loaded, open, press, sleep }) => {
  let win = await open("/demo/everything/");
  const copyButtons = win.document.querySelectorAll(".code-block button.copy").length;
  // The copy button writes the code block's text (the clipboard itself is the browser's).
  let copied = null;
  Object.defineProperty(win.navigator, "clipboard", { value: { writeText: (text) => { copied = text; return Promise.resolve(); } } });
  win.document.querySelector(".code-block button.copy").click();
  await sleep(50);
  const copyLabel = win.document.querySelector(".code-block button.copy").textContent;
  // The light/dark choice is remembered across pages.
  win.document.querySelector(".theme-toggle").click();
  const theme = win.document.documentElement.dataset.theme;
  press(win, win.document.body, "?");
  const helpOpen = !!win.document.querySelector("dialog.help[open]");
  const helpText = win.document.querySelector("dialog.help").textContent;
  press(win, win.document.body, "?");
  const helpClosed = !win.document.querySelector("dialog.help[open]");
  // After a click in a code block that scrolls sideways, arrows scroll it instead.
  const pre = win.document.querySelector(".code-block pre");
  pre.style.width = "120px";
  pre.dispatchEvent(new win.PointerEvent("pointerdown", { bubbles: true }));
  press(win, win.document.body, "ArrowRight");
  await sleep(300);
  const arrowInCode = win.location.pathname;
  win.document.body.dispatchEvent(new win.PointerEvent("pointerdown", { bubbles: true }));
  let next = loaded();
  press(win, win.document.body, "j");
  win = await next;
  const afterJ = win.location.pathname;
  const themeAfterJ = win.document.documentElement.dataset.theme;
  next = loaded();
  press(win, win.document.body, "k");
  win = await next;
  const afterK = win.location.pathname;
  next = loaded();
  press(win, win.document.body, "ArrowLeft");
  win = await next;
  const afterLeft = win.location.pathname;
  // Typing in the search box is not a shortcut.
  const input = win.document.querySelector("#search-input");
  press(win, input, "j");
  await sleep(200);
  return { arrowInCode, copyButtons, copied, copyLabel, theme, themeAfterJ, helpOpen, helpText, helpClosed, afterJ, afterK, afterLeft, stayed: win.location.pathname };
};
