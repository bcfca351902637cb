// The probe of `jumps_below_the_widgets_land_on_their_target` in `tests/it/browser_widgets.rs`.
// Heights of the widgets before and after their data loads, and where a link's target
// is once every widget has loaded: opened with the hash, and by a click in the TOC.
export default async ({ open, until }) => {
  const lazy = (doc) => [...doc.querySelectorAll("section[data-widget][data-artifact]")];
  const allReady = (doc) => () => lazy(doc).every((s) => s.getAttribute("data-state") === "ready");
  // Two frames: any resize observed after the last load has been handled.
  const frames = (win) => new Promise((resolve) => win.requestAnimationFrame(() => win.requestAnimationFrame(resolve)));
  // Still for 200 ms: under load a smooth scroll can start a few polls (25 ms each) after
  // the page is ready, and two equal polls before it starts are no proof of anything.
  const settled = async (win) => {
    let last = NaN, still = 0;
    await until("the scrolling to stop", () => { const now = win.scrollY; still = now === last ? still + 1 : 0; last = now; return still >= 8; });
  };
  const place = async (win, id) => {
    await until("every widget's data", allReady(win.document));
    await frames(win);
    await settled(win);
    const target = win.document.getElementById(id);
    return { top: Math.round(target.getBoundingClientRect().top), margin: parseFloat(win.getComputedStyle(target).scrollMarginTop) || 0 };
  };

  let win = await open("/demo/jump/");
  const heights = (doc) => Object.fromEntries([...doc.querySelectorAll("section[data-widget]")].map((s) => [s.id, s.getBoundingClientRect().height]));
  const before = heights(win.document);
  const staticStates = lazy(win.document).map((s) => s.getAttribute("data-state"));
  for (const s of lazy(win.document)) { s.scrollIntoView({ behavior: "instant" }); await until("the data of " + s.id, () => s.getAttribute("data-state") === "ready"); }
  const after = heights(win.document);

  // A query of its own for each: a new document, not a jump within the old one.
  win = await open("/demo/jump/?by=hash#questions");
  const byHash = await place(win, "questions");
  win = await open("/demo/jump/?by=deep-link#why-deep-senior");
  const byDeepLink = await place(win, "why-deep-senior");

  win = await open("/demo/jump/?by=toc");
  win.document.querySelector('.toc a[href="#questions"]').click();
  const byToc = await place(win, "questions");
  return { before, after, staticStates, byHash, byDeepLink, byToc, smooth: win.getComputedStyle(win.document.documentElement).scrollBehavior };
};
