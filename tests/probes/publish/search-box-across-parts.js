// Types into the theme's search box on a lesson page, as a reader would, and returns the
// links it lists: for a word only the last index part has, for one in the first, the
// course filter's options, a question found by its level, its badge, and a level filter
// with no words.
export default async ({ open, sleep }) => {
  const win = await open("/course-repo/demo/everything/");
  const doc = win.document;
  async function query(text) {
    const input = doc.querySelector("#search-input");
    const list = doc.querySelector("#search-results");
    list.textContent = "";
    input.value = text;
    input.dispatchEvent(new Event("input"));
    for (let i = 0; i < 100 && !list.querySelector("a"); i++) await sleep(100);
    return Array.from(list.querySelectorAll("a"))
      .map((a) => new URL(a.href).pathname + new URL(a.href).hash).join(" ");
  }
  const last = await query("quasarfinal");
  const first = await query("multiplier");
  const courses = Array.from(doc.querySelectorAll("#search-course option")).map((o) => o.textContent).join(",");
  // A lesson's questions are one record: the level filter picks the question to link.
  doc.querySelector("#search-kind").value = "Question";
  doc.querySelector("#search-level").value = "Expert";
  const expert = await query("neuron");
  const badge = doc.querySelector("#search-results .search-kind").textContent;
  doc.querySelector("#search-level").value = "Intermediate";
  const filterOnly = await query("");
  return [last, first, courses, expert, badge, filterOnly].join("\n");
};
