//! One renderer per output format.

pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod report;
pub mod review;
pub mod sarif;
pub mod terminal;
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
///
/// Only a regular file (or nothing) is replaced: a device (`/dev/null`,
/// `/dev/stdout`), a link or a directory at `path` is an error, never
/// swapped for a file. The file gets the mode the umask gives a new file.
/// The temporary file has a fixed name next to the target
/// (`.NAME.slate-tmp`); one left by a killed writer is replaced by the next
/// write, so none stays behind.
pub fn write_atomically(path: &std::path::Path, contents: &str) -> std::io::Result<()> {
    use std::io::{Error, ErrorKind, Write};
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                "it is a symbolic link; write to the file itself",
            ));
        }
        Ok(meta) if !meta.is_file() => {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                "it is not a regular file (a directory or device); leave out --out to write to stdout",
            ));
        }
        Ok(_) => {}
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| Error::new(ErrorKind::InvalidInput, "it names no file"))?;
    let tmp = dir.join(format!(".{}.slate-tmp", name.to_string_lossy()));
    // A leftover of a killed writer: ours by its name, replaced.
    if std::fs::symlink_metadata(&tmp).is_ok_and(|m| m.is_file()) {
        std::fs::remove_file(&tmp)?;
    }
    let write = || -> std::io::Result<()> {
        // `create_new` with the default mode: the umask decides, as for any
        // new file; never through a link planted at the temporary name.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        file.write_all(contents.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
