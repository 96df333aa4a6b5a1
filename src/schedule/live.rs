//! The session's queue, built once and then updated on each rating, so the
//! next card costs microseconds at 50k cards instead of a pass over every
//! card: the main line (mistakes, then reviews with new cards spread
//! through them) is a list consumed from the front, learning cards wait in
//! a heap keyed by due time. A rated card leaves the line; if it is now
//! learning it enters the heap. Two cards whose quotes overlap are never
//! shown one after the other while another card can come between them.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};

use super::queue::{LEARN_AHEAD_SECS, Slot};
use super::siblings::Siblings;

/// How far down the line to look for a card that is not a sibling of the
/// one just answered.
const SIBLING_LOOKAHEAD: usize = 16;

pub struct Live<'a> {
    /// What the queue was built for: a new study day or new limits mean a
    /// rebuild.
    pub key: (jiff::civil::Date, u32, u32),
    main: VecDeque<(usize, Slot)>,
    /// Whether an entry is still waiting in `main` (removal is lazy).
    in_main: Vec<bool>,
    main_len: usize,
    new_len: usize,
    /// Learning cards by due time; an entry whose due time changed since it
    /// was pushed is stale and skipped.
    heap: BinaryHeap<Reverse<(i64, usize)>>,
    learning: HashMap<usize, i64>,
    last: Option<usize>,
    siblings: Siblings<'a>,
}

/// The next card and how many are queued now, this one included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Next {
    pub entry: usize,
    pub slot: Slot,
    pub remaining: usize,
}

impl<'a> Live<'a> {
    /// `main` in order; `learning` as (due, entry); `entries` is how many
    /// entries the session has.
    pub fn new(
        key: (jiff::civil::Date, u32, u32),
        main: Vec<(usize, Slot)>,
        learning: Vec<(i64, usize)>,
        entries: usize,
        siblings: Siblings<'a>,
    ) -> Live<'a> {
        let mut in_main = vec![false; entries];
        let mut main_len = 0;
        let mut new_len = 0;
        let mut line = VecDeque::with_capacity(main.len());
        for (entry, slot) in main {
            if entry < entries && !in_main[entry] {
                in_main[entry] = true;
                main_len += 1;
                new_len += usize::from(slot == Slot::New);
                line.push_back((entry, slot));
            }
        }
        let mut live = Live {
            key,
            main: line,
            in_main,
            main_len,
            new_len,
            heap: BinaryHeap::new(),
            learning: HashMap::new(),
            last: None,
            siblings,
        };
        for (due, entry) in learning {
            live.set_learning(entry, Some(due));
        }
        live
    }

    fn set_learning(&mut self, entry: usize, due: Option<i64>) {
        match due {
            Some(due) => {
                self.learning.insert(entry, due);
                self.heap.push(Reverse((due, entry)));
            }
            None => {
                self.learning.remove(&entry);
            }
        }
    }

    fn remove_from_main(&mut self, entry: usize) {
        if !self.in_main.get(entry).copied().unwrap_or(false) {
            return;
        }
        self.in_main[entry] = false;
        self.main_len -= 1;
        // The line holds today's cards only (a few hundred at most).
        if let Some(pos) = self.main.iter().position(|e| e.0 == entry) {
            self.new_len -= usize::from(self.main[pos].1 == Slot::New);
            self.main.remove(pos);
        }
    }

    /// Drops removed entries and stale heap items from the fronts.
    fn tidy(&mut self) {
        while let Some(&(entry, _)) = self.main.front() {
            if self.in_main[entry] {
                break;
            }
            self.main.pop_front();
        }
        while let Some(&Reverse((due, entry))) = self.heap.peek() {
            if self.learning.get(&entry) == Some(&due) {
                break;
            }
            self.heap.pop();
        }
    }

    /// The next card at `now`: a learning card already due, then the main
    /// line, then a learning card due within the learn-ahead window.
    pub fn next(&mut self, now: i64) -> Option<Next> {
        self.tidy();
        // The card shown is one of those remaining, even when ahead of time.
        let remaining = self.remaining(now).max(1);
        if let Some(&Reverse((due, entry))) = self.heap.peek() {
            // The card just answered (failed) is not shown again at once
            // while another card waits.
            let just_answered = self.last == Some(entry) && !self.main.is_empty();
            if due <= now && !just_answered {
                return Some(Next {
                    entry,
                    slot: Slot::Learning,
                    remaining,
                });
            }
        }
        if !self.main.is_empty() {
            self.space_siblings();
            let (entry, slot) = self.main[0];
            return Some(Next {
                entry,
                slot,
                remaining,
            });
        }
        match self.heap.peek() {
            Some(&Reverse((due, entry))) if due <= now + LEARN_AHEAD_SECS => Some(Next {
                entry,
                slot: Slot::Learning,
                remaining,
            }),
            _ => None,
        }
    }

    /// Moves forward the first card near the front that does not overlap
    /// the card just answered, if the front one does.
    fn space_siblings(&mut self) {
        let Some(last) = self.last else {
            return;
        };
        if !self.siblings.related(last, self.main[0].0) {
            return;
        }
        let found = self
            .main
            .iter()
            .take(SIBLING_LOOKAHEAD)
            .position(|&(e, _)| self.in_main[e] && !self.siblings.related(last, e));
        if let Some(pos) = found
            && let Some(item) = self.main.remove(pos)
        {
            self.main.push_front(item);
        }
    }

    /// Cards waiting at `now`: the main line and learning cards already
    /// due. A learning card shown ahead of time is not counted, so "还剩 N"
    /// counts down as cards are answered.
    pub fn remaining(&self, now: i64) -> usize {
        self.main_len + self.learning.values().filter(|&&due| due <= now).count()
    }

    /// (due or learning, new) at `now`, for the header line.
    pub fn counts(&self, now: i64) -> (usize, usize) {
        (self.remaining(now) - self.new_len, self.new_len)
    }

    /// A card was rated: it leaves the main line unless `stays` (a mistake
    /// still wrong), and waits in the heap if it is now learning (due
    /// today).
    /// A new card rated from outside the line still uses up one of the
    /// day's new cards (`was_new`): the last one chosen drops out.
    pub fn answered(
        &mut self,
        entry: usize,
        stays: bool,
        learning_due: Option<i64>,
        was_new: bool,
    ) {
        let queued = self.in_main.get(entry).copied().unwrap_or(false);
        if was_new
            && !queued
            && let Some(pos) = self
                .main
                .iter()
                .rposition(|&(e, s)| s == Slot::New && self.in_main[e])
        {
            let (last_new, _) = self.main[pos];
            self.remove_from_main(last_new);
        }
        if stays {
            self.behind_next(entry);
        } else {
            self.remove_from_main(entry);
        }
        self.set_learning(entry, learning_due);
        self.last = Some(entry);
    }

    /// Keeps at most `room` new cards waiting: the day's allowance is the
    /// learner's, and other sessions of the same learner may have used
    /// some of it since this line was built. The last chosen drop out.
    pub fn limit_new(&mut self, room: usize) {
        while self.new_len > room {
            let Some(pos) = self
                .main
                .iter()
                .rposition(|&(e, s)| s == Slot::New && self.in_main[e])
            else {
                break;
            };
            let (last_new, _) = self.main[pos];
            self.remove_from_main(last_new);
        }
    }

    /// Moves a card that stays in the main line (a mistake still wrong)
    /// behind the next waiting card, so it is not asked again at once.
    fn behind_next(&mut self, entry: usize) {
        let Some(pos) = self.main.iter().position(|&(e, _)| e == entry) else {
            return;
        };
        let Some(item) = self.main.remove(pos) else {
            return;
        };
        let after = self
            .main
            .iter()
            .enumerate()
            .skip(pos)
            .find(|&(_, &(e, _))| self.in_main.get(e).copied().unwrap_or(false))
            .map_or(self.main.len(), |(i, _)| i + 1);
        self.main.insert(after, item);
    }

    /// A card was skipped (buried): it leaves the queue.
    pub fn remove(&mut self, entry: usize) {
        self.remove_from_main(entry);
        self.set_learning(entry, None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> jiff::civil::Date {
        jiff::civil::date(2026, 3, 1)
    }

    #[test]
    fn learning_due_first_then_the_line_then_learning_ahead() {
        let main = vec![(0, Slot::Review), (1, Slot::New), (2, Slot::Review)];
        let mut q = Live::new(
            (day(), 20, 200),
            main,
            vec![(1000, 5), (500, 6)],
            10,
            Siblings::default(),
        );
        // At 600 card 6 is due; card 5 is within the learn-ahead window
        // but not counted as waiting yet.
        assert_eq!(
            q.next(600),
            Some(Next {
                entry: 6,
                slot: Slot::Learning,
                remaining: 4
            })
        );
        assert_eq!(q.counts(600), (3, 1));
        q.answered(6, false, Some(100_000), false);
        assert_eq!(q.next(600).map(|n| n.entry), Some(0));
        q.answered(0, false, None, false);
        q.answered(1, false, Some(700), false);
        assert_eq!(
            q.counts(600),
            (1, 0),
            "card 2 waiting; 1 and 5 learning, not yet due"
        );
        assert_eq!(q.next(600).map(|n| n.entry), Some(2));
        q.answered(2, false, None, false);
        assert_eq!(q.next(600).map(|n| n.entry), Some(1), "learning ahead");
        q.answered(1, false, None, false);
        q.answered(5, false, None, false);
        assert_eq!(q.next(600), None, "card 6 is due far later");
        assert_eq!(q.next(100_000).map(|n| n.entry), Some(6));
    }

    /// A new card rated from outside the line (found by search, say) uses
    /// up one of the day's new cards: the last new card chosen drops out,
    /// never a review.
    #[test]
    fn a_new_card_rated_from_outside_drops_the_last_new_one() {
        let main = vec![
            (0, Slot::Review),
            (1, Slot::New),
            (2, Slot::New),
            (3, Slot::Review),
        ];
        let mut q = Live::new((day(), 20, 200), main, Vec::new(), 6, Siblings::default());
        assert_eq!(q.counts(0), (2, 2));
        q.answered(5, false, None, true);
        assert_eq!(q.counts(0), (2, 1));
        let mut shown = Vec::new();
        while let Some(n) = q.next(0) {
            shown.push(n.entry);
            q.answered(n.entry, false, None, false);
        }
        assert_eq!(shown, [0, 1, 3]);
    }

    #[test]
    fn removed_cards_and_mistakes_that_stay() {
        let main = vec![(3, Slot::Mistake), (4, Slot::New), (5, Slot::New)];
        let mut q = Live::new((day(), 20, 200), main, Vec::new(), 6, Siblings::default());
        q.answered(3, true, None, false);
        assert_eq!(
            q.next(0).map(|n| n.entry),
            Some(4),
            "a mistake still wrong waits behind the next card"
        );
        q.answered(4, false, None, false);
        assert_eq!(q.next(0).map(|n| n.entry), Some(3), "and then comes back");
        q.answered(3, false, None, false);
        q.remove(5);
        assert_eq!(q.counts(0), (0, 0));
        assert_eq!(q.next(0), None);
    }

    #[test]
    fn a_sibling_of_the_card_just_answered_waits_one_turn() {
        let main = vec![(0, Slot::New), (1, Slot::New), (2, Slot::New)];
        let siblings = Siblings::from_pairs(&[(0, 1)]);
        let mut q = Live::new((day(), 20, 200), main, Vec::new(), 3, siblings);
        q.answered(0, false, None, false);
        assert_eq!(q.next(0).map(|n| n.entry), Some(2));
        q.answered(2, false, None, false);
        assert_eq!(q.next(0).map(|n| n.entry), Some(1));
    }

    #[test]
    fn new_cards_beyond_the_room_left_drop_out_last_first() {
        let main = vec![
            (0, Slot::New),
            (1, Slot::Review),
            (2, Slot::New),
            (3, Slot::New),
        ];
        let mut live = Live::new((day(), 20, 200), main, Vec::new(), 4, Siblings::default());
        live.limit_new(1);
        assert_eq!(live.counts(0), (1, 1));
        assert_eq!(live.next(0).map(|n| n.entry), Some(0));
        live.limit_new(0);
        assert_eq!(live.counts(0), (1, 0));
    }
}
