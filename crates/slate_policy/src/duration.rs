//! Durations: `15m`, `2h`, `1h30m`, `1d` — and what the user probably meant
//! when they wrote something else.

use std::fmt;

/// A whole number of minutes. `1d` is 24 hours of the clock the target
/// counts in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration {
    minutes: u32,
}

/// The longest duration a policy may name: a year.
pub const MAX_MINUTES: u32 = 366 * 24 * 60;

impl Duration {
    pub const fn from_minutes(minutes: u32) -> Self {
        Self { minutes }
    }

    pub const fn minutes(self) -> u32 {
        self.minutes
    }

    /// Parses the canonical form; `Err` carries a message and a suggestion.
    pub fn parse(text: &str) -> Result<Self, DurationError> {
        let mut total: u64 = 0;
        let mut number = String::new();
        let mut last_rank = 0;
        let mut any = false;
        for c in text.chars() {
            if c.is_ascii_digit() {
                number.push(c);
                continue;
            }
            let (rank, factor) = match c {
                'd' => (3, 24 * 60),
                'h' => (2, 60),
                'm' => (1, 1),
                _ => return Err(DurationError::new(text)),
            };
            if number.is_empty() || (last_rank != 0 && rank >= last_rank) {
                return Err(DurationError::new(text));
            }
            let value: u64 = number.parse().map_err(|_| DurationError::too_long(text))?;
            total = total.saturating_add(value.saturating_mul(factor));
            number.clear();
            last_rank = rank;
            any = true;
        }
        if !number.is_empty() || !any {
            return Err(DurationError::new(text));
        }
        match u32::try_from(total) {
            Ok(minutes) if minutes <= MAX_MINUTES => Ok(Self { minutes }),
            _ => Err(DurationError::too_long(text)),
        }
    }
}

/// Hours and minutes, never days: on a business calendar `1d` is ambiguous.
impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hours = self.minutes / 60;
        let minutes = self.minutes % 60;
        if self.minutes == 0 {
            return f.write_str("0m");
        }
        if hours > 0 {
            write!(f, "{hours}h")?;
        }
        if minutes > 0 {
            write!(f, "{minutes}m")?;
        }
        Ok(())
    }
}

/// Why a duration could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DurationError {
    pub message: String,
    pub help: String,
}

impl DurationError {
    fn new(text: &str) -> Self {
        Self {
            message: format!("invalid duration `{text}`"),
            help: suggest(text).map_or_else(
                || {
                    "write days, hours and minutes largest first: `15m`, `2h`, `1h30m`, `1d`"
                        .to_owned()
                },
                |s| format!("did you mean `{s}`? durations are written `15m`, `2h`, `1h30m`, `1d`"),
            ),
        }
    }

    fn too_long(text: &str) -> Self {
        Self {
            message: format!("duration `{text}` is longer than a year"),
            help: "policies name durations up to `366d`".to_owned(),
        }
    }
}

/// The canonical spelling of a duration written in some other common way
/// (`30 mins`, `2 hours`, `1.5h`, `PT30M`, `90`, `1w`), if one is clear.
pub fn suggest(text: &str) -> Option<String> {
    let lower = text.trim().to_lowercase();
    let lower = lower
        .strip_prefix("pt")
        .or_else(|| lower.strip_prefix('p'))
        .unwrap_or(&lower);
    let mut minutes = 0.0_f64;
    let mut rest = lower.trim();
    if rest.is_empty() {
        return None;
    }
    if let Ok(bare) = rest.parse::<f64>() {
        // A bare number: minutes is the most common intent.
        return format_minutes(bare);
    }
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, tail) = rest.split_at(number_len);
        let value: f64 = number.parse().ok()?;
        let tail = tail.trim_start();
        let unit_len = tail
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(unit_len);
        let factor = match unit {
            "s" | "sec" | "secs" | "second" | "seconds" => 1.0 / 60.0,
            "m" | "min" | "mins" | "minute" | "minutes" => 1.0,
            "h" | "hr" | "hrs" | "hour" | "hours" => 60.0,
            "d" | "day" | "days" => 1440.0,
            "w" | "wk" | "wks" | "week" | "weeks" => 7.0 * 1440.0,
            _ => return None,
        };
        minutes += value * factor;
        rest = tail
            .trim_start_matches([' ', ','])
            .trim_start_matches("and ")
            .trim_start();
    }
    format_minutes(minutes)
}

fn format_minutes(minutes: f64) -> Option<String> {
    if !(0.0..=f64::from(MAX_MINUTES)).contains(&minutes) || minutes.fract() != 0.0 {
        return None;
    }
    // Checked above: a whole number within u32.
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "range checked"
    )]
    let whole = minutes as u32;
    Some(Duration::from_minutes(whole).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_canonical_forms() {
        assert_eq!(Duration::parse("15m").map(Duration::minutes), Ok(15));
        assert_eq!(Duration::parse("2h").map(Duration::minutes), Ok(120));
        assert_eq!(Duration::parse("1h30m").map(Duration::minutes), Ok(90));
        assert_eq!(Duration::parse("1d").map(Duration::minutes), Ok(1440));
        assert_eq!(Duration::parse("0m").map(Duration::minutes), Ok(0));
    }

    #[test]
    fn rejects_other_forms() {
        for bad in [
            "",
            "30",
            "m",
            "30 mins",
            "1m1h",
            "1h1h",
            "1.5h",
            "367d",
            "99999999999999999999m",
        ] {
            assert!(Duration::parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn suggests_canonical_spelling() {
        assert_eq!(suggest("30 mins").as_deref(), Some("30m"));
        assert_eq!(suggest("2 hours").as_deref(), Some("2h"));
        assert_eq!(suggest("1.5h").as_deref(), Some("1h30m"));
        assert_eq!(suggest("PT30M").as_deref(), Some("30m"));
        assert_eq!(suggest("90").as_deref(), Some("1h30m"));
        assert_eq!(suggest("1 week").as_deref(), Some("168h"));
        assert_eq!(suggest("1 hour 30 minutes").as_deref(), Some("1h30m"));
        assert_eq!(suggest("soon"), None);
    }

    #[test]
    fn displays_canonically() {
        assert_eq!(Duration::from_minutes(1530).to_string(), "25h30m");
        assert_eq!(Duration::from_minutes(0).to_string(), "0m");
    }
}
