// The probe of `the_browser_redraws_the_figures_with_the_build_time_labels` in `tests/it/browser_widgets.rs`.
// The tick labels, legends and captions of each figure as built (the page's HTML, parsed)
// and as the script redraws them for the same state.
export default async ({ open, until }) => {
  const win = await open("/demo/explore/");
  const doc = win.document;
  const built = new DOMParser().parseFromString(await (await win.fetch("/demo/explore/")).text(), "text/html");
  const labels = (root, id) => {
    const out = {};
    root.querySelectorAll("#" + id + " .wfig").forEach((fig) => {
      out[fig.dataset.fig] = [...fig.querySelectorAll("text.wlabel")].map((t) => t.textContent);
    });
    out.caption = root.querySelector("#" + id + " .widget-caption").textContent;
    return out;
  };
  const result = {};
  for (const id of ["explore-neuron", "explore-drill", "explore-failures"]) {
    const section = doc.getElementById(id);
    section.scrollIntoView({ behavior: "instant" });
    if (section.hasAttribute("data-artifact")) await until("the data of " + id, () => section.getAttribute("data-state") === "ready");
    result[id] = { built: labels(built, id), browser: labels(doc, id) };
  }
  return result;
};
