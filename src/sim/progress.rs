//! Progress of the simulate stage on stderr: an `indicatif` bar per simulation (with an
//! ETA, counted in networks) when stderr is a terminal, plain lines otherwise.
//!
//! Owns: the progress bars and lines of training. Never does: print anything but progress
//! and warnings.

use std::io::IsTerminal;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How to report.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    pub quiet: bool,
    pub terminal: bool,
}

impl Progress {
    pub fn new(quiet: bool) -> Progress {
        Progress {
            quiet,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    /// Starts reporting the training of `label` (`course/slug#id`).
    pub fn start(&self, label: &str, networks: usize, gflop: f64) -> TrainingBar {
        let bar = (!self.quiet && self.terminal).then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(networks as u64), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "training {msg} [{bar:30}] {pos}/{len} networks, ETA {eta}",
                )
                .expect("a valid template")
                .progress_chars("=> "),
            );
            bar.set_message(label.to_string());
            bar
        });
        TrainingBar {
            bar,
            quiet: self.quiet,
            label: label.to_string(),
            networks,
            gflop,
            started: Instant::now(),
        }
    }

    /// A one-line warning (a damaged cache file, a cache that cannot be written).
    pub fn warn(&self, message: &str) {
        if !self.quiet {
            eprintln!("warning: {message}");
        }
    }
}

/// One simulation being trained.
pub struct TrainingBar {
    bar: Option<ProgressBar>,
    quiet: bool,
    label: String,
    networks: usize,
    gflop: f64,
    started: Instant,
}

impl TrainingBar {
    /// `n` more networks are done.
    pub fn tick(&self, n: usize) {
        if let Some(bar) = &self.bar {
            bar.inc(n as u64);
        }
    }

    /// Training is over: the bar is cleared and one line says what was done.
    pub fn finish(self) -> f64 {
        let secs = self.started.elapsed().as_secs_f64();
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        if !self.quiet {
            eprintln!(
                "training {}: {} network{}, about {} GFLOP ... done in {:.1} s",
                self.label,
                self.networks,
                if self.networks == 1 { "" } else { "s" },
                super::cost::gflop_words(self.gflop),
                secs
            );
        }
        secs
    }
}
