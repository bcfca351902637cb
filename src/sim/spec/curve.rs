//! `kind: learning-curve`: training-set sizes, the test set and the models compared.
//!
//! Owns: the learning-curve kind's checks and plan. Never does: train.

use std::collections::HashSet;

use super::*;

pub(super) fn plan_curve(
    sim: &Simulation,
    ds: &crate::load::lesson::SimDataset,
    base: &RunPlan,
    loc: &Locator,
    errors: &mut Vec<Diagnostic>,
) -> Option<Plan> {
    let sizes = match &ds.sizes {
        None => {
            errors.push(
                loc.error(
                    &["dataset:"],
                    "a `learning-curve` simulation needs `dataset.sizes`: the training-set sizes",
                )
                .with_hint("e.g. `dataset: { kind: spirals, sizes: [50, 200, 800] }`"),
            );
            Vec::new()
        }
        Some(s) => {
            let path = ["dataset:", "sizes:"];
            if s.len() < 2 {
                errors.push(loc.error(
                    &path,
                    "`sizes` needs at least two training-set sizes to draw a curve",
                ));
            } else if !s.windows(2).all(|w| w[0] < w[1]) {
                errors.push(loc.error(&path, "`sizes` must be increasing, e.g. [100, 300, 1000]"));
            }
            if s.first().is_some_and(|&x| x < 4) {
                errors.push(loc.error(&path, "a training set needs at least 4 points"));
            }
            s.clone()
        }
    };
    let test = ds.test.unwrap_or(DEFAULT_TEST_SIZE);
    if !(10..=MAX_POINTS).contains(&test) {
        errors.push(loc.error(
            &["dataset:", "test:"],
            format!("`test: {test}` is out of range: expected 10 to {MAX_POINTS} points"),
        ));
    }
    if sizes.last().is_some_and(|&m| m + test > MAX_POINTS) {
        errors.push(loc.error(
            &["dataset:", "sizes:"],
            format!("the largest size plus the test set is over {MAX_POINTS} points"),
        ));
    }
    let seeds = sim.seeds.unwrap_or(DEFAULT_SEEDS);
    if !(1..=MAX_SEEDS).contains(&seeds) {
        errors.push(loc.error(
            &["seeds:"],
            format!("`seeds: {seeds}` is out of range: expected 1 to {MAX_SEEDS}"),
        ));
    }
    let mut models = Vec::new();
    match &sim.models {
        None => errors.push(
            loc.error(&[], "a `learning-curve` simulation needs `models:`")
                .with_hint("e.g. `models: [{ name: logistic, hidden: [] }, { name: network, hidden: [32, 32] }]`"),
        ),
        Some(m) if m.is_empty() => errors.push(loc.error(&["models:"], "`models` is empty: give at least one model")),
        Some(m) => {
            let mut names = HashSet::new();
            for model in m {
                let path = ["models:", &format!("name: {}", model.name)].map(str::to_owned);
                let path: Vec<&str> = path.iter().map(String::as_str).collect();
                if model.name.trim().is_empty() {
                    errors.push(loc.error(&["models:"], "a model has an empty `name`"));
                }
                if !names.insert(model.name.as_str()) {
                    errors.push(loc.error(&path, format!("two models are named `{}`", model.name)));
                }
                check_hidden(&model.hidden, loc, &path, errors);
                models.push(ModelPlan {
                    name: model.name.clone(),
                    hidden: model.hidden.clone(),
                    activation: model.activation.unwrap_or(base.activation),
                });
            }
        }
    }
    Some(Plan::LearningCurve {
        sizes,
        test,
        models,
        seeds,
    })
}
