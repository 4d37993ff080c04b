//! `cargo bench -p slate_engine`: business-time and replay throughput on the
//! shipped policies. Prints figures; asserts nothing about time.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation,
    reason = "a benchmark, not code that handles user input"
)]

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration as Elapsed, Instant};

use chrono::{DateTime, FixedOffset};
use slate_engine::ticket::{Event, EventBody, Requester, Status};
use slate_engine::{Engine, Ticket};
use slate_policy::Limits;

/// A small deterministic generator (64-bit LCG).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

fn at(t: i64) -> DateTime<FixedOffset> {
    DateTime::from_timestamp(t, 0).unwrap().fixed_offset()
}

/// A month of tickets with the shape of real traffic: daytime arrivals,
/// mixed priorities and segments, replies, pauses, escalations, refunds,
/// reopenings.
fn month(n: usize, seed: u64) -> Vec<Ticket> {
    let mut rng = Rng(seed);
    let start = DateTime::parse_from_rfc3339("2026-10-01T00:00:00Z")
        .unwrap()
        .timestamp();
    let subjects = [
        "Cannot log in",
        "Invoice wrong",
        "Outage in EU region",
        "Feature request: dark mode",
        "API returns 500",
        "Possible data leak",
        "Export is slow",
        "We may cancel",
        "Go-live blocked",
    ];
    (0..n)
        .map(|i| {
            let day = rng.below(31) as i64;
            let minute = 8 * 60 + rng.below(12 * 60) as i64;
            let created = start + day * 86_400 + minute * 60 + 4 * 3600;
            let mut t = created;
            let mut events = vec![Event {
                at: at(t),
                body: EventBody::CustomerMessage {
                    text: Some("Please help".into()),
                    sentiment: Some(-(rng.below(10) as f64) / 10.0),
                },
            }];
            let mut push = |t: i64, body: EventBody| events.push(Event { at: at(t), body });
            t += 60 * (5 + rng.below(300) as i64);
            push(
                t,
                EventBody::AgentReply {
                    agent: None,
                    tier: Some(1),
                    public: true,
                },
            );
            if rng.below(4) == 0 {
                t += 60 * (10 + rng.below(120) as i64);
                push(
                    t,
                    EventBody::StatusChanged {
                        status: Status::Pending,
                    },
                );
                t += 60 * (30 + rng.below(600) as i64);
                push(
                    t,
                    EventBody::CustomerMessage {
                        text: Some("Here you go".into()),
                        sentiment: None,
                    },
                );
                push(
                    t,
                    EventBody::StatusChanged {
                        status: Status::Open,
                    },
                );
            }
            if rng.below(8) == 0 {
                t += 60 * (5 + rng.below(60) as i64);
                push(
                    t,
                    EventBody::Escalated {
                        to_tier: 2,
                        reason: slate_engine::ticket::Reason::Functional,
                    },
                );
                if rng.below(3) == 0 {
                    t += 60 * (20 + rng.below(60) as i64);
                    push(t, EventBody::Returned { to_tier: 1 });
                }
            }
            if rng.below(10) == 0 {
                t += 60 * (5 + rng.below(60) as i64);
                push(
                    t,
                    EventBody::RefundRequested {
                        amount: rust_decimal::Decimal::from(50 + rng.below(200)),
                        currency: "USD".into(),
                    },
                );
            }
            t += 60 * (10 + rng.below(900) as i64);
            push(
                t,
                EventBody::AgentReply {
                    agent: None,
                    tier: None,
                    public: true,
                },
            );
            t += 60 * (10 + rng.below(600) as i64);
            push(t, EventBody::Solved {});
            if rng.below(20) == 0 {
                t += 60 * (60 + rng.below(2000) as i64);
                push(t, EventBody::Reopened {});
                t += 60 * (30 + rng.below(300) as i64);
                push(t, EventBody::Solved {});
            }
            Ticket {
                id: format!("G-{i}"),
                created_at: at(created),
                subject: Some((*rng.pick(&subjects)).to_owned()),
                priority: Some(
                    (*rng.pick(&["critical", "high", "medium", "medium", "low", "P1"])).to_owned(),
                ),
                channel: Some("email".into()),
                requester: Requester {
                    segment: Some(
                        (*rng.pick(&["enterprise", "mid-market", "smb", "smb"])).to_owned(),
                    ),
                    account: None,
                    vip: rng.below(20) == 0,
                    arr: Some(rng.below(200_000) as f64),
                },
                tags: Vec::new(),
                fields: Default::default(),
                events,
            }
        })
        .collect()
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> Elapsed {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies");
    let checked = slate_policy::check_path(&root, &Limits::default()).expect("policies load");
    assert!(
        checked.diagnostics.is_empty(),
        "shipped policies are invalid"
    );
    let engine = Engine::new(&checked.set).expect("engine");
    let clock = engine
        .clock("business-hours")
        .expect("business-hours calendar");

    // Business time: 100 000 due computations, starts across October and
    // November 2026 (a DST change and holidays included), targets 15m to 45h.
    let mut rng = Rng(7);
    let start = DateTime::parse_from_rfc3339("2026-10-01T00:00:00Z")
        .unwrap()
        .timestamp();
    let targets = [15, 30, 120, 240, 540, 1080, 2700];
    let cases: Vec<(i64, i64)> = (0..100_000)
        .map(|_| {
            (
                start + rng.below(61 * 24 * 60) as i64 * 60,
                *rng.pick(&targets) * 60,
            )
        })
        .collect();
    let due = best_of(5, || {
        cases
            .iter()
            .map(|&(s, d)| clock.due_seconds(s, d))
            .filter(Option::is_some)
            .count()
    });
    println!(
        "due: 100000 computations in {:.1} ms ({:.0} ns each, {:.2} M/s)",
        due.as_secs_f64() * 1e3,
        due.as_nanos() as f64 / 1e5,
        1e5 / due.as_secs_f64() / 1e6
    );
    let elapsed = best_of(5, || {
        cases
            .iter()
            .map(|&(s, d)| clock.elapsed_seconds(s, s + d * 3))
            .sum::<i64>()
    });
    println!(
        "elapsed: 100000 computations in {:.1} ms ({:.0} ns each)",
        elapsed.as_secs_f64() * 1e3,
        elapsed.as_nanos() as f64 / 1e5
    );

    // Replay: a generated month, one thread.
    let tickets = month(20_000, 42);
    let entries: usize = tickets.iter().map(|t| engine.replay(t).entries.len()).sum();
    let replay = best_of(3, || {
        tickets
            .iter()
            .map(|t| engine.replay(t).entries.len())
            .sum::<usize>()
    });
    println!(
        "replay: {} tickets ({} decisions) in {:.0} ms: {:.0} tickets/s on one thread",
        tickets.len(),
        entries,
        replay.as_secs_f64() * 1e3,
        tickets.len() as f64 / replay.as_secs_f64()
    );
}
