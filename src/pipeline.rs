//! The one way in to the stages: `build`, `check` and `serve` each start with
//! [`prepare`] (site.yaml -> base URL -> load -> theme and templates), then simulate and
//! render with explicit plans ([`crate::sim::Training`], [`crate::render::RenderPlan`]).
//!
//! Owns: the order of the first steps and what a front door hands the stages. Never
//! does: render, train or write.

use std::path::Path;

use crate::config::{BaseUrl, CONFIG_FILE, SiteConfig};
use crate::diagnostics::Diagnostic;
use crate::load::{self, LoadOptions, Site};
use crate::render::Inputs;

/// What to prepare.
#[derive(Clone, Copy, Debug)]
pub struct Prepare<'a> {
    pub root: &'a Path,
    /// The base URL pages are rendered for; `site.yaml`'s `base_url` when `None`.
    pub base_url: Option<&'a str>,
    /// Keep lessons marked `draft: true`.
    pub drafts: bool,
}

/// A site ready for the stages.
pub struct Prepared {
    pub site: Site,
    pub base: BaseUrl,
    /// The theme and compiled templates, or why the theme cannot be read (then nothing
    /// can be rendered). Kept apart from `errors` because it is a render problem: the
    /// simulate stage still trains when only the theme is wrong, and the front doors
    /// report it after the simulation problems, where render reports its own.
    pub inputs: Result<Inputs, Vec<Diagnostic>>,
    /// Every problem found loading the site. The site is loaded as far as it could be, so
    /// that the later stages can still report their own problems.
    pub errors: Vec<Diagnostic>,
}

/// Loads `site.yaml`, the base URL, the site and its theme. `Err` is a problem that
/// leaves nothing to check (an unreadable `site.yaml`, a bad base URL). `kept` are the
/// inputs of an earlier run (`serve`'s, before a content change): used again when they
/// were loaded for the same theme and base URL, so the templates are not compiled again.
pub fn prepare(what: Prepare<'_>, kept: Option<Inputs>) -> Result<Prepared, Vec<Diagnostic>> {
    let config = SiteConfig::load(what.root)?;
    let base = match what.base_url {
        Some(raw) => BaseUrl::parse(raw).map_err(|m| {
            vec![Diagnostic::error("--base-url", m).with_hint("e.g. --base-url /course-repo/")]
        })?,
        None => {
            BaseUrl::parse(&config.base_url).map_err(|m| vec![Diagnostic::error(CONFIG_FILE, m)])?
        }
    };
    let theme = config.theme.clone();
    let (site, errors) = load::load_site(
        what.root,
        config,
        &LoadOptions {
            drafts: what.drafts,
        },
    );
    let inputs = match kept.filter(|k| k.theme() == theme && k.base() == &base) {
        Some(kept) => Ok(kept),
        None => Inputs::load(what.root, &theme, &base),
    };
    Ok(Prepared {
        site,
        base,
        inputs,
        errors,
    })
}
