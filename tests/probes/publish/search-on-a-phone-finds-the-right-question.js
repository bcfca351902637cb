// Searches the example course on a 390 px wide screen, as a reader on a phone would, and
// reports where the header and the results lie, the results' excerpts and links, for a
// word, for two words that name one question best, and for a level filter alone.
export default async ({ frame, open, sleep }) => {
  frame.style.width = "390px";
  const win = await open("/machine-learning/neurons-and-the-brain/");
  const doc = win.document;
  const header = doc.querySelector(".site-header");
  const atRest = header.getBoundingClientRect().height;
  const input = doc.querySelector("#search-input");
  const list = doc.querySelector("#search-results");
  const select = (id, value) => {
    const el = doc.querySelector(id);
    el.value = value;
  };
  async function query(text) {
    list.textContent = "";
    input.focus();
    input.value = text;
    input.dispatchEvent(new win.Event("input"));
    for (let i = 0; i < 100 && !list.querySelector("a"); i++) await sleep(100);
    const url = (a) => new URL(a.href).pathname + new URL(a.href).hash;
    return [...list.querySelectorAll("li")].map((li) => ({
      url: url(li.querySelector("a")),
      title: li.querySelector("a").textContent,
      kind: li.querySelector(".search-kind").textContent,
      excerpt: li.querySelector("p").textContent,
    }));
  }
  const sigmoid = await query("sigmoid");
  const box = list.getBoundingClientRect();
  const searching = header.getBoundingClientRect().height;
  const results = { left: box.left, right: box.right, width: win.innerWidth };
  select("#search-kind", "Question");
  const deadRelu = await query("dead relu");
  select("#search-level", "Expert");
  const expert = await query("");
  // The text of each question the expert results link to, to compare with its excerpt.
  const targets = {};
  for (const r of expert) {
    const page = await (await win.fetch(r.url.split("#")[0])).text();
    const dom = new win.DOMParser().parseFromString(page, "text/html");
    const q = dom.getElementById(r.url.split("#")[1]);
    targets[r.url] = q ? q.textContent.replace(/\s+/g, " ") : null;
  }
  return { atRest, searching, results, sigmoid, deadRelu, expert, targets };
};
