//! Committed generated artefacts match what the code generates.

#[test]
fn generated_artefacts_are_fresh() {
    let root = crate::support::repo_root();
    let mut artefacts = slate_engine::generated::artefacts();
    artefacts.extend(slate_lint::docs::artefacts());
    for artefact in artefacts {
        let committed = std::fs::read_to_string(root.join(&artefact.path)).unwrap_or_default();
        assert!(
            committed == artefact.contents,
            "{} is stale: run `cargo run -p slate_dev -- generate` and commit the result",
            artefact.path
        );
    }
}
