//! `conceptlab serve` under hostile and heavy use: every encoded form of path traversal is
//! refused, the default address is loopback only, requests for other host names (DNS
//! rebinding) are refused, clients that stall while sending headers or sit idle are
//! disconnected (an open event stream is not), and a few thousand requests from another
//! process get answers without errors or memory growth.

use crate::common;

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::Site;

/// The server binary, started on a free port with the default address; killed on drop.
struct Served {
    child: Child,
    addr: SocketAddr,
}

impl Served {
    fn start(site: &Site) -> Served {
        Served::start_with(site, &[])
    }

    /// Started with `args` added to the command line.
    fn start_with(site: &Site, args: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_conceptlab"))
            .args(["serve", "--port", "0"])
            .args(args)
            .arg("--root")
            .arg(site.root())
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The line `Serving http://ADDRESS/ ...` names the address it really listens on.
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let addr = loop {
            let line = lines.next().expect("serve exited early").unwrap();
            if let Some(rest) = line.strip_prefix("Serving http://") {
                break rest.split('/').next().unwrap().parse().unwrap();
            }
        };
        // Keep draining stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Served { child, addr }
    }

    /// The server's resident memory in KiB, from /proc.
    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One GET over a fresh connection: the status and the body. `target` is sent as is.
fn get(addr: SocketAddr, target: &str) -> (u16, Vec<u8>) {
    let (status, _, body) = common::http_get(addr, target);
    (status, body)
}

/// A GET of `target` naming `host` in its `Host` header.
fn get_for_host(addr: SocketAddr, target: &str, host: &str) -> (u16, String, Vec<u8>) {
    common::http_send(
        addr,
        &format!("GET {target} HTTP/1.1"),
        &[&format!("Host: {host}")],
    )
}

/// Asserts that the server closes `stream` by itself, without sending anything more,
/// within `limit`; returns how long that took.
fn assert_closed_by_server(mut stream: TcpStream, limit: Duration, what: &str) -> Duration {
    let started = Instant::now();
    // The socket's own timeout is longer than `limit`, so that a read which gives up is
    // told apart from a close; it also keeps the test from hanging when nothing comes.
    stream
        .set_read_timeout(Some(limit + Duration::from_secs(5)))
        .unwrap();
    let mut buffer = [0u8; 4096];
    match stream.read(&mut buffer) {
        Ok(0) => {}
        Ok(n) => panic!(
            "{what}: the server sent {n} bytes instead of closing: {:?}",
            String::from_utf8_lossy(&buffer[..n])
        ),
        // A reset is a close too (the server had unread bytes of ours).
        Err(e) if e.kind() == ErrorKind::ConnectionReset => {}
        Err(e) => panic!("{what}: still open after {:?} ({e})", started.elapsed()),
    }
    let waited = started.elapsed();
    assert!(waited <= limit, "{what}: closed only after {waited:?}");
    waited
}

#[test]
fn requests_for_other_host_names_are_refused_on_loopback() {
    let site = Site::fixture("mini");
    let served = Served::start(&site);
    let port = served.addr.port();
    // What a page of another website gets after pointing its own name at 127.0.0.1
    // (DNS rebinding): no page, the event stream included.
    let evil_port = format!("evil.example:{port}");
    let refused = [
        ("/demo/first/", "evil.example"),
        ("/demo/first/", evil_port.as_str()),
        ("/", evil_port.as_str()),
        ("/no/such/page/", evil_port.as_str()),
        ("/__conceptlab/events", evil_port.as_str()),
        ("/demo/first/", "localhost.evil.example"),
        ("/demo/first/", "127.0.0.1.evil.example"),
    ];
    for (target, host) in refused {
        let (status, head, body) = get_for_host(served.addr, target, host);
        let body = String::from_utf8_lossy(&body);
        assert_eq!(status, 421, "{target} for {host} was answered: {head}");
        assert!(head.contains("text/plain"), "{target} for {host}: {head}");
        assert!(body.contains("--bind"), "{target} for {host}: {body}");
        assert!(!body.contains("First Steps"), "{target} for {host}: {body}");
        assert!(!body.contains("<html"), "{target} for {host}: {body}");
        assert!(!body.contains("event:"), "{target} for {host}: {body}");
    }
    // An absolute-form target names the server too, and counts as much as `Host`.
    let (status, _, body) = common::http_send(
        served.addr,
        "GET http://evil.example/demo/first/ HTTP/1.1",
        &["Host: localhost"],
    );
    assert_eq!(status, 421);
    assert!(!String::from_utf8_lossy(&body).contains("First Steps"));
    // No `Host` at all (HTTP/1.0) is refused as well: no client needs to leave it out.
    let (status, _, body) = common::http_send(served.addr, "GET /demo/first/ HTTP/1.0", &[]);
    assert_eq!(status, 421);
    assert!(!String::from_utf8_lossy(&body).contains("First Steps"));

    // Names that always mean this machine, with or without a port.
    let allowed = [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("LOCALHOST:{port}"),
        format!("course.localhost:{port}"),
        format!("[::1]:{port}"),
        "localhost".to_string(),
        "127.0.0.1".to_string(),
    ];
    for host in &allowed {
        let (status, head, body) = get_for_host(served.addr, "/demo/first/", host);
        assert_eq!(status, 200, "{host} was refused: {head}");
        assert!(
            String::from_utf8_lossy(&body).contains("First Steps"),
            "{host}"
        );
    }
    // The event stream answers a good host (its head is enough: the stream never ends).
    let mut events = TcpStream::connect(served.addr).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        events,
        "GET /__conceptlab/events HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"
    )
    .unwrap();
    let mut status_line = String::new();
    BufReader::new(events).read_line(&mut status_line).unwrap();
    assert!(status_line.starts_with("HTTP/1.1 200"), "{status_line}");
}

#[test]
fn any_host_is_answered_when_bound_to_another_address() {
    let site = Site::fixture("mini");
    // What a user does to try the site from a phone; this test talks to it over loopback.
    let served = Served::start_with(&site, &["--bind", "0.0.0.0"]);
    let addr = SocketAddr::from(([127, 0, 0, 1], served.addr.port()));
    for host in ["evil.example", "laptop.local:1111", "192.168.1.20"] {
        let (status, _, body) = get_for_host(addr, "/demo/first/", host);
        assert_eq!(status, 200, "{host}");
        assert!(String::from_utf8_lossy(&body).contains("First Steps"));
    }
}

#[test]
fn a_client_that_stalls_in_its_headers_is_disconnected() {
    let site = Site::fixture("mini");
    let served = Served::start(&site);
    // A request line and one header, then nothing: the end of the headers never comes.
    let mut stalled = TcpStream::connect(served.addr).unwrap();
    stalled
        .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .unwrap();
    // A connection that never sends a byte.
    let silent = TcpStream::connect(served.addr).unwrap();
    let limit = Duration::from_secs(15);
    let stalled =
        std::thread::spawn(move || assert_closed_by_server(stalled, limit, "half-sent headers"));
    let silent =
        std::thread::spawn(move || assert_closed_by_server(silent, limit, "a silent connection"));
    let (stalled, silent) = (stalled.join().unwrap(), silent.join().unwrap());
    // The timeout, not something else, closed them: they were left alone a few seconds.
    assert!(
        stalled >= Duration::from_secs(2),
        "closed after {stalled:?}"
    );
    assert!(silent >= Duration::from_secs(2), "closed after {silent:?}");
    // The server still answers.
    assert_eq!(get(served.addr, "/demo/first/").0, 200);
}

#[test]
fn an_idle_kept_alive_connection_is_closed() {
    let site = Site::fixture("mini");
    let served = Served::start(&site);
    let mut stream = TcpStream::connect(served.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /demo/first/ HTTP/1.1\r\nHost: {}\r\n\r\n",
        served.addr
    )
    .unwrap();
    // Read the whole answer (its length is in the head), keeping the connection.
    let mut response = Vec::new();
    let mut buffer = [0u8; 16 * 1024];
    let complete = |response: &[u8]| {
        let head_end = response.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
        let head = String::from_utf8_lossy(&response[..head_end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))?
            .trim()
            .parse()
            .ok()?;
        (response.len() >= head_end + length).then_some(())
    };
    while complete(&response).is_none() {
        let n = stream.read(&mut buffer).unwrap();
        assert!(n > 0, "closed before the answer was complete");
        response.extend_from_slice(&buffer[..n]);
    }
    assert!(response.starts_with(b"HTTP/1.1 200"));
    assert_closed_by_server(
        stream,
        Duration::from_secs(15),
        "an idle kept-alive connection",
    );
}

#[test]
fn the_event_stream_outlives_the_header_timeout() {
    let site = Site::fixture("mini");
    let served = Served::start(&site);
    let mut events = common::subscribe(served.addr);
    let mut line = String::new();
    // Quiet for longer than the header timeout (5 s; the stream's keep-alive comes only
    // every 15 s), then a save: the tab still hears about it.
    std::thread::sleep(Duration::from_secs(8));
    let lesson = "content/demo/001-first.md";
    site.write(lesson, site.read(lesson) + "\nOne more line.\n");
    while !line.starts_with("event: reload") {
        line.clear();
        assert!(
            events.read_line(&mut line).unwrap() > 0,
            "the stream was closed"
        );
    }
}

#[test]
fn the_default_address_is_loopback_only() {
    let site = Site::fixture("mini");
    let served = Served::start(&site);
    assert_eq!(served.addr.ip().to_string(), "127.0.0.1");
    let (status, body) = get(served.addr, "/demo/first/");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("First Steps"));
}

#[test]
fn path_traversal_is_refused_in_every_encoded_form() {
    let site = Site::fixture("mini");
    let secret = "SECRET-OUTSIDE-THE-OUTPUT";
    site.write("secret.txt", secret);
    let served = Served::start(&site);
    let attempts = [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/demo/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/.%2e/secret.txt",
        "/%2e./secret.txt",
        "/..%2fsecret.txt",
        "/..%2Fsecret.txt",
        "/demo/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/%2e%2e%5csecret.txt",
        "/%252e%252e/secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/demo/%00../secret.txt",
        "/site.yaml",
        "/content/demo/001-first.md",
    ];
    for target in attempts {
        let (status, body) = get(served.addr, target);
        let body = String::from_utf8_lossy(&body);
        assert_ne!(status, 200, "{target} was served");
        assert!(!body.contains(secret), "{target} leaked the file");
        assert!(!body.contains("root:x:0"), "{target} leaked /etc/passwd");
        assert!(
            !body.contains("title: Mini Lab"),
            "{target} leaked site.yaml"
        );
    }
    // The server is still up and well.
    assert_eq!(get(served.addr, "/demo/first/").0, 200);
}

/// Thousands of requests from this process (the server is another one): every answer is
/// right, and the server's memory does not keep growing.
#[test]
fn thousands_of_requests_get_answers_without_memory_growth() {
    let site = Site::fixture("mini");
    let served = Served::start(&site);
    let paths = [
        "/",
        "/demo/",
        "/demo/first/",
        "/demo/everything/",
        "/no/such/page/",
    ];
    let round = |requests: usize| {
        let addr = served.addr;
        let threads: Vec<_> = (0..4)
            .map(|t| {
                std::thread::spawn(move || {
                    for i in 0..requests / 4 {
                        let path = paths[(t + i) % paths.len()];
                        let (status, body) = get(addr, path);
                        let expected = if path.starts_with("/no/") { 404 } else { 200 };
                        assert_eq!(status, expected, "{path}");
                        assert!(
                            body.ends_with(b"</html>\n") || body.ends_with(b"</html>"),
                            "{path}: a cut body"
                        );
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
    };
    // Warm up (allocator arenas, caches), then measure over a longer run.
    round(1_000);
    let before = served.rss_kib();
    round(4_000);
    let after = served.rss_kib();
    let growth = after.saturating_sub(before);
    assert!(
        growth < 16 * 1024,
        "the server grew by {growth} KiB over 4,000 requests ({before} -> {after} KiB)"
    );
}
