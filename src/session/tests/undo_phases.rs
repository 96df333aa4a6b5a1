//! Undo of a rating in every phase restores the exact previous state and
//! the day's counts; `next_due` looks only at studied cards.

use super::*;

/// Rates `entry`, undoes it, and checks everything is as before.
fn rate_and_undo(s: &mut Study, entry: usize, rating: Rating, c: &Clock) {
    let row_before = s.row(entry).unwrap();
    let limits_before = s.limits_on(c);
    let tally_before = s.tally;
    s.rate(entry, &right_verdict(), rating, 2000, c).unwrap();
    assert_ne!(
        s.row(entry).unwrap(),
        row_before,
        "the rating changed the row"
    );
    assert_eq!(s.undo().unwrap(), Some(entry));
    assert_eq!(
        s.row(entry).unwrap(),
        row_before,
        "undo restores the row exactly"
    );
    let key = &s.entries[entry].key;
    assert_eq!(
        s.store.card_row(s.learner.id, key).unwrap(),
        row_before,
        "and so does the store"
    );
    assert_eq!(
        s.brief(entry),
        row_before.as_ref().map(Brief::of).as_ref(),
        "and the queue's copy"
    );
    assert_eq!(
        s.limits_on(c),
        limits_before,
        "undo restores today's counts"
    );
    assert_eq!(s.tally, tally_before);
}

#[test]
fn undo_in_every_phase_restores_the_row_and_the_daily_counts() {
    let lib = library();
    let mut store = Store::open_in_memory().unwrap();
    let c = clock("2026-03-01T09:00:00+08:00");
    let mut s = study(&lib, &mut store, &CardFilter::default(), false, &c);
    let e = s.next(&c).unwrap().entry;

    // New: the new-card count goes 0 → 1 → 0.
    s.rate(e, &right_verdict(), Rating::Good, 2000, &c).unwrap();
    assert_eq!(s.limits.new_done_today, 1);
    s.undo().unwrap();
    assert_eq!(
        (s.limits.new_done_today, s.limits.reviews_done_today),
        (0, 0)
    );
    assert!(s.row(e).unwrap().is_none());
    rate_and_undo(&mut s, e, Rating::Again, &c);

    // Learning (step 1 after Good): neither count moves on undo.
    s.rate(e, &right_verdict(), Rating::Good, 2000, &c).unwrap();
    assert_eq!(s.row(e).unwrap().unwrap().state.phase, Phase::Learning);
    rate_and_undo(&mut s, e, Rating::Good, &c);
    assert_eq!(
        (s.limits.new_done_today, s.limits.reviews_done_today),
        (1, 0)
    );

    // Review, a day later: the review count goes 0 → 1 → 0.
    s.rate(e, &right_verdict(), Rating::Good, 2000, &c).unwrap();
    assert_eq!(s.row(e).unwrap().unwrap().state.phase, Phase::Review);
    let due = s.row(e).unwrap().unwrap().state.due;
    let later = Clock::new(
        jiff::Timestamp::from_second(due + 3600).unwrap(),
        c.tz.clone(),
    );
    s.rate(e, &right_verdict(), Rating::Good, 2000, &later)
        .unwrap();
    assert_eq!(s.limits.reviews_done_today, 1);
    s.undo().unwrap();
    assert_eq!(s.limits.reviews_done_today, 0);
    assert_eq!(s.row(e).unwrap().unwrap().state.phase, Phase::Review);
    assert_eq!(s.row(e).unwrap().unwrap().state.due, due);

    // Relearning after a lapse: undo leaves the review count as it was.
    s.rate(e, &right_verdict(), Rating::Again, 2000, &later)
        .unwrap();
    assert_eq!(s.row(e).unwrap().unwrap().state.phase, Phase::Relearning);
    assert_eq!(s.limits.reviews_done_today, 1);
    rate_and_undo(&mut s, e, Rating::Good, &later);
    assert_eq!(s.limits.reviews_done_today, 1);
}

#[test]
fn next_due_is_the_earliest_studied_card_not_a_skipped_new_one() {
    let lib = library();
    let mut store = Store::open_in_memory().unwrap();
    let c = clock("2026-03-01T09:00:00+08:00");
    let mut s = study(&lib, &mut store, &CardFilter::default(), false, &c);
    let first = s.next(&c).unwrap().entry;
    s.skip(first, &c).unwrap();
    assert_eq!(s.next_due(&c), None, "a skipped new card is not 'due'");
    let second = s.next(&c).unwrap().entry;
    assert_ne!(first, second);
    s.rate(second, &right_verdict(), Rating::Good, 2000, &c)
        .unwrap();
    assert_eq!(
        s.next_due(&c),
        Some(c.secs() + 600),
        "learning step 2: 10 min"
    );
    let after = Clock::new(
        jiff::Timestamp::from_second(c.secs() + 600).unwrap(),
        c.tz.clone(),
    );
    assert_eq!(s.next_due(&after), None, "due now is not after now");
}

#[test]
fn the_daily_counts_start_again_at_the_next_study_day() {
    let lib = library();
    let mut store = Store::open_in_memory().unwrap();
    let c = clock("2026-03-01T09:00:00+08:00");
    let mut s = study(&lib, &mut store, &CardFilter::default(), false, &c);
    let e = s.next(&c).unwrap().entry;
    s.rate(e, &right_verdict(), Rating::Good, 2000, &c).unwrap();
    s.rate(e, &right_verdict(), Rating::Good, 2000, &c).unwrap();
    let due = s.row(e).unwrap().unwrap().state.due;
    let later = Clock::new(
        jiff::Timestamp::from_second(due + 3600).unwrap(),
        c.tz.clone(),
    );
    s.rate(e, &right_verdict(), Rating::Good, 2000, &later)
        .unwrap();
    let today = s.limits_on(&later);
    assert_eq!((today.new_done_today, today.reviews_done_today), (0, 1));
    // 03:59 the next morning is still the same study day; 04:00 is not.
    let day = later.today();
    let at = |h: i8, m: i8| {
        let t = day
            .saturating_add(jiff::Span::new().days(1))
            .at(h, m, 0, 0)
            .to_zoned(c.tz.clone())
            .unwrap()
            .timestamp();
        Clock::new(t, c.tz.clone())
    };
    let same = s.limits_on(&at(3, 59));
    assert_eq!((same.new_done_today, same.reviews_done_today), (0, 1));
    let next = s.limits_on(&at(4, 0));
    assert_eq!((next.new_done_today, next.reviews_done_today), (0, 0));
    assert_eq!(next.new_per_day, today.new_per_day);
}
