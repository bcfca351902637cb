//! The files of a built site as render hands them to write (or to `serve`'s memory):
//! the one type the two stages share, so that neither imports the other.
//!
//! Owns: [`OutputFile`] and [`Contents`]. Never does: produce or write files.

use std::path::PathBuf;

/// One file of the output site, by its path relative to the output folder.
#[derive(Clone, Debug)]
pub struct OutputFile {
    pub path: String,
    pub contents: Contents,
}

/// What a file of the output holds.
#[derive(Clone, Debug)]
pub enum Contents {
    Bytes(Vec<u8>),
    /// A file copied as it is.
    Copy(PathBuf),
}
