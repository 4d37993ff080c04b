//! Slate's integration tests: the CLI as a user runs it, over the data in
//! the repository's root `tests/` and `policies/`.

#![allow(
    clippy::panic,
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers fail the test by panicking"
)]

mod adversarial;
mod boundary;
mod ci;
mod cli;
mod corpus;
mod diff;
mod fields;
mod generated;
mod hardening;
mod large;
mod lint;
mod policies;
mod readme;
mod replay;
mod scenarios;
mod simulate;
mod support;
mod versions;
