//! Keyword conditions compiled against the policy set's keyword phrases.
//!
//! Every phrase a policy mentions gets a number. A ticket's text is scanned
//! once per message for the phrases it contains (one hash look-up per word),
//! and a keyword condition becomes a bit-set intersection: replay asks for
//! keywords at every step, and most tickets contain none.

use rustc_hash::FxHashMap;
use slate_policy::model::Condition;

use crate::matcher::{self, Facts, Words};

/// A set of phrase numbers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Phrases(Vec<u64>);

impl Phrases {
    fn insert(&mut self, id: usize) {
        let (word, bit) = (id / 64, id % 64);
        if self.0.len() <= word {
            self.0.resize(word + 1, 0);
        }
        if let Some(w) = self.0.get_mut(word) {
            *w |= 1 << bit;
        }
    }

    /// Whether the two sets share a phrase.
    pub fn meets(&self, other: &Phrases) -> bool {
        self.0.iter().zip(&other.0).any(|(a, b)| a & b != 0)
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    fn union(&mut self, other: &Phrases) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }
}

/// The numbered phrases of a policy set, by first word.
#[derive(Debug, Default)]
pub struct KeywordIndex {
    ids: FxHashMap<String, usize>,
    /// First word → (phrase number, the phrase's other words).
    by_first: FxHashMap<String, Vec<(usize, Vec<String>)>>,
    /// Words in the longest phrase.
    longest: usize,
}

/// The words of a keyword as text is split into words.
fn phrase_words(phrase: &str) -> Vec<String> {
    Words::new(phrase)
        .iter()
        .map(str::to_owned)
        .collect::<Vec<_>>()
}

impl KeywordIndex {
    /// The set of `phrases`, numbering new ones.
    pub fn add(&mut self, phrases: &[String]) -> Phrases {
        let mut set = Phrases::default();
        for phrase in phrases {
            let words = phrase_words(phrase);
            let Some((first, rest)) = words.split_first() else {
                continue;
            };
            self.longest = self.longest.max(words.len());
            let next = self.ids.len();
            let id = *self.ids.entry(words.join(" ")).or_insert_with(|| {
                self.by_first
                    .entry(first.clone())
                    .or_default()
                    .push((next, rest.to_vec()));
                next
            });
            set.insert(id);
        }
        set
    }

    /// Adds to `present` (the phrases of `before`) those of `before`
    /// followed by `fresh`: the phrases of `fresh` (`in_fresh`, scanned by
    /// the caller) and those that start in `before` and end in `fresh`.
    pub fn scan_appended(
        &self,
        before: &Words,
        fresh: &Words,
        in_fresh: &Phrases,
        present: &mut Phrases,
    ) {
        present.union(in_fresh);
        let reach = self.longest.saturating_sub(1);
        if reach == 0 || before.is_empty() || fresh.is_empty() {
            return;
        }
        // Most texts end without the start of a longer phrase.
        let starts_phrase = |word: &str| {
            self.by_first
                .get(word)
                .is_some_and(|c| c.iter().any(|(_, rest)| !rest.is_empty()))
        };
        if !before.iter_rev().take(reach).any(starts_phrase) {
            return;
        }
        let mut tail: Vec<&str> = before.iter_rev().take(reach).collect();
        tail.reverse();
        let mut seam = Words::default();
        for word in tail.into_iter().chain(fresh.iter().take(reach)) {
            seam.extend(word);
        }
        let mut across = Phrases::default();
        self.scan(&seam, &mut across);
        present.union(&across);
    }

    /// The phrases `text` contains.
    pub fn scan(&self, text: &Words, found: &mut Phrases) {
        found.clear();
        if self.by_first.is_empty() {
            return;
        }
        let mut words = text.iter();
        while let Some(word) = words.next() {
            let Some(candidates) = self.by_first.get(word) else {
                continue;
            };
            for (id, rest) in candidates {
                // The phrase's other words follow, in order.
                if words
                    .clone()
                    .take(rest.len())
                    .eq(rest.iter().map(String::as_str))
                {
                    found.insert(*id);
                }
            }
        }
    }
}

/// A policy condition with its keyword tests compiled to phrase sets.
#[derive(Debug)]
pub enum Compiled<'p> {
    All(Vec<Compiled<'p>>),
    Any(Vec<Compiled<'p>>),
    Not(Box<Compiled<'p>>),
    Keywords(Phrases),
    /// A field test, evaluated as written.
    Test(&'p Condition),
}

impl<'p> Compiled<'p> {
    pub fn new(condition: &'p Condition, index: &mut KeywordIndex) -> Self {
        match condition {
            Condition::All(items) => Self::All(items.iter().map(|c| Self::new(c, index)).collect()),
            Condition::Any(items) => Self::Any(items.iter().map(|c| Self::new(c, index)).collect()),
            Condition::Not(inner) => Self::Not(Box::new(Self::new(inner, index))),
            Condition::Keywords(words) => Self::Keywords(index.add(words)),
            Condition::Test { .. } => Self::Test(condition),
        }
    }

    /// Whether the condition holds, `present` being the phrases of the
    /// ticket's text so far.
    pub fn holds(&self, facts: &Facts<'_>, present: &Phrases) -> bool {
        match self {
            Self::All(items) => items.iter().all(|c| c.holds(facts, present)),
            Self::Any(items) => items.iter().any(|c| c.holds(facts, present)),
            Self::Not(inner) => !inner.holds(facts, present),
            Self::Keywords(set) => set.meets(present),
            Self::Test(condition) => matcher::matches(condition, facts),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use slate_policy::model::Body;

    use super::*;

    /// Compiled conditions decide as the conditions do, for texts with and
    /// without the shipped policies' keywords, phrases split by punctuation
    /// and case.
    #[test]
    fn compiled_conditions_agree_with_the_conditions() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies");
        let checked = slate_policy::check_path(&root, &slate_policy::Limits::default()).unwrap();
        let mut conditions = Vec::new();
        for policy in checked.set.current() {
            match &policy.body {
                Body::Classification(c) => conditions.extend(c.rules.iter().map(|r| &r.when)),
                Body::EscalationMatrix(m) => {
                    conditions.extend(m.entry.iter().map(|e| &e.when));
                    conditions.extend(m.triggers.iter().filter_map(|t| t.when.as_ref()));
                }
                _ => {}
            }
        }
        assert!(conditions.len() > 5);
        let mut index = KeywordIndex::default();
        let compiled: Vec<Compiled<'_>> = conditions
            .iter()
            .map(|c| Compiled::new(c, &mut index))
            .collect();
        let fields = BTreeMap::new();
        let texts = [
            "",
            "Question about my invoice",
            "SYSTEM-DOWN since 9am, all users affected",
            "we were double  charged; security breach?",
            "go live is friday — launch!",
            "system",
            "feature request: would be nice",
        ];
        for text in texts {
            let words = Words::new(text);
            let mut present = Phrases::default();
            index.scan(&words, &mut present);
            for priority in ["critical", "high", "medium", "low"] {
                for segment in [Some("enterprise"), Some("smb"), None] {
                    let facts = Facts {
                        priority,
                        segment,
                        channel: Some("email"),
                        tags: &[],
                        vip: false,
                        account_value: Some(50_000.0),
                        fields: &fields,
                        text: &words,
                    };
                    for (c, plain) in compiled.iter().zip(&conditions) {
                        assert_eq!(
                            c.holds(&facts, &present),
                            matcher::matches(plain, &facts),
                            "{text:?} {priority} {segment:?} {plain:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn phrases_are_found_whole_and_in_order() {
        let mut index = KeywordIndex::default();
        let outage = index.add(&["system down".to_owned()]);
        let launch = index.add(&["go-live".to_owned(), "launch".to_owned()]);
        let found = |text: &str| {
            let mut present = Phrases::default();
            index.scan(&Words::new(text), &mut present);
            (outage.meets(&present), launch.meets(&present))
        };
        assert_eq!(found("the System is DOWN"), (false, false));
        assert_eq!(found("system down"), (true, false));
        assert_eq!(found("Go-Live tomorrow"), (false, true));
        assert_eq!(found("relaunch of the golive"), (false, false));
        let mut words = Words::new("our system");
        words.append(&Words::new("down again"));
        let mut present = Phrases::default();
        index.scan(&words, &mut present);
        assert!(outage.meets(&present), "a phrase across two messages");
        // The same, found incrementally as the second message arrives.
        let before = Words::new("launch: our system");
        let fresh = Words::new("down again");
        let (mut present, mut in_fresh) = (Phrases::default(), Phrases::default());
        index.scan(&before, &mut present);
        index.scan(&fresh, &mut in_fresh);
        assert!(!outage.meets(&present) && !outage.meets(&in_fresh));
        index.scan_appended(&before, &fresh, &in_fresh, &mut present);
        assert!(outage.meets(&present) && launch.meets(&present));
    }
}
