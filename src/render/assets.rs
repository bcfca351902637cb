//! The files of a site that are not its pages: the theme's assets under content-hashed
//! names, the site-wide files (sitemap, feed, decks) and the files copied as they are.
//!
//! Owns: which files besides pages a site has. Never does: read the disk (the theme and
//! the list of static files come loaded).

use std::path::Path;

use super::*;

/// The files that describe the whole site: Pages files, sitemap, feed, the Anki deck of
/// every lesson and the files copied as they are.
pub(super) fn site_wide_files(
    site: &Site,
    base: &BaseUrl,
    site_view: &SiteView,
    lessons: &[LessonSummary],
) -> Vec<OutputFile> {
    let mut files = Vec::new();
    let lessons: Vec<&LessonSummary> = lessons.iter().collect();
    let copies = copied_files(site);
    let sitemap: Vec<(String, Option<&LessonSummary>)> = std::iter::once((String::new(), None))
        .chain(site.courses.iter().map(|c| (course_folder(c), None)))
        .chain(lessons.iter().map(|l| (l.key.folder(), Some(*l))))
        .collect();
    files.extend(publish::files(
        site_view,
        base,
        site.config.cname.as_deref(),
        &sitemap,
        &lessons,
    ));
    files.extend(study::anki_site_file(lessons.iter().copied()));
    // A file of `static/` takes the place of a publishing file of the same name (a
    // robots.txt of the site's own); [`static_conflicts`] refused the rest.
    let copied: HashSet<&str> = copies.iter().map(|f| f.path.as_str()).collect();
    files.retain(|f| !copied.contains(f.path.as_str()));
    files.extend(copies);
    files
}

/// The files of `static/` that would take the place of a page, a theme asset, a file of a
/// lesson's folder or the search index: an error each, since one of the two would be
/// lost. (Replacing a publishing file, such as `robots.txt` or `sitemap.xml`, is allowed:
/// [`site_wide_files`] leaves the generated one out.)
pub(super) fn static_conflicts(site: &Site) -> Vec<Diagnostic> {
    if site.static_files.is_empty() {
        return Vec::new();
    }
    let mut pages: HashSet<String> = ["index.html", "404.html", study::REVIEW_PAGE]
        .into_iter()
        .map(str::to_string)
        .collect();
    let mut folders: Vec<String> = vec![
        "assets/".into(),
        format!("{}/", search::SEARCH_DIR),
        // The review pages: `review/` and one per course.
        "review/".into(),
    ];
    for course in &site.courses {
        pages.insert(course_output_path(course));
        folders.extend(course.lessons.iter().map(|l| course.key(l).folder()));
    }
    let folders: HashSet<String> = folders.into_iter().collect();
    let mut errors = Vec::new();
    for rel in &site.static_files {
        let path = rel.to_string_lossy().replace('\\', "/");
        let mut prefixes = path.match_indices('/').map(|(i, _)| &path[..=i]);
        let taken = match pages.contains(&path) {
            true => Some("a page of the site"),
            false => prefixes.find(|p| folders.contains(*p)).map(
                |_| "a folder the build writes (a lesson's, `assets/`, `pagefind/` or `review/`)",
            ),
        };
        if let Some(what) = taken {
            errors.push(
                Diagnostic::error(
                    Path::new(STATIC_DIR).join(rel),
                    format!("`{path}` would take the place of {what} in the output"),
                )
                .with_hint(
                    "rename or move it; to change a page, override its template in templates/",
                ),
            );
        }
    }
    errors
}

/// The theme's static files under content-hashed names (`assets/style.3f9a0c1b2d.css`),
/// plus the generated syntax stylesheets; and the map from logical name to output path.
pub(super) fn theme_assets(theme: &[ThemeFile]) -> (Vec<OutputFile>, HashMap<String, String>) {
    let (light, dark) = highlight::stylesheets();
    let mut sources: Vec<(String, Vec<u8>)> = theme
        .iter()
        .filter_map(|f| {
            f.path
                .strip_prefix("static/")
                .map(|name| (name.to_string(), f.bytes.clone()))
        })
        .collect();
    sources.push(("syntax-light.css".into(), light.into_bytes()));
    sources.push(("syntax-dark.css".into(), dark.into_bytes()));
    let mut files = Vec::new();
    let mut urls = HashMap::new();
    for (name, bytes) in sources {
        let hash = blake3::hash(&bytes).to_hex();
        let hashed = match name.rsplit_once('.') {
            Some((stem, ext)) => format!("{stem}.{}.{ext}", &hash[..10]),
            None => format!("{name}.{}", &hash[..10]),
        };
        let path = format!("assets/{hashed}");
        urls.insert(name, path.clone());
        files.push(OutputFile {
            path,
            contents: Contents::Bytes(bytes),
        });
    }
    (files, urls)
}

/// Files copied as they are: the site's `static/` folder and the courses' assets.
pub(super) fn copied_files(site: &Site) -> Vec<OutputFile> {
    let static_dir = site.root.join(STATIC_DIR);
    let mut files: Vec<OutputFile> = site
        .static_files
        .iter()
        .map(|rel| OutputFile {
            path: rel.to_string_lossy().replace('\\', "/"),
            contents: Contents::Copy(static_dir.join(rel)),
        })
        .collect();
    for course in &site.courses {
        for asset in &course.assets {
            files.push(OutputFile {
                path: course_asset_path(course, asset),
                contents: Contents::Copy(course.dir.join(asset)),
            });
        }
    }
    files
}
