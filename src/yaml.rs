//! All YAML parsing of the project goes through here (site.yaml, course and lesson
//! front-matter), so the parser can change in one place.
//!
//! It turns `yaml_serde` errors into [`Diagnostic`]s that point into the *file*, not into
//! the YAML snippet (front-matter starts a line or more into its file), and adds a
//! "did you mean" hint when a key or a value is not one of the known ones.
//!
//! Owns: YAML parsing, its limits, its error positions and hints, and the key-path index of
//! a file. Never does: know any schema.

use std::collections::HashMap;
use std::path::Path;

use saphyr_parser::{Event, Parser};
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
    if let Some((line, column)) = too_deep(yaml) {
        return Err(Diagnostic::error(
            file,
            format!("the YAML is nested more than {MAX_FLOW_DEPTH} levels deep here"),
        )
        .at(
            placement.file_text,
            Location {
                line: placement.first_line + line - 1,
                column,
            },
        )
        .with_hint("close the `[` lists and `{` mappings that are open, or nest less"));
    }
    if let Some(bomb) = alias_bomb(yaml) {
        let location = Location {
            line: placement.first_line + bomb.line - 1,
            column: bomb.column,
        };
        return Err(Diagnostic::error(
            file,
            format!(
                "this alias makes the YAML expand to more than {} MB of text",
                MAX_EXPANDED_BYTES / (1024 * 1024)
            ),
        )
        .at(placement.file_text, location)
        .with_hint("repeat less: each `*name` copies the whole value anchored as `&name`"));
    }
    yaml_serde::from_str::<T>(yaml).map_err(|err| {
        let raw = err.to_string();
        let (message, hint, at) = match unclosed(&raw) {
            Some((message, hint, line, column)) => (message, Some(hint), Some((line, column))),
            None => {
                let (message, hint) = explain(&raw);
                let at = err.location().map(|l| (l.line(), l.column()));
                // A syntax error after a `key: |` whose text is not indented under the
                // key: the parser notices only later, often at the end; the cause is here.
                match (at, under_indented_block(yaml)) {
                    (Some(at), Some((line, column, key)))
                        if line <= at.0 && err.location().is_some() && is_syntax_error(&raw) =>
                    {
                        (
                            format!("the text of `{key}` is not indented under it"),
                            Some(format!(
                                "indent every line of a `|` or `>` block more than `{key}:`, \
                                 for example by two spaces"
                            )),
                            Some((line, column)),
                        )
                    }
                    _ => (message, hint, at),
                }
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

/// How deeply `[` and `{` may nest, counted on the text. The parser's work grows with
/// the square of this depth (it rechecks every open level at each token), and values
/// nested past 128 levels are refused after parsing anyway.
pub const MAX_FLOW_DEPTH: usize = 256;

/// The 1-based line and column where `[`/`{` first nest past [`MAX_FLOW_DEPTH`], counted
/// on the text as it is (brackets inside quoted strings count too: text that opens
/// hundreds of brackets without closing them is no lesson).
fn too_deep(yaml: &str) -> Option<(usize, usize)> {
    // Nesting never passes the number of brackets opened: counting them is one quick pass
    // (the loop below branches on every byte), and a lesson opens a few dozen at most.
    let opened = yaml.bytes().filter(|&b| b == b'[' || b == b'{').count();
    if opened <= MAX_FLOW_DEPTH {
        return None;
    }
    let mut depth: usize = 0;
    let (mut line, mut line_start) = (1, 0);
    for (i, byte) in yaml.bytes().enumerate() {
        match byte {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    let column = yaml[line_start..i].chars().count() + 1;
                    return Some((line, column));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            _ => {}
        }
    }
    None
}

/// The most text a YAML document may hold once every alias (`*name`) is replaced by the
/// value it names: the size limit of a lesson file. Without it, a small file of aliases
/// to a large value expands to gigabytes in the parser.
pub const MAX_EXPANDED_BYTES: usize = 16 * 1024 * 1024;

/// Where an alias takes the document past [`MAX_EXPANDED_BYTES`] (1-based line and
/// column of the YAML text).
struct AliasBomb {
    line: usize,
    column: usize,
}

/// Finds the alias, if any, that expands `yaml` past [`MAX_EXPANDED_BYTES`]: the text of
/// its scalars is counted, each alias counting the text of its anchored value (itself
/// counted with its own aliases). Syntax errors are left to the deserializer, which
/// reports them.
fn alias_bomb(yaml: &str) -> Option<AliasBomb> {
    // Without both an anchor and an alias there is nothing to expand.
    if !yaml.contains('&') || !yaml.contains('*') {
        return None;
    }
    // Open collections: (anchor id, 0 for none; the text they hold so far).
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut anchored: HashMap<usize, usize> = HashMap::new();
    let mut total: usize = 0;
    let mut parser = Parser::new_from_str(yaml);
    while let Some(Ok((event, span))) = parser.next_event() {
        // Every node counts a byte, so aliases of empty values add up too.
        let (size, anchor) = match event {
            Event::Scalar(value, _, anchor, _) => (value.len() + 1, anchor),
            Event::Alias(id) => {
                let size = anchored.get(&id).copied().unwrap_or(0).saturating_add(1);
                if total.saturating_add(size) > MAX_EXPANDED_BYTES {
                    return Some(AliasBomb {
                        line: span.start.line(),
                        column: span.start.col() + 1,
                    });
                }
                (size, 0)
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                open.push((anchor, 1));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match open.pop() {
                Some((anchor, size)) => {
                    // Its text was counted in `total` as it came.
                    if anchor != 0 {
                        anchored.insert(anchor, size);
                    }
                    if let Some(parent) = open.last_mut() {
                        parent.1 = parent.1.saturating_add(size);
                    }
                    continue;
                }
                None => continue,
            },
            _ => continue,
        };
        if anchor != 0 {
            anchored.insert(anchor, size);
        }
        total = total.saturating_add(size);
        if let Some(parent) = open.last_mut() {
            parent.1 = parent.1.saturating_add(size);
        }
    }
    None
}

/// Where each node of a YAML document is written, by its path: mapping keys and list
/// indices from the top (`["simulations", "0", "grid", "lr"]`, `["questions", "2"]`).
/// Built once per file from the parser's position marks, when a diagnostic needs it, so
/// that a problem in the third of three identical items is shown at the third.
#[derive(Clone, Debug, Default)]
pub struct NodeIndex {
    /// Every node's path and its 1-based line and column, in document order. For a
    /// mapping entry the position is where the key is written; for a list item, where
    /// the item starts.
    nodes: Vec<(Vec<String>, (usize, usize))>,
    by_path: HashMap<Vec<String>, usize>,
}

impl NodeIndex {
    /// Indexes `yaml`; a text that does not parse indexes what comes before the problem.
    pub fn build(yaml: &str) -> NodeIndex {
        // One entry per open collection: for a mapping, its current key and whether the
        // next scalar is a key; for a list, how many items have started.
        enum Open {
            Map { key: Option<String>, at_key: bool },
            Seq { next: usize },
        }
        let mut index = NodeIndex::default();
        let mut open: Vec<Open> = Vec::new();
        // Where the current mapping key was written.
        let mut key_at = (0, 0);
        let mut parser = Parser::new_from_str(yaml);
        while let Some(Ok((event, span))) = parser.next_event() {
            let here = (span.start.line(), span.start.col() + 1);
            let starts_node = matches!(
                event,
                Event::Scalar(..)
                    | Event::Alias(_)
                    | Event::SequenceStart(..)
                    | Event::MappingStart(..)
            );
            if starts_node {
                // A key of a mapping is not a node of the path; its value is.
                if let Some(Open::Map { key, at_key }) = open.last_mut()
                    && *at_key
                {
                    if let Event::Scalar(value, ..) = &event {
                        *key = Some(value.to_string());
                    }
                    *at_key = false;
                    key_at = here;
                    continue;
                }
                if let Some(Open::Seq { next }) = open.last_mut() {
                    *next += 1;
                }
                let path: Vec<String> = open
                    .iter()
                    .map(|o| match o {
                        Open::Map { key, .. } => key.clone().unwrap_or_default(),
                        Open::Seq { next } => (next - 1).to_string(),
                    })
                    .collect();
                let at = match open.last() {
                    Some(Open::Map { .. }) => key_at,
                    _ => here,
                };
                index
                    .by_path
                    .entry(path.clone())
                    .or_insert(index.nodes.len());
                index.nodes.push((path, at));
                if let Some(Open::Map { at_key, .. }) = open.last_mut() {
                    *at_key = true;
                }
            }
            match event {
                Event::MappingStart(..) => open.push(Open::Map {
                    key: None,
                    at_key: true,
                }),
                Event::SequenceStart(..) => open.push(Open::Seq { next: 0 }),
                Event::MappingEnd | Event::SequenceEnd => {
                    open.pop();
                }
                _ => {}
            }
        }
        index
    }

    /// The line and column of the node at `path`, if the document has it.
    pub fn get(&self, path: &[&str]) -> Option<(usize, usize)> {
        let path: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        self.by_path.get(&path).map(|&i| self.nodes[i].1)
    }

    /// The node at `path`, or else its nearest ancestor that the document has.
    pub fn nearest(&self, path: &[&str]) -> Option<(usize, usize)> {
        (0..=path.len()).rev().find_map(|n| self.get(&path[..n]))
    }

    /// The first node, in document order, under `base` whose last key is `key`, at any
    /// depth (`dataset.sizes` for `sizes` under a simulation).
    pub fn find_under(&self, base: &[&str], key: &str) -> Option<(usize, usize)> {
        self.nodes
            .iter()
            .find(|(path, _)| {
                path.len() > base.len()
                    && path.iter().zip(base).all(|(a, b)| a == b)
                    && path.last().is_some_and(|last| last == key)
            })
            .map(|(_, at)| *at)
    }
}

/// The 1-based line and column (in the YAML text) of the node at `path` (see
/// [`NodeIndex`]); `None` when the text does not parse or has no such node.
pub fn position_of(yaml: &str, path: &[&str]) -> Option<(usize, usize)> {
    NodeIndex::build(yaml).get(path)
}

/// Whether a parser message is about the text's syntax rather than the schema.
fn is_syntax_error(raw: &str) -> bool {
    !raw.contains("invalid type")
        && !raw.contains("unknown field")
        && !raw.contains("unknown variant")
        && !raw.contains("missing field")
}

/// The first `key: |` (or `>`) whose next non-blank line is not indented more than the
/// key: its 1-based line and column, and the key.
fn under_indented_block(yaml: &str) -> Option<(usize, usize, String)> {
    let lines: Vec<&str> = yaml.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let content = line.trim_end();
        let Some((before, header)) = content.rsplit_once(": ") else {
            continue;
        };
        let header = header.trim();
        if !matches!(header, "|" | "|-" | "|+" | ">" | ">-" | ">+") {
            continue;
        }
        // The key's column: after any `- ` list markers before it.
        let key = before.trim_start().trim_start_matches("- ").trim_start();
        let key_column = before.len() - key.len();
        let next = lines[i + 1..]
            .iter()
            .enumerate()
            .find(|(_, l)| !l.trim().is_empty());
        if let Some((j, next)) = next {
            let indent = next.len() - next.trim_start().len();
            if indent <= key_column {
                return Some((i + j + 2, indent + 1, key.to_string()));
            }
        }
    }
    None
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
    let (message, hint) = plain_words(&message);
    match path {
        Some(path) => (format!("{path}: {message}"), hint),
        None => (message, hint),
    }
}

/// The parser's words for the common slips of YAML, said in an author's words, with the
/// fix: `summary: Note: x` (a colon in a plain value), `tags: a, b` (a list without
/// brackets), `draft: yes` (YAML 1.2 has only `true` and `false`), `order: 1.5`.
fn plain_words(message: &str) -> (String, Option<String>) {
    // Serde names Rust types; authors write numbers.
    let message = message
        .replace("expected u32", "expected a whole number")
        .replace("expected u64", "expected a whole number")
        .replace("expected usize", "expected a whole number")
        .replace("expected i64", "expected a whole number")
        .replace("expected f64", "expected a number");
    let hint = if message.starts_with("mapping values are not allowed") {
        Some(
            "a value that contains `: ` must be quoted: `summary: \"Note: this\"` \
             (or use `|` and put the text on the lines below)",
        )
    } else if message.starts_with("invalid type: string")
        && message.ends_with("expected a sequence")
    {
        Some("write a list in brackets, `tags: [a, b]`, or one `- item` per line")
    } else if message.ends_with("expected a boolean") {
        Some("write `true` or `false`")
    } else if message.ends_with("expected a whole number") {
        Some("write a whole number without a decimal point, such as `3`")
    } else {
        None
    };
    (message, hint.map(str::to_string))
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
    fn aliases_that_expand_past_the_limit_are_refused_at_the_alias() {
        let big = "x".repeat(1024 * 1024);
        let aliases = vec!["*s"; 20].join(", ");
        let err = parse_doc(&format!("title: &s \"{big}\"\ntags: [{aliases}]\n")).unwrap_err();
        assert!(err.message.contains("expand"), "{err}");
        let at = err.location.unwrap();
        assert_eq!(at.line, 3);
        // The anchored 1 MB and 14 copies fit; the 15th alias is the first past 16 MB.
        assert_eq!(at.column, "tags: [".len() + 1 + 14 * "*s, ".len());
        // Nested anchors multiply: a billion laughs is refused too.
        let mut laughs = String::from("title: x\na: &a [\"lol\"]\n");
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]
            .windows(2)
            .map(|w| (w[0], w[1]))
        {
            let list = vec![format!("*{prev}"); 10].join(", ");
            laughs.push_str(&format!("{name}: &{name} [{list}]\n"));
        }
        assert!(alias_bomb(&laughs).is_some());
        // A few aliases of small values are fine.
        assert!(alias_bomb("a: &x [1, 2]\nb: *x\nc: *x\n").is_none());
    }

    #[test]
    fn deep_flow_nesting_is_refused_before_parsing() {
        let err = parse_doc(&format!("title: x\ntags: {}\n", "[".repeat(100_000))).unwrap_err();
        assert!(err.message.contains("nested more than 256 levels"), "{err}");
        assert_eq!(err.location.unwrap().line, 3);
        assert_eq!(err.location.unwrap().column, "tags: ".len() + 257);
        // Many brackets that close again are fine.
        assert!(too_deep(&"[a] {b: c} ".repeat(10_000)).is_none());
        // 256 levels are allowed, 257 are not.
        assert!(too_deep(&"{".repeat(MAX_FLOW_DEPTH)).is_none());
        assert_eq!(too_deep(&"{".repeat(MAX_FLOW_DEPTH + 1)), Some((1, 257)));
    }

    #[test]
    fn an_under_indented_block_is_reported_where_it_is() {
        let yaml = "title: x\nnotes:\n  - text: |\n  Hello\n\n";
        let file_text = format!("---\n{yaml}---\n");
        let placement = Placement {
            file_text: &file_text,
            first_line: 2,
        };
        let err = parse::<yaml_serde::Value>(yaml, Path::new("a.md"), placement).unwrap_err();
        assert!(
            err.message.contains("the text of `text` is not indented"),
            "{err}"
        );
        assert_eq!(err.location.unwrap().line, 5);
    }

    #[test]
    fn positions_of_nodes_by_path() {
        let yaml = "title: x\nsimulations:\n  max_gflop: 5\nquestions:\n  - q: a\n  - q: b\n    level: beginner\n";
        assert_eq!(position_of(yaml, &["title"]), Some((1, 1)));
        assert_eq!(
            position_of(yaml, &["simulations", "max_gflop"]),
            Some((3, 3))
        );
        assert_eq!(position_of(yaml, &["questions", "1"]), Some((6, 5)));
        assert_eq!(
            position_of(yaml, &["questions", "1", "level"]),
            Some((7, 5))
        );
        assert_eq!(position_of(yaml, &["questions", "2"]), None);
        assert_eq!(position_of(yaml, &["nothing"]), None);
    }

    #[test]
    fn wrong_types_say_what_was_expected() {
        let err = parse_doc("title: x\ntags: 5\n").unwrap_err();
        assert!(err.message.contains("expected a sequence"), "{err}");
        assert_eq!(err.location.unwrap().line, 3);
    }
}
