//! The authoring commands on the command line: flags are documented in `--help`, bad
//! combinations are refused with status 2, and `conceptlab serve` as a process listens
//! on 127.0.0.1 by default and serves the site.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::Site;

fn conceptlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_conceptlab"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn every_flag_is_explained_in_help() {
    let cases: [(&[&str], &[&str]); 5] = [
        (
            &["serve", "--help"],
            &[
                "--port",
                "--bind",
                "--open",
                "--base-url",
                "--drafts",
                "[default: 127.0.0.1]",
            ],
        ),
        (
            &["check", "--help"],
            &[
                "--strict",
                "--external",
                "--timeout",
                "--format",
                "--drafts",
            ],
        ),
        (&["init", "--help"], &["--force", "[DIR]"]),
        (&["new", "lesson", "--help"], &["--course", "<TITLE>"]),
        (&["build", "--help"], &["--format", "--no-cache"]),
    ];
    for (args, flags) in cases {
        let out = conceptlab(args);
        assert!(out.status.success(), "{args:?}");
        let help = String::from_utf8_lossy(&out.stdout);
        for flag in flags {
            assert!(
                help.contains(flag),
                "`{}` lacks {flag}:\n{help}",
                args.join(" ")
            );
        }
    }
}

#[test]
fn a_bad_command_line_exits_with_status_two() {
    assert_eq!(
        conceptlab(&["check", "--timeout", "3"]).status.code(),
        Some(2)
    );
    assert_eq!(
        conceptlab(&["check", "--format", "xml"]).status.code(),
        Some(2)
    );
    assert_eq!(conceptlab(&["new", "lesson", "T"]).status.code(), Some(2));
}

#[test]
fn serve_listens_on_loopback_and_serves_the_site() {
    let site = Site::fixture("mini");
    let mut child = Command::new(env!("CARGO_BIN_EXE_conceptlab"))
        .args(["serve", "--port", "0", "--root"])
        .arg(site.root())
        .env("NO_COLOR", "1")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let url = loop {
        match received.recv_timeout(Duration::from_secs(30)) {
            Ok(line) => {
                if let Some(rest) = line.strip_prefix("Serving http://") {
                    break rest.split_whitespace().next().unwrap().to_string();
                }
            }
            Err(e) => {
                let _ = child.kill();
                panic!("serve did not start: {e}");
            }
        }
    };
    let host = url.trim_end_matches('/');
    assert!(host.starts_with("127.0.0.1:"), "{host}");
    let mut stream = TcpStream::connect(host).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /demo/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    let _ = child.kill();
    let _ = child.wait();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("Demo Course"));
    assert!(!site.public().exists());
}
