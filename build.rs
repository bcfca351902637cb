//! Build script: the commit that `conceptlab --version` reports, and that `conceptlab init`
//! pins in the Pages workflow for building from source.
//!
//! The commit comes from `CONCEPTLAB_COMMIT` when set (the release workflow sets it), else
//! from `git rev-parse HEAD` in the source folder, else it is "unknown" (a source archive
//! without its history).

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}

fn main() {
    println!("cargo:rerun-if-env-changed=CONCEPTLAB_COMMIT");
    let commit = std::env::var("CONCEPTLAB_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| git(&["rev-parse", "HEAD"]))
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=CONCEPTLAB_COMMIT={commit}");
    // Run again when HEAD moves: a checkout, or a commit on the current branch. (Only
    // files that exist: cargo would rerun on every build for a missing one.)
    if let Some(dir) = git(&["rev-parse", "--absolute-git-dir"]) {
        let mut watch = vec![format!("{dir}/HEAD"), format!("{dir}/packed-refs")];
        if let Some(head) = git(&["symbolic-ref", "-q", "HEAD"]) {
            watch.push(format!("{dir}/{head}"));
        }
        for path in watch.iter().filter(|p| std::path::Path::new(p).exists()) {
            println!("cargo:rerun-if-changed={path}");
        }
    }
}
