//! The one door to YAML: every policy byte goes through here.
//!
//! Wraps `serde-saphyr` with Slate's safety settings — YAML 1.2 booleans only,
//! duplicate keys rejected, no anchors, aliases or merge keys, budgets on
//! depth, node count and scalar size — and converts its locations into
//! [`Span`]s. Two entry points: [`parse_tree`] builds a spanned [`Node`] tree
//! (for schema validation, which needs every node's location) and
//! [`deserialize`] reads a typed value whose [`Spanned`] fields keep theirs.

use std::collections::HashMap;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::budget::{Budget, BudgetBreach};
use serde_saphyr::{DuplicateKeyPolicy, MergeKeyPolicy, Options};

use crate::limits::Limits;
use crate::source::{Source, Span, Spanned};

/// What went wrong while reading YAML, with where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub kind: YamlErrorKind,
    pub message: String,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YamlErrorKind {
    /// Not well-formed YAML.
    Syntax,
    /// A key appears twice in one mapping.
    DuplicateKey,
    /// Anchors, aliases and merge keys are refused.
    AliasOrAnchor,
    /// A resource budget (depth, nodes, scalar bytes) was exceeded.
    Budget,
    /// More than one document in the file.
    MultipleDocuments,
    /// Well-formed YAML whose shape does not fit the expected type.
    Shape,
}

fn options(limits: &Limits) -> Options {
    let mut budget = Budget::default();
    budget.max_depth = limits.max_depth;
    budget.max_nodes = limits.max_nodes;
    budget.max_total_scalar_bytes = limits.max_scalar_bytes;
    budget.max_anchors = 0;
    budget.max_aliases = 0;
    budget.max_merge_keys = 0;
    budget.max_documents = 1;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.strict_booleans = true;
    options.duplicate_keys = DuplicateKeyPolicy::Error;
    options.merge_keys = MergeKeyPolicy::Error;
    options.legacy_octal_numbers = false;
    options.with_snippet = false;
    options
}

fn convert_error(source: &Source, err: &serde_saphyr::Error) -> YamlError {
    let err = err.without_snippet();
    let span = err
        .location()
        .and_then(|loc| {
            let line = usize::try_from(loc.line()).ok()?;
            if line == 0 {
                return None;
            }
            let column = usize::try_from(loc.column()).ok()?;
            let offset = loc
                .span()
                .byte_offset()
                .and_then(|o| usize::try_from(o).ok())
                .unwrap_or_else(|| source.offset_of(line, column));
            Some(source.token_at(offset))
        })
        .unwrap_or_default();
    let (kind, message) = classify(err);
    YamlError {
        kind,
        message,
        span,
    }
}

fn classify(err: &serde_saphyr::Error) -> (YamlErrorKind, String) {
    use serde_saphyr::Error as E;
    match err {
        E::DuplicateMappingKey { key, .. } => (
            YamlErrorKind::DuplicateKey,
            match key {
                Some(key) => format!("duplicate key `{key}`"),
                None => "duplicate key".to_owned(),
            },
        ),
        E::MergeKeyNotAllowed { .. } | E::MergeValueNotMapOrSeqOfMaps { .. } => (
            YamlErrorKind::AliasOrAnchor,
            "merge keys (`<<`) are not allowed in policies".to_owned(),
        ),
        E::UnknownAnchor { .. } => (
            YamlErrorKind::AliasOrAnchor,
            "aliases (`*name`) are not allowed in policies".to_owned(),
        ),
        E::Budget { breach, .. } => match breach {
            BudgetBreach::Anchors { .. } => (
                YamlErrorKind::AliasOrAnchor,
                "anchors (`&name`) are not allowed in policies".to_owned(),
            ),
            BudgetBreach::Aliases { .. } => (
                YamlErrorKind::AliasOrAnchor,
                "aliases (`*name`) are not allowed in policies".to_owned(),
            ),
            BudgetBreach::Depth { .. } => (
                YamlErrorKind::Budget,
                "nesting is deeper than the limit".to_owned(),
            ),
            BudgetBreach::Nodes { .. } => (
                YamlErrorKind::Budget,
                "the document has more nodes than the limit".to_owned(),
            ),
            BudgetBreach::ScalarBytes { .. } => (
                YamlErrorKind::Budget,
                "the document's scalars are larger than the limit".to_owned(),
            ),
            BudgetBreach::Documents { .. } => (
                YamlErrorKind::MultipleDocuments,
                "a policy file holds exactly one YAML document".to_owned(),
            ),
            other => (
                YamlErrorKind::Budget,
                format!("resource limit exceeded: {other:?}"),
            ),
        },
        E::MultipleDocuments { .. } => (
            YamlErrorKind::MultipleDocuments,
            "a policy file holds exactly one YAML document".to_owned(),
        ),
        E::SerdeInvalidType { .. }
        | E::SerdeInvalidValue { .. }
        | E::SerdeUnknownField { .. }
        | E::SerdeMissingField { .. }
        | E::SerdeUnknownVariant { .. }
        | E::SerdeInvalidLength { .. }
        | E::InvalidBooleanStrict { .. }
        | E::Message { .. } => (YamlErrorKind::Shape, plain_message(err)),
        _ => {
            let message = plain_message(err);
            // The parser's own recursion guard is a budget, not a syntax error.
            if message.contains("recursion limit") {
                (
                    YamlErrorKind::Budget,
                    "nesting is deeper than the limit".to_owned(),
                )
            } else {
                (YamlErrorKind::Syntax, message)
            }
        }
    }
}

/// serde-saphyr's message without its own location suffix (we render ours).
fn plain_message(err: &serde_saphyr::Error) -> String {
    let text = err.to_string();
    let text = text.lines().next().unwrap_or("").trim();
    let text = match text.find(" at line ") {
        Some(i) => text.get(..i).unwrap_or(text),
        None => text,
    };
    let mut text = text.trim_end_matches('.').to_owned();
    if let Some(first) = text.get(..1) {
        let lower = first.to_lowercase();
        text.replace_range(..1, &lower);
    }
    text
}

/// Reads a typed value from a policy file.
pub fn deserialize<T: DeserializeOwned>(source: &Source, limits: &Limits) -> Result<T, YamlError> {
    serde_saphyr::from_str_with_options(source.text(), options(limits))
        .map_err(|e| convert_error(source, &e))
}

/// Reads the file into a spanned [`Node`] tree.
pub fn parse_tree(source: &Source, limits: &Limits) -> Result<Node, YamlError> {
    deserialize::<Node>(source, limits)
}

/// A YAML node with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    Seq(Vec<Node>),
    /// Keys keep their spans so that an unknown key can be underlined.
    Map(Vec<(Spanned<String>, Node)>),
}

impl Node {
    /// The value under `key` when this node is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.value == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Converts to JSON for schema validation, indexing every node's span by
    /// its JSON pointer.
    pub fn to_json(&self, index: &mut PointerIndex) -> serde_json::Value {
        let mut pointer = String::new();
        self.to_json_at(&mut pointer, None, index)
    }

    fn to_json_at(
        &self,
        pointer: &mut String,
        key_span: Option<Span>,
        index: &mut PointerIndex,
    ) -> serde_json::Value {
        index.spans.insert(
            pointer.clone(),
            NodeSpans {
                key: key_span,
                node: self.span,
            },
        );
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Seq(items) => serde_json::Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let len = pointer.len();
                        pointer.push('/');
                        pointer.push_str(&i.to_string());
                        let value = item.to_json_at(pointer, None, index);
                        pointer.truncate(len);
                        value
                    })
                    .collect(),
            ),
            Value::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|(key, item)| {
                        let len = pointer.len();
                        pointer.push('/');
                        pointer.push_str(&key.value.replace('~', "~0").replace('/', "~1"));
                        let value = item.to_json_at(pointer, Some(key.span), index);
                        pointer.truncate(len);
                        (key.value.clone(), value)
                    })
                    .collect(),
            ),
        }
    }
}

/// Spans of the key (for mapping entries) and the node at one JSON pointer.
#[derive(Clone, Copy, Debug)]
pub struct NodeSpans {
    pub key: Option<Span>,
    pub node: Span,
}

/// JSON pointer → spans, built by [`Node::to_json`].
#[derive(Debug, Default)]
pub struct PointerIndex {
    spans: HashMap<String, NodeSpans>,
}

impl PointerIndex {
    /// The spans at `pointer`, or at its nearest indexed ancestor.
    pub fn lookup(&self, pointer: &str) -> NodeSpans {
        let mut p = pointer;
        loop {
            if let Some(spans) = self.spans.get(p) {
                return *spans;
            }
            match p.rfind('/') {
                Some(i) => p = p.get(..i).unwrap_or(""),
                None => {
                    return NodeSpans {
                        key: None,
                        node: Span::default(),
                    };
                }
            }
        }
    }
}

fn span_of(loc: &serde_saphyr::Location) -> Span {
    let span = loc.span();
    match (span.byte_offset(), span.byte_len()) {
        (Some(start), Some(len)) => Span::new(
            usize::try_from(start).unwrap_or(usize::MAX),
            usize::try_from(len).unwrap_or(0),
        ),
        _ => Span::default(),
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        Ok(Spanned::new(spanned.value, span_of(&spanned.referenced)))
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Value>::deserialize(deserializer)?;
        Ok(Node {
            value: spanned.value,
            span: spanned.span,
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Key>>()? {
            let value = map.next_value::<Node>()?;
            entries.push((key.map(|k| k.0), value));
        }
        Ok(Value::Map(entries))
    }
}

/// A mapping key: any scalar, read as its text.
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a scalar mapping key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(Key(v.to_owned()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Key, E> {
                Ok(Key("null".to_owned()))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}

/// Writes a value as YAML (for traces and snapshots).
pub fn to_string<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_saphyr::to_string(value).map_err(|e| e.to_string())
}
