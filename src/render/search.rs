//! The client-side search index, built with Pagefind used as a library.
//!
//! A lesson has three records: the lesson itself, its interview questions (a heading per
//! question) and its flash cards (a heading per card); a question or a card is found as
//! a Pagefind sub-result. Each record has filters (`kind`, `course`, `part` for a lesson
//! in a part, and `level` for questions) so the reader can narrow results. A record costs Pagefind much more than
//! its words (parsing, an index entry, a compressed fragment file), so fewer, larger
//! records build faster: a lesson once had 13 (see `docs/benchmarks.md`). Records
//! are small HTML documents made here from the page data (not the themed pages), so the
//! index does not depend on the theme and headings (`<h1>`, `<h2>`) get Pagefind's
//! heading weights. The files go to `pagefind/`; the theme's script loads them only when
//! the reader uses the search box.
//!
//! Owns: the search records and the Pagefind index parts. Never does: write to disk (the
//! parts go to the render's sink).

use std::ops::Range;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use super::markdown::{CODE_CLOSE, CODE_OPEN};
use super::math;
use super::page::LessonPage;
use crate::config::BaseUrl;
use crate::diagnostics::Diagnostic;
use crate::output::{Contents, OutputFile};

/// Between a course's title and a part's in the `part` filter's values
/// (`Machine learning › Basics`); the theme's script splits them there.
pub const PART_SEPARATOR: &str = "›";

/// The output folder of the index.
pub const SEARCH_DIR: &str = "pagefind";

/// One searchable record: the URL a result leads to and the HTML that is indexed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    url: String,
    html: String,
}

impl Record {
    /// A record of the HTML `html`, found at `url`.
    #[cfg(test)]
    pub(crate) fn new(url: String, html: String) -> Record {
        Record { url, html }
    }

    /// Feeds the record to `hasher`, so that two lists of records hash alike only when
    /// they are equal.
    pub fn hash_into(&self, hasher: &mut blake3::Hasher) {
        for text in [&self.url, &self.html] {
            hasher.update(&(text.len() as u64).to_le_bytes());
            hasher.update(text.as_bytes());
        }
    }
}

/// The part size the cut of a site of 1,600 lessons or more is built around (see
/// [`parts`]). Pagefind's library API compares each new record's URL with every earlier
/// one, so one index over a large site costs time quadratic in its records; parts of this
/// size keep that negligible. Each part is built as soon as its lessons are rendered (so a
/// large site's records are never all in memory), parts are built in parallel, and the
/// theme's script merges them in the browser (`pagefind.mergeIndex`). Larger parts were
/// tried: at 10,000 lessons, parts of 1,250 took 4% longer and three times the memory.
pub const LESSONS_PER_PART: usize = 200;

/// The fewest lessons in an even part, unless the site has fewer. A site of up to 399
/// lessons gets up to seven parts of at least this many: indexing is sequential within a
/// part, and a part's index is built only once its last lesson is rendered, so smaller
/// parts keep both cores busy to the end (at 1,000 lessons, eight parts of 125 took 0.90
/// of the time of five of 200).
pub const MIN_LESSONS_PER_PART: usize = 50;

/// From this many lessons on, the parts are cut where the lessons' paths say
/// ([`parts`]), not evenly.
pub const CUT_BY_PATHS_FROM: usize = 400;

/// The part size the cut of a site of [`CUT_BY_PATHS_FROM`] lessons or more is built
/// around, up to [`CUT_BY_PATHS_FROM_LARGE`] lessons: about eight parts at 1,000 lessons,
/// as even parts had.
const SMALLER_PARTS: usize = 125;

/// From this many lessons on, the cut is built around [`LESSONS_PER_PART`].
const CUT_BY_PATHS_FROM_LARGE: usize = 1600;

/// The list of extra parts, next to the primary index: a JSON array of folder URLs
/// relative to the primary index's folder (`["part-1/", "part-2/"]`).
pub const PARTS_FILE: &str = "parts.json";

/// The parts of the index of a site whose lessons have the content paths `lessons`, in
/// site order: each part's lessons, as a range of positions. Always at least one part (the
/// primary, which is empty for a site without lessons). It depends on the paths alone,
/// never on the thread count.
///
/// A site of fewer than [`CUT_BY_PATHS_FROM`] lessons gets even parts ([`part_size`]): its
/// parts are small, so `serve` rebuilds all of them quickly when a new lesson moves every
/// boundary. A larger site's parts are built around a size `s` (125 lessons, 200 from
/// 1,600 lessons on): a part ends after a lesson whose path hashes to a multiple of
/// `s - s/2`, once it holds `s/2` lessons, and at the latest at `3s/2`. Parts then hold
/// about 115 lessons on average (about 185 around 200). A new, deleted or moved lesson
/// changes the part that holds it, not the parts after it: one part, two when the lesson
/// splits or joins parts or is in a part cut at `3s/2` (the next part changes too), rarely
/// three. So `serve` indexes one or two parts again instead of every part after the
/// lesson (3.0 s at 1,000 lessons with even parts).
pub fn parts<S: AsRef<str>>(lessons: &[S]) -> Vec<Range<usize>> {
    let n = lessons.len();
    if n < CUT_BY_PATHS_FROM {
        let size = part_size(n);
        let count = n.div_ceil(size).max(1);
        return (0..count)
            .map(|i| i * size..((i + 1) * size).min(n))
            .collect();
    }
    let size = match n < CUT_BY_PATHS_FROM_LARGE {
        true => SMALLER_PARTS,
        false => LESSONS_PER_PART,
    };
    let (least, most) = (size / 2, size * 3 / 2);
    // Past `least` lessons, a part ends after one lesson in `size - least`.
    let one_in = (size - least) as u64;
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, path) in lessons.iter().enumerate() {
        let len = i + 1 - start;
        if len == most || (len >= least && path_hash(path.as_ref()).is_multiple_of(one_in)) {
            parts.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < n {
        parts.push(start..n);
    }
    parts
}

/// A number made of a lesson's content path, the same on every machine.
fn path_hash(path: &str) -> u64 {
    let hash = blake3::hash(path.as_bytes());
    let mut first = [0; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    u64::from_le_bytes(first)
}

/// How many lessons go in each even part of the index of `lessons` lessons (fewer than
/// [`CUT_BY_PATHS_FROM`]): as many parts as hold [`MIN_LESSONS_PER_PART`] each (at least
/// one), the lessons shared out as evenly as whole parts allow. Even parts matter on small
/// sites: 114 lessons in parts of 50, 50 and 14 left the last part's index to one core at
/// the end, where two parts of 57 are indexed side by side.
fn part_size(lessons: usize) -> usize {
    let parts = (lessons / MIN_LESSONS_PER_PART).max(1);
    lessons.div_ceil(parts).max(1)
}

/// The folder of part `n`: `pagefind/` for the primary part, `pagefind/part-N` for the
/// others.
pub fn part_dir(n: usize) -> String {
    match n {
        0 => SEARCH_DIR.to_string(),
        _ => format!("{SEARCH_DIR}/part-{n}"),
    }
}

/// The list of the parts after the primary one, for the theme's script.
pub fn parts_file(parts: usize) -> OutputFile {
    let extra: Vec<String> = (1..parts).map(|i| format!("part-{i}/")).collect();
    OutputFile {
        path: format!("{SEARCH_DIR}/{PARTS_FILE}"),
        contents: Contents::Bytes(
            serde_json::to_vec(&extra).expect("a list of strings serializes"),
        ),
    }
}

/// Builds part `n` of the index from the records of its lessons, in site order: the
/// primary part (0) in `pagefind/`, with Pagefind's script and WebAssembly, the others in
/// `pagefind/part-N/`.
pub fn index_part(
    n: usize,
    records: Vec<Record>,
    language: &str,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let mut files = pagefind_index(records, language, &part_dir(n), n == 0)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The language Pagefind indexes in: the primary subtag of the site's language tag,
/// lowercased (`pt` for `pt-BR`). Pagefind writes it into the index's file names and
/// slices a hash by its length (a long tag made it panic); its script, looking up the
/// page's `lang`, falls back from `pt-br` to `pt` by itself.
fn index_language(tag: &str) -> String {
    tag.split('-').next().unwrap_or(tag).to_ascii_lowercase()
}

/// One Pagefind index over `records`, its files under `dir`. Only the primary part keeps
/// Pagefind's script and WebAssembly: merged parts use the primary's.
fn pagefind_index(
    records: Vec<Record>,
    language: &str,
    dir: &str,
    primary: bool,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| failure(e.to_string()))?;
    let files = runtime.block_on(async {
        let config = PagefindServiceConfig::builder()
            .force_language(index_language(language))
            .keep_index_url(false)
            .build();
        let mut index = PagefindIndex::new(Some(config)).map_err(|e| failure(e.to_string()))?;
        for record in records {
            index
                .add_html_file(None, Some(record.url), record.html)
                .await
                .map_err(|e| failure(e.to_string()))?;
        }
        index.get_files().await.map_err(|e| failure(e.to_string()))
    })?;
    Ok(files
        .into_iter()
        .filter(|f| {
            let name = f.filename.to_string_lossy();
            // The theme has its own search box: Pagefind's ready-made UIs are not shipped.
            let ui = name.contains("-ui.") || name.starts_with("pagefind-highlight");
            let runtime_file = name.starts_with("pagefind.js")
                || name.starts_with("pagefind-worker")
                || name.starts_with("wasm.");
            !ui && (primary || !runtime_file)
        })
        .map(|f| OutputFile {
            path: format!("{dir}/{}", f.filename.to_string_lossy().replace('\\', "/")),
            contents: Contents::Bytes(f.contents),
        })
        .collect())
}

fn failure(message: String) -> Diagnostic {
    Diagnostic::error(
        SEARCH_DIR,
        format!("cannot build the search index: {message}"),
    )
}

/// The records of one lesson: the lesson, its interview questions and its flash cards.
pub fn records(lesson: &LessonPage, language: &str, base: &BaseUrl) -> Vec<Record> {
    // Pagefind prefixes result URLs with the folder its script is served from (the base
    // path), so records carry site-relative URLs.
    let url = format!(
        "/{}",
        lesson.url.strip_prefix(&base.path).unwrap_or(&lesson.url)
    );
    let course = attr(&lesson.course.title);
    let lesson_title = attr(&lesson.title);
    // A lesson in a part has a `part` filter (`Course › Part`, so that two courses'
    // parts of one name stay apart, and the theme can list a course's parts) and its
    // part's title in its meta; a lesson in no part has neither.
    let (part_filter, part_meta) = match &lesson.part {
        Some(part) => (
            format!(
                "<div data-pagefind-filter=\"part:{course} {PART_SEPARATOR} {}\"></div>",
                attr(&part.title)
            ),
            format!(
                "<div data-pagefind-meta=\"part:{}\"></div>",
                attr(&part.title)
            ),
        ),
        None => (String::new(), String::new()),
    };
    let doc = |filters: &str, meta: &str, body: &str| {
        format!(
            "<html lang=\"{}\"><body><main data-pagefind-body>{filters}{meta}{}</main></body></html>",
            attr(language),
            plain_code(&plain_math(&without_anchors(body)))
        )
    };
    let mut out = Vec::new();
    let mut body = format!(
        "<h1>{}</h1><p>{}</p>",
        text(&lesson.title),
        text(&lesson.summary)
    );
    body.push_str(&lesson.theory);
    body.push_str(&lesson.tradeoffs_body);
    for t in &lesson.tradeoffs {
        body.push_str(&format!("<p>{t}</p>"));
    }
    for e in &lesson.examples {
        body.push_str(&format!("<h2>{}</h2>{}", text(&e.title), e.html));
    }
    body.push_str(&lesson.examples_body);
    body.push_str(&lesson.walkthrough);
    out.push(Record {
        url: url.clone(),
        html: doc(
            &format!(
                "<div data-pagefind-filter=\"kind:Lesson\"></div>\
                 <div data-pagefind-filter=\"course:{course}\"></div>{part_filter}"
            ),
            &format!(
                "<div data-pagefind-meta=\"kind:Lesson\"></div>\
                 <div data-pagefind-meta=\"course:{course}\"></div>{part_meta}"
            ),
            &body,
        ),
    });
    // A lesson's interview questions are one record too, each question a heading with
    // its id: a search finds the question as a sub-result that links to it. The record
    // has a `level` filter value per level among its questions, and its `levels` meta
    // names each question's level (`id:Level id:Level`), so the theme links only a
    // question of the chosen level and labels it.
    if !lesson.questions.is_empty() {
        let mut body = format!("<h1>Interview questions: {}</h1>", text(&lesson.title));
        let mut filters = format!(
            "<div data-pagefind-filter=\"kind:Question\"></div>\
             <div data-pagefind-filter=\"course:{course}\"></div>{part_filter}"
        );
        let mut levels: Vec<&str> = lesson.questions.iter().map(|q| q.level_label).collect();
        levels.sort_unstable();
        levels.dedup();
        for level in levels {
            filters.push_str(&format!(
                "<div data-pagefind-filter=\"level:{level}\"></div>"
            ));
        }
        let mut by_id = Vec::new();
        for q in &lesson.questions {
            body.push_str(&format!(
                "<h2 id=\"{}\">{}</h2>{}{}",
                attr(&q.id),
                q.html,
                q.answer,
                q.senior
            ));
            by_id.push(format!("{}:{}", q.id, q.level_label));
        }
        out.push(Record {
            url: format!("{url}#questions"),
            html: doc(
                &filters,
                &format!(
                    "<div data-pagefind-meta=\"kind:Interview question\"></div>\
                     <div data-pagefind-meta=\"lesson:{lesson_title}\"></div>{part_meta}\
                     <div data-pagefind-meta=\"levels:{}\"></div>",
                    attr(&by_id.join(" "))
                ),
                &body,
            ),
        });
    }
    // A lesson's flash cards are one record (cards are short, and a record costs Pagefind
    // much more than its words): each card is a heading with the card's id, so a search
    // finds the card as a sub-result that links to it.
    if !lesson.flashcards.is_empty() {
        let mut cards = format!("<h1>Flash cards: {}</h1>", text(&lesson.title));
        for card in &lesson.flashcards {
            cards.push_str(&format!(
                "<h2 id=\"{}\">{}</h2><p>{}</p>",
                attr(&card.id),
                card.front,
                card.back
            ));
        }
        out.push(Record {
            url: format!("{url}#flashcards"),
            html: doc(
                &format!(
                    "<div data-pagefind-filter=\"kind:Flash card\"></div>\
                     <div data-pagefind-filter=\"course:{course}\"></div>{part_filter}"
                ),
                &format!(
                    "<div data-pagefind-meta=\"kind:Flash card\"></div>\
                     <div data-pagefind-meta=\"lesson:{lesson_title}\"></div>{part_meta}"
                ),
                &cards,
            ),
        });
    }
    out
}

/// `html` with the highlighting taken out of its code blocks: the code's text stays
/// searchable, and Pagefind parses a tenth of the markup (the `<span>`s of a highlighted
/// block are most of a lesson's HTML).
fn plain_code(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(CODE_OPEN) {
        let code_at = start + CODE_OPEN.len();
        out.push_str(&rest[..code_at]);
        let end = rest[code_at..]
            .find(CODE_CLOSE)
            .map_or(rest.len(), |e| code_at + e);
        // The highlighter escapes `<` in code, so every `<` here opens one of its tags.
        let mut code = &rest[code_at..end];
        while let Some(tag) = code.find('<') {
            out.push_str(&code[..tag]);
            code = code[tag..]
                .find('>')
                .map_or("", |close| &code[tag + close + 1..]);
        }
        out.push_str(code);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// `html` with each formula as one line of text (`1/(1+e^(−z))`): Pagefind's excerpts
/// would otherwise run a formula's tokens together (`11+e−z`).
fn plain_math(html: &str) -> String {
    replace_elements(html, "<math", "</math>", |math| {
        text(&math::plain_text(math))
    })
}

/// `html` without the headings' anchor links: their `#` would end up in excerpts.
fn without_anchors(html: &str) -> String {
    replace_elements(html, "<a class=\"anchor\"", "</a>", |_| String::new())
}

/// `html` with every element from `open` to the first `close` after it (both included)
/// replaced by `with` of it. An element left open runs to the end.
fn replace_elements(html: &str, open: &str, close: &str, with: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(open) {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find(close)
            .map_or(rest.len(), |e| start + e + close.len());
        out.push_str(&with(&rest[start..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = pulldown_cmark_escape::escape_html_body_text(&mut out, s);
    out
}

fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The content paths of a site of `n` lessons, in courses of 120.
    fn site(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("course-{:03}/lesson-{i:05}.md", i / 120))
            .collect()
    }

    fn lengths(paths: &[String]) -> Vec<usize> {
        parts(paths).iter().map(|r| r.len()).collect()
    }

    #[test]
    fn sites_under_400_lessons_get_up_to_eight_even_parts_of_50_or_more() {
        assert_eq!(lengths(&site(0)), [0]);
        assert_eq!(lengths(&site(7)), [7]);
        assert_eq!(lengths(&site(99)), [99]);
        assert_eq!(lengths(&site(100)), [50, 50]);
        assert_eq!(lengths(&site(114)), [57, 57]);
        assert_eq!(lengths(&site(263)), [53, 53, 53, 53, 51]);
        assert_eq!(lengths(&site(399)), [57; 7]);
        // Parts of 50 or more (fewer only when the site has fewer than 50), at most
        // seven, and even: the last part is short of the others by less than the number
        // of parts.
        for n in 1..CUT_BY_PATHS_FROM {
            let lengths = lengths(&site(n));
            let (size, count) = (lengths[0], lengths.len());
            assert!(size >= MIN_LESSONS_PER_PART.min(n), "{n}: {lengths:?}");
            assert!(count <= 7, "{n}: {lengths:?}");
            assert_eq!(lengths.iter().sum::<usize>(), n);
            assert!(lengths[..count - 1].iter().all(|l| *l == size));
            let last = lengths[count - 1];
            assert!(last + count > size, "{n}: {lengths:?}");
        }
    }

    #[test]
    fn larger_sites_get_parts_of_half_to_one_and_a_half_times_their_size() {
        for (n, size) in [
            (400, 125),
            (1000, 125),
            (1599, 125),
            (1600, 200),
            (10_000, 200),
        ] {
            let parts = parts(&site(n));
            // In site order, every lesson in one part.
            assert_eq!(parts[0].start, 0);
            assert_eq!(parts[parts.len() - 1].end, n);
            assert!(parts.windows(2).all(|w| w[0].end == w[1].start));
            // The last part holds what is left; the others are within the bounds.
            for part in &parts[..parts.len() - 1] {
                let len = part.len();
                assert!(len >= size / 2 && len <= size * 3 / 2, "{n}: {len}");
            }
            // About 0.93 of the size on average, the last part (what is left) aside: a
            // part ends a little sooner than the size says, since none may pass one and
            // a half times it.
            let last = &parts[parts.len() - 1];
            let mean = last.start as f64 / (parts.len() - 1) as f64;
            assert!(
                ![1000, 10_000].contains(&n) || (mean > size as f64 * 0.8 && mean < size as f64),
                "{n}: {} parts",
                parts.len()
            );
        }
    }

    /// How many parts of `after` hold other lessons than every part of `before`.
    fn changed(before: &[String], after: &[String]) -> usize {
        let old: Vec<&[String]> = parts(before).into_iter().map(|r| &before[r]).collect();
        parts(after)
            .into_iter()
            .filter(|r| !old.contains(&&after[r.clone()]))
            .count()
    }

    #[test]
    fn a_new_or_deleted_lesson_changes_the_part_that_holds_it_not_the_parts_after_it() {
        let before = site(1000);
        let mut most = 0;
        let mut changes = Vec::new();
        for at in (0..1000).step_by(7) {
            let mut added = before.clone();
            added.insert(at, format!("course-{:03}/new-{at}.md", at / 120));
            let mut deleted = before.clone();
            deleted.remove(at);
            for after in [added, deleted] {
                let n = changed(&before, &after);
                most = most.max(n);
                changes.push(n);
            }
        }
        // One part changes; two when the lesson splits a part, or is in a part cut at
        // the most lessons a part may hold (the cut moves by one lesson, and the next
        // part with it); three at worst, when both happen. Two cores index two parts in
        // the time of one.
        assert!(most <= 3, "{most}");
        let one_or_two = changes.iter().filter(|n| **n <= 2).count();
        assert!(
            one_or_two * 100 >= changes.len() * 95,
            "{one_or_two} of {}",
            changes.len()
        );
    }

    #[test]
    fn excerpts_get_formulas_as_text_and_no_heading_anchors() {
        let html = "<h2 id=\"s\">Sigmoid<a class=\"anchor\" href=\"#s\" aria-label=\"Link\">#</a></h2>\
                    <p>It is <math><mi>σ</mi><mo>(</mo><mi>z</mi><mo>)</mo><mo>=</mo>\
                    <mfrac><mn>1</mn><mrow><mn>1</mn><mo>+</mo><msup><mi>e</mi><mrow><mo>−</mo><mi>z</mi></mrow></msup></mrow></mfrac></math>, with <math><mi>a</mi><mo>&lt;</mo><mi>b</mi></math>.</p>";
        assert_eq!(
            plain_math(&without_anchors(html)),
            "<h2 id=\"s\">Sigmoid</h2><p>It is σ(z)=1/(1+e^(−z)), with a&lt;b.</p>"
        );
    }

    #[test]
    fn code_keeps_its_text_and_loses_its_highlighting() {
        let html = format!(
            "<p>a <span>b</span></p>{CODE_OPEN}<span class=\"hl-k\">if</span> x &lt; 2:\n\
             <span class=\"hl-a\"><span>y</span></span>{CODE_CLOSE}<p>c</p>{CODE_OPEN}z{CODE_CLOSE}"
        );
        assert_eq!(
            plain_code(&html),
            format!(
                "<p>a <span>b</span></p>{CODE_OPEN}if x &lt; 2:\ny{CODE_CLOSE}<p>c</p>{CODE_OPEN}z{CODE_CLOSE}"
            )
        );
        // An unclosed block (never made by the pipeline) still ends the text cleanly.
        assert_eq!(
            plain_code(&format!("{CODE_OPEN}<b>q")),
            format!("{CODE_OPEN}q")
        );
    }
}
