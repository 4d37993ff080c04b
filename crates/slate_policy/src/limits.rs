//! Resource budgets for untrusted policy input.

/// Limits applied while loading a policy tree. The defaults suit policies
/// that arrive in pull requests from forks; each can be changed with its
/// environment variable (see [`Limits::from_env`]).
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest policy file read, in bytes; larger files are refused unread.
    pub max_file_bytes: u64,
    /// Most files in one policy tree.
    pub max_files: usize,
    /// Most bytes in one policy tree, all files together.
    pub max_total_bytes: u64,
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
            max_total_bytes: 16 * 1024 * 1024,
            max_depth: 32,
            max_nodes: 100_000,
            max_scalar_bytes: 1024 * 1024,
        }
    }
}

/// The environment variable of each limit.
pub const VARIABLES: [&str; 6] = [
    "SLATE_MAX_FILE_BYTES",
    "SLATE_MAX_FILES",
    "SLATE_MAX_TOTAL_BYTES",
    "SLATE_MAX_DEPTH",
    "SLATE_MAX_NODES",
    "SLATE_MAX_SCALAR_BYTES",
];

impl Limits {
    /// The defaults, each replaced by its environment variable when set
    /// (`SLATE_MAX_FILE_BYTES`, `SLATE_MAX_FILES`, `SLATE_MAX_TOTAL_BYTES`,
    /// `SLATE_MAX_DEPTH`, `SLATE_MAX_NODES`, `SLATE_MAX_SCALAR_BYTES`: a
    /// positive whole number). An invalid value is an error naming it.
    pub fn from_env() -> Result<Self, String> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`Limits::from_env`] with the variables read through `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let mut limits = Self::default();
        let read = |name: &str| -> Result<Option<u64>, String> {
            match lookup(name) {
                None => Ok(None),
                Some(text) => match text.trim().parse::<u64>() {
                    Ok(n) if n > 0 => Ok(Some(n)),
                    _ => Err(format!(
                        "{name}=`{text}` is not a positive whole number (a limit, e.g. {name}=2000000)"
                    )),
                },
            }
        };
        let size = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        if let Some(n) = read("SLATE_MAX_FILE_BYTES")? {
            limits.max_file_bytes = n;
        }
        if let Some(n) = read("SLATE_MAX_FILES")? {
            limits.max_files = size(n);
        }
        if let Some(n) = read("SLATE_MAX_TOTAL_BYTES")? {
            limits.max_total_bytes = n;
        }
        if let Some(n) = read("SLATE_MAX_DEPTH")? {
            limits.max_depth = size(n);
        }
        if let Some(n) = read("SLATE_MAX_NODES")? {
            limits.max_nodes = size(n);
        }
        if let Some(n) = read("SLATE_MAX_SCALAR_BYTES")? {
            limits.max_scalar_bytes = size(n);
        }
        Ok(limits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_raise_limits_and_bad_values_are_named() {
        let limits = Limits::from_lookup(|name| {
            (name == "SLATE_MAX_FILE_BYTES").then(|| "2000000".to_owned())
        })
        .unwrap();
        assert_eq!(limits.max_file_bytes, 2_000_000);
        assert_eq!(limits.max_files, Limits::default().max_files);
        let error =
            Limits::from_lookup(|name| (name == "SLATE_MAX_DEPTH").then(|| "deep".to_owned()))
                .unwrap_err();
        assert!(error.starts_with("SLATE_MAX_DEPTH=`deep` is not a positive whole number"));
        assert!(Limits::from_lookup(|_| Some("0".to_owned())).is_err());
    }
}
