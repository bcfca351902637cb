// On a wide screen the course's lesson list and the table of contents are open, and the
// table of contents marks the part being read; on a phone both start closed. The home
// page then offers to continue with the lesson read last.
export default async ({ frame, open, sleep }) => {
  frame.style.width = "1400px";
  let win = await open("/demo/everything/");
  let doc = win.document;
  const wide = { nav: doc.querySelector(".course-nav details").open, toc: doc.querySelector(".toc details").open };
  const current = async (id) => {
    const target = doc.getElementById(id);
    win.scrollTo({ top: target.getBoundingClientRect().top + win.scrollY, behavior: "instant" });
    await sleep(300);
    const link = doc.querySelector(".toc a[aria-current]");
    return link && link.getAttribute("href");
  };
  const reading = [await current("questions"), await current("examples")];
  frame.style.width = "390px";
  win = await open("/demo/everything/");
  doc = win.document;
  const phone = { nav: doc.querySelector(".course-nav details").open, toc: doc.querySelector(".toc details").open };
  await open("/demo/last/");
  // One card of the course graded earlier and due now, one coverage point ticked.
  localStorage.setItem("conceptlab-card:card-x", JSON.stringify({ state: 2, due: Date.now() - 1000, lesson: "demo/everything" }));
  localStorage.setItem("conceptlab-card:card-y", JSON.stringify({ state: 2, due: Date.now() + 864e5, lesson: "demo/everything" }));
  localStorage.setItem("conceptlab-coverage:demo/everything", JSON.stringify(["cov-a"]));
  win = await open("/");
  doc = win.document;
  const banner = doc.querySelector("[data-continue]");
  const start = doc.querySelector(".course-card .course-start a");
  return {
    wide, reading, phone,
    banner: banner.hidden ? null : banner.textContent,
    bannerHref: banner.querySelector("a") && banner.querySelector("a").getAttribute("href"),
    progress: doc.querySelector(".course-card .course-progress").textContent,
    start: start.textContent,
    startHref: start.getAttribute("href"),
  };
};
