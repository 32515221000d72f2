//! Fuzz target `front_matter`: see `tests/support/fuzz_checks.rs` for what it
//! checks on every input (the stable test `tests/fuzz_regressions.rs` runs
//! the same checks on the inputs that once failed).

#![no_main]

#[path = "../../tests/support/fuzz_checks.rs"]
mod fuzz_checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_checks::front_matter(data));
