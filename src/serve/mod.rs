//! `conceptlab serve`: build the site into memory, serve it over HTTP, and rebuild what a
//! change touches as soon as a file is saved, telling open tabs to reload.
//!
//! Three parts, one file each: [`live`] keeps the loaded site and its rendered files and
//! re-renders after a change; [`http`] serves those files (with the live-reload script)
//! and the event stream tabs listen on, to requests that name this machine (on a loopback
//! address) and whose headers arrive in time; this module wires them to a file watcher
//! (notify, debounced) on a thread of its own. Nothing is written to the output folder.
//! An error never stops the server: the last good pages stay up, and tabs show the
//! errors over the page until a save fixes them.

pub mod http;
mod index;
pub mod live;

use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::sync::{Arc, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use tokio::sync::{oneshot, watch};

use crate::diagnostics::{self, Diagnostic};
use http::{Shared, Status};
use live::{LiveOptions, LiveSite, Outcome};

/// What to serve and where, from the command line.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// The base URL pages are rendered for; the server's root (`/`) when not given.
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// The folders of a site that are watched (with `site.yaml` beside them).
pub const WATCHED: &[&str] = &["content", "templates", "themes", "static"];

/// How long the watcher waits for a burst of saves to end before rebuilding. An editor's
/// save (write, or write a temporary file and rename it) takes well under this; a longer
/// wait is felt on every save (the debouncer also checks only every quarter of it).
const DEBOUNCE: Duration = Duration::from_millis(40);

/// Receives every rebuild's outcome and how long it took (the CLI prints them).
pub type Report = Box<dyn Fn(&Outcome, Duration) + Send + 'static>;

/// A running server. Dropping it stops it.
pub struct Server {
    addr: SocketAddr,
    base_path: String,
    stop: Arc<AtomicBool>,
    shutdown: Option<oneshot::Sender<()>>,
    threads: Vec<JoinHandle<()>>,
}

impl Server {
    /// The address the server listens on (with the real port when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL of the site's home page.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.addr, self.base_path)
    }

    /// Blocks until Ctrl-C, then stops.
    pub fn run_until_ctrl_c(self) {
        if let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            let _ = runtime.block_on(tokio::signal::ctrl_c());
        }
    }

    fn shut_down(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shut_down();
    }
}

/// Builds the site, starts serving it and watching it. The first build's outcome goes
/// to `report` like every later one; errors in the site do not stop the server. `Err`
/// means it could not start (the address is taken, the folder cannot be watched).
pub fn start(options: ServeOptions, report: Report) -> Result<Server, Diagnostic> {
    let started = Instant::now();
    let (live, outcome) = LiveSite::open(LiveOptions {
        root: options.root.clone(),
        base_url: options.base_url.clone(),
        drafts: options.drafts,
    });
    report(&outcome, started.elapsed());

    let address = SocketAddr::new(options.bind, options.port);
    let listener = std::net::TcpListener::bind(address)
        .and_then(|l| l.set_nonblocking(true).map(|()| l))
        .map_err(|e| {
            Diagnostic::error("--port", format!("cannot listen on {address}: {e}"))
                .with_hint("choose another port with --port, or 0 for any free one")
        })?;
    let addr = listener.local_addr().unwrap_or(address);

    let (status, _) = watch::channel(Status {
        generation: 0,
        errors: error_text(live.errors()),
    });
    let shared = Arc::new(Shared {
        files: RwLock::new(Arc::new(live.files().clone())),
        base_path: live.base_path().to_string(),
        status,
    });
    let base_path = shared.base_path.clone();

    let (events, event_receiver) = channel::<DebounceEventResult>();
    let mut debouncer =
        new_debouncer(DEBOUNCE, None, events).map_err(|e| watch_error(&options.root, e))?;
    let root = live.root().to_path_buf();
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| watch_error(&root, e))?;
    let mut watched = HashSet::new();
    for dir in WATCHED {
        let path = root.join(dir);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| watch_error(&path, e))?;
            watched.insert(path);
        }
    }

    let stop = Arc::new(AtomicBool::new(false));
    let rebuilds = {
        let stop = stop.clone();
        let shared = shared.clone();
        std::thread::spawn(move || {
            let mut live = live;
            let mut watched = watched;
            loop {
                let batch = match event_receiver.recv_timeout(Duration::from_millis(100)) {
                    Ok(Ok(batch)) => batch,
                    Ok(Err(_)) => continue,
                    Err(RecvTimeoutError::Timeout) if stop.load(Ordering::SeqCst) => break,
                    Err(RecvTimeoutError::Timeout) => {
                        // Quiet: pages whose simulations finished training are shown, and
                        // the search index parts that were built are served.
                        let started = Instant::now();
                        let outcome = live.poll();
                        if !outcome.is_nothing() {
                            publish(&live, &shared, &outcome);
                            report(&outcome, started.elapsed());
                        }
                        continue;
                    }
                    Err(RecvTimeoutError::Disconnected) => break,
                };
                let mut changed: Vec<PathBuf> = Vec::new();
                for event in batch {
                    // Reads (ours included) are not changes.
                    if matches!(event.kind, EventKind::Access(_)) {
                        continue;
                    }
                    changed.extend(event.paths.iter().cloned());
                }
                // A watched folder created after the start is watched from now on.
                for dir in WATCHED {
                    let path = root.join(dir);
                    if path.is_dir()
                        && !watched.contains(&path)
                        && debouncer.watch(&path, RecursiveMode::Recursive).is_ok()
                    {
                        watched.insert(path);
                    }
                }
                if changed.is_empty() {
                    continue;
                }
                let started = Instant::now();
                let outcome = live.apply(&changed);
                if outcome.is_nothing() {
                    continue;
                }
                publish(&live, &shared, &outcome);
                report(&outcome, started.elapsed());
            }
        })
    };

    let hosts = http::Hosts::for_bind(options.bind);
    let (shutdown, shutdown_signal) = oneshot::channel::<()>();
    let server = std::thread::spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
        else {
            return;
        };
        runtime.block_on(async move {
            let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                return;
            };
            let app = http::router(shared, hosts);
            // Not a graceful shutdown: open event streams never end by themselves. The
            // signal stops the accepting; the runtime's shutdown below ends the connections.
            tokio::select! {
                () = http::serve(listener, app) => {}
                _ = shutdown_signal => {}
            }
        });
        runtime.shutdown_timeout(Duration::from_millis(100));
    });

    Ok(Server {
        addr,
        base_path,
        stop,
        shutdown: Some(shutdown),
        threads: vec![server, rebuilds],
    })
}

/// Serves the files of `live` (unless the rebuild failed) and tells the open tabs:
/// reload, or show the errors. A new search index alone reloads nothing.
fn publish(live: &LiveSite, shared: &Shared, outcome: &Outcome) {
    if outcome.errors.is_empty() {
        let files = Arc::new(live.files().clone());
        *shared.files.write().expect("no panics while locked") = files;
    }
    if !outcome.shows_anything() {
        return;
    }
    let errors = error_text(live.errors());
    shared.status.send_modify(|status| {
        status.generation += 1;
        status.errors = errors;
    });
}

/// The errors as the terminal shows them, without colour, for the browser's overlay.
fn error_text(errors: &[Diagnostic]) -> Option<String> {
    (!errors.is_empty()).then(|| diagnostics::render(errors, false))
}

fn watch_error(path: &Path, e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(path, format!("cannot watch for changes: {e}"))
        .with_hint("on Linux, raise fs.inotify.max_user_watches if it is exhausted")
}
