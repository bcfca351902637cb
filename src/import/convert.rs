//! A page's Markdown made conceptlab's: math delimiters, literal dollars, the title
//! heading, heading anchors, and every relative URL (Markdown links, images, reference
//! definitions and raw HTML `src`/`href`/`poster`).
//!
//! Every change is an edit of the page's own text at a place pulldown-cmark found, so
//! what is not converted stays exactly as the author wrote it.
//!
//! Owns: the text of a page. Never does: decide where a URL leads (a [`Resolver`] does).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use crate::render::markdown::RESERVED_IDS;
use crate::slug::{PageIds, slugify};

/// The Markdown extensions conceptlab reads, with or without `$` math.
fn options(math: bool) -> Options {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
    if math {
        options |= Options::ENABLE_MATH;
    }
    options
}

/// Replacements of byte ranges of one text, applied together.
#[derive(Default)]
struct Edits(Vec<(Range<usize>, String)>);

impl Edits {
    fn replace(&mut self, range: Range<usize>, with: impl Into<String>) {
        self.0.push((range, with.into()));
    }

    /// The text with every edit made; an edit that overlaps an earlier one is skipped.
    fn apply(mut self, text: &str) -> String {
        self.0.sort_by_key(|(range, _)| (range.start, range.end));
        let mut out = String::with_capacity(text.len() + 64);
        let mut at = 0;
        for (range, with) in self.0 {
            if range.start < at {
                continue;
            }
            out.push_str(&text[at..range.start]);
            out.push_str(&with);
            at = range.end;
        }
        out.push_str(&text[at..]);
        out
    }
}

/// How the source book writes math.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MathStyle {
    /// mdBook without MathJax: there is no math, a `$` is a dollar.
    None,
    /// mdBook with MathJax: `\\( \\)` inline, `\\[ \\]` and `$$ $$` display, all read
    /// by MathJax after Markdown (so their backslashes are Markdown-escaped).
    MathJax,
    /// mdBook with MathJax configured (by the book's theme) to read `$...$` inline too.
    MathJaxDollars,
    /// GitBook: `$$...$$` only; inline in a sentence, display alone on its line.
    GitBook,
    /// mdBook with the KaTeX preprocessor: `$...$` and `$$...$$`, read before Markdown;
    /// conceptlab's own convention but for a display formula in a sentence.
    Katex,
}

/// What the math pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MathCount {
    /// Formulas found.
    pub formulas: usize,
    /// Formulas whose delimiters were changed.
    pub converted: usize,
    /// Dollar signs escaped so that they stay dollars.
    pub dollars: usize,
}

/// Rewrites the page's math into `$...$` and `$$...$$`, and escapes the dollar signs
/// that are not math. Code, code blocks and raw HTML are left alone.
pub fn math(text: &str, style: MathStyle) -> (String, MathCount) {
    match style {
        MathStyle::GitBook => gitbook_math(text),
        MathStyle::Katex => katex_math(text),
        MathStyle::None => mdbook_math(text, false, false),
        MathStyle::MathJax => mdbook_math(text, true, false),
        MathStyle::MathJaxDollars => mdbook_math(text, true, true),
    }
}

/// The ranges a pass leaves alone (code, code blocks, raw HTML) and the ranges of
/// plain text, in order.
fn masks(text: &str, math: bool) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let mut skip = Vec::new();
    let mut prose = Vec::new();
    let mut in_code_block = false;
    for (event, range) in Parser::new_ext(text, options(math)).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                in_code_block = true;
                skip.push(range);
            }
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Code(_) | Event::Html(_) | Event::InlineHtml(_) => skip.push(range),
            Event::Text(_) if !in_code_block => prose.push(range),
            _ => {}
        }
    }
    (skip, prose)
}

fn inside(ranges: &[Range<usize>], at: usize) -> Option<&Range<usize>> {
    let index = ranges.partition_point(|r| r.end <= at);
    ranges.get(index).filter(|r| r.start <= at)
}

/// Whether the byte at `at` is escaped by an odd run of backslashes before it.
fn escaped(text: &str, at: usize) -> bool {
    text.as_bytes()[..at]
        .iter()
        .rev()
        .take_while(|b| **b == b'\\')
        .count()
        % 2
        == 1
}

/// Whether a line that follows a paragraph's line ends the paragraph: a blank line, or
/// one that starts a list item, a heading, a quote, a table row or a fence. MathJax pairs
/// dollars in the HTML, so never across such a line.
fn starts_a_block(line: &str) -> bool {
    let line = line.trim_start_matches([' ', '\t', '\r']);
    let ordered = line.trim_start_matches(|c: char| c.is_ascii_digit());
    line.starts_with('\n')
        || line.is_empty()
        || ["- ", "* ", "+ ", "#", ">", "|", "```", "~~~"]
            .iter()
            .any(|m| line.starts_with(m))
        || (ordered.len() < line.len() && (ordered.starts_with(". ") || ordered.starts_with(") ")))
}

/// The end of an inline `$...$` formula that opens at `at`, as MathJax finds it: the
/// next unescaped single `$` in the same paragraph, outside code.
fn dollar_close(text: &str, at: usize, skip: &[Range<usize>]) -> Option<usize> {
    let mut i = at + 1;
    while i < text.len() {
        let rest = &text[i..];
        if inside(skip, i).is_some_and(|code| code.start > at) {
            return None;
        }
        if rest.starts_with('\n') && starts_a_block(&text[i + 1..]) {
            return None;
        }
        if rest.starts_with('$') && !escaped(text, i) {
            if rest.starts_with("$$") || i == at + 1 {
                return None;
            }
            return Some(i);
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    None
}

fn mdbook_math(text: &str, mathjax: bool, dollars: bool) -> (String, MathCount) {
    let (skip, prose) = masks(text, false);
    let mut count = MathCount::default();
    let mut edits = Edits::default();
    let mut at = 0;
    while at < text.len() {
        if let Some(code) = inside(&skip, at) {
            at = code.end;
            continue;
        }
        let rest = &text[at..];
        let delimiters = if !mathjax {
            None
        } else if rest.starts_with("\\\\(") {
            Some(("\\\\)", false))
        } else if rest.starts_with("\\\\[") {
            Some(("\\\\]", true))
        } else if rest.starts_with("$$") && !escaped(text, at) {
            Some(("$$", true))
        } else {
            None
        };
        if let Some((close, display)) = delimiters {
            let open_len = if close == "$$" { 2 } else { 3 };
            let start = at + open_len;
            let end = text[start..]
                .find(close)
                .map(|i| start + i)
                .filter(|end| inside(&skip, *end).is_none());
            if let Some(end) = end {
                let latex = unescape_markdown(&text[start..end]);
                let range = at..end + close.len();
                edits.replace(range.clone(), delimit(text, range, latex.trim(), display));
                count.formulas += 1;
                count.converted += usize::from(close != "$$" || !alone_on_line(text, at..end + 2));
                at = end + close.len();
                continue;
            }
        }
        if dollars
            && rest.starts_with('$')
            && inside(&prose, at).is_some()
            && !escaped(text, at)
            && let Some(end) = dollar_close(text, at, &skip)
        {
            let latex = unescape_markdown(&text[at + 1..end]);
            if latex.trim().is_empty() {
                // `$ $` is no formula (and `$$` would be a display one): two dollars.
                edits.replace(at..at + 1, "\\$");
                edits.replace(end..end + 1, "\\$");
                count.dollars += 2;
                at = end + 1;
                continue;
            }
            let written = format!("${}$", latex.trim());
            count.formulas += 1;
            if written != text[at..=end] {
                edits.replace(at..end + 1, written);
                count.converted += 1;
            }
            at = end + 1;
            continue;
        }
        let c = rest.chars().next().expect("not at the end");
        if c == '$' && inside(&prose, at).is_some() && !escaped(text, at) {
            edits.replace(at..at + 1, "\\$");
            count.dollars += 1;
        }
        at += c.len_utf8();
    }
    (edits.apply(text), count)
}

/// KaTeX's dollars are conceptlab's; only a display formula in a sentence moves to
/// lines of its own.
fn katex_math(text: &str) -> (String, MathCount) {
    let mut count = MathCount::default();
    let mut edits = Edits::default();
    for (event, range) in Parser::new_ext(text, options(true)).into_offset_iter() {
        match event {
            Event::InlineMath(_) => count.formulas += 1,
            Event::DisplayMath(latex) => {
                count.formulas += 1;
                if !alone_on_line(text, range.clone()) {
                    edits.replace(range.clone(), delimit(text, range, latex.trim(), true));
                    count.converted += 1;
                }
            }
            _ => {}
        }
    }
    (edits.apply(text), count)
}

/// What MathJax saw of a formula that Markdown read first: backslash escapes of ASCII
/// punctuation undone (`\\\\` is one `\\`, `\_` is `_`).
fn unescape_markdown(latex: &str) -> String {
    let mut out = String::with_capacity(latex.len());
    let mut chars = latex.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(next) = chars.peek().copied()
            && next.is_ascii_punctuation()
        {
            out.push(next);
            chars.next();
            continue;
        }
        out.push(c);
    }
    out
}

/// Whether `range` of `text` has nothing but whitespace, quote or list markers before
/// it on its first line and nothing after it on its last.
fn alone_on_line(text: &str, range: Range<usize>) -> bool {
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[range.end..]
        .find('\n')
        .map_or(text.len(), |i| range.end + i);
    let before =
        text[line_start..range.start].trim_matches(|c: char| c.is_whitespace() || c == '>');
    let marker = before.is_empty()
        || matches!(before, "-" | "*" | "+")
        || (before.ends_with(['.', ')'])
            && before[..before.len() - 1]
                .chars()
                .all(|c| c.is_ascii_digit()));
    marker && text[range.end..line_end].trim().is_empty()
}

/// A formula in conceptlab's delimiters. A display formula in the middle of a line gets
/// lines of its own, which is where a display formula is shown anyway.
fn delimit(text: &str, range: Range<usize>, latex: &str, display: bool) -> String {
    if !display {
        return format!("${latex}$");
    }
    if alone_on_line(text, range.clone()) {
        format!("$${latex}$$")
    } else {
        let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
        let before = &text[line_start..range.start];
        // Continue a quote on the new lines.
        let quote = if before.trim_start().starts_with('>') {
            "> "
        } else {
            ""
        };
        format!("\n{quote}$${latex}$$\n{quote}")
    }
}

/// GitBook reads from a `$$` line to the next `$$` line as one formula, whatever is
/// between; Markdown reads the lines first, and a blank line, a line of `=` or `-` (a
/// heading's underline) or a list marker among them breaks the formula. Such a formula
/// is written on one line (its `%` comments removed), where nothing breaks it.
fn join_display_blocks(text: &str) -> String {
    let mut formulas = HashSet::new();
    // Code blocks, fenced or indented: a `$$` line there is code.
    let mut code = Vec::new();
    for (event, range) in Parser::new_ext(text, options(true)).into_offset_iter() {
        match event {
            Event::DisplayMath(_) => {
                formulas.insert((range.start, range.end));
            }
            Event::Start(Tag::CodeBlock(_)) => code.push(range),
            _ => {}
        }
    }
    let in_code = |at: usize| code.iter().any(|r| r.contains(&at));
    let lines: Vec<(usize, &str)> = text
        .split_inclusive('\n')
        .scan(0, |at, line| {
            let start = *at;
            *at += line.len();
            Some((start, line))
        })
        .collect();
    let mut edits = Edits::default();
    let mut fence: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let (start, line) = lines[i];
        let trimmed = line.trim();
        i += 1;
        if let Some(open) = &fence {
            if trimmed.starts_with(open.as_str()) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(trimmed[..3].to_string());
            continue;
        }
        if trimmed != "$$" || in_code(start) {
            continue;
        }
        let first = i;
        let Some(close) = (i..lines.len())
            .take_while(|j| !in_code(lines[*j].0))
            .find(|j| lines[*j].1.trim() == "$$")
        else {
            break;
        };
        let open_at = start + line.find("$$").expect("a $$ line");
        let (close_start, close_line) = lines[close];
        let close_end = close_start + close_line.find("$$").expect("a $$ line") + 2;
        i = close + 1;
        if formulas.contains(&(open_at, close_end)) {
            continue;
        }
        let latex: Vec<&str> = lines[first..close]
            .iter()
            .map(|(_, l)| without_comment(l).trim())
            .filter(|l| !l.is_empty())
            .collect();
        edits.replace(open_at..close_end, format!("$${}$$", latex.join(" ")));
    }
    edits.apply(text)
}

/// A line of LaTeX without its `%` comment.
fn without_comment(line: &str) -> &str {
    let mut at = 0;
    while let Some(found) = line[at..].find('%').map(|i| at + i) {
        if !escaped(line, found) {
            return &line[..found];
        }
        at = found + 1;
    }
    line
}

fn gitbook_math(text: &str) -> (String, MathCount) {
    let joined = join_display_blocks(text);
    let text = joined.as_str();
    let mut count = MathCount::default();
    let mut edits = Edits::default();
    let mut in_code_block = false;
    for (event, range) in Parser::new_ext(text, options(true)).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::DisplayMath(latex) => {
                count.formulas += 1;
                if !alone_on_line(text, range.clone()) {
                    edits.replace(range, format!("${}$", latex.trim()));
                    count.converted += 1;
                }
            }
            // GitBook has no single-dollar math: these are dollar signs.
            Event::InlineMath(_) => {
                edits.replace(range.clone(), text[range].replace('$', "\\$"));
                count.dollars += 2;
            }
            Event::Text(_) if !in_code_block => {
                for (i, _) in text[range.clone()].match_indices('$') {
                    if !escaped(text, range.start + i) {
                        edits.replace(range.start + i..range.start + i + 1, "\\$");
                        count.dollars += 1;
                    }
                }
            }
            _ => {}
        }
    }
    (edits.apply(text), count)
}

/// A command that a formula of the page defines (`\newcommand{\name}[2]{...}`): MathJax
/// keeps it for the rest of the page, conceptlab reads each formula on its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Macro {
    /// Offset of the defining formula in the text.
    pub at: usize,
    pub name: String,
    /// Uses written out.
    pub uses: usize,
}

/// The longest a formula may grow to by writing out the commands it uses.
const MAX_EXPANDED_FORMULA: usize = 64 * 1024;

struct Definition {
    name: String,
    params: usize,
    body: String,
}

/// Writes out the commands that the page's formulas define with `\newcommand` or
/// `\renewcommand` where the page's formulas use them, and removes the definitions; a
/// formula left with nothing but comments goes. Text must be in conceptlab's delimiters.
pub fn macros(text: &str) -> (String, Vec<Macro>) {
    if !text.contains("newcommand") {
        return (text.to_string(), Vec::new());
    }
    let mut formulas = Vec::new();
    for (event, range) in Parser::new_ext(text, options(true)).into_offset_iter() {
        let delimiter = match event {
            Event::InlineMath(_) => 1,
            Event::DisplayMath(_) => 2,
            _ => continue,
        };
        formulas.push((
            range.clone(),
            range.start + delimiter..range.end - delimiter,
        ));
    }
    let mut definitions: Vec<Definition> = Vec::new();
    let mut found = Vec::new();
    let mut stripped = Vec::new();
    for (range, inner) in &formulas {
        let (rest, defined) = take_definitions(&text[inner.clone()]);
        for definition in defined {
            found.push(Macro {
                at: range.start,
                name: definition.name.clone(),
                uses: 0,
            });
            definitions.retain(|d| d.name != definition.name);
            definitions.push(definition);
        }
        stripped.push(rest);
    }
    if definitions.is_empty() {
        return (text.to_string(), Vec::new());
    }
    let mut edits = Edits::default();
    for ((range, inner), rest) in formulas.iter().zip(stripped) {
        let mut latex = rest;
        // Commands defined with other commands: a few rounds. One that uses itself grows
        // at every round: past 64 KB the formula stays as written, definitions and all,
        // and the build names it.
        for _ in 0..8 {
            let (expanded, used) = expand(&latex, &definitions, &mut found);
            latex = expanded;
            if latex.len() > MAX_EXPANDED_FORMULA {
                latex = text[inner.clone()].to_string();
                break;
            }
            if !used {
                break;
            }
        }
        if inner.start - range.start == 1 {
            // `$ x $` is not inline math.
            latex = latex.trim().to_string();
        }
        if only_comments(&latex) {
            edits.replace(range.clone(), "");
        } else if latex != text[inner.clone()] {
            edits.replace(inner.clone(), latex);
        }
    }
    (edits.apply(text), found)
}

/// A formula without its `\newcommand` and `\renewcommand` definitions, and those.
fn take_definitions(latex: &str) -> (String, Vec<Definition>) {
    let mut out = String::with_capacity(latex.len());
    let mut defined = Vec::new();
    let mut at = 0;
    while let Some(found) = latex[at..].find("command").map(|i| at + i) {
        let start = ["\\newcommand", "\\renewcommand"]
            .iter()
            .find(|c| latex[..found + "command".len()].ends_with(*c))
            .map(|c| found + "command".len() - c.len());
        let after = found + "command".len();
        let (Some(start), Some((definition, end))) =
            (start, start.and_then(|_| definition(latex, after)))
        else {
            out.push_str(&latex[at..after]);
            at = after;
            continue;
        };
        out.push_str(&latex[at..start]);
        defined.push(definition);
        at = end;
    }
    out.push_str(&latex[at..]);
    (out, defined)
}

/// `{\name}[n]{body}` (or `\name{body}`) at `at`: the definition and where it ends.
fn definition(latex: &str, at: usize) -> Option<(Definition, usize)> {
    // `\newcommand*` differs only in what TeX allows in arguments.
    let at = if latex[at..].starts_with('*') {
        at + 1
    } else {
        at
    };
    let rest = latex[at..].trim_start();
    let mut at = latex.len() - rest.len();
    let name = if rest.starts_with('{') {
        let (inner, end) = group(latex, at)?;
        at = end;
        inner.trim().to_string()
    } else {
        let name = command_at(rest)?;
        at += name.len();
        name.to_string()
    };
    if command_at(&name) != Some(name.as_str()) {
        return None;
    }
    let rest = latex[at..].trim_start();
    at = latex.len() - rest.len();
    let mut params = 0;
    if let Some(inner) = rest.strip_prefix('[') {
        let close = inner.find(']')?;
        params = inner[..close].trim().parse().ok().filter(|n| *n <= 9)?;
        at += close + 2;
        // A default for the first parameter is not handled.
        if latex[at..].trim_start().starts_with('[') {
            return None;
        }
    }
    let rest = latex[at..].trim_start();
    at = latex.len() - rest.len();
    let (body, end) = group(latex, at)?;
    Some((
        Definition {
            name,
            params,
            body: body.trim().to_string(),
        },
        end,
    ))
}

/// The `\command` that `text` starts with: a backslash and letters, or one other
/// character.
fn command_at(text: &str) -> Option<&str> {
    let rest = text.strip_prefix('\\')?;
    let letters = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    let len = if letters > 0 {
        letters
    } else {
        rest.chars().next()?.len_utf8()
    };
    Some(&text[..1 + len])
}

/// The brace group that opens at `at`: its inside and the offset after it.
fn group(latex: &str, at: usize) -> Option<(&str, usize)> {
    if !latex[at..].starts_with('{') {
        return None;
    }
    let mut depth = 0usize;
    let mut chars = latex[at..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some((&latex[at + 1..at + i], at + i + 1));
                }
            }
            _ => {}
        }
    }
    None
}

/// The formula with one round of the defined commands written out, and whether any was.
fn expand(latex: &str, definitions: &[Definition], found: &mut [Macro]) -> (String, bool) {
    let mut out = String::with_capacity(latex.len());
    let mut used = false;
    let mut at = 0;
    while let Some(slash) = latex[at..].find('\\').map(|i| at + i) {
        out.push_str(&latex[at..slash]);
        let command = command_at(&latex[slash..]).unwrap_or("\\");
        let mut end = slash + command.len();
        let definition = definitions.iter().find(|d| d.name == command);
        let Some(definition) = definition else {
            out.push_str(&latex[slash..end]);
            at = end;
            continue;
        };
        let mut args = Vec::new();
        for _ in 0..definition.params {
            let rest = latex[end..].trim_start();
            end = latex.len() - rest.len();
            if let Some((inner, after)) = group(latex, end) {
                args.push(inner);
                end = after;
            } else if let Some(c) = command_at(rest) {
                args.push(c);
                end += c.len();
            } else if let Some(c) = rest.chars().next() {
                args.push(&latex[end..end + c.len_utf8()]);
                end += c.len_utf8();
            }
        }
        let mut body = definition.body.clone();
        for (i, arg) in args.iter().enumerate().rev() {
            body = body.replace(&format!("#{}", i + 1), arg);
        }
        out.push_str(&body);
        // A command's name ends at the first non-letter: keep it from running on.
        let ends_in_word = body.contains('\\')
            && body.rsplit('\\').next().is_some_and(|tail| {
                !tail.is_empty() && tail.chars().all(|c| c.is_ascii_alphabetic())
            });
        if ends_in_word && latex[end..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            out.push(' ');
        }
        if let Some(m) = found.iter_mut().rev().find(|m| m.name == definition.name) {
            m.uses += 1;
        }
        used = true;
        at = end;
    }
    out.push_str(&latex[at..]);
    (out, used)
}

/// Whether a formula has nothing but whitespace and `%` comments.
fn only_comments(latex: &str) -> bool {
    latex.lines().all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with('%')
    })
}

/// A page's first heading when the page starts with a `#` heading: its text and the
/// page without it.
pub fn take_title(text: &str) -> (Option<String>, String) {
    let mut events = Parser::new_ext(text, options(true)).into_offset_iter();
    let Some((
        Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            ..
        }),
        range,
    )) = events.next()
    else {
        return (None, text.to_string());
    };
    let mut title = String::new();
    for (event, _) in events.by_ref() {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => title.push_str(&t),
            _ => {}
        }
    }
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.is_empty() {
        return (None, text.to_string());
    }
    let rest = text[range.end..].trim_start_matches(['\n', '\r', ' ', '\t']);
    (Some(title), rest.to_string())
}

/// The heading ids of a page: what the source tool called each heading, mapped to the id
/// conceptlab gives it.
#[derive(Debug, Default)]
pub struct Anchors {
    /// Source id -> conceptlab id.
    pub renamed: HashMap<String, String>,
    /// Every id conceptlab gives.
    pub ids: HashSet<String>,
    /// `##` headings that conceptlab moves into a part of the page (`## Examples`):
    /// their offsets and text.
    pub slotted: Vec<(usize, String)>,
}

impl Anchors {
    /// The conceptlab id for a fragment written for the source tool, if the page has it.
    /// The source tool's id comes first: in a link of its book, `notes-1` is the second
    /// heading `Notes`, whatever conceptlab calls it.
    pub fn find<'a>(&'a self, fragment: &'a str) -> Option<&'a str> {
        self.renamed
            .get(fragment)
            .or_else(|| self.renamed.get(&fragment.to_lowercase()))
            .map(String::as_str)
            .or_else(|| self.ids.contains(fragment).then_some(fragment))
    }
}

/// The anchors of a page body: each heading's id as mdBook and GitBook make it
/// (lowercase, letters, digits, `-` and `_` kept, spaces as `-`, then `-1`, `-2` for
/// repeats) next to conceptlab's.
pub fn anchors(text: &str) -> Anchors {
    let mut anchors = Anchors::default();
    let mut ids = PageIds::with_reserved(RESERVED_IDS.iter().copied());
    let mut source_ids: HashMap<String, usize> = HashMap::new();
    let mut heading: Option<(HeadingLevel, Option<String>, String, usize)> = None;
    for (event, range) in Parser::new_ext(text, options(true)).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((level, id.map(|i| i.to_string()), String::new(), range.start));
            }
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => {
                if let Some((_, _, text, _)) = &mut heading {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((level, explicit, text, at)) = heading.take() else {
                    continue;
                };
                let text = text.trim().to_string();
                // A `##` section that conceptlab shows in a part of the lesson's own has
                // that part's id.
                let slot = match slugify(&text).as_str() {
                    _ if level != HeadingLevel::H2 => None,
                    "tradeoffs" | "trade-offs" => Some("tradeoffs"),
                    "examples" | "example" => Some("examples"),
                    "code-walkthrough" | "walkthrough" => Some("walkthrough"),
                    _ => None,
                };
                if slot.is_some() {
                    anchors.slotted.push((at, text.clone()));
                }
                let ours = match (&explicit, slot) {
                    (_, Some(slot)) => slot.to_string(),
                    (Some(id), None) => {
                        ids.claim(id);
                        id.clone()
                    }
                    (None, None) => {
                        let base = slugify(&text);
                        ids.unique(if base.is_empty() { "section" } else { &base }, 1)
                    }
                };
                let theirs = match explicit {
                    Some(id) => id,
                    None => {
                        let base = source_id(&text);
                        let seen = source_ids.entry(base.clone()).or_insert(0);
                        *seen += 1;
                        if *seen == 1 {
                            base
                        } else {
                            format!("{base}-{}", *seen - 1)
                        }
                    }
                };
                anchors.ids.insert(ours.clone());
                anchors.renamed.insert(theirs, ours);
            }
            _ => {}
        }
    }
    anchors
}

/// A heading's id as mdBook (and GitBook) make it.
pub fn source_id(text: &str) -> String {
    text.chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c.to_lowercase().next().unwrap_or(c))
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// Where a URL of the page leads in the imported site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// As written (another site, an absolute path).
    Keep,
    /// The new URL.
    Replace(String),
    /// Nowhere: the link keeps its text, an image its alt text, an HTML attribute goes.
    Drop,
}

/// Decides where each URL of a page leads; `at` is the URL's offset in the text.
pub trait Resolver {
    fn resolve(&mut self, url: &str, at: usize) -> Resolved;
}

/// Rewrites every relative URL of `text` through `resolver`.
pub fn links(text: &str, resolver: &mut impl Resolver) -> String {
    let parser = Parser::new_ext(text, options(true));
    let mut edits = Edits::default();
    let mut dropped_labels = HashSet::new();
    for (label, def) in parser.reference_definitions().iter() {
        let Some(dest) = dest_span(text, def.span.clone(), "]:") else {
            continue;
        };
        match resolver.resolve(&def.dest, dest.start) {
            Resolved::Keep => {}
            Resolved::Replace(url) => edits.replace(dest, markdown_url(&url)),
            Resolved::Drop => {
                dropped_labels.insert(label.to_lowercase());
            }
        }
    }
    // Open links and images: kind, type, destination, label, range, and where their
    // text starts and ends.
    struct Open {
        image: bool,
        kind: LinkType,
        dest: String,
        label: String,
        range: Range<usize>,
        inner: Option<Range<usize>>,
    }
    let mut stack: Vec<Open> = Vec::new();
    for (event, range) in parser.into_offset_iter() {
        let (image, kind, dest, label) = match &event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                id,
                ..
            }) => (false, *link_type, dest_url, id),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                id,
                ..
            }) => (true, *link_type, dest_url, id),
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some(open) = stack.pop() {
                    link(
                        text,
                        open.image,
                        open.kind,
                        &open.dest,
                        &open.label,
                        open.range,
                        open.inner,
                        resolver,
                        &dropped_labels,
                        &mut edits,
                    );
                }
                continue;
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                html_urls(text, range.clone(), resolver, &mut edits);
                widen(&mut stack, range);
                continue;
            }
            _ => {
                widen(&mut stack, range);
                continue;
            }
        };
        widen(&mut stack, range.clone());
        stack.push(Open {
            image,
            kind,
            dest: dest.to_string(),
            label: label.to_string(),
            range,
            inner: None,
        });
    }

    fn widen(stack: &mut [Open], range: Range<usize>) {
        for open in stack.iter_mut() {
            let inner = open.inner.get_or_insert(range.clone());
            inner.start = inner.start.min(range.start);
            inner.end = inner.end.max(range.end);
        }
    }
    edits.apply(text)
}

/// One link or image, once its text is known.
#[allow(clippy::too_many_arguments)]
fn link(
    text: &str,
    image: bool,
    kind: LinkType,
    dest: &str,
    label: &str,
    range: Range<usize>,
    inner: Option<Range<usize>>,
    resolver: &mut impl Resolver,
    dropped_labels: &HashSet<String>,
    edits: &mut Edits,
) {
    let opener = if image { 2 } else { 1 };
    let inner = inner.unwrap_or(range.start + opener..range.start + opener);
    let drop = |edits: &mut Edits| {
        if image {
            // The alt text stays, as plain text.
            edits.replace(range.clone(), text[inner.clone()].to_string());
        } else {
            edits.replace(range.start..inner.start, "");
            edits.replace(inner.end..range.end, "");
        }
    };
    match kind {
        LinkType::Inline => {
            let Some(span) = dest_span(text, inner.end..range.end, "](") else {
                return;
            };
            match resolver.resolve(dest, span.start) {
                Resolved::Keep => {}
                Resolved::Replace(url) => edits.replace(span, markdown_url(&url)),
                Resolved::Drop => drop(edits),
            }
        }
        LinkType::Reference
        | LinkType::Collapsed
        | LinkType::Shortcut
        | LinkType::ReferenceUnknown
        | LinkType::CollapsedUnknown
        | LinkType::ShortcutUnknown
            if dropped_labels.contains(&label.to_lowercase()) =>
        {
            drop(edits);
        }
        // Autolinks and e-mail addresses are absolute.
        _ => {}
    }
}

/// The span of a link destination in `text[range]`, after `marker` (`](` for inline
/// links, `]:` for reference definitions), as written: `<...>` or up to the first
/// whitespace or unbalanced `)`.
fn dest_span(text: &str, range: Range<usize>, marker: &str) -> Option<Range<usize>> {
    let slice = &text[range.clone()];
    let after = range.start + slice.find(marker)? + marker.len();
    let rest = &text[after..range.end];
    let skipped = rest.len() - rest.trim_start().len();
    let start = after + skipped;
    let rest = &text[start..range.end];
    if let Some(inner) = rest.strip_prefix('<') {
        let end = inner.find('>')?;
        return Some(start..start + end + 2);
    }
    let mut depth = 0usize;
    let mut end = rest.len();
    for (i, c) in rest.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => {
                end = i;
                break;
            }
            ')' => depth -= 1,
            c if c.is_whitespace() => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    Some(start..start + end)
}

/// A URL as a Markdown link destination: what would end or split it percent-encoded.
fn markdown_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c => out.push(c),
        }
    }
    out
}

/// The URL attributes of raw HTML (`src`, `href`, `poster`) in `text[range]`.
fn html_urls(text: &str, range: Range<usize>, resolver: &mut impl Resolver, edits: &mut Edits) {
    let html = &text[range.clone()];
    let lower = html.to_ascii_lowercase();
    for name in ["src", "href", "poster"] {
        let mut from = 0;
        while let Some(found) = lower[from..].find(name).map(|i| from + i) {
            from = found + name.len();
            // A whole attribute name: after whitespace, followed by `=`.
            let before_ok = found > 0 && html.as_bytes()[found - 1].is_ascii_whitespace();
            let after = html[from..].trim_start();
            let Some(value) = after.strip_prefix('=').filter(|_| before_ok) else {
                continue;
            };
            let value = value.trim_start();
            let value_start = range.start + html.len() - value.len();
            let (url, quoted) = match value.chars().next() {
                Some(q @ ('"' | '\'')) => match value[1..].find(q) {
                    Some(end) => (&value[1..end + 1], true),
                    None => continue,
                },
                _ => {
                    let end = value
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(value.len());
                    (&value[..end], false)
                }
            };
            let url_start = value_start + usize::from(quoted);
            let url_range = url_start..url_start + url.len();
            let decoded = url.replace("&amp;", "&");
            match resolver.resolve(&decoded, url_start) {
                Resolved::Keep => {}
                Resolved::Replace(new) => {
                    edits.replace(
                        url_range.clone(),
                        markdown_url(&new).replace('&', "&amp;").replace('"', "%22"),
                    );
                }
                Resolved::Drop => {
                    let attr_start = range.start + found;
                    edits.replace(attr_start..url_range.end + usize::from(quoted), "");
                }
            }
            from = url_range.end - range.start;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mathjax_delimiters_become_dollars_and_other_dollars_are_escaped() {
        let text = "Costs $5. Inline \\\\(a\\_1 + b\\\\) and\n\n\\\\[\nx = 1 \\\\\\\\\ny = 2\n\\\\]\n\nmid \\\\[z\\\\] line, `\\\\(code\\\\) $x$`\n\n$$\\frac{1}{2}$$\n";
        let (out, count) = math(text, MathStyle::MathJax);
        assert_eq!(
            out,
            "Costs \\$5. Inline $a_1 + b$ and\n\n$$x = 1 \\\\\ny = 2$$\n\nmid \n$$z$$\n line, `\\\\(code\\\\) $x$`\n\n$$\\frac{1}{2}$$\n"
        );
        assert_eq!(count.formulas, 4);
        assert_eq!(count.converted, 3);
        assert_eq!(count.dollars, 1);
    }

    #[test]
    fn without_mathjax_every_dollar_is_a_dollar() {
        let (out, count) = math(
            "$x$ and \\$y and \\\\(z\\\\)\n\n```\n$a$\n```\n",
            MathStyle::None,
        );
        assert_eq!(out, "\\$x\\$ and \\$y and \\\\(z\\\\)\n\n```\n$a$\n```\n");
        assert_eq!(count.formulas, 0);
    }

    #[test]
    fn gitbook_double_dollars_are_inline_in_a_sentence() {
        let text = "The sum $$a+b$$ is $5.\n\n$$\n\\int x\n$$\n\n- $$y$$\n";
        let (out, count) = math(text, MathStyle::GitBook);
        assert_eq!(
            out,
            "The sum $a+b$ is \\$5.\n\n$$\n\\int x\n$$\n\n- $$y$$\n"
        );
        assert_eq!((count.formulas, count.converted), (3, 1));
    }

    #[test]
    fn a_theme_that_reads_dollars_makes_them_inline_formulas() {
        let text = "Let $a\\_1$ be $x$ and \\$5, `$c$`.\n\nA $ lone dollar\n\nand \\\\(y\\\\).\n";
        let (out, count) = math(text, MathStyle::MathJaxDollars);
        assert_eq!(
            out,
            "Let $a_1$ be $x$ and \\$5, `$c$`.\n\nA \\$ lone dollar\n\nand $y$.\n"
        );
        assert_eq!((count.formulas, count.converted, count.dollars), (3, 2, 1));
    }

    /// MathJax pairs dollars within a paragraph of the HTML: never across a list item or
    /// heading that starts on the next line; and `$ $` is two dollars, not `$$`.
    #[test]
    fn a_double_dollar_block_in_indented_code_stays_code() {
        let text = "Text.\n\n    $$\n    a\n\n    b\n    $$\n";
        assert_eq!(join_display_blocks(text), text);
    }

    #[test]
    fn theme_dollars_pair_within_a_block_only() {
        let text = "It costs $5 a month:\n- with $x$ users\n\nEmpty $ $ here and $y$ there.\n";
        let (out, count) = math(text, MathStyle::MathJaxDollars);
        assert_eq!(
            out,
            "It costs \\$5 a month:\n- with $x$ users\n\nEmpty \\$ \\$ here and $y$ there.\n"
        );
        assert_eq!((count.formulas, count.dollars), (2, 3));
    }

    #[test]
    fn a_command_that_uses_itself_stays_as_written_and_a_starred_one_is_written_out() {
        let text = "$$\n\\newcommand{\\a}{\\a\\a\\a\\a\\a\\a\\a\\a}\n$$\n\nSee $\\a$ here.\n";
        let (out, _) = macros(text);
        assert!(out.len() < 200, "{} bytes", out.len());
        assert!(out.contains("See $\\a$ here."), "{out}");
        let (out, found) = macros("$\\newcommand*{\\R}{\\mathbb{R}}$ and $x \\in \\R$\n");
        assert_eq!(out, " and $x \\in \\mathbb{R}$\n");
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn commands_a_formula_defines_are_written_out() {
        let text = "$$\n\\newcommand{\\so}{ \\gamma } % offset\n\\newcommand{\\hash}[1]{\\mathrm{H}(#1)}\n$$\n\nThe $\\so$ and $\\hash{a \\so}$, $\\so x$.\n\n$$\ny = \\hash k\n$$\n";
        let (out, found) = macros(text);
        assert_eq!(
            out,
            "\n\nThe $\\gamma$ and $\\mathrm{H}(a \\gamma)$, $\\gamma x$.\n\n$$\ny = \\mathrm{H}(k)\n$$\n"
        );
        let uses: Vec<_> = found.iter().map(|m| (m.name.as_str(), m.uses)).collect();
        assert_eq!(uses, [("\\so", 3), ("\\hash", 2)]);
        assert_eq!(found[0].at, 0);
        let (same, none) = macros("$x$ and $$\\newcommand$$\n");
        assert_eq!(same, "$x$ and $$\\newcommand$$\n");
        assert!(none.is_empty());
    }

    #[test]
    fn gitbook_display_blocks_that_markdown_would_break_go_on_one_line() {
        let text = "- Item\n\n  $$\n  y\n    = x % note\n\n  z\n  $$\n\n$$\na\n$$\n\n```\n$$\n=\n$$\n```\n";
        let (out, count) = math(text, MathStyle::GitBook);
        assert_eq!(
            out,
            "- Item\n\n  $$y = x z$$\n\n$$\na\n$$\n\n```\n$$\n=\n$$\n```\n"
        );
        assert_eq!((count.formulas, count.dollars), (2, 0));
    }

    #[test]
    fn the_first_heading_is_the_title() {
        let (title, body) = take_title("# The `Option` *type* {#opt}\n\nText.\n");
        assert_eq!(title.as_deref(), Some("The Option type"));
        assert_eq!(body, "Text.\n");
        let (title, body) = take_title("Text first.\n\n# Later\n");
        assert_eq!(title, None);
        assert!(body.starts_with("Text first."));
    }

    #[test]
    fn anchors_map_source_ids_to_conceptlab_ids() {
        let anchors = anchors(
            "## Hello_World - again\n\n## Notes\n\n## Notes\n\n### Mine {#custom}\n\n## Examples\n",
        );
        assert_eq!(
            anchors.find("hello_world---again"),
            Some("hello-world-again")
        );
        assert_eq!(anchors.find("notes"), Some("notes-1"));
        assert_eq!(anchors.find("notes-1"), Some("notes-2"));
        assert_eq!(anchors.find("custom"), Some("custom"));
        assert_eq!(anchors.find("nope"), None);
        assert_eq!(anchors.slotted.len(), 1);
        // A section shown in the lesson's own part has that part's id.
        assert_eq!(anchors.find("examples"), Some("examples"));
        let singular = super::anchors("## Example\n\n### Example\n");
        assert_eq!(singular.find("example"), Some("examples"));
        assert_eq!(singular.find("example-1"), Some("example"));
    }

    struct Map;

    impl Resolver for Map {
        fn resolve(&mut self, url: &str, _: usize) -> Resolved {
            match url {
                "a.md" => Resolved::Replace("../010-x/001-a.md".into()),
                "img/p q.png" => Resolved::Replace("img/p q.png".into()),
                "gone.md" | "gone.png" => Resolved::Drop,
                _ => Resolved::Keep,
            }
        }
    }

    #[test]
    fn links_images_definitions_and_html_are_rewritten() {
        let text = "See [A](a.md \"t\") and [gone](gone.md), ![alt *x*](<img/p q.png>) ![lost](gone.png).\n\n[ref]: a.md\n[old]: gone.md\n\nUse [it][ref] and [that][old]. <img src=\"img/p q.png\" alt=\"\"> <a href='gone.md'>x</a> [web](https://x.org)\n\n[![badge](<img/p q.png>)](a.md)\n";
        let out = links(text, &mut Map);
        assert_eq!(
            out,
            "See [A](../010-x/001-a.md \"t\") and gone, ![alt *x*](img/p%20q.png) lost.\n\n[ref]: ../010-x/001-a.md\n[old]: gone.md\n\nUse [it][ref] and that. <img src=\"img/p%20q.png\" alt=\"\"> <a >x</a> [web](https://x.org)\n\n[![badge](img/p%20q.png)](../010-x/001-a.md)\n"
        );
    }
}
