//! The client-side search index, built with Pagefind used as a library.
//!
//! Lessons, interview questions and flash cards are separate records, each with filters
//! (`kind`, `course`, and `level` for questions) so the reader can narrow results. Records
//! are small HTML documents made here from the page data (not the themed pages), so the
//! index does not depend on the theme and headings (`<h1>`, `<h2>`) get Pagefind's
//! heading weights. The files go to `pagefind/`; the theme's script loads them only when
//! the reader uses the search box.

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use super::page::LessonPage;
use super::{Contents, OutputFile};
use crate::config::BaseUrl;
use crate::diagnostics::Diagnostic;

/// The output folder of the index.
pub const SEARCH_DIR: &str = "pagefind";

/// One searchable record: the URL a result leads to and the HTML that is indexed.
struct Record {
    url: String,
    html: String,
}

/// Builds the index of `lessons` and returns its files.
pub fn index(
    lessons: &[&LessonPage],
    language: &str,
    base: &BaseUrl,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let records: Vec<Record> = lessons
        .iter()
        .flat_map(|l| records(l, language, base))
        .collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| failure(e.to_string()))?;
    let files = runtime.block_on(async {
        let config = PagefindServiceConfig::builder()
            .force_language(language.to_string())
            .keep_index_url(false)
            .build();
        let mut index = PagefindIndex::new(Some(config)).map_err(|e| failure(e.to_string()))?;
        for record in records {
            index
                .add_html_file(None, Some(record.url), record.html)
                .await
                .map_err(|e| failure(e.to_string()))?;
        }
        index.get_files().await.map_err(|e| failure(e.to_string()))
    })?;
    let mut out: Vec<OutputFile> = files
        .into_iter()
        // The theme has its own search box: Pagefind's ready-made UIs are not shipped.
        .filter(|f| {
            let name = f.filename.to_string_lossy();
            !(name.contains("-ui.") || name.starts_with("pagefind-highlight"))
        })
        .map(|f| OutputFile {
            path: format!(
                "{SEARCH_DIR}/{}",
                f.filename.to_string_lossy().replace('\\', "/")
            ),
            contents: Contents::Bytes(f.contents),
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

fn failure(message: String) -> Diagnostic {
    Diagnostic::error(
        SEARCH_DIR,
        format!("cannot build the search index: {message}"),
    )
}

fn records(lesson: &LessonPage, language: &str, base: &BaseUrl) -> Vec<Record> {
    // Pagefind prefixes result URLs with the folder its script is served from (the base
    // path), so records carry site-relative URLs.
    let url = format!(
        "/{}",
        lesson.url.strip_prefix(&base.path).unwrap_or(&lesson.url)
    );
    let course = attr(&lesson.course.title);
    let lesson_title = attr(&lesson.title);
    let doc = |filters: &str, meta: &str, body: &str| {
        format!(
            "<html lang=\"{}\"><body><main data-pagefind-body>{filters}{meta}{body}</main></body></html>",
            attr(language)
        )
    };
    let mut out = Vec::new();
    let mut body = format!(
        "<h1>{}</h1><p>{}</p>",
        text(&lesson.title),
        text(&lesson.summary)
    );
    body.push_str(&lesson.theory);
    body.push_str(&lesson.tradeoffs_body);
    for t in &lesson.tradeoffs {
        body.push_str(&format!("<p>{t}</p>"));
    }
    body.push_str(&lesson.examples_body);
    for e in &lesson.examples {
        body.push_str(&format!("<h2>{}</h2>{}", text(&e.title), e.html));
    }
    body.push_str(&lesson.walkthrough);
    out.push(Record {
        url: url.clone(),
        html: doc(
            &format!(
                "<div data-pagefind-filter=\"kind:Lesson\"></div>\
                 <div data-pagefind-filter=\"course:{course}\"></div>"
            ),
            &format!(
                "<div data-pagefind-meta=\"kind:Lesson\"></div>\
                 <div data-pagefind-meta=\"course:{course}\"></div>"
            ),
            &body,
        ),
    });
    for q in &lesson.questions {
        out.push(Record {
            url: format!("{url}#{}", q.id),
            html: doc(
                &format!(
                    "<div data-pagefind-filter=\"kind:Question\"></div>\
                     <div data-pagefind-filter=\"course:{course}\"></div>\
                     <div data-pagefind-filter=\"level:{}\"></div>",
                    q.level_label
                ),
                &format!(
                    "<div data-pagefind-meta=\"kind:Interview question · {}\"></div>\
                     <div data-pagefind-meta=\"lesson:{lesson_title}\"></div>",
                    q.level_label
                ),
                &format!("<h1>{}</h1>{}{}", q.html, q.answer, q.senior),
            ),
        });
    }
    for card in &lesson.flashcards {
        out.push(Record {
            url: format!("{url}#{}", card.id),
            html: doc(
                &format!(
                    "<div data-pagefind-filter=\"kind:Flash card\"></div>\
                     <div data-pagefind-filter=\"course:{course}\"></div>"
                ),
                &format!(
                    "<div data-pagefind-meta=\"kind:Flash card\"></div>\
                     <div data-pagefind-meta=\"lesson:{lesson_title}\"></div>"
                ),
                &format!("<h1>{}</h1><p>{}</p>", card.front, card.back),
            ),
        });
    }
    out
}

fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = pulldown_cmark_escape::escape_html_body_text(&mut out, s);
    out
}

fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}
