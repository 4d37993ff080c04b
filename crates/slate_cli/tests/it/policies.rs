//! The shipped policy set is valid and stays so.

use crate::support::{json, slate};

#[test]
fn shipped_policies_check_clean() {
    let run = slate(&["check"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    insta::assert_snapshot!(run.transcript());
    let run = slate(&["check", "policies", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let document = json(&run);
    assert_eq!(document["summary"]["policies"], 8);
    assert_eq!(document["diagnostics"], serde_json::json!([]));
}

#[test]
fn every_shipped_policy_carries_the_schema_modeline() {
    let dir = crate::support::repo_root().join("policies");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            text.starts_with("# yaml-language-server: $schema=../schema/slate.schema.json\n"),
            "{} lacks the schema modeline",
            path.display()
        );
        assert!(
            text.contains("Seed ("),
            "{} does not cite the seed it encodes",
            path.display()
        );
        count += 1;
    }
    assert_eq!(count, 8);
}

#[test]
fn each_shipped_file_checks_clean_on_its_own() {
    for entry in std::fs::read_dir(crate::support::repo_root().join("policies"))
        .unwrap_or_else(|e| panic!("{e}"))
    {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        let name = format!(
            "policies/{}",
            path.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        );
        let run = slate(&["check", &name]);
        assert_eq!(run.code, 0, "{name}: {}", run.transcript());
    }
}
