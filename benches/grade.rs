//! Grading speed on every shipped card: `cargo bench --bench grade`.
//! Target (issue 4): under 100 µs per answer for any shipped card.
//! Each answer is timed as the fastest of several batches, so other work
//! on a busy machine (preemption, caches) inflates the figures less.

use std::hint::black_box;
use std::time::{Duration, Instant};

use dangke::deck::Library;
use dangke::grade::grade;

/// Wall time of `f`.
fn measure(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

/// Each answer is timed in this many batches of `rounds / BATCHES`.
const BATCHES: u32 = 10;

fn main() {
    let (library, _) = Library::load(&[]).expect("shipped decks load");
    // Warm up the lazily built conversion tables once, as a session would.
    let _ = dangke::grade::fold("預熱");
    let rounds: u32 = std::env::var("DANGKE_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(200);
    let mut worst: (Duration, String) = (Duration::ZERO, String::new());
    let mut total = Duration::ZERO;
    let mut answers_graded = 0u64;
    let mut by_kind: std::collections::BTreeMap<&str, (Duration, u32)> = Default::default();
    // DANGKE_BENCH_CARD=deck/card times one card only (for profiling).
    let only = std::env::var("DANGKE_BENCH_CARD").ok();
    for deck in &library.decks {
        for card in &deck.cards {
            if only
                .as_deref()
                .is_some_and(|o| o != format!("{}/{}", deck.id, card.id))
            {
                continue;
            }
            let right = card.answer_text();
            let answers = [
                right.clone(),
                format!("{right}、实事求是"),
                "不知道".to_owned(),
                right.chars().rev().collect(),
                format!("我认为是{right}"),
            ];
            for answer in &answers {
                // The fastest batch: other work on the machine only ever
                // adds time.
                let batch = (rounds / BATCHES).max(1);
                let per = (0..BATCHES)
                    .map(|_| {
                        measure(|| {
                            for _ in 0..batch {
                                black_box(grade(black_box(card), black_box(answer)));
                            }
                        }) / batch
                    })
                    .min()
                    .unwrap_or_default();
                total += per;
                answers_graded += 1;
                let kind = by_kind.entry(card.kind().name()).or_default();
                kind.0 += per;
                kind.1 += 1;
                if per > worst.0 {
                    worst = (per, format!("{}/{} {answer:?}", deck.id, card.id));
                }
            }
        }
    }
    println!(
        "grade (fastest of {BATCHES} batches): {} cards, {answers_graded} answers × {rounds} rounds: mean {:.1} µs, worst {:.1} µs ({})",
        library.card_count(),
        total.as_secs_f64() * 1e6 / answers_graded as f64,
        worst.0.as_secs_f64() * 1e6,
        worst.1
    );
    for (kind, (time, n)) in by_kind {
        println!(
            "  {kind}: mean {:.1} µs",
            time.as_secs_f64() * 1e6 / f64::from(n)
        );
    }
}
