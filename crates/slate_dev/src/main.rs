//! `cargo run -p slate_dev -- generate`: writes every generated artefact
//! (the JSON Schemas in `schema/`, the diagnostic reference in `docs/`).
//! Tests fail when a committed artefact differs from what this writes.
//!
//! `cargo run -p slate_dev -- fuzz-seeds DIR`: writes the fuzz targets' seed
//! corpora into `DIR/<target>/` from the shipped policies, the bad-input
//! corpus, the ticket fixtures and the scenarios.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn write_atomically(path: &Path, contents: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, contents)?;
    std::fs::rename(&tmp, path)
}

/// Every file under `dir` whose name ends with one of `extensions`, sorted.
fn files(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path, extensions));
        } else if extensions
            .iter()
            .any(|e| path.to_string_lossy().ends_with(e))
        {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn fuzz_seeds(root: &Path, out: &Path) -> std::io::Result<usize> {
    let mut written = 0;
    let mut put = |target: &str, name: String, bytes: &[u8]| -> std::io::Result<()> {
        let dir = out.join(target);
        std::fs::create_dir_all(&dir)?;
        written += 1;
        std::fs::write(dir.join(name.replace(['/', '\\'], "_")), bytes)
    };
    for dir in ["policies", "tests/corpus", "tests/lint"] {
        for path in files(&root.join(dir), &[".yaml", ".yml"]) {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            put(
                "policy",
                relative.display().to_string(),
                &std::fs::read(&path)?,
            )?;
        }
    }
    let sample = std::fs::read_to_string(root.join("data/sample-month.jsonl"))?;
    let head: String = sample.lines().take(40).map(|l| format!("{l}\n")).collect();
    put(
        "tickets",
        "sample-month-head.jsonl".to_owned(),
        head.as_bytes(),
    )?;
    for path in files(&root.join("tests/data"), &[".jsonl", ".csv"]) {
        let relative = path.strip_prefix(root).unwrap_or(&path);
        put(
            "tickets",
            relative.display().to_string(),
            &std::fs::read(&path)?,
        )?;
    }
    let mut lines = String::new();
    for path in files(&root.join("tests/scenarios"), &[".yaml"]) {
        if path.to_string_lossy().ends_with(".trace.yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&path)?;
        let source = slate_policy::source::Source::new(path.display().to_string(), text);
        let Ok(scenario) = slate_engine::scenario::parse(&source) else {
            continue;
        };
        let json = serde_json::to_string(&scenario.ticket.value).map_err(std::io::Error::other)?;
        let name = path
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        for target in ["replay", "differential"] {
            put(target, format!("{name}.json"), json.as_bytes())?;
        }
        lines.push_str(&json);
        lines.push('\n');
    }
    put("tickets", "scenarios.jsonl".to_owned(), lines.as_bytes())?;
    std::fs::create_dir_all(out.join("business_time"))?;
    Ok(written)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    if let [command, dir] = args.as_slice()
        && command == "fuzz-seeds"
    {
        return match fuzz_seeds(&root, Path::new(dir)) {
            Ok(n) => {
                println!("wrote {n} seed files into {dir}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: cannot write seeds into {dir}: {e}");
                ExitCode::from(2)
            }
        };
    }
    if args.first().map(String::as_str) != Some("generate") {
        eprintln!("usage: cargo run -p slate_dev -- generate | fuzz-seeds DIR");
        return ExitCode::from(2);
    }
    let mut artefacts = slate_engine::generated::artefacts();
    artefacts.extend(slate_lint::docs::artefacts());
    for artefact in artefacts {
        let path = root.join(&artefact.path);
        let unchanged = std::fs::read_to_string(&path).is_ok_and(|old| old == artefact.contents);
        if unchanged {
            continue;
        }
        if let Err(e) = write_atomically(&path, &artefact.contents) {
            eprintln!("error: cannot write {}: {e}", artefact.path);
            return ExitCode::from(2);
        }
        println!("wrote {}", artefact.path);
    }
    ExitCode::SUCCESS
}
