//! `site.yaml`: the site-wide settings, and the base URL every emitted link starts with.
//!
//! Owns: `SiteConfig` and its checks, and `BaseUrl`. Never does: read anything but
//! `site.yaml`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::yaml;

/// The name of the site configuration file at the site root.
pub const CONFIG_FILE: &str = "site.yaml";

/// The settings of `site.yaml`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    /// Where the site is served: `/`, a sub-path such as `/course-repo/`, or a full URL
    /// such as `https://user.github.io/course-repo/`.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub author: String,
    /// A custom domain for GitHub Pages, written to the output's `CNAME` file.
    pub cname: Option<String>,
    /// Build the search index and show the search box (on by default).
    #[serde(default = "default_true")]
    pub search: bool,
    /// Sanitize raw HTML in Markdown bodies (for sites that take outside contributions):
    /// formatting stays, script, event handlers, styles and frames go.
    #[serde(default)]
    pub safe_html: bool,
    /// Limits of the simulate stage.
    #[serde(default)]
    pub simulations: SimulationLimits,
    /// How Markdown math is written.
    #[serde(default)]
    pub math: MathConfig,
    /// `check`'s warnings switched on or off by kind (all on by default).
    #[serde(default)]
    pub warnings: Warnings,
}

/// `math:` in site.yaml.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MathConfig {
    /// What `$$...$$` means inside a sentence.
    #[serde(default)]
    pub dollars: Dollars,
    /// The book's own commands, by name (`R`, or `\R`): `R: '\mathbb{R}'`; `#1` to `#9`
    /// stand for a command's arguments.
    #[serde(default)]
    pub macros: BTreeMap<String, String>,
}

/// What `$$...$$` means when text shares its line.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub enum Dollars {
    /// `$...$` is inline and `$$...$$` display math; a display formula in the middle of
    /// a sentence is an error (it would break the sentence in two).
    #[default]
    #[serde(rename = "standard")]
    Standard,
    /// GitBook's convention: `$$...$$` with text on its line is inline math; alone on
    /// its line, display math.
    #[serde(rename = "gitbook")]
    Gitbook,
}

/// The kinds of warning `check` gives, each of which `warnings:` in site.yaml (for the
/// whole site) or in a lesson's front-matter (for that lesson) can switch off.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// A lesson with no text and no parts.
    EmptyLesson,
    /// A lesson without flash cards.
    NoFlashcards,
    /// A lesson without interview questions.
    NoQuestions,
    /// A question without a senior answer.
    NoSeniorAnswer,
    /// A flow of fewer than three steps.
    ShortFlow,
    /// Two flash cards with the same front.
    RepeatedFront,
    /// An image without alt text.
    NoAltText,
    /// Front-matter heading attributes that are dropped.
    DroppedAttributes,
    /// A gap in a course's (or part's) lesson orders.
    OrderGap,
    /// A lesson without front-matter (its title taken from its first heading).
    NoFrontMatter,
}

impl WarningKind {
    /// The name written in `warnings:`.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningKind::EmptyLesson => "empty_lesson",
            WarningKind::NoFlashcards => "no_flashcards",
            WarningKind::NoQuestions => "no_questions",
            WarningKind::NoSeniorAnswer => "no_senior_answer",
            WarningKind::ShortFlow => "short_flow",
            WarningKind::RepeatedFront => "repeated_front",
            WarningKind::NoAltText => "no_alt_text",
            WarningKind::DroppedAttributes => "dropped_attributes",
            WarningKind::OrderGap => "order_gap",
            WarningKind::NoFrontMatter => "no_front_matter",
        }
    }
}

/// `warnings:`: a kind set to `false` is not reported; kinds not named stay on.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Warnings(pub std::collections::BTreeMap<WarningKind, bool>);

impl Warnings {
    /// Whether warnings of `kind` are reported.
    pub fn on(&self, kind: WarningKind) -> bool {
        self.0.get(&kind).copied().unwrap_or(true)
    }
}

/// `simulations:` in site.yaml: how much training a build may do, and how much data a
/// page may carry.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SimulationLimits {
    /// The most estimated work of one simulation, in GFLOP (see docs/simulations.md).
    #[serde(default = "default_max_gflop")]
    pub max_gflop: f64,
    /// The most simulation data one lesson page may carry, in KB.
    #[serde(default = "default_max_page_kb")]
    pub max_page_kb: usize,
    /// The most the simulation cache may hold, in MB: after a build, the files it did not
    /// use go, least recently used first, until the cache is under it (see
    /// `sim::cache::prune`).
    #[serde(default = "default_cache_max_mb")]
    pub cache_max_mb: u64,
    /// The estimated training time one shard should take, in seconds: `conceptlab simulate
    /// --plan` without `--shards` plans as many shards as keep each under it, so a site
    /// whose cold training is shorter plans 1 (and the Pages workflow trains it in the
    /// build job instead of fanning out).
    #[serde(default = "default_shard_seconds")]
    pub shard_seconds: f64,
}

impl Default for SimulationLimits {
    fn default() -> Self {
        SimulationLimits {
            max_gflop: default_max_gflop(),
            max_page_kb: default_max_page_kb(),
            cache_max_mb: default_cache_max_mb(),
            shard_seconds: default_shard_seconds(),
        }
    }
}

fn default_shard_seconds() -> f64 {
    DEFAULT_SHARD_SECONDS
}

/// The default of `simulations.shard_seconds`: ten minutes.
pub const DEFAULT_SHARD_SECONDS: f64 = 600.0;

fn default_cache_max_mb() -> u64 {
    DEFAULT_CACHE_MAX_MB
}

/// The default of `simulations.cache_max_mb`.
pub const DEFAULT_CACHE_MAX_MB: u64 = 500;

fn default_max_gflop() -> f64 {
    DEFAULT_MAX_GFLOP
}

/// The default of `simulations.max_gflop`.
pub const DEFAULT_MAX_GFLOP: f64 = 2000.0;

fn default_max_page_kb() -> usize {
    300
}

fn default_true() -> bool {
    true
}

fn default_base_url() -> String {
    "/".into()
}

fn default_language() -> String {
    "en".into()
}

fn default_theme() -> String {
    "lab".into()
}

impl SiteConfig {
    /// Reads and checks `<root>/site.yaml`; `Err` holds every problem found.
    pub fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| {
                Diagnostic::error(
                    CONFIG_FILE,
                    format!("cannot read the site configuration: {e}"),
                )
                .with_hint(format!(
                    "is {} a conceptlab site? It needs a `{CONFIG_FILE}` with at least `title:`",
                    root.display()
                ))
            })
            .map_err(|e| vec![e])?;
        let text = text.replace("\r\n", "\n");
        let placement = yaml::Placement {
            file_text: &text,
            first_line: 1,
        };
        let config: SiteConfig =
            yaml::parse(&text, Path::new(CONFIG_FILE), placement).map_err(|e| vec![e])?;
        let mut problems = Vec::new();
        let mut macro_errors = Vec::new();
        if let Err(message) = BaseUrl::parse(&config.base_url) {
            problems.push((&["base_url"][..], message, None));
        }
        if !is_language_tag(&config.language) {
            problems.push((
                &["language"][..],
                format!("`{}` is not a language tag", config.language),
                Some("write a BCP 47 tag such as `en`, `de`, `pt-BR` or `zh-Hant`"),
            ));
        }
        if !crate::slug::is_valid_slug(&config.theme) {
            problems.push((
                &["theme"][..],
                format!("`{}` is not a theme name", config.theme),
                Some("use `lab`, or the name of a folder in themes/ (lowercase letters, digits and dashes)"),
            ));
        }
        let macro_problems = crate::render::math::check_macros(&config.math.macros);
        for (key, message) in &macro_problems {
            let (line, column) =
                yaml::position_of(&text, &["math", "macros", key]).unwrap_or((1, 1));
            macro_errors.push(
                Diagnostic::error(CONFIG_FILE, message.clone())
                    .at(&text, crate::diagnostics::Location { line, column })
                    .with_hint(
                        "a macro is a name (letters, or one other character) and the LaTeX \
                         it stands for, quoted: `norm: '\\left\\lVert #1 \\right\\rVert'`; \
                         it may use other macros, but never itself",
                    ),
            );
        }
        let limits = &config.simulations;
        if !(limits.max_gflop.is_finite() && limits.max_gflop > 0.0) {
            problems.push((
                &["simulations", "max_gflop"][..],
                format!(
                    "`simulations.max_gflop` must be a positive number of GFLOP, not {}",
                    limits.max_gflop
                ),
                Some("the default is 2000; raise it to allow larger simulations"),
            ));
        }
        if !(limits.shard_seconds.is_finite() && limits.shard_seconds > 0.0) {
            problems.push((
                &["simulations", "shard_seconds"][..],
                format!(
                    "`simulations.shard_seconds` must be a positive number of seconds, not {}",
                    limits.shard_seconds
                ),
                Some("the default is 600: plan one more shard for each ten minutes of training"),
            ));
        }
        if limits.max_page_kb == 0 {
            problems.push((
                &["simulations", "max_page_kb"][..],
                "`simulations.max_page_kb` must be a positive number of KB".to_string(),
                Some("the default is 300"),
            ));
        }
        if problems.is_empty() && macro_errors.is_empty() {
            return Ok(config);
        }
        Err(problems
            .into_iter()
            .map(|(path, message, hint)| {
                let (line, column) = yaml::position_of(&text, path).unwrap_or((1, 1));
                let d = Diagnostic::error(CONFIG_FILE, message)
                    .at(&text, crate::diagnostics::Location { line, column });
                match hint {
                    Some(hint) => d.with_hint(hint),
                    None => d,
                }
            })
            .chain(macro_errors)
            .collect())
    }
}

/// Whether `tag` has the shape of a BCP 47 language tag (`en`, `pt-BR`, `zh-Hant-TW`,
/// `de-CH-1996`): a language of 2 to 3 letters (or 4 to 8, as registered), then subtags
/// of 1 to 8 letters and digits, at most 35 characters in all. It also keeps the value
/// safe where it becomes part of a file name (the search index's).
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or("");
    tag.len() <= 35
        && (2..=8).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The base URL split into what links need (`path`, always starting and ending with `/`)
/// and what canonical URLs need (`origin`, such as `https://user.github.io`, if known).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BaseUrl {
    pub origin: Option<String>,
    pub path: String,
}

impl BaseUrl {
    pub fn parse(raw: &str) -> Result<BaseUrl, String> {
        let raw = raw.trim();
        let (origin, path) = if let Some(rest) = raw
            .strip_prefix("https://")
            .or_else(|| raw.strip_prefix("http://"))
        {
            let scheme_len = raw.len() - rest.len();
            let host_end = rest.find('/').unwrap_or(rest.len());
            if host_end == 0 {
                return Err(format!("base URL `{raw}` has no host"));
            }
            (
                Some(raw[..scheme_len + host_end].to_string()),
                &rest[host_end..],
            )
        } else if raw.starts_with('/') {
            (None, raw)
        } else {
            return Err(format!(
                "base URL `{raw}` must be a path starting with `/` or a full http(s) URL"
            ));
        };
        // Characters that would end an attribute, a line or an element where the URL is
        // written (HTML, XML, robots.txt) have no place in a base URL.
        let unsafe_char =
            |c: char| c.is_whitespace() || c.is_control() || "\"'<>\\^`{|}".contains(c);
        if let Some(origin) = &origin
            && origin.chars().any(|c| unsafe_char(c) || c == '@')
        {
            return Err(format!(
                "base URL `{raw}` has a host that is not a plain host name"
            ));
        }
        if path.contains(['?', '#'])
            || path.chars().any(unsafe_char)
            || path.split('/').any(|s| s == "..")
        {
            return Err(format!("base URL `{raw}` must be a plain path"));
        }
        let mut path = path.trim_end_matches('/').to_string();
        if !path.starts_with('/') {
            path.insert(0, '/');
        }
        if !path.ends_with('/') {
            path.push('/');
        }
        Ok(BaseUrl { origin, path })
    }

    /// The site-relative `path` (no leading `/`) as a URL under the base path.
    pub fn join(&self, path: &str) -> String {
        format!("{}{}", self.path, path.trim_start_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_normalise_to_a_slash_terminated_path() {
        let b = BaseUrl::parse("https://user.github.io/course-repo").unwrap();
        assert_eq!(b.origin.as_deref(), Some("https://user.github.io"));
        assert_eq!(b.path, "/course-repo/");
        assert_eq!(b.join("ml/neurons/"), "/course-repo/ml/neurons/");
        assert_eq!(BaseUrl::parse("/").unwrap().path, "/");
        assert_eq!(BaseUrl::parse("https://x.org").unwrap().path, "/");
        assert!(BaseUrl::parse("course-repo").is_err());
        assert!(BaseUrl::parse("/a/../b").is_err());
        for bad in [
            "/a\nDisallow:/",
            "https://x.org\"onload=\"/",
            "https://a@b.org/",
            "/a<b/",
        ] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn language_tags_are_bcp_47_shaped() {
        for good in ["en", "de", "pt-BR", "zh-Hant-TW", "de-CH-1996", "sr-Latn"] {
            assert!(is_language_tag(good), "{good}");
        }
        for bad in [
            "",
            "e",
            "../../x/p",
            "en_US",
            "en-",
            "a-very-long-language-tag-made-up-x",
            "en/x",
        ] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }
}
