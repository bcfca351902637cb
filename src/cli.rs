//! The command line: every subcommand and flag is defined and documented here, and
//! nowhere else. Each subcommand hands its options to the library and prints the result.
//!
//! Owns: the flags, their help, the exit codes and what is printed. Never does: any site
//! logic.

use std::io::IsTerminal;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::build::{BuildOptions, build};
use crate::check::{CheckOptions, check};
use crate::diagnostics::{self, Diagnostic};
use crate::serve::{ServeOptions, live::Outcome};

/// `conceptlab --version`: the version and the commit it was built from.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("CONCEPTLAB_COMMIT"),
    ")"
);

/// The commit this binary was built from (40 hex digits), or "unknown".
pub const COMMIT: &str = env!("CONCEPTLAB_COMMIT");

/// conceptlab builds lesson sites ("concept pages") from Markdown with YAML front-matter:
/// theory, tradeoffs, an architecture flow, interview questions with senior answers and
/// flash cards, ready for GitHub Pages.
#[derive(Debug, Parser)]
#[command(name = "conceptlab", version = VERSION, about, long_about = None)]
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
    /// Check the site without writing anything: every error a build would report, and
    /// warnings about lessons that look unfinished.
    ///
    /// Warnings: a lesson without flash cards or without questions, a question without a
    /// senior answer, a flow of fewer than 3 steps, two flash cards with the same front,
    /// an image without alt text, a gap in a course's order numbers, a lesson without
    /// front-matter. Switch a kind off with `warnings: { no_flashcards: false }` in
    /// site.yaml (or in one lesson's front-matter). Exit status: 0 no errors (warnings
    /// allowed unless --strict), 1 errors, or warnings with --strict.
    Check(CheckArgs),
    /// Plan the training of the site's simulations over several shards (CI jobs), or
    /// train one shard of it into the cache.
    ///
    /// `--plan` prints the simulations the cache lacks, each with its estimated work,
    /// assigned to N shards (longest first, each to the least loaded shard). `--shard I/N`
    /// trains shard I of that plan into .cache/simulations/. Every shard that starts from
    /// the same cache computes the same plan, so no file is written by two shards and
    /// the shards' caches merge by copying folders; `build` then trains nothing (and
    /// trains itself whatever no shard did). The JSON plan's `digest` hashes every
    /// simulation's cache key: the key of a CI cache (see docs/publishing.md).
    ///
    /// Examples:
    ///
    ///   conceptlab simulate --plan --shards 4 --format json
    ///
    ///   conceptlab simulate --plan --target-seconds 600
    ///
    ///   conceptlab simulate --shard 2/4
    #[command(verbatim_doc_comment)]
    Simulate(SimulateArgs),
    /// Serve the site on this machine and rebuild it on every save; open tabs reload by
    /// themselves, and show the errors over the page when a save breaks something.
    ///
    /// Nothing is written to the output folder: pages are built into memory. A change to
    /// one lesson re-renders only the pages that show it; a template change re-renders all.
    Serve(ServeArgs),
    /// Create a new site: site.yaml, a course with two sample lessons, .gitignore, and
    /// the GitHub Pages workflow. The theme is the one built into conceptlab.
    Init(InitArgs),
    /// Create a new lesson, course part or course, with every front-matter key present
    /// and explained.
    #[command(subcommand)]
    New(NewCommand),
    /// Make a site of an mdBook or a GitBook: its SUMMARY.md's parts become courses,
    /// chapters with sub-chapters course parts, pages lessons.
    ///
    /// Links between pages are rewritten to the lessons, images and other files are
    /// copied into the course folders, math is converted to $...$ and $$...$$, GitBook
    /// hints and mdBook admonitions become callouts, includes are resolved. What has no
    /// equivalent is kept as written and listed, with its file and line, in the summary
    /// printed at the end.
    ///
    /// Example:
    ///
    ///   conceptlab import mdbook ~/src/my-book my-site
    ///
    ///   conceptlab build --root my-site
    #[command(verbatim_doc_comment)]
    Import(ImportArgs),
}

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: the source line with a caret, in colour on a terminal (on stderr).
    #[default]
    Text,
    /// For editors and CI: one JSON document on stdout listing every diagnostic with its
    /// file, line, column, severity, message and hint.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The site's folder: the one holding site.yaml and content/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site. It is replaced as a whole, and only if it is empty or
    /// was written by conceptlab before; another build writing there is waited for.
    /// [default: <root>/public]
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
    /// Retrain every simulation instead of reading the cache in <root>/.cache/simulations/
    /// (the cache is rewritten). Normally a simulation is trained only when its spec,
    /// after defaults, or the engine version changed.
    #[arg(long)]
    pub no_cache: bool,
    /// How to print errors.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct SimulateArgs {
    /// The site's folder: the one holding site.yaml and content/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Print the plan: the simulations the cache lacks and their shards (the default
    /// when --shard is not given).
    #[arg(long, conflicts_with = "shard")]
    pub plan: bool,
    /// How many shards to plan for [default: what --target-seconds needs, else what
    /// `simulations.shard_seconds` in site.yaml needs (600 s per shard unless set)].
    #[arg(long, value_name = "N", conflicts_with = "target_seconds")]
    pub shards: Option<usize>,
    /// Plan as many shards as keep each under this many seconds of estimated training
    /// on this machine's cores.
    #[arg(long, value_name = "SECONDS")]
    pub target_seconds: Option<f64>,
    /// Train shard I of N into the cache (I from 1 to N).
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// How to print the plan and errors: text, or one JSON document on stdout.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Print nothing but errors (and the plan).
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The site's folder: the one holding site.yaml and content/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Check the site as `build --drafts` builds it.
    #[arg(long)]
    pub drafts: bool,
    /// Count warnings as errors: exit with status 1 if there are any.
    #[arg(long)]
    pub strict: bool,
    /// Also request every http(s) link to another website; one that answers with an
    /// error status or not at all is a warning. Off by default: it needs the network.
    #[arg(long)]
    pub external: bool,
    /// With --external: how long to wait for each link, in seconds.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 10,
        requires = "external"
    )]
    pub timeout: u64,
    /// How to print errors and warnings.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The site's folder: the one holding site.yaml and content/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// The port to listen on; 0 picks a free one.
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on. The default serves this machine only, and only requests
    /// for localhost or 127.0.0.1; 0.0.0.0 shows your drafts to the whole network, under
    /// any host name.
    #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Open the site in the default browser once it is served.
    #[arg(long)]
    pub open: bool,
    /// Serve the site under this path, as it will be published (e.g. /course-repo/).
    /// [default: /, the server's root; site.yaml's base_url is not used]
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Include lessons marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder of the new site; created if missing.
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// Write into a folder that is not empty, overwriting files of the same names.
    #[arg(long)]
    pub force: bool,
}

/// The tool that wrote a book.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BookFormat {
    /// mdBook: book.toml (optional) and src/SUMMARY.md.
    Mdbook,
    /// GitBook: .gitbook.yaml or book.json (optional) and SUMMARY.md in its root.
    Gitbook,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The tool that wrote the book.
    #[arg(value_enum)]
    pub format: BookFormat,
    /// The book's folder: the one holding book.toml (mdBook) or .gitbook.yaml, book.json
    /// or SUMMARY.md (GitBook).
    #[arg(value_name = "SOURCE")]
    pub source: PathBuf,
    /// The new site's folder, created if missing. [default: a folder named after the
    /// book's title, in the current folder]
    #[arg(value_name = "DEST")]
    pub dest: Option<PathBuf>,
    /// Write into a folder that is not empty: its content/ folder and site.yaml are
    /// replaced, other files are left alone.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// Create content/<course>/NNN-<slug>.md, numbered after the course's last lesson,
    /// with its slug made from the title. In a course with parts the lesson goes into
    /// the part --part names, else into the last part. Prints the file's path.
    Lesson(NewLessonArgs),
    /// Create content/<course>/NNN-<slug>/_part.md: a part of a course, after its last
    /// part, with its slug made from the title. Prints the file's path.
    Part(NewPartArgs),
    /// Create content/<slug>/_course.md, with its slug made from the title. Prints the
    /// file's path.
    Course(NewCourseArgs),
}

#[derive(Debug, clap::Args)]
pub struct NewLessonArgs {
    /// The lesson's title, e.g. "Linear Regression".
    pub title: String,
    /// The course to add it to: its folder name under content/.
    #[arg(long, value_name = "COURSE")]
    pub course: String,
    /// The part to add it to: its folder name in the course, with or without the number
    /// prefix (`010-basics` or `basics`). Default: the course's last part, if it has parts.
    #[arg(long, value_name = "PART")]
    pub part: Option<String>,
    /// The site's folder: the one holding site.yaml and content/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct NewPartArgs {
    /// The part's title, e.g. "Foundations".
    pub title: String,
    /// The course to add it to: its folder name under content/.
    #[arg(long, value_name = "COURSE")]
    pub course: String,
    /// The site's folder: the one holding site.yaml and content/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct NewCourseArgs {
    /// The course's title, e.g. "Machine Learning".
    pub title: String,
    /// The site's folder: the one holding site.yaml and content/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

/// Parses the command line and runs it. Exit status: 0 success, 1 errors in the site
/// (or warnings, for `check --strict`), 2 a bad command line.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    if let Err(why) = crate::sim::run::portable_forced() {
        eprintln!("error: {why}");
        return ExitCode::from(2);
    }
    match cli.command {
        Command::Build(args) => run_build(args),
        Command::Check(args) => run_check(args),
        Command::Simulate(args) => run_simulate(args),
        Command::Serve(args) => run_serve(args),
        Command::Init(args) => run_init(args),
        Command::New(NewCommand::Lesson(args)) => {
            let made = crate::scaffold::new_lesson(
                &args.root,
                &args.course,
                args.part.as_deref(),
                &args.title,
            );
            created(&args.root, made)
        }
        Command::New(NewCommand::Part(args)) => created(
            &args.root,
            crate::scaffold::new_part(&args.root, &args.course, &args.title),
        ),
        Command::New(NewCommand::Course(args)) => created(
            &args.root,
            crate::scaffold::new_course(&args.root, &args.title),
        ),
        Command::Import(args) => run_import(args),
    }
}

fn run_import(args: ImportArgs) -> ExitCode {
    let options = crate::import::ImportOptions {
        format: match args.format {
            BookFormat::Mdbook => crate::import::Format::MdBook,
            BookFormat::Gitbook => crate::import::Format::GitBook,
        },
        source: args.source,
        dest: args.dest,
        force: args.force,
    };
    match crate::import::import(&options) {
        Ok(imported) => {
            eprintln!("{imported}");
            ExitCode::SUCCESS
        }
        Err(errors) => {
            eprint!("{}", diagnostics::render(&errors, stderr_color()));
            eprintln!(
                "error: the import failed with {} error{}; nothing was written",
                errors.len(),
                plural(errors.len())
            );
            ExitCode::FAILURE
        }
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
        no_cache: args.no_cache,
        quiet: args.quiet || args.format == Format::Json,
    };
    match build(&options) {
        Ok(built) => {
            if args.format == Format::Json {
                println!("{}", diagnostics::to_json(&[]));
            }
            if !args.quiet {
                if let Some(line) = built.sims.line() {
                    eprintln!("{line}");
                }
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
            if args.format == Format::Json {
                println!("{}", diagnostics::to_json(&errors));
            } else {
                report(&errors);
            }
            ExitCode::FAILURE
        }
    }
}

fn run_simulate(args: SimulateArgs) -> ExitCode {
    use crate::sim::{self, SimOptions, Training, shard};
    let shard = match args.shard.as_deref().map(shard::parse_shard).transpose() {
        Ok(shard) => shard,
        Err(why) => {
            eprintln!("error: --shard {why}");
            return ExitCode::from(2);
        }
    };
    if args.shards == Some(0) {
        eprintln!("error: --shards must be at least 1");
        return ExitCode::from(2);
    }
    let fail = |errors: &[Diagnostic]| {
        if args.format == Format::Json {
            println!("{}", diagnostics::to_json(errors));
        } else {
            report(errors);
        }
        ExitCode::FAILURE
    };
    let prepared = crate::pipeline::prepare(
        crate::pipeline::Prepare {
            root: &args.root,
            base_url: None,
            drafts: false,
        },
        None,
    );
    let prepared = match prepared {
        Ok(prepared) if prepared.errors.is_empty() => prepared,
        Ok(prepared) => return fail(&prepared.errors),
        Err(errors) => return fail(&errors),
    };
    let options = SimOptions {
        training: Training::Defer,
        quiet: true,
        ..Default::default()
    };
    let (_, summary, errors) = sim::simulate_site(&prepared.site, &options);
    if !errors.is_empty() {
        return fail(&errors);
    }
    let cores = rayon::current_num_threads();
    let shards = match (shard, args.shards, args.target_seconds) {
        (Some((_, n)), _, _) => n,
        (None, Some(n), _) => n,
        (None, None, Some(target)) => shard::recommend(&summary.pending, target, cores),
        (None, None, None) => shard::recommend(
            &summary.pending,
            prepared.site.config.simulations.shard_seconds,
            cores,
        ),
    };
    let mut plan = shard::plan(&summary.pending, summary.from_cache, shards, cores);
    plan.digest = shard::digest(&summary.keys);
    let Some((mine, of)) = shard else {
        if args.format == Format::Json {
            println!(
                "{}",
                serde_json::to_string_pretty(&plan).expect("a plan serializes")
            );
        } else {
            print_plan(&plan);
        }
        return ExitCode::SUCCESS;
    };
    let started = std::time::Instant::now();
    if let Some(why) = sim::run::slow_kernel_note()
        && !args.quiet
        && plan.simulations.iter().any(|p| p.shard == mine)
    {
        eprintln!("warning: {why}");
    }
    let mut trained = 0;
    for planned in plan.simulations.iter().filter(|p| p.shard == mine) {
        let Some(pending) = summary
            .pending
            .iter()
            .find(|p| p.cache_key == planned.cache_key)
        else {
            continue;
        };
        if !args.quiet {
            eprintln!(
                "shard {mine}/{of}: training {} ({} networks, about {} GFLOP)",
                planned.label,
                planned.networks,
                sim::cost::gflop_words(planned.gflop)
            );
        }
        if let Err(why) = pending.train() {
            eprintln!("error: simulation {} failed: {why}", planned.label);
            return ExitCode::FAILURE;
        }
        trained += 1;
    }
    if !args.quiet {
        eprintln!(
            "shard {mine}/{of}: trained {trained} simulation{} into {} in {:.1} s",
            plural(trained),
            sim::cache::dir(&args.root).display(),
            started.elapsed().as_secs_f64()
        );
    }
    ExitCode::SUCCESS
}

/// The plan as a table, for people.
/// "about 25 min", or "under 1 s" (not "about under 1 s").
fn estimate_words(seconds: f64) -> String {
    let words = crate::sim::cost::duration_words(seconds);
    if seconds < 1.0 {
        words
    } else {
        format!("about {words}")
    }
}

fn print_plan(plan: &crate::sim::shard::Plan) {
    println!(
        "{} simulation{} to train ({} in the cache already), in {} shard{}:",
        plan.simulations.len(),
        plural(plan.simulations.len()),
        plan.cached,
        plan.shards.len(),
        plural(plan.shards.len())
    );
    for shard in &plan.shards {
        println!(
            "  shard {}: {} simulation{}, {} GFLOP, {} on {} cores",
            shard.shard,
            shard.simulations,
            plural(shard.simulations),
            crate::sim::cost::gflop_words(shard.gflop),
            estimate_words(shard.seconds),
            plan.cores
        );
    }
    for sim in &plan.simulations {
        println!(
            "    {} -> shard {} ({} GFLOP)",
            sim.label,
            sim.shard,
            crate::sim::cost::gflop_words(sim.gflop)
        );
    }
}

fn run_check(args: CheckArgs) -> ExitCode {
    let found = check(&CheckOptions {
        root: args.root,
        drafts: args.drafts,
        external: args
            .external
            .then(|| std::time::Duration::from_secs(args.timeout.max(1))),
    });
    let errors = found.iter().filter(|d| d.is_error()).count();
    let warnings = found.len() - errors;
    if args.format == Format::Json {
        println!("{}", diagnostics::to_json(&found));
    } else {
        eprint!("{}", diagnostics::render(&found, stderr_color()));
        let counted = format!(
            "{errors} error{} and {warnings} warning{}",
            plural(errors),
            plural(warnings)
        );
        if errors > 0 {
            eprintln!("error: the check found {counted}; `conceptlab build` would fail");
        } else if warnings > 0 && args.strict {
            eprintln!("error: the check found {counted}, and --strict counts warnings");
        } else if warnings > 0 {
            eprintln!("warning: the check found {counted}; the site builds");
        } else {
            eprintln!("Checked the site: no errors, no warnings");
        }
    }
    if errors > 0 || (args.strict && warnings > 0) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn run_serve(args: ServeArgs) -> ExitCode {
    let quiet = args.quiet;
    let options = ServeOptions {
        root: args.root,
        bind: args.bind,
        port: args.port,
        base_url: args.base_url,
        drafts: args.drafts,
    };
    let report = move |outcome: &Outcome, took: std::time::Duration| {
        if !outcome.errors.is_empty() {
            eprint!("{}", diagnostics::render(&outcome.errors, stderr_color()));
            eprintln!(
                "error: {} error{}; still serving the last good version, the browser shows them too",
                outcome.errors.len(),
                plural(outcome.errors.len())
            );
        } else if !quiet && !outcome.rendered.is_empty() {
            let what = if outcome.full {
                "the site"
            } else if !outcome.trained.is_empty() {
                "the pages of the trained simulations"
            } else {
                "what changed"
            };
            let pages = outcome.rendered.len();
            eprintln!(
                "Rendered {what}: {pages} page{} in {:.2} s",
                plural(pages),
                took.as_secs_f64()
            );
        }
        for label in &outcome.training {
            eprintln!(
                "Training {label} in the background; its page reloads when the data is ready"
            );
        }
        for (label, result) in &outcome.trained {
            match result {
                Ok(took) => eprintln!("Trained {label} in {:.1} s", took.as_secs_f64()),
                Err(why) => eprintln!("error: simulation {label} failed: {why}"),
            }
        }
    };
    let server = match crate::serve::start(options, Box::new(report)) {
        Ok(server) => server,
        Err(e) => {
            eprint!("{}", diagnostics::render(&[e], stderr_color()));
            return ExitCode::FAILURE;
        }
    };
    let url = server.url();
    eprintln!(
        "Serving {url} (Ctrl-C stops); watching content/, templates/, themes/, static/ and site.yaml"
    );
    if args.open
        && let Err(e) = open::that_detached(&url)
    {
        eprintln!("warning: cannot open a browser ({e}); open {url} yourself");
    }
    server.run_until_ctrl_c();
    ExitCode::SUCCESS
}

fn run_init(args: InitArgs) -> ExitCode {
    match crate::scaffold::init(&args.dir, args.force) {
        Ok(written) => {
            for path in &written {
                println!("{}", args.dir.join(path).display());
            }
            let dir = args.dir.display();
            eprintln!(
                "Created a site in {dir}. Next: `conceptlab serve --root {dir}`, then edit \
                 content/caching/ or add a lesson with `conceptlab new lesson \"Title\" --course caching --root {dir}`"
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprint!("{}", diagnostics::render(&[e], stderr_color()));
            ExitCode::FAILURE
        }
    }
}

/// Prints the path `new` created, or why it did not.
fn created(root: &std::path::Path, result: Result<PathBuf, Diagnostic>) -> ExitCode {
    match result {
        Ok(path) => {
            println!("{}", root.join(path).display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprint!("{}", diagnostics::render(&[e], stderr_color()));
            ExitCode::FAILURE
        }
    }
}

fn stderr_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn report(diagnostics: &[Diagnostic]) {
    eprint!("{}", diagnostics::render(diagnostics, stderr_color()));
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    eprintln!(
        "error: the build failed with {errors} error{}; the output folder was left as it was",
        plural(errors)
    );
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
