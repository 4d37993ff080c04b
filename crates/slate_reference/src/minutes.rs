//! Business time, one minute at a time (DESIGN.md §4), read straight off the
//! calendar with no precomputed table.
//!
//! Calendars are minute-granular and zone offsets are whole minutes, so every
//! UTC minute is open or closed as a whole: it is open when its local wall
//! clock lies in an open interval of a local day that is not a holiday, or in
//! the overnight tail of the previous day's interval (a tail belongs to the
//! day it opens on, holidays included).

use chrono::{DateTime, Datelike, Days, NaiveDate, Timelike};
use slate_policy::model::{Calendar, OpenInterval};

const MINUTES_PER_DAY: u16 = 24 * 60;
const ALL_DAY: OpenInterval = OpenInterval {
    start: 0,
    end: MINUTES_PER_DAY,
};

/// Start of the UTC minute holding `t`.
pub fn minute_start(t: i64) -> i64 {
    t.div_euclid(60) * 60
}

/// Start of the minute after the one holding `t`.
pub fn next_minute(t: i64) -> i64 {
    minute_start(t) + 60
}

fn intervals(calendar: &Calendar, date: NaiveDate) -> &[OpenInterval] {
    if calendar.always_open {
        return std::slice::from_ref(&ALL_DAY);
    }
    let day = date.weekday().num_days_from_monday() as usize;
    calendar.weekly.get(day).map_or(&[], Vec::as_slice)
}

/// Whether `calendar` counts the minute holding instant `t`.
pub fn is_open(calendar: &Calendar, t: i64) -> bool {
    let Some(utc) = DateTime::from_timestamp(minute_start(t), 0) else {
        return false;
    };
    let local = utc.with_timezone(&calendar.timezone).naive_local();
    let date = local.date();
    let minute = u16::try_from(local.hour() * 60 + local.minute()).unwrap_or(u16::MAX);
    let today = !calendar.holidays.contains(&date)
        && intervals(calendar, date)
            .iter()
            .any(|i| i.start <= minute && minute < i.end.min(MINUTES_PER_DAY));
    if today {
        return true;
    }
    let Some(yesterday) = date.checked_sub_days(Days::new(1)) else {
        return false;
    };
    !calendar.holidays.contains(&yesterday)
        && intervals(calendar, yesterday)
            .iter()
            .any(|i| i.end > MINUTES_PER_DAY && minute < i.end - MINUTES_PER_DAY)
}

/// How far ahead a projection looks before it calls a calendar closed for
/// good (a calendar whose every hour is a holiday never opens).
const HORIZON: i64 = 3 * 366 * 86_400;

/// When a clock that has counted `used` business seconds by `now` and keeps
/// counting in `calendar` first passes `threshold`: the first instant at
/// which it has counted more, or exactly as much while the calendar is open.
/// `None` when that does not happen within three years.
pub fn project(calendar: &Calendar, now: i64, used: i64, threshold: i64) -> Option<i64> {
    let mut at = now;
    let mut used = used;
    while at < now + HORIZON {
        let end = next_minute(at);
        let open = is_open(calendar, at);
        if let Some(fires) = fires_within(used, threshold, open, at, end) {
            return Some(fires);
        }
        if open {
            used += end - at;
        }
        at = end;
    }
    None
}

/// Within the part `[from, to)` of one minute, where a clock at `used`
/// seconds first passes `threshold` (see [`project`]).
pub fn fires_within(used: i64, threshold: i64, open: bool, from: i64, to: i64) -> Option<i64> {
    if used > threshold {
        return Some(from);
    }
    (open && threshold - used < to - from).then(|| from + threshold - used)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn calendar(weekly: [Vec<OpenInterval>; 7], holidays: &[NaiveDate]) -> Calendar {
        Calendar {
            holiday_names: Default::default(),
            timezone: chrono_tz::Europe::Berlin,
            always_open: false,
            weekly,
            holidays: holidays.iter().copied().collect::<BTreeSet<_>>(),
        }
    }

    fn at(text: &str) -> i64 {
        DateTime::parse_from_rfc3339(text).unwrap().timestamp()
    }

    fn nine_to_five() -> [Vec<OpenInterval>; 7] {
        let day = vec![OpenInterval {
            start: 9 * 60,
            end: 17 * 60,
        }];
        [
            day.clone(),
            day.clone(),
            day.clone(),
            day.clone(),
            day,
            Vec::new(),
            Vec::new(),
        ]
    }

    #[test]
    fn minutes_are_open_by_local_wall_clock() {
        let c = calendar(nine_to_five(), &[]);
        // Monday 2026-10-05, Berlin is UTC+2.
        assert!(!is_open(&c, at("2026-10-05T06:59:59Z")));
        assert!(is_open(&c, at("2026-10-05T07:00:00Z")));
        assert!(is_open(&c, at("2026-10-05T14:59:00Z")));
        assert!(!is_open(&c, at("2026-10-05T15:00:00Z")));
        assert!(!is_open(&c, at("2026-10-10T10:00:00Z")), "Saturday");
    }

    #[test]
    fn overnight_tails_belong_to_the_day_they_open_on() {
        let mut weekly: [Vec<OpenInterval>; 7] = Default::default();
        // Monday 22:00 to Tuesday 02:00.
        weekly[0] = vec![OpenInterval {
            start: 22 * 60,
            end: 26 * 60,
        }];
        let monday = NaiveDate::from_ymd_opt(2026, 10, 5).unwrap();
        let open = calendar(weekly.clone(), &[]);
        let holiday = calendar(weekly, &[monday]);
        let tuesday_one_am = at("2026-10-05T23:30:00Z");
        assert!(is_open(&open, tuesday_one_am));
        assert!(!is_open(&holiday, tuesday_one_am));
    }

    #[test]
    fn projection_passes_closing_time_to_the_next_opening() {
        let c = calendar(nine_to_five(), &[]);
        let monday_nine = at("2026-10-05T07:00:00Z");
        // 8 h used up exactly at closing: due at Tuesday's opening.
        assert_eq!(
            project(&c, monday_nine, 0, 8 * 3600),
            Some(at("2026-10-06T07:00:00Z"))
        );
        assert_eq!(
            project(&c, monday_nine, 0, 3600 + 30),
            Some(monday_nine + 3630)
        );
        // A zero target at a closed instant: the first open one.
        assert_eq!(
            project(&c, at("2026-10-10T10:00:00Z"), 0, 0),
            Some(at("2026-10-12T07:00:00Z"))
        );
        let never = calendar(Default::default(), &[]);
        assert_eq!(project(&never, monday_nine, 0, 60), None);
    }
}
