//! `safe_html: true` in `site.yaml`: the rendered HTML of Markdown bodies goes through
//! ammonia, so raw HTML from outside contributors can format text but never run script.
//!
//! Owns: the allowlist. It keeps everything the Markdown pipeline itself writes (heading
//! anchors, callouts, tables, highlighted code, footnotes, task lists, MathML) and the
//! harmless formatting tags authors use (`<details>`, `<kbd>`, `<sup>`, ...); it drops
//! scripts, event handlers, `style`, frames, forms and any URL scheme but http(s), mailto
//! and relative URLs. Must never be applied to theme templates (the theme is trusted).

use std::collections::HashSet;
use std::sync::LazyLock;

use ammonia::Builder;

/// MathML elements math-core writes (presentation MathML).
const MATHML_TAGS: &[&str] = &[
    "math",
    "semantics",
    "annotation",
    "mrow",
    "mi",
    "mn",
    "mo",
    "ms",
    "mtext",
    "mspace",
    "msup",
    "msub",
    "msubsup",
    "mfrac",
    "msqrt",
    "mroot",
    "mstyle",
    "mpadded",
    "mphantom",
    "menclose",
    "merror",
    "munder",
    "mover",
    "munderover",
    "mmultiscripts",
    "mprescripts",
    "none",
    "mtable",
    "mtr",
    "mtd",
];

const MATHML_ATTRIBUTES: &[&str] = &[
    "display",
    "mathvariant",
    "mathsize",
    "displaystyle",
    "scriptlevel",
    "stretchy",
    "fence",
    "separator",
    "accent",
    "accentunder",
    "movablelimits",
    "largeop",
    "symmetric",
    "form",
    "lspace",
    "rspace",
    "minsize",
    "maxsize",
    "width",
    "height",
    "depth",
    "voffset",
    "linethickness",
    "notation",
    "columnalign",
    "rowalign",
    "columnspacing",
    "rowspacing",
    "columnlines",
    "rowlines",
    "frame",
    "encoding",
];

/// HTML tags kept besides ammonia's default set (which already holds p, a, lists,
/// tables, headings, code, pre, blockquote, em, strong, img, details, summary, ...).
const EXTRA_TAGS: &[&str] = &["aside", "section", "input", "figure", "figcaption"];

static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::default();
    builder
        .add_tags(EXTRA_TAGS)
        .add_tags(MATHML_TAGS)
        // Classes drive the theme's styling of callouts, code and footnotes; ids carry
        // heading anchors and footnote targets; ARIA and roles keep pages accessible.
        .add_generic_attributes(["class", "id", "role", "title", "lang", "dir"])
        .add_generic_attribute_prefixes(["aria-"])
        .add_tag_attributes("div", ["data-lang", "tabindex"])
        .add_tag_attributes("pre", ["tabindex"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("ol", ["start"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("img", ["loading", "width", "height"])
        .add_tag_attributes("a", ["href"])
        // Our own links carry no rel; an author's external links keep working as written.
        .link_rel(None)
        .url_schemes(HashSet::from(["http", "https", "mailto"]));
    for tag in MATHML_TAGS {
        builder.add_tag_attributes(tag, MATHML_ATTRIBUTES);
    }
    // `style` on table cells carries only alignment; anything else in it is dropped.
    builder.attribute_filter(|element, attribute, value| {
        if attribute == "style" {
            let alignment = matches!(element, "th" | "td")
                && matches!(
                    value,
                    "text-align: left" | "text-align: center" | "text-align: right"
                );
            return alignment.then(|| value.into());
        }
        if element == "input" && attribute == "type" {
            return (value == "checkbox").then(|| value.into());
        }
        // Code blocks and tables that scroll sideways are focusable regions (keyboard
        // users scroll them); only in the tab order, never ahead of it.
        if attribute == "tabindex" {
            return (value == "0").then(|| value.into());
        }
        Some(value.into())
    });
    builder
});

/// How deeply elements may nest in HTML that is sanitized. The HTML parser checks the
/// open elements at every tag, so its work grows with the square of the depth; browsers
/// stop nesting at 512 levels too (deeper elements become siblings).
pub const MAX_DEPTH: usize = 512;

/// The sanitized form of `html`, a fragment of body content; or why it cannot be, when
/// it nests deeper than [`MAX_DEPTH`].
pub fn sanitize(html: &str) -> Result<String, String> {
    if nesting(html) > MAX_DEPTH {
        return Err(format!(
            "the page's HTML nests elements more than {MAX_DEPTH} levels deep, which \
             `safe_html: true` cannot check in reasonable time (browsers stop nesting at 512)"
        ));
    }
    Ok(SANITIZER.clean(html).to_string())
}

/// An estimate, from the tags alone, of how deeply `html`'s elements nest: start tags
/// open a level and end tags close one, except void elements, self-closing tags and the
/// elements whose end tag may be left out (`<p>`, `<li>`, table parts), which the parser
/// closes by itself and which therefore never nest by repetition.
fn nesting(html: &str) -> usize {
    const IMPLIED_END: &[&str] = &[
        "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "tbody", "thead", "tfoot",
        "colgroup", "rt", "rp", "area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr",
    ];
    let mut depth: usize = 0;
    let mut deepest = 0;
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(at) = html[i..].find('<') {
        let start = i + at + 1;
        let closing = bytes.get(start) == Some(&b'/');
        let name_start = start + usize::from(closing);
        let name_len = html[name_start..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        i = name_start + name_len;
        if name_len == 0 {
            continue;
        }
        let name = html[name_start..i].to_ascii_lowercase();
        if IMPLIED_END.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            let tag_end = html[i..].find('>').map_or(html.len(), |e| i + e);
            if !html[i..tag_end].ends_with('/') {
                depth += 1;
                deepest = deepest.max(depth);
            }
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::{MAX_DEPTH, nesting};

    fn sanitize(html: &str) -> String {
        super::sanitize(html).unwrap()
    }

    #[test]
    fn html_nested_past_the_limit_is_refused_and_implied_ends_do_not_count() {
        let deep = format!("{}x{}", "<div>".repeat(100_000), "</div>".repeat(100_000));
        assert!(
            super::sanitize(&deep)
                .unwrap_err()
                .contains("more than 512 levels")
        );
        assert_eq!(nesting("<div><p>a<p>b<br><img src=x><span/></div>"), 1);
        assert!(nesting(&"<p>a<li>b".repeat(10_000)) <= 1);
        let at_limit = format!("{}x{}", "<em>".repeat(MAX_DEPTH), "</em>".repeat(MAX_DEPTH));
        assert!(super::sanitize(&at_limit).is_ok());
    }

    #[test]
    fn script_and_its_disguises_are_removed() {
        for bad in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<svg><script>alert(1)</script></svg>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
            "<p style=\"background:url(javascript:alert(1))\">x</p>",
            "<form action=\"https://evil.example\"><button>go</button></form>",
            "<object data=\"x.swf\"></object>",
            "<div onclick=\"alert(1)\">x</div>",
        ] {
            let out = sanitize(bad);
            for needle in [
                "<script",
                "onerror",
                "javascript:",
                "<iframe",
                "onclick",
                "<form",
                "<object",
                "style=",
            ] {
                assert!(!out.to_ascii_lowercase().contains(needle), "{bad} -> {out}");
            }
        }
    }

    #[test]
    fn tabindex_is_kept_only_as_0_and_only_on_pre_and_div() {
        assert_eq!(
            sanitize(
                "<pre tabindex=\"-1\">a</pre><div tabindex=\"5\">b</div><p tabindex=\"0\">c</p>"
            ),
            "<pre>a</pre><div>b</div><p>c</p>"
        );
        // An author's own `<div tabindex="0">` is kept: one more stop in the tab order,
        // never ahead of it.
        assert_eq!(
            sanitize("<div tabindex=\"0\">d</div>"),
            "<div tabindex=\"0\">d</div>"
        );
    }

    #[test]
    fn the_pipelines_own_markup_survives() {
        let keep = [
            "<h2 id=\"core-theory\">Core Theory<a class=\"anchor\" href=\"#core-theory\" aria-label=\"Link to this section\">#</a></h2>",
            "<aside class=\"callout callout-note\" role=\"note\" aria-label=\"Note\"><p class=\"callout-title\">Note</p></aside>",
            "<div class=\"code-block\" data-lang=\"rust\"><pre tabindex=\"0\" role=\"region\" aria-label=\"Code: rust\"><code class=\"hl-code\"><span class=\"k\">fn</span></code></pre></div>",
            "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Table: a\"><table></table></div>",
            "<math display=\"block\"><mrow><mi>y</mi><mo>=</mo><mfrac><mn>1</mn><mn>2</mn></mfrac></mrow></math>",
            "<table><thead><tr><th style=\"text-align: right\">a</th></tr></thead></table>",
            "<ul><li><input type=\"checkbox\" disabled=\"\" checked=\"\"> done</li></ul>",
            "<ul><li><span class=\"task\" role=\"img\" aria-label=\"done\">☑</span> done</li></ul>",
            "<details><summary>More</summary><p>Text with <kbd>Ctrl</kbd>.</p></details>",
            "<a href=\"../other/#x\">relative</a> <a href=\"https://example.com/\">out</a>",
        ];
        for html in keep {
            assert_eq!(sanitize(html), html);
        }
    }
}
