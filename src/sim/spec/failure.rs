//! `kind: failure-modes`: each failure mode as a change to the healthy run, with its
//! label, symptom and remedy.
//!
//! Owns: the failure-modes kind's checks and plan. Never does: train.

use std::collections::HashSet;

use super::*;

pub(super) fn plan_failures(
    sim: &Simulation,
    base: &RunPlan,
    data: &DataPlan,
    loc: &Locator,
    errors: &mut Vec<Diagnostic>,
) -> Option<Plan> {
    let Some(modes) = &sim.modes else {
        errors.push(
            loc.error(&[], "a `failure-modes` simulation needs `modes:`")
                .with_hint(
                    "e.g. `modes: [{ mode: lr-too-high, remedy: \"lower the learning rate\" }]`",
                ),
        );
        return None;
    };
    if modes.is_empty() {
        errors.push(loc.error(
            &["modes:"],
            "`modes` is empty: give at least one failure mode",
        ));
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, m) in modes.iter().enumerate() {
        let name = m.mode.as_str();
        let at = i.to_string();
        if !seen.insert(m.mode) {
            errors.push(loc.error(
                &["modes", &at, "mode"],
                format!("the mode `{name}` is listed twice"),
            ));
        }
        if m.remedy.trim().is_empty() {
            errors.push(loc.error(
                &["modes", &at, "remedy"],
                format!("the mode `{name}` has an empty `remedy`"),
            ));
        }
        let (run, change, label, symptom) = failure_run(m.mode, base, data);
        out.push(ModePlan {
            mode: m.mode,
            label: label.into(),
            symptom: m.symptom.clone().unwrap_or_else(|| symptom.into()),
            remedy: m.remedy.clone(),
            change,
            run,
        });
    }
    let healthy = format!(
        "{} hidden layers, {}, {} at learning rate {}, {} epochs on {} training points",
        hidden_label(&base.hidden),
        base.activation.as_str(),
        optimizer_name(base.optimizer),
        num(base.lr),
        base.epochs,
        data.n - (data.n as f64 * data.test_fraction).round() as usize,
    );
    Some(Plan::FailureModes {
        healthy,
        modes: out,
    })
}

/// Points the too-little-data mode trains on.
pub const LITTLE_DATA: usize = 20;

/// How a failure mode is produced from the healthy run: the run, the change in words,
/// the label and the default symptom.
pub fn failure_run(
    mode: FailureMode,
    base: &RunPlan,
    _data: &DataPlan,
) -> (RunPlan, String, &'static str, &'static str) {
    let mut run = base.clone();
    match mode {
        FailureMode::LrTooHigh => {
            run.lr = base.lr * 100.0;
            (
                run,
                format!(
                    "learning rate {} instead of {}",
                    num(base.lr * 100.0),
                    num(base.lr)
                ),
                "Learning rate too high",
                "The loss jumps around or climbs instead of settling, and the boundary flips from one snapshot to the next.",
            )
        }
        FailureMode::LrTooLow => {
            run.lr = base.lr / 1000.0;
            (
                run,
                format!(
                    "learning rate {} instead of {}",
                    num(base.lr / 1000.0),
                    num(base.lr)
                ),
                "Learning rate too low",
                "The loss barely moves from where it started: the network is learning, but far too slowly to get anywhere in the time given.",
            )
        }
        FailureMode::SaturatedSigmoid => {
            let width = base.hidden.iter().copied().max().unwrap_or(8).max(8);
            run.hidden = vec![width; 6];
            run.activation = ActivationName::Sigmoid;
            run.optimizer = OptimizerName::Sgd;
            run.lr = 0.1;
            (
                run,
                format!("6 sigmoid layers of {width} trained with plain SGD at learning rate 0.1"),
                "Saturated sigmoids",
                "The loss sits on a long plateau near its starting value: the gradient shrinks at every sigmoid layer it passes back through, so the early layers hardly learn.",
            )
        }
        FailureMode::DeadRelu => {
            run.activation = ActivationName::Relu;
            run.optimizer = OptimizerName::Sgd;
            run.lr = 8.0;
            (
                run,
                format!(
                    "ReLU units trained with SGD at learning rate 8 (healthy: {}, {} at {})",
                    base.activation.as_str(),
                    optimizer_name(base.optimizer),
                    num(base.lr)
                ),
                "Dead ReLUs",
                "After a few huge early steps the ReLU units output zero for every input and pass no gradient back: the loss freezes and the heatmap goes flat.",
            )
        }
        FailureMode::TooLittleData => {
            run.train_limit = Some(LITTLE_DATA);
            run.hidden = vec![64, 64];
            run.l2 = 0.0;
            (
                run,
                format!("{LITTLE_DATA} training points and hidden layers 64-64"),
                "Too little data",
                "Training accuracy climbs to nearly 100% while test accuracy stays far lower: the network memorises the few points it has, and the boundary bends around each one.",
            )
        }
        FailureMode::TooSmallNetwork => {
            run.hidden = vec![1];
            (
                run,
                format!("one hidden unit instead of {}", hidden_label(&base.hidden)),
                "Network too small",
                "Both training and test accuracy stall well below the healthy run: one unit can only draw a straight boundary, whatever the training does.",
            )
        }
    }
}
