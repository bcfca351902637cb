//! `conceptlab import`: an mdBook or a GitBook made into a conceptlab site.
//!
//! The book's `SUMMARY.md` decides the site's shape: each part (mdBook's `# Part`
//! titles, GitBook's `## Group` headings) becomes a course, a chapter with sub-chapters a
//! course part (its own page the part's introduction), every other page a lesson;
//! deeper levels are flattened into the lessons of their part, in order. The pages are
//! read and converted first ([`convert`]: includes, callouts, math, the title heading,
//! heading anchors), then their links are rewritten to the lessons' files and the files
//! they use copied into the course folders. Nothing is written until every page was
//! read without error.
//!
//! Owns: the mapping from a book to a site, and writing it. Never does: build the site.

pub mod convert;
pub mod gitbook;
pub mod mdbook;
pub mod summary;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use convert::MathStyle;
use convert::{Anchors, Resolved, Resolver};
use summary::Chapter;

use crate::diagnostics::Diagnostic;
use crate::slug::url_slug;

/// The tool that wrote the book.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    MdBook,
    GitBook,
}

/// What `conceptlab import` was asked to do.
#[derive(Clone, Debug)]
pub struct ImportOptions {
    pub format: Format,
    /// The book's folder (the one with `book.toml`, `.gitbook.yaml` or `SUMMARY.md`).
    pub source: PathBuf,
    /// The new site's folder; `None` for a folder named after the book, in the current
    /// folder.
    pub dest: Option<PathBuf>,
    /// Write into a folder that is not empty, replacing its `content/` and `site.yaml`.
    pub force: bool,
}

/// A book's configuration, read by [`mdbook::open`] or [`gitbook::open`].
#[derive(Clone, Debug)]
pub struct Book {
    pub format: Format,
    /// The book's folder, as given.
    pub dir: PathBuf,
    /// The folder the pages are in (mdBook's `src`, GitBook's `root`).
    pub root: PathBuf,
    pub summary: PathBuf,
    pub title: Option<String>,
    /// How the pages write math.
    pub math: MathStyle,
    /// The book's math macros (mdbook-katex's `macros` file): where each is defined
    /// (file, line), its name without the backslash, its definition.
    pub macros: Vec<BookMacro>,
}

/// A math macro a book defines for all its pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BookMacro {
    pub file: PathBuf,
    pub line: usize,
    pub name: String,
    pub definition: String,
}

/// Something the import kept as it was or could not convert: a place in the book to look
/// at.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Note {
    /// The file, as the user would type it.
    pub file: PathBuf,
    pub line: usize,
    pub what: String,
}

/// The notes of an import, in the order they were found.
#[derive(Debug, Default)]
pub struct Notes {
    pub items: Vec<Note>,
}

impl Notes {
    pub fn push(&mut self, file: &Path, line: usize, what: impl Into<String>) {
        self.items.push(Note {
            file: file.to_path_buf(),
            line,
            what: what.into(),
        });
    }
}

/// What an import did, counted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Pages of the book read.
    pub pages: usize,
    pub lessons: usize,
    pub parts: usize,
    pub courses: usize,
    /// Formulas found, and those whose delimiters were changed.
    pub formulas: usize,
    pub formulas_converted: usize,
    /// Dollar signs escaped so that they are not read as math.
    pub dollars: usize,
    /// Image URLs rewritten, and files copied into the course folders.
    pub images: usize,
    pub files_copied: usize,
    /// Links to other pages rewritten to lesson files.
    pub links: usize,
    pub includes: usize,
    pub callouts: usize,
    /// Chapters without a page, left out.
    pub drafts: usize,
    /// The book's math macros, written into site.yaml.
    pub macros: usize,
}

/// The result of an import.
#[derive(Debug)]
pub struct Imported {
    pub dest: PathBuf,
    pub title: String,
    pub counts: Counts,
    /// What needs the author's eye, by file and line.
    pub notes: Vec<Note>,
    pub elapsed: Duration,
}

impl fmt::Display for Imported {
    /// The summary printed after an import.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.counts;
        writeln!(
            f,
            "Imported \"{}\" into {} in {:.2} s:",
            self.title,
            self.dest.display(),
            self.elapsed.as_secs_f64()
        )?;
        writeln!(
            f,
            "  {} pages: {} courses, {} parts, {} lessons",
            c.pages, c.courses, c.parts, c.lessons
        )?;
        writeln!(
            f,
            "  {} formulas ({} with new delimiters), {} dollar signs escaped, {} math macros",
            c.formulas, c.formulas_converted, c.dollars, c.macros
        )?;
        writeln!(
            f,
            "  {} images, {} files copied, {} links between pages rewritten",
            c.images, c.files_copied, c.links
        )?;
        writeln!(
            f,
            "  {} includes resolved, {} callouts, {} draft chapters left out",
            c.includes, c.callouts, c.drafts
        )?;
        if self.notes.is_empty() {
            writeln!(f, "Nothing needs your eye.")?;
        } else {
            writeln!(f, "Needs your eye ({}):", self.notes.len())?;
            for note in &self.notes {
                writeln!(f, "  {}:{}: {}", note.file.display(), note.line, note.what)?;
            }
        }
        write!(f, "Next: conceptlab build --root {}", self.dest.display())
    }
}

/// Imports the book `options.source` into a new site. Every problem with the book (no
/// summary, a page it names that is missing or listed twice, an include cycle) is
/// returned, and then nothing is written.
pub fn import(options: &ImportOptions) -> Result<Imported, Vec<Diagnostic>> {
    let started = Instant::now();
    let book = match options.format {
        Format::MdBook => mdbook::open(&options.source),
        Format::GitBook => gitbook::open(&options.source),
    }
    .map_err(|e| vec![e])?;
    let summary_text = read_text(&book.summary).map_err(|e| {
        vec![e.with_hint(format!(
            "a book's table of contents is {}; is {} the book's folder{}?",
            book.summary
                .file_name()
                .map_or("SUMMARY.md".into(), |n| n.to_string_lossy()),
            book.dir.display(),
            match book.format {
                Format::MdBook => " (the one with book.toml)",
                Format::GitBook => "",
            }
        ))]
    })?;
    let toc = summary::parse(&summary_text);
    let mut notes_for_macros = Notes::default();
    let macros = site_macros(&book.macros, &mut notes_for_macros);
    let mut importer = Importer::new(book, options.format);
    importer.notes.items.append(&mut notes_for_macros.items);
    importer.counts.macros = macros.len();
    let pages = importer.read_pages(&toc, &summary_text)?;
    let title = importer.book_title(&toc, &pages);
    let plan = importer.plan(&toc, &pages, &title);
    let dest = options
        .dest
        .clone()
        .unwrap_or_else(|| PathBuf::from(nonempty(url_slug(&title), "book")));
    prepare_dest(&importer.book.dir, &dest, options.force).map_err(|e| vec![e])?;
    let files = importer.convert(&plan, &pages);
    write_site(&dest, &title, &macros, &files, &importer.copies).map_err(|e| vec![e])?;
    importer.counts.courses = plan.courses.len();
    importer.counts.parts = plan.courses.iter().map(|c| c.parts.len()).sum();
    importer.counts.lessons = plan.lessons.len();
    importer.counts.pages = pages.len();
    importer.counts.files_copied = importer.copies.len();
    importer.notes.items.sort();
    Ok(Imported {
        dest,
        title,
        counts: importer.counts,
        notes: importer.notes.items,
        elapsed: started.elapsed(),
    })
}

fn nonempty(text: String, fallback: &str) -> String {
    if text.is_empty() {
        fallback.to_string()
    } else {
        text
    }
}

/// A file's text, with a byte-order mark and CRLF line ends normalised away.
fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| {
        let why = if e.kind() == std::io::ErrorKind::NotFound {
            "no such file".to_string()
        } else {
            e.to_string()
        };
        Diagnostic::error(path, format!("cannot read: {why}"))
    })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Diagnostic::error(path, "the file is not UTF-8 text"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(text.replace("\r\n", "\n"))
}

/// The first line of a GitHub alert of `kind` (`NOTE`, `TIP`, ...).
pub(crate) fn callout_kind_line(kind: &str) -> String {
    format!("> [!{kind}]")
}

/// A page of the book, read and converted up to its links.
struct Page {
    /// Its path under the book's root, `/`-separated and normalised.
    rel: String,
    /// The file, as the user would type it.
    shown: PathBuf,
    /// Its first heading, else the summary's text for it.
    title: String,
    /// GitBook's `description:`.
    summary: Option<String>,
    /// The body: includes resolved, callouts, math, and without its title heading.
    body: String,
    anchors: Anchors,
    /// The fragments that named the title heading (dropped from links).
    title_ids: HashSet<String>,
}

/// The site's shape: courses of parts of lessons, each lesson a page by index.
#[derive(Debug, Default)]
struct Plan {
    courses: Vec<CoursePlan>,
    /// Every lesson and part introduction: page index -> its file under `content/`.
    lessons: BTreeMap<usize, String>,
    intros: BTreeMap<usize, String>,
    /// The course slug of every page.
    course_of: HashMap<usize, String>,
}

#[derive(Debug)]
struct CoursePlan {
    slug: String,
    title: String,
    parts: Vec<PartPlan>,
}

#[derive(Debug)]
struct PartPlan {
    folder: String,
    title: String,
    intro: Option<usize>,
}

/// The files of the new site under `content/`, by path: their text.
type Files = BTreeMap<String, String>;

struct Importer {
    book: Book,
    format: Format,
    notes: Notes,
    counts: Counts,
    /// Files to copy: path under `content/` -> the book's file.
    copies: BTreeMap<String, PathBuf>,
}

impl Importer {
    fn new(book: Book, format: Format) -> Importer {
        Importer {
            book,
            format,
            notes: Notes::default(),
            counts: Counts::default(),
            copies: BTreeMap::new(),
        }
    }

    /// A path under the book's root as the user would type it.
    fn shown(&self, rel: &str) -> PathBuf {
        self.book.root.join(rel)
    }

    /// Reads every page the summary names, in order. Errors: a page missing, or listed
    /// twice; an include cycle.
    fn read_pages(
        &mut self,
        toc: &summary::Summary,
        summary_text: &str,
    ) -> Result<Vec<Page>, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let mut pages = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for chapter in toc.chapters() {
            let Some(rel) = self.chapter_page(chapter, summary_text) else {
                continue;
            };
            let summary_at = |message: String| {
                Diagnostic::error(&self.book.summary, message).at_offset(summary_text, chapter.at)
            };
            if let Some(first) = seen.get(&rel) {
                let line = crate::diagnostics::Location::of_offset(summary_text, *first).line;
                errors.push(
                    summary_at(format!("the page `{rel}` is listed twice")).with_hint(format!(
                        "it is listed first at line {line}; a page can be one lesson only"
                    )),
                );
                continue;
            }
            seen.insert(rel.clone(), chapter.at);
            let path = self.book.root.join(&rel);
            if !path.is_file() {
                errors.push(
                    summary_at(format!("the page `{rel}` does not exist"))
                        .with_hint(format!("no file {}", path.display())),
                );
                continue;
            }
            match self.read_page(&rel, &chapter.title) {
                Ok(page) => pages.push(page),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if errors.is_empty() {
            Ok(pages)
        } else {
            Err(errors)
        }
    }

    /// The page a chapter names, under the book's root; `None` (listed) for a draft
    /// chapter or a link to another site.
    fn chapter_page(&mut self, chapter: &Chapter, summary_text: &str) -> Option<String> {
        let line = crate::diagnostics::Location::of_offset(summary_text, chapter.at).line;
        let summary_file = self.book.summary.clone();
        let Some(link) = &chapter.link else {
            self.counts.drafts += 1;
            if chapter.children.is_empty() {
                self.notes.push(
                    &summary_file,
                    line,
                    format!(
                        "the draft chapter \"{}\" has no page and is left out",
                        chapter.title
                    ),
                );
            }
            return None;
        };
        if has_scheme(link) {
            self.notes.push(
                &summary_file,
                line,
                format!(
                    "\"{}\" links to another site ({link}) and is left out",
                    chapter.title
                ),
            );
            return None;
        }
        let path = link.split('#').next().unwrap_or_default();
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        normalize("", &decoded)
    }

    /// Reads one page and converts all but its links.
    fn read_page(&mut self, rel: &str, summary_title: &str) -> Result<Page, Vec<Diagnostic>> {
        let path = self.book.root.join(rel);
        let shown = self.shown(rel);
        let text = read_text(&path).map_err(|e| vec![e])?;
        let (text, summary) = match self.format {
            Format::GitBook => front_matter(&text),
            Format::MdBook => (text, None),
        };
        let mut stack = vec![path.canonicalize().unwrap_or(path.clone())];
        let text = self.expand(&text, &path, &shown, &mut stack)?;
        let text = match self.format {
            Format::MdBook => {
                let (text, callouts) = mdbook::admonitions(&text);
                self.counts.callouts += callouts;
                text
            }
            Format::GitBook => {
                let (text, done) = gitbook::blocks(&text, &shown, &mut self.notes);
                self.counts.callouts += done.callouts;
                text
            }
        };
        let (text, math) = convert::math(&text, self.book.math);
        self.counts.formulas += math.formulas;
        self.counts.formulas_converted += math.converted;
        self.counts.dollars += math.dollars;
        let (expanded, defined) = convert::macros(&text);
        for m in defined {
            let line = crate::diagnostics::Location::of_offset(&text, m.at).line;
            self.notes.push(
                &shown,
                line,
                format!(
                    "a formula defines `{}`: written out where the page uses it ({} uses), the definition removed",
                    m.name, m.uses
                ),
            );
        }
        let text = expanded;
        let (title, body) = convert::take_title(&text);
        let title_ids = match &title {
            Some(_) => convert::anchors(&text[..text.len() - body.len()])
                .renamed
                .into_keys()
                .collect(),
            None => HashSet::new(),
        };
        let anchors = convert::anchors(&body);
        for (at, heading) in &anchors.slotted {
            let line = crate::diagnostics::Location::of_offset(&body, *at).line;
            self.notes.push(
                &shown,
                line + text[..text.len() - body.len()].lines().count(),
                format!("conceptlab shows a `## {heading}` section in the lesson's own {heading} part, after the text"),
            );
        }
        Ok(Page {
            rel: rel.to_string(),
            shown,
            title: title.unwrap_or_else(|| summary_title.to_string()),
            summary,
            body,
            anchors,
            title_ids,
        })
    }

    /// The page's text with its includes resolved (recursively; `stack` holds the files
    /// being included, to find cycles).
    fn expand(
        &mut self,
        text: &str,
        path: &Path,
        shown: &Path,
        stack: &mut Vec<PathBuf>,
    ) -> Result<String, Vec<Diagnostic>> {
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        let dir = path.parent().unwrap_or(Path::new("."));
        loop {
            let found = match self.format {
                Format::MdBook => mdbook::next_directive(text, at),
                Format::GitBook => gitbook::next_include(text, at).map(|(span, file)| {
                    mdbook::Directive::Include(mdbook::Include::whole(span, file))
                }),
            };
            let Some(found) = found else { break };
            let (span, include) = match found {
                mdbook::Directive::Escape(backslash) => {
                    out.push_str(&text[at..backslash]);
                    at = backslash + 1;
                    // Step over the `{{#` so that it is not read again.
                    out.push_str(&text[at..at + 3]);
                    at += 3;
                    continue;
                }
                mdbook::Directive::Other {
                    at: start,
                    end,
                    name,
                } => {
                    let line = crate::diagnostics::Location::of_offset(text, start).line;
                    self.notes.push(
                        shown,
                        line,
                        format!("`{{{{#{name}}}}}` is kept as text (conceptlab has no equivalent)"),
                    );
                    out.push_str(&text[at..end]);
                    at = end;
                    continue;
                }
                mdbook::Directive::Include(include) => (include.span.clone(), include),
            };
            out.push_str(&text[at..span.start]);
            at = span.end;
            let mut target = dir.join(&include.path);
            if self.format == Format::GitBook && !target.is_file() {
                // GitBook's reusable blocks are named from the book's root.
                target = self
                    .book
                    .root
                    .join(include.path.to_string_lossy().trim_start_matches('/'));
            }
            let line = crate::diagnostics::Location::of_offset(text, span.start).line;
            let canonical = target.canonicalize().unwrap_or(target.clone());
            if stack.contains(&canonical) {
                return Err(vec![
                    Diagnostic::error(
                        shown,
                        format!(
                            "an include cycle: `{}` includes itself",
                            include.path.display()
                        ),
                    )
                    .at_offset(text, span.start)
                    .with_hint("an included file cannot include the file that includes it"),
                ]);
            }
            // A book may include files beside it (its repository's examples), which then
            // become part of the site: each is listed, so that nothing private is published
            // unseen, and none outside the book's repository (the nearest folder above it
            // with `.git`) is read. An absolute path is never a book's own file (GitBook's
            // `/...` is from the book's root, above).
            let book_dir = self
                .book
                .dir
                .canonicalize()
                .unwrap_or(self.book.dir.clone());
            let repository = book_dir.ancestors().find(|dir| dir.join(".git").exists());
            let outside_repository = repository.is_some_and(|repo| !canonical.starts_with(repo));
            if (include.path.is_absolute() && self.format == Format::MdBook) || outside_repository {
                self.notes.push(
                    shown,
                    line,
                    format!(
                        "the included file `{}` is outside the book's repository; the include \
                         is kept as written",
                        include.path.display()
                    ),
                );
                out.push_str(&text[span]);
                continue;
            }
            if target.is_file() && !canonical.starts_with(&book_dir) {
                self.notes.push(
                    shown,
                    line,
                    format!(
                        "the included file `{}` is outside the book's folder; it is included, \
                         check that it is meant to be published",
                        include.path.display()
                    ),
                );
            }
            let Ok(included) = read_text(&target) else {
                self.notes.push(
                    shown,
                    line,
                    format!(
                        "the included file `{}` does not exist; the include is kept",
                        include.path.display()
                    ),
                );
                out.push_str(&text[span]);
                continue;
            };
            let Some(excerpt) = mdbook::excerpt(&included, &include) else {
                self.notes.push(
                    shown,
                    line,
                    format!(
                        "no anchor in `{}` matches the include; it is kept",
                        include.path.display()
                    ),
                );
                out.push_str(&text[span]);
                continue;
            };
            if include.rustdoc {
                self.notes.push(shown, line, "`{{#rustdoc_include}}` is included like `{{#include}}`: lines mdBook would hide are shown");
            }
            stack.push(canonical);
            let expanded = self.expand(&excerpt, &target, &target, stack)?;
            stack.pop();
            out.push_str(&expanded);
            self.counts.includes += 1;
        }
        out.push_str(&text[at..]);
        Ok(out)
    }

    /// The book's title: `book.toml`'s or `book.json`'s, else the first page's heading,
    /// else the summary's own title, else the folder's name.
    fn book_title(&self, toc: &summary::Summary, pages: &[Page]) -> String {
        let generic = |t: &str| {
            matches!(
                t.to_lowercase().as_str(),
                "summary" | "table of contents" | "contents"
            )
        };
        self.book
            .title
            .clone()
            .or_else(|| pages.first().map(|p| p.title.clone()))
            .or_else(|| toc.title.clone().filter(|t| !generic(t)))
            .or_else(|| {
                self.book
                    .dir
                    .canonicalize()
                    .ok()
                    .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            })
            .unwrap_or_else(|| "Imported book".into())
    }

    /// Maps the summary's groups and chapters to courses, parts and lessons.
    fn plan(&mut self, toc: &summary::Summary, pages: &[Page], title: &str) -> Plan {
        let index: HashMap<&str, usize> = pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.rel.as_str(), i))
            .collect();
        let page_of = |chapter: &Chapter| {
            let link = chapter.link.as_deref()?;
            let path = link.split('#').next()?;
            let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
            normalize("", &decoded).and_then(|rel| index.get(rel.as_str()).copied())
        };
        let mut plan = Plan::default();
        let mut course_slugs = HashSet::new();
        for group in &toc.groups {
            if group.chapters.is_empty() {
                continue;
            }
            let course_title = group.title.clone().unwrap_or_else(|| title.to_string());
            let slug = unique(
                &mut course_slugs,
                &nonempty(url_slug(&course_title), "course"),
            );
            let mut course = CoursePlan {
                slug: slug.clone(),
                title: course_title,
                parts: Vec::new(),
            };
            let mut lesson_slugs = HashSet::new();
            let mut part_slugs = HashSet::new();
            let mut top = 0;
            for chapter in &group.chapters {
                let children = flatten(&chapter.children, &page_of);
                let page = page_of(chapter);
                if children.is_empty() && page.is_none() {
                    continue;
                }
                if children.is_empty() && course.parts.is_empty() {
                    // A lesson of its own, before any part.
                    if let Some(page) = page {
                        top += 1;
                        let file = lesson_file(&slug, None, top, &pages[page], &mut lesson_slugs);
                        plan.lessons.insert(page, file);
                        plan.course_of.insert(page, slug.clone());
                    }
                    continue;
                }
                // A part: the chapter's page is its introduction, the sub-chapters its
                // lessons. A lone chapter after the first part is a part of one lesson,
                // so that the book's order is kept (lessons outside parts come first).
                let part_title =
                    page.map_or_else(|| chapter.title.clone(), |p| pages[p].title.clone());
                let number = (course.parts.len() + 1) * 10;
                let folder = format!(
                    "{number:03}-{}",
                    unique(&mut part_slugs, &nonempty(url_slug(&part_title), "part"))
                );
                let (intro, lessons) = if children.is_empty() {
                    (None, vec![page.expect("a lone chapter has a page")])
                } else {
                    (page, children)
                };
                if let Some(intro) = intro {
                    plan.intros
                        .insert(intro, format!("{slug}/{folder}/{}", PART_FILE));
                    plan.course_of.insert(intro, slug.clone());
                }
                for (n, page) in lessons.into_iter().enumerate() {
                    let file =
                        lesson_file(&slug, Some(&folder), n + 1, &pages[page], &mut lesson_slugs);
                    plan.lessons.insert(page, file);
                    plan.course_of.insert(page, slug.clone());
                }
                course.parts.push(PartPlan {
                    folder,
                    title: part_title,
                    intro,
                });
            }
            if top > 0 || !course.parts.is_empty() {
                plan.courses.push(course);
            }
        }
        plan
    }

    /// Converts every page's links and writes the site's files (as text, by path).
    fn convert(&mut self, plan: &Plan, pages: &[Page]) -> Files {
        let mut files = Files::new();
        let targets: HashMap<&str, usize> = pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.rel.as_str(), i))
            .collect();
        for (order, course) in plan.courses.iter().enumerate() {
            let text = format!(
                "---\ntitle: {}\norder: {}\n---\n",
                yaml_string(&course.title),
                order + 1
            );
            files.insert(format!("{}/_course.md", course.slug), text);
            for part in &course.parts {
                let path = format!("{}/{}/{PART_FILE}", course.slug, part.folder);
                let body = match part.intro {
                    Some(page) => self.body(plan, pages, &targets, page, &path),
                    None => String::new(),
                };
                files.insert(
                    path,
                    format!("---\ntitle: {}\n---\n{body}", yaml_string(&part.title)),
                );
            }
        }
        for (&page, file) in &plan.lessons {
            let body = self.body(plan, pages, &targets, page, file);
            let p = &pages[page];
            let (order, slug) = order_and_slug(file);
            let mut head = format!(
                "---\ntitle: {}\nslug: {slug}\norder: {order}\n",
                yaml_string(&p.title)
            );
            if let Some(summary) = &p.summary {
                head.push_str(&format!("summary: {}\n", yaml_string(summary)));
            }
            head.push_str("---\n");
            files.insert(file.clone(), head + &body);
        }
        files
    }

    /// A page's body with its links rewritten for the file `file`.
    fn body(
        &mut self,
        plan: &Plan,
        pages: &[Page],
        targets: &HashMap<&str, usize>,
        page: usize,
        file: &str,
    ) -> String {
        let course = plan.course_of.get(&page).cloned().unwrap_or_default();
        let mut links = Links {
            importer: self,
            plan,
            pages,
            targets,
            page,
            file,
            course: &course,
        };
        convert::links(&pages[page].body, &mut links)
    }
}

/// The lessons of a part: every page among `chapters` and their sub-chapters, depth
/// first.
fn flatten(chapters: &[Chapter], page_of: &impl Fn(&Chapter) -> Option<usize>) -> Vec<usize> {
    let mut out = Vec::new();
    for chapter in chapters {
        out.extend(page_of(chapter));
        out.extend(flatten(&chapter.children, page_of));
    }
    out
}

/// A part's file in its folder.
const PART_FILE: &str = "_part.md";

/// `course/NNN-slug.md` or `course/part/NNN-slug.md`, with a slug unique in the course.
fn lesson_file(
    course: &str,
    part: Option<&str>,
    number: usize,
    page: &Page,
    slugs: &mut HashSet<String>,
) -> String {
    let stem = Path::new(&page.rel)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let base = [url_slug(&page.title), url_slug(&stem)]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or_else(|| "page".into());
    let slug = unique(slugs, &base);
    match part {
        Some(part) => format!("{course}/{part}/{number:03}-{slug}.md"),
        None => format!("{course}/{number:03}-{slug}.md"),
    }
}

/// The order and slug of a lesson file written by [`lesson_file`].
fn order_and_slug(file: &str) -> (usize, String) {
    let stem = file
        .rsplit('/')
        .next()
        .unwrap_or(file)
        .trim_end_matches(".md");
    let (number, slug) = stem.split_once('-').unwrap_or((stem, stem));
    (number.parse().unwrap_or(1), slug.to_string())
}

/// `base`, or `base-2`, `base-3`, ... when taken.
fn unique(taken: &mut HashSet<String>, base: &str) -> String {
    let mut candidate = base.to_string();
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

/// A YAML double-quoted string (JSON's escapes are YAML's).
fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string always serialises")
}

/// GitBook's YAML front-matter removed, its `description:` kept as the summary.
fn front_matter(text: &str) -> (String, Option<String>) {
    let Some(rest) = text.strip_prefix("---\n") else {
        return (text.to_string(), None);
    };
    let Some(end) = rest
        .find("\n---\n")
        .map(|i| i + 1)
        .or_else(|| rest.strip_suffix("\n---").map(|r| r.len() + 1))
    else {
        return (text.to_string(), None);
    };
    let yaml = &rest[..end];
    let description = yaml_serde::from_str::<yaml_serde::Value>(yaml)
        .ok()
        .and_then(|v| {
            v.get("description")
                .and_then(|d| d.as_str())
                .map(str::to_string)
        })
        .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|d| !d.is_empty());
    let body = rest[end..]
        .strip_prefix("---\n")
        .or_else(|| rest[end..].strip_prefix("---"))
        .unwrap_or("");
    // Keep the line count: the front-matter's lines become empty lines.
    let blank = "\n".repeat(yaml.lines().count() + 2);
    (blank + body, description)
}

/// Whether `url` starts with a scheme (`https:`, `mailto:`) or is protocol-relative.
fn has_scheme(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    let Some(colon) = url.find(':') else {
        return false;
    };
    let scheme = &url[..colon];
    !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// `path` resolved against the folder `dir` (both `/`-separated, under the book's root),
/// normalised; `None` if it leaves the root.
fn normalize(dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|p| !p.is_empty()).collect()
    };
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// The path from the folder of `from` to `to` (both files under `content/`).
fn relative(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> =
        from.split('/').collect::<Vec<_>>()[..from.split('/').count() - 1].to_vec();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out: Vec<&str> = vec![".."; from_dir.len() - common];
    out.extend(&to_parts[common..]);
    out.join("/")
}

/// A path that may hold characters with a meaning in URLs, as a URL path.
fn url_path(path: &str) -> String {
    path.replace('%', "%25")
        .replace('#', "%23")
        .replace('?', "%3F")
}

/// Where the links of one page lead.
struct Links<'a> {
    importer: &'a mut Importer,
    plan: &'a Plan,
    pages: &'a [Page],
    targets: &'a HashMap<&'a str, usize>,
    page: usize,
    /// The file being written, under `content/`.
    file: &'a str,
    course: &'a str,
}

impl Links<'_> {
    fn note(&mut self, at: usize, what: String) {
        let page = &self.pages[self.page];
        let line = crate::diagnostics::Location::of_offset(&page.body, at).line;
        let shown = page.shown.clone();
        self.importer.notes.push(&shown, line, what);
    }

    /// The fragment for a link to `target`: `#` and its conceptlab id, or nothing for
    /// the title heading or a heading the page does not have (listed).
    fn fragment(&mut self, target: usize, fragment: &str, at: usize, url: &str) -> String {
        let fragment = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
        let page = &self.pages[target];
        if let Some(id) = page.anchors.find(&fragment) {
            return format!("#{id}");
        }
        if !page.title_ids.contains(fragment.as_ref()) && !fragment.is_empty() {
            self.note(at, format!("`{url}`: the page has no heading `#{fragment}`; the link goes to the top of the page"));
        }
        String::new()
    }

    /// Where a link to page `target` leads from this file.
    fn page_link(
        &mut self,
        target: usize,
        fragment: Option<&str>,
        at: usize,
        url: &str,
    ) -> Resolved {
        let file = if let Some(lesson) = self.plan.lessons.get(&target) {
            lesson.clone()
        } else if let Some(intro) = self.plan.intros.get(&target) {
            // A part's introduction is its section of the course page, where a link
            // to its `_part.md` leads.
            intro.clone()
        } else {
            self.note(
                at,
                format!("`{url}` links to a page the site does not have; the link is removed"),
            );
            return Resolved::Drop;
        };
        let fragment = match fragment {
            Some(f) if self.plan.lessons.contains_key(&target) => self.fragment(target, f, at, url),
            _ => String::new(),
        };
        self.importer.counts.links += 1;
        Resolved::Replace(format!(
            "{}{fragment}",
            url_path(&relative(self.file, &file))
        ))
    }
}

impl Resolver for Links<'_> {
    fn resolve(&mut self, url: &str, at: usize) -> Resolved {
        let url = url.trim();
        if url.is_empty() || has_scheme(url) || url.starts_with('/') {
            return Resolved::Keep;
        }
        if let Some(fragment) = url.strip_prefix('#') {
            let fragment = fragment.to_string();
            let found = self.fragment(self.page, &fragment, at, url);
            return if found.is_empty() {
                Resolved::Drop
            } else if found == format!("#{fragment}") {
                Resolved::Keep
            } else {
                Resolved::Replace(found)
            };
        }
        let (path, fragment) = match url.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (url, None),
        };
        let path = path.split('?').next().unwrap_or(path);
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let here = &self.pages[self.page].rel;
        let dir = here.rsplit_once('/').map_or("", |(d, _)| d);
        let Some(target) = normalize(dir, &decoded) else {
            self.note(
                at,
                format!("`{url}` points outside the book; the link is removed"),
            );
            return Resolved::Drop;
        };
        // A page: by its name, its `.html` name (mdBook's output), or a folder's README.
        // mdBook writes a page as `.html`, and a folder's README.md as its index.html.
        let html = target.strip_suffix(".html").unwrap_or_default();
        let candidates = [
            target.clone(),
            format!("{html}.md"),
            html.strip_suffix("index")
                .map(|t| format!("{t}README.md"))
                .unwrap_or_default(),
            format!("{}/README.md", target.trim_end_matches('/')),
            format!("{}/index.md", target.trim_end_matches('/')),
        ];
        if let Some(&page) = candidates
            .iter()
            .find_map(|c| self.targets.get(c.trim_start_matches('/')))
        {
            return self.page_link(page, fragment, at, url);
        }
        if target.ends_with(".md") || target.ends_with(".html") {
            let what = if self.importer.book.root.join(&target).is_file() {
                "a page that SUMMARY.md does not list"
            } else {
                "a page that does not exist"
            };
            self.note(at, format!("`{url}` links to {what}; the link is removed"));
            return Resolved::Drop;
        }
        let source = self.importer.book.root.join(&target);
        if !source.is_file() {
            self.note(
                at,
                format!("`{url}`: no such file in the book; the link is removed"),
            );
            return Resolved::Drop;
        }
        let copy = format!("{}/{target}", self.course);
        self.importer.copies.insert(copy.clone(), source);
        if is_image(&target) {
            self.importer.counts.images += 1;
        }
        let fragment = fragment.map(|f| format!("#{f}")).unwrap_or_default();
        Resolved::Replace(format!(
            "{}{fragment}",
            url_path(&relative(self.file, &copy))
        ))
    }
}

fn is_image(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [
        ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp", ".ico",
    ]
    .iter()
    .any(|e| lower.ends_with(e))
}

/// Checks that `dest` may be written: not the book's folder or one that holds it, and
/// empty unless `force` (which then removes its `content/` and `site.yaml`).
fn prepare_dest(source: &Path, dest: &Path, force: bool) -> Result<(), Diagnostic> {
    let source = source.canonicalize().unwrap_or(source.to_path_buf());
    if let Ok(dest_real) = dest.canonicalize() {
        if source.starts_with(&dest_real) {
            return Err(
                Diagnostic::error(dest, "the destination holds the book being imported")
                    .with_hint("choose a folder outside the book"),
            );
        }
        let empty = std::fs::read_dir(&dest_real)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if dest_real.is_file() {
            return Err(Diagnostic::error(dest, "the destination is a file"));
        }
        if !empty && !force {
            return Err(Diagnostic::error(dest, "the destination folder is not empty")
                .with_hint("choose a new or empty folder, or pass --force to replace its content/ and site.yaml"));
        }
        if force {
            let content = dest.join("content");
            if content.exists() {
                std::fs::remove_dir_all(&content)
                    .map_err(|e| Diagnostic::error(&content, format!("cannot remove: {e}")))?;
            }
        }
    }
    Ok(())
}

/// The book's macros for `math.macros` in site.yaml; each one that is not a macro (a bad
/// name, an expansion that never ends) is left out and noted.
fn site_macros(macros: &[BookMacro], notes: &mut Notes) -> BTreeMap<String, String> {
    let mut kept: BTreeMap<String, String> = macros
        .iter()
        .map(|m| (m.name.clone(), m.definition.clone()))
        .collect();
    for (name, why) in crate::render::math::check_macros(&kept) {
        if let Some(m) = macros.iter().rev().find(|m| m.name == name) {
            notes.push(&m.file, m.line, format!("{why} (left out of site.yaml)"));
        }
        kept.remove(&name);
    }
    kept
}

/// Writes `site.yaml`, the files under `content/` and the copies.
fn write_site(
    dest: &Path,
    title: &str,
    macros: &BTreeMap<String, String>,
    files: &Files,
    copies: &BTreeMap<String, PathBuf>,
) -> Result<(), Diagnostic> {
    let write = |path: &Path, text: &[u8]| -> Result<(), Diagnostic> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Diagnostic::error(parent, format!("cannot create the folder: {e}")))?;
        }
        std::fs::write(path, text)
            .map_err(|e| Diagnostic::error(path, format!("cannot write: {e}")))
    };
    let mut site = format!(
        "title: {}\nbase_url: /\n# A book has no flash cards or interview questions: check does not ask for them.\nwarnings: {{ no_flashcards: false, no_questions: false }}\n",
        yaml_string(title)
    );
    if !macros.is_empty() {
        site.push_str(
            "# The book's math macros, for every formula of the site.\nmath:\n  macros:\n",
        );
        for (name, definition) in macros {
            site.push_str(&format!(
                "    {}: {}\n",
                yaml_string(name),
                yaml_string(definition)
            ));
        }
    }
    write(&dest.join("site.yaml"), site.as_bytes())?;
    let content = dest.join("content");
    for (path, text) in files {
        write(&content.join(path), text.as_bytes())?;
    }
    for (path, source) in copies {
        let bytes = std::fs::read(source)
            .map_err(|e| Diagnostic::error(source, format!("cannot read: {e}")))?;
        write(&content.join(path), &bytes)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_between_content_files() {
        assert_eq!(
            relative("c/010-a/001-x.md", "c/020-b/002-y.md"),
            "../020-b/002-y.md"
        );
        assert_eq!(relative("c/001-x.md", "c/010-a/001-y.md"), "010-a/001-y.md");
        assert_eq!(
            relative("c/010-a/_part.md", "c/010-a/img/p.png"),
            "img/p.png"
        );
        assert_eq!(
            relative("c/010-a/001-x.md", "d/_course.md"),
            "../../d/_course.md"
        );
    }

    #[test]
    fn paths_are_normalised_under_the_root() {
        assert_eq!(normalize("a/b", "../c/./d.md").as_deref(), Some("a/c/d.md"));
        assert_eq!(normalize("a", "../../x.md"), None);
        assert_eq!(normalize("a", "/top.md").as_deref(), Some("top.md"));
    }

    #[test]
    fn gitbook_front_matter_gives_the_summary_and_keeps_lines() {
        let (body, summary) = front_matter("---\ndescription: >-\n  A short\n  page.\n---\n# T\n");
        assert_eq!(summary.as_deref(), Some("A short page."));
        assert_eq!(body, "\n\n\n\n\n# T\n");
    }

    #[test]
    fn schemes_are_told_from_paths() {
        assert!(has_scheme("https://x.org"));
        assert!(has_scheme("mailto:a@b"));
        assert!(!has_scheme("a/b.md"));
    }
}
