//! Conditions evaluated the plain way: the ticket's text kept as a list of
//! lower-cased words, every keyword looked for by comparing word sequences,
//! every test re-run each time it is asked.

use std::collections::BTreeMap;

use slate_policy::model::{Condition, Field, FieldTest, Scalar};

/// The lower-cased words of `text`, split at every character that is not
/// alphanumeric.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether `phrase` occurs in `text` as consecutive whole words.
pub fn contains_phrase(text: &[String], phrase: &str) -> bool {
    let phrase = words(phrase);
    !phrase.is_empty() && text.windows(phrase.len()).any(|window| window == phrase)
}

/// Whether any of `keywords` occurs in `text`.
pub fn any_keyword(text: &[String], keywords: &[String]) -> bool {
    keywords.iter().any(|k| contains_phrase(text, k))
}

/// What a condition sees of a ticket at one instant.
#[derive(Debug)]
pub struct View<'a> {
    pub priority: &'a str,
    pub segment: Option<&'a str>,
    pub channel: Option<&'a str>,
    pub tags: &'a [String],
    pub vip: bool,
    pub account_value: Option<f64>,
    pub fields: &'a BTreeMap<String, serde_json::Value>,
    pub words: &'a [String],
}

#[derive(Debug)]
enum Value<'a> {
    Text(&'a str),
    Number(f64),
    Bool(bool),
}

fn equals(value: &Value<'_>, scalar: &Scalar) -> bool {
    match (value, scalar) {
        (Value::Text(text), Scalar::String(s)) => text == s,
        #[expect(clippy::cast_precision_loss, reason = "policy integers are small")]
        (Value::Number(n), Scalar::Int(i)) => (n - *i as f64).abs() < f64::EPSILON,
        (Value::Number(n), Scalar::Float(f)) => (n - f).abs() < f64::EPSILON,
        (Value::Bool(b), Scalar::Bool(s)) => b == s,
        _ => false,
    }
}

fn passes(value: Option<&Value<'_>>, test: &FieldTest) -> bool {
    match test {
        FieldTest::Present(wanted) => value.is_some() == *wanted,
        FieldTest::OneOf(options) => value.is_some_and(|v| options.iter().any(|o| equals(v, o))),
        FieldTest::NoneOf(options) => value.is_none_or(|v| !options.iter().any(|o| equals(v, o))),
        FieldTest::Range { lower, upper } => {
            let Some(Value::Number(n)) = value else {
                return false;
            };
            let above = match lower {
                None => true,
                Some((bound, true)) => n >= bound,
                Some((bound, false)) => n > bound,
            };
            let below = match upper {
                None => true,
                Some((bound, true)) => n <= bound,
                Some((bound, false)) => n < bound,
            };
            above && below
        }
    }
}

/// Tags are a set: a membership test asks whether any tag is listed.
fn tags_pass(tags: &[String], test: &FieldTest) -> bool {
    let listed = |options: &[Scalar]| {
        tags.iter()
            .any(|t| options.iter().any(|o| equals(&Value::Text(t), o)))
    };
    match test {
        FieldTest::OneOf(options) => listed(options),
        FieldTest::NoneOf(options) => !listed(options),
        FieldTest::Present(wanted) => tags.is_empty() != *wanted,
        FieldTest::Range { .. } => false,
    }
}

fn field<'a>(view: &View<'a>, field: &'a Field) -> Option<Value<'a>> {
    match field {
        Field::Priority => Some(Value::Text(view.priority)),
        Field::Segment => view.segment.map(Value::Text),
        Field::Channel => view.channel.map(Value::Text),
        Field::Vip => Some(Value::Bool(view.vip)),
        Field::AccountValue => view.account_value.map(Value::Number),
        Field::Tags => None,
        Field::Custom(name) => match view.fields.get(name) {
            Some(serde_json::Value::String(s)) => Some(Value::Text(s)),
            Some(serde_json::Value::Number(n)) => n.as_f64().map(Value::Number),
            Some(serde_json::Value::Bool(b)) => Some(Value::Bool(*b)),
            _ => None,
        },
    }
}

/// Whether `condition` holds for `view`.
pub fn holds(condition: &Condition, view: &View<'_>) -> bool {
    match condition {
        Condition::All(items) => items.iter().all(|c| holds(c, view)),
        Condition::Any(items) => items.iter().any(|c| holds(c, view)),
        Condition::Not(inner) => !holds(inner, view),
        Condition::Keywords(keywords) => any_keyword(view.words, keywords),
        Condition::Test {
            field: Field::Tags,
            tests,
            ..
        } => tests.iter().all(|t| tags_pass(view.tags, t)),
        Condition::Test {
            field: f, tests, ..
        } => {
            let value = field(view, f);
            tests.iter().all(|t| passes(value.as_ref(), t))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_consecutive_whole_words() {
        let text = words("Our EU region: total OUTAGE; we may cancel. Go-live Friday!");
        assert!(contains_phrase(&text, "outage"));
        assert!(contains_phrase(&text, "eu region"));
        assert!(contains_phrase(&text, "go-live"));
        assert!(!contains_phrase(&text, "out"));
        assert!(!contains_phrase(&text, "region eu"));
        assert!(!contains_phrase(&text, "--"));
    }
}
