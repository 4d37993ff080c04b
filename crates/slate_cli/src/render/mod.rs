//! One renderer per output format.

pub mod human;
pub mod json;
pub mod trace;

/// Counts shown after the diagnostics.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    pub files: usize,
    pub policies: usize,
    pub errors: usize,
    pub warnings: usize,
}
