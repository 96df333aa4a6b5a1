//! Scheduling with FSRS-6 through the `fsrs` crate: what a rating does to a
//! card's memory state and due time, learning steps, deterministic fuzz,
//! the exam-date cap, and the rating suggested from a graded answer. Pure:
//! the time comes in as a [`Clock`]; nothing here reads the system clock.

pub mod live;
pub mod queue;
pub mod siblings;

use std::time::Duration;

use fsrs::{FSRS, MemoryState};
use jiff::ToSpan;
use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::deck::Kind;
use crate::grade::Outcome;

/// The four ratings, as FSRS numbers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Rating {
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

impl Rating {
    pub const ALL: [Rating; 4] = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];

    pub fn from_number(n: i64) -> Option<Rating> {
        Rating::ALL.into_iter().find(|r| *r as i64 == n)
    }

    /// The Chinese name shown to learners.
    pub fn label(self) -> &'static str {
        match self {
            Rating::Again => "重来",
            Rating::Hard => "困难",
            Rating::Good => "良好",
            Rating::Easy => "简单",
        }
    }
}

/// Where a card is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    New = 0,
    Learning = 1,
    Review = 2,
    Relearning = 3,
}

impl Phase {
    pub fn from_number(n: i64) -> Phase {
        match n {
            1 => Phase::Learning,
            2 => Phase::Review,
            3 => Phase::Relearning,
            _ => Phase::New,
        }
    }
}

/// A card's scheduling state for one learner.
#[derive(Debug, Clone, PartialEq)]
pub struct CardState {
    pub phase: Phase,
    /// Index of the current learning or relearning step.
    pub step: u32,
    pub memory: Option<MemoryState>,
    /// Unix seconds.
    pub due: i64,
    pub reps: u32,
    pub lapses: u32,
    pub last_review: Option<i64>,
}

impl CardState {
    /// A card never studied, due now.
    pub fn unseen(now: i64) -> CardState {
        CardState {
            phase: Phase::New,
            step: 0,
            memory: None,
            due: now,
            reps: 0,
            lapses: 0,
            last_review: None,
        }
    }
}

/// A learner's scheduling settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub desired_retention: f32,
    /// Learning steps in seconds (default 1 min, 10 min).
    pub learning_steps: Vec<i64>,
    /// Relearning steps in seconds (default 10 min).
    pub relearning_steps: Vec<i64>,
    pub maximum_interval_days: i64,
    /// The exam's study day, if one is set: no interval runs past it.
    pub exam_day: Option<jiff::civil::Date>,
    /// Seed for the interval fuzz, so schedules can be replayed.
    pub fuzz_seed: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            desired_retention: 0.9,
            learning_steps: vec![60, 600],
            relearning_steps: vec![600],
            maximum_interval_days: 36_500,
            exam_day: None,
            fuzz_seed: 0,
        }
    }
}

/// Errors from the FSRS model itself (bad stored parameters).
#[derive(Debug, thiserror::Error)]
#[error("FSRS 参数无效：{0}")]
pub struct ScheduleError(pub String);

/// FSRS with a learner's parameters and settings.
pub struct Scheduler {
    fsrs: FSRS,
    decay: f32,
    pub settings: Settings,
}

impl Scheduler {
    /// A scheduler with the given FSRS-6 parameters (`None`: the defaults).
    pub fn new(parameters: Option<&[f32]>, settings: Settings) -> Result<Scheduler, ScheduleError> {
        let params = parameters.unwrap_or(&fsrs::DEFAULT_PARAMETERS);
        let fsrs = FSRS::new(params).map_err(|e| ScheduleError(format!("{e:?}")))?;
        let decay = params.get(20).copied().unwrap_or(fsrs::FSRS6_DEFAULT_DECAY);
        Ok(Scheduler {
            fsrs,
            decay,
            settings,
        })
    }

    /// Whole days between two instants, as FSRS counts them (by study day).
    fn elapsed_days(clock: &Clock, from: i64) -> u32 {
        let days = clock
            .day_of(from)
            .until(clock.today())
            .map_or(0, |s| s.get_days());
        days.max(0) as u32
    }

    /// The probability of recalling a card at instant `at`.
    pub fn retrievability(&self, state: &CardState, at: i64) -> f32 {
        match (state.memory, state.last_review) {
            (Some(memory), Some(last)) => {
                let days = ((at - last) as f32 / 86_400.0).max(0.0);
                fsrs::current_retrievability(memory, days, self.decay)
            }
            _ => 0.0,
        }
    }

    /// The state after rating a card now. `key` (deck/card) seeds the fuzz.
    pub fn review(
        &self,
        key: &str,
        prev: Option<&CardState>,
        rating: Rating,
        clock: &Clock,
    ) -> Result<CardState, ScheduleError> {
        let now = clock.secs();
        let fresh = CardState::unseen(now);
        let prev = prev.unwrap_or(&fresh);
        let elapsed = prev
            .last_review
            .map_or(0, |last| Self::elapsed_days(clock, last));
        let next = self
            .fsrs
            .next_states(prev.memory, self.settings.desired_retention, elapsed)
            .map_err(|e| ScheduleError(format!("{e:?}")))?;
        let chosen = match rating {
            Rating::Again => &next.again,
            Rating::Hard => &next.hard,
            Rating::Good => &next.good,
            Rating::Easy => &next.easy,
        };
        let mut state = CardState {
            phase: prev.phase,
            step: prev.step,
            memory: Some(chosen.memory),
            due: now,
            reps: prev.reps + 1,
            lapses: prev.lapses,
            last_review: Some(now),
        };
        let graduate = |state: &mut CardState, interval: f32| {
            state.phase = Phase::Review;
            state.step = 0;
            state.due = self.review_due(key, state.reps, interval, clock);
        };
        match prev.phase {
            Phase::New | Phase::Learning => {
                let steps = &self.settings.learning_steps;
                let at = if prev.phase == Phase::New {
                    0
                } else {
                    prev.step as usize
                };
                state.phase = Phase::Learning;
                match rating {
                    _ if steps.is_empty() => graduate(&mut state, chosen.interval),
                    Rating::Again => {
                        state.step = 0;
                        state.due = now + steps[0];
                    }
                    Rating::Hard => {
                        state.step = at as u32;
                        state.due = now + hard_delay(steps, at);
                    }
                    Rating::Good => {
                        let next_step = if prev.phase == Phase::New { 1 } else { at + 1 };
                        if next_step >= steps.len() {
                            graduate(&mut state, chosen.interval);
                        } else {
                            state.step = next_step as u32;
                            state.due = now + steps[next_step];
                        }
                    }
                    Rating::Easy => graduate(&mut state, chosen.interval),
                }
            }
            Phase::Review => match rating {
                Rating::Again => {
                    state.lapses += 1;
                    if let Some(&first) = self.settings.relearning_steps.first() {
                        state.phase = Phase::Relearning;
                        state.step = 0;
                        state.due = now + first;
                    } else {
                        graduate(&mut state, chosen.interval);
                    }
                }
                _ => graduate(&mut state, chosen.interval),
            },
            Phase::Relearning => {
                let steps = &self.settings.relearning_steps;
                let at = prev.step as usize;
                match rating {
                    _ if steps.is_empty() => graduate(&mut state, chosen.interval),
                    Rating::Again => {
                        state.step = 0;
                        state.due = now + steps[0];
                    }
                    Rating::Hard => state.due = now + hard_delay(steps, at),
                    Rating::Good if at + 1 < steps.len() => {
                        state.step = at as u32 + 1;
                        state.due = now + steps[at + 1];
                    }
                    Rating::Good | Rating::Easy => graduate(&mut state, chosen.interval),
                }
            }
        }
        Ok(state)
    }

    /// The due instant of a review `interval` days from today: fuzzed,
    /// capped at the maximum interval and at the exam.
    fn review_due(&self, key: &str, reps: u32, interval: f32, clock: &Clock) -> i64 {
        let days = fuzz(interval, self.settings.fuzz_seed, key, reps)
            .clamp(1, self.settings.maximum_interval_days);
        let due = clock.day_start(clock.today().saturating_add(days.days()));
        self.cap_at_exam(due, clock)
    }

    /// No interval runs past the exam: a card is due again on the day
    /// before the exam at the latest (or tomorrow, on that last day).
    pub fn cap_at_exam(&self, due: i64, clock: &Clock) -> i64 {
        let Some(exam) = self.settings.exam_day else {
            return due;
        };
        let exam_start = clock.day_start(exam);
        if clock.secs() >= exam_start {
            return due;
        }
        let eve = clock.day_start(exam.saturating_sub(1.days()));
        due.min(eve.max(clock.end_of_today()))
    }

    /// Whether the exam is within its last `days` study days.
    pub fn exam_within(&self, clock: &Clock, days: i64) -> Option<i64> {
        let exam = self.settings.exam_day?;
        let left = clock.today().until(exam).ok()?.get_days() as i64;
        (0..=days).contains(&left).then(|| clock.day_start(exam))
    }
}

/// The delay for Hard on a learning step: halfway to the next step on the
/// first one, otherwise the step again.
fn hard_delay(steps: &[i64], at: usize) -> i64 {
    match (steps.get(at), steps.get(at + 1)) {
        (Some(a), Some(b)) if at == 0 => (a + b) / 2,
        (Some(a), _) => *a,
        _ => steps.last().copied().unwrap_or(600),
    }
}

/// FSRS interval fuzz, deterministic from the seed, the card and its
/// review count: ±15 % of days 2.5–7, ±10 % of days 7–20, ±5 % beyond.
pub fn fuzz(interval: f32, seed: u64, key: &str, reps: u32) -> i64 {
    let rounded = interval.round().max(1.0) as i64;
    if interval < 2.5 {
        return rounded;
    }
    let ranges = [
        (2.5f32, 7.0f32, 0.15f32),
        (7.0, 20.0, 0.1),
        (20.0, f32::INFINITY, 0.05),
    ];
    let delta: f32 = 1.0
        + ranges
            .iter()
            .map(|(start, end, factor)| factor * (interval.min(*end) - start).max(0.0))
            .sum::<f32>();
    let min = ((interval - delta).round() as i64).max(2);
    let max = ((interval + delta).round() as i64).max(min);
    let h = crate::hash::stable_hash(&[&seed.to_le_bytes(), key.as_bytes(), &reps.to_le_bytes()]);
    let unit = (h >> 11) as f64 / (1u64 << 53) as f64;
    min + (unit * (max - min + 1) as f64) as i64
}

/// The rating suggested for a graded answer: wrong → Again, partial →
/// Hard, close or correct → Good, correct and fast → Easy. A hinted
/// answer is never better than Hard.
pub fn suggest(outcome: Outcome, response: Duration, kind: Kind, hinted: bool) -> Rating {
    let rating = match outcome {
        Outcome::Wrong => Rating::Again,
        Outcome::Partial => Rating::Hard,
        Outcome::Close => Rating::Good,
        Outcome::Correct if response <= fast_threshold(kind) => Rating::Easy,
        Outcome::Correct => Rating::Good,
    };
    if hinted {
        rating.min(Rating::Hard)
    } else {
        rating
    }
}

/// How quickly a right answer must come to count as easy.
pub fn fast_threshold(kind: Kind) -> Duration {
    Duration::from_secs(match kind {
        Kind::Judge | Kind::Choice => 5,
        Kind::Multi => 8,
        Kind::Fill | Kind::Qa => 10,
        Kind::List => 15,
    })
}

#[cfg(test)]
mod tests;
