//! Study statistics computed from stored progress: counts per phase, what
//! is due, the week ahead, true retention, daily activity, leeches, and
//! cards that were edited or removed since they were studied. Pure: the
//! data and the clock come in, a serializable summary goes out.

use std::collections::{HashMap, HashSet};

use jiff::ToSpan;
use serde::Serialize;

use crate::clock::Clock;
use crate::deck::{Deck, Library};
use crate::schedule::{Phase, Rating};
use crate::store::{CardRow, ReviewRow};

/// Lapses at which a card counts as a leech.
pub const LEECH_LAPSES: u32 = 4;
pub const FORECAST_DAYS: usize = 7;
pub const HEATMAP_WEEKS: usize = 12;
pub const RETENTION_DAYS: i64 = 30;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DeckStats {
    pub id: String,
    pub title: String,
    pub cards: usize,
    pub new: usize,
    pub learning: usize,
    pub review: usize,
    /// Cards to study now, as study counts them: due now or in the 错题本,
    /// suspended cards left out.
    pub due: usize,
    /// Cards in the 错题本 (answered wrong in a quiz or contest).
    pub mistakes: usize,
    /// Cards the learner suspended (left out of `due` and `forecast`).
    pub suspended: usize,
    /// Cards due on each of the next seven study days (today first,
    /// overdue included).
    pub forecast: Vec<usize>,
    /// Share of reviews of mature cards passed in the last 30 days.
    pub retention: Option<f64>,
    pub retention_reviews: usize,
    pub leeches: Vec<String>,
    pub changed: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Stats {
    pub learner: String,
    pub reviews_total: i64,
    pub decks: Vec<DeckStats>,
    pub forecast: Vec<usize>,
    pub retention: Option<f64>,
    pub retention_reviews: usize,
    /// Reviews per study day, oldest first, for the last twelve weeks.
    pub heatmap: Vec<(String, usize)>,
    /// Cards with progress that their (loaded) deck has no more.
    pub orphaned: Vec<String>,
    /// Decks with progress that are not loaded this time, with how many
    /// cards of each have progress: not deleted, just not here.
    pub unloaded: Vec<(String, usize)>,
}

/// Everything stats needs to know about one learner.
pub struct Input<'a> {
    pub learner: &'a str,
    pub reviews_total: i64,
    pub library: &'a Library,
    pub rows: &'a HashMap<String, CardRow>,
    /// Reviews of at least the last twelve weeks.
    pub reviews: &'a [ReviewRow],
    pub deck_filter: Option<&'a str>,
}

/// What the learner marked, beyond each card's schedule.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    pub suspended: HashSet<String>,
    pub mistakes: HashSet<String>,
}

pub fn compute(input: &Input<'_>, clock: &Clock) -> Stats {
    compute_marked(input, &Marks::default(), clock)
}

/// [`compute`], with suspended cards left out of what is due and the
/// 错题本 counted, so stats and study agree.
pub fn compute_marked(input: &Input<'_>, marks: &Marks, clock: &Clock) -> Stats {
    let decks: Vec<&Deck> = input
        .library
        .decks
        .iter()
        .filter(|d| input.deck_filter.is_none_or(|f| f == d.id))
        .collect();
    let retention_since = clock.day_start(clock.today().saturating_sub(RETENTION_DAYS.days()));
    let deck_stats: Vec<DeckStats> = decks
        .iter()
        .map(|deck| {
            let prefix = format!("{}/", deck.id);
            let reviews: Vec<&ReviewRow> = input
                .reviews
                .iter()
                .filter(|r| r.card_key.starts_with(&prefix))
                .collect();
            deck_stats(deck, input.rows, marks, &reviews, retention_since, clock)
        })
        .collect();
    let forecast = (0..FORECAST_DAYS)
        .map(|d| deck_stats.iter().map(|s| s.forecast[d]).sum())
        .collect();
    let known: HashSet<(&str, &str)> = input
        .library
        .decks
        .iter()
        .flat_map(|d| d.cards.iter().map(move |c| (d.id.as_str(), c.id.as_str())))
        .collect();
    let in_scope = |key: &str| {
        input
            .deck_filter
            .is_none_or(|f| key.split_once('/').is_some_and(|(deck, _)| deck == f))
    };
    // A card is deleted only when its deck is loaded and lacks it; the
    // cards of a deck not loaded this time are counted apart.
    let deck_loaded = |key: &str| {
        key.split_once('/')
            .is_some_and(|(deck, _)| input.library.deck(deck).is_some())
    };
    let mut orphaned: Vec<String> = input
        .rows
        .keys()
        .filter(|k| {
            deck_loaded(k)
                && k.split_once('/').is_none_or(|pair| !known.contains(&pair))
                && in_scope(k)
        })
        .cloned()
        .collect();
    orphaned.sort();
    let mut unloaded: std::collections::BTreeMap<String, usize> = Default::default();
    for key in input.rows.keys().filter(|k| !deck_loaded(k) && in_scope(k)) {
        let deck = key.split_once('/').map_or(key.as_str(), |(d, _)| d);
        *unloaded.entry(deck.to_owned()).or_default() += 1;
    }
    let unloaded: Vec<(String, usize)> = unloaded.into_iter().collect();
    let scoped: Vec<&ReviewRow> = input
        .reviews
        .iter()
        .filter(|r| in_scope(&r.card_key))
        .collect();
    let (retention, retention_reviews) = true_retention(&scoped, retention_since);
    Stats {
        learner: input.learner.to_owned(),
        reviews_total: input.reviews_total,
        decks: deck_stats,
        forecast,
        retention,
        retention_reviews,
        heatmap: heatmap(&scoped, clock),
        orphaned,
        unloaded,
    }
}

fn deck_stats(
    deck: &Deck,
    rows: &HashMap<String, CardRow>,
    marks: &Marks,
    reviews: &[&ReviewRow],
    retention_since: i64,
    clock: &Clock,
) -> DeckStats {
    let now = clock.secs();
    let today = clock.today();
    let mut s = DeckStats {
        id: deck.id.clone(),
        title: deck.title.clone(),
        cards: deck.cards.len(),
        new: 0,
        learning: 0,
        review: 0,
        due: 0,
        mistakes: 0,
        suspended: 0,
        forecast: vec![0; FORECAST_DAYS],
        retention: None,
        retention_reviews: 0,
        leeches: Vec::new(),
        changed: Vec::new(),
    };
    // Where each of the next days begins: a due time is placed by binary
    // search (converting 50 000 timestamps to local dates is the slow way).
    let day_ends: Vec<i64> = (1..=FORECAST_DAYS as i64)
        .map(|d| clock.day_start(today.saturating_add(d.days())))
        .collect();
    let mut key = String::new();
    for card in &deck.cards {
        key.clear();
        key.push_str(&deck.id);
        key.push('/');
        key.push_str(&card.id);
        let suspended = marks.suspended.contains(&key);
        s.suspended += usize::from(suspended);
        let mistake = !suspended && marks.mistakes.contains(&key);
        s.mistakes += usize::from(mistake);
        let Some(row) = rows.get(&key) else {
            s.new += 1;
            s.due += usize::from(mistake);
            continue;
        };
        let state = &row.state;
        match state.phase {
            Phase::New => s.new += 1,
            Phase::Learning | Phase::Relearning => s.learning += 1,
            Phase::Review => s.review += 1,
        }
        let buried = row.buried_until.is_some_and(|u| u > now);
        if mistake && !buried {
            s.due += 1;
        }
        if state.phase != Phase::New && !suspended {
            if state.due <= now && !mistake && !buried {
                s.due += 1;
            }
            let offset = day_ends.partition_point(|&end| end <= state.due);
            if let Some(slot) = s.forecast.get_mut(offset) {
                *slot += 1;
            }
        }
        if state.lapses >= LEECH_LAPSES {
            s.leeches.push(key.clone());
        }
        if row.content_hash != card.content_hash() {
            s.changed.push(key.clone());
        }
    }
    let (retention, count) = true_retention(reviews, retention_since);
    s.retention = retention;
    s.retention_reviews = count;
    s
}

/// Passed / all reviews of cards that were in review (not learning) when
/// answered: the retention FSRS aims at.
fn true_retention(reviews: &[&ReviewRow], since: i64) -> (Option<f64>, usize) {
    let mature: Vec<&&ReviewRow> = reviews
        .iter()
        .filter(|r| r.at >= since && r.phase_before == Phase::Review)
        .collect();
    if mature.is_empty() {
        return (None, 0);
    }
    let passed = mature.iter().filter(|r| r.rating != Rating::Again).count();
    (Some(passed as f64 / mature.len() as f64), mature.len())
}

fn heatmap(reviews: &[&ReviewRow], clock: &Clock) -> Vec<(String, usize)> {
    let days = (HEATMAP_WEEKS * 7) as i64;
    let first = clock.today().saturating_sub((days - 1).days());
    // Day boundaries once, then a binary search per review: converting
    // every timestamp to a local date is the slow part with many reviews.
    let dates: Vec<jiff::civil::Date> = (0..days).map(|i| first.saturating_add(i.days())).collect();
    let starts: Vec<i64> = dates.iter().map(|d| clock.day_start(*d)).collect();
    let end = clock.end_of_today();
    let mut counts = vec![0usize; dates.len()];
    for r in reviews {
        if r.at < starts[0] || r.at >= end {
            continue;
        }
        let day = starts.partition_point(|&s| s <= r.at) - 1;
        counts[day] += 1;
    }
    dates
        .iter()
        .zip(counts)
        .map(|(d, n)| (d.to_string(), n))
        .collect()
}

#[cfg(test)]
mod tests;
