//! `slate explain`.

use slate_lint::registry;
use slate_policy::Code;

use crate::args::ExplainArgs;
use crate::exit::Exit;

pub fn run(args: &ExplainArgs) -> Exit {
    if args.list {
        let mut out = String::new();
        for code in Code::ALL.iter().filter(|c| **c != Code::Lint) {
            out.push_str(&format!("{}\n", code.as_str()));
        }
        for rule in registry::RULES {
            out.push_str(&format!(
                "{:<32} {:<8} {}\n",
                rule.code(),
                rule.severity,
                rule.summary
            ));
        }
        return match super::print(&out) {
            Ok(()) => Exit::Clean,
            Err(e) => e,
        };
    }
    let Some(code) = args.code.as_deref() else {
        return Exit::Usage;
    };
    let text = if let Some(rule) = registry::find(code) {
        slate_lint::docs::page(rule)
    } else if let Some(c) = Code::ALL.iter().find(|c| c.as_str() == code) {
        format!("# `{}`\n\n{}\n", c.as_str(), c.doc())
    } else {
        let known: Vec<String> = Code::ALL
            .iter()
            .map(|c| c.as_str().to_owned())
            .chain(registry::RULES.iter().map(|r| r.code()))
            .collect();
        let hint = slate_policy::diagnostic::suggestion(code, known.iter().map(String::as_str))
            .unwrap_or_else(|| "`slate explain --list` lists every code".to_owned());
        eprintln!("error: unknown code `{code}`\n  help: {hint}");
        return Exit::Usage;
    };
    match super::print(&text) {
        Ok(()) => Exit::Clean,
        Err(e) => e,
    }
}
