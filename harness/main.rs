fn main() -> std::process::ExitCode {
    zinc_harness::cli::main()
}
