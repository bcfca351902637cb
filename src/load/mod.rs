//! Stage 1, load: walk `content/`, parse every course and lesson, and check the site as a
//! whole (orders, slugs, drafts). The result, [`Site`], is plain validated data that later
//! stages read and never change. This stage knows nothing of HTML or templates.

pub mod assets;
pub mod course;
pub mod lesson;
pub mod source;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::slug::{is_valid_slug, split_order_prefix, url_slug};
use crate::yaml;
use course::{COURSE_FILE, CourseMeta, PART_FILE, PartMeta};
use lesson::LessonMeta;
use source::{FrontMatter, SourceFile};

/// The folder of a site that holds the courses.
pub const CONTENT_DIR: &str = "content";

/// What to load.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Keep lessons marked `draft: true`.
    pub drafts: bool,
}

/// A whole site, validated.
#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub courses: Vec<Course>,
    /// The files of the site's `static/` folder, relative to it, sorted: copied as they are.
    pub static_files: Vec<PathBuf>,
    /// Content paths (`course/file.md`) of lessons that exist but failed to load. Later
    /// stages treat links to them as fine, so one broken lesson is reported once and not
    /// again by every lesson that links to it.
    pub failed: Vec<String>,
}

#[derive(Debug)]
pub struct Course {
    pub slug: String,
    /// The course folder, absolute.
    pub dir: PathBuf,
    pub source: SourceFile,
    pub meta: CourseMeta,
    /// The course's parts (folders with a `_part.md`), in order.
    pub parts: Vec<Part>,
    /// Every lesson in reading order: first those directly in the course folder, then
    /// each part's in turn (a lesson's `part` says which).
    pub lessons: Vec<Lesson>,
    /// Files in the course folder that are not lessons (images, data), relative to `dir`.
    pub assets: Vec<PathBuf>,
}

impl Course {
    /// The key of one of this course's lessons.
    pub fn key(&self, lesson: &Lesson) -> LessonKey {
        LessonKey::new(&self.slug, &lesson.slug)
    }
}

/// A lesson's identity in the site: `course/slug`, unique because both slugs are. It keys
/// the lesson's simulation results and names its folder in the output; every path and
/// URL of a lesson is made from it (the ones of pages in `render/urls.rs`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct LessonKey(String);

impl LessonKey {
    /// The key of lesson `slug` of course `course`.
    pub fn new(course: &str, slug: &str) -> LessonKey {
        LessonKey(format!("{course}/{slug}"))
    }

    /// `course/slug`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The lesson's folder in the output, and its page's path under the base URL:
    /// `course/slug/`.
    pub fn folder(&self) -> String {
        format!("{}/", self.0)
    }

    /// A file in the lesson's folder: `course/slug/<name>`.
    pub fn file(&self, name: &str) -> String {
        format!("{}/{name}", self.0)
    }
}

impl std::fmt::Display for LessonKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::borrow::Borrow<str> for LessonKey {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// A part of a course: a folder of its lessons with a `_part.md` (title, summary, intro).
#[derive(Debug)]
pub struct Part {
    /// A slug of the folder name without its order prefix, unique in the course.
    pub slug: String,
    pub order: Order,
    /// The folder's name inside the course folder (`010-basics`).
    pub folder: String,
    pub source: SourceFile,
    pub meta: PartMeta,
}

#[derive(Debug)]
pub struct Lesson {
    pub slug: String,
    pub order: Order,
    /// The file's path inside the course folder: `005-neurons.md`, or
    /// `010-basics/005-neurons.md` in a part.
    pub file_name: String,
    /// The index of its part in the course's `parts`, if it is in one.
    pub part: Option<usize>,
    pub source: SourceFile,
    pub meta: LessonMeta,
}

/// Where a lesson or part sits among its siblings: `order: 5` or the file name's `005-`
/// is `[5]`; a book's `1.2-roles.md` is `[1, 2]`. Compared number by number, so `1.10`
/// comes after `1.9` and `1` before `1.1`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Order(pub Vec<u32>);

impl Order {
    /// The order of a plain number.
    pub fn number(n: u32) -> Order {
        Order(vec![n])
    }

    /// The numbers missing between `self` and the `next` order, when both have the same
    /// leading numbers and the last jumps by more than one: `(first, last)` missing.
    pub fn gap_before(&self, next: &Order) -> Option<(Order, Order)> {
        let (a, b) = (&self.0, &next.0);
        let (&a_last, a_head) = a.split_last()?;
        let (&b_last, b_head) = b.split_last()?;
        if a_head != b_head || b_last <= a_last.saturating_add(1) {
            return None;
        }
        let with = |n: u32| {
            let mut v = a_head.to_vec();
            v.push(n);
            Order(v)
        };
        Some((with(a_last + 1), with(b_last - 1)))
    }
}

impl std::fmt::Display for Order {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, n) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{n}")?;
        }
        Ok(())
    }
}

/// Loads the site at `root`: everything that loaded, and every problem found. With
/// problems, the site holds only what loaded, so that later stages can still report
/// their own problems in the rest.
pub fn load_site(
    root: &Path,
    config: SiteConfig,
    options: &LoadOptions,
) -> (Site, Vec<Diagnostic>) {
    let mut site = Site {
        root: root.to_path_buf(),
        config,
        courses: Vec::new(),
        static_files: Vec::new(),
        failed: Vec::new(),
    };
    let (static_files, static_errors) = source_files(root, &root.join(STATIC_DIR));
    site.static_files = static_files;
    let content = root.join(CONTENT_DIR);
    if let Some(link) = symlink_error(root, &content) {
        return (site, vec![link]);
    }
    if !content.is_dir() {
        let error = Diagnostic::error(CONTENT_DIR, "the site has no `content/` folder")
            .with_hint("create content/<course>/_course.md and lessons beside it");
        return (site, vec![error]);
    }
    let (course_dirs, mut errors) = find_course_dirs(root, &content);
    errors.extend(static_errors);
    let safe_html = site.config.safe_html;
    let results: Vec<LoadedCourse> = course_dirs
        .par_iter()
        .map(|dir| load_course(root, dir, options, safe_html))
        .collect();
    let mut courses = Vec::new();
    for loaded in results {
        errors.extend(loaded.errors);
        site.failed.extend(loaded.failed);
        courses.extend(loaded.course);
    }
    courses.sort_by(|a, b| {
        (a.meta.order.unwrap_or(i64::MAX), &a.meta.title, &a.slug).cmp(&(
            b.meta.order.unwrap_or(i64::MAX),
            &b.meta.title,
            &b.slug,
        ))
    });
    site.courses = courses;
    (site, errors)
}

impl Site {
    /// Leaves out the lessons marked `draft: true`, as a load without `drafts` does.
    pub fn drop_drafts(&mut self) {
        for course in &mut self.courses {
            drop_drafts(&mut course.lessons);
        }
    }
}

fn drop_drafts(lessons: &mut Vec<Lesson>) {
    lessons.retain(|l| !l.meta.draft);
}

/// A course folder after loading: the course if its `_course.md` loaded, the content
/// paths of lessons that did not, and the problems found.
struct LoadedCourse {
    course: Option<Course>,
    failed: Vec<String>,
    errors: Vec<Diagnostic>,
}

/// The course folders directly under `content/`, sorted by name.
fn find_course_dirs(root: &Path, content: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut dirs = Vec::new();
    let mut errors = Vec::new();
    let entries = match std::fs::read_dir(content) {
        Ok(entries) => entries,
        Err(e) => return (dirs, vec![Diagnostic::error(CONTENT_DIR, e.to_string())]),
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let shown = shown(root, &path);
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_symlink() {
            errors.extend(symlink_error(root, &path));
        } else if file_type.is_dir() {
            dirs.push(path);
        } else if path.extension().is_some_and(|e| e == "md") {
            errors.push(
                Diagnostic::error(shown, "a lesson must be inside a course folder")
                    .with_hint("move it to content/<course>/, next to that course's _course.md"),
            );
        }
    }
    dirs.sort();
    (dirs, errors)
}

/// Course folders that would share their URL with a folder the build writes.
pub const RESERVED_COURSE_SLUGS: &[&str] = &["assets", "pagefind", "review"];

fn load_course(root: &Path, dir: &Path, options: &LoadOptions, safe_html: bool) -> LoadedCourse {
    let folder = dir
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    let shown_dir = shown(root, dir);
    let mut errors = Vec::new();
    if !is_valid_slug(&folder) {
        errors.push(
            Diagnostic::error(
                &shown_dir,
                format!("course folder `{folder}` is not a valid slug"),
            )
            .with_hint(format!(
                "rename it to lowercase letters, digits and dashes, e.g. `{}`",
                url_slug(&folder)
            )),
        );
    }
    if RESERVED_COURSE_SLUGS.contains(&folder.as_str()) {
        errors.push(
            Diagnostic::error(
                &shown_dir,
                format!(
                    "a course folder may not be called `{folder}`: the site's `{folder}/` holds {}",
                    match folder.as_str() {
                        "assets" => "the theme's files",
                        "pagefind" => "the search index",
                        _ => "the review pages",
                    }
                ),
            )
            .with_hint(format!("rename it, e.g. `{folder}-course`")),
        );
    }
    let files = find_course_files(root, dir);
    errors.extend(files.errors);
    let course_path = dir.join(COURSE_FILE);
    let course = if course_path.is_file() {
        read_titled::<CourseMeta>(&course_path, &shown(root, &course_path))
            .map_err(|e| errors.push(e))
            .ok()
    } else if !files.lessons.is_empty() {
        // A folder of plain Markdown is a course too, titled after the folder.
        let source = SourceFile::empty(&shown(root, &course_path));
        let meta = CourseMeta {
            title: title_from_name(&folder),
            ..CourseMeta::default()
        };
        Some((source, meta))
    } else {
        errors.push(
            Diagnostic::error(
                shown_dir.join(COURSE_FILE),
                "the course folder has no `_course.md` and no lessons",
            )
            .with_hint("create it with at least `title:` in its front-matter"),
        );
        None
    };
    let assets = files.assets;
    if safe_html {
        for asset in &assets {
            let path = dir.join(asset);
            if let Some((why, hint)) = assets::refusal(&path) {
                errors.push(Diagnostic::error(shown(root, &path), why).with_hint(hint));
            }
        }
    }
    let mut parts = Vec::new();
    for part_dir in &files.parts {
        match load_part(root, part_dir) {
            Ok(part) => parts.push(part),
            Err(e) => errors.push(e),
        }
    }
    parts.sort_by(|a: &Part, b: &Part| (&a.order, &a.slug).cmp(&(&b.order, &b.slug)));
    errors.extend(check_unique_parts(&parts));
    let lesson_paths = files.lessons;
    let loaded: Vec<Result<Lesson, Vec<Diagnostic>>> = lesson_paths
        .par_iter()
        .map(|path| load_lesson(root, path))
        .collect();
    let mut lessons = Vec::new();
    let mut failed = Vec::new();
    for (result, path) in loaded.into_iter().zip(&lesson_paths) {
        match result {
            Ok(mut lesson) => {
                lesson.part = lesson
                    .file_name
                    .split_once('/')
                    .and_then(|(part, _)| parts.iter().position(|p| p.folder == part));
                lessons.push(lesson);
            }
            Err(e) => {
                errors.extend(e);
                failed.push(format!("{folder}/{}", in_course(dir, path)));
            }
        }
    }
    // Lessons outside parts first, then each part's; in a part, by order.
    lessons.sort_by(|a, b| (a.part, &a.order, &a.slug).cmp(&(b.part, &b.order, &b.slug)));
    errors.extend(check_unique(&lessons));
    if !options.drafts {
        drop_drafts(&mut lessons);
    }
    if let Some((source, meta)) = &course
        && let Some(file) = meta.icon_file()
        && !assets
            .iter()
            .any(|a| a == Path::new(file.trim_start_matches("./")))
    {
        errors.push(
            source
                .error_at_path(
                    &["icon"],
                    format!("the icon `{file}` is not a file of the course folder"),
                )
                .with_hint("put the image in the course folder, next to `_course.md`, or give a short text or an emoji"),
        );
    }
    let course = match course {
        Some((source, meta)) => Some(Course {
            slug: folder,
            dir: dir.to_path_buf(),
            source,
            meta,
            parts,
            lessons,
            assets,
        }),
        None => {
            let folder = &folder;
            failed.extend(
                lesson_paths
                    .iter()
                    .map(|p| format!("{folder}/{}", in_course(dir, p))),
            );
            None
        }
    };
    LoadedCourse {
        course,
        failed,
        errors,
    }
}

/// The path of `path` inside the course folder `dir`, with `/` between folders.
fn in_course(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// A title made from a file or folder name: `neural-nets` → "Neural nets".
pub fn title_from_name(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let words = words.trim();
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => name.to_string(),
    }
}

/// Loads the part in folder `dir` (which has a `_part.md`).
fn load_part(root: &Path, dir: &Path) -> Result<Part, Diagnostic> {
    let folder = dir
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    let path = dir.join(PART_FILE);
    let shown_path = shown(root, &path);
    let (source, meta) = read_titled::<PartMeta>(&path, &shown_path)?;
    let (prefix, name) = split_order_prefix(&folder);
    let order = meta.order.map(Order::number).or(prefix.map(Order));
    let Some(order) = order else {
        return Err(
            Diagnostic::error(&shown_path, "the part has no position in its course")
                .with_hint("add `order: N` to its front-matter, or name the folder `NNN-name`"),
        );
    };
    let slug = url_slug(name);
    if slug.is_empty() {
        return Err(Diagnostic::error(
            shown(root, dir),
            "cannot make a slug from the part's folder name",
        )
        .with_hint("name the folder `NNN-name`, with letters in the name"));
    }
    Ok(Part {
        slug,
        order,
        folder,
        source,
        meta,
    })
}

/// Two parts of one course may share neither an order nor a name.
fn check_unique_parts(parts: &[Part]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut by_order: HashMap<&Order, &Part> = HashMap::new();
    let mut by_slug: HashMap<&str, &Part> = HashMap::new();
    for part in parts {
        if let Some(first) = by_order.insert(&part.order, part) {
            errors.push(
                part.source
                    .error_at_path(
                        &["order"],
                        format!("part order {} is used twice", part.order),
                    )
                    .with_hint(format!(
                        "{} has the same order; give each part its own number",
                        first.source.path.display()
                    )),
            );
        }
        if let Some(first) = by_slug.insert(&part.slug, part) {
            errors.push(
                Diagnostic::error(
                    &part.source.path,
                    format!("two parts are named `{}`", part.slug),
                )
                .with_hint(format!(
                    "{} has the same name after its number; rename one folder",
                    first.source.path.display()
                )),
            );
        }
    }
    errors
}

/// The files of a course folder, sorted by path so that output never depends on the
/// order the file system lists them in.
#[derive(Default)]
struct CourseFiles {
    /// Lessons: `*.md` directly in the course folder or in a part folder, but `_course.md`
    /// and `_part.md`.
    lessons: Vec<PathBuf>,
    /// The part folders: folders directly in the course folder that have a `_part.md`.
    parts: Vec<PathBuf>,
    /// The other files (images, data), at any depth, relative to the course folder.
    assets: Vec<PathBuf>,
    errors: Vec<Diagnostic>,
}

fn find_course_files(root: &Path, dir: &Path) -> CourseFiles {
    let mut files = CourseFiles::default();
    let walk = WalkDir::new(dir)
        .min_depth(1)
        .sort_by_file_name()
        .follow_links(false);
    for entry in walk {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().map(|p| shown(root, p)).unwrap_or_default();
                files
                    .errors
                    .push(Diagnostic::error(path, format!("cannot read: {e}")));
                continue;
            }
        };
        let path = entry.path();
        if entry.file_type().is_symlink() {
            files.errors.extend(symlink_error(root, path));
            continue;
        }
        if entry.file_type().is_dir() {
            if entry.depth() == 1 && path.join(PART_FILE).is_file() {
                files.parts.push(path.to_path_buf());
            }
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        let is_markdown = path.extension().is_some_and(|e| e == "md");
        let in_part = entry.depth() == 2
            && path
                .parent()
                .is_some_and(|parent| parent.join(PART_FILE).is_file());
        if is_markdown && (entry.depth() == 1 || in_part) {
            if name != COURSE_FILE && name != PART_FILE {
                files.lessons.push(path.to_path_buf());
            }
        } else if is_markdown {
            files.errors.push(
                Diagnostic::error(
                    shown(root, path),
                    "lessons must sit directly in a course folder or in a part folder",
                )
                .with_hint(
                    "move the file up into the course folder, or make its folder a part of the course with a `_part.md` (`title:`)",
                ),
            );
        } else if !name.starts_with('.') {
            files
                .assets
                .push(path.strip_prefix(dir).unwrap_or(path).to_path_buf());
        }
    }
    files
}

/// The folder of a site copied verbatim into the output.
pub const STATIC_DIR: &str = "static";

/// An error if `path` is a symbolic link. Links in a site's sources are never followed:
/// one could publish files from outside the site (a home folder, `/etc`) or let the
/// output overwrite the sources, and a build must mean the same on every machine.
pub fn symlink_error(root: &Path, path: &Path) -> Option<Diagnostic> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    is_link.then(|| {
        Diagnostic::error(
            shown(root, path),
            "symbolic links are not followed in a site's sources",
        )
        .with_hint("copy the file or folder here instead of linking to it")
    })
}

/// The files under `dir` (a source folder of the site at `root`: `static/`, a theme,
/// `templates/`), relative to it and sorted; every symbolic link there, `dir` included,
/// is an error. A missing `dir` has no files.
pub fn source_files(root: &Path, dir: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    if let Some(link) = symlink_error(root, dir) {
        return (Vec::new(), vec![link]);
    }
    let mut files = Vec::new();
    let mut errors = Vec::new();
    if !dir.is_dir() {
        return (files, errors);
    }
    for entry in WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        match entry {
            Ok(entry) if entry.file_type().is_symlink() => {
                errors.extend(symlink_error(root, entry.path()));
            }
            Ok(entry) if entry.file_type().is_file() => {
                files.push(
                    entry
                        .path()
                        .strip_prefix(dir)
                        .unwrap_or(entry.path())
                        .to_path_buf(),
                );
            }
            Ok(_) => {}
            Err(e) => {
                let path = e.path().map(|p| shown(root, p)).unwrap_or_default();
                errors.push(Diagnostic::error(path, format!("cannot read: {e}")));
            }
        }
    }
    (files, errors)
}

/// Loads one lesson file (`path`, inside a course folder of the site at `root`) and
/// checks it on its own; what depends on its neighbours (unique orders and slugs) is
/// [`load_site`]'s. `conceptlab serve` uses it to reload the one lesson that changed.
pub fn load_lesson(root: &Path, path: &Path) -> Result<Lesson, Vec<Diagnostic>> {
    let shown_path = shown(root, path);
    let cannot_read = |e: std::io::Error| {
        vec![Diagnostic::error(
            &shown_path,
            format!("cannot read file: {e}"),
        )]
    };
    // Refuse a huge file before reading it into memory.
    let len = std::fs::metadata(path).map_err(cannot_read)?.len();
    check_lesson_size(&shown_path, len).map_err(|e| vec![e])?;
    let bytes = std::fs::read(path).map_err(cannot_read)?;
    lesson_from_bytes(path, &shown_path, bytes)
}

/// The largest lesson file accepted. A lesson is one page a person reads; a file larger
/// than this is a mistake (generated data, a pasted log) that would make a page no
/// browser shows well.
pub const MAX_LESSON_BYTES: u64 = 16 * 1024 * 1024;

fn check_lesson_size(shown_path: &Path, len: u64) -> Result<(), Diagnostic> {
    if len <= MAX_LESSON_BYTES {
        return Ok(());
    }
    Err(Diagnostic::error(
        shown_path,
        format!(
            "the lesson is {:.1} MB; the limit is {} MB",
            len as f64 / (1024.0 * 1024.0),
            MAX_LESSON_BYTES / (1024 * 1024)
        ),
    )
    .with_hint("split it into several lessons, or move data into a file next to it and link to it"))
}

/// Parses and checks the bytes of the lesson file at `path` (what [`load_lesson`] read;
/// the fuzz targets call it directly). `shown_path` is what diagnostics call the file.
pub fn lesson_from_bytes(
    path: &Path,
    shown_path: &Path,
    bytes: Vec<u8>,
) -> Result<Lesson, Vec<Diagnostic>> {
    check_lesson_size(shown_path, bytes.len() as u64).map_err(|e| vec![e])?;
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    let (prefix_order, name_slug) = split_order_prefix(&stem);
    let source =
        source::from_bytes(bytes, shown_path, FrontMatter::Optional).map_err(|e| vec![e])?;
    let (source, meta) =
        titled::<LessonMeta>(source, shown_path, name_slug).map_err(|e| vec![e])?;
    let shown_path = shown_path.to_path_buf();
    let mut errors = meta.validate(&source);
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    // A lesson in a part is named by its path in the course folder, as links name it.
    let file_name = match path.parent() {
        Some(folder) if folder.join(PART_FILE).is_file() => format!(
            "{}/{name}",
            folder.file_name().unwrap_or_default().to_string_lossy()
        ),
        _ => name.to_string(),
    };
    let order = meta.order.map(Order::number).or(prefix_order.map(Order));
    let slug = meta.slug.clone().unwrap_or_else(|| url_slug(name_slug));
    if order.is_none() {
        errors.push(
            Diagnostic::error(&shown_path, "the lesson has no position in its course")
                .with_hint("add `order: N` to the front-matter, or name the file `NNN-slug.md`"),
        );
    }
    if slug.is_empty() {
        errors.push(
            Diagnostic::error(&shown_path, "cannot make a URL slug from the file name")
                .with_hint("add `slug: some-name` to the front-matter"),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Lesson {
        slug,
        order: order.unwrap_or_default(),
        file_name,
        part: None,
        source,
        meta,
    })
}

/// Two lessons of one part (or of a course's lessons outside parts) may not share an
/// order, and two lessons of one course may not share a slug (their URL).
fn check_unique(lessons: &[Lesson]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut by_order: HashMap<(Option<usize>, &Order), &Lesson> = HashMap::new();
    let mut by_slug: HashMap<&str, &Lesson> = HashMap::new();
    for lesson in lessons {
        if let Some(first) = by_order.insert((lesson.part, &lesson.order), lesson) {
            errors.push(
                lesson
                    .source
                    .error_at_path(
                        &["order"],
                        format!("lesson order {} is used twice", lesson.order),
                    )
                    .with_hint(format!(
                        "{} has the same order; give each lesson its own number",
                        first.source.path.display()
                    )),
            );
        }
        if let Some(first) = by_slug.insert(&lesson.slug, lesson) {
            errors.push(
                lesson
                    .source
                    .error_at_path(
                        &["slug"],
                        format!("two lessons have the URL slug `{}`", lesson.slug),
                    )
                    .with_hint(format!(
                        "{} has the same slug; set `slug:` in one of them (lessons of all \
                         parts of a course share its URL space)",
                        first.source.path.display()
                    )),
            );
        }
    }
    errors
}

/// What a content file's front-matter becomes when the file has none: the schema with
/// only its title set.
pub trait Titled: serde::de::DeserializeOwned {
    fn titled(title: String) -> Self;
}

impl Titled for LessonMeta {
    fn titled(title: String) -> Self {
        LessonMeta {
            title,
            ..LessonMeta::default()
        }
    }
}

impl Titled for CourseMeta {
    fn titled(title: String) -> Self {
        CourseMeta {
            title,
            ..CourseMeta::default()
        }
    }
}

impl Titled for PartMeta {
    fn titled(title: String) -> Self {
        PartMeta {
            title,
            summary: String::new(),
            order: None,
        }
    }
}

/// Reads a content file and its front-matter as `T`; a file of plain Markdown is
/// titled by its first `#` heading.
fn read_titled<T: Titled>(path: &Path, shown_path: &Path) -> Result<(SourceFile, T), Diagnostic> {
    let source = source::read(path, shown_path, FrontMatter::Optional)?;
    let name = path
        .parent()
        .and_then(Path::file_name)
        .unwrap_or_default()
        .to_string_lossy();
    titled(source, shown_path, split_order_prefix(&name).1)
}

/// The front-matter of `source` as `T`; without front-matter, a `T` titled by the first
/// `#` heading (taken out of the body when it opens it) or else after `name`.
fn titled<T: Titled>(
    mut source: SourceFile,
    shown_path: &Path,
    name: &str,
) -> Result<(SourceFile, T), Diagnostic> {
    if source.has_front_matter() {
        let meta = parse_front_matter(&source, shown_path)?;
        return Ok((source, meta));
    }
    let title = source.take_title().unwrap_or_else(|| title_from_name(name));
    Ok((source, T::titled(title)))
}

fn parse_front_matter<T: serde::de::DeserializeOwned>(
    source: &SourceFile,
    shown_path: &Path,
) -> Result<T, Diagnostic> {
    let placement = yaml::Placement {
        file_text: &source.text,
        first_line: source.front_matter_line(),
    };
    yaml::parse(source.front_matter(), shown_path, placement)
}

fn shown(root: &Path, path: &Path) -> PathBuf {
    crate::diagnostics::display_path(root, path)
}
