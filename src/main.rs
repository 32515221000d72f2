//! The `helpbook` binary: parse the command line, set the colour choice and
//! the verbosity (`-q`, `-v`), run,
//! print any error with its causes, exit with the command's status (2 when it
//! could not run).
//!
//! Output closed early by the reader (`helpbook status | head`) is not an
//! error: every command writes through `?`, so a write to a closed pipe comes
//! back here as a broken-pipe error, and the program ends quietly with 0.

use clap::Parser;
use helpbook::cli::ColorWhen;
use helpbook::ui::Verbosity;
use std::io::ErrorKind;

/// mimalloc: a build makes and frees millions of small strings on every
/// thread, where the system allocator spent a sixth of the build's time.
/// Built without transparent huge pages (`no_thp`): each 2 MB page the
/// kernel handed out had to be zeroed whole, a seventh of a corpus build's
/// CPU time, where 4 KB pages cost a twentieth.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = helpbook::cli::Cli::parse();
    // Every stream that colours asks anstream, which reads this choice first
    // and, for `auto`, NO_COLOR, CLICOLOR_FORCE and whether it is a terminal.
    anstream::ColorChoice::write_global(match cli.color {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    });
    helpbook::ui::set_verbosity(if cli.quiet {
        Verbosity::Quiet
    } else if cli.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    });
    let code = match helpbook::cmd::run(cli) {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => 0,
        Err(err) => {
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            2
        }
    };
    std::process::exit(code);
}

/// Whether the error comes from writing to a pipe whose reader has gone.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == ErrorKind::BrokenPipe)
    })
}
