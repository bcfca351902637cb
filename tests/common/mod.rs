//! Helpers shared by the integration tests: fixture sites copied into temporary folders,
//! the real `conceptlab` binary run on them, and HTML read through a DOM query crate.
#![allow(dead_code)]

pub mod browser;
pub mod sims;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{Html, Selector};

/// A copy of a fixture site in a temporary folder, free to be changed by a test.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    /// Copies `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Site {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&from, dir.path());
        Site { dir }
    }

    /// A copy of the repository's own example site (`site.yaml` and `content/`), without
    /// its simulation cache.
    pub fn example() -> Site {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(from.join("site.yaml"), dir.path().join("site.yaml")).unwrap();
        copy_dir(&from.join("content"), &dir.path().join("content"));
        Site { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root().join(rel)).unwrap()
    }

    /// Runs `conceptlab build --root <site> <args>`.
    pub fn build(&self, args: &[&str]) -> Run {
        self.build_with_env(args, &[])
    }

    /// [`Site::build`] with environment variables set.
    pub fn build_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut all = vec!["build", "--root", self.root().to_str().unwrap()];
        all.extend_from_slice(args);
        run_with_env(&all, env)
    }

    /// Reads an output page as a DOM.
    pub fn page(&self, rel: &str) -> Page {
        Page::parse(&std::fs::read_to_string(self.public().join(rel)).unwrap())
    }
}

pub struct Run {
    pub status: i32,
    pub stderr: String,
}

pub fn run(args: &[&str]) -> Run {
    run_with_env(args, &[])
}

/// Runs `conceptlab <args>`, which must succeed, and returns what it printed on stdout.
pub fn run_stdout(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_conceptlab"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub fn run_with_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_conceptlab"))
        .args(args)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    Run {
        status: out.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The sections of a lesson page that carry a part of the anatomy, in the page's order.
pub const LESSON_PARTS: [&str; 10] = [
    "theory",
    "tradeoffs",
    "notes",
    "coverage",
    "examples",
    "flow",
    "walkthrough",
    "questions",
    "reorder",
    "flashcards",
];

pub struct Page {
    pub html: Html,
    pub source: String,
}

impl Page {
    pub fn parse(source: &str) -> Page {
        Page {
            html: Html::parse_document(source),
            source: source.to_string(),
        }
    }

    pub fn all(&self, css: &str) -> Vec<scraper::ElementRef<'_>> {
        let selector = Selector::parse(css).unwrap();
        self.html.select(&selector).collect()
    }

    pub fn count(&self, css: &str) -> usize {
        self.all(css).len()
    }

    /// The text of the single element matching `css`.
    pub fn text(&self, css: &str) -> String {
        let found = self.all(css);
        assert_eq!(
            found.len(),
            1,
            "expected one `{css}`, found {}",
            found.len()
        );
        found[0]
            .text()
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Asserts that the page has one `<section>` for each part in [`LESSON_PARTS`].
    pub fn assert_every_part(&self, what: &str) {
        for part in LESSON_PARTS {
            assert_eq!(
                self.count(&format!("section#{part}")),
                1,
                "{what}: no #{part}"
            );
        }
    }

    pub fn attr(&self, css: &str, name: &str) -> String {
        let found = self.all(css);
        assert_eq!(
            found.len(),
            1,
            "expected one `{css}`, found {}",
            found.len()
        );
        found[0].value().attr(name).unwrap_or_default().to_string()
    }
}

/// Every file under `dir` with its bytes, by relative path.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .to_string();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Copies the folder `from` into `to`, every file and folder.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A minimal HTTP/1.1 GET over loopback, `target` sent as it is: the status, the head
/// (status line and headers) and the body's bytes.
pub fn http_get(addr: SocketAddr, target: &str) -> (u16, String, Vec<u8>) {
    http_send(
        addr,
        &format!("GET {target} HTTP/1.1"),
        &[&format!("Host: {addr}")],
    )
}

/// Subscribes to `serve`'s event stream at `addr` and waits for its greeting
/// (`event: hello`), so that what happens next comes after the subscription. A read
/// waits at most 15 s.
pub fn subscribe(addr: SocketAddr) -> std::io::BufReader<TcpStream> {
    use std::io::BufRead;
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(15)))
        .unwrap();
    write!(
        stream,
        "GET /__conceptlab/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    let mut events = std::io::BufReader::new(stream);
    let mut line = String::new();
    while !line.starts_with("event: hello") {
        line.clear();
        assert!(events.read_line(&mut line).unwrap() > 0, "stream closed");
    }
    events
}

/// One request over a fresh connection, sent as it is (`Connection: close` is added to
/// the headers): the status, the head (status line and headers) and the body's bytes.
pub fn http_send(addr: SocketAddr, request_line: &str, headers: &[&str]) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    let mut request = format!("{request_line}\r\n");
    for header in headers.iter().chain(&["Connection: close"]) {
        request.push_str(header);
        request.push_str("\r\n");
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let head_end = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(response.len(), |i| i + 4);
    let head = String::from_utf8_lossy(&response[..head_end]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head, response[head_end..].to_vec())
}
