//! `conceptlab serve` under hostile and heavy use: every encoded form of path traversal is
//! refused, the default address is loopback only, and a few thousand requests from
//! another process get answers without errors or memory growth.

mod common;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

use common::Site;

/// The server binary, started on a free port with the default address; killed on drop.
struct Served {
    child: Child,
    addr: SocketAddr,
}

impl Served {
    fn start(site: &Site) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_conceptlab"))
            .args(["serve", "--port", "0", "--root"])
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
