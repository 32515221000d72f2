//! `helpbook serve`: the options, handed to [`crate::serve`].

use crate::cli::ServeArgs;
use anyhow::Result;

pub fn run(args: ServeArgs) -> Result<i32> {
    crate::serve::run(crate::serve::Options {
        project: args.project,
        port: args.port,
        bind: args.bind,
        open: args.open,
        read_only: args.read_only,
        allow_edit: args.allow_edit,
    })
}
