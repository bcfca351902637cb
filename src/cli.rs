//! The command line: every subcommand and flag is defined and documented here, and
//! nowhere else. Each subcommand hands its options to the library and prints the result.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::build::{BuildOptions, build};
use crate::diagnostics::{self, Diagnostic};

/// conceptlab builds lesson sites ("concept pages") from Markdown with YAML front-matter:
/// theory, tradeoffs, an architecture flow, interview questions with senior answers and
/// flash cards, ready for GitHub Pages.
#[derive(Debug, Parser)]
#[command(name = "conceptlab", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (public/ by default).
    ///
    /// Every error in the content is reported (file:line:col) and the build exits with
    /// status 1, leaving the previous output folder as it was.
    Build(BuildArgs),
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The site's folder: the one holding site.yaml and content/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site. It is replaced as a whole, and only if it is empty or
    /// was written by conceptlab before. [default: <root>/public]
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// The URL the site is served from, overriding site.yaml's base_url: a path such as
    /// /course-repo/ or a full URL such as https://user.github.io/course-repo/.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Include lessons marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Number of worker threads [default: one per core]. The output is the same for any
    /// number.
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Parses the command line and runs it. Exit status: 0 success, 1 errors in the site,
/// 2 a bad command line.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => run_build(args),
    }
}

fn run_build(args: BuildArgs) -> ExitCode {
    if let Some(jobs) = args.jobs {
        // Fails only if a pool exists already, which cannot happen this early.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.max(1))
            .build_global();
    }
    let options = BuildOptions {
        root: args.root,
        output: args.output,
        base_url: args.base_url,
        drafts: args.drafts,
    };
    match build(&options) {
        Ok(built) => {
            if !args.quiet {
                eprintln!(
                    "Built {} lesson{} in {} course{} ({} files) into {} in {:.2} s",
                    built.stats.lessons,
                    plural(built.stats.lessons),
                    built.stats.courses,
                    plural(built.stats.courses),
                    built.files,
                    built.output.display(),
                    built.elapsed.as_secs_f64()
                );
            }
            ExitCode::SUCCESS
        }
        Err(errors) => {
            report(&errors);
            ExitCode::FAILURE
        }
    }
}

fn report(diagnostics: &[Diagnostic]) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", diagnostics::render(diagnostics, color));
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    eprintln!(
        "error: the build failed with {errors} error{}; the output folder was left as it was",
        plural(errors)
    );
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
