//! Where the URLs of raw HTML are, so that a lesson's `<img src="images/x.png">` is
//! resolved and checked as its `![](images/x.png)` is.
//!
//! A small scanner that follows the HTML tokenizer's rules as far as finding attribute
//! values needs: tags with quoted, unquoted and missing attribute values, names in any
//! case, the first of two equal attributes winning, comments and declarations skipped,
//! and the contents of raw-text elements (`<script>`, `<style>`, `<textarea>`, ...) left
//! alone. It never changes the HTML; it says where the URLs are, and what a URL's text
//! means once its character references (`&amp;`) are decoded.

use std::borrow::Cow;
use std::ops::Range;

/// The attributes that hold one URL, by element.
const URL_ATTRIBUTES: &[(&str, &str)] = &[
    ("a", "href"),
    ("area", "href"),
    ("link", "href"),
    ("img", "src"),
    ("source", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("iframe", "src"),
    ("embed", "src"),
    ("script", "src"),
    ("input", "src"),
    ("object", "data"),
    // An image drawn in an inline SVG, by SVG 2's `href` or SVG 1.1's `xlink:href`.
    ("image", "href"),
    ("image", "xlink:href"),
];

/// The attributes that hold a list of image candidates (`x.png 1x, x@2x.png 2x`).
const SRCSET_ATTRIBUTES: &[(&str, &str)] = &[("img", "srcset"), ("source", "srcset")];

/// Elements whose contents are text up to their end tag, never tags.
const RAW_TEXT_ELEMENTS: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// The byte ranges of the URLs in `html`'s tags, in order, without the whitespace around
/// them. Only complete tags count: a tag cut off by the end of `html` is no tag.
pub(super) fn url_ranges(html: &str) -> Vec<Range<usize>> {
    let bytes = html.as_bytes();
    let mut urls = Vec::new();
    let mut i = 0;
    while let Some(lt) = find_byte(bytes, b'<', i) {
        i = match bytes.get(lt + 1) {
            Some(c) if c.is_ascii_alphabetic() => match start_tag(html, lt + 1) {
                Some(tag) => {
                    urls.extend(tag.urls(html));
                    if RAW_TEXT_ELEMENTS.contains(&tag.name.as_str()) {
                        raw_text_end(bytes, &tag.name, tag.end)
                    } else {
                        tag.end
                    }
                }
                None => bytes.len(),
            },
            Some(b'!') if bytes[lt..].starts_with(b"<!--") => comment_end(bytes, lt + 4),
            Some(b'/') if bytes.get(lt + 2).is_some_and(u8::is_ascii_alphabetic) => {
                // An end tag's attributes are read (a quoted `>` does not end it) and dropped.
                start_tag(html, lt + 2).map_or(bytes.len(), |tag| tag.end)
            }
            // `<!DOCTYPE>`, `<?php ?>`, `</ >`: bogus comments, up to the next `>`.
            Some(b'!' | b'?' | b'/') => {
                find_byte(bytes, b'>', lt + 2).map_or(bytes.len(), |e| e + 1)
            }
            _ => lt + 1,
        };
    }
    urls
}

/// `html` with its character references decoded: `&amp;`, `&lt;`, `&gt;`, `&quot;`,
/// `&apos;`, `&nbsp;` and numeric ones (`&#38;`, `&#x26;`). Other names, rare in a URL,
/// are kept as written.
pub(super) fn decode_references(html: &str) -> Cow<'_, str> {
    if !html.contains('&') {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        match reference(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The character a reference at the start of `text` stands for, and its length.
fn reference(text: &str) -> Option<(char, usize)> {
    let semi = text[..text.len().min(12)].find(';')?;
    let body = &text[1..semi];
    let c = match body {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        _ => {
            let number = body.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code).filter(|&c| c != '\0')?
        }
    };
    Some((c, semi + 1))
}

/// An attribute of a tag.
struct Attribute {
    /// Lowercase.
    name: String,
    /// Its value's range; none for `<video controls>`.
    value: Option<Range<usize>>,
}

/// A start tag, as far as finding its URLs needs.
struct StartTag {
    /// Lowercase.
    name: String,
    attributes: Vec<Attribute>,
    /// Just past its `>`.
    end: usize,
}

impl StartTag {
    /// The ranges of its URLs. The first of two equal attributes is the one that counts.
    fn urls(&self, html: &str) -> Vec<Range<usize>> {
        let mut urls = Vec::new();
        for (i, Attribute { name, value }) in self.attributes.iter().enumerate() {
            let Some(value) = value else { continue };
            if self.attributes[..i].iter().any(|a| a.name == *name) {
                continue;
            }
            let key = (self.name.as_str(), name.as_str());
            if URL_ATTRIBUTES.contains(&key) {
                let url = trim_whitespace(html, value.clone());
                if !url.is_empty() {
                    urls.push(url);
                }
            } else if SRCSET_ATTRIBUTES.contains(&key) {
                urls.extend(srcset_urls(html, value.clone()));
            }
        }
        urls
    }
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

fn find_byte(bytes: &[u8], byte: u8, from: usize) -> Option<usize> {
    let at = bytes.get(from..)?.iter().position(|&b| b == byte)?;
    Some(from + at)
}

/// Reads the tag whose name starts at `at` (just after `<` or `</`); `None` if `html`
/// ends before its `>`.
fn start_tag(html: &str, at: usize) -> Option<StartTag> {
    let bytes = html.as_bytes();
    let mut i = at;
    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'/' && bytes[i] != b'>' {
        i += 1;
    }
    let name = html[at..i].to_ascii_lowercase();
    let mut attributes = Vec::new();
    loop {
        // Before an attribute name: whitespace and stray `/` are skipped.
        while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => break,
            _ => {
                let (attribute, next) = attribute(html, i)?;
                attributes.push(attribute);
                i = next;
            }
        }
    }
    Some(StartTag {
        name,
        attributes,
        end: i + 1,
    })
}

/// Reads the attribute whose name starts at `at`; returns it and where the next one may
/// start. A `=` at the start of a name belongs to the name, as in the HTML tokenizer.
fn attribute(html: &str, at: usize) -> Option<(Attribute, usize)> {
    let bytes = html.as_bytes();
    let mut i = at + 1;
    while i < bytes.len() && !matches!(bytes[i], b'/' | b'>' | b'=') && !is_space(bytes[i]) {
        i += 1;
    }
    let name = html[at..i].to_ascii_lowercase();
    let mut j = i;
    while j < bytes.len() && is_space(bytes[j]) {
        j += 1;
    }
    if bytes.get(j) != Some(&b'=') {
        return Some((Attribute { name, value: None }, i));
    }
    j += 1;
    while j < bytes.len() && is_space(bytes[j]) {
        j += 1;
    }
    let (value, next) = match *bytes.get(j)? {
        quote @ (b'"' | b'\'') => {
            let close = find_byte(bytes, quote, j + 1)?;
            (j + 1..close, close + 1)
        }
        // `<a href=>`: an empty value, and the tag ends.
        b'>' => (j..j, j),
        _ => {
            let mut k = j;
            while k < bytes.len() && !is_space(bytes[k]) && bytes[k] != b'>' {
                k += 1;
            }
            (j..k, k)
        }
    };
    let value = Some(value);
    Some((Attribute { name, value }, next))
}

/// Where a comment whose text starts at `at` (just after `<!--`) ends: past its `-->`
/// (or `--!>`, or the abrupt `<!-->` and `<!--->`), or the end of `bytes`.
fn comment_end(bytes: &[u8], at: usize) -> usize {
    let rest = &bytes[at.min(bytes.len())..];
    if rest.starts_with(b">") {
        return at + 1;
    }
    if rest.starts_with(b"->") {
        return at + 2;
    }
    let mut i = at;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"-->") {
            return i + 3;
        }
        if bytes[i..].starts_with(b"--!>") {
            return i + 4;
        }
        i += 1;
    }
    bytes.len()
}

/// Where the text of raw-text element `name`, which starts at `at`, ends: at its end
/// tag `</name` (in any case), or the end of `bytes`.
fn raw_text_end(bytes: &[u8], name: &str, at: usize) -> usize {
    let mut i = at;
    while let Some(lt) = find_byte(bytes, b'<', i) {
        let after = lt + 2 + name.len();
        let is_end_tag = bytes.get(lt + 1) == Some(&b'/')
            && bytes
                .get(lt + 2..after)
                .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
            && bytes
                .get(after)
                .is_none_or(|&c| is_space(c) || c == b'/' || c == b'>');
        if is_end_tag {
            return lt;
        }
        i = lt + 1;
    }
    bytes.len()
}

fn trim_whitespace(html: &str, range: Range<usize>) -> Range<usize> {
    let bytes = html.as_bytes();
    let (mut start, mut end) = (range.start, range.end);
    while start < end && is_space(bytes[start]) {
        start += 1;
    }
    while end > start && is_space(bytes[end - 1]) {
        end -= 1;
    }
    start..end
}

/// The URLs of a `srcset` value, as the HTML standard's srcset parser finds them: a
/// candidate is a URL (a run of non-whitespace whose trailing commas are not part of it)
/// and descriptors up to a comma outside parentheses.
fn srcset_urls(html: &str, value: Range<usize>) -> Vec<Range<usize>> {
    let bytes = html.as_bytes();
    let mut urls = Vec::new();
    let mut i = value.start;
    loop {
        while i < value.end && (is_space(bytes[i]) || bytes[i] == b',') {
            i += 1;
        }
        if i >= value.end {
            return urls;
        }
        let start = i;
        while i < value.end && !is_space(bytes[i]) {
            i += 1;
        }
        let mut end = i;
        while end > start && bytes[end - 1] == b',' {
            end -= 1;
        }
        urls.push(start..end);
        if end < i {
            continue; // A URL ending in a comma has no descriptors.
        }
        let mut in_parens = false;
        while i < value.end && (in_parens || bytes[i] != b',') {
            match bytes[i] {
                b'(' => in_parens = true,
                b')' => in_parens = false,
                _ => {}
            }
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(html: &str) -> Vec<&str> {
        url_ranges(html).into_iter().map(|r| &html[r]).collect()
    }

    #[test]
    fn finds_url_attributes_quoted_unquoted_and_in_any_case() {
        assert_eq!(
            urls(r#"<img alt="a > b" SRC="x.png"><A class=c HREF='y.md#z'>t</a>"#),
            ["x.png", "y.md#z"]
        );
        assert_eq!(urls("<img src=x.png alt=y>"), ["x.png"]);
        assert_eq!(urls("<img\n  src = \" x.png \"\n>"), ["x.png"]);
        assert_eq!(
            urls(r#"<video controls poster="p.png" src="v.mp4"><track src=t.vtt></video>"#),
            ["p.png", "v.mp4", "t.vtt"]
        );
        assert_eq!(
            urls("<source src=a.webm><audio src=b.ogg>"),
            ["a.webm", "b.ogg"]
        );
    }

    #[test]
    fn other_attributes_and_elements_are_not_urls() {
        assert_eq!(
            urls(r#"<img alt="src=x.png" data-src="y.png"><div src="z.png" href="w"></div>"#),
            Vec::<&str>::new()
        );
        // A name glued to a value by `=`, and a valueless attribute, are no values.
        assert_eq!(urls("<img =src=a.png src>"), Vec::<&str>::new());
        assert_eq!(urls(r#"<a href="">x</a>"#), Vec::<&str>::new());
    }

    #[test]
    fn an_inline_svgs_images_are_urls_and_its_uses_are_not() {
        assert_eq!(
            urls(
                r##"<svg><image href="a.png"/><image xlink:href="b.png"/><use href="#c"/></svg>"##
            ),
            ["a.png", "b.png"]
        );
    }

    #[test]
    fn the_first_of_two_equal_attributes_counts() {
        assert_eq!(urls(r#"<img src="a.png" SRC="b.png">"#), ["a.png"]);
    }

    #[test]
    fn comments_declarations_and_end_tags_are_skipped() {
        assert_eq!(
            urls("<!-- <img src=a.png> --><!DOCTYPE html><?x <img src=b.png>?><img src=c.png>"),
            ["c.png"]
        );
        assert_eq!(urls("<!--><img src=a.png>"), ["a.png"]);
        assert_eq!(urls("<!-- x --!><img src=a.png>"), ["a.png"]);
        assert_eq!(urls(r#"</a title=">"><img src=b.png>"#), ["b.png"]);
        assert_eq!(urls("1 < 2 <3 <img src=a.png>"), ["a.png"]);
    }

    #[test]
    fn raw_text_elements_keep_their_contents_and_pre_does_not() {
        assert_eq!(
            urls("<script src=s.js>let a = '<img src=no.png>';</SCRIPT ><img src=a.png>"),
            ["s.js", "a.png"]
        );
        assert_eq!(
            urls("<style>/* <a href=no.md> */</style><textarea><img src=no.png></textarea>"),
            Vec::<&str>::new()
        );
        assert_eq!(urls("<pre><img src=yes.png></pre>"), ["yes.png"]);
    }

    #[test]
    fn an_unfinished_tag_is_no_tag() {
        assert_eq!(urls("<img src=\"a.png\""), Vec::<&str>::new());
        assert_eq!(urls("<img src='a.png>"), Vec::<&str>::new());
        assert_eq!(urls("<img src=a.png"), Vec::<&str>::new());
    }

    #[test]
    fn srcset_candidates_are_each_a_url() {
        assert_eq!(
            urls(r#"<img srcset="a.png 1x, b,c.png 2x,d.png,, e.png (x, y) 3w, f.png">"#),
            ["a.png", "b,c.png", "d.png", "e.png", "f.png"]
        );
        assert_eq!(
            urls("<source srcset='  x.png  '><img src=y.png srcset=z.png>"),
            ["x.png", "y.png", "z.png"]
        );
    }

    #[test]
    fn character_references_decode() {
        assert_eq!(decode_references("a?x=1&amp;y=2"), "a?x=1&y=2");
        assert_eq!(
            decode_references("&#38;&#x26;&quot;&lt;&gt;&apos;"),
            "&&\"<>'"
        );
        assert_eq!(
            decode_references("a&b &unknown; &#0; &"),
            "a&b &unknown; &#0; &"
        );
        assert!(matches!(decode_references("plain"), Cow::Borrowed(_)));
    }
}
