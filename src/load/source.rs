//! Reading a content file and splitting it into front-matter and body.
//!
//! Text is normalised once here (UTF-8 checked, a byte-order mark dropped, CRLF turned
//! into LF) so that every later offset, line and column refers to the same text.
//!
//! Owns: `SourceFile`: a content file's text, its front-matter and body, and locating a key
//! path in it. Never does: parse a schema.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::diagnostics::{Diagnostic, Location};
use crate::yaml::NodeIndex;

/// A content file read into memory.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path shown to the user (relative to the site root).
    pub path: PathBuf,
    /// The normalised text of the whole file.
    pub text: String,
    /// The front-matter YAML as a byte range of `text` (empty when there is none).
    pub front_matter: std::ops::Range<usize>,
    /// Byte offset in `text` where the Markdown body starts.
    pub body_start: usize,
    /// Where each front-matter node is written, built when a diagnostic first needs it.
    nodes: OnceLock<NodeIndex>,
}

impl SourceFile {
    pub fn front_matter(&self) -> &str {
        &self.text[self.front_matter.clone()]
    }

    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// A file with no text (what stands for a `_course.md` a course folder lacks).
    pub fn empty(path: &Path) -> SourceFile {
        SourceFile {
            path: path.to_path_buf(),
            text: String::new(),
            front_matter: 0..0,
            body_start: 0,
            nodes: OnceLock::new(),
        }
    }

    /// Whether the file opens with a front-matter block (`---` ... `---`).
    pub fn has_front_matter(&self) -> bool {
        self.text.starts_with("---\n") || self.text == "---"
    }

    /// The text of the body's first `#` heading, for a file without front-matter. When
    /// the heading is the first thing in the body, the body then starts after it, so the
    /// page does not show the title twice.
    pub fn take_title(&mut self) -> Option<String> {
        use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
        let body = self.body();
        let mut title: Option<(String, std::ops::Range<usize>)> = None;
        let mut first_block = true;
        let mut parser = Parser::new(body).into_offset_iter();
        while let Some((event, range)) = parser.next() {
            let Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) = event
            else {
                if matches!(event, Event::Start(_)) {
                    first_block = false;
                    // Skip to the end of this block: only top-level headings count.
                    let mut depth = 1;
                    for (inner, _) in parser.by_ref() {
                        match inner {
                            Event::Start(_) => depth += 1,
                            Event::End(_) => depth -= 1,
                            _ => {}
                        }
                        if depth == 0 {
                            break;
                        }
                    }
                }
                continue;
            };
            let mut text = String::new();
            for (inner, _) in parser.by_ref() {
                match inner {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(&t),
                    Event::SoftBreak | Event::HardBreak => text.push(' '),
                    _ => {}
                }
            }
            title = Some((text.trim().to_string(), range));
            break;
        }
        let (text, range) = title.filter(|(t, _)| !t.is_empty())?;
        if first_block {
            self.body_start += range.end;
        }
        Some(text)
    }

    /// The 1-based line on which the front-matter YAML starts.
    pub fn front_matter_line(&self) -> usize {
        Location::of_offset(&self.text, self.front_matter.start).line
    }

    /// Where the front-matter node at `path` (keys and list indices: `["questions", "2",
    /// "q"]`) is written, or its nearest ancestor that is; the front-matter's first line
    /// when none is.
    pub fn locate_path(&self, path: &[&str]) -> Location {
        let (line, column) = self.nodes().nearest(path).unwrap_or((1, 1));
        self.in_file(line, column)
    }

    /// Where the node at `path` is written, if the front-matter has it.
    pub fn locate_exact(&self, path: &[&str]) -> Option<Location> {
        self.nodes()
            .get(path)
            .map(|(line, column)| self.in_file(line, column))
    }

    /// A diagnostic pointing at the front-matter node at `path` (see [`Self::locate_path`]).
    pub fn error_at_path(&self, path: &[&str], message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(&self.path, message).at(&self.text, self.locate_path(path))
    }

    /// The index of the front-matter's nodes.
    pub fn nodes(&self) -> &NodeIndex {
        self.nodes
            .get_or_init(|| NodeIndex::build(self.front_matter()))
    }

    /// A line and column of the front-matter YAML as a location in the file.
    fn in_file(&self, line: usize, column: usize) -> Location {
        Location {
            line: self.front_matter_line() + line - 1,
            column,
        }
    }

    /// Finds the first front-matter line containing `needle` (a URL the author wrote), to
    /// point a diagnostic at it; falls back to the front-matter's first line. Prefer
    /// [`Self::locate_path`], which tells repeated values apart.
    pub fn locate_in_front_matter(&self, needle: &str) -> Location {
        let fm = self.front_matter();
        let offset = fm
            .find(needle)
            .map_or(self.front_matter.start, |i| self.front_matter.start + i);
        Location::of_offset(&self.text, offset)
    }
}

/// Whether front-matter must be present.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum FrontMatter {
    Required,
    Optional,
}

/// Reads `abs_path` and splits it. `shown_path` is what diagnostics call the file.
pub fn read(
    abs_path: &Path,
    shown_path: &Path,
    front_matter: FrontMatter,
) -> Result<SourceFile, Diagnostic> {
    let bytes = std::fs::read(abs_path)
        .map_err(|e| Diagnostic::error(shown_path, format!("cannot read file: {e}")))?;
    from_bytes(bytes, shown_path, front_matter)
}

/// Decodes (UTF-8, BOM, CRLF) and splits the bytes of a file called `shown_path`.
pub fn from_bytes(
    bytes: Vec<u8>,
    shown_path: &Path,
    front_matter: FrontMatter,
) -> Result<SourceFile, Diagnostic> {
    let text = decode(bytes, shown_path)?;
    split(text, shown_path, front_matter)
}

fn decode(bytes: Vec<u8>, path: &Path) -> Result<String, Diagnostic> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        Diagnostic::error(path, "the file is not valid UTF-8")
            .at_offset(&prefix, valid)
            .with_hint("save the file with UTF-8 encoding")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_owned()
    })
}

/// Splits normalised `text` at its `---` fences.
pub fn split(
    text: String,
    path: &Path,
    front_matter: FrontMatter,
) -> Result<SourceFile, Diagnostic> {
    let opens = text.starts_with("---\n") || text == "---";
    if !opens {
        if front_matter == FrontMatter::Required {
            let hint = "start the file with a line `---`, the YAML keys (at least `title:`), \
                        then another `---`";
            return Err(Diagnostic::error(
                path,
                "expected front-matter: the file must start with a line `---`",
            )
            .at(&text, Location { line: 1, column: 1 })
            .with_hint(hint));
        }
        return Ok(SourceFile {
            path: path.to_path_buf(),
            front_matter: 0..0,
            body_start: 0,
            text,
            nodes: OnceLock::new(),
        });
    }
    let yaml_start = (4).min(text.len());
    // The closing fence is a line that is exactly `---` (or `...`, YAML's end marker).
    let mut line_start = yaml_start;
    while line_start <= text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = text[line_start..line_end].trim_end();
        if line == "---" || line == "..." {
            let body_start = (line_end + 1).min(text.len());
            return Ok(SourceFile {
                path: path.to_path_buf(),
                front_matter: yaml_start..line_start,
                body_start,
                text,
                nodes: OnceLock::new(),
            });
        }
        if line_end == text.len() {
            break;
        }
        line_start = line_end + 1;
    }
    Err(
        Diagnostic::error(path, "the front-matter opened on line 1 is never closed")
            .at(&text, Location { line: 1, column: 1 })
            .with_hint("add a line `---` after the last front-matter key"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_str(s: &str) -> Result<SourceFile, Diagnostic> {
        split(s.to_owned(), Path::new("x.md"), FrontMatter::Required)
    }

    #[test]
    fn front_matter_and_body_are_separated() {
        let f = split_str("---\ntitle: A\n---\n# Body\n").unwrap();
        assert_eq!(f.front_matter(), "title: A\n");
        assert_eq!(f.body(), "# Body\n");
        assert_eq!(f.front_matter_line(), 2);
    }

    #[test]
    fn an_unclosed_front_matter_is_an_error_on_line_one() {
        let err = split_str("---\ntitle: A\nbody\n").unwrap_err();
        assert!(err.message.contains("never closed"));
        assert_eq!(err.location.unwrap().line, 1);
    }

    #[test]
    fn crlf_and_bom_are_normalised() {
        let text = decode(
            b"\xef\xbb\xbf---\r\ntitle: A\r\n---\r\nHi\r\n".to_vec(),
            Path::new("x"),
        )
        .unwrap();
        let f = split(text, Path::new("x"), FrontMatter::Required).unwrap();
        assert_eq!(f.front_matter(), "title: A\n");
        assert_eq!(f.body(), "Hi\n");
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let err = decode(b"---\ntitle: \xff\n".to_vec(), Path::new("x.md")).unwrap_err();
        assert_eq!(err.location.unwrap().line, 2);
    }
}
