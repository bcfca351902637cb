//! The site as `conceptlab serve` keeps it: loaded once, rendered into memory, and
//! brought up to date after each change by re-rendering only what the change touches.
//!
//! A changed lesson is reloaded on its own ([`load::load_lesson`]) and swapped into the
//! loaded [`Site`]; then a render of [`render::Pages::Selected`] makes its page, and,
//! when its title or summary changed (what lists and prev/next links show), its
//! neighbours' pages and its course page. Lessons that link to it are checked again,
//! since an anchor they point at may be gone. Anything that can move pages or change
//! every page (a new, deleted or renamed lesson, a new order, slug or draft flag, a
//! course file, `site.yaml`, templates, the theme, `static/`) rebuilds the whole site,
//! and so does every change while the site has errors, so that the errors shown are
//! always the whole site's.
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

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use crate::config::BaseUrl;
use crate::diagnostics::Diagnostic;
use crate::load::course::{COURSE_FILE, PART_FILE};
use crate::load::{self, CONTENT_DIR, LessonKey, Site};
use crate::output::{Contents, OutputFile};
use crate::pipeline::{self, Prepare, Prepared};
use crate::render::{
    self, Inputs, RenderPlan, Selection, content_path, course_output_path, lesson_output_path,
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
}

impl Outcome {
    /// Nothing was rendered and nothing is wrong: no reason to reload a browser.
    pub fn is_nothing(&self) -> bool {
        self.rendered.is_empty()
            && self.errors.is_empty()
            && !self.full
            && self.training.is_empty()
            && self.trained.is_empty()
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
            RenderPlan::all(),
        );
        match rendered {
            Ok((files, _)) if errors.is_empty() => {
                let rendered = pages(&files);
                self.files = files.into_iter().map(served).collect();
                self.site = Some(site);
                self.errors.clear();
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
            // What lists and prev/next links show of a lesson.
            let listed =
                lesson.meta.title != old.meta.title || lesson.meta.summary != old.meta.summary;
            selection.pages.insert(lesson_output_path(course, &lesson));
            if listed {
                selection.pages.insert(course_output_path(course));
                let neighbours = [index.checked_sub(1), Some(index + 1)];
                for i in neighbours.into_iter().flatten() {
                    if let Some(next_door) = course.lessons.get(i) {
                        selection
                            .pages
                            .insert(lesson_output_path(course, next_door));
                    }
                }
            }
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
        let Some(inputs) = &self.inputs else {
            return self.rebuild_all();
        };
        let plan = RenderPlan::selected(&selection);
        let rendered = render::render(site, &self.base, &self.sims.results, inputs, plan);
        match rendered {
            Ok((files, _)) => Outcome {
                training,
                ..self.keep_rendered(files, &selection)
            },
            Err(errors) => self.failed(errors, false),
        }
    }

    /// Takes the simulations that finished training in the background and re-renders
    /// their lessons' pages; nothing when none finished. While the site has errors the
    /// data is kept for the next good rebuild.
    pub fn poll_training(&mut self) -> Outcome {
        let (lessons, trained) = self.sims.finished();
        let mut outcome = Outcome {
            trained,
            ..Outcome::default()
        };
        let Some(site) = self.site.as_ref().filter(|_| self.errors.is_empty()) else {
            return outcome;
        };
        let mut selection = Selection::default();
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
        let Some(inputs) = &self.inputs else {
            return outcome;
        };
        let plan = RenderPlan::selected(&selection);
        match render::render(site, &self.base, &self.sims.results, inputs, plan) {
            Ok((files, _)) => {
                outcome.rendered = self.keep_rendered(files, &selection).rendered;
                outcome
            }
            Err(errors) => Outcome {
                trained: outcome.trained,
                ..self.failed(errors, false)
            },
        }
    }

    /// Serves the pages of `selection` from `files`, with their simulation artifacts
    /// (the files next to a page) and the theme's assets.
    fn keep_rendered(&mut self, files: Vec<OutputFile>, selection: &Selection) -> Outcome {
        let folders: BTreeSet<&str> = selection
            .pages
            .iter()
            .filter_map(|p| p.strip_suffix("index.html"))
            .collect();
        let mut rendered = BTreeSet::new();
        let mut keep = Vec::new();
        for file in files {
            let wanted = selection.pages.contains(&file.path);
            let folder = file.path.rfind('/').map_or("", |i| &file.path[..=i]);
            // A playground's runs are in a `sim-<id>.<hash>/` folder beside its page.
            let parent = folder
                .strip_suffix('/')
                .and_then(|f| f.rfind('/').map(|i| (&f[..=i], &f[i + 1..])));
            let in_runs_folder =
                parent.is_some_and(|(up, name)| name.starts_with("sim-") && folders.contains(up));
            let beside_a_page =
                !file.path.ends_with(".html") && (folders.contains(folder) || in_runs_folder);
            if wanted {
                rendered.insert(file.path.clone());
            }
            if wanted || beside_a_page || file.path.starts_with("assets/") {
                keep.push(file);
            }
        }
        for file in keep {
            let (path, served) = served(file);
            self.files.insert(path, served);
        }
        Outcome {
            rendered: rendered.into_iter().collect(),
            ..Outcome::default()
        }
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

fn served(file: OutputFile) -> (String, Served) {
    let served = match file.contents {
        Contents::Bytes(bytes) => Served::Bytes(bytes.into()),
        Contents::Copy(path) => Served::File(path),
    };
    (file.path, served)
}
