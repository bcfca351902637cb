// The probe of `the_fsrs_scheduler_matches_the_reference_implementation` in `tests/it/browser_study.rs`.
export default async ({ open }) => {
  const win = await open("/demo/everything/");
  const reference = await (await fetch("/__fsrs.json")).json();
  const F = win.FSRS;
  return { histories: reference.histories.map((h) => {
    let card = F.newCard(h.start);
    return h.reviews.map((r) => {
      card = F.review(card, r.rating, r.at);
      return { state: card.state, step: card.step, stability: card.stability, difficulty: card.difficulty, due: card.due };
    });
  }) };
};
