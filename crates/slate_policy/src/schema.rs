//! The JSON Schema of the policy language, generated from [`crate::raw`],
//! and validation of a parsed file against it with errors pointing into the
//! YAML.

use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{Value, json};

use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::raw;
use crate::source::{Source, Span};
use crate::yaml::{Node, PointerIndex};

/// The one `apiVersion` this release reads.
pub const API_VERSION: &str = "slate.dev/v1";

/// The policy kinds, in documentation order.
pub const KINDS: [&str; 7] = [
    "Calendar",
    "SupportTiers",
    "Classification",
    "SlaPolicy",
    "EscalationMatrix",
    "RefundAuthority",
    "Benchmarks",
];

fn spec_schema(kind: &str, generator: &mut SchemaGenerator) -> Option<schemars::Schema> {
    Some(match kind {
        "Calendar" => generator.subschema_for::<raw::CalendarSpec>(),
        "SupportTiers" => generator.subschema_for::<raw::SupportTiersSpec>(),
        "Classification" => generator.subschema_for::<raw::ClassificationSpec>(),
        "SlaPolicy" => generator.subschema_for::<raw::SlaPolicySpec>(),
        "EscalationMatrix" => generator.subschema_for::<raw::EscalationMatrixSpec>(),
        "RefundAuthority" => generator.subschema_for::<raw::RefundAuthoritySpec>(),
        "Benchmarks" => generator.subschema_for::<raw::BenchmarksSpec>(),
        _ => return None,
    })
}

/// The policy schema (JSON Schema 2020-12), as committed in `schema/`.
pub fn policy_schema() -> Value {
    let mut generator = SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator();
    let metadata = raw::Metadata::json_schema(&mut generator);
    let mut branches = Vec::new();
    for kind in KINDS {
        if let Some(spec) = spec_schema(kind, &mut generator) {
            branches.push(json!({
                "if": { "properties": { "kind": { "const": kind } }, "required": ["kind"] },
                "then": { "properties": { "spec": spec } }
            }));
        }
    }
    let defs = generator.take_definitions(true);
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://slate.dev/schema/v1/slate.schema.json",
        "title": "Slate policy",
        "description": "One Slate policy document (apiVersion slate.dev/v1).",
        "type": "object",
        "required": ["apiVersion", "kind", "metadata", "spec"],
        "additionalProperties": false,
        "properties": {
            "apiVersion": { "const": API_VERSION },
            "kind": { "enum": KINDS },
            "metadata": metadata,
            "spec": { "type": "object" }
        },
        "allOf": branches,
        "$defs": defs,
    })
}

struct Compiled {
    schema: Value,
    validator: Validator,
}

fn compiled() -> Result<&'static Compiled, String> {
    static COMPILED: OnceLock<Result<Compiled, String>> = OnceLock::new();
    COMPILED
        .get_or_init(|| {
            let schema = policy_schema();
            jsonschema::draft202012::new(&schema)
                .map(|validator| Compiled { schema, validator })
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Validates a parsed policy file; every violation becomes a diagnostic.
pub fn validate(source: &Source, root: &Node) -> Vec<Diagnostic> {
    let mut index = PointerIndex::default();
    let json = root.to_json(&mut index);
    let compiled = match compiled() {
        Ok(c) => c,
        Err(e) => {
            return vec![Diagnostic::global(
                Code::SchemaValue,
                format!("the embedded policy schema does not compile: {e}"),
            )];
        }
    };
    let mapper = Mapper {
        source,
        index: &index,
        schema: &compiled.schema,
    };
    let mut out = Vec::new();
    for error in compiled.validator.iter_errors(&json) {
        mapper.map(&error, &mut out);
    }
    out.sort_by_cached_key(Diagnostic::sort_key);
    out.dedup_by(|a, b| a.sort_key() == b.sort_key());
    out
}

/// Words YAML 1.1 read as booleans and YAML 1.2 reads as text.
const YAML11_BOOLEANS: [&str; 8] = ["yes", "no", "y", "n", "on", "off", "true", "false"];

struct Mapper<'a> {
    source: &'a Source,
    index: &'a PointerIndex,
    schema: &'a Value,
}

/// Fields the language once had and dropped because they decided nothing
/// (DESIGN §4.21): the help says what decides instead and what to do.
fn removed(key: &str) -> Option<String> {
    let help = match key {
        "start_at" => {
            "`start_at` was removed from the language: tickets start where an escalation entry rule puts them, else at the level of the classification's `route_to` team (DESIGN §4.14); delete this line"
        }
        "skip_frontline" => {
            "`skip_frontline` was removed from the language: an escalation entry rule decides which tickets skip frontline (DESIGN §4.14); delete this line"
        }
        "description" => {
            "priorities, segments and tiers no longer take a `description` (nothing showed it): keep the text as a YAML comment"
        }
        "owner" => {
            "tiers no longer take an `owner` (nothing used it): each team's `owner` owns and is alerted for its tickets; delete this line"
        }
        _ => return None,
    };
    Some(help.to_owned())
}

fn depth(pointer: &str) -> usize {
    pointer.matches('/').count()
}

/// The last segment of a pointer, unescaped.
fn last_segment(pointer: &str) -> &str {
    pointer.rsplit('/').next().unwrap_or("")
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn type_name(kind: &TypeKind) -> String {
    let one = |t: &jsonschema::JsonType| match t.to_string().as_str() {
        "object" => "a mapping".to_owned(),
        "array" => "a list".to_owned(),
        "string" => "a string".to_owned(),
        "integer" => "a whole number".to_owned(),
        "number" => "a number".to_owned(),
        "boolean" => "`true` or `false`".to_owned(),
        "null" => "nothing".to_owned(),
        other => other.to_owned(),
    };
    match kind {
        TypeKind::Single(t) => one(t),
        TypeKind::Multiple(ts) => {
            // `null` only stands for "may be left out"; never suggest writing it.
            let names: Vec<String> = ts
                .iter()
                .filter(|t| t.to_string() != "null")
                .map(|t| one(&t))
                .collect();
            names.join(" or ")
        }
    }
}

fn render(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Mapper<'_> {
    /// The sub-schema a schema path points at (`/allOf/0/then/...`), with
    /// `$ref`s followed.
    fn subschema(&self, schema_path: &str) -> Option<&Value> {
        let mut current = self.schema;
        for segment in schema_path.split('/').skip(1) {
            current = self.deref(current);
            let segment = segment.replace("~1", "/").replace("~0", "~");
            current = match current {
                Value::Object(map) => map.get(&segment)?,
                Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(self.deref(current))
    }

    fn deref<'v>(&'v self, mut value: &'v Value) -> &'v Value {
        for _ in 0..16 {
            match value.get("$ref").and_then(Value::as_str) {
                Some(reference) => match reference.strip_prefix('#') {
                    Some(pointer) => match self.schema.pointer(pointer) {
                        Some(target) => value = target,
                        None => return value,
                    },
                    None => return value,
                },
                None => return value,
            }
        }
        value
    }

    /// The schema that holds the failing keyword (the path minus the keyword).
    fn keyword_owner(&self, error: &ValidationError<'_>) -> Option<&Value> {
        let path = error.schema_path().as_str();
        let owner = path.rsplit_once('/').map_or("", |(head, _)| head);
        self.subschema(owner)
    }

    fn node_span(&self, pointer: &str) -> Span {
        let spans = self.index.lookup(pointer);
        if spans.node.len > 0 {
            spans.node
        } else {
            spans.key.unwrap_or(spans.node)
        }
    }

    /// For a mapping: the key that introduces it, else its first position.
    fn mapping_span(&self, pointer: &str) -> Span {
        let spans = self.index.lookup(pointer);
        spans.key.unwrap_or(spans.node)
    }

    fn at(&self, code: Code, message: String, span: Span) -> Diagnostic {
        Diagnostic::error(code, message, self.source, span)
    }

    fn map(&self, error: &ValidationError<'_>, out: &mut Vec<Diagnostic>) {
        let pointer = error.instance_path().as_str();
        let instance = error.instance();
        let here = self.node_span(pointer);
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let known: Vec<String> = self
                    .keyword_owner(error)
                    .and_then(|s| s.get("properties"))
                    .and_then(Value::as_object)
                    .map(|p| p.keys().cloned().collect())
                    .unwrap_or_default();
                for key in unexpected {
                    let child = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                    let span = self.index.lookup(&child).key.unwrap_or(here);
                    let help = removed(key)
                        .or_else(|| suggestion(key, known.iter().map(String::as_str)))
                        .or_else(|| {
                            (!known.is_empty()).then(|| {
                                format!(
                                    "known keys here: {}",
                                    known
                                        .iter()
                                        .map(|k| format!("`{k}`"))
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                )
                            })
                        });
                    out.push(
                        self.at(
                            Code::SchemaUnknownField,
                            format!("unknown field `{key}`"),
                            span,
                        )
                        .label("not a field here")
                        .maybe_help(help),
                    );
                }
            }
            ValidationErrorKind::Required { property } => {
                let property = render(property);
                // A misspelt key is reported once, as an unknown field with a
                // suggestion, not again as a missing one.
                let misspelt = instance.as_object().is_some_and(|o| {
                    o.keys()
                        .any(|k| crate::diagnostic::did_you_mean(k, [property.as_str()]).is_some())
                });
                if misspelt {
                    return;
                }
                let segment = last_segment(pointer);
                let what = if pointer.is_empty() {
                    "the policy".to_owned()
                } else if segment.parse::<usize>().is_ok() {
                    "this item".to_owned()
                } else {
                    format!("`{segment}`")
                };
                out.push(
                    self.at(
                        Code::SchemaRequired,
                        format!("missing required field `{property}`"),
                        self.mapping_span(pointer),
                    )
                    .label(format!("{what} needs `{property}`"))
                    .help(format!("add `{property}:` to this mapping")),
                );
            }
            ValidationErrorKind::Type { kind } => {
                let expected = type_name(kind);
                let help = match instance.as_ref() {
                    Value::String(s)
                        if expected.contains("`true`")
                            && YAML11_BOOLEANS.contains(&s.to_lowercase().as_str()) =>
                    {
                        Some(format!(
                            "YAML 1.2 reads `{s}` as text, not as a boolean; write `true` or `false`"
                        ))
                    }
                    Value::Null if expected == "a list" => {
                        Some("write `[]` for an empty list, or remove the key".to_owned())
                    }
                    Value::Null => {
                        Some("the key has no value; give it one or remove the key".to_owned())
                    }
                    _ => None,
                };
                out.push(
                    self.at(
                        Code::SchemaType,
                        format!("expected {expected}, found {}", describe(instance)),
                        here,
                    )
                    .label(format!("expected {expected}"))
                    .maybe_help(help),
                );
            }
            ValidationErrorKind::Enum { options } => {
                let options: Vec<String> = options
                    .as_array()
                    .map(|a| a.iter().map(render).collect())
                    .unwrap_or_default();
                let value = render(instance);
                let help = suggestion(&value, options.iter().map(String::as_str)).or_else(|| {
                    (options.len() <= 12).then(|| {
                        format!(
                            "expected one of {}",
                            options
                                .iter()
                                .map(|o| format!("`{o}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    })
                });
                let what = match last_segment(pointer) {
                    "timezone" => "time zone",
                    "kind" => "policy kind",
                    _ => "value",
                };
                out.push(
                    self.at(Code::SchemaValue, format!("unknown {what} `{value}`"), here)
                        .label(format!("not a known {what}"))
                        .maybe_help(help),
                );
            }
            ValidationErrorKind::Constant { expected_value } => {
                let expected = render(expected_value);
                out.push(
                    self.at(
                        Code::SchemaValue,
                        format!("expected `{expected}`, found `{}`", render(instance)),
                        here,
                    )
                    .label(format!("must be `{expected}`")),
                );
            }
            ValidationErrorKind::Pattern { pattern } => {
                let value = render(instance);
                let (what, help) = crate::explain::pattern(pattern, &value);
                out.push(
                    self.at(
                        Code::SchemaFormat,
                        format!("invalid {what} `{value}`"),
                        here,
                    )
                    .label(format!("not a valid {what}"))
                    .maybe_help(help),
                );
            }
            ValidationErrorKind::Minimum { limit }
            | ValidationErrorKind::ExclusiveMinimum { limit } => {
                out.push(
                    self.at(
                        Code::SchemaRange,
                        format!("`{}` is below the minimum `{limit}`", render(instance)),
                        here,
                    )
                    .label(format!("at least {limit}")),
                );
            }
            ValidationErrorKind::Maximum { limit }
            | ValidationErrorKind::ExclusiveMaximum { limit } => {
                out.push(
                    self.at(
                        Code::SchemaRange,
                        format!("`{}` is above the maximum `{limit}`", render(instance)),
                        here,
                    )
                    .label(format!("at most {limit}")),
                );
            }
            ValidationErrorKind::MinItems { limit } => {
                out.push(
                    self.at(
                        Code::SchemaRange,
                        format!("`{}` needs at least {limit} item(s)", last_segment(pointer)),
                        self.mapping_span(pointer),
                    )
                    .label("too few items"),
                );
            }
            ValidationErrorKind::MinLength { limit } => {
                out.push(
                    self.at(
                        Code::SchemaRange,
                        format!("text must be at least {limit} character(s) long"),
                        here,
                    )
                    .label("too short"),
                );
            }
            ValidationErrorKind::MinProperties { .. } => {
                let message = if self.is_condition(error) {
                    "empty condition".to_owned()
                } else {
                    format!("`{}` must not be empty", last_segment(pointer))
                };
                out.push(
                    self.at(Code::SchemaRange, message, self.mapping_span(pointer))
                        .label("empty mapping"),
                );
            }
            ValidationErrorKind::MaxProperties { .. } if self.is_condition(error) => {
                let keys: Vec<String> = instance
                    .as_object()
                    .map(|o| o.keys().map(|k| format!("`{k}`")).collect())
                    .unwrap_or_default();
                out.push(
                    self.at(
                        Code::SchemaCondition,
                        format!("a condition has exactly one key, found {}", keys.join(", ")),
                        self.mapping_span(pointer),
                    )
                    .label("several keys in one condition")
                    .help("combine several tests with `all: [...]` (and) or `any: [...]` (or)"),
                );
            }
            ValidationErrorKind::AnyOf { context }
            | ValidationErrorKind::OneOfNotValid { context } => {
                self.map_alternatives(error, context, out);
            }
            _ => {
                out.push(
                    self.at(Code::SchemaValue, error.masked().to_string(), here)
                        .label("invalid value"),
                );
            }
        }
    }

    fn is_condition(&self, error: &ValidationError<'_>) -> bool {
        self.keyword_owner(error)
            .and_then(|s| s.get("description"))
            .and_then(Value::as_str)
            .is_some_and(|d| d.starts_with("A condition"))
    }

    /// `anyOf`/`oneOf` failed: report the branch that came closest when one
    /// clearly did, else say which shapes are allowed.
    fn map_alternatives(
        &self,
        error: &ValidationError<'_>,
        context: &[Vec<ValidationError<'static>>],
        out: &mut Vec<Diagnostic>,
    ) {
        let pointer = error.instance_path().as_str();
        let instance = error.instance();
        let here_depth = depth(pointer);
        // `Option<T>` becomes `anyOf: [T, null]`: a value that is there is
        // judged by `T` alone.
        if !instance.is_null() {
            let owner = self.keyword_owner(error);
            let branches = owner
                .and_then(|s| s.get("anyOf").or_else(|| s.get("oneOf")))
                .and_then(Value::as_array);
            if let Some(branches) = branches {
                let non_null: Vec<usize> = branches
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| b.get("type").and_then(Value::as_str) != Some("null"))
                    .map(|(i, _)| i)
                    .collect();
                if let [only] = non_null.as_slice()
                    && let Some(errors) = context.get(*only)
                {
                    for e in errors {
                        self.map(e, out);
                    }
                    return;
                }
            }
        }
        // A branch "fits" when all its errors are deeper than this node: the
        // shape was right and something inside is wrong.
        let best = context
            .iter()
            .filter(|errors| {
                !errors.is_empty()
                    && errors
                        .iter()
                        .all(|e| depth(e.instance_path().as_str()) > here_depth)
            })
            .min_by_key(|errors| errors.len());
        if let Some(errors) = best {
            for e in errors {
                self.map(e, out);
            }
            return;
        }
        // Single-key mappings and strings pick a variant by name.
        let owner = self.keyword_owner(error);
        let branches: Vec<&Value> = owner
            .and_then(|s| s.get("oneOf").or_else(|| s.get("anyOf")))
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|b| self.deref(b)).collect())
            .unwrap_or_default();
        let mut names: Vec<String> = Vec::new();
        for branch in &branches {
            if let Some(values) = branch.get("enum").and_then(Value::as_array) {
                names.extend(values.iter().map(render));
            }
            if let Some(value) = branch.get("const") {
                names.push(render(value));
            }
            if let Some(required) = branch.get("required").and_then(Value::as_array) {
                names.extend(required.iter().map(render));
            }
        }
        let here = self.node_span(pointer);
        let description = owner
            .and_then(|s| s.get("description"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let given = match instance.as_ref() {
            Value::String(s) => Some((s.clone(), here)),
            Value::Object(map) if map.len() == 1 => map.keys().next().map(|k| {
                let child = format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1"));
                (k.clone(), self.index.lookup(&child).key.unwrap_or(here))
            }),
            _ => None,
        };
        match given {
            Some((name, span)) if !names.is_empty() => {
                let listed = names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let help = suggestion(&name, names.iter().map(String::as_str))
                    .unwrap_or_else(|| format!("expected one of {listed}"));
                out.push(
                    self.at(Code::SchemaValue, format!("unknown variant `{name}`"), span)
                        .label("not one of the allowed variants")
                        .help(help),
                );
            }
            _ => {
                let shape = description.unwrap_or_else(|| {
                    let listed = names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    if listed.is_empty() {
                        "see the policy schema for the allowed shapes".to_owned()
                    } else {
                        format!("expected one of {listed}")
                    }
                });
                out.push(
                    self.at(
                        Code::SchemaType,
                        format!("{} does not fit here", describe(instance)),
                        here,
                    )
                    .label("unexpected shape")
                    .help(shape),
                );
            }
        }
    }
}

/// The committed text of `schema/slate.schema.json`.
pub fn policy_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&policy_schema()).unwrap_or_default();
    text.push('\n');
    text
}
