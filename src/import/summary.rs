//! `SUMMARY.md`, the table of contents both mdBook and GitBook read: parsed with
//! pulldown-cmark into groups (mdBook's part titles, GitBook's `## Group` headings) of
//! chapters, each chapter with its link, its place in the file and its sub-chapters.
//!
//! Owns: the summary's structure. Never does: read the pages or decide what they become.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// One entry of the table of contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chapter {
    /// The link's text, as plain text.
    pub title: String,
    /// The link's destination as written (percent-encoding and `#fragment` included);
    /// `None` for a draft chapter (`[Title]()`) or an item without a link.
    pub link: Option<String>,
    /// Where the entry starts in SUMMARY.md (a byte offset).
    pub at: usize,
    pub children: Vec<Chapter>,
}

/// A run of chapters under one title (a part title or a group heading), or under none
/// for the chapters before the first title.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Group {
    pub title: Option<String>,
    pub at: usize,
    pub chapters: Vec<Chapter>,
}

/// The whole table of contents.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// The first `# Heading` when it comes before any chapter (`# Summary`): a title for
    /// the file, not a part.
    pub title: Option<String>,
    pub groups: Vec<Group>,
}

impl Summary {
    /// Every chapter, depth first, in the order of the file.
    pub fn chapters(&self) -> Vec<&Chapter> {
        fn walk<'a>(chapters: &'a [Chapter], out: &mut Vec<&'a Chapter>) {
            for chapter in chapters {
                out.push(chapter);
                walk(&chapter.children, out);
            }
        }
        let mut out = Vec::new();
        for group in &self.groups {
            walk(&group.chapters, &mut out);
        }
        out
    }
}

type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

/// Parses the text of a SUMMARY.md. Anything that is neither a heading, a list of
/// links nor a paragraph of links (prefix and suffix chapters) is ignored, as both
/// tools ignore it (separators, comments).
pub fn parse(text: &str) -> Summary {
    let events: Events<'_> = Parser::new(text).into_offset_iter().collect();
    let mut summary = Summary::default();
    let mut i = 0;
    while i < events.len() {
        match &events[i].0 {
            Event::Start(Tag::Heading { level, .. }) => {
                let at = events[i].1.start;
                let (title, next) = inline_text(&events, i + 1, |e| {
                    matches!(e, Event::End(TagEnd::Heading(_)))
                });
                i = next;
                let first = summary.title.is_none() && summary.groups.is_empty();
                if first && *level == HeadingLevel::H1 {
                    summary.title = Some(title);
                } else {
                    summary.groups.push(Group {
                        title: Some(title),
                        at,
                        chapters: Vec::new(),
                    });
                }
            }
            Event::Start(Tag::List(_)) => {
                let (chapters, next) = list(&events, i);
                i = next;
                current(&mut summary).chapters.extend(chapters);
            }
            Event::Start(Tag::Paragraph) => {
                let (chapters, next) = paragraph_links(&events, i);
                i = next;
                if !chapters.is_empty() {
                    current(&mut summary).chapters.extend(chapters);
                }
            }
            _ => i += 1,
        }
    }
    summary
}

/// The group chapters are added to: the last one, or a new untitled one.
fn current(summary: &mut Summary) -> &mut Group {
    if summary.groups.is_empty() {
        summary.groups.push(Group::default());
    }
    summary.groups.last_mut().expect("one was just pushed")
}

/// The plain text of inline events from `i` up to the first event `end` accepts, and
/// the index after it.
fn inline_text(
    events: &Events<'_>,
    mut i: usize,
    end: impl Fn(&Event<'_>) -> bool,
) -> (String, usize) {
    let mut text = String::new();
    while i < events.len() && !end(&events[i].0) {
        push_text(&mut text, &events[i].0);
        i += 1;
    }
    (text.trim().to_string(), i + 1)
}

fn push_text(text: &mut String, event: &Event<'_>) {
    match event {
        Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => text.push_str(t),
        Event::SoftBreak | Event::HardBreak => text.push(' '),
        _ => {}
    }
}

/// A list starting at `events[i]`: its items as chapters, and the index after it.
fn list(events: &Events<'_>, mut i: usize) -> (Vec<Chapter>, usize) {
    let mut chapters = Vec::new();
    i += 1;
    while i < events.len() {
        match &events[i].0 {
            Event::Start(Tag::Item) => {
                let (chapter, next) = item(events, i);
                chapters.push(chapter);
                i = next;
            }
            Event::End(TagEnd::List(_)) => return (chapters, i + 1),
            _ => i += 1,
        }
    }
    (chapters, i)
}

/// A list item starting at `events[i]`: its first link is the chapter's page, its text
/// the title, a nested list its sub-chapters.
fn item(events: &Events<'_>, mut i: usize) -> (Chapter, usize) {
    let mut chapter = Chapter {
        title: String::new(),
        link: None,
        at: events[i].1.start,
        children: Vec::new(),
    };
    let mut seen_link = false;
    let mut in_link = false;
    i += 1;
    while i < events.len() {
        match &events[i].0 {
            Event::Start(Tag::List(_)) => {
                let (children, next) = list(events, i);
                chapter.children.extend(children);
                i = next;
                continue;
            }
            Event::End(TagEnd::Item) => {
                i += 1;
                break;
            }
            Event::Start(Tag::Link { dest_url, .. }) if !seen_link => {
                seen_link = true;
                in_link = true;
                chapter.at = events[i].1.start;
                chapter.title.clear();
                if !dest_url.trim().is_empty() {
                    chapter.link = Some(dest_url.to_string());
                }
            }
            Event::End(TagEnd::Link) if in_link => in_link = false,
            // The title is the link's text; text beside the link is not part of it.
            event if in_link || !seen_link => push_text(&mut chapter.title, event),
            _ => {}
        }
        i += 1;
    }
    chapter.title = chapter.title.trim().to_string();
    (chapter, i)
}

/// A paragraph of links (mdBook's prefix and suffix chapters): one chapter per link.
fn paragraph_links(events: &Events<'_>, mut i: usize) -> (Vec<Chapter>, usize) {
    let mut chapters = Vec::new();
    i += 1;
    while i < events.len() {
        match &events[i].0 {
            Event::End(TagEnd::Paragraph) => return (chapters, i + 1),
            Event::Start(Tag::Link { dest_url, .. }) => {
                let at = events[i].1.start;
                let link = (!dest_url.trim().is_empty()).then(|| dest_url.to_string());
                let (title, next) =
                    inline_text(events, i + 1, |e| matches!(e, Event::End(TagEnd::Link)));
                chapters.push(Chapter {
                    title,
                    link,
                    at,
                    children: Vec::new(),
                });
                i = next;
            }
            _ => i += 1,
        }
    }
    (chapters, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(chapters: &[Chapter]) -> Vec<String> {
        chapters.iter().map(|c| c.title.clone()).collect()
    }

    #[test]
    fn mdbook_parts_prefix_nested_draft_and_suffix_chapters() {
        let text = "# Summary\n\n[Intro](README.md)\n\n# Basics\n\n- [First](a/first.md)\n    - [Deeper `x`](a/deeper.md)\n        - [Deepest](a/deepest.md)\n- [Later]()\n\n---\n\n# More\n\n- [Other](other.md#top)\n\n[Thanks](thanks.md)\n";
        let summary = parse(text);
        assert_eq!(summary.title.as_deref(), Some("Summary"));
        assert_eq!(summary.groups.len(), 3);
        assert_eq!(summary.groups[0].title, None);
        assert_eq!(titles(&summary.groups[0].chapters), ["Intro"]);
        let basics = &summary.groups[1];
        assert_eq!(basics.title.as_deref(), Some("Basics"));
        assert_eq!(titles(&basics.chapters), ["First", "Later"]);
        assert_eq!(basics.chapters[0].children[0].title, "Deeper x");
        assert_eq!(basics.chapters[0].children[0].children[0].title, "Deepest");
        assert_eq!(basics.chapters[1].link, None);
        let more = &summary.groups[2];
        assert_eq!(titles(&more.chapters), ["Other", "Thanks"]);
        assert_eq!(more.chapters[0].link.as_deref(), Some("other.md#top"));
        assert_eq!(summary.chapters().len(), 7);
        // The chapter's place is its link's, for errors at the right line.
        let at = basics.chapters[0].children[0].at;
        assert!(text[at..].starts_with("[Deeper"));
    }

    #[test]
    fn gitbook_groups_are_second_level_headings() {
        let text = "# Table of contents\n\n* [Welcome](README.md)\n\n## Getting started\n\n* [Install](start/install.md)\n  * [On Linux](start/linux.md)\n\n## Reference <a href=\"#x\" id=\"x\"></a>\n\n* [API](ref/api.md)\n";
        let summary = parse(text);
        assert_eq!(summary.title.as_deref(), Some("Table of contents"));
        let group_titles: Vec<_> = summary.groups.iter().map(|g| g.title.clone()).collect();
        assert_eq!(
            group_titles,
            [
                None,
                Some("Getting started".into()),
                Some("Reference".into())
            ]
        );
        assert_eq!(summary.groups[1].chapters[0].children[0].title, "On Linux");
    }

    #[test]
    fn items_without_links_are_chapters_without_pages() {
        let summary = parse("- Part one\n  - [A](a.md)\n");
        let chapter = &summary.groups[0].chapters[0];
        assert_eq!(chapter.title, "Part one");
        assert_eq!(chapter.link, None);
        assert_eq!(titles(&chapter.children), ["A"]);
    }
}
