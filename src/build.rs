//! `conceptlab build`: the stages in order ([`pipeline::prepare`] -> simulate -> render ->
//! write), each called once, with every problem collected before anything is written.
//!
//! Owns: the order of `build`'s stages and the output folder's safety checks. Never does:
//! parse, render or write anything itself.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;
use crate::pipeline::{self, Prepare, Prepared};
use crate::render::{self, RenderPlan, Stats};
use crate::sim::{self, SimOptions, SimSummary, Training};
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
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| root.join("public"));
    check_output(root, &output)?;
    let prepared = pipeline::prepare(
        Prepare {
            root,
            base_url: options.base_url.as_deref(),
            drafts: options.drafts,
        },
        None,
    )?;
    let Prepared {
        site,
        base,
        inputs,
        mut errors,
    } = prepared;
    // Simulate: specs are checked always; training happens only when nothing is wrong.
    let sim_options = SimOptions {
        no_cache: options.no_cache,
        training: match errors.is_empty() {
            true => Training::Run,
            false => Training::CheckOnly,
        },
        quiet: options.quiet,
        ..Default::default()
    };
    let (sims, sim_summary, sim_errors) = sim::simulate_site(&site, &sim_options);
    errors.extend(sim_errors);
    let inputs = inputs.map_err(|theme| errors.extend(theme)).ok();
    let Some(inputs) = inputs.as_ref().filter(|_| errors.is_empty()) else {
        // Render anyway, to report the rest of the site's problems too; write nothing.
        if let Some(inputs) = &inputs
            && let Err(more) = render::render(&site, &base, &sims, inputs, RenderPlan::check())
        {
            errors.extend(more);
        }
        return Err(errors);
    };
    let write_error = |e: write::WriteError| vec![Diagnostic::error(&output, e.to_string())];
    // Pages go to the staging folder as they are rendered, so a large site is never held
    // in memory whole; a failure drops the staging folder and leaves the output as it was.
    let waiting = || {
        if !options.quiet {
            eprintln!(
                "Waiting for another build writing next to {} to finish...",
                output.display()
            );
        }
    };
    let staging = write::Staging::create(&output, &waiting).map_err(write_error)?;
    let sink = |file: &OutputFile| staging.write(file).map_err(|e| e.to_string());
    let plan = RenderPlan::build(&sink);
    let render::RenderedSite { files, stats, .. } =
        render::render(&site, &base, &sims, inputs, plan)?;
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
/// whole on every build. Paths are compared as the file system resolves them, so a
/// symbolic link in either path cannot hide that they are the same place.
fn check_output(root: &Path, output: &Path) -> Result<(), Vec<Diagnostic>> {
    let (root_real, out_real) = (resolved(root), resolved(output));
    let sources = ["content", "templates", "themes", "static", "site.yaml"];
    let dangerous = root_real.starts_with(&out_real)
        || sources.iter().any(|s| {
            out_real.starts_with(root_real.join(s)) || out_real.starts_with(resolved(&root.join(s)))
        });
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

/// `path` as the file system resolves it: its longest existing ancestor with every
/// symbolic link followed, then the rest of the path (which does not exist yet).
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    let base = loop {
        if let Ok(real) = existing.canonicalize() {
            break real;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => break existing.to_path_buf(),
        }
    };
    let mut out = base;
    for name in rest.into_iter().rev() {
        if name == ".." {
            out.pop();
        } else if name != "." {
            out.push(name);
        }
    }
    out
}
