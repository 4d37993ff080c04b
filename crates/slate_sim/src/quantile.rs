//! Duration distributions in bounded memory, with percentiles exact at the
//! precision reports print.
//!
//! Reports give durations in minutes to one decimal, so a duration is kept
//! as its count at the nearest 6-second step (0.1 minute); a week or longer,
//! at the nearest hour. Memory is bounded by the number of distinct steps a
//! month of data can reach, never by the number of durations, and the
//! nearest-rank percentile of the steps is the printed percentile of the
//! exact values (rounding is monotone).

/// Durations (seconds) at or beyond this are kept to the hour.
const WEEK: i64 = 7 * 86_400;
/// Values gathered before they are folded into the sorted counts.
const PENDING: usize = 2048;

/// A mergeable distribution of durations in seconds.
#[derive(Clone, Debug, Default)]
pub struct Durations {
    /// Steps added since the last fold, unsorted.
    pending: Vec<i64>,
    /// (step in seconds, count), sorted by step, steps distinct.
    counts: Vec<(i64, u64)>,
    len: u64,
}

/// `value / unit` rounded half away from zero, times `unit`.
fn round_to(value: i64, unit: i64) -> i64 {
    let half = unit / 2;
    let steps = if value >= 0 {
        value.saturating_add(half) / unit
    } else {
        -(value.saturating_neg().saturating_add(half) / unit)
    };
    steps.saturating_mul(unit)
}

/// The step a duration is kept at.
fn step(seconds: i64) -> i64 {
    if seconds.saturating_abs() < WEEK {
        round_to(seconds, 6)
    } else {
        round_to(seconds, 3600)
    }
}

impl Durations {
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn add(&mut self, seconds: i64) {
        self.pending.push(step(seconds));
        self.len += 1;
        if self.pending.len() >= PENDING {
            self.fold();
        }
    }

    /// Folds the pending steps into the sorted counts.
    fn fold(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        self.pending.sort_unstable();
        let mut fresh: Vec<(i64, u64)> = Vec::new();
        for &s in &self.pending {
            match fresh.last_mut() {
                Some((last, n)) if *last == s => *n += 1,
                _ => fresh.push((s, 1)),
            }
        }
        self.pending.clear();
        self.counts = merge_counts(&self.counts, &fresh);
    }

    pub fn merge(&mut self, mut other: Durations) {
        self.fold();
        other.fold();
        self.counts = merge_counts(&self.counts, &other.counts);
        self.len += other.len;
    }

    /// The `p`-th percentile (nearest rank), in minutes to one decimal.
    pub fn percentile(&mut self, p: f64) -> Option<f64> {
        self.fold();
        if self.len == 0 {
            return None;
        }
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a rank between 1 and len"
        )]
        let rank = ((p / 100.0) * self.len as f64).ceil().max(1.0) as u64;
        let mut seen = 0;
        for &(s, n) in &self.counts {
            seen += n;
            if seen >= rank {
                // Steps are whole tenths of a minute or whole hours.
                return Some((s / 6) as f64 / 10.0);
            }
        }
        None
    }
}

fn merge_counts(a: &[(i64, u64)], b: &[(i64, u64)]) -> Vec<(i64, u64)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    loop {
        match (a.get(i), b.get(j)) {
            (Some(&x), Some(&y)) if x.0 == y.0 => {
                out.push((x.0, x.1 + y.1));
                i += 1;
                j += 1;
            }
            (Some(&x), Some(&y)) if x.0 < y.0 => {
                out.push(x);
                i += 1;
            }
            (_, Some(&y)) => {
                out.push(y);
                j += 1;
            }
            (Some(&x), None) => {
                out.push(x);
                i += 1;
            }
            (None, None) => return out,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exact nearest-rank percentile of `values`, rounded as reports print it.
    fn exact(values: &[i64], p: f64) -> Option<f64> {
        let mut sorted = values.to_vec();
        sorted.sort_unstable();
        let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
        sorted
            .get(rank - 1)
            .map(|v| (*v as f64 / 60.0 * 10.0).round() / 10.0)
    }

    #[test]
    fn percentiles_equal_the_exact_ones_at_report_precision() {
        // A deterministic spread of durations under a week, added across
        // two distributions that are then merged.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut values = Vec::new();
        let (mut a, mut b) = (Durations::default(), Durations::default());
        for i in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = (x % 400_000) as i64;
            values.push(v);
            if i % 3 == 0 { a.add(v) } else { b.add(v) }
        }
        a.merge(b);
        assert_eq!(a.len(), 20_000);
        for p in [1.0, 10.0, 50.0, 90.0, 99.0, 100.0] {
            assert_eq!(a.percentile(p), exact(&values, p), "p{p}");
        }
    }

    #[test]
    fn memory_is_bounded_by_steps_not_by_values() {
        let mut d = Durations::default();
        for i in 0..1_000_000 {
            d.add(i % 3600);
        }
        d.fold();
        // An hour has 601 six-second steps.
        assert_eq!(d.counts.len(), 601);
        assert_eq!(d.len(), 1_000_000);
    }

    #[test]
    fn long_and_negative_durations_round_as_documented() {
        assert_eq!(step(2), 0);
        assert_eq!(step(3), 6);
        assert_eq!(step(-3), -6);
        assert_eq!(step(WEEK + 1799), WEEK);
        assert_eq!(step(WEEK + 1800), WEEK + 3600);
        let mut d = Durations::default();
        assert_eq!(d.percentile(50.0), None);
        d.add(10 * 86_400 + 100);
        assert_eq!(d.percentile(50.0), Some(14_400.0));
    }
}
