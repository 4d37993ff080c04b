//! Reading a policy tree from disk, safely: only regular `*.yaml`/`*.yml`
//! files below the root, no symbolic links, size and count limits checked
//! before anything is read.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::limits::Limits;
use crate::source::{Source, Span};

/// A failure to read the root itself: usage or I/O, not a policy problem.
#[derive(Debug)]
pub struct LoadError {
    pub diagnostic: Box<Diagnostic>,
}

/// What was found under the root.
#[derive(Debug, Default)]
pub struct Tree {
    /// Readable policy files, sorted by path.
    pub sources: Vec<Source>,
    /// Files refused (links, oversize, not UTF-8, …).
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the root was a directory (a whole policy set).
    pub is_directory: bool,
}

fn is_policy_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

/// A file-level diagnostic: points at the start of the file.
fn at_file(code: Code, message: String, path: &Path) -> Diagnostic {
    Diagnostic::file_level(code, message, &path.display().to_string())
}

/// Loads the policy tree at `root` (a directory, read recursively, or a file).
pub fn load(root: &Path, limits: &Limits) -> Result<Tree, LoadError> {
    let meta = fs::symlink_metadata(root).map_err(|e| LoadError {
        diagnostic: Box::new(if e.kind() == std::io::ErrorKind::NotFound {
            Diagnostic::global(
                Code::IoNotFound,
                format!("`{}` does not exist", root.display()),
            )
            .help("pass a policy directory or file; the default is `policies/`")
        } else {
            Diagnostic::global(
                Code::IoRead,
                format!("cannot read `{}`: {e}", root.display()),
            )
        }),
    })?;
    let mut tree = Tree {
        is_directory: meta.is_dir(),
        ..Tree::default()
    };
    if meta.file_type().is_symlink() {
        tree.diagnostics.push(
            at_file(
                Code::LoadSymlink,
                format!("`{}` is a symbolic link", root.display()),
                root,
            )
            .help(
                "pass the real path; links are refused so a policy cannot reach outside its tree",
            ),
        );
        return Ok(tree);
    }
    if meta.is_dir() {
        let mut files = Vec::new();
        walk(root, limits, &mut files, &mut tree.diagnostics)
            .map_err(|e| LoadError { diagnostic: e })?;
        files.sort();
        if files.is_empty() && tree.diagnostics.is_empty() {
            tree.diagnostics.push(
                at_file(
                    Code::LoadEmpty,
                    format!("`{}` holds no policy files", root.display()),
                    root,
                )
                .help("policy files end in `.yaml` or `.yml`; check the path"),
            );
        }
        if files.len() > limits.max_files {
            tree.diagnostics.push(
                Diagnostic::global(
                    Code::LoadTooManyFiles,
                    format!(
                        "`{}` holds {} policy files, more than the limit of {}",
                        root.display(),
                        files.len(),
                        limits.max_files
                    ),
                )
                .help("check the path: a policy root holds tens of files, not thousands (the limit is SLATE_MAX_FILES)"),
            );
            return Ok(tree);
        }
        let mut total: u64 = 0;
        for file in files {
            total = total.saturating_add(fs::metadata(&file).map(|m| m.len()).unwrap_or(0));
            if total > limits.max_total_bytes {
                tree.diagnostics.push(
                    at_file(
                        Code::LoadTreeTooLarge,
                        format!(
                            "`{}` holds more than {} bytes of policy files; `{}` and the files after it were not read",
                            root.display(),
                            limits.max_total_bytes,
                            file.display()
                        ),
                        &file,
                    )
                    .help("check the path; a policy tree this large is generated or hostile; if it is legitimate, raise the limit with SLATE_MAX_TOTAL_BYTES=<bytes>"),
                );
                break;
            }
            read_file(&file, root, limits, &mut tree);
        }
    } else if meta.is_file() {
        read_file(
            root,
            root.parent().unwrap_or(Path::new("")),
            limits,
            &mut tree,
        );
    } else {
        tree.diagnostics.push(at_file(
            Code::LoadNotRegular,
            format!("`{}` is not a regular file", root.display()),
            root,
        ));
    }
    Ok(tree)
}

fn walk(
    dir: &Path,
    limits: &Limits,
    files: &mut Vec<PathBuf>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(), Box<Diagnostic>> {
    let entries = fs::read_dir(dir).map_err(|e| {
        Diagnostic::global(
            Code::IoRead,
            format!("cannot read directory `{}`: {e}", dir.display()),
        )
    })?;
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| {
            Diagnostic::global(
                Code::IoRead,
                format!("cannot read directory `{}`: {e}", dir.display()),
            )
        })?;
        paths.push(entry.path());
    }
    paths.sort();
    for path in paths {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        let Ok(meta) = fs::symlink_metadata(&path) else {
            diagnostics.push(at_file(
                Code::IoRead,
                format!("cannot read `{}`", path.display()),
                &path,
            ));
            continue;
        };
        let file_type = meta.file_type();
        if file_type.is_symlink() {
            if is_policy_file(&path) || fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
                let target = fs::read_link(&path)
                    .map(|t| format!(" (to `{}`)", t.display()))
                    .unwrap_or_default();
                diagnostics.push(
                    at_file(
                        Code::LoadSymlink,
                        format!("`{}` is a symbolic link{target}", path.display()),
                        &path,
                    )
                    .help("replace the link with the file itself; links are refused so that a policy cannot reach outside its tree"),
                );
            }
            continue;
        }
        if file_type.is_dir() {
            if files.len() <= limits.max_files {
                walk(&path, limits, files, diagnostics)?;
            }
        } else if is_policy_file(&path) {
            if file_type.is_file() {
                files.push(path);
            } else {
                diagnostics.push(at_file(
                    Code::LoadNotRegular,
                    format!("`{}` is not a regular file", path.display()),
                    &path,
                ));
            }
        }
    }
    Ok(())
}

fn read_file(path: &Path, root: &Path, limits: &Limits, tree: &mut Tree) {
    let name = path.display().to_string();
    let relative = path
        .strip_prefix(root)
        .map_or_else(|_| name.clone(), |p| p.display().to_string());
    let size = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > limits.max_file_bytes {
        tree.diagnostics.push(
            at_file(
                Code::LoadTooLarge,
                format!(
                    "`{name}` is {size} bytes, more than the limit of {} bytes",
                    limits.max_file_bytes
                ),
                path,
            )
            .help("policy files are small; split this one, check that it is a policy at all, or raise the limit with SLATE_MAX_FILE_BYTES=<bytes>"),
        );
        return;
    }
    let mut bytes = Vec::new();
    let read = fs::File::open(path).and_then(|f| {
        // Never read past the limit, even if the file grew since the check.
        f.take(limits.max_file_bytes + 1).read_to_end(&mut bytes)
    });
    if let Err(e) = read {
        tree.diagnostics.push(at_file(
            Code::IoRead,
            format!("cannot read `{name}`: {e}"),
            path,
        ));
        return;
    }
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limits.max_file_bytes {
        tree.diagnostics.push(at_file(
            Code::LoadTooLarge,
            format!(
                "`{name}` is larger than the limit of {} bytes",
                limits.max_file_bytes
            ),
            path,
        ));
        return;
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => tree
            .sources
            .push(Source::with_relative(name, relative, text)),
        Err(e) => {
            let offset = e.valid_up_to();
            let source = Source::new(name.clone(), String::from_utf8_lossy(bytes).into_owned());
            let (line, col) = source.line_col(offset);
            tree.diagnostics.push(
                Diagnostic::error(
                    Code::LoadNotUtf8,
                    format!(
                        "`{name}` is not UTF-8 text (invalid byte at line {line}, column {col})"
                    ),
                    &source,
                    Span::new(offset, 1),
                )
                .label("invalid UTF-8")
                .help("save the file as UTF-8"),
            );
        }
    }
}

/// Reads a file Slate takes from a tree it does not trust (`slate.toml`, a
/// scenario, a snapshot): a regular file only, never through a link (a FIFO
/// or device would block or never end), at most `max_bytes`. `Ok(None)`
/// when there is nothing at `path`; `Err` says what is wrong and names it.
pub fn read_regular(path: &Path, max_bytes: u64) -> Result<Option<String>, String> {
    let shown = path.display();
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read `{shown}`: {e}")),
    };
    if meta.file_type().is_symlink() {
        return Err(format!(
            "`{shown}` is a symbolic link: links are refused, replace it with the file itself"
        ));
    }
    if !meta.is_file() {
        return Err(format!(
            "`{shown}` is not a regular file (a directory, FIFO, socket or device)"
        ));
    }
    if meta.len() > max_bytes {
        return Err(format!(
            "`{shown}` is {} bytes, more than the limit of {max_bytes} bytes",
            meta.len()
        ));
    }
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|f| f.take(max_bytes + 1).read_to_end(&mut bytes))
        .map_err(|e| format!("cannot read `{shown}`: {e}"))?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > max_bytes {
        return Err(format!(
            "`{shown}` is larger than the limit of {max_bytes} bytes"
        ));
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| format!("`{shown}` is not UTF-8 text"))
}
