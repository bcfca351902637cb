//! What the browser tests share: a static file server on 127.0.0.1 with the routes a
//! probe page reports through, the probe page itself (`tests/probes/`), and a headless
//! Chromium driven through the DevTools protocol by `headless_chrome`.

use std::ffi::OsStr;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::{get, post};
use headless_chrome::{Browser, LaunchOptions};
use serde_json::Value;
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

/// Writes the probe page into `dir`: the harness (`tests/probes/harness.js`), `probe` (a
/// module whose default export is the async function the harness runs with its helpers)
/// and `__probe.html`, which runs it with `options` (a JavaScript object: `{ height: 700,
/// args: ... }`).
pub fn write_probe(dir: &Path, probe: &str, options: &str) {
    std::fs::write(
        dir.join("__harness.js"),
        include_str!("../probes/harness.js"),
    )
    .unwrap();
    std::fs::write(dir.join("__probe.js"), probe).unwrap();
    let page = format!(
        "<!doctype html><meta charset=\"utf-8\"><body><script type=\"module\">\n\
         import {{ run }} from \"./__harness.js\";\n\
         import probe from \"./__probe.js\";\n\
         run(probe, {options});\n</script>\n"
    );
    std::fs::write(dir.join("__probe.html"), page).unwrap();
}

/// Runs `probe` (a module of `tests/probes/`) with `options` on the site built in `dir`
/// (served at `/`) and returns its report as JSON; a report with an `error` fails the
/// test.
pub fn probe_json(dir: &Path, probe: &str, options: &str, flags: &[&str]) -> Value {
    write_probe(dir, probe, options);
    // A bound for a browser that hangs, far above what a probe takes.
    let timeout = Duration::from_secs(180);
    let result = run_probe(dir, "/", "/__probe.html", flags, timeout)
        .unwrap_or_else(|| r#"{"error": "timed out waiting for the browser"}"#.to_string());
    let value: Value = serde_json::from_str(&result).unwrap();
    assert!(value.get("error").is_none(), "{}", value["error"]);
    value
}

/// Starts headless Chromium (through the DevTools protocol, by `headless_chrome`) with its
/// own profile folder and extra `flags`, the way this machine needs it: no sandbox as
/// root, no background network traffic.
pub fn chromium(profile: &Path, flags: &[&str]) -> Browser {
    let program = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            std::process::Command::new(c)
                .arg("--version")
                .output()
                .is_ok()
        })
        .expect("a Chromium browser is needed for this test: apt-get install -y chromium");
    let mut args: Vec<&OsStr> = ["--disable-quic", "--disable-sync", "--no-first-run"]
        .iter()
        .map(OsStr::new)
        .collect();
    args.extend(flags.iter().map(OsStr::new));
    let options = LaunchOptions {
        headless: true,
        sandbox: false,
        path: Some(which(program)),
        user_data_dir: Some(profile.to_path_buf()),
        args,
        // A probe can run for a minute without a DevTools message.
        idle_browser_timeout: Duration::from_secs(300),
        ..LaunchOptions::default()
    };
    Browser::new(options).expect("Chromium starts")
}

/// The full path of `program` on the `PATH`.
fn which(program: &str) -> PathBuf {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(program))
        .find(|path| path.is_file())
        .unwrap_or_else(|| PathBuf::from(program))
}

/// The key a probe names (`Enter`, `Space`, an arrow, a single character) as
/// `headless_chrome` names it (the US keyboard layout's `key`).
fn key_name(name: &str) -> &str {
    match name {
        "Space" => " ",
        other => other,
    }
}

/// Serves `dir` under `prefix`, opens `page` (a path on that server) in headless Chromium
/// and returns what the page POSTs to `/__report`. A report `keys:A,B` asks for real key
/// presses, sent through the DevTools protocol (synthetic events from the page itself never
/// activate a button); the page learns they were sent from `/__delivered`. `None` when
/// nothing came within `timeout`.
pub fn run_probe(
    dir: &Path,
    prefix: &str,
    page: &str,
    flags: &[&str],
    timeout: Duration,
) -> Option<String> {
    let server = serve(dir, prefix);
    let profile = tempfile::tempdir().unwrap();
    let browser = chromium(profile.path(), flags);
    let tab = browser.new_tab().expect("a tab");
    tab.navigate_to(&format!("http://{}{page}", server.addr))
        .expect("the probe page opens");
    let started = Instant::now();
    loop {
        let report = server.report.lock().unwrap().take();
        if let Some(names) = report.as_deref().and_then(|r| r.strip_prefix("keys:")) {
            for name in names.split(',') {
                tab.press_key(key_name(name))
                    .unwrap_or_else(|e| panic!("pressing {name}: {e}"));
            }
            server.delivered.fetch_add(1, Ordering::SeqCst);
            continue;
        }
        if report.is_some() || started.elapsed() > timeout {
            break report;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
