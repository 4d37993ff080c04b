//! `slate lint`.

use std::path::{Path, PathBuf};

use slate_lint::{Config, DocSummary, Options};
use slate_policy::source::{Loc, Source};
use slate_policy::{Diagnostic, Severity};

use crate::args::LintArgs;
use crate::exit::Exit;
use crate::render;

/// One requested output.
#[derive(Debug)]
enum Output {
    Human,
    Json,
    Sarif,
    Github,
}

fn parse_formats(formats: &[String]) -> Result<Vec<(Output, Option<PathBuf>)>, String> {
    formats
        .iter()
        .map(|f| {
            let (name, file) = match f.split_once('=') {
                Some((n, file)) => (n, Some(PathBuf::from(file))),
                None => (f.as_str(), None),
            };
            let output = match name {
                "human" => Output::Human,
                "json" => Output::Json,
                "sarif" => Output::Sarif,
                "github" => Output::Github,
                other => {
                    return Err(format!(
                        "unknown format `{other}`\n  help: use human, json, sarif or github, optionally `=FILE`"
                    ));
                }
            };
            Ok((output, file))
        })
        .collect()
}

/// The parsed documents of a set of sources, for revision comparison.
pub fn summaries(sources: &[Source]) -> Vec<DocSummary> {
    sources
        .iter()
        .filter_map(|source| {
            let node = slate_policy::yaml::parse_tree(source, crate::limits()).ok()?;
            let metadata = node.get("metadata")?;
            let version = metadata.get("version")?;
            let number = match version.value {
                slate_policy::yaml::Value::Int(v) => u32::try_from(v).ok()?,
                _ => return None,
            };
            let mut index = slate_policy::yaml::PointerIndex::default();
            Some(DocSummary {
                kind: node.get("kind")?.as_str()?.to_owned(),
                name: metadata.get("name")?.as_str()?.to_owned(),
                version: number,
                effective_from: metadata
                    .get("effective_from")
                    .and_then(|e| e.as_str())
                    .unwrap_or("")
                    .to_owned(),
                spec: node
                    .get("spec")
                    .map(|s| by_value(s.to_json(&mut index)))
                    .unwrap_or_default(),
                loc: Loc::new(source, version.span),
            })
        })
        .collect()
}

/// A `spec` compared by meaning: durations in minutes, so that `1h` and
/// `60m` are the same value. Ids are left as written.
fn by_value(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(s) => match slate_policy::duration::Duration::parse(&s) {
            Ok(d) => Value::String(format!("{}m", d.minutes())),
            Err(_) => Value::String(s),
        },
        Value::Array(items) => Value::Array(items.into_iter().map(by_value).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let v = if k == "id" { v } else { by_value(v) };
                    (k, v)
                })
                .collect(),
        ),
        other => other,
    }
}

/// Where the configuration is looked for, first found wins.
fn config_candidates(args: &LintArgs) -> Vec<PathBuf> {
    match &args.config {
        Some(p) => vec![p.clone()],
        None => {
            let root = if args.path.is_dir() {
                args.path.clone()
            } else {
                args.path
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default()
            };
            vec![root.join("slate.toml"), PathBuf::from("slate.toml")]
        }
    }
}

/// The configuration at git revision `rev`, looked for where the working
/// tree's is; the defaults when there is none. A base whose configuration
/// does not parse or cannot be read is compared as the defaults (it was not
/// reviewed here).
fn base_config(args: &LintArgs, rev: &str) -> Config {
    for path in config_candidates(args) {
        let Ok(Some(text)) = crate::git::file_at(&path, rev, crate::limits()) else {
            continue;
        };
        let source = Source::new(format!("{rev}:{}", path.display()), text);
        return Config::parse(&source).unwrap_or_default();
    }
    Config::default()
}

fn config(args: &LintArgs) -> Result<Config, Exit> {
    for path in config_candidates(args) {
        // The configuration may come from the pull request: a regular file,
        // never a link or FIFO, bounded.
        let text = match slate_policy::load::read_regular(&path, crate::limits().max_file_bytes) {
            Ok(Some(t)) => t,
            Ok(None) if args.config.is_none() => continue,
            Ok(None) => {
                eprintln!("error: cannot read `{}`: no such file", path.display());
                return Err(Exit::Usage);
            }
            Err(message) => {
                eprintln!("error: {message}");
                return Err(Exit::Usage);
            }
        };
        let source = Source::new(path.display().to_string(), text);
        return Config::parse(&source).map_err(|diagnostics| {
            render::human::eprint(&diagnostics);
            Exit::Usage
        });
    }
    Ok(Config::default())
}

pub fn run(args: &LintArgs) -> Exit {
    let outputs = match parse_formats(&args.formats) {
        Ok(o) => o,
        Err(message) => {
            eprintln!("error: {message}");
            return Exit::Usage;
        }
    };
    let today = match &args.today {
        Some(text) => match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(d) => d,
            Err(_) => {
                eprintln!("error: invalid --today `{text}`\n  help: write YYYY-MM-DD");
                return Exit::Usage;
            }
        },
        None => chrono::Utc::now().date_naive(),
    };
    let config = match config(args) {
        Ok(c) => c,
        Err(exit) => return exit,
    };
    let checked = match slate_policy::check_path(&args.path, crate::limits()) {
        Ok(c) => c,
        Err(e) => {
            render::human::eprint(&[*e.diagnostic]);
            return Exit::Usage;
        }
    };
    let (base, base_files, base_config) = match &args.base {
        Some(rev) => match crate::git::tree_at(&args.path, rev, crate::limits()) {
            Ok(sources) => (
                Some(summaries(&sources)),
                sources,
                Some(base_config(args, rev)),
            ),
            Err(message) => {
                eprintln!("error: --base {rev}: {message}");
                return Exit::Usage;
            }
        },
        None => (None, Vec::new(), None),
    };
    let mut diagnostics: Vec<Diagnostic> = checked.diagnostics.clone();
    if !diagnostics.iter().any(|d| d.severity == Severity::Error) {
        let head = summaries(&checked.sources);
        let options = Options {
            config: &config,
            sources: &checked.sources,
            base: base.as_deref(),
            base_gate: base_config.as_ref().map(|config| slate_lint::BaseGate {
                config,
                sources: &base_files,
            }),
            head: &head,
            today,
            only: None,
            solver_budget: args.solver_budget,
        };
        diagnostics.extend(slate_lint::lint(&checked, &options));
    }
    diagnostics.sort_by_cached_key(Diagnostic::sort_key);
    let summary = render::Summary {
        files: checked.sources.len(),
        policies: checked.set.policies.len(),
        errors: slate_lint::count(&diagnostics, Severity::Error),
        warnings: slate_lint::count(&diagnostics, Severity::Warning),
        rules_off: config.rules_off(),
    };
    for (output, file) in &outputs {
        let text = match output {
            Output::Human => render::human::render(&diagnostics, &summary),
            Output::Json => render::json::render(&diagnostics, &summary),
            Output::Sarif => render::sarif::render(&diagnostics, &summary.rules_off),
            Output::Github => {
                if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY")
                    && let Err(e) =
                        render::github::append_summary(Path::new(&path), &diagnostics, &summary)
                {
                    eprintln!("error: cannot write the job summary: {e}");
                    return Exit::Usage;
                }
                render::github::annotations(&diagnostics)
            }
        };
        if let Err(exit) = super::emit(&text, file.as_deref()) {
            return exit;
        }
    }
    let deny_warnings = args.deny.is_some();
    if summary.errors > 0 || (deny_warnings && summary.warnings > 0) {
        Exit::Findings
    } else {
        Exit::Clean
    }
}
