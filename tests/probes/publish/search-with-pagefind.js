// Searches the built index with Pagefind's own script: `args` is a list of
// [query, filters]; returns a line per query with the URLs found, each with its kind and
// the sub-results that have hits (a lesson's flash cards are one record, each card a
// heading).
export default async ({ args }) => {
  const pagefind = await import("/course-repo/pagefind/pagefind.js");
  await pagefind.options({});
  const lines = [];
  for (const [query, filters] of args) {
    const search = await pagefind.search(query, { filters });
    const found = await Promise.all(search.results.map((r) => r.data()));
    const subs = (d) => d.sub_results
      .filter((s) => s.locations.length && s.url !== d.url)
      .map((s) => " > " + s.url).join("");
    lines.push(query + " => " + found.map((d) => d.url + " [" + d.meta.kind + "]" + subs(d)).join(" | "));
  }
  return lines.join("\n");
};
