//! Every integration test, in one binary: one link of the library and its dependencies
//! instead of one per file (see `docs/benchmarks.md`, "Test build time"). Each module is
//! one area; `common` is what they share.

#[path = "../common/mod.rs"]
mod common;

mod accessibility;
mod authoring_check;
mod authoring_cli;
mod authoring_init;
mod authoring_new;
mod authoring_serve;
mod bad_input;
mod browser_study;
mod browser_widgets;
mod code_blocks;
mod content_layout;
mod engine_data;
mod engine_gradients;
mod engine_kernels;
mod engine_portable;
mod engine_training;
mod escaping;
mod hostile_input;
mod import;
mod killed_build;
mod lesson_page;
mod markdown_fidelity;
mod output;
mod parts;
mod publish;
mod serve_equals_build;
mod serve_reliability;
mod sim_cache;
mod sim_data;
mod sim_playground;
mod sim_shard;
mod sim_spec;
mod weight;
mod widgets;
mod workflows;
