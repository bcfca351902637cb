//! The files of a site that are not its pages: the theme's assets under content-hashed
//! names, the site-wide files (sitemap, feed, decks) and the files copied as they are.
//!
//! Owns: which files besides pages a site has. Never does: read the disk (the theme and
//! the list of static files come loaded).

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
    files.extend(copied_files(site));
    files
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
