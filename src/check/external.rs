//! `check --external`: are the site's links to other websites still there?
//!
//! Every `http://` and `https://` link of the lessons (body and Markdown front-matter
//! values) and of the course intros is requested once, however often it is written: a
//! `HEAD` request, then a `GET` when `HEAD` gets an error status (some servers refuse
//! `HEAD`), following redirects, with a timeout, a few at a time. A link that answers
//! with a 4xx or 5xx status or does not answer in time is a warning at every place it is
//! written: other websites come and go, so they warn rather than fail (`--strict` fails).
//! This is the only part of conceptlab that makes network requests, and only when asked.
//!
//! Owns: the requests to other websites and their warnings. Never does: run without
//! `--external`, or fail a check without `--strict`.

use std::collections::BTreeMap;
use std::time::Duration;

use pulldown_cmark::{Event, Parser, Tag};
use rayon::prelude::*;

use super::MARKDOWN;
use crate::diagnostics::{Diagnostic, Location};
use crate::load::Site;
use crate::load::source::SourceFile;

/// How many links are requested at once.
const PARALLEL_REQUESTS: usize = 8;

/// Where a link is written.
struct Place<'a> {
    file: &'a SourceFile,
    location: Location,
}

/// Requests every external link of `site` and returns a warning for each place a
/// broken one is written.
pub fn check_external(site: &Site, timeout: Duration) -> Vec<Diagnostic> {
    let links = external_links(site);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent(concat!(
            "conceptlab/",
            env!("CARGO_PKG_VERSION"),
            " link check"
        ))
        .build()
        .into();
    let urls: Vec<&String> = links.keys().collect();
    let request_all =
        || -> Vec<Option<String>> { urls.par_iter().map(|url| problem(&agent, url)).collect() };
    let problems = match rayon::ThreadPoolBuilder::new()
        .num_threads(PARALLEL_REQUESTS)
        .build()
    {
        Ok(pool) => pool.install(request_all),
        Err(_) => request_all(),
    };
    let mut warnings = Vec::new();
    for ((url, places), problem) in links.iter().zip(problems) {
        let Some(problem) = problem else { continue };
        for place in places {
            warnings.push(
                Diagnostic::warning(&place.file.path, format!("the link to {url} {problem}"))
                    .at(&place.file.text, place.location)
                    .with_hint(
                        "update or remove the link; a page that moved may have a new address",
                    ),
            );
        }
    }
    warnings
}

/// What is wrong with `url`, or `None` when it answers with a success status.
fn problem(agent: &ureq::Agent, url: &str) -> Option<String> {
    // The fragment is for the browser; the server never sees it.
    let url = url.split('#').next().unwrap_or(url);
    let status = match agent.head(url).call() {
        Ok(response) if response.status().as_u16() < 400 => return None,
        Err(ureq::Error::Timeout(_)) => return Some("did not answer in time".to_string()),
        Ok(_) | Err(_) => match agent.get(url).call() {
            Ok(response) => response.status(),
            Err(ureq::Error::Timeout(_)) => {
                return Some("did not answer in time".to_string());
            }
            Err(e) => return Some(format!("cannot be reached: {e}")),
        },
    };
    if status.as_u16() < 400 {
        return None;
    }
    let reason = status.canonical_reason().unwrap_or("");
    Some(
        format!("answers {} {reason}", status.as_u16())
            .trim_end()
            .to_string(),
    )
}

/// Every external URL, with the places it is written, in a stable order.
fn external_links(site: &Site) -> BTreeMap<String, Vec<Place<'_>>> {
    let mut links: BTreeMap<String, Vec<Place<'_>>> = BTreeMap::new();
    for course in &site.courses {
        for (url, offset) in urls_in(course.source.body()) {
            let file = &course.source;
            let location = Location::of_offset(&file.text, file.body_start + offset);
            add(&mut links, &url, Place { file, location });
        }
        for lesson in &course.lessons {
            let file = &lesson.source;
            for (url, offset) in urls_in(file.body()) {
                let location = Location::of_offset(&file.text, file.body_start + offset);
                add(&mut links, &url, Place { file, location });
            }
            for text in markdown_fields(&lesson.meta) {
                for (url, _) in urls_in(text) {
                    let location = file.locate_in_front_matter(&url);
                    add(&mut links, &url, Place { file, location });
                }
            }
        }
    }
    links
}

fn add<'a>(links: &mut BTreeMap<String, Vec<Place<'a>>>, url: &str, place: Place<'a>) {
    if url.starts_with("http://") || url.starts_with("https://") {
        links.entry(url.to_string()).or_default().push(place);
    }
}

/// The destinations of the links and images in Markdown `text`, with their offsets.
fn urls_in(text: &str) -> Vec<(String, usize)> {
    Parser::new_ext(text, MARKDOWN)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some((dest_url.to_string(), range.start))
            }
            _ => None,
        })
        .collect()
}

/// The front-matter values that are Markdown.
fn markdown_fields(meta: &crate::load::lesson::LessonMeta) -> Vec<&str> {
    let mut fields: Vec<&str> = Vec::new();
    fields.extend(meta.tradeoffs.iter().map(String::as_str));
    fields.extend(meta.notes.iter().map(|n| n.text.as_str()));
    fields.extend(meta.coverage.iter().map(String::as_str));
    fields.extend(meta.examples.iter().map(|e| e.body.as_str()));
    for q in &meta.questions {
        fields.extend([q.q.as_str(), q.answer.as_str(), q.senior.as_str()]);
    }
    for card in &meta.flashcards {
        fields.extend([card.front.as_str(), card.back.as_str()]);
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_images_with_a_scheme_are_found_with_their_offsets() {
        let found = urls_in("See [a](https://a.org/x) and ![b](http://b.org/b.png) and [c](c.md).");
        assert_eq!(
            found,
            [
                ("https://a.org/x".to_string(), 4),
                ("http://b.org/b.png".to_string(), 29),
                ("c.md".to_string(), 58),
            ]
        );
    }
}
