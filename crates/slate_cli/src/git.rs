//! Policy trees at git revisions (DESIGN §9), for `lint --base`, `diff` and
//! `simulate --baseline`.
//!
//! Everything inside a policy tree may come from a hostile pull request, so
//! nothing in it may choose what git reads:
//! - the repository is the checkout's: the nearest `.git` above the policy
//!   path, passed to git explicitly (`--git-dir`, `--work-tree`), so a bare
//!   repository laid out inside the tree (`HEAD`, `config`, `objects/`,
//!   `refs/`) is never discovered; a tree holding such git metadata is
//!   refused outright;
//! - replace refs and alternates are switched off, and the environment that
//!   would redirect git is cleared;
//! - a revision can never be read as an option (`-…` is refused and the
//!   commit is resolved with `rev-parse --verify`);
//! - names are read NUL-separated (any character), and entries get the same
//!   refusals as on disk: links and non-regular entries named as policies
//!   are errors, hidden folders are skipped, sizes and counts are checked
//!   before a blob is read.

use std::path::{Path, PathBuf};
use std::process::Command;

use slate_policy::Limits;
use slate_policy::source::Source;

/// The checkout's repository.
#[derive(Debug)]
pub struct Repo {
    git_dir: PathBuf,
    top: PathBuf,
}

/// Names git itself keeps in a repository directory: a policy tree holding
/// `HEAD` next to `objects/` or `refs/` is a repository in disguise.
const GIT_METADATA: [&str; 4] = ["HEAD", "config", "objects", "refs"];

/// Whether a directory holding `names` at its top is laid out as a
/// repository.
fn is_repository(names: &[&str]) -> bool {
    names.contains(&"HEAD") && (names.contains(&"objects") || names.contains(&"refs"))
}

/// Refuses a directory that is laid out as a git repository.
pub fn refuse_git_metadata(dir: &Path) -> Result<(), String> {
    let present: Vec<&str> = GIT_METADATA
        .iter()
        .copied()
        .filter(|name| std::fs::symlink_metadata(dir.join(name)).is_ok())
        .collect();
    if is_repository(&present) {
        return Err(format!(
            "`{}` holds git metadata ({}): a policy tree must not contain a repository",
            dir.display(),
            present.join(", ")
        ));
    }
    Ok(())
}

impl Repo {
    /// The repository of the checkout that holds `path`: the nearest `.git`
    /// (a directory, or a file naming one) at or above the directory
    /// containing the policy tree — never one inside it.
    pub fn of(path: &Path) -> Result<Self, String> {
        let absolute = std::path::absolute(path)
            .map_err(|e| format!("cannot resolve `{}`: {e}", path.display()))?;
        let tree = if absolute.is_dir() {
            absolute.clone()
        } else {
            absolute.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        refuse_git_metadata(&tree)?;
        let mut dir = tree.parent().map(Path::to_path_buf);
        // The tree itself may be the checkout's root.
        if tree.join(".git").exists() {
            dir = Some(tree.clone());
        }
        while let Some(d) = dir {
            let dot_git = d.join(".git");
            if dot_git.exists() {
                let top = d
                    .canonicalize()
                    .map_err(|e| format!("cannot resolve `{}`: {e}", d.display()))?;
                return Ok(Self {
                    git_dir: dot_git,
                    top,
                });
            }
            dir = d.parent().map(Path::to_path_buf);
        }
        Err(format!("`{}` is not inside a git checkout", path.display()))
    }

    fn git(&self, args: &[&str]) -> Result<Vec<u8>, String> {
        let output = Command::new("git")
            .arg("--git-dir")
            .arg(&self.git_dir)
            .arg("--work-tree")
            .arg(&self.top)
            .args(["--no-replace-objects", "-c", "core.fsmonitor=false"])
            .args(args)
            .current_dir(&self.top)
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_OBJECT_DIRECTORY")
            .env_remove("GIT_ALTERNATE_OBJECT_DIRECTORIES")
            .env_remove("GIT_NAMESPACE")
            .env_remove("GIT_CEILING_DIRECTORIES")
            .env("GIT_NO_REPLACE_OBJECTS", "1")
            .env("GIT_LITERAL_PATHSPECS", "1")
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !output.status.success() {
            return Err(String::from_utf8_lossy(&output.stderr).trim().to_owned());
        }
        Ok(output.stdout)
    }

    /// The commit `rev` names. A revision that starts with `-` is refused:
    /// it would reach git as an option.
    pub fn commit(&self, rev: &str) -> Result<String, String> {
        if rev.is_empty() || rev.starts_with('-') || rev.contains('\0') {
            return Err(format!("`{rev}` is not a revision"));
        }
        let out = self
            .git(&[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{rev}^{{commit}}"),
            ])
            .map_err(|_| format!("cannot read revision `{rev}`"))?;
        let sha = String::from_utf8_lossy(&out).trim().to_owned();
        if sha.is_empty() || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("cannot read revision `{rev}`"));
        }
        Ok(sha)
    }

    /// `path` relative to the checkout's root, as git names it.
    fn relative(&self, path: &Path) -> Result<String, String> {
        let absolute = std::path::absolute(path)
            .map_err(|e| format!("cannot resolve `{}`: {e}", path.display()))?;
        // Resolve the part that exists (the tree may be gone at the head).
        let mut existing = absolute.clone();
        let mut rest = Vec::new();
        while !existing.exists() {
            let Some(name) = existing.file_name() else {
                break;
            };
            rest.push(name.to_owned());
            existing.pop();
        }
        let mut resolved = existing
            .canonicalize()
            .map_err(|e| format!("cannot resolve `{}`: {e}", path.display()))?;
        for name in rest.iter().rev() {
            resolved.push(name);
        }
        let relative = resolved
            .strip_prefix(&self.top)
            .map_err(|_| format!("`{}` is outside the checkout", path.display()))?;
        Ok(relative.to_string_lossy().replace('\\', "/"))
    }

    /// The entries of the tree at `dir` in `commit`: (mode, object, size,
    /// name relative to `dir`). Names are read NUL-separated, unquoted.
    fn entries(
        &self,
        commit: &str,
        dir: &str,
        recursive: bool,
    ) -> Result<Vec<(String, String, u64, String)>, String> {
        let tree = if dir.is_empty() {
            format!("{commit}^{{tree}}")
        } else {
            format!("{commit}:{dir}")
        };
        let mut args = vec!["ls-tree", "-z", "--long"];
        if recursive {
            args.push("-r");
        }
        args.extend(["--", &tree]);
        let out = self.git(&args)?;
        let mut entries = Vec::new();
        for record in out.split(|b| *b == 0).filter(|r| !r.is_empty()) {
            let text = String::from_utf8_lossy(record);
            let Some((meta, name)) = text.split_once('\t') else {
                continue;
            };
            let fields: Vec<&str> = meta.split_whitespace().collect();
            let [mode, _kind, object, size] = fields.as_slice() else {
                continue;
            };
            entries.push((
                (*mode).to_owned(),
                (*object).to_owned(),
                size.parse().unwrap_or(0),
                name.to_owned(),
            ));
        }
        Ok(entries)
    }

    fn blob(&self, object: &str) -> Result<String, String> {
        let bytes = self.git(&["cat-file", "blob", object])?;
        String::from_utf8(bytes).map_err(|_| "is not UTF-8 text".to_owned())
    }
}

fn is_policy_name(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

/// The policy files of the tree at `path` at revision `rev`, with the same
/// refusals as on disk.
pub fn tree_at(path: &Path, rev: &str, limits: &Limits) -> Result<Vec<Source>, String> {
    let repo = Repo::of(path)?;
    let commit = repo.commit(rev)?;
    let dir_path = if path.is_file() {
        path.parent().map(Path::to_path_buf).unwrap_or_default()
    } else {
        path.to_path_buf()
    };
    let dir = repo.relative(&dir_path)?;
    let entries = repo
        .entries(&commit, &dir, true)
        .map_err(|e| format!("cannot read revision `{rev}`: {e}"))?;
    let top_level: Vec<&str> = entries
        .iter()
        .map(|(_, _, _, name)| name.split('/').next().unwrap_or(""))
        .collect();
    if is_repository(&top_level) {
        return Err(format!(
            "`{rev}:{dir}` holds git metadata: a policy tree must not contain a repository"
        ));
    }
    let mut sources = Vec::new();
    let mut total = 0u64;
    for (mode, object, size, name) in entries {
        // Hidden folders and files are skipped, as on disk.
        if name.split('/').any(|part| part.starts_with('.')) || !is_policy_name(&name) {
            continue;
        }
        let shown = format!("{rev}:{name}");
        match mode.as_str() {
            "100644" | "100755" => {}
            "120000" => {
                return Err(format!(
                    "`{shown}` is a symbolic link: links are refused so that a policy cannot reach outside its tree"
                ));
            }
            _ => return Err(format!("`{shown}` is not a regular file")),
        }
        if size > limits.max_file_bytes {
            return Err(format!(
                "`{shown}` is {size} bytes, more than the limit of {} bytes (SLATE_MAX_FILE_BYTES)",
                limits.max_file_bytes
            ));
        }
        total += size;
        if total > limits.max_total_bytes {
            return Err(format!(
                "the policy tree at `{rev}` holds more than {} bytes (SLATE_MAX_TOTAL_BYTES)",
                limits.max_total_bytes
            ));
        }
        if sources.len() >= limits.max_files {
            return Err(format!(
                "the policy tree at `{rev}` holds more than {} policy files (SLATE_MAX_FILES)",
                limits.max_files
            ));
        }
        let text = repo.blob(&object).map_err(|e| format!("`{shown}` {e}"))?;
        sources.push(Source::with_relative(shown, name, text));
    }
    Ok(sources)
}

/// The file at `path` (a regular file, within the size limit) at revision
/// `rev`; `None` when the revision has none.
pub fn file_at(path: &Path, rev: &str, limits: &Limits) -> Result<Option<String>, String> {
    let repo = Repo::of(path)?;
    let commit = repo.commit(rev)?;
    let relative = repo.relative(path)?;
    let (dir, name) = match relative.rsplit_once('/') {
        Some((d, n)) => (d.to_owned(), n.to_owned()),
        None => (String::new(), relative.clone()),
    };
    // Only the file's own directory: never a listing of the whole repository.
    let Ok(entries) = repo.entries(&commit, &dir, false) else {
        return Ok(None);
    };
    let Some((mode, object, size, _)) = entries.into_iter().find(|e| e.3 == name) else {
        return Ok(None);
    };
    let shown = format!("{rev}:{relative}");
    if mode != "100644" && mode != "100755" {
        return Err(format!("`{shown}` is not a regular file"));
    }
    if size > limits.max_file_bytes {
        return Err(format!(
            "`{shown}` is {size} bytes, more than the limit of {} bytes",
            limits.max_file_bytes
        ));
    }
    repo.blob(&object)
        .map(Some)
        .map_err(|e| format!("`{shown}` {e}"))
}
