// Runs axe-core on each page of `args.pages`, in light and dark, once the page has
// settled (every widget ready or failed), and reports every critical or serious
// violation: `{ "<page> <scheme>": [{ id, impact, nodes: [target, ...] }] }`.
export default async function ({ open, until, sleep, args }) {
  const found = {};
  for (const scheme of ["light", "dark"]) {
    for (const page of args.pages) {
      localStorage.setItem("conceptlab-theme", scheme);
      const win = await open(page);
      const doc = win.document;
      // Lazy widgets load once near the viewport: bring each one there.
      for (const w of doc.querySelectorAll("[data-widget][data-artifact]")) {
        w.scrollIntoView();
        await until("the widget " + w.id + " of " + page, () => ["ready", "failed"].includes(w.dataset.state));
      }
      win.scrollTo(0, 0);
      // Let transitions (the theme's colours, a flipped card) finish.
      await sleep(400);
      const script = doc.createElement("script");
      script.src = "/__axe.js";
      const ready = new Promise((resolve, reject) => { script.onload = resolve; script.onerror = reject; });
      doc.head.appendChild(script);
      await ready;
      const result = await win.axe.run(doc, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
        resultTypes: ["violations"],
      });
      found[page + " " + scheme] = result.violations
        .filter((v) => v.impact === "critical" || v.impact === "serious")
        .map((v) => ({
          id: v.id,
          impact: v.impact,
          nodes: v.nodes.slice(0, 8).map((n) => n.target.join(" ") + " :: " + (n.failureSummary || "").split("\n").slice(1, 2).join("")),
          count: v.nodes.length,
        }));
    }
  }
  return found;
}
