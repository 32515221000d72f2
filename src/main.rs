//! The `helpbook` binary: parse the command line, run, print any error with its
//! causes, exit with the command's status (2 when it could not run).

use clap::Parser;

/// mimalloc: a build makes and frees millions of small strings on every
/// thread, where the system allocator spent a sixth of the build's time.
/// Built without transparent huge pages (`no_thp`): each 2 MB page the
/// kernel handed out had to be zeroed whole, a seventh of a corpus build's
/// CPU time, where 4 KB pages cost a twentieth.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = helpbook::cli::Cli::parse();
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
