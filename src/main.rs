//! The `dangke` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    dangke::run(std::env::args_os()).into()
}
