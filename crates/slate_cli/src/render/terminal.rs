//! Text for a terminal or a CI log (DESIGN §9): control characters from
//! policies, tickets and file names never reach either raw. An escape
//! sequence could recolour or retitle the terminal; a newline could start
//! a line of its own, and a line starting with `::` is a GitHub workflow
//! command (`::stop-commands::`, `::error file=…::`).

use std::borrow::Cow;

/// `text` with every control character written as a visible escape
/// (`\n`, `\r`, `\t`, `\u{1b}`…), so that it stays on its line and does
/// nothing to the terminal.
pub fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `text` (whole lines) with every line that would read as a workflow
/// command — `::` after its indentation — quoted with a leading `\`.
pub fn no_commands(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with("::") {
            out.push('\\');
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_visible_and_commands_quoted() {
        assert_eq!(clean("plain"), "plain");
        assert_eq!(
            clean("a\n::stop-commands::x\u{1b}]0;owned\u{7}"),
            "a\\n::stop-commands::x\\u{1b}]0;owned\\u{7}"
        );
        assert_eq!(clean("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(
            no_commands("ok\n  ::error file=x::y\n::warning::z\nfine :: here\n"),
            "ok\n\\  ::error file=x::y\n\\::warning::z\nfine :: here\n"
        );
    }
}
