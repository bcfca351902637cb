// The probe of `questions_expand_all_says_aria_expanded_and_outlines_wait_to_be_opened` in `tests/it/browser_study.rs`.
export default async ({ open, reload, until, sleep }) => {
  let win = await open("/demo/everything/");
  let doc = win.document;
  const expand = () => doc.querySelector(".expand-all");
  const state = () => [expand().getAttribute("aria-expanded"), expand().textContent];
  const outlines = () => [...doc.querySelectorAll("details.outline")];
  const answers = () => [...doc.querySelectorAll("details.outline, details.senior")];
  const first = outlines()[0];
  const closed = {
    state: state(),
    open: answers().filter((d) => d.open).length,
    summary: first.querySelector("summary").innerText,
    // The outline's text is not rendered until it is opened.
    hidden: !first.querySelector("p").checkVisibility(),
  };
  // Opening every answer one by one, as a reader would, clicking each summary.
  answers().forEach((d) => d.querySelector("summary").click());
  await until("the toggle events", () => expand().getAttribute("aria-expanded") === "true");
  const oneByOne = { state: state(), summary: first.querySelector("summary").innerText, shown: first.querySelector("p").checkVisibility() };
  first.querySelector("summary").click();
  await until("the toggle event", () => expand().getAttribute("aria-expanded") === "false");
  const oneClosed = state();
  expand().click();
  const expanded = { state: state(), open: answers().filter((d) => d.open).length };
  expand().click();
  const collapsed = { state: state(), open: answers().filter((d) => d.open).length };
  await sleep(50);
  // Deep links: to a question (outline and senior answer), to an outline, to a senior answer.
  win.location.hash = "why-bias";
  await until("the link to a question", () => doc.getElementById("why-bias-senior").open);
  await sleep(50);
  const question = [doc.getElementById("why-bias-outline").open, doc.getElementById("why-bias-senior").open];
  const outlineId = outlines()[2].id;
  win.location.hash = outlineId;
  await until("the link to an outline", () => doc.getElementById(outlineId).open);
  const senior = doc.querySelectorAll("details.senior")[0].id;
  win.location.hash = senior;
  await until("the link to a senior answer", () => doc.getElementById(senior).open);
  // Opened by a link, on a fresh page.
  win.location.hash = "";
  win = await reload();
  doc = win.document;
  const fresh = answers().filter((d) => d.open).length;
  win.location.hash = "why-bias-outline";
  win = await reload();
  doc = win.document;
  const loadedWithHash = [doc.getElementById("why-bias-outline").open, state()[0]];
  return { closed, oneByOne, oneClosed, expanded, collapsed, question, outlineId, senior, fresh, loadedWithHash, total: answers().length };
};
