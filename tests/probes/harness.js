// The probe harness: what every browser test's probe uses. The test's page imports it
// and the probe (a module whose default export is an async function of these helpers),
// opens the real pages in a same-origin iframe, and posts the probe's result (JSON, or a
// string as it is) to `POST /__report`.

const report = (body) => fetch("/__report", { method: "POST", body });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const frame = document.createElement("iframe");
document.body.appendChild(frame);

// Resolves with the frame's window once the next page in it has loaded (deferred scripts
// and DOMContentLoaded handlers have run by then) and the scripts a lesson fetches after
// loading (its parts' `data-scripts`) have run too.
const settled = async (win) => {
  const root = win.document.documentElement;
  if (!win.document.querySelector("[data-scripts]")) return win;
  for (let i = 0; i < 400 && root.dataset.lazy !== "done"; i++) await sleep(25);
  if (root.dataset.lazy !== "done") throw new Error("the page's scripts did not load");
  return win;
};
const loaded = () => new Promise((resolve) => { frame.onload = () => resolve(frame.contentWindow); }).then(settled);
const open = (url) => { const next = loaded(); frame.src = url; return next; };
const reload = () => { const next = loaded(); frame.contentWindow.location.reload(); return next; };

// A synthetic key press, from the page itself (it never activates a button).
const press = (win, target, key) =>
  target.dispatchEvent(new win.KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));

// Real key presses, sent by the test through the DevTools protocol to the focused element.
let batches = 0;
const keys = async (...names) => {
  batches++;
  await report("keys:" + names.join(","));
  while (Number(await (await fetch("/__delivered")).text()) < batches) await sleep(25);
};

const until = async (what, test) => {
  for (let i = 0; i < 200; i++) { if (test()) return; await sleep(25); }
  throw new Error("timed out waiting for " + what);
};

// Sets a slider or field as a user would, with the input event the page listens for.
const input = (win, el, value) => {
  el.value = value;
  el.dispatchEvent(new win.Event("input", { bubbles: true }));
};

// A checksum of a heatmap's cells as drawn: each colour bin's path.
const cells = (section, fig) => {
  const text = [...section.querySelectorAll('[data-fig="' + fig + '"] path[class^="hb"]')]
    .map((p) => p.getAttribute("class") + p.getAttribute("d")).join("|");
  let h = 5381;
  for (let i = 0; i < text.length; i++) h = (h * 33 + text.charCodeAt(i)) >>> 0;
  return text ? h : null;
};

// Runs `probe` with the helpers and `args`, in a frame of `height` pixels, with an empty
// localStorage; reports what it returns, or the error it threw.
export async function run(probe, { height = 900, args = null } = {}) {
  frame.style.width = "1000px";
  frame.style.height = height + "px";
  localStorage.clear();
  try {
    const helpers = { frame, loaded, open, reload, press, sleep, keys, until, input, cells, args };
    const result = await probe(helpers);
    await report(typeof result === "string" ? result : JSON.stringify(result));
  } catch (e) {
    await report(JSON.stringify({ error: String((e && e.stack) || e) }));
  }
}
