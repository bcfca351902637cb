//! Code blocks, tables and the code walkthrough as a reader gets them: highlighting that
//! every reader can read (WCAG contrast in light and dark), scrolling blocks and tables
//! that a keyboard can reach and a screen reader can name, walkthrough steps that are
//! steps, and highlighting markup that stays light.

use std::collections::BTreeMap;

use crate::common;

use common::Site;

/// A lesson with code, tables and task lists, added to the `mini` fixture.
const LESSON: &str = r#"---
title: Code and tables
---
## Core Theory

```python
import math

def sigmoid(z):
    # squash to (0, 1)
    return 1.0 / (1.0 + math.exp(-z))   # "quoted" & <escaped>

print([round(sigmoid(x), 3) for x in range(-2, 3)])
```

```
plain text, no language
```

```rust
fn main() { let s = "a\tb"; println!("{s}"); }
```

| `activation` "name" | range |
| --- | --- |
| sigmoid | (0, 1) |

| | no name |
| --- | --- |
| 1 | 2 |

A plan:

- [x] Write the function.
- [ ] Test it.

## Code Walkthrough

What the code does:

- [ ] Define the sigmoid.
- [ ] Print it for five inputs.

```python
def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))
```
"#;

fn built() -> Site {
    let site = Site::fixture("mini");
    site.write("content/demo/005-code.md", LESSON);
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    site
}

const PAGE: &str = "demo/code/index.html";

/// The relative luminance of `#rrggbb` (WCAG 2.2).
fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[1 + 2 * i..3 + 2 * i], 16).unwrap()) / 255.0;
        if c <= 0.040_45 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The value of `property` in a rule's declarations (`color: #abc; ...`).
fn declaration<'a>(body: &'a str, property: &str) -> Option<&'a str> {
    body.split(';').find_map(|d| {
        let (name, value) = d.split_once(':')?;
        (name.trim() == property).then(|| value.trim())
    })
}

/// The rules of a stylesheet whose selector starts with `prefix` (and is not inside a
/// media query when `prefix` is empty): `(selector without the prefix, declarations)`.
fn rules<'a>(css: &'a str, prefix: &str) -> Vec<(&'a str, &'a str)> {
    let mut out = Vec::new();
    let mut rest = css;
    while let Some(open) = rest.find('{') {
        let selector = rest[..open].rsplit(['}', '/']).next().unwrap().trim();
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let body = &rest[open + 1..open + close];
        if selector.starts_with("@media") {
            // Its first rule follows; the media block itself has no declarations.
            rest = &rest[open + 1..];
            continue;
        }
        if let Some(tail) = selector.strip_prefix(prefix) {
            out.push((tail.trim(), body));
        }
        rest = &rest[open + close + 1..];
    }
    out
}

/// For one colour scheme: the code's background and each token class's colour, the
/// scheme's own rules over the light ones (as the cascade does).
fn scheme(light: &str, dark: Option<(&str, &str)>) -> (String, BTreeMap<String, String>) {
    let mut background = String::new();
    let mut colours = BTreeMap::new();
    let mut sheets = vec![(light, "")];
    sheets.extend(dark);
    for (css, prefix) in sheets {
        for (selector, body) in rules(css, prefix) {
            if selector.starts_with(":root") {
                continue;
            }
            if selector == ".code-block pre" {
                background = declaration(body, "background").unwrap().to_string();
                colours.insert(
                    "(plain text)".into(),
                    declaration(body, "color").unwrap().to_string(),
                );
            } else if let Some(class) = selector.strip_prefix(".hl-code .") {
                colours.insert(
                    class.to_string(),
                    declaration(body, "color").unwrap().to_string(),
                );
            }
        }
    }
    (background, colours)
}

fn stylesheet(site: &Site, name: &str) -> String {
    let assets = site.public().join("assets");
    let file = std::fs::read_dir(&assets)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let f = p.file_name().unwrap().to_str().unwrap();
            f.starts_with(name) && f.ends_with(".css")
        })
        .unwrap_or_else(|| panic!("no {name}*.css in {}", assets.display()));
    std::fs::read_to_string(file).unwrap()
}

#[test]
fn every_token_class_reaches_4_5_to_1_on_the_code_background_in_light_and_dark() {
    let site = built();
    let light = stylesheet(&site, "syntax-light.");
    let dark = stylesheet(&site, "syntax-dark.");
    let schemes = [
        ("light", scheme(&light, None)),
        (
            "dark (chosen)",
            scheme(&light, Some((&dark, ":root[data-theme=\"dark\"]"))),
        ),
        (
            "dark (system)",
            scheme(&light, Some((&dark, ":root:not([data-theme=\"light\"])"))),
        ),
    ];
    let mut failures = Vec::new();
    for (name, (background, colours)) in &schemes {
        assert!(background.starts_with('#'), "{name}: no background");
        assert!(colours.len() > 10, "{name}: only {colours:?}");
        for (class, colour) in colours {
            let ratio = contrast(colour, background);
            if ratio < 4.5 {
                failures.push(format!(
                    "{name}: .{class} {colour} on {background} is {ratio:.2}:1"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "under 4.5:1:\n{}", failures.join("\n"));
    // Every class the page uses has a colour of its own in both schemes.
    let page = site.page(PAGE);
    for span in page.all("code.hl-code span") {
        let class = span.value().attr("class").unwrap();
        for (name, (_, colours)) in &schemes {
            assert!(colours.contains_key(class), "{name}: no rule for .{class}");
        }
    }
}

#[test]
fn code_blocks_are_named_focusable_regions_that_keep_their_copy_hook() {
    let site = built();
    let page = site.page(PAGE);
    // lab.js adds the copy button to each `.code-block` and copies its `pre`.
    assert_eq!(page.count("#theory .code-block > pre"), 3);
    assert_eq!(
        page.count(
            "#theory .code-block[data-lang=python] > pre[tabindex=\"0\"][role=region][aria-label=\"Code: python\"] > code.hl-code"
        ),
        1
    );
    assert_eq!(
        page.count("#theory .code-block:not([data-lang]) > pre[tabindex=\"0\"][role=region][aria-label=\"Code\"]"),
        1
    );
    assert_eq!(
        page.count("#walkthrough .code-block > pre[tabindex=\"0\"][role=region]"),
        1
    );
    // The code itself is intact: every character, escaped where it must be.
    let code = page.all("#theory .code-block[data-lang=python] code")[0]
        .text()
        .collect::<String>();
    assert!(code.starts_with("import math\n\ndef sigmoid(z):\n    # squash to (0, 1)\n"));
    assert!(code.contains("   # \"quoted\" & <escaped>\n"), "{code}");
    assert!(page.source.contains("&lt;escaped&gt;"));
}

#[test]
fn tables_scroll_in_named_focusable_regions() {
    let site = built();
    let page = site.page(PAGE);
    let wraps = page.all("#theory .table-wrap");
    assert_eq!(wraps.len(), 2);
    for wrap in &wraps {
        assert_eq!(wrap.value().attr("tabindex"), Some("0"));
        assert_eq!(wrap.value().attr("role"), Some("region"));
    }
    // Named by the first header cell, in plain text; a table without one is "Table".
    assert_eq!(
        wraps[0].value().attr("aria-label"),
        Some("Table: activation \"name\"")
    );
    assert_eq!(wraps[1].value().attr("aria-label"), Some("Table"));
    assert_eq!(page.count("#theory .table-wrap > table"), 2);
}

#[test]
fn the_walkthroughs_task_list_is_numbered_steps_without_checkboxes() {
    let site = built();
    let page = site.page(PAGE);
    assert_eq!(page.count("#walkthrough input"), 0);
    assert_eq!(page.count("#walkthrough ul"), 0);
    let steps: Vec<String> = page
        .all("#walkthrough ol.steps > li")
        .iter()
        .map(|li| li.text().collect::<String>().trim().to_string())
        .collect();
    assert_eq!(steps, ["Define the sigmoid.", "Print it for five inputs."]);
    // The fixture's walkthrough has a ticked step: it is a step like the others.
    let mini = site.page("demo/everything/index.html");
    assert_eq!(mini.count("#walkthrough ol.steps > li"), 2);
    assert_eq!(mini.count("#walkthrough input, #walkthrough .task"), 0);
}

#[test]
fn task_lists_outside_the_walkthrough_have_named_marks_not_bare_checkboxes() {
    let site = built();
    let page = site.page(PAGE);
    assert_eq!(page.count("#theory input"), 0);
    let marks: Vec<_> = page
        .all("#theory li > .task[role=img]")
        .iter()
        .map(|m| m.value().attr("aria-label").unwrap().to_string())
        .collect();
    assert_eq!(marks, ["done", "not done"]);
}

#[test]
fn highlighting_is_one_short_class_per_run_of_a_kind() {
    let site = built();
    let page = site.page(PAGE);
    let spans = page.all("code.hl-code span");
    assert!(spans.len() > 10, "{}", spans.len());
    for span in &spans {
        let class = span.value().attr("class").unwrap();
        assert!(class.len() <= 2 && !class.contains(' '), "class {class:?}");
        assert!(
            span.children().all(|c| c.value().is_text()),
            "a span inside a span"
        );
        let text = span.text().collect::<String>();
        assert!(!text.trim().is_empty(), "a span of blanks");
    }
    // Adjacent spans of one class are one span.
    for span in &spans {
        let next = span.next_sibling().and_then(scraper::ElementRef::wrap);
        assert!(
            next.is_none_or(|n| n.value().attr("class") != span.value().attr("class")),
            "two adjacent spans of class {:?}",
            span.value().attr("class")
        );
    }
    // The walkthrough's block, short and dense: its markup is under six times the code's
    // length (a nested stack of scope classes per token made it about thirty times).
    let code = page.all("#walkthrough code.hl-code")[0];
    let text = code.text().collect::<String>();
    assert!(
        code.inner_html().len() < 6 * text.len(),
        "{} bytes of HTML for {} of code: {}",
        code.inner_html().len(),
        text.len(),
        code.inner_html()
    );
}

#[test]
fn the_same_code_gives_the_same_html_every_build() {
    let site = built();
    let first = site.read("public/demo/code/index.html");
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(first, site.read("public/demo/code/index.html"));
}
