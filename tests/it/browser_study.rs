//! The lesson page as a learner uses it, in headless Chromium: keyboard shortcuts, the
//! interview-question filter, the coverage checklist, the reorder exercise and the flash
//! cards with their FSRS scheduler. Each test builds a fixture site, serves it on
//! 127.0.0.1, opens a probe page that loads the real pages in a same-origin iframe, drives
//! them and posts what it saw to `POST /__report`. The probes are the JavaScript modules in
//! `tests/probes/study/`, run by `tests/probes/harness.js`.

use crate::common;

use common::Site;
use common::browser::probe_json;
use serde_json::Value;

/// Builds `site`, runs `script` (a probe module from `tests/probes/study/`) in the probe
/// page and returns its report.
fn in_browser(site: &Site, script: &str) -> Value {
    in_browser_with(site, script, &[])
}

/// [`in_browser`], with more files (path in the output, contents) served beside the site.
fn in_browser_with(site: &Site, script: &str, files: &[(&str, &str)]) -> Value {
    in_browser_flags(site, script, files, &[])
}

/// [`in_browser_with`], with more Chromium command-line flags.
fn in_browser_flags(site: &Site, script: &str, files: &[(&str, &str)], flags: &[&str]) -> Value {
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    for (path, contents) in files {
        site.write(&format!("public/{path}"), contents);
    }
    probe_json(&site.public(), script, "{ height: 900 }", flags)
}

#[test]
fn keyboard_shortcuts_go_to_the_next_and_previous_lesson_and_show_help() {
    let site = Site::fixture("mini");
    let seen = in_browser(
        &site,
        include_str!(
            "../probes/study/keyboard-shortcuts-go-to-the-next-and-previous-lesson-and-show-help.js"
        ),
    );
    assert_eq!(seen["copyButtons"], 1, "{seen}");
    assert_eq!(
        seen["copied"],
        "def neuron(x, w, b):\n    return sum(a * c for a, c in zip(x, w)) + b"
    );
    assert_eq!(seen["copyLabel"], "Copied");
    assert!(["light", "dark"].contains(&seen["theme"].as_str().unwrap()));
    assert_eq!(seen["themeAfterJ"], seen["theme"]);
    assert_eq!(seen["helpOpen"], true);
    assert!(seen["helpText"].as_str().unwrap().contains("Next lesson"));
    assert_eq!(seen["helpClosed"], true);
    assert_eq!(seen["arrowInCode"], "/demo/everything/");
    assert_eq!(seen["afterJ"], "/demo/last/");
    assert_eq!(seen["afterK"], "/demo/everything/");
    assert_eq!(seen["afterLeft"], "/demo/first/");
    assert_eq!(seen["stayed"], "/demo/first/");
}

#[test]
fn questions_filter_by_level_expand_all_and_open_from_a_deep_link() {
    let site = Site::fixture("mini");
    let seen = in_browser(
        &site,
        include_str!(
            "../probes/study/questions-filter-by-level-expand-all-and-open-from-a-deep-link.js"
        ),
    );
    assert_eq!(
        seen["all"],
        serde_json::json!(["beginner", "intermediate", "expert"])
    );
    assert_eq!(seen["expert"], serde_json::json!(["expert"]));
    assert_eq!(seen["count"], "Showing 1 of 3 questions.");
    assert_eq!(seen["pressed"], "true");
    assert_eq!(seen["opened"], 3);
    assert_eq!(seen["closed"], 0);
    assert_eq!(seen["afterLink"].as_array().unwrap().len(), 3);
    assert_eq!(seen["linkedOpen"], true);
    assert_eq!(seen["scrolled"], true, "{seen}");
    assert_eq!(seen["inView"], true, "{seen}");
}

#[test]
fn coverage_ticks_persist_across_a_reload_and_show_on_the_course_page() {
    let site = Site::fixture("mini");
    let seen = in_browser(
        &site,
        include_str!(
            "../probes/study/coverage-ticks-persist-across-a-reload-and-show-on-the-course-page.js"
        ),
    );
    assert_eq!(
        seen["afterReload"],
        serde_json::json!([false, true]),
        "{seen}"
    );
    assert_eq!(seen["progress"], "1 of 2 points ticked.");
    assert_eq!(seen["course"], "1 of 2 points covered");
    assert_eq!(seen["done"], false);
}

#[test]
fn reorder_buttons_move_a_step_keep_focus_and_check_marks_wrong_steps() {
    let site = Site::fixture("mini");
    let seen = in_browser(
        &site,
        include_str!(
            "../probes/study/reorder-buttons-move-a-step-keep-focus-and-check-marks-wrong-steps.js"
        ),
    );
    let before: Vec<u64> = serde_json::from_value(seen["before"].clone()).unwrap();
    assert_ne!(before, vec![0, 1, 2, 3, 4], "the exercise starts shuffled");
    let mut expected = before.clone();
    expected.swap(0, 1);
    assert_eq!(seen["afterDown"], serde_json::json!(expected));
    assert_eq!(seen["focusKept"], true);
    assert_eq!(
        seen["status"],
        format!(
            "{} moved to position 2 of 5.",
            seen["movedLabel"].as_str().unwrap()
        )
    );
    // "Right" is the longest run of steps in the right relative order.
    let marks: Vec<String> = serde_json::from_value(seen["marks"].clone()).unwrap();
    let kept: Vec<u64> = expected
        .iter()
        .zip(&marks)
        .filter(|(_, m)| *m == "right")
        .map(|(a, _)| *a)
        .collect();
    assert!(
        kept.windows(2).all(|w| w[0] < w[1]),
        "{marks:?} of {expected:?}"
    );
    assert_eq!(
        kept.len(),
        longest_increasing_run(&expected),
        "{marks:?} of {expected:?}"
    );
    assert!(marks.iter().any(|m| m == "wrong"));
    assert_eq!(
        seen["oneMoved"],
        serde_json::json!(["wrong", "right", "right", "right", "right"])
    );
    assert_eq!(
        seen["oneMovedStatus"],
        "4 of 5 steps are in order; move the step marked wrong."
    );
    assert_eq!(seen["afterQuestions"], true);
    assert_eq!(seen["inFlow"], false);
    assert_eq!(seen["answer"], serde_json::json!([0, 1, 2, 3, 4]));
    assert_eq!(
        seen["answerLabels"],
        serde_json::json!(["Inputs", "Weigh", "Sum", "Activate", "Output"])
    );
    assert_eq!(seen["allRight"], true);
}

/// The length of the longest strictly increasing subsequence of `values` (quadratic, as
/// a check of the page's own method).
fn longest_increasing_run(values: &[u64]) -> usize {
    let mut best = vec![1; values.len()];
    for i in 0..values.len() {
        for j in 0..i {
            if values[j] < values[i] {
                best[i] = best[i].max(best[j] + 1);
            }
        }
    }
    best.into_iter().max().unwrap_or(0)
}

#[test]
fn flash_cards_flip_grade_with_fsrs_and_come_back_on_the_review_page() {
    let site = Site::fixture("mini");
    let seen = in_browser(
        &site,
        include_str!(
            "../probes/study/flash-cards-flip-grade-with-fsrs-and-come-back-on-the-review-page.js"
        ),
    );
    assert_eq!(
        seen["closed"],
        serde_json::json!(["false", false, true]),
        "{seen}"
    );
    assert_eq!(seen["flipped"], serde_json::json!(["true", true, false]));
    assert_eq!(seen["gradesShown"], true);
    assert_eq!(
        seen["afterGrade"],
        serde_json::json!(["false", false, true])
    );
    assert_eq!(seen["focusMoved"], true);
    let t0 = seen["t0"].as_f64().unwrap();
    // FSRS-6 defaults: a new card graded easy starts with stability w[3] = 8.2956 and
    // difficulty clamped to 1, and is due in round(8.2956) = 8 days (retention 0.9).
    let easy = &seen["easy"];
    assert_eq!(easy["state"], 2);
    assert_eq!(easy["stability"], 8.2956);
    assert_eq!(easy["difficulty"], 1.0);
    let last = easy["last"].as_f64().unwrap();
    assert!((t0..t0 + 5_000.0).contains(&last), "{easy}");
    assert_eq!(easy["due"].as_f64().unwrap() - last, 8.0 * 86_400_000.0);
    // The card remembers its lesson, for the home page's count of due cards per course.
    assert_eq!(easy["lesson"], "demo/everything");
    // Graded good, a new card goes to the second learning step: due in 10 minutes.
    let good = &seen["good"];
    assert_eq!(good["state"], 1);
    assert_eq!(good["step"], 1);
    assert_eq!(good["stability"], 2.3065);
    assert_eq!(
        good["due"].as_f64().unwrap() - good["last"].as_f64().unwrap(),
        600_000.0
    );
    // The good card is due in 10 minutes: later today, or tomorrow when the test runs just
    // before midnight.
    let progress = seen["progress"].as_str().unwrap();
    assert!(
        [
            "2 of 2 reviewed, 0 due now, 1 due later today, 0 due tomorrow.",
            "2 of 2 reviewed, 0 due now, 0 due later today, 1 due tomorrow."
        ]
        .contains(&progress),
        "{progress}"
    );
    assert_eq!(seen["unchanged"], true);
    assert_eq!(seen["noneDue"], serde_json::json!([]));
    assert!(
        seen["emptyText"]
            .as_str()
            .unwrap()
            .starts_with("Nothing to review now"),
        "{seen}"
    );
    assert_eq!(seen["exported"], seen["expectedKeys"]);
    assert_eq!(seen["status"], "Imported the progress of 1 item.");
    assert_eq!(seen["afterImport"], serde_json::json!([seen["first"]]));
    assert_eq!(seen["afterReview"], serde_json::json!([]));
    assert_eq!(seen["focusOnProgress"], true);
    assert_eq!(seen["lessonHidden"], true);
}

/// The flip turns the card over; with `prefers-reduced-motion` it is a crossfade: no
/// transform, only opacity. Either way the face not shown is hidden and inert.
#[test]
fn a_flipped_card_turns_over_or_crossfades_when_motion_is_reduced() {
    let script = include_str!(
        "../probes/study/a-flipped-card-turns-over-or-crossfades-when-motion-is-reduced.js"
    );
    let site = Site::fixture("mini");
    let turned = in_browser(&site, script);
    assert_eq!(turned["reduced"], false);
    assert_ne!(turned["front"]["transform"], "none", "{turned}");
    assert_eq!(turned["front"]["visibility"], "hidden");
    assert_eq!(turned["back"]["visibility"], "visible");
    assert!(
        turned["back"]["transition"]
            .as_str()
            .unwrap()
            .contains("transform")
    );
    let site = Site::fixture("mini");
    let faded = in_browser_flags(&site, script, &[], &["--force-prefers-reduced-motion"]);
    assert_eq!(faded["reduced"], true);
    for face in ["front", "back"] {
        assert_eq!(faded[face]["transform"], "none", "{faded}");
        assert!(
            !faded[face]["transition"]
                .as_str()
                .unwrap()
                .contains("transform")
        );
    }
    assert_eq!(faded["front"]["opacity"], "0");
    assert_eq!(faded["front"]["visibility"], "hidden");
    assert_eq!(faded["back"]["opacity"], "1");
    assert_eq!(faded["back"]["visibility"], "visible");
}

/// Dragging with pointer events (as a mouse or a finger on the grip would) moves a step,
/// announces it, and a touch outside the grip leaves the page free to scroll.
#[test]
fn reorder_steps_move_by_dragging_with_pointer_events() {
    let site = Site::fixture("mini");
    let seen = in_browser(
        &site,
        include_str!("../probes/study/reorder-steps-move-by-dragging-with-pointer-events.js"),
    );
    let before: Vec<u64> = serde_json::from_value(seen["before"].clone()).unwrap();
    let mut mouse = before.clone();
    let moved = mouse.remove(0);
    mouse.insert(2, moved);
    assert_eq!(seen["afterMouse"], serde_json::json!(mouse), "{seen}");
    assert_eq!(
        seen["status"],
        format!(
            "{} moved to position 3 of 5.",
            seen["label"].as_str().unwrap()
        )
    );
    assert_eq!(seen["afterTouchLabel"], serde_json::json!(mouse));
    let mut grip = mouse.clone();
    let last = grip.pop().unwrap();
    grip.insert(0, last);
    assert_eq!(seen["afterGrip"], serde_json::json!(grip));
    assert_eq!(seen["focusOnMoved"], true);
}

/// Real key presses (trusted events, as a reader's keyboard makes them): Enter and Space
/// flip the focused card, 2 grades the revealed card, `j` goes to the next lesson.
#[test]
fn real_enter_and_space_flip_a_card_and_number_keys_grade_it() {
    let site = Site::fixture("mini");
    let seen = in_browser(
        &site,
        include_str!(
            "../probes/study/real-enter-and-space-flip-a-card-and-number-keys-grade-it.js"
        ),
    );
    assert_eq!(seen["afterEnter"], "true", "{seen}");
    assert_eq!(seen["afterSpace"], "false");
    assert_eq!(seen["revealed"], "true");
    // Hard on a new card: FSRS-6's first stability for hard, w[1] = 1.2931, and the first
    // learning step's hard interval, halfway between 1 and 10 minutes.
    assert_eq!(seen["hard"]["stability"], 1.2931);
    assert_eq!(seen["hard"]["state"], 1);
    assert_eq!(
        seen["hard"]["due"].as_f64().unwrap() - seen["hard"]["last"].as_f64().unwrap(),
        330_000.0
    );
    assert_eq!(seen["afterJ"], "/demo/last/");
}

/// The theme's FSRS scheduler replays review histories scheduled by py-fsrs 6.3.2, the
/// reference implementation (`tests/fixtures/fsrs/generate.py` made the file), and must
/// land on the same states, steps, due times, stabilities and difficulties.
#[test]
fn the_fsrs_scheduler_matches_the_reference_implementation() {
    let site = Site::fixture("mini");
    let reference = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/fsrs/reference.json"
    ))
    .unwrap();
    let seen = in_browser_with(
        &site,
        include_str!("../probes/study/the-fsrs-scheduler-matches-the-reference-implementation.js"),
        &[("__fsrs.json", &reference)],
    );
    let reference: Value = serde_json::from_str(&reference).unwrap();
    let mut compared = 0;
    for (h, (want, got)) in reference["histories"]
        .as_array()
        .unwrap()
        .iter()
        .zip(seen["histories"].as_array().unwrap())
        .enumerate()
    {
        let want = want["reviews"].as_array().unwrap();
        assert_eq!(want.len(), got.as_array().unwrap().len());
        for (i, (w, g)) in want.iter().zip(got.as_array().unwrap()).enumerate() {
            let at = format!("history {h}, review {i}: want {w}, got {g}");
            for key in ["state", "step", "due"] {
                assert_eq!(w[key], g[key], "{key} of {at}");
            }
            for key in ["stability", "difficulty"] {
                let (w, g) = (w[key].as_f64().unwrap(), g[key].as_f64().unwrap());
                assert!((w - g).abs() <= 1e-9 * w.abs().max(1.0), "{key} of {at}");
            }
            compared += 1;
        }
    }
    assert_eq!(compared, 24 * 12);
}

/// The build writes each lesson's deck and the whole site's decks as Anki TSV, links them,
/// and lets the browser prefetch the neighbouring lessons.
#[test]
fn anki_decks_are_written_and_linked_and_neighbours_are_prefetched() {
    let site = Site::fixture("mini");
    let run = site.build(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let page = site.page("demo/everything/index.html");
    let card_ids: Vec<String> = page
        .all("button.flashcard")
        .iter()
        .map(|b| b.value().attr("id").unwrap().to_string())
        .collect();
    let deck = site.read("public/demo/everything/flashcards.tsv");
    let rows: Vec<&str> = deck.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(rows.len(), 2, "{deck}");
    assert!(deck.starts_with("#separator:tab\n#html:true\n"));
    assert_eq!(
        rows[0],
        format!(
            "{}\tWeight\tA learned multiplier.\tDemo Course::Everything <Escaped>\tconceptlab demo everything",
            card_ids[0]
        )
    );
    assert!(rows[1].starts_with(&format!("{}\tBias\t", card_ids[1])));
    assert_eq!(
        page.attr(".deck-download a", "href"),
        "/demo/everything/flashcards.tsv"
    );
    let all = site.read("public/flashcards.tsv");
    assert!(all.contains(rows[0]) && all.contains(rows[1]));
    let review = site.page("review/index.html");
    assert_eq!(
        review.count("button.flashcard"),
        all.lines().filter(|l| !l.starts_with('#')).count()
    );
    assert_eq!(review.attr(".deck-download a", "href"), "/flashcards.tsv");
    let prefetched: Vec<&str> = page
        .all("link[rel=prefetch]")
        .iter()
        .map(|l| l.value().attr("href").unwrap())
        .collect();
    assert_eq!(prefetched, ["/demo/first/", "/demo/last/"]);
}

/// A card graded again (due in a minute) or good (the 10-minute learning step) comes back
/// while the page is open, as in Anki: on the review page it leaves and returns once due,
/// "Next card in ..." says how long to wait and counts down, and the counts include the
/// cards due later today; on a lesson's deck the due label and the counts follow the clock.
/// The frame's `Date.now` is faked, so that no test waits for minutes.
#[test]
fn cards_in_a_learning_step_come_back_when_due_without_a_reload() {
    let site = Site::fixture("mini");
    let seen = in_browser(
        &site,
        include_str!(
            "../probes/study/cards-in-a-learning-step-come-back-when-due-without-a-reload.js"
        ),
    );
    let all = seen["all"].as_array().unwrap();
    let n = all.len();
    assert!(n >= 2, "{seen}");
    let first = &seen["first"];
    let others: Vec<&Value> = all.iter().filter(|id| *id != first).collect();
    let again = &seen["afterAgain"];
    assert_eq!(again["shown"], serde_json::json!(others), "{seen}");
    assert_eq!(again["status"], "Again: due again in 1 min.");
    let waiting = &seen["waiting"];
    assert_eq!(waiting["shown"], serde_json::json!([]), "{seen}");
    assert_eq!(
        waiting["progress"],
        format!("Nothing to review now; {n} due later today, 0 due tomorrow.")
    );
    assert_eq!(waiting["next"], "Next card in 1 min.");
    let back = &seen["back"];
    assert_eq!(back["shown"], serde_json::json!([first]), "{seen}");
    assert_eq!(
        back["progress"],
        format!("1 card due now, {} due later today, 0 due tomorrow.", n - 1)
    );
    assert_eq!(back["next"], "");
    assert_eq!(seen["nextAfterGood"], "Next card in 9 min.");
    assert_eq!(seen["nextLater"], "Next card in 4 min.");
    let good_back = &seen["goodBack"];
    assert_eq!(good_back["shown"], serde_json::json!(others), "{seen}");
    assert_eq!(
        good_back["progress"],
        format!(
            "{} due now, 1 due later today, 0 due tomorrow.",
            if n == 2 {
                "1 card".to_string()
            } else {
                format!("{} cards", n - 1)
            }
        )
    );
    let lesson = &seen["lessonAfterAgain"];
    assert_eq!(lesson["due"], "Due in 1 min", "{seen}");
    assert_eq!(
        lesson["progress"],
        "1 of 2 reviewed, 0 due now, 1 due later today, 0 due tomorrow."
    );
    assert_eq!(lesson["next"], "Next card in 1 min.");
    let later = &seen["lessonLater"];
    assert_eq!(later["isDue"], true, "{seen}");
    assert_eq!(
        later["progress"],
        "1 of 2 reviewed, 1 due now, 0 due later today, 0 due tomorrow."
    );
    assert_eq!(later["next"], "");
}

/// On a touch screen (no hover, a coarse pointer) the flash cards' hints say tap and name
/// no keys, and the grade buttons show no key; elsewhere they name the click and the keys.
/// Chromium is told its pointer with `--blink-settings`, as a phone's would be.
#[test]
fn flash_card_hints_say_tap_on_touch_screens_and_keys_elsewhere() {
    let script = include_str!(
        "../probes/study/flash-card-hints-say-tap-on-touch-screens-and-keys-elsewhere.js"
    );
    let pointers = [
        (
            "mouse",
            "--blink-settings=primaryPointerType=4,primaryHoverType=2",
        ),
        (
            "touch",
            "--blink-settings=primaryPointerType=2,primaryHoverType=1",
        ),
    ];
    for (pointer, flag) in pointers {
        let site = Site::fixture("mini");
        let seen = in_browser_flags(&site, script, &[], &[flag]);
        let touch = pointer == "touch";
        assert_eq!(seen["touch"], touch, "{pointer}: {seen}");
        assert_eq!(seen["variants"], serde_json::json!([2, 2]));
        let hints = seen["hints"].as_array().unwrap();
        let review = seen["review"].as_str().unwrap();
        if touch {
            assert_eq!(
                hints[0], "Recall the answer, then tap the card to flip it.",
                "{seen}"
            );
            assert!(hints[1].as_str().unwrap().starts_with(
                "Once a card shows its answer, grade your recall with its buttons (again, hard, good, easy)"
            ));
            assert!(
                review.contains("tap a card to flip it, then grade your recall with its buttons")
            );
            assert_eq!(seen["kbd"], "none");
            assert_eq!(seen["grade"], "Again 1 min");
        } else {
            assert_eq!(
                hints[0], "Recall the answer, then flip the card (click, Enter or Space).",
                "{seen}"
            );
            assert!(hints[1].as_str().unwrap().starts_with(
                "Once a card shows its answer, grade your recall with 1 to 4 (again, hard, good, easy)"
            ));
            assert!(review.contains(
                "flip a card (click, Enter or Space), then grade your recall with 1 to 4"
            ));
            assert_ne!(seen["kbd"], "none");
            assert_eq!(seen["grade"], "1 Again 1 min");
        }
        let (flip, grade) = (hints[0].as_str().unwrap(), hints[1].as_str().unwrap());
        for text in [flip, grade, review] {
            assert_eq!(
                text.contains("tap"),
                touch && text != grade,
                "{pointer}: {text}"
            );
        }
        for text in [flip, review] {
            assert_eq!(text.contains("Enter"), !touch, "{pointer}: {text}");
        }
        for text in [grade, review] {
            assert_eq!(text.contains("1 to 4"), !touch, "{pointer}: {text}");
        }
    }
}

/// The answer outlines wait, closed, until the reader opens one ("Show answer outline");
/// "Expand all answers" opens and closes outlines and senior answers and says with
/// `aria-expanded` whether all are open, also when they were opened one by one; links to a
/// question, an outline or a senior answer open what they point to.
#[test]
fn questions_expand_all_says_aria_expanded_and_outlines_wait_to_be_opened() {
    let site = Site::fixture("mini");
    let seen = in_browser(
        &site,
        include_str!(
            "../probes/study/questions-expand-all-says-aria-expanded-and-outlines-wait-to-be-opened.js"
        ),
    );
    let closed_state = serde_json::json!(["false", "Expand all answers"]);
    let open_state = serde_json::json!(["true", "Collapse all answers"]);
    assert_eq!(seen["total"], 6, "{seen}");
    let closed = &seen["closed"];
    assert_eq!(closed["state"], closed_state, "{seen}");
    assert_eq!(closed["open"], 0);
    assert_eq!(closed["summary"], "Show answer outline");
    assert_eq!(closed["hidden"], true);
    let one_by_one = &seen["oneByOne"];
    assert_eq!(one_by_one["state"], open_state, "{seen}");
    assert_eq!(one_by_one["summary"], "Answer outline");
    assert_eq!(one_by_one["shown"], true);
    assert_eq!(seen["oneClosed"], closed_state);
    assert_eq!(seen["expanded"]["state"], open_state);
    assert_eq!(seen["expanded"]["open"], 6);
    assert_eq!(seen["collapsed"]["state"], closed_state);
    assert_eq!(seen["collapsed"]["open"], 0);
    assert_eq!(seen["question"], serde_json::json!([true, true]));
    assert_eq!(seen["fresh"], 0);
    assert_eq!(seen["loadedWithHash"], serde_json::json!([true, "false"]));
}

/// The level chips (beginner, intermediate, expert) are readable: at least 4.5:1 between
/// their text and their tint, in light and dark.
#[test]
fn questions_level_chips_have_a_contrast_of_at_least_4_5() {
    let site = Site::fixture("mini");
    let seen = in_browser(
        &site,
        include_str!("../probes/study/questions-level-chips-have-a-contrast-of-at-least-4-5.js"),
    );
    let ratios = seen.as_object().unwrap();
    assert_eq!(ratios.len(), 6, "{seen}");
    for (chip, ratio) in ratios {
        assert!(ratio.as_f64().unwrap() >= 4.5, "{chip}: {ratio}");
    }
}

#[test]
fn shortcuts_leave_focused_controls_alone_and_can_be_turned_off() {
    let site = Site::fixture("mini");
    let seen = in_browser(
        &site,
        include_str!(
            "../probes/study/shortcuts-leave-focused-controls-alone-and-can-be-turned-off.js"
        ),
    );
    for control in ["card", "reorder", "filter", "link"] {
        assert_eq!(
            seen["stays"][control], "/demo/everything/",
            "{control}: {seen}"
        );
    }
    assert_eq!(seen["fromPage"], "/demo/last/", "{seen}");
    assert_eq!(seen["wasOn"], true);
    assert_eq!(seen["off"], "/demo/everything/", "{seen}");
    assert_eq!(seen["helpOpened"], false);
    assert_eq!(seen["placeholder"], "Search");
    assert_eq!(seen["graded"], 0);
}

#[test]
fn lesson_lists_open_where_there_is_room_and_the_toc_follows_the_reading() {
    let site = Site::fixture("mini");
    let seen = in_browser(
        &site,
        include_str!(
            "../probes/study/lesson-lists-open-where-there-is-room-and-the-toc-follows-the-reading.js"
        ),
    );
    assert_eq!(
        seen["wide"],
        serde_json::json!({ "nav": true, "toc": true })
    );
    assert_eq!(
        seen["reading"],
        serde_json::json!(["#questions", "#examples"])
    );
    assert_eq!(
        seen["phone"],
        serde_json::json!({ "nav": false, "toc": false })
    );
    assert_eq!(seen["banner"], "Continue where you left off: Last Words");
    assert_eq!(seen["bannerHref"], "/demo/last/");
    let progress = seen["progress"].as_str().unwrap();
    assert!(progress.contains(" 1 of "), "{progress}");
    assert!(
        progress.ends_with("points covered · 1 card due"),
        "{progress}"
    );
    assert_eq!(seen["start"], "Continue: Last Words");
    assert_eq!(seen["startHref"], "/demo/last/");
}
