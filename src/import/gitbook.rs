//! What is GitBook's own: `.gitbook.yaml` (or the older `book.json`) for the folder
//! the pages are in and the summary's name, `{% include %}`, and the `{% ... %}` blocks
//! (hints become callouts, content references and embeds become links, the rest is kept
//! and listed).
//!
//! Owns: GitBook's configuration and its template blocks. Never does: Markdown.

use std::path::{Path, PathBuf};

use super::{Book, Format, Notes, callout_kind_line};
use crate::diagnostics::Diagnostic;

/// The configuration file of a GitBook synced with Git.
pub const CONFIG: &str = ".gitbook.yaml";
/// The configuration file of the older, command-line GitBook (and HonKit).
pub const LEGACY_CONFIG: &str = "book.json";

#[derive(Debug, Default, serde::Deserialize)]
struct Config {
    root: Option<String>,
    structure: Option<Structure>,
    title: Option<String>,
}

#[derive(Debug, Default, serde::Deserialize)]
struct Structure {
    summary: Option<String>,
}

/// Reads `.gitbook.yaml` (`root:` and `structure: summary:`), else `book.json`
/// (`root`, `title`, `structure.summary`); without either the pages are in `dir`.
pub fn open(dir: &Path) -> Result<Book, Diagnostic> {
    let yaml_path = dir.join(CONFIG);
    let json_path = dir.join(LEGACY_CONFIG);
    let config: Config = if yaml_path.is_file() {
        let text = read(&yaml_path)?;
        yaml_serde::from_str(&text).map_err(|e| {
            Diagnostic::error(
                &yaml_path,
                format!("cannot read the GitBook configuration: {e}"),
            )
        })?
    } else if json_path.is_file() {
        let text = read(&json_path)?;
        serde_json::from_str(&text).map_err(|e| {
            Diagnostic::error(
                &json_path,
                format!("cannot read the GitBook configuration: {e}"),
            )
            .at(
                &text,
                crate::diagnostics::Location {
                    line: e.line(),
                    column: e.column(),
                },
            )
        })?
    } else {
        Config::default()
    };
    let root = match config.root.as_deref().map(str::trim) {
        Some(root) if !root.is_empty() => dir.join(root.trim_start_matches("./")),
        _ => dir.to_path_buf(),
    };
    let summary = config
        .structure
        .and_then(|s| s.summary)
        .unwrap_or_else(|| "SUMMARY.md".into());
    Ok(Book {
        format: Format::GitBook,
        dir: dir.to_path_buf(),
        summary: root.join(summary.trim_start_matches("./")),
        root,
        title: config.title.filter(|t| !t.trim().is_empty()),
        math: super::MathStyle::GitBook,
        macros: Vec::new(),
    })
}

fn read(path: &Path) -> Result<String, Diagnostic> {
    std::fs::read_to_string(path).map_err(|e| Diagnostic::error(path, format!("cannot read: {e}")))
}

/// The next `{% include "file" %}` at or after `from`: the directive's span and the path.
pub fn next_include(text: &str, from: usize) -> Option<(std::ops::Range<usize>, PathBuf)> {
    let mut search = from;
    loop {
        let found = search + text[search..].find("{%")?;
        let close = found + text[found..].find("%}")?;
        let inner = text[found + 2..close]
            .trim()
            .trim_start_matches('-')
            .trim_end_matches('-');
        if let Some(args) = inner.trim().strip_prefix("include ") {
            let path = args.trim().trim_matches(|c| c == '"' || c == '\'');
            return Some((found..close + 2, PathBuf::from(path)));
        }
        search = close + 2;
    }
}

/// What the blocks of a page became.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Blocks {
    pub callouts: usize,
}

/// Converts the `{% ... %}` blocks of a page: `hint` to a GitHub alert (its lines
/// quoted), `content-ref` to its link, `embed` to a link; others are kept and listed in
/// `notes`. Fenced code is left alone.
pub fn blocks(text: &str, file: &Path, notes: &mut Notes) -> (String, Blocks) {
    let mut out = String::with_capacity(text.len() + 64);
    let mut done = Blocks::default();
    let mut fence: Option<String> = None;
    // The indentation of the hint being quoted.
    let mut hint: Option<String> = None;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let number = index + 1;
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start();
        let indent = &body[..body.len() - trimmed.len()];
        if let Some(open) = &fence {
            if trimmed.starts_with(open.as_str())
                && trimmed.trim_end().chars().all(|c| open.starts_with(c))
            {
                fence = None;
            }
            push_line(&mut out, hint.as_deref(), body);
            continue;
        }
        let marker: String = trimmed
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        if marker.len() >= 3 {
            fence = Some(marker);
            push_line(&mut out, hint.as_deref(), body);
            continue;
        }
        let Some(tag) = tag_of(trimmed) else {
            push_line(&mut out, hint.as_deref(), body);
            continue;
        };
        let (name, args, rest) = tag;
        match name {
            "hint" => {
                let kind = match attribute(args, "style").as_deref() {
                    Some("success") => "TIP",
                    Some("warning") => "WARNING",
                    Some("danger") => "CAUTION",
                    _ => "NOTE",
                };
                out.push_str(indent);
                out.push_str(&callout_kind_line(kind));
                out.push('\n');
                done.callouts += 1;
                hint = Some(indent.to_string());
                if !rest.trim().is_empty() {
                    push_line(
                        &mut out,
                        hint.as_deref(),
                        &format!("{indent}{}", rest.trim()),
                    );
                }
            }
            "endhint" => {
                hint = None;
                out.push('\n');
            }
            "content-ref" | "endcontent-ref" | "endembed" => {
                // The link inside a content reference is what it shows.
                push_line(
                    &mut out,
                    hint.as_deref(),
                    &format!("{indent}{}", rest.trim_start()),
                );
            }
            "embed" => {
                let url = attribute(args, "url").unwrap_or_default();
                push_line(&mut out, hint.as_deref(), &format!("{indent}<{url}>"));
                notes.push(file, number, "an embed is a plain link now");
            }
            _ => {
                push_line(&mut out, hint.as_deref(), body);
                notes.push(
                    file,
                    number,
                    format!("`{{% {name} %}}` is kept as text (conceptlab has no equivalent)"),
                );
            }
        }
    }
    (out, done)
}

/// Writes `line`, quoted when inside a hint.
fn push_line(out: &mut String, hint: Option<&str>, line: &str) {
    match hint {
        Some(indent) => {
            let text = line.strip_prefix(indent).unwrap_or(line.trim_start());
            out.push_str(indent);
            out.push_str(if text.trim().is_empty() { ">" } else { "> " });
            out.push_str(text);
        }
        None => out.push_str(line),
    }
    out.push('\n');
}

/// A line that starts with a `{% tag args %}`: the tag's name, its arguments and the
/// text after it. `{% include %}` is not a block (includes are resolved before).
fn tag_of(line: &str) -> Option<(&str, &str, &str)> {
    let inner = line.strip_prefix("{%")?;
    let close = inner.find("%}")?;
    let tag = inner[..close].trim().trim_matches('-').trim();
    let (name, args) = tag.split_once(char::is_whitespace).unwrap_or((tag, ""));
    (name != "include" && !name.is_empty()).then_some((name, args, &inner[close + 2..]))
}

/// The value of `name="value"` (or single quotes) among a tag's arguments.
fn attribute(args: &str, name: &str) -> Option<String> {
    let at = args.find(&format!("{name}="))?;
    let value = &args[at + name.len() + 1..];
    let quote = value.chars().next()?;
    if quote == '"' || quote == '\'' {
        let end = value[1..].find(quote)?;
        Some(value[1..end + 1].to_string())
    } else {
        value.split_whitespace().next().map(str::to_string)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_become_alerts_and_other_blocks_are_listed() {
        let text = "{% hint style=\"warning\" %}\nMind the **gap**.\n\n```sh\n{% hint %}\n```\n{% endhint %}\n\n{% tabs %}\n{% embed url=\"https://example.com/v\" %}\n{% content-ref url=\"a.md\" %}\n[a](a.md)\n{% endcontent-ref %}\n";
        let mut notes = Notes::default();
        let (out, done) = blocks(text, Path::new("p.md"), &mut notes);
        assert_eq!(done.callouts, 1);
        assert_eq!(
            out,
            "> [!WARNING]\n> Mind the **gap**.\n>\n> ```sh\n> {% hint %}\n> ```\n\n\n{% tabs %}\n<https://example.com/v>\n\n[a](a.md)\n\n"
        );
        let listed: Vec<_> = notes
            .items
            .iter()
            .map(|n| (n.line, n.what.clone()))
            .collect();
        assert_eq!(listed.len(), 2, "{listed:?}");
        assert_eq!(listed[0].0, 9);
        assert!(listed[0].1.contains("tabs"));
    }

    #[test]
    fn includes_are_found_with_either_quote() {
        let text = "a {% include \"../x.md\" %} b {% include './y.md' %}";
        let (span, path) = next_include(text, 0).unwrap();
        assert_eq!(path, PathBuf::from("../x.md"));
        assert_eq!(&text[span.clone()], "{% include \"../x.md\" %}");
        assert_eq!(
            next_include(text, span.end).unwrap().1,
            PathBuf::from("./y.md")
        );
    }

    #[test]
    fn the_legacy_configuration_gives_root_and_title() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("book.json"),
            r#"{"root": "./docs", "title": "T"}"#,
        )
        .unwrap();
        let book = open(dir.path()).unwrap();
        assert_eq!(book.root, dir.path().join("docs"));
        assert_eq!(book.summary, dir.path().join("docs/SUMMARY.md"));
        assert_eq!(book.title.as_deref(), Some("T"));
        std::fs::write(
            dir.path().join(".gitbook.yaml"),
            "root: ./pages/\nstructure:\n  summary: toc.md\n",
        )
        .unwrap();
        let book = open(dir.path()).unwrap();
        assert_eq!(book.summary, dir.path().join("pages/toc.md"));
    }
}
