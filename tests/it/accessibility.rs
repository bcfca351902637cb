//! Accessibility, audited by axe-core in headless Chromium: every page kind of the
//! example course (home, course, every lesson, review, 404), in light and dark, has no
//! critical or serious violation. axe-core comes from npm (`tests/probes/package.json`),
//! installed by the test on first use.

use std::path::Path;

use crate::common;

use common::Site;
use common::browser::probe_json;

/// axe-core's script, installed by npm beside the probes (`npm ci`, run here on first
/// use: the version is pinned by `tests/probes/package-lock.json`).
fn axe() -> String {
    let probes = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/probes");
    let path = probes.join("node_modules/axe-core/axe.min.js");
    if !path.is_file() {
        let status = std::process::Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--prefix"])
            .arg(&probes)
            .status();
        assert!(
            matches!(status, Ok(s) if s.success()),
            "the accessibility test needs axe-core, and `npm ci --prefix tests/probes` failed \
             ({status:?}): install Node.js and npm"
        );
    }
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_page_kind_has_no_critical_or_serious_axe_violation_in_light_and_dark() {
    let site = Site::example();
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let mut pages = vec![
        "/".to_string(),
        "/machine-learning/".to_string(),
        "/review/".to_string(),
        "/404.html".to_string(),
    ];
    let lessons = site.public().join("machine-learning");
    let mut slugs: Vec<String> = std::fs::read_dir(&lessons)
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("index.html").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    slugs.sort();
    assert_eq!(slugs.len(), 7, "{slugs:?}");
    pages.extend(slugs.iter().map(|s| format!("/machine-learning/{s}/")));
    assert_no_serious_violation(&site, &pages);
}

/// axe-core audits `pages` of the built `site` in light and dark: no critical or serious
/// violation on any.
pub fn assert_no_serious_violation(site: &Site, pages: &[String]) {
    site.write("public/__axe.js", axe());
    let options = format!(
        "{{ height: 900, args: {{ pages: {} }} }}",
        serde_json::to_string(&pages).unwrap()
    );
    let found = probe_json(
        &site.public(),
        include_str!("../probes/a11y/axe-finds-no-critical-or-serious-violation.js"),
        &options,
        &[],
    );
    let audited = found.as_object().unwrap();
    assert_eq!(audited.len(), pages.len() * 2, "{found:#}");
    let failing: Vec<_> = audited
        .iter()
        .filter(|(_, v)| !v.as_array().unwrap().is_empty())
        .collect();
    assert!(failing.is_empty(), "{failing:#?}");
}
