//! Scheduling decisions checked against the `fsrs` crate's own outputs.

use std::time::Duration;

use fsrs::FSRS;
use jiff::tz::TimeZone;

use super::queue::{Candidate, Limits, Slot, build};
use super::*;
use crate::clock::parse_now;

fn clock(at: &str) -> Clock {
    Clock::new(
        parse_now(at).unwrap(),
        TimeZone::get("Asia/Shanghai").unwrap(),
    )
}

fn sched() -> Scheduler {
    Scheduler::new(None, Settings::default()).unwrap()
}

#[test]
fn a_new_card_rated_good_takes_the_fsrs_memory_and_the_second_step() {
    let c = clock("2026-03-01T09:00:00+08:00");
    let s = sched().review("d/c", None, Rating::Good, &c).unwrap();
    let expected = FSRS::new(&fsrs::DEFAULT_PARAMETERS)
        .unwrap()
        .next_states(None, 0.9, 0)
        .unwrap()
        .good
        .memory;
    assert_eq!(s.memory, Some(expected));
    assert_eq!((s.phase, s.step, s.reps), (Phase::Learning, 1, 1));
    assert_eq!(s.due, c.secs() + 600);
}

#[test]
fn learning_steps_again_hard_good_easy() {
    let c = clock("2026-03-01T09:00:00+08:00");
    let s = sched();
    let again = s.review("d/c", None, Rating::Again, &c).unwrap();
    assert_eq!(
        (again.phase, again.step, again.due - c.secs()),
        (Phase::Learning, 0, 60)
    );
    let hard = s.review("d/c", None, Rating::Hard, &c).unwrap();
    assert_eq!(hard.due - c.secs(), 330, "halfway between 1 and 10 minutes");
    let easy = s.review("d/c", None, Rating::Easy, &c).unwrap();
    assert_eq!(easy.phase, Phase::Review);
    assert!(
        easy.due >= c.end_of_today(),
        "graduated cards come back on a later day"
    );
}

#[test]
fn memory_follows_fsrs_for_a_scripted_history() {
    // (rating, days after the previous review)
    let history = [
        (Rating::Good, 0),
        (Rating::Good, 0),
        (Rating::Good, 3),
        (Rating::Again, 9),
        (Rating::Good, 0),
        (Rating::Easy, 4),
    ];
    let fsrs = FSRS::new(&fsrs::DEFAULT_PARAMETERS).unwrap();
    let s = sched();
    let mut at = parse_now("2026-03-01T09:00:00+08:00").unwrap();
    let mut state: Option<CardState> = None;
    let mut memory: Option<fsrs::MemoryState> = None;
    for (rating, days) in history {
        at = at
            .checked_add(jiff::SignedDuration::from_hours(24 * days))
            .unwrap();
        let c = Clock::new(at, TimeZone::get("Asia/Shanghai").unwrap());
        let next = fsrs.next_states(memory, 0.9, days as u32).unwrap();
        let expected = match rating {
            Rating::Again => next.again.memory,
            Rating::Hard => next.hard.memory,
            Rating::Good => next.good.memory,
            Rating::Easy => next.easy.memory,
        };
        let new_state = s.review("d/c", state.as_ref(), rating, &c).unwrap();
        assert_eq!(
            new_state.memory,
            Some(expected),
            "after {rating:?} on day +{days}"
        );
        memory = Some(expected);
        state = Some(new_state);
    }
    let last = state.unwrap();
    assert_eq!(last.lapses, 1);
    assert_eq!(last.reps, 6);
    assert_eq!(last.phase, Phase::Review);
}

#[test]
fn a_review_lapse_goes_to_relearning() {
    let c = clock("2026-03-01T09:00:00+08:00");
    let s = sched();
    let learned = s.review("d/c", None, Rating::Easy, &c).unwrap();
    let later = Clock::new(
        jiff::Timestamp::from_second(learned.due + 3600).unwrap(),
        c.tz.clone(),
    );
    let lapsed = s
        .review("d/c", Some(&learned), Rating::Again, &later)
        .unwrap();
    assert_eq!((lapsed.phase, lapsed.lapses), (Phase::Relearning, 1));
    assert_eq!(lapsed.due, later.secs() + 600);
    let back = s
        .review("d/c", Some(&lapsed), Rating::Good, &later)
        .unwrap();
    assert_eq!(back.phase, Phase::Review);
}

#[test]
fn graduation_interval_is_the_fuzzed_fsrs_interval() {
    let c = clock("2026-03-01T09:00:00+08:00");
    let s = sched();
    let easy = s.review("d/c", None, Rating::Easy, &c).unwrap();
    let interval = FSRS::new(&fsrs::DEFAULT_PARAMETERS)
        .unwrap()
        .next_states(None, 0.9, 0)
        .unwrap()
        .easy
        .interval;
    let days = fuzz(interval, 0, "d/c", 1);
    assert_eq!(
        easy.due,
        c.day_start(c.today().saturating_add(jiff::Span::new().days(days)))
    );
}

#[test]
fn no_interval_runs_past_the_exam() {
    let c = clock("2026-03-01T09:00:00+08:00");
    let settings = Settings {
        exam_day: Some(jiff::civil::date(2026, 3, 5)),
        ..Settings::default()
    };
    let s = Scheduler::new(None, settings).unwrap();
    let exam_start = c.day_start(jiff::civil::date(2026, 3, 5));
    let mut state = s.review("d/c", None, Rating::Easy, &c).unwrap();
    let mut reviews = 0;
    // Review on every due day until the exam begins (after that, no cap).
    while state.due < exam_start {
        let at = Clock::new(
            jiff::Timestamp::from_second(state.due).unwrap(),
            c.tz.clone(),
        );
        state = s.review("d/c", Some(&state), Rating::Easy, &at).unwrap();
        reviews += 1;
        assert!(
            state.due <= exam_start,
            "due {} runs past the exam",
            jiff::Timestamp::from_second(state.due).unwrap()
        );
    }
    // Day 1 → the eve (capped) → exam morning (the last day's cap).
    assert_eq!(reviews, 1);
    assert_eq!(state.due, exam_start);
    // Reviewed well before the exam, it is due on the eve at the latest.
    let eve = c.day_start(jiff::civil::date(2026, 3, 4));
    let early = s.review("d/c", None, Rating::Easy, &c).unwrap();
    assert!(early.due <= eve);
}

#[test]
fn fuzz_is_deterministic_and_stays_in_range() {
    for interval in [3.0f32, 10.0, 45.0, 300.0] {
        let a = fuzz(interval, 7, "deck/card", 3);
        assert_eq!(a, fuzz(interval, 7, "deck/card", 3));
        let spread = (interval * 0.15).ceil() as i64 + 2;
        assert!(
            (a - interval.round() as i64).abs() <= spread,
            "{interval} → {a}"
        );
    }
    assert_eq!(fuzz(1.4, 1, "k", 1), 1, "short intervals are not fuzzed");
    let varied: std::collections::HashSet<i64> =
        (0..50).map(|seed| fuzz(100.0, seed, "k", 1)).collect();
    assert!(varied.len() > 3, "the seed changes the fuzz");
}

#[test]
fn suggested_ratings_follow_the_verdict() {
    let slow = Duration::from_secs(60);
    let fast = Duration::from_secs(2);
    assert_eq!(
        suggest(Outcome::Wrong, fast, Kind::Qa, false),
        Rating::Again
    );
    assert_eq!(
        suggest(Outcome::Partial, fast, Kind::List, false),
        Rating::Hard
    );
    assert_eq!(suggest(Outcome::Close, fast, Kind::Qa, false), Rating::Good);
    assert_eq!(
        suggest(Outcome::Correct, slow, Kind::Qa, false),
        Rating::Good
    );
    assert_eq!(
        suggest(Outcome::Correct, fast, Kind::Judge, false),
        Rating::Easy
    );
    assert_eq!(
        suggest(Outcome::Correct, fast, Kind::Judge, true),
        Rating::Hard
    );
    assert_eq!(
        suggest(Outcome::Wrong, fast, Kind::Judge, true),
        Rating::Again
    );
}

fn review_state(due: i64, last: i64, stability: f32) -> CardState {
    CardState {
        phase: Phase::Review,
        step: 0,
        memory: Some(fsrs::MemoryState {
            stability,
            difficulty: 5.0,
        }),
        due,
        reps: 3,
        lapses: 0,
        last_review: Some(last),
    }
}

#[test]
fn queue_order_learning_then_riskiest_reviews_with_new_interleaved() {
    let c = clock("2026-03-10T09:00:00+08:00");
    let now = c.secs();
    let day = 86_400;
    let learning = CardState {
        phase: Phase::Learning,
        step: 1,
        due: now - 10,
        ..review_state(0, now - 600, 1.0)
    };
    let safe = review_state(now - day, now - 5 * day, 20.0);
    let risky = review_state(now - day, now - 30 * day, 2.0);
    let later = review_state(now + 5 * day, now - day, 10.0);
    let states = [
        Some(&safe),
        None,
        Some(&learning),
        Some(&risky),
        Some(&later),
        None,
        None,
    ];
    let cands: Vec<Candidate<'_>> = states
        .iter()
        .map(|s| Candidate {
            state: *s,
            buried_until: None,
        })
        .collect();
    let limits = Limits {
        new_per_day: 2,
        ..Limits::default()
    };
    let q = build(&cands, &sched(), &c, &limits);
    let order: Vec<usize> = q.iter().map(|(i, _)| *i).collect();
    assert_eq!(order[0], 2, "due learning card first: {q:?}");
    assert_eq!(q[0].1, Slot::Learning);
    let pos = |i: usize| order.iter().position(|&x| x == i);
    assert!(
        pos(3) < pos(0),
        "the riskier review comes before the safer one: {q:?}"
    );
    assert_eq!(pos(4), None, "not yet due");
    assert_eq!(
        q.iter().filter(|(_, s)| *s == Slot::New).count(),
        2,
        "new cards capped at the limit"
    );
}

#[test]
fn buried_cards_and_spent_limits_are_respected() {
    let c = clock("2026-03-10T09:00:00+08:00");
    let cands = vec![
        Candidate {
            state: None,
            buried_until: Some(c.secs() + 3600),
        },
        Candidate {
            state: None,
            buried_until: Some(c.secs() - 1),
        },
        Candidate {
            state: None,
            buried_until: None,
        },
    ];
    let q = build(&cands, &sched(), &c, &Limits::default());
    assert_eq!(q.iter().map(|(i, _)| *i).collect::<Vec<_>>(), vec![1, 2]);
    let spent = Limits {
        new_done_today: 20,
        ..Limits::default()
    };
    assert!(build(&cands, &sched(), &c, &spent).is_empty());
}

#[test]
fn in_the_last_days_before_the_exam_weak_cards_are_pulled_in() {
    let c = clock("2026-03-10T09:00:00+08:00");
    let now = c.secs();
    let day = 86_400;
    let settings = Settings {
        exam_day: Some(jiff::civil::date(2026, 3, 12)),
        ..Settings::default()
    };
    let s = Scheduler::new(None, settings).unwrap();
    // Neither card is due, but the weak one would be forgotten by exam day.
    let weak = review_state(now + 2 * day, now - 2 * day, 3.0);
    let strong = review_state(now + 2 * day, now - day, 400.0);
    let cands = vec![
        Candidate {
            state: Some(&strong),
            buried_until: None,
        },
        Candidate {
            state: Some(&weak),
            buried_until: None,
        },
    ];
    let q = build(&cands, &s, &c, &Limits::default());
    assert_eq!(q.iter().map(|(i, _)| *i).collect::<Vec<_>>(), vec![1]);
    // Without an exam, neither is due.
    assert!(build(&cands, &sched(), &c, &Limits::default()).is_empty());
}
