//! The files a published site needs besides its pages: `sitemap.xml`, `robots.txt`, an
//! Atom feed of lessons, `.nojekyll` (so GitHub Pages serves folders starting with `_`
//! and skips Jekyll) and, when `site.yaml` names one, `CNAME`.
//!
//! Sitemaps and feeds need absolute URLs, so they are written only when the base URL has
//! an origin (`https://user.github.io/course-repo/`); `--base-url` gives one in CI.
//!
//! Owns: the sitemap, feed, robots.txt, `.nojekyll` and `CNAME`. Never does: write to disk.

use std::fmt::Write as _;

use quick_xml::Writer;
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};

use super::page::{LessonSummary, SiteView};
use crate::config::BaseUrl;
use crate::output::{Contents, OutputFile};

/// The path of the Atom feed in the output.
pub const FEED_PATH: &str = "feed.xml";

/// Builds the publishing files. `pages` are the site-relative paths of every HTML page
/// that belongs in the sitemap, with the lesson they show, if any.
pub fn files(
    site: &SiteView,
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

/// XML written element by element with quick-xml, which escapes every text and
/// attribute value; the layout (one element per line, two spaces per level) is written
/// as it is.
struct Xml {
    writer: Writer<Vec<u8>>,
}

impl Xml {
    fn new(root: &str, attributes: &[(&str, &str)]) -> Xml {
        let mut xml = Xml {
            writer: Writer::new(Vec::new()),
        };
        xml.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let mut start = BytesStart::new(root);
        start.extend_attributes(attributes.iter().copied());
        xml.event(Event::Start(start));
        xml.raw("\n");
        xml
    }

    /// Layout between elements (whitespace only).
    fn raw(&mut self, text: &str) {
        self.event(Event::Text(BytesText::from_escaped(text)));
    }

    fn event(&mut self, event: Event<'_>) {
        // Writing into a Vec cannot fail.
        let _ = self.writer.write_event(event);
    }

    /// `<name>text</name>`.
    fn text(&mut self, name: &str, text: &str) {
        let _ = self
            .writer
            .create_element(name)
            .write_text_content(BytesText::new(text));
    }

    /// `<name a="1" b="2"/>`.
    fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) {
        let _ = self
            .writer
            .create_element(name)
            .with_attributes(attributes.iter().copied())
            .write_empty();
    }

    fn open(&mut self, name: &str) {
        self.event(Event::Start(BytesStart::new(name)));
    }

    fn close(&mut self, name: &str) {
        self.event(Event::End(BytesEnd::new(name)));
    }

    fn finish(mut self, root: &str) -> String {
        self.close(root);
        self.raw("\n");
        String::from_utf8(self.writer.into_inner()).unwrap_or_default()
    }
}

fn sitemap(
    pages: &[(String, Option<&LessonSummary>)],
    absolute: &dyn Fn(&str) -> String,
) -> String {
    let mut xml = Xml::new(
        "urlset",
        &[("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")],
    );
    for (path, lesson) in pages {
        xml.raw("  ");
        xml.open("url");
        xml.text("loc", &absolute(path));
        if let Some(date) = lesson.and_then(|l| l.date.as_deref()) {
            xml.text("lastmod", date);
        }
        xml.close("url");
        xml.raw("\n");
    }
    xml.finish("urlset")
}

/// An Atom feed of every lesson: dated lessons newest first, then the undated ones in
/// course order. Undated entries carry the newest date of the site, so the feed stays
/// the same from one build to the next (no build time is ever written).
fn feed(
    site: &SiteView,
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
    let mut xml = Xml::new(
        "feed",
        &[
            ("xmlns", "http://www.w3.org/2005/Atom"),
            ("xml:lang", &site.language),
        ],
    );
    // One element a line, indented by `depth` levels.
    let line = |xml: &mut Xml, depth: usize, write: &dyn Fn(&mut Xml)| {
        xml.raw(&"  ".repeat(depth));
        write(xml);
        xml.raw("\n");
    };
    line(&mut xml, 1, &|x| x.text("title", &site.title));
    if !site.description.is_empty() {
        line(&mut xml, 1, &|x| x.text("subtitle", &site.description));
    }
    line(&mut xml, 1, &|x| x.text("id", &home));
    line(&mut xml, 1, &|x| {
        x.empty("link", &[("rel", "alternate"), ("href", &home)])
    });
    let own = absolute(FEED_PATH);
    line(&mut xml, 1, &|x| {
        x.empty("link", &[("rel", "self"), ("href", &own)])
    });
    line(&mut xml, 1, &|x| x.text("updated", &stamp(&newest)));
    if !site.author.is_empty() {
        line(&mut xml, 1, &|x| {
            x.open("author");
            x.text("name", &site.author);
            x.close("author");
        });
    }
    for lesson in ordered {
        let url = format!("{origin}{}", lesson.url);
        let updated = stamp(lesson.date.as_deref().unwrap_or(&newest));
        line(&mut xml, 1, &|x| x.open("entry"));
        line(&mut xml, 2, &|x| x.text("title", &lesson.title));
        line(&mut xml, 2, &|x| x.text("id", &url));
        line(&mut xml, 2, &|x| {
            x.empty("link", &[("rel", "alternate"), ("href", &url)])
        });
        line(&mut xml, 2, &|x| x.text("updated", &updated));
        line(&mut xml, 2, &|x| {
            x.empty("category", &[("term", &lesson.course.title)])
        });
        if !lesson.summary.is_empty() {
            line(&mut xml, 2, &|x| x.text("summary", &lesson.summary));
        }
        line(&mut xml, 1, &|x| x.close("entry"));
    }
    xml.finish("feed")
}
