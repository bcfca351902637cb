//! Study aids made at build time: the reorder exercise's shuffled steps, the data of the
//! site's flash-card review page, and the flash cards as Anki-importable TSV files.
//!
//! Everything here is a pure function of the rendered lessons, so every build writes the
//! same bytes (see "Determinism" in `docs/architecture.md`). Scheduling happens in the
//! browser (`themes/lab/static/fsrs.js`), never here.

use serde::Serialize;

use super::page::{FlashCardView, LessonSummary};
use crate::config::BaseUrl;
use crate::load::LessonKey;
use crate::output::{Contents, OutputFile};

/// The output path of the site's review page: every card of a site of one course with
/// cards; with several, the list of their review pages ([`course_review_page`]).
pub const REVIEW_PAGE: &str = "review/index.html";

/// The output path of the review page of the course `slug`, on a site of several courses
/// with cards: each course's cards are a page of their own, loaded when the reader picks
/// the course, so that no page holds every card of a large site.
pub fn course_review_page(slug: &str) -> String {
    format!("review/{slug}/index.html")
}
/// The template of that page; a theme without it gets no review page.
pub const REVIEW_TEMPLATE: &str = "review.html";
/// Every deck of the site for Anki; each lesson's own deck is `<lesson>/flashcards.tsv`.
pub const ANKI_FILE: &str = "flashcards.tsv";

/// What `review.html` sees as `review`.
#[derive(Clone, Debug, Serialize)]
pub struct ReviewData {
    /// The site-wide TSV file, when there is a card at all.
    pub anki_url: Option<String>,
    /// On the site's review page of a site of several courses with cards: those courses,
    /// each with its own review page (and `lessons` is empty).
    pub courses: Vec<ReviewCourse>,
    /// On a course's review page: that course, and the URL of the site's review page.
    pub course: Option<ReviewCourse>,
    pub index_url: String,
    /// The lessons that have flash cards, in site order.
    pub lessons: Vec<ReviewLesson>,
    /// The decks a learner may review alone: each course with cards and, after it, each
    /// of its parts with cards, in site order.
    pub decks: Vec<ReviewDeck>,
}

/// A course with flash cards, as the site's review page lists it.
#[derive(Clone, Debug, Serialize)]
pub struct ReviewCourse {
    pub slug: String,
    pub title: String,
    /// Its review page.
    pub url: String,
    pub cards: usize,
    /// How many of its lessons have cards.
    pub lessons: usize,
}

/// A deck of the review page: a course's cards, or a part's.
#[derive(Clone, Debug, Serialize)]
pub struct ReviewDeck {
    /// `course`, or `course/part` for a part: a lesson is in the decks its own `deck`
    /// starts with.
    pub id: String,
    /// The course's title, or the part's.
    pub title: String,
    /// The course's title (for a part's deck, the course it is in).
    pub course: String,
    /// Whether it is a part's deck (within the course's before it).
    pub is_part: bool,
    pub cards: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReviewLesson {
    /// The lesson's key, `course/slug`: a graded card remembers it.
    pub key: LessonKey,
    pub title: String,
    pub course: String,
    /// The title of the lesson's part, if it is in one.
    pub part: Option<String>,
    /// The deck the lesson's cards are in: `course`, or `course/part` (see [`ReviewDeck`]).
    pub deck: String,
    pub url: String,
    pub cards: Vec<FlashCardView>,
}

/// The review pages of the site: its output path and data each. A site of one course with
/// cards (or none) has one page with every card; a site of several has a page listing
/// them and one page per course with cards.
pub fn review_pages(lessons: &[LessonSummary], base: &BaseUrl) -> Vec<(String, ReviewData)> {
    let all = review_data(lessons, base);
    let mut courses: Vec<ReviewCourse> = Vec::new();
    for lesson in &all.lessons {
        let slug = lesson.deck.split('/').next().unwrap_or_default();
        match courses.last_mut() {
            Some(course) if course.slug == slug => {
                course.cards += lesson.cards.len();
                course.lessons += 1;
            }
            _ => courses.push(ReviewCourse {
                slug: slug.to_string(),
                title: lesson.course.clone(),
                url: base.join(&course_review_page(slug).replace("index.html", "")),
                cards: lesson.cards.len(),
                lessons: 1,
            }),
        }
    }
    if courses.len() < 2 {
        return vec![(REVIEW_PAGE.to_string(), all)];
    }
    let mut pages = Vec::with_capacity(courses.len() + 1);
    let mut lessons_left = all.lessons.into_iter().peekable();
    for course in &courses {
        let mut of_course = Vec::new();
        while let Some(lesson) =
            lessons_left.next_if(|l| l.deck.split('/').next() == Some(&course.slug))
        {
            of_course.push(lesson);
        }
        let decks = all
            .decks
            .iter()
            .filter(|d| d.id.split('/').next() == Some(&course.slug))
            .cloned()
            .collect();
        pages.push((
            course_review_page(&course.slug),
            ReviewData {
                anki_url: all.anki_url.clone(),
                courses: Vec::new(),
                course: Some(course.clone()),
                index_url: all.index_url.clone(),
                lessons: of_course,
                decks,
            },
        ));
    }
    pages.insert(
        0,
        (
            REVIEW_PAGE.to_string(),
            ReviewData {
                anki_url: all.anki_url,
                courses,
                course: None,
                index_url: all.index_url,
                lessons: Vec::new(),
                decks: all.decks,
            },
        ),
    );
    pages
}

/// Every card of `lessons` on one review page.
pub fn review_data<'a>(
    lessons: impl IntoIterator<Item = &'a LessonSummary>,
    base: &BaseUrl,
) -> ReviewData {
    let lessons: Vec<ReviewLesson> = lessons
        .into_iter()
        .filter(|l| !l.flashcards.is_empty())
        .map(|l| ReviewLesson {
            key: l.key.clone(),
            title: l.title.clone(),
            course: l.course.title.clone(),
            part: l.part.as_ref().map(|p| p.title.clone()),
            deck: deck_id(l),
            url: l.url.clone(),
            cards: l.flashcards.clone(),
        })
        .collect();
    let mut decks: Vec<ReviewDeck> = Vec::new();
    for lesson in &lessons {
        let cards = lesson.cards.len();
        let course = lesson.deck.split('/').next().unwrap_or_default();
        match decks.iter_mut().rev().find(|d| d.id == course) {
            Some(deck) => deck.cards += cards,
            None => decks.push(ReviewDeck {
                id: course.to_string(),
                title: lesson.course.clone(),
                course: lesson.course.clone(),
                is_part: false,
                cards,
            }),
        }
        if let Some(part) = &lesson.part {
            match decks.last_mut() {
                Some(deck) if deck.id == lesson.deck => deck.cards += cards,
                _ => decks.push(ReviewDeck {
                    id: lesson.deck.clone(),
                    title: part.clone(),
                    course: lesson.course.clone(),
                    is_part: true,
                    cards,
                }),
            }
        }
    }
    ReviewData {
        anki_url: (!lessons.is_empty()).then(|| base.join(ANKI_FILE)),
        courses: Vec::new(),
        course: None,
        index_url: base.join("review/"),
        lessons,
        decks,
    }
}

/// The review deck of a lesson's cards: its course's, or its part's within it.
fn deck_id(lesson: &LessonSummary) -> String {
    match &lesson.part {
        Some(part) => format!("{}/{}", lesson.course.slug, part.slug),
        None => lesson.course.slug.clone(),
    }
}

/// The TSV files for Anki: one per lesson with cards ([`anki_lesson_file`], written with
/// the lesson's page) and one with every deck ([`anki_site_file`]). Anki reads the `#`
/// header lines (Anki 2.1.55 and later): fields are HTML, the first column is a stable id
/// (the card's), so importing again updates the notes instead of adding copies.
pub fn anki_lesson_file(lesson: &LessonSummary) -> Option<OutputFile> {
    (!lesson.flashcards.is_empty()).then(|| OutputFile {
        path: lesson.key.file(ANKI_FILE),
        contents: Contents::Bytes(format!("{ANKI_HEADER}{}", anki_rows(lesson)).into_bytes()),
    })
}

/// The TSV file with every deck of the site, when there is a card at all.
pub fn anki_site_file<'a>(
    lessons: impl IntoIterator<Item = &'a LessonSummary>,
) -> Option<OutputFile> {
    let all: String = lessons.into_iter().map(anki_rows).collect();
    (!all.is_empty()).then(|| OutputFile {
        path: ANKI_FILE.to_string(),
        contents: Contents::Bytes(format!("{ANKI_HEADER}{all}").into_bytes()),
    })
}

const ANKI_HEADER: &str =
    "#separator:tab\n#html:true\n#notetype:Basic\n#guid column:1\n#deck column:4\n#tags column:5\n";

fn anki_rows(lesson: &LessonSummary) -> String {
    // `::` separates an Anki deck from its subdecks: the course holds the lesson's deck,
    // or the part that holds it.
    let deck: Vec<String> = std::iter::once(&lesson.course.title)
        .chain(lesson.part.as_ref().map(|p| &p.title))
        .chain([&lesson.title])
        .map(|name| name.replace("::", ":"))
        .collect();
    let deck = deck.join("::");
    let tags = format!("conceptlab {} {}", lesson.course.slug, lesson.slug);
    lesson
        .flashcards
        .iter()
        .map(|card| {
            let fields = [card.id.as_str(), &card.front, &card.back, &deck, &tags];
            let row: Vec<String> = fields.iter().map(|f| tsv_field(f)).collect();
            row.join("\t") + "\n"
        })
        .collect()
}

/// A field on one line; quoted (with doubled quotes) when it holds a quote, since Anki
/// reads a leading quote as the start of a quoted field.
fn tsv_field(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| {
            if matches!(c, '\t' | '\n' | '\r') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let flat = flat.trim().to_string();
    if flat.contains('"') {
        format!("\"{}\"", flat.replace('"', "\"\""))
    } else {
        flat
    }
}

/// A deterministic shuffle of `0..n` seeded by `seed` (a lesson's key): the order the
/// reorder exercise shows the flow's steps in. For two or more steps it is never the
/// right order, so there is always something to do.
pub fn shuffled_order(seed: &str, n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut stream = blake3::Hasher::new()
        .update(b"conceptlab reorder\0")
        .update(seed.as_bytes())
        .finalize_xof();
    // Fisher-Yates with draws from the hash's output stream.
    for i in (1..n).rev() {
        let mut bytes = [0u8; 8];
        stream.fill(&mut bytes);
        let j = (u64::from_le_bytes(bytes) % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    if n > 1 && order.iter().enumerate().all(|(i, &s)| i == s) {
        order.rotate_left(1);
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::page::CourseRef;

    fn lesson(slug: &str, cards: &[(&str, &str)]) -> LessonSummary {
        LessonSummary {
            key: LessonKey::new("ml", slug),
            slug: slug.into(),
            url: format!("/ml/{slug}/"),
            title: format!("Lesson {slug}"),
            summary: String::new(),
            date: None,
            course: CourseRef {
                slug: "ml".into(),
                title: "Machine Learning".into(),
                icon: String::new(),
                icon_url: None,
                url: "/ml/".into(),
            },
            part: None,
            flashcards: cards
                .iter()
                .enumerate()
                .map(|(i, (front, back))| FlashCardView {
                    id: format!("card-{slug}{i}"),
                    front: front.to_string(),
                    back: back.to_string(),
                })
                .collect(),
        }
    }

    fn text(file: &OutputFile) -> &str {
        match &file.contents {
            Contents::Bytes(b) => std::str::from_utf8(b).unwrap(),
            Contents::Copy(_) => panic!("a generated file"),
        }
    }

    #[test]
    fn anki_files_hold_one_row_per_card_with_its_deck_and_a_stable_id() {
        let a = lesson(
            "a",
            &[
                ("What is <em>w</em>?", "A\tweight\nlearned"),
                ("Say \"hi\"", "b"),
            ],
        );
        let b = lesson("b", &[]);
        let files: Vec<OutputFile> = [&a, &b]
            .into_iter()
            .filter_map(anki_lesson_file)
            .chain(anki_site_file([&a, &b]))
            .collect();
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["ml/a/flashcards.tsv", "flashcards.tsv"]);
        assert_eq!(
            text(&files[1]),
            "#separator:tab\n#html:true\n#notetype:Basic\n#guid column:1\n#deck column:4\n#tags column:5\n\
             card-a0\tWhat is <em>w</em>?\tA weight learned\tMachine Learning::Lesson a\tconceptlab ml a\n\
             card-a1\t\"Say \"\"hi\"\"\"\tb\tMachine Learning::Lesson a\tconceptlab ml a\n"
        );
        assert_eq!(text(&files[0]), text(&files[1]));
    }

    #[test]
    fn no_cards_no_anki_file_and_the_review_page_lists_only_lessons_with_cards() {
        assert!(anki_lesson_file(&lesson("b", &[])).is_none());
        assert!(anki_site_file([&lesson("b", &[])]).is_none());
        let base = BaseUrl {
            origin: None,
            path: "/repo/".into(),
        };
        let data = review_data([&lesson("a", &[("f", "b")]), &lesson("b", &[])], &base);
        assert_eq!(data.anki_url.as_deref(), Some("/repo/flashcards.tsv"));
        assert_eq!(data.lessons.len(), 1);
        assert_eq!(data.lessons[0].cards[0].id, "card-a0");
        assert!(review_data([&lesson("b", &[])], &base).anki_url.is_none());
    }

    #[test]
    fn the_shuffle_is_a_permutation_and_the_same_on_every_call() {
        for n in 0..12 {
            let order = shuffled_order("demo/everything", n);
            let mut sorted = order.clone();
            sorted.sort();
            assert_eq!(sorted, (0..n).collect::<Vec<_>>());
            assert_eq!(order, shuffled_order("demo/everything", n));
        }
    }

    #[test]
    fn two_or_more_steps_are_never_shown_in_the_right_order() {
        for seed in 0..200 {
            for n in 2..6 {
                let order = shuffled_order(&format!("course/lesson-{seed}"), n);
                assert_ne!(order, (0..n).collect::<Vec<_>>(), "seed {seed}, n {n}");
            }
        }
    }

    #[test]
    fn different_lessons_get_different_orders() {
        let orders: std::collections::HashSet<Vec<usize>> = (0..20)
            .map(|i| shuffled_order(&format!("c/l{i}"), 6))
            .collect();
        assert!(orders.len() > 10, "{orders:?}");
    }
}
