//! `slate schema`.

use crate::args::{SchemaArgs, SchemaKind};
use crate::exit::Exit;

pub fn run(args: &SchemaArgs) -> Exit {
    let text = match args.kind {
        SchemaKind::Policy => slate_policy::schema::policy_schema_text(),
        SchemaKind::Ticket => slate_engine::generated::ticket_schema_text(),
    };
    match super::print(&text) {
        Ok(()) => Exit::Clean,
        Err(exit) => exit,
    }
}
