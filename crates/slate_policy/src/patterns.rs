//! Regular expressions shared by the JSON Schema and Slate's own checks.

/// Policy names: DNS-label style.
pub const NAME: &str = "^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$";
/// Rule, team, level and priority ids: letters, digits, `-` and `_`.
pub const ID: &str = "^[A-Za-z0-9]([A-Za-z0-9_-]{0,62}[A-Za-z0-9])?$";
/// `YYYY-MM-DD`.
pub const DATE: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
/// A date (`YYYY-MM-DD`, 00:00 UTC) or an RFC 3339 instant with offset.
pub const EFFECTIVE_FROM: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]+)?(?:[Zz]|[+-][0-9]{2}:[0-9]{2}))?$";
/// Days, hours and minutes, largest first: `15m`, `2h`, `1h30m`, `1d`.
pub const DURATION: &str = "^(?:[0-9]+d)?(?:[0-9]+h)?(?:[0-9]+m)?$";
/// `HH:MM-HH:MM`, close may be `24:00`.
pub const INTERVAL: &str =
    "^(?:[01][0-9]|2[0-3]):[0-5][0-9]-(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]|24:00)$";
/// A non-negative decimal amount and a three-letter currency code.
pub const MONEY: &str = "^(?:0|[1-9][0-9]*)(?:\\.[0-9]{1,4})? [A-Z]{3}$";
/// A pragmatic e-mail address.
pub const EMAIL: &str = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$";
/// A Slack channel.
pub const SLACK: &str = "^#[a-z0-9][a-z0-9_-]*$";
/// A custom ticket field in a condition.
pub const CUSTOM_FIELD: &str = "^fields\\.[A-Za-z_][A-Za-z0-9_]*$";
