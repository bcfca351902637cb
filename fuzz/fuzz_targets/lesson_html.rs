//! Any bytes as a lesson file, through the whole path to HTML: load, Markdown, templates,
//! the flow diagram, questions and cards. Output or diagnostics, never a panic.
#![no_main]

use conceptlab::config::BaseUrl;
use conceptlab::render;
use conceptlab::sim::SimResults;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(lesson) = conceptlab_fuzz::lesson(data) else {
        return;
    };
    let site = conceptlab_fuzz::site_with(lesson);
    let base = BaseUrl::parse("/").expect("valid base");
    let Ok(inputs) = render::Inputs::for_site(&site, &base) else {
        return;
    };
    let sims = SimResults::default();
    let _ = render::render(&site, &base, &sims, &inputs, render::RenderPlan::all());
});
