//! Errors and warnings about a user's site, and the one place that prints them.
//!
//! Every problem the build finds in user input becomes a [`Diagnostic`]: the file, the
//! 1-based line and column, what was expected, and an optional hint. Stages collect them
//! instead of stopping at the first, and the CLI renders them all through
//! [`render`], which uses `annotate-snippets` to show the offending line with a caret,
//! or through [`to_json`] for editors and CI (`--format json`).
//! This module never decides whether a build fails; the caller does.

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a source file: 1-based line and column (column counted in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

impl Location {
    /// The location of byte `offset` in `source` (clamped to the source's length).
    pub fn of_offset(source: &str, offset: usize) -> Location {
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &source[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Location {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

/// One problem found in user input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, as the user would type it (relative to the site root where possible).
    pub file: PathBuf,
    pub location: Option<Location>,
    /// What is wrong, and what was expected.
    pub message: String,
    /// The text of the line at `location`, to show with a caret.
    pub source_line: Option<String>,
    /// What to do about it ("did you mean `title`?").
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            location: None,
            message: message.into(),
            source_line: None,
            hint: None,
        }
    }

    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    /// Points the diagnostic at `location` in `source` (the whole text of the file).
    pub fn at(mut self, source: &str, location: Location) -> Diagnostic {
        self.source_line = source
            .lines()
            .nth(location.line.saturating_sub(1))
            .map(str::to_owned);
        self.location = Some(location);
        self
    }

    /// Points the diagnostic at byte `offset` in `source`.
    pub fn at_offset(self, source: &str, offset: usize) -> Diagnostic {
        let location = Location::of_offset(source, offset);
        self.at(source, location)
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col`, or just the file when the location is unknown.
    pub fn locus(&self) -> String {
        match self.location {
            Some(l) => format!("{}:{}:{}", self.file.display(), l.line, l.column),
            None => self.file.display().to_string(),
        }
    }
}

impl fmt::Display for Diagnostic {
    /// A one-line form, for logs and tests: `file:line:col: message (hint)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {kind}: {}", self.locus(), self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// Renders diagnostics the way a compiler does: a title, `--> file:line:col`, the source
/// line with a caret under the column, then the hint. `color` picks ANSI styling.
pub fn render(diagnostics: &[Diagnostic], color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = d.file.display().to_string();
        let title = level.primary_title(d.message.as_str());
        let mut group = match (&d.location, &d.source_line) {
            (Some(loc), Some(line)) => {
                let start = byte_of_column(line, loc.column);
                let end = next_char_end(line, start);
                Group::with_title(title).element(
                    Snippet::source(line.as_str())
                        .line_start(loc.line)
                        .path(path.as_str())
                        .annotation(AnnotationKind::Primary.span(start..end)),
                )
            }
            _ => Group::with_title(title).element(
                Snippet::<annotate_snippets::Annotation<'_>>::source("")
                    .path(path.as_str())
                    .fold(true),
            ),
        };
        if let Some(hint) = &d.hint {
            group = group.element(Level::HELP.message(hint.as_str()));
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    out
}

fn byte_of_column(line: &str, column: usize) -> usize {
    line.char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i)
}

fn next_char_end(line: &str, start: usize) -> usize {
    line[start..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8())
}

/// One JSON document listing `diagnostics`, for editors and CI (`--format json`):
///
/// ```json
/// {"errors": 1, "warnings": 0, "diagnostics": [{"severity": "error",
///  "file": "content/a.md", "line": 2, "column": 1, "message": "unknown key `titel`",
///  "hint": "did you mean `title`?", "source_line": "titel: Hi"}]}
/// ```
///
/// `line`, `column`, `hint` and `source_line` are `null` when unknown.
pub fn to_json(diagnostics: &[Diagnostic]) -> String {
    #[derive(serde::Serialize)]
    struct Entry<'a> {
        severity: &'static str,
        file: String,
        line: Option<usize>,
        column: Option<usize>,
        message: &'a str,
        hint: Option<&'a str>,
        source_line: Option<&'a str>,
    }
    #[derive(serde::Serialize)]
    struct Document<'a> {
        errors: usize,
        warnings: usize,
        diagnostics: Vec<Entry<'a>>,
    }
    let entries: Vec<Entry<'_>> = diagnostics
        .iter()
        .map(|d| Entry {
            severity: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            file: d.file.to_string_lossy().replace('\\', "/"),
            line: d.location.map(|l| l.line),
            column: d.location.map(|l| l.column),
            message: &d.message,
            hint: d.hint.as_deref(),
            source_line: d.source_line.as_deref(),
        })
        .collect();
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let document = Document {
        errors,
        warnings: diagnostics.len() - errors,
        diagnostics: entries,
    };
    serde_json::to_string_pretty(&document).expect("plain data always serialises")
}

/// Displays `path` relative to `root` when it lies inside it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_one_based_lines_and_character_columns() {
        let src = "ab\ncé:x\n";
        assert_eq!(Location::of_offset(src, 0), Location { line: 1, column: 1 });
        assert_eq!(Location::of_offset(src, 3), Location { line: 2, column: 1 });
        // 'é' is two bytes; ':' is the third character of line 2.
        assert_eq!(Location::of_offset(src, 6), Location { line: 2, column: 3 });
    }

    #[test]
    fn rendering_names_file_line_column_and_shows_the_line() {
        let src = "---\ntitel: Hi\n---\n";
        let d = Diagnostic::error("content/a.md", "unknown key `titel`")
            .at(src, Location { line: 2, column: 1 })
            .with_hint("did you mean `title`?");
        let text = render(&[d], false);
        assert!(text.contains("content/a.md:2:1"), "{text}");
        assert!(text.contains("titel: Hi"), "{text}");
        assert!(text.contains("did you mean `title`?"), "{text}");
    }

    #[test]
    fn json_lists_every_diagnostic_with_its_place() {
        let src = "---\ntitel: Hi\n---\n";
        let error = Diagnostic::error("content/a.md", "unknown key `titel`")
            .at(src, Location { line: 2, column: 1 })
            .with_hint("did you mean `title`?");
        let warning = Diagnostic::warning("content/b.md", "the lesson has no flash cards");
        let json: serde_json::Value = serde_json::from_str(&to_json(&[error, warning])).unwrap();
        assert_eq!(json["errors"], 1);
        assert_eq!(json["warnings"], 1);
        let first = &json["diagnostics"][0];
        assert_eq!(first["severity"], "error");
        assert_eq!(first["file"], "content/a.md");
        assert_eq!(first["line"], 2);
        assert_eq!(first["column"], 1);
        assert_eq!(first["hint"], "did you mean `title`?");
        assert_eq!(json["diagnostics"][1]["line"], serde_json::Value::Null);
    }
}
