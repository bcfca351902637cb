//! The HTTP side of `conceptlab serve`: the site's files from memory, a live-reload
//! script added to every HTML page, and an event stream (server-sent events) that tells
//! open tabs to reload or to show the site's errors.
//!
//! Paths map to files the way a static host does it (`/a/` serves `a/index.html`, `/a`
//! redirects to `/a/`, anything else is the site's `404.html` with status 404). Only
//! files of the rendered site can be served: a request is looked up in the in-memory
//! map, never joined to a folder on disk, and paths with `..` are refused outright.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use futures_util::stream::Stream;
use tokio::sync::watch;

use super::live::Served;

/// Where open tabs listen for reloads and errors.
pub const EVENTS_PATH: &str = "/__conceptlab/events";

/// The state of the site that tabs are told about.
#[derive(Clone, Debug, Default)]
pub struct Status {
    /// Counts rebuilds; a tab reloads when it changes and the site is good.
    pub generation: u64,
    /// The errors as the terminal shows them (plain text), when the site has any.
    pub errors: Option<String>,
}

/// What the request handlers share with the rebuild loop.
pub struct Shared {
    pub files: RwLock<Arc<BTreeMap<String, Served>>>,
    pub base_path: String,
    pub status: watch::Sender<Status>,
}

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .route("/", get(root))
        .route("/{*path}", get(file))
        .with_state(shared)
}

async fn root(State(shared): State<Arc<Shared>>) -> Response {
    respond(&shared, "").await
}

async fn file(State(shared): State<Arc<Shared>>, UrlPath(path): UrlPath<String>) -> Response {
    respond(&shared, &path).await
}

/// `path` is the decoded URL path without its leading `/`.
async fn respond(shared: &Shared, path: &str) -> Response {
    if path.split(['/', '\\']).any(|part| part == "..") {
        return (StatusCode::BAD_REQUEST, "paths with `..` are not served").into_response();
    }
    let files = shared.files.read().expect("no panics while locked").clone();
    let overlay = shared.status.borrow().errors.clone();
    let url = format!("/{path}");
    let base = shared.base_path.as_str();
    let Some(rest) = url.strip_prefix(base) else {
        // `/repo` and the server's root lead to a site served under `--base-url /repo/`.
        if format!("{url}/") == base || url == "/" {
            return Redirect::temporary(base).into_response();
        }
        return not_found(&files, overlay.as_deref()).await;
    };
    let key = if rest.is_empty() || rest.ends_with('/') {
        format!("{rest}index.html")
    } else {
        rest.to_string()
    };
    match files.get(&key) {
        Some(found) => match read(found).await {
            Some(bytes) => page(StatusCode::OK, &key, bytes, overlay.as_deref()),
            None => not_found(&files, overlay.as_deref()).await,
        },
        None if files.contains_key(&format!("{key}/index.html")) => {
            Redirect::permanent(&format!("{url}/")).into_response()
        }
        None => not_found(&files, overlay.as_deref()).await,
    }
}

async fn not_found(files: &BTreeMap<String, Served>, overlay: Option<&str>) -> Response {
    let bytes = match files.get("404.html") {
        Some(found) => read(found).await,
        None => None,
    };
    let bytes = bytes.unwrap_or_else(|| {
        b"<!doctype html><html><head><meta charset=\"utf-8\"><title>Not found</title></head>\
          <body><h1>Not found</h1></body></html>"
            .to_vec()
    });
    page(StatusCode::NOT_FOUND, "404.html", bytes, overlay)
}

async fn read(found: &Served) -> Option<Vec<u8>> {
    match found {
        Served::Bytes(bytes) => Some(bytes.to_vec()),
        Served::File(path) => tokio::fs::read(path).await.ok(),
    }
}

fn page(status: StatusCode, key: &str, bytes: Vec<u8>, overlay: Option<&str>) -> Response {
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let body = if is_html {
        inject(&bytes, overlay)
    } else {
        bytes
    };
    let content_type = match mime.type_() {
        mime_guess::mime::TEXT => format!("{}; charset=utf-8", mime.essence_str()),
        _ if mime.essence_str() == "application/javascript" => {
            "text/javascript; charset=utf-8".to_string()
        }
        _ => mime.essence_str().to_string(),
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    // Every save changes pages: never let the browser reuse an old one.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The script every served page gets: it listens on [`EVENTS_PATH`] and reloads the page
/// after a good rebuild, or shows the errors over the page after a bad one.
const LIVE_RELOAD: &str = r#"<script data-conceptlab-live-reload>
(function () {
  var OVERLAY_STYLE = "__STYLE__";
  var OVERLAY_TITLE = "__TITLE__";
  var events = new EventSource("/__conceptlab/events");
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("problems", function (e) {
    var overlay = document.getElementById("conceptlab-overlay");
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "conceptlab-overlay";
      overlay.setAttribute("role", "alert");
      overlay.setAttribute("style", OVERLAY_STYLE);
      var title = document.createElement("p");
      title.textContent = OVERLAY_TITLE;
      overlay.appendChild(title);
      overlay.appendChild(document.createElement("pre"));
      document.body.appendChild(overlay);
    }
    overlay.querySelector("pre").textContent = e.data;
  });
})();
</script>"#;

const OVERLAY_STYLE: &str = "position:fixed;inset:0;z-index:2147483647;overflow:auto;\
margin:0;padding:1.5rem;background:#18181b;color:#fafafa;\
font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap";

/// The line above the errors in the overlay.
const OVERLAY_TITLE: &str = "conceptlab serve: the site has errors. This page is its last good \
version; fix the file and save, and it reloads by itself.";

/// Adds the live-reload script, and the errors when there are any, before `</body>`.
pub fn inject(html: &[u8], errors: Option<&str>) -> Vec<u8> {
    let mut extra = String::new();
    if let Some(text) = errors {
        extra.push_str("<div id=\"conceptlab-overlay\" role=\"alert\" style=\"");
        extra.push_str(OVERLAY_STYLE);
        extra.push_str("\"><p>");
        extra.push_str(OVERLAY_TITLE);
        extra.push_str("</p><pre>");
        let _ = pulldown_cmark_escape::escape_html(&mut extra, text);
        extra.push_str("</pre></div>\n");
    }
    extra.push_str(
        &LIVE_RELOAD
            .replace("__STYLE__", OVERLAY_STYLE)
            .replace("__TITLE__", OVERLAY_TITLE),
    );
    let text = String::from_utf8_lossy(html);
    let mut out = text.to_string();
    match out.rfind("</body>") {
        Some(at) => out.insert_str(at, &extra),
        None => out.push_str(&extra),
    }
    out.into_bytes()
}

/// The event stream: first the current state (`problems` with the errors, or `hello`),
/// then `reload` after each good rebuild and `problems` after each bad one.
async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = shared.status.subscribe();
    let current = receiver.borrow().clone();
    let stream = futures_util::stream::unfold(
        (receiver, Some(current)),
        |(mut receiver, first)| async move {
            let event = match first {
                Some(status) => match status.errors {
                    Some(text) => Event::default().event("problems").data(text),
                    None => Event::default()
                        .event("hello")
                        .data(status.generation.to_string()),
                },
                None => {
                    receiver.changed().await.ok()?;
                    let status = receiver.borrow_and_update().clone();
                    match status.errors {
                        Some(text) => Event::default().event("problems").data(text),
                        None => Event::default()
                            .event("reload")
                            .data(status.generation.to_string()),
                    }
                }
            };
            Some((Ok(event), (receiver, None)))
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_and_the_escaped_errors_go_before_the_end_of_the_body() {
        let html = b"<html><body><p>Hi</p></body></html>";
        let out = String::from_utf8(inject(html, Some("a.md:1:1: <bad>"))).unwrap();
        let body_end = out.rfind("</body>").unwrap();
        let script = out.find("data-conceptlab-live-reload").unwrap();
        assert!(script < body_end);
        assert!(out.contains("a.md:1:1: &lt;bad&gt;"), "{out}");
        assert!(!out.contains("<bad>"), "{out}");
    }
}
