//! `slate test`: the scenario corpus.

use std::path::{Path, PathBuf};

use slate_engine::{InForce, scenario};
use slate_policy::Code;
use slate_policy::source::Source;

use crate::args::{TestArgs, TestFormat};
use crate::exit::Exit;
use crate::render;

/// Why a scenario failed.
#[derive(Debug)]
pub struct Failure {
    pub code: Code,
    pub message: String,
    /// `file:line:col` of the expectation or scenario concerned.
    pub location: String,
    pub detail: Option<String>,
}

/// One scenario's result.
#[derive(Debug)]
pub struct Outcome {
    pub file: String,
    pub failures: Vec<Failure>,
    pub updated: bool,
}

fn scenario_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        let meta = std::fs::symlink_metadata(&path)?;
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if meta.is_dir() {
            scenario_files(&path, out)?;
        } else if (name.ends_with(".yaml") || name.ends_with(".yml"))
            && !name.ends_with(".trace.yaml")
        {
            // Links and non-regular files too: reading refuses them by name,
            // never skips them silently.
            out.push(path);
        }
    }
    Ok(())
}

/// The snapshot path next to a scenario: `x.yaml` → `x.trace.yaml`.
pub fn snapshot_path(scenario: &Path) -> PathBuf {
    scenario.with_extension("trace.yaml")
}

fn run_one(engine: &InForce<'_>, path: &Path, update: bool) -> Outcome {
    let file = path.display().to_string();
    let mut outcome = Outcome {
        file: file.clone(),
        failures: Vec::new(),
        updated: false,
    };
    let text = match slate_policy::load::read_regular(path, crate::limits().max_file_bytes) {
        Ok(Some(t)) => t,
        Ok(None) => {
            outcome.failures.push(Failure {
                code: Code::IoRead,
                message: "cannot read the scenario: it is gone".to_owned(),
                location: file,
                detail: None,
            });
            return outcome;
        }
        Err(message) => {
            outcome.failures.push(Failure {
                code: Code::IoRead,
                message,
                location: file,
                detail: None,
            });
            return outcome;
        }
    };
    let source = Source::new(file.clone(), text);
    let at = |span: slate_policy::source::Span| {
        let (line, col) = source.line_col(span.start);
        format!("{file}:{line}:{col}")
    };
    let scenario = match scenario::parse(&source) {
        Ok(s) => s,
        Err(e) => {
            outcome.failures.push(Failure {
                code: Code::ScenarioMalformed,
                message: e.message,
                location: at(e.span),
                detail: None,
            });
            return outcome;
        }
    };
    let trace = engine.replay_until(&scenario.ticket, scenario.horizon);
    let verdicts = scenario::check(&scenario, &trace);
    if scenario.expect.is_empty() {
        outcome.failures.push(Failure {
            code: Code::TestMissing,
            message: "the scenario has no expectations".to_owned(),
            location: at(scenario.ticket.span),
            detail: Some(
                "add `expect:` with what the policy must decide for this ticket".to_owned(),
            ),
        });
    }
    for v in &verdicts {
        if !v.passed {
            outcome.failures.push(Failure {
                code: Code::TestExpectation,
                message: format!("expectation not met: {}", v.expectation),
                location: at(v.span),
                detail: v.detail.clone(),
            });
        }
    }
    if !scenario.expect.is_empty()
        && verdicts.iter().all(|v| v.passed)
        && !verdicts.iter().any(|v| v.exercises_rule)
    {
        outcome.failures.push(Failure {
            code: Code::TestVacuous,
            message: "no expectation checks a decision made by a policy rule".to_owned(),
            location: at(scenario.ticket.span),
            detail: Some("expect at least one decision that carries a rule (classification, SLA entry, trigger, level, refund limit)".to_owned()),
        });
    }
    let replayed = render::trace::yaml(&trace);
    let snapshot = snapshot_path(path);
    // A snapshot is read like the scenario: a link or FIFO is an error that
    // names it (and is never written through).
    let stored = match slate_policy::load::read_regular(&snapshot, crate::limits().max_file_bytes) {
        Ok(stored) => stored,
        Err(message) => {
            outcome.failures.push(Failure {
                code: Code::IoRead,
                message,
                location: snapshot.display().to_string(),
                detail: None,
            });
            return outcome;
        }
    };
    if update {
        if stored.as_deref() != Some(replayed.as_str()) {
            match render::write_atomically(&snapshot, &replayed) {
                Ok(()) => outcome.updated = true,
                Err(e) => outcome.failures.push(Failure {
                    code: Code::IoRead,
                    message: format!("cannot write `{}`: {e}", snapshot.display()),
                    location: file.clone(),
                    detail: None,
                }),
            }
        }
        return outcome;
    }
    match stored {
        None => outcome.failures.push(Failure {
            code: Code::TestMissing,
            message: format!("no stored trace `{}`", snapshot.display()),
            location: file.clone(),
            detail: Some(
                "run `slate test --update` to store it, then review and commit it".to_owned(),
            ),
        }),
        Some(stored) if stored != replayed => {
            let diff = similar::TextDiff::from_lines(&stored, &replayed)
                .unified_diff()
                .context_radius(3)
                .header("stored", "replayed")
                .to_string();
            outcome.failures.push(Failure {
                code: Code::TestSnapshot,
                message: format!("the trace differs from `{}`", snapshot.display()),
                location: file.clone(),
                detail: Some(diff),
            });
        }
        Some(_) => {}
    }
    outcome
}

pub fn run(args: &TestArgs) -> Exit {
    super::with_engine(&args.policies, |engine| run_with(engine, args))
}

fn run_with(engine: &InForce<'_>, args: &TestArgs) -> Exit {
    let mut files = Vec::new();
    if let Err(e) = scenario_files(&args.dir, &mut files) {
        eprintln!("error: cannot read `{}`: {e}", args.dir.display());
        return Exit::Usage;
    }
    if files.is_empty() {
        eprintln!("error: no scenarios (`*.yaml`) in `{}`", args.dir.display());
        return Exit::Findings;
    }
    let outcomes: Vec<Outcome> = files
        .iter()
        .map(|f| run_one(engine, f, args.update))
        .collect();
    let text = match args.format {
        TestFormat::Human => human(&outcomes),
        TestFormat::Json => json(&outcomes),
        TestFormat::Junit => junit(&outcomes),
    };
    if let Err(exit) = super::print(&text) {
        return exit;
    }
    if outcomes.iter().all(|o| o.failures.is_empty()) {
        Exit::Clean
    } else {
        Exit::Findings
    }
}

fn human(outcomes: &[Outcome]) -> String {
    let mut out = String::new();
    for o in outcomes {
        let status = match (o.failures.is_empty(), o.updated) {
            (true, true) => "updated",
            (true, false) => "ok",
            (false, _) => "FAIL",
        };
        // File names and YAML values are the pull request's: no control
        // character reaches the log, no line reads as a workflow command.
        let clean = render::terminal::clean;
        out.push_str(&format!("{status:<7} {}\n", clean(&o.file)));
        for f in &o.failures {
            out.push_str(&format!(
                "  {}: {} [{}]\n",
                clean(&f.location),
                clean(&f.message),
                f.code
            ));
            if let Some(detail) = &f.detail {
                for line in detail.lines() {
                    out.push_str(&format!("    {}\n", clean(line)));
                }
            }
        }
    }
    let failed = outcomes.iter().filter(|o| !o.failures.is_empty()).count();
    out.push_str(&format!(
        "\n{} passed, {failed} failed\n",
        outcomes.len() - failed
    ));
    render::terminal::no_commands(&out)
}

fn json(outcomes: &[Outcome]) -> String {
    let failed = outcomes.iter().filter(|o| !o.failures.is_empty()).count();
    let value = serde_json::json!({
        "version": 1,
        "summary": {"scenarios": outcomes.len(), "passed": outcomes.len() - failed, "failed": failed},
        "scenarios": outcomes.iter().map(|o| serde_json::json!({
            "file": o.file,
            "passed": o.failures.is_empty(),
            "updated": o.updated,
            "failures": o.failures.iter().map(|f| serde_json::json!({
                "code": f.code.as_str(),
                "message": f.message,
                "location": f.location,
                "detail": f.detail,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&value).unwrap_or_default()
    )
}

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 forbids most control characters.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

fn junit(outcomes: &[Outcome]) -> String {
    let failed = outcomes.iter().filter(|o| !o.failures.is_empty()).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"slate\" tests=\"{}\" failures=\"{failed}\" errors=\"0\">\n",
        outcomes.len()
    ));
    out.push_str(&format!(
        "  <testsuite name=\"scenarios\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\">\n",
        outcomes.len()
    ));
    for o in outcomes {
        let name = xml_escape(&o.file);
        if o.failures.is_empty() {
            out.push_str(&format!(
                "    <testcase classname=\"slate.scenarios\" name=\"{name}\" file=\"{name}\"/>\n"
            ));
            continue;
        }
        out.push_str(&format!(
            "    <testcase classname=\"slate.scenarios\" name=\"{name}\" file=\"{name}\">\n"
        ));
        let message = o
            .failures
            .iter()
            .map(|f| f.message.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        let body = o
            .failures
            .iter()
            .map(|f| {
                format!(
                    "{}: {} [{}]{}",
                    f.location,
                    f.message,
                    f.code,
                    f.detail
                        .as_deref()
                        .map(|d| format!("\n{d}"))
                        .unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        out.push_str(&format!(
            "      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
            xml_escape(&message),
            o.failures.first().map_or("", |f| f.code.as_str()),
            xml_escape(&body)
        ));
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}
