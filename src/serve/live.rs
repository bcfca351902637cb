//! The site as `conceptlab serve` keeps it: loaded once, rendered into memory, and
//! brought up to date after each change by re-rendering only what the change touches.
//!
//! What is served after every save equals what `conceptlab build` would write for the
//! same files (`tests/it/serve_equals_build.rs` checks it, file by file, over a script of
//! edits of every kind); only the search index may arrive a moment later.
//!
//! A changed lesson is reloaded on its own ([`load::load_lesson`]) and swapped into the
//! loaded [`Site`]; then a render of [`render::Pages::Selected`] makes its page, the pages
//! of the lessons that list it when what lists show of it changed ([`render::lesson_link`]:
//! title, summary, counts; a lesson page lists the lessons near it), and every page and
//! file that is not a lesson's (home, course pages, review page, sitemap, feed, decks),
//! from the summaries kept of the other lessons. Lessons that link to it are checked
//! again, since an anchor they point at may be gone. Anything that can move pages or
//! change every page (a new, deleted or renamed lesson, a new order, slug or draft flag,
//! a course file, `site.yaml`, templates, the theme, `static/`) rebuilds the whole site,
//! and so does every change while the site has errors, so that the errors shown are
//! always the whole site's. The search index is rebuilt in the background, part by part,
//! only where records changed ([`super::index`]).
//!
//! The theme and the compiled templates ([`render::Inputs`]) are kept between saves:
//! only a change under `templates/` or `themes/` (or a new theme or base URL) compiles
//! them again.
//!
//! Simulations are read from the cache; one the cache does not have (a new or changed
//! spec) is trained on a background thread while the page shows a placeholder, and its
//! page is re-rendered when the data is ready. A lesson whose `simulations:` did not
//! change keeps its data: editing the text never retrains.
//! Apart from the simulation cache, this module never writes to disk: the files stay in
//! memory for the HTTP server.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use super::index::{LessonRecords, LiveIndex, is_index_file};
use crate::config::BaseUrl;
use crate::diagnostics::Diagnostic;
use crate::load::course::{COURSE_FILE, PART_FILE};
use crate::load::{self, CONTENT_DIR, LessonKey, Site};
use crate::output::{Contents, OutputFile};
use crate::pipeline::{self, Prepare, Prepared};
use crate::render::page::{LessonSummary, nearby_range};
use crate::render::{
    self, Inputs, RenderPlan, RenderedLesson, RenderedSite, Selection, content_path,
    lesson_output_path,
};
use crate::sim::{self, Pending, SimArtifact, SimOptions, SimResults, Training};

/// What to serve, from the command line.
#[derive(Clone, Debug)]
pub struct LiveOptions {
    pub root: PathBuf,
    /// The base URL pages are rendered for; the server's root (`/`) when not given.
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// One file of the site in memory: rendered bytes, or a file copied as it is (read from
/// disk when it is requested).
#[derive(Clone, Debug)]
pub enum Served {
    Bytes(Arc<[u8]>),
    File(PathBuf),
}

/// What one rebuild did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Output paths of the pages rendered (`demo/first/index.html`), sorted.
    pub rendered: Vec<String>,
    /// Whether the whole site was rebuilt.
    pub full: bool,
    /// The site's problems, empty when it is good. With problems, the files served are
    /// still those of the last good build.
    pub errors: Vec<Diagnostic>,
    /// Simulations (`course/slug#id`) sent to train in the background by this rebuild.
    pub training: Vec<String>,
    /// Simulations whose training finished (their pages are among `rendered`), with how
    /// long each took, or why it failed.
    pub trained: Vec<(String, Result<Duration, String>)>,
    /// Parts of the search index arrived from the background: files changed, but no
    /// page did.
    pub indexed: bool,
    /// Parts of the search index are still being built: more will arrive.
    pub indexing: bool,
}

impl Outcome {
    /// Nothing was rendered and nothing is wrong: no reason to reload a browser.
    pub fn is_nothing(&self) -> bool {
        !self.indexed && !self.shows_anything()
    }

    /// Whether a tab showing the site should reload (or show errors): something besides
    /// the search index changed.
    pub fn shows_anything(&self) -> bool {
        !self.rendered.is_empty()
            || !self.errors.is_empty()
            || self.full
            || !self.training.is_empty()
            || !self.trained.is_empty()
    }

    /// This outcome followed by `later`'s.
    fn and(mut self, later: Outcome) -> Outcome {
        let mut rendered: BTreeSet<String> = self.rendered.into_iter().collect();
        rendered.extend(later.rendered);
        self.rendered = rendered.into_iter().collect();
        self.full |= later.full;
        if !later.errors.is_empty() || later.full {
            self.errors = later.errors;
        }
        self.training.extend(later.training);
        self.trained.extend(later.trained);
        self.indexed |= later.indexed;
        self.indexing = later.indexing;
        self
    }
}

/// The loaded site and its rendered files.
pub struct LiveSite {
    options: LiveOptions,
    /// The last site that loaded and rendered without errors.
    site: Option<Site>,
    base: BaseUrl,
    /// The theme and compiled templates, kept between saves; loaded again when a
    /// template or theme file changes.
    inputs: Option<Inputs>,
    files: BTreeMap<String, Served>,
    errors: Vec<Diagnostic>,
    sims: Simulations,
    /// What is kept of each lesson of the site served, by content path.
    lessons: Kept,
    index: LiveIndex,
}

/// What is kept of each lesson between saves, by content path (`course/005-file.md`).
#[derive(Default)]
struct Kept {
    /// What the pages that list lessons (course pages, review page, feed) show of them.
    summaries: HashMap<String, LessonSummary>,
    /// Its search records.
    records: HashMap<String, LessonRecords>,
}

impl Kept {
    fn keep(&mut self, lessons: Vec<RenderedLesson>) {
        for lesson in lessons {
            self.records.insert(
                lesson.content_path.clone(),
                LessonRecords::new(lesson.records),
            );
            self.summaries.insert(lesson.content_path, lesson.summary);
        }
    }
}

/// The simulations' data the pages show, and the ones training in the background.
struct Simulations {
    results: SimResults,
    /// (lesson key, simulation id) -> the cache key of the spec whose data is awaited;
    /// a finished training for any other version of the spec is stale and dropped.
    awaited: BTreeMap<(LessonKey, String), String>,
    /// Cache keys sent to the trainer and not back yet.
    queued: BTreeSet<String>,
    trainer: Trainer,
}

type Trained = (Pending, Result<(SimArtifact, Duration), String>);

/// A thread that trains simulations one after another.
struct Trainer {
    jobs: Sender<Pending>,
    done: Receiver<Trained>,
}

impl Trainer {
    fn spawn() -> Trainer {
        let (jobs, job_receiver) = channel::<Pending>();
        let (done_sender, done) = channel::<Trained>();
        std::thread::spawn(move || {
            for pending in job_receiver {
                let started = Instant::now();
                let result = pending.train().map(|a| (a, started.elapsed()));
                if done_sender.send((pending, result)).is_err() {
                    break;
                }
            }
        });
        Trainer { jobs, done }
    }
}

impl Simulations {
    /// Brings the data of `only` (every lesson when `None`) up to date with `site`:
    /// cached data is used at once, the rest is sent to train. Spec problems go to
    /// `errors`. Returns the labels of what was sent to train.
    fn update(
        &mut self,
        site: &Site,
        only: Option<BTreeSet<LessonKey>>,
        errors: &mut Vec<Diagnostic>,
    ) -> Vec<String> {
        let options = SimOptions {
            quiet: true,
            training: match errors.is_empty() {
                true => Training::Defer,
                false => Training::CheckOnly,
            },
            only: only.clone(),
            ..Default::default()
        };
        let (results, summary, sim_errors) = sim::simulate_site(site, &options);
        errors.extend(sim_errors);
        if !errors.is_empty() {
            return Vec::new();
        }
        match only {
            None => {
                self.results = results;
                self.awaited.clear();
            }
            Some(keys) => {
                for key in &keys {
                    self.results.by_lesson.remove(key);
                }
                self.awaited.retain(|(lesson, _), _| !keys.contains(lesson));
                self.results.by_lesson.extend(results.by_lesson);
            }
        }
        let mut sent = Vec::new();
        for pending in summary.pending {
            self.awaited.insert(
                (pending.lesson_key.clone(), pending.id.clone()),
                pending.cache_key.clone(),
            );
            if self.queued.insert(pending.cache_key.clone()) {
                sent.push(pending.label());
                // The trainer lives as long as this struct; a send cannot fail.
                let _ = self.trainer.jobs.send(pending);
            }
        }
        sent
    }

    /// Takes the trainings that finished: the lessons whose data arrived, and what to
    /// report.
    #[allow(clippy::type_complexity)]
    fn finished(&mut self) -> (BTreeSet<LessonKey>, Vec<(String, Result<Duration, String>)>) {
        let mut lessons = BTreeSet::new();
        let mut report = Vec::new();
        while let Ok((pending, result)) = self.trainer.done.try_recv() {
            self.queued.remove(&pending.cache_key);
            let slot = (pending.lesson_key.clone(), pending.id.clone());
            if self.awaited.get(&slot) != Some(&pending.cache_key) {
                continue; // the spec changed again meanwhile
            }
            self.awaited.remove(&slot);
            match result {
                Ok((artifact, took)) => {
                    self.results
                        .by_lesson
                        .entry(pending.lesson_key.clone())
                        .or_default()
                        .insert(pending.id.clone(), Arc::new(artifact));
                    lessons.insert(pending.lesson_key.clone());
                    report.push((pending.label(), Ok(took)));
                }
                Err(why) => report.push((pending.label(), Err(why))),
            }
        }
        (lessons, report)
    }
}

/// What a changed path means for the site.
enum Change {
    /// Not part of the site's sources (the output, the cache, an editor's swap file).
    Ignored,
    /// An existing lesson file: `content/<course>/<file>.md`.
    Lesson {
        course: String,
        file_name: String,
        path: PathBuf,
    },
    /// A template or theme file: rebuild everything with the templates compiled again.
    Theme,
    /// Anything else: rebuild everything with the templates as they are.
    Site,
}

impl LiveSite {
    /// Loads and renders the whole site. Problems are in the outcome; the server starts
    /// either way, showing them.
    pub fn open(options: LiveOptions) -> (LiveSite, Outcome) {
        let mut options = options;
        if let Ok(canonical) = std::fs::canonicalize(&options.root) {
            options.root = canonical;
        }
        let mut live = LiveSite {
            options,
            site: None,
            base: BaseUrl::parse("/").expect("`/` is a base URL"),
            inputs: None,
            files: BTreeMap::new(),
            errors: Vec::new(),
            sims: Simulations {
                results: SimResults::default(),
                awaited: BTreeMap::new(),
                queued: BTreeSet::new(),
                trainer: Trainer::spawn(),
            },
            lessons: Kept::default(),
            index: LiveIndex::new(),
        };
        let outcome = live.rebuild_all();
        (live, outcome)
    }

    /// The site's folder (made absolute).
    pub fn root(&self) -> &Path {
        &self.options.root
    }

    /// The files to serve, by output path (`demo/first/index.html`).
    pub fn files(&self) -> &BTreeMap<String, Served> {
        &self.files
    }

    /// The site's current problems.
    pub fn errors(&self) -> &[Diagnostic] {
        &self.errors
    }

    /// The path every page is under (`/`, or the path of `--base-url`).
    pub fn base_path(&self) -> &str {
        &self.base.path
    }

    /// Loads and renders everything again, the templates too.
    pub fn rebuild_all(&mut self) -> Outcome {
        self.inputs = None;
        self.rebuild()
    }

    /// Loads and renders everything again, with the kept templates when they were
    /// compiled for the same theme and base URL.
    fn rebuild(&mut self) -> Outcome {
        let root = self.options.root.clone();
        let what = Prepare {
            root: &root,
            base_url: Some(self.options.base_url.as_deref().unwrap_or("/")),
            drafts: self.options.drafts,
        };
        let Prepared {
            site,
            base,
            inputs,
            mut errors,
        } = match pipeline::prepare(what, self.inputs.take()) {
            Ok(prepared) => prepared,
            Err(e) => return self.failed(e, true),
        };
        self.base = base;
        let training = self.sims.update(&site, None, &mut errors);
        self.inputs = inputs.map_err(|theme| errors.extend(theme)).ok();
        let Some(inputs) = &self.inputs else {
            return self.failed(errors, true);
        };
        let rendered = render::render(
            &site,
            &self.base,
            &self.sims.results,
            inputs,
            RenderPlan::live(),
        );
        match rendered {
            Ok(RenderedSite { files, lessons, .. }) if errors.is_empty() => {
                let rendered = pages(&files);
                let mut files: BTreeMap<String, Served> = files.into_iter().map(served).collect();
                // The index parts served so far stay until their new files arrive.
                files.extend(
                    self.files
                        .iter()
                        .filter(|(path, _)| is_index_file(path))
                        .map(|(p, f)| (p.clone(), f.clone())),
                );
                self.files = files;
                self.lessons = Kept::default();
                self.lessons.keep(lessons);
                self.site = Some(site);
                self.errors.clear();
                self.update_index();
                Outcome {
                    rendered,
                    full: true,
                    training,
                    ..Outcome::default()
                }
            }
            Ok(_) => self.failed(errors, true),
            Err(more) => {
                errors.extend(more);
                self.failed(errors, true)
            }
        }
    }

    /// Brings the site up to date after `changed` paths (absolute, or relative to the
    /// site's folder) changed on disk.
    pub fn apply(&mut self, changed: &[PathBuf]) -> Outcome {
        let mut lessons = BTreeMap::new();
        let (mut theme, mut site_wide) = (false, false);
        for path in changed {
            match self.classify(path) {
                Change::Ignored => {}
                Change::Theme => theme = true,
                Change::Site => site_wide = true,
                Change::Lesson {
                    course,
                    file_name,
                    path,
                } => {
                    lessons.insert((course, file_name), path);
                }
            }
        }
        // The widest change of the batch decides, whatever order the watcher gave.
        if theme {
            return self.rebuild_all();
        }
        if site_wide {
            return self.rebuild();
        }
        if lessons.is_empty() {
            return Outcome::default();
        }
        if !self.errors.is_empty() || self.site.is_none() {
            return self.rebuild();
        }
        let root = self.options.root.clone();
        let Some(site) = self.site.as_mut() else {
            return self.rebuild();
        };
        let mut selection = Selection::default();
        let mut respec = BTreeSet::new();
        let mut listed = false;
        for ((course_slug, file_name), path) in lessons {
            let Some(course) = site.courses.iter_mut().find(|c| c.slug == course_slug) else {
                return self.rebuild();
            };
            let Some(index) = course.lessons.iter().position(|l| l.file_name == file_name) else {
                // A new lesson, or a draft: the course's list changes.
                return self.rebuild();
            };
            let mut lesson = match load::load_lesson(&root, &path) {
                Ok(lesson) => lesson,
                Err(errors) => return self.failed(errors, false),
            };
            let old = &course.lessons[index];
            // The same file is in the same part.
            lesson.part = old.part;
            if lesson.slug != old.slug
                || lesson.order != old.order
                || lesson.meta.draft != old.meta.draft
            {
                return self.rebuild();
            }
            // Simulations are looked at again only when their specs changed.
            let specs = |l: &load::Lesson| serde_json::to_string(&l.meta.simulations).ok();
            if specs(&lesson) != specs(old) {
                respec.insert(course.key(&lesson));
            }
            selection.pages.insert(lesson_output_path(course, &lesson));
            // The lesson pages that list this one (the lessons near each), when what they
            // show of it changed.
            let listing = |l: &load::Lesson| render::lesson_link(course, index, l, &self.base);
            if listing(&lesson) != listing(old) {
                let count = course.lessons.len();
                for (i, other) in course.lessons.iter().enumerate() {
                    if nearby_range(i, count).contains(&index) {
                        selection.pages.insert(lesson_output_path(course, other));
                    }
                }
                listed = true;
            }
            // What the feed, the sitemap, the review page and the decks show of it.
            let shown =
                |l: &load::Lesson| serde_json::to_string(&(&l.meta.date, &l.meta.flashcards)).ok();
            listed |= shown(&lesson) != shown(old);
            course.lessons[index] = lesson;
            // Lessons linking here are checked again: a heading they point at may be gone.
            let name = file_name.rsplit('/').next().unwrap_or(&file_name);
            for other in &site.courses {
                for l in &other.lessons {
                    if l.source.text.contains(name) {
                        selection.checked.insert(content_path(other, l));
                    }
                }
            }
        }
        let mut errors = Vec::new();
        let training = match respec.is_empty() {
            true => Vec::new(),
            false => self.sims.update(site, Some(respec), &mut errors),
        };
        if !errors.is_empty() {
            return self.failed(errors, false);
        }
        if self.inputs.is_none() {
            return self.rebuild_all();
        }
        selection.lessons_only = !listed;
        match self.render_selection(&selection) {
            Ok(rendered) => Outcome {
                rendered,
                training,
                ..Outcome::default()
            },
            Err(errors) => self.failed(errors, false),
        }
    }

    /// Takes what finished in the background: simulations trained (their lessons' pages
    /// are rendered again) and parts of the search index. Nothing when nothing finished.
    /// While the site has errors, trained data is kept for the next good rebuild.
    pub fn poll(&mut self) -> Outcome {
        let (lessons, trained) = self.sims.finished();
        let mut outcome = Outcome {
            trained,
            ..Outcome::default()
        };
        let (indexed, failure) = self.index.finished();
        if indexed {
            self.index.serve_into(&mut self.files);
            outcome.indexed = true;
        }
        outcome.indexing = self.index.busy();
        if let Some(why) = failure {
            // As a build would: the site has an error (the next save rebuilds it all and
            // indexes the part again).
            let error = Diagnostic::error(
                render::search::SEARCH_DIR,
                format!("cannot build the search index: {why}"),
            );
            let mut errors = std::mem::take(&mut self.errors);
            errors.push(error);
            return Outcome {
                trained: outcome.trained,
                ..self.failed(errors, false)
            };
        }
        let Some(site) = self.site.as_ref().filter(|_| self.errors.is_empty()) else {
            return outcome;
        };
        // New data changes a lesson's page alone.
        let mut selection = Selection {
            lessons_only: true,
            ..Selection::default()
        };
        for course in &site.courses {
            for lesson in &course.lessons {
                if lessons.contains(&course.key(lesson)) {
                    selection.pages.insert(lesson_output_path(course, lesson));
                }
            }
        }
        if selection.pages.is_empty() {
            return outcome;
        }
        match self.render_selection(&selection) {
            Ok(rendered) => Outcome {
                rendered,
                ..outcome
            },
            Err(errors) => Outcome {
                trained: outcome.trained,
                ..self.failed(errors, false)
            },
        }
    }

    /// Whether simulations are training or parts of the search index are being built.
    pub fn busy(&self) -> bool {
        !self.sims.queued.is_empty() || self.index.busy()
    }

    /// Waits until nothing is training or indexing (or `timeout` passed), taking each
    /// result as [`LiveSite::poll`] does: what `serve` shows once the background work is
    /// done.
    pub fn settle(&mut self, timeout: Duration) -> Outcome {
        let deadline = Instant::now() + timeout;
        let mut outcome = self.poll();
        while self.busy() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
            outcome = outcome.and(self.poll());
        }
        outcome
    }

    /// Renders the lesson pages of `selection` and (unless it is `lessons_only`) every
    /// page and file that is not a lesson's, and serves them in place of the old ones:
    /// every file in the folder of a lesson rendered, and every file that is in no
    /// lesson's folder (the index aside). Returns the HTML pages whose bytes changed.
    fn render_selection(&mut self, selection: &Selection) -> Result<Vec<String>, Vec<Diagnostic>> {
        let (Some(site), Some(inputs)) = (&self.site, &self.inputs) else {
            return Ok(Vec::new());
        };
        let plan = RenderPlan::selected(selection, &self.lessons.summaries);
        let mut rendered = render::render(site, &self.base, &self.sims.results, inputs, plan)?;
        // What the other pages show of a lesson comes from its summary; should a summary
        // have changed where the front-matter did not (a card's link to a footnote of the
        // body), the other pages are made after all.
        let summary_changed = rendered
            .lessons
            .iter()
            .any(|l| self.lessons.summaries.get(&l.content_path) != Some(&l.summary));
        let widened;
        let selection = match selection.lessons_only && summary_changed {
            true => {
                widened = Selection {
                    lessons_only: false,
                    ..selection.clone()
                };
                let plan = RenderPlan::selected(&widened, &self.lessons.summaries);
                rendered = render::render(site, &self.base, &self.sims.results, inputs, plan)?;
                &widened
            }
            false => selection,
        };
        let RenderedSite { files, lessons, .. } = rendered;
        let lesson_folders: HashSet<String> = site
            .courses
            .iter()
            .flat_map(|c| c.lessons.iter().map(|l| c.key(l).folder()))
            .collect();
        let rendered_folders: HashSet<String> = selection
            .pages
            .iter()
            .filter_map(|p| p.strip_suffix(render::PAGE_FILE))
            .filter(|folder| lesson_folders.contains(*folder))
            .map(str::to_string)
            .collect();
        let in_lesson_folder = |path: &str| -> Option<String> {
            let mut slashes = path.match_indices('/').map(|(i, _)| i);
            let folder = slashes.nth(1).map(|i| &path[..=i])?;
            lesson_folders.contains(folder).then(|| folder.to_string())
        };
        let mut changed = Vec::new();
        for file in &files {
            if file.path.ends_with(".html") {
                let same = match (self.files.get(&file.path), &file.contents) {
                    (Some(Served::Bytes(old)), Contents::Bytes(new)) => **old == **new,
                    _ => false,
                };
                if !same {
                    changed.push(file.path.clone());
                }
            }
        }
        // A lesson's own files are rendered (its page, its widgets' data, its deck); a copied
        // file in its folder (a course's image kept beside the lesson) is not the lesson's.
        self.files
            .retain(|path, file| match in_lesson_folder(path) {
                Some(folder) => {
                    !rendered_folders.contains(&folder) || matches!(file, Served::File(_))
                }
                None => is_index_file(path) || selection.lessons_only,
            });
        self.files.extend(files.into_iter().map(served));
        self.lessons.keep(lessons);
        self.update_index();
        changed.sort();
        Ok(changed)
    }

    /// Sends the index parts whose records changed to be built again.
    fn update_index(&mut self) {
        let Some(site) = &self.site else {
            return;
        };
        let records: Vec<(String, LessonRecords)> = site
            .courses
            .iter()
            .flat_map(|c| c.lessons.iter().map(move |l| content_path(c, l)))
            .map(|path| {
                let records = self.lessons.records.get(&path).cloned();
                (
                    path,
                    records.unwrap_or_else(|| LessonRecords::new(Vec::new())),
                )
            })
            .collect();
        let language = site.config.search.then_some(site.config.language.as_str());
        self.index.update(&records, language);
    }

    fn failed(&mut self, errors: Vec<Diagnostic>, full: bool) -> Outcome {
        self.errors = errors.clone();
        Outcome {
            full,
            errors,
            ..Outcome::default()
        }
    }

    fn classify(&self, path: &Path) -> Change {
        let root = &self.options.root;
        let rel = if path.is_absolute() {
            let inside = |p: &Path| p.strip_prefix(root).ok().map(Path::to_path_buf);
            // The root is canonical; a path through a symbolic link (macOS's /tmp) is
            // compared by its folder's canonical form.
            let canonical = || {
                Some(
                    std::fs::canonicalize(path.parent()?)
                        .ok()?
                        .join(path.file_name()?),
                )
            };
            match inside(path).or_else(|| canonical().as_deref().and_then(inside)) {
                Some(rel) => rel,
                None => return Change::Ignored,
            }
        } else {
            path.to_path_buf()
        };
        let parts: Vec<String> = rel
            .components()
            .filter_map(|c| match c {
                Component::Normal(s) => Some(s.to_string_lossy().to_string()),
                _ => None,
            })
            .collect();
        let Some(name) = parts.last() else {
            return Change::Ignored;
        };
        // Editors' swap, backup and temporary files.
        if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
            return Change::Ignored;
        }
        match parts[0].as_str() {
            CONTENT_DIR => {
                let abs = root.join(&rel);
                let is_lesson = name.ends_with(".md")
                    && name != COURSE_FILE
                    && name != PART_FILE
                    && abs.is_file();
                // A lesson of a course, or of one of its parts (a folder with a `_part.md`).
                let in_part = parts.len() == 4
                    && abs
                        .parent()
                        .is_some_and(|folder| folder.join(PART_FILE).is_file());
                if is_lesson && (parts.len() == 3 || in_part) {
                    Change::Lesson {
                        course: parts[1].clone(),
                        file_name: parts[2..].join("/"),
                        path: abs,
                    }
                } else {
                    Change::Site
                }
            }
            crate::render::templates::TEMPLATES_DIR | crate::theme::THEMES_DIR => Change::Theme,
            crate::config::CONFIG_FILE | crate::render::STATIC_DIR => Change::Site,
            _ => Change::Ignored,
        }
    }
}

/// The output paths of the HTML pages among `files`, sorted.
fn pages(files: &[OutputFile]) -> Vec<String> {
    let mut pages: Vec<String> = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| f.path.clone())
        .collect();
    pages.sort();
    pages
}

pub(super) fn served(file: OutputFile) -> (String, Served) {
    let served = match file.contents {
        Contents::Bytes(bytes) => Served::Bytes(bytes.into()),
        Contents::Copy(path) => Served::File(path),
    };
    (file.path, served)
}
