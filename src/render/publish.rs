//! The files a published site needs besides its pages: `sitemap.xml`, `robots.txt`, an
//! Atom feed of lessons, `.nojekyll` (so GitHub Pages serves folders starting with `_`
//! and skips Jekyll) and, when `site.yaml` names one, `CNAME`.
//!
//! Sitemaps and feeds need absolute URLs, so they are written only when the base URL has
//! an origin (`https://user.github.io/course-repo/`); `--base-url` gives one in CI.

use std::fmt::Write;

use pulldown_cmark_escape::escape_html;

use super::page::{LessonSummary, SiteData};
use super::{Contents, OutputFile};
use crate::config::BaseUrl;

/// The path of the Atom feed in the output.
pub const FEED_PATH: &str = "feed.xml";

/// Builds the publishing files. `pages` are the site-relative paths of every HTML page
/// that belongs in the sitemap, with the lesson they show, if any.
pub fn files(
    site: &SiteData,
    base: &BaseUrl,
    cname: Option<&str>,
    pages: &[(String, Option<&LessonSummary>)],
    lessons: &[&LessonSummary],
) -> Vec<OutputFile> {
    let mut files = vec![text(".nojekyll", String::new())];
    if let Some(cname) = cname {
        files.push(text("CNAME", format!("{}\n", cname.trim())));
    }
    let mut robots = String::from("User-agent: *\nAllow: /\n");
    if let Some(origin) = &base.origin {
        let absolute = |path: &str| format!("{origin}{}", base.join(path));
        let _ = writeln!(robots, "Sitemap: {}", absolute("sitemap.xml"));
        files.push(text("sitemap.xml", sitemap(pages, &absolute)));
        files.push(text(FEED_PATH, feed(site, lessons, &absolute, origin)));
    }
    // robots.txt is only honoured at a host's root; under a sub-path it is harmless.
    files.push(text("robots.txt", robots));
    files
}

fn text(path: &str, contents: String) -> OutputFile {
    OutputFile {
        path: path.to_string(),
        contents: Contents::Bytes(contents.into_bytes()),
    }
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = escape_html(&mut out, s);
    out
}

fn sitemap(
    pages: &[(String, Option<&LessonSummary>)],
    absolute: &dyn Fn(&str) -> String,
) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, lesson) in pages {
        let _ = write!(xml, "  <url><loc>{}</loc>", esc(&absolute(path)));
        if let Some(date) = lesson.and_then(|l| l.date.as_deref()) {
            let _ = write!(xml, "<lastmod>{}</lastmod>", esc(date));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// An Atom feed of every lesson: dated lessons newest first, then the undated ones in
/// course order. Undated entries carry the newest date of the site, so the feed stays
/// the same from one build to the next (no build time is ever written).
fn feed(
    site: &SiteData,
    lessons: &[&LessonSummary],
    absolute: &dyn Fn(&str) -> String,
    origin: &str,
) -> String {
    let mut ordered: Vec<&LessonSummary> = lessons.to_vec();
    // A stable sort keeps course order among equal (and missing) dates.
    ordered.sort_by(|a, b| b.date.cmp(&a.date));
    let newest = ordered
        .iter()
        .find_map(|l| l.date.clone())
        .unwrap_or_else(|| "1970-01-01".to_string());
    let stamp = |date: &str| format!("{date}T00:00:00Z");
    let home = absolute("");
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = write!(
        xml,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n",
        esc(&site.language),
        esc(&site.title)
    );
    if !site.description.is_empty() {
        let _ = writeln!(xml, "  <subtitle>{}</subtitle>", esc(&site.description));
    }
    let _ = write!(
        xml,
        "  <id>{}</id>\n  <link rel=\"alternate\" href=\"{}\"/>\n  \
         <link rel=\"self\" href=\"{}\"/>\n  <updated>{}</updated>\n",
        esc(&home),
        esc(&home),
        esc(&absolute(FEED_PATH)),
        esc(&stamp(&newest))
    );
    if !site.author.is_empty() {
        let _ = writeln!(xml, "  <author><name>{}</name></author>", esc(&site.author));
    }
    for lesson in ordered {
        let url = format!("{origin}{}", lesson.url);
        let updated = esc(&stamp(lesson.date.as_deref().unwrap_or(&newest)));
        let _ = write!(
            xml,
            "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link rel=\"alternate\" href=\"{}\"/>\n    \
             <updated>{updated}</updated>\n    <category term=\"{}\"/>\n",
            esc(&lesson.title),
            esc(&url),
            esc(&url),
            esc(&lesson.course.title)
        );
        if !lesson.summary.is_empty() {
            let _ = writeln!(xml, "    <summary>{}</summary>", esc(&lesson.summary));
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}
