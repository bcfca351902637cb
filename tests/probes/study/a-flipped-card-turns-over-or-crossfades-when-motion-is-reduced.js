// The probe of `a_flipped_card_turns_over_or_crossfades_when_motion_is_reduced` in `tests/it/browser_study.rs`.
export default async ({ open, sleep }) => {
  const win = await open("/demo/everything/");
  const card = win.document.querySelector(".flashcard");
  card.click();
  await sleep(900);
  const style = (face) => {
    const s = win.getComputedStyle(card.querySelector(face));
    return { transform: s.transform, opacity: s.opacity, visibility: s.visibility, transition: s.transitionProperty };
  };
  return { reduced: win.matchMedia("(prefers-reduced-motion: reduce)").matches,
    front: style(".card-front"), back: style(".card-back") };
};
