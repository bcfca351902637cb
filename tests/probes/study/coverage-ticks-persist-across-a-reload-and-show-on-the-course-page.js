// The probe of `coverage_ticks_persist_across_a_reload_and_show_on_the_course_page` in `tests/it/browser_study.rs`.
export default async ({ open, reload }) => {
  let win = await open("/demo/everything/");
  const boxes = () => [...win.document.querySelectorAll("#coverage input[data-coverage]")];
  boxes()[1].click();
  win = await reload();
  const afterReload = boxes().map((b) => b.checked);
  const progress = win.document.querySelector(".coverage-progress").textContent;
  win = await open("/demo/");
  const item = win.document.querySelector('li[data-lesson="demo/everything"]');
  return { afterReload, progress, course: item.querySelector(".lesson-progress").textContent.trim(),
    done: item.classList.contains("done") };
};
