//! `safe_html: true` and the files of course folders: a course's images and data are
//! published as they are, on the site's origin, so a file that a browser runs as a page
//! (HTML, or an SVG with script) would run its script there, with the reader's stored
//! progress in reach.
//!
//! Owns: which course files are refused and the SVG allowlist. HTML-like files are
//! refused outright; an SVG is accepted when every element is a drawing element of the
//! allowlist and no attribute is an event handler or a script URL. Nothing is rewritten:
//! a file is published byte for byte or the build fails naming it. Never applied to
//! `static/` or themes, which are the site owner's, like templates.

use std::borrow::Cow;
use std::path::Path;

use quick_xml::XmlVersion;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

/// Extensions of files a browser shows as a page of the site: refused under `safe_html`.
const PAGE_EXTENSIONS: &[&str] = &[
    "html", "htm", "xhtml", "xht", "shtml", "xml", "xsl", "xslt", "mht", "mhtml", "svgz",
];

/// SVG elements that only draw: everything an editor (Inkscape, draw.io, matplotlib)
/// writes for a diagram. `script`, `foreignObject` (which holds HTML) and `set` are not
/// among them.
const SVG_ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "defs",
    "desc",
    "title",
    "metadata",
    "symbol",
    "use",
    "switch",
    "view",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "textPath",
    "image",
    "a",
    "style",
    "linearGradient",
    "radialGradient",
    "stop",
    "pattern",
    "clipPath",
    "mask",
    "marker",
    "filter",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feConvolveMatrix",
    "feDiffuseLighting",
    "feDisplacementMap",
    "feDistantLight",
    "feDropShadow",
    "feFlood",
    "feFuncA",
    "feFuncB",
    "feFuncG",
    "feFuncR",
    "feGaussianBlur",
    "feImage",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "fePointLight",
    "feSpecularLighting",
    "feSpotLight",
    "feTile",
    "feTurbulence",
    "animate",
    "animateMotion",
    "animateTransform",
    "mpath",
];

/// The XHTML namespace: its elements inside an SVG (`<html:script>`) are HTML.
const XHTML: &str = "http://www.w3.org/1999/xhtml";

/// The SVG namespace.
const SVG: &str = "http://www.w3.org/2000/svg";

/// Why the course file `path` may not be published under `safe_html`, if it may not:
/// the message and a hint.
pub fn refusal(path: &Path) -> Option<(String, &'static str)> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if PAGE_EXTENSIONS.contains(&extension.as_str()) {
        return Some((
            format!(
                "with `safe_html: true`, course folders may not hold .{extension} files: a \
                 browser opens them as a page of the site, where their script would run"
            ),
            "put files the site owner vouches for in `static/`, or remove this one",
        ));
    }
    if extension == "svg" {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => return Some((format!("cannot read: {e}"), "check the file's permissions")),
        };
        return check_svg(&bytes).err().map(|why| {
            (
                format!(
                    "with `safe_html: true`, this SVG is refused: {why}; an SVG opened on its \
                     own runs its script on the site"
                ),
                "remove what the message names (a drawing needs no script), or convert it to PNG",
            )
        });
    }
    None
}

/// Accepts an SVG that only draws; otherwise says what it holds that is not allowed.
pub fn check_svg(bytes: &[u8]) -> Result<(), String> {
    let mut reader = NsReader::from_reader(bytes);
    let mut buf = Vec::new();
    loop {
        let (namespace, event) = reader
            .read_resolved_event_into(&mut buf)
            .map_err(|e| format!("it is not well-formed XML ({e})"))?;
        match event {
            Event::Start(element) | Event::Empty(element) => {
                let local = element.local_name().into_inner().to_string();
                let allowed = match namespace {
                    ResolveResult::Bound(ns) if ns.into_inner() == XHTML => false,
                    // Editors' own namespaces (inkscape:, sodipodi:, rdf:) are ignored by
                    // browsers; the SVG namespace, or none, must be drawing elements.
                    ResolveResult::Bound(ns) if ns.into_inner() != SVG => true,
                    _ => SVG_ELEMENTS.contains(&local.as_str()),
                };
                if !allowed {
                    return Err(format!("it has a `<{local}>` element"));
                }
                for attribute in element.attributes() {
                    let attribute =
                        attribute.map_err(|e| format!("it has a malformed attribute ({e})"))?;
                    let name = attribute.key.local_name().into_inner().to_string();
                    let value = attribute
                        .normalized_value(XmlVersion::Implicit1_0)
                        .unwrap_or(Cow::Borrowed(""));
                    check_attribute(&local, &name, &value)?;
                }
            }
            Event::DocType(doctype) if doctype.contains('[') => {
                return Err("its DOCTYPE declares entities".into());
            }
            Event::PI(pi) if pi.target().eq_ignore_ascii_case("xml-stylesheet") => {
                return Err("it names a stylesheet (`<?xml-stylesheet?>`)".into());
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

/// An event handler, a script URL, or an animation that rewrites a link: refused.
fn check_attribute(element: &str, name: &str, value: &str) -> Result<(), String> {
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("on") {
        return Err(format!("`<{element}>` has an event handler `{name}`"));
    }
    let animates_link = matches!(element, "animate" | "set")
        && lower == "attributename"
        && value.trim().to_ascii_lowercase().ends_with("href");
    if animates_link {
        return Err(format!("`<{element}>` changes a link"));
    }
    if matches!(lower.as_str(), "href" | "src") {
        let scheme: String = value
            .chars()
            .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
            .take_while(|c| *c != ':')
            .collect::<String>()
            .to_ascii_lowercase();
        if value.contains(':') && matches!(scheme.as_str(), "javascript" | "vbscript" | "data") {
            return Err(format!("`<{element}>` links to a `{scheme}:` URL"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPEN: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" \
                        xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 10 10\">";

    #[test]
    fn drawings_pass() {
        let svg = format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \
             \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n{OPEN}<title>A</title>\
             <defs><linearGradient id=\"g\"><stop offset=\"0\"/></linearGradient></defs>\
             <style>.a {{ fill: red; }}</style>\
             <g class=\"a\"><rect width=\"5\" height=\"5\" fill=\"url(#g)\"/>\
             <use xlink:href=\"#g\"/><a href=\"https://example.com/\"><text>hi</text></a></g>\
             <sodipodi:namedview xmlns:sodipodi=\"http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd\"/>\
             <animate attributeName=\"opacity\" to=\"0\"/></svg>"
        );
        assert_eq!(check_svg(svg.as_bytes()), Ok(()));
    }

    #[test]
    fn script_in_every_disguise_is_refused() {
        for bad in [
            format!("{OPEN}<script>alert(1)</script></svg>"),
            format!("{OPEN}<SCRIPT>alert(1)</SCRIPT></svg>"),
            format!("{OPEN}<rect onload=\"alert(1)\"/></svg>"),
            format!("{OPEN}<g ONCLICK=\"alert(1)\"/></svg>"),
            format!("{OPEN}<a href=\" java&#x09;script:alert(1)\"><text>x</text></a></svg>"),
            format!("{OPEN}<a xlink:href=\"JavaScript:alert(1)\"><text>x</text></a></svg>"),
            format!(
                "{OPEN}<foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\">x</div></foreignObject></svg>"
            ),
            format!(
                "{OPEN}<h:script xmlns:h=\"http://www.w3.org/1999/xhtml\">alert(1)</h:script></svg>"
            ),
            format!(
                "{OPEN}<g xmlns=\"http://www.w3.org/1999/xhtml\"><script>alert(1)</script></g></svg>"
            ),
            format!("{OPEN}<set attributeName=\"href\" to=\"javascript:alert(1)\"/></svg>"),
            format!(
                "{OPEN}<animate attributeName=\"xlink:href\" values=\"javascript:alert(1)\"/></svg>"
            ),
            format!("{OPEN}<iframe src=\"https://evil.example\"/></svg>"),
            format!("<?xml-stylesheet type=\"text/xsl\" href=\"x.xsl\"?>{OPEN}</svg>"),
            format!("<!DOCTYPE svg [<!ENTITY x \"<script>alert(1)</script>\">]>{OPEN}&x;</svg>"),
            format!("{OPEN}<rect"),
        ] {
            assert!(check_svg(bad.as_bytes()).is_err(), "accepted: {bad}");
        }
    }

    #[test]
    fn html_files_are_refused_by_extension() {
        assert!(refusal(Path::new("c/page.html")).is_some());
        assert!(refusal(Path::new("c/page.XHTML")).is_some());
        assert!(refusal(Path::new("c/figure.png")).is_none());
    }
}
