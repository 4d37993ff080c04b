//! The README's examples are valid policies.

use crate::support::{repo_root, slate_in};

#[test]
fn readme_policy_examples_check_clean() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let mut count = 0;
    for block in readme.split("```yaml\n").skip(1) {
        let block = block.split("```").next().unwrap();
        let Some(rest) = block.strip_prefix("kind: ") else {
            continue;
        };
        let (kind, spec) = rest.split_once('\n').unwrap();
        let text = format!(
            "apiVersion: slate.dev/v1\nkind: {kind}\nmetadata: {{name: example, version: 1, \
             effective_from: 2026-09-01, owners: [support-ops@example.com]}}\n{spec}"
        );
        let name = format!("{count}-{kind}.yaml");
        std::fs::write(tmp.path().join(&name), text).unwrap();
        let run = slate_in(tmp.path(), &["check", &name]);
        assert_eq!(
            run.code,
            0,
            "README example `{kind}`:\n{}",
            run.transcript()
        );
        count += 1;
    }
    assert_eq!(count, 7, "one README example per policy kind");
}
