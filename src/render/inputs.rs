//! What render reads from disk, read once: the theme's files, its assets under their
//! content-hashed names, and the compiled templates (the theme's, overridden by the
//! site's `templates/`). `build` and `check` load them once per run; `serve` keeps them
//! between saves and loads them again only when a template or theme file changes.
//!
//! Owns: [`Inputs`] and its loading. Never does: render a page.

use std::path::Path;

use super::*;

/// The theme and templates a site is rendered with, loaded once.
pub struct Inputs {
    /// The theme it was loaded for (`site.yaml`'s `theme`).
    theme: String,
    /// The base URL the templates' `url()` and `asset()` were compiled for.
    base: BaseUrl,
    /// The theme's assets and the generated stylesheets, as output files.
    pub(super) assets: Vec<OutputFile>,
    /// The compiled templates, or what is wrong with them: reported with the rest of the
    /// site's problems by every render.
    pub(super) templates: Result<Templates, Vec<Diagnostic>>,
    /// Whether the theme has a review page.
    pub(super) review: bool,
}

impl Inputs {
    /// Reads theme `theme` of the site at `root` and compiles its templates for `base`.
    /// `Err` is a theme that cannot be read at all; broken templates are kept, to be
    /// reported with the site's other problems.
    pub fn load(root: &Path, theme: &str, base: &BaseUrl) -> Result<Inputs, Vec<Diagnostic>> {
        let theme_files = theme::load(root, theme).map_err(|e| vec![e])?;
        let (assets, asset_urls) = theme_assets(&theme_files);
        let asset_urls = asset_urls
            .into_iter()
            .map(|(name, path)| (name, base.join(&path)))
            .collect();
        let review_template = format!("templates/{}", study::REVIEW_TEMPLATE);
        Ok(Inputs {
            theme: theme.to_string(),
            base: base.clone(),
            review: theme_files.iter().any(|f| f.path == review_template),
            templates: Templates::load(root, &theme_files, base, asset_urls),
            assets,
        })
    }

    /// Loads the inputs of `site` under `base`.
    pub fn for_site(site: &Site, base: &BaseUrl) -> Result<Inputs, Vec<Diagnostic>> {
        Inputs::load(&site.root, &site.config.theme, base)
    }

    /// The theme these inputs were loaded for.
    pub fn theme(&self) -> &str {
        &self.theme
    }

    /// The base URL these inputs were compiled for.
    pub fn base(&self) -> &BaseUrl {
        &self.base
    }
}
