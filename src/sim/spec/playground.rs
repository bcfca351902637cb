//! `kind: playground`: a grid over everything a reader may change (dataset, noise, test
//! fraction, input features, layout, activation, optimizer, learning rate, penalty, batch
//! size, seed), each run recorded in full: every unit's map and the weights at each
//! snapshot. A playground of `linear` or `sine` is a 1-D regression (the `fit` widget).
//!
//! Owns: the playground kind's checks and plan, and its runs with their datasets. Never
//! does: train.

use super::sweep::{grid_runs, plan_axes};
use super::*;

/// The largest network a playground's diagram draws.
pub const MAX_PLAYGROUND_WIDTH: usize = 8;
pub const MAX_PLAYGROUND_DEPTH: usize = 6;

/// One run of a playground: its dataset and its training.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlayRun {
    pub data: DataPlan,
    pub run: RunPlan,
}

/// The features a dataset's inputs give when the author names none.
pub fn default_features(regression: bool) -> Vec<FeatureName> {
    if regression {
        vec![FeatureName::X1]
    } else {
        vec![FeatureName::X1, FeatureName::X2]
    }
}

/// Whether `f` can be computed from one raw input (x₁ alone).
fn one_dimensional(f: FeatureName) -> bool {
    matches!(
        f,
        FeatureName::X1 | FeatureName::X1Squared | FeatureName::SinX1
    )
}

pub(super) fn plan_playground(
    sim: &Simulation,
    ds: &SimDataset,
    base: &mut RunPlan,
    resolution: usize,
    loc: &Locator,
    errors: &mut Vec<Diagnostic>,
) -> Option<Plan> {
    let (axes, default) = plan_axes(sim, SimulationKind::Playground, loc, errors);
    let base_kind = ds.kind.unwrap_or(DatasetName::Circle);
    let mut kinds = vec![base_kind];
    let mut feature_sets = Vec::new();
    for axis in &axes {
        match axis {
            AxisPlan::Dataset(v) => kinds = v.clone(),
            AxisPlan::Features(v) => feature_sets = v.clone(),
            _ => {}
        }
    }
    // The same rule as `Simulation::is_regression`, which the widget checks use.
    let regression = sim.is_regression();
    if kinds.iter().any(|k| k.is_regression() != regression) {
        errors.push(
            loc.error(
                &["grid:", "dataset:"],
                "the `dataset` axis mixes 2-D classification and 1-D regression datasets",
            )
            .with_hint(
                "a playground draws one or the other: use spirals, circle, xor, moons and blobs, or linear and sine, in separate simulations",
            ),
        );
    }
    if !regression && (2..=MAX_RESOLUTION).contains(&resolution) && !resolution.is_multiple_of(2) {
        errors.push(
            loc.error(
                &["resolution:"],
                format!("`resolution: {resolution}` is odd: a playground's unit maps average 2 x 2 cells"),
            )
            .with_hint(format!("use `resolution: {}`", resolution + 1)),
        );
    }
    if let Some(n) = ds.n
        && (10..=MAX_POINTS).contains(&n)
        && !n.is_multiple_of(2)
        && base_kind != DatasetName::Spirals
        && kinds.contains(&DatasetName::Spirals)
    {
        errors.push(
            loc.error(
                &["dataset:", "n:"],
                format!("`n: {n}` is odd: two spirals (in the `dataset` axis) need an even number of points"),
            )
            .with_hint(format!("use `n: {}`", n + 1)),
        );
    }
    // The diagram draws every unit (a regression's `fit` draws no diagram).
    let mut layouts: Vec<(&[usize], Vec<&str>)> = vec![(&base.hidden, vec!["hidden:"])];
    for axis in &axes {
        if let AxisPlan::Hidden(v) = axis {
            layouts.extend(v.iter().map(|h| (h.as_slice(), vec!["grid:", "hidden:"])));
        }
    }
    for (h, path) in layouts.into_iter().filter(|_| !regression) {
        if h.len() > MAX_PLAYGROUND_DEPTH || h.iter().any(|&w| w > MAX_PLAYGROUND_WIDTH) {
            errors.push(
                loc.error(
                    &path,
                    format!(
                        "hidden layers {} are too large for a playground's diagram: at most {MAX_PLAYGROUND_DEPTH} layers of at most {MAX_PLAYGROUND_WIDTH} units",
                        hidden_label(h)
                    ),
                )
                .with_hint("a wider network belongs in a `sweep`, which draws no diagram"),
            );
        }
    }
    let reg_axis = axes
        .iter()
        .any(|a| matches!(a, AxisPlan::Regularization(_)));
    let rate_axis = axes
        .iter()
        .any(|a| matches!(a, AxisPlan::RegularizationRate(_)));
    if rate_axis && !reg_axis && base.regularization == RegularizationName::None {
        errors.push(
            loc.error(
                &["grid:", "regularization_rate:"],
                "the `regularization_rate` axis changes nothing: `regularization` is `none`",
            )
            .with_hint("set `regularization: l1` or `l2`, or add a `regularization` axis"),
        );
    }
    base.features = sim
        .features
        .clone()
        .unwrap_or_else(|| default_features(regression));
    if sim.features.is_some() {
        check_features(&base.features, regression, loc, &["features:"], errors);
    }
    for set in &feature_sets {
        check_features(set, regression, loc, &["grid:", "features:"], errors);
    }
    Some(Plan::Playground {
        axes,
        default,
        n: ds.n,
        noise: ds.noise,
        regression,
    })
}

fn check_features(
    set: &[FeatureName],
    regression: bool,
    loc: &Locator,
    path: &[&str],
    errors: &mut Vec<Diagnostic>,
) {
    if set.is_empty() {
        errors.push(
            loc.error(path, "a feature set is empty: the network needs an input")
                .with_hint("e.g. `[x1, x2]`"),
        );
    }
    let mut seen = std::collections::HashSet::new();
    for &f in set {
        if !seen.insert(f) {
            errors.push(loc.error(
                path,
                format!("the feature `{}` is listed twice in one set", f.as_str()),
            ));
        }
        if regression && !one_dimensional(f) {
            errors.push(
                loc.error(
                    path,
                    format!(
                        "the feature `{}` needs x₂, and a regression dataset has one input (x₁)",
                        f.as_str()
                    ),
                )
                .with_hint("a 1-D dataset takes `x1`, `x1^2` and `sin-x1`"),
            );
        }
    }
}

/// The runs of a playground in run order (row-major over its axes, the last changing
/// fastest), each with its dataset: a dataset the axis picks takes its own default `n`
/// and noise unless the author wrote them.
pub fn playground_runs(r: &SimPlan) -> Vec<PlayRun> {
    let Plan::Playground { axes, n, noise, .. } = &r.plan else {
        return Vec::new();
    };
    let noise_axis = axes.iter().any(|a| matches!(a, AxisPlan::Noise(_)));
    grid_runs(&r.base, &r.data, axes)
        .into_iter()
        .map(|mut p| {
            let (dn, dnoise) = dataset_defaults(p.data.kind);
            p.data.n = n.unwrap_or(dn);
            if !noise_axis {
                p.data.noise = noise.unwrap_or(dnoise);
            }
            p
        })
        .collect()
}
