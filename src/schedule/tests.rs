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
    let cands: Vec<Candidate> = states
        .iter()
        .map(|s| Candidate {
            state: s.cloned(),
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
            state: Some(strong),
            buried_until: None,
        },
        Candidate {
            state: Some(weak),
            buried_until: None,
        },
    ];
    let q = build(&cands, &s, &c, &Limits::default());
    assert_eq!(q.iter().map(|(i, _)| *i).collect::<Vec<_>>(), vec![1]);
    // Without an exam, neither is due.
    assert!(build(&cands, &sched(), &c, &Limits::default()).is_empty());
}

fn at_secs(c: &Clock, secs: i64) -> Clock {
    Clock::new(jiff::Timestamp::from_second(secs).unwrap(), c.tz.clone())
}

#[test]
fn every_learning_and_relearning_step_lands_on_its_exact_delay() {
    let c = clock("2026-03-01T09:00:00+08:00");
    let now = c.secs();
    let s = Scheduler::new(
        None,
        Settings {
            learning_steps: vec![60, 600, 1800],
            relearning_steps: vec![600, 3600],
            ..Settings::default()
        },
    )
    .unwrap();
    // Learning: New → Good is step 1 (10 min), then Good is step 2 (30 min).
    let first = s.review("d/c", None, Rating::Good, &c).unwrap();
    assert_eq!(
        (first.phase, first.step, first.due - now),
        (Phase::Learning, 1, 600)
    );
    let second = s.review("d/c", Some(&first), Rating::Good, &c).unwrap();
    assert_eq!(
        (second.phase, second.step, second.due - now),
        (Phase::Learning, 2, 1800)
    );
    assert_eq!(second.reps, 2);
    // Hard on a later step repeats the step; Again goes back to the first.
    let hard = s.review("d/c", Some(&second), Rating::Hard, &c).unwrap();
    assert_eq!((hard.step, hard.due - now), (2, 1800));
    let again = s.review("d/c", Some(&second), Rating::Again, &c).unwrap();
    assert_eq!((again.step, again.due - now), (0, 60));

    // Relearning: a lapse waits 10 min; Hard on the first step waits
    // halfway to the next (35 min); Good moves to the 60-min step.
    let review = CardState {
        phase: Phase::Relearning,
        step: 0,
        memory: first.memory,
        due: now,
        reps: 7,
        lapses: 2,
        last_review: Some(now - 86_400 * 3),
    };
    let hard = s.review("d/c", Some(&review), Rating::Hard, &c).unwrap();
    assert_eq!(
        (hard.phase, hard.step, hard.due - now),
        (Phase::Relearning, 0, 2100)
    );
    let again = s.review("d/c", Some(&review), Rating::Again, &c).unwrap();
    assert_eq!((again.step, again.due - now, again.lapses), (0, 600, 2));
    let good = s.review("d/c", Some(&review), Rating::Good, &c).unwrap();
    assert_eq!(
        (good.phase, good.step, good.due - now),
        (Phase::Relearning, 1, 3600)
    );
    assert_eq!(good.reps, 8);
    // On the last relearning step Hard repeats it and Good graduates.
    let hard = s.review("d/c", Some(&good), Rating::Hard, &c).unwrap();
    assert_eq!(
        (hard.phase, hard.step, hard.due - now),
        (Phase::Relearning, 1, 3600)
    );
    let done = s.review("d/c", Some(&good), Rating::Good, &c).unwrap();
    assert_eq!((done.phase, done.step), (Phase::Review, 0));
    assert!(done.due >= c.end_of_today());
}

#[test]
fn review_intervals_follow_fsrs_next_states_through_a_scripted_history() {
    let fsrs = FSRS::new(&fsrs::DEFAULT_PARAMETERS).unwrap();
    let s = sched();
    let c0 = clock("2026-03-01T09:00:00+08:00");
    // Graduate straight away, then review on each due day.
    let mut state = s.review("d/c", None, Rating::Easy, &c0).unwrap();
    let mut memory = Some(fsrs.next_states(None, 0.9, 0).unwrap().easy.memory);
    let mut last_day = c0.today();
    let mut seen = Vec::new();
    for rating in [
        Rating::Good,
        Rating::Hard,
        Rating::Good,
        Rating::Easy,
        Rating::Good,
    ] {
        // Review at 10:00 local on the due day.
        let c = at_secs(&c0, state.due + 6 * 3600);
        let elapsed = last_day.until(c.today()).unwrap().get_days() as u32;
        let next = fsrs.next_states(memory, 0.9, elapsed).unwrap();
        let chosen = match rating {
            Rating::Hard => next.hard,
            Rating::Good => next.good,
            Rating::Easy => next.easy,
            Rating::Again => next.again,
        };
        let prev_reps = state.reps;
        state = s.review("d/c", Some(&state), rating, &c).unwrap();
        assert_eq!(state.reps, prev_reps + 1);
        assert_eq!(state.memory, Some(chosen.memory));
        let days = fuzz(chosen.interval, 0, "d/c", state.reps).clamp(1, 36_500);
        assert_eq!(
            state.due,
            c.day_start(c.today().saturating_add(jiff::Span::new().days(days))),
            "{rating:?} after {elapsed} days"
        );
        seen.push(days);
        memory = state.memory;
        last_day = c.today();
    }
    // Intervals grow on Good/Easy: a real schedule, not a constant.
    assert!(
        seen.windows(2).filter(|w| w[1] > w[0]).count() >= 3,
        "{seen:?}"
    );
    assert!(seen[seen.len() - 1] > 20, "{seen:?}");
}

#[test]
fn fuzz_covers_exactly_its_range_and_nothing_else() {
    // interval 10: delta = 1 + 0.15·4.5 + 0.1·3 = 1.975 → days 8..=12.
    // interval 45: delta = 1 + 0.675 + 1.3 + 0.05·25 = 4.225 → 41..=49.
    // interval 3: delta = 1.075 → 2..=4.
    for (interval, lo, hi) in [(10.0f32, 8, 12), (45.0, 41, 49), (3.0, 2, 4)] {
        let got: std::collections::BTreeSet<i64> = (0..2000)
            .map(|i| fuzz(interval, 11, &format!("deck/{i}"), 2))
            .collect();
        let want: std::collections::BTreeSet<i64> = (lo..=hi).collect();
        assert_eq!(got, want, "interval {interval}");
    }
    assert_eq!(fuzz(2.4, 3, "k", 1), 2, "below 2.5 days: rounded, no fuzz");
}

#[test]
fn the_review_allowance_takes_the_riskiest_reviews_in_order_ties_by_position() {
    let c = clock("2026-03-10T09:00:00+08:00");
    // 40 due reviews, recall falling with how overdue they are; every
    // second pair the same state, so ties are broken by position.
    let states: Vec<CardState> = (0..40)
        .map(|i| CardState {
            phase: Phase::Review,
            step: 0,
            memory: Some(fsrs::MemoryState {
                stability: 5.0,
                difficulty: 5.0,
            }),
            due: c.secs() - 86_400 * ((i * 7 % 13) / 2),
            reps: 3,
            lapses: 0,
            last_review: Some(c.secs() - 86_400 * (5 + (i * 7 % 13) / 2)),
        })
        .collect();
    let cands: Vec<Candidate> = states
        .iter()
        .map(|s| Candidate {
            state: Some(s.clone()),
            buried_until: None,
        })
        .collect();
    let s = sched();
    // What sorting them all and cutting to the allowance gives.
    let mut all: Vec<(f32, usize)> = states
        .iter()
        .enumerate()
        .map(|(i, st)| (s.retrievability(st, c.secs()), i))
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    for room in [0, 1, 7, 39, 40, 41] {
        let limits = Limits {
            reviews_per_day: room,
            ..Limits::default()
        };
        let parts = super::queue::split(cands.iter().cloned(), &s, &c, &limits);
        let want: Vec<usize> = all.iter().take(room as usize).map(|&(_, i)| i).collect();
        assert_eq!(parts.reviews, want, "allowance {room}");
    }
}
