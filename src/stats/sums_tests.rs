//! The review sums the store keeps per 15-minute slot (migration 009's
//! triggers, and its backfill of an existing log) against the review rows
//! themselves, on a generated log in time zones with daylight saving and
//! half- and quarter-hour offsets.

use jiff::tz::{Offset, TimeZone};

use super::*;
use crate::clock::parse_now;
use crate::grade::Outcome;
use crate::store::{NewReview, Store};

/// A small deterministic generator (no dependency on rand's algorithms).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

const NOW: &str = "2026-03-31T09:00:00+08:00";

/// About 4000 reviews over the last 130 days in three decks and a key
/// with no deck part, some on the second before or of a day's start, some
/// in the future; one in ten undone afterwards, some through the store's
/// own write and undo.
fn fill(store: &mut Store, learner: i64, clocks: &[Clock]) {
    let now = parse_now(NOW).unwrap().as_second();
    let mut rng = Lcg(14);
    let keys = ["a/1", "a/2", "b/x", "c/y/z", "nodeck"];
    let conn = store.conn();
    conn.execute_batch("BEGIN").unwrap();
    let mut insert = conn
        .prepare(
            "INSERT INTO reviews (learner_id, card_key, reviewed_at, rating, verdict, score, response_ms, mode, phase_before, content_hash)
             VALUES (?1, ?2, ?3, ?4, 'correct', 1.0, 100, ?5, ?6, 'h')",
        )
        .unwrap();
    for i in 0..4000 {
        let mut at = now - 130 * 86_400 + rng.next(135 * 86_400) as i64;
        if i % 7 == 0 {
            // On a day boundary of one of the clocks, or a second before.
            let clock = &clocks[rng.next(clocks.len() as u64) as usize];
            let day = clock.today().saturating_sub((rng.next(100) as i64).days());
            at = clock.day_start(day) - rng.next(2) as i64;
        }
        let key = keys[rng.next(keys.len() as u64) as usize];
        let mode = ["study", "quiz", "contest"][rng.next(3) as usize];
        insert
            .execute(rusqlite::params![
                learner,
                key,
                at,
                1 + rng.next(4) as i64,
                mode,
                rng.next(4) as i64
            ])
            .unwrap();
    }
    drop(insert);
    conn.execute(
        "UPDATE reviews SET undone = 1 WHERE id % 10 = 3 AND learner_id = ?1",
        [learner],
    )
    .unwrap();
    conn.execute_batch("COMMIT").unwrap();
    for i in 0..12 {
        let review = NewReview {
            learner_id: learner,
            card_key: "b/x",
            session_id: None,
            at: now - i * 3_600,
            rating: if i % 3 == 0 {
                Rating::Again
            } else {
                Rating::Good
            },
            verdict: Outcome::Correct,
            score: 1.0,
            response_ms: 100,
            mode: "quiz",
            phase_before: Phase::Review,
            content_hash: "h",
        };
        let id = store.log_answer(&review).unwrap();
        if i % 4 == 0 {
            store.undo_review(learner, id, "b/x", None).unwrap();
        }
    }
}

fn clocks() -> Vec<Clock> {
    let now = parse_now(NOW).unwrap();
    [
        "Asia/Shanghai",
        "America/New_York",
        "Europe/Berlin",
        "Asia/Kolkata",
        "Asia/Kathmandu",
        "Australia/Lord_Howe",
    ]
    .iter()
    .map(|tz| Clock::new(now, TimeZone::get(tz).unwrap()))
    // Across the March daylight-saving changes, and just after them.
    .chain(
        ["2026-03-09T06:00:00-04:00", "2026-04-06T03:00:00+10:00"].map(|t| {
            Clock::new(
                parse_now(t).unwrap(),
                TimeZone::get("America/New_York").unwrap(),
            )
        }),
    )
    .collect()
}

fn both(store: &Store, learner: i64, clock: &Clock) -> (ReviewSums, Option<ReviewSums>) {
    let window = Window::new(clock);
    let rows = store.reviews_since(learner, window.since(), None).unwrap();
    let (total, slots) = store.review_sums(learner, window.since()).unwrap().unwrap();
    (
        ReviewSums::from_rows(store.review_count(learner).unwrap(), &rows, &window),
        ReviewSums::from_slots(total, &slots, &window),
    )
}

#[test]
fn slot_sums_equal_the_sums_of_the_review_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("p.db")).unwrap();
    let learner = store.learner("甲", 0).unwrap().id;
    let other = store.learner("乙", 0).unwrap().id;
    let clocks = clocks();
    fill(&mut store, learner, &clocks);
    fill(&mut store, other, &clocks);
    for clock in &clocks {
        let (rows, slots) = both(&store, learner, clock);
        let slots = slots.expect("every zone here starts its days on a quarter hour");
        assert_eq!(slots, rows, "{clock:?}");
        // Not an empty comparison: reviews on many days, of every deck.
        assert!(rows.total > 3000 && rows.total < 4012, "{}", rows.total);
        assert_eq!(
            rows.decks.keys().map(String::as_str).collect::<Vec<_>>(),
            ["", "a", "b", "c"]
        );
        let days: usize = rows.decks.values().flat_map(|d| &d.days).sum();
        assert!(days > 2000, "{days}");
        assert!(rows.decks["b"].mature > 20 && rows.decks["b"].passed > 10);
    }
}

#[test]
fn the_migration_sums_an_existing_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.db");
    let clocks = clocks();
    let learner = {
        let mut store = Store::open(&path).unwrap();
        let learner = store.learner("甲", 0).unwrap().id;
        fill(&mut store, learner, &clocks);
        learner
    };
    // Back to schema 8, the log as it was written before the sums.
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "DROP TRIGGER review_sums_insert; DROP TRIGGER review_sums_delete;
             DROP TRIGGER review_sums_update_old; DROP TRIGGER review_sums_update_new;
             DROP TABLE review_sums; DROP TABLE review_totals;
             DROP TRIGGER state_changes_insert; DROP TRIGGER state_changes_update;
             DROP TRIGGER state_changes_delete; DROP TABLE state_changes;
             PRAGMA user_version = 8;",
        )
        .unwrap();
    }
    // Opened only to read, the file is not migrated: no sums to read.
    let reader = Store::open_read(&path).unwrap();
    assert_eq!(reader.review_sums(learner, 0).unwrap(), None);
    drop(reader);
    let store = Store::open(&path).unwrap();
    for clock in &clocks {
        let (rows, slots) = both(&store, learner, clock);
        assert_eq!(slots, Some(rows), "{clock:?}");
    }
}

#[test]
fn a_day_not_on_a_quarter_hour_reads_the_rows() {
    // Shanghai's local mean time, +08:05:43.
    let tz = TimeZone::fixed(Offset::from_seconds(8 * 3600 + 5 * 60 + 43).unwrap());
    let clock = Clock::new(parse_now(NOW).unwrap(), tz);
    let window = Window::new(&clock);
    assert!(!window.on_slots());
    assert_eq!(ReviewSums::from_slots(0, &[], &window), None);
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("p.db")).unwrap();
    let learner = store.learner("甲", 0).unwrap().id;
    fill(&mut store, learner, &clocks());
    let (rows, slots) = both(&store, learner, &clock);
    assert_eq!(slots, None);
    assert!(rows.decks["a"].days.iter().sum::<usize>() > 500);
}
