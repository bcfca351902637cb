//! The widgets of a lesson page: the explorables of its `widgets:` list, as template data.
//!
//! Each widget gets a DOM id, a heading, the texts a reader without JavaScript needs
//! (axis values, failure modes' symptoms and remedies, a table of numbers) and a static SVG
//! drawn here at build time from the simulation's quantized values, so the insight shows
//! with JavaScript off and in print. The theme's `widgets.js` fetches the artifact
//! (written next to the page, [`WidgetOutput::files`]) when the widget scrolls into view
//! and redraws the same figures interactively. Colours come from CSS classes, so the
//! figures follow light and dark mode. When a simulation has no result yet (still
//! training under `conceptlab serve`), the widget is a placeholder.
//!
//! Owns: the widget views, their ids and artifact files, and the dispatch to each kind.
//! Never does: draw a figure (the kinds and the plot kit do).

use serde::Serialize;

use crate::config::BaseUrl;
use crate::load::LessonKey;
use crate::load::lesson::{Widget, WidgetKind};
use crate::output::{Contents, OutputFile};
use crate::sim::{SimArtifact, SimData, SimResults};
use crate::slug::PageIds;

mod compare;
mod curve;
mod failure;
mod neuron;
mod playground;
mod plot;
mod runs;
mod sweep;

/// Colour bins of a heatmap: 0..4 lean to class 0, 4..8 to class 1.
pub const HEAT_BINS: u32 = 8;

/// One widget as templates see it.
#[derive(Clone, Debug, Serialize)]
pub struct WidgetView {
    /// `neuron`, `learning-curve`, `sweep-explorer` or `failure-lab`.
    pub kind: &'static str,
    /// The section's id: `explore-<simulation id>`, or `explore-neuron` (`-2`, ... when
    /// a kind repeats); also its anchor and TOC entry.
    pub id: String,
    /// The author's `title:` or the kind's default.
    pub title: String,
    /// The static figures: markup of one or more `<div class="wfig" data-fig="...">`,
    /// each holding an `<svg>` (escaped here; print with `safe`). Empty when pending.
    pub svg: String,
    /// The artifact's URL (data-backed widgets with data).
    pub artifact: Option<String>,
    /// True when the widget's simulation has no result yet.
    pub pending: bool,
    /// What the static figures show, in words.
    pub caption: String,
    pub neuron: Option<NeuronView>,
    pub sweep: Option<SweepView>,
    pub curve: Option<CurveView>,
    pub failure: Option<FailureView>,
    /// The playground's and the fit's extras (their axes are in `sweep`).
    pub play: Option<PlayView>,
}

/// What a playground or a fit adds to a sweep's controls.
#[derive(Clone, Debug, Serialize)]
pub struct PlayView {
    pub regression: bool,
    /// The default run's weights at the epoch shown, for the table under the diagram.
    pub weights: Vec<WeightRow>,
    pub weights_epoch: u32,
    /// Where the runs' files are: `<runs_url><index>.bin`.
    pub runs_url: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct WeightRow {
    pub from: String,
    pub to: String,
    pub value: String,
}

/// A numeric control of the neuron.
#[derive(Clone, Debug, Serialize)]
pub struct NeuronControl {
    pub key: &'static str,
    pub label: &'static str,
    /// Numbers as written in the HTML (`0.8`, never `0.800000011920929`).
    pub min: String,
    pub max: String,
    pub step: String,
    pub value: String,
    /// The value as the page shows it beside the slider (`−1.2`).
    pub shown: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct NeuronView {
    pub controls: Vec<NeuronControl>,
    /// The activations of the select: `value` (`relu`) and `label` (`ReLU`).
    pub activations: Vec<Choice>,
    pub activation: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
}

/// An axis of a sweep as its control shows it.
#[derive(Clone, Debug, Serialize)]
pub struct AxisView {
    pub key: String,
    pub label: String,
    pub values: Vec<String>,
    /// The index of the value shown first.
    pub default: usize,
    /// The last index (`values.len() - 1`).
    pub max: usize,
    /// The value shown first.
    pub shown: String,
    /// `values` as a JSON array, for the control's `data-values`.
    pub values_json: String,
    /// `values` joined with ", ".
    pub list: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct SweepView {
    pub axes: Vec<AxisView>,
    /// The epochs of the heatmap snapshots; the last one is shown first.
    pub snapshots: Vec<u32>,
    /// The index of the last snapshot (shown first), and its epoch.
    pub snapshot_max: usize,
    pub snapshot_epoch: u32,
    /// `snapshots` as a JSON array.
    pub snapshots_json: String,
    pub dataset: String,
    pub runs: usize,
}

impl AxisView {
    /// The controls of a grid's axes, each at its default value.
    fn of(axes: &[crate::sim::model::Axis], default: &[usize]) -> Vec<AxisView> {
        axes.iter()
            .zip(default)
            .map(|(a, &i)| AxisView {
                key: a.key.clone(),
                label: a.label.clone(),
                values: a.values.clone(),
                default: i,
                max: a.values.len().saturating_sub(1),
                shown: a.values[i].clone(),
                values_json: serde_json::to_string(&a.values).unwrap_or_default(),
                list: a.values.join(", "),
            })
            .collect()
    }
}

/// One row of the learning curve's table: a training-set size and each model's numbers.
#[derive(Clone, Debug, Serialize)]
pub struct CurveRow {
    pub size: usize,
    /// Per model: "87% (84–90%), train 95%".
    pub cells: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CurveView {
    pub models: Vec<String>,
    pub sizes: Vec<usize>,
    pub seeds: usize,
    pub rows: Vec<CurveRow>,
    pub dataset: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ModeView {
    pub mode: String,
    pub label: String,
    pub symptom: String,
    pub remedy: String,
    pub change: String,
    pub diverged: bool,
    /// The mode's final losses and accuracy in words.
    pub result: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct FailureView {
    pub healthy: String,
    /// The healthy run's final losses and accuracy in words.
    pub healthy_result: String,
    pub modes: Vec<ModeView>,
    pub dataset: String,
}

/// The widgets of one lesson and the artifact files they fetch.
#[derive(Debug, Default)]
pub struct WidgetOutput {
    pub widgets: Vec<WidgetView>,
    pub files: Vec<OutputFile>,
}

/// The DOM ids of `widgets`, in order: known before the body is rendered, so headings
/// never take them.
pub fn widget_ids(widgets: &[Widget]) -> Vec<String> {
    let mut taken = PageIds::default();
    widgets
        .iter()
        .map(|w| {
            let stem = match &w.simulation {
                Some(sim) if w.kind.needs().is_some() => format!("explore-{sim}"),
                _ => format!("explore-{}", w.kind.as_str()),
            };
            taken.unique(&stem, 2)
        })
        .collect()
}

fn default_title(kind: WidgetKind) -> &'static str {
    match kind {
        WidgetKind::Neuron => "Try a neuron",
        WidgetKind::LearningCurve => "Learning curves",
        WidgetKind::SweepExplorer => "Explore the training runs",
        WidgetKind::FailureLab => "Failure lab",
        WidgetKind::Playground => "Playground",
        WidgetKind::Fit => "Fit a curve",
        WidgetKind::Compare => "Side by side",
    }
}

/// The widgets of the lesson `lesson_key` (`course/slug`), whose page is at
/// `<lesson_key>/`. `ids` comes from [`widget_ids`].
pub fn build(
    widgets: &[Widget],
    ids: &[String],
    lesson_key: &LessonKey,
    sims: &SimResults,
    base: &BaseUrl,
) -> WidgetOutput {
    let mut out = WidgetOutput::default();
    // Artifact paths already written (two widgets may show one simulation).
    let mut written = std::collections::HashSet::new();
    for (w, id) in widgets.iter().zip(ids) {
        let title = w
            .title
            .clone()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| default_title(w.kind).to_string());
        let mut data = WidgetView {
            kind: w.kind.as_str(),
            id: id.clone(),
            title,
            svg: String::new(),
            artifact: None,
            pending: false,
            caption: String::new(),
            neuron: None,
            sweep: None,
            curve: None,
            failure: None,
            play: None,
        };
        if w.kind == WidgetKind::Neuron {
            neuron::view(&mut data);
            out.widgets.push(data);
            continue;
        }
        let artifact = w
            .simulation
            .as_deref()
            .and_then(|sim| sims.get(lesson_key.as_str(), sim).map(|a| (sim, a)));
        let shown = artifact.and_then(|(sim, a)| {
            let ok = match (&a.data, w.kind) {
                (SimData::Sweep(d), WidgetKind::SweepExplorer) => sweep::view(&mut data, d),
                (SimData::LearningCurve(d), WidgetKind::LearningCurve) => curve::view(&mut data, d),
                (SimData::FailureModes(d), WidgetKind::FailureLab) => failure::view(&mut data, d),
                (SimData::Playground(d), WidgetKind::Playground) => playground::view(&mut data, d),
                (SimData::Playground(d), WidgetKind::Fit) => playground::fit_view(&mut data, d),
                (d, WidgetKind::Compare) => {
                    compare::view(&mut data, d, w.axis.as_deref().unwrap_or_default())
                }
                _ => false,
            };
            ok.then_some((sim, a))
        });
        match shown {
            // A comparison is complete as built: nothing to fetch.
            Some(_) if w.kind == WidgetKind::Compare => {}
            Some((sim, a)) => {
                let path = artifact_path(lesson_key, sim, a);
                if let SimData::Playground(d) = &a.data {
                    // The index first, each run when the reader picks it.
                    let runs_dir = path.trim_end_matches(".bin").to_string();
                    if let Some(play) = data.play.as_mut() {
                        play.runs_url = base.join(&format!("{runs_dir}/"));
                    }
                    data.artifact = Some(base.join(&path));
                    if written.insert(path.clone()) {
                        out.files.push(OutputFile {
                            path,
                            contents: Contents::Bytes(SimData::Playground(d.index()).encode()),
                        });
                        for (i, run) in d.runs.iter().enumerate() {
                            out.files.push(OutputFile {
                                path: format!("{runs_dir}/{i}.bin"),
                                contents: Contents::Bytes(
                                    SimData::PlaygroundRun(Box::new(run.clone())).encode(),
                                ),
                            });
                        }
                    }
                } else {
                    data.artifact = Some(base.join(&path));
                    if written.insert(path.clone()) {
                        out.files.push(OutputFile {
                            path,
                            contents: Contents::Bytes(a.bytes.clone()),
                        });
                    }
                }
            }
            None => {
                data.pending = true;
                data.svg.clear();
                data.caption = if artifact.is_some() {
                    // Results of another kind or shape than the widget reads: a bug of
                    // the simulate stage, shown rather than hidden or panicked over.
                    "The data for this explorer does not have the shape it needs, so it \
                     cannot be shown."
                } else {
                    "The data for this explorer is being computed; the page reloads when it \
                     is ready."
                }
                .into();
                data.sweep = None;
                data.curve = None;
                data.failure = None;
                data.play = None;
            }
        }
        out.widgets.push(data);
    }
    out
}

/// `<course>/<lesson>/sim-<id>.<hash>.bin`, relative to the output folder.
pub fn artifact_path(lesson_key: &LessonKey, sim: &str, artifact: &SimArtifact) -> String {
    lesson_key.file(&format!("sim-{sim}.{}.bin", artifact.short_hash()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widget_ids_are_unique() {
        let w = |kind, sim: Option<&str>| Widget {
            kind,
            simulation: sim.map(str::to_owned),
            title: None,
            axis: None,
        };
        let ids = widget_ids(&[
            w(WidgetKind::Neuron, None),
            w(WidgetKind::Neuron, None),
            w(WidgetKind::SweepExplorer, Some("drill")),
        ]);
        assert_eq!(ids, ["explore-neuron", "explore-neuron-2", "explore-drill"]);
    }
}
