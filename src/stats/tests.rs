//! Stats against a hand-computed fixture: 30-day true retention, the
//! twelve-week heatmap, per-deck counts and the 04:00 study-day boundary
//! in a fixed time zone (Asia/Shanghai, no daylight saving).

use std::collections::HashMap;

use jiff::tz::TimeZone;

use super::*;
use crate::clock::parse_now;
use crate::schedule::CardState;
use crate::store::CardRow;

fn secs(at: &str) -> i64 {
    parse_now(at).unwrap().as_second()
}

fn review(key: &str, at: &str, rating: Rating, phase_before: Phase) -> ReviewRow {
    ReviewRow {
        card_key: key.to_owned(),
        at: secs(at),
        rating,
        phase_before,
    }
}

fn row(phase: Phase, due: i64, lapses: u32, hash: String) -> CardRow {
    CardRow {
        state: CardState {
            phase,
            step: 0,
            memory: None,
            due,
            reps: 3,
            lapses,
            last_review: Some(due - 86_400),
        },
        content_hash: hash,
        buried_until: None,
    }
}

#[test]
fn retention_heatmap_and_counts_match_the_hand_computed_fixture() {
    let (library, _) = Library::load(&[]).expect("shipped decks");
    let deck = &library.decks[0];
    let other = &library.decks[1];
    let key = |i: usize| format!("{}/{}", deck.id, deck.cards[i].id);
    let other_key = format!("{}/{}", other.id, other.cards[0].id);
    let clock = Clock::new(
        parse_now("2026-03-31T09:00:00+08:00").unwrap(),
        TimeZone::get("Asia/Shanghai").unwrap(),
    );
    let now = clock.secs();
    let k = key(0);
    let reviews = vec![
        // Study day 2026-02-28 (before 04:00), outside the 30 days.
        review(
            &k,
            "2026-03-01T03:59:59+08:00",
            Rating::Again,
            Phase::Review,
        ),
        // The first second of the 30-day window: counted, passed.
        review(&k, "2026-03-01T04:00:00+08:00", Rating::Good, Phase::Review),
        review(
            &k,
            "2026-03-10T12:00:00+08:00",
            Rating::Again,
            Phase::Review,
        ),
        review(&k, "2026-03-20T12:00:00+08:00", Rating::Hard, Phase::Review),
        // A learning answer is not a retention review.
        review(
            &k,
            "2026-03-25T12:00:00+08:00",
            Rating::Again,
            Phase::Learning,
        ),
        // 03:00 on the 31st still belongs to study day the 30th.
        review(&k, "2026-03-31T03:00:00+08:00", Rating::Easy, Phase::Review),
        review(&k, "2026-03-31T08:00:00+08:00", Rating::Good, Phase::Review),
        // The heatmap's first second, and the second before it.
        review(
            &k,
            "2026-01-07T04:00:00+08:00",
            Rating::Good,
            Phase::Learning,
        ),
        review(
            &k,
            "2026-01-07T03:59:59+08:00",
            Rating::Good,
            Phase::Learning,
        ),
        // Another deck: out of scope with the deck filter.
        review(
            &other_key,
            "2026-03-15T12:00:00+08:00",
            Rating::Again,
            Phase::Review,
        ),
    ];
    let hash = |i: usize| deck.cards[i].content_hash();
    let rows: HashMap<String, CardRow> = [
        (key(0), row(Phase::Review, now - 3600, 0, hash(0))),
        (key(1), row(Phase::Learning, now + 600, 0, hash(1))),
        (key(2), row(Phase::Relearning, now - 60, 1, "stale".into())),
        (key(3), row(Phase::New, now + 86_400, 0, hash(3))),
        (key(4), row(Phase::Review, now + 3 * 86_400, 4, hash(4))),
        (
            other_key.clone(),
            row(Phase::Review, now - 60, 0, other.cards[0].content_hash()),
        ),
    ]
    .into_iter()
    .collect();
    let briefs: Vec<(String, Brief)> = rows
        .iter()
        .map(|(k, r)| (k.clone(), Brief::of(r)))
        .collect();
    let rows: States<'_> = briefs.iter().map(|(k, b)| (k.as_str(), b)).collect();

    let sums = ReviewSums::from_rows(10, &reviews, &Window::new(&clock));
    let stats = compute(
        &Input {
            learner: "测试",
            library: &library,
            rows: &rows,
            reviews: &sums,
            deck_filter: Some(&deck.id),
        },
        &clock,
    );
    // Window from 2026-03-01 04:00: Good, Again, Hard, Easy, Good → 4 of 5.
    assert_eq!(stats.retention, Some(0.8));
    assert_eq!(stats.retention_reviews, 5);
    assert_eq!(stats.decks.len(), 1);
    let d = &stats.decks[0];
    assert_eq!(d.id, deck.id);
    assert_eq!((d.retention, d.retention_reviews), (Some(0.8), 5));
    assert_eq!(
        (d.cards, d.new, d.learning, d.review, d.due),
        (deck.cards.len(), deck.cards.len() - 4, 2, 2, 2)
    );
    // Today: card 0, 1 and 2; card 4 on 2026-04-03 (three study days on).
    assert_eq!(d.forecast, vec![3, 0, 0, 1, 0, 0, 0]);
    assert_eq!(stats.forecast, vec![3, 0, 0, 1, 0, 0, 0]);
    assert_eq!(d.leeches, vec![key(4)]);
    assert_eq!(d.changed, vec![key(2)]);

    // Twelve weeks of study days ending today, oldest first.
    assert_eq!(stats.heatmap.len(), 84);
    assert_eq!(stats.heatmap[0], ("2026-01-07".to_owned(), 1));
    assert_eq!(stats.heatmap[83], ("2026-03-31".to_owned(), 1));
    let busy: Vec<(&str, usize)> = stats
        .heatmap
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(d, n)| (d.as_str(), *n))
        .collect();
    assert_eq!(
        busy,
        vec![
            ("2026-01-07", 1),
            ("2026-02-28", 1),
            ("2026-03-01", 1),
            ("2026-03-10", 1),
            ("2026-03-20", 1),
            ("2026-03-25", 1),
            ("2026-03-30", 1),
            ("2026-03-31", 1),
        ]
    );

    // Without the filter the other deck's lapse counts: 4 of 6.
    let all = compute(
        &Input {
            learner: "测试",
            library: &library,
            rows: &rows,
            reviews: &sums,
            deck_filter: None,
        },
        &clock,
    );
    assert_eq!(all.retention_reviews, 6);
    assert_eq!(all.retention, Some(4.0 / 6.0));
    assert_eq!(all.decks.len(), library.decks.len());
    let o = all.decks.iter().find(|s| s.id == other.id).unwrap();
    assert_eq!((o.retention, o.retention_reviews, o.due), (Some(0.0), 1, 1));
    assert_eq!(all.heatmap.iter().map(|(_, n)| n).sum::<usize>(), 9);
}

#[test]
fn no_mature_reviews_means_no_retention() {
    let (library, _) = Library::load(&[]).expect("shipped decks");
    let clock = Clock::new(
        parse_now("2026-03-31T09:00:00+08:00").unwrap(),
        TimeZone::get("Asia/Shanghai").unwrap(),
    );
    let key = format!("{}/{}", library.decks[0].id, library.decks[0].cards[0].id);
    let reviews = vec![review(
        &key,
        "2026-03-30T12:00:00+08:00",
        Rating::Good,
        Phase::Learning,
    )];
    let sums = ReviewSums::from_rows(1, &reviews, &Window::new(&clock));
    let stats = compute(
        &Input {
            learner: "测试",
            library: &library,
            rows: &States::new(),
            reviews: &sums,
            deck_filter: None,
        },
        &clock,
    );
    assert_eq!((stats.retention, stats.retention_reviews), (None, 0));
    assert_eq!(stats.heatmap[82], ("2026-03-30".to_owned(), 1));
}

#[test]
fn deleted_cards_of_loaded_decks_and_cards_of_unloaded_decks() {
    let (library, _) = Library::load(&[]).expect("shipped decks");
    let clock = Clock::new(
        parse_now("2026-03-31T09:00:00+08:00").unwrap(),
        TimeZone::get("Asia/Shanghai").unwrap(),
    );
    let (a, b) = (&library.decks[0], &library.decks[1]);
    let live = format!("{}/{}", a.id, a.cards[0].id);
    let row = |key: &str| (key.to_owned(), row(Phase::Review, 0, 0, "h".into()));
    let rows: HashMap<String, CardRow> = [
        row(&live),
        row(&format!("{}/gone", a.id)),
        row(&format!("{}/gone-too", b.id)),
        row("elsewhere/x"),
        row("elsewhere/y"),
        row("no-deck-part"),
    ]
    .into_iter()
    .collect();
    let briefs: Vec<(String, Brief)> = rows
        .iter()
        .map(|(k, r)| (k.clone(), Brief::of(r)))
        .collect();
    let rows: States<'_> = briefs.iter().map(|(k, b)| (k.as_str(), b)).collect();
    let sums = ReviewSums::default();
    let stats = |filter: Option<&str>| {
        compute(
            &Input {
                learner: "测试",
                library: &library,
                rows: &rows,
                reviews: &sums,
                deck_filter: filter,
            },
            &clock,
        )
    };
    let all = stats(None);
    assert_eq!(
        all.orphaned,
        vec![format!("{}/gone", a.id), format!("{}/gone-too", b.id)]
            .into_iter()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    );
    assert_eq!(
        all.unloaded,
        vec![("elsewhere".to_owned(), 2), ("no-deck-part".to_owned(), 1)]
    );
    let one = stats(Some(&a.id));
    assert_eq!(one.orphaned, vec![format!("{}/gone", a.id)]);
    assert!(one.unloaded.is_empty());
    assert_eq!(one.decks[0].review, 1);
}
