//! `slate schema`.

use std::io::Write;

use crate::args::SchemaArgs;
use crate::exit::Exit;

pub fn run(_args: &SchemaArgs) -> Exit {
    let text = slate_policy::schema::policy_schema_text();
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Exit::Clean,
        Err(_) => Exit::Usage,
    }
}
