//! The HTTP side of `conceptlab serve`: the site's files from memory, a live-reload
//! script added to every HTML page, and an event stream (server-sent events) that tells
//! open tabs to reload or to show the site's errors.
//!
//! Paths map to files the way a static host does it (`/a/` serves `a/index.html`, `/a`
//! redirects to `/a/`, anything else is the site's `404.html` with status 404). Only
//! files of the rendered site can be served: a request is looked up in the in-memory
//! map, never joined to a folder on disk, and paths with `..` are refused outright.
//!
//! Two more defences, because the preview shows drafts and runs on a developer's machine:
//!
//! - The `Host` check ([`Hosts`]): on a loopback address (the default), only requests
//!   that name this machine (`localhost`, `*.localhost`, `127.x.x.x`, `[::1]`) are
//!   answered, every path and the event stream included. Without it, a page on another
//!   website whose DNS name is later pointed at 127.0.0.1 (DNS rebinding) could read the
//!   preview as if it were its own. Others get 421 and a line naming `--bind`.
//! - The header timeout ([`serve`]): hyper runs each connection, and a client that has not
//!   sent a complete request head within [`HEADER_TIMEOUT`] is disconnected, whether it
//!   stalled halfway or never started (a fresh or kept-alive connection left idle).

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path as UrlPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use futures_util::stream::Stream;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
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

/// How long a client has to send a whole request head (the request line and headers):
/// from the moment its connection opens, and again from the end of each response on a
/// kept-alive connection. A client that stalls halfway, or sends nothing, is disconnected
/// (without an answer) once it runs out. Browsers send a head in one go and open a new
/// connection when an idle one was closed, so 5 s costs them nothing; it is also how long
/// Apache keeps an idle connection by default.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// Serves `app` on every connection `listener` accepts; runs until the future is dropped
/// (the server's shutdown drops it, and the runtime's shutdown ends the connections).
///
/// hyper does the HTTP/1.1 of each connection. It is driven here rather than through
/// `axum::serve` for its header timeout, which `axum::serve` does not expose: in hyper 1.12
/// the timer starts whenever hyper waits for a request head, on a fresh connection and
/// whenever a kept-alive one turns idle after a response, and it stops once the head is
/// read, so a long answer (the event stream) is never cut by it.
pub async fn serve(listener: TcpListener, app: Router) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // That one connection failed before it was accepted; the next may be fine.
            Err(e) if is_connection_error(&e) => continue,
            // Out of file descriptors, most likely: wait for some connections to close,
            // as `axum::serve` does, rather than spin.
            Err(_) => {
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let connection = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service);
            // An error ends only this connection (a timeout, a client gone or speaking
            // something else), and there is nobody to tell: the browser has left.
            let _ = connection.await;
        });
    }
}

fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// Every path of the site and the event stream, behind the `Host` check of `hosts`.
pub fn router(shared: Arc<Shared>, hosts: Hosts) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .route("/", get(root))
        .route("/{*path}", get(file))
        .with_state(shared)
        // Last, so that it wraps every route and the fallback (axum applies a layer to
        // what exists when it is added).
        .layer(middleware::from_fn_with_state(hosts, check_host))
}

/// Which `Host` a request may name to be answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hosts {
    /// Bound to a loopback address (the default 127.0.0.1, or ::1): only names that always
    /// mean this machine, `localhost`, `*.localhost`, `127.x.x.x` and `[::1]`, with any
    /// port. DNS rebinding needs a name the attacker's website owns, and nobody owns
    /// these (a browser resolves them without asking DNS). The port is not checked: it does not help against rebinding (the attacker
    /// names our port anyway), and a forwarded port (`ssh -L 8080:localhost:1111`, an
    /// editor's port forwarding) arrives with a port other than ours.
    Loopback,
    /// Bound with `--bind` to another address (0.0.0.0 to try the site from a phone): the
    /// name a device on the network uses (an address, `laptop.local`) cannot be known, so
    /// every `Host` is answered. The user chose to show the site to the network.
    Any,
}

impl Hosts {
    /// The check for a server listening on `bind`.
    pub fn for_bind(bind: IpAddr) -> Hosts {
        if bind.to_canonical().is_loopback() {
            Hosts::Loopback
        } else {
            Hosts::Any
        }
    }
}

async fn check_host(State(hosts): State<Hosts>, request: Request, next: Next) -> Response {
    if hosts == Hosts::Loopback
        && let Some(named) = foreign_host(request.headers(), request.uri())
    {
        return misdirected(&named);
    }
    next.run(request).await
}

/// How a request names its server, when that is not this machine: every `Host` header
/// and the authority of an absolute-form target (`GET http://host/ HTTP/1.1`) must be
/// one of [`Hosts::Loopback`]'s names.
///
/// A request with no `Host` at all (HTTP/1.0 allows it) is refused too. Browsers always
/// send `Host`, so such a request cannot come from a rebinding page; but no client needs
/// to leave it out either (curl and wget send it over HTTP/1.0 as well), and refusing
/// keeps the rule simple: a request is answered only when it says it is for this machine.
fn foreign_host(headers: &HeaderMap, uri: &Uri) -> Option<String> {
    let mut names = Vec::new();
    for value in headers.get_all(header::HOST) {
        names.push(value.to_str().unwrap_or("(not text)"));
    }
    if names.is_empty() {
        return Some("no host".to_string());
    }
    if let Some(authority) = uri.authority() {
        names.push(authority.as_str());
    }
    names
        .into_iter()
        .find(|name| !is_loopback_host(name))
        .map(|name| format!("`{name}`"))
}

/// Whether a `Host` value (a name and an optional port) always means this machine.
fn is_loopback_host(value: &str) -> bool {
    // The name, and what follows it: nothing or `:PORT`.
    let (name, rest) = match value.strip_prefix('[') {
        Some(inner) => match inner.split_once(']') {
            Some((ip, rest)) => {
                let ip = ip.parse::<Ipv6Addr>();
                (ip.is_ok_and(|ip| ip.to_canonical().is_loopback()), rest)
            }
            None => return false,
        },
        None => {
            let (name, rest) = value.split_at(value.find(':').unwrap_or(value.len()));
            (is_loopback_name(name), rest)
        }
    };
    let port_ok = rest.is_empty()
        || rest.strip_prefix(':').is_some_and(|port| {
            (1..=5).contains(&port.len()) && port.bytes().all(|b| b.is_ascii_digit())
        });
    name && port_ok
}

/// `localhost`, `NAME.localhost` (RFC 6761: both always resolve to loopback) or a
/// loopback IPv4 address in dotted form.
fn is_loopback_name(name: &str) -> bool {
    if let Ok(ip) = name.parse::<Ipv4Addr>() {
        return ip.is_loopback();
    }
    let name = name.to_ascii_lowercase();
    if name == "localhost" {
        return true;
    }
    name.strip_suffix(".localhost").is_some_and(|sub| {
        sub.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
    })
}

/// The answer to a request for another host: 421 Misdirected Request ("this server does
/// not answer for that name"), a line saying why and what to do, and nothing of the site.
fn misdirected(named: &str) -> Response {
    let text = format!(
        "conceptlab serve: this request names {named}, but the server listens on a \
         loopback address and answers only requests for localhost, *.localhost, \
         127.x.x.x or [::1] (so that other websites cannot read the preview through DNS \
         rebinding). To open the site from another device, start it with \
         `--bind 0.0.0.0` or with this machine's address.\n"
    );
    let mut response = (StatusCode::MISDIRECTED_REQUEST, text).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // The host name is the client's own text: never let it be read as HTML.
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
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

    #[test]
    fn only_names_of_this_machine_are_loopback_hosts() {
        for host in [
            "localhost",
            "localhost:1111",
            "LocalHost:80",
            "site.localhost:1111",
            "a-b.c.localhost",
            "127.0.0.1",
            "127.0.0.1:1111",
            "127.1.2.3:9",
            "[::1]",
            "[::1]:1111",
            "[0:0:0:0:0:0:0:1]:1111",
            "[::ffff:127.0.0.1]:1111",
        ] {
            assert!(is_loopback_host(host), "{host} was refused");
        }
        for host in [
            "",
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "evillocalhost",
            ".localhost",
            "a..localhost",
            "localhost.",
            "localhost:",
            "localhost:11a1",
            "localhost:1111:1111",
            "127.1",
            "128.0.0.1",
            "10.0.0.1:1111",
            "0.0.0.0:1111",
            "[::2]:1111",
            "[::1",
            "[::1]x",
            "::1",
            "user@localhost",
        ] {
            assert!(!is_loopback_host(host), "{host} was accepted");
        }
    }

    #[test]
    fn a_loopback_server_needs_a_loopback_host_in_every_place_a_request_names_one() {
        let uri = |u: &str| u.parse::<Uri>().unwrap();
        let headers = |hosts: &[&str]| {
            let mut map = HeaderMap::new();
            for host in hosts {
                map.append(header::HOST, HeaderValue::from_str(host).unwrap());
            }
            map
        };
        assert_eq!(foreign_host(&headers(&["localhost:1111"]), &uri("/")), None);
        assert!(foreign_host(&headers(&["evil.example"]), &uri("/")).is_some());
        assert!(foreign_host(&headers(&[]), &uri("/")).is_some());
        assert!(foreign_host(&headers(&["localhost", "evil.example"]), &uri("/")).is_some());
        let absolute = uri("http://evil.example/");
        assert!(foreign_host(&headers(&["localhost"]), &absolute).is_some());
        let absolute = uri("http://127.0.0.1:1111/demo/");
        assert_eq!(foreign_host(&headers(&["localhost"]), &absolute), None);
    }

    #[test]
    fn the_check_is_on_for_loopback_binds_only() {
        assert_eq!(
            Hosts::for_bind("127.0.0.1".parse().unwrap()),
            Hosts::Loopback
        );
        assert_eq!(
            Hosts::for_bind("127.0.0.2".parse().unwrap()),
            Hosts::Loopback
        );
        assert_eq!(Hosts::for_bind("::1".parse().unwrap()), Hosts::Loopback);
        assert_eq!(Hosts::for_bind("0.0.0.0".parse().unwrap()), Hosts::Any);
        assert_eq!(Hosts::for_bind("::".parse().unwrap()), Hosts::Any);
        assert_eq!(Hosts::for_bind("192.168.1.20".parse().unwrap()), Hosts::Any);
    }
}
