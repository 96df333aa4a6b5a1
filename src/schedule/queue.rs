//! Which card comes next: learning cards that are due, then due reviews
//! most at risk first (in the last days before an exam, those with the
//! lowest predicted recall on exam day), with new cards interleaved up to
//! the daily limit. Pure: everything it needs is passed in.

use super::{CardState, Phase, Scheduler};
use crate::clock::Clock;

/// Learning cards due within this many seconds are shown rather than
/// making the learner wait, once nothing else is left.
pub const LEARN_AHEAD_SECS: i64 = 20 * 60;

/// How many days before the exam the exam-day ordering takes over.
pub const EXAM_FINAL_DAYS: i64 = 3;

/// Daily limits and what today has already used of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub new_per_day: u32,
    pub reviews_per_day: u32,
    pub new_done_today: u32,
    pub reviews_done_today: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            new_per_day: 20,
            reviews_per_day: 200,
            new_done_today: 0,
            reviews_done_today: 0,
        }
    }
}

/// One card the queue may choose from: its state (none when new) and
/// whether it is buried until later.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub state: Option<CardState>,
    pub buried_until: Option<i64>,
}

/// What kind of turn a queued card is, for the status line and counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Learning,
    Review,
    New,
    /// A card answered wrongly in a quiz or contest (the 错题本).
    Mistake,
}

/// The cards to study now, as indices into `cands`, in order.
pub fn build(
    cands: &[Candidate],
    sched: &Scheduler,
    clock: &Clock,
    limits: &Limits,
) -> Vec<(usize, Slot)> {
    let now = clock.secs();
    let parts = split(cands.iter().cloned(), sched, clock, limits);
    let mut new = parts.new;
    new.truncate(parts.new_room);
    // Learning cards already due go first; those due a little later wait
    // until the rest is done.
    let (due_now, ahead): (Vec<_>, Vec<_>) = parts
        .learning
        .into_iter()
        .filter(|(due, _)| *due <= now + LEARN_AHEAD_SECS)
        .partition(|(due, _)| *due <= now);
    let mut out: Vec<(usize, Slot)> = due_now
        .into_iter()
        .map(|(_, i)| (i, Slot::Learning))
        .collect();
    out.extend(main_order(parts.reviews, new));
    out.extend(ahead.into_iter().map(|(_, i)| (i, Slot::Learning)));
    out
}

/// The candidates sorted into what today may show.
#[derive(Debug, Default)]
pub struct Parts {
    /// Every learning or relearning card that is not buried, with its due
    /// time, soonest first (also those due later today).
    pub learning: Vec<(i64, usize)>,
    /// Due reviews, most at risk first, up to today's review limit.
    pub reviews: Vec<usize>,
    /// Every new card that is not buried, in candidate order (not cut to
    /// the limit: the caller chooses which).
    pub new: Vec<usize>,
    /// How many new cards today still allows.
    pub new_room: usize,
}

/// One pass over the candidates (made as they are passed: at 50k cards a
/// list of them all was a tenth of a start's memory): the expensive part
/// of a queue, done once per session (see [`super::live`]).
pub fn split(
    cands: impl IntoIterator<Item = Candidate>,
    sched: &Scheduler,
    clock: &Clock,
    limits: &Limits,
) -> Parts {
    let now = clock.secs();
    let end_of_day = clock.end_of_today();
    let exam_start = sched.exam_within(clock, EXAM_FINAL_DAYS);
    let mut learning: Vec<(i64, usize)> = Vec::new();
    let mut reviews: Vec<(f32, usize)> = Vec::new();
    let mut new: Vec<usize> = Vec::new();
    for (i, cand) in cands.into_iter().enumerate() {
        if cand.buried_until.is_some_and(|until| until > now) {
            continue;
        }
        match &cand.state {
            None => new.push(i),
            Some(s) if s.phase == Phase::New => new.push(i),
            Some(s) if matches!(s.phase, Phase::Learning | Phase::Relearning) => {
                learning.push((s.due, i));
            }
            Some(s) => {
                let risk_at = match exam_start {
                    // Before the exam every card whose recall on exam day
                    // would fall below the target is worth another look.
                    Some(exam)
                        if sched.retrievability(s, exam) < sched.settings.desired_retention =>
                    {
                        exam
                    }
                    _ if s.due < end_of_day => now,
                    _ => continue,
                };
                reviews.push((sched.retrievability(s, risk_at), i));
            }
        }
    }
    learning.sort_by_key(|&(due, i)| (due, i));
    let review_room = limits
        .reviews_per_day
        .saturating_sub(limits.reviews_done_today) as usize;
    // Only the day's allowance is sorted: at 50k cards thousands may be
    // due, and sorting them all was a tenth of a start. The order is total
    // (recall, then position), so this is exactly sort-then-truncate.
    let by_risk = |a: &(f32, usize), b: &(f32, usize)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
    if review_room < reviews.len() {
        if review_room == 0 {
            reviews.clear();
        } else {
            reviews.select_nth_unstable_by(review_room - 1, by_risk);
            reviews.truncate(review_room);
        }
    }
    reviews.sort_by(by_risk);
    Parts {
        learning,
        reviews: reviews.into_iter().map(|(_, i)| i).collect(),
        new,
        new_room: limits.new_per_day.saturating_sub(limits.new_done_today) as usize,
    }
}

/// Reviews with the chosen new cards spread evenly through them.
pub fn main_order(reviews: Vec<usize>, new: Vec<usize>) -> Vec<(usize, Slot)> {
    interleave(
        reviews.into_iter().map(|i| (i, Slot::Review)).collect(),
        new.into_iter().map(|i| (i, Slot::New)).collect(),
    )
}

/// Spreads `new` evenly through `reviews`.
fn interleave<T>(reviews: Vec<T>, new: Vec<T>) -> Vec<T> {
    if new.is_empty() || reviews.is_empty() {
        let mut out = reviews;
        out.extend(new);
        return out;
    }
    let total = reviews.len() + new.len();
    let mut out = Vec::with_capacity(total);
    let (mut r, mut n) = (reviews.into_iter().peekable(), new.into_iter().peekable());
    let (mut placed_new, new_total) = (0usize, n.len());
    for pos in 0..total {
        // Place the k-th new card at about position k·total/new_total.
        let want_new = placed_new * total < pos * new_total || r.peek().is_none();
        match (want_new, n.peek().is_some()) {
            (true, true) => {
                out.extend(n.next());
                placed_new += 1;
            }
            _ => out.extend(r.next().or_else(|| n.next())),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interleave_spreads_new_cards_evenly() {
        let out = interleave(vec!['r'; 6], vec!['n'; 2]);
        assert_eq!(out.len(), 8);
        assert_eq!(out.iter().filter(|c| **c == 'n').count(), 2);
        assert_ne!(out[0], 'n', "reviews come first: {out:?}");
        assert_ne!(
            &out[6..],
            &['n', 'n'],
            "new cards are not bunched at the end: {out:?}"
        );
        assert_eq!(interleave(Vec::<char>::new(), vec!['n']), vec!['n']);
        assert_eq!(interleave(vec!['r'], Vec::new()), vec!['r']);
    }
}
