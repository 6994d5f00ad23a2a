fn main() -> std::process::ExitCode {
    zinc_harness::main()
}
