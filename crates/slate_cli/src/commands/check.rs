//! `slate check`.

use slate_policy::Severity;

use crate::args::{CheckArgs, Format};
use crate::exit::Exit;
use crate::render;

pub fn run(args: &CheckArgs) -> Exit {
    let checked = match slate_policy::check_path(&args.path, crate::limits()) {
        Ok(checked) => checked,
        Err(e) => {
            render::human::eprint(&[*e.diagnostic]);
            return Exit::Usage;
        }
    };
    let files = {
        let mut names: Vec<&str> = checked
            .set
            .policies
            .iter()
            .map(|p| p.meta.loc.source.name())
            .chain(
                checked
                    .diagnostics
                    .iter()
                    .filter_map(|d| d.source.as_ref().map(|s| s.name())),
            )
            .collect();
        names.sort_unstable();
        names.dedup();
        names.len()
    };
    let summary = render::Summary {
        files,
        policies: checked.set.policies.len(),
        errors: checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count(),
        warnings: checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count(),
        rules_off: Vec::new(),
    };
    let text = match args.format {
        Format::Human => render::human::render(&checked.diagnostics, &summary),
        Format::Json => render::json::render(&checked.diagnostics, &summary),
    };
    if let Err(exit) = super::print(&text) {
        return exit;
    }
    if summary.errors > 0 {
        Exit::Findings
    } else {
        Exit::Clean
    }
}
