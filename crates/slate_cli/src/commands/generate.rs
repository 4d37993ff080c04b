//! `slate gen`.

use crate::args::GenArgs;
use crate::exit::Exit;

pub fn run(args: &GenArgs) -> Exit {
    let parsed = args
        .month
        .split_once('-')
        .and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<u32>().ok()?)))
        .filter(|(_, m)| (1..=12).contains(m));
    let Some((year, month)) = parsed else {
        eprintln!(
            "error: invalid --month `{}`\n  help: write YYYY-MM, e.g. 2026-10",
            args.month
        );
        return Exit::Usage;
    };
    // The argument's range (at most 5 000 000) fits every platform's usize.
    let Ok(count) = usize::try_from(args.tickets) else {
        eprintln!(
            "error: --tickets {} is too many for this machine",
            args.tickets
        );
        return Exit::Usage;
    };
    let tickets = slate_sim::synthetic::month(count, args.seed, year, month);
    let mut text = String::with_capacity(count.saturating_mul(900));
    for t in &tickets {
        match serde_json::to_string(t) {
            Ok(line) => {
                text.push_str(&line);
                text.push('\n');
            }
            Err(e) => {
                eprintln!("error: cannot write ticket {}: {e}", t.id);
                return Exit::Usage;
            }
        }
    }
    match super::emit(&text, args.out.as_deref()) {
        Ok(()) => Exit::Clean,
        Err(e) => e,
    }
}
