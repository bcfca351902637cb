//! Tera templates: the theme's, overridden by the site's own `templates/`, with the two
//! functions every template may call: `url(path=...)` (a site path under the base URL)
//! and `asset(name=...)` (the content-hashed URL of a theme asset).
//!
//! Tera's errors are turned into diagnostics that name the template file, line and
//! column, so a broken override is reported like a broken lesson.
//!
//! Owns: the Tera environment, its functions and its errors as diagnostics. Never does:
//! read a theme (the theme's files come in) or decide which page uses which template.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tera::{Context, ErrorKind, Kwargs, State, Tera};

use crate::config::BaseUrl;
use crate::diagnostics::{Diagnostic, Location};
use crate::theme::ThemeFile;

/// The folder of a site whose templates override the theme's.
pub const TEMPLATES_DIR: &str = "templates";

pub struct Templates {
    tera: Tera,
    /// Template name -> (file shown in diagnostics, its source).
    sources: HashMap<String, (PathBuf, String)>,
}

impl Templates {
    /// Loads the theme's templates, then the site's overrides from `<root>/templates/`.
    pub fn load(
        root: &Path,
        theme: &[ThemeFile],
        base: &BaseUrl,
        assets: HashMap<String, String>,
    ) -> Result<Templates, Vec<Diagnostic>> {
        let mut sources: HashMap<String, (PathBuf, String)> = HashMap::new();
        let mut errors = Vec::new();
        for file in theme {
            if let Some(name) = file.path.strip_prefix("templates/") {
                match String::from_utf8(file.bytes.clone()) {
                    Ok(text) => {
                        sources.insert(name.to_string(), (file.shown.clone(), text));
                    }
                    Err(_) => errors.push(Diagnostic::error(&file.shown, "not valid UTF-8")),
                }
            }
        }
        let overrides = root.join(TEMPLATES_DIR);
        let (files, walk_errors) = crate::load::source_files(root, &overrides);
        errors.extend(walk_errors);
        for rel in files {
            let name = rel.to_string_lossy().replace('\\', "/");
            let shown = Path::new(TEMPLATES_DIR).join(&name);
            match std::fs::read_to_string(overrides.join(&rel)) {
                Ok(text) => {
                    sources.insert(name, (shown, text.replace("\r\n", "\n")));
                }
                Err(e) => errors.push(Diagnostic::error(shown, format!("cannot read: {e}"))),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }

        let mut tera = Tera::new();
        let base_for_url = base.clone();
        tera.register_function(
            "url",
            move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
                let path: String = kwargs.must_get("path")?;
                Ok(base_for_url.join(&path))
            },
        );
        tera.register_function(
            "asset",
            move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
                let name: String = kwargs.must_get("name")?;
                assets.get(&name).cloned().ok_or_else(|| {
                    tera::Error::message(format!("there is no theme asset named `{name}`"))
                })
            },
        );
        let mut names: Vec<&String> = sources.keys().collect();
        names.sort();
        let pairs: Vec<(&str, &str)> = names
            .iter()
            .map(|n| (n.as_str(), sources[*n].1.as_str()))
            .collect();
        let mut templates = Templates {
            tera: Tera::new(),
            sources: HashMap::new(),
        };
        if let Err(e) = tera.add_raw_templates(pairs) {
            templates.sources = sources;
            return Err(vec![
                templates.diagnostic(&e, "the templates do not compile"),
            ]);
        }
        templates.tera = tera;
        templates.sources = sources;
        Ok(templates)
    }

    /// Renders template `name`; an error names the template file and line.
    pub fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| self.diagnostic(&e, &format!("cannot render `{name}`")))
    }

    fn diagnostic(&self, error: &tera::Error, fallback: &str) -> Diagnostic {
        match error.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let (shown, source) = self
                    .sources
                    .get(report.filename())
                    .cloned()
                    .unwrap_or_else(|| (PathBuf::from(report.filename()), String::new()));
                let span = report.span();
                let mut d = Diagnostic::error(shown, report.message().to_string());
                if span.start_line > 0 {
                    d = d.at(
                        &source,
                        Location {
                            line: span.start_line,
                            column: span.start_col + 1,
                        },
                    );
                }
                d
            }
            other => {
                let file = PathBuf::from(TEMPLATES_DIR);
                Diagnostic::error(file, format!("{fallback}: {other}"))
            }
        }
    }
}
