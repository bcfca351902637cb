//! From saving one lesson to the browser's reload event, with `conceptlab serve` on a
//! (generated) site: the time an author waits after pressing save.
//!
//! ```sh
//! python3 bench/gen_corpus.py --tool conceptlab --pages 1000 --out /tmp/site-1000
//! cargo run --release --example serve_bench -- /tmp/site-1000 [EDITS] [body|add]
//! ```
//!
//! It starts the server in this process on a free loopback port, subscribes to the
//! live-reload event stream like a browser tab, then EDITS times (default 30) changes the
//! site and measures the time from the write to the `reload` event, then how long the
//! search index took to follow (the parts whose records changed are indexed again in the
//! background, until no part is left to build). `body` (the default) appends a sentence
//! to a lesson in the middle of the site: one index part changes. `add` saves a new lesson
//! last in that lesson's course (a copy of it with another title, and its `order` made
//! larger than any other by putting 1000000 in front of it) and then deletes it, timing
//! each: the whole site is rendered again, and one or two index parts change (on a site of
//! 400 lessons or more; a smaller site's even parts all change). The site is restored at
//! the end. Prints the median, min and max of each, and the server's own re-render time.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use conceptlab::serve::{self, ServeOptions};

// The allocator of the `conceptlab` binary, so that the server here runs as `conceptlab
// serve` does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().expect("usage: serve_bench SITE_DIR [EDITS]"));
    let edits: usize = args
        .next()
        .map_or(30, |n| n.parse().expect("EDITS is a number"));
    let adding = match args.next().as_deref() {
        None | Some("body") => false,
        Some("add") => true,
        Some(other) => panic!("the kind of edit is body or add, not {other}"),
    };

    let lesson = pick_lesson(&root);
    let original = std::fs::read_to_string(&lesson).unwrap();
    let rebuilds = Arc::new(Mutex::new(Vec::new()));
    // When the index last arrived.
    let indexed: Arc<Mutex<Option<Instant>>> = Arc::new(Mutex::new(None));
    let started = Instant::now();
    let server = {
        let rebuilds = rebuilds.clone();
        let indexed = indexed.clone();
        serve::start(
            ServeOptions {
                root: root.clone(),
                bind: "127.0.0.1".parse().unwrap(),
                port: 0,
                base_url: None,
                drafts: false,
            },
            Box::new(move |outcome, took| {
                if !outcome.full && !outcome.rendered.is_empty() {
                    rebuilds.lock().unwrap().push(took);
                }
                // The index has caught up once no part is left to build: a new lesson that
                // splits a part first moves the later parts' files (an `indexed` outcome of
                // its own), then the two halves arrive.
                if outcome.indexed && !outcome.indexing {
                    *indexed.lock().unwrap() = Some(Instant::now());
                }
                assert!(outcome.errors.is_empty(), "the site has errors");
            }),
        )
        .expect("the server starts")
    };
    eprintln!(
        "serving {} after {:.2} s; editing {}",
        root.display(),
        started.elapsed().as_secs_f64(),
        lesson.display()
    );

    let mut events = TcpStream::connect(server.addr()).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        events,
        "GET /__conceptlab/events HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.addr()
    )
    .unwrap();
    let mut events = BufReader::new(events);
    wait_for(&mut events, "event: hello");

    let mut times = Vec::new();
    let mut index_times = Vec::new();
    let mut removal_times = Vec::new();
    let mut removal_index_times = Vec::new();
    // The first index, built in the background after the start.
    wait_until(|| indexed.lock().unwrap().is_some());
    // A new lesson beside the edited one, with a title of its own, last in its course
    // (the generated lessons all have an `order`).
    let added = lesson.with_file_name("serve-bench-added.md");
    let added_text = original
        .replacen("title: ", "title: Added by the benchmark, ", 1)
        .replacen("\norder: ", "\norder: 1000000", 1);
    // Saves with `change`, then waits for the reload event and the index; their times go
    // to `times` and `index_times`.
    let mut timed = |change: &dyn Fn(), times: &mut Vec<Duration>, index: &mut Vec<Duration>| {
        // Let the watcher settle so that each save is measured on its own, and drop any
        // event that came meanwhile, so that a late one is never taken for this save's.
        std::thread::sleep(Duration::from_millis(300));
        drain(&mut events);
        let saved = Instant::now();
        change();
        wait_for(&mut events, "event: reload");
        times.push(saved.elapsed());
        let arrived = || indexed.lock().unwrap().filter(|at| *at > saved);
        wait_until(|| arrived().is_some());
        index.extend(arrived().map(|at| at - saved));
    };
    for i in 0..edits {
        if adding {
            timed(
                &|| std::fs::write(&added, &added_text).unwrap(),
                &mut times,
                &mut index_times,
            );
            timed(
                &|| std::fs::remove_file(&added).unwrap(),
                &mut removal_times,
                &mut removal_index_times,
            );
        } else {
            let text = format!("{original}\nEdit number {i} of the benchmark.\n");
            timed(
                &|| std::fs::write(&lesson, &text).unwrap(),
                &mut times,
                &mut index_times,
            );
        }
    }
    std::fs::write(&lesson, original).unwrap();

    let rebuilds = rebuilds.lock().unwrap().clone();
    let save = if adding { "new lesson" } else { "save" };
    report(&format!("{save} -> reload event"), &mut times);
    report("partial re-render (inside)", &mut rebuilds.clone());
    report(&format!("{save} -> search index served"), &mut index_times);
    if adding {
        report("lesson deleted -> reload event", &mut removal_times);
        report(
            "lesson deleted -> search index served",
            &mut removal_index_times,
        );
    }
}

/// Waits up to 30 s for `condition`.
fn wait_until(condition: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !condition() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// A lesson in the middle of the site, so it has neighbours on both sides.
fn pick_lesson(root: &std::path::Path) -> PathBuf {
    let mut lessons: Vec<PathBuf> = walk(&root.join("content"))
        .into_iter()
        .filter(|p| {
            p.extension().is_some_and(|e| e == "md")
                && p.file_name().is_some_and(|n| n != "_course.md")
        })
        .collect();
    lessons.sort();
    assert!(!lessons.is_empty(), "no lessons under {}", root.display());
    lessons[lessons.len() / 2].clone()
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn wait_for(events: &mut BufReader<TcpStream>, wanted: &str) {
    let mut line = String::new();
    loop {
        line.clear();
        let n = events
            .read_line(&mut line)
            .expect("the event stream is open");
        assert!(n > 0, "the event stream closed");
        if line.trim_end() == wanted {
            return;
        }
        assert!(
            !line.starts_with("event: problems"),
            "the edit broke the site"
        );
    }
}

/// Reads and drops whatever the stream has already received.
fn drain(events: &mut BufReader<TcpStream>) {
    events
        .get_ref()
        .set_read_timeout(Some(Duration::from_millis(5)))
        .unwrap();
    let mut line = String::new();
    while events.read_line(&mut line).is_ok_and(|n| n > 0) {
        line.clear();
    }
    events
        .get_ref()
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
}

fn report(what: &str, times: &mut [Duration]) {
    if times.is_empty() {
        println!("{what}: no samples");
        return;
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what}: median {:.1} ms, min {:.1} ms, max {:.1} ms ({} samples)",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    );
}
