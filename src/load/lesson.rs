//! The lesson file format: its front-matter keys and the checks on their values.
//!
//! The serde types here *are* the schema: unknown keys are rejected by
//! `deny_unknown_fields` (with a "did you mean" hint from [`crate::yaml`]), types are
//! checked by serde, and [`LessonMeta::validate`] checks what types cannot say (empty
//! titles, duplicate ids, widgets that point at a missing simulation). The format is
//! documented for authors in `docs/lesson-format.md`; keep the two in step.
//!
//! Owns: the lesson schema, its checks, and the string forms of its enums. Never does: read
//! files or render Markdown.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Deserializer, Serialize};

use super::source::SourceFile;
use crate::diagnostics::Diagnostic;
use crate::slug::{is_valid_slug, url_slug};

/// Defines an enum whose values authors write in front-matter, with each value's name
/// written once: serde reads and writes it, `as_str` gives it, and `ALL` lists every
/// value (for "expected one of" hints and tests).
macro_rules! named_values {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident = $text:literal,)+
        }
    ) => {
        $(#[$meta])*
        pub enum $name {
            $($(#[$variant_meta])* #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &[$name] = &[$($name::$variant),+];

            /// The name authors write for this value.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }
    };
}

/// The front-matter of a lesson.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LessonMeta {
    pub title: String,
    #[serde(default)]
    pub summary: String,
    pub order: Option<u32>,
    pub slug: Option<String>,
    #[serde(default)]
    pub draft: bool,
    pub date: Option<String>,
    #[serde(default, deserialize_with = "list")]
    pub tags: Vec<String>,
    #[serde(default, deserialize_with = "list")]
    pub tradeoffs: Vec<String>,
    #[serde(default, deserialize_with = "list")]
    pub notes: Vec<Note>,
    #[serde(default, deserialize_with = "list")]
    pub coverage: Vec<String>,
    #[serde(default, deserialize_with = "list")]
    pub examples: Vec<Example>,
    #[serde(default, deserialize_with = "list")]
    pub flow: Vec<FlowStep>,
    #[serde(default, deserialize_with = "list")]
    pub questions: Vec<Question>,
    #[serde(default, deserialize_with = "list")]
    pub flashcards: Vec<FlashCard>,
    #[serde(default, deserialize_with = "list")]
    pub simulations: Vec<Simulation>,
    #[serde(default, deserialize_with = "list")]
    pub widgets: Vec<Widget>,
    /// `check`'s warnings switched off for this lesson.
    #[serde(default)]
    pub warnings: crate::config::Warnings,
}

/// A callout: a first-time-learner note, a production note, a warning...
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    #[serde(default)]
    pub kind: CalloutKind,
    pub title: Option<String>,
    pub text: String,
}

named_values! {
    /// The kinds of callout, the same as GitHub's alerts.
    #[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
    pub enum CalloutKind {
        #[default]
        Note = "note",
        Tip = "tip",
        Important = "important",
        Warning = "warning",
        Caution = "caution",
    }
}

impl CalloutKind {
    pub fn label(self) -> &'static str {
        match self {
            CalloutKind::Note => "Note",
            CalloutKind::Tip => "Tip",
            CalloutKind::Important => "Important",
            CalloutKind::Warning => "Warning",
            CalloutKind::Caution => "Caution",
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub title: String,
    #[serde(default)]
    pub kind: ExampleKind,
    pub body: String,
}

named_values! {
    #[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
    pub enum ExampleKind {
        Starter = "starter",
        Scenario = "scenario",
        #[default]
        Example = "example",
    }
}

impl ExampleKind {
    /// The label the page shows above an example of this kind.
    pub fn label(self) -> &'static str {
        match self {
            ExampleKind::Starter => "Guided starter",
            ExampleKind::Scenario => "Practical scenario",
            ExampleKind::Example => "Example",
        }
    }
}

/// One step of the lesson's architecture flow.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FlowStep {
    pub step: String,
    #[serde(default)]
    pub detail: String,
}

/// An interview question with an answer outline and a senior answer.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: Option<String>,
    pub level: Level,
    pub q: String,
    #[serde(default)]
    pub answer: String,
    #[serde(default)]
    pub senior: String,
}

named_values! {
    #[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord)]
    pub enum Level {
        Beginner = "beginner",
        Intermediate = "intermediate",
        Expert = "expert",
    }
}

impl Level {
    /// The label the page shows for a question of this level.
    pub fn label(self) -> &'static str {
        match self {
            Level::Beginner => "Beginner",
            Level::Intermediate => "Intermediate",
            Level::Expert => "Expert",
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FlashCard {
    pub front: String,
    pub back: String,
}

/// A simulation to precompute at build time: every key of every kind, each optional, so
/// that serde reports unknown keys and wrong types at their exact line. Which keys a kind
/// accepts, the defaults and the semantic checks live in `crate::sim::spec`; the format is
/// documented in `docs/simulations.md`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Simulation {
    pub id: String,
    pub kind: SimulationKind,
    pub title: Option<String>,
    pub dataset: Option<SimDataset>,
    pub epochs: Option<usize>,
    pub optimizer: Option<OptimizerName>,
    pub lr: Option<f64>,
    pub hidden: Option<Vec<usize>>,
    pub activation: Option<ActivationName>,
    pub l2: Option<f64>,
    pub batch_size: Option<BatchSize>,
    pub seed: Option<u64>,
    pub resolution: Option<usize>,
    pub snapshots: Option<Vec<usize>>,
    /// `playground` only: the network's inputs, computed from the raw coordinates.
    pub features: Option<Vec<FeatureName>>,
    /// `playground` only: `none`, `l1` or `l2`.
    pub regularization: Option<RegularizationName>,
    /// `playground` only: the penalty's weight.
    pub regularization_rate: Option<f64>,
    /// `sweep` and `playground`.
    pub grid: Option<SweepGrid>,
    /// `sweep` and `playground`.
    pub default: Option<SweepDefault>,
    /// `learning-curve` only.
    pub models: Option<Vec<CurveModel>>,
    /// `learning-curve` only: how many seeds each point averages.
    pub seeds: Option<usize>,
    /// `failure-modes` only.
    pub modes: Option<Vec<LabMode>>,
}

/// The `dataset:` of a simulation.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SimDataset {
    pub kind: Option<DatasetName>,
    pub n: Option<usize>,
    pub noise: Option<f64>,
    pub seed: Option<u64>,
    pub test_fraction: Option<f64>,
    /// `learning-curve` only: training-set sizes.
    pub sizes: Option<Vec<usize>>,
    /// `learning-curve` only: the test-set size.
    pub test: Option<usize>,
}

named_values! {
    #[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum DatasetName {
        Spirals = "spirals",
        Circle = "circle",
        Xor = "xor",
        Moons = "moons",
        Blobs = "blobs",
        Linear = "linear",
        Sine = "sine",
    }
}

impl DatasetName {
    /// The 1-D regression datasets (a playground's `fit` data).
    pub fn is_regression(self) -> bool {
        matches!(self, DatasetName::Linear | DatasetName::Sine)
    }
}

named_values! {
    /// An input feature of a playground network (see `engine::Feature`).
    #[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum FeatureName {
        X1 = "x1",
        X2 = "x2",
        X1Squared = "x1^2",
        X2Squared = "x2^2",
        X1X2 = "x1x2",
        SinX1 = "sin-x1",
        SinX2 = "sin-x2",
    }
}

named_values! {
    /// A playground's weight penalty.
    #[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum RegularizationName {
        None = "none",
        L1 = "l1",
        L2 = "l2",
    }
}

named_values! {
    #[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum OptimizerName {
        Adam = "adam",
        Sgd = "sgd",
        Momentum = "momentum",
    }
}

named_values! {
    #[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum ActivationName {
        Relu = "relu",
        LeakyRelu = "leaky-relu",
        Tanh = "tanh",
        Sigmoid = "sigmoid",
        Linear = "linear",
    }
}

/// A mini-batch size: a number of points, or `full` (also `null`) for full-batch steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct BatchSize(pub Option<usize>);

impl<'de> Deserialize<'de> for BatchSize {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = BatchSize;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a batch size (a positive integer) or `full`")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<BatchSize, E> {
                Ok(BatchSize(Some(v as usize)))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<BatchSize, E> {
                if v < 0 {
                    Err(E::invalid_value(serde::de::Unexpected::Signed(v), &self))
                } else {
                    Ok(BatchSize(Some(v as usize)))
                }
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<BatchSize, E> {
                if v == "full" {
                    Ok(BatchSize(None))
                } else {
                    Err(E::invalid_value(serde::de::Unexpected::Str(v), &self))
                }
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<BatchSize, E> {
                Ok(BatchSize(None))
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<BatchSize, E> {
                Ok(BatchSize(None))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// The axes of a sweep or a playground: each a non-empty list of values. The first
/// block is the sweep's; `optimizer` is both kinds'; the rest are the playground's.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SweepGrid {
    pub lr: Option<Vec<f64>>,
    pub hidden: Option<Vec<Vec<usize>>>,
    pub activation: Option<Vec<ActivationName>>,
    pub l2: Option<Vec<f64>>,
    pub batch_size: Option<Vec<BatchSize>>,
    pub seed: Option<Vec<u64>>,
    pub optimizer: Option<Vec<OptimizerName>>,
    pub dataset: Option<Vec<DatasetName>>,
    pub noise: Option<Vec<f64>>,
    pub test_fraction: Option<Vec<f64>>,
    pub features: Option<Vec<Vec<FeatureName>>>,
    pub regularization: Option<Vec<RegularizationName>>,
    pub regularization_rate: Option<Vec<f64>>,
}

/// The grid point shown first: one value per axis (others: the axis' first).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SweepDefault {
    pub lr: Option<f64>,
    pub hidden: Option<Vec<usize>>,
    pub activation: Option<ActivationName>,
    pub l2: Option<f64>,
    pub batch_size: Option<BatchSize>,
    pub seed: Option<u64>,
    pub optimizer: Option<OptimizerName>,
    pub dataset: Option<DatasetName>,
    pub noise: Option<f64>,
    pub test_fraction: Option<f64>,
    pub features: Option<Vec<FeatureName>>,
    pub regularization: Option<RegularizationName>,
    pub regularization_rate: Option<f64>,
}

/// A model of a learning curve.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CurveModel {
    pub name: String,
    pub hidden: Vec<usize>,
    pub activation: Option<ActivationName>,
}

/// A failure mode of a failure lab.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LabMode {
    pub mode: FailureMode,
    pub remedy: String,
    pub symptom: Option<String>,
}

named_values! {
    #[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum FailureMode {
        LrTooHigh = "lr-too-high",
        LrTooLow = "lr-too-low",
        SaturatedSigmoid = "saturated-sigmoid",
        DeadRelu = "dead-relu",
        TooLittleData = "too-little-data",
        TooSmallNetwork = "too-small-network",
    }
}

named_values! {
    #[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
    pub enum SimulationKind {
        Sweep = "sweep",
        LearningCurve = "learning-curve",
        FailureModes = "failure-modes",
        Playground = "playground",
    }
}

/// An interactive part of the page.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Widget {
    pub kind: WidgetKind,
    /// The id of the simulation whose data it shows (data-backed kinds only).
    pub simulation: Option<String>,
    /// A heading of the author's; each kind has a default.
    pub title: Option<String>,
    /// `compare` only: the grid axis whose values are drawn side by side.
    pub axis: Option<String>,
}

named_values! {
    #[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
    pub enum WidgetKind {
        Neuron = "neuron",
        LearningCurve = "learning-curve",
        SweepExplorer = "sweep-explorer",
        FailureLab = "failure-lab",
        Playground = "playground",
        Fit = "fit",
        Compare = "compare",
    }
}

impl WidgetKind {
    /// The simulation kind a data-backed widget reads, if it reads one.
    pub fn needs(self) -> Option<SimulationKind> {
        match self {
            WidgetKind::Neuron => None,
            WidgetKind::LearningCurve => Some(SimulationKind::LearningCurve),
            WidgetKind::SweepExplorer => Some(SimulationKind::Sweep),
            WidgetKind::FailureLab => Some(SimulationKind::FailureModes),
            WidgetKind::Playground | WidgetKind::Fit => Some(SimulationKind::Playground),
            // A sweep's or a playground's (checked where widgets are checked).
            WidgetKind::Compare => Some(SimulationKind::Sweep),
        }
    }
}

/// Accepts an empty key (`tags:` with nothing after it) as an empty list.
fn list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

impl LessonMeta {
    /// Checks what the types cannot: every problem found, not just the first.
    pub fn validate(&self, file: &SourceFile) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        if self.title.trim().is_empty() {
            errors.push(file.error_at_path(&["title"], "the title is empty"));
        }
        if let Some(slug) = &self.slug
            && !is_valid_slug(slug)
        {
            errors.push(
                file.error_at_path(&["slug"], format!("`{slug}` is not a valid slug"))
                    .with_hint("use lowercase letters, digits and dashes, e.g. `neural-networks`"),
            );
        }
        if let Some(date) = &self.date
            && !is_iso_date(date)
        {
            errors.push(
                file.error_at_path(&["date"], format!("`{date}` is not a date"))
                    .with_hint("write dates as YYYY-MM-DD, e.g. 2026-03-01"),
            );
        }
        for (i, step) in self.flow.iter().enumerate() {
            if step.step.trim().is_empty() {
                errors.push(file.error_at_path(
                    &["flow", &i.to_string(), "step"],
                    "a flow step has an empty `step:` label",
                ));
            }
        }
        let mut question_ids = HashSet::new();
        for (i, question) in self.questions.iter().enumerate() {
            let at = i.to_string();
            if question.q.trim().is_empty() {
                errors.push(
                    file.error_at_path(&["questions", &at, "q"], "a question has an empty `q:`"),
                );
            }
            let id = question_id(question, i);
            // Its own `id:`, or the question the id is made from.
            let id_key = if question.id.is_some() { "id" } else { "q" };
            if !is_valid_slug(&id) {
                errors.push(
                    file.error_at_path(
                        &["questions", &at, id_key],
                        format!("question id `{id}` is not a valid slug"),
                    )
                    .with_hint("use lowercase letters, digits and dashes"),
                );
            } else if !question_ids.insert(id.clone()) {
                errors.push(
                    file.error_at_path(
                        &["questions", &at, id_key],
                        format!("two questions have the id `{id}`"),
                    )
                    .with_hint("give one of them its own `id:`"),
                );
            }
        }
        for (i, card) in self.flashcards.iter().enumerate() {
            let empty = match (card.front.trim().is_empty(), card.back.trim().is_empty()) {
                (true, _) => "front",
                (false, true) => "back",
                (false, false) => continue,
            };
            errors.push(file.error_at_path(
                &["flashcards", &i.to_string(), empty],
                format!("a flash card has an empty `{empty}:`"),
            ));
        }
        let mut simulations = BTreeMap::new();
        for (i, sim) in self.simulations.iter().enumerate() {
            let at = ["simulations", &i.to_string(), "id"];
            if !is_valid_slug(&sim.id) {
                errors.push(file.error_at_path(
                    &at,
                    format!("simulation id `{}` is not a valid slug", sim.id),
                ));
            }
            if simulations.insert(sim.id.as_str(), sim).is_some() {
                errors.push(
                    file.error_at_path(&at, format!("two simulations have the id `{}`", sim.id)),
                );
            }
        }
        for (i, widget) in self.widgets.iter().enumerate() {
            errors.extend(check_widget(widget, i, &simulations, file));
        }
        errors
    }
}

/// Checks the `index`-th widget against the lesson's simulations.
fn check_widget(
    widget: &Widget,
    index: usize,
    simulations: &BTreeMap<&str, &Simulation>,
    file: &SourceFile,
) -> Option<Diagnostic> {
    let at = index.to_string();
    let kind_name = widget.kind.as_str();
    if widget.axis.is_some() && widget.kind != WidgetKind::Compare {
        return Some(
            file.error_at_path(
                &["widgets", &at, "axis"],
                format!("`axis` is not a key of the `{kind_name}` widget"),
            )
            .with_hint("`axis` belongs to the `compare` widget"),
        );
    }
    match (widget.kind.needs(), &widget.simulation) {
        (None, _) => None,
        (Some(_), None) => Some(
            file.error_at_path(
                &["widgets", &at, "kind"],
                format!("the `{kind_name}` widget needs a `simulation:` to show"),
            )
            .with_hint("add `simulation: <id>` naming one of this lesson's `simulations:`"),
        ),
        (Some(wanted), Some(id)) => match simulations.get(id.as_str()) {
            None => {
                let known: Vec<String> = simulations.keys().map(|k| k.to_string()).collect();
                let hint = match crate::yaml::closest(id, &known) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None if known.is_empty() => "this lesson defines no `simulations:`".into(),
                    None => format!("this lesson's simulations are: {}", known.join(", ")),
                };
                Some(
                    file.error_at_path(
                        &["widgets", &at, "simulation"],
                        format!("the widget points to a missing simulation `{id}`"),
                    )
                    .with_hint(hint),
                )
            }
            Some(found) => check_widget_data(widget, &at, id, found, wanted, file),
        },
    }
}

/// The most values a `compare` widget draws side by side (one colour and dash each).
pub const MAX_COMPARED: usize = 6;

/// Checks that the widget can show the simulation `sim` (named `id`): its kind, its task
/// (classification or regression) and, for `compare`, its axis.
fn check_widget_data(
    widget: &Widget,
    at: &str,
    id: &str,
    sim: &Simulation,
    wanted: SimulationKind,
    file: &SourceFile,
) -> Option<Diagnostic> {
    let kind_name = widget.kind.as_str();
    let kinds_ok = match widget.kind {
        WidgetKind::Compare => {
            matches!(sim.kind, SimulationKind::Sweep | SimulationKind::Playground)
        }
        _ => sim.kind == wanted,
    };
    if !kinds_ok {
        let expected = match widget.kind {
            WidgetKind::Compare => "`sweep` or `playground`".to_string(),
            _ => format!("`{}`", wanted.as_str()),
        };
        return Some(file.error_at_path(
            &["widgets", at, "simulation"],
            format!(
                "the `{kind_name}` widget cannot show simulation `{id}`: it expects a \
                 simulation of kind {expected}"
            ),
        ));
    }
    if sim.kind == SimulationKind::Playground && widget.kind != WidgetKind::Compare {
        let regression = sim.is_regression();
        let (fits, hint) = match widget.kind {
            WidgetKind::Fit => (
                regression,
                "`fit` draws a regression: give the simulation `dataset: { kind: sine }` or `linear`, or use the `playground` widget",
            ),
            _ => (
                !regression,
                "a regression playground (`linear`, `sine`) is drawn by the `fit` widget",
            ),
        };
        if !fits {
            return Some(
                file.error_at_path(
                    &["widgets", at, "kind"],
                    format!(
                        "the `{kind_name}` widget cannot show simulation `{id}`: its data is {}",
                        if regression {
                            "a 1-D regression"
                        } else {
                            "2-D classification"
                        }
                    ),
                )
                .with_hint(hint),
            );
        }
    }
    if widget.kind == WidgetKind::Compare {
        let lengths = sim.grid_axes();
        let axes: Vec<&str> = lengths.iter().map(|(k, _)| *k).collect();
        let Some(axis) = &widget.axis else {
            return Some(
                file.error_at_path(
                    &["widgets", at, "kind"],
                    "the `compare` widget needs an `axis:`: the grid axis whose values it draws side by side",
                )
                .with_hint(if axes.is_empty() {
                    format!("simulation `{id}` has no `grid:` axes to compare")
                } else {
                    format!("simulation `{id}`'s axes are: {}", axes.join(", "))
                }),
            );
        };
        if let Some((_, n)) = lengths.iter().find(|(k, _)| *k == axis.as_str())
            && *n > MAX_COMPARED
        {
            return Some(
                file.error_at_path(
                    &["widgets", at, "axis"],
                    format!(
                        "the `{axis}` axis has {n} values: `compare` draws at most {MAX_COMPARED} side by side"
                    ),
                )
                .with_hint("compare fewer values, or use a `sweep-explorer` or `playground` to step through them"),
            );
        }
        if !axes.contains(&axis.as_str()) {
            let known: Vec<String> = axes.iter().map(|a| a.to_string()).collect();
            let hint = match crate::yaml::closest(axis, &known) {
                Some(best) => format!("did you mean `{best}`?"),
                None if known.is_empty() => format!("simulation `{id}` has no `grid:` axes"),
                None => format!("simulation `{id}`'s axes are: {}", known.join(", ")),
            };
            return Some(
                file.error_at_path(
                    &["widgets", at, "axis"],
                    format!("`axis: {axis}` is not an axis of simulation `{id}`'s grid"),
                )
                .with_hint(hint),
            );
        }
    }
    None
}

impl Simulation {
    /// Whether this is a playground of a 1-D regression dataset (`linear`, `sine`): the
    /// datasets of the grid's `dataset` axis when it has one, else the top-level one.
    pub fn is_regression(&self) -> bool {
        match self.grid.as_ref().and_then(|g| g.dataset.as_ref()) {
            Some(axis) => axis.iter().any(|d| d.is_regression()),
            None => self
                .dataset
                .as_ref()
                .and_then(|d| d.kind)
                .is_some_and(DatasetName::is_regression),
        }
    }

    /// The keys of the grid's axes as written (`lr`, `optimizer`, ...), with their
    /// number of values.
    pub fn grid_axes(&self) -> Vec<(&'static str, usize)> {
        let Some(g) = &self.grid else {
            return Vec::new();
        };
        [
            ("dataset", g.dataset.as_ref().map(Vec::len)),
            ("noise", g.noise.as_ref().map(Vec::len)),
            ("test_fraction", g.test_fraction.as_ref().map(Vec::len)),
            ("features", g.features.as_ref().map(Vec::len)),
            ("lr", g.lr.as_ref().map(Vec::len)),
            ("hidden", g.hidden.as_ref().map(Vec::len)),
            ("activation", g.activation.as_ref().map(Vec::len)),
            ("optimizer", g.optimizer.as_ref().map(Vec::len)),
            ("regularization", g.regularization.as_ref().map(Vec::len)),
            (
                "regularization_rate",
                g.regularization_rate.as_ref().map(Vec::len),
            ),
            ("l2", g.l2.as_ref().map(Vec::len)),
            ("batch_size", g.batch_size.as_ref().map(Vec::len)),
            ("seed", g.seed.as_ref().map(Vec::len)),
        ]
        .into_iter()
        .filter_map(|(k, len)| len.map(|len| (k, len)))
        .collect()
    }
}

/// The id of the `index`-th question: its own `id:`, or a slug of its text.
pub fn question_id(question: &Question, index: usize) -> String {
    match &question.id {
        Some(id) => id.clone(),
        None => {
            let words: Vec<&str> = question.q.split_whitespace().take(8).collect();
            let slug = url_slug(&words.join(" "));
            if slug.is_empty() {
                format!("question-{}", index + 1)
            } else {
                format!("q-{slug}")
            }
        }
    }
}

/// Whether `s` is a calendar date written `YYYY-MM-DD` (so 2026-02-31 is not).
fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        let part = &s[r];
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse::<u16>().ok())
            .flatten()
    };
    let (Some(year), Some(month), Some(day)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let Ok(month) = time::Month::try_from(month as u8) else {
        return false;
    };
    time::Date::from_calendar_date(i32::from(year), month, day as u8).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `as_str` is the name serde reads and writes, for every value of every enum.
    #[test]
    fn each_value_has_one_name_for_serde_and_for_messages() {
        fn check<
            T: Copy + Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
        >(
            all: &[T],
            as_str: fn(T) -> &'static str,
        ) {
            for &value in all {
                let json = serde_json::to_value(value).unwrap();
                assert_eq!(json.as_str(), Some(as_str(value)), "{value:?}");
                let back: T = serde_json::from_value(json).unwrap();
                assert_eq!(back, value);
            }
        }
        check(CalloutKind::ALL, CalloutKind::as_str);
        check(ExampleKind::ALL, ExampleKind::as_str);
        check(Level::ALL, Level::as_str);
        check(DatasetName::ALL, DatasetName::as_str);
        check(OptimizerName::ALL, OptimizerName::as_str);
        check(ActivationName::ALL, ActivationName::as_str);
        check(FailureMode::ALL, FailureMode::as_str);
        check(SimulationKind::ALL, SimulationKind::as_str);
        check(WidgetKind::ALL, WidgetKind::as_str);
        assert_eq!(ActivationName::LeakyRelu.as_str(), "leaky-relu");
        assert_eq!(WidgetKind::SweepExplorer.as_str(), "sweep-explorer");
    }

    #[test]
    fn dates_must_exist_in_the_calendar() {
        for good in ["2026-02-28", "2024-02-29", "2026-12-31", "1970-01-01"] {
            assert!(is_iso_date(good), "{good}");
        }
        for bad in [
            "2026-02-31",
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-1-01",
            "26-01-01",
            "2026-01-+1",
            "2026/01/01",
        ] {
            assert!(!is_iso_date(bad), "{bad}");
        }
    }
}
