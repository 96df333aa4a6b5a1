//! The study session against an in-memory store and the shipped decks.

use jiff::tz::TimeZone;

use super::*;
use crate::clock::parse_now;
use crate::grade::{Outcome, grade};
use crate::schedule::Settings;

mod undo_phases;

fn clock(at: &str) -> Clock {
    Clock::new(
        parse_now(at).unwrap(),
        TimeZone::get("Asia/Shanghai").unwrap(),
    )
}

fn library() -> Library {
    Library::load(&[]).expect("shipped decks").0
}

fn study<'a>(
    library: &'a Library,
    store: &'a mut Store,
    filter: &CardFilter,
    mistakes: bool,
    c: &Clock,
) -> Study<'a> {
    let learner = store.learner("测试", 0).unwrap();
    let sched = Scheduler::new(None, Settings::default()).unwrap();
    Study::new(library, store, learner, sched, filter, mistakes, c).unwrap()
}

fn right_verdict() -> Verdict {
    let lib = library();
    grade(&lib.decks[0].cards[0], "").clone().into_right()
}

trait IntoRight {
    fn into_right(self) -> Verdict;
}

impl IntoRight for Verdict {
    fn into_right(mut self) -> Verdict {
        self.outcome = Outcome::Correct;
        self.score = 1.0;
        self
    }
}

#[test]
fn a_fresh_learner_starts_with_new_cards_in_deck_order_up_to_the_limit() {
    let lib = library();
    let mut store = Store::open_in_memory().unwrap();
    let c = clock("2026-03-01T09:00:00+08:00");
    let s = study(&lib, &mut store, &CardFilter::default(), false, &c);
    let turn = s.next(&c).unwrap();
    assert_eq!(turn.slot, Slot::New);
    assert_eq!(turn.entry, 0);
    assert_eq!(s.counts(&c), (0, 20));
}

#[test]
fn a_rating_is_stored_at_once_and_undo_takes_it_back() {
    let lib = library();
    let mut store = Store::open_in_memory().unwrap();
    let c = clock("2026-03-01T09:00:00+08:00");
    let verdict = right_verdict();
    {
        let mut s = study(&lib, &mut store, &CardFilter::default(), false, &c);
        let first = s.next(&c).unwrap().entry;
        s.rate(first, &verdict, Rating::Good, 3000, &c).unwrap();
        assert_ne!(
            s.next(&c).unwrap().entry,
            first,
            "the rated card moved on to its next step"
        );
        assert_eq!(
            s.tally,
            Tally {
                answered: 1,
                right: 1
            }
        );
        assert_eq!(s.undo().unwrap(), Some(first));
        assert_eq!(
            s.next(&c).unwrap().entry,
            first,
            "undone: the card is first again"
        );
        assert_eq!(s.tally, Tally::default());
        assert_eq!(s.undo().unwrap(), None);
        s.rate(first, &verdict, Rating::Easy, 3000, &c).unwrap();
    }
    let learner = store.learner("测试", 0).unwrap();
    assert_eq!(store.review_count(learner.id).unwrap(), 1);
    assert_eq!(store.card_rows(learner.id).unwrap().len(), 1);
}

#[test]
fn the_daily_new_card_limit_holds_across_sessions() {
    let lib = library();
    let mut store = Store::open_in_memory().unwrap();
    let c = clock("2026-03-01T09:00:00+08:00");
    let verdict = right_verdict();
    {
        let mut s = study(&lib, &mut store, &CardFilter::default(), false, &c);
        for _ in 0..20 {
            let turn = s.next(&c).unwrap();
            assert_eq!(turn.slot, Slot::New);
            s.rate(turn.entry, &verdict, Rating::Easy, 1000, &c)
                .unwrap();
        }
        assert!(s.next(&c).is_none(), "20 new cards a day");
    }
    let s = study(&lib, &mut store, &CardFilter::default(), false, &c);
    assert!(
        s.next(&c).is_none(),
        "the limit counts what earlier sessions did today"
    );
    let tomorrow = clock("2026-03-02T09:00:00+08:00");
    assert!(s.next(&tomorrow).is_some());
}

#[test]
fn a_skipped_card_is_buried_until_the_next_study_day() {
    let lib = library();
    let mut store = Store::open_in_memory().unwrap();
    let c = clock("2026-03-01T09:00:00+08:00");
    let filter = CardFilter {
        decks: vec!["san-da-zuo-feng".to_owned()],
        ..CardFilter::default()
    };
    let mut s = study(&lib, &mut store, &filter, false, &c);
    let first = s.next(&c).unwrap().entry;
    s.skip(first, &c).unwrap();
    assert_ne!(s.next(&c).unwrap().entry, first);
    let tomorrow = clock("2026-03-02T05:00:00+08:00");
    assert_eq!(s.next(&tomorrow).unwrap().entry, first);
}

#[test]
fn quiz_mistakes_come_first_and_mistakes_mode_drills_only_them() {
    let lib = library();
    let mut store = Store::open_in_memory().unwrap();
    let c = clock("2026-03-01T09:00:00+08:00");
    let learner = store.learner("测试", 0).unwrap();
    let key = "san-da-zuo-feng/pan-duan";
    store
        .log_answer(&NewReview {
            learner_id: learner.id,
            card_key: key,
            session_id: None,
            at: c.secs() - 60,
            rating: Rating::Again,
            verdict: Outcome::Wrong,
            score: 0.0,
            response_ms: 1000,
            mode: "quiz",
            phase_before: Phase::New,
            content_hash: "x",
        })
        .unwrap();
    let verdict = right_verdict();
    {
        let s = study(&lib, &mut store, &CardFilter::default(), false, &c);
        let turn = s.next(&c).unwrap();
        assert_eq!(s.entries[turn.entry].key, key, "the mistake comes first");
    }
    let mut s = study(&lib, &mut store, &CardFilter::default(), true, &c);
    assert_eq!(s.entries.len(), 1);
    let turn = s.next(&c).unwrap();
    s.rate(turn.entry, &verdict, Rating::Good, 1000, &c)
        .unwrap();
    assert!(
        s.next(&c).is_none(),
        "a mistake answered well leaves the 错题本"
    );
}

#[test]
fn the_preview_orders_the_four_ratings_and_records_nothing() {
    let lib = library();
    let mut store = Store::open_in_memory().unwrap();
    let c = clock("2026-03-01T09:00:00+08:00");
    let s = study(&lib, &mut store, &CardFilter::default(), false, &c);
    let turn = s.next(&c).unwrap();
    let preview = s.preview(turn.entry, &c).unwrap();
    let ratings: Vec<Rating> = preview.iter().map(|p| p.0).collect();
    assert_eq!(ratings, Rating::ALL.to_vec());
    assert!(preview.windows(2).all(|w| w[0].1 <= w[1].1), "{preview:?}");
    assert_eq!(
        preview[0].1 - c.secs(),
        60,
        "重来 brings it back in a minute"
    );
    assert!(s.row(turn.entry).unwrap().is_none(), "nothing recorded");
}

#[test]
fn the_new_card_allowance_is_why_the_queue_ends_and_suspended_cards_stay_out() {
    let lib = library();
    let mut store = Store::open_in_memory().unwrap();
    let c = clock("2026-03-01T09:00:00+08:00");
    let filter = CardFilter {
        decks: vec!["wu-ge-bi-yu".to_owned()],
        ..CardFilter::default()
    };
    let mut s = study(&lib, &mut store, &filter, false, &c);
    s.limits.new_per_day = 2;
    let first = s.next(&c).unwrap();
    s.suspend(first.entry).unwrap();
    assert_ne!(s.next(&c).unwrap().entry, first.entry);
    // The suspended card used up its place in the allowance.
    for _ in 0..1 {
        let turn = s.next(&c).unwrap();
        s.rate(turn.entry, &right_verdict(), Rating::Easy, 1000, &c)
            .unwrap();
    }
    assert_eq!(s.next(&c), None);
    let total = s.entries.len();
    assert_eq!(
        s.why_empty(&c),
        Empty::NewLimit {
            limit: 2,
            left: total - 2
        }
    );
    drop(s);
    // The suspension is stored: a new session leaves the card out.
    let s = study(&lib, &mut store, &filter, false, &c);
    assert_eq!(s.suspended_count, 1);
    assert_eq!(s.entries.len(), total - 1);
}

#[test]
fn a_card_just_failed_waits_while_another_is_due() {
    let lib = library();
    let mut store = Store::open_in_memory().unwrap();
    let c = clock("2026-03-01T09:00:00+08:00");
    let mut s = study(&lib, &mut store, &CardFilter::default(), false, &c);
    let first = s.next(&c).unwrap();
    s.rate(first.entry, &right_verdict(), Rating::Again, 1000, &c)
        .unwrap();
    // Two minutes later the failed card is due again, but another waits.
    let later = clock("2026-03-01T09:02:00+08:00");
    let next = s.next(&later).unwrap();
    assert_ne!(next.entry, first.entry);
}

/// Whether two passages share a run of `n` characters (whitespace ignored),
/// checked the slow, obvious way.
fn share_run(a: &str, b: &str, n: usize) -> bool {
    let a: Vec<char> = a.chars().filter(|c| !c.is_whitespace()).collect();
    let b: String = b.chars().filter(|c| !c.is_whitespace()).collect();
    a.windows(n.min(a.len()).max(1))
        .any(|w| b.contains(&w.iter().collect::<String>()))
}

fn cite_overlap(x: &Card, y: &Card) -> bool {
    match (&x.source, &y.source) {
        (Some(a), Some(b)) if a.doc == b.doc => a.quotes.iter().any(|qa| {
            b.quotes
                .iter()
                .any(|qb| share_run(&qa.text, &qb.text, crate::schedule::siblings::OVERLAP_CHARS))
        }),
        _ => false,
    }
}

/// Issue 13.2: new cards came in file order, so one card gave the next
/// away (9 such pairs in the first 30). Now the first 30 new cards of the
/// shipped decks span decks and kinds, and none cites a passage that
/// another card introduced the same day cites (siblings are buried until
/// the next day), so no two in a row overlap either.
#[test]
fn the_first_30_new_cards_have_no_siblings_and_mix_decks_and_kinds() {
    let lib = library();
    let mut store = Store::open_in_memory().unwrap();
    let c = clock("2026-03-01T09:00:00+08:00");
    let verdict = right_verdict();
    let mut s = study(&lib, &mut store, &CardFilter::default(), false, &c);
    s.limits.new_per_day = 30;
    let mut shown: Vec<usize> = Vec::new();
    while shown.len() < 30 {
        let turn = s.next(&c).expect("30 new cards today");
        assert_eq!(turn.slot, Slot::New);
        shown.push(turn.entry);
        s.rate(turn.entry, &verdict, Rating::Easy, 1000, &c)
            .unwrap();
    }
    let cards: Vec<&Card> = shown.iter().map(|&e| s.card(e)).collect();
    for (i, a) in cards.iter().enumerate() {
        for (j, b) in cards.iter().enumerate().skip(i + 1) {
            assert!(
                !cite_overlap(a, b),
                "new cards {i} ({}) and {j} ({}) cite the same passage",
                a.prompt,
                b.prompt
            );
        }
    }
    let decks: HashSet<usize> = shown[..6].iter().map(|&e| s.entries[e].deck).collect();
    assert!(decks.len() >= 3, "the first six come from several decks");
    assert!(
        shown
            .windows(2)
            .filter(|w| s.card(w[0]).kind() == s.card(w[1]).kind())
            .count()
            < 10,
        "kinds alternate"
    );
    // A later session the same day keeps the siblings buried.
    drop(s);
    let mut s = study(&lib, &mut store, &CardFilter::default(), false, &c);
    s.limits.new_per_day = 60;
    let first = s.next(&c).expect("more new cards");
    for &e in &shown {
        assert!(!cite_overlap(s.card(first.entry), s.card(e)));
    }
}

/// Issue 14.1: a start that answers nothing writes nothing (no session
/// row, so no commit and no fsync); the first rating writes the session.
#[test]
fn a_session_row_is_written_with_the_first_rating_only() {
    let lib = library();
    let mut store = Store::open_in_memory().unwrap();
    let c = clock("2026-03-01T09:00:00+08:00");
    let sessions = |store: &Store| {
        store
            .one::<i64>("SELECT count(*) FROM sessions", [])
            .unwrap()
    };
    {
        let mut s = study(&lib, &mut store, &CardFilter::default(), false, &c);
        assert!(s.next(&c).is_some());
        s.finish(&c).unwrap();
    }
    assert_eq!(sessions(&store), Some(0));
    let verdict = right_verdict();
    {
        let mut s = study(&lib, &mut store, &CardFilter::default(), false, &c);
        let turn = s.next(&c).unwrap();
        s.rate(turn.entry, &verdict, Rating::Good, 1000, &c)
            .unwrap();
        s.finish(&c).unwrap();
    }
    assert_eq!(sessions(&store), Some(1));
}

/// Siblings due the same day are not shown one after the other while
/// another card can come between them, whether the relation is indexed up
/// front (new cards to choose) or worked out pair by pair (none).
#[test]
fn a_sibling_due_next_waits_behind_another_card() {
    let lib = library();
    let cards: Vec<(usize, usize)> = lib
        .decks
        .iter()
        .enumerate()
        .flat_map(|(d, deck)| (0..deck.cards.len()).map(move |c| (d, c)))
        .collect();
    let card = |(d, c): (usize, usize)| &lib.decks[d].cards[c];
    let (a, b) = cards
        .iter()
        .flat_map(|&x| cards.iter().map(move |&y| (x, y)))
        .find(|&(x, y)| x != y && cite_overlap(card(x), card(y)))
        .expect("the shipped decks have siblings");
    let others: Vec<(usize, usize)> = cards
        .iter()
        .copied()
        .filter(|&z| {
            card(z).source.is_some()
                && !cite_overlap(card(z), card(a))
                && !cite_overlap(card(z), card(b))
        })
        .take(3)
        .collect();
    let key = |(d, c): (usize, usize)| lib.decks[d].cards[c].key(&lib.decks[d]);
    let c = clock("2026-03-10T09:00:00+08:00");
    let now = c.secs();
    for new_per_day in [0, 20] {
        let mut store = Store::open_in_memory().unwrap();
        let learner = store.learner("测试", 0).unwrap();
        // A is the most at risk, then B, then the others: the line is A, B, ….
        for (i, &x) in [a, b].iter().chain(&others).enumerate() {
            store
                .conn()
                .execute(
                    "INSERT INTO card_states (learner_id, card_key, phase, step, stability, difficulty, due, reps, lapses, last_review, content_hash)
                     VALUES (?1, ?2, 2, 0, ?3, 5.0, ?4, 3, 0, ?5, ?6)",
                    rusqlite::params![
                        learner.id,
                        key(x),
                        1.0 + 5.0 * i as f64,
                        now - 3_600,
                        now - 20 * 86_400,
                        card(x).content_hash()
                    ],
                )
                .unwrap();
        }
        let mut s = study(&lib, &mut store, &CardFilter::default(), false, &c);
        s.limits.new_per_day = new_per_day;
        let mut shown: Vec<String> = Vec::new();
        let all: Vec<String> = [a, b].iter().chain(&others).map(|&x| key(x)).collect();
        let reviews_shown = |shown: &[String]| shown.iter().filter(|k| all.contains(k)).count();
        // Until all five were shown (new cards in between are shown too).
        while let Some(turn) = s.next(&c) {
            if shown.len() > 40 || (2 + others.len()..).contains(&reviews_shown(&shown)) {
                break;
            }
            shown.push(s.entries[turn.entry].key.to_string());
            s.rate(turn.entry, &right_verdict(), Rating::Good, 3000, &c)
                .unwrap();
        }
        assert_eq!(shown.first(), Some(&key(a)), "{new_per_day}");
        assert_ne!(shown.get(1), Some(&key(b)), "{new_per_day}: {shown:?}");
        assert!(shown.contains(&key(b)), "{new_per_day}: {shown:?}");
    }
}

/// The start places each state by the cards as listed and then leaves out
/// suspended cards (and, with --mistakes, the rest): a state must stay
/// with its own card, not slide onto the one before or after it.
#[test]
fn states_stay_with_their_cards_when_a_card_before_them_is_left_out() {
    let lib = library();
    let mut store = Store::open_in_memory().unwrap();
    let c = clock("2026-03-01T09:00:00+08:00");
    let filter = CardFilter {
        decks: vec!["wu-ge-bi-yu".to_owned()],
        ..CardFilter::default()
    };
    let mut s = study(&lib, &mut store, &filter, false, &c);
    let keys: Vec<String> = s.entries.iter().map(|e| e.key.to_string()).collect();
    assert!(keys.len() >= 4);
    // The first card suspended, the third rated.
    let first = s.next(&c).unwrap();
    assert_eq!(first.entry, 0);
    s.suspend(0).unwrap();
    s.rate(2, &right_verdict(), Rating::Good, 1000, &c).unwrap();
    drop(s);
    let s = study(&lib, &mut store, &filter, false, &c);
    assert_eq!(s.suspended_count, 1);
    let at = |key: &str| s.entries.iter().position(|e| e.key == key).unwrap();
    assert!(
        s.rows[at(&keys[2])].is_some(),
        "the rated card keeps its state"
    );
    assert!(s.rows[at(&keys[1])].is_none(), "its neighbours stay new");
    assert!(s.rows[at(&keys[3])].is_none());
    assert!(!s.entries.iter().any(|e| e.key == keys[0]));
    drop(s);
    // Only mistakes: a card answered wrong in a quiz is one, and keeps its
    // own state (rated in study before the quiz).
    let mut s = study(&lib, &mut store, &filter, false, &c);
    let i3 = s.entries.iter().position(|e| e.key == keys[3]).unwrap();
    s.rate(i3, &right_verdict(), Rating::Again, 1000, &c)
        .unwrap();
    drop(s);
    let learner = store.find_learner("测试").unwrap().unwrap();
    store
        .conn()
        .execute(
            "INSERT INTO reviews (learner_id, card_key, reviewed_at, rating, verdict, score,
                                  response_ms, mode, phase_before, content_hash)
             VALUES (?1, ?2, ?3, 1, 'wrong', 0, 1000, 'quiz', 1, 'x')",
            rusqlite::params![learner.id, keys[3], c.secs() + 60],
        )
        .unwrap();
    let s = study(&lib, &mut store, &filter, true, &c);
    let listed: Vec<&str> = s.entries.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(listed, [keys[3].as_str()]);
    assert_eq!(s.rows.len(), 1);
    assert_eq!(
        s.rows[0].as_ref().map(|b| b.phase),
        Some(Phase::Learning),
        "its own state: failed in study, so learning"
    );
}

#[test]
fn a_card_is_flagged_only_once_flagged() {
    let lib = library();
    let mut store = Store::open_in_memory().unwrap();
    let c = clock("2026-03-01T09:00:00+08:00");
    let mut s = study(&lib, &mut store, &CardFilter::default(), false, &c);
    assert!(!s.is_flagged(0));
    assert!(!s.is_flagged(1));
    assert!(s.toggle_flag(1).unwrap());
    assert!(s.is_flagged(1));
    assert!(!s.is_flagged(0), "only the card flagged");
    assert!(!s.toggle_flag(1).unwrap());
    assert!(!s.is_flagged(1));
}

/// A 错题本 card not in review counts as one of today's reviews; the
/// count starts again on the next study day (04:00), even within one
/// session.
#[test]
fn mistake_reviews_are_counted_per_study_day() {
    let lib = library();
    let mut store = Store::open_in_memory().unwrap();
    let c = clock("2026-03-01T09:00:00+08:00");
    let learner = store.learner("测试", 0).unwrap();
    let s = study(&lib, &mut store, &CardFilter::default(), false, &c);
    let keys: Vec<String> = s
        .entries
        .iter()
        .take(3)
        .map(|e| e.key.to_string())
        .collect();
    drop(s);
    for key in &keys {
        store
            .conn()
            .execute(
                "INSERT INTO reviews (learner_id, card_key, reviewed_at, rating, verdict, score,
                                      response_ms, mode, phase_before, content_hash)
                 VALUES (?1, ?2, ?3, 1, 'wrong', 0, 1000, 'quiz', 0, 'x')",
                rusqlite::params![learner.id, key, c.secs() - 60],
            )
            .unwrap();
    }
    let mut s = study(&lib, &mut store, &CardFilter::default(), false, &c);
    let at = |s: &Study<'_>, key: &str| s.entries.iter().position(|e| e.key == key).unwrap();
    let (a, b) = (at(&s, &keys[0]), at(&s, &keys[1]));
    s.rate(a, &right_verdict(), Rating::Again, 1000, &c)
        .unwrap();
    s.rate(b, &right_verdict(), Rating::Again, 1000, &c)
        .unwrap();
    assert_eq!(s.limits.reviews_done_today, 2);
    // The next study day, in the same session.
    let next_day = clock("2026-03-02T05:00:00+08:00");
    let third = at(&s, &keys[2]);
    s.rate(third, &right_verdict(), Rating::Again, 1000, &next_day)
        .unwrap();
    assert_eq!(s.limits.reviews_done_today, 1, "counted again from one");
}

#[test]
fn marks_read_beside_the_decks_are_used_for_their_day_only() {
    let lib = library();
    let mut store = Store::open_in_memory().unwrap();
    let c = clock("2026-03-01T09:00:00+08:00");
    let filter = CardFilter {
        decks: vec!["wu-ge-bi-yu".to_owned()],
        ..CardFilter::default()
    };
    let learner = store.learner("测试", 0).unwrap();
    let first = entries(&lib, &filter)[0].key.to_string();
    let start = |day: jiff::civil::Date| {
        let mut start = Start::new(entries(&lib, &filter));
        start.marks = Some(LearnerMarks {
            suspended: [first.clone()].into(),
            flagged: [first.clone()].into(),
            day,
            done: (3, 7),
            ..LearnerMarks::default()
        });
        start
    };
    let sched = || Scheduler::new(None, Settings::default()).unwrap();
    let s = Study::start(
        &lib,
        &mut store,
        learner.clone(),
        sched(),
        start(c.today()),
        false,
        &c,
    )
    .unwrap();
    assert_eq!(s.suspended_count, 1, "the marks given are used");
    assert!(!s.entries.iter().any(|e| e.key == first));
    assert_eq!(
        (s.limits.new_done_today, s.limits.reviews_done_today),
        (3, 7)
    );
    drop(s);
    // Read for another study day (the start ran past 04:00): read again.
    let yesterday = c.today().yesterday().unwrap();
    let s = Study::start(
        &lib,
        &mut store,
        learner,
        sched(),
        start(yesterday),
        false,
        &c,
    )
    .unwrap();
    assert_eq!(s.suspended_count, 0);
    assert_eq!(s.entries[0].key, first);
    assert!(!s.is_flagged(0));
    assert_eq!(
        (s.limits.new_done_today, s.limits.reviews_done_today),
        (0, 0)
    );
}

#[test]
fn marks_read_from_the_store_are_the_ones_a_start_would_read() {
    let lib = library();
    let mut store = Store::open_in_memory().unwrap();
    let c = clock("2026-03-01T09:00:00+08:00");
    let mut s = study(&lib, &mut store, &CardFilter::default(), false, &c);
    s.rate(1, &right_verdict(), Rating::Good, 1000, &c).unwrap();
    s.suspend(2).unwrap();
    s.toggle_flag(3).unwrap();
    let (k2, k3) = (s.entries[2].key.to_string(), s.entries[3].key.to_string());
    drop(s);
    let learner = store.find_learner("测试").unwrap().unwrap();
    let marks = LearnerMarks::read(&store, learner.id, &c).unwrap();
    assert_eq!(marks.suspended, [k2].into());
    assert_eq!(marks.flagged, [k3].into());
    assert_eq!(marks.done, (1, 0));
    assert_eq!(marks.day, c.today());
}
