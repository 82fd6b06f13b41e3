//! The `soteria` binary: parses arguments and hands them to the library.
use clap::Parser;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = soteria::cli::Cli::parse();
    if let Err(error) = soteria::cli::run(cli) {
        let code = error.exit_code();
        // Each error's own text already names its cause (an I/O error its path and the
        // system's words): printing the source chain as well would say it twice.
        eprintln!("soteria: error: {error}");
        std::process::exit(code);
    }
}
