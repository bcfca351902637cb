//! conceptlab: a static site generator for concept pages (lesson sites).
//!
//! A build is one direction of data, one module per stage:
//! [`load`] (content/ -> validated [`load::Site`]) -> [`sim`] (lessons' simulations ->
//! trained, cached data) -> [`render`] (Markdown and templates -> output files) ->
//! [`write`] (files -> the output folder, swapped in whole).
//! [`pipeline`] is the first step every command shares (site.yaml, base URL, load, theme);
//! [`build`], [`check`] and [`serve`] run the stages; [`cli`] is the command line.
//! [`engine`] is the batched neural-network trainer that simulations use; it knows
//! nothing of sites.
//! See `docs/architecture.md`.
//!
//! Owns: the module map. Never does: any logic of its own.

// Errors about user input are rare and cold; keeping `Diagnostic` unboxed keeps the code
// that builds them plain.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod engine;
pub mod import;
pub mod load;
pub mod numbers;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod sim;
pub mod slug;
pub mod theme;
pub mod write;
pub mod yaml;
