//! Syntax highlighting of fenced code at build time, with CSS classes (no inline styles),
//! so one light and one dark stylesheet colour every page.
//!
//! The syntax set (syntect's plus two-face's extra syntaxes such as TypeScript, TOML and
//! Dockerfile) is loaded once per process from its binary dump. Highlighting is most of a
//! build's cost, so highlighted blocks are cached by a hash of language and code: that
//! spares `serve` highlighting a lesson's blocks again on every save. The cache is bounded
//! ([`CACHE_BYTES`]), so a large site's code is never all in memory at once.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Every highlighted token's class starts with this, so theme CSS never collides.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
/// The syntect themes the two stylesheets are generated from.
pub const LIGHT_THEME: &str = "InspiredGitHub";
pub const DARK_THEME: &str = "base16-ocean.dark";

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// The most HTML the cache holds; when a block would take it over, the cache starts
/// again empty. That keeps what was highlighted last (the lesson being edited) and costs
/// little: one 30-line block is about 10 KB of HTML.
pub const CACHE_BYTES: usize = 32 << 20;

#[derive(Default)]
struct Cache {
    blocks: HashMap<blake3::Hash, String>,
    bytes: usize,
}

impl Cache {
    fn insert(&mut self, key: blake3::Hash, html: String) {
        if self.bytes + html.len() > CACHE_BYTES {
            self.blocks.clear();
            self.bytes = 0;
        }
        self.bytes += html.len();
        if let Some(old) = self.blocks.insert(key, html) {
            self.bytes -= old.len();
        }
    }
}

fn cache() -> &'static Mutex<Cache> {
    static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// A highlighted block: the inner HTML of `<code>` and the language actually used.
pub struct Highlighted {
    pub html: String,
    /// False when the language was not recognised and the code is shown as plain text.
    pub recognised: bool,
}

/// Highlights `code` written in `lang` (a name or file extension such as `python`, `rs`).
pub fn highlight(lang: &str, code: &str) -> Highlighted {
    let set = syntaxes();
    let Some(syntax) = (!lang.is_empty())
        .then(|| set.find_syntax_by_token(lang))
        .flatten()
    else {
        return Highlighted {
            html: pulldown_cmark_escape_html(code),
            recognised: lang.is_empty(),
        };
    };
    let key = {
        let mut hasher = blake3::Hasher::new();
        hasher.update(syntax.name.as_bytes());
        hasher.update(&[0]);
        hasher.update(code.as_bytes());
        hasher.finalize()
    };
    if let Some(html) = cache()
        .lock()
        .ok()
        .and_then(|c| c.blocks.get(&key).cloned())
    {
        return Highlighted {
            html,
            recognised: true,
        };
    }
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            // A grammar failure is syntect's problem, not the author's: show plain text.
            return Highlighted {
                html: pulldown_cmark_escape_html(code),
                recognised: true,
            };
        }
    }
    let html = generator.finalize();
    if let Ok(mut c) = cache().lock() {
        c.insert(key, html.clone());
    }
    Highlighted {
        html,
        recognised: true,
    }
}

fn pulldown_cmark_escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let _ = pulldown_cmark_escape::escape_html_body_text(&mut out, text);
    out
}

/// The stylesheets for highlighted code: `(light, dark)`. The dark one applies when the
/// reader picked dark mode, or when the system prefers dark and the reader picked nothing.
pub fn stylesheets() -> (String, String) {
    let themes = ThemeSet::load_defaults();
    let css = |name: &str| {
        themes
            .themes
            .get(name)
            .and_then(|t| css_for_theme_with_class_style(t, CLASS_STYLE).ok())
            .unwrap_or_default()
    };
    let light = css(LIGHT_THEME);
    let dark = css(DARK_THEME);
    let dark = format!(
        ":root[data-theme=\"dark\"] {{\n{dark}\n}}\n\
         @media (prefers-color-scheme: dark) {{\n:root:not([data-theme=\"light\"]) {{\n{dark}\n}}\n}}\n"
    );
    (light, dark)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_classed_spans() {
        let h = highlight("python", "def f(x):\n    return x\n");
        assert!(h.recognised);
        assert!(h.html.contains("class=\"hl-"), "{}", h.html);
        // two-face adds TOML, which syntect alone lacks.
        assert!(highlight("toml", "a = 1\n").html.contains("hl-"));
    }

    #[test]
    fn the_cache_starts_again_when_full_and_keeps_the_newest_block() {
        let mut cache = Cache::default();
        let block = |i: u8| (blake3::hash(&[i]), "x".repeat(CACHE_BYTES / 3));
        for i in 0..3 {
            let (key, html) = block(i);
            cache.insert(key, html);
        }
        assert_eq!(cache.blocks.len(), 3);
        let (key, html) = block(3);
        cache.insert(key, html);
        assert_eq!(cache.blocks.len(), 1);
        assert!(cache.blocks.contains_key(&key));
        assert_eq!(cache.bytes, CACHE_BYTES / 3);
        // The same block again replaces itself and is counted once.
        let (key, html) = block(3);
        cache.insert(key, html);
        assert_eq!((cache.blocks.len(), cache.bytes), (1, CACHE_BYTES / 3));
    }

    #[test]
    fn unknown_languages_fall_back_to_escaped_text() {
        let h = highlight("no-such-lang", "<b>\n");
        assert!(!h.recognised);
        assert_eq!(h.html, "&lt;b&gt;\n");
    }
}
