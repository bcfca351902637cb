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

/// Sets a file's modification time (the cache's record of its last use) to `days` ago.
fn age(path: &Path, days: u64) {
    let when = std::time::SystemTime::now() - std::time::Duration::from_secs(days * 86_400);
    std::fs::File::options()
        .append(true)
        .open(path)
        .unwrap()
        .set_modified(when)
        .unwrap();
}

#[test]
fn old_cache_files_go_least_recently_used_first_and_never_one_in_use() {
    let site = Site::fixture("sims");
    build_ok(&site, &[]);
    let dir = site.root().join(".cache/simulations");
    let in_use: Vec<String> = cache(&site).keys().cloned().collect();
    assert_eq!(in_use.len(), 3);
    // Files of specs no lesson has any more, 0.4 MB each, last used 10 to 50 days ago;
    // the files in use look the oldest of all.
    let old: Vec<String> = (1..=5).map(|i| format!("{:032x}.clsim", i)).collect();
    for (i, name) in old.iter().enumerate() {
        std::fs::write(dir.join(name), vec![7u8; 400_000]).unwrap();
        age(&dir.join(name), 10 * (5 - i as u64));
    }
    for name in &in_use {
        age(&dir.join(name), 400);
    }
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    std::fs::write(dir.join(".tmpLEFT"), "from a killed build").unwrap();
    age(&dir.join(".tmpLEFT"), 2);

    // Under the default cap (500 MB) nothing in use or recent goes; the stale temporary
    // file does.
    let out = build_ok(&site, &[]);
    assert!(out.contains("3 from cache"), "{out}");
    assert!(!dir.join(".tmpLEFT").exists());
    assert_eq!(cache(&site).len(), 3 + 5 + 1);

    // A cap of 1 MB: the least recently used unused files go until the cache fits.
    site.write(
        "site.yaml",
        site.read("site.yaml")
            .replace("max_page_kb: 300 }", "max_page_kb: 300, cache_max_mb: 1 }"),
    );
    let out = build_ok(&site, &[]);
    assert!(out.contains("3 from cache"), "{out}");
    assert!(out.contains("removed 3 old cache files (1.2 MB)"), "{out}");
    let left: Vec<String> = cache(&site).keys().cloned().collect();
    for name in &in_use {
        assert!(left.contains(name), "{name} was in use: {left:?}");
    }
    // The two most recently used of the old ones stay (1 MB holds them and the three in
    // use); the file that is not the cache's stays.
    assert!(left.contains(&old[3]) && left.contains(&old[4]), "{left:?}");
    assert!(!left.contains(&old[0]) && !left.contains(&old[1]) && !left.contains(&old[2]));
    assert!(left.contains(&"notes.txt".to_string()));
    // Reading a file marks it as used now.
    let read = std::fs::metadata(dir.join(&in_use[0]))
        .unwrap()
        .modified()
        .unwrap();
    assert!(read.elapsed().unwrap() < std::time::Duration::from_secs(3600));

    // A cap of 0 keeps only what the build used.
    site.write(
        "site.yaml",
        site.read("site.yaml")
            .replace("cache_max_mb: 1", "cache_max_mb: 0"),
    );
    build_ok(&site, &[]);
    let mut left: Vec<String> = cache(&site).keys().cloned().collect();
    left.retain(|n| n.ends_with(".clsim"));
    assert_eq!(left, in_use);
}
