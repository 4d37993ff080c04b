//! A deterministic synthetic month of tickets with a realistic shape:
//! weekday-heavy, diurnal arrivals; a priority and segment mix; lognormal
//! reply, handling and handoff times; escalations, returns and repeat
//! escalations; context requests; refunds around the authority limits;
//! pending periods; priority changes; reopenings; CSAT; subjects with the
//! keywords the policies react to.
//!
//! The generator is a 64-bit PCG-style LCG with Box–Muller normals: a few
//! lines, stable across releases, so a seed always yields the same month.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Weekday};
use rust_decimal::Decimal;
use slate_engine::ticket::{Event, EventBody, Reason, Requester, Status, Ticket};

/// The generator state.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        let mut rng = Self(seed ^ 0x9E37_79B9_7F4A_7C15);
        rng.next_u64();
        rng
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let x = self.0;
        // Output permutation (xorshift + rotate) improves the low bits.
        let xorshifted = (((x >> 18) ^ x) >> 27) as u32;
        let rot = (x >> 59) as u32;
        u64::from(xorshifted.rotate_right(rot)) << 32 | (self.0 >> 32)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(f64::MIN_POSITIVE);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Lognormal with the given median and shape, in minutes, at least 1.
    pub fn lognormal_minutes(&mut self, median: f64, sigma: f64) -> i64 {
        let m = median * (sigma * self.normal()).exp();
        m.clamp(1.0, 60.0 * 24.0 * 20.0) as i64
    }

    /// Picks by weight; `items` is never empty (the tables are constants).
    #[expect(
        clippy::indexing_slicing,
        reason = "weight tables are non-empty constants"
    )]
    pub fn weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T {
        let total: u32 = items.iter().map(|(_, w)| *w).sum();
        let mut pick = self.below(u64::from(total)) as u32;
        for (item, weight) in items {
            if pick < *weight {
                return item;
            }
            pick -= weight;
        }
        &items[items.len() - 1].0
    }
}

const SUBJECTS: [(&str, u32); 14] = [
    ("Cannot log in to the dashboard", 12),
    ("Question about SSO setup", 10),
    ("Export to CSV is slow", 10),
    ("Invoice total looks wrong", 8),
    ("Billing: charged twice this month", 4),
    ("Feature request: dark mode", 7),
    ("Minor bug: tooltip typo", 5),
    ("API returns 500 for some requests", 8),
    ("Webhook deliveries delayed", 6),
    ("Outage: nothing loads for all users", 2),
    ("Possible data leak in shared reports", 2),
    ("We will involve our legal team", 1),
    ("We may cancel our subscription", 2),
    ("Go-live blocked for our launch", 1),
];

fn at(t: i64) -> DateTime<FixedOffset> {
    DateTime::from_timestamp(t, 0)
        .unwrap_or_default()
        .fixed_offset()
}

/// `n` tickets created in `year`-`month` (UTC), deterministic for `seed`.
pub fn month(n: usize, seed: u64, year: i32, month: u32) -> Vec<Ticket> {
    let mut rng = Rng::new(seed);
    let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default();
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .unwrap_or_default();
    let days: Vec<NaiveDate> = first.iter_days().take_while(|d| *d < next).collect();
    // Weekdays get three times the traffic of weekend days.
    let weighted_days: Vec<(NaiveDate, u32)> = days
        .iter()
        .map(|d| {
            (
                *d,
                if matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                    1
                } else {
                    3
                },
            )
        })
        .collect();
    // Arrivals by UTC hour: a US business-day peak.
    let hours: Vec<(i64, u32)> = (0..24)
        .map(|h| {
            (
                h,
                match h {
                    13..=21 => 10,
                    11 | 12 | 22 | 23 => 4,
                    _ => 1,
                },
            )
        })
        .collect();
    let mut created: Vec<i64> = (0..n)
        .map(|_| {
            let day = *rng.weighted(&weighted_days);
            let hour = *rng.weighted(&hours);
            day.and_hms_opt(0, 0, 0)
                .unwrap_or_default()
                .and_utc()
                .timestamp()
                + hour * 3600
                + rng.below(3600) as i64
        })
        .collect();
    created.sort_unstable();
    created
        .into_iter()
        .enumerate()
        .map(|(i, t)| ticket(&mut rng, i, t))
        .collect()
}

fn ticket(rng: &mut Rng, i: usize, created: i64) -> Ticket {
    let subject = *rng.weighted(&SUBJECTS);
    let priority = *rng.weighted(&[
        (Some("critical"), 3),
        (Some("high"), 15),
        (Some("medium"), 40),
        (Some("low"), 20),
        (Some("P1"), 2),
        (None, 20),
    ]);
    let segment = *rng.weighted(&[("enterprise", 20), ("mid-market", 30), ("smb", 50)]);
    let mut tags = Vec::new();
    if subject.starts_with("Billing") || subject.starts_with("Invoice") {
        tags.push("billing".to_owned());
    }
    if subject.starts_with("Feature request") {
        tags.push("feature-request".to_owned());
    }
    if subject.starts_with("Minor bug") {
        tags.push("minor-bug".to_owned());
    }
    if subject.starts_with("Webhook") && rng.chance(0.3) {
        tags.push("third-party".to_owned());
    }
    let mut fields = std::collections::BTreeMap::new();
    if tags.iter().any(|t| t == "billing") {
        let affected = if rng.chance(0.3) {
            2 + rng.below(40)
        } else {
            1
        };
        fields.insert(
            "affected_customers".to_owned(),
            serde_json::Value::from(affected),
        );
    }
    let mut events = Vec::new();
    let mut push = |t: i64, body: EventBody| events.push(Event { at: at(t), body });
    let sentiment = ((rng.unit() * 2.0 - 1.0) * 100.0).round() / 100.0;
    push(
        created,
        EventBody::CustomerMessage {
            text: Some(subject.to_owned()),
            sentiment: Some(sentiment),
        },
    );
    let mut t = created;
    let mut tier = 1u8;
    // First reply: urgent tickets are answered sooner.
    let reply_median = match priority {
        Some("critical" | "P1") => 8.0,
        Some("high") => 20.0,
        Some("low") => 90.0,
        _ => 45.0,
    };
    t += 60 * rng.lognormal_minutes(reply_median, 1.0);
    push(
        t,
        EventBody::AgentReply {
            agent: Some(format!("a{}", rng.below(40))),
            tier: Some(tier),
            public: true,
        },
    );
    if rng.chance(0.05) {
        t += 60 * rng.lognormal_minutes(30.0, 0.8);
        let new = *rng.weighted(&[("high", 2), ("critical", 1), ("low", 1)]);
        push(
            t,
            EventBody::PriorityChanged {
                priority: new.to_owned(),
            },
        );
    }
    if rng.chance(0.25) {
        t += 60 * rng.lognormal_minutes(20.0, 0.8);
        push(
            t,
            EventBody::StatusChanged {
                status: Status::Pending,
            },
        );
        t += 60 * rng.lognormal_minutes(240.0, 1.0);
        push(
            t,
            EventBody::CustomerMessage {
                text: Some("Here is the information you asked for".to_owned()),
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
    if rng.chance(0.12) {
        t += 60 * rng.lognormal_minutes(60.0, 0.9);
        let reason = if rng.chance(0.8) {
            Reason::Functional
        } else {
            Reason::Hierarchical
        };
        tier = 2;
        push(
            t,
            EventBody::Escalated {
                to_tier: tier,
                reason,
            },
        );
        t += 60 * rng.lognormal_minutes(25.0, 1.0);
        push(
            t,
            EventBody::Assigned {
                tier: Some(tier),
                team: None,
                agent: Some(format!("t{}", rng.below(10))),
            },
        );
        if rng.chance(0.15) {
            t += 60 * rng.lognormal_minutes(30.0, 0.7);
            push(t, EventBody::ContextRequested {});
        }
        if rng.chance(0.3) {
            t += 60 * rng.lognormal_minutes(90.0, 0.8);
            push(
                t,
                EventBody::CustomerMessage {
                    text: Some("Any update on this?".to_owned()),
                    sentiment: Some(-0.2),
                },
            );
        }
        t += 60 * rng.lognormal_minutes(50.0, 0.9);
        push(
            t,
            EventBody::AgentReply {
                agent: None,
                tier: Some(tier),
                public: true,
            },
        );
        if rng.chance(0.08) {
            t += 60 * rng.lognormal_minutes(40.0, 0.7);
            tier = 1;
            push(t, EventBody::Returned { to_tier: tier });
            if rng.chance(0.25) {
                t += 60 * rng.lognormal_minutes(120.0, 0.8);
                tier = 2;
                push(
                    t,
                    EventBody::Escalated {
                        to_tier: tier,
                        reason: Reason::Functional,
                    },
                );
                t += 60 * rng.lognormal_minutes(25.0, 1.0);
                push(
                    t,
                    EventBody::AgentReply {
                        agent: None,
                        tier: Some(tier),
                        public: true,
                    },
                );
            }
        }
    }
    if rng.chance(0.08) {
        t += 60 * rng.lognormal_minutes(30.0, 0.8);
        // Around Tier 1's 100 USD authority, with a tail above it.
        let cents = if rng.chance(0.8) {
            5_000 + rng.below(10_001)
        } else {
            20_000 + rng.below(300_000)
        };
        push(
            t,
            EventBody::RefundRequested {
                amount: Decimal::new(cents as i64, 2),
                currency: "USD".to_owned(),
            },
        );
        t += 60 * rng.lognormal_minutes(60.0, 0.8);
        push(
            t,
            EventBody::RefundDecided {
                approved: rng.chance(0.8),
                tier: Some(tier),
            },
        );
    }
    t += 60 * rng.lognormal_minutes(300.0, 1.1);
    push(t, EventBody::Solved {});
    if rng.chance(0.05) {
        t += 60 * rng.lognormal_minutes(1440.0, 0.8);
        push(t, EventBody::Reopened {});
        push(
            t,
            EventBody::CustomerMessage {
                text: Some("The problem is back".to_owned()),
                sentiment: Some(-0.4),
            },
        );
        t += 60 * rng.lognormal_minutes(60.0, 0.8);
        push(
            t,
            EventBody::AgentReply {
                agent: None,
                tier: Some(1),
                public: true,
            },
        );
        t += 60 * rng.lognormal_minutes(240.0, 1.0);
        push(t, EventBody::Solved {});
    }
    if rng.chance(0.4) {
        t += 60 * rng.lognormal_minutes(120.0, 1.0);
        let score = *rng.weighted(&[(5u8, 45), (4, 25), (3, 12), (2, 8), (1, 10)]);
        push(t, EventBody::Csat { score });
    }
    Ticket {
        id: format!("G-{:06}", i + 1),
        created_at: at(created),
        subject: Some(subject.to_owned()),
        priority: priority.map(str::to_owned),
        channel: Some(
            (*rng.weighted(&[("email", 5), ("chat", 3), ("web", 2), ("phone", 1)])).to_owned(),
        ),
        requester: Requester {
            segment: Some(segment.to_owned()),
            account: Some(format!("acct-{}", rng.below(n_accounts(segment)))),
            vip: rng.chance(0.05),
            arr: Some((rng.lognormal_minutes(20_000.0, 1.0) as f64).round()),
        },
        tags,
        fields,
        events,
    }
}

fn n_accounts(segment: &str) -> u64 {
    match segment {
        "enterprise" => 80,
        "mid-market" => 400,
        _ => 3000,
    }
}
