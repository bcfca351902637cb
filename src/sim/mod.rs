//! The simulate stage: every lesson's `simulations:` -> the engine (batched, cached by a
//! hash of the spec) -> [`SimResults`], which the render stage turns into widgets and
//! artifact files. See `docs/simulations.md`.

pub mod model;

use std::collections::BTreeMap;
use std::sync::Arc;

pub use model::SimData;

/// One finished simulation: its data and the artifact bytes the page's widget fetches.
#[derive(Clone, Debug)]
pub struct SimArtifact {
    pub data: SimData,
    /// `data.encode()`, computed once.
    pub bytes: Vec<u8>,
}

impl SimArtifact {
    pub fn new(data: SimData) -> SimArtifact {
        let bytes = data.encode();
        SimArtifact { data, bytes }
    }

    /// A short hash of the bytes, for the artifact's file name (so a changed simulation
    /// never meets a stale browser cache).
    pub fn short_hash(&self) -> String {
        blake3::hash(&self.bytes).to_hex()[..10].to_string()
    }
}

/// The results of every simulation of a site: lesson key (`course/slug`) -> simulation
/// id -> artifact.
#[derive(Clone, Debug, Default)]
pub struct SimResults {
    pub by_lesson: BTreeMap<String, BTreeMap<String, Arc<SimArtifact>>>,
}

impl SimResults {
    /// The artifact of simulation `id` of the lesson `key`, when it was computed.
    pub fn get(&self, lesson_key: &str, id: &str) -> Option<&Arc<SimArtifact>> {
        self.by_lesson.get(lesson_key)?.get(id)
    }
}
