// The probe of `flash_card_hints_say_tap_on_touch_screens_and_keys_elsewhere` in `tests/it/browser_study.rs`:
// the hints as shown (innerText leaves out what CSS hides) under the browser's pointer.
export default async ({ open }) => {
  let win = await open("/demo/everything/");
  let doc = win.document;
  const hints = [...doc.querySelectorAll("#flashcards .hint")].map((p) => p.innerText);
  const variants = [doc.querySelectorAll("#flashcards .on-pointer").length, doc.querySelectorAll("#flashcards .on-touch").length];
  const card = doc.querySelector(".flashcard");
  card.click();
  const kbd = win.getComputedStyle(card.parentNode.querySelector(".grades kbd")).display;
  const grade = card.parentNode.querySelector(".grades button").innerText.replace(/\s+/g, " ").trim();
  const touch = win.matchMedia("(hover: none) and (pointer: coarse)").matches;
  win = await open("/review/");
  doc = win.document;
  return { touch, hints, variants, kbd, grade, review: doc.querySelector(".review .lead").innerText };
};
