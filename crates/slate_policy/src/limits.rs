//! Resource budgets for untrusted policy input.

/// Limits applied while loading a policy tree. The defaults suit policies
/// that arrive in pull requests from forks.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest policy file read, in bytes; larger files are refused unread.
    pub max_file_bytes: u64,
    /// Most files in one policy tree.
    pub max_files: usize,
    /// Deepest nesting of mappings and sequences.
    pub max_depth: usize,
    /// Most YAML nodes in one file.
    pub max_nodes: usize,
    /// Most bytes of scalar text in one file.
    pub max_scalar_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_bytes: 1024 * 1024,
            max_files: 1000,
            max_depth: 32,
            max_nodes: 100_000,
            max_scalar_bytes: 1024 * 1024,
        }
    }
}
