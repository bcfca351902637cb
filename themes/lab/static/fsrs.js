// FSRS-6 scheduler for flash cards: a port of py-fsrs 6.3.2 (the open-spaced-repetition
// reference implementation, used by Anki's FSRS) with its default parameters, learning
// steps of 1 and 10 minutes, a relearning step of 10 minutes and no interval fuzz, so the
// same reviews always give the same schedule. Times are milliseconds since the epoch.
(function (global) {
  "use strict";
  var W = [0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
    1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542];
  var MINUTE = 60000, DAY = 86400000;
  var LEARNING = 1, REVIEW = 2, RELEARNING = 3;
  var AGAIN = 1, HARD = 2, GOOD = 3, EASY = 4;
  var STABILITY_MIN = 0.001;
  var RETENTION = 0.9, MAX_INTERVAL = 36500;
  var LEARNING_STEPS = [MINUTE, 10 * MINUTE], RELEARNING_STEPS = [10 * MINUTE];
  var DECAY = -W[20];
  var FACTOR = Math.pow(0.9, 1 / DECAY) - 1;

  function clampD(d) { return Math.min(Math.max(d, 1), 10); }
  function clampS(s) { return Math.max(s, STABILITY_MIN); }
  // Python's round(): halves go to the even neighbour.
  function round(x) {
    var r = Math.round(x);
    return (Math.abs(x % 1) === 0.5 && r % 2 !== 0) ? r - 1 : r;
  }

  function initialStability(g) { return clampS(W[g - 1]); }
  function initialDifficulty(g, clamp) {
    var d = W[4] - Math.exp(W[5] * (g - 1)) + 1;
    return clamp ? clampD(d) : d;
  }
  function retrievability(card, now) {
    if (card.last == null || card.stability == null) return 0;
    var days = Math.max(0, Math.floor((now - card.last) / DAY));
    return Math.pow(1 + FACTOR * days / card.stability, DECAY);
  }
  function nextInterval(s) {
    var days = round((s / FACTOR) * (Math.pow(RETENTION, 1 / DECAY) - 1));
    return Math.min(Math.max(days, 1), MAX_INTERVAL);
  }
  function shortTermStability(s, g) {
    var inc = Math.exp(W[17] * (g - 3 + W[18])) * Math.pow(s, -W[19]);
    if (g >= HARD) inc = Math.max(inc, 1);
    return clampS(s * inc);
  }
  function nextDifficulty(d, g) {
    var delta = -(W[6] * (g - 3));
    var damped = d + (10 - d) * delta / 9;
    return clampD(W[7] * initialDifficulty(EASY, false) + (1 - W[7]) * damped);
  }
  function nextStability(d, s, r, g) {
    var next;
    if (g === AGAIN) {
      next = Math.min(
        W[11] * Math.pow(d, -W[12]) * (Math.pow(s + 1, W[13]) - 1) * Math.exp((1 - r) * W[14]),
        s / Math.exp(W[17] * W[18]));
    } else {
      next = s * (1 + Math.exp(W[8]) * (11 - d) * Math.pow(s, -W[9]) * (Math.exp((1 - r) * W[10]) - 1) *
        (g === HARD ? W[15] : 1) * (g === EASY ? W[16] : 1));
    }
    return clampS(next);
  }

  function newCard(now) {
    return { state: LEARNING, step: 0, stability: null, difficulty: null, due: now, last: null, reps: 0, lapses: 0 };
  }

  // A short-step card (learning or relearning) after grade g; `steps` are its step lengths.
  function stepInterval(card, g, steps) {
    if (!steps.length || (card.step >= steps.length && g >= HARD)) return graduate(card);
    if (g === AGAIN) { card.step = 0; return steps[0]; }
    if (g === HARD) {
      if (card.step === 0) return steps.length === 1 ? steps[0] * 1.5 : (steps[0] + steps[1]) / 2;
      return steps[card.step];
    }
    if (g === GOOD && card.step + 1 < steps.length) { card.step += 1; return steps[card.step]; }
    return graduate(card);
  }
  function graduate(card) {
    card.state = REVIEW;
    card.step = null;
    return nextInterval(card.stability) * DAY;
  }

  // The card after a review with grade g (1 again, 2 hard, 3 good, 4 easy) at time now.
  function review(old, g, now) {
    var card = {};
    Object.keys(old).forEach(function (k) { card[k] = old[k]; });
    var days = card.last != null ? Math.floor((now - card.last) / DAY) : null;
    var interval;
    if (card.state === LEARNING && (card.stability == null || card.difficulty == null)) {
      card.stability = initialStability(g);
      card.difficulty = initialDifficulty(g, true);
    } else if (days !== null && days < 1) {
      card.stability = shortTermStability(card.stability, g);
      card.difficulty = nextDifficulty(card.difficulty, g);
    } else {
      card.stability = nextStability(card.difficulty, card.stability, retrievability(card, now), g);
      card.difficulty = nextDifficulty(card.difficulty, g);
    }
    if (card.state === LEARNING) {
      interval = stepInterval(card, g, LEARNING_STEPS);
    } else if (card.state === RELEARNING) {
      interval = stepInterval(card, g, RELEARNING_STEPS);
    } else if (g === AGAIN && RELEARNING_STEPS.length) {
      card.state = RELEARNING;
      card.step = 0;
      card.lapses = (card.lapses || 0) + 1;
      interval = RELEARNING_STEPS[0];
    } else {
      interval = nextInterval(card.stability) * DAY;
    }
    card.due = now + interval;
    card.last = now;
    card.reps = (card.reps || 0) + 1;
    return card;
  }

  global.FSRS = {
    PARAMETERS: W, AGAIN: AGAIN, HARD: HARD, GOOD: GOOD, EASY: EASY,
    LEARNING: LEARNING, REVIEW: REVIEW, RELEARNING: RELEARNING,
    newCard: newCard, review: review, retrievability: retrievability
  };
})(window);
