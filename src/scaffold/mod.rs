//! `conceptlab init` and `conceptlab new`: a new site, course or lesson, written from
//! files embedded in the binary.
//!
//! The files are real files in this folder (`site/` is the site `init` writes, `new/` the
//! skeletons of a lesson and a course), included with `include_str!`, so that they can be
//! read, built and reviewed like any other site. The GitHub Pages workflow and its install
//! action are the repository's own (`.github/`), so new sites publish the same way; `init`
//! pins in them the release and commit of the binary that writes them.
//! This module only ever creates files: it refuses to overwrite a non-empty folder (unless
//! forced), an existing course or a lesson with the same slug.
//!
//! Owns: the files `init` and `new` write. Never does: overwrite a file.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, display_path};
use crate::load::CONTENT_DIR;
use crate::load::course::{COURSE_FILE, PART_FILE};
use crate::load::source::{self, FrontMatter};
use crate::render::templates::TEMPLATES_DIR;
use crate::slug::{split_order_prefix, url_slug};
use crate::yaml;

/// The files of the site `conceptlab init` writes, by path in the new site.
pub const SITE: &[(&str, &str)] = &[
    ("site.yaml", include_str!("site/site.yaml")),
    (".gitignore", include_str!("site/gitignore")),
    (
        "content/caching/_course.md",
        include_str!("site/content/caching/_course.md"),
    ),
    (
        "content/caching/001-what-a-cache-is.md",
        include_str!("site/content/caching/001-what-a-cache-is.md"),
    ),
    (
        "content/caching/002-eviction-policies.md",
        include_str!("site/content/caching/002-eviction-policies.md"),
    ),
    (
        ".github/workflows/pages.yml",
        include_str!("../../.github/workflows/pages.yml"),
    ),
    (
        ".github/actions/install-conceptlab/action.yml",
        include_str!("../../.github/actions/install-conceptlab/action.yml"),
    ),
];

/// The Pages workflow with this binary's release, commit and repository pinned in its
/// `env:` lines (`CONCEPTLAB_VERSION`, `CONCEPTLAB_COMMIT`, `CONCEPTLAB_REPOSITORY`).
pub fn pinned_workflow(workflow: &str) -> String {
    let pins = [
        ("CONCEPTLAB_VERSION", env!("CARGO_PKG_VERSION")),
        ("CONCEPTLAB_COMMIT", crate::cli::COMMIT),
        ("CONCEPTLAB_REPOSITORY", env!("CARGO_PKG_REPOSITORY")),
    ];
    let mut out = String::with_capacity(workflow.len());
    for line in workflow.split_inclusive('\n') {
        let pin = pins.iter().find(|(name, _)| {
            line.trim_start()
                .strip_prefix(name)
                .is_some_and(|rest| rest.starts_with(':'))
        });
        match pin {
            Some((name, value)) => {
                let indent = &line[..line.len() - line.trim_start().len()];
                out.push_str(&format!("{indent}{name}: \"{value}\"\n"));
            }
            None => out.push_str(line),
        }
    }
    out
}

const NEW_LESSON: &str = include_str!("new/lesson.md");
const NEW_COURSE: &str = include_str!("new/course.md");
const NEW_PART: &str = include_str!("new/part.md");

/// Writes a new site into `dir` (created if missing) and returns the paths written,
/// relative to `dir`. A folder that holds anything is refused unless `force`, and then
/// only the site's own files are overwritten; other files stay.
pub fn init(dir: &Path, force: bool) -> Result<Vec<PathBuf>, Diagnostic> {
    let not_empty = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if not_empty && !force {
        return Err(Diagnostic::error(
            dir,
            "refusing to create a site here: the folder is not empty",
        )
        .with_hint(
            "choose a new or empty folder, or add --force to write the new site's files \
             over the ones there (other files are kept)",
        ));
    }
    let mut written = Vec::new();
    for (path, text) in SITE {
        let text = if *path == "site.yaml" {
            text.replace("{{title}}", &yaml_string(&site_title(dir)))
        } else if *path == ".github/workflows/pages.yml" {
            pinned_workflow(text)
        } else {
            text.to_string()
        };
        write_new(&dir.join(path), &text, true)?;
        written.push(PathBuf::from(path));
    }
    // The theme stays the one built into the binary; this folder is where a site puts
    // its own versions of single theme templates.
    let templates = dir.join(TEMPLATES_DIR);
    std::fs::create_dir_all(&templates).map_err(|e| io_error(&templates, e))?;
    written.push(PathBuf::from(TEMPLATES_DIR));
    Ok(written)
}

/// Creates a lesson titled `title` at the end of course `course` of the site at `root`
/// and returns its path (relative to `root`): `content/<course>/NNN-<slug>.md`, numbered
/// after the course's last lesson. In a course with parts it goes into `part` (a part
/// folder's name, with or without its number prefix), else into the last part, so that
/// it comes last in the course either way.
pub fn new_lesson(
    root: &Path,
    course: &str,
    part: Option<&str>,
    title: &str,
) -> Result<PathBuf, Diagnostic> {
    let content = root.join(CONTENT_DIR);
    let course_dir = existing_course(&content, course)?;
    let parts = existing_parts(root, &course_dir);
    let folder = match part {
        Some(wanted) => Some(find_part(&parts, course, wanted)?),
        None => parts
            .iter()
            .max_by_key(|p| p.order)
            .map(|p| p.folder.clone()),
    };
    let slug = slug_of(title)?;
    // Slugs are unique in the whole course, parts included.
    let mut everywhere = existing_lessons(root, &course_dir);
    for part in &parts {
        everywhere.extend(existing_lessons(root, &course_dir.join(&part.folder)));
    }
    if let Some(same) = everywhere.iter().find(|l| l.slug == slug) {
        return Err(Diagnostic::error(
            &same.shown,
            format!("course `{course}` already has a lesson with the slug `{slug}`"),
        )
        .with_hint("give the new lesson another title, or edit this one"));
    }
    let dir = match &folder {
        Some(folder) => course_dir.join(folder),
        None => course_dir.clone(),
    };
    let order = next_order(existing_lessons(root, &dir).iter().map(|l| l.order), &dir)?;
    let mut rel = Path::new(CONTENT_DIR).join(course);
    if let Some(folder) = &folder {
        rel.push(folder);
    }
    rel.push(format!("{order:03}-{slug}.md"));
    let text = NEW_LESSON
        .replace("{{title}}", &yaml_string(title))
        .replace("{{order}}", &order.to_string())
        .replace("{{slug}}", &slug);
    write_new(&root.join(&rel), &text, false)?;
    Ok(rel)
}

/// Creates a part titled `title` at the end of course `course` of the site at `root` and
/// returns the path of its `_part.md` (relative to `root`): `content/<course>/NNN-<slug>/`.
pub fn new_part(root: &Path, course: &str, title: &str) -> Result<PathBuf, Diagnostic> {
    let content = root.join(CONTENT_DIR);
    let course_dir = existing_course(&content, course)?;
    let slug = slug_of(title)?;
    let parts = existing_parts(root, &course_dir);
    if let Some(same) = parts.iter().find(|p| p.slug == slug) {
        return Err(Diagnostic::error(
            &same.shown,
            format!("course `{course}` already has a part `{slug}`"),
        )
        .with_hint("give the new part another title"));
    }
    let order = next_order(parts.iter().map(|p| p.order), &course_dir)?;
    let rel = Path::new(CONTENT_DIR)
        .join(course)
        .join(format!("{order:03}-{slug}"))
        .join(PART_FILE);
    let text = NEW_PART
        .replace("{{title}}", &yaml_string(title))
        .replace("{{order}}", &order.to_string());
    write_new(&root.join(&rel), &text, false)?;
    Ok(rel)
}

/// One more than the highest of `orders` (1 for none), or an error where no number is
/// left after it.
fn next_order(orders: impl Iterator<Item = u32>, dir: &Path) -> Result<u32, Diagnostic> {
    let last = orders.max().unwrap_or(0);
    last.checked_add(1).ok_or_else(|| {
        Diagnostic::error(
            dir,
            format!("the last order here is {last}; no number comes after it"),
        )
        .with_hint("renumber the files, or give the new one an `order:` by hand")
    })
}

/// The folder of course `course`, or an error that names the courses there are.
fn existing_course(content: &Path, course: &str) -> Result<PathBuf, Diagnostic> {
    let course_dir = content.join(course);
    if course_dir.join(COURSE_FILE).is_file() {
        return Ok(course_dir);
    }
    let known = course_slugs(content);
    let hint = match yaml::closest(course, &known) {
        Some(best) => format!("did you mean `--course {best}`?"),
        None if known.is_empty() => {
            "create one first: conceptlab new course \"Course Title\"".to_string()
        }
        None => format!("the courses are: {}", known.join(", ")),
    };
    Err(Diagnostic::error(
        Path::new(CONTENT_DIR).join(course),
        format!("there is no course `{course}`"),
    )
    .with_hint(hint))
}

/// Creates a course titled `title` in the site at `root` and returns the path of its
/// `_course.md` (relative to `root`). The folder name, which is the course's URL, is a
/// slug of the title.
pub fn new_course(root: &Path, title: &str) -> Result<PathBuf, Diagnostic> {
    let content = root.join(CONTENT_DIR);
    let slug = slug_of(title)?;
    let dir = Path::new(CONTENT_DIR).join(&slug);
    if root.join(&dir).exists() {
        return Err(
            Diagnostic::error(&dir, format!("a course `{slug}` exists already"))
                .with_hint("give the new course another title"),
        );
    }
    let order = course_slugs(&content)
        .iter()
        .filter_map(|c| {
            let path = content.join(c).join(COURSE_FILE);
            read_position(&path, &path).and_then(|p| p.order)
        })
        .max()
        .unwrap_or(0)
        + 1;
    let rel = dir.join(COURSE_FILE);
    let text = NEW_COURSE
        .replace("{{title}}", &yaml_string(title))
        .replace("{{order}}", &order.to_string());
    write_new(&root.join(&rel), &text, false)?;
    Ok(rel)
}

/// A lesson already in a course: where it sits and its URL slug.
struct ExistingLesson {
    shown: PathBuf,
    order: u32,
    slug: String,
}

/// The lessons of `course_dir` as the build would number them: `order:` and `slug:` of
/// the front-matter when it reads, else the file name's.
fn existing_lessons(root: &Path, course_dir: &Path) -> Vec<ExistingLesson> {
    let Ok(entries) = std::fs::read_dir(course_dir) else {
        return Vec::new();
    };
    let mut lessons = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if !path.is_file() || !name.ends_with(".md") || name == COURSE_FILE || name == PART_FILE {
            continue;
        }
        let stem = name.trim_end_matches(".md");
        let (prefix, rest) = split_order_prefix(stem);
        // A book's `2.3-x.md` is counted by its first number.
        let prefix = prefix.and_then(|numbers| numbers.first().copied());
        let shown = display_path(root, &path);
        let position = read_position(&path, &shown).unwrap_or_default();
        lessons.push(ExistingLesson {
            order: position
                .order
                .and_then(|o| u32::try_from(o).ok())
                .or(prefix)
                .unwrap_or(0),
            slug: position.slug.unwrap_or_else(|| url_slug(rest)),
            shown,
        });
    }
    lessons
}

/// A part already in a course: its folder, position and slug.
struct ExistingPart {
    folder: String,
    shown: PathBuf,
    order: u32,
    slug: String,
}

/// The parts of `course_dir` (folders with a `_part.md`), numbered as the build numbers
/// them: `order:` of the front-matter when it reads, else the folder name's prefix.
fn existing_parts(root: &Path, course_dir: &Path) -> Vec<ExistingPart> {
    let Ok(entries) = std::fs::read_dir(course_dir) else {
        return Vec::new();
    };
    let mut parts = Vec::new();
    for entry in entries.flatten() {
        let file = entry.path().join(PART_FILE);
        if !file.is_file() {
            continue;
        }
        let folder = entry.file_name().to_string_lossy().to_string();
        let (prefix, rest) = split_order_prefix(&folder);
        let shown = display_path(root, &file);
        let position = read_position(&file, &shown).unwrap_or_default();
        parts.push(ExistingPart {
            order: position
                .order
                .and_then(|o| u32::try_from(o).ok())
                .or(prefix.and_then(|p| p.first().copied()))
                .unwrap_or(0),
            slug: url_slug(rest),
            folder,
            shown,
        });
    }
    parts.sort_by(|a, b| a.folder.cmp(&b.folder));
    parts
}

/// The folder of the part `wanted` names (its folder name, or that name without its
/// number prefix), or an error that names the parts there are.
fn find_part(parts: &[ExistingPart], course: &str, wanted: &str) -> Result<String, Diagnostic> {
    if let Some(part) = parts
        .iter()
        .find(|p| p.folder == wanted || p.slug == wanted)
    {
        return Ok(part.folder.clone());
    }
    let known: Vec<String> = parts.iter().map(|p| p.slug.clone()).collect();
    let hint = match yaml::closest(wanted, &known) {
        Some(best) => format!("did you mean `--part {best}`?"),
        None if known.is_empty() => format!(
            "the course has no parts; create one first: conceptlab new part \"Part Title\" --course {course}"
        ),
        None => format!("the parts are: {}", known.join(", ")),
    };
    Err(Diagnostic::error(
        Path::new(CONTENT_DIR).join(course),
        format!("course `{course}` has no part `{wanted}`"),
    )
    .with_hint(hint))
}

/// The keys of a content file that decide where it goes; other keys are ignored.
#[derive(Default, Deserialize)]
struct Position {
    order: Option<i64>,
    slug: Option<String>,
}

fn read_position(path: &Path, shown: &Path) -> Option<Position> {
    let file = source::read(path, shown, FrontMatter::Optional).ok()?;
    let placement = yaml::Placement {
        file_text: &file.text,
        first_line: file.front_matter_line(),
    };
    yaml::parse(file.front_matter(), shown, placement).ok()
}

fn course_slugs(content: &Path) -> Vec<String> {
    let mut slugs: Vec<String> = std::fs::read_dir(content)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join(COURSE_FILE).is_file())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    slugs.sort();
    slugs
}

fn slug_of(title: &str) -> Result<String, Diagnostic> {
    let slug = url_slug(title);
    if slug.is_empty() || title.trim().is_empty() {
        return Err(Diagnostic::error(
            "TITLE",
            format!("cannot make a URL slug from the title {title:?}"),
        )
        .with_hint("use a title with letters or digits, e.g. \"Linear Regression\""));
    }
    Ok(slug)
}

/// `text` as a YAML scalar that reads back as exactly `text` (a JSON string is one).
fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string always serialises")
}

/// "my-course-site" -> "My Course Site", from the site folder's name.
fn site_title(dir: &Path) -> String {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let name = absolute
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let words: Vec<String> = name
        .split(['-', '_', ' ', '.'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect();
    if words.is_empty() {
        "Concept Pages".to_string()
    } else {
        words.join(" ")
    }
}

/// Writes a file that must not exist yet, unless `overwrite`.
fn write_new(path: &Path, text: &str, overwrite: bool) -> Result<(), Diagnostic> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
    }
    let result = if overwrite {
        std::fs::write(path, text)
    } else {
        use std::io::Write;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .and_then(|mut f| f.write_all(text.as_bytes()))
    };
    result.map_err(|e| io_error(path, e))
}

fn io_error(path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(path, format!("cannot write: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_site_title_comes_from_the_folder_name() {
        assert_eq!(site_title(Path::new("/x/my-course_site")), "My Course Site");
    }

    #[test]
    fn titles_become_yaml_strings_that_read_back_unchanged() {
        let title = "Bias: \"b\" & #1";
        let parsed: String = yaml_serde::from_str(&yaml_string(title)).unwrap();
        assert_eq!(parsed, title);
    }
}
