//! A site's math macros (`math.macros` in site.yaml), expanded in a formula before it is
//! converted, as KaTeX and MathJax expand them: a macro may use its arguments (`#1` to
//! `#9`) and other macros, and an argument is a braced group or a single token.
//!
//! Owns: macro names, arguments and expansion, with its bounds. Never does: read the
//! LaTeX that results (math.rs does).

use std::collections::BTreeMap;

/// The most expansions one formula may take: a macro that uses itself, directly or
/// through others, would never end.
const MAX_EXPANSIONS: usize = 2_000;

/// The longest a formula may grow to by expansion (a macro that uses its argument twice,
/// nested, doubles at each level).
const MAX_EXPANDED_BYTES: usize = 64 * 1024;

/// A site's macros, ready to expand.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Macros {
    /// By name, without the backslash: how many arguments, and the definition.
    by_name: BTreeMap<String, (usize, String)>,
}

impl Macros {
    /// The macros of site.yaml, or what is wrong with each that is not a macro: its key,
    /// and why.
    pub fn new(defined: &BTreeMap<String, String>) -> Result<Macros, Vec<(String, String)>> {
        let mut by_name = BTreeMap::new();
        let mut problems = Vec::new();
        for (key, definition) in defined {
            let name = key.strip_prefix('\\').unwrap_or(key);
            let one_symbol = name.chars().count() == 1 && !name.starts_with(char::is_alphabetic);
            if !(one_symbol || is_command_word(name)) || name.starts_with(char::is_whitespace) {
                problems.push((
                    key.clone(),
                    format!(
                        "`{key}` is not a macro name: a name is letters (`R`, `norm`) or one \
                         other character"
                    ),
                ));
                continue;
            }
            by_name.insert(
                name.to_string(),
                (arguments(definition), definition.clone()),
            );
        }
        let macros = Macros { by_name };
        // Each macro, used with placeholder arguments, must expand to an end.
        for key in defined.keys() {
            let name = key.strip_prefix('\\').unwrap_or(key);
            if let Some((count, _)) = macros.by_name.get(name) {
                // Nine arguments whatever it takes: a macro may pass on to another macro
                // (`vect: '\bm'`) arguments that follow its own.
                let use_once = format!("\\{name}{}", "{x}".repeat(9.max(*count)));
                if let Err(why) = macros.expand(&use_once) {
                    problems.push((key.clone(), format!("the macro `\\{name}` {why}")));
                }
            }
        }
        if problems.is_empty() {
            Ok(macros)
        } else {
            Err(problems)
        }
    }

    /// `latex` with every macro expanded, or why it cannot be.
    pub fn expand(&self, latex: &str) -> Result<String, String> {
        if self.by_name.is_empty() || !latex.contains('\\') {
            return Ok(latex.to_string());
        }
        let mut text = latex.to_string();
        let mut at = 0;
        let mut expansions = 0;
        while let Some(found) = text[at..].find('\\') {
            let start = at + found;
            let (name, after_name) = command_at(&text, start);
            let Some((count, definition)) = self.by_name.get(name) else {
                at = after_name;
                continue;
            };
            let mut end = after_name;
            let mut args = Vec::with_capacity(*count);
            for _ in 0..*count {
                let (arg, next) = argument(&text, end)
                    .ok_or_else(|| format!("`\\{name}` needs {count} argument(s)"))?;
                args.push(arg);
                end = next;
            }
            let mut expansion = substitute(definition, &args);
            // `\g\alpha` with `g: '#1x'` is `\alpha x`, not `\alphax`: a control word at
            // the end of the expansion keeps its end before letters that follow.
            if ends_in_control_word(&expansion)
                && text[end..].starts_with(|c: char| c.is_ascii_alphabetic())
            {
                expansion.push(' ');
            }
            expansions += 1;
            if expansions > MAX_EXPANSIONS {
                return Err(format!(
                    "expands more than {MAX_EXPANSIONS} times: does a macro use itself?"
                ));
            }
            if text.len() - (end - start) + expansion.len() > MAX_EXPANDED_BYTES {
                return Err(format!(
                    "grows past {} KB when its macros are expanded",
                    MAX_EXPANDED_BYTES / 1024
                ));
            }
            // The expansion is read again: it may use macros too.
            text.replace_range(start..end, &expansion);
            at = start;
        }
        Ok(text)
    }
}

/// Whether `name` is a command word: ASCII letters (`\norm`), as TeX reads them.
fn is_command_word(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphabetic())
}

/// The command that starts with the `\` at `start`, and where it ends: a run of letters,
/// or one other character (`\\`, `\{`).
fn command_at(text: &str, start: usize) -> (&str, usize) {
    let rest = &text[start + 1..];
    let letters = rest.bytes().take_while(|b| b.is_ascii_alphabetic()).count();
    let len = if letters > 0 {
        letters
    } else {
        rest.chars().next().map_or(0, char::len_utf8)
    };
    (&rest[..len], start + 1 + len)
}

/// The argument that starts at `at` (after spaces): a braced group's content, or one
/// token. `None` where the formula ends first or a group is not closed.
fn argument(text: &str, at: usize) -> Option<(String, usize)> {
    let start = at + text[at..].len() - text[at..].trim_start().len();
    let mut chars = text[start..].char_indices();
    match chars.next()? {
        (_, '{') => {
            let mut depth = 0usize;
            let mut escaped = false;
            for (i, c) in text[start..].char_indices() {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some((text[start + 1..start + i].to_string(), start + i + 1));
                        }
                    }
                    _ => {}
                }
            }
            None
        }
        (_, '\\') => {
            let (_, end) = command_at(text, start);
            Some((text[start..end].to_string(), end))
        }
        (_, '}') => None,
        (_, c) => Some((c.to_string(), start + c.len_utf8())),
    }
}

/// Whether `text` ends with a control word (`\alpha`), which letters after it would extend.
fn ends_in_control_word(text: &str) -> bool {
    let letters = text
        .bytes()
        .rev()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    if letters == 0 {
        return false;
    }
    // An odd run of backslashes before the letters starts a command (`\\x` is a line
    // break and then `x`).
    let slashes = text.as_bytes()[..text.len() - letters]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count();
    slashes % 2 == 1
}

/// How many arguments a definition takes: its highest `#n`.
fn arguments(definition: &str) -> usize {
    let bytes = definition.as_bytes();
    (0..bytes.len().saturating_sub(1))
        .filter(|&i| bytes[i] == b'#' && bytes[i + 1].is_ascii_digit() && bytes[i + 1] != b'0')
        .map(|i| (bytes[i + 1] - b'0') as usize)
        .max()
        .unwrap_or(0)
}

/// `definition` with `#1` to `#9` replaced by the arguments.
fn substitute(definition: &str, args: &[String]) -> String {
    let mut out = String::with_capacity(definition.len());
    let mut chars = definition.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '#'
            && let Some(n) = chars.peek().and_then(|d| d.to_digit(10))
            && (1..=args.len() as u32).contains(&n)
        {
            chars.next();
            let arg = &args[n as usize - 1];
            out.push_str(arg);
            if ends_in_control_word(arg) && chars.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn macros(defined: &[(&str, &str)]) -> Macros {
        Macros::new(
            &defined
                .iter()
                .map(|(name, body)| (name.to_string(), body.to_string()))
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn macros_take_arguments_and_use_other_macros() {
        let m = macros(&[
            (r"\repr", r"\{ {#1} \}^{#2}"),
            ("rep", r"{\repr{#1}{}}"),
            ("alg", r"#1_\textnormal{alg}"),
            ("vx", r"\mathbf{x}"),
        ]);
        assert_eq!(
            m.expand(r"\rep{a} + \alg\vx").unwrap(),
            r"{\{ {a} \}^{}} + \mathbf{x}_\textnormal{alg}"
        );
        // A longer command is not the macro; `\\` and `\{` are not commands of letters.
        assert_eq!(m.expand(r"\vxy \\ \{").unwrap(), r"\vxy \\ \{");
        // An argument may be one character, after spaces.
        assert_eq!(m.expand(r"\alg q").unwrap(), r"q_\textnormal{alg}");
    }

    #[test]
    fn a_macro_that_uses_itself_or_doubles_is_an_error_not_a_hang() {
        let looped = Macros::new(&BTreeMap::from([("a".to_string(), r"x\a".to_string())]));
        let problems = looped.unwrap_err();
        assert!(
            problems[0].1.contains("does a macro use itself"),
            "{problems:?}"
        );
        let long = "x".repeat(1000);
        let m = macros(&[("two", "#1#1"), ("long", &long)]);
        let nested = format!("{}\\long{}", r"\two{".repeat(7), "}".repeat(7));
        assert!(m.expand(&nested).unwrap_err().contains("grows past 64 KB"));
        let wide = format!("{}x{}", r"\two{".repeat(20), "}".repeat(20));
        assert!(m.expand(&wide).unwrap_err().contains("expands more than"));
    }

    #[test]
    fn arguments_and_expansions_never_run_into_the_letters_after_them() {
        let m = macros(&[("g", "#1x"), ("f", r"#1\cdot"), ("p", "#1n")]);
        assert_eq!(m.expand(r"\g\alpha").unwrap(), r"\alpha x");
        assert_eq!(m.expand(r"\f{a}b").unwrap(), r"a\cdot b");
        // The dotless i and an n, not `\in`.
        assert_eq!(m.expand(r"\p\i").unwrap(), r"\i n");
        // A line break before letters is no command.
        assert_eq!(m.expand(r"\g{\\}").unwrap(), r"\\x");
    }

    #[test]
    fn a_macro_may_stand_for_a_macro_with_arguments() {
        let m = macros(&[("vect", r"\bm"), ("bm", r"\mathbf{#1}")]);
        assert_eq!(m.expand(r"\vect{a}").unwrap(), r"\mathbf{a}");
    }

    #[test]
    fn bad_names_and_missing_arguments_are_named() {
        let problems = Macros::new(&BTreeMap::from([
            ("two words".to_string(), "x".to_string()),
            ("ok".to_string(), "#1".to_string()),
        ]))
        .unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].1.contains("is not a macro name"));
        let m = macros(&[("ok", "#1")]);
        assert!(m.expand(r"a \ok").unwrap_err().contains("needs 1 argument"));
    }
}
