// The probe of `the_sweep_marks_its_epoch_and_the_neuron_fits_its_activation` in `tests/it/browser_widgets.rs`.
export default async ({ open, until, input }) => {
  const win = await open("/demo/explore/");
  const doc = win.document;
  const markerX = (section) => {
    const m = section.querySelector('[data-fig="loss"] > svg > path.wepoch');
    return m ? Number(m.getAttribute("d").slice(1).split(" ")[0]) : null;
  };
  const tickX = (section, label) => {
    const t = [...section.querySelectorAll('[data-fig="loss"] text.wtx')].find((t) => t.textContent === label);
    return t ? Number(t.getAttribute("x")) : null;
  };
  const sweep = doc.getElementById("explore-drill");
  const staticMarker = markerX(sweep);
  sweep.scrollIntoView({ behavior: "instant" });
  await until("the sweep's data", () => sweep.getAttribute("data-state") === "ready");
  const epoch = sweep.querySelector('input[name="epoch"]');
  const snapshots = JSON.parse(epoch.dataset.values);
  const readyMarker = markerX(sweep);
  input(win, epoch, "0");
  const firstMarker = markerX(sweep);
  const marks = { staticMarker, readyMarker, firstMarker, lastEpoch: snapshots[snapshots.length - 1], firstEpoch: snapshots[0],
    lastTick: tickX(sweep, String(snapshots[snapshots.length - 1])), zeroTick: tickX(sweep, "0") };

  const neuron = doc.getElementById("explore-neuron");
  const set = (name, value) => input(win, neuron.querySelector('input[name="' + name + '"]'), value);
  const select = neuron.querySelector('select[name="f"]');
  const pick = (f) => { select.value = f; select.dispatchEvent(new win.Event("change", { bubbles: true })); };
  const activation = () => {
    const svg = neuron.querySelector('[data-fig="act"] svg');
    const frame = svg.querySelector("path.waxis").getAttribute("d").match(/^M([\d.]+) ([\d.]+)V([\d.]+)/);
    const dot = svg.querySelector("circle.winput");
    return { yTicks: [...svg.querySelectorAll("text.wty")].map((t) => t.textContent), top: Number(frame[2]), bottom: Number(frame[3]), cy: Number(dot.getAttribute("cy")) };
  };
  set("x1", "2"); set("w1", "3"); set("x2", "0.5"); set("w2", "-1.2"); set("b", "0.2");
  pick("relu");
  const relu = { ...activation(), readout: neuron.querySelector(".widget-readout").textContent };
  pick("linear");
  const linear = activation();
  set("x1", "-1.6"); set("w1", "-2");
  const caption = neuron.querySelector(".widget-caption").textContent;
  const plane = neuron.querySelector('[data-fig="plane"] svg');
  return {
    marks, relu, linear, caption,
    plane: { xTicks: [...plane.querySelectorAll("text.wtx")].map((t) => t.textContent), yTicks: [...plane.querySelectorAll("text.wty")].map((t) => t.textContent), legend: plane.querySelector(".wlegend").textContent },
  };
};
