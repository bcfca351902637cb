// The probe of `the_playground_loads_runs_on_demand_and_draws_what_the_build_drew` in
// `tests/it/browser_widgets.rs`.
export default async ({ open, reload, sleep, until, input, keys }) => {
  let win = await open("/lab/play/");
  const figs = (section) => {
    const out = {};
    section.querySelectorAll(".wfig").forEach((fig) => { out[fig.dataset.fig] = fig.innerHTML; });
    out.caption = section.querySelector(".widget-caption").textContent;
    return out;
  };
  // The playground's requests: its index and its runs.
  const bins = () => win.performance.getEntriesByType("resource").map((e) => e.name).filter((n) => n.includes("/sim-play."));
  let play = win.document.getElementById("explore-play");
  const fit = win.document.getElementById("explore-curve");
  const built = { play: figs(play), fit: figs(fit) };
  play.scrollIntoView();
  await until("the playground's data", () => play.getAttribute("data-state") === "ready");
  const loaded = { play: figs(play), requests: bins().length };
  fit.scrollIntoView();
  await until("the fit's data", () => fit.getAttribute("data-state") === "ready");
  loaded.fit = figs(fit);
  // Another run: one more request, other figures, the state in the hash.
  play.scrollIntoView();
  const requestsBefore = bins().length;
  const lr = play.querySelector('input[name="lr"]');
  input(win, lr, "0");
  await until("the other run", () => play.querySelector(".widget-caption").textContent.includes("Learning rate 0.03:"));
  const other = { figs: figs(play), requests: bins().length - requestsBefore, hash: win.location.hash };
  // Step, then Play to the end.
  const epoch = play.querySelector('input[name="epoch"]');
  input(win, epoch, "0");
  await sleep(50);
  play.querySelector("[data-step]").click();
  await sleep(50);
  const stepped = { epoch: epoch.value, shown: epoch.parentNode.querySelector("output").textContent };
  const button = play.querySelector("[data-play]");
  button.click();
  const playing = { text: button.textContent, pressed: button.getAttribute("aria-pressed") };
  await until("the end of the play", () => button.textContent === "Play");
  const played = { epoch: epoch.value, text: button.textContent };
  const test = play.querySelector('input[name="test-points"]');
  test.click();
  await sleep(100);
  const testPoints = play.querySelectorAll('[data-fig="map"] path.pt-test').length;
  // The diagram read weight by weight with the keyboard.
  await sleep(400);
  const net = play.querySelector('[data-fig="net"]');
  net.focus();
  await keys("ArrowRight", "ArrowRight");
  await sleep(100);
  const edges = {
    readout: play.querySelector(".widget-readout").textContent,
    second: net.querySelectorAll("path.wedge")[1].querySelector("title").textContent,
    on: net.querySelectorAll("path.wedge-on").length,
    path: win.location.pathname,
  };
  const hash = win.location.hash;
  const weights = play.querySelector("[data-weights]").children.length;
  win = await reload();
  play = win.document.getElementById("explore-play");
  await until("the playground after a reload", () => play.getAttribute("data-state") === "ready");
  return {
    built, loaded, other, stepped, playing, played, testPoints, hash, weights, edges,
    restored: {
      lr: play.querySelector('input[name="lr"]').value,
      epoch: play.querySelector('input[name="epoch"]').value,
      test: play.querySelector('input[name="test-points"]').checked,
      testPoints: play.querySelectorAll('[data-fig="map"] path.pt-test').length,
    },
  };
};
