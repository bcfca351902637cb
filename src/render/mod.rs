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
mod lesson;
pub mod markdown;
pub mod math;
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
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use tera::Context;

use crate::config::BaseUrl;
use crate::diagnostics::Diagnostic;
use crate::load::lesson::question_id;
use crate::load::{Course, Lesson, Site};
use crate::output::{Contents, OutputFile};
use crate::sim::SimResults;
use crate::slug::PageIds;
use crate::theme::{self, ThemeFile};
use markdown::{LinkIndex, LinkTarget, MarkdownJob, Origin, RESERVED_IDS, Rendered, Slot};
use page::*;
use templates::Templates;

use assets::{site_wide_files, theme_assets};
use lesson::{LessonRender, course_intro, coverage_id, lesson_page, sanitize_body};
use pages::{lesson_links, other_pages, page_meta};
use urls::{content_path, lesson_output_path_of, lesson_url, link_index};

pub use urls::lesson_output_path;

pub use crate::load::STATIC_DIR;

/// What a build produced, for the summary line.
#[derive(Debug, Default)]
pub struct Stats {
    pub courses: usize,
    pub lessons: usize,
    /// Files handed to the sink of [`render_site_into`] (not among the returned files).
    pub streamed: usize,
}

/// Renders every page of `site`; on failure, returns every problem found.
pub fn render_site(
    site: &Site,
    base: &BaseUrl,
    sims: &SimResults,
) -> Result<(Vec<OutputFile>, Stats), Vec<Diagnostic>> {
    render_selected(site, base, sims, None)
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
}

impl Selection {
    fn wants_lesson(&self, course: &Course, lesson: &Lesson) -> bool {
        self.pages.contains(&lesson_output_path(course, lesson))
            || self.checked.contains(&content_path(course, lesson))
    }
}

/// Renders the pages of `selection` (every page when `None`); on failure, returns every
/// problem found. Links from the selected lessons are checked as in a full build: the
/// lessons they link to with an `#anchor` are rendered too, for their ids.
pub fn render_selected(
    site: &Site,
    base: &BaseUrl,
    sims: &SimResults,
    selection: Option<&Selection>,
) -> Result<(Vec<OutputFile>, Stats), Vec<Diagnostic>> {
    render(site, base, sims, selection, None, selection.is_none())
}

/// Renders every page of `site` only to find its problems: nothing is kept and the
/// search index is not built. What `conceptlab check` and a failed build report.
pub fn check_site(
    site: &Site,
    base: &BaseUrl,
    sims: &SimResults,
) -> Result<Stats, Vec<Diagnostic>> {
    render(site, base, sims, None, Some(&|_| Ok(())), false).map(|(_, stats)| stats)
}

/// Where rendered pages go as soon as each is rendered (the build's staging folder), so
/// that the pages of a large site are never all in memory at once. An `Err` is a message
/// about the file that could not be taken.
pub type PageSink<'a> = &'a (dyn Fn(&OutputFile) -> Result<(), String> + Sync);

/// Renders every page of `site` into `sink`; returns the other files (assets, simulation
/// data, site-wide files), which are few and small. On failure, returns every problem
/// found; what the sink took is then to be thrown away.
pub fn render_site_into(
    site: &Site,
    base: &BaseUrl,
    sims: &SimResults,
    sink: PageSink<'_>,
) -> Result<(Vec<OutputFile>, Stats), Vec<Diagnostic>> {
    render(site, base, sims, None, Some(sink), true)
}

fn render(
    site: &Site,
    base: &BaseUrl,
    sims: &SimResults,
    selection: Option<&Selection>,
    sink: Option<PageSink<'_>>,
    index_search: bool,
) -> Result<(Vec<OutputFile>, Stats), Vec<Diagnostic>> {
    let theme_files = theme::load(&site.root, &site.config.theme).map_err(|e| vec![e])?;
    let (mut files, asset_urls) = theme_assets(&theme_files);
    let asset_urls = asset_urls
        .into_iter()
        .map(|(name, path)| (name, base.join(&path)))
        .collect();
    let mut errors: Vec<Diagnostic> = Vec::new();
    let templates = match Templates::load(&site.root, &theme_files, base, asset_urls) {
        Ok(t) => Some(t),
        Err(e) => {
            errors.extend(e);
            None
        }
    };
    let links = link_index(site, base);
    let nav = lesson_links(site, base);
    let site_data = SiteData {
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
    };
    // A finished file goes to the sink at once, and is dropped here.
    let take = |file: OutputFile| -> Output {
        match sink {
            Some(sink) => sink(&file)
                .map(|()| None)
                .map_err(|message| Diagnostic::error(&file.path, message)),
            None => Ok(Some(file)),
        }
    };
    let render_page = |path: &str, template: &str, ctx: &Context| -> Output {
        let Some(templates) = &templates else {
            return Ok(None);
        };
        let html = templates.render(template, ctx)?;
        take(OutputFile {
            path: path.to_string(),
            contents: Contents::Bytes(html.into_bytes()),
        })
    };
    let page_wanted = |path: &str| selection.is_none_or(|s| s.pages.contains(path));

    // One job per lesson: its Markdown, then its page, which goes to the sink at once.
    // What is kept is what the link check and the site-wide files need, not the HTML.
    let safe_html = site.config.safe_html;
    let search_on = index_search && selection.is_none() && site.config.search;
    let language = site.config.language.as_str();
    let failed = AtomicBool::new(!errors.is_empty());
    let lesson_job = |(course, i): &(&Course, usize)| -> LessonDone {
        let LessonRender {
            mut page,
            content_path,
            ids,
            mut errors,
            anchors,
            files,
        } = lesson_page(course, *i, &nav, &links, base, sims);
        if safe_html && let Err(why) = sanitize_body(&mut page) {
            errors.push(Diagnostic::error(&course.lessons[*i].source.path, why));
        }
        let mut outputs = Vec::new();
        let path = lesson_output_path_of(&page);
        if page_wanted(&path) {
            // The artifacts the page's widgets fetch come with the page.
            outputs.extend(files.into_iter().map(take));
            let mut ctx = Context::new();
            ctx.insert("site", &site_data);
            ctx.insert("lesson", &page);
            let lesson_meta = page_meta(
                base,
                &format!("{}/{}/", page.course.slug, page.slug),
                &page.title,
                &page.summary,
                "article",
            );
            ctx.insert("page", &lesson_meta);
            outputs.push(render_page(&path, "lesson.html", &ctx));
        }
        let records = match search_on {
            true => search::records(&page, language, base),
            false => Vec::new(),
        };
        let summary = page.into_summary();
        if selection.is_none() {
            // Its Anki deck, a site-wide file, comes with full renders only.
            outputs.extend(study::anki_lesson_file(&summary).map(take));
        }
        if !errors.is_empty() || outputs.iter().any(Result::is_err) {
            failed.store(true, Ordering::Relaxed);
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
    };

    // Lessons go in parts of the search index's size (one part when there is no index):
    // a part's index is built as soon as its lessons are rendered, so the records of the
    // whole site are never in memory at once. Parts and lessons run in parallel; results
    // are collected in site order, so the output never depends on the thread count.
    let work: Vec<(&Course, usize)> = site
        .courses
        .iter()
        .flat_map(|c| (0..c.lessons.len()).map(move |i| (c, i)))
        .collect();
    let part_size = match search_on {
        true => search::part_size(work.len()),
        false => work.len().max(1),
    };
    let one_thread_per_part = work.len().div_ceil(part_size) >= 4 * rayon::current_num_threads();
    let index_part = |n: usize, records: Vec<search::Record>| -> Vec<Output> {
        // A build that already failed writes nothing: its index would be thrown away.
        if failed.load(Ordering::Relaxed) {
            return Vec::new();
        }
        match search::index_part(n, records, language) {
            Ok(files) => files.into_iter().map(take).collect(),
            Err(e) => vec![Err(e)],
        }
    };
    let parts: Vec<(Vec<LessonDone>, Vec<Output>)> = work
        .par_chunks(part_size)
        .enumerate()
        .map(|(n, part)| {
            let wanted = |(c, i): &&(&Course, usize)| {
                selection.is_none_or(|s| s.wants_lesson(c, &c.lessons[*i]))
            };
            // With many parts, each is one thread's work, so at most one part per thread
            // is in memory; with few (a small site, or no index: one part), the lessons
            // of a part run in parallel. Either way the results are in site order.
            let mut done: Vec<LessonDone> = match one_thread_per_part {
                true => part.iter().filter(wanted).map(lesson_job).collect(),
                false => part.par_iter().filter(wanted).map(lesson_job).collect(),
            };
            let index = match search_on {
                true => {
                    let records = done.iter_mut().flat_map(|d| mem::take(&mut d.records));
                    index_part(n, records.collect())
                }
                false => Vec::new(),
            };
            (done, index)
        })
        .collect();
    let mut outputs: Vec<Output> = Vec::new();
    let mut rendered: Vec<LessonDone> = Vec::new();
    for (mut done, index) in parts {
        for lesson in &mut done {
            outputs.append(&mut lesson.outputs);
        }
        rendered.append(&mut done);
        outputs.extend(index);
    }
    if search_on && work.is_empty() {
        outputs.extend(index_part(0, Vec::new()));
    }
    let intros: Vec<Rendered> = site
        .courses
        .par_iter()
        .map(|course| course_intro(course, &links, safe_html))
        .collect();
    if selection.is_some() {
        // Anchors into lessons not rendered yet are checked against those lessons' ids.
        let done: HashSet<&str> = rendered.iter().map(|r| r.content_path.as_str()).collect();
        let targets: HashSet<String> = rendered
            .iter()
            .flat_map(|r| &r.anchors)
            .chain(intros.iter().flat_map(|r| &r.anchors))
            .map(|a| a.page.clone())
            .filter(|page| !done.contains(page.as_str()))
            .collect();
        let more: Vec<LessonDone> = work
            .par_iter()
            .filter(|(course, i)| targets.contains(&content_path(course, &course.lessons[*i])))
            .map(lesson_job)
            .collect();
        rendered.extend(more);
    }

    check_anchors(&rendered, &intros, &mut errors);
    // From here on, a lesson is its summary: its ids and links are dropped.
    let lesson_count = rendered.len();
    let summaries: Vec<LessonSummary> = rendered.into_iter().map(|r| r.summary).collect();

    let review = theme_files
        .iter()
        .any(|f| f.path == format!("templates/{}", study::REVIEW_TEMPLATE));
    let mut pages = other_pages(site, base, &site_data, &nav, intros, &summaries, review);
    pages.retain(|(path, _, _)| page_wanted(path));
    outputs.par_extend(
        pages
            .into_par_iter()
            .map(|(path, template, ctx)| render_page(&path, template, &ctx)),
    );
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
    // Whole-site files (sitemap, feed, copies) come with full renders only; a partial
    // render (serve, after one change) keeps the ones it already has.
    if selection.is_none() {
        files.extend(site_wide_files(site, base, &site_data, &summaries));
        if search_on {
            files.push(search::parts_file(search::part_count(work.len())));
        }
    }
    let stats = Stats {
        courses: site.courses.len(),
        lessons: lesson_count,
        streamed,
    };
    Ok((files, stats))
}

/// Checks every link to an `#anchor` against the ids of the page it points at; adds the
/// lessons' own problems too.
fn check_anchors(rendered: &[LessonDone], intros: &[Rendered], errors: &mut Vec<Diagnostic>) {
    let ids: HashMap<&str, &HashSet<String>> = rendered
        .iter()
        .map(|r| (r.content_path.as_str(), &r.ids))
        .collect();
    let all = rendered
        .iter()
        .map(|r| (&r.errors, &r.anchors))
        .chain(intros.iter().map(|r| (&r.errors, &r.anchors)));
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
