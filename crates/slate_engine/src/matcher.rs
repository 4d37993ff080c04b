//! Evaluating checked conditions against a ticket's facts.

use std::collections::BTreeMap;

use slate_policy::model::{Condition, Field, FieldTest, Scalar};

/// Lower-cased words of a text, for whole-word keyword matching.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether `keyword` (one word or a phrase) occurs as whole
/// words in `text`. Allocates nothing: it runs on every message of every
/// replayed ticket.
pub fn has_keyword(text: &[String], keyword: &str) -> bool {
    let phrase = || {
        keyword
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
    };
    let Some(first) = phrase().next() else {
        return false;
    };
    // Text words are lower case; keywords from policies are too (checked
    // keywords are lowered), others are lowered as they are compared.
    let lower = !keyword.chars().any(char::is_uppercase);
    let same = |t: &str, w: &str| {
        if lower {
            t == w
        } else {
            w.chars().flat_map(char::to_lowercase).eq(t.chars())
        }
    };
    text.iter().enumerate().any(|(i, word)| {
        same(word, first)
            && phrase()
                .enumerate()
                .all(|(k, w)| text.get(i + k).is_some_and(|t| same(t, w)))
    })
}

/// The first of `keywords` found in `text`.
pub fn first_keyword<'k>(text: &[String], keywords: &'k [String]) -> Option<&'k str> {
    keywords
        .iter()
        .find(|k| has_keyword(text, k))
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
    pub text: &'a [String],
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
            words("Our EU region: total OUTAGE since 9am; we may cancel. Go-live is Friday!");
        assert!(has_keyword(&text, "outage"));
        assert!(has_keyword(&text, "Cancel"));
        assert!(has_keyword(&text, "go-live"));
        assert!(has_keyword(&text, "eu region"));
        assert!(!has_keyword(&text, "out"));
        assert!(!has_keyword(&text, "cancellation"));
        assert!(!has_keyword(&text, "legal"));
    }
}
