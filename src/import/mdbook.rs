//! What is mdBook's own: `book.toml` (the source folder, the title, MathJax support),
//! `{{#include}}` and `{{#rustdoc_include}}` with their line ranges and anchors, and
//! mdbook-admonish's fenced callouts.
//!
//! Owns: mdBook's configuration and its preprocessor syntax. Never does: Markdown.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{Book, BookMacro, Format, MathStyle, callout_kind_line};
use crate::diagnostics::{Diagnostic, Location};

use serde::Deserialize;

/// The configuration file of an mdBook.
pub const CONFIG: &str = "book.toml";

/// Reads `book.toml` (optional, as for mdBook itself): `[book] src` (default `src`),
/// `[book] title`, and how math is written: `[output.html] mathjax-support`, or the
/// KaTeX preprocessor (`[preprocessor.katex]`).
pub fn open(dir: &Path) -> Result<Book, Diagnostic> {
    let config_path = dir.join(CONFIG);
    let config = match std::fs::read_to_string(&config_path) {
        Ok(text) => parse_config(&text).map_err(|e| {
            let error = Diagnostic::error(&config_path, format!("cannot be read: {e}"));
            match e.line_col() {
                Some((line, column)) => error.at(
                    &text,
                    Location {
                        line: line + 1,
                        column: column + 1,
                    },
                ),
                None => error,
            }
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => BookToml::default(),
        Err(e) => return Err(Diagnostic::error(&config_path, format!("cannot read: {e}"))),
    };
    let root = dir.join(config.book.src.as_deref().unwrap_or("src"));
    let math = if config.preprocessor.contains_key("katex") {
        MathStyle::Katex
    } else if config.output.html.math {
        // mdBook's own math (0.5): `$...$` and `$$...$$`, read as conceptlab reads them.
        MathStyle::Katex
    } else if config.output.html.mathjax_support {
        let theme = dir.join(config.output.html.theme.as_deref().unwrap_or("theme"));
        let scripts = std::iter::once(theme.join("index.hbs")).chain(
            config
                .output
                .html
                .additional_js
                .iter()
                .map(|js| dir.join(js)),
        );
        if scripts
            .filter_map(|path| std::fs::read_to_string(path).ok())
            .any(|script| reads_dollars(&script))
        {
            MathStyle::MathJaxDollars
        } else {
            MathStyle::MathJax
        }
    } else {
        MathStyle::None
    };
    let macros = match config
        .preprocessor
        .get("katex")
        .and_then(|katex| katex.get("macros"))
        .and_then(|file| file.as_str())
    {
        Some(file) => katex_macros(&dir.join(file))?,
        None => Vec::new(),
    };
    Ok(Book {
        format: Format::MdBook,
        dir: dir.to_path_buf(),
        summary: root.join("SUMMARY.md"),
        root,
        title: config.book.title.filter(|t| !t.trim().is_empty()),
        math,
        macros,
    })
}

/// The macros of mdbook-katex's `macros` file: one `\name:definition` a line.
fn katex_macros(path: &Path) -> Result<Vec<BookMacro>, Diagnostic> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::error(path, format!("cannot read the KaTeX macros file: {e}"))
            .with_hint("book.toml names it in `[preprocessor.katex] macros`")
    })?;
    let mut macros = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('%') || line.starts_with('#') {
            continue;
        }
        let parsed = line
            .strip_prefix('\\')
            .and_then(|rest| rest.split_once(':'))
            .filter(|(name, _)| !name.trim().is_empty());
        let Some((name, definition)) = parsed else {
            return Err(
                Diagnostic::error(path, "expected a macro: `\\name:definition`").at(
                    &text,
                    Location {
                        line: i + 1,
                        column: 1,
                    },
                ),
            );
        };
        macros.push(BookMacro {
            file: path.to_path_buf(),
            line: i + 1,
            name: name.trim().to_string(),
            definition: definition.trim().to_string(),
        });
    }
    Ok(macros)
}

/// What the import reads of `book.toml`; every other key is mdBook's alone and ignored.
#[derive(Default, Deserialize)]
#[serde(default)]
struct BookToml {
    book: BookTable,
    output: OutputTable,
    /// Preprocessors by name; only whether `katex` is there matters.
    preprocessor: BTreeMap<String, toml::Value>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct BookTable {
    title: Option<String>,
    src: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct OutputTable {
    html: HtmlTable,
}

#[derive(Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
struct HtmlTable {
    mathjax_support: bool,
    /// mdBook 0.5's math support.
    math: bool,
    /// The theme folder, `theme` by default.
    theme: Option<String>,
    additional_js: Vec<String>,
}

/// Whether a MathJax configuration (in the theme's `index.hbs` or a script of the book)
/// makes `$...$` inline math: `inlineMath: [['$', '$'], ...]`.
fn reads_dollars(script: &str) -> bool {
    script.match_indices("inlineMath").any(|(at, _)| {
        let rest = &script[at..];
        let list = rest.find("]]").map_or(rest, |end| &rest[..end + 2]);
        let compact: String = list
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c == '"' { '\'' } else { c })
            .collect();
        compact.contains("['$','$']")
    })
}

fn parse_config(text: &str) -> Result<BookToml, toml::de::Error> {
    toml::from_str(text)
}

/// What an include takes from its file.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Range {
    All,
    /// 1-based, inclusive line numbers; `None` is open.
    Lines(Option<usize>, Option<usize>),
    Anchor(String),
}

/// An `{{#include file...}}` directive found in a page.
pub struct Include {
    /// Byte range of the whole directive.
    pub span: std::ops::Range<usize>,
    pub path: PathBuf,
    range: Range,
    pub rustdoc: bool,
}

impl Include {
    /// An include of a whole file (GitBook's `{% include %}`).
    pub fn whole(span: std::ops::Range<usize>, path: PathBuf) -> Include {
        Include {
            span,
            path,
            range: Range::All,
            rustdoc: false,
        }
    }
}

/// What `{{#...}}` is found: an include, an escaped `\{{#` (mdBook writes it as `{{#`:
/// the backslash's offset, to drop), or another helper.
pub enum Directive {
    Include(Include),
    Escape(usize),
    /// Another helper (`{{#title}}`, `{{#playground}}`): kept as written.
    Other {
        at: usize,
        end: usize,
        name: String,
    },
}

/// The next `{{#...}}` at or after `from`.
pub fn next_directive(text: &str, from: usize) -> Option<Directive> {
    let found = from + text[from..].find("{{#")?;
    if found > 0 && text.as_bytes()[found - 1] == b'\\' {
        return Some(Directive::Escape(found - 1));
    }
    let close = found + text[found..].find("}}")?;
    let inner = &text[found + 3..close];
    let (name, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
    if matches!(name, "include" | "rustdoc_include") && !args.trim().is_empty() {
        let (path, range) = split_range(args.trim());
        return Some(Directive::Include(Include {
            span: found..close + 2,
            path: PathBuf::from(path),
            range,
            rustdoc: name == "rustdoc_include",
        }));
    }
    Some(Directive::Other {
        at: found,
        end: close + 2,
        name: name.to_string(),
    })
}

/// `file.rs:2:10` -> (`file.rs`, lines 2 to 10); `file.rs:name` -> the anchor `name`.
fn split_range(args: &str) -> (&str, Range) {
    let Some((path, spec)) = args.split_once(':') else {
        return (args, Range::All);
    };
    let number = |s: &str| s.trim().parse::<usize>().ok();
    let range = match spec.split_once(':') {
        Some((start, end)) => Range::Lines(number(start), number(end)),
        None => match number(spec) {
            Some(line) => Range::Lines(Some(line), Some(line)),
            None if spec.trim().is_empty() => Range::All,
            None => Range::Anchor(spec.trim().to_string()),
        },
    };
    (path, range)
}

/// The part of `text` (an included file) that `include` asks for, without the lines that
/// mark anchors, as mdBook includes it.
pub fn excerpt(text: &str, include: &Include) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let picked: Vec<&str> = match &include.range {
        Range::All => lines,
        Range::Lines(start, end) => {
            let start = start.unwrap_or(1).max(1) - 1;
            let end = end.unwrap_or(lines.len()).min(lines.len());
            lines
                .get(start..end.max(start))
                .unwrap_or_default()
                .to_vec()
        }
        Range::Anchor(name) => {
            let begin = lines
                .iter()
                .position(|l| anchor_of(l, "ANCHOR:") == Some(name))?;
            let rest = &lines[begin + 1..];
            let end = rest
                .iter()
                .position(|l| anchor_of(l, "ANCHOR_END:") == Some(name))
                .unwrap_or(rest.len());
            rest[..end].to_vec()
        }
    };
    let kept: Vec<&str> = picked
        .into_iter()
        .filter(|l| anchor_of(l, "ANCHOR:").is_none() && anchor_of(l, "ANCHOR_END:").is_none())
        .collect();
    Some(kept.join("\n"))
}

/// The name after `marker` on an anchor line (`// ANCHOR: setup` -> `setup`).
fn anchor_of<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    let at = line.find(marker)?;
    let name: &str = line[at + marker.len()..].trim_start();
    let end = name
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(name.len());
    (end > 0).then(|| &name[..end])
}

/// mdbook-admonish's fenced blocks (```` ```admonish warning title="..." ````) become
/// GitHub alerts. Other fences are
/// left alone, and nothing inside them is read.
pub fn admonitions(text: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len() + 64);
    let mut converted = 0;
    // The fence that is open: its marker and whether it is an admonition.
    let mut open: Option<(String, bool)> = None;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start();
        let indent = &body[..body.len() - trimmed.len()];
        match &open {
            Some((fence, admonition)) => {
                let closes = trimmed.starts_with(fence.as_str())
                    && trimmed
                        .trim_end()
                        .chars()
                        .all(|c| c == fence.as_bytes()[0] as char);
                if closes {
                    if *admonition {
                        out.push_str(indent);
                        out.push('\n');
                    } else {
                        out.push_str(line);
                    }
                    open = None;
                } else if *admonition {
                    out.push_str(indent);
                    out.push_str(if trimmed.is_empty() { ">" } else { "> " });
                    out.push_str(trimmed);
                    out.push('\n');
                } else {
                    out.push_str(line);
                }
            }
            None => {
                let fence: String = trimmed
                    .chars()
                    .take_while(|c| *c == '`' || *c == '~')
                    .collect();
                let same = fence
                    .chars()
                    .all(|c| c == fence.chars().next().unwrap_or('`'));
                if fence.len() >= 3 && same {
                    let info = trimmed[fence.len()..].trim();
                    let admonition = info == "admonish" || info.starts_with("admonish ");
                    if admonition {
                        let (kind_line, title) = admonish_header(info);
                        out.push_str(indent);
                        out.push_str(&kind_line);
                        out.push('\n');
                        if let Some(title) = title {
                            // An alert has no title of its own: the title leads the
                            // text in bold.
                            out.push_str(&format!("{indent}> **{title}**\n{indent}>\n"));
                        }
                        converted += 1;
                    } else {
                        out.push_str(line);
                    }
                    open = Some((fence, admonition));
                } else {
                    out.push_str(line);
                }
            }
        }
    }
    (out, converted)
}

/// The alert line and the optional title of an admonish block's info string:
/// `admonish warning title="Careful"`.
fn admonish_header(info: &str) -> (String, Option<String>) {
    let rest = info.strip_prefix("admonish").unwrap_or("").trim();
    let kind = rest.split_whitespace().next().filter(|w| !w.contains('='));
    let title = rest.find("title=").and_then(|at| {
        let value = &rest[at + "title=".len()..];
        let quote = value.chars().next()?;
        if quote == '"' || quote == '\'' {
            value[1..]
                .find(quote)
                .map(|end| value[1..end + 1].to_string())
        } else {
            value.split_whitespace().next().map(str::to_string)
        }
    });
    let alert = match kind.unwrap_or("note") {
        "tip" | "hint" | "success" | "check" | "done" => "TIP",
        "important" => "IMPORTANT",
        "warning" | "caution" | "attention" => "WARNING",
        "danger" | "error" | "failure" | "fail" | "missing" | "bug" => "CAUTION",
        _ => "NOTE",
    };
    (callout_kind_line(alert), title.filter(|t| !t.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn book_toml_gives_source_title_and_mathjax() {
        let config = parse_config(
            "[book]\ntitle = \"A \\\"quoted\\\" book\" # comment\nsrc = 'pages'\nauthors = [\"a\"]\n\n[output.html]\nmathjax-support = true\n[output.html.playground]\neditable = false\n",
        )
        .unwrap();
        assert_eq!(config.book.title.as_deref(), Some("A \"quoted\" book"));
        assert_eq!(config.book.src.as_deref(), Some("pages"));
        assert!(config.output.html.mathjax_support);
        assert!(config.preprocessor.is_empty());
        let dotted = parse_config("output.html.mathjax-support = true\n[preprocessor.katex]\n");
        let dotted = dotted.unwrap();
        assert!(dotted.output.html.mathjax_support);
        assert!(dotted.preprocessor.contains_key("katex"));
        let error = parse_config("[book]\ntitle = \"open\n").err().unwrap();
        assert_eq!(error.line_col().map(|(line, _)| line), Some(1));
    }

    #[test]
    fn a_mathjax_configuration_with_dollars_is_found() {
        assert!(reads_dollars(
            "MathJax.Hub.Config({ tex2jax: { inlineMath: [ ['$','$'], [\"\\\\(\",\"\\\\)\"] ] } });"
        ));
        assert!(reads_dollars("tex: {inlineMath: [[\"$\", \"$\"]]}"));
        assert!(!reads_dollars(
            "inlineMath: [['\\\\(', '\\\\)']], displayMath: [['$', '$']]"
        ));
    }

    fn include(text: &str) -> Include {
        match next_directive(text, 0) {
            Some(Directive::Include(include)) => include,
            _ => panic!("no include in {text}"),
        }
    }

    #[test]
    fn includes_take_lines_and_anchors() {
        let file = "one\n// ANCHOR: mid\ntwo\nthree\n// ANCHOR_END: mid\nfour\n";
        let all = include("{{#include f.rs}}");
        assert_eq!(all.path, PathBuf::from("f.rs"));
        assert_eq!(excerpt(file, &all).unwrap(), "one\ntwo\nthree\nfour");
        assert_eq!(
            excerpt(file, &include("{{#include f.rs:3:4}}")).unwrap(),
            "two\nthree"
        );
        assert_eq!(
            excerpt(file, &include("{{#include f.rs:3}}")).unwrap(),
            "two"
        );
        assert_eq!(
            excerpt(file, &include("{{#include f.rs::2}}")).unwrap(),
            "one"
        );
        assert_eq!(
            excerpt(file, &include("{{#include f.rs:4:}}")).unwrap(),
            "three\nfour"
        );
        assert_eq!(
            excerpt(file, &include("{{#include f.rs:mid}}")).unwrap(),
            "two\nthree"
        );
        assert!(excerpt(file, &include("{{#include f.rs:nope}}")).is_none());
        assert!(include("{{#rustdoc_include f.rs:mid}}").rustdoc);
    }

    #[test]
    fn escaped_directives_and_other_helpers_are_not_includes() {
        assert!(matches!(
            next_directive("a \\{{#include x}}", 0),
            Some(Directive::Escape(2))
        ));
        assert!(matches!(
            next_directive("{{#title Hello}}", 0),
            Some(Directive::Other { at: 0, end: 16, name }) if name == "title"
        ));
    }

    #[test]
    fn admonish_blocks_become_alerts_line_for_line() {
        let text = "Before\n\n```admonish warning title=\"Mind it\"\nBe *careful*.\n\nReally.\n```\n\n```rust\n```admonish\n```\n";
        let (out, n) = admonitions(text);
        assert_eq!(n, 1);
        assert_eq!(
            out,
            "Before\n\n> [!WARNING]\n> **Mind it**\n>\n> Be *careful*.\n>\n> Really.\n\n\n```rust\n```admonish\n```\n"
        );
    }
}
