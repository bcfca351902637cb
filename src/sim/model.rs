//! What a finished simulation holds, and its artifact: the compact file a widget fetches.
//!
//! Owns: the result types of the three simulation kinds, quantization (16-bit curves,
//! 8-bit heatmaps) and the binary artifact format, encoded and decoded. The values kept
//! here are the quantized ones, so the SVG drawn at build time and the widget's script
//! draw exactly the same numbers. Must never train or render anything.
//!
//! ## Artifact format (version 1), all integers little-endian
//!
//! | bytes | what |
//! |---|---|
//! | 8 | magic `CLSIM` then `0x00 0x01 0x00` |
//! | 4 | `u32` length H of the header |
//! | H | header: UTF-8 JSON, padded with spaces to a multiple of 4 bytes |
//! | rest | the tensors' data, each starting at a multiple of 4 bytes |
//!
//! The header is `{"meta": <the kind's metadata>, "tensors": {name: {"shape": [..],
//! "bits": 8|16, "min": f, "max": f, "offset": n}}}`, where `offset` counts from the start
//! of the data. A stored integer `q` stands for `min + q / (2^bits - 1) * (max - min)`;
//! the top value `2^bits - 1` of a loss tensor also stands for "off the chart" (at or
//! above `max`, or not a number after a diverging run).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The first 8 bytes of every artifact.
pub const MAGIC: &[u8; 8] = b"CLSIM\0\x01\0";

/// Quantized values of one array, row-major over `shape`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Quantized {
    pub shape: Vec<usize>,
    /// 8 or 16.
    pub bits: u8,
    pub min: f32,
    pub max: f32,
    pub data: Vec<u16>,
}

impl Quantized {
    /// Quantizes `values` (row-major over `shape`) into `bits` bits over `[min, max]`.
    /// Values outside the range are clamped; NaN is stored as the top value.
    pub fn new(values: &[f32], shape: Vec<usize>, bits: u8, min: f32, max: f32) -> Quantized {
        assert!(bits == 8 || bits == 16, "8 or 16 bits");
        assert_eq!(
            values.len(),
            shape.iter().product::<usize>(),
            "shape and length"
        );
        let top = Self::top_for(bits);
        let span = max - min;
        let data = values
            .iter()
            .map(|&v| {
                if v.is_nan() || span <= 0.0 {
                    return if v.is_nan() { top } else { 0 };
                }
                let t = ((v - min) / span).clamp(0.0, 1.0);
                (t * f32::from(top)).round() as u16
            })
            .collect();
        Quantized {
            shape,
            bits,
            min,
            max,
            data,
        }
    }

    fn top_for(bits: u8) -> u16 {
        if bits == 8 { 255 } else { 65535 }
    }

    /// The largest stored integer: `255` or `65535`.
    pub fn top(&self) -> u16 {
        Self::top_for(self.bits)
    }

    /// The value a stored integer stands for.
    pub fn value_of(&self, q: u16) -> f32 {
        self.min + f32::from(q) / f32::from(self.top()) * (self.max - self.min)
    }

    /// The value at flat index `i`.
    pub fn get(&self, i: usize) -> f32 {
        self.value_of(self.data[i])
    }

    /// Whether the value at flat index `i` is the top one ("off the chart" for losses).
    pub fn is_top(&self, i: usize) -> bool {
        self.data[i] == self.top()
    }

    /// The number of values in one step of the first axis (a run's row, for instance).
    pub fn row_len(&self) -> usize {
        self.shape.iter().skip(1).product()
    }

    /// The stored integers of row `i` of the first axis.
    pub fn row(&self, i: usize) -> &[u16] {
        let n = self.row_len();
        &self.data[i * n..(i + 1) * n]
    }

    /// The dequantized values of row `i` of the first axis.
    pub fn row_values(&self, i: usize) -> Vec<f32> {
        self.row(i).iter().map(|&q| self.value_of(q)).collect()
    }
}

/// A simulation's results, by kind.
#[derive(Clone, Debug, PartialEq)]
pub enum SimData {
    Sweep(SweepData),
    LearningCurve(LearningCurveData),
    FailureModes(FailureData),
    Playground(PlaygroundData),
    /// One run of a playground, as the page fetches it on demand.
    PlaygroundRun(Box<PlayRunData>),
}

/// The dataset as widgets draw it under a heatmap: some training points, quantized to
/// 8 bits over `[-1, 1]`, with their 0/1 labels.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DatasetInfo {
    /// The dataset kind as the author wrote it (`spirals`, `circle`, ...).
    pub kind: String,
    pub n_train: usize,
    pub n_test: usize,
    /// `[points, 2]` over `[-1, 1]`: x then y. At most a few hundred points.
    #[serde(skip)]
    pub points: Quantized,
    /// `[points]`: the class of each point, 0 or 1.
    #[serde(skip)]
    pub labels: Quantized,
}

/// Training runs recorded the same way: curves at `epochs`, heatmaps at `snapshots`.
/// Sweeps and failure labs both hold one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RunSet {
    /// The epochs at which the curves were recorded (0 is the untrained network).
    pub epochs: Vec<u32>,
    /// The epochs at which decision-boundary heatmaps were taken (a subset of training).
    pub snapshots: Vec<u32>,
    /// Heatmaps are `resolution x resolution` cells over `[-1, 1]^2`.
    pub resolution: usize,
    /// Per run: whether its loss stopped being a finite number.
    pub diverged: Vec<bool>,
    /// `[runs, epochs]` 16-bit, over `[0, loss_max]` (the top value: off the chart).
    #[serde(skip)]
    pub train_loss: Quantized,
    #[serde(skip)]
    pub test_loss: Quantized,
    /// `[runs, epochs]` 16-bit, over `[0, 1]`.
    #[serde(skip)]
    pub train_accuracy: Quantized,
    #[serde(skip)]
    pub test_accuracy: Quantized,
    /// `[runs, snapshots, resolution * resolution]` 8-bit probabilities of class 1, over
    /// `[0, 1]`. Cell `row * resolution + col`: row 0 is the top (y = +1), col 0 the left
    /// (x = -1), cell centres as `engine::grid_points` places them.
    #[serde(skip)]
    pub heatmaps: Quantized,
}

/// One axis of a sweep's grid.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Axis {
    /// The key in the spec: `lr`, `hidden`, `activation`, `l2`, `batch_size` or `seed`.
    pub key: String,
    /// A reader-facing name: "Learning rate", "Hidden layers", ...
    pub label: String,
    /// Each value as shown: "0.01", "8-8", "tanh", "full batch", ...
    pub values: Vec<String>,
}

/// The run index of a point of a grid (one index per axis), row-major: the last axis
/// changes fastest.
pub fn grid_index(axes: &[Axis], point: &[usize]) -> usize {
    point
        .iter()
        .zip(axes)
        .fold(0, |acc, (&i, axis)| acc * axis.values.len() + i)
}

/// `kind: sweep`: one run for every point of the grid.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepData {
    pub title: Option<String>,
    pub dataset: DatasetInfo,
    /// Runs are ordered row-major over the axes: the last axis changes fastest.
    pub axes: Vec<Axis>,
    /// The axis indices of the run shown first (and drawn in the static SVG).
    pub default: Vec<usize>,
    pub runs: RunSet,
}

impl SweepData {
    /// The run index of a point of the grid (one index per axis).
    pub fn run_index(&self, point: &[usize]) -> usize {
        grid_index(&self.axes, point)
    }
}

/// A model of a learning-curve simulation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    pub name: String,
    /// The hidden layer widths; empty for logistic regression.
    pub hidden: Vec<usize>,
    pub activation: String,
}

/// `kind: learning-curve`: test accuracy against training-set size, per model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LearningCurveData {
    pub title: Option<String>,
    pub dataset: DatasetInfo,
    pub models: Vec<ModelInfo>,
    /// Training-set sizes, increasing.
    pub sizes: Vec<usize>,
    /// How many seeds each point averages.
    pub seeds: usize,
    /// `[models, sizes]` 16-bit over `[0, 1]`: mean test accuracy over the seeds.
    #[serde(skip)]
    pub test_mean: Quantized,
    /// `[models, sizes]`: the lowest and highest test accuracy among the seeds.
    #[serde(skip)]
    pub test_min: Quantized,
    #[serde(skip)]
    pub test_max: Quantized,
    /// `[models, sizes]`: mean training accuracy (for the gap between the two).
    #[serde(skip)]
    pub train_mean: Quantized,
}

/// A failure mode as the lab shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModeInfo {
    /// `lr-too-high`, `lr-too-low`, `saturated-sigmoid`, `dead-relu`, `too-little-data`,
    /// `too-small-network`.
    pub mode: String,
    pub label: String,
    /// What the reader should look for in the curves and the heatmap.
    pub symptom: String,
    /// The lesson's remedy, as plain text.
    pub remedy: String,
    /// What was changed from the healthy run, e.g. "learning rate 3.0 instead of 0.03".
    pub change: String,
}

/// `kind: failure-modes`: run 0 is the healthy run, run `i + 1` is `modes[i]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FailureData {
    pub title: Option<String>,
    pub dataset: DatasetInfo,
    /// The healthy run's set-up in words.
    pub healthy: String,
    pub modes: Vec<ModeInfo>,
    pub runs: RunSet,
}

/// `kind: playground`: one run per point of the grid, each recorded in full. The page
/// loads [`PlaygroundData::index`] first and each run's [`PlayRunData`] when the reader
/// picks it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlaygroundData {
    pub title: Option<String>,
    /// A 1-D regression (`linear`, `sine`; the `fit` widget) rather than 2-D
    /// classification (the `playground` widget).
    pub regression: bool,
    /// Runs are ordered row-major over the axes: the last axis changes fastest.
    pub axes: Vec<Axis>,
    /// The axis indices of the run shown first (and drawn in the static figures).
    pub default: Vec<usize>,
    /// The epochs at which the curves were recorded.
    pub epochs: Vec<u32>,
    /// The epochs at which the maps and weights were taken.
    pub snapshots: Vec<u32>,
    /// Output maps are `resolution x resolution` cells over `[-1, 1]^2` (regression: the
    /// curve's points along x).
    pub resolution: usize,
    /// Unit maps are `unit_resolution` cells per side: the output grid averaged over 2 x 2
    /// cells (regression: the curve's points, as `resolution`).
    pub unit_resolution: usize,
    /// Empty in the index the page loads first.
    pub runs: Vec<PlayRunData>,
}

impl PlaygroundData {
    /// The run index of a point of the grid (one index per axis).
    pub fn run_index(&self, point: &[usize]) -> usize {
        grid_index(&self.axes, point)
    }

    /// The run shown first.
    pub fn default_run(&self) -> usize {
        self.run_index(&self.default)
    }

    /// The number of runs of the grid.
    pub fn run_count(&self) -> usize {
        self.axes.iter().map(|a| a.values.len()).product()
    }

    /// What the page loads first: everything but the runs.
    pub fn index(&self) -> PlaygroundData {
        PlaygroundData {
            runs: Vec::new(),
            ..self.clone()
        }
    }
}

/// One run of a playground: its set-up, curves, and at each snapshot the output's map,
/// every hidden unit's map and the weights.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlayRunData {
    pub dataset: DatasetInfo,
    /// The input features' keys (`x1`, `x1^2`, ...) and labels (`x₁`, `x₁²`, ...).
    pub features: Vec<String>,
    pub feature_labels: Vec<String>,
    /// Layer widths, inputs first: `[features, hidden.., 1]`.
    pub widths: Vec<usize>,
    pub activation: String,
    /// Whether its loss stopped being a finite number.
    pub diverged: bool,
    /// `[epochs]` 16-bit over `[0, loss_max]` (the top value: off the chart).
    #[serde(skip)]
    pub train_loss: Quantized,
    #[serde(skip)]
    pub test_loss: Quantized,
    /// `[epochs]` 16-bit over `[0, 1]` (zero for a regression).
    #[serde(skip)]
    pub train_accuracy: Quantized,
    #[serde(skip)]
    pub test_accuracy: Quantized,
    /// Classification: `[snapshots, resolution^2]` 8-bit probabilities of class 1 (cells
    /// as [`RunSet::heatmaps`]). Regression: `[snapshots, resolution]` 16-bit predictions
    /// along x from -1 to 1, over [`REGRESSION_RANGE`] (clamped).
    #[serde(skip)]
    pub output: Quantized,
    /// `[snapshots, hidden units, unit_resolution^2]` (regression: `unit_resolution`
    /// points along x) 8-bit activations over `[-1, 1]`, clamped; units in layer order.
    #[serde(skip)]
    pub units: Quantized,
    /// `[features, unit_resolution^2]` 8-bit: each input feature over the plane, over
    /// `[-1, 1]`.
    #[serde(skip)]
    pub inputs: Quantized,
    /// `[snapshots, parameters]` 16-bit over `[-m, m]` (m the largest magnitude): the
    /// flat `[W0, b0, W1, b1, ..]`, each `W` row-major `[fan_in][fan_out]`.
    #[serde(skip)]
    pub weights: Quantized,
    /// The test points, like `dataset.points` and `dataset.labels`.
    #[serde(skip)]
    pub test_points: Quantized,
    #[serde(skip)]
    pub test_labels: Quantized,
}

/// The value range a regression's points and predictions are stored and drawn over.
pub const REGRESSION_RANGE: (f32, f32) = (-1.5, 1.5);

impl PlayRunData {
    fn tensors_mut(&mut self) -> Vec<(&'static str, &mut Quantized)> {
        let mut out: Vec<(&'static str, &mut Quantized)> = self.dataset.tensors_mut().into();
        out.extend([
            ("train_loss", &mut self.train_loss),
            ("test_loss", &mut self.test_loss),
            ("train_accuracy", &mut self.train_accuracy),
            ("test_accuracy", &mut self.test_accuracy),
            ("output", &mut self.output),
            ("units", &mut self.units),
            ("inputs", &mut self.inputs),
            ("weights", &mut self.weights),
            ("test_points", &mut self.test_points),
            ("test_labels", &mut self.test_labels),
        ]);
        out
    }

    /// The number of hidden units.
    pub fn hidden_units(&self) -> usize {
        let n = self.widths.len();
        if n < 2 {
            0
        } else {
            self.widths[1..n - 1].iter().sum()
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
enum Meta {
    Sweep(SweepData),
    LearningCurve(LearningCurveData),
    FailureModes(FailureData),
    Playground(PlaygroundData),
    PlaygroundRun(Box<PlayRunData>),
}

#[derive(Serialize, Deserialize)]
struct TensorHeader {
    shape: Vec<usize>,
    bits: u8,
    min: f32,
    max: f32,
    offset: usize,
}

#[derive(Serialize, Deserialize)]
struct Header {
    meta: Meta,
    tensors: BTreeMap<String, TensorHeader>,
}

impl DatasetInfo {
    fn tensors_mut(&mut self) -> [(&'static str, &mut Quantized); 2] {
        [("points", &mut self.points), ("labels", &mut self.labels)]
    }
}

impl RunSet {
    fn tensors_mut(&mut self) -> [(&'static str, &mut Quantized); 5] {
        [
            ("train_loss", &mut self.train_loss),
            ("test_loss", &mut self.test_loss),
            ("train_accuracy", &mut self.train_accuracy),
            ("test_accuracy", &mut self.test_accuracy),
            ("heatmaps", &mut self.heatmaps),
        ]
    }

    /// The number of runs.
    pub fn len(&self) -> usize {
        self.diverged.len()
    }

    pub fn is_empty(&self) -> bool {
        self.diverged.is_empty()
    }
}

impl Meta {
    fn tensors_mut(&mut self) -> Vec<(String, &mut Quantized)> {
        let mut out: Vec<(&'static str, &mut Quantized)> = Vec::new();
        match self {
            Meta::Playground(d) => {
                // Every run's tensors, prefixed with the run's index.
                return d
                    .runs
                    .iter_mut()
                    .enumerate()
                    .flat_map(|(i, run)| {
                        run.tensors_mut()
                            .into_iter()
                            .map(move |(name, q)| (format!("{i}.{name}"), q))
                    })
                    .collect();
            }
            Meta::PlaygroundRun(d) => out.extend(d.tensors_mut()),
            Meta::Sweep(d) => {
                out.extend(d.dataset.tensors_mut());
                out.extend(d.runs.tensors_mut());
            }
            Meta::FailureModes(d) => {
                out.extend(d.dataset.tensors_mut());
                out.extend(d.runs.tensors_mut());
            }
            Meta::LearningCurve(d) => {
                out.extend(d.dataset.tensors_mut());
                out.push(("test_mean", &mut d.test_mean));
                out.push(("test_min", &mut d.test_min));
                out.push(("test_max", &mut d.test_max));
                out.push(("train_mean", &mut d.train_mean));
            }
        }
        out.into_iter().map(|(n, q)| (n.to_string(), q)).collect()
    }
}

impl SimData {
    fn into_meta(self) -> Meta {
        match self {
            SimData::Sweep(d) => Meta::Sweep(d),
            SimData::LearningCurve(d) => Meta::LearningCurve(d),
            SimData::FailureModes(d) => Meta::FailureModes(d),
            SimData::Playground(d) => Meta::Playground(d),
            SimData::PlaygroundRun(d) => Meta::PlaygroundRun(d),
        }
    }

    fn from_meta(meta: Meta) -> SimData {
        match meta {
            Meta::Sweep(d) => SimData::Sweep(d),
            Meta::LearningCurve(d) => SimData::LearningCurve(d),
            Meta::FailureModes(d) => SimData::FailureModes(d),
            Meta::Playground(d) => SimData::Playground(d),
            Meta::PlaygroundRun(d) => SimData::PlaygroundRun(d),
        }
    }

    /// The kind as the spec names it.
    pub fn kind(&self) -> &'static str {
        match self {
            SimData::Sweep(_) => "sweep",
            SimData::LearningCurve(_) => "learning-curve",
            SimData::FailureModes(_) => "failure-modes",
            SimData::Playground(_) => "playground",
            SimData::PlaygroundRun(_) => "playground-run",
        }
    }

    /// The artifact bytes. The same data always gives the same bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut meta = self.clone().into_meta();
        let mut tensors = BTreeMap::new();
        let mut blob: Vec<u8> = Vec::new();
        for (name, q) in meta.tensors_mut() {
            let offset = blob.len();
            tensors.insert(
                name,
                TensorHeader {
                    shape: q.shape.clone(),
                    bits: q.bits,
                    min: q.min,
                    max: q.max,
                    offset,
                },
            );
            for &v in &q.data {
                if q.bits == 8 {
                    blob.push(v as u8);
                } else {
                    blob.extend_from_slice(&v.to_le_bytes());
                }
            }
            while !blob.len().is_multiple_of(4) {
                blob.push(0);
            }
        }
        let mut header =
            serde_json::to_vec(&Header { meta, tensors }).expect("simulation metadata serializes");
        while !header.len().is_multiple_of(4) {
            header.push(b' ');
        }
        let mut out = Vec::with_capacity(12 + header.len() + blob.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(header.len() as u32).to_le_bytes());
        out.extend_from_slice(&header);
        out.extend_from_slice(&blob);
        out
    }

    /// Reads an artifact back. Any inconsistency is an error, never a panic: a cache file
    /// may be truncated or damaged.
    pub fn decode(bytes: &[u8]) -> Result<SimData, String> {
        if bytes.len() < 12 || &bytes[..8] != MAGIC {
            return Err("not a conceptlab simulation artifact (bad magic)".into());
        }
        let h = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes")) as usize;
        let header = bytes
            .get(12..12 + h)
            .ok_or("the header runs past the end of the file")?;
        let blob = &bytes[12 + h..];
        let Header { mut meta, tensors } =
            serde_json::from_slice(header).map_err(|e| format!("bad header: {e}"))?;
        let mut seen = 0;
        for (name, q) in meta.tensors_mut() {
            let t = tensors
                .get(&name)
                .ok_or_else(|| format!("tensor `{name}` is missing"))?;
            if t.bits != 8 && t.bits != 16 {
                return Err(format!("tensor `{name}` has {} bits", t.bits));
            }
            let len = t
                .shape
                .iter()
                .try_fold(1usize, |a, &d| a.checked_mul(d))
                .ok_or_else(|| format!("tensor `{name}` is too large"))?;
            let width = usize::from(t.bits / 8);
            let end = len
                .checked_mul(width)
                .and_then(|b| b.checked_add(t.offset))
                .ok_or_else(|| format!("tensor `{name}` is too large"))?;
            let raw = blob
                .get(t.offset..end)
                .ok_or_else(|| format!("tensor `{name}` runs past the end of the file"))?;
            let data = if width == 1 {
                raw.iter().map(|&b| u16::from(b)).collect()
            } else {
                raw.chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .collect()
            };
            *q = Quantized {
                shape: t.shape.clone(),
                bits: t.bits,
                min: t.min,
                max: t.max,
                data,
            };
            seen += 1;
        }
        if seen != tensors.len() {
            return Err("the artifact has tensors this version does not know".into());
        }
        Ok(SimData::from_meta(meta))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SimData {
        let points = Quantized::new(&[-1.0, 1.0, 0.5, -0.25], vec![2, 2], 8, -1.0, 1.0);
        let labels = Quantized::new(&[0.0, 1.0], vec![2], 8, 0.0, 1.0);
        let curve = Quantized::new(&[0.7, 0.3, f32::NAN, 9.0], vec![2, 2], 16, 0.0, 2.0);
        let acc = Quantized::new(&[0.5, 0.9, 0.5, 0.5], vec![2, 2], 16, 0.0, 1.0);
        let heat = Quantized::new(
            &[0.0, 0.25, 0.5, 1.0, 0.1, 0.2, 0.3, 0.4],
            vec![2, 1, 4],
            8,
            0.0,
            1.0,
        );
        SimData::Sweep(SweepData {
            title: Some("t".into()),
            dataset: DatasetInfo {
                kind: "circle".into(),
                n_train: 2,
                n_test: 1,
                points,
                labels,
            },
            axes: vec![Axis {
                key: "lr".into(),
                label: "Learning rate".into(),
                values: vec!["0.1".into(), "10".into()],
            }],
            default: vec![0],
            runs: RunSet {
                epochs: vec![0, 10],
                snapshots: vec![10],
                resolution: 2,
                diverged: vec![false, true],
                train_loss: curve.clone(),
                test_loss: curve,
                train_accuracy: acc.clone(),
                test_accuracy: acc,
                heatmaps: heat,
            },
        })
    }

    #[test]
    fn artifacts_round_trip_byte_for_byte() {
        let data = sample();
        let bytes = data.encode();
        assert_eq!(&bytes[..8], MAGIC);
        let back = SimData::decode(&bytes).unwrap();
        assert_eq!(back, data);
        assert_eq!(back.encode(), bytes);
    }

    #[test]
    fn quantization_clamps_and_marks_off_the_chart() {
        let q = Quantized::new(&[0.7, 0.3, f32::NAN, 9.0], vec![4], 16, 0.0, 2.0);
        assert!((q.get(0) - 0.7).abs() < 1e-4);
        assert!(!q.is_top(0));
        assert!(q.is_top(2), "NaN is off the chart");
        assert!(q.is_top(3), "above the range is off the chart");
        let h = Quantized::new(&[0.5], vec![1], 8, 0.0, 1.0);
        assert_eq!(h.data, vec![128]);
    }

    #[test]
    fn damaged_artifacts_are_errors_not_panics() {
        let bytes = sample().encode();
        for cut in [0, 5, 12, 40, bytes.len() - 1] {
            assert!(SimData::decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut flipped = bytes.clone();
        flipped[20] ^= 0xff;
        let _ = SimData::decode(&flipped); // must not panic; may or may not parse
    }
}
