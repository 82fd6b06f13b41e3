//! The `soteria` binary: parses arguments and hands them to the library.
use clap::Parser;

fn main() {
    let cli = soteria::cli::Cli::parse();
    if let Err(error) = soteria::cli::run(cli) {
        let code = error.exit_code();
        eprintln!("soteria: error: {:#}", anyhow::Error::from(error));
        std::process::exit(code);
    }
}
