//! The adversarial suite: every shipped policy and every scenario, mutated
//! (byte flips, truncations, type swaps, huge numbers, odd Unicode, CRLF,
//! BOM), must give no panic, no hang, an exit code of 0, 1 or 2, and located
//! diagnostics when it is 1.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{assert_all_located, repo_root};

/// Mutations of a text, each with a name. Deterministic.
fn mutations(text: &str) -> Vec<(String, Vec<u8>)> {
    let bytes = text.as_bytes();
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let n = bytes.len().max(1);
    for (i, at) in [n / 7, n / 3, n / 2, 2 * n / 3, n - 1]
        .into_iter()
        .enumerate()
    {
        let mut flipped = bytes.to_vec();
        if let Some(b) = flipped.get_mut(at) {
            *b ^= if i % 2 == 0 { 0xFF } else { 0x20 };
        }
        out.push((format!("flip@{at}"), flipped));
    }
    for at in [1, n / 4, n / 2, n - 2] {
        out.push((
            format!("truncate@{at}"),
            bytes[..at.min(bytes.len())].to_vec(),
        ));
    }
    let swaps = [
        (": ", ": [1, 2] #"),
        (": ", ": {a: b} #"),
        (": ", ": ~ #"),
        (": ", ": true #"),
        ("- ", "- {x: [}] "),
        ("1", "184467440737095516161844674407370955161"),
        ("m", "9999999999999999999999m"),
        ("0", "-0.0e999"),
    ];
    for (i, (from, to)) in swaps.iter().enumerate() {
        // The second occurrence: past the header, into the content.
        if let Some(at) = text.match_indices(from).nth(1).map(|(at, _)| at) {
            let mut t = text.to_owned();
            t.replace_range(at..at + from.len(), to);
            out.push((format!("swap{i}"), t.into_bytes()));
        }
    }
    for (name, insert) in [
        ("rtl", "\u{202E}"),
        ("zero-width", "\u{200B}\u{FEFF}"),
        ("combining", "e\u{0301}\u{0301}\u{0301}"),
        ("astral", "\u{1F600}\u{10FFFF}"),
        ("nul", "\0"),
    ] {
        let at = text
            .char_indices()
            .map(|(i, _)| i)
            .find(|i| *i >= text.len() / 2)
            .unwrap_or(0);
        let mut t = text.to_owned();
        t.insert_str(at, insert);
        out.push((format!("unicode-{name}"), t.into_bytes()));
    }
    let mut invalid = bytes.to_vec();
    invalid.splice(n / 2..n / 2, [0xFF, 0xFE, 0xC0]);
    out.push(("invalid-utf8".to_owned(), invalid));
    out.push(("crlf".to_owned(), text.replace('\n', "\r\n").into_bytes()));
    out.push(("bom".to_owned(), [&[0xEF, 0xBB, 0xBF][..], bytes].concat()));
    out.push(("empty".to_owned(), Vec::new()));
    out.push(("doubled".to_owned(), [bytes, b"\n---\n", bytes].concat()));
    out
}

/// Runs `slate ARGS` in `dir`; fails the test past 30 seconds (a hang).
fn bounded(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_slate"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("slate {args:?} in {} did not finish in 30 s", dir.display());
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let output = child.wait_with_output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn judge(what: &str, code: i32, stderr: &str) {
    assert!(!stderr.contains("panicked"), "{what}: panic\n{stderr}");
    assert!(matches!(code, 0..=2), "{what}: exit {code}\n{stderr}");
}

#[test]
fn mutated_policies_are_judged_never_crash() {
    let policies = repo_root().join("policies");
    let mut files: Vec<_> = std::fs::read_dir(&policies)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut runs = 0;
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(file).unwrap();
        for (mutation, bytes) in mutations(&text) {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path().join("policies");
            std::fs::create_dir(&dir).unwrap();
            for other in &files {
                std::fs::copy(other, dir.join(other.file_name().unwrap())).unwrap();
            }
            std::fs::write(dir.join(&name), &bytes).unwrap();
            let what = format!("{name} {mutation}");
            for command in ["check", "lint"] {
                let (code, stdout, stderr) =
                    bounded(tmp.path(), &[command, "policies", "--format", "json"]);
                judge(&format!("{command} {what}"), code, &stderr);
                if code == 1 {
                    let doc: serde_json::Value = serde_json::from_str(&stdout)
                        .unwrap_or_else(|e| panic!("{command} {what}: not JSON ({e})\n{stdout}"));
                    assert_all_located(&doc);
                }
                runs += 1;
            }
        }
    }
    eprintln!(
        "adversarial: {} policy files, {runs} runs of check and lint",
        files.len()
    );
    assert!(runs >= 8 * 2 * 20, "{runs} runs");
}

#[test]
fn mutated_scenarios_are_judged_never_crash() {
    let scenarios = repo_root().join("tests/scenarios");
    let policies = repo_root().join("policies");
    let mut files: Vec<_> = std::fs::read_dir(&scenarios)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.to_string_lossy().ends_with(".trace.yaml"))
        .collect();
    files.sort();
    let mut runs = 0;
    for file in &files {
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(file).unwrap();
        let trace = scenarios.join(format!("{stem}.trace.yaml"));
        // A sample of the mutations per scenario keeps the suite quick; over
        // the corpus every mutation kind is used many times.
        for (i, (mutation, bytes)) in mutations(&text).into_iter().enumerate() {
            if (i + runs) % 3 != 0 {
                continue;
            }
            let tmp = tempfile::tempdir().unwrap();
            let path = tmp.path().join(format!("{stem}.yaml"));
            std::fs::write(&path, &bytes).unwrap();
            std::fs::copy(&trace, tmp.path().join(format!("{stem}.trace.yaml"))).unwrap();
            let what = format!("{stem} {mutation}");
            let (code, stdout, stderr) = bounded(
                tmp.path(),
                &[
                    "test",
                    ".",
                    "--policies",
                    policies.to_str().unwrap(),
                    "--format",
                    "json",
                ],
            );
            judge(&what, code, &stderr);
            if code == 1 {
                let doc: serde_json::Value = serde_json::from_str(&stdout)
                    .unwrap_or_else(|e| panic!("{what}: not JSON ({e})\n{stdout}"));
                for scenario in doc["scenarios"].as_array().unwrap() {
                    for failure in scenario["failures"].as_array().unwrap() {
                        assert!(
                            failure["code"].as_str().is_some_and(|c| c.contains("::")),
                            "{what}: {failure}"
                        );
                        assert!(
                            failure["location"]
                                .as_str()
                                .is_some_and(|l| l.contains(&stem)),
                            "{what}: unlocated {failure}"
                        );
                    }
                }
            }
            runs += 1;
        }
    }
    eprintln!(
        "adversarial: {} scenarios, {runs} runs of slate test",
        files.len()
    );
    assert!(runs >= 200, "{runs} runs");
}
