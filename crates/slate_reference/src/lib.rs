//! A second replay engine, written to be read rather than to be fast, that
//! `slate_engine` is tested against: the same policy set and ticket must give
//! the same decision trace, entry by entry, provenance included.
//!
//! Where the engine is clever this crate is plain:
//!
//! - business time advances one UTC minute at a time, each minute looked up
//!   in the calendar's weekly hours and holidays ([`minutes`]) — no span
//!   tables, day indexes or doubling searches;
//! - a timer fires where its clock, stepped forward, first passes its
//!   threshold — nothing remembered between steps;
//! - every condition is evaluated afresh on the ticket's words
//!   ([`conditions`]) — no compiled phrase sets, no remembered results, no
//!   trigger index by level.
//!
//! It shares only the policy model, the ticket contract and the trace types.
//! No shipped crate depends on it; it is slow (a week-long ticket is some
//! ten thousand minute steps per calendar).

pub mod conditions;
pub mod minutes;
mod replay;

pub use replay::Reference;
