//! Stage 3, render: turn a loaded [`Site`] into the files of the published site.
//!
//! One parallel job per lesson renders its Markdown (body and front-matter values), then
//! its page through the Tera template, and hands the page to the sink (the build's
//! staging folder) at once; what it keeps is the lesson's summary, ids and links. Lessons
//! go in parts of the search index's size, each part indexed as soon as its lessons are
//! done, so memory follows the parts in flight, not the site. Links to `#anchors` are
//! checked once every page's ids are known; a build with any problem is thrown away
//! whole. Output order and content never depend on the thread count: results are
//! collected in the site's order. This stage writes nothing but through its sink;
//! [`crate::write`] does that.

mod assets;
pub mod flow;
pub mod highlight;
mod html_urls;
mod inputs;
mod lesson;
pub mod markdown;
pub mod math;
mod math_macros;
pub mod page;
mod pages;
pub mod publish;
pub mod sanitize;
pub mod search;
pub mod study;
pub mod templates;
mod urls;
pub mod widgets;

use std::collections::{HashMap, HashSet};
use std::mem;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use tera::Context;

use crate::config::BaseUrl;
use crate::diagnostics::Diagnostic;
use crate::load::lesson::question_id;
use crate::load::{Course, Lesson, LessonKey, Site};
use crate::output::{Contents, OutputFile};
use crate::sim::SimResults;
use crate::slug::PageIds;
use crate::theme::{self, ThemeFile};
use markdown::{LinkIndex, LinkTarget, MarkdownJob, Origin, RESERVED_IDS, Rendered, Slot};
use page::*;
use templates::Templates;

use assets::{site_wide_files, static_conflicts, theme_assets};
use lesson::{
    CourseText, LessonRender, course_ref, course_text, coverage_id, group_by_part, lesson_page,
    part_ref, sanitize_body,
};
pub use pages::lesson_link;
use pages::{lesson_links, other_pages, page_meta};
use urls::{
    course_asset_path, course_folder, course_icon, course_intro_path, lesson_url, link_index,
    part_id,
};

pub use inputs::Inputs;
pub use urls::{PAGE_FILE, content_path, course_output_path, lesson_output_path, page_path};

pub use crate::load::STATIC_DIR;

/// What a build produced, for the summary line.
#[derive(Debug, Default)]
pub struct Stats {
    pub courses: usize,
    pub lessons: usize,
    /// Files handed to the plan's sink (not among the returned files).
    pub streamed: usize,
}

/// A part of a site to render: what `conceptlab serve` re-renders after a change.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Output paths of the pages to render (`index.html`, `demo/index.html`,
    /// `demo/first/index.html`); other pages are left out of the result.
    pub pages: HashSet<String>,
    /// Content paths (`demo/001-first.md`) of lessons whose Markdown is rendered only to
    /// check their links and anchors again, without rendering their pages.
    pub checked: HashSet<String>,
    /// Only the lesson pages: nothing the rest of the site shows of these lessons
    /// (what lists show, dates, flash cards) changed, so the pages and files that are not
    /// a lesson's are not made.
    pub lessons_only: bool,
}

impl Selection {
    fn wants_lesson(&self, course: &Course, lesson: &Lesson) -> bool {
        self.pages.contains(&lesson_output_path(course, lesson))
            || self.checked.contains(&content_path(course, lesson))
    }
}

/// Where rendered pages go as soon as each is rendered (the build's staging folder), so
/// that the pages of a large site are never all in memory at once. An `Err` is a message
/// about the file that could not be taken.
pub type PageSink<'a> = &'a (dyn Fn(&OutputFile) -> Result<(), String> + Sync);

/// Which pages a render makes.
#[derive(Clone, Copy, Debug)]
pub enum Pages<'a> {
    /// Every page, and the site-wide files (sitemap, feed, decks, copies).
    All,
    /// What `serve` re-renders after a change: the lesson pages of a selection with the
    /// files beside them, and every page and file that is not a lesson's (home, course
    /// pages, review page, sitemap, feed, decks, copies), made from `known`, the
    /// summaries of the lessons not rendered (by content path; a lesson missing there is
    /// rendered for its summary). Links from the selected lessons are checked as in a
    /// full render: the lessons they link to with an `#anchor` are rendered too, for
    /// their ids.
    Selected {
        selection: &'a Selection,
        known: &'a HashMap<String, LessonSummary>,
    },
}

/// What a render does about the search index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Search {
    /// Nothing.
    Off,
    /// Builds the index (when `site.yaml` has search on), in parts, as lessons are done.
    Index,
    /// Returns each rendered lesson's records, for `serve` to index in the background
    /// (when `site.yaml` has search on).
    Records,
}

/// Where rendered files go.
#[derive(Clone, Copy)]
pub enum Destination<'a> {
    /// Returned to the caller (`serve` keeps them in memory).
    Returned,
    /// Pages, with the files that come with them, go to the sink as soon as each is
    /// rendered; the few other files (assets, site-wide files) are returned.
    Sink(PageSink<'a>),
    /// Rendered only to find the site's problems, then dropped.
    Dropped,
}

/// What one render makes, and where it goes.
#[derive(Clone, Copy)]
pub struct RenderPlan<'a> {
    pub pages: Pages<'a>,
    /// Only a render of [`Pages::All`] builds the index; a selection can return records.
    pub search: Search,
    pub output: Destination<'a>,
}

impl<'a> RenderPlan<'a> {
    /// A build: every page into `sink`, with the search index.
    pub fn build(sink: PageSink<'a>) -> RenderPlan<'a> {
        RenderPlan {
            pages: Pages::All,
            search: Search::Index,
            output: Destination::Sink(sink),
        }
    }

    /// Every page, returned, with the search index.
    pub fn all() -> RenderPlan<'static> {
        RenderPlan {
            pages: Pages::All,
            search: Search::Index,
            output: Destination::Returned,
        }
    }

    /// Every page, returned, with every lesson's summary and search records (`serve`'s
    /// full render: it indexes in the background).
    pub fn live() -> RenderPlan<'static> {
        RenderPlan {
            pages: Pages::All,
            search: Search::Records,
            output: Destination::Returned,
        }
    }

    /// The lesson pages of `selection` and every other page, returned, with the rendered
    /// lessons' summaries and search records; `known` holds the other lessons' summaries.
    pub fn selected(
        selection: &'a Selection,
        known: &'a HashMap<String, LessonSummary>,
    ) -> RenderPlan<'a> {
        RenderPlan {
            pages: Pages::Selected { selection, known },
            search: Search::Records,
            output: Destination::Returned,
        }
    }

    /// Every page, only to find the site's problems: nothing is kept and the search
    /// index is not built. What `conceptlab check` and a failed build report.
    pub fn check() -> RenderPlan<'static> {
        RenderPlan {
            pages: Pages::All,
            search: Search::Off,
            output: Destination::Dropped,
        }
    }

    fn selection(&self) -> Option<&'a Selection> {
        match self.pages {
            Pages::All => None,
            Pages::Selected { selection, .. } => Some(selection),
        }
    }
}

/// What a render returns.
pub struct RenderedSite {
    /// The files not handed to a sink.
    pub files: Vec<OutputFile>,
    pub stats: Stats,
    /// With [`Search::Records`]: each lesson rendered, in the site's order.
    pub lessons: Vec<RenderedLesson>,
}

/// A lesson as [`Search::Records`] returns it: what `serve` keeps of it between saves.
pub struct RenderedLesson {
    /// `course/005-file.md`.
    pub content_path: String,
    pub summary: LessonSummary,
    /// Its search records (none when `site.yaml` has search off).
    pub records: Vec<search::Record>,
}

/// Renders `site` under `base` with `sims`' data and the loaded `inputs`, as `plan`
/// says. Returns the files not handed to a sink, or every problem found (what a sink
/// took is then to be thrown away). Reads nothing from disk.
pub fn render(
    site: &Site,
    base: &BaseUrl,
    sims: &SimResults,
    inputs: &Inputs,
    plan: RenderPlan<'_>,
) -> Result<RenderedSite, Vec<Diagnostic>> {
    debug_assert!(
        !(plan.search == Search::Index && plan.selection().is_some()),
        "a render of selected pages does not build the search index"
    );
    let mut errors: Vec<Diagnostic> = static_conflicts(site);
    let templates = match &inputs.templates {
        Ok(templates) => Some(templates),
        Err(e) => {
            errors.extend(e.iter().cloned());
            None
        }
    };
    let job = Renderer {
        site,
        base,
        sims,
        templates,
        selection: plan.selection(),
        output: plan.output,
        search: match plan.search {
            Search::Index if plan.selection().is_some() => Search::Off,
            _ if !site.config.search => Search::Off,
            search => search,
        },
        links: link_index(site, base),
        nav: lesson_links(site, base),
        site_view: site_view(site, base),
        failed: AtomicBool::new(!errors.is_empty()),
        math: math::MathSettings::new(&site.config.math),
    };
    let work: Vec<(&Course, usize)> = site
        .courses
        .iter()
        .flat_map(|c| (0..c.lessons.len()).map(move |i| (c, i)))
        .collect();
    // The index's parts follow the lessons' content paths (`search::parts`); `serve`
    // makes the same parts of the same paths.
    let index_parts = match job.search {
        Search::Off => Vec::new(),
        Search::Index | Search::Records => {
            let paths: Vec<String> = work
                .iter()
                .map(|(c, i)| content_path(c, &c.lessons[*i]))
                .collect();
            search::parts(&paths)
        }
    };
    let (mut rendered, mut outputs) = job.lessons(&work, &index_parts);
    let intros: Vec<CourseText> = site
        .courses
        .par_iter()
        .map(|course| course_text(course, &job.links, site.config.safe_html, job.math))
        .collect();
    let known = match plan.pages {
        Pages::Selected { known, .. } => Some(known),
        Pages::All => None,
    };
    if let Some(known) = known {
        rendered.extend(job.unrendered(&work, &rendered, &intros, known));
    }

    check_anchors(&rendered, &intros, &mut errors);
    // From here on, a lesson is its summary: its ids and links are dropped.
    let lesson_count = rendered.len();
    let keep = plan.search == Search::Records;
    let (summaries, lessons) = summaries(&work, rendered, known, keep);
    let lessons_only = job.selection.is_some_and(|s| s.lessons_only);
    let pages = match lessons_only {
        true => Vec::new(),
        false => other_pages(
            site,
            base,
            &job.site_view,
            &job.nav,
            intros,
            &summaries,
            inputs.review,
        ),
    };
    outputs.par_extend(
        pages
            .into_par_iter()
            .map(|(path, template, ctx)| job.render_page(&path, template, &ctx)),
    );
    let mut files = inputs.assets.clone();
    let mut seen_errors = HashSet::new();
    let mut streamed = 0;
    for output in outputs {
        match output {
            Ok(Some(file)) => files.push(file),
            Ok(None) => streamed += 1,
            // The same template error repeats for every page; report it once.
            Err(e) if seen_errors.insert(e.to_string()) => errors.push(e),
            Err(_) => {}
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if !lessons_only {
        files.extend(site_wide_files(site, base, &job.site_view, &summaries));
        if job.search != Search::Off {
            files.push(search::parts_file(index_parts.len()));
        }
    }
    let stats = Stats {
        courses: site.courses.len(),
        lessons: lesson_count,
        streamed,
    };
    Ok(RenderedSite {
        files,
        stats,
        lessons,
    })
}

/// Every lesson's summary in the site's order, from the lessons rendered or, for a
/// selection, from `known`; and, when the plan asks for records (`keep`), what the caller
/// keeps of each lesson rendered.
fn summaries(
    work: &[(&Course, usize)],
    rendered: Vec<LessonDone>,
    known: Option<&HashMap<String, LessonSummary>>,
    keep: bool,
) -> (Vec<LessonSummary>, Vec<RenderedLesson>) {
    let kept = |done: LessonDone| RenderedLesson {
        content_path: done.content_path,
        summary: done.summary,
        records: done.records,
    };
    let Some(known) = known else {
        // A full render: the lessons are in the site's order already.
        return match keep {
            true => {
                let lessons: Vec<RenderedLesson> = rendered.into_iter().map(kept).collect();
                let summaries = lessons.iter().map(|l| l.summary.clone()).collect();
                (summaries, lessons)
            }
            false => (
                rendered.into_iter().map(|r| r.summary).collect(),
                Vec::new(),
            ),
        };
    };
    let mut by_path: HashMap<String, LessonDone> = rendered
        .into_iter()
        .map(|r| (r.content_path.clone(), r))
        .collect();
    let mut summaries = Vec::with_capacity(work.len());
    let mut lessons = Vec::new();
    for (course, i) in work {
        let path = content_path(course, &course.lessons[*i]);
        match by_path.remove(&path) {
            Some(done) => {
                summaries.push(done.summary.clone());
                lessons.push(kept(done));
            }
            // Every lesson not rendered is known: `Renderer::unrendered` saw to it.
            None => summaries.extend(known.get(&path).cloned()),
        }
    }
    (summaries, lessons)
}

/// What the templates see of the site on every page.
fn site_view(site: &Site, base: &BaseUrl) -> SiteView {
    SiteView {
        title: site.config.title.clone(),
        description: site.config.description.clone(),
        language: site.config.language.clone(),
        author: site.config.author.clone(),
        home_url: base.path.clone(),
        base_path: base.path.clone(),
        origin: base.origin.clone(),
        feed_url: base.origin.as_ref().map(|_| base.join(publish::FEED_PATH)),
        search_url: site
            .config
            .search
            .then(|| base.join(&format!("{}/pagefind.js", search::SEARCH_DIR))),
    }
}

/// One render in progress: what every lesson's job and page needs.
struct Renderer<'a> {
    site: &'a Site,
    base: &'a BaseUrl,
    sims: &'a SimResults,
    /// `None` when the templates are broken: lessons are still rendered, for their
    /// problems, but no page is.
    templates: Option<&'a Templates>,
    selection: Option<&'a Selection>,
    output: Destination<'a>,
    /// What this render does about the search index.
    search: Search,
    links: LinkIndex,
    nav: HashMap<String, Vec<LessonLink>>,
    site_view: SiteView,
    /// Set once anything failed: later index parts are not built then.
    failed: AtomicBool,
    /// `math:` of site.yaml, its macros compiled.
    math: math::MathSettings,
}

impl Renderer<'_> {
    /// A finished file goes to the sink at once, and is dropped here.
    fn take(&self, file: OutputFile) -> Output {
        match self.output {
            Destination::Returned => Ok(Some(file)),
            Destination::Sink(sink) => sink(&file)
                .map(|()| None)
                .map_err(|message| Diagnostic::error(&file.path, message)),
            Destination::Dropped => Ok(None),
        }
    }

    fn render_page(&self, path: &str, template: &str, ctx: &Context) -> Output {
        let Some(templates) = self.templates else {
            return Ok(None);
        };
        let html = templates.render(template, ctx)?;
        self.take(OutputFile {
            path: path.to_string(),
            contents: Contents::Bytes(html.into_bytes()),
        })
    }

    fn page_wanted(&self, path: &str) -> bool {
        self.selection.is_none_or(|s| s.pages.contains(path))
    }

    /// The first course after `course`, in the site's order, that has lessons.
    fn next_course(&self, course: &Course) -> Option<&Course> {
        let courses = &self.site.courses;
        let at = courses.iter().position(|c| c.slug == course.slug)?;
        courses[at + 1..].iter().find(|c| !c.lessons.is_empty())
    }

    /// One lesson: its Markdown, then its page, which goes to the sink at once. What is
    /// kept is what the link check and the site-wide files need, not the HTML.
    fn lesson(&self, (course, i): &(&Course, usize)) -> LessonDone {
        let LessonRender {
            mut page,
            content_path,
            ids,
            mut errors,
            anchors,
            files,
        } = lesson_page(
            course,
            *i,
            &self.nav,
            &self.links,
            self.base,
            self.sims,
            self.math,
        );
        if page.next.is_none() {
            page.next_course = self.next_course(course).map(|c| course_ref(c, self.base));
        }
        if self.site.config.safe_html
            && let Err(why) = sanitize_body(&mut page)
        {
            errors.push(Diagnostic::error(&course.lessons[*i].source.path, why));
        }
        let mut outputs = Vec::new();
        let path = page_path(&page.key);
        if self.page_wanted(&path) {
            // The artifacts the page's widgets fetch come with the page.
            outputs.extend(files.into_iter().map(|f| self.take(f)));
            let mut ctx = Context::new();
            ctx.insert("site", &self.site_view);
            ctx.insert("lesson", &page);
            let lesson_meta = page_meta(
                self.base,
                &page.key.folder(),
                &page.title,
                &page.summary,
                "article",
            );
            ctx.insert("page", &lesson_meta);
            outputs.push(self.render_page(&path, "lesson.html", &ctx));
        }
        let records = match self.search {
            Search::Index | Search::Records => {
                search::records(&page, &self.site.config.language, self.base)
            }
            Search::Off => Vec::new(),
        };
        let summary = page.into_summary();
        if self.page_wanted(&path) {
            // Its Anki deck is in its folder.
            outputs.extend(study::anki_lesson_file(&summary).map(|f| self.take(f)));
        }
        if !errors.is_empty() || outputs.iter().any(Result::is_err) {
            self.failed.store(true, Ordering::Relaxed);
        }
        LessonDone {
            summary,
            content_path,
            ids,
            errors,
            anchors,
            outputs,
            records,
        }
    }

    /// Renders the lessons of `work` that the render wants, in the search index's parts
    /// (`index_parts`; one part when there is no index): a part's index is built as soon
    /// as its lessons are rendered, so the records of the whole site are never in memory
    /// at once. Parts and lessons run in parallel; results are collected in site order,
    /// so the output never depends on the thread count.
    fn lessons(
        &self,
        work: &[(&Course, usize)],
        index_parts: &[Range<usize>],
    ) -> (Vec<LessonDone>, Vec<Output>) {
        let whole = 0..work.len();
        let parts = match self.search {
            Search::Index => index_parts,
            Search::Off | Search::Records => std::slice::from_ref(&whole),
        };
        let one_thread_per_part = parts.len() >= 4 * rayon::current_num_threads();
        let wanted = |(c, i): &&(&Course, usize)| {
            self.selection
                .is_none_or(|s| s.wants_lesson(c, &c.lessons[*i]))
        };
        // The largest parts are taken first, each by the next thread free (`par_bridge`
        // hands them out in this order): parts cut by their lessons' paths differ in size,
        // and a large part taken last left one thread rendering and indexing it alone at
        // the end (at 1,000 lessons, nine parts of 74 to 187 lessons, the 187 eighth:
        // 1.06 of the wall time of even parts, against 0.99 taking the largest first).
        // Every lesson of a part is a job of its own (`with_max_len(1)`): left to itself,
        // rayon stops splitting a range once it has split it a few times, and at the end
        // one thread rendered the last run of lessons while the other had nothing to take
        // (0.45 s of a 10,000-lesson build without search).
        let mut order: Vec<usize> = (0..parts.len()).collect();
        order.sort_by_key(|n| (std::cmp::Reverse(parts[*n].len()), *n));
        let mut parts: Vec<(usize, Vec<LessonDone>, Vec<Output>)> = order
            .into_iter()
            .par_bridge()
            .map(|n| {
                let part = &work[parts[n].clone()];
                // With many parts, each is one thread's work, so at most one part per
                // thread is in memory; with few (a small site, or no index: one part),
                // the lessons of a part run in parallel. Either way the results are in
                // site order.
                let mut done: Vec<LessonDone> = match one_thread_per_part {
                    true => part.iter().filter(wanted).map(|w| self.lesson(w)).collect(),
                    false => part
                        .par_iter()
                        .with_max_len(1)
                        .filter(wanted)
                        .map(|w| self.lesson(w))
                        .collect(),
                };
                let index = match self.search {
                    Search::Index => {
                        let records = done.iter_mut().flat_map(|d| mem::take(&mut d.records));
                        self.index_part(n, records.collect())
                    }
                    Search::Off | Search::Records => Vec::new(),
                };
                (n, done, index)
            })
            .collect();
        // In site order again, whatever order the threads finished in.
        parts.sort_by_key(|(n, _, _)| *n);
        let mut outputs: Vec<Output> = Vec::new();
        let mut rendered: Vec<LessonDone> = Vec::new();
        for (_, mut done, index) in parts {
            for lesson in &mut done {
                outputs.append(&mut lesson.outputs);
            }
            rendered.append(&mut done);
            outputs.extend(index);
        }
        (rendered, outputs)
    }

    fn index_part(&self, n: usize, records: Vec<search::Record>) -> Vec<Output> {
        // A build that already failed writes nothing: its index would be thrown away.
        if self.failed.load(Ordering::Relaxed) {
            return Vec::new();
        }
        let language = self.site.config.language.as_str();
        match search::index_part(n, records, language) {
            Ok(files) => files.into_iter().map(|f| self.take(f)).collect(),
            Err(e) => vec![Err(e)],
        }
    }

    /// For a selection: the lessons not rendered yet that the rendered ones link to with
    /// an `#anchor`, rendered for their ids, and those `known` has no summary of, for
    /// their summaries (their pages are not wanted).
    fn unrendered(
        &self,
        work: &[(&Course, usize)],
        rendered: &[LessonDone],
        intros: &[CourseText],
        known: &HashMap<String, LessonSummary>,
    ) -> Vec<LessonDone> {
        let done: HashSet<&str> = rendered.iter().map(|r| r.content_path.as_str()).collect();
        let targets: HashSet<String> = rendered
            .iter()
            .flat_map(|r| &r.anchors)
            .chain(
                intros
                    .iter()
                    .flat_map(|c| c.texts())
                    .flat_map(|r| &r.anchors),
            )
            .map(|a| a.page.clone())
            .filter(|page| !done.contains(page.as_str()))
            .collect();
        work.par_iter()
            .filter(|(course, i)| {
                let path = content_path(course, &course.lessons[*i]);
                targets.contains(&path)
                    || (!done.contains(path.as_str()) && !known.contains_key(&path))
            })
            .map(|w| self.lesson(w))
            .collect()
    }
}

/// Checks every link to an `#anchor` against the ids of the page it points at (a lesson's,
/// or a course page's: its intros' and its parts'); adds the lessons' and the intros' own
/// problems too.
fn check_anchors(rendered: &[LessonDone], intros: &[CourseText], errors: &mut Vec<Diagnostic>) {
    let ids: HashMap<&str, &HashSet<String>> = rendered
        .iter()
        .map(|r| (r.content_path.as_str(), &r.ids))
        .chain(intros.iter().map(|c| (c.content_path.as_str(), &c.ids)))
        .collect();
    let all = rendered.iter().map(|r| (&r.errors, &r.anchors)).chain(
        intros
            .iter()
            .flat_map(|c| c.texts())
            .map(|r| (&r.errors, &r.anchors)),
    );
    for (found, anchors) in all {
        errors.extend(found.iter().cloned());
        for anchor in anchors {
            let exists = ids
                .get(anchor.page.as_str())
                .is_some_and(|ids| ids.contains(&anchor.anchor));
            if !exists && ids.contains_key(anchor.page.as_str()) {
                errors.push(anchor.missing.clone());
            }
        }
    }
}

/// A page or other file once rendered: taken by the sink (`None`), or returned.
type Output = Result<Option<OutputFile>, Diagnostic>;

/// What is kept of a lesson once its page is rendered.
struct LessonDone {
    summary: LessonSummary,
    content_path: String,
    ids: HashSet<String>,
    errors: Vec<Diagnostic>,
    anchors: Vec<markdown::AnchorRef>,
    /// Its page and its widgets' artifacts, when the render wants them.
    outputs: Vec<Output>,
    /// Its search records, until its part of the index is built.
    records: Vec<search::Record>,
}
