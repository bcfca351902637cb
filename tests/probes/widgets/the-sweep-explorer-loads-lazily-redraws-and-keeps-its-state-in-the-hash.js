// The probe of `the_sweep_explorer_loads_lazily_redraws_and_keeps_its_state_in_the_hash` in `tests/it/browser_widgets.rs`.
export default async ({ open, reload, sleep, keys, until, input, cells }) => {
  let win = await open("/demo/explore/");
  let section = win.document.getElementById("explore-drill");
  const lateBefore = win.document.getElementById("explore-failures").getAttribute("data-state");
  const controlsHidden = section.querySelector(".widget-controls").hidden;
  const staticCells = cells(section, "map");
  section.scrollIntoView();
  await until("the sweep's data", () => section.getAttribute("data-state") === "ready");
  const ready = { hidden: section.querySelector(".widget-controls").hidden, disabled: section.querySelector("fieldset").disabled };
  const first = cells(section, "map");
  const lossBefore = section.querySelector('[data-fig="loss"] path.wl-train').getAttribute("d");
  const lr = section.querySelector('input[name="lr"]');
  // A real key press on the focused slider moves it, and is no lesson shortcut.
  lr.focus();
  await keys("ArrowLeft");
  await sleep(100);
  const byKey = { value: lr.value, cells: cells(section, "map"), hash: win.location.hash, path: win.location.pathname };
  input(win, lr, "0");
  const afterLr = cells(section, "map");
  const lossAfter = section.querySelector('[data-fig="loss"] path.wl-train').getAttribute("d");
  const shown = lr.parentNode.querySelector("output").textContent;
  const valuetext = lr.getAttribute("aria-valuetext");
  const hidden = section.querySelector('input[name="hidden"]');
  input(win, hidden, "2");
  const afterHidden = cells(section, "map");
  const epoch = section.querySelector('input[name="epoch"]');
  input(win, epoch, "2");
  const afterEpoch = cells(section, "map");
  const hash = win.location.hash;
  await sleep(400);
  const readout = section.querySelector(".widget-readout").textContent;
  win = await reload();
  section = win.document.getElementById("explore-drill");
  await until("the sweep after a reload", () => section.getAttribute("data-state") === "ready");
  return {
    byKey, lateBefore, controlsHidden, staticCells, ready, first, afterLr, afterHidden, afterEpoch, lossChanged: lossBefore !== lossAfter,
    shown, valuetext, hash, readout,
    restored: {
      lr: section.querySelector('input[name="lr"]').value,
      hidden: section.querySelector('input[name="hidden"]').value,
      epoch: section.querySelector('input[name="epoch"]').value,
      cells: cells(section, "map"),
      output: section.querySelector('input[name="lr"]').parentNode.querySelector("output").textContent,
      hash: win.location.hash,
    },
  };
};
