//! Slate's policy front end.
pub mod check;
pub mod currency;
pub mod diagnostic;
pub mod duration;
pub mod explain;
pub mod generated;
pub mod limits;
pub mod load;
pub mod model;
pub mod patterns;
pub mod raw;
pub mod schema;
pub mod source;
pub mod yaml;

use std::path::Path;

pub use check::{Checked, Scope};
pub use diagnostic::{Code, Diagnostic, Severity};
pub use limits::Limits;
pub use load::LoadError;

/// Loads and checks the policy tree at `path`: every problem in one run.
///
/// `Err` only when the path itself cannot be read (a usage or I/O error).
pub fn check_path(path: &Path, limits: &Limits) -> Result<Checked, LoadError> {
    let tree = load::load(path, limits)?;
    let scope = if tree.is_directory {
        Scope::Complete
    } else {
        Scope::Partial
    };
    let mut checked = check::check_sources(&tree.sources, scope, limits);
    if tree.is_directory {
        checked.require_every_kind(&path.display().to_string());
    }
    checked.diagnostics.extend(tree.diagnostics);
    checked.diagnostics.sort_by_cached_key(Diagnostic::sort_key);
    Ok(checked)
}
