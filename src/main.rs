fn main() -> std::process::ExitCode {
    conceptlab::cli::run()
}
