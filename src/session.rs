//! A study session without a terminal: which card comes next, recording a
//! rating (committed before the next card), undo, skip, and the running
//! tally. The REPL drives it; tests drive it directly. Time always comes in
//! as a [`Clock`].

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use crate::clock::Clock;
use crate::deck::{Card, Deck, Kind, Library};
use crate::error::Result;
use crate::grade::Verdict;
use crate::schedule::live::Live;
use crate::schedule::queue::{self, Candidate, Limits, Slot};
use crate::schedule::siblings::{self, NewCard, Siblings};
use crate::schedule::{Phase, Rating, Scheduler};
use crate::store::{Brief, CardRow, LearnerRow, NewReview, Recorded, Store, place_briefs};

mod start;

pub use start::{Entry, LearnerMarks, Start, entries};

/// Which cards a session or quiz draws from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardFilter {
    pub decks: Vec<String>,
    pub tags: Vec<String>,
    pub kinds: Vec<Kind>,
}

impl CardFilter {
    pub fn matches(&self, deck: &Deck, card: &Card) -> bool {
        (self.decks.is_empty() || self.decks.contains(&deck.id))
            && (self.kinds.is_empty() || self.kinds.contains(&card.kind()))
            && (self.tags.is_empty()
                || self
                    .tags
                    .iter()
                    .any(|t| card.tags.contains(t) || deck.tags.contains(t)))
    }

    pub fn is_empty(&self) -> bool {
        self.decks.is_empty() && self.tags.is_empty() && self.kinds.is_empty()
    }

    /// "全部", or the filter in words, for the header line.
    pub fn describe(&self, library: &Library) -> String {
        if self.is_empty() {
            return "全部".to_owned();
        }
        let mut parts = Vec::new();
        if !self.decks.is_empty() {
            let titles: Vec<&str> = self
                .decks
                .iter()
                .map(|id| library.deck(id).map_or(id.as_str(), |d| d.title.as_str()))
                .collect();
            parts.push(titles.join("、"));
        }
        if !self.tags.is_empty() {
            parts.push(format!("标签 {}", self.tags.join("、")));
        }
        if !self.kinds.is_empty() {
            parts.push(
                self.kinds
                    .iter()
                    .map(|k| k.label())
                    .collect::<Vec<_>>()
                    .join("、"),
            );
        }
        parts.join("；")
    }
}

/// What one rating changed, so it can be undone.
struct Undo {
    review_id: i64,
    entry: usize,
    previous: Option<CardRow>,
    right: bool,
    /// A 错题本 card counted as one of today's reviews.
    counted_as_review: bool,
}

/// Counts for the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub answered: u32,
    pub right: u32,
}

/// The card to show next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Turn {
    pub entry: usize,
    pub slot: Slot,
    /// Cards in the queue, this one included.
    pub remaining: usize,
}

pub struct Study<'a> {
    pub library: &'a Library,
    store: &'a mut Store,
    pub learner: LearnerRow,
    pub sched: Scheduler,
    pub entries: Vec<Entry>,
    /// Each entry's stored state in brief (`rows[i]` is `entries[i]`'s),
    /// none for a card never studied.
    rows: Vec<Option<Brief>>,
    /// The whole stored row of the card looked at last, read when needed.
    full: RefCell<Option<(usize, Option<CardRow>)>>,
    mistakes: HashSet<String>,
    only_mistakes: bool,
    pub limits: Limits,
    /// The study day `limits` counts for; a session that runs past the
    /// 04:00 rollover starts the new day's limits afresh.
    limits_day: jiff::civil::Date,
    /// The session's row, written with the first rating: a start that
    /// answers nothing writes nothing.
    /// The store's handle for this session: its row is written with the
    /// first answer, so a session that answers nothing writes nothing.
    session_id: i64,
    undo: Vec<Undo>,
    pub tally: Tally,
    /// 错题本 cards rated this session that count as reviews on that day
    /// (the review log counts only cards that were in review).
    mistake_reviews: (jiff::civil::Date, u32),
    /// The card rated last: not shown again at once while others wait.
    last_rated: Option<usize>,
    /// Cards the learner flagged.
    flagged: HashSet<String>,
    /// Cards suspended during this session.
    suspended_now: HashSet<String>,
    /// Cards left out because the learner suspended them.
    pub suspended_count: usize,
    /// The queue, built at the first look and updated on each rating
    /// (rebuilt after an undo, at the day's rollover or on new limits).
    live: RefCell<Option<Live<'a>>>,
}

/// Why the queue is empty, for the message that ends a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Empty {
    /// Today's new-card allowance is used up and `left` new cards wait.
    NewLimit { limit: u32, left: usize },
    /// Today's review allowance is used up and `left` reviews are due.
    ReviewLimit { limit: u32, left: usize },
    /// Nothing is due; the next card is due at this time (if any).
    NothingDue { next: Option<i64>, buried: usize },
}

impl<'a> Study<'a> {
    /// Whether this session studies only the learner's 错题本.
    pub fn only_mistakes(&self) -> bool {
        self.only_mistakes
    }

    pub fn new(
        library: &'a Library,
        store: &'a mut Store,
        learner: LearnerRow,
        sched: Scheduler,
        filter: &CardFilter,
        only_mistakes: bool,
        clock: &Clock,
    ) -> Result<Study<'a>> {
        let start = Start::new(entries(library, filter));
        Study::start(library, store, learner, sched, start, only_mistakes, clock)
    }

    /// [`Study::new`] from cards listed and states read beforehand (see
    /// [`Start`]).
    pub fn start(
        library: &'a Library,
        store: &'a mut Store,
        learner: LearnerRow,
        sched: Scheduler,
        start: Start,
        only_mistakes: bool,
        clock: &Clock,
    ) -> Result<Study<'a>> {
        let Start {
            mut entries,
            places,
            rows: listed,
            marks,
        } = start;
        let LearnerMarks {
            mistakes,
            suspended,
            flagged,
            done: (new_done, reviews_done),
            ..
        } = match marks.filter(|m| m.day == clock.today()) {
            Some(marks) => marks,
            None => LearnerMarks::read(store, learner.id, clock)?,
        };
        let session_id = store.start_session(learner.id, "study", clock.secs())?;
        // States are placed by the cards as listed, then both lists are
        // narrowed together.
        let mut rows = Vec::with_capacity(entries.len());
        crate::cachefile::prefault(rows.spare_capacity_mut());
        rows.resize(entries.len(), None);
        let key_at = |i: usize| entries.get(i).map(|e| e.key.as_str());
        match &listed {
            Some(list) => place_briefs(list, &places, key_at, &mut rows),
            None => store.card_briefs_into(learner.id, &places, key_at, &mut rows)?,
        }
        drop(places);
        // Suspended cards are counted among those --mistakes lets through.
        let mut suspended_count = 0;
        if only_mistakes || !suspended.is_empty() {
            let kept: Vec<bool> = entries
                .iter()
                .map(|e| {
                    if only_mistakes && !mistakes.contains(e.key.as_str()) {
                        false
                    } else if suspended.contains(e.key.as_str()) {
                        suspended_count += 1;
                        false
                    } else {
                        true
                    }
                })
                .collect();
            let mut flags = kept.iter();
            rows.retain(|_| flags.next().copied().unwrap_or(false));
            let mut flags = kept.iter();
            entries.retain(|_| flags.next().copied().unwrap_or(false));
        }
        Ok(Study {
            library,
            store,
            learner,
            sched,
            entries,
            rows,
            full: RefCell::new(None),
            mistakes,
            only_mistakes,
            limits: Limits {
                new_done_today: new_done,
                reviews_done_today: reviews_done,
                ..Limits::default()
            },
            limits_day: clock.today(),
            mistake_reviews: (clock.today(), 0),
            session_id,
            undo: Vec::new(),
            tally: Tally::default(),
            last_rated: None,
            flagged,
            suspended_now: HashSet::new(),
            suspended_count,
            live: RefCell::new(None),
        })
    }

    /// Today's limits, reset when the study day has rolled over.
    fn limits_on(&self, clock: &Clock) -> Limits {
        if clock.today() == self.limits_day {
            self.limits
        } else {
            Limits {
                new_done_today: 0,
                reviews_done_today: 0,
                ..self.limits
            }
        }
    }

    pub fn deck(&self, entry: usize) -> &'a Deck {
        &self.library.decks[self.entries[entry].deck]
    }

    pub fn card(&self, entry: usize) -> &'a Card {
        &self.deck(entry).cards[self.entries[entry].card]
    }

    /// The card's whole stored state (read from the store once per card
    /// shown: the start reads only briefs).
    pub fn row(&self, entry: usize) -> Result<Option<CardRow>> {
        if let Some((at, row)) = self.full.borrow().as_ref()
            && *at == entry
        {
            return Ok(row.clone());
        }
        let row = match self.brief(entry) {
            Some(_) => self
                .store
                .card_row(self.learner.id, &self.entries[entry].key)?,
            None => None,
        };
        *self.full.borrow_mut() = Some((entry, row.clone()));
        Ok(row)
    }

    fn brief(&self, entry: usize) -> Option<&Brief> {
        self.rows.get(entry).and_then(Option::as_ref)
    }

    /// Sets an entry's state after this session changed it.
    fn set_row(&mut self, entry: usize, row: Option<CardRow>) {
        self.rows[entry] = row.as_ref().map(Brief::of);
        *self.full.get_mut() = Some((entry, row));
    }

    /// The card's content hash, computed when needed (not for every card
    /// at the start).
    fn hash(&self, entry: usize) -> String {
        self.card(entry).content_hash()
    }

    /// Whether the card changed since it was last studied.
    pub fn changed(&self, entry: usize) -> Result<bool> {
        Ok(self
            .row(entry)?
            .is_some_and(|r| r.state.phase != Phase::New && r.content_hash != self.hash(entry)))
    }

    /// Builds the queue: one pass over every card. Mistakes from quizzes
    /// and contests come first, whatever the daily limits; then reviews
    /// with today's new cards spread through them, chosen across decks and
    /// kinds and never a sibling of a card studied, due or chosen today.
    fn build_queue(&self, clock: &Clock) -> Live<'a> {
        let now = clock.secs();
        let limits = self.limits_on(clock);
        let key = (clock.today(), limits.new_per_day, limits.reviews_per_day);
        let is_mistake = |e: &Entry| self.mistakes.contains(e.key.as_str());
        let mut main: Vec<(usize, Slot)> = self
            .entries
            .iter()
            .enumerate()
            .filter(|&(i, e)| {
                is_mistake(e)
                    && self
                        .brief(i)
                        .is_none_or(|r| r.buried_until.is_none_or(|u| u <= now))
            })
            .map(|(i, _)| (i, Slot::Mistake))
            .collect();
        // The 错题本 counts against today's review allowance.
        main.truncate(
            limits
                .reviews_per_day
                .saturating_sub(limits.reviews_done_today) as usize,
        );
        if self.only_mistakes {
            return Live::new(
                key,
                main,
                Vec::new(),
                self.entries.len(),
                Siblings::default(),
            );
        }
        let day_start = clock.day_start(clock.today());
        let mut studied_today = Vec::new();
        let cands = self.entries.iter().enumerate().map(|(i, e)| {
            let brief = self.brief(i);
            if brief.is_some_and(|r| r.last_review.is_some_and(|t| t >= day_start)) {
                studied_today.push(i);
            }
            Candidate {
                state: brief.map(Brief::ordering_state),
                // Mistakes are already queued above.
                buried_until: if is_mistake(e) || self.suspended_now.contains(e.key.as_str()) {
                    Some(i64::MAX)
                } else {
                    brief.and_then(|r| r.buried_until)
                },
            }
        });
        let parts = queue::split(cands, &self.sched, clock, &limits);
        // New cards looked at: the first few of each deck, enough to fill
        // the day's room after siblings are passed over.
        let per_deck = parts.new_room * 4 + 8;
        let mut seen: HashMap<usize, usize> = HashMap::new();
        let window: Vec<NewCard> = parts
            .new
            .iter()
            .filter(|&&i| {
                let n = seen.entry(self.entries[i].deck).or_default();
                *n += 1;
                *n <= per_deck
            })
            .map(|&i| NewCard {
                entry: i,
                group: self.entries[i].deck,
                kind: self.card(i).kind(),
            })
            .collect();
        let blocked: HashSet<usize> = parts
            .reviews
            .iter()
            .copied()
            .chain(parts.learning.iter().map(|&(_, i)| i))
            .chain(studied_today.iter().copied())
            .chain(main.iter().map(|&(i, _)| i))
            .collect();
        let today = blocked
            .iter()
            .copied()
            .chain(window.iter().map(|c| c.entry));
        let cited = today.filter_map(|i| self.card(i).source.as_ref().map(|c| (i, c)));
        // With no new card to choose, only the cards shown one after the
        // other are ever compared: no index of every card due today.
        let siblings = if window.is_empty() || parts.new_room == 0 {
            Siblings::lazy(cited)
        } else {
            Siblings::build(cited)
        };
        let new = siblings::order_new(&window, parts.new_room, &siblings, &blocked);
        main.extend(queue::main_order(parts.reviews, new));
        Live::new(key, main, parts.learning, self.entries.len(), siblings)
    }

    /// Runs `f` on the queue, building it first if there is none yet or
    /// it was built for another day or other limits.
    fn with_queue<T>(&self, clock: &Clock, f: impl FnOnce(&mut Live<'a>) -> T) -> T {
        let limits = self.limits_on(clock);
        let key = (clock.today(), limits.new_per_day, limits.reviews_per_day);
        let mut live = self.live.borrow_mut();
        match live.as_mut() {
            Some(q) if q.key == key => f(q),
            _ => f(live.insert(self.build_queue(clock))),
        }
    }

    /// The next card. The card just rated is not shown again at once
    /// while another waits; `remaining` counts the cards due now (cards
    /// shown ahead of time are not counted), so it counts down.
    pub fn next(&self, clock: &Clock) -> Option<Turn> {
        self.with_queue(clock, |q| q.next(clock.secs()))
            .map(|n| Turn {
                entry: n.entry,
                slot: n.slot,
                remaining: n.remaining,
            })
    }

    /// Why nothing is left to study now.
    pub fn why_empty(&self, clock: &Clock) -> Empty {
        let now = clock.secs();
        let limits = self.limits_on(clock);
        let all = || self.entries.iter().zip(&self.rows);
        type Pair<'e> = (&'e Entry, &'e Option<Brief>);
        let unburied = |(e, row): &Pair<'_>| {
            !self.suspended_now.contains(e.key.as_str())
                && row
                    .as_ref()
                    .is_none_or(|r| r.buried_until.is_none_or(|u| u <= now))
        };
        let is_new = |(_, row): &Pair<'_>| row.as_ref().is_none_or(|r| r.phase == Phase::New);
        let new_left = all().filter(unburied).filter(is_new).count();
        // New cards skipped or suspended today used up their place in the
        // day's allowance: they are not replaced by others.
        let set_aside = all().filter(|p| !unburied(p)).filter(is_new).count();
        let used = limits.new_done_today as usize + set_aside;
        if !self.only_mistakes && new_left > 0 && used >= limits.new_per_day as usize {
            return Empty::NewLimit {
                limit: limits.new_per_day,
                left: new_left,
            };
        }
        let end_of_day = clock.end_of_today();
        let reviews_left = all()
            .filter(unburied)
            .filter(|(e, row)| {
                self.mistakes.contains(e.key.as_str())
                    || (!self.only_mistakes
                        && row
                            .as_ref()
                            .is_some_and(|r| r.phase == Phase::Review && r.due < end_of_day))
            })
            .count();
        if reviews_left > 0 && limits.reviews_done_today >= limits.reviews_per_day {
            return Empty::ReviewLimit {
                limit: limits.reviews_per_day,
                left: reviews_left,
            };
        }
        let buried = all()
            .filter(|p| !unburied(p) && !self.suspended_now.contains(p.0.key.as_str()))
            .count();
        Empty::NothingDue {
            next: self.next_due(clock),
            buried,
        }
    }

    /// When the card would next be due after each rating, for the preview
    /// on the rating prompt. Nothing is recorded.
    pub fn preview(&self, entry: usize, clock: &Clock) -> Result<Vec<(Rating, i64)>> {
        let key = &self.entries[entry].key;
        let row = self.row(entry)?;
        let prev = row.as_ref().map(|r| &r.state);
        Rating::ALL
            .into_iter()
            .map(|rating| Ok((rating, self.sched.review(key, prev, rating, clock)?.due)))
            .collect()
    }

    pub fn is_flagged(&self, entry: usize) -> bool {
        self.flagged.contains(self.entries[entry].key.as_str())
    }

    /// Flags or unflags a card; returns whether it is flagged now.
    pub fn toggle_flag(&mut self, entry: usize) -> Result<bool> {
        let key = self.entries[entry].key.to_string();
        let flag = !self.flagged.contains(&key);
        self.store
            .set_marks(self.learner.id, &key, None, Some(flag))?;
        if flag {
            self.flagged.insert(key);
        } else {
            self.flagged.remove(&key);
        }
        Ok(flag)
    }

    /// Suspends a card: it is left out of study until resumed with
    /// `dangke cards --resume`.
    pub fn suspend(&mut self, entry: usize) -> Result<()> {
        let key = self.entries[entry].key.to_string();
        self.store
            .set_marks(self.learner.id, &key, Some(true), None)?;
        self.mistakes.remove(&key);
        self.suspended_now.insert(key);
        self.suspended_count += 1;
        // It leaves the queue like a skipped card: the day's room for new
        // cards is not filled again, so "还剩 N" counts down.
        if let Some(q) = self.live.get_mut() {
            q.remove(entry);
        }
        Ok(())
    }

    /// (due today, new still allowed today) for the header line.
    pub fn counts(&self, clock: &Clock) -> (usize, usize) {
        self.with_queue(clock, |q| q.counts(clock.secs()))
    }

    /// Schedules and records a rating in one transaction, before anything
    /// else happens.
    pub fn rate(
        &mut self,
        entry: usize,
        verdict: &Verdict,
        rating: Rating,
        response_ms: i64,
        clock: &Clock,
    ) -> Result<()> {
        let key = self.entries[entry].key.to_string();
        let hash = self.hash(entry);
        let mut previous = self.row(entry)?;
        // Another session of the same learner may have rated this card
        // since it was read: the store writes only if the state is still
        // the one the rating was computed from, else it is recomputed.
        let mut attempts = 0;
        let (review_id, state) = loop {
            attempts += 1;
            let prev_state = previous.as_ref().map(|r| &r.state);
            let phase_before = prev_state.map_or(Phase::New, |s| s.phase);
            let state = self.sched.review(&key, prev_state, rating, clock)?;
            let recorded = self.store.record_review_if(
                &NewReview {
                    learner_id: self.learner.id,
                    card_key: &key,
                    session_id: Some(self.session_id),
                    at: clock.secs(),
                    rating,
                    verdict: verdict.outcome,
                    score: verdict.score,
                    response_ms,
                    mode: "study",
                    phase_before,
                    content_hash: &hash,
                },
                &state,
                // Never lose the answer to a state that keeps changing.
                if attempts > 5 { None } else { Some(prev_state) },
            )?;
            match recorded {
                Recorded::Done(id) => break (id, state),
                Recorded::Stale(current) => previous = current,
            }
        };
        // Daily limits are the learner's, shared with other sessions.
        let (new_done, reviews_done) = self
            .store
            .done_since(self.learner.id, clock.day_start(clock.today()))?;
        self.limits = self.limits_on(clock);
        self.limits_day = clock.today();
        // A card from the 错题本 counts as a review for today's limit.
        let phase_before = previous.as_ref().map_or(Phase::New, |r| r.state.phase);
        let counted_as_review = self.mistakes.contains(&key) && phase_before != Phase::Review;
        if counted_as_review {
            self.mistake_reviews = match self.mistake_reviews {
                (day, n) if day == clock.today() => (day, n + 1),
                _ => (clock.today(), 1),
            };
        }
        let mistake_reviews = match self.mistake_reviews {
            (day, n) if day == clock.today() => n,
            _ => 0,
        };
        self.limits.new_done_today = new_done;
        self.limits.reviews_done_today = reviews_done + mistake_reviews;
        let right = rating >= Rating::Good;
        if right {
            self.mistakes.remove(&key);
        }
        self.last_rated = Some(entry);
        let stays = self.mistakes.contains(&key);
        let learning = matches!(state.phase, Phase::Learning | Phase::Relearning);
        let learning_due = (learning && !stays && !self.only_mistakes).then_some(state.due);
        if let Some(q) = self.live.get_mut() {
            q.answered(entry, stays, learning_due, phase_before == Phase::New);
            // Other sessions of this learner count against the same
            // allowance (new_done_today was just read from the store).
            q.limit_new(
                self.limits
                    .new_per_day
                    .saturating_sub(self.limits.new_done_today) as usize,
            );
        }
        self.set_row(
            entry,
            Some(CardRow {
                state,
                content_hash: hash,
                buried_until: None,
            }),
        );
        self.tally.answered += 1;
        self.tally.right += u32::from(verdict.outcome.is_right());
        self.undo.push(Undo {
            review_id,
            entry,
            previous,
            right: verdict.outcome.is_right(),
            counted_as_review,
        });
        Ok(())
    }

    /// Takes back the last rating; returns the card it belonged to.
    pub fn undo(&mut self) -> Result<Option<usize>> {
        let Some(last) = self.undo.pop() else {
            return Ok(None);
        };
        let key = self.entries[last.entry].key.to_string();
        self.store.undo_review(
            self.learner.id,
            last.review_id,
            &key,
            last.previous.as_ref(),
        )?;
        let phase_before = last.previous.as_ref().map_or(Phase::New, |r| r.state.phase);
        match phase_before {
            Phase::New => self.limits.new_done_today = self.limits.new_done_today.saturating_sub(1),
            Phase::Review => {
                self.limits.reviews_done_today = self.limits.reviews_done_today.saturating_sub(1)
            }
            _ => {}
        }
        if last.counted_as_review {
            self.limits.reviews_done_today = self.limits.reviews_done_today.saturating_sub(1);
            self.mistake_reviews.1 = self.mistake_reviews.1.saturating_sub(1);
        }
        self.set_row(last.entry, last.previous);
        // A mistake that was cleared by this rating is a mistake again.
        self.mistakes = self.store.mistakes(self.learner.id)?;
        *self.live.get_mut() = None;
        self.tally.answered = self.tally.answered.saturating_sub(1);
        self.tally.right = self.tally.right.saturating_sub(u32::from(last.right));
        self.last_rated = None;
        Ok(Some(last.entry))
    }

    /// Buries a card until the next study day.
    pub fn skip(&mut self, entry: usize, clock: &Clock) -> Result<()> {
        let key = self.entries[entry].key.to_string();
        let until = clock.end_of_today();
        let hash = self.hash(entry);
        let now = clock.secs();
        let mut row = self
            .row(entry)?
            .unwrap_or_else(|| CardRow::unseen(now, &hash));
        self.store
            .bury(self.learner.id, &key, until, Some(&row), &hash, now)?;
        row.buried_until = Some(until);
        self.set_row(entry, Some(row));
        self.mistakes.remove(&key);
        if let Some(q) = self.live.get_mut() {
            q.remove(entry);
        }
        Ok(())
    }

    /// The earliest due time among studied cards after now, for the summary.
    pub fn next_due(&self, clock: &Clock) -> Option<i64> {
        let now = clock.secs();
        self.rows
            .iter()
            .flatten()
            .filter(|r| r.phase != Phase::New)
            .map(|r| r.due.max(r.buried_until.unwrap_or(0)))
            .filter(|&due| due > now)
            .min()
    }

    /// When the next card is due for the summary: now when a studied card
    /// (or a 错题本 card) is already due and neither skipped nor
    /// suspended, else [`Study::next_due`].
    pub fn next_due_or_now(&self, clock: &Clock) -> Option<i64> {
        let now = clock.secs();
        let due_now = self.entries.iter().zip(&self.rows).any(|(e, row)| {
            if self.suspended_now.contains(e.key.as_str()) {
                return false;
            }
            let row = row.as_ref();
            if row.is_some_and(|r| r.buried_until.is_some_and(|u| u > now)) {
                return false;
            }
            self.mistakes.contains(e.key.as_str())
                || row.is_some_and(|r| r.phase != Phase::New && r.due <= now)
        });
        if due_now {
            Some(now)
        } else {
            self.next_due(clock)
        }
    }

    pub fn finish(&mut self, clock: &Clock) -> Result<()> {
        self.store.end_session(self.session_id, clock.secs())?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
