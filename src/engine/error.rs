//! The engine's error type: every way a spec can be rejected, with a message that says
//! what to change. Owns validation messages only; must never hold partial results.

use std::fmt;

/// Why the engine refused a request. Bad specs are reported, never panicked on.
#[derive(Debug, Clone, PartialEq)]
pub enum EngineError {
    /// `train_batch` was called with an empty list of networks.
    NoNetworks,
    /// A layer width, a point count or an epoch count that must be positive is zero.
    ZeroSize(&'static str),
    /// The dataset and the architecture disagree on a dimension.
    ShapeMismatch {
        what: &'static str,
        expected: usize,
        found: usize,
    },
    /// A numeric parameter is outside its valid range (negative noise, lr <= 0, NaN...).
    InvalidParameter {
        name: &'static str,
        value: f64,
        expected: &'static str,
    },
    /// The combination of options is not supported (e.g. a grid for 3-D inputs).
    Unsupported(String),
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EngineError::NoNetworks => {
                write!(f, "no networks to train: pass at least one NetHyper")
            }
            EngineError::ZeroSize(what) => write!(f, "{what} must be at least 1"),
            EngineError::ShapeMismatch {
                what,
                expected,
                found,
            } => {
                write!(f, "{what}: expected {expected}, found {found}")
            }
            EngineError::InvalidParameter {
                name,
                value,
                expected,
            } => {
                write!(f, "{name} = {value} is invalid: expected {expected}")
            }
            EngineError::Unsupported(msg) => write!(f, "unsupported: {msg}"),
        }
    }
}

impl std::error::Error for EngineError {}
