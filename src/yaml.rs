//! All YAML parsing of the project goes through here (site.yaml, course and lesson
//! front-matter), so the parser can change in one place.
//!
//! It turns `yaml_serde` errors into [`Diagnostic`]s that point into the *file*, not into
//! the YAML snippet (front-matter starts a line or more into its file), and adds a
//! "did you mean" hint when a key or a value is not one of the known ones.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Location};

/// Where a YAML snippet sits inside its file.
#[derive(Clone, Copy, Debug)]
pub struct Placement<'a> {
    /// The whole file, for showing the offending line.
    pub file_text: &'a str,
    /// The 1-based line of the file on which the YAML text starts.
    pub first_line: usize,
}

/// Parses `yaml` into `T`, reporting a problem as a diagnostic located in the file.
pub fn parse<T: DeserializeOwned>(
    yaml: &str,
    file: &Path,
    placement: Placement<'_>,
) -> Result<T, Diagnostic> {
    // An empty document is an empty mapping to us: `---\n---` means "no keys".
    let yaml = if yaml.trim().is_empty() { "{}" } else { yaml };
    yaml_serde::from_str::<T>(yaml).map_err(|err| {
        let raw = err.to_string();
        let (message, hint, at) = match unclosed(&raw) {
            Some((message, hint, line, column)) => (message, Some(hint), Some((line, column))),
            None => {
                let (message, hint) = explain(&raw);
                (
                    message,
                    hint,
                    err.location().map(|l| (l.line(), l.column())),
                )
            }
        };
        let mut diagnostic = Diagnostic::error(file, message);
        if let Some((line, column)) = at {
            let location = Location {
                line: placement.first_line + line - 1,
                column,
            };
            diagnostic = diagnostic.at(placement.file_text, location);
        }
        match hint {
            Some(hint) => diagnostic.with_hint(hint),
            None => diagnostic,
        }
    })
}

/// A quoted string, `[` list or `{` mapping that runs to the end of the front-matter:
/// the parser reports the end, where nothing is wrong; the place to show is where it
/// opened, which the parser gives as the error's context. Returns the message, the hint
/// and that line and column (of the YAML snippet).
fn unclosed(raw: &str) -> Option<(String, String, usize, usize)> {
    let (_, context) = raw.split_once(", while ")?;
    let (what, mark) = context.split_once(" at line ")?;
    let (line, column) = mark.split_once(" column ")?;
    let (line, column): (usize, usize) = (line.trim().parse().ok()?, column.trim().parse().ok()?);
    let (message, hint) = match what {
        "scanning a quoted scalar" => (
            "this quoted string is never closed",
            "end it with the same quote on the same line; for text over several lines, \
             write `key: |` and indent the lines below",
        ),
        "parsing a flow sequence" => (
            "this `[` list is never closed",
            "end it with `]`, or write the list one `- item` per line",
        ),
        "parsing a flow mapping" => (
            "this `{` mapping is never closed",
            "end it with `}`, or write the keys one per line, indented",
        ),
        _ => return None,
    };
    Some((message.into(), hint.into(), line, column))
}

/// Rewrites a serde/YAML error message for an author: strips the position suffix (the
/// diagnostic carries the real one) and suggests the nearest known name for unknown keys
/// and values.
fn explain(raw: &str) -> (String, Option<String>) {
    // yaml_serde appends " at line L column C" (its own, snippet-relative numbers).
    let message = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.to_string(),
    };
    // yaml_serde prefixes errors inside nested values with their path: `questions[0].level: `.
    let (path, message) = match message.split_once(": ") {
        Some((path, rest)) if !path.contains([' ', '`']) => {
            (Some(path.to_string()), rest.to_string())
        }
        _ => (None, message),
    };
    let of_path = path
        .as_deref()
        .map(|p| format!(" in `{p}`"))
        .unwrap_or_default();
    for (prefix, noun) in [("unknown field `", "key"), ("unknown variant `", "value")] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let Some((name, tail)) = rest.split_once('`') else {
                continue;
            };
            let expected = known_names(tail);
            let hint = match closest(name, &expected) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("expected one of: {}", expected.join(", ")),
            };
            return (format!("unknown {noun} `{name}`{of_path}"), Some(hint));
        }
    }
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|r| r.split_once('`'))
        .map(|(f, _)| f)
    {
        return (
            format!("missing required key `{field}`{of_path}"),
            Some(format!("add a line `{field}: ...`")),
        );
    }
    match path {
        Some(path) => (format!("{path}: {message}"), None),
        None => (message, None),
    }
}

/// The back-quoted names of serde's "expected one of `a`, `b`" tail.
fn known_names(tail: &str) -> Vec<String> {
    tail.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// The known name closest to `name`, if it is close enough to be a likely typo.
pub fn closest<'a>(name: &str, known: &'a [String]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(name, k), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        #[allow(dead_code)]
        title: String,
        #[serde(default)]
        #[allow(dead_code)]
        tags: Vec<String>,
    }

    fn parse_doc(yaml: &str) -> Result<Doc, Diagnostic> {
        let file_text = format!("---\n{yaml}---\n");
        parse(
            yaml,
            Path::new("a.md"),
            Placement {
                file_text: &file_text,
                first_line: 2,
            },
        )
    }

    #[test]
    fn unknown_keys_get_a_did_you_mean_hint_and_a_file_position() {
        let err = parse_doc("title: x\ntagz: [a]\n").unwrap_err();
        assert_eq!(err.message, "unknown key `tagz`");
        assert_eq!(err.hint.as_deref(), Some("did you mean `tags`?"));
        assert_eq!(err.location.unwrap().line, 3);
    }

    #[test]
    fn syntax_errors_are_counted_from_the_start_of_the_file() {
        let err = parse_doc("title: x\ntags: [a\n").unwrap_err();
        assert!(err.location.unwrap().line >= 3, "{err}");
    }

    #[test]
    fn wrong_types_say_what_was_expected() {
        let err = parse_doc("title: x\ntags: 5\n").unwrap_err();
        assert!(err.message.contains("expected a sequence"), "{err}");
        assert_eq!(err.location.unwrap().line, 3);
    }
}
