//! The `conceptlab` binary: the allocator, then the command line ([`conceptlab::cli`]).
//!
//! Owns: the process's allocator. Never does: any work of its own.

// A build allocates and frees many small strings and vectors from all threads at once
// (Markdown events, template values, search records); mimalloc does that with much less
// contention and bookkeeping than the system allocator (measured in docs/benchmarks.md).
// On Linux it also takes C's malloc and free (Cargo.toml's `override` feature), which the
// highlighter's regular expressions call for every search.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    conceptlab::cli::run()
}
