//! Readable explanations for values that miss one of [`crate::patterns`].

use crate::patterns;

/// What a pattern stands for, and how to fix `value` to match it.
pub fn pattern(pattern: &str, value: &str) -> (&'static str, Option<String>) {
    match pattern {
        p if p == patterns::DURATION => {
            let help = crate::duration::Duration::parse(value)
                .err()
                .map(|e| e.help);
            ("duration", help)
        }
        p if p == patterns::INTERVAL => ("interval", Some(interval_help(value))),
        p if p == patterns::DATE => (
            "date",
            Some("write dates as `YYYY-MM-DD`, e.g. `2026-12-25`".to_owned()),
        ),
        p if p == patterns::MONEY => ("amount", Some(money_help(value))),
        p if p == patterns::EMAIL => (
            "e-mail address",
            Some("write an address like `support-ops@example.com`".to_owned()),
        ),
        p if p == patterns::SLACK => (
            "Slack channel",
            Some(format!(
                "Slack channels start with `#` and use lowercase letters, digits, `-` and `_`: `#{}`",
                value
                    .trim_start_matches('#')
                    .to_lowercase()
                    .replace(' ', "-")
            )),
        ),
        p if p == patterns::NAME => (
            "name",
            Some("names use lowercase letters, digits and `-`, e.g. `business-hours`".to_owned()),
        ),
        p if p == patterns::ID => (
            "id",
            Some("ids use letters, digits, `-` and `_`, e.g. `frontline` or `L1`".to_owned()),
        ),
        _ => ("value", Some(format!("the value must match `{pattern}`"))),
    }
}

fn interval_help(value: &str) -> String {
    let base =
        "write `HH:MM-HH:MM` on a 24-hour clock, e.g. `09:00-17:00`; `24:00` closes at midnight";
    let parts: Vec<&str> = value.split(['-', '–']).map(str::trim).collect();
    if let [open, close] = parts.as_slice() {
        let fix = |t: &str| -> Option<String> {
            let t = t.to_lowercase();
            let (t, pm) = match (t.strip_suffix("pm"), t.strip_suffix("am")) {
                (Some(t), _) => (t.trim().to_owned(), true),
                (_, Some(t)) => (t.trim().to_owned(), false),
                _ => (t, false),
            };
            let (h, m) = t.split_once(':').unwrap_or((&t, "0"));
            let mut h: u32 = h.trim().parse().ok()?;
            let m: u32 = m.trim().parse().ok()?;
            if pm && h < 12 {
                h += 12;
            }
            (h <= 24 && m < 60 && !(h == 24 && m != 0)).then(|| format!("{h:02}:{m:02}"))
        };
        if let (Some(o), Some(c)) = (fix(open), fix(close)) {
            let suggestion = format!("{o}-{c}");
            if suggestion != value {
                return format!("did you mean `{suggestion}`? {base}");
            }
        }
    }
    base.to_owned()
}

fn money_help(value: &str) -> String {
    let trimmed = value.trim();
    if trimmed.starts_with('-') {
        return "refund limits are non-negative amounts, e.g. `100.00 USD`".to_owned();
    }
    if let Some((amount, currency)) = trimmed.rsplit_once(' ') {
        if amount.contains(['e', 'E']) {
            return format!(
                "write the amount as a plain decimal, not in exponent notation: e.g. `100.00 {currency}`"
            );
        }
        if amount.contains(',') {
            return format!(
                "write the amount without thousands separators, with `.` for decimals: `{} {currency}`",
                amount.replace(',', "")
            );
        }
        if currency.len() == 3
            && currency.chars().all(|c| c.is_ascii_alphabetic())
            && currency != currency.to_uppercase()
        {
            return format!(
                "currency codes are upper case: `{amount} {}`",
                currency.to_uppercase()
            );
        }
    }
    if let Some(rest) = trimmed.strip_prefix('$') {
        return format!("write the currency code after the amount: `{rest} USD`");
    }
    "write a non-negative decimal amount, a space and an ISO 4217 currency code: `100.00 USD`"
        .to_owned()
}
