//! Training spread over shards (`conceptlab simulate`): the plan assigns every simulation
//! the cache lacks to one shard, balanced by estimated work; N shard processes, each in a
//! folder of its own, train disjoint sets of cache files; their caches merged by copying,
//! a build trains nothing and writes the same bytes as a build that trained alone, for
//! N = 1, 2, 3 and 7. Shard arguments out of range are refused.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::common::{self, Site, run};

/// The simulation fixture with five more lessons of one small sweep each: 8 simulations.
pub(crate) fn site_of_eight() -> Site {
    let site = Site::fixture("sims");
    for i in 1..=5 {
        site.write(
            &format!("content/lab/00{}-extra-{i}.md", i + 1),
            format!(
                "---\ntitle: Extra {i}\nsimulations:\n  - id: sweep\n    kind: sweep\n    dataset: {{ kind: circle, n: {} }}\n    hidden: [3]\n    epochs: {}\n    resolution: 6\n    grid: {{ lr: [0.1, 0.3] }}\nwidgets:\n  - {{ kind: sweep-explorer, simulation: sweep }}\n---\nText {i}.\n",
                60 + 20 * i,
                10 * i
            ),
        );
    }
    site
}

fn cache_files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    common::tree(&root.join(".cache/simulations"))
}

fn simulate(root: &Path, args: &[&str]) -> common::Run {
    let mut all = vec!["simulate", "--root", root.to_str().unwrap()];
    all.extend_from_slice(args);
    run(&all)
}

/// A build of `root` into `out`: the output's files (but the marker) and what it printed.
fn build_into(root: &Path, out: &Path) -> (BTreeMap<String, Vec<u8>>, String) {
    let made = run(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(made.status, 0, "{}", made.stderr);
    let mut files = common::tree(out);
    files.remove(conceptlab::write::MARKER);
    (files, made.stderr)
}

#[test]
fn the_plan_assigns_each_simulation_once_and_balances_the_work() {
    let site = site_of_eight();
    let planned = std::process::Command::new(env!("CARGO_BIN_EXE_conceptlab"))
        .args(["simulate", "--root", site.root().to_str().unwrap()])
        .args(["--plan", "--shards", "3", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        planned.status.success(),
        "{}",
        String::from_utf8_lossy(&planned.stderr)
    );
    let plan: serde_json::Value = serde_json::from_slice(&planned.stdout).unwrap();
    let sims = plan["simulations"].as_array().unwrap();
    assert_eq!(sims.len(), 8, "{plan}");
    assert_eq!(plan["cached"], 0);
    let keys: BTreeSet<&str> = sims
        .iter()
        .map(|s| s["cache_key"].as_str().unwrap())
        .collect();
    assert_eq!(keys.len(), 8);
    let shards = plan["shards"].as_array().unwrap();
    assert_eq!(shards.len(), 3);
    let count: u64 = shards
        .iter()
        .map(|s| s["simulations"].as_u64().unwrap())
        .sum();
    assert_eq!(count, 8);
    // Longest first, to the least loaded: no shard exceeds another by more than the
    // largest simulation.
    let loads: Vec<f64> = shards
        .iter()
        .map(|s| s["gflop"].as_f64().unwrap())
        .collect();
    let largest = sims
        .iter()
        .map(|s| s["gflop"].as_f64().unwrap())
        .fold(0.0, f64::max);
    let (lo, hi) = (
        loads.iter().cloned().fold(f64::MAX, f64::min),
        loads.iter().cloned().fold(0.0, f64::max),
    );
    assert!(hi - lo <= largest + 1e-12, "{loads:?}, largest {largest}");

    // Once trained, nothing is left to plan.
    let built = site.build(&[]);
    assert_eq!(built.status, 0, "{}", built.stderr);
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_conceptlab"))
        .args([
            "simulate",
            "--root",
            site.root().to_str().unwrap(),
            "--plan",
        ])
        .output()
        .unwrap();
    assert!(again.status.success());
    let text = String::from_utf8_lossy(&again.stdout);
    assert!(
        text.starts_with("0 simulations to train (8 in the cache already), in 1 shard:"),
        "{text}"
    );
}

#[test]
fn shards_trained_apart_and_merged_build_what_one_process_builds() {
    let site = site_of_eight();
    let work = tempfile::tempdir().unwrap();
    // The reference: one process trains everything.
    let alone = work.path().join("alone");
    common::copy_dir(site.root(), &alone);
    let (reference, _) = build_into(&alone, &work.path().join("alone-out"));

    for n in [1usize, 2, 3, 7] {
        let mut merged: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        for i in 1..=n {
            let folder = work.path().join(format!("n{n}-shard{i}"));
            common::copy_dir(site.root(), &folder);
            let trained = simulate(&folder, &["--shard", &format!("{i}/{n}")]);
            assert_eq!(trained.status, 0, "{}", trained.stderr);
            for (name, bytes) in cache_files(&folder) {
                // No file is written by two shards.
                assert!(
                    merged.insert(name.clone(), bytes).is_none(),
                    "{name} twice, n = {n}"
                );
            }
        }
        assert_eq!(merged.len(), 8, "n = {n}: {:?}", merged.keys());
        let target = work.path().join(format!("n{n}-merged"));
        common::copy_dir(site.root(), &target);
        for (name, bytes) in &merged {
            let path = target.join(".cache/simulations").join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        let (built, printed) = build_into(&target, &work.path().join(format!("n{n}-out")));
        assert!(
            printed.contains("Simulations: 0 trained (0 networks), 8 from cache"),
            "n = {n}: {printed}"
        );
        assert!(
            built == reference,
            "n = {n}: the output differs from a build that trained alone"
        );
    }
}

#[test]
fn a_shard_out_of_range_is_refused() {
    let site = site_of_eight();
    for (arg, says) in [
        ("5/4", "numbered 1 to 4"),
        ("0/4", "numbered 1 to 4"),
        ("0/0", "at least 1 shard"),
        ("two/4", "expected I/N"),
    ] {
        let refused = simulate(site.root(), &["--shard", arg]);
        assert_eq!(refused.status, 2, "{arg}: {}", refused.stderr);
        assert!(refused.stderr.contains(says), "{arg}: {}", refused.stderr);
    }
    assert!(!site.root().join(".cache").exists(), "nothing was trained");
}
