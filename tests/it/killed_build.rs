//! A build killed at any moment (SIGKILL: no chance to clean up) leaves the previous
//! output complete and unchanged, and the next build removes what the killed one left.

use crate::common;

use std::process::{Command, Stdio};
use std::time::Instant;

use common::{Site, tree};

/// A site big enough for a build to take a while: 120 lessons with code and math.
fn big_site() -> Site {
    let site = Site::fixture("mini");
    for i in 10..130 {
        let mut body = String::from("## Core Theory\n\n");
        for k in 0..12 {
            body.push_str(&format!(
                "Paragraph {k} of lesson {i}, with $x_{k} = w x + b$ and `code`.\n\n\
                 ```rust\nfn f{k}(x: f64) -> f64 {{\n    x * {k}.0 + 1.0\n}}\n```\n\n"
            ));
        }
        site.write(
            &format!("content/demo/{i:03}-lesson-{i}.md"),
            format!("---\ntitle: Lesson {i}\nflashcards:\n  - {{ front: F{i}, back: B{i} }}\n---\n{body}"),
        );
    }
    site
}

#[test]
fn a_killed_build_leaves_the_previous_output_as_it_was() {
    let site = big_site();
    let first = site.build(&[]);
    assert_eq!(first.status, 0, "{}", first.stderr);
    let before = tree(&site.public());
    // The next build has something to write: every lesson page changes.
    site.write(
        "content/demo/001-first.md",
        "---\ntitle: First, renamed\n---\nNew text.\n",
    );

    let started = Instant::now();
    let full = site.build(&[]);
    let duration = started.elapsed();
    assert_eq!(full.status, 0);
    let after_full = tree(&site.public());
    assert_ne!(after_full, before);
    // Put the previous output back and kill builds at moments spread over a build.
    std::fs::remove_dir_all(site.public()).unwrap();
    for (rel, bytes) in &before {
        let path = site.public().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    let mut unchanged = 0;
    for step in 0..12u32 {
        let delay = duration.mul_f64(f64::from(step) / 12.0);
        let mut child = Command::new(env!("CARGO_BIN_EXE_conceptlab"))
            .args(["build", "--quiet", "--root", site.root().to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let now = tree(&site.public());
        // Either the kill came first and the old site is intact, or the build had
        // already swapped the new site in, complete: never a mixture.
        if now == before {
            unchanged += 1;
        } else {
            assert_eq!(now, after_full, "killed after {delay:?}: a partial site");
            return finish(&site, unchanged);
        }
    }
    finish(&site, unchanged);
}

fn finish(site: &Site, unchanged: u32) {
    assert!(unchanged > 0, "no kill landed before the build finished");
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".conceptlab-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
