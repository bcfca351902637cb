//! The simulation cache in `<site>/.cache/simulations/`: a second build trains nothing,
//! a changed spec retrains only itself, a reformatted spec still hits, a damaged file is
//! reported and retrained to the same bytes, `--no-cache` retrains everything, and the
//! artifacts are byte-identical on 1 and 2 threads.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::{Site, tree};

const TINY: &str = "content/lab/001-tiny.md";

fn cache(site: &Site) -> BTreeMap<String, Vec<u8>> {
    tree(&site.root().join(".cache/simulations"))
}

fn build_ok(site: &Site, args: &[&str]) -> String {
    let out = site.build(args);
    assert_eq!(out.status, 0, "{}", out.stderr);
    out.stderr
}

#[test]
fn a_second_build_reads_every_simulation_from_the_cache() {
    let site = Site::fixture("sims");
    let first = build_ok(&site, &[]);
    assert!(
        first.contains("Simulations: 3 trained (15 networks), 0 from cache"),
        "{first}"
    );
    assert!(
        first.contains("training lab/tiny#sweep: 4 networks"),
        "{first}"
    );
    assert!(first.contains("data per page: lab/tiny "), "{first}");
    let files = cache(&site);
    assert_eq!(files.len(), 3, "{:?}", files.keys());
    let second = build_ok(&site, &[]);
    assert!(
        second.contains("Simulations: 0 trained (0 networks), 3 from cache"),
        "{second}"
    );
    assert!(!second.contains("training "), "{second}");
    assert_eq!(cache(&site), files);
}

#[test]
fn a_changed_spec_retrains_only_itself_and_a_reformatted_one_still_hits() {
    let site = Site::fixture("sims");
    build_ok(&site, &[]);
    let text = site.read(TINY);
    // Defaults written out and keys reordered: the same simulation.
    site.write(
        TINY,
        text.replace(
            "    hidden: [4]\n    epochs: 30\n    resolution: 8\n    grid:",
            "    epochs: 30\n    hidden:\n      - 4\n    optimizer: adam\n    resolution: 8\n    grid:",
        ),
    );
    let same = build_ok(&site, &[]);
    assert!(
        same.contains("0 trained (0 networks), 3 from cache"),
        "{same}"
    );
    // A real change.
    site.write(
        TINY,
        text.replace("lr: [0.03, 0.3]", "lr: [0.03, 0.1]")
            .replace("default: { lr: 0.3 }", ""),
    );
    let changed = build_ok(&site, &[]);
    assert!(
        changed.contains("1 trained (4 networks), 2 from cache"),
        "{changed}"
    );
    assert!(changed.contains("training lab/tiny#sweep"), "{changed}");
}

#[test]
fn a_damaged_cache_file_is_reported_and_retrained_to_the_same_bytes() {
    let site = Site::fixture("sims");
    build_ok(&site, &[]);
    let before = cache(&site);
    let (name, bytes) = before.iter().next().unwrap();
    let path = site.root().join(".cache/simulations").join(name);
    let mut damaged = bytes.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x5a;
    std::fs::write(&path, &damaged).unwrap();
    let out = build_ok(&site, &[]);
    assert!(
        out.contains("warning: the cached simulation lab/tiny#"),
        "{out}"
    );
    assert!(
        out.contains("is damaged (its checksum does not match); training it again"),
        "{out}"
    );
    assert!(out.contains("1 trained"), "{out}");
    assert_eq!(cache(&site), before, "retrained to the same bytes");
    // A truncated file too.
    std::fs::write(&path, &bytes[..10]).unwrap();
    let out = build_ok(&site, &[]);
    assert!(out.contains("is damaged"), "{out}");
    assert_eq!(cache(&site), before);
}

#[test]
fn no_cache_retrains_everything_and_rewrites_the_cache() {
    let site = Site::fixture("sims");
    build_ok(&site, &[]);
    let before = cache(&site);
    let out = build_ok(&site, &["--no-cache"]);
    assert!(
        out.contains("3 trained (15 networks), 0 from cache"),
        "{out}"
    );
    assert_eq!(cache(&site), before);
}

fn build_with_threads(root: &Path, threads: &str) {
    let out = Command::new(env!("CARGO_BIN_EXE_conceptlab"))
        .args([
            "build",
            "--quiet",
            "--no-cache",
            "--root",
            root.to_str().unwrap(),
        ])
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn artifacts_are_byte_identical_on_one_and_two_threads() {
    let one = Site::fixture("sims");
    let two = Site::fixture("sims");
    build_with_threads(one.root(), "1");
    build_with_threads(two.root(), "2");
    let (a, b) = (cache(&one), cache(&two));
    assert_eq!(a.len(), 3);
    assert_eq!(a, b);
}

#[test]
fn a_theme_that_cannot_be_read_is_reported_after_training_as_broken_templates_are() {
    let site = Site::fixture("sims");
    let config = site.read("site.yaml");
    site.write("site.yaml", format!("{config}theme: nowhere\n"));
    let out = site.build(&[]);
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("unknown theme `nowhere`"),
        "{}",
        out.stderr
    );
    // A render problem: the simulations trained and are in the cache for the next build.
    assert!(
        out.stderr.contains("training lab/tiny#sweep: 4 networks"),
        "{}",
        out.stderr
    );
    assert_eq!(cache(&site).len(), 3);
    assert!(!site.public().exists());
}
