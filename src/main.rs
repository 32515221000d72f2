//! The `helpbook` binary: parse the command line, run, print any error with its
//! causes, exit with the command's status (2 when it could not run).

use clap::Parser;

/// mimalloc: a build makes and frees millions of small strings on every
/// thread, where the system allocator spent a sixth of the build's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = helpbook::cli::Cli::parse();
    if !matches!(cli.command, helpbook::cli::Command::Serve(_)) {
        keep_freed_memory();
    }
    let code = match helpbook::cmd::run(cli) {
        Ok(code) => code,
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

/// A one-shot command (everything but `serve`) keeps the memory it frees for
/// its own next allocations instead of handing it back to the system after
/// 10 ms: handed back, it comes again as fresh 2 MB pages the kernel must
/// zero, which was a tenth of a corpus build's CPU time. `serve` keeps the
/// default, so that a server left running gives memory back.
#[allow(unsafe_code)]
fn keep_freed_memory() {
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15; // mi_option_purge_delay
                                                          // SAFETY: called once, before any other thread exists.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) };
}
