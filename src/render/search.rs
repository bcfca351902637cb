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
    /// Feeds the record to `hasher`, so that two lists of records hash alike only when
    /// they are equal.
    pub fn hash_into(&self, hasher: &mut blake3::Hasher) {
        for text in [&self.url, &self.html] {
            hasher.update(&(text.len() as u64).to_le_bytes());
            hasher.update(text.as_bytes());
        }
    }
}

/// The most lessons in a part of the index. Pagefind's library API compares each new
/// record's URL with every earlier one, so one index over a large site costs time
/// quadratic in its records; parts of this size keep that negligible. Each part is built
/// as soon as its lessons are rendered (so a large site's records are never all in
/// memory), parts are built in parallel, and the theme's script merges them in the browser
/// (`pagefind.mergeIndex`). Larger parts were tried: at 10,000 lessons, parts of 1,250
/// took 4% longer and three times the memory.
pub const LESSONS_PER_PART: usize = 200;

/// The fewest lessons in a part, unless the site has fewer. A site of up to 1,600 lessons
/// gets up to eight parts of at least this many: indexing is sequential within a part,
/// and a part's index is built only once its last lesson is rendered, so smaller parts
/// keep both cores busy to the end (at 1,000 lessons, eight parts of 125 took 0.90 of the
/// time of five of 200).
pub const MIN_LESSONS_PER_PART: usize = 50;

/// The most parts a site gets while its parts can stay under [`LESSONS_PER_PART`].
const MOST_SMALL_PARTS: usize = 8;

/// The list of extra parts, next to the primary index: a JSON array of folder URLs
/// relative to the primary index's folder (`["part-1/", "part-2/"]`).
pub const PARTS_FILE: &str = "parts.json";

/// How many lessons go in each part of the index of `lessons` lessons: as many parts as
/// hold [`MIN_LESSONS_PER_PART`] each (at most eight, at least one), or more where parts
/// would pass [`LESSONS_PER_PART`], the lessons shared out as evenly as whole parts allow.
/// Even parts matter on small sites: 114 lessons in parts of 50, 50 and 14 left the last
/// part's index to one core at the end, where two parts of 57 are indexed side by side.
/// It depends on the site alone, never on the thread count.
pub fn part_size(lessons: usize) -> usize {
    let parts = (lessons / MIN_LESSONS_PER_PART)
        .min(MOST_SMALL_PARTS)
        .max(lessons.div_ceil(LESSONS_PER_PART))
        .max(1);
    lessons.div_ceil(parts).max(1)
}

/// How many parts the index of `lessons` lessons has: at least one, the primary.
pub fn part_count(lessons: usize) -> usize {
    lessons.div_ceil(part_size(lessons)).max(1)
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
    let dir = match n {
        0 => SEARCH_DIR.to_string(),
        _ => format!("{SEARCH_DIR}/part-{n}"),
    };
    let mut files = pagefind_index(records, language, &dir, n == 0)?;
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

    #[test]
    fn parts_hold_50_to_200_lessons_evenly_and_sites_up_to_1600_get_up_to_eight() {
        assert_eq!((part_size(0), part_count(0)), (1, 1));
        assert_eq!((part_size(7), part_count(7)), (7, 1));
        assert_eq!((part_size(99), part_count(99)), (99, 1));
        assert_eq!((part_size(100), part_count(100)), (50, 2));
        assert_eq!((part_size(114), part_count(114)), (57, 2));
        assert_eq!((part_size(263), part_count(263)), (53, 5));
        assert_eq!((part_size(1000), part_count(1000)), (125, 8));
        assert_eq!((part_size(1001), part_count(1001)), (126, 8));
        assert_eq!((part_size(1600), part_count(1600)), (200, 8));
        assert_eq!((part_size(1601), part_count(1601)), (178, 9));
        assert_eq!((part_size(10000), part_count(10000)), (200, 50));
        // Every site of 1 to 100,000 lessons: parts of 50 to 200 lessons (fewer only when
        // the site has fewer than 50), more than eight only when they would pass 200, and
        // even: the last part is short of the others by less than the number of parts.
        for n in 1..=100_000 {
            let (size, count) = (part_size(n), part_count(n));
            assert!(size <= LESSONS_PER_PART, "{n}: {size}");
            assert!(size >= MIN_LESSONS_PER_PART.min(n), "{n}: {size}");
            assert!(count <= MOST_SMALL_PARTS || n > MOST_SMALL_PARTS * LESSONS_PER_PART);
            let last = n - (count - 1) * size;
            assert!(
                last + count > size,
                "{n}: {count} parts of {size}, the last {last}"
            );
        }
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
