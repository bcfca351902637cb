//! `conceptlab build`: the stages in order (load -> simulate -> render -> write), each called once,
//! with every problem collected before anything is written.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rayon::prelude::*;

use crate::config::{BaseUrl, SiteConfig};
use crate::diagnostics::Diagnostic;
use crate::load::{self, LoadOptions};
use crate::render::{self, Stats};
use crate::sim::{self, SimOptions, SimSummary};
use crate::write;

/// What to build, from the command line.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// The output folder; `<root>/public` when not given.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of `site.yaml`.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Retrain every simulation, ignoring (and rewriting) the cache.
    pub no_cache: bool,
    /// Print no training progress.
    pub quiet: bool,
}

/// A finished build.
#[derive(Debug)]
pub struct Built {
    pub output: PathBuf,
    pub stats: Stats,
    pub files: usize,
    pub elapsed: Duration,
    /// What the simulate stage did.
    pub sims: SimSummary,
}

/// Builds the site. `Err` holds every problem found; nothing was written then.
pub fn build(options: &BuildOptions) -> Result<Built, Vec<Diagnostic>> {
    let started = std::time::Instant::now();
    let root = &options.root;
    let config = SiteConfig::load(root).map_err(|e| vec![e])?;
    let base_raw = options.base_url.as_deref().unwrap_or(&config.base_url);
    let base = BaseUrl::parse(base_raw).map_err(|m| {
        vec![Diagnostic::error("--base-url", m).with_hint("e.g. --base-url /course-repo/")]
    })?;
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| root.join("public"));
    check_output(root, &output)?;

    let load_options = LoadOptions {
        drafts: options.drafts,
    };
    let (site, mut errors) = load::load_site(root, config, &load_options);
    // Simulate: specs are checked always; training happens only when nothing is wrong.
    let sim_options = SimOptions {
        no_cache: options.no_cache,
        check_only: !errors.is_empty(),
        quiet: options.quiet,
        ..Default::default()
    };
    let (sims, sim_summary, sim_errors) = sim::simulate_site(&site, &sim_options);
    errors.extend(sim_errors);
    let write_error = |e: write::WriteError| vec![Diagnostic::error(&output, e.to_string())];
    if !errors.is_empty() {
        // Render anyway, to report the rest of the site's problems too; write nothing.
        if let Err(more) = render::check_site(&site, &base, &sims) {
            errors.extend(more);
        }
        return Err(errors);
    }
    // Pages go to the staging folder as they are rendered, so a large site is never held
    // in memory whole; a failure drops the staging folder and leaves the output as it was.
    let staging = write::Staging::create(&output).map_err(write_error)?;
    let sink = |file: &render::OutputFile| staging.write(file).map_err(|e| e.to_string());
    let (files, stats) = render::render_site_into(&site, &base, &sims, &sink)?;
    files
        .par_iter()
        .try_for_each(|file| staging.write(file))
        .map_err(write_error)?;
    staging.finish().map_err(write_error)?;
    Ok(Built {
        output,
        files: files.len() + stats.streamed + 1,
        stats,
        elapsed: started.elapsed(),
        sims: sim_summary,
    })
}

/// The output folder must not be the site itself or hold its sources: it is replaced
/// whole on every build.
fn check_output(root: &Path, output: &Path) -> Result<(), Vec<Diagnostic>> {
    let abs = |p: &Path| {
        std::path::absolute(p)
            .unwrap_or_else(|_| p.to_path_buf())
            .components()
            .collect::<PathBuf>()
    };
    let (root_abs, out_abs) = (abs(root), abs(output));
    let sources = ["content", "templates", "themes", "static", "site.yaml"];
    let dangerous = root_abs.starts_with(&out_abs)
        || sources
            .iter()
            .any(|s| out_abs.starts_with(root_abs.join(s)));
    if dangerous {
        return Err(vec![
            Diagnostic::error(
                output,
                "the output folder would overwrite the site's sources",
            )
            .with_hint("choose an output folder of its own, such as public/"),
        ]);
    }
    Ok(())
}
