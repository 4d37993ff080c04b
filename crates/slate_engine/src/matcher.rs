//! Evaluating checked conditions against a ticket's facts.

use std::collections::BTreeMap;

use slate_policy::model::{Condition, Field, FieldTest, Scalar};

/// The lower-cased words of a ticket's text, for whole-word keyword
/// matching, kept as one string: each word preceded and followed by a space.
/// Replay asks for keywords at every step; this is built once per text.
#[derive(Clone, Debug, Default)]
pub struct Words {
    text: String,
}

impl Words {
    pub fn new(text: &str) -> Self {
        let mut words = Self::default();
        words.extend(text);
        words
    }

    /// Adds the words of `text`.
    pub fn extend(&mut self, text: &str) {
        if self.text.is_empty() {
            self.text.push(' ');
        }
        if text.is_ascii() {
            let mut bytes = std::mem::take(&mut self.text).into_bytes();
            bytes.reserve(text.len() + 1);
            let mut in_word = false;
            for b in text.bytes() {
                if b.is_ascii_alphanumeric() {
                    bytes.push(b.to_ascii_lowercase());
                    in_word = true;
                } else if in_word {
                    bytes.push(b' ');
                    in_word = false;
                }
            }
            if in_word {
                bytes.push(b' ');
            }
            // ASCII pushed onto UTF-8: still UTF-8.
            self.text = String::from_utf8(bytes).unwrap_or_default();
        } else {
            for word in text.split(|c: char| !c.is_alphanumeric()) {
                if !word.is_empty() {
                    self.text.push_str(&word.to_lowercase());
                    self.text.push(' ');
                }
            }
        }
    }

    /// Adds the words of `other`.
    pub fn append(&mut self, other: &Words) {
        match (self.text.is_empty(), other.text.get(1..)) {
            (true, _) => self.text.clone_from(&other.text),
            (false, Some(rest)) => self.text.push_str(rest),
            (false, None) => {}
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text.len() <= 1
    }

    /// The words in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + Clone {
        self.text.split(' ').filter(|w| !w.is_empty())
    }

    /// The words, last first.
    pub fn iter_rev(&self) -> impl Iterator<Item = &str> {
        self.text.rsplit(' ').filter(|w| !w.is_empty())
    }

    /// No words yet, with room for texts of `bytes` bytes.
    pub fn with_capacity(bytes: usize) -> Self {
        Self {
            text: String::with_capacity(bytes + 1),
        }
    }
}

/// Whether `keyword` (one word or a phrase) occurs as whole words in `text`,
/// case-insensitively.
pub fn has_keyword(text: &Words, keyword: &str) -> bool {
    if keyword.chars().any(char::is_uppercase) {
        has_lower_keyword(text, &Words::new(keyword).text)
    } else {
        has_lower_keyword(text, keyword)
    }
}

/// [`has_keyword`] for a keyword without upper-case letters, as checked
/// policies write them; allocates nothing.
fn has_lower_keyword(text: &Words, keyword: &str) -> bool {
    let mut phrase = keyword
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    let Some(first) = phrase.next() else {
        return false;
    };
    let hay = text.text.as_str();
    let space = |at: usize| hay.as_bytes().get(at) == Some(&b' ');
    let mut from = 0;
    while let Some(found) = hay.get(from..).and_then(|rest| rest.find(first)) {
        let at = from + found;
        from = at + 1;
        if at == 0 || !space(at - 1) {
            continue;
        }
        // The rest of the phrase follows word by word.
        let mut end = at + first.len();
        let rest = phrase.clone().all(|w| {
            let next = end + 1;
            let follows = space(end) && hay.get(next..next + w.len()) == Some(w);
            end = next + w.len();
            follows
        });
        if rest && space(end) {
            return true;
        }
    }
    false
}

/// The first of `keywords` found in `text`; the keywords are a checked
/// policy's (lower case).
pub fn first_keyword<'k>(text: &Words, keywords: &'k [String]) -> Option<&'k str> {
    if text.is_empty() {
        return None;
    }
    keywords
        .iter()
        .find(|k| has_lower_keyword(text, k))
        .map(String::as_str)
}

/// What a condition can see of a ticket at one instant.
#[derive(Debug)]
pub struct Facts<'a> {
    /// The priority in force (an id).
    pub priority: &'a str,
    pub segment: Option<&'a str>,
    pub channel: Option<&'a str>,
    pub tags: &'a [String],
    pub vip: bool,
    pub account_value: Option<f64>,
    pub fields: &'a BTreeMap<String, serde_json::Value>,
    /// Words of the subject and the customer messages so far.
    pub text: &'a Words,
}

enum Value<'a> {
    Text(&'a str),
    Number(f64),
    Bool(bool),
}

fn scalar_eq(value: &Value<'_>, scalar: &Scalar) -> bool {
    match (value, scalar) {
        (Value::Text(t), Scalar::String(s)) => t == s,
        (Value::Number(n), Scalar::Int(i)) => (*n - *i as f64).abs() < f64::EPSILON,
        (Value::Number(n), Scalar::Float(f)) => (*n - *f).abs() < f64::EPSILON,
        (Value::Bool(b), Scalar::Bool(s)) => b == s,
        _ => false,
    }
}

fn test_value(value: Option<Value<'_>>, test: &FieldTest) -> bool {
    match test {
        FieldTest::Present(present) => value.is_some() == *present,
        FieldTest::OneOf(options) => {
            value.is_some_and(|v| options.iter().any(|o| scalar_eq(&v, o)))
        }
        FieldTest::NoneOf(options) => {
            !value.is_some_and(|v| options.iter().any(|o| scalar_eq(&v, o)))
        }
        FieldTest::Range { lower, upper } => match value {
            Some(Value::Number(n)) => {
                lower.is_none_or(|(l, inclusive)| if inclusive { n >= l } else { n > l })
                    && upper.is_none_or(|(u, inclusive)| if inclusive { n <= u } else { n < u })
            }
            _ => false,
        },
    }
}

/// Whether the condition holds.
pub fn matches(condition: &Condition, facts: &Facts<'_>) -> bool {
    match condition {
        Condition::All(items) => items.iter().all(|c| matches(c, facts)),
        Condition::Any(items) => items.iter().any(|c| matches(c, facts)),
        Condition::Not(inner) => !matches(inner, facts),
        Condition::Keywords(keywords) => first_keyword(facts.text, keywords).is_some(),
        Condition::Test { field, tests, .. } => tests.iter().all(|test| match field {
            Field::Tags => match test {
                // Tags are a set: membership tests ask whether any tag is listed.
                FieldTest::OneOf(options) => facts
                    .tags
                    .iter()
                    .any(|t| options.iter().any(|o| scalar_eq(&Value::Text(t), o))),
                FieldTest::NoneOf(options) => !facts
                    .tags
                    .iter()
                    .any(|t| options.iter().any(|o| scalar_eq(&Value::Text(t), o))),
                FieldTest::Present(present) => facts.tags.is_empty() != *present,
                FieldTest::Range { .. } => false,
            },
            Field::Priority => test_value(Some(Value::Text(facts.priority)), test),
            Field::Segment => test_value(facts.segment.map(Value::Text), test),
            Field::Channel => test_value(facts.channel.map(Value::Text), test),
            Field::Vip => test_value(Some(Value::Bool(facts.vip)), test),
            Field::AccountValue => test_value(facts.account_value.map(Value::Number), test),
            Field::Custom(name) => {
                let value = match facts.fields.get(name) {
                    Some(serde_json::Value::String(s)) => Some(Value::Text(s)),
                    Some(serde_json::Value::Number(n)) => n.as_f64().map(Value::Number),
                    Some(serde_json::Value::Bool(b)) => Some(Value::Bool(*b)),
                    _ => None,
                };
                test_value(value, test)
            }
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_match_whole_words_case_insensitively() {
        let text =
            Words::new("Our EU region: total OUTAGE since 9am; we may cancel. Go-live is Friday!");
        assert!(has_keyword(&text, "outage"));
        assert!(has_keyword(&text, "Cancel"));
        assert!(has_keyword(&text, "go-live"));
        assert!(has_keyword(&text, "eu region"));
        assert!(!has_keyword(&text, "out"));
        assert!(!has_keyword(&text, "cancellation"));
        assert!(!has_keyword(&text, "legal"));
    }
}
