//! Markdown to HTML, with the transforms a lesson needs, done on pulldown-cmark's event
//! stream (never with regexes on HTML): heading ids and anchor links, a table of contents,
//! GFM alerts as callouts, math as MathML, highlighted code, links between lessons
//! resolved to URLs (and checked), in Markdown and in the body's raw HTML alike (whose
//! tags [`html_urls`] reads), and the body's recognised `##` sections moved into the
//! page's slots (tradeoffs, examples, code walkthrough).
//!
//! Problems (a broken link, bad math) become diagnostics located in the lesson file;
//! links to anchors in other pages are returned as [`AnchorRef`]s for the caller to check
//! once every page's ids are known.
//!
//! It is one idea at about 950 lines: one pass over pulldown-cmark's events, whose cases
//! (headings, sections, links, images, raw HTML, math, code, alerts, footnotes) share the
//! pass's state.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use pulldown_cmark_escape::{escape_href, escape_html};
use serde::Serialize;

use super::{highlight, html_urls, math};
use crate::config::Dollars;
use crate::diagnostics::Diagnostic;
use crate::load::source::SourceFile;
use crate::slug::{PageIds, slugify};

/// Ids the lesson template uses for its own parts; body headings never take them.
pub const RESERVED_IDS: &[&str] = &[
    "main",
    "toc",
    "theory",
    "tradeoffs",
    "notes",
    "coverage",
    "examples",
    "flow",
    "explore",
    "walkthrough",
    "questions",
    "reorder",
    "flashcards",
    "footnotes",
    "lesson-nav",
];

/// A footnote's id: `fn-` and its label (whitespace as `-`), in a namespace of its own so
/// that `[^toc]` or `[^4]` cannot take the id of the table of contents or of a heading.
fn footnote_id(label: &str) -> String {
    let label: String = label
        .chars()
        .map(|c| if c.is_whitespace() { '-' } else { c })
        .collect();
    format!("fn-{label}")
}

/// Where each part of a rendered body goes on the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    Theory = 0,
    Tradeoffs = 1,
    Examples = 2,
    Walkthrough = 3,
    Footnotes = 4,
}

const SLOTS: usize = 5;

impl Slot {
    /// The slot a `##` heading opens, by its slug.
    fn for_heading(slug: &str) -> Option<Slot> {
        match slug {
            "tradeoffs" | "trade-offs" => Some(Slot::Tradeoffs),
            "examples" | "example" => Some(Slot::Examples),
            "code-walkthrough" | "walkthrough" => Some(Slot::Walkthrough),
            _ => None,
        }
    }
}

/// A heading listed in the table of contents.
#[derive(Clone, Debug, Serialize)]
pub struct TocEntry {
    pub id: String,
    pub title: String,
    pub level: u8,
}

/// A link to `#anchor` on the page `page` (a content path such as
/// `machine-learning/006-layers.md`), to be checked when all pages are rendered.
#[derive(Clone, Debug)]
pub struct AnchorRef {
    pub page: String,
    pub anchor: String,
    /// The error to report if the anchor does not exist.
    pub missing: Diagnostic,
}

/// What a link in a page can point at.
#[derive(Clone, Debug)]
pub struct LinkTarget {
    /// Its URL; a part's is a section of its course page (`/c/#part-x`).
    pub url: String,
    /// The content path whose ids the target's `#anchors` are checked against (the
    /// course intro's for a part, since its section is on the course page); `None` for
    /// a file, which has none.
    pub page: Option<String>,
}

/// Every linkable thing of the site, by content path (`course/file.md`, `course/img/a.png`).
#[derive(Debug, Default)]
pub struct LinkIndex {
    pub targets: HashMap<String, LinkTarget>,
}

/// Where the Markdown text comes from, to locate diagnostics in the file.
#[derive(Clone, Copy)]
pub enum Origin<'a> {
    /// The body of `file`, starting at byte `offset` of its text: locations are exact.
    Body { file: &'a SourceFile, offset: usize },
    /// A front-matter value: diagnostics point at its node, `path` (keys and list
    /// indices: `["notes", "2", "text"]`).
    Field {
        file: &'a SourceFile,
        path: &'a [&'a str],
    },
}

impl Origin<'_> {
    fn file(&self) -> &SourceFile {
        match self {
            Origin::Body { file, .. } | Origin::Field { file, .. } => file,
        }
    }

    fn diagnostic(&self, at: usize, message: String) -> Diagnostic {
        match *self {
            Origin::Body { file, offset } => {
                Diagnostic::error(&file.path, message).at_offset(&file.text, offset + at)
            }
            Origin::Field { file, path } => file.error_at_path(path, message),
        }
    }
}

/// How to render one piece of Markdown.
pub struct MarkdownJob<'a> {
    pub text: &'a str,
    pub origin: Origin<'a>,
    /// The page the text is on (`course/file.md`), for same-page anchors.
    pub page: &'a str,
    /// The folder the text's file is in, relative to `content/` (`course`, or
    /// `course/part` for a lesson in a part folder): relative links are resolved against
    /// it, `..` climbing one folder per step.
    pub course: &'a str,
    /// Raw HTML is kept (the body) or shown as text (front-matter values).
    pub trust_html: bool,
    /// Move recognised `##` sections into their slots (the body only).
    pub split_sections: bool,
    /// How math is read (`math:` in site.yaml): what `$$...$$` with text on its line
    /// means, and the site's macros.
    pub math: math::MathSettings,
    /// Levels added to every heading (at most `h6`): a part's intro sits in its part's
    /// `<h3>` section of the course page, so its `##` is an `<h4>` there.
    pub heading_offset: u8,
}

/// The result of rendering.
#[derive(Debug, Default)]
pub struct Rendered {
    slots: [String; SLOTS],
    pub toc: Vec<TocEntry>,
    pub ids: Vec<String>,
    pub anchors: Vec<AnchorRef>,
    pub errors: Vec<Diagnostic>,
}

impl Rendered {
    pub fn slot(&self, slot: Slot) -> &str {
        &self.slots[slot as usize]
    }

    pub fn take_slot(&mut self, slot: Slot) -> String {
        std::mem::take(&mut self.slots[slot as usize])
    }

    pub fn replace_slot(&mut self, slot: Slot, html: String) {
        self.slots[slot as usize] = html;
    }

    /// The HTML of a short value: a single paragraph loses its `<p>` wrapper.
    pub fn into_inline(mut self) -> String {
        let html = self.take_slot(Slot::Theory);
        let trimmed = html.trim_end();
        if let Some(inner) = trimmed
            .strip_prefix("<p>")
            .and_then(|s| s.strip_suffix("</p>"))
            && !inner.contains("<p>")
        {
            return inner.to_string();
        }
        html
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_MATH
        | Options::ENABLE_GFM
}

/// The marker that separates slots in the HTML stream; `\u{1}` never comes from a parser.
const SLOT_MARK: &str = "<!--\u{1}slot";

/// Renders `job.text`, resolving links against `links`. `used_ids` holds the ids already
/// taken on the page (reserved ids, question ids); new heading ids are added to it.
pub fn render(job: &MarkdownJob<'_>, links: &LinkIndex, used_ids: &mut PageIds) -> Rendered {
    let mut state = State {
        job,
        links,
        used_ids,
        out: Rendered::default(),
        slot: Slot::Theory,
        slot_before_footnote: Slot::Theory,
        footnotes: HashMap::new(),
        callouts: Vec::new(),
        lists: Vec::new(),
        table: None,
        last_inline: None,
    };
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut parser = Parser::new_ext(job.text, options()).into_offset_iter();
    while let Some((event, range)) = parser.next() {
        if let Some(table) = &mut state.table {
            table.observe(&event);
        }
        if let Event::Start(tag) = &event
            && !is_inline(tag)
        {
            state.last_inline = None;
        }
        match event {
            Event::Start(heading @ Tag::Heading { .. }) => {
                // Collect the heading's inline events to know its text before writing it.
                let mut inner = Vec::new();
                for (e, r) in parser.by_ref() {
                    if matches!(e, Event::End(TagEnd::Heading(_))) {
                        break;
                    }
                    inner.push((e, r));
                }
                let inner: Vec<Event<'_>> = inner
                    .into_iter()
                    .filter_map(|(e, r)| state.inline(e, r))
                    .collect();
                state.heading(range.start, heading, inner, &mut events);
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let mut code = String::new();
                for (e, _) in parser.by_ref() {
                    match e {
                        Event::End(TagEnd::CodeBlock) => break,
                        Event::Text(t) => code.push_str(&t),
                        _ => {}
                    }
                }
                let lang = match &kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                events.push(Event::Html(code_block(&lang, &code).into()));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                state.slot_before_footnote = state.slot;
                state.switch(Slot::Footnotes, &mut events);
                let (number, id) = state.footnote(&label);
                let mut open = String::from("<div class=\"footnote-definition\" id=\"");
                let _ = escape_html(&mut open, &id);
                open.push_str(&format!(
                    "\"><sup class=\"footnote-definition-label\">{number}</sup>"
                ));
                events.push(Event::Html(open.into()));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                events.push(Event::Html("</div>\n".into()));
                let back = state.slot_before_footnote;
                state.switch(back, &mut events);
            }
            Event::Start(Tag::BlockQuote(kind)) => {
                state.callouts.push(kind.is_some());
                match kind {
                    Some(kind) => events.push(Event::Html(callout_open(kind).into())),
                    None => events.push(Event::Start(Tag::BlockQuote(None))),
                }
            }
            Event::End(TagEnd::BlockQuote(kind)) => {
                if state.callouts.pop().unwrap_or(false) {
                    events.push(Event::Html("</aside>\n".into()));
                } else {
                    events.push(Event::End(TagEnd::BlockQuote(kind)));
                }
            }
            Event::Start(Tag::Table(align)) => {
                // The wrapper is written at the table's end, when its name is known.
                state.table = Some(TableName::at(events.len()));
                events.push(Event::Html("".into()));
                events.push(Event::Start(Tag::Table(align)));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html("</div>\n".into()));
                if let Some(table) = state.table.take() {
                    events[table.open_at] = Event::Html(table.wrapper_open().into());
                }
            }
            Event::Start(Tag::List(first)) => {
                state.lists.push(List::at(events.len(), first.is_some()));
                events.push(Event::Start(Tag::List(first)));
            }
            Event::Start(Tag::Item) => {
                if let Some(list) = state.lists.last_mut() {
                    list.items += 1;
                }
                events.push(Event::Start(Tag::Item));
            }
            Event::TaskListMarker(done) => state.task_marker(done, &mut events),
            Event::End(TagEnd::List(ordered)) => match state.lists.pop() {
                Some(list) if list.steps => events.push(Event::Html("</ol>\n".into())),
                _ => events.push(Event::End(TagEnd::List(ordered))),
            },
            Event::Start(Tag::HtmlBlock) if job.trust_html => {
                // A block's HTML comes a line per event and a tag may span lines: its
                // URLs are found in the whole block.
                let mut block = String::new();
                let mut pieces = Vec::new();
                for (e, r) in parser.by_ref() {
                    match e {
                        Event::End(TagEnd::HtmlBlock) => break,
                        Event::Html(html) => {
                            pieces.push((block.len(), r));
                            block.push_str(&html);
                        }
                        _ => {}
                    }
                }
                let html = state.raw_html(&block, |at| text_offset(&pieces, at));
                events.push(Event::Start(Tag::HtmlBlock));
                events.push(Event::Html(html.into_owned().into()));
                events.push(Event::End(TagEnd::HtmlBlock));
            }
            Event::Html(html) if !job.trust_html => events.push(Event::Text(html)),
            other => {
                if let Some(e) = state.inline(other, range) {
                    events.push(e);
                }
            }
        }
    }
    let mut html = String::with_capacity(job.text.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    let mut out = state.out;
    split_slots(&html, &mut out.slots);
    if !job.split_sections {
        footnotes_close_the_text(&mut out);
    }
    out
}

/// A value or an intro is one block of its page, with no footnotes section of its own:
/// its footnotes close it (they would be lost in a slot no caller reads).
fn footnotes_close_the_text(out: &mut Rendered) {
    let notes = out.take_slot(Slot::Footnotes);
    if !notes.is_empty() {
        let theory = &mut out.slots[Slot::Theory as usize];
        theory.push_str("<section class=\"footnotes\" aria-label=\"Footnotes\">");
        theory.push_str(&notes);
        theory.push_str("</section>\n");
    }
}

/// Whether a tag is inline (inside a line of text) rather than a block.
fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

/// The offset in the text of byte `at` of HTML gathered from `pieces` (each piece's
/// offset in the HTML and its range in the text).
fn text_offset(pieces: &[(usize, Range<usize>)], at: usize) -> usize {
    let i = pieces.partition_point(|(start, _)| *start <= at);
    match i.checked_sub(1).map(|i| &pieces[i]) {
        Some((start, range)) => (range.start + (at - start)).min(range.end),
        None => at,
    }
}

struct State<'j, 'a> {
    job: &'j MarkdownJob<'a>,
    links: &'j LinkIndex,
    used_ids: &'j mut PageIds,
    out: Rendered,
    slot: Slot,
    slot_before_footnote: Slot,
    /// The number and id of each footnote label met so far.
    footnotes: HashMap<String, (usize, String)>,
    /// For each open blockquote: whether it is a GFM alert (rendered as a callout).
    callouts: Vec<bool>,
    /// The open lists, innermost last.
    lists: Vec<List>,
    /// The open table, whose name is being read.
    table: Option<TableName>,
    /// Where the current block's last inline event ends, and whether it is a line break:
    /// display math with text before it on its line is in a sentence.
    last_inline: Option<(usize, bool)>,
}

/// An open list.
struct List {
    /// The index of its start event.
    open_at: usize,
    ordered: bool,
    /// Items started so far.
    items: usize,
    /// Whether it became the code walkthrough's numbered steps.
    steps: bool,
}

impl List {
    fn at(open_at: usize, ordered: bool) -> List {
        List {
            open_at,
            ordered,
            items: 0,
            steps: false,
        }
    }
}

/// The name of a table's scrolling region: "Table: " and its first header cell's text.
struct TableName {
    /// The index of the placeholder event for the wrapper's opening tag.
    open_at: usize,
    cells: usize,
    in_first_cell: bool,
    text: String,
}

impl TableName {
    fn at(open_at: usize) -> TableName {
        TableName {
            open_at,
            cells: 0,
            in_first_cell: false,
            text: String::new(),
        }
    }

    fn observe(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(Tag::TableCell) => self.in_first_cell = self.cells == 0,
            Event::End(TagEnd::TableCell) => {
                self.cells += 1;
                self.in_first_cell = false;
            }
            Event::Text(t) | Event::Code(t) if self.in_first_cell => self.text.push_str(t),
            _ => {}
        }
    }

    /// A table wider than the column scrolls sideways in its wrapper, so the wrapper is
    /// a focusable region with a name, as a code block is.
    fn wrapper_open(&self) -> String {
        let mut html = String::from(
            "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Table",
        );
        let name = self.text.trim();
        if !name.is_empty() {
            html.push_str(": ");
            let _ = escape_html(&mut html, name);
        }
        html.push_str("\">");
        html
    }
}

impl<'a> State<'_, 'a> {
    fn switch(&mut self, slot: Slot, events: &mut Vec<Event<'a>>) {
        if slot != self.slot {
            self.slot = slot;
            events.push(Event::Html(
                format!("{SLOT_MARK}{}-->", slot as usize).into(),
            ));
        }
    }

    /// A task list's box. In the code walkthrough a task list is the numbered steps of
    /// the code (a step is read, not ticked): its list becomes an `<ol>` and the boxes
    /// go. Elsewhere the box is a mark with a name, "done" or "not done" (a disabled
    /// checkbox without a label is a form control that names nothing).
    fn task_marker(&mut self, done: bool, events: &mut Vec<Event<'a>>) {
        let in_walkthrough = self.slot == Slot::Walkthrough;
        if let Some(list) = self.lists.last_mut() {
            if list.steps {
                return;
            }
            if in_walkthrough && !list.ordered && list.items == 1 {
                list.steps = true;
                events[list.open_at] = Event::Html("<ol class=\"steps\">\n".into());
                return;
            }
        }
        events.push(Event::Html(
            if done {
                "<span class=\"task\" role=\"img\" aria-label=\"done\">☑</span> "
            } else {
                "<span class=\"task\" role=\"img\" aria-label=\"not done\">☐</span> "
            }
            .into(),
        ));
    }

    /// Transforms one inline-level event, found at `range` of the text; `None` drops it.
    fn inline(&mut self, mut event: Event<'a>, range: Range<usize>) -> Option<Event<'a>> {
        let at = range.start;
        // An e-mail autolink (`<name@host>`) is written out as `mailto:` by the HTML
        // writer; it is no path to resolve.
        if let Event::Start(Tag::Link {
            link_type: LinkType::Email,
            ..
        }) = &event
        {
            return Some(event);
        }
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &mut event {
            *dest_url = self.resolve(dest_url, at).into();
            return Some(event);
        }
        if matches!(event, Event::Start(_) | Event::End(_)) {
            return Some(event);
        }
        let display = matches!(event, Event::DisplayMath(_)) && self.display_math(&range);
        let is_break = matches!(event, Event::SoftBreak | Event::HardBreak);
        self.last_inline = Some((range.end, is_break));
        match event {
            Event::FootnoteReference(label) => {
                let (number, id) = self.footnote(&label);
                let mut html = String::from("<sup class=\"footnote-reference\"><a href=\"#");
                let _ = escape_href(&mut html, &id);
                html.push_str(&format!("\">{number}</a></sup>"));
                Some(Event::InlineHtml(html.into()))
            }
            Event::InlineMath(latex) => Some(self.math(&latex, false, at)),
            Event::DisplayMath(latex) => Some(self.math(&latex, display, at)),
            Event::InlineHtml(html) if !self.job.trust_html => Some(Event::Text(html)),
            Event::InlineHtml(html) => match self.raw_html(&html, |i| at + i) {
                Cow::Borrowed(_) => Some(Event::InlineHtml(html)),
                Cow::Owned(rewritten) => Some(Event::InlineHtml(rewritten.into())),
            },
            other => Some(other),
        }
    }

    /// Raw HTML with the relative URLs of its tags resolved as Markdown links' are
    /// (checked, and rewritten to the URLs of what they name); everything else of it is
    /// kept byte for byte. `at` maps an offset in `html` to one in the text.
    fn raw_html<'h>(&mut self, html: &'h str, at: impl Fn(usize) -> usize) -> Cow<'h, str> {
        let mut out = String::new();
        let mut copied = 0;
        for range in html_urls::url_ranges(html) {
            let url = html_urls::decode_references(&html[range.clone()]);
            let resolved = self.resolve(&url, at(range.start));
            if resolved == url {
                continue;
            }
            out.push_str(&html[copied..range.start]);
            // Written as a Markdown link's URL is: percent-encoded, so that it needs no
            // quotes, and `&` and `'` as references.
            let _ = escape_href(&mut out, &resolved);
            copied = range.end;
        }
        if copied == 0 {
            return Cow::Borrowed(html);
        }
        out.push_str(&html[copied..]);
        Cow::Owned(out)
    }

    /// Whether display math (`$$...$$`) at `range` is shown as display math. A formula
    /// that shares its line with the sentence around it would break the sentence in two:
    /// with `dollars: gitbook` it is inline math; otherwise it is an error.
    fn display_math(&mut self, range: &Range<usize>) -> bool {
        let text = self.job.text;
        let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
        let before = self
            .last_inline
            .is_some_and(|(end, is_break)| !is_break && end > line_start);
        let line_end = text[range.end..]
            .find('\n')
            .map_or(text.len(), |i| range.end + i);
        let mut after = &text[range.end..line_end];
        if self.table.is_some() {
            // In a table, the formula's line is its cell.
            after = after.split('|').next().unwrap_or_default();
        }
        let after = after.chars().any(|c| !ENDS_A_FORMULAS_LINE.contains(c));
        if !before && !after {
            return true;
        }
        if self.job.math.dollars == Dollars::Standard {
            let d = self
                .job
                .origin
                .diagnostic(
                    range.start,
                    "display math `$$…$$` in the middle of a sentence".to_string(),
                )
                .with_hint(
                    "write `$…$` for inline math, or put the `$$` formula on a line of its \
                     own; a book that writes inline math as `$$…$$` says so in site.yaml: \
                     `math: { dollars: gitbook }`",
                );
            self.out.errors.push(d);
        }
        false
    }

    /// A footnote's number and id. Numbers go in the order labels are first met,
    /// reference or definition (as Markdown renderers number them); ids are claimed on
    /// the page, so that two values' `[^1]` are two footnotes.
    fn footnote(&mut self, label: &str) -> (usize, String) {
        if let Some(known) = self.footnotes.get(label) {
            return known.clone();
        }
        let number = self.footnotes.len() + 1;
        let id = self.used_ids.unique(&footnote_id(label), 1);
        self.footnotes
            .insert(label.to_string(), (number, id.clone()));
        (number, id)
    }

    fn math(&mut self, latex: &str, display: bool, at: usize) -> Event<'a> {
        match self.job.math.to_mathml(latex, display) {
            Ok(mathml) => Event::InlineHtml(mathml.into()),
            Err(reason) => {
                self.out.errors.push(
                    self.job
                        .origin
                        .diagnostic(at, format!("cannot read this math: {reason}"))
                        .with_hint("math is LaTeX between `$...$` (inline) or `$$...$$` (display)"),
                );
                let mut html = String::from("<code class=\"math-error\">");
                let _ = escape_html(&mut html, latex);
                html.push_str("</code>");
                Event::InlineHtml(html.into())
            }
        }
    }

    /// Writes a heading (`Tag::Heading`, its inline events already transformed) that
    /// starts at byte `at` of the text.
    fn heading(
        &mut self,
        at: usize,
        heading: Tag<'a>,
        inner: Vec<Event<'a>>,
        events: &mut Vec<Event<'a>>,
    ) {
        let Tag::Heading {
            level,
            id,
            classes,
            attrs,
        } = heading
        else {
            return;
        };
        let text = plain_text(&inner);
        if self.job.split_sections && level == HeadingLevel::H2 {
            match Slot::for_heading(&slugify(&text)) {
                Some(slot) => {
                    // The page gives this part its own heading; the body's is dropped.
                    self.switch(slot, events);
                    return;
                }
                None => self.switch(Slot::Theory, events),
            }
        }
        let id = match id {
            Some(explicit) => {
                if !self.used_ids.claim(&explicit) {
                    self.duplicate_id(&explicit, at);
                }
                explicit.to_string()
            }
            None => {
                let base = slugify(&text);
                let base = if base.is_empty() { "section" } else { &base };
                self.used_ids.unique(base, 1)
            }
        };
        self.out.ids.push(id.clone());
        let level_num = (level as u8 + self.job.heading_offset).min(6);
        if self.job.split_sections && (level == HeadingLevel::H2 || level == HeadingLevel::H3) {
            self.out.toc.push(TocEntry {
                id: id.clone(),
                title: text.clone(),
                level: level_num,
            });
        }
        let mut open = format!("<h{level_num} id=\"");
        let _ = escape_html(&mut open, &id);
        open.push('"');
        if !classes.is_empty() {
            open.push_str(" class=\"");
            let _ = escape_html(&mut open, &classes.join(" "));
            open.push('"');
        }
        // Front-matter is data: its headings keep their id and classes, nothing else
        // (`{onfocus=...}` would be script). `check` warns about what is dropped.
        let attrs = if self.job.trust_html { &attrs[..] } else { &[] };
        for (name, value) in attrs {
            open.push(' ');
            let _ = escape_html(&mut open, name);
            if let Some(value) = value {
                open.push_str("=\"");
                let _ = escape_html(&mut open, value);
                open.push('"');
            }
        }
        open.push('>');
        events.push(Event::Html(open.into()));
        events.extend(inner);
        let mut close = String::from("<a class=\"anchor\" href=\"#");
        let _ = escape_href(&mut close, &id);
        close.push_str("\" aria-label=\"Link to this section: ");
        let _ = escape_html(&mut close, &text);
        close.push_str(&format!("\">#</a></h{level_num}>\n"));
        events.push(Event::Html(close.into()));
    }

    /// Rewrites a link destination: lesson files become page URLs, course files become
    /// asset URLs; both are checked. External links are kept (or neutralised if unsafe).
    fn resolve(&mut self, dest: &str, at: usize) -> String {
        if dest.is_empty() {
            return String::new();
        }
        if let Some(anchor) = dest.strip_prefix('#') {
            self.check_anchor(self.job.page, anchor, dest, at);
            return dest.to_string();
        }
        if let Some(scheme) = url_scheme(dest) {
            let dangerous = matches!(scheme.as_str(), "javascript" | "vbscript" | "data");
            return if dangerous && !self.job.trust_html {
                "#".to_string()
            } else {
                dest.to_string()
            };
        }
        if dest.starts_with('/') {
            return dest.to_string();
        }
        let (path, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let path = path.split('?').next().unwrap_or(path);
        // A link may spell a file name percent-encoded (`do%E2%80%99s.md`, as editors and
        // converted books write it): the file is looked up by its decoded name.
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8();
        let path = decoded.as_deref().unwrap_or(path);
        let Some(key) = join_content_path(self.job.course, path) else {
            self.error(at, format!("the link `{dest}` leads outside content/"));
            return dest.to_string();
        };
        match self.links.targets.get(&key) {
            Some(target) => {
                let url = target.url.clone();
                match fragment {
                    Some(anchor) if !anchor.is_empty() => {
                        if let Some(page) = &target.page {
                            self.check_anchor(page, anchor, dest, at);
                        }
                        // The link's own fragment replaces the target's (a part's section).
                        let page_url = url.split_once('#').map_or(url.as_str(), |(u, _)| u);
                        format!("{page_url}#{anchor}")
                    }
                    _ => url,
                }
            }
            None => {
                let what = if key.ends_with(".md") {
                    "lesson"
                } else {
                    "file"
                };
                self.error(
                    at,
                    format!("broken link `{dest}`: there is no {what} content/{key}"),
                );
                dest.to_string()
            }
        }
    }

    /// An explicit `{#id}` that the page already has: links to it would go to the first.
    fn duplicate_id(&mut self, id: &str, at: usize) {
        let (message, hint) = if RESERVED_IDS.contains(&id) {
            (
                format!("the heading id `{id}` is the id of a part of the lesson page"),
                "choose another id; the page's parts use: ".to_string() + &RESERVED_IDS.join(", "),
            )
        } else {
            (
                format!("the heading id `{id}` is used twice on this page"),
                "give each heading its own `{#id}`: links to the id would go to the first one"
                    .to_string(),
            )
        };
        let d = self.job.origin.diagnostic(at, message).with_hint(hint);
        self.out.errors.push(d);
    }

    fn check_anchor(&mut self, page: &str, anchor: &str, dest: &str, at: usize) {
        if anchor.is_empty() {
            return;
        }
        let missing = self.job.origin.diagnostic(
            at,
            format!("broken anchor in link `{dest}`: content/{page} has no heading or part with id `{anchor}`"),
        );
        self.out.anchors.push(AnchorRef {
            page: page.to_string(),
            anchor: anchor.to_string(),
            missing,
        });
    }

    fn error(&mut self, at: usize, message: String) {
        let d = self.job.origin.diagnostic(at, message).with_hint(
            "link other lessons by their file, relative to this one: `[text](006-layers.md#id)`",
        );
        self.out.errors.push(d);
    }
}

impl std::fmt::Debug for Origin<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Origin({})", self.file().path.display())
    }
}

/// The lowercase scheme of an absolute URL (`https`, `mailto`), if `dest` has one.
fn url_scheme(dest: &str) -> Option<String> {
    if dest.starts_with("//") {
        return Some(String::new());
    }
    let colon = dest.find(':')?;
    let scheme = &dest[..colon];
    let valid = !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.');
    valid.then(|| scheme.trim().to_ascii_lowercase())
}

/// Joins a relative link to the folder it is written in (`course` or `course/part`), as
/// a content path (`machine-learning/006-layers.md`); `None` if it climbs out of
/// `content/`.
fn join_content_path(course: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = course.split('/').filter(|s| !s.is_empty()).collect();
    for segment in relative.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(parts.join("/"))
}

/// What may follow display math on its line without making it part of a sentence:
/// closing punctuation, the end of emphasis, a hard break's backslash, whitespace.
const ENDS_A_FORMULAS_LINE: &str = " \t\r.,;:!?)]'\"’”*_~\\";

fn plain_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::InlineMath(t) => text.push_str(t),
            _ => {}
        }
    }
    text.trim().to_string()
}

/// What opens a highlighted block's code: everything up to [`CODE_CLOSE`] is the code,
/// as escaped text inside the highlighter's `<span>`s.
pub const CODE_OPEN: &str = "<code class=\"hl-code\">";
pub const CODE_CLOSE: &str = "</code></pre>";

/// A code block. Its `<pre>` scrolls sideways when a line is long, so it is a focusable
/// region with a name: keyboard users can scroll it and screen readers can find it.
fn code_block(lang: &str, code: &str) -> String {
    let highlighted = highlight::highlight(lang, code);
    let mut html = String::with_capacity(highlighted.html.len() + 128);
    html.push_str("<div class=\"code-block\"");
    if !lang.is_empty() {
        html.push_str(" data-lang=\"");
        let _ = escape_html(&mut html, lang);
        html.push('"');
    }
    html.push_str("><pre tabindex=\"0\" role=\"region\" aria-label=\"Code");
    if !lang.is_empty() {
        html.push_str(": ");
        let _ = escape_html(&mut html, lang);
    }
    html.push_str("\">");
    html.push_str(CODE_OPEN);
    html.push_str(&highlighted.html);
    html.push_str(CODE_CLOSE);
    html.push_str("</div>\n");
    html
}

fn callout_open(kind: BlockQuoteKind) -> String {
    let (class, label) = match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    };
    format!(
        "<aside class=\"callout callout-{class}\" role=\"note\" aria-label=\"{label}\">\
         <p class=\"callout-title\">{label}</p>\n"
    )
}

fn split_slots(html: &str, slots: &mut [String; SLOTS]) {
    let mut current = 0;
    let mut rest = html;
    while let Some(i) = rest.find(SLOT_MARK) {
        let after = &rest[i + SLOT_MARK.len()..];
        let Some(end) = after.find("-->") else { break };
        slots[current].push_str(&rest[..i]);
        current = after[..end].parse().unwrap_or(0).min(SLOTS - 1);
        rest = &after[end + 3..];
    }
    slots[current].push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::source::{FrontMatter, split};
    use std::path::Path;

    fn render_body(body: &str, links: &LinkIndex) -> Rendered {
        let text = format!("---\ntitle: T\n---\n{body}");
        let file = split(text, Path::new("content/c/001-a.md"), FrontMatter::Required).unwrap();
        let job = MarkdownJob {
            text: file.body(),
            origin: Origin::Body {
                file: &file,
                offset: file.body_start,
            },
            page: "c/001-a.md",
            course: "c",
            trust_html: true,
            split_sections: true,
            math: math::MathSettings::default(),
            heading_offset: 0,
        };
        let mut ids = PageIds::with_reserved(RESERVED_IDS.iter().copied());
        render(&job, links, &mut ids)
    }

    #[test]
    fn headings_get_unique_ids_anchor_links_and_toc_entries() {
        let r = render_body(
            "## Core Theory\n\n### Detail\n\n## Core Theory\n",
            &LinkIndex::default(),
        );
        let html = r.slot(Slot::Theory);
        assert!(
            html.contains(
                "<h2 id=\"core-theory\">Core Theory<a class=\"anchor\" href=\"#core-theory\""
            ),
            "{html}"
        );
        assert!(html.contains("id=\"core-theory-1\""), "{html}");
        let toc: Vec<_> = r.toc.iter().map(|t| (t.id.as_str(), t.level)).collect();
        assert_eq!(
            toc,
            [("core-theory", 2), ("detail", 3), ("core-theory-1", 2)]
        );
    }

    #[test]
    fn footnotes_have_ids_of_their_own_and_numbers_in_order() {
        let r = render_body(
            "## 4\n\nSee [^toc], [^4] and [^my note] and [^toc] again.\n\n\
             [^4]: Four.\n[^toc]: Contents.\n[^my note]: Mine.\n",
            &LinkIndex::default(),
        );
        let text = r.slot(Slot::Theory);
        let notes = r.slot(Slot::Footnotes);
        // The heading keeps its id; the footnotes' ids cannot take it, nor the table of
        // contents' `toc`.
        assert!(text.contains("<h2 id=\"4\">"), "{text}");
        assert_eq!(
            text.matches("<sup class=\"footnote-reference\"><a href=\"#fn-toc\">1</a></sup>")
                .count(),
            2,
            "{text}"
        );
        assert!(text.contains("<a href=\"#fn-4\">2</a>"), "{text}");
        assert!(text.contains("<a href=\"#fn-my-note\">3</a>"), "{text}");
        for (id, n, words) in [
            ("fn-toc", 1, "Contents."),
            ("fn-4", 2, "Four."),
            ("fn-my-note", 3, "Mine."),
        ] {
            let open = format!(
                "<div class=\"footnote-definition\" id=\"{id}\"><sup class=\"footnote-definition-label\">{n}</sup>"
            );
            let at = notes
                .find(&open)
                .unwrap_or_else(|| panic!("{open} in {notes}"));
            assert!(notes[at..].contains(words), "{notes}");
        }
        assert!(
            !notes.contains("id=\"toc\"") && !notes.contains("id=\"4\""),
            "{notes}"
        );
    }

    #[test]
    fn recognised_sections_move_to_their_slots() {
        let r = render_body(
            "## Core Theory\n\ntheory\n\n## Code Walkthrough\n\nwalk\n\n## Deepening\n\ndeep\n",
            &LinkIndex::default(),
        );
        assert!(r.slot(Slot::Theory).contains("theory") && r.slot(Slot::Theory).contains("deep"));
        assert!(r.slot(Slot::Walkthrough).contains("walk"));
        assert!(!r.slot(Slot::Walkthrough).contains("<h2"));
    }

    #[test]
    fn gfm_alerts_become_callouts() {
        let r = render_body("> [!WARNING]\n> Careful.\n", &LinkIndex::default());
        let html = r.slot(Slot::Theory);
        assert!(
            html.contains("<aside class=\"callout callout-warning\""),
            "{html}"
        );
        assert!(html.contains("Careful."), "{html}");
        assert!(!html.contains("<blockquote"), "{html}");
    }

    #[test]
    fn lesson_links_resolve_and_broken_ones_are_errors_with_a_line() {
        let mut links = LinkIndex::default();
        links.targets.insert(
            "c/002-b.md".into(),
            LinkTarget {
                url: "/c/b/".into(),
                page: Some("c/002-b.md".into()),
            },
        );
        let r = render_body("See [b](002-b.md#x) and\n[gone](009-z.md).\n", &links);
        assert!(r.slot(Slot::Theory).contains("href=\"/c/b/#x\""));
        assert_eq!(r.anchors.len(), 1);
        assert_eq!(r.anchors[0].page, "c/002-b.md");
        assert_eq!(r.errors.len(), 1);
        let e = &r.errors[0];
        assert!(e.message.contains("broken link `009-z.md`"), "{e}");
        assert_eq!(e.location.unwrap().line, 5);
    }

    #[test]
    fn math_becomes_mathml_and_code_is_highlighted() {
        let r = render_body(
            "$x^2$\n\n```rust\nfn main() {}\n```\n",
            &LinkIndex::default(),
        );
        let html = r.slot(Slot::Theory);
        assert!(html.contains("<math"), "{html}");
        assert!(
            html.contains("data-lang=\"rust\"") && html.contains("hl-"),
            "{html}"
        );
    }

    #[test]
    fn the_walkthroughs_task_list_is_numbered_steps_and_other_task_lists_have_named_marks() {
        let r = render_body(
            "## Core Theory\n\n- [x] a\n- [ ] b\n\n## Code Walkthrough\n\n- [ ] one\n- [x] two\n  - [ ] inner\n\n1. [ ] ordered\n\n- plain\n",
            &LinkIndex::default(),
        );
        let theory = r.slot(Slot::Theory);
        assert!(
            theory.ends_with(
                "<ul>\n<li><span class=\"task\" role=\"img\" aria-label=\"done\">☑</span> a</li>\n\
             <li><span class=\"task\" role=\"img\" aria-label=\"not done\">☐</span> b</li>\n</ul>\n"
            ),
            "{theory}"
        );
        let walkthrough = r.slot(Slot::Walkthrough);
        assert!(
            walkthrough.starts_with(
                "<ol class=\"steps\">\n<li>one</li>\n<li>two<ol class=\"steps\">\n<li>inner</li>\n</ol>\n</li>\n</ol>\n"
            ),
            "{walkthrough}"
        );
        // An ordered list keeps its own numbers; a plain list stays a list.
        assert!(
            walkthrough.contains("aria-label=\"not done\">☐</span> ordered"),
            "{walkthrough}"
        );
        assert!(
            walkthrough.ends_with("<ul>\n<li>plain</li>\n</ul>\n"),
            "{walkthrough}"
        );
    }

    #[test]
    fn code_blocks_and_tables_are_named_focusable_regions() {
        let r = render_body(
            "```python\nx = 1\n```\n\n    indented\n\n| `a` & \"b\" | c |\n|---|---|\n| 1 | 2 |\n\n| | c |\n|---|---|\n",
            &LinkIndex::default(),
        );
        let html = r.slot(Slot::Theory);
        assert!(
            html.contains(
                "<div class=\"code-block\" data-lang=\"python\"><pre tabindex=\"0\" role=\"region\" aria-label=\"Code: python\"><code class=\"hl-code\">"
            ),
            "{html}"
        );
        assert!(
            html.contains("<div class=\"code-block\"><pre tabindex=\"0\" role=\"region\" aria-label=\"Code\"><code class=\"hl-code\">indented\n</code></pre></div>"),
            "{html}"
        );
        assert!(
            html.contains("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Table: a &amp; &quot;b&quot;\"><table>"),
            "{html}"
        );
        assert!(
            html.contains("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Table\"><table>"),
            "{html}"
        );
        assert!(CODE_OPEN.contains(highlight::CODE_CLASS));
    }

    #[test]
    fn email_autolinks_are_mailto_not_paths() {
        let r = render_body(
            "Write to <header/@file> or <a@b.org>.\n",
            &LinkIndex::default(),
        );
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        let html = r.slot(Slot::Theory);
        assert!(html.contains("href=\"mailto:a@b.org\""), "{html}");
        assert!(html.contains("href=\"mailto:header/@file\""), "{html}");
    }

    #[test]
    fn a_link_into_a_parts_section_has_one_fragment_checked_on_the_course_page() {
        let mut links = LinkIndex::default();
        links.targets.insert(
            "c/010-p/_part.md".into(),
            LinkTarget {
                url: "/c/#part-p".into(),
                page: Some("c/_course.md".into()),
            },
        );
        let r = render_body(
            "[part](010-p/_part.md) and [its heading](010-p/_part.md#h)\n",
            &links,
        );
        let html = r.slot(Slot::Theory);
        assert!(html.contains("href=\"/c/#part-p\""), "{html}");
        assert!(html.contains("href=\"/c/#h\""), "{html}");
        assert_eq!(r.anchors.len(), 1);
        assert_eq!(r.anchors[0].page, "c/_course.md");
        assert_eq!(r.anchors[0].anchor, "h");
    }

    fn links_with(targets: &[(&str, &str, bool)]) -> LinkIndex {
        let mut links = LinkIndex::default();
        for &(path, url, is_page) in targets {
            links.targets.insert(
                path.into(),
                LinkTarget {
                    url: url.into(),
                    page: is_page.then(|| path.to_string()),
                },
            );
        }
        links
    }

    /// `(line, column)` of each error, with its message.
    fn error_places(r: &Rendered) -> Vec<(usize, usize, String)> {
        r.errors
            .iter()
            .map(|e| {
                let at = e.location.unwrap();
                (at.line, at.column, e.message.clone())
            })
            .collect()
    }

    #[test]
    fn raw_html_urls_resolve_as_markdown_links_do() {
        let links = links_with(&[
            ("c/images/x y.png", "/c/images/x y.png", false),
            ("c/images/x@2x.png", "/c/images/x@2x.png", false),
            ("c/002-b.md", "/c/b/", true),
        ]);
        let r = render_body(
            "<figure>\n<img alt=\"x\"\n     src=\"images/x%20y.png\" srcset='images/x@2x.png 2x, https://e.org/a.png 3x'>\n\
             <!-- <img src=\"gone.png\"> -->\n</figure>\n\n\
             Text <a href=\"002-b.md#part\" class=k>b</a> and <a href=\"https://e.org/?a=1&amp;b=2\">e</a>.\n",
            &links,
        );
        let html = r.slot(Slot::Theory);
        assert!(
            html.contains(
                "<figure>\n<img alt=\"x\"\n     src=\"/c/images/x%20y.png\" \
                 srcset='/c/images/x@2x.png 2x, https://e.org/a.png 3x'>\n\
                 <!-- <img src=\"gone.png\"> -->\n</figure>\n"
            ),
            "{html}"
        );
        assert!(
            html.contains(
                "Text <a href=\"/c/b/#part\" class=k>b</a> and <a href=\"https://e.org/?a=1&amp;b=2\">e</a>."
            ),
            "{html}"
        );
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(r.anchors.len(), 1);
        assert_eq!(r.anchors[0].anchor, "part");
    }

    #[test]
    fn broken_raw_html_urls_are_errors_at_their_value() {
        // The body starts on line 4 of the file (after the front-matter).
        let r = render_body(
            "Text <img src=\"a.png\">.\n\n<div>\n  <video\n    poster='p&amp;q.png'></video>\n</div>\n\n\
             > <img src=\"in/quote.png\">\n",
            &LinkIndex::default(),
        );
        let places = error_places(&r);
        assert_eq!(places.len(), 3, "{places:?}");
        assert_eq!((places[0].0, places[0].1), (4, 16));
        assert!(
            places[0].2.contains("no file content/c/a.png"),
            "{}",
            places[0].2
        );
        assert_eq!((places[1].0, places[1].1), (8, 13));
        assert!(places[1].2.contains("content/c/p&q.png"), "{}", places[1].2);
        assert_eq!((places[2].0, places[2].1), (11, 13));
        // Unresolved, the HTML is kept as written.
        assert!(r.slot(Slot::Theory).contains("poster='p&amp;q.png'"));
    }

    /// A job for a front-matter value of `c/a.md` (its HTML shown as text).
    fn value_job<'a>(file: &'a SourceFile, path: &'a [&'a str], text: &'a str) -> MarkdownJob<'a> {
        MarkdownJob {
            text,
            origin: Origin::Field { file, path },
            page: "c/a.md",
            course: "c",
            trust_html: false,
            split_sections: false,
            math: math::MathSettings::default(),
            heading_offset: 0,
        }
    }

    #[test]
    fn raw_html_in_values_stays_text_and_is_not_checked() {
        let text = "---\ntitle: T\n---\n".to_string();
        let file = split(text, Path::new("a.md"), FrontMatter::Required).unwrap();
        let job = value_job(
            &file,
            &["notes", "0", "text"],
            "<img src=\"gone.png\">\n\n<div><a href=\"x.md\">x</a></div>\n",
        );
        let r = render(&job, &LinkIndex::default(), &mut PageIds::default());
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert!(
            r.slot(Slot::Theory)
                .contains("&lt;img src=\"gone.png\"&gt;")
        );
    }

    #[test]
    fn links_resolve_against_a_part_folder() {
        assert_eq!(
            join_content_path("c/010-part", "002-b.md").as_deref(),
            Some("c/010-part/002-b.md")
        );
        assert_eq!(
            join_content_path("c/010-part", "../020-more/001-x.md").as_deref(),
            Some("c/020-more/001-x.md")
        );
        assert_eq!(
            join_content_path("c/010-part", "../../d/001-a.md").as_deref(),
            Some("d/001-a.md")
        );
        assert_eq!(
            join_content_path("c/010-part", "./images/../images/x.png").as_deref(),
            Some("c/010-part/images/x.png")
        );
        assert_eq!(join_content_path("c/010-part", "../../../x.md"), None);
        assert_eq!(join_content_path("c", "../../x.md"), None);
        assert_eq!(
            join_content_path("c", "002-b.md").as_deref(),
            Some("c/002-b.md")
        );
    }

    fn render_math(body: &str, dollars: Dollars) -> Rendered {
        let text = format!("---\ntitle: T\n---\n{body}");
        let file = split(text, Path::new("content/c/001-a.md"), FrontMatter::Required).unwrap();
        let job = MarkdownJob {
            text: file.body(),
            origin: Origin::Body {
                file: &file,
                offset: file.body_start,
            },
            page: "c/001-a.md",
            course: "c",
            trust_html: true,
            split_sections: true,
            math: math::MathSettings::new(&crate::config::MathConfig {
                dollars,
                ..Default::default()
            }),
            heading_offset: 0,
        };
        render(&job, &LinkIndex::default(), &mut PageIds::default())
    }

    #[test]
    fn display_math_in_the_middle_of_a_sentence_is_an_error_in_standard_mode() {
        let r = render_math(
            "The loss $$L = x^2$$ grows.\n\n$$a$$ is first.\n\nA list:\n- b $$c$$\n",
            Dollars::Standard,
        );
        let places = error_places(&r);
        assert_eq!(
            places.iter().map(|p| (p.0, p.1)).collect::<Vec<_>>(),
            [(4, 10), (6, 1), (9, 5)],
            "{places:?}"
        );
        assert!(places[0].2.contains("in the middle of a sentence"));
        assert!(
            r.errors[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("dollars: gitbook")
        );
    }

    #[test]
    fn display_math_alone_on_its_line_is_display_math() {
        for body in [
            "$$x$$\n",
            "Before,\r\n$$x$$,\r\nafter.\r\n",
            "Text before\n$$x$$\nand after.\n",
            "So:\n$$x$$.\n",
            "A formula\n$$\na \\\\ b\n$$\nover lines.\n",
            "> Quoted\n> $$x$$\n",
            "- $$x$$\n- *$$y$$*,\n",
            "| a | b |\n|---|---|\n| $$x$$ | y |\n",
        ] {
            for dollars in [Dollars::Standard, Dollars::Gitbook] {
                let r = render_math(body, dollars);
                assert!(r.errors.is_empty(), "{body:?}: {:?}", r.errors);
                let html = r.slot(Slot::Theory);
                assert!(html.contains("display=\"block\""), "{body:?}: {html}");
                assert!(!html.contains("<math>"), "{body:?}: {html}");
            }
        }
    }

    #[test]
    fn gitbook_dollars_in_a_sentence_are_inline_math() {
        let r = render_math(
            "The loss $$L$$ grows, $$a$$\nand\n\n$$b$$ too.\n",
            Dollars::Gitbook,
        );
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        let html = r.slot(Slot::Theory);
        assert_eq!(html.matches("<math").count(), 3, "{html}");
        assert!(!html.contains("display=\"block\""), "{html}");
    }

    #[test]
    fn values_keep_their_footnotes_with_ids_unique_on_the_page() {
        let text = "---\ntitle: T\n---\n".to_string();
        let file = split(text, Path::new("a.md"), FrontMatter::Required).unwrap();
        let mut ids = PageIds::with_reserved(RESERVED_IDS.iter().copied());
        let mut value = |text: &str| {
            let job = value_job(&file, &["questions", "0", "answer"], text);
            render(&job, &LinkIndex::default(), &mut ids)
        };
        let first = value("One[^1].\n\n[^1]: First note.\n");
        let second = value("Two[^1].\n\n[^1]: Second note.\n");
        let (first, second) = (first.slot(Slot::Theory), second.slot(Slot::Theory));
        assert!(first.contains("<a href=\"#fn-1\">1</a>"), "{first}");
        assert!(
            first.contains(
                "<section class=\"footnotes\" aria-label=\"Footnotes\"><div class=\"footnote-definition\" id=\"fn-1\">"
            ),
            "{first}"
        );
        assert!(first.contains("First note."), "{first}");
        assert!(second.contains("<a href=\"#fn-1-1\">1</a>"), "{second}");
        assert!(
            second.contains("<div class=\"footnote-definition\" id=\"fn-1-1\">"),
            "{second}"
        );
        assert!(second.contains("Second note."), "{second}");
    }

    #[test]
    fn footnote_ids_never_take_a_headings_id() {
        let r = render_body(
            "## Fn 1\n\nA note[^1].\n\n[^1]: Note.\n",
            &LinkIndex::default(),
        );
        assert!(r.slot(Slot::Theory).contains("<h2 id=\"fn-1\">"));
        assert!(r.slot(Slot::Theory).contains("href=\"#fn-1-1\""));
        assert!(r.slot(Slot::Footnotes).contains("id=\"fn-1-1\""));
    }

    #[test]
    fn untrusted_text_shows_html_as_text_and_drops_javascript_urls() {
        let text = "---\ntitle: T\n---\n".to_string();
        let file = split(text, Path::new("a.md"), FrontMatter::Required).unwrap();
        let job = value_job(
            &file,
            &["notes", "0", "text"],
            "<script>x</script>\n\nSee [a](javascript:alert(1)) <img src=x onerror=alert(1)>",
        );
        let html = render(&job, &LinkIndex::default(), &mut PageIds::default()).into_inline();
        assert!(
            !html.contains("<script") && !html.contains("<img"),
            "{html}"
        );
        assert!(html.contains("href=\"#\""), "{html}");
    }
}
