//! Business time: an arbitrary calendar (zone, weekly hours with overnight
//! intervals, holidays) and start. The span table and the day walk agree;
//! a due instant is never before its start and uses up exactly the target.
#![no_main]

use std::collections::BTreeSet;

use arbitrary::{Result, Unstructured};
use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use slate_engine::clock::BusinessClock;
use slate_policy::model::{Calendar, OpenInterval};

const ZONES: [chrono_tz::Tz; 8] = [
    chrono_tz::UTC,
    chrono_tz::America::New_York,
    chrono_tz::Europe::Berlin,
    chrono_tz::Australia::Lord_Howe,
    chrono_tz::America::Santiago,
    chrono_tz::Pacific::Chatham,
    chrono_tz::Asia::Kolkata,
    chrono_tz::America::St_Johns,
];

fn calendar(u: &mut Unstructured<'_>) -> Result<Calendar> {
    let mut weekly: [Vec<OpenInterval>; 7] = Default::default();
    for day in &mut weekly {
        let mut at = 0u16;
        for _ in 0..u.int_in_range(0..=3)? {
            let start = at + u.int_in_range(0..=600)?;
            let end = start + u.int_in_range(1..=900)?;
            if start >= 1440 || end > 2880 {
                break;
            }
            day.push(OpenInterval { start, end });
            at = end;
            if at >= 1440 {
                break;
            }
        }
    }
    let base = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let mut holidays = BTreeSet::new();
    for _ in 0..u.int_in_range(0..=6)? {
        holidays.insert(base + chrono::Days::new(u.int_in_range(0..=400)?));
    }
    Ok(Calendar {
        timezone: *u.choose(&ZONES)?,
        always_open: u.ratio(1, 10)?,
        weekly,
        holidays,
        holiday_names: Default::default(),
    })
}

fn check(u: &mut Unstructured<'_>) -> Result<()> {
    let cal = calendar(u)?;
    let first = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap_or_default();
    let last = NaiveDate::from_ymd_opt(2027, 6, 1).unwrap_or_default();
    let walk = BusinessClock::new(&cal);
    let table = BusinessClock::new(&cal).with_table(first, last);
    // Starts within 2026, seconds up to ten days.
    let start = 1_767_225_600 + i64::from(u.int_in_range(0..=365 * 86_400u32)?);
    let seconds = i64::from(u.int_in_range(0..=10 * 86_400u32)?);
    let due = table.due_seconds(start, seconds);
    assert_eq!(
        due,
        walk.due_seconds(start, seconds),
        "due, start {start}, {seconds} s"
    );
    assert_eq!(table.is_open(start), walk.is_open(start));
    if let Some(due) = due {
        assert!(due >= start);
        assert_eq!(table.elapsed_seconds(start, due), seconds);
        assert_eq!(walk.elapsed_seconds(start, due), seconds);
    }
    let end = start + i64::from(u.int_in_range(0..=20 * 86_400u32)?);
    assert_eq!(
        table.elapsed_seconds(start, end),
        walk.elapsed_seconds(start, end)
    );
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = check(&mut Unstructured::new(data));
});
