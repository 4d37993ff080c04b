//! Business time on real instants (DESIGN.md §4).
//!
//! A second counts when the calendar's local wall clock is inside an open
//! interval of a day that is not a holiday. Intervals are half-open; one whose
//! close is not after its open runs past midnight and belongs to the day it
//! opens on. Time is counted on real instants, so DST days are 23 or 25 hours
//! long.
//!
//! [`BusinessClock`] precomputes, for each weekday and each combination of
//! "today is a holiday" / "yesterday was a holiday", the day's open ranges in
//! local minutes (yesterday's overnight tail merged in). Walking time is then
//! one table look-up and two UTC-offset look-ups per local day: no minute
//! stepping.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use slate_policy::model::{Calendar, Duration, OpenInterval};

const MINUTES_PER_DAY: u16 = 24 * 60;
const DAY: i64 = 86_400;
/// UTC offsets lie within these bounds (seconds).
const MAX_OFFSET: i64 = 15 * 3600;

/// Open local-minute ranges of one weekday, by `[today_holiday][yesterday_holiday]`.
type DayTable = [[Vec<(u16, u16)>; 2]; 2];

/// A calendar compiled for fast business-time arithmetic.
#[derive(Clone, Debug)]
pub struct BusinessClock {
    tz: Tz,
    /// `ranges[weekday][today_holiday][yesterday_holiday]`: disjoint, sorted
    /// local-minute ranges of that day, in `[0, 1440]`.
    ranges: [DayTable; 7],
    holidays: BTreeSet<NaiveDate>,
    holiday_names: std::collections::BTreeMap<NaiveDate, String>,
    /// Open every second of every day (no holidays): arithmetic is plain.
    always: bool,
    /// Every open span (unix seconds) of a window of dates, adjacent spans
    /// merged, with the open seconds before each: due and elapsed become two
    /// binary searches. Outside the window the day walk is used.
    flat: Vec<(i64, i64)>,
    prefix: Vec<i64>,
    /// For each UTC day from `first_day`, the first span of `flat` that ends
    /// after the day starts: a search for an instant looks only at its day.
    by_day: Vec<usize>,
    first_day: i64,
    /// The instants the flat table answers for.
    window: (i64, i64),
}

/// Merges sorted-by-start ranges.
fn merge(mut ranges: Vec<(u16, u16)>) -> Vec<(u16, u16)> {
    ranges.retain(|(s, e)| s < e);
    ranges.sort_unstable();
    let mut out: Vec<(u16, u16)> = Vec::with_capacity(ranges.len());
    for (s, e) in ranges {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

impl BusinessClock {
    /// Compiles a checked calendar.
    pub fn new(calendar: &Calendar) -> Self {
        let weekly: [Vec<OpenInterval>; 7] = if calendar.always_open {
            std::array::from_fn(|_| {
                vec![OpenInterval {
                    start: 0,
                    end: MINUTES_PER_DAY,
                }]
            })
        } else {
            calendar.weekly.clone()
        };
        let ranges = std::array::from_fn(|day| {
            let today = weekly.get(day).map_or(&[][..], Vec::as_slice);
            let yesterday = weekly.get((day + 6) % 7).map_or(&[][..], Vec::as_slice);
            std::array::from_fn(|today_holiday| {
                std::array::from_fn(|yesterday_holiday| {
                    let mut ranges = Vec::new();
                    if today_holiday == 0 {
                        ranges.extend(today.iter().map(|i| (i.start, i.end.min(MINUTES_PER_DAY))));
                    }
                    if yesterday_holiday == 0 {
                        ranges.extend(
                            yesterday
                                .iter()
                                .filter(|i| i.end > MINUTES_PER_DAY)
                                .map(|i| (0, i.end - MINUTES_PER_DAY)),
                        );
                    }
                    merge(ranges)
                })
            })
        });
        Self {
            tz: calendar.timezone,
            ranges,
            holidays: calendar.holidays.clone(),
            holiday_names: calendar.holiday_names.clone(),
            always: calendar.always_open && calendar.holidays.is_empty(),
            flat: Vec::new(),
            prefix: Vec::new(),
            by_day: Vec::new(),
            first_day: 0,
            window: (0, 0),
        }
    }

    /// Adds the flat span table for local dates `first` to `last`: due and
    /// elapsed inside them become two binary searches.
    #[must_use]
    pub fn with_table(mut self, first: NaiveDate, last: NaiveDate) -> Self {
        if !self.always {
            self.build_table(first, last);
        }
        self
    }

    fn build_table(&mut self, first: NaiveDate, last: NaiveDate) {
        let mut spans = Vec::with_capacity(8);
        let mut flat: Vec<(i64, i64)> = Vec::with_capacity(23_000);
        for date in first.iter_days().take_while(|d| *d <= last) {
            self.day_spans(date, &mut spans);
            for &(s, e) in &spans {
                match flat.last_mut() {
                    Some(previous) if previous.1 >= s => previous.1 = previous.1.max(e),
                    _ => flat.push((s, e)),
                }
            }
        }
        let mut prefix = Vec::with_capacity(flat.len() + 1);
        let mut total = 0;
        for (s, e) in &flat {
            prefix.push(total);
            total += e - s;
        }
        prefix.push(total);
        // Instants whose local date lies well inside the window.
        let lo = first.and_time(NaiveTime::MIN).and_utc().timestamp() + 2 * 86_400;
        let hi = last.and_time(NaiveTime::MIN).and_utc().timestamp() - 2 * 86_400;
        let first_day = lo.div_euclid(DAY);
        let mut by_day = Vec::new();
        let mut k = 0;
        for day in first_day..=hi.div_euclid(DAY) + 1 {
            let start = day * DAY;
            k += flat
                .get(k..)
                .map_or(0, |rest| rest.partition_point(|&(_, e)| e <= start));
            by_day.push(k);
        }
        self.flat = flat;
        self.prefix = prefix;
        self.by_day = by_day;
        self.first_day = first_day;
        self.window = (lo, hi);
    }

    fn in_window(&self, t: i64) -> bool {
        !self.flat.is_empty() && t >= self.window.0 && t < self.window.1
    }

    /// The first span that ends after `t` (inside the window): a search
    /// among the spans of `t`'s UTC day only.
    fn span_index(&self, t: i64) -> usize {
        let day = usize::try_from(t.div_euclid(DAY) - self.first_day).unwrap_or(0);
        let lo = self.by_day.get(day).copied().unwrap_or(0);
        let hi = self
            .by_day
            .get(day + 1)
            .copied()
            .unwrap_or(self.flat.len())
            .max(lo);
        lo + self
            .flat
            .get(lo..hi)
            .map_or(0, |spans| spans.partition_point(|&(_, e)| e <= t))
    }

    /// Open seconds of the table before instant `t` (inside the window).
    fn cumulative(&self, t: i64) -> i64 {
        let k = self.span_index(t);
        let before = self.prefix.get(k).copied().unwrap_or(0);
        match self.flat.get(k) {
            Some(&(s, _)) => before + (t - s).max(0),
            None => before,
        }
    }

    /// The time zone the calendar is read in.
    pub fn timezone(&self) -> Tz {
        self.tz
    }

    /// The holidays on the local dates from `from` to `to` (both included),
    /// with their names: the closed days a target crosses.
    pub fn holidays_between(&self, from: i64, to: i64) -> Vec<(NaiveDate, &str)> {
        let local =
            |t: i64| DateTime::from_timestamp(t, 0).map(|d| d.with_timezone(&self.tz).date_naive());
        let (Some(first), Some(last)) = (local(from), local(to)) else {
            return Vec::new();
        };
        self.holidays
            .range(first..=last)
            .map(|d| (*d, self.holiday_names.get(d).map_or("", String::as_str)))
            .collect()
    }

    /// Open local-minute ranges of a local date.
    fn day_ranges(&self, date: NaiveDate) -> &[(u16, u16)] {
        let weekday = date.weekday().num_days_from_monday() as usize;
        let today = usize::from(self.holidays.contains(&date));
        let yesterday = date
            .pred_opt()
            .map_or(0, |d| usize::from(self.holidays.contains(&d)));
        self.ranges
            .get(weekday)
            .and_then(|r| r.get(today))
            .and_then(|r| r.get(yesterday))
            .map_or(&[], Vec::as_slice)
    }

    fn offset_at(&self, t: i64) -> i64 {
        match DateTime::from_timestamp(t, 0) {
            Some(utc) => i64::from(
                self.tz
                    .offset_from_utc_datetime(&utc.naive_utc())
                    .fix()
                    .local_minus_utc(),
            ),
            None => 0,
        }
    }

    /// Real-time segments `[from, to)` with a constant UTC offset covering
    /// `[a, b)`; assumes at most one offset change in the window (true for
    /// every zone's rules: changes are months apart).
    fn segments(&self, a: i64, b: i64) -> [(i64, i64, i64); 2] {
        let oa = self.offset_at(a);
        let ob = self.offset_at(b - 1);
        if oa == ob {
            return [(a, b, oa), (b, b, ob)];
        }
        // Binary search the first second with the new offset.
        let (mut lo, mut hi) = (a, b - 1);
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if self.offset_at(mid) == oa {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        [(a, hi, oa), (hi, b, ob)]
    }

    /// Real open spans (unix seconds, `[start, end)`) of the local date
    /// `date`, in order.
    fn day_spans(&self, date: NaiveDate, out: &mut Vec<(i64, i64)>) {
        out.clear();
        let ranges = self.day_ranges(date);
        if ranges.is_empty() {
            return;
        }
        let midnight = date.and_time(NaiveTime::MIN).and_utc().timestamp();
        // Every instant whose local date is `date` lies in this window.
        let window = (midnight - MAX_OFFSET, midnight + 86_400 + MAX_OFFSET);
        for (from, to, offset) in self.segments(window.0, window.1) {
            if from >= to {
                continue;
            }
            for &(s, e) in ranges {
                let local_start = midnight + i64::from(s) * 60;
                let local_end = midnight + i64::from(e) * 60;
                let start = (local_start - offset).max(from);
                let end = (local_end - offset).min(to);
                if start < end {
                    out.push((start, end));
                }
            }
        }
        out.sort_unstable();
    }

    fn local_date(&self, t: i64) -> NaiveDate {
        let offset = self.offset_at(t);
        DateTime::from_timestamp(t + offset, 0).map_or(NaiveDate::MIN, |d| d.date_naive())
    }

    /// Calls `f` with each open span that ends after `from`, clipped to start
    /// at `from` or later, in order, until `f` returns `false` or `limit_days`
    /// local days have been walked.
    fn walk(&self, from: i64, limit_days: u32, mut f: impl FnMut(i64, i64) -> bool) {
        let mut date = self.local_date(from);
        let mut spans = Vec::with_capacity(4);
        for _ in 0..limit_days {
            self.day_spans(date, &mut spans);
            for &(s, e) in &spans {
                if e <= from {
                    continue;
                }
                if !f(s.max(from), e) {
                    return;
                }
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => return,
            }
        }
    }

    /// How many local days a search may walk before giving up: a calendar
    /// whose hours are all holidays never opens.
    const SEARCH_DAYS: u32 = 3 * 366;

    /// The breach instant of a target of `seconds` business seconds started
    /// at `start`: the earliest instant at which the business time elapsed
    /// since `start` exceeds the target. `None` when the calendar does not
    /// open again within three years.
    pub fn due_seconds(&self, start: i64, seconds: i64) -> Option<i64> {
        if self.always {
            return Some(start + seconds);
        }
        if self.in_window(start) {
            // The breach is where the open seconds since `start` first exceed
            // the target: the span whose cumulative end passes the goal.
            let goal = self.cumulative(start) + seconds;
            // Cumulative span ends from the start's span on, searched by
            // doubling steps: most targets end within a few spans.
            let k = self.span_index(start);
            let ends = self.prefix.get(k + 1..).unwrap_or_default();
            let mut reach = 1;
            while ends.get(reach - 1).is_some_and(|&end| end <= goal) {
                reach *= 2;
            }
            let near = ends.get(reach / 2..).unwrap_or_default();
            let near = near.get(..reach - reach / 2).unwrap_or(near);
            let j = k + reach / 2 + near.partition_point(|&end| end <= goal);
            if let (Some(&(s, _)), Some(&before)) = (self.flat.get(j), self.prefix.get(j))
                && s < self.window.1
            {
                return Some(s + (goal - before));
            }
        }
        let mut remaining = seconds;
        let mut found = None;
        self.walk(start, Self::SEARCH_DAYS, |s, e| {
            if remaining < e - s {
                found = Some(s + remaining);
                false
            } else {
                remaining -= e - s;
                true
            }
        });
        found
    }

    /// [`Self::due_seconds`] on chrono types.
    pub fn due(&self, start: DateTime<Utc>, target: Duration) -> Option<DateTime<Utc>> {
        self.due_seconds(start.timestamp(), i64::from(target.minutes()) * 60)
            .and_then(|t| DateTime::from_timestamp(t, 0))
    }

    /// Business seconds elapsed in `[a, b)`.
    pub fn elapsed_seconds(&self, a: i64, b: i64) -> i64 {
        if b <= a {
            return 0;
        }
        if self.always {
            return b - a;
        }
        if self.in_window(a) && self.in_window(b) {
            return self.cumulative(b) - self.cumulative(a);
        }
        let mut total = 0;
        let days = u32::try_from((b - a) / 86_400 + 3).unwrap_or(u32::MAX);
        self.walk(a, days, |s, e| {
            if s >= b {
                return false;
            }
            total += e.min(b) - s;
            true
        });
        total
    }

    /// Whether the calendar is open at instant `t`.
    pub fn is_open(&self, t: i64) -> bool {
        if self.always {
            return true;
        }
        if self.in_window(t) {
            let k = self.span_index(t);
            return self.flat.get(k).is_some_and(|&(s, _)| s <= t);
        }
        let mut open = false;
        self.walk(t, 3, |s, _| {
            open = s <= t;
            false
        });
        open
    }

    /// The local wall-clock time of `t`, for display.
    pub fn local(&self, t: i64) -> Option<NaiveDateTime> {
        DateTime::from_timestamp(t, 0).map(|d| d.with_timezone(&self.tz).naive_local())
    }
}

#[cfg(test)]
mod tests;
