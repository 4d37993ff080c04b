//! `cargo run -p slate_dev -- generate`: writes every generated artefact
//! (the JSON Schemas in `schema/`, the diagnostic reference in `docs/`).
//! Tests fail when a committed artefact differs from what this writes.

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

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) != Some("generate") {
        eprintln!("usage: cargo run -p slate_dev -- generate");
        return ExitCode::from(2);
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
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
