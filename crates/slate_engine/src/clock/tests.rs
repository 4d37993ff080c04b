//! Business time against a slow, obviously-correct reference that steps
//! minute by minute, plus hand-written vectors for the hard days.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Timelike};
use chrono_tz::Tz;
use proptest::prelude::*;
use slate_policy::model::{Calendar, Duration, OpenInterval};

use super::BusinessClock;

/// DESIGN §4 read literally: is the minute starting at `t` open?
fn reference_open(cal: &Calendar, t: i64) -> bool {
    let Some(utc) = DateTime::from_timestamp(t, 0) else {
        return false;
    };
    let local = utc.with_timezone(&cal.timezone).naive_local();
    let date = local.date();
    let minute = (local.hour() * 60 + local.minute()) as u16;
    let weekday = |d: NaiveDate| d.weekday().num_days_from_monday() as usize;
    if cal.always_open {
        return !cal.holidays.contains(&date);
    }
    let today = !cal.holidays.contains(&date)
        && cal.weekly[weekday(date)]
            .iter()
            .any(|i| i.start <= minute && minute < i.end.min(1440));
    let yesterday = date.pred_opt().is_some_and(|y| {
        !cal.holidays.contains(&y)
            && cal.weekly[weekday(y)]
                .iter()
                .any(|i| i.end > 1440 && minute < i.end - 1440)
    });
    today || yesterday
}

fn reference_due(cal: &Calendar, start: i64, minutes: u32) -> i64 {
    let mut elapsed = 0;
    let mut t = start;
    loop {
        if reference_open(cal, t) {
            if elapsed == minutes {
                return t;
            }
            elapsed += 1;
        }
        t += 60;
    }
}

fn reference_elapsed(cal: &Calendar, a: i64, b: i64) -> i64 {
    (a..b)
        .step_by(60)
        .filter(|&t| reference_open(cal, t))
        .count() as i64
        * 60
}

const ZONES: [Tz; 7] = [
    chrono_tz::UTC,
    chrono_tz::America::New_York,
    chrono_tz::Europe::Berlin,
    chrono_tz::Australia::Sydney,
    chrono_tz::Asia::Kolkata,
    chrono_tz::America::Santiago,
    chrono_tz::Pacific::Chatham,
];

fn interval() -> impl Strategy<Value = OpenInterval> {
    // Minutes on a 15-minute grid, closes up to 24:00, overnight allowed.
    (0u16..96, 1u16..=96).prop_map(|(s, e)| {
        let start = s * 15;
        let close = e * 15;
        let end = if close <= start { close + 1440 } else { close };
        OpenInterval { start, end }
    })
}

fn calendar() -> impl Strategy<Value = Calendar> {
    (
        0..ZONES.len(),
        prop::array::uniform7(prop::collection::vec(interval(), 0..3)),
        prop::collection::vec((0..TRANSITIONS.len(), -3i64..4), 0..4),
        any::<bool>(),
    )
        .prop_filter("open at least 8 hours a week", |(_, weekly, _, always)| {
            *always
                || weekly
                    .iter()
                    .flatten()
                    .map(|i| u32::from(i.end - i.start))
                    .sum::<u32>()
                    >= 480
        })
        .prop_map(|(zone, weekly, holidays, always)| Calendar {
            holiday_names: Default::default(),
            timezone: ZONES[zone],
            always_open: always,
            weekly,
            holidays: holidays
                .into_iter()
                .filter_map(|(index, days)| {
                    transition_day(index).checked_add_signed(chrono::Duration::days(days))
                })
                .collect::<BTreeSet<_>>(),
        })
}

/// Days on which some zone above changes its UTC offset in 2026.
const TRANSITIONS: [(i32, u32, u32); 8] = [
    (2026, 3, 8),   // United States
    (2026, 3, 29),  // European Union
    (2026, 4, 5),   // Australia, Chile, Chatham
    (2026, 9, 6),   // Chile
    (2026, 9, 27),  // Chatham
    (2026, 10, 4),  // Australia
    (2026, 10, 25), // European Union
    (2026, 11, 1),  // United States
];

fn transition_day(index: usize) -> NaiveDate {
    let (y, m, d) = TRANSITIONS[index % TRANSITIONS.len()];
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Minute-aligned starts within days of an offset change.
fn start() -> impl Strategy<Value = i64> {
    (0..TRANSITIONS.len(), -(4 * 24 * 60)..(4 * 24 * 60i64)).prop_map(|(index, minute)| {
        transition_day(index)
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default()
            .and_utc()
            .timestamp()
            + minute * 60
    })
}

/// The day-walking clock, and the same clock with a span table for 2026
/// (the test dates, and answers that run past its end fall back to walking).
fn clocks(cal: &Calendar) -> [BusinessClock; 2] {
    let first = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let last = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
    [
        BusinessClock::new(cal),
        BusinessClock::new(cal).with_table(first, last),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn due_matches_the_minute_stepping_reference(cal in calendar(), start in start(), minutes in 0u32..900) {
        let expected = Some(reference_due(&cal, start, minutes));
        for clock in clocks(&cal) {
            prop_assert_eq!(clock.due_seconds(start, i64::from(minutes) * 60), expected);
        }
    }

    #[test]
    fn elapsed_matches_the_minute_stepping_reference(cal in calendar(), start in start(), minutes in 0i64..(4 * 24 * 60)) {
        let end = start + minutes * 60;
        let expected = reference_elapsed(&cal, start, end);
        for clock in clocks(&cal) {
            prop_assert_eq!(clock.elapsed_seconds(start, end), expected);
        }
    }

    #[test]
    fn is_open_matches_the_reference(cal in calendar(), t in start()) {
        for clock in clocks(&cal) {
            prop_assert_eq!(clock.is_open(t), reference_open(&cal, t));
        }
    }
}

fn utc(text: &str) -> i64 {
    DateTime::parse_from_rfc3339(text).unwrap().timestamp()
}

fn iso(t: i64) -> String {
    DateTime::from_timestamp(t, 0)
        .unwrap()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn weekdays(tz: Tz, intervals: &[(u16, u16)]) -> Calendar {
    let day: Vec<OpenInterval> = intervals
        .iter()
        .map(|&(start, end)| OpenInterval { start, end })
        .collect();
    Calendar {
        holiday_names: Default::default(),
        timezone: tz,
        always_open: false,
        weekly: [
            day.clone(),
            day.clone(),
            day.clone(),
            day.clone(),
            day,
            Vec::new(),
            Vec::new(),
        ],
        holidays: BTreeSet::new(),
    }
}

fn due(cal: &Calendar, start: &str, minutes: u32) -> String {
    iso(BusinessClock::new(cal)
        .due(
            DateTime::from_timestamp(utc(start), 0).unwrap(),
            Duration::from_minutes(minutes),
        )
        .unwrap()
        .timestamp())
}

#[test]
fn used_up_at_closing_time_breaches_at_the_next_opening() {
    let cal = weekdays(chrono_tz::UTC, &[(540, 1020)]); // 09:00-17:00
    // Monday 16:00 + 1h = exactly closing → Tuesday 09:00.
    assert_eq!(
        due(&cal, "2026-10-05T16:00:00Z", 60),
        "2026-10-06T09:00:00Z"
    );
    assert_eq!(
        due(&cal, "2026-10-05T16:00:00Z", 59),
        "2026-10-05T16:59:00Z"
    );
    // Friday 16:30 + 1h → Monday 09:30.
    assert_eq!(
        due(&cal, "2026-10-09T16:30:00Z", 60),
        "2026-10-12T09:30:00Z"
    );
}

#[test]
fn zero_target_breaches_at_the_first_open_instant() {
    let cal = weekdays(chrono_tz::UTC, &[(540, 1020)]);
    assert_eq!(due(&cal, "2026-10-05T07:00:00Z", 0), "2026-10-05T09:00:00Z");
    assert_eq!(due(&cal, "2026-10-05T10:00:00Z", 0), "2026-10-05T10:00:00Z");
    assert_eq!(due(&cal, "2026-10-05T17:00:00Z", 0), "2026-10-06T09:00:00Z");
}

#[test]
fn starts_outside_hours_count_from_the_next_opening() {
    let cal = weekdays(chrono_tz::UTC, &[(540, 1020)]);
    // Saturday → Monday 09:00 + 2h.
    assert_eq!(
        due(&cal, "2026-10-10T12:00:00Z", 120),
        "2026-10-12T11:00:00Z"
    );
}

#[test]
fn overnight_shift_belongs_to_the_day_it_opens_on() {
    // 22:00-06:00 Monday to Friday: Friday night runs into Saturday morning.
    let cal = weekdays(chrono_tz::UTC, &[(1320, 1800)]);
    assert_eq!(
        due(&cal, "2026-10-10T05:00:00Z", 30),
        "2026-10-10T05:30:00Z"
    ); // Saturday 05:00, Friday's shift
    assert_eq!(
        due(&cal, "2026-10-10T05:30:00Z", 60),
        "2026-10-12T22:30:00Z"
    ); // 30m left Saturday, then Monday night
    // A holiday on the Friday removes the shift that spills into Saturday.
    let mut holiday = cal.clone();
    holiday
        .holidays
        .insert(NaiveDate::from_ymd_opt(2026, 10, 9).unwrap());
    assert_eq!(
        due(&holiday, "2026-10-10T05:00:00Z", 30),
        "2026-10-12T22:30:00Z"
    );
}

#[test]
fn twenty_four_hundred_closes_at_midnight() {
    let cal = weekdays(chrono_tz::UTC, &[(1200, 1440)]); // 20:00-24:00
    assert_eq!(
        due(&cal, "2026-10-05T23:00:00Z", 60),
        "2026-10-06T20:00:00Z"
    );
}

#[test]
fn holiday_on_the_start_day_defers_the_clock() {
    let mut cal = weekdays(chrono_tz::America::New_York, &[(540, 1080)]); // 09:00-18:00
    cal.holidays
        .insert(NaiveDate::from_ymd_opt(2026, 10, 12).unwrap()); // Columbus Day, Monday
    // Monday 10:00 New York (14:00Z) is closed: count from Tuesday 09:00 (13:00Z).
    assert_eq!(
        due(&cal, "2026-10-12T14:00:00Z", 30),
        "2026-10-13T13:30:00Z"
    );
}

#[test]
fn dst_days_are_counted_on_real_instants() {
    let cal = Calendar {
        holiday_names: Default::default(),
        timezone: chrono_tz::America::New_York,
        always_open: true,
        weekly: Default::default(),
        holidays: [NaiveDate::from_ymd_opt(2026, 12, 25).unwrap()]
            .into_iter()
            .collect(),
    };
    let clock = BusinessClock::new(&cal);
    // 2026-03-08 (spring forward) has 23 real hours, 2026-11-01 (fall back) 25.
    let day = |y, m, d| {
        let start = chrono_tz::America::New_York
            .with_ymd_and_hms(y, m, d, 0, 0, 0)
            .unwrap()
            .timestamp();
        let end = chrono_tz::America::New_York
            .with_ymd_and_hms(y, m, d + 1, 0, 0, 0)
            .unwrap()
            .timestamp();
        clock.elapsed_seconds(start, end) / 3600
    };
    assert_eq!(day(2026, 3, 8), 23);
    assert_eq!(day(2026, 11, 1), 25);
    assert_eq!(day(2026, 11, 2), 24);
    // A business interval across the fall-back hour: 00:00-04:00 local is 5 real hours.
    let night = weekdays(chrono_tz::America::New_York, &[(0, 240)]);
    let mut night = night;
    night.weekly[6] = vec![OpenInterval { start: 0, end: 240 }]; // 2026-11-01 is a Sunday
    assert_eq!(
        due(&night, "2026-11-01T04:00:00Z", 270),
        "2026-11-01T08:30:00Z"
    );
    // Across spring forward, 00:00-04:00 local is 3 real hours: 4h of target spills into Monday.
    night.weekly[6] = vec![OpenInterval { start: 0, end: 240 }];
    assert_eq!(
        due(&night, "2026-03-08T05:00:00Z", 240),
        "2026-03-09T05:00:00Z"
    );
}
