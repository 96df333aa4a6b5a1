//! Study statistics computed from stored progress: counts per phase, what
//! is due, the week ahead, true retention, daily activity, leeches, and
//! cards that were edited or removed since they were studied. Pure: the
//! data and the clock come in, a serializable summary goes out.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::ToSpan;
use serde::Serialize;

use crate::clock::Clock;
use crate::deck::{Deck, Library};
use crate::schedule::{Phase, Rating};
use crate::store::{Brief, BriefList, ReviewRow, SLOT, SlotSums};

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

/// The study days stats counts reviews on: the heatmap's twelve weeks
/// and the 30 days of true retention.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    /// The first second of the retention window (reviews from then on,
    /// later than now included).
    pub retention_since: i64,
    /// The heatmap's study days, oldest first, and where each begins.
    pub dates: Vec<jiff::civil::Date>,
    pub starts: Vec<i64>,
    /// The end of today's study day: the heatmap stops there.
    pub end: i64,
}

impl Window {
    pub fn new(clock: &Clock) -> Window {
        let days = (HEATMAP_WEEKS * 7) as i64;
        let first = clock.today().saturating_sub((days - 1).days());
        let dates: Vec<jiff::civil::Date> =
            (0..days).map(|i| first.saturating_add(i.days())).collect();
        let starts = dates.iter().map(|d| clock.day_start(*d)).collect();
        Window {
            retention_since: clock.day_start(clock.today().saturating_sub(RETENTION_DAYS.days())),
            dates,
            starts,
            end: clock.end_of_today(),
        }
    }

    /// The first second any figure counts from.
    pub fn since(&self) -> i64 {
        self.starts
            .first()
            .copied()
            .unwrap_or(self.end)
            .min(self.retention_since)
    }

    /// Whether every boundary falls on a 15-minute slot, so the stored
    /// sums per slot add up to exact sums per day (true in every time zone
    /// in use today; not for old local mean times like +08:05:43).
    pub fn on_slots(&self) -> bool {
        self.starts
            .iter()
            .chain([&self.retention_since, &self.end])
            .all(|t| t.rem_euclid(SLOT) == 0)
    }

    /// The heatmap day a time falls on, if any.
    fn day(&self, at: i64) -> Option<usize> {
        if self.starts.first().is_none_or(|&s| at < s) || at >= self.end {
            return None;
        }
        Some(self.starts.partition_point(|&s| s <= at) - 1)
    }
}

/// What stats needs of the review log, summed per deck.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReviewSums {
    /// Reviews of all time, not undone.
    pub total: i64,
    /// Per deck (the card key before its first '/', '' when it has none).
    pub decks: BTreeMap<String, DeckSums>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeckSums {
    /// Reviews on each heatmap day.
    pub days: Vec<usize>,
    /// Reviews of cards in review (not learning) since the retention
    /// window began, and how many of them passed.
    pub mature: usize,
    pub passed: usize,
}

fn deck_of(key: &str) -> &str {
    key.split_once('/').map_or("", |(deck, _)| deck)
}

impl ReviewSums {
    fn deck(&mut self, deck: &str, window: &Window) -> &mut DeckSums {
        if !self.decks.contains_key(deck) {
            self.decks.insert(
                deck.to_owned(),
                DeckSums {
                    days: vec![0; window.starts.len()],
                    ..DeckSums::default()
                },
            );
        }
        self.decks.get_mut(deck).expect("inserted above")
    }

    /// From the review rows themselves (at least those since
    /// [`Window::since`]): exact in any time zone.
    pub fn from_rows(total: i64, reviews: &[ReviewRow], window: &Window) -> ReviewSums {
        let mut sums = ReviewSums {
            total,
            ..ReviewSums::default()
        };
        for r in reviews {
            let day = window.day(r.at);
            let mature = r.at >= window.retention_since && r.phase_before == Phase::Review;
            if day.is_none() && !mature {
                continue;
            }
            let d = sums.deck(deck_of(&r.card_key), window);
            if let Some(day) = day {
                d.days[day] += 1;
            }
            if mature {
                d.mature += 1;
                d.passed += usize::from(r.rating != Rating::Again);
            }
        }
        sums
    }

    /// From the sums the store keeps per 15-minute slot (those from
    /// [`Window::since`] on); `None` unless [`Window::on_slots`].
    pub fn from_slots(total: i64, slots: &[SlotSums], window: &Window) -> Option<ReviewSums> {
        if !window.on_slots() {
            return None;
        }
        let mut sums = ReviewSums {
            total,
            ..ReviewSums::default()
        };
        for s in slots {
            // Every second of a slot is on the same study day.
            let day = window.day(s.slot);
            let mature = s.slot >= window.retention_since && s.mature > 0;
            if day.is_none() && !mature {
                continue;
            }
            let d = sums.deck(&s.deck, window);
            if let Some(day) = day {
                d.days[day] += s.reviews as usize;
            }
            if mature {
                d.mature += s.mature as usize;
                d.passed += s.passed as usize;
            }
        }
        Some(sums)
    }
}

/// A learner's card states by card key, as stats reads them: the briefs
/// a study start reads (from the snapshot in the cache folder when it is
/// there, see `store::snapshot`), not whole rows.
pub type States<'a> = HashMap<&'a str, &'a Brief>;

/// [`States`] of a list read from the store (a key that is not UTF-8
/// cannot be any card's and is left out).
pub fn states(list: &BriefList) -> States<'_> {
    let mut out = HashMap::with_capacity(list.len());
    for (key, brief) in list.iter() {
        if let Ok(key) = std::str::from_utf8(key) {
            out.insert(key, brief);
        }
    }
    out
}

/// Everything stats needs to know about one learner.
pub struct Input<'a> {
    pub learner: &'a str,
    pub library: &'a Library,
    pub rows: &'a States<'a>,
    /// The review log, summed per deck over [`Window::new`]'s days.
    pub reviews: &'a ReviewSums,
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
    // Each deck's figures, and how many of the learner's rows were its cards'.
    let (deck_stats, matched): (Vec<DeckStats>, Vec<usize>) = decks
        .iter()
        .map(|deck| {
            deck_stats(
                deck,
                input.rows,
                marks,
                input.reviews.decks.get(&deck.id),
                clock,
            )
        })
        .unzip();
    let forecast = (0..FORECAST_DAYS)
        .map(|d| deck_stats.iter().map(|s| s.forecast[d]).sum())
        .collect();
    let in_scope = |key: &str| {
        input
            .deck_filter
            .is_none_or(|f| key.split_once('/').is_some_and(|(deck, _)| deck == f))
    };
    // A card is deleted only when its deck is loaded and lacks it; the
    // cards of a deck not loaded this time are counted apart.
    let mut rows_of: HashMap<&str, usize> = HashMap::new();
    let mut unloaded: BTreeMap<String, usize> = BTreeMap::new();
    for &key in input.rows.keys().filter(|k| in_scope(k)) {
        match key.split_once('/') {
            Some((deck, _)) if input.library.deck(deck).is_some() => {
                *rows_of.entry(deck).or_default() += 1;
            }
            other => {
                let deck = other.map_or(key, |(d, _)| d);
                *unloaded.entry(deck.to_owned()).or_default() += 1;
            }
        }
    }
    // Only a deck with more rows than rows of its cards has deleted cards
    // to look for.
    let mut orphaned: Vec<String> = Vec::new();
    for (deck, matched) in decks.iter().zip(matched) {
        if rows_of.get(deck.id.as_str()).is_none_or(|&n| n == matched) {
            continue;
        }
        let ids: HashSet<&str> = deck.cards.iter().map(|c| c.id.as_str()).collect();
        orphaned.extend(
            input
                .rows
                .keys()
                .filter(|k| {
                    k.split_once('/')
                        .is_some_and(|(d, id)| d == deck.id && !ids.contains(id))
                })
                .map(|k| (*k).to_owned()),
        );
    }
    orphaned.sort();
    let unloaded: Vec<(String, usize)> = unloaded.into_iter().collect();
    // Reviews in scope: every deck's, or the chosen deck's (a key with no
    // deck part is in no deck).
    let window = Window::new(clock);
    let mut scoped = DeckSums {
        days: vec![0; window.dates.len()],
        ..DeckSums::default()
    };
    for (deck, sums) in &input.reviews.decks {
        if input
            .deck_filter
            .is_none_or(|f| f == deck && !deck.is_empty())
        {
            for (day, n) in scoped.days.iter_mut().zip(&sums.days) {
                *day += n;
            }
            scoped.mature += sums.mature;
            scoped.passed += sums.passed;
        }
    }
    let (retention, retention_reviews) = true_retention(Some(&scoped));
    Stats {
        learner: input.learner.to_owned(),
        reviews_total: input.reviews.total,
        decks: deck_stats,
        forecast,
        retention,
        retention_reviews,
        heatmap: window
            .dates
            .iter()
            .zip(scoped.days)
            .map(|(d, n)| (d.to_string(), n))
            .collect(),
        orphaned,
        unloaded,
    }
}

fn deck_stats(
    deck: &Deck,
    rows: &States<'_>,
    marks: &Marks,
    reviews: Option<&DeckSums>,
    clock: &Clock,
) -> (DeckStats, usize) {
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
    let mut matched = 0;
    for card in &deck.cards {
        key.clear();
        key.push_str(&deck.id);
        key.push('/');
        key.push_str(&card.id);
        let suspended = marks.suspended.contains(&key);
        s.suspended += usize::from(suspended);
        let mistake = !suspended && marks.mistakes.contains(&key);
        s.mistakes += usize::from(mistake);
        let Some(row) = rows.get(key.as_str()) else {
            s.new += 1;
            s.due += usize::from(mistake);
            continue;
        };
        matched += 1;
        match row.phase {
            Phase::New => s.new += 1,
            Phase::Learning | Phase::Relearning => s.learning += 1,
            Phase::Review => s.review += 1,
        }
        let buried = row.buried_until.is_some_and(|u| u > now);
        if mistake && !buried {
            s.due += 1;
        }
        if row.phase != Phase::New && !suspended {
            if row.due <= now && !mistake && !buried {
                s.due += 1;
            }
            let offset = day_ends.partition_point(|&end| end <= row.due);
            if let Some(slot) = s.forecast.get_mut(offset) {
                *slot += 1;
            }
        }
        if row.lapses >= LEECH_LAPSES {
            s.leeches.push(key.clone());
        }
        if row.content != Some(card.content_digest()) {
            s.changed.push(key.clone());
        }
    }
    let (retention, count) = true_retention(reviews);
    s.retention = retention;
    s.retention_reviews = count;
    (s, matched)
}

/// Passed / all reviews of cards that were in review (not learning) when
/// answered: the retention FSRS aims at.
fn true_retention(sums: Option<&DeckSums>) -> (Option<f64>, usize) {
    match sums {
        Some(s) if s.mature > 0 => (Some(s.passed as f64 / s.mature as f64), s.mature),
        _ => (None, 0),
    }
}

#[cfg(test)]
mod sums_tests;
#[cfg(test)]
mod tests;
