// The probe of `the_neuron_failure_lab_and_learning_curve_respond` in `tests/it/browser_widgets.rs`.
export default async ({ open, sleep, until, input, cells }) => {
  const win = await open("/demo/explore/");
  const doc = win.document;
  const neuron = doc.getElementById("explore-neuron");
  const readout = () => neuron.querySelector(".widget-caption").textContent;
  const live = () => neuron.querySelector(".widget-readout").textContent;
  const liveBefore = live();
  const before = readout();
  const line = () => neuron.querySelector(".wdecision").getAttribute("d");
  const lineBefore = line();
  const w1 = neuron.querySelector('input[name="w1"]');
  input(win, w1, "-2");
  const after = readout();
  const liveAfter = live();
  const lineAfter = line();
  const select = neuron.querySelector('select[name="f"]');
  select.value = "step";
  select.dispatchEvent(new win.Event("change", { bubbles: true }));
  const step = readout();
  const neuronHash = win.location.hash;

  const lab = doc.getElementById("explore-failures");
  lab.scrollIntoView();
  await until("the failure lab's data", () => lab.getAttribute("data-state") === "ready");
  const modeBefore = cells(lab, "mode");
  const healthyBefore = cells(lab, "healthy");
  const visibleBefore = [...lab.querySelectorAll(".widget-mode")].filter((m) => !m.hidden).map((m) => m.dataset.mode);
  const radio = lab.querySelector('input[value="too-small-network"]');
  radio.checked = true;
  radio.dispatchEvent(new win.Event("change", { bubbles: true }));
  const labResult = {
    modeChanged: cells(lab, "mode") !== modeBefore,
    healthySame: cells(lab, "healthy") === healthyBefore,
    visible: [...lab.querySelectorAll(".widget-mode")].filter((m) => !m.hidden).map((m) => m.dataset.mode),
    visibleBefore,
    hash: win.location.hash,
    readout: lab.querySelector(".widget-readout").textContent,
  };

  const curve = doc.getElementById("explore-scaling");
  curve.scrollIntoView();
  await until("the learning curve's data", () => curve.getAttribute("data-state") === "ready");
  const box = curve.querySelector('[data-fig="curve"]');
  box.focus();
  const focused = curve.querySelector(".widget-readout").textContent;
  box.dispatchEvent(new win.KeyboardEvent("keydown", { key: "ArrowLeft", bubbles: true, cancelable: true }));
  await sleep(300);
  return {
    before, after, liveBefore, liveAfter, lineBefore, lineAfter, step, neuronHash, lab: labResult,
    curve: { focused, left: curve.querySelector(".widget-readout").textContent, tabIndex: box.tabIndex, dots: curve.querySelectorAll(".wcursor-dot").length, path: win.location.pathname },
  };
};
