//! LaTeX math to MathML at build time, so formulas need no JavaScript in the browser.
//!
//! Owns: formulas to MathML, with their depth limit, and the rewriting of the LaTeX that
//! books write (line breaks outside an environment, `split`, `alignat`, `eqnarray`,
//! `\label`, math inside `\text`) into what the converter reads. Never does: render
//! anything but math.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};

use super::math_macros::Macros;
use crate::config::{Dollars, MathConfig};

/// How a site's math is read: `math:` of site.yaml.
#[derive(Clone, Copy, Debug)]
pub struct MathSettings {
    /// What `$$...$$` with text on its line means.
    pub dollars: Dollars,
    macros: &'static Macros,
}

impl Default for MathSettings {
    fn default() -> MathSettings {
        static NONE: OnceLock<Macros> = OnceLock::new();
        MathSettings {
            dollars: Dollars::default(),
            macros: NONE.get_or_init(Macros::default),
        }
    }
}

impl MathSettings {
    /// The settings of `config`; macros that are not macros (which loading site.yaml
    /// reports, see [`check_macros`]) leave the site with none.
    pub fn new(config: &MathConfig) -> MathSettings {
        let default = MathSettings::default();
        MathSettings {
            dollars: config.dollars,
            macros: site_macros(&config.macros).unwrap_or(default.macros),
        }
    }

    /// Converts `latex`, its macros expanded, to a `<math>` element, or explains why it
    /// cannot.
    pub fn to_mathml(&self, latex: &str, display: bool) -> Result<String, String> {
        to_mathml(&self.macros.expand(latex)?, display)
    }
}

/// A site's macros, made once per set of macros (a server that reloads site.yaml keeps
/// the ones it made; they are few and small).
fn site_macros(defined: &BTreeMap<String, String>) -> Option<&'static Macros> {
    type Made = Vec<(BTreeMap<String, String>, &'static Macros)>;
    static MADE: Mutex<Made> = Mutex::new(Vec::new());
    let mut made = MADE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, macros)) = made.iter().find(|(d, _)| d == defined) {
        return Some(macros);
    }
    let macros: &'static Macros = Box::leak(Box::new(Macros::new(defined).ok()?));
    made.push((defined.clone(), macros));
    Some(macros)
}

/// The problems of `math.macros` in site.yaml, by the key as written: a name that is not
/// a command name, a macro whose expansion never ends.
pub fn check_macros(defined: &BTreeMap<String, String>) -> Vec<(String, String)> {
    Macros::new(defined).err().unwrap_or_default()
}

/// Commands that books use and the converter lacks, as the commands it has. Each takes its
/// arguments in braces, as the converter's macros do; none changes how deeply a formula
/// nests by more than a group.
const MACROS: &[(&str, &str)] = &[
    ("centerdot", r"\cdot"),
    ("dotsb", r"\cdots"),
    ("dotsc", r"\ldots"),
    ("dotsi", r"\cdots"),
    ("dotsm", r"\cdots"),
    ("dotso", r"\ldots"),
    ("mathds", r"\mathbb{#1}"),
    ("textcolor", r"{\color{#1}#2}"),
    // An accent that does not stretch over a long base, rather than no formula.
    ("widetilde", r"\tilde{#1}"),
    ("strut", r"\mathstrut"),
    // Line-breaking hints: a display formula does not break.
    ("allowbreak", ""),
    ("nobreak", ""),
];

/// How deeply a formula may nest (groups, `\left`, environments, and commands applied to
/// commands). The converter recurses once per level; real formulas nest a few levels,
/// and a bound keeps a hostile one from overflowing the thread's stack.
pub const MAX_DEPTH: usize = 100;

/// Converts `latex` to a `<math>` element, or explains why it cannot.
pub fn to_mathml(latex: &str, display: bool) -> Result<String, String> {
    // The rewriting keeps its own stack on the heap, so only what it gives the converter
    // (which recurses) needs the bound.
    let latex = rewrite(latex, display)?;
    if nesting(&latex) > MAX_DEPTH {
        return Err(format!(
            "the formula is nested too deeply (more than {MAX_DEPTH} levels of groups, \
             `\\left`, environments or commands applied to commands)"
        ));
    }
    let mode = if display {
        MathDisplay::Block
    } else {
        MathDisplay::Inline
    };
    converter()
        .convert_with_local_state(&latex, mode)
        .map(|r| r.mathml)
        .map_err(|e| e.error_message())
}

fn converter() -> &'static LatexToMathML {
    static CONVERTER: OnceLock<LatexToMathML> = OnceLock::new();
    CONVERTER.get_or_init(|| {
        let macros = MACROS
            .iter()
            .map(|(name, body)| (name.to_string(), body.to_string()))
            .collect();
        LatexToMathML::new(MathCoreConfig {
            macros,
            ..MathCoreConfig::default()
        })
        .expect("the fixed macros parse")
    })
}

/// Rewrites the LaTeX that books write into what the converter reads, keeping every line,
/// cell and symbol; what it cannot keep is an error that names the command.
///
/// - Line breaks (`\\`, `\newline`, `\cr`) and columns (`&`) outside any environment
///   become the rows and columns of a `gathered` (with columns, `aligned`) around the
///   whole formula, as browsers' math renderers break them; the converter alone would drop
///   such a break. A `\tag` there makes the wrapper `gather*` (or `align*`), which shows
///   tags. Inline, such a break or tag is an error.
/// - Environments the converter lacks become ones with the same layout: `split` and
///   `alignedat` are `aligned`, `alignat` and `flalign` are `align*`, `eqnarray` is a
///   display array of three columns (`rcl`), `smallmatrix` a script-size array.
/// - Numbered environments (`equation`, `align`, `gather`, `multline`) show no automatic
///   number: each formula is converted alone, so every one would be (1). A `\tag{…}`
///   still shows, and `\label{…}` is dropped, as nothing can refer to it.
/// - `$…$` inside `\text{…}` (or `\mbox{…}`, …) is math between two texts.
/// - What only spaces or places lines goes, where the converter would show it as text or
///   refuse it: a `\\` that ends an environment or the formula (it starts no line), the
///   `[2pt]` and `*` of `\\[2pt]` and `\\*`, the `[t]` of `\begin{aligned}[t]`, the second
///   rule of `\hline \hline`.
fn rewrite(latex: &str, display: bool) -> Result<String, String> {
    let mut rewriter = Rewriter {
        rest: latex,
        out: String::with_capacity(latex.len() + 32),
        frames: Vec::new(),
        envs: 0,
        groups: 0,
        top: TopLevel::default(),
    };
    while let Some(c) = rewriter.next_char() {
        if rewriter.in_text() {
            rewriter.text(c)?;
        } else {
            rewriter.math(c)?;
        }
    }
    rewriter.finish(display)
}

struct Rewriter<'a> {
    /// The input not read yet.
    rest: &'a str,
    out: String,
    frames: Vec<Frame>,
    /// How many frames are environments (or arguments written as one), and how many are
    /// groups or `\left…\right`, so that a line break need not walk the stack.
    envs: usize,
    groups: usize,
    top: TopLevel,
}

/// What the formula has outside any environment.
#[derive(Default)]
struct TopLevel {
    breaks: bool,
    columns: bool,
    tag: bool,
}

/// What the rewriter is inside of.
enum Frame {
    /// `{…}` in math.
    Group,
    /// `\left…\right`.
    Left,
    Env,
    /// The braced argument of `\substack` or `\displaylines`, written as an environment
    /// whose end this is.
    Wrapped(&'static str),
    /// The argument of a text command.
    Text(Text),
    /// `{…}` inside text.
    TextGroup,
    /// `$…$` inside the argument of a text command.
    TextMath(&'static str),
}

/// The argument of a text command, as written so far.
struct Text {
    /// The command's name as written.
    command: &'static str,
    /// Where `\command{` starts in the output, and where its text does.
    start: usize,
    content: usize,
    /// Whether it has math (`$…$`) in it, which splits it into texts and math, all in one
    /// group (so that `x^\text{a $b$}` stays one superscript).
    split: bool,
}

impl<'a> Rewriter<'a> {
    fn next_char(&mut self) -> Option<char> {
        let c = self.rest.chars().next()?;
        self.rest = &self.rest[c.len_utf8()..];
        Some(c)
    }

    fn in_text(&self) -> bool {
        matches!(self.frames.last(), Some(Frame::Text(_) | Frame::TextGroup))
    }

    /// One character of math, and what it starts.
    fn math(&mut self, c: char) -> Result<(), String> {
        match c {
            '\\' => self.command()?,
            '%' => self.comment(),
            '{' => {
                self.frames.push(Frame::Group);
                self.groups += 1;
                self.out.push('{');
            }
            '}' => self.close_group(),
            '&' => {
                if self.envs == 0 && self.groups == 0 {
                    self.top.columns = true;
                }
                self.out.push('&');
            }
            '$' if matches!(self.frames.last(), Some(Frame::TextMath(_))) => {
                let Some(Frame::TextMath(command)) = self.frames.pop() else {
                    unreachable!()
                };
                self.write_text(command, true);
            }
            c => self.out.push(c),
        }
        Ok(())
    }

    /// A `%` comment runs to the end of its line; it is kept, unread, for the converter
    /// to skip.
    fn comment(&mut self) {
        let end = self.rest.find('\n').map_or(self.rest.len(), |i| i + 1);
        self.out.push('%');
        self.out.push_str(&self.rest[..end]);
        self.rest = &self.rest[end..];
    }

    fn close_group(&mut self) {
        match self.frames.last() {
            Some(Frame::Group) => {
                self.frames.pop();
                self.groups -= 1;
                self.out.push('}');
            }
            Some(Frame::Wrapped(end)) => {
                self.out.push_str(end);
                self.frames.pop();
                self.envs -= 1;
            }
            // Unbalanced: the converter says where.
            _ => self.out.push('}'),
        }
    }

    /// A command in math, after its backslash.
    fn command(&mut self) -> Result<(), String> {
        let letters = self
            .rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(self.rest.len());
        if letters == 0 {
            match self.next_char() {
                Some('\\') => self.line_break(),
                // A backslash before a line's end (or the formula's) is a space, as in TeX.
                Some(c) if !c.is_whitespace() => {
                    self.out.push('\\');
                    self.out.push(c);
                    Ok(())
                }
                _ => {
                    self.out.push_str(r"\ ");
                    Ok(())
                }
            }
        } else {
            let name = &self.rest[..letters];
            self.rest = &self.rest[letters..];
            self.word(name)
        }
    }

    fn word(&mut self, name: &'a str) -> Result<(), String> {
        if let Some(hint) = unsupported(name) {
            return Err(format!("`\\{name}` is not supported: {hint}"));
        }
        match name {
            "begin" => self.begin()?,
            "end" => self.end(),
            // `\cr` is plain TeX's row end, which the converter lacks.
            "newline" | "cr" => self.line_break()?,
            // A double rule (`\hline \hline`) is drawn as one: the converter draws one
            // rule per row border.
            "hline" if self.out.trim_end().ends_with(r"\hline") => {}
            "label" => {
                if self.braced().is_none() {
                    self.out.push_str(r"\label");
                }
            }
            "tag" => {
                if self.rest.starts_with('*') {
                    return Err(
                        "`\\tag*{…}` is not supported: write `\\tag{…}`, which shows the tag \
                         in parentheses"
                            .to_string(),
                    );
                }
                if self.envs == 0 {
                    self.top.tag = true;
                }
                self.out.push_str(r"\tag");
            }
            "left" => {
                self.frames.push(Frame::Left);
                self.groups += 1;
                self.out.push_str(r"\left");
            }
            "right" => {
                if matches!(self.frames.last(), Some(Frame::Left)) {
                    self.frames.pop();
                    self.groups -= 1;
                }
                self.out.push_str(r"\right");
            }
            "substack" | "displaylines" if self.rest.trim_start().starts_with('{') => {
                self.rest = &self.rest.trim_start()[1..];
                let (begin, end) = if name == "substack" {
                    (r"\begin{subarray}{c}", r"\end{subarray}")
                } else {
                    (r"\begin{gathered}", r"\end{gathered}")
                };
                self.out.push_str(begin);
                self.frames.push(Frame::Wrapped(end));
                self.envs += 1;
            }
            name => match text_command(name) {
                Some(command) if self.rest.trim_start().starts_with('{') => {
                    self.rest = &self.rest.trim_start()[1..];
                    let split = has_math(self.rest);
                    if split {
                        // The group is one for breaks and columns as well.
                        self.out.push('{');
                        self.groups += 1;
                    }
                    self.write_text(command, split);
                }
                _ => {
                    self.out.push('\\');
                    self.out.push_str(name);
                }
            },
        }
        Ok(())
    }

    /// `\\` (or `\newline`), after it.
    fn line_break(&mut self) -> Result<(), String> {
        // `\\*` forbids a page break and `\\[2pt]` adds space: a page has no use for the
        // one, and the converter would show the other as text.
        self.rest = self.rest.strip_prefix('*').unwrap_or(self.rest);
        if let Some(after) = self.rest.strip_prefix('[')
            && let Some(end) = after.find(']')
            && is_length(&after[..end])
        {
            self.rest = &after[end + 1..];
        }
        if self.ends_here() {
            return Ok(());
        }
        if self.envs == 0 {
            if self.groups > 0 {
                return Err(
                    "a line break (`\\\\`) inside `{…}` or `\\left…\\right` would be \
                     lost: for lines under a sum write `\\substack{i \\\\ j}`; elsewhere break \
                     lines outside the braces, or inside an environment such as `aligned`"
                        .to_string(),
                );
            }
            self.top.breaks = true;
        }
        self.out.push_str(r"\\");
        Ok(())
    }

    /// Whether only spaces and comments are left before the end of the formula or of an
    /// environment.
    fn ends_here(&self) -> bool {
        let mut rest = self.rest.trim_start();
        while let Some(comment) = rest.strip_prefix('%') {
            rest = comment
                .find('\n')
                .map_or("", |i| &comment[i + 1..])
                .trim_start();
        }
        rest.is_empty()
            || rest
                .strip_prefix(r"\end")
                .is_some_and(|after| !after.starts_with(|c: char| c.is_ascii_alphabetic()))
    }

    fn begin(&mut self) -> Result<(), String> {
        let Some(name) = self.braced() else {
            self.out.push_str(r"\begin");
            return Ok(());
        };
        let written = environment(name);
        self.out.push_str(r"\begin{");
        self.out.push_str(written);
        self.out.push('}');
        if matches!(
            name,
            "aligned" | "gathered" | "alignedat" | "array" | "split"
        ) {
            self.skip_position();
        }
        match name {
            "alignat" | "alignat*" | "alignedat" => {
                // The number of column pairs, which the layout finds by itself.
                if !self.braced().is_some_and(|n| {
                    !n.trim().is_empty() && n.trim().bytes().all(|b| b.is_ascii_digit())
                }) {
                    return Err(format!(
                        "`\\begin{{{name}}}` takes its number of column pairs first, as in \
                         `\\begin{{{name}}}{{2}}`"
                    ));
                }
                self.skip_position();
            }
            "eqnarray" | "eqnarray*" => self.out.push_str("{rcl}"),
            // The converter centres the columns that the specification leaves out.
            "smallmatrix" => self.out.push_str("{c}"),
            // Only a `\tag` numbers it.
            "multline" | "multline*" => self.out.push_str(r"\notag "),
            _ => {}
        }
        self.frames.push(Frame::Env);
        self.envs += 1;
        Ok(())
    }

    /// Skips the `[t]` (or `[b]`, `[c]`) that aligns an environment with the text around
    /// it: the converter would show it, and centred is what a display formula needs.
    fn skip_position(&mut self) {
        let rest = self.rest.trim_start();
        if let Some(after) = rest.strip_prefix('[')
            && let Some(end) = after.find(']')
            && matches!(after[..end].trim(), "t" | "b" | "c")
        {
            self.rest = &after[end + 1..];
        }
    }

    fn end(&mut self) {
        let Some(name) = self.braced() else {
            self.out.push_str(r"\end");
            return;
        };
        if matches!(self.frames.last(), Some(Frame::Env)) {
            self.frames.pop();
            self.envs -= 1;
        }
        self.out.push_str(r"\end{");
        self.out.push_str(environment(name));
        self.out.push('}');
    }

    /// The contents of a `{…}` argument after optional spaces, read past; `None` (and
    /// nothing read) if none comes next or it does not close.
    fn braced(&mut self) -> Option<&'a str> {
        let rest = self.rest.trim_start().strip_prefix('{')?;
        let mut depth = 0usize;
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '{' => depth += 1,
                '}' if depth == 0 => {
                    self.rest = &rest[i + 1..];
                    return Some(&rest[..i]);
                }
                '}' => depth -= 1,
                _ => {}
            }
        }
        None
    }

    /// Writes `\command{` and reads its argument (or what is left of it after math) as
    /// text.
    fn write_text(&mut self, command: &'static str, split: bool) {
        let start = self.out.len();
        self.out.push('\\');
        self.out.push_str(command);
        self.out.push('{');
        self.frames.push(Frame::Text(Text {
            command,
            start,
            content: self.out.len(),
            split,
        }));
    }

    /// One character of text.
    fn text(&mut self, c: char) -> Result<(), String> {
        match c {
            '\\' => {
                self.out.push('\\');
                if let Some(c) = self.next_char() {
                    self.out.push(c);
                }
            }
            '%' => self.comment(),
            '{' => {
                self.frames.push(Frame::TextGroup);
                self.out.push('{');
            }
            '}' => match self.frames.pop() {
                Some(Frame::Text(text)) => self.close_text(&text),
                _ => self.out.push('}'),
            },
            '$' => {
                let Some(Frame::Text(text)) = self.frames.pop() else {
                    return Err("math (`$…$`) inside braces inside `\\text{…}` is not \
                                supported: write it directly inside `\\text{…}`"
                        .to_string());
                };
                if self.out.len() == text.content {
                    self.out.truncate(text.start);
                } else {
                    self.out.push('}');
                }
                self.frames.push(Frame::TextMath(text.command));
            }
            // Text, as MathJax and KaTeX show them; the converter reads only `\_`, `\&`.
            // Braced, so that the command does not take the space after it.
            '_' | '&' => {
                self.out.push_str("{\\");
                self.out.push(c);
                self.out.push('}');
            }
            c => self.out.push(c),
        }
        Ok(())
    }

    fn close_text(&mut self, text: &Text) {
        if text.split && self.out.len() == text.content {
            // Nothing after the last math: no empty text.
            self.out.truncate(text.start);
        } else {
            self.out.push('}');
        }
        if text.split {
            self.out.push('}');
            self.groups -= 1;
        }
    }

    /// The rewritten formula, with what it has outside any environment in rows and
    /// columns.
    fn finish(self, display: bool) -> Result<String, String> {
        let top = self.top;
        if !(top.breaks || top.columns || top.tag) {
            return Ok(self.out);
        }
        if !display {
            // Lines inside a line of text would make it as tall as they are.
            let what = if top.breaks {
                "a line break (`\\\\`)"
            } else if top.tag {
                "`\\tag`"
            } else {
                // A column (`&`) outside a table: the converter says so.
                return Ok(self.out);
            };
            return Err(format!(
                "{what} needs display math: write the formula between `$$` on lines of its \
                 own"
            ));
        }
        let wrapper = match (top.columns, top.tag) {
            (true, true) => "align*",
            (true, false) => "aligned",
            (false, true) => "gather*",
            (false, false) => "gathered",
        };
        Ok(format!(
            "\\begin{{{wrapper}}}{}\\end{{{wrapper}}}",
            self.out
        ))
    }
}

/// Whether the argument of a text command, from just after its `{`, has math in it.
fn has_math(argument: &str) -> bool {
    let mut depth = 0usize;
    let mut chars = argument.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '{' => depth += 1,
            '}' if depth == 0 => return false,
            '}' => depth -= 1,
            '$' if depth == 0 => return true,
            _ => {}
        }
    }
    false
}

/// The environment the converter reads for one that a book writes.
fn environment(name: &str) -> &str {
    match name {
        "align" | "align*" | "flalign" | "flalign*" | "alignat" | "alignat*" => "align*",
        "split" | "alignedat" => "aligned",
        "equation" | "equation*" | "gather" => "gather*",
        "eqnarray" | "eqnarray*" => "darray",
        "smallmatrix" => "subarray",
        "multline*" => "multline",
        name => name,
    }
}

/// The command the converter reads for a command whose argument is text.
fn text_command(name: &str) -> Option<&'static str> {
    Some(match name {
        "text" | "mbox" | "hbox" | "textnormal" | "textup" => "text",
        "textsl" | "textit" => "textit",
        "textrm" => "textrm",
        "textbf" => "textbf",
        "textsf" => "textsf",
        "texttt" => "texttt",
        "emph" => "emph",
        _ => return None,
    })
}

/// What to write instead of a command that has no place in a formula converted alone.
fn unsupported(name: &str) -> Option<&'static str> {
    Some(match name {
        "newcommand" | "renewcommand" | "providecommand" | "def" | "gdef" | "let" => {
            "a formula cannot define commands; define it for the whole site in site.yaml \
             (`math: { macros: { R: '\\mathbb{R}' } }`), or write out what it stands for"
        }
        "DeclareMathOperator" => {
            "a formula cannot define operators; write `\\operatorname{name}` where it is used"
        }
        "intertext" | "shortintertext" => {
            "end the formula before the text, write the text as a paragraph, and start a \
             new formula after it"
        }
        "eqref" | "ref" => {
            "formulas are not numbered; refer to the formula in words, or give it a \
             `\\tag{…}` and write that"
        }
        "require" => "it loads an extension that is not needed here; remove it",
        _ => return None,
    })
}

/// Whether `text` is a TeX length, as in `\\[2pt]` or `\\[-0.5\jot]`.
fn is_length(text: &str) -> bool {
    let text = text.trim();
    let unit = text
        .trim_start_matches(['+', '-'])
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
        .trim_start();
    let units = [
        "pt", "em", "ex", "mm", "cm", "in", "mu", "pc", "bp", "dd", "cc", "sp", "px",
    ];
    units.contains(&unit)
        || unit
            .strip_prefix('\\')
            .is_some_and(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// An upper bound of how deeply the converter recurses for `latex`: at any point, the
/// open groups (`{`, `[`, `\left`, `\begin`) plus the run of commands and scripts
/// (`\frac\sqrt^...`) since the last ordinary character, each of which may take what
/// follows as its argument.
fn nesting(latex: &str) -> usize {
    let mut open: usize = 0;
    let mut run: usize = 0;
    let mut deepest = 0;
    let mut chars = latex.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let mut word = String::new();
                while let Some(&next) = chars.peek() {
                    if !next.is_ascii_alphabetic() {
                        break;
                    }
                    word.push(next);
                    chars.next();
                }
                match word.as_str() {
                    "left" | "begin" => open += 1,
                    "right" | "end" => open = open.saturating_sub(1),
                    // `\{` and other control symbols: one character, no argument.
                    "" => {
                        chars.next();
                        run += 1;
                    }
                    _ => run += 1,
                }
            }
            '{' | '[' => {
                open += 1;
                run = 0;
            }
            '}' | ']' => {
                open = open.saturating_sub(1);
                run = 0;
            }
            '^' | '_' => run += 1,
            c if c.is_whitespace() => {}
            _ => run = 0,
        }
        deepest = deepest.max(open + run);
    }
    deepest
}

/// A `<math>` element as one line of plain text, the way a reader would type the
/// formula: `σ(z)=1/(1+e^(−z))`, not the bare run of its tokens (`σ(z)=11+e−z`). Search
/// indexes and shows this. Markup that does not parse gives its text alone.
pub fn plain_text(mathml: &str) -> String {
    parse_mathml(mathml).map_or_else(|| tag_text(mathml), |nodes| linear(&nodes))
}

/// A MathML element or a run of text.
enum Node {
    Text(String),
    Element(String, Vec<Node>),
}

fn parse_mathml(mathml: &str) -> Option<Vec<Node>> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(mathml);
    let mut open: Vec<(String, Vec<Node>)> = vec![(String::new(), Vec::new())];
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) => {
                open.push((e.local_name().as_ref().to_string(), Vec::new()));
            }
            Event::Empty(e) => {
                let name = e.local_name().as_ref().to_string();
                open.last_mut()?.1.push(Node::Element(name, Vec::new()));
            }
            Event::End(_) => {
                let (name, children) = open.pop()?;
                open.last_mut()?.1.push(Node::Element(name, children));
            }
            Event::Text(t) => open
                .last_mut()?
                .1
                .push(Node::Text(t.xml10_content().into_owned())),
            Event::GeneralRef(r) => {
                let name: &str = &r;
                let text = match r.resolve_char_ref().ok()? {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(name)?.to_string(),
                };
                open.last_mut()?.1.push(Node::Text(text));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (open.len() == 1)
        .then(|| open.pop().map(|(_, nodes)| nodes))
        .flatten()
}

fn linear(nodes: &[Node]) -> String {
    nodes.iter().map(linear_node).collect()
}

fn linear_node(node: &Node) -> String {
    let Node::Element(name, children) = node else {
        let Node::Text(text) = node else {
            unreachable!()
        };
        return text.trim().to_string();
    };
    // Scripts and fractions take their parts as child elements.
    let part = |i: usize| {
        children
            .iter()
            .filter(|c| matches!(c, Node::Element(..)))
            .nth(i)
    };
    let grouped = |i: usize| part(i).map(|n| group(&linear_node(n))).unwrap_or_default();
    let plain = |i: usize| part(i).map(linear_node).unwrap_or_default();
    match name.as_str() {
        "mfrac" => format!("{}/{}", grouped(0), grouped(1)),
        "msup" => format!("{}^{}", plain(0), grouped(1)),
        "msub" => format!("{}_{}", plain(0), grouped(1)),
        "msubsup" => format!("{}_{}^{}", plain(0), grouped(1), grouped(2)),
        "msqrt" => format!("√({})", linear(children)),
        "mroot" => format!("{}√{}", grouped(1), group(&plain(0))),
        "semantics" => plain(0),
        "annotation" | "annotation-xml" => String::new(),
        _ => linear(children),
    }
}

/// `text` in parentheses unless it is one character.
fn group(text: &str) -> String {
    if text.chars().count() > 1 {
        format!("({text})")
    } else {
        text.to_string()
    }
}

/// The text of `markup` without its tags, its entities decoded (the caller escapes it).
fn tag_text(markup: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in markup.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    quick_xml::escape::unescape(&out).map_or(out.clone(), |text| text.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_read_as_one_line_of_text() {
        let text = |latex: &str| plain_text(&to_mathml(latex, false).unwrap());
        assert_eq!(
            text(r"\sigma(z) = \frac{1}{1 + e^{-z}}"),
            "σ(z)=1/(1+e^(−z))"
        );
        assert_eq!(text(r"w_1 x_1 + \sqrt{x^2}"), "w_1x_1+√(x^2)");
        assert_eq!(text(r"a < b"), "a<b");
        assert_eq!(plain_text("<math><mi>x</mi>"), "x");
        assert_eq!(plain_text("<math><mi>a</mi><mo>&lt;</mo>"), "a<");
    }

    #[test]
    fn formulas_become_mathml() {
        let html = to_mathml(r"y = \sigma(w x + b)", false).unwrap();
        assert!(html.starts_with("<math"), "{html}");
        assert!(html.contains("<mi>σ</mi>"), "{html}");
        assert!(to_mathml(r"\frac{1}{", true).is_err());
    }

    /// Each way of nesting, far past the limit, is refused with a message; just under
    /// the limit it converts, on a thread with the 2 MiB stack of a worker thread.
    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let deep = |open: &str, inner: &str, close: &str, n: usize| {
            format!("{}{inner}{}", open.repeat(n), close.repeat(n))
        };
        let cases = move |n: usize| {
            vec![
                deep("{", "x", "}", n),
                deep(r"\frac{", "1", "}{2}", n),
                deep(r"\sqrt", "x", "", n),
                deep(r"\frac", "12", "", n),
                deep(r"\left(", "x", r"\right)", n),
                deep(r"\begin{matrix}", "x", r"\end{matrix}", n),
                deep("x^{", "y", "}", n),
                deep(r"\sqrt[", "3", "]{x}", n),
                deep(r"\mathbf{\text{", "a", "}}", n),
                // What the rewriting and the macros write nests as deeply as what they read.
                deep(r"\substack{", "a", "}", n),
                deep(r"\textcolor{red}{", "a", "}", n),
                deep(r"\text{$", "a", "$}", n),
                deep(r"\begin{split}", r"a \\ b", r"\end{split}", n),
                deep("{", r"a \tag{1}", "}", n),
            ]
        };
        for formula in cases(5000) {
            let err = to_mathml(&formula, true).unwrap_err();
            assert!(err.contains("nested too deeply"), "{err}");
        }
        std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || {
                for formula in cases(MAX_DEPTH / 2 - 1) {
                    let _ = to_mathml(&formula, false);
                }
            })
            .unwrap()
            .join()
            .expect("no stack overflow just under the limit");
        // Ordinary formulas are far from the limit.
        assert!(nesting(r"\sum_{i=1}^{n} \frac{\partial L}{\partial w_i} \left[ x \right)") < 10);
    }

    /// The rows of a converted display formula, each as its MathML.
    fn rows(latex: &str) -> Vec<String> {
        let mathml = to_mathml(latex, true).unwrap_or_else(|e| panic!("{latex}: {e}"));
        mathml.split("<mtr").skip(1).map(str::to_string).collect()
    }

    /// Each row of `latex` (one per line, the lines of `lines`) has its line's letters,
    /// and there are no other rows: nothing dropped, nothing run together.
    fn assert_rows(latex: &str, lines: &[&str]) {
        let rows = rows(latex);
        assert_eq!(rows.len(), lines.len(), "{latex}: {rows:#?}");
        for (row, line) in rows.iter().zip(lines) {
            for letter in line.chars() {
                assert!(
                    row.contains(&format!("<mi>{letter}</mi>")),
                    "{latex}: {letter} in {row}"
                );
            }
        }
    }

    #[test]
    fn line_breaks_outside_environments_give_one_row_per_line() {
        assert_rows(r"a = b \\ c = d", &["ab", "cd"]);
        assert_rows(r"a \\ b \\ c", &["a", "b", "c"]);
        assert_rows(r"a &= b \\ c &= d", &["ab", "cd"]);
        assert_rows(r"a &= b", &["ab"]);
        assert_rows("a \\newline b \\cr c", &["a", "b", "c"]);
        // The extra space and the `*` of a break are no content: neither shows as text.
        let spaced = rows(r"a \\[2pt] b \\*[-1ex] c \\[0.5\jot] d");
        assert_eq!(spaced.len(), 4, "{spaced:?}");
        assert!(!spaced.concat().contains("pt"), "{spaced:?}");
        // A break that ends the formula starts no line.
        assert_eq!(to_mathml(r"a = b \\", true), to_mathml("a = b", true));
        assert!(rows("a \\\\ % a comment\n").is_empty());
        // `\\&` is a break and then a column; `\\\&` a break and then an ampersand.
        assert_rows(r"a \\& b", &["a", "b"]);
        let ampersand = rows(r"a \\\& b");
        assert_eq!(ampersand.len(), 2);
        assert!(ampersand[1].contains("&amp;"), "{ampersand:?}");
        // Escaped braces and ampersands are no groups and no columns.
        assert!(
            !to_mathml(r"\{ a \& b \}", true)
                .unwrap()
                .contains("<mtable")
        );
    }

    /// A break inside braces (a subscript, an argument) outside any environment has no
    /// row to start, so it is an error that says what to write, not a lost break.
    #[test]
    fn a_break_that_cannot_be_a_row_is_an_error() {
        for latex in [r"\prod_{j=1\\j\neq i} x", r"\left( a \\ b \right)"] {
            let err = to_mathml(latex, true).unwrap_err();
            assert!(
                err.contains("line break") && err.contains("substack"),
                "{err}"
            );
        }
        assert_rows(r"\prod_{\substack{j=1 \\ j \neq i}} x", &["j", "ji"]);
        // Inline, lines would break the paragraph's line: the formula must be display.
        let err = to_mathml(r"a \\ b", false).unwrap_err();
        assert!(err.contains("display math"), "{err}");
        assert!(to_mathml(r"\text{a \\ b}", true).is_err());
    }

    #[test]
    fn environments_give_their_rows() {
        assert_rows(
            r"\begin{aligned} a &= b \\ c &= d \end{aligned}",
            &["ab", "cd"],
        );
        assert_rows(r"\begin{gathered} a \\ b \end{gathered}", &["a", "b"]);
        assert_rows(
            r"f = \begin{cases} a & b \\ c & d \end{cases}",
            &["ab", "cd"],
        );
        assert_rows(
            r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}",
            &["ab", "cd"],
        );
        assert_rows(r"\begin{split} a &= b \\ &= c \end{split}", &["ab", "c"]);
        // The equation's one row, and the split's two in it.
        let split =
            rows(r"\begin{equation} \begin{split} a &= b \\ &= c \end{split} \end{equation}");
        assert_eq!(split.len(), 3, "{split:?}");
        assert_rows(r"\begin{equation} a \\ b \end{equation}", &["a", "b"]);
        assert_rows(
            r"\begin{alignat}{2} a &= b & c &= d \\ e &= f & g &= h \end{alignat}",
            &["abcd", "efgh"],
        );
        assert_rows(
            r"\begin{alignat*}{1} a &= b \\ c &= d \end{alignat*}",
            &["ab", "cd"],
        );
        assert_rows(
            r"\begin{alignedat}{1} a &= b \\ c &= d \end{alignedat}",
            &["ab", "cd"],
        );
        assert_rows(
            r"\begin{eqnarray} a &=& b \\ c &=& d \end{eqnarray}",
            &["ab", "cd"],
        );
        assert_rows(r"\begin{eqnarray*} a &=& b \end{eqnarray*}", &["ab"]);
        assert_rows(
            r"\begin{smallmatrix} a & b & c \\ d & e \end{smallmatrix}",
            &["abc", "de"],
        );
        assert_rows(
            r"\begin{multline} a \\ b \\ c \end{multline}",
            &["a", "b", "c"],
        );
        assert_rows(r"\begin{multline*} a \\ b \end{multline*}", &["a", "b"]);
        assert_rows(
            r"\begin{align} a &= b \\ c &= d \\ \end{align}",
            &["ab", "cd"],
        );
        assert_rows(r"\begin{gather} a \\ b \end{gather}", &["a", "b"]);
        assert_rows(r"\begin{flalign} a &= b \end{flalign}", &["ab"]);
        assert_rows(r"\displaylines{a \\ b}", &["a", "b"]);
        assert_rows(
            r"\begin{array}{r|l} a & b \\ \hline c & d \end{array}",
            &["ab", "cd"],
        );
        // A double rule is drawn as one, rather than refused.
        assert_rows(
            r"\begin{array}{c} a \\ \hline \hline b \end{array}",
            &["a", "b"],
        );
        // The vertical position of an environment is no content.
        let top = to_mathml(r"\begin{aligned}[t] a &= b \end{aligned}", true).unwrap();
        assert!(!top.contains("<mi>t</mi>"), "{top}");
        let err = to_mathml(r"\begin{alignat} a &= b \end{alignat}", true).unwrap_err();
        assert!(err.contains(r"\begin{alignat}{2}"), "{err}");
    }

    /// A formula that is one environment, or has one inside, is not put into another.
    #[test]
    fn environments_are_not_wrapped_again() {
        for latex in [
            r"\begin{aligned} a &= b \\ c &= d \end{aligned}",
            r"x = \begin{pmatrix} a \\ b \end{pmatrix}, \text{a \& b}",
            r"\begin{array}{cc} a & b \\ c & d \end{array}",
            r"\sum_{i} \frac{a}{b} \{x\}",
        ] {
            assert_eq!(rewrite(latex, true).unwrap(), latex);
        }
        let nested = to_mathml(r"\begin{aligned} a \\ b \end{aligned}", true).unwrap();
        assert_eq!(nested.matches("<mtable").count(), 1, "{nested}");
    }

    /// Each formula is converted alone, so an automatic number would be (1) every time:
    /// only a `\tag` shows, and a `\label` (which nothing refers to) goes.
    #[test]
    fn only_tags_number_formulas() {
        for latex in [
            r"\begin{align} a &= b \\ c &= d \end{align}",
            r"\begin{equation} a \end{equation}",
            r"\begin{gather} a \end{gather}",
            r"\begin{multline} a \\ b \end{multline}",
            r"\begin{alignat}{1} a &= b \end{alignat}",
            r"a = b \label{eq:one}",
            r"\begin{align} a &= b \label{eq:two} \nonumber \end{align}",
        ] {
            let mathml = to_mathml(latex, true).unwrap_or_else(|e| panic!("{latex}: {e}"));
            assert!(
                !mathml.contains("(1)") && !mathml.contains("id="),
                "{latex}: {mathml}"
            );
            assert!(mathml.contains("<mi>a</mi>"), "{latex}: {mathml}");
        }
        let tagged = to_mathml(r"E = mc^2 \tag{3}", true).unwrap();
        assert!(
            tagged.contains("(3)") && tagged.contains("<mi>E</mi>"),
            "{tagged}"
        );
        let rows = rows(r"a &= b \\ c &= d \tag{4}");
        assert!(
            rows[1].contains("(4)") && !rows[0].contains("(4)"),
            "{rows:?}"
        );
        let labelled = to_mathml(r"\begin{align} a \label{x} \tag{5} \end{align}", true).unwrap();
        assert!(
            labelled.contains("(5)") && !labelled.contains("id="),
            "{labelled}"
        );
        assert!(
            to_mathml(r"\begin{multline} a \\ b \tag{7} \end{multline}", true)
                .unwrap()
                .contains("(7)")
        );
        let err = to_mathml(r"x \tag{1}", false).unwrap_err();
        assert!(err.contains("display math"), "{err}");
    }

    #[test]
    fn math_inside_text_is_math() {
        let mathml = to_mathml(r"\text{if $x > 0$, else}", true).unwrap();
        assert!(!mathml.contains('$'), "{mathml}");
        assert!(
            mathml.contains("<mi>x</mi>") && mathml.contains("else"),
            "{mathml}"
        );
        // The text and its math stay one superscript.
        let sup = to_mathml(r"y^\text{for $n$} z", true).unwrap();
        let script = &sup[sup.find("<msup>").unwrap()..sup.find("</msup>").unwrap()];
        assert!(
            script.contains("for") && script.contains("<mi>n</mi>"),
            "{sup}"
        );
        assert!(sup.contains("</msup><mi>z</mi>"), "{sup}");
        let nested = to_mathml(r"\textrm{a $\text{b $c$}$ d}", true).unwrap();
        assert!(
            nested.contains("<mi>c</mi>") && !nested.contains('$'),
            "{nested}"
        );
        // An escaped dollar is a dollar sign.
        assert!(to_mathml(r"\text{costs \$5}", true).unwrap().contains('$'));
        assert_eq!(
            to_mathml(r"\mbox{if } x", true),
            to_mathml(r"\text{if } x", true)
        );
    }

    /// Commands that books use convert; those that cannot name themselves and say
    /// what to write instead.
    #[test]
    fn book_commands_convert_or_say_what_to_write() {
        for latex in [
            r"\operatorname*{argmax}_x f(x)",
            r"\boldsymbol{x} + \bm{y} + \mathbf{z}",
            r"a_1 + \cdots + a_n + \dotsb",
            r"\underbrace{a + b}_{n} \overset{!}{=} \xrightarrow{f}",
            r"\mathds{1} \textcolor{red}{x} \widetilde{x} \textnormal{a} \hbox{b}",
            "a \\\n b \\",
        ] {
            assert!(
                to_mathml(latex, true).is_ok(),
                "{latex}: {:?}",
                to_mathml(latex, true)
            );
        }
        for (latex, command) in [
            (r"\newcommand{\R}{\mathbb{R}} \R", r"\newcommand"),
            (r"\DeclareMathOperator{\tr}{tr}", r"\operatorname{"),
            (
                r"\begin{align} a \\ \intertext{so} b \end{align}",
                r"\intertext",
            ),
            (r"\eqref{eq:one}", r"\eqref"),
            (r"a \tag*{A}", r"\tag{"),
        ] {
            let err = to_mathml(latex, true).unwrap_err();
            assert!(err.contains(command), "{latex}: {err}");
        }
    }

    fn settings(macros: &[(&str, &str)]) -> MathSettings {
        MathSettings::new(&MathConfig {
            macros: macros
                .iter()
                .map(|(name, body)| (name.to_string(), body.to_string()))
                .collect(),
            ..MathConfig::default()
        })
    }

    #[test]
    fn site_macros_expand_with_their_arguments() {
        let math = settings(&[
            (r"\vx", r"\mathbf{x}"),
            ("norm", r"\left\lVert #1 \right\rVert"),
        ]);
        let mathml = math.to_mathml(r"\vx \in X, \norm{\vx} = 1", false).unwrap();
        assert_eq!(
            mathml,
            to_mathml(
                r"\mathbf{x} \in X, \left\lVert \mathbf{x} \right\rVert = 1",
                false
            )
            .unwrap()
        );
        // Without the site's macros, `\vx` is unknown; a longer command is not `\vx`.
        assert!(to_mathml(r"\vx", false).is_err());
        assert!(math.to_mathml(r"\vxy", false).is_err());
    }

    #[test]
    fn bad_macros_are_named_with_what_is_wrong() {
        let problems = check_macros(
            &[
                ("R", r"\mathbb{R}"),
                ("two words", "x"),
                ("loop", r"x\loop"),
            ]
            .iter()
            .map(|(name, body)| (name.to_string(), body.to_string()))
            .collect(),
        );
        let keys: Vec<&str> = problems.iter().map(|(key, _)| key.as_str()).collect();
        assert_eq!(keys, ["two words", "loop"]);
        assert!(
            problems[0].1.contains("is not a macro name"),
            "{problems:?}"
        );
        assert!(
            problems[1].1.contains("does a macro use itself"),
            "{problems:?}"
        );
    }

    /// The depth bound applies to the expanded formula, so a formula that nests a deep
    /// macro in itself cannot overflow the converter's stack.
    #[test]
    fn the_depth_bound_applies_after_expansion() {
        let math = settings(&[("f", r"\frac{\sqrt{#1}}{2}")]);
        let nested = format!("{}x{}", r"\f{".repeat(60), "}".repeat(60));
        assert!(to_mathml(&nested.replace(r"\f", r"\mathbf"), true).is_ok());
        let err = math.to_mathml(&nested, true).unwrap_err();
        assert!(err.contains("nested too deeply"), "{err}");
        assert!(math.to_mathml(r"\f{\f{x}}", true).is_ok());
    }

    /// Macros may use text commands and other macros, as in KaTeX.
    #[test]
    fn macros_use_text_commands_and_each_other() {
        let math = settings(&[
            ("alg", r"#1_\textnormal{alg}"),
            ("halo", r"\textsf{Halo}"),
            ("protocol", r"\halo"),
        ]);
        assert_eq!(
            math.to_mathml(r"\alg{A} \protocol", false).unwrap(),
            to_mathml(r"A_\text{alg} \textsf{Halo}", false).unwrap()
        );
    }

    #[test]
    fn underscores_and_ampersands_in_text_are_text() {
        let mathml = to_mathml(r"\text{file_name & co} + \centerdot", true).unwrap();
        // Spaces in text are no-break spaces in MathML.
        let text = mathml.replace('\u{a0}', " ");
        assert!(
            text.contains("<mtext>file_name &amp; co</mtext>"),
            "{mathml}"
        );
    }
}
