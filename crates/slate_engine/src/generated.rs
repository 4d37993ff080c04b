//! The generated artefacts of the whole product: the policy front end's and
//! the ticket contract's schema.

use schemars::generate::SchemaSettings;
use slate_policy::generated::Artefact;

use crate::ticket::Ticket;

/// The ticket contract's JSON Schema (2020-12), as committed.
pub fn ticket_schema_text() -> String {
    let mut schema = SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator()
        .into_root_schema_for::<Ticket>();
    schema.insert(
        "$id".to_owned(),
        "https://slate.dev/schema/v1/ticket.schema.json".into(),
    );
    schema.insert("title".to_owned(), "Slate ticket".into());
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Every generated artefact.
pub fn artefacts() -> Vec<Artefact> {
    let mut all = slate_policy::generated::artefacts();
    all.push(Artefact {
        path: "schema/ticket.schema.json".to_owned(),
        contents: ticket_schema_text(),
    });
    all
}
