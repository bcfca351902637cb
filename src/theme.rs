//! Themes: the templates and static files a site is rendered with.
//!
//! The default theme, `lab`, is embedded in the binary so that a site needs nothing but
//! its content. A site can also carry a theme of its own in `themes/<name>/`, which then
//! wins over the embedded one; and a site's own `templates/` folder overrides single
//! templates of whichever theme it uses (see [`crate::render::templates`]).
//!
//! Owns: the embedded `lab` theme and reading a theme from disk. Never does: compile
//! templates (render does).

use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// The folder of a site that holds its own themes, one folder each.
pub const THEMES_DIR: &str = "themes";

/// A file of a theme, by its path inside the theme folder (`templates/base.html`).
#[derive(Clone, Debug)]
pub struct ThemeFile {
    pub path: String,
    pub bytes: Vec<u8>,
    /// Where the file is shown from in diagnostics.
    pub shown: PathBuf,
}

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../themes/lab/", $path)))),*]
    };
}

/// The files of the embedded `lab` theme.
pub const LAB: &[(&str, &[u8])] = embed![
    "theme.yaml",
    "templates/base.html",
    "templates/components.html",
    "templates/index.html",
    "templates/course.html",
    "templates/lesson.html",
    "templates/404.html",
    "templates/review.html",
    "static/style.css",
    "static/lab.js",
    "static/fsrs.js",
    "static/cards.js",
    "static/widgets.js",
    "static/play.js",
    "static/search.js",
    "static/reorder.js",
    "static/review.js",
    "static/favicon.svg",
];

/// The files of theme `name` for the site at `root`.
pub fn load(root: &Path, name: &str) -> Result<Vec<ThemeFile>, Diagnostic> {
    let themes = root.join(THEMES_DIR);
    let dir = themes.join(name);
    if let Some(link) = crate::load::symlink_error(root, &themes) {
        return Err(link);
    }
    if dir.is_dir() || dir.is_symlink() {
        return read_dir(root, &dir);
    }
    if name == "lab" {
        return Ok(LAB
            .iter()
            .map(|(path, bytes)| ThemeFile {
                path: path.to_string(),
                bytes: bytes.to_vec(),
                shown: Path::new("themes/lab").join(path),
            })
            .collect());
    }
    Err(Diagnostic::error(
        crate::config::CONFIG_FILE,
        format!("unknown theme `{name}`"),
    )
    .with_hint(format!(
        "use the built-in theme `lab`, or put a theme in themes/{name}/"
    )))
}

fn read_dir(root: &Path, dir: &Path) -> Result<Vec<ThemeFile>, Diagnostic> {
    let (paths, errors) = crate::load::source_files(root, dir);
    if let Some(first) = errors.into_iter().next() {
        return Err(first);
    }
    let mut files = Vec::new();
    for rel in paths {
        let path = dir.join(&rel);
        let bytes = std::fs::read(&path)
            .map_err(|e| Diagnostic::error(&path, format!("cannot read: {e}")))?;
        files.push(ThemeFile {
            path: rel.to_string_lossy().replace('\\', "/"),
            bytes,
            shown: crate::diagnostics::display_path(root, &path),
        });
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_of_the_lab_theme_folder_is_embedded() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/lab");
        let on_disk: Vec<String> = read_dir(&dir, &dir)
            .unwrap()
            .into_iter()
            .map(|f| f.path)
            .collect();
        let mut embedded: Vec<String> = LAB.iter().map(|(p, _)| p.to_string()).collect();
        embedded.sort();
        let mut on_disk_sorted = on_disk.clone();
        on_disk_sorted.sort();
        assert_eq!(embedded, on_disk_sorted);
    }
}
