//! The simulate stage: every lesson's `simulations:` -> the engine (batched, cached by a
//! hash of the spec) -> [`SimResults`], which the render stage turns into widgets and
//! artifact files. See `docs/simulations.md`.
//!
//! Owns: the simulate stage: `simulate_site`, its `Training` plans, the results and the
//! page budget. Never does: render HTML or decide the exit status.

pub mod cache;
pub mod cost;
pub mod model;
pub mod play;
pub mod progress;
pub mod run;
pub mod shard;
pub mod spec;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use model::SimData;

use crate::diagnostics::Diagnostic;
use crate::load::{LessonKey, Site};

/// One finished simulation: its data and the artifact bytes the page's widget fetches.
#[derive(Clone, Debug)]
pub struct SimArtifact {
    pub data: SimData,
    /// `data.encode()`, computed once.
    pub bytes: Vec<u8>,
}

impl SimArtifact {
    pub fn new(data: SimData) -> SimArtifact {
        let bytes = data.encode();
        SimArtifact { data, bytes }
    }

    /// A short hash of the bytes, for the artifact's file name (so a changed simulation
    /// never meets a stale browser cache).
    pub fn short_hash(&self) -> String {
        blake3::hash(&self.bytes).to_hex()[..10].to_string()
    }

    /// The bytes a page fetches before the reader does anything: the whole artifact, or
    /// for a playground its index and its default run.
    pub fn first_load_bytes(&self) -> usize {
        match &self.data {
            SimData::Playground(p) => {
                let index = SimData::Playground(p.index()).encode().len();
                let run = p.runs.get(p.default_run()).map_or(0, |r| {
                    SimData::PlaygroundRun(Box::new(r.clone())).encode().len()
                });
                index + run
            }
            _ => self.bytes.len(),
        }
    }
}

/// The results of every simulation of a site: lesson key (`course/slug`) -> simulation
/// id -> artifact.
#[derive(Clone, Debug, Default)]
pub struct SimResults {
    pub by_lesson: BTreeMap<LessonKey, BTreeMap<String, Arc<SimArtifact>>>,
}

impl SimResults {
    /// The artifact of simulation `id` of the lesson `key`, when it was computed.
    pub fn get(&self, lesson_key: &str, id: &str) -> Option<&Arc<SimArtifact>> {
        self.by_lesson.get(lesson_key)?.get(id)
    }
}

/// How to run the simulate stage.
#[derive(Clone, Debug, Default)]
pub struct SimOptions {
    /// Retrain everything, ignoring (and rewriting) the cache.
    pub no_cache: bool,
    /// What to do with simulations once their specs are checked.
    pub training: Training,
    /// Print no progress.
    pub quiet: bool,
    /// Only the simulations of these lessons (keys `course/slug`); all when `None`.
    pub only: Option<std::collections::BTreeSet<LessonKey>>,
}

/// What the simulate stage does once every spec, cost and page budget is checked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Training {
    /// Read the cache and train what it lacks (`build`).
    #[default]
    Run,
    /// Nothing more: the checks are the point (`check`, or a build that already failed).
    CheckOnly,
    /// Read what the cache has and leave the rest untrained, listed in
    /// [`SimSummary::pending`] (`serve` trains those in the background).
    Defer,
}

/// A simulation whose data is not in the cache, left for later by [`Training::Defer`].
#[derive(Clone, Debug)]
pub struct Pending {
    pub lesson_key: LessonKey,
    pub id: String,
    /// The cache key: which version of the spec this is.
    pub cache_key: String,
    pub networks: usize,
    /// Its estimated work (see [`cost`]).
    pub cost: cost::Cost,
    resolved: spec::SimPlan,
    cache_file: std::path::PathBuf,
}

impl Pending {
    /// `course/slug#id`, for messages.
    pub fn label(&self) -> String {
        format!("{}#{}", self.lesson_key, self.id)
    }

    /// Trains it and stores the result in the cache.
    pub fn train(&self) -> Result<SimArtifact, String> {
        let artifact = SimArtifact::new(run::run(&self.resolved, &|_| {})?);
        cache::write(&self.cache_file, &artifact.bytes)
            .map_err(|e| format!("cannot write {}: {e}", self.cache_file.display()))?;
        Ok(artifact)
    }
}

/// What the stage did, for the build's summary.
#[derive(Clone, Debug, Default)]
pub struct SimSummary {
    pub trained: usize,
    pub from_cache: usize,
    /// Networks trained (cache hits count none).
    pub networks: usize,
    pub elapsed: Duration,
    /// Lesson key -> bytes of its artifacts together.
    pub page_bytes: BTreeMap<LessonKey, usize>,
    /// With [`Training::Defer`]: the simulations the cache did not have.
    pub pending: Vec<Pending>,
    /// Old cache files removed after the build (`simulations.cache_max_mb`).
    pub pruned: cache::Pruned,
    /// The cache keys of every simulation the site has (trained, cached or pending),
    /// sorted: what a CI cache is keyed by ([`shard::digest`]).
    pub keys: Vec<String>,
}

impl SimSummary {
    /// One line: "Simulations: 2 trained (45 networks), 1 from cache in 3.1 s; data per
    /// page: machine-learning/neurons-and-the-brain 210 KB".
    pub fn line(&self) -> Option<String> {
        if self.trained + self.from_cache == 0 {
            return None;
        }
        let pages: Vec<String> = self
            .page_bytes
            .iter()
            .map(|(k, b)| format!("{k} {}", kb(*b)))
            .collect();
        let pruned = match self.pruned.files {
            0 => String::new(),
            n => format!(
                "; removed {n} old cache file{} ({:.1} MB)",
                if n == 1 { "" } else { "s" },
                self.pruned.bytes as f64 / 1e6
            ),
        };
        Some(format!(
            "Simulations: {} trained ({} network{}), {} from cache in {:.1} s{pruned}; data per page: {}",
            self.trained,
            self.networks,
            if self.networks == 1 { "" } else { "s" },
            self.from_cache,
            self.elapsed.as_secs_f64(),
            pages.join(", ")
        ))
    }
}

/// "12.3 KB".
pub fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

/// A simulation whose spec, cost and limits are checked: ready to read from the cache
/// or train.
struct Planned<'a> {
    lesson_key: LessonKey,
    /// Its place in the lesson's `simulations:`, to locate diagnostics.
    index: usize,
    file: &'a crate::load::source::SourceFile,
    resolved: spec::SimPlan,
    cost: cost::Cost,
}

/// The simulate stage: checks every lesson's `simulations:`, then (as
/// `options.training` says, and only when nothing is wrong) reads them from the cache
/// and trains the rest. Returns the results, a summary and every error found (specs, cost, page
/// budget, training failures).
pub fn simulate_site(
    site: &Site,
    options: &SimOptions,
) -> (SimResults, SimSummary, Vec<Diagnostic>) {
    let started = Instant::now();
    let limits = &site.config.simulations;
    let cores = rayon::current_num_threads();
    let mut errors = Vec::new();
    let mut jobs = Vec::new();
    for course in &site.courses {
        for lesson in &course.lessons {
            let key = course.key(lesson);
            if options
                .only
                .as_ref()
                .is_some_and(|only| !only.contains(&key))
            {
                continue;
            }
            for (index, sim) in lesson.meta.simulations.iter().enumerate() {
                let Some(resolved) = spec::resolve(sim, index, &lesson.source, &mut errors) else {
                    continue;
                };
                let cost = cost::cost(&resolved);
                let loc = spec::Locator::new(&lesson.source, index);
                if let Some(e) = cost::check_cost(&resolved, &cost, limits.max_gflop, cores, &loc) {
                    errors.push(e);
                    continue;
                }
                jobs.push(Planned {
                    lesson_key: key.clone(),
                    index,
                    file: &lesson.source,
                    resolved,
                    cost,
                });
            }
        }
    }
    let mut summary = SimSummary::default();
    let mut results = SimResults::default();
    // The page budget on the estimated sizes, like every other check before training;
    // the real sizes are checked again once trained.
    let estimated: Vec<usize> = jobs.iter().map(|j| estimated_size(&j.resolved)).collect();
    errors.extend(check_budget(&jobs, &estimated, limits.max_page_kb));
    if options.training == Training::CheckOnly || !errors.is_empty() {
        return (results, summary, errors);
    }
    let progress = progress::Progress::new(options.quiet);
    let kernel = run::kernel_name();
    let mut sizes = Vec::new();
    let mut used = std::collections::HashSet::new();
    let mut told_kernel = false;
    for job in &jobs {
        let key = cache::key(&job.resolved, kernel);
        used.insert(key.clone());
        let file = cache::path(&site.root, &key);
        let label = format!("{}#{}", job.lesson_key, job.resolved.id);
        let mut artifact = None;
        if !options.no_cache {
            match cache::read(&file) {
                cache::Lookup::Hit(data, bytes) => {
                    artifact = Some(SimArtifact { data: *data, bytes })
                }
                cache::Lookup::Miss => {}
                cache::Lookup::Damaged(why) => progress.warn(&format!(
                    "the cached simulation {label} ({}) is damaged ({why}); training it again",
                    file.display()
                )),
            }
        }
        let artifact = match artifact {
            Some(a) => {
                summary.from_cache += 1;
                a
            }
            None if options.training == Training::Defer => {
                summary.pending.push(Pending {
                    lesson_key: job.lesson_key.clone(),
                    id: job.resolved.id.clone(),
                    cache_key: key,
                    networks: job.cost.networks,
                    cost: job.cost,
                    resolved: job.resolved.clone(),
                    cache_file: file,
                });
                sizes.push(0);
                continue;
            }
            None => {
                if !told_kernel && let Some(why) = run::slow_kernel_note() {
                    told_kernel = true;
                    progress.warn(why);
                }
                let bar = progress.start(&label, job.cost.networks, job.cost.gflop());
                let trained = run::run(&job.resolved, &|n| bar.tick(n));
                bar.finish();
                match trained {
                    Ok(data) => {
                        summary.trained += 1;
                        summary.networks += job.cost.networks;
                        let a = SimArtifact::new(data);
                        if let Err(e) = cache::write(&file, &a.bytes) {
                            progress.warn(&format!(
                                "cannot write the simulation cache {}: {e}",
                                file.display()
                            ));
                        }
                        a
                    }
                    Err(message) => {
                        let loc = spec::Locator::new(job.file, job.index);
                        errors.push(loc.error(
                            &[],
                            format!("simulation `{}` failed: {message}", job.resolved.id),
                        ));
                        sizes.push(0);
                        continue;
                    }
                }
            }
        };
        let first_load = artifact.first_load_bytes();
        sizes.push(first_load);
        *summary
            .page_bytes
            .entry(job.lesson_key.clone())
            .or_default() += first_load;
        results
            .by_lesson
            .entry(job.lesson_key.clone())
            .or_default()
            .insert(job.resolved.id.clone(), Arc::new(artifact));
    }
    errors.extend(check_budget(&jobs, &sizes, limits.max_page_kb));
    // A build of the whole site knows every file it needs: the others may go. (A build
    // that failed keeps them, and so does `serve`, which trains in the background.)
    let whole_site = options.only.is_none() && options.training == Training::Run;
    if whole_site && errors.is_empty() {
        let cap = limits.cache_max_mb.saturating_mul(1_000_000);
        match cache::prune(&site.root, &used, cap) {
            Ok(pruned) => summary.pruned = pruned,
            Err(e) => progress.warn(&format!(
                "cannot prune the simulation cache {}: {e}",
                cache::dir(&site.root).display()
            )),
        }
    }
    summary.keys = used.into_iter().collect();
    summary.keys.sort();
    summary.elapsed = started.elapsed();
    (results, summary, errors)
}

/// Lessons whose artifacts together exceed `max_page_kb`.
fn check_budget(jobs: &[Planned<'_>], sizes: &[usize], max_page_kb: usize) -> Vec<Diagnostic> {
    let mut by_lesson: BTreeMap<&LessonKey, Vec<(usize, usize)>> = BTreeMap::new();
    for (i, job) in jobs.iter().enumerate() {
        by_lesson
            .entry(&job.lesson_key)
            .or_default()
            .push((i, sizes[i]));
    }
    let mut errors = Vec::new();
    for members in by_lesson.values() {
        let total: usize = members.iter().map(|m| m.1).sum();
        if total <= max_page_kb * 1024 {
            continue;
        }
        let file = jobs[members[0].0].file;
        let list: Vec<String> = members
            .iter()
            .map(|&(i, b)| format!("`{}` {}", jobs[i].resolved.id, kb(b)))
            .collect();
        errors.push(
            file.error_at_path(
                &["simulations"],
                format!(
                    "the simulation data of this page is {}, over the limit of {max_page_kb} KB (`simulations.max_page_kb` in site.yaml): {}",
                    kb(total),
                    list.join(", ")
                ),
            )
            .with_hint("lower `resolution`, use fewer `snapshots` or fewer grid values, or raise `simulations.max_page_kb`"),
        );
    }
    errors
}

/// The artifact size of a simulation, estimated from its shapes (checked before training).
pub fn estimated_size(r: &spec::SimPlan) -> usize {
    let header = 2048;
    let overlay = run::OVERLAY_POINTS * 3;
    match &r.plan {
        spec::Plan::LearningCurve { sizes, models, .. } => {
            header + overlay + 8 * sizes.len() * models.len()
        }
        spec::Plan::Playground {
            axes,
            default,
            regression,
            ..
        } => {
            // The index and the default run: what the page loads first.
            let runs = spec::playground_runs(r);
            let at = default
                .iter()
                .zip(axes)
                .fold(0, |acc, (&i, axis)| acc * axis.len() + i);
            let Some(run) = runs.get(at) else {
                return header;
            };
            let records = r.base.epochs / cost::record_every(r.base.epochs) + 2;
            let units: usize = run.run.hidden.iter().sum();
            let params = cost::parameter_count_for(run.run.features.len(), &run.run.hidden);
            let (out, cells) = if *regression {
                (2 * r.resolution, r.resolution)
            } else {
                (r.resolution * r.resolution, r.resolution * r.resolution / 4)
            };
            let snaps = r.snapshots.len();
            2 * header
                + 2 * overlay
                + 8 * records
                + run.run.features.len() * cells
                + snaps * (out + units * cells + 2 * params)
        }
        _ => {
            let runs = spec::runs_of(r).len();
            let records = r.base.epochs / cost::record_every(r.base.epochs) + 2;
            header
                + overlay
                + runs * (8 * records + r.snapshots.len() * r.resolution * r.resolution)
        }
    }
}
