//! No dead statements (DESIGN §4.21): every field of the policy language is
//! listed in `tests/fields.yaml` with what it feeds, and changing it in the
//! shipped policies changes that output. A field read by nothing but the
//! parser fails here.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::support::{repo_root, slate_in};

#[derive(Deserialize)]
struct Listing {
    fields: Vec<Field>,
}

#[derive(Deserialize)]
struct Field {
    field: String,
    feeds: String,
    observe: Observe,
    file: String,
    replace: String,
    with: String,
    /// Further edits that belong to the same change (a renamed id and its
    /// references).
    #[serde(default)]
    more: Vec<Patch>,
    /// Edits made to both sides first, so that the field gets used at all
    /// (a channel nothing notifies on in the shipped set).
    #[serde(default)]
    given: Vec<Patch>,
}

#[derive(Deserialize, Clone)]
struct Patch {
    file: String,
    replace: String,
    with: String,
}

impl Field {
    fn change(&self) -> Vec<Patch> {
        let mut all = self.given.clone();
        all.push(Patch {
            file: self.file.clone(),
            replace: self.replace.clone(),
            with: self.with.clone(),
        });
        all.extend(self.more.iter().cloned());
        all
    }
}

#[derive(Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum Observe {
    Test,
    Simulate,
    Review,
    Due,
    Check,
}

fn listing() -> Listing {
    let path = repo_root().join("tests/fields.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The fields of the policy schema: `apiVersion`, `metadata.name`, and
/// `Definition.property` (`Definition.property.sub` for inline objects).
fn schema_fields() -> BTreeSet<String> {
    let text = std::fs::read_to_string(repo_root().join("schema/slate.schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    let mut out = BTreeSet::new();
    collect(&schema, "", &mut out);
    for (name, definition) in schema["$defs"].as_object().unwrap() {
        collect(definition, name, &mut out);
    }
    out
}

fn collect(node: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    let join = |p: &str| {
        if prefix.is_empty() {
            p.to_owned()
        } else {
            format!("{prefix}.{p}")
        }
    };
    if let Some(properties) = node.get("properties").and_then(Value::as_object) {
        for (p, value) in properties {
            out.insert(join(p));
            if value.get("$ref").is_none() {
                collect(value, &join(p), out);
            }
        }
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        for member in node
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if member.get("$ref").is_none() {
                collect(member, prefix, out);
            }
        }
    }
}

#[test]
fn every_schema_field_is_listed_with_what_it_feeds() {
    let listed: Vec<String> = listing().fields.iter().map(|f| f.field.clone()).collect();
    let unique: BTreeSet<String> = listed.iter().cloned().collect();
    assert_eq!(unique.len(), listed.len(), "a field is listed twice");
    let schema = schema_fields();
    let missing: Vec<&String> = schema.difference(&unique).collect();
    let extra: Vec<&String> = unique.difference(&schema).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "tests/fields.yaml and the schema disagree.\n  in the schema, not listed (say what each feeds, or take it out of the language): {missing:?}\n  listed, not in the schema: {extra:?}"
    );
    for f in listing().fields {
        assert!(!f.feeds.trim().is_empty(), "{}: say what it feeds", f.field);
    }
}

/// The set as a user has it: `policies/` copied to `dir`, with `patches`
/// applied in order (each must match exactly once). `Err` says which not.
fn materialize(dir: &Path, patches: &[Patch]) -> Result<(), String> {
    std::fs::create_dir_all(dir).unwrap();
    let source = repo_root().join("policies");
    let mut texts = std::collections::BTreeMap::new();
    for entry in std::fs::read_dir(&source).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        texts.insert(name, std::fs::read_to_string(&path).unwrap());
    }
    for p in patches {
        let text = texts
            .get_mut(&p.file)
            .ok_or_else(|| format!("no file {}", p.file))?;
        if text.matches(&p.replace).count() != 1 {
            return Err(format!(
                "the edit must match {} exactly once: {:?}",
                p.file, p.replace
            ));
        }
        *text = text.replacen(&p.replace, &p.with, 1);
    }
    for (name, text) in texts {
        std::fs::write(dir.join(name), text).unwrap();
    }
    Ok(())
}

/// What `observe` shows for the set in `dir`: the exit code and output.
fn observe(observe: Observe, dir: &Path) -> (i32, String) {
    let root = repo_root();
    let policies = dir.to_str().unwrap();
    let run = match observe {
        Observe::Test => slate_in(&root, &["test", "tests/scenarios", "--policies", policies]),
        Observe::Simulate => slate_in(
            &root,
            &["simulate", "--policies", policies, "--format", "json"],
        ),
        Observe::Review => {
            let run = slate_in(&root, &["diff", "policies", policies]);
            // The head's path is in the title; the rest must match.
            let body = run.stdout.replace(policies, "HEAD");
            return (run.code, body);
        }
        Observe::Due => slate_in(
            &root,
            &[
                "due",
                "--policies",
                policies,
                "--calendar",
                "business-hours",
                "--start",
                "2026-11-25T16:00:00Z",
                "--duration",
                "9h",
                "--format",
                "json",
            ],
        ),
        Observe::Check => slate_in(&root, &["check", policies]),
    };
    (run.code, run.stdout.replace(policies, "POLICIES"))
}

#[test]
fn changing_each_field_changes_what_it_feeds() {
    let tmp = tempfile::tempdir().unwrap();
    let shipped = tmp.path().join("shipped");
    materialize(&shipped, &[]).unwrap();
    let observers = [
        Observe::Test,
        Observe::Simulate,
        Observe::Review,
        Observe::Due,
        Observe::Check,
    ];
    let baseline: Vec<(Observe, (i32, String))> = observers
        .iter()
        .map(|&o| (o, observe(o, &shipped)))
        .collect();
    for (o, (code, out)) in &baseline {
        assert_eq!(*code, 0, "{o:?} fails on the shipped policies:\n{out}");
    }
    let fields = listing().fields;
    let dead: Vec<String> = std::thread::scope(|scope| {
        let chunks: Vec<&[Field]> = fields.chunks(fields.len().div_ceil(2)).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .enumerate()
            .map(|(n, chunk)| {
                let (tmp, baseline) = (tmp.path(), &baseline);
                scope.spawn(move || {
                    let mut dead = Vec::new();
                    for (i, f) in chunk.iter().enumerate() {
                        let dir = tmp.join(format!("changed-{n}-{i}"));
                        if let Err(e) = materialize(&dir, &f.change()) {
                            dead.push(format!("{}: {e}", f.field));
                            continue;
                        }
                        // A change that breaks the set proves nothing but the
                        // checker; only `check` observers may do so.
                        if f.observe != Observe::Check {
                            let (code, out) = observe(Observe::Check, &dir);
                            if code != 0 {
                                dead.push(format!(
                                    "{}: the change is not a valid policy set:\n{out}",
                                    f.field
                                ));
                                continue;
                            }
                        }
                        let before = if f.given.is_empty() {
                            baseline
                                .iter()
                                .find(|(o, _)| *o == f.observe)
                                .map(|(_, b)| b.clone())
                                .unwrap()
                        } else {
                            let given = tmp.join(format!("given-{n}-{i}"));
                            if let Err(e) = materialize(&given, &f.given) {
                                dead.push(format!("{}: given: {e}", f.field));
                                continue;
                            }
                            let seen = observe(f.observe, &given);
                            std::fs::remove_dir_all(&given).unwrap();
                            seen
                        };
                        let seen = observe(f.observe, &dir);
                        if seen == before {
                            dead.push(format!(
                                "{} (feeds: {}; observed with {:?}, exit {})",
                                f.field, f.feeds, f.observe, seen.0
                            ));
                        }
                        std::fs::remove_dir_all(&dir).unwrap();
                    }
                    dead
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(
        dead.is_empty(),
        "changing these fields changed nothing they are said to feed:\n  {}",
        dead.join("\n  ")
    );
}
