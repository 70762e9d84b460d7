//! End-to-end tests: they run the real `newsgraph` binary in temporary directories.
//!
//! One test binary for the whole workspace (see the `[[test]]` entry of `crates/cli`).

// Tests report skips on stderr.
#![allow(clippy::print_stderr)]

mod extract;
mod seed;
mod store;
mod store_sources;
mod tidy;
mod util;
