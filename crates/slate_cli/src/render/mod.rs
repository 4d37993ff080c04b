//! One renderer per output format.

pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod report;
pub mod review;
pub mod sarif;
pub mod trace;

/// Counts shown after the diagnostics.
#[derive(Debug, Clone)]
pub struct Summary {
    pub files: usize,
    pub policies: usize,
    pub errors: usize,
    pub warnings: usize,
    /// Lint rules the configuration switches off.
    pub rules_off: Vec<&'static str>,
}

/// Writes `contents` to `path` atomically (temporary file and rename): a
/// reader sees the old file or the new one, never a half-written file.
pub fn write_atomically(path: &std::path::Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(contents.as_bytes())?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}
