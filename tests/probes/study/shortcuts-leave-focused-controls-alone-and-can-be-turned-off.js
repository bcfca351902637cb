// Real arrow presses on a focused flash card, reorder button, filter button and link stay
// on the page; the footer's "Keyboard shortcuts" opens the list, whose switch turns the
// single-key shortcuts off for good (j, the arrows and ? do nothing after a reload).
export default async ({ open, reload, keys, sleep, loaded }) => {
  let win = await open("/demo/everything/");
  const stays = {};
  for (const [name, selector] of [
    ["card", "button.flashcard"],
    ["reorder", ".reorder .move-down"],
    ["filter", "[data-filter='expert']"],
    ["link", ".lesson-header .crumbs a"],
  ]) {
    const target = win.document.querySelector(selector);
    if (!target) throw new Error("no " + selector);
    target.focus();
    await keys("ArrowRight");
    await sleep(300);
    stays[name] = win.location.pathname;
  }
  // From the page itself, the arrow still goes on.
  win.document.activeElement.blur();
  let next = loaded();
  await keys("ArrowRight");
  win = await next;
  const fromPage = win.location.pathname;
  win.history.back();
  win = await loaded();
  const button = win.document.querySelector(".site-footer .shortcuts-button");
  button.click();
  const dialog = win.document.querySelector("dialog.help[open]");
  const toggle = dialog.querySelector("#shortcuts-on");
  const wasOn = toggle.checked;
  toggle.click();
  dialog.close();
  win = await reload();
  const placeholder = win.document.querySelector("#search-input").placeholder;
  win.document.activeElement.blur();
  await keys("j");
  await keys("ArrowRight");
  await keys("?");
  await sleep(400);
  const helpOpened = !!win.document.querySelector("dialog.help[open]");
  const off = win.location.pathname;
  // A revealed card is not graded by a bare 1 once focus has left it.
  const card = win.document.querySelector("button.flashcard");
  card.click();
  card.blur();
  await keys("1");
  await sleep(200);
  const graded = Object.keys(win.localStorage).filter((k) => k.startsWith("conceptlab-card:")).length;
  return { stays, fromPage, wasOn, off, helpOpened, placeholder, graded };
};
