//! What the browser tests share: a static file server on 127.0.0.1 with the routes a
//! probe page reports through, and a headless Chromium started the way this machine
//! needs it (no sandbox as root, no background network traffic).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::{get, post};
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

/// A minimal DevTools-protocol client over a WebSocket, enough to send trusted key presses
/// to the probe page (synthetic events from the page itself never activate a button).
pub struct DevTools {
    socket: TcpStream,
    next_id: u64,
}

impl DevTools {
    /// Connects to the probe page of the Chromium whose profile is `profile`.
    pub fn connect(profile: &Path) -> DevTools {
        let file = profile.join("DevToolsActivePort");
        let started = Instant::now();
        let port = loop {
            if let Some(port) = std::fs::read_to_string(&file)
                .ok()
                .and_then(|t| t.lines().next().map(str::to_owned))
                .filter(|p| !p.is_empty())
            {
                break port;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "no DevTools port"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let list: Value = serde_json::from_slice(
            &ureq::get(&format!("http://127.0.0.1:{port}/json/list"))
                .call()
                .unwrap()
                .body_mut()
                .read_to_vec()
                .unwrap(),
        )
        .unwrap();
        let page = list
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["type"] == "page" && t["url"].as_str().unwrap().contains("__probe"))
            .expect("the probe page is open");
        let url = page["webSocketDebuggerUrl"].as_str().unwrap();
        let path = &url[url.find("/devtools/").unwrap()..];
        let mut socket = TcpStream::connect(format!("127.0.0.1:{port}")).unwrap();
        socket
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            socket,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n\
             Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
             Sec-WebSocket-Version: 13\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(socket.try_clone().unwrap());
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        assert!(status.contains(" 101 "), "{status}");
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
        }
        DevTools { socket, next_id: 1 }
    }

    /// Sends a command and waits for its answer.
    fn call(&mut self, method: &str, params: Value) {
        let id = self.next_id;
        self.next_id += 1;
        let text = serde_json::json!({ "id": id, "method": method, "params": params }).to_string();
        // A client frame: final text frame, masked (the mask is allowed to be fixed).
        let mask = [0x5a, 0x17, 0xc3, 0x09];
        let mut frame = vec![0x81u8];
        let len = text.len();
        if len < 126 {
            frame.push(0x80 | len as u8);
        } else {
            frame.push(0x80 | 126);
            frame.extend_from_slice(&(len as u16).to_be_bytes());
        }
        frame.extend_from_slice(&mask);
        frame.extend(text.bytes().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        self.socket.write_all(&frame).unwrap();
        loop {
            let answer: Value = serde_json::from_slice(&self.read_frame()).unwrap_or(Value::Null);
            if answer["id"] == id {
                assert!(answer.get("error").is_none(), "{answer}");
                return;
            }
        }
    }

    fn read_frame(&mut self) -> Vec<u8> {
        let mut head = [0u8; 2];
        self.socket.read_exact(&mut head).unwrap();
        let len = match head[1] & 0x7f {
            126 => {
                let mut b = [0u8; 2];
                self.socket.read_exact(&mut b).unwrap();
                u16::from_be_bytes(b) as usize
            }
            127 => {
                let mut b = [0u8; 8];
                self.socket.read_exact(&mut b).unwrap();
                u64::from_be_bytes(b) as usize
            }
            n => n as usize,
        };
        let mut payload = vec![0u8; len];
        self.socket.read_exact(&mut payload).unwrap();
        payload
    }

    /// Presses and releases a key: `Enter`, `Space`, an arrow (`ArrowLeft`...), or a single
    /// character.
    pub fn press(&mut self, name: &str) {
        let (key, code, vk, text) = match name {
            "Enter" => (
                "Enter".to_string(),
                "Enter".to_string(),
                13,
                "\r".to_string(),
            ),
            "Space" => (" ".to_string(), "Space".to_string(), 32, " ".to_string()),
            arrow @ ("ArrowLeft" | "ArrowUp" | "ArrowRight" | "ArrowDown") => {
                let vk = match arrow {
                    "ArrowLeft" => 37,
                    "ArrowUp" => 38,
                    "ArrowRight" => 39,
                    _ => 40,
                };
                (arrow.to_string(), arrow.to_string(), vk, String::new())
            }
            c => {
                let ch = c.chars().next().unwrap();
                let code = if ch.is_ascii_digit() {
                    format!("Digit{ch}")
                } else {
                    format!("Key{}", ch.to_ascii_uppercase())
                };
                (
                    c.to_string(),
                    code,
                    ch.to_ascii_uppercase() as u32,
                    c.to_string(),
                )
            }
        };
        let event = |kind: &str| {
            serde_json::json!({
                "type": kind, "key": key, "code": code, "windowsVirtualKeyCode": vk,
                "nativeVirtualKeyCode": vk, "text": if kind == "keyDown" { text.as_str() } else { "" },
            })
        };
        self.call("Input.dispatchKeyEvent", event("keyDown"));
        self.call("Input.dispatchKeyEvent", event("keyUp"));
    }
}

/// Serves `dir` under `prefix`, opens `page` (a path on that server) in headless Chromium
/// and returns what the page POSTs to `/__report`. A report `keys:A,B` asks for real key
/// presses through DevTools; the page learns they were sent from `/__delivered`. `None`
/// when nothing came within `timeout`.
pub fn run_probe(
    dir: &Path,
    prefix: &str,
    page: &str,
    flags: &[&str],
    timeout: Duration,
) -> Option<String> {
    let server = serve(dir, prefix);
    let profile = tempfile::tempdir().unwrap();
    let mut all_flags = flags.to_vec();
    all_flags.push("--remote-debugging-port=0");
    let url = format!("http://{}{page}", server.addr);
    let mut browser = chromium(&url, profile.path(), &all_flags);
    let started = Instant::now();
    let mut devtools: Option<DevTools> = None;
    let result = loop {
        let report = server.report.lock().unwrap().take();
        if let Some(names) = report.as_deref().and_then(|r| r.strip_prefix("keys:")) {
            let tools = devtools.get_or_insert_with(|| DevTools::connect(profile.path()));
            for name in names.split(',') {
                tools.press(name);
            }
            server.delivered.fetch_add(1, Ordering::SeqCst);
            continue;
        }
        if report.is_some() || started.elapsed() > timeout {
            break report;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let _ = browser.kill();
    let _ = browser.wait();
    result
}
