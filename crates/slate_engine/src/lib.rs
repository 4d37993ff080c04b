//! Slate's replay engine: business-time arithmetic on real instants, the
//! ticket timeline contract, and the replay that turns a checked policy set
//! and a ticket into a decision trace. A pure library: no I/O beyond the
//! readers it is handed, no clock, no printing.

pub mod clock;
pub mod engine;
pub mod generated;
pub mod in_force;
pub mod keywords;
pub mod matcher;
pub mod scenario;
pub mod summary;
pub mod ticket;
pub mod trace;

pub use engine::Engine;
pub use in_force::InForce;
pub use summary::Summary;
pub use ticket::Ticket;
pub use trace::Trace;
