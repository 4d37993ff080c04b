//! A large classification for the gate's cost: the shipped policies with
//! `rules` generated rules in front of the shipped ones. Each rule reads
//! like a real one — a segment list, tags or keywords from a small shared
//! vocabulary (so rules overlap and shadow each other), an account-value
//! floor, sometimes a custom field — about 330 bytes of YAML. Deterministic:
//! the same count writes the same bytes. Shared by the `gate` benchmark.

use std::fmt::Write as _;
use std::path::Path;

/// A small linear congruential generator: enough to vary the rules, and
/// the same sequence everywhere.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// Writes the shipped `policies/` (from `repo`) to `dir` with `rules`
/// generated classification rules first; returns the classification's size.
pub fn write(repo: &Path, dir: &Path, rules: usize) -> usize {
    copy(&repo.join("policies"), dir);
    let path = dir.join("classification.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lcg = Lcg(7);
    let segments = ["enterprise", "mid-market", "smb"];
    let priorities = ["critical", "high", "medium", "low"];
    let teams = ["frontline", "technical-support", "finance-billing"];
    let mut generated = String::new();
    for i in 0..rules {
        let first = lcg.below(3) as usize;
        let second = (first + 1 + lcg.below(2) as usize) % 3;
        let tags = [lcg.below(24), lcg.below(24)];
        let words = [lcg.below(40), lcg.below(40), lcg.below(40)];
        let floor = lcg.below(40) * 5_000;
        let _ = write!(
            generated,
            "    - id: generated-{i:03}\n      description: Generated rule {i}.\n      when:\n        all:\n          - segment: [{}, {}]\n          - any:\n              - tags: [tag{}, tag{}]\n              - keywords: [word{}, word{}, word{}]\n          - account_value: {{gte: {floor}}}\n",
            segments[first], segments[second], tags[0], tags[1], words[0], words[1], words[2],
        );
        if i % 3 == 0 {
            let _ = writeln!(
                generated,
                "          - fields.region: [region{}]",
                lcg.below(4)
            );
        }
        let _ = write!(
            generated,
            "      priority: {}\n      action:\n        route_to: {}\n        steps: [Handle case {i}.]\n",
            priorities[lcg.below(4) as usize],
            teams[lcg.below(3) as usize],
        );
    }
    let marker = "    - id: system-wide-outage\n";
    assert!(text.contains(marker));
    let text = text.replacen(marker, &format!("{generated}{marker}"), 1);
    std::fs::write(&path, &text).unwrap();
    text.len()
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
