// The probe of `questions_level_chips_have_a_contrast_of_at_least_4_5` in `tests/it/browser_study.rs`:
// each level chip's text against its tint, laid over the question's background, in light
// and dark, by WCAG's formula.
export default async ({ open }) => {
  // Computed colours come as rgb()/rgba() or, from color-mix(), as color(srgb r g b / a).
  const parse = (css) => {
    const n = css.match(/[\d.]+/g).map(Number);
    const scale = css.startsWith("color(") ? 1 : 255;
    return { rgb: n.slice(0, 3).map((v) => v / scale), a: n.length > 3 ? n[3] : 1 };
  };
  const over = (top, bottom) => top.rgb.map((c, i) => c * top.a + bottom.rgb[i] * (1 - top.a));
  const luminance = (rgb) => {
    const [r, g, b] = rgb.map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const found = {};
  for (const scheme of ["light", "dark"]) {
    localStorage.setItem("conceptlab-theme", scheme);
    const win = await open("/demo/everything/");
    for (const chip of win.document.querySelectorAll(".question .level")) {
      const s = win.getComputedStyle(chip);
      const ground = parse(win.getComputedStyle(chip.closest(".question")).backgroundColor);
      const tint = over(parse(s.backgroundColor), ground);
      const text = over(parse(s.color), { rgb: tint, a: 1 });
      found[scheme + " " + chip.textContent.trim()] = Math.round(ratio(text, tint) * 100) / 100;
    }
  }
  return found;
};
