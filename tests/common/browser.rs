//! What the browser tests share: a static file server on 127.0.0.1 with the routes a
//! probe page reports through, and a headless Chromium started the way this machine
//! needs it (no sandbox as root, no background network traffic).

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::routing::{get, post};
use tower_http::services::ServeDir;

/// A running test server.
pub struct ProbeServer {
    pub addr: SocketAddr,
    /// The last body posted to `POST /__report`, taken by the test.
    pub report: Arc<Mutex<Option<String>>>,
    /// A counter the test bumps and the page reads at `GET /__delivered`.
    pub delivered: Arc<AtomicUsize>,
}

/// Serves `dir` under `prefix` (`/` or `/course-repo/`) on a free port of 127.0.0.1, until
/// the test process ends.
pub fn serve(dir: &Path, prefix: &str) -> ProbeServer {
    let report = Arc::new(Mutex::new(None));
    let sink = report.clone();
    let delivered = Arc::new(AtomicUsize::new(0));
    let count = delivered.clone();
    let files = ServeDir::new(dir);
    let app = Router::new()
        .route(
            "/__report",
            post(move |body: String| async move {
                *sink.lock().unwrap() = Some(body);
                "ok"
            }),
        )
        .route(
            "/__delivered",
            get(move || async move { count.load(Ordering::SeqCst).to_string() }),
        );
    let app = if prefix == "/" {
        app.fallback_service(files)
    } else {
        app.nest_service(prefix.trim_end_matches('/'), files)
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    ProbeServer {
        addr,
        report,
        delivered,
    }
}

/// Starts headless Chromium on `url` with its own profile folder and extra `flags`.
pub fn chromium(url: &str, profile: &Path, flags: &[&str]) -> Child {
    let program = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| Command::new(c).arg("--version").output().is_ok())
        .expect("a Chromium browser is needed for this test: apt-get install -y chromium");
    Command::new(program)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .args(flags)
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(url)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}
