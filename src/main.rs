//! The `soteria` binary: parses arguments and hands them to the library.
use clap::Parser;
use std::io::Write;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = soteria::cli::Cli::parse();
    let code = match soteria::cli::run(cli) {
        Ok(()) => 0,
        Err(error) => {
            // Each error's own text already names its cause (an I/O error its path and
            // the system's words): printing the source chain as well would say it twice.
            eprintln!("soteria: error: {error}");
            error.exit_code()
        }
    };
    // Everything the command wrote is written (files renamed into place, validated
    // copies joined) by the time `run` returns. Ending here skips the allocator's
    // tidying of memory the system takes back anyway: a tenth of a second after a
    // national flight deck, a tenth of the ten indicators' time.
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    // SAFETY: `_exit` ends the process without running anything else; nothing of
    // this process is left to run.
    unsafe { libc::_exit(code) }
}
