//! Simulation: replay many tickets against a policy set and measure what
//! support would have looked like (DESIGN.md §7) — per priority and segment,
//! checked against the Benchmarks policy, optionally against a baseline.
//!
//! Pure: tickets in, facts and reports out. Reading files, threads and
//! rendering live in the CLI.

pub mod facts;
pub mod input;
pub mod quantile;
pub mod report;
pub mod synthetic;
pub mod versions;
pub mod zendesk;

pub use facts::Facts;
pub use report::{Accumulator, Horizon, HorizonSource, Report};
pub use versions::{PolicyVersions, Versions};
