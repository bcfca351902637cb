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

pub mod flow;
pub mod highlight;
pub mod markdown;
pub mod math;
pub mod page;
pub mod publish;
pub mod sanitize;
pub mod search;
pub mod study;
pub mod templates;
pub mod widgets;

use std::collections::{HashMap, HashSet};
use std::mem;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use tera::Context;

use crate::config::BaseUrl;
use crate::diagnostics::Diagnostic;
use crate::load::lesson::{ExampleKind, Level, question_id};
use crate::load::{Course, Lesson, Site};
use crate::output::{Contents, OutputFile};
use crate::sim::SimResults;
use crate::slug::PageIds;
use crate::theme::{self, ThemeFile};
use markdown::{LinkIndex, LinkTarget, MarkdownJob, Origin, RESERVED_IDS, Rendered, Slot};
use page::*;
use templates::Templates;

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

/// The output path of a lesson's page: `course/slug/index.html`.
pub fn lesson_output_path(course: &Course, lesson: &Lesson) -> String {
    format!("{}/{}/index.html", course.slug, lesson.slug)
}

fn lesson_output_path_of(page: &LessonPage) -> String {
    format!("{}/{}/index.html", page.course.slug, page.slug)
}

fn content_path(course: &Course, lesson: &Lesson) -> String {
    format!("{}/{}", course.slug, lesson.file_name)
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

/// What the `<head>` of the page at `path` (relative to the base) needs.
fn page_meta(
    base: &BaseUrl,
    path: &str,
    title: &str,
    description: &str,
    kind: &'static str,
) -> PageMeta {
    PageMeta {
        title: title.to_string(),
        description: description.to_string(),
        canonical: base
            .origin
            .as_ref()
            .map(|o| format!("{o}{}", base.join(path))),
        og_type: kind,
    }
}

/// The pages besides the lessons' (home, 404, one per course and, when the theme has its
/// template, the review page): output path, template and context of each.
fn other_pages(
    site: &Site,
    base: &BaseUrl,
    site_data: &SiteData,
    nav: &HashMap<String, Vec<LessonLink>>,
    intros: Vec<Rendered>,
    summaries: &[LessonSummary],
    review: bool,
) -> Vec<(String, &'static str, Context)> {
    let meta = |path: &str, title: &str, description: &str, kind: &'static str| {
        page_meta(base, path, title, description, kind)
    };
    let cards: Vec<CourseCard> = site.courses.iter().map(|c| course_card(c, base)).collect();
    let mut pages = Vec::new();
    let mut home = Context::new();
    home.insert("site", site_data);
    home.insert("courses", &cards);
    let home_meta = meta("", &site_data.title, &site_data.description, "website");
    home.insert("page", &home_meta);
    pages.push(("index.html".into(), "index.html", home));
    let mut not_found = Context::new();
    not_found.insert("site", site_data);
    let mut not_found_meta = meta(
        "404.html",
        "Page not found",
        &site_data.description,
        "website",
    );
    not_found_meta.canonical = None;
    not_found.insert("page", &not_found_meta);
    pages.push(("404.html".into(), "404.html", not_found));
    for ((course, card), intro) in site.courses.iter().zip(&cards).zip(intros) {
        let mut ctx = Context::new();
        ctx.insert("site", site_data);
        let course_meta = meta(
            &format!("{}/", course.slug),
            &card.title,
            &card.summary,
            "website",
        );
        ctx.insert("page", &course_meta);
        let lessons = nav[&course.slug].clone();
        ctx.insert(
            "course",
            &CoursePage {
                card: card.clone(),
                intro: intro.slot(Slot::Theory).to_string(),
                lessons,
            },
        );
        pages.push((format!("{}/index.html", course.slug), "course.html", ctx));
    }
    if review {
        let mut ctx = Context::new();
        ctx.insert("site", site_data);
        let mut review_meta = meta(
            "review/",
            "Review flash cards",
            &site_data.description,
            "website",
        );
        review_meta.canonical = None;
        ctx.insert("page", &review_meta);
        ctx.insert("review", &study::review_data(summaries, base));
        pages.push((study::REVIEW_PAGE.into(), study::REVIEW_TEMPLATE, ctx));
    }
    pages
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

/// The files that describe the whole site: Pages files, sitemap, feed, the Anki deck of
/// every lesson and the files copied as they are.
fn site_wide_files(
    site: &Site,
    base: &BaseUrl,
    site_data: &SiteData,
    lessons: &[LessonSummary],
) -> Vec<OutputFile> {
    let mut files = Vec::new();
    let lessons: Vec<&LessonSummary> = lessons.iter().collect();
    let sitemap: Vec<(String, Option<&LessonSummary>)> = std::iter::once((String::new(), None))
        .chain(site.courses.iter().map(|c| (format!("{}/", c.slug), None)))
        .chain(
            lessons
                .iter()
                .map(|l| (format!("{}/{}/", l.course.slug, l.slug), Some(*l))),
        )
        .collect();
    files.extend(publish::files(
        site_data,
        base,
        site.config.cname.as_deref(),
        &sitemap,
        &lessons,
    ));
    files.extend(study::anki_site_file(lessons.iter().copied()));
    files.extend(copied_files(site));
    files
}

/// The theme's static files under content-hashed names (`assets/style.3f9a0c1b2d.css`),
/// plus the generated syntax stylesheets; and the map from logical name to output path.
fn theme_assets(theme: &[ThemeFile]) -> (Vec<OutputFile>, HashMap<String, String>) {
    let (light, dark) = highlight::stylesheets();
    let mut sources: Vec<(String, Vec<u8>)> = theme
        .iter()
        .filter_map(|f| {
            f.path
                .strip_prefix("static/")
                .map(|name| (name.to_string(), f.bytes.clone()))
        })
        .collect();
    sources.push(("syntax-light.css".into(), light.into_bytes()));
    sources.push(("syntax-dark.css".into(), dark.into_bytes()));
    let mut files = Vec::new();
    let mut urls = HashMap::new();
    for (name, bytes) in sources {
        let hash = blake3::hash(&bytes).to_hex();
        let hashed = match name.rsplit_once('.') {
            Some((stem, ext)) => format!("{stem}.{}.{ext}", &hash[..10]),
            None => format!("{name}.{}", &hash[..10]),
        };
        let path = format!("assets/{hashed}");
        urls.insert(name, path.clone());
        files.push(OutputFile {
            path,
            contents: Contents::Bytes(bytes),
        });
    }
    (files, urls)
}

/// Everything a relative link may point at, by content path.
fn link_index(site: &Site, base: &BaseUrl) -> LinkIndex {
    let mut index = LinkIndex::default();
    for path in &site.failed {
        // Reported where it failed to load; links to it are not errors of their own.
        let target = LinkTarget {
            url: "#".into(),
            is_page: false,
        };
        index.targets.insert(path.clone(), target);
    }
    for course in &site.courses {
        let course_url = base.join(&format!("{}/", course.slug));
        index.targets.insert(
            format!("{}/{}", course.slug, crate::load::course::COURSE_FILE),
            LinkTarget {
                url: course_url.clone(),
                is_page: false,
            },
        );
        for lesson in &course.lessons {
            index.targets.insert(
                format!("{}/{}", course.slug, lesson.file_name),
                LinkTarget {
                    url: lesson_url(course, lesson, base),
                    is_page: true,
                },
            );
        }
        for asset in &course.assets {
            let rel = asset.to_string_lossy().replace('\\', "/");
            index.targets.insert(
                format!("{}/{rel}", course.slug),
                LinkTarget {
                    url: base.join(&format!("{}/{rel}", course.slug)),
                    is_page: false,
                },
            );
        }
    }
    index
}

fn lesson_url(course: &Course, lesson: &Lesson, base: &BaseUrl) -> String {
    base.join(&format!("{}/{}/", course.slug, lesson.slug))
}

/// The list entry of every lesson, per course slug, in order.
fn lesson_links(site: &Site, base: &BaseUrl) -> HashMap<String, Vec<LessonLink>> {
    site.courses
        .iter()
        .map(|course| {
            let links = course
                .lessons
                .iter()
                .enumerate()
                .map(|(i, lesson)| LessonLink {
                    key: format!("{}/{}", course.slug, lesson.slug),
                    title: lesson.meta.title.clone(),
                    summary: lesson.meta.summary.clone(),
                    url: lesson_url(course, lesson, base),
                    position: i + 1,
                    draft: lesson.meta.draft,
                    coverage: lesson.meta.coverage.iter().map(coverage_id).collect(),
                })
                .collect();
            (course.slug.clone(), links)
        })
        .collect()
}

fn course_card(course: &Course, base: &BaseUrl) -> CourseCard {
    CourseCard {
        slug: course.slug.clone(),
        title: course.meta.title.clone(),
        summary: course.meta.summary.clone(),
        icon: course.meta.icon.clone(),
        url: base.join(&format!("{}/", course.slug)),
        lesson_count: course.lessons.len(),
    }
}

/// `safe_html: true`: the HTML that comes from a lesson's Markdown body goes through the
/// sanitizer. Front-matter values never keep raw HTML, so they need no second pass.
fn sanitize_body(page: &mut LessonPage) -> Result<(), String> {
    for html in [
        &mut page.theory,
        &mut page.tradeoffs_body,
        &mut page.examples_body,
        &mut page.walkthrough,
        &mut page.footnotes,
    ] {
        if !html.is_empty() {
            *html = sanitize::sanitize(html)?;
        }
    }
    Ok(())
}

/// A course's intro, sanitized with `safe_html`.
fn course_intro(course: &Course, links: &LinkIndex, safe_html: bool) -> Rendered {
    let page = format!("{}/{}", course.slug, crate::load::course::COURSE_FILE);
    let job = MarkdownJob {
        text: course.source.body(),
        origin: Origin::Body {
            file: &course.source,
            offset: course.source.body_start,
        },
        page: &page,
        course: &course.slug,
        trust_html: true,
        split_sections: false,
    };
    let mut intro = markdown::render(&job, links, &mut PageIds::default());
    if safe_html {
        match sanitize::sanitize(intro.slot(Slot::Theory)) {
            Ok(clean) => intro.replace_slot(Slot::Theory, clean),
            Err(why) => {
                intro.replace_slot(Slot::Theory, String::new());
                intro
                    .errors
                    .push(Diagnostic::error(&course.source.path, why));
            }
        }
    }
    intro
}

/// Renders the Markdown of lesson `index` of `course` into its page data.
fn lesson_page(
    course: &Course,
    index: usize,
    nav: &HashMap<String, Vec<LessonLink>>,
    links: &LinkIndex,
    base: &BaseUrl,
    sims: &SimResults,
) -> LessonRender {
    let lesson = &course.lessons[index];
    let meta = &lesson.meta;
    let file = &lesson.source;
    let page_key = format!("{}/{}", course.slug, lesson.file_name);
    let mut ids = PageIds::with_reserved(RESERVED_IDS.iter().copied());
    let question_ids: Vec<String> = meta
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| question_id(q, i))
        .collect();
    for id in &question_ids {
        ids.claim(id);
        ids.claim(&format!("{id}-senior"));
    }
    let widget_ids = widgets::widget_ids(&meta.widgets);
    for id in &widget_ids {
        ids.claim(id);
    }

    let mut body = markdown::render(
        &MarkdownJob {
            text: file.body(),
            origin: Origin::Body {
                file,
                offset: file.body_start,
            },
            page: &page_key,
            course: &course.slug,
            trust_html: true,
            split_sections: true,
        },
        links,
        &mut ids,
    );
    // Front-matter values are Markdown too, but their raw HTML is shown as text. Their
    // headings' ids are the page's too: one id is never on a page twice.
    // `key`, the item's index and `sub` are where the value is written, for diagnostics.
    let mut field = |text: &str, key: &str, index: usize, sub: Option<&str>| -> Rendered {
        let index = index.to_string();
        let mut path = vec![key, index.as_str()];
        path.extend(sub);
        markdown::render(
            &MarkdownJob {
                text,
                origin: Origin::Field { file, path: &path },
                page: &page_key,
                course: &course.slug,
                trust_html: false,
                split_sections: false,
            },
            links,
            &mut ids,
        )
    };
    let mut extra = Rendered::default();
    let mut take = |r: Rendered, inline: bool| -> String {
        extra.errors.extend(r.errors.iter().cloned());
        extra.anchors.extend(r.anchors.iter().cloned());
        if inline {
            r.into_inline()
        } else {
            let mut r = r;
            r.take_slot(Slot::Theory)
        }
    };

    let tradeoffs = meta
        .tradeoffs
        .iter()
        .enumerate()
        .map(|(i, t)| take(field(t, "tradeoffs", i, None), true))
        .collect();
    let notes = meta
        .notes
        .iter()
        .enumerate()
        .map(|(i, n)| NoteData {
            kind: n.kind.as_str(),
            label: n.kind.label(),
            title: n.title.clone(),
            html: take(field(&n.text, "notes", i, Some("text")), false),
        })
        .collect();
    let coverage = meta
        .coverage
        .iter()
        .enumerate()
        .map(|(i, c)| CoverageItem {
            id: coverage_id(c),
            html: take(field(c, "coverage", i, None), true),
        })
        .collect();
    let examples = meta
        .examples
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let (kind, kind_label) = match e.kind {
                ExampleKind::Starter => ("starter", "Guided starter"),
                ExampleKind::Scenario => ("scenario", "Practical scenario"),
                ExampleKind::Example => ("example", "Example"),
            };
            ExampleData {
                title: e.title.clone(),
                kind,
                kind_label,
                html: take(field(&e.body, "examples", i, Some("body")), false),
            }
        })
        .collect();
    let questions = meta
        .questions
        .iter()
        .zip(&question_ids)
        .enumerate()
        .map(|(i, (q, id))| {
            let (level, level_label) = match q.level {
                Level::Beginner => ("beginner", "Beginner"),
                Level::Intermediate => ("intermediate", "Intermediate"),
                Level::Expert => ("expert", "Expert"),
            };
            QuestionData {
                id: id.clone(),
                level,
                level_label,
                html: take(field(&q.q, "questions", i, Some("q")), true),
                answer: take(field(&q.answer, "questions", i, Some("answer")), false),
                senior: take(field(&q.senior, "questions", i, Some("senior")), false),
            }
        })
        .collect();
    let flashcards = meta
        .flashcards
        .iter()
        .enumerate()
        .map(|(i, c)| FlashCardData {
            id: short_hash("card", &[&course.slug, &lesson.slug, &c.front]),
            front: take(field(&c.front, "flashcards", i, Some("front")), true),
            back: take(field(&c.back, "flashcards", i, Some("back")), true),
        })
        .collect();
    let flow = (!meta.flow.is_empty()).then(|| FlowData {
        svg: flow::svg(&meta.flow, "flow-diagram"),
        steps: meta
            .flow
            .iter()
            .map(|s| FlowStepData {
                step: s.step.clone(),
                detail: s.detail.clone(),
            })
            .collect(),
        shuffled: study::shuffled_order(
            &format!("{}/{}", course.slug, lesson.slug),
            meta.flow.len(),
        )
        .into_iter()
        .map(|i| ShuffledStep {
            answer: i,
            step: meta.flow[i].step.clone(),
        })
        .collect(),
    });
    body.errors.extend(extra.errors);
    body.anchors.extend(extra.anchors);
    let widget_output = widgets::build(
        &meta.widgets,
        &widget_ids,
        &format!("{}/{}", course.slug, lesson.slug),
        sims,
        base,
    );

    let course_nav = &nav[&course.slug];
    let theory = body.take_slot(Slot::Theory);
    let walkthrough = body.take_slot(Slot::Walkthrough);
    let tradeoffs_body = body.take_slot(Slot::Tradeoffs);
    let examples_body = body.take_slot(Slot::Examples);
    let footnotes = body.take_slot(Slot::Footnotes);
    let mut page = LessonPage {
        key: format!("{}/{}", course.slug, lesson.slug),
        slug: lesson.slug.clone(),
        url: lesson_url(course, lesson, base),
        title: meta.title.clone(),
        summary: meta.summary.clone(),
        tags: meta.tags.clone(),
        date: meta.date.clone(),
        draft: meta.draft,
        position: index + 1,
        total: course.lessons.len(),
        course: CourseRef {
            slug: course.slug.clone(),
            title: course.meta.title.clone(),
            icon: course.meta.icon.clone(),
            url: base.join(&format!("{}/", course.slug)),
        },
        prev: index.checked_sub(1).map(|i| course_nav[i].clone()),
        next: course_nav.get(index + 1).cloned(),
        toc: Vec::new(),
        theory,
        tradeoffs_body,
        tradeoffs,
        notes,
        coverage,
        examples_body,
        examples,
        flow,
        widgets: widget_output.widgets,
        walkthrough,
        questions,
        flashcards,
        footnotes,
    };
    page.toc = table_of_contents(&page, std::mem::take(&mut body.toc));
    LessonRender {
        page,
        content_path: page_key,
        ids: ids.into_set(),
        errors: body.errors,
        anchors: body.anchors,
        files: widget_output.files,
    }
}

/// A lesson after its Markdown is rendered, before its template is.
struct LessonRender {
    page: LessonPage,
    /// `course/file.md`: what links and anchors name the lesson by.
    content_path: String,
    /// Every id on the page, for checking links to `#anchor`s.
    ids: HashSet<String>,
    errors: Vec<Diagnostic>,
    anchors: Vec<markdown::AnchorRef>,
    /// The artifacts of the lesson's widgets, written next to its page.
    files: Vec<OutputFile>,
}

/// The table of contents: the body's headings, then the parts the page shows.
fn table_of_contents(page: &LessonPage, body: Vec<markdown::TocEntry>) -> Vec<markdown::TocEntry> {
    let mut toc = body;
    let parts: [(bool, &str, &str); 4] = [
        (
            !page.tradeoffs.is_empty() || !page.tradeoffs_body.is_empty(),
            "tradeoffs",
            "Tradeoffs",
        ),
        (
            !page.coverage.is_empty(),
            "coverage",
            "What this lesson covers",
        ),
        (
            !page.examples.is_empty() || !page.examples_body.is_empty(),
            "examples",
            "Examples",
        ),
        (page.flow.is_some(), "flow", "Architecture flow"),
    ];
    let after: [(bool, &str, &str); 3] = [
        (
            !page.walkthrough.is_empty(),
            "walkthrough",
            "Code walkthrough",
        ),
        (
            !page.questions.is_empty(),
            "questions",
            "Interview questions",
        ),
        (!page.flashcards.is_empty(), "flashcards", "Flash cards"),
    ];
    let widgets = page
        .widgets
        .iter()
        .map(|w| (true, w.id.as_str(), w.title.as_str()));
    for (present, id, title) in parts.into_iter().chain(widgets).chain(after) {
        if present {
            toc.push(markdown::TocEntry {
                id: id.to_string(),
                title: title.to_string(),
                level: 2,
            });
        }
    }
    toc
}

/// A short, stable id: `prefix-` and 10 hex digits of a hash of `parts`. Stable across
/// builds and unaffected by edits to other items, so browser state keyed by it survives.
fn short_hash(prefix: &str, parts: &[&str]) -> String {
    let mut hasher = blake3::Hasher::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update(&[0]);
    }
    format!("{prefix}-{}", &hasher.finalize().to_hex()[..10])
}

/// The id of a coverage point, as the lesson page and the course page name it.
fn coverage_id(point: &impl ToString) -> String {
    short_hash("cov", &[&point.to_string()])
}

/// Files copied as they are: the site's `static/` folder and the courses' assets.
fn copied_files(site: &Site) -> Vec<OutputFile> {
    let static_dir = site.root.join(STATIC_DIR);
    let mut files: Vec<OutputFile> = site
        .static_files
        .iter()
        .map(|rel| OutputFile {
            path: rel.to_string_lossy().replace('\\', "/"),
            contents: Contents::Copy(static_dir.join(rel)),
        })
        .collect();
    for course in &site.courses {
        for asset in &course.assets {
            files.push(OutputFile {
                path: format!(
                    "{}/{}",
                    course.slug,
                    asset.to_string_lossy().replace('\\', "/")
                ),
                contents: Contents::Copy(course.dir.join(asset)),
            });
        }
    }
    files
}
