//! Syntax highlighting of fenced code at build time, with CSS classes (no inline styles),
//! so one light and one dark stylesheet colour every page.
//!
//! A token gets one short class for its kind ([`KINDS`]: comment, keyword, string, ...),
//! not the stack of scopes the grammar gives it: a 30-line block is then about 3 KB of
//! HTML instead of 30 KB. Adjacent tokens of one kind share a span, and text of no kind
//! (names, punctuation, spaces) has none. The kinds' colours follow the look of
//! InspiredGitHub (light) and base16-ocean.dark (dark), darkened or lightened where
//! needed so that every one has a contrast of at least 4.5:1 (WCAG AA) on the code's
//! background.
//!
//! The syntax set (syntect's plus two-face's extra syntaxes such as TypeScript, TOML and
//! Dockerfile) is loaded once per process from its binary dump. Highlighting is most of a
//! build's cost, so highlighted blocks are cached by a hash of language and code: that
//! spares `serve` highlighting a lesson's blocks again on every save. The cache is bounded
//! ([`CACHE_BYTES`]), so a large site's code is never all in memory at once.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Mutex, OnceLock};

use syntect::highlighting::ScopeSelectors;
use syntect::parsing::{
    ATOM_LEN_BITS, BasicScopeStackOp, ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxSet,
};
use syntect::util::LinesWithEndings;

/// The class of a highlighted block's `<code>`; token classes are written under it.
pub const CODE_CLASS: &str = "hl-code";

/// How a kind of token looks in one colour scheme.
#[derive(Clone, Copy, Debug)]
pub struct Paint {
    /// `#rrggbb`.
    pub colour: &'static str,
    pub bold: bool,
    pub italic: bool,
}

const fn plain(colour: &'static str) -> Paint {
    Paint {
        colour,
        bold: false,
        italic: false,
    }
}

const fn bold(colour: &'static str) -> Paint {
    Paint {
        bold: true,
        ..plain(colour)
    }
}

const fn italic(colour: &'static str) -> Paint {
    Paint {
        italic: true,
        ..plain(colour)
    }
}

/// One kind of token: its class, the scopes it covers (a theme's scope selectors: the
/// most specific match wins, as in a theme, and a later kind wins a tie) and its paint.
#[derive(Debug)]
pub struct Kind {
    pub class: &'static str,
    scopes: &'static str,
    pub light: Paint,
    pub dark: Paint,
}

/// The code's background and plain text: `(background, text)`, light and dark.
pub const LIGHT_CODE: (&str, &str) = ("#ffffff", "#323232");
pub const DARK_CODE: (&str, &str) = ("#2b303b", "#c0c5ce");

/// The kinds of token, with InspiredGitHub's and base16-ocean.dark's colours; where
/// those fell under 4.5:1 on the background (comments: 2.9:1 and 2.7:1) they are
/// moved towards black or white just far enough. `o` and `v` look like plain text in
/// one scheme and are coloured in the other, as in the two themes.
pub const KINDS: &[Kind] = &[
    Kind {
        class: "c",
        scopes: "comment, punctuation.definition.comment",
        light: italic("#737573"),
        dark: plain("#909aa2"),
    },
    Kind {
        class: "k",
        scopes: "keyword, storage",
        light: bold("#a71d5d"),
        dark: plain("#b48ead"),
    },
    Kind {
        class: "o",
        scopes: "keyword.operator",
        light: bold("#a71d5d"),
        dark: plain(DARK_CODE.1),
    },
    Kind {
        class: "s",
        scopes: "string, constant.other.symbol",
        light: plain("#183691"),
        dark: plain("#a3be8c"),
    },
    Kind {
        class: "n",
        scopes: "constant, support.constant",
        light: plain("#007ea8"),
        dark: plain("#d08770"),
    },
    Kind {
        class: "e",
        scopes: "constant.character.escape, string.regexp, punctuation.section.embedded, \
                 variable.interpolation",
        light: plain("#007ea8"),
        dark: plain("#96b5b4"),
    },
    Kind {
        class: "v",
        scopes: "variable",
        light: plain(LIGHT_CODE.1),
        dark: plain("#ce858c"),
    },
    Kind {
        class: "m",
        scopes: "variable.function, support.function.any-method",
        light: plain(LIGHT_CODE.1),
        dark: plain("#8fa1b3"),
    },
    Kind {
        class: "f",
        scopes: "entity.name.function, keyword.other.special-method",
        light: bold("#795da3"),
        dark: plain("#8fa1b3"),
    },
    Kind {
        class: "t",
        scopes: "entity.name.class, entity.name.type, entity.name.struct, entity.name.enum, \
                 entity.other.inherited-class, support.class, support.type",
        light: plain("#007ea8"),
        dark: plain("#ebcb8b"),
    },
    Kind {
        class: "b",
        scopes: "support.function",
        light: plain("#4d8149"),
        dark: plain("#96b5b4"),
    },
    Kind {
        class: "g",
        scopes: "entity.name.tag",
        light: plain("#4e8149"),
        dark: plain("#ce858c"),
    },
    Kind {
        class: "a",
        scopes: "entity.other.attribute-name",
        light: plain("#795da3"),
        dark: plain("#d08770"),
    },
    Kind {
        class: "h",
        scopes: "markup.heading, entity.name.section",
        light: bold(LIGHT_CODE.1),
        dark: plain("#8fa1b3"),
    },
    Kind {
        class: "u",
        scopes: "markup.underline.link, meta.link, string.other.link",
        light: plain("#3b77b2"),
        dark: plain("#d08770"),
    },
    Kind {
        class: "di",
        scopes: "markup.inserted",
        light: plain("#438227"),
        dark: plain("#a3be8c"),
    },
    Kind {
        class: "dd",
        scopes: "markup.deleted",
        light: plain("#bd2c00"),
        dark: plain("#ce858c"),
    },
    Kind {
        class: "i",
        scopes: "invalid",
        light: bold("#b52a1d"),
        dark: bold("#ce858c"),
    },
];

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// The kinds' scope selectors, as syntect's highlighter keeps a theme's single-scope
/// selectors: every alternative of every kind, with the kind's number (`i + 1` for
/// `KINDS[i]`), longest scope first and in the kinds' order among equals.
fn kind_selectors() -> &'static [(Scope, u8)] {
    static SELECTORS: OnceLock<Vec<(Scope, u8)>> = OnceLock::new();
    SELECTORS.get_or_init(|| {
        let mut selectors = Vec::new();
        for (i, kind) in KINDS.iter().enumerate() {
            let parsed: ScopeSelectors = kind.scopes.parse().expect("the kinds' selectors parse");
            let number = u8::try_from(i + 1).expect("fewer than 255 kinds");
            for selector in &parsed.selectors {
                let scope = selector
                    .extract_single_scope()
                    .expect("each of the kinds' selectors is one scope");
                selectors.push((scope, number));
            }
        }
        selectors.sort_by_key(|&(scope, _)| std::cmp::Reverse(scope.len()));
        selectors
    })
}

/// The kind in force once `path`'s last scope is pushed over `below` (the kind in force
/// under it, with its score), by syntect's rule for a theme: a selector matching a deeper
/// scope outranks any matching a shallower one, and a longer selector a shorter one at
/// the same depth; an equal score keeps what was there. Doing this here rather than
/// through syntect's `HighlightIterator` skips its per-scope style bookkeeping (about 2%
/// of a build without search).
fn push_kind(below: (f64, u8), path: &[Scope]) -> (f64, u8) {
    let Some(&last) = path.last() else {
        return below;
    };
    let depth = u16::try_from(path.len() - 1).unwrap_or(u16::MAX / ATOM_LEN_BITS);
    let weight = f64::from(ATOM_LEN_BITS.saturating_mul(depth)).exp2();
    let mut best = below;
    for &(scope, kind) in kind_selectors() {
        if scope.is_prefix_of(last) {
            let score = f64::from(scope.len()) * weight;
            if score > best.0 {
                best = (score, kind);
            }
        }
    }
    best
}

/// The most HTML the cache holds; when a block would take it over, the cache starts
/// again empty. That keeps what was highlighted last (the lesson being edited) and costs
/// little: one 30-line block is about 3 KB of HTML.
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
    let Some(syntax) = syntax_for(lang) else {
        return Highlighted {
            html: escape(code),
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
    // A grammar failure is syntect's problem, not the author's: show plain text.
    let html = tokens(syntax, set, code).map_or_else(|| escape(code), |t| to_html(&t));
    if let Ok(mut c) = cache().lock() {
        c.insert(key, html.clone());
    }
    Highlighted {
        html,
        recognised: true,
    }
}

/// The syntax for a fence's language, as syntect's `find_syntax_by_token` finds it (a file
/// extension, then a name, ignoring case), remembered per language: the lookup compares
/// the token with every syntax's names and extensions, and a site asks for a few
/// languages thousands of times.
fn syntax_for(lang: &str) -> Option<&'static syntect::parsing::SyntaxReference> {
    type Found = HashMap<String, Option<&'static syntect::parsing::SyntaxReference>>;
    static FOUND: OnceLock<Mutex<Found>> = OnceLock::new();
    if lang.is_empty() {
        return None;
    }
    let found = FOUND.get_or_init(Default::default);
    if let Some(known) = found.lock().ok().and_then(|f| f.get(lang).copied()) {
        return known;
    }
    let syntax = syntaxes().find_syntax_by_token(lang);
    if let Ok(mut f) = found.lock() {
        f.insert(lang.to_string(), syntax);
    }
    syntax
}

/// `code` cut into tokens, each with its kind (0 for plain text, `i + 1` for
/// `KINDS[i]`); `None` if the grammar fails.
fn tokens<'c>(
    syntax: &syntect::parsing::SyntaxReference,
    set: &SyntaxSet,
    code: &'c str,
) -> Option<Vec<(u8, &'c str)>> {
    let mut parse = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    // The kind in force at each depth of the scope stack, with its score.
    let mut kinds: Vec<(f64, u8)> = Vec::new();
    let mut out = Vec::new();
    for line in LinesWithEndings::from(code) {
        let ops = parse.parse_line(line, set).ok()?;
        let end = (line.len(), ScopeStackOp::Noop);
        let mut from = 0;
        for (at, op) in ops.iter().chain(std::iter::once(&end)) {
            if *at > from {
                out.push((kinds.last().map_or(0, |k| k.1), line.get(from..*at)?));
                from = *at;
            }
            stack
                .apply_with_hook(op, |op, path| match op {
                    BasicScopeStackOp::Push(_) => {
                        let below = kinds.last().copied().unwrap_or((-1.0, 0));
                        kinds.push(push_kind(below, path));
                    }
                    BasicScopeStackOp::Pop => {
                        kinds.pop();
                    }
                })
                .ok()?;
        }
    }
    Some(out)
}

/// The HTML of `tokens`: a span per run of one kind. Blank text between two tokens of
/// one kind joins their run (a space looks the same in any colour), other blank text is
/// plain; plain text has no span.
fn to_html(tokens: &[(u8, &str)]) -> String {
    let blank = |text: &str| text.chars().all(char::is_whitespace);
    // The kind of the next token that is not blank, for each token (one pass back).
    let mut next = vec![None; tokens.len()];
    let mut ahead = None;
    for (i, &(kind, text)) in tokens.iter().enumerate().rev() {
        next[i] = ahead;
        if !blank(text) {
            ahead = Some(kind);
        }
    }
    let mut runs: Vec<(u8, String)> = Vec::new();
    for (i, &(kind, text)) in tokens.iter().enumerate() {
        let kind = match runs.last() {
            Some(&(before, _)) if blank(text) && next[i] != Some(before) => 0,
            Some(&(before, _)) if blank(text) => before,
            None if blank(text) => 0,
            _ => kind,
        };
        match runs.last_mut() {
            Some(run) if run.0 == kind => run.1.push_str(text),
            _ => runs.push((kind, text.to_string())),
        }
    }
    let mut html = String::with_capacity(runs.iter().map(|r| r.1.len() + 24).sum());
    for (kind, text) in runs {
        match KINDS.get(usize::from(kind).wrapping_sub(1)) {
            Some(k) => {
                let _ = write!(html, "<span class=\"{}\">{}</span>", k.class, escape(&text));
            }
            None => html.push_str(&escape(&text)),
        }
    }
    html
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let _ = pulldown_cmark_escape::escape_html_body_text(&mut out, text);
    out
}

/// The stylesheets for highlighted code: `(light, dark)`. The dark one applies when the
/// reader picked dark mode, or when the system prefers dark and the reader picked nothing.
pub fn stylesheets() -> (String, String) {
    let light = rules("", LIGHT_CODE, |k| (k.light, None));
    let dark = |root: &str| rules(root, DARK_CODE, |k| (k.dark, Some(k.light)));
    let dark = format!(
        "{}@media (prefers-color-scheme: dark) {{\n{}}}\n",
        dark(":root[data-theme=\"dark\"] "),
        dark(":root:not([data-theme=\"light\"]) ")
    );
    (
        format!("/* highlighted code, light: colours after InspiredGitHub */\n{light}"),
        format!("/* highlighted code, dark: colours after base16-ocean.dark */\n{dark}"),
    )
}

/// The rules of one scheme under `root`: the block's colours, then each kind's. A bold
/// or italic of the light scheme (`over`) that this scheme has not is undone.
fn rules(
    root: &str,
    (background, text): (&str, &str),
    paint: impl Fn(&Kind) -> (Paint, Option<Paint>),
) -> String {
    let mut css = format!("{root}.code-block pre {{ color: {text}; background: {background}; }}\n");
    for kind in KINDS {
        let (p, over) = paint(kind);
        let _ = write!(
            css,
            "{root}.{CODE_CLASS} .{} {{ color: {};",
            kind.class, p.colour
        );
        if p.bold || over.is_some_and(|o| o.bold) {
            css.push_str(if p.bold {
                " font-weight: bold;"
            } else {
                " font-weight: normal;"
            });
        }
        if p.italic || over.is_some_and(|o| o.italic) {
            css.push_str(if p.italic {
                " font-style: italic;"
            } else {
                " font-style: normal;"
            });
        }
        css.push_str(" }\n");
    }
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_one_short_class_per_token_kind() {
        let h = highlight("python", "def f(x):\n    return x  # done\n");
        assert!(h.recognised);
        assert!(
            h.html
                .starts_with("<span class=\"k\">def</span> <span class=\"f\">f</span>("),
            "{}",
            h.html
        );
        assert!(
            h.html.contains("<span class=\"c\"># done\n</span>"),
            "{}",
            h.html
        );
        // two-face adds TOML, which syntect alone lacks.
        assert!(
            highlight("toml", "a = 1\n")
                .html
                .contains("<span class=\"n\">1</span>")
        );
    }

    #[test]
    fn runs_of_one_kind_share_a_span_and_plain_text_has_none() {
        let k = |class: &str| KINDS.iter().position(|k| k.class == class).unwrap() as u8 + 1;
        let html = to_html(&[
            (k("k"), "not"),
            (0, " "),
            (k("k"), "in"),
            (0, " "),
            (0, "x"),
            (k("s"), "\"a"),
            (k("s"), "<\""),
            (k("c"), " "),
        ]);
        assert_eq!(
            html,
            "<span class=\"k\">not in</span> x<span class=\"s\">\"a&lt;\"</span> "
        );
    }

    #[test]
    fn every_kind_has_a_class_of_its_own_and_its_scopes_parse() {
        let mut classes: Vec<_> = KINDS.iter().map(|k| k.class).collect();
        classes.sort_unstable();
        classes.dedup();
        assert_eq!(classes.len(), KINDS.len());
        assert!(kind_selectors().len() >= KINDS.len());
    }

    #[test]
    fn the_dark_sheet_undoes_the_light_sheets_bold_and_italic() {
        let (light, dark) = stylesheets();
        assert!(
            light.contains(".hl-code .k { color: #a71d5d; font-weight: bold; }"),
            "{light}"
        );
        assert!(
            dark.contains(
                ":root[data-theme=\"dark\"] .hl-code .k { color: #b48ead; font-weight: normal; }"
            ),
            "{dark}"
        );
        assert!(
            dark.contains(":root:not([data-theme=\"light\"]) .hl-code .c {"),
            "{dark}"
        );
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

    /// The kinds as syntect's own highlighter resolves them, through a theme whose
    /// "colours" are kind numbers: what `tokens` did before it resolved them itself.
    fn tokens_by_syntects_highlighter<'c>(
        syntax: &syntect::parsing::SyntaxReference,
        code: &'c str,
    ) -> Vec<(u8, &'c str)> {
        use syntect::highlighting::{
            Color, HighlightIterator, HighlightState, Highlighter, StyleModifier, Theme, ThemeItem,
            ThemeSettings,
        };
        let number = |n: usize| Color {
            r: u8::try_from(n).unwrap(),
            g: 0,
            b: 0,
            a: 0xff,
        };
        let theme = Theme {
            settings: ThemeSettings {
                foreground: Some(number(0)),
                ..ThemeSettings::default()
            },
            scopes: KINDS
                .iter()
                .enumerate()
                .map(|(i, kind)| ThemeItem {
                    scope: kind.scopes.parse().unwrap(),
                    style: StyleModifier {
                        foreground: Some(number(i + 1)),
                        ..StyleModifier::default()
                    },
                })
                .collect(),
            ..Theme::default()
        };
        let highlighter = Highlighter::new(&theme);
        let mut parse = ParseState::new(syntax);
        let mut state = HighlightState::new(&highlighter, ScopeStack::new());
        let mut out = Vec::new();
        for line in LinesWithEndings::from(code) {
            let ops = parse.parse_line(line, syntaxes()).unwrap();
            for (style, text) in HighlightIterator::new(&mut state, &ops, line, &highlighter) {
                out.push((style.foreground.r, text));
            }
        }
        out
    }

    #[test]
    fn kinds_are_what_syntects_highlighter_gives_on_real_code() {
        // This repository's own files in ten languages, and short pieces in more.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut samples: Vec<(String, String)> = Vec::new();
        let mut dirs = vec![root.join("src"), root.join("themes"), root.join("bench")];
        dirs.extend([
            root.join("docs"),
            root.join(".github"),
            root.join("tests/probes"),
        ]);
        for dir in dirs {
            for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
                let path = entry.unwrap().into_path();
                let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
                    continue;
                };
                if let Ok(text) = std::fs::read_to_string(&path) {
                    // The first 150 lines of each keep the test short.
                    let head: Vec<&str> = text.split_inclusive('\n').take(150).collect();
                    samples.push((ext.to_string(), head.concat()));
                }
            }
        }
        for file in ["Cargo.toml", ".ci/run"] {
            let text = std::fs::read_to_string(root.join(file)).unwrap();
            let lang = if file.ends_with(".toml") {
                "toml"
            } else {
                "bash"
            };
            samples.push((lang.to_string(), text));
        }
        for (lang, code) in [
            ("json", "{\"a\": [1, 2.5e3, true, null], \"b\": \"x\\n\"}\n"),
            (
                "sql",
                "SELECT a, count(*) FROM t WHERE b > 2 -- note\nGROUP BY a;\n",
            ),
            (
                "c",
                "#include <stdio.h>\nint main(void) { printf(\"%d\\n\", 1); }\n",
            ),
            (
                "go",
                "package main\nfunc f(x int) (int, error) { return x, nil }\n",
            ),
            (
                "java",
                "class A { @Override public String toString() { return \"a\"; } }\n",
            ),
            ("diff", "--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n"),
            (
                "dockerfile",
                "FROM debian:12\nRUN apt-get update && echo $HOME\n",
            ),
            ("ts", "const f = <T,>(x: T): T[] => [x]; // generic\n"),
            (
                "python",
                "@dataclass\nclass A:\n    x: int = 0x1F\n    s = f\"{x!r}\"\n",
            ),
        ] {
            samples.push((lang.to_string(), code.to_string()));
        }
        let mut compared = 0;
        for (lang, code) in &samples {
            let Some(syntax) = syntaxes().find_syntax_by_token(lang) else {
                continue;
            };
            let ours = tokens(syntax, syntaxes(), code).unwrap();
            let theirs = tokens_by_syntects_highlighter(syntax, code);
            assert_eq!(to_html(&ours), to_html(&theirs), "{lang}: {code}");
            compared += 1;
        }
        assert!(compared >= 100, "only {compared} samples");
    }

    #[test]
    fn unknown_languages_fall_back_to_escaped_text() {
        let h = highlight("no-such-lang", "<b>\n");
        assert!(!h.recognised);
        assert_eq!(h.html, "&lt;b&gt;\n");
    }
}
